// SPDX-License-Identifier: GPL-2.0
/*
 * Software TDX module: the PAMT.
 *
 * TDH.SYS.TDMR.INIT writes real 16-byte PAMT entries into the memory
 * the host gave in TDMR_INFO, so that part 2 (page ownership) can build
 * on them.  Entries are written page by page through the platform's
 * pa->va, which lets the userspace platform stay sparse.
 *
 * Decision (the doc only says "reserved-area pages get PT_RSVD, others
 * PT_NDA"): the reserved state is recorded at the 4K level only; the
 * 2M and 1G entries are always PT_NDA.  Whoever wants a 2M or 1G page
 * has to look at the children anyway (all 512 must be PT_NDA), so a
 * PT_RSVD child blocks it.
 *
 * In validate-only mode nothing is written: progress is still tracked,
 * so a host's TDMR.INIT loop behaves the same on a 4 TiB layout that
 * could never be backed.
 */

#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/align.h>
#include <linux/compiler.h>

#include "swmod_state.h"
#include "swmod_platform.h"

static unsigned int swmod_ps_shift(int ps)
{
	return 12 + 9 * ps;
}

/* Write @count identical entries of type @pt starting at PAMT address @pa. */
static void swmod_pamt_write_run(struct swmod *m, u64 pa, u64 count, u8 pt)
{
	struct swmod_pamt_entry e;

	memset(&e, 0, sizeof(e));
	e.pt = pt;

	while (count) {
		u64 room = (SWMOD_SZ_4K - (pa & (SWMOD_SZ_4K - 1))) /
			   SWMOD_PAMT_ENTRY_SIZE;
		u64 n = room < count ? room : count, k;
		u8 *va = swmod_plat_pa_to_va(m->plat, pa, true);

		if (va) {
			for (k = 0; k < n; k++)
				memcpy(va + k * SWMOD_PAMT_ENTRY_SIZE, &e, sizeof(e));
		} else {
			swmod_plat_add_return64(&m->stats.dropped_writes, 1);
		}
		pa += n * SWMOD_PAMT_ENTRY_SIZE;
		count -= n;
	}
}

/* PAMT address of the level-@ps entry covering @pa in @t. */
static u64 swmod_pamt_entry_pa(const struct swmod_tdmr *t, u64 pa, int ps)
{
	return t->pamt_base[ps] +
	       ((pa - t->base) >> swmod_ps_shift(ps)) * SWMOD_PAMT_ENTRY_SIZE;
}

static void swmod_pamt_write_4k(struct swmod *m, const struct swmod_tdmr *t,
				u64 start, u64 end, u8 pt)
{
	if (end > start)
		swmod_pamt_write_run(m, swmod_pamt_entry_pa(t, start, SWMOD_PS_4K),
				     (end - start) >> 12, pt);
}

/*
 * Initialize the PAMT for [start, end) of @t: @start is 4 MiB aligned
 * and @end - @start is what one TDMR.INIT call covers.
 */
void swmod_pamt_init_chunk(struct swmod *m, const struct swmod_tdmr *t,
			   u64 start, u64 end)
{
	u64 cur = start;
	unsigned int j;

	if (m->validate_only)
		return;

	if (IS_ALIGNED(start - t->base, SWMOD_SZ_1G))
		swmod_pamt_write_run(m, swmod_pamt_entry_pa(t, start, SWMOD_PS_1G),
				     1, SWMOD_PT_NDA);
	swmod_pamt_write_run(m, swmod_pamt_entry_pa(t, start, SWMOD_PS_2M),
			     (end - start) >> 21, SWMOD_PT_NDA);

	for (j = 0; j < t->nr_rsvd && cur < end; j++) {
		u64 rs = t->base + t->rsvd[j].offset;
		u64 re = rs + t->rsvd[j].size;

		if (re <= cur)
			continue;
		if (rs >= end)
			break;
		if (rs > cur)
			swmod_pamt_write_4k(m, t, cur, rs, SWMOD_PT_NDA);
		else
			rs = cur;
		if (re > end)
			re = end;
		swmod_pamt_write_4k(m, t, rs, re, SWMOD_PT_RSVD);
		cur = re;
	}
	swmod_pamt_write_4k(m, t, cur, end, SWMOD_PT_NDA);
}

int swmod_find_tdmr(const struct swmod *m, u64 pa)
{
	unsigned int i;

	for (i = 0; i < m->nr_tdmrs; i++)
		if (pa >= m->tdmrs[i].base &&
		    pa - m->tdmrs[i].base < m->tdmrs[i].size)
			return i;
	return -1;
}

unsigned int swmod_nr_tdmrs(const struct swmod *m)
{
	return m->nr_tdmrs;
}

int swmod_tdmr_progress(const struct swmod *m, unsigned int tdmr,
			u64 *base, u64 *size, u64 *next)
{
	if (tdmr >= m->nr_tdmrs)
		return -EINVAL;
	*base = m->tdmrs[tdmr].base;
	*size = m->tdmrs[tdmr].size;
	*next = READ_ONCE(m->tdmrs[tdmr].next);
	return 0;
}

/*
 * A 1 GiB block of a TDMR becomes usable (PAMT lookups succeed) only
 * once TDMR.INIT has initialized all of it.
 */
bool swmod_pa_initialized(const struct swmod *m, u64 pa)
{
	int i = swmod_find_tdmr(m, pa);
	const struct swmod_tdmr *t;

	if (i < 0)
		return false;
	t = &m->tdmrs[i];
	return ALIGN_DOWN(pa - t->base, SWMOD_SZ_1G) + SWMOD_SZ_1G <=
	       READ_ONCE(t->next) - t->base;
}

/* Read the level-@ps PAMT entry of @pa, for tests and part 2. */
int swmod_pamt_read(struct swmod *m, u64 pa, int ps,
		    struct swmod_pamt_entry *entry)
{
	int i;

	if (ps < SWMOD_PS_4K || ps > SWMOD_PS_1G)
		return -EINVAL;
	if (m->validate_only)
		return -EOPNOTSUPP;
	i = swmod_find_tdmr(m, pa);
	if (i < 0)
		return -ENOENT;
	if (!swmod_pa_initialized(m, pa))
		return -EAGAIN;
	swmod_mem_read(m, swmod_pamt_entry_pa(&m->tdmrs[i], pa, ps), entry,
		       sizeof(*entry));
	return 0;
}
