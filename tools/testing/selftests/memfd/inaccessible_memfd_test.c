// SPDX-License-Identifier: GPL-2.0
/*
 * memfd_create(MFD_INACCESSIBLE): the userspace ABI.
 *
 * An inaccessible memfd can be sized, allocated and freed, never read,
 * written or mapped.  Every case states its expectation; see
 * Documentation/mm/inaccessible-memfd.rst for the table this checks.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/falloc.h>
#include <linux/io_uring.h>
#include <linux/magic.h>
#include <linux/memfd.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../kselftest.h"

#ifndef MFD_INACCESSIBLE
#define MFD_INACCESSIBLE	0x0008U
#endif
#ifndef INACCESSIBLE_MAGIC
#define INACCESSIBLE_MAGIC	0x494e4143
#endif
#ifndef F_ADD_SEALS
#define F_ADD_SEALS		(1024 + 9)
#define F_GET_SEALS		(1024 + 10)
#define F_SEAL_WRITE		0x0008
#endif

#ifndef FIBMAP
#define FIBMAP			_IO(0x00, 1)
#endif

/* The legacy XFS preallocation ioctls (include/linux/falloc.h, not uapi). */
struct space_resv {
	int16_t l_type;
	int16_t l_whence;
	int64_t l_start;
	int64_t l_len;
	int32_t l_sysid;
	uint32_t l_pid;
	int32_t l_pad[4];
};

#define FS_IOC_RESVSP		_IOW('X', 40, struct space_resv)
#define FS_IOC_UNRESVSP		_IOW('X', 41, struct space_resv)
#define FS_IOC_RESVSP64		_IOW('X', 42, struct space_resv)
#define FS_IOC_UNRESVSP64	_IOW('X', 43, struct space_resv)
#define FS_IOC_ZERO_RANGE	_IOW('X', 57, struct space_resv)

#define SYSCTL_PATH	"/proc/sys/vm/memfd_inaccessible"

#define PUNCH		(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE)
#define KiB		1024UL
#define MiB		(1024UL * 1024)
#define GiB		(1024 * MiB)

static long page_size;
static bool case_failed;

/* Report a broken expectation of the current case and go on. */
static void fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("# FAIL: ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	case_failed = true;
}

#define EXPECT(cond, ...) do { if (!(cond)) fail(__VA_ARGS__); } while (0)

/* Expect a syscall result of -1 with @err. */
#define EXPECT_ERRNO(expr, err) do {					\
	int __want = (err);						\
	long __r;							\
	errno = 0;							\
	__r = (long)(expr);						\
	if (__r != -1 || errno != __want)				\
		fail("%s: expected -1/%s, got %ld/%s", #expr,		\
		     strerror(__want), __r, strerror(errno));		\
} while (0)

#define EXPECT_OK(expr) do {						\
	errno = 0;							\
	long __r = (long)(expr);					\
	if (__r < 0)							\
		fail("%s: expected success, got %ld/%s", #expr, __r,	\
		     strerror(errno));					\
} while (0)

static int sys_memfd_create(const char *name, unsigned int flags)
{
	return syscall(__NR_memfd_create, name, flags);
}

static int inaccessible_fd(size_t size)
{
	int fd = sys_memfd_create("inaccessible_test", MFD_INACCESSIBLE);

	if (fd < 0)
		ksft_exit_fail_msg("memfd_create(MFD_INACCESSIBLE): %s\n",
				   strerror(errno));
	if (size && ftruncate(fd, size))
		ksft_exit_fail_msg("ftruncate(%zu): %s\n", size, strerror(errno));
	return fd;
}

static struct stat fstat_or_die(int fd)
{
	struct stat st;

	if (fstat(fd, &st))
		ksft_exit_fail_msg("fstat: %s\n", strerror(errno));
	return st;
}

/* A field of /proc/meminfo, in kB, or -1. */
static long meminfo_kb(const char *field)
{
	char line[256];
	size_t len = strlen(field);
	long val = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, len) && line[len] == ':') {
			val = strtol(line + len + 1, NULL, 10);
			break;
		}
	fclose(f);
	return val;
}

static int write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, val, strlen(val));
	close(fd);
	return n == (ssize_t)strlen(val) ? 0 : -1;
}

static long read_long(const char *path)
{
	char buf[64] = "";
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	if (read(fd, buf, sizeof(buf) - 1) < 0)
		buf[0] = 0;
	close(fd);
	return buf[0] ? strtol(buf, NULL, 10) : -1;
}

/*
 * Expect: every combination of the four flag bits: only MFD_INACCESSIBLE
 * with MFD_ALLOW_SEALING or MFD_HUGETLB is refused, with -EINVAL.
 */
static int test_flag_combinations(void)
{
	unsigned int flags;

	for (flags = 0; flags < 16; flags++) {
		bool inacc = flags & MFD_INACCESSIBLE;
		bool bad = inacc && (flags & (MFD_ALLOW_SEALING | MFD_HUGETLB));
		int fd = sys_memfd_create("flags", flags);

		if (bad) {
			EXPECT(fd == -1 && errno == EINVAL,
			       "flags %#x: expected EINVAL, got fd %d errno %s",
			       flags, fd, strerror(errno));
		} else if (fd < 0) {
			fail("flags %#x: expected success, got %s", flags,
			     strerror(errno));
		}
		if (fd < 0)
			continue;
		if (inacc) {
			struct statfs sfs;
			int fdflags = fcntl(fd, F_GETFD);

			EXPECT(!fstatfs(fd, &sfs) && sfs.f_type == INACCESSIBLE_MAGIC,
			       "flags %#x: not an inaccessible memfd", flags);
			EXPECT(!!(fdflags & FD_CLOEXEC) == !!(flags & MFD_CLOEXEC),
			       "flags %#x: FD_CLOEXEC is %d", flags,
			       !!(fdflags & FD_CLOEXEC));
		}
		close(fd);
	}
	return KSFT_PASS;
}

/* Expect: unknown bits and hugetlb size bits are refused with -EINVAL. */
static int test_flag_unknown(void)
{
	static const unsigned int bad[] = {
		0x10, 0x10 | MFD_INACCESSIBLE, 0x80000000U | MFD_INACCESSIBLE,
		MFD_INACCESSIBLE | MFD_HUGETLB | (21U << 26),
		MFD_INACCESSIBLE | MFD_CLOEXEC | MFD_ALLOW_SEALING,
		MFD_INACCESSIBLE | MFD_CLOEXEC | MFD_HUGETLB,
		MFD_INACCESSIBLE | (21U << 26),
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		EXPECT_ERRNO(sys_memfd_create("bad", bad[i]), EINVAL);
	return KSFT_PASS;
}

/*
 * Expect: read, readv, write and writev fail with -EINVAL, whatever the
 * size and allocation state.
 */
static int test_read_write_denied(void)
{
	int fd = inaccessible_fd(4 * page_size);
	char buf[64] = "x";
	struct iovec iov = { buf, sizeof(buf) };

	EXPECT_OK(fallocate(fd, 0, 0, 4 * page_size));
	EXPECT_ERRNO(read(fd, buf, sizeof(buf)), EINVAL);
	EXPECT_ERRNO(readv(fd, &iov, 1), EINVAL);
	EXPECT_ERRNO(write(fd, buf, sizeof(buf)), EINVAL);
	EXPECT_ERRNO(writev(fd, &iov, 1), EINVAL);
	close(fd);
	return KSFT_PASS;
}

/* Expect: pread, pwrite, preadv, pwritev and lseek fail with -ESPIPE. */
static int test_positional_denied(void)
{
	int fd = inaccessible_fd(4 * page_size);
	char buf[64];
	struct iovec iov = { buf, sizeof(buf) };

	EXPECT_OK(fallocate(fd, 0, 0, page_size));
	EXPECT_ERRNO(pread(fd, buf, sizeof(buf), 0), ESPIPE);
	EXPECT_ERRNO(pwrite(fd, buf, sizeof(buf), 0), ESPIPE);
	EXPECT_ERRNO(preadv(fd, &iov, 1, 0), ESPIPE);
	EXPECT_ERRNO(pwritev(fd, &iov, 1, 0), ESPIPE);
	EXPECT_ERRNO(lseek(fd, 0, SEEK_SET), ESPIPE);
	EXPECT_ERRNO(lseek(fd, 0, SEEK_CUR), ESPIPE);
	EXPECT_ERRNO(lseek(fd, 0, SEEK_END), ESPIPE);
	close(fd);
	return KSFT_PASS;
}

/*
 * Expect: mmap, shared or private, with any protection, fails -ENODEV
 * (-EPERM with PROT_EXEC: the pseudo filesystem is noexec).
 */
static int test_mmap_denied(void)
{
	static const int prots[] = { PROT_NONE, PROT_READ, PROT_WRITE,
				     PROT_READ | PROT_WRITE, PROT_READ | PROT_EXEC };
	static const int types[] = { MAP_SHARED, MAP_PRIVATE, MAP_SHARED_VALIDATE };
	int fd = inaccessible_fd(4 * page_size);
	unsigned int p, t;

	EXPECT_OK(fallocate(fd, 0, 0, 4 * page_size));
	for (p = 0; p < ARRAY_SIZE(prots); p++)
		for (t = 0; t < ARRAY_SIZE(types); t++) {
			void *addr = mmap(NULL, page_size, prots[p], types[t], fd, 0);
			/* The mount is noexec: PROT_EXEC fails even earlier. */
			int err = prots[p] & PROT_EXEC ? EPERM : ENODEV;

			EXPECT(addr == MAP_FAILED && errno == err,
			       "mmap(prot %#x, flags %#x): expected %s, got %p/%s",
			       prots[p], types[t], strerror(err), addr,
			       strerror(errno));
			if (addr != MAP_FAILED)
				munmap(addr, page_size);
		}
	close(fd);
	return KSFT_PASS;
}

/*
 * Expect: splice and sendfile from the fd fail with -EINVAL, splice into
 * it too; copy_file_range either way fails with -EXDEV or -EINVAL.
 */
static int test_splice_sendfile_copy_denied(void)
{
	int fd = inaccessible_fd(4 * page_size);
	int pipefd[2], shm;
	loff_t off = 0;
	ssize_t r;

	EXPECT_OK(fallocate(fd, 0, 0, 4 * page_size));
	if (pipe(pipefd))
		ksft_exit_fail_msg("pipe: %s\n", strerror(errno));
	EXPECT_ERRNO(splice(fd, NULL, pipefd[1], NULL, page_size, 0), EINVAL);
	EXPECT_ERRNO(sendfile(pipefd[1], fd, NULL, page_size), EINVAL);
	EXPECT_OK(write(pipefd[1], "data", 4));
	EXPECT_ERRNO(splice(pipefd[0], NULL, fd, NULL, 4, 0), EINVAL);

	shm = sys_memfd_create("plain", 0);
	EXPECT_OK(ftruncate(shm, page_size));
	errno = 0;
	r = copy_file_range(fd, NULL, shm, &off, page_size, 0);
	EXPECT(r == -1 && (errno == EXDEV || errno == EINVAL),
	       "copy_file_range from it: expected EXDEV/EINVAL, got %zd/%s",
	       r, strerror(errno));
	off = 0;
	errno = 0;
	r = copy_file_range(shm, &off, fd, NULL, page_size, 0);
	EXPECT(r == -1 && (errno == EXDEV || errno == EINVAL),
	       "copy_file_range into it: expected EXDEV/EINVAL, got %zd/%s",
	       r, strerror(errno));
	close(shm);
	close(pipefd[0]);
	close(pipefd[1]);
	close(fd);
	return KSFT_PASS;
}

/* Expect: ioctl -ENOTTY, fsync/fdatasync -EINVAL, seals -EINVAL. */
static int test_ioctl_fsync_seals_denied(void)
{
	int fd = inaccessible_fd(page_size);

	EXPECT_ERRNO(ioctl(fd, _IO('x', 0x42), 0), ENOTTY);
	EXPECT_ERRNO(ioctl(fd, _IOR('m', 1, int), 0), ENOTTY);
	EXPECT_ERRNO(fsync(fd), EINVAL);
	EXPECT_ERRNO(fdatasync(fd), EINVAL);
	EXPECT_ERRNO(fcntl(fd, F_GET_SEALS), EINVAL);
	EXPECT_ERRNO(fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE), EINVAL);
	close(fd);
	return KSFT_PASS;
}

/*
 * Expect: the harmless operations work: fstat, fstatfs, dup, fcntl flags,
 * fchmod, close.
 */
static int test_allowed_ops(void)
{
	int fd = inaccessible_fd(0), fd2;
	struct statfs sfs;
	struct stat st;

	EXPECT_OK(fstatfs(fd, &sfs));
	EXPECT(sfs.f_type == INACCESSIBLE_MAGIC, "f_type %#lx, expected %#x",
	       (long)sfs.f_type, INACCESSIBLE_MAGIC);
	st = fstat_or_die(fd);
	EXPECT(S_ISREG(st.st_mode), "st_mode %#o is not a regular file", st.st_mode);
	EXPECT(st.st_size == 0 && st.st_blocks == 0, "new file: size %lld blocks %lld",
	       (long long)st.st_size, (long long)st.st_blocks);
	EXPECT(fcntl(fd, F_GETFL) & O_RDWR, "not O_RDWR");
	EXPECT_OK(fcntl(fd, F_SETFD, FD_CLOEXEC));
	EXPECT(fcntl(fd, F_GETFD) == FD_CLOEXEC, "F_SETFD lost");
	EXPECT_OK(fchmod(fd, 0600));
	fd2 = dup(fd);
	EXPECT_OK(fd2);
	EXPECT_OK(ftruncate(fd2, page_size));
	EXPECT(fstat_or_die(fd).st_size == page_size, "size not seen through dup");
	EXPECT_OK(close(fd2));
	EXPECT_OK(close(fd));
	return KSFT_PASS;
}

/* Expect: fstat reports the real size and allocated blocks. */
static int test_fstat_size_blocks(void)
{
	int fd = inaccessible_fd(0);
	struct stat st;

	EXPECT_OK(ftruncate(fd, 2 * MiB));
	st = fstat_or_die(fd);
	EXPECT(st.st_size == (off_t)(2 * MiB) && st.st_blocks == 0,
	       "after ftruncate: size %lld blocks %lld", (long long)st.st_size,
	       (long long)st.st_blocks);
	EXPECT_OK(fallocate(fd, 0, 0, MiB));
	st = fstat_or_die(fd);
	EXPECT(st.st_size == (off_t)(2 * MiB) && st.st_blocks == (blkcnt_t)(MiB / 512),
	       "after fallocate 1M: size %lld blocks %lld", (long long)st.st_size,
	       (long long)st.st_blocks);
	close(fd);
	return KSFT_PASS;
}

/*
 * Expect: the size is set once, page aligned: unaligned -EINVAL, a second
 * ftruncate -EPERM (also after fallocate sized the file).
 */
static int test_ftruncate_rules(void)
{
	int fd = inaccessible_fd(0);

	EXPECT_ERRNO(ftruncate(fd, page_size - 1), EINVAL);
	EXPECT_ERRNO(ftruncate(fd, page_size + 1), EINVAL);
	EXPECT_OK(ftruncate(fd, 0));
	EXPECT_OK(ftruncate(fd, 4 * page_size));
	EXPECT_ERRNO(ftruncate(fd, 4 * page_size), EPERM);
	EXPECT_ERRNO(ftruncate(fd, 8 * page_size), EPERM);
	EXPECT_ERRNO(ftruncate(fd, 0), EPERM);
	EXPECT_ERRNO(ftruncate(fd, page_size + 1), EINVAL);
	EXPECT(fstat_or_die(fd).st_size == 4 * page_size, "size changed");
	close(fd);

	/* ftruncate(0) of an unsized file frees nothing allocated past EOF. */
	fd = inaccessible_fd(0);
	EXPECT_OK(fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, page_size));
	EXPECT_OK(ftruncate(fd, 0));
	EXPECT(fstat_or_die(fd).st_blocks == page_size / 512,
	       "ftruncate(0) freed KEEP_SIZE pages");
	close(fd);

	fd = inaccessible_fd(0);
	EXPECT_OK(fallocate(fd, 0, 0, 2 * page_size));
	EXPECT(fstat_or_die(fd).st_size == 2 * page_size, "fallocate did not grow");
	EXPECT_ERRNO(ftruncate(fd, 4 * page_size), EPERM);
	close(fd);
	return KSFT_PASS;
}

/*
 * Expect: mode 0 and KEEP_SIZE allocate (mode 0 may grow the file),
 * PUNCH_HOLE|KEEP_SIZE frees and must be page aligned, all else is
 * -EOPNOTSUPP (combinations the VFS rejects for every filesystem give
 * -EINVAL).
 */
static int test_fallocate_modes(void)
{
	static const int unsupported[] = {
		FALLOC_FL_PUNCH_HOLE, FALLOC_FL_ZERO_RANGE,
		FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE,
		FALLOC_FL_COLLAPSE_RANGE, FALLOC_FL_INSERT_RANGE,
		FALLOC_FL_UNSHARE_RANGE,
		FALLOC_FL_UNSHARE_RANGE | FALLOC_FL_KEEP_SIZE,
		PUNCH | FALLOC_FL_NO_HIDE_STALE, 0x100,
	};
	int fd = inaccessible_fd(8 * page_size);
	struct stat st;
	unsigned int i;

	EXPECT_OK(fallocate(fd, 0, 0, 2 * page_size));
	EXPECT_OK(fallocate(fd, FALLOC_FL_KEEP_SIZE, 2 * page_size, 2 * page_size));
	st = fstat_or_die(fd);
	EXPECT(st.st_size == 8 * page_size && st.st_blocks == 4 * page_size / 512,
	       "size %lld blocks %lld", (long long)st.st_size, (long long)st.st_blocks);

	EXPECT_OK(fallocate(fd, FALLOC_FL_KEEP_SIZE, 16 * page_size, page_size));
	EXPECT(fstat_or_die(fd).st_size == 8 * page_size, "KEEP_SIZE grew the file");
	EXPECT_OK(fallocate(fd, 0, 8 * page_size, 4 * page_size));
	EXPECT(fstat_or_die(fd).st_size == 12 * page_size, "mode 0 did not grow");

	EXPECT_ERRNO(fallocate(fd, PUNCH, 1, page_size), EINVAL);
	EXPECT_ERRNO(fallocate(fd, PUNCH, 0, page_size + 1), EINVAL);
	EXPECT_ERRNO(fallocate(fd, PUNCH, page_size / 2, page_size / 2), EINVAL);
	EXPECT_OK(fallocate(fd, PUNCH, 0, 32 * page_size));
	st = fstat_or_die(fd);
	EXPECT(st.st_blocks == 0 && st.st_size == 12 * page_size,
	       "after punch: size %lld blocks %lld", (long long)st.st_size,
	       (long long)st.st_blocks);

	for (i = 0; i < ARRAY_SIZE(unsupported); i++) {
		errno = 0;
		EXPECT(fallocate(fd, unsupported[i], 0, page_size) == -1 &&
		       errno == EOPNOTSUPP, "mode %#x: expected EOPNOTSUPP, got %s",
		       unsupported[i], strerror(errno));
	}
	/* Rejected by vfs_fallocate() for every filesystem. */
	EXPECT_ERRNO(fallocate(fd, FALLOC_FL_COLLAPSE_RANGE | FALLOC_FL_KEEP_SIZE,
			       0, page_size), EINVAL);
	EXPECT_ERRNO(fallocate(fd, 0, 0, 0), EINVAL);
	close(fd);
	return KSFT_PASS;
}

/*
 * Expect: a fallocate() that would grow the file to a size that is not a
 * multiple of the page size fails with -EINVAL and changes nothing, as
 * ftruncate() would; unaligned ranges that do not grow the file, and
 * FALLOC_FL_KEEP_SIZE, still work.
 */
static int test_fallocate_unaligned_size(void)
{
	int fd = inaccessible_fd(0);
	struct stat st;

	EXPECT_ERRNO(fallocate(fd, 0, 0, 100), EINVAL);
	EXPECT_ERRNO(fallocate(fd, 0, page_size, page_size + 1), EINVAL);
	st = fstat_or_die(fd);
	EXPECT(st.st_size == 0 && st.st_blocks == 0,
	       "refused fallocate changed the file: size %lld blocks %lld",
	       (long long)st.st_size, (long long)st.st_blocks);

	/* An unaligned start with an aligned end grows to an aligned size. */
	EXPECT_OK(fallocate(fd, 0, 100, 2 * page_size - 100));
	EXPECT(fstat_or_die(fd).st_size == 2 * page_size, "size %lld",
	       (long long)fstat_or_die(fd).st_size);
	EXPECT_OK(fallocate(fd, 0, 0, 100));
	EXPECT_OK(fallocate(fd, 0, page_size + 1, page_size - 2));
	EXPECT_ERRNO(fallocate(fd, 0, page_size, page_size + 100), EINVAL);
	EXPECT_OK(fallocate(fd, FALLOC_FL_KEEP_SIZE, 2 * page_size, 100));
	st = fstat_or_die(fd);
	EXPECT(st.st_size == 2 * page_size && st.st_blocks == 3 * page_size / 512,
	       "size %lld blocks %lld, expected %ld and %ld",
	       (long long)st.st_size, (long long)st.st_blocks, 2 * page_size,
	       3 * page_size / 512);
	EXPECT_ERRNO(ftruncate(fd, 4 * page_size), EPERM);
	close(fd);
	return KSFT_PASS;
}

/*
 * Expect: the preallocation ioctls that the VFS handles for every regular
 * file, and FIBMAP, fail with -ENOTTY like every other ioctl, whatever the
 * argument, and neither allocate nor free anything.
 */
static int test_prealloc_ioctls_denied(void)
{
	static const struct {
		unsigned long cmd;
		const char *name;
	} cmds[] = {
		{ FS_IOC_RESVSP, "FS_IOC_RESVSP" },
		{ FS_IOC_RESVSP64, "FS_IOC_RESVSP64" },
		{ FS_IOC_UNRESVSP, "FS_IOC_UNRESVSP" },
		{ FS_IOC_UNRESVSP64, "FS_IOC_UNRESVSP64" },
		{ FS_IOC_ZERO_RANGE, "FS_IOC_ZERO_RANGE" },
		{ FIBMAP, "FIBMAP" },
	};
	struct space_resv sr = {
		.l_whence = SEEK_SET, .l_start = 0, .l_len = 4 * page_size,
	};
	int fd = inaccessible_fd(8 * page_size);
	unsigned int i;
	struct stat st;
	long r;

	/* One page allocated: an UNRESVSP that got through would free it. */
	EXPECT_OK(fallocate(fd, 0, 0, page_size));
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		errno = 0;
		r = ioctl(fd, cmds[i].cmd, &sr);
		EXPECT(r == -1 && errno == ENOTTY, "%s: expected ENOTTY, got %ld/%s",
		       cmds[i].name, r, strerror(errno));
		errno = 0;
		r = ioctl(fd, cmds[i].cmd, NULL);
		EXPECT(r == -1 && errno == ENOTTY,
		       "%s(NULL): expected ENOTTY, got %ld/%s", cmds[i].name, r,
		       strerror(errno));
	}
	st = fstat_or_die(fd);
	EXPECT(st.st_size == 8 * page_size && st.st_blocks == page_size / 512,
	       "ioctls changed the file: size %lld blocks %lld",
	       (long long)st.st_size, (long long)st.st_blocks);
	close(fd);
	return KSFT_PASS;
}

/* Expect: reopening through /proc/self/fd never gives an accessible file. */
static int test_proc_reopen(void)
{
	static const int modes[] = { O_RDWR, O_RDONLY, O_WRONLY, O_RDWR | O_TRUNC };
	int fd = inaccessible_fd(page_size);
	char path[64];
	unsigned int i;

	EXPECT_OK(fallocate(fd, 0, 0, page_size));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	for (i = 0; i < 4; i++) {
		int fd2 = open(path, modes[i]);

		EXPECT(fd2 == -1 && errno == ENXIO,
		       "open(%s, %#x): expected ENXIO, got %d/%s", path, modes[i],
		       fd2, strerror(errno));
		if (fd2 >= 0)
			close(fd2);
	}
	close(fd);
	return KSFT_PASS;
}

/*
 * Expect: an O_PATH open of /proc/self/fd/N succeeds (the VFS never calls
 * ->open for O_PATH) but gives no access, and the path stays safe after
 * the last real fd is closed: stat and truncate through it still see the
 * backing file, and reopening it for I/O still fails with ENXIO.
 */
static int test_proc_opath(void)
{
	int fd = inaccessible_fd(page_size);
	char path[64], opath_path[64], buf[16];
	struct stat st;
	int opath, fd2;

	EXPECT_OK(fallocate(fd, 0, 0, page_size));
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	opath = open(path, O_PATH);
	EXPECT(opath >= 0, "open(%s, O_PATH): %s", path, strerror(errno));
	if (opath < 0) {
		close(fd);
		return KSFT_FAIL;
	}
	EXPECT_ERRNO(read(opath, buf, sizeof(buf)), EBADF);
	EXPECT(mmap(NULL, page_size, PROT_READ, MAP_SHARED, opath, 0) ==
	       MAP_FAILED && errno == EBADF, "mmap of the O_PATH fd: %s",
	       strerror(errno));

	close(fd);
	EXPECT_OK(fstat(opath, &st));
	EXPECT(st.st_size == (off_t)page_size && st.st_blocks > 0,
	       "fstat after close: size %lld blocks %lld", (long long)st.st_size,
	       (long long)st.st_blocks);
	snprintf(opath_path, sizeof(opath_path), "/proc/self/fd/%d", opath);
	EXPECT_ERRNO(truncate(opath_path, 2 * page_size), EPERM);
	fd2 = open(opath_path, O_RDWR);
	EXPECT(fd2 == -1 && errno == ENXIO, "reopen after close: %d/%s", fd2,
	       strerror(errno));
	if (fd2 >= 0)
		close(fd2);
	close(opath);
	return KSFT_PASS;
}

/*
 * Expect: allocation shows in blocks and in Unevictable, punch-hole gives
 * it all back.
 */
static int test_punch_frees_memory(void)
{
	const size_t size = 64 * MiB;
	long unevict0, unevict1, unevict2;
	int fd = inaccessible_fd(size);
	struct stat st;

	unevict0 = meminfo_kb("Unevictable");
	EXPECT_OK(fallocate(fd, 0, 0, size));
	unevict1 = meminfo_kb("Unevictable");
	st = fstat_or_die(fd);
	EXPECT(st.st_blocks == (blkcnt_t)(size / 512), "blocks %lld, expected %zu",
	       (long long)st.st_blocks, size / 512);
	EXPECT(unevict1 - unevict0 >= (long)(size / 1024) * 7 / 8,
	       "Unevictable grew by %ld kB only", unevict1 - unevict0);

	EXPECT_OK(fallocate(fd, PUNCH, 0, size));
	unevict2 = meminfo_kb("Unevictable");
	st = fstat_or_die(fd);
	EXPECT(st.st_blocks == 0, "blocks %lld after punch", (long long)st.st_blocks);
	EXPECT(unevict1 - unevict2 >= (long)(size / 1024) * 7 / 8,
	       "Unevictable shrank by %ld kB only", unevict1 - unevict2);
	ksft_print_msg("Unevictable: %ld -> %ld -> %ld kB\n", unevict0, unevict1,
		       unevict2);
	close(fd);
	return KSFT_PASS;
}

#define CG	"/sys/fs/cgroup"
#define CG_TEST	CG "/inaccessible_memfd_test"

/* Wait for one byte on @fd. */
static void wait_byte(int fd)
{
	char c;

	if (read(fd, &c, 1) != 1)
		exit(2);
}

/*
 * Expect: pages are charged to the memcg of the task that allocates them,
 * here a child in a test cgroup allocating through an fd its parent (in
 * the root cgroup) created; punch-hole uncharges them.
 */
static int test_memcg_accounting(void)
{
	const size_t size = 64 * MiB;
	int fd = inaccessible_fd(size);
	int to_child[2], to_parent[2], status;
	long cur0, cur1, cur2, unevict = -1;
	char line[256];
	FILE *f;
	pid_t pid;

	if (access(CG "/cgroup.controllers", F_OK))
		ksft_exit_fail_msg("cgroup2 not mounted at " CG "\n");
	write_file(CG "/cgroup.subtree_control", "+memory");
	rmdir(CG_TEST);
	if (mkdir(CG_TEST, 0755) || access(CG_TEST "/memory.current", F_OK)) {
		fail("cannot create a memory cgroup: %s", strerror(errno));
		return KSFT_FAIL;
	}
	if (pipe(to_child) || pipe(to_parent))
		ksft_exit_fail_msg("pipe: %s\n", strerror(errno));

	pid = fork();
	if (!pid) {
		char pidbuf[32];

		snprintf(pidbuf, sizeof(pidbuf), "%d", getpid());
		if (write_file(CG_TEST "/cgroup.procs", pidbuf))
			exit(3);
		if (write(to_parent[1], "m", 1) != 1)
			exit(2);
		wait_byte(to_child[0]);
		if (fallocate(fd, 0, 0, size))
			exit(4);
		if (write(to_parent[1], "a", 1) != 1)
			exit(2);
		wait_byte(to_child[0]);
		if (fallocate(fd, PUNCH, 0, size))
			exit(5);
		if (write(to_parent[1], "p", 1) != 1)
			exit(2);
		wait_byte(to_child[0]);
		exit(0);
	}

	wait_byte(to_parent[0]);
	cur0 = read_long(CG_TEST "/memory.current");
	EXPECT_OK(write(to_child[1], "g", 1));
	wait_byte(to_parent[0]);
	cur1 = read_long(CG_TEST "/memory.current");
	f = fopen(CG_TEST "/memory.stat", "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "unevictable ", 12))
			unevict = strtol(line + 12, NULL, 10);
	if (f)
		fclose(f);
	EXPECT_OK(write(to_child[1], "g", 1));
	wait_byte(to_parent[0]);
	cur2 = read_long(CG_TEST "/memory.current");
	EXPECT_OK(write(to_child[1], "g", 1));
	waitpid(pid, &status, 0);
	EXPECT(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	       "child failed with status %#x", status);

	ksft_print_msg("memory.current: %ld -> %ld -> %ld, unevictable %ld\n",
		       cur0, cur1, cur2, unevict);
	EXPECT(cur1 - cur0 >= (long)size * 7 / 8,
	       "memcg charged %ld bytes for %zu", cur1 - cur0, size);
	EXPECT(unevict >= (long)size * 7 / 8, "memcg unevictable %ld", unevict);
	EXPECT(cur1 - cur2 >= (long)size * 7 / 8,
	       "punch uncharged %ld bytes only", cur1 - cur2);
	close(to_child[0]);
	close(to_child[1]);
	close(to_parent[0]);
	close(to_parent[1]);
	close(fd);
	rmdir(CG_TEST);
	return KSFT_PASS;
}

/* The denied-access checks a process that received the fd runs. */
static bool still_inaccessible(int fd)
{
	char buf[16];
	struct statfs sfs;

	return read(fd, buf, sizeof(buf)) == -1 && errno == EINVAL &&
	       write(fd, buf, sizeof(buf)) == -1 && errno == EINVAL &&
	       mmap(NULL, page_size, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED &&
	       errno == ENODEV && !fstatfs(fd, &sfs) &&
	       sfs.f_type == INACCESSIBLE_MAGIC;
}

/*
 * Expect: vm.memfd_inaccessible is 1 by default.  At 0, every flag
 * combination with 0x8 fails with -EINVAL as on a stock 6.1 kernel
 * (systemd's MFD_CLOEXEC | MFD_NOEXEC_SEAL probe included), the other
 * flags work as before and an existing inaccessible fd keeps working;
 * values other than 0 and 1 are refused; back at 1 the flag works again.
 */
static int test_sysctl_disable(void)
{
	long old = read_long(SYSCTL_PATH), cur;
	unsigned int flags;
	struct statfs sfs;
	int fd, keep;

	if (old < 0) {
		fail("cannot read %s", SYSCTL_PATH);
		return KSFT_FAIL;
	}
	EXPECT(old == 1, "default %ld, expected 1", old);
	keep = inaccessible_fd(4 * page_size);

	EXPECT(!write_file(SYSCTL_PATH, "0"), "cannot write 0: %s",
	       strerror(errno));
	EXPECT(read_long(SYSCTL_PATH) == 0, "not 0 after writing 0");
	EXPECT_ERRNO(sys_memfd_create("systemd", MFD_CLOEXEC | 0x8), EINVAL);
	EXPECT_ERRNO(sys_memfd_create("huge", 0x8 | MFD_HUGETLB | (21U << 26)),
		     EINVAL);
	for (flags = 0; flags < 16; flags++) {
		fd = sys_memfd_create("off", flags);
		if (flags & 0x8)
			EXPECT(fd == -1 && errno == EINVAL,
			       "flags %#x at 0: expected EINVAL, got fd %d/%s",
			       flags, fd, strerror(errno));
		else
			EXPECT(fd >= 0, "flags %#x at 0: %s", flags,
			       strerror(errno));
		if (fd >= 0)
			close(fd);
	}
	EXPECT_OK(fallocate(keep, 0, 0, 4 * page_size));
	EXPECT(still_inaccessible(keep), "existing fd became accessible");

	EXPECT(write_file(SYSCTL_PATH, "2") && write_file(SYSCTL_PATH, "-1"),
	       "out-of-range value accepted");
	cur = read_long(SYSCTL_PATH);
	EXPECT(cur == 0, "value %ld after refused writes, expected 0", cur);

	EXPECT(!write_file(SYSCTL_PATH, "1"), "cannot write 1: %s",
	       strerror(errno));
	fd = sys_memfd_create("on", MFD_CLOEXEC | MFD_INACCESSIBLE);
	EXPECT(fd >= 0 && !fstatfs(fd, &sfs) && sfs.f_type == INACCESSIBLE_MAGIC,
	       "MFD_INACCESSIBLE at 1: fd %d/%s", fd, strerror(errno));
	if (fd >= 0)
		close(fd);
	close(keep);
	write_file(SYSCTL_PATH, old ? "1" : "0");
	return KSFT_PASS;
}

#define UNPRIV_ID	4711

/*
 * Run @fn in a child with RLIMIT_MEMLOCK @limit, as uid and gid
 * UNPRIV_ID (no capabilities) if @unprivileged.  True if it passed.
 */
static bool run_limited(void (*fn)(void), rlim_t limit, bool unprivileged)
{
	pid_t pid = fork();
	int status;

	if (pid < 0)
		ksft_exit_fail_msg("fork: %s\n", strerror(errno));
	if (!pid) {
		struct rlimit rl = { limit, limit };

		case_failed = false;
		if (setrlimit(RLIMIT_MEMLOCK, &rl))
			fail("setrlimit: %s", strerror(errno));
		else if (unprivileged &&
			 (setgroups(0, NULL) ||
			  setresgid(UNPRIV_ID, UNPRIV_ID, UNPRIV_ID) ||
			  setresuid(UNPRIV_ID, UNPRIV_ID, UNPRIV_ID)))
			fail("dropping privileges: %s", strerror(errno));
		else
			fn();
		exit(case_failed);
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

static void memlock_unprivileged(void)
{
	int fd = inaccessible_fd(0), fd2;
	struct stat st;

	EXPECT(geteuid() == UNPRIV_ID, "euid %d", geteuid());
	EXPECT_OK(fallocate(fd, 0, 0, 512 * KiB));
	EXPECT_ERRNO(fallocate(fd, 0, 0, 4 * MiB), ENOMEM);
	EXPECT_ERRNO(fallocate(fd, FALLOC_FL_KEEP_SIZE, 8 * MiB, 4 * MiB), ENOMEM);
	EXPECT_ERRNO(fallocate(fd, 0, 512 * KiB, 768 * KiB), ENOMEM);
	st = fstat_or_die(fd);
	EXPECT(st.st_size == (off_t)(512 * KiB) &&
	       st.st_blocks == (blkcnt_t)(512 * KiB / 512),
	       "refused fallocate changed the file: size %lld blocks %lld",
	       (long long)st.st_size, (long long)st.st_blocks);

	EXPECT_OK(fallocate(fd, PUNCH, 0, 4 * MiB));
	EXPECT_OK(fallocate(fd, 0, 0, 768 * KiB));

	/* The count is the user's, across files, and released on close. */
	fd2 = inaccessible_fd(0);
	EXPECT_ERRNO(fallocate(fd2, 0, 0, 512 * KiB), ENOMEM);
	EXPECT_OK(fallocate(fd2, 0, 0, 256 * KiB));
	close(fd);
	EXPECT_OK(fallocate(fd2, 0, 256 * KiB, 512 * KiB));
	close(fd2);
}

/*
 * Expect: an unprivileged user with a 1 MiB RLIMIT_MEMLOCK gets 512 KiB, is
 * refused 4 MiB (-ENOMEM, nothing allocated), and after punching
 * everything can allocate 768 KiB again; its files share the limit, and
 * closing one gives its pages back.
 */
static int test_memlock_unprivileged(void)
{
	EXPECT(run_limited(memlock_unprivileged, MiB, true),
	       "unprivileged child failed");
	return KSFT_PASS;
}

static void memlock_root(void)
{
	int fd = inaccessible_fd(0);

	EXPECT_OK(fallocate(fd, 0, 0, 16 * MiB));
	EXPECT(fstat_or_die(fd).st_blocks == (blkcnt_t)(16 * MiB / 512),
	       "blocks %lld", (long long)fstat_or_die(fd).st_blocks);
	close(fd);
}

/* Expect: root (CAP_IPC_LOCK) with a 1 MiB RLIMIT_MEMLOCK allocates 16 MiB. */
static int test_memlock_root(void)
{
	EXPECT(run_limited(memlock_root, MiB, false), "root child failed");
	return KSFT_PASS;
}

/*
 * Expect: a forked child keeps an inaccessible fd that allocates into the
 * same file.
 */
static int test_fork(void)
{
	int fd = inaccessible_fd(4 * MiB), status;
	pid_t pid = fork();

	if (!pid)
		exit(still_inaccessible(fd) && !fallocate(fd, 0, 0, MiB) ? 0 : 1);
	waitpid(pid, &status, 0);
	EXPECT(WIFEXITED(status) && !WEXITSTATUS(status), "child status %#x", status);
	EXPECT(fstat_or_die(fd).st_blocks == (blkcnt_t)(MiB / 512),
	       "child's allocation not visible: %lld blocks",
	       (long long)fstat_or_die(fd).st_blocks);
	close(fd);
	return KSFT_PASS;
}

/* Expect: an fd passed with SCM_RIGHTS is the same inaccessible file. */
static int test_scm_rights(void)
{
	int fd = inaccessible_fd(4 * MiB), sv[2], got = -1;
	char cbuf[CMSG_SPACE(sizeof(int))], byte = 'x';
	struct iovec iov = { &byte, 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cmsg;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		ksft_exit_fail_msg("socketpair: %s\n", strerror(errno));
	memset(cbuf, 0, sizeof(cbuf));
	cmsg = CMSG_FIRSTHDR(&msg);
	cmsg->cmsg_level = SOL_SOCKET;
	cmsg->cmsg_type = SCM_RIGHTS;
	cmsg->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
	EXPECT_OK(sendmsg(sv[0], &msg, 0));
	close(fd);		/* only the one in flight remains */

	memset(cbuf, 0, sizeof(cbuf));
	EXPECT_OK(recvmsg(sv[1], &msg, 0));
	cmsg = CMSG_FIRSTHDR(&msg);
	if (cmsg && cmsg->cmsg_type == SCM_RIGHTS)
		memcpy(&got, CMSG_DATA(cmsg), sizeof(int));
	if (got < 0) {
		fail("no fd received");
		return KSFT_FAIL;
	}
	EXPECT(still_inaccessible(got), "received fd is accessible");
	EXPECT(fstat_or_die(got).st_size == (off_t)(4 * MiB), "size lost");
	EXPECT_OK(fallocate(got, 0, 0, MiB));
	EXPECT_OK(fallocate(got, PUNCH, 0, MiB));
	close(got);
	close(sv[0]);
	close(sv[1]);
	return KSFT_PASS;
}

/* Just enough of io_uring, with the raw syscalls. */
struct ring {
	int fd;
	unsigned int *sq_tail, *sq_mask, *sq_array, *cq_head, *cq_tail, *cq_mask;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqes;
};

static int ring_setup(struct ring *r)
{
	struct io_uring_params p = {};
	size_t sq_len, cq_len;
	void *sq, *cq;

	r->fd = syscall(__NR_io_uring_setup, 8, &p);
	if (r->fd < 0)
		return -1;
	sq_len = p.sq_off.array + p.sq_entries * sizeof(unsigned int);
	cq_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	if (p.features & IORING_FEAT_SINGLE_MMAP) {
		sq_len = sq_len > cq_len ? sq_len : cq_len;
		cq_len = sq_len;
	}
	sq = mmap(NULL, sq_len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
		  r->fd, IORING_OFF_SQ_RING);
	if (sq == MAP_FAILED)
		return -1;
	cq = sq;
	if (!(p.features & IORING_FEAT_SINGLE_MMAP)) {
		cq = mmap(NULL, cq_len, PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_CQ_RING);
		if (cq == MAP_FAILED)
			return -1;
	}
	r->sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe),
		       PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd,
		       IORING_OFF_SQES);
	if (r->sqes == MAP_FAILED)
		return -1;
	r->sq_tail = sq + p.sq_off.tail;
	r->sq_mask = sq + p.sq_off.ring_mask;
	r->sq_array = sq + p.sq_off.array;
	r->cq_head = cq + p.cq_off.head;
	r->cq_tail = cq + p.cq_off.tail;
	r->cq_mask = cq + p.cq_off.ring_mask;
	r->cqes = cq + p.cq_off.cqes;
	return 0;
}

/* Submit one request and return its result (a negative errno or a count). */
static int ring_rw(struct ring *r, int opcode, int fd, void *buf,
		   unsigned int len, unsigned char sqe_flags)
{
	unsigned int tail = *r->sq_tail, head;
	struct io_uring_sqe *sqe = &r->sqes[tail & *r->sq_mask];
	int res;

	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = opcode;
	sqe->flags = sqe_flags;
	sqe->fd = fd;
	sqe->addr = (unsigned long)buf;
	sqe->len = len;
	sqe->off = 0;
	sqe->user_data = 42;
	r->sq_array[tail & *r->sq_mask] = tail & *r->sq_mask;
	__atomic_store_n(r->sq_tail, tail + 1, __ATOMIC_RELEASE);

	if (syscall(__NR_io_uring_enter, r->fd, 1, 1, IORING_ENTER_GETEVENTS,
		    NULL, 0) < 0)
		return -1000 - errno;
	head = __atomic_load_n(r->cq_head, __ATOMIC_ACQUIRE);
	if (head == __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE))
		return -2000;
	res = r->cqes[head & *r->cq_mask].res;
	__atomic_store_n(r->cq_head, head + 1, __ATOMIC_RELEASE);
	return res;
}

/*
 * Expect: io_uring read, write, readv and writev, inline or forced async,
 * fail with -EINVAL and move no data.
 */
static int test_io_uring_denied(void)
{
	static const struct { int op; const char *name; } ops[] = {
		{ IORING_OP_READ, "READ" }, { IORING_OP_WRITE, "WRITE" },
		{ IORING_OP_READV, "READV" }, { IORING_OP_WRITEV, "WRITEV" },
	};
	int fd = inaccessible_fd(4 * page_size);
	char *buf = malloc(page_size);
	struct iovec iov = { buf, page_size };
	struct ring r;
	unsigned int i, async;

	if (ring_setup(&r)) {
		fail("io_uring setup: %s (IO_URING is in the config)", strerror(errno));
		return KSFT_FAIL;
	}
	EXPECT_OK(fallocate(fd, 0, 0, 4 * page_size));
	memset(buf, 0x5a, page_size);
	for (async = 0; async < 2; async++)
		for (i = 0; i < 4; i++) {
			bool vec = ops[i].op == IORING_OP_READV ||
				   ops[i].op == IORING_OP_WRITEV;
			int res = ring_rw(&r, ops[i].op, fd, vec ? (void *)&iov : buf,
					  vec ? 1 : page_size,
					  async ? IOSQE_ASYNC : 0);

			EXPECT(res == -EINVAL, "io_uring %s%s: expected %d, got %d",
			       ops[i].name, async ? " (async)" : "", -EINVAL, res);
		}
	close(r.fd);
	free(buf);
	close(fd);
	return KSFT_PASS;
}

/* Expect: hundreds of inaccessible fds at once, each usable. */
static int test_many_fds(void)
{
	enum { NR = 512 };
	static int fds[NR];
	struct rlimit rl;
	int i, n = NR;

	if (!getrlimit(RLIMIT_NOFILE, &rl) && rl.rlim_cur < NR + 64) {
		rl.rlim_cur = rl.rlim_max < NR + 64 ? rl.rlim_max : NR + 64;
		setrlimit(RLIMIT_NOFILE, &rl);
		if (rl.rlim_cur < NR + 64)
			n = rl.rlim_cur - 64;
	}
	for (i = 0; i < n; i++) {
		fds[i] = sys_memfd_create("many", MFD_INACCESSIBLE | MFD_CLOEXEC);
		if (fds[i] < 0) {
			fail("fd %d: %s", i, strerror(errno));
			n = i;
			break;
		}
		if (ftruncate(fds[i], 16 * page_size) ||
		    fallocate(fds[i], 0, (i % 16) * page_size, page_size))
			fail("fd %d: sizing/allocating: %s", i, strerror(errno));
	}
	for (i = 0; i < n; i++) {
		struct stat st = fstat_or_die(fds[i]);

		EXPECT(st.st_size == 16 * page_size && st.st_blocks == page_size / 512,
		       "fd %d: size %lld blocks %lld", i, (long long)st.st_size,
		       (long long)st.st_blocks);
		close(fds[i]);
	}
	ksft_print_msg("%d fds\n", n);
	return KSFT_PASS;
}

/* Expect: a 1 GiB file costs only what is allocated in it. */
static int test_sparse_1g(void)
{
	int fd = inaccessible_fd(GiB), i;
	long unevict0 = meminfo_kb("Unevictable"), unevict1;
	struct stat st;

	for (i = 0; i < 16; i++)
		EXPECT_OK(fallocate(fd, 0, i * 64 * MiB + i * page_size, page_size));
	EXPECT_OK(fallocate(fd, 0, GiB - page_size, page_size));
	unevict1 = meminfo_kb("Unevictable");
	st = fstat_or_die(fd);
	EXPECT(st.st_size == (off_t)GiB, "size %lld", (long long)st.st_size);
	EXPECT(st.st_blocks == 17 * page_size / 512, "blocks %lld, expected %ld",
	       (long long)st.st_blocks, 17 * page_size / 512);
	EXPECT(unevict1 - unevict0 < 16 * 1024, "Unevictable grew by %ld kB",
	       unevict1 - unevict0);
	EXPECT_OK(fallocate(fd, PUNCH, 0, GiB));
	EXPECT(fstat_or_die(fd).st_blocks == 0, "blocks after punch");
	close(fd);
	return KSFT_PASS;
}

struct racer {
	int fd;
	unsigned int seed;
	unsigned long ops, errors;
};

#define RACE_PAGES	1024

static void *race_thread(void *arg)
{
	struct racer *r = arg;
	int i;

	for (i = 0; i < 400; i++) {
		unsigned int start = rand_r(&r->seed) % RACE_PAGES;
		unsigned int nr = 1 + rand_r(&r->seed) % 64;
		int mode;

		switch (rand_r(&r->seed) % 3) {
		case 0:
			mode = 0;
			break;
		case 1:
			mode = FALLOC_FL_KEEP_SIZE;
			break;
		default:
			mode = PUNCH;
			break;
		}
		if (fallocate(r->fd, mode, (off_t)start * page_size,
			      (off_t)nr * page_size))
			r->errors++;
		r->ops++;
	}
	close(r->fd);		/* the last thread's close releases the file */
	return NULL;
}

/*
 * Expect: fallocate and punch-hole racing from threads on dups of one fd
 * all succeed; the main thread closes its fd in the middle and the last
 * close, by a thread, releases the file and all its memory.
 */
static int test_thread_race(void)
{
	enum { NR = 6 };
	long unevict0 = meminfo_kb("Unevictable"), unevict1;
	int fd = inaccessible_fd((size_t)RACE_PAGES * page_size), i, tries;
	struct racer racers[NR];
	pthread_t threads[NR];
	unsigned long ops = 0, errors = 0;

	for (i = 0; i < NR; i++) {
		racers[i] = (struct racer){ .fd = dup(fd), .seed = 1234 + i };
		if (racers[i].fd < 0 ||
		    pthread_create(&threads[i], NULL, race_thread, &racers[i]))
			ksft_exit_fail_msg("thread setup: %s\n", strerror(errno));
	}
	close(fd);
	for (i = 0; i < NR; i++) {
		pthread_join(threads[i], NULL);
		ops += racers[i].ops;
		errors += racers[i].errors;
	}
	EXPECT(errors == 0, "%lu of %lu fallocate calls failed", errors, ops);
	/* The release of the last reference may be deferred a little. */
	for (tries = 0; tries < 100; tries++) {
		unevict1 = meminfo_kb("Unevictable");
		if (unevict1 - unevict0 < 1024)
			break;
		usleep(20000);
	}
	EXPECT(unevict1 - unevict0 < 1024, "%ld kB still unevictable after close",
	       unevict1 - unevict0);
	ksft_print_msg("%lu racing fallocate calls\n", ops);
	return KSFT_PASS;
}

#define SHMEM_THP "/sys/kernel/mm/transparent_hugepage/shmem_enabled"

/* Expect: with shmem THP enabled ("always"), allocation uses huge pages. */
static int test_thp(void)
{
	const size_t size = 8 * MiB;
	char saved[128] = "", *p, *q;
	long huge0, huge1;
	int fd, sfd;
	ssize_t n;

	sfd = open(SHMEM_THP, O_RDONLY);
	if (sfd < 0) {
		ksft_print_msg("no %s\n", SHMEM_THP);
		return KSFT_SKIP;
	}
	n = read(sfd, saved, sizeof(saved) - 1);
	close(sfd);
	/* "always within_size advise [never] deny force": keep the [choice]. */
	p = n > 0 ? strchr(saved, '[') : NULL;
	q = p ? strchr(p, ']') : NULL;
	if (!q)
		return KSFT_SKIP;
	*q = 0;
	p++;
	if (write_file(SHMEM_THP, "always")) {
		fail("cannot enable shmem THP");
		return KSFT_FAIL;
	}

	fd = inaccessible_fd(size);
	huge0 = meminfo_kb("ShmemHugePages");
	EXPECT_OK(fallocate(fd, 0, 0, size));
	huge1 = meminfo_kb("ShmemHugePages");
	ksft_print_msg("ShmemHugePages %ld -> %ld kB\n", huge0, huge1);
	EXPECT(huge1 - huge0 >= 2048, "no huge page allocated");
	EXPECT(fstat_or_die(fd).st_blocks == (blkcnt_t)(size / 512), "blocks");
	/* A punch of part of a huge page must still free (or zero) it. */
	EXPECT_OK(fallocate(fd, PUNCH, 0, page_size));
	EXPECT_OK(fallocate(fd, PUNCH, 0, size));
	EXPECT(fstat_or_die(fd).st_blocks == 0, "blocks after punch");
	close(fd);
	write_file(SHMEM_THP, p);
	return KSFT_PASS;
}

static const struct {
	int (*fn)(void);
	const char *name;
} cases[] = {
	{ test_flag_combinations, "flag_combinations" },
	{ test_flag_unknown, "flag_unknown_bits" },
	{ test_sysctl_disable, "sysctl_memfd_inaccessible" },
	{ test_read_write_denied, "read_write_einval" },
	{ test_positional_denied, "pread_pwrite_lseek_espipe" },
	{ test_mmap_denied, "mmap_enodev" },
	{ test_splice_sendfile_copy_denied, "splice_sendfile_copy_denied" },
	{ test_ioctl_fsync_seals_denied, "ioctl_fsync_seals_denied" },
	{ test_prealloc_ioctls_denied, "prealloc_ioctls_enotty" },
	{ test_allowed_ops, "allowed_ops" },
	{ test_fstat_size_blocks, "fstat_size_blocks" },
	{ test_ftruncate_rules, "ftruncate_once_aligned" },
	{ test_fallocate_modes, "fallocate_modes" },
	{ test_fallocate_unaligned_size, "fallocate_unaligned_size" },
	{ test_proc_reopen, "proc_fd_reopen_enxio" },
	{ test_proc_opath, "proc_fd_opath_no_access" },
	{ test_punch_frees_memory, "punch_frees_memory" },
	{ test_memcg_accounting, "memcg_accounting" },
	{ test_memlock_unprivileged, "memlock_unprivileged" },
	{ test_memlock_root, "memlock_root_exempt" },
	{ test_fork, "fork" },
	{ test_scm_rights, "scm_rights" },
	{ test_io_uring_denied, "io_uring_denied" },
	{ test_many_fds, "many_fds" },
	{ test_sparse_1g, "sparse_1g" },
	{ test_thread_race, "thread_fallocate_punch_race" },
	{ test_thp, "thp" },
};

/*
 * Expect, with sysctl.vm.memfd_inaccessible=0 on the kernel command line
 * (how a host running MFD_NOEXEC_SEAL userspace boots): the sysctl is 0
 * from the start, and the flag is an unknown bit, while plain memfds work.
 */
static int test_sysctl_off_at_boot(void)
{
	long val = read_long(SYSCTL_PATH);
	int fd;

	EXPECT(val == 0, "%s is %ld, expected 0 from the command line",
	       SYSCTL_PATH, val);
	EXPECT_ERRNO(sys_memfd_create("systemd", MFD_CLOEXEC | 0x8), EINVAL);
	EXPECT_ERRNO(sys_memfd_create("inaccessible", MFD_INACCESSIBLE), EINVAL);
	fd = sys_memfd_create("plain", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	EXPECT(fd >= 0, "plain memfd: %s", strerror(errno));
	if (fd >= 0)
		close(fd);
	return KSFT_PASS;
}

int main(int argc, char **argv)
{
	struct statfs sfs;
	unsigned int i;
	int fd;

	/* Children fork()ed by the cases must not flush copies of our output. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	page_size = sysconf(_SC_PAGESIZE);
	ksft_print_header();

	if (argc > 1 && !strcmp(argv[1], "--sysctl-off")) {
		ksft_set_plan(1);
		case_failed = false;
		ksft_test_result(test_sysctl_off_at_boot() == KSFT_PASS &&
				 !case_failed, "sysctl_off_at_boot\n");
		ksft_finished();
	}

	/* Since 6.3, 0x8 is MFD_NOEXEC_SEAL upstream: check what we got. */
	fd = sys_memfd_create("probe", MFD_INACCESSIBLE);
	if (fd < 0)
		ksft_exit_skip("MFD_INACCESSIBLE not supported: %s\n",
			       strerror(errno));
	if (fstatfs(fd, &sfs) || sfs.f_type != INACCESSIBLE_MAGIC)
		ksft_exit_skip("flag 0x8 is not MFD_INACCESSIBLE on this kernel\n");
	close(fd);

	ksft_set_plan(ARRAY_SIZE(cases));
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		int ret;

		case_failed = false;
		ret = cases[i].fn();
		if (ret == KSFT_SKIP)
			ksft_test_result_skip("%s\n", cases[i].name);
		else
			ksft_test_result(ret == KSFT_PASS && !case_failed,
					 "%s\n", cases[i].name);
	}
	ksft_finished();
}
