// SPDX-License-Identifier: GPL-2.0
/*
 * Software TDX module: TD helpers of the lower layer, shared by the TD
 * leaf groups (td_mng.c, td_vp.c, sept.c, measure.c, phymem.c), which
 * never call each other: locking a TD through its TDR, the build-state
 * gate, the Secure EPT walk and entry encoding, and MRTD hashing.
 *
 * Locking (all try-locks; contention is reported, never waited on):
 *   TDR       the TDR page's PAMT entry: exclusive for leaves that
 *             change TD-wide state (MNG.*, MR.FINALIZE), shared for
 *             the others; busy is TDX_OPERAND_BUSY | the operand id of
 *             the register holding the TDR, or | TDR when the TDR was
 *             found through another object (TDVPR, page owner)
 *   S-EPT     tdcs->sept_lock, the whole tree and MRTD: busy is
 *             TDX_OPERAND_BUSY | SEPT
 *   epoch     tdcs->epoch_lock: TDX_OPERAND_BUSY | TD_EPOCH
 *   KOT, KET, WBCACHE   in the instance (td_mng.c, phymem.c)
 */

#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/align.h>
#include <linux/compiler.h>

#include "swmod_td.h"
#include "swmod_platform.h"

void *swmod_page_va(struct swmod *m, u64 pa)
{
	return swmod_plat_pa_to_va(m->plat, pa, true);
}

static void swmod_td_fill(struct swmod *m, struct swmod_td *td, u64 tdr_pa,
			  struct swmod_pamt_entry *e, bool excl)
{
	td->tdr_pa = tdr_pa;
	td->tdr_pamt = e;
	td->excl = excl;
	td->tdr = swmod_page_va(m, tdr_pa);
	td->tdcs = NULL;
	if (READ_ONCE(td->tdr->num_tdcx) > SWMOD_TDCX_TDCS)
		td->tdcs = swmod_page_va(m, td->tdr->tdcx_pa[SWMOD_TDCX_TDCS]);
}

/*
 * The TDR in the register @opid: lock it, it must be PT_TDR, and the TD
 * must be in a state the leaf accepts (@need, SWMOD_TD_*).  On failure
 * nothing stays locked.
 */
u64 swmod_td_lock(struct swmod *m, u64 tdr_pa, u64 opid, bool excl,
		  u32 need, struct swmod_td *td)
{
	struct swmod_pamt_entry *e;
	u64 status;

	status = swmod_hpa_lock(m, tdr_pa, opid, excl, &e);
	if (status)
		return status;
	if (READ_ONCE(e->pt) != SWMOD_PT_TDR) {
		swmod_pamt_unlock(e, excl);
		return SWMOD_TDX_PAGE_METADATA_INCORRECT | opid;
	}
	swmod_td_fill(m, td, tdr_pa, e, excl);
	status = swmod_td_check(td, need);
	if (status)
		swmod_td_unlock(td);
	return status;
}

/*
 * The TDR of an object already locked (a TDVPR, an owned page): its
 * owner field is trusted, only the lock can fail.
 */
u64 swmod_td_lock_implicit(struct swmod *m, u64 tdr_pa, bool excl,
			   struct swmod_td *td)
{
	struct swmod_pamt_entry *e = swmod_pamt_get(m, tdr_pa, SWMOD_PS_4K);

	if (!e || !swmod_pamt_trylock(e, excl))
		return SWMOD_TDX_OPERAND_BUSY | SWMOD_OPERAND_ID_TDR;
	swmod_td_fill(m, td, tdr_pa, e, excl);
	return SWMOD_TDX_SUCCESS;
}

void swmod_td_unlock(struct swmod_td *td)
{
	swmod_pamt_unlock(td->tdr_pamt, td->excl);
}

/* The TD's state against a leaf's precondition mask (SWMOD_TD_*). */
u64 swmod_td_check(const struct swmod_td *td, u32 need)
{
	const struct swmod_tdr *tdr = td->tdr;

	if ((need & SWMOD_TD_LC_MASK) &&
	    !(need & SWMOD_TD_LC(READ_ONCE(tdr->lifecycle))))
		return SWMOD_TDX_LIFECYCLE_STATE_INCORRECT;
	if ((need & SWMOD_TD_ALIVE) && READ_ONCE(tdr->fatal))
		return SWMOD_TDX_TD_FATAL;
	if ((need & SWMOD_TD_KEYED) &&
	    READ_ONCE(tdr->lifecycle) != SWMOD_TD_KEYS_CONFIGURED)
		return SWMOD_TDX_TD_KEYS_NOT_CONFIGURED;
	if ((need & SWMOD_TD_INIT) && !READ_ONCE(tdr->init))
		return SWMOD_TDX_TD_NOT_INITIALIZED;
	if ((need & SWMOD_TD_NOT_INIT) && READ_ONCE(tdr->init))
		return SWMOD_TDX_TD_INITIALIZED;
	if ((need & SWMOD_TD_NOT_FINAL) && READ_ONCE(td->tdcs->finalized))
		return SWMOD_TDX_TD_FINALIZED;
	if ((need & SWMOD_TD_FINAL) && !READ_ONCE(td->tdcs->finalized))
		return SWMOD_TDX_TD_NOT_FINALIZED;
	return SWMOD_TDX_SUCCESS;
}

/*
 * Lock the TDVPR in register @opid (exclusive) and its TD (shared), and
 * check the TD against the leaf's precondition mask @need (SWMOD_TD_*).
 * On success both are locked; the caller unlocks with swmod_vp_unlock().
 * On failure nothing stays locked.
 */
u64 swmod_vp_lock(struct swmod *m, u64 tdvpr, u64 opid, u32 need,
		  struct swmod_pamt_entry **e, struct swmod_tdvps **vp,
		  struct swmod_td *td)
{
	u64 status;

	status = swmod_hpa_lock(m, tdvpr, opid, true, e);
	if (status)
		return status;
	if ((*e)->pt != SWMOD_PT_TDVPR) {
		status = SWMOD_TDX_PAGE_METADATA_INCORRECT | opid;
		goto err_unlock_vp;
	}
	*vp = swmod_page_va(m, tdvpr);
	status = swmod_td_lock_implicit(m, swmod_pamt_owner(*e), false, td);
	if (status)
		goto err_unlock_vp;
	status = swmod_td_check(td, need);
	if (status)
		goto err_unlock_td;
	return SWMOD_TDX_SUCCESS;

err_unlock_td:
	swmod_td_unlock(td);
err_unlock_vp:
	swmod_pamt_unlock(*e, true);
	return status;
}

void swmod_vp_unlock(struct swmod_pamt_entry *e, struct swmod_td *td)
{
	swmod_td_unlock(td);
	swmod_pamt_unlock(e, true);
}

void swmod_td_add_child(struct swmod_td *td, s64 nr_4k)
{
	swmod_plat_add_return64(&td->tdr->chldcnt, (u64)nr_4k);
}

/*
 * The page_info operand (GPA | level) of a memory leaf: reserved bits
 * clear, level in [@min_level, @max_level], GPA aligned to the level,
 * private (shared bit clear) and below the TD's GPA width.  All
 * failures are TDX_OPERAND_INVALID | RCX.
 */
u64 swmod_gpa_check(const struct swmod_td *td, u64 page_info,
		    unsigned int min_level, unsigned int max_level,
		    u64 *gpa, unsigned int *level)
{
	u64 g = page_info & ~(SWMOD_PAGE_INFO_LEVEL | SWMOD_PAGE_INFO_RSVD);
	unsigned int l = page_info & SWMOD_PAGE_INFO_LEVEL;

	if (page_info & SWMOD_PAGE_INFO_RSVD)
		return SWMOD_TDX_OPERAND_INVALID | SWMOD_OPERAND_ID_RCX;
	if (l < min_level || l > max_level)
		return SWMOD_TDX_OPERAND_INVALID | SWMOD_OPERAND_ID_RCX;
	if (!IS_ALIGNED(g, SWMOD_SZ_4K << (9 * l)))
		return SWMOD_TDX_OPERAND_INVALID | SWMOD_OPERAND_ID_RCX;
	if (g >= (td->tdcs->shared_bit << 1) || (g & td->tdcs->shared_bit))
		return SWMOD_TDX_OPERAND_INVALID | SWMOD_OPERAND_ID_RCX;
	*gpa = g;
	*level = l;
	return SWMOD_TDX_SUCCESS;
}

unsigned int swmod_sept_state(u64 entry)
{
	return (entry & SWMOD_SEPT_STATE_MASK) >> SWMOD_SEPT_STATE_SHIFT;
}

u64 swmod_sept_arch(u64 entry)
{
	return entry & ~SWMOD_SEPT_STATE_MASK;
}

u64 swmod_sept_pa(u64 entry)
{
	return entry & SWMOD_EPT_PA_MASK;
}

bool swmod_sept_is_leaf(u64 entry, unsigned int level)
{
	return level == SWMOD_SEPT_LVL_PT || (entry & SWMOD_EPT_LEAF);
}

/*
 * Encode an entry.  Present (MAPPED) entries are readable, writable and
 * executable; leaves are WB with IPAT.  BLOCKED and PENDING entries are
 * not present (RWX clear); a PENDING leaf suppresses #VE only when the
 * TD disabled S-EPT #VE (@sve).
 */
u64 swmod_sept_make(u64 pa, unsigned int level, bool leaf, unsigned int state,
		    bool sve)
{
	u64 e = pa & SWMOD_EPT_PA_MASK;

	if (leaf) {
		e |= SWMOD_EPT_MT_WB | SWMOD_EPT_IPAT;
		if (level > SWMOD_SEPT_LVL_PT)
			e |= SWMOD_EPT_LEAF;
	}
	if (sve)
		e |= SWMOD_EPT_SVE;
	e |= (u64)state << SWMOD_SEPT_STATE_SHIFT;
	return swmod_sept_set_state(e, state);
}

u64 swmod_sept_set_state(u64 entry, unsigned int state)
{
	entry &= ~(SWMOD_SEPT_STATE_MASK | SWMOD_EPT_RWX);
	if (state == SWMOD_SEPT_MAPPED)
		entry |= SWMOD_EPT_RWX;
	return entry | ((u64)state << SWMOD_SEPT_STATE_SHIFT);
}

/* RCX/RDX error details: the entry reached and {level, state}. */
void swmod_sept_details(u64 entry, unsigned int level, struct swmod_regs *regs)
{
	regs->rcx = swmod_sept_arch(entry);
	regs->rdx = level | (swmod_sept_state(entry) << 8);
}

void swmod_sept_fill_free(struct swmod *m, u64 pa)
{
	u64 *t = swmod_page_va(m, pa);
	unsigned int i;

	for (i = 0; i < SWMOD_SEPT_ENTRIES; i++)
		t[i] = SWMOD_SEPT_FREE_ENTRY;
}

static unsigned int swmod_sept_index(u64 gpa, unsigned int level)
{
	return (gpa >> (12 + 9 * level)) & (SWMOD_SEPT_ENTRIES - 1);
}

/*
 * Walk from the root (a table of level PWL) down to the entry of @gpa
 * at @level.  Only present non-leaf entries are walked through; any
 * other entry above @level stops the walk: TDX_EPT_WALK_FAILED | RCX
 * with that entry and its {level, state} in RCX/RDX.  Caller holds
 * the S-EPT lock.
 */
u64 swmod_sept_walk(struct swmod *m, struct swmod_td *td, u64 gpa,
		    unsigned int level, struct swmod_sept_walk *w,
		    struct swmod_regs *regs)
{
	u64 table = td->tdr->tdcx_pa[SWMOD_TDCX_SEPT_ROOT];
	unsigned int l = td->tdcs->pwl;
	u64 *entry;

	for (;; l--) {
		entry = (u64 *)swmod_page_va(m, table) +
			swmod_sept_index(gpa, l);
		if (l == level)
			break;
		if (swmod_sept_state(*entry) != SWMOD_SEPT_MAPPED ||
		    swmod_sept_is_leaf(*entry, l)) {
			swmod_sept_details(*entry, l, regs);
			return SWMOD_TDX_EPT_WALK_FAILED | SWMOD_OPERAND_ID_RCX;
		}
		table = swmod_sept_pa(*entry);
	}
	w->entry = entry;
	w->level = level;
	return SWMOD_TDX_SUCCESS;
}

/*
 * Has every vCPU left the epoch in which a page was blocked (BEPOCH
 * @bepoch)?  TD_EPOCH > b + 1, or TD_EPOCH == b + 1 with no vCPU
 * still counted in the previous epoch.
 */
bool swmod_td_tlb_tracked(const struct swmod_td *td, u64 bepoch)
{
	u64 epoch = READ_ONCE(td->tdcs->epoch);

	if (epoch > bepoch + 1)
		return true;
	return epoch == bepoch + 1 &&
	       !READ_ONCE(td->tdcs->refcount[(epoch - 1) & 1]);
}

/*
 * Extend MRTD with one 128-byte block: @tag zero-padded to 16 bytes,
 * the GPA at bytes 16-23, zeroes; then @len bytes of @data (0 or 256).
 * Caller holds the S-EPT lock, which serializes measurement.
 */
void swmod_td_measure(struct swmod *m, struct swmod_td *td, const char *tag,
		      u64 gpa, const void *data, size_t len)
{
	u8 block[128];

	memset(block, 0, sizeof(block));
	memcpy(block, tag, strnlen(tag, 16));
	memcpy(block + 16, &gpa, sizeof(gpa));
	swmod_plat_sha384_update(m->plat, td->tdcs->sha_ctx, block,
				 sizeof(block));
	if (len)
		swmod_plat_sha384_update(m->plat, td->tdcs->sha_ctx, data, len);
}

int swmod_td_mrtd(struct swmod *m, u64 tdr_pa, u8 *mrtd)
{
	struct swmod_pamt_entry *e;
	struct swmod_td td;

	if (!IS_ALIGNED(tdr_pa, SWMOD_SZ_4K))
		return -EINVAL;
	e = swmod_pamt_get(m, tdr_pa, SWMOD_PS_4K);
	if (!e || READ_ONCE(e->pt) != SWMOD_PT_TDR)
		return -EINVAL;
	swmod_td_fill(m, &td, tdr_pa, e, false);
	if (!td.tdcs || !READ_ONCE(td.tdcs->finalized))
		return -EINVAL;
	memcpy(mrtd, td.tdcs->mrtd, SWMOD_SHA384_SIZE);
	return 0;
}
