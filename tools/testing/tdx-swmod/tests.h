/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _TESTS_H
#define _TESTS_H

#include "harness.h"

extern const struct test_case all_tests[];

void test_rules_table(struct rng *r);
void test_rules_valid_variants(struct rng *r);
void test_random_layouts(struct rng *r);
void test_golden_pamt(struct rng *r);
void test_large_sparse(struct rng *r);

/* test_vp.c: TDH.VP.ENTER and its scripted exits. */
void test_vp_enter_rules(struct rng *r);
void test_vp_enter_association(struct rng *r);
void test_vp_enter_nothing_armed(struct rng *r);
void test_vp_enter_tdvmcall(struct rng *r);
void test_vp_enter_ept(struct rng *r);
void test_vp_exit_parse(struct rng *r);
void test_vp_exit_arm(struct rng *r);
void test_vp_enter_threads(struct rng *r);

#endif
