// SPDX-License-Identifier: GPL-2.0
/*
 * Drive the TDX host core's pure layout code (tdmr.c) with memory maps
 * and hand every layout it produces to the software TDX module, which
 * must accept it (TDH.SYS.CONFIG) and initialize it (KEY.CONFIG,
 * TDMR.INIT).  PAMT sizes are checked against the formula.
 *
 * Options: -s SEED (replay the random test), -v (verbose), -b (print
 * the PAMT benchmark table and exit).  Output is KTAP.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tdx.h"
#include "swmod.h"
#include "user_plat.h"
#include "ktap.h"

#define SZ_4K		0x1000ULL
#define SZ_1M		0x100000ULL
#define SZ_1G		0x40000000ULL

/* Host structures live below 1 MiB, outside every CMR. */
#define SCRATCH_ARRAY	0x10000ULL
#define SCRATCH_TDMRS	0x20000ULL
#define SCRATCH_SYSINFO	0x40000ULL
#define SCRATCH_CMRS	0x41000ULL

#define MAX_REGIONS	128
#define NR_LPS		4
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static int verbose;

struct map {
	unsigned int nr;
	struct tdx_memblock mem[MAX_REGIONS];
};

static void map_add(struct map *m, u64 start, u64 end, int nid)
{
	m->mem[m->nr].start = start;
	m->mem[m->nr].end = end;
	m->mem[m->nr].nid = nid;
	m->nr++;
}

/* ---- PAMT allocator: top-down inside the range asked for ------------ */

#define MAX_ALLOCS	(2 * TDX_LAYOUT_MAX_TDMRS)

struct pamt_alloc {
	const struct map *map;
	u64 base[MAX_ALLOCS], size[MAX_ALLOCS];
	unsigned int nr;
	long outstanding;	/* pages allocated and not freed */
	int calls;
	int fail_at;		/* this call and later ones fail; 0: never */
	int fail_once;		/* only call fail_at fails */
	int fail_errno;		/* what a failing call returns; 0: -ENOMEM */
};

static void pamt_alloc_init(struct pamt_alloc *a, const struct map *m)
{
	memset(a, 0, sizeof(*a));
	a->map = m;
}

static bool in_ram(const struct map *m, u64 start, u64 end, int nid)
{
	unsigned int i;

	for (i = 0; i < m->nr; i++)
		if (start >= m->mem[i].start && end <= m->mem[i].end)
			return m->mem[i].nid == nid;
	return false;
}

static int h_alloc(void *ctx, unsigned long nr_pages, int nid, u64 lo, u64 hi,
		   u64 *base)
{
	struct pamt_alloc *a = ctx;
	u64 size = nr_pages * SZ_4K, b;
	unsigned int i;

	if (++a->calls >= a->fail_at && a->fail_at &&
	    (!a->fail_once || a->calls == a->fail_at))
		return a->fail_errno ? a->fail_errno : -ENOMEM;
	if (hi - lo < size || a->nr == MAX_ALLOCS)
		return -ENOMEM;
	b = (hi - size) & ~(SZ_4K - 1);
	for (;;) {
		bool hit = false;

		if (b < lo)
			return -ENOMEM;
		for (i = 0; i < a->nr; i++) {
			if (a->size[i] && a->base[i] < b + size &&
			    b < a->base[i] + a->size[i]) {
				hit = true;
				if (a->base[i] < size)
					return -ENOMEM;
				b = a->base[i] - size;
			}
		}
		if (!hit)
			break;
	}
	if (!in_ram(a->map, b, b + size, nid))
		return -ENOMEM;
	a->base[a->nr] = b;
	a->size[a->nr++] = size;
	a->outstanding += nr_pages;
	*base = b;
	return 0;
}

static void h_free(void *ctx, u64 base, unsigned long nr_pages)
{
	struct pamt_alloc *a = ctx;
	unsigned int i;

	for (i = 0; i < a->nr; i++)
		if (a->base[i] == base && a->size[i] == nr_pages * SZ_4K)
			a->size[i] = 0;
	a->outstanding -= nr_pages;
}

/* CMRs = the map's regions, touching ones merged (as the module does). */
static void map_cmrs(const struct map *map, struct cmr_info *cmrs,
		     unsigned int *nr)
{
	unsigned int i, n = 0;

	for (i = 0; i < map->nr; i++) {
		u64 start = (map->mem[i].start + SZ_4K - 1) & ~(SZ_4K - 1);
		u64 end = map->mem[i].end & ~(SZ_4K - 1);

		if (n && cmrs[n - 1].base + cmrs[n - 1].size == start) {
			cmrs[n - 1].size = end - cmrs[n - 1].base;
			continue;
		}
		cmrs[n].base = start;
		cmrs[n].size = end - start;
		n++;
	}
	*nr = n;
}

/* ---- The software module ------------------------------------------- */

struct env {
	struct swmod_plat *p;
	struct swmod *m;
	struct tdx_layout_limits lim;
};

static u64 sc(struct env *e, unsigned int lp, u64 leaf, u64 rcx, u64 rdx,
	      u64 r8, u64 r9, struct swmod_regs *out)
{
	struct swmod_regs r = { .rax = leaf, .rcx = rcx, .rdx = rdx,
				.r8 = r8, .r9 = r9 };
	enum swmod_outcome oc;

	uplat_set_lp(e->p, lp);
	oc = swmod_seamcall(e->m, &r);
	if (out)
		*out = r;
	return swmod_outcome_status(oc, r.rax);
}

/* A module whose CMRs are the map's RAM, initialized up to SYS.INFO. */
static struct env *env_new(const struct map *map, bool validate_only)
{
	static const u8 lp_pkg[NR_LPS] = { 0, 0, 1, 1 };
	struct swmod_range ram[MAX_REGIONS];
	struct swmod_config cfg = {};
	struct tdsysinfo_struct si;
	struct env *e = calloc(1, sizeof(*e));
	unsigned int i;

	for (i = 0; i < map->nr; i++) {
		ram[i].start = map->mem[i].start;
		ram[i].end = map->mem[i].end;
	}
	cfg.nr_lps = NR_LPS;
	cfg.lp_pkg = lp_pkg;
	cfg.nr_mktme_keyids = 15;
	cfg.nr_tdx_keyids = 48;
	cfg.validate_only = validate_only;
	if (swmod_cmrs_from_ram(ram, map->nr, cfg.cmrs, &cfg.nr_cmrs))
		abort();
	e->p = uplat_create();
	if (swmod_create(&cfg, e->p, &e->m))
		abort();

	CHECK(sc(e, 0, TDH_SYS_INIT, 0, 0, 0, 0, NULL) == 0, "SYS.INIT");
	for (i = 0; i < NR_LPS; i++)
		CHECK(sc(e, i, TDH_SYS_LP_INIT, 0, 0, 0, 0, NULL) == 0,
		      "LP.INIT %u", i);
	CHECK(sc(e, 0, TDH_SYS_INFO, SCRATCH_SYSINFO, TDSYSINFO_STRUCT_SIZE,
		 SCRATCH_CMRS, MAX_CMRS, NULL) == 0, "SYS.INFO");
	uplat_read(e->p, SCRATCH_SYSINFO, &si, sizeof(si));
	e->lim.max_tdmrs = si.max_tdmrs;
	e->lim.max_reserved_per_tdmr = si.max_reserved_per_tdmr;
	e->lim.pamt_entry_size = si.pamt_entry_size;
	return e;
}

static void env_free(struct env *e)
{
	swmod_destroy(e->m);
	uplat_destroy(e->p);
	free(e);
}

/* TDH.SYS.CONFIG with the layout, as the kernel hands it over. */
static u64 env_config(struct env *e, const struct tdmr_list *list)
{
	u64 pa[TDX_LAYOUT_MAX_TDMRS];
	unsigned int i;

	for (i = 0; i < list->nr_tdmrs; i++) {
		pa[i] = SCRATCH_TDMRS + (u64)i * list->stride;
		uplat_write(e->p, pa[i], tdmr_list_entry(list, i), list->stride);
	}
	uplat_write(e->p, SCRATCH_ARRAY, pa, list->nr_tdmrs * sizeof(u64));
	return sc(e, 0, TDH_SYS_CONFIG, SCRATCH_ARRAY, list->nr_tdmrs, 16, 0,
		  NULL);
}

/* KEY.CONFIG per package, then TDMR.INIT loops as tdx.c runs them. */
static void env_finish(struct env *e, const struct tdmr_list *list)
{
	struct swmod_regs out;
	unsigned int i;
	u64 st, base, size, next;

	CHECK(sc(e, 0, TDH_SYS_KEY_CONFIG, 0, 0, 0, 0, NULL) == 0, "pkg 0");
	CHECK(sc(e, 2, TDH_SYS_KEY_CONFIG, 0, 0, 0, 0, NULL) == 0, "pkg 1");
	for (i = 0; i < list->nr_tdmrs; i++) {
		const struct tdmr_info *t = tdmr_list_entry(list, i);

		do {
			st = sc(e, i % NR_LPS, TDH_SYS_TDMR_INIT, t->base, 0, 0,
				0, &out);
			CHECK(!(st & TDX_STATUS_ERROR), "TDMR.INIT %#llx", st);
			if (st)
				break;
		} while (out.rdx < tdmr_end(t));
		swmod_tdmr_progress(e->m, i, &base, &size, &next);
		CHECK(next >= base + size, "TDMR %u not fully initialized", i);
	}
}

/* ---- Checks on a layout, independent of the module ------------------ */

static u64 formula_bytes(const struct tdmr_list *list)
{
	u64 sum = 0;
	unsigned int i;

	for (i = 0; i < list->nr_tdmrs; i++) {
		u64 s = tdmr_list_entry(list, i)->size;

		/* 16-byte entries per 4K, 2M and 1G page, each level in pages */
		sum += ((s / SZ_4K * 16 + SZ_4K - 1) & ~(SZ_4K - 1)) +
		       ((s / (2 * SZ_1M) * 16 + SZ_4K - 1) & ~(SZ_4K - 1)) +
		       ((s / SZ_1G * 16 + SZ_4K - 1) & ~(SZ_4K - 1));
	}
	return sum;
}

static void check_layout(const struct map *map, const struct tdmr_list *list,
			 const struct pamt_alloc *a)
{
	unsigned int i, j, k;

	CHECK(tdmrs_pamt_bytes(list) == formula_bytes(list),
	      "PAMT %llu != formula %llu", tdmrs_pamt_bytes(list),
	      formula_bytes(list));
	CHECK(a->outstanding * SZ_4K == tdmrs_pamt_bytes(list),
	      "allocator %ld pages", a->outstanding);

	/* Every byte of memory is in a TDMR; TDMRs are 1G aligned, sorted. */
	for (k = 0; k < map->nr; k++) {
		bool covered = false;

		for (i = 0; i < list->nr_tdmrs; i++) {
			const struct tdmr_info *t = tdmr_list_entry(list, i);

			if (map->mem[k].start >= t->base &&
			    map->mem[k].start < tdmr_end(t))
				covered = true;
		}
		CHECK(covered, "region %u not covered", k);
	}
	for (i = 0; i < list->nr_tdmrs; i++) {
		const struct tdmr_info *t = tdmr_list_entry(list, i);
		u64 prev = 0;

		CHECK(!(t->base % SZ_1G) && !(t->size % SZ_1G) && t->size,
		      "TDMR %u alignment", i);
		if (i)
			CHECK(t->base >= tdmr_end(tdmr_list_entry(list, i - 1)),
			      "TDMR %u order", i);
		/* The PAMT is on the node of the TDMR's first memory. */
		for (k = 0; k < map->nr; k++)
			if (map->mem[k].end > t->base &&
			    map->mem[k].start < tdmr_end(t))
				break;
		CHECK(list->pamt[i].nid == map->mem[k].nid, "TDMR %u nid", i);
		for (j = 0; j < list->nr_rsvd[i]; j++) {
			const struct tdmr_reserved_area *r = &t->reserved_areas[j];

			CHECK(r->size && r->offset >= prev &&
			      r->offset + r->size <= t->size,
			      "TDMR %u area %u", i, j);
			prev = r->offset + r->size;
		}
		for (; j < list->max_rsvd; j++)
			CHECK(!t->reserved_areas[j].size, "TDMR %u tail %u", i, j);
	}
}

static void dump_layout(const struct tdmr_list *list)
{
	unsigned int i, j;

	for (i = 0; i < list->nr_tdmrs; i++) {
		const struct tdmr_info *t = tdmr_list_entry(list, i);

		t_diag("TDMR %u [%#llx, %#llx) PAMT %#llx+%#llx nid %d", i,
		       t->base, tdmr_end(t), list->pamt[i].base,
		     list->pamt[i].size, list->pamt[i].nid);
		for (j = 0; j < list->nr_rsvd[i]; j++)
			t_diag("  rsvd [%#llx, %#llx)",
			       t->base + t->reserved_areas[j].offset,
			     t->base + t->reserved_areas[j].offset +
			     t->reserved_areas[j].size);
	}
}

/*
 * Build the layout for @map and run it through the module.  Returns
 * the layout code's result; on success the module must accept it.
 */
static int run_map(const struct map *map, bool validate_only, bool init,
		   u64 *pamt_bytes, unsigned int *nr_tdmrs)
{
	struct env *e = env_new(map, validate_only);
	struct tdx_layout_error err = {};
	struct pamt_alloc a;
	struct tdx_pamt_ops ops = { h_alloc, h_free, &a };
	struct tdmr_list list;
	void *mem = aligned_alloc(TDMR_INFO_ALIGNMENT,
				  tdmr_list_bytes(&e->lim));
	struct cmr_info cmrs[MAX_REGIONS];
	struct tdx_layout_in in = {
		.mem = map->mem, .nr_mem = map->nr, .cmrs = cmrs,
	};
	unsigned int i;
	u64 st;
	int ret;

	map_cmrs(map, cmrs, &in.nr_cmrs);
	pamt_alloc_init(&a, map);
	CHECK(tdmr_list_init(&list, mem, &e->lim) == 0, "list init");
	ret = tdx_construct_tdmrs(&list, &in, &ops, &err);
	if (ret) {
		t_diag("layout error %d: step %d, %u [%#llx, %#llx) count %u limit %u",
		       ret, err.step, err.tdmr, err.base, err.end, err.count,
		     err.limit);
		if (verbose)
			for (i = 0; i < map->nr; i++)
				t_diag("  mem [%#llx, %#llx) nid %d", map->mem[i].start,
				       map->mem[i].end, map->mem[i].nid);
		CHECK(a.outstanding == 0, "%ld PAMT pages leaked on failure",
		      a.outstanding);
		goto out;
	}
	if (verbose)
		dump_layout(&list);
	check_layout(map, &list, &a);
	st = env_config(e, &list);
	CHECK(st == 0, "SYS.CONFIG refused the layout: %#llx", st);
	if (!st && init)
		env_finish(e, &list);
	if (st && !verbose)
		dump_layout(&list);
	if (pamt_bytes)
		*pamt_bytes = tdmrs_pamt_bytes(&list);
	if (nr_tdmrs)
		*nr_tdmrs = list.nr_tdmrs;
	tdmrs_free_pamt_all(&list, &ops);
	CHECK(a.outstanding == 0, "%ld PAMT pages leaked", a.outstanding);
out:
	free(mem);
	env_free(e);
	return ret;
}

/* ---- Tests ---------------------------------------------------------- */

/* [1M, 2G): one TDMR [0, 2G), the first 1 MiB and the PAMT reserved. */
static void test_single_region(void)
{
	struct map m = {};
	unsigned int n;
	u64 pamt;

	map_add(&m, SZ_1M, 2 * SZ_1G, 0);
	CHECK(run_map(&m, false, true, &pamt, &n) == 0, "layout");
	CHECK(n == 1, "%u TDMRs", n);
	/* 2 GiB: 8 MiB + 16 KiB + one page for the 1G level */
	CHECK(pamt == 8 * SZ_1M + 16 * 1024 + SZ_4K, "PAMT %llu", pamt);
}

/*
 *   [1M,512M) [600M,1.25G) [1.5G,3G)   [4G,6G)
 *   TDMR [0,3G)                         [4G,6G)
 * Holes inside a window are gaps (CMRs = RAM) and get reserved areas;
 * the windows holding memory merge into TDMRs [0, 3G) and [4G, 6G).
 */
static void test_holes(void)
{
	struct map m = {};
	unsigned int n;

	map_add(&m, SZ_1M, 512 * SZ_1M, 0);
	map_add(&m, 600 * SZ_1M, SZ_1G + 256 * SZ_1M, 0);
	map_add(&m, SZ_1G + 512 * SZ_1M, 3 * SZ_1G, 0);
	map_add(&m, 4 * SZ_1G, 6 * SZ_1G, 0);
	CHECK(run_map(&m, true, true, NULL, &n) == 0, "layout");
	CHECK(n == 2, "%u TDMRs", n);
}

/* Two nodes, interleaved; each PAMT goes to its TDMR's node. */
static void test_numa(void)
{
	struct map m = {};

	map_add(&m, SZ_1M, 2 * SZ_1G, 0);
	map_add(&m, 2 * SZ_1G, 3 * SZ_1G, 1);
	map_add(&m, 4 * SZ_1G, 8 * SZ_1G, 1);
	map_add(&m, 8 * SZ_1G, 12 * SZ_1G, 0);
	CHECK(run_map(&m, true, true, NULL, NULL) == 0, "layout");
}

/* Regions that start and end anywhere on 4 KiB boundaries. */
static void test_unaligned(void)
{
	struct map m = {};

	map_add(&m, SZ_1M + 3 * SZ_4K, SZ_1G + 123 * SZ_4K, 0);
	map_add(&m, SZ_1G + 5 * SZ_1M, 3 * SZ_1G - 7 * SZ_4K, 0);
	map_add(&m, 5 * SZ_1G + SZ_4K, 7 * SZ_1G + 2 * SZ_4K, 0);
	CHECK(run_map(&m, true, true, NULL, NULL) == 0, "layout");
}

/* 64 GiB in three TDMRs needs 65667 PAMT pages. */
static void test_golden_64g(void)
{
	struct map m = {};
	unsigned int n;
	u64 pamt;

	map_add(&m, SZ_1M, 2 * SZ_1G, 0);
	map_add(&m, 4 * SZ_1G, 34 * SZ_1G, 0);
	map_add(&m, 36 * SZ_1G, 68 * SZ_1G, 0);
	CHECK(run_map(&m, true, false, &pamt, &n) == 0, "layout");
	CHECK(n == 3 && pamt / SZ_4K == 65667, "%u TDMRs, %llu pages", n,
	      pamt / SZ_4K);
}

/* Run the planner alone (no module) with limits of our choosing. */
static int plan_only(const struct map *m, const struct tdx_layout_limits *lim,
		     struct pamt_alloc *a, struct tdx_layout_error *err,
		     unsigned int *nr_tdmrs, unsigned int *nr_blocks)
{
	struct tdx_pamt_ops ops = { h_alloc, h_free, a };
	struct cmr_info cmrs[MAX_REGIONS];
	struct tdx_layout_in in = {
		.mem = m->mem, .nr_mem = m->nr, .cmrs = cmrs,
	};
	struct tdmr_list list;
	void *mem = aligned_alloc(512, tdmr_list_bytes(lim));
	int ret;

	map_cmrs(m, cmrs, &in.nr_cmrs);
	tdmr_list_init(&list, mem, lim);
	ret = tdx_construct_tdmrs(&list, &in, &ops, err);
	if (nr_tdmrs)
		*nr_tdmrs = list.nr_tdmrs;
	if (nr_blocks)
		*nr_blocks = list.nr_blocks;
	if (!ret)
		tdmrs_free_pamt_all(&list, &ops);
	free(mem);
	return ret;
}

/*
 * 65 islands 2 GiB apart, each its own CMR: with 64 TDMRs allowed the
 * planner covers empty GiBs to merge islands (each merge costs a gap);
 * with 2 TDMRs of 16 areas it cannot: 65 islands need 64 gaps + 1.
 */
static void test_tdmrs_exhausted(void)
{
	struct tdx_layout_limits lim64 = { 64, 16, 16 }, lim2 = { 2, 16, 16 };
	struct tdx_layout_error err = {};
	struct pamt_alloc a;
	struct map m = {};
	unsigned int i, n;

	for (i = 0; i < 65; i++)
		map_add(&m, (2 * i + 1) * SZ_1G, (2 * i + 1) * SZ_1G + 512 * SZ_1M,
			0);
	pamt_alloc_init(&a, &m);
	CHECK(plan_only(&m, &lim64, &a, &err, &n, NULL) == 0,
	      "bridged: step %d count %u tdmr %u", err.step, err.count, err.tdmr);
	CHECK(n < 64, "%u TDMRs", n);
	pamt_alloc_init(&a, &m);
	CHECK(plan_only(&m, &lim2, &a, &err, NULL, NULL) == -ENOSPC, "ENOSPC");
	CHECK(err.step == TDX_LAYOUT_TDMRS_EXHAUSTED && err.limit == 2 &&
	      err.count > 2, "step %d count %u", err.step, err.count);
	CHECK(a.outstanding == 0, "%ld pages leaked", a.outstanding);
}

/*
 * 20 islands in one GiB, CMRs = the islands: 20 gaps in the window
 * [0, 1G), more than 16 reserved areas.  No layout exists.
 */
static void test_rsvd_exhausted(void)
{
	struct tdx_layout_limits lim = { 64, 16, 16 };
	struct tdx_layout_error err = {};
	struct pamt_alloc a;
	struct map m = {};
	unsigned int i;

	for (i = 0; i < 20; i++)
		map_add(&m, SZ_1M + i * 32 * SZ_1M, SZ_1M + i * 32 * SZ_1M +
			16 * SZ_1M, 0);
	pamt_alloc_init(&a, &m);
	CHECK(plan_only(&m, &lim, &a, &err, NULL, NULL) == -ENOSPC, "ENOSPC");
	CHECK(err.step == TDX_LAYOUT_WINDOW_IMPOSSIBLE && err.base == 0 &&
	      err.end == SZ_1G && err.count == 21 && err.limit == 16,
	      "step %d window %#llx count %u", err.step, err.base, err.count);
	CHECK(a.outstanding == 0, "%ld pages leaked", a.outstanding);
}

/*
 * The node's PAMT block cannot be allocated: the planner falls back to
 * one block per TDMR.  When every allocation fails, nothing leaks.
 */
static void test_pamt_alloc_failure(void)
{
	struct tdx_layout_limits lim = { 64, 16, 16 };
	struct tdx_layout_error err = {};
	struct pamt_alloc a;
	struct map m = {};
	unsigned int n, blocks;

	map_add(&m, SZ_1M, 2 * SZ_1G, 0);
	map_add(&m, 4 * SZ_1G, 6 * SZ_1G, 0);
	map_add(&m, 8 * SZ_1G, 9 * SZ_1G, 0);
	pamt_alloc_init(&a, &m);
	CHECK(plan_only(&m, &lim, &a, &err, &n, &blocks) == 0, "layout");
	CHECK(n == 3 && blocks == 1, "%u TDMRs, %u PAMT blocks", n, blocks);

	/* Every try for the node's block fails once; per TDMR works. */
	pamt_alloc_init(&a, &m);
	a.fail_at = 1;
	a.fail_once = 1;
	CHECK(plan_only(&m, &lim, &a, &err, &n, &blocks) == 0, "fallback");
	CHECK(blocks >= 1, "%u PAMT blocks", blocks);
	CHECK(a.outstanding == 0, "%ld pages leaked", a.outstanding);

	pamt_alloc_init(&a, &m);
	a.fail_at = 1;
	CHECK(plan_only(&m, &lim, &a, &err, NULL, NULL) == -ENOMEM, "ENOMEM");
	CHECK(err.step == TDX_LAYOUT_PAMT_ALLOC, "step %d", err.step);
	CHECK(a.outstanding == 0, "%ld pages leaked", a.outstanding);
}

/*
 * The allocator is interrupted (a fatal signal, -EINTR): the layout
 * code stops at once, tries no other spot or node, frees what it had
 * and returns -EINTR, so that the kernel can leave the module
 * uninitialized and retry later.  Expect one allocator call per block
 * placed before the interruption, plus the interrupted one.
 */
static void test_pamt_alloc_interrupted(void)
{
	struct tdx_layout_limits lim = { 64, 16, 16 };
	struct tdx_layout_error err = {};
	struct pamt_alloc a;
	struct map m = {};

	map_add(&m, SZ_1M, 2 * SZ_1G, 0);
	map_add(&m, 4 * SZ_1G, 6 * SZ_1G, 1);

	/* The first allocation (node 0's block) is interrupted. */
	pamt_alloc_init(&a, &m);
	a.fail_at = 1;
	a.fail_errno = -EINTR;
	CHECK(plan_only(&m, &lim, &a, &err, NULL, NULL) == -EINTR, "EINTR");
	CHECK(a.calls == 1, "%d allocator calls after -EINTR, want 1",
	      a.calls);
	CHECK(err.step == TDX_LAYOUT_PAMT_ALLOC, "step %d", err.step);
	CHECK(a.outstanding == 0, "%ld pages leaked", a.outstanding);

	/* Node 0's block is placed, node 1's is interrupted: freed. */
	pamt_alloc_init(&a, &m);
	a.fail_at = 2;
	a.fail_errno = -EINTR;
	CHECK(plan_only(&m, &lim, &a, &err, NULL, NULL) == -EINTR,
	      "EINTR on the second block");
	CHECK(a.calls == 2, "%d allocator calls, want 2", a.calls);
	CHECK(a.outstanding == 0, "%ld pages leaked", a.outstanding);
}

static struct rng rng;

/*
 * Random maps: 1..12 regions of 4 MiB..32 GiB with gaps of 4 KiB..8
 * GiB, on up to two nodes.  The CMRs are the regions, so every hole
 * is a gap; 12 regions never put more than 13 gaps in a window, so
 * every map must get a layout the module accepts.
 */
static void test_random(void)
{
	unsigned int iter, accepted = 0;

	for (iter = 0; iter < 150; iter++) {
		struct map m = {};
		unsigned int n = rng_range(&rng, 1, 12), i;
		u64 pos = SZ_1M + rng_range(&rng, 0, 64) * SZ_4K, total = 0;
		int nid = 0, ret;

		for (i = 0; i < n; i++) {
			u64 size = rng_range(&rng, 1, 8192) * 4 * SZ_1M +
				   rng_range(&rng, 0, 255) * SZ_4K;

			if (rng_next(&rng) % 4 == 0)
				nid = !nid;
			map_add(&m, pos, pos + size, nid);
			total += size;
			pos += size + (rng_next(&rng) % 2 ? rng_range(&rng, 1, 2048) * SZ_4K :
				       rng_range(&rng, 1, 8) * SZ_1G);
		}
		ret = run_map(&m, true, total <= 16 * SZ_1G, NULL, NULL);
		if (!ret)
			accepted++;
		else
			CHECK(0, "iteration %u: layout failed: %d", iter, ret);
		if (t_failed())
			break;
	}
	t_diag("%u layouts accepted by SYS.CONFIG", accepted);
	CHECK(accepted == iter, "only %u of %u layouts accepted", accepted,
	      iter);
}

static const struct {
	const char *name;
	void (*fn)(void);
} tests[] = {
	{ "single_region", test_single_region },
	{ "holes", test_holes },
	{ "numa", test_numa },
	{ "unaligned", test_unaligned },
	{ "golden_pamt_64g", test_golden_64g },
	{ "tdmrs_exhausted", test_tdmrs_exhausted },
	{ "rsvd_exhausted", test_rsvd_exhausted },
	{ "pamt_alloc_failure", test_pamt_alloc_failure },
	{ "pamt_alloc_interrupted", test_pamt_alloc_interrupted },
	{ "random_layouts", test_random },
};

/* PAMT against memory size, one region from 1 MiB, printed only. */
static void bench(void)
{
	static const u64 gib[] = { 1, 2, 4, 8, 16, 64, 256, 1024, 4096 };
	unsigned int i;

	printf("%10s %12s %8s %10s\n", "memory", "PAMT KB", "TDMRs",
	       "PAMT/mem");
	for (i = 0; i < ARRAY_SIZE(gib); i++) {
		struct map m = {};
		unsigned int n;
		u64 pamt;

		map_add(&m, SZ_1M, gib[i] * SZ_1G, 0);
		if (run_map(&m, true, false, &pamt, &n))
			continue;
		printf("%8lluG %12llu %8u %9.3f%%\n", gib[i], pamt / 1024, n,
		       100.0 * pamt / (gib[i] * SZ_1G));
	}
}

int main(int argc, char **argv)
{
	unsigned int i, failed = 0;
	int opt;

	setvbuf(stdout, NULL, _IOLBF, 0);
	rng.s = time(NULL) ^ getpid();
	while ((opt = getopt(argc, argv, "s:vb")) != -1) {
		switch (opt) {
		case 's':
			rng.s = strtoull(optarg, NULL, 0);
			break;
		case 'v':
			verbose = 1;
			break;
		case 'b':
			bench();
			return 0;
		default:
			return 2;
		}
	}

	printf("KTAP version 1\n1..%zu\n", ARRAY_SIZE(tests));
	printf("# seed %llu (replay with -s %llu)\n", rng.s, rng.s);
	for (i = 0; i < ARRAY_SIZE(tests); i++) {
		t_begin(tests[i].name);
		tests[i].fn();
		failed += t_end(i + 1);
	}
	return failed ? 1 : 0;
}
