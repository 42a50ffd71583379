// SPDX-License-Identifier: GPL-2.0
/*
 * The userspace platform's SHA-384 (swmod_platform.h), on OpenSSL's
 * libcrypto.  Tests compare MRTD with their own implementation
 * (test_td.c), so the engine's hash and the check are independent.
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <errno.h>
#include <openssl/sha.h>

#include "swmod_platform.h"
#include "swmod_td.h"

_Static_assert(sizeof(SHA512_CTX) <= SWMOD_SHA384_CTX_SIZE,
	       "SHA-384 context does not fit the TDCS slot");

int swmod_plat_sha384_init(struct swmod_plat *plat, void *ctx)
{
	return SHA384_Init(ctx) == 1 ? 0 : -EINVAL;
}

void swmod_plat_sha384_update(struct swmod_plat *plat, void *ctx,
			      const void *data, size_t len)
{
	SHA384_Update(ctx, data, len);
}

void swmod_plat_sha384_final(struct swmod_plat *plat, void *ctx, u8 *digest)
{
	SHA384_Final(digest, ctx);
}
