/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An independent SHA-384 (FIPS 180-4) for the tests, so that MRTD is
 * checked against a hash the engine's platform (OpenSSL) did not make.
 */
#ifndef _TEST_SHA384_H
#define _TEST_SHA384_H

#include <stddef.h>
#include <linux/types.h>

struct tsha384 {
	u64 h[8];
	u8 buf[128];
	size_t used;
	u64 total;
};

void tsha384_init(struct tsha384 *s);
void tsha384_update(struct tsha384 *s, const void *data, size_t len);
void tsha384_final(struct tsha384 *s, u8 digest[48]);

#endif
