/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvm_intel's TDX side: the software state of TDX guests (TDs) and the
 * entry points main.c dispatches to.  TDs exist once TDX is enabled at
 * load (tdx_setup.c).  A TD is built by KVM_MEMORY_ENCRYPT_OP
 * (KVM_TDX_INIT_VM, KVM_TDX_FINALIZE_VM); TD vCPUs are not implemented
 * yet, so a TD never runs.
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

	/*
	 * Written under kvm->lock by KVM_TDX_INIT_VM, which either builds
	 * and initializes the TD or leaves none in the module (tdr NULL),
	 * and by the teardown in vm_destroy; read under kvm->lock.  The
	 * TDR stays the same from INIT_VM to vm_destroy.
	 */
	struct page *tdr;		/* the TD, once KVM_TDX_INIT_VM built it */
	int hkid;			/* the TD's KeyID, or -1 */
	struct page **tdcs;		/* tdcs_nr_pages TDCX pages */
	unsigned int nr_tdcs;		/* allocated in tdcs[] */
	unsigned int nr_tdcs_added;	/* of them, given by TDH.MNG.ADDCX */

	/*
	 * Set by KVM_TDX_FINALIZE_VM under kvm->lock (store-release); the
	 * debugfs reader of the MRTD loads it with acquire, without the lock.
	 */
	bool finalized;
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

#ifdef CONFIG_INTEL_TDX_HOST
int tdx_vm_init(struct kvm *kvm);
void tdx_vm_destroy(struct kvm *kvm);
int tdx_vcpu_precreate(struct kvm *kvm);
int tdx_vm_ioctl(struct kvm *kvm, void __user *argp);
int tdx_dev_ioctl(void __user *argp);
#else
/* tdx.c needs the TDX host core; without it no TD exists to call these. */
static inline int tdx_vm_init(struct kvm *kvm) { return -EOPNOTSUPP; }
static inline void tdx_vm_destroy(struct kvm *kvm) { }
static inline int tdx_vcpu_precreate(struct kvm *kvm) { return -EOPNOTSUPP; }
static inline int tdx_vm_ioctl(struct kvm *kvm, void __user *argp)
{
	return -ENOTTY;
}

static inline int tdx_dev_ioctl(void __user *argp) { return -EINVAL; }
#endif

#endif /* __KVM_X86_VMX_TDX_H */
