// SPDX-License-Identifier: GPL-2.0
/*
 * TDX host core: what KVM needs around the tdh_*() wrappers
 * (asm/tdx_tdh.h): guest KeyIDs, a CPU per package, the sysinfo a TD
 * is built from, and the pages deliberately leaked because their
 * reclaim failed.
 */

#define pr_fmt(fmt) "virt/tdx: " fmt

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/cpu.h>
#include <linux/mm.h>
#include <linux/export.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/idr.h>
#include <linux/cpumask.h>
#include <linux/topology.h>
#include <linux/atomic.h>
#include <linux/printk.h>
#include <linux/string.h>
#include <linux/errno.h>
#include <linux/io.h>
#include <asm/tdx.h>
#include <asm/tdx_tdh.h>

#include "tdx_host.h"
#include "tdx_swmod.h"

/*
 * Guest KeyIDs: the TDX KeyIDs but the first, which the module uses as
 * its global KeyID.  The IDA does its own locking.
 */
static DEFINE_IDA(tdx_guest_keyid_ida);

/**
 * tdx_guest_keyid_alloc() - Allocate a KeyID for a TD (TDH.MNG.CREATE)
 *
 * Return: the KeyID, or -ENOSPC when all are in use, -ENODEV without
 * TDX KeyIDs.
 */
int tdx_guest_keyid_alloc(void)
{
	u32 start, nr;

	tdx_get_keyids(&start, &nr);
	if (nr < 2)
		return -ENODEV;
	return ida_alloc_range(&tdx_guest_keyid_ida, start + 1,
			       start + nr - 1, GFP_KERNEL);
}
EXPORT_SYMBOL_GPL(tdx_guest_keyid_alloc);

/* Only once TDH.MNG.KEY.FREEID succeeded: the KeyID is free again. */
void tdx_guest_keyid_free(unsigned int keyid)
{
	ida_free(&tdx_guest_keyid_ida, keyid);
}
EXPORT_SYMBOL_GPL(tdx_guest_keyid_free);

/*
 * Out of tree, when tdx_host.ko unloads: a KeyID a client never gave
 * back must not leave the IDA's memory behind.  Built in, never called.
 */
static void __exit tdx_guest_exit(void)
{
	ida_destroy(&tdx_guest_keyid_ida);
}
module_exit(tdx_guest_exit);

/**
 * tdx_on_each_package() - Run @fn on one online CPU of every package
 * @fn: called with interrupts off (smp_call_function_single())
 * @arg: passed to @fn
 *
 * For TDH.MNG.KEY.CONFIG and TDH.PHYMEM.CACHE.WB.  The caller holds
 * cpus_read_lock() so that the set of online CPUs does not change.
 *
 * Return: 0, or the first error of smp_call_function_single().
 */
int tdx_on_each_package(smp_call_func_t fn, void *arg)
{
	cpumask_var_t done;
	unsigned int cpu, other;
	int ret = 0;

	lockdep_assert_cpus_held();
	if (!zalloc_cpumask_var(&done, GFP_KERNEL))
		return -ENOMEM;
	for_each_online_cpu(cpu) {
		if (cpumask_test_cpu(cpu, done))
			continue;
		for_each_online_cpu(other)
			if (topology_logical_package_id(other) ==
			    topology_logical_package_id(cpu))
				cpumask_set_cpu(other, done);
		ret = smp_call_function_single(cpu, fn, arg, true);
		if (ret)
			break;
	}
	free_cpumask_var(done);
	return ret;
}
EXPORT_SYMBOL_GPL(tdx_on_each_package);

static int tdx_copy_td_sysinfo(const struct tdx_host *h, void *arg)
{
	const struct tdsysinfo_struct *si = h->sysinfo;
	struct tdx_td_sysinfo *info = arg;
	unsigned int i;

	if (h->state != TDX_MODULE_INITIALIZED || !si)
		return -ENODEV;
	memset(info, 0, sizeof(*info));
	info->tdcs_nr_pages = si->tdcs_base_size / PAGE_SIZE;
	info->tdvpx_nr_pages = si->tdvps_base_size / PAGE_SIZE - 1;
	info->attributes_fixed0 = si->attributes_fixed0;
	info->attributes_fixed1 = si->attributes_fixed1;
	info->xfam_fixed0 = si->xfam_fixed0;
	info->xfam_fixed1 = si->xfam_fixed1;
	info->num_cpuid_config = min_t(unsigned int, si->num_cpuid_config,
				       ARRAY_SIZE(info->cpuid_configs));
	for (i = 0; i < info->num_cpuid_config; i++) {
		info->cpuid_configs[i].leaf = si->cpuid_configs[i].leaf;
		info->cpuid_configs[i].sub_leaf = si->cpuid_configs[i].sub_leaf;
		info->cpuid_configs[i].eax = si->cpuid_configs[i].eax;
		info->cpuid_configs[i].ebx = si->cpuid_configs[i].ebx;
		info->cpuid_configs[i].ecx = si->cpuid_configs[i].ecx;
		info->cpuid_configs[i].edx = si->cpuid_configs[i].edx;
	}
	return 0;
}

/**
 * tdx_get_td_sysinfo() - What TDs are built from
 * @info: filled from TDH.SYS.INFO
 *
 * Return: 0, -ENODEV if the module is not initialized, -EINTR.
 */
int tdx_get_td_sysinfo(struct tdx_td_sysinfo *info)
{
	return tdx_with_state(tdx_copy_td_sysinfo, info);
}
EXPORT_SYMBOL_GPL(tdx_get_td_sysinfo);

static atomic64_t tdx_nr_leaked_pages = ATOMIC64_INIT(0);

/*
 * A page whose TDH.PHYMEM.PAGE.RECLAIM failed still belongs to the
 * module: giving it back to the allocator would hand TD-owned memory
 * to someone else.  The caller keeps it forever; it is counted
 * (debugfs swmod/leaked_pages) and reported once.  Any context.
 */
void tdx_page_leaked(phys_addr_t page)
{
	atomic64_inc(&tdx_nr_leaked_pages);
	pr_warn_once("page %pa leaked: its reclaim failed (more are counted in debugfs)\n",
		     &page);
}
EXPORT_SYMBOL_GPL(tdx_page_leaked);

u64 tdx_leaked_pages(void)
{
	return atomic64_read(&tdx_nr_leaked_pages);
}
EXPORT_SYMBOL_GPL(tdx_leaked_pages);

/**
 * tdx_hkid_pa() - A physical address with a KeyID in its top bits
 * @pa: the page's physical address
 * @hkid: the KeyID, e.g. a TD's for TDH.PHYMEM.PAGE.WBINVD
 *
 * The KeyID bits start at the CPU's physical address width, which MKTME
 * reduced by their number; the software module's platform places them
 * at its own.
 */
u64 tdx_hkid_pa(phys_addr_t pa, int hkid)
{
	unsigned int shift = tdx_module_is_software() ?
			     tdx_swmod_keyid_shift() :
			     boot_cpu_data.x86_phys_bits;

	return pa | ((u64)hkid << shift);
}
EXPORT_SYMBOL_GPL(tdx_hkid_pa);

/**
 * tdx_clear_page() - Reset a page a TD used before the host reuses it
 * @page: a page the module gave back (reclaimed, or removed from a TD)
 *
 * Zeroes with MOVDIR64B and KeyID 0, which also resets the integrity
 * state the TD's KeyID left (a host read of such a line can raise a
 * machine check).  A CPU without MOVDIR64B has no TDX: it runs the
 * software module, and clear_page() does.  Never sleeps.
 */
void tdx_clear_page(struct page *page)
{
	if (boot_cpu_has(X86_FEATURE_MOVDIR64B))
		tdx_movdir64b_clear(page_to_phys(page), PAGE_SIZE);
	else
		clear_page(page_address(page));
}
EXPORT_SYMBOL_GPL(tdx_clear_page);

/* Busy retries: contention on a page's PAMT entry is brief. */
#define TDX_RECLAIM_TRIES	16

/**
 * tdx_reclaim_page() - Take a page back from a torn-down TD
 * @page: a page the TD owned (control page, S-EPT page or private page)
 *
 * TDH.PHYMEM.PAGE.RECLAIM, retried while the module reports the page
 * busy.  If it fails, the page stays the module's: it is leaked on
 * purpose (tdx_page_leaked()) and the caller must never free or reuse
 * it.  Never sleeps.
 *
 * Return: 0 if the page is the host's again, -EIO if it was leaked.
 */
int tdx_reclaim_page(struct page *page)
{
	phys_addr_t pa = page_to_phys(page);
	u64 st, pt, owner, size;
	int i;

	for (i = 0; i < TDX_RECLAIM_TRIES; i++) {
		st = tdh_phymem_page_reclaim(pa, &pt, &owner, &size);
		if ((st & TDX_STATUS_MASK) != TDX_OPERAND_BUSY)
			break;
	}
	if (!st)
		return 0;
	tdx_page_leaked(pa);
	return -EIO;
}
EXPORT_SYMBOL_GPL(tdx_reclaim_page);
