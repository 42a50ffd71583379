/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/errno.h>.  The C library's <errno.h>
 * itself includes <linux/errno.h> (this file), so pull the numbers from
 * the UAPI header directly.
 */
#ifndef _SHIM_LINUX_ERRNO_H
#define _SHIM_LINUX_ERRNO_H

#include <asm/errno.h>

#endif
