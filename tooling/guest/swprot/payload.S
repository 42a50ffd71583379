/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test payload for a software-protected VM (KVM_X86_SW_PROTECTED_VM) run by
 * our QEMU: a 64 KiB image loaded with -bios, so that no firmware runs in
 * the guest.  It starts at the reset vector, enters 64-bit mode and:
 *
 *  1. maps VA [0, 1G) to GPA [0, 1G) (private alias, shared bit S clear)
 *     and VA [1G, 2G) to GPA [0, 1G) | BIT(S) (shared alias), S being
 *     CPUID 0x80000008 EAX[7:0] - 1; VA [3G, 4G) is identity (this ROM).
 *     The page tables it runs on are in shared memory (see "Page tables"
 *     below);
 *  2. writes a secret to private memory (PRIV), whose pages become private
 *     by implicit conversions (KVM_EXIT_MEMORY_FAULT), like the stack;
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
#define BOOT_PT		0x1000		/* private, 5 pages: see build_pt */
#define SHARED_PT	0x10000		/* shared, 5 pages: see build_pt */
#define PRIV		0x100000	/* the secret, 4 pages */
#define WIN_E		0x200000	/* explicit conversions, 4 pages */
#define WIN_I		0x300000	/* implicit conversions, 1 page */
#define SHARED_VA	0x40000000	/* VA of the shared alias of GPA 0 */
#define PDE_2M		0xe3		/* P | RW | A | D | PS */
#define HOST_MAGIC	0x4b434148	/* "HACK" */
#define HC_MAP_GPA_RANGE 12
#define MAP_PRIVATE_ATTR 0x10		/* KVM_MAP_GPA_RANGE_ENCRYPTED */
#define MSR_EFER	0xc0000080
#define EFER_LME	0x100
/* Variables, in private memory (the stack's page). */
#define vendor_amd	0x8000
#define shared_bit	0x8004

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

	/* Boot page tables, in private memory (GPA = VA here), then 64-bit. */
	movl $BOOT_PT, %edi
	xorl %esi, %esi			/* table addresses: no shared bit */
	call build_pt32
	movl $BOOT_PT, %eax
	movl %eax, %cr3
	movl %cr4, %eax
	orl $0x20, %eax			/* PAE */
	movl %eax, %cr4
	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_LME, %eax
	wrmsr
	movl %cr0, %eax
	orl $0x80000000, %eax		/* PG: long mode */
	movl %eax, %cr0
	ljmpl $0x18, $start64

	.code64
start64:
	/*
	 * The same tables in shared memory, written through the shared
	 * alias, and CR3 on them (a 64-bit CR3 can carry the shared bit).
	 */
	movl shared_bit, %ecx
	movl $1, %esi
	shlq %cl, %rsi			/* BIT(S) */
	movl $(SHARED_VA + SHARED_PT), %edi
	call build_pt64
	orq $SHARED_PT, %rsi
	movq %rsi, %cr3
	movl $msg_paging, %esi
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

/* KVM_HC_MAP_GPA_RANGE(gpa %ebx, pages %ecx, attrs %edx) -> %eax */
map_gpa_range:
	movl $HC_MAP_GPA_RANGE, %eax
	cmpl $0, vendor_amd
	je 1f
	vmmcall
	ret
1:	vmcall
	ret

/*
 * Page tables.  A host CPU without next-RIP saving (SVM without NRIPS, as
 * QEMU's TCG offers it to the lane's kernel) makes KVM decode every
 * intercepted instruction it skips or emulates (the hypercall, HLT,
 * PAUSE, CR writes), fetching it through the guest's page tables.  KVM
 * reads guest memory through the shared side only: tables in private
 * memory read as zeroes to it, and the #PF it then injects ends in a
 * triple fault (there is no IDT).  So the guest runs on tables in shared
 * memory.  Those need a CR3 with the shared bit, which only 64-bit mode
 * can load: 32-bit code builds boot tables in private memory, enters
 * 64-bit mode on them (no instruction is skipped meanwhile: the CR and
 * EFER writes before paging are emulated with paging off), and builds
 * the shared ones.
 *
 * Five pages at the table base: PML4, PDPT, and the page directories of
 * VA [0, 1G) (GPA [0, 1G)), [1G, 2G) (GPA [0, 1G) | BIT(S)) and [3G, 4G)
 * (identity), all with 2M pages.  Tables point at each other by GPA:
 * base | BIT(S) for the shared copy.
 *
 * build_pt32: %edi = base (VA = GPA), no shared bit in the pointers, but
 * BIT(S) in the shared alias's entries (from shared_bit).
 * build_pt64: %rdi = VA of the base, %rsi = BIT(S) (pointers carry it).
 */
	.code32
build_pt32:
	pushl %edi
	xorl %eax, %eax
	movl $(5 * 1024), %ecx
	rep stosl
	popl %edi
	movl %edi, %eax
	addl $0x1003, %eax		/* PML4[0] -> PDPT, P | RW */
	movl %eax, (%edi)
	addl $0x1000, %eax
	movl %eax, 0x1000(%edi)		/* PDPT[0] -> low 1G */
	addl $0x1000, %eax
	movl %eax, 0x1008(%edi)		/* PDPT[1] -> shared alias */
	addl $0x1000, %eax
	movl %eax, 0x1018(%edi)		/* PDPT[3] -> top 1G */
	movl shared_bit, %ecx
	subl $32, %ecx
	movl $1, %esi
	shll %cl, %esi			/* BIT(S) >> 32: S >= 32 */
	xorl %ecx, %ecx			/* i: 2M page index */
1:	movl %ecx, %eax
	shll $21, %eax
	orl $PDE_2M, %eax
	movl %eax, 0x2000(%edi,%ecx,8)
	movl %eax, 0x3000(%edi,%ecx,8)
	movl %esi, 0x3004(%edi,%ecx,8)
	addl $0xc0000000, %eax
	movl %eax, 0x4000(%edi,%ecx,8)
	incl %ecx
	cmpl $512, %ecx
	jne 1b
	ret

	.code64
build_pt64:
	pushq %rdi
	xorl %eax, %eax
	movl $(5 * 512), %ecx
	rep stosq
	popq %rdi
	movl $(SHARED_PT + 0x1003), %eax
	orq %rsi, %rax
	movq %rax, (%rdi)		/* PML4[0] -> PDPT */
	addq $0x1000, %rax
	movq %rax, 0x1000(%rdi)		/* PDPT[0] -> low 1G */
	addq $0x1000, %rax
	movq %rax, 0x1008(%rdi)		/* PDPT[1] -> shared alias */
	addq $0x1000, %rax
	movq %rax, 0x1018(%rdi)		/* PDPT[3] -> top 1G */
	xorl %ecx, %ecx
1:	movl %ecx, %eax
	shlq $21, %rax
	orq $PDE_2M, %rax
	movq %rax, 0x2000(%rdi,%rcx,8)
	movq %rax, %rdx
	orq %rsi, %rdx
	movq %rdx, 0x3000(%rdi,%rcx,8)
	movl $0xc0000000, %edx
	addq %rdx, %rax
	movq %rax, 0x4000(%rdi,%rcx,8)
	incl %ecx
	cmpl $512, %ecx
	jne 1b
	ret

/* ZF set iff the %ecx dwords at %edi are all zero. */
check_zero:
	xorl %eax, %eax
	repe scasl
	ret

/*
 * Print the NUL-terminated string at %esi on COM1.  The same bytes in
 * 32-bit and 64-bit mode: called from both.
 */
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
	.quad 0x00af9b000000ffff	/* 0x18: code, 64-bit */
gdt_desc:
	.word gdt_desc - gdt - 1
	.long gdt

/* Reset vector: CS base 0xffff0000, IP 0xfff0. */
	.org 0xfff0
	.code16
	jmp _start
	.org 0x10000
