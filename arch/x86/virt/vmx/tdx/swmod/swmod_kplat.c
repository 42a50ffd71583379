// SPDX-License-Identifier: GPL-2.0
/*
 * Software TDX module: the kernel platform.
 *
 * Minimal on purpose: physical memory is the direct map, the current LP
 * is the current CPU, and atomics are the kernel's.  The engine runs
 * with preemption disabled (tdx_swmod_seamcall() in tdx_swmod.c), as
 * the host core does around a real SEAMCALL, so smp_processor_id() is
 * stable.
 */

#include <linux/types.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/topology.h>
#include <linux/atomic.h>
#include <linux/io.h>

#include "swmod_platform.h"

struct swmod_plat {
	unsigned long flags;	/* reserved for later use */
};

struct swmod_plat *swmod_kplat_create(void)
{
	return kzalloc(sizeof(struct swmod_plat), GFP_KERNEL);
}

void swmod_kplat_destroy(struct swmod_plat *plat)
{
	kfree(plat);
}

/* LP index -> dense package number, for swmod_config.lp_pkg. */
void swmod_kplat_topology(u8 *lp_pkg, unsigned int nr_lps)
{
	unsigned int cpu;

	for (cpu = 0; cpu < nr_lps; cpu++)
		lp_pkg[cpu] = cpu_possible(cpu) ?
			      topology_logical_package_id(cpu) : 0;
}

void *swmod_plat_pa_to_va(struct swmod_plat *plat, u64 pa, bool write)
{
	if (!pfn_valid(PHYS_PFN(pa)))
		return NULL;
	return phys_to_virt(pa);
}

u64 swmod_plat_va_to_pa(struct swmod_plat *plat, const void *va)
{
	if (!virt_addr_valid(va))
		return ~0ULL;
	return virt_to_phys((void *)va);
}

unsigned int swmod_plat_cur_lp(struct swmod_plat *plat)
{
	return smp_processor_id();
}

u32 swmod_plat_cmpxchg32(u32 *ptr, u32 old, u32 new)
{
	return cmpxchg(ptr, old, new);
}

u64 swmod_plat_add_return64(u64 *ptr, u64 val)
{
	u64 old;

	do {
		old = READ_ONCE(*ptr);
	} while (cmpxchg64(ptr, old, old + val) != old);
	return old + val;
}

void *swmod_plat_zalloc(size_t size)
{
	return kvzalloc(size, GFP_KERNEL);
}

void swmod_plat_free(void *ptr)
{
	kvfree(ptr);
}
