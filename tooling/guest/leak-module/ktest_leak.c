// SPDX-License-Identifier: GPL-2.0
/*
 * Runner self-check: leak one allocation on purpose, so that the lane's
 * kmemleak check can be shown to fail a run.  Never load it elsewhere.
 */
#include <linux/module.h>
#include <linux/slab.h>

#define KTEST_LEAK_OBJECTS	32

/* Keeps the compiler from dropping the allocations. */
static void * volatile ktest_leaked;

static int __init ktest_leak_init(void)
{
	int i;

	/*
	 * A stale copy of a pointer (a cached task stack, a register spill)
	 * can keep one object referenced, so leak many: kmemleak must report
	 * most of them.
	 */
	for (i = 0; i < KTEST_LEAK_OBJECTS; i++) {
		ktest_leaked = kmalloc(256, GFP_KERNEL);
		if (!ktest_leaked)
			return -ENOMEM;
	}
	ktest_leaked = NULL;
	pr_info("ktest_leak: leaked %d objects on purpose\n", KTEST_LEAK_OBJECTS);
	return 0;
}
module_init(ktest_leak_init);

MODULE_DESCRIPTION("Deliberate leak for the test runner's self-check");
MODULE_LICENSE("GPL");
