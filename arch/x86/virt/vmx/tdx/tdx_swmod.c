// SPDX-License-Identifier: GPL-2.0
/*
 * TDX host core: the software TDX module as a SEAMCALL backend.
 *
 * The software module (swmod/) implements the TDX module 1.0 host ABI
 * in C, so that TDX host code can run on machines without TDX.  A
 * kernel that believes an emulator is a TDX module must never be
 * mistaken for a protected host, so:
 *   - it is used only when the "tdx_swmod=" boot parameter asks for it;
 *   - using it taints the kernel (TAINT_TEST) and prints a loud line;
 *   - /sys/firmware/tdx/backend reads "software";
 *   - TDH.SYS.INFO reports our own vendor ID and build, never Intel's.
 *
 * The same parameter sets the platform the module models (KeyIDs,
 * CMRs) and arms fault injection for tests:
 *
 *   tdx_swmod=on[,keyids=MKTME:TDX][,cmr=START-END]...[,fail=SPEC]...[,init]
 *              [,handover=initialized][,erratum]
 *
 *   keyids=15:48     15 MKTME KeyIDs, 48 TDX KeyIDs: private [16, 64)
 *                    (the default)
 *   cmr=1M-2G        use these CMRs instead of the ones derived from
 *                    the firmware memory map at boot (memparse
 *                    suffixes; up to 32, sorted)
 *   fail=LEAF[:NTH[:TIMES[:STATUS[:entropy]]]]
 *                    the NTH (default 1) call of LEAF and the TIMES-1
 *                    after it (default 1) return STATUS (default
 *                    TDX_SYS_BUSY).  LEAF is sys_init, lp_init,
 *                    sys_info, sys_config, key_config, tdmr_init or a
 *                    leaf number.  ":entropy" fires at the leaf's
 *                    entropy step instead of at entry.
 *   init             run tdx_enable() at boot (late_initcall)
 *   handover=initialized
 *                    model a module that a previous kernel initialized
 *                    before kexec'ing into this one: the instance starts
 *                    ready, so TDH.SYS.INIT fails with
 *                    TDX_SYS_INIT_NOT_PENDING as on real hardware
 *   erratum          claim the partial-write machine-check erratum: the
 *                    host core then resets PAMTs before freeing them
 *                    and before kexec, through tdx_swmod_reset_memory()
 *
 * A malformed parameter disables the software module, loudly.
 */

#define pr_fmt(fmt) "virt/tdx: " fmt

#include <linux/kernel.h>
#include <linux/init.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/cpumask.h>
#include <linux/preempt.h>
#include <linux/seq_file.h>
#include <linux/panic.h>
#include <asm/e820/api.h>

#include "tdx_swmod.h"
#include "swmod/swmod.h"
#include "swmod/swmod_platform.h"

/* What SYS.INFO reports: not Intel's vendor ID, and a build of ours. */
#define TDX_SWMOD_VENDOR_ID	0x5357		/* "SW" */
#define TDX_SWMOD_BUILD_DATE	20250101
#define TDX_SWMOD_BUILD_NUM	1

#define TDX_SWMOD_DEF_MKTME	15
#define TDX_SWMOD_DEF_TDX	48

static struct {
	bool requested;
	bool init_at_boot;
	bool handover;
	bool erratum;
	u32 nr_mktme;
	u32 nr_tdx;
	unsigned int nr_cmrs;		/* 0: derive from RAM */
	struct swmod_cmr_info cmrs[SWMOD_MAX_CMRS];
	unsigned int nr_faults;
	struct swmod_fault faults[SWMOD_MAX_FAULTS];
} tdx_swmod_param = {
	.nr_mktme = TDX_SWMOD_DEF_MKTME,
	.nr_tdx = TDX_SWMOD_DEF_TDX,
};

/* The instance; created once by tdx_swmod_start(), never freed. */
static struct swmod *tdx_swmod;

static const struct {
	const char *name;
	u16 leaf;
} tdx_swmod_leaves[] = {
	{ "sys_init", SWMOD_TDH_SYS_INIT },
	{ "lp_init", SWMOD_TDH_SYS_LP_INIT },
	{ "sys_info", SWMOD_TDH_SYS_INFO },
	{ "sys_config", SWMOD_TDH_SYS_CONFIG },
	{ "key_config", SWMOD_TDH_SYS_KEY_CONFIG },
	{ "tdmr_init", SWMOD_TDH_SYS_TDMR_INIT },
};

static int __init tdx_swmod_parse_leaf(const char *s, u16 *leaf)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(tdx_swmod_leaves); i++) {
		if (!strcmp(s, tdx_swmod_leaves[i].name)) {
			*leaf = tdx_swmod_leaves[i].leaf;
			return 0;
		}
	}
	return kstrtou16(s, 0, leaf);
}

/* LEAF[:NTH[:TIMES[:STATUS[:entropy]]]] */
static int __init tdx_swmod_parse_fail(char *spec)
{
	struct swmod_fault f = {
		.point = SWMOD_FAULT_AT_ENTRY,
		.nth = 1,
		.times = 1,
		.status = SWMOD_TDX_SYS_BUSY,
	};
	char *tok[5] = {};
	unsigned int i;
	int ret;

	if (tdx_swmod_param.nr_faults == SWMOD_MAX_FAULTS)
		return -ENOSPC;
	for (i = 0; i < ARRAY_SIZE(tok) && spec; i++)
		tok[i] = strsep(&spec, ":");
	if (spec)
		return -EINVAL;

	ret = tdx_swmod_parse_leaf(tok[0], &f.leaf);
	if (!ret && tok[1])
		ret = kstrtou64(tok[1], 0, &f.nth);
	if (!ret && tok[2])
		ret = kstrtou32(tok[2], 0, &f.times);
	if (!ret && tok[3])
		ret = kstrtou64(tok[3], 0, &f.status);
	if (!ret && tok[4]) {
		if (strcmp(tok[4], "entropy"))
			ret = -EINVAL;
		f.point = SWMOD_FAULT_AT_ENTROPY;
	}
	if (ret || !f.nth || f.leaf >= SWMOD_NR_LEAF_COUNTERS)
		return -EINVAL;
	tdx_swmod_param.faults[tdx_swmod_param.nr_faults++] = f;
	return 0;
}

static int __init tdx_swmod_parse_cmr(char *s)
{
	struct swmod_cmr_info *cmr;
	char *end;
	u64 start, last;

	if (tdx_swmod_param.nr_cmrs == SWMOD_MAX_CMRS)
		return -ENOSPC;
	start = memparse(s, &end);
	if (*end != '-')
		return -EINVAL;
	last = memparse(end + 1, &end);
	if (*end || last <= start)
		return -EINVAL;
	cmr = &tdx_swmod_param.cmrs[tdx_swmod_param.nr_cmrs++];
	cmr->base = start;
	cmr->size = last - start;
	return 0;
}

/*
 * "MKTME:TDX".  KeyIDs are at most 15 bits wide on every TDX part, so larger
 * counts are refused here, before their sum can wrap.
 */
static int __init tdx_swmod_parse_keyids(char *s)
{
	u32 nr_mktme, nr_tdx;
	int len = 0;

	if (sscanf(s, "%u:%u%n", &nr_mktme, &nr_tdx, &len) != 2 || s[len])
		return -EINVAL;
	if (nr_mktme >= BIT(15) || nr_tdx >= BIT(15))
		return -ERANGE;
	tdx_swmod_param.nr_mktme = nr_mktme;
	tdx_swmod_param.nr_tdx = nr_tdx;
	return 0;
}

/*
 * The software module is used only when the parameter says "on": any other
 * value, "off", or a malformed option leaves it (and its missing
 * protection) out.  The last tdx_swmod= on the command line wins.
 */
static int __init tdx_swmod_setup(char *arg)
{
	static char shown[64] __initdata;	/* the parsers cut options up */
	bool on = false;
	char *opt;
	int ret = 0;

	tdx_swmod_param.requested = false;
	if (!arg || !strcmp(arg, "off"))
		return 0;

	while (!ret && (opt = strsep(&arg, ","))) {
		strscpy(shown, opt, sizeof(shown));
		if (!strcmp(opt, "on"))
			on = true;
		else if (!strcmp(opt, "init"))
			tdx_swmod_param.init_at_boot = true;
		else if (!strcmp(opt, "handover=initialized"))
			tdx_swmod_param.handover = true;
		else if (!strcmp(opt, "erratum"))
			tdx_swmod_param.erratum = true;
		else if (!strncmp(opt, "keyids=", 7))
			ret = tdx_swmod_parse_keyids(opt + 7);
		else if (!strncmp(opt, "cmr=", 4))
			ret = tdx_swmod_parse_cmr(opt + 4);
		else if (!strncmp(opt, "fail=", 5))
			ret = tdx_swmod_parse_fail(opt + 5);
		else
			ret = -EINVAL;
		if (ret)
			pr_err("tdx_swmod: bad option '%s': software TDX module disabled\n",
			       shown);
	}
	if (!ret && !on)
		pr_err("tdx_swmod: 'on' missing: software TDX module disabled\n");
	tdx_swmod_param.requested = !ret && on;
	return 0;
}
early_param("tdx_swmod", tdx_swmod_setup);

bool tdx_swmod_requested(void)
{
	return tdx_swmod_param.requested;
}

bool tdx_swmod_init_at_boot(void)
{
	return tdx_swmod_param.requested && tdx_swmod_param.init_at_boot;
}

bool tdx_swmod_claims_erratum(void)
{
	return tdx_swmod_param.requested && tdx_swmod_param.erratum;
}

/*
 * CMRs the way a BIOS reports them: every DRAM range of the firmware
 * memory map, taken once at boot.  The firmware map is the one the
 * BIOS handed over, before memmap= and friends carved it up, so
 * ranges the kernel later excludes stay convertible, as on real
 * hardware.  Memory hot-added later is not in it: real CMRs never
 * cover hot-plugged memory either.
 */
static struct swmod_cmr_info tdx_swmod_boot_cmrs[SWMOD_MAX_CMRS];
static unsigned int tdx_swmod_nr_boot_cmrs;
static int tdx_swmod_boot_cmrs_err;

static bool tdx_swmod_e820_is_dram(enum e820_type type)
{
	switch (type) {
	case E820_TYPE_RAM:
	case E820_TYPE_RESERVED_KERN:
	case E820_TYPE_ACPI:
	case E820_TYPE_NVS:
		return true;
	default:
		return false;
	}
}

static void __init tdx_swmod_snapshot_cmrs(void)
{
	const struct e820_table *fw = e820_table_firmware;
	struct swmod_range *ram;
	unsigned int n = 0;
	int i, ret;

	ram = kcalloc(fw->nr_entries, sizeof(*ram), GFP_KERNEL);
	if (!ram) {
		tdx_swmod_boot_cmrs_err = -ENOMEM;
		return;
	}
	for (i = 0; i < fw->nr_entries; i++) {
		const struct e820_entry *e = &fw->entries[i];

		if (!tdx_swmod_e820_is_dram(e->type) || !e->size)
			continue;
		ram[n].start = e->addr;
		ram[n].end = e->addr + e->size;
		n++;
	}
	ret = swmod_cmrs_from_ram(ram, n, tdx_swmod_boot_cmrs,
				  &tdx_swmod_nr_boot_cmrs);
	kfree(ram);
	if (ret)
		pr_err("software module: cannot derive CMRs from the firmware memory map: %d\n",
		       ret);
	tdx_swmod_boot_cmrs_err = ret;
}

/*
 * Called once, at boot detection, when the parameter asked for the
 * software module: this is where the kernel stops being a TDX host
 * anyone should trust.
 */
void __init tdx_swmod_keyids(u32 *nr_mktme, u32 *nr_tdx)
{
	pr_warn("*** SOFTWARE TDX MODULE IN USE (tdx_swmod=): NO TDX PROTECTION, FOR TESTING ONLY ***\n");
	add_taint(TAINT_TEST, LOCKDEP_STILL_OK);
	*nr_mktme = tdx_swmod_param.nr_mktme;
	*nr_tdx = tdx_swmod_param.nr_tdx;
	if (!tdx_swmod_param.nr_cmrs)
		tdx_swmod_snapshot_cmrs();
}

/*
 * LP index = CPU id, over all possible CPUs.  The LPs the "BIOS"
 * enabled are the CPUs present now: tdx_enable() creates the instance
 * with every present CPU online, before any CPU can be hot-added
 * behind it.  A CPU that appears later is unknown to the module (#GP
 * on SEAMCALL); the host core refuses to online it.
 */
static int tdx_swmod_config(struct swmod_config *cfg, u8 *lp_pkg,
			    bool *lp_enabled)
{
	unsigned int cpu;

	swmod_kplat_topology(lp_pkg, nr_cpu_ids);
	for_each_present_cpu(cpu)
		lp_enabled[cpu] = true;
	cfg->nr_lps = nr_cpu_ids;
	cfg->lp_pkg = lp_pkg;
	cfg->lp_enabled = lp_enabled;
	cfg->handover_ready = tdx_swmod_param.handover;
	cfg->nr_mktme_keyids = tdx_swmod_param.nr_mktme;
	cfg->nr_tdx_keyids = tdx_swmod_param.nr_tdx;
	cfg->presence = SWMOD_MODULE_LOADED;
	cfg->vendor_id = TDX_SWMOD_VENDOR_ID;
	cfg->build_date = TDX_SWMOD_BUILD_DATE;
	cfg->build_num = TDX_SWMOD_BUILD_NUM;

	if (!tdx_swmod_param.nr_cmrs) {
		cfg->nr_cmrs = tdx_swmod_nr_boot_cmrs;
		memcpy(cfg->cmrs, tdx_swmod_boot_cmrs, sizeof(cfg->cmrs));
		return tdx_swmod_boot_cmrs_err;
	}
	cfg->nr_cmrs = tdx_swmod_param.nr_cmrs;
	memcpy(cfg->cmrs, tdx_swmod_param.cmrs, sizeof(cfg->cmrs));
	pr_warn("software module: %u CMRs overridden by tdx_swmod=cmr=\n",
		cfg->nr_cmrs);
	return 0;
}

static int tdx_swmod_arm_faults(struct swmod *m)
{
	unsigned int i;
	int ret;

	for (i = 0; i < tdx_swmod_param.nr_faults; i++) {
		const struct swmod_fault *f = &tdx_swmod_param.faults[i];

		ret = swmod_inject_fault(m, f);
		if (ret)
			return ret;
		pr_warn("software module: fault armed: leaf %u call %llu (x%u) -> %#llx%s\n",
			f->leaf, f->nth, f->times ? f->times : 1, f->status,
			f->point == SWMOD_FAULT_AT_ENTROPY ? " at entropy" : "");
	}
	return 0;
}

/*
 * Create the module instance.  Called by tdx_enable() with the module
 * lock held, before the first SEAMCALL, when every CPU is up and the
 * package topology is known.
 */
int tdx_swmod_start(void)
{
	struct swmod_config *cfg;
	struct swmod_plat *plat;
	struct swmod *m = NULL;
	bool *lp_enabled;
	u8 *lp_pkg;
	int ret = -ENOMEM;

	if (tdx_swmod)
		return 0;

	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	lp_pkg = kcalloc(nr_cpu_ids, sizeof(*lp_pkg), GFP_KERNEL);
	lp_enabled = kcalloc(nr_cpu_ids, sizeof(*lp_enabled), GFP_KERNEL);
	plat = swmod_kplat_create();
	if (!cfg || !lp_pkg || !lp_enabled || !plat)
		goto out_free;

	ret = tdx_swmod_config(cfg, lp_pkg, lp_enabled);
	if (ret)
		goto out_free;
	ret = swmod_create(cfg, plat, &m);
	if (ret)
		goto out_free;
	ret = tdx_swmod_arm_faults(m);
	if (ret)
		goto out_destroy;

	pr_info("software module: %u LPs in %u packages, %u CMRs\n",
		swmod_nr_enabled_lps(m), swmod_nr_pkgs(m), cfg->nr_cmrs);
	if (cfg->handover_ready)
		pr_warn("software module: handed over initialized (tdx_swmod=handover=initialized), as after kexec\n");
	/* Publish a complete instance; pairs with smp_load_acquire(). */
	smp_store_release(&tdx_swmod, m);
	plat = NULL;
	goto out_free;

out_destroy:
	swmod_destroy(m);
out_free:
	swmod_kplat_destroy(plat);
	kfree(lp_enabled);
	kfree(lp_pkg);
	kfree(cfg);
	if (ret)
		pr_err("software module: cannot create the instance: %d\n", ret);
	return ret;
}

/*
 * The SEAMCALL instruction, executed by the software module on this
 * CPU.  Preemption is off around it, as around a real SEAMCALL, so
 * the module sees a stable current LP.
 */
u64 tdx_swmod_seamcall(u64 fn, u64 rcx, u64 rdx, u64 r8, u64 r9,
		       struct tdx_module_output *out)
{
	/* Pairs with smp_store_release() in tdx_swmod_start(). */
	struct swmod *m = smp_load_acquire(&tdx_swmod);
	struct swmod_regs regs = {
		.rax = fn, .rcx = rcx, .rdx = rdx, .r8 = r8, .r9 = r9,
	};
	enum swmod_outcome outcome;

	if (!m)
		return TDX_SEAMCALL_VMFAILINVALID;

	preempt_disable();
	outcome = swmod_seamcall(m, &regs);
	preempt_enable();

	if (outcome == SWMOD_SEAMRET && out) {
		out->rcx = regs.rcx;
		out->rdx = regs.rdx;
		out->r8 = regs.r8;
		out->r9 = regs.r9;
		out->r10 = regs.r10;
		out->r11 = regs.r11;
	}
	return swmod_outcome_status(outcome, regs.rax);
}

/*
 * The partial-write erratum's reset, done by the software module: it
 * has no MOVDIR64B to model (QEMU TCG and Bochs lack it), so it zeroes
 * the memory with ordinary stores and counts it.  Any context: also
 * called on the way to kexec, interrupts off.
 */
void tdx_swmod_reset_memory(u64 pa, u64 size)
{
	/* Pairs with smp_store_release() in tdx_swmod_start(). */
	struct swmod *m = smp_load_acquire(&tdx_swmod);

	if (!m)
		return;
	swmod_reset_memory(m, pa, size);
	pr_info("software module: %llu KB reset without MOVDIR64B\n",
		size / 1024);
}

/* ACPI ejected @cpu: a CPU added under its number is not the same LP. */
void tdx_swmod_lp_removed(unsigned int cpu)
{
	/* Pairs with smp_store_release() in tdx_swmod_start(). */
	struct swmod *m = smp_load_acquire(&tdx_swmod);

	if (m && !swmod_lp_remove(m, cpu))
		pr_info("software module: LP %u reset (CPU removed)\n", cpu);
}

/* debugfs: per-leaf call and error counts of the instance. */
void tdx_swmod_show_stats(struct seq_file *sf)
{
	/* Pairs with smp_store_release() in tdx_swmod_start(). */
	struct swmod *m = smp_load_acquire(&tdx_swmod);
	const struct swmod_stats *st;
	unsigned int leaf, pkg;

	if (!m) {
		seq_puts(sf, "not started\n");
		return;
	}
	st = swmod_get_stats(m);
	for (leaf = 0; leaf < SWMOD_NR_LEAF_COUNTERS; leaf++)
		if (st->calls[leaf])
			seq_printf(sf, "leaf %u: calls %llu errors %llu\n",
				   leaf, st->calls[leaf], st->errors[leaf]);
	seq_printf(sf, "injected %llu vmfailinvalid %llu gp %llu ud %llu dropped_writes %llu\n",
		   st->injected, st->vmfailinvalid, st->gp, st->ud,
		   st->dropped_writes);
	seq_printf(sf, "packages %u lps %u\n", swmod_nr_pkgs(m),
		   swmod_nr_enabled_lps(m));
	for (pkg = 0; pkg < swmod_nr_pkgs(m); pkg++)
		seq_printf(sf, "package %u: key_config calls %llu configured %llu\n",
			   pkg, st->key_config_calls[pkg],
			   st->key_config_done[pkg]);
}
