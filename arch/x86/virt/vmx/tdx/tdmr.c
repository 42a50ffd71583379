// SPDX-License-Identifier: GPL-2.0
/*
 * TDX host core: building TDMRs, PAMTs and reserved areas.
 *
 * Pure code.  The input is the TDX memory list and the module limits,
 * the output is the TDMR list; the only side effect is through the
 * PAMT allocator callback.  No globals, no SEAMCALLs, no kernel
 * allocation: the kernel (tdx.c) and the userspace harness in
 * tools/testing/tdx-host drive the same code.
 *
 * The layout is deliberately dumb and simple:
 *   - one TDMR per run of memory that the previous TDMR does not
 *     already cover, each rounded out to 1 GiB; adjacent TDMRs are not
 *     merged, so this may use more TDMRs than strictly needed;
 *   - one physically contiguous PAMT chunk per TDMR (4K level first,
 *     then 2M, then 1G), asked for on the node of the TDMR's first
 *     memory;
 *   - every part of a TDMR that is not TDX memory, and every part of
 *     any PAMT that falls inside a TDMR, becomes a reserved area;
 *     touching or overlapping areas are merged, and the list is kept
 *     sorted as it is built.
 * A machine with many holes can run out of reserved areas; making
 * that robust is later work.
 */

#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/align.h>

#include "tdx.h"

static unsigned int tdmr_stride(const struct tdx_layout_limits *lim)
{
	size_t bytes = sizeof(struct tdmr_info) +
		       lim->max_reserved_per_tdmr *
		       sizeof(struct tdmr_reserved_area);

	return ALIGN(bytes, TDMR_INFO_ALIGNMENT);
}

/* Bytes of memory the caller must provide for tdmr_list_init(). */
size_t tdmr_list_bytes(const struct tdx_layout_limits *lim)
{
	return (size_t)tdmr_stride(lim) * lim->max_tdmrs;
}

/*
 * Set up @list over @mem (tdmr_list_bytes() bytes, TDMR_INFO_ALIGNMENT
 * aligned).  The limits come from TDH.SYS.INFO; refuse ones the rest
 * of this file cannot honour.
 */
int tdmr_list_init(struct tdmr_list *list, void *mem,
		   const struct tdx_layout_limits *lim)
{
	if (!lim->max_tdmrs || lim->max_tdmrs > TDX_LAYOUT_MAX_TDMRS ||
	    !lim->max_reserved_per_tdmr || !lim->pamt_entry_size)
		return -EINVAL;

	memset(list, 0, sizeof(*list));
	list->tdmrs = mem;
	list->stride = tdmr_stride(lim);
	list->max_tdmrs = lim->max_tdmrs;
	list->max_rsvd = lim->max_reserved_per_tdmr;
	memset(mem, 0, tdmr_list_bytes(lim));
	return 0;
}

struct tdmr_info *tdmr_entry(const struct tdmr_list *list, unsigned int i)
{
	return (struct tdmr_info *)((char *)list->tdmrs +
				    (size_t)i * list->stride);
}

u64 tdmr_end(const struct tdmr_info *tdmr)
{
	return tdmr->base + tdmr->size;
}

/* PAMT bytes for one level: one entry per page, rounded up to 4 KiB. */
u64 tdmr_pamt_size(u64 tdmr_size, enum tdx_page_level level,
		   unsigned int entry_size)
{
	u64 entries = tdmr_size >> (12 + 9 * level);

	return ALIGN(entries * entry_size, TDX_PAGE_SIZE);
}

u64 tdmr_pamt_total(u64 tdmr_size, unsigned int entry_size)
{
	return tdmr_pamt_size(tdmr_size, TDX_PS_4K, entry_size) +
	       tdmr_pamt_size(tdmr_size, TDX_PS_2M, entry_size) +
	       tdmr_pamt_size(tdmr_size, TDX_PS_1G, entry_size);
}

static void layout_error(struct tdx_layout_error *err, int step,
			 const struct tdmr_list *list, unsigned int i)
{
	if (!err)
		return;
	err->step = step;
	err->tdmr = i;
	err->base = 0;
	err->end = 0;
	if (i < list->nr_tdmrs) {
		err->base = tdmr_entry(list, i)->base;
		err->end = tdmr_end(tdmr_entry(list, i));
	}
}

/*
 * Cover every memory range with 1 GiB aligned TDMRs.  @mem must be
 * sorted and free of overlaps, as memblock hands it out.
 */
int tdmrs_fill(struct tdmr_list *list, const struct tdx_memblock *mem,
	       unsigned int nr_mem, struct tdx_layout_error *err)
{
	unsigned int i;

	list->nr_tdmrs = 0;
	for (i = 0; i < nr_mem; i++) {
		u64 start = ALIGN_DOWN(mem[i].start, TDMR_ALIGNMENT);
		u64 end = ALIGN(mem[i].end, TDMR_ALIGNMENT);
		struct tdmr_info *tdmr;

		if (mem[i].end <= mem[i].start ||
		    (i && mem[i].start < mem[i - 1].end)) {
			layout_error(err, TDX_LAYOUT_BAD_INPUT, list, i);
			return -EINVAL;
		}

		/* Start where the previous TDMR ends, if it covers us. */
		if (list->nr_tdmrs) {
			tdmr = tdmr_entry(list, list->nr_tdmrs - 1);
			if (start < tdmr_end(tdmr))
				start = tdmr_end(tdmr);
		}
		if (start >= end)
			continue;

		if (list->nr_tdmrs == list->max_tdmrs) {
			layout_error(err, TDX_LAYOUT_TDMRS_EXHAUSTED, list,
				     list->nr_tdmrs);
			return -ENOSPC;
		}
		tdmr = tdmr_entry(list, list->nr_tdmrs++);
		tdmr->base = start;
		tdmr->size = end - start;
	}

	if (!list->nr_tdmrs) {
		layout_error(err, TDX_LAYOUT_BAD_INPUT, list, 0);
		return -EINVAL;
	}
	return 0;
}

/* The node of the first memory inside @tdmr: where its PAMT should go. */
static int tdmr_nid(const struct tdmr_info *tdmr,
		    const struct tdx_memblock *mem, unsigned int nr_mem)
{
	unsigned int i;

	for (i = 0; i < nr_mem; i++)
		if (mem[i].end > tdmr->base && mem[i].start < tdmr_end(tdmr))
			return mem[i].nid;
	return -1;
}

static int tdmr_alloc_pamt(struct tdmr_list *list, unsigned int i,
			   const struct tdx_memblock *mem, unsigned int nr_mem,
			   unsigned int entry_size,
			   const struct tdx_pamt_ops *ops)
{
	struct tdmr_info *tdmr = tdmr_entry(list, i);
	u64 sz_4k = tdmr_pamt_size(tdmr->size, TDX_PS_4K, entry_size);
	u64 sz_2m = tdmr_pamt_size(tdmr->size, TDX_PS_2M, entry_size);
	u64 sz_1g = tdmr_pamt_size(tdmr->size, TDX_PS_1G, entry_size);
	u64 total = sz_4k + sz_2m + sz_1g, base = 0;
	int nid = tdmr_nid(tdmr, mem, nr_mem);
	int ret;

	ret = ops->alloc(ops->ctx, total / TDX_PAGE_SIZE, nid, &base);
	if (ret)
		return ret;
	list->pamt[i].base = base;
	list->pamt[i].size = total;
	list->pamt[i].nid = nid;
	if (!IS_ALIGNED(base, TDX_PAGE_SIZE))
		return -EINVAL;

	tdmr->pamt_4k_base = base;
	tdmr->pamt_4k_size = sz_4k;
	tdmr->pamt_2m_base = base + sz_4k;
	tdmr->pamt_2m_size = sz_2m;
	tdmr->pamt_1g_base = base + sz_4k + sz_2m;
	tdmr->pamt_1g_size = sz_1g;
	return 0;
}

/*
 * Allocate a PAMT for every TDMR.  On failure everything allocated so
 * far is freed again: the caller sees all or nothing.
 */
int tdmrs_alloc_pamt_all(struct tdmr_list *list,
			 const struct tdx_memblock *mem, unsigned int nr_mem,
			 unsigned int entry_size,
			 const struct tdx_pamt_ops *ops,
			 struct tdx_layout_error *err)
{
	unsigned int i;
	int ret;

	for (i = 0; i < list->nr_tdmrs; i++) {
		ret = tdmr_alloc_pamt(list, i, mem, nr_mem, entry_size, ops);
		if (ret) {
			layout_error(err, TDX_LAYOUT_PAMT_ALLOC, list, i);
			tdmrs_free_pamt_all(list, ops);
			return ret;
		}
	}
	return 0;
}

void tdmrs_free_pamt_all(struct tdmr_list *list,
			 const struct tdx_pamt_ops *ops)
{
	unsigned int i;

	for (i = 0; i < list->nr_tdmrs; i++) {
		struct tdmr_info *tdmr = tdmr_entry(list, i);
		struct tdx_pamt *pamt = &list->pamt[i];

		if (pamt->size)
			ops->free(ops->ctx, pamt->base,
				  pamt->size / TDX_PAGE_SIZE);
		memset(pamt, 0, sizeof(*pamt));
		tdmr->pamt_4k_base = 0;
		tdmr->pamt_4k_size = 0;
		tdmr->pamt_2m_base = 0;
		tdmr->pamt_2m_size = 0;
		tdmr->pamt_1g_base = 0;
		tdmr->pamt_1g_size = 0;
	}
}

u64 tdmrs_pamt_bytes(const struct tdmr_list *list)
{
	u64 bytes = 0;
	unsigned int i;

	for (i = 0; i < list->nr_tdmrs; i++)
		bytes += list->pamt[i].size;
	return bytes;
}

/*
 * Reserve [start, end) in TDMR @i: clip it to the TDMR, round it out
 * to 4 KiB, and merge it into the sorted area list together with every
 * area it overlaps or touches.  -ENOSPC when a new slot is needed and
 * none is left.
 */
static int tdmr_add_rsvd(struct tdmr_list *list, unsigned int i,
			 u64 start, u64 end)
{
	struct tdmr_info *tdmr = tdmr_entry(list, i);
	struct tdmr_reserved_area *ra = tdmr->reserved_areas;
	unsigned int n = list->nr_rsvd[i], pos, last;
	u64 off, size;

	if (start < tdmr->base)
		start = tdmr->base;
	if (end > tdmr_end(tdmr))
		end = tdmr_end(tdmr);
	if (start >= end)
		return 0;
	off = ALIGN_DOWN(start, TDX_PAGE_SIZE) - tdmr->base;
	size = ALIGN(end, TDX_PAGE_SIZE) - tdmr->base - off;

	/* First area that ends at or after our start: merge candidates. */
	for (pos = 0; pos < n; pos++)
		if (ra[pos].offset + ra[pos].size >= off)
			break;

	for (last = pos; last < n && ra[last].offset <= off + size; last++) {
		u64 a_end = ra[last].offset + ra[last].size;
		u64 new_end = off + size > a_end ? off + size : a_end;

		if (ra[last].offset < off)
			off = ra[last].offset;
		size = new_end - off;
	}

	if (last == pos) {
		/* Nothing to merge with: insert at pos. */
		if (n == list->max_rsvd)
			return -ENOSPC;
		memmove(&ra[pos + 1], &ra[pos], (n - pos) * sizeof(*ra));
		n++;
	} else if (last > pos + 1) {
		/* Areas pos..last-1 collapse into one at pos. */
		unsigned int gone = last - pos - 1;

		memmove(&ra[pos + 1], &ra[last], (n - last) * sizeof(*ra));
		memset(&ra[n - gone], 0, gone * sizeof(*ra));
		n -= gone;
	}
	ra[pos].offset = off;
	ra[pos].size = size;
	list->nr_rsvd[i] = n;
	return 0;
}

/* Everything in TDMR @i that is not TDX memory. */
static int tdmr_add_rsvd_holes(struct tdmr_list *list, unsigned int i,
			       const struct tdx_memblock *mem,
			       unsigned int nr_mem)
{
	struct tdmr_info *tdmr = tdmr_entry(list, i);
	u64 prev_end = tdmr->base, end = tdmr_end(tdmr);
	unsigned int k;
	int ret;

	for (k = 0; k < nr_mem; k++) {
		if (mem[k].end <= tdmr->base)
			continue;
		if (mem[k].start >= end)
			break;
		if (mem[k].start > prev_end) {
			ret = tdmr_add_rsvd(list, i, prev_end, mem[k].start);
			if (ret)
				return ret;
		}
		if (mem[k].end > prev_end)
			prev_end = mem[k].end < end ? mem[k].end : end;
	}
	if (prev_end < end)
		return tdmr_add_rsvd(list, i, prev_end, end);
	return 0;
}

/* Every PAMT, of any TDMR, that lies (partly) inside TDMR @i. */
static int tdmr_add_rsvd_pamts(struct tdmr_list *list, unsigned int i)
{
	unsigned int k;
	int ret;

	for (k = 0; k < list->nr_tdmrs; k++) {
		const struct tdx_pamt *pamt = &list->pamt[k];

		if (!pamt->size)
			continue;
		ret = tdmr_add_rsvd(list, i, pamt->base,
				    pamt->base + pamt->size);
		if (ret)
			return ret;
	}
	return 0;
}

int tdmrs_add_rsvd_all(struct tdmr_list *list,
		       const struct tdx_memblock *mem, unsigned int nr_mem,
		       struct tdx_layout_error *err)
{
	unsigned int i;
	int ret;

	for (i = 0; i < list->nr_tdmrs; i++) {
		ret = tdmr_add_rsvd_holes(list, i, mem, nr_mem);
		if (!ret)
			ret = tdmr_add_rsvd_pamts(list, i);
		if (ret) {
			layout_error(err, TDX_LAYOUT_RSVD_EXHAUSTED, list, i);
			return ret;
		}
	}
	return 0;
}

/*
 * The whole layout: TDMRs, PAMTs, reserved areas.  On failure no PAMT
 * is left allocated and @err says which step and which TDMR failed.
 */
int tdx_construct_tdmrs(struct tdmr_list *list,
			const struct tdx_memblock *mem, unsigned int nr_mem,
			const struct tdx_layout_limits *lim,
			const struct tdx_pamt_ops *ops,
			struct tdx_layout_error *err)
{
	int ret;

	ret = tdmrs_fill(list, mem, nr_mem, err);
	if (ret)
		return ret;
	ret = tdmrs_alloc_pamt_all(list, mem, nr_mem, lim->pamt_entry_size,
				   ops, err);
	if (ret)
		return ret;
	ret = tdmrs_add_rsvd_all(list, mem, nr_mem, err);
	if (ret)
		tdmrs_free_pamt_all(list, ops);
	return ret;
}
