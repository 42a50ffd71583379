// SPDX-License-Identifier: GPL-2.0
/*
 * Software TDX module: the SEAMCALL instruction and the leaf dispatcher.
 *
 * swmod_seamcall() first decides what the instruction itself does
 * (#UD, #GP, VMfailInvalid, or entering the module), then the module's
 * dispatcher applies the global state gate and calls the leaf.  Fault
 * injection and the per-leaf counters live here too.
 *
 * Order of the instruction-level outcomes (our decision; the ABI doc
 * lists them without an order):
 *   1. #UD if the LP is not in VMX operation (VMX instructions check
 *      this before anything else);
 *   2. #GP(0) if SEAM is absent (SEAMRR not enabled by the BIOS), on
 *      the platform or on this LP (an LP hot-added after boot, which
 *      MCHECK never saw);
 *   3. VMfailInvalid if RAX bit 63 selects the P-SEAMLDR (not modelled:
 *      the "targeted SEAM firmware" is absent), if no module is loaded,
 *      or if this LP already executed TDH.SYS.LP.SHUTDOWN (the module
 *      no longer takes SEAMCALLs on that LP; the doc marks the exact
 *      behaviour uncertain, we picked the loader-style failure).
 */

#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/compiler.h>
#include <linux/kernel.h>

#include "swmod_state.h"
#include "swmod_leaves.h"
#include "swmod_platform.h"

/* Harness-only status: the calling LP is offline (never from hardware). */
#define SWMOD_SEAMCALL_LP_OFFLINE	(SWMOD_SW_ERROR | 0xFFFF0001ULL)

/* Leaves the 1.0 dispatcher knows (34 and 37 are 1.5, 42 is unused). */
static bool swmod_leaf_is_v10(u64 rax)
{
	if (rax > SWMOD_TDH_SYS_CONFIG)
		return false;
	return rax != SWMOD_TDH_SYS_RD && rax != SWMOD_TDH_SYS_RDALL &&
	       rax != SWMOD_TDH_MEM_SEPT_WR;
}

/* Leaves the state gate lets through before SYS_READY. */
static bool swmod_leaf_allowed_not_ready(u64 rax)
{
	switch (rax) {
	case SWMOD_TDH_SYS_INFO:
	case SWMOD_TDH_SYS_INIT:
	case SWMOD_TDH_SYS_LP_INIT:
	case SWMOD_TDH_SYS_CONFIG:
	case SWMOD_TDH_SYS_KEY_CONFIG:
	case SWMOD_TDH_SYS_LP_SHUTDOWN:
		return true;
	default:
		return false;
	}
}

/*
 * The 1.0 dispatcher compares the whole RAX against leaf numbers, so a
 * version or reserved bit makes any leaf "unknown".  The state gate
 * runs first (SHUTDOWN, then NOT_READY), so before SYS_READY an unknown
 * RAX gets TDX_SYS_NOT_READY, and TDX_OPERAND_INVALID|RAX only once the
 * module is ready.  The doc lists the gate before "unknown leaf"; we
 * keep that order.
 */
typedef u64 (*swmod_leaf_fn)(struct swmod *m, struct swmod_regs *regs);

/* Every leaf the module implements, by number. */
static const swmod_leaf_fn swmod_leaves[SWMOD_TDH_SYS_CONFIG + 1] = {
	[SWMOD_TDH_VP_ENTER]		= swmod_vp_enter,
	[SWMOD_TDH_MNG_ADDCX]		= swmod_mng_addcx,
	[SWMOD_TDH_MEM_PAGE_ADD]	= swmod_mem_page_add,
	[SWMOD_TDH_MEM_SEPT_ADD]	= swmod_mem_sept_add,
	[SWMOD_TDH_VP_ADDCX]		= swmod_vp_addcx,
	[SWMOD_TDH_MEM_PAGE_AUG]	= swmod_mem_page_aug,
	[SWMOD_TDH_MEM_RANGE_BLOCK]	= swmod_mem_range_block,
	[SWMOD_TDH_MNG_KEY_CONFIG]	= swmod_mng_key_config,
	[SWMOD_TDH_MNG_CREATE]		= swmod_mng_create,
	[SWMOD_TDH_VP_CREATE]		= swmod_vp_create,
	[SWMOD_TDH_MNG_RD]		= swmod_mng_rd,
	[SWMOD_TDH_MNG_WR]		= swmod_mng_wr,
	[SWMOD_TDH_MR_EXTEND]		= swmod_mr_extend,
	[SWMOD_TDH_MR_FINALIZE]		= swmod_mr_finalize,
	[SWMOD_TDH_VP_FLUSH]		= swmod_vp_flush,
	[SWMOD_TDH_MNG_VPFLUSHDONE]	= swmod_mng_vpflushdone,
	[SWMOD_TDH_MNG_KEY_FREEID]	= swmod_mng_key_freeid,
	[SWMOD_TDH_MNG_INIT]		= swmod_mng_init,
	[SWMOD_TDH_VP_INIT]		= swmod_vp_init,
	[SWMOD_TDH_PHYMEM_PAGE_RDMD]	= swmod_phymem_page_rdmd,
	[SWMOD_TDH_MEM_SEPT_RD]		= swmod_mem_sept_rd,
	[SWMOD_TDH_VP_RD]		= swmod_vp_rd,
	[SWMOD_TDH_PHYMEM_PAGE_RECLAIM]	= swmod_phymem_page_reclaim,
	[SWMOD_TDH_MEM_PAGE_REMOVE]	= swmod_mem_page_remove,
	[SWMOD_TDH_MEM_SEPT_REMOVE]	= swmod_mem_sept_remove,
	[SWMOD_TDH_SYS_KEY_CONFIG]	= swmod_sys_key_config,
	[SWMOD_TDH_SYS_INFO]		= swmod_sys_info,
	[SWMOD_TDH_SYS_INIT]		= swmod_sys_init,
	[SWMOD_TDH_SYS_LP_INIT]		= swmod_sys_lp_init,
	[SWMOD_TDH_SYS_TDMR_INIT]	= swmod_sys_tdmr_init,
	[SWMOD_TDH_MEM_TRACK]		= swmod_mem_track,
	[SWMOD_TDH_MEM_RANGE_UNBLOCK]	= swmod_mem_range_unblock,
	[SWMOD_TDH_PHYMEM_CACHE_WB]	= swmod_phymem_cache_wb,
	[SWMOD_TDH_PHYMEM_PAGE_WBINVD]	= swmod_phymem_page_wbinvd,
	[SWMOD_TDH_VP_WR]		= swmod_vp_wr,
	[SWMOD_TDH_SYS_LP_SHUTDOWN]	= swmod_sys_lp_shutdown,
	[SWMOD_TDH_SYS_CONFIG]		= swmod_sys_config,
};

/*
 * The 1.0 dispatcher compares the whole RAX against leaf numbers, so a
 * version or reserved bit makes any leaf "unknown".  The state gate
 * runs first (SHUTDOWN, then NOT_READY), so before SYS_READY an unknown
 * RAX gets TDX_SYS_NOT_READY, and TDX_OPERAND_INVALID|RAX only once the
 * module is ready.  The doc lists the gate before "unknown leaf"; we
 * keep that order.
 */
static u64 swmod_dispatch(struct swmod *m, struct swmod_regs *regs)
{
	u32 state = READ_ONCE(m->sys_state);
	u64 rax = regs->rax;

	if (state == SWMOD_SYS_SHUTDOWN && rax != SWMOD_TDH_SYS_LP_SHUTDOWN)
		return SWMOD_TDX_SYS_SHUTDOWN;
	if (state != SWMOD_SYS_READY && !swmod_leaf_allowed_not_ready(rax))
		return SWMOD_TDX_SYS_NOT_READY;

	/* TDH.MNG.KEY.RECLAIMID: a no-op kept for backward compatibility. */
	if (rax == SWMOD_TDH_MNG_KEY_RECLAIMID)
		return SWMOD_TDX_SUCCESS;
	if (rax < ARRAY_SIZE(swmod_leaves) && swmod_leaves[rax])
		return swmod_leaves[rax](m, regs);

	/*
	 * 1.0 leaves not modelled (debug TDH.MEM.RD/WR, RELOCATE,
	 * DEMOTE, PROMOTE) answer like a module without the leaf, and are
	 * counted so that a test cannot mistake this for the real
	 * behaviour.
	 */
	if (swmod_leaf_is_v10(rax))
		swmod_plat_add_return64(&m->stats.unimplemented, 1);
	return SWMOD_TDX_OPERAND_INVALID | SWMOD_OPERAND_ID_RAX;
}

enum swmod_outcome swmod_seamcall(struct swmod *m, struct swmod_regs *regs)
{
	unsigned int lp = swmod_cur_lp(m);
	enum swmod_presence presence;
	struct swmod_lp_state *lps;
	u64 rax = regs->rax, status;
	bool counted = rax < SWMOD_NR_LEAF_COUNTERS;

	if (lp >= m->nr_lps || !READ_ONCE(m->lps[lp].online))
		return SWMOD_LP_OFFLINE;
	lps = &m->lps[lp];

	if (!READ_ONCE(lps->vmx_on)) {
		swmod_plat_add_return64(&m->stats.ud, 1);
		return SWMOD_FAULT_UD;
	}
	presence = READ_ONCE(m->presence);
	if (presence == SWMOD_SEAM_ABSENT || !lps->enabled) {
		swmod_plat_add_return64(&m->stats.gp, 1);
		return SWMOD_FAULT_GP;
	}
	if ((rax & SWMOD_RAX_SEAMLDR) || presence == SWMOD_MODULE_NOT_LOADED ||
	    READ_ONCE(lps->shut_down)) {
		swmod_plat_add_return64(&m->stats.vmfailinvalid, 1);
		return SWMOD_VMFAILINVALID;
	}

	if (counted)
		swmod_plat_add_return64(&m->stats.calls[rax], 1);
	else
		swmod_plat_add_return64(&m->stats.bad_rax, 1);

	if (!counted || !swmod_fault_fire(m, rax, SWMOD_FAULT_AT_ENTRY, &status))
		status = swmod_dispatch(m, regs);

	regs->rax = status;
	if (counted && (status & SWMOD_STATUS_ERROR))
		swmod_plat_add_return64(&m->stats.errors[rax], 1);
	return SWMOD_SEAMRET;
}

u64 swmod_outcome_status(enum swmod_outcome outcome, u64 rax)
{
	switch (outcome) {
	case SWMOD_SEAMRET:
		return rax;
	case SWMOD_VMFAILINVALID:
		return SWMOD_SEAMCALL_VMFAILINVALID;
	case SWMOD_FAULT_GP:
		return SWMOD_SEAMCALL_GP;
	case SWMOD_FAULT_UD:
		return SWMOD_SEAMCALL_UD;
	default:
		return SWMOD_SEAMCALL_LP_OFFLINE;
	}
}

const struct swmod_stats *swmod_get_stats(const struct swmod *m)
{
	return &m->stats;
}

void swmod_reset_stats(struct swmod *m)
{
	memset(&m->stats, 0, sizeof(m->stats));
}

enum swmod_sys_state swmod_get_sys_state(const struct swmod *m)
{
	return READ_ONCE(m->sys_state);
}

/*
 * An instance: the platform model first, then what the leaf groups
 * derive from it.  This is the one place that knows every group.
 */
int swmod_create(const struct swmod_config *cfg, struct swmod_plat *plat,
		 struct swmod **out)
{
	struct swmod *m;
	int ret;

	m = swmod_plat_zalloc(sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->plat = plat;

	ret = swmod_platform_init(m, cfg);
	if (ret)
		goto err_free;
	swmod_sysinfo_build(m, cfg);

	*out = m;
	return 0;

err_free:
	swmod_destroy(m);
	return ret;
}

void swmod_destroy(struct swmod *m)
{
	if (!m)
		return;
	swmod_platform_fini(m);
	swmod_plat_free(m);
}
