/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TD lifecycle fixture for the tests of the TD leaves: a module ready
 * on one 1 GiB TDMR, and a TD built step by step up to a stage.
 */
#ifndef _TEST_TD_H
#define _TEST_TD_H

#include "tlib.h"
#include "swmod_abi.h"

#define TD_PARAMS_PA	0x50000ULL	/* shared, below the CMRs */
#define TD_SRC_PA	0x60000ULL	/* PAGE.ADD sources, 16 pages */
#define TD_PAGES_BASE	(16 * SZ_1M)	/* TD pages come from here */
#define TD_TDMR_SIZE	SZ_1G
#define TD_RSVD_PA	0x1000ULL	/* in TDMR0's reserved [0, 1M) */
#define TD_OUTSIDE_PA	(SZ_1G + SZ_1G / 2)	/* in a CMR, in no TDMR */
#define TD_HKID		20

enum td_stage {
	S_READY, S_CREATED, S_KEYED, S_TDCX, S_INIT, S_VPCREATED, S_VPINIT,
	S_SEPT, S_ADDED, S_FINALIZED, S_BLOCKED, S_TRACKED, S_FLUSHDONE,
	S_WB, S_FREEID,
};

struct tdf {
	struct env *e;
	u64 next_page;
	u64 tdr, tdcx[SWMOD_TDCS_PAGES], tdvpr, tdvpx[SWMOD_TDVPX_PAGES];
	u64 sept[3];		/* tables added at levels 3, 2, 1 for GPA 0 */
	u64 page0;		/* PAGE.ADD at GPA 0 */
	struct swmod_td_params params;
};

struct tdf *tdf_new(void);
void tdf_free(struct tdf *f);
u64 tdf_page(struct tdf *f);
void tdf_default_params(struct swmod_td_params *p);
void tdf_build(struct tdf *f, enum td_stage stage);
u64 tdf_sc(struct tdf *f, unsigned int lp, u64 leaf, u64 rcx, u64 rdx,
	   u64 r8, u64 r9, struct swmod_regs *out);
/* Every PAMT entry of the TDMR is NDA or RSVD, and no page is owned. */
bool tdf_all_pamt_free(struct tdf *f);

#endif
