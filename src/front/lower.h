/*
 * lower.h - from syntax trees to DAG nodes.
 *
 * Lowering resolves names (parameters of a user function, assignments,
 * the constants pi and e, free symbols), checks arity against
 * grammar/functions.def and shapes against declarations, computes exact
 * values of number literals, and builds canonical nodes. Every error is
 * reported at the span of the syntax that caused it.
 *
 * The program state it keeps in the context (struct gb_defs): user
 * functions, assignments, parameter assumptions and declared shapes.
 */
#ifndef GB_LOWER_H
#define GB_LOWER_H

#include "front/ast.h"

/*
 * What `diff(e, x, n)` in an expression does: the differentiation module
 * registers itself here (calculus sits above the front end, which must
 * not include it). NULL result: the error is in the context.
 */
typedef const gb_node *(*gb_diff_hook)(gb_ctx *ctx, const gb_node *e,
				       const gb_node *var, unsigned long order);

/*
 * What `grad(L, X)` does: calculus/backward.c registers itself here.
 * L is scalar, X a symbol; the result has X's shape. NULL: the error is
 * in the context.
 */
typedef const gb_node *(*gb_grad_hook)(gb_ctx *ctx, const gb_node *l,
				       const gb_node *x);

/* A parameter declared with `param name rel bound`. */
typedef struct gb_param {
	const gb_sym *sym;
	gb_op rel;		/* GB_OP_NONE, GB_OP_GT, ... */
	const gb_node *bound;	/* exact number, or NULL */
} gb_param;

/* The result of lowering one statement of a program. */
typedef struct gb_lowered {
	const gb_stmt *stmt;
	const gb_node *value;	/* STMT_EXPR, STMT_ASSIGN: the node */
} gb_lowered;

/* Installs the hook that lowers diff(...) calls. */
void gb_lower_set_diff(gb_ctx *ctx, gb_diff_hook hook);

/* Installs the hook that lowers grad(...) calls. */
void gb_lower_set_grad(gb_ctx *ctx, gb_grad_hook hook);

/*
 * The names assigned so far (`z = sigmoid(W*x)`), in program order:
 * the named intermediates of backward formulas. Their values are
 * gb_assigned(); each symbol's shape is its value's. Returns the count.
 */
size_t gb_assignments(const gb_ctx *ctx, const gb_sym *const **syms);

/*
 * Lowers an expression; NULL after a diagnostic (or out of memory, see
 * gb_ctx_status).
 */
const gb_node *gb_lower_expr(gb_ctx *ctx, const gb_source *src,
			     const gb_ast *ast);

/*
 * Runs the declarations, definitions and assignments of a program, in
 * order. A statement that fails is diagnosed and the others still run.
 * When out is not NULL, *out receives an array (arena memory) with one
 * entry per statement and *nout its length. Returns GB_OK when every
 * statement succeeded.
 */
gb_status gb_lower_program(gb_ctx *ctx, const gb_program *prog,
			   gb_lowered **out, size_t *nout);

/*
 * Binds sym to an exact value (a number or a matrix of numbers). An
 * undeclared symbol takes the value's shape; a declared one keeps its
 * shape, and the value sizes its symbolic dimensions (x=[1, 2, 3] for
 * `vector x[d]` binds d = 3). GB_ESHAPE, diagnosed, if the value
 * contradicts the declaration or a size already bound.
 */
gb_status gb_bind_sym(gb_ctx *ctx, gb_sym *sym, const gb_node *value);

/* Makes ctx->bind[sym->id] exist (NULL unless bound); GB_ENOMEM. */
gb_status gb_bind_reserve(gb_ctx *ctx, const gb_sym *sym);

/* The parameters declared so far, in order. */
const gb_param *gb_params(const gb_ctx *ctx, size_t *n);

/*
 * The value of assignment s with the names assigned before it kept as
 * symbols (y = x + z stays x + z, not x + sigmoid(W*x)); NULL if s is
 * not assigned. The backward pass works on these named forms.
 */
const gb_node *gb_assigned_named(const gb_ctx *ctx, const gb_sym *s);

/*
 * Is an assignment of value v an alias (h0 = x, c = 2) rather than a
 * named intermediate? Named forms use an alias's value, and the backward
 * pass makes no intermediate of it: both ask here, so they agree.
 */
static inline bool gb_is_alias(const gb_node *v)
{
	return v->kind == GB_SYM || v->kind == GB_NUM;
}

/* The assignment `name = ...` made last, or NULL. */
const gb_node *gb_assigned(const gb_ctx *ctx, const char *name);

#endif /* GB_LOWER_H */
