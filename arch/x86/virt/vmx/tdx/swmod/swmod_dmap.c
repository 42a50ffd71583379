// SPDX-License-Identifier: GPL-2.0
/*
 * Software TDX module, kernel platform: TD-owned pages out of the
 * host's direct map.
 *
 * On real hardware a host read of a TD-private page returns poison and
 * a write may machine-check the host.  Here a page that becomes
 * TD-owned (the engine calls swmod_plat_set_owned() from the one place
 * its PAMT type changes) is marked not-present in the direct map until
 * it is reclaimed, so that any host access faults and the fault path
 * reports it (tdx_swmod_report.c).
 *
 * Two things make that possible from the leaves, which run with
 * preemption off (KVM calls PAGE.AUG and SEPT.ADD under mmu_lock):
 *
 *  - the direct map of TDX memory (the CMRs) is split to 4K pages once,
 *    when the instance is created (process context), so that
 *    unmapping a page later never has to allocate a page table;
 *  - the module itself reaches memory through an alias of the CMRs in
 *    vmalloc space, mapped once with large pages and never changed, so
 *    its own accesses (PAGE.ADD copies, S-EPT updates, control
 *    structures, the PAMT) never go through the direct map.
 *
 * Boot option "tdx_swmod_unmap=off" keeps every page mapped (the
 * module's behaviour before this, for comparisons).
 */

#define pr_fmt(fmt) "virt/tdx: " fmt

#include <linux/init.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/set_memory.h>
#include <linux/irqflags.h>
#include <linux/atomic.h>
#include <linux/pgtable.h>
#include <asm/tlbflush.h>

#include "swmod_dmap.h"

/*
 * @alias maps physical address pa at alias->addr + pa for every pa in
 * a CMR, and nothing in between.  @on changes only while no page is
 * TD-owned (swmod_dmap_enable()).
 */
struct swmod_dmap {
	struct vm_struct *alias;
	unsigned int nr_cmrs;
	struct swmod_cmr_info cmrs[SWMOD_MAX_CMRS];
	bool on;
	atomic64_t split_pages;		/* 4K pages pre-split */
	atomic64_t skipped;		/* not 4K-mapped: left mapped */
};

static bool swmod_dmap_param __ro_after_init = true;

static int __init swmod_dmap_setup(char *arg)
{
	if (arg && !strcmp(arg, "off"))
		swmod_dmap_param = false;
	return 0;
}
early_param("tdx_swmod_unmap", swmod_dmap_setup);

static bool swmod_dmap_in_cmr(const struct swmod_dmap *d, u64 pa)
{
	unsigned int i;

	for (i = 0; i < d->nr_cmrs; i++)
		if (pa >= d->cmrs[i].base && pa - d->cmrs[i].base < d->cmrs[i].size)
			return true;
	return false;
}

/* The engine's view of memory: the alias for CMR pages, else NULL. */
void *swmod_dmap_va(struct swmod_dmap *d, u64 pa)
{
	if (!d || !swmod_dmap_in_cmr(d, pa))
		return NULL;
	return d->alias->addr + pa;
}

u64 swmod_dmap_pa(struct swmod_dmap *d, const void *va)
{
	if (!d || va < d->alias->addr ||
	    va >= d->alias->addr + get_vm_area_size(d->alias))
		return ~0ULL;
	return va - d->alias->addr;
}

/* Map the CMRs into the alias; ioremap_page_range() uses large pages. */
static int swmod_dmap_map_alias(struct swmod_dmap *d)
{
	unsigned long base = (unsigned long)d->alias->addr;
	unsigned int i;
	int ret;

	for (i = 0; i < d->nr_cmrs; i++) {
		u64 s = PAGE_ALIGN(d->cmrs[i].base);
		u64 e = PAGE_ALIGN_DOWN(d->cmrs[i].base + d->cmrs[i].size);

		if (e <= s)
			continue;
		ret = ioremap_page_range(base + s, base + e, s, PAGE_KERNEL);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * One set_memory_4k() call per 2 MiB block of the range: splitting the
 * page that maps one 4K page splits the whole large page around it (a
 * 1G one down to 4K through 2M).  Page by page, CPA would walk every
 * 4K entry, seconds per GiB under TCG.
 */
static int swmod_dmap_split_ram(unsigned long pfn, unsigned long nr, void *arg)
{
	unsigned long end = pfn + nr, next;
	struct swmod_dmap *d = arg;
	int ret;

	for (; pfn < end; pfn = next) {
		next = min(ALIGN(pfn + 1, PTRS_PER_PTE), end);
		ret = set_memory_4k((unsigned long)pfn_to_kaddr(pfn), 1);
		if (ret)
			return ret;
		atomic64_add(next - pfn, &d->split_pages);
		cond_resched();
	}
	return 0;
}

/*
 * Split the direct map of the RAM in the CMRs to 4K, so that
 * swmod_dmap_set_owned() never allocates.  Costs one page-table page
 * per 2 MiB of RAM (0.2%), and the TLB reach of large pages there.
 */
static int swmod_dmap_presplit(struct swmod_dmap *d)
{
	unsigned int i;
	int ret;

	for (i = 0; i < d->nr_cmrs; i++) {
		ret = walk_system_ram_range(PHYS_PFN(d->cmrs[i].base),
					    d->cmrs[i].size >> PAGE_SHIFT, d,
					    swmod_dmap_split_ram);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * swmod_dmap_create() - Prepare to take TD pages out of the direct map
 * @cmrs: the instance's CMRs (TDX memory)
 * @nr_cmrs: how many
 *
 * Process context; sleeps.  Says at the console whether unmapping is on.
 *
 * Return: the state to pass to the other functions, NULL when
 * unmapping is off (every page stays mapped), or an ERR_PTR.
 */
struct swmod_dmap *swmod_dmap_create(const struct swmod_cmr_info *cmrs,
				     unsigned int nr_cmrs)
{
	struct swmod_dmap *d;
	u64 end = 0;
	unsigned int i;
	int ret;

	if (!swmod_dmap_param) {
		pr_info("software module: TD pages stay in the direct map (tdx_swmod_unmap=off)\n");
		return NULL;
	}
	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return ERR_PTR(-ENOMEM);
	d->nr_cmrs = min_t(unsigned int, nr_cmrs, SWMOD_MAX_CMRS);
	memcpy(d->cmrs, cmrs, d->nr_cmrs * sizeof(*cmrs));
	for (i = 0; i < d->nr_cmrs; i++)
		end = max(end, d->cmrs[i].base + d->cmrs[i].size);

	ret = -ENOMEM;
	d->alias = get_vm_area(PAGE_ALIGN(end), VM_IOREMAP);
	if (!d->alias)
		goto err_free;
	ret = swmod_dmap_map_alias(d);
	if (ret)
		goto err_free_alias;
	ret = swmod_dmap_presplit(d);
	if (ret)
		goto err_free_alias;
	d->on = true;
	pr_info("software module: TD pages leave the direct map: %lld MB pre-split to 4K (%lld KB of page tables), module accesses through a %llu MB alias\n",
		(s64)atomic64_read(&d->split_pages) >> (20 - PAGE_SHIFT),
		(s64)atomic64_read(&d->split_pages) / PTRS_PER_PTE *
		(PAGE_SIZE / 1024), PAGE_ALIGN(end) >> 20);
	return d;

err_free_alias:
	free_vm_area(d->alias);
err_free:
	kfree(d);
	pr_err("software module: cannot prepare the direct map (%d): TD pages stay mapped\n",
	       ret);
	return ERR_PTR(ret);
}

/* The direct map keeps its 4K split: it cannot be undone. */
void swmod_dmap_destroy(struct swmod_dmap *d)
{
	if (IS_ERR_OR_NULL(d))
		return;
	free_vm_area(d->alias);
	kfree(d);
}

static void swmod_dmap_flush(unsigned long start, unsigned long end)
{
	unsigned long va;

	/* The IPI needs interrupts on; else only this CPU is flushed. */
	if (!irqs_disabled()) {
		flush_tlb_kernel_range(start, end);
		return;
	}
	for (va = start; va < end; va += PAGE_SIZE)
		flush_tlb_one_kernel(va);
}

/*
 * Hide (@owned) or restore the direct-map entries of the @size bytes
 * at @pa.  Never sleeps: a page that is not 4K-mapped (memory the
 * pre-split did not see) is left alone and counted.  Restoring needs
 * no TLB flush: a not-present entry is never cached.
 */
void swmod_dmap_set_owned(struct swmod_dmap *d, u64 pa, u64 size, bool owned)
{
	unsigned long start = (unsigned long)__va(pa), va;
	unsigned int level;
	u64 off;
	pte_t *pte;

	if (!d || !READ_ONCE(d->on))
		return;
	for (off = 0; off < size; off += PAGE_SIZE) {
		if (!pfn_valid(PHYS_PFN(pa + off)))
			continue;
		va = start + off;
		pte = lookup_address(va, &level);
		if (!pte || level != PG_LEVEL_4K) {
			if (atomic64_inc_return(&d->skipped) == 1)
				pr_notice("software module: %#llx is not 4K-mapped: TD page left in the direct map\n",
					  pa + off);
			continue;
		}
		if (owned)
			set_direct_map_invalid_noflush(virt_to_page((void *)va));
		else
			set_direct_map_default_noflush(virt_to_page((void *)va));
	}
	if (owned)
		swmod_dmap_flush(start, start + size);
}

/* Turn unmapping on or off; the caller makes sure no page is owned. */
int swmod_dmap_enable(struct swmod_dmap *d, bool on)
{
	if (!d)
		return on ? -EOPNOTSUPP : 0;
	WRITE_ONCE(d->on, on);
	return 0;
}

bool swmod_dmap_enabled(struct swmod_dmap *d)
{
	return d && READ_ONCE(d->on);
}

/* Is the direct-map entry of @pa not present (a hidden TD page)? */
bool swmod_dmap_hidden(u64 pa)
{
	unsigned int level;
	pte_t *pte;

	if (!pfn_valid(PHYS_PFN(pa)))
		return false;
	pte = lookup_address((unsigned long)__va(pa), &level);
	return pte && !(pte_val(*pte) & _PAGE_PRESENT);
}
