// SPDX-License-Identifier: GPL-2.0
/*
 * TDH.SYS.CONFIG rules: the table-driven catalogue on a fixed layout,
 * valid corner cases, and randomized layouts with one mutation each.
 */
#include <stdlib.h>
#include <string.h>

#include "tlib.h"
#include "tests.h"

#define ST(code, b0, b1, b2)	SWMOD_STATUS_INFO(code, b0, b1, b2)
#define OPINV(reg)		(SWMOD_TDX_OPERAND_INVALID | SWMOD_OPERAND_ID_##reg)
#define P(...)			((struct mparams){ __VA_ARGS__ })

/*
 * Environment for a layout: SYS.INIT and LP.INIT on every LP but the
 * last one, which is initialized lazily (so the "not all LPs" rule can
 * be tested on the same instance).
 */
struct cfg_env {
	struct env *e;
	bool last_lp_done;
};

static void cfg_env_new(struct cfg_env *ce, const struct layout *l)
{
	struct swmod_config cfg;
	unsigned int lp;

	env_default_config(&cfg);
	lay_to_config(l, &cfg);
	ce->e = env_new(&cfg, NULL);
	ce->last_lp_done = false;
	ASSERT_EQ(env_sc(ce->e, 0, SWMOD_TDH_SYS_INIT, 0, 0, 0, NULL), 0);
	for (lp = 0; lp + 1 < cfg.nr_lps; lp++)
		ASSERT_EQ(env_sc(ce->e, lp, SWMOD_TDH_SYS_LP_INIT, 0, 0, 0, NULL), 0);
}

static u64 cfg_env_submit(struct cfg_env *ce, const struct layout *l)
{
	if (!l->skip_lp_init && !ce->last_lp_done) {
		ASSERT_EQ(env_sc(ce->e, ce->e->cfg.nr_lps - 1, SWMOD_TDH_SYS_LP_INIT,
				 0, 0, 0, NULL), 0);
		ce->last_lp_done = true;
	}
	return lay_submit(ce->e, l);
}

struct rule_case {
	const char *mutation;
	struct mparams p;
	u64 expect;
};

/*
 * The catalogue applied to lay_build_catalogue_base() (see its diagram
 * in tlib.c).  TDMR0 [0,4G) rsvd {[0,1M), [2G,4G)}, PAMTs in CMR3;
 * TDMR1 [4G,12G) rsvd {[5G,5G+2M), own PAMT block}.  Expect exactly
 * the listed status and info bytes, and nothing else changed.
 */
static const struct rule_case rule_cases[] = {
	{ "tdmr_overflow", P(.i = 1), ST(SWMOD_TDX_INVALID_TDMR, 1, 0, 0) },
	{ "tdmr_unordered", P(.i = 1), ST(SWMOD_TDX_NON_ORDERED_TDMR, 1, 0, 0) },
	{ "tdmr_overlap", P(.i = 1), ST(SWMOD_TDX_NON_ORDERED_TDMR, 1, 0, 0) },
	{ "tdmr_base_unaligned", P(.i = 1), ST(SWMOD_TDX_INVALID_TDMR, 1, 0, 0) },
	{ "tdmr_size_unaligned", P(.i = 0), ST(SWMOD_TDX_INVALID_TDMR, 0, 0, 0) },
	{ "tdmr_size_zero", P(.i = 1), ST(SWMOD_TDX_INVALID_TDMR, 1, 0, 0) },
	{ "tdmr_hkid_bits", P(.i = 0), ST(SWMOD_TDX_INVALID_TDMR, 0, 0, 0) },
	{ "tdmr_beyond_maxpa", P(.i = 1), ST(SWMOD_TDX_INVALID_TDMR, 1, 0, 0) },
	{ "rsvd_null_then_live", P(.i = 0, .j = 0),
	  ST(SWMOD_TDX_NON_ORDERED_RESERVED_IN_TDMR, 0, 1, 0) },
	{ "rsvd_overflow", P(.i = 1, .j = 0), ST(SWMOD_TDX_INVALID_RESERVED_IN_TDMR, 1, 0, 0) },
	{ "rsvd_unordered", P(.i = 1, .j = 1),
	  ST(SWMOD_TDX_NON_ORDERED_RESERVED_IN_TDMR, 1, 1, 0) },
	{ "rsvd_overlap", P(.i = 0, .j = 1), ST(SWMOD_TDX_NON_ORDERED_RESERVED_IN_TDMR, 0, 1, 0) },
	{ "rsvd_offset_unaligned", P(.i = 1, .j = 1),
	  ST(SWMOD_TDX_INVALID_RESERVED_IN_TDMR, 1, 1, 0) },
	{ "rsvd_size_unaligned", P(.i = 0, .j = 0), ST(SWMOD_TDX_INVALID_RESERVED_IN_TDMR, 0, 0, 0) },
	{ "rsvd_outside_tdmr", P(.i = 0, .j = 0), ST(SWMOD_TDX_INVALID_RESERVED_IN_TDMR, 0, 1, 0) },
	{ "pamt_overflow", P(.i = 0, .ps = SWMOD_PS_4K), ST(SWMOD_TDX_INVALID_PAMT, 0, 0, 0) },
	{ "pamt_base_unaligned", P(.i = 1, .ps = SWMOD_PS_2M), ST(SWMOD_TDX_INVALID_PAMT, 1, 1, 0) },
	{ "pamt_size_unaligned", P(.i = 1, .ps = SWMOD_PS_1G), ST(SWMOD_TDX_INVALID_PAMT, 1, 2, 0) },
	{ "pamt_too_small", P(.i = 1, .ps = SWMOD_PS_4K), ST(SWMOD_TDX_INVALID_PAMT, 1, 0, 0) },
	{ "pamt_too_small", P(.i = 0, .ps = SWMOD_PS_2M), ST(SWMOD_TDX_INVALID_PAMT, 0, 1, 0) },
	{ "pamt_hkid_bits", P(.i = 0, .ps = SWMOD_PS_1G), ST(SWMOD_TDX_INVALID_PAMT, 0, 2, 0) },
	{ "pamt_beyond_maxpa", P(.i = 1, .ps = SWMOD_PS_2M), ST(SWMOD_TDX_INVALID_PAMT, 1, 1, 0) },
	{ "pamt_overlaps_pamt", P(.i = 1, .ps = SWMOD_PS_1G, .k = 0, .ps2 = SWMOD_PS_4K),
	  ST(SWMOD_TDX_PAMT_OVERLAP, 1, 2, 0) },
	{ "pamt_overlaps_pamt", P(.i = 1, .ps = SWMOD_PS_4K, .k = 1, .ps2 = SWMOD_PS_2M),
	  ST(SWMOD_TDX_PAMT_OVERLAP, 1, 0, 1) },
	{ "pamt_overlaps_pamt", P(.i = 0, .ps = SWMOD_PS_2M, .k = 0, .ps2 = SWMOD_PS_1G),
	  ST(SWMOD_TDX_PAMT_OVERLAP, 0, 1, 0) },
	{ "pamt_overlaps_usable", P(.i = 1, .ps = SWMOD_PS_1G, .k = 1),
	  ST(SWMOD_TDX_PAMT_OVERLAP, 1, 2, 1) },
	{ "pamt_overlaps_usable", P(.i = 1, .ps = SWMOD_PS_2M, .k = 0),
	  ST(SWMOD_TDX_PAMT_OVERLAP, 1, 1, 0) },
	{ "earlier_pamt_in_usable", P(.i = 1, .k = 0, .ps = SWMOD_PS_2M),
	  ST(SWMOD_TDX_PAMT_OVERLAP, 1, 1, 0) },
	{ "pamt_outside_cmrs", P(.i = 0, .ps = SWMOD_PS_2M), ST(SWMOD_TDX_PAMT_OUTSIDE_CMRS, 0, 1, 0) },
	{ "pamt_straddles_cmr_end", P(.i = 0, .ps = SWMOD_PS_4K, .k = 3),
	  ST(SWMOD_TDX_PAMT_OUTSIDE_CMRS, 0, 0, 0) },
	{ "tdmr_outside_cmrs", P(.i = 0, .j = 0), ST(SWMOD_TDX_TDMR_OUTSIDE_CMRS, 0, 0, 0) },
	{ "tdmr_outside_cmrs", P(.i = 0, .j = 1), ST(SWMOD_TDX_TDMR_OUTSIDE_CMRS, 0, 0, 0) },
	{ "array_unaligned", P(0), OPINV(RCX) },
	{ "array_private_keyid", P(0), OPINV(RCX) },
	{ "nr_tdmrs_zero", P(0), OPINV(RDX) },
	{ "nr_tdmrs_too_many", P(0), OPINV(RDX) },
	{ "hkid_reserved_bits", P(0), OPINV(R8) },
	{ "hkid_mktme", P(0), OPINV(R8) },
	{ "hkid_zero", P(0), OPINV(R8) },
	{ "hkid_too_big", P(0), OPINV(R8) },
	{ "tdmr_info_unaligned", P(.i = 1), OPINV(RCX) },
	{ "tdmr_info_private_keyid", P(.i = 0), OPINV(RCX) },
	{ "lp_not_initialized", P(0), SWMOD_TDX_SYS_CONFIG_NOT_PENDING },
};

void test_rules_table(struct rng *r)
{
	struct layout base, l;
	unsigned int c, m;
	bool covered[64] = { false };

	lay_build_catalogue_base(&base);

	for (c = 0; c < sizeof(rule_cases) / sizeof(rule_cases[0]); c++) {
		const struct rule_case *rc = &rule_cases[c];
		const struct mutation *mu = find_mutation(rc->mutation);
		struct mparams p = rc->p;
		struct cfg_env ce;
		u64 computed = ~0ULL, st;

		ASSERT_TRUE(mu != NULL);
		covered[mu - mutations] = true;
		l = base;
		if (!EXPECT_TRUE(mu->apply(&l, NULL, &p, 46, &computed))) {
			t_diag("case %u %s: not applicable", c, rc->mutation);
			continue;
		}
		if (!EXPECT_EQ(computed, rc->expect))
			t_diag("case %u %s: catalogue disagrees with table", c, rc->mutation);

		cfg_env_new(&ce, &base);
		st = cfg_env_submit(&ce, &l);
		if (!EXPECT_EQ(st, rc->expect))
			t_diag("case %u %s: SYS.CONFIG returned %#llx, want %#llx",
			       c, rc->mutation, st, rc->expect);
		/* A failed SYS.CONFIG leaves nothing behind: retry works. */
		EXPECT_EQ(swmod_get_sys_state(ce.e->m), SWMOD_SYSINIT_DONE);
		EXPECT_EQ(swmod_nr_tdmrs(ce.e->m), 0);
		EXPECT_EQ(cfg_env_submit(&ce, &base), SWMOD_TDX_SUCCESS);
		EXPECT_EQ(swmod_get_sys_state(ce.e->m), SWMOD_SYSCONFIG_DONE);
		env_free(ce.e);
	}

	for (m = 0; m < nr_mutations; m++)
		if (!EXPECT_TRUE(covered[m]))
			t_diag("mutation %s has no table case", mutations[m].name);
	t_diag("%zu rule cases", sizeof(rule_cases) / sizeof(rule_cases[0]));
}

static u64 submit_fresh(const struct layout *l)
{
	struct cfg_env ce;
	u64 st;

	cfg_env_new(&ce, l);
	st = cfg_env_submit(&ce, l);
	env_free(ce.e);
	return st;
}

/*
 * Layouts at the edge of the rules that must be accepted:
 * adjacent TDMRs (the base has them), adjacent reserved areas, a
 * zero-length gap between reserved areas at an address outside every
 * CMR, a PAMT inside another TDMR's reserved area, oversized PAMTs,
 * a null area with a stale offset, the last private KeyID, MKTME
 * KeyIDs in the structure addresses, and 64 TDMRs.
 */
void test_rules_valid_variants(struct rng *r)
{
	struct layout base, l;
	struct swmod_range ram = { 0, 64 * SZ_1G };
	struct swmod_tdmr_info *t0;

	lay_build_catalogue_base(&base);
	EXPECT_EQ(submit_fresh(&base), 0);

	/* [0,1M) followed by an adjacent [1M,2M) */
	l = base;
	EXPECT_EQ(lay_add_rsvd(&l.tdmrs[0], SZ_1M, SZ_2M), 0);
	EXPECT_EQ(submit_fresh(&l), 0);

	/* [2G,3G) + [3G,4G): the zero-length gap at 3G is not in a CMR */
	l = base;
	t0 = &l.tdmrs[0];
	lay_del_rsvd(t0, 1);
	lay_add_rsvd(t0, 2 * SZ_1G, 3 * SZ_1G);
	lay_add_rsvd(t0, 3 * SZ_1G, 4 * SZ_1G);
	EXPECT_EQ(submit_fresh(&l), 0);

	/* TDMR0's 1G PAMT inside TDMR1's reserved [5G, 5G+2M) */
	l = base;
	l.tdmrs[0].pamt_1g_base = 5 * SZ_1G;
	EXPECT_EQ(submit_fresh(&l), 0);

	/* a PAMT much larger than needed (the 1G one, last in CMR3) */
	l = base;
	l.tdmrs[0].pamt_1g_size = 1024 * 1024;
	EXPECT_EQ(submit_fresh(&l), 0);

	/* a null area keeps a stale offset: ignored */
	l = base;
	l.tdmrs[1].rsvd[15].offset = 0x123000;
	EXPECT_EQ(submit_fresh(&l), 0);

	/* the last private KeyID as global KeyID */
	l = base;
	l.hkid = 63;
	EXPECT_EQ(submit_fresh(&l), 0);

	/* MKTME KeyIDs are "shared": allowed in structure addresses */
	l = base;
	l.array_keyid = 15;
	l.info_idx = 1;
	l.info_keyid = 1;
	EXPECT_EQ(submit_fresh(&l), 0);

	/* 64 TDMRs of 1 GiB, each with its PAMT inside */
	EXPECT_EQ(lay_build_kernel_style(&l, &ram, 1, SZ_1G), 0);
	EXPECT_EQ(l.nr_tdmrs, 64);
	l.hkid = 16;
	EXPECT_EQ(submit_fresh(&l), 0);

}

#define RANDOM_LAYOUTS		500
#define RANDOM_INITIALIZED	6
#define MUTATIONS_PER_LAYOUT	4

static bool in_rsvd(const struct swmod_tdmr_info *t, u64 pa)
{
	unsigned int j;

	for (j = 0; j < lay_nr_rsvd(t); j++)
		if (pa >= t->base + t->rsvd[j].offset &&
		    pa < t->base + t->rsvd[j].offset + t->rsvd[j].size)
			return true;
	return false;
}

/*
 * Finish initialization of a random layout and sample PAMT entries:
 * PT_RSVD exactly in reserved areas at 4K level, PT_NDA elsewhere and
 * at the 2M/1G levels.
 */
static void check_initialized(struct cfg_env *ce, const struct layout *l,
			      struct rng *r)
{
	struct swmod_pamt_entry ent;
	unsigned int k;

	ASSERT_EQ(env_key_config_all(ce->e), 0);
	ASSERT_EQ(env_tdmr_init_all(ce->e, NULL), 0);
	for (k = 0; k < 256; k++) {
		const struct swmod_tdmr_info *t = &l->tdmrs[rng_range(r, 0, l->nr_tdmrs - 1)];
		u64 pa = t->base + rng_range(r, 0, (t->size >> 12) - 1) * SZ_4K;
		int ps = rng_range(r, 0, 2);

		if (k < 32 && lay_nr_rsvd(t))	/* make sure to hit areas */
			pa = t->base + t->rsvd[k % lay_nr_rsvd(t)].offset;
		if (!EXPECT_EQ(swmod_pamt_read(ce->e->m, pa, ps, &ent), 0))
			return;
		if (!EXPECT_EQ(ent.pt, ps == SWMOD_PS_4K && in_rsvd(t, pa) ?
				       SWMOD_PT_RSVD : SWMOD_PT_NDA))
			t_diag("pa %#llx ps %d", pa, ps);
	}
}

void test_random_layouts(struct rng *r)
{
	unsigned int hits[64] = { 0 }, n, k, m, shown = 0;

	for (n = 0; n < RANDOM_LAYOUTS; n++) {
		struct layout base, l;
		struct cfg_env ce;
		u64 st;

		if (!EXPECT_EQ(lay_build_random(&base, r, 16, 63), 0))
			return;
		cfg_env_new(&ce, &base);

		for (k = 0; k < MUTATIONS_PER_LAYOUT; k++) {
			const struct mutation *mu = NULL;
			struct mparams p = { 0 };
			u64 expect = 0;
			int tries;

			for (tries = 0; tries < 50; tries++) {
				mu = &mutations[rng_range(r, 0, nr_mutations - 1)];
				l = base;
				memset(&p, 0, sizeof(p));
				if (!strcmp(mu->name, "lp_not_initialized") && ce.last_lp_done)
					continue;
				if (mu->apply(&l, r, &p, ce.e->hkid_shift, &expect))
					break;
				mu = NULL;
			}
			if (!mu)
				continue;
			hits[mu - mutations]++;
			st = cfg_env_submit(&ce, &l);
			if (!EXPECT_EQ(st, expect) && shown++ < 3) {
				t_diag("layout %u mutation %s i=%d j=%d k=%d ps=%d ps2=%d",
				       n, mu->name, p.i, p.j, p.k, p.ps, p.ps2);
				lay_dump(&base);
			}
		}

		st = cfg_env_submit(&ce, &base);
		if (!EXPECT_EQ(st, 0) && shown++ < 3) {
			t_diag("valid layout %u rejected", n);
			lay_dump(&base);
		}
		if (!st && n < RANDOM_INITIALIZED)
			check_initialized(&ce, &base, r);
		env_free(ce.e);
	}

	for (m = 0; m < nr_mutations; m++)
		if (verbose || !hits[m])
			t_diag("mutation %-26s applied %u times", mutations[m].name, hits[m]);
	t_diag("%u random layouts, %u mutations each", RANDOM_LAYOUTS,
	       MUTATIONS_PER_LAYOUT);
}
