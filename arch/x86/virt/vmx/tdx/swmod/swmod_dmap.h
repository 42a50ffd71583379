/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Software TDX module, kernel platform: TD-owned pages out of the
 * host's direct map (swmod_dmap.c).
 *
 * A small interface on purpose, so that it can be compiled out: a
 * module (the out-of-tree one, on a stock kernel) cannot call
 * set_direct_map_*() nor flush_tlb_kernel_range(), which the kernel
 * does not export, so only a built-in software module with
 * CONFIG_INTEL_TDX_SWMOD_UNMAP unmaps.  Elsewhere the stubs keep every
 * page mapped and swmod_dmap_create() says so at load.
 */
#ifndef __SWMOD_DMAP_H
#define __SWMOD_DMAP_H

#include <linux/kconfig.h>
#include <linux/types.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/printk.h>

#include "swmod_abi.h"

struct swmod_dmap;

#if IS_BUILTIN(CONFIG_INTEL_TDX_SWMOD_UNMAP) && !defined(MODULE)
struct swmod_dmap *swmod_dmap_create(const struct swmod_cmr_info *cmrs,
				     unsigned int nr_cmrs);
void swmod_dmap_destroy(struct swmod_dmap *d);
void *swmod_dmap_va(struct swmod_dmap *d, u64 pa);
u64 swmod_dmap_pa(struct swmod_dmap *d, const void *va);
void swmod_dmap_set_owned(struct swmod_dmap *d, u64 pa, u64 size, bool owned);
int swmod_dmap_enable(struct swmod_dmap *d, bool on);
bool swmod_dmap_enabled(struct swmod_dmap *d);
bool swmod_dmap_hidden(u64 pa);
#else
static inline struct swmod_dmap *
swmod_dmap_create(const struct swmod_cmr_info *cmrs, unsigned int nr_cmrs)
{
	pr_info("virt/tdx: software module: TD pages stay in the direct map (unmapping needs the built-in module with CONFIG_INTEL_TDX_SWMOD_UNMAP)\n");
	return NULL;
}

static inline void swmod_dmap_destroy(struct swmod_dmap *d) { }

static inline void *swmod_dmap_va(struct swmod_dmap *d, u64 pa)
{
	return NULL;
}

static inline u64 swmod_dmap_pa(struct swmod_dmap *d, const void *va)
{
	return ~0ULL;
}

static inline void swmod_dmap_set_owned(struct swmod_dmap *d, u64 pa,
					u64 size, bool owned) { }

static inline int swmod_dmap_enable(struct swmod_dmap *d, bool on)
{
	return on ? -EOPNOTSUPP : 0;
}

static inline bool swmod_dmap_enabled(struct swmod_dmap *d) { return false; }

static inline bool swmod_dmap_hidden(u64 pa) { return false; }
#endif

#endif /* __SWMOD_DMAP_H */
