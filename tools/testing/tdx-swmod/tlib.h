/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test library: an "env" (one engine instance on one userspace
 * platform), SEAMCALL helpers, and TDMR layouts with builders.
 */
#ifndef _TLIB_H
#define _TLIB_H

#include <errno.h>

#include "swmod.h"
#include "harness.h"
#include "user_plat.h"

#define SZ_4K	0x1000ULL
#define SZ_1M	0x100000ULL
#define SZ_2M	0x200000ULL
#define SZ_4M	0x400000ULL
#define SZ_1G	0x40000000ULL
#define SZ_1T	(1024ULL * SZ_1G)

/* Where tests put host structures (below 1 MiB, outside all CMRs). */
#define SCRATCH_ARRAY	0x10000ULL
#define SCRATCH_INFO	0x20000ULL	/* + i * 512 */
#define SCRATCH_SYSINFO	0x40000ULL
#define SCRATCH_CMRS	0x41000ULL

#define MAX_TEST_LPS	64

struct env {
	struct swmod_plat *p;
	struct swmod *m;
	struct swmod_config cfg;
	u8 lp_pkg[MAX_TEST_LPS];
	unsigned int hkid_shift;
};

/* 4 LPs in 2 packages, 15 MKTME + 48 TDX KeyIDs (6 KeyID bits). */
void env_default_config(struct swmod_config *cfg);
struct env *env_new(const struct swmod_config *cfg, const u8 *lp_pkg);
void env_free(struct env *e);

/* Raw SEAMCALL on @lp. */
enum swmod_outcome env_call(struct env *e, unsigned int lp, struct swmod_regs *r);
/* SEAMCALL expected to SEAMRET; returns RAX, fills @out if given. */
u64 env_sc(struct env *e, unsigned int lp, u64 leaf, u64 rcx, u64 rdx, u64 r8,
	   struct swmod_regs *out);

u64 env_sys_init(struct env *e);		/* SYS.INIT + every LP.INIT */
u64 env_key_config_all(struct env *e);	/* one LP per package */
u64 env_tdmr_init_all(struct env *e, u64 *calls);
u64 env_pa_keyid(const struct env *e, u64 pa, u64 keyid);

struct layout {
	unsigned int nr_cmrs;
	struct swmod_cmr_info cmrs[SWMOD_MAX_CMRS];
	unsigned int nr_tdmrs;
	/* 8-byte aligned so that lay_pamt_base() pointers are */
	struct swmod_tdmr_info tdmrs[SWMOD_MAX_TDMRS] __attribute__((aligned(8)));
	u64 hkid;

	/* How the layout is handed to SYS.CONFIG (operand mutations). */
	u64 array_delta;
	u64 array_keyid;
	bool nr_set;
	u64 nr_value;
	int info_idx;		/* -1: none */
	u64 info_delta;
	u64 info_keyid;
	bool skip_lp_init;	/* leave the last LP without LP.INIT */
};

void lay_init(struct layout *l);
u64 *lay_pamt_base(struct swmod_tdmr_info *t, int ps);
u64 *lay_pamt_size(struct swmod_tdmr_info *t, int ps);
u64 lay_pamt_kernel_size(u64 tdmr_size, int ps);
unsigned int lay_nr_rsvd(const struct swmod_tdmr_info *t);
int lay_add_rsvd(struct swmod_tdmr_info *t, u64 start, u64 end);
void lay_del_rsvd(struct swmod_tdmr_info *t, unsigned int j);
u64 lay_pamt_pages(const struct layout *l);
void lay_dump(const struct layout *l);

/* Copy the layout's CMRs into a config. */
void lay_to_config(const struct layout *l, struct swmod_config *cfg);
/* Write TDMR_INFOs + array to scratch memory and call SYS.CONFIG. */
u64 lay_submit(struct env *e, const struct layout *l);

/* Builders; 0 on success. */
void lay_build_catalogue_base(struct layout *l);
int lay_build_kernel_style(struct layout *l, const struct swmod_range *ram,
			   unsigned int nr_ram, u64 max_tdmr_size);
int lay_build_random(struct layout *l, struct rng *r, u64 hkid_min, u64 hkid_max);

/* Mutation catalogue (mutate.c). */
struct mparams {
	int i, j, k, ps, ps2;
};

struct mutation {
	const char *name;
	/*
	 * Apply to @l.  With @r, pick the parameters at random (written
	 * back to @p); without, use @p.  Returns false if the mutation does
	 * not apply to this layout; else sets *@expected to the status
	 * SYS.CONFIG must return.
	 */
	bool (*apply)(struct layout *l, struct rng *r, struct mparams *p,
		      unsigned int hkid_shift, u64 *expected);
};

extern const struct mutation mutations[];
extern const unsigned int nr_mutations;
const struct mutation *find_mutation(const char *name);

#endif
