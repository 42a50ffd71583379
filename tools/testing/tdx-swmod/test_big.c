// SPDX-License-Identifier: GPL-2.0
/*
 * Big layouts: the seed's golden PAMT example, fully initialized with
 * real PAMT entries, and a 4 TiB layout in validate-only mode.
 */
#include <stdlib.h>
#include <string.h>

#include "tlib.h"
#include "tests.h"

static struct env *env_for(const struct layout *l, bool validate_only)
{
	struct swmod_config cfg;

	env_default_config(&cfg);
	lay_to_config(l, &cfg);
	cfg.validate_only = validate_only;
	return env_new(&cfg, NULL);
}

/*
 * 64 GiB of TDX memory in 3 TDMRs needs 65667 pages of PAMT:
 * 64 Gi / 4 Ki entries * 16 B = 65536 pages at 4K level, 2 pages per
 * GiB at 2M level (128), and one page per TDMR at 1G level (3).
 *
 *   RAM [0, 2G) [4G, 66G)  ->  TDMR0 [0,2G)  TDMR1 [4G,36G)  TDMR2 [36G,66G)
 *
 * Expect SYS.CONFIG to accept the kernel-style layout, TDMR.INIT to
 * take 16384 calls, and every PAMT page (and nearly nothing else) to
 * become resident.
 */
void test_golden_pamt(struct rng *r)
{
	const struct swmod_range ram[] = {
		{ 0, 2 * SZ_1G }, { 4 * SZ_1G, 66 * SZ_1G },
	};
	struct layout l;
	struct env *e;
	struct swmod_pamt_entry ent;
	u64 calls = 0, tdx = 0, resident;
	unsigned int i;

	ASSERT_EQ(lay_build_kernel_style(&l, ram, 2, 32 * SZ_1G), 0);
	ASSERT_EQ(l.nr_tdmrs, 3);
	for (i = 0; i < l.nr_tdmrs; i++)
		tdx += l.tdmrs[i].size;
	EXPECT_EQ(tdx, 64 * SZ_1G);
	EXPECT_EQ(lay_pamt_pages(&l), 65667);
	l.hkid = 16;

	e = env_for(&l, false);
	ASSERT_EQ(env_sys_init(e), 0);
	ASSERT_EQ(lay_submit(e, &l), 0);
	ASSERT_EQ(env_key_config_all(e), 0);
	resident = uplat_resident_pages(e->p);
	ASSERT_EQ(env_tdmr_init_all(e, &calls), 0);
	EXPECT_EQ(calls, 64 * SZ_1G / SZ_4M);
	EXPECT_EQ(uplat_resident_pages(e->p) - resident, 65667);
	t_diag("golden: %llu PAMT pages, %llu TDMR.INIT calls, %zu pages resident",
	       lay_pamt_pages(&l), calls, uplat_resident_pages(e->p));

	EXPECT_EQ(swmod_pamt_read(e->m, 0, SWMOD_PS_4K, &ent), 0);
	EXPECT_EQ(ent.pt, SWMOD_PT_RSVD);	/* first MiB: not a CMR */
	EXPECT_EQ(swmod_pamt_read(e->m, SZ_1M, SWMOD_PS_4K, &ent), 0);
	EXPECT_EQ(ent.pt, SWMOD_PT_NDA);
	EXPECT_EQ(swmod_pamt_read(e->m, l.tdmrs[2].pamt_1g_base, SWMOD_PS_4K, &ent), 0);
	EXPECT_EQ(ent.pt, SWMOD_PT_RSVD);	/* PAMT pages are reserved */
	EXPECT_EQ(swmod_pamt_read(e->m, 65 * SZ_1G, SWMOD_PS_1G, &ent), 0);
	EXPECT_EQ(ent.pt, SWMOD_PT_NDA);
	EXPECT_TRUE(swmod_pa_initialized(e->m, 66 * SZ_1G - 1));
	EXPECT_EQ(swmod_get_stats(e->m)->dropped_writes, 0);
	env_free(e);
}

/*
 * 4 TiB in 8 RAM ranges with holes, TDMRs of at most 256 GiB, about
 * 16 GiB of PAMT: validate-only SYS.CONFIG and a complete TDMR.INIT
 * loop (about a million calls) without backing any PAMT page.
 */
void test_large_sparse(struct rng *r)
{
	struct swmod_range ram[8];
	struct layout l, bad;
	struct env *e;
	u64 calls = 0, tdx = 0;
	unsigned int i;

	for (i = 0; i < 8; i++) {
		ram[i].start = (u64)i * 520 * SZ_1G + (i ? 0 : 0);
		ram[i].end = ram[i].start + 512 * SZ_1G - (i == 7 ? 0 : 6 * SZ_1M);
	}
	ASSERT_EQ(lay_build_kernel_style(&l, ram, 8, 256 * SZ_1G), 0);
	for (i = 0; i < l.nr_tdmrs; i++)
		tdx += l.tdmrs[i].size;
	EXPECT_TRUE(tdx >= 4 * SZ_1T);
	EXPECT_TRUE(lay_pamt_pages(&l) * SZ_4K >= 16 * SZ_1G);
	l.hkid = 40;

	bad = l;
	bad.tdmrs[l.nr_tdmrs - 1].pamt_4k_size -= SZ_4K;

	e = env_for(&l, true);
	uplat_set_page_limit(e->p, 256);
	ASSERT_EQ(env_sys_init(e), 0);
	EXPECT_EQ(lay_submit(e, &bad),
		  SWMOD_STATUS_INFO(SWMOD_TDX_INVALID_PAMT, l.nr_tdmrs - 1, SWMOD_PS_4K, 0));
	ASSERT_EQ(lay_submit(e, &l), 0);
	ASSERT_EQ(env_key_config_all(e), 0);
	ASSERT_EQ(env_tdmr_init_all(e, &calls), 0);
	EXPECT_EQ(calls, tdx / SZ_4M);
	EXPECT_TRUE(swmod_pa_initialized(e->m, l.tdmrs[l.nr_tdmrs - 1].base));
	EXPECT_TRUE(uplat_resident_pages(e->p) < 64);
	t_diag("large: %u TDMRs, %llu GiB TDX memory, %llu MiB PAMT, %llu calls, %zu pages resident",
	       l.nr_tdmrs, tdx / SZ_1G, lay_pamt_pages(&l) * SZ_4K / SZ_1M, calls,
	       uplat_resident_pages(e->p));
	env_free(e);
}
