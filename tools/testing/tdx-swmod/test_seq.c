// SPDX-License-Identifier: GPL-2.0
/*
 * Sequencing: the state machine and its gate, LP/package bookkeeping
 * with CPUs going offline and online, TDMR.INIT progress and PAMT
 * contents, fault injection, counters and concurrency.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "tlib.h"
#include "tests.h"
#include "test_hooks.h"

#define OPINV(reg)	(SWMOD_TDX_OPERAND_INVALID | SWMOD_OPERAND_ID_##reg)

static struct env *base_env(struct layout *l)
{
	struct swmod_config cfg;

	lay_build_catalogue_base(l);
	env_default_config(&cfg);
	lay_to_config(l, &cfg);
	return env_new(&cfg, NULL);
}

static u64 sysinfo(struct env *e, unsigned int lp)
{
	struct swmod_regs r = { .r9 = SWMOD_MAX_CMRS };

	return env_sc(e, lp, SWMOD_TDH_SYS_INFO, SCRATCH_SYSINFO, SWMOD_TDSYSINFO_SIZE,
		      SCRATCH_CMRS, &r);
}

/*
 * SYSINIT_PENDING -> SYSINIT_DONE -> SYSCONFIG_DONE -> SYS_READY ->
 * SYS_SHUTDOWN, with every leaf tried in the states where it must fail.
 */
void test_state_machine(struct rng *r)
{
	struct layout l;
	struct env *e = base_env(&l);
	const struct swmod_stats *s = swmod_get_stats(e->m);

	/* SYSINIT_PENDING */
	EXPECT_EQ(swmod_get_sys_state(e->m), SWMOD_SYSINIT_PENDING);
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_LP_INIT, 0, 0, 0, NULL),
		  SWMOD_TDX_SYS_LP_INIT_NOT_PENDING);
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_CONFIG, 1, 0, 0, NULL),
		  SWMOD_TDX_SYS_CONFIG_NOT_PENDING);
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_KEY_CONFIG, 0, 0, 0, NULL),
		  SWMOD_TDX_SYS_KEY_CONFIG_NOT_PENDING);
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_TDMR_INIT, 0, 0, 0, NULL),
		  SWMOD_TDX_SYS_NOT_READY);
	EXPECT_EQ(sysinfo(e, 0), SWMOD_TDX_SYS_LP_INIT_NOT_DONE);
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_MNG_CREATE, 0, 0, 0, NULL),
		  SWMOD_TDX_SYS_NOT_READY);
	/* Gate before decode: an unknown RAX is "not ready" here. */
	EXPECT_EQ(env_sc(e, 0, 200, 0, 0, 0, NULL), SWMOD_TDX_SYS_NOT_READY);
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_INIT | (1ULL << 16), 0, 0, 0, NULL),
		  SWMOD_TDX_SYS_NOT_READY);
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_INIT, 1, 0, 0, NULL), OPINV(RCX));
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_INIT, 1ULL << 63, 0, 0, NULL), OPINV(RCX));
	EXPECT_EQ(swmod_get_sys_state(e->m), SWMOD_SYSINIT_PENDING);

	/* SYSINIT_DONE */
	EXPECT_EQ(env_sc(e, 2, SWMOD_TDH_SYS_INIT, 0, 0, 0, NULL), 0);
	EXPECT_EQ(swmod_get_sys_state(e->m), SWMOD_SYSINIT_DONE);
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_INIT, 0, 0, 0, NULL),
		  SWMOD_TDX_SYS_INIT_NOT_PENDING);
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_KEY_CONFIG, 0, 0, 0, NULL),
		  SWMOD_TDX_SYS_KEY_CONFIG_NOT_PENDING);
	EXPECT_EQ(sysinfo(e, 1), SWMOD_TDX_SYS_LP_INIT_NOT_DONE);
	EXPECT_EQ(env_sc(e, 1, SWMOD_TDH_SYS_LP_INIT, 0, 0, 0, NULL), 0);
	EXPECT_EQ(sysinfo(e, 1), 0);
	EXPECT_EQ(sysinfo(e, 0), SWMOD_TDX_SYS_LP_INIT_NOT_DONE);
	EXPECT_EQ(env_sc(e, 1, SWMOD_TDH_SYS_LP_INIT, 0, 0, 0, NULL),
		  SWMOD_TDX_SYS_LP_INIT_DONE);
	EXPECT_EQ(lay_submit(e, &l), SWMOD_TDX_SYS_CONFIG_NOT_PENDING);
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_LP_INIT, 0, 0, 0, NULL), 0);
	EXPECT_EQ(env_sc(e, 2, SWMOD_TDH_SYS_LP_INIT, 0, 0, 0, NULL), 0);
	EXPECT_EQ(lay_submit(e, &l), SWMOD_TDX_SYS_CONFIG_NOT_PENDING);
	EXPECT_EQ(env_sc(e, 3, SWMOD_TDH_SYS_LP_INIT, 0, 0, 0, NULL), 0);
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_TDMR_INIT, 0, 0, 0, NULL),
		  SWMOD_TDX_SYS_NOT_READY);

	/* SYSCONFIG_DONE */
	EXPECT_EQ(lay_submit(e, &l), 0);
	EXPECT_EQ(swmod_get_sys_state(e->m), SWMOD_SYSCONFIG_DONE);
	EXPECT_EQ(env_sc(e, 1, SWMOD_TDH_SYS_LP_INIT, 0, 0, 0, NULL),
		  SWMOD_TDX_SYS_LP_INIT_NOT_PENDING);
	EXPECT_EQ(lay_submit(e, &l), SWMOD_TDX_SYS_CONFIG_NOT_PENDING);
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_INIT, 0, 0, 0, NULL),
		  SWMOD_TDX_SYS_INIT_NOT_PENDING);
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_TDMR_INIT, 0, 0, 0, NULL),
		  SWMOD_TDX_SYS_NOT_READY);
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_KEY_CONFIG, 0, 0, 0, NULL), 0);
	EXPECT_EQ(swmod_get_sys_state(e->m), SWMOD_SYSCONFIG_DONE);
	/* Same package again: the non-error TDX_KEY_CONFIGURED. */
	EXPECT_EQ(env_sc(e, 1, SWMOD_TDH_SYS_KEY_CONFIG, 0, 0, 0, NULL),
		  SWMOD_TDX_KEY_CONFIGURED);
	EXPECT_EQ(env_sc(e, 3, SWMOD_TDH_SYS_KEY_CONFIG, 0, 0, 0, NULL), 0);

	/* SYS_READY */
	EXPECT_EQ(swmod_get_sys_state(e->m), SWMOD_SYS_READY);
	EXPECT_EQ(env_sc(e, 2, SWMOD_TDH_SYS_KEY_CONFIG, 0, 0, 0, NULL),
		  SWMOD_TDX_SYS_KEY_CONFIG_NOT_PENDING);
	EXPECT_EQ(env_sc(e, 0, 200, 0, 0, 0, NULL), OPINV(RAX));
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_RD, 0, 0, 0, NULL), OPINV(RAX));
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_RDALL, 0, 0, 0, NULL), OPINV(RAX));
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_MEM_SEPT_WR, 0, 0, 0, NULL), OPINV(RAX));
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_INFO | (1ULL << 16), 0, 0, 0, NULL), OPINV(RAX));
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_INFO | (1ULL << 40), 0, 0, 0, NULL), OPINV(RAX));
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_MNG_KEY_RECLAIMID, 0, 0, 0, NULL), 0);
	EXPECT_EQ(s->unimplemented, 0);
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_MEM_PAGE_DEMOTE, 0, 0, 0, NULL), OPINV(RAX));
	EXPECT_EQ(s->unimplemented, 1);
	EXPECT_EQ(sysinfo(e, 3), 0);

	/* SYS_SHUTDOWN */
	EXPECT_EQ(env_sc(e, 3, SWMOD_TDH_SYS_LP_SHUTDOWN, 0, 0, 0, NULL), 0);
	EXPECT_EQ(swmod_get_sys_state(e->m), SWMOD_SYS_SHUTDOWN);
	EXPECT_EQ(sysinfo(e, 0), SWMOD_TDX_SYS_SHUTDOWN);
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_TDMR_INIT, 0, 0, 0, NULL), SWMOD_TDX_SYS_SHUTDOWN);
	EXPECT_EQ(env_sc(e, 0, 200, 0, 0, 0, NULL), SWMOD_TDX_SYS_SHUTDOWN);
	{
		struct swmod_regs rg = { .rax = SWMOD_TDH_SYS_INFO };

		EXPECT_EQ(env_call(e, 3, &rg), SWMOD_VMFAILINVALID);
		EXPECT_EQ(rg.rax, SWMOD_TDH_SYS_INFO);
	}
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_LP_SHUTDOWN, 0, 0, 0, NULL), 0);
	{
		struct swmod_regs rg = { .rax = SWMOD_TDH_SYS_LP_SHUTDOWN };

		EXPECT_EQ(env_call(e, 0, &rg), SWMOD_VMFAILINVALID);
	}
	EXPECT_EQ(s->calls[SWMOD_TDH_SYS_LP_SHUTDOWN], 2);
	env_free(e);
}

/* Handlers write only their documented outputs. */
void test_register_preservation(struct rng *r)
{
	struct layout l;
	struct env *e = base_env(&l);
	struct swmod_regs rg, want;

	memset(&rg, 0x5a, sizeof(rg));
	rg.rax = SWMOD_TDH_SYS_INIT;
	rg.rcx = 0;
	want = rg;
	want.rax = 0;
	want.rcx = want.rdx = want.r8 = want.r9 = want.r10 = 0;
	EXPECT_EQ(env_call(e, 0, &rg), SWMOD_SEAMRET);
	EXPECT_TRUE(!memcmp(&rg, &want, sizeof(rg)));

	/* Outputs are zeroed even when the leaf fails. */
	memset(&rg, 0x5a, sizeof(rg));
	rg.rax = SWMOD_TDH_SYS_INIT;
	rg.rcx = 0;
	want = rg;
	want.rax = SWMOD_TDX_SYS_INIT_NOT_PENDING;
	want.rcx = want.rdx = want.r8 = want.r9 = want.r10 = 0;
	EXPECT_EQ(env_call(e, 0, &rg), SWMOD_SEAMRET);
	EXPECT_TRUE(!memcmp(&rg, &want, sizeof(rg)));

	memset(&rg, 0x33, sizeof(rg));
	rg.rax = SWMOD_TDH_SYS_LP_INIT;
	want = rg;
	want.rax = 0;
	want.rcx = want.rdx = want.r8 = 0;
	EXPECT_EQ(env_call(e, 0, &rg), SWMOD_SEAMRET);
	EXPECT_TRUE(!memcmp(&rg, &want, sizeof(rg)));

	/* SYS.INFO: RDX = 1024, R9 = 32, RCX and R8 untouched. */
	memset(&rg, 0x11, sizeof(rg));
	rg.rax = SWMOD_TDH_SYS_INFO;
	rg.rcx = SCRATCH_SYSINFO;
	rg.rdx = 4096;
	rg.r8 = SCRATCH_CMRS;
	rg.r9 = 100;
	want = rg;
	want.rax = 0;
	want.rdx = SWMOD_TDSYSINFO_SIZE;
	want.r9 = SWMOD_MAX_CMRS;
	EXPECT_EQ(env_call(e, 0, &rg), SWMOD_SEAMRET);
	EXPECT_TRUE(!memcmp(&rg, &want, sizeof(rg)));

	/* A gate failure touches nothing but RAX. */
	memset(&rg, 0x77, sizeof(rg));
	rg.rax = SWMOD_TDH_SYS_TDMR_INIT;
	want = rg;
	want.rax = SWMOD_TDX_SYS_NOT_READY;
	EXPECT_EQ(env_call(e, 0, &rg), SWMOD_SEAMRET);
	EXPECT_TRUE(!memcmp(&rg, &want, sizeof(rg)));
	env_free(e);
}

/*
 * CPUs going offline and online.  The module never sees it: per-LP
 * state survives; an offline LP cannot call; SYS.CONFIG waits for
 * every LP; SYS_READY waits for every package.
 */
void test_lp_offline_online(struct rng *r)
{
	struct layout l;
	struct env *e = base_env(&l);
	struct swmod_regs rg = { .rax = SWMOD_TDH_SYS_LP_INIT };

	EXPECT_EQ(swmod_nr_lps(e->m), 4);
	EXPECT_EQ(swmod_nr_pkgs(e->m), 2);
	EXPECT_EQ(swmod_lp_pkg(e->m, 2), 1);
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_INIT, 0, 0, 0, NULL), 0);
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_LP_INIT, 0, 0, 0, NULL), 0);
	EXPECT_EQ(env_sc(e, 1, SWMOD_TDH_SYS_LP_INIT, 0, 0, 0, NULL), 0);
	EXPECT_EQ(env_sc(e, 2, SWMOD_TDH_SYS_LP_INIT, 0, 0, 0, NULL), 0);

	EXPECT_EQ(swmod_lp_set_online(e->m, 3, false), 0);
	EXPECT_EQ(env_call(e, 3, &rg), SWMOD_LP_OFFLINE);
	EXPECT_EQ(lay_submit(e, &l), SWMOD_TDX_SYS_CONFIG_NOT_PENDING);
	EXPECT_EQ(swmod_lp_set_online(e->m, 3, true), 0);
	EXPECT_EQ(env_sc(e, 3, SWMOD_TDH_SYS_LP_INIT, 0, 0, 0, NULL), 0);

	/* LP 1 goes away and comes back: still initialized. */
	EXPECT_EQ(swmod_lp_set_online(e->m, 1, false), 0);
	EXPECT_EQ(swmod_lp_set_online(e->m, 1, true), 0);
	EXPECT_EQ(env_sc(e, 1, SWMOD_TDH_SYS_LP_INIT, 0, 0, 0, NULL),
		  SWMOD_TDX_SYS_LP_INIT_DONE);
	EXPECT_EQ(sysinfo(e, 1), 0);

	/* An offline LP still counts as initialized for SYS.CONFIG. */
	EXPECT_EQ(swmod_lp_set_online(e->m, 1, false), 0);
	EXPECT_EQ(lay_submit(e, &l), 0);

	/* Package 1 entirely offline: the module cannot become ready. */
	EXPECT_EQ(swmod_lp_set_online(e->m, 2, false), 0);
	EXPECT_EQ(swmod_lp_set_online(e->m, 3, false), 0);
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_KEY_CONFIG, 0, 0, 0, NULL), 0);
	EXPECT_EQ(swmod_get_sys_state(e->m), SWMOD_SYSCONFIG_DONE);
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_TDMR_INIT, 0, 0, 0, NULL), SWMOD_TDX_SYS_NOT_READY);
	EXPECT_EQ(swmod_lp_set_online(e->m, 3, true), 0);
	EXPECT_EQ(env_sc(e, 3, SWMOD_TDH_SYS_KEY_CONFIG, 0, 0, 0, NULL), 0);
	EXPECT_EQ(swmod_get_sys_state(e->m), SWMOD_SYS_READY);
	EXPECT_EQ(env_sc(e, 3, SWMOD_TDH_SYS_LP_INIT, 0, 0, 0, NULL),
		  SWMOD_TDX_SYS_LP_INIT_NOT_PENDING);
	EXPECT_EQ(swmod_lp_set_online(e->m, 9, true), -EINVAL);
	env_free(e);
}

/*
 * An LP the BIOS did not enable (a CPU hot-added after boot): SYS.CONFIG
 * does not wait for it, and any SEAMCALL on it raises #GP, before and
 * after init.  Its package is not counted.
 */
void test_lp_not_enabled(struct rng *r)
{
	static const bool enabled[4] = { true, true, true, false };
	static const u8 pkg[4] = { 0, 0, 1, 7 };
	struct swmod_regs rg = { .rax = SWMOD_TDH_SYS_LP_INIT };
	struct swmod_config cfg;
	const struct swmod_stats *st;
	struct layout l;
	struct env *e;

	lay_build_catalogue_base(&l);
	env_default_config(&cfg);
	lay_to_config(&l, &cfg);
	cfg.lp_enabled = enabled;
	e = env_new(&cfg, pkg);
	EXPECT_EQ(swmod_nr_lps(e->m), 4);
	EXPECT_EQ(swmod_nr_enabled_lps(e->m), 3);
	EXPECT_EQ(swmod_nr_pkgs(e->m), 2);

	EXPECT_EQ(env_call(e, 3, &rg), SWMOD_FAULT_GP);
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_INIT, 0, 0, 0, NULL), 0);
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_LP_INIT, 0, 0, 0, NULL), 0);
	EXPECT_EQ(env_sc(e, 1, SWMOD_TDH_SYS_LP_INIT, 0, 0, 0, NULL), 0);
	/* LP 2 missing: SYS.CONFIG still waits for the enabled ones. */
	EXPECT_EQ(lay_submit(e, &l), SWMOD_TDX_SYS_CONFIG_NOT_PENDING);
	EXPECT_EQ(env_sc(e, 2, SWMOD_TDH_SYS_LP_INIT, 0, 0, 0, NULL), 0);
	EXPECT_EQ(lay_submit(e, &l), 0);
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_KEY_CONFIG, 0, 0, 0, NULL), 0);
	EXPECT_EQ(env_sc(e, 2, SWMOD_TDH_SYS_KEY_CONFIG, 0, 0, 0, NULL), 0);
	EXPECT_EQ(env_sc(e, 1, SWMOD_TDH_SYS_KEY_CONFIG, 0, 0, 0, NULL),
		  SWMOD_TDX_SYS_KEY_CONFIG_NOT_PENDING);
	EXPECT_EQ(swmod_get_sys_state(e->m), SWMOD_SYS_READY);
	rg.rax = SWMOD_TDH_SYS_INFO;
	EXPECT_EQ(env_call(e, 3, &rg), SWMOD_FAULT_GP);

	st = swmod_get_stats(e->m);
	EXPECT_EQ(st->gp, 2);
	EXPECT_EQ(st->key_config_calls[0], 1);
	EXPECT_EQ(st->key_config_done[0], 1);
	EXPECT_EQ(st->key_config_calls[1], 1);
	EXPECT_EQ(st->key_config_done[1], 1);
	env_free(e);

	/* No enabled LP at all is not a platform. */
	{
		static const bool none[4];
		struct swmod *m;

		cfg.lp_enabled = none;
		cfg.lp_pkg = pkg;
		EXPECT_EQ(swmod_create(&cfg, NULL, &m), -EINVAL);
	}
}

/*
 * An LP removed from the platform (ACPI eject) after init: whatever
 * comes back under its index is unknown to the module (#GP), is no
 * longer counted, and the others keep working.  Removing it again, or
 * an index out of range, fails.
 */
void test_lp_remove(struct rng *r)
{
	struct swmod_regs rg = { .rax = SWMOD_TDH_SYS_INFO };
	struct layout l;
	struct env *e = base_env(&l);

	ASSERT_EQ(env_sys_init(e), 0);
	ASSERT_EQ(lay_submit(e, &l), 0);
	ASSERT_EQ(env_key_config_all(e), 0);
	ASSERT_EQ(swmod_get_sys_state(e->m), SWMOD_SYS_READY);
	EXPECT_EQ(swmod_nr_enabled_lps(e->m), 4);

	EXPECT_EQ(swmod_lp_remove(e->m, 1), 0);
	EXPECT_EQ(swmod_nr_enabled_lps(e->m), 3);
	EXPECT_EQ(env_call(e, 1, &rg), SWMOD_FAULT_GP);
	rg.rax = SWMOD_TDH_SYS_LP_INIT;
	EXPECT_EQ(env_call(e, 1, &rg), SWMOD_FAULT_GP);
	EXPECT_EQ(swmod_lp_remove(e->m, 1), -ENODEV);
	EXPECT_EQ(swmod_lp_remove(e->m, 64), -EINVAL);
	EXPECT_EQ(sysinfo(e, 0), 0);
	EXPECT_EQ(sysinfo(e, 3), 0);
	EXPECT_EQ(swmod_get_stats(e->m)->gp, 2);
	env_free(e);

	/* Removed before SYS.CONFIG: no longer waited for. */
	e = base_env(&l);
	ASSERT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_INIT, 0, 0, 0, NULL), 0);
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_LP_INIT, 0, 0, 0, NULL), 0);
	EXPECT_EQ(env_sc(e, 1, SWMOD_TDH_SYS_LP_INIT, 0, 0, 0, NULL), 0);
	EXPECT_EQ(env_sc(e, 2, SWMOD_TDH_SYS_LP_INIT, 0, 0, 0, NULL), 0);
	EXPECT_EQ(swmod_lp_remove(e->m, 1), 0);
	EXPECT_EQ(lay_submit(e, &l), SWMOD_TDX_SYS_CONFIG_NOT_PENDING);
	EXPECT_EQ(env_sc(e, 3, SWMOD_TDH_SYS_LP_INIT, 0, 0, 0, NULL), 0);
	EXPECT_EQ(lay_submit(e, &l), 0);
	env_free(e);
}

/*
 * The partial-write erratum's reset: the range reads back as zeroes,
 * the bytes around it are untouched, and the count adds up.
 */
void test_reset_memory(struct rng *r)
{
	static const u64 base = 0x200000;
	struct layout l;
	struct env *e = base_env(&l);
	u8 buf[3 * 4096];
	unsigned int i;
	bool zero = true;

	uplat_fill(e->p, base - 4096, 0xa5, sizeof(buf) + 4096);
	swmod_reset_memory(e->m, base, 4096);
	uplat_read(e->p, base - 4096, buf, sizeof(buf));
	for (i = 4096; i < 8192; i++)
		zero &= buf[i] == 0;
	EXPECT_TRUE(zero);
	EXPECT_EQ(buf[4095], 0xa5);
	EXPECT_EQ(buf[8192], 0xa5);
	swmod_reset_memory(e->m, base + 8192, 64);
	uplat_read(e->p, base + 8192, buf, 65);
	EXPECT_EQ(buf[0] | buf[63], 0);
	EXPECT_EQ(buf[64], 0xa5);
	EXPECT_EQ(swmod_get_stats(e->m)->reset_bytes, 4096 + 64);
	env_free(e);
}

/* Per-package KEY.CONFIG counts with an entropy failure and a retry. */
void test_key_config_per_package(struct rng *r)
{
	struct swmod_fault f = {
		.leaf = SWMOD_TDH_SYS_KEY_CONFIG, .point = SWMOD_FAULT_AT_ENTROPY,
		.nth = 2, .times = 1, .status = SWMOD_TDX_KEY_GENERATION_FAILED,
	};
	const struct swmod_stats *st;
	struct layout l;
	struct env *e = base_env(&l);

	ASSERT_EQ(swmod_inject_fault(e->m, &f), 0);
	ASSERT_EQ(env_sys_init(e), 0);
	ASSERT_EQ(lay_submit(e, &l), 0);
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_KEY_CONFIG, 0, 0, 0, NULL), 0);
	EXPECT_EQ(env_sc(e, 2, SWMOD_TDH_SYS_KEY_CONFIG, 0, 0, 0, NULL),
		  SWMOD_TDX_KEY_GENERATION_FAILED);
	EXPECT_EQ(swmod_get_sys_state(e->m), SWMOD_SYSCONFIG_DONE);
	EXPECT_EQ(env_sc(e, 3, SWMOD_TDH_SYS_KEY_CONFIG, 0, 0, 0, NULL), 0);
	EXPECT_EQ(swmod_get_sys_state(e->m), SWMOD_SYS_READY);
	st = swmod_get_stats(e->m);
	EXPECT_EQ(st->key_config_calls[0], 1);
	EXPECT_EQ(st->key_config_done[0], 1);
	EXPECT_EQ(st->key_config_calls[1], 2);
	EXPECT_EQ(st->key_config_done[1], 1);
	EXPECT_EQ(st->injected, 1);
	env_free(e);
}

/*
 * A module handed over by a previous kernel (kexec): ready at once,
 * SYS.INIT and LP.INIT refused, SYS.INFO works, no TDMR known.
 */
void test_handover_ready(struct rng *r)
{
	struct swmod_config cfg;
	struct layout l;
	struct env *e;

	lay_build_catalogue_base(&l);
	env_default_config(&cfg);
	lay_to_config(&l, &cfg);
	cfg.handover_ready = true;
	e = env_new(&cfg, NULL);
	EXPECT_EQ(swmod_get_sys_state(e->m), SWMOD_SYS_READY);
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_INIT, 0, 0, 0, NULL),
		  SWMOD_TDX_SYS_INIT_NOT_PENDING);
	EXPECT_EQ(env_sc(e, 1, SWMOD_TDH_SYS_LP_INIT, 0, 0, 0, NULL),
		  SWMOD_TDX_SYS_LP_INIT_NOT_PENDING);
	EXPECT_EQ(lay_submit(e, &l), SWMOD_TDX_SYS_CONFIG_NOT_PENDING);
	EXPECT_EQ(env_sc(e, 2, SWMOD_TDH_SYS_KEY_CONFIG, 0, 0, 0, NULL),
		  SWMOD_TDX_SYS_KEY_CONFIG_NOT_PENDING);
	EXPECT_EQ(sysinfo(e, 3), 0);
	EXPECT_EQ(swmod_nr_tdmrs(e->m), 0);
	env_free(e);
}

static struct env *ready_env(struct layout *l)
{
	struct env *e = base_env(l);

	ASSERT_EQ(env_sys_init(e), 0);
	ASSERT_EQ(lay_submit(e, l), 0);
	ASSERT_EQ(env_key_config_all(e), 0);
	ASSERT_EQ(swmod_get_sys_state(e->m), SWMOD_SYS_READY);
	return e;
}

static void expect_pt(struct env *e, u64 pa, int ps, int pt)
{
	struct swmod_pamt_entry ent;

	memset(&ent, 0xee, sizeof(ent));
	if (!EXPECT_EQ(swmod_pamt_read(e->m, pa, ps, &ent), 0))
		return;
	if (!EXPECT_EQ(ent.pt, pt))
		t_diag("pa %#llx level %d", pa, ps);
	EXPECT_EQ(ent.lock, 0);
	EXPECT_EQ(ent.bepoch, 0);
}

/*
 * TDH.SYS.TDMR.INIT: 4 MiB per call, RDX = next rounded down to 1 GiB,
 * progress per TDMR, ALREADY_INITIALIZED at the end, genuine entries.
 */
void test_tdmr_init_progress(struct rng *r)
{
	struct layout l;
	struct env *e = ready_env(&l);
	const struct swmod_stats *s = swmod_get_stats(e->m);
	struct swmod_tdmr_info *t1 = &l.tdmrs[1];
	struct swmod_regs rg;
	u64 n, st, base, size, next, garbage;
	u64 idx5g = (SZ_1G >> 12) * 16;

	/* Host PAMT memory is not zeroed: pre-fill TDMR1's 4K PAMT. */
	uplat_fill(e->p, t1->pamt_4k_base, 0xaa, t1->pamt_4k_size);

	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_TDMR_INIT, 4 * SZ_1G + SZ_4K, 0, 0, NULL), OPINV(RCX));
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_TDMR_INIT, 8 * SZ_1G, 0, 0, NULL), OPINV(RCX));
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_TDMR_INIT, 4 * SZ_1G | (1ULL << 46), 0, 0, NULL),
		  OPINV(RCX));
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_TDMR_INIT, 1ULL << 52, 0, 0, NULL), OPINV(RCX));

	for (n = 1; n <= 256; n++) {
		st = env_sc(e, 1, SWMOD_TDH_SYS_TDMR_INIT, 4 * SZ_1G, 0, 0, &rg);
		if (!EXPECT_EQ(st, 0) ||
		    !EXPECT_EQ(rg.rdx, (4 * SZ_1G + n * SZ_4M) & ~(SZ_1G - 1)))
			break;
	}
	EXPECT_EQ(rg.rdx, 5 * SZ_1G);
	EXPECT_TRUE(swmod_pa_initialized(e->m, 4 * SZ_1G + SZ_1G - 1));
	EXPECT_TRUE(!swmod_pa_initialized(e->m, 5 * SZ_1G));
	EXPECT_TRUE(!swmod_pa_initialized(e->m, 0));
	expect_pt(e, 4 * SZ_1G, SWMOD_PS_4K, SWMOD_PT_NDA);
	expect_pt(e, 5 * SZ_1G - SZ_4K, SWMOD_PS_4K, SWMOD_PT_NDA);
	expect_pt(e, 4 * SZ_1G, SWMOD_PS_1G, SWMOD_PT_NDA);
	{
		struct swmod_pamt_entry ent;

		EXPECT_EQ(swmod_pamt_read(e->m, 5 * SZ_1G, SWMOD_PS_4K, &ent), -EAGAIN);
		EXPECT_EQ(swmod_pamt_read(e->m, 13 * SZ_1G, SWMOD_PS_4K, &ent), -ENOENT);
	}
	/* Entries beyond the progress point are still the host's garbage. */
	uplat_read(e->p, t1->pamt_4k_base + idx5g, &garbage, sizeof(garbage));
	EXPECT_EQ(garbage, 0xaaaaaaaaaaaaaaaaULL);

	/* Progress is per TDMR. */
	for (n = 1; n <= 10; n++)
		EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_TDMR_INIT, 0, 0, 0, &rg), 0);
	EXPECT_EQ(rg.rdx, 0);
	EXPECT_EQ(swmod_tdmr_progress(e->m, 0, &base, &size, &next), 0);
	EXPECT_EQ(next, 10 * SZ_4M);
	EXPECT_EQ(swmod_tdmr_progress(e->m, 1, &base, &size, &next), 0);
	EXPECT_EQ(next, 5 * SZ_1G);

	/* The per-TDMR lock: another LP holds it. */
	EXPECT_TRUE(swmod_test_trylock_tdmr(e->m, 1));
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_TDMR_INIT, 4 * SZ_1G, 0, 0, NULL),
		  SWMOD_TDX_OPERAND_BUSY | SWMOD_OPERAND_ID_RCX);
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_TDMR_INIT, 0, 0, 0, NULL), 0);
	swmod_test_unlock_tdmr(e->m, 1);

	/* Finish TDMR1: 8 GiB = 2048 calls in all. */
	for (n = 257; n <= 2048; n++) {
		st = env_sc(e, 1, SWMOD_TDH_SYS_TDMR_INIT, 4 * SZ_1G, 0, 0, &rg);
		if (!EXPECT_EQ(st, 0))
			break;
	}
	EXPECT_EQ(rg.rdx, 12 * SZ_1G);
	rg.rdx = 0;
	EXPECT_EQ(env_sc(e, 1, SWMOD_TDH_SYS_TDMR_INIT, 4 * SZ_1G, 0, 0, &rg),
		  SWMOD_TDX_TDMR_ALREADY_INITIALIZED);
	EXPECT_EQ(rg.rdx, 12 * SZ_1G);
	EXPECT_TRUE(!(SWMOD_TDX_TDMR_ALREADY_INITIALIZED & SWMOD_STATUS_ERROR));

	/* Reserved [5G, 5G+2M) and the PAMT block at 8G-16M are PT_RSVD. */
	expect_pt(e, 5 * SZ_1G, SWMOD_PS_4K, SWMOD_PT_RSVD);
	expect_pt(e, 5 * SZ_1G + SZ_2M - SZ_4K, SWMOD_PS_4K, SWMOD_PT_RSVD);
	expect_pt(e, 5 * SZ_1G + SZ_2M, SWMOD_PS_4K, SWMOD_PT_NDA);
	expect_pt(e, 5 * SZ_1G, SWMOD_PS_2M, SWMOD_PT_NDA);
	expect_pt(e, 8 * SZ_1G - 16 * SZ_1M - SZ_4K, SWMOD_PS_4K, SWMOD_PT_NDA);
	expect_pt(e, 8 * SZ_1G - 16 * SZ_1M, SWMOD_PS_4K, SWMOD_PT_RSVD);
	expect_pt(e, 8 * SZ_1G + 16 * SZ_1M + 64 * 1024, SWMOD_PS_4K, SWMOD_PT_RSVD);
	expect_pt(e, 8 * SZ_1G + 16 * SZ_1M + 68 * 1024, SWMOD_PS_4K, SWMOD_PT_NDA);
	expect_pt(e, 12 * SZ_1G - SZ_4K, SWMOD_PS_4K, SWMOD_PT_NDA);
	expect_pt(e, 11 * SZ_1G, SWMOD_PS_1G, SWMOD_PT_NDA);
	uplat_read(e->p, t1->pamt_4k_base + idx5g, &garbage, sizeof(garbage));
	EXPECT_EQ(garbage, (u64)SWMOD_PT_RSVD << 16);

	/* Finish TDMR0 with the kernel's loop. */
	do {
		st = env_sc(e, 0, SWMOD_TDH_SYS_TDMR_INIT, 0, 0, 0, &rg);
	} while (!st && rg.rdx < 4 * SZ_1G);
	EXPECT_EQ(st, 0);
	expect_pt(e, 0, SWMOD_PS_4K, SWMOD_PT_RSVD);
	expect_pt(e, SZ_1M - SZ_4K, SWMOD_PS_4K, SWMOD_PT_RSVD);
	expect_pt(e, SZ_1M, SWMOD_PS_4K, SWMOD_PT_NDA);
	expect_pt(e, 3 * SZ_1G, SWMOD_PS_4K, SWMOD_PT_RSVD);
	expect_pt(e, 3 * SZ_1G, SWMOD_PS_2M, SWMOD_PT_NDA);
	EXPECT_EQ(s->calls[SWMOD_TDH_SYS_TDMR_INIT], 4 + 256 + 10 + 2 + 1792 + 1 + 1024 - 11);
	EXPECT_EQ(s->dropped_writes, 0);
	env_free(e);
}

/* Nth call of leaf X returns S; entropy failures; lock contention. */
void test_fault_injection(struct rng *r)
{
	struct layout l;
	struct env *e = base_env(&l);
	const struct swmod_stats *s = swmod_get_stats(e->m);
	struct swmod_fault f = { 0 };

	f.leaf = SWMOD_TDH_SYS_INIT;
	f.nth = 0;
	EXPECT_EQ(swmod_inject_fault(e->m, &f), -EINVAL);

	/* RDRAND failure in SYS.INIT: 1.0 reports TDX_SYS_BUSY; retry. */
	f.leaf = SWMOD_TDH_SYS_INIT;
	f.point = SWMOD_FAULT_AT_ENTROPY;
	f.nth = 1;
	f.status = SWMOD_TDX_SYS_BUSY;
	EXPECT_EQ(swmod_inject_fault(e->m, &f), 0);
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_INIT, 0, 0, 0, NULL), SWMOD_TDX_SYS_BUSY);
	EXPECT_EQ(swmod_get_sys_state(e->m), SWMOD_SYSINIT_PENDING);
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_INIT, 0, 0, 0, NULL), 0);
	swmod_clear_faults(e->m);

	/* The 2nd LP.INIT is refused as busy, with no effect. */
	f.leaf = SWMOD_TDH_SYS_LP_INIT;
	f.point = SWMOD_FAULT_AT_ENTRY;
	f.nth = 2;
	f.status = SWMOD_TDX_SYS_BUSY;
	EXPECT_EQ(swmod_inject_fault(e->m, &f), 0);
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_LP_INIT, 0, 0, 0, NULL), 0);
	EXPECT_EQ(env_sc(e, 1, SWMOD_TDH_SYS_LP_INIT, 0, 0, 0, NULL), SWMOD_TDX_SYS_BUSY);
	EXPECT_EQ(env_sc(e, 1, SWMOD_TDH_SYS_LP_INIT, 0, 0, 0, NULL), 0);
	EXPECT_EQ(env_sc(e, 2, SWMOD_TDH_SYS_LP_INIT, 0, 0, 0, NULL), 0);
	EXPECT_EQ(env_sc(e, 3, SWMOD_TDH_SYS_LP_INIT, 0, 0, 0, NULL), 0);
	EXPECT_EQ(s->calls[SWMOD_TDH_SYS_LP_INIT], 5);
	EXPECT_EQ(s->errors[SWMOD_TDH_SYS_LP_INIT], 1);

	/* Global lock contention, real this time. */
	EXPECT_TRUE(swmod_test_trylock_global(e->m, false));
	EXPECT_EQ(lay_submit(e, &l), SWMOD_TDX_SYS_BUSY);
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_LP_INIT, 0, 0, 0, NULL),
		  SWMOD_TDX_SYS_LP_INIT_DONE);	/* shared: no contention */
	swmod_test_unlock_global(e->m, false);
	EXPECT_TRUE(swmod_test_trylock_global(e->m, true));
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_LP_INIT, 0, 0, 0, NULL), SWMOD_TDX_SYS_BUSY);
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_INIT, 0, 0, 0, NULL), SWMOD_TDX_SYS_BUSY);
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_LP_SHUTDOWN, 0, 0, 0, NULL), SWMOD_TDX_SYS_BUSY);
	EXPECT_EQ(lay_submit(e, &l), SWMOD_TDX_SYS_BUSY);
	swmod_test_unlock_global(e->m, true);
	EXPECT_EQ(lay_submit(e, &l), 0);

	EXPECT_TRUE(swmod_test_trylock_global(e->m, true));
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_KEY_CONFIG, 0, 0, 0, NULL), SWMOD_TDX_SYS_BUSY);
	swmod_test_unlock_global(e->m, true);

	/*
	 * PCONFIG entropy failures in KEY.CONFIG: calls 2 and 3 of the
	 * leaf fail, the package stays unconfigured, the retry succeeds.
	 */
	swmod_clear_faults(e->m);
	f.leaf = SWMOD_TDH_SYS_KEY_CONFIG;
	f.point = SWMOD_FAULT_AT_ENTROPY;
	f.nth = 2;
	f.times = 2;
	f.status = SWMOD_TDX_KEY_GENERATION_FAILED;
	EXPECT_EQ(swmod_inject_fault(e->m, &f), 0);
	f.nth = 4;
	f.times = 1;
	f.status = SWMOD_TDX_OPERAND_BUSY | SWMOD_OPERAND_ID_KET;
	EXPECT_EQ(swmod_inject_fault(e->m, &f), 0);
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_KEY_CONFIG, 0, 0, 0, NULL),
		  SWMOD_TDX_KEY_GENERATION_FAILED);
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_KEY_CONFIG, 0, 0, 0, NULL),
		  SWMOD_TDX_KEY_GENERATION_FAILED);
	EXPECT_EQ(env_sc(e, 1, SWMOD_TDH_SYS_KEY_CONFIG, 0, 0, 0, NULL),
		  SWMOD_TDX_OPERAND_BUSY | SWMOD_OPERAND_ID_KET);
	EXPECT_EQ(env_sc(e, 1, SWMOD_TDH_SYS_KEY_CONFIG, 0, 0, 0, NULL), 0);
	/* The entropy point is after the "already configured" check. */
	f.nth = 6;
	f.status = SWMOD_TDX_KEY_GENERATION_FAILED;
	EXPECT_EQ(swmod_inject_fault(e->m, &f), 0);
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_KEY_CONFIG, 0, 0, 0, NULL),
		  SWMOD_TDX_KEY_CONFIGURED);
	EXPECT_EQ(s->injected, 1 + 1 + 2 + 1);
	EXPECT_EQ(swmod_get_sys_state(e->m), SWMOD_SYSCONFIG_DONE);
	EXPECT_EQ(env_sc(e, 2, SWMOD_TDH_SYS_KEY_CONFIG, 0, 0, 0, NULL), 0);
	EXPECT_EQ(swmod_get_sys_state(e->m), SWMOD_SYS_READY);

	/* Any status can be injected at entry, e.g. on TDMR.INIT. */
	f.leaf = SWMOD_TDH_SYS_TDMR_INIT;
	f.point = SWMOD_FAULT_AT_ENTRY;
	f.nth = 1;
	f.times = 1;
	f.status = SWMOD_TDX_OPERAND_BUSY | SWMOD_OPERAND_ID_RCX;
	EXPECT_EQ(swmod_inject_fault(e->m, &f), 0);
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_TDMR_INIT, 0, 0, 0, NULL), f.status);
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_TDMR_INIT, 0, 0, 0, NULL), 0);

	while (swmod_inject_fault(e->m, &f) == 0)
		;
	EXPECT_EQ(swmod_inject_fault(e->m, &f), -ENOSPC);
	swmod_reset_stats(e->m);
	EXPECT_EQ(s->calls[SWMOD_TDH_SYS_TDMR_INIT], 0);
	env_free(e);
}

struct thr {
	struct env *e;
	unsigned int lp;
	u64 busy;
	u64 st;
};

static void *lp_init_thread(void *arg)
{
	struct thr *t = arg;
	struct swmod_regs rg = { .rax = SWMOD_TDH_SYS_LP_INIT };

	uplat_set_thread_lp(t->lp);
	swmod_seamcall(t->e->m, &rg);
	t->st = rg.rax;
	uplat_set_thread_lp(-1);
	return NULL;
}

static void *key_config_thread(void *arg)
{
	struct thr *t = arg;
	struct swmod_regs rg;

	uplat_set_thread_lp(t->lp);
	do {
		memset(&rg, 0, sizeof(rg));
		rg.rax = SWMOD_TDH_SYS_KEY_CONFIG;
		swmod_seamcall(t->e->m, &rg);
		if (rg.rax == SWMOD_TDX_SYS_BUSY)
			t->busy++;
	} while (rg.rax == SWMOD_TDX_SYS_BUSY);
	t->st = rg.rax;
	uplat_set_thread_lp(-1);
	return NULL;
}

/*
 * LP.INIT from 32 threads at once (shared lock), then KEY.CONFIG from
 * all of them (exclusive lock, retried on TDX_SYS_BUSY): exactly one
 * success per package.
 */
void test_concurrency(struct rng *r)
{
	struct swmod_config cfg;
	struct layout l;
	u8 pkg[32];
	struct thr th[32];
	pthread_t tid[32];
	unsigned int i, ok = 0, configured = 0;
	struct env *e;

	lay_build_catalogue_base(&l);
	env_default_config(&cfg);
	lay_to_config(&l, &cfg);
	cfg.nr_lps = 32;
	for (i = 0; i < 32; i++)
		pkg[i] = i % 8;
	e = env_new(&cfg, pkg);
	EXPECT_EQ(swmod_nr_pkgs(e->m), 8);
	EXPECT_EQ(env_sc(e, 0, SWMOD_TDH_SYS_INIT, 0, 0, 0, NULL), 0);

	for (i = 0; i < 32; i++) {
		th[i] = (struct thr){ .e = e, .lp = i };
		pthread_create(&tid[i], NULL, lp_init_thread, &th[i]);
	}
	for (i = 0; i < 32; i++) {
		pthread_join(tid[i], NULL);
		EXPECT_EQ(th[i].st, 0);
	}
	EXPECT_EQ(lay_submit(e, &l), 0);

	for (i = 0; i < 32; i++) {
		th[i] = (struct thr){ .e = e, .lp = i };
		pthread_create(&tid[i], NULL, key_config_thread, &th[i]);
	}
	for (i = 0; i < 32; i++) {
		pthread_join(tid[i], NULL);
		if (th[i].st == 0)
			ok++;
		else if (th[i].st == SWMOD_TDX_KEY_CONFIGURED ||
			 th[i].st == SWMOD_TDX_SYS_KEY_CONFIG_NOT_PENDING)
			configured++;
		else
			EXPECT_EQ(th[i].st, 0);
	}
	EXPECT_EQ(ok, 8);
	EXPECT_EQ(ok + configured, 32);
	EXPECT_EQ(swmod_get_sys_state(e->m), SWMOD_SYS_READY);
	env_free(e);
}
