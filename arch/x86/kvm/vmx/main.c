// SPDX-License-Identifier: GPL-2.0
/*
 * kvm_intel's x86 ops: one table, vt_x86_ops, for every VM kvm_intel runs.
 *
 * A callback whose work is the same for every VM type points straight at
 * its VMX implementation (vmx.c, declared in x86_ops.h).  A callback that
 * differs for TDX guests (TDs) points at a vt_*() wrapper here, which
 * checks the VM or vCPU type and calls into tdx.c, tdx_vcpu.c or vmx.c;
 * wrappers hold no other logic.
 *
 * A TD vCPU has no VMCS: its registers, MSRs, segments, control registers
 * and pending events are the TDX module's.  So every callback that reaches
 * a vCPU's VMCS or VMX state has a TD branch: the lifecycle, load and run
 * callbacks go to tdx_vcpu.c; setters of guest state do nothing for a TD
 * (the module owns the state; KVM_SET_REGS and the like succeed without
 * effect, as in the 2022 TDX series), getters report nothing (zero), and
 * MSR reads are refused.  Nested VMX is not offered to TDs.  The VM-wide
 * callbacks that reach VMX state (TSS and identity-map addresses, posted
 * interrupts of assigned devices) have a TD branch too.  The callbacks
 * left pointing at vmx.c are not reached for a TD vCPU (guest mode only)
 * or do not touch VMX state (vmx_get_mt_mask()).
 *
 * vmx_hardware_setup() adjusts the table before kvm_arch_hardware_setup()
 * copies it into kvm_x86_ops.
 */
#include <linux/kvm_host.h>

#include "capabilities.h"
#include "lapic.h"
#include "nested.h"
#include "posted_intr.h"
#include "tdx.h"
#include "vmx.h"
#include "x86_ops.h"
#include "x86.h"

static struct kvm_x86_nested_ops vt_nested_ops __ro_after_init;
static __init void vt_nested_setup(void);
static __init void vt_hyperv_setup(void);

__init int vt_hardware_setup(void)
{
	int r;

	r = vmx_hardware_setup();
	if (r)
		return r;
	vt_nested_setup();
	vt_hyperv_setup();
	/* Never fails: without TDX, kvm_intel serves VMX guests. */
	tdx_hardware_setup(&vt_x86_ops);
	return 0;
}

/*
 * The size and alignment of the vCPU structure kvm_init() allocates, for
 * VMX and TD vCPUs alike.  kvm_init() needs them before vt_hardware_setup()
 * knows whether TDX can be enabled, so they follow kvm_intel.tdx.
 */
/*
 * The Intel PMU code (pmu_intel.c, through kvm_pmu_ops) reaches
 * to_vmx(vcpu)->lbr_desc of every vCPU kvm_intel has, TD vCPUs too
 * (KVM_SET_CPUID2 refreshes the PMU).  In a TD vCPU that memory is
 * unused as long as struct vcpu_tdx ends before it.
 */
static_assert(sizeof(struct vcpu_tdx) <= offsetof(struct vcpu_vmx, lbr_desc));

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

/* Flush the TD vCPUs associated with this CPU before VMXOFF. */
static void vt_hardware_disable(void)
{
	if (enable_tdx)
		tdx_hardware_disable();
	vmx_hardware_disable();
}

static int vt_vcpu_create(struct kvm_vcpu *vcpu)
{
	if (is_td_vcpu(vcpu))
		return tdx_vcpu_create(vcpu);
	return vmx_vcpu_create(vcpu);
}

static void vt_vcpu_free(struct kvm_vcpu *vcpu)
{
	if (is_td_vcpu(vcpu))
		tdx_vcpu_free(vcpu);
	else
		vmx_vcpu_free(vcpu);
}

/* The module resets a TD vCPU (TDH.VP.INIT). */
static void vt_vcpu_reset(struct kvm_vcpu *vcpu, bool init_event)
{
	if (!is_td_vcpu(vcpu))
		vmx_vcpu_reset(vcpu, init_event);
}

static void vt_prepare_switch_to_guest(struct kvm_vcpu *vcpu)
{
	if (!is_td_vcpu(vcpu))
		vmx_prepare_switch_to_guest(vcpu);
}

static void vt_vcpu_load(struct kvm_vcpu *vcpu, int cpu)
{
	if (is_td_vcpu(vcpu))
		tdx_vcpu_load(vcpu, cpu);
	else
		vmx_vcpu_load(vcpu, cpu);
}

static void vt_vcpu_put(struct kvm_vcpu *vcpu)
{
	if (!is_td_vcpu(vcpu))
		vmx_vcpu_put(vcpu);
}

static void vt_update_exception_bitmap(struct kvm_vcpu *vcpu)
{
	if (!is_td_vcpu(vcpu))
		vmx_update_exception_bitmap(vcpu);
}

/* A TD's MSRs are the module's: reads are refused. */
static int vt_get_msr(struct kvm_vcpu *vcpu, struct msr_data *msr_info)
{
	if (is_td_vcpu(vcpu))
		return tdx_get_msr(vcpu, msr_info);
	return vmx_get_msr(vcpu, msr_info);
}

static int vt_set_msr(struct kvm_vcpu *vcpu, struct msr_data *msr_info)
{
	if (is_td_vcpu(vcpu))
		return tdx_set_msr(vcpu, msr_info);
	return vmx_set_msr(vcpu, msr_info);
}

static u64 vt_get_segment_base(struct kvm_vcpu *vcpu, int seg)
{
	if (is_td_vcpu(vcpu))
		return 0;
	return vmx_get_segment_base(vcpu, seg);
}

static void vt_get_segment(struct kvm_vcpu *vcpu, struct kvm_segment *var,
			   int seg)
{
	if (is_td_vcpu(vcpu))
		memset(var, 0, sizeof(*var));
	else
		vmx_get_segment(vcpu, var, seg);
}

static void vt_set_segment(struct kvm_vcpu *vcpu, struct kvm_segment *var,
			   int seg)
{
	if (!is_td_vcpu(vcpu))
		vmx_set_segment(vcpu, var, seg);
}

static int vt_get_cpl(struct kvm_vcpu *vcpu)
{
	if (is_td_vcpu(vcpu))
		return 0;
	return vmx_get_cpl(vcpu);
}

static void vt_get_cs_db_l_bits(struct kvm_vcpu *vcpu, int *db, int *l)
{
	if (is_td_vcpu(vcpu)) {
		*db = 0;
		*l = 0;
	} else {
		vmx_get_cs_db_l_bits(vcpu, db, l);
	}
}

static bool vt_is_valid_cr0(struct kvm_vcpu *vcpu, unsigned long cr0)
{
	if (is_td_vcpu(vcpu))
		return true;
	return vmx_is_valid_cr0(vcpu, cr0);
}

static bool vt_is_valid_cr4(struct kvm_vcpu *vcpu, unsigned long cr4)
{
	if (is_td_vcpu(vcpu))
		return true;
	return vmx_is_valid_cr4(vcpu, cr4);
}

static void vt_set_cr0(struct kvm_vcpu *vcpu, unsigned long cr0)
{
	if (!is_td_vcpu(vcpu))
		vmx_set_cr0(vcpu, cr0);
}

static void vt_set_cr4(struct kvm_vcpu *vcpu, unsigned long cr4)
{
	if (!is_td_vcpu(vcpu))
		vmx_set_cr4(vcpu, cr4);
}

static int vt_set_efer(struct kvm_vcpu *vcpu, u64 efer)
{
	if (is_td_vcpu(vcpu))
		return 0;
	return vmx_set_efer(vcpu, efer);
}

static void vt_get_idt(struct kvm_vcpu *vcpu, struct desc_ptr *dt)
{
	if (is_td_vcpu(vcpu))
		memset(dt, 0, sizeof(*dt));
	else
		vmx_get_idt(vcpu, dt);
}

static void vt_set_idt(struct kvm_vcpu *vcpu, struct desc_ptr *dt)
{
	if (!is_td_vcpu(vcpu))
		vmx_set_idt(vcpu, dt);
}

static void vt_get_gdt(struct kvm_vcpu *vcpu, struct desc_ptr *dt)
{
	if (is_td_vcpu(vcpu))
		memset(dt, 0, sizeof(*dt));
	else
		vmx_get_gdt(vcpu, dt);
}

static void vt_set_gdt(struct kvm_vcpu *vcpu, struct desc_ptr *dt)
{
	if (!is_td_vcpu(vcpu))
		vmx_set_gdt(vcpu, dt);
}

static void vt_set_dr7(struct kvm_vcpu *vcpu, unsigned long val)
{
	if (!is_td_vcpu(vcpu))
		vmx_set_dr7(vcpu, val);
}

static void vt_sync_dirty_debug_regs(struct kvm_vcpu *vcpu)
{
	if (!is_td_vcpu(vcpu))
		vmx_sync_dirty_debug_regs(vcpu);
}

static void vt_cache_reg(struct kvm_vcpu *vcpu, enum kvm_reg reg)
{
	if (!is_td_vcpu(vcpu))
		vmx_cache_reg(vcpu, reg);
}

static unsigned long vt_get_rflags(struct kvm_vcpu *vcpu)
{
	if (is_td_vcpu(vcpu))
		return 0;
	return vmx_get_rflags(vcpu);
}

static void vt_set_rflags(struct kvm_vcpu *vcpu, unsigned long rflags)
{
	if (!is_td_vcpu(vcpu))
		vmx_set_rflags(vcpu, rflags);
}

static bool vt_get_if_flag(struct kvm_vcpu *vcpu)
{
	if (is_td_vcpu(vcpu))
		return false;
	return vmx_get_if_flag(vcpu);
}

/* The module flushes a TD's TLB entries (TDH.MEM.TRACK, VP.ENTER). */
static void vt_flush_tlb_all(struct kvm_vcpu *vcpu)
{
	if (!is_td_vcpu(vcpu))
		vmx_flush_tlb_all(vcpu);
}

static void vt_flush_tlb_current(struct kvm_vcpu *vcpu)
{
	if (!is_td_vcpu(vcpu))
		vmx_flush_tlb_current(vcpu);
}

static void vt_flush_tlb_gva(struct kvm_vcpu *vcpu, gva_t addr)
{
	if (!is_td_vcpu(vcpu))
		vmx_flush_tlb_gva(vcpu, addr);
}

static void vt_flush_tlb_guest(struct kvm_vcpu *vcpu)
{
	if (!is_td_vcpu(vcpu))
		vmx_flush_tlb_guest(vcpu);
}

/* For a TD vCPU, KVM_RUN ends here (tdx_vcpu_pre_run() returns < 0). */
static int vt_vcpu_pre_run(struct kvm_vcpu *vcpu)
{
	if (is_td_vcpu(vcpu))
		return tdx_vcpu_pre_run(vcpu);
	return vmx_vcpu_pre_run(vcpu);
}

static fastpath_t vt_vcpu_run(struct kvm_vcpu *vcpu, u64 run_flags)
{
	if (is_td_vcpu(vcpu))
		return tdx_vcpu_run(vcpu);
	return vmx_vcpu_run(vcpu, run_flags);
}

static int vt_handle_exit(struct kvm_vcpu *vcpu, fastpath_t exit_fastpath)
{
	if (is_td_vcpu(vcpu))
		return tdx_handle_exit(vcpu);
	return vmx_handle_exit(vcpu, exit_fastpath);
}

static void vt_handle_exit_irqoff(struct kvm_vcpu *vcpu)
{
	if (!is_td_vcpu(vcpu))
		vmx_handle_exit_irqoff(vcpu);
}

/* KVM does not emulate a TD's instructions. */
static int vt_skip_emulated_instruction(struct kvm_vcpu *vcpu)
{
	if (is_td_vcpu(vcpu))
		return 0;
	return vmx_skip_emulated_instruction(vcpu);
}

static void vt_update_emulated_instruction(struct kvm_vcpu *vcpu)
{
	if (!is_td_vcpu(vcpu))
		vmx_update_emulated_instruction(vcpu);
}

static bool vt_can_emulate_instruction(struct kvm_vcpu *vcpu, int emul_type,
				       void *insn, int insn_len)
{
	if (is_td_vcpu(vcpu))
		return false;
	return vmx_can_emulate_instruction(vcpu, emul_type, insn, insn_len);
}

static int vt_check_intercept(struct kvm_vcpu *vcpu,
			      struct x86_instruction_info *info,
			      enum x86_intercept_stage stage,
			      struct x86_exception *exception)
{
	if (is_td_vcpu(vcpu))
		return X86EMUL_UNHANDLEABLE;
	return vmx_check_intercept(vcpu, info, stage, exception);
}

static void vt_patch_hypercall(struct kvm_vcpu *vcpu, unsigned char *hypercall)
{
	if (!is_td_vcpu(vcpu))
		vmx_patch_hypercall(vcpu, hypercall);
}

static void vt_set_interrupt_shadow(struct kvm_vcpu *vcpu, int mask)
{
	if (!is_td_vcpu(vcpu))
		vmx_set_interrupt_shadow(vcpu, mask);
}

static u32 vt_get_interrupt_shadow(struct kvm_vcpu *vcpu)
{
	if (is_td_vcpu(vcpu))
		return 0;
	return vmx_get_interrupt_shadow(vcpu);
}

/* Events reach a TD through the module (posted interrupts), not the VMCS. */
static void vt_inject_irq(struct kvm_vcpu *vcpu, bool reinjected)
{
	if (!is_td_vcpu(vcpu))
		vmx_inject_irq(vcpu, reinjected);
}

static void vt_inject_nmi(struct kvm_vcpu *vcpu)
{
	if (!is_td_vcpu(vcpu))
		vmx_inject_nmi(vcpu);
}

static void vt_inject_exception(struct kvm_vcpu *vcpu)
{
	if (!is_td_vcpu(vcpu))
		vmx_inject_exception(vcpu);
}

static void vt_cancel_injection(struct kvm_vcpu *vcpu)
{
	if (!is_td_vcpu(vcpu))
		vmx_cancel_injection(vcpu);
}

/*
 * KVM injects nothing into a TD (the inject callbacks do nothing): an
 * interrupt or NMI stays pending rather than being acknowledged and lost.
 * Nor does it wake a halted TD vCPU, which would find it pending again at
 * every HLT and spin: delivering it needs posted interrupts into the
 * module's virtual APIC.
 */
static int vt_interrupt_allowed(struct kvm_vcpu *vcpu, bool for_injection)
{
	if (is_td_vcpu(vcpu))
		return false;
	return vmx_interrupt_allowed(vcpu, for_injection);
}

static int vt_nmi_allowed(struct kvm_vcpu *vcpu, bool for_injection)
{
	if (is_td_vcpu(vcpu))
		return false;
	return vmx_nmi_allowed(vcpu, for_injection);
}

static bool vt_get_nmi_mask(struct kvm_vcpu *vcpu)
{
	if (is_td_vcpu(vcpu))
		return false;
	return vmx_get_nmi_mask(vcpu);
}

static void vt_set_nmi_mask(struct kvm_vcpu *vcpu, bool masked)
{
	if (!is_td_vcpu(vcpu))
		vmx_set_nmi_mask(vcpu, masked);
}

static void vt_enable_nmi_window(struct kvm_vcpu *vcpu)
{
	if (!is_td_vcpu(vcpu))
		vmx_enable_nmi_window(vcpu);
}

static void vt_enable_irq_window(struct kvm_vcpu *vcpu)
{
	if (!is_td_vcpu(vcpu))
		vmx_enable_irq_window(vcpu);
}

static void vt_update_cr8_intercept(struct kvm_vcpu *vcpu, int tpr, int irr)
{
	if (!is_td_vcpu(vcpu))
		vmx_update_cr8_intercept(vcpu, tpr, irr);
}

static void vt_set_virtual_apic_mode(struct kvm_vcpu *vcpu)
{
	if (!is_td_vcpu(vcpu))
		vmx_set_virtual_apic_mode(vcpu);
}

static void vt_set_apic_access_page_addr(struct kvm_vcpu *vcpu)
{
	if (!is_td_vcpu(vcpu))
		vmx_set_apic_access_page_addr(vcpu);
}

static void vt_refresh_apicv_exec_ctrl(struct kvm_vcpu *vcpu)
{
	if (!is_td_vcpu(vcpu))
		vmx_refresh_apicv_exec_ctrl(vcpu);
}

static void vt_load_eoi_exitmap(struct kvm_vcpu *vcpu, u64 *eoi_exit_bitmap)
{
	if (!is_td_vcpu(vcpu))
		vmx_load_eoi_exitmap(vcpu, eoi_exit_bitmap);
}

static void vt_apicv_pre_state_restore(struct kvm_vcpu *vcpu)
{
	if (!is_td_vcpu(vcpu))
		vmx_apicv_pre_state_restore(vcpu);
}

static void vt_hwapic_irr_update(struct kvm_vcpu *vcpu, int max_irr)
{
	if (!is_td_vcpu(vcpu))
		vmx_hwapic_irr_update(vcpu, max_irr);
}

static void vt_hwapic_isr_update(struct kvm_vcpu *vcpu, int max_isr)
{
	if (!is_td_vcpu(vcpu))
		vmx_hwapic_isr_update(vcpu, max_isr);
}

/* A TD vCPU's pending interrupts are in its local APIC's IRR. */
static int vt_sync_pir_to_irr(struct kvm_vcpu *vcpu)
{
	if (is_td_vcpu(vcpu))
		return kvm_lapic_find_highest_irr(vcpu);
	return vmx_sync_pir_to_irr(vcpu);
}

static void vt_deliver_interrupt(struct kvm_lapic *apic, int delivery_mode,
				 int trig_mode, int vector)
{
	if (is_td_vcpu(apic->vcpu))
		tdx_deliver_interrupt(apic, delivery_mode, trig_mode, vector);
	else
		vmx_deliver_interrupt(apic, delivery_mode, trig_mode, vector);
}

static bool vt_dy_apicv_has_pending_interrupt(struct kvm_vcpu *vcpu)
{
	if (is_td_vcpu(vcpu))
		return false;
	return pi_has_pending_interrupt(vcpu);
}

static void vt_get_exit_info(struct kvm_vcpu *vcpu, u32 *reason,
			     u64 *info1, u64 *info2,
			     u32 *intr_info, u32 *error_code)
{
	if (is_td_vcpu(vcpu)) {
		*reason = 0;
		*info1 = 0;
		*info2 = 0;
		*intr_info = 0;
		*error_code = 0;
	} else {
		vmx_get_exit_info(vcpu, reason, info1, info2, intr_info,
				  error_code);
	}
}

/* The TD's CPUID was fixed by KVM_TDX_INIT_VM. */
static void vt_vcpu_after_set_cpuid(struct kvm_vcpu *vcpu)
{
	if (!is_td_vcpu(vcpu))
		vmx_vcpu_after_set_cpuid(vcpu);
}

/* The module keeps a TD's TSC offset and multiplier (from TD_PARAMS). */
static void vt_write_tsc_offset(struct kvm_vcpu *vcpu, u64 offset)
{
	if (!is_td_vcpu(vcpu))
		vmx_write_tsc_offset(vcpu, offset);
}

static void vt_write_tsc_multiplier(struct kvm_vcpu *vcpu, u64 multiplier)
{
	if (!is_td_vcpu(vcpu))
		vmx_write_tsc_multiplier(vcpu, multiplier);
}

static void vt_load_mmu_pgd(struct kvm_vcpu *vcpu, hpa_t root_hpa,
			    int root_level)
{
	if (!is_td_vcpu(vcpu))
		vmx_load_mmu_pgd(vcpu, root_hpa, root_level);
}

static void vt_sched_in(struct kvm_vcpu *vcpu, int cpu)
{
	if (!is_td_vcpu(vcpu))
		vmx_sched_in(vcpu, cpu);
}

static void vt_update_cpu_dirty_logging(struct kvm_vcpu *vcpu)
{
	if (!is_td_vcpu(vcpu))
		vmx_update_cpu_dirty_logging(vcpu);
}

#ifdef CONFIG_X86_64
/* A TD vCPU's local APIC timer is a software timer. */
static int vt_set_hv_timer(struct kvm_vcpu *vcpu, u64 guest_deadline_tsc,
			   bool *expired)
{
	if (is_td_vcpu(vcpu))
		return -EOPNOTSUPP;
	return vmx_set_hv_timer(vcpu, guest_deadline_tsc, expired);
}

static void vt_cancel_hv_timer(struct kvm_vcpu *vcpu)
{
	if (!is_td_vcpu(vcpu))
		vmx_cancel_hv_timer(vcpu);
}
#endif

static void vt_setup_mce(struct kvm_vcpu *vcpu)
{
	if (!is_td_vcpu(vcpu))
		vmx_setup_mce(vcpu);
}

/* TDs have no SMM. */
static int vt_smi_allowed(struct kvm_vcpu *vcpu, bool for_injection)
{
	if (is_td_vcpu(vcpu))
		return false;
	return vmx_smi_allowed(vcpu, for_injection);
}

static int vt_enter_smm(struct kvm_vcpu *vcpu, char *smstate)
{
	if (is_td_vcpu(vcpu))
		return -EOPNOTSUPP;
	return vmx_enter_smm(vcpu, smstate);
}

static int vt_leave_smm(struct kvm_vcpu *vcpu, const char *smstate)
{
	if (is_td_vcpu(vcpu))
		return -EOPNOTSUPP;
	return vmx_leave_smm(vcpu, smstate);
}

static void vt_enable_smi_window(struct kvm_vcpu *vcpu)
{
	if (!is_td_vcpu(vcpu))
		vmx_enable_smi_window(vcpu);
}

/* The module starts TD vCPUs; INIT does not reach them. */
static bool vt_apic_init_signal_blocked(struct kvm_vcpu *vcpu)
{
	if (is_td_vcpu(vcpu))
		return true;
	return vmx_apic_init_signal_blocked(vcpu);
}

static void vt_migrate_timers(struct kvm_vcpu *vcpu)
{
	if (!is_td_vcpu(vcpu))
		vmx_migrate_timers(vcpu);
}

static void vt_msr_filter_changed(struct kvm_vcpu *vcpu)
{
	if (!is_td_vcpu(vcpu))
		vmx_msr_filter_changed(vcpu);
}

/*
 * VM-wide VMX state, which a TD does not have (struct kvm_tdx shares its
 * bytes with struct kvm_vmx): QEMU sets both addresses for every x86 VM,
 * so a TD accepts them without effect.
 */
static int vt_set_tss_addr(struct kvm *kvm, unsigned int addr)
{
	if (is_td(kvm))
		return 0;
	return vmx_set_tss_addr(kvm, addr);
}

static int vt_set_identity_map_addr(struct kvm *kvm, u64 ident_addr)
{
	if (is_td(kvm))
		return 0;
	return vmx_set_identity_map_addr(kvm, ident_addr);
}

/*
 * A device interrupt for a TD vCPU is not posted (a TD vCPU has no VMX
 * posted-interrupt descriptor): the IRTE stays remapped, and the
 * interrupt reaches the vCPU's local APIC through the irqfd.
 */
static int vt_pi_update_irte(struct kvm *kvm, unsigned int host_irq,
			     u32 guest_irq, bool set)
{
	if (is_td(kvm))
		return 0;
	return vmx_pi_update_irte(kvm, host_irq, guest_irq, set);
}

/* KVM_MEMORY_ENCRYPT_OP on a vCPU fd: KVM_TDX_INIT_VCPU for TD vCPUs. */
static int vt_vcpu_mem_enc_ioctl(struct kvm_vcpu *vcpu, void __user *argp)
{
	if (is_td_vcpu(vcpu))
		return tdx_vcpu_ioctl(vcpu, argp);
	return -EINVAL;
}

/*
 * Nested VMX is not offered to TDs: no nested state, no eVMCS.  Leaving
 * nested operation is also asked for outside guest mode
 * (KVM_SET_VCPU_EVENTS changing SMM), and VMX's frees the VMCS it would
 * switch to.
 */
static void vt_leave_nested(struct kvm_vcpu *vcpu)
{
	if (!is_td_vcpu(vcpu))
		vmx_nested_ops.leave_nested(vcpu);
}

static int vt_get_nested_state(struct kvm_vcpu *vcpu,
			       struct kvm_nested_state __user *user_state,
			       unsigned int user_data_size)
{
	/* No vCPU: KVM_CHECK_EXTENSION asks for the size. */
	if (vcpu && is_td_vcpu(vcpu))
		return -EINVAL;
	return vmx_nested_ops.get_state(vcpu, user_state, user_data_size);
}

static int vt_set_nested_state(struct kvm_vcpu *vcpu,
			       struct kvm_nested_state __user *user_state,
			       struct kvm_nested_state *kvm_state)
{
	if (is_td_vcpu(vcpu))
		return -EINVAL;
	return vmx_nested_ops.set_state(vcpu, user_state, kvm_state);
}

static int vt_enable_evmcs(struct kvm_vcpu *vcpu, uint16_t *vmcs_version)
{
	if (is_td_vcpu(vcpu))
		return -EINVAL;
	return vmx_nested_ops.enable_evmcs(vcpu, vmcs_version);
}

static u16 vt_get_evmcs_version(struct kvm_vcpu *vcpu)
{
	/* No vCPU: the system ioctl KVM_GET_SUPPORTED_HV_CPUID. */
	if (vcpu && is_td_vcpu(vcpu))
		return 0;
	return vmx_nested_ops.get_evmcs_version(vcpu);
}

/*
 * vmx_nested_ops with the callbacks reached on any vCPU wrapped; the
 * others run only in guest mode, which a TD vCPU never is.
 */
static __init void vt_nested_setup(void)
{
	vt_nested_ops = vmx_nested_ops;
	vt_nested_ops.leave_nested = vt_leave_nested;
	vt_nested_ops.get_state = vt_get_nested_state;
	vt_nested_ops.set_state = vt_set_nested_state;
	vt_nested_ops.enable_evmcs = vt_enable_evmcs;
	vt_nested_ops.get_evmcs_version = vt_get_evmcs_version;
}

/* Hyper-V's direct TLB flush, set by vmx_init() on Hyper-V only. */
static int (*vmx_enable_direct_tlbflush)(struct kvm_vcpu *vcpu) __ro_after_init;

/* It writes the vCPU's enlightened VMCS, which a TD vCPU does not have. */
static int vt_enable_direct_tlbflush(struct kvm_vcpu *vcpu)
{
	if (is_td_vcpu(vcpu))
		return -EINVAL;
	return vmx_enable_direct_tlbflush(vcpu);
}

static __init void vt_hyperv_setup(void)
{
	vmx_enable_direct_tlbflush = vt_x86_ops.enable_direct_tlbflush;
	if (vmx_enable_direct_tlbflush)
		vt_x86_ops.enable_direct_tlbflush = vt_enable_direct_tlbflush;
}

struct kvm_x86_ops vt_x86_ops __initdata = {
	.name = "kvm_intel",

	.hardware_unsetup = vmx_hardware_unsetup,

	.hardware_enable = vmx_hardware_enable,
	.hardware_disable = vt_hardware_disable,
	.has_emulated_msr = vmx_has_emulated_msr,

	/* Raised to cover a TD when TDX is enabled (tdx_hardware_setup()). */
	.vm_size = sizeof(struct kvm_vmx),
	.vm_init = vt_vm_init,
	.vm_destroy = vt_vm_destroy,

	.vcpu_precreate = vt_vcpu_precreate,
	.vcpu_create = vt_vcpu_create,
	.vcpu_free = vt_vcpu_free,
	.vcpu_reset = vt_vcpu_reset,

	.prepare_switch_to_guest = vt_prepare_switch_to_guest,
	.vcpu_load = vt_vcpu_load,
	.vcpu_put = vt_vcpu_put,

	.HOST_OWNED_DEBUGCTL = DEBUGCTLMSR_FREEZE_IN_SMM,

	.update_exception_bitmap = vt_update_exception_bitmap,
	.get_msr_feature = vmx_get_msr_feature,
	.get_msr = vt_get_msr,
	.set_msr = vt_set_msr,
	.get_segment_base = vt_get_segment_base,
	.get_segment = vt_get_segment,
	.set_segment = vt_set_segment,
	.get_cpl = vt_get_cpl,
	.get_cs_db_l_bits = vt_get_cs_db_l_bits,
	.is_valid_cr0 = vt_is_valid_cr0,
	.set_cr0 = vt_set_cr0,
	.is_valid_cr4 = vt_is_valid_cr4,
	.set_cr4 = vt_set_cr4,
	.set_efer = vt_set_efer,
	.get_idt = vt_get_idt,
	.set_idt = vt_set_idt,
	.get_gdt = vt_get_gdt,
	.set_gdt = vt_set_gdt,
	.set_dr7 = vt_set_dr7,
	.sync_dirty_debug_regs = vt_sync_dirty_debug_regs,
	.cache_reg = vt_cache_reg,
	.get_rflags = vt_get_rflags,
	.set_rflags = vt_set_rflags,
	.get_if_flag = vt_get_if_flag,

	.flush_tlb_all = vt_flush_tlb_all,
	.flush_tlb_current = vt_flush_tlb_current,
	.flush_tlb_gva = vt_flush_tlb_gva,
	.flush_tlb_guest = vt_flush_tlb_guest,

	.vcpu_pre_run = vt_vcpu_pre_run,
	.vcpu_run = vt_vcpu_run,
	.handle_exit = vt_handle_exit,
	.skip_emulated_instruction = vt_skip_emulated_instruction,
	.update_emulated_instruction = vt_update_emulated_instruction,
	.set_interrupt_shadow = vt_set_interrupt_shadow,
	.get_interrupt_shadow = vt_get_interrupt_shadow,
	.patch_hypercall = vt_patch_hypercall,
	.inject_irq = vt_inject_irq,
	.inject_nmi = vt_inject_nmi,
	.inject_exception = vt_inject_exception,
	.cancel_injection = vt_cancel_injection,
	.interrupt_allowed = vt_interrupt_allowed,
	.nmi_allowed = vt_nmi_allowed,
	.get_nmi_mask = vt_get_nmi_mask,
	.set_nmi_mask = vt_set_nmi_mask,
	.enable_nmi_window = vt_enable_nmi_window,
	.enable_irq_window = vt_enable_irq_window,
	.update_cr8_intercept = vt_update_cr8_intercept,

	.x2apic_icr_is_split = false,
	.set_virtual_apic_mode = vt_set_virtual_apic_mode,
	.set_apic_access_page_addr = vt_set_apic_access_page_addr,
	.refresh_apicv_exec_ctrl = vt_refresh_apicv_exec_ctrl,
	.load_eoi_exitmap = vt_load_eoi_exitmap,
	.apicv_pre_state_restore = vt_apicv_pre_state_restore,
	.check_apicv_inhibit_reasons = vmx_check_apicv_inhibit_reasons,
	.hwapic_irr_update = vt_hwapic_irr_update,
	.hwapic_isr_update = vt_hwapic_isr_update,
	.sync_pir_to_irr = vt_sync_pir_to_irr,
	.deliver_interrupt = vt_deliver_interrupt,
	.dy_apicv_has_pending_interrupt = vt_dy_apicv_has_pending_interrupt,

	.set_tss_addr = vt_set_tss_addr,
	.set_identity_map_addr = vt_set_identity_map_addr,
	.get_mt_mask = vmx_get_mt_mask,

	.get_exit_info = vt_get_exit_info,

	.vcpu_after_set_cpuid = vt_vcpu_after_set_cpuid,

	.has_wbinvd_exit = cpu_has_vmx_wbinvd_exit,

	.get_l2_tsc_offset = vmx_get_l2_tsc_offset,
	.get_l2_tsc_multiplier = vmx_get_l2_tsc_multiplier,
	.write_tsc_offset = vt_write_tsc_offset,
	.write_tsc_multiplier = vt_write_tsc_multiplier,

	.load_mmu_pgd = vt_load_mmu_pgd,

	.check_intercept = vt_check_intercept,
	.handle_exit_irqoff = vt_handle_exit_irqoff,

	.sched_in = vt_sched_in,

	.cpu_dirty_log_size = PML_ENTITY_NUM,
	.update_cpu_dirty_logging = vt_update_cpu_dirty_logging,

	.nested_ops = &vt_nested_ops,

	.pi_update_irte = vt_pi_update_irte,
	.pi_start_assignment = vmx_pi_start_assignment,

#ifdef CONFIG_X86_64
	.set_hv_timer = vt_set_hv_timer,
	.cancel_hv_timer = vt_cancel_hv_timer,
#endif

	.setup_mce = vt_setup_mce,

	.smi_allowed = vt_smi_allowed,
	.enter_smm = vt_enter_smm,
	.leave_smm = vt_leave_smm,
	.enable_smi_window = vt_enable_smi_window,

	.can_emulate_instruction = vt_can_emulate_instruction,
	.apic_init_signal_blocked = vt_apic_init_signal_blocked,
	.migrate_timers = vt_migrate_timers,

	.msr_filter_changed = vt_msr_filter_changed,
	.complete_emulated_msr = kvm_complete_insn_gp,

	.vcpu_deliver_sipi_vector = kvm_vcpu_deliver_sipi_vector,

	.mem_enc_ioctl = vt_mem_enc_ioctl,
	.vcpu_mem_enc_ioctl = vt_vcpu_mem_enc_ioctl,
	/* Set when TDX is enabled (tdx_hardware_setup()). */
	.dev_mem_enc_ioctl = NULL,
};
