/* SPDX-License-Identifier: GPL-2.0 */
/* The kernel's x86 KVM uAPI header, not the C library's copy. */
#include "../../../../../arch/x86/include/uapi/asm/kvm.h"
