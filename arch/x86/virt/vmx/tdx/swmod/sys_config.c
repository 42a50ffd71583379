// SPDX-License-Identifier: GPL-2.0
/*
 * Software TDX module: TDH.SYS.CONFIG (and its TDMR rule checker),
 * TDH.SYS.KEY.CONFIG and TDH.SYS.TDMR.INIT.
 *
 * swmod_check_tdmrs() is pure: it sees decoded TDMRs, the CMR list and
 * the KeyID mask, nothing else, so the same rules can be driven by the
 * userspace tests, by KUnit or by an operator tool.
 */

#include <linux/types.h>
#include <linux/string.h>
#include <linux/align.h>
#include <linux/compiler.h>

#include "swmod_leaves.h"
#include "swmod_platform.h"

/* PAMT levels in the order SYS.CONFIG checks them. */
static const int swmod_pamt_order[SWMOD_PS_NR] = {
	SWMOD_PS_1G, SWMOD_PS_2M, SWMOD_PS_4K,
};

u64 swmod_pamt_min_size(u64 tdmr_size, int ps)
{
	return (tdmr_size >> (12 + 9 * ps)) * SWMOD_PAMT_ENTRY_SIZE;
}

void swmod_tdmr_decode(const struct swmod_tdmr_info *info, struct swmod_tdmr *t)
{
	memset(t, 0, sizeof(*t));
	t->base = info->base;
	t->size = info->size;
	t->pamt_base[SWMOD_PS_1G] = info->pamt_1g_base;
	t->pamt_size[SWMOD_PS_1G] = info->pamt_1g_size;
	t->pamt_base[SWMOD_PS_2M] = info->pamt_2m_base;
	t->pamt_size[SWMOD_PS_2M] = info->pamt_2m_size;
	t->pamt_base[SWMOD_PS_4K] = info->pamt_4k_base;
	t->pamt_size[SWMOD_PS_4K] = info->pamt_4k_size;
	memcpy(t->rsvd, info->rsvd, sizeof(t->rsvd));
	/* Raw: the checker walks all areas; fixed up on commit. */
	t->nr_rsvd = SWMOD_MAX_RESERVED_PER_TDMR;
}

/*
 * An address range the module can name: no wrap, every byte below
 * 2^52, no KeyID bits in its first or last byte.  The doc says "base
 * or end >= 2^52"; we read "end" as the last byte, so memory may reach
 * the very top of the 52-bit space.
 */
static bool swmod_range_addressable(u64 base, u64 size, u64 hkid_mask)
{
	u64 last = base + size - 1;

	if (!size)
		return !(base >> SWMOD_MAX_PA) && !(base & hkid_mask);
	return !(last >> SWMOD_MAX_PA) && !(base & hkid_mask) &&
	       !(last & hkid_mask);
}

static bool swmod_ranges_overlap(u64 b1, u64 s1, u64 b2, u64 s2)
{
	return b1 < b2 + s2 && b2 < b1 + s1;
}

/*
 * Does [start, end) touch a non-reserved byte of @t?  Requires the
 * reserved areas of @t to have passed their checks (sorted, disjoint).
 */
static bool swmod_overlaps_usable(const struct swmod_tdmr *t, u64 start,
				  u64 end)
{
	u64 tb = t->base, te = t->base + t->size, cur;
	unsigned int j;

	if (end <= tb || start >= te)
		return false;
	cur = start > tb ? start : tb;
	if (end > te)
		end = te;

	for (j = 0; j < SWMOD_MAX_RESERVED_PER_TDMR && cur < end; j++) {
		u64 rs = tb + t->rsvd[j].offset;
		u64 re = rs + t->rsvd[j].size;

		if (!t->rsvd[j].size)
			break;
		if (re <= cur)
			continue;
		if (rs > cur)
			return true;
		cur = re;
	}
	return cur < end;
}

/*
 * Is [start, end) inside one CMR, treating CMRs that touch as one?
 * An empty range is trivially inside (the 1.5 fix for zero-length
 * gaps between adjacent reserved areas, which we adopt).
 */
static bool swmod_in_cmrs(const struct swmod_cmr_info *cmrs, unsigned int nr,
			  u64 start, u64 end)
{
	unsigned int i;

	if (start >= end)
		return true;
	for (i = 0; i < nr && cmrs[i].size; i++) {
		u64 ce = cmrs[i].base + cmrs[i].size;

		if (start < cmrs[i].base || start >= ce)
			continue;
		while (end > ce && i + 1 < nr && cmrs[i + 1].size &&
		       cmrs[i + 1].base == ce) {
			i++;
			ce = cmrs[i].base + cmrs[i].size;
		}
		return end <= ce;
	}
	return false;
}

/* Every non-reserved part of @t inside CMRs.  Same adjacency rule. */
static bool swmod_usable_in_cmrs(const struct swmod_tdmr *t,
				 const struct swmod_cmr_info *cmrs,
				 unsigned int nr)
{
	u64 cur = t->base, te = t->base + t->size;
	unsigned int j;

	for (j = 0; j < SWMOD_MAX_RESERVED_PER_TDMR && t->rsvd[j].size; j++) {
		u64 rs = t->base + t->rsvd[j].offset;

		if (!swmod_in_cmrs(cmrs, nr, cur, rs))
			return false;
		cur = rs + t->rsvd[j].size;
	}
	return swmod_in_cmrs(cmrs, nr, cur, te);
}

/* TDMR base/size and order against the previous TDMR (info: i). */
static u64 swmod_check_tdmr_range(const struct swmod_tdmr *tdmrs,
				  unsigned int i, u64 hkid_mask)
{
	const struct swmod_tdmr *t = &tdmrs[i];
	u64 err = SWMOD_STATUS_INFO(SWMOD_TDX_INVALID_TDMR, i, 0, 0);

	if (t->base + t->size < t->base)
		return err;
	if (i) {
		const struct swmod_tdmr *p = &tdmrs[i - 1];

		/* Adjacent TDMRs are fine, overlapping ones are not. */
		if (t->base < p->base || t->base < p->base + p->size)
			return SWMOD_STATUS_INFO(SWMOD_TDX_NON_ORDERED_TDMR,
						 i, 0, 0);
	}
	if (!t->size || !IS_ALIGNED(t->base, SWMOD_TDMR_ALIGN) ||
	    !IS_ALIGNED(t->size, SWMOD_TDMR_ALIGN))
		return err;
	if (!swmod_range_addressable(t->base, t->size, hkid_mask))
		return err;
	return SWMOD_TDX_SUCCESS;
}

/* Reserved areas of TDMR i (info: i, j). */
static u64 swmod_check_rsvd(const struct swmod_tdmr *t, unsigned int i)
{
	u64 prev_off = 0, prev_size = 0;
	bool null_seen = false, have_prev = false;
	unsigned int j;

	for (j = 0; j < SWMOD_MAX_RESERVED_PER_TDMR; j++) {
		u64 off = t->rsvd[j].offset, size = t->rsvd[j].size;

		/* A null area ends the list; its offset is ignored. */
		if (!size) {
			null_seen = true;
			continue;
		}
		if (null_seen)
			return SWMOD_STATUS_INFO(SWMOD_TDX_NON_ORDERED_RESERVED_IN_TDMR,
						 i, j, 0);
		if (off + size < off)
			return SWMOD_STATUS_INFO(SWMOD_TDX_INVALID_RESERVED_IN_TDMR,
						 i, j, 0);
		if (have_prev && (off < prev_off || off < prev_off + prev_size))
			return SWMOD_STATUS_INFO(SWMOD_TDX_NON_ORDERED_RESERVED_IN_TDMR,
						 i, j, 0);
		if (!IS_ALIGNED(off, SWMOD_SZ_4K) || !IS_ALIGNED(size, SWMOD_SZ_4K))
			return SWMOD_STATUS_INFO(SWMOD_TDX_INVALID_RESERVED_IN_TDMR,
						 i, j, 0);
		if (off + size > t->size)
			return SWMOD_STATUS_INFO(SWMOD_TDX_INVALID_RESERVED_IN_TDMR,
						 i, j, 0);
		prev_off = off;
		prev_size = size;
		have_prev = true;
	}
	return SWMOD_TDX_SUCCESS;
}

/* Each PAMT level on its own (info: i, page size). */
static u64 swmod_check_pamt_fields(const struct swmod_tdmr *t, unsigned int i,
				   u64 hkid_mask)
{
	unsigned int l;

	for (l = 0; l < SWMOD_PS_NR; l++) {
		int ps = swmod_pamt_order[l];
		u64 base = t->pamt_base[ps], size = t->pamt_size[ps];

		if (base + size < base ||
		    !IS_ALIGNED(base, SWMOD_SZ_4K) ||
		    !IS_ALIGNED(size, SWMOD_SZ_4K) ||
		    !swmod_range_addressable(base, size, hkid_mask) ||
		    size < swmod_pamt_min_size(t->size, ps))
			return SWMOD_STATUS_INFO(SWMOD_TDX_INVALID_PAMT, i, ps, 0);
	}
	return SWMOD_TDX_SUCCESS;
}

/*
 * PAMT overlaps.  The doc gives the rules; the iteration order within
 * them is ours (info: i, page size, other TDMR index):
 *  a) PAMT (i, L) against every PAMT of TDMRs 0..i, TDMR by TDMR in
 *     ascending order, levels 1G/2M/4K, and for TDMR i only the levels
 *     checked before L;
 *  b) PAMT (i, L) against the non-reserved part of TDMRs 0..i;
 *  c) every PAMT of TDMRs 0..i-1 against the non-reserved part of
 *     TDMR i; here byte1 is the page size of the earlier PAMT and
 *     byte2 the TDMR that owns it.
 */
static u64 swmod_check_pamt_overlap(const struct swmod_tdmr *tdmrs,
				    unsigned int i)
{
	const struct swmod_tdmr *t = &tdmrs[i];
	unsigned int l, k, l2;

	for (l = 0; l < SWMOD_PS_NR; l++) {
		int ps = swmod_pamt_order[l];

		for (k = 0; k <= i; k++) {
			for (l2 = 0; l2 < SWMOD_PS_NR; l2++) {
				int ps2 = swmod_pamt_order[l2];

				if (k == i && l2 >= l)
					break;
				if (swmod_ranges_overlap(t->pamt_base[ps],
							 t->pamt_size[ps],
							 tdmrs[k].pamt_base[ps2],
							 tdmrs[k].pamt_size[ps2]))
					return SWMOD_STATUS_INFO(SWMOD_TDX_PAMT_OVERLAP,
								 i, ps, k);
			}
		}
	}

	for (l = 0; l < SWMOD_PS_NR; l++) {
		int ps = swmod_pamt_order[l];
		u64 pb = t->pamt_base[ps], pe = pb + t->pamt_size[ps];

		for (k = 0; k <= i; k++)
			if (swmod_overlaps_usable(&tdmrs[k], pb, pe))
				return SWMOD_STATUS_INFO(SWMOD_TDX_PAMT_OVERLAP,
							 i, ps, k);
	}

	for (k = 0; k < i; k++) {
		for (l = 0; l < SWMOD_PS_NR; l++) {
			int ps = swmod_pamt_order[l];
			u64 pb = tdmrs[k].pamt_base[ps];

			if (swmod_overlaps_usable(t, pb,
						  pb + tdmrs[k].pamt_size[ps]))
				return SWMOD_STATUS_INFO(SWMOD_TDX_PAMT_OVERLAP,
							 i, ps, k);
		}
	}
	return SWMOD_TDX_SUCCESS;
}

/*
 * The TDH.SYS.CONFIG rules for TDMRs 0..nr-1, TDMR by TDMR, each in the
 * doc's order: range, order, alignment; reserved areas; PAMT fields;
 * PAMT overlaps; PAMTs in CMRs; non-reserved memory in CMRs.
 */
u64 swmod_check_tdmrs(const struct swmod_tdmr *tdmrs, unsigned int nr,
		      const struct swmod_cmr_info *cmrs, unsigned int nr_cmrs,
		      u64 hkid_mask)
{
	unsigned int i, l;
	u64 st;

	for (i = 0; i < nr; i++) {
		const struct swmod_tdmr *t = &tdmrs[i];

		st = swmod_check_tdmr_range(tdmrs, i, hkid_mask);
		if (st)
			return st;
		st = swmod_check_rsvd(t, i);
		if (st)
			return st;
		st = swmod_check_pamt_fields(t, i, hkid_mask);
		if (st)
			return st;
		st = swmod_check_pamt_overlap(tdmrs, i);
		if (st)
			return st;
		for (l = 0; l < SWMOD_PS_NR; l++) {
			int ps = swmod_pamt_order[l];
			u64 pb = t->pamt_base[ps];

			if (!swmod_in_cmrs(cmrs, nr_cmrs, pb,
					   pb + t->pamt_size[ps]))
				return SWMOD_STATUS_INFO(SWMOD_TDX_PAMT_OUTSIDE_CMRS,
							 i, ps, 0);
		}
		if (!swmod_usable_in_cmrs(t, cmrs, nr_cmrs))
			return SWMOD_STATUS_INFO(SWMOD_TDX_TDMR_OUTSIDE_CMRS,
						 i, 0, 0);
	}
	return SWMOD_TDX_SUCCESS;
}

/* Read and decode the host's TDMR_INFO PA array into cfg_tdmrs[]. */
static u64 swmod_config_read(struct swmod *m, u64 array_pa, unsigned int nr)
{
	struct swmod_tdmr_info info;
	unsigned int i;

	swmod_mem_read(m, swmod_pa_strip_keyid(m, array_pa), m->cfg_pa,
		       nr * sizeof(u64));
	/*
	 * All pointers are checked before any TDMR_INFO is read or any
	 * TDMR rule applied (the doc describes the copy as a step before
	 * the per-TDMR checks).
	 */
	for (i = 0; i < nr; i++)
		if (!IS_ALIGNED(m->cfg_pa[i], SWMOD_TDMR_INFO_ALIGN) ||
		    !swmod_pa_is_shared(m, m->cfg_pa[i]))
			return SWMOD_TDX_OPERAND_INVALID | SWMOD_OPERAND_ID_RCX;
	for (i = 0; i < nr; i++) {
		swmod_mem_read(m, swmod_pa_strip_keyid(m, m->cfg_pa[i]), &info,
			       sizeof(info));
		swmod_tdmr_decode(&info, &m->cfg_tdmrs[i]);
	}
	return SWMOD_TDX_SUCCESS;
}

static void swmod_config_commit(struct swmod *m, unsigned int nr, u16 hkid)
{
	unsigned int i, j;

	for (i = 0; i < nr; i++) {
		struct swmod_tdmr *src = &m->cfg_tdmrs[i], *dst = &m->tdmrs[i];

		for (j = 0; j < SWMOD_MAX_RESERVED_PER_TDMR; j++)
			if (!src->rsvd[j].size)
				break;
		dst->base = src->base;
		dst->size = src->size;
		memcpy(dst->pamt_base, src->pamt_base, sizeof(dst->pamt_base));
		memcpy(dst->pamt_size, src->pamt_size, sizeof(dst->pamt_size));
		memset(dst->rsvd, 0, sizeof(dst->rsvd));
		memcpy(dst->rsvd, src->rsvd, j * sizeof(dst->rsvd[0]));
		dst->nr_rsvd = j;
		dst->next = src->base;
	}
	m->nr_tdmrs = nr;
	m->global_hkid = hkid;
	m->kot[hkid] = SWMOD_KOT_RESERVED;
	m->pkg_configured = 0;
	WRITE_ONCE(m->sys_state, SWMOD_SYSCONFIG_DONE);
}

/*
 * TDH.SYS.CONFIG.  RCX = PA of the TDMR_INFO PA array, RDX = number of
 * TDMRs, R8 = global private HKID.  No output registers.
 *
 * Decision (the doc is silent): a failed SYS.CONFIG changes nothing.
 * The table is built in cfg_tdmrs[] and committed, together with the
 * KOT reservation of the global HKID (which the doc places before the
 * TDMR checks), only once every rule passed.  The module stays in
 * SYSINIT_DONE, so the host may fix its layout and call SYS.CONFIG
 * again; LP.INIT also remains possible.  A 1.0 host (Linux) does not
 * retry, so nothing depends on this.
 */
u64 swmod_sys_config(struct swmod *m, struct swmod_regs *regs)
{
	u64 array_pa = regs->rcx, nr = regs->rdx, hkid = regs->r8, status;

	if (!swmod_trylock(&m->global_lock, true))
		return SWMOD_TDX_SYS_BUSY;

	if (m->sys_state != SWMOD_SYSINIT_DONE ||
	    READ_ONCE(m->nr_init_lps) < m->nr_enabled_lps) {
		status = SWMOD_TDX_SYS_CONFIG_NOT_PENDING;
		goto out_unlock;
	}
	if (!IS_ALIGNED(array_pa, SWMOD_TDMR_INFO_PA_ARRAY_ALIGN) ||
	    !swmod_pa_is_shared(m, array_pa)) {
		status = SWMOD_TDX_OPERAND_INVALID | SWMOD_OPERAND_ID_RCX;
		goto out_unlock;
	}
	if (!nr || nr > SWMOD_MAX_TDMRS) {
		status = SWMOD_TDX_OPERAND_INVALID | SWMOD_OPERAND_ID_RDX;
		goto out_unlock;
	}
	if (hkid >> 16 || hkid < m->private_hkid_min ||
	    hkid > m->private_hkid_max) {
		status = SWMOD_TDX_OPERAND_INVALID | SWMOD_OPERAND_ID_R8;
		goto out_unlock;
	}

	status = swmod_config_read(m, array_pa, nr);
	if (status)
		goto out_unlock;
	status = swmod_check_tdmrs(m->cfg_tdmrs, nr, m->cmrs, SWMOD_MAX_CMRS,
				   m->hkid_mask);
	if (status)
		goto out_unlock;

	swmod_config_commit(m, nr, hkid);

out_unlock:
	swmod_unlock(&m->global_lock, true);
	return status;
}

/*
 * TDH.SYS.KEY.CONFIG: once per package, exclusive global lock, only in
 * SYSCONFIG_DONE.  A repeat on a configured package is the non-error
 * TDX_KEY_CONFIGURED.  The PCONFIG step is the entropy fault point
 * (TDX_KEY_GENERATION_FAILED or TDX_OPERAND_BUSY|KET): the package stays
 * unconfigured and the host may retry.  The last package makes the
 * module SYS_READY.
 */
u64 swmod_sys_key_config(struct swmod *m, struct swmod_regs *regs)
{
	unsigned int pkg = m->lps[swmod_cur_lp(m)].pkg;
	u64 status = SWMOD_TDX_SUCCESS;

	if (!swmod_trylock(&m->global_lock, true))
		return SWMOD_TDX_SYS_BUSY;

	if (m->sys_state != SWMOD_SYSCONFIG_DONE) {
		status = SWMOD_TDX_SYS_KEY_CONFIG_NOT_PENDING;
		goto out_unlock;
	}
	m->stats.key_config_calls[pkg]++;	/* under the exclusive lock */
	if (m->pkg_configured & (1U << pkg)) {
		status = SWMOD_TDX_KEY_CONFIGURED;
		goto out_unlock;
	}
	if (swmod_fault_fire(m, SWMOD_TDH_SYS_KEY_CONFIG,
			     SWMOD_FAULT_AT_ENTROPY, &status))
		goto out_unlock;

	m->pkg_configured |= 1U << pkg;
	m->stats.key_config_done[pkg]++;
	if (m->pkg_configured == (1U << m->nr_pkgs) - 1)
		WRITE_ONCE(m->sys_state, SWMOD_SYS_READY);

out_unlock:
	swmod_unlock(&m->global_lock, true);
	return status;
}

/*
 * TDH.SYS.TDMR.INIT: RCX = base of a configured TDMR.  Each call
 * initializes the PAMT entries of the next 4 MiB of that TDMR and
 * returns in RDX the next address to initialize rounded down to 1 GiB.
 * Progress is per TDMR, under a per-TDMR try-lock
 * (TDX_OPERAND_BUSY|RCX).  Once done, TDX_TDMR_ALREADY_INITIALIZED; the
 * doc does not say what RDX holds then, we return the TDMR end so that
 * a host loop "while (rdx < end)" terminates.
 */
u64 swmod_sys_tdmr_init(struct swmod *m, struct swmod_regs *regs)
{
	u64 base = regs->rcx, end, next, status = SWMOD_TDX_SUCCESS;
	struct swmod_tdmr *t = NULL;
	unsigned int i;

	if (!IS_ALIGNED(base, SWMOD_TDMR_ALIGN) || (base >> SWMOD_MAX_PA) ||
	    (base & m->hkid_mask))
		return SWMOD_TDX_OPERAND_INVALID | SWMOD_OPERAND_ID_RCX;
	for (i = 0; i < m->nr_tdmrs; i++) {
		if (m->tdmrs[i].base == base) {
			t = &m->tdmrs[i];
			break;
		}
	}
	if (!t)
		return SWMOD_TDX_OPERAND_INVALID | SWMOD_OPERAND_ID_RCX;
	if (!swmod_trylock(&t->lock, true))
		return SWMOD_TDX_OPERAND_BUSY | SWMOD_OPERAND_ID_RCX;

	end = t->base + t->size;
	if (t->next >= end) {
		regs->rdx = end;
		status = SWMOD_TDX_TDMR_ALREADY_INITIALIZED;
		goto out_unlock;
	}

	next = t->next + SWMOD_TDMR_INIT_ENTRIES * SWMOD_SZ_4K;
	swmod_pamt_init_chunk(m, t, t->next, next);
	/* Entries first, then progress: readers use next to trust them. */
	WRITE_ONCE(t->next, next);
	regs->rdx = ALIGN_DOWN(next, SWMOD_SZ_1G);

out_unlock:
	swmod_unlock(&t->lock, true);
	return status;
}
