/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace platform for the software TDX module: sparse physical
 * memory (only touched 4 KiB pages are backed), a settable current LP
 * and GCC atomics.
 */
#ifndef _USER_PLAT_H
#define _USER_PLAT_H

#include <linux/types.h>

struct swmod_plat;

struct swmod_plat *uplat_create(void);
void uplat_destroy(struct swmod_plat *p);

/* The LP that the next SEAMCALL runs on (per instance). */
void uplat_set_lp(struct swmod_plat *p, unsigned int lp);
/* Per-thread override for concurrency tests; -1 to clear. */
void uplat_set_thread_lp(int lp);

/* Host-side memory access (backs pages on write). */
void uplat_write(struct swmod_plat *p, u64 pa, const void *buf, size_t len);
void uplat_read(struct swmod_plat *p, u64 pa, void *buf, size_t len);
void uplat_fill(struct swmod_plat *p, u64 pa, int byte, size_t len);

/* Number of resident (backed) pages. */
size_t uplat_resident_pages(struct swmod_plat *p);
/*
 * The direct-map fake (swmod_plat_set_owned()): is the page of @pa
 * hidden, how many are, how many host reads/writes hit a hidden page,
 * how many ownership calls did not pair up.
 */
bool uplat_hidden(struct swmod_plat *p, u64 pa);
size_t uplat_hidden_pages(struct swmod_plat *p);
size_t uplat_host_touches(struct swmod_plat *p);
size_t uplat_owned_errors(struct swmod_plat *p);
/* Abort if more than this many pages become resident (0: no limit). */
void uplat_set_page_limit(struct swmod_plat *p, size_t pages);

#endif
