// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark: fallocate() then punch-hole of 1 GiB, on an inaccessible memfd
 * and on a plain memfd of the same size.  Prints the throughput ratio
 * (inaccessible / plain; the goal is >= 0.9).  It does not gate: it exits 0
 * unless an operation fails.
 *
 *   inaccessible_memfd_bench [size_in_MiB [repetitions]]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <linux/memfd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#ifndef MFD_INACCESSIBLE
#define MFD_INACCESSIBLE	0x0008U
#endif

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Seconds for one fallocate + punch-hole cycle of @size bytes. */
static double cycle(unsigned int flags, off_t size, double *alloc, double *punch)
{
	int fd = syscall(__NR_memfd_create, "bench", flags);
	double t0, t1, t2;

	if (fd < 0 || ftruncate(fd, size)) {
		printf("# memfd_create/ftruncate(%#x): %s\n", flags, strerror(errno));
		exit(1);
	}
	t0 = now();
	if (fallocate(fd, 0, 0, size)) {
		printf("# fallocate(%#x): %s\n", flags, strerror(errno));
		exit(1);
	}
	t1 = now();
	if (fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, size)) {
		printf("# punch(%#x): %s\n", flags, strerror(errno));
		exit(1);
	}
	t2 = now();
	close(fd);
	*alloc = t1 - t0;
	*punch = t2 - t1;
	return t2 - t0;
}

int main(int argc, char **argv)
{
	long mib = argc > 1 ? atol(argv[1]) : 1024;
	int reps = argc > 2 ? atoi(argv[2]) : 3, i;
	off_t size = (off_t)mib << 20;
	double best[2] = { 1e9, 1e9 }, a, p, t;

	/* Alternate, so that both see the same state of the machine. */
	for (i = 0; i < reps; i++) {
		t = cycle(0, size, &a, &p);
		printf("# plain        %ld MiB: fallocate %.3fs punch %.3fs\n", mib, a, p);
		if (t < best[0])
			best[0] = t;
		t = cycle(MFD_INACCESSIBLE, size, &a, &p);
		printf("# inaccessible %ld MiB: fallocate %.3fs punch %.3fs\n", mib, a, p);
		if (t < best[1])
			best[1] = t;
	}
	printf("# best cycle: plain %.3fs (%.0f MiB/s), inaccessible %.3fs (%.0f MiB/s)\n",
	       best[0], mib / best[0], best[1], mib / best[1]);
	printf("# inaccessible/plain throughput ratio: %.3f (goal >= 0.9)\n",
	       best[0] / best[1]);
	return 0;
}
