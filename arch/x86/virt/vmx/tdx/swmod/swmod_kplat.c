// SPDX-License-Identifier: GPL-2.0
/*
 * Software TDX module: the kernel platform.
 *
 * Minimal on purpose: physical memory is an alias of TDX memory while
 * TD pages leave the direct map (swmod_dmap.c), else the direct map;
 * the current LP is the current CPU, atomics are the kernel's and
 * SHA-384 is the crypto API's.  The host core (tdx_swmod.c) calls into the engine with
 * preemption disabled, as it would around a real SEAMCALL, so
 * smp_processor_id() is stable.
 */

#include <linux/types.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/topology.h>
#include <linux/atomic.h>
#include <linux/io.h>
#include <linux/err.h>
#include <crypto/hash.h>

#include "swmod_platform.h"
#include "swmod_td.h"
#include "swmod_dmap.h"

/*
 * The SHA-384 transform is allocated here, in process context, because
 * the leaves that hash run with preemption off and must not sleep;
 * hashing with a preallocated transform and an on-stack (here:
 * in-TDCS) descriptor does not.
 */
struct swmod_plat {
	struct crypto_shash *sha384;	/* NULL: MNG.INIT cannot measure */
	struct swmod_dmap *dmap;	/* NULL: TD pages stay mapped */
};

struct swmod_plat *swmod_kplat_create(void)
{
	struct swmod_plat *plat = kzalloc(sizeof(*plat), GFP_KERNEL);
	struct crypto_shash *tfm;

	if (!plat)
		return NULL;
	tfm = crypto_alloc_shash("sha384", 0, 0);
	if (IS_ERR(tfm)) {
		pr_warn("virt/tdx: software module: no sha384 (%ld): TDs cannot be measured\n",
			PTR_ERR(tfm));
		return plat;
	}
	if (sizeof(struct shash_desc) + crypto_shash_descsize(tfm) >
	    SWMOD_SHA384_CTX_SIZE) {
		pr_warn("virt/tdx: software module: sha384 context too large\n");
		crypto_free_shash(tfm);
		return plat;
	}
	plat->sha384 = tfm;
	return plat;
}

/*
 * Take TD pages out of the direct map from now on, if it is built and
 * not turned off; before the instance's first SEAMCALL.  Sleeps.
 */
void swmod_kplat_unmap_init(struct swmod_plat *plat,
			    const struct swmod_cmr_info *cmrs,
			    unsigned int nr_cmrs)
{
	struct swmod_dmap *d = swmod_dmap_create(cmrs, nr_cmrs);

	plat->dmap = IS_ERR(d) ? NULL : d;
}

/* Unmapping on or off at run time, while no page is TD-owned. */
int swmod_kplat_unmap_enable(struct swmod_plat *plat, bool on)
{
	return swmod_dmap_enable(plat->dmap, on);
}

bool swmod_kplat_unmap_enabled(struct swmod_plat *plat)
{
	return swmod_dmap_enabled(plat->dmap);
}

void swmod_kplat_destroy(struct swmod_plat *plat)
{
	if (!plat)
		return;
	swmod_dmap_destroy(plat->dmap);
	if (plat->sha384)
		crypto_free_shash(plat->sha384);
	kfree(plat);
}

int swmod_plat_sha384_init(struct swmod_plat *plat, void *ctx)
{
	struct shash_desc *desc = ctx;

	if (!plat->sha384)
		return -ENODEV;
	desc->tfm = plat->sha384;
	return crypto_shash_init(desc);
}

void swmod_plat_sha384_update(struct swmod_plat *plat, void *ctx,
			      const void *data, size_t len)
{
	crypto_shash_update(ctx, data, len);
}

void swmod_plat_sha384_final(struct swmod_plat *plat, void *ctx, u8 *digest)
{
	crypto_shash_final(ctx, digest);
}

/* LP index -> dense package number, for swmod_config.lp_pkg. */
void swmod_kplat_topology(u8 *lp_pkg, unsigned int nr_lps)
{
	unsigned int cpu;

	for (cpu = 0; cpu < nr_lps; cpu++)
		lp_pkg[cpu] = cpu_possible(cpu) ?
			      topology_logical_package_id(cpu) : 0;
}

/* The module's own accesses: TDX memory through the alias, never hidden. */
void *swmod_plat_pa_to_va(struct swmod_plat *plat, u64 pa, bool write)
{
	void *va = swmod_dmap_va(plat->dmap, pa);

	if (va)
		return va;
	if (!pfn_valid(PHYS_PFN(pa)))
		return NULL;
	return phys_to_virt(pa);
}

u64 swmod_plat_va_to_pa(struct swmod_plat *plat, const void *va)
{
	u64 pa = swmod_dmap_pa(plat->dmap, va);

	if (pa != ~0ULL)
		return pa;
	if (!virt_addr_valid(va))
		return ~0ULL;
	return virt_to_phys((void *)va);
}

void swmod_plat_set_owned(struct swmod_plat *plat, u64 pa, u64 size,
			  bool owned)
{
	swmod_dmap_set_owned(plat->dmap, pa, size, owned);
}

unsigned int swmod_plat_cur_lp(struct swmod_plat *plat)
{
	return smp_processor_id();
}

u32 swmod_plat_cmpxchg32(u32 *ptr, u32 old, u32 new)
{
	return cmpxchg(ptr, old, new);
}

u64 swmod_plat_add_return64(u64 *ptr, u64 val)
{
	u64 old;

	do {
		old = READ_ONCE(*ptr);
	} while (cmpxchg64(ptr, old, old + val) != old);
	return old + val;
}

void *swmod_plat_zalloc(size_t size)
{
	return kvzalloc(size, GFP_KERNEL);
}

void swmod_plat_free(void *ptr)
{
	kvfree(ptr);
}
