// SPDX-License-Identifier: GPL-2.0
/*
 * Test library: environments, SEAMCALL helpers and layout builders.
 * The builders are our own, written for the tests; they are not the
 * host core's TDMR construction (that is a later issue).
 */
#include <stdlib.h>
#include <string.h>

#include "tlib.h"

void env_default_config(struct swmod_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->nr_lps = 4;
	cfg->nr_mktme_keyids = 15;
	cfg->nr_tdx_keyids = 48;
	cfg->keyid_bits = 6;
}

static const u8 default_lp_pkg[MAX_TEST_LPS] = { 0, 0, 1, 1 };

struct env *env_new(const struct swmod_config *cfg, const u8 *lp_pkg)
{
	struct env *e = calloc(1, sizeof(*e));
	int ret;

	ASSERT_TRUE(e != NULL);
	ASSERT_TRUE(cfg->nr_lps <= MAX_TEST_LPS);
	e->cfg = *cfg;
	memcpy(e->lp_pkg, lp_pkg ? lp_pkg : default_lp_pkg, cfg->nr_lps);
	e->cfg.lp_pkg = e->lp_pkg;
	e->p = uplat_create();
	ret = swmod_create(&e->cfg, e->p, &e->m);
	if (ret) {
		uplat_destroy(e->p);
		free(e);
		t_fail(__FILE__, __LINE__, "swmod_create: %d", ret);
		t_abort_test();
	}
	e->hkid_shift = SWMOD_MAX_PA - (cfg->keyid_bits ? cfg->keyid_bits :
		swmod_keyid_bits_for(cfg->nr_mktme_keyids, cfg->nr_tdx_keyids));
	return e;
}

void env_free(struct env *e)
{
	if (!e)
		return;
	swmod_destroy(e->m);
	uplat_destroy(e->p);
	free(e);
}

u64 env_pa_keyid(const struct env *e, u64 pa, u64 keyid)
{
	return pa | (keyid << e->hkid_shift);
}

enum swmod_outcome env_call(struct env *e, unsigned int lp, struct swmod_regs *r)
{
	uplat_set_lp(e->p, lp);
	return swmod_seamcall(e->m, r);
}

u64 env_sc(struct env *e, unsigned int lp, u64 leaf, u64 rcx, u64 rdx, u64 r8,
	   struct swmod_regs *out)
{
	struct swmod_regs r = { .rax = leaf, .rcx = rcx, .rdx = rdx, .r8 = r8 };
	enum swmod_outcome o;

	if (out) {
		r.r9 = out->r9;
		r.r10 = out->r10;
		r.r11 = out->r11;
	}
	o = env_call(e, lp, &r);
	if (o != SWMOD_SEAMRET)
		t_fail(__FILE__, __LINE__, "leaf %llu on LP %u: outcome %d", leaf, lp, o);
	if (out)
		*out = r;
	return swmod_outcome_status(o, r.rax);
}

u64 env_sys_init(struct env *e)
{
	unsigned int lp;
	u64 st;

	st = env_sc(e, 0, SWMOD_TDH_SYS_INIT, 0, 0, 0, NULL);
	if (st)
		return st;
	for (lp = 0; lp < e->cfg.nr_lps; lp++) {
		st = env_sc(e, lp, SWMOD_TDH_SYS_LP_INIT, 0, 0, 0, NULL);
		if (st)
			return st;
	}
	return 0;
}

u64 env_key_config_all(struct env *e)
{
	unsigned int pkg, lp;
	u64 st;

	for (pkg = 0; pkg < swmod_nr_pkgs(e->m); pkg++) {
		for (lp = 0; lp < e->cfg.nr_lps; lp++)
			if (e->lp_pkg[lp] == pkg)
				break;
		st = env_sc(e, lp, SWMOD_TDH_SYS_KEY_CONFIG, 0, 0, 0, NULL);
		if (st)
			return st;
	}
	return 0;
}

u64 env_tdmr_init_all(struct env *e, u64 *calls)
{
	unsigned int i;
	u64 n = 0;

	for (i = 0; i < swmod_nr_tdmrs(e->m); i++) {
		u64 base, size, next;
		struct swmod_regs r;

		swmod_tdmr_progress(e->m, i, &base, &size, &next);
		do {
			u64 st = env_sc(e, 0, SWMOD_TDH_SYS_TDMR_INIT, base, 0, 0, &r);

			n++;
			if (st)
				return st;
		} while (r.rdx < base + size);
	}
	if (calls)
		*calls = n;
	return 0;
}

void lay_init(struct layout *l)
{
	memset(l, 0, sizeof(*l));
	l->info_idx = -1;
}

u64 *lay_pamt_base(struct swmod_tdmr_info *t, int ps)
{
	return ps == SWMOD_PS_4K ? &t->pamt_4k_base :
	       ps == SWMOD_PS_2M ? &t->pamt_2m_base : &t->pamt_1g_base;
}

u64 *lay_pamt_size(struct swmod_tdmr_info *t, int ps)
{
	return ps == SWMOD_PS_4K ? &t->pamt_4k_size :
	       ps == SWMOD_PS_2M ? &t->pamt_2m_size : &t->pamt_1g_size;
}

/* As a host sizes it: one 16-byte entry per page, rounded up to 4 KiB. */
u64 lay_pamt_kernel_size(u64 tdmr_size, int ps)
{
	u64 bytes = (tdmr_size >> (12 + 9 * ps)) * SWMOD_PAMT_ENTRY_SIZE;

	return (bytes + SZ_4K - 1) & ~(SZ_4K - 1);
}

unsigned int lay_nr_rsvd(const struct swmod_tdmr_info *t)
{
	unsigned int j;

	for (j = 0; j < SWMOD_MAX_RESERVED_PER_TDMR; j++)
		if (!t->rsvd[j].size)
			break;
	return j;
}

int lay_add_rsvd(struct swmod_tdmr_info *t, u64 start, u64 end)
{
	unsigned int n = lay_nr_rsvd(t), j;
	u64 off = start - t->base;

	if (n == SWMOD_MAX_RESERVED_PER_TDMR)
		return -1;
	for (j = n; j > 0 && t->rsvd[j - 1].offset > off; j--)
		t->rsvd[j] = t->rsvd[j - 1];
	t->rsvd[j].offset = off;
	t->rsvd[j].size = end - start;
	return 0;
}

void lay_del_rsvd(struct swmod_tdmr_info *t, unsigned int j)
{
	unsigned int n = lay_nr_rsvd(t);

	for (; j + 1 < n; j++)
		t->rsvd[j] = t->rsvd[j + 1];
	if (n)
		memset(&t->rsvd[n - 1], 0, sizeof(t->rsvd[0]));
}

u64 lay_pamt_pages(const struct layout *l)
{
	u64 pages = 0;
	unsigned int i;
	int ps;

	for (i = 0; i < l->nr_tdmrs; i++)
		for (ps = 0; ps < SWMOD_PS_NR; ps++)
			pages += *lay_pamt_size((struct swmod_tdmr_info *)&l->tdmrs[i], ps) >> 12;
	return pages;
}

void lay_dump(const struct layout *l)
{
	unsigned int i, j;

	for (i = 0; i < l->nr_cmrs; i++)
		t_diag("CMR %u: [%#llx, %#llx)", i, l->cmrs[i].base,
		       l->cmrs[i].base + l->cmrs[i].size);
	for (i = 0; i < l->nr_tdmrs; i++) {
		const struct swmod_tdmr_info *t = &l->tdmrs[i];

		t_diag("TDMR %u: [%#llx, %#llx) pamt 1g %#llx+%#llx 2m %#llx+%#llx 4k %#llx+%#llx",
		       i, t->base, t->base + t->size, t->pamt_1g_base, t->pamt_1g_size,
		       t->pamt_2m_base, t->pamt_2m_size, t->pamt_4k_base, t->pamt_4k_size);
		for (j = 0; j < SWMOD_MAX_RESERVED_PER_TDMR; j++)
			if (t->rsvd[j].size || t->rsvd[j].offset)
				t_diag("  rsvd %u: off %#llx size %#llx", j,
				       t->rsvd[j].offset, t->rsvd[j].size);
	}
	t_diag("hkid %llu", l->hkid);
}

void lay_to_config(const struct layout *l, struct swmod_config *cfg)
{
	cfg->nr_cmrs = l->nr_cmrs;
	memcpy(cfg->cmrs, l->cmrs, sizeof(cfg->cmrs));
}

u64 lay_submit(struct env *e, const struct layout *l)
{
	u64 pas[SWMOD_MAX_TDMRS], rcx, nr;
	unsigned int i;

	for (i = 0; i < l->nr_tdmrs; i++) {
		u64 pa = SCRATCH_INFO + i * SWMOD_TDMR_INFO_ALIGN;

		if ((int)i == l->info_idx)
			pa += l->info_delta;
		uplat_write(e->p, pa, &l->tdmrs[i], sizeof(l->tdmrs[i]));
		if ((int)i == l->info_idx)
			pa = env_pa_keyid(e, pa, l->info_keyid);
		pas[i] = pa;
	}
	uplat_write(e->p, SCRATCH_ARRAY + l->array_delta, pas,
		    l->nr_tdmrs * sizeof(u64));
	rcx = env_pa_keyid(e, SCRATCH_ARRAY + l->array_delta, l->array_keyid);
	nr = l->nr_set ? l->nr_value : l->nr_tdmrs;
	return env_sc(e, 0, SWMOD_TDH_SYS_CONFIG, rcx, nr, l->hkid, NULL);
}

static void set_pamt(struct swmod_tdmr_info *t, int ps, u64 base, u64 size)
{
	*lay_pamt_base(t, ps) = base;
	*lay_pamt_size(t, ps) = size;
}

/*
 * The catalogue's base layout:
 *
 *   CMR0 [1M, 2G)   CMR1 [4G, 8G) CMR2 [8G, 12G)   CMR3 [16G, 16G+256M)
 *   |--TDMR0 [0, 4G)------|  |--TDMR1 [4G, 12G)------------|
 *   rsvd [0,1M) [2G,4G)      rsvd [5G,5G+2M) and its own PAMT area,
 *                            which straddles the CMR1/CMR2 boundary
 *   TDMR0's PAMTs live in CMR3, outside every TDMR.
 *
 * Expect SYS.CONFIG to accept it.
 */
void lay_build_catalogue_base(struct layout *l)
{
	struct swmod_tdmr_info *t0 = &l->tdmrs[0], *t1 = &l->tdmrs[1];
	u64 p1;

	lay_init(l);
	l->nr_cmrs = 4;
	l->cmrs[0] = (struct swmod_cmr_info){ SZ_1M, 2 * SZ_1G - SZ_1M };
	l->cmrs[1] = (struct swmod_cmr_info){ 4 * SZ_1G, 4 * SZ_1G };
	l->cmrs[2] = (struct swmod_cmr_info){ 8 * SZ_1G, 4 * SZ_1G };
	l->cmrs[3] = (struct swmod_cmr_info){ 16 * SZ_1G, 256 * SZ_1M };

	l->nr_tdmrs = 2;
	t0->base = 0;
	t0->size = 4 * SZ_1G;
	lay_add_rsvd(t0, 0, SZ_1M);
	lay_add_rsvd(t0, 2 * SZ_1G, 4 * SZ_1G);
	set_pamt(t0, SWMOD_PS_4K, 16 * SZ_1G, lay_pamt_kernel_size(t0->size, SWMOD_PS_4K));
	set_pamt(t0, SWMOD_PS_2M, 16 * SZ_1G + 16 * SZ_1M,
		 lay_pamt_kernel_size(t0->size, SWMOD_PS_2M));
	set_pamt(t0, SWMOD_PS_1G, 16 * SZ_1G + 16 * SZ_1M + 32 * 1024,
		 lay_pamt_kernel_size(t0->size, SWMOD_PS_1G));

	t1->base = 4 * SZ_1G;
	t1->size = 8 * SZ_1G;
	p1 = 8 * SZ_1G - 16 * SZ_1M;
	set_pamt(t1, SWMOD_PS_4K, p1, 32 * SZ_1M);
	set_pamt(t1, SWMOD_PS_2M, p1 + 32 * SZ_1M, 64 * 1024);
	set_pamt(t1, SWMOD_PS_1G, p1 + 32 * SZ_1M + 64 * 1024, SZ_4K);
	lay_add_rsvd(t1, 5 * SZ_1G, 5 * SZ_1G + SZ_2M);
	lay_add_rsvd(t1, p1, p1 + 32 * SZ_1M + 68 * 1024);

	l->hkid = 16;
}

/* Append TDMR [base, end) with its non-CMR holes as reserved areas. */
static int add_tdmr_with_holes(struct layout *l, u64 base, u64 end)
{
	struct swmod_tdmr_info *t;
	u64 cur = base;
	unsigned int c;

	if (l->nr_tdmrs == SWMOD_MAX_TDMRS)
		return -1;
	t = &l->tdmrs[l->nr_tdmrs++];
	memset(t, 0, sizeof(*t));
	t->base = base;
	t->size = end - base;
	for (c = 0; c < l->nr_cmrs; c++) {
		u64 cb = l->cmrs[c].base, ce = cb + l->cmrs[c].size;

		if (ce <= cur)
			continue;
		if (cb >= end)
			break;
		if (cb > cur && lay_add_rsvd(t, cur, cb))
			return -1;
		if (ce > cur)
			cur = ce;
	}
	if (cur < end && lay_add_rsvd(t, cur, end))
		return -1;
	return 0;
}

/* 1 GiB-aligned runs covering the selected CMRs, merged. */
static unsigned int cmr_runs(const struct layout *l, const bool *use,
			     struct swmod_range *runs)
{
	unsigned int c, n = 0;

	for (c = 0; c < l->nr_cmrs; c++) {
		u64 s = l->cmrs[c].base & ~(SZ_1G - 1);
		u64 e = (l->cmrs[c].base + l->cmrs[c].size + SZ_1G - 1) & ~(SZ_1G - 1);

		if (use && !use[c])
			continue;
		if (n && s <= runs[n - 1].end) {
			if (e > runs[n - 1].end)
				runs[n - 1].end = e;
			continue;
		}
		runs[n].start = s;
		runs[n].end = e;
		n++;
	}
	return n;
}

static bool overlaps(u64 b1, u64 e1, u64 b2, u64 e2)
{
	return b1 < e2 && b2 < e1;
}

int lay_build_kernel_style(struct layout *l, const struct swmod_range *ram,
			   unsigned int nr_ram, u64 max_tdmr_size)
{
	struct swmod_range runs[SWMOD_MAX_CMRS];
	unsigned int n, i, c;

	lay_init(l);
	if (swmod_cmrs_from_ram(ram, nr_ram, l->cmrs, &l->nr_cmrs))
		return -1;
	n = cmr_runs(l, NULL, runs);
	for (i = 0; i < n; i++) {
		u64 s;

		for (s = runs[i].start; s < runs[i].end; s += max_tdmr_size) {
			u64 e = s + max_tdmr_size;

			if (e > runs[i].end)
				e = runs[i].end;
			if (add_tdmr_with_holes(l, s, e))
				return -1;
		}
	}

	/* One PAMT block per TDMR (4K, 2M, 1G), at the top of its memory. */
	for (i = 0; i < l->nr_tdmrs; i++) {
		struct swmod_tdmr_info *t = &l->tdmrs[i];
		u64 sz4k = lay_pamt_kernel_size(t->size, SWMOD_PS_4K);
		u64 sz2m = lay_pamt_kernel_size(t->size, SWMOD_PS_2M);
		u64 sz1g = lay_pamt_kernel_size(t->size, SWMOD_PS_1G);
		u64 total = sz4k + sz2m + sz1g, b = 0;
		bool placed = false;

		for (c = l->nr_cmrs; c-- > 0 && !placed;) {
			u64 cb = l->cmrs[c].base, ce = cb + l->cmrs[c].size;

			if (cb < t->base)
				cb = t->base;
			if (ce > t->base + t->size)
				ce = t->base + t->size;
			if (ce <= cb || ce - cb < total)
				continue;
			b = ce - total;
			placed = true;
		}
		if (!placed || lay_add_rsvd(t, b, b + total))
			return -1;
		set_pamt(t, SWMOD_PS_4K, b, sz4k);
		set_pamt(t, SWMOD_PS_2M, b + sz4k, sz2m);
		set_pamt(t, SWMOD_PS_1G, b + sz4k + sz2m, sz1g);
	}
	return 0;
}

struct placer {
	u64 used_b[3 * SWMOD_MAX_TDMRS];
	u64 used_e[3 * SWMOD_MAX_TDMRS];
	unsigned int nr_used;
};

/* Find room for a PAMT of @size in CMR memory; reserve it if in a TDMR. */
static int place_pamt(struct layout *l, struct rng *r, struct placer *pl,
		      u64 size, u64 *base)
{
	int attempt;

	for (attempt = 0; attempt < 64; attempt++) {
		const struct swmod_cmr_info *c = &l->cmrs[rng_range(r, 0, l->nr_cmrs - 1)];
		u64 b, e;
		int k = -1;
		bool ok = true;
		unsigned int i, j;

		if (c->size < size)
			continue;
		b = c->base + rng_range(r, 0, (c->size - size) >> 12) * SZ_4K;
		e = b + size;
		for (i = 0; i < pl->nr_used && ok; i++)
			if (overlaps(b, e, pl->used_b[i], pl->used_e[i]))
				ok = false;
		for (i = 0; i < l->nr_tdmrs && ok; i++) {
			struct swmod_tdmr_info *t = &l->tdmrs[i];

			if (!overlaps(b, e, t->base, t->base + t->size))
				continue;
			if (b < t->base || e > t->base + t->size)
				ok = false;
			else
				k = i;
		}
		if (!ok)
			continue;
		if (k >= 0) {
			struct swmod_tdmr_info *t = &l->tdmrs[k];

			for (j = 0; j < lay_nr_rsvd(t) && ok; j++)
				if (overlaps(b, e, t->base + t->rsvd[j].offset,
					     t->base + t->rsvd[j].offset + t->rsvd[j].size))
					ok = false;
			if (!ok || lay_add_rsvd(t, b, e))
				continue;
		}
		pl->used_b[pl->nr_used] = b;
		pl->used_e[pl->nr_used] = e;
		pl->nr_used++;
		*base = b;
		return 0;
	}
	return -1;
}

static int try_random(struct layout *l, struct rng *r)
{
	struct swmod_range runs[SWMOD_MAX_CMRS];
	bool use[SWMOD_MAX_CMRS];
	struct placer pl = { .nr_used = 0 };
	unsigned int c, n, i, nuse = 0;
	u64 cur;
	int ps;

	lay_init(l);
	l->nr_cmrs = rng_range(r, 1, 6);
	cur = SZ_1M + (rng_chance(r, 50) ? 0 : rng_range(r, 1, 1024) * SZ_4K);
	for (c = 0; c < l->nr_cmrs; c++) {
		u64 size;

		if (c && !rng_chance(r, 20))
			cur += rng_range(r, 1, 786432) * SZ_4K;
		if (rng_chance(r, 60))
			size = rng_range(r, 8, 3072) * SZ_2M;
		else
			size = rng_range(r, 4096, 1572864) * SZ_4K;
		l->cmrs[c].base = cur;
		l->cmrs[c].size = size;
		cur += size;
		use[c] = rng_chance(r, 85);
		nuse += use[c];
	}
	if (!nuse)
		use[0] = true;

	n = cmr_runs(l, use, runs);
	for (i = 0; i < n; i++) {
		u64 s = runs[i].start;

		while (s < runs[i].end) {
			u64 len = runs[i].end - s;

			if (len > SZ_1G && rng_chance(r, 30))
				len = rng_range(r, 1, len / SZ_1G - 1) * SZ_1G;
			if (add_tdmr_with_holes(l, s, s + len))
				return -1;
			s += len;
		}
	}
	if (l->nr_tdmrs > 48)
		return -1;

	for (i = 0; i < l->nr_tdmrs; i++) {
		struct swmod_tdmr_info *t = &l->tdmrs[i];
		u64 sz[SWMOD_PS_NR], b;

		for (ps = 0; ps < SWMOD_PS_NR; ps++)
			sz[ps] = lay_pamt_kernel_size(t->size, ps) +
				 (rng_chance(r, 20) ? rng_range(r, 1, 4) * SZ_4K : 0);
		if (rng_chance(r, 50)) {
			if (place_pamt(l, r, &pl, sz[0] + sz[1] + sz[2], &b))
				return -1;
			set_pamt(t, SWMOD_PS_4K, b, sz[0]);
			set_pamt(t, SWMOD_PS_2M, b + sz[0], sz[1]);
			set_pamt(t, SWMOD_PS_1G, b + sz[0] + sz[1], sz[2]);
		} else {
			for (ps = 0; ps < SWMOD_PS_NR; ps++) {
				if (place_pamt(l, r, &pl, sz[ps], &b))
					return -1;
				set_pamt(t, ps, b, sz[ps]);
			}
		}
	}
	return 0;
}

int lay_build_random(struct layout *l, struct rng *r, u64 hkid_min, u64 hkid_max)
{
	int attempt;

	for (attempt = 0; attempt < 200; attempt++) {
		if (!try_random(l, r)) {
			l->hkid = rng_range(r, hkid_min, hkid_max);
			return 0;
		}
	}
	return -1;
}
