// SPDX-License-Identifier: GPL-2.0
/*
 * KTAP runner shared by the TDX userspace harnesses (on ktap.c): runs
 * the harness's all_tests[], prints KTAP on stdout, exits 1 if any test
 * failed.  Options: -s SEED (replay), -v, -t NAME (run only tests
 * whose name contains NAME), -l (list).  HARNESS_NAME (set by
 * common.mk) prefixes the summary lines.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#ifndef HARNESS_NAME
#define HARNESS_NAME "harness"
#endif

int verbose;

static jmp_buf t_jmp;
static const char *t_skip_reason;

void t_skip(const char *reason)
{
	t_skip_reason = reason;
	longjmp(t_jmp, 2);
}

void t_abort_test(void)
{
	longjmp(t_jmp, 1);
}

int main(int argc, char **argv)
{
	static unsigned int seed;
	static const char *filter;
	static int n, i, failed, list;
	int opt;
	struct timespec t0, t1;

	seed = (unsigned int)time(NULL) ^ ((unsigned int)getpid() << 16);
	while ((opt = getopt(argc, argv, "s:vt:l")) != -1) {
		switch (opt) {
		case 's':
			seed = strtoul(optarg, NULL, 0);
			break;
		case 'v':
			verbose++;
			break;
		case 't':
			filter = optarg;
			break;
		case 'l':
			list = 1;
			break;
		default:
			fprintf(stderr, "usage: %s [-s seed] [-v] [-t name] [-l]\n", argv[0]);
			return 2;
		}
	}

	for (n = 0, i = 0; all_tests[i].name; i++)
		if (!filter || strstr(all_tests[i].name, filter))
			n++;
	if (list) {
		for (i = 0; all_tests[i].name; i++)
			printf("%s\n", all_tests[i].name);
		return 0;
	}

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("KTAP version 1\n");
	printf("1..%d\n", n);
	printf("# %s: random seed %u (replay with -s %u)\n",
	       HARNESS_NAME, seed, seed);
	clock_gettime(CLOCK_MONOTONIC, &t0);

	for (n = 0, i = 0; all_tests[i].name; i++) {
		struct rng r = { .s = ((u64)seed << 20) + i };
		int rc;

		if (filter && !strstr(all_tests[i].name, filter))
			continue;
		n++;
		t_begin(all_tests[i].name);
		t_skip_reason = NULL;
		rc = setjmp(t_jmp);
		if (!rc)
			all_tests[i].fn(&r);
		if (rc == 2)
			printf("ok %d %s # SKIP %s\n", n, all_tests[i].name,
			       t_skip_reason);
		else
			failed += t_end(n);
	}

	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("# %s: %d failed, %.2f s, seed %u\n", HARNESS_NAME, failed,
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9, seed);
	return failed ? 1 : 0;
}
