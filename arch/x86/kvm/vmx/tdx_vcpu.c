// SPDX-License-Identifier: GPL-2.0
/*
 * TD vCPUs: the TD side of kvm_intel's vCPU operations, called by the
 * vt_*() wrappers in main.c for vCPUs of KVM_X86_TDX_VM guests.
 *
 * A TD vCPU's state (registers, FPU, VMCS) is the TDX module's, not
 * KVM's: KVM_TDX_INIT_VCPU builds it with TDH.VP.CREATE, one TDH.VP.ADDCX
 * per TDVPX page and TDH.VP.INIT, which sets the initial RCX and
 * associates the vCPU with the CPU it ran on.  The module runs an
 * associated vCPU on that CPU only, and a TD's KeyID can be released only
 * once none of its vCPUs is associated any more; TDH.VP.FLUSH ends an
 * association, on its CPU.  KVM keeps a list of the TD vCPUs associated
 * with each CPU and flushes a vCPU when it is loaded on another CPU, when
 * its CPU leaves VMX operation (offline, reboot, suspend) and when the TD
 * is torn down.
 *
 * The vCPU's pages are the module's from TDH.VP.CREATE (TDVPR) and
 * TDH.VP.ADDCX (TDVPX) on, until the TD's teardown (tdx.c) reclaims them,
 * after the KeyID is free and before the TD's own pages.
 *
 * KVM_RUN is tdx_run.c's.
 */
#define pr_fmt(fmt) "kvm_intel: " fmt

#include <linux/cpu.h>
#include <linux/kvm_host.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/uaccess.h>
#include <asm/tdx.h>
#include <asm/tdx_tdh.h>

#include "lapic.h"
#include "tdx.h"

/* The TD vCPUs associated with each CPU; changed on that CPU, IRQs off. */
static DEFINE_PER_CPU(struct list_head, tdx_associated_vcpus);

void tdx_vcpu_setup(void)
{
	int cpu;

	for_each_possible_cpu(cpu)
		INIT_LIST_HEAD(&per_cpu(tdx_associated_vcpus, cpu));
}

int tdx_vcpu_create(struct kvm_vcpu *vcpu)
{
	struct vcpu_tdx *tdx = to_tdx(vcpu);

	/* The module holds the guest's registers and FPU, not KVM. */
	vcpu->arch.guest_state_protected = true;
	vcpu->arch.guest_fpu.fpstate->is_confidential = true;
	/* The module starts every TD vCPU; none waits for INIT and SIPI. */
	vcpu->arch.mp_state = KVM_MP_STATE_RUNNABLE;

	tdx->cpu = -1;
	INIT_LIST_HEAD(&tdx->cpu_list);
	return 0;
}

/* Free the pages from @first_tdvpx on that the module does not hold. */
static void tdx_vcpu_free_pages(struct vcpu_tdx *tdx, unsigned int first_tdvpx)
{
	unsigned int i;

	for (i = first_tdvpx; i < tdx->nr_tdvpx; i++)
		__free_page(tdx->tdvpx[i]);
	kfree(tdx->tdvpx);
	tdx->tdvpx = NULL;
	tdx->nr_tdvpx = 0;
	tdx->nr_tdvpx_added = 0;
	if (tdx->tdvpr && !tdx->created)
		__free_page(tdx->tdvpr);
	tdx->tdvpr = NULL;
}

/*
 * After the TD's teardown (which took the module's pages back), or for a
 * vCPU that never got that far: free what is still the host's.
 */
void tdx_vcpu_free(struct kvm_vcpu *vcpu)
{
	struct vcpu_tdx *tdx = to_tdx(vcpu);

	/* The teardown flushed the vCPU and took the module's pages back. */
	if (WARN_ON_ONCE(tdx->created || tdx->cpu >= 0))
		return;
	tdx_vcpu_free_pages(tdx, 0);
}

/* Add @tdx to this CPU's list: VP.INIT or VP.ENTER associated it here. */
static void tdx_associate(struct vcpu_tdx *tdx)
{
	lockdep_assert_irqs_disabled();
	list_add(&tdx->cpu_list, this_cpu_ptr(&tdx_associated_vcpus));
	/* Pairs with the READ_ONCE()s of tdx_vcpu_load() and the teardown. */
	WRITE_ONCE(tdx->cpu, smp_processor_id());
}

/*
 * KVM_RUN on this CPU (interrupts off), before TDH.VP.ENTER, which
 * associates the vCPU here if no CPU has it: vcpu_load flushed it from
 * any other.  Listed even if the entry then fails: TDH.VP.FLUSH of a vCPU
 * the module does not associate succeeds.
 */
void tdx_vcpu_associate(struct kvm_vcpu *vcpu)
{
	struct vcpu_tdx *tdx = to_tdx(vcpu);

	if (READ_ONCE(tdx->cpu) < 0)
		tdx_associate(tdx);
}

/*
 * TDH.VP.FLUSH on the CPU @tdx is associated with, with interrupts off.
 * If it keeps failing, the vCPU leaves the list anyway (it may be freed):
 * the module still has it associated, so the TD's VPFLUSHDONE will fail
 * and its teardown leak the TD's pages and KeyID.
 */
static void tdx_disassociate(struct vcpu_tdx *tdx)
{
	u64 st = 0;
	int i;

	lockdep_assert_irqs_disabled();
	/* Flushed meanwhile, by this CPU leaving VMX operation. */
	if (READ_ONCE(tdx->cpu) != smp_processor_id())
		return;
	for (i = 0; i < TDX_TEARDOWN_TRIES; i++) {
		st = tdh_vp_flush(page_to_phys(tdx->tdvpr));
		/* Not associated: no LP holds it (an entry that failed). */
		if ((st & TDX_STATUS_CLASS_MASK) ==
		    TDX_STATUS_VCPU_NOT_ASSOCIATED)
			st = 0;
		if (!tdx_errno(st))
			break;
	}
	if (tdx_errno(st)) {
		pr_err("TDH.VP.FLUSH of vCPU %d failed (%#llx): its TD's KeyID and pages will be leaked\n",
		       tdx->vcpu.vcpu_id, st);
	}
	list_del_init(&tdx->cpu_list);
	WRITE_ONCE(tdx->cpu, -1);
}

static void tdx_disassociate_ipi(void *arg)
{
	tdx_disassociate(arg);
}

/* Flush @tdx on its CPU, if it has one; the CPU must stay online. */
static void tdx_flush_on_cpu(struct vcpu_tdx *tdx)
{
	int cpu = READ_ONCE(tdx->cpu);

	/*
	 * An offline CPU flushed its vCPUs when it left VMX operation
	 * (tdx_hardware_disable()), so -ENXIO needs nothing more.
	 */
	if (cpu >= 0)
		smp_call_function_single(cpu, tdx_disassociate_ipi, tdx, 1);
}

/*
 * vcpu_load on @cpu (preemption disabled): a vCPU associated with another
 * CPU is flushed there first, as the module would not run it here.
 */
void tdx_vcpu_load(struct kvm_vcpu *vcpu, int cpu)
{
	struct vcpu_tdx *tdx = to_tdx(vcpu);
	int assoc = READ_ONCE(tdx->cpu);

	if (assoc >= 0 && assoc != cpu)
		tdx_flush_on_cpu(tdx);
}

/* The TD's teardown, with cpus_read_lock() held: no CPU goes offline. */
void tdx_vcpu_flush(struct kvm_vcpu *vcpu)
{
	tdx_flush_on_cpu(to_tdx(vcpu));
}

/*
 * This CPU leaves VMX operation (kvm_intel's hardware_disable, interrupts
 * off): flush the TD vCPUs associated with it while SEAMCALLs still work.
 */
void tdx_hardware_disable(void)
{
	struct list_head *head = this_cpu_ptr(&tdx_associated_vcpus);
	struct vcpu_tdx *tdx, *tmp;
	unsigned long flags;

	local_irq_save(flags);
	list_for_each_entry_safe(tdx, tmp, head, cpu_list)
		tdx_disassociate(tdx);
	local_irq_restore(flags);
}

/*
 * The TD's teardown, after its KeyID was released (@hkid_released) or
 * could not be: reclaim the pages the module holds, TDVPX then TDVPR, or
 * leak them; tdx_vcpu_free() frees the rest.
 */
void tdx_vcpu_teardown(struct kvm_vcpu *vcpu, bool hkid_released)
{
	struct vcpu_tdx *tdx = to_tdx(vcpu);
	unsigned int i;

	if (!tdx->created)
		return;
	for (i = 0; i < tdx->nr_tdvpx_added; i++) {
		if (hkid_released)
			tdx_reclaim_free(tdx->tdvpx[i]);
		else
			tdx_page_leaked(page_to_phys(tdx->tdvpx[i]));
	}
	if (hkid_released)
		tdx_reclaim_free(tdx->tdvpr);
	else
		tdx_page_leaked(page_to_phys(tdx->tdvpr));
	/* Reclaimed or leaked: what remains is the host's. */
	tdx->created = false;
	tdx->tdvpr = NULL;
	tdx_vcpu_free_pages(tdx, tdx->nr_tdvpx_added);
}

static int tdx_vcpu_alloc_pages(struct vcpu_tdx *tdx, unsigned int nr_tdvpx)
{
	unsigned int i;

	tdx->tdvpx = kcalloc(nr_tdvpx, sizeof(*tdx->tdvpx), GFP_KERNEL_ACCOUNT);
	if (!tdx->tdvpx)
		return -ENOMEM;
	tdx->tdvpr = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
	if (!tdx->tdvpr)
		goto free_pages;
	for (i = 0; i < nr_tdvpx; i++) {
		tdx->tdvpx[i] = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
		if (!tdx->tdvpx[i])
			goto free_pages;
		tdx->nr_tdvpx++;
	}
	return 0;

free_pages:
	tdx_vcpu_free_pages(tdx, 0);
	return -ENOMEM;
}

/* TDH.VP.INIT, and the association it makes with this CPU. */
static u64 tdx_vp_init(struct vcpu_tdx *tdx, u64 initial_rcx)
{
	unsigned long flags;
	u64 st;

	/* Not preempted between the SEAMCALL and the list. */
	local_irq_save(flags);
	st = tdh_vp_init(page_to_phys(tdx->tdvpr), initial_rcx);
	if (!tdx_errno(st))
		tdx_associate(tdx);
	local_irq_restore(flags);
	return st;
}

/*
 * TDH.VP.CREATE, TDH.VP.ADDCX of each TDVPX page, TDH.VP.INIT.  Each step
 * that succeeded is recorded, so a call after a failure goes on from the
 * failed step.
 */
static u64 tdx_vp_build(struct kvm_tdx *kvm_tdx, struct vcpu_tdx *tdx,
			u64 initial_rcx)
{
	u64 st;

	if (!tdx->created) {
		st = tdh_vp_create(page_to_phys(kvm_tdx->tdr),
				   page_to_phys(tdx->tdvpr));
		if (tdx_errno(st))
			return st;
		tdx->created = true;
	}
	while (tdx->nr_tdvpx_added < tdx->nr_tdvpx) {
		st = tdh_vp_addcx(page_to_phys(tdx->tdvpr),
				  page_to_phys(tdx->tdvpx[tdx->nr_tdvpx_added]));
		if (tdx_errno(st))
			return st;
		tdx->nr_tdvpx_added++;
	}
	st = tdx_vp_init(tdx, initial_rcx);
	if (!tdx_errno(st))
		tdx->initialized = true;
	return st;
}

/*
 * KVM_TDX_INIT_VCPU: build the vCPU in the module, its initial RCX from
 * cmd->data.  Under vcpu->mutex.  A failure leaves what the module got to
 * the TD's teardown; calling again goes on where it failed.
 */
/*
 * A TD's local APIC is in x2APIC mode, as the module starts it: so is
 * KVM's in-kernel one, for the x2APIC MSRs a TD's RDMSR/WRMSR TDVMCALLs
 * reach (tdx_run.c).  Only if the vCPU's CPUID offers x2APIC, which
 * KVM's APIC base rules require.
 */
static void tdx_vcpu_x2apic(struct kvm_vcpu *vcpu)
{
	struct msr_data base = {
		.host_initiated = true,
		.index = MSR_IA32_APICBASE,
		.data = APIC_DEFAULT_PHYS_BASE | MSR_IA32_APICBASE_ENABLE |
			X2APIC_ENABLE,
	};

	if (!lapic_in_kernel(vcpu))
		return;
	if (kvm_vcpu_is_reset_bsp(vcpu))
		base.data |= MSR_IA32_APICBASE_BSP;
	if (kvm_set_apic_base(vcpu, &base))
		pr_info_once("a TD vCPU without x2APIC in its CPUID: its APIC stays in xAPIC mode, and the TD's x2APIC MSR accesses fail\n");
}

static int tdx_init_vcpu(struct kvm_vcpu *vcpu, struct kvm_tdx_cmd *cmd)
{
	struct kvm_tdx *kvm_tdx = to_kvm_tdx(vcpu->kvm);
	struct vcpu_tdx *tdx = to_tdx(vcpu);
	struct tdx_td_sysinfo si;
	int ret;
	u64 st;

	/*
	 * The module refuses a finalized TD too; KVM does not take kvm->lock
	 * here (it nests outside vcpu->mutex), so a racing FINALIZE_VM is
	 * left to the module.
	 */
	if (tdx->initialized || smp_load_acquire(&kvm_tdx->finalized))
		return -EINVAL;	/* acquire: pairs with FINALIZE_VM's release */
	if (tdx_td_dead(kvm_tdx))
		return -EIO;
	if (!tdx->tdvpr) {
		ret = tdx_get_td_sysinfo(&si);
		if (ret)
			return ret;
		ret = tdx_vcpu_alloc_pages(tdx, si.tdvpx_nr_pages);
		if (ret)
			return ret;
	}
	st = tdx_vp_build(kvm_tdx, tdx, cmd->data);
	if (tdx_errno(st)) {
		cmd->error = st;
		return tdx_errno(st);
	}
	tdx_vcpu_x2apic(vcpu);
	return 0;
}

/* KVM_MEMORY_ENCRYPT_OP on a TD vCPU's fd: KVM_TDX_INIT_VCPU only. */
int tdx_vcpu_ioctl(struct kvm_vcpu *vcpu, void __user *argp)
{
	struct kvm_tdx_cmd cmd;
	int ret;

	if (copy_from_user(&cmd, argp, sizeof(cmd)))
		return -EFAULT;
	if (cmd.id != KVM_TDX_INIT_VCPU || cmd.flags || cmd.unused)
		return -EINVAL;
	cmd.error = 0;
	ret = tdx_init_vcpu(vcpu, &cmd);
	if (copy_to_user(argp, &cmd, sizeof(cmd)))
		return -EFAULT;
	return ret;
}

/*
 * An interrupt for a TD vCPU's local APIC: it waits in the IRR (posted
 * interrupts to a running TD come with the TD entry path).
 */
void tdx_deliver_interrupt(struct kvm_lapic *apic, int delivery_mode,
			   int trig_mode, int vector)
{
	struct kvm_vcpu *vcpu = apic->vcpu;

	kvm_lapic_set_irr(vector, apic);
	kvm_make_request(KVM_REQ_EVENT, vcpu);
	kvm_vcpu_kick(vcpu);
}
