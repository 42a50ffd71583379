/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TDX host core: the interfaces between its files.  Software
 * definitions only; the hardware ones are in tdx.h.
 *
 * Who calls whom (Documentation/x86/tdx-host.rst, "Code layout"):
 *
 *   tdx_sysfs.c  tdx_debugfs.c		clients: read the state, call
 *        \         /			tdx_enable()
 *          tdx.c			owns the state (struct tdx_host)
 *        /   |    \   \
 *   tdmr.c   |  tdx_lifecycle.c	planner; the rules after init
 *            |        |
 *   tdx_memsrc.c  tdx_pamt.c  tdx_range.c   glue (mm), pure ranges
 *
 * No file calls a file above it.
 */
#ifndef _X86_VIRT_TDX_HOST_H
#define _X86_VIRT_TDX_HOST_H

#include <linux/types.h>
#include <linux/cpumask.h>
#include <asm/tdx.h>

#include "tdx.h"

struct tdh_vp_enter_regs;

enum tdx_backend {
	TDX_BACKEND_NONE = 0,	/* no TDX: quiet */
	TDX_BACKEND_SEAM,	/* the real TDX module, via SEAMCALL */
	TDX_BACKEND_SOFTWARE,	/* the software TDX module (tdx_swmod=) */
};

enum tdx_module_state {
	TDX_MODULE_UNINITIALIZED = 0,
	TDX_MODULE_INITIALIZED,
	TDX_MODULE_ERROR,	/* init failed; not retried */
};

/*
 * The state of the TDX host core.  One instance, owned by tdx.c; the
 * other files see it only as a const pointer, through
 * tdx_with_state() or tdx_lifecycle_initialized().
 */
struct tdx_host {
	/* Boot detection (tdx_init()); read-only afterwards. */
	enum tdx_backend backend;
	u32 keyid_start;
	u32 nr_keyids;
	bool pw_mce_erratum;		/* the partial-write erratum */

	/* Under the module lock (tdx.c). */
	enum tdx_module_state state;
	int err;			/* TDX_MODULE_ERROR: the errno */
	int failed_step;		/* and the step it failed in */
	bool sys_init_done;		/* TDH.SYS.INIT ran (not again) */
	struct cpumask lp_done;		/* CPUs that ran TDH.SYS.LP.INIT */
	struct tdsysinfo_struct *sysinfo;
	struct cmr_info *cmrs;
	unsigned int nr_cmrs;		/* 0: sysinfo and cmrs not valid */
	/* TDX memory and TDMRs: set once initialized, never changed. */
	struct tdx_memblock *mem;
	unsigned int nr_mem;
	struct tdmr_list tdmrs;
	size_t tdmrs_bytes;		/* of tdmrs.tdmrs */
	u32 global_keyid;
	u64 enable_ns;			/* how long tdx_enable() took */
};

/*
 * What /sys/firmware/tdx shows: plain values, a copy taken when
 * tdx_enable() ends, so that readers never wait for it.
 */
struct tdx_summary {
	enum tdx_backend backend;
	enum tdx_module_state state;
	int err;
	int failed_step;
	const char *failed_step_name;
	bool have_sysinfo;	/* the version fields are valid */
	u16 major_version;
	u16 minor_version;
	u32 vendor_id;
	u32 build_date;
	u16 build_num;
	u32 keyid_start;
	u32 nr_keyids;
	u64 pamt_kb;		/* once initialized */
	unsigned int nr_tdmrs;	/* once initialized */
};

u64 __seamcall(u64 fn, u64 rcx, u64 rdx, u64 r8, u64 r9,
	       struct tdx_module_output *out);

/* tdx.c: the state and its readers. */
/* tdx.c: one SEAMCALL on the boot-time backend, status raw (tdh.c). */
u64 tdx_seamcall_raw(u64 fn, u64 rcx, u64 rdx, u64 r8, u64 r9,
		     struct tdx_module_output *out);
u64 tdx_seamcall_vp_enter(phys_addr_t tdvpr, struct tdh_vp_enter_regs *regs);
void tdx_get_keyids(u32 *start, u32 *nr);
long tdx_pamt_pages_allocated(void);
int tdx_with_state(int (*fn)(const struct tdx_host *h, void *arg),
		   void *arg);
int tdx_sysinfo_this_cpu(void);
void tdx_get_summary(struct tdx_summary *sum);
int tdx_swmod_reset_module(void);

/* tdx_lifecycle.c: the rules around tdx_enable(), called by tdx.c. */
void tdx_lifecycle_init(void);
void tdx_lifecycle_exit(void);
int tdx_lifecycle_hooks_ready(void);
int tdx_lifecycle_enable_begin(void);
void tdx_lifecycle_enable_failed(void);
void tdx_lifecycle_keyids_in_use(void);
void tdx_movdir64b_clear(u64 base, u64 size);
void tdx_lifecycle_initialized(const struct tdx_host *host);
unsigned int tdx_memlist_add_online(struct tdx_memblock *mem, u64 start,
				    u64 end, int nid);
u64 tdx_reset_pamts(const struct tdx_host *host);

/*
 * Glue: exactly one implementation of each is linked.  In-tree:
 * tdx_memsrc.c (memblock) and tdx_pamt.c (alloc_contig_pages()); the
 * out-of-tree module links its own (System RAM resources, and
 * tdx_pamt_range.c on the exported alloc_contig_range()).  Callers
 * hold cpus_read_lock(), the memory hotplug lock and the module lock.
 */

/* Called once per RAM range; nonzero stops the walk and is returned. */
typedef int (*tdx_ram_fn)(u64 start, u64 end, int nid, void *arg);

/*
 * Where TDX memory comes from: @fn for every RAM range, [start, end)
 * in bytes, ascending and disjoint (ranges may touch), with its node.
 * @fn neither sleeps nor allocates.  The caller drops the first 1 MiB
 * and offline memory; the planner checks the CMRs.
 */
int tdx_memsrc_walk(tdx_ram_fn fn, void *arg);

/*
 * PAMT pages: @nr_pages contiguous pages on node @nid (NUMA_NO_NODE:
 * any), entirely inside [@lo, @hi), never in ZONE_MOVABLE, exactly the
 * pages asked for, not zeroed.  0 and *@base, -ENOMEM, or -EINTR when
 * a fatal signal is pending (the caller gives up; init is retryable).
 */
int tdx_pamt_alloc(unsigned long nr_pages, int nid, u64 lo, u64 hi,
		   u64 *base);
void tdx_pamt_free(u64 base, unsigned long nr_pages);

#endif /* _X86_VIRT_TDX_HOST_H */
