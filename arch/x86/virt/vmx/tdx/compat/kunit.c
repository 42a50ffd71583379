// SPDX-License-Identifier: GPL-2.0
/*
 * The part of KUnit the TD lifecycle test needs, for the out-of-tree
 * build on a kernel without CONFIG_KUNIT (kunit.h says what and why).
 *
 * One suite per module.  The KTAP text is kept in one buffer, written
 * only while the suite runs (module init), read through debugfs until
 * the module goes.
 */

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/kthread.h>
#include <linux/slab.h>
#include <linux/debugfs.h>
#include <linux/stdarg.h>

#include "kunit.h"

#define KUNIT_RESULTS_SIZE	(32 * 1024)

static struct {
	char *buf;
	size_t len;
	struct debugfs_blob_wrapper blob;
	struct dentry *dir;		/* kunit/ */
	bool own_dir;			/* this module made kunit/ */
	struct dentry *suite_dir;
} kunit_results;

/* The memory of a kunit_kzalloc(), on the case's list. */
struct kunit_alloc {
	struct list_head node;
	u8 data[];
};

static __printf(1, 2) void ktap_out(const char *fmt, ...)
{
	size_t room = KUNIT_RESULTS_SIZE - kunit_results.len;
	va_list args;
	int n;

	va_start(args, fmt);
	n = vsnprintf(kunit_results.buf + kunit_results.len, room, fmt, args);
	va_end(args);
	pr_info("%s", kunit_results.buf + kunit_results.len);
	kunit_results.len += min_t(size_t, n, room ? room - 1 : 0);
}

void *kunit_kzalloc(struct kunit *test, size_t size, gfp_t gfp)
{
	struct kunit_alloc *a = kzalloc(sizeof(*a) + size, gfp);

	if (!a)
		return NULL;
	list_add(&a->node, &test->allocs);
	return a->data;
}

void kunit_fail_at(struct kunit *test, const char *file, int line,
		   const char *fmt, ...)
{
	char msg[256], *line_start, *next;
	va_list args;

	va_start(args, fmt);
	vsnprintf(msg, sizeof(msg), fmt, args);
	va_end(args);
	test->status = KUNIT_FAILURE;
	ktap_out("    # %s: EXPECTATION FAILED at %s:%d\n",
		 test->name, file, line);
	/* Each line of the message a KTAP diagnostic. */
	for (line_start = msg; *line_start; line_start = next) {
		next = strchrnul(line_start, '\n');
		ktap_out("    # %.*s\n", (int)(next - line_start), line_start);
		if (*next)
			next++;
	}
}

/* Ends the case's kthread: the rest of the case does not run. */
void kunit_abort(struct kunit *test)
{
	kthread_complete_and_exit(&test->done, 0);
}

void kunit_skip_case(struct kunit *test, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	vsnprintf(test->skip_reason, sizeof(test->skip_reason), fmt, args);
	va_end(args);
	test->status = KUNIT_SKIPPED;
	kunit_abort(test);
}

void kunit_log_line(struct kunit *test, const char *fmt, ...)
{
	char msg[256];
	va_list args;

	va_start(args, fmt);
	vsnprintf(msg, sizeof(msg), fmt, args);
	va_end(args);
	ktap_out("%s\n", msg);
}

struct kunit_run {
	struct kunit test;
	struct kunit_suite *suite;
	struct kunit_case *tcase;
};

static int kunit_case_thread(void *data)
{
	struct kunit_run *run = data;
	struct kunit *test = &run->test;

	if (run->suite->init && run->suite->init(test)) {
		kunit_fail_at(test, __FILE__, __LINE__, "suite init failed\n");
		kunit_abort(test);
		return 0;
	}
	run->tcase->run_case(test);
	kunit_abort(test);
	return 0;
}

/* Runs one case to its end; its outcome in @run->test. */
static void kunit_run_case(struct kunit_run *run)
{
	struct kunit *test = &run->test;
	struct kunit_alloc *a, *tmp;
	struct task_struct *task;

	test->name = run->tcase->name;
	test->status = KUNIT_SUCCESS;
	INIT_LIST_HEAD(&test->allocs);
	init_completion(&test->done);
	task = kthread_run(kunit_case_thread, run, "kunit_try_catch");
	if (IS_ERR(task)) {
		kunit_fail_at(test, __FILE__, __LINE__, "no kthread: %ld\n",
			      PTR_ERR(task));
		return;
	}
	wait_for_completion(&test->done);
	list_for_each_entry_safe(a, tmp, &test->allocs, node)
		kfree(a);
}

static void kunit_publish(struct kunit_suite *suite)
{
	kunit_results.blob.data = kunit_results.buf;
	kunit_results.blob.size = kunit_results.len;
	kunit_results.dir = debugfs_lookup("kunit", NULL);
	if (kunit_results.dir) {
		dput(kunit_results.dir);	/* someone else's: keep it */
	} else {
		kunit_results.dir = debugfs_create_dir("kunit", NULL);
		kunit_results.own_dir = true;
	}
	kunit_results.suite_dir = debugfs_create_dir(suite->name,
						     kunit_results.dir);
	debugfs_create_blob("results", 0444, kunit_results.suite_dir,
			    &kunit_results.blob);
}

/*
 * KTAP as KUnit prints it: the suite as a subtest, each case one line,
 * then the suite's own line, "# SKIP" when every case skipped.  Always
 * 0: a failing suite is a result, not a failed load.
 */
static int kunit_run_suite(struct kunit_suite *suite)
{
	unsigned int i, n = 0, failed = 0, skipped = 0;
	struct kunit_case *tcase;

	kunit_results.buf = kzalloc(KUNIT_RESULTS_SIZE, GFP_KERNEL);
	if (!kunit_results.buf)
		return -ENOMEM;
	for (tcase = suite->test_cases; tcase->run_case; tcase++)
		n++;
	ktap_out("    KTAP version 1\n    # Subtest: %s\n    1..%u\n",
		 suite->name, n);
	for (i = 0, tcase = suite->test_cases; i < n; i++, tcase++) {
		struct kunit_run run = { .suite = suite, .tcase = tcase };

		kunit_run_case(&run);
		if (run.test.status == KUNIT_FAILURE) {
			failed++;
			ktap_out("    not ok %u %s\n", i + 1, tcase->name);
		} else if (run.test.status == KUNIT_SKIPPED) {
			skipped++;
			ktap_out("    ok %u %s # SKIP %s\n", i + 1, tcase->name,
				 run.test.skip_reason);
		} else {
			ktap_out("    ok %u %s\n", i + 1, tcase->name);
		}
	}
	if (failed)
		ktap_out("not ok 1 %s\n", suite->name);
	else if (n && skipped == n)
		ktap_out("ok 1 %s # SKIP\n", suite->name);
	else
		ktap_out("ok 1 %s\n", suite->name);
	kunit_publish(suite);
	return 0;
}

static int __init kunit_module_init(void)
{
	return kunit_run_suite(kunit_module_suite);
}
module_init(kunit_module_init);

static void __exit kunit_module_exit(void)
{
	debugfs_remove(kunit_results.own_dir ? kunit_results.dir :
		       kunit_results.suite_dir);
	kfree(kunit_results.buf);
}
module_exit(kunit_module_exit);
