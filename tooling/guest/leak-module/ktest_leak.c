// SPDX-License-Identifier: GPL-2.0
/*
 * Runner self-check: leak one allocation on purpose, so that the lane's
 * kmemleak check can be shown to fail a run.  Never load it elsewhere.
 */
#include <linux/module.h>
#include <linux/slab.h>

static void *ktest_leaked;

static int __init ktest_leak_init(void)
{
	ktest_leaked = kmalloc(4096, GFP_KERNEL);
	if (!ktest_leaked)
		return -ENOMEM;
	/* Drop the only reference, so kmemleak sees an unreferenced object. */
	ktest_leaked = NULL;
	pr_info("ktest_leak: leaked 4096 bytes on purpose\n");
	return 0;
}
module_init(ktest_leak_init);

MODULE_DESCRIPTION("Deliberate leak for the test runner's self-check");
MODULE_LICENSE("GPL");
