// SPDX-License-Identifier: GPL-2.0
/*
 * The TD side of kvm_intel's VM operations, called by the vt_*()
 * wrappers in main.c for VMs of type KVM_X86_TDX_VM: building a TD
 * through KVM_MEMORY_ENCRYPT_OP (Documentation/virt/kvm/x86/intel-tdx.rst)
 * and tearing it down when the VM is destroyed.
 *
 * A TD's control structures live in the TDX module, reached through the
 * host core's tdh_*() wrappers (asm/tdx_tdh.h).  KVM_TDX_INIT_VM takes a
 * KeyID, creates the TD (TDR), configures its key on every package,
 * adds the TDCS pages and initializes it from TD_PARAMS (tdx_params.c).
 * Until TDH.MNG.CREATE succeeds the pages are the host's; from then on
 * they are the module's and only the teardown gives them back: VPFLUSHDONE,
 * CACHE.WB on every package, KEY.FREEID, then PAGE.RECLAIM of each page,
 * the TDR last.  A page whose reclaim fails is leaked on purpose and
 * counted (tdx_reclaim_page()); a KeyID whose FREEID fails is never
 * given back, and neither are the TD's pages.
 *
 * SEAMCALL statuses become errnos in tdx_errno() only; the status itself
 * reaches userspace in kvm_tdx_cmd.error.
 *
 * A TD's vCPUs are built in tdx_vcpu.c; the teardown here flushes them
 * and reclaims their pages before the TD's own.
 */
#define pr_fmt(fmt) "kvm_intel: " fmt

#include <linux/cpu.h>
#include <linux/debugfs.h>
#include <linux/kvm_host.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/tdx.h>
#include <asm/tdx_tdh.h>

#include "capabilities.h"
#include "mmu/private.h"
#include "tdx.h"
#include "tdx_params.h"
#include "x86.h"

int tdx_vm_init(struct kvm *kvm)
{
	struct kvm_tdx *kvm_tdx = to_kvm_tdx(kvm);

	kvm_tdx->hkid = -1;
	/* No vCPU before KVM_TDX_INIT_VM sets how many the TD may have. */
	kvm->max_vcpus = 0;
	/*
	 * Private memory, its shared bit at 47: a 48-bit GPA width (INIT_VM
	 * refuses 52).  The S-EPT hooks are in tdx_sept.c.
	 */
	return kvm_private_spt_init(kvm, TDX_SHARED_BIT_GPAW_48);
}

/*
 * A TD's vCPUs exist between KVM_TDX_INIT_VM and KVM_TDX_FINALIZE_VM: the
 * module adds no vCPU to a finalized TD.  Called under kvm->lock.
 */
int tdx_vcpu_precreate(struct kvm *kvm)
{
	struct kvm_tdx *kvm_tdx = to_kvm_tdx(kvm);

	lockdep_assert_held(&kvm->lock);
	if (!kvm_tdx->tdr || kvm_tdx->finalized)
		return -EINVAL;
	return 0;
}

/* Per package: KEY.CONFIG or CACHE.WB, the first failure kept. */
struct tdx_pkg_call {
	struct kvm_tdx *kvm_tdx;
	u64 status;
};

static void tdx_pkg_status(struct tdx_pkg_call *c, u64 st)
{
	if (tdx_errno(st) && !c->status)
		c->status = st;
}

static void tdx_key_config_pkg(void *arg)
{
	struct tdx_pkg_call *c = arg;

	tdx_pkg_status(c, tdh_mng_key_config(page_to_phys(c->kvm_tdx->tdr)));
}

static void tdx_cache_wb_pkg(void *arg)
{
	struct tdx_pkg_call *c = arg;
	u64 st = tdh_phymem_cache_wb(false);

	while ((st & TDX_STATUS_CLASS_MASK) == TDX_STATUS_INTERRUPTED_RESUMABLE)
		st = tdh_phymem_cache_wb(true);
	tdx_pkg_status(c, st);
}

/* Run @fn on one CPU of every package; the first failing status. */
static u64 tdx_on_packages(struct kvm_tdx *kvm_tdx, smp_call_func_t fn)
{
	struct tdx_pkg_call c = { .kvm_tdx = kvm_tdx };
	int ret;

	cpus_read_lock();
	ret = tdx_on_each_package(fn, &c);
	cpus_read_unlock();
	return ret ? TDX_SW_ERROR : c.status;
}

static u64 tdx_release_hkid_step(struct kvm_tdx *kvm_tdx, int step)
{
	phys_addr_t tdr = page_to_phys(kvm_tdx->tdr);

	switch (step) {
	case 0:
		return tdh_mng_vpflushdone(tdr);
	case 1:
		return tdx_on_packages(kvm_tdx, tdx_cache_wb_pkg);
	default:
		return tdh_mng_key_freeid(tdr);
	}
}

/*
 * VPFLUSHDONE, CACHE.WB on every package, KEY.FREEID: the KeyID is
 * free again and the TD's pages can be reclaimed.  Each leaf is retried,
 * and a second call (vm_destroy after the MMU notifier's release) goes on
 * from the step that failed: VPFLUSHDONE cannot be repeated.
 * Return: 0, or the status of the leaf that kept failing.
 */
static u64 tdx_release_hkid(struct kvm_tdx *kvm_tdx)
{
	static const char * const names[] = {
		"TDH.MNG.VPFLUSHDONE", "TDH.PHYMEM.CACHE.WB", "TDH.MNG.KEY.FREEID",
	};
	int step, i;
	u64 st = 0;

	for (step = kvm_tdx->release_step; step < ARRAY_SIZE(names); step++) {
		for (i = 0; i < TDX_TEARDOWN_TRIES; i++) {
			st = tdx_release_hkid_step(kvm_tdx, step);
			if (!tdx_errno(st))
				break;
		}
		if (tdx_errno(st)) {
			pr_err("TD teardown: %s failed (%#llx): KeyID %d and the TD's pages are leaked\n",
			       names[step], st, kvm_tdx->hkid);
			return st;
		}
		kvm_tdx->release_step = step + 1;
	}
	tdx_guest_keyid_free(kvm_tdx->hkid);
	WRITE_ONCE(kvm_tdx->hkid, -1);
	return 0;
}

/* Free tdcs[] and its pages from @first on (those before are the module's). */
static void tdx_free_tdcs(struct kvm_tdx *kvm_tdx, unsigned int first)
{
	unsigned int i;

	for (i = first; i < kvm_tdx->nr_tdcs; i++)
		__free_page(kvm_tdx->tdcs[i]);
	kfree(kvm_tdx->tdcs);
	kvm_tdx->tdcs = NULL;
	kvm_tdx->nr_tdcs = 0;
	kvm_tdx->nr_tdcs_added = 0;
}

/* End every vCPU's association with a CPU: VPFLUSHDONE requires it. */
static void tdx_flush_vcpus(struct kvm *kvm)
{
	struct kvm_vcpu *vcpu;
	unsigned long i;

	cpus_read_lock();
	kvm_for_each_vcpu(i, vcpu, kvm)
		tdx_vcpu_flush(vcpu);
	cpus_read_unlock();
}

/*
 * The first half of the teardown: flush the vCPUs and release the KeyID,
 * unless done already.  Return: whether the KeyID is released.
 */
static bool tdx_td_release(struct kvm_tdx *kvm_tdx)
{
	if (kvm_tdx->hkid < 0)
		return true;
	tdx_flush_vcpus(&kvm_tdx->kvm);
	return !tdx_release_hkid(kvm_tdx);
}

/**
 * tdx_flush_shadow_all_private - release a TD's KeyID before the final zap
 * @kvm: any VM; kvm_arch_flush_shadow_all() calls it first
 *
 * The MMU notifier's release (the process's mm going away, or
 * kvm_destroy_vm()) zaps every SPTE next.  With the KeyID released, the
 * zap reclaims each private page and S-EPT page (TDH.PHYMEM.PAGE.RECLAIM)
 * instead of removing them one by one.  The VM's fd may still be open: the
 * TD is dead from here on (hkid < 0 with a TDR), and every later build
 * command fails with -EIO; vm_destroy reclaims the rest.
 */
void tdx_flush_shadow_all_private(struct kvm *kvm)
{
	struct kvm_tdx *kvm_tdx = to_kvm_tdx(kvm);

	if (!is_td(kvm))
		return;
	/*
	 * The caller holds kvm->srcu, and kvm->lock may be held by a task
	 * waiting for an SRCU grace period (KVM_X86_SET_MSR_FILTER): do not
	 * wait for it.  Contended (only when another process uses the VM's
	 * fd while this mm goes away), the KeyID stays; the zap then removes
	 * each page from the live TD, and vm_destroy releases it.
	 */
	if (!mutex_trylock(&kvm->lock))
		return;
	if (kvm_tdx->tdr)
		tdx_td_release(kvm_tdx);
	mutex_unlock(&kvm->lock);
}

/*
 * Tear down a TD the module holds (after TDH.MNG.CREATE): flush its
 * vCPUs, release the KeyID (if tdx_flush_shadow_all_private() did not),
 * reclaim the vCPUs' pages, the TDCS pages, then the TDR.  If the KeyID
 * cannot be released, no page can be reclaimed: all are leaked.  No vCPU
 * ioctl runs any more (vm_destroy, or INIT_VM before any vCPU exists).
 */
static void tdx_td_teardown(struct kvm_tdx *kvm_tdx)
{
	struct kvm *kvm = &kvm_tdx->kvm;
	struct kvm_vcpu *vcpu;
	unsigned long v;
	unsigned int i;
	bool released;

	released = tdx_td_release(kvm_tdx);
	kvm_for_each_vcpu(v, vcpu, kvm)
		tdx_vcpu_teardown(vcpu, released);
	if (!released) {
		for (i = 0; i < kvm_tdx->nr_tdcs_added; i++)
			tdx_page_leaked(page_to_phys(kvm_tdx->tdcs[i]));
		tdx_page_leaked(page_to_phys(kvm_tdx->tdr));
	} else {
		for (i = 0; i < kvm_tdx->nr_tdcs_added; i++)
			tdx_reclaim_free(kvm_tdx->tdcs[i]);
		tdx_reclaim_free(kvm_tdx->tdr);
	}
	/* The pages added are reclaimed or leaked; free the others. */
	tdx_free_tdcs(kvm_tdx, kvm_tdx->nr_tdcs_added);
	kvm_tdx->tdr = NULL;
}

void tdx_vm_destroy(struct kvm *kvm)
{
	struct kvm_tdx *kvm_tdx = to_kvm_tdx(kvm);

	if (kvm_tdx->tdr)
		tdx_td_teardown(kvm_tdx);
}

static int tdx_alloc_td_pages(struct kvm_tdx *kvm_tdx, unsigned int nr_tdcs)
{
	unsigned int i;

	kvm_tdx->tdcs = kcalloc(nr_tdcs, sizeof(*kvm_tdx->tdcs),
				GFP_KERNEL_ACCOUNT);
	if (!kvm_tdx->tdcs)
		return -ENOMEM;
	for (i = 0; i < nr_tdcs; i++) {
		kvm_tdx->tdcs[i] = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
		if (!kvm_tdx->tdcs[i])
			goto free_tdcs;
		kvm_tdx->nr_tdcs++;
	}
	return 0;

free_tdcs:
	tdx_free_tdcs(kvm_tdx, 0);
	return -ENOMEM;
}

/*
 * TDH.MNG.CREATE, KEY.CONFIG on every package, ADDCX of each TDCS page,
 * MNG.INIT.  @tdr becomes kvm_tdx's once CREATE succeeded; a later
 * failure leaves it there for tdx_td_teardown().
 */
static u64 tdx_td_create(struct kvm_tdx *kvm_tdx, struct page *tdr,
			 struct page *params)
{
	u64 st, rcx;
	unsigned int i;

	st = tdh_mng_create(page_to_phys(tdr), kvm_tdx->hkid);
	if (tdx_errno(st))
		return st;
	kvm_tdx->tdr = tdr;
	/* A TD of a failed INIT_VM may have been released before. */
	kvm_tdx->release_step = 0;

	st = tdx_on_packages(kvm_tdx, tdx_key_config_pkg);
	if (tdx_errno(st))
		return st;

	for (i = 0; i < kvm_tdx->nr_tdcs; i++) {
		st = tdh_mng_addcx(page_to_phys(tdr),
				   page_to_phys(kvm_tdx->tdcs[i]));
		if (tdx_errno(st))
			return st;
		kvm_tdx->nr_tdcs_added++;
	}
	return tdh_mng_init(page_to_phys(tdr), page_to_phys(params), &rcx);
}

/* What the host offers the TD, from KVM's capabilities and the VM. */
static void tdx_host_caps(struct kvm *kvm, struct tdx_host_caps *host)
{
	host->supported_xcr0 = kvm_caps.supported_xcr0;
	host->supported_xss = kvm_caps.supported_xss;
	host->tsc_khz = READ_ONCE(kvm->arch.default_tsc_khz);
	host->max_vcpus = KVM_MAX_VCPUS;
	host->ept_5level = cpu_has_vmx_ept_5levels();
}

/* TD_PARAMS in a page of its own (1024-byte aligned), from userspace. */
static int tdx_read_params(struct kvm *kvm, struct kvm_tdx_cmd *cmd,
			   const struct tdx_td_sysinfo *si, struct page *params)
{
	struct kvm_tdx_init_vm *init;
	struct tdx_host_caps host;
	int ret;

	init = kvzalloc(sizeof(*init), GFP_KERNEL_ACCOUNT);
	if (!init)
		return -ENOMEM;
	ret = -EFAULT;
	if (copy_from_user(init, u64_to_user_ptr(cmd->data), sizeof(*init)))
		goto free_init;
	ret = tdx_init_vm_check(init, KVM_MAX_VCPUS);
	if (ret)
		goto free_init;
	tdx_host_caps(kvm, &host);
	ret = tdx_td_params_build(init, si, &host, page_address(params));
	/*
	 * KVM's private memory fixes a TD's shared bit at 47 when the VM is
	 * created (mmu/private.c), before the CPUID that would choose GPA
	 * width 52 arrives.
	 */
	if (!ret && (((struct td_params *)page_address(params))->exec_controls &
		     TDX_EXEC_CONTROL_MAX_GPAW)) {
		pr_warn_once("TDs with a 52-bit GPA width are not supported: give CPUID 0x80000008 a MAXPHYADDR of 48 or less\n");
		ret = -EOPNOTSUPP;
	}

free_init:
	kvfree(init);
	return ret;
}

/*
 * debugfs tdx_mrtd: the finalized TD's MRTD, empty before.  The file is
 * removed before the VM's TD is torn down (kvm_destroy_vm_debugfs()
 * waits for readers), so the TDR is valid here.
 */
static int tdx_mrtd_show(struct seq_file *m, void *unused)
{
	struct kvm_tdx *kvm_tdx = m->private;
	u64 mrtd[6];
	unsigned int i;

	/* Pairs with the store-release of KVM_TDX_FINALIZE_VM. */
	if (!smp_load_acquire(&kvm_tdx->finalized))
		return 0;
	for (i = 0; i < ARRAY_SIZE(mrtd); i++)
		if (tdx_errno(tdh_mng_rd(page_to_phys(kvm_tdx->tdr),
					 TDX_MD_MRTD(i), &mrtd[i])))
			return -EIO;
	/* TDH.MNG.RD returns the digest's bytes in little-endian words. */
	seq_printf(m, "%*phN\n", (int)sizeof(mrtd), mrtd);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(tdx_mrtd);

/*
 * KVM_TDX_INIT_VM: build the TD from userspace's parameters.  On any
 * failure the VM is as before the call (a TD the module got is torn
 * down), so userspace may fix its input and try again.
 */
static int tdx_init_vm(struct kvm *kvm, struct kvm_tdx_cmd *cmd)
{
	struct kvm_tdx *kvm_tdx = to_kvm_tdx(kvm);
	struct tdx_td_sysinfo si;
	struct page *params, *tdr;
	int ret;
	u64 st;

	lockdep_assert_held(&kvm->lock);
	if (kvm_tdx->tdr || cmd->flags || kvm->created_vcpus)
		return -EINVAL;
	ret = tdx_get_td_sysinfo(&si);
	if (ret)
		return ret;

	params = alloc_page(GFP_KERNEL_ACCOUNT);
	if (!params)
		return -ENOMEM;
	ret = tdx_read_params(kvm, cmd, &si, params);
	if (ret)
		goto free_params;

	ret = -ENOMEM;
	tdr = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	if (!tdr)
		goto free_params;
	ret = tdx_alloc_td_pages(kvm_tdx, si.tdcs_nr_pages);
	if (ret)
		goto free_tdr;
	ret = tdx_guest_keyid_alloc();
	if (ret < 0)
		goto free_td_pages;
	kvm_tdx->hkid = ret;

	st = tdx_td_create(kvm_tdx, tdr, params);
	ret = tdx_errno(st);
	if (ret) {
		cmd->error = st;
		if (kvm_tdx->tdr)
			goto teardown;
		goto free_hkid;
	}

	kvm->max_vcpus = ((struct td_params *)page_address(params))->max_vcpus;
	debugfs_create_file("tdx_mrtd", 0400, kvm->debugfs_dentry, kvm_tdx,
			    &tdx_mrtd_fops);
	__free_page(params);
	return 0;

teardown:
	/* Reclaims (or leaks) the TDR and TDCS pages, frees the KeyID. */
	tdx_td_teardown(kvm_tdx);
	goto free_params;
free_hkid:
	tdx_guest_keyid_free(kvm_tdx->hkid);
	kvm_tdx->hkid = -1;
free_td_pages:
	tdx_free_tdcs(kvm_tdx, 0);
free_tdr:
	__free_page(tdr);
free_params:
	__free_page(params);
	return ret;
}

/* KVM_TDX_FINALIZE_VM: TDH.MR.FINALIZE; the MRTD is fixed from now on. */
static int tdx_finalize_vm(struct kvm *kvm, struct kvm_tdx_cmd *cmd)
{
	struct kvm_tdx *kvm_tdx = to_kvm_tdx(kvm);
	u64 st;

	lockdep_assert_held(&kvm->lock);
	if (cmd->flags || cmd->data || !kvm_tdx->tdr || kvm_tdx->finalized)
		return -EINVAL;
	if (tdx_td_dead(kvm_tdx))
		return -EIO;
	st = tdh_mr_finalize(page_to_phys(kvm_tdx->tdr));
	if (tdx_errno(st)) {
		cmd->error = st;
		return tdx_errno(st);
	}
	/* The MRTD is final before the debugfs reader can see finalized. */
	smp_store_release(&kvm_tdx->finalized, true);
	return 0;
}

/* KVM_TDX_CAPABILITIES: the header, then as many configs as fit. */
static int tdx_get_capabilities(struct kvm_tdx_cmd *cmd)
{
	struct kvm_tdx_capabilities __user *user = u64_to_user_ptr(cmd->data);
	struct kvm_tdx_capabilities *caps;
	struct tdx_td_sysinfo si;
	u32 room;
	int ret;

	if (cmd->flags || cmd->error || cmd->unused)
		return -EINVAL;
	ret = tdx_get_td_sysinfo(&si);
	if (ret)
		return ret;
	if (get_user(room, &user->nr_cpuid_configs))
		return -EFAULT;
	room = min_t(u32, room, si.num_cpuid_config);
	caps = kzalloc(struct_size(caps, cpuid_configs, room), GFP_KERNEL);
	if (!caps)
		return -ENOMEM;
	ret = tdx_caps_fill(&si, caps, room);
	if (ret == -E2BIG) {
		/* Say how many are needed: no need to guess by doubling. */
		if (put_user(caps->nr_cpuid_configs, &user->nr_cpuid_configs))
			ret = -EFAULT;
	} else if (copy_to_user(user, caps, struct_size(caps, cpuid_configs,
							 room))) {
		ret = -EFAULT;
	}
	kfree(caps);
	return ret;
}

/*
 * KVM_MEMORY_ENCRYPT_OP on a TD's VM fd: CAPABILITIES, or a command on
 * the VM under kvm->lock, whose kvm_tdx_cmd (with .error) is copied back.
 */
int tdx_vm_ioctl(struct kvm *kvm, void __user *argp)
{
	struct kvm_tdx_cmd cmd;
	int ret;

	if (copy_from_user(&cmd, argp, sizeof(cmd)))
		return -EFAULT;
	if (cmd.id == KVM_TDX_CAPABILITIES)
		return tdx_get_capabilities(&cmd);
	if (cmd.unused)
		return -EINVAL;
	cmd.error = 0;

	mutex_lock(&kvm->lock);
	switch (cmd.id) {
	case KVM_TDX_INIT_VM:
		ret = tdx_init_vm(kvm, &cmd);
		break;
	case KVM_TDX_INIT_MEM_REGION:
		ret = tdx_init_mem_region(kvm, &cmd);
		break;
	case KVM_TDX_FINALIZE_VM:
		ret = tdx_finalize_vm(kvm, &cmd);
		break;
	default:
		/* KVM_TDX_INIT_VCPU belongs on a vCPU fd. */
		ret = -EINVAL;
		break;
	}
	mutex_unlock(&kvm->lock);

	if (copy_to_user(argp, &cmd, sizeof(cmd)))
		return -EFAULT;
	return ret;
}

/* KVM_MEMORY_ENCRYPT_OP on /dev/kvm: KVM_TDX_CAPABILITIES only. */
int tdx_dev_ioctl(void __user *argp)
{
	struct kvm_tdx_cmd cmd;

	if (copy_from_user(&cmd, argp, sizeof(cmd)))
		return -EFAULT;
	if (cmd.id != KVM_TDX_CAPABILITIES)
		return -EINVAL;
	return tdx_get_capabilities(&cmd);
}
