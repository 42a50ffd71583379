// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace tests of the TDX host lifecycle range logic (tdx_range.c):
 * whether a range is TDX memory (online after init) or overlaps it
 * (offline after init).  Hand-written cases, then random ones checked
 * page by page against a brute-force model.  Whether TDX memory lies
 * in the CMRs is the planner's check (tdmr.c), tested by tdx-plan.
 *
 * Options: -s SEED (replay the random test).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tdx_range.h"
#include "ktap.h"

#define SZ_4K	0x1000ULL
#define SZ_1M	0x100000ULL
#define SZ_1G	0x40000000ULL

static void test_memlist(void)
{
	static const struct tdx_memblock mem[] = {
		{ SZ_1M, SZ_1G, 0 },
		{ SZ_1G, 2 * SZ_1G, 1 },		/* adjacent, other node */
		{ 4 * SZ_1G, 5 * SZ_1G, 1 },
	};

	CHECK(tdx_range_in_memlist(SZ_1M, SZ_1G, mem, 3), "first entry");
	CHECK(tdx_range_in_memlist(SZ_1G - SZ_4K, SZ_1G + SZ_4K, mem, 3),
	      "across adjacent entries");
	CHECK(!tdx_range_in_memlist(0, SZ_1G, mem, 3), "first 1 MiB");
	CHECK(!tdx_range_in_memlist(SZ_1G, 3 * SZ_1G, mem, 3), "into a hole");
	CHECK(!tdx_range_in_memlist(5 * SZ_1G, 6 * SZ_1G, mem, 3), "past the end");
	CHECK(!tdx_range_in_memlist(SZ_1G, 2 * SZ_1G, mem, 0), "empty list");
	CHECK(tdx_range_overlaps_memlist(0, SZ_1G, mem, 3), "overlap start");
	CHECK(tdx_range_overlaps_memlist(3 * SZ_1G, 4 * SZ_1G + SZ_4K, mem, 3),
	      "overlap one page");
	CHECK(!tdx_range_overlaps_memlist(2 * SZ_1G, 4 * SZ_1G, mem, 3),
	      "the hole");
	CHECK(!tdx_range_overlaps_memlist(0, SZ_1M, mem, 3), "below");
}

#define PAGES	64

/* Random sorted, disjoint, possibly adjacent ranges over PAGES pages. */
static unsigned int random_ranges(u64 *starts, u64 *ends, bool *map)
{
	unsigned int n = 0, p = 0;

	memset(map, 0, PAGES * sizeof(*map));
	while (n < 8) {
		unsigned int gap = rand() % 3 ? rand() % 6 : 0;
		unsigned int len = 1 + rand() % 10;

		if (p + gap + len > PAGES)
			break;
		p += gap;
		starts[n] = p * SZ_4K;
		ends[n] = (p + len) * SZ_4K;
		for (; len; len--)
			map[p++] = true;
		n++;
	}
	return n;
}

static void test_random(unsigned int iters)
{
	struct tdx_memblock mem[8];
	u64 starts[8], ends[8];
	bool map[PAGES];
	unsigned int it, i, n;

	for (it = 0; it < iters && !t_failed(); it++) {
		unsigned int a = rand() % PAGES, b = rand() % PAGES;
		bool all = true, any = false;

		if (a > b) {
			unsigned int t = a;

			a = b;
			b = t;
		}
		b++;
		n = random_ranges(starts, ends, map);
		for (i = 0; i < n; i++) {
			mem[i].start = starts[i];
			mem[i].end = ends[i];
			mem[i].nid = i & 1;
		}
		/* Brute force: is every page of [a, b) covered, or any? */
		for (i = a; i < b; i++) {
			all &= map[i];
			any |= map[i];
		}
		CHECK(tdx_range_in_memlist(a * SZ_4K, b * SZ_4K, mem, n) == all,
		      "iteration %u: in_memlist", it);
		CHECK(tdx_range_overlaps_memlist(a * SZ_4K, b * SZ_4K, mem, n) == any,
		      "iteration %u: overlaps_memlist", it);
	}
}

int main(int argc, char **argv)
{
	unsigned int seed = time(NULL) ^ getpid();
	int opt, total = 0;

	while ((opt = getopt(argc, argv, "s:")) != -1) {
		if (opt != 's') {
			fprintf(stderr, "usage: %s [-s SEED]\n", argv[0]);
			return 2;
		}
		seed = strtoul(optarg, NULL, 0);
	}
	srand(seed);
	printf("KTAP version 1\n1..2\n");
	printf("# tdx-lifecycle: random seed %u (replay with -s %u)\n", seed, seed);

	t_begin("memlist");
	test_memlist();
	total += t_end(1);
	t_begin("random_ranges");
	test_random(20000);
	total += t_end(2);
	printf("# tdx-lifecycle: %d failed, seed %u\n", total, seed);
	return total ? 1 : 0;
}
