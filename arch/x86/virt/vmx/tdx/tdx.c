// SPDX-License-Identifier: GPL-2.0
/*
 * TDX host core: detection, SEAMCALL and TDX module initialization.
 *
 * At boot the kernel only detects whether the BIOS enabled TDX (the
 * KeyID partitioning MSR) or whether the software TDX module was asked
 * for.  The module itself is initialized on demand by tdx_enable(), in
 * twelve steps, each its own function below; see
 * Documentation/x86/tdx-host.rst.
 */

#define pr_fmt(fmt) "virt/tdx: " fmt

#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/errno.h>
#include <linux/printk.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/slab.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/memblock.h>
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
#include <asm/processor.h>
#include <asm/smp.h>
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

/* Boot detection results; written once by tdx_init(). */
static enum tdx_backend tdx_backend;
static u32 tdx_keyid_start;
static u32 tdx_nr_keyids;
static bool tdx_pw_mce_erratum;

/*
 * Module state.  tdx_module_lock serializes tdx_enable() and protects
 * everything below it; debugfs readers take it too (interruptibly).
 */
static DEFINE_MUTEX(tdx_module_lock);
static enum tdx_module_state tdx_module_state;
static int tdx_module_err;
static enum tdx_init_step tdx_failed_step;
static struct tdsysinfo_struct *tdx_sysinfo;
static struct cmr_info *tdx_cmrs;
static unsigned int tdx_nr_cmrs;
static struct tdx_memblock *tdx_memlist;
static unsigned int tdx_nr_memlist;
static struct tdmr_list tdx_tdmr_list;
static size_t tdx_tdmr_list_bytes;
static u32 tdx_global_keyid;
static u64 tdx_enable_ns;

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

static_assert(offsetof(struct tdx_module_output, rcx) == 0);
static_assert(offsetof(struct tdx_module_output, r11) == 40);

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

/* The instruction, on the backend chosen at boot. */
static u64 seamcall_raw(u64 fn, u64 rcx, u64 rdx, u64 r8, u64 r9,
			struct tdx_module_output *out)
{
	u64 ret;

	switch (tdx_backend) {
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
		sret = seamcall_raw(fn, rcx, rdx, r8, r9, &regs);
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
	return tdx_backend != TDX_BACKEND_NONE;
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
	return tdx_backend == TDX_BACKEND_SOFTWARE;
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

bool tdx_has_pw_mce_erratum(void)
{
	return tdx_pw_mce_erratum;
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

	tdx_keyid_start = nr_mktme + 1;
	tdx_nr_keyids = nr_tdx;
	tdx_backend = backend;
	pr_info("BIOS enabled: private KeyID range [%u, %u)%s\n",
		tdx_keyid_start, tdx_keyid_start + tdx_nr_keyids,
		backend == TDX_BACKEND_SOFTWARE ? " (software module)" : "");
	tdx_pw_mce_erratum = tdx_detect_pw_mce_erratum(backend);
	if (tdx_pw_mce_erratum)
		pr_info("partial-write machine-check erratum: PAMTs are reset before they are freed or kexec reuses them%s\n",
			backend == TDX_BACKEND_SOFTWARE ?
			" (claimed by tdx_swmod=erratum)" : "");
	return 0;
}
early_initcall(tdx_init);

/* ---- Init steps ---------------------------------------------------- */

/*
 * Step 1: global initialization, once, on any CPU.  A module that is
 * already initialized refuses it: a kernel before a kexec did it (see
 * tdx_lifecycle.c), and this kernel cannot use the module.
 */
static int tdx_sys_init(void)
{
	u64 status;
	int ret;

	ret = seamcall(TDH_SYS_INIT, 0, 0, 0, 0, &status, NULL);
	if (ret == -EIO &&
	    (status & TDX_STATUS_MASK) == TDX_SYS_INIT_NOT_PENDING)
		pr_err("the TDX module is already initialized, by an earlier kernel (kexec?): it cannot be initialized again until the platform is reset\n");
	return ret;
}

static int tdx_lp_init_one(void *unused)
{
	return seamcall(TDH_SYS_LP_INIT, 0, 0, 0, 0, NULL, NULL);
}

/*
 * Step 2: per-CPU initialization, on every CPU.  tdx_enable() checked
 * that every present CPU is online: module 1.0 needs LP.INIT on all
 * BIOS-enabled CPUs before SYS.CONFIG and refuses it afterwards.
 */
static int tdx_lp_init_all(void)
{
	unsigned int cpu;
	int ret;

	for_each_online_cpu(cpu) {
		ret = smp_call_on_cpu(cpu, tdx_lp_init_one, NULL, true);
		if (ret)
			return ret;
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
	struct tdsysinfo_struct *si = tdx_sysinfo;
	unsigned int i;
	int ret;

	ret = seamcall(TDH_SYS_INFO, __pa(si), TDSYSINFO_STRUCT_SIZE,
		       __pa(tdx_cmrs), MAX_CMRS, NULL, NULL);
	if (ret)
		return ret;

	pr_info("TDX module: vendor_id %#x%s, version %u.%u, build_date %u, build_num %u, attributes %#x\n",
		si->vendor_id,
		tdx_backend == TDX_BACKEND_SOFTWARE ? " (software)" : "",
		si->major_version, si->minor_version, si->build_date,
		si->build_num, si->attributes);

	for (i = 0; i < MAX_CMRS && tdx_cmrs[i].size; i++)
		pr_info("CMR %u: [%#llx, %#llx)\n", i, tdx_cmrs[i].base,
			tdx_cmrs[i].base + tdx_cmrs[i].size);
	tdx_nr_cmrs = i;

	if (!si->max_tdmrs || si->max_tdmrs > TDX_LAYOUT_MAX_TDMRS ||
	    !si->max_reserved_per_tdmr || !si->pamt_entry_size) {
		pr_err("unsupported module limits: %u TDMRs, %u reserved areas, PAMT entry %u\n",
		       si->max_tdmrs, si->max_reserved_per_tdmr,
		       si->pamt_entry_size);
		return -EINVAL;
	}
	return tdx_check_cmrs(tdx_cmrs, tdx_nr_cmrs);
}

/*
 * Step 4: the TDX memory list.  All RAM memblock knows at this point
 * becomes TDX memory, except the first 1 MiB and memory that is
 * offline now (tdx_memlist_add_online()).  ARCH_KEEP_MEMBLOCK keeps
 * memblock around for this.  Whether it lies in the CMRs is the
 * planner's one check (step 5).
 */
static int build_tdx_memlist(void)
{
	unsigned long start_pfn, end_pfn;
	unsigned int n = 0;
	int pass, i, nid;

	/* Pass 0 counts the ranges, pass 1 fills them in. */
	for (pass = 0; pass < 2; pass++) {
		if (pass) {
			tdx_memlist = kcalloc(max(n, 1U), sizeof(*tdx_memlist),
					      GFP_KERNEL);
			if (!tdx_memlist)
				return -ENOMEM;
			n = 0;
		}
		for_each_mem_pfn_range(i, MAX_NUMNODES, &start_pfn, &end_pfn,
				       &nid) {
			u64 start = max_t(u64, PFN_PHYS(start_pfn),
					  TDX_MEM_START);
			u64 end = PFN_PHYS(end_pfn);

			if (start >= end)
				continue;
			n += tdx_memlist_add_online(pass ? tdx_memlist + n :
						    NULL, start, end, nid);
		}
	}
	tdx_nr_memlist = n;
	return n ? 0 : -EINVAL;
}

static void free_tdx_memlist(void)
{
	kfree(tdx_memlist);
	tdx_memlist = NULL;
	tdx_nr_memlist = 0;
}

static struct tdx_layout_limits tdx_limits(void)
{
	struct tdx_layout_limits lim = {
		.max_tdmrs = tdx_sysinfo->max_tdmrs,
		.max_reserved_per_tdmr = tdx_sysinfo->max_reserved_per_tdmr,
		.pamt_entry_size = tdx_sysinfo->pamt_entry_size,
	};

	return lim;
}

/* To keep things simple, allocate room for the maximum of TDMRs. */
static int alloc_tdmr_list(void)
{
	struct tdx_layout_limits lim = tdx_limits();
	void *mem;
	int ret;

	tdx_tdmr_list_bytes = tdmr_list_bytes(&lim);
	mem = alloc_pages_exact(tdx_tdmr_list_bytes, GFP_KERNEL | __GFP_ZERO);
	if (!mem)
		return -ENOMEM;
	ret = tdmr_list_init(&tdx_tdmr_list, mem, &lim);
	if (ret)
		free_pages_exact(mem, tdx_tdmr_list_bytes);
	return ret;
}

static void free_tdmr_list(void)
{
	free_pages_exact(tdx_tdmr_list.tdmrs, tdx_tdmr_list_bytes);
	memset(&tdx_tdmr_list, 0, sizeof(tdx_tdmr_list));
}

/*
 * The planner runs under the CPU and memory hotplug locks; a search
 * over a large map may take many tries, so let others run between them.
 */
static void tdx_plan_resched(void)
{
	cond_resched();
}

/* What the planner works from: the memory list and the module's CMRs. */
static struct tdx_layout_in tdx_layout_in(void)
{
	struct tdx_layout_in in = {
		.mem = tdx_memlist,
		.nr_mem = tdx_nr_memlist,
		.cmrs = tdx_cmrs,
		.nr_cmrs = tdx_nr_cmrs,
		.resched = tdx_plan_resched,
	};

	return in;
}

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

/* Step 5: choose the TDMRs (the planner in tdmr.c). */
static int construct_tdmrs(void)
{
	struct tdx_layout_in in = tdx_layout_in();
	struct tdx_layout_error err = {};
	int ret;

	ret = tdmrs_plan(&tdx_tdmr_list, &in, &err);
	if (ret)
		tdx_layout_failed(&err, ret);
	return ret;
}

#define TDX_PFN_OK	ULONG_MAX

/*
 * Could [pfn, pfn + nr) be allocated as one range of one zone?  Returns
 * TDX_PFN_OK, or the highest pfn that rules it out, so that the caller
 * can skip every candidate range containing it.
 */
static unsigned long tdx_pfn_range_bad(unsigned long pfn, unsigned long nr)
{
	struct zone *zone = NULL;
	unsigned long i;

	for (i = pfn + nr; i-- > pfn; ) {
		struct page *page = pfn_to_online_page(i);

		if (!page || PageReserved(page) || PageHuge(page))
			return i;
		/* A PAMT is never freed: keep ZONE_MOVABLE's promise. */
		if (zone_idx(page_zone(page)) == ZONE_MOVABLE)
			return i;
		if (!zone)
			zone = page_zone(page);
		else if (page_zone(page) != zone)
			return i;
	}
	return TDX_PFN_OK;
}

/*
 * After alloc_contig_range() failed on [pfn, pfn + nr): the first pfn
 * of the highest pageblock in it that is not movable (most likely what
 * held the unmovable pages), or the range's top pfn.  Skipping
 * past it costs one try per unmovable pageblock instead of one try per
 * pageblock of the PAMT's size.
 */
static unsigned long tdx_pfn_range_busy(unsigned long pfn, unsigned long nr)
{
	unsigned long i = ALIGN_DOWN(pfn + nr - 1, pageblock_nr_pages);

	for (; i >= pfn && i < pfn + nr; i -= pageblock_nr_pages) {
		struct page *page = pfn_to_online_page(i);

		if (page && get_pageblock_migratetype(page) != MIGRATE_MOVABLE)
			return i;
		if (i < pageblock_nr_pages)
			break;
	}
	return pfn + nr - 1;
}

/*
 * PAMTs: physically contiguous, inside [lo, hi) as the planner asks
 * (that decides how many reserved areas they cost), as high as
 * possible: first exactly at the top, then lower, down to the bottom
 * of the range.  Early boot allocations sit at the top of memory, so
 * the top rarely works.  Candidates holding reserved or offline pages
 * are skipped past the offending page; after a failed
 * alloc_contig_range() (unmovable pages) the next candidate ends below
 * the highest unmovable pageblock of the failed one, or one pageblock
 * lower if all of them are movable.  ZONE_MOVABLE is never used.
 * PAMTs are not zeroed: TDH.SYS.TDMR.INIT initializes them.
 * alloc_contig_range() allocates exactly the pages asked for.
 */
static int tdx_pamt_alloc(void *ctx, unsigned long nr_pages, int nid,
			  u64 lo, u64 hi, u64 *base)
{
	unsigned long lo_pfn = PFN_UP(lo), hi_pfn = PFN_DOWN(hi), pfn, bad;

	if (hi_pfn < lo_pfn || hi_pfn - lo_pfn < nr_pages)
		return -ENOMEM;
	pfn = hi_pfn - nr_pages;
	for (;;) {
		bad = tdx_pfn_range_bad(pfn, nr_pages);
		if (bad == TDX_PFN_OK) {
			if (!alloc_contig_range(pfn, pfn + nr_pages,
						MIGRATE_MOVABLE,
						GFP_KERNEL | __GFP_NOWARN)) {
				atomic_long_add(nr_pages, &tdx_pamt_pages);
				*base = PFN_PHYS(pfn);
				return 0;
			}
			/* Unmovable pages somewhere: below their pageblock. */
			bad = tdx_pfn_range_busy(pfn, nr_pages);
		}
		/* The next candidate ends below @bad. */
		if (bad < lo_pfn + nr_pages)
			return -ENOMEM;
		pfn = ALIGN_DOWN(bad - nr_pages, pageblock_nr_pages);
		if (pfn < lo_pfn)
			pfn = lo_pfn;
		cond_resched();
	}
}

static void tdx_pamt_free(void *ctx, u64 base, unsigned long nr_pages)
{
	free_contig_range(PHYS_PFN(base), nr_pages);
	atomic_long_sub(nr_pages, &tdx_pamt_pages);
}

static const struct tdx_pamt_ops tdx_pamt_ops = {
	.alloc = tdx_pamt_alloc,
	.free = tdx_pamt_free,
};

/*
 * Step 6: the PAMTs, sized by the formula, one block per node where
 * possible.  More allocated than the formula asks for would be a bug
 * of the planner or the allocator: say so.
 */
static int tdmrs_set_up_pamt_all(void)
{
	struct tdx_layout_in in = tdx_layout_in();
	struct tdx_layout_error err = {};
	u64 need, got;
	int ret;

	ret = tdmrs_alloc_pamt_all(&tdx_tdmr_list, &in, &tdx_pamt_ops, &err);
	if (ret) {
		tdx_layout_failed(&err, ret);
		return ret;
	}
	need = tdmrs_pamt_bytes(&tdx_tdmr_list);
	got = tdmrs_pamt_allocated(&tdx_tdmr_list);
	if (got != need)
		pr_warn("PAMT over-allocation: %llu KB allocated, the formula needs %llu KB\n",
			got / 1024, need / 1024);
	return 0;
}

static void tdmrs_free_pamts(void)
{
	tdmrs_free_pamt_all(&tdx_tdmr_list, &tdx_pamt_ops);
}

/*
 * Reset [@base, @base + @size) to zeroes with KeyID 0 using MOVDIR64B:
 * full 64-byte direct stores, never a partial write.  @base is page
 * aligned.  No locks, no sleeping: also called on the way to kexec.
 */
static void tdx_movdir64b_clear(u64 base, u64 size)
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
 *
 * Called after the caches were flushed (WBINVD), with the TDMR list
 * stable: on the init error path (module lock held) and on the way to
 * kexec (module initialized, list never changes again).  The software
 * module resets memory its own way, as it has no MOVDIR64B to model.
 *
 * Return: the KB reset.
 */
u64 tdx_reset_pamts(void)
{
	const struct tdmr_list *list = &tdx_tdmr_list;
	u64 bytes = 0;
	unsigned int b;

	for (b = 0; b < list->nr_blocks; b++) {
		const struct tdx_pamt_block *blk = &list->blocks[b];

		if (!blk->size)
			continue;
		if (tdx_backend == TDX_BACKEND_SOFTWARE)
			tdx_swmod_reset_memory(blk->base, blk->size);
		else
			tdx_movdir64b_clear(blk->base, blk->size);
		bytes += blk->size;
	}
	return bytes / 1024;
}

/* Step 7: reserved areas for non-CMR ranges and PAMTs inside TDMRs. */
static int tdmrs_populate_rsvd_areas(void)
{
	struct tdx_layout_in in = tdx_layout_in();
	struct tdx_layout_error err = {};
	int ret;

	ret = tdmrs_add_rsvd_all(&tdx_tdmr_list, &in, &err);
	if (ret)
		tdx_layout_failed(&err, ret);
	return ret;
}

/* Step 8: the module's global KeyID is the first TDX private KeyID. */
static int tdx_choose_global_keyid(void)
{
	tdx_global_keyid = tdx_keyid_start;
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
	if (i >= tdx_tdmr_list.nr_tdmrs)
		return;
	tdmr = tdmr_list_entry(&tdx_tdmr_list, i);
	pr_err("TDH.SYS.CONFIG rejected TDMR %u [%#llx, %#llx): %s\n", i,
	       tdmr->base, tdmr_end(tdmr), what);
	if ((status & TDX_STATUS_MASK) == TDX_PAMT_OUTSIDE_CMRS)
		pr_err("  its PAMT is [%#llx, %#llx)\n",
		       tdx_tdmr_list.pamt[i].base,
		       tdx_tdmr_list.pamt[i].base + tdx_tdmr_list.pamt[i].size);
}

/*
 * Print the layout in the plain-text format of tools/testing/tdx-plan
 * (Documentation/x86/tdx-host.rst): paste these lines, with the CMR
 * lines printed by step 3, into "tdx-plan check" to replay the failure
 * against the software module.
 */
static void tdx_print_layout(void)
{
	const struct tdmr_list *list = &tdx_tdmr_list;
	unsigned int i, j;

	pr_err("layout: limits max_tdmrs=%u max_reserved=%u pamt_entry=%u\n",
	       tdx_sysinfo->max_tdmrs, tdx_sysinfo->max_reserved_per_tdmr,
	       tdx_sysinfo->pamt_entry_size);
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
	unsigned int i, nr = tdx_tdmr_list.nr_tdmrs;
	u64 *pa_array, status;
	int ret;

	/* One page: 512-byte aligned and room for 512 entries. */
	pa_array = (u64 *)get_zeroed_page(GFP_KERNEL);
	if (!pa_array)
		return -ENOMEM;
	for (i = 0; i < nr; i++)
		pa_array[i] = __pa(tdmr_list_entry(&tdx_tdmr_list, i));

	ret = seamcall(TDH_SYS_CONFIG, __pa(pa_array), nr, tdx_global_keyid,
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

	for (i = 0; i < tdx_tdmr_list.nr_tdmrs; i++) {
		ret = init_tdmr(tdmr_list_entry(&tdx_tdmr_list, i));
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

	/* Step 4: TDX memory from memblock. */
	*step = TDX_STEP_MEMLIST;
	ret = build_tdx_memlist();
	if (ret)
		goto err_free_memlist;

	/* Step 5: TDMRs covering it. */
	*step = TDX_STEP_TDMRS;
	ret = alloc_tdmr_list();
	if (ret)
		goto err_free_memlist;
	ret = construct_tdmrs();
	if (ret)
		goto err_free_tdmrs;

	/* Step 6: PAMTs. */
	*step = TDX_STEP_PAMT;
	ret = tdmrs_set_up_pamt_all();
	if (ret)
		goto err_free_tdmrs;

	/* Step 7: reserved areas. */
	*step = TDX_STEP_RSVD;
	ret = tdmrs_populate_rsvd_areas();
	if (ret)
		goto err_free_pamts;

	/* Step 8: the global KeyID. */
	*step = TDX_STEP_KEYID;
	ret = tdx_choose_global_keyid();
	if (ret)
		goto err_free_pamts;

	/*
	 * Step 9: TDH.SYS.CONFIG.  From here on the module may write with
	 * the global KeyID, so a kexec must flush caches even if the rest
	 * of the initialization fails or is still running.
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
	 * Once the module has the TDMRs it may have written PAMTs with the
	 * global KeyID: flush those cache lines before the pages go back
	 * to the page allocator, or a later write-back could corrupt them.
	 * With the partial-write erratum, reset them too.
	 */
	wbinvd_on_all_cpus();
	if (tdx_pw_mce_erratum)
		pr_info("PAMT reset before it is freed (partial-write erratum): %llu KB\n",
			tdx_reset_pamts());
err_free_pamts:
	tdmrs_free_pamts();
err_free_tdmrs:
	free_tdmr_list();
err_free_memlist:
	free_tdx_memlist();
	return ret;
}

static int tdx_alloc_sysinfo(void)
{
	if (tdx_sysinfo)
		return 0;
	/* kmalloc() aligns power-of-two sizes to their size. */
	tdx_sysinfo = kzalloc(TDSYSINFO_STRUCT_SIZE, GFP_KERNEL);
	tdx_cmrs = kcalloc(MAX_CMRS, sizeof(*tdx_cmrs), GFP_KERNEL);
	if (tdx_sysinfo && tdx_cmrs)
		return 0;
	kfree(tdx_sysinfo);
	kfree(tdx_cmrs);
	tdx_sysinfo = NULL;
	tdx_cmrs = NULL;
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
	if (tdx_backend == TDX_BACKEND_SOFTWARE) {
		ret = tdx_swmod_start();
		if (ret)
			return ret;
	}
	/* Last: from here on no system sleep until init is over. */
	return tdx_lifecycle_enable_begin();
}

static int __tdx_enable(void)
{
	enum tdx_init_step step = TDX_STEP_NONE;
	u64 t0 = ktime_get_ns();
	int ret;

	ret = init_tdx_module(&step);
	if (ret) {
		pr_err("initialization failed in step %d (%s): %d; module left in error state\n",
		       step, tdx_step_names[step], ret);
		tdx_failed_step = step;
		tdx_module_err = ret;
		tdx_module_state = TDX_MODULE_ERROR;
		tdx_lifecycle_enable_failed();
		return ret;
	}

	tdx_enable_ns = ktime_get_ns() - t0;
	pr_info("%llu KB allocated for PAMT, %u TDMRs\n",
		tdmrs_pamt_bytes(&tdx_tdmr_list) / 1024,
		tdx_tdmr_list.nr_tdmrs);
	pr_info("module initialized in %llu ms\n",
		div_u64(tdx_enable_ns, NSEC_PER_MSEC));
	tdx_module_state = TDX_MODULE_INITIALIZED;
	tdx_lifecycle_initialized(tdx_memlist, tdx_nr_memlist);
	return 0;
}

/* Publish the state for sysfs.  Called with tdx_module_lock held. */
static void tdx_publish_summary(void)
{
	struct tdx_summary sum = {
		.state = tdx_module_state,
		.err = tdx_module_err,
		.failed_step = tdx_failed_step,
		.failed_step_name = tdx_step_names[tdx_failed_step],
	};

	if (tdx_module_state != TDX_MODULE_UNINITIALIZED && tdx_nr_cmrs) {
		sum.have_sysinfo = true;
		sum.major_version = tdx_sysinfo->major_version;
		sum.minor_version = tdx_sysinfo->minor_version;
		sum.vendor_id = tdx_sysinfo->vendor_id;
		sum.build_date = tdx_sysinfo->build_date;
		sum.build_num = tdx_sysinfo->build_num;
	}
	if (tdx_module_state == TDX_MODULE_INITIALIZED) {
		sum.pamt_kb = tdmrs_pamt_bytes(&tdx_tdmr_list) / 1024;
		sum.nr_tdmrs = tdx_tdmr_list.nr_tdmrs;
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
 *  - must NOT hold cpu_hotplug_lock nor mem_hotplug_lock: tdx_enable()
 *    takes both for reading itself, so that no CPU and no memory comes
 *    or goes during initialization (6.1 has no caller that holds them);
 *  - with the real TDX module, every CPU must be in VMX operation
 *    (VMXON).  On 6.1 that is only true while KVM has VMX enabled, so
 *    KVM (kvm_intel) is the one to call this on real hardware;
 *  - every present CPU must be online (module 1.0 requires
 *    TDH.SYS.LP.INIT on all of them before TDH.SYS.CONFIG).  If one is
 *    offline this fails with -EINVAL and leaves the module untouched,
 *    so that it can be retried.
 *
 * Return: 0 on success; -ENODEV if TDX is not enabled by the BIOS (nor
 * the software module asked for) or the module is not loaded;
 * -EOPNOTSUPP, -EACCES, -EIO for SEAMCALL failures (see seamcall());
 * -EINVAL, -ENOMEM, -ENOSPC for kernel-side failures.
 */
int tdx_enable(void)
{
	int ret;

	if (!platform_tdx_enabled())
		return -ENODEV;

	cpus_read_lock();
	get_online_mems();
	mutex_lock(&tdx_module_lock);

	switch (tdx_module_state) {
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
		ret = tdx_module_err;
		break;
	}

	mutex_unlock(&tdx_module_lock);
	put_online_mems();
	cpus_read_unlock();
	return ret;
}
EXPORT_SYMBOL_GPL(tdx_enable);

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

/* ---- Read-only views for sysfs and debugfs (tdx_sysfs.c) ----------- */

enum tdx_backend tdx_get_backend(void)
{
	return tdx_backend;
}

void tdx_get_keyids(u32 *start, u32 *nr)
{
	*start = tdx_keyid_start;
	*nr = tdx_nr_keyids;
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
 * Run @fn with the module state stable.  @fn sees NULL for what is not
 * known yet.  Waits for a running tdx_enable() interruptibly: -EINTR.
 */
int tdx_with_state(int (*fn)(const struct tdx_state_view *v, void *arg),
		   void *arg)
{
	struct tdx_state_view v = {};
	int ret;

	if (mutex_lock_interruptible(&tdx_module_lock))
		return -EINTR;
	v.state = tdx_module_state;
	v.err = tdx_module_err;
	v.failed_step = tdx_failed_step;
	v.failed_step_name = tdx_step_names[tdx_failed_step];
	if (tdx_module_state != TDX_MODULE_UNINITIALIZED && tdx_nr_cmrs) {
		v.sysinfo = tdx_sysinfo;
		v.cmrs = tdx_cmrs;
		v.nr_cmrs = tdx_nr_cmrs;
	}
	if (tdx_module_state == TDX_MODULE_INITIALIZED) {
		v.tdmrs = &tdx_tdmr_list;
		v.enable_ns = tdx_enable_ns;
	}
	ret = fn(&v, arg);
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

	if (tdx_backend != TDX_BACKEND_SOFTWARE)
		return -EOPNOTSUPP;
	if (mutex_lock_interruptible(&tdx_module_lock))
		return -EINTR;
	if (tdx_module_state == TDX_MODULE_INITIALIZED) {
		ret = -EBUSY;
	} else {
		tdx_swmod_stop();
		tdx_module_state = TDX_MODULE_UNINITIALIZED;
		tdx_module_err = 0;
		tdx_failed_step = TDX_STEP_NONE;
		tdx_nr_cmrs = 0;
		tdx_publish_summary();
		pr_info("software module: reset, TDX uninitialized\n");
	}
	mutex_unlock(&tdx_module_lock);
	return ret;
}
