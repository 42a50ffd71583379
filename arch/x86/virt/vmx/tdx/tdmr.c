// SPDX-License-Identifier: GPL-2.0
/*
 * TDX host core: the memory planner (TDMRs, PAMTs, reserved areas).
 *
 * Pure code.  The inputs are the TDX memory list (RAM ranges with
 * their node), the CMRs and the module limits from TDH.SYS.INFO; the
 * output is the TDMR list.  The only side effect is through the PAMT
 * allocator callback.  No globals, no SEAMCALLs, no allocation of its
 * own: the kernel (tdx.c, steps 5 to 7), the userspace harnesses and
 * the operator tool tools/testing/tdx-plan run this same file.
 *
 * The module's rules (TDH.SYS.CONFIG) the plan has to meet:
 *   R1 a TDMR is 1 GiB aligned, TDMRs are sorted and disjoint, at most
 *      max_tdmrs of them;
 *   R2 every part of a TDMR that is not a reserved area must lie in a
 *      CMR;
 *   R3 a TDMR has at most max_reserved_per_tdmr reserved areas, sorted,
 *      disjoint, 4 KiB aligned (they need not be in a CMR);
 *   R4 a PAMT lies in CMRs and must not overlap a non-reserved part
 *      of any TDMR nor another PAMT.
 * Every byte of TDX memory must be covered by a TDMR, and TDX memory
 * outside the CMRs is an input error (named in the message).
 *
 * Definitions.  A "window" is an aligned 1 GiB of physical address
 * space; a window "holds memory" if TDX memory intersects it.  A
 * "gap" of a range R (a TDMR, or windows being tried as one) is a
 * maximal stretch of R without TDX memory that holds at least one
 * byte outside every CMR (CMRs that touch count as one).  gaps(T) is
 * the number of gaps of TDMR T: by R2 each needs a reserved area, and
 * one area covering the whole stretch is enough, because a reserved
 * area may also cover CMR memory that is not TDX memory (ACPI tables,
 * firmware-reserved ranges, memmap= exclusions).  So ranges outside
 * the CMRs separated only by such memory cost one area together, a
 * gap spanning two windows of one TDMR costs one area, and gaps(T)
 * never exceeds either the number of ranges outside the CMRs in T or
 * the number of RAM holes in T.  RAM holes that lie inside a CMR need
 * no reserved area at all: they are TDX-convertible, the module
 * manages them as TDMR memory, and no TD can ever get them because
 * they are not in the page allocator (see "Memory policy" in
 * tdx-host.rst).
 *
 * gaps() only grows when a TDMR grows, so the algorithm is greedy:
 *
 * 1. Boundaries (tdmrs_plan()).  Start a TDMR at the first window
 *    holding memory that is not covered yet; extend it window by
 *    window while gaps(T) stays within the TDMR's budget; end it at the
 *    last window holding memory it reached.  Extending over windows
 *    without memory ("bridging") is allowed only over runs of at most
 *    @bridge empty windows.  Furthest reach is optimal for the number
 *    of TDMRs with a given sequence of budgets (an exchange argument:
 *    the i-th greedy TDMR ends no earlier than the i-th TDMR of any
 *    other valid partition).
 * 2. Budgets and bridging are tried in this order, the first plan that
 *    fits max_tdmrs and has room for the PAMTs (step 3, dry run) wins:
 *      for bridge in 0, 1, 2, 4, ... up to the longest empty run:
 *        every budget max_reserved; then the TDMR covering window w
 *        with max_reserved - 1, for every window w holding memory (at
 *        most 256 of them, evenly spread); then every budget
 *        max_reserved - 1.
 *    If the PAMTs still find no room (a TDMR's PAMT is larger than any
 *    RAM range it could go to, or every TDMR is full), TDMRs are capped
 *    in length, the cap halving (rounding up) from the failing TDMR's
 *    length down to 1 GiB, and the whole sequence is tried again.
 *    The search is bounded: TDX_PLAN_MAX_TRIES tries at most, after
 *    which the planner gives up with TDX_LAYOUT_BUDGET ("no plan found
 *    within N tries", not "none exists").  A slack try that provably
 *    repeats the plan without slack is skipped and not counted (see
 *    plan_slack_useful()).  A try costs about linear time in the size
 *    of the map, and the caller's resched hook runs between tries.
 *    bridge 0 covers only windows holding memory, which is the least
 *    PAMT possible (PAMT grows by ~4 MiB per covered GiB and shrinks
 *    by at most 4 KiB per TDMR saved, so an empty GiB is covered only
 *    when max_tdmrs leaves no choice).  A budget of max_reserved - 1
 *    keeps a slot for a PAMT.
 * 3. PAMTs (tdmrs_alloc_pamt_all()).  Exactly the formula per TDMR
 *    (tdmr_pamt_total()), 4K level, then 2M, then 1G.  All PAMTs of
 *    TDMRs whose first memory is on node N form one block on node N,
 *    so a node's PAMTs cost at most one reserved area.  Spots, best
 *    first: (a) touching a reserved area that is already there (a gap
 *    or another PAMT block) inside the same TDMR and RAM range, exactly
 *    at the edge: free, since touching areas merge (a block at the
 *    edge of a RAM range touches the stretch without TDX memory beyond
 *    it, which is reserved when it is a gap or ends at another block,
 *    see step 4); (b) anywhere in a
 *    RAM range of node N inside a TDMR with a spare reserved area.  If
 *    a node's block fits nowhere (or the allocator refuses), its PAMTs
 *    are placed one TDMR at a time the same way.  A block never crosses
 *    a TDMR or RAM range boundary, and TDX memory lies in the CMRs
 *    (checked first, see check_input()), so R4's CMR part holds.  A PAMT
 *    that fits nowhere on its node goes to any node (as the kernel's
 *    allocator would fall back), which only costs locality.
 * 4. Reserved areas (tdmrs_add_rsvd_all()): the gaps of each TDMR,
 *    each as one area over its whole stretch without TDX memory, and
 *    the PAMT blocks inside it, each grown over the memory without TDX
 *    memory on either side of it (inside the TDMR), sorted and merged.
 *    Growing only covers memory no TD can get and only merges areas.
 *    By construction this fits; it is checked anyway.
 *
 * No valid layout exists, and the planner says which rule is violated,
 * when:
 *   - a window holding memory has more than max_reserved gaps: any
 *     TDMR covering it has at least as many, since a gap of the window
 *     lies in one gap of the TDMR and different gaps of the window are
 *     separated by TDX memory, so no area can cover two of them
 *     (TDX_LAYOUT_WINDOW_IMPOSSIBLE, naming the window and the count);
 *   - even with unlimited bridging and every budget max_reserved, more
 *     than max_tdmrs TDMRs are needed (TDX_LAYOUT_TDMRS_EXHAUSTED, with
 *     the count needed);
 *   - no plan of step 2 leaves room for the PAMTs
 *     (TDX_LAYOUT_NO_PAMT_ROOM).  This is "impossible" relative to the
 *     placement model above (PAMT blocks per node or per TDMR); the
 *     brute-force test in tools/testing/tdx-plan checks that no other
 *     placement of per-TDMR PAMTs would have worked on small maps.
 */

#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/align.h>
#include <linux/math.h>

#include "tdx.h"

#define TDX_NO_WINDOW	(~0ULL)

#ifndef NUMA_NO_NODE
#define NUMA_NO_NODE	(-1)
#endif

static unsigned int tdmr_stride(const struct tdx_layout_limits *lim)
{
	size_t bytes = sizeof(struct tdmr_info) +
		       lim->max_reserved_per_tdmr *
		       sizeof(struct tdmr_reserved_area);

	return ALIGN(bytes, TDMR_INFO_ALIGNMENT);
}

/* Bytes of memory the caller must provide for tdmr_list_init(). */
size_t tdmr_list_bytes(const struct tdx_layout_limits *lim)
{
	return (size_t)tdmr_stride(lim) * lim->max_tdmrs;
}

/*
 * Set up @list over @mem (tdmr_list_bytes() bytes, TDMR_INFO_ALIGNMENT
 * aligned).  The limits come from TDH.SYS.INFO; refuse ones the rest
 * of this file cannot honour.
 */
int tdmr_list_init(struct tdmr_list *list, void *mem,
		   const struct tdx_layout_limits *lim)
{
	if (!lim->max_tdmrs || lim->max_tdmrs > TDX_LAYOUT_MAX_TDMRS ||
	    !lim->max_reserved_per_tdmr || !lim->pamt_entry_size)
		return -EINVAL;

	memset(list, 0, sizeof(*list));
	list->tdmrs = mem;
	list->stride = tdmr_stride(lim);
	list->max_tdmrs = lim->max_tdmrs;
	list->max_rsvd = lim->max_reserved_per_tdmr;
	list->entry_size = lim->pamt_entry_size;
	memset(mem, 0, tdmr_list_bytes(lim));
	return 0;
}

struct tdmr_info *tdmr_list_entry(const struct tdmr_list *list, unsigned int i)
{
	return (struct tdmr_info *)((char *)list->tdmrs +
				    (size_t)i * list->stride);
}

u64 tdmr_end(const struct tdmr_info *tdmr)
{
	return tdmr->base + tdmr->size;
}

/* PAMT bytes for one level: one entry per page, rounded up to 4 KiB. */
u64 tdmr_pamt_size(u64 tdmr_size, enum tdx_page_level level,
		   unsigned int entry_size)
{
	u64 entries = tdmr_size >> (12 + 9 * level);

	return ALIGN(entries * entry_size, TDX_PAGE_SIZE);
}

u64 tdmr_pamt_total(u64 tdmr_size, unsigned int entry_size)
{
	return tdmr_pamt_size(tdmr_size, TDX_PS_4K, entry_size) +
	       tdmr_pamt_size(tdmr_size, TDX_PS_2M, entry_size) +
	       tdmr_pamt_size(tdmr_size, TDX_PS_1G, entry_size);
}

static void layout_error(struct tdx_layout_error *err, int step,
			 unsigned int tdmr, u64 base, u64 end,
			 unsigned int count, unsigned int limit)
{
	if (!err)
		return;
	err->step = step;
	err->tdmr = tdmr;
	err->base = base;
	err->end = end;
	err->count = count;
	err->limit = limit;
}

/* ---- Lookups --------------------------------------------------------- */

/*
 * Memory ranges and CMRs are sorted and disjoint, so their ends are
 * sorted too: binary searches keep every lookup O(log n), which keeps a
 * try of the planner linear in the size of the map.
 */

/*
 * The one lower-bound search: the first of @nr sorted entries for
 * which @before(in, i, addr) is false, @nr if none.  @before must be
 * true for a prefix of the entries and false for the rest.
 */
static unsigned int lower_bound(const struct tdx_layout_in *in,
				unsigned int nr, u64 addr,
				bool (*before)(const struct tdx_layout_in *in,
					       unsigned int i, u64 addr))
{
	unsigned int lo = 0, hi = nr;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (before(in, mid, addr))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool mem_ends_by(const struct tdx_layout_in *in, unsigned int i,
			u64 addr)
{
	return in->mem[i].end <= addr;
}

static bool mem_starts_below(const struct tdx_layout_in *in, unsigned int i,
			     u64 addr)
{
	return in->mem[i].start < addr;
}

static bool cmr_ends_by(const struct tdx_layout_in *in, unsigned int i,
			u64 addr)
{
	return in->cmrs[i].base + in->cmrs[i].size <= addr;
}

/* First memory range that ends after @addr; nr_mem if none. */
static unsigned int mem_after(const struct tdx_layout_in *in, u64 addr)
{
	return lower_bound(in, in->nr_mem, addr, mem_ends_by);
}

/* First memory range that starts at or after @addr; nr_mem if none. */
static unsigned int mem_from(const struct tdx_layout_in *in, u64 addr)
{
	return lower_bound(in, in->nr_mem, addr, mem_starts_below);
}

/* First CMR that ends after @addr; nr_cmrs if none. */
static unsigned int cmr_after(const struct tdx_layout_in *in, u64 addr)
{
	return lower_bound(in, in->nr_cmrs, addr, cmr_ends_by);
}

/* ---- CMRs and gaps -------------------------------------------------- */

/*
 * End of the run of touching CMRs that contains @addr, or 0 if @addr
 * is in no CMR.  CMRs are sorted (TDH.SYS.INFO, checked by the caller).
 */
static u64 cmr_run_end(const struct tdx_layout_in *in, u64 addr)
{
	unsigned int i = cmr_after(in, addr);
	u64 end;

	if (i == in->nr_cmrs || in->cmrs[i].base > addr)
		return 0;
	end = in->cmrs[i].base + in->cmrs[i].size;
	for (i++; i < in->nr_cmrs && in->cmrs[i].base == end; i++)
		end += in->cmrs[i].size;
	return end;
}

/* Is [start, end) inside one run of touching CMRs? */
static bool in_cmrs(const struct tdx_layout_in *in, u64 start, u64 end)
{
	return end <= cmr_run_end(in, start);
}

/* Is @addr TDX memory? */
static bool mem_at(const struct tdx_layout_in *in, u64 addr)
{
	unsigned int k = mem_after(in, addr);

	return k < in->nr_mem && in->mem[k].start <= addr;
}

/*
 * The stretch without TDX memory around @addr (which is no TDX
 * memory), clipped to [lo, hi) and shrunk to 4 KiB boundaries so that
 * an area over it never reaches into TDX memory: *@s and *@e.  CMRs
 * are 4 KiB aligned, so the parts cut off are in a CMR.
 */
static void nomem_stretch(const struct tdx_layout_in *in, u64 addr, u64 lo,
			  u64 hi, u64 *s, u64 *e)
{
	unsigned int k = mem_after(in, addr);	/* starts after @addr */

	*s = lo;
	*e = hi;
	if (k && in->mem[k - 1].end > *s)
		*s = in->mem[k - 1].end;
	if (k < in->nr_mem && in->mem[k].start < *e)
		*e = in->mem[k].start;
	*s = ALIGN(*s, TDX_PAGE_SIZE);
	*e = ALIGN_DOWN(*e, TDX_PAGE_SIZE);
}

/*
 * Walks the gaps of [start, end) in order; both cursors start at
 * @start and only move forward, so one walk costs O(log n) plus the
 * memory ranges and CMRs it passes.
 */
struct gap_walk {
	const struct tdx_layout_in *in;
	u64 cur, end;
	unsigned int k, c;
};

static void gap_walk_init(struct gap_walk *gw, const struct tdx_layout_in *in,
			  u64 start, u64 end)
{
	gw->in = in;
	gw->cur = start;
	gw->end = end;
	gw->k = mem_after(in, start);
	gw->c = cmr_after(in, start);
}

/* Does [s, e) hold a byte outside the CMRs? */
static bool walk_leaves_cmrs(struct gap_walk *gw, u64 s, u64 e)
{
	const struct tdx_layout_in *in = gw->in;
	unsigned int c;
	u64 pos = s;

	while (gw->c < in->nr_cmrs &&
	       in->cmrs[gw->c].base + in->cmrs[gw->c].size <= s)
		gw->c++;
	for (c = gw->c; c < in->nr_cmrs && pos < e; c++) {
		if (in->cmrs[c].base > pos)
			break;
		pos = in->cmrs[c].base + in->cmrs[c].size;
	}
	return pos < e;
}

/*
 * The next gap of the walk, as the area to reserve for it: its stretch
 * shrunk to 4 KiB boundaries (see nomem_stretch()) in [*gs, *ge).
 * False when there is none.
 */
static bool next_gap(struct gap_walk *gw, u64 *gs, u64 *ge)
{
	const struct tdx_layout_in *in = gw->in;

	while (gw->cur < gw->end) {
		u64 s = gw->cur, e = gw->end;

		/* Skip the TDX memory at s (ranges may touch). */
		while (gw->k < in->nr_mem && in->mem[gw->k].start <= s) {
			if (in->mem[gw->k].end > s)
				s = in->mem[gw->k].end;
			gw->k++;
		}
		if (s >= gw->end)
			break;
		if (gw->k < in->nr_mem && in->mem[gw->k].start < e)
			e = in->mem[gw->k].start;
		gw->cur = e;
		if (walk_leaves_cmrs(gw, s, e)) {
			*gs = ALIGN(s, TDX_PAGE_SIZE);
			*ge = ALIGN_DOWN(e, TDX_PAGE_SIZE);
			return true;
		}
	}
	gw->cur = gw->end;
	return false;
}

/* gaps([start, end)): see "Definitions" above. */
static unsigned int count_gaps(const struct tdx_layout_in *in, u64 start,
			       u64 end)
{
	struct gap_walk gw;
	unsigned int n = 0;
	u64 gs, ge;

	gap_walk_init(&gw, in, start, end);
	while (next_gap(&gw, &gs, &ge))
		n++;
	return n;
}

/*
 * gaps([start, end)) for an end that only grows, as a TDMR being
 * extended: stretches that TDX memory closes are counted once; only the
 * open stretch at the end is looked at again, and how far the CMRs
 * cover it from its start is remembered.  So extending a TDMR over a
 * whole map costs O(nr_mem + nr_cmrs), not that per window.
 */
struct gap_count {
	struct gap_walk gw;	/* gw.cur: start of the open stretch */
	unsigned int closed;	/* gaps that end before gw.cur */
	u64 tail;		/* the open stretch that @cover is for */
	u64 cover;		/* CMRs cover [tail, cover) */
};

static void gap_count_init(struct gap_count *gc,
			   const struct tdx_layout_in *in, u64 start)
{
	gap_walk_init(&gc->gw, in, start, start);
	gc->closed = 0;
	gc->tail = ~0ULL;
	gc->cover = 0;
}

static unsigned int gap_count_to(struct gap_count *gc, u64 end)
{
	struct gap_walk *gw = &gc->gw;
	const struct tdx_layout_in *in = gw->in;
	unsigned int c;

	gw->end = end;
	while (gw->cur < end) {
		u64 s = gw->cur, pos;

		/* Skip the TDX memory at s (ranges may touch). */
		while (gw->k < in->nr_mem && in->mem[gw->k].start <= s) {
			if (in->mem[gw->k].end > s)
				s = in->mem[gw->k].end;
			gw->k++;
		}
		gw->cur = s;
		if (s >= end)
			break;
		if (gw->k < in->nr_mem && in->mem[gw->k].start < end) {
			/* Closed by memory: final. */
			gc->closed += walk_leaves_cmrs(gw, s,
						       in->mem[gw->k].start);
			gw->cur = in->mem[gw->k].start;
			continue;
		}
		/* The open stretch [s, end). */
		if (gc->tail != s) {
			while (gw->c < in->nr_cmrs &&
			       in->cmrs[gw->c].base + in->cmrs[gw->c].size <= s)
				gw->c++;
			pos = s;
			for (c = gw->c; c < in->nr_cmrs; c++) {
				if (in->cmrs[c].base > pos)
					break;
				pos = in->cmrs[c].base + in->cmrs[c].size;
			}
			gc->tail = s;
			gc->cover = pos;
		}
		return gc->closed + (gc->cover < end);
	}
	return gc->closed;
}

/* ---- Windows ------------------------------------------------------- */

/*
 * First window >= @w that holds memory, or TDX_NO_WINDOW.  @hint (may
 * be NULL) remembers where the last call stopped: callers that ask
 * for increasing windows walk the memory list once.
 */
static u64 next_mem_window(const struct tdx_layout_in *in, u64 w,
			   unsigned int *hint)
{
	unsigned int k = hint ? *hint : 0;

	for (; k < in->nr_mem; k++) {
		u64 first = in->mem[k].start / TDMR_ALIGNMENT;
		u64 last = (in->mem[k].end - 1) / TDMR_ALIGNMENT;

		if (last < w)
			continue;
		if (hint)
			*hint = k;
		return first > w ? first : w;
	}
	return TDX_NO_WINDOW;
}

/*
 * Check the memory list: sorted, non-empty ranges, each inside the
 * CMRs.  This is the only check that TDX memory is convertible: RAM
 * outside the CMRs, whether hot-added before initialization or left
 * out by the firmware, is refused here, never left to the module.
 * The kernel builds the list from its memory source, the tool from a
 * file.
 */
static int check_input(const struct tdx_layout_in *in,
		       struct tdx_layout_error *err)
{
	unsigned int k;

	for (k = 0; k < in->nr_mem; k++) {
		const struct tdx_memblock *m = &in->mem[k];

		if (m->end <= m->start || (k && m->start < in->mem[k - 1].end) ||
		    m->end > (1ULL << 52)) {
			layout_error(err, TDX_LAYOUT_BAD_INPUT, k, m->start,
				     m->end, 0, 0);
			return -EINVAL;
		}
		if (!in_cmrs(in, m->start, m->end)) {
			u64 bad = cmr_run_end(in, m->start), end = m->end;
			unsigned int i;

			/* Name the first part outside: [bad, next CMR). */
			if (!bad)
				bad = m->start;
			for (i = 0; i < in->nr_cmrs; i++)
				if (in->cmrs[i].base > bad &&
				    in->cmrs[i].base < end)
					end = in->cmrs[i].base;
			layout_error(err, TDX_LAYOUT_MEM_OUTSIDE_CMR, k, bad,
				     end, 0, 0);
			return -EINVAL;
		}
	}
	if (!in->nr_mem) {
		layout_error(err, TDX_LAYOUT_BAD_INPUT, 0, 0, 0, 0, 0);
		return -EINVAL;
	}
	return 0;
}

/* Budget of a TDMR over windows [s, e): reserved areas for gaps. */
static unsigned int plan_budget(const struct tdmr_list *list, u64 slack,
				u64 s, u64 e)
{
	if (slack == TDX_SLACK_ALL ||
	    (slack != TDX_SLACK_NONE && slack >= s && slack < e))
		return list->max_rsvd - 1;
	return list->max_rsvd;
}

/*
 * Step 1 of the algorithm: greedy TDMRs for one (bridge, max_len,
 * slack) choice.  Returns 0, or -ENOSPC with @err saying why; on -ENOSPC for
 * too many TDMRs, err->count is the number this plan would need.
 */
/*
 * Windows from @e on that are all TDX memory of the range holding the
 * last byte of window e - 1: a TDMR ending in them has no more gaps than
 * one ending at window e.  Returns the first window past them (at most
 * @limit), or @e.  *@k is a cursor for increasing @e.
 */
static u64 plan_skip_memory(const struct tdx_layout_in *in, u64 e, u64 limit,
			    unsigned int *k)
{
	u64 addr = e * TDMR_ALIGNMENT, last;

	while (*k < in->nr_mem && in->mem[*k].end <= addr - 1)
		(*k)++;
	if (*k == in->nr_mem || in->mem[*k].start > addr - 1)
		return e;

	last = (in->mem[*k].end - 1) / TDMR_ALIGNMENT;	/* holds the end */
	return last > limit ? limit : last > e ? last : e;
}

static int plan_fill(struct tdmr_list *list, const struct tdx_layout_in *in,
		     u64 bridge, u64 max_len, u64 slack,
		     struct tdx_layout_error *err)
{
	unsigned int n = 0, hint = 0, cur = 0;
	u64 w = next_mem_window(in, 0, &hint);

	while (w != TDX_NO_WINDOW) {
		u64 s = w, e = w + 1, g, j;
		struct gap_count gc;
		struct tdmr_info *t;

		gap_count_init(&gc, in, s * TDMR_ALIGNMENT);
		g = gap_count_to(&gc, e * TDMR_ALIGNMENT);
		if (g > plan_budget(list, slack, s, e)) {
			layout_error(err, g > list->max_rsvd ?
				     TDX_LAYOUT_WINDOW_IMPOSSIBLE :
				     TDX_LAYOUT_NO_PAMT_ROOM, n,
				     s * TDMR_ALIGNMENT, e * TDMR_ALIGNMENT,
				     g, list->max_rsvd);
			return -ENOSPC;
		}
		for (;;) {
			u64 next;

			/*
			 * Take whole windows of memory at once while the
			 * gaps, and the budget, stay the same (the budget
			 * only drops at the slack window).
			 */
			j = plan_skip_memory(in, e, max_len == TDX_NO_WINDOW ?
					     ~0ULL : s + max_len, &cur);
			if (slack < TDX_SLACK_ALL && slack >= e && slack < j)
				j = slack;
			if (j > e && g <= plan_budget(list, slack, s, j))
				e = j;

			next = next_mem_window(in, e, &hint);
			if (next == TDX_NO_WINDOW || next - e > bridge ||
			    next + 1 - s > max_len)
				break;
			g = gap_count_to(&gc, (next + 1) * TDMR_ALIGNMENT);
			if (g > plan_budget(list, slack, s, next + 1))
				break;
			e = next + 1;
		}
		if (n < list->max_tdmrs) {
			t = tdmr_list_entry(list, n);
			memset(t, 0, list->stride);
			t->base = s * TDMR_ALIGNMENT;
			t->size = (e - s) * TDMR_ALIGNMENT;
		}
		n++;
		w = next_mem_window(in, e, &hint);
	}
	list->nr_tdmrs = n < list->max_tdmrs ? n : list->max_tdmrs;
	if (n > list->max_tdmrs) {
		layout_error(err, TDX_LAYOUT_TDMRS_EXHAUSTED, n, 0, 0, n,
			     list->max_tdmrs);
		return -ENOSPC;
	}
	return 0;
}

/* The node of the first memory inside @tdmr: where its PAMT should go. */
static int tdmr_nid(const struct tdmr_info *tdmr,
		    const struct tdx_layout_in *in)
{
	unsigned int k = mem_after(in, tdmr->base);

	if (k < in->nr_mem && in->mem[k].start < tdmr_end(tdmr))
		return in->mem[k].nid;
	return -1;
}

/* Per-TDMR PAMT sizes (the formula) and nodes; no placement yet. */
static void plan_pamt_sizes(struct tdmr_list *list,
			    const struct tdx_layout_in *in)
{
	unsigned int i;

	for (i = 0; i < list->nr_tdmrs; i++) {
		struct tdmr_info *t = tdmr_list_entry(list, i);

		list->pamt[i].base = 0;
		list->pamt[i].size = tdmr_pamt_total(t->size, list->entry_size);
		list->pamt[i].nid = tdmr_nid(t, in);
	}
}

/* ---- PAMT placement -------------------------------------------------- */

/* What placement needs to remember while it works; on the stack. */
struct pamt_state {
	const struct tdx_layout_in *in;
	struct tdmr_list *list;
	const struct tdx_pamt_ops *ops;	/* NULL: dry run */
	int slack[TDX_LAYOUT_MAX_TDMRS];
	int gaps[TDX_LAYOUT_MAX_TDMRS];	/* -1: too many to list */
	/* Memory ranges holding a PAMT block, sorted; for pamt_place(). */
	unsigned int nr_blk;
	unsigned int blk[TDX_LAYOUT_MAX_TDMRS];
};

/* The TDMR containing [start, end), or -1. */
static int tdmr_of(const struct tdmr_list *list, u64 start, u64 end)
{
	unsigned int i;

	for (i = 0; i < list->nr_tdmrs; i++) {
		const struct tdmr_info *t = tdmr_list_entry(list, i);

		if (start >= t->base && end <= tdmr_end(t))
			return i;
	}
	return -1;
}

/* Does a PAMT block placed already end at (@end) / start at @addr? */
static bool block_edge_at(const struct tdmr_list *list, u64 addr, bool end)
{
	unsigned int b;

	for (b = 0; b < list->nr_blocks; b++) {
		const struct tdx_pamt_block *blk = &list->blocks[b];

		if ((end ? blk->base + blk->size : blk->base) == addr)
			return true;
	}
	return false;
}

/* Does [s, e) hold a byte outside the CMRs? */
static bool leaves_cmrs(const struct tdx_layout_in *in, u64 s, u64 e)
{
	struct gap_walk gw;

	gap_walk_init(&gw, in, s, e);
	return walk_leaves_cmrs(&gw, s, e);
}

/*
 * Does a reserved area of TDMR @t end at (@end) / start at @addr?  An
 * area is a gap or a PAMT block placed already, grown over the memory
 * without TDX memory next to it (step 4), so a stretch without TDX
 * memory is reserved when it is a gap or a block touches its far end.
 * The area would lie on the @end side of @addr: below it when @end,
 * above it otherwise.
 */
static bool rsvd_edge_at(const struct pamt_state *st,
			 const struct tdmr_info *t, u64 addr, bool end)
{
	u64 lo = t->base, hi = tdmr_end(t), inside, s, e;

	if (end ? addr <= lo || addr > hi : addr < lo || addr >= hi)
		return false;
	if (block_edge_at(st->list, addr, end))
		return true;
	inside = end ? addr - 1 : addr;
	/* The far side must be TDX memory, or the TDMR's edge. */
	if (mem_at(st->in, inside) ||
	    (end ? addr < hi && !mem_at(st->in, addr) :
		   addr > lo && !mem_at(st->in, addr - 1)))
		return false;
	nomem_stretch(st->in, inside, lo, hi, &s, &e);
	if (leaves_cmrs(st->in, s, e))
		return true;
	return end ? s > lo && block_edge_at(st->list, s, true) :
		     e < hi && block_edge_at(st->list, e, false);
}

/* The node of the memory at @addr. */
static int tdx_mem_nid(const struct tdx_layout_in *in, u64 addr)
{
	unsigned int k = mem_after(in, addr);

	if (k < in->nr_mem && in->mem[k].start <= addr)
		return in->mem[k].nid;
	return NUMA_NO_NODE;
}

/* Lowest address of the blocks stacked at the top of [lo, hi). */
static u64 stack_top(const struct tdmr_list *list, u64 lo, u64 hi)
{
	u64 top = hi;
	unsigned int b;
	bool moved;

	do {
		moved = false;
		for (b = 0; b < list->nr_blocks; b++) {
			const struct tdx_pamt_block *blk = &list->blocks[b];

			if (blk->base + blk->size == top && blk->base >= lo) {
				top = blk->base;
				moved = true;
			}
		}
	} while (moved);
	return top;
}

/* End of the blocks stacked at the bottom of [lo, hi). */
static u64 stack_bottom(const struct tdmr_list *list, u64 lo, u64 hi)
{
	u64 bot = lo;
	unsigned int b;
	bool moved;

	do {
		moved = false;
		for (b = 0; b < list->nr_blocks; b++) {
			const struct tdx_pamt_block *blk = &list->blocks[b];

			if (blk->base == bot && blk->base + blk->size <= hi) {
				bot = blk->base + blk->size;
				moved = true;
			}
		}
	} while (moved);
	return bot;
}

/* Allocate (or, dry, pretend to) @size bytes in [lo, hi), top-down. */
static int pamt_get(struct pamt_state *st, u64 size, int nid, u64 lo, u64 hi,
		    u64 *base)
{
	u64 b;

	if (hi - lo < size)
		return -ENOMEM;
	if (st->ops)
		return st->ops->alloc(st->ops->ctx, size / TDX_PAGE_SIZE, nid,
				      lo, hi, base);
	/* Dry run: the highest spot not taken by a block already placed. */
	b = hi - size;
	for (;;) {
		const struct tdx_pamt_block *hit = NULL;
		unsigned int k;

		for (k = 0; k < st->list->nr_blocks; k++) {
			const struct tdx_pamt_block *blk = &st->list->blocks[k];

			if (blk->base < b + size && b < blk->base + blk->size)
				hit = blk;
		}
		if (!hit) {
			*base = b;
			return 0;
		}
		if (hit->base < lo + size)
			return -ENOMEM;
		b = hit->base - size;
	}
}

/*
 * One candidate spot: [lo, hi) inside RAM range @k and TDMR @i.  @free
 * says it costs no reserved area (only when the block lands exactly at
 * lo or hi - size, which the range then forces).
 */
static int pamt_try(struct pamt_state *st, unsigned int i, u64 lo, u64 hi,
		    u64 size, int nid, bool free, u64 *base)
{
	int ret;

	if (!free && st->slack[i] < 1)
		return -ENOSPC;
	if (hi <= lo || hi - lo < size)
		return -ENOMEM;
	ret = pamt_get(st, size, nid, lo, hi, base);
	/* Interrupted: no other spot would do better. */
	if (ret == -EINTR)
		return ret;
	if (ret)
		return -ENOMEM;
	if (*base < lo || *base + size > hi ||
	    !IS_ALIGNED(*base, TDX_PAGE_SIZE)) {
		/* A broken allocator: give it back, never use it. */
		if (st->ops)
			st->ops->free(st->ops->ctx, *base, size / TDX_PAGE_SIZE);
		return -EINVAL;
	}
	if (!free)
		st->slack[i]--;
	return 0;
}

/*
 * A free spot (pass 0 of pamt_place()) needs a reserved area touching
 * the range: a gap of the TDMR right above or below it, or a PAMT block
 * in it or in a range next to it (see rsvd_edge_at()).
 * Only those ranges are looked at, largest index first, as a scan of
 * every range top-down would meet them: so placing a block costs
 * O(gaps + blocks), not O(nr_mem), and a try stays linear in the map.
 *
 * The gaps' neighbours are listed once per placement run in the
 * reserved-area slots of each TDMR (unused until step 4, which clears
 * them): offset is the range below the gap (~0: none), size the range
 * above it.
 */
static void pamt_list_gap_ranges(struct pamt_state *st)
{
	const struct tdx_layout_in *in = st->in;
	struct tdmr_list *list = st->list;
	struct gap_walk gw;
	unsigned int i;
	u64 gs, ge;
	int n;

	for (i = 0; i < list->nr_tdmrs; i++) {
		struct tdmr_info *t = tdmr_list_entry(list, i);
		struct tdmr_reserved_area *ra = t->reserved_areas;

		n = 0;
		gap_walk_init(&gw, in, t->base, tdmr_end(t));
		while (next_gap(&gw, &gs, &ge)) {
			/* gw.k: the range right above the gap. */
			if (n == list->max_rsvd) {
				n = -1;
				break;
			}
			ra[n].offset = gw.k ? gw.k - 1 : ~0ULL;
			ra[n].size = gw.k;
			n++;
		}
		st->gaps[i] = n;
		st->slack[i] = n < 0 ? -1 : (int)list->max_rsvd - n;
	}
}

static void pamt_clear_gap_ranges(struct pamt_state *st)
{
	struct tdmr_list *list = st->list;
	unsigned int i;

	for (i = 0; i < list->nr_tdmrs; i++)
		memset(tdmr_list_entry(list, i)->reserved_areas, 0,
		       list->max_rsvd * sizeof(struct tdmr_reserved_area));
}

/* The sorted, distinct memory ranges holding PAMT blocks. */
static void pamt_list_block_ranges(struct pamt_state *st)
{
	const struct tdmr_list *list = st->list;
	unsigned int b, j, k, n = 0;

	for (b = 0; b < list->nr_blocks; b++) {
		k = mem_after(st->in, list->blocks[b].base);
		for (j = n; j && st->blk[j - 1] > k; j--)
			st->blk[j] = st->blk[j - 1];
		if (j && st->blk[j - 1] == k) {
			memmove(&st->blk[j], &st->blk[j + 1],
				(n - j) * sizeof(st->blk[0]));
			continue;
		}
		st->blk[j] = k;
		n++;
	}
	st->nr_blk = n;
}

/* Walks the candidates of pass 0 in one TDMR, largest index first. */
struct pamt_cands {
	const struct tdmr_reserved_area *gap;
	int ng;			/* gap[] entries left, two each */
	int nb;			/* st->blk[] entries left */
	bool all;		/* gaps unlisted: every range */
};

static long pamt_gap_cand(const struct pamt_cands *c, int i)
{
	u64 v = i & 1 ? c->gap[i / 2].size : c->gap[i / 2].offset;

	return v == ~0ULL ? -1 : (long)v;
}

/* The largest candidate below @below, or -1. */
static long pamt_cand_next(const struct pamt_state *st, struct pamt_cands *c,
			   long below)
{
	long best = -1, v;

	if (c->all)
		return below - 1;
	while (c->ng > 0 && pamt_gap_cand(c, c->ng - 1) >= below)
		c->ng--;
	if (c->ng > 0)
		best = pamt_gap_cand(c, c->ng - 1);
	/* Blocks make ranges [k - 1, k + 1] candidates. */
	while (c->nb > 0 && (long)st->blk[c->nb - 1] - 1 >= below)
		c->nb--;
	if (c->nb > 0) {
		v = (long)st->blk[c->nb - 1] + 1;
		if (v > below - 1)
			v = below - 1;
		if (v > best)
			best = v;
	}
	return best;
}

/*
 * Place one block of @size bytes on node @nid: first a free spot
 * (touching a reserved area), then any spot in a TDMR with a spare
 * reserved area.  Records the block.
 */
static int pamt_place(struct pamt_state *st, u64 size, int nid, u64 *base)
{
	struct tdmr_list *list = st->list;
	const struct tdx_layout_in *in = st->in;
	struct pamt_cands c;
	unsigned int pass, i;
	long k;
	int ret;

	pamt_list_block_ranges(st);
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < list->nr_tdmrs; i++) {
			const struct tdmr_info *t = tdmr_list_entry(list, i);

			/* Pass 1 needs a spare area (pamt_try()). */
			if (pass && st->slack[i] < 1)
				continue;
			c.gap = t->reserved_areas;
			c.ng = st->gaps[i] < 0 ? 0 : 2 * st->gaps[i];
			c.nb = st->nr_blk;
			c.all = pass || st->gaps[i] < 0;
			/* The ranges in TDMR i, top-down. */
			k = mem_from(in, tdmr_end(t));
			while ((k = pamt_cand_next(st, &c, k)) >= 0 &&
			       in->mem[k].end > t->base) {
				u64 lo = in->mem[k].start, hi = in->mem[k].end;

				if (nid != NUMA_NO_NODE && in->mem[k].nid != nid)
					continue;
				lo = ALIGN(lo > t->base ? lo : t->base,
					   TDX_PAGE_SIZE);
				hi = ALIGN_DOWN(hi < tdmr_end(t) ? hi :
						tdmr_end(t), TDX_PAGE_SIZE);
				if (hi <= lo || hi - lo < size)
					continue;
				if (pass == 0) {
					u64 top = stack_top(list, lo, hi);
					u64 bot = stack_bottom(list, lo, hi);

					/* Stack on the reserved area above / below. */
					ret = -ENOMEM;
					if (top - lo >= size &&
					    rsvd_edge_at(st, t, top, false))
						ret = pamt_try(st, i, top - size,
							       top, size,
							       in->mem[k].nid,
							       true, base);
					if (ret && ret != -EINTR &&
					    hi - bot >= size &&
					    rsvd_edge_at(st, t, bot, true))
						ret = pamt_try(st, i, bot,
							       bot + size, size,
							       in->mem[k].nid,
							       true, base);
				} else {
					ret = pamt_try(st, i, lo, hi, size,
						       in->mem[k].nid, false,
						       base);
				}
				if (!ret)
					goto placed;
				if (ret == -EINTR)
					return ret;
			}
		}
	}
	return -ENOSPC;

placed:
	list->blocks[list->nr_blocks].base = *base;
	list->blocks[list->nr_blocks].size = size;
	list->blocks[list->nr_blocks].nid = tdx_mem_nid(in, *base);
	list->nr_blocks++;
	return 0;
}

static void pamt_set_tdmr(struct tdmr_list *list, unsigned int i, u64 base)
{
	struct tdmr_info *t = tdmr_list_entry(list, i);
	u64 sz_4k = tdmr_pamt_size(t->size, TDX_PS_4K, list->entry_size);
	u64 sz_2m = tdmr_pamt_size(t->size, TDX_PS_2M, list->entry_size);
	u64 sz_1g = tdmr_pamt_size(t->size, TDX_PS_1G, list->entry_size);

	list->pamt[i].base = base;
	t->pamt_4k_base = base;
	t->pamt_4k_size = sz_4k;
	t->pamt_2m_base = base + sz_4k;
	t->pamt_2m_size = sz_2m;
	t->pamt_1g_base = base + sz_4k + sz_2m;
	t->pamt_1g_size = sz_1g;
}

static void pamt_release(struct pamt_state *st)
{
	struct tdmr_list *list = st->list;
	unsigned int b, i;

	for (b = 0; b < list->nr_blocks; b++)
		if (st->ops)
			st->ops->free(st->ops->ctx, list->blocks[b].base,
				      list->blocks[b].size / TDX_PAGE_SIZE);
	memset(list->blocks, 0, sizeof(list->blocks));
	list->nr_blocks = 0;
	for (i = 0; i < list->nr_tdmrs; i++) {
		struct tdmr_info *t = tdmr_list_entry(list, i);

		list->pamt[i].base = 0;
		t->pamt_4k_base = 0;
		t->pamt_4k_size = 0;
		t->pamt_2m_base = 0;
		t->pamt_2m_size = 0;
		t->pamt_1g_base = 0;
		t->pamt_1g_size = 0;
	}
}

/*
 * Step 3 of the algorithm, for real (@ops) or dry (@ops NULL).  On
 * failure nothing stays allocated and *@bad_tdmr names a TDMR whose
 * PAMT found no room.
 */
static int pamt_place_all(struct tdmr_list *list,
			  const struct tdx_layout_in *in,
			  const struct tdx_pamt_ops *ops,
			  unsigned int *bad_tdmr)
{
	struct pamt_state st = { .in = in, .list = list, .ops = ops };
	bool done[TDX_LAYOUT_MAX_TDMRS] = {};
	unsigned int i, j;
	u64 base, size;
	int ret;

	pamt_list_gap_ranges(&st);
	list->nr_blocks = 0;

	for (i = 0; i < list->nr_tdmrs; i++) {
		int nid = list->pamt[i].nid;

		if (done[i])
			continue;
		/* One block for every TDMR whose PAMT belongs to this node. */
		size = 0;
		for (j = i; j < list->nr_tdmrs; j++)
			if (!done[j] && list->pamt[j].nid == nid)
				size += list->pamt[j].size;
		ret = pamt_place(&st, size, nid, &base);
		if (ret == -EINTR) {
			*bad_tdmr = i;
			goto err_release;
		}
		if (!ret) {
			for (j = i; j < list->nr_tdmrs; j++) {
				if (done[j] || list->pamt[j].nid != nid)
					continue;
				pamt_set_tdmr(list, j, base);
				base += list->pamt[j].size;
				done[j] = true;
			}
			continue;
		}
		/* Fall back to one block per TDMR of this node. */
		for (j = i; j < list->nr_tdmrs; j++) {
			if (done[j] || list->pamt[j].nid != nid)
				continue;
			ret = pamt_place(&st, list->pamt[j].size, nid, &base);
			if (ret && ret != -EINTR)
				ret = pamt_place(&st, list->pamt[j].size,
						 NUMA_NO_NODE, &base);
			if (ret) {
				*bad_tdmr = j;
				if (ret != -EINTR)
					ret = -ENOMEM;
				goto err_release;
			}
			pamt_set_tdmr(list, j, base);
			done[j] = true;
		}
	}
	if (!ops)
		pamt_release(&st);
	pamt_clear_gap_ranges(&st);
	return 0;

err_release:
	pamt_release(&st);
	pamt_clear_gap_ranges(&st);
	return ret;
}

/* ---- Steps ----------------------------------------------------------- */

/*
 * Step 5: choose the TDMRs (steps 1 and 2 of the algorithm above).
 * On success the TDMR bases and sizes are set and every PAMT size is
 * known; nothing is allocated.
 */
/* Slack windows tried per plan, spread over the windows with memory. */
#define TDX_SLACK_TRIES		256

/* Windows holding memory, in order, by index; O(1) per range passed. */
struct win_iter {
	unsigned int k;		/* memory range holding window @w */
	u64 w;			/* TDX_NO_WINDOW past the last */
};

static void win_first(const struct tdx_layout_in *in, struct win_iter *it)
{
	it->k = 0;
	it->w = in->mem[0].start / TDMR_ALIGNMENT;
}

static void win_advance(const struct tdx_layout_in *in, struct win_iter *it,
			u64 count)
{
	while (count && it->w != TDX_NO_WINDOW) {
		u64 last = (in->mem[it->k].end - 1) / TDMR_ALIGNMENT, first;

		if (count <= last - it->w) {
			it->w += count;
			return;
		}
		count -= last - it->w + 1;
		while (it->k < in->nr_mem &&
		       (in->mem[it->k].end - 1) / TDMR_ALIGNMENT <= last)
			it->k++;
		if (it->k == in->nr_mem) {
			it->w = TDX_NO_WINDOW;
			return;
		}
		first = in->mem[it->k].start / TDMR_ALIGNMENT;
		it->w = first > last ? first : last + 1;
	}
}

/* Windows holding memory, and the longest run of empty ones between. */
static u64 count_windows(const struct tdx_layout_in *in, u64 *max_empty)
{
	u64 nwin = 0, prev = TDX_NO_WINDOW;
	unsigned int k;

	*max_empty = 0;
	for (k = 0; k < in->nr_mem; k++) {
		u64 first = in->mem[k].start / TDMR_ALIGNMENT;
		u64 last = (in->mem[k].end - 1) / TDMR_ALIGNMENT;

		if (prev != TDX_NO_WINDOW) {
			if (last <= prev)
				continue;
			if (first > prev + 1 && first - prev - 1 > *max_empty)
				*max_empty = first - prev - 1;
			if (first <= prev)
				first = prev + 1;
		}
		nwin += last - first + 1;
		prev = last;
	}
	return nwin;
}

/*
 * The slack tries after a plan without slack failed for want of PAMT
 * room, one bit each (try t: slack window number t * stride; the last:
 * TDX_SLACK_ALL), set only for those that can change the plan.  A
 * budget of max_reserved - 1 for the TDMR covering window w changes
 * nothing when that TDMR of the plan without slack has fewer than
 * max_reserved gaps: every extension it accepted is still accepted
 * (gaps only grow with the TDMR), every one it refused is still
 * refused, and the TDMRs before and after it do not see the slack.
 * Such a try would repeat the failed plan exactly, so it is skipped.
 */
#define TDX_SLACK_BITS		(TDX_SLACK_TRIES + 1)

static void plan_slack_useful(const struct tdmr_list *list,
			      const struct tdx_layout_in *in, u64 stride,
			      u64 *useful)
{
	u64 full = 0;
	struct win_iter it;
	unsigned int i, t;

	memset(useful, 0, DIV_ROUND_UP(TDX_SLACK_BITS, 64) * sizeof(u64));
	for (i = 0; i < list->nr_tdmrs; i++) {
		const struct tdmr_info *tdmr = tdmr_list_entry(list, i);

		if (count_gaps(in, tdmr->base, tdmr_end(tdmr)) >=
		    list->max_rsvd)
			full |= 1ULL << i;
	}
	if (!full)
		return;
	win_first(in, &it);
	for (t = 0, i = 0; t < TDX_SLACK_TRIES; t++) {
		if (t)
			win_advance(in, &it, stride);
		if (it.w == TDX_NO_WINDOW)
			break;
		while (i < list->nr_tdmrs &&
		       tdmr_end(tdmr_list_entry(list, i)) <= it.w * TDMR_ALIGNMENT)
			i++;
		if (i < list->nr_tdmrs && (full & (1ULL << i)))
			useful[t / 64] |= 1ULL << (t % 64);
	}
	useful[t / 64] |= 1ULL << (t % 64);	/* TDX_SLACK_ALL */
}

/*
 * Step 5: choose the TDMRs (steps 1 and 2 of the algorithm above).
 * On success the TDMR bases and sizes are set and every PAMT size is
 * known; nothing is allocated.
 *
 * The search is bounded: after TDX_PLAN_MAX_TRIES tries (greedy fills
 * with their dry PAMT placement) without a plan it stops with
 * TDX_LAYOUT_BUDGET, which says "no plan found within N tries", not
 * that none exists.  Tries that provably repeat an earlier one are
 * skipped and not counted.  Every try is linear in the size of the map,
 * and @in->resched, if set, runs between two tries.
 */
int tdmrs_plan(struct tdmr_list *list, const struct tdx_layout_in *in,
	       struct tdx_layout_error *err)
{
	struct tdx_layout_error e = {}, why = {};
	u64 useful[DIV_ROUND_UP(TDX_SLACK_BITS, 64)] = {};
	u64 bridge = 0, max_empty, max_len = TDX_NO_WINDOW;
	u64 nwin, slack, stride;
	unsigned int bad, t, tries = 0;
	struct win_iter it;
	bool exhausted;
	int ret;

	list->tries = 0;
	ret = check_input(in, err);
	if (ret)
		return ret;

	nwin = count_windows(in, &max_empty);
	stride = DIV_ROUND_UP(nwin, TDX_SLACK_TRIES);

again:
	for (;;) {
		exhausted = false;
		win_first(in, &it);
		for (t = 0; ; t++) {
			if (!t) {
				slack = TDX_SLACK_NONE;
			} else {
				if (t > 1)
					win_advance(in, &it, stride);
				slack = it.w == TDX_NO_WINDOW ||
					t - 1 == TDX_SLACK_TRIES ?
					TDX_SLACK_ALL : it.w;
				if (slack == TDX_SLACK_ALL &&
				    list->max_rsvd < 2)
					break;
				if (!(useful[(t - 1) / 64] &
				      (1ULL << ((t - 1) % 64))))
					goto next;
			}
			if (tries == TDX_PLAN_MAX_TRIES) {
				list->nr_tdmrs = 0;
				list->tries = tries;
				layout_error(err, TDX_LAYOUT_BUDGET, 0, 0, 0,
					     tries, TDX_PLAN_MAX_TRIES);
				return -ENOSPC;
			}
			if (tries++ && in->resched)
				in->resched();
			ret = plan_fill(list, in, bridge, max_len, slack, &e);
			if (!ret) {
				plan_pamt_sizes(list, in);
				if (!pamt_place_all(list, in, NULL, &bad)) {
					list->bridge = bridge;
					list->slack_at = slack;
					list->tries = tries;
					return 0;
				}
				layout_error(&e, TDX_LAYOUT_NO_PAMT_ROOM, bad,
					     tdmr_list_entry(list, bad)->base,
					     tdmr_end(tdmr_list_entry(list, bad)),
					     list->pamt[bad].size / 1024, 0);
				if (slack == TDX_SLACK_NONE)
					plan_slack_useful(list, in, stride,
							  useful);
			}
			/* A window no TDMR can hold: nothing else helps. */
			if (e.step == TDX_LAYOUT_WINDOW_IMPOSSIBLE) {
				list->nr_tdmrs = 0;
				list->tries = tries;
				if (err)
					*err = e;
				return -ENOSPC;
			}
			if (e.step == TDX_LAYOUT_TDMRS_EXHAUSTED)
				exhausted = true;
			/* Report the plan without slack: the fewest TDMRs. */
			if (slack == TDX_SLACK_NONE)
				why = e;
next:
			/*
			 * Smaller budgets never need fewer TDMRs: if the full
			 * budget needs too many, so does every slack variant.
			 */
			if (slack == TDX_SLACK_ALL ||
			    (slack == TDX_SLACK_NONE && exhausted))
				break;
		}
		/* Covering empty windows only helps against too many TDMRs. */
		if (!exhausted || bridge >= max_empty)
			break;
		bridge = bridge ? bridge * 2 : 1;
	}
	/*
	 * No room for a PAMT: shorter TDMRs have smaller PAMTs that may fit
	 * in a RAM range, and more TDMRs have more spare areas (the cap
	 * starts at the failing TDMR's length and halves, rounding up).
	 */
	if (why.step == TDX_LAYOUT_NO_PAMT_ROOM && max_len > 1) {
		if (max_len == TDX_NO_WINDOW)
			max_len = (why.end - why.base) / TDMR_ALIGNMENT;
		max_len = max_len > 1 ? (max_len + 1) / 2 : 1;
		bridge = 0;
		goto again;
	}
	list->nr_tdmrs = 0;
	list->tries = tries;
	if (err)
		*err = why;
	return -ENOSPC;
}

/*
 * Step 6: allocate the PAMTs where step 3 of the algorithm says.  On
 * failure everything allocated so far is freed again.
 */
int tdmrs_alloc_pamt_all(struct tdmr_list *list,
			 const struct tdx_layout_in *in,
			 const struct tdx_pamt_ops *ops,
			 struct tdx_layout_error *err)
{
	unsigned int bad = 0;
	int ret;

	ret = pamt_place_all(list, in, ops, &bad);
	if (ret) {
		layout_error(err, TDX_LAYOUT_PAMT_ALLOC, bad,
			     tdmr_list_entry(list, bad)->base,
			     tdmr_end(tdmr_list_entry(list, bad)),
			     (unsigned int)(list->pamt[bad].size / 1024), 0);
		return ret;
	}
	return 0;
}

void tdmrs_free_pamt_all(struct tdmr_list *list,
			 const struct tdx_pamt_ops *ops)
{
	struct pamt_state st = { .list = list, .ops = ops };

	pamt_release(&st);
}

/* PAMT bytes the TDMRs need: the formula, summed. */
u64 tdmrs_pamt_bytes(const struct tdmr_list *list)
{
	u64 bytes = 0;
	unsigned int i;

	for (i = 0; i < list->nr_tdmrs; i++)
		bytes += list->pamt[i].size;
	return bytes;
}

/* PAMT bytes actually allocated; more than the formula is a bug. */
u64 tdmrs_pamt_allocated(const struct tdmr_list *list)
{
	u64 bytes = 0;
	unsigned int b;

	for (b = 0; b < list->nr_blocks; b++)
		bytes += list->blocks[b].size;
	return bytes;
}

/*
 * Reserve [start, end) in TDMR @i: clip it to the TDMR, round it out
 * to 4 KiB, and merge it into the sorted area list together with every
 * area it overlaps or touches.  -ENOSPC when a new slot is needed and
 * none is left.
 */
static int tdmr_add_rsvd(struct tdmr_list *list, unsigned int i,
			 u64 start, u64 end)
{
	struct tdmr_info *tdmr = tdmr_list_entry(list, i);
	struct tdmr_reserved_area *ra = tdmr->reserved_areas;
	unsigned int n = list->nr_rsvd[i], pos, last;
	u64 off, size;

	if (start < tdmr->base)
		start = tdmr->base;
	if (end > tdmr_end(tdmr))
		end = tdmr_end(tdmr);
	if (start >= end)
		return 0;
	off = ALIGN_DOWN(start, TDX_PAGE_SIZE) - tdmr->base;
	size = ALIGN(end, TDX_PAGE_SIZE) - tdmr->base - off;

	/* First area that ends at or after our start: merge candidates. */
	for (pos = 0; pos < n; pos++)
		if (ra[pos].offset + ra[pos].size >= off)
			break;

	for (last = pos; last < n && ra[last].offset <= off + size; last++) {
		u64 a_end = ra[last].offset + ra[last].size;
		u64 new_end = off + size > a_end ? off + size : a_end;

		if (ra[last].offset < off)
			off = ra[last].offset;
		size = new_end - off;
	}

	if (last == pos) {
		/* Nothing to merge with: insert at pos. */
		if (n == list->max_rsvd)
			return -ENOSPC;
		memmove(&ra[pos + 1], &ra[pos], (n - pos) * sizeof(*ra));
		n++;
	} else if (last > pos + 1) {
		/* Areas pos..last-1 collapse into one at pos. */
		unsigned int gone = last - pos - 1;

		memmove(&ra[pos + 1], &ra[last], (n - last) * sizeof(*ra));
		memset(&ra[n - gone], 0, gone * sizeof(*ra));
		n -= gone;
	}
	ra[pos].offset = off;
	ra[pos].size = size;
	list->nr_rsvd[i] = n;
	return 0;
}

/*
 * Every gap of TDMR @i (rule R2), each as one area over its whole
 * stretch without TDX memory.
 */
static int tdmr_add_rsvd_gaps(struct tdmr_list *list, unsigned int i,
			      const struct tdx_layout_in *in)
{
	struct tdmr_info *tdmr = tdmr_list_entry(list, i);
	struct gap_walk gw;
	u64 gs, ge;
	int ret;

	gap_walk_init(&gw, in, tdmr->base, tdmr_end(tdmr));
	while (next_gap(&gw, &gs, &ge)) {
		ret = tdmr_add_rsvd(list, i, gs, ge);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Every PAMT block inside TDMR @i (rule R4), grown over the memory
 * without TDX memory on either side of it: that is allowed, and it
 * merges the block with a gap or block beyond such memory.
 */
static int tdmr_add_rsvd_pamts(struct tdmr_list *list, unsigned int i,
			       const struct tdx_layout_in *in)
{
	struct tdmr_info *tdmr = tdmr_list_entry(list, i);
	u64 lo = tdmr->base, hi = tdmr_end(tdmr), s, e, x;
	unsigned int b;
	int ret;

	for (b = 0; b < list->nr_blocks; b++) {
		s = list->blocks[b].base;
		e = s + list->blocks[b].size;
		if (e <= lo || s >= hi)
			continue;
		if (s > lo && !mem_at(in, s - 1))
			nomem_stretch(in, s - 1, lo, hi, &s, &x);
		if (e < hi && !mem_at(in, e))
			nomem_stretch(in, e, lo, hi, &x, &e);
		ret = tdmr_add_rsvd(list, i, s, e);
		if (ret)
			return ret;
	}
	return 0;
}

/* Step 7: the reserved areas (step 4 of the algorithm). */
int tdmrs_add_rsvd_all(struct tdmr_list *list, const struct tdx_layout_in *in,
		       struct tdx_layout_error *err)
{
	unsigned int i;
	int ret;

	for (i = 0; i < list->nr_tdmrs; i++) {
		struct tdmr_info *t = tdmr_list_entry(list, i);

		memset(t->reserved_areas, 0,
		       list->max_rsvd * sizeof(*t->reserved_areas));
		list->nr_rsvd[i] = 0;
		ret = tdmr_add_rsvd_gaps(list, i, in);
		if (!ret)
			ret = tdmr_add_rsvd_pamts(list, i, in);
		if (ret) {
			layout_error(err, TDX_LAYOUT_RSVD_EXHAUSTED, i, t->base,
				     tdmr_end(t), list->max_rsvd + 1,
				     list->max_rsvd);
			return ret;
		}
	}
	return 0;
}

/*
 * The whole layout: TDMRs, PAMTs, reserved areas.  On failure no PAMT
 * is left allocated and @err says which step failed and why.
 */
int tdx_construct_tdmrs(struct tdmr_list *list, const struct tdx_layout_in *in,
			const struct tdx_pamt_ops *ops,
			struct tdx_layout_error *err)
{
	int ret;

	ret = tdmrs_plan(list, in, err);
	if (ret)
		return ret;
	ret = tdmrs_alloc_pamt_all(list, in, ops, err);
	if (ret)
		return ret;
	ret = tdmrs_add_rsvd_all(list, in, err);
	if (ret)
		tdmrs_free_pamt_all(list, ops);
	return ret;
}

/* Which TDMR a PAMT block lies in, for messages; -1 if none. */
int tdmrs_block_tdmr(const struct tdmr_list *list, unsigned int b)
{
	return tdmr_of(list, list->blocks[b].base,
		       list->blocks[b].base + list->blocks[b].size);
}
