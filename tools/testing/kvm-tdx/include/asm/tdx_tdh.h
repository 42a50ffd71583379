/* SPDX-License-Identifier: GPL-2.0 */
/* The host core's TD interface, as KVM includes it. */
#include "../../../../../arch/x86/include/asm/tdx_tdh.h"
