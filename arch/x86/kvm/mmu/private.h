/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86 KVM private memory: VM types, the software-protected VM's shared bit,
 * and the hooks the MMU (mmu.c, tdp_mmu.c) and x86.c call.  The code is in
 * mmu/private.c; without CONFIG_KVM_PRIVATE_MEM these are no-ops and only
 * KVM_X86_DEFAULT_VM exists.
 */
#ifndef __KVM_X86_MMU_PRIVATE_H
#define __KVM_X86_MMU_PRIVATE_H

#include <linux/kvm_host.h>

#include "mmu_internal.h"

/*
 * A GPA that KVM itself accesses or reports (the emulator, MMIO exits),
 * without the shared bit: the shared alias reaches the same page or device.
 * shared_gfn_mask is 0 but on the software-protected VM.
 */
static inline gpa_t kvm_strip_shared_gpa(struct kvm *kvm, gpa_t gpa)
{
	return gpa & ~gfn_to_gpa(kvm->arch.shared_gfn_mask);
}

/*
 * Whether the SPTE of @gfn (with its shared bit, if any) lies in the
 * private half that the vendor module mirrors (mmu/private_spt.c).
 */
static inline bool kvm_gfn_private_spt(struct kvm *kvm, gfn_t gfn)
{
	return kvm->arch.private_spt && !(gfn & kvm->arch.shared_gfn_mask);
}

#ifdef CONFIG_KVM_PRIVATE_MEM

void kvm_mmu_alloc_private_spt(struct kvm_vcpu *vcpu, struct kvm_mmu_page *sp);
int kvm_mmu_set_private_spte(struct kvm *kvm, gfn_t gfn, int level,
			     u64 new_spte);
void kvm_mmu_remove_private_spte(struct kvm *kvm, gfn_t gfn, int level,
				 u64 old_spte);
void kvm_mmu_free_private_spt(struct kvm *kvm, struct kvm_mmu_page *sp);
int kvm_mmu_map_private_page(struct kvm_vcpu *vcpu, gpa_t gpa);
bool kvm_mmu_private_root_ok(struct kvm_vcpu *vcpu);
void kvm_private_spt_zap(struct kvm *kvm, gfn_t start, gfn_t end,
			 bool private_pages);

u32 kvm_x86_vm_types(void);
int kvm_x86_init_vm_type(struct kvm *kvm, unsigned long type);
int kvm_private_spt_init(struct kvm *kvm, unsigned int shared_bit);
bool kvm_x86_vm_type_mmu_ok(struct kvm *kvm);

void kvm_mmu_strip_shared_bit(struct kvm *kvm, struct kvm_page_fault *fault);
int kvm_faultin_private(struct kvm_vcpu *vcpu, struct kvm_page_fault *fault);
bool kvm_mmu_private_skip_host_level(struct kvm *kvm,
				     const struct kvm_memory_slot *slot,
				     gfn_t gfn);
void kvm_mmu_release_fault_pfn(struct kvm_page_fault *fault, kvm_pfn_t pfn);
void kvm_mmu_zap_shared_alias(struct kvm *kvm, gfn_t start, gfn_t end);
bool kvm_mmu_unmap_shared_alias(struct kvm *kvm, struct kvm_gfn_range *range,
				bool flush);
bool kvm_mmu_age_shared_alias(struct kvm *kvm, struct kvm_gfn_range *range,
			      bool test_only);
void kvm_mmu_wrprot_slot_shared_alias(struct kvm *kvm,
				      const struct kvm_memory_slot *slot,
				      int start_level);
void kvm_mmu_wrprot_masked_shared_alias(struct kvm *kvm,
					const struct kvm_memory_slot *slot,
					gfn_t gfn_offset, unsigned long mask);
void kvm_mmu_clear_dirty_shared_alias(struct kvm *kvm,
				      const struct kvm_memory_slot *slot);
void kvm_mmu_zap_collapsible_shared_alias(struct kvm *kvm,
					  const struct kvm_memory_slot *slot);

#else /* !CONFIG_KVM_PRIVATE_MEM */

/* kvm->arch.private_spt is never set: these are never called. */
static inline void kvm_mmu_alloc_private_spt(struct kvm_vcpu *vcpu,
					     struct kvm_mmu_page *sp) { }
static inline int kvm_mmu_set_private_spte(struct kvm *kvm, gfn_t gfn,
					   int level, u64 new_spte)
{
	return -EOPNOTSUPP;
}

static inline void kvm_mmu_remove_private_spte(struct kvm *kvm, gfn_t gfn,
					       int level, u64 old_spte) { }
static inline void kvm_mmu_free_private_spt(struct kvm *kvm,
					    struct kvm_mmu_page *sp) { }
static inline int kvm_mmu_map_private_page(struct kvm_vcpu *vcpu, gpa_t gpa)
{
	return -EOPNOTSUPP;
}

static inline bool kvm_mmu_private_root_ok(struct kvm_vcpu *vcpu)
{
	return false;
}

static inline void kvm_private_spt_zap(struct kvm *kvm, gfn_t start,
				       gfn_t end, bool private_pages) { }

static inline u32 kvm_x86_vm_types(void)
{
	return BIT(KVM_X86_DEFAULT_VM) | kvm_x86_ops.vendor_vm_types;
}

static inline int kvm_x86_init_vm_type(struct kvm *kvm, unsigned long type)
{
	if (type >= BITS_PER_TYPE(u32) || !(kvm_x86_vm_types() & BIT(type)))
		return -EINVAL;
	kvm->arch.vm_type = type;
	return 0;
}

static inline int kvm_private_spt_init(struct kvm *kvm,
				       unsigned int shared_bit)
{
	return -EOPNOTSUPP;
}

static inline bool kvm_x86_vm_type_mmu_ok(struct kvm *kvm)
{
	return true;
}

static inline void kvm_mmu_strip_shared_bit(struct kvm *kvm,
					    struct kvm_page_fault *fault) { }

static inline int kvm_faultin_private(struct kvm_vcpu *vcpu,
				      struct kvm_page_fault *fault)
{
	return RET_PF_INVALID;
}

static inline bool
kvm_mmu_private_skip_host_level(struct kvm *kvm,
				const struct kvm_memory_slot *slot, gfn_t gfn)
{
	return false;
}

static inline void kvm_mmu_release_fault_pfn(struct kvm_page_fault *fault,
					     kvm_pfn_t pfn)
{
	kvm_release_pfn_clean(pfn);
}

static inline void kvm_mmu_zap_shared_alias(struct kvm *kvm, gfn_t start,
					    gfn_t end) { }

static inline bool kvm_mmu_unmap_shared_alias(struct kvm *kvm,
					      struct kvm_gfn_range *range,
					      bool flush)
{
	return flush;
}

static inline bool kvm_mmu_age_shared_alias(struct kvm *kvm,
					    struct kvm_gfn_range *range,
					    bool test_only)
{
	return false;
}

static inline void
kvm_mmu_wrprot_slot_shared_alias(struct kvm *kvm,
				 const struct kvm_memory_slot *slot,
				 int start_level) { }

static inline void
kvm_mmu_wrprot_masked_shared_alias(struct kvm *kvm,
				   const struct kvm_memory_slot *slot,
				   gfn_t gfn_offset, unsigned long mask) { }

static inline void
kvm_mmu_clear_dirty_shared_alias(struct kvm *kvm,
				 const struct kvm_memory_slot *slot) { }

static inline void
kvm_mmu_zap_collapsible_shared_alias(struct kvm *kvm,
				     const struct kvm_memory_slot *slot) { }

#endif /* CONFIG_KVM_PRIVATE_MEM */

#endif /* __KVM_X86_MMU_PRIVATE_H */
