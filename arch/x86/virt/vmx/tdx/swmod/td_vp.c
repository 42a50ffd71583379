// SPDX-License-Identifier: GPL-2.0
/*
 * Software TDX module: vCPU leaves.
 *
 * TDH.VP.CREATE, TDH.VP.ADDCX, TDH.VP.INIT, TDH.VP.FLUSH and
 * TDH.VP.ENTER.  The TDVPR is locked exclusive (its PAMT entry), then
 * its TD through the owner field (shared; busy is OPERAND_BUSY|TDR).
 */

#include <linux/types.h>
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

/*
 * TDH.VP.ENTER: the software module cannot run TD vCPUs (a later part
 * does).  It answers TDX_OPERAND_INVALID | RAX, what a module without
 * the leaf answers, and has no effect; Documentation/x86/
 * tdx-swmodule.rst pins this for KVM.
 */
u64 swmod_vp_enter(struct swmod *m, struct swmod_regs *regs)
{
	return SWMOD_TDX_OPERAND_INVALID | SWMOD_OPERAND_ID_RAX;
}
