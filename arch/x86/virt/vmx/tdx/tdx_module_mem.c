// SPDX-License-Identifier: GPL-2.0
/*
 * TDX host core, out-of-tree module only: where memory comes from and
 * how memory hotplug is held off, on a stock kernel.
 *
 * Built in, TDX memory is what memblock knows (ARCH_KEEP_MEMBLOCK,
 * tdx_memsrc.c) and tdx_enable() holds get_online_mems().  The stock
 * kernel discards memblock after boot and exports neither
 * get_online_mems() nor the e820 tables, so the module:
 *  - takes RAM from the busy "System RAM" resources, split at node
 *    boundaries (tdx_memsrc_walk(), the interface of tdx_host.h);
 *  - takes the software module's "firmware" map from the System RAM
 *    and ACPI resources, i.e. after memmap= and friends;
 *  - refuses memory onlining and offlining from a memory notifier while
 *    tdx_enable() runs, instead of blocking it.
 */

#define pr_fmt(fmt) "virt/tdx: " fmt

#include <linux/kernel.h>
#include <linux/ioport.h>
#include <linux/memory.h>
#include <linux/mmzone.h>
#include <linux/mm.h>
#include <linux/nodemask.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <asm/e820/types.h>

#include "tdx_host.h"
#include "tdx_module.h"

/* ---- RAM ------------------------------------------------------------ */

struct tdx_ram_walk {
	tdx_ram_fn fn;
	void *arg;
};

/* The node whose span holds @pfn, and where that span (or gap) ends. */
static int tdx_pfn_node(unsigned long pfn, unsigned long *end_pfn)
{
	unsigned long next = ULONG_MAX;
	int nid;

	for_each_online_node(nid) {
		unsigned long start = node_start_pfn(nid);
		unsigned long end = node_end_pfn(nid);

		if (pfn >= start && pfn < end) {
			*end_pfn = end;
			return nid;
		}
		if (start > pfn && start < next)
			next = start;
	}
	*end_pfn = next;
	return NUMA_NO_NODE;
}

/* One System RAM resource: one call of the walker per node it spans. */
static int tdx_ram_res(struct resource *res, void *data)
{
	struct tdx_ram_walk *w = data;
	unsigned long pfn = PHYS_PFN(res->start);
	unsigned long last = PHYS_PFN(res->end);	/* inclusive */
	int ret;

	while (pfn <= last) {
		unsigned long end;
		int nid = tdx_pfn_node(pfn, &end);

		end = min(end, last + 1);
		ret = w->fn(max_t(u64, PFN_PHYS(pfn), res->start),
			    min_t(u64, PFN_PHYS(end), res->end + 1), nid,
			    w->arg);
		if (ret)
			return ret;
		pfn = end;
	}
	return 0;
}

/**
 * tdx_memsrc_walk() - Walk the RAM ranges that may become TDX memory
 * @fn: called for every range, [start, end) in bytes, ascending
 * @arg: passed to @fn
 *
 * The busy System RAM resources (their children, the kernel image,
 * are skipped by the resource walker), split at node boundaries.
 * @fn must not sleep (the resource lock is held).
 *
 * Return: 0, or the first nonzero value @fn returned (-EINVAL from
 * @fn cannot be told from "no System RAM at all", which is 0).
 */
int tdx_memsrc_walk(tdx_ram_fn fn, void *arg)
{
	struct tdx_ram_walk w = { .fn = fn, .arg = arg };
	int ret;

	ret = walk_iomem_res_desc(IORES_DESC_NONE,
				  IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY,
				  0, U64_MAX, &w, tdx_ram_res);
	return ret == -EINVAL ? 0 : ret;
}

/* ---- The software module's firmware map ---------------------------- */

/*
 * Filled once, while the module initializes (the software module takes
 * its CMRs from it then); .init.data, so it goes away afterwards.
 */
static struct e820_table tdx_fw_table __initdata;

static int __init tdx_fw_add(struct resource *res, void *data)
{
	struct e820_table *t = &tdx_fw_table;
	enum e820_type type = (unsigned long)data;

	if (t->nr_entries >= ARRAY_SIZE(t->entries))
		return -ENOSPC;
	t->entries[t->nr_entries].addr = res->start;
	t->entries[t->nr_entries].size = resource_size(res);
	t->entries[t->nr_entries].type = type;
	t->nr_entries++;
	return 0;
}

/*
 * The DRAM of the resource tree, as an e820 table: System RAM, ACPI
 * tables and ACPI NVS.  Unsorted; the software module sorts.
 */
const struct e820_table * __init tdx_module_e820_firmware(void)
{
	struct e820_table *t = &tdx_fw_table;

	t->nr_entries = 0;
	walk_iomem_res_desc(IORES_DESC_NONE,
			    IORESOURCE_SYSTEM_RAM | IORESOURCE_BUSY, 0,
			    U64_MAX, (void *)E820_TYPE_RAM, tdx_fw_add);
	walk_iomem_res_desc(IORES_DESC_ACPI_TABLES, IORESOURCE_MEM, 0,
			    U64_MAX, (void *)E820_TYPE_ACPI, tdx_fw_add);
	walk_iomem_res_desc(IORES_DESC_ACPI_NV_STORAGE, IORESOURCE_MEM, 0,
			    U64_MAX, (void *)E820_TYPE_NVS, tdx_fw_add);
	return t;
}

/* ---- Memory hotplug held off --------------------------------------- */

/*
 * tdx_mem_hold_lock serializes holders (tdx_enable() callers).  The
 * state below is under tdx_mem_state_lock, taken by the notifier too.
 * Onlining and offlining are serialized by the memory hotplug lock, so
 * at most one is in flight: the one this notifier let through at its
 * GOING_ step, until its end (or cancel).
 */
static DEFINE_MUTEX(tdx_mem_hold_lock);
static DEFINE_SPINLOCK(tdx_mem_state_lock);
static bool tdx_mem_held;
static bool tdx_mem_in_flight;
static unsigned long tdx_mem_in_flight_pfn;
static DECLARE_WAIT_QUEUE_HEAD(tdx_mem_wq);

static bool tdx_mem_idle(void)
{
	bool idle;

	spin_lock(&tdx_mem_state_lock);
	idle = !tdx_mem_in_flight;
	spin_unlock(&tdx_mem_state_lock);
	return idle;
}

/*
 * get_online_mems() of the module build: from here on, onlining and
 * offlining fail; one already past its notifier finishes first.
 */
void tdx_module_mem_hold(void)
{
	mutex_lock(&tdx_mem_hold_lock);
	spin_lock(&tdx_mem_state_lock);
	tdx_mem_held = true;
	spin_unlock(&tdx_mem_state_lock);
	wait_event(tdx_mem_wq, tdx_mem_idle());
}

void tdx_module_mem_release(void)
{
	spin_lock(&tdx_mem_state_lock);
	tdx_mem_held = false;
	spin_unlock(&tdx_mem_state_lock);
	mutex_unlock(&tdx_mem_hold_lock);
}

static int tdx_mem_notify(struct notifier_block *nb, unsigned long action,
			  void *data)
{
	const struct memory_notify *mn = data;
	int ret = NOTIFY_OK;

	spin_lock(&tdx_mem_state_lock);
	switch (action) {
	case MEM_GOING_ONLINE:
	case MEM_GOING_OFFLINE:
		if (tdx_mem_held) {
			ret = notifier_from_errno(-EBUSY);
			break;
		}
		tdx_mem_in_flight = true;
		tdx_mem_in_flight_pfn = mn->start_pfn;
		break;
	case MEM_ONLINE:
	case MEM_OFFLINE:
	case MEM_CANCEL_ONLINE:
	case MEM_CANCEL_OFFLINE:
		if (tdx_mem_in_flight && tdx_mem_in_flight_pfn == mn->start_pfn)
			tdx_mem_in_flight = false;
		break;
	}
	spin_unlock(&tdx_mem_state_lock);

	if (ret != NOTIFY_OK)
		pr_info("memory [%#llx, %#llx) cannot go %s: TDX initialization in progress\n",
			PFN_PHYS(mn->start_pfn),
			PFN_PHYS(mn->start_pfn + mn->nr_pages),
			action == MEM_GOING_ONLINE ? "online" : "offline");
	else
		wake_up(&tdx_mem_wq);
	return ret;
}

static struct notifier_block tdx_mem_nb = {
	.notifier_call = tdx_mem_notify,
	/* Before the core's notifier: refuse before it looks. */
	.priority = 1,
};

int __init tdx_module_mem_init(void)
{
	return register_memory_notifier(&tdx_mem_nb);
}

void tdx_module_mem_exit(void)
{
	unregister_memory_notifier(&tdx_mem_nb);
}
