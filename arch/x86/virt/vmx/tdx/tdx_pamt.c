// SPDX-License-Identifier: GPL-2.0
/*
 * TDX host core glue: PAMT pages from the page allocator, in-tree.
 *
 * alloc_contig_pages() finds and migrates the range itself, on the
 * node asked for (the planner asks for one block per node), from
 * ZONE_NORMAL and below only: GFP_KERNEL never selects ZONE_MOVABLE,
 * where a PAMT, which is never freed while TDX is in use, must not be.
 * It is not exported, so the out-of-tree module links
 * tdx_pamt_range.c instead (tdx_host.h states the contract).
 *
 * alloc_contig_pages() takes no address range, while the planner asks
 * for a block inside [lo, hi) (that decides what reserved areas it
 * costs) and tries its candidate spots in turn.  A block that lands
 * outside the range is given back, and remembered as a hint: the
 * allocator returns the lowest free block of the node, so until
 * something is allocated, a request of the same size on the same node
 * whose range does not hold the hint would only land there again and
 * is refused without migrating anything.  Called under the module
 * lock (tdx.c), which also protects the hint.
 */

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/nodemask.h>
#include <linux/pfn.h>
#include <linux/sched/signal.h>
#include <linux/topology.h>

#include "tdx_host.h"

static struct {
	u64 base;		/* 0: no hint */
	unsigned long nr_pages;
	int nid;
} tdx_pamt_hint;

static bool tdx_pamt_hint_rules_out(unsigned long nr_pages, int nid, u64 lo,
				    u64 hi)
{
	u64 end = tdx_pamt_hint.base + ((u64)nr_pages << PAGE_SHIFT);

	return tdx_pamt_hint.base && tdx_pamt_hint.nr_pages == nr_pages &&
	       tdx_pamt_hint.nid == nid &&
	       (tdx_pamt_hint.base < lo || end > hi);
}

int tdx_pamt_alloc(unsigned long nr_pages, int nid, u64 lo, u64 hi,
		   u64 *base)
{
	nodemask_t nodes = NODE_MASK_NONE;
	int want = nid;
	struct page *page;
	u64 pa;

	if (fatal_signal_pending(current))
		return -EINTR;
	if (tdx_pamt_hint_rules_out(nr_pages, want, lo, hi))
		return -ENOMEM;
	if (nid == NUMA_NO_NODE) {
		nodes = node_online_map;
		nid = numa_mem_id();
	} else {
		node_set(nid, nodes);
	}
	page = alloc_contig_pages(nr_pages, GFP_KERNEL | __GFP_NOWARN, nid,
				  &nodes);
	if (!page)
		return fatal_signal_pending(current) ? -EINTR : -ENOMEM;
	pa = PFN_PHYS(page_to_pfn(page));
	if (pa < lo || pa + ((u64)nr_pages << PAGE_SHIFT) > hi) {
		free_contig_range(page_to_pfn(page), nr_pages);
		tdx_pamt_hint.base = pa;
		tdx_pamt_hint.nr_pages = nr_pages;
		tdx_pamt_hint.nid = want;
		return -ENOMEM;
	}
	tdx_pamt_hint.base = 0;
	*base = pa;
	return 0;
}

void tdx_pamt_free(u64 base, unsigned long nr_pages)
{
	free_contig_range(PHYS_PFN(base), nr_pages);
	tdx_pamt_hint.base = 0;
}
