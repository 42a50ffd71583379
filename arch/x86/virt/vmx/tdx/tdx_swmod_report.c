// SPDX-License-Identifier: GPL-2.0
/*
 * TDX host core: host touches of TD-private pages, as the software
 * TDX module makes them visible.
 *
 * On real hardware the host reading a TD-private page gets poison and
 * a write can machine-check the whole host.  The software module takes
 * TD-owned pages out of the direct map (swmod/swmod_dmap.c), so such an
 * access oopses instead; the page-fault path calls
 * tdx_swmod_report_fault() first, which names the page, its PAMT type
 * and the TD that owns it.
 *
 * tdx_swmod_touch_td_page() is the test for it: it gives a page to a
 * new TD and reads it from the host (debugfs swmod/touch_td_page).
 */

#define pr_fmt(fmt) "virt/tdx: " fmt

#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <asm/tdx_fault.h>
#include <asm/tdx_tdh.h>

#include "tdx_swmod.h"
#include "swmod/swmod.h"
#include "swmod/swmod_dmap.h"

static const char *const tdx_swmod_pt_names[] = {
	[SWMOD_PT_NDA] = "PT_NDA",
	[SWMOD_PT_RSVD] = "PT_RSVD",
	[SWMOD_PT_REG] = "PT_REG",
	[SWMOD_PT_TDR] = "PT_TDR",
	[SWMOD_PT_TDCX] = "PT_TDCX",
	[SWMOD_PT_TDVPR] = "PT_TDVPR",
	[SWMOD_PT_TDVPX] = "PT_TDVPX",
	[SWMOD_PT_EPT] = "PT_EPT",
};

static const char *tdx_swmod_pt_name(u8 pt)
{
	if (pt < ARRAY_SIZE(tdx_swmod_pt_names) && tdx_swmod_pt_names[pt])
		return tdx_swmod_pt_names[pt];
	return "PT_?";
}

/**
 * tdx_swmod_report_fault() - Name the TD page behind a kernel page fault
 * @address: the faulting address
 *
 * Called by the x86 page-fault path on its way to an oops, any context.
 * Reads the PAMT without locks and prints nothing unless @address is
 * the direct-map address of a TD-owned page.
 */
void tdx_swmod_report_fault(unsigned long address)
{
	struct swmod *m = tdx_swmod_instance();
	static const char * const sizes[] = { "4K", "2M", "1G" };
	u64 pa, owner;
	int ps;
	u8 pt;

	if (!m || !virt_addr_valid((void *)address))
		return;
	pa = __pa(address);
	if (!swmod_page_owner(m, pa, &pt, &owner, &ps))
		return;
	pr_emerg("host access to TD-private page %#llx (%s %s page, owner TD %#llx%s): a machine check on real TDX hardware\n",
		 ALIGN_DOWN(pa, PAGE_SIZE), tdx_swmod_pt_name(pt),
		 ps >= 0 && ps < ARRAY_SIZE(sizes) ? sizes[ps] : "?", owner,
		 swmod_dmap_hidden(pa) ? "" : ", still mapped");
}

/**
 * tdx_swmod_touch_td_page() - Read a TD-owned page from the host, a test
 *
 * Creates a TD on a fresh page (TDH.MNG.CREATE: the page becomes its
 * TDR) and reads the page through the direct map.  With TD pages
 * unmapped that oopses, after the report line: the writer is killed
 * and the TD and its page are abandoned.  Without unmapping the read
 * succeeds silently, which is what this test exists to catch: the
 * page is leaked and the call fails with -EIO.
 *
 * Return: -EIO if the read did not fault, -ENODEV/-ENOMEM/-ENOSPC if
 * no TD could be created.
 */
int tdx_swmod_touch_td_page(void)
{
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	phys_addr_t pa;
	int hkid;
	u64 st, v;

	if (!page)
		return -ENOMEM;
	pa = page_to_phys(page);
	hkid = tdx_guest_keyid_alloc();
	if (hkid < 0) {
		__free_page(page);
		return hkid;
	}
	st = tdh_mng_create(pa, hkid);
	if (st) {
		pr_err("software module: touch_td_page: TDH.MNG.CREATE: %#llx\n",
		       st);
		tdx_guest_keyid_free(hkid);
		__free_page(page);
		return -ENODEV;
	}
	pr_info("software module: touch_td_page: the host reads TD page %pa (its TDR)\n",
		&pa);
	v = READ_ONCE(*(u64 *)page_address(page));
	pr_err("software module: touch_td_page: host read of TD page %pa did not fault (read %#llx): TD pages are in the direct map\n",
	       &pa, v);
	tdx_page_leaked(pa);
	return -EIO;
}
