// SPDX-License-Identifier: GPL-2.0
/*
 * Software TDX module: vCPU leaves.
 *
 * TDH.VP.CREATE, TDH.VP.ADDCX, TDH.VP.INIT, TDH.VP.FLUSH and
 * TDH.VP.ENTER.  The TDVPR is locked exclusive (its PAMT entry), then
 * its TD through the owner field (shared; busy is OPERAND_BUSY|TDR).
 * VP.ENTER runs no vCPU: it returns the exit a test armed
 * (swmod_vp_exit_arm()), if any.
 */

#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/compiler.h>

#include "swmod_leaves.h"
#include "swmod_td.h"
#include "swmod_platform.h"

/* TDH.VP.CREATE(RCX = TDVPR page, RDX = TDR). */
u64 swmod_vp_create(struct swmod *m, struct swmod_regs *regs)
{
	struct swmod_pamt_entry *e;
	struct swmod_tdvps *vp;
	struct swmod_td td;
	u64 status;

	status = swmod_td_lock(m, regs->rdx, SWMOD_OPERAND_ID_RDX, false,
			       SWMOD_TD_BUILDING, &td);
	if (status)
		return status;
	status = swmod_hpa_lock_free(m, regs->rcx, SWMOD_OPERAND_ID_RCX, &e);
	if (status)
		goto out_unlock_td;

	vp = swmod_page_va(m, regs->rcx);
	memset(vp, 0, SWMOD_SZ_4K);
	vp->tdr_pa = td.tdr_pa;
	vp->state = SWMOD_VCPU_UNINITIALIZED;
	vp->assoc_lp = SWMOD_LP_NONE;
	swmod_pamt_assign(m, e, SWMOD_PS_4K, SWMOD_PT_TDVPR, td.tdr_pa);
	swmod_td_add_child(&td, 1);
	swmod_pamt_unlock(e, true);

out_unlock_td:
	swmod_td_unlock(&td);
	return status;
}

/* TDH.VP.ADDCX(RCX = TDVPX page, RDX = TDVPR). */
u64 swmod_vp_addcx(struct swmod *m, struct swmod_regs *regs)
{
	struct swmod_pamt_entry *e, *pe;
	struct swmod_tdvps *vp;
	struct swmod_td td;
	u64 status;

	status = swmod_vp_lock(m, regs->rdx, SWMOD_OPERAND_ID_RDX,
			       SWMOD_TD_BUILDING, &e, &vp, &td);
	if (status)
		return status;
	if (vp->state != SWMOD_VCPU_UNINITIALIZED) {
		status = SWMOD_TDX_VCPU_STATE_INCORRECT;
		goto out_unlock_vp;
	}
	if (vp->num_tdvpx >= SWMOD_TDVPX_PAGES) {
		status = SWMOD_TDX_TDVPX_NUM_INCORRECT;
		goto out_unlock_vp;
	}
	status = swmod_hpa_lock_free(m, regs->rcx, SWMOD_OPERAND_ID_RCX, &pe);
	if (status)
		goto out_unlock_vp;

	memset(swmod_page_va(m, regs->rcx), 0, SWMOD_SZ_4K);
	vp->tdvpx_pa[vp->num_tdvpx++] = regs->rcx;
	swmod_pamt_assign(m, pe, SWMOD_PS_4K, SWMOD_PT_TDVPX, td.tdr_pa);
	swmod_td_add_child(&td, 1);
	swmod_pamt_unlock(pe, true);

out_unlock_vp:
	swmod_vp_unlock(e, &td);
	return status;
}

/*
 * TDH.VP.INIT(RCX = TDVPR, RDX = initial guest RCX): all TDVPX pages
 * added, fewer than MAX_VCPUS vCPUs so far.  Assigns the vCPU index
 * and associates the vCPU with this LP.  The vCPU count is bumped
 * with an atomic under the shared TD lock.
 */
u64 swmod_vp_init(struct swmod *m, struct swmod_regs *regs)
{
	struct swmod_pamt_entry *e;
	struct swmod_tdvps *vp;
	struct swmod_td td;
	u64 status, n;

	status = swmod_vp_lock(m, regs->rcx, SWMOD_OPERAND_ID_RCX,
			       SWMOD_TD_BUILDING, &e, &vp, &td);
	if (status)
		return status;
	if (vp->state != SWMOD_VCPU_UNINITIALIZED) {
		status = SWMOD_TDX_VCPU_STATE_INCORRECT;
		goto out_unlock_vp;
	}
	if (vp->num_tdvpx != SWMOD_TDVPX_PAGES) {
		status = SWMOD_TDX_TDVPX_NUM_INCORRECT;
		goto out_unlock_vp;
	}
	n = swmod_plat_add_return64(&td.tdcs->num_vcpus, 1);
	if (n > td.tdcs->max_vcpus) {
		swmod_plat_add_return64(&td.tdcs->num_vcpus, (u64)-1);
		status = SWMOD_TDX_MAX_VCPUS_EXCEEDED;
		goto out_unlock_vp;
	}

	vp->vcpu_index = n - 1;
	vp->gpr[1] = regs->rdx;		/* RCX */
	vp->guest_rip = SWMOD_VCPU_INIT_RIP;
	vp->guest_rflags = SWMOD_VCPU_INIT_RFLAGS;
	vp->pin_based_ctls = SWMOD_VCPU_INIT_PIN_BASED;
	vp->assoc_lp = swmod_cur_lp(m);
	swmod_plat_add_return64(&td.tdcs->num_assoc_vcpus, 1);
	WRITE_ONCE(vp->state, SWMOD_VCPU_READY);

out_unlock_vp:
	swmod_vp_unlock(e, &td);
	return status;
}

/*
 * TDH.VP.FLUSH(RCX = TDVPR): on the LP the vCPU is associated with
 * (TDX_VCPU_NOT_ASSOCIATED elsewhere); a vCPU associated with no LP
 * needs no flush and succeeds.  The TD must still have its keys
 * (TDX_TD_KEYS_NOT_CONFIGURED after VPFLUSHDONE).
 */
u64 swmod_vp_flush(struct swmod *m, struct swmod_regs *regs)
{
	struct swmod_pamt_entry *e;
	struct swmod_tdvps *vp;
	struct swmod_td td;
	u64 status;

	status = swmod_vp_lock(m, regs->rcx, SWMOD_OPERAND_ID_RCX,
			       SWMOD_TD_KEYED, &e, &vp, &td);
	if (status)
		return status;
	if (vp->assoc_lp == SWMOD_LP_NONE)
		goto out_unlock_vp;
	if (vp->assoc_lp != swmod_cur_lp(m)) {
		status = SWMOD_TDX_VCPU_NOT_ASSOCIATED;
		goto out_unlock_vp;
	}
	vp->assoc_lp = SWMOD_LP_NONE;
	swmod_plat_add_return64(&td.tdcs->num_assoc_vcpus, (u64)-1);

out_unlock_vp:
	swmod_vp_unlock(e, &td);
	return status;
}

/* ---- TDH.VP.ENTER and its scripted exits ----------------------------- */

/*
 * The armed exit changes hands through vp_exit_state alone: arming
 * takes the slot NONE -> BUSY, writes the exit, publishes its kind;
 * an entry takes it kind -> BUSY, copies the exit, frees it -> NONE.
 * Each compare-and-exchange is a full barrier, so the exit is only
 * ever written or read by the one caller holding BUSY, and exactly
 * one entry gets an exit armed once.
 */
int swmod_vp_exit_arm(struct swmod *m, const struct swmod_vp_exit *exit)
{
	u32 old;

	if (exit->kind == SWMOD_VP_EXIT_NONE) {
		/* Disarm; an exit being consumed is as good as gone. */
		for (;;) {
			old = READ_ONCE(m->vp_exit_state);
			if (old == SWMOD_VP_EXIT_NONE)
				return 0;
			if (old == SWMOD_VP_EXIT_BUSY)
				return -EBUSY;
			if (swmod_plat_cmpxchg32(&m->vp_exit_state, old,
						 SWMOD_VP_EXIT_NONE) == old)
				return 0;
		}
	}
	if (exit->kind != SWMOD_VP_EXIT_TDVMCALL &&
	    exit->kind != SWMOD_VP_EXIT_EPT)
		return -EINVAL;
	if (exit->kind == SWMOD_VP_EXIT_TDVMCALL &&
	    !swmod_tdvmcall_mask_valid(exit->mask))
		return -EINVAL;
	if (swmod_plat_cmpxchg32(&m->vp_exit_state, SWMOD_VP_EXIT_NONE,
				 SWMOD_VP_EXIT_BUSY) != SWMOD_VP_EXIT_NONE)
		return -EBUSY;
	m->vp_exit = *exit;
	swmod_plat_cmpxchg32(&m->vp_exit_state, SWMOD_VP_EXIT_BUSY, exit->kind);
	return 0;
}

/* Take the armed exit, if any; false also when another caller won it. */
static bool swmod_vp_exit_take(struct swmod *m, struct swmod_vp_exit *exit)
{
	u32 kind = READ_ONCE(m->vp_exit_state);

	if (kind != SWMOD_VP_EXIT_TDVMCALL && kind != SWMOD_VP_EXIT_EPT)
		return false;
	if (swmod_plat_cmpxchg32(&m->vp_exit_state, kind,
				 SWMOD_VP_EXIT_BUSY) != kind)
		return false;
	*exit = m->vp_exit;
	swmod_plat_cmpxchg32(&m->vp_exit_state, SWMOD_VP_EXIT_BUSY,
			     SWMOD_VP_EXIT_NONE);
	return true;
}

/*
 * Publish the R10..R15 of the vCPU just entered.  Entries of other
 * vCPUs may run at the same time: the one holding vp_guest_lock
 * records, the others skip (they were entered concurrently, so it is
 * as "last" as they are).  Readers never block a writer.
 */
static void swmod_vp_note_guest(struct swmod *m, const struct swmod_tdvps *vp)
{
	unsigned int i;

	if (!swmod_trylock(&m->vp_guest_lock, true))
		return;
	swmod_plat_add_return64(&m->vp_guest_seq, 1);
	for (i = 0; i < SWMOD_VP_EXIT_NR_GPRS; i++)
		WRITE_ONCE(m->vp_guest[i], vp->gpr[SWMOD_GPR_R10 + i]);
	swmod_plat_add_return64(&m->vp_guest_seq, 1);
	swmod_unlock(&m->vp_guest_lock, true);
}

void swmod_vp_exit_info(struct swmod *m, struct swmod_vp_exit_info *info)
{
	u32 kind = READ_ONCE(m->vp_exit_state);
	unsigned int i;
	u64 seq;

	info->armed = kind == SWMOD_VP_EXIT_TDVMCALL ||
		      kind == SWMOD_VP_EXIT_EPT ? kind : SWMOD_VP_EXIT_NONE;
	info->entered = READ_ONCE(m->vp_entered);
	/* Adding 0 atomically: the full barriers of a sequence read. */
	do {
		seq = swmod_plat_add_return64(&m->vp_guest_seq, 0);
		for (i = 0; i < SWMOD_VP_EXIT_NR_GPRS; i++)
			info->guest[i] = READ_ONCE(m->vp_guest[i]);
	} while ((seq & 1) ||
		 swmod_plat_add_return64(&m->vp_guest_seq, 0) != seq);
}

/* R10..R15 of a SEAMCALL's registers, by index. */
static void swmod_regs_r10_r15(struct swmod_regs *regs, u64 **r)
{
	r[0] = &regs->r10;
	r[1] = &regs->r11;
	r[2] = &regs->r12;
	r[3] = &regs->r13;
	r[4] = &regs->r14;
	r[5] = &regs->r15;
}

/*
 * The host's answer to the vCPU's last TDVMCALL, if not given yet: the
 * host's R10..R15 selected by that call's mask go into the guest, and
 * TDG.VP.VMCALL returns 0 in the guest's RAX.  The mask's other GPRs
 * are not part of the host interface and keep the guest's values.
 */
static void swmod_vp_answer_tdvmcall(struct swmod_tdvps *vp,
				     struct swmod_regs *regs)
{
	u64 *r[SWMOD_VP_EXIT_NR_GPRS];
	unsigned int i;

	if (!vp->tdvmcall_pending)
		return;
	swmod_regs_r10_r15(regs, r);
	for (i = 0; i < SWMOD_VP_EXIT_NR_GPRS; i++)
		if (vp->tdvmcall_mask & BIT_ULL(SWMOD_GPR_R10 + i))
			vp->gpr[SWMOD_GPR_R10 + i] = *r[i];
	vp->gpr[SWMOD_GPR_RAX] = 0;
	vp->tdvmcall_pending = 0;
}

/*
 * The TD exit @exit, as the vCPU takes it and the host sees it.  The
 * host registers are already scrubbed.  A TDVMCALL gives the guest
 * the scripted R10..R15 and RCX = mask, and the host the mask and the
 * selected R10..R15.
 */
static u64 swmod_vp_exit_load(struct swmod_tdvps *vp,
			      const struct swmod_vp_exit *exit,
			      struct swmod_regs *regs)
{
	u64 *r[SWMOD_VP_EXIT_NR_GPRS];
	unsigned int i;

	if (exit->kind == SWMOD_VP_EXIT_EPT) {
		regs->rcx = exit->qual;
		regs->r8 = exit->gpa;
		return SWMOD_TDX_SUCCESS | SWMOD_EXIT_REASON_EPT_VIOLATION;
	}

	swmod_regs_r10_r15(regs, r);
	vp->gpr[SWMOD_GPR_RCX] = exit->mask;
	for (i = 0; i < SWMOD_VP_EXIT_NR_GPRS; i++) {
		vp->gpr[SWMOD_GPR_R10 + i] = exit->gpr[i];
		if (exit->mask & BIT_ULL(SWMOD_GPR_R10 + i))
			*r[i] = exit->gpr[i];
	}
	vp->tdvmcall_mask = exit->mask;
	vp->tdvmcall_pending = 1;
	regs->rcx = exit->mask;
	return SWMOD_TDX_SUCCESS | SWMOD_EXIT_REASON_TDCALL;
}

/* The GPRs a TD exit returns to the host: zero unless the exit says. */
static void swmod_vp_scrub(struct swmod_regs *regs)
{
	u64 *r[SWMOD_VP_EXIT_NR_GPRS];
	unsigned int i;

	regs->rbx = 0;
	regs->rcx = 0;
	regs->rdx = 0;
	regs->rsi = 0;
	regs->rdi = 0;
	regs->r8 = 0;
	regs->r9 = 0;
	swmod_regs_r10_r15(regs, r);
	for (i = 0; i < SWMOD_VP_EXIT_NR_GPRS; i++)
		*r[i] = 0;
}

/*
 * TDH.VP.ENTER(RCX = TDVPR; R10..R15 the host's answer to a TDVMCALL).
 * Checks, in the real module's order: the TDVPR (exclusive) and its TD
 * (shared); the TD keyed, initialized and finalized
 * (TDX_TD_NOT_FINALIZED); the vCPU initialized
 * (TDX_VCPU_STATE_INCORRECT); associated with no LP or this one
 * (TDX_VCPU_ASSOCIATED); the TD epoch lock (shared, busy is
 * TDX_OPERAND_BUSY | TD_EPOCH).  The vCPU is then associated with
 * this LP, as VP.INIT does, and gets the host's answer to its last
 * TDVMCALL.
 *
 * The software module cannot run the vCPU.  If a test armed an exit,
 * the vCPU takes it at once; else the entry ends there with
 * TDX_OPERAND_INVALID | RAX, what a module without the leaf answers
 * (KVM turns it into -EOPNOTSUPP for KVM_RUN).  Either way the host
 * gets scrubbed GPRs, and the epoch refcounts an entry would raise
 * are back where they were.
 */
u64 swmod_vp_enter(struct swmod *m, struct swmod_regs *regs)
{
	unsigned int lp = swmod_cur_lp(m);
	struct swmod_vp_exit exit;
	struct swmod_pamt_entry *e;
	struct swmod_tdvps *vp;
	struct swmod_td td;
	u64 status;

	status = swmod_vp_lock(m, regs->rcx, SWMOD_OPERAND_ID_RCX,
			       SWMOD_TD_RUNNABLE, &e, &vp, &td);
	if (status)
		return status;
	if (vp->state != SWMOD_VCPU_READY) {
		status = SWMOD_TDX_VCPU_STATE_INCORRECT;
		goto out_unlock_vp;
	}
	if (vp->assoc_lp != SWMOD_LP_NONE && vp->assoc_lp != lp) {
		status = SWMOD_TDX_VCPU_ASSOCIATED;
		goto out_unlock_vp;
	}
	if (!swmod_trylock(&td.tdcs->epoch_lock, false)) {
		status = SWMOD_TDX_OPERAND_BUSY | SWMOD_OPERAND_ID_TD_EPOCH;
		goto out_unlock_vp;
	}
	swmod_unlock(&td.tdcs->epoch_lock, false);

	if (vp->assoc_lp == SWMOD_LP_NONE) {
		vp->assoc_lp = lp;
		swmod_plat_add_return64(&td.tdcs->num_assoc_vcpus, 1);
	}
	swmod_vp_answer_tdvmcall(vp, regs);
	swmod_plat_add_return64(&m->vp_entered, 1);
	swmod_vp_note_guest(m, vp);

	swmod_vp_scrub(regs);
	if (swmod_vp_exit_take(m, &exit))
		status = swmod_vp_exit_load(vp, &exit, regs);
	else
		status = SWMOD_TDX_OPERAND_INVALID | SWMOD_OPERAND_ID_RAX;

out_unlock_vp:
	swmod_vp_unlock(e, &td);
	return status;
}
