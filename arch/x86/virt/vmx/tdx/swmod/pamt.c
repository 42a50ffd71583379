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

u64 swmod_owned_pages(const struct swmod *m)
{
	return READ_ONCE(m->owned_pages);
}

/*
 * Page ownership (part 2).  The level-@ps entry of @pa, as a pointer
 * into the PAMT, or NULL if @pa is not in a TDMR block that TDMR.INIT
 * has finished (TDX_OPERAND_ADDR_RANGE_ERROR for the leaves).
 */
struct swmod_pamt_entry *swmod_pamt_get(struct swmod *m, u64 pa, int ps)
{
	int i;

	if (m->validate_only)
		return NULL;
	i = swmod_find_tdmr(m, pa);
	if (i < 0 || !swmod_pa_initialized(m, pa))
		return NULL;
	return swmod_plat_pa_to_va(m->plat,
				   swmod_pamt_entry_pa(&m->tdmrs[i], pa, ps),
				   true);
}

/*
 * The entry that describes @pa: the 1G or 2M entry if a page of that
 * size is assigned there, else the 4K entry.
 */
struct swmod_pamt_entry *swmod_pamt_leaf(struct swmod *m, u64 pa, int *ps)
{
	struct swmod_pamt_entry *e;

	for (*ps = SWMOD_PS_1G; *ps > SWMOD_PS_4K; (*ps)--) {
		e = swmod_pamt_get(m, pa, *ps);
		if (!e)
			return NULL;
		if (READ_ONCE(e->pt) != SWMOD_PT_NDA)
			return e;
	}
	return swmod_pamt_get(m, pa, SWMOD_PS_4K);
}

/*
 * PAMT entry locks: the 16-bit lock field, 0x8000 exclusive, else a
 * count of shared holders.  The lock shares its 32-bit word with the
 * page type and the owner's low byte, which change only under the
 * exclusive lock; the compare-and-exchange keeps them intact.
 */
#define SWMOD_PAMT_LOCK_MASK	0xFFFFU
#define SWMOD_PAMT_LOCK_EXCL	0x8000U

bool swmod_pamt_trylock(struct swmod_pamt_entry *e, bool exclusive)
{
	u32 *word = (u32 *)e, old, lk;

	do {
		old = READ_ONCE(*word);
		lk = old & SWMOD_PAMT_LOCK_MASK;
		if (exclusive ? lk : (lk & SWMOD_PAMT_LOCK_EXCL))
			return false;
	} while (swmod_plat_cmpxchg32(word, old,
				      exclusive ? old | SWMOD_PAMT_LOCK_EXCL :
						  old + 1) != old);
	return true;
}

void swmod_pamt_unlock(struct swmod_pamt_entry *e, bool exclusive)
{
	u32 *word = (u32 *)e, old;

	do {
		old = READ_ONCE(*word);
	} while (swmod_plat_cmpxchg32(word, old,
				      exclusive ? old & ~SWMOD_PAMT_LOCK_MASK :
						  old - 1) != old);
}

u64 swmod_pamt_owner(const struct swmod_pamt_entry *e)
{
	u64 owner = 0;
	int i;

	for (i = 4; i >= 0; i--)
		owner = (owner << 8) | e->owner[i];
	return owner << 12;
}

static void swmod_pamt_set_owner(struct swmod_pamt_entry *e, u64 owner_pa)
{
	u64 owner = owner_pa >> 12;
	int i;

	for (i = 0; i < 5; i++, owner >>= 8)
		e->owner[i] = owner & 0xFF;
}

static u64 swmod_ps_pages(int ps)
{
	return 1ULL << (9 * ps);
}

/*
 * The page a level-@ps PAMT entry describes, from the entry's address:
 * the inverse of swmod_pamt_entry_pa().  ~0ULL if @e is not an entry.
 */
static u64 swmod_pamt_entry_page(struct swmod *m,
				 const struct swmod_pamt_entry *e, int ps)
{
	u64 epa = swmod_plat_va_to_pa(m->plat, e), off;
	unsigned int i;

	for (i = 0; i < m->nr_tdmrs; i++) {
		const struct swmod_tdmr *t = &m->tdmrs[i];

		if (epa < t->pamt_base[ps])
			continue;
		off = (epa - t->pamt_base[ps]) / SWMOD_PAMT_ENTRY_SIZE;
		if (off < t->size >> swmod_ps_shift(ps))
			return t->base + (off << swmod_ps_shift(ps));
	}
	return ~0ULL;
}

/*
 * Tell the platform that the page of @e changed hands.  This and its
 * two callers below are the only place a page becomes TD-owned or
 * stops being so; the leaves call them and nothing else.
 */
static void swmod_pamt_owned(struct swmod *m, const struct swmod_pamt_entry *e,
			     int ps, bool owned)
{
	u64 pa = swmod_pamt_entry_page(m, e, ps);

	if (pa != ~0ULL)
		swmod_plat_set_owned(m->plat, pa, SWMOD_SZ_4K << (9 * ps),
				     owned);
}

/* Assign a free page (entry locked exclusive, PT_NDA) to @owner_pa. */
void swmod_pamt_assign(struct swmod *m, struct swmod_pamt_entry *e, int ps,
		       u8 pt, u64 owner_pa)
{
	swmod_pamt_set_owner(e, owner_pa);
	e->bepoch = 0;
	WRITE_ONCE(e->pt, pt);
	swmod_plat_add_return64(&m->owned_pages, swmod_ps_pages(ps));
	swmod_pamt_owned(m, e, ps, true);
}

/* Give an assigned page (entry locked exclusive) back: PT_NDA. */
void swmod_pamt_free(struct swmod *m, struct swmod_pamt_entry *e, int ps)
{
	swmod_pamt_owned(m, e, ps, false);
	swmod_pamt_set_owner(e, 0);
	e->bepoch = 0;
	WRITE_ONCE(e->pt, SWMOD_PT_NDA);
	swmod_plat_add_return64(&m->owned_pages, -swmod_ps_pages(ps));
}

/**
 * swmod_page_owner() - Who owns a page, for a fault report
 * @m: the instance
 * @pa: any address in the page
 * @pt: out, the PAMT type (SWMOD_PT_*)
 * @owner: out, the owning TD's TDR (the TDR's own address for a TDR)
 * @ps: out, the page size (SWMOD_PS_*)
 *
 * Reads the PAMT without its locks: a report in an oops must not wait.
 *
 * Return: true if the page is TD-owned (neither PT_NDA nor PT_RSVD).
 */
bool swmod_page_owner(struct swmod *m, u64 pa, u8 *pt, u64 *owner, int *ps)
{
	struct swmod_pamt_entry *e = swmod_pamt_leaf(m, pa & ~(SWMOD_SZ_4K - 1),
						     ps);

	if (!e)
		return false;
	*pt = READ_ONCE(e->pt);
	if (*pt == SWMOD_PT_NDA || *pt == SWMOD_PT_RSVD)
		return false;
	*owner = *pt == SWMOD_PT_TDR ? ALIGN_DOWN(pa, SWMOD_SZ_4K) :
				       swmod_pamt_owner(e);
	return true;
}

/*
 * An explicit 4 KiB HPA operand of a TD leaf, carried in the register
 * @opid names: 4 KiB aligned, below MAX_PA, no KeyID bits
 * (TDX_OPERAND_INVALID), in an initialized TDMR block
 * (TDX_OPERAND_ADDR_RANGE_ERROR), its PAMT entry lockable
 * (TDX_OPERAND_BUSY).  A page inside an assigned 2M or 1G page is
 * TDX_PAGE_METADATA_INCORRECT.  On success the 4K entry is locked and
 * returned; the caller checks the page type.
 */
u64 swmod_hpa_lock(struct swmod *m, u64 hpa, u64 opid, bool exclusive,
		   struct swmod_pamt_entry **out)
{
	struct swmod_pamt_entry *e;
	int ps;

	if (!IS_ALIGNED(hpa, SWMOD_SZ_4K) || (hpa >> SWMOD_MAX_PA) ||
	    (hpa & m->hkid_mask))
		return SWMOD_TDX_OPERAND_INVALID | opid;
	e = swmod_pamt_leaf(m, hpa, &ps);
	if (!e || !swmod_plat_pa_to_va(m->plat, hpa, true))
		return SWMOD_TDX_OPERAND_ADDR_RANGE_ERROR | opid;
	if (!swmod_pamt_trylock(e, exclusive))
		return SWMOD_TDX_OPERAND_BUSY | opid;
	if (ps != SWMOD_PS_4K) {
		swmod_pamt_unlock(e, exclusive);
		return SWMOD_TDX_PAGE_METADATA_INCORRECT | opid;
	}
	*out = e;
	return SWMOD_TDX_SUCCESS;
}

/*
 * A page a leaf is about to give to a TD (RCX/R8 of CREATE, ADDCX,
 * SEPT.ADD, PAGE.ADD, ...): locked exclusive and PT_NDA, else
 * TDX_PAGE_METADATA_INCORRECT | @opid.  Nothing stays locked on failure.
 */
u64 swmod_hpa_lock_free(struct swmod *m, u64 hpa, u64 opid,
			struct swmod_pamt_entry **out)
{
	u64 status = swmod_hpa_lock(m, hpa, opid, true, out);

	if (status)
		return status;
	if ((*out)->pt != SWMOD_PT_NDA) {
		swmod_pamt_unlock(*out, true);
		return SWMOD_TDX_PAGE_METADATA_INCORRECT | opid;
	}
	return SWMOD_TDX_SUCCESS;
}
