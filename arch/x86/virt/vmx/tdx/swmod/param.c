// SPDX-License-Identifier: GPL-2.0
/*
 * Software TDX module: parse one "tdx_swmod=" option.
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
