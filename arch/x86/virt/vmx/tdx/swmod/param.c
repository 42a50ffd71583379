// SPDX-License-Identifier: GPL-2.0
/*
 * Software TDX module: parse one "tdx_swmod=" option, and the test
 * knobs armed at run time (a fault for debugfs swmod/fail, a TD exit
 * for swmod/vp_exit).
 *
 *   on[,keyids=MKTME:TDX][,cmr=START-END]...[,fail=SPEC]...[,init]
 *     [,handover=initialized][,erratum]
 *
 * Every option starts from the defaults: nothing an earlier option set,
 * or an option that was refused, carries over.  So when the parameter
 * is given more than once the last one wins entirely, which is what a
 * kexec loader appending "tdx_swmod=on,handover=initialized" relies on.
 *
 * The KeyID counts are checked by swmod_check_keyids(), the check
 * swmod_create() makes for every platform, so that a kernel never
 * announces a KeyID range for a module it then cannot create.
 */

#include <linux/types.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "swmod_param.h"

static const struct {
	const char *name;
	u16 leaf;
} swmod_param_leaves[] = {
	{ "sys_init", SWMOD_TDH_SYS_INIT },
	{ "lp_init", SWMOD_TDH_SYS_LP_INIT },
	{ "sys_info", SWMOD_TDH_SYS_INFO },
	{ "sys_config", SWMOD_TDH_SYS_CONFIG },
	{ "key_config", SWMOD_TDH_SYS_KEY_CONFIG },
	{ "tdmr_init", SWMOD_TDH_SYS_TDMR_INIT },
	{ "vp_enter", SWMOD_TDH_VP_ENTER },
	{ "mng_addcx", SWMOD_TDH_MNG_ADDCX },
	{ "page_add", SWMOD_TDH_MEM_PAGE_ADD },
	{ "sept_add", SWMOD_TDH_MEM_SEPT_ADD },
	{ "vp_addcx", SWMOD_TDH_VP_ADDCX },
	{ "page_aug", SWMOD_TDH_MEM_PAGE_AUG },
	{ "range_block", SWMOD_TDH_MEM_RANGE_BLOCK },
	{ "mng_key_config", SWMOD_TDH_MNG_KEY_CONFIG },
	{ "mng_create", SWMOD_TDH_MNG_CREATE },
	{ "vp_create", SWMOD_TDH_VP_CREATE },
	{ "mng_rd", SWMOD_TDH_MNG_RD },
	{ "mng_wr", SWMOD_TDH_MNG_WR },
	{ "mr_extend", SWMOD_TDH_MR_EXTEND },
	{ "mr_finalize", SWMOD_TDH_MR_FINALIZE },
	{ "vp_flush", SWMOD_TDH_VP_FLUSH },
	{ "mng_vpflushdone", SWMOD_TDH_MNG_VPFLUSHDONE },
	{ "mng_key_freeid", SWMOD_TDH_MNG_KEY_FREEID },
	{ "mng_init", SWMOD_TDH_MNG_INIT },
	{ "vp_init", SWMOD_TDH_VP_INIT },
	{ "page_rdmd", SWMOD_TDH_PHYMEM_PAGE_RDMD },
	{ "sept_rd", SWMOD_TDH_MEM_SEPT_RD },
	{ "vp_rd", SWMOD_TDH_VP_RD },
	{ "page_reclaim", SWMOD_TDH_PHYMEM_PAGE_RECLAIM },
	{ "page_remove", SWMOD_TDH_MEM_PAGE_REMOVE },
	{ "sept_remove", SWMOD_TDH_MEM_SEPT_REMOVE },
	{ "mem_track", SWMOD_TDH_MEM_TRACK },
	{ "range_unblock", SWMOD_TDH_MEM_RANGE_UNBLOCK },
	{ "cache_wb", SWMOD_TDH_PHYMEM_CACHE_WB },
	{ "page_wbinvd", SWMOD_TDH_PHYMEM_PAGE_WBINVD },
	{ "vp_wr", SWMOD_TDH_VP_WR },
};

void swmod_param_reset(struct swmod_param *p)
{
	memset(p, 0, sizeof(*p));
	p->nr_mktme = SWMOD_PARAM_DEF_MKTME;
	p->nr_tdx = SWMOD_PARAM_DEF_TDX;
}

/* The name fail= takes for @leaf, or NULL: then it takes the number. */
const char *swmod_param_leaf_name(u16 leaf)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(swmod_param_leaves); i++)
		if (swmod_param_leaves[i].leaf == leaf)
			return swmod_param_leaves[i].name;
	return NULL;
}

static int swmod_param_parse_leaf(const char *s, u16 *leaf)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(swmod_param_leaves); i++) {
		if (!strcmp(s, swmod_param_leaves[i].name)) {
			*leaf = swmod_param_leaves[i].leaf;
			return 0;
		}
	}
	return kstrtou16(s, 0, leaf);
}

/*
 * LEAF[:NTH[:TIMES[:STATUS[:entropy]]]] into @f.  @spec is cut up.
 * Also for faults armed at run time.
 */
int swmod_param_parse_fault(char *spec, struct swmod_fault *f)
{
	struct swmod_fault new = {
		.point = SWMOD_FAULT_AT_ENTRY,
		.nth = 1,
		.times = 1,
		.status = SWMOD_TDX_SYS_BUSY,
	};
	char *tok[5] = {};
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(tok) && spec; i++)
		tok[i] = strsep(&spec, ":");
	if (spec)
		return -EINVAL;

	ret = swmod_param_parse_leaf(tok[0], &new.leaf);
	if (!ret && tok[1])
		ret = kstrtou64(tok[1], 0, &new.nth);
	if (!ret && tok[2])
		ret = kstrtou32(tok[2], 0, &new.times);
	if (!ret && tok[3])
		ret = kstrtou64(tok[3], 0, &new.status);
	if (!ret && tok[4]) {
		if (strcmp(tok[4], "entropy"))
			ret = -EINVAL;
		new.point = SWMOD_FAULT_AT_ENTROPY;
	}
	if (ret || !new.nth || new.leaf >= SWMOD_NR_LEAF_COUNTERS)
		return -EINVAL;
	*f = new;
	return 0;
}

/* The words of a vp_exit write, and the numbers each kind takes. */
static const struct {
	const char *name;
	enum swmod_vp_exit_kind kind;
	unsigned int nr_args;
} swmod_vp_exit_kinds[] = {
	{ "none", SWMOD_VP_EXIT_NONE, 0 },
	{ "tdvmcall", SWMOD_VP_EXIT_TDVMCALL, 1 + SWMOD_VP_EXIT_NR_GPRS },
	{ "ept", SWMOD_VP_EXIT_EPT, 2 },
};

#define SWMOD_VP_EXIT_MAX_WORDS	(2 + SWMOD_VP_EXIT_NR_GPRS)

/*
 * An exit for TDH.VP.ENTER to return, into @exit; @spec is cut up:
 *   tdvmcall MASK R10 R11 R12 R13 R14 R15
 *   ept GPA QUAL
 *   none
 * Words are separated by spaces or tabs, numbers take kstrtou64()'s
 * base 0 prefixes, one trailing newline is fine.  MASK must be a valid
 * TDVMCALL GPR mask (swmod_tdvmcall_mask_valid()).  Returns 0 or
 * -EINVAL.
 */
int swmod_param_parse_vp_exit(char *spec, struct swmod_vp_exit *exit)
{
	struct swmod_vp_exit new = {};
	char *word[SWMOD_VP_EXIT_MAX_WORDS];
	u64 arg[SWMOD_VP_EXIT_MAX_WORDS - 1];
	unsigned int n = 0, i, k;
	size_t len = strlen(spec);
	char *w;

	if (len && spec[len - 1] == '\n')
		spec[len - 1] = '\0';
	if (strchr(spec, '\n'))
		return -EINVAL;
	while ((w = strsep(&spec, " \t"))) {
		if (!*w)
			continue;
		if (n == ARRAY_SIZE(word))
			return -EINVAL;
		word[n++] = w;
	}
	if (!n)
		return -EINVAL;

	for (k = 0; k < ARRAY_SIZE(swmod_vp_exit_kinds); k++)
		if (!strcmp(word[0], swmod_vp_exit_kinds[k].name))
			break;
	if (k == ARRAY_SIZE(swmod_vp_exit_kinds) ||
	    n != 1 + swmod_vp_exit_kinds[k].nr_args)
		return -EINVAL;
	for (i = 1; i < n; i++)
		if (kstrtou64(word[i], 0, &arg[i - 1]))
			return -EINVAL;

	new.kind = swmod_vp_exit_kinds[k].kind;
	switch (new.kind) {
	case SWMOD_VP_EXIT_TDVMCALL:
		if (!swmod_tdvmcall_mask_valid(arg[0]))
			return -EINVAL;
		new.mask = arg[0];
		for (i = 0; i < SWMOD_VP_EXIT_NR_GPRS; i++)
			new.gpr[i] = arg[1 + i];
		break;
	case SWMOD_VP_EXIT_EPT:
		new.gpa = arg[0];
		new.qual = arg[1];
		break;
	default:
		break;
	}
	*exit = new;
	return 0;
}

/*
 * The read side, exactly three lines (a KVM selftest parses them):
 *   armed none|tdvmcall|ept
 *   entered N
 *   guest r10=0x... r11=0x... r12=0x... r13=0x... r14=0x... r15=0x...
 * Returns what snprintf() returns.
 */
int swmod_vp_exit_format(const struct swmod_vp_exit_info *info, char *buf,
			 size_t size)
{
	const char *armed = "none";
	unsigned int k;

	for (k = 0; k < ARRAY_SIZE(swmod_vp_exit_kinds); k++)
		if (swmod_vp_exit_kinds[k].kind == info->armed)
			armed = swmod_vp_exit_kinds[k].name;
	return snprintf(buf, size,
			"armed %s\nentered %llu\nguest r10=0x%llx r11=0x%llx r12=0x%llx r13=0x%llx r14=0x%llx r15=0x%llx\n",
			armed, info->entered, info->guest[0], info->guest[1],
			info->guest[2], info->guest[3], info->guest[4],
			info->guest[5]);
}

static int swmod_param_parse_cmr(char *s, struct swmod_param *p)
{
	struct swmod_cmr_info *cmr;
	char *end;
	u64 start, last;

	if (p->nr_cmrs == SWMOD_MAX_CMRS)
		return -ENOSPC;
	start = memparse(s, &end);
	if (end == s || *end != '-')
		return -EINVAL;
	s = end + 1;
	last = memparse(s, &end);
	if (end == s || *end || last <= start)
		return -EINVAL;
	cmr = &p->cmrs[p->nr_cmrs++];
	cmr->base = start;
	cmr->size = last - start;
	return 0;
}

/* "MKTME:TDX"; whether the platform can have them is checked later. */
static int swmod_param_parse_keyids(char *s, struct swmod_param *p)
{
	char *mktme = strsep(&s, ":");

	if (!s || kstrtou32(mktme, 10, &p->nr_mktme) ||
	    kstrtou32(s, 10, &p->nr_tdx))
		return -EINVAL;
	return 0;
}

static int swmod_param_parse_one(char *opt, struct swmod_param *p, bool *on)
{
	if (!strcmp(opt, "on")) {
		*on = true;
		return 0;
	}
	if (!strcmp(opt, "init")) {
		p->init_at_boot = true;
		return 0;
	}
	if (!strcmp(opt, "handover=initialized")) {
		p->handover = true;
		return 0;
	}
	if (!strcmp(opt, "erratum")) {
		p->erratum = true;
		return 0;
	}
	if (!strncmp(opt, "keyids=", 7))
		return swmod_param_parse_keyids(opt + 7, p);
	if (!strncmp(opt, "cmr=", 4))
		return swmod_param_parse_cmr(opt + 4, p);
	if (!strncmp(opt, "fail=", 5)) {
		if (p->nr_faults == SWMOD_MAX_FAULTS)
			return -ENOSPC;
		if (swmod_param_parse_fault(opt + 5, &p->faults[p->nr_faults]))
			return -EINVAL;
		p->nr_faults++;
		return 0;
	}
	return -EINVAL;
}

/*
 * Parse @arg (cut up in place) into @p, which is reset first.  On
 * SWMOD_PARAM_BAD, @bad (@bad_len bytes) holds the refused option.
 */
enum swmod_param_result swmod_param_parse(char *arg, struct swmod_param *p,
					  char *bad, size_t bad_len)
{
	bool on = false;
	char *opt;

	swmod_param_reset(p);
	if (bad_len)
		bad[0] = '\0';
	if (!arg || !strcmp(arg, "off"))
		return SWMOD_PARAM_OFF;

	while ((opt = strsep(&arg, ","))) {
		if (bad_len)
			strscpy(bad, opt, bad_len);
		if (swmod_param_parse_one(opt, p, &on))
			return SWMOD_PARAM_BAD;
	}
	if (bad_len)
		bad[0] = '\0';
	if (!on)
		return SWMOD_PARAM_NO_ON;
	if (swmod_check_keyids(p->nr_mktme, p->nr_tdx, 0, p->handover))
		return SWMOD_PARAM_BAD_KEYIDS;
	return SWMOD_PARAM_ON;
}
