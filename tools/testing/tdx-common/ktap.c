// SPDX-License-Identifier: GPL-2.0
/*
 * KTAP reporting and the seeded RNG shared by the TDX userspace
 * harnesses (ktap.h).  Failure messages are indented diagnostics of the
 * current test; after 20 of them the rest are counted, not shown.
 */
#include <stdarg.h>
#include <stdio.h>

#include "ktap.h"

#define T_SHOWN_MAX	20

static const char *t_name;
static int t_fail_count;

u64 rng_next(struct rng *r)
{
	/* splitmix64 */
	u64 z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

u64 rng_range(struct rng *r, u64 lo, u64 hi)
{
	if (hi <= lo)
		return lo;
	if (hi - lo == ~0ULL)
		return rng_next(r);
	return lo + rng_next(r) % (hi - lo + 1);
}

bool rng_chance(struct rng *r, unsigned int percent)
{
	return rng_next(r) % 100 < percent;
}

void t_begin(const char *name)
{
	t_name = name;
	t_fail_count = 0;
}

bool t_end(unsigned int nr)
{
	if (t_fail_count > T_SHOWN_MAX)
		printf("    # %s: %d more failures not shown\n", t_name,
		       t_fail_count - T_SHOWN_MAX);
	printf("%s %u %s\n", t_fail_count ? "not ok" : "ok", nr, t_name);
	return t_fail_count != 0;
}

int t_failures(void)
{
	return t_fail_count;
}

bool t_failed(void)
{
	return t_fail_count != 0;
}

void t_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	t_fail_count++;
	if (t_fail_count > T_SHOWN_MAX)
		return;		/* keep the log readable */
	printf("    # %s: %s:%d: ", t_name, file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

void t_diag(const char *fmt, ...)
{
	va_list ap;

	printf("    # ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}
