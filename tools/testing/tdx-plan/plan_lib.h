/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tdx-plan: shared code of the operator tool and its tests.  The
 * planner itself is arch/x86/virt/vmx/tdx/tdmr.c, compiled unchanged;
 * the module checks are the software TDX module engine's.
 */
#ifndef _TDX_PLAN_LIB_H
#define _TDX_PLAN_LIB_H

#include <stdbool.h>
#include <stdio.h>

#include "tdx.h"

#define PL_MAX_MEM	8192	/* memory ranges, and firmware ranges */
#define PL_MAX_CMRS	1024	/* CMR lines */
#define PL_MAX_RSVD	64

/* One TDMR as read back from text (check mode). */
struct pl_tdmr {
	u64 base, end;
	u64 pamt_base[TDX_PS_NR], pamt_size[TDX_PS_NR];
	unsigned int nr_rsvd;
	u64 rsvd_start[PL_MAX_RSVD], rsvd_end[PL_MAX_RSVD];
};

/* Everything an input file can say. */
struct pl_input {
	unsigned int nr_mem;
	struct tdx_memblock mem[PL_MAX_MEM];
	/* CMR lines, or derived from the firmware map or the RAM */
	unsigned int nr_cmrs;
	struct cmr_info cmrs[PL_MAX_MEM];
	/* firmware DRAM (e820 usable/ACPI/NVS) when no CMR line is given */
	unsigned int nr_fw;
	struct cmr_info fw[PL_MAX_MEM];
	bool user_map;			/* "user:" e820 lines seen */
	bool ram_from_cmrs;		/* no memory map: RAM = the CMRs */
	unsigned int nr_cmr_repeats;	/* identical CMR lines merged */
	u32 keyid_start, keyid_end;	/* private KeyIDs; 0: [16, 64) */
	struct tdx_layout_limits lim;
	unsigned int nr_tdmrs;
	struct pl_tdmr tdmrs[TDX_LAYOUT_MAX_TDMRS];
};

/*
 * Parse @f into @in.  Returns 0, or the 1-based number of the first
 * bad line with a message in @msg.
 */
int pl_parse(FILE *f, struct pl_input *in, char *msg, size_t len);
/* Sort and merge after parsing; CMRs default to firmware DRAM / RAM. */
int pl_finish(struct pl_input *in, char *msg, size_t len);

/* The userspace PAMT allocator: top-down inside the range asked for. */
struct pl_alloc {
	const struct pl_input *in;
	unsigned int nr;
	u64 base[2 * TDX_LAYOUT_MAX_TDMRS], size[2 * TDX_LAYOUT_MAX_TDMRS];
	long outstanding;	/* pages */
	unsigned int calls, fail_at;
	u64 over;		/* bytes handed out beyond the request */
};

void pl_alloc_init(struct pl_alloc *a, const struct pl_input *in);
extern const struct tdx_pamt_ops pl_pamt_ops_tmpl;

/* Naive layout (the old tdmr.c): TDMRs, PAMT and worst TDMR. */
struct pl_naive {
	unsigned int nr_tdmrs;
	u64 pamt_bytes;
	unsigned int worst_tdmr, worst_areas;	/* areas incl. its PAMT */
	u64 worst_base, worst_end;
	bool fails;				/* areas or TDMRs exceeded */
};

void pl_naive(const struct pl_input *in, struct pl_naive *nv);

/* Print a TDMR list in the input format (pl_parse() reads it back). */
void pl_print_layout(FILE *f, const struct tdmr_list *list);

/*
 * Run TDMRs through the software module: SYS.INIT, LP.INIT, SYS.INFO,
 * SYS.CONFIG, KEY.CONFIG, TDMR.INIT.  With @log, print every SEAMCALL
 * with its status spelled out.  Returns the first error status, 0 if
 * the module accepted and initialized everything.
 */
u64 pl_module_check(const struct pl_input *in, const struct pl_tdmr *tdmrs,
		    unsigned int nr, FILE *log);
/* Convert a planned list for pl_module_check(). */
unsigned int pl_from_list(const struct tdmr_list *list, struct pl_tdmr *out);

const char *pl_layout_step_name(int step);

#endif
