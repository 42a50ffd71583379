// SPDX-License-Identifier: GPL-2.0
/*
 * KVM private memory, generic part: KVM_MEM_PRIVATE memslots backed by an
 * inaccessible memfd (MFD_INACCESSIBLE), their invalidation when userspace
 * punches a hole in the memfd, and the per-gfn private/shared attributes
 * that KVM_MEMORY_ENCRYPT_REG_REGION / UNREG_REGION set.
 *
 * The ABI is the 2022 "UPM v8" one with its bugs fixed; the architecture
 * decides which VMs have private memory (kvm_arch_has_private_mem()) and
 * maps the pages (arch/x86/kvm/mmu/private.c).  See
 * Documentation/virt/kvm/api.rst and Documentation/virt/kvm/private-memory.rst.
 */

#include <linux/file.h>
#include <linux/kvm_host.h>
#include <linux/maple_tree.h>
#include <linux/memfd.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "kvm_mm.h"

/*
 * struct kvm_private_slot - the private half of a KVM_MEM_PRIVATE memslot
 * @kvm:	the VM, for the invalidation callback
 * @file:	the inaccessible memfd (the slot's own reference; the
 *		registered notifier holds another)
 * @pgoff:	file page index backing the slot's first gfn
 * @base_gfn:	the memslot's base_gfn
 * @npages:	the memslot's npages
 * @notifier:	registered on @file for the slot's whole life
 *
 * Set up before the memslot becomes visible and torn down after it is
 * gone (or, for a dying VM, after every SPTE is zapped): immutable, so the
 * callback reads it without memslot locks.  Private memslots cannot be
 * moved or changed, only deleted.
 */
struct kvm_private_slot {
	struct kvm *kvm;
	struct file *file;
	pgoff_t pgoff;
	gfn_t base_gfn;
	unsigned long npages;
	struct inaccessible_notifier notifier;
};

/*
 * Attributes: ranges, not pages.
 *
 * Every gfn is private unless REG/UNREG made it shared (v8's default).
 * kvm->private_mem.shared is a maple tree holding the maximal ranges of
 * shared gfns, each as one entry; a gfn not covered by an entry is private.
 *
 * Why a maple tree: it is the kernel's range-indexed RCU tree.  Storing
 * an entry (or NULL) over [first, last] replaces whatever entries the range
 * touches, splitting the ones that straddle its ends, in O(log n + entries
 * touched) with a bounded number of node allocations, and lookups are
 * lock-free under RCU, which the fault path needs.  An xarray with one
 * entry per gfn (v8) costs one allocation per 4K page: 262144 for 1 GiB.
 * A multi-index xarray only stores naturally aligned power-of-two ranges,
 * so an arbitrary range becomes O(log size) entries that do not merge.  An
 * interval tree would need our own splitting, merging and RCU.
 *
 * Adjacent shared ranges are merged on UNREG so that the tree stays one
 * entry per maximal shared run; private runs are simply gaps.
 * Writers are serialized by kvm->private_mem.lock.
 */
#define KVM_ATTR_SHARED		xa_mk_value(1)

/*
 * KVM's own accesses to guest memory (kvm_read_guest(), kvm_write_guest(),
 * the gfn_to_hva and pfn caches behind pvclock, the emulator) may use a GPA
 * with the shared bit set, as the guest does: they reach the same page
 * through the slot's HVA, i.e. they are shared accesses.  The exact memslot
 * lookups strip the bit (kvm_memslots.alias_gfn_mask) and the gfn-to-HVA
 * and dirty-bitmap computations strip it again with the slot's copy
 * (kvm_memory_slot.alias_gfn_mask), so a gfn with the bit set never indexes
 * past a slot.  Only exact lookups strip: range iterators get stripped
 * ranges from the MMU.
 */
static void kvm_private_mem_set_alias_mask(struct kvm *kvm, gfn_t mask)
{
	int i, j;

	/* Before any memslot exists: kvm_create_vm() calls us via the arch. */
	for (i = 0; i < KVM_ADDRESS_SPACE_NUM; i++)
		for (j = 0; j < 2; j++)
			kvm->__memslots[i][j].alias_gfn_mask = mask;
}

/* From kvm_arch_init_vm(), once kvm_arch_private_mem_gfn_limit() is known. */
void kvm_private_mem_init(struct kvm *kvm)
{
	mutex_init(&kvm->private_mem.lock);
	mt_init(&kvm->private_mem.shared);
	kvm_private_mem_set_alias_mask(kvm, kvm_arch_private_mem_gfn_limit(kvm));
}

/**
 * kvm_mem_is_private - tell whether a gfn is private
 * @kvm: a VM with private memory
 * @gfn: the gfn, without the shared bit
 *
 * Lock-free.  A caller that maps the gfn must check mmu_invalidate_seq
 * afterwards: attribute changes bump it (kvm_private_mem_set_attr()).
 */
bool kvm_mem_is_private(struct kvm *kvm, gfn_t gfn)
{
	return !mtree_load(&kvm->private_mem.shared, gfn);
}

/* The bounds of the shared range containing @gfn, if any. */
static bool kvm_shared_range(struct kvm *kvm, gfn_t gfn, gfn_t *first,
			     gfn_t *last)
{
	MA_STATE(mas, &kvm->private_mem.shared, gfn, gfn);
	void *entry;

	rcu_read_lock();
	entry = mas_walk(&mas);
	rcu_read_unlock();
	if (!entry)
		return false;
	*first = mas.index;
	*last = mas.last;
	return true;
}

/**
 * kvm_mem_attr_range - the attribute of a gfn and whether a range shares it
 * @kvm: a VM with private memory
 * @gfn: the gfn, without the shared bit
 * @start: first gfn of a range containing @gfn (a huge page)
 * @end: end gfn (exclusive) of that range
 * @uniform: set to whether every gfn of [start, end) has @gfn's attribute
 *
 * The fault path's one lookup: kvm_mem_is_private() plus the lpage "mixed"
 * test.  The mixed state is computed from the range tree rather than kept
 * per huge page: REG/UNREG store ranges, so the tree already knows where an
 * attribute changes, and a range is mixed iff a boundary falls inside it.
 * The walk returns the entry at @gfn (a shared range, merged with its
 * neighbours, or a gap) and its bounds; only a gap that does not cover
 * [start, end) needs a second search.  Lock-free; callers check
 * mmu_invalidate_seq afterwards, as for kvm_mem_is_private().
 *
 * Return: true if @gfn is private.
 */
bool kvm_mem_attr_range(struct kvm *kvm, gfn_t gfn, gfn_t start, gfn_t end,
			bool *uniform)
{
	MA_STATE(mas, &kvm->private_mem.shared, gfn, gfn);
	unsigned long index = start;
	void *entry;

	rcu_read_lock();
	entry = mas_walk(&mas);
	if (mas.index <= start && mas.last >= end - 1)
		*uniform = true;
	else if (entry)
		*uniform = false;
	else
		*uniform = !mt_find(&kvm->private_mem.shared, &index, end - 1);
	rcu_read_unlock();
	return !entry;
}

/* Make [start, end) shared: one store, merged with shared neighbours. */
static int kvm_attr_set_shared(struct kvm *kvm, gfn_t start, gfn_t end)
{
	gfn_t first = start, last = end - 1, lo, hi;

	if (start && kvm_shared_range(kvm, start - 1, &lo, &hi))
		first = lo;
	if (kvm_shared_range(kvm, end, &lo, &hi))
		last = hi;
	return mtree_store_range(&kvm->private_mem.shared, first, last,
				 KVM_ATTR_SHARED, GFP_KERNEL_ACCOUNT);
}

/* Make [start, end) private: erase it, splitting straddling entries. */
static int kvm_attr_set_private(struct kvm *kvm, gfn_t start, gfn_t end)
{
	return mtree_store_range(&kvm->private_mem.shared, start, end - 1,
				 NULL, GFP_KERNEL_ACCOUNT);
}

/*
 * Set the attribute of a GPA range and zap its mappings (both aliases), a
 * documented side effect.  A fault that read the old attribute retries:
 * the range is "being invalidated" from before the update until after the
 * zap, and mmu_invalidate_seq moves.
 */
static int kvm_private_mem_set_attr(struct kvm *kvm, u64 gpa, u64 size,
				    bool private)
{
	gfn_t limit = kvm_arch_private_mem_gfn_limit(kvm);
	gfn_t start, end;
	int idx, r;

	if (!size || !PAGE_ALIGNED(gpa) || !PAGE_ALIGNED(size) ||
	    gpa + size < gpa)
		return -EINVAL;
	start = gpa_to_gfn(gpa);
	end = gpa_to_gfn(gpa + size);
	if (limit && end > limit)
		return -EINVAL;

	mutex_lock(&kvm->private_mem.lock);
	KVM_MMU_LOCK(kvm);
	kvm_mmu_invalidate_begin(kvm, 0, -1ul);
	KVM_MMU_UNLOCK(kvm);

	if (private)
		r = kvm_attr_set_private(kvm, start, end);
	else
		r = kvm_attr_set_shared(kvm, start, end);

	if (!r) {
		idx = srcu_read_lock(&kvm->srcu);
		kvm_arch_private_mem_zap(kvm, start, end, !private);
		srcu_read_unlock(&kvm->srcu, idx);
	}

	KVM_MMU_LOCK(kvm);
	kvm_mmu_invalidate_end(kvm, 0, -1ul);
	KVM_MMU_UNLOCK(kvm);
	mutex_unlock(&kvm->private_mem.lock);
	return r;
}

/**
 * kvm_private_mem_convert - set a GPA range private or shared, in the kernel
 * @kvm: a VM with private memory
 * @gpa: page aligned, shared bit clear
 * @size: page aligned, not 0
 * @private: the new attribute
 *
 * For a vendor module's conversion requests (a TD's MapGPA).  The caller
 * must not be in a kvm->srcu read-side section: the zap may wait for
 * other readers.
 *
 * Return: as kvm_private_mem_ioctl() but -EFAULT.
 */
int kvm_private_mem_convert(struct kvm *kvm, u64 gpa, u64 size, bool private)
{
	return kvm_private_mem_set_attr(kvm, gpa, size, private);
}
EXPORT_SYMBOL_GPL(kvm_private_mem_convert);

/**
 * kvm_private_mem_ioctl - KVM_MEMORY_ENCRYPT_REG_REGION / UNREG_REGION
 * @kvm: a VM with private memory
 * @ioctl: which one
 * @argp: struct kvm_enc_region, a GPA range (shared bit clear)
 *
 * REG makes the range private, UNREG shared.  A range no memslot covers is
 * accepted.
 *
 * Return: 0; -EFAULT; -EINVAL for size 0, an unaligned gpa or size, an
 * overflow or a range reaching the shared bit; -ENOMEM.
 */
long kvm_private_mem_ioctl(struct kvm *kvm, unsigned int ioctl,
			   void __user *argp)
{
	struct kvm_enc_region region;

	if (copy_from_user(&region, argp, sizeof(region)))
		return -EFAULT;
	return kvm_private_mem_set_attr(kvm, region.addr, region.size,
					ioctl == KVM_MEMORY_ENCRYPT_REG_REGION);
}

/* KVM_CHECK_EXTENSION(KVM_CAP_PRIVATE_MEM), on /dev/kvm (NULL) or a VM. */
int kvm_private_mem_cap(struct kvm *kvm)
{
	if (kvm)
		return kvm_arch_has_private_mem(kvm);
	return kvm_arch_private_mem_supported();
}

/**
 * kvm_private_mem_copy_region - read KVM_SET_USER_MEMORY_REGION's argument
 * @mem: zeroed, then filled
 * @argp: userspace pointer
 *
 * As the seed ABI: read flags first, then the 160-byte
 * struct kvm_userspace_memory_region_ext if KVM_MEM_PRIVATE is set, else
 * the 32-byte struct kvm_userspace_memory_region (clients may pass the
 * ext struct with garbage in it for every slot).
 *
 * Return: 0, -EFAULT, or -EINVAL if the flag changed between the reads.
 */
int kvm_private_mem_copy_region(struct kvm_userspace_memory_region_ext *mem,
				void __user *argp)
{
	u32 __user *uflags = argp + offsetof(typeof(mem->region), flags);
	size_t size;
	u32 flags;

	BUILD_BUG_ON(sizeof(*mem) != 160);
	BUILD_BUG_ON(offsetof(typeof(*mem), private_offset) != 32);
	BUILD_BUG_ON(offsetof(typeof(*mem), private_fd) != 40);

	memset(mem, 0, sizeof(*mem));
	if (get_user(flags, uflags))
		return -EFAULT;
	size = flags & KVM_MEM_PRIVATE ? sizeof(*mem) : sizeof(mem->region);
	if (copy_from_user(mem, argp, size))
		return -EFAULT;
	if ((flags ^ mem->region.flags) & KVM_MEM_PRIVATE)
		return -EINVAL;
	return 0;
}

/*
 * Flags of a slot being created or changed (not deleted), on any VM.
 * Dirty logging works on every slot a private-memory VM creates, private
 * or not (the MMU logs writes through both aliases; for private pages the
 * bitmap only tells userspace which pages the guest wrote).  Turning it on
 * or off later is a FLAGS_ONLY change, which a private slot refuses like
 * any other change (kvm_private_mem_check_change()).
 */
int kvm_private_mem_check_flags(struct kvm *kvm,
				const struct kvm_userspace_memory_region *mem)
{
	if (!kvm_arch_has_private_mem(kvm))
		return 0;
	/* Nobody can write private memory but the guest: no read-only. */
	if ((mem->flags & KVM_MEM_PRIVATE) && (mem->flags & KVM_MEM_READONLY))
		return -EINVAL;
	return 0;
}

/*
 * A slot being created or changed (not deleted): private slots are
 * immutable, a normal slot cannot become private, and no slot reaches the
 * shared bit.  guest_phys_addr + memory_size was checked for overflow.
 */
int kvm_private_mem_check_change(struct kvm *kvm,
				 const struct kvm_userspace_memory_region *mem,
				 const struct kvm_memory_slot *old)
{
	gfn_t limit;

	if (!kvm_arch_has_private_mem(kvm))
		return 0;

	if (old && old->npages && ((old->flags | mem->flags) & KVM_MEM_PRIVATE))
		return -EINVAL;

	limit = kvm_arch_private_mem_gfn_limit(kvm);
	if (limit && gpa_to_gfn(mem->guest_phys_addr + mem->memory_size) > limit)
		return -EINVAL;
	return 0;
}

static void kvm_private_invalidate_begin(struct inaccessible_notifier *notifier,
					 pgoff_t start, pgoff_t end)
{
	struct kvm_private_slot *ps =
		container_of(notifier, struct kvm_private_slot, notifier);
	pgoff_t first = max(start, ps->pgoff);
	pgoff_t last = min(end, ps->pgoff + ps->npages);
	struct kvm *kvm = ps->kvm;
	int idx;

	if (first >= last)
		return;

	/*
	 * Runs under the memfd's locks, before the pages leave the file.  The
	 * zap bumps mmu_invalidate_seq under mmu_lock, so a fault that got
	 * one of these pages from inaccessible_get_pfn() either installed its
	 * SPTE before (and it is zapped here) or sees the new sequence and
	 * retries; it cannot get another page of the range until the
	 * punch-hole ends.
	 */
	idx = srcu_read_lock(&kvm->srcu);
	kvm_arch_private_mem_zap(kvm, ps->base_gfn + (first - ps->pgoff),
				 ps->base_gfn + (last - ps->pgoff), true);
	srcu_read_unlock(&kvm->srcu, idx);
}

static void kvm_private_invalidate_end(struct inaccessible_notifier *notifier,
				       pgoff_t start, pgoff_t end)
{
}

static const struct inaccessible_notifier_ops kvm_private_notifier_ops = {
	.invalidate_begin	= kvm_private_invalidate_begin,
	.invalidate_end		= kvm_private_invalidate_end,
};

/**
 * kvm_private_mem_slot_init - set up the private half of a new memslot
 * @kvm: the VM
 * @new: the slot, not visible yet; new->private is set (or NULL)
 * @mem: the region, embedded in a struct kvm_userspace_memory_region_ext
 *	 when KVM_MEM_PRIVATE is set (only the ioctl path can set it)
 *
 * Return: 0; -EINVAL for an unaligned or overflowing private_offset or a
 * private_fd that is not an inaccessible memfd; -ENOMEM.
 */
int kvm_private_mem_slot_init(struct kvm *kvm, struct kvm_memory_slot *new,
			      const struct kvm_userspace_memory_region *mem)
{
	const struct kvm_userspace_memory_region_ext *ext;
	struct kvm_private_slot *ps;
	struct file *file;
	int r;

	new->private = NULL;
	if (kvm_arch_has_private_mem(kvm))
		new->alias_gfn_mask = kvm_arch_private_mem_gfn_limit(kvm);
	if (!(mem->flags & KVM_MEM_PRIVATE))
		return 0;

	ext = container_of(mem, struct kvm_userspace_memory_region_ext, region);
	if (!PAGE_ALIGNED(ext->private_offset) ||
	    ext->private_offset > U64_MAX - mem->memory_size)
		return -EINVAL;

	file = fget(ext->private_fd);
	if (!file)
		return -EINVAL;
	r = -EINVAL;
	if (!file_is_inaccessible(file))
		goto err_fput;

	r = -ENOMEM;
	ps = kzalloc(sizeof(*ps), GFP_KERNEL_ACCOUNT);
	if (!ps)
		goto err_fput;
	ps->kvm = kvm;
	ps->file = file;
	ps->pgoff = ext->private_offset >> PAGE_SHIFT;
	ps->base_gfn = new->base_gfn;
	ps->npages = new->npages;
	ps->notifier.ops = &kvm_private_notifier_ops;

	r = inaccessible_register_notifier(file, &ps->notifier);
	if (r)
		goto err_free;

	new->private = ps;
	return 0;

err_free:
	kfree(ps);
err_fput:
	fput(file);
	return r;
}

/**
 * kvm_private_mem_slot_free - undo kvm_private_mem_slot_init()
 * @slot: a memslot that is no longer visible, or of a VM whose SPTEs are
 *	  all zapped; nothing if it is not private
 *
 * Waits for a running invalidation callback of the slot.
 */
void kvm_private_mem_slot_free(struct kvm_memory_slot *slot)
{
	struct kvm_private_slot *ps = slot->private;

	if (!ps)
		return;
	slot->private = NULL;
	inaccessible_unregister_notifier(ps->file, &ps->notifier);
	fput(ps->file);
	kfree(ps);
}

/*
 * From kvm_destroy_vm(), after every SPTE was zapped and before the MMU
 * goes: no invalidation callback may run on a dying MMU, so drop the
 * notifiers now rather than in kvm_free_memslot().
 */
void kvm_private_mem_destroy(struct kvm *kvm)
{
	struct kvm_memory_slot *slot;
	int i, bkt;

	if (!kvm_arch_has_private_mem(kvm))
		return;

	for (i = 0; i < KVM_ADDRESS_SPACE_NUM; i++)
		kvm_for_each_memslot(slot, bkt, __kvm_memslots(kvm, i))
			kvm_private_mem_slot_free(slot);
	mtree_destroy(&kvm->private_mem.shared);
}

bool kvm_slot_is_private(const struct kvm_memory_slot *slot)
{
	return slot->private;
}

/* The memfd page behind a gfn of a private slot, with a reference. */
int kvm_private_mem_get_pfn(const struct kvm_memory_slot *slot, gfn_t gfn,
			    kvm_pfn_t *pfn, int *order)
{
	struct kvm_private_slot *ps = slot->private;
	unsigned long p;
	int r;

	r = inaccessible_get_pfn(ps->file, ps->pgoff + (gfn - slot->base_gfn),
				 &p, order);
	if (!r)
		*pfn = p;
	return r;
}

void kvm_private_mem_put_pfn(const struct kvm_memory_slot *slot, kvm_pfn_t pfn)
{
	inaccessible_put_pfn(slot->private->file, pfn);
}
