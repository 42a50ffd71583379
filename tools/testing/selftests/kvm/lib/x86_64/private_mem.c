// SPDX-License-Identifier: GPL-2.0
/*
 * Private memory on the software-protected VM: library support for
 * private memslots, conversions and shared-bit aware guest mappings.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/falloc.h>

#include "kvm_util.h"
#include "processor.h"
#include "private_mem.h"
#include "ucall_common.h"

#define MEMSLOT0_PAGES	(512 * 10)

struct kvm_vm *vm_create_type_with_one_vcpu(unsigned long type,
					    struct kvm_vcpu **vcpu,
					    void *guest_code)
{
	struct kvm_vm *vm = ____vm_create(VM_MODE_DEFAULT, 0);

	/* ____vm_create() made a default VM: replace it, no slot exists yet. */
	close(vm->fd);
	vm->type = type;
	vm->fd = __kvm_ioctl(vm->kvm_fd, KVM_CREATE_VM, (void *)type);
	TEST_ASSERT(vm->fd >= 0, KVM_IOCTL_ERROR(KVM_CREATE_VM, vm->fd));

	vm_userspace_mem_region_add(vm, VM_MEM_SRC_ANONYMOUS, 0, 0,
				    MEMSLOT0_PAGES, 0);
	kvm_vm_elf_load(vm, program_invocation_name);
	vm_create_irqchip(vm);
	*vcpu = vm_vcpu_add(vm, 0, guest_code);
	ucall_init(vm, NULL);
	return vm;
}

uint64_t sw_protected_shared_bit(void)
{
	const struct kvm_cpuid_entry2 *e =
		kvm_get_supported_cpuid_entry(0x80000008);

	return 1ull << ((e->eax & 0xff) - 1);
}

int inaccessible_memfd(uint64_t size)
{
	int fd = memfd_create("private_mem_test", MFD_INACCESSIBLE);

	if (fd < 0 || !size)
		return fd;
	if (ftruncate(fd, size)) {
		close(fd);
		return -1;
	}
	return fd;
}

int __vm_set_private_region(struct kvm_vm *vm, uint32_t slot, uint32_t flags,
			    uint64_t gpa, uint64_t size, void *hva,
			    uint32_t private_fd, uint64_t private_offset)
{
	struct kvm_userspace_memory_region_ext ext = {
		.region = {
			.slot = slot,
			.flags = flags,
			.guest_phys_addr = gpa,
			.memory_size = size,
			.userspace_addr = (uintptr_t)hva,
		},
		.private_offset = private_offset,
		.private_fd = private_fd,
	};

	return ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &ext);
}

/*
 * An anonymous shared mapping aligned to 2M, as QEMU aligns guest RAM: KVM
 * maps a slot with 2M pages only where userspace_addr and the GPA agree
 * modulo 2M, private pages included.
 */
static void *mmap_shared_2m(uint64_t size)
{
	const uint64_t align = 2ull << 20;
	uint8_t *p, *a;

	p = mmap(NULL, size + align, PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(p != MAP_FAILED, "mmap: %s", strerror(errno));
	a = (uint8_t *)(((uintptr_t)p + align - 1) & ~(align - 1));
	if (a > p)
		munmap(p, a - p);
	munmap(a + size, p + align - a);
	return a;
}

void vm_add_private_region(struct kvm_vm *vm, struct private_region *r,
			   uint32_t slot, uint64_t gpa, uint64_t size,
			   int memfd, uint64_t offset)
{
	int ret;

	r->slot = slot;
	r->gpa = gpa;
	r->size = size;
	r->offset = offset;
	r->memfd = memfd >= 0 ? memfd : inaccessible_memfd(offset + size);
	TEST_ASSERT(r->memfd >= 0, "memfd_create(MFD_INACCESSIBLE): %s",
		    strerror(errno));
	r->shared = mmap_shared_2m(size);

	ret = __vm_set_private_region(vm, slot, KVM_MEM_PRIVATE, gpa, size,
				      r->shared, r->memfd, offset);
	TEST_ASSERT(!ret, "private slot %u at 0x%lx: %s", slot, gpa,
		    strerror(errno));
}

int __vm_set_private_attr(struct kvm_vm *vm, uint64_t gpa, uint64_t size,
			  bool private)
{
	struct kvm_enc_region range = { .addr = gpa, .size = size };

	return ioctl(vm->fd, private ? KVM_MEMORY_ENCRYPT_REG_REGION :
				       KVM_MEMORY_ENCRYPT_UNREG_REGION, &range);
}

void vm_convert_private_region(struct kvm_vm *vm, struct private_region *r,
			       uint64_t gpa, uint64_t size, bool private)
{
	uint64_t off = r->offset + (gpa - r->gpa);
	int mode = private ? 0 : FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE;

	TEST_ASSERT(gpa >= r->gpa && gpa + size <= r->gpa + r->size,
		    "conversion [0x%lx, +0x%lx) outside the region", gpa, size);
	TEST_ASSERT(!fallocate(r->memfd, mode, off, size),
		    "fallocate(%d, 0x%lx, 0x%lx): %s", mode, off, size,
		    strerror(errno));
	TEST_ASSERT(!__vm_set_private_attr(vm, gpa, size, private),
		    "%s [0x%lx, +0x%lx): %s", private ? "REG" : "UNREG", gpa,
		    size, strerror(errno));
}

void virt_map_alias(struct kvm_vm *vm, uint64_t vaddr, uint64_t gpa,
		    uint64_t size, uint64_t shared_bits)
{
	uint64_t i;

	for (i = 0; i < size; i += vm->page_size)
		virt_pg_map(vm, vaddr + i, (gpa + i) | shared_bits);
}

void vcpu_run_private(struct kvm_vcpu *vcpu, struct private_region *r,
		      struct private_run_stats *stats)
{
	struct kvm_run *run = vcpu->run;
	bool private;

	for (;;) {
		vcpu_run(vcpu);

		switch (run->exit_reason) {
		case KVM_EXIT_HYPERCALL:
			TEST_ASSERT(run->hypercall.nr == KVM_HC_MAP_GPA_RANGE,
				    "hypercall %llu", run->hypercall.nr);
			private = run->hypercall.args[2] &
				  KVM_MAP_GPA_RANGE_ENCRYPTED;
			vm_convert_private_region(vcpu->vm, r,
						  run->hypercall.args[0],
						  run->hypercall.args[1] *
						  vcpu->vm->page_size, private);
			run->hypercall.ret = 0;
			stats->hypercalls++;
			break;
		case KVM_EXIT_MEMORY_FAULT:
			TEST_ASSERT(run->memory.size == vcpu->vm->page_size &&
				    !(run->memory.gpa & (vcpu->vm->page_size - 1)) &&
				    !run->memory.padding &&
				    !(run->memory.flags & ~KVM_MEMORY_EXIT_FLAG_PRIVATE),
				    "memory fault: flags 0x%x padding 0x%x gpa 0x%llx size 0x%llx",
				    run->memory.flags, run->memory.padding,
				    run->memory.gpa, run->memory.size);
			private = run->memory.flags & KVM_MEMORY_EXIT_FLAG_PRIVATE;
			vm_convert_private_region(vcpu->vm, r, run->memory.gpa,
						  run->memory.size, private);
			if (private)
				stats->faults_to_private++;
			else
				stats->faults_to_shared++;
			break;
		default:
			return;
		}
	}
}

uint64_t guest_map_gpa_range(uint64_t gpa, uint64_t size, bool private)
{
	return kvm_hypercall(KVM_HC_MAP_GPA_RANGE, gpa, size / PAGE_SIZE,
			     private ? KVM_MAP_GPA_RANGE_ENCRYPTED :
				       KVM_MAP_GPA_RANGE_DECRYPTED, 0);
}
