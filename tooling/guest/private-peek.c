// SPDX-License-Identifier: GPL-2.0
/*
 * `make run` demonstration: host userspace tries every way it has to read
 * the private memory of an inaccessible memfd (the kind a confidential
 * guest's private memory lives in) and must be refused each time.
 * Prints one line per attempt; exits 0 only if every attempt was denied.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define DEMO_MFD_INACCESSIBLE	0x0008U
#define DEMO_SIZE		(2UL << 20)

static int denied;
static int allowed;

static void report(const char *what, long ret)
{
	if (ret < 0) {
		printf("demo:   %-34s denied (%s)\n", what, strerror(errno));
		denied++;
	} else {
		printf("demo:   %-34s ALLOWED: private memory leaked\n", what);
		allowed++;
	}
}

int main(void)
{
	char buf[4096], path[64];
	void *p;
	int fd, fd2;

	fd = syscall(SYS_memfd_create, "demo-private", DEMO_MFD_INACCESSIBLE);
	if (fd < 0) {
		printf("demo:   memfd_create(MFD_INACCESSIBLE) failed: %s\n",
		       strerror(errno));
		return 1;
	}
	if (fallocate(fd, 0, 0, DEMO_SIZE)) {
		printf("demo:   fallocate of 2 MiB failed: %s\n", strerror(errno));
		return 1;
	}
	printf("demo:   an inaccessible memfd with 2 MiB of allocated private memory\n");

	report("read(2)", read(fd, buf, sizeof(buf)));
	report("pread(2) at offset 0", pread(fd, buf, sizeof(buf), 0));
	p = mmap(NULL, DEMO_SIZE, PROT_READ, MAP_SHARED, fd, 0);
	report("mmap(2) PROT_READ, MAP_SHARED", p == MAP_FAILED ? -1 : 0);
	p = mmap(NULL, DEMO_SIZE, PROT_READ, MAP_PRIVATE, fd, 0);
	report("mmap(2) PROT_READ, MAP_PRIVATE", p == MAP_FAILED ? -1 : 0);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	fd2 = open(path, O_RDONLY);
	report("open(/proc/self/fd/N) + read(2)",
	       fd2 < 0 ? -1 : read(fd2, buf, sizeof(buf)));
	printf("demo:   %d of %d attempts denied\n", denied, denied + allowed);
	return allowed ? 1 : 0;
}
