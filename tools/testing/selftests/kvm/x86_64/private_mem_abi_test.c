// SPDX-License-Identifier: GPL-2.0
/*
 * The private memory ABI's rules, one by one, on the software-protected VM
 * and the default VM: VM types and capabilities, how
 * KVM_SET_USER_MEMORY_REGION reads and checks private slots, their
 * immutability and deletion, the shared-bit limit, and REG/UNREG_REGION
 * ranges.  No vCPU runs here (private_mem_test does that).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "kvm_util.h"
#include "processor.h"
#include "private_mem.h"

#define SZ		(2ull << 20)
#define GPA		0x100000000ull

static int kvm_fd;
static uint64_t shared_bit;
static void *hva;

static int create_vm(unsigned long type)
{
	return ioctl(kvm_fd, KVM_CREATE_VM, type);
}

static int set_region(int vm, uint32_t slot, uint32_t flags, uint64_t gpa,
		      uint64_t size, uint32_t fd, uint64_t offset)
{
	struct kvm_userspace_memory_region_ext ext;

	/* Garbage everywhere the kernel must ignore or never validate. */
	memset(&ext, 0xa5, sizeof(ext));
	ext.region.slot = slot;
	ext.region.flags = flags;
	ext.region.guest_phys_addr = gpa;
	ext.region.memory_size = size;
	ext.region.userspace_addr = (uintptr_t)hva;
	if (flags & KVM_MEM_PRIVATE) {
		ext.private_fd = fd;
		ext.private_offset = offset;
	}
	return ioctl(vm, KVM_SET_USER_MEMORY_REGION, &ext);
}

static int set_attr(int vm, unsigned long ioctl_nr, uint64_t gpa,
		    uint64_t size)
{
	struct kvm_enc_region range = { .addr = gpa, .size = size };

	return ioctl(vm, ioctl_nr, &range);
}

#define EXPECT(cond, err, what)						\
	TEST_ASSERT((cond), "%s: got errno %d (%s), expected %s", what, errno, \
		    strerror(errno), err)
#define EXPECT_OK(r, what)	EXPECT((r) == 0, "success", what)
#define EXPECT_ERR(r, e, what)	EXPECT((r) == -1 && errno == (e), #e, what)

static void test_vm_types(void)
{
	unsigned long bad[] = { KVM_X86_TDX_VM, 3, 31, 32, 63, 64, ~0ul };
	int types, i, vm;

	/* TDs exist where kvm_intel enabled TDX (tdx_vm_test tests them). */
	types = ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_VM_TYPES);
	TEST_ASSERT((types & ~(1 << KVM_X86_TDX_VM)) ==
		    (1 << KVM_X86_DEFAULT_VM | 1 << KVM_X86_SW_PROTECTED_VM),
		    "KVM_CAP_VM_TYPES is 0x%x", types);
	if (types & (1 << KVM_X86_TDX_VM))
		bad[0] = 2000;
	TEST_ASSERT(ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_PRIVATE_MEM) == 1,
		    "KVM_CAP_PRIVATE_MEM on /dev/kvm is not 1");

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		EXPECT_ERR(create_vm(bad[i]), EINVAL, "KVM_CREATE_VM bad type");

	vm = create_vm(KVM_X86_DEFAULT_VM);
	TEST_ASSERT(vm >= 0, "default VM");
	TEST_ASSERT(ioctl(vm, KVM_CHECK_EXTENSION, KVM_CAP_PRIVATE_MEM) == 0,
		    "KVM_CAP_PRIVATE_MEM on a default VM is not 0");
	close(vm);
	vm = create_vm(KVM_X86_SW_PROTECTED_VM);
	TEST_ASSERT(vm >= 0, "software-protected VM");
	TEST_ASSERT(ioctl(vm, KVM_CHECK_EXTENSION, KVM_CAP_PRIVATE_MEM) == 1,
		    "KVM_CAP_PRIVATE_MEM on a software-protected VM is not 1");
	close(vm);
	ksft_test_result_pass("VM types and KVM_CAP_PRIVATE_MEM\n");
}

static void test_default_vm(void)
{
	int vm = create_vm(KVM_X86_DEFAULT_VM);
	int memfd = inaccessible_memfd(SZ);

	EXPECT_ERR(set_region(vm, 0, KVM_MEM_PRIVATE, GPA, SZ, memfd, 0),
		   EINVAL, "private slot on a default VM");
	/* Garbage in the ext struct is ignored without KVM_MEM_PRIVATE. */
	EXPECT_OK(set_region(vm, 0, 0, GPA, SZ, memfd, 0), "normal slot");
	/* Deletion ignores the flags, as QEMU passes its old ones. */
	EXPECT_OK(set_region(vm, 0, KVM_MEM_PRIVATE, GPA, 0, -1, 0),
		  "delete with KVM_MEM_PRIVATE on a default VM");
	/* REG/UNREG stay the architecture's (SEV) on a default VM. */
	EXPECT_ERR(set_attr(vm, KVM_MEMORY_ENCRYPT_REG_REGION, 0, 4096),
		   ENOTTY, "REG_REGION on a default VM");
	close(vm);
	close(memfd);
	ksft_test_result_pass("default VM: no private slots, SEV REG/UNREG\n");
}

static void test_private_fd(void)
{
	int vm = create_vm(KVM_X86_SW_PROTECTED_VM);
	int memfd = inaccessible_memfd(SZ);
	int plain = memfd_create("plain", 0);
	int devnull = open("/dev/null", O_RDWR);
	int closed = dup(memfd);
	const uint32_t f = KVM_MEM_PRIVATE;

	close(closed);
	EXPECT_ERR(set_region(vm, 0, f, GPA, SZ, closed, 0), EINVAL, "closed fd");
	EXPECT_ERR(set_region(vm, 0, f, GPA, SZ, -1, 0), EINVAL, "fd -1");
	EXPECT_ERR(set_region(vm, 0, f, GPA, SZ, plain, 0), EINVAL,
		   "a normal memfd");
	EXPECT_ERR(set_region(vm, 0, f, GPA, SZ, devnull, 0), EINVAL,
		   "/dev/null");
	EXPECT_ERR(set_region(vm, 0, f, GPA, SZ, kvm_fd, 0), EINVAL,
		   "/dev/kvm");
	EXPECT_ERR(set_region(vm, 0, f, GPA, SZ, memfd, 1), EINVAL,
		   "unaligned private_offset");
	EXPECT_ERR(set_region(vm, 0, f, GPA, SZ, memfd, 2048), EINVAL,
		   "unaligned private_offset");
	EXPECT_ERR(set_region(vm, 0, f, GPA, SZ, memfd, -4096ull), EINVAL,
		   "private_offset + memory_size overflows");
	EXPECT_ERR(set_region(vm, 0, f, GPA, SZ, memfd, -SZ + 4096), EINVAL,
		   "private_offset + memory_size overflows");
	EXPECT_ERR(set_region(vm, 0, f | KVM_MEM_READONLY, GPA, SZ, memfd, 0),
		   EINVAL, "read-only private slot");
	/* Dirty logging works on every new slot of the VM. */
	EXPECT_OK(set_region(vm, 2, f | KVM_MEM_LOG_DIRTY_PAGES, GPA + 4 * SZ,
			     SZ, memfd, 0), "dirty-logged private slot");
	EXPECT_OK(set_region(vm, 3, KVM_MEM_LOG_DIRTY_PAGES, GPA + 6 * SZ, SZ,
			     0, 0), "dirty-logged normal slot");
	EXPECT_ERR(set_region(vm, 0, f | (1 << 3), GPA, SZ, memfd, 0), EINVAL,
		   "unknown flag");
	/* Beyond the memfd's size is fine: faults there fail KVM_RUN. */
	EXPECT_OK(set_region(vm, 0, f, GPA, SZ, memfd, 1ull << 40),
		  "private slot beyond the memfd's end");
	EXPECT_OK(set_region(vm, 1, f, GPA + SZ, SZ, memfd, 0), "private slot");
	close(vm);
	close(memfd);
	close(plain);
	close(devnull);
	ksft_test_result_pass("private_fd and private_offset checks\n");
}

static void test_immutable(void)
{
	int vm = create_vm(KVM_X86_SW_PROTECTED_VM);
	int memfd = inaccessible_memfd(SZ);
	const uint32_t f = KVM_MEM_PRIVATE;

	EXPECT_OK(set_region(vm, 0, f, GPA, SZ, memfd, 0), "private slot");
	EXPECT_ERR(set_region(vm, 0, f, GPA + SZ, SZ, memfd, 0), EINVAL,
		   "move a private slot");
	EXPECT_ERR(set_region(vm, 0, 0, GPA, SZ, 0, 0), EINVAL,
		   "drop KVM_MEM_PRIVATE");
	EXPECT_ERR(set_region(vm, 0, f | KVM_MEM_LOG_DIRTY_PAGES, GPA, SZ,
			      memfd, 0), EINVAL, "dirty logging");
	EXPECT_ERR(set_region(vm, 0, f | KVM_MEM_READONLY, GPA, SZ, memfd, 0),
		   EINVAL, "read-only");
	EXPECT_ERR(set_region(vm, 0, f, GPA, SZ, memfd, 0), EINVAL,
		   "set a private slot again");
	EXPECT_ERR(set_region(vm, 0, f, GPA, SZ, memfd, 4096), EINVAL,
		   "change private_offset");

	EXPECT_OK(set_region(vm, 1, 0, GPA + SZ, SZ, 0, 0), "normal slot");
	EXPECT_OK(set_region(vm, 1, KVM_MEM_LOG_DIRTY_PAGES, GPA + SZ, SZ, 0, 0),
		  "turn dirty logging on for a normal slot");
	EXPECT_OK(set_region(vm, 1, 0, GPA + SZ, SZ, 0, 0),
		  "turn dirty logging off for a normal slot");
	EXPECT_OK(set_region(vm, 2, f | KVM_MEM_LOG_DIRTY_PAGES, GPA + 4 * SZ,
			     SZ, memfd, 0), "dirty-logged private slot");
	EXPECT_ERR(set_region(vm, 2, f, GPA + 4 * SZ, SZ, memfd, 0), EINVAL,
		   "turn dirty logging off for a private slot");
	EXPECT_ERR(set_region(vm, 1, f, GPA + SZ, SZ, memfd, 0), EINVAL,
		   "make a normal slot private");
	EXPECT_OK(set_region(vm, 1, 0, GPA + 2 * SZ, SZ, 0, 0),
		  "move a normal slot");

	/* Deletion works whatever the flags and private fields say. */
	EXPECT_OK(set_region(vm, 0, 0, GPA, 0, 0, 0), "delete with flags 0");
	EXPECT_OK(set_region(vm, 0, f, GPA, SZ, memfd, 0), "private slot again");
	EXPECT_OK(set_region(vm, 0, f | 0xfff0, GPA, 0, -1, 123),
		  "delete with garbage flags and fields");
	EXPECT_OK(set_region(vm, 0, f, GPA, SZ, memfd, 0), "private slot again");
	EXPECT_OK(set_region(vm, 0, f, GPA, 0, memfd, 0),
		  "delete with the old flags, fd and offset");
	EXPECT_ERR(set_region(vm, 0, f, GPA, 0, memfd, 0), EINVAL,
		   "delete a deleted slot");
	close(vm);
	close(memfd);
	ksft_test_result_pass("private slots are immutable; deletion always works\n");
}

static void test_shared_bit_limit(void)
{
	int vm = create_vm(KVM_X86_SW_PROTECTED_VM);
	int memfd = inaccessible_memfd(SZ);
	const uint32_t f = KVM_MEM_PRIVATE;

	EXPECT_OK(set_region(vm, 0, f, shared_bit - SZ, SZ, memfd, 0),
		  "private slot ending at the shared bit");
	EXPECT_OK(set_region(vm, 1, 0, shared_bit - 2 * SZ, SZ, 0, 0),
		  "normal slot below the shared bit");
	EXPECT_ERR(set_region(vm, 2, 0, shared_bit - 4096, SZ, 0, 0), EINVAL,
		   "normal slot across the shared bit");
	EXPECT_ERR(set_region(vm, 2, f, shared_bit - 4096, SZ, memfd, 0), EINVAL,
		   "private slot across the shared bit");
	EXPECT_ERR(set_region(vm, 2, 0, shared_bit, SZ, 0, 0), EINVAL,
		   "normal slot at the shared bit");
	EXPECT_ERR(set_region(vm, 2, 0, shared_bit | GPA, SZ, 0, 0), EINVAL,
		   "normal slot above the shared bit");
	EXPECT_ERR(set_region(vm, 1, 0, shared_bit - SZ / 2, SZ, 0, 0), EINVAL,
		   "move a normal slot across the shared bit");
	close(vm);
	close(memfd);
	ksft_test_result_pass("slots end at or below the shared bit\n");
}

static void test_attr_ranges(void)
{
	const unsigned long reg = KVM_MEMORY_ENCRYPT_REG_REGION;
	const unsigned long unreg = KVM_MEMORY_ENCRYPT_UNREG_REGION;
	int vm = create_vm(KVM_X86_SW_PROTECTED_VM);
	unsigned long ioctls[] = { reg, unreg };
	struct timespec t0, t1;
	double secs;
	int i, n;

	for (i = 0; i < 2; i++) {
		unsigned long nr = ioctls[i];

		EXPECT_ERR(set_attr(vm, nr, GPA, 0), EINVAL, "size 0");
		EXPECT_ERR(set_attr(vm, nr, GPA + 1, 4096), EINVAL, "unaligned gpa");
		EXPECT_ERR(set_attr(vm, nr, GPA + 2048, 4096), EINVAL,
			   "unaligned gpa");
		EXPECT_ERR(set_attr(vm, nr, GPA, 4095), EINVAL, "unaligned size");
		EXPECT_ERR(set_attr(vm, nr, GPA, 6144), EINVAL, "unaligned size");
		EXPECT_ERR(set_attr(vm, nr, -8192ull, 16384), EINVAL, "overflow");
		EXPECT_ERR(set_attr(vm, nr, 4096, -4096ull), EINVAL, "overflow");
		EXPECT_ERR(set_attr(vm, nr, shared_bit - 4096, 8192), EINVAL,
			   "range across the shared bit");
		EXPECT_ERR(set_attr(vm, nr, shared_bit | GPA, 4096), EINVAL,
			   "range with the shared bit");
		EXPECT_ERR(ioctl(vm, nr, NULL), EFAULT, "bad pointer");
		/* No memslot needed. */
		EXPECT_OK(set_attr(vm, nr, GPA, 4096), "range without a slot");
		EXPECT_OK(set_attr(vm, nr, shared_bit - 4096, 4096),
			  "range ending at the shared bit");
		EXPECT_OK(set_attr(vm, nr, 0, shared_bit), "whole space");
	}

	/*
	 * Ranges, not pages: converting half the GPA space (up to 2^26
	 * pages with MAXPHYADDR 40) and splitting it must be cheap.
	 */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (n = 0; n < 200; n++) {
		EXPECT_OK(set_attr(vm, unreg, 0, shared_bit / 2), "UNREG big");
		EXPECT_OK(set_attr(vm, reg, shared_bit / 4 + n * 8192, 4096),
			  "REG one page inside");
		EXPECT_OK(set_attr(vm, reg, 0, shared_bit), "REG all");
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = t1.tv_sec - t0.tv_sec + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	TEST_ASSERT(secs < 20, "600 conversions of up to %llu pages took %.1f s",
		    (unsigned long long)(shared_bit / 2 / 4096), secs);
	close(vm);
	ksft_test_result_pass("REG/UNREG ranges (600 big conversions: %.2f s)\n",
			      secs);
}

static void test_ext_read(void)
{
	int vm = create_vm(KVM_X86_SW_PROTECTED_VM);
	int memfd = inaccessible_memfd(SZ);
	struct kvm_userspace_memory_region_ext *ext;
	uint8_t *page;

	/* Only 32 bytes are read without KVM_MEM_PRIVATE: end at a hole. */
	page = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(page != MAP_FAILED, "mmap");
	munmap(page + 4096, 4096);
	ext = (void *)(page + 4096 - sizeof(ext->region));
	memset(ext, 0, sizeof(ext->region));
	ext->region.slot = 0;
	ext->region.guest_phys_addr = GPA;
	ext->region.memory_size = SZ;
	ext->region.userspace_addr = (uintptr_t)hva;
	EXPECT_OK(ioctl(vm, KVM_SET_USER_MEMORY_REGION, ext),
		  "32-byte region at the end of a mapping");
	/* With KVM_MEM_PRIVATE, 160 bytes are read. */
	ext->region.slot = 1;
	ext->region.guest_phys_addr = GPA + SZ;
	ext->region.flags = KVM_MEM_PRIVATE;
	EXPECT_ERR(ioctl(vm, KVM_SET_USER_MEMORY_REGION, ext), EFAULT,
		   "private region cut short");
	munmap(page, 4096);
	close(vm);
	close(memfd);
	ksft_test_result_pass("the ext struct is read as the seed does\n");
}

int main(int argc, char *argv[])
{
	TEST_REQUIRE(kvm_check_cap(KVM_CAP_VM_TYPES) &
		     (1 << KVM_X86_SW_PROTECTED_VM));

	kvm_fd = open_kvm_dev_path_or_exit();
	shared_bit = sw_protected_shared_bit();
	hva = mmap(NULL, SZ, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(hva != MAP_FAILED, "mmap");

	ksft_print_header();
	ksft_set_plan(7);
	test_vm_types();
	test_default_vm();
	test_private_fd();
	test_immutable();
	test_shared_bit_limit();
	test_attr_ranges();
	test_ext_read();
	ksft_finished();
}
