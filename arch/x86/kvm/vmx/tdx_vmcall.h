/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TDVMCALLs as pure functions: what a TD asks for (decode) and the
 * registers it gets back (complete), from the exit registers TDH.VP.ENTER
 * reports and the TD's guest physical address width; no globals, no
 * hardware, no vCPU.  The run loop carries out the request in between
 * (CPUID, port and MMIO accesses, MSRs, HLT, KVM hypercalls, MapGPA's
 * conversion, ReportFatalError's exit to userspace).  The userspace
 * harness tools/testing/kvm-tdx drives these same functions.
 *
 * Each request is checked before anything is done for it: the GPRs it
 * reads and writes must be exposed in the guest's mask, every operand in
 * range; anything else is answered TDX_VMCALL_INVALID_OPERAND, as is any
 * sub-function KVM does not handle (GetQuote and SetupEventNotifyInterrupt
 * among them, as in the 2022 series).
 */
#ifndef __KVM_X86_VMX_TDX_VMCALL_H
#define __KVM_X86_VMX_TDX_VMCALL_H

#include <linux/types.h>

#include "tdx_arch.h"

/* The TDVMCALL's GPRs: RCX the guest's mask, R10..R15 in and out. */
struct tdx_vmcall_regs {
	u64 rcx;
	u64 r10, r11, r12, r13, r14, r15;
};

enum tdx_vmcall_kind {
	TDX_VMCALL_REQ_INVALID,		/* answered INVALID_OPERAND */
	TDX_VMCALL_REQ_HYPERCALL,	/* a KVM hypercall (R10 != 0) */
	TDX_VMCALL_REQ_GET_INFO,
	TDX_VMCALL_REQ_MAP_GPA,
	TDX_VMCALL_REQ_FATAL,
	TDX_VMCALL_REQ_CPUID,
	TDX_VMCALL_REQ_HLT,
	TDX_VMCALL_REQ_IO,
	TDX_VMCALL_REQ_RDMSR,
	TDX_VMCALL_REQ_WRMSR,
	TDX_VMCALL_REQ_MMIO,
};

/* A decoded request; GPAs are without the shared bit. */
struct tdx_vmcall_req {
	enum tdx_vmcall_kind kind;
	union {
		struct {
			u64 nr, a0, a1, a2, a3;
		} hypercall;
		struct {
			u64 gpa, size;
			u64 shared_bit;		/* to rebuild a resume GPA */
			bool to_private;
		} map_gpa;
		struct {
			u64 error_code, data_gpa;
		} fatal;
		struct {
			u32 leaf, subleaf;
		} cpuid;
		struct {
			bool irqs_blocked;
		} hlt;
		struct {
			u32 size;
			bool write;
			u16 port;
			u32 value;
		} io;
		struct {
			u32 index;
			u64 value;
		} msr;
		struct {
			u32 size;
			bool write;
			u64 gpa;
			u64 value;
		} mmio;
	};
};

/*
 * What carrying out a request gave.  ret: 0; -EAGAIN for a MapGPA done up
 * to @value (the GPA to resume from, without the shared bit); any other
 * errno makes the answer INVALID_OPERAND.  @value: the hypercall's
 * result, the port, MMIO or MSR value read.  @cpuid: EAX..EDX.
 */
struct tdx_vmcall_result {
	int ret;
	u64 value;
	u32 cpuid[4];
};

void tdx_vmcall_decode(const struct tdx_vmcall_regs *regs, unsigned int gpaw,
		       struct tdx_vmcall_req *req);
void tdx_vmcall_complete(const struct tdx_vmcall_req *req,
			 const struct tdx_vmcall_result *res,
			 struct tdx_vmcall_regs *regs);

#endif /* __KVM_X86_VMX_TDX_VMCALL_H */
