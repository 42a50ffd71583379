// SPDX-License-Identifier: GPL-2.0
/*
 * The TD side of kvm_intel's VM operations, called by the vt_*()
 * wrappers in main.c for VMs of type KVM_X86_TDX_VM.
 *
 * A TD's control structures (TDR, TDCS: TDH.MNG.CREATE and friends) are
 * created by KVM_TDX_INIT_VM, which is not implemented yet: a TD can be
 * created and destroyed, but it has no vCPUs, so no TD vCPU reaches the
 * vCPU callbacks and they need no TD branch yet.
 */
#include <linux/kvm_host.h>

#include "tdx.h"

int tdx_vm_init(struct kvm *kvm)
{
	to_kvm_tdx(kvm)->initialized = false;
	return 0;
}

void tdx_vm_destroy(struct kvm *kvm)
{
	/* Nothing to reclaim: no TDR exists before KVM_TDX_INIT_VM. */
}

/* A TD's vCPUs need KVM_TDX_INIT_VM first; until it exists, none. */
int tdx_vcpu_precreate(struct kvm *kvm)
{
	return to_kvm_tdx(kvm)->initialized ? 0 : -EOPNOTSUPP;
}
