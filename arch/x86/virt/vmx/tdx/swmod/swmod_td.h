/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Software TDX module: TD objects (TDR, TDCS, TDVPS) and the lower
 * layer's TD helpers (td.c): locking a TD through its TDR, the build
 * state gate, the Secure EPT walk and MRTD hashing.
 *
 * Where the state lives: as in the real module, in the TD's own pages.
 * struct swmod_tdr fills the start of the TDR page, struct swmod_tdcs
 * the start of TDCX page 0, struct swmod_tdvps the start of the TDVPR
 * page, and S-EPT tables are 512 u64 entries in their pages (the root
 * is TDCX page 2).  The layouts are ours, not the hardware's: the host
 * never reads them (on real hardware they are encrypted).  Keeping
 * them in the pages means the leaves allocate nothing and never sleep.
 */
#ifndef __SWMOD_TD_H
#define __SWMOD_TD_H

#include "swmod_state.h"

#define SWMOD_TDCX_TDCS		0	/* TDCS main page */
#define SWMOD_TDCX_MSR_BITMAP	1	/* filled with 0xFF */
#define SWMOD_TDCX_SEPT_ROOT	2	/* filled with free entries */
#define SWMOD_TDCX_ZERO		3

/*
 * S-EPT entry: the architectural EPT entry plus our state in bits
 * 54:52 (ignored by the EPT walk).  The host is shown the entry
 * without the state bits (RCX on errors and SEPT.RD).
 */
#define SWMOD_SEPT_STATE_SHIFT	52
#define SWMOD_SEPT_STATE_MASK	GENMASK_ULL(54, 52)

/* Size of the SHA-384 context a platform keeps in the TDCS. */
#define SWMOD_SHA384_CTX_SIZE	512

struct swmod_tdr {
	u32 init;		/* TDH.MNG.INIT done */
	u32 fatal;
	u32 lifecycle;		/* SWMOD_TD_* */
	u32 num_tdcx;
	u16 hkid;
	u16 reserved;
	u32 pkg_config_bitmap;	/* MNG.KEY.CONFIG done on these packages */
	u64 chldcnt;		/* 4 KiB child pages, atomic */
	u64 tdcx_pa[SWMOD_TDCS_PAGES];
};

struct swmod_tdcs {
	/* From TD_PARAMS, fixed by MNG.INIT. */
	u64 attributes;
	u64 xfam;
	u64 eptp_controls;
	u64 exec_controls;
	u32 max_vcpus;
	u32 tsc_frequency;
	unsigned int pwl;		/* levels - 1: 3 or 4 */
	u64 shared_bit;			/* GPA bit 47 or 51 */
	struct swmod_cpuid_value cpuid_values[SWMOD_NUM_CPUID_CONFIG];

	/* vCPUs; under the TDR lock (exclusive) or atomic. */
	u64 num_vcpus;
	u64 num_assoc_vcpus;

	/* TDH.MNG.RD/WR fields (td_md.c). */
	u64 tsc_offset;
	u64 tsc_multiplier;

	u32 finalized;
	u32 sept_lock;			/* S-EPT tree and measurement */
	u32 epoch_lock;
	u32 reserved;
	u64 epoch;
	u64 refcount[2];		/* vCPUs in guest mode per epoch parity */

	u8 mrtd[SWMOD_SHA384_SIZE];
	u8 sha_ctx[SWMOD_SHA384_CTX_SIZE] __aligned(64);
};

struct swmod_tdvps {
	u64 tdr_pa;
	u32 state;			/* SWMOD_VCPU_* */
	u32 num_tdvpx;
	u64 tdvpx_pa[SWMOD_TDVPX_PAGES];
	u32 assoc_lp;			/* ~0U: not associated */
	u32 vcpu_index;

	/* TD VMCS and guest state: TDH.VP.RD/WR fields (td_md.c). */
	u64 posted_intr_nv;
	u64 posted_intr_desc;
	u64 shared_eptp;
	u64 pin_based_ctls;
	u64 guest_rsp;
	u64 guest_rip;
	u64 guest_rflags;
	u64 gpr[16];
	u64 state_details;
	u64 pend_nmi;

	/* The last exit was a TDVMCALL with this mask, not yet answered. */
	u64 tdvmcall_mask;
	u32 tdvmcall_pending;
};

#define SWMOD_LP_NONE		(~0U)

/* A TD locked through its TDR; filled by swmod_td_lock*(). */
struct swmod_td {
	u64 tdr_pa;
	struct swmod_pamt_entry *tdr_pamt;
	bool excl;
	struct swmod_tdr *tdr;
	struct swmod_tdcs *tdcs;	/* NULL until TDCX page 0 is added */
};

void *swmod_page_va(struct swmod *m, u64 pa);

/*
 * What a TD leaf needs of its TD: the precondition mask each leaf passes
 * to swmod_td_lock() (or checks with swmod_td_check() when the TD was
 * found through another object).  The checks run in this order and the
 * first failing one gives the status:
 *   SWMOD_TD_LC()      lifecycle is one of those given (none given: any),
 *                      else TDX_LIFECYCLE_STATE_INCORRECT
 *   SWMOD_TD_ALIVE     not FATAL, else TDX_TD_FATAL
 *   SWMOD_TD_KEYED     KEYS_CONFIGURED, else TDX_TD_KEYS_NOT_CONFIGURED
 *   SWMOD_TD_INIT      MNG.INIT done, else TDX_TD_NOT_INITIALIZED
 *   SWMOD_TD_NOT_INIT  MNG.INIT not done, else TDX_TD_INITIALIZED
 *   SWMOD_TD_NOT_FINAL not finalized, else TDX_TD_FINALIZED (only with
 *                      SWMOD_TD_INIT: the TDCS must exist)
 *   SWMOD_TD_FINAL     finalized, else TDX_TD_NOT_FINALIZED (same)
 */
#define SWMOD_TD_LC(lc)		BIT(lc)
#define SWMOD_TD_LC_MASK	GENMASK(3, 0)
#define SWMOD_TD_ALIVE		BIT(8)
#define SWMOD_TD_KEYED		BIT(9)
#define SWMOD_TD_INIT		BIT(10)
#define SWMOD_TD_NOT_INIT	BIT(11)
#define SWMOD_TD_NOT_FINAL	BIT(12)
#define SWMOD_TD_FINAL		BIT(13)
/* 1.0 check_td_in_correct_build_state: not fatal, keyed, initialized. */
#define SWMOD_TD_BUILD		(SWMOD_TD_ALIVE | SWMOD_TD_KEYED | SWMOD_TD_INIT)
/* ... and not finalized yet: building the TD's memory and vCPUs. */
#define SWMOD_TD_BUILDING	(SWMOD_TD_BUILD | SWMOD_TD_NOT_FINAL)
/* ... and finalized: the TD can run (TDH.VP.ENTER). */
#define SWMOD_TD_RUNNABLE	(SWMOD_TD_BUILD | SWMOD_TD_FINAL)

u64 swmod_td_lock(struct swmod *m, u64 tdr_pa, u64 opid, bool excl,
		  u32 need, struct swmod_td *td);
u64 swmod_td_lock_implicit(struct swmod *m, u64 tdr_pa, bool excl,
			   struct swmod_td *td);
void swmod_td_unlock(struct swmod_td *td);
u64 swmod_td_check(const struct swmod_td *td, u32 need);
void swmod_td_add_child(struct swmod_td *td, s64 nr_4k);
u64 swmod_vp_lock(struct swmod *m, u64 tdvpr, u64 opid, u32 need,
		  struct swmod_pamt_entry **e, struct swmod_tdvps **vp,
		  struct swmod_td *td);
void swmod_vp_unlock(struct swmod_pamt_entry *e, struct swmod_td *td);

/* The Secure EPT. */
struct swmod_sept_walk {
	u64 *entry;		/* the entry at the requested level */
	unsigned int level;
};

u64 swmod_gpa_check(const struct swmod_td *td, u64 page_info,
		    unsigned int min_level, unsigned int max_level,
		    u64 *gpa, unsigned int *level);
u64 swmod_sept_walk(struct swmod *m, struct swmod_td *td, u64 gpa,
		    unsigned int level, struct swmod_sept_walk *w,
		    struct swmod_regs *regs);
unsigned int swmod_sept_state(u64 entry);
u64 swmod_sept_arch(u64 entry);
u64 swmod_sept_pa(u64 entry);
bool swmod_sept_is_leaf(u64 entry, unsigned int level);
u64 swmod_sept_make(u64 pa, unsigned int level, bool leaf, unsigned int state,
		    bool sve);
u64 swmod_sept_set_state(u64 entry, unsigned int state);
void swmod_sept_details(u64 entry, unsigned int level, struct swmod_regs *regs);
void swmod_sept_fill_free(struct swmod *m, u64 pa);
bool swmod_td_tlb_tracked(const struct swmod_td *td, u64 bepoch);

/* MRTD. */
void swmod_td_measure(struct swmod *m, struct swmod_td *td, const char *tag,
		      u64 gpa, const void *data, size_t len);

#endif /* __SWMOD_TD_H */
