// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit test of the TD wrappers (asm/tdx_tdh.h) on the software TDX
 * module: a whole TD lifecycle on real pages through the exported
 * functions, MRTD against the kernel's SHA-384, TD entries with the
 * exits scripted through tdx_swmod_arm_vp_exit(), KeyIDs exhausted and
 * freed, every lifecycle leaf failed at run time without a leak, and
 * owned_pages back to 0 each time.
 *
 * Needs a kernel booted with "tdx_swmod=on,init" (lane tcg); skips
 * otherwise.
 */

#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/io.h>
#include <linux/module.h>
#include <linux/gfp.h>
#include <linux/cpu.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <linux/ktime.h>
#include <crypto/hash.h>
#include <asm/tdx.h>
#include <asm/tdx_tdh.h>

#include "tdx_swmod.h"

#define T_NR_PAGES	4		/* PAGE.ADDed and measured */
#define T_NR_SEPT	3		/* tables at levels 3, 2, 1 for GPA 0 */
#define T_MAX_TDCX	8
#define T_MAX_TDVPX	8
#define T_STATUS_MASK	0xFFFFFFFF00000000ULL
#define T_OPERAND_BUSY	0x8000020000000000ULL
#define T_NO_HKID_READY	0x0000082100000000ULL
#define T_VCPU_ASSOCIATED	0x8000070100000000ULL
#define T_NOT_ENTERED	0xC000010000000000ULL	/* OPERAND_INVALID | RAX */
#define T_EXIT_EPT	48ULL
#define T_EXIT_TDCALL	77ULL

/* One TD under test and the pages it was given. */
struct t_td {
	struct kunit *test;
	struct tdx_td_sysinfo si;
	int hkid;
	int vcpu_cpu;
	struct page *tdr, *params, *src, *tdvpr;
	struct page *tdcx[T_MAX_TDCX], *tdvpx[T_MAX_TDVPX];
	struct page *sept[T_NR_SEPT], *pages[T_NR_PAGES];
	bool created;
	u64 status;		/* of the per-CPU calls below */
	struct tdh_vp_enter_regs regs;	/* of t_vp_enter() */
};

static phys_addr_t pa(struct page *p)
{
	return page_to_phys(p);
}

static struct page *t_alloc(struct kunit *test)
{
	struct page *p = alloc_page(GFP_KERNEL | __GFP_ZERO);

	KUNIT_ASSERT_NOT_NULL(test, p);
	return p;
}

static void t_key_config(void *arg)
{
	struct t_td *td = arg;
	u64 st = tdh_mng_key_config(pa(td->tdr));

	if (st && !td->status)
		td->status = st;
}

static void t_cache_wb(void *arg)
{
	struct t_td *td = arg;
	u64 st = tdh_phymem_cache_wb(false);

	if (st == T_NO_HKID_READY)
		st = 0;
	if (st && !td->status)
		td->status = st;
}

static void t_vp_init(void *arg)
{
	struct t_td *td = arg;

	td->status = tdh_vp_init(pa(td->tdvpr), 0);
}

static void t_vp_flush(void *arg)
{
	struct t_td *td = arg;

	td->status = tdh_vp_flush(pa(td->tdvpr));
}

/* Interrupts off, as in KVM's run loop. */
static void t_vp_enter(void *arg)
{
	struct t_td *td = arg;

	td->status = tdh_vp_enter(pa(td->tdvpr), &td->regs);
}

static u64 t_on_packages(struct t_td *td, smp_call_func_t fn)
{
	int ret;

	td->status = 0;
	cpus_read_lock();
	ret = tdx_on_each_package(fn, td);
	cpus_read_unlock();
	return ret ? ~0ULL : td->status;
}

static u64 t_on_cpu(struct t_td *td, int cpu, smp_call_func_t fn)
{
	if (smp_call_function_single(cpu, fn, td, true))
		return ~0ULL;
	return td->status;
}

static u64 t_on_vcpu_cpu(struct t_td *td, smp_call_func_t fn)
{
	return t_on_cpu(td, td->vcpu_cpu, fn);
}

/* The TD_PARAMS a 4-level, one-vCPU TD with S-EPT #VE off needs. */
static void t_params(struct t_td *td)
{
	u8 *p = page_address(td->params);
	u64 attr = BIT_ULL(28), xfam = 3, eptp = 6 | (3 << 3);
	u16 vcpus = 1, tsc = 100;

	memset(p, 0, PAGE_SIZE);
	memcpy(p + 0, &attr, 8);
	memcpy(p + 8, &xfam, 8);
	memcpy(p + 16, &vcpus, 2);
	memcpy(p + 24, &eptp, 8);
	memcpy(p + 40, &tsc, 2);
}

static void t_measure_block(struct shash_desc *d, const char *tag, u64 gpa)
{
	u8 b[128] = {};

	memcpy(b, tag, strlen(tag));
	memcpy(b + 16, &gpa, 8);
	crypto_shash_update(d, b, sizeof(b));
}

/*
 * Build the TD step by step; stop at the first failing wrapper and
 * return its status (the teardown copes with any prefix).  Every page
 * is MR.EXTENDed; with @hash, the expected MRTD is computed alongside.
 */
static u64 t_build(struct t_td *td, struct shash_desc *hash)
{
	unsigned int i, c;
	u64 st, rcx, rdx;

	st = tdh_mng_create(pa(td->tdr), td->hkid);
	if (st)
		return st;
	td->created = true;
	st = t_on_packages(td, t_key_config);
	if (st)
		return st;
	for (i = 0; i < td->si.tdcs_nr_pages; i++) {
		st = tdh_mng_addcx(pa(td->tdr), pa(td->tdcx[i]));
		if (st)
			return st;
	}
	t_params(td);
	st = tdh_mng_init(pa(td->tdr), pa(td->params), &rcx);
	if (st)
		return st;
	st = tdh_vp_create(pa(td->tdr), pa(td->tdvpr));
	if (st)
		return st;
	for (i = 0; i < td->si.tdvpx_nr_pages; i++) {
		st = tdh_vp_addcx(pa(td->tdvpr), pa(td->tdvpx[i]));
		if (st)
			return st;
	}
	st = t_on_vcpu_cpu(td, t_vp_init);
	if (st)
		return st;
	for (i = 0; i < T_NR_SEPT; i++) {
		st = tdh_mem_sept_add(pa(td->tdr), 0, 3 - i, pa(td->sept[i]),
				      &rcx, &rdx);
		if (st)
			return st;
	}
	memset(page_address(td->src), 0xA5, PAGE_SIZE);
	for (i = 0; i < T_NR_PAGES; i++) {
		u64 gpa = i * PAGE_SIZE;

		st = tdh_mem_page_add(pa(td->tdr), gpa, pa(td->pages[i]),
				      pa(td->src), &rcx, &rdx);
		if (st)
			return st;
		if (hash)
			t_measure_block(hash, "MEM.PAGE.ADD", gpa);
		for (c = 0; c < PAGE_SIZE; c += 256) {
			st = tdh_mr_extend(pa(td->tdr), gpa + c, &rcx, &rdx);
			if (st)
				return st;
			if (!hash)
				continue;
			t_measure_block(hash, "MR.EXTEND", gpa + c);
			crypto_shash_update(hash, page_address(td->src) + c, 256);
		}
	}
	st = tdh_mr_finalize(pa(td->tdr));
	if (st)
		return st;
	/* Take one page away while the TD is alive. */
	st = tdh_mem_range_block(pa(td->tdr), 0, 0, &rcx, &rdx);
	if (st)
		return st;
	st = tdh_mem_track(pa(td->tdr));
	if (st)
		return st;
	st = tdh_mem_page_remove(pa(td->tdr), 0, 0, &rcx, &rdx);
	if (st)
		return st;
	KUNIT_EXPECT_EQ(td->test, rcx, (u64)pa(td->pages[0]));
	return 0;
}

/* Retry a teardown leaf that an injected fault failed once. */
#define T_RETRY(call) ({						\
	u64 __st = (call);						\
	if (__st & BIT_ULL(63))						\
		__st = (call);						\
	__st;								\
})

static void t_reclaim(struct t_td *td, struct page *p)
{
	u64 pt, owner, size, st;
	phys_addr_t hpa = pa(p);

	st = T_RETRY(tdh_phymem_page_reclaim(hpa, &pt, &owner, &size));
	/* A page the TD never got (PT_NDA) answers METADATA_INCORRECT. */
	if (st && (st & T_STATUS_MASK) != 0xC000030000000000ULL) {
		tdx_page_leaked(hpa);
		KUNIT_FAIL(td->test, "reclaim %pa: %#llx", &hpa, st);
	}
}

/* KVM's release of the HKID: flush, VPFLUSHDONE, CACHE.WB, FREEID. */
static void t_release_hkid(struct t_td *td)
{
	struct kunit *test = td->test;

	/* A vCPU never initialized is not associated: no error. */
	(void)T_RETRY(t_on_vcpu_cpu(td, t_vp_flush));
	KUNIT_EXPECT_EQ(test, T_RETRY(tdh_mng_vpflushdone(pa(td->tdr))), 0ULL);
	KUNIT_EXPECT_EQ(test, T_RETRY(t_on_packages(td, t_cache_wb)), 0ULL);
	KUNIT_EXPECT_EQ(test, T_RETRY(tdh_mng_key_freeid(pa(td->tdr))), 0ULL);
}

/* Tear down whatever t_build() got to, and free every page. */
static void t_teardown(struct t_td *td, bool hkid_released)
{
	unsigned int i;

	if (td->created) {
		if (!hkid_released)
			t_release_hkid(td);
		for (i = 0; i < T_NR_PAGES; i++)
			t_reclaim(td, td->pages[i]);
		for (i = 0; i < T_NR_SEPT; i++)
			t_reclaim(td, td->sept[i]);
		for (i = 0; i < td->si.tdvpx_nr_pages; i++)
			t_reclaim(td, td->tdvpx[i]);
		t_reclaim(td, td->tdvpr);
		for (i = 0; i < td->si.tdcs_nr_pages; i++)
			t_reclaim(td, td->tdcx[i]);
		t_reclaim(td, td->tdr);
	}
	tdx_guest_keyid_free(td->hkid);
}

static struct t_td *t_td_new(struct kunit *test)
{
	struct t_td *td = kunit_kzalloc(test, sizeof(*td), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, td);
	td->test = test;
	KUNIT_ASSERT_EQ(test, tdx_get_td_sysinfo(&td->si), 0);
	KUNIT_ASSERT_LE(test, td->si.tdcs_nr_pages, T_MAX_TDCX);
	KUNIT_ASSERT_LE(test, td->si.tdvpx_nr_pages, T_MAX_TDVPX);
	td->hkid = tdx_guest_keyid_alloc();
	KUNIT_ASSERT_GT(test, td->hkid, 0);
	td->vcpu_cpu = cpumask_first(cpu_online_mask);
	td->tdr = t_alloc(test);
	td->params = t_alloc(test);
	td->src = t_alloc(test);
	td->tdvpr = t_alloc(test);
	for (i = 0; i < td->si.tdcs_nr_pages; i++)
		td->tdcx[i] = t_alloc(test);
	for (i = 0; i < td->si.tdvpx_nr_pages; i++)
		td->tdvpx[i] = t_alloc(test);
	for (i = 0; i < T_NR_SEPT; i++)
		td->sept[i] = t_alloc(test);
	for (i = 0; i < T_NR_PAGES; i++)
		td->pages[i] = t_alloc(test);
	return td;
}

static void t_td_free(struct t_td *td)
{
	unsigned int i;

	__free_page(td->tdr);
	__free_page(td->params);
	__free_page(td->src);
	__free_page(td->tdvpr);
	for (i = 0; i < td->si.tdcs_nr_pages; i++)
		__free_page(td->tdcx[i]);
	for (i = 0; i < td->si.tdvpx_nr_pages; i++)
		__free_page(td->tdvpx[i]);
	for (i = 0; i < T_NR_SEPT; i++)
		__free_page(td->sept[i]);
	for (i = 0; i < T_NR_PAGES; i++)
		__free_page(td->pages[i]);
}

/*
 * With TD pages out of the direct map, exactly the pages the TD owns
 * are hidden: after t_build() all but the removed pages[0] and the
 * shared ones, after the teardown none.
 */
static void t_expect_hidden(struct t_td *td, bool built)
{
	struct kunit *test = td->test;
	unsigned int i;

	if (!tdx_swmod_unmap_enabled())
		return;
	KUNIT_EXPECT_EQ(test, tdx_swmod_page_hidden(pa(td->tdr)), built);
	KUNIT_EXPECT_EQ(test, tdx_swmod_page_hidden(pa(td->tdvpr)), built);
	for (i = 0; i < td->si.tdcs_nr_pages; i++)
		KUNIT_EXPECT_EQ(test, tdx_swmod_page_hidden(pa(td->tdcx[i])),
				built);
	for (i = 0; i < td->si.tdvpx_nr_pages; i++)
		KUNIT_EXPECT_EQ(test, tdx_swmod_page_hidden(pa(td->tdvpx[i])),
				built);
	for (i = 0; i < T_NR_SEPT; i++)
		KUNIT_EXPECT_EQ(test, tdx_swmod_page_hidden(pa(td->sept[i])),
				built);
	for (i = 1; i < T_NR_PAGES; i++)
		KUNIT_EXPECT_EQ(test, tdx_swmod_page_hidden(pa(td->pages[i])),
				built);
	KUNIT_EXPECT_FALSE(test, tdx_swmod_page_hidden(pa(td->pages[0])));
	KUNIT_EXPECT_FALSE(test, tdx_swmod_page_hidden(pa(td->src)));
	KUNIT_EXPECT_FALSE(test, tdx_swmod_page_hidden(pa(td->params)));
}

static int t_init(struct kunit *test)
{
	struct tdx_td_sysinfo si;

	if (!tdx_module_is_software() || tdx_get_td_sysinfo(&si))
		kunit_skip(test, "needs the software TDX module, initialized");
	return 0;
}

/*
 * What KVM reads and writes through the metadata wrappers: MRTD from
 * TDH.MNG.RD against the test's own SHA-384, a TD VMCS field and
 * PEND_NMI through TDH.VP.WR/RD (old value back), and a GPR refused
 * in a TD without DEBUG.
 */
static void t_metadata(struct t_td *td, const u8 *want)
{
	struct kunit *test = td->test;
	u64 v, old, mrtd[6];
	unsigned int i;

	for (i = 0; i < 6; i++)
		KUNIT_ASSERT_EQ(test, tdh_mng_rd(pa(td->tdr), TDX_MD_MRTD(i),
						 &mrtd[i]), 0ULL);
	KUNIT_EXPECT_EQ(test, memcmp(want, mrtd, sizeof(mrtd)), 0);
	KUNIT_EXPECT_EQ(test, tdh_mng_rd(pa(td->tdr), TDX_MD_TSC_OFFSET, &v),
			0ULL);

	KUNIT_EXPECT_EQ(test, tdh_vp_wr(pa(td->tdvpr), TDX_MD_VMCS(0x0002),
					0xF2, ~0ULL, &old), 0ULL);
	KUNIT_EXPECT_EQ(test, old, 0ULL);
	KUNIT_EXPECT_EQ(test, tdh_vp_rd(pa(td->tdvpr), TDX_MD_VMCS(0x0002), &v),
			0ULL);
	KUNIT_EXPECT_EQ(test, v, 0xF2ULL);
	KUNIT_EXPECT_EQ(test, tdh_vp_wr(pa(td->tdvpr), TDX_MD_PEND_NMI, 1, 1,
					NULL), 0ULL);
	KUNIT_EXPECT_EQ(test, tdh_vp_rd(pa(td->tdvpr), TDX_MD_PEND_NMI, &v),
			0ULL);
	KUNIT_EXPECT_EQ(test, v, 1ULL);
	/* TDX_FIELD_NOT_READABLE: GPRs are for debug TDs only. */
	KUNIT_EXPECT_EQ(test, tdh_vp_rd(pa(td->tdvpr), TDX_MD_GPR(1), &v),
			0xC000072100000000ULL);
}

static int t_arm_vp_exit(const char *exit)
{
	char spec[64];

	strscpy(spec, exit, sizeof(spec));
	return tdx_swmod_arm_vp_exit(spec);
}

/* Every output of the last t_vp_enter(), ORed: 0 after an error. */
static u64 t_vp_outputs(const struct tdh_vp_enter_regs *r)
{
	return r->rcx | r->rdx | r->r8 | r->r9 | r->r10 | r->r11 | r->r12 |
	       r->r13 | r->r14 | r->r15;
}

/*
 * TDH.VP.ENTER of the finalized TD, always on the CPU its vCPU is
 * associated with (VP.INIT's), so that the answers do not depend on
 * where the test runs:
 *   nothing armed        OPERAND_INVALID|RAX, every output 0
 *   a scripted TDVMCALL  exit 77, RCX = mask, the selected R10..R12
 *                        out, R13..R15 0
 *   the answer           taken, then OPERAND_INVALID|RAX (consumed)
 *   an EPT violation     exit 48, RCX = qualification, R8 = GPA
 * and on any other CPU TDX_VCPU_ASSOCIATED, every output 0.
 */
static void t_vp_enter_exits(struct t_td *td)
{
	struct kunit *test = td->test;
	struct tdh_vp_enter_regs *r = &td->regs;
	unsigned int other;

	KUNIT_EXPECT_EQ(test, t_arm_vp_exit("none"), 0);
	memset(r, 0xAA, sizeof(*r));
	KUNIT_EXPECT_EQ(test, t_on_vcpu_cpu(td, t_vp_enter), T_NOT_ENTERED);
	KUNIT_EXPECT_EQ(test, t_vp_outputs(r), 0ULL);

	KUNIT_EXPECT_EQ(test,
			t_arm_vp_exit("tdvmcall 0x1c00 0x10 0x11 0x12 0x13 0x14 0x15\n"),
			0);
	memset(r, 0, sizeof(*r));
	KUNIT_EXPECT_EQ(test, t_on_vcpu_cpu(td, t_vp_enter), T_EXIT_TDCALL);
	KUNIT_EXPECT_EQ(test, r->rcx, 0x1c00ULL);
	KUNIT_EXPECT_EQ(test, r->r10, 0x10ULL);
	KUNIT_EXPECT_EQ(test, r->r11, 0x11ULL);
	KUNIT_EXPECT_EQ(test, r->r12, 0x12ULL);
	KUNIT_EXPECT_EQ(test, r->rdx | r->r8 | r->r9 | r->r13 | r->r14 | r->r15,
			0ULL);

	r->r10 = 0;
	r->r11 = 0x21;
	KUNIT_EXPECT_EQ(test, t_on_vcpu_cpu(td, t_vp_enter), T_NOT_ENTERED);
	KUNIT_EXPECT_EQ(test, t_vp_outputs(r), 0ULL);

	KUNIT_EXPECT_EQ(test, t_arm_vp_exit("ept 0x3000 0x181"), 0);
	KUNIT_EXPECT_EQ(test, t_arm_vp_exit("ept 0x4000 0x181"), -EBUSY);
	KUNIT_EXPECT_EQ(test, t_on_vcpu_cpu(td, t_vp_enter), T_EXIT_EPT);
	KUNIT_EXPECT_EQ(test, r->rcx, 0x181ULL);
	KUNIT_EXPECT_EQ(test, r->r8, 0x3000ULL);

	cpus_read_lock();
	other = cpumask_any_but(cpu_online_mask, td->vcpu_cpu);
	if (other < nr_cpu_ids) {
		memset(r, 0xAA, sizeof(*r));
		KUNIT_EXPECT_EQ(test, t_on_cpu(td, other, t_vp_enter),
				T_VCPU_ASSOCIATED);
		KUNIT_EXPECT_EQ(test, t_vp_outputs(r), 0ULL);
	}
	cpus_read_unlock();
}

static void tdh_test_lifecycle(struct kunit *test)
{
	struct crypto_shash *tfm = crypto_alloc_shash("sha384", 0, 0);
	u8 want[48], got[48];
	struct shash_desc *d;
	struct t_td *td;
	u64 leaked = tdx_leaked_pages();

	KUNIT_ASSERT_FALSE(test, IS_ERR(tfm));
	d = kunit_kzalloc(test, sizeof(*d) + crypto_shash_descsize(tfm),
			  GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, d);
	d->tfm = tfm;
	crypto_shash_init(d);

	td = t_td_new(test);
	KUNIT_EXPECT_EQ(test, tdx_swmod_owned_pages(), 0ULL);
	KUNIT_EXPECT_EQ(test, t_build(td, d), 0ULL);
	crypto_shash_final(d, want);
	KUNIT_EXPECT_EQ(test, tdx_swmod_read_mrtd(pa(td->tdr), got), 0);
	KUNIT_EXPECT_EQ(test, memcmp(want, got, sizeof(want)), 0);
	KUNIT_EXPECT_GT(test, tdx_swmod_owned_pages(), 0ULL);
	t_expect_hidden(td, true);
	t_vp_enter_exits(td);
	t_metadata(td, want);
	t_teardown(td, false);
	KUNIT_EXPECT_EQ(test, tdx_swmod_owned_pages(), 0ULL);
	t_expect_hidden(td, false);
	KUNIT_EXPECT_EQ(test, tdx_leaked_pages(), leaked);
	t_td_free(td);
	crypto_free_shash(tfm);
}

static void tdh_test_keyids(struct kunit *test)
{
	struct tdx_td_sysinfo si;
	int ids[128], n = 0, id, i;

	KUNIT_ASSERT_EQ(test, tdx_get_td_sysinfo(&si), 0);
	while ((id = tdx_guest_keyid_alloc()) > 0) {
		KUNIT_ASSERT_LT(test, n, (int)ARRAY_SIZE(ids));
		for (i = 0; i < n; i++)
			KUNIT_EXPECT_NE(test, ids[i], id);
		ids[n++] = id;
	}
	KUNIT_EXPECT_EQ(test, id, -ENOSPC);
	KUNIT_EXPECT_GT(test, n, 0);
	for (i = 0; i < n; i++)
		tdx_guest_keyid_free(ids[i]);
	id = tdx_guest_keyid_alloc();
	KUNIT_EXPECT_GT(test, id, 0);
	tdx_guest_keyid_free(id);
}

/* Leaves of the lifecycle, by number, in the order they are called. */
static const struct {
	u16 leaf;
	bool in_build;		/* else in the teardown, which retries */
} t_fault_leaves[] = {
	{ 9, true }, { 8, true }, { 1, true }, { 21, true }, { 10, true },
	{ 4, true }, { 22, true }, { 3, true }, { 2, true }, { 16, true },
	{ 17, true }, { 7, true }, { 38, true }, { 29, true },
	{ 18, false }, { 19, false }, { 40, false }, { 20, false },
	{ 28, false },
};

/*
 * Each lifecycle leaf failed once at run time (debugfs swmod/fail's
 * syntax): the wrapper returns the injected status, the teardown copes
 * with what was built, nothing stays owned, nothing leaks.
 */
static void tdh_test_fault_each_leaf(struct kunit *test)
{
	unsigned int i;
	char spec[48];

	for (i = 0; i < ARRAY_SIZE(t_fault_leaves); i++) {
		u64 leaked = tdx_leaked_pages();
		struct t_td *td = t_td_new(test);
		u64 st;

		snprintf(spec, sizeof(spec), "%u:1:1:%#llx",
			 t_fault_leaves[i].leaf, T_OPERAND_BUSY | 128);
		KUNIT_ASSERT_EQ(test, tdx_swmod_arm_fault(spec), 0);
		st = t_build(td, NULL);
		KUNIT_EXPECT_EQ_MSG(test, st, t_fault_leaves[i].in_build ?
				    T_OPERAND_BUSY | 128 : 0,
				    "leaf %u", t_fault_leaves[i].leaf);
		t_teardown(td, false);
		KUNIT_EXPECT_EQ_MSG(test, tdx_swmod_owned_pages(), 0ULL,
				    "leaf %u", t_fault_leaves[i].leaf);
		KUNIT_EXPECT_EQ(test, tdx_leaked_pages(), leaked);
		strscpy(spec, "none", sizeof(spec));
		tdx_swmod_arm_fault(spec);
		t_td_free(td);
	}
}

#define T_BENCH_ROUNDS	4
/* Unmapped over mapped time of T_BENCH_ROUNDS TD builds and teardowns. */
#define T_BENCH_LINE	"bench: td_page_unmap_overhead_ratio %llu.%02llu x (goal informative)"

/* Nanoseconds for T_BENCH_ROUNDS TD builds and teardowns. */
static u64 t_bench_rounds(struct kunit *test)
{
	u64 start = ktime_get_ns();
	unsigned int i;

	for (i = 0; i < T_BENCH_ROUNDS; i++) {
		struct t_td *td = t_td_new(test);

		KUNIT_EXPECT_EQ(test, t_build(td, NULL), 0ULL);
		t_teardown(td, false);
		t_td_free(td);
	}
	return ktime_get_ns() - start;
}

/*
 * What taking TD pages out of the direct map costs: the same TD builds
 * and teardowns with unmapping on and off (a split-page update and a
 * TLB-flush IPI per page each way).  Informs, does not gate.
 */
static void tdh_test_unmap_bench(struct kunit *test)
{
	u64 on, off;

	if (!tdx_swmod_unmap_enabled())
		kunit_skip(test, "TD pages stay in the direct map");
	t_bench_rounds(test);		/* warm up */
	on = t_bench_rounds(test);
	KUNIT_ASSERT_EQ(test, tdx_swmod_set_unmap(false), 0);
	off = t_bench_rounds(test);
	KUNIT_ASSERT_EQ(test, tdx_swmod_set_unmap(true), 0);
	KUNIT_EXPECT_EQ(test, tdx_swmod_owned_pages(), 0ULL);
	if (!off)
		off = 1;
	kunit_log(KERN_INFO, test, KUNIT_SUBTEST_INDENT T_BENCH_LINE,
		  on / off, on * 100 / off % 100);
}

/* Turning unmapping off is refused while a page is TD-owned. */
static void tdh_test_unmap_busy(struct kunit *test)
{
	struct t_td *td;

	if (!tdx_swmod_unmap_enabled())
		kunit_skip(test, "TD pages stay in the direct map");
	td = t_td_new(test);
	KUNIT_EXPECT_EQ(test, tdh_mng_create(pa(td->tdr), td->hkid), 0ULL);
	td->created = true;
	KUNIT_EXPECT_TRUE(test, tdx_swmod_page_hidden(pa(td->tdr)));
	KUNIT_EXPECT_EQ(test, tdx_swmod_set_unmap(false), -EBUSY);
	KUNIT_EXPECT_TRUE(test, tdx_swmod_unmap_enabled());
	t_teardown(td, false);
	KUNIT_EXPECT_FALSE(test, tdx_swmod_page_hidden(pa(td->tdr)));
	t_td_free(td);
}

/*
 * A reclaim that fails leaks the page on purpose: tdx_reclaim_page()
 * says so, leaked_pages counts it, the page stays allocated (the caller
 * must not free it) and the module still owns it.  Two pages are leaked
 * so that the suite can check the kernel reports it once.  A reclaim
 * that is only busy for a moment is retried and leaks nothing.
 * Afterwards the test takes the leaked pages back for real, so that the
 * lane can check that nothing else is owned; leaked_pages keeps counting
 * them (the tdx-td suite expects exactly these two).
 */
static void tdh_test_reclaim_leaks(struct kunit *test)
{
	struct t_td *td = t_td_new(test);
	u64 leaked = tdx_leaked_pages(), owned, pt, owner, size, bepoch;
	char spec[48];

	KUNIT_ASSERT_EQ(test, t_build(td, NULL), 0ULL);
	t_release_hkid(td);
	owned = tdx_swmod_owned_pages();

	/* Fails for good (LIFECYCLE_STATE_INCORRECT) twice: leaked. */
	strscpy(spec, "28:1:2:0xC000060700000000", sizeof(spec));
	KUNIT_ASSERT_EQ(test, tdx_swmod_arm_fault(spec), 0);
	KUNIT_EXPECT_EQ(test, tdx_reclaim_page(td->pages[1]), -EIO);
	KUNIT_EXPECT_EQ(test, tdx_reclaim_page(td->pages[2]), -EIO);
	KUNIT_EXPECT_EQ(test, tdx_leaked_pages(), leaked + 2);
	KUNIT_EXPECT_EQ(test, page_ref_count(td->pages[1]), 1);
	KUNIT_EXPECT_EQ(test, tdx_swmod_owned_pages(), owned);
	KUNIT_EXPECT_EQ(test, tdh_phymem_page_rdmd(pa(td->pages[1]), &pt,
						   &owner, &size, &bepoch), 0ULL);
	KUNIT_EXPECT_EQ(test, pt, 3ULL);	/* PT_REG: still the TD's */

	/* Busy twice, then fine: retried, not leaked. */
	strscpy(spec, "28:1:2:0x8000020000000001", sizeof(spec));
	KUNIT_ASSERT_EQ(test, tdx_swmod_arm_fault(spec), 0);
	KUNIT_EXPECT_EQ(test, tdx_reclaim_page(td->pages[3]), 0);
	KUNIT_EXPECT_EQ(test, tdx_leaked_pages(), leaked + 2);
	KUNIT_EXPECT_EQ(test, tdx_swmod_owned_pages(), owned - 1);

	/* Test cleanup: reclaim the leaked pages for real, then the rest. */
	KUNIT_EXPECT_EQ(test, tdx_reclaim_page(td->pages[1]), 0);
	KUNIT_EXPECT_EQ(test, tdx_reclaim_page(td->pages[2]), 0);
	t_teardown(td, true);
	KUNIT_EXPECT_EQ(test, tdx_swmod_owned_pages(), 0ULL);
	KUNIT_EXPECT_EQ(test, tdx_leaked_pages(), leaked + 2);
	t_td_free(td);
}

static struct kunit_case tdh_test_cases[] = {
	KUNIT_CASE(tdh_test_lifecycle),
	KUNIT_CASE(tdh_test_reclaim_leaks),
	KUNIT_CASE(tdh_test_keyids),
	KUNIT_CASE(tdh_test_fault_each_leaf),
	KUNIT_CASE(tdh_test_unmap_busy),
	KUNIT_CASE(tdh_test_unmap_bench),
	{}
};

static struct kunit_suite tdh_test_suite = {
	.name = "tdx_tdh",
	.init = t_init,
	.test_cases = tdh_test_cases,
};

kunit_test_suite(tdh_test_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit test of the TDX TD wrappers on the software module");
