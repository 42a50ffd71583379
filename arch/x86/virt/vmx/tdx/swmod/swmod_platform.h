/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Software TDX module: the platform interface.
 *
 * The engine reaches the outside world only through these functions.
 * There are two implementations: the kernel one (swmod_kplat.c) and
 * the userspace one in tools/testing/tdx-swmod (sparse memory).
 * struct swmod_plat is opaque to the engine.
 */
#ifndef __SWMOD_PLATFORM_H
#define __SWMOD_PLATFORM_H

#include <linux/types.h>

struct swmod_plat;
struct swmod_cmr_info;

/*
 * Map the physical address @pa (no KeyID bits) and return a pointer to
 * it that is valid up to the end of its 4 KiB page.  Returns NULL if
 * the PA cannot be accessed.  A userspace platform may return NULL for
 * a read (@write == false) of a page that was never touched; the
 * engine then reads zeroes without making the page resident.
 */
void *swmod_plat_pa_to_va(struct swmod_plat *plat, u64 pa, bool write);

/* Inverse of swmod_plat_pa_to_va(); ~0ULL if @va is not platform memory. */
u64 swmod_plat_va_to_pa(struct swmod_plat *plat, const void *va);

/*
 * Page ownership changed: the @size bytes at @pa (a 4K, 2M or 1G page,
 * aligned) became TD-owned (@owned), or went back to PT_NDA.  Called
 * from the one place the PAMT type of a page changes that way
 * (pamt.c), with the entry locked exclusive and preemption off: must
 * not sleep.  The kernel platform takes the pages out of the host's
 * direct map (and puts them back); the userspace platform checks the
 * calls and makes host accesses to owned pages visible.  The engine's
 * own accesses, through swmod_plat_pa_to_va(), must keep working.
 */
void swmod_plat_set_owned(struct swmod_plat *plat, u64 pa, u64 size,
			  bool owned);

/* Index of the logical processor executing the SEAMCALL. */
unsigned int swmod_plat_cur_lp(struct swmod_plat *plat);

/* Atomic compare-and-exchange; returns the previous value. */
u32 swmod_plat_cmpxchg32(u32 *ptr, u32 old, u32 new);

/* Atomic add; returns the new value. */
u64 swmod_plat_add_return64(u64 *ptr, u64 val);

/*
 * SHA-384 for MRTD.  @ctx is SWMOD_SHA384_CTX_SIZE bytes, 64-byte
 * aligned, kept in the TD's TDCS page: the engine allocates nothing.
 * Never sleep (leaves run with preemption off).  init returns 0 or
 * -errno (no SHA-384 on this platform).
 */
int swmod_plat_sha384_init(struct swmod_plat *plat, void *ctx);
void swmod_plat_sha384_update(struct swmod_plat *plat, void *ctx,
			      const void *data, size_t len);
void swmod_plat_sha384_final(struct swmod_plat *plat, void *ctx, u8 *digest);

/*
 * Zeroed allocation for instance state.  Never called from a SEAMCALL
 * path, only from swmod_create()/swmod_destroy().
 */
void *swmod_plat_zalloc(size_t size);
void swmod_plat_free(void *ptr);

#ifdef __KERNEL__
/* The kernel implementation (swmod_kplat.c). */
struct swmod_plat *swmod_kplat_create(void);
void swmod_kplat_destroy(struct swmod_plat *plat);
void swmod_kplat_topology(u8 *lp_pkg, unsigned int nr_lps);
void swmod_kplat_unmap_init(struct swmod_plat *plat,
			    const struct swmod_cmr_info *cmrs,
			    unsigned int nr_cmrs);
int swmod_kplat_unmap_enable(struct swmod_plat *plat, bool on);
bool swmod_kplat_unmap_enabled(struct swmod_plat *plat);
#endif

#endif /* __SWMOD_PLATFORM_H */
