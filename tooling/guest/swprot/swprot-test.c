// SPDX-License-Identifier: GPL-2.0
/*
 * swprot-test: run our QEMU on a software-protected VM with private memory
 * (sw-protected-vm + memory-backend-memfd-private) and the test payload
 * (payload.S), from inside the test guest, where /dev/kvm is nested SVM.
 *
 *   swprot-test private     the payload's run: conversions, data exchange
 *                           over the shared windows, and host userspace
 *                           cannot read the secret (QEMU's memory through
 *                           /proc/PID/mem, the shared memfd, the private
 *                           memfd refusing reads and mmap)
 *   swprot-test leak-control the same with a payload that also puts the
 *                           secret in a shared window: the scan must find
 *                           it (the check above can fail)
 *   swprot-test default-vm  private memory without sw-protected-vm: a
 *                           readable error, no EINVAL from the slot ioctl
 *   swprot-test hugetlb     hugetlb=on refused with a clear message
 *   swprot-test phys-bits   a conflicting phys-bits refused
 *   swprot-test memlock     RLIMIT_MEMLOCK 0 without CAP_IPC_LOCK: the
 *                           first conversion to private fails, QEMU says
 *                           so (range, errno) and stops the guest
 *
 * Exit 0 on pass, 1 on failure; "# " lines tell what was checked.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/capability.h>

#define DIR_QEMU	"/tests/qemu"
#define QEMU		DIR_QEMU "/qemu-system-x86_64"
#define PAYLOAD		DIR_QEMU "/swprot-payload.bin"
#define PAYLOAD_LEAK	DIR_QEMU "/swprot-payload-leak.bin"
#define WORK		"/tmp/swprot"
#define SERIAL		WORK "/serial.log"
#define STDERR		WORK "/stderr.log"

#define GUEST_MEM	(32UL << 20)
#define WIN_E		0x200000UL
#define WIN_I		0x300000UL
#define HOST_MAGIC	0x4b434148U	/* "HACK" */
#define SECRET		"SWPROT-SECRET-01"
#define SHARED_NAME	"memfd:memory-backend-memfd-shared"
/*
 * The kernel names every inaccessible memfd alike (the seed's
 * alloc_file_pseudo() name), whatever QEMU passed to memfd_create().
 */
#define PRIVATE_NAME	"[memfd:inaccessible]"

static int failures;

static void check(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("# %s: ", ok ? "ok" : "FAIL");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!ok)
		failures++;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The whole of a small file, NUL-terminated (empty if missing). */
static char *slurp(const char *path)
{
	static char buf[65536];
	ssize_t n = 0;
	int fd = open(path, O_RDONLY);

	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
	}
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static void dump(const char *what, const char *path)
{
	char *s = slurp(path), *line;

	for (line = strtok(s, "\n"); line; line = strtok(NULL, "\n"))
		printf("#   %s: %s\n", what, line);
}

enum drop { KEEP_CAPS, NO_IPC_LOCK };

/* Start QEMU with the common options plus @extra (NULL-terminated). */
static pid_t start_qemu_with(const char *payload, const char *const *extra,
			     enum drop drop, rlim_t memlock)
{
	const char *base[] = {
		QEMU, "-L", DIR_QEMU "/share", "-nodefaults", "-display", "none",
		"-no-user-config", "-m", "32M", "-bios", payload,
		"-serial", "file:" SERIAL,
		"-device", "isa-debug-exit,iobase=0xf4,iosize=1",
	};
	const char *argv[64];
	int n = 0, i, fd;
	pid_t pid;

	for (i = 0; i < (int)(sizeof(base) / sizeof(base[0])); i++)
		argv[n++] = base[i];
	for (i = 0; extra[i]; i++)
		argv[n++] = extra[i];
	argv[n] = NULL;

	printf("#");
	for (i = 0; i < n; i++)
		printf(" %s", argv[i]);
	printf("\n");
	fflush(stdout);
	unlink(SERIAL);
	pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(1);
	}
	if (pid)
		return pid;

	fd = open(STDERR, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	dup2(fd, 2);
	dup2(fd, 1);
	if (drop == NO_IPC_LOCK) {
		struct rlimit rl = { memlock, memlock };

		/* Root keeps after exec what its bounding set has. */
		if (prctl(PR_CAPBSET_DROP, CAP_IPC_LOCK, 0, 0, 0) ||
		    setrlimit(RLIMIT_MEMLOCK, &rl)) {
			perror("dropping CAP_IPC_LOCK / RLIMIT_MEMLOCK");
			_exit(126);
		}
	}
	execv(argv[0], (char **)argv);
	perror("execv " QEMU);
	_exit(127);
}

static pid_t start_qemu(const char *const *extra, enum drop drop,
			rlim_t memlock)
{
	return start_qemu_with(PAYLOAD, extra, drop, memlock);
}

/* Wait up to @secs for QEMU to exit: its wait status, or -1 (still runs). */
static int wait_qemu(pid_t pid, double secs)
{
	double end = now() + secs;
	int status;

	while (now() < end) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return status;
		usleep(50000);
	}
	return -1;
}

static void kill_qemu(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* Wait up to @secs for @needle in @path; false if QEMU exited first. */
static bool wait_for(pid_t pid, const char *path, const char *needle,
		     double secs)
{
	double end = now() + secs;
	int status;

	while (now() < end) {
		if (strstr(slurp(path), needle))
			return true;
		if (waitpid(pid, &status, WNOHANG) == pid) {
			printf("# QEMU exited before \"%s\": status 0x%x\n",
			       needle, status);
			return strstr(slurp(path), needle) != NULL;
		}
		usleep(50000);
	}
	return false;
}

struct mapping {
	unsigned long start, end, pgoff;
};

/* The mapping of QEMU whose path contains @name. */
static bool find_mapping(pid_t pid, const char *name, struct mapping *m)
{
	char path[64], line[512];
	bool found = false;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	f = fopen(path, "r");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f)) {
		if (strstr(line, name) &&
		    sscanf(line, "%lx-%lx %*s %lx", &m->start, &m->end,
			   &m->pgoff) == 3)
			found = true;
	}
	fclose(f);
	return found;
}

/* The fd number of QEMU's open file whose link contains @name, or -1. */
static int find_fd(pid_t pid, const char *name)
{
	char path[64], link[256];
	ssize_t n;
	int fd;

	for (fd = 0; fd < 1024; fd++) {
		snprintf(path, sizeof(path), "/proc/%d/fd/%d", pid, fd);
		n = readlink(path, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		if (strstr(link, name))
			return fd;
	}
	return -1;
}

/* A duplicate of @pid's file descriptor @fd, or -1. */
static int pidfd_getfd_of(pid_t pid, int fd)
{
	int pidfd = syscall(SYS_pidfd_open, pid, 0), ret;

	if (pidfd < 0)
		return -1;
	ret = syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	close(pidfd);
	return ret;
}

/* Count @needle in the bytes @fd gives from @off for @len (pread). */
static long count_in(int fd, off_t off, size_t len, const char *needle,
		     size_t *scanned)
{
	static char buf[(1 << 20) + 64];
	size_t nlen = strlen(needle), keep = 0;
	long hits = 0;

	while (len) {
		size_t chunk = len < (1 << 20) ? len : (1 << 20);
		ssize_t n = pread(fd, buf + keep, chunk, off);
		char *p, *end;

		if (n <= 0)
			break;
		*scanned += n;
		end = buf + keep + n;
		for (p = buf; (p = memmem(p, end - p, needle, nlen)); p++)
			hits++;
		/* Keep a tail, for a match across chunks (not counted twice). */
		keep = nlen - 1 < (size_t)(end - buf) ? nlen - 1 : 0;
		memmove(buf, end - keep, keep);
		off += n;
		len -= n;
	}
	return hits;
}

/* Every readable mapping of @pid, through /proc/PID/mem. */
static long count_in_process(pid_t pid, const char *needle, size_t *scanned)
{
	char path[64], line[512], perms[8];
	unsigned long start, end;
	long hits = 0;
	FILE *maps;
	int mem;

	snprintf(path, sizeof(path), "/proc/%d/mem", pid);
	mem = open(path, O_RDONLY);
	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	maps = fopen(path, "r");
	if (mem < 0 || !maps) {
		perror("opening /proc/PID/mem or maps");
		return -1;
	}
	while (fgets(line, sizeof(line), maps)) {
		if (sscanf(line, "%lx-%lx %7s", &start, &end, perms) != 3 ||
		    perms[0] != 'r' || strstr(line, "[vvar]") ||
		    strstr(line, "[vsyscall]"))
			continue;
		hits += count_in(mem, start, end - start, needle, scanned);
	}
	fclose(maps);
	close(mem);
	return hits;
}

static bool mem_rw(pid_t pid, unsigned long addr, void *buf, size_t len,
		   bool write)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/mem", pid);
	fd = open(path, write ? O_RDWR : O_RDONLY);
	if (fd < 0)
		return false;
	n = write ? pwrite(fd, buf, len, addr) : pread(fd, buf, len, addr);
	close(fd);
	return n == (ssize_t)len;
}

static const char *const swprot_opts[] = {
	"-machine", "pc,accel=kvm,confidential-guest-support=swprot,"
		    "memory-backend=ram1",
	"-object", "sw-protected-vm,id=swprot",
	"-object", "memory-backend-memfd-private,id=ram1,size=32M",
	NULL
};

/* The host side of the payload's protocol, while the guest waits. */
static void host_side(pid_t pid, bool leak)
{
	struct mapping shm;
	char msg[16], path[64], buf[4096];
	unsigned int magic = HOST_MAGIC;
	size_t scanned = 0;
	long hits;
	int fd, pfd, sfd;
	void *p;

	check(find_mapping(pid, SHARED_NAME, &shm),
	      "QEMU maps the shared memfd (%s)", SHARED_NAME);
	if (!failures) {
		/* pc.ram below 4G: GPA == offset in the block == file offset */
		unsigned long e = shm.start + WIN_E - shm.pgoff;
		unsigned long i = shm.start + WIN_I - shm.pgoff;

		check(shm.end - shm.start >= GUEST_MEM,
		      "shared mapping covers the guest's %lu MiB",
		      GUEST_MEM >> 20);
		check(mem_rw(pid, e, msg, 14, false) &&
		      !strcmp(msg, "GUEST-E-HELLO"),
		      "window E (explicit conversion) has the guest's message");
		check(mem_rw(pid, i, msg, 14, false) &&
		      !strcmp(msg, "GUEST-I-HELLO"),
		      "window I (implicit conversion) has the guest's message");

		hits = count_in_process(pid, "GUEST-E-HELLO", &scanned);
		check(hits > 0, "the scan of QEMU's memory finds the guest's "
		      "shared message (%ld hits): it reads guest memory", hits);
		scanned = 0;
		hits = count_in_process(pid, SECRET, &scanned);
		if (leak)
			check(hits > 0, "leak control: the scan finds the "
			      "secret the guest put in shared memory (%ld hits "
			      "in %zu MiB)", hits, scanned >> 20);
		else
			check(hits == 0, "the secret is nowhere in QEMU's "
			      "memory (/proc/%d/mem, %zu MiB of readable "
			      "mappings): %ld hits", pid, scanned >> 20, hits);

		sfd = find_fd(pid, SHARED_NAME);
		snprintf(path, sizeof(path), "/proc/%d/fd/%d", pid, sfd);
		fd = sfd >= 0 ? open(path, O_RDONLY) : -1;
		scanned = 0;
		hits = fd >= 0 ? count_in(fd, 0, GUEST_MEM, SECRET, &scanned) : -1;
		check((leak ? hits > 0 : hits == 0) && scanned == GUEST_MEM,
		      "the secret is %sin the shared memfd (%ld hits, %zu "
		      "bytes read)", leak ? "" : "not ", hits, scanned);
		if (fd >= 0)
			close(fd);

		pfd = find_fd(pid, PRIVATE_NAME);
		check(pfd >= 0, "QEMU holds the private memfd (fd %d)", pfd);
		snprintf(path, sizeof(path), "/proc/%d/fd/%d", pid, pfd);
		fd = open(path, O_RDONLY);
		check(fd < 0, "reopening the private memfd through %s fails: %s",
		      path, fd < 0 ? strerror(errno) : "it opened");
		if (fd >= 0)
			close(fd);
		/* QEMU's own open file, duplicated into this process. */
		fd = pidfd_getfd_of(pid, pfd);
		check(fd >= 0, "pidfd_getfd() of the private memfd: %s",
		      fd >= 0 ? "ok" : strerror(errno));
		if (fd >= 0) {
			ssize_t n = read(fd, buf, sizeof(buf));
			int err = errno;

			check(n < 0, "reading the private memfd fails: %s",
			      n < 0 ? strerror(err) : "it returned data");
			n = pread(fd, buf, sizeof(buf), 0x100000);
			err = errno;
			check(n < 0, "pread() of the private memfd at the "
			      "secret's offset fails: %s",
			      n < 0 ? strerror(err) : "it returned data");
			p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0x100000);
			check(p == MAP_FAILED, "mapping the private memfd fails: %s",
			      p == MAP_FAILED ? strerror(errno) : "it mapped");
			if (p != MAP_FAILED)
				munmap(p, 4096);
			close(fd);
		}

		check(mem_rw(pid, e + 64, &magic, 4, true) &&
		      mem_rw(pid, i + 64, &magic, 4, true),
		      "the host's reply is written to both shared windows");
	}
}

static int test_private(bool leak)
{
	pid_t pid = start_qemu_with(leak ? PAYLOAD_LEAK : PAYLOAD, swprot_opts,
				    KEEP_CAPS, 0);
	double t0 = now();
	int status;

	if (!wait_for(pid, SERIAL, "SWPROT READY", 240)) {
		check(false, "guest reached READY");
		dump("serial", SERIAL);
		dump("qemu", STDERR);
		kill_qemu(pid);
		return 1;
	}
	check(true, "guest reached READY after %.1f s", now() - t0);
	host_side(pid, leak);
	status = wait_qemu(pid, 120);
	if (status < 0)
		kill_qemu(pid);
	check(strstr(slurp(SERIAL), "SWPROT PASS") != NULL,
	      "guest saw the replies and its secret intact (SWPROT PASS)");
	check(status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 1,
	      "QEMU exited through isa-debug-exit with 1 (status 0x%x)",
	      status);
	if (failures) {
		dump("serial", SERIAL);
		dump("qemu", STDERR);
	}
	return failures ? 1 : 0;
}

/* QEMU must fail to start, with @needle in its output. */
static int expect_refusal(const char *const *opts, const char *needle)
{
	pid_t pid = start_qemu(opts, KEEP_CAPS, 0);
	int status = wait_qemu(pid, 120);

	if (status < 0)
		kill_qemu(pid);
	check(status >= 0 && WIFEXITED(status) && WEXITSTATUS(status) == 1,
	      "QEMU refuses to start (status 0x%x)", status);
	check(strstr(slurp(STDERR), needle) != NULL, "the error says \"%s\"",
	      needle);
	check(!strstr(slurp(STDERR), "KVM_SET_USER_MEMORY_REGION failed"),
	      "no failed slot ioctl");
	dump("qemu", STDERR);
	return failures ? 1 : 0;
}

static int test_memlock(void)
{
	pid_t pid = start_qemu(swprot_opts, NO_IPC_LOCK, 0);
	const char *msg = "to private failed: allocating in the private memfd: "
			  "Cannot allocate memory";
	int status;

	check(wait_for(pid, STDERR, msg, 240), "QEMU reports \"...%s\"", msg);
	check(strstr(slurp(STDERR), "converting GPA range [0x") != NULL,
	      "the message names the GPA range");
	/* The VM is stopped, QEMU itself goes on (internal-error state). */
	usleep(500000);
	status = wait_qemu(pid, 1);
	check(status < 0, "QEMU still runs with the VM stopped");
	check(!strstr(slurp(SERIAL), "SWPROT PASS") &&
	      !strstr(slurp(SERIAL), "SWPROT READY"),
	      "the guest did not get further");
	check(!strstr(slurp(STDERR), "EAX="), "no register dump");
	if (status < 0)
		kill_qemu(pid);
	dump("serial", SERIAL);
	dump("qemu", STDERR);
	return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	mkdir(WORK, 0755);
	if (access("/dev/kvm", R_OK | W_OK)) {
		printf("# no /dev/kvm: skip\n");
		return 4;
	}
	if (!strcmp(mode, "private"))
		return test_private(false);
	if (!strcmp(mode, "leak-control"))
		return test_private(true);
	if (!strcmp(mode, "default-vm")) {
		static const char *const o[] = {
			"-machine", "pc,accel=kvm,memory-backend=ram1",
			"-object", "memory-backend-memfd-private,id=ram1,size=32M",
			NULL
		};
		return expect_refusal(o, "KVM_CAP_PRIVATE_MEM is 0 on the VM");
	}
	if (!strcmp(mode, "hugetlb")) {
		static const char *const o[] = {
			"-machine", "pc,accel=kvm,confidential-guest-support=swprot,"
				    "memory-backend=ram1",
			"-object", "sw-protected-vm,id=swprot",
			"-object", "memory-backend-memfd-private,id=ram1,size=32M,"
				   "hugetlb=on",
			NULL
		};
		return expect_refusal(o, "hugetlb=on is not supported");
	}
	if (!strcmp(mode, "phys-bits")) {
		static const char *const o[] = {
			"-machine", "pc,accel=kvm,confidential-guest-support=swprot,"
				    "memory-backend=ram1",
			"-object", "sw-protected-vm,id=swprot",
			"-object", "memory-backend-memfd-private,id=ram1,size=32M",
			"-cpu", "qemu64,phys-bits=33",
			NULL
		};
		return expect_refusal(o, "conflicts with sw-protected-vm");
	}
	if (!strcmp(mode, "memlock"))
		return test_memlock();
	fprintf(stderr, "usage: %s private|leak-control|default-vm|hugetlb|"
		"phys-bits|memlock\n", argv[0]);
	return 2;
}
