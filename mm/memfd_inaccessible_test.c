// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the in-kernel API of the inaccessible memfd
 * (mm/memfd_inaccessible.c): what KVM relies on.
 */

#include <kunit/test.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/falloc.h>
#include <linux/highmem.h>
#include <linux/kthread.h>
#include <linux/memfd.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/pagemap.h>
#include <linux/sched/signal.h>
#include <linux/shmem_fs.h>
#include <linux/delay.h>
#include <linux/user_namespace.h>

#define NR_TEST_PAGES	8

static struct file *create_sized(struct kunit *test, pgoff_t nr_pages)
{
	struct file *file;
	long ret;

	file = inaccessible_file_create("memfd:kunit");
	KUNIT_ASSERT_FALSE(test, IS_ERR(file));
	ret = vfs_truncate(&file->f_path, (loff_t)nr_pages << PAGE_SHIFT);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return file;
}

static long punch(struct file *file, pgoff_t start, pgoff_t nr)
{
	return vfs_fallocate(file, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			     (loff_t)start << PAGE_SHIFT,
			     (loff_t)nr << PAGE_SHIFT);
}

static u64 file_blocks(struct kunit *test, struct file *file)
{
	struct kstat stat;

	KUNIT_ASSERT_EQ(test, vfs_getattr(&file->f_path, &stat, STATX_BLOCKS,
					  AT_STATX_SYNC_AS_STAT), 0);
	return stat.blocks;
}

/* Expect: only inaccessible memfds pass the type check, everywhere. */
static void type_check_test(struct kunit *test)
{
	struct inaccessible_notifier notifier = {};
	struct file *file, *shmem;
	unsigned long pfn;
	int order;

	file = create_sized(test, 1);
	shmem = shmem_file_setup("kunit-shmem", PAGE_SIZE, VM_NORESERVE);
	KUNIT_ASSERT_FALSE(test, IS_ERR(shmem));

	KUNIT_EXPECT_TRUE(test, file_is_inaccessible(file));
	KUNIT_EXPECT_FALSE(test, file_is_inaccessible(shmem));
	KUNIT_EXPECT_FALSE(test, file_is_inaccessible(NULL));
	KUNIT_EXPECT_EQ(test, inaccessible_register_notifier(shmem, &notifier),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, inaccessible_get_pfn(shmem, 0, &pfn, &order),
			-EINVAL);

	fput(shmem);
	fput(file);
}

/* Expect: get_pfn allocates inside the file, -EINVAL at and beyond EOF. */
static void get_pfn_alloc_eof_test(struct kunit *test)
{
	struct file *file = create_sized(test, NR_TEST_PAGES);
	unsigned long pfn;
	int order;

	KUNIT_EXPECT_EQ(test, file_blocks(test, file), 0);
	KUNIT_ASSERT_EQ(test, inaccessible_get_pfn(file, 3, &pfn, &order), 0);
	KUNIT_EXPECT_TRUE(test, pfn_valid(pfn));
	KUNIT_EXPECT_GE(test, order, 0);
	KUNIT_EXPECT_EQ(test, pfn & ((1UL << order) - 1), 3UL & ((1UL << order) - 1));
	KUNIT_EXPECT_EQ(test, file_blocks(test, file),
			(u64)(PAGE_SIZE << order) >> 9);
	inaccessible_put_pfn(file, pfn);

	KUNIT_EXPECT_EQ(test, inaccessible_get_pfn(file, NR_TEST_PAGES, &pfn,
						   &order), -EINVAL);
	KUNIT_EXPECT_EQ(test, inaccessible_get_pfn(file, ULONG_MAX, &pfn,
						   &order), -EINVAL);
	KUNIT_EXPECT_EQ(test, inaccessible_get_pfn(file, ULONG_MAX >> 8, &pfn,
						   &order), -EINVAL);
	fput(file);
}

static void fill_page(unsigned long pfn, u8 pattern)
{
	void *p = kmap_local_page(pfn_to_page(pfn));

	memset(p, pattern, PAGE_SIZE);
	kunmap_local(p);
}

static bool page_is(unsigned long pfn, u8 pattern)
{
	u8 *p = kmap_local_page(pfn_to_page(pfn));
	bool ok = true;
	size_t i;

	for (i = 0; i < PAGE_SIZE && ok; i++)
		ok = p[i] == pattern;
	kunmap_local(p);
	return ok;
}

/*
 * Expect: a pattern written through kmap stays while the page is allocated,
 * and is gone (zeroes) once the page was punched and allocated again, also
 * when the new page comes from fallocate() rather than get_pfn.
 */
static void zero_after_punch_test(struct kunit *test)
{
	struct file *file = create_sized(test, NR_TEST_PAGES);
	unsigned long pfn, pfn2;
	int order;

	KUNIT_ASSERT_EQ(test, inaccessible_get_pfn(file, 1, &pfn, &order), 0);
	fill_page(pfn, 0xa5);
	inaccessible_put_pfn(file, pfn);

	KUNIT_ASSERT_EQ(test, inaccessible_get_pfn(file, 1, &pfn2, &order), 0);
	KUNIT_EXPECT_EQ(test, pfn2, pfn);
	KUNIT_EXPECT_TRUE(test, page_is(pfn2, 0xa5));
	inaccessible_put_pfn(file, pfn2);

	KUNIT_ASSERT_EQ(test, punch(file, 1, 1), 0);
	KUNIT_ASSERT_EQ(test, inaccessible_get_pfn(file, 1, &pfn2, &order), 0);
	KUNIT_EXPECT_TRUE(test, page_is(pfn2, 0));
	kunit_info(test, "get_pfn after punch: %s page",
		   pfn2 == pfn ? "same" : "another");
	fill_page(pfn2, 0x5a);
	inaccessible_put_pfn(file, pfn2);

	/* fallocate() leaves new pages !uptodate: get_pfn must zero them. */
	KUNIT_ASSERT_EQ(test, punch(file, 1, 1), 0);
	KUNIT_ASSERT_EQ(test, vfs_fallocate(file, FALLOC_FL_KEEP_SIZE,
					    PAGE_SIZE, PAGE_SIZE), 0);
	KUNIT_ASSERT_EQ(test, inaccessible_get_pfn(file, 1, &pfn, &order), 0);
	KUNIT_EXPECT_TRUE(test, page_is(pfn, 0));
	kunit_info(test, "get_pfn after punch+fallocate: %s page",
		   pfn2 == pfn ? "same" : "another");
	inaccessible_put_pfn(file, pfn);
	fput(file);
}

struct recorder {
	struct inaccessible_notifier notifier;
	int nr_begin, nr_end;
	pgoff_t begin_start, begin_end, end_start, end_end;
};

static void record_begin(struct inaccessible_notifier *notifier,
			 pgoff_t start, pgoff_t end)
{
	struct recorder *r = container_of(notifier, struct recorder, notifier);

	r->nr_begin++;
	r->begin_start = start;
	r->begin_end = end;
}

static void record_end(struct inaccessible_notifier *notifier,
		       pgoff_t start, pgoff_t end)
{
	struct recorder *r = container_of(notifier, struct recorder, notifier);

	r->nr_end++;
	r->end_start = start;
	r->end_end = end;
}

static const struct inaccessible_notifier_ops recorder_ops = {
	.invalidate_begin = record_begin,
	.invalidate_end = record_end,
};

/*
 * Expect: every registered notifier sees one begin and one end with the
 * exact page range of a punch-hole; allocation and a refused punch-hole do
 * not notify; an unregistered notifier is not called.
 */
static void notifier_range_test(struct kunit *test)
{
	struct file *file = create_sized(test, NR_TEST_PAGES);
	struct recorder a = { .notifier.ops = &recorder_ops };
	struct recorder b = { .notifier.ops = &recorder_ops };

	KUNIT_ASSERT_EQ(test, inaccessible_register_notifier(file, &a.notifier), 0);
	KUNIT_ASSERT_EQ(test, inaccessible_register_notifier(file, &b.notifier), 0);

	KUNIT_ASSERT_EQ(test, vfs_fallocate(file, 0, 0, 4 * PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, a.nr_begin + a.nr_end, 0);

	KUNIT_EXPECT_EQ(test, vfs_fallocate(file, FALLOC_FL_PUNCH_HOLE |
					    FALLOC_FL_KEEP_SIZE, 1, PAGE_SIZE),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, a.nr_begin + a.nr_end, 0);

	KUNIT_ASSERT_EQ(test, punch(file, 2, 3), 0);
	KUNIT_EXPECT_EQ(test, a.nr_begin, 1);
	KUNIT_EXPECT_EQ(test, a.nr_end, 1);
	KUNIT_EXPECT_EQ(test, a.begin_start, 2UL);
	KUNIT_EXPECT_EQ(test, a.begin_end, 5UL);
	KUNIT_EXPECT_EQ(test, a.end_start, 2UL);
	KUNIT_EXPECT_EQ(test, a.end_end, 5UL);
	KUNIT_EXPECT_EQ(test, b.nr_begin, 1);
	KUNIT_EXPECT_EQ(test, b.begin_start, 2UL);
	KUNIT_EXPECT_EQ(test, b.begin_end, 5UL);

	/* Beyond EOF (KEEP_SIZE) is notified as asked, too. */
	KUNIT_ASSERT_EQ(test, punch(file, NR_TEST_PAGES + 10, 1), 0);
	KUNIT_EXPECT_EQ(test, a.nr_begin, 2);
	KUNIT_EXPECT_EQ(test, a.begin_start, NR_TEST_PAGES + 10UL);
	KUNIT_EXPECT_EQ(test, a.end_end, NR_TEST_PAGES + 11UL);

	inaccessible_unregister_notifier(file, &b.notifier);
	KUNIT_ASSERT_EQ(test, punch(file, 0, NR_TEST_PAGES), 0);
	KUNIT_EXPECT_EQ(test, a.nr_begin, 3);
	KUNIT_EXPECT_EQ(test, a.begin_start, 0UL);
	KUNIT_EXPECT_EQ(test, a.begin_end, (unsigned long)NR_TEST_PAGES);
	KUNIT_EXPECT_EQ(test, b.nr_begin, 2);
	KUNIT_EXPECT_EQ(test, b.nr_end, 2);

	inaccessible_unregister_notifier(file, &a.notifier);
	fput(file);
}

/* Expect: each get_pfn takes one page reference, each put_pfn drops one. */
static void put_pfn_balance_test(struct kunit *test)
{
	struct file *file = create_sized(test, NR_TEST_PAGES);
	unsigned long pfn, pfn2;
	int base, order;

	KUNIT_ASSERT_EQ(test, inaccessible_get_pfn(file, 0, &pfn, &order), 0);
	base = page_ref_count(compound_head(pfn_to_page(pfn)));
	KUNIT_ASSERT_EQ(test, inaccessible_get_pfn(file, 0, &pfn2, &order), 0);
	KUNIT_EXPECT_EQ(test, pfn2, pfn);
	KUNIT_EXPECT_EQ(test, page_ref_count(compound_head(pfn_to_page(pfn))),
			base + 1);
	inaccessible_put_pfn(file, pfn2);
	KUNIT_EXPECT_EQ(test, page_ref_count(compound_head(pfn_to_page(pfn))),
			base);

	/* A punch removes the file's reference, not ours. */
	KUNIT_ASSERT_EQ(test, punch(file, 0, 1), 0);
	KUNIT_EXPECT_NULL(test, READ_ONCE(page_folio(pfn_to_page(pfn))->mapping));
	KUNIT_EXPECT_GE(test, page_ref_count(compound_head(pfn_to_page(pfn))), 1);
	inaccessible_put_pfn(file, pfn);
	fput(file);
}

/*
 * The race test: a consumer maps pages following the documented protocol
 * while a thread punches holes.  The consumer's "mapping" is an array of
 * pfns, protected by a mutex its invalidate_begin callback takes to zap
 * the range.  Under that mutex, every mapped page must still belong to the
 * file: a page that was truncated while mapped is a stale page.
 */
struct race {
	struct inaccessible_notifier notifier;
	struct file *file;
	struct mutex lock;	/* @map and the counters */
	unsigned long map[NR_TEST_PAGES];
	unsigned long nr_zapped, nr_punches;
};

static void race_begin(struct inaccessible_notifier *notifier,
		       pgoff_t start, pgoff_t end)
{
	struct race *r = container_of(notifier, struct race, notifier);
	pgoff_t i;

	mutex_lock(&r->lock);
	for (i = start; i < end && i < NR_TEST_PAGES; i++) {
		if (!r->map[i])
			continue;
		inaccessible_put_pfn(r->file, r->map[i]);
		r->map[i] = 0;
		r->nr_zapped++;
	}
	mutex_unlock(&r->lock);
}

static void race_end(struct inaccessible_notifier *notifier,
		     pgoff_t start, pgoff_t end)
{
}

static const struct inaccessible_notifier_ops race_ops = {
	.invalidate_begin = race_begin,
	.invalidate_end = race_end,
};

static int race_puncher(void *arg)
{
	struct race *r = arg;
	unsigned int i = 0;

	while (!kthread_should_stop()) {
		pgoff_t start = i % NR_TEST_PAGES;

		/* Alternate whole-file and single-page punches. */
		if (i & 1)
			punch(r->file, start, 1);
		else
			punch(r->file, 0, NR_TEST_PAGES);
		r->nr_punches++;
		i++;
		cond_resched();
	}
	return 0;
}

struct race_stats {
	unsigned long mapped, retries, stale, zapped, punches;
};

/*
 * Map pages for @iterations rounds against a punching thread.  With
 * @protocol false the consumer skips the retry check: the control run that
 * shows the stale-page check can see what the protocol prevents.
 */
static void race_run(struct kunit *test, bool protocol,
		     unsigned int iterations, struct race_stats *stats)
{
	struct race *r = kunit_kzalloc(test, sizeof(*r), GFP_KERNEL);
	struct task_struct *puncher;
	unsigned int iter;
	pgoff_t i;

	KUNIT_ASSERT_NOT_NULL(test, r);
	r->file = create_sized(test, NR_TEST_PAGES);
	r->notifier.ops = &race_ops;
	mutex_init(&r->lock);
	KUNIT_ASSERT_EQ(test, inaccessible_register_notifier(r->file, &r->notifier), 0);

	puncher = kthread_run(race_puncher, r, "inaccessible-punch");
	KUNIT_ASSERT_FALSE(test, IS_ERR(puncher));

	for (iter = 0; iter < iterations; iter++) {
		pgoff_t idx = iter % NR_TEST_PAGES;
		unsigned long seq, pfn;
		int order;

		seq = inaccessible_invalidate_seq(r->file);
		if (inaccessible_get_pfn(r->file, idx, &pfn, &order)) {
			KUNIT_FAIL(test, "get_pfn(%lu) failed", idx);
			break;
		}

		mutex_lock(&r->lock);
		if (protocol && inaccessible_invalidate_retry(r->file, seq)) {
			mutex_unlock(&r->lock);
			inaccessible_put_pfn(r->file, pfn);
			stats->retries++;
			continue;
		}
		if (r->map[idx])
			inaccessible_put_pfn(r->file, r->map[idx]);
		r->map[idx] = pfn;
		stats->mapped++;

		/* Use every mapped page: none may have left the file. */
		for (i = 0; i < NR_TEST_PAGES; i++) {
			struct folio *folio;

			if (!r->map[i])
				continue;
			folio = page_folio(pfn_to_page(r->map[i]));
			if (!READ_ONCE(folio->mapping) ||
			    folio->index != round_down(i, folio_nr_pages(folio)))
				stats->stale++;
		}
		mutex_unlock(&r->lock);
		if (!(iter % 64))
			cond_resched();
	}

	kthread_stop(puncher);
	inaccessible_unregister_notifier(r->file, &r->notifier);
	for (i = 0; i < NR_TEST_PAGES; i++)
		if (r->map[i])
			inaccessible_put_pfn(r->file, r->map[i]);
	stats->zapped = r->nr_zapped;
	stats->punches = r->nr_punches;
	fput(r->file);
}

/*
 * Expect: a consumer that follows the invalidation protocol never has a
 * page mapped that a racing punch-hole removed from the file.
 */
static void get_pfn_punch_race_test(struct kunit *test)
{
	struct race_stats ok = {}, control = {};

	race_run(test, true, 3000, &ok);
	kunit_info(test, "protocol: mapped %lu, retried %lu, zapped %lu, punches %lu, stale %lu",
		   ok.mapped, ok.retries, ok.zapped, ok.punches, ok.stale);
	KUNIT_EXPECT_EQ(test, ok.stale, 0UL);
	KUNIT_EXPECT_GT(test, ok.mapped, 0UL);
	KUNIT_EXPECT_GT(test, ok.punches, 0UL);

	/* Informational: what the same check sees without the protocol. */
	race_run(test, false, 1000, &control);
	kunit_info(test, "control without retry check: mapped %lu, stale sightings %lu",
		   control.mapped, control.stale);
}

/*
 * Expect: dropping the last file reference while a notifier is registered
 * keeps the file and its pages alive and working; unregistering the
 * notifier then releases them.
 */
static void close_with_live_notifier_test(struct kunit *test)
{
	struct file *file = create_sized(test, NR_TEST_PAGES);
	struct recorder a = { .notifier.ops = &recorder_ops };
	struct folio *folio;
	unsigned long pfn;
	int order, tries;

	KUNIT_ASSERT_EQ(test, inaccessible_register_notifier(file, &a.notifier), 0);
	fput(file);		/* "close": the notifier's reference remains */
	flush_delayed_fput();

	KUNIT_ASSERT_TRUE(test, file_is_inaccessible(file));
	KUNIT_ASSERT_EQ(test, punch(file, 0, 1), 0);
	KUNIT_EXPECT_EQ(test, a.nr_begin, 1);
	KUNIT_EXPECT_EQ(test, a.nr_end, 1);
	KUNIT_ASSERT_EQ(test, inaccessible_get_pfn(file, 2, &pfn, &order), 0);
	folio = page_folio(pfn_to_page(pfn));
	KUNIT_EXPECT_NOT_NULL(test, READ_ONCE(folio->mapping));

	/* The last reference: the backing file is released, pages truncated. */
	inaccessible_unregister_notifier(file, &a.notifier);
	for (tries = 0; tries < 500 && READ_ONCE(folio->mapping); tries++) {
		flush_delayed_fput();
		msleep(20);
	}
	KUNIT_EXPECT_NULL(test, READ_ONCE(folio->mapping));
	KUNIT_EXPECT_EQ(test, a.nr_begin, 1);
	inaccessible_put_pfn(file, pfn);	/* the page outlives the file */
}

/* Pages charged to the current user's RLIMIT_MEMLOCK count. */
static long memlock_pages(void)
{
	return get_rlimit_value(current_ucounts(), UCOUNT_RLIMIT_MEMLOCK);
}

static long file_pages(struct kunit *test, struct file *file)
{
	return file_blocks(test, file) >> (PAGE_SHIFT - 9);
}

/*
 * Expect: a page is charged to the creator's RLIMIT_MEMLOCK count wherever
 * it is allocated, by fallocate() or on demand by get_pfn, once; a
 * punch-hole and the release of the file uncharge it.  The count follows
 * the allocated size exactly (also with shmem THP).
 */
static void memlock_charge_test(struct kunit *test)
{
	struct file *file = create_sized(test, NR_TEST_PAGES);
	long base = memlock_pages();
	unsigned long pfn;
	int order, tries;

	KUNIT_ASSERT_EQ(test, vfs_fallocate(file, 0, 0, 2 * PAGE_SIZE), 0);
	KUNIT_EXPECT_GT(test, memlock_pages() - base, 0L);
	KUNIT_EXPECT_EQ(test, memlock_pages() - base, file_pages(test, file));

	/* Already allocated: not charged again. */
	KUNIT_ASSERT_EQ(test, vfs_fallocate(file, FALLOC_FL_KEEP_SIZE, 0,
					    2 * PAGE_SIZE), 0);
	KUNIT_ASSERT_EQ(test, inaccessible_get_pfn(file, 1, &pfn, &order), 0);
	inaccessible_put_pfn(file, pfn);
	KUNIT_EXPECT_EQ(test, memlock_pages() - base, file_pages(test, file));

	/* On demand. */
	KUNIT_ASSERT_EQ(test, inaccessible_get_pfn(file, NR_TEST_PAGES - 1,
						   &pfn, &order), 0);
	inaccessible_put_pfn(file, pfn);
	KUNIT_EXPECT_EQ(test, memlock_pages() - base, file_pages(test, file));
	KUNIT_EXPECT_GE(test, file_pages(test, file), 3L);

	KUNIT_ASSERT_EQ(test, punch(file, 0, 2), 0);
	KUNIT_EXPECT_EQ(test, memlock_pages() - base, file_pages(test, file));
	KUNIT_ASSERT_EQ(test, punch(file, 0, NR_TEST_PAGES), 0);
	KUNIT_EXPECT_EQ(test, memlock_pages(), base);

	KUNIT_ASSERT_EQ(test, vfs_fallocate(file, 0, 0, PAGE_SIZE), 0);
	KUNIT_EXPECT_GT(test, memlock_pages(), base);
	fput(file);
	for (tries = 0; tries < 500 && memlock_pages() != base; tries++) {
		flush_delayed_fput();
		msleep(20);
	}
	KUNIT_EXPECT_EQ(test, memlock_pages(), base);
}

struct memlock_env {
	const struct cred *old_cred;
	unsigned long old_limit;
};

/*
 * Give the test thread an RLIMIT_MEMLOCK @pages beyond what its user has
 * charged, and drop CAP_IPC_LOCK unless @keep_cap.
 */
static void memlock_restrict(struct kunit *test, struct memlock_env *env,
			     long pages, bool keep_cap)
{
	struct rlimit *rlim = &current->signal->rlim[RLIMIT_MEMLOCK];
	struct cred *cred = prepare_creds();

	KUNIT_ASSERT_NOT_NULL(test, cred);
	if (!keep_cap)
		cap_lower(cred->cap_effective, CAP_IPC_LOCK);
	env->old_cred = override_creds(cred);
	put_cred(cred);

	task_lock(current->group_leader);
	env->old_limit = rlim->rlim_cur;
	rlim->rlim_cur = (memlock_pages() + pages) << PAGE_SHIFT;
	task_unlock(current->group_leader);
}

static void memlock_unrestrict(struct memlock_env *env)
{
	task_lock(current->group_leader);
	current->signal->rlim[RLIMIT_MEMLOCK].rlim_cur = env->old_limit;
	task_unlock(current->group_leader);
	revert_creds(env->old_cred);
}

/* get_pfn and drop the page at once: what KVM does, minus the mapping. */
static int get_put(struct file *file, pgoff_t index)
{
	unsigned long pfn;
	int order, ret;

	ret = inaccessible_get_pfn(file, index, &pfn, &order);
	if (!ret)
		inaccessible_put_pfn(file, pfn);
	return ret;
}

/*
 * Expect: without CAP_IPC_LOCK, get_pfn fails with -ENOMEM for a page
 * beyond RLIMIT_MEMLOCK, and so does fallocate(), charging nothing; a
 * punch-hole makes room again.  With CAP_IPC_LOCK, the limit does not
 * apply but the pages are still counted.  (Needs shmem THP off, the
 * default: a THP-capable hole reserves a whole PMD.)
 */
static void memlock_limit_test(struct kunit *test)
{
	struct file *file = create_sized(test, NR_TEST_PAGES);
	struct memlock_env env;
	long base;

	memlock_restrict(test, &env, 2, false);
	base = memlock_pages();
	KUNIT_EXPECT_EQ(test, get_put(file, 0), 0);
	KUNIT_EXPECT_EQ(test, get_put(file, 1), 0);
	KUNIT_EXPECT_EQ(test, get_put(file, 2), -ENOMEM);
	KUNIT_EXPECT_EQ(test, vfs_fallocate(file, 0, 2 * PAGE_SIZE, PAGE_SIZE),
			-ENOMEM);
	KUNIT_EXPECT_EQ(test, file_pages(test, file), 2L);
	KUNIT_EXPECT_EQ(test, memlock_pages() - base, 2L);

	/* Allocated pages need no room. */
	KUNIT_EXPECT_EQ(test, get_put(file, 1), 0);

	KUNIT_EXPECT_EQ(test, punch(file, 0, 1), 0);
	KUNIT_EXPECT_EQ(test, memlock_pages() - base, 1L);
	KUNIT_EXPECT_EQ(test, get_put(file, 2), 0);
	KUNIT_EXPECT_EQ(test, memlock_pages() - base, 2L);
	memlock_unrestrict(&env);

	/* CAP_IPC_LOCK: beyond the limit, and counted. */
	memlock_restrict(test, &env, 0, true);
	KUNIT_EXPECT_EQ(test, get_put(file, 3), 0);
	KUNIT_EXPECT_EQ(test, vfs_fallocate(file, 0, 4 * PAGE_SIZE, PAGE_SIZE), 0);
	KUNIT_EXPECT_EQ(test, memlock_pages() - base, 4L);
	memlock_unrestrict(&env);
	fput(file);
}

static struct kunit_case memfd_inaccessible_cases[] = {
	KUNIT_CASE(type_check_test),
	KUNIT_CASE(get_pfn_alloc_eof_test),
	KUNIT_CASE(zero_after_punch_test),
	KUNIT_CASE(notifier_range_test),
	KUNIT_CASE(put_pfn_balance_test),
	KUNIT_CASE(get_pfn_punch_race_test),
	KUNIT_CASE(close_with_live_notifier_test),
	KUNIT_CASE(memlock_charge_test),
	KUNIT_CASE(memlock_limit_test),
	{}
};

static struct kunit_suite memfd_inaccessible_suite = {
	.name = "memfd_inaccessible",
	.test_cases = memfd_inaccessible_cases,
};

kunit_test_suites(&memfd_inaccessible_suite);

MODULE_DESCRIPTION("KUnit tests for the inaccessible memfd");
MODULE_LICENSE("GPL");
