// SPDX-License-Identifier: GPL-2.0
/*
 * TDX host core: detection, SEAMCALL and TDX module initialization.
 *
 * At boot the kernel only detects whether the BIOS enabled TDX (the
 * KeyID partitioning MSR) or whether the software TDX module was asked
 * for.  The module itself is initialized on demand by tdx_enable(), in
 * twelve steps, each its own function below; see
 * Documentation/x86/tdx-host.rst.
 *
 * This file owns the state (struct tdx_host).  It calls the planner
 * (tdmr.c), the glue that finds TDX memory and PAMT pages
 * (tdx_memsrc.c, tdx_pamt.c) and the lifecycle rules
 * (tdx_lifecycle.c); none of them calls back.  sysfs and debugfs are
 * its clients.
 */

#define pr_fmt(fmt) "virt/tdx: " fmt

#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/module.h>
#include <linux/errno.h>
#include <linux/printk.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/slab.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include <linux/ktime.h>
#include <linux/atomic.h>
#include <linux/numa.h>
#include <linux/nodemask.h>
#include <linux/topology.h>
#include <linux/sizes.h>
#include <linux/math64.h>
#include <linux/memory_hotplug.h>
#include <asm/apic.h>
#include <asm/e820/api.h>
#include <asm/intel-family.h>
#include <asm/special_insns.h>
#include <asm/msr.h>
#include <linux/processor.h>
#include <asm/tdx.h>

#include "tdx.h"
#include "tdx_swmod.h"
#include "tdx_host.h"

/* Retries of a SEAMCALL that failed for lack of entropy. */
#define TDX_ENTROPY_RETRIES	10

/* First 1 MiB: never TDX memory (not convertible on any platform). */
#define TDX_MEM_START		SZ_1M

enum tdx_init_step {
	TDX_STEP_NONE = 0,
	TDX_STEP_SYS_INIT,
	TDX_STEP_LP_INIT,
	TDX_STEP_SYS_INFO,
	TDX_STEP_MEMLIST,
	TDX_STEP_TDMRS,
	TDX_STEP_PAMT,
	TDX_STEP_RSVD,
	TDX_STEP_KEYID,
	TDX_STEP_SYS_CONFIG,
	TDX_STEP_WBINVD,
	TDX_STEP_KEY_CONFIG,
	TDX_STEP_TDMR_INIT,
};

static const char * const tdx_step_names[] = {
	[TDX_STEP_NONE]		= "none",
	[TDX_STEP_SYS_INIT]	= "TDH.SYS.INIT",
	[TDX_STEP_LP_INIT]	= "TDH.SYS.LP.INIT",
	[TDX_STEP_SYS_INFO]	= "TDH.SYS.INFO",
	[TDX_STEP_MEMLIST]	= "TDX memory list",
	[TDX_STEP_TDMRS]	= "TDMRs",
	[TDX_STEP_PAMT]		= "PAMT allocation",
	[TDX_STEP_RSVD]		= "reserved areas",
	[TDX_STEP_KEYID]	= "global KeyID",
	[TDX_STEP_SYS_CONFIG]	= "TDH.SYS.CONFIG",
	[TDX_STEP_WBINVD]	= "WBINVD",
	[TDX_STEP_KEY_CONFIG]	= "TDH.SYS.KEY.CONFIG",
	[TDX_STEP_TDMR_INIT]	= "TDH.SYS.TDMR.INIT",
};

/*
 * The one instance of the state (tdx_host.h).  Boot detection fields
 * are written once by tdx_init(); tdx_module_lock serializes
 * tdx_enable() and protects the rest; debugfs readers take it too
 * (interruptibly), through tdx_with_state().
 */
static DEFINE_MUTEX(tdx_module_lock);
static struct tdx_host tdx_host;

static void tdx_publish_summary(void);

/*
 * What sysfs shows, copied from the state above whenever tdx_enable()
 * (or a test reset) leaves it.  Readers take only tdx_summary_lock, so
 * an unprivileged read during a long initialization returns at once
 * instead of sleeping on tdx_module_lock until the end.
 */
static DEFINE_SPINLOCK(tdx_summary_lock);
static struct tdx_summary tdx_summary;

/* PAMT pages currently allocated: a leak shows here, not in kmemleak. */
static atomic_long_t tdx_pamt_pages = ATOMIC_LONG_INIT(0);

/* ---- SEAMCALL ------------------------------------------------------ */

/* A module status, or what the SEAMCALL instruction itself reported. */
static const char *seamcall_status_name(u64 status)
{
	switch (status) {
	case TDX_SEAMCALL_VMFAILINVALID:
		return "VMfailInvalid";
	case TDX_SEAMCALL_GP:
		return "#GP";
	case TDX_SEAMCALL_UD:
		return "#UD";
	}
	return tdx_status_name(status);
}

static const char *tdx_leaf_name(u64 fn)
{
	switch (fn) {
	case TDH_SYS_KEY_CONFIG:	return "TDH.SYS.KEY.CONFIG";
	case TDH_SYS_INFO:		return "TDH.SYS.INFO";
	case TDH_SYS_INIT:		return "TDH.SYS.INIT";
	case TDH_SYS_LP_INIT:		return "TDH.SYS.LP.INIT";
	case TDH_SYS_TDMR_INIT:		return "TDH.SYS.TDMR.INIT";
	case TDH_SYS_CONFIG:		return "TDH.SYS.CONFIG";
	}
	return "SEAMCALL";
}

/*
 * The instruction, on the backend chosen at boot, status returned raw.
 * Also the path of the TD wrappers in tdh.c.  @out must not be NULL.
 */
u64 tdx_seamcall_raw(u64 fn, u64 rcx, u64 rdx, u64 r8, u64 r9,
		     struct tdx_module_output *out)
{
	u64 ret;

	switch (tdx_host.backend) {
	case TDX_BACKEND_SOFTWARE:
		return tdx_swmod_seamcall(fn, rcx, rdx, r8, r9, out);
	case TDX_BACKEND_SEAM:
		preempt_disable();
		ret = __seamcall(fn, rcx, rdx, r8, r9, out);
		preempt_enable();
		return ret;
	default:
		return TDX_SEAMCALL_VMFAILINVALID;
	}
}

/*
 * TDH.VP.ENTER with all its registers (tdh_vp_enter()).  Only the
 * software module takes it this way: the SEAMCALL instruction path
 * has no full-register entry, so there (and without a module) it
 * fails as an absent module would, executing nothing, with every
 * output 0.
 */
u64 tdx_seamcall_vp_enter(phys_addr_t tdvpr, struct tdh_vp_enter_regs *regs)
{
	if (tdx_host.backend == TDX_BACKEND_SOFTWARE)
		return tdx_swmod_vp_enter(tdvpr, regs);
	memset(regs, 0, sizeof(*regs));
	return TDX_SEAMCALL_VMFAILINVALID;
}

static bool tdx_status_is_entropy(u64 status)
{
	status &= TDX_STATUS_MASK;
	return status == TDX_RND_NO_ENTROPY ||
	       status == TDX_KEY_GENERATION_FAILED;
}

/*
 * The one place where SEAMCALL outcomes become errnos, and where a
 * failure is logged (once, with the leaf, the decoded status and the
 * output registers):
 *   VMfailInvalid -> -ENODEV      (module not loaded)
 *   #GP           -> -EOPNOTSUPP  (TDX not enabled by the BIOS)
 *   #UD           -> -EACCES      (CPU not in VMX operation)
 *   other error   -> -EIO
 * Entropy failures are retried a bounded number of times first.
 * Statuses without the error bit (e.g. TDX_KEY_CONFIGURED) are
 * successes; the caller gets the raw status in @status if it cares.
 */
static int seamcall(u64 fn, u64 rcx, u64 rdx, u64 r8, u64 r9, u64 *status,
		    struct tdx_module_output *out)
{
	struct tdx_module_output regs = {};
	int retries = TDX_ENTROPY_RETRIES;
	u64 sret;

	do {
		sret = tdx_seamcall_raw(fn, rcx, rdx, r8, r9, &regs);
	} while (tdx_status_is_entropy(sret) && --retries > 0);

	if (status)
		*status = sret;
	if (out)
		*out = regs;
	if (!(sret & TDX_STATUS_ERROR))
		return 0;

	switch (sret) {
	case TDX_SEAMCALL_VMFAILINVALID:
		pr_err("%s (%llu): module not loaded\n", tdx_leaf_name(fn), fn);
		return -ENODEV;
	case TDX_SEAMCALL_GP:
		pr_err("%s (%llu): #GP: TDX not enabled by the BIOS\n",
		       tdx_leaf_name(fn), fn);
		return -EOPNOTSUPP;
	case TDX_SEAMCALL_UD:
		pr_err("%s (%llu): #UD: CPU %d not in VMX operation\n",
		       tdx_leaf_name(fn), fn, raw_smp_processor_id());
		return -EACCES;
	}
	pr_err("%s (%llu) failed on CPU %d: %#llx %s%s\n", tdx_leaf_name(fn),
	       fn, raw_smp_processor_id(), sret, seamcall_status_name(sret),
	       tdx_status_is_entropy(sret) ? " (entropy retries exhausted)" : "");
	pr_err("  RCX %#llx RDX %#llx R8 %#llx R9 %#llx R10 %#llx R11 %#llx\n",
	       regs.rcx, regs.rdx, regs.r8, regs.r9, regs.r10, regs.r11);
	return -EIO;
}

/* ---- Boot detection ------------------------------------------------ */

bool platform_tdx_enabled(void)
{
	return tdx_host.backend != TDX_BACKEND_NONE;
}
EXPORT_SYMBOL_GPL(platform_tdx_enabled);

/**
 * tdx_module_is_software() - Is the TDX module the software emulator?
 *
 * Return: true if SEAMCALLs go to the software TDX module.  Such a host
 * offers no TDX protection; KVM must not create TDs on it unless a
 * test parameter says otherwise.
 */
bool tdx_module_is_software(void)
{
	return tdx_host.backend == TDX_BACKEND_SOFTWARE;
}
EXPORT_SYMBOL_GPL(tdx_module_is_software);

/* Read the KeyID partitioning MSR.  Quiet when there is no TDX. */
static bool __init tdx_read_keyids(u32 *nr_mktme, u32 *nr_tdx)
{
	u64 val;

	if (boot_cpu_data.x86_vendor != X86_VENDOR_INTEL)
		return false;
	if (rdmsrl_safe(MSR_IA32_MKTME_KEYID_PARTITIONING, &val))
		return false;
	*nr_mktme = lower_32_bits(val);
	*nr_tdx = upper_32_bits(val);
	return *nr_tdx != 0;
}

/*
 * The partial-write machine-check erratum (Sapphire Rapids, Emerald
 * Rapids): a partial write to a cache line of TDX private memory
 * poisons it, with KeyID 0 too, and the next read of it machine-checks.
 * Memory the TDX module wrote with a private KeyID (PAMTs) must be
 * reset with full-line writes before the kernel reuses it.  The
 * software module can claim the erratum (tdx_swmod=erratum) to test
 * the reset paths.
 */
static bool __init tdx_detect_pw_mce_erratum(enum tdx_backend backend)
{
	if (backend == TDX_BACKEND_SOFTWARE)
		return tdx_swmod_claims_erratum();
	if (boot_cpu_data.x86_vendor != X86_VENDOR_INTEL ||
	    boot_cpu_data.x86 != 6)
		return false;
	switch (boot_cpu_data.x86_model) {
	case INTEL_FAM6_SAPPHIRERAPIDS_X:
	case INTEL_FAM6_EMERALDRAPIDS_X:
		return true;
	}
	return false;
}

static int __init tdx_init(void)
{
	enum tdx_backend backend = TDX_BACKEND_SEAM;
	u32 nr_mktme, nr_tdx;

	if (tdx_swmod_requested()) {
		backend = TDX_BACKEND_SOFTWARE;
		tdx_swmod_keyids(&nr_mktme, &nr_tdx);
	} else if (!tdx_read_keyids(&nr_mktme, &nr_tdx)) {
		return 0;
	}

	/*
	 * One KeyID is the module's global KeyID; TDs need at least one
	 * more.
	 */
	if (nr_tdx < 2) {
		pr_info("too few private KeyIDs (%u): TDX disabled\n", nr_tdx);
		return 0;
	}

	/* Real SEAM requires x2APIC; QEMU TCG has none, so skip it there. */
	if (backend == TDX_BACKEND_SOFTWARE) {
		pr_info("software module: x2APIC check skipped\n");
	} else if (!x2apic_enabled()) {
		pr_info("x2APIC not enabled: TDX disabled\n");
		return 0;
	}

	tdx_host.keyid_start = nr_mktme + 1;
	tdx_host.nr_keyids = nr_tdx;
	tdx_host.backend = backend;
	pr_info("BIOS enabled: private KeyID range [%u, %u)%s\n",
		tdx_host.keyid_start, tdx_host.keyid_start + tdx_host.nr_keyids,
		backend == TDX_BACKEND_SOFTWARE ? " (software module)" : "");
	tdx_host.pw_mce_erratum = tdx_detect_pw_mce_erratum(backend);
	if (tdx_host.pw_mce_erratum)
		pr_info("partial-write machine-check erratum: PAMTs are reset before they are freed or kexec reuses them%s\n",
			backend == TDX_BACKEND_SOFTWARE ?
			" (claimed by tdx_swmod=erratum)" : "");
	tdx_publish_summary();
	return 0;
}
early_initcall(tdx_init);

/* The lifecycle rules, once the CPU and memory subsystems are up. */
static int __init tdx_lifecycle_start(void)
{
	if (platform_tdx_enabled())
		tdx_lifecycle_init();
	return 0;
}
subsys_initcall(tdx_lifecycle_start);

/*
 * Out of tree, when tdx_host.ko unloads (before the TDX module is
 * initialized; see tdx_pin_module()): compat.h turns each module_exit()
 * of the core into a pointer that tdx_module.c calls.  Built in, never
 * called: the link drops the module_exit() entry.
 */
static void __exit tdx_lifecycle_stop(void)
{
	if (platform_tdx_enabled())
		tdx_lifecycle_exit();
}
module_exit(tdx_lifecycle_stop);

/* ---- Init steps ---------------------------------------------------- */

/*
 * Step 1: global initialization, once, on any CPU.  A module that is
 * already initialized refuses it: a kernel before a kexec did it (see
 * tdx_lifecycle.c), and this kernel cannot use the module.  After an
 * interrupted tdx_enable() it ran already and is skipped.
 */
static int tdx_sys_init(void)
{
	u64 status;
	int ret;

	if (tdx_host.sys_init_done)
		return 0;
	ret = seamcall(TDH_SYS_INIT, 0, 0, 0, 0, &status, NULL);
	if (ret == -EIO &&
	    (status & TDX_STATUS_MASK) == TDX_SYS_INIT_NOT_PENDING)
		pr_err("the TDX module is already initialized, by an earlier kernel (kexec?): it cannot be initialized again until the platform is reset\n");
	tdx_host.sys_init_done = !ret;
	return ret;
}

static int tdx_lp_init_one(void *unused)
{
	return seamcall(TDH_SYS_LP_INIT, 0, 0, 0, 0, NULL, NULL);
}

/*
 * Step 2: per-CPU initialization, on every CPU that did not do it in
 * an interrupted tdx_enable() before.  tdx_enable() checked that every
 * present CPU is online: module 1.0 needs LP.INIT on all BIOS-enabled
 * CPUs before SYS.CONFIG and refuses it afterwards.
 */
static int tdx_lp_init_all(void)
{
	unsigned int cpu;
	int ret;

	for_each_online_cpu(cpu) {
		if (cpumask_test_cpu(cpu, &tdx_host.lp_done))
			continue;
		ret = smp_call_on_cpu(cpu, tdx_lp_init_one, NULL, true);
		if (ret)
			return ret;
		cpumask_set_cpu(cpu, &tdx_host.lp_done);
	}
	return 0;
}

static int tdx_check_cmrs(const struct cmr_info *cmrs, unsigned int nr)
{
	u64 prev_end = 0;
	unsigned int i;

	for (i = 0; i < nr; i++) {
		if (!IS_ALIGNED(cmrs[i].base | cmrs[i].size, TDX_PAGE_SIZE) ||
		    cmrs[i].base < prev_end) {
			pr_err("CMR %u [%#llx, %#llx) is misaligned or out of order\n",
			       i, cmrs[i].base, cmrs[i].base + cmrs[i].size);
			return -EINVAL;
		}
		prev_end = cmrs[i].base + cmrs[i].size;
	}
	return nr ? 0 : -EINVAL;
}

/*
 * Step 3: module information and CMRs.  Print the version and build,
 * sanity-check the CMRs.  The module writes all 32 CMR entries; the
 * null ones are at the tail.
 */
static int tdx_get_sysinfo(void)
{
	struct tdsysinfo_struct *si = tdx_host.sysinfo;
	unsigned int i;
	int ret;

	ret = seamcall(TDH_SYS_INFO, __pa(si), TDSYSINFO_STRUCT_SIZE,
		       __pa(tdx_host.cmrs), MAX_CMRS, NULL, NULL);
	if (ret)
		return ret;

	pr_info("TDX module: vendor_id %#x%s, version %u.%u, build_date %u, build_num %u, attributes %#x\n",
		si->vendor_id,
		tdx_host.backend == TDX_BACKEND_SOFTWARE ? " (software)" : "",
		si->major_version, si->minor_version, si->build_date,
		si->build_num, si->attributes);

	for (i = 0; i < MAX_CMRS && tdx_host.cmrs[i].size; i++)
		pr_info("CMR %u: [%#llx, %#llx)\n", i, tdx_host.cmrs[i].base,
			tdx_host.cmrs[i].base + tdx_host.cmrs[i].size);
	tdx_host.nr_cmrs = i;

	if (!si->max_tdmrs || si->max_tdmrs > TDX_LAYOUT_MAX_TDMRS ||
	    !si->max_reserved_per_tdmr || !si->pamt_entry_size) {
		pr_err("unsupported module limits: %u TDMRs, %u reserved areas, PAMT entry %u\n",
		       si->max_tdmrs, si->max_reserved_per_tdmr,
		       si->pamt_entry_size);
		return -EINVAL;
	}
	return tdx_check_cmrs(tdx_host.cmrs, tdx_host.nr_cmrs);
}

/*
 * Step 4: the TDX memory list.  All RAM the memory source reports
 * (tdx_memsrc.c: memblock) becomes TDX memory, except the first 1 MiB
 * and memory that is offline now (tdx_memlist_add_online()).  Whether
 * it lies in the CMRs is the planner's one check (step 5).
 */
struct tdx_memlist_fill {
	struct tdx_memblock *mem;	/* NULL: count only */
	unsigned int nr;		/* entries written (or counted) */
	unsigned int max;		/* room in @mem */
};

static int tdx_memlist_add(u64 start, u64 end, int nid, void *arg)
{
	struct tdx_memlist_fill *f = arg;
	unsigned int n;

	start = ALIGN(max_t(u64, start, TDX_MEM_START), TDX_PAGE_SIZE);
	end = ALIGN_DOWN(end, TDX_PAGE_SIZE);
	if (start >= end)
		return 0;
	n = tdx_memlist_add_online(NULL, start, end, nid);
	if (f->mem) {
		/* The source changed between the passes: a bug. */
		if (WARN_ON_ONCE(f->nr + n > f->max))
			return -EBUSY;
		tdx_memlist_add_online(f->mem + f->nr, start, end, nid);
	}
	f->nr += n;
	return 0;
}

static int build_tdx_memlist(void)
{
	struct tdx_memlist_fill f = {};
	int ret;

	/* Count, then fill. */
	ret = tdx_memsrc_walk(tdx_memlist_add, &f);
	if (ret)
		return ret;
	if (!f.nr)
		return -EINVAL;
	f.mem = kcalloc(f.nr, sizeof(*f.mem), GFP_KERNEL);
	if (!f.mem)
		return -ENOMEM;
	f.max = f.nr;
	f.nr = 0;
	ret = tdx_memsrc_walk(tdx_memlist_add, &f);
	if (ret) {
		kfree(f.mem);
		return ret;
	}
	tdx_host.mem = f.mem;
	tdx_host.nr_mem = f.nr;
	return 0;
}

static void free_tdx_memlist(void)
{
	kfree(tdx_host.mem);
	tdx_host.mem = NULL;
	tdx_host.nr_mem = 0;
}

static struct tdx_layout_limits tdx_limits(void)
{
	struct tdx_layout_limits lim = {
		.max_tdmrs = tdx_host.sysinfo->max_tdmrs,
		.max_reserved_per_tdmr = tdx_host.sysinfo->max_reserved_per_tdmr,
		.pamt_entry_size = tdx_host.sysinfo->pamt_entry_size,
	};

	return lim;
}

/* To keep things simple, allocate room for the maximum of TDMRs. */
static int alloc_tdmr_list(void)
{
	struct tdx_layout_limits lim = tdx_limits();
	void *mem;
	int ret;

	tdx_host.tdmrs_bytes = tdmr_list_bytes(&lim);
	mem = alloc_pages_exact(tdx_host.tdmrs_bytes, GFP_KERNEL | __GFP_ZERO);
	if (!mem)
		return -ENOMEM;
	ret = tdmr_list_init(&tdx_host.tdmrs, mem, &lim);
	if (ret)
		free_pages_exact(mem, tdx_host.tdmrs_bytes);
	return ret;
}

static void free_tdmr_list(void)
{
	free_pages_exact(tdx_host.tdmrs.tdmrs, tdx_host.tdmrs_bytes);
	memset(&tdx_host.tdmrs, 0, sizeof(tdx_host.tdmrs));
}

/*
 * The planner runs under the CPU and memory hotplug locks; a search
 * over a large map may take many tries, so let others run between them.
 */
static void tdx_plan_resched(void)
{
	cond_resched();
}

/*
 * PAMT pages come from the glue (tdx_pamt.c); the core counts them, so
 * that a leak shows in debugfs pamt_pages, not only in kmemleak.
 */
static int tdx_pamt_ops_alloc(void *ctx, unsigned long nr_pages, int nid,
			      u64 lo, u64 hi, u64 *base)
{
	int ret = tdx_pamt_alloc(nr_pages, nid, lo, hi, base);

	if (!ret)
		atomic_long_add(nr_pages, &tdx_pamt_pages);
	return ret;
}

static void tdx_pamt_ops_free(void *ctx, u64 base, unsigned long nr_pages)
{
	tdx_pamt_free(base, nr_pages);
	atomic_long_sub(nr_pages, &tdx_pamt_pages);
}

static const struct tdx_pamt_ops tdx_pamt_ops = {
	.alloc = tdx_pamt_ops_alloc,
	.free = tdx_pamt_ops_free,
};

/* RAM the firmware did not report at boot: hot-added before init. */
static bool tdx_mem_hot_added(u64 start, u64 end)
{
	return !e820__mapped_raw_any(start, end, E820_TYPE_RAM);
}

/* Name what the planner could not do, with the numbers. */
static void tdx_layout_failed(const struct tdx_layout_error *err, int ret)
{
	switch (err->step) {
	case TDX_LAYOUT_TDMRS_EXHAUSTED:
		pr_err("initialization failed: TDMRs exhausted: the memory needs %u TDMRs, the module allows %u.\n",
		       err->count, err->limit);
		break;
	case TDX_LAYOUT_WINDOW_IMPOSSIBLE:
		pr_err("initialization failed: window [%#llx, %#llx) has %u gaps (runs without TDX memory that leave the CMRs), a TDMR may reserve only %u: no valid layout exists.\n",
		       err->base, err->end, err->count, err->limit);
		break;
	case TDX_LAYOUT_RSVD_EXHAUSTED:
		pr_err("initialization failed: TDMR %u [%#llx, %#llx): reserved areas exhausted.\n",
		       err->tdmr, err->base, err->end);
		break;
	case TDX_LAYOUT_NO_PAMT_ROOM:
		pr_err("initialization failed: no room for the PAMT of TDMR %u [%#llx, %#llx) (%u KB) in a TDMR with a free reserved area.\n",
		       err->tdmr, err->base, err->end, err->count);
		break;
	case TDX_LAYOUT_PAMT_ALLOC:
		/* Interrupted: __tdx_enable() says so. */
		if (ret == -EINTR)
			break;
		pr_err("initialization failed: no PAMT for TDMR %u [%#llx, %#llx) (%u KB): %d\n",
		       err->tdmr, err->base, err->end, err->count, ret);
		break;
	case TDX_LAYOUT_BUDGET:
		pr_err("initialization failed: no TDMR layout found within %u tries (the search is bounded; one may exist): run tools/testing/tdx-plan on this memory map.\n",
		       err->count);
		break;
	case TDX_LAYOUT_MEM_OUTSIDE_CMR:
		if (tdx_mem_hot_added(err->base, err->end))
			pr_err("initialization failed: TDX memory [%#llx, %#llx) is outside the CMRs: memory hot-added before TDX initialization cannot be TDX memory; remove it, or initialize TDX first\n",
			       err->base, err->end);
		else
			pr_err("initialization failed: TDX memory [%#llx, %#llx) is outside the CMRs.\n",
			       err->base, err->end);
		break;
	default:
		pr_err("initialization failed: bad TDX memory list at [%#llx, %#llx): %d\n",
		       err->base, err->end, ret);
		break;
	}
}

/* The init step a layout failure belongs to. */
static enum tdx_init_step tdx_layout_step(int layout_step)
{
	switch (layout_step) {
	case TDX_LAYOUT_PAMT_ALLOC:
		return TDX_STEP_PAMT;
	case TDX_LAYOUT_RSVD_EXHAUSTED:
		return TDX_STEP_RSVD;
	default:
		return TDX_STEP_TDMRS;
	}
}

/*
 * Steps 5 to 7: the TDMRs, their PAMTs (one block per node where
 * possible) and reserved areas, by tdx_construct_tdmrs(), the code the
 * userspace harnesses drive.  On failure it has freed every PAMT and
 * *@step names the step.  More PAMT allocated than the formula asks
 * for would be a bug of the planner or the allocator: say so.
 */
static int construct_tdmrs(enum tdx_init_step *step)
{
	struct tdx_layout_in in = {
		.mem = tdx_host.mem,
		.nr_mem = tdx_host.nr_mem,
		.cmrs = tdx_host.cmrs,
		.nr_cmrs = tdx_host.nr_cmrs,
		.resched = tdx_plan_resched,
	};
	struct tdx_layout_error err = {};
	u64 need, got;
	int ret;

	ret = tdx_construct_tdmrs(&tdx_host.tdmrs, &in, &tdx_pamt_ops, &err);
	if (ret) {
		*step = tdx_layout_step(err.step);
		tdx_layout_failed(&err, ret);
		return ret;
	}
	need = tdmrs_pamt_bytes(&tdx_host.tdmrs);
	got = tdmrs_pamt_allocated(&tdx_host.tdmrs);
	if (got != need)
		pr_warn("PAMT over-allocation: %llu KB allocated, the formula needs %llu KB\n",
			got / 1024, need / 1024);
	return 0;
}

static void free_pamts(void)
{
	tdmrs_free_pamt_all(&tdx_host.tdmrs, &tdx_pamt_ops);
}

/* Step 8: the module's global KeyID is the first TDX private KeyID. */
static int tdx_choose_global_keyid(void)
{
	tdx_host.global_keyid = tdx_host.keyid_start;
	return 0;
}

/*
 * Name the TDMR and the rule a TDH.SYS.CONFIG failure is about.  The
 * status carries info bytes: byte 0 is the TDMR, byte 1 the reserved
 * area or the PAMT level (0 4K, 1 2M, 2 1G), byte 2 another TDMR.
 */
static void tdx_config_failed(u64 status)
{
	static const char * const ps[] = { "4K", "2M", "1G" };
	unsigned int i = status & 0xff, j = (status >> 8) & 0xff;
	unsigned int k = (status >> 16) & 0xff;
	const struct tdmr_info *tdmr;
	const char *level = j < ARRAY_SIZE(ps) ? ps[j] : "?";
	char what[80];

	switch (status & TDX_STATUS_MASK) {
	case TDX_TDMR_OUTSIDE_CMRS:
		snprintf(what, sizeof(what), "memory of the TDMR is outside the CMRs");
		break;
	case TDX_PAMT_OUTSIDE_CMRS:
		snprintf(what, sizeof(what), "its %s PAMT is outside the CMRs", level);
		break;
	case TDX_PAMT_OVERLAP:
		snprintf(what, sizeof(what), "its %s PAMT overlaps TDX memory or a PAMT of TDMR %u",
			 level, k);
		break;
	case TDX_INVALID_PAMT:
		snprintf(what, sizeof(what), "its %s PAMT is misaligned or too small", level);
		break;
	case TDX_INVALID_TDMR:
		snprintf(what, sizeof(what), "the TDMR is misaligned or out of range");
		break;
	case TDX_NON_ORDERED_TDMR:
		snprintf(what, sizeof(what), "the TDMR is out of order or overlaps");
		break;
	case TDX_INVALID_RESERVED_IN_TDMR:
		snprintf(what, sizeof(what), "reserved area %u is invalid", j);
		break;
	case TDX_NON_ORDERED_RESERVED_IN_TDMR:
		snprintf(what, sizeof(what), "reserved area %u is out of order", j);
		break;
	default:
		return;
	}
	if (i >= tdx_host.tdmrs.nr_tdmrs)
		return;
	tdmr = tdmr_list_entry(&tdx_host.tdmrs, i);
	pr_err("TDH.SYS.CONFIG rejected TDMR %u [%#llx, %#llx): %s\n", i,
	       tdmr->base, tdmr_end(tdmr), what);
	if ((status & TDX_STATUS_MASK) == TDX_PAMT_OUTSIDE_CMRS)
		pr_err("  its PAMT is [%#llx, %#llx)\n",
		       tdx_host.tdmrs.pamt[i].base,
		       tdx_host.tdmrs.pamt[i].base + tdx_host.tdmrs.pamt[i].size);
}

/*
 * Print the layout in the plain-text format of tools/testing/tdx-plan
 * (Documentation/x86/tdx-host.rst): paste these lines, with the CMR
 * lines printed by step 3, into "tdx-plan check" to replay the failure
 * against the software module.
 */
static void tdx_print_layout(void)
{
	const struct tdmr_list *list = &tdx_host.tdmrs;
	unsigned int i, j;

	pr_err("layout: limits max_tdmrs=%u max_reserved=%u pamt_entry=%u\n",
	       tdx_host.sysinfo->max_tdmrs, tdx_host.sysinfo->max_reserved_per_tdmr,
	       tdx_host.sysinfo->pamt_entry_size);
	for (i = 0; i < list->nr_tdmrs; i++) {
		const struct tdmr_info *t = tdmr_list_entry(list, i);

		pr_err("layout: tdmr %#llx %#llx\n", t->base, tdmr_end(t));
		pr_err("layout: pamt_4k %#llx %#llx\n", t->pamt_4k_base,
		       t->pamt_4k_size);
		pr_err("layout: pamt_2m %#llx %#llx\n", t->pamt_2m_base,
		       t->pamt_2m_size);
		pr_err("layout: pamt_1g %#llx %#llx\n", t->pamt_1g_base,
		       t->pamt_1g_size);
		for (j = 0; j < list->nr_rsvd[i]; j++)
			pr_err("layout: rsvd %#llx %#llx\n",
			       t->base + t->reserved_areas[j].offset,
			       t->base + t->reserved_areas[j].offset +
			       t->reserved_areas[j].size);
	}
}

/* Step 9: hand the TDMRs and the global KeyID to the module. */
static int config_tdx_module(void)
{
	unsigned int i, nr = tdx_host.tdmrs.nr_tdmrs;
	u64 *pa_array, status;
	int ret;

	/* One page: 512-byte aligned and room for 512 entries. */
	pa_array = (u64 *)get_zeroed_page(GFP_KERNEL);
	if (!pa_array)
		return -ENOMEM;
	for (i = 0; i < nr; i++)
		pa_array[i] = __pa(tdmr_list_entry(&tdx_host.tdmrs, i));

	ret = seamcall(TDH_SYS_CONFIG, __pa(pa_array), nr, tdx_host.global_keyid,
		       0, &status, NULL);
	if (ret == -EIO) {
		tdx_config_failed(status);
		tdx_print_layout();
	}
	free_page((unsigned long)pa_array);
	return ret;
}

/* Step 10: flush caches holding PAMT lines written with KeyID 0. */
static int tdx_flush_caches(void)
{
	wbinvd_on_all_cpus();
	return 0;
}

static int tdx_key_config_one(void *unused)
{
	return seamcall(TDH_SYS_KEY_CONFIG, 0, 0, 0, 0, NULL, NULL);
}

/*
 * Step 11: program the global key, once per package, one package at a
 * time (the module takes its global lock exclusively).  Entropy
 * failures are retried in seamcall().
 */
static int config_global_keyid(void)
{
	cpumask_var_t packages;
	unsigned int cpu;
	int ret = 0;

	if (!zalloc_cpumask_var(&packages, GFP_KERNEL))
		return -ENOMEM;
	for_each_online_cpu(cpu) {
		unsigned int pkg = topology_logical_package_id(cpu);

		if (cpumask_test_and_set_cpu(pkg, packages))
			continue;
		ret = smp_call_on_cpu(cpu, tdx_key_config_one, NULL, true);
		if (ret)
			break;
	}
	free_cpumask_var(packages);
	return ret;
}

static int init_tdmr(const struct tdmr_info *tdmr)
{
	struct tdx_module_output out;
	u64 next, status;
	int ret;

	do {
		ret = seamcall(TDH_SYS_TDMR_INIT, tdmr->base, 0, 0, 0, &status,
			       &out);
		if (ret)
			return ret;
		if ((status & TDX_STATUS_MASK) == TDX_TDMR_ALREADY_INITIALIZED)
			break;
		next = out.rdx;
		cond_resched();
	} while (next < tdmr_end(tdmr));
	return 0;
}

/* Step 12: let the module initialize every PAMT, 4 MiB per call. */
static int init_tdmrs(void)
{
	unsigned int i;
	int ret;

	for (i = 0; i < tdx_host.tdmrs.nr_tdmrs; i++) {
		ret = init_tdmr(tdmr_list_entry(&tdx_host.tdmrs, i));
		if (ret)
			return ret;
	}
	return 0;
}

static int init_tdx_module(enum tdx_init_step *step)
{
	int ret;

	/* Step 1: TDH.SYS.INIT; VMfailInvalid here means "not loaded". */
	*step = TDX_STEP_SYS_INIT;
	ret = tdx_sys_init();
	if (ret)
		return ret;

	/* Step 2: TDH.SYS.LP.INIT on every CPU. */
	*step = TDX_STEP_LP_INIT;
	ret = tdx_lp_init_all();
	if (ret)
		return ret;

	/* Step 3: TDH.SYS.INFO, version and CMRs. */
	*step = TDX_STEP_SYS_INFO;
	ret = tdx_get_sysinfo();
	if (ret)
		return ret;

	/* Step 4: TDX memory, from the memory source. */
	*step = TDX_STEP_MEMLIST;
	ret = build_tdx_memlist();
	if (ret)
		return ret;

	/* Steps 5 to 7: TDMRs covering it, PAMTs, reserved areas. */
	*step = TDX_STEP_TDMRS;
	ret = alloc_tdmr_list();
	if (ret)
		goto err_free_memlist;
	ret = construct_tdmrs(step);
	if (ret)
		goto err_free_tdmrs;

	/* Step 8: the global KeyID. */
	*step = TDX_STEP_KEYID;
	ret = tdx_choose_global_keyid();
	if (ret)
		goto err_free_pamts;

	/*
	 * Step 9: TDH.SYS.CONFIG.  The module now has the TDMRs and the
	 * global KeyID, and writes PAMTs with that KeyID once the key is
	 * programmed (steps 11 and 12).  From here on a kexec or reboot
	 * flushes caches, even if the rest of the initialization fails
	 * or is still running.
	 */
	*step = TDX_STEP_SYS_CONFIG;
	tdx_lifecycle_keyids_in_use();
	ret = config_tdx_module();
	if (ret)
		goto err_free_pamts;

	/* Step 10: WBINVD before the global key is programmed. */
	*step = TDX_STEP_WBINVD;
	ret = tdx_flush_caches();
	if (ret)
		goto err_reset_pamts;

	/* Step 11: TDH.SYS.KEY.CONFIG on each package. */
	*step = TDX_STEP_KEY_CONFIG;
	ret = config_global_keyid();
	if (ret)
		goto err_reset_pamts;

	/* Step 12: TDH.SYS.TDMR.INIT for every TDMR. */
	*step = TDX_STEP_TDMR_INIT;
	ret = init_tdmrs();
	if (ret)
		goto err_reset_pamts;

	*step = TDX_STEP_NONE;
	return 0;

err_reset_pamts:
	/*
	 * From step 11 on the module may have written PAMTs with the
	 * global KeyID: flush those cache lines before the pages go back
	 * to the page allocator, or a later write-back could corrupt them.
	 * With the partial-write erratum, reset them too.
	 */
	wbinvd_on_all_cpus();
	if (tdx_host.pw_mce_erratum)
		pr_info("PAMT reset before it is freed (partial-write erratum): %llu KB\n",
			tdx_reset_pamts(&tdx_host));
err_free_pamts:
	free_pamts();
err_free_tdmrs:
	free_tdmr_list();
err_free_memlist:
	free_tdx_memlist();
	return ret;
}

static int tdx_alloc_sysinfo(void)
{
	if (tdx_host.sysinfo)
		return 0;
	/* kmalloc() aligns power-of-two sizes to their size. */
	tdx_host.sysinfo = kzalloc(TDSYSINFO_STRUCT_SIZE, GFP_KERNEL);
	tdx_host.cmrs = kcalloc(MAX_CMRS, sizeof(*tdx_host.cmrs), GFP_KERNEL);
	if (tdx_host.sysinfo && tdx_host.cmrs)
		return 0;
	kfree(tdx_host.sysinfo);
	kfree(tdx_host.cmrs);
	tdx_host.sysinfo = NULL;
	tdx_host.cmrs = NULL;
	return -ENOMEM;
}

/*
 * Preconditions that leave the module untouched when they fail, so
 * that the caller may fix them and try again.
 */
static int tdx_enable_prepare(void)
{
	int ret;

	if (!cpumask_equal(cpu_online_mask, cpu_present_mask)) {
		pr_err("cannot initialize the TDX module with offline CPUs (online %*pbl, present %*pbl): module 1.0 needs TDH.SYS.LP.INIT on every CPU and refuses it after TDH.SYS.CONFIG\n",
		       cpumask_pr_args(cpu_online_mask),
		       cpumask_pr_args(cpu_present_mask));
		return -EINVAL;
	}
	ret = tdx_lifecycle_hooks_ready();
	if (ret)
		return ret;
	ret = tdx_alloc_sysinfo();
	if (ret)
		return ret;
	if (tdx_host.backend == TDX_BACKEND_SOFTWARE) {
		ret = tdx_swmod_start();
		if (ret)
			return ret;
	}
	/* Last: from here on no system sleep until init is over. */
	return tdx_lifecycle_enable_begin();
}

/*
 * Out of tree (tdx_host.ko): the PAMTs now belong to the TDX module
 * until the platform resets, so the module that allocated them stays
 * loaded for good, whoever called tdx_enable(): a reference that is
 * never dropped.  Built in, THIS_MODULE is NULL and this does nothing.
 */
static void tdx_pin_module(void)
{
	struct module *mod = THIS_MODULE;

	if (!mod)
		return;
	__module_get(mod);
	pr_info("tdx_host pinned: TDX module initialized, it cannot be unloaded (PAMTs are never given back)\n");
}

/*
 * A fatal signal stopped the PAMT allocation (the caller of a debugfs
 * write was killed): nothing reached the module's configuration, so
 * the module goes back to "not initialized" and a later tdx_enable()
 * resumes after TDH.SYS.LP.INIT, instead of an error state until
 * reboot.
 */
static bool tdx_init_interrupted(int ret)
{
	return ret == -EINTR || ret == -ERESTARTSYS;
}

static int __tdx_enable(void)
{
	enum tdx_init_step step = TDX_STEP_NONE;
	u64 t0 = ktime_get_ns();
	int ret;

	ret = init_tdx_module(&step);
	if (ret && tdx_init_interrupted(ret) && step < TDX_STEP_SYS_CONFIG) {
		pr_info("initialization interrupted in step %d (%s): module not initialized\n",
			step, tdx_step_names[step]);
		tdx_lifecycle_enable_failed();
		return -EINTR;
	}
	if (ret) {
		pr_err("initialization failed in step %d (%s): %d; module left in error state\n",
		       step, tdx_step_names[step], ret);
		tdx_host.failed_step = step;
		tdx_host.err = ret;
		tdx_host.state = TDX_MODULE_ERROR;
		tdx_lifecycle_enable_failed();
		return ret;
	}

	tdx_host.enable_ns = ktime_get_ns() - t0;
	pr_info("%llu KB allocated for PAMT, %u TDMRs\n",
		tdmrs_pamt_bytes(&tdx_host.tdmrs) / 1024,
		tdx_host.tdmrs.nr_tdmrs);
	pr_info("module initialized in %llu ms\n",
		div_u64(tdx_host.enable_ns, NSEC_PER_MSEC));
	tdx_host.state = TDX_MODULE_INITIALIZED;
	tdx_lifecycle_initialized(&tdx_host);
	tdx_pin_module();
	return 0;
}

/* Publish the state for sysfs.  Called with tdx_module_lock held. */
static void tdx_publish_summary(void)
{
	const struct tdx_host *h = &tdx_host;
	struct tdx_summary sum = {
		.backend = h->backend,
		.state = h->state,
		.err = h->err,
		.failed_step = h->failed_step,
		.failed_step_name = tdx_step_names[h->failed_step],
		.keyid_start = h->keyid_start,
		.nr_keyids = h->nr_keyids,
	};

	if (h->state != TDX_MODULE_UNINITIALIZED && h->nr_cmrs) {
		sum.have_sysinfo = true;
		sum.major_version = h->sysinfo->major_version;
		sum.minor_version = h->sysinfo->minor_version;
		sum.vendor_id = h->sysinfo->vendor_id;
		sum.build_date = h->sysinfo->build_date;
		sum.build_num = h->sysinfo->build_num;
	}
	if (h->state == TDX_MODULE_INITIALIZED) {
		sum.pamt_kb = tdmrs_pamt_bytes(&h->tdmrs) / 1024;
		sum.nr_tdmrs = h->tdmrs.nr_tdmrs;
	}
	spin_lock(&tdx_summary_lock);
	tdx_summary = sum;
	spin_unlock(&tdx_summary_lock);
}

/**
 * tdx_enable() - Initialize the TDX module
 *
 * Initialize the TDX module on first use; later calls return the
 * outcome of the first initialization at once (0, or the same error:
 * a failed module is left in the error state and is not retried).
 * Safe to call concurrently: calls are serialized by a mutex.
 *
 * Caller's obligations:
 *  - process context, may sleep;
 *  - must hold cpus_read_lock() (asserted): the set of online CPUs,
 *    and with the real TDX module their VMX operation (VMXON), must
 *    stay as they are across the call.  On 6.1 every CPU is in VMX
 *    operation only while KVM has VMX enabled, so KVM (kvm_intel) is
 *    the one to call this on real hardware;
 *  - must NOT hold mem_hotplug_lock: tdx_enable() takes it for reading
 *    itself, so that no memory comes or goes during initialization;
 *  - every present CPU must be online (module 1.0 requires
 *    TDH.SYS.LP.INIT on all of them before TDH.SYS.CONFIG).  If one is
 *    offline this fails with -EINVAL and leaves the module untouched,
 *    so that it can be retried.
 *
 * A fatal signal while PAMTs are allocated makes it return -EINTR and
 * leaves the module uninitialized, so that it can be retried too.
 *
 * Return: 0 on success; -ENODEV if TDX is not enabled by the BIOS (nor
 * the software module asked for) or the module is not loaded;
 * -EOPNOTSUPP, -EACCES, -EIO for SEAMCALL failures (see seamcall());
 * -EINVAL, -ENOMEM, -ENOSPC for kernel-side failures; -EINTR if
 * interrupted.
 */
int tdx_enable(void)
{
	int ret;

	lockdep_assert_cpus_held();
	if (!platform_tdx_enabled())
		return -ENODEV;

	get_online_mems();
	mutex_lock(&tdx_module_lock);

	switch (tdx_host.state) {
	case TDX_MODULE_UNINITIALIZED:
		ret = tdx_enable_prepare();
		if (!ret)
			ret = __tdx_enable();
		tdx_publish_summary();
		break;
	case TDX_MODULE_INITIALIZED:
		ret = 0;
		break;
	default:
		ret = tdx_host.err;
		break;
	}

	mutex_unlock(&tdx_module_lock);
	put_online_mems();
	return ret;
}
EXPORT_SYMBOL_GPL(tdx_enable);

/* tdx_swmod=...,init: initialize at boot, for demos and tests. */
static int __init tdx_boot_enable(void)
{
	if (!tdx_swmod_init_at_boot())
		return 0;
	cpus_read_lock();
	tdx_enable();
	cpus_read_unlock();
	return 0;
}
late_initcall_sync(tdx_boot_enable);

/*
 * Out of tree, when tdx_host.ko unloads: never initialized, or failed
 * with its PAMTs freed (an initialized module pins tdx_host.ko, see
 * tdx_pin_module()).  Drops the software module instance and what
 * tdx_enable() keeps across calls.
 */
static void __exit tdx_exit(void)
{
	mutex_lock(&tdx_module_lock);
	WARN_ON_ONCE(tdx_host.state == TDX_MODULE_INITIALIZED);
	if (tdx_host.backend == TDX_BACKEND_SOFTWARE)
		tdx_swmod_stop();
	kfree(tdx_host.cmrs);
	kfree(tdx_host.sysinfo);
	mutex_unlock(&tdx_module_lock);
}
module_exit(tdx_exit);

/*
 * TDH.SYS.INFO on the calling CPU into scratch buffers, for lifecycle
 * checks: does this CPU still take SEAMCALLs?  Process context, bound
 * to the CPU by the caller.
 */
int tdx_sysinfo_this_cpu(void)
{
	struct tdsysinfo_struct *si;
	struct cmr_info *cmrs;
	int ret = -ENOMEM;

	si = kzalloc(TDSYSINFO_STRUCT_SIZE, GFP_KERNEL);
	cmrs = kcalloc(MAX_CMRS, sizeof(*cmrs), GFP_KERNEL);
	if (si && cmrs)
		ret = seamcall(TDH_SYS_INFO, __pa(si), TDSYSINFO_STRUCT_SIZE,
			       __pa(cmrs), MAX_CMRS, NULL, NULL);
	kfree(cmrs);
	kfree(si);
	return ret;
}

/* ---- Read-only views for sysfs and debugfs ------------------------- */

/* The TDX KeyID range found at boot; read-only afterwards. */
void tdx_get_keyids(u32 *start, u32 *nr)
{
	*start = tdx_host.keyid_start;
	*nr = tdx_host.nr_keyids;
}

long tdx_pamt_pages_allocated(void)
{
	return atomic_long_read(&tdx_pamt_pages);
}

/* The outcome of the last tdx_enable(); never waits for one to end. */
void tdx_get_summary(struct tdx_summary *sum)
{
	spin_lock(&tdx_summary_lock);
	*sum = tdx_summary;
	spin_unlock(&tdx_summary_lock);
}

/*
 * Run @fn with the state stable (the module lock held).  @fn must look
 * at h->state before it uses what depends on it: sysinfo and CMRs are
 * valid only with nr_cmrs set, the memory list and the TDMRs only once
 * initialized.  Waits for a running tdx_enable() interruptibly: -EINTR.
 */
int tdx_with_state(int (*fn)(const struct tdx_host *h, void *arg),
		   void *arg)
{
	int ret;

	if (mutex_lock_interruptible(&tdx_module_lock))
		return -EINTR;
	ret = fn(&tdx_host, arg);
	mutex_unlock(&tdx_module_lock);
	return ret;
}

/*
 * Tests, software module only (debugfs swmod/reset): forget a failed
 * initialization and drop the module instance, as a platform reset
 * would, so that one boot can inject fault after fault.  The failed
 * tdx_enable() freed its memory and PAMTs; no SEAMCALL runs outside
 * tdx_module_lock before the module is initialized, so the instance
 * can go.  Refused once initialized (-EBUSY): the PAMTs are in use and
 * the lifecycle rules hold until the kernel goes down.
 */
int tdx_swmod_reset_module(void)
{
	int ret = 0;

	if (tdx_host.backend != TDX_BACKEND_SOFTWARE)
		return -EOPNOTSUPP;
	if (mutex_lock_interruptible(&tdx_module_lock))
		return -EINTR;
	if (tdx_host.state == TDX_MODULE_INITIALIZED) {
		ret = -EBUSY;
	} else {
		tdx_swmod_stop();
		tdx_host.state = TDX_MODULE_UNINITIALIZED;
		tdx_host.err = 0;
		tdx_host.failed_step = TDX_STEP_NONE;
		tdx_host.nr_cmrs = 0;
		tdx_host.sys_init_done = false;
		cpumask_clear(&tdx_host.lp_done);
		tdx_publish_summary();
		pr_info("software module: reset, TDX uninitialized\n");
	}
	mutex_unlock(&tdx_module_lock);
	return ret;
}
