// SPDX-License-Identifier: GPL-2.0
/*
 * Software TDX module: fault injection.
 *
 * A test arms faults (swmod_inject_fault()); the dispatcher asks at
 * leaf entry and a leaf at its entropy step whether one fires.  Part of
 * the engine's lower layer with platform.c and pamt.c: it knows no
 * leaf, only the instance's fault table and counters.
 */

#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/compiler.h>

#include "swmod_state.h"
#include "swmod_platform.h"

/*
 * Does an injected fault fire for this call?  The Nth call is counted
 * by stats.calls[leaf], which the dispatcher bumps on entry.
 */
bool swmod_fault_fire(struct swmod *m, unsigned int leaf,
		      enum swmod_fault_point point, u64 *status)
{
	unsigned int i;
	u64 n;

	if (leaf >= SWMOD_NR_LEAF_COUNTERS)
		return false;
	n = READ_ONCE(m->stats.calls[leaf]);
	for (i = 0; i < m->nr_faults; i++) {
		const struct swmod_fault *f = &m->faults[i];
		u64 times = f->times ? f->times : 1;

		if (f->leaf != leaf || f->point != point)
			continue;
		if (n < f->nth || n - f->nth >= times)
			continue;
		*status = f->status;
		swmod_plat_add_return64(&m->stats.injected, 1);
		return true;
	}
	return false;
}

int swmod_inject_fault(struct swmod *m, const struct swmod_fault *fault)
{
	if (m->nr_faults == SWMOD_MAX_FAULTS)
		return -ENOSPC;
	if (fault->leaf >= SWMOD_NR_LEAF_COUNTERS || !fault->nth)
		return -EINVAL;
	m->faults[m->nr_faults++] = *fault;
	return 0;
}

void swmod_clear_faults(struct swmod *m)
{
	m->nr_faults = 0;
	memset(m->faults, 0, sizeof(m->faults));
}
