// SPDX-License-Identifier: GPL-2.0
/*
 * The mutation catalogue: each entry breaks exactly one TDH.SYS.CONFIG
 * rule of a valid layout and knows the status (with info bytes) that
 * rule produces.  Preconditions that keep earlier rules intact are
 * spelled out next to each mutation.  The catalogue relies on the
 * properties every valid layout has regardless of order: PAMTs never
 * overlap each other or any TDMR's non-reserved memory, and everything
 * the rules require to be in CMRs is.
 *
 * The operand mutations assume env_default_config()'s KeyIDs
 * (MKTME 1..15, private 16..63).
 */
#include <string.h>

#include "tlib.h"

#define ST(code, b0, b1, b2)	SWMOD_STATUS_INFO(code, b0, b1, b2)

static const int check_order[SWMOD_PS_NR] = { SWMOD_PS_1G, SWMOD_PS_2M, SWMOD_PS_4K };

static int level_rank(int ps)
{
	return 2 - ps;	/* 1G first */
}

static struct swmod_tdmr_info *T(struct layout *l, int i)
{
	return &l->tdmrs[i];
}

static bool overlaps(u64 b1, u64 e1, u64 b2, u64 e2)
{
	return b1 < e2 && b2 < e1;
}

static bool pick_tdmr(struct layout *l, struct rng *r, struct mparams *p, int min)
{
	if ((int)l->nr_tdmrs <= min)
		return false;
	if (r)
		p->i = rng_range(r, min, l->nr_tdmrs - 1);
	return p->i >= min && p->i < (int)l->nr_tdmrs;
}

static void pick_ps(struct rng *r, struct mparams *p)
{
	if (r)
		p->ps = rng_range(r, 0, SWMOD_PS_NR - 1);
}

/* TDMR i with at least @need areas; j in [jmin, nr - 1 - tail]. */
static bool pick_rsvd(struct layout *l, struct rng *r, struct mparams *p,
		      int jmin, int tail)
{
	int need = jmin + 1 + tail, n;

	if (r) {
		int cand[SWMOD_MAX_TDMRS], nc = 0, i;

		for (i = 0; i < (int)l->nr_tdmrs; i++)
			if ((int)lay_nr_rsvd(T(l, i)) >= need)
				cand[nc++] = i;
		if (!nc)
			return false;
		p->i = cand[rng_range(r, 0, nc - 1)];
		n = lay_nr_rsvd(T(l, p->i));
		p->j = rng_range(r, jmin, n - 1 - tail);
	}
	if (p->i < 0 || p->i >= (int)l->nr_tdmrs)
		return false;
	n = lay_nr_rsvd(T(l, p->i));
	return n >= need && p->j >= jmin && p->j <= n - 1 - tail;
}

/* TDMR [base, end) minus reserved areas: the @nth usable piece. */
static bool usable_piece(struct swmod_tdmr_info *t, u64 minsize, u64 *pb)
{
	u64 cur = t->base;
	unsigned int j, n = lay_nr_rsvd(t);

	for (j = 0; j <= n; j++) {
		u64 end = j < n ? t->base + t->rsvd[j].offset : t->base + t->size;

		if (end > cur && end - cur >= minsize) {
			*pb = cur;
			return true;
		}
		if (j < n)
			cur = t->base + t->rsvd[j].offset + t->rsvd[j].size;
	}
	return false;
}

static u64 top_of_everything(struct layout *l)
{
	u64 top = 0;
	unsigned int i;
	int ps;

	for (i = 0; i < l->nr_cmrs; i++)
		if (l->cmrs[i].base + l->cmrs[i].size > top)
			top = l->cmrs[i].base + l->cmrs[i].size;
	for (i = 0; i < l->nr_tdmrs; i++) {
		if (T(l, i)->base + T(l, i)->size > top)
			top = T(l, i)->base + T(l, i)->size;
		for (ps = 0; ps < SWMOD_PS_NR; ps++)
			if (*lay_pamt_base(T(l, i), ps) + *lay_pamt_size(T(l, i), ps) > top)
				top = *lay_pamt_base(T(l, i), ps) + *lay_pamt_size(T(l, i), ps);
	}
	return ((top + SZ_1G - 1) & ~(SZ_1G - 1)) + SZ_1G;
}

static bool in_cmrs_merged(struct layout *l, u64 b, u64 e)
{
	unsigned int c;

	for (c = 0; c < l->nr_cmrs; c++) {
		u64 ce = l->cmrs[c].base + l->cmrs[c].size;

		if (b < l->cmrs[c].base || b >= ce)
			continue;
		while (e > ce && c + 1 < l->nr_cmrs && l->cmrs[c + 1].base == ce) {
			c++;
			ce = l->cmrs[c].base + l->cmrs[c].size;
		}
		return e <= ce;
	}
	return false;
}

/* Does [b, e) touch a PAMT of TDMRs 0..upto, other than (xi, xps)? */
static bool hits_any_pamt(struct layout *l, int upto, u64 b, u64 e, int xi, int xps)
{
	int i, ps;

	for (i = 0; i <= upto && i < (int)l->nr_tdmrs; i++)
		for (ps = 0; ps < SWMOD_PS_NR; ps++) {
			u64 pb = *lay_pamt_base(T(l, i), ps);

			if (i == xi && ps == xps)
				continue;
			if (overlaps(b, e, pb, pb + *lay_pamt_size(T(l, i), ps)))
				return true;
		}
	return false;
}

/* ---- TDMR range and order ---- */

/* Precondition base > 0; size = ~0 makes base + size wrap. */
static bool m_tdmr_overflow(struct layout *l, struct rng *r, struct mparams *p,
			    unsigned int hs, u64 *exp)
{
	if (!pick_tdmr(l, r, p, 0))
		return false;
	if (!T(l, p->i)->base) {
		if (!r || !pick_tdmr(l, r, p, 1) || !T(l, p->i)->base)
			return false;
	}
	T(l, p->i)->size = ~0ULL;
	*exp = ST(SWMOD_TDX_INVALID_TDMR, p->i, 0, 0);
	return true;
}

static bool m_tdmr_unordered(struct layout *l, struct rng *r, struct mparams *p,
			     unsigned int hs, u64 *exp)
{
	struct swmod_tdmr_info tmp;

	if (!pick_tdmr(l, r, p, 1))
		return false;
	tmp = *T(l, p->i);
	*T(l, p->i) = *T(l, p->i - 1);
	*T(l, p->i - 1) = tmp;
	*exp = ST(SWMOD_TDX_NON_ORDERED_TDMR, p->i, 0, 0);
	return true;
}

/* Start TDMR i 1G before the end of TDMR i-1, keep its end. */
static bool m_tdmr_overlap(struct layout *l, struct rng *r, struct mparams *p,
			   unsigned int hs, u64 *exp)
{
	struct swmod_tdmr_info *t, *prev;
	u64 end, nb;

	if (!pick_tdmr(l, r, p, 1))
		return false;
	t = T(l, p->i);
	prev = T(l, p->i - 1);
	end = t->base + t->size;
	nb = prev->base + prev->size - SZ_1G;
	t->base = nb;
	t->size = end - nb;
	*exp = ST(SWMOD_TDX_NON_ORDERED_TDMR, p->i, 0, 0);
	return true;
}

static bool m_tdmr_base_unaligned(struct layout *l, struct rng *r, struct mparams *p,
				  unsigned int hs, u64 *exp)
{
	if (!pick_tdmr(l, r, p, 0))
		return false;
	T(l, p->i)->base += SZ_2M;
	*exp = ST(SWMOD_TDX_INVALID_TDMR, p->i, 0, 0);
	return true;
}

static bool m_tdmr_size_unaligned(struct layout *l, struct rng *r, struct mparams *p,
				  unsigned int hs, u64 *exp)
{
	if (!pick_tdmr(l, r, p, 0))
		return false;
	T(l, p->i)->size -= SZ_4K;
	*exp = ST(SWMOD_TDX_INVALID_TDMR, p->i, 0, 0);
	return true;
}

static bool m_tdmr_size_zero(struct layout *l, struct rng *r, struct mparams *p,
			     unsigned int hs, u64 *exp)
{
	if (!pick_tdmr(l, r, p, 0))
		return false;
	T(l, p->i)->size = 0;
	*exp = ST(SWMOD_TDX_INVALID_TDMR, p->i, 0, 0);
	return true;
}

static bool m_tdmr_hkid(struct layout *l, struct rng *r, struct mparams *p,
			unsigned int hs, u64 *exp)
{
	if (!pick_tdmr(l, r, p, 0))
		return false;
	T(l, p->i)->base |= 1ULL << hs;
	*exp = ST(SWMOD_TDX_INVALID_TDMR, p->i, 0, 0);
	return true;
}

static bool m_tdmr_beyond_maxpa(struct layout *l, struct rng *r, struct mparams *p,
				unsigned int hs, u64 *exp)
{
	if (!pick_tdmr(l, r, p, 0))
		return false;
	T(l, p->i)->base = 1ULL << SWMOD_MAX_PA;
	*exp = ST(SWMOD_TDX_INVALID_TDMR, p->i, 0, 0);
	return true;
}

/* ---- reserved areas ---- */

/* Null area j while j+1 is live: reported at j+1. */
static bool m_rsvd_null_gap(struct layout *l, struct rng *r, struct mparams *p,
			    unsigned int hs, u64 *exp)
{
	if (!pick_rsvd(l, r, p, 0, 1))
		return false;
	T(l, p->i)->rsvd[p->j].size = 0;
	*exp = ST(SWMOD_TDX_NON_ORDERED_RESERVED_IN_TDMR, p->i, p->j + 1, 0);
	return true;
}

/* Precondition offset > 0 so that size = ~0 wraps. */
static bool m_rsvd_overflow(struct layout *l, struct rng *r, struct mparams *p,
			    unsigned int hs, u64 *exp)
{
	if (!pick_rsvd(l, r, p, 0, 0))
		return false;
	if (!T(l, p->i)->rsvd[p->j].offset) {
		if (!r || !pick_rsvd(l, r, p, 1, 0))
			return false;
	}
	T(l, p->i)->rsvd[p->j].size = ~0ULL;
	*exp = ST(SWMOD_TDX_INVALID_RESERVED_IN_TDMR, p->i, p->j, 0);
	return true;
}

static bool m_rsvd_unordered(struct layout *l, struct rng *r, struct mparams *p,
			     unsigned int hs, u64 *exp)
{
	struct swmod_tdmr_rsvd_area tmp;
	struct swmod_tdmr_info *t;

	if (!pick_rsvd(l, r, p, 1, 0))
		return false;
	t = T(l, p->i);
	tmp = t->rsvd[p->j];
	t->rsvd[p->j] = t->rsvd[p->j - 1];
	t->rsvd[p->j - 1] = tmp;
	*exp = ST(SWMOD_TDX_NON_ORDERED_RESERVED_IN_TDMR, p->i, p->j, 0);
	return true;
}

/* Grow area j-1 4K into area j; it stays inside the TDMR. */
static bool m_rsvd_overlap(struct layout *l, struct rng *r, struct mparams *p,
			   unsigned int hs, u64 *exp)
{
	struct swmod_tdmr_info *t;

	if (!pick_rsvd(l, r, p, 1, 0))
		return false;
	t = T(l, p->i);
	t->rsvd[p->j - 1].size = t->rsvd[p->j].offset - t->rsvd[p->j - 1].offset + SZ_4K;
	*exp = ST(SWMOD_TDX_NON_ORDERED_RESERVED_IN_TDMR, p->i, p->j, 0);
	return true;
}

static bool m_rsvd_off_unaligned(struct layout *l, struct rng *r, struct mparams *p,
				 unsigned int hs, u64 *exp)
{
	if (!pick_rsvd(l, r, p, 0, 0))
		return false;
	T(l, p->i)->rsvd[p->j].offset += 0x800;
	*exp = ST(SWMOD_TDX_INVALID_RESERVED_IN_TDMR, p->i, p->j, 0);
	return true;
}

static bool m_rsvd_size_unaligned(struct layout *l, struct rng *r, struct mparams *p,
				  unsigned int hs, u64 *exp)
{
	if (!pick_rsvd(l, r, p, 0, 0))
		return false;
	T(l, p->i)->rsvd[p->j].size += 0x800;
	*exp = ST(SWMOD_TDX_INVALID_RESERVED_IN_TDMR, p->i, p->j, 0);
	return true;
}

/* Last area ends 4K past the TDMR. */
static bool m_rsvd_outside(struct layout *l, struct rng *r, struct mparams *p,
			   unsigned int hs, u64 *exp)
{
	struct swmod_tdmr_info *t;

	if (!pick_rsvd(l, r, p, 0, 0))
		return false;
	t = T(l, p->i);
	p->j = lay_nr_rsvd(t) - 1;
	t->rsvd[p->j].size = t->size - t->rsvd[p->j].offset + SZ_4K;
	*exp = ST(SWMOD_TDX_INVALID_RESERVED_IN_TDMR, p->i, p->j, 0);
	return true;
}

/* ---- PAMT fields ---- */

#define PAMT_FIELD_MUTATION(fn, stmt)					\
static bool fn(struct layout *l, struct rng *r, struct mparams *p,	\
	       unsigned int hs, u64 *exp)				\
{									\
	u64 *base, *size, tsize;					\
									\
	if (!pick_tdmr(l, r, p, 0))					\
		return false;						\
	pick_ps(r, p);							\
	base = lay_pamt_base(T(l, p->i), p->ps);			\
	size = lay_pamt_size(T(l, p->i), p->ps);			\
	tsize = T(l, p->i)->size;					\
	(void)tsize, (void)base, (void)size;				\
	stmt;								\
	*exp = ST(SWMOD_TDX_INVALID_PAMT, p->i, p->ps, 0);		\
	return true;							\
}

PAMT_FIELD_MUTATION(m_pamt_overflow, *size = ~0ULL)
PAMT_FIELD_MUTATION(m_pamt_base_unaligned, *base += 0x100)
PAMT_FIELD_MUTATION(m_pamt_size_unaligned, *size += 0x10)
PAMT_FIELD_MUTATION(m_pamt_too_small,
		    *size = lay_pamt_kernel_size(tsize, p->ps) - SZ_4K)
PAMT_FIELD_MUTATION(m_pamt_hkid, *base |= 1ULL << hs)
PAMT_FIELD_MUTATION(m_pamt_beyond_maxpa, *base = 1ULL << SWMOD_MAX_PA)

/* ---- PAMT overlaps ---- */

/*
 * Move PAMT (i, ps) onto PAMT (k, ps2), with k < i or (k == i and ps2
 * checked before ps).  If the moved PAMT covers several, the first in
 * the checker's documented order (TDMR ascending, 1G/2M/4K) is named.
 */
static bool m_pamt_overlap_pamt(struct layout *l, struct rng *r, struct mparams *p,
				unsigned int hs, u64 *exp)
{
	u64 b, e;
	int k, li;

	if (r) {
		if (!pick_tdmr(l, r, p, 0))
			return false;
		pick_ps(r, p);
		p->k = rng_range(r, 0, p->i);
		p->ps2 = rng_range(r, 0, SWMOD_PS_NR - 1);
	}
	if (p->k > p->i || (p->k == p->i && level_rank(p->ps2) >= level_rank(p->ps)))
		return false;
	b = *lay_pamt_base(T(l, p->k), p->ps2);
	*lay_pamt_base(T(l, p->i), p->ps) = b;
	e = b + *lay_pamt_size(T(l, p->i), p->ps);
	for (k = 0; k <= p->i; k++) {
		for (li = 0; li < SWMOD_PS_NR; li++) {
			int ps2 = check_order[li];
			u64 ob = *lay_pamt_base(T(l, k), ps2);

			if (k == p->i && level_rank(ps2) >= level_rank(p->ps))
				break;
			if (overlaps(b, e, ob, ob + *lay_pamt_size(T(l, k), ps2))) {
				*exp = ST(SWMOD_TDX_PAMT_OVERLAP, p->i, p->ps, k);
				return true;
			}
		}
	}
	return false;
}

/* Move PAMT (i, ps) into a usable piece of TDMR k <= i that fits it. */
static bool m_pamt_overlap_usable(struct layout *l, struct rng *r, struct mparams *p,
				  unsigned int hs, u64 *exp)
{
	u64 b;

	if (r) {
		if (!pick_tdmr(l, r, p, 0))
			return false;
		pick_ps(r, p);
		p->k = rng_range(r, 0, p->i);
	}
	if (p->k > p->i ||
	    !usable_piece(T(l, p->k), *lay_pamt_size(T(l, p->i), p->ps), &b))
		return false;
	*lay_pamt_base(T(l, p->i), p->ps) = b;
	*exp = ST(SWMOD_TDX_PAMT_OVERLAP, p->i, p->ps, p->k);
	return true;
}

/*
 * Move PAMT (k, ps) of an earlier TDMR into a usable piece of TDMR i:
 * it passes all of TDMR k's checks (the piece is CMR memory outside
 * TDMRs 0..k) and is caught at TDMR i.
 */
static bool m_earlier_pamt_in_usable(struct layout *l, struct rng *r, struct mparams *p,
				     unsigned int hs, u64 *exp)
{
	u64 b;

	if (r) {
		if (!pick_tdmr(l, r, p, 1))
			return false;
		pick_ps(r, p);
		p->k = rng_range(r, 0, p->i - 1);
	}
	if (p->k >= p->i ||
	    !usable_piece(T(l, p->i), *lay_pamt_size(T(l, p->k), p->ps), &b))
		return false;
	*lay_pamt_base(T(l, p->k), p->ps) = b;
	*exp = ST(SWMOD_TDX_PAMT_OVERLAP, p->i, p->ps, p->k);
	return true;
}

/* ---- CMR containment ---- */

static bool m_pamt_outside_cmrs(struct layout *l, struct rng *r, struct mparams *p,
				unsigned int hs, u64 *exp)
{
	if (!pick_tdmr(l, r, p, 0))
		return false;
	pick_ps(r, p);
	*lay_pamt_base(T(l, p->i), p->ps) = top_of_everything(l);
	*exp = ST(SWMOD_TDX_PAMT_OUTSIDE_CMRS, p->i, p->ps, 0);
	return true;
}

/*
 * Move PAMT (i, ps) so that its first page is the last page of a CMR
 * whose successor is not adjacent; the range must touch no TDMR and no
 * PAMT.  Uses p->k as the CMR index.
 */
static bool straddle_ok(struct layout *l, struct mparams *p, u64 *pb)
{
	u64 b, e, ce, size;
	unsigned int t;

	if (p->k < 0 || p->k >= (int)l->nr_cmrs)
		return false;
	ce = l->cmrs[p->k].base + l->cmrs[p->k].size;
	if (p->k + 1 < (int)l->nr_cmrs && l->cmrs[p->k + 1].base == ce)
		return false;
	size = *lay_pamt_size(T(l, p->i), p->ps);
	if (size < 2 * SZ_4K)
		return false;
	b = ce - SZ_4K;
	e = b + size;
	for (t = 0; t < l->nr_tdmrs; t++)
		if (overlaps(b, e, T(l, t)->base, T(l, t)->base + T(l, t)->size))
			return false;
	if (hits_any_pamt(l, l->nr_tdmrs, b, e, p->i, p->ps) ||
	    in_cmrs_merged(l, b, e))
		return false;
	*pb = b;
	return true;
}

static bool m_pamt_straddle_cmr(struct layout *l, struct rng *r, struct mparams *p,
				unsigned int hs, u64 *exp)
{
	u64 b;
	bool ok = false;

	if (r) {
		int tries;

		for (tries = 0; tries < 32 && !ok; tries++) {
			if (!pick_tdmr(l, r, p, 0))
				return false;
			pick_ps(r, p);
			p->k = rng_range(r, 0, l->nr_cmrs - 1);
			ok = straddle_ok(l, p, &b);
		}
	} else {
		ok = straddle_ok(l, p, &b);
	}
	if (!ok)
		return false;
	*lay_pamt_base(T(l, p->i), p->ps) = b;
	*exp = ST(SWMOD_TDX_PAMT_OUTSIDE_CMRS, p->i, p->ps, 0);
	return true;
}

/*
 * Drop reserved area j of TDMR i where that area holds no PAMT of
 * TDMRs 0..i and is not all CMR memory: the TDMR now has usable
 * memory outside CMRs.
 */
static bool m_tdmr_outside_cmrs(struct layout *l, struct rng *r, struct mparams *p,
				unsigned int hs, u64 *exp)
{
	int tries = r ? 16 : 1;

	while (tries--) {
		struct swmod_tdmr_info *t;
		u64 b, e;

		if (!pick_rsvd(l, r, p, 0, 0))
			return false;
		t = T(l, p->i);
		b = t->base + t->rsvd[p->j].offset;
		e = b + t->rsvd[p->j].size;
		if (hits_any_pamt(l, p->i, b, e, -1, -1) || in_cmrs_merged(l, b, e))
			continue;
		lay_del_rsvd(t, p->j);
		*exp = ST(SWMOD_TDX_TDMR_OUTSIDE_CMRS, p->i, 0, 0);
		return true;
	}
	return false;
}

/* ---- operands ---- */

#define OPERAND_MUTATION(fn, stmt, status)				\
static bool fn(struct layout *l, struct rng *r, struct mparams *p,	\
	       unsigned int hs, u64 *exp)				\
{									\
	stmt;								\
	*exp = status;							\
	return true;							\
}

#define OPINV(reg)	(SWMOD_TDX_OPERAND_INVALID | SWMOD_OPERAND_ID_##reg)

OPERAND_MUTATION(m_array_unaligned, l->array_delta = 8, OPINV(RCX))
OPERAND_MUTATION(m_array_private, l->array_keyid = 16, OPINV(RCX))
OPERAND_MUTATION(m_nr_zero, (l->nr_set = true, l->nr_value = 0), OPINV(RDX))
OPERAND_MUTATION(m_nr_too_many, (l->nr_set = true, l->nr_value = 65), OPINV(RDX))
OPERAND_MUTATION(m_hkid_reserved_bits, l->hkid |= 1ULL << 16, OPINV(R8))
OPERAND_MUTATION(m_hkid_mktme, l->hkid = 15, OPINV(R8))
OPERAND_MUTATION(m_hkid_zero, l->hkid = 0, OPINV(R8))
OPERAND_MUTATION(m_hkid_too_big, l->hkid = 64, OPINV(R8))
OPERAND_MUTATION(m_lp_not_init, l->skip_lp_init = true,
		 SWMOD_TDX_SYS_CONFIG_NOT_PENDING)

static bool m_info_unaligned(struct layout *l, struct rng *r, struct mparams *p,
			     unsigned int hs, u64 *exp)
{
	if (!pick_tdmr(l, r, p, 0))
		return false;
	l->info_idx = p->i;
	l->info_delta = 64;
	*exp = OPINV(RCX);
	return true;
}

static bool m_info_private(struct layout *l, struct rng *r, struct mparams *p,
			   unsigned int hs, u64 *exp)
{
	if (!pick_tdmr(l, r, p, 0))
		return false;
	l->info_idx = p->i;
	l->info_keyid = 20;
	*exp = OPINV(RCX);
	return true;
}

const struct mutation mutations[] = {
	{ "tdmr_overflow", m_tdmr_overflow },
	{ "tdmr_unordered", m_tdmr_unordered },
	{ "tdmr_overlap", m_tdmr_overlap },
	{ "tdmr_base_unaligned", m_tdmr_base_unaligned },
	{ "tdmr_size_unaligned", m_tdmr_size_unaligned },
	{ "tdmr_size_zero", m_tdmr_size_zero },
	{ "tdmr_hkid_bits", m_tdmr_hkid },
	{ "tdmr_beyond_maxpa", m_tdmr_beyond_maxpa },
	{ "rsvd_null_then_live", m_rsvd_null_gap },
	{ "rsvd_overflow", m_rsvd_overflow },
	{ "rsvd_unordered", m_rsvd_unordered },
	{ "rsvd_overlap", m_rsvd_overlap },
	{ "rsvd_offset_unaligned", m_rsvd_off_unaligned },
	{ "rsvd_size_unaligned", m_rsvd_size_unaligned },
	{ "rsvd_outside_tdmr", m_rsvd_outside },
	{ "pamt_overflow", m_pamt_overflow },
	{ "pamt_base_unaligned", m_pamt_base_unaligned },
	{ "pamt_size_unaligned", m_pamt_size_unaligned },
	{ "pamt_too_small", m_pamt_too_small },
	{ "pamt_hkid_bits", m_pamt_hkid },
	{ "pamt_beyond_maxpa", m_pamt_beyond_maxpa },
	{ "pamt_overlaps_pamt", m_pamt_overlap_pamt },
	{ "pamt_overlaps_usable", m_pamt_overlap_usable },
	{ "earlier_pamt_in_usable", m_earlier_pamt_in_usable },
	{ "pamt_outside_cmrs", m_pamt_outside_cmrs },
	{ "pamt_straddles_cmr_end", m_pamt_straddle_cmr },
	{ "tdmr_outside_cmrs", m_tdmr_outside_cmrs },
	{ "array_unaligned", m_array_unaligned },
	{ "array_private_keyid", m_array_private },
	{ "nr_tdmrs_zero", m_nr_zero },
	{ "nr_tdmrs_too_many", m_nr_too_many },
	{ "hkid_reserved_bits", m_hkid_reserved_bits },
	{ "hkid_mktme", m_hkid_mktme },
	{ "hkid_zero", m_hkid_zero },
	{ "hkid_too_big", m_hkid_too_big },
	{ "tdmr_info_unaligned", m_info_unaligned },
	{ "tdmr_info_private_keyid", m_info_private },
	{ "lp_not_initialized", m_lp_not_init },
};

const unsigned int nr_mutations = sizeof(mutations) / sizeof(mutations[0]);

const struct mutation *find_mutation(const char *name)
{
	unsigned int i;

	for (i = 0; i < nr_mutations; i++)
		if (!strcmp(mutations[i].name, name))
			return &mutations[i];
	return NULL;
}
