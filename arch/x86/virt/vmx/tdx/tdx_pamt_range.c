// SPDX-License-Identifier: GPL-2.0
/*
 * TDX host core glue: PAMT pages for the out-of-tree module.
 *
 * The stock 6.1 kernel exports alloc_contig_range() but not
 * alloc_contig_pages(), so the module cannot use tdx_pamt.c.  This
 * file implements the same interface (tdx_host.h) with a search of
 * its own over [lo, hi), top-down.  It is not built in-tree: the
 * module's Kbuild links it instead of tdx_pamt.c.  It ignores @nid:
 * the planner only asks for ranges of RAM on that node anyway.
 */

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/memory_hotplug.h>
#include <linux/page-isolation.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>

#include "tdx_host.h"

#define TDX_PFN_OK	ULONG_MAX

/*
 * Could [pfn, pfn + nr) be allocated as one range of one zone?  Returns
 * TDX_PFN_OK, or the highest pfn that rules it out, so that the caller
 * can skip every candidate range containing it.
 */
static unsigned long tdx_pfn_range_bad(unsigned long pfn, unsigned long nr)
{
	struct zone *zone = NULL;
	unsigned long i;

	for (i = pfn + nr; i-- > pfn; ) {
		struct page *page = pfn_to_online_page(i);

		if (!page || PageReserved(page) || PageHuge(page))
			return i;
		/* A PAMT is never freed: keep ZONE_MOVABLE's promise. */
		if (zone_idx(page_zone(page)) == ZONE_MOVABLE)
			return i;
		if (!zone)
			zone = page_zone(page);
		else if (page_zone(page) != zone)
			return i;
	}
	return TDX_PFN_OK;
}

/*
 * After alloc_contig_range() failed on [pfn, pfn + nr): the first pfn
 * of the highest pageblock in it that is not movable (most likely what
 * held the unmovable pages), or the range's top pfn.  Skipping
 * past it costs one try per unmovable pageblock instead of one try per
 * pageblock of the PAMT's size.
 */
static unsigned long tdx_pfn_range_busy(unsigned long pfn, unsigned long nr)
{
	unsigned long i = ALIGN_DOWN(pfn + nr - 1, pageblock_nr_pages);

	for (; i >= pfn && i < pfn + nr; i -= pageblock_nr_pages) {
		struct page *page = pfn_to_online_page(i);

		if (page && get_pageblock_migratetype(page) != MIGRATE_MOVABLE)
			return i;
		if (i < pageblock_nr_pages)
			break;
	}
	return pfn + nr - 1;
}

/*
 * PAMTs: physically contiguous, inside [lo, hi) as the planner asks
 * (that decides how many reserved areas they cost), as high as
 * possible: first exactly at the top, then lower, down to the bottom
 * of the range.  Early boot allocations sit at the top of memory, so
 * the top rarely works.  Candidates holding reserved or offline pages
 * are skipped past the offending page; after a failed
 * alloc_contig_range() (unmovable pages) the next candidate ends below
 * the highest unmovable pageblock of the failed one, or one pageblock
 * lower if all of them are movable.  ZONE_MOVABLE is never used.
 * PAMTs are not zeroed: TDH.SYS.TDMR.INIT initializes them.
 * alloc_contig_range() allocates exactly the pages asked for.
 */
int tdx_pamt_alloc(unsigned long nr_pages, int nid, u64 lo, u64 hi,
		   u64 *base)
{
	unsigned long lo_pfn = PFN_UP(lo), hi_pfn = PFN_DOWN(hi), pfn, bad;

	if (hi_pfn < lo_pfn || hi_pfn - lo_pfn < nr_pages)
		return -ENOMEM;
	pfn = hi_pfn - nr_pages;
	for (;;) {
		bad = tdx_pfn_range_bad(pfn, nr_pages);
		if (bad == TDX_PFN_OK) {
			if (!alloc_contig_range(pfn, pfn + nr_pages,
						MIGRATE_MOVABLE,
						GFP_KERNEL | __GFP_NOWARN)) {
				*base = PFN_PHYS(pfn);
				return 0;
			}
			if (fatal_signal_pending(current))
				return -EINTR;
			/* Unmovable pages somewhere: below their pageblock. */
			bad = tdx_pfn_range_busy(pfn, nr_pages);
		}
		/* The next candidate ends below @bad. */
		if (bad < lo_pfn + nr_pages)
			return -ENOMEM;
		pfn = ALIGN_DOWN(bad - nr_pages, pageblock_nr_pages);
		if (pfn < lo_pfn)
			pfn = lo_pfn;
		cond_resched();
	}
}

void tdx_pamt_free(u64 base, unsigned long nr_pages)
{
	free_contig_range(PHYS_PFN(base), nr_pages);
}

