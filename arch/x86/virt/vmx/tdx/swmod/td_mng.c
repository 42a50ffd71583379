// SPDX-License-Identifier: GPL-2.0
/*
 * Software TDX module: TD and key management leaves.
 *
 * TDH.MNG.CREATE, TDH.MNG.KEY.CONFIG, TDH.MNG.ADDCX, TDH.MNG.INIT,
 * TDH.MNG.VPFLUSHDONE and TDH.MNG.KEY.FREEID.  Check order in every
 * leaf (our decision where the sheet gives none): the TDR operand, the
 * TD's state (the leaf's SWMOD_TD_* precondition mask, swmod_td.h),
 * then the other operands in register order, then the locks of shared
 * tables (KOT, KET), then the entropy step.
 */

#include <linux/types.h>
#include <linux/string.h>
#include <linux/align.h>
#include <linux/compiler.h>

#include "swmod_leaves.h"
#include "swmod_td.h"
#include "swmod_platform.h"

static u32 swmod_all_pkgs(const struct swmod *m)
{
	return (1U << m->nr_pkgs) - 1;
}

/*
 * TDH.MNG.CREATE(RCX = TDR, RDX = HKID): the TDR page (PT_NDA) becomes
 * PT_TDR, owner 0; the HKID (a private KeyID other than the global
 * one, bits 63:16 zero) must be FREE in the KOT and becomes ASSIGNED.
 */
u64 swmod_mng_create(struct swmod *m, struct swmod_regs *regs)
{
	struct swmod_pamt_entry *e;
	struct swmod_tdr *tdr;
	u64 hkid = regs->rdx, status;

	status = swmod_hpa_lock_free(m, regs->rcx, SWMOD_OPERAND_ID_RCX, &e);
	if (status)
		return status;
	if (hkid < m->private_hkid_min || hkid > m->private_hkid_max ||
	    hkid == m->global_hkid) {
		status = SWMOD_TDX_OPERAND_INVALID | SWMOD_OPERAND_ID_RDX;
		goto out_unlock_tdr;
	}
	if (!swmod_trylock(&m->kot_lock, true)) {
		status = SWMOD_TDX_OPERAND_BUSY | SWMOD_OPERAND_ID_KOT;
		goto out_unlock_tdr;
	}
	if (m->kot[hkid] != SWMOD_KOT_FREE) {
		status = SWMOD_TDX_HKID_NOT_FREE;
		goto out_unlock_kot;
	}

	tdr = swmod_page_va(m, regs->rcx);
	memset(tdr, 0, SWMOD_SZ_4K);
	tdr->lifecycle = SWMOD_TD_HKID_ASSIGNED;
	tdr->hkid = hkid;
	m->kot[hkid] = SWMOD_KOT_ASSIGNED;
	swmod_pamt_assign(m, e, SWMOD_PS_4K, SWMOD_PT_TDR, 0);

out_unlock_kot:
	swmod_unlock(&m->kot_lock, true);
out_unlock_tdr:
	swmod_pamt_unlock(e, true);
	return status;
}

/*
 * TDH.MNG.KEY.CONFIG(RCX = TDR) on one LP of every package.  Decision:
 * a TD whose keys are all configured answers TDX_KEY_CONFIGURED (a
 * success with information), as a package already done does; a TD
 * being torn down answers TDX_KEY_STATE_INCORRECT.
 */
u64 swmod_mng_key_config(struct swmod *m, struct swmod_regs *regs)
{
	unsigned int pkg = m->lps[swmod_cur_lp(m)].pkg;
	struct swmod_td td;
	u64 status;

	status = swmod_td_lock(m, regs->rcx, SWMOD_OPERAND_ID_RCX, true, 0,
			       &td);
	if (status)
		return status;
	if (td.tdr->lifecycle == SWMOD_TD_KEYS_CONFIGURED) {
		status = SWMOD_TDX_KEY_CONFIGURED;
		goto out_unlock_td;
	}
	if (td.tdr->lifecycle != SWMOD_TD_HKID_ASSIGNED) {
		status = SWMOD_TDX_KEY_STATE_INCORRECT;
		goto out_unlock_td;
	}
	if (td.tdr->pkg_config_bitmap & (1U << pkg)) {
		status = SWMOD_TDX_KEY_CONFIGURED;
		goto out_unlock_td;
	}
	if (!swmod_trylock(&m->ket_lock[pkg], true)) {
		status = SWMOD_TDX_OPERAND_BUSY | SWMOD_OPERAND_ID_KET;
		goto out_unlock_td;
	}
	if (swmod_fault_fire(m, SWMOD_TDH_MNG_KEY_CONFIG,
			     SWMOD_FAULT_AT_ENTROPY, &status))
		goto out_unlock_ket;

	td.tdr->pkg_config_bitmap |= 1U << pkg;
	if (td.tdr->pkg_config_bitmap == swmod_all_pkgs(m))
		WRITE_ONCE(td.tdr->lifecycle, SWMOD_TD_KEYS_CONFIGURED);

out_unlock_ket:
	swmod_unlock(&m->ket_lock[pkg], true);
out_unlock_td:
	swmod_td_unlock(&td);
	return status;
}

/* ADDCX and INIT: keyed, not initialized yet. */
#define SWMOD_TD_MNG_BUILD	(SWMOD_TD_ALIVE | SWMOD_TD_KEYED | \
				 SWMOD_TD_NOT_INIT)

/* Initial contents of the TDCX pages, by index. */
static void swmod_tdcx_init(struct swmod *m, u64 pa, unsigned int idx)
{
	u8 *va = swmod_page_va(m, pa);

	switch (idx) {
	case SWMOD_TDCX_MSR_BITMAP:
		memset(va, 0xFF, SWMOD_SZ_4K);
		break;
	case SWMOD_TDCX_SEPT_ROOT:
		swmod_sept_fill_free(m, pa);
		break;
	default:
		memset(va, 0, SWMOD_SZ_4K);
		break;
	}
}

/* TDH.MNG.ADDCX(RCX = TDCX page, RDX = TDR). */
u64 swmod_mng_addcx(struct swmod *m, struct swmod_regs *regs)
{
	struct swmod_pamt_entry *e;
	struct swmod_td td;
	unsigned int idx;
	u64 status;

	status = swmod_td_lock(m, regs->rdx, SWMOD_OPERAND_ID_RDX, true,
			       SWMOD_TD_MNG_BUILD, &td);
	if (status)
		return status;
	idx = td.tdr->num_tdcx;
	if (idx >= SWMOD_TDCS_PAGES) {
		status = SWMOD_TDX_TDCX_NUM_INCORRECT;
		goto out_unlock_td;
	}
	status = swmod_hpa_lock_free(m, regs->rcx, SWMOD_OPERAND_ID_RCX, &e);
	if (status)
		goto out_unlock_td;

	swmod_tdcx_init(m, regs->rcx, idx);
	td.tdr->tdcx_pa[idx] = regs->rcx;
	WRITE_ONCE(td.tdr->num_tdcx, idx + 1);
	swmod_pamt_assign(m, e, SWMOD_PS_4K, SWMOD_PT_TDCX, td.tdr_pa);
	swmod_td_add_child(&td, 1);
	swmod_pamt_unlock(e, true);

out_unlock_td:
	swmod_td_unlock(&td);
	return status;
}

static bool swmod_mem_is_zero(const u8 *p, size_t len)
{
	while (len--)
		if (*p++)
			return false;
	return true;
}

/*
 * The TD_PARAMS rules, in field (offset) order; each failure is
 * TDX_OPERAND_INVALID with the field's operand id, RDX for reserved
 * bytes.  A CPUID value with bits outside the configurable mask also
 * reports the leaf (bits 31:0) and subleaf (63:32) in RCX.
 */
static u64 swmod_td_params_check(const struct swmod *m,
				 const struct swmod_td_params *p,
				 struct swmod_regs *regs)
{
	const struct swmod_tdsysinfo *si = &m->sysinfo;
	u64 pwl = (p->eptp_controls & SWMOD_EPTP_PWL_MASK) >>
		  SWMOD_EPTP_PWL_SHIFT;
	unsigned int i;

	if ((p->attributes & ~si->attributes_fixed0) ||
	    (p->attributes & si->attributes_fixed1) != si->attributes_fixed1)
		return SWMOD_TDX_OPERAND_INVALID | SWMOD_OPERAND_ID_ATTRIBUTES;
	if ((p->xfam & ~si->xfam_fixed0) ||
	    (p->xfam & si->xfam_fixed1) != si->xfam_fixed1)
		return SWMOD_TDX_OPERAND_INVALID | SWMOD_OPERAND_ID_XFAM;
	if (!p->max_vcpus)
		return SWMOD_TDX_OPERAND_INVALID | SWMOD_OPERAND_ID_MAX_VCPUS;
	if (!swmod_mem_is_zero(p->reserved0, sizeof(p->reserved0)))
		return SWMOD_TDX_OPERAND_INVALID | SWMOD_OPERAND_ID_RDX;
	if ((p->eptp_controls & SWMOD_EPTP_MT_MASK) != SWMOD_EPTP_MT_WB ||
	    (pwl != 3 && pwl != 4) ||
	    (p->eptp_controls & ~(SWMOD_EPTP_MT_MASK | SWMOD_EPTP_PWL_MASK)))
		return SWMOD_TDX_OPERAND_INVALID | SWMOD_OPERAND_ID_EPTP_CONTROLS;
	if ((p->exec_controls & ~SWMOD_EXEC_GPAW) ||
	    ((p->exec_controls & SWMOD_EXEC_GPAW) && pwl != 4))
		return SWMOD_TDX_OPERAND_INVALID | SWMOD_OPERAND_ID_EXEC_CONTROLS;
	if (p->tsc_frequency < SWMOD_TSC_FREQ_MIN ||
	    p->tsc_frequency > SWMOD_TSC_FREQ_MAX)
		return SWMOD_TDX_OPERAND_INVALID | SWMOD_OPERAND_ID_TSC_FREQUENCY;
	if (!swmod_mem_is_zero(p->reserved1, sizeof(p->reserved1)) ||
	    !swmod_mem_is_zero(p->reserved2, sizeof(p->reserved2)))
		return SWMOD_TDX_OPERAND_INVALID | SWMOD_OPERAND_ID_RDX;
	for (i = 0; i < SWMOD_NUM_CPUID_CONFIG; i++) {
		const struct swmod_cpuid_config *c = &si->cpuid_configs[i];
		const struct swmod_cpuid_value *v = &p->cpuid_values[i];

		if ((v->eax & ~c->eax) || (v->ebx & ~c->ebx) ||
		    (v->ecx & ~c->ecx) || (v->edx & ~c->edx)) {
			regs->rcx = c->leaf | ((u64)c->sub_leaf << 32);
			return SWMOD_TDX_OPERAND_INVALID |
			       SWMOD_OPERAND_ID_CPUID_CONFIG;
		}
	}
	if (!swmod_mem_is_zero(p->reserved3, sizeof(p->reserved3)))
		return SWMOD_TDX_OPERAND_INVALID | SWMOD_OPERAND_ID_RDX;
	return SWMOD_TDX_SUCCESS;
}

/*
 * TDH.MNG.INIT(RCX = TDR, RDX = TD_PARAMS): keyed, all four TDCX pages
 * added, not initialized; TD_PARAMS a 1024-byte aligned shared HPA.
 * Starts TD epoch 1 and the MRTD hash.
 */
u64 swmod_mng_init(struct swmod *m, struct swmod_regs *regs)
{
	struct swmod_td_params *p = NULL;
	struct swmod_tdcs *tdcs;
	struct swmod_td td;
	u64 pa = regs->rdx, status;

	status = swmod_td_lock(m, regs->rcx, SWMOD_OPERAND_ID_RCX, true,
			       SWMOD_TD_MNG_BUILD, &td);
	if (status)
		return status;
	if (td.tdr->num_tdcx != SWMOD_TDCS_PAGES) {
		status = SWMOD_TDX_TDCX_NUM_INCORRECT;
		goto out_unlock_td;
	}
	if (!IS_ALIGNED(pa, SWMOD_TD_PARAMS_ALIGN) ||
	    !swmod_pa_is_shared(m, pa)) {
		status = SWMOD_TDX_OPERAND_INVALID | SWMOD_OPERAND_ID_RDX;
		goto out_unlock_td;
	}
	/*
	 * TD_PARAMS is read into TDCX page 3 (the zero page) as scratch:
	 * the leaf must not allocate, and the page is zeroed again below.
	 */
	p = swmod_page_va(m, td.tdr->tdcx_pa[SWMOD_TDCX_ZERO]);
	swmod_mem_read(m, swmod_pa_strip_keyid(m, pa), p, sizeof(*p));
	status = swmod_td_params_check(m, p, regs);
	if (status)
		goto out_zero;

	tdcs = td.tdcs;
	if (swmod_plat_sha384_init(m->plat, tdcs->sha_ctx)) {
		status = SWMOD_TDX_SYS_BUSY;	/* no SHA-384: cannot measure */
		goto out_zero;
	}
	tdcs->attributes = p->attributes;
	tdcs->xfam = p->xfam;
	tdcs->max_vcpus = p->max_vcpus;
	tdcs->eptp_controls = p->eptp_controls;
	tdcs->exec_controls = p->exec_controls;
	tdcs->tsc_frequency = p->tsc_frequency;
	tdcs->pwl = (p->eptp_controls & SWMOD_EPTP_PWL_MASK) >>
		    SWMOD_EPTP_PWL_SHIFT;
	tdcs->shared_bit = (p->exec_controls & SWMOD_EXEC_GPAW) ?
			   BIT_ULL(51) : BIT_ULL(47);
	memcpy(tdcs->cpuid_values, p->cpuid_values,
	       sizeof(tdcs->cpuid_values));
	tdcs->tsc_offset = 0;
	tdcs->tsc_multiplier = SWMOD_TSC_MULTIPLIER_ONE;
	tdcs->epoch = 1;
	WRITE_ONCE(td.tdr->init, 1);

out_zero:
	memset(p, 0, sizeof(*p));
out_unlock_td:
	swmod_td_unlock(&td);
	return status;
}

/*
 * TDH.MNG.VPFLUSHDONE(RCX = TDR): every vCPU flushed.  The HKID's KOT
 * entry becomes FLUSHED with every package left to CACHE.WB.
 */
u64 swmod_mng_vpflushdone(struct swmod *m, struct swmod_regs *regs)
{
	struct swmod_td td;
	u64 status;

	status = swmod_td_lock(m, regs->rcx, SWMOD_OPERAND_ID_RCX, true,
			       SWMOD_TD_LC(SWMOD_TD_HKID_ASSIGNED) |
			       SWMOD_TD_LC(SWMOD_TD_KEYS_CONFIGURED), &td);
	if (status)
		return status;
	if (td.tdr->init && READ_ONCE(td.tdcs->num_assoc_vcpus)) {
		status = SWMOD_TDX_FLUSHVP_NOT_DONE;
		goto out_unlock_td;
	}
	if (!swmod_trylock(&m->kot_lock, true)) {
		status = SWMOD_TDX_OPERAND_BUSY | SWMOD_OPERAND_ID_KOT;
		goto out_unlock_td;
	}
	m->kot[td.tdr->hkid] = SWMOD_KOT_FLUSHED;
	m->kot_wbinvd[td.tdr->hkid] = swmod_all_pkgs(m);
	WRITE_ONCE(td.tdr->lifecycle, SWMOD_TD_BLOCKED);
	swmod_unlock(&m->kot_lock, true);

out_unlock_td:
	swmod_td_unlock(&td);
	return status;
}

/*
 * TDH.MNG.KEY.FREEID(RCX = TDR): blocked, and CACHE.WB done on every
 * package.  The HKID becomes FREE, the TD enters TEARDOWN.
 */
u64 swmod_mng_key_freeid(struct swmod *m, struct swmod_regs *regs)
{
	struct swmod_td td;
	u64 status;

	status = swmod_td_lock(m, regs->rcx, SWMOD_OPERAND_ID_RCX, true,
			       SWMOD_TD_LC(SWMOD_TD_BLOCKED), &td);
	if (status)
		return status;
	if (!swmod_trylock(&m->kot_lock, true)) {
		status = SWMOD_TDX_OPERAND_BUSY | SWMOD_OPERAND_ID_KOT;
		goto out_unlock_td;
	}
	if (m->kot_wbinvd[td.tdr->hkid]) {
		status = SWMOD_TDX_WBCACHE_NOT_COMPLETE;
		goto out_unlock_kot;
	}
	m->kot[td.tdr->hkid] = SWMOD_KOT_FREE;
	WRITE_ONCE(td.tdr->lifecycle, SWMOD_TD_TEARDOWN);

out_unlock_kot:
	swmod_unlock(&m->kot_lock, true);
out_unlock_td:
	swmod_td_unlock(&td);
	return status;
}
