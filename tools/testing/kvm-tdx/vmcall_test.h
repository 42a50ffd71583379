/* SPDX-License-Identifier: GPL-2.0 */
/* The TDVMCALL cases of the kvm-tdx harness (vmcall_test.c). */
#ifndef _KVM_TDX_VMCALL_TEST_H
#define _KVM_TDX_VMCALL_TEST_H

struct rng;

void test_vmcall_decode(struct rng *r);
void test_vmcall_complete(struct rng *r);
void test_vmcall_exhaustive(struct rng *r);
void test_vmcall_random(struct rng *r);

#endif
