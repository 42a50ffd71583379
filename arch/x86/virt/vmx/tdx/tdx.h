/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TDX host core: internal definitions.
 *
 * Hardware (TDX module ABI) definitions and software definitions are
 * kept apart: the architectural ones come first, then a fence, then
 * the kernel's own structures.  Do not mix the two.
 *
 * This header is also compiled by the userspace harness in
 * tools/testing/tdx-host, so it includes only headers that harness
 * provides shims for.
 */
#ifndef _X86_VIRT_TDX_H
#define _X86_VIRT_TDX_H

#include <linux/types.h>
#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/stddef.h>

/* SEAMCALL leaf numbers (TDX module 1.0) used by the host core. */
#define TDH_SYS_KEY_CONFIG	31
#define TDH_SYS_INFO		32
#define TDH_SYS_INIT		33
#define TDH_SYS_LP_INIT		35
#define TDH_SYS_TDMR_INIT	36
#define TDH_SYS_CONFIG		45

/* Status code layout: bit 63 error, 47:40 class, 39:32 code, 31:0 info. */
#define TDX_STATUS_MASK			0xFFFFFFFF00000000ULL
#define TDX_STATUS_ERROR		BIT_ULL(63)

/* Status codes (1.0 values) the host core names or acts on. */
#define TDX_SUCCESS			0x0000000000000000ULL
#define TDX_OPERAND_INVALID		0xC000010000000000ULL
#define TDX_OPERAND_BUSY		0x8000020000000000ULL
#define TDX_SYS_BUSY			0x8000020200000000ULL
#define TDX_RND_NO_ENTROPY		0x8000020300000000ULL	/* 1.5 */
#define TDX_SYS_INIT_NOT_PENDING	0xC000050000000000ULL
#define TDX_SYS_LP_INIT_NOT_DONE	0xC000050200000000ULL
#define TDX_SYS_LP_INIT_DONE		0xC000050300000000ULL
#define TDX_SYS_NOT_READY		0xC000050500000000ULL
#define TDX_SYS_SHUTDOWN		0xC000050600000000ULL
#define TDX_SYS_KEY_CONFIG_NOT_PENDING	0xC000050700000000ULL
#define TDX_SYS_LP_INIT_NOT_PENDING	0xC000050B00000000ULL
#define TDX_SYS_CONFIG_NOT_PENDING	0xC000050C00000000ULL
#define TDX_KEY_GENERATION_FAILED	0x8000080000000000ULL
#define TDX_KEY_CONFIGURED		0x0000081500000000ULL
#define TDX_NUM_ACTIVATED_HKIDS_NOT_SUPPORTED 0xC000082500000000ULL
#define TDX_BOOT_NT4_SET		0xC000090100000000ULL
#define TDX_INCORRECT_MSR_VALUE		0xC000092100000000ULL
#define TDX_INVALID_TDMR		0xC0000A0000000000ULL
#define TDX_NON_ORDERED_TDMR		0xC0000A0100000000ULL
#define TDX_TDMR_OUTSIDE_CMRS		0xC0000A0200000000ULL
#define TDX_TDMR_ALREADY_INITIALIZED	0x00000A0300000000ULL
#define TDX_INVALID_PAMT		0xC0000A1000000000ULL
#define TDX_PAMT_OUTSIDE_CMRS		0xC0000A1100000000ULL
#define TDX_PAMT_OVERLAP		0xC0000A1200000000ULL
#define TDX_INVALID_RESERVED_IN_TDMR	0xC0000A2000000000ULL
#define TDX_NON_ORDERED_RESERVED_IN_TDMR 0xC0000A2100000000ULL
#define TDX_CMR_LIST_INVALID		0xC0000A2200000000ULL

/* Module limits and alignments (1.0). */
#define TDSYSINFO_STRUCT_SIZE		1024
#define TDSYSINFO_STRUCT_ALIGNMENT	1024
#define MAX_CMRS			32
#define CMR_INFO_ARRAY_ALIGNMENT	512
#define TDMR_INFO_ALIGNMENT		512
#define TDMR_INFO_PA_ARRAY_ALIGNMENT	512
#define TDMR_ALIGNMENT			(1ULL << 30)
#define TDMR_PFN_ALIGNMENT		(TDMR_ALIGNMENT >> 12)
#define TDX_PAGE_SIZE			4096ULL

/* PAMT levels, as TDMR_INFO and the info bytes of statuses name them. */
enum tdx_page_level {
	TDX_PS_4K = 0,
	TDX_PS_2M = 1,
	TDX_PS_1G = 2,
	TDX_PS_NR = 3,
};

struct cpuid_config {
	u32 leaf;
	u32 sub_leaf;
	u32 eax;
	u32 ebx;
	u32 ecx;
	u32 edx;
} __packed;

/* TDSYSINFO_STRUCT: written by TDH.SYS.INFO, 1024 bytes. */
struct tdsysinfo_struct {
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
	/* As many as fit in the rest of the 1024 bytes. */
	struct cpuid_config cpuid_configs[37];
	u8 reserved5[4];
} __packed;

static_assert(sizeof(struct tdsysinfo_struct) == TDSYSINFO_STRUCT_SIZE);
static_assert(offsetof(struct tdsysinfo_struct, max_tdmrs) == 32);
static_assert(offsetof(struct tdsysinfo_struct, num_cpuid_config) == 128);

/* CMR_INFO: one convertible memory range, size 0 is a null entry. */
struct cmr_info {
	u64 base;
	u64 size;
} __packed;

struct tdmr_reserved_area {
	u64 offset;
	u64 size;
} __packed;

/*
 * TDMR_INFO: a TDX memory range, its three PAMTs and its reserved
 * areas.  The module reads max_reserved_per_tdmr reserved areas, so
 * the kernel places the entries max-size apart, each 512-byte aligned.
 */
struct tdmr_info {
	u64 base;
	u64 size;
	u64 pamt_1g_base;
	u64 pamt_1g_size;
	u64 pamt_2m_base;
	u64 pamt_2m_size;
	u64 pamt_4k_base;
	u64 pamt_4k_size;
	struct tdmr_reserved_area reserved_areas[];
} __packed;

static_assert(sizeof(struct tdmr_info) == 64);

/*
 * Do not put any hardware-defined TDX structure representations below
 * this comment!
 */

/* One range of TDX memory (RAM at tdx_enable() time), PFN-free: bytes. */
struct tdx_memblock {
	u64 start;
	u64 end;	/* exclusive */
	int nid;
};

/* The module limits the layout code must respect (from TDH.SYS.INFO). */
struct tdx_layout_limits {
	unsigned int max_tdmrs;
	unsigned int max_reserved_per_tdmr;
	unsigned int pamt_entry_size;
};

/* Where one TDMR's PAMT lives: 4K level first, then 2M, then 1G. */
struct tdx_pamt {
	u64 base;		/* 0: not placed */
	u64 size;		/* bytes, exactly tdmr_pamt_total() */
	int nid;		/* node the PAMT belongs on */
};

/*
 * One allocation holding the PAMTs of one or more TDMRs (normally all
 * TDMRs of a node), so that they cost one reserved area, not one each.
 */
struct tdx_pamt_block {
	u64 base;
	u64 size;		/* bytes, a multiple of 4 KiB */
	int nid;
};

#define TDX_LAYOUT_MAX_TDMRS	64

/*
 * Where the planner keeps a reserved area free for a PAMT: in no TDMR,
 * in every TDMR, or else in the TDMR covering this 1 GiB window.
 */
#define TDX_SLACK_NONE		(~0ULL)
#define TDX_SLACK_ALL		(~1ULL)

/*
 * The TDMR list: an array of TDMR_INFO entries in memory the caller
 * provides (tdmr_list_bytes() of it, suitably aligned), plus what the
 * kernel needs to remember about each TDMR.
 */
struct tdmr_list {
	void *tdmrs;			/* first struct tdmr_info */
	unsigned int stride;		/* bytes between entries */
	unsigned int max_tdmrs;		/* entries that fit */
	unsigned int max_rsvd;		/* reserved areas per entry */
	unsigned int entry_size;	/* PAMT entry size */
	unsigned int nr_tdmrs;		/* entries in use */
	unsigned int nr_rsvd[TDX_LAYOUT_MAX_TDMRS]; /* in use, per TDMR */
	struct tdx_pamt pamt[TDX_LAYOUT_MAX_TDMRS];
	unsigned int nr_blocks;		/* PAMT allocations */
	struct tdx_pamt_block blocks[TDX_LAYOUT_MAX_TDMRS];
	u64 bridge;			/* plan: empty windows bridged */
	u64 slack_at;			/* plan: TDX_SLACK_* or a window */
	unsigned int tries;		/* plan: tries it took */
};

/*
 * The planner's search is bounded: after this many tries without a
 * plan it gives up (TDX_LAYOUT_BUDGET).  Every map the harnesses and
 * the examples plan takes far fewer (tools/testing/tdx-plan checks it).
 */
#define TDX_PLAN_MAX_TRIES	64

/* What the planner works from; all of it read-only. */
struct tdx_layout_in {
	const struct tdx_memblock *mem;	/* TDX memory, sorted */
	unsigned int nr_mem;
	const struct cmr_info *cmrs;	/* CMRs, sorted, no null entries */
	unsigned int nr_cmrs;
	/*
	 * Called between two tries of the planner, may be NULL: the kernel
	 * yields the CPU there (cond_resched()), so that the planner itself
	 * stays free of scheduling.
	 */
	void (*resched)(void);
};

/*
 * PAMT placement.  @alloc returns 0 and the physical base of
 * @nr_pages contiguous pages inside [@lo, @hi), as high as it can, on
 * node @nid, or a negative errno.  It must not return more than asked
 * for.  @free gives them back.
 */
struct tdx_pamt_ops {
	int (*alloc)(void *ctx, unsigned long nr_pages, int nid, u64 lo,
		     u64 hi, u64 *base);
	void (*free)(void *ctx, u64 base, unsigned long nr_pages);
	void *ctx;
};

/* Why the layout code failed, for the caller's message. */
struct tdx_layout_error {
	int step;		/* TDX_LAYOUT_* below */
	unsigned int tdmr;	/* TDMR (or memory range) it is about */
	u64 base, end;		/* and its range, or the window */
	unsigned int count;	/* how many were needed (areas, TDMRs, KB) */
	unsigned int limit;	/* the module's limit */
};

enum {
	TDX_LAYOUT_OK = 0,
	TDX_LAYOUT_TDMRS_EXHAUSTED,	/* count TDMRs needed, limit allowed */
	TDX_LAYOUT_PAMT_ALLOC,		/* allocator refused, count KB */
	TDX_LAYOUT_RSVD_EXHAUSTED,	/* TDMR tdmr [base, end) */
	TDX_LAYOUT_BAD_INPUT,		/* memory range tdmr [base, end) */
	TDX_LAYOUT_MEM_OUTSIDE_CMR,	/* memory range tdmr [base, end) */
	TDX_LAYOUT_WINDOW_IMPOSSIBLE,	/* window [base, end): count gaps */
	TDX_LAYOUT_NO_PAMT_ROOM,	/* TDMR tdmr, count KB of PAMT */
	TDX_LAYOUT_BUDGET,		/* no plan within count tries (limit) */
};

/* Pure layout code (tdmr.c): no globals, no allocation of its own. */
size_t tdmr_list_bytes(const struct tdx_layout_limits *lim);
int tdmr_list_init(struct tdmr_list *list, void *mem,
		   const struct tdx_layout_limits *lim);
struct tdmr_info *tdmr_list_entry(const struct tdmr_list *list, unsigned int i);
u64 tdmr_end(const struct tdmr_info *tdmr);
u64 tdmr_pamt_size(u64 tdmr_size, enum tdx_page_level level,
		   unsigned int entry_size);
u64 tdmr_pamt_total(u64 tdmr_size, unsigned int entry_size);

int tdmrs_plan(struct tdmr_list *list, const struct tdx_layout_in *in,
	       struct tdx_layout_error *err);
int tdmrs_alloc_pamt_all(struct tdmr_list *list,
			 const struct tdx_layout_in *in,
			 const struct tdx_pamt_ops *ops,
			 struct tdx_layout_error *err);
void tdmrs_free_pamt_all(struct tdmr_list *list,
			 const struct tdx_pamt_ops *ops);
int tdmrs_add_rsvd_all(struct tdmr_list *list, const struct tdx_layout_in *in,
		       struct tdx_layout_error *err);
int tdx_construct_tdmrs(struct tdmr_list *list, const struct tdx_layout_in *in,
			const struct tdx_pamt_ops *ops,
			struct tdx_layout_error *err);
u64 tdmrs_pamt_bytes(const struct tdmr_list *list);
u64 tdmrs_pamt_allocated(const struct tdmr_list *list);
int tdmrs_block_tdmr(const struct tdmr_list *list, unsigned int b);

/* tdx_status.c */
const char *tdx_status_name(u64 status);

#endif /* _X86_VIRT_TDX_H */
