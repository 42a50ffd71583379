/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The SEAMCALL instruction, for the TDX host core.
 *
 * u64 __seamcall(u64 fn, u64 rcx, u64 rdx, u64 r8, u64 r9,
 *		  struct tdx_module_output *out);
 *
 * Returns RAX: the module's status after SEAMRET, or one of the
 * software-defined codes (asm/tdx.h) when the instruction itself
 * failed:
 *   VMfailInvalid (CF=1, module not loaded)  TDX_SEAMCALL_VMFAILINVALID
 *   #GP (TDX not enabled by the BIOS)        TDX_SW_ERROR | X86_TRAP_GP
 *   #UD (CPU not in VMX operation)           TDX_SW_ERROR | X86_TRAP_UD
 * The faults are caught through the exception table; the fault
 * handler leaves the trap number in RAX.
 *
 * RCX, RDX and R8-R11 are copied to @out (if not NULL) after SEAMRET,
 * also on failure, since they may describe it.  The offsets in @out are
 * asm-offsets' TDX_MODULE_* (struct tdx_module_output, asm/tdx.h).
 *
 * Not 6.1's TDX_MODULE_CALL (tdxcall.S): that macro has no exception
 * fixup, so a SEAMCALL without SEAM would oops instead of failing, and
 * the out-of-tree module cannot include it (the headers lack it).
 */
#include <linux/linkage.h>
#include <asm/asm.h>
#include <asm/asm-offsets.h>
#include <asm/frame.h>
#include <asm/tdx.h>

/* SEAMCALL is known to binutils >= 2.36 only. */
#define seamcall	.byte 0x66, 0x0f, 0x01, 0xcf

SYM_FUNC_START(__seamcall)
	FRAME_BEGIN
	/* @out lives in R12 across the call; the module preserves it. */
	push	%r12
	mov	%r9, %r12

	/* C ABI (RDI RSI RDX RCX R8) -> SEAMCALL ABI (RAX RCX RDX R8 R9). */
	mov	%rdi, %rax
	mov	%r8, %r9
	mov	%rcx, %r8
	mov	%rsi, %rcx

.Lseamcall:
	seamcall
	jnc	.Lseamret
	movabs	$TDX_SEAMCALL_VMFAILINVALID, %rax
	jmp	.Lout

.Lseamret:
	test	%r12, %r12
	jz	.Lout
	mov	%rcx, TDX_MODULE_rcx(%r12)
	mov	%rdx, TDX_MODULE_rdx(%r12)
	mov	%r8, TDX_MODULE_r8(%r12)
	mov	%r9, TDX_MODULE_r9(%r12)
	mov	%r10, TDX_MODULE_r10(%r12)
	mov	%r11, TDX_MODULE_r11(%r12)

.Lout:
	pop	%r12
	FRAME_END
	RET

.Lfault:
	/* RAX holds the trap number: fold it into a software error. */
	movabs	$TDX_SW_ERROR, %rdi
	or	%rdi, %rax
	jmp	.Lout

	_ASM_EXTABLE_FAULT(.Lseamcall, .Lfault)
SYM_FUNC_END(__seamcall)
