/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TDX host core: the software TDX module backend (tdx_swmod.c).
 * Stubs when CONFIG_INTEL_TDX_SWMOD is off, so tdx.c needs no #ifdef.
 */
#ifndef _X86_VIRT_TDX_SWMOD_H
#define _X86_VIRT_TDX_SWMOD_H

#include <linux/types.h>
#include <linux/string.h>
#include <asm/tdx.h>
#include <asm/tdx_tdh.h>

struct seq_file;
struct swmod;

#ifdef CONFIG_INTEL_TDX_SWMOD
bool tdx_swmod_requested(void);
bool tdx_swmod_init_at_boot(void);
bool tdx_swmod_claims_erratum(void);
void tdx_swmod_reset_memory(u64 pa, u64 size);
void tdx_swmod_lp_removed(unsigned int cpu);
void tdx_swmod_keyids(u32 *nr_mktme, u32 *nr_tdx);
int tdx_swmod_start(void);
u64 tdx_swmod_seamcall(u64 fn, u64 rcx, u64 rdx, u64 r8, u64 r9,
		       struct tdx_module_output *out);
u64 tdx_swmod_vp_enter(phys_addr_t tdvpr, struct tdh_vp_enter_regs *regs);
void tdx_swmod_show_stats(struct seq_file *m);
int tdx_swmod_arm_fault(char *spec);
void tdx_swmod_show_faults(struct seq_file *sf);
int tdx_swmod_arm_vp_exit(char *spec);
void tdx_swmod_show_vp_exit(struct seq_file *sf);
void tdx_swmod_stop(void);
unsigned int tdx_swmod_get_init_delay(void);
void tdx_swmod_set_init_delay(unsigned int ms);
u64 tdx_swmod_owned_pages(void);
int tdx_swmod_read_mrtd(phys_addr_t tdr, u8 *mrtd);
struct swmod *tdx_swmod_instance(void);
unsigned int tdx_swmod_keyid_shift(void);
int tdx_swmod_set_unmap(bool on);
bool tdx_swmod_unmap_enabled(void);
bool tdx_swmod_page_hidden(phys_addr_t pa);
int tdx_swmod_touch_td_page(void);
#else
static inline bool tdx_swmod_requested(void) { return false; }

static inline bool tdx_swmod_init_at_boot(void) { return false; }

static inline bool tdx_swmod_claims_erratum(void) { return false; }

static inline void tdx_swmod_reset_memory(u64 pa, u64 size) { }

static inline void tdx_swmod_lp_removed(unsigned int cpu) { }

static inline void tdx_swmod_keyids(u32 *nr_mktme, u32 *nr_tdx)
{
	*nr_mktme = 0;
	*nr_tdx = 0;
}

static inline int tdx_swmod_start(void) { return -ENODEV; }

static inline u64 tdx_swmod_seamcall(u64 fn, u64 rcx, u64 rdx, u64 r8,
				     u64 r9, struct tdx_module_output *out)
{
	return TDX_SEAMCALL_VMFAILINVALID;
}

static inline u64 tdx_swmod_vp_enter(phys_addr_t tdvpr,
				     struct tdh_vp_enter_regs *regs)
{
	memset(regs, 0, sizeof(*regs));
	return TDX_SEAMCALL_VMFAILINVALID;
}

static inline void tdx_swmod_show_stats(struct seq_file *m) { }

static inline int tdx_swmod_arm_fault(char *spec) { return -ENODEV; }

static inline void tdx_swmod_show_faults(struct seq_file *sf) { }

static inline int tdx_swmod_arm_vp_exit(char *spec) { return -ENODEV; }

static inline void tdx_swmod_show_vp_exit(struct seq_file *sf) { }

static inline void tdx_swmod_stop(void) { }

static inline unsigned int tdx_swmod_get_init_delay(void) { return 0; }

static inline void tdx_swmod_set_init_delay(unsigned int ms) { }

static inline u64 tdx_swmod_owned_pages(void) { return 0; }

static inline int tdx_swmod_read_mrtd(phys_addr_t tdr, u8 *mrtd)
{
	return -ENODEV;
}

static inline int tdx_swmod_set_unmap(bool on) { return -ENODEV; }

static inline bool tdx_swmod_unmap_enabled(void) { return false; }

static inline bool tdx_swmod_page_hidden(phys_addr_t pa) { return false; }

static inline int tdx_swmod_touch_td_page(void) { return -ENODEV; }
static inline unsigned int tdx_swmod_keyid_shift(void) { return 0; }
#endif /* CONFIG_INTEL_TDX_SWMOD */

#endif /* _X86_VIRT_TDX_SWMOD_H */
