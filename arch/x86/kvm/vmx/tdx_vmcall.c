// SPDX-License-Identifier: GPL-2.0
/*
 * TDVMCALL decoding and completion: pure functions of the exit registers
 * (tdx_vmcall.h).  The GHCI register use of each sub-function:
 *
 *   sub-function (R11)      inputs               outputs
 *   GetTdVmCallInfo         R12 = 0              R11..R14 = 0
 *   MapGPA                  R12 GPA, R13 size    R11 resume GPA (RETRY)
 *   ReportFatalError        R12 code, R13 GPA    -
 *   CPUID                   R12 leaf, R13 sub    R12..R15 EAX..EDX
 *   HLT                     R12 IRQs blocked     -
 *   port I/O                R12 size, R13 dir,   R11 value read
 *                           R14 port, R15 value
 *   RDMSR / WRMSR           R12 index, R13 value R11 value read
 *   MMIO                    R12 size, R13 dir,   R11 value read
 *                           R14 GPA, R15 value
 *
 * and R10 the status.  A KVM hypercall has its number in R10 and its
 * arguments in R11..R14, and gets its result in R10.
 */
#include <linux/bits.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/types.h>

#include "tdx_vmcall.h"

#define R10	BIT_ULL(10)
#define R11	BIT_ULL(11)
#define R12	BIT_ULL(12)
#define R13	BIT_ULL(13)
#define R14	BIT_ULL(14)
#define R15	BIT_ULL(15)

#define TDX_VMCALL_PAGE_SIZE	4096ULL

/* Does the guest expose every GPR of @need? */
static bool tdx_vmcall_exposes(const struct tdx_vmcall_regs *regs, u64 need)
{
	return (regs->rcx & need) == need;
}

/* The low @size bytes. */
static u64 tdx_vmcall_size_mask(u32 size)
{
	return size >= 8 ? ~0ULL : BIT_ULL(size * 8) - 1;
}

static bool tdx_vmcall_u32(u64 v)
{
	return v <= 0xffffffffULL;
}

static void tdx_vmcall_decode_io(const struct tdx_vmcall_regs *regs,
				 struct tdx_vmcall_req *req)
{
	u64 size = regs->r12, dir = regs->r13, port = regs->r14;

	if (!tdx_vmcall_exposes(regs, R12 | R13 | R14 | (dir == 1 ? R15 : 0)))
		return;
	if ((size != 1 && size != 2 && size != 4) || dir > 1 ||
	    port > 0x10000 - size)
		return;
	req->kind = TDX_VMCALL_REQ_IO;
	req->io.size = size;
	req->io.write = dir;
	req->io.port = port;
	req->io.value = dir ? regs->r15 & tdx_vmcall_size_mask(size) : 0;
}

/* An MMIO access: a shared GPA within the GPAW, not crossing a page. */
static void tdx_vmcall_decode_mmio(const struct tdx_vmcall_regs *regs,
				   unsigned int gpaw,
				   struct tdx_vmcall_req *req)
{
	u64 size = regs->r12, dir = regs->r13, gpa = regs->r14;
	u64 shared = BIT_ULL(gpaw - 1);

	if (!tdx_vmcall_exposes(regs, R12 | R13 | R14 | (dir == 1 ? R15 : 0)))
		return;
	if ((size != 1 && size != 2 && size != 4 && size != 8) || dir > 1)
		return;
	if (!(gpa & shared) || (gpa >> gpaw))
		return;
	gpa &= ~shared;
	if ((gpa & (TDX_VMCALL_PAGE_SIZE - 1)) + size > TDX_VMCALL_PAGE_SIZE)
		return;
	req->kind = TDX_VMCALL_REQ_MMIO;
	req->mmio.size = size;
	req->mmio.write = dir;
	req->mmio.gpa = gpa;
	req->mmio.value = dir ? regs->r15 & tdx_vmcall_size_mask(size) : 0;
}

/*
 * MapGPA: 4K-aligned, not empty, within the private half of the GPAW
 * once the shared bit is off; the shared bit says which way.
 */
static void tdx_vmcall_decode_map_gpa(const struct tdx_vmcall_regs *regs,
				      unsigned int gpaw,
				      struct tdx_vmcall_req *req)
{
	u64 gpa = regs->r12, size = regs->r13;
	u64 shared = BIT_ULL(gpaw - 1);

	if (!tdx_vmcall_exposes(regs, R12 | R13) || (gpa >> gpaw))
		return;
	req->map_gpa.to_private = !(gpa & shared);
	gpa &= ~shared;
	if (!size || ((gpa | size) & (TDX_VMCALL_PAGE_SIZE - 1)) ||
	    size > shared - gpa)
		return;
	req->kind = TDX_VMCALL_REQ_MAP_GPA;
	req->map_gpa.gpa = gpa;
	req->map_gpa.size = size;
	req->map_gpa.shared_bit = shared;
}

static void tdx_vmcall_decode_std(const struct tdx_vmcall_regs *regs,
				  unsigned int gpaw,
				  struct tdx_vmcall_req *req)
{
	switch (regs->r11) {
	case TDX_VMCALL_GET_TD_VM_CALL_INFO:
		if (tdx_vmcall_exposes(regs, R12 | R13 | R14) && !regs->r12)
			req->kind = TDX_VMCALL_REQ_GET_INFO;
		break;
	case TDX_VMCALL_MAP_GPA:
		tdx_vmcall_decode_map_gpa(regs, gpaw, req);
		break;
	case TDX_VMCALL_REPORT_FATAL_ERROR:
		if (!tdx_vmcall_exposes(regs, R12))
			break;
		req->kind = TDX_VMCALL_REQ_FATAL;
		req->fatal.error_code = regs->r12;
		req->fatal.data_gpa = regs->r13;	/* 0 if not exposed */
		break;
	case TDX_VMCALL_CPUID:
		if (!tdx_vmcall_exposes(regs, R12 | R13 | R14 | R15) ||
		    !tdx_vmcall_u32(regs->r12) || !tdx_vmcall_u32(regs->r13))
			break;
		req->kind = TDX_VMCALL_REQ_CPUID;
		req->cpuid.leaf = regs->r12;
		req->cpuid.subleaf = regs->r13;
		break;
	case TDX_VMCALL_HLT:
		if (!tdx_vmcall_exposes(regs, R12))
			break;
		req->kind = TDX_VMCALL_REQ_HLT;
		req->hlt.irqs_blocked = regs->r12;
		break;
	case TDX_VMCALL_IO:
		tdx_vmcall_decode_io(regs, req);
		break;
	case TDX_VMCALL_RDMSR:
		if (!tdx_vmcall_exposes(regs, R12) || !tdx_vmcall_u32(regs->r12))
			break;
		req->kind = TDX_VMCALL_REQ_RDMSR;
		req->msr.index = regs->r12;
		break;
	case TDX_VMCALL_WRMSR:
		if (!tdx_vmcall_exposes(regs, R12 | R13) ||
		    !tdx_vmcall_u32(regs->r12))
			break;
		req->kind = TDX_VMCALL_REQ_WRMSR;
		req->msr.index = regs->r12;
		req->msr.value = regs->r13;
		break;
	case TDX_VMCALL_MMIO:
		tdx_vmcall_decode_mmio(regs, gpaw, req);
		break;
	default:
		/* GetQuote, SetupEventNotifyInterrupt and unknown ones. */
		break;
	}
}

/**
 * tdx_vmcall_decode() - what a TDVMCALL asks for
 * @regs: the exit's RCX and R10..R15 (GPRs the guest did not expose are 0)
 * @gpaw: the TD's guest physical address width, 48 or 52
 * @req: the request; kind TDX_VMCALL_REQ_INVALID for one to refuse
 */
void tdx_vmcall_decode(const struct tdx_vmcall_regs *regs, unsigned int gpaw,
		       struct tdx_vmcall_req *req)
{
	memset(req, 0, sizeof(*req));
	/* The module refuses RAX, RCX and RSP in the mask; so do we. */
	if ((regs->rcx & TDX_VMCALL_GPR_FORBIDDEN) ||
	    !tdx_vmcall_exposes(regs, R10))
		return;
	if (regs->r10) {
		req->kind = TDX_VMCALL_REQ_HYPERCALL;
		req->hypercall.nr = regs->r10;
		req->hypercall.a0 = regs->r11;
		req->hypercall.a1 = regs->r12;
		req->hypercall.a2 = regs->r13;
		req->hypercall.a3 = regs->r14;
		return;
	}
	if (tdx_vmcall_exposes(regs, R11))
		tdx_vmcall_decode_std(regs, gpaw, req);
}

/* A MapGPA resume point must lie in the range and be 4K-aligned. */
static bool tdx_vmcall_resume_ok(const struct tdx_vmcall_req *req, u64 next)
{
	return next >= req->map_gpa.gpa &&
	       next - req->map_gpa.gpa < req->map_gpa.size &&
	       !(next & (TDX_VMCALL_PAGE_SIZE - 1));
}

/**
 * tdx_vmcall_complete() - the registers the TD gets back
 * @req: the decoded request
 * @res: what carrying it out gave (ignored for an invalid request)
 * @regs: updated: R10 the status, and the outputs of @req
 *
 * Only GPRs the request needed exposed are written, and R10.
 */
void tdx_vmcall_complete(const struct tdx_vmcall_req *req,
			 const struct tdx_vmcall_result *res,
			 struct tdx_vmcall_regs *regs)
{
	u64 status = TDX_VMCALL_SUCCESS;

	if (req->kind == TDX_VMCALL_REQ_INVALID)
		goto invalid;
	if (req->kind == TDX_VMCALL_REQ_MAP_GPA && res->ret == -EAGAIN) {
		if (!tdx_vmcall_resume_ok(req, res->value))
			goto invalid;
		regs->r11 = res->value |
			    (req->map_gpa.to_private ? 0 : req->map_gpa.shared_bit);
		regs->r10 = TDX_VMCALL_RETRY;
		return;
	}
	if (res->ret)
		goto invalid;

	switch (req->kind) {
	case TDX_VMCALL_REQ_HYPERCALL:
		status = res->value;
		break;
	case TDX_VMCALL_REQ_GET_INFO:
		regs->r11 = 0;
		regs->r12 = 0;
		regs->r13 = 0;
		regs->r14 = 0;
		break;
	case TDX_VMCALL_REQ_CPUID:
		regs->r12 = res->cpuid[0];
		regs->r13 = res->cpuid[1];
		regs->r14 = res->cpuid[2];
		regs->r15 = res->cpuid[3];
		break;
	case TDX_VMCALL_REQ_IO:
		if (!req->io.write)
			regs->r11 = res->value & tdx_vmcall_size_mask(req->io.size);
		break;
	case TDX_VMCALL_REQ_RDMSR:
		regs->r11 = res->value;
		break;
	case TDX_VMCALL_REQ_MMIO:
		if (!req->mmio.write)
			regs->r11 = res->value &
				    tdx_vmcall_size_mask(req->mmio.size);
		break;
	default:
		/* MapGPA done, ReportFatalError, HLT, WRMSR: status only. */
		break;
	}
	regs->r10 = status;
	return;

invalid:
	regs->r10 = TDX_VMCALL_INVALID_OPERAND;
}
