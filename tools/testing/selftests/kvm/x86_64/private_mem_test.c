// SPDX-License-Identifier: GPL-2.0
/*
 * Private memory on the software-protected VM (KVM_X86_SW_PROTECTED_VM).
 *
 * The seed-era private_mem_test staging, ported to this kernel's ABI:
 * the guest fills a private area, converts a window of it to shared and
 * back, explicitly (KVM_HC_MAP_GPA_RANGE) and implicitly (memory-fault
 * exits), while the host checks that it never sees private data and
 * always sees shared data.  Then invalidation (a punched page is never
 * seen again by the guest) and teardown orders.
 *
 * The guest reaches the test area through two mappings: PRIV_VA maps
 * the GPAs (private accesses), SHARED_VA maps them with the shared bit
 * set (shared accesses).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/compiler.h>
#include <linux/falloc.h>

#include "kvm_util.h"
#include "processor.h"
#include "private_mem.h"

#define TEST_SLOT	10
#define TEST_GPA	0xc0000000ull
#define TEST_SIZE	(2ull << 20)
#define WIN_OFF		(1ull << 20)
#define WIN_SIZE	(10 * PAGE_SIZE)
#define PRIV_VA		0xc0000000ull
#define SHARED_VA	0xd0000000ull

#define PAT1	0x66
#define PAT2	0x99
#define PAT3	0x33
#define PAT4	0xaa
#define PAT5	0x12
#define MARKER	0x5a

enum {
	STAGE_STARTED,
	STAGE_PRIVATE_POPULATED,
	STAGE_SHARED_POPULATED,
	STAGE_PRIVATE_POPULATED2,
};

static uint64_t pat64(uint8_t pat)
{
	return pat * 0x0101010101010101ull;
}

/* READ/WRITE_ONCE loops: no libc memset (vector code) in the guest. */
static void guest_fill(uint64_t va, uint64_t size, uint8_t pat)
{
	uint64_t *p = (uint64_t *)va;
	uint64_t i;

	for (i = 0; i < size / 8; i++)
		WRITE_ONCE(p[i], pat64(pat));
}

static bool guest_check(uint64_t va, uint64_t size, uint8_t pat)
{
	uint64_t *p = (uint64_t *)va;
	uint64_t i;

	for (i = 0; i < size / 8; i++)
		if (READ_ONCE(p[i]) != pat64(pat))
			return false;
	return true;
}

static void guest_conversion(bool explicit)
{
	const uint64_t win = WIN_OFF, end = WIN_OFF + WIN_SIZE;

	GUEST_SYNC(STAGE_STARTED);
	guest_fill(PRIV_VA, TEST_SIZE, PAT1);
	GUEST_SYNC(STAGE_PRIVATE_POPULATED);
	GUEST_ASSERT(guest_check(PRIV_VA, TEST_SIZE, PAT1));

	/* To shared; implicitly, the first shared access to each page exits. */
	if (explicit)
		GUEST_ASSERT(!guest_map_gpa_range(TEST_GPA + win, WIN_SIZE, false));
	guest_fill(SHARED_VA + win, WIN_SIZE, PAT2);
	GUEST_SYNC(STAGE_SHARED_POPULATED);
	GUEST_ASSERT(guest_check(SHARED_VA + win, WIN_SIZE, PAT5));
	GUEST_ASSERT(guest_check(PRIV_VA, win, PAT1));
	GUEST_ASSERT(guest_check(PRIV_VA + end, TEST_SIZE - end, PAT1));

	/* Back to private: the punched pages come back zeroed. */
	if (explicit)
		GUEST_ASSERT(!guest_map_gpa_range(TEST_GPA + win, WIN_SIZE, true));
	GUEST_ASSERT(guest_check(PRIV_VA + win, WIN_SIZE, 0));
	guest_fill(PRIV_VA + win, WIN_SIZE, PAT3);
	GUEST_SYNC(STAGE_PRIVATE_POPULATED2);
	GUEST_ASSERT(guest_check(PRIV_VA + win, WIN_SIZE, PAT3));
	GUEST_ASSERT(guest_check(PRIV_VA, win, PAT1));
	GUEST_ASSERT(guest_check(PRIV_VA + end, TEST_SIZE - end, PAT1));
	GUEST_DONE();
}

static void guest_explicit(void)
{
	guest_conversion(true);
}

static void guest_implicit(void)
{
	guest_conversion(false);
}

static bool host_check(const uint8_t *p, uint64_t size, uint8_t pat)
{
	uint64_t i;

	for (i = 0; i < size; i++)
		if (p[i] != pat)
			return false;
	return true;
}

/* The host can never read the memfd: private data stays out of reach. */
static void host_cannot_read(int memfd)
{
	char buf[16];

	TEST_ASSERT(read(memfd, buf, sizeof(buf)) < 0 && errno == EINVAL,
		    "read() of the inaccessible memfd did not fail with EINVAL");
	TEST_ASSERT(mmap(NULL, PAGE_SIZE, PROT_READ, MAP_SHARED, memfd, 0) ==
		    MAP_FAILED, "mmap() of the inaccessible memfd succeeded");
}

static void test_conversion(bool explicit)
{
	struct private_run_stats stats = {};
	uint64_t shared_bit = sw_protected_shared_bit();
	const uint64_t win = WIN_OFF, end = WIN_OFF + WIN_SIZE;
	struct private_region r;
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	struct ucall uc;
	int stage;

	vm = vm_create_type_with_one_vcpu(KVM_X86_SW_PROTECTED_VM, &vcpu,
					  explicit ? guest_explicit :
						     guest_implicit);
	vm_enable_cap(vm, KVM_CAP_EXIT_HYPERCALL, 1 << KVM_HC_MAP_GPA_RANGE);
	vm_add_private_region(vm, &r, TEST_SLOT, TEST_GPA, TEST_SIZE, -1, 0);
	virt_map_alias(vm, PRIV_VA, TEST_GPA, TEST_SIZE, 0);
	virt_map_alias(vm, SHARED_VA, TEST_GPA, TEST_SIZE, shared_bit);

	for (stage = STAGE_STARTED;; stage++) {
		vcpu_run_private(vcpu, &r, &stats);
		TEST_ASSERT(vcpu->run->exit_reason == KVM_EXIT_IO,
			    "exit reason %u (%s)", vcpu->run->exit_reason,
			    exit_reason_str(vcpu->run->exit_reason));
		switch (get_ucall(vcpu, &uc)) {
		case UCALL_ABORT:
			REPORT_GUEST_ASSERT(uc);
		case UCALL_SYNC:
			break;
		case UCALL_DONE:
			goto done;
		default:
			TEST_FAIL("unknown ucall %lu", uc.cmd);
		}
		TEST_ASSERT(uc.args[1] == stage, "stage %lu, expected %d",
			    uc.args[1], stage);
		switch (stage) {
		case STAGE_STARTED:
			memset(r.shared, PAT4, TEST_SIZE);
			break;
		case STAGE_PRIVATE_POPULATED:
			TEST_ASSERT(host_check(r.shared, TEST_SIZE, PAT4),
				    "private data visible in shared memory");
			host_cannot_read(r.memfd);
			break;
		case STAGE_SHARED_POPULATED:
			TEST_ASSERT(host_check(r.shared + win, WIN_SIZE, PAT2),
				    "shared data not visible to the host");
			TEST_ASSERT(host_check(r.shared, win, PAT4) &&
				    host_check(r.shared + end, TEST_SIZE - end, PAT4),
				    "private data visible in shared memory");
			memset(r.shared + win, PAT5, WIN_SIZE);
			break;
		case STAGE_PRIVATE_POPULATED2:
			TEST_ASSERT(host_check(r.shared + win, WIN_SIZE, PAT5),
				    "shared memory changed by private writes");
			TEST_ASSERT(host_check(r.shared, win, PAT4) &&
				    host_check(r.shared + end, TEST_SIZE - end, PAT4),
				    "private data visible in shared memory");
			break;
		}
	}
done:
	TEST_ASSERT(stage == STAGE_PRIVATE_POPULATED2 + 1, "done at stage %d",
		    stage);
	if (explicit) {
		TEST_ASSERT(stats.hypercalls == 2 && !stats.faults_to_private &&
			    !stats.faults_to_shared,
			    "explicit: %u hypercalls, %u/%u memory faults",
			    stats.hypercalls, stats.faults_to_private,
			    stats.faults_to_shared);
	} else {
		/* One exit per page and direction. */
		TEST_ASSERT(!stats.hypercalls &&
			    stats.faults_to_shared == WIN_SIZE / PAGE_SIZE &&
			    stats.faults_to_private == WIN_SIZE / PAGE_SIZE,
			    "implicit: %u hypercalls, %u to private, %u to shared",
			    stats.hypercalls, stats.faults_to_private,
			    stats.faults_to_shared);
	}
	kvm_vm_free(vm);
	close(r.memfd);
	munmap(r.shared, TEST_SIZE);
}

/*
 * A command loop for the other tests: the host sets g_op/g_val and runs
 * the vCPU, which does it on the first private page and syncs.
 */
enum { OP_NONE, OP_WRITE, OP_CHECK, OP_DONE };
static uint64_t g_op, g_val, g_size = PAGE_SIZE;

static void guest_commands(void)
{
	for (;;) {
		GUEST_SYNC(0);
		if (g_op == OP_WRITE)
			guest_fill(PRIV_VA, g_size, g_val);
		else if (g_op == OP_CHECK)
			GUEST_ASSERT_2(guest_check(PRIV_VA, g_size, g_val),
				       g_val, READ_ONCE(*(uint64_t *)PRIV_VA));
		else if (g_op == OP_DONE)
			break;
	}
	GUEST_DONE();
}

static struct kvm_vm *cmd_vm(struct kvm_vcpu **vcpu, struct private_region *r,
			     int memfd)
{
	struct kvm_vm *vm;
	struct ucall uc;

	vm = vm_create_type_with_one_vcpu(KVM_X86_SW_PROTECTED_VM, vcpu,
					  guest_commands);
	vm_add_private_region(vm, r, TEST_SLOT, TEST_GPA, TEST_SIZE, memfd, 0);
	virt_map_alias(vm, PRIV_VA, TEST_GPA, TEST_SIZE, 0);
	vcpu_run(*vcpu);
	TEST_ASSERT(get_ucall(*vcpu, &uc) == UCALL_SYNC, "guest did not start");
	return vm;
}

static void cmd(struct kvm_vcpu *vcpu, uint64_t op, uint64_t val)
{
	struct ucall uc;

	g_op = op;
	g_val = val;
	sync_global_to_guest(vcpu->vm, g_op);
	sync_global_to_guest(vcpu->vm, g_val);
	sync_global_to_guest(vcpu->vm, g_size);
	vcpu_run(vcpu);
	switch (get_ucall(vcpu, &uc)) {
	case UCALL_SYNC:
	case UCALL_DONE:
		return;
	case UCALL_ABORT:
		REPORT_GUEST_ASSERT_2(uc, "expected 0x%lx, read 0x%lx");
	default:
		TEST_FAIL("exit reason %u (%s)", vcpu->run->exit_reason,
			  exit_reason_str(vcpu->run->exit_reason));
	}
}

/*
 * Punch the first page and let the freed page be reused with a marker.
 * The guest's next access allocates a new, zeroed page: a mapping of the
 * freed one would show the old data or the marker (and the debug kernel
 * reports the freed page dirtied when that mapping is finally zapped).
 * Re-allocating right after the punch would likely hand the same
 * (zeroed) page back and hide a stale mapping.
 */
static void punch_and_refill(int memfd)
{
	const size_t size = 256 * PAGE_SIZE;
	uint8_t *p;

	TEST_ASSERT(!fallocate(memfd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			       0, PAGE_SIZE), "punch: %s", strerror(errno));
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	TEST_ASSERT(p != MAP_FAILED, "mmap");
	memset(p, MARKER, size);
	munmap(p, size);
}

/* A punched private page is zapped: the guest reads zeroes, not old data. */
static void test_invalidation(void)
{
	struct private_region r;
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm = cmd_vm(&vcpu, &r, -1);

	cmd(vcpu, OP_WRITE, PAT1);
	cmd(vcpu, OP_CHECK, PAT1);
	punch_and_refill(r.memfd);
	cmd(vcpu, OP_CHECK, 0);
	/* Re-allocated by the host this time. */
	cmd(vcpu, OP_WRITE, PAT2);
	punch_and_refill(r.memfd);
	TEST_ASSERT(!fallocate(r.memfd, 0, 0, PAGE_SIZE), "fallocate: %s",
		    strerror(errno));
	cmd(vcpu, OP_CHECK, 0);
	cmd(vcpu, OP_DONE, 0);
	kvm_vm_free(vm);
	close(r.memfd);
	munmap(r.shared, TEST_SIZE);
}

/* The slot's reference keeps the memfd alive after its last close(). */
static void test_close_memfd_while_running(void)
{
	struct private_region r;
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm = cmd_vm(&vcpu, &r, -1);

	cmd(vcpu, OP_WRITE, PAT1);
	close(r.memfd);
	cmd(vcpu, OP_CHECK, PAT1);
	cmd(vcpu, OP_WRITE, PAT2);
	cmd(vcpu, OP_CHECK, PAT2);
	cmd(vcpu, OP_DONE, 0);
	kvm_vm_free(vm);
	munmap(r.shared, TEST_SIZE);
}

/* Closing the VM unregisters it: a later punch-hole must not reach it. */
static void test_close_vm_first(void)
{
	struct private_region r;
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm = cmd_vm(&vcpu, &r, -1);

	cmd(vcpu, OP_WRITE, PAT1);
	kvm_vm_free(vm);
	TEST_ASSERT(!fallocate(r.memfd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			       0, TEST_SIZE), "punch: %s", strerror(errno));
	close(r.memfd);
	munmap(r.shared, TEST_SIZE);
}

/*
 * Delete a private slot with mapped pages, with QEMU's arguments (the old
 * flags, fd and offset) and with garbage; punch while no slot maps the
 * memfd; a new slot on the same memfd sees what is left.
 */
static void test_delete_slot(void)
{
	struct private_region r;
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm = cmd_vm(&vcpu, &r, -1);
	int memfd = r.memfd;

	cmd(vcpu, OP_WRITE, PAT1);
	TEST_ASSERT(!__vm_set_private_region(vm, TEST_SLOT, KVM_MEM_PRIVATE,
					     TEST_GPA, 0, r.shared, r.memfd, 0),
		    "delete with the old flags: %s", strerror(errno));
	munmap(r.shared, TEST_SIZE);

	vm_add_private_region(vm, &r, TEST_SLOT, TEST_GPA, TEST_SIZE, memfd, 0);
	cmd(vcpu, OP_CHECK, PAT1);
	TEST_ASSERT(!__vm_set_private_region(vm, TEST_SLOT,
					     KVM_MEM_PRIVATE | 0xfff8, TEST_GPA,
					     0, r.shared, -1, 123),
		    "delete with garbage: %s", strerror(errno));
	TEST_ASSERT(!fallocate(memfd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			       0, PAGE_SIZE), "punch: %s", strerror(errno));
	munmap(r.shared, TEST_SIZE);

	vm_add_private_region(vm, &r, TEST_SLOT, TEST_GPA, TEST_SIZE, memfd, 0);
	cmd(vcpu, OP_CHECK, 0);
	cmd(vcpu, OP_DONE, 0);
	kvm_vm_free(vm);
	close(memfd);
	munmap(r.shared, TEST_SIZE);
}

/* Two VMs on one memfd see the same pages; a punch zaps both. */
static void test_two_vms(void)
{
	struct private_region ra, rb;
	struct kvm_vcpu *va, *vb;
	struct kvm_vm *vma = cmd_vm(&va, &ra, -1);
	struct kvm_vm *vmb = cmd_vm(&vb, &rb, ra.memfd);

	cmd(va, OP_WRITE, PAT1);
	cmd(vb, OP_CHECK, PAT1);
	cmd(vb, OP_WRITE, PAT2);
	cmd(va, OP_CHECK, PAT2);
	punch_and_refill(ra.memfd);
	cmd(va, OP_CHECK, 0);
	cmd(vb, OP_CHECK, 0);
	cmd(va, OP_DONE, 0);
	kvm_vm_free(vma);
	close(ra.memfd);
	cmd(vb, OP_WRITE, PAT3);
	cmd(vb, OP_CHECK, PAT3);
	cmd(vb, OP_DONE, 0);
	kvm_vm_free(vmb);
	munmap(ra.shared, TEST_SIZE);
	munmap(rb.shared, TEST_SIZE);
}

static void compact_all_memory(void)
{
	int fd = open("/proc/sys/vm/compact_memory", O_WRONLY);

	TEST_ASSERT(fd >= 0, "open compact_memory: %s", strerror(errno));
	TEST_ASSERT(write(fd, "1", 1) == 1, "compact_memory: %s",
		    strerror(errno));
	close(fd);
}

/*
 * Private pages never move: KVM's SPTEs do not hold them.  After
 * compaction, A's writes must land in the pages of the memfd, which a new
 * VM B maps; a migrated page would leave A writing to the old one.
 */
static void test_no_migration(void)
{
	struct private_region ra, rb;
	struct kvm_vcpu *va, *vb;
	struct kvm_vm *vma, *vmb;
	int i;

	g_size = TEST_SIZE;
	vma = cmd_vm(&va, &ra, -1);
	cmd(va, OP_WRITE, PAT1);
	for (i = 0; i < 2; i++)
		compact_all_memory();
	cmd(va, OP_WRITE, PAT2);
	vmb = cmd_vm(&vb, &rb, ra.memfd);
	cmd(vb, OP_CHECK, PAT2);
	cmd(va, OP_DONE, 0);
	cmd(vb, OP_DONE, 0);
	kvm_vm_free(vma);
	kvm_vm_free(vmb);
	close(ra.memfd);
	munmap(ra.shared, TEST_SIZE);
	munmap(rb.shared, TEST_SIZE);
	g_size = PAGE_SIZE;
}

/* A slot may map beyond the memfd's end; a fault there fails KVM_RUN. */
static void test_beyond_eof(void)
{
	struct private_region r;
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	int memfd = inaccessible_memfd(0);
	int ret;

	TEST_ASSERT(memfd >= 0, "memfd_create: %s", strerror(errno));
	vm = cmd_vm(&vcpu, &r, memfd);
	g_op = OP_CHECK;
	g_val = 0;
	sync_global_to_guest(vm, g_op);
	sync_global_to_guest(vm, g_val);
	sync_global_to_guest(vm, g_size);
	/* Not _vcpu_run(): it would look at the stale KVM_EXIT_IO. */
	ret = __vcpu_run(vcpu);
	TEST_ASSERT(ret == -1 && errno == EFAULT,
		    "KVM_RUN on a private page beyond EOF: %d, errno %d, exit %u",
		    ret, errno, vcpu->run->exit_reason);
	kvm_vm_free(vm);
	close(memfd);
	munmap(r.shared, TEST_SIZE);
}

static void test_explicit(void)
{
	test_conversion(true);
}

static void test_implicit(void)
{
	test_conversion(false);
}

static const struct {
	const char *name;
	void (*run)(void);
	const char *what;
} tests[] = {
	{ "explicit", test_explicit,
	  "explicit conversions (KVM_HC_MAP_GPA_RANGE)" },
	{ "implicit", test_implicit,
	  "implicit conversions (KVM_EXIT_MEMORY_FAULT)" },
	{ "invalidation", test_invalidation,
	  "punch-hole invalidates private mappings" },
	{ "close_memfd", test_close_memfd_while_running,
	  "memfd closed while the VM runs" },
	{ "close_vm", test_close_vm_first, "VM closed before the memfd" },
	{ "delete_slot", test_delete_slot,
	  "private slot deleted with mapped pages" },
	{ "two_vms", test_two_vms, "two VMs on one memfd" },
	{ "beyond_eof", test_beyond_eof,
	  "fault beyond the memfd's end fails with EFAULT" },
	{ "no_migration", test_no_migration,
	  "compaction does not move mapped private pages" },
};

static bool selected(int argc, char *argv[], const char *name)
{
	int i;

	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], name))
			return true;
	return argc == 1;
}

/* Usage: private_mem_test [TEST...]; all tests without arguments. */
int main(int argc, char *argv[])
{
	int i, n = 0;

	TEST_REQUIRE(kvm_check_cap(KVM_CAP_VM_TYPES) &
		     (1 << KVM_X86_SW_PROTECTED_VM));
	TEST_REQUIRE(kvm_check_cap(KVM_CAP_EXIT_HYPERCALL) &
		     (1 << KVM_HC_MAP_GPA_RANGE));

	for (i = 0; i < ARRAY_SIZE(tests); i++)
		n += selected(argc, argv, tests[i].name);
	ksft_print_header();
	ksft_set_plan(n);
	for (i = 0; i < ARRAY_SIZE(tests); i++) {
		if (!selected(argc, argv, tests[i].name))
			continue;
		tests[i].run();
		ksft_test_result_pass("%s\n", tests[i].what);
	}
	ksft_finished();
}
