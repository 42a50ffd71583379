/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvm_intel's TDX side: the software state of TDX guests (TDs) and the
 * entry points main.c dispatches to.  TDs exist once TDX is enabled at
 * load (tdx_setup.c).  A TD is built by KVM_MEMORY_ENCRYPT_OP
 * (KVM_TDX_INIT_VM, KVM_TDX_FINALIZE_VM) in tdx.c; its vCPUs are built
 * by KVM_TDX_INIT_VCPU in tdx_vcpu.c, and run by KVM_RUN in tdx_run.c
 * (with the software TDX module only: its TDH.VP.ENTER returns the exits
 * a test arms, and then refuses).
 */
#ifndef __KVM_X86_VMX_TDX_H
#define __KVM_X86_VMX_TDX_H

#include <linux/kvm_host.h>
#include <asm/tdx.h>
#include <asm/tdx_tdh.h>

#include "tdx_arch.h"
#include "tdx_vmcall.h"

/*
 * A TD.  The common struct kvm comes first (to_kvm_tdx() and the
 * vm_size of vt_x86_ops depend on it); the TD's own state follows.
 */
struct kvm_tdx {
	struct kvm kvm;

	/*
	 * Written under kvm->lock by KVM_TDX_INIT_VM, which either builds
	 * and initializes the TD or leaves none in the module (tdr NULL),
	 * and by the teardown in vm_destroy; read under kvm->lock.  The
	 * TDR stays the same from INIT_VM to vm_destroy.
	 */
	struct page *tdr;		/* the TD, once KVM_TDX_INIT_VM built it */
	int hkid;			/* the TD's KeyID, or -1 */
	struct page **tdcs;		/* tdcs_nr_pages TDCX pages */
	unsigned int nr_tdcs;		/* allocated in tdcs[] */
	unsigned int nr_tdcs_added;	/* of them, given by TDH.MNG.ADDCX */

	/*
	 * Set by KVM_TDX_FINALIZE_VM under kvm->lock (store-release); the
	 * debugfs reader of the MRTD loads it with acquire, without the lock.
	 */
	bool finalized;

	/* KVM_RUN was refused and the log said why (once per TD). */
	atomic_t run_refused;

	/*
	 * For the S-EPT hooks (tdx_sept.c): the pinned source of the page
	 * KVM_TDX_INIT_MEM_REGION adds (under kvm->lock, before any vCPU
	 * runs), and the status of a module failure, which the fault path
	 * can only retry; INIT_MEM_REGION reads it, and so do running vCPUs'
	 * EPT violations (xchg, tdx_run.c).
	 */
	phys_addr_t source_pa;
	u64 sept_status;

	/* The KeyID's release: the next step to do (under kvm->lock). */
	unsigned int release_step;
};

/* A TD vCPU; the common struct kvm_vcpu comes first, as for kvm_tdx. */
struct vcpu_tdx {
	struct kvm_vcpu vcpu;

	/*
	 * The module's vCPU: the TDVPR page and tdvpx_nr_pages TDVPX pages,
	 * allocated by the first KVM_TDX_INIT_VCPU.  Written under
	 * vcpu->mutex by KVM_TDX_INIT_VCPU, and by the TD's teardown, when
	 * no vCPU ioctl can run any more.  Once TDH.VP.CREATE succeeded
	 * (created) the TDVPR is the module's, and so are the first
	 * nr_tdvpx_added TDVPX pages: only the TD's teardown gets them back.
	 */
	struct page *tdvpr;
	struct page **tdvpx;
	unsigned int nr_tdvpx;		/* allocated in tdvpx[] */
	unsigned int nr_tdvpx_added;	/* of them, given by TDH.VP.ADDCX */
	bool created;			/* TDH.VP.CREATE succeeded */
	bool initialized;		/* TDH.VP.INIT succeeded */

	/*
	 * The CPU the module associates the vCPU with (TDH.VP.INIT ran
	 * there), or -1, and the vCPU's entry on that CPU's list.  Both
	 * change only on that CPU with interrupts disabled: when VP.INIT
	 * succeeds, and when TDH.VP.FLUSH ends the association (from an IPI
	 * or when the CPU leaves VMX operation).
	 */
	int cpu;
	struct list_head cpu_list;

	/*
	 * KVM_RUN's, under vcpu->mutex (tdx_run.c).  @regs: the registers
	 * of the last TDH.VP.ENTER, the exit's with @exit_status.  @vmcall
	 * and @vmcall_regs: the TDVMCALL being carried out, also across an
	 * exit to userspace (complete_userspace_io); once answered
	 * (@vmcall_answered), every entry gives the TD @vmcall_regs' R10..R15
	 * until one succeeds (a failed entry gave the TD nothing).
	 * @enter_busy: entries in a row the module found busy.
	 */
	struct tdh_vp_enter_regs regs;
	u64 exit_status;
	struct tdx_vmcall_req vmcall;
	struct tdx_vmcall_regs vmcall_regs;
	bool vmcall_answered;
	unsigned int enter_busy;
};

static inline bool is_td(struct kvm *kvm)
{
	return kvm->arch.vm_type == KVM_X86_TDX_VM;
}

static inline bool is_td_vcpu(struct kvm_vcpu *vcpu)
{
	return is_td(vcpu->kvm);
}

static inline struct kvm_tdx *to_kvm_tdx(struct kvm *kvm)
{
	return container_of(kvm, struct kvm_tdx, kvm);
}

static inline struct vcpu_tdx *to_tdx(struct kvm_vcpu *vcpu)
{
	return container_of(vcpu, struct vcpu_tdx, vcpu);
}

/* The one place a SEAMCALL status becomes an errno. */
static inline int tdx_errno(u64 status)
{
	if (!(status & TDX_ERROR))
		return 0;	/* success, possibly with a warning */
	switch (status & TDX_STATUS_CLASS_MASK) {
	case TDX_STATUS_OPERAND_BUSY:
		return -EBUSY;
	case TDX_STATUS_KEY_GENERATION_FAILED:
		return -EAGAIN;
	case TDX_STATUS_OPERAND_INVALID:
		return -EINVAL;
	default:
		return -EIO;
	}
}

/*
 * A TD whose KeyID is released (tdx_flush_shadow_all_private(), before
 * the VM's final zap): its pages are reclaimed, and no other SEAMCALL is
 * made on it.
 */
static inline bool tdx_td_dead(struct kvm_tdx *kvm_tdx)
{
	return kvm_tdx->tdr && READ_ONCE(kvm_tdx->hkid) < 0;
}

/* Teardown leaves are retried: contention and injected faults pass. */
#define TDX_TEARDOWN_TRIES	3

/* Give a page back to the allocator, or leak it if the module keeps it. */
static inline void tdx_reclaim_free(struct page *page)
{
	if (tdx_reclaim_page(page))
		return;
	tdx_clear_page(page);
	__free_page(page);
}

/* kvm_intel.tdx: asked for at load; cleared if TDX cannot be enabled. */
extern bool enable_tdx;

void tdx_hardware_setup(struct kvm_x86_ops *ops);

#ifdef CONFIG_INTEL_TDX_HOST
int tdx_vm_init(struct kvm *kvm);
void tdx_vm_destroy(struct kvm *kvm);
int tdx_vcpu_precreate(struct kvm *kvm);
int tdx_vm_ioctl(struct kvm *kvm, void __user *argp);
int tdx_dev_ioctl(void __user *argp);

void tdx_vcpu_setup(void);
int tdx_vcpu_create(struct kvm_vcpu *vcpu);
void tdx_vcpu_free(struct kvm_vcpu *vcpu);
void tdx_vcpu_load(struct kvm_vcpu *vcpu, int cpu);
int tdx_vcpu_pre_run(struct kvm_vcpu *vcpu);
void tdx_vcpu_associate(struct kvm_vcpu *vcpu);
fastpath_t tdx_vcpu_run(struct kvm_vcpu *vcpu);
int tdx_handle_exit(struct kvm_vcpu *vcpu);
int tdx_get_msr(struct kvm_vcpu *vcpu, struct msr_data *msr);
int tdx_set_msr(struct kvm_vcpu *vcpu, struct msr_data *msr);
int tdx_vcpu_ioctl(struct kvm_vcpu *vcpu, void __user *argp);
void tdx_hardware_disable(void);
void tdx_deliver_interrupt(struct kvm_lapic *apic, int delivery_mode,
			   int trig_mode, int vector);
void tdx_sept_setup(struct kvm_x86_ops *ops);
int tdx_init_mem_region(struct kvm *kvm, struct kvm_tdx_cmd *cmd);
void tdx_flush_shadow_all_private(struct kvm *kvm);
/* For the TD's teardown (tdx.c), after its vCPUs stopped running. */
void tdx_vcpu_flush(struct kvm_vcpu *vcpu);
void tdx_vcpu_teardown(struct kvm_vcpu *vcpu, bool hkid_released);
#else
/* tdx.c needs the TDX host core; without it no TD exists to call these. */
static inline int tdx_vm_init(struct kvm *kvm) { return -EOPNOTSUPP; }
static inline void tdx_vm_destroy(struct kvm *kvm) { }
static inline int tdx_vcpu_precreate(struct kvm *kvm) { return -EOPNOTSUPP; }
static inline int tdx_vm_ioctl(struct kvm *kvm, void __user *argp)
{
	return -ENOTTY;
}

static inline int tdx_dev_ioctl(void __user *argp) { return -EINVAL; }
static inline void tdx_vcpu_setup(void) { }
static inline void tdx_sept_setup(struct kvm_x86_ops *ops) { }
static inline int tdx_vcpu_create(struct kvm_vcpu *vcpu) { return -EOPNOTSUPP; }
static inline void tdx_vcpu_free(struct kvm_vcpu *vcpu) { }
static inline void tdx_vcpu_load(struct kvm_vcpu *vcpu, int cpu) { }
static inline int tdx_vcpu_pre_run(struct kvm_vcpu *vcpu) { return -EOPNOTSUPP; }
static inline fastpath_t tdx_vcpu_run(struct kvm_vcpu *vcpu)
{
	return EXIT_FASTPATH_NONE;
}

static inline int tdx_handle_exit(struct kvm_vcpu *vcpu) { return -EIO; }
static inline int tdx_get_msr(struct kvm_vcpu *vcpu, struct msr_data *msr)
{
	return 1;
}

static inline int tdx_set_msr(struct kvm_vcpu *vcpu, struct msr_data *msr)
{
	return 1;
}

static inline int tdx_vcpu_ioctl(struct kvm_vcpu *vcpu, void __user *argp)
{
	return -EINVAL;
}

static inline void tdx_hardware_disable(void) { }
static inline void tdx_deliver_interrupt(struct kvm_lapic *apic,
					 int delivery_mode, int trig_mode,
					 int vector) { }
#endif

#endif /* __KVM_X86_VMX_TDX_H */
