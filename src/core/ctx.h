/*
 * ctx.h - the context: the one object that owns everything.
 *
 * A gb_ctx holds the allocator, the arena, the unique table of nodes, the
 * symbol table, the exact numbers, the memo tables, the diagnostics and
 * the program state (definitions, parameters, bindings). gb_ctx_free()
 * releases it all. There are no globals, so contexts on different threads
 * are independent.
 */
#ifndef GB_CTX_H
#define GB_CTX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gmp.h>

#include "gradbox.h"
#include "core/arena.h"
#include "core/memo.h"
#include "core/node.h"

struct gb_diag;
struct gb_source;
struct gb_defs;

/* Limits that turn pathological input into a diagnostic. */
typedef struct gb_limits {
	uint32_t max_depth;	/* nesting depth of syntax and of recursion */
	uint32_t max_nodes;	/* nodes one context may create */
	uint32_t max_input;	/* bytes of one source text */
	uint32_t max_exp_digits;/* decimal digits of an exact power's result */
} gb_limits;

struct gb_ctx {
	gb_mem mem;
	gb_arena arena;
	/*
	 * Syntax trees and lowering's temporaries go to *tmp: the main
	 * arena while a program is loaded (its definitions keep their
	 * trees), the scratch arena while one expression is parsed, which
	 * is reset afterwards.
	 */
	gb_arena scratch;
	gb_arena *tmp;
	bool oom;		/* sticky: an allocation failed */
	bool too_big;		/* sticky: max_nodes exceeded */
	gb_limits limits;

	/*
	 * Unique table of nodes: open addressing, power-of-two capacity.
	 * Each slot keeps the node's hash beside the pointer, so probing
	 * past a different node never touches that node's memory.
	 */
	struct gb_uslot {
		uint32_t hash;
		const gb_node *node;
	} *utab;
	size_t ucap, uused;
	uint32_t next_id;

	/* Symbols, interned by name. */
	gb_sym **stab;
	size_t scap, sused;

	/* Exact rationals referenced by NUM nodes; cleared by gb_ctx_free. */
	mpq_ptr *nums;
	size_t nnums, numcap;

	/* Nodes every module needs. */
	const gb_node *zero, *one, *minus_one, *two, *half, *pi, *e;

	/* The memo table shared by diff, substitution and dependency tests. */
	gb_memo memo;
	uint32_t serial;	/* numbers memo entries of one substitution */

	/* Diagnostics, in the order reported. */
	struct gb_diag *diag_head, *diag_tail;
	size_t nerrors;

	/* Sources read so far (for rendering diagnostics). */
	struct gb_source *sources;

	/* Program state made by lowering (front/lower.c). */
	struct gb_defs *defs;

	/*
	 * Values bound to symbols (NAME=VALUE on the command line,
	 * `param alpha = 1.5`): bind[sym->id] is an exact node (NUM, or
	 * MATRIX of NUM) or NULL. Grown by gb_bind_sym().
	 */
	const gb_node **bind;
	size_t nbind;

	/* Derivative rules of grammar/functions.def, parsed at creation. */
	const gb_node *fn_rule[GB_NFNS];
	const gb_node *rule_u;	/* the rules' argument symbol u */
};

/* Records an allocation failure; returns NULL for tail calls. */
const gb_node *gb_ctx_oom(gb_ctx *ctx);

/* Allocation through the context's allocator. */
static inline void *gb_ctx_alloc(gb_ctx *ctx, size_t size)
{
	void *p = gb_arena_alloc(&ctx->arena, size);

	if (!p)
		ctx->oom = true;
	return p;
}

/* Allocation of syntax trees and other temporaries (see ctx->tmp). */
static inline void *gb_ctx_tmp(gb_ctx *ctx, size_t size)
{
	void *p = gb_arena_alloc(ctx->tmp, size);

	if (!p)
		ctx->oom = true;
	return p;
}

/* The status a failed operation should report. */
gb_status gb_ctx_status(const gb_ctx *ctx);

#endif /* GB_CTX_H */
