// SPDX-License-Identifier: GPL-2.0
/*
 * Private page tables kept by the vendor module: a TD's Secure EPT.
 *
 * A VM with kvm->arch.private_spt (a TD) has one TDP MMU root, like the
 * software-protected VM: a gfn with the shared bit maps the shared alias,
 * a gfn without it the private page.  The CPU walks that root only for
 * shared GPAs; the private half is KVM's mirror of the Secure EPT, which
 * only the TDX module writes.  tdp_mmu.c calls here for every change of a
 * private-half SPTE, and each is repeated in the module through the
 * vendor's kvm_x86_ops:
 *
 *  - a page table linked under a present SPTE: link_private_spt() with a
 *    second page, sp->private_spt, which the module turns into an S-EPT
 *    page (allocated with the table, from the vCPU's shadow page cache);
 *  - a leaf installed: set_private_spte() (PAGE.ADD or PAGE.AUG);
 *  - a leaf zapped: remove_private_spte(), which returns only once the
 *    page is out of the TD, or keeps (leaks) it if the module does not
 *    give it back;
 *  - a page table removed: free_private_spt(), after its leaves; nonzero
 *    if the module kept the S-EPT page, which is then never freed.
 *
 * Installs run under mmu_lock for read: the SPTE is frozen (REMOVED_SPTE)
 * while the module is called, so no other thread acts on it, and is then
 * written, or restored if the module refused.  Zaps run under mmu_lock
 * for read or write; the vendor's removal serializes on the module.
 *
 * Private leaves are 4K: kvm_faultin_private() caps a private fault's level.
 * See Documentation/virt/kvm/x86/tdx-tdp-mmu.rst.
 */

#include <linux/kvm_host.h>

#include "kvm_cache_regs.h"
#include "mmu.h"
#include "mmu_internal.h"
#include "private.h"
#include "spte.h"

/*
 * From kvm_tdp_mmu_map(), under mmu_lock (read), for a table it is about
 * to link: the S-EPT page comes from the shadow page cache, which
 * kvm_faultin_private() topped up for two pages per level.
 */
void kvm_mmu_alloc_private_spt(struct kvm_vcpu *vcpu, struct kvm_mmu_page *sp)
{
	if (!kvm_gfn_private_spt(vcpu->kvm, sp->gfn))
		return;
	sp->private_spt =
		kvm_mmu_memory_cache_alloc(&vcpu->arch.mmu_shadow_page_cache);
}

/*
 * From tdp_mmu_set_private_spte_atomic(), the SPTE frozen: make the module
 * map what @new_spte maps.  Return: 0, -EBUSY to retry the fault, or the
 * vendor's errno.
 */
int kvm_mmu_set_private_spte(struct kvm *kvm, gfn_t gfn, int level,
			     u64 new_spte)
{
	struct kvm_mmu_page *child;

	if (is_last_spte(new_spte, level))
		return static_call(kvm_x86_set_private_spte)(kvm, gfn, level,
							     spte_to_pfn(new_spte));

	child = spte_to_child_sp(new_spte);
	if (WARN_ON_ONCE(!child->private_spt))
		return -EIO;
	return static_call(kvm_x86_link_private_spt)(kvm, gfn, level,
						     child->private_spt);
}

/* From __handle_changed_spte(): a private leaf is gone from the mirror. */
void kvm_mmu_remove_private_spte(struct kvm *kvm, gfn_t gfn, int level,
				 u64 old_spte)
{
	static_call(kvm_x86_remove_private_spte)(kvm, gfn, level,
						 spte_to_pfn(old_spte));
}

/*
 * From handle_removed_pt(), after the table's leaves: take the S-EPT page
 * back.  If the module keeps it, tdp_mmu_free_sp() must not free it.
 */
void kvm_mmu_free_private_spt(struct kvm *kvm, struct kvm_mmu_page *sp)
{
	if (!sp->private_spt)
		return;
	if (static_call(kvm_x86_free_private_spt)(kvm, sp->gfn,
						  sp->role.level + 1,
						  sp->private_spt))
		sp->private_spt = NULL;
}

/**
 * kvm_mmu_private_root_ok - tell whether a vCPU's root mirrors the S-EPT
 * @vcpu: a vCPU of a VM with kvm->arch.private_spt, its root loaded
 *
 * The private half mirrored is address space 0's (not SMM's), in a
 * 4-level root (GPA width 48): a 5-level root (the vCPU's CPUID asking
 * for more than 48 bits on a 5-level EPT host) would put both halves
 * under one top-level entry.  Faults on other roots must not reach the
 * private hooks.
 *
 * Return: true if private faults may be taken on @vcpu's root.
 */
bool kvm_mmu_private_root_ok(struct kvm_vcpu *vcpu)
{
	if (is_smm(vcpu))
		return false;
	if (vcpu->arch.mmu->root_role.level != PT64_ROOT_4LEVEL) {
		pr_warn_once("kvm: a TD vCPU's TDP root must be 4-level: give it a MAXPHYADDR of 48 or less\n");
		return false;
	}
	return true;
}
EXPORT_SYMBOL_GPL(kvm_mmu_private_root_ok);

/**
 * kvm_mmu_map_private_page - one private write fault at @gpa
 * @vcpu: a vCPU of a VM with private_spt, loaded, kvm->srcu held
 * @gpa: a private GPA (shared bit clear), page-aligned
 *
 * For building a TD (KVM_TDX_INIT_MEM_REGION): the fault goes through
 * the TDP MMU like a guest's, so the module sees set_private_spte() for
 * the page and link_private_spt() for any missing table.  The caller
 * loops on -EAGAIN, and must tell a module failure (which also shows as
 * -EAGAIN, the fault being retried) from contention itself.
 *
 * Return: 0 once mapped (by this call, or before it: the vendor's hook
 * tells); -EAGAIN to try again; -EINVAL if @gpa is not a private gfn of
 * a private memslot; another errno of the fault (-EFAULT past the memfd's
 * end, -ENOMEM).
 */
int kvm_mmu_map_private_page(struct kvm_vcpu *vcpu, gpa_t gpa)
{
	struct kvm *kvm = vcpu->kvm;
	struct kvm_memory_slot *slot;
	gfn_t gfn = gpa_to_gfn(gpa);
	int r;

	if (!kvm_gfn_private_spt(kvm, gfn) || offset_in_page(gpa))
		return -EINVAL;
	slot = gfn_to_memslot(kvm, gfn);
	if (!slot || !kvm_slot_is_private(slot) || !kvm_mem_is_private(kvm, gfn))
		return -EINVAL;

	/* The vCPU does not run: nobody else frees its obsolete roots. */
	if (kvm_check_request(KVM_REQ_MMU_FREE_OBSOLETE_ROOTS, vcpu))
		kvm_mmu_free_obsolete_roots(vcpu);
	r = kvm_mmu_reload(vcpu);
	if (r)
		return r;
	if (!kvm_mmu_private_root_ok(vcpu))
		return -EINVAL;
	r = kvm_mmu_do_page_fault(vcpu, gpa, PFERR_WRITE_MASK, false, NULL);
	if (r < 0)
		return r;
	switch (r) {
	case RET_PF_FIXED:
		return 0;
	case RET_PF_RETRY:
		return -EAGAIN;
	case RET_PF_SPURIOUS:
		return 0;
	default:
		/* User, emulate: the gfn is not private (any more). */
		return -EINVAL;
	}
}
EXPORT_SYMBOL_GPL(kvm_mmu_map_private_page);
