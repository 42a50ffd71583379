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
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <linux/compiler.h>
#include <linux/falloc.h>

#include "kvm_util.h"
#include "processor.h"
#include "private_mem.h"
#include "test_cases.h"

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
enum { OP_NONE, OP_WRITE, OP_CHECK, OP_DONE, OP_TOUCH };
static uint64_t g_op, g_val, g_size = PAGE_SIZE, g_skip = ~0ull, g_va = PRIV_VA;

/* Write one word per page of [g_va, +g_size), but page g_skip. */
static void guest_touch(void)
{
	uint64_t i;

	for (i = 0; i < g_size / PAGE_SIZE; i++)
		if (i != g_skip)
			WRITE_ONCE(*(uint64_t *)(g_va + i * PAGE_SIZE), g_val);
}

static void guest_commands(void)
{
	for (;;) {
		GUEST_SYNC(0);
		if (g_op == OP_TOUCH)
			guest_touch();
		else if (g_op == OP_WRITE)
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
	sync_global_to_guest(vcpu->vm, g_skip);
	sync_global_to_guest(vcpu->vm, g_va);
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

/* The VM's test-only debugfs file @name (private_mem_debugfs.c). */
static int vm_debugfs_open(struct kvm_vm *vm, const char *name, int flags)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/kernel/debug/kvm/%d-%d/%s",
		 getpid(), vm->fd, name);
	return open(path, flags);
}

/* The pfn behind a private gfn, from debugfs. */
static uint64_t debugfs_pfn(struct kvm_vm *vm, uint64_t gpa)
{
	int fd = vm_debugfs_open(vm, "private_pfn", O_RDWR);
	char buf[32] = "";
	uint64_t pfn;

	TEST_ASSERT(fd >= 0, "open private_pfn: %s", strerror(errno));
	snprintf(buf, sizeof(buf), "0x%lx", gpa >> 12);
	TEST_ASSERT(write(fd, buf, strlen(buf)) == (ssize_t)strlen(buf),
		    "write private_pfn: %s", strerror(errno));
	memset(buf, 0, sizeof(buf));
	TEST_ASSERT(read(fd, buf, sizeof(buf) - 1) > 0, "read private_pfn: %s",
		    strerror(errno));
	close(fd);
	pfn = strtoull(buf, NULL, 0);
	TEST_ASSERT(pfn, "pfn 0 for gpa 0x%lx", gpa);
	return pfn;
}

/* alloc_contig_range() over exactly the pfn behind @gpa: errno or 0. */
static int migrate_private_page(struct kvm_vm *vm, uint64_t gpa)
{
	int fd = vm_debugfs_open(vm, "private_migrate", O_WRONLY);
	char buf[32];
	int r = 0;

	TEST_ASSERT(fd >= 0, "open private_migrate: %s", strerror(errno));
	snprintf(buf, sizeof(buf), "0x%lx", gpa >> 12);
	if (write(fd, buf, strlen(buf)) < 0)
		r = errno;
	close(fd);
	return r;
}

#define SHMEM_THP	"/sys/kernel/mm/transparent_hugepage/shmem_enabled"

/*
 * The memfd gets 2M folios from shmem's THP setting: the inaccessible
 * memfd is a shmem file on the internal mount, whose huge= policy follows
 * SHMEM_THP ("always": a 2M folio wherever a 2M-aligned index range fits
 * in the file; "never" is the default).  Set it, returning the old policy
 * in @old (NULL: do not save).  False if THP is unavailable.
 */
static bool set_shmem_thp(const char *policy, char *old, size_t len)
{
	int fd = open(SHMEM_THP, O_RDWR);
	char buf[128] = "";
	bool ok;

	if (fd < 0)
		return false;
	if (old) {
		char *b, *e;

		TEST_ASSERT(read(fd, buf, sizeof(buf) - 1) > 0, "read " SHMEM_THP);
		b = strchr(buf, '[');
		e = b ? strchr(b, ']') : NULL;
		TEST_ASSERT(b && e, "no policy in '%s'", buf);
		*e = 0;
		snprintf(old, len, "%s", b + 1);
	}
	ok = pwrite(fd, policy, strlen(policy), 0) == (ssize_t)strlen(policy);
	close(fd);
	return ok;
}

/*
 * Private pages never move: KVM's SPTEs point at them without a
 * reference.  With the pages mapped into a running guest, compaction and
 * alloc_contig_range() over exactly their pfns must leave them where they
 * are (the pfn debugfs reports stays, the allocation fails with EBUSY),
 * and the guest reads its data back.
 *
 * Twice: with 4K folios and with one 2M folio (shmem THP "always").  The
 * memfd allocates without __GFP_MOVABLE, so a 4K page shares its
 * pageblock with other unmovable kernel pages, and isolating that
 * pageblock fails whatever the page is: that pass would pass without
 * AS_UNMOVABLE too.  A 2M folio fills its pageblock alone and is on the
 * LRU, so the isolation succeeds and only AS_UNMOVABLE keeps migration
 * from moving it: that pass fails without it (the folio moves).
 */
static void no_migration_once(const char *thp)
{
	const uint64_t gpas[] = { TEST_GPA, TEST_GPA + TEST_SIZE / 2 + 5 * PAGE_SIZE };
	struct private_region ra, rb;
	struct kvm_vcpu *va, *vb;
	struct kvm_vm *vma, *vmb;
	uint64_t pfn[2], base;
	int i, r;

	g_size = TEST_SIZE;
	vma = cmd_vm(&va, &ra, -1);
	/* Allocated up front, as one 2M folio when THP is "always". */
	TEST_ASSERT(!fallocate(ra.memfd, 0, 0, TEST_SIZE), "fallocate: %s",
		    strerror(errno));
	base = vm_get_stat(vma, "pages_2m");
	cmd(va, OP_WRITE, PAT1);
	if (!strcmp(thp, "always"))
		TEST_ASSERT(vm_get_stat(vma, "pages_2m") > base,
			    "shmem THP 'always' gave no 2M mapping");
	for (i = 0; i < 2; i++)
		pfn[i] = debugfs_pfn(vma, gpas[i]);
	for (i = 0; i < 2; i++)
		compact_all_memory();
	for (i = 0; i < 2; i++) {
		TEST_ASSERT(debugfs_pfn(vma, gpas[i]) == pfn[i],
			    "THP %s: compaction moved gpa 0x%lx: pfn 0x%lx -> 0x%lx",
			    thp, gpas[i], pfn[i], debugfs_pfn(vma, gpas[i]));
		r = migrate_private_page(vma, gpas[i]);
		TEST_ASSERT(r == EBUSY,
			    "THP %s: alloc_contig_range() over pfn 0x%lx of gpa 0x%lx: %s",
			    thp, pfn[i], gpas[i],
			    r ? strerror(r) : "succeeded, the page moved");
		TEST_ASSERT(debugfs_pfn(vma, gpas[i]) == pfn[i],
			    "THP %s: gpa 0x%lx moved: pfn 0x%lx -> 0x%lx", thp,
			    gpas[i], pfn[i], debugfs_pfn(vma, gpas[i]));
	}
	cmd(va, OP_CHECK, PAT1);
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
	ksft_print_msg("no_migration: THP %s: 2 pfns stayed\n", thp);
}

static void test_no_migration(void)
{
	char old[32];

	if (!set_shmem_thp("never", old, sizeof(old))) {
		ksft_print_msg("no_migration: no shmem THP (%s): 4K only\n",
			       SHMEM_THP);
		no_migration_once("unavailable");
		return;
	}
	no_migration_once("never");
	set_shmem_thp("always", NULL, 0);
	no_migration_once("always");
	set_shmem_thp(old, NULL, 0);
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

#define HPAGE		(2ull << 20)
#define LP_SIZE		(8 * HPAGE)

/* A private area of @size at TEST_GPA, allocated in the memfd up front. */
static struct kvm_vm *area_vm(struct kvm_vcpu **vcpu, struct private_region *r,
			      uint64_t size)
{
	struct kvm_vm *vm;
	struct ucall uc;

	vm = vm_create_type_with_one_vcpu(KVM_X86_SW_PROTECTED_VM, vcpu,
					  guest_commands);
	vm_add_private_region(vm, r, TEST_SLOT, TEST_GPA, size, -1, 0);
	TEST_ASSERT(!fallocate(r->memfd, 0, 0, size), "fallocate: %s",
		    strerror(errno));
	virt_map_alias(vm, PRIV_VA, TEST_GPA, size, 0);
	virt_map_alias(vm, SHARED_VA, TEST_GPA, size, sw_protected_shared_bit());
	vcpu_run(*vcpu);
	TEST_ASSERT(get_ucall(*vcpu, &uc) == UCALL_SYNC, "guest did not start");
	return vm;
}

static void touch(struct kvm_vcpu *vcpu, uint64_t va, uint64_t size,
		  uint64_t skip)
{
	g_va = va;
	g_size = size;
	g_skip = skip;
	cmd(vcpu, OP_TOUCH, PAT1);
	g_va = PRIV_VA;
	g_size = PAGE_SIZE;
	g_skip = ~0ull;
}

/*
 * A uniformly private, 2M-aligned, THP-backed area maps at 2M; making one
 * 4K page of a 2M range shared demotes that range to 4K; making it private
 * again lets the range map at 2M again (the conversion zaps the whole 2M
 * ranges it touches).  The page is converted without punching it, so the
 * memfd's folio stays 2M and only the attributes decide.
 */
static void test_large_pages(void)
{
	const uint64_t nr = LP_SIZE / HPAGE, page = HPAGE + 7 * PAGE_SIZE;
	struct private_region r;
	struct kvm_vcpu *vcpu;
	uint64_t base, n;
	struct kvm_vm *vm;
	char old[32];

	if (!set_shmem_thp("always", old, sizeof(old))) {
		ksft_print_msg("large_pages: no shmem THP (%s)\n", SHMEM_THP);
		return;
	}
	vm = area_vm(&vcpu, &r, LP_SIZE);
	base = vm_get_stat(vm, "pages_2m");
	touch(vcpu, PRIV_VA, LP_SIZE, ~0ull);
	n = vm_get_stat(vm, "pages_2m") - base;
	printf("bench: kvm_private_2m_percent %lu %% (goal 100)\n",
	       n * 100 / nr);
	TEST_ASSERT(n == nr, "%lu of %lu 2M ranges mapped at 2M", n, nr);

	TEST_ASSERT(!__vm_set_private_attr(vm, TEST_GPA + page, PAGE_SIZE,
					   false), "UNREG: %s", strerror(errno));
	TEST_ASSERT(vm_get_stat(vm, "pages_2m") - base == nr - 1,
		    "converting a page did not zap its 2M mapping");
	touch(vcpu, PRIV_VA, LP_SIZE, page / PAGE_SIZE);
	touch(vcpu, SHARED_VA + page, PAGE_SIZE, ~0ull);
	n = vm_get_stat(vm, "pages_2m") - base;
	TEST_ASSERT(n == nr - 1, "mixed 2M range: %lu 2M mappings, expected %lu",
		    n, nr - 1);

	TEST_ASSERT(!__vm_set_private_attr(vm, TEST_GPA + page, PAGE_SIZE,
					   true), "REG: %s", strerror(errno));
	touch(vcpu, PRIV_VA, LP_SIZE, ~0ull);
	n = vm_get_stat(vm, "pages_2m") - base;
	TEST_ASSERT(n == nr, "private again: %lu 2M mappings, expected %lu",
		    n, nr);

	cmd(vcpu, OP_DONE, 0);
	kvm_vm_free(vm);
	close(r.memfd);
	munmap(r.shared, LP_SIZE);
	set_shmem_thp(old, NULL, 0);
}

static double dmin(double a, double b)
{
	return a < b ? a : b;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Seconds the guest takes to touch every 4K page of [va, +size). */
static double time_touch(struct kvm_vcpu *vcpu, uint64_t va, uint64_t size)
{
	double t = now();

	touch(vcpu, va, size, ~0ull);
	return now() - t;
}

/*
 * Fault cost per 4K page, private against shared, with THP off: the same
 * pages, allocated beforehand on both sides (memfd and shared mapping),
 * faulted in by one guest write each after a REG/UNREG that zapped them.
 * Best of five rounds each, interleaved, so that a burst of host load
 * spoils one round rather than one side.  Under TCG most of each fault is
 * the emulated world switch; tooling/fault-profile.sh splits the handler
 * itself into stages.
 */
#define FAULT_SIZE	(16ull << 20)
static void test_bench_fault(void)
{
	double tp = 1e9, ts = 1e9;
	struct private_region r;
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	char old[32];
	int i;

	if (!set_shmem_thp("never", old, sizeof(old)))
		old[0] = 0;
	vm = area_vm(&vcpu, &r, FAULT_SIZE);
	memset(r.shared, 0, FAULT_SIZE);
	touch(vcpu, PRIV_VA, FAULT_SIZE, ~0ull);
	for (i = 0; i < 5; i++) {
		TEST_ASSERT(!__vm_set_private_attr(vm, TEST_GPA, FAULT_SIZE, true),
			    "REG: %s", strerror(errno));
		tp = dmin(tp, time_touch(vcpu, PRIV_VA, FAULT_SIZE));
		TEST_ASSERT(!__vm_set_private_attr(vm, TEST_GPA, FAULT_SIZE, false),
			    "UNREG: %s", strerror(errno));
		ts = dmin(ts, time_touch(vcpu, SHARED_VA, FAULT_SIZE));
	}
	printf("bench: kvm_private_fault_ratio %.2f private/shared (goal <= 1.1; %.1f vs %.1f us per 4K fault)\n",
	       tp / ts, tp * 1e6 / (FAULT_SIZE / PAGE_SIZE),
	       ts * 1e6 / (FAULT_SIZE / PAGE_SIZE));
	cmd(vcpu, OP_DONE, 0);
	kvm_vm_free(vm);
	close(r.memfd);
	munmap(r.shared, FAULT_SIZE);
	if (old[0])
		set_shmem_thp(old, NULL, 0);
}

/*
 * Converting 1 GiB against 4 KiB (REG then UNREG, no memslot, no faults):
 * with ranges, both cost about the same.  Best of 20 each.
 */
static void test_bench_convert(void)
{
	const uint64_t gpa = 1ull << 32;
	double t1g = 1e9, t4k = 1e9, t;
	struct kvm_vcpu *vcpu;
	struct kvm_vm *vm;
	int i;

	vm = vm_create_type_with_one_vcpu(KVM_X86_SW_PROTECTED_VM, &vcpu,
					  guest_commands);
	for (i = 0; i < 20; i++) {
		t = now();
		TEST_ASSERT(!__vm_set_private_attr(vm, gpa, 1ull << 30, true) &&
			    !__vm_set_private_attr(vm, gpa, 1ull << 30, false),
			    "REG/UNREG 1G: %s", strerror(errno));
		t1g = dmin(t1g, now() - t);
		t = now();
		TEST_ASSERT(!__vm_set_private_attr(vm, gpa, PAGE_SIZE, true) &&
			    !__vm_set_private_attr(vm, gpa, PAGE_SIZE, false),
			    "REG/UNREG 4K: %s", strerror(errno));
		t4k = dmin(t4k, now() - t);
	}
	printf("bench: kvm_convert_1g_vs_4k_ratio %.2f (goal <= 10; %.1f vs %.1f us)\n",
	       t1g / t4k, t1g * 1e6, t4k * 1e6);
	kvm_vm_free(vm);
}

/*
 * Invalidation race.  The guest loops over RACE_PAGES private pages: it
 * reads each page's word, then writes a new tag (sequence and page) there.
 * A host thread punches and re-fills random pages; around each it bumps the
 * page's generation in guest memory, odd while the punch runs, even after
 * the re-fill.  Another thread keeps re-using freed memory with MARKER.
 * A read is stale if it returns anything but 0 or the guest's last tag, or
 * its last tag although a whole punch ran after that write: the guest would
 * then be reading a page that left the memfd.
 */
#define RACE_PAGES	16
#define RACE_SECONDS	5
static uint64_t race_gen[RACE_PAGES];
static uint64_t race_stop, race_loops;

static void guest_race(void)
{
	uint64_t last[RACE_PAGES] = {}, wgen[RACE_PAGES] = {};
	uint64_t seq = 0, i, g, v, after;

	while (!READ_ONCE(race_stop)) {
		for (i = 0; i < RACE_PAGES; i++) {
			uint64_t *p = (void *)(PRIV_VA + i * PAGE_SIZE);

			g = READ_ONCE(race_gen[i]);
			v = READ_ONCE(*p);
			/* A punch that started after our write and ended. */
			after = wgen[i] + (wgen[i] & 1 ? 3 : 2);
			GUEST_ASSERT_4(v == 0 || (v == last[i] && (!last[i] || g < after)),
				       i, v, last[i], g);
			last[i] = (++seq << 8) | i;
			WRITE_ONCE(*p, last[i]);
			asm volatile("mfence" ::: "memory");
			wgen[i] = READ_ONCE(race_gen[i]);
		}
		WRITE_ONCE(race_loops, READ_ONCE(race_loops) + 1);
	}
	GUEST_DONE();
}

struct race_ctx {
	struct kvm_vm *vm;
	int memfd;
	bool stop;
	unsigned int seed;
	uint64_t punches;
};

static void *race_puncher(void *arg)
{
	struct race_ctx *c = arg;
	uint64_t *gen = addr_gva2hva(c->vm, (vm_vaddr_t)race_gen);
	uint64_t *stop = addr_gva2hva(c->vm, (vm_vaddr_t)&race_stop);
	double end = now() + RACE_SECONDS;
	unsigned int i;

	while (now() < end) {
		i = rand_r(&c->seed) % RACE_PAGES;
		__atomic_add_fetch(&gen[i], 1, __ATOMIC_SEQ_CST);
		TEST_ASSERT(!fallocate(c->memfd, FALLOC_FL_PUNCH_HOLE |
				       FALLOC_FL_KEEP_SIZE, i * PAGE_SIZE,
				       PAGE_SIZE), "punch: %s", strerror(errno));
		if (rand_r(&c->seed) & 1)
			TEST_ASSERT(!fallocate(c->memfd, 0, i * PAGE_SIZE,
					       PAGE_SIZE), "re-fill: %s",
				    strerror(errno));
		__atomic_add_fetch(&gen[i], 1, __ATOMIC_SEQ_CST);
		c->punches++;
		if (rand_r(&c->seed) % 4 == 0)
			usleep(rand_r(&c->seed) % 1000);
	}
	__atomic_store_n(stop, 1, __ATOMIC_SEQ_CST);
	WRITE_ONCE(c->stop, true);
	return NULL;
}

static void *race_marker(void *arg)
{
	struct race_ctx *c = arg;
	const size_t size = 1 << 20;
	uint8_t *p;

	while (!READ_ONCE(c->stop)) {
		p = mmap(NULL, size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		TEST_ASSERT(p != MAP_FAILED, "mmap");
		memset(p, MARKER, size);
		munmap(p, size);
	}
	return NULL;
}

static void test_race(void)
{
	struct race_ctx c = { .seed = time(NULL) };
	pthread_t puncher, marker;
	struct private_region r;
	struct kvm_vcpu *vcpu;
	struct ucall uc;

	ksft_print_msg("race: seed %u, %d s\n", c.seed, RACE_SECONDS);
	c.vm = vm_create_type_with_one_vcpu(KVM_X86_SW_PROTECTED_VM, &vcpu,
					    guest_race);
	vm_add_private_region(c.vm, &r, TEST_SLOT, TEST_GPA, TEST_SIZE, -1, 0);
	virt_map_alias(c.vm, PRIV_VA, TEST_GPA, TEST_SIZE, 0);
	c.memfd = r.memfd;
	pthread_create(&puncher, NULL, race_puncher, &c);
	pthread_create(&marker, NULL, race_marker, &c);
	vcpu_run(vcpu);
	WRITE_ONCE(c.stop, true);
	pthread_join(puncher, NULL);
	pthread_join(marker, NULL);
	switch (get_ucall(vcpu, &uc)) {
	case UCALL_DONE:
		break;
	case UCALL_ABORT:
		REPORT_GUEST_ASSERT_4(uc, "stale read: page %lu read 0x%lx, last tag 0x%lx, gen %lu");
	default:
		TEST_FAIL("exit reason %u (%s)", vcpu->run->exit_reason,
			  exit_reason_str(vcpu->run->exit_reason));
	}
	ksft_print_msg("race: %lu punches, %lu guest loops, no stale read\n",
		       c.punches,
		       *(uint64_t *)addr_gva2hva(c.vm, (vm_vaddr_t)&race_loops));
	kvm_vm_free(c.vm);
	close(r.memfd);
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
	  "compaction and alloc_contig_range() do not move mapped private pages" },
	{ "large_pages", test_large_pages,
	  "uniform THP-backed private ranges map at 2M, mixed ones at 4K" },
	{ "race", test_race,
	  "punch-hole racing with private writes never exposes a stale page" },
	{ "bench_fault", test_bench_fault,
	  "benchmark of private against shared faults" },
	{ "bench_convert", test_bench_convert,
	  "benchmark of converting 1G against 4K" },
};

/*
 * Usage: private_mem_test [TEST...] [-TEST...] (test_cases.h); all tests
 * without arguments.
 */
int main(int argc, char *argv[])
{
	int i, n = 0;

	test_cases_check_args(tests, argc, argv);
	TEST_REQUIRE(kvm_check_cap(KVM_CAP_VM_TYPES) &
		     (1 << KVM_X86_SW_PROTECTED_VM));
	TEST_REQUIRE(kvm_check_cap(KVM_CAP_EXIT_HYPERCALL) &
		     (1 << KVM_HC_MAP_GPA_RANGE));

	for (i = 0; i < ARRAY_SIZE(tests); i++)
		n += test_case_selected(argc, argv, tests[i].name);
	ksft_print_header();
	ksft_set_plan(n);
	for (i = 0; i < ARRAY_SIZE(tests); i++) {
		if (!test_case_selected(argc, argv, tests[i].name))
			continue;
		tests[i].run();
		ksft_test_result_pass("%s\n", tests[i].what);
	}
	ksft_finished();
}
