// SPDX-License-Identifier: GPL-2.0
/*
 * TDX host core: pure range logic behind the lifecycle rules
 * (tdx_lifecycle.c).  No globals, no allocations, no hardware: the
 * userspace harness tools/testing/tdx-lifecycle compiles this file.
 */

#include <linux/types.h>

#include "tdx_range.h"

/*
 * First part of [@start, @end) that no CMR covers, in [*@bad_start,
 * *@bad_end).  CMRs are sorted and do not overlap (checked at step 3);
 * adjacent CMRs cover a range together.  Returns false if covered.
 */
bool tdx_range_outside_cmrs(u64 start, u64 end, const struct cmr_info *cmrs,
			    unsigned int nr_cmrs, u64 *bad_start, u64 *bad_end)
{
	unsigned int i;

	for (i = 0; i < nr_cmrs && start < end; i++) {
		u64 cbase = cmrs[i].base, cend = cbase + cmrs[i].size;

		if (cend <= start)
			continue;
		if (cbase > start) {
			*bad_start = start;
			*bad_end = cbase < end ? cbase : end;
			return true;
		}
		start = cend;
	}
	if (start < end) {
		*bad_start = start;
		*bad_end = end;
		return true;
	}
	return false;
}

/*
 * Is [@start, @end) entirely TDX memory?  The list is sorted (memblock
 * order); adjacent entries (a node boundary, different memblock flags)
 * cover a range together.
 */
bool tdx_range_in_memlist(u64 start, u64 end, const struct tdx_memblock *mem,
			  unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr && start < end; i++) {
		if (mem[i].end <= start)
			continue;
		if (mem[i].start > start)
			return false;
		start = mem[i].end;
	}
	return start >= end;
}

bool tdx_range_overlaps_memlist(u64 start, u64 end,
				const struct tdx_memblock *mem,
				unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (start < mem[i].end && end > mem[i].start)
			return true;
	return false;
}
