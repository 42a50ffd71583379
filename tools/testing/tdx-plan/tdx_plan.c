// SPDX-License-Identifier: GPL-2.0
/*
 * tdx-plan: predict TDX's memory cost and failures before booting.
 *
 *   tdx-plan plan  [FILE]   plan TDMRs/PAMTs for a memory map, run the
 *                           plan through the software module
 *   tdx-plan check [FILE]   run a given TDMR layout (e.g. pasted from a
 *                           failing host's dmesg) through the module
 *
 * FILE (default: standard input) is in the format described in
 * plan_lib.c and Documentation/x86/tdx-host.rst.  Exit status: 0 the
 * module accepts, 1 no plan or the module refuses, 2 bad input.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "plan_lib.h"

static struct pl_input input;

static int usage(void)
{
	fprintf(stderr, "usage: tdx-plan plan [FILE]\n       tdx-plan check [FILE]\n");
	return 2;
}

static int load(const char *path)
{
	char msg[600];
	FILE *f = stdin;
	int ret;

	if (path && strcmp(path, "-")) {
		f = fopen(path, "r");
		if (!f) {
			fprintf(stderr, "tdx-plan: %s: %s\n", path, strerror(errno));
			return 2;
		}
	}
	ret = pl_parse(f, &input, msg, sizeof(msg));
	if (f != stdin)
		fclose(f);
	if (ret) {
		fprintf(stderr, "tdx-plan: %s: %s\n", path ? path : "<stdin>", msg);
		return 2;
	}
	if (pl_finish(&input, msg, sizeof(msg))) {
		fprintf(stderr, "tdx-plan: %s: %s\n", path ? path : "<stdin>", msg);
		return 2;
	}
	return 0;
}

static void print_input(void)
{
	unsigned int i;

	printf("# %u memory ranges, %u CMRs; limits max_tdmrs=%u max_reserved=%u pamt_entry=%u; private KeyIDs [%u, %u)\n",
	       input.nr_mem, input.nr_cmrs, input.lim.max_tdmrs,
	       input.lim.max_reserved_per_tdmr, input.lim.pamt_entry_size,
	       input.keyid_start, input.keyid_end);
	if (input.nr_cmr_repeats)
		printf("# %u CMR lines repeated an identical CMR (several boots' logs?): merged\n",
		       input.nr_cmr_repeats);
	printf("limits max_tdmrs=%u max_reserved=%u pamt_entry=%u\n",
	       input.lim.max_tdmrs, input.lim.max_reserved_per_tdmr,
	       input.lim.pamt_entry_size);
	for (i = 0; i < input.nr_cmrs; i++)
		printf("cmr %#llx %#llx\n", input.cmrs[i].base,
		       input.cmrs[i].base + input.cmrs[i].size);
}

static int do_plan(void)
{
	struct tdx_layout_in in = {
		.mem = input.mem, .nr_mem = input.nr_mem,
		.cmrs = input.cmrs, .nr_cmrs = input.nr_cmrs,
	};
	struct tdx_pamt_ops ops = pl_pamt_ops_tmpl;
	struct pl_tdmr out[TDX_LAYOUT_MAX_TDMRS];
	struct tdx_layout_error err = {};
	struct tdmr_list list;
	struct timespec t0, t1;
	struct pl_naive nv;
	struct pl_alloc a;
	unsigned int i, nr;
	void *mem;
	u64 st;
	int ret;

	if (!input.nr_mem) {
		fprintf(stderr, "tdx-plan: no memory in the input\n");
		return 2;
	}
	print_input();
	if (input.ram_from_cmrs)
		printf("# no memory map in the input (no e820, iomem or ram lines): RAM taken from the %u CMRs\n",
		       input.nr_cmrs);
	pl_naive(&input, &nv);
	printf("# naive layout: %u TDMRs, %llu KB PAMT; TDMR %u [%#llx, %#llx) needs %u reserved areas: %s\n",
	       nv.nr_tdmrs, nv.pamt_bytes / 1024, nv.worst_tdmr, nv.worst_base,
	       nv.worst_end, nv.worst_areas,
	       nv.fails ? "the module would refuse it" : "fits");

	mem = aligned_alloc(TDMR_INFO_ALIGNMENT, tdmr_list_bytes(&input.lim));
	if (!mem || tdmr_list_init(&list, mem, &input.lim)) {
		fprintf(stderr, "tdx-plan: bad limits\n");
		free(mem);
		return 2;
	}
	pl_alloc_init(&a, &input);
	ops.ctx = &a;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = tdx_construct_tdmrs(&list, &in, &ops, &err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("# search: %u tries (budget %d), %.3f ms\n", list.tries,
	       TDX_PLAN_MAX_TRIES, (t1.tv_sec - t0.tv_sec) * 1e3 +
	       (t1.tv_nsec - t0.tv_nsec) / 1e6);
	if (ret) {
		printf("# no plan: %s (%d): ", pl_layout_step_name(err.step), ret);
		switch (err.step) {
		case TDX_LAYOUT_WINDOW_IMPOSSIBLE:
			printf("window [%#llx, %#llx) has %u gaps (runs without TDX memory that leave the CMRs), a TDMR may reserve %u: no valid layout exists\n",
			       err.base, err.end, err.count, err.limit);
			break;
		case TDX_LAYOUT_TDMRS_EXHAUSTED:
			printf("the memory needs %u TDMRs, the module allows %u\n",
			       err.count, err.limit);
			break;
		case TDX_LAYOUT_BUDGET:
			printf("no plan found within %u tries; one may exist (the search is bounded, not exhaustive)\n",
			       err.count);
			break;
		case TDX_LAYOUT_BAD_INPUT:
		case TDX_LAYOUT_MEM_OUTSIDE_CMR:
			printf("memory [%#llx, %#llx)\n", err.base, err.end);
			break;
		default:
			printf("TDMR %u [%#llx, %#llx), %u KB of PAMT\n",
			       err.tdmr, err.base, err.end, err.count);
		}
		free(mem);
		return ret == -EINVAL ? 2 : 1;
	}

	printf("# plan: %u TDMRs, %llu KB PAMT (formula %llu KB, allocated %llu KB%s), %u PAMT blocks, empty GiBs bridged up to %llu, slack %lld, %u tries\n",
	       list.nr_tdmrs, tdmrs_pamt_bytes(&list) / 1024,
	       tdmrs_pamt_bytes(&list) / 1024,
	       tdmrs_pamt_allocated(&list) / 1024,
	       tdmrs_pamt_allocated(&list) != tdmrs_pamt_bytes(&list) ?
	       ", OVER-ALLOCATED" : "", list.nr_blocks,
	       (unsigned long long)list.bridge, (long long)list.slack_at,
	       list.tries);
	for (i = 0; i < list.nr_blocks; i++)
		printf("# PAMT block %u: [%#llx, %#llx) %llu KB node %d, in TDMR %d\n",
		       i, list.blocks[i].base,
		       list.blocks[i].base + list.blocks[i].size,
		       list.blocks[i].size / 1024, list.blocks[i].nid,
		       tdmrs_block_tdmr(&list, i));
	for (i = 0; i < list.nr_tdmrs; i++)
		printf("# TDMR %u: %u reserved areas, PAMT %llu KB\n", i,
		       list.nr_rsvd[i], list.pamt[i].size / 1024);
	pl_print_layout(stdout, &list);
	printf("# total_pamt_kb %llu\n", tdmrs_pamt_bytes(&list) / 1024);

	nr = pl_from_list(&list, out);
	st = pl_module_check(&input, out, nr, stdout);
	tdmrs_free_pamt_all(&list, &ops);
	free(mem);
	printf("# software module: %s\n", st ? "REFUSED" : "accepted");
	return st ? 1 : 0;
}

static int do_check(void)
{
	u64 st;

	if (!input.nr_tdmrs) {
		fprintf(stderr, "tdx-plan: no 'tdmr' lines in the input\n");
		return 2;
	}
	if (!input.nr_cmrs) {
		fprintf(stderr, "tdx-plan: no CMRs in the input (cmr lines, CMR dmesg lines or a memory map)\n");
		return 2;
	}
	print_input();
	st = pl_module_check(&input, input.tdmrs, input.nr_tdmrs, stdout);
	printf("# software module: %s\n", st ? "REFUSED" : "accepted");
	return st ? 1 : 0;
}

int main(int argc, char **argv)
{
	int ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2 || argc > 3)
		return usage();
	if (strcmp(argv[1], "plan") && strcmp(argv[1], "check"))
		return usage();
	ret = load(argc == 3 ? argv[2] : NULL);
	if (ret)
		return ret;
	return !strcmp(argv[1], "plan") ? do_plan() : do_check();
}
