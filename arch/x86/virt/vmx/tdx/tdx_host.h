/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TDX host core: interfaces between tdx.c, tdx_sysfs.c and
 * tdx_lifecycle.c.  Software definitions only; the hardware ones are
 * in tdx.h.
 */
#ifndef _X86_VIRT_TDX_HOST_H
#define _X86_VIRT_TDX_HOST_H

#include <linux/types.h>
#include <asm/tdx.h>

#include "tdx.h"

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

/* A consistent snapshot of the module state, for readers. */
struct tdx_state_view {
	enum tdx_module_state state;
	int err;
	int failed_step;
	const char *failed_step_name;
	const struct tdsysinfo_struct *sysinfo;	/* NULL until SYS.INFO */
	const struct cmr_info *cmrs;
	unsigned int nr_cmrs;
	const struct tdmr_list *tdmrs;		/* NULL until initialized */
	u64 enable_ns;
};

/*
 * What /sys/firmware/tdx shows: plain values, a copy taken when
 * tdx_enable() ends, so that readers never wait for it.
 */
struct tdx_summary {
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
	u64 pamt_kb;		/* once initialized */
	unsigned int nr_tdmrs;	/* once initialized */
};

u64 __seamcall(u64 fn, u64 rcx, u64 rdx, u64 r8, u64 r9,
	       struct tdx_module_output *out);

enum tdx_backend tdx_get_backend(void);
void tdx_get_keyids(u32 *start, u32 *nr);
long tdx_pamt_pages_allocated(void);
int tdx_with_state(int (*fn)(const struct tdx_state_view *v, void *arg),
		   void *arg);
int tdx_sysinfo_this_cpu(void);
void tdx_get_summary(struct tdx_summary *sum);
int tdx_swmod_reset_module(void);

/* tdx_debugfs.c: /sys/kernel/debug/tdx/. */
void tdx_debugfs_init(void);

/* tdx_lifecycle.c: hotplug and kexec rules around tdx_enable(). */
void tdx_lifecycle_initialized(const struct tdx_memblock *mem,
			       unsigned int nr);
int tdx_lifecycle_hooks_ready(void);
void tdx_lifecycle_keyids_in_use(void);
unsigned int tdx_memlist_add_online(struct tdx_memblock *mem, u64 start,
				    u64 end, int nid);
int tdx_lifecycle_enable_begin(void);
void tdx_lifecycle_enable_failed(void);

/* tdx.c: the partial-write machine-check erratum. */
bool tdx_has_pw_mce_erratum(void);
u64 tdx_reset_pamts(void);

#endif /* _X86_VIRT_TDX_HOST_H */
