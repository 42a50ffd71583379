// SPDX-License-Identifier: GPL-2.0
/*
 * Software TDX module: measurement leaves, TDH.MR.EXTEND and
 * TDH.MR.FINALIZE.  MRTD is SHA-384 over 128-byte blocks (td.c,
 * swmod_td_measure()); the hash runs on the platform's SHA-384 with
 * its context in the TDCS.
 */

#include <linux/types.h>
#include <linux/string.h>
#include <linux/align.h>
#include <linux/compiler.h>

#include "swmod_leaves.h"
#include "swmod_td.h"
#include "swmod_platform.h"

/*
 * TDH.MR.EXTEND(RCX = GPA, 256-byte aligned, RDX = TDR): before
 * finalization, on a MAPPED 4 KiB page (TDX_EPT_ENTRY_NOT_PRESENT |
 * RCX otherwise).  Extends MRTD with the "MR.EXTEND" block and the
 * 256 bytes at the GPA.
 */
u64 swmod_mr_extend(struct swmod *m, struct swmod_regs *regs)
{
	u8 data[SWMOD_MR_EXTEND_CHUNK];
	struct swmod_sept_walk w;
	struct swmod_td td;
	u64 gpa = regs->rcx, status;

	status = swmod_td_lock(m, regs->rdx, SWMOD_OPERAND_ID_RDX, false,
			       SWMOD_TD_BUILDING, &td);
	if (status)
		return status;
	if (!IS_ALIGNED(gpa, SWMOD_MR_EXTEND_CHUNK) ||
	    gpa >= (td.tdcs->shared_bit << 1) || (gpa & td.tdcs->shared_bit)) {
		status = SWMOD_TDX_OPERAND_INVALID | SWMOD_OPERAND_ID_RCX;
		goto out_unlock_td;
	}
	if (!swmod_trylock(&td.tdcs->sept_lock, true)) {
		status = SWMOD_TDX_OPERAND_BUSY | SWMOD_OPERAND_ID_SEPT;
		goto out_unlock_td;
	}
	status = swmod_sept_walk(m, &td, ALIGN_DOWN(gpa, SWMOD_SZ_4K),
				 SWMOD_SEPT_LVL_PT, &w, regs);
	if (status)
		goto out_unlock_sept;
	if (swmod_sept_state(*w.entry) != SWMOD_SEPT_MAPPED) {
		swmod_sept_details(*w.entry, SWMOD_SEPT_LVL_PT, regs);
		status = SWMOD_TDX_EPT_ENTRY_NOT_PRESENT | SWMOD_OPERAND_ID_RCX;
		goto out_unlock_sept;
	}
	swmod_mem_read(m, swmod_sept_pa(*w.entry) + (gpa & (SWMOD_SZ_4K - 1)),
		       data, sizeof(data));
	swmod_td_measure(m, &td, "MR.EXTEND", gpa, data, sizeof(data));

out_unlock_sept:
	swmod_unlock(&td.tdcs->sept_lock, true);
out_unlock_td:
	swmod_td_unlock(&td);
	return status;
}

/* TDH.MR.FINALIZE(RCX = TDR): MRTD is final, the TD can run. */
u64 swmod_mr_finalize(struct swmod *m, struct swmod_regs *regs)
{
	struct swmod_td td;
	u64 status;

	status = swmod_td_lock(m, regs->rcx, SWMOD_OPERAND_ID_RCX, true,
			       SWMOD_TD_BUILDING, &td);
	if (status)
		return status;
	swmod_plat_sha384_final(m->plat, td.tdcs->sha_ctx, td.tdcs->mrtd);
	WRITE_ONCE(td.tdcs->finalized, 1);
	swmod_td_unlock(&td);
	return status;
}
