// SPDX-License-Identifier: GPL-2.0
/*
 * Tests of the TDX memory planner (arch/x86/virt/vmx/tdx/tdmr.c) and
 * of the tdx-plan tool.  KTAP on stdout.
 *
 *   -s SEED   replay the randomized tests (the seed is always printed)
 *   -t TOOL   path of the tdx-plan binary (tool tests; skipped without)
 *   -d DIR    directory of the example inputs
 *   -b TOOL   the tool built without sanitizers: time large maps (bench:)
 *   -v        verbose
 *
 * Every plan is checked against invariants: the module rules (by an
 * independent checker with the limits of the test, and by the software
 * TDX module's SYS.CONFIG/KEY.CONFIG/TDMR.INIT when the limits are the
 * module's), PAMT == the formula, allocated == the formula, PAMT <=
 * the naive layout's, nothing leaked.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "plan_lib.h"
#include "ktap.h"

#define SZ_4K		0x1000ULL
#define SZ_1M		0x100000ULL
#define SZ_1G		0x40000000ULL
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static int verbose;
static unsigned int max_tries_ok;	/* most tries a planned map took */
static const char *tool, *exdir = "examples";
static struct rng rng;

/* ---- Building inputs -------------------------------------------------- */

static struct pl_input in_buf;

static void in_reset(struct pl_input *in, unsigned int tdmrs,
		     unsigned int rsvd)
{
	memset(in, 0, sizeof(*in));
	in->lim.max_tdmrs = tdmrs;
	in->lim.max_reserved_per_tdmr = rsvd;
	in->lim.pamt_entry_size = 16;
}

static void add_ram(struct pl_input *in, u64 s, u64 e, int nid)
{
	in->mem[in->nr_mem].start = s;
	in->mem[in->nr_mem].end = e;
	in->mem[in->nr_mem].nid = nid;
	in->nr_mem++;
}

static void add_cmr(struct pl_input *in, u64 s, u64 e)
{
	in->cmrs[in->nr_cmrs].base = s;
	in->cmrs[in->nr_cmrs].size = e - s;
	in->nr_cmrs++;
}

/* ---- An independent checker of the module rules ---------------------- */

static bool in_cmr_run(const struct pl_input *in, u64 s, u64 e)
{
	unsigned int i;
	u64 cur = s;

	if (s >= e)
		return true;
	for (i = 0; i < in->nr_cmrs; i++) {
		u64 cb = in->cmrs[i].base, ce = cb + in->cmrs[i].size;

		if (cur >= cb && cur < ce) {
			cur = ce;
			if (cur >= e)
				return true;
		} else if (cur != s && cb != cur) {
			break;
		}
	}
	return cur >= e;
}

/* Is [s, e) inside a reserved area of @t? */
static bool covered_by_rsvd(const struct pl_tdmr *t, u64 s, u64 e)
{
	unsigned int j;

	for (j = 0; j < t->nr_rsvd && s < e; j++) {
		if (t->rsvd_end[j] <= s)
			continue;
		if (t->rsvd_start[j] > s)
			return false;
		s = t->rsvd_end[j];
	}
	return s >= e;
}

/* R1-R4 with the limits of @in, plus every byte of memory covered. */
static const char *rules_violated(const struct pl_input *in,
				  const struct pl_tdmr *t, unsigned int nr)
{
	unsigned int i, j, k, l, m;

	if (!nr || nr > in->lim.max_tdmrs)
		return "TDMR count";
	for (i = 0; i < nr; i++) {
		u64 cur;

		if (t[i].base % SZ_1G || t[i].end % SZ_1G ||
		    t[i].end <= t[i].base || (i && t[i].base < t[i - 1].end))
			return "TDMR alignment/order";
		if (t[i].nr_rsvd > in->lim.max_reserved_per_tdmr)
			return "too many reserved areas";
		for (j = 0; j < t[i].nr_rsvd; j++)
			if (t[i].rsvd_start[j] < t[i].base ||
			    t[i].rsvd_end[j] > t[i].end ||
			    t[i].rsvd_end[j] <= t[i].rsvd_start[j] ||
			    (j && t[i].rsvd_start[j] < t[i].rsvd_end[j - 1]) ||
			    (t[i].rsvd_start[j] | t[i].rsvd_end[j]) % SZ_4K)
				return "reserved area invalid";
		/* R2: non-reserved parts inside CMRs. */
		cur = t[i].base;
		for (j = 0; j <= t[i].nr_rsvd; j++) {
			u64 e = j < t[i].nr_rsvd ? t[i].rsvd_start[j] : t[i].end;

			if (!in_cmr_run(in, cur, e))
				return "TDMR memory outside the CMRs";
			if (j < t[i].nr_rsvd)
				cur = t[i].rsvd_end[j];
		}
		/* R4: PAMTs big enough, in a CMR, over reserved parts only. */
		for (l = 0; l < TDX_PS_NR; l++) {
			u64 ps = t[i].pamt_base[l], pe = ps + t[i].pamt_size[l];

			if (t[i].pamt_size[l] <
			    ((t[i].end - t[i].base) >> (12 + 9 * l)) * 16)
				return "PAMT too small";
			if (!in_cmr_run(in, ps, pe))
				return "PAMT outside the CMRs";
			for (k = 0; k < nr; k++) {
				u64 s = ps > t[k].base ? ps : t[k].base;
				u64 e = pe < t[k].end ? pe : t[k].end;

				if (s < e && !covered_by_rsvd(&t[k], s, e))
					return "PAMT over usable TDMR memory";
				for (m = 0; m < TDX_PS_NR; m++) {
					u64 qs = t[k].pamt_base[m];
					u64 qe = qs + t[k].pamt_size[m];

					if ((k != i || m != l) && qs < pe &&
					    ps < qe)
						return "PAMTs overlap";
				}
			}
		}
	}
	for (k = 0; k < in->nr_mem; k++) {
		u64 s = in->mem[k].start;

		for (i = 0; i < nr && s < in->mem[k].end; i++)
			if (s >= t[i].base && s < t[i].end)
				s = t[i].end;
		if (s < in->mem[k].end)
			return "memory not covered";
	}
	return NULL;
}

/* ---- Running the planner with all invariants ------------------------- */

struct outcome {
	int ret;
	struct tdx_layout_error err;
	unsigned int nr_tdmrs, nr_blocks, tries;
	double ms;
	u64 pamt;
	struct pl_naive naive;
};

static u64 formula(const struct tdmr_list *list)
{
	u64 sum = 0;
	unsigned int i;

	for (i = 0; i < list->nr_tdmrs; i++) {
		u64 s = tdmr_list_entry(list, i)->size;

		sum += ((s / SZ_4K * 16 + SZ_4K - 1) & ~(SZ_4K - 1)) +
		       ((s / (2 * SZ_1M) * 16 + SZ_4K - 1) & ~(SZ_4K - 1)) +
		       ((s / SZ_1G * 16 + SZ_4K - 1) & ~(SZ_4K - 1));
	}
	return sum;
}

static void dump(const struct pl_input *in, const struct tdmr_list *list)
{
	unsigned int i;

	for (i = 0; i < in->nr_mem; i++)
		t_diag("ram %#llx %#llx nid=%d", in->mem[i].start, in->mem[i].end,
		       in->mem[i].nid);
	for (i = 0; i < in->nr_cmrs; i++)
		t_diag("cmr %#llx %#llx", in->cmrs[i].base,
		       in->cmrs[i].base + in->cmrs[i].size);
	t_diag("limits max_tdmrs=%u max_reserved=%u", in->lim.max_tdmrs,
	       in->lim.max_reserved_per_tdmr);
	if (list)
		pl_print_layout(stdout, list);
}

static unsigned int yields;

static void count_yield(void)
{
	yields++;
}

/* Plan @in; on success check every invariant.  @engine: module too. */
static void run(const struct pl_input *in, bool engine, struct outcome *o)
{
	struct tdx_layout_in li = {
		.mem = in->mem, .nr_mem = in->nr_mem,
		.cmrs = in->cmrs, .nr_cmrs = in->nr_cmrs, .resched = count_yield,
	};
	struct tdx_pamt_ops ops = pl_pamt_ops_tmpl;
	static struct pl_tdmr out[TDX_LAYOUT_MAX_TDMRS];
	struct tdmr_list list;
	struct timespec t0, t1;
	struct pl_alloc a;
	const char *why;
	void *mem = aligned_alloc(TDMR_INFO_ALIGNMENT, tdmr_list_bytes(&in->lim));
	unsigned int nr;
	u64 st;

	memset(o, 0, sizeof(*o));
	pl_naive(in, &o->naive);
	pl_alloc_init(&a, in);
	ops.ctx = &a;
	CHECK(!tdmr_list_init(&list, mem, &in->lim), "list init");
	yields = 0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	o->ret = tdx_construct_tdmrs(&list, &li, &ops, &o->err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	o->ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
	o->tries = list.tries;
	CHECK(list.tries <= TDX_PLAN_MAX_TRIES, "%u tries", list.tries);
	/* The hook runs between two tries, never during one. */
	CHECK(yields == (list.tries ? list.tries - 1 : 0), "%u yields, %u tries",
	      yields, list.tries);
	if (!o->ret && list.tries > max_tries_ok)
		max_tries_ok = list.tries;
	if (o->ret) {
		CHECK(a.outstanding == 0, "%ld pages leaked on failure",
		      a.outstanding);
		free(mem);
		return;
	}
	o->nr_tdmrs = list.nr_tdmrs;
	o->nr_blocks = list.nr_blocks;
	o->pamt = tdmrs_pamt_bytes(&list);
	CHECK(o->pamt == formula(&list), "PAMT %llu != formula %llu", o->pamt,
	      formula(&list));
	CHECK(tdmrs_pamt_allocated(&list) == o->pamt &&
	      (u64)a.outstanding * SZ_4K == o->pamt,
	      "allocated %llu, allocator %ld pages, formula %llu",
	      tdmrs_pamt_allocated(&list), a.outstanding, o->pamt);
	/*
	 * Never more PAMT than the naive layout, when that one is valid.
	 * When it is not, the plan may need more TDMRs: each costs at most
	 * one more page of 1G-level PAMT, but never an extra GiB (unless
	 * max_tdmrs forced covering empty GiBs, which naive never does).
	 */
	if (!o->naive.fails)
		CHECK(o->pamt <= o->naive.pamt_bytes, "PAMT %llu > naive %llu",
		      o->pamt, o->naive.pamt_bytes);
	else if (o->naive.nr_tdmrs <= in->lim.max_tdmrs)
		CHECK(o->pamt <= o->naive.pamt_bytes + SZ_4K *
		      (o->nr_tdmrs > o->naive.nr_tdmrs ?
		       o->nr_tdmrs - o->naive.nr_tdmrs : 0),
		      "PAMT %llu > naive %llu with %u vs %u TDMRs", o->pamt,
		      o->naive.pamt_bytes, o->nr_tdmrs, o->naive.nr_tdmrs);
	nr = pl_from_list(&list, out);
	why = rules_violated(in, out, nr);
	CHECK(!why, "plan breaks a module rule: %s", why);
	if (engine) {
		st = pl_module_check(in, out, nr, verbose ? stdout : NULL);
		CHECK(st == 0, "software module refused: %#llx %s", st,
		      tdx_status_name(st));
		why = why ? why : st ? "module" : NULL;
	}
	if (why || verbose)
		dump(in, &list);
	tdmrs_free_pamt_all(&list, &ops);
	CHECK(a.outstanding == 0, "%ld PAMT pages leaked", a.outstanding);
	free(mem);
}

/* ---- Brute force ------------------------------------------------------ */

/*
 * Small maps: W windows on a 128 MiB grid, each slot RAM, a CMR range
 * that is not RAM, or outside the CMRs.  Limits 1..3 TDMRs and 1..3
 * reserved areas.  The brute force enumerates every set of TDMRs (any
 * windows, any grouping of neighbours) and every placement of each
 * TDMR's PAMT at an end of a RAM piece (stacked when several share an
 * end: other positions never need fewer areas), counting reserved
 * areas exactly (an area may span any memory that is not RAM, so
 * ranges outside the CMRs separated only by such memory share one).
 * The planner must succeed iff that finds a layout.
 */
#define BF_W		3
#define BF_SLOTS	8
#define BF_SLOT		(SZ_1G / BF_SLOTS)
#define BF_N		(BF_W * BF_SLOTS)

enum { S_GAP, S_CMR, S_RAM };

struct bf {
	const struct pl_input *in;
	unsigned int nt;
	u64 tb[BF_W], te[BF_W];
	unsigned int np;
	u64 ps[2 * BF_N], pe[2 * BF_N];	/* RAM pieces, within one TDMR */
	int pt[2 * BF_N];		/* TDMR of the piece */
	u64 psz[BF_W];
	unsigned int choice[BF_W];	/* piece * 2 + (0 top, 1 bottom) */
};

/* Does [s, e) hold TDX memory (RAM)? */
static bool bf_ram_in(const struct pl_input *in, u64 s, u64 e)
{
	unsigned int k;

	for (k = 0; k < in->nr_mem; k++)
		if (in->mem[k].start < e && in->mem[k].end > s)
			return true;
	return false;
}

/*
 * Reserved areas of TDMR @i with the PAMTs as chosen.  Two ranges that
 * must be reserved share an area when only memory that is not TDX
 * memory (outside the CMRs, or in a CMR but not RAM) lies between
 * them: an area may cover any such memory.
 */
static unsigned int bf_areas(struct bf *b, unsigned int i)
{
	u64 s[4 * BF_N], e[4 * BF_N];
	unsigned int n = 0, k, l, areas = 0;
	u64 cur = b->tb[i];

	/* Gaps. */
	for (k = 0; k < b->in->nr_cmrs && cur < b->te[i]; k++) {
		u64 cb = b->in->cmrs[k].base, ce = cb + b->in->cmrs[k].size;

		if (ce <= cur)
			continue;
		if (cb >= b->te[i])
			break;
		if (cb > cur) {
			s[n] = cur;
			e[n++] = cb;
		}
		cur = ce;
	}
	if (cur < b->te[i]) {
		s[n] = cur;
		e[n++] = b->te[i];
	}
	/* PAMT stacks at piece ends inside TDMR i. */
	for (k = 0; k < 2 * b->np; k++) {
		u64 sz = 0;

		if (b->pt[k / 2] != (int)i)
			continue;
		for (l = 0; l < b->nt; l++)
			if (b->choice[l] == k)
				sz += b->psz[l];
		if (!sz)
			continue;
		if (k % 2 == 0) {
			s[n] = b->pe[k / 2] - sz;
			e[n++] = b->pe[k / 2];
		} else {
			s[n] = b->ps[k / 2];
			e[n++] = b->ps[k / 2] + sz;
		}
	}
	/* Count after merging touching ranges (sort by start). */
	for (k = 1; k < n; k++)
		for (l = k; l && s[l - 1] > s[l]; l--) {
			u64 t = s[l]; s[l] = s[l - 1]; s[l - 1] = t;
			t = e[l]; e[l] = e[l - 1]; e[l - 1] = t;
		}
	cur = 0;
	for (k = 0; k < n; k++) {
		if (!areas || (s[k] > cur && bf_ram_in(b->in, cur, s[k])))
			areas++;
		if (e[k] > cur)
			cur = e[k];
	}
	return areas;
}

static bool bf_pieces_fit(struct bf *b)
{
	unsigned int k, l;

	for (k = 0; k < b->np; k++) {
		u64 sz = 0;

		for (l = 0; l < b->nt; l++)
			if (b->choice[l] / 2 == k)
				sz += b->psz[l];
		if (sz > b->pe[k] - b->ps[k])
			return false;
	}
	return true;
}

static bool bf_place(struct bf *b, unsigned int t)
{
	unsigned int k, i;

	if (t == b->nt) {
		if (!bf_pieces_fit(b))
			return false;
		for (i = 0; i < b->nt; i++)
			if (bf_areas(b, i) > b->in->lim.max_reserved_per_tdmr)
				return false;
		return true;
	}
	for (k = 0; k < 2 * b->np; k++) {
		b->choice[t] = k;
		if (bf_place(b, t + 1))
			return true;
	}
	return false;
}

/* Is there any valid layout?  @cover: bitmask of covered windows,
 * @join: bit w set if windows w and w+1 are in the same TDMR. */
static bool brute_force(const struct pl_input *in)
{
	unsigned int cover, join, w, k, need = 0;
	struct bf b;

	for (k = 0; k < in->nr_mem; k++)
		for (w = in->mem[k].start / SZ_1G;
		     w <= (in->mem[k].end - 1) / SZ_1G; w++)
			need |= 1U << w;
	for (cover = 0; cover < 1U << BF_W; cover++) {
		if ((cover & need) != need)
			continue;
		for (join = 0; join < 1U << (BF_W - 1); join++) {
			bool ok = true;

			memset(&b, 0, sizeof(b));
			b.in = in;
			for (w = 0; w < BF_W; w++) {
				if (!(cover & 1U << w))
					continue;
				if (w && (cover & 1U << (w - 1)) &&
				    (join & 1U << (w - 1))) {
					b.te[b.nt - 1] = (w + 1) * SZ_1G;
					continue;
				}
				b.tb[b.nt] = w * SZ_1G;
				b.te[b.nt++] = (w + 1) * SZ_1G;
			}
			/* join bits of uncovered pairs must be 0 (dedup). */
			for (w = 0; w + 1 < BF_W; w++)
				if ((join & 1U << w) &&
				    (!(cover & 1U << w) || !(cover & 1U << (w + 1))))
					ok = false;
			if (!ok || b.nt > in->lim.max_tdmrs)
				continue;
			for (k = 0; k < b.nt; k++)
				b.psz[k] = tdmr_pamt_total(b.te[k] - b.tb[k], 16);
			for (k = 0; k < in->nr_mem; k++)
				for (w = 0; w < b.nt; w++) {
					u64 s = in->mem[k].start > b.tb[w] ?
						in->mem[k].start : b.tb[w];
					u64 e = in->mem[k].end < b.te[w] ?
						in->mem[k].end : b.te[w];

					if (s >= e)
						continue;
					b.ps[b.np] = s;
					b.pe[b.np] = e;
					b.pt[b.np++] = w;
				}
			if (bf_place(&b, 0))
				return true;
		}
	}
	return false;
}

static void gen_small(struct pl_input *in)
{
	int slot[BF_N];
	unsigned int i;

	in_reset(in, rng_range(&rng, 1, 3), rng_range(&rng, 1, 3));
	for (i = 0; i < BF_N; i++) {
		unsigned int r = rng_next(&rng) % 10;

		slot[i] = r < 6 ? S_RAM : r < 8 ? S_CMR : S_GAP;
		/* Whole empty windows now and then. */
		if (i % BF_SLOTS == 0 && rng_next(&rng) % 4 == 0) {
			unsigned int j;

			for (j = 0; j < BF_SLOTS; j++)
				slot[i + j] = S_GAP;
			i += BF_SLOTS - 1;
		}
	}
	slot[0] = S_GAP;
	/* At least one RAM slot; set before building so CMRs stay sorted. */
	for (i = 0; i < BF_N && slot[i] != S_RAM; i++)
		;
	if (i == BF_N)
		slot[1] = S_RAM;
	for (i = 0; i < BF_N; i++) {
		u64 s = i * BF_SLOT, e = s + BF_SLOT;

		if (slot[i] == S_RAM) {
			if (in->nr_mem && in->mem[in->nr_mem - 1].end == s)
				in->mem[in->nr_mem - 1].end = e;
			else
				add_ram(in, s, e, 0);
		}
		if (slot[i] != S_GAP) {
			if (in->nr_cmrs && in->cmrs[in->nr_cmrs - 1].base +
			    in->cmrs[in->nr_cmrs - 1].size == s)
				in->cmrs[in->nr_cmrs - 1].size += BF_SLOT;
			else
				add_cmr(in, s, e);
		}
	}
}

static void test_brute_force(void)
{
	unsigned int iter, both = 0, neither = 0;
	struct outcome o;

	for (iter = 0; iter < 400 && !t_failed(); iter++) {
		struct pl_input *in = &in_buf;
		bool exists;

		gen_small(in);
		exists = brute_force(in);
		run(in, false, &o);
		if (exists && !o.ret)
			both++;
		else if (!exists && o.ret)
			neither++;
		CHECK(exists == !o.ret, "iteration %u: brute force %s, planner %d (step %d %s)",
		      iter, exists ? "found a layout" : "found none", o.ret,
		      o.err.step, pl_layout_step_name(o.err.step));
		if (exists != !o.ret)
			dump(in, NULL);
	}
	t_diag("%u maps with a layout found by both, %u impossible for both",
	       both, neither);
	CHECK(both > 50 && neither > 20, "too few of a kind: %u/%u", both,
	      neither);
}

/* ---- Holey maps ---------------------------------------------------------- */

/* 17 firmware holes in the first 2 GiB, inside the CMR (the EMR case). */
static void test_emr_17_holes(void)
{
	struct pl_input *in = &in_buf;
	struct outcome o;
	u64 pos = SZ_1M;
	unsigned int i;

	in_reset(in, 64, 16);
	for (i = 0; i < 17; i++) {
		add_ram(in, pos, pos + 52 * SZ_1M, 0);
		pos += 56 * SZ_1M;
	}
	add_ram(in, pos, 2 * SZ_1G, 0);
	add_ram(in, 4 * SZ_1G, 64 * SZ_1G, 0);
	add_cmr(in, SZ_1M, 2 * SZ_1G);
	add_cmr(in, 4 * SZ_1G, 64 * SZ_1G);
	run(in, true, &o);
	CHECK(o.ret == 0, "planner failed: step %d", o.err.step);
	CHECK(o.naive.fails && o.naive.worst_areas == 19 &&
	      o.naive.worst_base == 0,
	      "naive: %u areas in TDMR [%#llx, %#llx)", o.naive.worst_areas,
	      o.naive.worst_base, o.naive.worst_end);
	t_diag("naive: TDMR [%#llx, %#llx) needs %u reserved areas; plan: %u TDMRs, %llu KB PAMT",
	       o.naive.worst_base, o.naive.worst_end, o.naive.worst_areas,
	     o.nr_tdmrs, o.pamt / 1024);
}

/* More than 64 RAM ranges (300), holes inside two CMRs. */
static void test_many_regions(void)
{
	struct pl_input *in = &in_buf;
	struct outcome o;
	unsigned int i;

	in_reset(in, 64, 16);
	for (i = 0; i < 300; i++)
		add_ram(in, SZ_1M + i * 64 * SZ_1M, SZ_1M + i * 64 * SZ_1M +
			60 * SZ_1M, i >= 150);
	add_cmr(in, SZ_1M, 150 * 64 * SZ_1M);
	add_cmr(in, 150 * 64 * SZ_1M, 301 * 64 * SZ_1M);
	run(in, true, &o);
	CHECK(o.ret == 0, "planner failed: step %d", o.err.step);
	CHECK(o.naive.fails, "naive layout would work");
	CHECK(o.nr_blocks >= 2 && o.nr_blocks <= o.nr_tdmrs,
	      "%u PAMT blocks for %u TDMRs", o.nr_blocks, o.nr_tdmrs);
	t_diag("300 ranges: %u TDMRs, %u PAMT blocks, %llu KB PAMT; naive needs %u areas",
	       o.nr_tdmrs, o.nr_blocks, o.pamt / 1024, o.naive.worst_areas);
}

/* 4 TiB with 1000 holes (firmware holes inside 8 CMRs). */
static void test_4t_1000_holes(void)
{
	struct pl_input *in = &in_buf;
	struct outcome o;
	u64 step = 4096 * SZ_1G / 1000, pos = SZ_1M;
	unsigned int i;

	in_reset(in, 64, 16);
	for (i = 0; i < 1000; i++) {
		u64 s = (pos + SZ_4K - 1) & ~(SZ_4K - 1);
		u64 e = (pos + step - 2 * SZ_1M) & ~(SZ_4K - 1);

		add_ram(in, s, e, i * 4 / 1000);
		pos += step;
	}
	for (i = 0; i < 8; i++)
		add_cmr(in, i ? i * 512 * SZ_1G : SZ_1M, (i + 1) * 512 * SZ_1G);
	run(in, true, &o);
	CHECK(o.ret == 0, "planner failed: step %d", o.err.step);
	CHECK(o.naive.fails, "naive layout would work");
	t_diag("4 TiB: %u TDMRs, %llu MB PAMT (%.3f%%); naive: %u TDMRs (64 allowed), %llu MB",
	       o.nr_tdmrs, o.pamt >> 20, 100.0 * o.pamt / (4096 * SZ_1G),
	     o.naive.nr_tdmrs, o.naive.pamt_bytes >> 20);
}

/*
 * 20 holes clustered in one GiB: inside a CMR they cost nothing;
 * outside the CMRs no layout exists, and the message names the window.
 */
static void test_cluster_one_gib(void)
{
	struct pl_input *in = &in_buf;
	struct outcome o;
	unsigned int i;

	in_reset(in, 64, 16);
	for (i = 0; i < 20; i++)
		add_ram(in, 3 * SZ_1G + i * 50 * SZ_1M,
			3 * SZ_1G + i * 50 * SZ_1M + 40 * SZ_1M, 0);
	add_ram(in, 4 * SZ_1G, 8 * SZ_1G, 0);
	add_cmr(in, SZ_1M, 8 * SZ_1G);
	run(in, true, &o);
	CHECK(o.ret == 0, "inside a CMR: step %d", o.err.step);
	CHECK(o.naive.fails, "naive layout would work");

	in->nr_cmrs = 0;
	for (i = 0; i < in->nr_mem; i++)
		add_cmr(in, in->mem[i].start, in->mem[i].end);
	run(in, true, &o);
	CHECK(o.ret == -ENOSPC && o.err.step == TDX_LAYOUT_WINDOW_IMPOSSIBLE &&
	      o.err.base == 3 * SZ_1G && o.err.end == 4 * SZ_1G &&
	      o.err.count == 20 && o.err.limit == 16,
	      "outside the CMRs: %d step %d window %#llx count %u", o.ret,
	      o.err.step, o.err.base, o.err.count);
}

/*
 * The first GiB as 21 CMR pieces with 1 MiB holes between them, RAM
 * only in the first and the last piece (the rest is firmware-reserved
 * or excluded).  The 20 holes lie in one stretch without TDX memory, so
 * they are one gap: one reserved area covers them all.
 */
static void test_cmr_pieces_merge(void)
{
	struct pl_input *in = &in_buf;
	struct outcome o;
	unsigned int i;

	in_reset(in, 64, 16);
	for (i = 0; i < 21; i++)
		add_cmr(in, SZ_1M + i * 41 * SZ_1M,
			i < 20 ? SZ_1M + i * 41 * SZ_1M + 40 * SZ_1M : SZ_1G);
	add_ram(in, in->cmrs[0].base, in->cmrs[0].base + in->cmrs[0].size, 0);
	add_ram(in, in->cmrs[20].base, SZ_1G, 0);
	run(in, true, &o);
	CHECK(o.ret == 0, "planner failed: step %d (%s) count %u", o.err.step,
	      pl_layout_step_name(o.err.step), o.err.count);
	CHECK(o.ret || o.nr_tdmrs == 1, "%u TDMRs for one GiB", o.nr_tdmrs);
	CHECK(!o.naive.fails, "naive layout refused");
}

/* Gaps outside the CMRs spread over 4 GiB: more than 16 need a split. */
static void test_split(void)
{
	struct pl_input *in = &in_buf;
	struct outcome o;
	unsigned int g, i;

	in_reset(in, 64, 16);
	for (g = 0; g < 4; g++)
		for (i = 0; i < 5; i++) {
			u64 s = g * SZ_1G + i * 200 * SZ_1M + (g || i ? 0 : SZ_1M);
			u64 e = g * SZ_1G + i * 200 * SZ_1M + 180 * SZ_1M;

			add_ram(in, s, e, 0);
			add_cmr(in, s, e);
		}
	run(in, true, &o);
	CHECK(o.ret == 0 && o.nr_tdmrs == 2, "%d, %u TDMRs", o.ret, o.nr_tdmrs);
	/* With 2 areas per TDMR... still 6 gaps per window: impossible. */
	in->lim.max_reserved_per_tdmr = 5;
	run(in, false, &o);
	CHECK(o.ret == -ENOSPC && o.err.step == TDX_LAYOUT_WINDOW_IMPOSSIBLE,
	      "%d step %d", o.ret, o.err.step);
	/* 1 TDMR allowed, 16 areas: 21 gaps cannot fit. */
	in->lim.max_reserved_per_tdmr = 16;
	in->lim.max_tdmrs = 1;
	run(in, false, &o);
	CHECK(o.ret == -ENOSPC && o.err.step == TDX_LAYOUT_TDMRS_EXHAUSTED &&
	      o.err.count == 2 && o.err.limit == 1, "%d step %d count %u",
	      o.ret, o.err.step, o.err.count);
}

/* Bad input: memory outside the CMRs, overlapping memory. */
static void test_bad_input(void)
{
	struct pl_input *in = &in_buf;
	struct outcome o;

	in_reset(in, 64, 16);
	add_ram(in, SZ_1M, 2 * SZ_1G, 0);
	add_cmr(in, SZ_1M, SZ_1G);
	run(in, false, &o);
	CHECK(o.ret == -EINVAL && o.err.step == TDX_LAYOUT_MEM_OUTSIDE_CMR &&
	      o.err.base == SZ_1G && o.err.end == 2 * SZ_1G, "%d step %d",
	      o.ret, o.err.step);
	in_reset(in, 64, 16);
	add_ram(in, SZ_1M, 2 * SZ_1G, 0);
	add_ram(in, SZ_1G, 3 * SZ_1G, 0);
	add_cmr(in, SZ_1M, 4 * SZ_1G);
	run(in, false, &o);
	CHECK(o.ret == -EINVAL && o.err.step == TDX_LAYOUT_BAD_INPUT, "%d step %d",
	      o.ret, o.err.step);
}

/* ---- Random maps ---------------------------------------------------------- */

/*
 * Up to 32 CMRs over up to 1 TiB, RAM ranges inside them with holes of
 * 4 KiB..1 GiB, up to 4 nodes, module limits.  A plan must exist unless
 * a window holding memory has more than 16 gaps (checked separately).
 */
static void test_random(void)
{
	unsigned int iter, ok = 0, impossible = 0;
	struct outcome o;

	for (iter = 0; iter < 200 && !t_failed(); iter++) {
		struct pl_input *in = &in_buf;
		unsigned int nc = rng_range(&rng, 1, 32), c, nid = 0;
		u64 pos = SZ_1M;

		in_reset(in, 64, 16);
		for (c = 0; c < nc; c++) {
			u64 cs = pos, ce = cs + rng_range(&rng, 1, 8192) * 4 * SZ_1M;
			u64 p = cs;

			add_cmr(in, cs, ce);
			while (p < ce && in->nr_mem < 200) {
				u64 e = p + rng_range(&rng, 1, 4096) * 64 * SZ_4K;

				if (e > ce)
					e = ce;
				if (rng_next(&rng) % 8 == 0)
					nid = (nid + 1) % 4;
				add_ram(in, p, e, nid);
				p = e + (rng_next(&rng) % 2 ? rng_range(&rng, 1, 256) * SZ_4K :
					 rng_range(&rng, 1, 1024) * SZ_1M);
			}
			pos = ce + (rng_next(&rng) % 3 ? rng_range(&rng, 1, 4096) * SZ_4K :
				    rng_range(&rng, 1, 16) * SZ_1G);
		}
		run(in, true, &o);
		if (!o.ret)
			ok++;
		else if (o.err.step == TDX_LAYOUT_WINDOW_IMPOSSIBLE ||
			 o.err.step == TDX_LAYOUT_NO_PAMT_ROOM)
			impossible++;
		CHECK(!o.ret || o.err.step == TDX_LAYOUT_WINDOW_IMPOSSIBLE ||
		      o.err.step == TDX_LAYOUT_NO_PAMT_ROOM,
		      "iteration %u: %d step %d %s", iter, o.ret, o.err.step,
		      pl_layout_step_name(o.err.step));
	}
	t_diag("%u random maps planned and accepted, %u without a layout", ok,
	       impossible);
	CHECK(ok >= 150, "only %u planned", ok);
}

/* ---- Parser fuzzing and tool tests -------------------------------------- */

static void test_parser_fuzz(void)
{
	static const char * const frags[] = {
		"ram ", "cmr ", "tdmr ", "rsvd ", "pamt_4k ", "limits ",
		"max_tdmrs=", "nid=", "0x", "1G", "-", " : System RAM", "[",
		"]", ", ", "virt/tdx: ", "layout: ", "CMR 0: [", "BIOS-e820: ",
		"[mem ", "usable", "#", "\t", "ffffffffffffffffffff", "12",
		"0x100000", "\n", "[    0.000000] ", "user: ", "System RAM",
		"999999999999T", "=", ")", "\r", "\x01",
	};
	char buf[512], msg[600];
	unsigned int iter, bad = 0, good = 0;

	for (iter = 0; iter < 3000; iter++) {
		size_t n = 0;
		FILE *f;

		while (n < sizeof(buf) - 40) {
			const char *s = frags[rng_next(&rng) % ARRAY_SIZE(frags)];

			memcpy(buf + n, s, strlen(s));
			n += strlen(s);
			if (rng_next(&rng) % 12 == 0)
				break;
		}
		f = fmemopen(buf, n, "r");
		if (pl_parse(f, &in_buf, msg, sizeof(msg)) ||
		    pl_finish(&in_buf, msg, sizeof(msg))) {
			bad++;
			CHECK(!strncmp(msg, "line ", 5) || msg[0], "no message");
		} else {
			good++;
		}
		fclose(f);
	}
	t_diag("%u fuzzed inputs refused with a message, %u accepted", bad, good);
}

/* ---- Large maps -------------------------------------------------------------- */

static const char *bench_tool;	/* -b: the tool built without sanitizers */

/* Write @in as tool input. */
static void to_text(const struct pl_input *in, char *buf, size_t len)
{
	bool cmr_is_ram = in->nr_cmrs == in->nr_mem;
	size_t n = 0;
	unsigned int i;

	n += snprintf(buf + n, len - n, "limits max_tdmrs=%u max_reserved=%u\n",
		      in->lim.max_tdmrs, in->lim.max_reserved_per_tdmr);
	for (i = 0; i < in->nr_mem && n < len; i++) {
		n += snprintf(buf + n, len - n, "ram %#llx %#llx nid=%d\n",
			      in->mem[i].start, in->mem[i].end, in->mem[i].nid);
		cmr_is_ram = cmr_is_ram && in->cmrs[i].base == in->mem[i].start &&
			     in->cmrs[i].size == in->mem[i].end - in->mem[i].start;
	}
	/* The tool takes the CMRs from the RAM when none is given. */
	for (i = 0; i < in->nr_cmrs && n < len && !cmr_is_ram; i++)
		n += snprintf(buf + n, len - n, "cmr %#llx %#llx\n",
			      in->cmrs[i].base,
			      in->cmrs[i].base + in->cmrs[i].size);
}

static int tool_run(const char *args, const char *input, char *out,
		    size_t len);
static char tbuf[1 << 20];

/*
 * Large maps, up to 8192 ranges: each must be planned or refused within
 * the budget, the way it was before the budget, and quickly.  The time
 * of the planner under the sanitizers is printed here; the time of the
 * tool built without them (-O2, -b TOOL) is the benchmark.
 */
static void large(const char *name, const struct pl_input *in, int want,
		  int step)
{
	static char text[1 << 20];
	struct outcome o;
	double ms = -1;
	char *p;
	int st;

	run(in, !want && in->nr_cmrs <= 32, &o);
	CHECK(o.ret == want && (!want || o.err.step == step),
	      "%s: %d step %d (%s), want %d step %d", name, o.ret, o.err.step,
	      pl_layout_step_name(o.err.step), want, step);
	t_diag("%s: %u ranges, %u CMRs: %s after %u tries, %.1f ms (sanitized)",
	       name, in->nr_mem, in->nr_cmrs,
	     o.ret ? pl_layout_step_name(o.err.step) : "planned", o.tries,
	     o.ms);
	if (!bench_tool)
		return;
	to_text(in, text, sizeof(text));
	{
		const char *saved = tool;

		tool = bench_tool;
		st = tool_run("plan", text, tbuf, sizeof(tbuf));
		tool = saved;
	}
	p = strstr(tbuf, "# search: ");
	if (p)
		p = strstr(p, "), ");
	if (p)
		ms = strtod(p + 3, NULL);
	CHECK(p && st == (want ? 1 : 0), "%s: tool exit %d\n%.2000s", name, st,
	      tbuf);
	printf("bench: tdx-plan-%s %.2f ms (goal < 100 ms for any map up to 8192 ranges, tool at -O2 without sanitizers)\n",
	       name, ms);
}

static void test_large_maps(void)
{
	struct pl_input *in = &in_buf;
	unsigned int i, j;
	u64 pos;

	/* The issue's maps: 2 MiB ranges every 256 MiB, one CMR (was 8.3 s, 30 s). */
	in_reset(in, 64, 16);
	for (i = 0; i < 4096; i++)
		add_ram(in, SZ_1G + i * 256 * SZ_1M, SZ_1G + i * 256 * SZ_1M + 2 * SZ_1M, 0);
	add_cmr(in, SZ_1G, SZ_1G + 4096 * 256 * SZ_1M);
	large("4096x2m-one-cmr", in, -ENOSPC, TDX_LAYOUT_TDMRS_EXHAUSTED);
	in_reset(in, 64, 16);
	for (i = 0; i < 8000; i++)
		add_ram(in, SZ_1G + i * 256 * SZ_1M, SZ_1G + i * 256 * SZ_1M + 2 * SZ_1M, 0);
	add_cmr(in, SZ_1G, SZ_1G + 8000 * 256 * SZ_1M);
	large("8000x2m-one-cmr", in, -ENOSPC, TDX_LAYOUT_TDMRS_EXHAUSTED);

	/* 8192 ranges, 8 TiB, four nodes, holes inside 8 CMRs: planned. */
	in_reset(in, 64, 16);
	for (i = 0; i < 8192; i++)
		add_ram(in, i ? i * SZ_1G : SZ_1M, (i + 1) * SZ_1G - 2 * SZ_1M,
			i / 2048);
	for (i = 0; i < 8; i++)
		add_cmr(in, i ? i * 1024 * SZ_1G : SZ_1M, (i + 1) * 1024 * SZ_1G);
	large("8192-ranges-8t-planned", in, 0, 0);

	/* 8192 ranges whose CMRs are the RAM: 16 gaps a GiB, then 17. */
	in_reset(in, 64, 16);
	for (i = 0; i < 8192; i++) {
		u64 s = SZ_1G + i * 64 * SZ_1M;

		add_ram(in, s, s + 2 * SZ_1M, 0);
		add_cmr(in, s, s + 2 * SZ_1M);
	}
	large("8192x2m-cmr-is-ram", in, -ENOSPC, TDX_LAYOUT_TDMRS_EXHAUSTED);

	/*
	 * The budget: 1024 GiB windows of 8 ranges of 384 KiB (holes inside
	 * the CMR) and one gap outside the CMRs each, so that every TDMR is
	 * 16 windows with every reserved area taken, and no range can hold
	 * a PAMT: every slack window is worth a try.
	 */
	in_reset(in, 64, 16);
	for (i = 0; i < 1024; i++) {
		pos = (i + 1) * SZ_1G;
		for (j = 0; j < 8; j++)
			add_ram(in, pos + j * SZ_1M, pos + j * SZ_1M + 384 * 1024, 0);
		add_cmr(in, pos, pos + 8 * SZ_1M);
	}
	large("8192-ranges-budget", in, -ENOSPC, TDX_LAYOUT_BUDGET);

	/* Random maps of 8192 ranges: whatever the outcome, quickly. */
	for (j = 0; j < 3; j++) {
		char name[64];
		struct outcome o;

		in_reset(in, 64, 16);
		pos = SZ_1M;
		for (i = 0; i < 8192; i++) {
			u64 e = pos + rng_range(&rng, 1, 4096) * SZ_1M;

			add_ram(in, pos, e, (int)(i * 4 / 8192));
			if (!in->nr_cmrs || rng_next(&rng) % 512 == 0)
				add_cmr(in, pos, e);
			else
				in->cmrs[in->nr_cmrs - 1].size = e - in->cmrs[in->nr_cmrs - 1].base;
			pos = e + (rng_next(&rng) % 4 ? rng_range(&rng, 1, 64) * SZ_4K :
				   rng_range(&rng, 1, 4096) * SZ_1M);
			if (rng_next(&rng) % 16 == 0)
				in->cmrs[in->nr_cmrs - 1].size = pos - in->cmrs[in->nr_cmrs - 1].base;
		}
		run(in, false, &o);
		snprintf(name, sizeof(name), "random-8192-%u", j);
		CHECK(!o.ret || o.err.step != TDX_LAYOUT_BAD_INPUT, "%s: bad input", name);
		large(name, in, o.ret, o.err.step);
	}
}

/* Run the tool; returns its exit status, output in @out. */
static int tool_run(const char *args, const char *input, char *out,
		    size_t len)
{
	char cmd[1024], path[] = "/tmp/tdx-plan-test-XXXXXX";
	size_t n = 0;
	FILE *p;
	int fd, st;

	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	if (input && write(fd, input, strlen(input)) != (ssize_t)strlen(input))
		return -1;
	close(fd);
	snprintf(cmd, sizeof(cmd), "%s %s %s 2>&1", tool, args,
		 input ? path : "");
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (n + 1 < len && fgets(out + n, len - n, p))
		n += strlen(out + n);
	out[n] = 0;
	st = pclose(p);
	unlink(path);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WEXITSTATUS(st);
}

static int tool_file(const char *mode, const char *file)
{
	char args[512];

	snprintf(args, sizeof(args), "%s %s/%s", mode, exdir, file);
	return tool_run(args, NULL, tbuf, sizeof(tbuf));
}

static void test_tool(void)
{
	static const struct {
		const char *file;
		int exit;
		const char *expect;
	} plans[] = {
		{ "emr-17-holes.dmesg", 0, "# software module: accepted" },
		{ "emr-17-holes.dmesg", 0, "the module would refuse it" },
		{ "iomem.txt", 0, "# total_pamt_kb 16424" },
		{ "memmap.txt", 0, "# total_pamt_kb 16424" },
		{ "split.txt", 0, "TDH.SYS.CONFIG     (45) 2 TDMRs" },
		{ "impossible.txt", 1, "window [0x40000000, 0x80000000) has 17 gaps" },
		{ "cmr-pieces.txt", 0, "# software module: accepted" },
		{ "fault-sys-config.dmesg", 0, "# total_pamt_kb 4108" },
	};
	static const struct {
		const char *input;
		const char *expect;
	} bad[] = {
		{ "ram 1M\n", "line 1: 'ram' needs two numbers" },
		{ "ram 1M 2G\nbogus 1 2\n", "line 2: unknown keyword 'bogus'" },
		{ "ram 2G 1G\n", "line 1: empty or reversed range" },
		{ "ram 1M 2G nid=x\n", "line 1: bad node" },
		{ "rsvd 0 1M\n", "line 1: 'rsvd' before any 'tdmr'" },
		{ "limits max_tdmrs=0\n", "line 1: bad limit" },
		{ "ram 0x1000000000000000000 1\n", "line 1:" },
		{ "BIOS-e820: [mem 0x100-\n", "line 1: e820 line" },
		{ "virt/tdx: CMR 0: [0x100000\n", "line 1: CMR line" },
		{ "ram 1M 2G\nram 1G 3G\n", "overlap" },
		{ "cmr 0x1001 0x2000\nram 1M 2M\n", "not 4 KiB aligned" },
		{ "", "no memory" },
		{ "ram 1M 2G\n#\x01\n\x7f\n", "line 3: " },
	};
	static char layout[1 << 20];
	char *p;
	unsigned int i;
	int st;

	if (!tool) {
		t_diag("no -t TOOL: skipped");
		return;
	}
	for (i = 0; i < ARRAY_SIZE(plans); i++) {
		st = tool_file("plan", plans[i].file);
		CHECK(st == plans[i].exit && strstr(tbuf, plans[i].expect),
		      "plan %s: exit %d, missing '%s':\n%s", plans[i].file, st,
		      plans[i].expect, tbuf);
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		st = tool_run("plan", bad[i].input, tbuf, sizeof(tbuf));
		CHECK(st == 2 && strstr(tbuf, bad[i].expect),
		      "bad input %u: exit %d, missing '%s': %s", i, st,
		      bad[i].expect, tbuf);
	}
	CHECK(tool_run("frobnicate", "", tbuf, sizeof(tbuf)) == 2, "bad mode");
	{
		/* A NUL byte cannot be passed through tool_run()'s string. */
		static const char nul[] = "ram 1M 2G\n\0ram 3G 4G\n";
		FILE *f = fmemopen((void *)nul, sizeof(nul) - 1, "r");
		char msg[600];

		CHECK(pl_parse(f, &in_buf, msg, sizeof(msg)) == 2 &&
		      strstr(msg, "line 2: NUL byte"), "NUL: %s", msg);
		fclose(f);
	}
	CHECK(tool_run("plan /nonexistent", NULL, tbuf, sizeof(tbuf)) == 2 &&
	      strstr(tbuf, "No such file"), "missing file: %s", tbuf);

	/* More CMRs than any module reports: planned, but refused. */
	layout[0] = 0;
	for (i = 0; i < 40; i++) {
		char line[80];

		snprintf(line, sizeof(line), "ram %uG %uG\ncmr %uG %uG\n",
			 2 * i + 1, 2 * i + 2, 2 * i + 1, 2 * i + 2);
		strcat(layout, line);
	}
	st = tool_run("plan", layout, tbuf, sizeof(tbuf));
	CHECK(st == 1 && strstr(tbuf, "40 CMRs: a TDX module reports at most 32"),
	      "40 CMRs: exit %d", st);

	/* check: the plan's own output reads back and passes ... */
	st = tool_file("plan", "split.txt");
	snprintf(layout, sizeof(layout), "%s", tbuf);
	st = tool_run("check", layout, tbuf, sizeof(tbuf));
	CHECK(st == 0 && strstr(tbuf, "TDH.SYS.TDMR.INIT  (36) TDMR 1"),
	      "check of a good plan: exit %d\n%s", st, tbuf);
	/* ... a failing host's dmesg names the SEAMCALL and the TDMR ... */
	st = tool_file("check", "failing-host.dmesg");
	CHECK(st == 1 && strstr(tbuf, "0xc0000a1100000200 TDX_PAMT_OUTSIDE_CMRS: TDMR 0 [0, 0x40000000), 1G PAMT"),
	      "check of a failing host: exit %d\n%s", st, tbuf);
	/* ... a real kernel's printout (injected failure) reads back ... */
	st = tool_file("check", "fault-sys-config.dmesg");
	CHECK(st == 0 && strstr(tbuf, "(45) 1 TDMRs, KeyID 16        -> 0x0000000000000000 TDX_SUCCESS"),
	      "check of the kernel's printout: exit %d\n%s", st, tbuf);
	/* ... a broken layout (areas out of order) is refused ... */
	p = strstr(layout, "rsvd ");
	if (p) {
		*p = 0;
		strcat(layout, "rsvd 0x10000000 0x10001000\nrsvd 0x0 0x1000\n");
	}
	st = tool_run("check", layout, tbuf, sizeof(tbuf));
	CHECK(st == 1 && strstr(tbuf, "TDX_NON_ORDERED_RESERVED_IN_TDMR"),
	      "check of an unordered layout: exit %d\n%s", st, tbuf);
	/* ... and a check without a layout is an input error. */
	st = tool_run("check", "cmr 1M 2G\n", tbuf, sizeof(tbuf));
	CHECK(st == 2 && strstr(tbuf, "no 'tdmr' lines"), "exit %d", st);
}

/*
 * Inputs operators paste: more than 1024 e820 lines, a "dmesg | grep
 * -i tdx" paste with CMR lines and no memory map, two boots' logs in
 * one paste, the KeyID line.
 */
static void test_tool_inputs(void)
{
	static char in[1 << 20];
	static const char tdx_grep[] =
		"[    0.000000] virt/tdx: BIOS enabled: private KeyID range [32, 64)\n"
		"[    2.100000] virt/tdx: CMR 0: [0x100000, 0x80000000)\n"
		"[    2.100001] virt/tdx: CMR 1: [0x100000000, 0x280000000)\n";
	unsigned int i;
	int st;

	if (!tool) {
		t_diag("no -t TOOL: skipped");
		return;
	}
	/* 2001 e820 lines: usable and ACPI data alternating, one CMR. */
	in[0] = 0;
	for (i = 0; i < 2000; i++)
		sprintf(in + strlen(in),
			"[    0.000000] BIOS-e820: [mem %#018llx-%#018llx] %s\n",
			(i + 1) * SZ_1M, (i + 2) * SZ_1M - 1,
			i % 2 ? "ACPI data" : "usable");
	strcat(in, "[    0.000000] BIOS-e820: [mem 0x0000000100000000-0x00000001ffffffff] usable\n");
	st = tool_run("plan", in, tbuf, sizeof(tbuf));
	CHECK(st == 0 && strstr(tbuf, "# 1001 memory ranges, 2 CMRs") &&
	      strstr(tbuf, "# software module: accepted"),
	      "2001 e820 lines: exit %d\n%.2000s", st, tbuf);

	/* 4096 RAM lines and no CMR: the CMRs derived from them fit. */
	in[0] = 0;
	for (i = 0; i < 4096; i++)
		sprintf(in + strlen(in), "ram %#llx %#llx\n",
			SZ_1G + i * 4 * SZ_1M, SZ_1G + i * 4 * SZ_1M + 3 * SZ_1M);
	st = tool_run("plan", in, tbuf, sizeof(tbuf));
	CHECK(strstr(tbuf, "limits max_tdmrs=64 max_reserved=16 pamt_entry=16\n") &&
	      strstr(tbuf, "# 4096 memory ranges, 4096 CMRs"),
	      "4096 ram lines: exit %d\n%.2000s", st, tbuf);

	/* CMR lines only: RAM from the CMRs, and said so; the KeyIDs. */
	st = tool_run("plan", tdx_grep, tbuf, sizeof(tbuf));
	CHECK(st == 0 && strstr(tbuf, "RAM taken from the 2 CMRs") &&
	      strstr(tbuf, "private KeyIDs [32, 64)") &&
	      strstr(tbuf, "(45) 2 TDMRs, KeyID 32") &&
	      strstr(tbuf, "# software module: accepted"),
	      "CMR lines only: exit %d\n%s", st, tbuf);

	/* Two boots' logs: identical CMRs (and e820 lines) merge. */
	snprintf(in, sizeof(in), "%s%s", tdx_grep, tdx_grep);
	st = tool_run("plan", in, tbuf, sizeof(tbuf));
	CHECK(st == 0 && strstr(tbuf, "# 2 memory ranges, 2 CMRs") &&
	      strstr(tbuf, "2 CMR lines repeated an identical CMR") &&
	      strstr(tbuf, "# software module: accepted"),
	      "CMRs twice: exit %d\n%s", st, tbuf);
	{
		static char ex[1 << 16];
		char path[512];
		size_t n = 0;
		FILE *f;

		snprintf(path, sizeof(path), "%s/emr-17-holes.dmesg", exdir);
		f = fopen(path, "r");
		if (f) {
			n = fread(ex, 1, sizeof(ex) - 1, f);
			fclose(f);
		}
		ex[n] = 0;
		snprintf(in, sizeof(in), "%s%s", ex, ex);
	}
	st = tool_run("plan", in, tbuf, sizeof(tbuf));
	CHECK(st == 0 && strstr(tbuf, "# software module: accepted"),
	      "two boots of emr-17-holes: exit %d\n%.3000s", st, tbuf);

	/* ... but a genuine overlap is still refused. */
	st = tool_run("plan", "virt/tdx: CMR 0: [0x100000, 0x80000000)\n"
		      "virt/tdx: CMR 0: [0x100000, 0xc0000000)\n", tbuf,
		      sizeof(tbuf));
	CHECK(st == 2 && strstr(tbuf, "CMRs [0x100000, 0x80000000) and [0x100000, 0xc0000000) overlap"),
	      "overlapping CMRs: exit %d\n%s", st, tbuf);

	/* KeyID lines: impossible, contradicting, beyond the module. */
	st = tool_run("plan", "virt/tdx: BIOS enabled: private KeyID range [0, 64)\nram 1M 2G\n",
		      tbuf, sizeof(tbuf));
	CHECK(st == 2 && strstr(tbuf, "line 1: impossible private KeyID range [0, 64)"),
	      "KeyIDs [0, 64): exit %d\n%s", st, tbuf);
	st = tool_run("plan", "virt/tdx: BIOS enabled: private KeyID range [16, 64)\n"
		      "virt/tdx: BIOS enabled: private KeyID range [32, 64)\nram 1M 2G\n",
		      tbuf, sizeof(tbuf));
	CHECK(st == 2 && strstr(tbuf, "line 2: private KeyID range [32, 64) differs"),
	      "two KeyID ranges: exit %d\n%s", st, tbuf);
	st = tool_run("plan", "virt/tdx: BIOS enabled: private KeyID range [200, 248)\nram 1M 2G\n",
		      tbuf, sizeof(tbuf));
	CHECK(st == 1 && strstr(tbuf, "TDX_NUM_ACTIVATED_HKIDS_NOT_SUPPORTED"),
	      "KeyIDs [200, 248): exit %d\n%s", st, tbuf);
}

static const struct {
	const char *name;
	void (*fn)(void);
} tests[] = {
	{ "brute_force_small_maps", test_brute_force },
	{ "emr_17_holes_below_2g", test_emr_17_holes },
	{ "more_than_64_regions", test_many_regions },
	{ "4t_1000_holes", test_4t_1000_holes },
	{ "holes_clustered_in_one_gib", test_cluster_one_gib },
	{ "tdmr_split", test_split },
	{ "cmr_pieces_share_an_area", test_cmr_pieces_merge },
	{ "bad_input", test_bad_input },
	{ "random_maps", test_random },
	{ "parser_fuzz", test_parser_fuzz },
	{ "tool", test_tool },
	{ "tool_operator_inputs", test_tool_inputs },
	{ "large_maps_bounded", test_large_maps },
};

int main(int argc, char **argv)
{
	unsigned int i, failed = 0;
	u64 seed0;
	int opt;

	setvbuf(stdout, NULL, _IOLBF, 0);
	rng.s = time(NULL) ^ ((u64)getpid() << 16);
	while ((opt = getopt(argc, argv, "s:t:d:b:v")) != -1) {
		switch (opt) {
		case 's':
			rng.s = strtoull(optarg, NULL, 0);
			break;
		case 't':
			tool = optarg;
			break;
		case 'd':
			exdir = optarg;
			break;
		case 'b':
			bench_tool = optarg;
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			return 2;
		}
	}
	seed0 = rng.s;
	printf("KTAP version 1\n1..%zu\n", ARRAY_SIZE(tests));
	printf("# seed %llu (replay with -s %llu)\n", seed0, seed0);
	for (i = 0; i < ARRAY_SIZE(tests); i++) {
		t_begin(tests[i].name);
		tests[i].fn();
		failed += t_end(i + 1);
	}
	printf("# the most tries a planned map took: %u (budget %d)\n",
	       max_tries_ok, TDX_PLAN_MAX_TRIES);
	return failed ? 1 : 0;
}
