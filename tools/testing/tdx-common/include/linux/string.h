/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _SHIM_LINUX_STRING_H
#define _SHIM_LINUX_STRING_H

#include <string.h>
#include <sys/types.h>
#include <linux/errno.h>

/* The kernel's strscpy(): always terminated, -E2BIG when cut. */
static inline ssize_t strscpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (!size)
		return -E2BIG;
	if (len >= size) {
		memcpy(dst, src, size - 1);
		dst[size - 1] = '\0';
		return -E2BIG;
	}
	memcpy(dst, src, len + 1);
	return len;
}

#endif
