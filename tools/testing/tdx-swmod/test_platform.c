// SPDX-License-Identifier: GPL-2.0
/*
 * The platform model: presence states, SYS.INFO contents and operand
 * checks, SYS.INIT platform checks, CMRs from RAM, configuration
 * validation, independent instances and sparse memory.
 */
#include <stdlib.h>
#include <string.h>

#include "tlib.h"
#include "tests.h"
#include "swmod_platform.h"
#include "swmod_state.h"

#define OPINV(reg)	(SWMOD_TDX_OPERAND_INVALID | SWMOD_OPERAND_ID_##reg)

static struct env *plain_env(void)
{
	struct swmod_config cfg;
	struct layout l;

	lay_build_catalogue_base(&l);
	env_default_config(&cfg);
	lay_to_config(&l, &cfg);
	return env_new(&cfg, NULL);
}

/* #UD, #GP and VMfailInvalid, each with RAX untouched. */
void test_presence(struct rng *r)
{
	struct env *e = plain_env();
	const struct swmod_stats *s = swmod_get_stats(e->m);
	struct swmod_regs rg = { .rax = SWMOD_TDH_SYS_INIT };

	swmod_set_presence(e->m, SWMOD_MODULE_NOT_LOADED);
	EXPECT_EQ(env_call(e, 0, &rg), SWMOD_VMFAILINVALID);
	EXPECT_EQ(rg.rax, SWMOD_TDH_SYS_INIT);
	EXPECT_EQ(swmod_outcome_status(SWMOD_VMFAILINVALID, rg.rax), 0x8000FF00FFFF0000ULL);

	swmod_set_presence(e->m, SWMOD_SEAM_ABSENT);
	EXPECT_EQ(env_call(e, 0, &rg), SWMOD_FAULT_GP);
	EXPECT_EQ(rg.rax, SWMOD_TDH_SYS_INIT);
	EXPECT_EQ(swmod_outcome_status(SWMOD_FAULT_GP, rg.rax), 0x8000FF000000000DULL);

	/* #UD (no VMX operation) comes before #GP. */
	EXPECT_EQ(swmod_lp_set_vmx(e->m, 1, false), 0);
	EXPECT_EQ(env_call(e, 1, &rg), SWMOD_FAULT_UD);
	EXPECT_EQ(swmod_outcome_status(SWMOD_FAULT_UD, rg.rax), 0x8000FF0000000006ULL);
	EXPECT_EQ(swmod_lp_set_vmx(e->m, 1, true), 0);

	swmod_set_presence(e->m, SWMOD_MODULE_LOADED);
	/* RAX bit 63 targets the P-SEAMLDR, which is not modelled. */
	rg.rax = 1ULL << 63;
	EXPECT_EQ(env_call(e, 0, &rg), SWMOD_VMFAILINVALID);
	EXPECT_EQ(s->vmfailinvalid, 2);
	EXPECT_EQ(s->gp, 1);
	EXPECT_EQ(s->ud, 1);
	EXPECT_EQ(s->calls[SWMOD_TDH_SYS_INIT], 0);
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_INIT, 0, 0, 0, NULL), 0);
	EXPECT_EQ(s->calls[SWMOD_TDH_SYS_INIT], 1);
	env_free(e);
}

/* TDSYSINFO_STRUCT and the CMR array, and each operand rule. */
void test_sys_info(struct rng *r)
{
	struct swmod_config cfg;
	struct layout l;
	struct env *e;
	struct swmod_tdsysinfo si;
	struct swmod_cmr_info cmrs[SWMOD_MAX_CMRS];
	struct swmod_regs rg;
	unsigned int i;

	lay_build_catalogue_base(&l);
	env_default_config(&cfg);
	lay_to_config(&l, &cfg);
	cfg.seamrr_base = 0x80000000ULL;
	cfg.seamrr_size = 0x2000000ULL;
	cfg.cpuid_masks[5].ebx = 0x12345678;
	e = env_new(&cfg, NULL);
	EXPECT_EQ(env_sys_init(e), 0);

	rg.r9 = 32;
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_INFO, SCRATCH_SYSINFO, 1024, SCRATCH_CMRS, &rg), 0);
	uplat_read(e->p, SCRATCH_SYSINFO, &si, sizeof(si));
	uplat_read(e->p, SCRATCH_CMRS, cmrs, sizeof(cmrs));
	EXPECT_EQ(si.vendor_id, 0x8086);
	EXPECT_EQ(si.major_version, 1);
	EXPECT_EQ(si.minor_version, 0);
	EXPECT_EQ(si.max_tdmrs, 64);
	EXPECT_EQ(si.max_reserved_per_tdmr, 16);
	EXPECT_EQ(si.pamt_entry_size, 16);
	EXPECT_EQ(si.tdcs_base_size, 16384);
	EXPECT_EQ(si.tdvps_base_size, 24576);
	EXPECT_EQ(si.attributes_fixed0, 0x8000000050000001ULL);
	EXPECT_EQ(si.xfam_fixed0, 0x6DBE7);
	EXPECT_EQ(si.xfam_fixed1, 3);
	EXPECT_EQ(si.num_cpuid_config, 6);
	EXPECT_EQ(si.cpuid_configs[0].leaf, 1);
	EXPECT_EQ(si.cpuid_configs[0].sub_leaf, 0xFFFFFFFFU);
	EXPECT_EQ(si.cpuid_configs[5].leaf, 7);
	EXPECT_EQ(si.cpuid_configs[5].ebx, 0x12345678);
	for (i = 0; i < SWMOD_MAX_CMRS; i++) {
		EXPECT_EQ(cmrs[i].base, i < l.nr_cmrs ? l.cmrs[i].base : 0);
		EXPECT_EQ(cmrs[i].size, i < l.nr_cmrs ? l.cmrs[i].size : 0);
	}

	rg.r9 = 32;
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_INFO, SCRATCH_SYSINFO + 512, 1024, SCRATCH_CMRS, &rg),
		  OPINV(RCX));
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_INFO, env_pa_keyid(e, SCRATCH_SYSINFO, 16), 1024,
			 SCRATCH_CMRS, &rg), OPINV(RCX));
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_INFO, 0x80000000ULL + 0x1000000, 1024,
			 SCRATCH_CMRS, &rg), OPINV(RCX));
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_INFO, 1ULL << 52, 1024, SCRATCH_CMRS, &rg),
		  OPINV(RCX));
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_INFO, SCRATCH_SYSINFO, 1023, SCRATCH_CMRS, &rg),
		  OPINV(RDX));
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_INFO, SCRATCH_SYSINFO, 1024, SCRATCH_CMRS + 256, &rg),
		  OPINV(R8));
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_INFO, SCRATCH_SYSINFO, 1024,
			 env_pa_keyid(e, SCRATCH_CMRS, 63), &rg), OPINV(R8));
	rg.r9 = 31;
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_INFO, SCRATCH_SYSINFO, 1024, SCRATCH_CMRS, &rg),
		  OPINV(R9));
	/* An MKTME KeyID is fine; the module writes the plain PA. */
	rg.r9 = 32;
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_INFO, env_pa_keyid(e, 0x60000, 3), 1024,
			 SCRATCH_CMRS, &rg), 0);
	uplat_read(e->p, 0x60000, &si, sizeof(si));
	EXPECT_EQ(si.vendor_id, 0x8086);
	env_free(e);
}

static u64 sys_init_with(struct swmod_config *cfg)
{
	struct env *e = env_new(cfg, NULL);
	u64 st = env_sc(e, 0, SWMOD_TDH_SYS_INIT, 0, 0, 0, NULL);

	/* A failed SYS.INIT leaves SYSINIT_PENDING. */
	if (st)
		EXPECT_EQ(swmod_get_sys_state(e->m), SWMOD_SYSINIT_PENDING);
	env_free(e);
	return st;
}

/* The platform checks SYS.INIT models. */
void test_sys_init_checks(struct rng *r)
{
	struct swmod_config cfg, c;
	struct layout l;

	lay_build_catalogue_base(&l);
	env_default_config(&cfg);
	lay_to_config(&l, &cfg);
	EXPECT_EQ(sys_init_with(&cfg), 0);

	c = cfg;
	c.boot_nt4 = true;
	EXPECT_EQ(sys_init_with(&c), SWMOD_TDX_BOOT_NT4_SET);

	c = cfg;
	c.nr_mktme_keyids = 63;
	c.nr_tdx_keyids = 65;	/* last private HKID 128 */
	c.keyid_bits = 8;
	EXPECT_EQ(sys_init_with(&c), SWMOD_TDX_NUM_ACTIVATED_HKIDS_NOT_SUPPORTED);
	c.nr_tdx_keyids = 64;	/* last private HKID 127 */
	EXPECT_EQ(sys_init_with(&c), 0);

	c = cfg;
	c.nr_tdx_keyids = 0;
	EXPECT_EQ(sys_init_with(&c), SWMOD_TDX_INCORRECT_MSR_VALUE | 0x87);

	c = cfg;	/* unsorted */
	c.cmrs[1] = cfg.cmrs[2];
	c.cmrs[2] = cfg.cmrs[1];
	EXPECT_EQ(sys_init_with(&c), SWMOD_TDX_CMR_LIST_INVALID);
	c = cfg;	/* overlapping */
	c.cmrs[1].size += SZ_4K;
	c.cmrs[2].base -= 0;
	c.cmrs[1].base -= 0;
	c.cmrs[2].base = c.cmrs[1].base + c.cmrs[1].size - SZ_4K;
	EXPECT_EQ(sys_init_with(&c), SWMOD_TDX_CMR_LIST_INVALID);
	c = cfg;	/* unaligned */
	c.cmrs[0].size -= 0x10;
	EXPECT_EQ(sys_init_with(&c), SWMOD_TDX_CMR_LIST_INVALID);
	c = cfg;	/* null in the middle */
	c.cmrs[1].size = 0;
	EXPECT_EQ(sys_init_with(&c), SWMOD_TDX_CMR_LIST_INVALID);
	c = cfg;	/* none at all */
	c.nr_cmrs = 0;
	EXPECT_EQ(sys_init_with(&c), SWMOD_TDX_CMR_LIST_INVALID);
	c = cfg;	/* KeyID bits in a CMR */
	c.cmrs[3].base |= 1ULL << 46;
	EXPECT_EQ(sys_init_with(&c), SWMOD_TDX_CMR_LIST_INVALID);
	c = cfg;	/* CMRs may disagree with RAM, even cover the first MiB */
	c.cmrs[0].base = 0;
	c.cmrs[0].size = 2 * SZ_1G;
	EXPECT_EQ(sys_init_with(&c), 0);
}

/* The BIOS view: sorted, 4K-aligned inwards, merged, no first MiB. */
void test_cmrs_from_ram(struct rng *r)
{
	struct swmod_cmr_info cmrs[SWMOD_MAX_CMRS];
	struct swmod_range ram[40];
	unsigned int n, i;
	const struct swmod_range in[] = {
		{ 8 * SZ_1G, 9 * SZ_1G },
		{ 0, 0x9f000 },			/* below 1 MiB: dropped */
		{ 0x100000 - 0x1000, 0x7fff0123 },	/* clipped, end down */
		{ 4 * SZ_1G + 0x10, 6 * SZ_1G },	/* start rounded up */
		{ 6 * SZ_1G, 7 * SZ_1G },		/* adjacent: merged */
		{ 5 * SZ_1G, 5 * SZ_1G + SZ_1M },	/* contained: merged */
		{ 8 * SZ_1G + SZ_1M, 8 * SZ_1G + 2 * SZ_1M },	/* duplicate-ish */
	};

	EXPECT_EQ(swmod_cmrs_from_ram(in, 7, cmrs, &n), 0);
	EXPECT_EQ(n, 3);
	EXPECT_EQ(cmrs[0].base, SZ_1M);
	EXPECT_EQ(cmrs[0].base + cmrs[0].size, 0x7fff0000ULL);
	EXPECT_EQ(cmrs[1].base, 4 * SZ_1G + SZ_4K);
	EXPECT_EQ(cmrs[1].base + cmrs[1].size, 7 * SZ_1G);
	EXPECT_EQ(cmrs[2].base, 8 * SZ_1G);
	EXPECT_EQ(cmrs[2].size, SZ_1G);
	EXPECT_EQ(cmrs[3].size, 0);
	EXPECT_EQ(swmod_check_cmrs(cmrs, SWMOD_MAX_CMRS, 0), SWMOD_TDX_SUCCESS);

	for (i = 0; i < 40; i++) {
		ram[i].start = (u64)(39 - i) * 2 * SZ_1G + 4 * SZ_1G;
		ram[i].end = ram[i].start + SZ_1G;
	}
	EXPECT_EQ(swmod_cmrs_from_ram(ram, 32, cmrs, &n), 0);
	EXPECT_EQ(n, 32);
	EXPECT_EQ(swmod_cmrs_from_ram(ram, 33, cmrs, &n), -ENOSPC);
}

/* swmod_create() refuses impossible platforms. */
void test_config_validation(struct rng *r)
{
	struct swmod_config cfg, c;
	struct swmod_plat *p = uplat_create();
	struct swmod *m = NULL;
	u8 pkg[4] = { 0, 2, 2, 0 };
	u8 pkg8[4] = { 0, 8, 1, 2 };

	env_default_config(&cfg);
	EXPECT_EQ(swmod_create(&cfg, p, &m), 0);
	swmod_destroy(m);

	c = cfg;
	c.nr_lps = 0;
	EXPECT_EQ(swmod_create(&c, p, &m), -EINVAL);
	c = cfg;
	c.lp_pkg = pkg;		/* package 1 has no LP */
	EXPECT_EQ(swmod_create(&c, p, &m), -EINVAL);
	c.lp_pkg = pkg8;	/* MAX_PKGS is 8 */
	EXPECT_EQ(swmod_create(&c, p, &m), -EINVAL);
	c = cfg;
	c.keyid_bits = 5;	/* 15 + 48 KeyIDs need 6 bits */
	EXPECT_EQ(swmod_create(&c, p, &m), -EINVAL);
	c = cfg;
	c.nr_cmrs = 33;
	EXPECT_EQ(swmod_create(&c, p, &m), -EINVAL);
	EXPECT_EQ(swmod_keyid_bits_for(15, 48), 6);
	EXPECT_EQ(swmod_keyid_bits_for(3, 4), 3);
	uplat_destroy(p);
}

/* Two instances never share state. */
void test_independent_instances(struct rng *r)
{
	struct env *a = plain_env(), *b = plain_env();

	EXPECT_EQ(env_sys_init(a), 0);
	EXPECT_EQ(swmod_get_sys_state(a->m), SWMOD_SYSINIT_DONE);
	EXPECT_EQ(swmod_get_sys_state(b->m), SWMOD_SYSINIT_PENDING);
	EXPECT_EQ(swmod_get_stats(b->m)->calls[SWMOD_TDH_SYS_LP_INIT], 0);
	EXPECT_EQ(env_sc(b, 0, SWMOD_TDH_SYS_LP_INIT, 0, 0, 0, NULL),
		  SWMOD_TDX_SYS_LP_INIT_NOT_PENDING);
	EXPECT_EQ(swmod_get_stats(a->m)->calls[SWMOD_TDH_SYS_LP_INIT], 4);
	env_free(a);
	env_free(b);
}

/* Only touched pages are backed; reads of untouched pages cost nothing. */
void test_sparse_memory(struct rng *r)
{
	struct swmod_plat *p = uplat_create();
	u64 v = 0x1122334455667788ULL, got = 1;
	void *va;

	EXPECT_TRUE(swmod_plat_pa_to_va(p, 3 * SZ_1T, false) == NULL);
	EXPECT_EQ(uplat_resident_pages(p), 0);
	uplat_read(p, 3 * SZ_1T, &got, sizeof(got));
	EXPECT_EQ(got, 0);
	EXPECT_EQ(uplat_resident_pages(p), 0);
	uplat_write(p, 3 * SZ_1T + SZ_4K - 4, &v, sizeof(v));	/* straddles */
	EXPECT_EQ(uplat_resident_pages(p), 2);
	uplat_read(p, 3 * SZ_1T + SZ_4K - 4, &got, sizeof(got));
	EXPECT_EQ(got, v);
	va = swmod_plat_pa_to_va(p, 3 * SZ_1T + 0x123, false);
	EXPECT_TRUE(va != NULL);
	EXPECT_EQ(swmod_plat_va_to_pa(p, va), 3 * SZ_1T + 0x123);
	EXPECT_EQ(swmod_plat_va_to_pa(p, &v), ~0ULL);
	EXPECT_TRUE(swmod_plat_pa_to_va(p, 1ULL << 52, true) == NULL);
	uplat_destroy(p);
}
