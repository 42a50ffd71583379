// SPDX-License-Identifier: GPL-2.0
/*
 * Software TDX module: the platform model.
 *
 * KeyID partitioning, convertible memory ranges, logical processors and
 * packages, and whether SEAM and the module are present at all.  Also
 * the engine's only paths to memory and its try-locks, both built on
 * swmod_platform.h.
 *
 * The model is CPU-vendor neutral: nothing here looks at CPUID, so the
 * engine runs the same on the AMD-flavoured QEMU CPUs used for nested
 * SVM as on Intel parts.
 */

#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/align.h>
#include <linux/compiler.h>

#include "swmod_state.h"
#include "swmod_platform.h"

#define SWMOD_FIRST_MB		(1ULL << 20)

u32 swmod_keyid_bits_for(u32 nr_mktme_keyids, u32 nr_tdx_keyids)
{
	u64 total = (u64)nr_mktme_keyids + nr_tdx_keyids;	/* + KeyID 0 */
	u32 bits = 0;

	while ((1ULL << bits) <= total)
		bits++;
	return bits;
}

/*
 * What TDH.SYS.INIT says about a KeyID partitioning (MSR 0x87): no TDX
 * KeyIDs at all (TDX_INCORRECT_MSR_VALUE|0x87, our choice of code), or
 * a last private KeyID beyond what the module's tables hold.
 */
u64 swmod_keyids_status(u32 nr_mktme_keyids, u32 nr_tdx_keyids)
{
	if (!nr_tdx_keyids)
		return SWMOD_TDX_INCORRECT_MSR_VALUE |
		       SWMOD_MSR_IA32_MKTME_KEYID_PARTITIONING;
	if ((u64)nr_mktme_keyids + nr_tdx_keyids >= SWMOD_MAX_HKIDS)
		return SWMOD_TDX_NUM_ACTIVATED_HKIDS_NOT_SUPPORTED;
	return SWMOD_TDX_SUCCESS;
}

/*
 * The KeyID partitioning of a platform, checked once, here, for every
 * way a platform is made (swmod_create(), and the tdx_swmod= parser so
 * that a kernel never announces KeyIDs it cannot get a module for):
 *   -ERANGE  the KeyIDs (plus KeyID 0) do not fit in @keyid_bits (0:
 *            the smallest that fits), or need more than 16 bits, which
 *            we keep well above any memory we can describe;
 *   -EINVAL  @handover: a module a previous kernel initialized, but
 *            TDH.SYS.INIT refuses these KeyIDs, so none could have
 *            been.  The state handed over (the global KeyID's entry in
 *            the KeyID table) only exists for KeyIDs SYS.INIT accepts.
 * A platform whose KeyIDs TDH.SYS.INIT refuses is otherwise fine: real
 * hardware may have more KeyIDs than a module supports.
 */
int swmod_check_keyids(u32 nr_mktme_keyids, u32 nr_tdx_keyids,
		       u32 keyid_bits, bool handover)
{
	u32 bits = keyid_bits;

	if (!bits)
		bits = swmod_keyid_bits_for(nr_mktme_keyids, nr_tdx_keyids);
	if (bits > 16 ||
	    (u64)nr_mktme_keyids + nr_tdx_keyids >= (1ULL << bits))
		return -ERANGE;
	if (handover &&
	    swmod_keyids_status(nr_mktme_keyids, nr_tdx_keyids) !=
	    SWMOD_TDX_SUCCESS)
		return -EINVAL;
	return 0;
}

static int swmod_init_keyids(struct swmod *m, const struct swmod_config *cfg)
{
	u32 bits = cfg->keyid_bits;

	if (swmod_check_keyids(cfg->nr_mktme_keyids, cfg->nr_tdx_keyids,
			       bits, cfg->handover_ready))
		return -EINVAL;
	if (!bits)
		bits = swmod_keyid_bits_for(cfg->nr_mktme_keyids,
					    cfg->nr_tdx_keyids);

	m->nr_mktme_keyids = cfg->nr_mktme_keyids;
	m->nr_tdx_keyids = cfg->nr_tdx_keyids;
	m->keyid_bits = bits;
	m->hkid_shift = SWMOD_MAX_PA - bits;
	m->hkid_mask = bits ? GENMASK_ULL(SWMOD_MAX_PA - 1, m->hkid_shift) : 0;
	m->private_hkid_min = cfg->nr_mktme_keyids + 1;
	m->private_hkid_max = cfg->nr_mktme_keyids + cfg->nr_tdx_keyids;
	return 0;
}

static int swmod_init_lps(struct swmod *m, const struct swmod_config *cfg)
{
	u32 seen = 0;
	unsigned int i;

	if (!cfg->nr_lps || cfg->nr_lps > SWMOD_MAX_LPS)
		return -EINVAL;

	m->lps = swmod_plat_zalloc(cfg->nr_lps * sizeof(*m->lps));
	if (!m->lps)
		return -ENOMEM;
	m->nr_lps = cfg->nr_lps;

	m->nr_pkgs = 0;
	m->nr_enabled_lps = 0;
	for (i = 0; i < m->nr_lps; i++) {
		u8 pkg = cfg->lp_pkg ? cfg->lp_pkg[i] : 0;

		m->lps[i].online = true;
		m->lps[i].vmx_on = true;
		/* An LP the BIOS did not enable belongs to no package. */
		if (cfg->lp_enabled && !cfg->lp_enabled[i])
			continue;
		if (pkg >= SWMOD_MAX_PKGS)
			return -EINVAL;
		m->lps[i].enabled = true;
		m->lps[i].pkg = pkg;
		m->nr_enabled_lps++;
		seen |= 1U << pkg;
		if (pkg + 1 > m->nr_pkgs)
			m->nr_pkgs = pkg + 1;
	}
	/* Packages are numbered densely: every package has an LP. */
	if (!m->nr_enabled_lps || seen != (1U << m->nr_pkgs) - 1)
		return -EINVAL;
	return 0;
}

/*
 * The state a previous kernel left: module ready, every enabled LP
 * initialized, every package keyed.  The TDMR table and the global
 * KeyID lived in the old module's memory and are not modelled, so no
 * TDMR is known.
 */
static void swmod_handover_ready(struct swmod *m)
{
	unsigned int i;

	for (i = 0; i < m->nr_lps; i++)
		if (m->lps[i].enabled)
			m->lps[i].lp_init = true;
	m->nr_init_lps = m->nr_enabled_lps;
	m->pkg_configured = (1U << m->nr_pkgs) - 1;
	m->global_hkid = m->private_hkid_min;
	m->kot[m->global_hkid] = SWMOD_KOT_RESERVED;
	m->sys_state = SWMOD_SYS_READY;
}

/*
 * Set up the platform model of a fresh (zeroed) instance from @cfg.
 * Called by swmod_create() only; on failure the caller undoes it with
 * swmod_platform_fini().
 */
int swmod_platform_init(struct swmod *m, const struct swmod_config *cfg)
{
	int ret;

	if (cfg->nr_cmrs > SWMOD_MAX_CMRS)
		return -EINVAL;

	ret = swmod_init_lps(m, cfg);
	if (ret)
		return ret;
	ret = swmod_init_keyids(m, cfg);
	if (ret)
		return ret;

	/* Entries past nr_cmrs are null, whatever the caller left there. */
	m->nr_cmrs = cfg->nr_cmrs;
	memcpy(m->cmrs, cfg->cmrs, cfg->nr_cmrs * sizeof(m->cmrs[0]));
	m->seamrr_base = cfg->seamrr_base;
	m->seamrr_size = cfg->seamrr_size;
	m->presence = cfg->presence;
	m->validate_only = cfg->validate_only;
	m->boot_nt4 = cfg->boot_nt4;
	m->sys_state = SWMOD_SYSINIT_PENDING;
	if (cfg->handover_ready)
		swmod_handover_ready(m);
	return 0;
}

void swmod_platform_fini(struct swmod *m)
{
	swmod_plat_free(m->lps);
	m->lps = NULL;
}

unsigned int swmod_nr_lps(const struct swmod *m)
{
	return m->nr_lps;
}

unsigned int swmod_nr_pkgs(const struct swmod *m)
{
	return m->nr_pkgs;
}

unsigned int swmod_nr_enabled_lps(const struct swmod *m)
{
	return m->nr_enabled_lps;
}

unsigned int swmod_lp_pkg(const struct swmod *m, unsigned int lp)
{
	return lp < m->nr_lps ? m->lps[lp].pkg : ~0U;
}

/*
 * Offlining an LP is an OS action the module never sees: its per-LP
 * state (lp_init, shut_down) is kept and is there again when the LP
 * comes back.  An offline LP simply cannot issue SEAMCALLs.
 */
int swmod_lp_set_online(struct swmod *m, unsigned int lp, bool online)
{
	if (lp >= m->nr_lps)
		return -EINVAL;
	WRITE_ONCE(m->lps[lp].online, online);
	return 0;
}

/*
 * The LP was removed from the platform (ACPI eject).  Whatever comes
 * back under its index is a new processor that MCHECK never saw: not
 * enabled (SEAMCALL raises #GP), no LP.INIT, no package, and no longer
 * counted among the LPs SYS.CONFIG waits for.  The caller issues no
 * SEAMCALL on the LP while this runs (the CPU is offline).
 */
int swmod_lp_remove(struct swmod *m, unsigned int lp)
{
	struct swmod_lp_state *s;

	if (lp >= m->nr_lps)
		return -EINVAL;
	s = &m->lps[lp];
	if (!s->enabled)
		return -ENODEV;
	if (s->lp_init)
		swmod_plat_add_return64(&m->nr_init_lps, (u64)-1);
	m->nr_enabled_lps--;
	/* The OS view (online, VMX) is the caller's business. */
	s->enabled = false;
	s->lp_init = false;
	s->shut_down = false;
	s->pkg = 0;
	return 0;
}

/*
 * Zero [@pa, @pa + @size) with full 64-byte stores, as the host's
 * MOVDIR64B reset on the partial-write erratum would.  @pa and @size
 * are 64-byte aligned.
 */
void swmod_reset_memory(struct swmod *m, u64 pa, u64 size)
{
	static const u8 zero[64];
	u64 off;

	for (off = 0; off + sizeof(zero) <= size; off += sizeof(zero))
		swmod_mem_write(m, pa + off, zero, sizeof(zero));
	swmod_plat_add_return64(&m->stats.reset_bytes, off);
}

int swmod_lp_set_vmx(struct swmod *m, unsigned int lp, bool vmx_on)
{
	if (lp >= m->nr_lps)
		return -EINVAL;
	WRITE_ONCE(m->lps[lp].vmx_on, vmx_on);
	return 0;
}

void swmod_set_presence(struct swmod *m, enum swmod_presence presence)
{
	WRITE_ONCE(m->presence, presence);
}

unsigned int swmod_cur_lp(struct swmod *m)
{
	return swmod_plat_cur_lp(m->plat);
}

/*
 * Build a CMR list from a RAM map the way a BIOS reports it: sorted,
 * 4 KiB aligned (inwards), adjacent or overlapping ranges merged, the
 * first 1 MiB left out.  -ENOSPC if more than SWMOD_MAX_CMRS result.
 * Quadratic selection sort so that the input need not be copied.
 */
int swmod_cmrs_from_ram(const struct swmod_range *ram, unsigned int nr_ram,
			struct swmod_cmr_info *cmrs, unsigned int *nr_cmrs)
{
	unsigned int n = 0, done, i, prev = ~0U;
	u64 prev_start = 0;

	memset(cmrs, 0, SWMOD_MAX_CMRS * sizeof(*cmrs));
	for (done = 0; done < nr_ram; done++) {
		unsigned int pick = ~0U;
		u64 start, end;

		/* Next range in (start, index) order after the last one. */
		for (i = 0; i < nr_ram; i++) {
			bool after = prev == ~0U || ram[i].start > prev_start ||
				     (ram[i].start == prev_start && i > prev);

			if (!after)
				continue;
			if (pick == ~0U || ram[i].start < ram[pick].start)
				pick = i;
		}
		prev = pick;
		prev_start = ram[pick].start;

		start = ram[pick].start;
		end = ram[pick].end;
		if (start < SWMOD_FIRST_MB)
			start = SWMOD_FIRST_MB;
		start = ALIGN(start, SWMOD_SZ_4K);
		end = ALIGN_DOWN(end, SWMOD_SZ_4K);
		if (end <= start)
			continue;

		if (n && start <= cmrs[n - 1].base + cmrs[n - 1].size) {
			u64 cend = cmrs[n - 1].base + cmrs[n - 1].size;

			if (end > cend)
				cmrs[n - 1].size = end - cmrs[n - 1].base;
			continue;
		}
		if (n == SWMOD_MAX_CMRS)
			return -ENOSPC;
		cmrs[n].base = start;
		cmrs[n].size = end - start;
		n++;
	}
	*nr_cmrs = n;
	return 0;
}

/*
 * CMR sanity as TDH.SYS.INIT checks it.  The doc only says "CMR
 * sanity"; we decided on: at least one CMR, non-null entries first and
 * nulls only at the tail, 4 KiB aligned base and size, no wrap, every
 * byte below 2^52 and free of KeyID bits, sorted ascending without
 * overlap (adjacent is fine).  Below-1-MiB CMRs are not refused: the
 * 1 MiB rule belongs to the BIOS (swmod_cmrs_from_ram()), and tests
 * may override CMRs to disagree with RAM on purpose.
 */
u64 swmod_check_cmrs(const struct swmod_cmr_info *cmrs, unsigned int nr,
		     u64 hkid_mask)
{
	u64 prev_end = 0;
	bool null_seen = false;
	unsigned int i, live = 0;

	for (i = 0; i < nr; i++) {
		u64 base = cmrs[i].base, size = cmrs[i].size, last;

		if (!size) {
			null_seen = true;
			continue;
		}
		if (null_seen)
			return SWMOD_TDX_CMR_LIST_INVALID;
		if (!IS_ALIGNED(base, SWMOD_SZ_4K) ||
		    !IS_ALIGNED(size, SWMOD_SZ_4K))
			return SWMOD_TDX_CMR_LIST_INVALID;
		last = base + size - 1;
		if (last < base || (last >> SWMOD_MAX_PA) ||
		    (last & hkid_mask) || (base & hkid_mask))
			return SWMOD_TDX_CMR_LIST_INVALID;
		if (live && base < prev_end)
			return SWMOD_TDX_CMR_LIST_INVALID;
		prev_end = base + size;
		live++;
	}
	return live ? SWMOD_TDX_SUCCESS : SWMOD_TDX_CMR_LIST_INVALID;
}

u64 swmod_pa_strip_keyid(const struct swmod *m, u64 pa)
{
	return pa & ~m->hkid_mask;
}

/*
 * The module's "shared HPA" check: below 2^52, KeyID no larger than
 * the last MKTME (non-TDX) KeyID, and not inside SEAMRR.
 */
bool swmod_pa_is_shared(const struct swmod *m, u64 pa)
{
	u64 keyid, raw;

	if (pa >> SWMOD_MAX_PA)
		return false;
	keyid = m->hkid_mask ? (pa & m->hkid_mask) >> m->hkid_shift : 0;
	if (keyid > m->nr_mktme_keyids)
		return false;
	raw = swmod_pa_strip_keyid(m, pa);
	if (m->seamrr_size && raw >= m->seamrr_base &&
	    raw - m->seamrr_base < m->seamrr_size)
		return false;
	return true;
}

/* Copy from physical memory; unmapped or untouched pages read as 0. */
void swmod_mem_read(struct swmod *m, u64 pa, void *buf, size_t len)
{
	u8 *dst = buf;

	while (len) {
		size_t chunk = SWMOD_SZ_4K - (pa & (SWMOD_SZ_4K - 1));
		void *va;

		if (chunk > len)
			chunk = len;
		va = swmod_plat_pa_to_va(m->plat, pa, false);
		if (va)
			memcpy(dst, va, chunk);
		else
			memset(dst, 0, chunk);
		dst += chunk;
		pa += chunk;
		len -= chunk;
	}
}

/* Copy to physical memory; writes the platform cannot map are counted. */
void swmod_mem_write(struct swmod *m, u64 pa, const void *buf, size_t len)
{
	const u8 *src = buf;

	while (len) {
		size_t chunk = SWMOD_SZ_4K - (pa & (SWMOD_SZ_4K - 1));
		void *va;

		if (chunk > len)
			chunk = len;
		va = swmod_plat_pa_to_va(m->plat, pa, true);
		if (va)
			memcpy(va, src, chunk);
		else
			swmod_plat_add_return64(&m->stats.dropped_writes, 1);
		src += chunk;
		pa += chunk;
		len -= chunk;
	}
}

/*
 * The module's locks are all try-locks: contention is reported to the
 * host (TDX_SYS_BUSY, TDX_OPERAND_BUSY) instead of waited on.
 */
bool swmod_trylock(u32 *lock, bool exclusive)
{
	u32 old;

	if (exclusive)
		return swmod_plat_cmpxchg32(lock, 0, SWMOD_LOCK_EXCL) == 0;

	do {
		old = READ_ONCE(*lock);
		if (old & SWMOD_LOCK_EXCL)
			return false;
	} while (swmod_plat_cmpxchg32(lock, old, old + 1) != old);
	return true;
}

void swmod_unlock(u32 *lock, bool exclusive)
{
	u32 old;

	if (exclusive) {
		swmod_plat_cmpxchg32(lock, SWMOD_LOCK_EXCL, 0);
		return;
	}
	do {
		old = READ_ONCE(*lock);
	} while (swmod_plat_cmpxchg32(lock, old, old - 1) != old);
}
