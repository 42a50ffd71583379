/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Software TDX module: the leaf entry points.
 *
 * Only the dispatcher (dispatch.c) calls these; a leaf file includes
 * this header for its own prototypes and never calls another group's
 * leaves.  Leaves depend only on the lower layer (swmod_state.h).
 */
#ifndef __SWMOD_LEAVES_H
#define __SWMOD_LEAVES_H

#include "swmod_state.h"

/* sys_init.c */
u64 swmod_sys_init(struct swmod *m, struct swmod_regs *regs);
u64 swmod_sys_lp_init(struct swmod *m, struct swmod_regs *regs);
u64 swmod_sys_info(struct swmod *m, struct swmod_regs *regs);
u64 swmod_sys_lp_shutdown(struct swmod *m, struct swmod_regs *regs);
void swmod_sysinfo_build(struct swmod *m, const struct swmod_config *cfg);

/* sys_config.c */
u64 swmod_sys_config(struct swmod *m, struct swmod_regs *regs);
u64 swmod_sys_key_config(struct swmod *m, struct swmod_regs *regs);
u64 swmod_sys_tdmr_init(struct swmod *m, struct swmod_regs *regs);

/*
 * The pure TDMR rule checker (sys_config.c): no platform, no instance,
 * no globals.  Returns TDX_SUCCESS or the first violated rule's status
 * with its info bytes.  @tdmrs must already be decoded from TDMR_INFO.
 */
u64 swmod_check_tdmrs(const struct swmod_tdmr *tdmrs, unsigned int nr,
		      const struct swmod_cmr_info *cmrs, unsigned int nr_cmrs,
		      u64 hkid_mask);
void swmod_tdmr_decode(const struct swmod_tdmr_info *info,
		       struct swmod_tdmr *t);
u64 swmod_pamt_min_size(u64 tdmr_size, int ps);

/* td_mng.c */
u64 swmod_mng_create(struct swmod *m, struct swmod_regs *regs);
u64 swmod_mng_key_config(struct swmod *m, struct swmod_regs *regs);
u64 swmod_mng_addcx(struct swmod *m, struct swmod_regs *regs);
u64 swmod_mng_init(struct swmod *m, struct swmod_regs *regs);
u64 swmod_mng_vpflushdone(struct swmod *m, struct swmod_regs *regs);
u64 swmod_mng_key_freeid(struct swmod *m, struct swmod_regs *regs);

/* td_md.c */
u64 swmod_mng_rd(struct swmod *m, struct swmod_regs *regs);
u64 swmod_mng_wr(struct swmod *m, struct swmod_regs *regs);
u64 swmod_vp_rd(struct swmod *m, struct swmod_regs *regs);
u64 swmod_vp_wr(struct swmod *m, struct swmod_regs *regs);

/* td_vp.c */
u64 swmod_vp_create(struct swmod *m, struct swmod_regs *regs);
u64 swmod_vp_addcx(struct swmod *m, struct swmod_regs *regs);
u64 swmod_vp_init(struct swmod *m, struct swmod_regs *regs);
u64 swmod_vp_flush(struct swmod *m, struct swmod_regs *regs);
u64 swmod_vp_enter(struct swmod *m, struct swmod_regs *regs);

/* sept.c */
u64 swmod_mem_sept_add(struct swmod *m, struct swmod_regs *regs);
u64 swmod_mem_page_add(struct swmod *m, struct swmod_regs *regs);
u64 swmod_mem_page_aug(struct swmod *m, struct swmod_regs *regs);
u64 swmod_mem_range_block(struct swmod *m, struct swmod_regs *regs);
u64 swmod_mem_track(struct swmod *m, struct swmod_regs *regs);
u64 swmod_mem_range_unblock(struct swmod *m, struct swmod_regs *regs);
u64 swmod_mem_page_remove(struct swmod *m, struct swmod_regs *regs);
u64 swmod_mem_sept_remove(struct swmod *m, struct swmod_regs *regs);
u64 swmod_mem_sept_rd(struct swmod *m, struct swmod_regs *regs);

/* measure.c */
u64 swmod_mr_extend(struct swmod *m, struct swmod_regs *regs);
u64 swmod_mr_finalize(struct swmod *m, struct swmod_regs *regs);

/* phymem.c */
u64 swmod_phymem_cache_wb(struct swmod *m, struct swmod_regs *regs);
u64 swmod_phymem_page_reclaim(struct swmod *m, struct swmod_regs *regs);
u64 swmod_phymem_page_wbinvd(struct swmod *m, struct swmod_regs *regs);
u64 swmod_phymem_page_rdmd(struct swmod *m, struct swmod_regs *regs);

#endif /* __SWMOD_LEAVES_H */
