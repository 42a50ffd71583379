/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Harness-only access to the engine's locks, so that tests can hold a
 * lock the way another LP would and watch a leaf report BUSY.  Built
 * into the harness only (test_hooks.c); the kernel image has no such
 * entry points.
 */
#ifndef __TEST_HOOKS_H
#define __TEST_HOOKS_H

#include <stdbool.h>

struct swmod;

bool swmod_test_trylock_global(struct swmod *m, bool exclusive);
void swmod_test_unlock_global(struct swmod *m, bool exclusive);
bool swmod_test_trylock_tdmr(struct swmod *m, unsigned int tdmr);
void swmod_test_unlock_tdmr(struct swmod *m, unsigned int tdmr);

#endif /* __TEST_HOOKS_H */
