/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KTAP reporting and the seeded RNG shared by the TDX userspace
 * harnesses.  harness.c builds a runner on it (harness.h); a harness
 * with its own main() (options of its own) uses it directly:
 *
 *	t_begin(name);  ...CHECK()s, t_diag()s...  failed += t_end(nr);
 */
#ifndef _KTAP_H
#define _KTAP_H

#include <linux/types.h>

struct rng {
	u64 s;
};

u64 rng_next(struct rng *r);
/* Uniform in [lo, hi]. */
u64 rng_range(struct rng *r, u64 lo, u64 hi);
bool rng_chance(struct rng *r, unsigned int percent);

/* A top-level test: starts counting its failures. */
void t_begin(const char *name);
/* Its result line, "ok NR NAME" or "not ok NR NAME"; true if it failed. */
bool t_end(unsigned int nr);
/* The current test's failures so far (0: none). */
int t_failures(void);
bool t_failed(void);

void t_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void t_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Record a failure and go on. */
#define CHECK(cond, fmt, ...) do {					\
	if (!(cond))							\
		t_fail(__FILE__, __LINE__, "%s: " fmt, #cond,		\
		       ##__VA_ARGS__);					\
} while (0)

#endif
