/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The TDX module's ABI as kvm_intel's TD code uses it: TD_PARAMS (the
 * input of TDH.MNG.INIT), the attribute and XFAM bits KVM checks, and
 * the statuses KVM acts on.  Hardware ABI only: no KVM state here.
 */
#ifndef __KVM_X86_VMX_TDX_ARCH_H
#define __KVM_X86_VMX_TDX_ARCH_H

#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/stddef.h>
#include <linux/types.h>

/* TD attributes (TD_PARAMS.ATTRIBUTES) */
#define TDX_TD_ATTR_DEBUG		BIT_ULL(0)
#define TDX_TD_ATTR_SEPT_VE_DISABLE	BIT_ULL(28)
#define TDX_TD_ATTR_PKS			BIT_ULL(30)
#define TDX_TD_ATTR_KL			BIT_ULL(31)
#define TDX_TD_ATTR_PERFMON		BIT_ULL(63)

/* XFAM bits KVM refuses for TDs: arch LBRs (XSS) and AMX (XCR0) */
#define TDX_XFAM_LBR			BIT_ULL(15)
#define TDX_XFAM_AMX			(BIT_ULL(17) | BIT_ULL(18))

/* TD_PARAMS.EPTP_CONTROLS: write-back, page-walk length - 1 */
#define TDX_EPTP_MT_WB			6ULL
#define TDX_EPTP_PWL_SHIFT		3
#define TDX_EPTP_PWL_4LEVEL		3ULL
#define TDX_EPTP_PWL_5LEVEL		4ULL

/* TD_PARAMS.EXEC_CONTROLS: guest physical address width 52 (else 48) */
#define TDX_EXEC_CONTROL_MAX_GPAW	BIT_ULL(0)

/* The shared bit of a TD's GPAs: GPA width - 1. */
#define TDX_SHARED_BIT_GPAW_48		47

/* TDH.MR.EXTEND measures a page in chunks of this many bytes. */
#define TDX_EXTENDMR_CHUNKSIZE		256

/* TD_PARAMS.TSC_FREQUENCY is in units of 25 MHz, 4..400 */
#define TDX_TSC_KHZ_PER_UNIT		25000U
#define TDX_TSC_FREQ_MIN		4U
#define TDX_TSC_FREQ_MAX		400U

/* TD_PARAMS.CPUID_CONFIG_VALUES: one per TDSYSINFO CPUID config */
#define TDX_MAX_CPUID_CONFIGS		48

struct tdx_cpuid_value {
	u32 eax;
	u32 ebx;
	u32 ecx;
	u32 edx;
} __packed;

/* TD_PARAMS (module 1.0): 1024 bytes, 1024-byte aligned. */
struct td_params {
	u64 attributes;
	u64 xfam;
	u16 max_vcpus;
	u8 reserved0[6];
	u64 eptp_controls;
	u64 exec_controls;
	u16 tsc_frequency;
	u8 reserved1[38];
	u64 mr_config_id[6];
	u64 mr_owner[6];
	u64 mr_owner_config[6];
	u8 reserved2[32];
	struct tdx_cpuid_value cpuid_values[TDX_MAX_CPUID_CONFIGS];
} __packed __aligned(1024);

static_assert(sizeof(struct td_params) == 1024);
static_assert(offsetof(struct td_params, eptp_controls) == 24);
static_assert(offsetof(struct td_params, tsc_frequency) == 40);
static_assert(offsetof(struct td_params, mr_config_id) == 80);
static_assert(offsetof(struct td_params, cpuid_values) == 256);

/* SEAMCALL statuses: class in bits 63:32, operand id in 31:0 */
#define TDX_STATUS_CLASS_MASK		0xFFFFFFFF00000000ULL
#define TDX_STATUS_OPERAND_INVALID	0xC000010000000000ULL
#define TDX_STATUS_OPERAND_BUSY		0x8000020000000000ULL
#define TDX_STATUS_KEY_GENERATION_FAILED 0x8000080000000000ULL
#define TDX_STATUS_INTERRUPTED_RESUMABLE 0x8000000300000000ULL
#define TDX_STATUS_NO_HKID_READY_TO_WBCACHE 0x0000082100000000ULL
#define TDX_STATUS_KEY_CONFIGURED	0x0000081500000000ULL
#define TDX_STATUS_VCPU_NOT_ASSOCIATED	0x8000070200000000ULL
#define TDX_OPERAND_ID_RAX		0x00ULL

/*
 * TDG.VP.VMCALL (the guest's TDVMCALL), as TDH.VP.ENTER reports it: exit
 * reason 77 in RAX[31:0], the guest's RCX (bits 15:0 the GPRs it exposes,
 * by number: RAX 0 ... R15 15) and the exposed GPRs; R10 0 for the GHCI
 * standard calls (sub-function in R11) or a vendor (KVM hypercall)
 * number; the host answers a status in R10 and outputs in R11..R15.
 */
#define TDX_EXIT_REASON_TDCALL		77
#define TDX_VMCALL_GPR_FORBIDDEN	(BIT_ULL(0) | BIT_ULL(1) | BIT_ULL(4))

#define TDX_VMCALL_GET_TD_VM_CALL_INFO	0x10000
#define TDX_VMCALL_MAP_GPA		0x10001
#define TDX_VMCALL_GET_QUOTE		0x10002
#define TDX_VMCALL_REPORT_FATAL_ERROR	0x10003
#define TDX_VMCALL_SETUP_EVENT_NOTIFY	0x10004
/* Instruction sub-functions are the VMX exit reasons. */
#define TDX_VMCALL_CPUID		10
#define TDX_VMCALL_HLT			12
#define TDX_VMCALL_IO			30
#define TDX_VMCALL_RDMSR		31
#define TDX_VMCALL_WRMSR		32
#define TDX_VMCALL_MMIO			48

#define TDX_VMCALL_SUCCESS		0x0ULL
#define TDX_VMCALL_RETRY		0x1ULL
#define TDX_VMCALL_INVALID_OPERAND	0x8000000000000000ULL

#endif /* __KVM_X86_VMX_TDX_ARCH_H */
