/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Software TDX module: software state of one instance, and the
 * interface of the engine's lower layer (platform.c, fault.c, pamt.c).
 * Not hardware-defined: the layout here is ours and may change at will.
 *
 * Layers, each calling only the ones below it:
 *   dispatch.c          the SEAMCALL instruction, instance creation, and
 *                       the only file that knows every leaf
 *   leaves              one file per leaf group (swmod_leaves.h)
 *   lower layer         platform.c, fault.c, pamt.c (this header)
 */
#ifndef __SWMOD_STATE_H
#define __SWMOD_STATE_H

#include "swmod.h"

#define SWMOD_SZ_4K		(1ULL << 12)
#define SWMOD_SZ_2M		(1ULL << 21)
#define SWMOD_SZ_1G		(1ULL << 30)

/* Lock word: 0 free, SWMOD_LOCK_EXCL held exclusive, else shared count. */
#define SWMOD_LOCK_EXCL		0x80000000U

struct swmod_lp_state {
	u8 pkg;
	bool enabled;		/* BIOS-enabled: known to the module */
	bool online;		/* OS view; the module does not see it */
	bool vmx_on;		/* LP in VMX operation */
	bool lp_init;		/* TDH.SYS.LP.INIT done (survives offline) */
	bool shut_down;		/* TDH.SYS.LP.SHUTDOWN done on this LP */
};

/* One TDMR as recorded by TDH.SYS.CONFIG, with TDMR.INIT progress. */
struct swmod_tdmr {
	u64 base;
	u64 size;
	u64 pamt_base[SWMOD_PS_NR];	/* indexed by SWMOD_PS_* */
	u64 pamt_size[SWMOD_PS_NR];
	unsigned int nr_rsvd;		/* non-null reserved areas */
	struct swmod_tdmr_rsvd_area rsvd[SWMOD_MAX_RESERVED_PER_TDMR];
	u64 next;			/* next address TDMR.INIT initializes */
	u32 lock;			/* per-TDMR mutex (try-lock) */
};

struct swmod {
	struct swmod_plat *plat;

	/* Platform model, fixed at creation unless noted. */
	enum swmod_presence presence;		/* may change (test knob) */
	unsigned int nr_lps;
	unsigned int nr_enabled_lps;		/* LP.INIT needed on these */
	unsigned int nr_pkgs;
	struct swmod_lp_state *lps;
	u32 nr_mktme_keyids;
	u32 nr_tdx_keyids;
	u32 keyid_bits;
	u64 hkid_mask;				/* PA bits holding the KeyID */
	unsigned int hkid_shift;
	u32 private_hkid_min;
	u32 private_hkid_max;
	unsigned int nr_cmrs;
	struct swmod_cmr_info cmrs[SWMOD_MAX_CMRS];
	u64 seamrr_base;
	u64 seamrr_size;
	bool validate_only;
	bool boot_nt4;
	struct swmod_tdsysinfo sysinfo;		/* what SYS.INFO returns */

	/* Module global state. */
	u32 global_lock;
	u32 sys_state;				/* enum swmod_sys_state */
	u64 nr_init_lps;			/* updated under the shared lock */
	u32 pkg_configured;			/* bitmap, SYS.KEY.CONFIG */
	u16 global_hkid;
	u8 kot[SWMOD_MAX_HKIDS];		/* SWMOD_KOT_*, under kot_lock */
	u8 kot_wbinvd[SWMOD_MAX_HKIDS];	/* packages still to CACHE.WB */
	u32 kot_lock;
	u32 ket_lock[SWMOD_MAX_PKGS];		/* MNG.KEY.CONFIG per package */
	u32 wbcache_lock[SWMOD_MAX_PKGS];	/* PHYMEM.CACHE.WB per package */
	bool wbcache_resume[SWMOD_MAX_PKGS];	/* an interrupted CACHE.WB */
	u64 owned_pages;			/* 4 KiB pages not NDA/RSVD */
	unsigned int nr_tdmrs;
	struct swmod_tdmr tdmrs[SWMOD_MAX_TDMRS];

	/* TDH.SYS.CONFIG builds its table here and commits on success. */
	u64 cfg_pa[SWMOD_MAX_TDMRS];
	struct swmod_tdmr cfg_tdmrs[SWMOD_MAX_TDMRS];

	/* Test hooks. */
	struct swmod_fault faults[SWMOD_MAX_FAULTS];
	unsigned int nr_faults;
	struct swmod_stats stats;

	/*
	 * TDH.VP.ENTER's scripted exit (td_vp.c).  vp_exit_state is the
	 * armed kind, or SWMOD_VP_EXIT_BUSY while one caller arms or
	 * consumes the slot; vp_exit is written and read only by that
	 * caller.  The last entered vCPU's R10..R15 are published under
	 * the sequence count vp_guest_seq (odd while written), by one
	 * entry at a time (vp_guest_lock).
	 */
	u32 vp_exit_state;
	struct swmod_vp_exit vp_exit;
	u64 vp_entered;
	u32 vp_guest_lock;
	u64 vp_guest_seq;
	u64 vp_guest[SWMOD_VP_EXIT_NR_GPRS];
};

#define SWMOD_VP_EXIT_BUSY	0xFFU

/*
 * The engine's lower layer.  Leaves (swmod_leaves.h) call these and
 * nothing else; none of these calls a leaf.
 */

/* platform.c: platform model, memory access, address checks, locks. */
int swmod_platform_init(struct swmod *m, const struct swmod_config *cfg);
void swmod_platform_fini(struct swmod *m);
void swmod_mem_read(struct swmod *m, u64 pa, void *buf, size_t len);
void swmod_mem_write(struct swmod *m, u64 pa, const void *buf, size_t len);
bool swmod_pa_is_shared(const struct swmod *m, u64 pa);
u64 swmod_pa_strip_keyid(const struct swmod *m, u64 pa);
bool swmod_trylock(u32 *lock, bool exclusive);
void swmod_unlock(u32 *lock, bool exclusive);
unsigned int swmod_cur_lp(struct swmod *m);
u64 swmod_keyids_status(u32 nr_mktme_keyids, u32 nr_tdx_keyids);
u64 swmod_check_cmrs(const struct swmod_cmr_info *cmrs, unsigned int nr,
		     u64 hkid_mask);

/* fault.c: does an armed fault fire for this call of @leaf? */
bool swmod_fault_fire(struct swmod *m, unsigned int leaf,
		      enum swmod_fault_point point, u64 *status);

/* pamt.c */
void swmod_pamt_init_chunk(struct swmod *m, const struct swmod_tdmr *t,
			   u64 start, u64 end);
int swmod_find_tdmr(const struct swmod *m, u64 pa);
struct swmod_pamt_entry *swmod_pamt_get(struct swmod *m, u64 pa, int ps);
struct swmod_pamt_entry *swmod_pamt_leaf(struct swmod *m, u64 pa, int *ps);
bool swmod_pamt_trylock(struct swmod_pamt_entry *e, bool exclusive);
void swmod_pamt_unlock(struct swmod_pamt_entry *e, bool exclusive);
u64 swmod_pamt_owner(const struct swmod_pamt_entry *e);
void swmod_pamt_assign(struct swmod *m, struct swmod_pamt_entry *e, int ps,
		       u8 pt, u64 owner_pa);
void swmod_pamt_free(struct swmod *m, struct swmod_pamt_entry *e, int ps);
u64 swmod_hpa_lock(struct swmod *m, u64 hpa, u64 opid, bool exclusive,
		   struct swmod_pamt_entry **out);
u64 swmod_hpa_lock_free(struct swmod *m, u64 hpa, u64 opid,
			struct swmod_pamt_entry **out);

#endif /* __SWMOD_STATE_H */
