/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TDX host core: pure range logic of the lifecycle rules
 * (tdx_range.c), apart so that the userspace harness in
 * tools/testing/tdx-lifecycle can drive it.  No globals, no hardware.
 */
#ifndef _X86_VIRT_TDX_RANGE_H
#define _X86_VIRT_TDX_RANGE_H

#include <linux/types.h>

#include "tdx.h"

bool tdx_range_in_memlist(u64 start, u64 end, const struct tdx_memblock *mem,
			  unsigned int nr);
bool tdx_range_overlaps_memlist(u64 start, u64 end,
				const struct tdx_memblock *mem,
				unsigned int nr);

#endif /* _X86_VIRT_TDX_RANGE_H */
