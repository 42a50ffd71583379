/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Software TDX module: architectural (hardware/firmware-defined) items.
 *
 * Everything in this header is defined by the TDX module 1.0 host ABI:
 * leaf numbers, status codes, operand IDs and the layouts of the
 * structures the host exchanges with the module.  The software state
 * of the emulator lives in swmod.h / swmod_state.h; do not mix the two.
 *
 * All names carry a SWMOD_ prefix so that this header can be included
 * next to the host core's own TDX definitions without clashes.
 */
#ifndef __SWMOD_ABI_H
#define __SWMOD_ABI_H

#include <linux/types.h>
#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/stddef.h>

/* SEAMCALL leaf numbers (RAX bits 15:0). */
#define SWMOD_TDH_VP_ENTER		0
#define SWMOD_TDH_MNG_ADDCX		1
#define SWMOD_TDH_MEM_PAGE_ADD		2
#define SWMOD_TDH_MEM_SEPT_ADD		3
#define SWMOD_TDH_VP_ADDCX		4
#define SWMOD_TDH_MEM_PAGE_RELOCATE	5
#define SWMOD_TDH_MEM_PAGE_AUG		6
#define SWMOD_TDH_MEM_RANGE_BLOCK	7
#define SWMOD_TDH_MNG_KEY_CONFIG	8
#define SWMOD_TDH_MNG_CREATE		9
#define SWMOD_TDH_VP_CREATE		10
#define SWMOD_TDH_MNG_RD		11
#define SWMOD_TDH_MEM_RD		12
#define SWMOD_TDH_MNG_WR		13
#define SWMOD_TDH_MEM_WR		14
#define SWMOD_TDH_MEM_PAGE_DEMOTE	15
#define SWMOD_TDH_MR_EXTEND		16
#define SWMOD_TDH_MR_FINALIZE		17
#define SWMOD_TDH_VP_FLUSH		18
#define SWMOD_TDH_MNG_VPFLUSHDONE	19
#define SWMOD_TDH_MNG_KEY_FREEID	20
#define SWMOD_TDH_MNG_INIT		21
#define SWMOD_TDH_VP_INIT		22
#define SWMOD_TDH_MEM_PAGE_PROMOTE	23
#define SWMOD_TDH_PHYMEM_PAGE_RDMD	24
#define SWMOD_TDH_MEM_SEPT_RD		25
#define SWMOD_TDH_VP_RD			26
#define SWMOD_TDH_MNG_KEY_RECLAIMID	27
#define SWMOD_TDH_PHYMEM_PAGE_RECLAIM	28
#define SWMOD_TDH_MEM_PAGE_REMOVE	29
#define SWMOD_TDH_MEM_SEPT_REMOVE	30
#define SWMOD_TDH_SYS_KEY_CONFIG	31
#define SWMOD_TDH_SYS_INFO		32
#define SWMOD_TDH_SYS_INIT		33
#define SWMOD_TDH_SYS_RD		34	/* 1.5 only */
#define SWMOD_TDH_SYS_LP_INIT		35
#define SWMOD_TDH_SYS_TDMR_INIT		36
#define SWMOD_TDH_SYS_RDALL		37	/* 1.5 only */
#define SWMOD_TDH_MEM_TRACK		38
#define SWMOD_TDH_MEM_RANGE_UNBLOCK	39
#define SWMOD_TDH_PHYMEM_CACHE_WB	40
#define SWMOD_TDH_PHYMEM_PAGE_WBINVD	41
#define SWMOD_TDH_MEM_SEPT_WR		42	/* defined, never dispatched */
#define SWMOD_TDH_VP_WR			43
#define SWMOD_TDH_SYS_LP_SHUTDOWN	44
#define SWMOD_TDH_SYS_CONFIG		45

/* RAX: bits 15:0 leaf, 23:16 version, 63:24 reserved; bit 63 = P-SEAMLDR. */
#define SWMOD_RAX_LEAF_MASK		GENMASK_ULL(15, 0)
#define SWMOD_RAX_VERSION_SHIFT		16
#define SWMOD_RAX_SEAMLDR		BIT_ULL(63)

/* Status code layout (RAX after SEAMRET). */
#define SWMOD_STATUS_ERROR		BIT_ULL(63)
#define SWMOD_STATUS_NON_RECOVERABLE	BIT_ULL(62)
#define SWMOD_STATUS_MASK		0xFFFFFFFF00000000ULL

/* Pack up to three info bytes into the low 32 bits of a status. */
#define SWMOD_STATUS_INFO(st, b0, b1, b2)				\
	((st) + (u64)(u8)(b0) + ((u64)(u8)(b1) << 8) + ((u64)(u8)(b2) << 16))

/* Software-defined (Linux) codes for SEAMCALL instruction failures. */
#define SWMOD_SW_ERROR			0x8000FF0000000000ULL
#define SWMOD_SEAMCALL_VMFAILINVALID	0x8000FF00FFFF0000ULL
#define SWMOD_SEAMCALL_GP		0x8000FF000000000DULL
#define SWMOD_SEAMCALL_UD		0x8000FF0000000006ULL

/* Operand IDs (status bits 31:0). */
#define SWMOD_OPERAND_ID_RAX		0ULL
#define SWMOD_OPERAND_ID_RCX		1ULL
#define SWMOD_OPERAND_ID_RDX		2ULL
#define SWMOD_OPERAND_ID_RBX		3ULL
#define SWMOD_OPERAND_ID_RBP		5ULL
#define SWMOD_OPERAND_ID_RSI		6ULL
#define SWMOD_OPERAND_ID_RDI		7ULL
#define SWMOD_OPERAND_ID_R8		8ULL
#define SWMOD_OPERAND_ID_R9		9ULL
#define SWMOD_OPERAND_ID_R10		10ULL
#define SWMOD_OPERAND_ID_ATTRIBUTES	64ULL
#define SWMOD_OPERAND_ID_XFAM		65ULL
#define SWMOD_OPERAND_ID_EXEC_CONTROLS	66ULL
#define SWMOD_OPERAND_ID_EPTP_CONTROLS	67ULL
#define SWMOD_OPERAND_ID_MAX_VCPUS	68ULL
#define SWMOD_OPERAND_ID_CPUID_CONFIG	69ULL
#define SWMOD_OPERAND_ID_TSC_FREQUENCY	70ULL
#define SWMOD_OPERAND_ID_TDMR_INFO_PA	96ULL
#define SWMOD_OPERAND_ID_TDR		128ULL
#define SWMOD_OPERAND_ID_TDCX		129ULL
#define SWMOD_OPERAND_ID_TDVPR		130ULL
#define SWMOD_OPERAND_ID_TDVPX		131ULL
#define SWMOD_OPERAND_ID_TDCS		144ULL
#define SWMOD_OPERAND_ID_TDVPS		145ULL
#define SWMOD_OPERAND_ID_SEPT		146ULL
#define SWMOD_OPERAND_ID_TD_EPOCH	169ULL
#define SWMOD_OPERAND_ID_SYS		184ULL
#define SWMOD_OPERAND_ID_TDMR		185ULL
#define SWMOD_OPERAND_ID_KOT		186ULL
#define SWMOD_OPERAND_ID_KET		187ULL
#define SWMOD_OPERAND_ID_WBCACHE	188ULL

/* Status codes (TDX module 1.0 values). */
#define SWMOD_TDX_SUCCESS			0x0000000000000000ULL
#define SWMOD_TDX_NON_RECOVERABLE_VCPU		0x4000000100000000ULL
#define SWMOD_TDX_NON_RECOVERABLE_TD		0x4000000200000000ULL
#define SWMOD_TDX_INTERRUPTED_RESUMABLE		0x8000000300000000ULL
#define SWMOD_TDX_INTERRUPTED_RESTARTABLE	0x8000000400000000ULL
#define SWMOD_TDX_NON_RECOVERABLE_TD_FATAL	0x4000000500000000ULL
#define SWMOD_TDX_INVALID_RESUMPTION		0xC000000600000000ULL
#define SWMOD_TDX_OPERAND_INVALID		0xC000010000000000ULL
#define SWMOD_TDX_OPERAND_ADDR_RANGE_ERROR	0xC000010100000000ULL
#define SWMOD_TDX_OPERAND_BUSY			0x8000020000000000ULL
#define SWMOD_TDX_PREVIOUS_TLB_EPOCH_BUSY	0x8000020100000000ULL
#define SWMOD_TDX_SYS_BUSY			0x8000020200000000ULL
#define SWMOD_TDX_PAGE_METADATA_INCORRECT	0xC000030000000000ULL
#define SWMOD_TDX_PAGE_ALREADY_FREE		0x0000030100000000ULL
#define SWMOD_TDX_PAGE_NOT_OWNED_BY_TD		0xC000030200000000ULL
#define SWMOD_TDX_PAGE_NOT_FREE			0xC000030300000000ULL
#define SWMOD_TDX_TD_ASSOCIATED_PAGES_EXIST	0xC000040000000000ULL
#define SWMOD_TDX_TD_NOT_INITIALIZED		0xC000060000000000ULL
#define SWMOD_TDX_TD_INITIALIZED		0xC000060100000000ULL
#define SWMOD_TDX_TD_NOT_FINALIZED		0xC000060200000000ULL
#define SWMOD_TDX_TD_FINALIZED			0xC000060300000000ULL
#define SWMOD_TDX_TD_FATAL			0xC000060400000000ULL
#define SWMOD_TDX_LIFECYCLE_STATE_INCORRECT	0xC000060700000000ULL
#define SWMOD_TDX_TDCX_NUM_INCORRECT		0xC000061000000000ULL
#define SWMOD_TDX_VCPU_STATE_INCORRECT		0xC000070000000000ULL
#define SWMOD_TDX_VCPU_ASSOCIATED		0x8000070100000000ULL
#define SWMOD_TDX_VCPU_NOT_ASSOCIATED		0x8000070200000000ULL
#define SWMOD_TDX_TDVPX_NUM_INCORRECT		0xC000070300000000ULL
#define SWMOD_TDX_MAX_VCPUS_EXCEEDED		0xC000070500000000ULL
#define SWMOD_TDX_FIELD_NOT_WRITABLE		0xC000072000000000ULL
#define SWMOD_TDX_FIELD_NOT_READABLE		0xC000072100000000ULL
#define SWMOD_TDX_EPT_WALK_FAILED		0xC0000B0000000000ULL
#define SWMOD_TDX_EPT_ENTRY_FREE		0xC0000B0100000000ULL
#define SWMOD_TDX_EPT_ENTRY_NOT_FREE		0xC0000B0200000000ULL
#define SWMOD_TDX_EPT_ENTRY_NOT_PRESENT		0xC0000B0300000000ULL
#define SWMOD_TDX_EPT_ENTRY_NOT_LEAF		0xC0000B0400000000ULL
#define SWMOD_TDX_EPT_ENTRY_LEAF		0xC0000B0500000000ULL
#define SWMOD_TDX_GPA_RANGE_NOT_BLOCKED		0xC0000B0600000000ULL
#define SWMOD_TDX_GPA_RANGE_ALREADY_BLOCKED	0x00000B0700000000ULL
#define SWMOD_TDX_TLB_TRACKING_NOT_DONE		0xC0000B0800000000ULL
#define SWMOD_TDX_SYS_INIT_NOT_PENDING		0xC000050000000000ULL
#define SWMOD_TDX_SYS_LP_INIT_NOT_DONE		0xC000050200000000ULL
#define SWMOD_TDX_SYS_LP_INIT_DONE		0xC000050300000000ULL
#define SWMOD_TDX_SYS_NOT_READY			0xC000050500000000ULL
#define SWMOD_TDX_SYS_SHUTDOWN			0xC000050600000000ULL
#define SWMOD_TDX_SYS_KEY_CONFIG_NOT_PENDING	0xC000050700000000ULL
#define SWMOD_TDX_SYS_LP_INIT_NOT_PENDING	0xC000050B00000000ULL
#define SWMOD_TDX_SYS_CONFIG_NOT_PENDING	0xC000050C00000000ULL
#define SWMOD_TDX_KEY_GENERATION_FAILED		0x8000080000000000ULL
#define SWMOD_TDX_TD_KEYS_NOT_CONFIGURED	0x8000081000000000ULL
#define SWMOD_TDX_KEY_STATE_INCORRECT		0xC000081100000000ULL
#define SWMOD_TDX_KEY_CONFIGURED		0x0000081500000000ULL
#define SWMOD_TDX_WBCACHE_NOT_COMPLETE		0x8000081700000000ULL
#define SWMOD_TDX_HKID_NOT_FREE			0xC000082000000000ULL
#define SWMOD_TDX_NO_HKID_READY_TO_WBCACHE	0x0000082100000000ULL
#define SWMOD_TDX_WBCACHE_RESUME_ERROR		0xC000082300000000ULL
#define SWMOD_TDX_FLUSHVP_NOT_DONE		0x8000082400000000ULL
#define SWMOD_TDX_NUM_ACTIVATED_HKIDS_NOT_SUPPORTED 0xC000082500000000ULL
#define SWMOD_TDX_INCORRECT_CPUID_VALUE		0xC000090000000000ULL
#define SWMOD_TDX_BOOT_NT4_SET			0xC000090100000000ULL
#define SWMOD_TDX_INCONSISTENT_CPUID_FIELD	0xC000090200000000ULL
#define SWMOD_TDX_INVALID_PKG_ID		0xC000090600000000ULL
#define SWMOD_TDX_INCONSISTENT_MSR		0xC000092000000000ULL
#define SWMOD_TDX_INCORRECT_MSR_VALUE		0xC000092100000000ULL
#define SWMOD_TDX_INVALID_TDMR			0xC0000A0000000000ULL
#define SWMOD_TDX_NON_ORDERED_TDMR		0xC0000A0100000000ULL
#define SWMOD_TDX_TDMR_OUTSIDE_CMRS		0xC0000A0200000000ULL
#define SWMOD_TDX_TDMR_ALREADY_INITIALIZED	0x00000A0300000000ULL
#define SWMOD_TDX_INVALID_PAMT			0xC0000A1000000000ULL
#define SWMOD_TDX_PAMT_OUTSIDE_CMRS		0xC0000A1100000000ULL
#define SWMOD_TDX_PAMT_OVERLAP			0xC0000A1200000000ULL
#define SWMOD_TDX_INVALID_RESERVED_IN_TDMR	0xC0000A2000000000ULL
#define SWMOD_TDX_NON_ORDERED_RESERVED_IN_TDMR	0xC0000A2100000000ULL
#define SWMOD_TDX_CMR_LIST_INVALID		0xC0000A2200000000ULL

/* MSR index reported with TDX_INCORRECT_MSR_VALUE for KeyID partitioning. */
#define SWMOD_MSR_IA32_MKTME_KEYID_PARTITIONING	0x87

/* Module constants (1.0). */
#define SWMOD_MAX_PA			52
#define SWMOD_MAX_TDMRS			64
#define SWMOD_MAX_RESERVED_PER_TDMR	16
#define SWMOD_MAX_CMRS			32
#define SWMOD_MAX_HKIDS			128
#define SWMOD_MAX_PKGS			8
#define SWMOD_PAMT_ENTRY_SIZE		16
#define SWMOD_TDSYSINFO_SIZE		1024
#define SWMOD_TDSYSINFO_ALIGN		1024
#define SWMOD_CMR_ARRAY_ALIGN		512
#define SWMOD_TDMR_INFO_ALIGN		512
#define SWMOD_TDMR_INFO_PA_ARRAY_ALIGN	512
#define SWMOD_TDMR_ALIGN		(1ULL << 30)
#define SWMOD_TDMR_INIT_ENTRIES		1024	/* PAMT_4K entries per call */
#define SWMOD_TDCS_PAGES		4
#define SWMOD_TDVPS_PAGES		6
#define SWMOD_TDVPX_PAGES		(SWMOD_TDVPS_PAGES - 1)
#define SWMOD_TD_PARAMS_SIZE		1024
#define SWMOD_TD_PARAMS_ALIGN		1024
#define SWMOD_MR_EXTEND_CHUNK		256
#define SWMOD_SHA384_SIZE		48
#define SWMOD_NUM_CPUID_CONFIG		6
#define SWMOD_TDSYSINFO_CPUID_CAPACITY	37

/* Page sizes, as used in PAMT levels and info bytes. */
#define SWMOD_PS_4K			0
#define SWMOD_PS_2M			1
#define SWMOD_PS_1G			2
#define SWMOD_PS_NR			3

/* PAMT page types. */
#define SWMOD_PT_NDA			0
#define SWMOD_PT_RSVD			1
#define SWMOD_PT_REG			3
#define SWMOD_PT_TDR			4
#define SWMOD_PT_TDCX			5
#define SWMOD_PT_TDVPR			6
#define SWMOD_PT_TDVPX			7
#define SWMOD_PT_EPT			8

/* TDR.LIFECYCLE_STATE */
#define SWMOD_TD_HKID_ASSIGNED		0
#define SWMOD_TD_KEYS_CONFIGURED	1
#define SWMOD_TD_BLOCKED		2
#define SWMOD_TD_TEARDOWN		3

/* VCPU states (1.0) */
#define SWMOD_VCPU_UNINITIALIZED	0
#define SWMOD_VCPU_READY		2

/* Secure EPT: levels, public entry states (RDX bits 15:8), entry bits. */
#define SWMOD_SEPT_LVL_PT		0
#define SWMOD_SEPT_LVL_PD		1
#define SWMOD_SEPT_LVL_PDPT		2
#define SWMOD_SEPT_LVL_PML4		3
#define SWMOD_SEPT_LVL_PML5		4
#define SWMOD_SEPT_FREE			0
#define SWMOD_SEPT_BLOCKED		1
#define SWMOD_SEPT_PENDING		2
#define SWMOD_SEPT_PENDING_BLOCKED	3
#define SWMOD_SEPT_MAPPED		4
#define SWMOD_SEPT_ENTRIES		512
#define SWMOD_SEPT_FREE_ENTRY		BIT_ULL(63)	/* suppress #VE */
#define SWMOD_EPT_RWX			0x7ULL
#define SWMOD_EPT_MT_WB			(6ULL << 3)
#define SWMOD_EPT_IPAT			BIT_ULL(6)
#define SWMOD_EPT_LEAF			BIT_ULL(7)
#define SWMOD_EPT_SVE			BIT_ULL(63)
#define SWMOD_EPT_PA_MASK		GENMASK_ULL(51, 12)

/* page_info operand (GPA | level) of the memory leaves. */
#define SWMOD_PAGE_INFO_LEVEL		GENMASK_ULL(2, 0)
#define SWMOD_PAGE_INFO_RSVD		(GENMASK_ULL(11, 3) | GENMASK_ULL(63, 52))

/* TD_PARAMS fields. */
#define SWMOD_ATTR_DEBUG		BIT_ULL(0)
#define SWMOD_ATTR_SEPT_VE_DISABLE	BIT_ULL(28)
#define SWMOD_EPTP_MT_MASK		GENMASK_ULL(2, 0)
#define SWMOD_EPTP_MT_WB		6ULL
#define SWMOD_EPTP_PWL_SHIFT		3
#define SWMOD_EPTP_PWL_MASK		GENMASK_ULL(5, 3)
#define SWMOD_EXEC_GPAW			BIT_ULL(0)
#define SWMOD_TSC_FREQ_MIN		4
#define SWMOD_TSC_FREQ_MAX		400

/*
 * Metadata field ids of TDH.MNG.RD/WR (TDCS) and TDH.VP.RD/WR (TDVPS),
 * 1.0 shape: bit 63 non-architectural, bits 61:56 class, bits 31:0
 * field; every other bit is reserved.  The codes are the ones a KVM TDX
 * backend uses; the measurement class is our choice (see
 * Documentation/x86/tdx-swmodule.rst).
 */
#define SWMOD_MD_NON_ARCH		BIT_ULL(63)
#define SWMOD_MD_CLASS_SHIFT		56
#define SWMOD_MD_VALID_MASK		(SWMOD_MD_NON_ARCH | \
					 GENMASK_ULL(61, 56) | \
					 GENMASK_ULL(31, 0))
#define SWMOD_MD_ID(class, field)	(((u64)(class) << SWMOD_MD_CLASS_SHIFT) | \
					 (u64)(field))
#define SWMOD_MD_TDCS_EXEC		17	/* execution controls */
#define SWMOD_MD_TDCS_MEASUREMENT	18
#define SWMOD_MD_TDVPS_VMCS		0	/* field = VMCS encoding */
#define SWMOD_MD_TDVPS_GPR		16	/* field = GPR number */
#define SWMOD_MD_TDVPS_OTHER		17
#define SWMOD_MD_TDVPS_MANAGEMENT	32

#define SWMOD_MD_TSC_OFFSET		SWMOD_MD_ID(SWMOD_MD_TDCS_EXEC, 10)
#define SWMOD_MD_TSC_MULTIPLIER		SWMOD_MD_ID(SWMOD_MD_TDCS_EXEC, 11)
#define SWMOD_MD_MRTD(i)		SWMOD_MD_ID(SWMOD_MD_TDCS_MEASUREMENT, i)
#define SWMOD_MD_POSTED_INTR_NV		SWMOD_MD_ID(SWMOD_MD_TDVPS_VMCS, 0x0002)
#define SWMOD_MD_POSTED_INTR_DESC	SWMOD_MD_ID(SWMOD_MD_TDVPS_VMCS, 0x2016)
#define SWMOD_MD_SHARED_EPTP		SWMOD_MD_ID(SWMOD_MD_TDVPS_VMCS, 0x203C)
#define SWMOD_MD_PIN_BASED_CTLS		SWMOD_MD_ID(SWMOD_MD_TDVPS_VMCS, 0x4000)
#define SWMOD_MD_GUEST_RSP		SWMOD_MD_ID(SWMOD_MD_TDVPS_VMCS, 0x681C)
#define SWMOD_MD_GUEST_RIP		SWMOD_MD_ID(SWMOD_MD_TDVPS_VMCS, 0x681E)
#define SWMOD_MD_GUEST_RFLAGS		SWMOD_MD_ID(SWMOD_MD_TDVPS_VMCS, 0x6820)
#define SWMOD_MD_GPR(i)			SWMOD_MD_ID(SWMOD_MD_TDVPS_GPR, i)
#define SWMOD_MD_STATE_DETAILS		(SWMOD_MD_NON_ARCH | \
					 SWMOD_MD_ID(SWMOD_MD_TDVPS_OTHER, 0x100))
#define SWMOD_MD_PEND_NMI		SWMOD_MD_ID(SWMOD_MD_TDVPS_MANAGEMENT, 11)

/*
 * TDH.VP.ENTER exits: the VMX basic exit reason in RAX bits 15:0, and
 * the GPR select mask of a TDVMCALL (TDG.VP.VMCALL's RCX): bits 15:0
 * select GPRs by number; RAX, RCX and RSP can never be selected.
 */
#define SWMOD_EXIT_REASON_EPT_VIOLATION	48ULL
#define SWMOD_EXIT_REASON_TDCALL	77ULL
#define SWMOD_TDVMCALL_GPR_MASK		GENMASK_ULL(15, 0)
#define SWMOD_TDVMCALL_MASK_RSVD	(BIT_ULL(0) | BIT_ULL(1) | BIT_ULL(4))
#define SWMOD_GPR_RAX			0
#define SWMOD_GPR_RCX			1
#define SWMOD_GPR_R10			10

/* Values the module gives a vCPU at TDH.VP.INIT. */
#define SWMOD_VCPU_INIT_RIP		0xFFFFFFF0ULL
#define SWMOD_VCPU_INIT_RFLAGS		0x2ULL
#define SWMOD_VCPU_INIT_PIN_BASED	0x16ULL	/* allowed-1 defaults */
#define SWMOD_PIN_BASED_POSTED_INTR	BIT_ULL(7)
#define SWMOD_TSC_MULTIPLIER_ONE	BIT_ULL(48)	/* 16.48 fixed point */

/* Key ownership table states. */
#define SWMOD_KOT_FREE			0
#define SWMOD_KOT_ASSIGNED		1
#define SWMOD_KOT_FLUSHED		2
#define SWMOD_KOT_RESERVED		3

/* TDSYSINFO_STRUCT.ATTRIBUTES fixed values for a 1.0 release module. */
#define SWMOD_ATTRIBUTES_FIXED0		0x8000000050000001ULL
#define SWMOD_ATTRIBUTES_FIXED1		0ULL
#define SWMOD_XFAM_FIXED0_MAX		0x0006DBE7ULL
#define SWMOD_XFAM_FIXED1		0x3ULL
#define SWMOD_CPUID_NO_SUBLEAF		0xFFFFFFFFU

struct swmod_cpuid_config {
	u32 leaf;
	u32 sub_leaf;
	u32 eax;
	u32 ebx;
	u32 ecx;
	u32 edx;
} __packed;

/* TDSYSINFO_STRUCT: 1024 bytes, 1024-byte aligned. */
struct swmod_tdsysinfo {
	u32 attributes;
	u32 vendor_id;
	u32 build_date;
	u16 build_num;
	u16 minor_version;
	u16 major_version;
	u8 reserved0[14];
	u16 max_tdmrs;
	u16 max_reserved_per_tdmr;
	u16 pamt_entry_size;
	u8 reserved1[10];
	u16 tdcs_base_size;
	u8 reserved2[2];
	u16 tdvps_base_size;
	u8 tdvps_xfam_dependent_size;
	u8 reserved3[9];
	u64 attributes_fixed0;
	u64 attributes_fixed1;
	u64 xfam_fixed0;
	u64 xfam_fixed1;
	u8 reserved4[32];
	u32 num_cpuid_config;
	struct swmod_cpuid_config cpuid_configs[SWMOD_TDSYSINFO_CPUID_CAPACITY];
	u8 reserved5[4];
} __packed;

static_assert(sizeof(struct swmod_tdsysinfo) == SWMOD_TDSYSINFO_SIZE);
static_assert(offsetof(struct swmod_tdsysinfo, max_tdmrs) == 32);
static_assert(offsetof(struct swmod_tdsysinfo, tdcs_base_size) == 48);
static_assert(offsetof(struct swmod_tdsysinfo, tdvps_base_size) == 52);
static_assert(offsetof(struct swmod_tdsysinfo, attributes_fixed0) == 64);
static_assert(offsetof(struct swmod_tdsysinfo, num_cpuid_config) == 128);
static_assert(offsetof(struct swmod_tdsysinfo, cpuid_configs) == 132);

/* CMR_INFO: one convertible memory range; size 0 marks a null entry. */
struct swmod_cmr_info {
	u64 base;
	u64 size;
} __packed;

static_assert(sizeof(struct swmod_cmr_info) == 16);

struct swmod_tdmr_rsvd_area {
	u64 offset;
	u64 size;
} __packed;

/*
 * TDMR_INFO as the module reads it: 64 bytes of TDMR and PAMT fields
 * followed by MAX_RESERVED_PER_TDMR reserved areas, 320 bytes in all.
 * The host places each one at a 512-byte aligned address.
 */
struct swmod_tdmr_info {
	u64 base;
	u64 size;
	u64 pamt_1g_base;
	u64 pamt_1g_size;
	u64 pamt_2m_base;
	u64 pamt_2m_size;
	u64 pamt_4k_base;
	u64 pamt_4k_size;
	struct swmod_tdmr_rsvd_area rsvd[SWMOD_MAX_RESERVED_PER_TDMR];
} __packed;

static_assert(sizeof(struct swmod_tdmr_info) == 320);

/*
 * PAMT entry, 16 bytes at every level: a 16-bit lock, the page type,
 * a 40-bit owner (TDR PA >> 12) and the block epoch.
 */
struct swmod_pamt_entry {
	u16 lock;
	u8 pt;
	u8 owner[5];
	u64 bepoch;
} __packed;

static_assert(sizeof(struct swmod_pamt_entry) == SWMOD_PAMT_ENTRY_SIZE);

struct swmod_cpuid_value {
	u32 eax;
	u32 ebx;
	u32 ecx;
	u32 edx;
} __packed;

/* TD_PARAMS (1.0): 1024 bytes, 1024-byte aligned. */
struct swmod_td_params {
	u64 attributes;
	u64 xfam;
	u16 max_vcpus;
	u8 reserved0[6];
	u64 eptp_controls;
	u64 exec_controls;
	u16 tsc_frequency;
	u8 reserved1[38];
	u8 mrconfigid[48];
	u8 mrowner[48];
	u8 mrownerconfig[48];
	u8 reserved2[32];
	struct swmod_cpuid_value cpuid_values[SWMOD_NUM_CPUID_CONFIG];
	u8 reserved3[SWMOD_TD_PARAMS_SIZE - 256 -
		     16 * SWMOD_NUM_CPUID_CONFIG];
} __packed;

static_assert(sizeof(struct swmod_td_params) == SWMOD_TD_PARAMS_SIZE);
static_assert(offsetof(struct swmod_td_params, eptp_controls) == 24);
static_assert(offsetof(struct swmod_td_params, tsc_frequency) == 40);
static_assert(offsetof(struct swmod_td_params, mrconfigid) == 80);
static_assert(offsetof(struct swmod_td_params, cpuid_values) == 256);

#endif /* __SWMOD_ABI_H */
