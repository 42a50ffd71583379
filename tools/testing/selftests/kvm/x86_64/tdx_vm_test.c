// SPDX-License-Identifier: GPL-2.0
/*
 * Building trust domains through KVM_MEMORY_ENCRYPT_OP, the 2022 TDX
 * uAPI: KVM_TDX_CAPABILITIES (on /dev/kvm and on a VM), KVM_TDX_INIT_VM,
 * KVM_TDX_INIT_VCPU, KVM_TDX_INIT_MEM_REGION and KVM_TDX_FINALIZE_VM with
 * every errno the uAPI gives, the MRTD in debugfs (checked against a
 * SHA-384 computed here over the module's block format), KeyID
 * exhaustion, KVM_RUN on a TD vCPU (EOPNOTSUPP once the module refuses
 * to enter; with the software module's scripted exits, each TDVMCALL KVM
 * handles, in the kernel or through userspace, and EPT violations on
 * private pages, shared pages and the shared alias), the other vCPU
 * ioctls on a TD vCPU, the vCPU's association with a CPU (moved, CPU
 * offline), a finalized TD's private pages converted,
 * punched out of the memfd and dropped with their memslot (the Secure EPT
 * removal), the process killed at each step of the build, and each
 * SEAMCALL of the build, the run, the removal and the teardown failing
 * (the software TDX module's debugfs fault injection): a clean error, the
 * VM as before, and no page or KeyID lost beyond the ones counted as
 * deliberately leaked.
 *
 * Needs kvm_intel with TDX enabled; the fault and association cases need
 * the software TDX module's debugfs (/sys/kernel/debug/tdx/swmod), the
 * association cases two CPUs and CPU hotplug.
 *
 * Usage: tdx_vm_test [TEST...] [-TEST...] (test_cases.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/falloc.h>

#include "kvm_util.h"
#include "private_mem.h"
#include "processor.h"
#include "sha384.h"
#include "test_cases.h"

#define SWMOD		"/sys/kernel/debug/tdx/swmod"
#define TD_TSC_KHZ	2000000
#define ATTR_SEPT_VE_DISABLE	BIT_ULL(28)
#define ATTR_PERFMON		BIT_ULL(63)

/* SHA-384 of nothing: the MRTD of a TD finalized with no page added. */
#define MRTD_EMPTY							\
	"38b060a751ac96384cd9327eb1b1e36a21fdb71114be0743"		\
	"4c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b"

static int kvm_fd;

/* @cond first: the errno printed must be the one it left. */
#define EXPECT(cond, err, what)						\
do {									\
	bool __ok = (cond);						\
	int __e = errno;						\
									\
	TEST_ASSERT(__ok, "%s: got errno %d (%s), expected %s", what,	\
		    __e, strerror(__e), err);				\
} while (0)
#define EXPECT_OK(r, what)	EXPECT((r) == 0, "success", what)
#define EXPECT_ERR(r, e, what)	EXPECT((r) == -1 && errno == (e), #e, what)

static int tdx_op(int fd, __u32 id, __u32 flags, __u64 data, __u64 *error)
{
	struct kvm_tdx_cmd cmd = { .id = id, .flags = flags, .data = data };
	int r = ioctl(fd, KVM_MEMORY_ENCRYPT_OP, &cmd);

	if (error)
		*error = cmd.error;
	return r;
}

static int create_td(void)
{
	int vm = ioctl(kvm_fd, KVM_CREATE_VM, KVM_X86_TDX_VM);

	TEST_ASSERT(vm >= 0, "KVM_CREATE_VM(KVM_X86_TDX_VM): %s",
		    strerror(errno));
	EXPECT_OK(ioctl(vm, KVM_SET_TSC_KHZ, TD_TSC_KHZ), "KVM_SET_TSC_KHZ");
	return vm;
}

/* A valid KVM_TDX_INIT_VM argument: 2 vCPUs, x87/SSE, no #VE on S-EPT. */
static struct kvm_tdx_init_vm *init_vm_arg(void)
{
	struct kvm_tdx_init_vm *init = calloc(1, sizeof(*init));
	struct kvm_cpuid_entry2 *e;

	TEST_ASSERT(init, "calloc");
	init->attributes = ATTR_SEPT_VE_DISABLE;
	init->max_vcpus = 2;
	e = &init->entries[init->cpuid.nent++];
	e->function = 0xd;
	e->eax = 0x3;
	e = &init->entries[init->cpuid.nent++];
	e->function = 0x80000008;
	e->eax = 40;
	return init;
}

static int init_vm(int vm, struct kvm_tdx_init_vm *init, __u64 *error)
{
	return tdx_op(vm, KVM_TDX_INIT_VM, 0, (unsigned long)init, error);
}

static int init_vm_ok(int vm)
{
	struct kvm_tdx_init_vm *init = init_vm_arg();
	int r = init_vm(vm, init, NULL);

	free(init);
	return r;
}

static long read_num(const char *path)
{
	char buf[64] = {};
	int fd = open(path, O_RDONLY);

	TEST_ASSERT(fd >= 0, "open %s: %s", path, strerror(errno));
	TEST_ASSERT(read(fd, buf, sizeof(buf) - 1) > 0, "read %s", path);
	close(fd);
	return strtol(buf, NULL, 0);
}

static void write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);

	TEST_ASSERT(fd >= 0, "open %s: %s", path, strerror(errno));
	TEST_ASSERT(write(fd, s, strlen(s)) == strlen(s), "write %s to %s: %s",
		    s, path, strerror(errno));
	close(fd);
}

static bool have_swmod(void)
{
	return access(SWMOD "/owned_pages", R_OK) == 0;
}

static long nr_owned(void)
{
	return have_swmod() ? read_num(SWMOD "/owned_pages") : 0;
}

static long nr_leaked(void)
{
	return have_swmod() ? read_num(SWMOD "/leaked_pages") : 0;
}

/* The debugfs MRTD of VM fd @vm, or "" when the file is empty. */
static void read_mrtd(int vm, char *buf, size_t len)
{
	char path[128];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/kernel/debug/kvm/%d-%d/tdx_mrtd",
		 getpid(), vm);
	fd = open(path, O_RDONLY);
	TEST_ASSERT(fd >= 0, "open %s: %s", path, strerror(errno));
	n = read(fd, buf, len - 1);
	TEST_ASSERT(n >= 0, "read %s: %s", path, strerror(errno));
	buf[n] = 0;
	close(fd);
}

static void test_caps(void)
{
	struct kvm_tdx_capabilities *caps;
	struct kvm_tdx_cmd cmd = { .id = KVM_TDX_CAPABILITIES };
	struct kvm_tdx_capabilities hdr = {};
	__u32 i, n;
	int vm;

	/* No room: E2BIG, and the number needed. */
	cmd.data = (unsigned long)&hdr;
	EXPECT_ERR(ioctl(kvm_fd, KVM_MEMORY_ENCRYPT_OP, &cmd), E2BIG,
		   "CAPABILITIES without room");
	n = hdr.nr_cpuid_configs;
	TEST_ASSERT(n > 0 && n <= 64, "%u CPUID configs needed", n);

	caps = calloc(1, sizeof(*caps) + n * sizeof(caps->cpuid_configs[0]));
	TEST_ASSERT(caps, "calloc");
	caps->nr_cpuid_configs = n;
	cmd.data = (unsigned long)caps;
	EXPECT_OK(ioctl(kvm_fd, KVM_MEMORY_ENCRYPT_OP, &cmd),
		  "CAPABILITIES on /dev/kvm");
	TEST_ASSERT(caps->nr_cpuid_configs == n, "nr_cpuid_configs %u",
		    caps->nr_cpuid_configs);
	TEST_ASSERT(caps->xfam_fixed1 & 0x3, "x87/SSE not fixed to 1 in XFAM");
	TEST_ASSERT(caps->attrs_fixed0 & ATTR_SEPT_VE_DISABLE,
		    "SEPT_VE_DISABLE not allowed");
	for (i = 0; i < n; i++)
		TEST_ASSERT(caps->cpuid_configs[i].leaf,
			    "CPUID config %u has leaf 0", i);

	/* Reserved fields and unknown commands. */
	cmd.flags = 1;
	EXPECT_ERR(ioctl(kvm_fd, KVM_MEMORY_ENCRYPT_OP, &cmd), EINVAL, "flags");
	cmd.flags = 0;
	cmd.error = 1;
	EXPECT_ERR(ioctl(kvm_fd, KVM_MEMORY_ENCRYPT_OP, &cmd), EINVAL, "error");
	cmd.error = 0;
	cmd.unused = 1;
	EXPECT_ERR(ioctl(kvm_fd, KVM_MEMORY_ENCRYPT_OP, &cmd), EINVAL, "unused");
	cmd.unused = 0;
	cmd.id = KVM_TDX_INIT_VM;
	EXPECT_ERR(ioctl(kvm_fd, KVM_MEMORY_ENCRYPT_OP, &cmd), EINVAL,
		   "INIT_VM on /dev/kvm");
	cmd.id = KVM_TDX_CAPABILITIES;
	cmd.data = 8;
	EXPECT_ERR(ioctl(kvm_fd, KVM_MEMORY_ENCRYPT_OP, &cmd), EFAULT,
		   "CAPABILITIES to a bad address");

	/* The VM fd answers too (QEMU's fallback). */
	vm = create_td();
	memset(caps->cpuid_configs, 0, n * sizeof(caps->cpuid_configs[0]));
	cmd.data = (unsigned long)caps;
	EXPECT_OK(ioctl(vm, KVM_MEMORY_ENCRYPT_OP, &cmd), "CAPABILITIES on a TD");
	TEST_ASSERT(caps->cpuid_configs[0].leaf, "no CPUID config from the VM");
	close(vm);

	/* Not a TD: no KVM_MEMORY_ENCRYPT_OP at all. */
	vm = ioctl(kvm_fd, KVM_CREATE_VM, KVM_X86_DEFAULT_VM);
	TEST_ASSERT(vm >= 0, "default VM");
	EXPECT_ERR(ioctl(vm, KVM_MEMORY_ENCRYPT_OP, &cmd), ENOTTY,
		   "KVM_MEMORY_ENCRYPT_OP on a VMX guest");
	close(vm);
	free(caps);
}

/* Each malformed KVM_TDX_INIT_VM: its errno, and the TD stays buildable. */
static void test_init_vm_errors(void)
{
	struct kvm_tdx_init_vm *init;
	int vm = create_td(), max;
	__u64 error;
	struct kvm_cpuid_entry2 *e;
	__u8 *b;

	EXPECT_ERR(ioctl(vm, KVM_CREATE_VCPU, 0), EINVAL,
		   "KVM_CREATE_VCPU before INIT_VM (max_vcpus is 0)");
	EXPECT_ERR(tdx_op(vm, KVM_TDX_FINALIZE_VM, 0, 0, NULL), EINVAL,
		   "FINALIZE_VM before INIT_VM");

	init = init_vm_arg();
	EXPECT_ERR(tdx_op(vm, KVM_TDX_INIT_VM, 1, (unsigned long)init, NULL),
		   EINVAL, "INIT_VM flags");
	EXPECT_ERR(tdx_op(vm, KVM_TDX_INIT_VM, 0, 8, NULL), EFAULT,
		   "INIT_VM from a bad address");

	init->cpuid.padding = 1;
	EXPECT_ERR(init_vm(vm, init, NULL), EINVAL, "cpuid.padding");
	init->cpuid.padding = 0;
	init->padding = 1;
	EXPECT_ERR(init_vm(vm, init, NULL), EINVAL, "padding");
	init->padding = 0;

	init->cpuid.nent = 1000;
	EXPECT_ERR(init_vm(vm, init, NULL), EINVAL, "nent overrunning 16 KiB");
	init->cpuid.nent = 2;
	b = (__u8 *)init;
	b[sizeof(*init) - 1] = 1;
	EXPECT_ERR(init_vm(vm, init, NULL), EINVAL, "a byte after the entries");
	b[sizeof(*init) - 1] = 0;

	max = ioctl(kvm_fd, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPUS);
	init->max_vcpus = max + 1;
	EXPECT_ERR(init_vm(vm, init, NULL), EINVAL, "max_vcpus > KVM_MAX_VCPUS");
	init->max_vcpus = 0;
	EXPECT_ERR(init_vm(vm, init, NULL), EINVAL, "max_vcpus 0");
	init->max_vcpus = 2;

	init->attributes |= ATTR_PERFMON;
	EXPECT_ERR(init_vm(vm, init, NULL), EOPNOTSUPP, "PERFMON");
	init->attributes &= ~ATTR_PERFMON;
	init->attributes |= 1ull << 5;
	EXPECT_ERR(init_vm(vm, init, NULL), EINVAL, "a reserved attribute");
	init->attributes &= ~(1ull << 5);

	e = &init->entries[0];
	e->eax |= 1 << 17 | 1 << 18;
	EXPECT_ERR(init_vm(vm, init, NULL), EOPNOTSUPP, "AMX in XFAM");
	e->eax = 0x3;
	e = &init->entries[init->cpuid.nent++];
	e->function = 0xd;
	e->index = 1;
	e->ecx = 1 << 15;
	EXPECT_ERR(init_vm(vm, init, NULL), EOPNOTSUPP, "arch LBR in XFAM");
	init->cpuid.nent--;
	memset(e, 0, sizeof(*e));

	EXPECT_OK(ioctl(vm, KVM_SET_TSC_KHZ, 50000), "KVM_SET_TSC_KHZ 50 MHz");
	EXPECT_ERR(init_vm(vm, init, NULL), EINVAL, "a TSC of 50 MHz");
	EXPECT_OK(ioctl(vm, KVM_SET_TSC_KHZ, TD_TSC_KHZ), "KVM_SET_TSC_KHZ");

	/* After all of that, the TD builds, once. */
	error = ~0ull;
	EXPECT_OK(init_vm(vm, init, &error), "INIT_VM");
	TEST_ASSERT(!error, "cmd.error %#llx after success", error);
	EXPECT_ERR(init_vm(vm, init, NULL), EINVAL, "INIT_VM twice");
	EXPECT_ERR(tdx_op(vm, KVM_TDX_INIT_VCPU, 0, 0, NULL), EINVAL,
		   "INIT_VCPU on the VM fd");
	EXPECT_ERR(tdx_op(vm, KVM_TDX_INIT_MEM_REGION, 0, 0, NULL), EINVAL,
		   "INIT_MEM_REGION (not implemented)");
	EXPECT_ERR(tdx_op(vm, KVM_TDX_CMD_NR_MAX, 0, 0, NULL), EINVAL,
		   "an unknown command");
	free(init);
	close(vm);
}

static void test_finalize(void)
{
	long owned = nr_owned();
	char mrtd[128];
	int vm = create_td();

	EXPECT_OK(init_vm_ok(vm), "INIT_VM");
	read_mrtd(vm, mrtd, sizeof(mrtd));
	TEST_ASSERT(!mrtd[0], "MRTD before FINALIZE: '%s'", mrtd);
	EXPECT_ERR(tdx_op(vm, KVM_TDX_FINALIZE_VM, 1, 0, NULL), EINVAL,
		   "FINALIZE_VM flags");
	EXPECT_ERR(tdx_op(vm, KVM_TDX_FINALIZE_VM, 0, 1, NULL), EINVAL,
		   "FINALIZE_VM data");
	EXPECT_OK(tdx_op(vm, KVM_TDX_FINALIZE_VM, 0, 0, NULL), "FINALIZE_VM");
	EXPECT_ERR(tdx_op(vm, KVM_TDX_FINALIZE_VM, 0, 0, NULL), EINVAL,
		   "FINALIZE_VM twice");
	read_mrtd(vm, mrtd, sizeof(mrtd));
	TEST_ASSERT(!strcmp(mrtd, MRTD_EMPTY "\n"), "MRTD '%s', want '%s'",
		    mrtd, MRTD_EMPTY);
	if (have_swmod())
		TEST_ASSERT(nr_owned() > owned, "a TD owns no page");
	close(vm);
	TEST_ASSERT(nr_owned() == owned, "owned pages %ld after teardown, %ld before",
		    nr_owned(), owned);
}

/* Build TDs until INIT_VM fails; their fds go to @vms.  Return: how many. */
static int fill_keyids(int *vms, int room)
{
	__u64 error;
	int n, r;

	for (n = 0; n < room; n++) {
		struct kvm_tdx_init_vm *init = init_vm_arg();

		vms[n] = create_td();
		r = init_vm(vms[n], init, &error);
		free(init);
		if (r) {
			EXPECT_ERR(r, ENOSPC, "INIT_VM with every KeyID in use");
			TEST_ASSERT(!error, "cmd.error %#llx for no KeyID", error);
			close(vms[n]);
			return n;
		}
	}
	TEST_FAIL("more than %d TDs: the KeyIDs never ran out", room);
	return n;
}

static int nr_td_keyids(void)
{
	int vms[1024], n, i;

	n = fill_keyids(vms, 1024);
	for (i = 0; i < n; i++)
		close(vms[i]);
	return n;
}

static void test_keyids(void)
{
	long owned = nr_owned();
	int vms[1024], n, i;

	n = fill_keyids(vms, 1024);
	TEST_ASSERT(n > 0, "no TD could be built");
	/* One TD gone, one KeyID back. */
	close(vms[n / 2]);
	vms[n / 2] = create_td();
	EXPECT_OK(init_vm_ok(vms[n / 2]), "INIT_VM after a TD was destroyed");
	i = create_td();
	EXPECT_ERR(init_vm_ok(i), ENOSPC, "INIT_VM with every KeyID in use again");
	close(i);
	for (i = 0; i < n; i++)
		close(vms[i]);
	TEST_ASSERT(nr_owned() == owned, "owned pages %ld, %ld before",
		    nr_owned(), owned);
	TEST_ASSERT(nr_td_keyids() == n, "KeyIDs lost");
	printf("# %d TD KeyIDs\n", n);
}

static int create_vcpu(int vm, int id)
{
	int vcpu = ioctl(vm, KVM_CREATE_VCPU, id);

	TEST_ASSERT(vcpu >= 0, "KVM_CREATE_VCPU(%d) on a TD: %s", id,
		    strerror(errno));
	return vcpu;
}

static int init_vcpu(int vcpu, __u64 *error)
{
	return tdx_op(vcpu, KVM_TDX_INIT_VCPU, 0, 0x1000, error);
}

/* A TD with one initialized vCPU (fd in *@vcpu), finalized if asked. */
static int create_td_vcpu(int *vcpu, bool finalize)
{
	int vm = create_td();

	EXPECT_OK(init_vm_ok(vm), "INIT_VM");
	*vcpu = create_vcpu(vm, 0);
	EXPECT_OK(init_vcpu(*vcpu, NULL), "INIT_VCPU");
	if (finalize)
		EXPECT_OK(tdx_op(vm, KVM_TDX_FINALIZE_VM, 0, 0, NULL),
			  "FINALIZE_VM");
	return vm;
}

static void test_vcpu(void)
{
	struct kvm_tdx_cmd cmd = { .id = KVM_TDX_INIT_VCPU };
	long owned = nr_owned(), leaked = nr_leaked();
	int vm = create_td(), vcpu0, vcpu1;
	__u64 error;

	EXPECT_OK(init_vm_ok(vm), "INIT_VM");
	vcpu0 = create_vcpu(vm, 0);
	EXPECT_ERR(ioctl(vcpu0, KVM_RUN, 0), EINVAL, "KVM_RUN before INIT_VCPU");
	EXPECT_ERR(tdx_op(vcpu0, KVM_TDX_INIT_VCPU, 1, 0, NULL), EINVAL,
		   "INIT_VCPU flags");
	cmd.unused = 1;
	EXPECT_ERR(ioctl(vcpu0, KVM_MEMORY_ENCRYPT_OP, &cmd), EINVAL,
		   "INIT_VCPU unused");
	EXPECT_ERR(tdx_op(vcpu0, KVM_TDX_INIT_VM, 0, 0, NULL), EINVAL,
		   "INIT_VM on a vCPU fd");
	EXPECT_ERR(tdx_op(vcpu0, KVM_TDX_CAPABILITIES, 0, 0, NULL), EINVAL,
		   "CAPABILITIES on a vCPU fd");
	EXPECT_ERR(ioctl(vcpu0, KVM_MEMORY_ENCRYPT_OP, 8), EFAULT,
		   "INIT_VCPU from a bad address");
	error = ~0ull;
	EXPECT_OK(init_vcpu(vcpu0, &error), "INIT_VCPU");
	TEST_ASSERT(!error, "cmd.error %#llx after success", error);
	EXPECT_ERR(init_vcpu(vcpu0, NULL), EINVAL, "INIT_VCPU twice");
	EXPECT_ERR(ioctl(vcpu0, KVM_RUN, 0), EINVAL, "KVM_RUN before FINALIZE_VM");

	/* The second vCPU is never initialized. */
	vcpu1 = create_vcpu(vm, 1);
	EXPECT_ERR(ioctl(vm, KVM_CREATE_VCPU, 2), EINVAL,
		   "a vCPU beyond max_vcpus");
	EXPECT_OK(tdx_op(vm, KVM_TDX_FINALIZE_VM, 0, 0, NULL), "FINALIZE_VM");
	EXPECT_ERR(init_vcpu(vcpu1, NULL), EINVAL, "INIT_VCPU after FINALIZE_VM");
	EXPECT_ERR(ioctl(vcpu1, KVM_RUN, 0), EINVAL,
		   "KVM_RUN on a vCPU INIT_VCPU never built");

	EXPECT_ERR(ioctl(vcpu0, KVM_RUN, 0), EOPNOTSUPP, "KVM_RUN on a TD vCPU");
	EXPECT_ERR(ioctl(vcpu0, KVM_RUN, 0), EOPNOTSUPP, "KVM_RUN again");
	if (have_swmod()) {
		/*
		 * KVM_RUN asks the module: its failure is the errno; busy
		 * is entered again, up to a bound.
		 */
		write_str(SWMOD "/fail", "vp_enter:1:1:0x8000020000000000");
		EXPECT_ERR(ioctl(vcpu0, KVM_RUN, 0), EOPNOTSUPP,
			   "KVM_RUN with TDH.VP.ENTER busy once");
		write_str(SWMOD "/fail", "vp_enter:1:100:0x8000020000000000");
		EXPECT_ERR(ioctl(vcpu0, KVM_RUN, 0), EBUSY,
			   "KVM_RUN with TDH.VP.ENTER busy for good");
		write_str(SWMOD "/fail", "none");
		EXPECT_ERR(ioctl(vcpu0, KVM_RUN, 0), EOPNOTSUPP, "KVM_RUN after");
		TEST_ASSERT(nr_owned() > owned, "a TD with vCPUs owns no page");
	}
	close(vcpu1);
	close(vcpu0);
	close(vm);
	TEST_ASSERT(nr_owned() == owned && nr_leaked() == leaked,
		    "owned pages %ld (%ld before), leaked %ld (%ld before)",
		    nr_owned(), owned, nr_leaked(), leaked);

	/* A finalized TD takes no vCPU. */
	vm = create_td_vcpu(&vcpu0, true);
	EXPECT_ERR(ioctl(vm, KVM_CREATE_VCPU, 1), EINVAL,
		   "KVM_CREATE_VCPU after FINALIZE_VM");
	close(vcpu0);
	close(vm);
}

/* What a vCPU ioctl on a TD vCPU did: nothing may crash or WARN. */
#define TRY(fd, req, arg)						\
do {									\
	int r_ = ioctl(fd, req, arg);					\
									\
	printf("# %-24s %d %s\n", #req, r_, r_ < 0 ? strerror(errno) : ""); \
} while (0)

/*
 * Every vCPU ioctl QEMU and the selftests use, on a TD vCPU whose state
 * is the module's: setters succeed without effect, getters report
 * nothing, nested state and MSR reads are refused, and the vCPU still
 * cannot run.  The lane fails on any WARN or oops they cause.
 */
static void test_vcpu_ioctls(void)
{
	long owned = nr_owned(), leaked = nr_leaked();
	const struct kvm_cpuid2 *cpuid = kvm_get_supported_cpuid();
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry e[2];
	} msrs = { .hdr.nmsrs = 2, .e = { { .index = 0x10 }, { .index = 0x1b } } };
	struct kvm_nested_state nested = { .size = sizeof(nested) };
	struct kvm_msi msi = { .address_lo = 0xfee00000, .data = 0x40 };
	struct kvm_enable_cap cap = { .cap = KVM_CAP_HYPERV_ENLIGHTENED_VMCS };
	struct kvm_regs regs = { .rip = 0x1234 };
	struct kvm_xsave *xsave = calloc(1, 64 * 1024);
	struct kvm_interrupt irq = { .irq = 0x30 };
	struct kvm_translation tr = {};
	struct kvm_vcpu_events ev = {};
	struct kvm_debugregs dbg = {};
	struct kvm_mp_state mp = {};
	struct kvm_lapic_state lapic;
	__u64 ident = 0xfffbc000;
	struct kvm_sregs sregs;
	__u32 *apic_reg;
	struct kvm_fpu fpu = {};
	int vm = create_td(), vcpu;
	__u64 mce_cap = 0x0a;

	TEST_ASSERT(xsave, "calloc");
	EXPECT_OK(ioctl(vm, KVM_CREATE_IRQCHIP, 0), "KVM_CREATE_IRQCHIP");
	EXPECT_OK(init_vm_ok(vm), "INIT_VM");
	/* VMX's would overwrite the TD's state with these addresses. */
	EXPECT_OK(ioctl(vm, KVM_SET_IDENTITY_MAP_ADDR, &ident),
		  "KVM_SET_IDENTITY_MAP_ADDR");
	EXPECT_OK(ioctl(vm, KVM_SET_TSS_ADDR, ident + 0x1000),
		  "KVM_SET_TSS_ADDR");
	vcpu = create_vcpu(vm, 0);
	EXPECT_OK(init_vcpu(vcpu, NULL), "INIT_VCPU");

	EXPECT_OK(ioctl(vcpu, KVM_SET_CPUID2, cpuid), "KVM_SET_CPUID2");
	EXPECT_OK(ioctl(vcpu, KVM_SET_REGS, &regs), "KVM_SET_REGS");
	EXPECT_OK(ioctl(vcpu, KVM_GET_REGS, &regs), "KVM_GET_REGS");
	TRY(vcpu, KVM_GET_SREGS, &sregs);
	TRY(vcpu, KVM_SET_SREGS, &sregs);
	TRY(vcpu, KVM_GET_FPU, &fpu);
	TRY(vcpu, KVM_SET_FPU, &fpu);
	TRY(vcpu, KVM_GET_XSAVE, xsave);
	TRY(vcpu, KVM_SET_XSAVE, xsave);
	EXPECT_OK(ioctl(vcpu, KVM_GET_MSRS, &msrs), "KVM_GET_MSRS reads none");
	TRY(vcpu, KVM_SET_MSRS, &msrs);
	/* The local APIC, software-enabled so that it takes the MSI below. */
	EXPECT_OK(ioctl(vcpu, KVM_GET_LAPIC, &lapic), "KVM_GET_LAPIC");
	apic_reg = (__u32 *)&lapic.regs[0xf0];
	*apic_reg |= 0x100;
	EXPECT_OK(ioctl(vcpu, KVM_SET_LAPIC, &lapic), "KVM_SET_LAPIC");
	TRY(vcpu, KVM_GET_VCPU_EVENTS, &ev);
	ev.nmi.pending = 1;
	ev.flags = KVM_VCPUEVENT_VALID_NMI_PENDING;
	TRY(vcpu, KVM_SET_VCPU_EVENTS, &ev);
	/* Into SMM and out: VMX would leave nested operation on a VMCS. */
	ev.flags = KVM_VCPUEVENT_VALID_SMM;
	ev.smi.smm = 1;
	TRY(vcpu, KVM_SET_VCPU_EVENTS, &ev);
	ev.smi.smm = 0;
	TRY(vcpu, KVM_SET_VCPU_EVENTS, &ev);
	TRY(vcpu, KVM_GET_DEBUGREGS, &dbg);
	TRY(vcpu, KVM_SET_DEBUGREGS, &dbg);
	TRY(vcpu, KVM_GET_MP_STATE, &mp);
	TRY(vcpu, KVM_SET_MP_STATE, &mp);
	TRY(vcpu, KVM_TRANSLATE, &tr);
	TRY(vcpu, KVM_INTERRUPT, &irq);
	TRY(vcpu, KVM_NMI, 0);
	TRY(vcpu, KVM_SMI, 0);
	TRY(vcpu, KVM_X86_SETUP_MCE, &mce_cap);
	TRY(vcpu, KVM_SET_TSC_KHZ, TD_TSC_KHZ);
	TRY(vcpu, KVM_GET_TSC_KHZ, 0);
	TRY(vcpu, KVM_KVMCLOCK_CTRL, 0);
	EXPECT_ERR(ioctl(vcpu, KVM_ENABLE_CAP, &cap), EINVAL,
		   "enlightened VMCS on a TD vCPU");
	if (kvm_check_cap(KVM_CAP_NESTED_STATE)) {
		EXPECT_ERR(ioctl(vcpu, KVM_GET_NESTED_STATE, &nested), EINVAL,
			   "KVM_GET_NESTED_STATE");
		EXPECT_ERR(ioctl(vcpu, KVM_SET_NESTED_STATE, &nested), EINVAL,
			   "KVM_SET_NESTED_STATE");
	}
	/* An MSI to APIC ID 0, vector 0x40: it waits in the vCPU's IRR. */
	EXPECT(ioctl(vm, KVM_SIGNAL_MSI, &msi) == 1, "delivered to one vCPU",
	       "KVM_SIGNAL_MSI");
	EXPECT_OK(ioctl(vcpu, KVM_GET_LAPIC, &lapic), "KVM_GET_LAPIC");
	apic_reg = (__u32 *)&lapic.regs[0x200 + 0x40 / 32 * 0x10];
	TEST_ASSERT(*apic_reg & (1u << (0x40 % 32)),
		    "the MSI is not in the IRR (%#x)", *apic_reg);
	EXPECT_OK(tdx_op(vm, KVM_TDX_FINALIZE_VM, 0, 0, NULL), "FINALIZE_VM");
	EXPECT_ERR(ioctl(vcpu, KVM_RUN, 0), EOPNOTSUPP,
		   "KVM_RUN after all of that");
	free(xsave);
	close(vcpu);
	close(vm);
	TEST_ASSERT(nr_owned() == owned && nr_leaked() == leaked,
		    "owned pages %ld (%ld before), leaked %ld (%ld before)",
		    nr_owned(), owned, nr_leaked(), leaked);
}

static void pin_to(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	TEST_ASSERT(!sched_setaffinity(0, sizeof(set), &set),
		    "pin to CPU %d: %s", cpu, strerror(errno));
}

static void unpin(void)
{
	cpu_set_t set;
	int cpu;

	CPU_ZERO(&set);
	for (cpu = 0; cpu < CPU_SETSIZE; cpu++)
		CPU_SET(cpu, &set);
	TEST_ASSERT(!sched_setaffinity(0, sizeof(set), &set),
		    "leave the CPU pinning: %s", strerror(errno));
}

static void set_online(int cpu, bool online)
{
	char path[64];

	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%d/online",
		 cpu);
	write_str(path, online ? "1" : "0");
}

/*
 * Close a TD whose vCPU KVM must have flushed already: with every
 * TDH.VP.FLUSH failing, a teardown that still had to flush it would
 * leak the TD, its KeyID and its pages.
 */
static void close_flushed(int vm, int vcpu, long owned, long leaked,
			  const char *what)
{
	write_str(SWMOD "/fail", "vp_flush:1:100");
	close(vcpu);
	close(vm);
	write_str(SWMOD "/fail", "none");
	TEST_ASSERT(nr_owned() == owned && nr_leaked() == leaked,
		    "%s: owned pages %ld (%ld before), leaked %ld (%ld before)",
		    what, nr_owned(), owned, nr_leaked(), leaked);
}

/*
 * TDH.VP.INIT associates the vCPU with the CPU it ran on.  KVM ends that
 * association (TDH.VP.FLUSH on that CPU) when the vCPU is loaded on
 * another CPU, and when the CPU goes offline.
 */
static void test_assoc(void)
{
	long owned = nr_owned(), leaked = nr_leaked();
	struct kvm_regs regs;
	int vm, vcpu;

	TEST_REQUIRE(have_swmod());
	TEST_REQUIRE(sysconf(_SC_NPROCESSORS_ONLN) >= 2);
	TEST_REQUIRE(access("/sys/devices/system/cpu/cpu1/online", W_OK) == 0);

	/* Moved: KVM_GET_REGS loads the vCPU on CPU 1. */
	pin_to(0);
	vm = create_td_vcpu(&vcpu, false);
	pin_to(1);
	EXPECT_OK(ioctl(vcpu, KVM_GET_REGS, &regs), "KVM_GET_REGS on CPU 1");
	close_flushed(vm, vcpu, owned, leaked, "vCPU moved to CPU 1");

	/* CPU 1, where the vCPU is associated, goes offline. */
	pin_to(1);
	vm = create_td_vcpu(&vcpu, true);
	pin_to(0);
	set_online(1, false);
	close_flushed(vm, vcpu, owned, leaked, "CPU 1 offline");
	set_online(1, true);

	/*
	 * And the teardown flushes a vCPU still associated, on its CPU.
	 * Closed on CPU 1: loading the vCPU on another CPU would flush it
	 * before the teardown.
	 */
	pin_to(1);
	vm = create_td_vcpu(&vcpu, true);
	close(vcpu);
	close(vm);
	TEST_ASSERT(nr_owned() == owned && nr_leaked() == leaked,
		    "teardown: owned pages %ld (%ld before), leaked %ld (%ld before)",
		    nr_owned(), owned, nr_leaked(), leaked);
	unpin();
}

/*
 * A TD's private memory: a private slot at MEM_GPA of MEM_PAGES pages,
 * backed by an inaccessible memfd, and source pages with a known pattern.
 */
#define MEM_GPA		0x100000ULL
#define MEM_PAGES	64
#define MEM_SIZE	(MEM_PAGES * PAGE_SIZE)
#define TD_SHARED_BIT	BIT_ULL(47)	/* GPA width 48 */

struct td_mem {
	int memfd;
	void *shared;
	uint8_t *src;
};

static int set_td_slot(int vm, struct td_mem *m, __u64 size)
{
	struct kvm_userspace_memory_region_ext ext = {
		.region = {
			.flags = KVM_MEM_PRIVATE,
			.guest_phys_addr = MEM_GPA,
			.memory_size = size,
			.userspace_addr = (unsigned long)m->shared,
		},
		.private_fd = m->memfd,
	};

	return ioctl(vm, KVM_SET_USER_MEMORY_REGION, &ext);
}

static void add_td_slot(int vm, struct td_mem *m)
{
	int i;

	m->memfd = inaccessible_memfd(MEM_SIZE);
	TEST_ASSERT(m->memfd >= 0, "memfd_create(MFD_INACCESSIBLE): %s",
		    strerror(errno));
	m->shared = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	m->src = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(m->shared != MAP_FAILED && m->src != MAP_FAILED, "mmap");
	for (i = 0; i < MEM_SIZE; i++)
		m->src[i] = i * 7 + i / PAGE_SIZE;
	EXPECT_OK(set_td_slot(vm, m, MEM_SIZE), "a private memslot on a TD");
}

static void free_td_mem(struct td_mem *m)
{
	close(m->memfd);
	munmap(m->shared, MEM_SIZE);
	munmap(m->src, MEM_SIZE);
}

/* Close a TD with its memory: nothing may stay owned or leak. */
static void close_td_mem(int vm, int vcpu, struct td_mem *m, long owned,
			 long leaked)
{
	close(vcpu);
	close(vm);
	free_td_mem(m);
	TEST_ASSERT(nr_owned() == owned && nr_leaked() == leaked,
		    "owned pages %ld (%ld before), leaked %ld (%ld before)",
		    nr_owned(), owned, nr_leaked(), leaked);
}

static int init_mem(int vm, __u32 flags, const void *src, __u64 gpa,
		    __u64 nr_pages, __u64 *error)
{
	struct kvm_tdx_init_mem_region r = {
		.source_addr = (unsigned long)src,
		.gpa = gpa,
		.nr_pages = nr_pages,
	};

	return tdx_op(vm, KVM_TDX_INIT_MEM_REGION, flags, (unsigned long)&r,
		      error);
}

static int set_private(int vm, __u64 gpa, __u64 size, bool private)
{
	struct kvm_enc_region r = { .addr = gpa, .size = size };

	return ioctl(vm, private ? KVM_MEMORY_ENCRYPT_REG_REGION :
				   KVM_MEMORY_ENCRYPT_UNREG_REGION, &r);
}

/* The module's MRTD block: a 16-byte tag, the GPA, zeros; then data. */
static void mrtd_extend(struct sha384_ctx *c, const char *tag, __u64 gpa,
			const void *data, size_t len)
{
	uint8_t block[SHA384_BLOCK_SIZE] = {};

	memcpy(block, tag, strlen(tag));
	memcpy(block + 16, &gpa, sizeof(gpa));
	sha384_update(c, block, sizeof(block));
	if (len)
		sha384_update(c, data, len);
}

/* What TDH.MEM.PAGE.ADD, and TDH.MR.EXTEND if @measured, add to it. */
static void mrtd_page(struct sha384_ctx *c, __u64 gpa, const uint8_t *page,
		      bool measured)
{
	int i;

	mrtd_extend(c, "MEM.PAGE.ADD", gpa, NULL, 0);
	for (i = 0; measured && i < PAGE_SIZE; i += 256)
		mrtd_extend(c, "MR.EXTEND", gpa + i, page + i, 256);
}

static void mrtd_hex(struct sha384_ctx *c, char *hex)
{
	uint8_t d[SHA384_DIGEST_SIZE];
	int i;

	sha384_final(c, d);
	for (i = 0; i < SHA384_DIGEST_SIZE; i++)
		sprintf(hex + 2 * i, "%02x", d[i]);
	strcat(hex, "\n");
}

/* Every errno of KVM_TDX_INIT_MEM_REGION that a bad argument gives. */
static void mem_region_errors(int vm, struct td_mem *m)
{
	const uint8_t *src = m->src;
	long owned = nr_owned();

	EXPECT_ERR(init_mem(vm, 2, src, MEM_GPA, 1, NULL), EINVAL, "flags");
	EXPECT_ERR(init_mem(vm, 0, src + 1, MEM_GPA, 1, NULL), EINVAL,
		   "unaligned source");
	EXPECT_ERR(init_mem(vm, 0, src, MEM_GPA + 8, 1, NULL), EINVAL,
		   "unaligned GPA");
	EXPECT_ERR(init_mem(vm, 0, src, MEM_GPA, 0, NULL), EINVAL, "no page");
	EXPECT_ERR(init_mem(vm, 0, src, MEM_GPA | TD_SHARED_BIT, 1, NULL),
		   EINVAL, "a shared GPA");
	EXPECT_ERR(init_mem(vm, 0, src, TD_SHARED_BIT - PAGE_SIZE, 2, NULL),
		   EINVAL, "a range running into the shared half");
	EXPECT_ERR(init_mem(vm, 0, src, -PAGE_SIZE, 2, NULL), EINVAL,
		   "a range wrapping around");
	EXPECT_ERR(init_mem(vm, 0, src, 1ULL << 62, 1ULL << 60, NULL), EINVAL,
		   "a size that overflows");
	EXPECT_ERR(init_mem(vm, 0, src, MEM_GPA + MEM_SIZE, 1, NULL), EINVAL,
		   "a GPA in no memslot");
	EXPECT_ERR(tdx_op(vm, KVM_TDX_INIT_MEM_REGION, 0, 8, NULL), EFAULT,
		   "the struct at a bad address");
	EXPECT_ERR(init_mem(vm, 0, (void *)PAGE_SIZE, MEM_GPA, 1, NULL), EFAULT,
		   "an unmapped source");
	EXPECT_OK(set_private(vm, MEM_GPA + MEM_SIZE - PAGE_SIZE, PAGE_SIZE,
			      false), "UNREG_REGION");
	EXPECT_ERR(init_mem(vm, 0, src, MEM_GPA + MEM_SIZE - PAGE_SIZE, 1, NULL),
		   EINVAL, "a GPA converted to shared");
	EXPECT_OK(set_private(vm, MEM_GPA + MEM_SIZE - PAGE_SIZE, PAGE_SIZE,
			      true), "REG_REGION");
	TEST_ASSERT(nr_owned() == owned, "failed calls left %ld pages owned",
		    nr_owned() - owned);
}

static long swmod_seamcalls(void)
{
	char line[128];
	long n = 0, calls;
	FILE *f = fopen("/sys/kernel/debug/tdx/swmod_stats", "r");

	TEST_ASSERT(f, "open swmod_stats: %s", strerror(errno));
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "leaf %*u: calls %ld", &calls) == 1)
			n += calls;
	fclose(f);
	return n;
}

/*
 * Build a TD's memory: errors, measured and unmeasured pages, the MRTD;
 * then, finalized, a conversion and a punch-hole take pages out of it
 * (the S-EPT removal), a memslot's deletion the rest, and the teardown
 * every page and S-EPT page.
 */
static void test_mem_region(void)
{
	struct kvm_tdx_init_mem_region r;
	long owned = nr_owned(), leaked = nr_leaked(), built, calls = 0;
	char want[2 * SHA384_DIGEST_SIZE + 2], mrtd[128];
	struct sha384_ctx c;
	struct td_mem m;
	int vm = create_td(), vcpu, i;
	__u64 error = ~0ULL;

	/* As QEMU: memslots first, then INIT_VM, the vCPUs, the memory. */
	add_td_slot(vm, &m);
	EXPECT_OK(init_vm_ok(vm), "INIT_VM");
	EXPECT_ERR(init_mem(vm, 0, m.src, MEM_GPA, 1, NULL), EINVAL,
		   "INIT_MEM_REGION before any vCPU");
	vcpu = create_vcpu(vm, 0);
	EXPECT_OK(init_vcpu(vcpu, NULL), "INIT_VCPU");
	mem_region_errors(vm, &m);

	/* Pages 0..MEM_PAGES-3 measured, MEM_PAGES-2 not. */
	sha384_init(&c);
	built = nr_owned();
	if (have_swmod())
		calls = swmod_seamcalls();
	r = (struct kvm_tdx_init_mem_region){
		.source_addr = (unsigned long)m.src,
		.gpa = MEM_GPA,
		.nr_pages = MEM_PAGES - 2,
	};
	EXPECT_OK(tdx_op(vm, KVM_TDX_INIT_MEM_REGION,
			 KVM_TDX_MEASURE_MEMORY_REGION, (unsigned long)&r,
			 &error), "INIT_MEM_REGION, measured");
	if (have_swmod())
		calls = swmod_seamcalls() - calls;
	TEST_ASSERT(!error && !r.nr_pages &&
		    r.gpa == MEM_GPA + (MEM_PAGES - 2) * PAGE_SIZE &&
		    r.source_addr == (unsigned long)m.src + (MEM_PAGES - 2) * PAGE_SIZE,
		    "the region written back: gpa %#llx, %llu pages left, error %#llx",
		    r.gpa, r.nr_pages, error);
	for (i = 0; i < MEM_PAGES - 2; i++)
		mrtd_page(&c, MEM_GPA + i * PAGE_SIZE, m.src + i * PAGE_SIZE,
			  true);
	EXPECT_OK(init_mem(vm, 0, m.src, MEM_GPA + (MEM_PAGES - 2) * PAGE_SIZE,
			   1, NULL), "INIT_MEM_REGION, not measured");
	mrtd_page(&c, MEM_GPA + (MEM_PAGES - 2) * PAGE_SIZE, m.src, false);
	EXPECT_ERR(init_mem(vm, 0, m.src, MEM_GPA, 1, NULL), EINVAL,
		   "a page added twice");
	/* The pages, and the S-EPT's PDPT, PD and PT pages. */
	if (have_swmod())
		TEST_ASSERT(nr_owned() == built + MEM_PAGES - 1 + 3,
			    "%ld pages owned for %d added, want %d", nr_owned() - built,
			    MEM_PAGES - 1, MEM_PAGES - 1 + 3);

	/* The slot's shared mapping changing takes no private page away. */
	built = nr_owned();
	TEST_ASSERT(!madvise(m.shared, MEM_SIZE, MADV_DONTNEED), "madvise: %s",
		    strerror(errno));
	TEST_ASSERT(nr_owned() == built,
		    "MADV_DONTNEED of the shared mapping: %ld pages owned, want %ld",
		    nr_owned(), built);

	EXPECT_OK(tdx_op(vm, KVM_TDX_FINALIZE_VM, 0, 0, NULL), "FINALIZE_VM");
	EXPECT_ERR(init_mem(vm, 0, m.src, MEM_GPA + (MEM_PAGES - 1) * PAGE_SIZE,
			    1, NULL), EINVAL, "INIT_MEM_REGION after FINALIZE_VM");
	mrtd_hex(&c, want);
	read_mrtd(vm, mrtd, sizeof(mrtd));
	TEST_ASSERT(!strcmp(mrtd, want), "MRTD %s, computed %s", mrtd, want);

	/*
	 * A finalized TD's private page converted, another punched out.
	 * REG_REGION over pages already private takes none away.
	 */
	built = nr_owned();
	EXPECT_OK(set_private(vm, MEM_GPA, MEM_SIZE, true),
		  "REG_REGION over added pages");
	TEST_ASSERT(!have_swmod() || nr_owned() == built,
		    "REG_REGION: %ld pages owned, want %ld", nr_owned(), built);
	EXPECT_OK(set_private(vm, MEM_GPA, PAGE_SIZE, false),
		  "UNREG_REGION of an added page");
	TEST_ASSERT(!have_swmod() || nr_owned() == built - 1,
		    "UNREG_REGION: %ld pages owned, want %ld", nr_owned(),
		    built - 1);
	TEST_ASSERT(!fallocate(m.memfd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			       PAGE_SIZE, PAGE_SIZE), "punch-hole: %s",
		    strerror(errno));
	TEST_ASSERT(!have_swmod() || nr_owned() == built - 2,
		    "punch-hole: %ld pages owned, want %ld", nr_owned(),
		    built - 2);
	EXPECT_OK(set_private(vm, MEM_GPA, PAGE_SIZE, true), "REG_REGION back");
	/* Deleting the slot zaps its pages (not all roots: S-EPT stays). */
	EXPECT_OK(set_td_slot(vm, &m, 0), "deleting the private slot");
	TEST_ASSERT(!have_swmod() || nr_owned() == built - (MEM_PAGES - 1),
		    "slot deleted: %ld pages owned, want %ld", nr_owned(),
		    built - (MEM_PAGES - 1));
	TEST_ASSERT(nr_leaked() == leaked, "%ld pages leaked",
		    nr_leaked() - leaked);

	close_td_mem(vm, vcpu, &m, owned, leaked);
	if (have_swmod())
		printf("bench: tdx_init_mem_region_seamcalls_per_page %.2f calls (goal <= 17.1)\n",
		       (double)calls / (MEM_PAGES - 2));
}

/* Closing a TD with its memory: every page and S-EPT page reclaimed. */
static void test_mem_teardown(void)
{
	long owned = nr_owned(), leaked = nr_leaked();
	struct td_mem m;
	int vm = create_td(), vcpu;

	add_td_slot(vm, &m);
	EXPECT_OK(init_vm_ok(vm), "INIT_VM");
	vcpu = create_vcpu(vm, 0);
	EXPECT_OK(init_vcpu(vcpu, NULL), "INIT_VCPU");
	EXPECT_OK(init_mem(vm, 0, m.src, MEM_GPA, MEM_PAGES, NULL),
		  "INIT_MEM_REGION");
	/* Not finalized: the teardown works at any step of the build. */
	close_td_mem(vm, vcpu, &m, owned, leaked);
}

/*
 * Build a TD up to @stage and die by SIGKILL with every fd open: the mm
 * goes first (the KeyID is released from the MMU notifier's release, the
 * zap reclaims the pages), then the fds.
 */
static void build_and_die(int stage)
{
	struct td_mem m;
	int vm = create_td(), vcpu;

	add_td_slot(vm, &m);
	if (stage >= 1)
		EXPECT_OK(init_vm_ok(vm), "INIT_VM");
	if (stage >= 2) {
		vcpu = create_vcpu(vm, 0);
		EXPECT_OK(init_vcpu(vcpu, NULL), "INIT_VCPU");
	}
	if (stage >= 3)
		EXPECT_OK(init_mem(vm, KVM_TDX_MEASURE_MEMORY_REGION, m.src,
				   MEM_GPA, 8, NULL), "INIT_MEM_REGION");
	if (stage >= 4)
		EXPECT_OK(tdx_op(vm, KVM_TDX_FINALIZE_VM, 0, 0, NULL),
			  "FINALIZE_VM");
	kill(getpid(), SIGKILL);
}

/* Killing the process at each step of the build loses no page or KeyID. */
static void test_mem_kill(void)
{
	long owned = nr_owned(), leaked = nr_leaked();
	int stage, status, keyids = nr_td_keyids();
	pid_t pid;

	for (stage = 0; stage <= 4; stage++) {
		pid = fork();
		TEST_ASSERT(pid >= 0, "fork: %s", strerror(errno));
		if (!pid)
			build_and_die(stage);
		TEST_ASSERT(waitpid(pid, &status, 0) == pid &&
			    WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
			    "stage %d: the child did not die by SIGKILL (%#x)",
			    stage, status);
		TEST_ASSERT(nr_owned() == owned && nr_leaked() == leaked,
			    "killed after step %d: owned %ld (%ld before), leaked %ld (%ld)",
			    stage, nr_owned(), owned, nr_leaked(), leaked);
	}
	TEST_ASSERT(nr_td_keyids() == keyids, "KeyIDs lost: %d free, %d before",
		    nr_td_keyids(), keyids);
}

/*
 * A TD vCPU run through scripted exits: the software module's TDH.VP.ENTER
 * returns the exit armed in SWMOD "/vp_exit" (one at a time), and with
 * none armed refuses, which KVM_RUN gives as EOPNOTSUPP after the entry
 * handed the TD its answer; "guest" there reads what the TD got.
 */
#define VP_EXIT		SWMOD "/vp_exit"
#define MASK_R10_R15	0xfc00ULL
#define MASK_R10_R14	0x7c00ULL
#define VMCALL_INVALID	0x8000000000000000ULL
#define VMCALL_RETRY	0x1ULL
#define EPT_QUAL_WRITE	0x2ULL	/* EPT violation: a write */

struct td_run {
	int vm, vcpu;
	struct kvm_run *run;
	struct td_mem m;
};

struct guest_regs {
	__u64 r10, r11, r12, r13, r14, r15;
	unsigned long entered;		/* entries the module counted */
};

static void arm_vmcall(__u64 mask, __u64 r10, __u64 r11, __u64 r12,
		       __u64 r13, __u64 r14, __u64 r15)
{
	char buf[256];

	snprintf(buf, sizeof(buf),
		 "tdvmcall %#llx %#llx %#llx %#llx %#llx %#llx %#llx", mask,
		 r10, r11, r12, r13, r14, r15);
	write_str(VP_EXIT, buf);
}

static void arm_ept(__u64 gpa, __u64 qual)
{
	char buf[128];

	snprintf(buf, sizeof(buf), "ept %#llx %#llx", gpa, qual);
	write_str(VP_EXIT, buf);
}

static void read_guest(struct guest_regs *g)
{
	char buf[512] = {}, *line;
	int fd = open(VP_EXIT, O_RDONLY);

	TEST_ASSERT(fd >= 0, "open %s: %s", VP_EXIT, strerror(errno));
	TEST_ASSERT(read(fd, buf, sizeof(buf) - 1) > 0, "read %s", VP_EXIT);
	close(fd);
	line = strstr(buf, "entered ");
	TEST_ASSERT(line && sscanf(line, "entered %lu", &g->entered) == 1,
		    "%s: %s", VP_EXIT, buf);
	line = strstr(buf, "guest ");
	TEST_ASSERT(line && sscanf(line,
				   "guest r10=%llx r11=%llx r12=%llx r13=%llx r14=%llx r15=%llx",
				   &g->r10, &g->r11, &g->r12, &g->r13, &g->r14,
				   &g->r15) == 6, "%s: %s", VP_EXIT, buf);
}

static unsigned long nr_entered(void)
{
	struct guest_regs g;

	read_guest(&g);
	return g.entered;
}

/* KVM_RUN once more: the answer goes in, then the module refuses. */
static void run_answer(struct td_run *t, struct guest_regs *g,
		       const char *what)
{
	unsigned long entered = nr_entered();

	EXPECT_ERR(ioctl(t->vcpu, KVM_RUN, 0), EOPNOTSUPP, what);
	read_guest(g);
	TEST_ASSERT(g->entered == entered + 1, "%s: %lu entries, want 1", what,
		    g->entered - entered);
}

/*
 * A TDVMCALL KVM handles in the kernel: one KVM_RUN, two entries (the
 * exit, the answer), no exit to userspace.
 */
static void vmcall_in_kernel(struct td_run *t, struct guest_regs *g,
			     __u64 mask, __u64 r10, __u64 r11, __u64 r12,
			     __u64 r13, __u64 r14, __u64 r15, const char *what)
{
	unsigned long entered = nr_entered();

	arm_vmcall(mask, r10, r11, r12, r13, r14, r15);
	EXPECT_ERR(ioctl(t->vcpu, KVM_RUN, 0), EOPNOTSUPP, what);
	read_guest(g);
	TEST_ASSERT(g->entered == entered + 2, "%s: %lu entries, want 2", what,
		    g->entered - entered);
}

/* A TDVMCALL that exits to userspace with @reason. */
static void vmcall_exit(struct td_run *t, __u32 reason, __u64 mask,
			__u64 r10, __u64 r11, __u64 r12, __u64 r13, __u64 r14,
			__u64 r15, const char *what)
{
	unsigned long entered = nr_entered();

	arm_vmcall(mask, r10, r11, r12, r13, r14, r15);
	EXPECT_OK(ioctl(t->vcpu, KVM_RUN, 0), what);
	TEST_ASSERT(t->run->exit_reason == reason, "%s: exit reason %u, want %u",
		    what, t->run->exit_reason, reason);
	TEST_ASSERT(nr_entered() == entered + 1, "%s: %lu entries, want 1",
		    what, nr_entered() - entered);
}

static void run_td_build(struct td_run *t)
{
	int size = ioctl(kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);

	t->vm = create_td();
	add_td_slot(t->vm, &t->m);
	EXPECT_OK(init_vm_ok(t->vm), "INIT_VM");
	t->vcpu = create_vcpu(t->vm, 0);
	EXPECT_OK(init_vcpu(t->vcpu, NULL), "INIT_VCPU");
	EXPECT_OK(init_mem(t->vm, 0, t->m.src, MEM_GPA, 4, NULL),
		  "INIT_MEM_REGION of 4 pages");
	EXPECT_OK(tdx_op(t->vm, KVM_TDX_FINALIZE_VM, 0, 0, NULL), "FINALIZE_VM");
	TEST_ASSERT(size > 0, "KVM_GET_VCPU_MMAP_SIZE: %s", strerror(errno));
	t->run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, t->vcpu,
		      0);
	TEST_ASSERT(t->run != MAP_FAILED, "mmap kvm_run: %s", strerror(errno));
}

/* GetTdVmCallInfo, CPUID, KVM hypercalls, MSRs, invalid requests. */
static void run_in_kernel(struct td_run *t)
{
	struct {
		struct kvm_cpuid2 c;
		struct kvm_cpuid_entry2 e[1];
	} cpuid = { .c.nent = 1 };
	struct guest_regs g;
	__u64 misc;

	/* Before the first KVM_RUN: later, only the same CPUID is taken. */
	cpuid.e[0] = (struct kvm_cpuid_entry2){
		.function = 0, .eax = 0x1f, .ebx = 0x756e6547,
		.edx = 0x49656e69, .ecx = 0x6c65746e,
	};
	EXPECT_OK(ioctl(t->vcpu, KVM_SET_CPUID2, &cpuid), "KVM_SET_CPUID2");

	vmcall_in_kernel(t, &g, MASK_R10_R14, 0, 0x10000, 0, 7, 7, 0,
			 "GetTdVmCallInfo");
	TEST_ASSERT(!g.r10 && !g.r11 && !g.r12 && !g.r13 && !g.r14,
		    "GetTdVmCallInfo: r10..r14 %#llx %#llx %#llx %#llx %#llx",
		    g.r10, g.r11, g.r12, g.r13, g.r14);

	vmcall_in_kernel(t, &g, MASK_R10_R15, 0, 10, 0, 0, 0, 0, "CPUID 0");
	TEST_ASSERT(!g.r10 && g.r12 == 0x1f && g.r13 == 0x756e6547 &&
		    g.r14 == 0x6c65746e && g.r15 == 0x49656e69,
		    "CPUID 0: %#llx: %#llx %#llx %#llx %#llx", g.r10, g.r12,
		    g.r13, g.r14, g.r15);
	vmcall_in_kernel(t, &g, 0x1c00, 0, 10, 0, 0, 0, 0,
			 "CPUID, R13..R15 not exposed");
	TEST_ASSERT(g.r10 == VMCALL_INVALID, "CPUID without its GPRs: %#llx",
		    g.r10);

	vmcall_in_kernel(t, &g, MASK_R10_R14, KVM_HC_VAPIC_POLL_IRQ, 0, 0, 0,
			 0, 0, "KVM_HC_VAPIC_POLL_IRQ");
	TEST_ASSERT(!g.r10, "KVM_HC_VAPIC_POLL_IRQ: %#llx", g.r10);
	vmcall_in_kernel(t, &g, MASK_R10_R14, 12345, 0, 0, 0, 0, 0,
			 "an unknown hypercall");
	TEST_ASSERT(g.r10 == (__u64)-KVM_ENOSYS, "unknown hypercall: %#llx",
		    g.r10);
	vmcall_in_kernel(t, &g, MASK_R10_R14, KVM_HC_MAP_GPA_RANGE, MEM_GPA,
			 1, 0, 0, 0, "KVM_HC_MAP_GPA_RANGE");
	TEST_ASSERT(g.r10 == (__u64)-KVM_ENOSYS, "KVM_HC_MAP_GPA_RANGE: %#llx",
		    g.r10);

	/* MISC_ENABLE is KVM's; the TSC is the module's; 0x12345 nobody's. */
	vmcall_in_kernel(t, &g, MASK_R10_R14, 0, 31, 0x1a0, 0, 0, 0,
			 "RDMSR MISC_ENABLE");
	TEST_ASSERT(!g.r10, "RDMSR MISC_ENABLE: %#llx", g.r10);
	misc = g.r11 ^ 1;	/* fast strings */
	vmcall_in_kernel(t, &g, MASK_R10_R14, 0, 32, 0x1a0, misc, 0, 0,
			 "WRMSR MISC_ENABLE");
	TEST_ASSERT(!g.r10, "WRMSR MISC_ENABLE: %#llx", g.r10);
	vmcall_in_kernel(t, &g, MASK_R10_R14, 0, 31, 0x1a0, 0, 0, 0,
			 "RDMSR MISC_ENABLE again");
	TEST_ASSERT(!g.r10 && g.r11 == misc,
		    "RDMSR MISC_ENABLE: %#llx %#llx, want %#llx", g.r10, g.r11,
		    misc);
	vmcall_in_kernel(t, &g, MASK_R10_R14, 0, 31, 0x10, 0, 0, 0,
			 "RDMSR TSC");
	TEST_ASSERT(g.r10 == VMCALL_INVALID, "RDMSR TSC: %#llx", g.r10);
	vmcall_in_kernel(t, &g, MASK_R10_R14, 0, 32, 0x12345, 1, 0, 0,
			 "WRMSR 0x12345");
	TEST_ASSERT(g.r10 == VMCALL_INVALID, "WRMSR 0x12345: %#llx", g.r10);

	vmcall_in_kernel(t, &g, MASK_R10_R14, 0, 0x10002, 0, 0, 0, 0,
			 "GetQuote");
	TEST_ASSERT(g.r10 == VMCALL_INVALID, "GetQuote: %#llx", g.r10);
	vmcall_in_kernel(t, &g, MASK_R10_R15, 0, 48, 8, 0, MEM_GPA, 0,
			 "MMIO at a private GPA");
	TEST_ASSERT(g.r10 == VMCALL_INVALID, "MMIO at a private GPA: %#llx",
		    g.r10);
}

/* Port I/O and MMIO in userspace, ReportFatalError, HLT. */
static void run_to_userspace(struct td_run *t)
{
	struct kvm_run *run = t->run;
	struct guest_regs g;
	__u8 *io = (__u8 *)run;
	__u32 v32;
	__u64 v64;

	vmcall_exit(t, KVM_EXIT_IO, MASK_R10_R15, 0, 30, 1, 1, 0x3f8,
		    0x141, "OUT to 0x3f8");
	io += run->io.data_offset;
	TEST_ASSERT(run->io.direction == KVM_EXIT_IO_OUT && run->io.size == 1 &&
		    run->io.port == 0x3f8 && run->io.count == 1 && io[0] == 0x41,
		    "OUT: dir %u size %u port %#x count %u data %#x",
		    run->io.direction, run->io.size, run->io.port,
		    run->io.count, io[0]);
	run_answer(t, &g, "after OUT");
	TEST_ASSERT(!g.r10, "OUT: %#llx", g.r10);

	vmcall_exit(t, KVM_EXIT_IO, MASK_R10_R15, 0, 30, 2, 0, 0x510, 0,
		    "IN from 0x510");
	io = (__u8 *)run + run->io.data_offset;
	TEST_ASSERT(run->io.direction == KVM_EXIT_IO_IN && run->io.size == 2 &&
		    run->io.port == 0x510, "IN: dir %u size %u port %#x",
		    run->io.direction, run->io.size, run->io.port);
	v32 = 0xdeadbeef;
	memcpy(io, &v32, 4);
	run_answer(t, &g, "after IN");
	TEST_ASSERT(!g.r10 && g.r11 == 0xbeef, "IN: %#llx %#llx", g.r10, g.r11);

	vmcall_exit(t, KVM_EXIT_MMIO, MASK_R10_R15, 0, 48, 8, 0,
		    TD_SHARED_BIT | 0xfeb00008ULL, 0, "MMIO read");
	TEST_ASSERT(run->mmio.phys_addr == 0xfeb00008ULL && run->mmio.len == 8 &&
		    !run->mmio.is_write, "MMIO read: %#llx len %u write %u",
		    run->mmio.phys_addr, run->mmio.len, run->mmio.is_write);
	v64 = 0x1122334455667788ULL;
	memcpy(run->mmio.data, &v64, 8);
	run_answer(t, &g, "after the MMIO read");
	TEST_ASSERT(!g.r10 && g.r11 == v64, "MMIO read: %#llx %#llx", g.r10,
		    g.r11);

	vmcall_exit(t, KVM_EXIT_MMIO, MASK_R10_R15, 0, 48, 4, 1,
		    TD_SHARED_BIT | 0xfeb00000ULL, 0x1cafef00dULL, "MMIO write");
	memcpy(&v64, run->mmio.data, 8);
	TEST_ASSERT(run->mmio.phys_addr == 0xfeb00000ULL && run->mmio.len == 4 &&
		    run->mmio.is_write && v64 == 0xcafef00dULL,
		    "MMIO write: %#llx len %u write %u data %#llx",
		    run->mmio.phys_addr, run->mmio.len, run->mmio.is_write, v64);
	run_answer(t, &g, "after the MMIO write");
	TEST_ASSERT(!g.r10, "MMIO write: %#llx", g.r10);

	vmcall_exit(t, KVM_EXIT_SYSTEM_EVENT, MASK_R10_R14, 0, 0x10003, 0xdead,
		    0x2000, 0, 0, "ReportFatalError");
	TEST_ASSERT(run->system_event.type == KVM_SYSTEM_EVENT_TDX &&
		    run->system_event.ndata == 3 &&
		    run->system_event.data[0] == 0x10003 &&
		    run->system_event.data[1] == 0xdead &&
		    run->system_event.data[2] == 0x2000,
		    "ReportFatalError: type %u ndata %u data %#llx %#llx %#llx",
		    run->system_event.type, run->system_event.ndata,
		    run->system_event.data[0], run->system_event.data[1],
		    run->system_event.data[2]);
	run_answer(t, &g, "after ReportFatalError");
	TEST_ASSERT(!g.r10, "ReportFatalError: %#llx", g.r10);

	/* No in-kernel local APIC: HLT is userspace's. */
	vmcall_exit(t, KVM_EXIT_HLT, MASK_R10_R14, 0, 12, 0, 0, 0, 0, "HLT");
	run_answer(t, &g, "after HLT");
	TEST_ASSERT(!g.r10, "HLT: %#llx", g.r10);
}

static long vm_stat(int vm, const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "/sys/kernel/debug/kvm/%d-%d/%s",
		 getpid(), vm, name);
	return read_num(path);
}

/* MapGPA and EPT violations: pages leave and join the TD. */
static void run_memory(struct td_run *t)
{
	struct kvm_vcpu_events ev = {};
	struct kvm_run *run = t->run;
	struct guest_regs g;
	long owned = nr_owned(), pages;

	/* Pages 0..3 are in the TD: 1 and 2 become shared. */
	vmcall_in_kernel(t, &g, MASK_R10_R14, 0, 0x10001,
			 TD_SHARED_BIT | (MEM_GPA + PAGE_SIZE), 2 * PAGE_SIZE,
			 0, 0, "MapGPA of 2 pages to shared");
	TEST_ASSERT(!g.r10 && nr_owned() == owned - 2,
		    "MapGPA to shared: %#llx, %ld pages owned, want %ld", g.r10,
		    nr_owned(), owned - 2);
	vmcall_in_kernel(t, &g, MASK_R10_R14, 0, 0x10001, MEM_GPA + 1, 4096,
			 0, 0, "MapGPA of an unaligned GPA");
	TEST_ASSERT(g.r10 == VMCALL_INVALID, "MapGPA unaligned: %#llx", g.r10);

	/* Page 2 back to private: not in the TD until it faults. */
	vmcall_in_kernel(t, &g, MASK_R10_R14, 0, 0x10001,
			 MEM_GPA + 2 * PAGE_SIZE, PAGE_SIZE, 0, 0,
			 "MapGPA of a page to private");
	TEST_ASSERT(!g.r10 && nr_owned() == owned - 2,
		    "MapGPA to private: %#llx, %ld pages owned, want %ld",
		    g.r10, nr_owned(), owned - 2);
	/* TDH.MEM.PAGE.AUG failing: KVM_RUN fails rather than retrying. */
	write_str(SWMOD "/fail", "page_aug:1:1");
	arm_ept(MEM_GPA + 2 * PAGE_SIZE, EPT_QUAL_WRITE);
	EXPECT_ERR(ioctl(t->vcpu, KVM_RUN, 0), EIO,
		   "a private fault with TDH.MEM.PAGE.AUG failing");
	write_str(SWMOD "/fail", "none");
	TEST_ASSERT(nr_owned() == owned - 2,
		    "PAGE.AUG failed: %ld pages owned, want %ld", nr_owned(),
		    owned - 2);
	arm_ept(MEM_GPA + 2 * PAGE_SIZE, EPT_QUAL_WRITE);
	EXPECT_ERR(ioctl(t->vcpu, KVM_RUN, 0), EOPNOTSUPP,
		   "a private fault after FINALIZE_VM");
	TEST_ASSERT(nr_owned() == owned - 1,
		    "TDH.MEM.PAGE.AUG: %ld pages owned, want %ld", nr_owned(),
		    owned - 1);

	/* Page 1 is shared: a private access asks userspace to convert. */
	arm_ept(MEM_GPA + PAGE_SIZE, EPT_QUAL_WRITE);
	EXPECT_OK(ioctl(t->vcpu, KVM_RUN, 0), "a private fault on a shared page");
	TEST_ASSERT(run->exit_reason == KVM_EXIT_MEMORY_FAULT &&
		    run->memory.flags == KVM_MEMORY_EXIT_FLAG_PRIVATE &&
		    run->memory.gpa == MEM_GPA + PAGE_SIZE &&
		    run->memory.size == PAGE_SIZE,
		    "memory fault: exit %u flags %#x gpa %#llx size %#llx",
		    run->exit_reason, run->memory.flags, run->memory.gpa,
		    run->memory.size);

	/* Its shared alias, above the host's MAXPHYADDR here, maps. */
	pages = vm_stat(t->vm, "pages_4k");
	arm_ept(TD_SHARED_BIT | (MEM_GPA + PAGE_SIZE), EPT_QUAL_WRITE);
	EXPECT_ERR(ioctl(t->vcpu, KVM_RUN, 0), EOPNOTSUPP,
		   "a shared fault on a shared page");
	TEST_ASSERT(vm_stat(t->vm, "pages_4k") == pages + 1,
		    "the shared alias: %ld 4K SPTEs, want %ld",
		    vm_stat(t->vm, "pages_4k"), pages + 1);

	/* A private GPA no private slot has; a shared one no slot has. */
	arm_ept(0x40000000ULL, EPT_QUAL_WRITE);
	EXPECT_ERR(ioctl(t->vcpu, KVM_RUN, 0), EFAULT,
		   "a private fault outside every private slot");
	arm_ept(TD_SHARED_BIT | 0x40000000ULL, EPT_QUAL_WRITE);
	EXPECT_ERR(ioctl(t->vcpu, KVM_RUN, 0), EFAULT,
		   "a shared fault outside every slot (MMIO)");

	/* In SMM the vCPU's root is not the one mirroring the S-EPT. */
	ev.flags = KVM_VCPUEVENT_VALID_SMM;
	ev.smi.smm = 1;
	EXPECT_OK(ioctl(t->vcpu, KVM_SET_VCPU_EVENTS, &ev), "into SMM");
	arm_ept(MEM_GPA + 3 * PAGE_SIZE, EPT_QUAL_WRITE);
	EXPECT_ERR(ioctl(t->vcpu, KVM_RUN, 0), EINVAL, "a fault in SMM");
	ev.smi.smm = 0;
	EXPECT_OK(ioctl(t->vcpu, KVM_SET_VCPU_EVENTS, &ev), "out of SMM");
	write_str(VP_EXIT, "none");
}

/* A failed entry gives the TD nothing: the answer waits for the next. */
static void run_entry_faults(struct td_run *t)
{
	struct guest_regs g;

	/* Entry 2 (the answer) busy once: entered again at once. */
	write_str(SWMOD "/fail", "vp_enter:2:1:0x8000020000000000");
	vmcall_in_kernel(t, &g, MASK_R10_R15, 0, 10, 0, 0, 0, 0,
			 "CPUID, its answer's entry busy once");
	TEST_ASSERT(!g.r10 && g.r12 == 0x1f, "CPUID after busy: %#llx %#llx",
		    g.r10, g.r12);

	/* Entry 2 failing: KVM_RUN fails, the next one gives the answer. */
	arm_vmcall(MASK_R10_R15, 0, 10, 0, 0, 0, 0);
	write_str(SWMOD "/fail", "vp_enter:2:1");
	EXPECT_ERR(ioctl(t->vcpu, KVM_RUN, 0), EIO,
		   "CPUID, its answer's entry failing");
	write_str(SWMOD "/fail", "none");
	run_answer(t, &g, "after the failed entry");
	TEST_ASSERT(!g.r10 && g.r12 == 0x1f, "CPUID after EIO: %#llx %#llx",
		    g.r10, g.r12);
}

/* A SIGALRM that only interrupts KVM_RUN. */
static void on_alarm(int sig)
{
}

/*
 * A TD with an in-kernel irqchip: the local APIC in x2APIC mode (its
 * MSRs through RDMSR), port I/O and MMIO the PIC and IOAPIC answer (no
 * exit to userspace), and HLT that keeps the vCPU halted although an MSI
 * waits in its IRR (KVM injects nothing into a TD).
 */
static void test_run_irqchip(void)
{
	struct {
		struct kvm_cpuid2 c;
		struct kvm_cpuid_entry2 e[2];
	} cpuid = { .c.nent = 2 };
	struct kvm_msi msi = { .address_lo = 0xfee00000, .data = 0x40 };
	struct sigaction sa = { .sa_handler = on_alarm };
	long owned = nr_owned(), leaked = nr_leaked();
	int size = ioctl(kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	struct guest_regs g;
	struct td_run t;

	TEST_REQUIRE(have_swmod());
	write_str(VP_EXIT, "none");
	t.vm = create_td();
	EXPECT_OK(ioctl(t.vm, KVM_CREATE_IRQCHIP, 0), "KVM_CREATE_IRQCHIP");
	EXPECT_OK(init_vm_ok(t.vm), "INIT_VM");
	t.vcpu = create_vcpu(t.vm, 0);
	cpuid.e[0] = (struct kvm_cpuid_entry2){ .function = 0, .eax = 1 };
	cpuid.e[1] = (struct kvm_cpuid_entry2){
		.function = 1, .ecx = 1u << 21,		/* x2APIC */
	};
	EXPECT_OK(ioctl(t.vcpu, KVM_SET_CPUID2, &cpuid), "KVM_SET_CPUID2");
	EXPECT_OK(init_vcpu(t.vcpu, NULL), "INIT_VCPU");
	EXPECT_OK(tdx_op(t.vm, KVM_TDX_FINALIZE_VM, 0, 0, NULL), "FINALIZE_VM");
	t.run = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, t.vcpu, 0);
	TEST_ASSERT(t.run != MAP_FAILED, "mmap kvm_run: %s", strerror(errno));

	vmcall_in_kernel(&t, &g, MASK_R10_R14, 0, 31, 0x803, 0, 0, 0,
			 "RDMSR of the x2APIC version");
	TEST_ASSERT(!g.r10 && (g.r11 & 0xff) == 0x14,
		    "x2APIC version: %#llx %#llx", g.r10, g.r11);
	vmcall_in_kernel(&t, &g, MASK_R10_R15, 0, 30, 1, 1, 0x21, 0xfb,
			 "OUT to the PIC's mask");
	vmcall_in_kernel(&t, &g, MASK_R10_R15, 0, 30, 1, 0, 0x21, 0,
			 "IN from the PIC's mask");
	TEST_ASSERT(!g.r10 && g.r11 == 0xfb, "PIC mask: %#llx %#llx", g.r10,
		    g.r11);
	vmcall_in_kernel(&t, &g, MASK_R10_R15, 0, 48, 4, 1,
			 TD_SHARED_BIT | 0xfec00000ULL, 1,
			 "MMIO write of the IOAPIC's register select");
	vmcall_in_kernel(&t, &g, MASK_R10_R15, 0, 48, 4, 0,
			 TD_SHARED_BIT | 0xfec00010ULL, 0,
			 "MMIO read of the IOAPIC's version");
	TEST_ASSERT(!g.r10 && (g.r11 & 0xff) == 0x11,
		    "IOAPIC version: %#llx %#llx", g.r10, g.r11);

	/* Software-enabled through its x2APIC SVR, it takes an MSI. */
	vmcall_in_kernel(&t, &g, MASK_R10_R14, 0, 32, 0x80f, 0x1ff, 0, 0,
			 "WRMSR of the x2APIC SVR");
	TEST_ASSERT(!g.r10, "x2APIC SVR: %#llx", g.r10);
	EXPECT(ioctl(t.vm, KVM_SIGNAL_MSI, &msi) == 1, "delivered to one vCPU",
	       "KVM_SIGNAL_MSI");
	TEST_ASSERT(!sigaction(SIGALRM, &sa, NULL), "sigaction: %s",
		    strerror(errno));
	arm_vmcall(MASK_R10_R14, 0, 12, 0, 0, 0, 0);
	alarm(1);
	EXPECT_ERR(ioctl(t.vcpu, KVM_RUN, 0), EINTR,
		   "HLT with an MSI pending: halted until the signal");
	alarm(0);
	signal(SIGALRM, SIG_DFL);

	munmap(t.run, size);
	close(t.vcpu);
	close(t.vm);
	TEST_ASSERT(nr_owned() == owned && nr_leaked() == leaked,
		    "owned pages %ld (%ld before), leaked %ld (%ld before)",
		    nr_owned(), owned, nr_leaked(), leaked);
}

static void test_run(void)
{
	long owned = nr_owned(), leaked = nr_leaked();
	struct guest_regs g;
	struct td_run t;

	TEST_REQUIRE(have_swmod());
	write_str(VP_EXIT, "none");
	run_td_build(&t);
	run_in_kernel(&t);
	run_to_userspace(&t);
	run_entry_faults(&t);

	/* The vCPU moves to another CPU between two entries. */
	if (sysconf(_SC_NPROCESSORS_ONLN) > 1) {
		pin_to(0);
		vmcall_in_kernel(&t, &g, MASK_R10_R14, 0, 0x10000, 0, 0, 0, 0,
				 "a TDVMCALL on CPU 0");
		pin_to(1);
		vmcall_in_kernel(&t, &g, MASK_R10_R14, 0, 0x10000, 0, 0, 0, 0,
				 "a TDVMCALL on CPU 1");
		TEST_ASSERT(!g.r10, "on CPU 1: %#llx", g.r10);
		unpin();
	}
	run_memory(&t);
	munmap(t.run, ioctl(kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0));
	close_td_mem(t.vm, t.vcpu, &t.m, owned, leaked);
}

/* Where a fault is armed to strike: the step that fails, or the teardown. */
enum stage { TEARDOWN, INIT_VM, INIT_VCPU, INIT_MEM, FINALIZE, RUN };

/* One SEAMCALL failing: which leaf, which call of it, with what. */
struct fault {
	const char *spec;
	enum stage stage;
	int err;	/* the errno of that step */
};

static const struct fault faults[] = {
	{ "mng_create:1:1", INIT_VM, EIO },
	{ "mng_key_config:1:1", INIT_VM, EIO },
	{ "mng_key_config:1:1:0x8000080000000000:entropy", INIT_VM, EAGAIN },
	{ "mng_addcx:1:1", INIT_VM, EIO },
	{ "mng_addcx:4:1:0x8000020000000000", INIT_VM, EBUSY },
	{ "mng_init:1:1", INIT_VM, EIO },
	{ "mng_init:1:1:0xC000010000000045", INIT_VM, EINVAL },
	{ "vp_create:1:1", INIT_VCPU, EIO },
	{ "vp_addcx:1:1", INIT_VCPU, EIO },
	{ "vp_addcx:3:1:0x8000020000000000", INIT_VCPU, EBUSY },
	{ "vp_init:1:1", INIT_VCPU, EIO },
	{ "sept_add:1:1", INIT_MEM, EIO },
	{ "sept_add:3:1", INIT_MEM, EIO },
	{ "page_add:1:1", INIT_MEM, EIO },
	{ "page_add:1:1:0xC000010000000000", INIT_MEM, EINVAL },
	{ "mr_extend:5:1", INIT_MEM, EIO },
	{ "mr_finalize:1:1", FINALIZE, EIO },
	{ "vp_enter:1:1", RUN, EIO },
	/* Contention: retried, nothing lost. */
	{ "sept_add:1:1:0x8000020000000092" },
	{ "page_add:1:1:0x8000020000000092" },
	{ "mem_track:1:2:0x8000020000000000" },
	{ "range_block:1:2:0x8000020000000092" },
	{ "page_remove:1:3:0x8000020000000092" },
	/*
	 * The removal of a converted page failing: that page, and so the
	 * TDR (the TD still counts the page), leak.  (The teardown's first
	 * reclaim, page_reclaim:1:1 below, is of an S-EPT page.)
	 */
	{ "range_block:1:1" },
	{ "mem_track:1:3" },
	{ "page_remove:1:1" },
	/* Teardown: retried, nothing lost. */
	{ "vp_flush:1:2" },
	{ "mng_vpflushdone:1:1" },
	{ "cache_wb:1:1" },
	{ "cache_wb:1:1:0x8000000300000000" },
	{ "mng_key_freeid:1:1" },
	{ "page_reclaim:1:2:0x8000020000000000" },
	/* A reclaim that fails for good: that page and the TDR leak. */
	{ "page_reclaim:1:1" },
};

/*
 * Run one step of a TD's build, @at, with *@error its status.  If the
 * armed fault strikes it, it fails with f->err and a status, and then,
 * the fault spent, succeeds: a failed step leaves the TD as before.  A
 * failed INIT_VM leaves no page to the module (@owned, if not -1, is the
 * count before).
 */
static void fault_step(const struct fault *f, enum stage at, int fd,
		       int (*step)(int fd, __u64 *error), __u64 *error,
		       long owned)
{
	if (f->stage != at) {
		EXPECT_OK(step(fd, NULL), f->spec);
		return;
	}
	EXPECT_ERR(step(fd, error), f->err, f->spec);
	TEST_ASSERT(*error, "%s: no SEAMCALL status in cmd.error", f->spec);
	TEST_ASSERT(owned < 0 || nr_owned() == owned,
		    "%s: the failed step left %ld pages owned", f->spec,
		    nr_owned() - owned);
	EXPECT_OK(step(fd, NULL), f->spec);
}

static int step_init_vm(int vm, __u64 *error)
{
	struct kvm_tdx_init_vm *init = init_vm_arg();
	int r = init_vm(vm, init, error);

	free(init);
	return r;
}

static int step_finalize(int vm, __u64 *error)
{
	return tdx_op(vm, KVM_TDX_FINALIZE_VM, 0, 0, error);
}

/* One measured page per call: a failed call leaves its page spoiled. */
static struct td_mem fault_mem;
static int fault_page;

static int step_init_mem(int vm, __u64 *error)
{
	int i = fault_page++;

	return init_mem(vm, KVM_TDX_MEASURE_MEMORY_REGION,
			fault_mem.src + i * PAGE_SIZE, MEM_GPA + i * PAGE_SIZE,
			1, error);
}

static void run_fault(const struct fault *f)
{
	long owned = nr_owned(), leaked = nr_leaked();
	__u64 error = 0;
	int vm = create_td(), vcpu;

	add_td_slot(vm, &fault_mem);
	fault_page = 0;
	write_str(SWMOD "/fail", "none");
	write_str(SWMOD "/fail", f->spec);
	fault_step(f, INIT_VM, vm, step_init_vm, &error, owned);
	vcpu = create_vcpu(vm, 0);
	fault_step(f, INIT_VCPU, vcpu, init_vcpu, &error, -1);
	fault_step(f, INIT_MEM, vm, step_init_mem, &error, -1);
	fault_step(f, FINALIZE, vm, step_finalize, &error, -1);
	/* The S-EPT removal of a TD's page, then the rest at teardown. */
	EXPECT_OK(set_private(vm, MEM_GPA + (fault_page - 1) * PAGE_SIZE,
			      PAGE_SIZE, false), "UNREG_REGION after FINALIZE");
	if (f->stage == RUN) {
		EXPECT_ERR(ioctl(vcpu, KVM_RUN, 0), f->err, f->spec);
		EXPECT_ERR(ioctl(vcpu, KVM_RUN, 0), EOPNOTSUPP, f->spec);
	}
	close(vcpu);
	close(vm);
	free_td_mem(&fault_mem);
	TEST_ASSERT(nr_owned() - owned == nr_leaked() - leaked,
		    "%s: %ld pages still owned, %ld counted as leaked", f->spec,
		    nr_owned() - owned, nr_leaked() - leaked);
	printf("# %s: errno %d, status %#llx, %ld pages leaked on purpose\n",
	       f->spec, f->err, error, nr_leaked() - leaked);
}

static void test_faults(void)
{
	int i, keyids;

	TEST_REQUIRE(have_swmod());
	keyids = nr_td_keyids();
	for (i = 0; i < ARRAY_SIZE(faults); i++)
		run_fault(&faults[i]);
	write_str(SWMOD "/fail", "none");
	TEST_ASSERT(nr_td_keyids() == keyids, "KeyIDs lost to the faults");
}

static const struct {
	const char *name;
	void (*run)(void);
	const char *what;
} tests[] = {
	{ "caps", test_caps, "KVM_TDX_CAPABILITIES" },
	{ "init_vm", test_init_vm_errors, "KVM_TDX_INIT_VM and its errnos" },
	{ "finalize", test_finalize, "KVM_TDX_FINALIZE_VM and the MRTD" },
	{ "keyids", test_keyids, "KeyID exhaustion and reuse" },
	{ "vcpu", test_vcpu, "KVM_TDX_INIT_VCPU and KVM_RUN" },
	{ "vcpu_ioctls", test_vcpu_ioctls, "the other vCPU ioctls on a TD vCPU" },
	{ "assoc", test_assoc, "a TD vCPU moved, and its CPU offline" },
	{ "mem_region", test_mem_region, "KVM_TDX_INIT_MEM_REGION, the MRTD, conversions" },
	{ "mem_teardown", test_mem_teardown, "a TD's memory at teardown" },
	{ "mem_kill", test_mem_kill, "the process killed at each build step" },
	{ "run", test_run, "KVM_RUN: TDVMCALLs and EPT violations" },
	{ "run_irqchip", test_run_irqchip, "KVM_RUN: a TD with an in-kernel irqchip" },
	{ "faults", test_faults, "each build, run and teardown SEAMCALL failing" },
};

int main(int argc, char *argv[])
{
	int i, n = 0;

	test_cases_check_args(tests, argc, argv);

	TEST_REQUIRE(kvm_check_cap(KVM_CAP_VM_TYPES) & (1 << KVM_X86_TDX_VM));
	kvm_fd = open_kvm_dev_path_or_exit();

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
