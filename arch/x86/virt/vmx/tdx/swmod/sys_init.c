// SPDX-License-Identifier: GPL-2.0
/*
 * Software TDX module: TDH.SYS.INIT, TDH.SYS.LP.INIT, TDH.SYS.INFO and
 * TDH.SYS.LP.SHUTDOWN.
 */

#include <linux/types.h>
#include <linux/string.h>
#include <linux/align.h>
#include <linux/compiler.h>

#include "swmod_leaves.h"
#include "swmod_platform.h"

#define SWMOD_DEFAULT_BUILD_DATE	20230401
#define SWMOD_DEFAULT_BUILD_NUM		1

/* The 1.0 configurable CPUID leaves, in TD_PARAMS order. */
static const u32 swmod_cpuid_leaves[SWMOD_NUM_CPUID_CONFIG][2] = {
	{ 0x1, SWMOD_CPUID_NO_SUBLEAF },
	{ 0x4, 0 }, { 0x4, 1 }, { 0x4, 2 }, { 0x4, 3 },
	{ 0x7, 0 },
};

/*
 * TDSYSINFO_STRUCT as a 1.0 release module fills it.  The CPUID
 * configurable-bit masks are not given by the ABI doc; they come from
 * the platform config and default to 0 (nothing configurable).
 */
void swmod_sysinfo_build(struct swmod *m, const struct swmod_config *cfg)
{
	struct swmod_tdsysinfo *si = &m->sysinfo;
	u64 xfam = cfg->xfam_supported ? cfg->xfam_supported :
					 SWMOD_XFAM_FIXED0_MAX;
	unsigned int i;

	memset(si, 0, sizeof(*si));
	si->attributes = 0;
	si->vendor_id = cfg->vendor_id ? cfg->vendor_id : 0x8086;
	si->build_date = cfg->build_date ? cfg->build_date :
					   SWMOD_DEFAULT_BUILD_DATE;
	si->build_num = cfg->build_num ? cfg->build_num :
					 SWMOD_DEFAULT_BUILD_NUM;
	si->minor_version = 0;
	si->major_version = 1;
	si->max_tdmrs = SWMOD_MAX_TDMRS;
	si->max_reserved_per_tdmr = SWMOD_MAX_RESERVED_PER_TDMR;
	si->pamt_entry_size = SWMOD_PAMT_ENTRY_SIZE;
	si->tdcs_base_size = SWMOD_TDCS_PAGES * 4096;
	si->tdvps_base_size = SWMOD_TDVPS_PAGES * 4096;
	si->tdvps_xfam_dependent_size = 0;
	si->attributes_fixed0 = SWMOD_ATTRIBUTES_FIXED0;
	si->attributes_fixed1 = SWMOD_ATTRIBUTES_FIXED1;
	si->xfam_fixed0 = SWMOD_XFAM_FIXED0_MAX & xfam;
	si->xfam_fixed1 = SWMOD_XFAM_FIXED1;
	si->num_cpuid_config = SWMOD_NUM_CPUID_CONFIG;
	for (i = 0; i < SWMOD_NUM_CPUID_CONFIG; i++) {
		si->cpuid_configs[i] = cfg->cpuid_masks[i];
		si->cpuid_configs[i].leaf = swmod_cpuid_leaves[i][0];
		si->cpuid_configs[i].sub_leaf = swmod_cpuid_leaves[i][1];
	}
}

/*
 * TDH.SYS.INIT: once, on any LP.  Check order follows the doc: RCX
 * (all attribute bits reserved), the exclusive global lock, the state,
 * then the platform checks we model:
 *   - IA32_MISC_ENABLE[22] (boot_nt4 knob)        TDX_BOOT_NT4_SET
 *   - no TDX KeyIDs at all                        TDX_INCORRECT_MSR_VALUE|0x87
 *     (our choice of code: the doc only says the MSR is sampled)
 *   - last private HKID >= MAX_HKIDS (128)        TDX_NUM_ACTIVATED_HKIDS_NOT_SUPPORTED
 *   - CMR sanity (swmod_check_cmrs())             TDX_CMR_LIST_INVALID
 *   - RDRAND for the stack canary: entropy fault point; 1.0 reports a
 *     failure as TDX_SYS_BUSY.
 * A failure leaves SYSINIT_PENDING, so SYS.INIT may be retried.
 */
u64 swmod_sys_init(struct swmod *m, struct swmod_regs *regs)
{
	u64 attributes = regs->rcx, status = SWMOD_TDX_SUCCESS;

	regs->rcx = 0;
	regs->rdx = 0;
	regs->r8 = 0;
	regs->r9 = 0;
	regs->r10 = 0;

	if (attributes)
		return SWMOD_TDX_OPERAND_INVALID | SWMOD_OPERAND_ID_RCX;
	if (!swmod_trylock(&m->global_lock, true))
		return SWMOD_TDX_SYS_BUSY;

	if (m->sys_state != SWMOD_SYSINIT_PENDING) {
		status = SWMOD_TDX_SYS_INIT_NOT_PENDING;
		goto out_unlock;
	}
	if (m->boot_nt4) {
		status = SWMOD_TDX_BOOT_NT4_SET;
		goto out_unlock;
	}
	status = swmod_keyids_status(m->nr_mktme_keyids, m->nr_tdx_keyids);
	if (status != SWMOD_TDX_SUCCESS)
		goto out_unlock;
	status = swmod_check_cmrs(m->cmrs, SWMOD_MAX_CMRS, m->hkid_mask);
	if (status != SWMOD_TDX_SUCCESS)
		goto out_unlock;
	if (swmod_fault_fire(m, SWMOD_TDH_SYS_INIT, SWMOD_FAULT_AT_ENTROPY,
			     &status))
		goto out_unlock;

	WRITE_ONCE(m->sys_state, SWMOD_SYSINIT_DONE);

out_unlock:
	swmod_unlock(&m->global_lock, true);
	return status;
}

/*
 * TDH.SYS.LP.INIT: once per LP, shared global lock, only in
 * SYSINIT_DONE (1.0 refuses it after TDH.SYS.CONFIG).  Per-LP state
 * survives the LP going offline, so a second LP.INIT after an
 * offline/online cycle still reports TDX_SYS_LP_INIT_DONE.
 */
u64 swmod_sys_lp_init(struct swmod *m, struct swmod_regs *regs)
{
	struct swmod_lp_state *lp = &m->lps[swmod_cur_lp(m)];
	u64 status = SWMOD_TDX_SUCCESS;

	regs->rcx = 0;
	regs->rdx = 0;
	regs->r8 = 0;

	if (!swmod_trylock(&m->global_lock, false))
		return SWMOD_TDX_SYS_BUSY;

	if (READ_ONCE(m->sys_state) != SWMOD_SYSINIT_DONE) {
		status = SWMOD_TDX_SYS_LP_INIT_NOT_PENDING;
		goto out_unlock;
	}
	if (lp->lp_init) {
		status = SWMOD_TDX_SYS_LP_INIT_DONE;
		goto out_unlock;
	}
	if (m->boot_nt4) {
		status = SWMOD_TDX_BOOT_NT4_SET;
		goto out_unlock;
	}

	lp->lp_init = true;
	swmod_plat_add_return64(&m->nr_init_lps, 1);

out_unlock:
	swmod_unlock(&m->global_lock, false);
	return status;
}

/*
 * TDH.SYS.INFO.  The dispatcher's state gate runs first (TDX_SYS_SHUTDOWN
 * wins over everything); then, as the first check of the leaf, the LP
 * must have done LP.INIT (TDX_SYS_LP_INIT_NOT_DONE).  The doc does not
 * order this against the operand checks; we check the LP state first,
 * like every other precondition-before-operands rule in this module.
 *
 * No global lock is taken: the leaf reads only data fixed at creation.
 * Outputs: RDX = 1024 bytes written, R9 = 32 CMR entries written (the
 * tail ones null); RCX and R8 are left as they were.
 */
u64 swmod_sys_info(struct swmod *m, struct swmod_regs *regs)
{
	struct swmod_lp_state *lp = &m->lps[swmod_cur_lp(m)];
	u64 info_pa = regs->rcx, cmr_pa = regs->r8;

	if (!READ_ONCE(lp->lp_init))
		return SWMOD_TDX_SYS_LP_INIT_NOT_DONE;

	if (!IS_ALIGNED(info_pa, SWMOD_TDSYSINFO_ALIGN) ||
	    !swmod_pa_is_shared(m, info_pa))
		return SWMOD_TDX_OPERAND_INVALID | SWMOD_OPERAND_ID_RCX;
	if (regs->rdx < SWMOD_TDSYSINFO_SIZE)
		return SWMOD_TDX_OPERAND_INVALID | SWMOD_OPERAND_ID_RDX;
	if (!IS_ALIGNED(cmr_pa, SWMOD_CMR_ARRAY_ALIGN) ||
	    !swmod_pa_is_shared(m, cmr_pa))
		return SWMOD_TDX_OPERAND_INVALID | SWMOD_OPERAND_ID_R8;
	if (regs->r9 < SWMOD_MAX_CMRS)
		return SWMOD_TDX_OPERAND_INVALID | SWMOD_OPERAND_ID_R9;

	swmod_mem_write(m, swmod_pa_strip_keyid(m, info_pa), &m->sysinfo,
			sizeof(m->sysinfo));
	swmod_mem_write(m, swmod_pa_strip_keyid(m, cmr_pa), m->cmrs,
			sizeof(m->cmrs));

	regs->rdx = SWMOD_TDSYSINFO_SIZE;
	regs->r9 = SWMOD_MAX_CMRS;
	return SWMOD_TDX_SUCCESS;
}

/*
 * TDH.SYS.LP.SHUTDOWN: allowed in any state, shared global lock.  The
 * module moves to SYS_SHUTDOWN; other LPs then get TDX_SYS_SHUTDOWN
 * for every leaf but LP.SHUTDOWN, and this LP gets VMfailInvalid for
 * everything (see dispatch.c).
 */
u64 swmod_sys_lp_shutdown(struct swmod *m, struct swmod_regs *regs)
{
	struct swmod_lp_state *lp = &m->lps[swmod_cur_lp(m)];

	if (!swmod_trylock(&m->global_lock, false))
		return SWMOD_TDX_SYS_BUSY;
	WRITE_ONCE(lp->shut_down, true);
	WRITE_ONCE(m->sys_state, SWMOD_SYS_SHUTDOWN);
	swmod_unlock(&m->global_lock, false);
	return SWMOD_TDX_SUCCESS;
}
