/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test payload for a software-protected VM (KVM_X86_SW_PROTECTED_VM) run by
 * our QEMU: a 64 KiB image loaded with -bios, so that no firmware runs in
 * the guest.  It starts at the reset vector, enters 32-bit protected mode
 * with PAE paging and:
 *
 *  1. maps VA [0, 1G) to GPA [0, 1G) (private alias, shared bit S clear)
 *     and VA [1G, 2G) to GPA [0, 1G) | BIT(S) (shared alias), S being
 *     CPUID 0x80000008 EAX[7:0] - 1; VA [3G, 4G) is identity (this ROM);
 *  2. writes a secret to private memory (PRIV), whose pages become private
 *     by implicit conversions (KVM_EXIT_MEMORY_FAULT), like the page
 *     tables and the stack;
 *  3. converts window E explicitly, KVM_HC_MAP_GPA_RANGE to private and
 *     back to shared, and window I implicitly, a private then a shared
 *     access; both must read back as zeroes on the shared side;
 *  4. checks that a bad KVM_HC_MAP_GPA_RANGE fails with -EINVAL;
 *  5. writes "GUEST-E-HELLO" and "GUEST-I-HELLO" to the windows, prints
 *     "SWPROT READY" and waits for the host's magic at offset 64 of each;
 *  6. checks the secret and prints "SWPROT PASS" (or "SWPROT FAIL why"),
 *     then leaves through isa-debug-exit (port 0xf4): 0 on pass, 1 on
 *     failure, i.e. QEMU exit status 1 or 3.
 *
 * The secret is kept XORed in this ROM so that only the guest's private
 * memory ever holds it in clear.  Built with -DLEAK_SECRET, the payload
 * also copies it to window I, for the host side's leak control.
 * swprot-test.c has the host side.
 */

#define COM1		0x3f8
#define DEBUG_EXIT	0xf4
#define STACK_TOP	0x9000
#define PDPT		0x1000
#define PD_LOW		0x2000
#define PD_SHARED	0x3000
#define PD_HIGH		0x4000
#define PRIV		0x100000	/* the secret, 4 pages */
#define WIN_E		0x200000	/* explicit conversions, 4 pages */
#define WIN_I		0x300000	/* implicit conversions, 1 page */
#define SHARED_VA	0x40000000	/* VA of the shared alias of GPA 0 */
#define PDE_2M		0xe3		/* P | RW | A | D | PS */
#define HOST_MAGIC	0x4b434148	/* "HACK" */
#define HC_MAP_GPA_RANGE 12
#define MAP_PRIVATE_ATTR 0x10		/* KVM_MAP_GPA_RANGE_ENCRYPTED */
/* Variables, in private memory (the stack's page). */
#define vendor_amd	0x8000
#define shared_bit	0x8004
#define sbit_lo		0x8008
#define sbit_hi		0x800c

	.code16
	.text
	.globl _start
_start:
	cli
	lgdtl %cs:(gdt_desc - _start)
	movl %cr0, %eax
	orl $1, %eax
	movl %eax, %cr0
	ljmpl $0x08, $start32

	.code32
start32:
	movw $0x10, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movw %ax, %fs
	movw %ax, %gs
	movl $STACK_TOP, %esp		/* private: an implicit conversion */
	movl $msg_start, %esi
	call puts

	/* Vendor: vmmcall on AMD, vmcall elsewhere (the ROM cannot be patched). */
	xorl %eax, %eax
	cpuid
	xorl %edi, %edi
	cmpl $0x68747541, %ebx		/* "Auth" */
	jne 1f
	incl %edi
1:	movl %edi, vendor_amd

	/* The shared bit: S = MAXPHYADDR - 1. */
	movl $0x80000008, %eax
	cpuid
	movzbl %al, %ecx
	decl %ecx
	movl %ecx, shared_bit
	xorl %eax, %eax
	xorl %edx, %edx
	cmpl $32, %ecx
	jae 2f
	incl %eax
	shll %cl, %eax
	jmp 3f
2:	subl $32, %ecx
	incl %edx
	shll %cl, %edx
3:	movl %eax, sbit_lo
	movl %edx, sbit_hi

	/* PDPT: [0] low 1G, [1] shared alias, [3] top 1G. */
	movl $PDPT, %edi
	xorl %eax, %eax
	movl $8, %ecx
	rep stosl
	movl $(PD_LOW | 1), PDPT
	movl $(PD_SHARED | 1), PDPT + 8
	movl $(PD_HIGH | 1), PDPT + 24

	xorl %ecx, %ecx			/* i: 2M page index */
4:	movl %ecx, %eax
	shll $21, %eax
	orl $PDE_2M, %eax
	movl %eax, PD_LOW(,%ecx,8)
	movl $0, PD_LOW + 4(,%ecx,8)
	movl %eax, %ebx
	orl sbit_lo, %ebx
	movl %ebx, PD_SHARED(,%ecx,8)
	movl sbit_hi, %ebx
	movl %ebx, PD_SHARED + 4(,%ecx,8)
	addl $0xc0000000, %eax
	movl %eax, PD_HIGH(,%ecx,8)
	movl $0, PD_HIGH + 4(,%ecx,8)
	incl %ecx
	cmpl $512, %ecx
	jne 4b

	movl $PDPT, %eax
	movl %eax, %cr3
	movl %cr4, %eax
	orl $0x20, %eax			/* PAE */
	movl %eax, %cr4
	movl %cr0, %eax
	orl $0x80000000, %eax		/* PG */
	movl %eax, %cr0
	jmp 5f
5:	movl $msg_paging, %esi
	call puts

	/* 2. The secret: 16 bytes, unXORed, repeated over PRIV. */
	movl $secret_xor, %esi
	movl $PRIV, %edi
	movl $16, %ecx
6:	lodsb
	xorb $0xa5, %al
	stosb
	loop 6b
	movl $PRIV, %esi
	movl $(PRIV + 16), %edi
	movl $(4 * 4096 - 16), %ecx
	rep movsb

	/* 3a. Window E: explicitly private, written, explicitly shared. */
	movl $WIN_E, %ebx
	movl $4, %ecx
	movl $MAP_PRIVATE_ATTR, %edx
	call map_gpa_range
	testl %eax, %eax
	jnz fail_hc
	movl $WIN_E, %edi
	movl $0x5a5a5a5a, %eax
	movl $4096, %ecx
	rep stosl
	movl $WIN_E, %ebx
	movl $4, %ecx
	xorl %edx, %edx
	call map_gpa_range
	testl %eax, %eax
	jnz fail_hc
	movl $(SHARED_VA + WIN_E), %edi
	movl $4096, %ecx
	call check_zero
	jnz fail_e

	/* 3b. Window I: a private access, then a shared one. */
	movl $0x5a5a5a5a, WIN_I
	movl $(SHARED_VA + WIN_I), %edi
	movl $1024, %ecx
	call check_zero
	jnz fail_i

	/* 4. A bad request fails, and the guest goes on. */
	movl $(WIN_E + 1), %ebx
	movl $1, %ecx
	xorl %edx, %edx
	call map_gpa_range
	cmpl $-22, %eax
	jne fail_hc_bad

	/* 5. Talk to the host over the shared windows. */
	movl $msg_hello_e, %esi
	movl $(SHARED_VA + WIN_E), %edi
	movl $14, %ecx
	rep movsb
	movl $msg_hello_i, %esi
	movl $(SHARED_VA + WIN_I), %edi
	movl $14, %ecx
	rep movsb
#ifdef LEAK_SECRET
	/* The leak control (swprot-payload-leak.bin): the secret, shared. */
	movl $PRIV, %esi
	movl $(SHARED_VA + WIN_I + 128), %edi
	movl $16, %ecx
	rep movsb
#endif
	movl $msg_ready, %esi
	call puts
7:	pause
	cmpl $HOST_MAGIC, SHARED_VA + WIN_E + 64
	jne 7b
8:	pause
	cmpl $HOST_MAGIC, SHARED_VA + WIN_I + 64
	jne 8b

	/* 6. The secret is still there, in private memory. */
	movl $secret_xor, %esi
	movl $PRIV, %edi
	xorl %ecx, %ecx
9:	movl %ecx, %edx
	andl $15, %edx
	movb (%esi,%edx), %al
	xorb $0xa5, %al
	cmpb %al, (%edi,%ecx)
	jne fail_secret
	incl %ecx
	cmpl $(4 * 4096), %ecx
	jne 9b

	movl $msg_pass, %esi
	call puts
	xorl %eax, %eax
	outb %al, $DEBUG_EXIT
	jmp halt

fail_hc:
	movl $msg_fail_hc, %esi
	jmp fail
fail_hc_bad:
	movl $msg_fail_hc_bad, %esi
	jmp fail
fail_e:
	movl $msg_fail_e, %esi
	jmp fail
fail_i:
	movl $msg_fail_i, %esi
	jmp fail
fail_secret:
	movl $msg_fail_secret, %esi
fail:
	call puts
	movb $1, %al
	outb %al, $DEBUG_EXIT
halt:
	hlt
	jmp halt

/*
 * KVM_HC_MAP_GPA_RANGE(gpa %ebx, pages %ecx, attrs %edx) -> %eax
 *
 * The hypercall instruction runs with paging off.  A host CPU without
 * next-RIP saving (SVM without NRIPS, as QEMU's TCG offers it to the lane's
 * kernel) makes KVM decode the instruction to skip it, walking this
 * guest's page tables, and those are private memory, which KVM does not
 * read.  Without paging the fetch goes straight to this ROM, a shared slot.
 * Code, stack and variables are identity-mapped, so nothing else changes.
 */
map_gpa_range:
	pushl %edi
	movl %cr0, %edi
	andl $0x7fffffff, %edi		/* PG off */
	movl $HC_MAP_GPA_RANGE, %eax
	cmpl $0, vendor_amd
	je 1f
	movl %edi, %cr0
	vmmcall
	jmp 2f
1:	movl %edi, %cr0
	vmcall
2:	orl $0x80000000, %edi		/* PG on */
	movl %edi, %cr0
	jmp 3f
3:	popl %edi
	ret

/* ZF set iff the %ecx dwords at %edi are all zero. */
check_zero:
	xorl %eax, %eax
	repe scasl
	ret

/* Print the NUL-terminated string at %esi on COM1. */
puts:
	movw $COM1, %dx
1:	lodsb
	testb %al, %al
	jz 2f
	outb %al, %dx
	jmp 1b
2:	ret

msg_start:	.asciz "SWPROT start\n"
msg_paging:	.asciz "SWPROT paging on\n"
msg_ready:	.asciz "SWPROT READY\n"
msg_pass:	.asciz "SWPROT PASS\n"
msg_hello_e:	.asciz "GUEST-E-HELLO"
msg_hello_i:	.asciz "GUEST-I-HELLO"
msg_fail_hc:	.asciz "SWPROT FAIL KVM_HC_MAP_GPA_RANGE failed\n"
msg_fail_hc_bad: .asciz "SWPROT FAIL unaligned KVM_HC_MAP_GPA_RANGE did not fail with -EINVAL\n"
msg_fail_e:	.asciz "SWPROT FAIL window E not zero after private->shared\n"
msg_fail_i:	.asciz "SWPROT FAIL window I not zero after private->shared\n"
msg_fail_secret: .asciz "SWPROT FAIL secret changed\n"
/* "SWPROT-SECRET-01" XOR 0xa5 */
secret_xor:
	.byte 0xf6, 0xf2, 0xf5, 0xf7, 0xea, 0xf1, 0x88, 0xf6
	.byte 0xe0, 0xe6, 0xf7, 0xe0, 0xf1, 0x88, 0x95, 0x94

	.balign 8
gdt:
	.quad 0
	.quad 0x00cf9b000000ffff	/* 0x08: code, flat 4G */
	.quad 0x00cf93000000ffff	/* 0x10: data, flat 4G */
gdt_desc:
	.word gdt_desc - gdt - 1
	.long gdt

/* Reset vector: CS base 0xffff0000, IP 0xfff0. */
	.org 0xfff0
	.code16
	jmp _start
	.org 0x10000
