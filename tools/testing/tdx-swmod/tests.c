// SPDX-License-Identifier: GPL-2.0
/* The list of top-level tests, in KTAP order. */
#include "tests.h"

void test_state_machine(struct rng *r);
void test_register_preservation(struct rng *r);
void test_lp_offline_online(struct rng *r);
void test_lp_not_enabled(struct rng *r);
void test_lp_remove(struct rng *r);
void test_reset_memory(struct rng *r);
void test_key_config_per_package(struct rng *r);
void test_handover_ready(struct rng *r);
void test_tdmr_init_progress(struct rng *r);
void test_fault_injection(struct rng *r);
void test_concurrency(struct rng *r);
void test_presence(struct rng *r);
void test_sys_info(struct rng *r);
void test_sys_init_checks(struct rng *r);
void test_cmrs_from_ram(struct rng *r);
void test_config_validation(struct rng *r);
void test_independent_instances(struct rng *r);
void test_sparse_memory(struct rng *r);
void test_param_options(struct rng *r);
void test_param_keyids(struct rng *r);
void test_param_last_wins(struct rng *r);
void test_td_rules(struct rng *r);
void test_td_lifecycle(struct rng *r);
void test_td_teardown_reclaim(struct rng *r);
void test_td_busy(struct rng *r);
void test_td_fault_injection(struct rng *r);
void test_td_random(struct rng *r);
void test_td_bench(struct rng *r);
void test_td_threads(struct rng *r);
void test_td_fail_names(struct rng *r);
void test_td_metadata(struct rng *r);
void test_td_fuzz(struct rng *r);

const struct test_case all_tests[] = {
	{ "platform_presence", test_presence },
	{ "platform_config_validation", test_config_validation },
	{ "platform_cmrs_from_ram", test_cmrs_from_ram },
	{ "platform_independent_instances", test_independent_instances },
	{ "platform_sparse_memory", test_sparse_memory },
	{ "param_options", test_param_options },
	{ "param_keyids", test_param_keyids },
	{ "param_last_one_wins", test_param_last_wins },
	{ "sys_init_platform_checks", test_sys_init_checks },
	{ "sys_info", test_sys_info },
	{ "seq_state_machine", test_state_machine },
	{ "seq_register_preservation", test_register_preservation },
	{ "seq_lp_offline_online", test_lp_offline_online },
	{ "seq_lp_not_enabled", test_lp_not_enabled },
	{ "seq_lp_remove", test_lp_remove },
	{ "platform_reset_memory", test_reset_memory },
	{ "seq_key_config_per_package", test_key_config_per_package },
	{ "seq_handover_ready", test_handover_ready },
	{ "seq_tdmr_init_progress", test_tdmr_init_progress },
	{ "seq_fault_injection", test_fault_injection },
	{ "seq_concurrency", test_concurrency },
	{ "config_rules_table", test_rules_table },
	{ "config_rules_valid_variants", test_rules_valid_variants },
	{ "config_random_layouts", test_random_layouts },
	{ "golden_pamt_64g", test_golden_pamt },
	{ "large_sparse_4t_validate_only", test_large_sparse },
	{ "td_rules_table", test_td_rules },
	{ "td_lifecycle_remove_all", test_td_lifecycle },
	{ "td_lifecycle_teardown_reclaim", test_td_teardown_reclaim },
	{ "td_busy", test_td_busy },
	{ "td_fault_injection", test_td_fault_injection },
	{ "td_random_sequence", test_td_random },
	{ "td_random_lifecycles", test_td_fuzz },
	{ "td_threads_busy", test_td_threads },
	{ "td_fail_names", test_td_fail_names },
	{ "td_metadata_roundtrip", test_td_metadata },
	{ "td_bench", test_td_bench },
	{ NULL, NULL },
};
