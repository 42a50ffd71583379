/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KVM private memory: memslots backed by an inaccessible memfd, per-gfn
 * private/shared attributes, and the hooks kvm_main.c calls.
 *
 * Included by <linux/kvm_host.h> before struct kvm is defined, so this
 * header only declares: the code lives in virt/kvm/private_mem.c, the x86
 * MMU side in arch/x86/kvm/mmu/private.c.  See
 * Documentation/virt/kvm/private-memory.rst for the design.
 */
#ifndef __LINUX_KVM_PRIVATE_MEM_H
#define __LINUX_KVM_PRIVATE_MEM_H

#include <linux/compiler_types.h>
#include <linux/errno.h>
#include <linux/kvm_types.h>
#include <linux/maple_tree.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/uaccess.h>
#include <uapi/linux/kvm.h>

struct kvm;
struct kvm_memory_slot;

#ifdef CONFIG_KVM_PRIVATE_MEM

/*
 * struct kvm_private_mem - per-VM private memory state, in struct kvm
 * @lock:	serializes attribute updates (REG/UNREG_REGION); readers
 *		(the fault path) look up @shared under RCU, without it
 * @shared:	gfn ranges that are shared; every other gfn is private
 */
struct kvm_private_mem {
	struct mutex lock;	/* attribute updates; see above */
	struct maple_tree shared;
};

/* Provided by the architecture. */
bool kvm_arch_has_private_mem(struct kvm *kvm);
bool kvm_arch_private_mem_supported(void);
gfn_t kvm_arch_private_mem_gfn_limit(struct kvm *kvm);
void kvm_arch_private_mem_zap(struct kvm *kvm, gfn_t start, gfn_t end,
			      bool private_pages);

void kvm_private_mem_init(struct kvm *kvm);
void kvm_private_mem_destroy(struct kvm *kvm);
int kvm_private_mem_copy_region(struct kvm_userspace_memory_region_ext *mem,
				void __user *argp);
int kvm_private_mem_check_flags(struct kvm *kvm,
				const struct kvm_userspace_memory_region *mem);
int kvm_private_mem_check_change(struct kvm *kvm,
				 const struct kvm_userspace_memory_region *mem,
				 const struct kvm_memory_slot *old);
int kvm_private_mem_slot_init(struct kvm *kvm, struct kvm_memory_slot *new,
			      const struct kvm_userspace_memory_region *mem);
void kvm_private_mem_slot_free(struct kvm_memory_slot *slot);
int kvm_private_mem_convert(struct kvm *kvm, u64 gpa, u64 size, bool private);
long kvm_private_mem_ioctl(struct kvm *kvm, unsigned int ioctl,
			   void __user *argp);
int kvm_private_mem_cap(struct kvm *kvm);

bool kvm_slot_is_private(const struct kvm_memory_slot *slot);
bool kvm_mem_is_private(struct kvm *kvm, gfn_t gfn);
bool kvm_mem_attr_range(struct kvm *kvm, gfn_t gfn, gfn_t start, gfn_t end,
			bool *uniform);
int kvm_private_mem_get_pfn(const struct kvm_memory_slot *slot, gfn_t gfn,
			    kvm_pfn_t *pfn, int *order);
void kvm_private_mem_put_pfn(const struct kvm_memory_slot *slot,
			     kvm_pfn_t pfn);
void kvm_private_mem_create_debugfs(struct kvm *kvm);

#else /* !CONFIG_KVM_PRIVATE_MEM */

static inline bool kvm_arch_has_private_mem(struct kvm *kvm)
{
	return false;
}

static inline void kvm_private_mem_destroy(struct kvm *kvm) { }

static inline int
kvm_private_mem_copy_region(struct kvm_userspace_memory_region_ext *mem,
			    void __user *argp)
{
	if (copy_from_user(&mem->region, argp, sizeof(mem->region)))
		return -EFAULT;
	return 0;
}

static inline int
kvm_private_mem_check_flags(struct kvm *kvm,
			    const struct kvm_userspace_memory_region *mem)
{
	return 0;
}

static inline int
kvm_private_mem_check_change(struct kvm *kvm,
			     const struct kvm_userspace_memory_region *mem,
			     const struct kvm_memory_slot *old)
{
	return 0;
}

static inline int
kvm_private_mem_slot_init(struct kvm *kvm, struct kvm_memory_slot *new,
			  const struct kvm_userspace_memory_region *mem)
{
	return 0;
}

static inline void kvm_private_mem_slot_free(struct kvm_memory_slot *slot) { }

static inline int kvm_private_mem_convert(struct kvm *kvm, u64 gpa, u64 size,
					  bool private)
{
	return -EOPNOTSUPP;
}

static inline long kvm_private_mem_ioctl(struct kvm *kvm, unsigned int ioctl,
					 void __user *argp)
{
	return -ENOTTY;
}

static inline int kvm_private_mem_cap(struct kvm *kvm)
{
	return 0;
}

static inline void kvm_private_mem_create_debugfs(struct kvm *kvm) { }

#endif /* CONFIG_KVM_PRIVATE_MEM */

#endif /* __LINUX_KVM_PRIVATE_MEM_H */
