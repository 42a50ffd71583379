// SPDX-License-Identifier: GPL-2.0
/*
 * Software TDX module: the kernel platform.
 *
 * Minimal on purpose: physical memory is the direct map, the current LP
 * is the current CPU, atomics are the kernel's and SHA-384 is the
 * crypto API's.  The host core (tdx_swmod.c) calls into the engine with
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

/*
 * The SHA-384 transform is allocated here, in process context, because
 * the leaves that hash run with preemption off and must not sleep;
 * hashing with a preallocated transform and an on-stack (here:
 * in-TDCS) descriptor does not.
 */
struct swmod_plat {
	struct crypto_shash *sha384;	/* NULL: MNG.INIT cannot measure */
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

void swmod_kplat_destroy(struct swmod_plat *plat)
{
	if (plat && plat->sha384)
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

void *swmod_plat_pa_to_va(struct swmod_plat *plat, u64 pa, bool write)
{
	if (!pfn_valid(PHYS_PFN(pa)))
		return NULL;
	return phys_to_virt(pa);
}

u64 swmod_plat_va_to_pa(struct swmod_plat *plat, const void *va)
{
	if (!virt_addr_valid(va))
		return ~0ULL;
	return virt_to_phys((void *)va);
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

/* TD-owned pages stay in the direct map. */
void swmod_plat_set_owned(struct swmod_plat *plat, u64 pa, u64 size,
			  bool owned)
{
}
