// SPDX-License-Identifier: GPL-2.0
/*
 * Random TD lifecycles: every TD leaf, in any order, with operands drawn
 * from a small pool (pages, TDRs and TDVPRs seen so far, page_infos,
 * field ids); three calls in four instead take a random TD one step
 * further in its build, so that the sequences reach vCPUs, S-EPT
 * trees and teardown.  No status is predicted; after every call the module's
 * state must be consistent:
 *   - owned_pages equals the pool pages whose PAMT type is neither NDA
 *     nor RSVD (no page outside the pool, none counted twice);
 *   - every TD's CHLDCNT equals the pool pages it owns;
 *   - in every TD not torn down, each S-EPT entry in use maps a page
 *     that TD owns with the matching type (PT_REG leaf, PT_EPT table),
 *     and no page is mapped twice, in that TD or another one.
 * At the end KVM's teardown must give every page back.  The seed the
 * harness prints replays a failure.
 */
#include <stdlib.h>
#include <string.h>
#include <linux/kernel.h>

#include "test_td.h"
#include "swmod_td.h"
#include "swmod_param.h"
#include "tests.h"

#define FZ_PAGES	96
#define FZ_STEPS	20000
#define FZ_MAX_TDS	FZ_PAGES

enum fz_role {
	R_ZERO, R_PAGE, R_TDR, R_TDVPR, R_HKID, R_PARAMS, R_SRC, R_PINFO,
	R_GPA256, R_FIELD, R_VAL, R_01, R_KEYED_PAGE,
	R_PINFO_TABLE,		/* level 1..3 in the first 4 MiB */
	R_PINFO_4K,		/* a 4K page in the first 4 MiB */
};

struct fz_call {
	u16 leaf;
	u8 rcx, rdx, r8, r9;	/* enum fz_role */
};

static const struct fz_call fz_leaves[] = {
	{ SWMOD_TDH_MNG_CREATE, R_PAGE, R_HKID },
	{ SWMOD_TDH_MNG_KEY_CONFIG, R_TDR },
	{ SWMOD_TDH_MNG_ADDCX, R_PAGE, R_TDR },
	{ SWMOD_TDH_MNG_INIT, R_TDR, R_PARAMS },
	{ SWMOD_TDH_MNG_RD, R_TDR, R_FIELD },
	{ SWMOD_TDH_MNG_WR, R_TDR, R_FIELD, R_VAL, R_VAL },
	{ SWMOD_TDH_VP_CREATE, R_PAGE, R_TDR },
	{ SWMOD_TDH_VP_ADDCX, R_PAGE, R_TDVPR },
	{ SWMOD_TDH_VP_INIT, R_TDVPR, R_VAL },
	{ SWMOD_TDH_VP_FLUSH, R_TDVPR },
	{ SWMOD_TDH_VP_RD, R_TDVPR, R_FIELD },
	{ SWMOD_TDH_VP_WR, R_TDVPR, R_FIELD, R_VAL, R_VAL },
	{ SWMOD_TDH_VP_ENTER, R_TDVPR },
	{ SWMOD_TDH_MEM_SEPT_ADD, R_PINFO, R_TDR, R_PAGE },
	{ SWMOD_TDH_MEM_SEPT_ADD, R_PINFO, R_TDR, R_PAGE },
	{ SWMOD_TDH_MEM_PAGE_ADD, R_PINFO, R_TDR, R_PAGE, R_SRC },
	{ SWMOD_TDH_MEM_PAGE_AUG, R_PINFO, R_TDR, R_PAGE },
	{ SWMOD_TDH_MEM_RANGE_BLOCK, R_PINFO, R_TDR },
	{ SWMOD_TDH_MEM_TRACK, R_TDR },
	{ SWMOD_TDH_MEM_RANGE_UNBLOCK, R_PINFO, R_TDR },
	{ SWMOD_TDH_MEM_PAGE_REMOVE, R_PINFO, R_TDR },
	{ SWMOD_TDH_MEM_SEPT_REMOVE, R_PINFO, R_TDR },
	{ SWMOD_TDH_MEM_SEPT_RD, R_PINFO, R_TDR },
	{ SWMOD_TDH_MR_EXTEND, R_GPA256, R_TDR },
	{ SWMOD_TDH_MR_FINALIZE, R_TDR },
	{ SWMOD_TDH_MNG_VPFLUSHDONE, R_TDR },
	{ SWMOD_TDH_PHYMEM_CACHE_WB, R_01 },
	{ SWMOD_TDH_MNG_KEY_FREEID, R_TDR },
	{ SWMOD_TDH_PHYMEM_PAGE_RECLAIM, R_PAGE },
	{ SWMOD_TDH_PHYMEM_PAGE_WBINVD, R_KEYED_PAGE },
	{ SWMOD_TDH_PHYMEM_PAGE_RDMD, R_PAGE },
};

static const u64 fz_fields[] = {
	SWMOD_MD_TSC_OFFSET, SWMOD_MD_TSC_MULTIPLIER, SWMOD_MD_MRTD(0),
	SWMOD_MD_POSTED_INTR_NV, SWMOD_MD_PIN_BASED_CTLS, SWMOD_MD_GPR(1),
	SWMOD_MD_PEND_NMI, SWMOD_MD_STATE_DETAILS, SWMOD_MD_ID(3, 3),
};

struct fz {
	struct tdf *f;
	struct rng *r;
	u64 pool[FZ_PAGES];
	u64 tdrs[FZ_PAGES], tdvprs[FZ_PAGES];
	unsigned int nr_tdrs, nr_tdvprs;
};

static u64 fz_pick(struct fz *z, u64 *list, unsigned int n)
{
	if (n && rng_chance(z->r, 85))
		return list[rng_range(z->r, 0, n - 1)];
	return z->pool[rng_range(z->r, 0, FZ_PAGES - 1)];
}

static u64 fz_page_info(struct rng *r)
{
	unsigned int level = rng_range(r, 0, 3);
	u64 gpa = rng_range(r, 0, 7) * SZ_4K;

	if (rng_chance(r, 20))
		gpa += rng_range(r, 0, 1) * SZ_2M;
	if (rng_chance(r, 5))
		return gpa | level;	/* often misaligned: must be refused */
	return (gpa & ~((SZ_4K << (9 * level)) - 1)) | level;
}

static u64 fz_operand(struct fz *z, enum fz_role role)
{
	struct rng *r = z->r;

	switch (role) {
	case R_ZERO:
		return 0;
	case R_PAGE:
		if (rng_chance(r, 3))
			return TD_RSVD_PA;
		return z->pool[rng_range(r, 0, FZ_PAGES - 1)];
	case R_KEYED_PAGE:
		return z->pool[rng_range(r, 0, FZ_PAGES - 1)] |
		       ((u64)rng_range(r, 16, 22) << z->f->e->hkid_shift);
	case R_TDR:
		return fz_pick(z, z->tdrs, z->nr_tdrs);
	case R_TDVPR:
		return fz_pick(z, z->tdvprs, z->nr_tdvprs);
	case R_HKID:
		return rng_range(r, 16, 19);
	case R_PARAMS:
		return TD_PARAMS_PA;
	case R_SRC:
		return TD_SRC_PA;
	case R_PINFO:
		return fz_page_info(r);
	case R_PINFO_TABLE:
		return rng_chance(r, 50) ? SZ_2M * rng_range(r, 0, 1) | 1 :
					   rng_range(r, 2, 3);
	case R_PINFO_4K:
		return SZ_2M * rng_range(r, 0, 1) + SZ_4K * rng_range(r, 0, 7);
	case R_GPA256:
		return rng_range(r, 0, 7 * 16) * 256;
	case R_FIELD:
		return fz_fields[rng_range(r, 0, ARRAY_SIZE(fz_fields) - 1)];
	case R_VAL:
		return rng_chance(r, 50) ? ~0ULL : rng_next(r);
	case R_01:
		return rng_range(r, 0, 1);
	}
	return 0;
}

static void fz_pamt(struct fz *z, u64 pa, struct swmod_pamt_entry *pe)
{
	ASSERT_EQ(swmod_pamt_read(z->f->e->m, pa, SWMOD_PS_4K, pe), 0);
}

static int fz_index(struct fz *z, u64 pa)
{
	unsigned int i;

	for (i = 0; i < FZ_PAGES; i++)
		if (z->pool[i] == pa)
			return i;
	return -1;
}

/*
 * Walk one level of a TD's S-EPT: every entry in use maps a pool page
 * the TD owns with the right type, and no page twice (@seen).
 */
static bool fz_walk(struct fz *z, u64 tdr, u64 table, unsigned int level,
		    u8 *seen)
{
	u64 t[SWMOD_SEPT_ENTRIES];
	unsigned int i;

	uplat_read(z->f->e->p, table, t, sizeof(t));
	for (i = 0; i < SWMOD_SEPT_ENTRIES; i++) {
		unsigned int st = (t[i] & SWMOD_SEPT_STATE_MASK) >>
				  SWMOD_SEPT_STATE_SHIFT;
		bool leaf = !level || (t[i] & SWMOD_EPT_LEAF);
		u64 pa = t[i] & SWMOD_EPT_PA_MASK;
		struct swmod_pamt_entry pe;
		int idx;

		if (st == SWMOD_SEPT_FREE)
			continue;
		idx = fz_index(z, pa);
		if (idx < 0 || seen[idx]++) {
			t_fail(__FILE__, __LINE__,
			       "TD %#llx: level %u entry %u maps %#llx %s",
			       tdr, level, i, pa,
			       idx < 0 ? "outside the pool" : "twice");
			return false;
		}
		fz_pamt(z, pa, &pe);
		if (pe.pt != (leaf ? SWMOD_PT_REG : SWMOD_PT_EPT) ||
		    swmod_pamt_owner(&pe) != tdr) {
			t_fail(__FILE__, __LINE__,
			       "TD %#llx: %#llx mapped at level %u has type %u owner %#llx",
			       tdr, pa, level, pe.pt, swmod_pamt_owner(&pe));
			return false;
		}
		if (!leaf && !fz_walk(z, tdr, pa, level - 1, seen))
			return false;
	}
	return true;
}

/* The invariants of the header comment; false at the first violation. */
static bool fz_check(struct fz *z)
{
	struct swmod_pamt_entry pe[FZ_PAGES];
	u64 owned = 0, kids;
	u8 seen[FZ_PAGES] = { 0 };
	unsigned int i, j;

	for (i = 0; i < FZ_PAGES; i++) {
		fz_pamt(z, z->pool[i], &pe[i]);
		owned += pe[i].pt != SWMOD_PT_NDA && pe[i].pt != SWMOD_PT_RSVD;
	}
	if (swmod_owned_pages(z->f->e->m) != owned) {
		t_fail(__FILE__, __LINE__, "owned_pages %llu, pool owns %llu",
		       swmod_owned_pages(z->f->e->m), owned);
		return false;
	}
	for (i = 0; i < FZ_PAGES; i++) {
		struct swmod_tdr tdr;
		struct swmod_tdcs tdcs;

		if (pe[i].pt != SWMOD_PT_TDR)
			continue;
		uplat_read(z->f->e->p, z->pool[i], &tdr, sizeof(tdr));
		for (j = 0, kids = 0; j < FZ_PAGES; j++)
			kids += pe[j].pt != SWMOD_PT_NDA &&
				pe[j].pt != SWMOD_PT_RSVD &&
				pe[j].pt != SWMOD_PT_TDR &&
				swmod_pamt_owner(&pe[j]) == z->pool[i];
		if (tdr.chldcnt != kids) {
			t_fail(__FILE__, __LINE__, "TD %#llx: CHLDCNT %llu, owns %llu",
			       z->pool[i], tdr.chldcnt, kids);
			return false;
		}
		if (!tdr.init || tdr.lifecycle == SWMOD_TD_TEARDOWN)
			continue;
		uplat_read(z->f->e->p, tdr.tdcx_pa[SWMOD_TDCX_TDCS], &tdcs,
			   sizeof(tdcs));
		if (!fz_walk(z, z->pool[i], tdr.tdcx_pa[SWMOD_TDCX_SEPT_ROOT],
			     tdcs.pwl, seen))
			return false;
	}
	return true;
}

static void fz_remember(u64 *list, unsigned int *n, u64 pa)
{
	unsigned int i;

	for (i = 0; i < *n; i++)
		if (list[i] == pa)
			return;
	list[(*n)++] = pa;
}

/* Build steps once a TD is keyed and initialized. */
static const struct fz_call fz_build[] = {
	{ SWMOD_TDH_VP_CREATE, R_PAGE, R_TDR },
	{ SWMOD_TDH_VP_ADDCX, R_PAGE, R_TDVPR },
	{ SWMOD_TDH_VP_INIT, R_TDVPR, R_VAL },
	{ SWMOD_TDH_MEM_SEPT_ADD, R_PINFO_TABLE, R_TDR, R_PAGE },
	{ SWMOD_TDH_MEM_SEPT_ADD, R_PINFO_TABLE, R_TDR, R_PAGE },
	{ SWMOD_TDH_MEM_PAGE_ADD, R_PINFO_4K, R_TDR, R_PAGE, R_SRC },
	{ SWMOD_TDH_MEM_PAGE_AUG, R_PINFO_4K, R_TDR, R_PAGE },
	{ SWMOD_TDH_MEM_PAGE_AUG, R_PINFO_4K, R_TDR, R_PAGE },
	{ SWMOD_TDH_MR_EXTEND, R_GPA256, R_TDR },
	{ SWMOD_TDH_MEM_RANGE_BLOCK, R_PINFO_4K, R_TDR },
	{ SWMOD_TDH_MEM_TRACK, R_TDR },
	{ SWMOD_TDH_MEM_PAGE_REMOVE, R_PINFO_4K, R_TDR },
	{ SWMOD_TDH_MEM_RANGE_UNBLOCK, R_PINFO_4K, R_TDR },
};

/*
 * The next step of a random TD's build, by its state: KEY.CONFIG,
 * ADDCX, MNG.INIT, then vCPU and memory steps; @tdr is that TD.
 */
static const struct fz_call *fz_guided(struct fz *z, u64 *tdr)
{
	static const struct fz_call key_config = { SWMOD_TDH_MNG_KEY_CONFIG, R_TDR };
	static const struct fz_call addcx = { SWMOD_TDH_MNG_ADDCX, R_PAGE, R_TDR };
	static const struct fz_call init = { SWMOD_TDH_MNG_INIT, R_TDR, R_PARAMS };
	static const struct fz_call create = { SWMOD_TDH_MNG_CREATE, R_PAGE, R_HKID };
	struct swmod_tdr t;

	unsigned int tries = 0;

	if (!z->nr_tdrs)
		return &create;
	/* Prefer a TD still alive: PT_TDR, not blocked or torn down. */
	do {
		struct swmod_pamt_entry pe;

		*tdr = z->tdrs[rng_range(z->r, 0, z->nr_tdrs - 1)];
		fz_pamt(z, *tdr, &pe);
		uplat_read(z->f->e->p, *tdr, &t, sizeof(t));
		if (pe.pt == SWMOD_PT_TDR && t.lifecycle < SWMOD_TD_BLOCKED)
			break;
	} while (++tries < 8);
	if (t.lifecycle == SWMOD_TD_HKID_ASSIGNED)
		return &key_config;
	if (t.lifecycle != SWMOD_TD_KEYS_CONFIGURED)
		return &create;
	if (t.num_tdcx < SWMOD_TDCS_PAGES)
		return &addcx;
	if (!t.init)
		return &init;
	return &fz_build[rng_range(z->r, 0, ARRAY_SIZE(fz_build) - 1)];
}

static bool fz_ends_td(u16 leaf)
{
	return leaf == SWMOD_TDH_MNG_VPFLUSHDONE ||
	       leaf == SWMOD_TDH_MR_FINALIZE;
}

/* KVM's teardown of every TD, then every page reclaimed. */
static void fz_teardown(struct fz *z)
{
	struct tdf *f = z->f;
	struct swmod_pamt_entry pe;
	unsigned int i, lp, pass;
	u64 st;

	for (i = 0; i < z->nr_tdvprs; i++)
		for (lp = 0; lp < 4; lp++)
			tdf_sc(f, lp, SWMOD_TDH_VP_FLUSH, z->tdvprs[i], 0, 0, 0,
			       NULL);
	for (i = 0; i < z->nr_tdrs; i++)
		tdf_sc(f, 0, SWMOD_TDH_MNG_VPFLUSHDONE, z->tdrs[i], 0, 0, 0, NULL);
	for (lp = 0; lp < 4; lp += 2) {
		st = tdf_sc(f, lp, SWMOD_TDH_PHYMEM_CACHE_WB, 0, 0, 0, 0, NULL);
		while (st == SWMOD_TDX_INTERRUPTED_RESUMABLE)
			st = tdf_sc(f, lp, SWMOD_TDH_PHYMEM_CACHE_WB, 1, 0, 0, 0,
				    NULL);
	}
	for (i = 0; i < z->nr_tdrs; i++) {
		fz_pamt(z, z->tdrs[i], &pe);
		if (pe.pt != SWMOD_PT_TDR)
			continue;
		st = tdf_sc(f, 0, SWMOD_TDH_MNG_KEY_FREEID, z->tdrs[i], 0, 0, 0,
			    NULL);
		if (st && st != SWMOD_TDX_LIFECYCLE_STATE_INCORRECT)
			t_fail(__FILE__, __LINE__, "FREEID %#llx: %#llx",
			       z->tdrs[i], st);
	}
	/* Children first, TDRs in the second pass. */
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < FZ_PAGES; i++) {
			bool is_tdr;

			fz_pamt(z, z->pool[i], &pe);
			is_tdr = pe.pt == SWMOD_PT_TDR;
			if (pe.pt == SWMOD_PT_NDA || is_tdr != !!pass)
				continue;
			st = tdf_sc(f, 0, SWMOD_TDH_PHYMEM_PAGE_RECLAIM,
				    z->pool[i], 0, 0, 0, NULL);
			if (st)
				t_fail(__FILE__, __LINE__, "reclaim %#llx (type %u): %#llx",
				       z->pool[i], pe.pt, st);
		}
	EXPECT_TRUE(tdf_all_pamt_free(f));
}

void test_td_fuzz(struct rng *r)
{
	struct fz z = { .r = r };
	struct swmod_regs out;
	unsigned int i, step;
	u64 st, calls = 0, ok = 0, ok_leaf[SWMOD_TDH_SYS_CONFIG + 1] = { 0 };

	z.f = tdf_new();
	for (i = 0; i < FZ_PAGES; i++)
		z.pool[i] = tdf_page(z.f);
	uplat_write(z.f->e->p, TD_PARAMS_PA, &z.f->params, sizeof(z.f->params));
	uplat_fill(z.f->e->p, TD_SRC_PA, 0x42, SZ_4K);

	for (step = 0; step < FZ_STEPS; step++) {
		const struct fz_call *c;
		unsigned int lp = rng_range(r, 0, 3);
		u64 rcx, rdx, r8, r9, tdr = 0;

		c = &fz_leaves[rng_range(r, 0, ARRAY_SIZE(fz_leaves) - 1)];
		/* TDs must live long enough to grow: end them rarely. */
		if (rng_chance(r, 75) || (fz_ends_td(c->leaf) && !rng_chance(r, 10)))
			c = fz_guided(&z, &tdr);
		rcx = fz_operand(&z, c->rcx);
		rdx = fz_operand(&z, c->rdx);
		r8 = fz_operand(&z, c->r8);
		r9 = fz_operand(&z, c->r9);
		/* A guided step works on its TD. */
		if (tdr && c->rcx == R_TDR)
			rcx = tdr;
		if (tdr && c->rdx == R_TDR)
			rdx = tdr;

		st = tdf_sc(z.f, lp, c->leaf, rcx, rdx, r8, r9, &out);
		calls++;
		ok += !(st & SWMOD_STATUS_ERROR);
		ok_leaf[c->leaf] += !(st & SWMOD_STATUS_ERROR);
		if (!st && c->leaf == SWMOD_TDH_MNG_CREATE)
			fz_remember(z.tdrs, &z.nr_tdrs, rcx);
		if (!st && c->leaf == SWMOD_TDH_VP_CREATE)
			fz_remember(z.tdvprs, &z.nr_tdvprs, rcx);
		if (!fz_check(&z)) {
			t_diag("step %u: leaf %u (%s) RCX %#llx RDX %#llx R8 %#llx on LP %u -> %#llx",
			       step, c->leaf, swmod_param_leaf_name(c->leaf),
			       rcx, rdx, r8, lp, st);
			break;
		}
	}
	t_diag("%llu calls, %llu succeeded, %u TDs, %u vCPUs", calls, ok,
	       z.nr_tdrs, z.nr_tdvprs);
	for (i = 0; verbose && i < ARRAY_SIZE(ok_leaf); i++)
		if (ok_leaf[i])
			t_diag("  %s: %llu", swmod_param_leaf_name(i), ok_leaf[i]);
	fz_teardown(&z);
	tdf_free(z.f);
}
