/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VMX implementations of the kvm_x86_ops callbacks (vmx.c), and the
 * one ops table kvm_intel registers, vt_x86_ops (main.c), which calls
 * them directly or through a wrapper that dispatches on the VM type.
 */
#ifndef __KVM_X86_VMX_X86_OPS_H
#define __KVM_X86_VMX_X86_OPS_H

#include <linux/kvm_host.h>

extern struct kvm_x86_ops vt_x86_ops;

int vt_hardware_setup(void);
unsigned int vt_vcpu_size(void);
unsigned int vt_vcpu_align(void);

int vmx_hardware_setup(void);
bool vmx_apic_init_signal_blocked(struct kvm_vcpu *vcpu);
void vmx_apicv_pre_state_restore(struct kvm_vcpu *vcpu);
void vmx_cache_reg(struct kvm_vcpu *vcpu, enum kvm_reg reg);
bool vmx_can_emulate_instruction(struct kvm_vcpu *vcpu, int emul_type,
				 void *insn, int insn_len);
void vmx_cancel_hv_timer(struct kvm_vcpu *vcpu);
void vmx_cancel_injection(struct kvm_vcpu *vcpu);
bool vmx_check_apicv_inhibit_reasons(enum kvm_apicv_inhibit reason);
int vmx_check_intercept(struct kvm_vcpu *vcpu,
			struct x86_instruction_info *info,
			enum x86_intercept_stage stage,
			struct x86_exception *exception);
void vmx_deliver_interrupt(struct kvm_lapic *apic, int delivery_mode,
			   int trig_mode, int vector);
void vmx_enable_irq_window(struct kvm_vcpu *vcpu);
void vmx_enable_nmi_window(struct kvm_vcpu *vcpu);
void vmx_enable_smi_window(struct kvm_vcpu *vcpu);
int vmx_enter_smm(struct kvm_vcpu *vcpu, char *smstate);
void vmx_flush_tlb_all(struct kvm_vcpu *vcpu);
void vmx_flush_tlb_current(struct kvm_vcpu *vcpu);
void vmx_flush_tlb_guest(struct kvm_vcpu *vcpu);
void vmx_flush_tlb_gva(struct kvm_vcpu *vcpu, gva_t addr);
void vmx_get_cs_db_l_bits(struct kvm_vcpu *vcpu, int *db, int *l);
void vmx_get_exit_info(struct kvm_vcpu *vcpu, u32 *reason,
		       u64 *info1, u64 *info2,
		       u32 *intr_info, u32 *error_code);
void vmx_get_gdt(struct kvm_vcpu *vcpu, struct desc_ptr *dt);
void vmx_get_idt(struct kvm_vcpu *vcpu, struct desc_ptr *dt);
bool vmx_get_if_flag(struct kvm_vcpu *vcpu);
int vmx_get_msr(struct kvm_vcpu *vcpu, struct msr_data *msr_info);
int vmx_get_msr_feature(struct kvm_msr_entry *msr);
u8 vmx_get_mt_mask(struct kvm_vcpu *vcpu, gfn_t gfn, bool is_mmio);
u64 vmx_get_segment_base(struct kvm_vcpu *vcpu, int seg);
int vmx_handle_exit(struct kvm_vcpu *vcpu, fastpath_t exit_fastpath);
void vmx_handle_exit_irqoff(struct kvm_vcpu *vcpu);
void vmx_hardware_disable(void);
int vmx_hardware_enable(void);
void vmx_hardware_unsetup(void);
bool vmx_has_emulated_msr(struct kvm *kvm, u32 index);
void vmx_hwapic_irr_update(struct kvm_vcpu *vcpu, int max_irr);
void vmx_hwapic_isr_update(struct kvm_vcpu *vcpu, int max_isr);
void vmx_inject_exception(struct kvm_vcpu *vcpu);
void vmx_inject_irq(struct kvm_vcpu *vcpu, bool reinjected);
void vmx_inject_nmi(struct kvm_vcpu *vcpu);
int vmx_interrupt_allowed(struct kvm_vcpu *vcpu, bool for_injection);
bool vmx_is_valid_cr0(struct kvm_vcpu *vcpu, unsigned long cr0);
bool vmx_is_valid_cr4(struct kvm_vcpu *vcpu, unsigned long cr4);
int vmx_leave_smm(struct kvm_vcpu *vcpu, const char *smstate);
void vmx_load_eoi_exitmap(struct kvm_vcpu *vcpu, u64 *eoi_exit_bitmap);
void vmx_load_mmu_pgd(struct kvm_vcpu *vcpu, hpa_t root_hpa,
		      int root_level);
void vmx_migrate_timers(struct kvm_vcpu *vcpu);
void vmx_msr_filter_changed(struct kvm_vcpu *vcpu);
int vmx_nmi_allowed(struct kvm_vcpu *vcpu, bool for_injection);
void vmx_patch_hypercall(struct kvm_vcpu *vcpu, unsigned char *hypercall);
void vmx_sched_in(struct kvm_vcpu *vcpu, int cpu);
void vmx_set_apic_access_page_addr(struct kvm_vcpu *vcpu);
void vmx_set_dr7(struct kvm_vcpu *vcpu, unsigned long val);
void vmx_set_gdt(struct kvm_vcpu *vcpu, struct desc_ptr *dt);
int vmx_set_hv_timer(struct kvm_vcpu *vcpu, u64 guest_deadline_tsc,
		     bool *expired);
int vmx_set_identity_map_addr(struct kvm *kvm, u64 ident_addr);
void vmx_set_idt(struct kvm_vcpu *vcpu, struct desc_ptr *dt);
int vmx_set_msr(struct kvm_vcpu *vcpu, struct msr_data *msr_info);
void vmx_set_segment(struct kvm_vcpu *vcpu, struct kvm_segment *var, int seg);
int vmx_set_tss_addr(struct kvm *kvm, unsigned int addr);
void vmx_setup_mce(struct kvm_vcpu *vcpu);
int vmx_skip_emulated_instruction(struct kvm_vcpu *vcpu);
int vmx_smi_allowed(struct kvm_vcpu *vcpu, bool for_injection);
void vmx_sync_dirty_debug_regs(struct kvm_vcpu *vcpu);
int vmx_sync_pir_to_irr(struct kvm_vcpu *vcpu);
void vmx_update_cr8_intercept(struct kvm_vcpu *vcpu, int tpr, int irr);
void vmx_update_emulated_instruction(struct kvm_vcpu *vcpu);
void vmx_vcpu_after_set_cpuid(struct kvm_vcpu *vcpu);
int vmx_vcpu_create(struct kvm_vcpu *vcpu);
void vmx_vcpu_free(struct kvm_vcpu *vcpu);
void vmx_vcpu_load(struct kvm_vcpu *vcpu, int cpu);
int vmx_vcpu_pre_run(struct kvm_vcpu *vcpu);
int vmx_vcpu_precreate(struct kvm *kvm);
void vmx_vcpu_put(struct kvm_vcpu *vcpu);
void vmx_vcpu_reset(struct kvm_vcpu *vcpu, bool init_event);
fastpath_t vmx_vcpu_run(struct kvm_vcpu *vcpu, u64 run_flags);
void vmx_vm_destroy(struct kvm *kvm);
int vmx_vm_init(struct kvm *kvm);
void vmx_write_tsc_multiplier(struct kvm_vcpu *vcpu, u64 multiplier);
void vmx_write_tsc_offset(struct kvm_vcpu *vcpu, u64 offset);

#endif /* __KVM_X86_VMX_X86_OPS_H */
