// SPDX-License-Identifier: GPL-2.0
/*
 * TDH.VP.ENTER: its checks, the register transfer of a TDVMCALL, the
 * exits a test arms (debugfs swmod/vp_exit in the kernel), their
 * syntax and read-out, and exactly-once consumption under threads.
 */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "test_td.h"
#include "swmod_td.h"
#include "swmod_param.h"
#include "test_hooks.h"
#include "tests.h"

#define OPINV_RAX	(SWMOD_TDX_OPERAND_INVALID | SWMOD_OPERAND_ID_RAX)
#define NR_GPRS		SWMOD_VP_EXIT_NR_GPRS

/* ---- helpers --------------------------------------------------------- */

/*
 * VP.ENTER of @tdvpr on @lp with the host's R10..R15 @host (NULL: 0)
 * and junk in every other input register; @out gets the registers.
 */
static u64 vp_enter(struct tdf *f, unsigned int lp, u64 tdvpr,
		    const u64 *host, struct swmod_regs *out)
{
	struct swmod_regs r = {
		.rax = SWMOD_TDH_VP_ENTER, .rcx = tdvpr, .rdx = 0xD0D0,
		.rbx = 0xB0B0, .rsi = 0x5151, .rdi = 0xD1D1, .r8 = 0x8888,
		.r9 = 0x9999,
	};
	enum swmod_outcome o;

	if (host) {
		r.r10 = host[0];
		r.r11 = host[1];
		r.r12 = host[2];
		r.r13 = host[3];
		r.r14 = host[4];
		r.r15 = host[5];
	}
	o = env_call(f->e, lp, &r);
	if (o != SWMOD_SEAMRET)
		t_fail(__FILE__, __LINE__, "VP.ENTER: outcome %d", o);
	if (out)
		*out = r;
	return swmod_outcome_status(o, r.rax);
}

static void out_r10_r15(const struct swmod_regs *r, u64 *v)
{
	v[0] = r->r10;
	v[1] = r->r11;
	v[2] = r->r12;
	v[3] = r->r13;
	v[4] = r->r14;
	v[5] = r->r15;
}

/* Every GPR a TD exit hands back, besides those listed, is 0. */
static void expect_scrubbed(const struct swmod_regs *r, u64 rcx, u64 r8,
			    const u64 *r10_r15)
{
	u64 v[NR_GPRS];
	unsigned int i;

	EXPECT_EQ(r->rcx, rcx);
	EXPECT_EQ(r->r8, r8);
	EXPECT_EQ(r->rdx, 0);
	EXPECT_EQ(r->r9, 0);
	EXPECT_EQ(r->rbx, 0);
	EXPECT_EQ(r->rsi, 0);
	EXPECT_EQ(r->rdi, 0);
	out_r10_r15(r, v);
	for (i = 0; i < NR_GPRS; i++)
		EXPECT_EQ(v[i], r10_r15 ? r10_r15[i] : 0);
}

static int arm(struct tdf *f, const char *spec)
{
	struct swmod_vp_exit x;
	char buf[128];
	int ret;

	strscpy(buf, spec, sizeof(buf));
	ret = swmod_param_parse_vp_exit(buf, &x);
	if (ret)
		return ret;
	return swmod_vp_exit_arm(f->e->m, &x);
}

static struct swmod_vp_exit_info info(struct tdf *f)
{
	struct swmod_vp_exit_info i;

	swmod_vp_exit_info(f->e->m, &i);
	return i;
}

static u64 new_vcpu(struct tdf *f)
{
	u64 tdvpr = tdf_page(f);
	unsigned int i;

	ASSERT_EQ(tdf_sc(f, 0, SWMOD_TDH_VP_CREATE, tdvpr, f->tdr, 0, 0, NULL),
		  0);
	for (i = 0; i < SWMOD_TDVPX_PAGES; i++)
		ASSERT_EQ(tdf_sc(f, 0, SWMOD_TDH_VP_ADDCX, tdf_page(f), tdvpr,
				 0, 0, NULL), 0);
	return tdvpr;
}

/* A finalized TD whose first vCPU was initialized on LP 0. */
static struct tdf *td_runnable(bool debug)
{
	struct tdf *f = tdf_new();

	if (debug)
		f->params.attributes |= SWMOD_ATTR_DEBUG;
	tdf_build(f, S_FINALIZED);
	return f;
}

static u64 guest_gpr(struct tdf *f, u64 tdvpr, unsigned int gpr)
{
	struct swmod_regs out;

	EXPECT_EQ(tdf_sc(f, 0, SWMOD_TDH_VP_RD, tdvpr, SWMOD_MD_GPR(gpr), 0,
			 0, &out), 0);
	return out.r8;
}

/* ---- the checks ------------------------------------------------------ */

static u64 vp2;

/* A second vCPU created, never initialized, then the TD finalized. */
static enum td_stage pre_uninit_vcpu(struct tdf *f)
{
	tdf_build(f, S_VPINIT);
	vp2 = new_vcpu(f);
	ASSERT_EQ(tdf_sc(f, 0, SWMOD_TDH_MR_FINALIZE, f->tdr, 0, 0, 0, NULL),
		  0);
	return S_FINALIZED;
}

static enum td_stage pre_finalized(struct tdf *f)
{
	tdf_build(f, S_FINALIZED);
	return S_FINALIZED;
}

static enum td_stage pre_added(struct tdf *f)
{
	tdf_build(f, S_ADDED);
	return S_ADDED;
}

static enum td_stage pre_flushdone(struct tdf *f)
{
	tdf_build(f, S_FLUSHDONE);
	return S_FLUSHDONE;
}

/* VP.FLUSH on LP 0: associated with no LP, any LP may enter. */
static enum td_stage pre_flushed(struct tdf *f)
{
	tdf_build(f, S_FINALIZED);
	ASSERT_EQ(tdf_sc(f, 0, SWMOD_TDH_VP_FLUSH, f->tdvpr, 0, 0, 0, NULL), 0);
	return S_FINALIZED;
}

static enum td_stage pre_epoch_held(struct tdf *f)
{
	tdf_build(f, S_FINALIZED);
	ASSERT_TRUE(swmod_test_trylock(f->e->m, SWMOD_TEST_LOCK_EPOCH, f->tdr));
	return S_FINALIZED;
}

static enum td_stage pre_tdvpr_held(struct tdf *f)
{
	tdf_build(f, S_FINALIZED);
	ASSERT_TRUE(swmod_test_trylock_pamt(f->e->m, f->tdvpr, false));
	return S_FINALIZED;
}

enum vp_target { T_TDVPR, T_VP2, T_TDR, T_FREE, T_UNALIGNED };

struct vp_rule {
	const char *name;
	enum td_stage (*setup)(struct tdf *f);
	unsigned int lp;
	enum vp_target target;
	u64 expect;
	unsigned int assoc_lp;		/* the vCPU's LP after the call */
};

/*
 * One case per check.  An EPT exit is armed first: a refused entry
 * must not consume it, nor count as entered; an accepted one consumes
 * it (status 48).  Where nothing is armed the answer is OPINV|RAX.
 */
static const struct vp_rule vp_rules[] = {
	{ "enter_ok", pre_finalized, 0, T_TDVPR,
	  SWMOD_TDX_SUCCESS | SWMOD_EXIT_REASON_EPT_VIOLATION, 0 },
	{ "enter_not_finalized", pre_added, 0, T_TDVPR,
	  SWMOD_TDX_TD_NOT_FINALIZED, 0 },
	{ "enter_vcpu_not_initialized", pre_uninit_vcpu, 0, T_VP2,
	  SWMOD_TDX_VCPU_STATE_INCORRECT, SWMOD_LP_NONE },
	{ "enter_other_lp", pre_finalized, 1, T_TDVPR,
	  SWMOD_TDX_VCPU_ASSOCIATED, 0 },
	{ "enter_after_flush_other_lp", pre_flushed, 3, T_TDVPR,
	  SWMOD_TDX_SUCCESS | SWMOD_EXIT_REASON_EPT_VIOLATION, 3 },
	{ "enter_keys_gone", pre_flushdone, 0, T_TDVPR,
	  SWMOD_TDX_TD_KEYS_NOT_CONFIGURED, SWMOD_LP_NONE },
	{ "enter_tdvpr_is_tdr", pre_finalized, 0, T_TDR,
	  SWMOD_TDX_PAGE_METADATA_INCORRECT | SWMOD_OPERAND_ID_RCX, 0 },
	{ "enter_tdvpr_free", pre_finalized, 0, T_FREE,
	  SWMOD_TDX_PAGE_METADATA_INCORRECT | SWMOD_OPERAND_ID_RCX, 0 },
	{ "enter_tdvpr_unaligned", pre_finalized, 0, T_UNALIGNED,
	  SWMOD_TDX_OPERAND_INVALID | SWMOD_OPERAND_ID_RCX, 0 },
	{ "enter_tdvpr_busy", pre_tdvpr_held, 0, T_TDVPR,
	  SWMOD_TDX_OPERAND_BUSY | SWMOD_OPERAND_ID_RCX, 0 },
	{ "enter_epoch_busy", pre_epoch_held, 0, T_TDVPR,
	  SWMOD_TDX_OPERAND_BUSY | SWMOD_OPERAND_ID_TD_EPOCH, 0 },
};

static u64 vp_target(struct tdf *f, enum vp_target t)
{
	switch (t) {
	case T_TDVPR:
		return f->tdvpr;
	case T_VP2:
		return vp2;
	case T_TDR:
		return f->tdr;
	case T_FREE:
		return f->next_page;
	case T_UNALIGNED:
		return f->tdvpr + 8;
	}
	return 0;
}

static u64 vp_assoc_lp(struct tdf *f, u64 tdvpr)
{
	struct swmod_tdvps vp;

	uplat_read(f->e->p, tdvpr, &vp, sizeof(vp));
	return vp.assoc_lp;
}

void test_vp_enter_rules(struct rng *r)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vp_rules); i++) {
		const struct vp_rule *c = &vp_rules[i];
		struct tdf *f = tdf_new();
		struct swmod_regs out;
		bool accepted;
		u64 st, tdvpr;

		c->setup(f);
		tdvpr = vp_target(f, c->target);
		ASSERT_EQ(arm(f, "ept 0x2000 0x181"), 0);
		st = vp_enter(f, c->lp, tdvpr, NULL, &out);
		accepted = !(st & SWMOD_STATUS_ERROR);
		if (st != c->expect)
			t_fail(__FILE__, __LINE__, "%s: status %#llx, want %#llx",
			       c->name, st, c->expect);
		EXPECT_EQ(info(f).entered, accepted);
		EXPECT_EQ(info(f).armed,
			  accepted ? SWMOD_VP_EXIT_NONE : SWMOD_VP_EXIT_EPT);
		if (accepted)
			expect_scrubbed(&out, 0x181, 0x2000, NULL);
		if (c->target == T_TDVPR || c->target == T_VP2)
			EXPECT_EQ(vp_assoc_lp(f, tdvpr), c->assoc_lp);
		if (t_failed())
			t_diag("case %s", c->name);
		tdf_free(f);
	}
	t_diag("%zu VP.ENTER checks", ARRAY_SIZE(vp_rules));
}

/*
 * Association: a vCPU flushed on LP 0 and entered on LP 3 belongs to
 * LP 3 (VP.FLUSH elsewhere is refused, on LP 3 accepted), and counts
 * once among the TD's associated vCPUs (VPFLUSHDONE waits for it).
 */
void test_vp_enter_association(struct rng *r)
{
	struct tdf *f = tdf_new();

	pre_flushed(f);
	EXPECT_EQ(vp_enter(f, 3, f->tdvpr, NULL, NULL), OPINV_RAX);
	EXPECT_EQ(vp_enter(f, 3, f->tdvpr, NULL, NULL), OPINV_RAX);
	EXPECT_EQ(vp_enter(f, 0, f->tdvpr, NULL, NULL),
		  SWMOD_TDX_VCPU_ASSOCIATED);
	EXPECT_EQ(tdf_sc(f, 0, SWMOD_TDH_MNG_VPFLUSHDONE, f->tdr, 0, 0, 0, NULL),
		  SWMOD_TDX_FLUSHVP_NOT_DONE);
	EXPECT_EQ(tdf_sc(f, 0, SWMOD_TDH_VP_FLUSH, f->tdvpr, 0, 0, 0, NULL),
		  SWMOD_TDX_VCPU_NOT_ASSOCIATED);
	EXPECT_EQ(tdf_sc(f, 3, SWMOD_TDH_VP_FLUSH, f->tdvpr, 0, 0, 0, NULL), 0);
	EXPECT_EQ(tdf_sc(f, 0, SWMOD_TDH_MNG_VPFLUSHDONE, f->tdr, 0, 0, 0, NULL),
		  0);
	EXPECT_EQ(info(f).entered, 2);
	tdf_free(f);
}

/* ---- the exits ------------------------------------------------------- */

/*
 * Nothing armed: the entry's first half happens (counted, associated),
 * then OPINV|RAX with every output GPR 0, whatever the host passed.
 */
void test_vp_enter_nothing_armed(struct rng *r)
{
	static const u64 host[NR_GPRS] = { 1, 2, 3, 4, 5, 6 };
	struct tdf *f = td_runnable(false);
	struct swmod_regs out;
	struct swmod_vp_exit_info i;

	EXPECT_EQ(vp_enter(f, 0, f->tdvpr, host, &out), OPINV_RAX);
	expect_scrubbed(&out, 0, 0, NULL);
	EXPECT_EQ(out.rbp, 0);		/* untouched: the input was 0 */
	i = info(f);
	EXPECT_EQ(i.armed, SWMOD_VP_EXIT_NONE);
	EXPECT_EQ(i.entered, 1);
	/* No TDVMCALL pending: the host's registers reach no guest. */
	EXPECT_EQ(i.guest[0], 0);
	EXPECT_EQ(i.guest[5], 0);
	tdf_free(f);
}

/*
 * A TDVMCALL exit, then its answer:
 *   entry 1: status 77, RCX = mask, the selected R10..R15 out, the
 *            others 0; the guest's registers before the exit read out
 *   entry 2: nothing armed (consumed once); the host's R10, R12 and
 *            R15 go into the guest, R11, R13, R14 keep the guest's
 *   entry 3: answered already: the host's registers are not copied
 */
void test_vp_enter_tdvmcall(struct rng *r)
{
	static const u64 host[NR_GPRS] = {
		0xA0, 0xA1, 0xA2, 0xA3, 0xA4, 0xA5,
	};
	static const u64 other[NR_GPRS] = { 7, 7, 7, 7, 7, 7 };
	const u64 mask = BIT_ULL(2) | BIT_ULL(10) | BIT_ULL(12) | BIT_ULL(15);
	const u64 want_out[NR_GPRS] = { 0x10, 0, 0x12, 0, 0, 0x15 };
	const u64 want_guest[NR_GPRS] = { 0xA0, 0x11, 0xA2, 0x13, 0x14, 0xA5 };
	struct tdf *f = td_runnable(true);
	struct swmod_vp_exit_info i;
	struct swmod_regs out;
	unsigned int k;

	ASSERT_EQ(arm(f, "tdvmcall 0x9404 0x10 0x11 0x12 0x13 0x14 0x15\n"), 0);
	EXPECT_EQ(info(f).armed, SWMOD_VP_EXIT_TDVMCALL);
	EXPECT_EQ(vp_enter(f, 0, f->tdvpr, other, &out),
		  SWMOD_TDX_SUCCESS | SWMOD_EXIT_REASON_TDCALL);
	expect_scrubbed(&out, mask, 0, want_out);
	i = info(f);
	EXPECT_EQ(i.armed, SWMOD_VP_EXIT_NONE);
	EXPECT_EQ(i.entered, 1);
	for (k = 0; k < NR_GPRS; k++)
		EXPECT_EQ(i.guest[k], 0);
	/* The guest state of the exit (a debug TD shows its GPRs). */
	EXPECT_EQ(guest_gpr(f, f->tdvpr, 1), mask);
	EXPECT_EQ(guest_gpr(f, f->tdvpr, 11), 0x11);

	EXPECT_EQ(vp_enter(f, 0, f->tdvpr, host, &out), OPINV_RAX);
	expect_scrubbed(&out, 0, 0, NULL);
	i = info(f);
	EXPECT_EQ(i.entered, 2);
	for (k = 0; k < NR_GPRS; k++)
		EXPECT_EQ(i.guest[k], want_guest[k]);
	EXPECT_EQ(guest_gpr(f, f->tdvpr, 0), 0);	/* TDVMCALL status */

	EXPECT_EQ(vp_enter(f, 0, f->tdvpr, other, &out), OPINV_RAX);
	i = info(f);
	EXPECT_EQ(i.entered, 3);
	for (k = 0; k < NR_GPRS; k++)
		EXPECT_EQ(i.guest[k], want_guest[k]);
	tdf_free(f);
}

/*
 * An EPT violation exit: RCX = qualification, R8 = GPA, nothing else.
 * Armed while a TDVMCALL is pending, the entry still answers the
 * TDVMCALL first; a mask of 0 selects nothing.
 */
void test_vp_enter_ept(struct rng *r)
{
	static const u64 host[NR_GPRS] = { 1, 2, 3, 4, 5, 6 };
	struct tdf *f = td_runnable(false);
	struct swmod_vp_exit_info i;
	struct swmod_regs out;

	ASSERT_EQ(arm(f, "ept 0x7fff000 0x184"), 0);
	EXPECT_EQ(vp_enter(f, 0, f->tdvpr, host, &out),
		  SWMOD_TDX_SUCCESS | SWMOD_EXIT_REASON_EPT_VIOLATION);
	expect_scrubbed(&out, 0x184, 0x7fff000, NULL);

	ASSERT_EQ(arm(f, "tdvmcall 0x0c00 9 9 9 9 9 9"), 0);
	EXPECT_EQ(vp_enter(f, 0, f->tdvpr, NULL, &out),
		  SWMOD_TDX_SUCCESS | SWMOD_EXIT_REASON_TDCALL);
	ASSERT_EQ(arm(f, "ept 0x1000 0x181"), 0);
	EXPECT_EQ(vp_enter(f, 0, f->tdvpr, host, &out),
		  SWMOD_TDX_SUCCESS | SWMOD_EXIT_REASON_EPT_VIOLATION);
	expect_scrubbed(&out, 0x181, 0x1000, NULL);
	i = info(f);
	EXPECT_EQ(i.guest[0], 1);		/* R10, R11 answered */
	EXPECT_EQ(i.guest[1], 2);
	EXPECT_EQ(i.guest[2], 9);
	EXPECT_EQ(i.entered, 3);

	ASSERT_EQ(arm(f, "tdvmcall 0 1 2 3 4 5 6"), 0);
	EXPECT_EQ(vp_enter(f, 0, f->tdvpr, host, &out),
		  SWMOD_TDX_SUCCESS | SWMOD_EXIT_REASON_TDCALL);
	expect_scrubbed(&out, 0, 0, NULL);
	tdf_free(f);
}

/* ---- the debugfs syntax ---------------------------------------------- */

struct vp_parse_case {
	const char *spec;
	int ret;
	enum swmod_vp_exit_kind kind;
	u64 a, b;			/* mask and R15, or GPA and QUAL */
};

static const struct vp_parse_case vp_parse_cases[] = {
	{ "none", 0, SWMOD_VP_EXIT_NONE },
	{ "none\n", 0, SWMOD_VP_EXIT_NONE },
	{ "ept 0x1000 0x181", 0, SWMOD_VP_EXIT_EPT, 0x1000, 0x181 },
	{ "ept 0x1000 0x181\n", 0, SWMOD_VP_EXIT_EPT, 0x1000, 0x181 },
	{ "  ept\t010  7 ", 0, SWMOD_VP_EXIT_EPT, 8, 7 },
	{ "ept 0xffffffffffffffff 0", 0, SWMOD_VP_EXIT_EPT, ~0ULL, 0 },
	{ "tdvmcall 0xfc00 1 2 3 4 5 6", 0, SWMOD_VP_EXIT_TDVMCALL, 0xfc00, 6 },
	{ "tdvmcall 0xffec 1 2 3 4 5 0x66\n", 0, SWMOD_VP_EXIT_TDVMCALL, 0xffec, 0x66 },
	{ "tdvmcall 0 0 0 0 0 0 0", 0, SWMOD_VP_EXIT_TDVMCALL, 0, 0 },
	{ "", -EINVAL },
	{ "\n", -EINVAL },
	{ "   ", -EINVAL },
	{ "bogus", -EINVAL },
	{ "NONE", -EINVAL },
	{ "none 1", -EINVAL },
	{ "none\n\n", -EINVAL },
	{ "ept", -EINVAL },
	{ "ept 1", -EINVAL },
	{ "ept 1 2 3", -EINVAL },
	{ "ept x 2", -EINVAL },
	{ "ept 0x 2", -EINVAL },
	{ "ept -1 2", -EINVAL },
	{ "ept 1 0x10000000000000000", -EINVAL },
	{ "ept 1\n2", -EINVAL },
	{ "ept,1,2", -EINVAL },
	{ "tdvmcall", -EINVAL },
	{ "tdvmcall 0x400 1 2 3 4 5", -EINVAL },
	{ "tdvmcall 0x400 1 2 3 4 5 6 7", -EINVAL },
	{ "tdvmcall 0x10000 1 2 3 4 5 6", -EINVAL },
	{ "tdvmcall 0x1 1 2 3 4 5 6", -EINVAL },	/* RAX */
	{ "tdvmcall 0x2 1 2 3 4 5 6", -EINVAL },	/* RCX */
	{ "tdvmcall 0x10 1 2 3 4 5 6", -EINVAL },	/* RSP */
	{ "tdvmcall 0x400 1 2 3 4 5 z", -EINVAL },
	{ "tdvmcall 0x400 1 2 3 4 5 6 ept", -EINVAL },
};

void test_vp_exit_parse(struct rng *r)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vp_parse_cases); i++) {
		const struct vp_parse_case *c = &vp_parse_cases[i];
		struct swmod_vp_exit x = { .kind = SWMOD_VP_EXIT_EPT, .gpa = 99 };
		char buf[128];
		int ret;

		strscpy(buf, c->spec, sizeof(buf));
		ret = swmod_param_parse_vp_exit(buf, &x);
		if (ret != c->ret) {
			t_fail(__FILE__, __LINE__, "'%s': %d, want %d", c->spec,
			       ret, c->ret);
			continue;
		}
		if (ret) {
			/* A refused write changes nothing. */
			EXPECT_EQ(x.gpa, 99);
			continue;
		}
		EXPECT_EQ(x.kind, c->kind);
		if (c->kind == SWMOD_VP_EXIT_EPT) {
			EXPECT_EQ(x.gpa, c->a);
			EXPECT_EQ(x.qual, c->b);
		} else if (c->kind == SWMOD_VP_EXIT_TDVMCALL) {
			EXPECT_EQ(x.mask, c->a);
			EXPECT_EQ(x.gpr[5], c->b);
		}
	}
	t_diag("%zu vp_exit writes", ARRAY_SIZE(vp_parse_cases));
}

/*
 * Arming: one exit at a time (-EBUSY), "none" disarms (also when
 * nothing is armed), a consumed exit makes room; a bad kind or mask
 * is refused by the engine too.  The read-out is exact.
 */
void test_vp_exit_arm(struct rng *r)
{
	struct tdf *f = td_runnable(false);
	struct swmod_vp_exit bad = { .kind = SWMOD_VP_EXIT_TDVMCALL,
				     .mask = BIT_ULL(4) };
	struct swmod_vp_exit_info i = {
		.armed = SWMOD_VP_EXIT_TDVMCALL, .entered = 12345,
		.guest = { 0, 1, 0xabc, 0xffffffffffffffffULL, 0x10, 0x7 },
	};
	char buf[256];

	EXPECT_EQ(arm(f, "none"), 0);
	EXPECT_EQ(arm(f, "ept 1 2"), 0);
	EXPECT_EQ(arm(f, "ept 3 4"), -EBUSY);
	EXPECT_EQ(arm(f, "tdvmcall 0x400 1 2 3 4 5 6"), -EBUSY);
	EXPECT_EQ(info(f).armed, SWMOD_VP_EXIT_EPT);
	EXPECT_EQ(arm(f, "none"), 0);
	EXPECT_EQ(info(f).armed, SWMOD_VP_EXIT_NONE);
	EXPECT_EQ(vp_enter(f, 0, f->tdvpr, NULL, NULL), OPINV_RAX);
	EXPECT_EQ(arm(f, "tdvmcall 0x400 1 2 3 4 5 6"), 0);
	EXPECT_EQ(vp_enter(f, 0, f->tdvpr, NULL, NULL),
		  SWMOD_TDX_SUCCESS | SWMOD_EXIT_REASON_TDCALL);
	EXPECT_EQ(arm(f, "ept 3 4"), 0);
	EXPECT_EQ(swmod_vp_exit_arm(f->e->m, &bad), -EINVAL);
	bad.kind = 7;
	bad.mask = 0;
	EXPECT_EQ(swmod_vp_exit_arm(f->e->m, &bad), -EINVAL);
	EXPECT_EQ(info(f).armed, SWMOD_VP_EXIT_EPT);

	EXPECT_EQ(swmod_vp_exit_format(&i, buf, sizeof(buf)), strlen(buf));
	EXPECT_EQ(strcmp(buf, "armed tdvmcall\nentered 12345\n"
		  "guest r10=0x0 r11=0x1 r12=0xabc r13=0xffffffffffffffff r14=0x10 r15=0x7\n"),
		  0);
	swmod_vp_exit_info(f->e->m, &i);
	swmod_vp_exit_format(&i, buf, sizeof(buf));
	/* Entry 2 took the TDVMCALL: read out before the exit's values. */
	EXPECT_EQ(strcmp(buf, "armed ept\nentered 2\n"
		  "guest r10=0x0 r11=0x0 r12=0x0 r13=0x0 r14=0x0 r15=0x0\n"), 0);
	if (t_failed())
		t_diag("read-out: %s", buf);
	tdf_free(f);
}

/* ---- threads --------------------------------------------------------- */

#define VP_THREADS	4
#define VP_EXITS	2000

struct vp_thread {
	struct tdf *f;
	pthread_barrier_t *start;
	unsigned int lp;
	u64 tdvpr;
	const int *stop;
	u64 entries, exits, sum, bad;
};

static void *vp_thread_fn(void *arg)
{
	struct vp_thread *t = arg;

	uplat_set_thread_lp(t->lp);
	pthread_barrier_wait(t->start);
	while (!__atomic_load_n(t->stop, __ATOMIC_ACQUIRE)) {
		struct swmod_regs r = { .rax = SWMOD_TDH_VP_ENTER,
					.rcx = t->tdvpr };
		u64 st;

		if (swmod_seamcall(t->f->e->m, &r) != SWMOD_SEAMRET) {
			t->bad = ~0ULL;
			break;
		}
		st = r.rax;
		t->entries++;
		if (st == (SWMOD_TDX_SUCCESS | SWMOD_EXIT_REASON_EPT_VIOLATION)) {
			t->exits++;
			t->sum += r.r8;
		} else if (st == (SWMOD_TDX_SUCCESS | SWMOD_EXIT_REASON_TDCALL)) {
			t->exits++;
			t->sum += r.r10;
		} else if (st != OPINV_RAX) {
			t->bad = st;
			break;
		}
	}
	uplat_set_thread_lp(-1);
	return NULL;
}

/*
 * Four vCPUs, each entered in a loop on its own LP, while this thread
 * arms 2000 exits one after the other (retrying on -EBUSY): every
 * exit is returned exactly once (count and sum of the payloads), and
 * every entry was counted.
 */
void test_vp_enter_threads(struct rng *r)
{
	struct vp_thread th[VP_THREADS] = {};
	pthread_t tid[VP_THREADS];
	pthread_barrier_t start;
	struct tdf *f = tdf_new();
	u64 want = 0, exits = 0, sum = 0, entries = 0, busy = 0;
	unsigned int i, n;
	int stop = 0;

	tdf_build(f, S_VPINIT);
	th[0].tdvpr = f->tdvpr;
	for (i = 1; i < VP_THREADS; i++) {
		th[i].tdvpr = new_vcpu(f);
		ASSERT_EQ(tdf_sc(f, i, SWMOD_TDH_VP_INIT, th[i].tdvpr, 0, 0, 0,
				 NULL), 0);
	}
	ASSERT_EQ(tdf_sc(f, 0, SWMOD_TDH_MR_FINALIZE, f->tdr, 0, 0, 0, NULL),
		  0);

	pthread_barrier_init(&start, NULL, VP_THREADS + 1);
	for (i = 0; i < VP_THREADS; i++) {
		th[i].f = f;
		th[i].start = &start;
		th[i].lp = i;
		th[i].stop = &stop;
		pthread_create(&tid[i], NULL, vp_thread_fn, &th[i]);
	}
	pthread_barrier_wait(&start);
	for (n = 1; n <= VP_EXITS; n++) {
		struct swmod_vp_exit x = { .kind = SWMOD_VP_EXIT_EPT, .gpa = n };

		if (n & 1) {
			x.kind = SWMOD_VP_EXIT_TDVMCALL;
			x.mask = BIT_ULL(SWMOD_GPR_R10);
			x.gpr[0] = n;
		}
		while (swmod_vp_exit_arm(f->e->m, &x) == -EBUSY)
			busy++;
		want += n;
	}
	/* The last one is taken too before the threads stop. */
	while (info(f).armed != SWMOD_VP_EXIT_NONE)
		;
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	for (i = 0; i < VP_THREADS; i++) {
		pthread_join(tid[i], NULL);
		if (th[i].bad)
			t_fail(__FILE__, __LINE__, "LP %u: status %#llx", i,
			       th[i].bad);
		exits += th[i].exits;
		sum += th[i].sum;
		entries += th[i].entries;
	}
	pthread_barrier_destroy(&start);
	EXPECT_EQ(exits, VP_EXITS);
	EXPECT_EQ(sum, want);
	EXPECT_EQ(info(f).entered, entries);
	t_diag("%llu entries, %llu exits, %llu arm retries", entries, exits,
	       busy);
	tdf_free(f);
}
