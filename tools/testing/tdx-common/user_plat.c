// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace platform: sparse memory as an open-addressing hash table of
 * 4 KiB pages keyed by PFN, plus a reverse table for va->pa.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "swmod_platform.h"
#include "user_plat.h"

#define PAGE_SZ		4096ULL

struct htab {
	u64 *keys;	/* key + 1; 0 = empty */
	void **vals;
	size_t cap;
	size_t used;
};

struct swmod_plat {
	pthread_mutex_t lock;
	struct htab by_pfn;	/* pfn -> page */
	struct htab by_va;	/* page va >> 12 -> pfn (stored as value) */
	size_t page_limit;
	unsigned int cur_lp;
	/*
	 * The direct map's stand-in: pfn -> 1 while the page is TD-owned
	 * (hidden), 0 once given back.  Host accesses (uplat_read/write)
	 * to hidden pages are counted, as are ownership calls that do not
	 * pair up.
	 */
	struct htab hidden;
	size_t nr_hidden;
	size_t host_touches;
	size_t owned_errors;
};

static __thread int uplat_tls_lp = -1;

static u64 mix(u64 x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static void ht_put(struct htab *h, u64 key, void *val);

static void ht_grow(struct htab *h)
{
	struct htab old = *h;
	size_t i;

	h->cap = old.cap ? old.cap * 2 : 1024;
	h->used = 0;
	h->keys = calloc(h->cap, sizeof(*h->keys));
	h->vals = calloc(h->cap, sizeof(*h->vals));
	if (!h->keys || !h->vals) {
		fprintf(stderr, "uplat: out of memory\n");
		abort();
	}
	for (i = 0; i < old.cap; i++)
		if (old.keys[i])
			ht_put(h, old.keys[i] - 1, old.vals[i]);
	free(old.keys);
	free(old.vals);
}

static size_t ht_slot(const struct htab *h, u64 key)
{
	size_t i = mix(key) & (h->cap - 1);

	while (h->keys[i] && h->keys[i] != key + 1)
		i = (i + 1) & (h->cap - 1);
	return i;
}

static void ht_put(struct htab *h, u64 key, void *val)
{
	size_t i;

	if ((h->used + 1) * 2 > h->cap)
		ht_grow(h);
	i = ht_slot(h, key);
	if (!h->keys[i])
		h->used++;
	h->keys[i] = key + 1;
	h->vals[i] = val;
}

static void *ht_get(const struct htab *h, u64 key, bool *found)
{
	size_t i;

	*found = false;
	if (!h->cap)
		return NULL;
	i = ht_slot(h, key);
	if (!h->keys[i])
		return NULL;
	*found = true;
	return h->vals[i];
}

struct swmod_plat *uplat_create(void)
{
	struct swmod_plat *p = calloc(1, sizeof(*p));

	if (!p)
		abort();
	pthread_mutex_init(&p->lock, NULL);
	return p;
}

void uplat_destroy(struct swmod_plat *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->by_pfn.cap; i++)
		if (p->by_pfn.keys[i])
			free(p->by_pfn.vals[i]);
	free(p->by_pfn.keys);
	free(p->by_pfn.vals);
	free(p->by_va.keys);
	free(p->by_va.vals);
	free(p->hidden.keys);
	free(p->hidden.vals);
	pthread_mutex_destroy(&p->lock);
	free(p);
}

void uplat_set_lp(struct swmod_plat *p, unsigned int lp)
{
	p->cur_lp = lp;
}

void uplat_set_thread_lp(int lp)
{
	uplat_tls_lp = lp;
}

size_t uplat_resident_pages(struct swmod_plat *p)
{
	return p->by_pfn.used;
}

void uplat_set_page_limit(struct swmod_plat *p, size_t pages)
{
	p->page_limit = pages;
}

static void *uplat_page(struct swmod_plat *p, u64 pfn, bool create)
{
	bool found;
	void *page;

	pthread_mutex_lock(&p->lock);
	page = ht_get(&p->by_pfn, pfn, &found);
	if (!found && create) {
		if (p->page_limit && p->by_pfn.used >= p->page_limit) {
			fprintf(stderr, "uplat: page limit %zu exceeded at pfn %#llx\n",
				p->page_limit, pfn);
			abort();
		}
		page = aligned_alloc(PAGE_SZ, PAGE_SZ);
		if (!page)
			abort();
		memset(page, 0, PAGE_SZ);
		ht_put(&p->by_pfn, pfn, page);
		ht_put(&p->by_va, (u64)(uintptr_t)page >> 12,
		       (void *)(uintptr_t)pfn);
	}
	pthread_mutex_unlock(&p->lock);
	return page;
}

void *swmod_plat_pa_to_va(struct swmod_plat *p, u64 pa, bool write)
{
	u8 *page;

	/* Only 52-bit physical addresses exist. */
	if (pa >> 52)
		return NULL;
	page = uplat_page(p, pa >> 12, write);
	return page ? page + (pa & (PAGE_SZ - 1)) : NULL;
}

u64 swmod_plat_va_to_pa(struct swmod_plat *p, const void *va)
{
	uintptr_t v = (uintptr_t)va;
	bool found;
	void *pfn;

	pthread_mutex_lock(&p->lock);
	pfn = ht_get(&p->by_va, v >> 12, &found);
	pthread_mutex_unlock(&p->lock);
	if (!found)
		return ~0ULL;
	return ((u64)(uintptr_t)pfn << 12) | (v & (PAGE_SZ - 1));
}

unsigned int swmod_plat_cur_lp(struct swmod_plat *p)
{
	return uplat_tls_lp >= 0 ? (unsigned int)uplat_tls_lp : p->cur_lp;
}

u32 swmod_plat_cmpxchg32(u32 *ptr, u32 old, u32 new)
{
	__atomic_compare_exchange_n(ptr, &old, new, false, __ATOMIC_SEQ_CST,
				    __ATOMIC_SEQ_CST);
	return old;
}

u64 swmod_plat_add_return64(u64 *ptr, u64 val)
{
	return __atomic_add_fetch(ptr, val, __ATOMIC_SEQ_CST);
}

void *swmod_plat_zalloc(size_t size)
{
	return calloc(1, size);
}

void swmod_plat_free(void *ptr)
{
	free(ptr);
}

/*
 * The checking fake of the kernel platform's direct-map unmapping: a
 * page must be hidden exactly once when it becomes TD-owned and shown
 * exactly once when it goes back.
 */
void swmod_plat_set_owned(struct swmod_plat *p, u64 pa, u64 size, bool owned)
{
	u64 pfn;
	bool found;

	pthread_mutex_lock(&p->lock);
	if ((pa | size) & (PAGE_SZ - 1) || !size) {
		fprintf(stderr, "uplat: set_owned(%#llx, %#llx): not whole pages\n",
			pa, size);
		p->owned_errors++;
	}
	for (pfn = pa >> 12; pfn < (pa + size) >> 12; pfn++) {
		bool hidden = ht_get(&p->hidden, pfn, &found) != NULL;

		if (hidden == owned) {
			fprintf(stderr, "uplat: pfn %#llx %s twice\n", pfn,
				owned ? "hidden" : "restored");
			p->owned_errors++;
			continue;
		}
		ht_put(&p->hidden, pfn, owned ? (void *)1 : NULL);
		if (owned)
			p->nr_hidden++;
		else
			p->nr_hidden--;
	}
	pthread_mutex_unlock(&p->lock);
}

bool uplat_hidden(struct swmod_plat *p, u64 pa)
{
	bool found, hidden;

	pthread_mutex_lock(&p->lock);
	hidden = ht_get(&p->hidden, pa >> 12, &found) != NULL;
	pthread_mutex_unlock(&p->lock);
	return hidden;
}

size_t uplat_hidden_pages(struct swmod_plat *p)
{
	return p->nr_hidden;
}

size_t uplat_host_touches(struct swmod_plat *p)
{
	return p->host_touches;
}

size_t uplat_owned_errors(struct swmod_plat *p)
{
	return p->owned_errors;
}

/* A host access: the machine-check analogue if the page is hidden. */
static void uplat_host_access(struct swmod_plat *p, u64 pa)
{
	if (uplat_hidden(p, pa))
		__atomic_add_fetch(&p->host_touches, 1, __ATOMIC_SEQ_CST);
}

void uplat_write(struct swmod_plat *p, u64 pa, const void *buf, size_t len)
{
	const u8 *src = buf;

	while (len) {
		size_t chunk = PAGE_SZ - (pa & (PAGE_SZ - 1));

		if (chunk > len)
			chunk = len;
		uplat_host_access(p, pa);
		memcpy(swmod_plat_pa_to_va(p, pa, true), src, chunk);
		pa += chunk;
		src += chunk;
		len -= chunk;
	}
}

void uplat_read(struct swmod_plat *p, u64 pa, void *buf, size_t len)
{
	u8 *dst = buf;

	while (len) {
		size_t chunk = PAGE_SZ - (pa & (PAGE_SZ - 1));
		void *va;

		if (chunk > len)
			chunk = len;
		uplat_host_access(p, pa);
		va = swmod_plat_pa_to_va(p, pa, false);
		if (va)
			memcpy(dst, va, chunk);
		else
			memset(dst, 0, chunk);
		pa += chunk;
		dst += chunk;
		len -= chunk;
	}
}

void uplat_fill(struct swmod_plat *p, u64 pa, int byte, size_t len)
{
	while (len) {
		size_t chunk = PAGE_SZ - (pa & (PAGE_SZ - 1));

		if (chunk > len)
			chunk = len;
		uplat_host_access(p, pa);
		memset(swmod_plat_pa_to_va(p, pa, true), byte, chunk);
		pa += chunk;
		len -= chunk;
	}
}
