// SPDX-License-Identifier: GPL-2.0
/*
 * Building trust domains through KVM_MEMORY_ENCRYPT_OP, the 2022 TDX
 * uAPI: KVM_TDX_CAPABILITIES (on /dev/kvm and on a VM), KVM_TDX_INIT_VM
 * and KVM_TDX_FINALIZE_VM with every errno the uAPI gives, the MRTD in
 * debugfs, KeyID exhaustion, and each SEAMCALL of the build and the
 * teardown failing once (the software TDX module's debugfs fault
 * injection): a clean error, the VM as before, and no page or KeyID
 * lost beyond the ones counted as deliberately leaked.
 *
 * Needs kvm_intel with TDX enabled; the fault cases need the software
 * TDX module's debugfs (/sys/kernel/debug/tdx/swmod).  TD vCPUs are not
 * implemented yet: KVM_CREATE_VCPU on a TD fails with EOPNOTSUPP.
 *
 * Usage: tdx_vm_test [TEST...] [-TEST...] (test_cases.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "kvm_util.h"
#include "processor.h"
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

#define EXPECT(cond, err, what)						\
	TEST_ASSERT((cond), "%s: got errno %d (%s), expected %s", what, errno, \
		    strerror(errno), err)
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
	EXPECT_ERR(ioctl(vm, KVM_CREATE_VCPU, 0), EOPNOTSUPP,
		   "KVM_CREATE_VCPU on a TD (not implemented)");
	EXPECT_ERR(tdx_op(vm, KVM_TDX_INIT_VCPU, 0, 0, NULL), EINVAL,
		   "INIT_VCPU on the VM fd");
	EXPECT_ERR(tdx_op(vm, KVM_TDX_INIT_MEM_REGION, 0, 0, NULL), EINVAL,
		   "INIT_MEM_REGION without a vCPU");
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

/* One SEAMCALL failing: which leaf, which call of it, with what. */
struct fault {
	const char *spec;
	bool build;	/* INIT_VM fails (else FINALIZE_VM or teardown) */
	int err;	/* its errno */
};

static const struct fault faults[] = {
	{ "mng_create:1:1", true, EIO },
	{ "mng_key_config:1:1", true, EIO },
	{ "mng_key_config:1:1:0x8000080000000000:entropy", true, EAGAIN },
	{ "mng_addcx:1:1", true, EIO },
	{ "mng_addcx:4:1:0x8000020000000000", true, EBUSY },
	{ "mng_init:1:1", true, EIO },
	{ "mng_init:1:1:0xC000010000000045", true, EINVAL },
	{ "mr_finalize:1:1", false, EIO },
	/* Teardown: retried, nothing lost. */
	{ "mng_vpflushdone:1:1" },
	{ "cache_wb:1:1" },
	{ "cache_wb:1:1:0x8000000300000000" },
	{ "mng_key_freeid:1:1" },
	{ "page_reclaim:1:2:0x8000020000000000" },
	/* A reclaim that fails for good: that page and the TDR leak. */
	{ "page_reclaim:1:1" },
};

static void run_fault(const struct fault *f)
{
	long owned = nr_owned(), leaked = nr_leaked();
	__u64 error = 0;
	int vm = create_td(), r;

	write_str(SWMOD "/fail", "none");
	write_str(SWMOD "/fail", f->spec);
	if (f->build) {
		struct kvm_tdx_init_vm *init = init_vm_arg();

		r = init_vm(vm, init, &error);
		free(init);
		EXPECT_ERR(r, f->err, f->spec);
		TEST_ASSERT(error, "%s: no SEAMCALL status in cmd.error", f->spec);
		TEST_ASSERT(nr_owned() == owned,
			    "%s: the failed INIT_VM left %ld pages owned",
			    f->spec, nr_owned() - owned);
		/* The VM is as before: the build succeeds now. */
		EXPECT_OK(init_vm_ok(vm), f->spec);
	} else if (f->err) {
		EXPECT_OK(init_vm_ok(vm), f->spec);
		r = tdx_op(vm, KVM_TDX_FINALIZE_VM, 0, 0, &error);
		EXPECT_ERR(r, f->err, f->spec);
		TEST_ASSERT(error, "%s: no SEAMCALL status in cmd.error", f->spec);
		EXPECT_OK(tdx_op(vm, KVM_TDX_FINALIZE_VM, 0, 0, NULL), f->spec);
	} else {
		/* Armed before the build: no build leaf is the faulted one. */
		EXPECT_OK(init_vm_ok(vm), f->spec);
	}
	close(vm);
	TEST_ASSERT(nr_owned() - owned == nr_leaked() - leaked,
		    "%s: %ld pages still owned, %ld counted as leaked", f->spec,
		    nr_owned() - owned, nr_leaked() - leaked);
	printf("# %s: errno %d, status %#llx, %ld pages leaked on purpose\n",
	       f->spec, f->build || f->err ? f->err : 0, error,
	       nr_leaked() - leaked);
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
	{ "faults", test_faults, "each build and teardown SEAMCALL failing" },
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
