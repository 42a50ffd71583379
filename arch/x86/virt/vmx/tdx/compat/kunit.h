/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The part of KUnit that tdh_test.c uses, for the out-of-tree build:
 * Debian's stock 6.1 kernel has no CONFIG_KUNIT, so the TD lifecycle
 * test would not build as a module for it otherwise.  The module
 * build force-includes this header into tdh_test.c only; its include
 * guard is KUnit's, so that <kunit/test.h> adds nothing after it.
 *
 * Same semantics as KUnit for what is here: each case runs in a
 * kthread after the suite's .init; a failed assertion or kunit_skip()
 * ends the case; memory from kunit_kzalloc() is freed after it.  The
 * suite runs when the module loads, prints KTAP to the kernel log and
 * leaves it in /sys/kernel/debug/kunit/SUITE/results, where KUnit
 * leaves it, until the module is unloaded.  Implemented in kunit.c.
 */
#ifndef _KUNIT_TEST_H
#define _KUNIT_TEST_H

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/list.h>
#include <linux/completion.h>
#include <linux/gfp.h>

enum kunit_status {
	KUNIT_SUCCESS,
	KUNIT_FAILURE,
	KUNIT_SKIPPED,
};

/* One running case; owned by kunit_run_suite(), seen by the case. */
struct kunit {
	const char *name;
	enum kunit_status status;
	char skip_reason[128];
	struct list_head allocs;	/* kunit_kzalloc() */
	struct completion done;
};

struct kunit_case {
	void (*run_case)(struct kunit *test);
	const char *name;
};

struct kunit_suite {
	const char *name;
	int (*init)(struct kunit *test);
	struct kunit_case *test_cases;
};

#define KUNIT_CASE(fn)	{ .run_case = fn, .name = #fn }

void *kunit_kzalloc(struct kunit *test, size_t size, gfp_t gfp);
__printf(4, 5)
void kunit_fail_at(struct kunit *test, const char *file, int line,
		   const char *fmt, ...);
/*
 * Do not return, but are not __noreturn: objtool knows only the
 * kernel's own no-return functions, and the code after a check must
 * stay well-formed.
 */
void kunit_abort(struct kunit *test);
__printf(2, 3)
void kunit_skip_case(struct kunit *test, const char *fmt, ...);

#define kunit_skip(test, fmt, ...)	kunit_skip_case(test, fmt, ##__VA_ARGS__)

/* kunit_log(): one line of the case's KTAP output (the level is unused). */
__printf(2, 3)
void kunit_log_line(struct kunit *test, const char *fmt, ...);
#define kunit_log(lvl, test, fmt, ...)	kunit_log_line(test, fmt, ##__VA_ARGS__)
#define KUNIT_SUBTEST_INDENT		"    "

/* A check of @cond; @abort: an assertion, which ends the case. */
#define KUNIT_T_CHECK(test, abort, cond, fmt, ...)			\
	do {								\
		struct kunit *__test = (test);				\
									\
		if (!(cond)) {						\
			kunit_fail_at(__test, __FILE__, __LINE__, fmt,	\
				      ##__VA_ARGS__);			\
			if (abort)					\
				kunit_abort(__test);			\
		}							\
	} while (0)

#define KUNIT_T_VALUES	"%s == %lld (%#llx), %s == %lld (%#llx)\n"

/* @left OP @right on integers, both values printed when it fails. */
#define KUNIT_T_BINARY(test, abort, left, op, right, fmt, ...)		\
	do {								\
		typeof(left) __left = (left);				\
		typeof(right) __right = (right);			\
									\
		KUNIT_T_CHECK(test, abort, __left op __right,		\
			      "Expected %s %s %s, but " KUNIT_T_VALUES fmt, \
			      #left, #op, #right,			\
			      #left, (long long)__left, (long long)__left, \
			      #right, (long long)__right, (long long)__right, \
			      ##__VA_ARGS__);				\
	} while (0)

#define KUNIT_EXPECT_EQ(t, l, r)	KUNIT_T_BINARY(t, false, l, ==, r, "")
#define KUNIT_EXPECT_NE(t, l, r)	KUNIT_T_BINARY(t, false, l, !=, r, "")
#define KUNIT_EXPECT_GT(t, l, r)	KUNIT_T_BINARY(t, false, l, >, r, "")
#define KUNIT_EXPECT_EQ_MSG(t, l, r, fmt, ...)				\
	KUNIT_T_BINARY(t, false, l, ==, r, fmt, ##__VA_ARGS__)
#define KUNIT_ASSERT_EQ(t, l, r)	KUNIT_T_BINARY(t, true, l, ==, r, "")
#define KUNIT_ASSERT_GT(t, l, r)	KUNIT_T_BINARY(t, true, l, >, r, "")
#define KUNIT_ASSERT_LE(t, l, r)	KUNIT_T_BINARY(t, true, l, <=, r, "")
#define KUNIT_ASSERT_LT(t, l, r)	KUNIT_T_BINARY(t, true, l, <, r, "")
#define KUNIT_EXPECT_TRUE(t, c)						\
	KUNIT_T_CHECK(t, false, (c), "Expected %s to be true\n", #c)
#define KUNIT_EXPECT_FALSE(t, c)					\
	KUNIT_T_CHECK(t, false, !(c), "Expected %s to be false\n", #c)
#define KUNIT_ASSERT_FALSE(t, c)					\
	KUNIT_T_CHECK(t, true, !(c), "Expected %s to be false\n", #c)
#define KUNIT_ASSERT_NOT_NULL(t, p)					\
	KUNIT_T_CHECK(t, true, (p) != NULL, "Expected %s not NULL\n", #p)
#define KUNIT_FAIL(t, fmt, ...)						\
	KUNIT_T_CHECK(t, false, false, fmt "\n", ##__VA_ARGS__)

/*
 * The module's one suite: kunit.c runs it when the module loads and
 * removes its results when the module goes.
 */
extern struct kunit_suite *kunit_module_suite;
#define kunit_test_suite(suite)						\
	struct kunit_suite *kunit_module_suite = &(suite)

#endif /* _KUNIT_TEST_H */
