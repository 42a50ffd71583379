// SPDX-License-Identifier: GPL-2.0
/*
 * Harness-only hooks (test_hooks.h): the engine's locks and a few TD
 * internals, reached through the engine's lower layer.
 */
#include <string.h>

#include "swmod_td.h"
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

static struct swmod_tdcs *tdcs_of(struct swmod *m, u64 tdr_pa)
{
	struct swmod_tdr *tdr = swmod_page_va(m, tdr_pa);

	return swmod_page_va(m, tdr->tdcx_pa[SWMOD_TDCX_TDCS]);
}

static u32 *lock_word(struct swmod *m, enum swmod_test_lock which, u64 arg)
{
	switch (which) {
	case SWMOD_TEST_LOCK_KOT:
		return &m->kot_lock;
	case SWMOD_TEST_LOCK_KET:
		return &m->ket_lock[arg];
	case SWMOD_TEST_LOCK_WBCACHE:
		return &m->wbcache_lock[arg];
	case SWMOD_TEST_LOCK_SEPT:
		return &tdcs_of(m, arg)->sept_lock;
	case SWMOD_TEST_LOCK_EPOCH:
		return &tdcs_of(m, arg)->epoch_lock;
	}
	return NULL;
}

bool swmod_test_trylock(struct swmod *m, enum swmod_test_lock which, u64 arg)
{
	return swmod_trylock(lock_word(m, which, arg), true);
}

void swmod_test_unlock(struct swmod *m, enum swmod_test_lock which, u64 arg)
{
	swmod_unlock(lock_word(m, which, arg), true);
}

bool swmod_test_trylock_pamt(struct swmod *m, u64 pa, bool exclusive)
{
	return swmod_pamt_trylock(swmod_pamt_get(m, pa, SWMOD_PS_4K), exclusive);
}

void swmod_test_unlock_pamt(struct swmod *m, u64 pa, bool exclusive)
{
	swmod_pamt_unlock(swmod_pamt_get(m, pa, SWMOD_PS_4K), exclusive);
}

void swmod_test_set_refcount(struct swmod *m, u64 tdr, unsigned int parity,
			     u64 count)
{
	tdcs_of(m, tdr)->refcount[parity & 1] = count;
}

void swmod_test_mrtd(struct swmod *m, u64 tdr, u8 *mrtd)
{
	memcpy(mrtd, tdcs_of(m, tdr)->mrtd, SWMOD_SHA384_SIZE);
}
