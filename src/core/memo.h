/*
 * memo.h - the computed table: (tag, key1, key2) -> node.
 *
 * Keys are node ids (dense, deterministic), so lookups never depend on
 * addresses. diff uses tag MEMO_DIFF with (expression, variable);
 * substitution and dependency tests use tags of their own. Entries live as
 * long as the context: nodes are never freed, so a cached answer never
 * goes stale.
 */
#ifndef GB_MEMO_H
#define GB_MEMO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"

struct gb_node;

enum gb_memo_tag {
	GB_MEMO_DIFF = 1,
	GB_MEMO_DEPENDS,	/* value: ctx->one or ctx->zero */
	GB_MEMO_SUBST,		/* key2: the substitution's serial */
	GB_MEMO_SIMPLIFY,
	GB_MEMO_DERIVED,	/* (result, 0) -> the variable it is a derivative in */
	GB_MEMO_FREEVARS,
	GB_MEMO_USER		/* first tag free for other modules */
};

typedef struct gb_memo_entry {
	uint32_t tag;
	uint32_t k1, k2;
	const struct gb_node *val;
} gb_memo_entry;

typedef struct gb_memo {
	gb_memo_entry *tab;
	size_t cap, used;
	gb_mem *mem;
} gb_memo;

void gb_memo_init(gb_memo *m, gb_mem *mem);
void gb_memo_free(gb_memo *m);

/* The cached value, or NULL. */
const struct gb_node *gb_memo_get(const gb_memo *m, uint32_t tag, uint32_t k1,
				  uint32_t k2);

/* Caches val; false when memory ran out (the cache is then unchanged). */
bool gb_memo_put(gb_memo *m, uint32_t tag, uint32_t k1, uint32_t k2,
		 const struct gb_node *val);

#endif /* GB_MEMO_H */
