/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SHA-384 (FIPS 180-4), for tests that compute a measurement the way
 * the TDX module does (a TD's MRTD): tdx_vm_test, and the software TDX
 * module's harness (tools/testing/tdx-swmod), which checks the module's
 * MRTD against a hash its platform (OpenSSL) did not make.  Not
 * constant-time; not for keys.
 */
#ifndef SELFTEST_KVM_SHA384_H
#define SELFTEST_KVM_SHA384_H

#include <stddef.h>
#include <stdint.h>

#define SHA384_DIGEST_SIZE	48
#define SHA384_BLOCK_SIZE	128

struct sha384_ctx {
	uint64_t h[8];
	uint64_t bytes;			/* hashed so far */
	uint8_t buf[SHA384_BLOCK_SIZE];	/* bytes % 128 of them pending */
};

void sha384_init(struct sha384_ctx *ctx);
void sha384_update(struct sha384_ctx *ctx, const void *data, size_t len);
void sha384_final(struct sha384_ctx *ctx, uint8_t digest[SHA384_DIGEST_SIZE]);

#endif /* SELFTEST_KVM_SHA384_H */
