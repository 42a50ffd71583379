/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-in for <linux/kernel.h>: ARRAY_SIZE, snprintf() (libc's),
 * and the number parsers the software module's option parser uses
 * (lib/kstrtox.c, lib/vsprintf.c's simple_strtoull() and
 * lib/cmdline.c's memparse()), written to the kernel's rules: base 0
 * means 0x hex, 0 octal, else decimal; kstrto* take one '+' and one
 * trailing newline, refuse anything else after the digits and report
 * overflow as -ERANGE; memparse() stops at the first non-digit, ignores
 * overflow and takes one K/M/G/T/P/E suffix.
 */
#ifndef _SHIM_LINUX_KERNEL_H
#define _SHIM_LINUX_KERNEL_H

#include <stdio.h>		/* snprintf(), declared here in 6.1 */
#include <linux/types.h>
#include <linux/errno.h>

#define ARRAY_SIZE(arr)		(sizeof(arr) / sizeof((arr)[0]))

static inline unsigned int shim_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 16;
}

static inline const char *shim_radix(const char *s, unsigned int *base)
{
	if (*base == 0) {
		if (s[0] == '0') {
			if ((s[1] == 'x' || s[1] == 'X') && shim_digit(s[2]) < 16)
				*base = 16;
			else
				*base = 8;
		} else {
			*base = 10;
		}
	}
	if (*base == 16 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	return s;
}

/* Digits parsed; *@overflow set when the value does not fit. */
static inline unsigned int shim_parse(const char *s, unsigned int base,
				      u64 *res, bool *overflow)
{
	unsigned int n = 0, d;
	u64 v = 0;

	*overflow = false;
	while ((d = shim_digit(s[n])) < base) {
		if (v > (~0ULL - d) / base)
			*overflow = true;
		v = v * base + d;
		n++;
	}
	*res = v;
	return n;
}

static inline int kstrtoull(const char *s, unsigned int base, u64 *res)
{
	bool overflow;
	unsigned int n;
	u64 v;

	if (s[0] == '+')
		s++;
	s = shim_radix(s, &base);
	n = shim_parse(s, base, &v, &overflow);
	if (!n)
		return -EINVAL;
	if (overflow)
		return -ERANGE;
	s += n;
	if (*s == '\n')
		s++;
	if (*s)
		return -EINVAL;
	*res = v;
	return 0;
}

static inline int kstrtou64(const char *s, unsigned int base, u64 *res)
{
	return kstrtoull(s, base, res);
}

static inline int kstrtou32(const char *s, unsigned int base, u32 *res)
{
	u64 v;
	int ret = kstrtoull(s, base, &v);

	if (ret)
		return ret;
	if (v != (u32)v)
		return -ERANGE;
	*res = v;
	return 0;
}

static inline int kstrtou16(const char *s, unsigned int base, u16 *res)
{
	u64 v;
	int ret = kstrtoull(s, base, &v);

	if (ret)
		return ret;
	if (v != (u16)v)
		return -ERANGE;
	*res = v;
	return 0;
}

static inline unsigned long long memparse(const char *ptr, char **retptr)
{
	unsigned int base = 0, shift = 0;
	const char *s = shim_radix(ptr, &base);
	bool overflow;
	u64 v;

	s += shim_parse(s, base, &v, &overflow);
	switch (*s) {
	case 'E': case 'e': shift += 10; /* fall through */
	case 'P': case 'p': shift += 10; /* fall through */
	case 'T': case 't': shift += 10; /* fall through */
	case 'G': case 'g': shift += 10; /* fall through */
	case 'M': case 'm': shift += 10; /* fall through */
	case 'K': case 'k': shift += 10; s++;
	}
	if (retptr)
		*retptr = (char *)s;
	return shift < 64 ? v << shift : 0;
}

#endif
