/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TDX host core, out-of-tree module only: the glue between the module's
 * entry (tdx_module.c), its memory hotplug hold-off (tdx_module_mem.c)
 * and the core's initcalls.  The core's files reach the glue only
 * through compat/compat.h and the glue interface of tdx_host.h
 * (tdx_memsrc_walk(), in tdx_module_mem.c).
 */
#ifndef _X86_VIRT_TDX_MODULE_H
#define _X86_VIRT_TDX_MODULE_H

#include <linux/types.h>
#include <linux/init.h>

/* The core's initcalls (compat.h), called in the order built in. */
extern initcall_t tdx_initcall_tdx_init;		/* early */
extern initcall_t tdx_initcall_tdx_lifecycle_start;	/* subsys */
extern initcall_t tdx_initcall_tdx_sysfs_init;		/* late */
extern initcall_t tdx_initcall_tdx_debugfs_init;	/* late */
extern initcall_t tdx_initcall_tdx_boot_enable;		/* late_sync */

/* The core's exits (compat.h), called in the reverse order. */
extern exitcall_t tdx_exitcall_tdx_debugfs_exit;
extern exitcall_t tdx_exitcall_tdx_sysfs_exit;
extern exitcall_t tdx_exitcall_tdx_lifecycle_stop;
extern exitcall_t tdx_exitcall_tdx_exit;
extern exitcall_t tdx_exitcall_tdx_guest_exit;

int tdx_module_mem_init(void);
void tdx_module_mem_exit(void);

#endif /* _X86_VIRT_TDX_MODULE_H */
