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

#endif
