// SPDX-License-Identifier: GPL-2.0
/*
 * TDX host core: pure range logic behind the lifecycle rules
 * (tdx_lifecycle.c).  No globals, no allocations, no hardware: the
 * userspace harness tools/testing/tdx-lifecycle compiles this file.
 */

#include <linux/types.h>

#include "tdx_range.h"

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
