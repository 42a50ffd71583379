// SPDX-License-Identifier: GPL-2.0
/*
 * Compile check for the software TDX module engine.  Loading it creates
 * one instance on the kernel platform, runs TDH.SYS.INIT on the current
 * CPU and destroys the instance again; it touches no hardware.
 */
#define pr_fmt(fmt) "swmod_kcheck: " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/sizes.h>

#include "swmod.h"
#include "swmod_platform.h"

static int __init swmod_kcheck_init(void)
{
	struct swmod_config *cfg;
	struct swmod_plat *plat;
	struct swmod_regs regs = { .rax = SWMOD_TDH_SYS_INIT };
	struct swmod *m;
	enum swmod_outcome o;
	u8 *lp_pkg;
	int ret = -ENOMEM;

	cfg = kzalloc(sizeof(*cfg), GFP_KERNEL);
	lp_pkg = kcalloc(nr_cpu_ids, sizeof(*lp_pkg), GFP_KERNEL);
	plat = swmod_kplat_create();
	if (!cfg || !lp_pkg || !plat)
		goto out;

	swmod_kplat_topology(lp_pkg, nr_cpu_ids);
	cfg->nr_lps = nr_cpu_ids;
	cfg->lp_pkg = lp_pkg;
	cfg->nr_mktme_keyids = 15;
	cfg->nr_tdx_keyids = 48;
	cfg->nr_cmrs = 1;
	cfg->cmrs[0].base = SZ_1M;
	cfg->cmrs[0].size = SZ_1G;
	ret = swmod_create(cfg, plat, &m);
	if (ret)
		goto out;

	preempt_disable();
	o = swmod_seamcall(m, &regs);
	preempt_enable();
	pr_info("TDH.SYS.INIT: outcome %d status %#llx\n", o,
		swmod_outcome_status(o, regs.rax));
	swmod_destroy(m);
out:
	swmod_kplat_destroy(plat);
	kfree(lp_pkg);
	kfree(cfg);
	return ret;
}

static void __exit swmod_kcheck_exit(void)
{
}

module_init(swmod_kcheck_init);
module_exit(swmod_kcheck_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Software TDX module engine compile check");
