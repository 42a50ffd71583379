/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Software TDX module: public interface of the engine.
 *
 * The engine implements the TDX module 1.0 host ABI in software.  A
 * caller (the host core's SEAMCALL backend, or a userspace test) owns
 * one or more independent instances (struct swmod) and issues
 * SEAMCALLs through swmod_seamcall().  The engine keeps no global
 * state; everything lives in the instance.
 *
 * Hardware definitions are in swmod_abi.h; the platform glue the
 * engine needs is declared in swmod_platform.h.
 */
#ifndef __SWMOD_H
#define __SWMOD_H

#include "swmod_abi.h"

struct swmod;
struct swmod_plat;

/*
 * The general purpose registers at SEAMCALL.  On entry RAX holds the
 * leaf and version, RCX/RDX/R8/R9 the operands; on SEAMRET RAX holds
 * the status and a leaf writes only its documented output registers.
 */
struct swmod_regs {
	u64 rax;
	u64 rbx;
	u64 rcx;
	u64 rdx;
	u64 rsi;
	u64 rdi;
	u64 rbp;
	u64 r8;
	u64 r9;
	u64 r10;
	u64 r11;
	u64 r12;
	u64 r13;
	u64 r14;
	u64 r15;
};

/*
 * What the SEAMCALL instruction itself did.  Only SWMOD_SEAMRET means
 * the module ran and RAX holds a status; the others are architectural
 * instruction failures (RAX untouched) that the host must tell apart.
 */
enum swmod_outcome {
	SWMOD_SEAMRET = 0,	/* module ran; status in regs->rax */
	SWMOD_VMFAILINVALID,	/* CF=1: module not loaded / disabled */
	SWMOD_FAULT_GP,		/* #GP(0): SEAM not enabled by BIOS */
	SWMOD_FAULT_UD,		/* #UD: LP not in VMX operation */
	SWMOD_LP_OFFLINE,	/* harness error: calling LP is offline */
};

/* Platform state the SEAMCALL instruction depends on. */
enum swmod_presence {
	SWMOD_MODULE_LOADED = 0,
	SWMOD_MODULE_NOT_LOADED,	/* SEAMRR on, no module: VMfailInvalid */
	SWMOD_SEAM_ABSENT,		/* SEAMRR off in BIOS: #GP */
};

enum swmod_sys_state {
	SWMOD_SYSINIT_PENDING = 0,
	SWMOD_SYSINIT_DONE = 1,
	SWMOD_SYSCONFIG_DONE = 2,
	SWMOD_SYS_READY = 3,
	SWMOD_SYS_SHUTDOWN = 4,
};

#define SWMOD_MAX_LPS		4096

/* A range of RAM as the host firmware reports it. */
struct swmod_range {
	u64 start;
	u64 end;	/* exclusive */
};

/* Platform knobs; copied by swmod_create(), the caller may free it. */
struct swmod_config {
	unsigned int nr_lps;		/* LP index space (the OS's CPU ids) */
	const u8 *lp_pkg;		/* package of each LP; NULL: all in 0 */
	/*
	 * LPs the BIOS enabled (MCHECK saw them); NULL: all nr_lps.  Only
	 * these need TDH.SYS.LP.INIT before TDH.SYS.CONFIG.  A SEAMCALL
	 * on any other LP (hot-added later) raises #GP: SEAM was never
	 * enabled on it.
	 */
	const bool *lp_enabled;
	/*
	 * Start in SYS_READY, as a module that a previous kernel already
	 * initialized (kexec): every enabled LP did LP.INIT, every package
	 * has its key, no TDMR is known.  TDH.SYS.INIT then fails with
	 * TDX_SYS_INIT_NOT_PENDING, as on real hardware.
	 */
	bool handover_ready;
	u32 nr_mktme_keyids;		/* IA32_MKTME_KEYID_PARTITIONING[31:0] */
	u32 nr_tdx_keyids;		/* IA32_MKTME_KEYID_PARTITIONING[63:32] */
	u32 keyid_bits;			/* TME_ACTIVATE[35:32]; 0: smallest fit */
	unsigned int nr_cmrs;
	struct swmod_cmr_info cmrs[SWMOD_MAX_CMRS];
	u64 seamrr_base;		/* SEAM range, never a "shared" HPA */
	u64 seamrr_size;
	enum swmod_presence presence;
	bool validate_only;		/* TDMR.INIT skips writing PAMT entries */
	bool boot_nt4;			/* IA32_MISC_ENABLE[22] set */
	u32 vendor_id;			/* TDSYSINFO VENDOR_ID; 0: 0x8086 */
	u32 build_date;			/* TDSYSINFO BUILD_DATE; 0: default */
	u16 build_num;
	u64 xfam_supported;		/* XCR0|IA32_XSS bits; 0: all of 0x6DBE7 */
	/* CPUID_CONFIG bit masks reported by SYS.INFO, in 1.0 leaf order */
	struct swmod_cpuid_config cpuid_masks[SWMOD_NUM_CPUID_CONFIG];
};

/* Fault injection: where in a leaf the injected status is returned. */
enum swmod_fault_point {
	/*
	 * At dispatcher entry, before the state gate: the call has no
	 * effect at all except RAX = status.  Models lock contention
	 * (TDX_SYS_BUSY, TDX_OPERAND_BUSY) and arbitrary failures.
	 */
	SWMOD_FAULT_AT_ENTRY = 0,
	/*
	 * At the leaf's entropy step, after all its checks passed:
	 * RDRAND in TDH.SYS.INIT (1.0 reports TDX_SYS_BUSY) and PCONFIG in
	 * TDH.SYS.KEY.CONFIG (TDX_KEY_GENERATION_FAILED or
	 * TDX_OPERAND_BUSY|KET).  State is left unchanged, so a retry
	 * can succeed.  Other leaves have no entropy step and ignore it.
	 */
	SWMOD_FAULT_AT_ENTROPY,
};

#define SWMOD_MAX_FAULTS	8

struct swmod_fault {
	u16 leaf;			/* RAX leaf number */
	enum swmod_fault_point point;
	u64 nth;			/* 1-based call number of this leaf */
	u32 times;			/* consecutive calls to fail; 0 means 1 */
	u64 status;			/* status to return */
};

/*
 * A TD exit for TDH.VP.ENTER to return, armed by a test: the software
 * module cannot run a TD vCPU, so the exits a run loop handles are
 * scripted instead.  One exit at a time; exactly one VP.ENTER, of any
 * vCPU, consumes it.
 */
enum swmod_vp_exit_kind {
	SWMOD_VP_EXIT_NONE = 0,
	SWMOD_VP_EXIT_TDVMCALL,		/* TDG.VP.VMCALL: exit reason 77 */
	SWMOD_VP_EXIT_EPT,		/* EPT violation: exit reason 48 */
};

#define SWMOD_VP_EXIT_NR_GPRS	6	/* R10..R15 */

struct swmod_vp_exit {
	enum swmod_vp_exit_kind kind;
	u64 mask;			/* TDVMCALL: GPR select mask (RCX) */
	u64 gpr[SWMOD_VP_EXIT_NR_GPRS];	/* TDVMCALL: the guest's R10..R15 */
	u64 gpa;			/* EPT violation: R8 */
	u64 qual;			/* EPT violation: exit qualification */
};

/* What a test reads back: the armed exit, entries, the last guest state. */
struct swmod_vp_exit_info {
	enum swmod_vp_exit_kind armed;
	u64 entered;			/* VP.ENTERs that passed the checks */
	/* R10..R15 of the last vCPU entered, after the host's answer. */
	u64 guest[SWMOD_VP_EXIT_NR_GPRS];
};

/* A TDVMCALL's GPR mask: bits 15:0 only, never RAX, RCX or RSP. */
static inline bool swmod_tdvmcall_mask_valid(u64 mask)
{
	return !(mask & ~SWMOD_TDVMCALL_GPR_MASK) &&
	       !(mask & SWMOD_TDVMCALL_MASK_RSVD);
}

/* Per-leaf call counters; index = leaf number. */
#define SWMOD_NR_LEAF_COUNTERS	128

struct swmod_stats {
	u64 calls[SWMOD_NR_LEAF_COUNTERS];	/* calls that entered the module */
	u64 errors[SWMOD_NR_LEAF_COUNTERS];	/* ... that returned bit 63 set */
	u64 bad_rax;		/* RAX beyond the counter range */
	u64 unimplemented;	/* valid 1.0 leaf not modelled yet */
	u64 vmfailinvalid;
	u64 gp;
	u64 ud;
	u64 injected;		/* faults fired */
	u64 dropped_writes;	/* writes to PAs the platform cannot map */
	u64 reset_bytes;	/* zeroed by swmod_reset_memory() */
	/* TDH.SYS.KEY.CONFIG per package: calls in the state, successes */
	u64 key_config_calls[SWMOD_MAX_PKGS];
	u64 key_config_done[SWMOD_MAX_PKGS];
};

/* Lifetime.  Returns 0 or -EINVAL / -ENOMEM. */
int swmod_create(const struct swmod_config *cfg, struct swmod_plat *plat,
		 struct swmod **out);
void swmod_destroy(struct swmod *m);

/* The SEAMCALL instruction, executed on the platform's current LP. */
enum swmod_outcome swmod_seamcall(struct swmod *m, struct swmod_regs *regs);

/*
 * Fold an outcome into the single u64 the Linux SEAMCALL wrappers
 * return: the status on SEAMRET, else TDX_SW_ERROR-class codes.
 */
u64 swmod_outcome_status(enum swmod_outcome outcome, u64 rax);

/* Platform knobs that may change at run time. */
int swmod_lp_set_online(struct swmod *m, unsigned int lp, bool online);
int swmod_lp_set_vmx(struct swmod *m, unsigned int lp, bool vmx_on);
int swmod_lp_remove(struct swmod *m, unsigned int lp);
void swmod_reset_memory(struct swmod *m, u64 pa, u64 size);
void swmod_set_presence(struct swmod *m, enum swmod_presence presence);
unsigned int swmod_nr_lps(const struct swmod *m);
unsigned int swmod_nr_pkgs(const struct swmod *m);
unsigned int swmod_lp_pkg(const struct swmod *m, unsigned int lp);
unsigned int swmod_nr_enabled_lps(const struct swmod *m);

/* Helpers for building a platform. */
int swmod_cmrs_from_ram(const struct swmod_range *ram, unsigned int nr_ram,
			struct swmod_cmr_info *cmrs, unsigned int *nr_cmrs);
u32 swmod_keyid_bits_for(u32 nr_mktme_keyids, u32 nr_tdx_keyids);
int swmod_check_keyids(u32 nr_mktme_keyids, u32 nr_tdx_keyids,
		       u32 keyid_bits, bool handover);

/* Test hooks. */
int swmod_inject_fault(struct swmod *m, const struct swmod_fault *fault);
/*
 * Arm @exit for the next TDH.VP.ENTER (td_vp.c); kind NONE disarms.
 * Returns 0, -EINVAL for a bad kind or mask, -EBUSY if an exit is
 * armed (or, for an instant, being armed or consumed).  Never sleeps.
 */
int swmod_vp_exit_arm(struct swmod *m, const struct swmod_vp_exit *exit);
void swmod_vp_exit_info(struct swmod *m, struct swmod_vp_exit_info *info);
void swmod_clear_faults(struct swmod *m);
const struct swmod_stats *swmod_get_stats(const struct swmod *m);
void swmod_reset_stats(struct swmod *m);
enum swmod_sys_state swmod_get_sys_state(const struct swmod *m);

/* Read-only views of the module state. */
unsigned int swmod_nr_tdmrs(const struct swmod *m);
int swmod_tdmr_progress(const struct swmod *m, unsigned int tdmr,
			u64 *base, u64 *size, u64 *next);
bool swmod_pa_initialized(const struct swmod *m, u64 pa);
int swmod_pamt_read(struct swmod *m, u64 pa, int ps,
		    struct swmod_pamt_entry *entry);
/* 4 KiB pages whose PAMT type is neither NDA nor RSVD. */
u64 swmod_owned_pages(const struct swmod *m);
/* Is the page of @pa TD-owned, and by whom (pamt.c; lockless, for reports)? */
bool swmod_page_owner(struct swmod *m, u64 pa, u8 *pt, u64 *owner, int *ps);
/* MRTD of the finalized TD whose TDR is @tdr_pa: 0 or -EINVAL. */
int swmod_td_mrtd(struct swmod *m, u64 tdr_pa, u8 *mrtd);

#endif /* __SWMOD_H */
