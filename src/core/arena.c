/*
 * arena.c - chunked bump allocator and the failure-injecting allocator.
 */
#if defined(__linux__)
#define _DEFAULT_SOURCE		/* madvise */
#endif
#include "core/arena.h"

#include <stdalign.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

struct gb_chunk {
	struct gb_chunk *next;
	size_t size;
	alignas(max_align_t) char data[];
};

enum { CHUNK_MIN = 64 * 1024 };

/* The failure injection's decision for one allocation (see gb_mem). */
static bool gb_mem_alloc_ok(gb_mem *mem)
{
	if (mem) {
		if (mem->fail_after == 0) {
			mem->failed++;
			return false;
		}
		if (mem->fail_after > 0)
			mem->fail_after--;
		mem->count++;
	}
	return true;
}

void *gb_mem_alloc(gb_mem *mem, size_t size)
{
	if (!gb_mem_alloc_ok(mem))
		return NULL;
	return malloc(size ? size : 1);
}

/* Transparent huge pages: 2 MiB on x86-64 and most arm64 kernels. */
enum { HUGE_PAGE = 2u << 20 };

void *gb_mem_alloc_large(gb_mem *mem, size_t *size)
{
#if defined(__linux__) && defined(MADV_HUGEPAGE)
	if (*size >= HUGE_PAGE && *size <= SIZE_MAX - HUGE_PAGE) {
		size_t n = (*size + HUGE_PAGE - 1) & ~(size_t)(HUGE_PAGE - 1);
		void *p;

		if (!gb_mem_alloc_ok(mem))
			return NULL;
		p = aligned_alloc(HUGE_PAGE, n);
		if (!p)
			return NULL;
		/* only advice: without huge pages the block still works */
		(void)madvise(p, n, MADV_HUGEPAGE);
		*size = n;
		return p;
	}
#endif
	return gb_mem_alloc(mem, *size);
}

void *gb_mem_realloc(gb_mem *mem, void *p, size_t size)
{
	if (mem) {
		if (mem->fail_after == 0) {
			mem->failed++;
			return NULL;
		}
		if (mem->fail_after > 0)
			mem->fail_after--;
		mem->count++;
	}
	return realloc(p, size ? size : 1);
}

void gb_mem_free(gb_mem *mem, void *p)
{
	(void)mem;
	free(p);
}

void gb_arena_init(gb_arena *a, gb_mem *mem)
{
	memset(a, 0, sizeof *a);
	a->mem = mem;
}

void gb_arena_free(gb_arena *a)
{
	struct gb_chunk *c = a->head;

	while (c) {
		struct gb_chunk *next = c->next;

		gb_mem_free(a->mem, c);
		c = next;
	}
	a->head = NULL;
	a->next = NULL;
	a->avail = 0;
}

void gb_arena_reset(gb_arena *a)
{
	struct gb_chunk *keep = a->head;

	if (!keep)
		return;
	a->head = keep->next;
	gb_arena_free(a);
	keep->next = NULL;
	a->head = keep;
	a->next = keep->data;
	a->avail = keep->size;
	a->total = keep->size;
}

void *gb_arena_alloc_chunk(gb_arena *a, size_t size)
{
	/* A new chunk: at least CHUNK_MIN, doubling with use. */
	size_t want = a->total > CHUNK_MIN ? a->total / 2 : CHUNK_MIN;
	struct gb_chunk *c;
	void *p;

	if (a->mem && a->mem->chunk)
		want = a->mem->chunk;
	if (want < size)
		want = size;
	if (want > SIZE_MAX - sizeof *c)
		return NULL;
	want += sizeof *c;
	/* a large chunk may come back larger (huge pages): use it all */
	c = a->mem && a->mem->chunk ? gb_mem_alloc(a->mem, want) :
	    gb_mem_alloc_large(a->mem, &want);
	if (!c)
		return NULL;
	want -= sizeof *c;
	c->next = a->head;
	c->size = want;
	a->head = c;
	a->next = c->data;
	a->avail = want;
	a->total += want;
	p = a->next;
	a->next += size;
	a->avail -= size;
	return p;
}

char *gb_arena_strndup(gb_arena *a, const char *s, size_t len)
{
	char *p = gb_arena_alloc(a, len + 1);

	if (!p)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}
