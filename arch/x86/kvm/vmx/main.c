// SPDX-License-Identifier: GPL-2.0
/*
 * kvm_intel's x86 ops: one table, vt_x86_ops, for every VM kvm_intel runs.
 *
 * A callback whose work is the same for every VM type points straight at
 * its VMX implementation (vmx.c, declared in x86_ops.h).  A callback that
 * differs for TDX guests (TDs) points at a vt_*() wrapper here, which
 * checks the VM or vCPU type and calls into tdx.c or vmx.c; wrappers hold
 * no other logic.  The VM lifecycle and KVM_MEMORY_ENCRYPT_OP are wrapped
 * today; the vCPU callbacks
 * (run loop, exits, register and MSR access, injection, load_mmu_pgd)
 * gain their TD branches with TD vCPUs, which TDs cannot have yet
 * (tdx_vcpu_precreate()).
 *
 * vmx_hardware_setup() adjusts the table before kvm_arch_hardware_setup()
 * copies it into kvm_x86_ops.
 */
#include <linux/kvm_host.h>

#include "capabilities.h"
#include "nested.h"
#include "posted_intr.h"
#include "tdx.h"
#include "vmx.h"
#include "x86_ops.h"

__init int vt_hardware_setup(void)
{
	int r;

	r = vmx_hardware_setup();
	if (r)
		return r;
	/* Never fails: without TDX, kvm_intel serves VMX guests. */
	tdx_hardware_setup(&vt_x86_ops);
	return 0;
}

/*
 * The size and alignment of the vCPU structure kvm_init() allocates, for
 * VMX and TD vCPUs alike.  kvm_init() needs them before vt_hardware_setup()
 * knows whether TDX can be enabled, so they follow kvm_intel.tdx.
 */
unsigned int vt_vcpu_size(void)
{
	if (enable_tdx)
		return max(sizeof(struct vcpu_vmx), sizeof(struct vcpu_tdx));
	return sizeof(struct vcpu_vmx);
}

unsigned int vt_vcpu_align(void)
{
	if (enable_tdx)
		return max(__alignof__(struct vcpu_vmx),
			   __alignof__(struct vcpu_tdx));
	return __alignof__(struct vcpu_vmx);
}

static int vt_vm_init(struct kvm *kvm)
{
	if (is_td(kvm))
		return tdx_vm_init(kvm);
	return vmx_vm_init(kvm);
}

static void vt_vm_destroy(struct kvm *kvm)
{
	if (is_td(kvm))
		tdx_vm_destroy(kvm);
	else
		vmx_vm_destroy(kvm);
}

static int vt_vcpu_precreate(struct kvm *kvm)
{
	if (is_td(kvm))
		return tdx_vcpu_precreate(kvm);
	return vmx_vcpu_precreate(kvm);
}

/* KVM_MEMORY_ENCRYPT_OP: TDs are built through it; VMX guests have none. */
static int vt_mem_enc_ioctl(struct kvm *kvm, void __user *argp)
{
	if (is_td(kvm))
		return tdx_vm_ioctl(kvm, argp);
	return -ENOTTY;
}

struct kvm_x86_ops vt_x86_ops __initdata = {
	.name = "kvm_intel",

	.hardware_unsetup = vmx_hardware_unsetup,

	.hardware_enable = vmx_hardware_enable,
	.hardware_disable = vmx_hardware_disable,
	.has_emulated_msr = vmx_has_emulated_msr,

	/* Raised to cover a TD when TDX is enabled (tdx_hardware_setup()). */
	.vm_size = sizeof(struct kvm_vmx),
	.vm_init = vt_vm_init,
	.vm_destroy = vt_vm_destroy,

	.vcpu_precreate = vt_vcpu_precreate,
	.vcpu_create = vmx_vcpu_create,
	.vcpu_free = vmx_vcpu_free,
	.vcpu_reset = vmx_vcpu_reset,

	.prepare_switch_to_guest = vmx_prepare_switch_to_guest,
	.vcpu_load = vmx_vcpu_load,
	.vcpu_put = vmx_vcpu_put,

	.HOST_OWNED_DEBUGCTL = DEBUGCTLMSR_FREEZE_IN_SMM,

	.update_exception_bitmap = vmx_update_exception_bitmap,
	.get_msr_feature = vmx_get_msr_feature,
	.get_msr = vmx_get_msr,
	.set_msr = vmx_set_msr,
	.get_segment_base = vmx_get_segment_base,
	.get_segment = vmx_get_segment,
	.set_segment = vmx_set_segment,
	.get_cpl = vmx_get_cpl,
	.get_cs_db_l_bits = vmx_get_cs_db_l_bits,
	.is_valid_cr0 = vmx_is_valid_cr0,
	.set_cr0 = vmx_set_cr0,
	.is_valid_cr4 = vmx_is_valid_cr4,
	.set_cr4 = vmx_set_cr4,
	.set_efer = vmx_set_efer,
	.get_idt = vmx_get_idt,
	.set_idt = vmx_set_idt,
	.get_gdt = vmx_get_gdt,
	.set_gdt = vmx_set_gdt,
	.set_dr7 = vmx_set_dr7,
	.sync_dirty_debug_regs = vmx_sync_dirty_debug_regs,
	.cache_reg = vmx_cache_reg,
	.get_rflags = vmx_get_rflags,
	.set_rflags = vmx_set_rflags,
	.get_if_flag = vmx_get_if_flag,

	.flush_tlb_all = vmx_flush_tlb_all,
	.flush_tlb_current = vmx_flush_tlb_current,
	.flush_tlb_gva = vmx_flush_tlb_gva,
	.flush_tlb_guest = vmx_flush_tlb_guest,

	.vcpu_pre_run = vmx_vcpu_pre_run,
	.vcpu_run = vmx_vcpu_run,
	.handle_exit = vmx_handle_exit,
	.skip_emulated_instruction = vmx_skip_emulated_instruction,
	.update_emulated_instruction = vmx_update_emulated_instruction,
	.set_interrupt_shadow = vmx_set_interrupt_shadow,
	.get_interrupt_shadow = vmx_get_interrupt_shadow,
	.patch_hypercall = vmx_patch_hypercall,
	.inject_irq = vmx_inject_irq,
	.inject_nmi = vmx_inject_nmi,
	.inject_exception = vmx_inject_exception,
	.cancel_injection = vmx_cancel_injection,
	.interrupt_allowed = vmx_interrupt_allowed,
	.nmi_allowed = vmx_nmi_allowed,
	.get_nmi_mask = vmx_get_nmi_mask,
	.set_nmi_mask = vmx_set_nmi_mask,
	.enable_nmi_window = vmx_enable_nmi_window,
	.enable_irq_window = vmx_enable_irq_window,
	.update_cr8_intercept = vmx_update_cr8_intercept,

	.x2apic_icr_is_split = false,
	.set_virtual_apic_mode = vmx_set_virtual_apic_mode,
	.set_apic_access_page_addr = vmx_set_apic_access_page_addr,
	.refresh_apicv_exec_ctrl = vmx_refresh_apicv_exec_ctrl,
	.load_eoi_exitmap = vmx_load_eoi_exitmap,
	.apicv_pre_state_restore = vmx_apicv_pre_state_restore,
	.check_apicv_inhibit_reasons = vmx_check_apicv_inhibit_reasons,
	.hwapic_irr_update = vmx_hwapic_irr_update,
	.hwapic_isr_update = vmx_hwapic_isr_update,
	.sync_pir_to_irr = vmx_sync_pir_to_irr,
	.deliver_interrupt = vmx_deliver_interrupt,
	.dy_apicv_has_pending_interrupt = pi_has_pending_interrupt,

	.set_tss_addr = vmx_set_tss_addr,
	.set_identity_map_addr = vmx_set_identity_map_addr,
	.get_mt_mask = vmx_get_mt_mask,

	.get_exit_info = vmx_get_exit_info,

	.vcpu_after_set_cpuid = vmx_vcpu_after_set_cpuid,

	.has_wbinvd_exit = cpu_has_vmx_wbinvd_exit,

	.get_l2_tsc_offset = vmx_get_l2_tsc_offset,
	.get_l2_tsc_multiplier = vmx_get_l2_tsc_multiplier,
	.write_tsc_offset = vmx_write_tsc_offset,
	.write_tsc_multiplier = vmx_write_tsc_multiplier,

	.load_mmu_pgd = vmx_load_mmu_pgd,

	.check_intercept = vmx_check_intercept,
	.handle_exit_irqoff = vmx_handle_exit_irqoff,

	.sched_in = vmx_sched_in,

	.cpu_dirty_log_size = PML_ENTITY_NUM,
	.update_cpu_dirty_logging = vmx_update_cpu_dirty_logging,

	.nested_ops = &vmx_nested_ops,

	.pi_update_irte = vmx_pi_update_irte,
	.pi_start_assignment = vmx_pi_start_assignment,

#ifdef CONFIG_X86_64
	.set_hv_timer = vmx_set_hv_timer,
	.cancel_hv_timer = vmx_cancel_hv_timer,
#endif

	.setup_mce = vmx_setup_mce,

	.smi_allowed = vmx_smi_allowed,
	.enter_smm = vmx_enter_smm,
	.leave_smm = vmx_leave_smm,
	.enable_smi_window = vmx_enable_smi_window,

	.can_emulate_instruction = vmx_can_emulate_instruction,
	.apic_init_signal_blocked = vmx_apic_init_signal_blocked,
	.migrate_timers = vmx_migrate_timers,

	.msr_filter_changed = vmx_msr_filter_changed,
	.complete_emulated_msr = kvm_complete_insn_gp,

	.vcpu_deliver_sipi_vector = kvm_vcpu_deliver_sipi_vector,

	.mem_enc_ioctl = vt_mem_enc_ioctl,
	/* Set when TDX is enabled (tdx_hardware_setup()). */
	.dev_mem_enc_ioctl = NULL,
};
