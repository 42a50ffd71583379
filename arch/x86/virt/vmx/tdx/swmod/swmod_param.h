/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Software TDX module: the platform and test knobs a "tdx_swmod=" option
 * describes, and its parser (param.c).
 *
 * Pure code: no globals, no printing.  The kernel's early_param handler
 * (tdx_swmod.c) and the userspace harness (tools/testing/tdx-swmod)
 * call the same parser.
 */
#ifndef __SWMOD_PARAM_H
#define __SWMOD_PARAM_H

#include "swmod.h"

#define SWMOD_PARAM_DEF_MKTME	15
#define SWMOD_PARAM_DEF_TDX	48

/* Everything one option sets; nothing survives from an earlier one. */
struct swmod_param {
	bool init_at_boot;
	bool handover;
	bool erratum;		/* claim the partial-write erratum */
	u32 nr_mktme;
	u32 nr_tdx;
	unsigned int nr_cmrs;		/* 0: derive from the firmware map */
	struct swmod_cmr_info cmrs[SWMOD_MAX_CMRS];
	unsigned int nr_faults;
	struct swmod_fault faults[SWMOD_MAX_FAULTS];
};

enum swmod_param_result {
	SWMOD_PARAM_OFF,	/* absent or "off": no software module */
	SWMOD_PARAM_ON,		/* use the software module as described */
	SWMOD_PARAM_BAD,	/* a malformed option, copied to @bad */
	SWMOD_PARAM_NO_ON,	/* well formed, but "on" is missing */
	SWMOD_PARAM_BAD_KEYIDS,	/* KeyIDs no such module could have */
};

void swmod_param_reset(struct swmod_param *p);
int swmod_param_parse_fault(char *spec, struct swmod_fault *f);
const char *swmod_param_leaf_name(u16 leaf);
enum swmod_param_result swmod_param_parse(char *arg, struct swmod_param *p,
					  char *bad, size_t bad_len);

/* debugfs swmod/vp_exit: what a write arms, and what a read shows. */
int swmod_param_parse_vp_exit(char *spec, struct swmod_vp_exit *exit);
int swmod_vp_exit_format(const struct swmod_vp_exit_info *info, char *buf,
			 size_t size);

#endif /* __SWMOD_PARAM_H */
