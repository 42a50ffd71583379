// SPDX-License-Identifier: GPL-2.0
/*
 * KVM_RUN for TD vCPUs: the entry through TDH.VP.ENTER and the exits it
 * reports, called by the vt_*() wrappers in main.c.
 *
 * A TD's registers are the module's.  On a TDVMCALL exit the module gives
 * KVM the GPRs the TD exposed (RCX the mask); KVM carries the request out
 * (tdx_vmcall.c decodes it and builds the answer) and the next
 * TDH.VP.ENTER gives the TD the answer in R10..R15.  A request KVM cannot
 * finish in the kernel (port I/O and MMIO no in-kernel device takes,
 * ReportFatalError) exits to userspace; the answer is built when KVM_RUN
 * is called again (complete_userspace_io).  An EPT violation is a fault
 * on the GPA the module reports, shared or private by its shared bit.
 *
 * Only the software TDX module is entered.  Its TDH.VP.ENTER returns an
 * exit armed through its debugfs file (Documentation/x86/tdx-swmodule.rst)
 * and otherwise refuses, with a status that KVM_RUN turns into
 * -EOPNOTSUPP; the full-register entry of a real module is not written, so
 * KVM_RUN on a TD fails with -EOPNOTSUPP before entering one.
 */
#define pr_fmt(fmt) "kvm_intel: " fmt

#include <linux/kvm_host.h>
#include <linux/kvm_private_mem.h>
#include <linux/sched/signal.h>
#include <linux/sizes.h>
#include <asm/mce.h>
#include <asm/tdx.h>
#include <asm/tdx_tdh.h>
#include <asm/vmx.h>

#include "cpuid.h"
#include "hyperv.h"
#include "mmu.h"
#include "mmu/private.h"
#include "x86.h"
#include "xen.h"
#include "tdx.h"

/* A TD's guest physical address width: its shared bit is fixed at 47. */
#define TDX_RUN_GPAW		(TDX_SHARED_BIT_GPAW_48 + 1)

#define TDX_EXIT_REASON_MASK	0xffffULL

/* The software module's TDH.VP.ENTER with no exit armed. */
#define TDX_VP_ENTER_REFUSED	(TDX_STATUS_OPERAND_INVALID | TDX_OPERAND_ID_RAX)

/* Entries in a row the module may find busy before KVM_RUN gives up. */
#define TDX_ENTER_BUSY_TRIES	64

/* Say once per TD why its vCPUs do not run. */
static void tdx_say_no_run(struct kvm_tdx *kvm_tdx, const char *why, u64 st)
{
	if (!atomic_xchg(&kvm_tdx->run_refused, 1))
		pr_warn("KVM_RUN on a TD vCPU: %s (TDH.VP.ENTER status %#llx); the TD cannot run\n",
			why, st);
}

/*
 * KVM_RUN's last check before entering (vcpu_pre_run): a TD vCPU runs
 * once INIT_VCPU built it and the TD is finalized, and only on the
 * software module.
 * Return: 1 to enter, <0 for KVM_RUN.
 */
int tdx_vcpu_pre_run(struct kvm_vcpu *vcpu)
{
	struct kvm_tdx *kvm_tdx = to_kvm_tdx(vcpu->kvm);
	struct vcpu_tdx *tdx = to_tdx(vcpu);

	/* Pairs with the store-release of KVM_TDX_FINALIZE_VM. */
	if (!tdx->initialized || !smp_load_acquire(&kvm_tdx->finalized))
		return -EINVAL;
	if (!tdx_module_is_software()) {
		tdx_say_no_run(kvm_tdx, "KVM cannot enter TDs yet", 0);
		return -EOPNOTSUPP;
	}
	if (tdx_td_dead(kvm_tdx))
		return -EIO;
	return 1;
}

/*
 * vcpu_run, interrupts and preemption off: one TDH.VP.ENTER, which gives
 * the TD @tdx->regs' answer and leaves the exit there.  No guest code
 * runs on this CPU (the software module returns at once), so the guest
 * context tracking of a VM entry is not entered.
 */
fastpath_t tdx_vcpu_run(struct kvm_vcpu *vcpu)
{
	struct vcpu_tdx *tdx = to_tdx(vcpu);
	struct tdh_vp_enter_regs *r = &tdx->regs;
	const struct tdx_vmcall_regs *v = &tdx->vmcall_regs;

	memset(r, 0, sizeof(*r));
	if (tdx->vmcall_answered) {
		r->r10 = v->r10;
		r->r11 = v->r11;
		r->r12 = v->r12;
		r->r13 = v->r13;
		r->r14 = v->r14;
		r->r15 = v->r15;
	}
	tdx_vcpu_associate(vcpu);
	tdx->exit_status = tdh_vp_enter(page_to_phys(tdx->tdvpr), r);
	if (!tdx_errno(tdx->exit_status))
		tdx->vmcall_answered = false;
	return EXIT_FASTPATH_NONE;
}

/* The answer to the current TDVMCALL, for the next entries. */
static int tdx_vmcall_answer(struct vcpu_tdx *tdx,
			     const struct tdx_vmcall_result *res)
{
	tdx_vmcall_complete(&tdx->vmcall, res, &tdx->vmcall_regs);
	tdx->vmcall_answered = true;
	return 1;
}

/* A KVM hypercall, through the common code's register convention. */
static void tdx_vmcall_hypercall(struct kvm_vcpu *vcpu,
				 struct tdx_vmcall_result *res)
{
	const struct tdx_vmcall_req *req = &to_tdx(vcpu)->vmcall;

	/*
	 * A TD converts memory with MapGPA, in the kernel; the Xen and
	 * Hyper-V hypercall ABIs (enabled by userspace or by the guest's
	 * MSRs) exit to userspace with their own completion, not ours.
	 */
	if (req->hypercall.nr == KVM_HC_MAP_GPA_RANGE ||
	    kvm_xen_hypercall_enabled(vcpu->kvm) ||
	    kvm_hv_hypercall_enabled(vcpu)) {
		res->value = -KVM_ENOSYS;
		return;
	}
	kvm_rax_write(vcpu, req->hypercall.nr);
	kvm_rbx_write(vcpu, req->hypercall.a0);
	kvm_rcx_write(vcpu, req->hypercall.a1);
	kvm_rdx_write(vcpu, req->hypercall.a2);
	kvm_rsi_write(vcpu, req->hypercall.a3);
	/*
	 * Its "skip the instruction" is nothing for a TD (main.c), and its
	 * return value that skip's.  A hypercall that would complete in
	 * userspace (the VM's Xen ABI enabled meanwhile) is refused.
	 */
	kvm_emulate_hypercall(vcpu);
	if (vcpu->arch.complete_userspace_io) {
		vcpu->arch.complete_userspace_io = NULL;
		res->value = -KVM_ENOSYS;
		return;
	}
	res->value = kvm_rax_read(vcpu);
}

/*
 * MapGPA: the range's attribute, then the zap of the alias that loses it
 * (a private page leaves the TD through the S-EPT removal).  The whole
 * range in one TDVMCALL, as 2022-era guests expect; a pending signal
 * ends it early with TDVMCALL_RETRY and the GPA to resume from.
 */
static int tdx_vmcall_map_gpa(struct kvm_vcpu *vcpu, u64 *resume)
{
	const struct tdx_vmcall_req *req = &to_tdx(vcpu)->vmcall;
	u64 gpa = req->map_gpa.gpa, end = gpa + req->map_gpa.size, len;
	int r = 0;

	/* Attribute changes wait for SRCU readers: not one of them. */
	kvm_vcpu_srcu_read_unlock(vcpu);
	while (gpa < end) {
		len = min(end - gpa, SZ_2M - (gpa & (SZ_2M - 1)));
		r = kvm_private_mem_convert(vcpu->kvm, gpa, len,
					    req->map_gpa.to_private);
		if (r)
			break;
		gpa += len;
		if (gpa < end && signal_pending(current)) {
			*resume = gpa;
			r = -EAGAIN;
			break;
		}
		cond_resched();
	}
	kvm_vcpu_srcu_read_lock(vcpu);
	return r;
}

/* Called by KVM_RUN after an exit to userspace for a TDVMCALL. */
static int tdx_complete_io(struct kvm_vcpu *vcpu)
{
	struct vcpu_tdx *tdx = to_tdx(vcpu);
	struct tdx_vmcall_result res = {};

	if (!tdx->vmcall.io.write)
		memcpy(&res.value, vcpu->arch.pio_data, tdx->vmcall.io.size);
	return tdx_vmcall_answer(tdx, &res);
}

static int tdx_complete_mmio(struct kvm_vcpu *vcpu)
{
	struct vcpu_tdx *tdx = to_tdx(vcpu);
	struct tdx_vmcall_result res = {};

	if (!tdx->vmcall.mmio.write)
		memcpy(&res.value, vcpu->run->mmio.data, tdx->vmcall.mmio.size);
	return tdx_vmcall_answer(tdx, &res);
}

static int tdx_complete_status(struct kvm_vcpu *vcpu)
{
	struct tdx_vmcall_result res = {};

	return tdx_vmcall_answer(to_tdx(vcpu), &res);
}

/* Port I/O: an in-kernel device, or userspace (KVM_EXIT_IO). */
static int tdx_vmcall_io(struct kvm_vcpu *vcpu)
{
	struct vcpu_tdx *tdx = to_tdx(vcpu);
	const struct tdx_vmcall_req *req = &tdx->vmcall;
	struct tdx_vmcall_result res = {};
	u32 value = req->io.value;
	struct kvm_run *run = vcpu->run;

	if (req->io.write) {
		if (!kvm_io_bus_write(vcpu, KVM_PIO_BUS, req->io.port,
				      req->io.size, &value))
			return tdx_vmcall_answer(tdx, &res);
		memcpy(vcpu->arch.pio_data, &value, req->io.size);
	} else if (!kvm_io_bus_read(vcpu, KVM_PIO_BUS, req->io.port,
				    req->io.size, &value)) {
		res.value = value;
		return tdx_vmcall_answer(tdx, &res);
	}
	run->exit_reason = KVM_EXIT_IO;
	run->io.direction = req->io.write ? KVM_EXIT_IO_OUT : KVM_EXIT_IO_IN;
	run->io.size = req->io.size;
	run->io.port = req->io.port;
	run->io.count = 1;
	run->io.data_offset = KVM_PIO_PAGE_OFFSET * PAGE_SIZE;
	vcpu->arch.complete_userspace_io = tdx_complete_io;
	return 0;
}

/* MMIO at a shared GPA: an in-kernel device, or KVM_EXIT_MMIO. */
static int tdx_vmcall_mmio(struct kvm_vcpu *vcpu)
{
	struct vcpu_tdx *tdx = to_tdx(vcpu);
	const struct tdx_vmcall_req *req = &tdx->vmcall;
	struct tdx_vmcall_result res = {};
	u64 value = req->mmio.value;
	struct kvm_run *run = vcpu->run;

	if (req->mmio.write) {
		if (!kvm_io_bus_write(vcpu, KVM_MMIO_BUS, req->mmio.gpa,
				      req->mmio.size, &value))
			return tdx_vmcall_answer(tdx, &res);
	} else if (!kvm_io_bus_read(vcpu, KVM_MMIO_BUS, req->mmio.gpa,
				    req->mmio.size, &value)) {
		res.value = value;
		return tdx_vmcall_answer(tdx, &res);
	}
	run->exit_reason = KVM_EXIT_MMIO;
	run->mmio.phys_addr = req->mmio.gpa;
	run->mmio.len = req->mmio.size;
	run->mmio.is_write = req->mmio.write;
	memset(run->mmio.data, 0, sizeof(run->mmio.data));
	if (req->mmio.write)
		memcpy(run->mmio.data, &value, req->mmio.size);
	vcpu->arch.complete_userspace_io = tdx_complete_mmio;
	return 0;
}

/* ReportFatalError: KVM_EXIT_SYSTEM_EVENT, the TD's code and data GPA. */
static int tdx_vmcall_fatal(struct kvm_vcpu *vcpu)
{
	struct vcpu_tdx *tdx = to_tdx(vcpu);
	struct kvm_run *run = vcpu->run;

	memset(&run->system_event, 0, sizeof(run->system_event));
	run->exit_reason = KVM_EXIT_SYSTEM_EVENT;
	run->system_event.type = KVM_SYSTEM_EVENT_TDX;
	run->system_event.ndata = 3;
	run->system_event.data[0] = TDX_VMCALL_REPORT_FATAL_ERROR;
	run->system_event.data[1] = tdx->vmcall_regs.r12;
	run->system_event.data[2] = tdx->vmcall_regs.r13;
	vcpu->arch.complete_userspace_io = tdx_complete_status;
	return 0;
}

/* HLT: answered now; the vCPU then blocks until an event wakes it. */
static int tdx_vmcall_hlt(struct kvm_vcpu *vcpu)
{
	struct tdx_vmcall_result res = {};

	tdx_vmcall_answer(to_tdx(vcpu), &res);
	return kvm_emulate_halt_noskip(vcpu);
}

static void tdx_vmcall_cpuid(struct kvm_vcpu *vcpu,
			     struct tdx_vmcall_result *res)
{
	const struct tdx_vmcall_req *req = &to_tdx(vcpu)->vmcall;
	u32 *r = res->cpuid;

	r[0] = req->cpuid.leaf;
	r[2] = req->cpuid.subleaf;
	kvm_cpuid(vcpu, &r[0], &r[1], &r[2], &r[3], true);
}

/* A TDVMCALL exit: decode, carry out, answer (or exit to userspace). */
static int tdx_handle_vmcall(struct kvm_vcpu *vcpu)
{
	struct vcpu_tdx *tdx = to_tdx(vcpu);
	struct tdx_vmcall_regs *v = &tdx->vmcall_regs;
	struct tdx_vmcall_req *req = &tdx->vmcall;
	struct tdx_vmcall_result res = {};
	u64 data = 0;

	v->rcx = tdx->regs.rcx;
	v->r10 = tdx->regs.r10;
	v->r11 = tdx->regs.r11;
	v->r12 = tdx->regs.r12;
	v->r13 = tdx->regs.r13;
	v->r14 = tdx->regs.r14;
	v->r15 = tdx->regs.r15;
	tdx_vmcall_decode(v, TDX_RUN_GPAW, req);

	switch (req->kind) {
	case TDX_VMCALL_REQ_HYPERCALL:
		tdx_vmcall_hypercall(vcpu, &res);
		break;
	case TDX_VMCALL_REQ_MAP_GPA:
		res.ret = tdx_vmcall_map_gpa(vcpu, &res.value);
		break;
	case TDX_VMCALL_REQ_FATAL:
		return tdx_vmcall_fatal(vcpu);
	case TDX_VMCALL_REQ_CPUID:
		tdx_vmcall_cpuid(vcpu, &res);
		break;
	case TDX_VMCALL_REQ_HLT:
		return tdx_vmcall_hlt(vcpu);
	case TDX_VMCALL_REQ_IO:
		return tdx_vmcall_io(vcpu);
	case TDX_VMCALL_REQ_MMIO:
		return tdx_vmcall_mmio(vcpu);
	case TDX_VMCALL_REQ_RDMSR:
		if (kvm_get_msr(vcpu, req->msr.index, &data))
			res.ret = -EINVAL;
		res.value = data;
		break;
	case TDX_VMCALL_REQ_WRMSR:
		if (kvm_set_msr(vcpu, req->msr.index, req->msr.value))
			res.ret = -EINVAL;
		break;
	default:
		/* GetTdVmCallInfo: zeros; an invalid request: INVALID_OPERAND. */
		break;
	}
	return tdx_vmcall_answer(tdx, &res);
}

/*
 * An EPT violation: a fault on the GPA, private unless the shared bit is
 * set (the MMU strips it).  The exit qualification's access bits give the
 * error code, as for a VMX guest.  Refused (-EINVAL) on a root that does
 * not mirror the S-EPT (SMM, 5-level).  A GPA no memslot covers is MMIO,
 * which a TD reaches through #VE and TDVMCALL: KVM cannot emulate a TD's
 * instruction, and has no MMIO SPTEs that give the TD a #VE, so KVM_RUN
 * fails with -EFAULT rather than entering the TD into the same fault.
 */
static int tdx_handle_ept_violation(struct kvm_vcpu *vcpu)
{
	struct kvm_tdx *kvm_tdx = to_kvm_tdx(vcpu->kvm);
	struct vcpu_tdx *tdx = to_tdx(vcpu);
	gpa_t gpa = tdx->regs.r8;
	u64 qual = tdx->regs.rcx;
	u64 err = PFERR_GUEST_FINAL_MASK;
	int r;
	u64 st;

	if (!kvm_mmu_private_root_ok(vcpu))
		return -EINVAL;
	/* Address space 0: SMM is refused above. */
	if (!gfn_to_memslot(vcpu->kvm,
			    gpa_to_gfn(kvm_strip_shared_gpa(vcpu->kvm, gpa))))
		return -EFAULT;

	if (qual & EPT_VIOLATION_ACC_READ)
		err |= PFERR_USER_MASK;
	if (qual & EPT_VIOLATION_ACC_WRITE)
		err |= PFERR_WRITE_MASK;
	if (qual & EPT_VIOLATION_ACC_INSTR)
		err |= PFERR_FETCH_MASK;
	if (qual & EPT_VIOLATION_RWX_MASK)
		err |= PFERR_PRESENT_MASK;
	r = kvm_mmu_page_fault(vcpu, gpa, err, NULL, 0);
	/*
	 * A module failure the fault could only retry (tdx_sept.c): the
	 * TD would fault there again, so KVM_RUN fails with its errno.
	 * Another vCPU may take it first; this one then faults again.
	 */
	st = xchg(&kvm_tdx->sept_status, 0);
	if (r > 0 && tdx_errno(st))
		return tdx_errno(st);
	return r;
}

/*
 * handle_exit, after tdx_vcpu_run().  A TDVMCALL in flight to userspace
 * has its registers in @tdx->vmcall_regs, so a new exit may overwrite
 * @tdx->regs.
 * Return: >0 to enter again, 0 for an exit to userspace, <0 for KVM_RUN.
 */
int tdx_handle_exit(struct kvm_vcpu *vcpu)
{
	struct kvm_tdx *kvm_tdx = to_kvm_tdx(vcpu->kvm);
	struct vcpu_tdx *tdx = to_tdx(vcpu);
	u64 st = tdx->exit_status;

	if (st == TDX_VP_ENTER_REFUSED) {
		tdx->enter_busy = 0;
		tdx_say_no_run(kvm_tdx, "the software TDX module cannot enter TDs", st);
		return -EOPNOTSUPP;
	}
	/* Contention (the TD's epoch, TDH.MEM.TRACK): enter again. */
	if (tdx_errno(st) == -EBUSY && ++tdx->enter_busy < TDX_ENTER_BUSY_TRIES)
		return 1;
	tdx->enter_busy = 0;
	if (tdx_errno(st)) {
		tdx_say_no_run(kvm_tdx, "entry failed", st);
		return tdx_errno(st);
	}
	switch (st & TDX_EXIT_REASON_MASK) {
	case TDX_EXIT_REASON_TDCALL:
		return tdx_handle_vmcall(vcpu);
	case EXIT_REASON_EPT_VIOLATION:
		return tdx_handle_ept_violation(vcpu);
	default:
		vcpu->run->exit_reason = KVM_EXIT_UNKNOWN;
		vcpu->run->hw.hardware_exit_reason = st & TDX_EXIT_REASON_MASK;
		return 0;
	}
}

/*
 * The MSRs a TD's RDMSR/WRMSR TDVMCALLs reach (the module handles the
 * others itself, or refuses them): those KVM's common code emulates for
 * every guest, and the x2APIC registers the module does not virtualize.
 */
static bool tdx_msr_emulated(struct kvm_vcpu *vcpu, u32 index)
{
	u32 banks = vcpu->arch.mcg_cap & MCG_BANKCNT_MASK;

	switch (index) {
	case MSR_IA32_UCODE_REV:
	case MSR_IA32_ARCH_CAPABILITIES:
	case MSR_IA32_POWER_CTL:
	case MSR_IA32_CR_PAT:
	case MSR_IA32_TSC_DEADLINE:
	case MSR_IA32_MISC_ENABLE:
	case MSR_PLATFORM_INFO:
	case MSR_MISC_FEATURES_ENABLES:
	case MSR_IA32_MCG_CAP:
	case MSR_IA32_MCG_STATUS:
	case MSR_IA32_MCG_CTL:
		return true;
	case APIC_BASE_MSR + (APIC_TASKPRI >> 4):
	case APIC_BASE_MSR + (APIC_PROCPRI >> 4):
	case APIC_BASE_MSR + (APIC_EOI >> 4):
	case APIC_BASE_MSR + (APIC_ISR >> 4) ... APIC_BASE_MSR + (APIC_ISR >> 4) + 7:
	case APIC_BASE_MSR + (APIC_TMR >> 4) ... APIC_BASE_MSR + (APIC_TMR >> 4) + 7:
	case APIC_BASE_MSR + (APIC_IRR >> 4) ... APIC_BASE_MSR + (APIC_IRR >> 4) + 7:
	case APIC_BASE_MSR + (APIC_SELF_IPI >> 4):
		return false;	/* virtualized by the module */
	default:
		return (index >= MSR_IA32_MC0_CTL &&
			index < MSR_IA32_MC0_CTL + 4 * banks) ||
		       (index >= APIC_BASE_MSR && index <= APIC_BASE_MSR + 0xff);
	}
}

/*
 * get_msr for a TD vCPU: userspace reads none (the values are the
 * module's); the TD's own reads of emulated MSRs go to the common code.
 */
int tdx_get_msr(struct kvm_vcpu *vcpu, struct msr_data *msr)
{
	if (msr->host_initiated || !tdx_msr_emulated(vcpu, msr->index))
		return 1;
	return kvm_get_msr_common(vcpu, msr);
}

/* set_msr: userspace's writes have no effect; the TD's as for reads. */
int tdx_set_msr(struct kvm_vcpu *vcpu, struct msr_data *msr)
{
	if (msr->host_initiated)
		return 0;
	if (!tdx_msr_emulated(vcpu, msr->index))
		return 1;
	return kvm_set_msr_common(vcpu, msr);
}
