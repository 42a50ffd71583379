// SPDX-License-Identifier: GPL-2.0
/*
 * Names of TDX module status codes, for messages.  Pure: also linked
 * into tools/testing/tdx-plan, so the kernel and the operator tool
 * decode a status the same way.
 */
#include <linux/types.h>
#include <linux/kernel.h>

#include "tdx.h"

static const struct {
	u64 status;
	const char *name;
} tdx_status_names[] = {
	{ TDX_SUCCESS,				"TDX_SUCCESS" },
	{ TDX_OPERAND_INVALID,			"TDX_OPERAND_INVALID" },
	{ TDX_OPERAND_BUSY,			"TDX_OPERAND_BUSY" },
	{ TDX_SYS_BUSY,				"TDX_SYS_BUSY" },
	{ TDX_RND_NO_ENTROPY,			"TDX_RND_NO_ENTROPY" },
	{ TDX_SYS_INIT_NOT_PENDING,		"TDX_SYS_INIT_NOT_PENDING" },
	{ TDX_SYS_LP_INIT_NOT_DONE,		"TDX_SYS_LP_INIT_NOT_DONE" },
	{ TDX_SYS_LP_INIT_DONE,			"TDX_SYS_LP_INIT_DONE" },
	{ TDX_SYS_NOT_READY,			"TDX_SYS_NOT_READY" },
	{ TDX_SYS_SHUTDOWN,			"TDX_SYS_SHUTDOWN" },
	{ TDX_SYS_KEY_CONFIG_NOT_PENDING,	"TDX_SYS_KEY_CONFIG_NOT_PENDING" },
	{ TDX_SYS_LP_INIT_NOT_PENDING,		"TDX_SYS_LP_INIT_NOT_PENDING" },
	{ TDX_SYS_CONFIG_NOT_PENDING,		"TDX_SYS_CONFIG_NOT_PENDING" },
	{ TDX_KEY_GENERATION_FAILED,		"TDX_KEY_GENERATION_FAILED" },
	{ TDX_KEY_CONFIGURED,			"TDX_KEY_CONFIGURED" },
	{ TDX_NUM_ACTIVATED_HKIDS_NOT_SUPPORTED, "TDX_NUM_ACTIVATED_HKIDS_NOT_SUPPORTED" },
	{ TDX_BOOT_NT4_SET,			"TDX_BOOT_NT4_SET" },
	{ TDX_INCORRECT_MSR_VALUE,		"TDX_INCORRECT_MSR_VALUE" },
	{ TDX_INVALID_TDMR,			"TDX_INVALID_TDMR" },
	{ TDX_NON_ORDERED_TDMR,			"TDX_NON_ORDERED_TDMR" },
	{ TDX_TDMR_OUTSIDE_CMRS,		"TDX_TDMR_OUTSIDE_CMRS" },
	{ TDX_TDMR_ALREADY_INITIALIZED,		"TDX_TDMR_ALREADY_INITIALIZED" },
	{ TDX_INVALID_PAMT,			"TDX_INVALID_PAMT" },
	{ TDX_PAMT_OUTSIDE_CMRS,		"TDX_PAMT_OUTSIDE_CMRS" },
	{ TDX_PAMT_OVERLAP,			"TDX_PAMT_OVERLAP" },
	{ TDX_INVALID_RESERVED_IN_TDMR,		"TDX_INVALID_RESERVED_IN_TDMR" },
	{ TDX_NON_ORDERED_RESERVED_IN_TDMR,	"TDX_NON_ORDERED_RESERVED_IN_TDMR" },
	{ TDX_CMR_LIST_INVALID,			"TDX_CMR_LIST_INVALID" },
};

/* The name of @status's class and code (the info bits are ignored). */
const char *tdx_status_name(u64 status)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(tdx_status_names); i++)
		if (tdx_status_names[i].status == (status & TDX_STATUS_MASK))
			return tdx_status_names[i].name;
	return "unknown status";
}
