// SPDX-License-Identifier: GPL-2.0
/*
 * Software TDX module: physical memory leaves.
 *
 * TDH.PHYMEM.CACHE.WB, TDH.PHYMEM.PAGE.RECLAIM, TDH.PHYMEM.PAGE.WBINVD
 * and TDH.PHYMEM.PAGE.RDMD.  There are no caches to write back: the
 * leaves keep the bookkeeping (which HKIDs still need a write-back on
 * which package) and the ownership rules exact.
 */

#include <linux/types.h>
#include <linux/string.h>
#include <linux/align.h>
#include <linux/compiler.h>

#include "swmod_leaves.h"
#include "swmod_td.h"
#include "swmod_platform.h"

/*
 * TDH.PHYMEM.CACHE.WB(RCX = 0 start, 1 resume) on one LP per package:
 * clears this package's bit of every FLUSHED HKID.  The fault point
 * SWMOD_FAULT_AT_ENTROPY models an interrupt: the leaf stops with
 * TDX_INTERRUPTED_RESUMABLE and keeps a resume point for this package.
 */
u64 swmod_phymem_cache_wb(struct swmod *m, struct swmod_regs *regs)
{
	unsigned int pkg = m->lps[swmod_cur_lp(m)].pkg, hkid;
	u64 status = SWMOD_TDX_SUCCESS;
	bool pending = false;

	if (regs->rcx > 1)
		return SWMOD_TDX_OPERAND_INVALID | SWMOD_OPERAND_ID_RCX;
	if (!swmod_trylock(&m->wbcache_lock[pkg], true))
		return SWMOD_TDX_OPERAND_BUSY | SWMOD_OPERAND_ID_WBCACHE;
	if (regs->rcx == 1 && !m->wbcache_resume[pkg]) {
		status = SWMOD_TDX_WBCACHE_RESUME_ERROR;
		goto out_unlock_wb;
	}
	if (!swmod_trylock(&m->kot_lock, true)) {
		status = SWMOD_TDX_OPERAND_BUSY | SWMOD_OPERAND_ID_KOT;
		goto out_unlock_wb;
	}
	for (hkid = 0; hkid < SWMOD_MAX_HKIDS; hkid++)
		if (m->kot[hkid] == SWMOD_KOT_FLUSHED &&
		    (m->kot_wbinvd[hkid] & (1U << pkg)))
			pending = true;
	if (!pending) {
		m->wbcache_resume[pkg] = false;
		status = SWMOD_TDX_NO_HKID_READY_TO_WBCACHE;
		goto out_unlock_kot;
	}
	if (swmod_fault_fire(m, SWMOD_TDH_PHYMEM_CACHE_WB,
			     SWMOD_FAULT_AT_ENTROPY, &status)) {
		m->wbcache_resume[pkg] = true;
		goto out_unlock_kot;
	}
	for (hkid = 0; hkid < SWMOD_MAX_HKIDS; hkid++)
		if (m->kot[hkid] == SWMOD_KOT_FLUSHED)
			m->kot_wbinvd[hkid] &= ~(1U << pkg);
	m->wbcache_resume[pkg] = false;

out_unlock_kot:
	swmod_unlock(&m->kot_lock, true);
out_unlock_wb:
	swmod_unlock(&m->wbcache_lock[pkg], true);
	return status;
}

static void swmod_phymem_clear_out(struct swmod_regs *regs)
{
	regs->rcx = 0;
	regs->rdx = 0;
	regs->r8 = 0;
	regs->r9 = 0;
	regs->r10 = 0;
	regs->r11 = 0;
}

/*
 * An HPA operand (RCX) of RECLAIM/RDMD: 4 KiB aligned, no KeyID bits,
 * in an initialized TDMR block; the entry describing it (4K, or the
 * assigned 2M/1G page it lies in) is locked.  With @whole, a large
 * page must be given by its first byte (RECLAIM); RDMD reports the
 * large page for any 4 KiB page in it (our decision).
 */
static u64 swmod_phymem_lock(struct swmod *m, u64 hpa, bool exclusive,
			     bool whole, struct swmod_pamt_entry **out, int *ps)
{
	struct swmod_pamt_entry *e;

	if (!IS_ALIGNED(hpa, SWMOD_SZ_4K) || (hpa >> SWMOD_MAX_PA) ||
	    (hpa & m->hkid_mask))
		return SWMOD_TDX_OPERAND_INVALID | SWMOD_OPERAND_ID_RCX;
	e = swmod_pamt_leaf(m, hpa, ps);
	if (!e)
		return SWMOD_TDX_OPERAND_ADDR_RANGE_ERROR | SWMOD_OPERAND_ID_RCX;
	if (whole && !IS_ALIGNED(hpa, SWMOD_SZ_4K << (9 * *ps)))
		return SWMOD_TDX_OPERAND_INVALID | SWMOD_OPERAND_ID_RCX;
	if (!swmod_pamt_trylock(e, exclusive))
		return SWMOD_TDX_OPERAND_BUSY | SWMOD_OPERAND_ID_RCX;
	*out = e;
	return SWMOD_TDX_SUCCESS;
}

static bool swmod_pt_is_td_page(u8 pt)
{
	return pt != SWMOD_PT_NDA && pt != SWMOD_PT_RSVD;
}

/* Reclaim the TDR itself: last, in TEARDOWN, with no child left. */
static u64 swmod_reclaim_tdr(struct swmod *m, u64 hpa)
{
	const struct swmod_tdr *tdr = swmod_page_va(m, hpa);

	if (READ_ONCE(tdr->lifecycle) != SWMOD_TD_TEARDOWN)
		return SWMOD_TDX_LIFECYCLE_STATE_INCORRECT;
	if (READ_ONCE(tdr->chldcnt))
		return SWMOD_TDX_TD_ASSOCIATED_PAGES_EXIST;
	return SWMOD_TDX_SUCCESS;
}

/* Reclaim a child page of a TD in TEARDOWN; the TD's CHLDCNT drops. */
static u64 swmod_reclaim_child(struct swmod *m, u64 owner, int ps)
{
	struct swmod_td td;
	u64 status;

	status = swmod_td_lock_implicit(m, owner, false, &td);
	if (status)
		return status;
	status = swmod_td_check(&td, SWMOD_TD_LC(SWMOD_TD_TEARDOWN));
	if (!status)
		swmod_td_add_child(&td, -(1LL << (9 * ps)));
	swmod_td_unlock(&td);
	return status;
}

/*
 * TDH.PHYMEM.PAGE.RECLAIM(RCX = HPA): a TD page (any type but NDA and
 * RSVD, TDX_PAGE_METADATA_INCORRECT | RCX otherwise) of a TD in
 * TEARDOWN goes back to PT_NDA.  RCX = page type, RDX = owner (the
 * TDR's HPA; the TDR's own), R8 = page size.
 */
u64 swmod_phymem_page_reclaim(struct swmod *m, struct swmod_regs *regs)
{
	struct swmod_pamt_entry *e;
	u64 hpa = regs->rcx, owner, status;
	int ps;
	u8 pt;

	swmod_phymem_clear_out(regs);
	status = swmod_phymem_lock(m, hpa, true, true, &e, &ps);
	if (status)
		return status;
	pt = e->pt;
	if (!swmod_pt_is_td_page(pt)) {
		status = SWMOD_TDX_PAGE_METADATA_INCORRECT | SWMOD_OPERAND_ID_RCX;
		goto out_unlock;
	}
	owner = pt == SWMOD_PT_TDR ? hpa : swmod_pamt_owner(e);
	if (pt == SWMOD_PT_TDR)
		status = swmod_reclaim_tdr(m, hpa);
	else
		status = swmod_reclaim_child(m, owner, ps);
	if (status)
		goto out_unlock;

	swmod_pamt_free(m, e, ps);
	regs->rcx = pt;
	regs->rdx = owner;
	regs->r8 = ps;
out_unlock:
	swmod_pamt_unlock(e, true);
	return status;
}

/*
 * TDH.PHYMEM.PAGE.WBINVD(RCX = HPA with a private KeyID): the page is
 * free again (PT_NDA; TDX_PAGE_METADATA_INCORRECT | RCX otherwise).
 * No cache to write back.
 */
u64 swmod_phymem_page_wbinvd(struct swmod *m, struct swmod_regs *regs)
{
	u64 keyid = m->hkid_mask ? (regs->rcx & m->hkid_mask) >> m->hkid_shift :
				   0;
	u64 hpa = swmod_pa_strip_keyid(m, regs->rcx), status;
	struct swmod_pamt_entry *e;
	int ps;

	if (keyid < m->private_hkid_min || keyid > m->private_hkid_max)
		return SWMOD_TDX_OPERAND_INVALID | SWMOD_OPERAND_ID_RCX;
	status = swmod_phymem_lock(m, hpa, false, false, &e, &ps);
	if (status)
		return status;
	if (e->pt != SWMOD_PT_NDA)
		status = SWMOD_TDX_PAGE_METADATA_INCORRECT | SWMOD_OPERAND_ID_RCX;
	swmod_pamt_unlock(e, false);
	return status;
}

/*
 * TDH.PHYMEM.PAGE.RDMD(RCX = HPA): RCX = page type, RDX = owner, R8 =
 * page size, R9 = BEPOCH.
 */
u64 swmod_phymem_page_rdmd(struct swmod *m, struct swmod_regs *regs)
{
	struct swmod_pamt_entry *e;
	u64 hpa = regs->rcx, status;
	int ps;

	swmod_phymem_clear_out(regs);
	status = swmod_phymem_lock(m, hpa, false, false, &e, &ps);
	if (status)
		return status;
	regs->rcx = e->pt;
	regs->rdx = e->pt == SWMOD_PT_TDR ? hpa : swmod_pamt_owner(e);
	regs->r8 = ps;
	regs->r9 = e->bepoch;
	swmod_pamt_unlock(e, false);
	return SWMOD_TDX_SUCCESS;
}
