// SPDX-License-Identifier: GPL-2.0
/*
 * x86 MMU side of KVM private memory: the VM types, the software-protected
 * VM's shared bit, the private fault path of the TDP MMU and the zapping of
 * both aliases of a gfn.
 *
 * The software-protected VM (KVM_X86_SW_PROTECTED_VM) has no encryption.
 * Like a TDX guest it splits its physical address space in two with a
 * "shared" GPA bit S = MAXPHYADDR - 1: an access with bit S set is a shared
 * access to gfn & ~BIT(S), one with bit S clear a private access.  Memslots
 * sit below BIT(S).  The TDP MMU maps each alias at the address the guest
 * used; everything that indexes memslots (slot lookup, pfn lookup, page
 * tracking, dirty tracking) uses the stripped gfn.
 *
 * A fault in a KVM_MEM_PRIVATE slot resolves a private access to a private
 * gfn from the slot's inaccessible memfd and a shared access to a shared gfn
 * through the HVA; a mismatch exits to userspace with KVM_EXIT_MEMORY_FAULT.
 * A fault elsewhere (normal slots, MMIO) takes the normal path whatever the
 * alias.  A 2M range of a private slot maps at 2M if all its gfns have one
 * attribute and, when private, the memfd backs it with one 2M folio; else
 * at 4K.
 *
 * See Documentation/virt/kvm/private-memory.rst.
 */

#include <linux/kvm_host.h>
#include <linux/processor.h>

#include "mmu.h"
#include "mmu_internal.h"
#include "private.h"
#include "tdp_mmu.h"

/**
 * kvm_x86_vm_types - the KVM_CREATE_VM types this host offers
 *
 * Private faults are handled by the TDP MMU only, so the software-protected
 * VM needs TDP (NPT or EPT).  KVM_CREATE_VM also refuses it when the tdp_mmu
 * module parameter was turned off (kvm_x86_vm_type_mmu_ok()).
 *
 * The vendor module adds its own types (kvm_intel: KVM_X86_TDX_VM when TDX
 * is enabled) in kvm_x86_ops.vendor_vm_types.
 *
 * Return: a bitmap of KVM_X86_*_VM, for KVM_CAP_VM_TYPES.
 */
u32 kvm_x86_vm_types(void)
{
	u32 types = BIT(KVM_X86_DEFAULT_VM) | kvm_x86_ops.vendor_vm_types;

	if (tdp_enabled)
		types |= BIT(KVM_X86_SW_PROTECTED_VM);
	return types;
}

/*
 * MAXPHYADDR as KVM_GET_SUPPORTED_CPUID reports it when TDP is enabled: the
 * raw CPUID.0x80000008:EAX[7:0] (memory-encryption reductions of the host
 * physical address width do not apply to GPAs).
 */
static unsigned int kvm_sw_protected_shared_bit(void)
{
	return (cpuid_eax(0x80000008) & 0xff) - 1;
}

/**
 * kvm_x86_init_vm_type - check and record the KVM_CREATE_VM type
 * @kvm: the VM being created
 * @type: KVM_CREATE_VM's argument
 *
 * Return: 0, or -EINVAL for a type KVM_CAP_VM_TYPES does not offer.
 */
int kvm_x86_init_vm_type(struct kvm *kvm, unsigned long type)
{
	if (type >= BITS_PER_TYPE(u32) || !(kvm_x86_vm_types() & BIT(type)))
		return -EINVAL;

	kvm->arch.vm_type = type;
	if (type != KVM_X86_SW_PROTECTED_VM)
		return 0;

	kvm->arch.shared_gfn_mask =
		BIT_ULL(kvm_sw_protected_shared_bit() - PAGE_SHIFT);
	kvm_private_mem_init(kvm);
	return 0;
}

/**
 * kvm_private_spt_init - give a vendor VM type private memory, mirrored
 * @kvm: the VM, from the vendor's vm_init (no memslot exists yet)
 * @shared_bit: the GPA bit that selects the shared alias (47 for a TD
 *              with a 48-bit GPA width; it may lie above the host's
 *              MAXPHYADDR)
 *
 * The vendor module then keeps the private half's page tables through
 * the kvm_x86_ops private hooks (mmu/private_spt.c).
 *
 * Return: 0, or -EINVAL without the TDP MMU (tdp_mmu=0).
 */
int kvm_private_spt_init(struct kvm *kvm, unsigned int shared_bit)
{
	if (!is_tdp_mmu_enabled(kvm))
		return -EINVAL;
	kvm->arch.shared_gfn_mask = BIT_ULL(shared_bit - PAGE_SHIFT);
	kvm->arch.private_spt = true;
	kvm_private_mem_init(kvm);
	/*
	 * A vCPU's root needs a page budget, which KVM otherwise sets only
	 * when a memslot is added (and recomputes then): without one,
	 * KVM_RUN on a TD with no memory would fail with -ENOSPC before
	 * the vendor module is asked to enter it.
	 */
	kvm_mmu_change_mmu_pages(kvm, KVM_MIN_ALLOC_MMU_PAGES);
	return 0;
}
EXPORT_SYMBOL_GPL(kvm_private_spt_init);

/* After kvm_mmu_init_vm(): a private-memory VM needs the TDP MMU. */
bool kvm_x86_vm_type_mmu_ok(struct kvm *kvm)
{
	return !kvm_arch_has_private_mem(kvm) || is_tdp_mmu_enabled(kvm);
}

bool kvm_arch_has_private_mem(struct kvm *kvm)
{
	return kvm->arch.vm_type == KVM_X86_SW_PROTECTED_VM ||
	       kvm->arch.private_spt;
}

bool kvm_arch_private_mem_supported(void)
{
	return kvm_x86_vm_types() & BIT(KVM_X86_SW_PROTECTED_VM);
}

/* Slots and attribute ranges must end at or below the shared bit. */
gfn_t kvm_arch_private_mem_gfn_limit(struct kvm *kvm)
{
	return kvm->arch.shared_gfn_mask;
}

/*
 * A TD's side of kvm_arch_private_mem_zap(): only the alias that loses its
 * pages.  A zapped private page leaves the TD with its content, so the
 * private half is zapped only when its pages go (a range made shared, a
 * punch-hole), never for a range made private, part of which may already
 * have been.  Exact ranges: a TD's private pages are 4K, and a huge
 * shared SPTE over the range goes all the same.  Also what a TD gets for
 * kvm_mmu_zap_all_fast(): the whole shared alias.
 */
void kvm_private_spt_zap(struct kvm *kvm, gfn_t start, gfn_t end,
			 bool private_pages)
{
	bool flush = false;

	write_lock(&kvm->mmu_lock);
	kvm_mmu_invalidate_begin(kvm, 0, -1ul);
	if (private_pages)
		flush = kvm_tdp_mmu_zap_leafs(kvm, start, end, false);
	else
		kvm_mmu_zap_shared_alias(kvm, start, end);
	if (flush)
		kvm_flush_remote_tlbs_with_address(kvm, start, end - start);
	kvm_mmu_invalidate_end(kvm, 0, -1ul);
	write_unlock(&kvm->mmu_lock);
}

/**
 * kvm_arch_private_mem_zap - zap what a conversion or punch-hole changes
 * @kvm: a VM with private memory
 * @start: first gfn (without the shared bit)
 * @end: gfn after the last
 * @private_pages: the range's private pages go (made shared, or punched
 *                 out of the memfd); false: the range was made private
 *
 * Both aliases: kvm_zap_gfn_range() calls kvm_mmu_zap_shared_alias().
 * Whole 2M ranges: a conversion that makes a range uniform again lets it
 * map at 2M on the next fault only once its 4K SPTEs are gone.  A TD
 * (private_spt) zaps only what changed: kvm_private_spt_zap().
 */
void kvm_arch_private_mem_zap(struct kvm *kvm, gfn_t start, gfn_t end,
			      bool private_pages)
{
	const gfn_t pages = KVM_PAGES_PER_HPAGE(PG_LEVEL_2M);

	if (kvm->arch.private_spt)
		kvm_private_spt_zap(kvm, start, end, private_pages);
	else
		kvm_zap_gfn_range(kvm, ALIGN_DOWN(start, pages),
				  ALIGN(end, pages));
}

/**
 * kvm_mmu_strip_shared_bit - split a TDP fault's gfn into gfn and alias
 * @kvm: the VM
 * @fault: a fault whose gfn is the faulting GPA's
 *
 * On a software-protected VM, records whether the access was private and
 * leaves the gfn without the shared bit, for the memslot lookup and all that
 * follows; kvm_tdp_mmu_map() puts the bit back to map the alias the guest
 * used.
 */
void kvm_mmu_strip_shared_bit(struct kvm *kvm, struct kvm_page_fault *fault)
{
	gfn_t mask = kvm->arch.shared_gfn_mask;

	if (!mask)
		return;
	fault->alias_bits = fault->gfn & mask;
	fault->is_private = !fault->alias_bits;
	fault->gfn &= ~mask;
}

/* An implicit conversion request: one exit per faulting page. */
static int kvm_private_fault_exit(struct kvm_vcpu *vcpu,
				  struct kvm_page_fault *fault)
{
	struct kvm_run *run = vcpu->run;

	run->exit_reason = KVM_EXIT_MEMORY_FAULT;
	run->memory.flags = fault->is_private ? KVM_MEMORY_EXIT_FLAG_PRIVATE : 0;
	run->memory.padding = 0;
	run->memory.gpa = gfn_to_gpa(fault->gfn);
	run->memory.size = PAGE_SIZE;
	return RET_PF_USER;
}

/*
 * The largest level the memfd's folio allows: the folio must cover the
 * whole huge page, and gfn and pfn must be congruent modulo its size (the
 * slot's private_offset may be misaligned with its base_gfn).
 */
static int kvm_private_pfn_level(gfn_t gfn, kvm_pfn_t pfn, int order)
{
	if (order < KVM_HPAGE_GFN_SHIFT(PG_LEVEL_2M) ||
	    (gfn ^ pfn) & (KVM_PAGES_PER_HPAGE(PG_LEVEL_2M) - 1))
		return PG_LEVEL_4K;
	return PG_LEVEL_2M;
}

/**
 * kvm_mmu_private_skip_host_level - tell whether @gfn maps from the memfd
 * @kvm: the VM
 * @slot: the memslot of @gfn
 * @gfn: the gfn, without the shared bit
 *
 * For kvm_mmu_max_mapping_level(): a private gfn of a private slot is not
 * mapped through the HVA, so the host page tables say nothing about it;
 * kvm_faultin_private() capped the level at the memfd's folio instead.
 */
bool kvm_mmu_private_skip_host_level(struct kvm *kvm,
				     const struct kvm_memory_slot *slot,
				     gfn_t gfn)
{
	return kvm_arch_has_private_mem(kvm) && kvm_slot_is_private(slot) &&
	       kvm_mem_is_private(kvm, gfn);
}

/**
 * kvm_faultin_private - kvm_faultin_pfn() for faults in private slots
 * @vcpu: the faulting vCPU
 * @fault: the fault, with a valid (not KVM_MEMSLOT_INVALID) slot or none
 *
 * Called after fault->mmu_seq was sampled, so an attribute change or a
 * punch-hole racing with us is caught by is_page_fault_stale(): both
 * zap through kvm_zap_gfn_range(), which bumps mmu_invalidate_seq (see
 * Documentation/virt/kvm/private-memory.rst, "Invalidation").
 *
 * Return: RET_PF_INVALID if the fault is not for a private slot or is a
 * shared access to a shared gfn (the caller continues on the HVA path);
 * RET_PF_CONTINUE with fault->pfn set from the memfd; RET_PF_USER after
 * filling a KVM_EXIT_MEMORY_FAULT exit; RET_PF_RETRY; or -errno, which
 * fails KVM_RUN (-EFAULT beyond the end of the memfd).
 */
int kvm_faultin_private(struct kvm_vcpu *vcpu, struct kvm_page_fault *fault)
{
	struct kvm_memory_slot *slot = fault->slot;
	bool private, uniform;
	int order, r;
	gfn_t start;

	if (!kvm_arch_has_private_mem(vcpu->kvm))
		return RET_PF_INVALID;
	if (!slot || !kvm_slot_is_private(slot)) {
		/* A TD's private pages come from private slots only. */
		if (vcpu->kvm->arch.private_spt && fault->is_private)
			return -EFAULT;
		return RET_PF_INVALID;
	}

	/*
	 * One lookup for the attribute and the lpage "mixed" test: the 2M
	 * range around the gfn maps at 2M only if all of it has one
	 * attribute.  Slot edges are kvm_mmu_max_mapping_level()'s business
	 * (lpage_info); 1G is not offered (shmem has no 1G folios).
	 */
	start = ALIGN_DOWN(fault->gfn, KVM_PAGES_PER_HPAGE(PG_LEVEL_2M));
	private = kvm_mem_attr_range(vcpu->kvm, fault->gfn, start,
				     start + KVM_PAGES_PER_HPAGE(PG_LEVEL_2M),
				     &uniform);
	if (private != fault->is_private)
		return kvm_private_fault_exit(vcpu, fault);
	fault->max_level = min_t(u8, fault->max_level,
				 uniform ? PG_LEVEL_2M : PG_LEVEL_4K);
	if (!private)
		return RET_PF_INVALID;

	/*
	 * Each table a TD's private fault links also takes an S-EPT page
	 * (mmu/private_spt.c), which the common top-up (a page per level)
	 * does not count.
	 */
	if (vcpu->kvm->arch.private_spt) {
		r = kvm_mmu_topup_memory_cache(&vcpu->arch.mmu_shadow_page_cache,
					       2 * PT64_ROOT_MAX_LEVEL);
		if (r)
			return r;
	}

	r = kvm_private_mem_get_pfn(slot, fault->gfn, &fault->pfn, &order);
	if (r == -EINTR)
		return RET_PF_RETRY;
	if (r == -ENOMEM || r == -ENOSPC)
		return -ENOMEM;
	if (r)
		return -EFAULT;

	fault->pfn_private = true;
	fault->max_level = min_t(u8, fault->max_level,
				 kvm_private_pfn_level(fault->gfn, fault->pfn,
						       order));
	if (vcpu->kvm->arch.private_spt)
		fault->max_level = PG_LEVEL_4K;	/* 4K S-EPT leaves only */
	fault->hva = KVM_HVA_ERR_BAD;
	fault->map_writable = !(slot->flags & KVM_MEM_READONLY);
	return RET_PF_CONTINUE;
}

/*
 * Drop the fault's page reference once the SPTE is installed (or not).  A
 * private SPTE does not hold its page: the memfd's invalidation notifier
 * zaps it before the page can leave the file.
 */
void kvm_mmu_release_fault_pfn(struct kvm_page_fault *fault, kvm_pfn_t pfn)
{
	if (fault->pfn_private)
		kvm_private_mem_put_pfn(fault->slot, pfn);
	else
		kvm_release_pfn_clean(pfn);
}

/*
 * The shared alias of [*start, *end): false if there is none.  Ranges are
 * clamped to the shared bit (memslots never reach above it).
 */
static bool kvm_shared_alias(struct kvm *kvm, gfn_t *start, gfn_t *end)
{
	gfn_t mask = kvm->arch.shared_gfn_mask;

	if (!mask || !is_tdp_mmu_enabled(kvm) || *start >= mask)
		return false;
	*end = min(*end, mask) + mask;
	*start += mask;
	return true;
}

/* From kvm_zap_gfn_range(), with mmu_lock held for write. */
void kvm_mmu_zap_shared_alias(struct kvm *kvm, gfn_t start, gfn_t end)
{
	lockdep_assert_held_write(&kvm->mmu_lock);

	if (!kvm_shared_alias(kvm, &start, &end))
		return;
	if (kvm_tdp_mmu_zap_leafs(kvm, start, end, false))
		kvm_flush_remote_tlbs_with_address(kvm, start, end - start);
}

/* From kvm_unmap_gfn_range(): the MMU notifier, slot changes. */
bool kvm_mmu_unmap_shared_alias(struct kvm *kvm, struct kvm_gfn_range *range,
				bool flush)
{
	struct kvm_gfn_range alias = *range;

	if (!kvm_shared_alias(kvm, &alias.start, &alias.end))
		return flush;
	return kvm_tdp_mmu_unmap_gfn_range(kvm, &alias, flush);
}

/* From kvm_age_gfn() and kvm_test_age_gfn(). */
bool kvm_mmu_age_shared_alias(struct kvm *kvm, struct kvm_gfn_range *range,
			      bool test_only)
{
	struct kvm_gfn_range alias = *range;

	if (!kvm_shared_alias(kvm, &alias.start, &alias.end))
		return false;
	if (test_only)
		return kvm_tdp_mmu_test_age_gfn(kvm, &alias);
	return kvm_tdp_mmu_age_gfn_range(kvm, &alias);
}

/*
 * Dirty logging.  A normal slot is mapped at both aliases, and so is the
 * shared half of a private slot: every write-protection and dirty-bit
 * clearing that dirty logging does on a slot's gfns is repeated on the
 * shared alias, or a write through the alias would go unlogged.  The
 * dirty bitmap itself is indexed by the stripped gfn (make_spte() and the
 * fast path get it; mark_page_dirty_in_slot() strips what the TDP MMU's
 * SPTE bookkeeping passes).  Eager splitting is not repeated: huge alias
 * SPTEs are write-protected like the others and split on their first
 * write.
 */

/*
 * A copy of @slot whose gfns carry the shared bit, for the TDP MMU's
 * slot-wide walks, which read base_gfn, npages, as_id, flags,
 * userspace_addr and arch (the lpage info, indexed relative to base_gfn).
 * It strips nothing: its gfns are the alias ones.
 */
static bool kvm_shared_alias_slot(struct kvm *kvm,
				  const struct kvm_memory_slot *slot,
				  struct kvm_memory_slot *alias)
{
	gfn_t mask = kvm->arch.shared_gfn_mask;

	if (!mask || !is_tdp_mmu_enabled(kvm))
		return false;
	*alias = *slot;
	alias->base_gfn |= mask;
	alias->alias_gfn_mask = 0;
	return true;
}

/* From kvm_mmu_slot_remove_write_access(), mmu_lock held for read. */
void kvm_mmu_wrprot_slot_shared_alias(struct kvm *kvm,
				      const struct kvm_memory_slot *slot,
				      int start_level)
{
	struct kvm_memory_slot alias;

	if (kvm_shared_alias_slot(kvm, slot, &alias))
		kvm_tdp_mmu_wrprot_slot(kvm, &alias, start_level);
}

/*
 * From kvm_arch_mmu_enable_log_dirty_pt_masked() (KVM_GET_DIRTY_LOG,
 * KVM_CLEAR_DIRTY_LOG), mmu_lock held for write: write-protect the 4K alias
 * SPTEs of the pages in @mask, and any huge alias SPTE around them (in
 * initially-all-set mode huge pages are not write-protected up front).
 */
void kvm_mmu_wrprot_masked_shared_alias(struct kvm *kvm,
					const struct kvm_memory_slot *slot,
					gfn_t gfn_offset, unsigned long mask)
{
	struct kvm_memory_slot alias;
	gfn_t base;

	if (!mask || !kvm_shared_alias_slot(kvm, slot, &alias))
		return;
	base = alias.base_gfn + gfn_offset;
	kvm_tdp_mmu_clear_dirty_pt_masked(kvm, &alias, base, mask, true);
	kvm_tdp_mmu_write_protect_gfn(kvm, &alias, base + __ffs(mask),
				      PG_LEVEL_2M);
	kvm_tdp_mmu_write_protect_gfn(kvm, &alias, base + __fls(mask),
				      PG_LEVEL_2M);
}

/* From kvm_mmu_slot_leaf_clear_dirty() (PML), mmu_lock held for read. */
void kvm_mmu_clear_dirty_shared_alias(struct kvm *kvm,
				      const struct kvm_memory_slot *slot)
{
	struct kvm_memory_slot alias;

	if (kvm_shared_alias_slot(kvm, slot, &alias))
		kvm_tdp_mmu_clear_dirty_slot(kvm, &alias);
}

/* From kvm_mmu_zap_collapsible_sptes() (logging off), mmu_lock for read. */
void kvm_mmu_zap_collapsible_shared_alias(struct kvm *kvm,
					  const struct kvm_memory_slot *slot)
{
	struct kvm_memory_slot alias;

	if (kvm_shared_alias_slot(kvm, slot, &alias))
		kvm_tdp_mmu_zap_collapsible_sptes(kvm, &alias);
}
