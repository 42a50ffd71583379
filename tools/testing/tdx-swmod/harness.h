/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal KTAP test harness: top-level tests, EXPECT_* (record and go
 * on) and ASSERT_* (record and leave the test), a seeded RNG.
 */
#ifndef _HARNESS_H
#define _HARNESS_H

#include <setjmp.h>
#include <stdio.h>
#include <linux/types.h>

struct rng {
	u64 s;
};

u64 rng_next(struct rng *r);
/* Uniform in [lo, hi]. */
u64 rng_range(struct rng *r, u64 lo, u64 hi);
bool rng_chance(struct rng *r, unsigned int percent);

struct test_case {
	const char *name;
	void (*fn)(struct rng *r);
};

extern int verbose;

void t_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void t_skip(const char *reason);
void t_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void t_abort_test(void) __attribute__((noreturn));
bool t_failed(void);

#define EXPECT_EQ(a, b) ({						\
	u64 __a = (u64)(a), __b = (u64)(b);				\
	bool __ok = __a == __b;						\
	if (!__ok)							\
		t_fail(__FILE__, __LINE__, "%s == %s: got %#llx, want %#llx", \
		       #a, #b, __a, __b);				\
	__ok;								\
})

#define EXPECT_TRUE(c) ({						\
	bool __ok = !!(c);						\
	if (!__ok)							\
		t_fail(__FILE__, __LINE__, "expected %s", #c);		\
	__ok;								\
})

#define ASSERT_EQ(a, b) do { if (!EXPECT_EQ(a, b)) t_abort_test(); } while (0)
#define ASSERT_TRUE(c)	do { if (!EXPECT_TRUE(c)) t_abort_test(); } while (0)

#endif
