/*
 * arena.c - chunked bump allocator and the failure-injecting allocator.
 */
#include "core/arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct gb_chunk {
	struct gb_chunk *next;
	size_t size;
	alignas(max_align_t) char data[];
};

enum { CHUNK_MIN = 64 * 1024 };

void *gb_mem_alloc(gb_mem *mem, size_t size)
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
	return malloc(size ? size : 1);
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

void *gb_arena_alloc(gb_arena *a, size_t size)
{
	const size_t align = alignof(max_align_t);
	void *p;

	size = (size + align - 1) & ~(align - 1);
	if (size > a->avail) {
		/* A new chunk: at least CHUNK_MIN, doubling with use. */
		size_t want = a->total > CHUNK_MIN ? a->total / 2 : CHUNK_MIN;
		struct gb_chunk *c;

		if (a->mem && a->mem->chunk)
			want = a->mem->chunk;
		if (want < size)
			want = size;
		if (want > SIZE_MAX - sizeof *c)
			return NULL;
		c = gb_mem_alloc(a->mem, sizeof *c + want);
		if (!c)
			return NULL;
		c->next = a->head;
		c->size = want;
		a->head = c;
		a->next = c->data;
		a->avail = want;
		a->total += want;
	}
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
