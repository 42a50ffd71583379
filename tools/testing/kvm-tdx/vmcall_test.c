// SPDX-License-Identifier: GPL-2.0
/*
 * Harness for arch/x86/kvm/vmx/tdx_vmcall.c: TDVMCALLs decoded from
 * synthetic exits and completed, table-driven for each sub-function and
 * operand rule, exhaustive over sub-function numbers and access sizes,
 * and randomized against the invariants the run loop relies on.
 */
#include <errno.h>
#include <string.h>

#include <linux/bits.h>
#include <linux/kernel.h>

#include "harness.h"
#include "tdx_vmcall.h"
#include "vmcall_test.h"

#define ALL	0xfc00ULL	/* R10..R15 exposed */
#define GPR(n)	BIT_ULL(n)
#define SH48	BIT_ULL(47)
#define SH52	BIT_ULL(51)

struct decode_case {
	const char *name;
	struct tdx_vmcall_regs regs;
	unsigned int gpaw;
	enum tdx_vmcall_kind kind;
	u64 a, b;	/* the request's first two fields, per kind */
	bool flag;	/* to_private, write, irqs_blocked */
};

#define STD(sub, m, x12, x13, x14, x15)					\
	{ .rcx = (m), .r10 = 0, .r11 = (sub), .r12 = (x12), .r13 = (x13),	\
	  .r14 = (x14), .r15 = (x15) }

static const struct decode_case decode_cases[] = {
	{ "info", STD(0x10000, ALL, 0, 0, 0, 0), 48,
	  TDX_VMCALL_REQ_GET_INFO, 0, 0, false },
	{ "info leaf 1", STD(0x10000, ALL, 1, 0, 0, 0), 48,
	  TDX_VMCALL_REQ_INVALID, 0, 0, false },
	{ "map to shared", STD(0x10001, ALL, SH48 | 0x100000, 0x2000, 0, 0), 48,
	  TDX_VMCALL_REQ_MAP_GPA, 0x100000, 0x2000, false },
	{ "map to private", STD(0x10001, ALL, 0x100000, 0x2000, 0, 0), 48,
	  TDX_VMCALL_REQ_MAP_GPA, 0x100000, 0x2000, true },
	{ "map gpaw 52", STD(0x10001, ALL, SH52 | SH48, 0x1000, 0, 0), 52,
	  TDX_VMCALL_REQ_MAP_GPA, SH48, 0x1000, false },
	{ "map last page", STD(0x10001, ALL, SH48 - 0x1000, 0x1000, 0, 0), 48,
	  TDX_VMCALL_REQ_MAP_GPA, SH48 - 0x1000, 0x1000, true },
	{ "map past the end", STD(0x10001, ALL, SH48 - 0x1000, 0x2000, 0, 0), 48,
	  TDX_VMCALL_REQ_INVALID, 0, 0, false },
	{ "map wraps", STD(0x10001, ALL, 0x1000, -0x1000ULL, 0, 0), 48,
	  TDX_VMCALL_REQ_INVALID, 0, 0, false },
	{ "map above gpaw", STD(0x10001, ALL, 1ULL << 48, 0x1000, 0, 0), 48,
	  TDX_VMCALL_REQ_INVALID, 0, 0, false },
	{ "map gpa unaligned", STD(0x10001, ALL, 0x100800, 0x1000, 0, 0), 48,
	  TDX_VMCALL_REQ_INVALID, 0, 0, false },
	{ "map size unaligned", STD(0x10001, ALL, 0x100000, 0x1800, 0, 0), 48,
	  TDX_VMCALL_REQ_INVALID, 0, 0, false },
	{ "map size 0", STD(0x10001, ALL, 0x100000, 0, 0, 0), 48,
	  TDX_VMCALL_REQ_INVALID, 0, 0, false },
	{ "map R13 hidden", STD(0x10001, ALL & ~GPR(13), 0x100000, 0, 0, 0), 48,
	  TDX_VMCALL_REQ_INVALID, 0, 0, false },
	{ "fatal", STD(0x10003, ALL, 0x1234, 0x5000, 0, 0), 48,
	  TDX_VMCALL_REQ_FATAL, 0x1234, 0x5000, false },
	{ "fatal R13 hidden", STD(0x10003, GPR(10) | GPR(11) | GPR(12), 7, 0, 0, 0),
	  48, TDX_VMCALL_REQ_FATAL, 7, 0, false },
	{ "get quote", STD(0x10002, ALL, 0x1000, 0x1000, 0, 0), 48,
	  TDX_VMCALL_REQ_INVALID, 0, 0, false },
	{ "event notify", STD(0x10004, ALL, 32, 0, 0, 0), 48,
	  TDX_VMCALL_REQ_INVALID, 0, 0, false },
	{ "cpuid", STD(10, ALL, 7, 1, 0, 0), 48,
	  TDX_VMCALL_REQ_CPUID, 7, 1, false },
	{ "cpuid leaf > 32 bits", STD(10, ALL, 1ULL << 32, 0, 0, 0), 48,
	  TDX_VMCALL_REQ_INVALID, 0, 0, false },
	{ "cpuid R15 hidden", STD(10, ALL & ~GPR(15), 7, 0, 0, 0), 48,
	  TDX_VMCALL_REQ_INVALID, 0, 0, false },
	{ "hlt", STD(12, ALL, 1, 0, 0, 0), 48, TDX_VMCALL_REQ_HLT, 0, 0, true },
	{ "io in 1", STD(30, ALL, 1, 0, 0x3f8, 0), 48,
	  TDX_VMCALL_REQ_IO, 1, 0x3f8, false },
	{ "io in, R15 hidden", STD(30, ALL & ~GPR(15), 4, 0, 0xcfc, 0), 48,
	  TDX_VMCALL_REQ_IO, 4, 0xcfc, false },
	{ "io out 2", STD(30, ALL, 2, 1, 0xfffe, 0x12345678), 48,
	  TDX_VMCALL_REQ_IO, 2, 0xfffe, true },
	{ "io out 2 at 0xffff", STD(30, ALL, 2, 1, 0xffff, 0), 48,
	  TDX_VMCALL_REQ_INVALID, 0, 0, false },
	{ "io out, R15 hidden", STD(30, ALL & ~GPR(15), 2, 1, 0x80, 0), 48,
	  TDX_VMCALL_REQ_INVALID, 0, 0, false },
	{ "io size 3", STD(30, ALL, 3, 0, 0x80, 0), 48,
	  TDX_VMCALL_REQ_INVALID, 0, 0, false },
	{ "io size 8", STD(30, ALL, 8, 0, 0x80, 0), 48,
	  TDX_VMCALL_REQ_INVALID, 0, 0, false },
	{ "io dir 2", STD(30, ALL, 1, 2, 0x80, 0), 48,
	  TDX_VMCALL_REQ_INVALID, 0, 0, false },
	{ "io port 0x10000", STD(30, ALL, 1, 0, 0x10000, 0), 48,
	  TDX_VMCALL_REQ_INVALID, 0, 0, false },
	{ "io 4 at 0xfffc", STD(30, ALL, 4, 0, 0xfffc, 0), 48,
	  TDX_VMCALL_REQ_IO, 4, 0xfffc, false },
	{ "io 4 at 0xfffd", STD(30, ALL, 4, 0, 0xfffd, 0), 48,
	  TDX_VMCALL_REQ_INVALID, 0, 0, false },
	{ "rdmsr", STD(31, ALL, 0x10, 0, 0, 0), 48,
	  TDX_VMCALL_REQ_RDMSR, 0x10, 0, false },
	{ "rdmsr > 32 bits", STD(31, ALL, 1ULL << 32, 0, 0, 0), 48,
	  TDX_VMCALL_REQ_INVALID, 0, 0, false },
	{ "wrmsr", STD(32, ALL, 0x1b, 0xfee00900, 0, 0), 48,
	  TDX_VMCALL_REQ_WRMSR, 0x1b, 0xfee00900, false },
	{ "wrmsr R13 hidden", STD(32, ALL & ~GPR(13), 0x1b, 0, 0, 0), 48,
	  TDX_VMCALL_REQ_INVALID, 0, 0, false },
	{ "mmio read 4", STD(48, ALL, 4, 0, SH48 | 0xfed00000, 0), 48,
	  TDX_VMCALL_REQ_MMIO, 4, 0xfed00000, false },
	{ "mmio write 8", STD(48, ALL, 8, 1, SH48 | 0xfed00ff8, 0x1122), 48,
	  TDX_VMCALL_REQ_MMIO, 8, 0xfed00ff8, true },
	{ "mmio private gpa", STD(48, ALL, 4, 0, 0xfed00000, 0), 48,
	  TDX_VMCALL_REQ_INVALID, 0, 0, false },
	{ "mmio gpaw 52", STD(48, ALL, 1, 0, SH52 | 0x1000, 0), 52,
	  TDX_VMCALL_REQ_MMIO, 1, 0x1000, false },
	{ "mmio shared48 in gpaw 52", STD(48, ALL, 1, 0, SH48 | 0x1000, 0), 52,
	  TDX_VMCALL_REQ_INVALID, 0, 0, false },
	{ "mmio above gpaw", STD(48, ALL, 4, 0, SH48 | (1ULL << 50), 0), 48,
	  TDX_VMCALL_REQ_INVALID, 0, 0, false },
	{ "mmio crosses a page", STD(48, ALL, 4, 0, SH48 | 0xffe, 0), 48,
	  TDX_VMCALL_REQ_INVALID, 0, 0, false },
	{ "mmio size 3", STD(48, ALL, 3, 0, SH48 | 0x1000, 0), 48,
	  TDX_VMCALL_REQ_INVALID, 0, 0, false },
	{ "unknown 0x20000", STD(0x20000, ALL, 0, 0, 0, 0), 48,
	  TDX_VMCALL_REQ_INVALID, 0, 0, false },
	{ "RAX in the mask", STD(10, ALL | GPR(0), 7, 0, 0, 0), 48,
	  TDX_VMCALL_REQ_INVALID, 0, 0, false },
	{ "RSP in the mask", STD(10, ALL | GPR(4), 7, 0, 0, 0), 48,
	  TDX_VMCALL_REQ_INVALID, 0, 0, false },
	{ "R10 hidden", STD(10, ALL & ~GPR(10), 7, 0, 0, 0), 48,
	  TDX_VMCALL_REQ_INVALID, 0, 0, false },
	{ "R11 hidden", STD(10, ALL & ~GPR(11), 7, 0, 0, 0), 48,
	  TDX_VMCALL_REQ_INVALID, 0, 0, false },
	{ "hypercall", { .rcx = GPR(10), .r10 = 5, .r11 = 9 }, 48,
	  TDX_VMCALL_REQ_HYPERCALL, 5, 9, false },
};

/* The request's fields a decode case names, in the case's terms. */
static void req_fields(const struct tdx_vmcall_req *q, u64 *a, u64 *b,
		       bool *flag)
{
	*a = 0;
	*b = 0;
	*flag = false;
	switch (q->kind) {
	case TDX_VMCALL_REQ_HYPERCALL:
		*a = q->hypercall.nr;
		*b = q->hypercall.a0;
		break;
	case TDX_VMCALL_REQ_MAP_GPA:
		*a = q->map_gpa.gpa;
		*b = q->map_gpa.size;
		*flag = q->map_gpa.to_private;
		break;
	case TDX_VMCALL_REQ_FATAL:
		*a = q->fatal.error_code;
		*b = q->fatal.data_gpa;
		break;
	case TDX_VMCALL_REQ_CPUID:
		*a = q->cpuid.leaf;
		*b = q->cpuid.subleaf;
		break;
	case TDX_VMCALL_REQ_HLT:
		*flag = q->hlt.irqs_blocked;
		break;
	case TDX_VMCALL_REQ_IO:
		*a = q->io.size;
		*b = q->io.port;
		*flag = q->io.write;
		break;
	case TDX_VMCALL_REQ_RDMSR:
	case TDX_VMCALL_REQ_WRMSR:
		*a = q->msr.index;
		*b = q->msr.value;
		break;
	case TDX_VMCALL_REQ_MMIO:
		*a = q->mmio.size;
		*b = q->mmio.gpa;
		*flag = q->mmio.write;
		break;
	default:
		break;
	}
}

void test_vmcall_decode(struct rng *r)
{
	struct tdx_vmcall_req q;
	unsigned int i;
	bool flag;
	u64 a, b;

	for (i = 0; i < ARRAY_SIZE(decode_cases); i++) {
		const struct decode_case *c = &decode_cases[i];

		tdx_vmcall_decode(&c->regs, c->gpaw, &q);
		req_fields(&q, &a, &b, &flag);
		if (q.kind != c->kind || a != c->a || b != c->b ||
		    flag != c->flag)
			t_fail(__FILE__, __LINE__,
			       "row \"%s\": kind %d (%#llx, %#llx, %d), want %d (%#llx, %#llx, %d)",
			       c->name, q.kind, a, b, flag, c->kind, c->a,
			       c->b, c->flag);
	}
	/* Values written are cut to the access size. */
	tdx_vmcall_decode(&(struct tdx_vmcall_regs)STD(30, ALL, 2, 1, 0x80,
						       0x12345678), 48, &q);
	EXPECT_EQ(q.io.value, 0x5678);
	tdx_vmcall_decode(&(struct tdx_vmcall_regs)STD(48, ALL, 2, 1, SH48,
						       0x1122), 48, &q);
	EXPECT_EQ(q.mmio.value, 0x1122);
}

/* Decode @regs, complete with @res: the registers the TD gets back. */
static struct tdx_vmcall_regs run(struct tdx_vmcall_regs regs,
				  const struct tdx_vmcall_result *res)
{
	struct tdx_vmcall_req q;

	tdx_vmcall_decode(&regs, 48, &q);
	tdx_vmcall_complete(&q, res, &regs);
	return regs;
}

void test_vmcall_complete(struct rng *r)
{
	struct tdx_vmcall_result ok = { .value = 0xabcdef },
		fail = { .ret = -EINVAL, .value = 1 },
		cpuid = { .cpuid = { 1, 2, 3, 4 } },
		retry = { .ret = -EAGAIN, .value = 0x101000 };
	struct tdx_vmcall_regs o;

	o = run((struct tdx_vmcall_regs)STD(0x20000, ALL, 5, 6, 7, 8), &ok);
	EXPECT_EQ(o.r10, TDX_VMCALL_INVALID_OPERAND);
	EXPECT_TRUE(o.r11 == 0x20000 && o.r12 == 5 && o.r15 == 8);

	o = run((struct tdx_vmcall_regs)STD(10, ALL, 7, 0, 0, 0), &cpuid);
	EXPECT_TRUE(!o.r10 && o.r12 == 1 && o.r13 == 2 && o.r14 == 3 &&
		    o.r15 == 4);

	o = run((struct tdx_vmcall_regs)STD(30, ALL, 2, 0, 0x80, 0), &ok);
	EXPECT_TRUE(!o.r10 && o.r11 == 0xcdef);
	o = run((struct tdx_vmcall_regs)STD(30, ALL, 2, 0, 0x80, 0), &fail);
	EXPECT_EQ(o.r10, TDX_VMCALL_INVALID_OPERAND);

	o = run((struct tdx_vmcall_regs)STD(31, ALL, 0x10, 0, 0, 0), &ok);
	EXPECT_TRUE(!o.r10 && o.r11 == 0xabcdef);
	o = run((struct tdx_vmcall_regs)STD(31, ALL, 0x10, 0, 0, 0), &fail);
	EXPECT_EQ(o.r10, TDX_VMCALL_INVALID_OPERAND);
	o = run((struct tdx_vmcall_regs)STD(32, ALL, 0x10, 0, 0, 0), &fail);
	EXPECT_EQ(o.r10, TDX_VMCALL_INVALID_OPERAND);

	o = run((struct tdx_vmcall_regs)STD(48, ALL, 1, 0, SH48 | 0x10, 0), &ok);
	EXPECT_TRUE(!o.r10 && o.r11 == 0xef);
	o = run((struct tdx_vmcall_regs)STD(48, ALL, 8, 1, SH48 | 0x10, 3), &ok);
	EXPECT_TRUE(!o.r10 && o.r11 == 48);

	o = run((struct tdx_vmcall_regs)STD(0x10000, ALL, 0, 9, 9, 9), &ok);
	EXPECT_TRUE(!o.r10 && !o.r11 && !o.r12 && !o.r13 && !o.r14);

	/* MapGPA: done, resumed (the shared bit as the guest gave it), bad. */
	o = run((struct tdx_vmcall_regs)STD(0x10001, ALL, 0x100000, 0x4000, 0, 0),
		&ok);
	EXPECT_EQ(o.r10, TDX_VMCALL_SUCCESS);
	o = run((struct tdx_vmcall_regs)STD(0x10001, ALL, 0x100000, 0x4000, 0, 0),
		&retry);
	EXPECT_TRUE(o.r10 == TDX_VMCALL_RETRY && o.r11 == 0x101000);
	o = run((struct tdx_vmcall_regs)STD(0x10001, ALL, SH48 | 0x100000, 0x4000,
					    0, 0), &retry);
	EXPECT_TRUE(o.r10 == TDX_VMCALL_RETRY && o.r11 == (SH48 | 0x101000));
	retry.value = 0x104000;		/* past the range */
	o = run((struct tdx_vmcall_regs)STD(0x10001, ALL, 0x100000, 0x4000, 0, 0),
		&retry);
	EXPECT_EQ(o.r10, TDX_VMCALL_INVALID_OPERAND);
	retry.value = 0x100800;		/* unaligned */
	o = run((struct tdx_vmcall_regs)STD(0x10001, ALL, 0x100000, 0x4000, 0, 0),
		&retry);
	EXPECT_EQ(o.r10, TDX_VMCALL_INVALID_OPERAND);
	o = run((struct tdx_vmcall_regs)STD(0x10001, ALL, 0x100000, 0x4000, 0, 0),
		&fail);
	EXPECT_EQ(o.r10, TDX_VMCALL_INVALID_OPERAND);

	/* A KVM hypercall's result is its status; -EAGAIN but for MapGPA fails. */
	o = run((struct tdx_vmcall_regs){ .rcx = ALL, .r10 = 12 }, &ok);
	EXPECT_EQ(o.r10, 0xabcdef);
	retry.value = 0x101000;
	o = run((struct tdx_vmcall_regs)STD(12, ALL, 0, 0, 0, 0), &retry);
	EXPECT_EQ(o.r10, TDX_VMCALL_INVALID_OPERAND);
}

/*
 * Every sub-function number near the GHCI ones and every VMX exit reason
 * below 256, with zero operands: only those KVM handles, and that take
 * zero operands, decode.  Then every size and direction of port and MMIO
 * accesses.
 */
void test_vmcall_exhaustive(struct rng *r)
{
	static const u64 zero_ok[] = { 0x10000, 0x10003, 10, 12, 31, 32 };
	struct tdx_vmcall_req q;
	unsigned int i, n = 0;
	u64 sub, size, dir;

	for (sub = 0; sub < 0x10100; sub++) {
		struct tdx_vmcall_regs regs = STD(sub, ALL, 0, 0, 0, 0);
		bool want = false, got;

		if (sub == 0x100)
			sub = 0xff00;
		for (i = 0; i < ARRAY_SIZE(zero_ok); i++)
			want |= sub == zero_ok[i];
		tdx_vmcall_decode(&regs, 48, &q);
		got = q.kind != TDX_VMCALL_REQ_INVALID;
		if (got != want)
			t_fail(__FILE__, __LINE__, "sub-function %#llx: kind %d",
			       sub, q.kind);
		n++;
	}
	for (size = 0; size < 10; size++) {
		for (dir = 0; dir < 3; dir++) {
			struct tdx_vmcall_regs io = STD(30, ALL, size, dir, 0x80, 0);
			struct tdx_vmcall_regs mmio = STD(48, ALL, size, dir,
							  SH48 | 0x100, 0);
			bool io_ok = (size == 1 || size == 2 || size == 4) &&
				     dir < 2;
			bool mmio_ok = (io_ok || size == 8) && dir < 2;

			tdx_vmcall_decode(&io, 48, &q);
			EXPECT_EQ(q.kind == TDX_VMCALL_REQ_IO, io_ok);
			tdx_vmcall_decode(&mmio, 48, &q);
			EXPECT_EQ(q.kind == TDX_VMCALL_REQ_MMIO, mmio_ok);
		}
	}
	t_diag("%u sub-functions, 30 sizes and directions", n);
}

/* The invariants the run loop relies on for a decoded request. */
static const char *req_broken(const struct tdx_vmcall_regs *in,
			      const struct tdx_vmcall_req *q, unsigned int gpaw)
{
	u64 shared = 1ULL << (gpaw - 1);

	if (q->kind == TDX_VMCALL_REQ_INVALID)
		return NULL;
	if (!(in->rcx & GPR(10)) || (in->rcx & (GPR(0) | GPR(1) | GPR(4))))
		return "decoded with a bad mask";
	switch (q->kind) {
	case TDX_VMCALL_REQ_IO:
		if (q->io.size != 1 && q->io.size != 2 && q->io.size != 4)
			return "io size";
		if (q->io.port + q->io.size > 0x10000)
			return "io beyond port 0xffff";
		if ((u64)q->io.value >> (q->io.size * 8))
			return "io value wider than the access";
		break;
	case TDX_VMCALL_REQ_MMIO:
		if (q->mmio.gpa >= shared || !(in->r14 & shared))
			return "mmio gpa not shared";
		if ((q->mmio.gpa & 0xfff) + q->mmio.size > 0x1000)
			return "mmio crosses a page";
		break;
	case TDX_VMCALL_REQ_MAP_GPA:
		if (!q->map_gpa.size || ((q->map_gpa.gpa | q->map_gpa.size) & 0xfff))
			return "map_gpa unaligned or empty";
		if (q->map_gpa.gpa + q->map_gpa.size > shared ||
		    q->map_gpa.gpa + q->map_gpa.size < q->map_gpa.gpa)
			return "map_gpa beyond the private half";
		if (q->map_gpa.to_private != !(in->r12 & shared))
			return "map_gpa direction";
		break;
	default:
		break;
	}
	return NULL;
}

static void gprs(const struct tdx_vmcall_regs *regs, u64 v[6])
{
	v[0] = regs->r10;
	v[1] = regs->r11;
	v[2] = regs->r12;
	v[3] = regs->r13;
	v[4] = regs->r14;
	v[5] = regs->r15;
}

static u64 rnd_operand(struct rng *r, u64 shared)
{
	switch (rng_range(r, 0, 5)) {
	case 0:
		return rng_range(r, 0, 9);
	case 1:
		return rng_next(r);
	case 2:
		return shared | (rng_next(r) & (shared - 1) & ~0xfffULL);
	case 3:
		return rng_next(r) & (shared - 1);
	case 4:
		return rng_range(r, 0, 0x10) << 12;
	default:
		return rng_range(r, 0, 0xffff);
	}
}

void test_vmcall_random(struct rng *r)
{
	static const u64 subs[] = { 0x10000, 0x10001, 0x10002, 0x10003,
				    0x10004, 10, 12, 30, 31, 32, 48, 7 };
	unsigned int n, valid = 0;

	for (n = 0; n < 200000; n++) {
		unsigned int gpaw = rng_chance(r, 50) ? 48 : 52;
		u64 shared = 1ULL << (gpaw - 1);
		struct tdx_vmcall_regs in = {
			.rcx = rng_chance(r, 80) ? ALL & ~(rng_chance(r, 30) ?
					GPR(rng_range(r, 10, 15)) : 0) : rng_next(r),
			.r10 = rng_chance(r, 90) ? 0 : rng_next(r),
			.r11 = subs[rng_range(r, 0, ARRAY_SIZE(subs) - 1)],
			.r12 = rnd_operand(r, shared),
			.r13 = rnd_operand(r, shared),
			.r14 = rnd_operand(r, shared),
			.r15 = rnd_operand(r, shared),
		};
		struct tdx_vmcall_result res = {
			.ret = rng_chance(r, 80) ? 0 :
			       (rng_chance(r, 50) ? -EAGAIN : -EIO),
			.value = rng_chance(r, 50) ? rng_next(r) :
				 (in.r12 & ~shared & ~0xfffULL) +
				 (rng_range(r, 0, 3) << 12),
			.cpuid = { rng_next(r), rng_next(r), rng_next(r),
				   rng_next(r) },
		};
		struct tdx_vmcall_regs out = in;
		struct tdx_vmcall_req q;
		u64 before[6], after[6];
		const char *why;
		unsigned int i;

		tdx_vmcall_decode(&in, gpaw, &q);
		why = req_broken(&in, &q, gpaw);
		if (why) {
			t_fail(__FILE__, __LINE__, "#%u: %s (r11 %#llx)", n,
			       why, in.r11);
			break;
		}
		valid += q.kind != TDX_VMCALL_REQ_INVALID;
		tdx_vmcall_complete(&q, &res, &out);
		gprs(&in, before);
		gprs(&out, after);
		/* R11..R15 change only if exposed; R10 is the status. */
		for (i = 1; i < 6; i++)
			if (before[i] != after[i] && !(in.rcx & GPR(10 + i)))
				why = "wrote a GPR the guest did not expose";
		if (q.kind != TDX_VMCALL_REQ_HYPERCALL &&
		    out.r10 != TDX_VMCALL_SUCCESS && out.r10 != TDX_VMCALL_RETRY &&
		    out.r10 != TDX_VMCALL_INVALID_OPERAND)
			why = "unknown status";
		if (out.r10 == TDX_VMCALL_RETRY && q.kind != TDX_VMCALL_REQ_MAP_GPA)
			why = "RETRY for something else than MapGPA";
		if (why) {
			t_fail(__FILE__, __LINE__, "#%u: %s (r11 %#llx)", n,
			       why, in.r11);
			break;
		}
	}
	t_diag("%u of 200000 decoded to a request", valid);
	EXPECT_TRUE(valid > 20000);
}
