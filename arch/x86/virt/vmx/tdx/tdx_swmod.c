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
 *                    (the default); see swmod_check_keyids()
 *   cmr=1M-2G        use these CMRs instead of the ones derived from
 *                    the firmware memory map at boot (memparse
 *                    suffixes; up to 32, sorted)
 *   fail=LEAF[:NTH[:TIMES[:STATUS[:entropy]]]]
 *                    the NTH (default 1) call of LEAF and the TIMES-1
 *                    after it (default 1) return STATUS (default
 *                    TDX_SYS_BUSY).  LEAF is sys_init, lp_init,
 *                    sys_info, sys_config, key_config, tdmr_init, a TD
 *                    leaf's name (mng_create, page_add, ... see
 *                    swmod/param.c) or a leaf number.  ":entropy"
 *                    fires at the leaf's entropy (or interruption)
 *                    step instead of at entry.
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
 * A malformed parameter disables the software module, loudly.  Each
 * tdx_swmod= starts from the defaults: the last one wins entirely.
 * The options are parsed by swmod/param.c, which the userspace harness
 * drives too.
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
#include <linux/mutex.h>
#include <linux/delay.h>
#include <linux/overflow.h>
#include <linux/lockdep.h>
#include <asm/e820/api.h>

#include "tdx_swmod.h"
#include "swmod/swmod.h"
#include "swmod/swmod_platform.h"
#include "swmod/swmod_param.h"
#include "swmod/swmod_dmap.h"
#include "swmod/swmod_state.h"

/* What SYS.INFO reports: not Intel's vendor ID, and a build of ours. */
#define TDX_SWMOD_VENDOR_ID	0x5357		/* "SW" */
#define TDX_SWMOD_BUILD_DATE	20250101
#define TDX_SWMOD_BUILD_NUM	1

/*
 * The last tdx_swmod= option, parsed by swmod_param_parse() (swmod/param.c);
 * set at early boot only.
 */
static struct swmod_param tdx_swmod_param;
static bool tdx_swmod_on;

/*
 * The instance; created by tdx_swmod_start(), freed (tdx_swmod_stop())
 * only before the module is initialized: by a test reset, or when
 * tdx_host.ko unloads.
 */
static struct swmod *tdx_swmod;
static struct swmod_plat *tdx_swmod_plat;

/*
 * Serializes the armed faults (tdx_swmod_param.faults, then those of
 * the instance) between run-time arming and the instance's creation
 * and teardown; the TD exits scripted through debugfs take it too, to
 * keep the instance.  Nests inside tdx_module_lock.
 */
static DEFINE_MUTEX(tdx_swmod_fault_lock);

/* Tests: tdx_swmod_start() sleeps this long first, a slow init. */
static unsigned int tdx_swmod_init_delay_ms;

/*
 * The software module is used only when the parameter says "on": any other
 * value, "off", or a malformed option leaves it (and its missing
 * protection) out.  The last tdx_swmod= on the command line wins, and
 * nothing of an earlier one carries over.
 */
static int __init tdx_swmod_setup(char *arg)
{
	static char bad[64] __initdata;	/* the parser cuts options up */
	struct swmod_param *p = &tdx_swmod_param;
	enum swmod_param_result res;

	res = swmod_param_parse(arg, p, bad, sizeof(bad));
	switch (res) {
	case SWMOD_PARAM_BAD:
		pr_err("tdx_swmod: bad option '%s': software TDX module disabled\n",
		       bad);
		break;
	case SWMOD_PARAM_NO_ON:
		pr_err("tdx_swmod: 'on' missing: software TDX module disabled\n");
		break;
	case SWMOD_PARAM_BAD_KEYIDS:
		pr_err("tdx_swmod: keyids=%u:%u%s: impossible (more than 16 KeyID bits%s): software TDX module disabled\n",
		       p->nr_mktme, p->nr_tdx,
		       p->handover ? ",handover=initialized" : "",
		       p->handover ? ", or KeyIDs TDH.SYS.INIT refuses, so no module was initialized with them" : "");
		break;
	default:
		break;
	}
	tdx_swmod_on = res == SWMOD_PARAM_ON;
	return 0;
}
early_param("tdx_swmod", tdx_swmod_setup);

bool tdx_swmod_requested(void)
{
	return tdx_swmod_on;
}

bool tdx_swmod_init_at_boot(void)
{
	return tdx_swmod_on && tdx_swmod_param.init_at_boot;
}

bool tdx_swmod_claims_erratum(void)
{
	return tdx_swmod_on && tdx_swmod_param.erratum;
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
	if (READ_ONCE(tdx_swmod_init_delay_ms))
		msleep_interruptible(READ_ONCE(tdx_swmod_init_delay_ms));

	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	lp_pkg = kcalloc(nr_cpu_ids, sizeof(*lp_pkg), GFP_KERNEL);
	lp_enabled = kcalloc(nr_cpu_ids, sizeof(*lp_enabled), GFP_KERNEL);
	plat = swmod_kplat_create();
	if (!cfg || !lp_pkg || !lp_enabled || !plat)
		goto out_free;

	ret = tdx_swmod_config(cfg, lp_pkg, lp_enabled);
	if (ret)
		goto out_free;
	swmod_kplat_unmap_init(plat, cfg->cmrs, cfg->nr_cmrs);
	ret = swmod_create(cfg, plat, &m);
	if (ret)
		goto out_free;
	mutex_lock(&tdx_swmod_fault_lock);
	ret = tdx_swmod_arm_faults(m);
	if (ret) {
		mutex_unlock(&tdx_swmod_fault_lock);
		goto out_destroy;
	}

	pr_info("software module: %u LPs in %u packages, %u CMRs\n",
		swmod_nr_enabled_lps(m), swmod_nr_pkgs(m), cfg->nr_cmrs);
	if (cfg->handover_ready)
		pr_warn("software module: handed over initialized (tdx_swmod=handover=initialized), as after kexec\n");
	/* Publish a complete instance; pairs with smp_load_acquire(). */
	smp_store_release(&tdx_swmod, m);
	mutex_unlock(&tdx_swmod_fault_lock);
	tdx_swmod_plat = plat;
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

/* The instance, or NULL before tdx_enable(); any context. */
struct swmod *tdx_swmod_instance(void)
{
	/* Pairs with smp_store_release() in tdx_swmod_start(). */
	return smp_load_acquire(&tdx_swmod);
}

/* Where the software module's platform puts KeyID bits in a PA. */
unsigned int tdx_swmod_keyid_shift(void)
{
	struct swmod *m = tdx_swmod_instance();

	return m ? m->hkid_shift : 0;
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
 * TDH.VP.ENTER with every register (tdh_vp_enter()): the host's
 * R10..R15 in, the exit's RCX..R15 out, all 0 on an error status.
 * KVM calls it with interrupts disabled; the engine never sleeps.
 */
u64 tdx_swmod_vp_enter(phys_addr_t tdvpr, struct tdh_vp_enter_regs *regs)
{
	/* Pairs with smp_store_release() in tdx_swmod_start(). */
	struct swmod *m = smp_load_acquire(&tdx_swmod);
	struct swmod_regs r = {
		.rax = SWMOD_TDH_VP_ENTER, .rcx = tdvpr,
		.r10 = regs->r10, .r11 = regs->r11, .r12 = regs->r12,
		.r13 = regs->r13, .r14 = regs->r14, .r15 = regs->r15,
	};
	enum swmod_outcome outcome;
	u64 status;

	memset(regs, 0, sizeof(*regs));
	if (!m)
		return TDX_SEAMCALL_VMFAILINVALID;

	preempt_disable();
	outcome = swmod_seamcall(m, &r);
	preempt_enable();

	status = swmod_outcome_status(outcome, r.rax);
	if (status & TDX_ERROR)
		return status;
	regs->rcx = r.rcx;
	regs->rdx = r.rdx;
	regs->r8 = r.r8;
	regs->r9 = r.r9;
	regs->r10 = r.r10;
	regs->r11 = r.r11;
	regs->r12 = r.r12;
	regs->r13 = r.r13;
	regs->r14 = r.r14;
	regs->r15 = r.r15;
	return status;
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

/* ---- Tests: run-time faults, reset, slow init (tdx_debugfs.c) ------- */

/* Calls only grow: once past its last call, a fault can never fire. */
static bool tdx_swmod_fault_spent(struct swmod *m, const struct swmod_fault *f)
{
	u64 times = f->times ? f->times : 1;

	return m && swmod_get_stats(m)->calls[f->leaf] >= f->nth + times - 1;
}

/* Drop spent faults and give the instance, if any, the others again. */
static void tdx_swmod_sync_faults(struct swmod *m)
{
	unsigned int i, n = 0;

	lockdep_assert_held(&tdx_swmod_fault_lock);
	for (i = 0; i < tdx_swmod_param.nr_faults; i++)
		if (!tdx_swmod_fault_spent(m, &tdx_swmod_param.faults[i]))
			tdx_swmod_param.faults[n++] = tdx_swmod_param.faults[i];
	tdx_swmod_param.nr_faults = n;
	if (!m)
		return;
	/* Same limits as the engine's, checked by the parser: cannot fail. */
	swmod_clear_faults(m);
	for (i = 0; i < n; i++)
		WARN_ON_ONCE(swmod_inject_fault(m, &tdx_swmod_param.faults[i]));
}

/**
 * tdx_swmod_arm_fault() - Arm a fault at run time
 * @spec: the boot option's LEAF[:NTH[:TIMES[:STATUS[:entropy]]]], or
 *	  "none" to disarm every fault; cut up by the parser
 *
 * NTH counts the calls of LEAF from now on.  Spent faults make room.
 * Arm faults while no SEAMCALL runs: the instance's table is rewritten.
 *
 * Return: 0, -EINVAL for a malformed @spec, -ENOSPC if 8 are armed.
 */
int tdx_swmod_arm_fault(char *spec)
{
	struct swmod_fault *f;
	struct swmod *m;
	unsigned int n;
	int ret = 0;

	mutex_lock(&tdx_swmod_fault_lock);
	m = tdx_swmod;
	if (!strcmp(spec, "none")) {
		tdx_swmod_param.nr_faults = 0;
	} else {
		tdx_swmod_sync_faults(m);
		n = tdx_swmod_param.nr_faults;
		f = &tdx_swmod_param.faults[n];
		if (n == SWMOD_MAX_FAULTS)
			ret = -ENOSPC;
		else
			ret = swmod_param_parse_fault(spec, f);
		if (!ret && m &&
		    check_add_overflow(f->nth, swmod_get_stats(m)->calls[f->leaf],
				       &f->nth))
			ret = -EINVAL;
		if (!ret)
			tdx_swmod_param.nr_faults = n + 1;
	}
	if (!ret)
		tdx_swmod_sync_faults(m);
	mutex_unlock(&tdx_swmod_fault_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(tdx_swmod_arm_fault);	/* for the KUnit test module */

/*
 * The faults that can still fire, one per line in the boot option's
 * syntax; NTH counts from the instance's creation (boot or reset).
 */
void tdx_swmod_show_faults(struct seq_file *sf)
{
	unsigned int i;

	mutex_lock(&tdx_swmod_fault_lock);
	for (i = 0; i < tdx_swmod_param.nr_faults; i++) {
		const struct swmod_fault *f = &tdx_swmod_param.faults[i];
		const char *name = swmod_param_leaf_name(f->leaf);

		if (tdx_swmod_fault_spent(tdx_swmod, f))
			continue;
		if (name)
			seq_puts(sf, name);
		else
			seq_printf(sf, "%u", f->leaf);
		seq_printf(sf, ":%llu:%u:%#llx%s\n", f->nth,
			   f->times ? f->times : 1, f->status,
			   f->point == SWMOD_FAULT_AT_ENTROPY ? ":entropy" : "");
	}
	mutex_unlock(&tdx_swmod_fault_lock);
}

/**
 * tdx_swmod_arm_vp_exit() - Script the exit the next TDH.VP.ENTER returns
 * @spec: "tdvmcall MASK R10 R11 R12 R13 R14 R15", "ept GPA QUAL" or
 *	  "none" (swmod_param_parse_vp_exit()); cut up by the parser
 *
 * Any vCPU's next entry that passes the checks takes the exit; arming
 * may race with entries on other CPUs (the engine hands the exit over
 * without a lock).  Process context.  The exit lives in the module
 * instance: a test reset forgets it.
 *
 * Return: 0, -EINVAL for a malformed @spec, -EBUSY while an exit is
 * armed, -ENODEV before the module instance exists.
 */
int tdx_swmod_arm_vp_exit(char *spec)
{
	struct swmod_vp_exit exit;
	int ret;

	ret = swmod_param_parse_vp_exit(spec, &exit);
	if (ret)
		return ret;
	/* The instance stays while the lock is held (tdx_swmod_stop()). */
	mutex_lock(&tdx_swmod_fault_lock);
	ret = tdx_swmod ? swmod_vp_exit_arm(tdx_swmod, &exit) : -ENODEV;
	mutex_unlock(&tdx_swmod_fault_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(tdx_swmod_arm_vp_exit);	/* for the KUnit test module */

/* The three lines of swmod_vp_exit_format(); all 0 without an instance. */
void tdx_swmod_show_vp_exit(struct seq_file *sf)
{
	struct swmod_vp_exit_info info = {};
	char buf[256];

	mutex_lock(&tdx_swmod_fault_lock);
	if (tdx_swmod)
		swmod_vp_exit_info(tdx_swmod, &info);
	mutex_unlock(&tdx_swmod_fault_lock);
	swmod_vp_exit_format(&info, buf, sizeof(buf));
	seq_puts(sf, buf);
}

/*
 * Free the instance and disarm every fault, for a test reset (the next
 * tdx_enable() starts a fresh module, as after a cold boot) or when
 * tdx_host.ko unloads.  Called by tdx_swmod_reset_module() or
 * tdx_exit() with tdx_module_lock held, before the module is
 * initialized, when no SEAMCALL runs.
 */
void tdx_swmod_stop(void)
{
	struct swmod *m = tdx_swmod;

	mutex_lock(&tdx_swmod_fault_lock);
	WRITE_ONCE(tdx_swmod, NULL);
	swmod_destroy(m);
	swmod_kplat_destroy(tdx_swmod_plat);
	tdx_swmod_plat = NULL;
	tdx_swmod_param.nr_faults = 0;
	mutex_unlock(&tdx_swmod_fault_lock);
}

unsigned int tdx_swmod_get_init_delay(void)
{
	return READ_ONCE(tdx_swmod_init_delay_ms);
}

void tdx_swmod_set_init_delay(unsigned int ms)
{
	WRITE_ONCE(tdx_swmod_init_delay_ms, ms);
}

/* debugfs swmod/owned_pages: 4 KiB pages TDs own in the module. */
u64 tdx_swmod_owned_pages(void)
{
	/* Pairs with smp_store_release() in tdx_swmod_start(). */
	struct swmod *m = smp_load_acquire(&tdx_swmod);

	return m ? swmod_owned_pages(m) : 0;
}
EXPORT_SYMBOL_GPL(tdx_swmod_owned_pages);

/**
 * tdx_swmod_read_mrtd() - The MRTD of a finalized TD, for tests
 * @tdr: the TD's TDR page
 * @mrtd: 48 bytes
 *
 * The software module does not implement TDH.MNG.RD yet; tests read
 * the measurement through this instead.  Call it with no TD leaf
 * running on @tdr.
 *
 * Return: 0, -ENODEV without the software module, -EINVAL if @tdr is
 * not a finalized TD.
 */
int tdx_swmod_read_mrtd(phys_addr_t tdr, u8 *mrtd)
{
	/* Pairs with smp_store_release() in tdx_swmod_start(). */
	struct swmod *m = smp_load_acquire(&tdx_swmod);

	if (!m)
		return -ENODEV;
	return swmod_td_mrtd(m, tdr, mrtd);
}
EXPORT_SYMBOL_GPL(tdx_swmod_read_mrtd);

/**
 * tdx_swmod_set_unmap() - TD pages out of the direct map, or not
 * @on: unmap pages that TDs own from now on
 *
 * For comparisons (the benchmark).  Only while no page is TD-owned, so
 * that every hidden page is restored by the same rule that hid it.
 *
 * Return: 0, -ENODEV before tdx_enable(), -EBUSY while pages are owned,
 * -EOPNOTSUPP to turn it on where it is off (not built, or
 * tdx_swmod_unmap=off).
 */
int tdx_swmod_set_unmap(bool on)
{
	int ret;

	mutex_lock(&tdx_swmod_fault_lock);
	if (!tdx_swmod)
		ret = -ENODEV;
	else if (swmod_owned_pages(tdx_swmod))
		ret = -EBUSY;
	else
		ret = swmod_kplat_unmap_enable(tdx_swmod_plat, on);
	mutex_unlock(&tdx_swmod_fault_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(tdx_swmod_set_unmap);

/* Are TD pages taken out of the direct map now? */
bool tdx_swmod_unmap_enabled(void)
{
	/* Pairs with smp_store_release() in tdx_swmod_start(). */
	return smp_load_acquire(&tdx_swmod) && tdx_swmod_plat &&
	       swmod_kplat_unmap_enabled(tdx_swmod_plat);
}
EXPORT_SYMBOL_GPL(tdx_swmod_unmap_enabled);

/* Is the direct-map entry of @pa not present (a hidden TD page)? */
bool tdx_swmod_page_hidden(phys_addr_t pa)
{
	return swmod_dmap_hidden(pa);
}
EXPORT_SYMBOL_GPL(tdx_swmod_page_hidden);
