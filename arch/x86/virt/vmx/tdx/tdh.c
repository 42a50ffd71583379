// SPDX-License-Identifier: GPL-2.0
/*
 * TDX host core: the TD SEAMCALL wrappers KVM calls (asm/tdx_tdh.h).
 *
 * One small function per leaf: typed arguments in, the module's status
 * out unchanged.  Unlike the initialization path in tdx.c, nothing here
 * turns a status into an errno or logs it: KVM retries busy statuses
 * and decides what is fatal.  The wrappers run on the backend chosen
 * at boot (the SEAMCALL instruction or the software module) with
 * preemption disabled around the call, and never sleep.
 */

#include <linux/types.h>
#include <linux/export.h>
#include <linux/preempt.h>
#include <asm/tdx.h>
#include <asm/tdx_tdh.h>

#include "tdx_host.h"
#include "tdx_swmod.h"

/* TD leaf numbers (TDX module 1.0 ABI, RAX bits 15:0). */
#define TDH_MNG_ADDCX		1
#define TDH_MEM_PAGE_ADD	2
#define TDH_MEM_SEPT_ADD	3
#define TDH_VP_ADDCX		4
#define TDH_MEM_PAGE_AUG	6
#define TDH_MEM_RANGE_BLOCK	7
#define TDH_MNG_KEY_CONFIG	8
#define TDH_MNG_CREATE		9
#define TDH_VP_CREATE		10
#define TDH_MNG_RD		11
#define TDH_MNG_WR		13
#define TDH_MR_EXTEND		16
#define TDH_MR_FINALIZE		17
#define TDH_VP_FLUSH		18
#define TDH_MNG_VPFLUSHDONE	19
#define TDH_MNG_KEY_FREEID	20
#define TDH_MNG_INIT		21
#define TDH_VP_INIT		22
#define TDH_PHYMEM_PAGE_RDMD	24
#define TDH_MEM_SEPT_RD		25
#define TDH_VP_RD		26
#define TDH_PHYMEM_PAGE_RECLAIM	28
#define TDH_MEM_PAGE_REMOVE	29
#define TDH_MEM_SEPT_REMOVE	30
#define TDH_MEM_TRACK		38
#define TDH_MEM_RANGE_UNBLOCK	39
#define TDH_PHYMEM_CACHE_WB	40
#define TDH_PHYMEM_PAGE_WBINVD	41
#define TDH_VP_WR		43

/* The instruction on the boot-time backend; @out may be NULL. */
static u64 tdh_call(u64 fn, u64 rcx, u64 rdx, u64 r8, u64 r9,
		    struct tdx_module_output *out)
{
	struct tdx_module_output regs = {};
	u64 ret;

	ret = tdx_seamcall_raw(fn, rcx, rdx, r8, r9, &regs);
	if (out)
		*out = regs;
	return ret;
}

/* A leaf whose RCX/RDX carry S-EPT details (or results) back. */
static u64 tdh_call_detail(u64 fn, u64 rcx, u64 rdx, u64 r8, u64 r9,
			   u64 *rcx_out, u64 *rdx_out)
{
	struct tdx_module_output out;
	u64 ret = tdh_call(fn, rcx, rdx, r8, r9, &out);

	if (rcx_out)
		*rcx_out = out.rcx;
	if (rdx_out)
		*rdx_out = out.rdx;
	return ret;
}

/*
 * A memory leaf: RCX = GPA | level (the page_info operand), RDX = TDR,
 * then R8/R9; RCX/RDX come back through @rcx/@rdx.
 */
static u64 tdh_mem_call(u64 fn, phys_addr_t tdr, u64 gpa, int level, u64 r8,
			u64 r9, u64 *rcx, u64 *rdx)
{
	return tdh_call_detail(fn, gpa | (u64)level, tdr, r8, r9, rcx, rdx);
}

u64 tdh_mng_create(phys_addr_t tdr, u16 hkid)
{
	return tdh_call(TDH_MNG_CREATE, tdr, hkid, 0, 0, NULL);
}
EXPORT_SYMBOL_GPL(tdh_mng_create);

/* Once on a CPU of every package: see tdx_on_each_package(). */
u64 tdh_mng_key_config(phys_addr_t tdr)
{
	return tdh_call(TDH_MNG_KEY_CONFIG, tdr, 0, 0, 0, NULL);
}
EXPORT_SYMBOL_GPL(tdh_mng_key_config);

u64 tdh_mng_addcx(phys_addr_t tdr, phys_addr_t tdcx)
{
	return tdh_call(TDH_MNG_ADDCX, tdcx, tdr, 0, 0, NULL);
}
EXPORT_SYMBOL_GPL(tdh_mng_addcx);

/* @rcx: the offending CPUID leaf/subleaf on a CPUID_CONFIG error. */
u64 tdh_mng_init(phys_addr_t tdr, phys_addr_t td_params, u64 *rcx)
{
	return tdh_call_detail(TDH_MNG_INIT, tdr, td_params, 0, 0, rcx, NULL);
}
EXPORT_SYMBOL_GPL(tdh_mng_init);

u64 tdh_mng_vpflushdone(phys_addr_t tdr)
{
	return tdh_call(TDH_MNG_VPFLUSHDONE, tdr, 0, 0, 0, NULL);
}
EXPORT_SYMBOL_GPL(tdh_mng_vpflushdone);

u64 tdh_mng_key_freeid(phys_addr_t tdr)
{
	return tdh_call(TDH_MNG_KEY_FREEID, tdr, 0, 0, 0, NULL);
}
EXPORT_SYMBOL_GPL(tdh_mng_key_freeid);

/* A metadata read: R8 is the value. */
static u64 tdh_md_rd(u64 fn, phys_addr_t obj, u64 field, u64 *value)
{
	struct tdx_module_output out;
	u64 ret = tdh_call(fn, obj, field, 0, 0, &out);

	*value = out.r8;
	return ret;
}

/* A metadata write of the bits in @mask: R8 is the old value. */
static u64 tdh_md_wr(u64 fn, phys_addr_t obj, u64 field, u64 value, u64 mask,
		     u64 *old)
{
	struct tdx_module_output out;
	u64 ret = tdh_call(fn, obj, field, value, mask, &out);

	if (old)
		*old = out.r8;
	return ret;
}

/* A TDCS field (TDX_MD_TSC_*, TDX_MD_MRTD()): the TD must be initialized. */
u64 tdh_mng_rd(phys_addr_t tdr, u64 field, u64 *value)
{
	return tdh_md_rd(TDH_MNG_RD, tdr, field, value);
}
EXPORT_SYMBOL_GPL(tdh_mng_rd);

u64 tdh_mng_wr(phys_addr_t tdr, u64 field, u64 value, u64 mask, u64 *old)
{
	return tdh_md_wr(TDH_MNG_WR, tdr, field, value, mask, old);
}
EXPORT_SYMBOL_GPL(tdh_mng_wr);

u64 tdh_vp_create(phys_addr_t tdr, phys_addr_t tdvpr)
{
	return tdh_call(TDH_VP_CREATE, tdvpr, tdr, 0, 0, NULL);
}
EXPORT_SYMBOL_GPL(tdh_vp_create);

u64 tdh_vp_addcx(phys_addr_t tdvpr, phys_addr_t tdvpx)
{
	return tdh_call(TDH_VP_ADDCX, tdvpx, tdvpr, 0, 0, NULL);
}
EXPORT_SYMBOL_GPL(tdh_vp_addcx);

/* Associates the vCPU with the calling CPU. */
u64 tdh_vp_init(phys_addr_t tdvpr, u64 initial_rcx)
{
	return tdh_call(TDH_VP_INIT, tdvpr, initial_rcx, 0, 0, NULL);
}
EXPORT_SYMBOL_GPL(tdh_vp_init);

/* On the CPU the vCPU is associated with. */
u64 tdh_vp_flush(phys_addr_t tdvpr)
{
	return tdh_call(TDH_VP_FLUSH, tdvpr, 0, 0, 0, NULL);
}
EXPORT_SYMBOL_GPL(tdh_vp_flush);

/* A TDVPS field (TDX_MD_* below): the vCPU must be initialized. */
u64 tdh_vp_rd(phys_addr_t tdvpr, u64 field, u64 *value)
{
	return tdh_md_rd(TDH_VP_RD, tdvpr, field, value);
}
EXPORT_SYMBOL_GPL(tdh_vp_rd);

u64 tdh_vp_wr(phys_addr_t tdvpr, u64 field, u64 value, u64 mask, u64 *old)
{
	return tdh_md_wr(TDH_VP_WR, tdvpr, field, value, mask, old);
}
EXPORT_SYMBOL_GPL(tdh_vp_wr);

/*
 * Enter the vCPU; @regs carries the host's answer to its last TDVMCALL
 * in (R10..R15, the GPRs that call's mask selected) and the exit out.
 * Every output is 0 on an error status.  Only the software module
 * implements it (see Documentation/x86/tdx-swmodule.rst): on the
 * SEAMCALL instruction it fails with TDX_SEAMCALL_VMFAILINVALID and
 * runs nothing.  KVM calls it with interrupts disabled.
 */
u64 tdh_vp_enter(phys_addr_t tdvpr, struct tdh_vp_enter_regs *regs)
{
	return tdx_seamcall_vp_enter(tdvpr, regs);
}
EXPORT_SYMBOL_GPL(tdh_vp_enter);

u64 tdh_mem_sept_add(phys_addr_t tdr, u64 gpa, int level, phys_addr_t page,
		     u64 *rcx, u64 *rdx)
{
	return tdh_mem_call(TDH_MEM_SEPT_ADD, tdr, gpa, level,
			    page, 0, rcx, rdx);
}
EXPORT_SYMBOL_GPL(tdh_mem_sept_add);

u64 tdh_mem_page_add(phys_addr_t tdr, u64 gpa, phys_addr_t page,
		     phys_addr_t source, u64 *rcx, u64 *rdx)
{
	return tdh_mem_call(TDH_MEM_PAGE_ADD, tdr, gpa, TDX_SEPT_LEVEL_4K,
			    page, source, rcx, rdx);
}
EXPORT_SYMBOL_GPL(tdh_mem_page_add);

u64 tdh_mem_page_aug(phys_addr_t tdr, u64 gpa, int level, phys_addr_t page,
		     u64 *rcx, u64 *rdx)
{
	return tdh_mem_call(TDH_MEM_PAGE_AUG, tdr, gpa, level,
			    page, 0, rcx, rdx);
}
EXPORT_SYMBOL_GPL(tdh_mem_page_aug);

u64 tdh_mem_range_block(phys_addr_t tdr, u64 gpa, int level, u64 *rcx,
			u64 *rdx)
{
	return tdh_mem_call(TDH_MEM_RANGE_BLOCK, tdr, gpa, level,
			    0, 0, rcx, rdx);
}
EXPORT_SYMBOL_GPL(tdh_mem_range_block);

u64 tdh_mem_track(phys_addr_t tdr)
{
	return tdh_call(TDH_MEM_TRACK, tdr, 0, 0, 0, NULL);
}
EXPORT_SYMBOL_GPL(tdh_mem_track);

u64 tdh_mem_range_unblock(phys_addr_t tdr, u64 gpa, int level, u64 *rcx,
			  u64 *rdx)
{
	return tdh_mem_call(TDH_MEM_RANGE_UNBLOCK, tdr, gpa, level,
			    0, 0, rcx, rdx);
}
EXPORT_SYMBOL_GPL(tdh_mem_range_unblock);

/* On success *@rcx is the removed page's HPA. */
u64 tdh_mem_page_remove(phys_addr_t tdr, u64 gpa, int level, u64 *rcx,
			u64 *rdx)
{
	return tdh_mem_call(TDH_MEM_PAGE_REMOVE, tdr, gpa, level,
			    0, 0, rcx, rdx);
}
EXPORT_SYMBOL_GPL(tdh_mem_page_remove);

/* On success *@rcx is the removed S-EPT page's HPA. */
u64 tdh_mem_sept_remove(phys_addr_t tdr, u64 gpa, int level, u64 *rcx,
			u64 *rdx)
{
	return tdh_mem_call(TDH_MEM_SEPT_REMOVE, tdr, gpa, level,
			    0, 0, rcx, rdx);
}
EXPORT_SYMBOL_GPL(tdh_mem_sept_remove);

u64 tdh_mem_sept_rd(phys_addr_t tdr, u64 gpa, int level, u64 *entry,
		    u64 *level_state)
{
	return tdh_mem_call(TDH_MEM_SEPT_RD, tdr, gpa, level,
			    0, 0, entry, level_state);
}
EXPORT_SYMBOL_GPL(tdh_mem_sept_rd);

u64 tdh_mr_extend(phys_addr_t tdr, u64 gpa, u64 *rcx, u64 *rdx)
{
	return tdh_call_detail(TDH_MR_EXTEND, gpa, tdr, 0, 0, rcx, rdx);
}
EXPORT_SYMBOL_GPL(tdh_mr_extend);

u64 tdh_mr_finalize(phys_addr_t tdr)
{
	return tdh_call(TDH_MR_FINALIZE, tdr, 0, 0, 0, NULL);
}
EXPORT_SYMBOL_GPL(tdh_mr_finalize);

/* Once per package; re-issue with @resume after TDX_INTERRUPTED_RESUMABLE. */
u64 tdh_phymem_cache_wb(bool resume)
{
	return tdh_call(TDH_PHYMEM_CACHE_WB, resume ? 1 : 0, 0, 0, 0, NULL);
}
EXPORT_SYMBOL_GPL(tdh_phymem_cache_wb);

u64 tdh_phymem_page_reclaim(phys_addr_t page, u64 *pt, u64 *owner, u64 *size)
{
	struct tdx_module_output out;
	u64 ret = tdh_call(TDH_PHYMEM_PAGE_RECLAIM, page, 0, 0, 0, &out);

	*pt = out.rcx;
	*owner = out.rdx;
	*size = out.r8;
	return ret;
}
EXPORT_SYMBOL_GPL(tdh_phymem_page_reclaim);

/* @hpa_with_keyid: the page's HPA with the KeyID it was used with. */
u64 tdh_phymem_page_wbinvd(u64 hpa_with_keyid)
{
	return tdh_call(TDH_PHYMEM_PAGE_WBINVD, hpa_with_keyid, 0, 0, 0, NULL);
}
EXPORT_SYMBOL_GPL(tdh_phymem_page_wbinvd);

u64 tdh_phymem_page_rdmd(phys_addr_t page, u64 *pt, u64 *owner, u64 *size,
			 u64 *bepoch)
{
	struct tdx_module_output out;
	u64 ret = tdh_call(TDH_PHYMEM_PAGE_RDMD, page, 0, 0, 0, &out);

	*pt = out.rcx;
	*owner = out.rdx;
	*size = out.r8;
	*bepoch = out.r9;
	return ret;
}
EXPORT_SYMBOL_GPL(tdh_phymem_page_rdmd);
