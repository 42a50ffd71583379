// SPDX-License-Identifier: GPL-2.0
/*
 * TDX host core as the out-of-tree module tdx_host.ko, for Debian's
 * stock 6.1 kernel: the module's entry, its parameters, and the hooks
 * the patched kernel has and the stock one lacks.
 *
 *   modprobe tdx_host swmod=on[,KEY...] [init=1]
 *
 * swmod= takes the keys of the tdx_swmod= boot option (tdx_swmod.c).
 * Outcomes, one dmesg line each ("virt/tdx: tdx_host ..."): loaded, initialized
 * or not; refused without TDX; refused on real TDX hardware; unloaded.
 *
 * Real TDX hardware needs the patched kernel: SEAMCALL requires VMX
 * operation on every CPU, which stock kvm_intel holds only while a VM
 * exists, and VMXON from a second module behind KVM's back is not
 * something this module does.  So only the software module runs here.
 *
 * Lifetime: once the TDX module is initialized its PAMTs can never be
 * given back, so the first successful tdx_enable(), whoever calls it,
 * pins tdx_host.ko (tdx.c: a module reference that is never dropped).
 * Before that, rmmod unloads it: the core's exits (compat.h) undo its
 * initcalls, and a failed initialization has freed its PAMTs already.
 */

#define pr_fmt(fmt) "virt/tdx: " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/reboot.h>
#include <linux/suspend.h>
#include <linux/smp.h>
#include <linux/cpu.h>
#include <linux/string.h>
#include <asm/tdx.h>

#include "tdx_host.h"
#include "tdx_module.h"

/* The keys of tdx_swmod=, parsed by its parser (tdx_swmod.c) at init. */
static char swmod[512];
module_param_string(swmod, swmod, sizeof(swmod), 0444);
MODULE_PARM_DESC(swmod, "software TDX module, the keys of the tdx_swmod= boot option, e.g. on or on,init (FOR TESTING ONLY: no protection, taints)");

static bool init;
module_param(init, bool, 0444);
MODULE_PARM_DESC(init, "initialize the TDX module while loading (as the init key of swmod=)");

/* compat.h: kexec_in_progress, which the stock kernel does not export. */
bool tdx_module_kexec_in_progress;

/*
 * compat.h: acpi_suspend_lowlevel.  Non-NULL: S3 allowed.  The core
 * sets it NULL once TDX is in use; the PM notifier below then refuses
 * every suspend (the module cannot tell S3 from suspend-to-idle).
 */
static int tdx_module_s3_allowed(void)
{
	return 0;
}

int (*tdx_module_acpi_suspend_lowlevel)(void) = tdx_module_s3_allowed;

static bool tdx_module_in_use(void)
{
	struct tdx_summary sum;

	tdx_get_summary(&sum);
	return sum.state != TDX_MODULE_UNINITIALIZED;
}

static void tdx_module_stop_flush(void *unused)
{
	tdx_cpu_stop_flush();
}

/*
 * Reboot and kexec: what the patched kernel does in stop_this_cpu()
 * (every CPU flushes its caches when TDX was in use) and, for kexec,
 * in machine_kexec() (the message, the PAMT reset of the erratum), done
 * earlier, from the reboot notifier, while all CPUs still run.  A crash
 * kexec runs no notifier: not covered.
 */
static int tdx_module_reboot(struct notifier_block *nb, unsigned long action,
			     void *data)
{
	bool kexec = action == SYS_RESTART && data &&
		     !strcmp(data, "kexec reboot");

	if (kexec)
		WRITE_ONCE(tdx_module_kexec_in_progress, true);
	if (!tdx_module_in_use())
		return NOTIFY_DONE;
	smp_call_function(tdx_module_stop_flush, NULL, 1);
	if (kexec)
		tdx_kexec_flush();
	else
		tdx_cpu_stop_flush();
	return NOTIFY_DONE;
}

static struct notifier_block tdx_module_reboot_nb = {
	.notifier_call = tdx_module_reboot,
};

static int tdx_module_pm(struct notifier_block *nb, unsigned long action,
			 void *data)
{
	if (action != PM_SUSPEND_PREPARE ||
	    READ_ONCE(tdx_module_acpi_suspend_lowlevel))
		return NOTIFY_DONE;
	pr_info("tdx_host: suspend refused: TDX is in use (the module cannot tell ACPI S3 from suspend-to-idle)\n");
	return notifier_from_errno(-EPERM);
}

static struct notifier_block tdx_module_pm_nb = {
	.notifier_call = tdx_module_pm,
};

/* swmod=, on a copy: the parser cuts the options up. */
static void __init tdx_module_parse_swmod(void)
{
	static char copy[sizeof(swmod)] __initdata;

	if (!swmod[0])
		return;
	strscpy(copy, swmod, sizeof(copy));
	tdx_module_swmod_setup(copy);
}

/* Detection (the core's early initcall): is there anything to drive? */
static int __init tdx_module_detect(void)
{
	struct tdx_summary sum;

	tdx_module_parse_swmod();
	tdx_initcall_tdx_init();			/* early */

	tdx_get_summary(&sum);
	switch (sum.backend) {
	case TDX_BACKEND_SOFTWARE:
		return 0;
	case TDX_BACKEND_SEAM:
		pr_err("tdx_host not loaded: real TDX needs the patched kernel (SEAMCALL needs VMX operation, which stock KVM holds only while a VM runs)\n");
		return -EOPNOTSUPP;
	default:
		pr_info("tdx_host not loaded: no TDX (the BIOS did not enable it, or its KeyIDs are missing) and no valid swmod=on\n");
		return -ENODEV;
	}
}

static int __init tdx_module_hooks_init(void)
{
	int ret;

	ret = tdx_module_mem_init();
	if (ret)
		return ret;
	ret = register_reboot_notifier(&tdx_module_reboot_nb);
	if (ret)
		goto err_mem;
	ret = register_pm_notifier(&tdx_module_pm_nb);
	if (ret)
		goto err_reboot;
	return 0;

err_reboot:
	unregister_reboot_notifier(&tdx_module_reboot_nb);
err_mem:
	tdx_module_mem_exit();
	return ret;
}

static void __init tdx_module_report(int ret)
{
	if (!tdx_module_in_use() && !ret)
		pr_info("tdx_host loaded (software TDX module); TDX module not initialized: load with init=1 or write /sys/kernel/debug/tdx/init, or unload it\n");
	else if (!ret)
		pr_info("tdx_host loaded (software TDX module); TDX module initialized\n");
	else
		pr_err("tdx_host loaded (software TDX module); TDX module initialization failed: %d, see /sys/firmware/tdx/\n",
		       ret);
}

static int __init tdx_module_init(void)
{
	int ret;

	ret = tdx_module_detect();
	if (ret)
		return ret;
	ret = tdx_module_hooks_init();
	if (ret) {
		pr_err("tdx_host not loaded: cannot register the module's hooks: %d\n",
		       ret);
		return ret;
	}

	/* The core's initcalls; tdx_module_exit() undoes them. */
	tdx_initcall_tdx_lifecycle_start();		/* subsys */
	tdx_initcall_tdx_sysfs_init();			/* late */
	tdx_initcall_tdx_debugfs_init();		/* late */
	tdx_initcall_tdx_boot_enable();			/* late_sync */

	/* swmod=...,init initialized it already, like init=1 does. */
	if (tdx_module_in_use() || init) {
		cpus_read_lock();
		ret = tdx_enable();
		cpus_read_unlock();
	}
	tdx_module_report(ret);
	return 0;
}
module_init(tdx_module_init);

/*
 * rmmod before the TDX module is initialized (after, the module is
 * pinned and this never runs): the core's initcalls undone in reverse,
 * then the module's own hooks.  A module_exit() of the core that is not
 * listed here (and in tdx_module.h) never runs: keep the lists whole.
 */
static void __exit tdx_module_exit(void)
{
	tdx_exitcall_tdx_debugfs_exit();
	tdx_exitcall_tdx_sysfs_exit();
	tdx_exitcall_tdx_lifecycle_stop();
	tdx_exitcall_tdx_exit();
	tdx_exitcall_tdx_guest_exit();
	unregister_pm_notifier(&tdx_module_pm_nb);
	unregister_reboot_notifier(&tdx_module_reboot_nb);
	tdx_module_mem_exit();
	pr_info("tdx_host unloaded\n");
}
module_exit(tdx_module_exit);

MODULE_DESCRIPTION("Intel TDX host core (out-of-tree build for the stock 6.1 kernel)");
MODULE_LICENSE("GPL");
