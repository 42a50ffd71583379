// SPDX-License-Identifier: GPL-2.0
/*
 * Enabling TDX when kvm_intel loads (kvm_intel.tdx, default on when the
 * TDX host core is built).
 *
 * The TDX module is initialized by the host core's tdx_enable(), which on
 * real hardware needs every CPU in VMX operation.  On 6.1 only kvm_intel
 * puts CPUs in VMX operation, and only while it has VMs, so at load
 * (vmx_hardware_setup(), called from kvm_init() before /dev/kvm exists)
 * this does VMXON on every online CPU, tdx_enable(), and VMXOFF again.
 *
 * Whatever fails, TDX is turned off (enable_tdx), the reason is printed,
 * and kvm_intel loads for VMX guests as without TDX: every CPU this code
 * put in VMX operation leaves it again.  A failed tdx_enable() leaves the
 * module in its error state; the host core does not retry it.
 *
 * CPU hotplug: between VMXON and VMXOFF the set of online CPUs must not
 * change, or a CPU would come up outside VMX operation (and tdx_enable()
 * would miss it) or go down inside it.  The whole sequence runs under
 * cpus_read_lock(), which is also what tdx_enable() requires of its caller
 * (it asserts the lock is held and does not take it itself).
 */
#define pr_fmt(fmt) "kvm_intel: " fmt

#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/moduleparam.h>
#include <linux/smp.h>
#include <asm/tdx.h>

#include "capabilities.h"
#include "tdx.h"
#include "x86_ops.h"

bool enable_tdx __ro_after_init = IS_ENABLED(CONFIG_INTEL_TDX_HOST);
module_param_named(tdx, enable_tdx, bool, 0444);

/* The CPUs tdx_vmxon_cpu() put in VMX operation; VMXOFF undoes exactly these. */
struct tdx_vmxon {
	cpumask_var_t on;
	atomic_t failed;
};

static void tdx_vmxon_cpu(void *arg)
{
	struct tdx_vmxon *v = arg;

	if (vmx_hardware_enable())
		atomic_inc(&v->failed);
	else
		cpumask_set_cpu(smp_processor_id(), v->on);
}

static void tdx_vmxoff_cpu(void *arg)
{
	struct tdx_vmxon *v = arg;

	if (cpumask_test_cpu(smp_processor_id(), v->on))
		vmx_hardware_disable();
}

/*
 * VMXON on every online CPU, tdx_enable(), VMXOFF.  Called with
 * cpus_read_lock() held.  Return: 0 or a negative errno, with *why set.
 */
static int tdx_enable_in_vmx(const char **why)
{
	struct tdx_vmxon v = { .failed = ATOMIC_INIT(0) };
	int ret;

	if (!zalloc_cpumask_var(&v.on, GFP_KERNEL)) {
		*why = "no memory";
		return -ENOMEM;
	}

	on_each_cpu(tdx_vmxon_cpu, &v, 1);
	if (atomic_read(&v.failed)) {
		*why = "VMXON failed on a CPU";
		ret = -EIO;
		goto vmxoff;
	}

	ret = tdx_enable();
	if (ret)
		*why = "TDX module initialization failed";

vmxoff:
	on_each_cpu(tdx_vmxoff_cpu, &v, 1);
	free_cpumask_var(v.on);
	return ret;
}

/* What TDX in kvm_intel needs besides the TDX module.  Return: why not. */
static const char *tdx_missing_prereq(void)
{
	if (!IS_ENABLED(CONFIG_INTEL_TDX_HOST))
		return "the kernel is built without the TDX host core";
	if (!enable_ept)
		return "EPT is disabled";
	if (!platform_tdx_enabled())
		return "the platform has no TDX";
	if (!IS_ENABLED(CONFIG_KVM_PRIVATE_MEM))
		return "the kernel is built without KVM private memory";
	return NULL;
}

/**
 * tdx_hardware_setup() - enable TDX for kvm_intel, if asked for
 * @ops: vt_x86_ops, before kvm_init() copies it into kvm_x86_ops
 *
 * With TDX enabled, @ops offers KVM_X86_TDX_VM, its vm_size covers a
 * TD and KVM_TDX_CAPABILITIES works on /dev/kvm.  Without, kvm_intel is
 * a VMX-only module; this never fails the load.
 */
__init void tdx_hardware_setup(struct kvm_x86_ops *ops)
{
	const char *why;
	int ret = -ENODEV;

	if (!enable_tdx)
		return;

	why = tdx_missing_prereq();
	if (!why) {
		cpus_read_lock();
		ret = tdx_enable_in_vmx(&why);
		cpus_read_unlock();
	}
	if (why) {
		enable_tdx = false;
		pr_warn("TDX disabled: %s (%d); VMX guests are not affected\n",
			why, ret);
		return;
	}

	ops->vm_size = max_t(unsigned int, ops->vm_size, sizeof(struct kvm_tdx));
	ops->vendor_vm_types |= BIT(KVM_X86_TDX_VM);
	ops->dev_mem_enc_ioctl = tdx_dev_ioctl;
	tdx_sept_setup(ops);
	tdx_vcpu_setup();
	pr_info("TDX is supported\n");
}
