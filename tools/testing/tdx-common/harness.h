/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal KTAP test harness shared by the TDX userspace harnesses, on
 * ktap.h: top-level tests, EXPECT_* (record and go on) and ASSERT_*
 * (record and leave the test), a seeded RNG per test.  A harness linking harness.c defines
 * all_tests[], ended by an entry with a NULL name.
 */
#ifndef _HARNESS_H
#define _HARNESS_H

#include <setjmp.h>
#include <stdio.h>
#include <linux/types.h>

#include "ktap.h"

struct test_case {
	const char *name;
	void (*fn)(struct rng *r);
};

/* Defined by the harness that links harness.c (its main()). */
extern const struct test_case all_tests[];

extern int verbose;

void t_skip(const char *reason);
void t_abort_test(void) __attribute__((noreturn));

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
