// SPDX-License-Identifier: GPL-2.0
/*
 * Harness for arch/x86/kvm/vmx/tdx_params.c: KVM_TDX_CAPABILITIES and
 * the TD_PARAMS KVM_TDX_INIT_VM builds, table-driven for each rule of
 * the 2022 uAPI and randomized against the TDX module's own TD_PARAMS
 * rules (the ones TDH.MNG.INIT checks, restated here).  The TDVMCALL
 * cases (tdx_vmcall.c) are in vmcall_test.c.
 */
#include <stdlib.h>
#include <string.h>
#include <errno.h>

#include <linux/kernel.h>

#include "harness.h"
#include "tdx_params.h"
#include "vmcall_test.h"

/* A module like the software one: 1.0 fixed bits, six CPUID configs. */
static void t_sysinfo(struct tdx_td_sysinfo *si)
{
	static const u32 leaves[6][2] = {
		{ 1, TDX_CPUID_NO_SUBLEAF }, { 4, 0 }, { 4, 1 }, { 4, 2 },
		{ 4, 3 }, { 7, 0 },
	};
	unsigned int i;

	memset(si, 0, sizeof(*si));
	si->tdcs_nr_pages = 4;
	si->tdvpx_nr_pages = 5;
	si->attributes_fixed0 = TDX_TD_ATTR_DEBUG | TDX_TD_ATTR_SEPT_VE_DISABLE |
				TDX_TD_ATTR_PKS | TDX_TD_ATTR_KL |
				TDX_TD_ATTR_PERFMON;
	si->attributes_fixed1 = 0;
	si->xfam_fixed0 = 0x6ffULL | TDX_XFAM_LBR | TDX_XFAM_AMX;
	si->xfam_fixed1 = 0x3;
	si->num_cpuid_config = 6;
	for (i = 0; i < 6; i++) {
		si->cpuid_configs[i].leaf = leaves[i][0];
		si->cpuid_configs[i].sub_leaf = leaves[i][1];
		si->cpuid_configs[i].eax = 0x0000ff00 >> i;
		si->cpuid_configs[i].ecx = 0xf0f0f0f0 >> i;
		si->cpuid_configs[i].edx = 0x00ff00ff << i;
	}
}

static void t_host(struct tdx_host_caps *h)
{
	h->supported_xcr0 = 0x2e7;	/* x87 SSE AVX opmask zmm */
	h->supported_xss = 0;
	h->tsc_khz = 2100000;
	h->max_vcpus = 1024;
	h->ept_5level = false;
}

static struct kvm_tdx_init_vm *t_init_vm(void)
{
	struct kvm_tdx_init_vm *init = calloc(1, sizeof(*init));

	ASSERT_TRUE(init);
	init->max_vcpus = 4;
	init->attributes = TDX_TD_ATTR_SEPT_VE_DISABLE;
	return init;
}

static struct kvm_cpuid_entry2 *t_add_cpuid(struct kvm_tdx_init_vm *init,
					    u32 fn, u32 index)
{
	struct kvm_cpuid_entry2 *e = &init->entries[init->cpuid.nent++];

	e->function = fn;
	e->index = index;
	return e;
}

static struct td_params *t_params(void)
{
	struct td_params *p = aligned_alloc(1024, sizeof(*p));

	ASSERT_TRUE(p);
	memset(p, 0xcc, sizeof(*p));	/* the builder must clear it */
	return p;
}

static void test_layout(struct rng *r)
{
	EXPECT_EQ(sizeof(struct kvm_tdx_cmd), 32);
	EXPECT_EQ(sizeof(struct kvm_tdx_init_vm), 16384);
	EXPECT_EQ(offsetof(struct kvm_tdx_init_vm, cpuid), 160);
	EXPECT_EQ(sizeof(struct kvm_tdx_capabilities), 40);
	EXPECT_EQ(sizeof(struct kvm_tdx_cpuid_config), 24);
	EXPECT_EQ(sizeof(struct kvm_tdx_init_mem_region), 24);
	EXPECT_EQ(sizeof(struct td_params), 1024);
	EXPECT_EQ(TDX_INIT_VM_MAX_CPUID, (16384 - 168) / 40);
}

static void test_caps(struct rng *r)
{
	struct tdx_td_sysinfo si;
	struct kvm_tdx_capabilities *caps;
	unsigned int room, i;

	t_sysinfo(&si);
	for (room = 0; room <= 8; room++) {
		caps = calloc(1, sizeof(*caps) +
			      room * sizeof(caps->cpuid_configs[0]));
		ASSERT_TRUE(caps);
		caps->attrs_fixed0 = 0x5a;
		if (room < 6) {
			EXPECT_EQ(tdx_caps_fill(&si, caps, room), -E2BIG);
			EXPECT_EQ(caps->nr_cpuid_configs, 6);
			EXPECT_EQ(caps->attrs_fixed0, 0x5a);	/* untouched */
		} else {
			EXPECT_EQ(tdx_caps_fill(&si, caps, room), 0);
			EXPECT_EQ(caps->nr_cpuid_configs, 6);
			EXPECT_EQ(caps->attrs_fixed0, si.attributes_fixed0);
			EXPECT_EQ(caps->xfam_fixed1, si.xfam_fixed1);
			for (i = 0; i < 6; i++) {
				EXPECT_EQ(caps->cpuid_configs[i].leaf,
					  si.cpuid_configs[i].leaf);
				EXPECT_EQ(caps->cpuid_configs[i].sub_leaf,
					  si.cpuid_configs[i].sub_leaf);
				EXPECT_EQ(caps->cpuid_configs[i].edx,
					  si.cpuid_configs[i].edx);
			}
		}
		free(caps);
	}
}

/* One malformed KVM_TDX_INIT_VM argument per row. */
enum t_shape { S_OK, S_PADDING, S_CPUID_PADDING, S_NENT_MAX, S_NENT_OVER,
	       S_TRAILING, S_LAST_BYTE, S_VCPUS_0, S_VCPUS_MAX, S_VCPUS_OVER };

static void test_init_vm_shape(struct rng *r)
{
	static const struct { enum t_shape s; int want; const char *what; } rows[] = {
		{ S_OK, 0, "well formed" },
		{ S_PADDING, -EINVAL, "padding" },
		{ S_CPUID_PADDING, -EINVAL, "cpuid.padding" },
		{ S_NENT_MAX, 0, "as many entries as fit" },
		{ S_NENT_OVER, -EINVAL, "one entry too many" },
		{ S_TRAILING, -EINVAL, "a byte after the entries" },
		{ S_LAST_BYTE, -EINVAL, "the structure's last byte" },
		{ S_VCPUS_0, -EINVAL, "no vCPU" },
		{ S_VCPUS_MAX, 0, "KVM_MAX_VCPUS vCPUs" },
		{ S_VCPUS_OVER, -EINVAL, "more than KVM_MAX_VCPUS vCPUs" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		struct kvm_tdx_init_vm *init = t_init_vm();
		u8 *b = (u8 *)init;

		t_add_cpuid(init, 1, 0);
		switch (rows[i].s) {
		case S_OK:
			break;
		case S_PADDING:
			init->padding = 1;
			break;
		case S_CPUID_PADDING:
			init->cpuid.padding = 1;
			break;
		case S_NENT_MAX:
			init->cpuid.nent = TDX_INIT_VM_MAX_CPUID;
			break;
		case S_NENT_OVER:
			init->cpuid.nent = TDX_INIT_VM_MAX_CPUID + 1;
			break;
		case S_TRAILING:
			b[offsetof(struct kvm_tdx_init_vm, entries) +
			  sizeof(struct kvm_cpuid_entry2)] = 1;
			break;
		case S_LAST_BYTE:
			b[sizeof(*init) - 1] = 1;
			break;
		case S_VCPUS_0:
			init->max_vcpus = 0;
			break;
		case S_VCPUS_MAX:
			init->max_vcpus = 1024;
			break;
		case S_VCPUS_OVER:
			init->max_vcpus = 1025;
			break;
		}
		if (EXPECT_EQ(tdx_init_vm_check(init, 1024), rows[i].want) == false)
			t_diag("row: %s", rows[i].what);
		free(init);
	}
}

/* One rule of TD_PARAMS per row: what KVM must refuse, or build. */
static void test_params_rules(struct rng *r)
{
	static const struct {
		u64 attr;
		u32 xcr0_lo, xcr0_hi, xss;
		u32 tsc_khz;
		int want;
		const char *what;
	} rows[] = {
		{ TDX_TD_ATTR_SEPT_VE_DISABLE, 0x7, 0, 0, 2100000, 0, "plain" },
		{ TDX_TD_ATTR_PERFMON, 0x3, 0, 0, 2100000, -EOPNOTSUPP, "PERFMON" },
		{ BIT_ULL(5), 0x3, 0, 0, 2100000, -EINVAL, "attribute outside fixed0" },
		{ 0, 0x60003, 0, 0, 2100000, -EOPNOTSUPP, "AMX" },
		{ 0, 0x3, 0, 0x8000, 2100000, -EOPNOTSUPP, "arch LBR" },
		{ 0, 0x3, 0, 0, 87500, 0, "TSC 87.5 MHz rounds to 100" },
		{ 0, 0x3, 0, 0, 87499, -EINVAL, "TSC 87.499 MHz rounds to 75" },
		{ 0, 0x3, 0, 0, 10000000, 0, "TSC 10 GHz" },
		{ 0, 0x3, 0, 0, 10012500, -EINVAL, "TSC above 10 GHz" },
	};
	struct tdx_td_sysinfo si;
	struct tdx_host_caps host;
	unsigned int i;

	t_sysinfo(&si);
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		struct kvm_tdx_init_vm *init = t_init_vm();
		struct td_params *p = t_params();
		struct kvm_cpuid_entry2 *e;
		int got;

		t_host(&host);
		host.tsc_khz = rows[i].tsc_khz;
		host.supported_xss = 0x8000;
		init->attributes = rows[i].attr;
		e = t_add_cpuid(init, 0xd, 0);
		e->eax = rows[i].xcr0_lo;
		e->edx = rows[i].xcr0_hi;
		e = t_add_cpuid(init, 0xd, 1);
		e->ecx = rows[i].xss;
		got = tdx_td_params_build(init, &si, &host, p);
		if (!EXPECT_EQ(got, rows[i].want))
			t_diag("row: %s", rows[i].what);
		free(p);
		free(init);
	}
}

static void test_params_fields(struct rng *r)
{
	struct kvm_tdx_init_vm *init = t_init_vm();
	struct td_params *p = t_params();
	struct tdx_td_sysinfo si;
	struct tdx_host_caps host;
	struct kvm_cpuid_entry2 *e;
	u8 zero[64] = {};

	t_sysinfo(&si);
	t_host(&host);
	init->mrconfigid[0] = 0x1122;
	init->mrowner[5] = 0x3344;
	init->mrownerconfig[2] = 0x5566;
	e = t_add_cpuid(init, 0xd, 0);
	e->eax = 0x7ff;		/* masked by the host's XCR0 */
	e = t_add_cpuid(init, 7, 0);
	e->eax = 0xffffffff;
	e->edx = 0xffffffff;
	e = t_add_cpuid(init, 4, 2);
	e->ecx = 0xffffffff;
	e = t_add_cpuid(init, 0x80000008, 0);
	e->eax = 52;			/* no 5-level EPT: still GPAW 48 */
	ASSERT_EQ(tdx_td_params_build(init, &si, &host, p), 0);
	EXPECT_EQ(p->attributes, TDX_TD_ATTR_SEPT_VE_DISABLE);
	EXPECT_EQ(p->xfam, 0x2e7);
	EXPECT_EQ(p->max_vcpus, 4);
	EXPECT_EQ(p->eptp_controls, 6 | 3 << 3);
	EXPECT_EQ(p->exec_controls, 0);		/* GPAW 48 */
	EXPECT_EQ(p->tsc_frequency, 84);
	EXPECT_EQ(p->mr_config_id[0], 0x1122);
	EXPECT_EQ(p->mr_owner[5], 0x3344);
	EXPECT_EQ(p->mr_owner_config[2], 0x5566);
	EXPECT_EQ(p->cpuid_values[5].eax, si.cpuid_configs[5].eax);
	EXPECT_EQ(p->cpuid_values[5].edx, si.cpuid_configs[5].edx);
	EXPECT_EQ(p->cpuid_values[5].ecx, 0);
	EXPECT_EQ(p->cpuid_values[3].ecx, si.cpuid_configs[3].ecx);
	EXPECT_EQ(p->cpuid_values[2].ecx, 0);	/* leaf 4.1: not given */
	EXPECT_EQ(memcmp(p->reserved0, zero, sizeof(p->reserved0)), 0);
	EXPECT_EQ(memcmp(p->reserved1, zero, sizeof(p->reserved1)), 0);
	EXPECT_EQ(memcmp(p->reserved2, zero, sizeof(p->reserved2)), 0);
	EXPECT_EQ(p->cpuid_values[6].eax | p->cpuid_values[47].edx, 0);

	/* With 5-level EPT, a guest above 48 bits gets GPAW 52. */
	host.ept_5level = true;
	ASSERT_EQ(tdx_td_params_build(init, &si, &host, p), 0);
	EXPECT_EQ(p->eptp_controls, 6 | 4 << 3);
	EXPECT_EQ(p->exec_controls, TDX_EXEC_CONTROL_MAX_GPAW);	/* GPAW 52 */
	/* At 48 bits or below, 4-level EPT even where 5-level exists. */
	e->eax = 48;
	ASSERT_EQ(tdx_td_params_build(init, &si, &host, p), 0);
	EXPECT_EQ(p->eptp_controls, 6 | 3 << 3);
	EXPECT_EQ(p->exec_controls, 0);
	free(p);
	free(init);
}

static bool t_zero(const void *p, size_t len)
{
	const u8 *b = p;

	while (len--)
		if (*b++)
			return false;
	return true;
}

/*
 * The rules TDH.MNG.INIT applies to TD_PARAMS (tdx-module-abi.md 5.5):
 * whatever KVM builds must pass them, or userspace would get a SEAMCALL
 * status where it should get an errno.
 */
static const char *t_module_rejects(const struct td_params *p,
				    const struct tdx_td_sysinfo *si)
{
	u64 pwl = (p->eptp_controls >> 3) & 7;
	unsigned int i;

	if ((p->attributes & ~si->attributes_fixed0) ||
	    (p->attributes & si->attributes_fixed1) != si->attributes_fixed1)
		return "ATTRIBUTES";
	if ((p->xfam & ~si->xfam_fixed0) ||
	    (p->xfam & si->xfam_fixed1) != si->xfam_fixed1)
		return "XFAM";
	if (!p->max_vcpus)
		return "MAX_VCPUS";
	if ((p->eptp_controls & 7) != 6 || (pwl != 3 && pwl != 4) ||
	    (p->eptp_controls & ~0x3fULL))
		return "EPTP_CONTROLS";
	if ((p->exec_controls & ~1ULL) || ((p->exec_controls & 1) && pwl != 4))
		return "EXEC_CONTROLS";
	if (p->tsc_frequency < 4 || p->tsc_frequency > 400)
		return "TSC_FREQUENCY";
	if (!t_zero(p->reserved0, sizeof(p->reserved0)) ||
	    !t_zero(p->reserved1, sizeof(p->reserved1)) ||
	    !t_zero(p->reserved2, sizeof(p->reserved2)))
		return "reserved";
	for (i = 0; i < TDX_MAX_CPUID_CONFIGS; i++) {
		const struct tdx_cpuid_value *v = &p->cpuid_values[i];

		if (i >= si->num_cpuid_config) {
			if (!t_zero(v, sizeof(*v)))
				return "CPUID beyond the configs";
			continue;
		}
		if ((v->eax & ~si->cpuid_configs[i].eax) ||
		    (v->ebx & ~si->cpuid_configs[i].ebx) ||
		    (v->ecx & ~si->cpuid_configs[i].ecx) ||
		    (v->edx & ~si->cpuid_configs[i].edx))
			return "CPUID_CONFIG";
	}
	return NULL;
}

static void test_params_random(struct rng *r)
{
	struct tdx_td_sysinfo si;
	struct tdx_host_caps host;
	unsigned int n, built = 0, refused = 0;

	t_sysinfo(&si);
	for (n = 0; n < 20000; n++) {
		struct kvm_tdx_init_vm *init = t_init_vm();
		struct td_params *p = t_params();
		unsigned int i, nent = rng_range(r, 0, 12);
		const char *why;
		int ret;

		t_host(&host);
		host.tsc_khz = rng_range(r, 0, 11000000);
		host.ept_5level = rng_chance(r, 50);
		host.supported_xss = rng_next(r);
		host.supported_xcr0 = rng_next(r);
		init->attributes = rng_chance(r, 20) ? rng_next(r) :
				   (rng_next(r) & si.attributes_fixed0 &
				    ~TDX_TD_ATTR_PERFMON);
		init->max_vcpus = rng_range(r, 1, 1024);
		for (i = 0; i < nent; i++) {
			static const u32 fns[] = { 1, 4, 7, 0xd, 0x80000008 };
			struct kvm_cpuid_entry2 *e;

			e = t_add_cpuid(init, fns[rng_range(r, 0, 4)],
					rng_range(r, 0, 3));
			e->eax = rng_next(r);
			e->ebx = rng_next(r);
			e->ecx = rng_chance(r, 70) ? 0 : rng_next(r);
			e->edx = rng_chance(r, 70) ? 0 : rng_next(r);
		}
		ret = tdx_td_params_build(init, &si, &host, p);
		if (!ret) {
			built++;
			why = t_module_rejects(p, &si);
			if (why) {
				t_fail(__FILE__, __LINE__,
				       "built TD_PARAMS the module refuses: %s",
				       why);
				n = ~0U - 1;
			}
		} else {
			refused++;
			if (ret != -EINVAL && ret != -EOPNOTSUPP)
				t_fail(__FILE__, __LINE__, "errno %d", ret);
		}
		free(p);
		free(init);
	}
	t_diag("%u built, %u refused", built, refused);
	EXPECT_TRUE(built > 1000 && refused > 1000);
}

const struct test_case all_tests[] = {
	{ "layout", test_layout },
	{ "caps", test_caps },
	{ "init_vm_shape", test_init_vm_shape },
	{ "params_rules", test_params_rules },
	{ "params_fields", test_params_fields },
	{ "params_random", test_params_random },
	{ "vmcall_decode", test_vmcall_decode },
	{ "vmcall_complete", test_vmcall_complete },
	{ "vmcall_exhaustive", test_vmcall_exhaustive },
	{ "vmcall_random", test_vmcall_random },
	{ NULL, NULL },
};
