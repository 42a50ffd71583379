// SPDX-License-Identifier: GPL-2.0
/*
 * Software TDX module: Secure EPT and private memory leaves.
 *
 * TDH.MEM.SEPT.ADD, TDH.MEM.PAGE.ADD, TDH.MEM.PAGE.AUG,
 * TDH.MEM.RANGE.BLOCK, TDH.MEM.TRACK, TDH.MEM.RANGE.UNBLOCK,
 * TDH.MEM.PAGE.REMOVE, TDH.MEM.SEPT.REMOVE and TDH.MEM.SEPT.RD.
 *
 * Common order (the sheet lists the rules, we fixed the order): the
 * TDR in RDX (locked shared), the TD's build state, the page_info in
 * RCX, the S-EPT lock (TDX_OPERAND_BUSY | SEPT), the walk, the target
 * entry's state, then the page operands (R9, R8).  The PAMT entries
 * of pages the TD owns change only under the S-EPT lock (or, after
 * KEY.FREEID, under their own lock in PAGE.RECLAIM).
 */

#include <linux/types.h>
#include <linux/string.h>
#include <linux/align.h>
#include <linux/compiler.h>

#include "swmod_leaves.h"
#include "swmod_td.h"
#include "swmod_platform.h"

#define SWMOD_EPT_ERR(st)	((st) | SWMOD_OPERAND_ID_RCX)

/* One memory leaf's context: TD locked shared, S-EPT locked. */
struct swmod_mem_op {
	struct swmod_td td;
	u64 gpa;
	unsigned int level;
	struct swmod_sept_walk w;
};

/*
 * Lock the TD (RDX) and its S-EPT, check the TD against @need
 * (SWMOD_TD_BUILD, or SWMOD_TD_BUILDING before finalization) and the
 * page_info (RCX, level in [@min_level, @max_level], PWL if ~0U) and
 * walk to the target entry.  On success the caller owns both locks and
 * releases them with swmod_mem_end().
 */
static u64 swmod_mem_begin(struct swmod *m, struct swmod_regs *regs,
			   unsigned int min_level, unsigned int max_level,
			   u32 need, struct swmod_mem_op *op)
{
	u64 status;

	status = swmod_td_lock(m, regs->rdx, SWMOD_OPERAND_ID_RDX, false, need,
			       &op->td);
	if (status)
		return status;
	if (max_level > op->td.tdcs->pwl)
		max_level = op->td.tdcs->pwl;
	status = swmod_gpa_check(&op->td, regs->rcx, min_level, max_level,
				 &op->gpa, &op->level);
	if (status)
		goto err_unlock_td;
	if (!swmod_trylock(&op->td.tdcs->sept_lock, true)) {
		status = SWMOD_TDX_OPERAND_BUSY | SWMOD_OPERAND_ID_SEPT;
		goto err_unlock_td;
	}
	status = swmod_sept_walk(m, &op->td, op->gpa, op->level, &op->w, regs);
	if (status)
		goto err_unlock_sept;
	return SWMOD_TDX_SUCCESS;

err_unlock_sept:
	swmod_unlock(&op->td.tdcs->sept_lock, true);
err_unlock_td:
	swmod_td_unlock(&op->td);
	return status;
}

static void swmod_mem_end(struct swmod_mem_op *op)
{
	swmod_unlock(&op->td.tdcs->sept_lock, true);
	swmod_td_unlock(&op->td);
}

/*
 * The target entry of an ADD/AUG must be FREE: else
 * TDX_EPT_ENTRY_NOT_FREE | RCX with the entry's details in RCX/RDX.
 */
static u64 swmod_entry_free(struct swmod_mem_op *op, struct swmod_regs *regs)
{
	u64 entry = *op->w.entry;

	if (swmod_sept_state(entry) == SWMOD_SEPT_FREE)
		return SWMOD_TDX_SUCCESS;
	swmod_sept_details(entry, op->level, regs);
	return SWMOD_EPT_ERR(SWMOD_TDX_EPT_ENTRY_NOT_FREE);
}

/*
 * The target entry of a BLOCK/UNBLOCK/REMOVE must not be FREE: else
 * TDX_EPT_ENTRY_FREE | RCX with the details.
 */
static u64 swmod_entry_used(struct swmod_mem_op *op, struct swmod_regs *regs)
{
	u64 entry = *op->w.entry;

	if (swmod_sept_state(entry) != SWMOD_SEPT_FREE)
		return SWMOD_TDX_SUCCESS;
	swmod_sept_details(entry, op->level, regs);
	return SWMOD_EPT_ERR(SWMOD_TDX_EPT_ENTRY_FREE);
}

static u64 swmod_level_pages(unsigned int level)
{
	return 1ULL << (9 * level);
}

/*
 * The PAMT entry holding the block epoch of what @entry maps: the page
 * itself for a leaf, the child S-EPT page for a non-leaf.
 */
static struct swmod_pamt_entry *swmod_mapped_pamt(struct swmod *m, u64 entry,
						  unsigned int level)
{
	int ps = swmod_sept_is_leaf(entry, level) ? level : SWMOD_PS_4K;

	return swmod_pamt_get(m, swmod_sept_pa(entry), ps);
}

/* TDH.MEM.SEPT.ADD(RCX = GPA | level 1..PWL, RDX = TDR, R8 = page). */
u64 swmod_mem_sept_add(struct swmod *m, struct swmod_regs *regs)
{
	struct swmod_pamt_entry *e;
	struct swmod_mem_op op;
	u64 status;

	status = swmod_mem_begin(m, regs, SWMOD_SEPT_LVL_PD, ~0U,
				 SWMOD_TD_BUILD, &op);
	if (status)
		return status;
	status = swmod_entry_free(&op, regs);
	if (status)
		goto out_end;
	status = swmod_hpa_lock_free(m, regs->r8, SWMOD_OPERAND_ID_R8, &e);
	if (status)
		goto out_end;

	swmod_sept_fill_free(m, regs->r8);
	swmod_pamt_assign(m, e, SWMOD_PS_4K, SWMOD_PT_EPT, op.td.tdr_pa);
	swmod_td_add_child(&op.td, 1);
	WRITE_ONCE(*op.w.entry, swmod_sept_make(regs->r8, op.level, false,
						SWMOD_SEPT_MAPPED, false));
	swmod_pamt_unlock(e, true);

out_end:
	swmod_mem_end(&op);
	return status;
}

/*
 * TDH.MEM.PAGE.ADD(RCX = GPA | 0, RDX = TDR, R8 = target, R9 = source):
 * before finalization; copies the source page into the target, maps it
 * and extends MRTD with the GPA (the contents are measured only by
 * MR.EXTEND).
 */
u64 swmod_mem_page_add(struct swmod *m, struct swmod_regs *regs)
{
	struct swmod_pamt_entry *e;
	struct swmod_mem_op op;
	u64 status, src = regs->r9;

	status = swmod_mem_begin(m, regs, SWMOD_SEPT_LVL_PT, SWMOD_SEPT_LVL_PT,
				 SWMOD_TD_BUILDING, &op);
	if (status)
		return status;
	status = swmod_entry_free(&op, regs);
	if (status)
		goto out_end;
	if (!IS_ALIGNED(src, SWMOD_SZ_4K) || !swmod_pa_is_shared(m, src)) {
		status = SWMOD_TDX_OPERAND_INVALID | SWMOD_OPERAND_ID_R9;
		goto out_end;
	}
	status = swmod_hpa_lock_free(m, regs->r8, SWMOD_OPERAND_ID_R8, &e);
	if (status)
		goto out_end;

	swmod_mem_read(m, swmod_pa_strip_keyid(m, src),
		       swmod_page_va(m, regs->r8), SWMOD_SZ_4K);
	swmod_pamt_assign(m, e, SWMOD_PS_4K, SWMOD_PT_REG, op.td.tdr_pa);
	swmod_td_add_child(&op.td, 1);
	WRITE_ONCE(*op.w.entry, swmod_sept_make(regs->r8, op.level, true,
						SWMOD_SEPT_MAPPED, false));
	swmod_td_measure(m, &op.td, "MEM.PAGE.ADD", op.gpa, NULL, 0);
	swmod_pamt_unlock(e, true);

out_end:
	swmod_mem_end(&op);
	return status;
}

/*
 * Lock and check the target of a 2 MiB PAGE.AUG: 2 MiB aligned
 * (TDX_OPERAND_INVALID | R8), its 1G and 2M entries and all 512 4K
 * entries PT_NDA (TDX_PAGE_METADATA_INCORRECT | R8).
 */
static u64 swmod_aug_lock_2m(struct swmod *m, u64 hpa,
			     struct swmod_pamt_entry **out)
{
	struct swmod_pamt_entry *e, *c;
	unsigned int i;

	if (!IS_ALIGNED(hpa, SWMOD_SZ_2M) || (hpa >> SWMOD_MAX_PA) ||
	    (hpa & m->hkid_mask))
		return SWMOD_TDX_OPERAND_INVALID | SWMOD_OPERAND_ID_R8;
	e = swmod_pamt_get(m, hpa, SWMOD_PS_2M);
	c = swmod_pamt_get(m, hpa, SWMOD_PS_1G);
	if (!e || !c)
		return SWMOD_TDX_OPERAND_ADDR_RANGE_ERROR | SWMOD_OPERAND_ID_R8;
	if (!swmod_pamt_trylock(e, true))
		return SWMOD_TDX_OPERAND_BUSY | SWMOD_OPERAND_ID_R8;
	if (READ_ONCE(c->pt) != SWMOD_PT_NDA || e->pt != SWMOD_PT_NDA)
		goto err_metadata;
	for (i = 0; i < SWMOD_SEPT_ENTRIES; i++) {
		c = swmod_pamt_get(m, hpa + i * SWMOD_SZ_4K, SWMOD_PS_4K);
		if (READ_ONCE(c->pt) != SWMOD_PT_NDA)
			goto err_metadata;
	}
	*out = e;
	return SWMOD_TDX_SUCCESS;

err_metadata:
	swmod_pamt_unlock(e, true);
	return SWMOD_TDX_PAGE_METADATA_INCORRECT | SWMOD_OPERAND_ID_R8;
}

/*
 * TDH.MEM.PAGE.AUG(RCX = GPA | level 0..1, RDX = TDR, R8 = HPA): maps
 * the page PENDING until the guest accepts it.
 */
u64 swmod_mem_page_aug(struct swmod *m, struct swmod_regs *regs)
{
	struct swmod_pamt_entry *e;
	struct swmod_mem_op op;
	bool sve;
	u64 status;

	status = swmod_mem_begin(m, regs, SWMOD_SEPT_LVL_PT, SWMOD_SEPT_LVL_PD,
				 SWMOD_TD_BUILD, &op);
	if (status)
		return status;
	status = swmod_entry_free(&op, regs);
	if (status)
		goto out_end;
	if (op.level == SWMOD_SEPT_LVL_PD)
		status = swmod_aug_lock_2m(m, regs->r8, &e);
	else
		status = swmod_hpa_lock_free(m, regs->r8, SWMOD_OPERAND_ID_R8,
					     &e);
	if (status)
		goto out_end;

	swmod_pamt_assign(m, e, op.level, SWMOD_PT_REG, op.td.tdr_pa);
	swmod_td_add_child(&op.td, swmod_level_pages(op.level));
	sve = op.td.tdcs->attributes & SWMOD_ATTR_SEPT_VE_DISABLE;
	WRITE_ONCE(*op.w.entry, swmod_sept_make(regs->r8, op.level, true,
						SWMOD_SEPT_PENDING, sve));
	swmod_pamt_unlock(e, true);

out_end:
	swmod_mem_end(&op);
	return status;
}

/*
 * TDH.MEM.RANGE.BLOCK(RCX = GPA | level 0..PWL, RDX = TDR): the entry
 * stops translating; the current TD epoch is recorded as the BEPOCH of
 * what it maps.
 */
u64 swmod_mem_range_block(struct swmod *m, struct swmod_regs *regs)
{
	struct swmod_pamt_entry *pe;
	struct swmod_mem_op op;
	unsigned int state;
	u64 status, entry;

	status = swmod_mem_begin(m, regs, SWMOD_SEPT_LVL_PT, ~0U,
				 SWMOD_TD_BUILD, &op);
	if (status)
		return status;
	status = swmod_entry_used(&op, regs);
	if (status)
		goto out_end;
	entry = *op.w.entry;
	state = swmod_sept_state(entry);
	switch (state) {
	case SWMOD_SEPT_BLOCKED:
	case SWMOD_SEPT_PENDING_BLOCKED:
		status = SWMOD_TDX_GPA_RANGE_ALREADY_BLOCKED;
		goto out_end;
	}
	pe = swmod_mapped_pamt(m, entry, op.level);
	pe->bepoch = READ_ONCE(op.td.tdcs->epoch);
	WRITE_ONCE(*op.w.entry, swmod_sept_set_state(entry,
			state == SWMOD_SEPT_PENDING ? SWMOD_SEPT_PENDING_BLOCKED :
						      SWMOD_SEPT_BLOCKED));
out_end:
	swmod_mem_end(&op);
	return status;
}

/*
 * TDH.MEM.TRACK(RCX = TDR): start a new TD epoch once no vCPU runs in
 * the previous one.  The software module runs no vCPU, so the
 * reference counts stay 0 unless a test sets them.
 */
u64 swmod_mem_track(struct swmod *m, struct swmod_regs *regs)
{
	struct swmod_tdcs *tdcs;
	struct swmod_td td;
	u64 status;

	status = swmod_td_lock(m, regs->rcx, SWMOD_OPERAND_ID_RCX, false,
			       SWMOD_TD_BUILD, &td);
	if (status)
		return status;
	tdcs = td.tdcs;
	if (!swmod_trylock(&tdcs->epoch_lock, true)) {
		status = SWMOD_TDX_OPERAND_BUSY | SWMOD_OPERAND_ID_TD_EPOCH;
		goto out_unlock_td;
	}
	if (READ_ONCE(tdcs->refcount[(tdcs->epoch - 1) & 1]))
		status = SWMOD_TDX_PREVIOUS_TLB_EPOCH_BUSY;
	else
		WRITE_ONCE(tdcs->epoch, tdcs->epoch + 1);
	swmod_unlock(&tdcs->epoch_lock, true);

out_unlock_td:
	swmod_td_unlock(&td);
	return status;
}

/*
 * The checks REMOVE and UNBLOCK share: the entry is blocked
 * (TDX_GPA_RANGE_NOT_BLOCKED) and every vCPU has left the epoch it was
 * blocked in (TDX_TLB_TRACKING_NOT_DONE | @track_opid).
 */
static u64 swmod_blocked_and_tracked(struct swmod *m, struct swmod_mem_op *op,
				     u64 entry, u64 track_opid,
				     struct swmod_regs *regs)
{
	unsigned int state = swmod_sept_state(entry);

	if (state != SWMOD_SEPT_BLOCKED && state != SWMOD_SEPT_PENDING_BLOCKED) {
		swmod_sept_details(entry, op->level, regs);
		return SWMOD_EPT_ERR(SWMOD_TDX_GPA_RANGE_NOT_BLOCKED);
	}
	if (!swmod_td_tlb_tracked(&op->td,
				  swmod_mapped_pamt(m, entry, op->level)->bepoch))
		return SWMOD_TDX_TLB_TRACKING_NOT_DONE | track_opid;
	return SWMOD_TDX_SUCCESS;
}

/* TDH.MEM.RANGE.UNBLOCK(RCX = GPA | level 0..PWL, RDX = TDR). */
u64 swmod_mem_range_unblock(struct swmod *m, struct swmod_regs *regs)
{
	struct swmod_mem_op op;
	u64 status, entry;

	status = swmod_mem_begin(m, regs, SWMOD_SEPT_LVL_PT, ~0U,
				 SWMOD_TD_BUILD, &op);
	if (status)
		return status;
	status = swmod_entry_used(&op, regs);
	if (status)
		goto out_end;
	entry = *op.w.entry;
	status = swmod_blocked_and_tracked(m, &op, entry, SWMOD_OPERAND_ID_SEPT,
					   regs);
	if (status)
		goto out_end;
	WRITE_ONCE(*op.w.entry, swmod_sept_set_state(entry,
			swmod_sept_state(entry) == SWMOD_SEPT_BLOCKED ?
			SWMOD_SEPT_MAPPED : SWMOD_SEPT_PENDING));
out_end:
	swmod_mem_end(&op);
	return status;
}

/*
 * TDH.MEM.PAGE.REMOVE(RCX = GPA | level 0..2, RDX = TDR): a blocked,
 * tracked leaf goes back to FREE, its page to PT_NDA.  RCX = its HPA.
 */
u64 swmod_mem_page_remove(struct swmod *m, struct swmod_regs *regs)
{
	struct swmod_mem_op op;
	u64 status, entry, pa;

	status = swmod_mem_begin(m, regs, SWMOD_SEPT_LVL_PT, SWMOD_SEPT_LVL_PDPT,
				 SWMOD_TD_BUILD, &op);
	if (status)
		return status;
	status = swmod_entry_used(&op, regs);
	if (status)
		goto out_end;
	entry = *op.w.entry;
	if (!swmod_sept_is_leaf(entry, op.level)) {
		swmod_sept_details(entry, op.level, regs);
		status = SWMOD_EPT_ERR(SWMOD_TDX_EPT_ENTRY_NOT_LEAF);
		goto out_end;
	}
	status = swmod_blocked_and_tracked(m, &op, entry, SWMOD_OPERAND_ID_RCX,
					   regs);
	if (status)
		goto out_end;

	pa = swmod_sept_pa(entry);
	swmod_pamt_free(m, swmod_pamt_get(m, pa, op.level), op.level);
	swmod_td_add_child(&op.td, -(s64)swmod_level_pages(op.level));
	WRITE_ONCE(*op.w.entry, SWMOD_SEPT_FREE_ENTRY);
	regs->rcx = pa;
out_end:
	swmod_mem_end(&op);
	return status;
}

static bool swmod_sept_table_free(struct swmod *m, u64 pa)
{
	const u64 *t = swmod_page_va(m, pa);
	unsigned int i;

	for (i = 0; i < SWMOD_SEPT_ENTRIES; i++)
		if (swmod_sept_state(t[i]) != SWMOD_SEPT_FREE)
			return false;
	return true;
}

/*
 * TDH.MEM.SEPT.REMOVE(RCX = GPA | level 1..PWL, RDX = TDR): a blocked,
 * tracked non-leaf whose table is all FREE goes back to FREE, the
 * S-EPT page to PT_NDA.  RCX = the page's HPA.
 */
u64 swmod_mem_sept_remove(struct swmod *m, struct swmod_regs *regs)
{
	struct swmod_mem_op op;
	u64 status, entry, pa;

	status = swmod_mem_begin(m, regs, SWMOD_SEPT_LVL_PD, ~0U,
				 SWMOD_TD_BUILD, &op);
	if (status)
		return status;
	status = swmod_entry_used(&op, regs);
	if (status)
		goto out_end;
	entry = *op.w.entry;
	if (swmod_sept_is_leaf(entry, op.level)) {
		swmod_sept_details(entry, op.level, regs);
		status = SWMOD_EPT_ERR(SWMOD_TDX_EPT_ENTRY_LEAF);
		goto out_end;
	}
	status = swmod_blocked_and_tracked(m, &op, entry, SWMOD_OPERAND_ID_RCX,
					   regs);
	if (status)
		goto out_end;
	pa = swmod_sept_pa(entry);
	if (!swmod_sept_table_free(m, pa)) {
		swmod_sept_details(entry, op.level, regs);
		status = SWMOD_EPT_ERR(SWMOD_TDX_EPT_ENTRY_NOT_FREE);
		goto out_end;
	}

	swmod_pamt_free(m, swmod_pamt_get(m, pa, SWMOD_PS_4K), SWMOD_PS_4K);
	swmod_td_add_child(&op.td, -1);
	WRITE_ONCE(*op.w.entry, SWMOD_SEPT_FREE_ENTRY);
	regs->rcx = pa;
out_end:
	swmod_mem_end(&op);
	return status;
}

/*
 * TDH.MEM.SEPT.RD(RCX = GPA | level 0..PWL, RDX = TDR): RCX = the
 * architectural entry, RDX = {level, state}.
 */
u64 swmod_mem_sept_rd(struct swmod *m, struct swmod_regs *regs)
{
	struct swmod_mem_op op;
	u64 status;

	status = swmod_mem_begin(m, regs, SWMOD_SEPT_LVL_PT, ~0U,
				 SWMOD_TD_BUILD, &op);
	if (status)
		return status;
	swmod_sept_details(*op.w.entry, op.level, regs);
	swmod_mem_end(&op);
	return SWMOD_TDX_SUCCESS;
}
