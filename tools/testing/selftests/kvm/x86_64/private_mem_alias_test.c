// SPDX-License-Identifier: GPL-2.0
/*
 * The software-protected VM's shared alias (GPA | BIT(S)) seen by KVM
 * itself: the emulator, MMIO exits, pvclock and the wall clock (pfn cache
 * and kvm_write_guest()) reach the page the alias stands for, and dirty
 * logging sees writes made through either alias.
 *
 * The guest reaches memory at PRIV_VA (GPA, bit S clear) and ALIAS_VA
 * (GPA | BIT(S)); both map the same page of a normal slot.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/compiler.h>

#include "kvm_util.h"
#include "processor.h"
#include "private_mem.h"
#include "test_cases.h"

#define PRIV_VA		0xc0000000ull
#define ALIAS_VA	0xd0000000ull
#define MMIO_GPA	0xe0000000ull
#define LOG_SLOT	1
#define LOG_GPA		0x10000000ull
#define LOG_PAGES	16
#define MAGIC		0x0123456789abcdefull

/* KVM's forced emulation prefix: the next instruction is emulated. */
#define KVM_FEP		"ud2; .byte 'k', 'v', 'm';"

struct pvclock_time {
	uint32_t version;
	uint32_t pad0;
	uint64_t tsc_timestamp;
	uint64_t system_time;
	uint32_t tsc_to_system_mul;
	int8_t tsc_shift;
	uint8_t flags;
	uint8_t pad[2];
};

struct wall_clock {
	uint32_t version;
	uint32_t sec;
	uint32_t nsec;
};

static uint64_t shared_bit;

/* A VM whose page @idx of data sits at PRIV_VA and ALIAS_VA + idx pages. */
static struct kvm_vm *alias_vm(struct kvm_vcpu **vcpu, void *guest_code,
			       int pages, uint64_t *gpa)
{
	struct kvm_vm *vm;
	int i;

	vm = vm_create_type_with_one_vcpu(KVM_X86_SW_PROTECTED_VM, vcpu,
					  guest_code);
	for (i = 0; i < pages; i++) {
		uint64_t va = vm_vaddr_alloc_page(vm);
		uint64_t pa = addr_gva2gpa(vm, va);

		if (gpa)
			gpa[i] = pa;
		virt_pg_map(vm, PRIV_VA + i * PAGE_SIZE, pa);
		virt_pg_map(vm, ALIAS_VA + i * PAGE_SIZE, pa | shared_bit);
	}
	return vm;
}

/* Run until a ucall; any other exit fails the test. */
static uint64_t run_ucall(struct kvm_vcpu *vcpu, struct ucall *uc)
{
	vcpu_run(vcpu);
	TEST_ASSERT(vcpu->run->exit_reason == KVM_EXIT_IO,
		    "exit reason %u (%s), MMIO at 0x%llx",
		    vcpu->run->exit_reason,
		    exit_reason_str(vcpu->run->exit_reason),
		    vcpu->run->mmio.phys_addr);
	switch (get_ucall(vcpu, uc)) {
	case UCALL_ABORT:
		REPORT_GUEST_ASSERT_2(*uc, "0x%lx, 0x%lx");
	case UCALL_SYNC:
	case UCALL_DONE:
		return uc->cmd;
	default:
		TEST_FAIL("unknown ucall %lu", uc->cmd);
	}
	return 0;
}

static void run_to_done(struct kvm_vcpu *vcpu)
{
	struct ucall uc;

	TEST_ASSERT(run_ucall(vcpu, &uc) == UCALL_DONE, "guest not done");
}

/*
 * Emulated instructions (forced with KVM's prefix) read and write memory
 * through the alias: without stripping, the emulator found no memslot
 * at GPA | BIT(S) and exited to userspace with KVM_EXIT_MMIO.
 */
static void guest_emulator(void)
{
	uint64_t val;

	asm volatile(KVM_FEP "mov (%1), %0" : "=r"(val) : "r"(ALIAS_VA)
		     : "memory");
	GUEST_ASSERT_2(val == MAGIC, val, MAGIC);
	val = ~MAGIC;
	asm volatile(KVM_FEP "mov %0, 8(%1)" : : "r"(val), "r"(ALIAS_VA)
		     : "memory");
	GUEST_ASSERT_2(READ_ONCE(*(uint64_t *)(PRIV_VA + 8)) == ~MAGIC,
		       READ_ONCE(*(uint64_t *)(PRIV_VA + 8)), ~MAGIC);
	GUEST_DONE();
}

static int set_fep(const char *val)
{
	int fd = open("/sys/module/kvm/parameters/force_emulation_prefix",
		      O_RDWR);
	char old = '0';
	int r;

	if (fd < 0)
		return -1;
	r = read(fd, &old, 1) == 1 &&
	    pwrite(fd, val, strlen(val), 0) == (ssize_t)strlen(val);
	close(fd);
	return r ? old : -1;
}

static int test_emulator(void)
{
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	uint64_t gpa, *hva;
	int old = set_fep("1");

	if (old < 0) {
		ksft_test_result_skip("emulator: force_emulation_prefix is not writable\n");
		return 0;
	}
	vm = alias_vm(&vcpu, guest_emulator, 1, &gpa);
	hva = addr_gpa2hva(vm, gpa);
	hva[0] = MAGIC;
	run_to_done(vcpu);
	TEST_ASSERT(hva[1] == ~MAGIC, "emulated write: 0x%lx", hva[1]);
	kvm_vm_free(vm);
	if (old != '1')
		set_fep("0");
	return 1;
}

/* MMIO through either alias exits with the GPA without the shared bit. */
static void guest_mmio(void)
{
	uint64_t *mmio_alias = (uint64_t *)ALIAS_VA;
	uint64_t *mmio = (uint64_t *)PRIV_VA;

	GUEST_ASSERT_1(READ_ONCE(*mmio_alias) == MAGIC, 1);
	WRITE_ONCE(*mmio_alias, ~MAGIC);
	GUEST_ASSERT_1(READ_ONCE(*mmio) == MAGIC, 2);
	WRITE_ONCE(*mmio, ~MAGIC);
	GUEST_DONE();
}

static void expect_mmio(struct kvm_vcpu *vcpu, bool write)
{
	struct kvm_run *run = vcpu->run;
	uint64_t data;

	vcpu_run(vcpu);
	TEST_ASSERT(run->exit_reason == KVM_EXIT_MMIO,
		    "exit reason %u (%s)", run->exit_reason,
		    exit_reason_str(run->exit_reason));
	TEST_ASSERT(run->mmio.phys_addr == MMIO_GPA && run->mmio.len == 8 &&
		    run->mmio.is_write == write,
		    "MMIO %s at 0x%llx, len %u; expected %s at 0x%llx",
		    run->mmio.is_write ? "write" : "read",
		    run->mmio.phys_addr, run->mmio.len,
		    write ? "write" : "read", MMIO_GPA);
	if (write) {
		memcpy(&data, run->mmio.data, sizeof(data));
		TEST_ASSERT(data == ~MAGIC, "MMIO write of 0x%lx", data);
	} else {
		data = MAGIC;
		memcpy(run->mmio.data, &data, sizeof(data));
	}
}

static int test_mmio(void)
{
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;

	vm = vm_create_type_with_one_vcpu(KVM_X86_SW_PROTECTED_VM, &vcpu,
					  guest_mmio);
	virt_pg_map(vm, PRIV_VA, MMIO_GPA);
	virt_pg_map(vm, ALIAS_VA, MMIO_GPA | shared_bit);
	expect_mmio(vcpu, false);
	expect_mmio(vcpu, true);
	expect_mmio(vcpu, false);
	expect_mmio(vcpu, true);
	run_to_done(vcpu);
	kvm_vm_free(vm);
	return 1;
}

/*
 * pvclock (the pfn cache) and the wall clock (kvm_read_guest() and
 * kvm_write_guest()) at GPAs the guest gives with the shared bit set.
 */
static void guest_clocks(uint64_t time_gpa, uint64_t wall_gpa)
{
	struct pvclock_time *pv = (void *)ALIAS_VA;
	struct wall_clock *wc = (void *)(ALIAS_VA + PAGE_SIZE);
	uint32_t version, mul;

	wrmsr(MSR_KVM_WALL_CLOCK_NEW, wall_gpa | shared_bit);
	version = READ_ONCE(wc->version);
	GUEST_ASSERT_2(version && !(version & 1), version,
		       READ_ONCE(wc->sec));
	wrmsr(MSR_KVM_SYSTEM_TIME_NEW, time_gpa | shared_bit | 1);
	/* The update is requested by the write and done before re-entry. */
	GUEST_SYNC(0);
	version = READ_ONCE(pv->version);
	mul = READ_ONCE(pv->tsc_to_system_mul);
	GUEST_ASSERT_2(version && !(version & 1) && mul, version, mul);
	wrmsr(MSR_KVM_SYSTEM_TIME_NEW, 0);
	GUEST_DONE();
}

static int test_clocks(void)
{
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	struct ucall uc;
	uint64_t gpa[2];

	vm = alias_vm(&vcpu, guest_clocks, 2, gpa);
	sync_global_to_guest(vm, shared_bit);
	vcpu_args_set(vcpu, 2, gpa[0], gpa[1]);
	TEST_ASSERT(run_ucall(vcpu, &uc) == UCALL_SYNC, "no sync");
	run_to_done(vcpu);
	kvm_vm_free(vm);
	return 1;
}

/*
 * Dirty logging on a normal slot: the guest writes pages [g_first,
 * g_last) through the alias or the plain GPA, the host reads the log.
 */
static uint64_t g_first, g_last, g_via_alias, g_val;

static void guest_dirty(void)
{
	uint64_t i;

	for (;;) {
		GUEST_SYNC(0);
		for (i = g_first; i < g_last; i++)
			WRITE_ONCE(*(uint64_t *)((g_via_alias ? ALIAS_VA : PRIV_VA) +
						  i * PAGE_SIZE), g_val + i);
	}
}

static struct kvm_vm *dirty_vm(struct kvm_vcpu **vcpu, uint32_t flags)
{
	struct kvm_vm *vm;
	struct ucall uc;

	vm = vm_create_type_with_one_vcpu(KVM_X86_SW_PROTECTED_VM, vcpu,
					  guest_dirty);
	vm_userspace_mem_region_add(vm, VM_MEM_SRC_ANONYMOUS, LOG_GPA,
				    LOG_SLOT, LOG_PAGES, flags);
	virt_map_alias(vm, PRIV_VA, LOG_GPA, LOG_PAGES * PAGE_SIZE, 0);
	virt_map_alias(vm, ALIAS_VA, LOG_GPA, LOG_PAGES * PAGE_SIZE,
		       shared_bit);
	TEST_ASSERT(run_ucall(*vcpu, &uc) == UCALL_SYNC, "guest did not start");
	return vm;
}

static void guest_write(struct kvm_vcpu *vcpu, uint64_t first, uint64_t last,
			bool via_alias)
{
	struct ucall uc;
	uint64_t *hva;
	uint64_t i;

	g_first = first;
	g_last = last;
	g_via_alias = via_alias;
	g_val += 0x100;
	sync_global_to_guest(vcpu->vm, g_first);
	sync_global_to_guest(vcpu->vm, g_last);
	sync_global_to_guest(vcpu->vm, g_via_alias);
	sync_global_to_guest(vcpu->vm, g_val);
	TEST_ASSERT(run_ucall(vcpu, &uc) == UCALL_SYNC, "no sync");
	hva = addr_gpa2hva(vcpu->vm, LOG_GPA);
	for (i = first; i < last; i++)
		TEST_ASSERT(hva[i * PAGE_SIZE / 8] == g_val + i,
			    "page %lu: 0x%lx", i, hva[i * PAGE_SIZE / 8]);
}

/* The log must be exactly [first, last). */
static void expect_dirty(struct kvm_vm *vm, uint64_t first, uint64_t last,
			 const char *what)
{
	unsigned long bmap[1] = { 0 };
	unsigned long want = 0;
	uint64_t i;

	for (i = first; i < last; i++)
		want |= 1ul << i;
	kvm_vm_get_dirty_log(vm, LOG_SLOT, bmap);
	TEST_ASSERT(bmap[0] == want, "%s: dirty log 0x%lx, expected 0x%lx",
		    what, bmap[0], want);
}

static int test_dirty_log(void)
{
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm = dirty_vm(&vcpu, KVM_MEM_LOG_DIRTY_PAGES);

	guest_write(vcpu, 0, LOG_PAGES, true);
	expect_dirty(vm, 0, LOG_PAGES, "first writes through the alias");
	/* GET_DIRTY_LOG write-protected both aliases of the dirty pages. */
	guest_write(vcpu, 0, 8, true);
	expect_dirty(vm, 0, 8, "writes through the alias");
	guest_write(vcpu, 8, LOG_PAGES, false);
	expect_dirty(vm, 8, LOG_PAGES, "writes through the plain GPA");
	guest_write(vcpu, 4, 12, true);
	expect_dirty(vm, 4, 12, "writes through the alias again");
	expect_dirty(vm, 0, 0, "no writes");
	kvm_vm_free(vm);
	return 1;
}

/* Turning logging on write-protects the alias mappings too. */
static int test_dirty_log_enable(void)
{
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm = dirty_vm(&vcpu, 0);

	guest_write(vcpu, 0, LOG_PAGES, true);
	vm_mem_region_set_flags(vm, LOG_SLOT, KVM_MEM_LOG_DIRTY_PAGES);
	expect_dirty(vm, 0, 0, "logging just enabled");
	guest_write(vcpu, 3, 5, true);
	expect_dirty(vm, 3, 5, "writes through the alias");
	vm_mem_region_set_flags(vm, LOG_SLOT, 0);
	guest_write(vcpu, 0, LOG_PAGES, true);
	kvm_vm_free(vm);
	return 1;
}

static const struct {
	const char *name;
	int (*run)(void);
	const char *what;
} tests[] = {
	{ "emulator", test_emulator,
	  "emulated accesses through the shared alias reach memory" },
	{ "mmio", test_mmio, "MMIO exits report the GPA without the shared bit" },
	{ "clocks", test_clocks,
	  "pvclock and wall clock at shared-alias GPAs are written" },
	{ "dirty_log", test_dirty_log,
	  "dirty logging sees writes through both aliases" },
	{ "dirty_log_enable", test_dirty_log_enable,
	  "enabling dirty logging write-protects the alias" },
};

/* Usage: private_mem_alias_test [TEST...] [-TEST...] (test_cases.h). */
int main(int argc, char *argv[])
{
	int i, n = 0;

	test_cases_check_args(tests, argc, argv);

	TEST_REQUIRE(kvm_check_cap(KVM_CAP_VM_TYPES) &
		     (1 << KVM_X86_SW_PROTECTED_VM));
	shared_bit = sw_protected_shared_bit();

	for (i = 0; i < ARRAY_SIZE(tests); i++)
		n += test_case_selected(argc, argv, tests[i].name);
	ksft_print_header();
	ksft_set_plan(n);
	for (i = 0; i < ARRAY_SIZE(tests); i++) {
		if (!test_case_selected(argc, argv, tests[i].name))
			continue;
		if (tests[i].run())
			ksft_test_result_pass("%s\n", tests[i].what);
	}
	ksft_finished();
}
