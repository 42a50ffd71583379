// SPDX-License-Identifier: GPL-2.0
/*
 * TDX host core: the machine changing under the TDX module.
 *
 * Rules (Documentation/x86/tdx-host.rst, "Lifecycle"):
 *  - memory: TDX memory is all RAM the memory source reports when
 *    tdx_enable() runs that is online then, and all of it must be
 *    convertible (inside a CMR), or init fails (the planner's check,
 *    tdmr.c).  Memory offline at init is left out: it could be removed
 *    without notice and replaced.  Once the
 *    module is initialized, memory that is not TDX memory cannot come
 *    online, and TDX memory cannot go offline (so it cannot be
 *    hot-removed either);
 *  - CPUs: every present CPU must be online at init (tdx.c).  After
 *    init, CPUs that ran TDH.SYS.LP.INIT go offline and online freely;
 *    a CPU that did not (hot-added later, or ejected and added again
 *    under the same number) cannot come online;
 *  - system sleep: once initialization has started, hibernation (and
 *    restoring an image) is refused, and ACPI S3 is disabled when it
 *    succeeds: neither the module nor TD memory survives them.  No
 *    initialization starts while a sleep transition is under way;
 *  - kexec and kdump: once the module is initialized, every CPU
 *    flushes its caches (WBINVD) on the way down, and the new kernel
 *    cannot initialize the module again.  On CPUs with the partial-write
 *    erratum, PAMTs are also reset before a (non-crash) kexec
 *    (tdx_reset_pamts(), also used by tdx.c when init fails late).
 *
 * State: the pointer to the host state (whose memory list and TDMRs
 * never change once initialized) and the initialized flag are written
 * once, by tdx_lifecycle_initialized() under the TDX module lock with
 * CPU and memory hotplug held off, and never changed afterwards (a TDX
 * module cannot be torn down).  The mask of CPUs that did LP.INIT is written
 * there and, when ACPI ejects a CPU, under cpus_write_lock(); the CPU
 * hotplug callback reads it with the CPU hotplug lock held for
 * writing, so it sees either nothing or the complete state.  The
 * sleep gate has its own mutex.  The kexec hooks run when the machine
 * is going down and only read flags.
 *
 * tdx.c calls in here; nothing here calls tdx.c.
 */

#define pr_fmt(fmt) "virt/tdx: " fmt

#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/cpumask.h>
#include <linux/memory.h>
#include <linux/notifier.h>
#include <linux/atomic.h>
#include <linux/slab.h>
#include <linux/pfn.h>
#include <linux/mmzone.h>
#include <linux/kexec.h>
#include <linux/suspend.h>
#include <linux/mutex.h>
#include <linux/device.h>
#include <linux/acpi.h>
#include <asm/special_insns.h>
#include <asm/tdx.h>

#include "tdx.h"
#include "tdx_host.h"
#include "tdx_range.h"
#include "tdx_swmod.h"

static bool tdx_lc_initialized;
static const struct tdx_host *tdx_lc_host;	/* owned by tdx.c */
static struct cpumask tdx_lc_lp_cpus;		/* CPUs that did LP.INIT */
/*
 * Sleep gate, under tdx_lc_sleep_lock: a sleep transition is under way
 * (PM_*_PREPARE to PM_POST_*), or tdx_enable() is initializing the
 * module.  Each keeps the other out.
 */
static DEFINE_MUTEX(tdx_lc_sleep_lock);
static bool tdx_lc_sleeping;
static bool tdx_lc_enabling;
static atomic_t tdx_lc_stop_flushes = ATOMIC_INIT(0);
/* Set before TDH.SYS.CONFIG: caches may hold lines of private KeyIDs. */
static bool tdx_lc_flush_needed;
/* The hotplug hooks are registered: tdx_enable() may proceed. */
static bool tdx_lc_hooks_ok;
static int tdx_lc_cpuhp_state;

/* Is the module initialized, and are the rules in force? */
static bool tdx_lc_active(void)
{
	/* Pairs with smp_store_release() in tdx_lifecycle_initialized(). */
	return smp_load_acquire(&tdx_lc_initialized);
}

/* ---- System sleep -------------------------------------------------- */

/*
 * ACPI S3 and hibernation power the platform down: the TDX module, its
 * keys and every TD are gone on resume, while the kernel would go on
 * as if the module were initialized, and a restored image would
 * overwrite PAMTs the module still owns.  Upstream disables S3 when
 * the BIOS enables TDX; here both are refused from the moment the
 * module is being initialized, so that a host that never uses TDX
 * keeps them.  Suspend-to-idle keeps the platform powered and stays
 * allowed.
 */

/*
 * Called by tdx_enable(), module lock held, right before the first
 * SEAMCALL: no initialization during a sleep transition.
 */
int tdx_lifecycle_enable_begin(void)
{
	int ret = 0;

	mutex_lock(&tdx_lc_sleep_lock);
	if (tdx_lc_sleeping) {
		pr_err("a system sleep transition is under way: not initializing the TDX module now, retry after resume\n");
		ret = -EBUSY;
	} else {
		tdx_lc_enabling = true;
	}
	mutex_unlock(&tdx_lc_sleep_lock);
	return ret;
}

/* Initialization failed: the module is not in use, sleep is allowed. */
void tdx_lifecycle_enable_failed(void)
{
	mutex_lock(&tdx_lc_sleep_lock);
	tdx_lc_enabling = false;
	mutex_unlock(&tdx_lc_sleep_lock);
}

/*
 * ACPI S3 is entered through acpi_suspend_lowlevel; without it S3 is
 * refused (early, by the ACPI core).  Called with no sleep transition
 * under way (the gate above).
 */
static void tdx_sleep_disable_s3(void)
{
#if defined(CONFIG_ACPI) && defined(CONFIG_SUSPEND)
	acpi_suspend_lowlevel = NULL;
	pr_info("Disable ACPI S3. Turn off TDX in the BIOS to use ACPI S3.\n");
#endif
}

static int tdx_pm_notifier(struct notifier_block *nb, unsigned long action,
			   void *data)
{
	int ret = NOTIFY_OK;

	mutex_lock(&tdx_lc_sleep_lock);
	switch (action) {
	case PM_HIBERNATION_PREPARE:
	case PM_RESTORE_PREPARE:
		if (tdx_lc_enabling || tdx_lc_active()) {
			pr_err("%s refused: the TDX module is initialized, and neither it nor TD memory survives hibernation. Turn off TDX in the BIOS to use hibernation.\n",
			       action == PM_HIBERNATION_PREPARE ?
			       "hibernation" : "restoring a hibernation image");
			/* No PM_POST_* follows a refusal. */
			ret = notifier_from_errno(-EPERM);
			break;
		}
		fallthrough;
	case PM_SUSPEND_PREPARE:
		/* S3 itself is refused later, see tdx_sleep_disable_s3(). */
		tdx_lc_sleeping = true;
		break;
	case PM_POST_HIBERNATION:
	case PM_POST_RESTORE:
	case PM_POST_SUSPEND:
		tdx_lc_sleeping = false;
		break;
	default:
		ret = NOTIFY_DONE;
		break;
	}
	mutex_unlock(&tdx_lc_sleep_lock);
	return ret;
}

static struct notifier_block tdx_pm_nb = {
	.notifier_call = tdx_pm_notifier,
};

/* ---- Init-time checks and publication (called by tdx.c) ------------ */

#define TDX_SECTION_SIZE	(1ULL << PA_SECTION_SHIFT)

static bool tdx_section_online(u64 pa)
{
	return online_section_nr(pfn_to_section_nr(PHYS_PFN(pa)));
}

/**
 * tdx_memlist_add_online() - Add the online parts of a RAM range
 * @mem: where to write them, or NULL to count them only
 * @start: start of a memblock range of RAM
 * @end: its end (exclusive)
 * @nid: its node
 *
 * Memory that is offline when tdx_enable() runs (a DIMM hot-added and
 * not onlined) is left out of TDX memory.  Counting it in would be a
 * hole: offline memory can be hot-removed without any notification
 * (6.1's try_remove_memory() sends none), and a different DIMM
 * hot-added at the same address would then pass for TDX memory and
 * come online.  Left out, it can never come online while the module
 * is initialized.  The caller holds the memory hotplug lock, so the
 * online state of sections cannot change under it; memory blocks go
 * online and offline as a whole, a section at a time at least.
 *
 * Return: the number of ranges written (or that would be).
 */
unsigned int tdx_memlist_add_online(struct tdx_memblock *mem, u64 start,
				    u64 end, int nid)
{
	unsigned int n = 0;

	while (start < end) {
		bool online = tdx_section_online(start);
		u64 run = start;

		/* The run of sections with the same online state. */
		while (run < end && tdx_section_online(run) == online)
			run = min_t(u64, end, ALIGN_DOWN(run, TDX_SECTION_SIZE) +
					      TDX_SECTION_SIZE);
		if (online) {
			if (mem) {
				mem[n].start = start;
				mem[n].end = run;
				mem[n].nid = nid;
			}
			n++;
		} else if (mem) {
			pr_info("memory [%#llx, %#llx) is offline: not TDX memory, it cannot come online while the TDX module is initialized\n",
				start, run);
		}
		start = run;
	}
	return n;
}

/**
 * tdx_lifecycle_initialized() - The module is initialized: enforce the rules
 * @host: the host state; tdx.c keeps it, and its memory list and TDMRs
 *	  never change again
 *
 * Called once, by tdx_enable() on success, with the module lock, the
 * CPU hotplug lock and the memory hotplug lock held: every present
 * CPU is online and ran TDH.SYS.LP.INIT.
 */
void tdx_lifecycle_initialized(const struct tdx_host *host)
{
	lockdep_assert_cpus_held();
	tdx_lc_host = host;
	cpumask_copy(&tdx_lc_lp_cpus, cpu_online_mask);
	/* Publish the list and the mask; pairs with tdx_lc_active(). */
	smp_store_release(&tdx_lc_initialized, true);
	tdx_sleep_disable_s3();
}

/* Called by tdx_enable() right before TDH.SYS.CONFIG. */
void tdx_lifecycle_keyids_in_use(void)
{
	WRITE_ONCE(tdx_lc_flush_needed, true);
}

/*
 * Without its hotplug hooks the kernel could not keep the rules above
 * once the module is initialized, so initialization is refused.
 */
int tdx_lifecycle_hooks_ready(void)
{
	if (READ_ONCE(tdx_lc_hooks_ok))
		return 0;
	pr_err("the memory and CPU hotplug hooks are not registered: refusing to initialize the TDX module\n");
	return -EBUSY;
}

/* ---- Memory hotplug ------------------------------------------------ */

static int tdx_memory_notifier(struct notifier_block *nb,
			       unsigned long action, void *data)
{
	const struct memory_notify *mn = data;
	u64 start = PFN_PHYS(mn->start_pfn);
	u64 end = PFN_PHYS(mn->start_pfn + mn->nr_pages);

	if (!tdx_lc_active())
		return NOTIFY_OK;

	switch (action) {
	case MEM_GOING_ONLINE:
		if (tdx_range_in_memlist(start, end, tdx_lc_host->mem,
					 tdx_lc_host->nr_mem))
			return NOTIFY_OK;
		pr_err("refusing to online memory [%#llx, %#llx): it is not TDX memory and the TDX module is initialized\n",
		       start, end);
		return NOTIFY_BAD;
	case MEM_GOING_OFFLINE:
		if (!tdx_range_overlaps_memlist(start, end, tdx_lc_host->mem,
						tdx_lc_host->nr_mem))
			return NOTIFY_OK;
		pr_err("refusing to offline memory [%#llx, %#llx): it is TDX memory, which cannot be offlined or removed once the TDX module is initialized\n",
		       start, end);
		return NOTIFY_BAD;
	default:
		return NOTIFY_OK;
	}
}

static struct notifier_block tdx_memory_nb = {
	.notifier_call = tdx_memory_notifier,
};

/* ---- CPU hotplug --------------------------------------------------- */

/*
 * Runs on @cpu as it comes online.  Module 1.0 refuses TDH.SYS.LP.INIT
 * once TDH.SYS.CONFIG ran, so a CPU that missed it (hot-added after
 * init, or ejected and re-added: see tdx_cpu_removed()) can never issue
 * a SEAMCALL; keep it offline rather than have KVM run into that later.
 */
static int tdx_cpu_online(unsigned int cpu)
{
	if (!tdx_lc_active() || cpumask_test_cpu(cpu, &tdx_lc_lp_cpus))
		return 0;
	pr_err("CPU %u cannot come online: it did not run TDH.SYS.LP.INIT at TDX module initialization (hot-added, or ejected and added again), and module 1.0 refuses it afterwards\n",
	       cpu);
	return -EINVAL;
}

/*
 * ACPI ejected @cpu (acpi_processor_remove(), CPU offline, under
 * cpus_write_lock()).  A CPU added later with the same APIC ID gets
 * the same number but is a new CPU that never ran TDH.SYS.LP.INIT:
 * forget it, so that it counts as hot-added, and have the software
 * module forget that logical processor too (a real module never knew
 * the new one).
 */
static void tdx_cpu_removed(unsigned int cpu)
{
	lockdep_assert_cpus_held();
	if (cpumask_test_and_clear_cpu(cpu, &tdx_lc_lp_cpus))
		pr_info("CPU %u removed: its TDH.SYS.LP.INIT is forgotten, a CPU added under this number cannot come online while the TDX module is initialized\n",
			cpu);
	tdx_swmod_lp_removed(cpu);
}

/* The cpu subsystem unregisters a CPU device only when ACPI ejects it. */
static int tdx_cpu_bus_notifier(struct notifier_block *nb,
				unsigned long action, void *data)
{
	struct device *dev = data;

	if (action != BUS_NOTIFY_DEL_DEVICE || dev->id < 0 ||
	    dev->id >= nr_cpu_ids || get_cpu_device(dev->id) != dev)
		return NOTIFY_DONE;
	tdx_cpu_removed(dev->id);
	return NOTIFY_OK;
}

static struct notifier_block tdx_cpu_bus_nb = {
	.notifier_call = tdx_cpu_bus_notifier,
};

/* ---- The partial-write erratum ----------------------------------- */

/*
 * Reset [@base, @base + @size) to zeroes with KeyID 0 using MOVDIR64B:
 * full 64-byte direct stores, never a partial write.  @base is page
 * aligned.  No locks, no sleeping: also called on the way to kexec.
 */
void tdx_movdir64b_clear(u64 base, u64 size)
{
	const void *zero = page_address(ZERO_PAGE(0));
	void *va = __va(base);
	u64 off;

	for (off = 0; off < size; off += 64)
		movdir64b((void __force __iomem *)(va + off), zero);
	/* MOVDIR64B stores are weakly ordered: make them visible. */
	mb();
}

/**
 * tdx_reset_pamts() - Reset every PAMT for the partial-write erratum
 * @host: the host state, its TDMR list stable
 *
 * Called after the caches were flushed (WBINVD), with the TDMR list
 * stable: on the init error path (module lock held) and on the way to
 * kexec (module initialized, list never changes again).  The software
 * module resets memory its own way, as it has no MOVDIR64B to model.
 *
 * Return: the KB reset.
 */
u64 tdx_reset_pamts(const struct tdx_host *host)
{
	const struct tdmr_list *list = &host->tdmrs;
	u64 bytes = 0;
	unsigned int b;

	for (b = 0; b < list->nr_blocks; b++) {
		const struct tdx_pamt_block *blk = &list->blocks[b];

		if (!blk->size)
			continue;
		if (host->backend == TDX_BACKEND_SOFTWARE)
			tdx_swmod_reset_memory(blk->base, blk->size);
		else
			tdx_movdir64b_clear(blk->base, blk->size);
		bytes += blk->size;
	}
	return bytes / 1024;
}

/* ---- kexec --------------------------------------------------------- */

/**
 * tdx_cpu_stop_flush() - Flush this CPU's caches if TDX was in use
 *
 * Called by every CPU that stop_other_cpus() stops (reboot, kexec),
 * interrupts off, and on a crash by every CPU the kdump NMI stops, in
 * NMI context: so no locks and no printk here.  Cache lines of TDX
 * private memory, written with a private KeyID, must not be written
 * back over what the next (or capture) kernel puts at the same
 * physical address.
 */
void tdx_cpu_stop_flush(void)
{
	if (!READ_ONCE(tdx_lc_flush_needed))
		return;
	native_wbinvd();
	atomic_inc(&tdx_lc_stop_flushes);
}

/**
 * tdx_kexec_flush() - Flush the kexec CPU's caches if TDX was in use
 *
 * Called by machine_kexec() on the CPU that jumps to the new kernel,
 * after the others were stopped (also on a crash, to the capture
 * kernel).  Says so, once, on the console.
 */
void tdx_kexec_flush(void)
{
	u64 kb;

	if (!READ_ONCE(tdx_lc_flush_needed))
		return;
	native_wbinvd();
	pr_info("kexec: caches flushed (WBINVD) on this CPU and %d stopped CPUs; the new kernel cannot initialize the TDX module again\n",
		atomic_read(&tdx_lc_stop_flushes));
	/*
	 * With the partial-write erratum, the new kernel's first partial
	 * write to a PAMT line would poison it: reset the PAMTs first.
	 * Not on a crash: the capture kernel runs in the crashkernel
	 * reservation, where no PAMT lies, and only reads the rest.
	 */
	if (kexec_in_progress && tdx_lc_active() &&
	    tdx_lc_host->pw_mce_erratum) {
		kb = tdx_reset_pamts(tdx_lc_host);
		pr_info("kexec: PAMT reset (partial-write erratum): %llu KB\n",
			kb);
	}
}

/**
 * tdx_lifecycle_init() - Register the hotplug, removal and sleep hooks
 *
 * Called by tdx.c at subsys_initcall time when TDX is enabled: before
 * any device or late initcall can online memory or CPUs, and before
 * "tdx_swmod=...,init" runs tdx_enable() at late_initcall_sync time.  If a
 * hook cannot be registered, tdx_lifecycle_hooks_ready() refuses
 * every initialization.
 */
void __init tdx_lifecycle_init(void)
{
	int ret;

	ret = register_memory_notifier(&tdx_memory_nb);
	if (ret) {
		pr_err("cannot register the memory hotplug notifier: %d\n", ret);
		return;
	}
	ret = cpuhp_setup_state_nocalls(CPUHP_AP_ONLINE_DYN, "x86/tdx:online",
					tdx_cpu_online, NULL);
	if (ret < 0) {
		pr_err("cannot register the CPU hotplug callback: %d\n", ret);
		goto err_memory;
	}
	tdx_lc_cpuhp_state = ret;
	ret = bus_register_notifier(&cpu_subsys, &tdx_cpu_bus_nb);
	if (ret) {
		pr_err("cannot register the CPU removal notifier: %d\n", ret);
		goto err_cpuhp;
	}
	ret = register_pm_notifier(&tdx_pm_nb);
	if (ret) {
		pr_err("cannot register the system sleep notifier: %d\n", ret);
		goto err_bus;
	}
	WRITE_ONCE(tdx_lc_hooks_ok, true);
	return;

err_bus:
	bus_unregister_notifier(&cpu_subsys, &tdx_cpu_bus_nb);
err_cpuhp:
	cpuhp_remove_state_nocalls(tdx_lc_cpuhp_state);
err_memory:
	unregister_memory_notifier(&tdx_memory_nb);
}

/**
 * tdx_lifecycle_exit() - Unregister what tdx_lifecycle_init() registered
 *
 * Out of tree only, when tdx_host.ko unloads (built in, never called):
 * the module is not initialized then (an initialized one pins
 * tdx_host.ko), so no rule is enforced and the hooks only look.
 */
void __exit tdx_lifecycle_exit(void)
{
	if (!READ_ONCE(tdx_lc_hooks_ok))
		return;
	WRITE_ONCE(tdx_lc_hooks_ok, false);
	unregister_pm_notifier(&tdx_pm_nb);
	bus_unregister_notifier(&cpu_subsys, &tdx_cpu_bus_nb);
	cpuhp_remove_state_nocalls(tdx_lc_cpuhp_state);
	unregister_memory_notifier(&tdx_memory_nb);
}
