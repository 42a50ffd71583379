// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace tests of the TDX host lifecycle range logic (tdx_range.c):
 * which part of a range lies outside the CMRs (memory hot-added before
 * init), whether a range is TDX memory (online after init) or overlaps
 * it (offline after init).  Hand-written cases, then random ones
 * checked page by page against a brute-force model.
 *
 * Options: -s SEED (replay the random test).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tdx_range.h"

#define SZ_4K	0x1000ULL
#define SZ_1M	0x100000ULL
#define SZ_1G	0x40000000ULL

static int failures;

#define CHECK(cond, ...) do {						\
	if (!(cond)) {							\
		printf("    # %s:%d: ", __func__, __LINE__);		\
		printf(__VA_ARGS__);					\
		printf("\n");						\
		failures++;						\
	}								\
} while (0)

static void expect_outside(const struct cmr_info *cmrs, unsigned int nr,
			   u64 start, u64 end, bool out, u64 bs, u64 be)
{
	u64 s = 0, e = 0;
	bool got = tdx_range_outside_cmrs(start, end, cmrs, nr, &s, &e);

	CHECK(got == out, "[%#llx, %#llx): outside %d, want %d", start, end,
	      got, out);
	if (got && out)
		CHECK(s == bs && e == be,
		      "[%#llx, %#llx): bad part [%#llx, %#llx), want [%#llx, %#llx)",
		      start, end, s, e, bs, be);
}

static void test_outside_cmrs(void)
{
	static const struct cmr_info cmrs[] = {
		{ SZ_1M, 2 * SZ_1G - SZ_1M },		/* [1M, 2G) */
		{ 4 * SZ_1G, SZ_1G },			/* [4G, 5G) */
		{ 5 * SZ_1G, SZ_1G },			/* [5G, 6G), adjacent */
	};

	expect_outside(cmrs, 3, SZ_1M, 2 * SZ_1G, false, 0, 0);
	expect_outside(cmrs, 3, 4 * SZ_1G, 6 * SZ_1G, false, 0, 0);
	expect_outside(cmrs, 3, 4 * SZ_1G + SZ_4K, 5 * SZ_1G + SZ_4K, false,
		       0, 0);
	expect_outside(cmrs, 3, 0, SZ_1G, true, 0, SZ_1M);
	expect_outside(cmrs, 3, SZ_1G, 3 * SZ_1G, true, 2 * SZ_1G, 3 * SZ_1G);
	expect_outside(cmrs, 3, SZ_1G, 5 * SZ_1G, true, 2 * SZ_1G, 4 * SZ_1G);
	expect_outside(cmrs, 3, 3 * SZ_1G, 3 * SZ_1G + SZ_4K, true,
		       3 * SZ_1G, 3 * SZ_1G + SZ_4K);
	expect_outside(cmrs, 3, 5 * SZ_1G, 7 * SZ_1G, true, 6 * SZ_1G,
		       7 * SZ_1G);
	expect_outside(cmrs, 0, SZ_1G, 2 * SZ_1G, true, SZ_1G, 2 * SZ_1G);
	expect_outside(cmrs, 3, SZ_1G, SZ_1G, false, 0, 0);
}

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
	struct cmr_info cmrs[8];
	struct tdx_memblock mem[8];
	u64 starts[8], ends[8];
	bool map[PAGES];
	unsigned int it, i, n;

	for (it = 0; it < iters && !failures; it++) {
		unsigned int a = rand() % PAGES, b = rand() % PAGES;
		u64 s, e, want_s = 0, want_e = 0;
		bool all = true, any = false, got;

		if (a > b) {
			unsigned int t = a;

			a = b;
			b = t;
		}
		b++;
		n = random_ranges(starts, ends, map);
		for (i = 0; i < n; i++) {
			cmrs[i].base = starts[i];
			cmrs[i].size = ends[i] - starts[i];
			mem[i].start = starts[i];
			mem[i].end = ends[i];
			mem[i].nid = i & 1;
		}
		/* Brute force: first uncovered run of pages in [a, b). */
		for (i = a; i < b; i++) {
			all &= map[i];
			any |= map[i];
			if (!map[i] && !want_e) {
				want_s = i * SZ_4K;
				while (i < b && !map[i])
					i++;
				want_e = i * SZ_4K;
				i--;
			}
		}
		got = tdx_range_outside_cmrs(a * SZ_4K, b * SZ_4K, cmrs, n, &s, &e);
		CHECK(got == !all, "iteration %u: outside %d, want %d", it, got, !all);
		if (got && !all)
			CHECK(s == want_s && e == want_e,
			      "iteration %u: [%#llx, %#llx), want [%#llx, %#llx)",
			      it, s, e, want_s, want_e);
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
	printf("KTAP version 1\n1..3\n");
	printf("# tdx-lifecycle: random seed %u (replay with -s %u)\n", seed, seed);

	test_outside_cmrs();
	printf("%s 1 outside_cmrs\n", failures ? "not ok" : "ok");
	total += failures;
	failures = 0;
	test_memlist();
	printf("%s 2 memlist\n", failures ? "not ok" : "ok");
	total += failures;
	failures = 0;
	test_random(20000);
	printf("%s 3 random_ranges\n", failures ? "not ok" : "ok");
	total += failures;
	printf("# tdx-lifecycle: %d failed, seed %u\n", total, seed);
	return total ? 1 : 0;
}
