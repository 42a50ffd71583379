// SPDX-License-Identifier: GPL-2.0
/*
 * tdx-plan: input parsing, the userspace PAMT allocator, the naive
 * layout for comparison, and the software module checks.
 *
 * Input format (Documentation/x86/tdx-host.rst, "The tdx-plan tool"):
 * one item per line, '#' starts a comment.  Native lines:
 *
 *   ram START END [nid=N]       TDX memory (RAM), END exclusive
 *   cmr START END               a CMR, END exclusive
 *   limits [max_tdmrs=N] [max_reserved=N] [pamt_entry=N]
 *   tdmr BASE END               a TDMR (check mode), then its
 *   pamt_4k|pamt_2m|pamt_1g BASE SIZE
 *   rsvd START END              reserved areas, absolute addresses
 *
 * Numbers are C literals with an optional K, M, G or T suffix.
 * Foreign lines are understood as well: /proc/iomem ("System RAM"),
 * /sys/firmware/memmap dumps ("0xSTART 0xEND TYPE", END inclusive),
 * dmesg e820 lines ("BIOS-e820: [mem A-B] usable", "user: ..."),
 * dmesg CMR lines ("virt/tdx: CMR 0: [A, B)"), the KeyID line
 * ("virt/tdx: BIOS enabled: private KeyID range [A, B)") and the layout
 * the kernel prints on a TDH.SYS.CONFIG failure ("virt/tdx: layout:
 * ...").  Other dmesg lines (with a "[ time]" stamp) are ignored;
 * anything else is an error naming the line.
 *
 * Two boots' logs in one paste are fine: identical memory ranges and
 * CMRs are merged, only genuine overlaps are refused.  Without any
 * memory map (a "dmesg | grep -i tdx" paste), the RAM is taken from the
 * CMR lines.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "plan_lib.h"
#include "swmod.h"
#include "user_plat.h"

#define SZ_4K		0x1000ULL
#define SZ_1M		0x100000ULL
#define SZ_1G		0x40000000ULL

static int perr(char *msg, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, len, fmt, ap);
	va_end(ap);
	return -1;
}

/* A number: C literal plus an optional binary suffix. */
static bool parse_num(const char *s, u64 *out)
{
	unsigned int shift = 0;
	unsigned long long v;
	char *end;

	if (!s || !*s || *s == '-' || *s == '+')
		return false;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s)
		return false;
	switch (*end) {
	case 'K': case 'k': shift = 10; end++; break;
	case 'M': case 'm': shift = 20; end++; break;
	case 'G': case 'g': shift = 30; end++; break;
	case 'T': case 't': shift = 40; end++; break;
	}
	if (*end)
		return false;
	if (shift && v >> (64 - shift))
		return false;
	*out = v << shift;
	return true;
}

/* Same, hex without 0x (for /proc/iomem). */
static bool parse_hex(const char *s, const char *stop, u64 *out)
{
	u64 v = 0;

	if (s == stop || stop - s > 16)
		return false;
	for (; s < stop; s++) {
		if (!isxdigit((unsigned char)*s))
			return false;
		v = v << 4 | (isdigit((unsigned char)*s) ? *s - '0' :
			      (tolower((unsigned char)*s) - 'a' + 10));
	}
	*out = v;
	return true;
}

static int add_mem(struct pl_input *in, u64 start, u64 end, int nid,
		   char *msg, size_t len)
{
	if (end <= start)
		return perr(msg, len, "empty or reversed range [%#llx, %#llx)",
			    start, end);
	if (in->nr_mem == PL_MAX_MEM)
		return perr(msg, len, "more than %d memory ranges", PL_MAX_MEM);
	in->mem[in->nr_mem].start = start;
	in->mem[in->nr_mem].end = end;
	in->mem[in->nr_mem].nid = nid;
	in->nr_mem++;
	return 0;
}

static int add_range(struct cmr_info *arr, unsigned int *nr,
		     unsigned int max, const char *what, u64 start, u64 end,
		     char *msg, size_t len)
{
	if (end <= start)
		return perr(msg, len, "empty or reversed range [%#llx, %#llx)",
			    start, end);
	if (*nr == max)
		return perr(msg, len, "more than %u %s", max, what);
	arr[*nr].base = start;
	arr[*nr].size = end - start;
	(*nr)++;
	return 0;
}

static int add_cmr(struct pl_input *in, u64 start, u64 end, char *msg,
		   size_t len)
{
	return add_range(in->cmrs, &in->nr_cmrs, PL_MAX_CMRS, "CMRs", start,
			 end, msg, len);
}

static int add_fw(struct pl_input *in, u64 start, u64 end, char *msg,
		  size_t len)
{
	return add_range(in->fw, &in->nr_fw, PL_MAX_MEM,
			 "firmware memory ranges", start, end, msg, len);
}

#define MAX_TOK 8

static unsigned int split(char *s, char **tok)
{
	unsigned int n = 0;
	char *save = NULL, *t;

	for (t = strtok_r(s, " \t,", &save); t && n < MAX_TOK;
	     t = strtok_r(NULL, " \t,", &save))
		tok[n++] = t;
	return t ? MAX_TOK + 1 : n;
}

static struct pl_tdmr *cur_tdmr(struct pl_input *in)
{
	return in->nr_tdmrs ? &in->tdmrs[in->nr_tdmrs - 1] : NULL;
}

/* A native line (also what follows "virt/tdx: layout: "). */
static int parse_native(struct pl_input *in, char *line, char *msg,
			size_t len)
{
	static const char * const pamt_kw[TDX_PS_NR] = {
		[TDX_PS_4K] = "pamt_4k", [TDX_PS_2M] = "pamt_2m",
		[TDX_PS_1G] = "pamt_1g",
	};
	char *tok[MAX_TOK + 1];
	unsigned int n = split(line, tok), i;
	struct pl_tdmr *t;
	u64 a, b;

	if (n == 0 || n > MAX_TOK)
		return perr(msg, len, "cannot parse");
	if (!strcmp(tok[0], "limits")) {
		for (i = 1; i < n; i++) {
			char *eq = strchr(tok[i], '=');
			unsigned int *dst;

			if (!eq || !parse_num(eq + 1, &a) || !a || a > 4096)
				return perr(msg, len, "bad limit '%s'", tok[i]);
			*eq = 0;
			if (!strcmp(tok[i], "max_tdmrs"))
				dst = &in->lim.max_tdmrs;
			else if (!strcmp(tok[i], "max_reserved"))
				dst = &in->lim.max_reserved_per_tdmr;
			else if (!strcmp(tok[i], "pamt_entry"))
				dst = &in->lim.pamt_entry_size;
			else
				return perr(msg, len, "unknown limit '%s'", tok[i]);
			*dst = a;
		}
		return 0;
	}
	if (n < 3 || !parse_num(tok[1], &a) || !parse_num(tok[2], &b))
		return perr(msg, len, "'%s' needs two numbers", tok[0]);
	if (!strcmp(tok[0], "ram")) {
		long nid = 0;

		if (n > 4)
			return perr(msg, len, "too many fields");
		if (n == 4) {
			char *end;

			if (strncmp(tok[3], "nid=", 4))
				return perr(msg, len, "expected nid=N, got '%s'",
					    tok[3]);
			errno = 0;
			nid = strtol(tok[3] + 4, &end, 0);
			if (errno || *end || end == tok[3] + 4 || nid < 0 ||
			    nid > 1023)
				return perr(msg, len, "bad node '%s'", tok[3]);
		}
		return add_mem(in, a, b, nid, msg, len);
	}
	if (n != 3)
		return perr(msg, len, "too many fields");
	if (!strcmp(tok[0], "cmr"))
		return add_cmr(in, a, b, msg, len);
	if (!strcmp(tok[0], "tdmr")) {
		if (in->nr_tdmrs == TDX_LAYOUT_MAX_TDMRS)
			return perr(msg, len, "more than %d TDMRs",
				    TDX_LAYOUT_MAX_TDMRS);
		if (b <= a)
			return perr(msg, len, "empty TDMR");
		t = &in->tdmrs[in->nr_tdmrs++];
		memset(t, 0, sizeof(*t));
		t->base = a;
		t->end = b;
		return 0;
	}
	t = cur_tdmr(in);
	for (i = 0; i < TDX_PS_NR; i++) {
		if (strcmp(tok[0], pamt_kw[i]))
			continue;
		if (!t)
			return perr(msg, len, "'%s' before any 'tdmr'", tok[0]);
		t->pamt_base[i] = a;
		t->pamt_size[i] = b;
		return 0;
	}
	if (!strcmp(tok[0], "rsvd")) {
		if (!t)
			return perr(msg, len, "'rsvd' before any 'tdmr'");
		if (t->nr_rsvd == PL_MAX_RSVD)
			return perr(msg, len, "more than %d reserved areas",
				    PL_MAX_RSVD);
		if (b <= a)
			return perr(msg, len, "empty reserved area");
		t->rsvd_start[t->nr_rsvd] = a;
		t->rsvd_end[t->nr_rsvd++] = b;
		return 0;
	}
	return perr(msg, len, "unknown keyword '%s'", tok[0]);
}

/* "[mem 0xA-0xB] type" after "BIOS-e820: " or "user: ". */
static int parse_e820(struct pl_input *in, const char *s, bool user,
		      char *msg, size_t len)
{
	char buf[256], *dash, *close, *type;
	u64 a, b;

	if (strncmp(s, "[mem ", 5))
		return perr(msg, len, "e820 line without [mem A-B]");
	snprintf(buf, sizeof(buf), "%s", s + 5);
	dash = strchr(buf, '-');
	close = strchr(buf, ']');
	if (!dash || !close || close < dash)
		return perr(msg, len, "e820 line without [mem A-B]");
	*dash = 0;
	*close = 0;
	if (!parse_num(buf, &a) || !parse_num(dash + 1, &b) || b == ~0ULL ||
	    b < a)
		return perr(msg, len, "bad e820 range");
	type = close + 1;
	while (*type == ' ')
		type++;
	if (user && !in->user_map) {
		/* The user map replaces the BIOS one as the kernel's RAM. */
		in->user_map = true;
		in->nr_mem = 0;
	}
	if (!strncmp(type, "usable", 6) && (user || !in->user_map)) {
		if (add_mem(in, a, b + 1, 0, msg, len))
			return -1;
	}
	if (!user && (!strncmp(type, "usable", 6) ||
		      !strncmp(type, "ACPI data", 9) ||
		      !strncmp(type, "ACPI NVS", 8)))
		return add_fw(in, a, b + 1, msg, len);
	return 0;
}

/* "virt/tdx: CMR 0: [0x100000, 0x80000000)" or "CMR: [A, B)". */
static int parse_cmr_line(struct pl_input *in, const char *s, char *msg,
			  size_t len)
{
	char buf[128], *open, *comma, *close;
	u64 a, b;

	snprintf(buf, sizeof(buf), "%s", s);
	open = strchr(buf, '[');
	comma = open ? strchr(open, ',') : NULL;
	close = comma ? strchr(comma, ')') : NULL;
	if (!close)
		return perr(msg, len, "CMR line without [A, B)");
	*comma = 0;
	*close = 0;
	while (*++comma == ' ')
		;
	if (!parse_num(open + 1, &a) || !parse_num(comma, &b))
		return perr(msg, len, "bad CMR range");
	return add_cmr(in, a, b, msg, len);
}

/*
 * "virt/tdx: BIOS enabled: private KeyID range [16, 64)": the module's
 * KeyIDs, [MKTME KeyIDs + 1, MKTME + TDX KeyIDs + 1).
 */
static int parse_keyid_line(struct pl_input *in, const char *s, char *msg,
			    size_t len)
{
	unsigned int a, b;
	int n = 0;

	if (sscanf(s, "[%u, %u)%n", &a, &b, &n) != 2 || !n)
		return perr(msg, len, "KeyID line without [A, B)");
	if (!a || b <= a || swmod_check_keyids(a - 1, b - a, 0, false))
		return perr(msg, len, "impossible private KeyID range [%u, %u)",
			    a, b);
	if (in->keyid_end && (in->keyid_start != a || in->keyid_end != b))
		return perr(msg, len, "private KeyID range [%u, %u) differs from [%u, %u) given before",
			    a, b, in->keyid_start, in->keyid_end);
	in->keyid_start = a;
	in->keyid_end = b;
	return 0;
}

/* "00100000-bffdffff : System RAM", top level only. */
static int parse_iomem(struct pl_input *in, char *s, bool *matched,
		       char *msg, size_t len)
{
	char *dash = strchr(s, '-'), *colon = strstr(s, " : ");
	u64 a, b;

	*matched = false;
	if (!dash || !colon || dash > colon || !parse_hex(s, dash, &a) ||
	    !parse_hex(dash + 1, colon, &b))
		return 0;
	*matched = true;
	if (b < a || b == ~0ULL)
		return perr(msg, len, "bad iomem range");
	if (strcmp(colon + 3, "System RAM"))
		return 0;
	return add_mem(in, a, b + 1, 0, msg, len);
}

/* "0x100000 0xbffdffff System RAM" (a /sys/firmware/memmap dump). */
static int parse_memmap(struct pl_input *in, char *s, bool *matched,
			char *msg, size_t len)
{
	char *sp1 = strchr(s, ' '), *sp2, *type;
	u64 a, b;

	*matched = false;
	if (strncmp(s, "0x", 2) || !sp1)
		return 0;
	sp2 = strchr(sp1 + 1, ' ');
	if (!sp2)
		return 0;
	*sp1 = 0;
	*sp2 = 0;
	type = sp2 + 1;
	if (!parse_num(s, &a) || !parse_num(sp1 + 1, &b))
		return 0;
	*matched = true;
	if (b < a || b == ~0ULL)
		return perr(msg, len, "bad memmap range");
	if (!strcmp(type, "System RAM") &&
	    add_mem(in, a, b + 1, 0, msg, len))
		return -1;
	if (!strcmp(type, "System RAM") || !strcmp(type, "ACPI Tables") ||
	    !strcmp(type, "ACPI Non-volatile Storage"))
		return add_fw(in, a, b + 1, msg, len);
	return 0;
}

static int parse_line(struct pl_input *in, char *line, char *msg, size_t len)
{
	bool dmesg = false, matched;
	char *s = line, *p;

	while (isspace((unsigned char)*s))
		s++;
	if (!*s || *s == '#')
		return 0;
	/* dmesg: "<6>" level, "[    0.000000] " stamp. */
	if (*s == '<' && (p = strchr(s, '>')) && p - s < 5)
		s = p + 1;
	if (*s == '[' && (p = strchr(s, ']')) && p - s < 20 &&
	    (isdigit((unsigned char)s[1]) || s[1] == ' ')) {
		dmesg = true;
		s = p + 1;
		while (*s == ' ')
			s++;
	}
	if (!strncmp(s, "virt/tdx: ", 10)) {
		s += 10;
		if (!strncmp(s, "layout: ", 8))
			return parse_native(in, s + 8, msg, len);
		if (!strncmp(s, "CMR", 3) && strchr(s, '['))
			return parse_cmr_line(in, s, msg, len);
		p = strstr(s, "private KeyID range ");
		if (p)
			return parse_keyid_line(in, p + 20, msg, len);
		return 0;
	}
	if (!strncmp(s, "BIOS-e820: ", 11))
		return parse_e820(in, s + 11, false, msg, len);
	if (!strncmp(s, "user: ", 6))
		return parse_e820(in, s + 6, true, msg, len);
	if (dmesg)
		return 0;
	if (parse_iomem(in, s, &matched, msg, len) || matched)
		return matched ? 0 : -1;
	if (parse_memmap(in, s, &matched, msg, len) || matched)
		return matched ? 0 : -1;
	return parse_native(in, s, msg, len);
}

int pl_parse(FILE *f, struct pl_input *in, char *msg, size_t len)
{
	char *line = NULL, tmp[512];
	size_t cap = 0;
	ssize_t n;
	int lineno = 0, ret = 0;

	memset(in, 0, sizeof(*in));
	while ((n = getline(&line, &cap, f)) >= 0) {
		lineno++;
		if (n > 4096) {
			snprintf(msg, len, "line %d: too long", lineno);
			ret = lineno;
			break;
		}
		if ((ssize_t)strlen(line) != n) {
			snprintf(msg, len, "line %d: NUL byte", lineno);
			ret = lineno;
			break;
		}
		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = 0;
		if (parse_line(in, line, tmp, sizeof(tmp))) {
			snprintf(msg, len, "line %d: %s", lineno, tmp);
			ret = lineno;
			break;
		}
	}
	free(line);
	return ret;
}

static void sort_mem(struct tdx_memblock *m, unsigned int n)
{
	unsigned int i, j;

	for (i = 1; i < n; i++) {
		struct tdx_memblock x = m[i];

		for (j = i; j && m[j - 1].start > x.start; j--)
			m[j] = m[j - 1];
		m[j] = x;
	}
}

static void sort_ranges(struct cmr_info *c, unsigned int n)
{
	unsigned int i, j;

	for (i = 1; i < n; i++) {
		struct cmr_info x = c[i];

		for (j = i; j && c[j - 1].base > x.base; j--)
			c[j] = c[j - 1];
		c[j] = x;
	}
}

/* Clip below 1 MiB, align to 4 KiB, merge touching/overlapping. */
static unsigned int norm_ranges(struct cmr_info *c, unsigned int n)
{
	unsigned int i, out = 0;

	sort_ranges(c, n);
	for (i = 0; i < n; i++) {
		u64 s = c[i].base, e = c[i].base + c[i].size;

		if (s < SZ_1M)
			s = SZ_1M;
		s = (s + SZ_4K - 1) & ~(SZ_4K - 1);
		e &= ~(SZ_4K - 1);
		if (e <= s)
			continue;
		if (out && c[out - 1].base + c[out - 1].size >= s) {
			if (e > c[out - 1].base + c[out - 1].size)
				c[out - 1].size = e - c[out - 1].base;
			continue;
		}
		c[out].base = s;
		c[out].size = e - s;
		out++;
	}
	return out;
}

/* CMR lines: sorted, aligned, identical repeats merged, no overlap. */
static int finish_cmr_lines(struct pl_input *in, char *msg, size_t len)
{
	unsigned int i, out = 0;

	sort_ranges(in->cmrs, in->nr_cmrs);
	for (i = 0; i < in->nr_cmrs; i++) {
		struct cmr_info c = in->cmrs[i];

		if ((c.base | c.size) & (SZ_4K - 1))
			return perr(msg, len, "CMR [%#llx, %#llx) is not 4 KiB aligned",
				    c.base, c.base + c.size);
		/* Listed again (two boots' logs): merge. */
		if (out && c.base == in->cmrs[out - 1].base &&
		    c.size == in->cmrs[out - 1].size) {
			in->nr_cmr_repeats++;
			continue;
		}
		if (out && c.base < in->cmrs[out - 1].base +
				    in->cmrs[out - 1].size)
			return perr(msg, len, "CMRs [%#llx, %#llx) and [%#llx, %#llx) overlap",
				    in->cmrs[out - 1].base,
				    in->cmrs[out - 1].base +
				    in->cmrs[out - 1].size,
				    c.base, c.base + c.size);
		in->cmrs[out++] = c;
	}
	in->nr_cmrs = out;
	return 0;
}

int pl_finish(struct pl_input *in, char *msg, size_t len)
{
	unsigned int i, out = 0;

	if (!in->lim.max_tdmrs)
		in->lim.max_tdmrs = 64;
	if (!in->lim.max_reserved_per_tdmr)
		in->lim.max_reserved_per_tdmr = 16;
	if (!in->lim.pamt_entry_size)
		in->lim.pamt_entry_size = 16;
	if (in->lim.max_tdmrs > TDX_LAYOUT_MAX_TDMRS)
		return perr(msg, len, "max_tdmrs %u: at most %d supported",
			    in->lim.max_tdmrs, TDX_LAYOUT_MAX_TDMRS);

	if (!in->keyid_end) {
		in->keyid_start = 16;
		in->keyid_end = 64;
	}

	if (finish_cmr_lines(in, msg, len))
		return -1;

	/*
	 * A dmesg paste with CMR lines and no memory map (what the usual
	 * "dmesg | grep -i tdx" gives): the RAM is what the CMRs cover.
	 */
	if (!in->nr_mem && in->nr_cmrs) {
		for (i = 0; i < in->nr_cmrs; i++) {
			in->mem[i].start = in->cmrs[i].base;
			in->mem[i].end = in->cmrs[i].base + in->cmrs[i].size;
			in->mem[i].nid = 0;
		}
		in->nr_mem = in->nr_cmrs;
		in->ram_from_cmrs = true;
	}

	/* The kernel's TDX memory: RAM from 1 MiB, in whole pages. */
	sort_mem(in->mem, in->nr_mem);
	for (i = 0; i < in->nr_mem; i++) {
		struct tdx_memblock m = in->mem[i];

		if (m.start < SZ_1M)
			m.start = SZ_1M;
		m.start = (m.start + SZ_4K - 1) & ~(SZ_4K - 1);
		m.end &= ~(SZ_4K - 1);
		if (m.end <= m.start)
			continue;
		/* The same range again (two boots' logs): once is enough. */
		if (out && m.start == in->mem[out - 1].start &&
		    m.end == in->mem[out - 1].end &&
		    m.nid == in->mem[out - 1].nid)
			continue;
		if (out && m.start < in->mem[out - 1].end)
			return perr(msg, len, "memory ranges [%#llx, %#llx) and [%#llx, %#llx) overlap",
				    in->mem[out - 1].start, in->mem[out - 1].end,
				    m.start, m.end);
		in->mem[out++] = m;
	}
	in->nr_mem = out;

	if (!in->nr_cmrs) {
		if (in->nr_fw) {
			memcpy(in->cmrs, in->fw, in->nr_fw * sizeof(in->fw[0]));
			in->nr_cmrs = in->nr_fw;
		} else {
			for (i = 0; i < in->nr_mem; i++) {
				in->cmrs[i].base = in->mem[i].start;
				in->cmrs[i].size = in->mem[i].end - in->mem[i].start;
			}
			in->nr_cmrs = in->nr_mem;
		}
		in->nr_cmrs = norm_ranges(in->cmrs, in->nr_cmrs);
	}
	return 0;
}

/* ---- The PAMT allocator ------------------------------------------------ */

void pl_alloc_init(struct pl_alloc *a, const struct pl_input *in)
{
	memset(a, 0, sizeof(*a));
	a->in = in;
}

static bool pl_in_ram(const struct pl_input *in, u64 s, u64 e)
{
	unsigned int i;

	for (i = 0; i < in->nr_mem; i++)
		if (s >= in->mem[i].start && e <= in->mem[i].end)
			return true;
	return false;
}

/*
 * Models the kernel's tdx_pamt_alloc(): exactly @nr_pages, inside
 * [lo, hi), as high as possible, never over another PAMT.  The kernel
 * may also find memory in use; this model never does.
 */
static int pl_pamt_alloc(void *ctx, unsigned long nr_pages, int nid, u64 lo,
			 u64 hi, u64 *base)
{
	struct pl_alloc *a = ctx;
	u64 size = (u64)nr_pages * SZ_4K, b;
	unsigned int i;
	bool hit;

	a->calls++;
	if (a->fail_at && a->calls >= a->fail_at)
		return -ENOMEM;
	if (hi < lo || hi - lo < size ||
	    a->nr == sizeof(a->base) / sizeof(a->base[0]))
		return -ENOMEM;
	b = (hi - size) & ~(SZ_4K - 1);
	do {
		hit = false;
		if (b < lo)
			return -ENOMEM;
		for (i = 0; i < a->nr; i++) {
			if (a->size[i] && a->base[i] < b + size &&
			    b < a->base[i] + a->size[i]) {
				hit = true;
				if (a->base[i] < size)
					return -ENOMEM;
				b = a->base[i] - size;
			}
		}
	} while (hit);
	if (!pl_in_ram(a->in, b, b + size))
		return -ENOMEM;
	a->base[a->nr] = b;
	a->size[a->nr++] = size;
	a->outstanding += nr_pages;
	*base = b;
	return 0;
}

static void pl_pamt_free(void *ctx, u64 base, unsigned long nr_pages)
{
	struct pl_alloc *a = ctx;
	unsigned int i;

	for (i = 0; i < a->nr; i++)
		if (a->base[i] == base && a->size[i] == (u64)nr_pages * SZ_4K)
			a->size[i] = 0;
	a->outstanding -= nr_pages;
}

const struct tdx_pamt_ops pl_pamt_ops_tmpl = {
	.alloc = pl_pamt_alloc,
	.free = pl_pamt_free,
};

/* ---- The naive layout ---------------------------------------------------- */

/*
 * What the layout before the planner did: one TDMR per run of memory
 * not covered yet, rounded out to 1 GiB; every non-RAM part of a TDMR
 * reserved; one PAMT per TDMR, costing one more area.
 */
void pl_naive(const struct pl_input *in, struct pl_naive *nv)
{
	u64 tb[PL_MAX_MEM], te[PL_MAX_MEM];
	unsigned int n = 0, i, k, k0;

	memset(nv, 0, sizeof(*nv));
	for (k = 0; k < in->nr_mem; k++) {
		u64 s = in->mem[k].start & ~(SZ_1G - 1);
		u64 e = (in->mem[k].end + SZ_1G - 1) & ~(SZ_1G - 1);

		if (n && s < te[n - 1])
			s = te[n - 1];
		if (s >= e)
			continue;
		tb[n] = s;
		te[n++] = e;
	}
	nv->nr_tdmrs = n;
	for (i = 0, k0 = 0; i < n; i++) {
		unsigned int areas = 1;
		u64 cur = tb[i];

		nv->pamt_bytes += tdmr_pamt_total(te[i] - tb[i],
						  in->lim.pamt_entry_size);
		/* Memory is sorted: start at the first range reaching TDMR i. */
		while (k0 < in->nr_mem && in->mem[k0].end <= tb[i])
			k0++;
		for (k = k0; k < in->nr_mem && in->mem[k].start < te[i]; k++) {
			if (in->mem[k].end <= tb[i])
				continue;
			if (in->mem[k].start > cur)
				areas++;
			cur = in->mem[k].end;
		}
		if (cur < te[i])
			areas++;
		if (areas > nv->worst_areas) {
			nv->worst_areas = areas;
			nv->worst_tdmr = i;
			nv->worst_base = tb[i];
			nv->worst_end = te[i];
		}
	}
	nv->fails = n > in->lim.max_tdmrs ||
		    nv->worst_areas > in->lim.max_reserved_per_tdmr;
}

/* ---- Printing -------------------------------------------------------------- */

void pl_print_layout(FILE *f, const struct tdmr_list *list)
{
	unsigned int i, j;

	for (i = 0; i < list->nr_tdmrs; i++) {
		const struct tdmr_info *t = tdmr_list_entry(list, i);

		fprintf(f, "tdmr %#llx %#llx\n", t->base, tdmr_end(t));
		fprintf(f, "pamt_4k %#llx %#llx\n", t->pamt_4k_base,
			t->pamt_4k_size);
		fprintf(f, "pamt_2m %#llx %#llx\n", t->pamt_2m_base,
			t->pamt_2m_size);
		fprintf(f, "pamt_1g %#llx %#llx\n", t->pamt_1g_base,
			t->pamt_1g_size);
		for (j = 0; j < list->nr_rsvd[i]; j++)
			fprintf(f, "rsvd %#llx %#llx\n",
				t->base + t->reserved_areas[j].offset,
				t->base + t->reserved_areas[j].offset +
				t->reserved_areas[j].size);
	}
}

unsigned int pl_from_list(const struct tdmr_list *list, struct pl_tdmr *out)
{
	unsigned int i, j;

	for (i = 0; i < list->nr_tdmrs; i++) {
		const struct tdmr_info *t = tdmr_list_entry(list, i);
		struct pl_tdmr *o = &out[i];

		memset(o, 0, sizeof(*o));
		o->base = t->base;
		o->end = tdmr_end(t);
		o->pamt_base[TDX_PS_4K] = t->pamt_4k_base;
		o->pamt_size[TDX_PS_4K] = t->pamt_4k_size;
		o->pamt_base[TDX_PS_2M] = t->pamt_2m_base;
		o->pamt_size[TDX_PS_2M] = t->pamt_2m_size;
		o->pamt_base[TDX_PS_1G] = t->pamt_1g_base;
		o->pamt_size[TDX_PS_1G] = t->pamt_1g_size;
		o->nr_rsvd = list->nr_rsvd[i];
		for (j = 0; j < o->nr_rsvd; j++) {
			o->rsvd_start[j] = t->base + t->reserved_areas[j].offset;
			o->rsvd_end[j] = o->rsvd_start[j] +
					 t->reserved_areas[j].size;
		}
	}
	return list->nr_tdmrs;
}

/* ---- The software module ---------------------------------------------- */

const char *pl_layout_step_name(int step)
{
	switch (step) {
	case TDX_LAYOUT_TDMRS_EXHAUSTED: return "TDMRs exhausted";
	case TDX_LAYOUT_PAMT_ALLOC: return "PAMT allocation failed";
	case TDX_LAYOUT_RSVD_EXHAUSTED: return "reserved areas exhausted";
	case TDX_LAYOUT_BAD_INPUT: return "bad memory list";
	case TDX_LAYOUT_MEM_OUTSIDE_CMR: return "memory outside the CMRs";
	case TDX_LAYOUT_WINDOW_IMPOSSIBLE: return "window with too many gaps";
	case TDX_LAYOUT_NO_PAMT_ROOM: return "no room for a PAMT";
	case TDX_LAYOUT_BUDGET: return "search budget spent";
	}
	return "ok";
}

#define SCRATCH_ARRAY	0x10000ULL
#define SCRATCH_TDMRS	0x20000ULL
#define SCRATCH_SYSINFO	0x60000ULL
#define SCRATCH_CMRS	0x61000ULL
#define PL_NR_LPS	4
#define PL_STRIDE	512

struct pl_env {
	struct swmod_plat *p;
	struct swmod *m;
	FILE *log;
};

static u64 pl_sc(struct pl_env *e, unsigned int lp, u64 leaf, u64 rcx,
		 u64 rdx, u64 r8, struct swmod_regs *out)
{
	struct swmod_regs r = { .rax = leaf, .rcx = rcx, .rdx = rdx, .r8 = r8,
				.r9 = leaf == TDH_SYS_INFO ? MAX_CMRS : 0 };

	enum swmod_outcome oc;

	uplat_set_lp(e->p, lp);
	oc = swmod_seamcall(e->m, &r);
	r.rax = swmod_outcome_status(oc, r.rax);
	if (out)
		*out = r;
	return r.rax;
}

static const char *pl_leaf(u64 leaf)
{
	switch (leaf) {
	case TDH_SYS_INIT: return "TDH.SYS.INIT";
	case TDH_SYS_LP_INIT: return "TDH.SYS.LP.INIT";
	case TDH_SYS_INFO: return "TDH.SYS.INFO";
	case TDH_SYS_CONFIG: return "TDH.SYS.CONFIG";
	case TDH_SYS_KEY_CONFIG: return "TDH.SYS.KEY.CONFIG";
	case TDH_SYS_TDMR_INIT: return "TDH.SYS.TDMR.INIT";
	}
	return "SEAMCALL";
}

static void pl_log(struct pl_env *e, u64 leaf, const char *what, u64 st,
		   const struct pl_tdmr *tdmrs, unsigned int nr)
{
	static const char * const ps[] = { "4K", "2M", "1G" };
	unsigned int i = st & 0xff, j = (st >> 8) & 0xff, k = (st >> 16) & 0xff;
	u64 cls = st & TDX_STATUS_MASK;

	if (!e->log)
		return;
	fprintf(e->log, "# %-18s (%2llu) %-24s -> 0x%016llx %s", pl_leaf(leaf),
		leaf, what, st, tdx_status_name(st));
	if ((cls >> 40 & 0xff) == 0x0a && cls != TDX_TDMR_ALREADY_INITIALIZED &&
	    i < nr) {
		fprintf(e->log, ": TDMR %u [%#llx, %#llx)", i, tdmrs[i].base,
			tdmrs[i].end);
		if (cls == TDX_INVALID_RESERVED_IN_TDMR ||
		    cls == TDX_NON_ORDERED_RESERVED_IN_TDMR)
			fprintf(e->log, ", reserved area %u", j);
		if ((cls == TDX_INVALID_PAMT || cls == TDX_PAMT_OUTSIDE_CMRS ||
		     cls == TDX_PAMT_OVERLAP) && j < TDX_PS_NR)
			fprintf(e->log, ", %s PAMT [%#llx, %#llx)", ps[j],
				tdmrs[i].pamt_base[j],
				tdmrs[i].pamt_base[j] + tdmrs[i].pamt_size[j]);
		if (cls == TDX_PAMT_OVERLAP && k < nr && k != i)
			fprintf(e->log, ", other TDMR %u", k);
	}
	fprintf(e->log, "\n");
}

static void pl_write_tdmr(struct pl_env *e, u64 pa, const struct pl_tdmr *t)
{
	u8 buf[PL_STRIDE] = {};
	struct tdmr_info *info = (struct tdmr_info *)buf;
	unsigned int j;

	info->base = t->base;
	info->size = t->end - t->base;
	info->pamt_4k_base = t->pamt_base[TDX_PS_4K];
	info->pamt_4k_size = t->pamt_size[TDX_PS_4K];
	info->pamt_2m_base = t->pamt_base[TDX_PS_2M];
	info->pamt_2m_size = t->pamt_size[TDX_PS_2M];
	info->pamt_1g_base = t->pamt_base[TDX_PS_1G];
	info->pamt_1g_size = t->pamt_size[TDX_PS_1G];
	for (j = 0; j < t->nr_rsvd && j < SWMOD_MAX_RESERVED_PER_TDMR; j++) {
		info->reserved_areas[j].offset = t->rsvd_start[j] - t->base;
		info->reserved_areas[j].size = t->rsvd_end[j] - t->rsvd_start[j];
	}
	uplat_write(e->p, pa, buf, sizeof(buf));
}

u64 pl_module_check(const struct pl_input *in, const struct pl_tdmr *tdmrs,
		    unsigned int nr, FILE *log)
{
	static const u8 lp_pkg[PL_NR_LPS] = { 0, 0, 1, 1 };
	struct swmod_config cfg = {};
	struct pl_env e = { .log = log };
	struct swmod_regs out;
	u64 pa[TDX_LAYOUT_MAX_TDMRS], st = 0, first = 0;
	u32 kid = in->keyid_end ? in->keyid_start : 16;
	u32 kid_end = in->keyid_end ? in->keyid_end : 64;
	unsigned int i, calls;
	char what[64];

	if (in->nr_cmrs > SWMOD_MAX_CMRS) {
		if (log)
			fprintf(log, "# %u CMRs: a TDX module reports at most %d, not run\n",
				in->nr_cmrs, SWMOD_MAX_CMRS);
		return TDX_CMR_LIST_INVALID;
	}
	if (!nr || nr > TDX_LAYOUT_MAX_TDMRS)
		return TDX_INVALID_TDMR;
	for (i = 0; i < nr; i++) {
		if (tdmrs[i].nr_rsvd <= SWMOD_MAX_RESERVED_PER_TDMR)
			continue;
		if (log)
			fprintf(log, "# TDMR %u has %u reserved areas: TDMR_INFO holds %d, not run\n",
				i, tdmrs[i].nr_rsvd, SWMOD_MAX_RESERVED_PER_TDMR);
		return TDX_INVALID_RESERVED_IN_TDMR | i |
		       SWMOD_MAX_RESERVED_PER_TDMR << 8;
	}
	cfg.nr_lps = PL_NR_LPS;
	cfg.lp_pkg = lp_pkg;
	cfg.nr_mktme_keyids = kid - 1;
	cfg.nr_tdx_keyids = kid_end - kid;
	cfg.validate_only = true;
	cfg.nr_cmrs = in->nr_cmrs;
	for (i = 0; i < in->nr_cmrs; i++) {
		cfg.cmrs[i].base = in->cmrs[i].base;
		cfg.cmrs[i].size = in->cmrs[i].size;
	}
	e.p = uplat_create();
	if (swmod_create(&cfg, e.p, &e.m)) {
		uplat_destroy(e.p);
		return TDX_CMR_LIST_INVALID;
	}

#define STEP(lp, leaf, rcx, rdx, r8, desc) do {				\
	st = pl_sc(&e, lp, leaf, rcx, rdx, r8, &out);			\
	pl_log(&e, leaf, desc, st, tdmrs, nr);				\
	if ((st & TDX_STATUS_ERROR) && !first)				\
		first = st;						\
} while (0)

	STEP(0, TDH_SYS_INIT, 0, 0, 0, "");
	for (i = 0; i < PL_NR_LPS; i++) {
		snprintf(what, sizeof(what), "LP %u", i);
		STEP(i, TDH_SYS_LP_INIT, 0, 0, 0, what);
	}
	STEP(0, TDH_SYS_INFO, SCRATCH_SYSINFO, TDSYSINFO_STRUCT_SIZE,
	     SCRATCH_CMRS, "");
	for (i = 0; i < nr; i++) {
		pa[i] = SCRATCH_TDMRS + (u64)i * PL_STRIDE;
		pl_write_tdmr(&e, pa[i], &tdmrs[i]);
	}
	uplat_write(e.p, SCRATCH_ARRAY, pa, nr * sizeof(u64));
	snprintf(what, sizeof(what), "%u TDMRs, KeyID %u", nr, kid);
	if (!first)
		STEP(0, TDH_SYS_CONFIG, SCRATCH_ARRAY, nr, kid, what);
	if (!first) {
		STEP(0, TDH_SYS_KEY_CONFIG, 0, 0, 0, "package 0");
		STEP(2, TDH_SYS_KEY_CONFIG, 0, 0, 0, "package 1");
	}
	for (i = 0; i < nr && !first; i++) {
		calls = 0;
		do {
			st = pl_sc(&e, i % PL_NR_LPS, TDH_SYS_TDMR_INIT,
				   tdmrs[i].base, 0, 0, &out);
			calls++;
		} while (!st && out.rdx < tdmrs[i].end);
		snprintf(what, sizeof(what), "TDMR %u, %u calls", i, calls);
		pl_log(&e, TDH_SYS_TDMR_INIT, what, st, tdmrs, nr);
		if (st & TDX_STATUS_ERROR)
			first = st;
	}
#undef STEP
	swmod_destroy(e.m);
	uplat_destroy(e.p);
	return first;
}
