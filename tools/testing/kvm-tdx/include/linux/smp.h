/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace stand-in for <linux/smp.h>: what asm/tdx_tdh.h names. */
#ifndef _KVM_TDX_SHIM_SMP_H
#define _KVM_TDX_SHIM_SMP_H

typedef void (*smp_call_func_t)(void *info);

#endif
