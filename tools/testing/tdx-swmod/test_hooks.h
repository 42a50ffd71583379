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
#include <linux/types.h>

struct swmod;

/* The TD-side locks a test can hold (see swmod_test_lock_word()). */
enum swmod_test_lock {
	SWMOD_TEST_LOCK_KOT,
	SWMOD_TEST_LOCK_KET,		/* arg: package */
	SWMOD_TEST_LOCK_WBCACHE,	/* arg: package */
	SWMOD_TEST_LOCK_SEPT,		/* arg: TDR HPA */
	SWMOD_TEST_LOCK_EPOCH,		/* arg: TDR HPA */
};

bool swmod_test_trylock_global(struct swmod *m, bool exclusive);
void swmod_test_unlock_global(struct swmod *m, bool exclusive);
bool swmod_test_trylock_tdmr(struct swmod *m, unsigned int tdmr);
void swmod_test_unlock_tdmr(struct swmod *m, unsigned int tdmr);

bool swmod_test_trylock(struct swmod *m, enum swmod_test_lock which, u64 arg);
void swmod_test_unlock(struct swmod *m, enum swmod_test_lock which, u64 arg);
/* The PAMT entry lock of the 4 KiB page at @pa. */
bool swmod_test_trylock_pamt(struct swmod *m, u64 pa, bool exclusive);
void swmod_test_unlock_pamt(struct swmod *m, u64 pa, bool exclusive);
/* TD internals: vCPUs counted in an epoch parity, the MRTD. */
void swmod_test_set_refcount(struct swmod *m, u64 tdr, unsigned int parity,
			     u64 count);
void swmod_test_mrtd(struct swmod *m, u64 tdr, u8 *mrtd);

#endif /* __TEST_HOOKS_H */
