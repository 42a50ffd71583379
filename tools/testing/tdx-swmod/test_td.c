// SPDX-License-Identifier: GPL-2.0
/*
 * TD lifecycle tests: the rule catalogue of the TD leaves (one case per
 * rule, exact status and operand id), a full lifecycle that gives every
 * page back, MRTD against an independent SHA-384, lock contention, fault
 * injection, and random operation sequences checked against a model.
 */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <linux/kernel.h>

#include "test_td.h"
#include "swmod_platform.h"
#include "swmod_param.h"
#include "test_hooks.h"
#include "../selftests/kvm/include/x86_64/sha384.h"
#include "tests.h"

#define OPINV(reg)	(SWMOD_TDX_OPERAND_INVALID | SWMOD_OPERAND_ID_##reg)
#define EPT(st)		(SWMOD_TDX_##st | SWMOD_OPERAND_ID_RCX)
#define META(reg)	(SWMOD_TDX_PAGE_METADATA_INCORRECT | SWMOD_OPERAND_ID_##reg)
#define RANGE(reg)	(SWMOD_TDX_OPERAND_ADDR_RANGE_ERROR | SWMOD_OPERAND_ID_##reg)

/* ---- fixture -------------------------------------------------------- */

struct tdf *tdf_new(void)
{
	struct swmod_config cfg;
	struct layout l;
	struct swmod_tdmr_info *t;
	struct tdf *f = calloc(1, sizeof(*f));
	u64 pamt = SZ_1G;
	int ps;

	ASSERT_TRUE(f != NULL);
	lay_init(&l);
	l.nr_cmrs = 1;
	l.cmrs[0] = (struct swmod_cmr_info){ SZ_1M, 2 * SZ_1G - SZ_1M };
	l.nr_tdmrs = 1;
	t = &l.tdmrs[0];
	t->base = 0;
	t->size = TD_TDMR_SIZE;
	lay_add_rsvd(t, 0, SZ_1M);
	for (ps = SWMOD_PS_4K; ps <= SWMOD_PS_1G; ps++) {
		u64 size = lay_pamt_kernel_size(t->size, ps);

		*lay_pamt_base(t, ps) = pamt;
		*lay_pamt_size(t, ps) = size;
		pamt += size;
	}
	l.hkid = 16;

	env_default_config(&cfg);
	lay_to_config(&l, &cfg);
	f->e = env_new(&cfg, NULL);
	ASSERT_EQ(env_sys_init(f->e), 0);
	ASSERT_EQ(lay_submit(f->e, &l), 0);
	ASSERT_EQ(env_key_config_all(f->e), 0);
	ASSERT_EQ(env_tdmr_init_all(f->e, NULL), 0);
	f->next_page = TD_PAGES_BASE;
	tdf_default_params(&f->params);
	return f;
}

void tdf_free(struct tdf *f)
{
	if (!f)
		return;
	env_free(f->e);
	free(f);
}

u64 tdf_page(struct tdf *f)
{
	u64 pa = f->next_page;

	f->next_page += SZ_4K;
	return pa;
}

void tdf_default_params(struct swmod_td_params *p)
{
	memset(p, 0, sizeof(*p));
	p->attributes = SWMOD_ATTR_SEPT_VE_DISABLE;
	p->xfam = SWMOD_XFAM_FIXED1;
	p->max_vcpus = 8;
	p->eptp_controls = SWMOD_EPTP_MT_WB | (3ULL << SWMOD_EPTP_PWL_SHIFT);
	p->tsc_frequency = 100;
}

u64 tdf_sc(struct tdf *f, unsigned int lp, u64 leaf, u64 rcx, u64 rdx,
	   u64 r8, u64 r9, struct swmod_regs *out)
{
	struct swmod_regs r = { .rax = leaf, .rcx = rcx, .rdx = rdx,
				.r8 = r8, .r9 = r9 };
	enum swmod_outcome o = env_call(f->e, lp, &r);

	if (o != SWMOD_SEAMRET)
		t_fail(__FILE__, __LINE__, "leaf %llu: outcome %d", leaf, o);
	if (out)
		*out = r;
	return swmod_outcome_status(o, r.rax);
}

#define OK(call)	ASSERT_EQ(call, 0)

static void tdf_step_leaves(struct tdf *f, enum td_stage s);

/*
 * The direct-map fake agrees with the PAMT: as many pages hidden as
 * owned, every page of the fixture hidden exactly when its PAMT type
 * is a TD's, and no ownership call that did not pair up.
 */
static void tdf_check_unmap(struct tdf *f)
{
	u64 pas[1 + SWMOD_TDCS_PAGES + 1 + SWMOD_TDVPX_PAGES + 3 + 1];
	struct swmod_pamt_entry pe;
	unsigned int n = 0, i;

	EXPECT_EQ(uplat_owned_errors(f->e->p), 0);
	EXPECT_EQ(uplat_hidden_pages(f->e->p), swmod_owned_pages(f->e->m));
	pas[n++] = f->tdr;
	for (i = 0; i < SWMOD_TDCS_PAGES; i++)
		pas[n++] = f->tdcx[i];
	pas[n++] = f->tdvpr;
	for (i = 0; i < SWMOD_TDVPX_PAGES; i++)
		pas[n++] = f->tdvpx[i];
	for (i = 0; i < 3; i++)
		pas[n++] = f->sept[i];
	pas[n++] = f->page0;
	for (i = 0; i < n; i++) {
		if (!pas[i] || swmod_pamt_read(f->e->m, pas[i], SWMOD_PS_4K, &pe))
			continue;
		EXPECT_EQ(uplat_hidden(f->e->p, pas[i]),
			  pe.pt != SWMOD_PT_NDA && pe.pt != SWMOD_PT_RSVD);
	}
}

static void tdf_step(struct tdf *f, enum td_stage s)
{
	tdf_step_leaves(f, s);
	tdf_check_unmap(f);
}

static void tdf_step_leaves(struct tdf *f, enum td_stage s)
{
	unsigned int i;

	switch (s) {
	case S_READY:
		break;
	case S_CREATED:
		f->tdr = tdf_page(f);
		OK(tdf_sc(f, 0, SWMOD_TDH_MNG_CREATE, f->tdr, TD_HKID, 0, 0, NULL));
		break;
	case S_KEYED:
		OK(tdf_sc(f, 0, SWMOD_TDH_MNG_KEY_CONFIG, f->tdr, 0, 0, 0, NULL));
		OK(tdf_sc(f, 2, SWMOD_TDH_MNG_KEY_CONFIG, f->tdr, 0, 0, 0, NULL));
		break;
	case S_TDCX:
		for (i = 0; i < SWMOD_TDCS_PAGES; i++) {
			f->tdcx[i] = tdf_page(f);
			OK(tdf_sc(f, 0, SWMOD_TDH_MNG_ADDCX, f->tdcx[i], f->tdr,
				  0, 0, NULL));
		}
		break;
	case S_INIT:
		uplat_write(f->e->p, TD_PARAMS_PA, &f->params, sizeof(f->params));
		OK(tdf_sc(f, 0, SWMOD_TDH_MNG_INIT, f->tdr, TD_PARAMS_PA, 0, 0,
			  NULL));
		break;
	case S_VPCREATED:
		f->tdvpr = tdf_page(f);
		OK(tdf_sc(f, 0, SWMOD_TDH_VP_CREATE, f->tdvpr, f->tdr, 0, 0, NULL));
		break;
	case S_VPINIT:
		for (i = 0; i < SWMOD_TDVPX_PAGES; i++) {
			f->tdvpx[i] = tdf_page(f);
			OK(tdf_sc(f, 0, SWMOD_TDH_VP_ADDCX, f->tdvpx[i], f->tdvpr,
				  0, 0, NULL));
		}
		OK(tdf_sc(f, 0, SWMOD_TDH_VP_INIT, f->tdvpr, 0, 0, 0, NULL));
		break;
	case S_SEPT:
		for (i = 0; i < 3; i++) {
			f->sept[i] = tdf_page(f);
			OK(tdf_sc(f, 0, SWMOD_TDH_MEM_SEPT_ADD, 3 - i, f->tdr,
				  f->sept[i], 0, NULL));
		}
		break;
	case S_ADDED:
		f->page0 = tdf_page(f);
		uplat_fill(f->e->p, TD_SRC_PA, 0x5A, SZ_4K);
		OK(tdf_sc(f, 0, SWMOD_TDH_MEM_PAGE_ADD, 0, f->tdr, f->page0,
			  TD_SRC_PA, NULL));
		break;
	case S_FINALIZED:
		OK(tdf_sc(f, 0, SWMOD_TDH_MR_FINALIZE, f->tdr, 0, 0, 0, NULL));
		break;
	case S_BLOCKED:
		OK(tdf_sc(f, 0, SWMOD_TDH_MEM_RANGE_BLOCK, 0, f->tdr, 0, 0, NULL));
		break;
	case S_TRACKED:
		OK(tdf_sc(f, 0, SWMOD_TDH_MEM_TRACK, f->tdr, 0, 0, 0, NULL));
		break;
	case S_FLUSHDONE:
		OK(tdf_sc(f, 0, SWMOD_TDH_VP_FLUSH, f->tdvpr, 0, 0, 0, NULL));
		OK(tdf_sc(f, 0, SWMOD_TDH_MNG_VPFLUSHDONE, f->tdr, 0, 0, 0, NULL));
		break;
	case S_WB:
		OK(tdf_sc(f, 0, SWMOD_TDH_PHYMEM_CACHE_WB, 0, 0, 0, 0, NULL));
		OK(tdf_sc(f, 2, SWMOD_TDH_PHYMEM_CACHE_WB, 0, 0, 0, 0, NULL));
		break;
	case S_FREEID:
		OK(tdf_sc(f, 0, SWMOD_TDH_MNG_KEY_FREEID, f->tdr, 0, 0, 0, NULL));
		break;
	}
}

void tdf_build(struct tdf *f, enum td_stage stage)
{
	enum td_stage s;

	for (s = S_READY; s <= stage; s++)
		tdf_step(f, s);
}

bool tdf_all_pamt_free(struct tdf *f)
{
	struct swmod_pamt_entry pe;
	u64 pa;
	int ps;

	if (swmod_owned_pages(f->e->m))
		return false;
	/* Every page given back was put back into the "direct map". */
	if (uplat_hidden_pages(f->e->p) || uplat_owned_errors(f->e->p))
		return false;
	for (ps = SWMOD_PS_4K; ps <= SWMOD_PS_1G; ps++)
		for (pa = 0; pa < TD_TDMR_SIZE; pa += SZ_4K << (9 * ps)) {
			if (swmod_pamt_read(f->e->m, pa, ps, &pe))
				return false;
			if (pe.pt != SWMOD_PT_NDA && pe.pt != SWMOD_PT_RSVD)
				return false;
			if (pe.lock)
				return false;
		}
	return true;
}

/* ---- the rule catalogue -------------------------------------------- */

enum op_kind {
	K_V, K_TDR, K_PAGE, K_TDVPR, K_TDVPR2, K_PARAMS, K_SRC, K_PAGE0,
	K_TDR_HKID, K_SEPT1,
};

struct op {
	enum op_kind k;
	u64 v;
};

#define V(x)		{ K_V, (x) }
#define TDR		{ K_TDR, 0 }
#define TDRP(x)		{ K_TDR, (x) }
#define PAGE		{ K_PAGE, 0 }
#define PAGEP(x)	{ K_PAGE, (x) }
#define TDVPR		{ K_TDVPR, 0 }
#define TDVPR2		{ K_TDVPR2, 0 }
#define PARAMS		{ K_PARAMS, 0 }
#define PARAMSP(x)	{ K_PARAMS, (x) }
#define SRC		{ K_SRC, 0 }
#define SRCP(x)		{ K_SRC, (x) }
#define PAGE0		{ K_PAGE0, 0 }
#define TDR_HKID	{ K_TDR_HKID, 0 }
#define SEPT1		{ K_SEPT1, 0 }

struct td_rule {
	const char *name;
	enum td_stage stage;
	u16 leaf;
	unsigned int lp;
	struct op rcx, rdx, r8, r9;
	u64 expect;
	void (*mut)(struct swmod_td_params *p);
	void (*pre)(struct tdf *f);
	bool check_rcx, check_rdx, check_r8;
	u64 rcx_out, rdx_out, r8_out;
};

static u64 keyid_bits(struct tdf *f, u64 keyid)
{
	return keyid << f->e->hkid_shift;
}

static u64 tdvpr2;

static u64 op_val(struct tdf *f, struct op o)
{
	switch (o.k) {
	case K_V:
		return o.v;
	case K_TDR:
		return f->tdr + o.v;
	case K_PAGE:
		return f->next_page + o.v;
	case K_TDVPR:
		return f->tdvpr;
	case K_TDVPR2:
		return tdvpr2;
	case K_PARAMS:
		return TD_PARAMS_PA + o.v;
	case K_SRC:
		return TD_SRC_PA + o.v;
	case K_PAGE0:
		return f->page0;
	case K_TDR_HKID:
		return f->tdr | keyid_bits(f, TD_HKID);
	case K_SEPT1:
		return f->sept[2];
	}
	return 0;
}

/* Mutations of TD_PARAMS. */
static void m_attr(struct swmod_td_params *p)
{
	p->attributes |= 1ULL << 1;
}

static void m_xfam0(struct swmod_td_params *p)
{
	p->xfam = 0;
}

static void m_xfam_big(struct swmod_td_params *p)
{
	p->xfam |= 1ULL << 40;
}

static void m_vcpus0(struct swmod_td_params *p)
{
	p->max_vcpus = 0;
}

static void m_vcpus1(struct swmod_td_params *p)
{
	p->max_vcpus = 1;
}

static void m_rsvd0(struct swmod_td_params *p)
{
	p->reserved0[3] = 1;
}

static void m_eptp_mt(struct swmod_td_params *p)
{
	p->eptp_controls &= ~7ULL;
}

static void m_eptp_pwl(struct swmod_td_params *p)
{
	p->eptp_controls = SWMOD_EPTP_MT_WB | (2ULL << SWMOD_EPTP_PWL_SHIFT);
}

static void m_eptp_ad(struct swmod_td_params *p)
{
	p->eptp_controls |= 1ULL << 6;
}

static void m_exec(struct swmod_td_params *p)
{
	p->exec_controls = 2;
}

static void m_gpaw4(struct swmod_td_params *p)
{
	p->exec_controls = 1;
}

static void m_tsc_lo(struct swmod_td_params *p)
{
	p->tsc_frequency = 3;
}

static void m_tsc_hi(struct swmod_td_params *p)
{
	p->tsc_frequency = 401;
}

static void m_rsvd1(struct swmod_td_params *p)
{
	p->reserved1[37] = 1;
}

static void m_rsvd2(struct swmod_td_params *p)
{
	p->reserved2[0] = 1;
}

static void m_cpuid(struct swmod_td_params *p)
{
	p->cpuid_values[0].ecx = 1;
}

static void m_rsvd3(struct swmod_td_params *p)
{
	p->reserved3[100] = 1;
}

static void m_debug(struct swmod_td_params *p)
{
	p->attributes |= SWMOD_ATTR_DEBUG;
}

/* Setups beyond a stage. */
static void pre_3tdcx(struct tdf *f)
{
	unsigned int i;

	for (i = 0; i < 3; i++)
		OK(tdf_sc(f, 0, SWMOD_TDH_MNG_ADDCX, tdf_page(f), f->tdr, 0, 0,
			  NULL));
}

static void pre_params(struct tdf *f)
{
	uplat_write(f->e->p, TD_PARAMS_PA, &f->params, sizeof(f->params));
}

static void pre_5tdvpx(struct tdf *f)
{
	unsigned int i;

	for (i = 0; i < SWMOD_TDVPX_PAGES; i++)
		OK(tdf_sc(f, 0, SWMOD_TDH_VP_ADDCX, tdf_page(f), f->tdvpr, 0, 0,
			  NULL));
}

static void pre_vcpu2(struct tdf *f)
{
	unsigned int i;

	tdvpr2 = tdf_page(f);
	OK(tdf_sc(f, 0, SWMOD_TDH_VP_CREATE, tdvpr2, f->tdr, 0, 0, NULL));
	for (i = 0; i < SWMOD_TDVPX_PAGES; i++)
		OK(tdf_sc(f, 0, SWMOD_TDH_VP_ADDCX, tdf_page(f), tdvpr2, 0, 0,
			  NULL));
}

static void pre_key_pkg0(struct tdf *f)
{
	OK(tdf_sc(f, 0, SWMOD_TDH_MNG_KEY_CONFIG, f->tdr, 0, 0, 0, NULL));
}

static void pre_refcount(struct tdf *f)
{
	swmod_test_set_refcount(f->e->m, f->tdr, 0, 1);
}

static void pre_block_pd(struct tdf *f)
{
	OK(tdf_sc(f, 0, SWMOD_TDH_MEM_RANGE_BLOCK, 1, f->tdr, 0, 0, NULL));
	OK(tdf_sc(f, 0, SWMOD_TDH_MEM_TRACK, f->tdr, 0, 0, 0, NULL));
}

#define NOP	V(0)

static const struct td_rule td_rules[] = {
	/* TDH.MNG.CREATE */
	{ "create_tdr_unaligned", S_READY, SWMOD_TDH_MNG_CREATE, 0, PAGEP(8), V(TD_HKID), NOP, NOP, OPINV(RCX) },
	{ "create_tdr_outside_tdmr", S_READY, SWMOD_TDH_MNG_CREATE, 0, V(TD_OUTSIDE_PA), V(TD_HKID), NOP, NOP, RANGE(RCX) },
	{ "create_tdr_reserved", S_READY, SWMOD_TDH_MNG_CREATE, 0, V(TD_RSVD_PA), V(TD_HKID), NOP, NOP, META(RCX) },
	{ "create_tdr_beyond_maxpa", S_READY, SWMOD_TDH_MNG_CREATE, 0, V(1ULL << 52), V(TD_HKID), NOP, NOP, OPINV(RCX) },
	{ "create_hkid_mktme", S_READY, SWMOD_TDH_MNG_CREATE, 0, PAGE, V(15), NOP, NOP, OPINV(RDX) },
	{ "create_hkid_global", S_READY, SWMOD_TDH_MNG_CREATE, 0, PAGE, V(16), NOP, NOP, OPINV(RDX) },
	{ "create_hkid_beyond", S_READY, SWMOD_TDH_MNG_CREATE, 0, PAGE, V(64), NOP, NOP, OPINV(RDX) },
	{ "create_hkid_reserved_bits", S_READY, SWMOD_TDH_MNG_CREATE, 0, PAGE, V(TD_HKID | (1ULL << 16)), NOP, NOP, OPINV(RDX) },
	{ "create_hkid_in_use", S_CREATED, SWMOD_TDH_MNG_CREATE, 0, PAGE, V(TD_HKID), NOP, NOP, SWMOD_TDX_HKID_NOT_FREE },
	{ "create_page_not_free", S_CREATED, SWMOD_TDH_MNG_CREATE, 0, TDR, V(TD_HKID + 1), NOP, NOP, META(RCX) },
	/* TDH.MNG.KEY.CONFIG */
	{ "key_config_not_tdr", S_CREATED, SWMOD_TDH_MNG_KEY_CONFIG, 0, PAGE, NOP, NOP, NOP, META(RCX) },
	{ "key_config_pkg_done", S_CREATED, SWMOD_TDH_MNG_KEY_CONFIG, 1, TDR, NOP, NOP, NOP, SWMOD_TDX_KEY_CONFIGURED, .pre = pre_key_pkg0 },
	{ "key_config_all_done", S_KEYED, SWMOD_TDH_MNG_KEY_CONFIG, 0, TDR, NOP, NOP, NOP, SWMOD_TDX_KEY_CONFIGURED },
	{ "key_config_blocked", S_FLUSHDONE, SWMOD_TDH_MNG_KEY_CONFIG, 0, TDR, NOP, NOP, NOP, SWMOD_TDX_KEY_STATE_INCORRECT },
	/* TDH.MNG.ADDCX */
	{ "addcx_not_keyed", S_CREATED, SWMOD_TDH_MNG_ADDCX, 0, PAGE, TDR, NOP, NOP, SWMOD_TDX_TD_KEYS_NOT_CONFIGURED },
	{ "addcx_fifth", S_TDCX, SWMOD_TDH_MNG_ADDCX, 0, PAGE, TDR, NOP, NOP, SWMOD_TDX_TDCX_NUM_INCORRECT },
	{ "addcx_initialized", S_INIT, SWMOD_TDH_MNG_ADDCX, 0, PAGE, TDR, NOP, NOP, SWMOD_TDX_TD_INITIALIZED },
	{ "addcx_rdx_not_tdr", S_KEYED, SWMOD_TDH_MNG_ADDCX, 0, PAGE, PAGEP(SZ_4K), NOP, NOP, META(RDX) },
	{ "addcx_page_not_free", S_KEYED, SWMOD_TDH_MNG_ADDCX, 0, TDR, TDR, NOP, NOP, SWMOD_TDX_OPERAND_BUSY | SWMOD_OPERAND_ID_RCX },
	{ "addcx_page_unaligned", S_KEYED, SWMOD_TDH_MNG_ADDCX, 0, PAGEP(0x800), TDR, NOP, NOP, OPINV(RCX) },
	/* TDH.MNG.INIT */
	{ "init_three_tdcx", S_KEYED, SWMOD_TDH_MNG_INIT, 0, TDR, PARAMS, NOP, NOP, SWMOD_TDX_TDCX_NUM_INCORRECT, .pre = pre_3tdcx },
	{ "init_params_unaligned", S_TDCX, SWMOD_TDH_MNG_INIT, 0, TDR, PARAMSP(512), NOP, NOP, OPINV(RDX), .pre = pre_params },
	{ "init_params_private", S_TDCX, SWMOD_TDH_MNG_INIT, 0, TDR, PARAMSP(20ULL << 46), NOP, NOP, OPINV(RDX), .pre = pre_params },
	{ "init_attributes", S_TDCX, SWMOD_TDH_MNG_INIT, 0, TDR, PARAMS, NOP, NOP, OPINV(ATTRIBUTES), m_attr, pre_params },
	{ "init_xfam_fixed1", S_TDCX, SWMOD_TDH_MNG_INIT, 0, TDR, PARAMS, NOP, NOP, OPINV(XFAM), m_xfam0, pre_params },
	{ "init_xfam_fixed0", S_TDCX, SWMOD_TDH_MNG_INIT, 0, TDR, PARAMS, NOP, NOP, OPINV(XFAM), m_xfam_big, pre_params },
	{ "init_max_vcpus_zero", S_TDCX, SWMOD_TDH_MNG_INIT, 0, TDR, PARAMS, NOP, NOP, OPINV(MAX_VCPUS), m_vcpus0, pre_params },
	{ "init_reserved0", S_TDCX, SWMOD_TDH_MNG_INIT, 0, TDR, PARAMS, NOP, NOP, OPINV(RDX), m_rsvd0, pre_params },
	{ "init_eptp_memtype", S_TDCX, SWMOD_TDH_MNG_INIT, 0, TDR, PARAMS, NOP, NOP, OPINV(EPTP_CONTROLS), m_eptp_mt, pre_params },
	{ "init_eptp_pwl", S_TDCX, SWMOD_TDH_MNG_INIT, 0, TDR, PARAMS, NOP, NOP, OPINV(EPTP_CONTROLS), m_eptp_pwl, pre_params },
	{ "init_eptp_ad", S_TDCX, SWMOD_TDH_MNG_INIT, 0, TDR, PARAMS, NOP, NOP, OPINV(EPTP_CONTROLS), m_eptp_ad, pre_params },
	{ "init_exec_reserved", S_TDCX, SWMOD_TDH_MNG_INIT, 0, TDR, PARAMS, NOP, NOP, OPINV(EXEC_CONTROLS), m_exec, pre_params },
	{ "init_gpaw_needs_pwl4", S_TDCX, SWMOD_TDH_MNG_INIT, 0, TDR, PARAMS, NOP, NOP, OPINV(EXEC_CONTROLS), m_gpaw4, pre_params },
	{ "init_tsc_low", S_TDCX, SWMOD_TDH_MNG_INIT, 0, TDR, PARAMS, NOP, NOP, OPINV(TSC_FREQUENCY), m_tsc_lo, pre_params },
	{ "init_tsc_high", S_TDCX, SWMOD_TDH_MNG_INIT, 0, TDR, PARAMS, NOP, NOP, OPINV(TSC_FREQUENCY), m_tsc_hi, pre_params },
	{ "init_reserved1", S_TDCX, SWMOD_TDH_MNG_INIT, 0, TDR, PARAMS, NOP, NOP, OPINV(RDX), m_rsvd1, pre_params },
	{ "init_reserved2", S_TDCX, SWMOD_TDH_MNG_INIT, 0, TDR, PARAMS, NOP, NOP, OPINV(RDX), m_rsvd2, pre_params },
	{ "init_cpuid_config", S_TDCX, SWMOD_TDH_MNG_INIT, 0, TDR, PARAMS, NOP, NOP, OPINV(CPUID_CONFIG), m_cpuid, pre_params,
	  .check_rcx = true, .rcx_out = 0x1 | (0xFFFFFFFFULL << 32) },
	{ "init_reserved3", S_TDCX, SWMOD_TDH_MNG_INIT, 0, TDR, PARAMS, NOP, NOP, OPINV(RDX), m_rsvd3, pre_params },
	{ "init_twice", S_INIT, SWMOD_TDH_MNG_INIT, 0, TDR, PARAMS, NOP, NOP, SWMOD_TDX_TD_INITIALIZED },
	{ "init_not_keyed", S_CREATED, SWMOD_TDH_MNG_INIT, 0, TDR, PARAMS, NOP, NOP, SWMOD_TDX_TD_KEYS_NOT_CONFIGURED },
	/* TDH.VP.CREATE */
	{ "vp_create_not_init", S_TDCX, SWMOD_TDH_VP_CREATE, 0, PAGE, TDR, NOP, NOP, SWMOD_TDX_TD_NOT_INITIALIZED },
	{ "vp_create_finalized", S_FINALIZED, SWMOD_TDH_VP_CREATE, 0, PAGE, TDR, NOP, NOP, SWMOD_TDX_TD_FINALIZED },
	{ "vp_create_page_not_free", S_INIT, SWMOD_TDH_VP_CREATE, 0, V(TD_RSVD_PA), TDR, NOP, NOP, META(RCX) },
	{ "vp_create_rdx_not_tdr", S_INIT, SWMOD_TDH_VP_CREATE, 0, PAGE, PAGEP(SZ_4K), NOP, NOP, META(RDX) },
	/* TDH.VP.ADDCX */
	{ "vp_addcx_not_tdvpr", S_VPCREATED, SWMOD_TDH_VP_ADDCX, 0, PAGE, TDR, NOP, NOP, META(RDX) },
	{ "vp_addcx_sixth", S_VPCREATED, SWMOD_TDH_VP_ADDCX, 0, PAGE, TDVPR, NOP, NOP, SWMOD_TDX_TDVPX_NUM_INCORRECT, .pre = pre_5tdvpx },
	{ "vp_addcx_initialized", S_VPINIT, SWMOD_TDH_VP_ADDCX, 0, PAGE, TDVPR, NOP, NOP, SWMOD_TDX_VCPU_STATE_INCORRECT },
	/* TDH.VP.INIT */
	{ "vp_init_missing_tdvpx", S_VPCREATED, SWMOD_TDH_VP_INIT, 0, TDVPR, NOP, NOP, NOP, SWMOD_TDX_TDVPX_NUM_INCORRECT },
	{ "vp_init_twice", S_VPINIT, SWMOD_TDH_VP_INIT, 0, TDVPR, NOP, NOP, NOP, SWMOD_TDX_VCPU_STATE_INCORRECT },
	{ "vp_init_max_vcpus", S_VPINIT, SWMOD_TDH_VP_INIT, 0, TDVPR2, NOP, NOP, NOP, SWMOD_TDX_MAX_VCPUS_EXCEEDED, m_vcpus1, pre_vcpu2 },
	{ "vp_init_finalized", S_FINALIZED, SWMOD_TDH_VP_INIT, 0, TDVPR, NOP, NOP, NOP, SWMOD_TDX_TD_FINALIZED },
	/* TDH.VP.FLUSH */
	{ "vp_flush_other_lp", S_VPINIT, SWMOD_TDH_VP_FLUSH, 1, TDVPR, NOP, NOP, NOP, SWMOD_TDX_VCPU_NOT_ASSOCIATED },
	{ "vp_flush_after_flushdone", S_FLUSHDONE, SWMOD_TDH_VP_FLUSH, 0, TDVPR, NOP, NOP, NOP, SWMOD_TDX_TD_KEYS_NOT_CONFIGURED },
	{ "vp_flush_not_tdvpr", S_VPINIT, SWMOD_TDH_VP_FLUSH, 0, TDR, NOP, NOP, NOP, META(RCX) },
	/* TDH.VP.ENTER */
	{ "vp_enter_nothing_armed", S_FINALIZED, SWMOD_TDH_VP_ENTER, 0, TDVPR, NOP, NOP, NOP, OPINV(RAX) },
	/* TDH.MNG.VPFLUSHDONE */
	{ "flushdone_vcpu_associated", S_VPINIT, SWMOD_TDH_MNG_VPFLUSHDONE, 0, TDR, NOP, NOP, NOP, SWMOD_TDX_FLUSHVP_NOT_DONE },
	{ "flushdone_twice", S_FLUSHDONE, SWMOD_TDH_MNG_VPFLUSHDONE, 0, TDR, NOP, NOP, NOP, SWMOD_TDX_LIFECYCLE_STATE_INCORRECT },
	/* TDH.PHYMEM.CACHE.WB */
	{ "cache_wb_rcx", S_FLUSHDONE, SWMOD_TDH_PHYMEM_CACHE_WB, 0, V(2), NOP, NOP, NOP, OPINV(RCX) },
	{ "cache_wb_resume_without_point", S_FLUSHDONE, SWMOD_TDH_PHYMEM_CACHE_WB, 0, V(1), NOP, NOP, NOP, SWMOD_TDX_WBCACHE_RESUME_ERROR },
	{ "cache_wb_nothing", S_READY, SWMOD_TDH_PHYMEM_CACHE_WB, 0, V(0), NOP, NOP, NOP, SWMOD_TDX_NO_HKID_READY_TO_WBCACHE },
	/* TDH.MNG.KEY.FREEID */
	{ "freeid_not_blocked", S_TRACKED, SWMOD_TDH_MNG_KEY_FREEID, 0, TDR, NOP, NOP, NOP, SWMOD_TDX_LIFECYCLE_STATE_INCORRECT },
	{ "freeid_wbcache_pending", S_FLUSHDONE, SWMOD_TDH_MNG_KEY_FREEID, 0, TDR, NOP, NOP, NOP, SWMOD_TDX_WBCACHE_NOT_COMPLETE },
	/* TDH.MEM.SEPT.ADD */
	{ "sept_add_level0", S_VPINIT, SWMOD_TDH_MEM_SEPT_ADD, 0, V(0), TDR, PAGE, NOP, OPINV(RCX) },
	{ "sept_add_level_beyond_pwl", S_VPINIT, SWMOD_TDH_MEM_SEPT_ADD, 0, V(4), TDR, PAGE, NOP, OPINV(RCX) },
	{ "sept_add_gpa_unaligned", S_VPINIT, SWMOD_TDH_MEM_SEPT_ADD, 0, V(0x1000 | 1), TDR, PAGE, NOP, OPINV(RCX) },
	{ "sept_add_reserved_bits", S_VPINIT, SWMOD_TDH_MEM_SEPT_ADD, 0, V(3 | 8), TDR, PAGE, NOP, OPINV(RCX) },
	{ "sept_add_shared_gpa", S_VPINIT, SWMOD_TDH_MEM_SEPT_ADD, 0, V((1ULL << 47) | 3), TDR, PAGE, NOP, OPINV(RCX) },
	{ "sept_add_beyond_gpaw", S_VPINIT, SWMOD_TDH_MEM_SEPT_ADD, 0, V((1ULL << 48) | 3), TDR, PAGE, NOP, OPINV(RCX) },
	{ "sept_add_walk_failed", S_VPINIT, SWMOD_TDH_MEM_SEPT_ADD, 0, V(1), TDR, PAGE, NOP, EPT(EPT_WALK_FAILED),
	  .check_rcx = true, .rcx_out = SWMOD_SEPT_FREE_ENTRY, .check_rdx = true, .rdx_out = 3 },
	{ "sept_add_entry_not_free", S_SEPT, SWMOD_TDH_MEM_SEPT_ADD, 0, V(1), TDR, PAGE, NOP, EPT(EPT_ENTRY_NOT_FREE),
	  .check_rdx = true, .rdx_out = 1 | (SWMOD_SEPT_MAPPED << 8) },
	{ "sept_add_page_not_free", S_VPINIT, SWMOD_TDH_MEM_SEPT_ADD, 0, V(3), TDR, TDVPR, NOP, META(R8) },
	{ "sept_add_not_init", S_TDCX, SWMOD_TDH_MEM_SEPT_ADD, 0, V(3), TDR, PAGE, NOP, SWMOD_TDX_TD_NOT_INITIALIZED },
	{ "sept_add_rdx_not_tdr", S_VPINIT, SWMOD_TDH_MEM_SEPT_ADD, 0, V(3), TDVPR, PAGE, NOP, META(RDX) },
	/* TDH.MEM.PAGE.ADD */
	{ "page_add_level1", S_SEPT, SWMOD_TDH_MEM_PAGE_ADD, 0, V(1), TDR, PAGE, SRC, OPINV(RCX) },
	{ "page_add_source_unaligned", S_SEPT, SWMOD_TDH_MEM_PAGE_ADD, 0, V(0), TDR, PAGE, SRCP(0x10), OPINV(R9) },
	{ "page_add_source_private", S_SEPT, SWMOD_TDH_MEM_PAGE_ADD, 0, V(0), TDR, PAGE, SRCP(20ULL << 46), OPINV(R9) },
	{ "page_add_target_not_free", S_SEPT, SWMOD_TDH_MEM_PAGE_ADD, 0, V(0), TDR, TDR, SRC, SWMOD_TDX_OPERAND_BUSY | SWMOD_OPERAND_ID_R8 },
	{ "page_add_target_tdvpr", S_SEPT, SWMOD_TDH_MEM_PAGE_ADD, 0, V(0), TDR, TDVPR, SRC, META(R8) },
	{ "page_add_entry_not_free", S_ADDED, SWMOD_TDH_MEM_PAGE_ADD, 0, V(0), TDR, PAGE, SRC, EPT(EPT_ENTRY_NOT_FREE) },
	{ "page_add_finalized", S_FINALIZED, SWMOD_TDH_MEM_PAGE_ADD, 0, V(0x1000), TDR, PAGE, SRC, SWMOD_TDX_TD_FINALIZED },
	{ "page_add_walk_failed", S_SEPT, SWMOD_TDH_MEM_PAGE_ADD, 0, V(SZ_2M), TDR, PAGE, SRC, EPT(EPT_WALK_FAILED),
	  .check_rdx = true, .rdx_out = 1 },
	/* TDH.MEM.PAGE.AUG */
	{ "aug_level2", S_SEPT, SWMOD_TDH_MEM_PAGE_AUG, 0, V(SZ_1G | 2), TDR, PAGE, NOP, OPINV(RCX) },
	{ "aug_2m_unaligned", S_SEPT, SWMOD_TDH_MEM_PAGE_AUG, 0, V(SZ_2M | 1), TDR, V(64 * SZ_1M + SZ_4K), NOP, OPINV(R8) },
	{ "aug_2m_child_used", S_SEPT, SWMOD_TDH_MEM_PAGE_AUG, 0, V(SZ_2M | 1), TDR, V(TD_PAGES_BASE), NOP, META(R8) },
	{ "aug_2m_reserved_child", S_SEPT, SWMOD_TDH_MEM_PAGE_AUG, 0, V(SZ_2M | 1), TDR, V(0), NOP, META(R8) },
	{ "aug_4k_not_free", S_SEPT, SWMOD_TDH_MEM_PAGE_AUG, 0, V(SZ_4K), TDR, TDVPR, NOP, META(R8) },
	{ "aug_entry_not_free", S_ADDED, SWMOD_TDH_MEM_PAGE_AUG, 0, V(0), TDR, PAGE, NOP, EPT(EPT_ENTRY_NOT_FREE) },
	/* TDH.MEM.RANGE.BLOCK */
	{ "block_free_entry", S_ADDED, SWMOD_TDH_MEM_RANGE_BLOCK, 0, V(SZ_4K), TDR, NOP, NOP, EPT(EPT_ENTRY_FREE) },
	{ "block_twice", S_BLOCKED, SWMOD_TDH_MEM_RANGE_BLOCK, 0, V(0), TDR, NOP, NOP, SWMOD_TDX_GPA_RANGE_ALREADY_BLOCKED },
	{ "block_not_keyed", S_FLUSHDONE, SWMOD_TDH_MEM_RANGE_BLOCK, 0, V(0), TDR, NOP, NOP, SWMOD_TDX_TD_KEYS_NOT_CONFIGURED },
	/* TDH.MEM.TRACK */
	{ "track_previous_epoch_busy", S_FINALIZED, SWMOD_TDH_MEM_TRACK, 0, TDR, NOP, NOP, NOP, SWMOD_TDX_PREVIOUS_TLB_EPOCH_BUSY, .pre = pre_refcount },
	{ "track_not_init", S_TDCX, SWMOD_TDH_MEM_TRACK, 0, TDR, NOP, NOP, NOP, SWMOD_TDX_TD_NOT_INITIALIZED },
	/* TDH.MEM.PAGE.REMOVE */
	{ "remove_not_blocked", S_FINALIZED, SWMOD_TDH_MEM_PAGE_REMOVE, 0, V(0), TDR, NOP, NOP, EPT(GPA_RANGE_NOT_BLOCKED) },
	{ "remove_not_tracked", S_BLOCKED, SWMOD_TDH_MEM_PAGE_REMOVE, 0, V(0), TDR, NOP, NOP, EPT(TLB_TRACKING_NOT_DONE) },
	{ "remove_not_leaf", S_TRACKED, SWMOD_TDH_MEM_PAGE_REMOVE, 0, V(1), TDR, NOP, NOP, EPT(EPT_ENTRY_NOT_LEAF) },
	{ "remove_free_entry", S_TRACKED, SWMOD_TDH_MEM_PAGE_REMOVE, 0, V(SZ_4K), TDR, NOP, NOP, EPT(EPT_ENTRY_FREE) },
	{ "remove_level3", S_TRACKED, SWMOD_TDH_MEM_PAGE_REMOVE, 0, V(3), TDR, NOP, NOP, OPINV(RCX) },
	/* TDH.MEM.SEPT.REMOVE */
	{ "sept_remove_level0", S_TRACKED, SWMOD_TDH_MEM_SEPT_REMOVE, 0, V(0), TDR, NOP, NOP, OPINV(RCX) },
	{ "sept_remove_not_blocked", S_FINALIZED, SWMOD_TDH_MEM_SEPT_REMOVE, 0, V(1), TDR, NOP, NOP, EPT(GPA_RANGE_NOT_BLOCKED) },
	{ "sept_remove_table_not_free", S_FINALIZED, SWMOD_TDH_MEM_SEPT_REMOVE, 0, V(1), TDR, NOP, NOP, EPT(EPT_ENTRY_NOT_FREE), .pre = pre_block_pd },
	{ "sept_remove_free_entry", S_FINALIZED, SWMOD_TDH_MEM_SEPT_REMOVE, 0, V(SZ_2M | 1), TDR, NOP, NOP, EPT(EPT_ENTRY_FREE) },
	/* TDH.MEM.RANGE.UNBLOCK */
	{ "unblock_not_tracked", S_BLOCKED, SWMOD_TDH_MEM_RANGE_UNBLOCK, 0, V(0), TDR, NOP, NOP, SWMOD_TDX_TLB_TRACKING_NOT_DONE | SWMOD_OPERAND_ID_SEPT },
	{ "unblock_not_blocked", S_FINALIZED, SWMOD_TDH_MEM_RANGE_UNBLOCK, 0, V(0), TDR, NOP, NOP, EPT(GPA_RANGE_NOT_BLOCKED) },
	/* TDH.MEM.SEPT.RD */
	{ "sept_rd_level_beyond_pwl", S_SEPT, SWMOD_TDH_MEM_SEPT_RD, 0, V(4), TDR, NOP, NOP, OPINV(RCX) },
	{ "sept_rd_walk_failed", S_VPINIT, SWMOD_TDH_MEM_SEPT_RD, 0, V(0), TDR, NOP, NOP, EPT(EPT_WALK_FAILED),
	  .check_rdx = true, .rdx_out = 3 },
	/* TDH.MR.EXTEND */
	{ "extend_unaligned", S_ADDED, SWMOD_TDH_MR_EXTEND, 0, V(0x80), TDR, NOP, NOP, OPINV(RCX) },
	{ "extend_shared_gpa", S_ADDED, SWMOD_TDH_MR_EXTEND, 0, V(1ULL << 47), TDR, NOP, NOP, OPINV(RCX) },
	{ "extend_not_present", S_ADDED, SWMOD_TDH_MR_EXTEND, 0, V(SZ_4K), TDR, NOP, NOP, EPT(EPT_ENTRY_NOT_PRESENT) },
	{ "extend_walk_failed", S_ADDED, SWMOD_TDH_MR_EXTEND, 0, V(SZ_2M), TDR, NOP, NOP, EPT(EPT_WALK_FAILED) },
	{ "extend_finalized", S_FINALIZED, SWMOD_TDH_MR_EXTEND, 0, V(0), TDR, NOP, NOP, SWMOD_TDX_TD_FINALIZED },
	/* TDH.MR.FINALIZE */
	{ "finalize_twice", S_FINALIZED, SWMOD_TDH_MR_FINALIZE, 0, TDR, NOP, NOP, NOP, SWMOD_TDX_TD_FINALIZED },
	{ "finalize_not_init", S_TDCX, SWMOD_TDH_MR_FINALIZE, 0, TDR, NOP, NOP, NOP, SWMOD_TDX_TD_NOT_INITIALIZED },
	/* TDH.PHYMEM.PAGE.RECLAIM */
	{ "reclaim_td_alive", S_FINALIZED, SWMOD_TDH_PHYMEM_PAGE_RECLAIM, 0, PAGE0, NOP, NOP, NOP, SWMOD_TDX_LIFECYCLE_STATE_INCORRECT },
	{ "reclaim_tdr_children_left", S_FREEID, SWMOD_TDH_PHYMEM_PAGE_RECLAIM, 0, TDR, NOP, NOP, NOP, SWMOD_TDX_TD_ASSOCIATED_PAGES_EXIST },
	{ "reclaim_tdr_alive", S_FINALIZED, SWMOD_TDH_PHYMEM_PAGE_RECLAIM, 0, TDR, NOP, NOP, NOP, SWMOD_TDX_LIFECYCLE_STATE_INCORRECT },
	{ "reclaim_free_page", S_FREEID, SWMOD_TDH_PHYMEM_PAGE_RECLAIM, 0, PAGE, NOP, NOP, NOP, META(RCX) },
	{ "reclaim_reserved_page", S_FREEID, SWMOD_TDH_PHYMEM_PAGE_RECLAIM, 0, V(TD_RSVD_PA), NOP, NOP, NOP, META(RCX) },
	{ "reclaim_keyid_bits", S_FREEID, SWMOD_TDH_PHYMEM_PAGE_RECLAIM, 0, TDR_HKID, NOP, NOP, NOP, OPINV(RCX) },
	{ "reclaim_outside_tdmr", S_FREEID, SWMOD_TDH_PHYMEM_PAGE_RECLAIM, 0, V(TD_OUTSIDE_PA), NOP, NOP, NOP, RANGE(RCX) },
	/* TDH.PHYMEM.PAGE.WBINVD */
	{ "wbinvd_shared_keyid", S_FREEID, SWMOD_TDH_PHYMEM_PAGE_WBINVD, 0, TDR, NOP, NOP, NOP, OPINV(RCX) },
	{ "wbinvd_page_owned", S_FREEID, SWMOD_TDH_PHYMEM_PAGE_WBINVD, 0, TDR_HKID, NOP, NOP, NOP, META(RCX) },
	/* TDH.MNG.RD */
	{ "mng_rd_not_tdr", S_INIT, SWMOD_TDH_MNG_RD, 0, PAGE, V(SWMOD_MD_TSC_OFFSET), NOP, NOP, META(RCX) },
	{ "mng_rd_not_init", S_TDCX, SWMOD_TDH_MNG_RD, 0, TDR, V(SWMOD_MD_TSC_OFFSET), NOP, NOP, SWMOD_TDX_TD_NOT_INITIALIZED },
	{ "mng_rd_not_keyed", S_FLUSHDONE, SWMOD_TDH_MNG_RD, 0, TDR, V(SWMOD_MD_TSC_OFFSET), NOP, NOP, SWMOD_TDX_TD_KEYS_NOT_CONFIGURED },
	{ "mng_rd_reserved_bits", S_INIT, SWMOD_TDH_MNG_RD, 0, TDR, V(SWMOD_MD_TSC_OFFSET | (1ULL << 40)), NOP, NOP, OPINV(RDX) },
	{ "mng_rd_unknown_field", S_INIT, SWMOD_TDH_MNG_RD, 0, TDR, V(SWMOD_MD_ID(SWMOD_MD_TDCS_EXEC, 99)), NOP, NOP, OPINV(RDX) },
	{ "mng_rd_vp_field", S_INIT, SWMOD_TDH_MNG_RD, 0, TDR, V(SWMOD_MD_PEND_NMI), NOP, NOP, OPINV(RDX) },
	{ "mng_rd_tsc_offset", S_INIT, SWMOD_TDH_MNG_RD, 0, TDR, V(SWMOD_MD_TSC_OFFSET), NOP, NOP, 0, .check_r8 = true, .r8_out = 0 },
	{ "mng_rd_tsc_multiplier", S_INIT, SWMOD_TDH_MNG_RD, 0, TDR, V(SWMOD_MD_TSC_MULTIPLIER), NOP, NOP, 0,
	  .check_r8 = true, .r8_out = SWMOD_TSC_MULTIPLIER_ONE },
	{ "mng_rd_mrtd_not_finalized", S_ADDED, SWMOD_TDH_MNG_RD, 0, TDR, V(SWMOD_MD_MRTD(0)), NOP, NOP, SWMOD_TDX_TD_NOT_FINALIZED },
	{ "mng_rd_mrtd_beyond", S_FINALIZED, SWMOD_TDH_MNG_RD, 0, TDR, V(SWMOD_MD_MRTD(6)), NOP, NOP, OPINV(RDX) },
	/* TDH.MNG.WR */
	{ "mng_wr_not_init", S_TDCX, SWMOD_TDH_MNG_WR, 0, TDR, V(SWMOD_MD_TSC_OFFSET), V(5), V(~0ULL), SWMOD_TDX_TD_NOT_INITIALIZED },
	{ "mng_wr_tsc_offset_non_debug", S_INIT, SWMOD_TDH_MNG_WR, 0, TDR, V(SWMOD_MD_TSC_OFFSET), V(5), V(~0ULL), SWMOD_TDX_FIELD_NOT_WRITABLE },
	{ "mng_wr_tsc_offset_debug", S_INIT, SWMOD_TDH_MNG_WR, 0, TDR, V(SWMOD_MD_TSC_OFFSET), V(5), V(~0ULL), 0, m_debug,
	  .check_r8 = true, .r8_out = 0 },
	{ "mng_wr_multiplier_debug", S_INIT, SWMOD_TDH_MNG_WR, 0, TDR, V(SWMOD_MD_TSC_MULTIPLIER), V(5), V(~0ULL), SWMOD_TDX_FIELD_NOT_WRITABLE, m_debug },
	{ "mng_wr_mrtd", S_FINALIZED, SWMOD_TDH_MNG_WR, 0, TDR, V(SWMOD_MD_MRTD(0)), V(5), V(~0ULL), SWMOD_TDX_FIELD_NOT_WRITABLE, m_debug },
	{ "mng_wr_unknown_field", S_INIT, SWMOD_TDH_MNG_WR, 0, TDR, V(SWMOD_MD_ID(1, 1)), V(5), V(~0ULL), OPINV(RDX) },
	{ "mng_wr_rdx_is_rcx", S_INIT, SWMOD_TDH_MNG_WR, 0, TDVPR, V(SWMOD_MD_TSC_OFFSET), V(5), V(~0ULL), META(RCX) },
	/* TDH.VP.RD */
	{ "vp_rd_not_tdvpr", S_VPINIT, SWMOD_TDH_VP_RD, 0, TDR, V(SWMOD_MD_PEND_NMI), NOP, NOP, META(RCX) },
	{ "vp_rd_uninitialized", S_VPCREATED, SWMOD_TDH_VP_RD, 0, TDVPR, V(SWMOD_MD_PEND_NMI), NOP, NOP, SWMOD_TDX_VCPU_STATE_INCORRECT },
	{ "vp_rd_not_keyed", S_FLUSHDONE, SWMOD_TDH_VP_RD, 0, TDVPR, V(SWMOD_MD_PEND_NMI), NOP, NOP, SWMOD_TDX_TD_KEYS_NOT_CONFIGURED },
	{ "vp_rd_reserved_bits", S_VPINIT, SWMOD_TDH_VP_RD, 0, TDVPR, V(SWMOD_MD_PEND_NMI | (1ULL << 62)), NOP, NOP, OPINV(RDX) },
	{ "vp_rd_unknown_vmcs_field", S_VPINIT, SWMOD_TDH_VP_RD, 0, TDVPR, V(SWMOD_MD_ID(0, 0x4444)), NOP, NOP, OPINV(RDX) },
	{ "vp_rd_td_field", S_VPINIT, SWMOD_TDH_VP_RD, 0, TDVPR, V(SWMOD_MD_TSC_OFFSET), NOP, NOP, OPINV(RDX) },
	{ "vp_rd_gpr_non_debug", S_VPINIT, SWMOD_TDH_VP_RD, 0, TDVPR, V(SWMOD_MD_GPR(1)), NOP, NOP, SWMOD_TDX_FIELD_NOT_READABLE },
	{ "vp_rd_rip_non_debug", S_VPINIT, SWMOD_TDH_VP_RD, 0, TDVPR, V(SWMOD_MD_GUEST_RIP), NOP, NOP, SWMOD_TDX_FIELD_NOT_READABLE },
	{ "vp_rd_rip_debug", S_VPINIT, SWMOD_TDH_VP_RD, 0, TDVPR, V(SWMOD_MD_GUEST_RIP), NOP, NOP, 0, m_debug,
	  .check_r8 = true, .r8_out = SWMOD_VCPU_INIT_RIP },
	{ "vp_rd_rflags_debug", S_VPINIT, SWMOD_TDH_VP_RD, 0, TDVPR, V(SWMOD_MD_GUEST_RFLAGS), NOP, NOP, 0, m_debug,
	  .check_r8 = true, .r8_out = SWMOD_VCPU_INIT_RFLAGS },
	{ "vp_rd_pin_based", S_VPINIT, SWMOD_TDH_VP_RD, 0, TDVPR, V(SWMOD_MD_PIN_BASED_CTLS), NOP, NOP, 0,
	  .check_r8 = true, .r8_out = SWMOD_VCPU_INIT_PIN_BASED },
	{ "vp_rd_state_details", S_FINALIZED, SWMOD_TDH_VP_RD, 0, TDVPR, V(SWMOD_MD_STATE_DETAILS), NOP, NOP, 0, .check_r8 = true, .r8_out = 0 },
	/* TDH.VP.WR */
	{ "vp_wr_uninitialized", S_VPCREATED, SWMOD_TDH_VP_WR, 0, TDVPR, V(SWMOD_MD_PEND_NMI), V(1), V(1), SWMOD_TDX_VCPU_STATE_INCORRECT },
	{ "vp_wr_not_tdvpr", S_VPINIT, SWMOD_TDH_VP_WR, 0, PAGE, V(SWMOD_MD_PEND_NMI), V(1), V(1), META(RCX) },
	{ "vp_wr_unknown_field", S_VPINIT, SWMOD_TDH_VP_WR, 0, TDVPR, V(SWMOD_MD_ID(32, 12)), V(1), V(1), OPINV(RDX) },
	{ "vp_wr_state_details", S_VPINIT, SWMOD_TDH_VP_WR, 0, TDVPR, V(SWMOD_MD_STATE_DETAILS), V(1), V(1), SWMOD_TDX_FIELD_NOT_WRITABLE },
	{ "vp_wr_gpr_non_debug", S_VPINIT, SWMOD_TDH_VP_WR, 0, TDVPR, V(SWMOD_MD_GPR(0)), V(1), V(~0ULL), SWMOD_TDX_FIELD_NOT_WRITABLE },
	{ "vp_wr_gpr_debug", S_VPINIT, SWMOD_TDH_VP_WR, 0, TDVPR, V(SWMOD_MD_GPR(0)), V(1), V(~0ULL), 0, m_debug,
	  .check_r8 = true, .r8_out = 0 },
	{ "vp_wr_pin_based_other_bit", S_VPINIT, SWMOD_TDH_VP_WR, 0, TDVPR, V(SWMOD_MD_PIN_BASED_CTLS),
	  V(SWMOD_VCPU_INIT_PIN_BASED | 1), V(~0ULL), OPINV(R8) },
	{ "vp_wr_pin_based_posted_intr", S_VPINIT, SWMOD_TDH_VP_WR, 0, TDVPR, V(SWMOD_MD_PIN_BASED_CTLS),
	  V(SWMOD_VCPU_INIT_PIN_BASED | SWMOD_PIN_BASED_POSTED_INTR), V(~0ULL), 0, .check_r8 = true, .r8_out = SWMOD_VCPU_INIT_PIN_BASED },
	{ "vp_wr_pi_desc_unaligned", S_VPINIT, SWMOD_TDH_VP_WR, 0, TDVPR, V(SWMOD_MD_POSTED_INTR_DESC), V(0x1020), V(~0ULL), OPINV(R8) },
	{ "vp_wr_posted_intr_nv_wide", S_VPINIT, SWMOD_TDH_VP_WR, 0, TDVPR, V(SWMOD_MD_POSTED_INTR_NV), V(0x10000), V(~0ULL), OPINV(R8) },
	{ "vp_wr_shared_eptp_masked", S_VPINIT, SWMOD_TDH_VP_WR, 0, TDVPR, V(SWMOD_MD_SHARED_EPTP), V(0x1234505E), V(~0xFFFULL), 0,
	  .check_r8 = true, .r8_out = 0 },
	{ "vp_wr_pend_nmi", S_FINALIZED, SWMOD_TDH_VP_WR, 0, TDVPR, V(SWMOD_MD_PEND_NMI), V(1), V(1), 0, .check_r8 = true, .r8_out = 0 },
	/* TDH.PHYMEM.PAGE.RDMD */
	{ "rdmd_outside_tdmr", S_READY, SWMOD_TDH_PHYMEM_PAGE_RDMD, 0, V(TD_OUTSIDE_PA), NOP, NOP, NOP, RANGE(RCX) },
	{ "rdmd_unaligned", S_READY, SWMOD_TDH_PHYMEM_PAGE_RDMD, 0, PAGEP(8), NOP, NOP, NOP, OPINV(RCX) },
};

/*
 * The catalogue covers every TD leaf the module implements: each has
 * at least one rule (KEY.RECLAIMID, a no-op, is in the seq tests).
 */
static void td_rules_cover_every_leaf(void)
{
	unsigned int i;
	u16 leaf;

	for (leaf = SWMOD_TDH_VP_ENTER; leaf <= SWMOD_TDH_VP_WR; leaf++) {
		bool found = false;

		if (!swmod_param_leaf_name(leaf) ||
		    (leaf >= SWMOD_TDH_SYS_KEY_CONFIG &&
		     leaf <= SWMOD_TDH_SYS_TDMR_INIT))
			continue;
		for (i = 0; i < ARRAY_SIZE(td_rules) && !found; i++)
			found = td_rules[i].leaf == leaf;
		if (!found)
			t_fail(__FILE__, __LINE__, "leaf %u (%s) has no rule",
			       leaf, swmod_param_leaf_name(leaf));
	}
}

/*
 * One case per rule: build the TD to the stage, apply the setup, make
 * the call and expect exactly the status (and RCX/RDX details where
 * listed); a failing call changes no page's ownership.
 */
void test_td_rules(struct rng *r)
{
	unsigned int i, n = ARRAY_SIZE(td_rules);

	for (i = 0; i < n; i++) {
		const struct td_rule *c = &td_rules[i];
		struct tdf *f = tdf_new();
		struct swmod_regs out;
		u64 owned, st;

		if (c->mut)
			c->mut(&f->params);
		tdf_build(f, c->stage);
		if (c->pre)
			c->pre(f);
		owned = swmod_owned_pages(f->e->m);
		st = tdf_sc(f, c->lp, c->leaf, op_val(f, c->rcx),
			    op_val(f, c->rdx), op_val(f, c->r8),
			    op_val(f, c->r9), &out);
		if (st != c->expect)
			t_fail(__FILE__, __LINE__, "%s: status %#llx, want %#llx",
			       c->name, st, c->expect);
		if (c->check_rcx && out.rcx != c->rcx_out)
			t_fail(__FILE__, __LINE__, "%s: RCX %#llx, want %#llx",
			       c->name, out.rcx, c->rcx_out);
		if (c->check_rdx && out.rdx != c->rdx_out)
			t_fail(__FILE__, __LINE__, "%s: RDX %#llx, want %#llx",
			       c->name, out.rdx, c->rdx_out);
		if (c->check_r8 && out.r8 != c->r8_out)
			t_fail(__FILE__, __LINE__, "%s: R8 %#llx, want %#llx",
			       c->name, out.r8, c->r8_out);
		if ((st & SWMOD_STATUS_ERROR) &&
		    swmod_owned_pages(f->e->m) != owned)
			t_fail(__FILE__, __LINE__, "%s: ownership changed", c->name);
		if (verbose)
			t_diag("%s: %#llx", c->name, st);
		tdf_free(f);
	}
	t_diag("%u TD leaf rules", n);
	td_rules_cover_every_leaf();
}

/* ---- lifecycles ------------------------------------------------------ */

static void measure_block(struct sha384_ctx *s, const char *tag, u64 gpa)
{
	u8 b[128];

	memset(b, 0, sizeof(b));
	memcpy(b, tag, strlen(tag));
	memcpy(b + 16, &gpa, sizeof(gpa));
	sha384_update(s, b, sizeof(b));
}

#define NR_ADD	8

/*
 * Build a TD with NR_ADD measured pages, one pending 4K page and one
 * pending 2M page; MRTD must equal the independent SHA-384 of the
 * blocks the sheet describes.  Returns the HPAs of the added pages.
 */
static void build_measured(struct tdf *f, u64 *pages, u64 *aug4k, u64 *aug2m)
{
	struct sha384_ctx s;
	u8 want[48], got[48], src[SZ_4K];
	unsigned int i, c;

	tdf_build(f, S_SEPT);
	sha384_init(&s);
	for (i = 0; i < NR_ADD; i++) {
		u64 gpa = i * SZ_4K;

		for (c = 0; c < SZ_4K; c++)
			src[c] = (u8)(i * 31 + c * 7);
		uplat_write(f->e->p, TD_SRC_PA + i * SZ_4K, src, SZ_4K);
		pages[i] = tdf_page(f);
		OK(tdf_sc(f, 0, SWMOD_TDH_MEM_PAGE_ADD, gpa, f->tdr, pages[i],
			  TD_SRC_PA + i * SZ_4K, NULL));
		measure_block(&s, "MEM.PAGE.ADD", gpa);
		if (i % 2)
			continue;
		for (c = 0; c < SZ_4K; c += 256) {
			OK(tdf_sc(f, 0, SWMOD_TDH_MR_EXTEND, gpa + c, f->tdr, 0, 0,
				  NULL));
			measure_block(&s, "MR.EXTEND", gpa + c);
			sha384_update(&s, src + c, 256);
		}
	}
	*aug4k = tdf_page(f);
	OK(tdf_sc(f, 0, SWMOD_TDH_MEM_PAGE_AUG, NR_ADD * SZ_4K, f->tdr, *aug4k,
		  0, NULL));
	*aug2m = 128 * SZ_1M;
	OK(tdf_sc(f, 0, SWMOD_TDH_MEM_PAGE_AUG, SZ_2M | 1, f->tdr, *aug2m, 0,
		  NULL));
	OK(tdf_sc(f, 0, SWMOD_TDH_MR_FINALIZE, f->tdr, 0, 0, 0, NULL));
	sha384_final(&s, want);
	swmod_test_mrtd(f->e->m, f->tdr, got);
	if (memcmp(want, got, sizeof(want)))
		t_fail(__FILE__, __LINE__, "MRTD differs from the independent SHA-384");
	/* What KVM sees: the six MRTD fields of TDH.MNG.RD. */
	memset(got, 0, sizeof(got));
	for (i = 0; i < 6; i++) {
		struct swmod_regs out;

		OK(tdf_sc(f, 1, SWMOD_TDH_MNG_RD, f->tdr, SWMOD_MD_MRTD(i), 0, 0,
			  &out));
		memcpy(got + 8 * i, &out.r8, 8);
	}
	if (memcmp(want, got, sizeof(want)))
		t_fail(__FILE__, __LINE__, "TDH.MNG.RD MRTD differs from the independent SHA-384");
}

static void remove_leaf(struct tdf *f, u64 page_info, u64 hpa)
{
	struct swmod_regs out;

	OK(tdf_sc(f, 0, SWMOD_TDH_MEM_RANGE_BLOCK, page_info, f->tdr, 0, 0, NULL));
	OK(tdf_sc(f, 0, SWMOD_TDH_MEM_TRACK, f->tdr, 0, 0, 0, NULL));
	OK(tdf_sc(f, 0, SWMOD_TDH_MEM_PAGE_REMOVE, page_info, f->tdr, 0, 0, &out));
	EXPECT_EQ(out.rcx, hpa);
}

static void remove_sept(struct tdf *f, u64 page_info, u64 hpa)
{
	struct swmod_regs out;

	OK(tdf_sc(f, 0, SWMOD_TDH_MEM_RANGE_BLOCK, page_info, f->tdr, 0, 0, NULL));
	OK(tdf_sc(f, 0, SWMOD_TDH_MEM_TRACK, f->tdr, 0, 0, 0, NULL));
	OK(tdf_sc(f, 0, SWMOD_TDH_MEM_SEPT_REMOVE, page_info, f->tdr, 0, 0, &out));
	EXPECT_EQ(out.rcx, hpa);
}

static void reclaim(struct tdf *f, u64 hpa, u64 pt, u64 owner, u64 size)
{
	struct swmod_regs out;

	OK(tdf_sc(f, 0, SWMOD_TDH_PHYMEM_PAGE_RECLAIM, hpa, 0, 0, 0, &out));
	EXPECT_EQ(out.rcx, pt);
	EXPECT_EQ(out.rdx, owner);
	EXPECT_EQ(out.r8, size);
}

static void teardown_control(struct tdf *f)
{
	unsigned int i;

	OK(tdf_sc(f, 0, SWMOD_TDH_VP_FLUSH, f->tdvpr, 0, 0, 0, NULL));
	OK(tdf_sc(f, 0, SWMOD_TDH_MNG_VPFLUSHDONE, f->tdr, 0, 0, 0, NULL));
	OK(tdf_sc(f, 0, SWMOD_TDH_PHYMEM_CACHE_WB, 0, 0, 0, 0, NULL));
	EXPECT_EQ(tdf_sc(f, 0, SWMOD_TDH_MNG_KEY_FREEID, f->tdr, 0, 0, 0, NULL),
		  SWMOD_TDX_WBCACHE_NOT_COMPLETE);
	OK(tdf_sc(f, 3, SWMOD_TDH_PHYMEM_CACHE_WB, 0, 0, 0, 0, NULL));
	OK(tdf_sc(f, 0, SWMOD_TDH_MNG_KEY_FREEID, f->tdr, 0, 0, 0, NULL));
	for (i = 0; i < SWMOD_TDVPX_PAGES; i++)
		reclaim(f, f->tdvpx[i], SWMOD_PT_TDVPX, f->tdr, 0);
	reclaim(f, f->tdvpr, SWMOD_PT_TDVPR, f->tdr, 0);
	for (i = 0; i < SWMOD_TDCS_PAGES; i++)
		reclaim(f, f->tdcx[i], SWMOD_PT_TDCX, f->tdr, 0);
}

static void reclaim_tdr_last(struct tdf *f)
{
	reclaim(f, f->tdr, SWMOD_PT_TDR, f->tdr, 0);
	OK(tdf_sc(f, 0, SWMOD_TDH_PHYMEM_PAGE_WBINVD, f->tdr | keyid_bits(f, 16),
		  0, 0, 0, NULL));
	EXPECT_TRUE(tdf_all_pamt_free(f));
	/* The HKID is free again: a new TD can take it. */
	OK(tdf_sc(f, 0, SWMOD_TDH_MNG_CREATE, tdf_page(f), TD_HKID, 0, 0, NULL));
}

/*
 * Create, build, measure, finalize; remove every page while the TD is
 * alive (BLOCK, TRACK, REMOVE; UNBLOCK once), then tear down and
 * reclaim: CHLDCNT back to 0, every PAMT entry NDA or RSVD.
 */
void test_td_lifecycle(struct rng *r)
{
	struct tdf *f = tdf_new();
	u64 pages[NR_ADD], aug4k, aug2m;
	struct swmod_regs out;
	unsigned int i;

	build_measured(f, pages, &aug4k, &aug2m);
	EXPECT_EQ(swmod_owned_pages(f->e->m),
		  1 + 4 + 6 + 3 + NR_ADD + 1 + 512);
	EXPECT_EQ(uplat_hidden_pages(f->e->p), swmod_owned_pages(f->e->m));
	EXPECT_TRUE(uplat_hidden(f->e->p, aug2m + SZ_2M - SZ_4K));
	EXPECT_TRUE(uplat_hidden(f->e->p, aug4k));
	EXPECT_TRUE(!uplat_hidden(f->e->p, TD_SRC_PA));

	OK(tdf_sc(f, 0, SWMOD_TDH_PHYMEM_PAGE_RDMD, pages[0], 0, 0, 0, &out));
	EXPECT_EQ(out.rcx, SWMOD_PT_REG);
	EXPECT_EQ(out.rdx, f->tdr);
	OK(tdf_sc(f, 0, SWMOD_TDH_PHYMEM_PAGE_RDMD, aug2m + SZ_4K, 0, 0, 0, &out));
	EXPECT_EQ(out.r8, SWMOD_PS_2M);
	OK(tdf_sc(f, 0, SWMOD_TDH_MEM_SEPT_RD, 0, f->tdr, 0, 0, &out));
	EXPECT_EQ(out.rdx, SWMOD_SEPT_MAPPED << 8);
	EXPECT_EQ(out.rcx, pages[0] | SWMOD_EPT_RWX | SWMOD_EPT_MT_WB |
			   SWMOD_EPT_IPAT);
	OK(tdf_sc(f, 0, SWMOD_TDH_MEM_SEPT_RD, NR_ADD * SZ_4K, f->tdr, 0, 0, &out));
	EXPECT_EQ(out.rdx, SWMOD_SEPT_PENDING << 8);

	/* BLOCK, TRACK, UNBLOCK: back to MAPPED. */
	OK(tdf_sc(f, 0, SWMOD_TDH_MEM_RANGE_BLOCK, 0, f->tdr, 0, 0, NULL));
	OK(tdf_sc(f, 0, SWMOD_TDH_MEM_TRACK, f->tdr, 0, 0, 0, NULL));
	OK(tdf_sc(f, 0, SWMOD_TDH_MEM_RANGE_UNBLOCK, 0, f->tdr, 0, 0, NULL));
	OK(tdf_sc(f, 0, SWMOD_TDH_MEM_SEPT_RD, 0, f->tdr, 0, 0, &out));
	EXPECT_EQ(out.rdx, SWMOD_SEPT_MAPPED << 8);

	for (i = 0; i < NR_ADD; i++)
		remove_leaf(f, i * SZ_4K, pages[i]);
	remove_leaf(f, NR_ADD * SZ_4K, aug4k);
	remove_leaf(f, SZ_2M | 1, aug2m);
	remove_sept(f, 1, f->sept[2]);
	remove_sept(f, 2, f->sept[1]);
	remove_sept(f, 3, f->sept[0]);
	EXPECT_EQ(swmod_owned_pages(f->e->m), 1 + 4 + 6);
	EXPECT_EQ(uplat_hidden_pages(f->e->p), 1 + 4 + 6);
	EXPECT_TRUE(!uplat_hidden(f->e->p, aug2m));
	EXPECT_TRUE(!uplat_hidden(f->e->p, pages[0]));

	teardown_control(f);
	reclaim_tdr_last(f);
	tdf_free(f);
}

/*
 * KVM's teardown: nothing removed while alive; after KEY.FREEID every
 * page (S-EPT, private, 2M, control) is reclaimed directly, TDR last.
 */
void test_td_teardown_reclaim(struct rng *r)
{
	struct tdf *f = tdf_new();
	u64 pages[NR_ADD], aug4k, aug2m;
	unsigned int i;

	build_measured(f, pages, &aug4k, &aug2m);
	EXPECT_EQ(tdf_sc(f, 0, SWMOD_TDH_PHYMEM_PAGE_RECLAIM, f->tdr, 0, 0, 0, NULL),
		  SWMOD_TDX_LIFECYCLE_STATE_INCORRECT);
	teardown_control(f);
	EXPECT_EQ(tdf_sc(f, 0, SWMOD_TDH_PHYMEM_PAGE_RECLAIM, f->tdr, 0, 0, 0, NULL),
		  SWMOD_TDX_TD_ASSOCIATED_PAGES_EXIST);
	for (i = 0; i < NR_ADD; i++)
		reclaim(f, pages[i], SWMOD_PT_REG, f->tdr, 0);
	reclaim(f, aug4k, SWMOD_PT_REG, f->tdr, 0);
	EXPECT_EQ(tdf_sc(f, 0, SWMOD_TDH_PHYMEM_PAGE_RECLAIM, aug2m + SZ_4K, 0, 0, 0,
			 NULL), OPINV(RCX));
	reclaim(f, aug2m, SWMOD_PT_REG, f->tdr, SWMOD_PS_2M);
	for (i = 0; i < 3; i++)
		reclaim(f, f->sept[i], SWMOD_PT_EPT, f->tdr, 0);
	EXPECT_EQ(tdf_sc(f, 0, SWMOD_TDH_PHYMEM_PAGE_RECLAIM, pages[0], 0, 0, 0, NULL),
		  META(RCX));
	reclaim_tdr_last(f);
	tdf_free(f);
}

/* ---- contention ------------------------------------------------------ */

static void busy(struct tdf *f, unsigned int lp, u64 leaf, u64 rcx, u64 rdx,
		 u64 r8, u64 r9, u64 opid)
{
	u64 st = tdf_sc(f, lp, leaf, rcx, rdx, r8, r9, NULL);

	if (st != (SWMOD_TDX_OPERAND_BUSY | opid))
		t_fail(__FILE__, __LINE__, "leaf %llu: %#llx, want BUSY|%llu",
		       leaf, st, opid);
}

/*
 * Another LP holding a lock: the leaf reports TDX_OPERAND_BUSY with the
 * lock's operand id, changes nothing, and succeeds once it is free.
 */
void test_td_busy(struct rng *r)
{
	struct tdf *f = tdf_new();
	struct swmod *m;
	u64 vp2, pg;

	f->params.max_vcpus = 2;
	tdf_build(f, S_SEPT);
	m = f->e->m;

	ASSERT_TRUE(swmod_test_trylock_pamt(m, f->tdr, true));
	busy(f, 0, SWMOD_TDH_MNG_KEY_CONFIG, f->tdr, 0, 0, 0, SWMOD_OPERAND_ID_RCX);
	busy(f, 0, SWMOD_TDH_MEM_SEPT_ADD, SZ_1G | 2, f->tdr, tdf_page(f), 0,
	     SWMOD_OPERAND_ID_RDX);
	busy(f, 0, SWMOD_TDH_VP_FLUSH, f->tdvpr, 0, 0, 0, SWMOD_OPERAND_ID_TDR);
	busy(f, 0, SWMOD_TDH_MNG_RD, f->tdr, SWMOD_MD_TSC_OFFSET, 0, 0,
	     SWMOD_OPERAND_ID_RCX);
	busy(f, 0, SWMOD_TDH_VP_RD, f->tdvpr, SWMOD_MD_PEND_NMI, 0, 0,
	     SWMOD_OPERAND_ID_TDR);
	swmod_test_unlock_pamt(m, f->tdr, true);
	/* The TDVPR itself. */
	ASSERT_TRUE(swmod_test_trylock_pamt(m, f->tdvpr, false));
	busy(f, 0, SWMOD_TDH_VP_WR, f->tdvpr, SWMOD_MD_PEND_NMI, 1, 1,
	     SWMOD_OPERAND_ID_RCX);
	swmod_test_unlock_pamt(m, f->tdvpr, false);
	OK(tdf_sc(f, 0, SWMOD_TDH_VP_WR, f->tdvpr, SWMOD_MD_PEND_NMI, 1, 1, NULL));
	/* Shared holders of the TDR do not block each other. */
	ASSERT_TRUE(swmod_test_trylock_pamt(m, f->tdr, false));
	pg = tdf_page(f);
	OK(tdf_sc(f, 0, SWMOD_TDH_MEM_PAGE_AUG, SZ_4K, f->tdr, pg, 0, NULL));
	busy(f, 0, SWMOD_TDH_MR_FINALIZE, f->tdr, 0, 0, 0, SWMOD_OPERAND_ID_RCX);
	busy(f, 0, SWMOD_TDH_MNG_WR, f->tdr, SWMOD_MD_TSC_OFFSET, 0, 0,
	     SWMOD_OPERAND_ID_RCX);
	OK(tdf_sc(f, 0, SWMOD_TDH_MNG_RD, f->tdr, SWMOD_MD_TSC_OFFSET, 0, 0,
		  NULL));
	swmod_test_unlock_pamt(m, f->tdr, false);

	ASSERT_TRUE(swmod_test_trylock(m, SWMOD_TEST_LOCK_SEPT, f->tdr));
	busy(f, 0, SWMOD_TDH_MEM_PAGE_ADD, 0, f->tdr, tdf_page(f), TD_SRC_PA,
	     SWMOD_OPERAND_ID_SEPT);
	busy(f, 0, SWMOD_TDH_MEM_RANGE_BLOCK, SZ_4K, f->tdr, 0, 0,
	     SWMOD_OPERAND_ID_SEPT);
	busy(f, 0, SWMOD_TDH_MR_EXTEND, 0, f->tdr, 0, 0, SWMOD_OPERAND_ID_SEPT);
	swmod_test_unlock(m, SWMOD_TEST_LOCK_SEPT, f->tdr);

	ASSERT_TRUE(swmod_test_trylock(m, SWMOD_TEST_LOCK_EPOCH, f->tdr));
	busy(f, 0, SWMOD_TDH_MEM_TRACK, f->tdr, 0, 0, 0, SWMOD_OPERAND_ID_TD_EPOCH);
	swmod_test_unlock(m, SWMOD_TEST_LOCK_EPOCH, f->tdr);
	OK(tdf_sc(f, 0, SWMOD_TDH_MEM_TRACK, f->tdr, 0, 0, 0, NULL));

	/* The target page's own PAMT entry. */
	vp2 = tdf_page(f);
	ASSERT_TRUE(swmod_test_trylock_pamt(m, vp2, false));
	busy(f, 0, SWMOD_TDH_VP_CREATE, vp2, f->tdr, 0, 0, SWMOD_OPERAND_ID_RCX);
	swmod_test_unlock_pamt(m, vp2, false);
	OK(tdf_sc(f, 0, SWMOD_TDH_VP_CREATE, vp2, f->tdr, 0, 0, NULL));

	ASSERT_TRUE(swmod_test_trylock(m, SWMOD_TEST_LOCK_KOT, 0));
	busy(f, 0, SWMOD_TDH_MNG_CREATE, tdf_page(f), TD_HKID + 1, 0, 0,
	     SWMOD_OPERAND_ID_KOT);
	swmod_test_unlock(m, SWMOD_TEST_LOCK_KOT, 0);

	/* A second TD: its key on package 1 while package 1's KET is held. */
	pg = tdf_page(f);
	OK(tdf_sc(f, 0, SWMOD_TDH_MNG_CREATE, pg, TD_HKID + 1, 0, 0, NULL));
	ASSERT_TRUE(swmod_test_trylock(m, SWMOD_TEST_LOCK_KET, 1));
	busy(f, 2, SWMOD_TDH_MNG_KEY_CONFIG, pg, 0, 0, 0, SWMOD_OPERAND_ID_KET);
	OK(tdf_sc(f, 0, SWMOD_TDH_MNG_KEY_CONFIG, pg, 0, 0, 0, NULL));
	swmod_test_unlock(m, SWMOD_TEST_LOCK_KET, 1);
	OK(tdf_sc(f, 2, SWMOD_TDH_MNG_KEY_CONFIG, pg, 0, 0, 0, NULL));

	ASSERT_TRUE(swmod_test_trylock(m, SWMOD_TEST_LOCK_WBCACHE, 0));
	busy(f, 0, SWMOD_TDH_PHYMEM_CACHE_WB, 0, 0, 0, 0, SWMOD_OPERAND_ID_WBCACHE);
	swmod_test_unlock(m, SWMOD_TEST_LOCK_WBCACHE, 0);
	tdf_free(f);
}

/* ---- fault injection ------------------------------------------------- */

struct td_ok {
	enum td_stage stage;		/* the call is this stage's next step */
	u16 leaf;
};

/*
 * Every TD leaf, at the step of the build or teardown that calls it: an
 * injected status comes back unchanged, nothing changes, and the step
 * then succeeds.
 */
static const struct td_ok td_steps[] = {
	{ S_CREATED, SWMOD_TDH_MNG_CREATE },
	{ S_KEYED, SWMOD_TDH_MNG_KEY_CONFIG },
	{ S_TDCX, SWMOD_TDH_MNG_ADDCX },
	{ S_INIT, SWMOD_TDH_MNG_INIT },
	{ S_VPCREATED, SWMOD_TDH_VP_CREATE },
	{ S_VPINIT, SWMOD_TDH_VP_ADDCX },
	{ S_VPINIT, SWMOD_TDH_VP_INIT },
	{ S_SEPT, SWMOD_TDH_MEM_SEPT_ADD },
	{ S_ADDED, SWMOD_TDH_MEM_PAGE_ADD },
	{ S_FINALIZED, SWMOD_TDH_MR_FINALIZE },
	{ S_BLOCKED, SWMOD_TDH_MEM_RANGE_BLOCK },
	{ S_TRACKED, SWMOD_TDH_MEM_TRACK },
	{ S_FLUSHDONE, SWMOD_TDH_VP_FLUSH },
	{ S_FLUSHDONE, SWMOD_TDH_MNG_VPFLUSHDONE },
	{ S_WB, SWMOD_TDH_PHYMEM_CACHE_WB },
	{ S_FREEID, SWMOD_TDH_MNG_KEY_FREEID },
};

void test_td_fault_injection(struct rng *r)
{
	unsigned int i, n = ARRAY_SIZE(td_steps);
	const u64 injected = SWMOD_TDX_OPERAND_BUSY | SWMOD_OPERAND_ID_TDR;

	for (i = 0; i < n; i++) {
		const struct td_ok *c = &td_steps[i];
		struct tdf *f = tdf_new();
		struct swmod_fault fl = {
			.leaf = c->leaf, .point = SWMOD_FAULT_AT_ENTRY,
			.status = injected,
		};
		u64 owned, errs;

		tdf_build(f, c->stage - 1);
		fl.nth = swmod_get_stats(f->e->m)->calls[c->leaf] + 1;
		ASSERT_EQ(swmod_inject_fault(f->e->m, &fl), 0);
		owned = swmod_owned_pages(f->e->m);
		errs = swmod_get_stats(f->e->m)->errors[c->leaf];
		/* At entry: fires before any operand is looked at. */
		EXPECT_EQ(tdf_sc(f, 0, c->leaf, f->tdr, f->tdr, 0, 0, NULL),
			  injected);
		EXPECT_EQ(swmod_owned_pages(f->e->m), owned);
		EXPECT_EQ(swmod_get_stats(f->e->m)->errors[c->leaf], errs + 1);
		/* Spent: the real step now succeeds. */
		tdf_step(f, c->stage);
		if (t_failed())
			t_diag("fault in leaf %u", c->leaf);
		tdf_free(f);
	}

	/* Every TD leaf, whatever its operands: the injected status. */
	{
		struct tdf *f = tdf_new();
		u16 leaf;

		for (leaf = SWMOD_TDH_VP_ENTER; leaf <= SWMOD_TDH_VP_WR;
		     leaf++) {
			struct swmod_fault fl = {
				.leaf = leaf, .point = SWMOD_FAULT_AT_ENTRY,
				.status = injected, .times = 1,
			};

			if (!swmod_param_leaf_name(leaf))
				continue;
			fl.nth = swmod_get_stats(f->e->m)->calls[leaf] + 1;
			ASSERT_EQ(swmod_inject_fault(f->e->m, &fl), 0);
			EXPECT_EQ(tdf_sc(f, 1, leaf, TD_PAGES_BASE, TD_PAGES_BASE,
					 0, 0, NULL), injected);
			swmod_clear_faults(f->e->m);
		}
		EXPECT_EQ(swmod_owned_pages(f->e->m), 0);
		tdf_free(f);
	}

	/* Entropy and interruption points. */
	{
		struct tdf *f = tdf_new();
		struct swmod_fault fl = {
			.leaf = SWMOD_TDH_MNG_KEY_CONFIG,
			.point = SWMOD_FAULT_AT_ENTROPY, .nth = 1,
			.status = SWMOD_TDX_KEY_GENERATION_FAILED,
		};

		tdf_build(f, S_CREATED);
		ASSERT_EQ(swmod_inject_fault(f->e->m, &fl), 0);
		EXPECT_EQ(tdf_sc(f, 0, SWMOD_TDH_MNG_KEY_CONFIG, f->tdr, 0, 0, 0,
				 NULL), SWMOD_TDX_KEY_GENERATION_FAILED);
		tdf_step(f, S_KEYED);
		tdf_step(f, S_TDCX);
		tdf_free(f);

		f = tdf_new();
		tdf_build(f, S_FLUSHDONE);
		fl.leaf = SWMOD_TDH_PHYMEM_CACHE_WB;
		fl.nth = 1;
		fl.status = SWMOD_TDX_INTERRUPTED_RESUMABLE;
		ASSERT_EQ(swmod_inject_fault(f->e->m, &fl), 0);
		EXPECT_EQ(tdf_sc(f, 0, SWMOD_TDH_PHYMEM_CACHE_WB, 0, 0, 0, 0, NULL),
			  SWMOD_TDX_INTERRUPTED_RESUMABLE);
		EXPECT_EQ(tdf_sc(f, 0, SWMOD_TDH_MNG_KEY_FREEID, f->tdr, 0, 0, 0,
				 NULL), SWMOD_TDX_WBCACHE_NOT_COMPLETE);
		OK(tdf_sc(f, 0, SWMOD_TDH_PHYMEM_CACHE_WB, 1, 0, 0, 0, NULL));
		EXPECT_EQ(tdf_sc(f, 0, SWMOD_TDH_PHYMEM_CACHE_WB, 1, 0, 0, 0, NULL),
			  SWMOD_TDX_WBCACHE_RESUME_ERROR);
		OK(tdf_sc(f, 2, SWMOD_TDH_PHYMEM_CACHE_WB, 0, 0, 0, 0, NULL));
		tdf_step(f, S_FREEID);
		tdf_free(f);
	}
}

/* ---- random sequences against a model ------------------------------- */

#define NR_GPAS		16
#define NR_HPAS		24
#define NR_STEPS	3000

enum g_state { G_FREE, G_MAPPED, G_PENDING };

struct model {
	enum g_state st[NR_GPAS];
	bool blocked[NR_GPAS];
	u64 bepoch[NR_GPAS];
	int page_of[NR_GPAS];		/* HPA index */
	int owner[NR_HPAS];		/* GPA index or -1 */
	u64 epoch;
	bool finalized;
};

static u64 model_step(struct tdf *f, struct model *md, struct rng *r,
		      const u64 *hpa, u64 *want, const char **what)
{
	unsigned int g = rng_range(r, 0, NR_GPAS - 1);
	unsigned int h = rng_range(r, 0, NR_HPAS - 1);
	u64 gpa = g * SZ_4K, st;
	struct swmod_regs out;
	bool tracked = md->epoch >= md->bepoch[g] + 1;

	switch (rng_range(r, 0, 6)) {
	case 0:
		*what = "PAGE.ADD";
		st = tdf_sc(f, 0, SWMOD_TDH_MEM_PAGE_ADD, gpa, f->tdr, hpa[h],
			    TD_SRC_PA, NULL);
		if (md->finalized)
			*want = SWMOD_TDX_TD_FINALIZED;
		else if (md->st[g] != G_FREE)
			*want = EPT(EPT_ENTRY_NOT_FREE);
		else if (md->owner[h] >= 0)
			*want = META(R8);
		else {
			*want = 0;
			md->st[g] = G_MAPPED;
			md->blocked[g] = false;
			md->page_of[g] = h;
			md->owner[h] = g;
		}
		return st;
	case 1:
		*what = "PAGE.AUG";
		st = tdf_sc(f, 0, SWMOD_TDH_MEM_PAGE_AUG, gpa, f->tdr, hpa[h], 0,
			    NULL);
		if (md->st[g] != G_FREE)
			*want = EPT(EPT_ENTRY_NOT_FREE);
		else if (md->owner[h] >= 0)
			*want = META(R8);
		else {
			*want = 0;
			md->st[g] = G_PENDING;
			md->blocked[g] = false;
			md->page_of[g] = h;
			md->owner[h] = g;
		}
		return st;
	case 2:
		*what = "RANGE.BLOCK";
		st = tdf_sc(f, 0, SWMOD_TDH_MEM_RANGE_BLOCK, gpa, f->tdr, 0, 0,
			    NULL);
		if (md->st[g] == G_FREE)
			*want = EPT(EPT_ENTRY_FREE);
		else if (md->blocked[g])
			*want = SWMOD_TDX_GPA_RANGE_ALREADY_BLOCKED;
		else {
			*want = 0;
			md->blocked[g] = true;
			md->bepoch[g] = md->epoch;
		}
		return st;
	case 3:
		*what = "MEM.TRACK";
		*want = 0;
		md->epoch++;
		return tdf_sc(f, 0, SWMOD_TDH_MEM_TRACK, f->tdr, 0, 0, 0, NULL);
	case 4:
		*what = "RANGE.UNBLOCK";
		st = tdf_sc(f, 0, SWMOD_TDH_MEM_RANGE_UNBLOCK, gpa, f->tdr, 0, 0,
			    NULL);
		if (md->st[g] == G_FREE)
			*want = EPT(EPT_ENTRY_FREE);
		else if (!md->blocked[g])
			*want = EPT(GPA_RANGE_NOT_BLOCKED);
		else if (!tracked)
			*want = SWMOD_TDX_TLB_TRACKING_NOT_DONE |
				SWMOD_OPERAND_ID_SEPT;
		else {
			*want = 0;
			md->blocked[g] = false;
		}
		return st;
	case 5:
		*what = "PAGE.REMOVE";
		st = tdf_sc(f, 0, SWMOD_TDH_MEM_PAGE_REMOVE, gpa, f->tdr, 0, 0,
			    &out);
		if (md->st[g] == G_FREE)
			*want = EPT(EPT_ENTRY_FREE);
		else if (!md->blocked[g])
			*want = EPT(GPA_RANGE_NOT_BLOCKED);
		else if (!tracked)
			*want = EPT(TLB_TRACKING_NOT_DONE);
		else {
			*want = 0;
			EXPECT_EQ(out.rcx, hpa[md->page_of[g]]);
			md->owner[md->page_of[g]] = -1;
			md->st[g] = G_FREE;
		}
		return st;
	default:
		*what = "PHYMEM.PAGE.RDMD";
		st = tdf_sc(f, 0, SWMOD_TDH_PHYMEM_PAGE_RDMD, hpa[h], 0, 0, 0, &out);
		*want = 0;
		EXPECT_EQ(out.rcx, md->owner[h] >= 0 ? SWMOD_PT_REG : SWMOD_PT_NDA);
		if (rng_chance(r, 2) && !md->finalized) {
			md->finalized = true;
			OK(tdf_sc(f, 0, SWMOD_TDH_MR_FINALIZE, f->tdr, 0, 0, 0,
				  NULL));
		}
		return st;
	}
}

/*
 * Random memory operations on one TD, each status predicted exactly by
 * a model; after every step the module owns exactly the model's pages
 * (no page owned twice, none lost).  Then KVM's teardown must reclaim
 * everything.
 */
void test_td_random(struct rng *r)
{
	struct tdf *f = tdf_new();
	struct model md;
	u64 hpa[NR_HPAS], base, st, want;
	unsigned int i, step, owned;
	const char *what;

	tdf_build(f, S_SEPT);
	memset(&md, 0, sizeof(md));
	md.epoch = 1;
	for (i = 0; i < NR_HPAS; i++) {
		hpa[i] = tdf_page(f);
		md.owner[i] = -1;
	}
	base = swmod_owned_pages(f->e->m);
	for (step = 0; step < NR_STEPS; step++) {
		st = model_step(f, &md, r, hpa, &want, &what);
		if (st != want) {
			t_fail(__FILE__, __LINE__, "step %u %s: %#llx, want %#llx",
			       step, what, st, want);
			break;
		}
		for (i = 0, owned = 0; i < NR_HPAS; i++)
			owned += md.owner[i] >= 0;
		if (swmod_owned_pages(f->e->m) != base + owned) {
			t_fail(__FILE__, __LINE__, "step %u %s: %llu pages owned, model %llu",
			       step, what, swmod_owned_pages(f->e->m), base + owned);
			break;
		}
	}

	OK(tdf_sc(f, 0, SWMOD_TDH_VP_FLUSH, f->tdvpr, 0, 0, 0, NULL));
	OK(tdf_sc(f, 0, SWMOD_TDH_MNG_VPFLUSHDONE, f->tdr, 0, 0, 0, NULL));
	OK(tdf_sc(f, 0, SWMOD_TDH_PHYMEM_CACHE_WB, 0, 0, 0, 0, NULL));
	OK(tdf_sc(f, 2, SWMOD_TDH_PHYMEM_CACHE_WB, 0, 0, 0, 0, NULL));
	OK(tdf_sc(f, 0, SWMOD_TDH_MNG_KEY_FREEID, f->tdr, 0, 0, 0, NULL));
	for (base = TD_PAGES_BASE; base < f->next_page; base += SZ_4K) {
		if (base == f->tdr)
			continue;
		st = tdf_sc(f, 0, SWMOD_TDH_PHYMEM_PAGE_RECLAIM, base, 0, 0, 0,
			    NULL);
		if (st && st != META(RCX))
			t_fail(__FILE__, __LINE__, "reclaim %#llx: %#llx", base, st);
	}
	OK(tdf_sc(f, 0, SWMOD_TDH_PHYMEM_PAGE_RECLAIM, f->tdr, 0, 0, 0, NULL));
	EXPECT_TRUE(tdf_all_pamt_free(f));
	tdf_free(f);
}

/* ---- metadata: what KVM reads and writes ----------------------------- */

static u64 md_rd(struct tdf *f, u64 leaf, u64 obj, u64 field)
{
	struct swmod_regs out;

	OK(tdf_sc(f, 0, leaf, obj, field, 0, 0, &out));
	return out.r8;
}

/* Write @v under @mask, expect the old value back, read @want. */
static void md_wr(struct tdf *f, u64 leaf, u64 obj, u64 field, u64 v,
		  u64 mask, u64 old, u64 want)
{
	struct swmod_regs out;

	OK(tdf_sc(f, 0, leaf, obj, field, v, mask, &out));
	EXPECT_EQ(out.r8, old);
	EXPECT_EQ(md_rd(f, leaf == SWMOD_TDH_MNG_WR ? SWMOD_TDH_MNG_RD :
			SWMOD_TDH_VP_RD, obj, field), want);
}

/*
 * A debug TD's vCPU: VP.INIT's RCX shows in GPR 1, every writable
 * field takes a write (old value returned, masked bits only) and reads
 * it back; MNG.WR of the TSC offset likewise.
 */
void test_td_metadata(struct rng *r)
{
	struct tdf *f = tdf_new();
	u64 vp_rd = SWMOD_TDH_VP_RD, vp_wr = SWMOD_TDH_VP_WR, v;
	unsigned int i;

	f->params.attributes |= SWMOD_ATTR_DEBUG;
	tdf_build(f, S_VPCREATED);
	for (i = 0; i < SWMOD_TDVPX_PAGES; i++)
		OK(tdf_sc(f, 0, SWMOD_TDH_VP_ADDCX, tdf_page(f), f->tdvpr, 0, 0,
			  NULL));
	OK(tdf_sc(f, 0, SWMOD_TDH_VP_INIT, f->tdvpr, 0xABCD, 0, 0, NULL));
	EXPECT_EQ(md_rd(f, vp_rd, f->tdvpr, SWMOD_MD_GPR(1)), 0xABCD);
	EXPECT_EQ(md_rd(f, vp_rd, f->tdvpr, SWMOD_MD_GPR(0)), 0);

	md_wr(f, vp_wr, f->tdvpr, SWMOD_MD_POSTED_INTR_NV, 0xF2, ~0ULL, 0, 0xF2);
	md_wr(f, vp_wr, f->tdvpr, SWMOD_MD_POSTED_INTR_DESC, 0x123440, ~0ULL, 0,
	      0x123440);
	md_wr(f, vp_wr, f->tdvpr, SWMOD_MD_SHARED_EPTP, 0x7000, ~0ULL, 0,
	      0x7000);
	md_wr(f, vp_wr, f->tdvpr, SWMOD_MD_PIN_BASED_CTLS,
	      SWMOD_PIN_BASED_POSTED_INTR, SWMOD_PIN_BASED_POSTED_INTR,
	      SWMOD_VCPU_INIT_PIN_BASED,
	      SWMOD_VCPU_INIT_PIN_BASED | SWMOD_PIN_BASED_POSTED_INTR);
	md_wr(f, vp_wr, f->tdvpr, SWMOD_MD_PEND_NMI, 1, 1, 0, 1);
	md_wr(f, vp_wr, f->tdvpr, SWMOD_MD_GUEST_RIP, 0x1000, ~0ULL,
	      SWMOD_VCPU_INIT_RIP, 0x1000);
	/* Only the masked half changes. */
	md_wr(f, vp_wr, f->tdvpr, SWMOD_MD_GPR(1), 0x11112222, 0xFFFF, 0xABCD,
	      0x2222);
	for (i = 0; i < 16; i++) {
		v = md_rd(f, vp_rd, f->tdvpr, SWMOD_MD_GPR(i));
		md_wr(f, vp_wr, f->tdvpr, SWMOD_MD_GPR(i), i * 0x101, ~0ULL, v,
		      i * 0x101);
	}
	/* Reads changed nothing: the values are still there. */
	EXPECT_EQ(md_rd(f, vp_rd, f->tdvpr, SWMOD_MD_POSTED_INTR_NV), 0xF2);
	EXPECT_EQ(md_rd(f, vp_rd, f->tdvpr, SWMOD_MD_PEND_NMI), 1);

	md_wr(f, SWMOD_TDH_MNG_WR, f->tdr, SWMOD_MD_TSC_OFFSET, 0x1234, ~0ULL,
	      0, 0x1234);
	EXPECT_EQ(md_rd(f, SWMOD_TDH_MNG_RD, f->tdr, SWMOD_MD_TSC_MULTIPLIER),
		  SWMOD_TSC_MULTIPLIER_ONE);
	tdf_free(f);
}

/* ---- benchmarks (print, never fail on the numbers) ------------------ */

#define BENCH_BYTES	(64 * SZ_1M)

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * A 64 MiB TD built from unmeasured pages: SEAMCALLs per page (one
 * PAGE.ADD, plus the S-EPT pages amortized) and the build time against
 * copying 64 MiB.
 */
void test_td_bench(struct rng *r)
{
	const u64 pages = BENCH_BYTES / SZ_4K;
	struct tdf *f = tdf_new();
	u64 calls = 0, gpa;
	double t0, t_build, t_copy;
	u8 *a, *b;

	tdf_build(f, S_VPINIT);
	uplat_fill(f->e->p, TD_SRC_PA, 0x33, SZ_4K);
	t0 = now_s();
	OK(tdf_sc(f, 0, SWMOD_TDH_MEM_SEPT_ADD, 3, f->tdr, tdf_page(f), 0, NULL));
	OK(tdf_sc(f, 0, SWMOD_TDH_MEM_SEPT_ADD, 2, f->tdr, tdf_page(f), 0, NULL));
	calls += 2;
	for (gpa = 0; gpa < BENCH_BYTES; gpa += SZ_4K) {
		if (!(gpa & (SZ_2M - 1))) {
			OK(tdf_sc(f, 0, SWMOD_TDH_MEM_SEPT_ADD, gpa | 1, f->tdr,
				  tdf_page(f), 0, NULL));
			calls++;
		}
		OK(tdf_sc(f, 0, SWMOD_TDH_MEM_PAGE_ADD, gpa, f->tdr, tdf_page(f),
			  TD_SRC_PA, NULL));
		calls++;
	}
	t_build = now_s() - t0;

	a = malloc(BENCH_BYTES);
	b = malloc(BENCH_BYTES);
	ASSERT_TRUE(a && b);
	memset(a, 1, BENCH_BYTES);
	memset(b, 2, BENCH_BYTES);
	t0 = now_s();
	memcpy(b, a, BENCH_BYTES);
	t_copy = now_s() - t0;
	EXPECT_EQ(b[BENCH_BYTES - 1], 1);
	free(a);
	free(b);

	printf("bench: td_build_seamcalls_per_page %.4f calls/page (goal <= 1.01)\n",
	       (double)calls / pages);
	printf("bench: td_build_vs_copy_ratio %.1f x (goal informative; userspace engine under ASan, sparse memory)\n",
	       t_copy > 0 ? t_build / t_copy : 0.0);
	tdf_free(f);
}

/* ---- threads contending on one TD ----------------------------------- */

#define NR_THREADS	4
#define THREAD_ROUNDS	3000

struct td_thread {
	struct tdf *f;
	pthread_barrier_t *start;
	unsigned int lp;
	u64 gpa, hpa;
	u64 busy, bad_status, bad_leaf;
	u64 done;
};

static bool is_busy(u64 st)
{
	return (st & SWMOD_STATUS_MASK) == SWMOD_TDX_OPERAND_BUSY;
}

/* One call, retried while another LP holds a lock it needs. */
static u64 thread_sc(struct td_thread *t, u64 leaf, u64 rcx, u64 rdx, u64 r8,
		     u64 *rcx_out)
{
	struct swmod_regs r;
	u64 st;

	do {
		r = (struct swmod_regs){ .rax = leaf, .rcx = rcx, .rdx = rdx,
					 .r8 = r8 };
		if (swmod_seamcall(t->f->e->m, &r) != SWMOD_SEAMRET)
			return ~0ULL;
		st = r.rax;
		if (is_busy(st))
			t->busy++;
	} while (is_busy(st));
	if (rcx_out)
		*rcx_out = r.rcx;
	return st;
}

static void *td_thread_fn(void *arg)
{
	struct td_thread *t = arg;
	u64 tdr = t->f->tdr, st, rcx;
	unsigned int i;

	uplat_set_thread_lp(t->lp);
	pthread_barrier_wait(t->start);
	for (i = 0; i < THREAD_ROUNDS; i++) {
		static const u16 leaves[] = {
			SWMOD_TDH_MEM_PAGE_AUG, SWMOD_TDH_MEM_RANGE_BLOCK,
			SWMOD_TDH_MEM_TRACK, SWMOD_TDH_MEM_PAGE_REMOVE,
		};
		unsigned int k;

		for (k = 0; k < ARRAY_SIZE(leaves); k++) {
			u64 leaf = leaves[k];

			if (leaf == SWMOD_TDH_MEM_TRACK)
				st = thread_sc(t, leaf, tdr, 0, 0, NULL);
			else
				st = thread_sc(t, leaf, t->gpa, tdr, t->hpa, &rcx);
			if (st) {
				t->bad_status = st;
				t->bad_leaf = leaf;
				goto out;
			}
			if (leaf == SWMOD_TDH_MEM_PAGE_REMOVE && rcx != t->hpa) {
				t->bad_status = rcx;
				t->bad_leaf = leaf;
				goto out;
			}
		}
		t->done++;
	}
out:
	uplat_set_thread_lp(-1);
	return NULL;
}

/*
 * Four LPs AUG, BLOCK, TRACK and REMOVE their own GPA on one TD at the
 * same time: contention shows up only as TDX_OPERAND_BUSY (retried),
 * every other status is success, and no page ends up owned.
 */
void test_td_threads(struct rng *r)
{
	struct td_thread th[NR_THREADS];
	pthread_t tid[NR_THREADS];
	pthread_barrier_t start;
	struct tdf *f = tdf_new();
	u64 base, busy = 0;
	unsigned int i;

	tdf_build(f, S_SEPT);
	base = swmod_owned_pages(f->e->m);
	pthread_barrier_init(&start, NULL, NR_THREADS);
	for (i = 0; i < NR_THREADS; i++) {
		th[i] = (struct td_thread){ .f = f, .start = &start, .lp = i,
					    .gpa = (16 + i) * SZ_4K,
					    .hpa = tdf_page(f) };
		pthread_create(&tid[i], NULL, td_thread_fn, &th[i]);
	}
	for (i = 0; i < NR_THREADS; i++)
		pthread_join(tid[i], NULL);
	pthread_barrier_destroy(&start);
	for (i = 0; i < NR_THREADS; i++) {
		if (th[i].bad_status)
			t_fail(__FILE__, __LINE__, "LP %u: leaf %llu returned %#llx",
			       i, th[i].bad_leaf, th[i].bad_status);
		EXPECT_EQ(th[i].done, THREAD_ROUNDS);
		busy += th[i].busy;
	}
	EXPECT_EQ(swmod_owned_pages(f->e->m), base);
	t_diag("%llu TDX_OPERAND_BUSY retries", busy);
	tdf_free(f);
}

/*
 * Every TD leaf the module implements can be named in fail=, and the
 * name reads back (debugfs swmod/fail prints it).
 */
void test_td_fail_names(struct rng *r)
{
	static const u16 leaves[] = {
		SWMOD_TDH_VP_ENTER, SWMOD_TDH_MNG_ADDCX, SWMOD_TDH_MEM_PAGE_ADD,
		SWMOD_TDH_MEM_SEPT_ADD, SWMOD_TDH_VP_ADDCX,
		SWMOD_TDH_MEM_PAGE_AUG, SWMOD_TDH_MEM_RANGE_BLOCK,
		SWMOD_TDH_MNG_KEY_CONFIG, SWMOD_TDH_MNG_CREATE,
		SWMOD_TDH_VP_CREATE, SWMOD_TDH_MR_EXTEND, SWMOD_TDH_MR_FINALIZE,
		SWMOD_TDH_VP_FLUSH, SWMOD_TDH_MNG_VPFLUSHDONE,
		SWMOD_TDH_MNG_KEY_FREEID, SWMOD_TDH_MNG_INIT, SWMOD_TDH_VP_INIT,
		SWMOD_TDH_PHYMEM_PAGE_RDMD, SWMOD_TDH_MEM_SEPT_RD,
		SWMOD_TDH_PHYMEM_PAGE_RECLAIM, SWMOD_TDH_MEM_PAGE_REMOVE,
		SWMOD_TDH_MEM_SEPT_REMOVE, SWMOD_TDH_MEM_TRACK,
		SWMOD_TDH_MEM_RANGE_UNBLOCK, SWMOD_TDH_PHYMEM_CACHE_WB,
		SWMOD_TDH_PHYMEM_PAGE_WBINVD, SWMOD_TDH_MNG_RD, SWMOD_TDH_MNG_WR,
		SWMOD_TDH_VP_RD, SWMOD_TDH_VP_WR,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(leaves); i++) {
		const char *name = swmod_param_leaf_name(leaves[i]);
		struct swmod_fault f;
		char spec[64];

		if (!name) {
			t_fail(__FILE__, __LINE__, "leaf %u has no fail= name",
			       leaves[i]);
			continue;
		}
		snprintf(spec, sizeof(spec), "%s:2:3:0x8000020000000080", name);
		EXPECT_EQ(swmod_param_parse_fault(spec, &f), 0);
		EXPECT_EQ(f.leaf, leaves[i]);
		EXPECT_EQ(f.nth, 2);
		EXPECT_EQ(f.times, 3);
	}
}

/*
 * TD pages leave the "direct map": a host read of a TD-owned page is
 * caught (the machine-check analogue), a shared page is not, the
 * module's own accesses are not host touches, and the fake itself
 * flags a page hidden twice.
 */
void test_td_unmap(struct rng *r)
{
	struct tdf *f = tdf_new();
	struct swmod_plat *p = f->e->p;
	u64 v;

	tdf_build(f, S_ADDED);
	EXPECT_EQ(uplat_host_touches(p), 0);
	EXPECT_TRUE(uplat_hidden(p, f->tdr));
	EXPECT_TRUE(uplat_hidden(p, f->page0));
	uplat_read(p, TD_SRC_PA, &v, sizeof(v));
	EXPECT_EQ(uplat_host_touches(p), 0);
	uplat_read(p, f->page0 + 8, &v, sizeof(v));
	EXPECT_EQ(uplat_host_touches(p), 1);
	uplat_write(p, f->tdr, &v, sizeof(v));
	EXPECT_EQ(uplat_host_touches(p), 2);

	swmod_plat_set_owned(p, f->tdr, SZ_4K, true);
	EXPECT_EQ(uplat_owned_errors(p), 1);
	tdf_free(f);
}
