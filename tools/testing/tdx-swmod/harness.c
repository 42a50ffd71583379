// SPDX-License-Identifier: GPL-2.0
/*
 * Runner for the software TDX module tests.  Prints KTAP on stdout,
 * exits 1 if any test failed.  Options: -s SEED (replay), -v, -t NAME
 * (run only tests whose name contains NAME), -l (list).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "tests.h"

int verbose;

static jmp_buf t_jmp;
static int t_fail_count;
static const char *t_skip_reason;
static const char *t_name;

u64 rng_next(struct rng *r)
{
	/* splitmix64 */
	u64 z = (r->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

u64 rng_range(struct rng *r, u64 lo, u64 hi)
{
	if (hi <= lo)
		return lo;
	if (hi - lo == ~0ULL)
		return rng_next(r);
	return lo + rng_next(r) % (hi - lo + 1);
}

bool rng_chance(struct rng *r, unsigned int percent)
{
	return rng_next(r) % 100 < percent;
}

void t_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	t_fail_count++;
	if (t_fail_count > 20)
		return;		/* keep the log readable */
	printf("    # %s: %s:%d: ", t_name, file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

void t_diag(const char *fmt, ...)
{
	va_list ap;

	printf("    # ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

void t_skip(const char *reason)
{
	t_skip_reason = reason;
	longjmp(t_jmp, 2);
}

void t_abort_test(void)
{
	longjmp(t_jmp, 1);
}

bool t_failed(void)
{
	return t_fail_count != 0;
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
	printf("# tdx-swmod: random seed %u (replay with -s %u)\n", seed, seed);
	clock_gettime(CLOCK_MONOTONIC, &t0);

	for (n = 0, i = 0; all_tests[i].name; i++) {
		struct rng r = { .s = ((u64)seed << 20) + i };
		int rc;

		if (filter && !strstr(all_tests[i].name, filter))
			continue;
		n++;
		t_name = all_tests[i].name;
		t_fail_count = 0;
		t_skip_reason = NULL;
		rc = setjmp(t_jmp);
		if (!rc)
			all_tests[i].fn(&r);
		if (rc == 2) {
			printf("ok %d %s # SKIP %s\n", n, t_name, t_skip_reason);
		} else if (t_fail_count) {
			if (t_fail_count > 20)
				printf("    # %s: %d more failures not shown\n",
				       t_name, t_fail_count - 20);
			printf("not ok %d %s\n", n, t_name);
			failed++;
		} else {
			printf("ok %d %s\n", n, t_name);
		}
	}

	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("# tdx-swmod: %d failed, %.2f s, seed %u\n", failed,
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9, seed);
	return failed ? 1 : 0;
}
