/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private memory on the software-protected VM (KVM_X86_SW_PROTECTED_VM):
 * private memslots backed by an inaccessible memfd, conversions, and
 * shared-bit aware guest mappings.
 */
#ifndef SELFTEST_KVM_PRIVATE_MEM_H
#define SELFTEST_KVM_PRIVATE_MEM_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/kvm.h>
#include <linux/kvm_para.h>

#include "kvm_util.h"

#ifndef MFD_INACCESSIBLE
#define MFD_INACCESSIBLE	0x0008U
#endif

/*
 * A private memslot: guest memory at [gpa, gpa + size) whose private pages
 * come from @memfd (at @offset) and whose shared pages are @shared, an
 * anonymous shared mapping host userspace can read and write.
 */
struct private_region {
	uint32_t slot;
	uint64_t gpa;
	uint64_t size;
	int memfd;
	uint64_t offset;
	uint8_t *shared;
};

/* KVM_CREATE_VM with @type instead of the default, with one vCPU. */
struct kvm_vm *vm_create_type_with_one_vcpu(unsigned long type,
					    struct kvm_vcpu **vcpu,
					    void *guest_code);

/* The software-protected VM's shared bit, as a GPA mask. */
uint64_t sw_protected_shared_bit(void);

/* An inaccessible memfd of @size bytes (ftruncate), or -1 with errno. */
int inaccessible_memfd(uint64_t size);

/* KVM_SET_USER_MEMORY_REGION with the ext struct; returns ioctl's result. */
int __vm_set_private_region(struct kvm_vm *vm, uint32_t slot, uint32_t flags,
			    uint64_t gpa, uint64_t size, void *hva,
			    uint32_t private_fd, uint64_t private_offset);

/*
 * Add a private slot: a new inaccessible memfd of @size (or @memfd if not
 * negative, at @offset) and a new shared mapping.  Asserts success.
 */
void vm_add_private_region(struct kvm_vm *vm, struct private_region *r,
			   uint32_t slot, uint64_t gpa, uint64_t size,
			   int memfd, uint64_t offset);

/* KVM_MEMORY_ENCRYPT_REG_REGION (private) or UNREG_REGION (shared). */
int __vm_set_private_attr(struct kvm_vm *vm, uint64_t gpa, uint64_t size,
			  bool private);

/*
 * Convert [gpa, gpa + size) of @r as the reference client does: to private,
 * allocate in the memfd and REG; to shared, punch the memfd and UNREG.
 */
void vm_convert_private_region(struct kvm_vm *vm, struct private_region *r,
			       uint64_t gpa, uint64_t size, bool private);

/* Map guest virtual [vaddr, +size) to [gpa, +size) | @shared_bits. */
void virt_map_alias(struct kvm_vm *vm, uint64_t vaddr, uint64_t gpa,
		    uint64_t size, uint64_t shared_bits);

/*
 * Run @vcpu, converting on KVM_EXIT_HYPERCALL (KVM_HC_MAP_GPA_RANGE) and
 * KVM_EXIT_MEMORY_FAULT, until another exit; counts the conversions.
 */
struct private_run_stats {
	unsigned int hypercalls;
	unsigned int faults_to_private;
	unsigned int faults_to_shared;
};
void vcpu_run_private(struct kvm_vcpu *vcpu, struct private_region *r,
		      struct private_run_stats *stats);

/* Guest side: KVM_HC_MAP_GPA_RANGE, explicit conversions. */
uint64_t guest_map_gpa_range(uint64_t gpa, uint64_t size, bool private);

#endif /* SELFTEST_KVM_PRIVATE_MEM_H */
