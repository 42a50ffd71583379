/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a TD is built from, as pure functions of their inputs (no
 * globals, no hardware, no user memory): KVM_TDX_CAPABILITIES from the
 * module's sysinfo, and TD_PARAMS from KVM_TDX_INIT_VM, the sysinfo and
 * what the host offers.  tdx.c copies to and from userspace and calls
 * the TDX module; the userspace harness tools/testing/kvm-tdx drives
 * these same functions.
 */
#ifndef __KVM_X86_VMX_TDX_PARAMS_H
#define __KVM_X86_VMX_TDX_PARAMS_H

#include <linux/types.h>
#include <asm/kvm.h>
#include <asm/tdx_tdh.h>

#include "tdx_arch.h"

/* What the host (KVM and the CPU) offers a TD, beyond the module. */
struct tdx_host_caps {
	u64 supported_xcr0;	/* kvm_caps.supported_xcr0 */
	u64 supported_xss;	/* kvm_caps.supported_xss */
	u32 tsc_khz;		/* the TD's TSC: kvm->arch.default_tsc_khz */
	u32 max_vcpus;		/* KVM_MAX_VCPUS */
	bool ept_5level;	/* the CPU walks 5-level EPT */
};

/* The CPUID entries KVM_TDX_INIT_VM can hold after its header. */
#define TDX_INIT_VM_MAX_CPUID						\
	((sizeof(struct kvm_tdx_init_vm) -				\
	  offsetof(struct kvm_tdx_init_vm, entries)) /			\
	 sizeof(struct kvm_cpuid_entry2))

int tdx_caps_fill(const struct tdx_td_sysinfo *si,
		  struct kvm_tdx_capabilities *caps, u32 room);
int tdx_init_vm_check(const struct kvm_tdx_init_vm *init, u32 max_vcpus);
int tdx_td_params_build(const struct kvm_tdx_init_vm *init,
			const struct tdx_td_sysinfo *si,
			const struct tdx_host_caps *host,
			struct td_params *p);

#endif /* __KVM_X86_VMX_TDX_PARAMS_H */
