/*
 * arena.h - bump allocation for objects that live as long as their context.
 *
 * Nodes, symbols, syntax trees, sources and diagnostics are all allocated
 * here and released together by gb_arena_free(): there are no per-object
 * frees and no reference counts. Objects that need a destructor (mpq_t,
 * mpfr_t) never live in an arena; they sit in side tables with explicit
 * clear loops (see num.c).
 */
#ifndef GB_ARENA_H
#define GB_ARENA_H

#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>

struct gb_mem;

typedef struct gb_arena {
	struct gb_chunk *head;	/* newest chunk first */
	char *next;		/* first free byte of head */
	size_t avail;		/* bytes left in head */
	size_t total;		/* bytes obtained from malloc, for statistics */
	struct gb_mem *mem;	/* allocation policy (failure injection) */
} gb_arena;

/*
 * The allocator every part of the library goes through. fail_after counts
 * down allocations; when it reaches zero every further allocation fails,
 * which the out-of-memory tests use to fail the N-th allocation. A value
 * of -1 disables injection.
 */
typedef struct gb_mem {
	long fail_after;
	unsigned long count;	/* allocations performed */
	unsigned long failed;	/* allocations failed by injection */
	size_t chunk;		/* tests: arena chunks of exactly this size
				 * (at least the object), so that nearly
				 * every arena allocation is a failure point;
				 * 0: the usual growing chunks */
} gb_mem;

void *gb_mem_alloc(gb_mem *mem, size_t size);
void *gb_mem_realloc(gb_mem *mem, void *p, size_t size);
/*
 * gb_mem_alloc for a large block that is accessed at random (the unique
 * table, the arena's later chunks): on Linux, from 2 MiB on, the block is
 * aligned to 2 MiB, rounded up to a multiple of it (*size is updated) and
 * advised to be backed by transparent huge pages, which spares most TLB
 * misses and page faults. Freed with gb_mem_free.
 */
void *gb_mem_alloc_large(gb_mem *mem, size_t *size);
void gb_mem_free(gb_mem *mem, void *p);

void gb_arena_init(gb_arena *a, gb_mem *mem);
void gb_arena_free(gb_arena *a);

/* gb_arena_alloc's slow path: a new chunk (size already aligned). */
void *gb_arena_alloc_chunk(gb_arena *a, size_t size);

/*
 * Returns size bytes aligned for any object, or NULL when memory ran out.
 * Inline: the bump is a few instructions, and the front end allocates
 * every token's text and syntax node here.
 */
static inline void *gb_arena_alloc(gb_arena *a, size_t size)
{
	const size_t align = alignof(max_align_t);
	void *p;

	if (size > SIZE_MAX - align)
		return NULL;
	size = (size + align - 1) & ~(align - 1);
	if (size > a->avail)
		return gb_arena_alloc_chunk(a, size);
	p = a->next;
	a->next += size;
	a->avail -= size;
	return p;
}

/*
 * Forgets everything allocated, keeping the newest (largest) chunk for
 * reuse: a scratch arena is reset after each use.
 */
void gb_arena_reset(gb_arena *a);

/* Copies len bytes of s and NUL-terminates the copy; NULL on failure. */
char *gb_arena_strndup(gb_arena *a, const char *s, size_t len);

#endif /* GB_ARENA_H */
