// SPDX-License-Identifier: GPL-2.0
/*
 * Software TDX module: TD metadata leaves.
 *
 * TDH.MNG.RD and TDH.MNG.WR (TDCS fields), TDH.VP.RD and TDH.VP.WR
 * (TDVPS fields: TD VMCS, guest GPRs, vCPU management).  Only the
 * fields a KVM TDX backend reads or writes exist (the tables below,
 * listed in Documentation/x86/tdx-swmodule.rst); any other field id is
 * TDX_OPERAND_INVALID | RDX.
 *
 * Check order (our decision): the object operand (RCX) and its TD's
 * state, the vCPU's state (VP leaves), the field id (RDX), its access
 * rights, then the value (R8) and mask (R9) of a write.
 *
 * A write changes the bits selected by both R9 and the field's
 * writable mask; selected bits outside the writable mask must keep
 * their value (TDX_OPERAND_INVALID | R8), and a field with no writable
 * bit in this TD is TDX_FIELD_NOT_WRITABLE.  R8 returns the old value.
 */

#include <linux/types.h>
#include <linux/string.h>
#include <linux/stddef.h>
#include <linux/compiler.h>
#include <linux/kernel.h>

#include "swmod_leaves.h"
#include "swmod_td.h"

#define SWMOD_MD_DEBUG_RD	BIT(0)	/* readable in a debug TD only */
#define SWMOD_MD_FINAL_RD	BIT(1)	/* readable once finalized only */

/*
 * One field, or @count consecutive ones (field codes id..id+count-1,
 * u64s at offset, offset + 8, ...): where the u64 lives in the object,
 * who may access it.
 */
struct swmod_md_field {
	u64 id;
	u16 count;
	u16 offset;		/* in struct swmod_tdcs or swmod_tdvps */
	u16 flags;		/* SWMOD_MD_*_RD */
	u64 wr_mask;		/* bits the host may write in any TD */
	u64 debug_wr_mask;	/* bits it may write in a debug TD */
};

#define TDCS_FIELDS(id, n, member, flags, wr, dbg_wr)			\
	{ id, n, offsetof(struct swmod_tdcs, member), flags, wr, dbg_wr }

static const struct swmod_md_field swmod_tdcs_fields[] = {
	TDCS_FIELDS(SWMOD_MD_TSC_OFFSET, 1, tsc_offset, 0, 0, ~0ULL),
	TDCS_FIELDS(SWMOD_MD_TSC_MULTIPLIER, 1, tsc_multiplier, 0, 0, 0),
	TDCS_FIELDS(SWMOD_MD_MRTD(0), SWMOD_SHA384_SIZE / 8, mrtd,
		    SWMOD_MD_FINAL_RD, 0, 0),
};

#define VP_FIELD(id, member, flags, wr, dbg_wr)				\
	{ id, 1, offsetof(struct swmod_tdvps, member), flags, wr, dbg_wr }

static const struct swmod_md_field swmod_tdvps_fields[] = {
	VP_FIELD(SWMOD_MD_POSTED_INTR_NV, posted_intr_nv, 0,
		 GENMASK_ULL(15, 0), 0),
	VP_FIELD(SWMOD_MD_POSTED_INTR_DESC, posted_intr_desc, 0,
		 GENMASK_ULL(51, 6), 0),
	VP_FIELD(SWMOD_MD_SHARED_EPTP, shared_eptp, 0, GENMASK_ULL(51, 12), 0),
	VP_FIELD(SWMOD_MD_PIN_BASED_CTLS, pin_based_ctls, 0,
		 SWMOD_PIN_BASED_POSTED_INTR, 0),
	VP_FIELD(SWMOD_MD_GUEST_RSP, guest_rsp, SWMOD_MD_DEBUG_RD, 0, ~0ULL),
	VP_FIELD(SWMOD_MD_GUEST_RIP, guest_rip, SWMOD_MD_DEBUG_RD, 0, ~0ULL),
	VP_FIELD(SWMOD_MD_GUEST_RFLAGS, guest_rflags, SWMOD_MD_DEBUG_RD, 0,
		 ~0ULL),
	{ SWMOD_MD_GPR(0), 16, offsetof(struct swmod_tdvps, gpr),
	  SWMOD_MD_DEBUG_RD, 0, ~0ULL },
	VP_FIELD(SWMOD_MD_STATE_DETAILS, state_details, 0, 0, 0),
	VP_FIELD(SWMOD_MD_PEND_NMI, pend_nmi, 0, BIT_ULL(0), 0),
};

/* The object a table describes, and what its TD allows. */
struct swmod_md_obj {
	void *base;
	const struct swmod_md_field *fields;
	unsigned int nr_fields;
	bool debug;		/* ATTRIBUTES.DEBUG */
	bool finalized;
};

/* The field @id: its entry and the offset of its u64 in the object. */
static u64 swmod_md_find(const struct swmod_md_obj *o, u64 id,
			 const struct swmod_md_field **out, unsigned int *offset)
{
	unsigned int i;

	if (id & ~SWMOD_MD_VALID_MASK)
		return SWMOD_TDX_OPERAND_INVALID | SWMOD_OPERAND_ID_RDX;
	for (i = 0; i < o->nr_fields; i++) {
		const struct swmod_md_field *f = &o->fields[i];

		if (id >= f->id && id - f->id < f->count) {
			*out = f;
			*offset = f->offset + 8 * (id - f->id);
			return SWMOD_TDX_SUCCESS;
		}
	}
	return SWMOD_TDX_OPERAND_INVALID | SWMOD_OPERAND_ID_RDX;
}

static u64 swmod_md_get(const struct swmod_md_obj *o, unsigned int offset)
{
	u64 v;

	memcpy(&v, (u8 *)o->base + offset, sizeof(v));
	return v;
}

/* RD: RDX = field id -> R8 = value. */
static u64 swmod_md_read(const struct swmod_md_obj *o, struct swmod_regs *regs)
{
	const struct swmod_md_field *f;
	unsigned int offset;
	u64 status;

	status = swmod_md_find(o, regs->rdx, &f, &offset);
	if (status)
		return status;
	if ((f->flags & SWMOD_MD_DEBUG_RD) && !o->debug)
		return SWMOD_TDX_FIELD_NOT_READABLE;
	if ((f->flags & SWMOD_MD_FINAL_RD) && !o->finalized)
		return SWMOD_TDX_TD_NOT_FINALIZED;
	regs->r8 = swmod_md_get(o, offset);
	return SWMOD_TDX_SUCCESS;
}

/* WR: RDX = field id, R8 = value, R9 = mask -> R8 = old value. */
static u64 swmod_md_write(const struct swmod_md_obj *o,
			  struct swmod_regs *regs)
{
	const struct swmod_md_field *f;
	u64 status, writable, old, mask, val;
	unsigned int offset;

	status = swmod_md_find(o, regs->rdx, &f, &offset);
	if (status)
		return status;
	writable = f->wr_mask | (o->debug ? f->debug_wr_mask : 0);
	if (!writable)
		return SWMOD_TDX_FIELD_NOT_WRITABLE;
	old = swmod_md_get(o, offset);
	if ((old ^ regs->r8) & regs->r9 & ~writable)
		return SWMOD_TDX_OPERAND_INVALID | SWMOD_OPERAND_ID_R8;
	mask = regs->r9 & writable;
	val = (old & ~mask) | (regs->r8 & mask);
	memcpy((u8 *)o->base + offset, &val, sizeof(val));
	regs->r8 = old;
	regs->r8 = old;
	return SWMOD_TDX_SUCCESS;
}

static void swmod_md_tdcs(const struct swmod_td *td, struct swmod_md_obj *o)
{
	o->base = td->tdcs;
	o->fields = swmod_tdcs_fields;
	o->nr_fields = ARRAY_SIZE(swmod_tdcs_fields);
	o->debug = td->tdcs->attributes & SWMOD_ATTR_DEBUG;
	o->finalized = READ_ONCE(td->tdcs->finalized);
}

/*
 * TDH.MNG.RD/WR(RCX = TDR, RDX = field, R8 = value, R9 = mask): the TD
 * in its build state (keyed, initialized, not fatal).  The TDR is
 * locked shared to read, exclusive to write.
 */
static u64 swmod_mng_md(struct swmod *m, struct swmod_regs *regs, bool write)
{
	struct swmod_md_obj o;
	struct swmod_td td;
	u64 status;

	status = swmod_td_lock(m, regs->rcx, SWMOD_OPERAND_ID_RCX, write,
			       SWMOD_TD_BUILD, &td);
	if (status)
		return status;
	swmod_md_tdcs(&td, &o);
	status = write ? swmod_md_write(&o, regs) : swmod_md_read(&o, regs);
	swmod_td_unlock(&td);
	return status;
}

u64 swmod_mng_rd(struct swmod *m, struct swmod_regs *regs)
{
	return swmod_mng_md(m, regs, false);
}

u64 swmod_mng_wr(struct swmod *m, struct swmod_regs *regs)
{
	return swmod_mng_md(m, regs, true);
}

/*
 * TDH.VP.RD/WR(RCX = TDVPR, RDX = field, R8 = value, R9 = mask): the TD
 * keyed and not fatal, the vCPU initialized (its VMCS exists only after
 * TDH.VP.INIT: TDX_VCPU_STATE_INCORRECT before).
 */
static u64 swmod_vp_md(struct swmod *m, struct swmod_regs *regs, bool write)
{
	struct swmod_pamt_entry *e;
	struct swmod_tdvps *vp;
	struct swmod_md_obj o;
	struct swmod_td td;
	u64 status;

	status = swmod_vp_lock(m, regs->rcx, SWMOD_OPERAND_ID_RCX,
			       SWMOD_TD_ALIVE | SWMOD_TD_KEYED, &e, &vp, &td);
	if (status)
		return status;
	if (READ_ONCE(vp->state) == SWMOD_VCPU_UNINITIALIZED) {
		status = SWMOD_TDX_VCPU_STATE_INCORRECT;
		goto out_unlock_vp;
	}
	o.base = vp;
	o.fields = swmod_tdvps_fields;
	o.nr_fields = ARRAY_SIZE(swmod_tdvps_fields);
	o.debug = td.tdcs->attributes & SWMOD_ATTR_DEBUG;
	o.finalized = READ_ONCE(td.tdcs->finalized);
	status = write ? swmod_md_write(&o, regs) : swmod_md_read(&o, regs);

out_unlock_vp:
	swmod_vp_unlock(e, &td);
	return status;
}

u64 swmod_vp_rd(struct swmod *m, struct swmod_regs *regs)
{
	return swmod_vp_md(m, regs, false);
}

u64 swmod_vp_wr(struct swmod *m, struct swmod_regs *regs)
{
	return swmod_vp_md(m, regs, true);
}
