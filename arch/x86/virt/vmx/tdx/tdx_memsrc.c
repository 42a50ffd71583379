// SPDX-License-Identifier: GPL-2.0
/*
 * TDX host core glue: where TDX memory comes from, in-tree.
 *
 * Every RAM range memblock knows becomes TDX memory (minus what
 * tdx.c drops).  ARCH_KEEP_MEMBLOCK keeps memblock around after boot
 * for this.  memblock also records memory hot-added later, which the
 * planner then refuses as outside the CMRs.  The out-of-tree module
 * has no memblock and implements tdx_memsrc_walk() on the busy System
 * RAM resources instead (tdx_host.h states the contract).
 */

#include <linux/memblock.h>
#include <linux/numa.h>
#include <linux/pfn.h>

#include "tdx_host.h"

int tdx_memsrc_walk(tdx_ram_fn fn, void *arg)
{
	unsigned long start_pfn, end_pfn;
	int i, nid, ret;

	for_each_mem_pfn_range(i, MAX_NUMNODES, &start_pfn, &end_pfn, &nid) {
		ret = fn(PFN_PHYS(start_pfn), PFN_PHYS(end_pfn), nid, arg);
		if (ret)
			return ret;
	}
	return 0;
}
