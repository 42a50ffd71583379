/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The TDX host core's TD interface for KVM: one wrapper per TD SEAMCALL
 * leaf (arch/x86/virt/vmx/tdx/tdh.c) and what KVM needs around them
 * (tdx_guest.c): guest KeyIDs, one CPU per package, the sysinfo a TD is
 * built from, and the accounting of pages that could not be reclaimed.
 *
 * The wrappers return the TDX module's status unchanged (KVM decides
 * what is busy, retryable or fatal); outputs a leaf reports on failure
 * (S-EPT walk details in RCX/RDX) are returned through the pointers.
 * They never sleep: KVM calls some of them under its mmu_lock.  The
 * module must have been initialized (tdx_enable()).
 */
#ifndef _ASM_X86_TDX_TDH_H
#define _ASM_X86_TDX_TDH_H

#include <linux/bits.h>
#include <linux/types.h>
#include <linux/smp.h>

struct page;

/* S-EPT levels as the module numbers them: 0 = 4K ... 3 = PML4. */
#define TDX_SEPT_LEVEL_4K	0
#define TDX_SEPT_LEVEL_2M	1

/*
 * Metadata field ids of tdh_mng_rd/wr() (TDCS) and tdh_vp_rd/wr()
 * (TDVPS), module 1.0 shape: bit 63 non-architectural, bits 61:56
 * class, bits 31:0 field.  The fields a KVM TDX backend uses; the list,
 * with who may read and write each, is in
 * Documentation/x86/tdx-swmodule.rst.
 */
#define TDX_MD_NON_ARCH		BIT_ULL(63)
#define TDX_MD_ID(class, field)	(((u64)(class) << 56) | (u64)(field))
#define TDX_MD_TSC_OFFSET	TDX_MD_ID(17, 10)
#define TDX_MD_TSC_MULTIPLIER	TDX_MD_ID(17, 11)
#define TDX_MD_MRTD(i)		TDX_MD_ID(18, (i))	/* 6 x u64, finalized */
#define TDX_MD_VMCS(enc)	TDX_MD_ID(0, (enc))	/* VMCS encoding */
#define TDX_MD_GPR(i)		TDX_MD_ID(16, (i))	/* debug TDs */
#define TDX_MD_STATE_DETAILS	(TDX_MD_NON_ARCH | TDX_MD_ID(17, 0x100))
#define TDX_MD_PEND_NMI		TDX_MD_ID(32, 11)

u64 tdh_mng_create(phys_addr_t tdr, u16 hkid);
u64 tdh_mng_key_config(phys_addr_t tdr);
u64 tdh_mng_addcx(phys_addr_t tdr, phys_addr_t tdcx);
u64 tdh_mng_init(phys_addr_t tdr, phys_addr_t td_params, u64 *rcx);
u64 tdh_mng_rd(phys_addr_t tdr, u64 field, u64 *value);
u64 tdh_mng_wr(phys_addr_t tdr, u64 field, u64 value, u64 mask, u64 *old);
u64 tdh_mng_vpflushdone(phys_addr_t tdr);
u64 tdh_mng_key_freeid(phys_addr_t tdr);
u64 tdh_vp_create(phys_addr_t tdr, phys_addr_t tdvpr);
u64 tdh_vp_addcx(phys_addr_t tdvpr, phys_addr_t tdvpx);
u64 tdh_vp_init(phys_addr_t tdvpr, u64 initial_rcx);
u64 tdh_vp_flush(phys_addr_t tdvpr);
u64 tdh_vp_rd(phys_addr_t tdvpr, u64 field, u64 *value);
u64 tdh_vp_wr(phys_addr_t tdvpr, u64 field, u64 value, u64 mask, u64 *old);
u64 tdh_mem_sept_add(phys_addr_t tdr, u64 gpa, int level, phys_addr_t page,
		     u64 *rcx, u64 *rdx);
u64 tdh_mem_page_add(phys_addr_t tdr, u64 gpa, phys_addr_t page,
		     phys_addr_t source, u64 *rcx, u64 *rdx);
u64 tdh_mem_page_aug(phys_addr_t tdr, u64 gpa, int level, phys_addr_t page,
		     u64 *rcx, u64 *rdx);
u64 tdh_mem_range_block(phys_addr_t tdr, u64 gpa, int level, u64 *rcx,
			u64 *rdx);
u64 tdh_mem_track(phys_addr_t tdr);
u64 tdh_mem_range_unblock(phys_addr_t tdr, u64 gpa, int level, u64 *rcx,
			  u64 *rdx);
u64 tdh_mem_page_remove(phys_addr_t tdr, u64 gpa, int level, u64 *rcx,
			u64 *rdx);
u64 tdh_mem_sept_remove(phys_addr_t tdr, u64 gpa, int level, u64 *rcx,
			u64 *rdx);
u64 tdh_mem_sept_rd(phys_addr_t tdr, u64 gpa, int level, u64 *entry,
		    u64 *level_state);
u64 tdh_mr_extend(phys_addr_t tdr, u64 gpa, u64 *rcx, u64 *rdx);
u64 tdh_mr_finalize(phys_addr_t tdr);
u64 tdh_phymem_cache_wb(bool resume);
u64 tdh_phymem_page_reclaim(phys_addr_t page, u64 *pt, u64 *owner,
			    u64 *size);
u64 tdh_phymem_page_wbinvd(u64 hpa_with_keyid);
u64 tdh_phymem_page_rdmd(phys_addr_t page, u64 *pt, u64 *owner, u64 *size,
			 u64 *bepoch);

/*
 * TDH.VP.ENTER's registers besides RAX (the status, with the exit
 * reason in bits 15:0 on an exit).
 */
struct tdh_vp_enter_regs {
	u64 rcx;	/* out: exit qualification, or the TDVMCALL's GPR mask */
	u64 rdx;	/* out: extended exit qualification */
	u64 r8;		/* out: guest physical address */
	u64 r9;		/* out: exit interruption information */
	u64 r10, r11, r12, r13, r14, r15;	/* in and out: TDVMCALL GPRs */
};

u64 tdh_vp_enter(phys_addr_t tdvpr, struct tdh_vp_enter_regs *regs);

/* What a TD is built from, as TDH.SYS.INFO reported it. */
struct tdx_td_sysinfo {
	unsigned int tdcs_nr_pages;	/* TDCX pages per TD */
	unsigned int tdvpx_nr_pages;	/* TDVPX pages per vCPU */
	u64 attributes_fixed0;
	u64 attributes_fixed1;
	u64 xfam_fixed0;
	u64 xfam_fixed1;
	unsigned int num_cpuid_config;
	struct {
		u32 leaf, sub_leaf, eax, ebx, ecx, edx;
	} cpuid_configs[6];
};

int tdx_get_td_sysinfo(struct tdx_td_sysinfo *info);
int tdx_guest_keyid_alloc(void);
void tdx_guest_keyid_free(unsigned int keyid);
int tdx_on_each_package(smp_call_func_t fn, void *arg);
void tdx_page_leaked(phys_addr_t page);
u64 tdx_hkid_pa(phys_addr_t pa, int hkid);
void tdx_clear_page(struct page *page);
int tdx_reclaim_page(struct page *page);
u64 tdx_leaked_pages(void);

#endif /* _ASM_X86_TDX_TDH_H */
