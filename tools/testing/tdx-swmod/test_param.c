// SPDX-License-Identifier: GPL-2.0
/*
 * The "tdx_swmod=" option parser (swmod/param.c, the code the kernel's
 * early_param handler runs) and the KeyID checks made where a platform
 * is created.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kernel.h>

#include "tlib.h"
#include "swmod_param.h"

static enum swmod_param_result parse(const char *s, struct swmod_param *p,
				     char *bad)
{
	char buf[1024];

	snprintf(buf, sizeof(buf), "%s", s);
	return swmod_param_parse(buf, p, bad, 64);
}

static bool params_equal(const struct swmod_param *a,
			 const struct swmod_param *b)
{
	unsigned int i;

	if (a->init_at_boot != b->init_at_boot || a->handover != b->handover ||
	    a->erratum != b->erratum ||
	    a->nr_mktme != b->nr_mktme || a->nr_tdx != b->nr_tdx ||
	    a->nr_cmrs != b->nr_cmrs || a->nr_faults != b->nr_faults)
		return false;
	for (i = 0; i < a->nr_cmrs; i++)
		if (a->cmrs[i].base != b->cmrs[i].base ||
		    a->cmrs[i].size != b->cmrs[i].size)
			return false;
	for (i = 0; i < a->nr_faults; i++)
		if (a->faults[i].leaf != b->faults[i].leaf ||
		    a->faults[i].point != b->faults[i].point ||
		    a->faults[i].nth != b->faults[i].nth ||
		    a->faults[i].times != b->faults[i].times ||
		    a->faults[i].status != b->faults[i].status)
			return false;
	return true;
}

/* Each option, its defaults and its syntax errors. */
void test_param_options(struct rng *r)
{
	static const struct {
		const char *arg;
		enum swmod_param_result res;
	} table[] = {
		{ "on", SWMOD_PARAM_ON },
		{ "off", SWMOD_PARAM_OFF },
		{ "init", SWMOD_PARAM_NO_ON },
		{ "", SWMOD_PARAM_BAD },
		{ "on,", SWMOD_PARAM_BAD },
		{ "on,bogus", SWMOD_PARAM_BAD },
		{ "on,handover", SWMOD_PARAM_BAD },
		{ "on,keyids=15", SWMOD_PARAM_BAD },
		{ "on,keyids=15:", SWMOD_PARAM_BAD },
		{ "on,keyids=:48", SWMOD_PARAM_BAD },
		{ "on,keyids=-1:48", SWMOD_PARAM_BAD },
		{ "on,keyids=15:48:1", SWMOD_PARAM_BAD },
		{ "on,keyids=0x10:48", SWMOD_PARAM_BAD },
		{ "on,keyids=4294967296:1", SWMOD_PARAM_BAD },
		{ "on,keyids=65535:1", SWMOD_PARAM_BAD_KEYIDS },
		{ "on,keyids=4294967295:4294967295", SWMOD_PARAM_BAD_KEYIDS },
		{ "on,keyids=32767:32768", SWMOD_PARAM_ON },
		{ "on,cmr=1M", SWMOD_PARAM_BAD },
		{ "on,cmr=-2G", SWMOD_PARAM_BAD },
		{ "on,cmr=1M-", SWMOD_PARAM_BAD },
		{ "on,cmr=2G-1G", SWMOD_PARAM_BAD },
		{ "on,cmr=1G-1G", SWMOD_PARAM_BAD },
		{ "on,cmr=1M-2Gx", SWMOD_PARAM_BAD },
		{ "on,fail=", SWMOD_PARAM_BAD },
		{ "on,fail=bogus", SWMOD_PARAM_BAD },
		{ "on,fail=sys_init:0", SWMOD_PARAM_BAD },
		{ "on,fail=128", SWMOD_PARAM_BAD },
		{ "on,fail=sys_init:1:1:1:entropy:x", SWMOD_PARAM_BAD },
		{ "on,fail=sys_init:1:1:1:later", SWMOD_PARAM_BAD },
		{ "on,fail=sys_init:1:4294967296", SWMOD_PARAM_BAD },
		{ "on,fail=127", SWMOD_PARAM_ON },
	};
	struct swmod_param p;
	char bad[64];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(table); i++)
		if (!EXPECT_EQ(parse(table[i].arg, &p, bad), table[i].res))
			t_diag("tdx_swmod=%s", table[i].arg);
	EXPECT_EQ(swmod_param_parse(NULL, &p, bad, sizeof(bad)),
		  SWMOD_PARAM_OFF);

	/* The refused option is named, even after the parser cut it up. */
	EXPECT_EQ(parse("on,cmr=1M-2G,fail=sys_init:1:x,init", &p, bad),
		  SWMOD_PARAM_BAD);
	EXPECT_TRUE(!strcmp(bad, "fail=sys_init:1:x"));

	EXPECT_EQ(parse("on", &p, bad), SWMOD_PARAM_ON);
	EXPECT_EQ(p.nr_mktme, 15);
	EXPECT_EQ(p.nr_tdx, 48);
	EXPECT_TRUE(!p.init_at_boot && !p.handover && !p.erratum &&
		    !p.nr_cmrs && !p.nr_faults);

	EXPECT_EQ(parse("init,keyids=3:4,on,handover=initialized,cmr=1M-0x80000000,cmr=4g-8G,erratum",
			&p, bad), SWMOD_PARAM_ON);
	EXPECT_TRUE(p.init_at_boot && p.handover && p.erratum);
	EXPECT_EQ(p.nr_mktme, 3);
	EXPECT_EQ(p.nr_tdx, 4);
	EXPECT_EQ(p.nr_cmrs, 2);
	EXPECT_EQ(p.cmrs[0].base, SZ_1M);
	EXPECT_EQ(p.cmrs[0].size, 2 * SZ_1G - SZ_1M);
	EXPECT_EQ(p.cmrs[1].base, 4 * SZ_1G);
	EXPECT_EQ(p.cmrs[1].size, 4 * SZ_1G);

	EXPECT_EQ(parse("on,fail=key_config:2:10:0x8000080000000000:entropy,fail=45,fail=tdmr_init:100",
			&p, bad), SWMOD_PARAM_ON);
	EXPECT_EQ(p.nr_faults, 3);
	EXPECT_EQ(p.faults[0].leaf, SWMOD_TDH_SYS_KEY_CONFIG);
	EXPECT_EQ(p.faults[0].nth, 2);
	EXPECT_EQ(p.faults[0].times, 10);
	EXPECT_EQ(p.faults[0].status, SWMOD_TDX_KEY_GENERATION_FAILED);
	EXPECT_EQ(p.faults[0].point, SWMOD_FAULT_AT_ENTROPY);
	EXPECT_EQ(p.faults[1].leaf, SWMOD_TDH_SYS_CONFIG);
	EXPECT_EQ(p.faults[1].nth, 1);
	EXPECT_EQ(p.faults[1].times, 1);
	EXPECT_EQ(p.faults[1].status, SWMOD_TDX_SYS_BUSY);
	EXPECT_EQ(p.faults[1].point, SWMOD_FAULT_AT_ENTRY);
	EXPECT_EQ(p.faults[2].leaf, SWMOD_TDH_SYS_TDMR_INIT);
	EXPECT_EQ(p.faults[2].nth, 100);

	/* At most SWMOD_MAX_CMRS CMRs and SWMOD_MAX_FAULTS faults. */
	{
		char arg[1024] = "on";
		int n;

		for (n = 0; n < SWMOD_MAX_CMRS; n++)
			sprintf(arg + strlen(arg), ",cmr=%uG-%uG", 2 * n + 1,
				2 * n + 2);
		EXPECT_EQ(parse(arg, &p, bad), SWMOD_PARAM_ON);
		EXPECT_EQ(p.nr_cmrs, SWMOD_MAX_CMRS);
		strcat(arg, ",cmr=100G-101G");
		EXPECT_EQ(parse(arg, &p, bad), SWMOD_PARAM_BAD);
		strcpy(arg, "on");
		for (n = 0; n < SWMOD_MAX_FAULTS; n++)
			strcat(arg, ",fail=sys_info");
		EXPECT_EQ(parse(arg, &p, bad), SWMOD_PARAM_ON);
		EXPECT_EQ(p.nr_faults, SWMOD_MAX_FAULTS);
		strcat(arg, ",fail=sys_info");
		EXPECT_EQ(parse(arg, &p, bad), SWMOD_PARAM_BAD);
	}
}

/*
 * The KeyIDs of the out-of-bounds write (keyids=200:48 with
 * handover=initialized wrote kot[201] of 128), refused by the parser
 * and by swmod_create() alike; KeyIDs TDH.SYS.INIT refuses remain a
 * valid platform without a handover.
 */
void test_param_keyids(struct rng *r)
{
	static const struct {
		const char *arg;
		enum swmod_param_result res;
	} table[] = {
		{ "on,keyids=200:48,handover=initialized", SWMOD_PARAM_BAD_KEYIDS },
		{ "handover=initialized,keyids=200:48,on", SWMOD_PARAM_BAD_KEYIDS },
		{ "on,keyids=127:0,handover=initialized", SWMOD_PARAM_BAD_KEYIDS },
		{ "on,keyids=63:65,handover=initialized", SWMOD_PARAM_BAD_KEYIDS },
		{ "on,keyids=63:64,handover=initialized", SWMOD_PARAM_ON },
		{ "on,keyids=0:127,handover=initialized", SWMOD_PARAM_ON },
		{ "on,keyids=200:48", SWMOD_PARAM_ON },
		{ "on,keyids=127:0", SWMOD_PARAM_ON },
		{ "on,keyids=200:48,handover=initialized,keyids=15:48", SWMOD_PARAM_ON },
	};
	static const struct {
		u32 mktme, tdx, bits;
		bool handover;
		int ret;
	} plat[] = {
		{ 200, 48, 0, true, -EINVAL },
		{ 127, 0, 0, true, -EINVAL },
		{ 127, 1, 0, true, -EINVAL },
		{ 0, 0, 0, true, -EINVAL },
		{ 126, 1, 0, true, 0 },
		{ 15, 48, 0, true, 0 },
		{ 200, 48, 0, false, 0 },
		{ 15, 48, 5, false, -ERANGE },
		{ 15, 48, 17, false, -ERANGE },
		{ 65535, 1, 0, false, -ERANGE },
		{ 65535, 0, 0, false, 0 },
		{ 65534, 1, 16, false, 0 },
		{ ~0U, ~0U, 0, false, -ERANGE },
	};
	struct swmod_config cfg;
	struct swmod_param p;
	struct swmod *m;
	struct swmod_plat *pl = uplat_create();
	char bad[64];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(table); i++)
		if (!EXPECT_EQ(parse(table[i].arg, &p, bad), table[i].res))
			t_diag("tdx_swmod=%s", table[i].arg);

	for (i = 0; i < ARRAY_SIZE(plat); i++) {
		int want = plat[i].ret ? -EINVAL : 0;

		if (!EXPECT_EQ(swmod_check_keyids(plat[i].mktme, plat[i].tdx,
						  plat[i].bits,
						  plat[i].handover),
			       plat[i].ret))
			t_diag("keyids %u:%u bits %u handover %d", plat[i].mktme,
			       plat[i].tdx, plat[i].bits, plat[i].handover);
		/* swmod_create() makes the same check on every path. */
		env_default_config(&cfg);
		cfg.nr_mktme_keyids = plat[i].mktme;
		cfg.nr_tdx_keyids = plat[i].tdx;
		cfg.keyid_bits = plat[i].bits;
		cfg.handover_ready = plat[i].handover;
		cfg.nr_cmrs = 1;
		cfg.cmrs[0].base = SZ_1M;
		cfg.cmrs[0].size = SZ_1G;
		m = NULL;
		if (!EXPECT_EQ(swmod_create(&cfg, pl, &m), want))
			t_diag("create: keyids %u:%u bits %u handover %d",
			       plat[i].mktme, plat[i].tdx, plat[i].bits,
			       plat[i].handover);
		if (m && plat[i].handover)
			EXPECT_EQ(swmod_get_sys_state(m), SWMOD_SYS_READY);
		swmod_destroy(m);
	}
	uplat_destroy(pl);
}

/*
 * The last option wins entirely: parsing B after A (accepted or
 * refused) leaves exactly what parsing B alone does.  Every pair of a
 * set of options that each set something different.
 */
void test_param_last_wins(struct rng *r)
{
	static const char * const opts[] = {
		"on",
		"off",
		"init",
		"on,init",
		"on,handover=initialized",
		"on,keyids=3:4",
		"on,keyids=200:48,handover=initialized",
		"on,cmr=1M-2G",
		"on,cmr=1M-2G,cmr=4G-6G,bogus",
		"on,fail=sys_init:1",
		"on,fail=key_config:2:10:0x8000080000000000:entropy,fail=lp_init:2",
		"on,fail=sys_config:1,init,handover=initialized,keyids=7:8,cmr=0x100000-0x10000000",
		"cmr=1M-2G,fail=tdmr_init:100,keyids=1:2,init",
		"on,keyids=1:2,fail=nope",
	};
	struct swmod_param alone, after;
	enum swmod_param_result ra, rb;
	char bad_a[64], bad_b[64];
	unsigned int a, b, pairs = 0;

	for (a = 0; a < ARRAY_SIZE(opts); a++) {
		for (b = 0; b < ARRAY_SIZE(opts); b++) {
			memset(&alone, 0x5a, sizeof(alone));
			ra = parse(opts[b], &alone, bad_a);
			memset(&after, 0xa5, sizeof(after));
			parse(opts[a], &after, bad_b);
			rb = parse(opts[b], &after, bad_b);
			if (!EXPECT_EQ(rb, ra) ||
			    !EXPECT_TRUE(params_equal(&after, &alone)) ||
			    !EXPECT_TRUE(!strcmp(bad_a, bad_b)))
				t_diag("tdx_swmod=%s tdx_swmod=%s", opts[a],
				       opts[b]);
			pairs++;
		}
	}
	t_diag("%u pairs of options", pairs);
}
