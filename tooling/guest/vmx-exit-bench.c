// SPDX-License-Identifier: GPL-2.0
/*
 * A minimal KVM guest for the Bochs (VMX) lane, with the raw KVM API:
 *
 *   vmx-exit-bench run N      run a real-mode guest that executes CPUID
 *                             N times per trip to userspace, for 8 trips
 *                             of N exits, 5 rounds; print the fastest
 *                             round as "vmx_exit_ns VALUE" (nanoseconds
 *                             of one CPUID exit round trip)
 *   vmx-exit-bench types      print KVM_CHECK_EXTENSION(KVM_CAP_VM_TYPES)
 *                             as "vm_types 0xMASK"
 *   vmx-exit-bench create T   KVM_CREATE_VM(T), then KVM_CREATE_VCPU on it:
 *                             "create T errno E" if the VM was refused,
 *                             else "create T ok vcpu ok|errno E"
 *
 * CPUID exits unconditionally under VMX, so the guest's loop measures the
 * exit and entry path of kvm_intel.  Exit 0 on success, 1 on an error.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define GUEST_MEM	0x10000
#define GUEST_CODE	0x1000
#define EXIT_PORT	0x10
#define TRIPS		8
#define ROUNDS		5

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/*
 * 16-bit real-mode code at GUEST_CODE:
 *   0: mov si, N
 *   3: xor eax, eax
 *   6: cpuid
 *   8: dec si
 *   9: jnz 3
 *  11: out EXIT_PORT, al
 *  13: jmp 0
 */
static void put_code(uint8_t *mem, unsigned int n)
{
	const uint8_t code[] = {
		0xbe, n & 0xff, n >> 8,
		0x66, 0x31, 0xc0,
		0x0f, 0xa2,
		0x4e,
		0x75, 0xf8,
		0xe6, EXIT_PORT,
		0xeb, 0xf1,
	};

	memcpy(mem + GUEST_CODE, code, sizeof(code));
}

static int vcpu_setup(int vm, int kvm, struct kvm_run **run)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	int vcpu, size;

	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vcpu < 0)
		die("KVM_CREATE_VCPU");
	size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (size < 0)
		die("KVM_GET_VCPU_MMAP_SIZE");
	*run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	if (*run == MAP_FAILED)
		die("mmap kvm_run");
	if (ioctl(vcpu, KVM_GET_SREGS, &sregs))
		die("KVM_GET_SREGS");
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	if (ioctl(vcpu, KVM_SET_SREGS, &sregs))
		die("KVM_SET_SREGS");
	memset(&regs, 0, sizeof(regs));
	regs.rip = GUEST_CODE;
	regs.rflags = 2;
	if (ioctl(vcpu, KVM_SET_REGS, &regs))
		die("KVM_SET_REGS");
	return vcpu;
}

static void trip(int vcpu, struct kvm_run *run)
{
	if (ioctl(vcpu, KVM_RUN, 0))
		die("KVM_RUN");
	if (run->exit_reason != KVM_EXIT_IO || run->io.port != EXIT_PORT) {
		fprintf(stderr, "unexpected exit %u (port 0x%x)\n",
			run->exit_reason, run->io.port);
		exit(1);
	}
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int bench(int kvm, unsigned int n)
{
	struct kvm_userspace_memory_region region = { 0 };
	uint64_t best = UINT64_MAX, t0;
	struct kvm_run *run;
	int vm, vcpu, i, r;
	uint8_t *mem;

	if (n < 1 || n > 0xffff) {
		fprintf(stderr, "N must be 1..65535\n");
		return 1;
	}
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0)
		die("KVM_CREATE_VM");
	mem = mmap(NULL, GUEST_MEM, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		die("mmap guest memory");
	put_code(mem, n);
	region.memory_size = GUEST_MEM;
	region.userspace_addr = (uintptr_t)mem;
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region))
		die("KVM_SET_USER_MEMORY_REGION");
	vcpu = vcpu_setup(vm, kvm, &run);

	trip(vcpu, run);	/* warm up: faults in the code page */
	for (r = 0; r < ROUNDS; r++) {
		t0 = now_ns();
		for (i = 0; i < TRIPS; i++)
			trip(vcpu, run);
		t0 = now_ns() - t0;
		if (t0 < best)
			best = t0;
	}
	printf("vmx_exit_ns %llu\n",
	       (unsigned long long)(best / ((uint64_t)TRIPS * n)));
	return 0;
}

int main(int argc, char **argv)
{
	int kvm, r;

	if (argc < 2)
		goto usage;
	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0)
		die("/dev/kvm");
	if (!strcmp(argv[1], "run") && argc == 3)
		return bench(kvm, strtoul(argv[2], NULL, 0));
	if (!strcmp(argv[1], "types") && argc == 2) {
		r = ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_VM_TYPES);
		if (r < 0)
			die("KVM_CHECK_EXTENSION");
		printf("vm_types 0x%x\n", r);
		return 0;
	}
	if (!strcmp(argv[1], "create") && argc == 3) {
		r = ioctl(kvm, KVM_CREATE_VM, strtoul(argv[2], NULL, 0));
		if (r < 0) {
			printf("create %s errno %d\n", argv[2], errno);
			return 0;
		}
		r = ioctl(r, KVM_CREATE_VCPU, 0);
		if (r < 0)
			printf("create %s ok vcpu errno %d\n", argv[2], errno);
		else
			printf("create %s ok vcpu ok\n", argv[2]);
		return 0;
	}
usage:
	fprintf(stderr, "usage: vmx-exit-bench run N | types | create TYPE\n");
	return 2;
}
