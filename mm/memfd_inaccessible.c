// SPDX-License-Identifier: GPL-2.0
/*
 * Inaccessible memfd: memory that host userspace can never read, write or
 * map, for confidential-computing guest private memory (MFD_INACCESSIBLE).
 *
 * Data model.  An inaccessible memfd is a thin wrapper file around an
 * ordinary shmem file (the "backing" file) that only the kernel can reach.
 * The backing file owns the pages, its page cache is the single source of
 * truth for what is allocated, and shmem does the allocation, the memcg and
 * tmpfs accounting and the optional THP backing.  The wrapper file is what
 * userspace holds: it has no read, write, mmap, splice or llseek method, so
 * none of those can ever reach the pages.  Userspace can only size the file
 * (ftruncate once, or fallocate), allocate (fallocate) and free (punch
 * hole).  In-kernel users (KVM) get at the pages through
 * inaccessible_get_pfn() and learn about punched holes through notifiers.
 *
 * The pages can be neither swapped nor reclaimed, and no process maps them,
 * so they are charged like locked memory: see "Locked-memory accounting".
 *
 * See Documentation/mm/inaccessible-memfd.rst for the ABI and the
 * invalidation protocol.
 */

#define pr_fmt(fmt) "memfd_inaccessible: " fmt

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/falloc.h>
#include <linux/fs_context.h>
#include <linux/huge_mm.h>
#include <linux/init.h>
#include <linux/memfd.h>
#include <linux/mm.h>
#include <linux/mount.h>
#include <linux/pagemap.h>
#include <linux/pagevec.h>
#include <linux/pseudo_fs.h>
#include <linux/sched/signal.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/sysctl.h>
#include <linux/user_namespace.h>
#include <uapi/linux/magic.h>

/*
 * struct inaccessible_data - per-file state, in the wrapper inode's i_private
 * @memfd:		the backing shmem file; its last reference is ours
 * @ucounts:		the creating user, whose RLIMIT_MEMLOCK count the
 *			pages are charged to; we hold a reference
 * @alloc_lock:		serializes every operation that adds pages to or
 *			removes pages from the backing file with its
 *			accounting (allocation, punch-hole); ranks above the
 *			backing inode_lock
 * @charged:		pages charged to @ucounts, under @alloc_lock
 * @notifier_lock:	protects @notifiers, and is held across a whole
 *			invalidation so that every registered notifier sees
 *			balanced invalidate_begin()/invalidate_end() calls
 * @notifiers:		registered struct inaccessible_notifier
 * @seq_lock:		protects @invalidate_seq and @invalidate_active
 * @invalidate_seq:	bumped at the end of every invalidation
 * @invalidate_active:	number of invalidations between begin and end
 */
struct inaccessible_data {
	struct file *memfd;
	struct ucounts *ucounts;
	struct mutex alloc_lock;	/* page adds/removes and charging */
	unsigned long charged;
	struct mutex notifier_lock;	/* @notifiers, whole invalidations */
	struct list_head notifiers;
	spinlock_t seq_lock;		/* @invalidate_seq, @invalidate_active */
	unsigned long invalidate_seq;
	unsigned int invalidate_active;
};

static struct vfsmount *inaccessible_mnt __ro_after_init;

/*
 * vm.memfd_inaccessible: 1 lets memfd_create() take MFD_INACCESSIBLE, 0
 * makes the flag -EINVAL as on a kernel without it.  Since 6.3 upstream
 * uses the same bit for MFD_NOEXEC_SEAL, and userspace written for it
 * falls back only on -EINVAL.  In-kernel users are not affected.
 */
static int sysctl_memfd_inaccessible __read_mostly = 1;

/**
 * memfd_inaccessible_enabled - may memfd_create() make inaccessible memfds
 *
 * Return: the vm.memfd_inaccessible sysctl, true by default.
 */
bool memfd_inaccessible_enabled(void)
{
	return READ_ONCE(sysctl_memfd_inaccessible);
}

static const struct file_operations inaccessible_fops;

/**
 * file_is_inaccessible - tell whether a file is an inaccessible memfd
 * @file: any file
 *
 * Return: true if @file was created by memfd_create(MFD_INACCESSIBLE) or
 * inaccessible_file_create().  Every other API function of this file
 * rejects a file for which this returns false.
 */
bool file_is_inaccessible(const struct file *file)
{
	return file && file->f_op == &inaccessible_fops;
}
EXPORT_SYMBOL_GPL(file_is_inaccessible);

static struct inaccessible_data *inaccessible_data(const struct file *file)
{
	return file_inode(file)->i_private;
}

static void inaccessible_invalidate_begin(struct inaccessible_data *data,
					  pgoff_t start, pgoff_t end)
{
	struct inaccessible_notifier *notifier;

	lockdep_assert_held(&data->notifier_lock);

	/*
	 * Make the invalidation visible before any notifier runs: a consumer
	 * that checks inaccessible_invalidate_retry() under the lock its
	 * invalidate_begin() callback takes either sees it, or installed its
	 * mapping early enough for the callback to remove it.
	 */
	spin_lock(&data->seq_lock);
	data->invalidate_active++;
	spin_unlock(&data->seq_lock);

	list_for_each_entry(notifier, &data->notifiers, list)
		notifier->ops->invalidate_begin(notifier, start, end);
}

static void inaccessible_invalidate_end(struct inaccessible_data *data,
					pgoff_t start, pgoff_t end)
{
	struct inaccessible_notifier *notifier;

	lockdep_assert_held(&data->notifier_lock);

	list_for_each_entry(notifier, &data->notifiers, list)
		notifier->ops->invalidate_end(notifier, start, end);

	spin_lock(&data->seq_lock);
	data->invalidate_seq++;
	data->invalidate_active--;
	spin_unlock(&data->seq_lock);
}

/*
 * Locked-memory accounting.
 *
 * The pages are charged like SysV shared memory locked with SHM_LOCK (the
 * user_shm_lock() model): to the RLIMIT_MEMLOCK count of the user that
 * created the file, checked against the RLIMIT_MEMLOCK of the task that
 * allocates, which CAP_IPC_LOCK exempts.  Exempt allocations are still
 * counted.
 *
 * The backing page cache is the truth: @charged follows its nrpages.  An
 * operation that allocates first reserves an upper bound of what it can
 * add, which is where the limit is checked, and then settles @charged to
 * what the page cache holds; a punch-hole settles too.  Since @alloc_lock
 * serializes them, settling is exact.  Pages that leave the page cache
 * behind our back (memory failure, a shmem fallocate undoing its work on
 * error) are uncharged at the next settle, at the latest on release.
 */

/* Serializes the check and charge of concurrent chargers, as in mlock.c. */
static DEFINE_SPINLOCK(inaccessible_memlock_lock);

/* Charge @nr pages to @ucounts, within current's RLIMIT_MEMLOCK. */
static bool inaccessible_memlock_charge(struct ucounts *ucounts,
					unsigned long nr)
{
	unsigned long limit = rlimit(RLIMIT_MEMLOCK);
	bool ok = true;
	long locked;

	if (!nr)
		return true;
	if (limit != RLIM_INFINITY)
		limit >>= PAGE_SHIFT;

	spin_lock(&inaccessible_memlock_lock);
	locked = inc_rlimit_ucounts(ucounts, UCOUNT_RLIMIT_MEMLOCK, nr);
	if ((locked == LONG_MAX || locked > limit) && !capable(CAP_IPC_LOCK)) {
		dec_rlimit_ucounts(ucounts, UCOUNT_RLIMIT_MEMLOCK, nr);
		ok = false;
	}
	spin_unlock(&inaccessible_memlock_lock);
	return ok;
}

/* Pages of the backing page cache in [start, end). */
static unsigned long inaccessible_nr_present(struct address_space *mapping,
					     pgoff_t start, pgoff_t end)
{
	struct folio_batch fbatch;
	unsigned long nr = 0;
	pgoff_t index = start;
	unsigned int i;

	folio_batch_init(&fbatch);
	while (filemap_get_folios(mapping, &index, end - 1, &fbatch)) {
		for (i = 0; i < folio_batch_count(&fbatch); i++) {
			struct folio *folio = fbatch.folios[i];
			pgoff_t first = max(folio->index, start);
			pgoff_t last = min(folio_next_index(folio), end);

			if (last > first)
				nr += last - first;
		}
		folio_batch_release(&fbatch);
		cond_resched();
	}
	return nr;
}

/*
 * Charge an upper bound of what allocating the page indices [start, end)
 * can add to the page cache: the holes of the range, and where shmem may
 * use a PMD-sized folio, the holes of the whole PMD-sized blocks around it,
 * since such a folio fills its (empty) block.
 */
static int inaccessible_reserve(struct inaccessible_data *data,
				pgoff_t start, pgoff_t end)
{
	struct inode *inode = file_inode(data->memfd);
	unsigned long nr;

	lockdep_assert_held(&data->alloc_lock);

	if (IS_ENABLED(CONFIG_TRANSPARENT_HUGEPAGE) &&
	    shmem_is_huge(NULL, inode, start, false)) {
		start = round_down(start, HPAGE_PMD_NR);
		end = round_up(end, HPAGE_PMD_NR);
	}
	nr = end - start - inaccessible_nr_present(inode->i_mapping, start, end);
	if (!inaccessible_memlock_charge(data->ucounts, nr))
		return -ENOMEM;
	data->charged += nr;
	return 0;
}

/*
 * Make @charged what the page cache holds.  The reservation was an upper
 * bound, so this normally gives back its unused part; it charges, without
 * a limit check, only what appeared without one.
 */
static void inaccessible_settle(struct inaccessible_data *data)
{
	unsigned long nr = READ_ONCE(data->memfd->f_mapping->nrpages);

	lockdep_assert_held(&data->alloc_lock);

	if (nr > data->charged)
		inc_rlimit_ucounts(data->ucounts, UCOUNT_RLIMIT_MEMLOCK,
				   nr - data->charged);
	else if (nr < data->charged)
		dec_rlimit_ucounts(data->ucounts, UCOUNT_RLIMIT_MEMLOCK,
				   data->charged - nr);
	data->charged = nr;
}

/*
 * Free the pages of [offset, offset + len), both page aligned.
 *
 * Lock order: alloc_lock -> backing inode_lock -> backing invalidate_lock
 * (write) -> notifier_lock -> whatever the notifier callbacks take -> folio
 * locks.  inaccessible_get_pfn() takes the invalidate_lock for read, so no
 * page of the range can be looked up or allocated while the notifiers and
 * the truncation run.
 */
static long inaccessible_punch_hole(struct inaccessible_data *data,
				    loff_t offset, loff_t len)
{
	struct inode *inode = file_inode(data->memfd);
	pgoff_t start = offset >> PAGE_SHIFT;
	pgoff_t end = (offset + len) >> PAGE_SHIFT;

	mutex_lock(&data->alloc_lock);
	inode_lock(inode);
	filemap_invalidate_lock(inode->i_mapping);
	mutex_lock(&data->notifier_lock);

	inaccessible_invalidate_begin(data, start, end);
	shmem_truncate_range(inode, offset, offset + len - 1);
	inaccessible_invalidate_end(data, start, end);

	mutex_unlock(&data->notifier_lock);
	filemap_invalidate_unlock(inode->i_mapping);
	inode->i_ctime = current_time(inode);
	inode->i_mtime = inode->i_ctime;
	inode_unlock(inode);
	inaccessible_settle(data);
	mutex_unlock(&data->alloc_lock);
	return 0;
}

/* Allocate [offset, offset + len), charged (mode 0 or KEEP_SIZE). */
static long inaccessible_allocate(struct inaccessible_data *data, int mode,
				  loff_t offset, loff_t len)
{
	struct inode *inode = file_inode(data->memfd);
	pgoff_t start = offset >> PAGE_SHIFT;
	pgoff_t end = DIV_ROUND_UP(offset + len, PAGE_SIZE);
	long ret;

	mutex_lock(&data->alloc_lock);
	/*
	 * Like ftruncate(), growing must keep the size page aligned.  The
	 * size changes only here (under alloc_lock) and in the first
	 * ftruncate(), which sets it from 0 to an aligned value.
	 */
	ret = -EINVAL;
	if (!(mode & FALLOC_FL_KEEP_SIZE) && offset + len > i_size_read(inode) &&
	    !PAGE_ALIGNED(offset + len))
		goto out_unlock;

	ret = inaccessible_reserve(data, start, end);
	if (ret)
		goto out_unlock;
	/*
	 * Allocation does not notify: it never changes a page that a
	 * consumer may already hold, it only fills holes.
	 */
	ret = vfs_fallocate(data->memfd, mode, offset, len);
	inaccessible_settle(data);
out_unlock:
	mutex_unlock(&data->alloc_lock);
	return ret;
}

static long inaccessible_fallocate(struct file *file, int mode,
				   loff_t offset, loff_t len)
{
	struct inaccessible_data *data = inaccessible_data(file);

	/* vfs_fallocate() already refused PUNCH_HOLE without KEEP_SIZE. */
	if (mode & FALLOC_FL_PUNCH_HOLE) {
		if (mode != (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE))
			return -EOPNOTSUPP;
		if (!PAGE_ALIGNED(offset) || !PAGE_ALIGNED(len))
			return -EINVAL;
		return inaccessible_punch_hole(data, offset, len);
	}

	if (mode & ~FALLOC_FL_KEEP_SIZE)
		return -EOPNOTSUPP;

	return inaccessible_allocate(data, mode, offset, len);
}

/*
 * The per-file state lives as long as the wrapper inode, not the file: an
 * O_PATH open of /proc/<pid>/fd/<n> (which never reaches ->open) keeps the
 * inode alive after the last file is released, and stat() or truncate()
 * through that path must still find the backing file.  Every registered
 * notifier holds a file reference (inaccessible_register_notifier()), so
 * none can be left when the inode goes.
 */
static void inaccessible_evict_inode(struct inode *inode)
{
	struct inaccessible_data *data = inode->i_private;

	truncate_inode_pages_final(&inode->i_data);
	clear_inode(inode);
	if (!data)
		return;
	WARN_ON_ONCE(!list_empty(&data->notifiers));
	inode->i_private = NULL;
	fput(data->memfd);
	dec_rlimit_ucounts(data->ucounts, UCOUNT_RLIMIT_MEMLOCK, data->charged);
	put_ucounts(data->ucounts);
	kfree(data);
}

/*
 * Only .fallocate: without .read/.read_iter/.write/.write_iter
 * the VFS never sets FMODE_CAN_READ/WRITE (read and write fail with
 * -EINVAL), without .llseek no FMODE_LSEEK (-ESPIPE), without .mmap mmap
 * fails with -ENODEV, without .splice_read splice and sendfile fail with
 * -EINVAL.  Keep it that way.
 */
static const struct file_operations inaccessible_fops = {
	.fallocate	= inaccessible_fallocate,
};

static int inaccessible_getattr(struct user_namespace *mnt_userns,
				const struct path *path, struct kstat *stat,
				u32 request_mask, unsigned int query_flags)
{
	struct inode *inode = d_inode(path->dentry);
	struct inaccessible_data *data = inode->i_private;
	struct kstat backing;
	int ret;

	/* The backing file's getattr brings its block count up to date. */
	ret = vfs_getattr_nosec(&data->memfd->f_path, &backing,
				STATX_SIZE | STATX_BLOCKS, query_flags);
	if (ret)
		return ret;

	generic_fillattr(mnt_userns, inode, stat);
	stat->size = backing.size;
	stat->blocks = backing.blocks;
	stat->blksize = backing.blksize;
	return 0;
}

/* The size can be set once, page aligned.  Called with the wrapper locked. */
static int inaccessible_set_size(struct inaccessible_data *data, loff_t size)
{
	struct dentry *dentry = data->memfd->f_path.dentry;
	struct inode *inode = d_inode(dentry);
	struct iattr attr = {
		.ia_valid = ATTR_SIZE,
		.ia_size = size,
	};
	int ret;

	if (!PAGE_ALIGNED(size))
		return -EINVAL;

	inode_lock(inode);
	if (i_size_read(inode)) {
		ret = -EPERM;
		goto out_unlock;
	}
	/*
	 * Setting size 0 again is a no-op.  Passing it on would let shmem
	 * free pages allocated beyond EOF with FALLOC_FL_KEEP_SIZE without
	 * any notification.
	 */
	ret = 0;
	if (size)
		ret = notify_change(&init_user_ns, dentry, &attr, NULL);
out_unlock:
	inode_unlock(inode);
	return ret;
}

static int inaccessible_setattr(struct user_namespace *mnt_userns,
				struct dentry *dentry, struct iattr *attr)
{
	struct inode *inode = d_inode(dentry);
	int ret;

	ret = setattr_prepare(mnt_userns, dentry, attr);
	if (ret)
		return ret;

	if (attr->ia_valid & ATTR_SIZE) {
		ret = inaccessible_set_size(inode->i_private, attr->ia_size);
		if (ret)
			return ret;
	}

	setattr_copy(mnt_userns, inode, attr);
	mark_inode_dirty(inode);
	return 0;
}

static const struct inode_operations inaccessible_iops = {
	.getattr	= inaccessible_getattr,
	.setattr	= inaccessible_setattr,
};

/*
 * Guest private memory is never swapped, and must not sit in movable
 * pageblocks (ZONE_MOVABLE, CMA) that memory hot-remove and CMA expect to
 * be able to empty.  It never migrates either: KVM maps its pages into
 * guests by pfn without holding them.
 */
static void inaccessible_set_memory_policy(struct address_space *mapping)
{
	mapping_set_gfp_mask(mapping, mapping_gfp_mask(mapping) & ~__GFP_MOVABLE);
	mapping_set_unevictable(mapping);
	mapping_set_unmovable(mapping);
}

/**
 * inaccessible_file_create - create an inaccessible memfd
 * @name: name of the backing shmem file ("memfd:..." for memfd_create())
 *
 * Creates a size-0 inaccessible file.  memfd_create(MFD_INACCESSIBLE) uses
 * this; in-kernel users may too.
 *
 * Return: the new file, opened O_RDWR, or an ERR_PTR().
 */
struct file *inaccessible_file_create(const char *name)
{
	struct inaccessible_data *data;
	struct file *memfd, *file;
	struct inode *inode;
	int err;

	if (IS_ERR_OR_NULL(inaccessible_mnt))
		return ERR_PTR(-ENODEV);

	memfd = shmem_file_setup(name, 0, VM_NORESERVE);
	if (IS_ERR(memfd))
		return memfd;
	inaccessible_set_memory_policy(memfd->f_mapping);

	data = kzalloc(sizeof(*data), GFP_KERNEL);
	if (!data) {
		err = -ENOMEM;
		goto err_put_memfd;
	}
	data->ucounts = get_ucounts(current_ucounts());
	if (!data->ucounts) {
		err = -ENOMEM;
		goto err_free_data;
	}
	data->memfd = memfd;
	mutex_init(&data->alloc_lock);
	mutex_init(&data->notifier_lock);
	INIT_LIST_HEAD(&data->notifiers);
	spin_lock_init(&data->seq_lock);

	inode = anon_inode_make_secure_inode(inaccessible_mnt->mnt_sb,
					     "[memfd:inaccessible]", NULL);
	if (IS_ERR(inode)) {
		err = PTR_ERR(inode);
		goto err_put_ucounts;
	}
	/*
	 * A regular file, so that fallocate() and ftruncate() reach us.  The
	 * inode keeps the no_open_fops of a new inode: reopening it through
	 * /proc/<pid>/fd fails with -ENXIO.
	 */
	inode->i_mode |= S_IFREG;
	inode->i_op = &inaccessible_iops;
	inode->i_private = data;

	file = alloc_file_pseudo(inode, inaccessible_mnt, "[memfd:inaccessible]",
				 O_RDWR, &inaccessible_fops);
	if (IS_ERR(file)) {
		err = PTR_ERR(file);
		goto err_put_inode;
	}
	file->f_flags |= O_LARGEFILE;
	return file;

err_put_inode:
	inode->i_private = NULL;
	iput(inode);
err_put_ucounts:
	put_ucounts(data->ucounts);
err_free_data:
	kfree(data);
err_put_memfd:
	fput(memfd);
	return ERR_PTR(err);
}
EXPORT_SYMBOL_GPL(inaccessible_file_create);

/**
 * inaccessible_register_notifier - get told about invalidated pages
 * @file: an inaccessible memfd
 * @notifier: notifier with @notifier->ops set; not registered anywhere yet
 *
 * From now on, every punch-hole of @file calls
 * @notifier->ops->invalidate_begin() before any page of the range is freed
 * and @notifier->ops->invalidate_end() after, with the page-index range
 * [start, end).  The callbacks may sleep; they must not call any function
 * of this API on @file.
 *
 * The notifier holds a reference to @file until
 * inaccessible_unregister_notifier(): closing every file descriptor of
 * @file does not release it while a notifier is registered.
 *
 * Return: 0, or -EINVAL if @file is not an inaccessible memfd.
 */
int inaccessible_register_notifier(struct file *file,
				   struct inaccessible_notifier *notifier)
{
	struct inaccessible_data *data;

	if (!file_is_inaccessible(file))
		return -EINVAL;
	data = inaccessible_data(file);

	get_file(file);
	mutex_lock(&data->notifier_lock);
	list_add(&notifier->list, &data->notifiers);
	mutex_unlock(&data->notifier_lock);
	return 0;
}
EXPORT_SYMBOL_GPL(inaccessible_register_notifier);

/**
 * inaccessible_unregister_notifier - undo inaccessible_register_notifier()
 * @file: the file @notifier was registered on
 * @notifier: a registered notifier
 *
 * Waits for a running invalidation to finish.  When this returns, no
 * callback of @notifier runs any more.  Drops the notifier's reference to
 * @file, which may be the last one.
 */
void inaccessible_unregister_notifier(struct file *file,
				      struct inaccessible_notifier *notifier)
{
	struct inaccessible_data *data;

	if (WARN_ON_ONCE(!file_is_inaccessible(file)))
		return;
	data = inaccessible_data(file);

	mutex_lock(&data->notifier_lock);
	list_del(&notifier->list);
	mutex_unlock(&data->notifier_lock);
	fput(file);
}
EXPORT_SYMBOL_GPL(inaccessible_unregister_notifier);

/*
 * Allocate the page at @pgoff, charged, for inaccessible_get_pfn().  On
 * success, returns with the folio locked and the backing invalidate_lock
 * held for read, as inaccessible_get_pfn() holds them after a lookup.
 */
static int inaccessible_alloc_folio(struct inaccessible_data *data,
				    pgoff_t pgoff, struct folio **foliop)
{
	struct inode *inode = file_inode(data->memfd);
	int ret;

	mutex_lock(&data->alloc_lock);
	ret = inaccessible_reserve(data, pgoff, pgoff + 1);
	if (ret) {
		pr_warn_ratelimited("%s[%d]: page %lu not allocated: RLIMIT_MEMLOCK (%lu KiB) reached; raise the memlock limit, see Documentation/mm/inaccessible-memfd.rst\n",
				    current->comm, task_pid_nr(current), pgoff,
				    rlimit(RLIMIT_MEMLOCK) >> 10);
		goto out_unlock;
	}
	filemap_invalidate_lock_shared(inode->i_mapping);
	/* SGP_CACHE: allocate up to i_size. */
	ret = shmem_get_folio(inode, pgoff, foliop, SGP_CACHE);
	if (ret)
		filemap_invalidate_unlock_shared(inode->i_mapping);
	inaccessible_settle(data);
out_unlock:
	mutex_unlock(&data->alloc_lock);
	return ret;
}

/*
 * The fault path's common case, a page that is in the file and uptodate:
 * take a reference without the folio lock, which shmem_get_folio() would
 * take and drop for nothing.  Called with the backing invalidate_lock held
 * for read, so no punch-hole can remove the folio until the caller drops
 * it (the size never shrinks, and the pages are unevictable and
 * unmovable); and folio_mark_dirty() needs no folio lock for the same
 * reason.  A folio that is not uptodate (fallocated, not yet zeroed) or a
 * hole goes the slow way, which zeroes or allocates under the folio lock.
 *
 * Return: the folio with a reference, or NULL.
 */
static struct folio *inaccessible_lookup_uptodate(struct address_space *mapping,
						  pgoff_t pgoff)
{
	struct folio *folio = filemap_get_folio(mapping, pgoff);

	if (folio && !folio_test_uptodate(folio)) {
		folio_put(folio);
		folio = NULL;
	}
	return folio;
}

/**
 * inaccessible_get_pfn - get the page at a file index, allocating it
 * @file: an inaccessible memfd
 * @pgoff: page index in @file
 * @pfn: set to the pfn of the page at @pgoff
 * @order: set to the order of the folio containing it (0, or the THP
 *	   order); the folio is naturally aligned in the file and in memory
 *
 * A newly allocated page is zeroed and charged like a page allocated by
 * fallocate(), against the RLIMIT_MEMLOCK of the calling task (for KVM, the
 * vCPU thread).  The page is returned with a reference
 * that the caller drops with inaccessible_put_pfn().  The reference keeps
 * the page from being freed, not from being removed from @file by a
 * punch-hole: see inaccessible_invalidate_seq() for how to map it safely.
 * Must not be called with a lock held that a notifier callback of @file
 * takes.
 *
 * Return: 0; -EINVAL if @file is not an inaccessible memfd or @pgoff is at
 * or beyond the end of the file; -ENOMEM when the page would exceed the
 * RLIMIT_MEMLOCK of the calling task and it lacks CAP_IPC_LOCK (logged,
 * rate limited), or when no memory can be allocated; -ENOSPC or -EINTR
 * when no page can be allocated.  Retrying does not help: KVM fails
 * KVM_RUN with the error.
 */
int inaccessible_get_pfn(struct file *file, pgoff_t pgoff,
			 unsigned long *pfn, int *order)
{
	struct inaccessible_data *data;
	struct inode *inode;
	struct folio *folio;
	int ret;

	if (!file_is_inaccessible(file))
		return -EINVAL;
	data = inaccessible_data(file);
	inode = file_inode(data->memfd);

	/* Also keeps "pgoff << PAGE_SHIFT" in shmem from overflowing. */
	if (pgoff >= DIV_ROUND_UP(i_size_read(inode), PAGE_SIZE))
		return -EINVAL;

	filemap_invalidate_lock_shared(inode->i_mapping);
	folio = inaccessible_lookup_uptodate(inode->i_mapping, pgoff);
	if (folio)
		goto out_found;

	/* SGP_NOALLOC: no allocation, zero what fallocate() left !uptodate. */
	ret = shmem_get_folio(inode, pgoff, &folio, SGP_NOALLOC);
	if (ret == -ENOENT) {
		/* A hole: allocate it under alloc_lock, which ranks higher. */
		filemap_invalidate_unlock_shared(inode->i_mapping);
		ret = inaccessible_alloc_folio(data, pgoff, &folio);
		if (ret)
			return ret;
	} else if (ret) {
		goto out_unlock;
	}
	folio_unlock(folio);

out_found:
	folio_mark_dirty(folio);
	*pfn = page_to_pfn(folio_file_page(folio, pgoff));
	*order = folio_order(folio);
	ret = 0;
out_unlock:
	filemap_invalidate_unlock_shared(inode->i_mapping);
	return ret;
}
EXPORT_SYMBOL_GPL(inaccessible_get_pfn);

/**
 * inaccessible_put_pfn - drop the reference inaccessible_get_pfn() took
 * @file: the file the page came from; not dereferenced, since the
 *	  reference is on the page and may outlive the file
 * @pfn: the pfn inaccessible_get_pfn() returned
 */
void inaccessible_put_pfn(struct file *file, unsigned long pfn)
{
	if (WARN_ON_ONCE(!pfn_valid(pfn)))
		return;
	put_page(pfn_to_page(pfn));
}
EXPORT_SYMBOL_GPL(inaccessible_put_pfn);

/**
 * inaccessible_invalidate_seq - sample the invalidation sequence count
 * @file: an inaccessible memfd
 *
 * The invalidation protocol: a consumer that maps pages of @file
 *
 *   1. samples seq = inaccessible_invalidate_seq(file);
 *   2. calls inaccessible_get_pfn();
 *   3. takes lock L, the lock its invalidate_begin() callback takes to
 *      remove mappings;
 *   4. if inaccessible_invalidate_retry(file, seq), drops L, puts the page
 *      and starts over; else installs the mapping and drops L.
 *
 * A punch-hole bumps the "active" count before it calls invalidate_begin()
 * and bumps the sequence count after invalidate_end().  So either step 4
 * sees the invalidation and retries, or the mapping was installed under L
 * before invalidate_begin() took L and the callback removes it.  A page
 * obtained before a punch-hole can thus never stay mapped after it.
 *
 * Return: the current sequence count (0 for a file that is not an
 * inaccessible memfd).
 */
unsigned long inaccessible_invalidate_seq(struct file *file)
{
	struct inaccessible_data *data;
	unsigned long seq;

	if (WARN_ON_ONCE(!file_is_inaccessible(file)))
		return 0;
	data = inaccessible_data(file);

	spin_lock(&data->seq_lock);
	seq = data->invalidate_seq;
	spin_unlock(&data->seq_lock);
	return seq;
}
EXPORT_SYMBOL_GPL(inaccessible_invalidate_seq);

/**
 * inaccessible_invalidate_retry - must a page obtained after @seq be retried
 * @file: an inaccessible memfd
 * @seq: value returned by inaccessible_invalidate_seq()
 *
 * See inaccessible_invalidate_seq().
 *
 * Return: true if an invalidation is in progress or has completed since
 * @seq was sampled.
 */
bool inaccessible_invalidate_retry(struct file *file, unsigned long seq)
{
	struct inaccessible_data *data;
	bool retry;

	if (WARN_ON_ONCE(!file_is_inaccessible(file)))
		return true;
	data = inaccessible_data(file);

	spin_lock(&data->seq_lock);
	retry = data->invalidate_active || data->invalidate_seq != seq;
	spin_unlock(&data->seq_lock);
	return retry;
}
EXPORT_SYMBOL_GPL(inaccessible_invalidate_retry);

static const struct super_operations inaccessible_sops = {
	.statfs		= simple_statfs,
	.drop_inode	= generic_delete_inode,
	.evict_inode	= inaccessible_evict_inode,
};

static int inaccessible_init_fs_context(struct fs_context *fc)
{
	struct pseudo_fs_context *ctx = init_pseudo(fc, INACCESSIBLE_MAGIC);

	if (!ctx)
		return -ENOMEM;
	ctx->ops = &inaccessible_sops;
	fc->s_iflags |= SB_I_NOEXEC;
	return 0;
}

static struct file_system_type inaccessible_fs = {
	.name		= "[inaccessible]",
	.init_fs_context = inaccessible_init_fs_context,
	.kill_sb	= kill_anon_super,
};

static struct ctl_table inaccessible_sysctls[] = {
	{
		.procname	= "memfd_inaccessible",
		.data		= &sysctl_memfd_inaccessible,
		.maxlen		= sizeof(sysctl_memfd_inaccessible),
		.mode		= 0644,
		.proc_handler	= proc_dointvec_minmax,
		.extra1		= SYSCTL_ZERO,
		.extra2		= SYSCTL_ONE,
	},
	{}
};

static int __init inaccessible_init(void)
{
	inaccessible_mnt = kern_mount(&inaccessible_fs);
	if (IS_ERR(inaccessible_mnt)) {
		pr_err("cannot mount the pseudo filesystem: %ld\n",
		       PTR_ERR(inaccessible_mnt));
		return PTR_ERR(inaccessible_mnt);
	}
	inaccessible_mnt->mnt_flags |= MNT_NOEXEC;
	/* Before initcalls end, so that sysctl.vm.* on the command line works. */
	register_sysctl_init("vm", inaccessible_sysctls);
	return 0;
}
fs_initcall(inaccessible_init);
