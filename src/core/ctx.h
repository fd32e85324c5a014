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

enum { GB_SMALL_NUM = 32 };	/* see gb_ctx.small_num */

/* Limits that turn pathological input into a diagnostic. */
typedef struct gb_limits {
	uint32_t max_depth;	/* nesting depth of syntax and of recursion */
	uint32_t max_nodes;	/* nodes one context may create */
	uint32_t max_input;	/* bytes of one source text */
	uint32_t max_exp_digits;/* decimal digits of an exact power's result */
	uint64_t max_steps;	/* steps of work per budget; 0: no limit */
	uint64_t max_msec;	/* milliseconds per budget; 0: no limit */
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
	bool too_big;		/* sticky: a limit was reached (see `limit`) */
	gb_limit limit;		/* the first limit reached, when too_big */
	bool limit_said;	/* its diagnostic was issued (gb_diag_limit) */
	gb_limits limits;

	/*
	 * The work budget (gb_budget_start): nodes are counted from
	 * node_base; gb_ctx_tick() counts steps and, every GB_TICK_EVERY
	 * steps, compares them with limits.max_steps and the clock with
	 * deadline (a timespec_get() time in milliseconds; 0: none).
	 */
	uint32_t node_base;
	uint64_t steps;
	uint64_t deadline;

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
	/*
	 * The scalar NUM nodes p/q for |p| <= GB_SMALL_NUM, 1 <= q <= 8,
	 * indexed [q - 1][p + GB_SMALL_NUM] once interned (NULL before):
	 * numbers are a third of all look-ups, nearly all of them small, and
	 * this spares them hashing GMP limbs and comparing with mpq_equal.
	 * The same nodes as the unique table holds, so sharing is unchanged.
	 */
	const gb_node *small_num[8][2 * GB_SMALL_NUM + 1];

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

	/*
	 * The value a derivative takes at a kink: GB_CONV_NONE (none: it is
	 * undefined there), or what autograd frameworks return
	 * (GB_CONV_PYTORCH, GB_CONV_JAX; see calculus/diff.c).
	 */
	uint8_t convention;

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

/*
 * Records that limit `which` was reached (the first one reached is the
 * one reported); returns NULL for tail calls.
 */
const gb_node *gb_ctx_limit(gb_ctx *ctx, gb_limit which);

/* Checks the step count and the clock; false once the budget is spent. */
bool gb_ctx_budget_ok(gb_ctx *ctx);

enum { GB_TICK_EVERY = 1024 };

/*
 * One step of work in a main loop (a node built or looked up, a node
 * evaluated, a pass of the Ziv loop): false, with the limit recorded,
 * when the step or time budget is spent or another limit was reached.
 * Cheap: the clock is read once every GB_TICK_EVERY steps.
 */
static inline bool gb_ctx_tick(gb_ctx *ctx)
{
	if (ctx->too_big)
		return false;
	if (++ctx->steps % GB_TICK_EVERY)
		return true;
	return gb_ctx_budget_ok(ctx);
}

#endif /* GB_CTX_H */
