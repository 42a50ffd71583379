/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvm_intel's TDX side: the software state of TDX guests (TDs) and the
 * entry points main.c dispatches to.  TDs exist once TDX is enabled at
 * load (tdx_setup.c); until KVM_TDX_INIT_VM and TD vCPUs are implemented
 * a TD is a VM without vCPUs.
 */
#ifndef __KVM_X86_VMX_TDX_H
#define __KVM_X86_VMX_TDX_H

#include <linux/kvm_host.h>

/*
 * A TD.  The common struct kvm comes first (to_kvm_tdx() and the
 * vm_size of vt_x86_ops depend on it); the TD's own state follows.
 */
struct kvm_tdx {
	struct kvm kvm;
	/* Set once the TD's control structures exist (KVM_TDX_INIT_VM). */
	bool initialized;
};

/* A TD vCPU; the common struct kvm_vcpu comes first, as for kvm_tdx. */
struct vcpu_tdx {
	struct kvm_vcpu vcpu;
};

static inline bool is_td(struct kvm *kvm)
{
	return kvm->arch.vm_type == KVM_X86_TDX_VM;
}

static inline struct kvm_tdx *to_kvm_tdx(struct kvm *kvm)
{
	return container_of(kvm, struct kvm_tdx, kvm);
}

/* kvm_intel.tdx: asked for at load; cleared if TDX cannot be enabled. */
extern bool enable_tdx;

void tdx_hardware_setup(struct kvm_x86_ops *ops);

int tdx_vm_init(struct kvm *kvm);
void tdx_vm_destroy(struct kvm *kvm);
int tdx_vcpu_precreate(struct kvm *kvm);

#endif /* __KVM_X86_VMX_TDX_H */
