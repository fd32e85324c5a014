/*
 * reverse.c - all first partial derivatives of a scalar expression at
 * once, by reverse accumulation over the DAG (see reverse.h).
 *
 * Forward differentiation (diff.c) costs one pass per variable; for the
 * gradient of f in n variables that is n passes. Reverse accumulation
 * costs one: with the adjoint of a node v defined as
 *
 *     adj(v) = d f / d v   (f seen as a function of v, its parents fixed),
 *
 * adj(f) = 1 and, for each node v in reverse topological order,
 *
 *     adj(c) += adj(v) * d v / d c     for every child c of v,
 *
 * so adj(x) = df/dx for each variable x. The local partials are
 *
 *     d(u_1 + ... + u_n)/du_i = 1
 *     d(u_1 ... u_n)/du_i     = prod_{j != i} u_j
 *     d(u^c)/du = c u^(c-1),  d(c^v)/dv = c^v log c  (and both for u^v)
 *     d f(u)/du               = the rule of functions.def
 *
 * The contributions to a node are summed once, when the node is reached,
 * so each node and edge of the DAG is handled once.
 */
#include "calculus/reverse.h"

#include <string.h>

#include "calculus/diff.h"
#include "calculus/subst.h"
#include "core/build.h"
#include "core/ctx.h"

/* Per node on the way from f to the variables: its adjoint terms. */
typedef struct adjoint {
	const gb_node **terms;
	size_t n, cap;
} adjoint;

typedef struct rev {
	gb_ctx *ctx;
	const gb_node **order;	/* nodes in topological order, f last */
	size_t norder;
	adjoint *adj;		/* indexed by position in order */
	uint32_t *pos;		/* node id -> position + 1 (0: not on a path) */
	uint32_t maxid;
} rev;

/* Can reverse accumulation handle e's kind? (kinks go to forward mode) */
static bool plain_kind(const gb_node *e)
{
	switch ((gb_kind)e->kind) {
	case GB_ADD:
	case GB_MUL:
	case GB_POW:
		return true;
	case GB_CALL:
		return e->nargs == 1 && e->fn != GB_FN_ABS && e->fn != GB_FN_SIGN &&
		       e->fn != GB_FN_RELU && gb_is_scalar(e);
	default:
		return e->nargs == 0;
	}
}

/*
 * Depth-first post-order over the nodes that depend on some variable;
 * an explicit stack, so deep chains do not touch the C stack.
 */
static bool topo(rev *r, const gb_node *f, const gb_node *const *vars,
		 size_t nvars)
{
	gb_ctx *ctx = r->ctx;
	struct frame {
		const gb_node *n;
		uint32_t next;
	} *stack;
	size_t sp = 0, cap = 64;
	bool ok = true;

	stack = gb_mem_alloc(&ctx->mem, cap * sizeof *stack);
	if (!stack)
		return false;
	stack[sp++] = (struct frame){ f, 0 };
	r->pos[f->id] = UINT32_MAX;	/* on the stack */
	while (sp && ok) {
		struct frame *fr = &stack[sp - 1];
		const gb_node *n = fr->n;

		if (fr->next < n->nargs) {
			const gb_node *c = n->arg[fr->next++];
			bool dep = false;

			if (r->pos[c->id])
				continue;
			for (size_t i = 0; i < nvars && !dep; i++)
				dep = gb_depends(ctx, c, vars[i]);
			if (!dep)
				continue;
			if (!plain_kind(c)) {
				ok = false;
				break;
			}
			if (sp == cap) {
				struct frame *s2;

				cap *= 2;
				s2 = gb_mem_realloc(&ctx->mem, stack, cap * sizeof *s2);
				if (!s2) {
					ok = false;
					break;
				}
				stack = s2;
			}
			r->pos[c->id] = UINT32_MAX;
			stack[sp++] = (struct frame){ c, 0 };
			continue;
		}
		r->order[r->norder] = n;
		r->pos[n->id] = (uint32_t)++r->norder;
		sp--;
	}
	gb_mem_free(&ctx->mem, stack);
	return ok;
}

static bool push(rev *r, const gb_node *c, const gb_node *term)
{
	uint32_t p = r->pos[c->id];
	adjoint *a;

	if (!term)
		return false;
	if (!p || p == UINT32_MAX || gb_is_zero(term))
		return true;	/* c does not lead to a variable */
	a = &r->adj[p - 1];
	if (a->n == a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 4;
		const gb_node **t = gb_mem_realloc(&r->ctx->mem, a->terms,
						   cap * sizeof *t);

		if (!t)
			return false;
		a->terms = t;
		a->cap = cap;
	}
	a->terms[a->n++] = term;
	return true;
}

/* Sends adj(v) * dv/dc to every child c of v. */
static bool propagate(rev *r, const gb_node *v, const gb_node *av)
{
	gb_ctx *ctx = r->ctx;

	switch ((gb_kind)v->kind) {
	case GB_ADD:
		for (uint32_t i = 0; i < v->nargs; i++)
			if (!push(r, v->arg[i], av))
				return false;
		return true;
	case GB_MUL: {
		const gb_node **f = gb_mem_alloc(&ctx->mem, v->nargs * sizeof *f);
		bool ok = true;

		if (!f)
			return false;
		for (uint32_t i = 0; i < v->nargs && ok; i++) {
			if (!r->pos[v->arg[i]->id])
				continue;
			memcpy(f, v->arg, v->nargs * sizeof *f);
			f[i] = av;
			ok = push(r, v->arg[i], gb_mul(ctx, v->nargs, f));
		}
		gb_mem_free(&ctx->mem, f);
		return ok;
	}
	case GB_POW: {
		const gb_node *u = v->arg[0], *e = v->arg[1];

		if (r->pos[u->id] &&	/* e u^(e-1) */
		    !push(r, u, gb_mul2(ctx, av, gb_mul2(ctx, e,
				gb_pow(ctx, u, gb_sub(ctx, e, ctx->one))))))
			return false;
		if (r->pos[e->id] &&	/* u^e log u */
		    !push(r, e, gb_mul2(ctx, av, gb_mul2(ctx, v,
				gb_call1(ctx, GB_FN_LOG, u)))))
			return false;
		return true;
	}
	case GB_CALL: {
		const gb_node *rule = gb_diff_rule(ctx, (gb_fn)v->fn);

		if (!rule)
			return false;
		rule = gb_subst(ctx, rule, ctx->rule_u, v->arg[0]);
		return push(r, v->arg[0], gb_mul2(ctx, av, rule));
	}
	default:
		return true;
	}
}

gb_status gb_gradient(gb_ctx *ctx, const gb_node *f,
		      const gb_node *const *vars, size_t nvars,
		      const gb_node **out)
{
	rev r = { ctx, NULL, 0, NULL, NULL, 0 };
	gb_status st = GB_OK;
	bool forward = !gb_is_scalar(f) || !plain_kind(f);

	for (size_t i = 0; i < nvars; i++)
		out[i] = NULL;
	r.maxid = ctx->next_id;
	if (!forward) {
		r.pos = gb_mem_alloc(&ctx->mem, (size_t)r.maxid * sizeof *r.pos);
		r.order = gb_mem_alloc(&ctx->mem, (size_t)r.maxid * sizeof *r.order);
		if (!r.pos || !r.order) {
			st = GB_ENOMEM;
			goto out;
		}
		memset(r.pos, 0, (size_t)r.maxid * sizeof *r.pos);
		forward = !topo(&r, f, vars, nvars);
	}
	if (forward) {
		/* kinks or shapes: one forward pass per variable */
		for (size_t i = 0; i < nvars; i++)
			if (!(out[i] = gb_diff(ctx, f, vars[i]))) {
				st = gb_ctx_status(ctx) ? gb_ctx_status(ctx) : GB_EDOMAIN;
				break;
			}
		goto out;
	}
	r.adj = gb_mem_alloc(&ctx->mem, r.norder * sizeof *r.adj);
	if (!r.adj) {
		st = GB_ENOMEM;
		goto out;
	}
	memset(r.adj, 0, r.norder * sizeof *r.adj);
	if (!push(&r, f, ctx->one))
		goto oom;
	for (size_t k = r.norder; k-- > 0;) {
		adjoint *a = &r.adj[k];
		const gb_node *av = gb_add(ctx, a->n, a->terms);

		gb_mem_free(&ctx->mem, a->terms);
		a->terms = NULL;
		a->n = 0;
		if (!av)
			goto oom;
		/* keep the sum as the node's only term: the variables read it */
		a->terms = gb_mem_alloc(&ctx->mem, sizeof *a->terms);
		if (!a->terms)
			goto oom;
		a->terms[0] = av;
		a->n = a->cap = 1;
		if (!gb_is_zero(av) && !propagate(&r, r.order[k], av))
			goto oom;
	}
	for (size_t i = 0; i < nvars; i++) {
		uint32_t p = vars[i]->id < r.maxid ? r.pos[vars[i]->id] : 0;

		out[i] = p && p != UINT32_MAX ? r.adj[p - 1].terms[0] : ctx->zero;
	}
	goto out;
oom:
	st = gb_ctx_status(ctx) ? gb_ctx_status(ctx) : GB_ENOMEM;
out:
	if (r.adj)
		for (size_t k = 0; k < r.norder; k++)
			gb_mem_free(&ctx->mem, r.adj[k].terms);
	gb_mem_free(&ctx->mem, r.adj);
	gb_mem_free(&ctx->mem, r.pos);
	gb_mem_free(&ctx->mem, r.order);
	return st;
}
