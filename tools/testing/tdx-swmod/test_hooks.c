// SPDX-License-Identifier: GPL-2.0
/*
 * Harness-only lock hooks (test_hooks.h), built on the engine's own
 * try-locks from its lower layer.
 */
#include "swmod_state.h"
#include "test_hooks.h"

bool swmod_test_trylock_global(struct swmod *m, bool exclusive)
{
	return swmod_trylock(&m->global_lock, exclusive);
}

void swmod_test_unlock_global(struct swmod *m, bool exclusive)
{
	swmod_unlock(&m->global_lock, exclusive);
}

bool swmod_test_trylock_tdmr(struct swmod *m, unsigned int tdmr)
{
	if (tdmr >= SWMOD_MAX_TDMRS)
		return false;
	return swmod_trylock(&m->tdmrs[tdmr].lock, true);
}

void swmod_test_unlock_tdmr(struct swmod *m, unsigned int tdmr)
{
	if (tdmr < SWMOD_MAX_TDMRS)
		swmod_unlock(&m->tdmrs[tdmr].lock, true);
}
