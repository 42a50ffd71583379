// SPDX-License-Identifier: GPL-2.0
/*
 * A TD's private memory: the Secure EPT that the TDP MMU's private half
 * mirrors (arch/x86/kvm/mmu/private_spt.c calls the hooks here), and
 * KVM_TDX_INIT_MEM_REGION, which builds the TD's initial memory through
 * that path.
 *
 * Levels: KVM passes the level of the SPTE (PG_LEVEL_4K = 1 ...); the
 * module numbers S-EPT entries from 0 (4K leaf).  An entry at KVM level L
 * is the module's level L - 1, for leaves and for the entry pointing to
 * a new table alike.
 *
 * While the TD has its KeyID, a private page or S-EPT page leaves the TD
 * by the module's removal protocol: RANGE.BLOCK, TRACK, every vCPU out of
 * the guest (new TLB epoch), PAGE.REMOVE or SEPT.REMOVE, then
 * PHYMEM.PAGE.WBINVD with the TD's KeyID.  Once the KeyID is released
 * (tdx_flush_shadow_all_private(), before the VM's final zap) a page is
 * taken back with TDH.PHYMEM.PAGE.RECLAIM alone.  A page the module does
 * not give back is leaked and counted; a private page so leaked keeps a
 * reference, so that its memfd never frees it.
 *
 * Locking: the hooks run under mmu_lock (read for installs and some
 * zaps, write for others).  KVM_TDX_INIT_MEM_REGION holds kvm->lock, so
 * only one runs, and no vCPU of the TD runs before KVM_TDX_FINALIZE_VM
 * (@source_pa is its alone); after it, faults of running vCPUs add pages
 * with PAGE.AUG concurrently (the module serializes them on the S-EPT;
 * busy is retried by the fault).
 */

#define pr_fmt(fmt) "kvm_intel: " fmt

#include <linux/kvm_host.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>
#include <asm/tdx.h>
#include <asm/tdx_tdh.h>

#include "mmu/private.h"
#include "tdx.h"

static phys_addr_t tdx_tdr_pa(struct kvm *kvm)
{
	return page_to_phys(to_kvm_tdx(kvm)->tdr);
}

/*
 * A failed install: KVM_TDX_INIT_MEM_REGION reports the status (the fault
 * itself only retries).  Busy is not a failure: the fault retries.
 */
static int tdx_sept_status(struct kvm *kvm, u64 st)
{
	int ret = tdx_errno(st);

	if (ret && ret != -EBUSY)
		WRITE_ONCE(to_kvm_tdx(kvm)->sept_status, st);
	return ret;
}

static int tdx_sept_link_private_spt(struct kvm *kvm, gfn_t gfn, int level,
				     void *private_spt)
{
	u64 st, rcx, rdx;

	if (tdx_td_dead(to_kvm_tdx(kvm)))
		return tdx_sept_status(kvm, TDX_SW_ERROR);
	st = tdh_mem_sept_add(tdx_tdr_pa(kvm), gfn_to_gpa(gfn), level - 1,
			      __pa(private_spt), &rcx, &rdx);
	return tdx_sept_status(kvm, st);
}

/*
 * Before KVM_TDX_FINALIZE_VM the page is copied in from the source that
 * KVM_TDX_INIT_MEM_REGION pinned (TDH.MEM.PAGE.ADD); after it, it joins
 * the TD pending the guest's acceptance (TDH.MEM.PAGE.AUG).
 */
static int tdx_sept_set_private_spte(struct kvm *kvm, gfn_t gfn, int level,
				     kvm_pfn_t pfn)
{
	struct kvm_tdx *kvm_tdx = to_kvm_tdx(kvm);
	phys_addr_t pa = PFN_PHYS(pfn);
	u64 st, rcx, rdx;

	if (tdx_td_dead(kvm_tdx) || level != PG_LEVEL_4K)
		return tdx_sept_status(kvm, TDX_SW_ERROR);
	/* Pairs with the store-release of KVM_TDX_FINALIZE_VM. */
	if (smp_load_acquire(&kvm_tdx->finalized))
		st = tdh_mem_page_aug(tdx_tdr_pa(kvm), gfn_to_gpa(gfn),
				      TDX_SEPT_LEVEL_4K, pa, &rcx, &rdx);
	else if (kvm_tdx->source_pa)
		st = tdh_mem_page_add(tdx_tdr_pa(kvm), gfn_to_gpa(gfn), pa,
				      kvm_tdx->source_pa, &rcx, &rdx);
	else
		return -EINVAL;	/* only KVM_TDX_INIT_MEM_REGION maps now */
	if (tdx_errno(st))
		return tdx_sept_status(kvm, st);
	/* Consumed: KVM_TDX_INIT_MEM_REGION sees that the page was added. */
	kvm_tdx->source_pa = 0;
	return 0;
}

/* A page the module keeps: never to be freed or reused. */
static void tdx_sept_leak(struct kvm *kvm, struct page *page, const char *what,
			  gfn_t gfn, u64 st)
{
	pr_err_ratelimited("TD private memory: %s of gfn %#llx failed (%#llx): page %#llx leaked\n",
			   what, gfn, st, (u64)page_to_phys(page));
	tdx_page_leaked(page_to_phys(page));
}

/*
 * Removal leaves contend with each other on the S-EPT and the TD's epoch
 * (zaps under mmu_lock for read run in parallel): busy is retried, a
 * bounded number of times, as a leaked page is the price of giving up.
 */
#define TDX_SEPT_BUSY_TRIES	64

typedef u64 (*tdx_sept_leaf_t)(phys_addr_t tdr, u64 gpa, int level, u64 *rcx,
			       u64 *rdx);

static u64 tdx_sept_call(tdx_sept_leaf_t leaf, struct kvm *kvm, gfn_t gfn,
			 int level)
{
	u64 st, rcx, rdx;
	int i;

	for (i = 0; i < TDX_SEPT_BUSY_TRIES; i++) {
		st = leaf(tdx_tdr_pa(kvm), gfn_to_gpa(gfn), level - 1, &rcx,
			  &rdx);
		if (tdx_errno(st) != -EBUSY)
			break;
		cpu_relax();
	}
	return st;
}

/* Until the previous TLB epoch is drained, TRACK reports busy. */
static u64 tdx_sept_track(struct kvm *kvm)
{
	u64 st;
	int i;

	for (i = 0; i < TDX_SEPT_BUSY_TRIES; i++) {
		st = tdh_mem_track(tdx_tdr_pa(kvm));
		if (tdx_errno(st) != -EBUSY)
			break;
		cpu_relax();
	}
	return st;
}

/*
 * Make the entry at @level for @gfn unreachable: BLOCK, a new TLB epoch,
 * and every vCPU out of the TD so none still uses the old one.
 */
static u64 tdx_sept_block(struct kvm *kvm, gfn_t gfn, int level)
{
	u64 st;

	st = tdx_sept_call(tdh_mem_range_block, kvm, gfn, level);
	if (tdx_errno(st))
		return st;
	st = tdx_sept_track(kvm);
	if (tdx_errno(st))
		return st;
	kvm_make_all_cpus_request(kvm, KVM_REQ_OUTSIDE_GUEST_MODE);
	return 0;
}

/*
 * A removed page still has the TD's KeyID (@hkid, read once: a release
 * racing with a zap from another process cannot make it -1 here) in the
 * cache lines it used.
 */
static u64 tdx_sept_wbinvd(int hkid, phys_addr_t pa)
{
	return tdh_phymem_page_wbinvd(tdx_hkid_pa(pa, hkid));
}

/*
 * Take @page, mapped by the S-EPT entry at @level for @gfn, out of the TD:
 * with the KeyID, BLOCK and TRACK, then @remove (PAGE.REMOVE for a leaf,
 * SEPT.REMOVE for a table), then WBINVD; once the KeyID is released,
 * RECLAIM.  Cleared for the host if it came back.
 * Return: 0, or -EIO if the module keeps it (leaked and counted).
 */
static int tdx_sept_take_out(struct kvm *kvm, gfn_t gfn, int level,
			     struct page *page, tdx_sept_leaf_t remove,
			     const char *remove_name)
{
	int hkid = READ_ONCE(to_kvm_tdx(kvm)->hkid);
	const char *what;
	u64 st;

	if (hkid < 0) {
		if (tdx_reclaim_page(page))
			return -EIO;
		tdx_clear_page(page);
		return 0;
	}

	what = "TDH.MEM.RANGE.BLOCK/TRACK";
	st = tdx_sept_block(kvm, gfn, level);
	if (tdx_errno(st))
		goto leak;
	what = remove_name;
	st = tdx_sept_call(remove, kvm, gfn, level);
	if (tdx_errno(st))
		goto leak;
	what = "TDH.PHYMEM.PAGE.WBINVD";
	st = tdx_sept_wbinvd(hkid, page_to_phys(page));
	if (tdx_errno(st))
		goto leak;
	tdx_clear_page(page);
	return 0;

leak:
	tdx_sept_leak(kvm, page, what, gfn, st);
	return -EIO;
}

/* A private page the module keeps also keeps a reference: never freed. */
static void tdx_sept_remove_private_spte(struct kvm *kvm, gfn_t gfn,
					 int level, kvm_pfn_t pfn)
{
	struct page *page = pfn_to_page(pfn);

	if (tdx_sept_take_out(kvm, gfn, level, page, tdh_mem_page_remove,
			      "TDH.MEM.PAGE.REMOVE"))
		get_page(page);
}

/* Return: 0 if the S-EPT page is the host's again, -EIO if leaked. */
static int tdx_sept_free_private_spt(struct kvm *kvm, gfn_t gfn, int level,
				     void *private_spt)
{
	return tdx_sept_take_out(kvm, gfn, level, virt_to_page(private_spt),
				 tdh_mem_sept_remove, "TDH.MEM.SEPT.REMOVE");
}

/* The hooks; mmu/private_spt.c calls them for TDs only. */
void tdx_sept_setup(struct kvm_x86_ops *ops)
{
	ops->link_private_spt = tdx_sept_link_private_spt;
	ops->free_private_spt = tdx_sept_free_private_spt;
	ops->set_private_spte = tdx_sept_set_private_spte;
	ops->remove_private_spte = tdx_sept_remove_private_spte;
	ops->flush_shadow_all_private = tdx_flush_shadow_all_private;
}

/*
 * KVM_TDX_INIT_MEM_REGION, one page: PAGE.ADD from @source through a
 * private write fault on @vcpu, then MR.EXTEND of its 256-byte chunks.
 */
static int tdx_init_mem_page(struct kvm_vcpu *vcpu, gpa_t gpa, u64 source,
			     bool measure, struct kvm_tdx_cmd *cmd)
{
	struct kvm_tdx *kvm_tdx = to_kvm_tdx(vcpu->kvm);
	struct page *src;
	u64 st, rcx, rdx;
	int ret, i, idx;

	/* Before kvm->srcu: a userfaultfd source may wait on a memslot change. */
	ret = get_user_pages_fast(source, 1, 0, &src);
	if (ret != 1)
		return ret < 0 ? ret : -EFAULT;

	kvm_tdx->source_pa = page_to_phys(src);
	WRITE_ONCE(kvm_tdx->sept_status, 0);
	idx = srcu_read_lock(&vcpu->kvm->srcu);
	for (;;) {
		ret = kvm_mmu_map_private_page(vcpu, gpa);
		st = READ_ONCE(kvm_tdx->sept_status);
		if (ret != -EAGAIN)
			break;
		if (st) {
			ret = tdx_errno(st);
			cmd->error = st;
			break;
		}
		if (signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		cond_resched();
	}
	srcu_read_unlock(&vcpu->kvm->srcu, idx);
	/* A fault that found the page mapped did not consume the source. */
	if (!ret && kvm_tdx->source_pa)
		ret = -EINVAL;
	kvm_tdx->source_pa = 0;
	put_page(src);
	if (ret || !measure)
		return ret;

	for (i = 0; i < PAGE_SIZE; i += TDX_EXTENDMR_CHUNKSIZE) {
		st = tdh_mr_extend(page_to_phys(kvm_tdx->tdr), gpa + i,
				   &rcx, &rdx);
		if (tdx_errno(st)) {
			cmd->error = st;
			return tdx_errno(st);
		}
	}
	return 0;
}

/* Page-aligned, not empty, no wrap, and all of it private. */
static bool tdx_mem_region_ok(struct kvm *kvm,
			      const struct kvm_tdx_init_mem_region *r)
{
	u64 size;

	if (!PAGE_ALIGNED(r->source_addr) || !PAGE_ALIGNED(r->gpa) ||
	    !r->nr_pages || r->nr_pages > (U64_MAX >> PAGE_SHIFT))
		return false;
	size = r->nr_pages << PAGE_SHIFT;
	if (r->gpa + size < r->gpa || r->source_addr + size < r->source_addr)
		return false;
	return kvm_gfn_private_spt(kvm, gpa_to_gfn(r->gpa)) &&
	       kvm_gfn_private_spt(kvm, gpa_to_gfn(r->gpa + size - 1));
}

/**
 * tdx_init_mem_region - KVM_TDX_INIT_MEM_REGION
 * @kvm: a TD, kvm->lock held
 * @cmd: the command; @cmd->data points to struct kvm_tdx_init_mem_region
 *
 * Each page is mapped on the first vCPU's MMU (so a vCPU must exist) and
 * measured if asked.  The struct is written back with the pages not done
 * (source_addr, gpa advanced, nr_pages left), so that userspace can go on
 * after -EINTR or see where a failure stopped.
 *
 * Return: 0; -EINVAL (no TD, finalized, no vCPU, bad flags, unaligned,
 * empty, wrapping, shared GPA, a GPA not private in a private memslot or
 * already added); -EFAULT; -EINTR; the module's errno (cmd->error set).
 */
int tdx_init_mem_region(struct kvm *kvm, struct kvm_tdx_cmd *cmd)
{
	struct kvm_tdx_init_mem_region __user *user = u64_to_user_ptr(cmd->data);
	struct kvm_tdx *kvm_tdx = to_kvm_tdx(kvm);
	struct kvm_tdx_init_mem_region region;
	bool measure = cmd->flags & KVM_TDX_MEASURE_MEMORY_REGION;
	struct kvm_vcpu *vcpu;
	int ret = 0;

	lockdep_assert_held(&kvm->lock);
	if (!kvm_tdx->tdr || kvm_tdx->finalized ||
	    (cmd->flags & ~KVM_TDX_MEASURE_MEMORY_REGION) ||
	    !atomic_read(&kvm->online_vcpus))
		return -EINVAL;
	if (tdx_td_dead(kvm_tdx))
		return -EIO;
	if (copy_from_user(&region, user, sizeof(region)))
		return -EFAULT;
	if (!tdx_mem_region_ok(kvm, &region))
		return -EINVAL;

	vcpu = kvm_get_vcpu(kvm, 0);
	if (mutex_lock_killable(&vcpu->mutex))
		return -EINTR;
	vcpu_load(vcpu);
	while (region.nr_pages) {
		if (signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		ret = tdx_init_mem_page(vcpu, region.gpa, region.source_addr,
					measure, cmd);
		if (ret)
			break;
		region.source_addr += PAGE_SIZE;
		region.gpa += PAGE_SIZE;
		region.nr_pages--;
		cond_resched();
	}
	vcpu_put(vcpu);
	mutex_unlock(&vcpu->mutex);

	if (copy_to_user(user, &region, sizeof(region)))
		ret = -EFAULT;
	return ret;
}
