/* SPDX-License-Identifier: GPL-2.0 */
/* The common shim's <linux/types.h> plus the __u* types uAPI headers use. */
#ifndef _KVM_TDX_SHIM_TYPES_H
#define _KVM_TDX_SHIM_TYPES_H

#include_next <linux/types.h>

typedef uint8_t __u8;
typedef uint16_t __u16;
typedef uint32_t __u32;
typedef unsigned long long __u64;
typedef int8_t __s8;
typedef int16_t __s16;
typedef int32_t __s32;
typedef long long __s64;
typedef u64 phys_addr_t;

/* From the uAPI <linux/stddef.h>, which the kernel's uAPI headers use. */
#define __DECLARE_FLEX_ARRAY(TYPE, NAME)	\
	struct {				\
		struct { } __empty_ ## NAME;	\
		TYPE NAME[];			\
	}

#endif
