/*
 * backward.c - reverse mode over a program (see backward.h).
 *
 * Three tables keyed by node id, all on the heap and freed at the end:
 * the names of the intermediates, the adjoints of the current pass and
 * the memo of the name folding. Nodes are visited by an explicit stack,
 * so a thousand-layer network does not deepen the C stack.
 */
#include "calculus/backward.h"

#include <stdio.h>
#include <string.h>

#include "calculus/diff.h"
#include "calculus/subst.h"
#include "core/build.h"
#include "core/ctx.h"
#include "core/shape.h"
#include "front/diag.h"
#include "front/lower.h"

/* ------------------------------------------------------ names, by id */

/*
 * Open addressing from node id to a node: the SYM of a named
 * intermediate for its value (expanded or named form), and for the SYM
 * itself its definition (named form).
 */
typedef struct namemap {
	uint32_t *id;
	const gb_node **sym;
	size_t cap, n;
} namemap;

static size_t slot(uint32_t id, size_t cap)
{
	return (id * 2654435761u) & (cap - 1);
}

static const gb_node *name_of(const namemap *m, const gb_node *e)
{
	if (!m->cap)
		return NULL;
	for (size_t i = slot(e->id, m->cap);; i = (i + 1) & (m->cap - 1)) {
		if (!m->sym[i])
			return NULL;
		if (m->id[i] == e->id)
			return m->sym[i];
	}
}

/* Adds key -> val unless key is there already (the first name wins). */
static void map_put(namemap *m, const gb_node *key, const gb_node *val)
{
	size_t i;

	for (i = slot(key->id, m->cap); m->sym[i]; i = (i + 1) & (m->cap - 1))
		if (m->id[i] == key->id)
			return;
	m->id[i] = key->id;
	m->sym[i] = val;
	m->n++;
}

/*
 * The named intermediates: every assignment whose value is more than a
 * symbol or a number. names: value (expanded and named form) -> SYM;
 * defs: SYM -> named form; vals: SYM -> expanded value.
 */
static bool names_load(gb_ctx *ctx, namemap *m, namemap *defs,
		       namemap *vals)
{
	const gb_sym *const *syms;
	size_t n = gb_assignments(ctx, &syms);
	namemap *all[3] = { m, defs, vals };

	for (size_t j = 0; j < 3; j++) {
		namemap *t = all[j];

		memset(t, 0, sizeof *t);
		if (!t)
			continue;
		for (t->cap = 16; t->cap < 4 * n + 4; t->cap *= 2)
			;
		t->id = gb_mem_alloc(&ctx->mem, t->cap * sizeof *t->id);
		t->sym = gb_mem_alloc(&ctx->mem, t->cap * sizeof *t->sym);
		if (!t->id || !t->sym)
			return false;
		memset(t->sym, 0, t->cap * sizeof *t->sym);
	}
	for (size_t k = 0; k < n; k++) {
		const gb_node *v = gb_assigned(ctx, syms[k]->name);
		const gb_node *nf = gb_assigned_named(ctx, syms[k]);
		const gb_node *s;

		if (!v || !nf || gb_is_alias(v))
			continue;
		if (!(s = gb_sym_node(ctx, syms[k])))
			return false;
		map_put(m, v, s);
		map_put(m, nf, s);
		map_put(defs, s, nf);
		map_put(vals, s, v);
	}
	return true;
}

static void names_free(gb_ctx *ctx, namemap *m)
{
	gb_mem_free(&ctx->mem, m->id);
	gb_mem_free(&ctx->mem, m->sym);
}

/* ---------------------------------------------------- memo by node id */

/* A growable id -> node table with a stamp, for one rewrite. */
typedef struct idmemo {
	const gb_node **v;
	size_t cap;
	bool failed;
	gb_mem *mem;
} idmemo;

static const gb_node *memo_get(const idmemo *m, const gb_node *e)
{
	return e->id < m->cap ? m->v[e->id] : NULL;
}

static void memo_put(idmemo *m, const gb_node *e, const gb_node *r)
{
	if (e->id >= m->cap) {
		size_t cap = m->cap ? m->cap : 1024;
		const gb_node **v;

		while (cap <= e->id)
			cap *= 2;
		v = gb_mem_realloc(m->mem, m->v, cap * sizeof *v);
		if (!v) {
			m->failed = true;
			return;
		}
		memset(v + m->cap, 0, (cap - m->cap) * sizeof *v);
		m->v = v;
		m->cap = cap;
	}
	m->v[e->id] = r;
}

/*
 * A rewrite that replaces whole subterms: repl(e) gives the replacement
 * of e or NULL; the rest is rebuilt bottom-up (iteratively), each node
 * once. Used to fold names in and to expand let symbols out.
 */
typedef const gb_node *(*repl_fn)(void *arg, const gb_node *e);

static const gb_node *rewrite(gb_ctx *ctx, const gb_node *e, idmemo *m,
			      repl_fn repl, void *arg)
{
	const gb_node **stack, **tmp = NULL;
	size_t sp = 0, cap = 64, tcap = 0;
	const gb_node *r;

	if (!e)
		return NULL;
	if ((r = memo_get(m, e)))
		return r;
	stack = gb_mem_alloc(&ctx->mem, cap * sizeof *stack);
	if (!stack)
		return gb_ctx_oom(ctx);
	stack[sp++] = e;
	while (sp && !m->failed && !ctx->oom) {
		const gb_node *n = stack[sp - 1], *rn;
		bool ready = true, same = true;

		if (memo_get(m, n)) {
			sp--;
			continue;
		}
		if ((rn = repl(arg, n))) {
			memo_put(m, n, rn);
			sp--;
			continue;
		}
		for (uint32_t i = 0; i < n->nargs; i++)
			if (!memo_get(m, n->arg[i])) {
				if (sp == cap) {
					const gb_node **s2;

					cap *= 2;
					s2 = gb_mem_realloc(&ctx->mem, stack,
							    cap * sizeof *s2);
					if (!s2) {
						m->failed = true;
						break;
					}
					stack = s2;
				}
				stack[sp++] = n->arg[i];
				ready = false;
			}
		if (!ready)
			continue;
		if (n->nargs > tcap) {
			tcap = n->nargs * 2;
			gb_mem_free(&ctx->mem, tmp);
			tmp = gb_mem_alloc(&ctx->mem, tcap * sizeof *tmp);
			if (!tmp) {
				m->failed = true;
				break;
			}
		}
		for (uint32_t i = 0; i < n->nargs; i++) {
			tmp[i] = memo_get(m, n->arg[i]);
			same = same && tmp[i] == n->arg[i];
		}
		rn = same ? n : gb_rebuild(ctx, n, tmp);
		if (!rn)
			break;
		memo_put(m, n, rn);
		sp--;
	}
	gb_mem_free(&ctx->mem, stack);
	gb_mem_free(&ctx->mem, tmp);
	if (m->failed)
		ctx->oom = true;
	return memo_get(m, e);
}

static const gb_node *fold_repl(void *arg, const gb_node *e)
{
	return name_of(arg, e);
}

const gb_node *gb_backward_fold(gb_ctx *ctx, const gb_node *e)
{
	namemap nm, df, vl;
	idmemo m = { NULL, 0, false, &ctx->mem };
	const gb_node *r = NULL;

	if (!e)
		return NULL;
	if (names_load(ctx, &nm, &df, &vl))
		r = rewrite(ctx, e, &m, fold_repl, &nm);
	else
		ctx->oom = true;
	names_free(ctx, &nm);
	names_free(ctx, &df);
	names_free(ctx, &vl);
	gb_mem_free(&ctx->mem, m.v);
	return r;
}

/* -------------------------------------------------------- local rules */

/* ones of a shape: ones(m) or ones(m, n). */
static const gb_node *ones_of(gb_ctx *ctx, gb_shape s)
{
	const gb_node *a[2];

	a[0] = gb_dim_node(ctx, s.rows);
	a[1] = gb_dim_node(ctx, s.cols);
	return gb_call(ctx, GB_FN_ONES, s.cols == 1 ? 1 : 2, a);
}

/* A, made a full value of shape s when it is a broadcast scalar. */
static const gb_node *full(gb_ctx *ctx, const gb_node *a, gb_shape s)
{
	if (!a || !gb_is_scalar(a) || (s.rows == 1 && s.cols == 1))
		return a;
	return gb_mul2(ctx, a, ones_of(ctx, s));
}

/* A contribution to a scalar child from a non-scalar node: summed. */
static const gb_node *reduce(gb_ctx *ctx, const gb_node *c,
			     const gb_node *child)
{
	if (!c || !gb_is_scalar(child) || gb_is_scalar(c))
		return c;
	return gb_call1(ctx, GB_FN_SUM, c);
}

/*
 * A rule of functions.def (in the scalar u) at a vector argument: u
 * replaced, and a product of several non-scalar factors made element-wise.
 */
static const gb_node *ew_rule(gb_ctx *ctx, const gb_node *r,
			      const gb_node *u)
{
	const gb_node **a, *res;

	if (r == ctx->rule_u)
		return u;
	if (!r->nargs)
		return r;
	if (r->kind == GB_PIECEWISE && !gb_is_scalar(u))
		return NULL;
	a = gb_mem_alloc(&ctx->mem, r->nargs * sizeof *a);
	if (!a)
		return gb_ctx_oom(ctx);
	for (uint32_t i = 0; i < r->nargs; i++)
		if (!(a[i] = ew_rule(ctx, r->arg[i], u))) {
			gb_mem_free(&ctx->mem, a);
			return NULL;
		}
	if (r->kind == GB_MUL) {
		/* scalars multiply, the rest is a Hadamard product */
		const gb_node *s = ctx->one, *h = NULL;

		for (uint32_t i = 0; i < r->nargs; i++) {
			if (gb_is_scalar(a[i]))
				s = gb_mul2(ctx, s, a[i]);
			else
				h = h ? gb_hadamard(ctx, h, a[i]) : a[i];
		}
		res = h ? gb_mul2(ctx, s, h) : s;
	} else {
		res = gb_rebuild(ctx, r, a);
	}
	gb_mem_free(&ctx->mem, a);
	return res;
}

const gb_node *gb_backward_local(gb_ctx *ctx, const gb_node *n)
{
	const gb_node *u = n->arg[0], *rule;

	switch ((gb_fn)n->fn) {
	case GB_FN_SIGMOID:	/* s ⊙ (1 - s) */
		return gb_hadamard(ctx, n, gb_sub(ctx, ctx->one, n));
	case GB_FN_TANH:	/* 1 - t.^2 */
		return gb_sub(ctx, ctx->one, gb_pow_si(ctx, n, 2));
	case GB_FN_EXP:
		return n;
	case GB_FN_RELU:
		return gb_call1(ctx, GB_FN_STEP, u);
	case GB_FN_SOFTPLUS:
		return gb_call1(ctx, GB_FN_SIGMOID, u);
	case GB_FN_LOG:
		return gb_pow_si(ctx, u, -1);
	case GB_FN_ABS:		/* 2 step(u) - 1, undefined at 0 */
		return gb_sub(ctx, gb_mul2(ctx, ctx->two,
					   gb_call1(ctx, GB_FN_STEP, u)),
			      ctx->one);
	default:
		break;
	}
	rule = gb_diff_rule(ctx, (gb_fn)n->fn);
	if (!rule)
		return NULL;
	return ew_rule(ctx, rule, u);
}

/* ------------------------------------------------------------ the pass */

typedef struct bw {
	gb_ctx *ctx;
	const gb_node *x;
	namemap names, defs, vals;
	idmemo fold;		/* names folded into adjoints */
	/* by node id (the nodes of L, all older than the pass) */
	const gb_node **adj;
	uint8_t *state;		/* 0 new, 1 open, 2 done */
	uint8_t *dep;		/* depends on x */
	size_t cap;
	const gb_node **order;	/* post-order of the nodes that depend on x */
	size_t norder;
	/* let symbols -> expanded values, for the expanded result */
	idmemo exp;
	idmemo let_exp;		/* let symbol (by id) -> expanded value */
	size_t nlet;
	gb_backward *out;
	size_t evcap, letcap;
} bw;

static bool fail_rule(bw *b, const gb_node *n, const char *what)
{
	gb_error(b->ctx, NULL, (gb_span){ 0, 0 },
		 "cannot take the gradient through %s", what);
	(void)n;
	return false;
}

/*
 * The program graph: a node's children, except that a named
 * intermediate's symbol has one child, its definition (named form), and
 * x has none.
 */
static uint32_t nkids(const bw *b, const gb_node *n)
{
	if (n == b->x)
		return 0;
	if (n->kind == GB_SYM)
		return name_of(&b->defs, n) ? 1 : 0;
	return n->nargs;
}

static const gb_node *kid(const bw *b, const gb_node *n, uint32_t i)
{
	return n->kind == GB_SYM ? name_of(&b->defs, n) : n->arg[i];
}

/* Post-order of the nodes of l that depend on x, by an explicit stack. */
static bool topo(bw *b, const gb_node *l)
{
	gb_ctx *ctx = b->ctx;
	const gb_node **stack;
	uint32_t *next;
	size_t sp = 0, cap = 64;

	stack = gb_mem_alloc(&ctx->mem, cap * sizeof *stack);
	next = gb_mem_alloc(&ctx->mem, cap * sizeof *next);
	b->order = gb_mem_alloc(&ctx->mem, b->cap * sizeof *b->order);
	if (!stack || !next || !b->order)
		goto oom;
	stack[sp] = l;
	next[sp++] = 0;
	b->state[l->id] = 1;
	while (sp) {
		const gb_node *n = stack[sp - 1];
		uint32_t i = next[sp - 1];

		if (i < nkids(b, n)) {
			const gb_node *c = kid(b, n, i);

			next[sp - 1]++;
			if (b->state[c->id])
				continue;
			if (sp == cap) {
				cap *= 2;
				stack = gb_mem_realloc(&ctx->mem, stack,
						       cap * sizeof *stack);
				next = gb_mem_realloc(&ctx->mem, next,
						      cap * sizeof *next);
				if (!stack || !next)
					goto oom;
			}
			b->state[c->id] = 1;
			stack[sp] = c;
			next[sp++] = 0;
			continue;
		}
		/* all children done */
		b->dep[n->id] = n == b->x;
		for (uint32_t k = 0; k < nkids(b, n); k++)
			if (b->dep[kid(b, n, k)->id])
				b->dep[n->id] = 1;
		b->state[n->id] = 2;
		if (b->dep[n->id])
			b->order[b->norder++] = n;
		sp--;
	}
	gb_mem_free(&ctx->mem, stack);
	gb_mem_free(&ctx->mem, next);
	return true;
oom:
	gb_mem_free(&ctx->mem, stack);
	gb_mem_free(&ctx->mem, next);
	ctx->oom = true;
	return false;
}

static bool add_adj(bw *b, const gb_node *c, const gb_node *v)
{
	if (!v)
		return false;
	b->adj[c->id] = b->adj[c->id] ? gb_add2(b->ctx, b->adj[c->id], v) : v;
	return b->adj[c->id] != NULL;
}

/*
 * The contribution of node n with adjoint a to its i-th child (NULL
 * with *none when it gives none, NULL alone on failure).
 */
static const gb_node *rule(bw *b, const gb_node *n, const gb_node *a,
			   uint32_t i, bool *none)
{
	gb_ctx *ctx = b->ctx;
	const gb_node *c = kid(b, n, i), *r = NULL, **v;

	*none = false;
	if (n->kind == GB_SYM)		/* a name: its definition gets a */
		return a;
	switch ((gb_kind)n->kind) {
	case GB_ADD:
		return reduce(ctx, a, c);
	case GB_MUL:
		v = gb_mem_alloc(&ctx->mem, n->nargs * sizeof *v);
		if (!v)
			return gb_ctx_oom(ctx);
		memcpy(v, n->arg, n->nargs * sizeof *v);
		v[i] = ctx->one;
		r = gb_mul(ctx, n->nargs, v);	/* the other factors */
		gb_mem_free(&ctx->mem, v);
		if (!gb_is_scalar(c))
			return gb_mul2(ctx, a, r);
		return reduce(ctx, gb_hadamard(ctx, a, r), c);
	case GB_HADAMARD:
		r = a;
		for (uint32_t k = 0; k < n->nargs; k++)
			if (k != i)
				r = gb_hadamard(ctx, r, n->arg[k]);
		return r;
	case GB_MATMUL:
		a = full(ctx, a, n->shape);
		if (i == 0)	/* A B' */
			return gb_matmul(ctx, a, gb_transpose(ctx, n->arg[1]));
		return gb_matmul(ctx, gb_transpose(ctx, n->arg[0]), a);
	case GB_TRANSPOSE:
		return gb_transpose(ctx, a);
	case GB_POW:
		if (i == 0) {	/* c u.^(c - 1) */
			r = gb_mul2(ctx, n->arg[1],
				    gb_pow(ctx, c, gb_sub(ctx, n->arg[1],
							  ctx->one)));
			return gb_hadamard(ctx, a, r);
		}
		/* d(u^v)/dv = u^v log u */
		return reduce(ctx, gb_hadamard(ctx, a, gb_hadamard(ctx, n,
					gb_call1(ctx, GB_FN_LOG, n->arg[0]))), c);
	case GB_CALL:
		switch ((gb_fn)n->fn) {
		case GB_FN_SUM:
			return a;
		case GB_FN_TR:
			return gb_mul2(ctx, a, gb_call1(ctx, GB_FN_EYE,
					gb_dim_node(ctx, c->shape.rows)));
		case GB_FN_DIAG:
			return gb_call1(ctx, GB_FN_DIAG, full(ctx, a, n->shape));
		case GB_FN_MAX:
		case GB_FN_MIN:
			fail_rule(b, n, "max or min (write relu or piecewise)");
			return NULL;
		case GB_FN_STEP:
		case GB_FN_SIGN:
			*none = true;	/* zero where defined */
			return NULL;
		default:
			r = gb_backward_local(ctx, n);
			if (!r) {
				fail_rule(b, n, "this element-wise function");
				return NULL;
			}
			return gb_hadamard(ctx, a, r);
		}
	case GB_PIECEWISE: {
		/* the value branch i gets a where its branch holds */
		bool other = n->nargs % 2 == 1;
		bool is_value = i % 2 == 1 || (other && i == n->nargs - 1);

		if (!is_value) {
			*none = true;
			return NULL;
		}
		if (!gb_is_scalar(n)) {
			fail_rule(b, n, "a non-scalar piecewise expression");
			return NULL;
		}
		v = gb_mem_alloc(&ctx->mem, n->nargs * sizeof *v);
		if (!v)
			return gb_ctx_oom(ctx);
		for (uint32_t k = 0; k < n->nargs; k++) {
			bool val = k % 2 == 1 || (other && k == n->nargs - 1);

			v[k] = !val ? n->arg[k] : k == i ? a : ctx->zero;
		}
		r = gb_piecewise(ctx, n->nargs, v);
		gb_mem_free(&ctx->mem, v);
		return r;
	}
	case GB_MATRIX:
		if (a->kind == GB_MATRIX)
			return a->arg[i];
		fail_rule(b, n, "a matrix written entry by entry");
		return NULL;
	case GB_CMP:
	case GB_AND:
	case GB_OR:
	case GB_NUM:
	case GB_CONST:
	case GB_SYM:
	case GB_NKINDS:
		break;
	}
	*none = true;
	return NULL;
}

/* An adjoint short enough to repeat: a symbol, a number, c*symbol. */
static bool atomic(const gb_node *a)
{
	if (a->kind == GB_SYM || a->kind == GB_NUM)
		return true;
	return a->kind == GB_MUL && a->nargs == 2 && a->arg[0]->kind == GB_NUM &&
	       a->arg[1]->kind == GB_SYM;
}

/* A named intermediate's value, or a let symbol's expanded value. */
static const gb_node *exp_repl(void *arg, const gb_node *e)
{
	bw *b = arg;

	const gb_node *r;

	if (e->kind != GB_SYM)
		return NULL;
	if ((r = memo_get(&b->let_exp, e)))
		return r;
	return name_of(&b->vals, e);
}

/* An adjoint in the inputs only (a DAG: nothing repeats). */
static const gb_node *expand(bw *b, const gb_node *a)
{
	return rewrite(b->ctx, a, &b->exp, exp_repl, b);
}

/* An adjoint with the definitions' nodes written by name. */
static const gb_node *fold(bw *b, const gb_node *a)
{
	return rewrite(b->ctx, a, &b->fold, fold_repl, &b->names);
}

/* A fresh let symbol NAMEhat for the adjoint of a named intermediate. */
static const gb_node *let_symbol(bw *b, const gb_node *named)
{
	gb_ctx *ctx = b->ctx;
	const gb_sym *s = named->u.sym;
	char buf[160];
	gb_sym *h;
	int k;

	for (int t = 0; t < 100; t++) {
		k = t ? snprintf(buf, sizeof buf, "%.100shat%d", s->name, t) :
			snprintf(buf, sizeof buf, "%.100shat", s->name);
		if (k < 0 || (size_t)k >= sizeof buf)
			return NULL;
		h = gb_sym_intern(ctx, buf, (size_t)k);
		if (!h)
			return NULL;
		if (h->shape.rows == 1 && h->shape.cols == 1 &&
		    !(h->id < ctx->nbind && ctx->bind[h->id]) &&
		    !gb_assigned(ctx, h->name)) {
			/* free (or a hat symbol the user never gave a shape) */
			h->shape = named->shape;
			return gb_sym_node(ctx, h);
		}
		if (h->shape.rows == named->shape.rows &&
		    h->shape.cols == named->shape.cols &&
		    !(h->id < ctx->nbind && ctx->bind[h->id]) &&
		    !gb_assigned(ctx, h->name)) {
			/* used in L already?  then take another name */
			const gb_node *hn = gb_sym_node(ctx, h);

			if (!hn)
				return NULL;
			if (!memo_get(&b->let_exp, hn) &&
			    !gb_depends(ctx, b->out->l, hn))
				return hn;
		}
	}
	return NULL;
}

static bool push_event(bw *b, const gb_bwd_event *e)
{
	gb_backward *o = b->out;

	if (o->nev == b->evcap) {
		size_t cap = b->evcap ? 2 * b->evcap : 64;
		gb_bwd_event *v = gb_ctx_alloc(b->ctx, cap * sizeof *v);

		if (!v)
			return false;
		if (o->nev)
			memcpy(v, o->ev, o->nev * sizeof *v);
		o->ev = v;
		b->evcap = cap;
	}
	o->ev[o->nev++] = *e;
	return true;
}

static bool push_let(bw *b, const gb_node *sym, const gb_node *named_value,
		     const gb_node *expanded)
{
	gb_backward *o = b->out;

	if (b->nlet == b->letcap) {
		size_t cap = b->letcap ? 2 * b->letcap : 16;
		gb_bwd_let *l = gb_ctx_alloc(b->ctx, cap * sizeof *l);

		if (!l)
			return false;
		if (b->nlet)
			memcpy(l, o->lets, b->nlet * sizeof *l);
		o->lets = l;
		b->letcap = cap;
	}
	o->lets[b->nlet].sym = sym;
	o->lets[b->nlet].value = named_value;
	memo_put(&b->let_exp, sym, expanded);
	if (b->let_exp.failed)
		return false;
	b->nlet++;
	o->nlets = b->nlet;
	return true;
}

/* Node n with its full adjoint: maybe a let, then its rule. */
static bool visit(bw *b, const gb_node *n)
{
	gb_ctx *ctx = b->ctx;
	const gb_node *a = b->adj[n->id];
	gb_bwd_event ev;
	uint32_t ndep = 0;

	memset(&ev, 0, sizeof ev);
	ev.n = n;
	ev.named = n->kind == GB_SYM && nkids(b, n) ? n : NULL;
	if (ev.named) {
		/* the adjoint is used once per dependent child of the
		 * definition: twice in y = x + z, so y gets a let */
		const gb_node *def = kid(b, n, 0);

		for (uint32_t i = 0; i < nkids(b, def); i++)
			ndep += b->dep[kid(b, def, i)->id];
	}
	if (ev.named && !atomic(a) && (ndep > 1 || a->size > 60)) {
		const gb_node *s = let_symbol(b, ev.named);

		if (!s || !push_let(b, s, fold(b, a), expand(b, a)))
			return false;
		ev.let = a;
		a = s;
	}
	ev.adj = a;
	ev.child = gb_ctx_alloc(ctx, (nkids(b, n) + 1) * sizeof *ev.child);
	ev.contrib = gb_ctx_alloc(ctx, (nkids(b, n) + 1) * sizeof *ev.contrib);
	if (!ev.child || !ev.contrib)
		return false;
	for (uint32_t i = 0; i < nkids(b, n); i++) {
		const gb_node *c = kid(b, n, i), *r;
		bool none;

		if (!b->dep[c->id])
			continue;
		r = rule(b, n, a, i, &none);
		if (none)
			continue;
		if (!r || !add_adj(b, c, r))
			return false;
		ev.child[ev.nc] = c;
		ev.contrib[ev.nc++] = r;
	}
	return push_event(b, &ev);
}

gb_status gb_backward_run(gb_ctx *ctx, const gb_node *l, const gb_node *x,
			  gb_backward *out)
{
	bw b;
	gb_status st = GB_OK;
	const gb_node *g;
	char sh[96];

	if (!ctx || !l || !x || !out || x->kind != GB_SYM)
		return GB_EUSAGE;
	memset(out, 0, sizeof *out);
	out->l = l;
	out->x = x;
	if (!gb_is_scalar(l)) {
		gb_shape_str(ctx, sh, sizeof sh, l->shape);
		gb_error(ctx, NULL, (gb_span){ 0, 0 },
			 "a gradient needs a scalar function, but this one is %s",
			 sh);
		return GB_ESHAPE;
	}
	memset(&b, 0, sizeof b);
	b.ctx = ctx;
	b.x = x;
	b.out = out;
	b.exp.mem = &ctx->mem;
	b.fold.mem = &ctx->mem;
	b.let_exp.mem = &ctx->mem;
	if (!names_load(ctx, &b.names, &b.defs, &b.vals)) {
		st = GB_ENOMEM;
		goto out;
	}
	/* L in the named intermediates, the root of the program graph */
	if (!(l = fold(&b, l))) {
		st = GB_ENOMEM;
		goto out;
	}
	out->l = l;
	b.cap = ctx->next_id;
	b.adj = gb_mem_alloc(&ctx->mem, b.cap * sizeof *b.adj);
	b.state = gb_mem_alloc(&ctx->mem, b.cap);
	b.dep = gb_mem_alloc(&ctx->mem, b.cap);
	if (!b.adj || !b.state || !b.dep) {
		st = GB_ENOMEM;
		goto out;
	}
	memset(b.adj, 0, b.cap * sizeof *b.adj);
	memset(b.state, 0, b.cap);
	memset(b.dep, 0, b.cap);
	if (!topo(&b, l)) {
		st = GB_ENOMEM;
		goto out;
	}
	if (b.norder && b.order[b.norder - 1] == l) {
		b.adj[l->id] = ctx->one;
		/* reverse post-order: every parent before its children */
		for (size_t k = b.norder; k-- > 0;) {
			const gb_node *n = b.order[k];

			if (n == x || !b.adj[n->id])
				continue;
			if (!visit(&b, n)) {
				st = gb_ctx_status(ctx) ? gb_ctx_status(ctx) :
				     ctx->nerrors ? GB_EUSAGE : GB_ENOMEM;
				goto out;
			}
		}
	}
	g = b.norder ? b.adj[x->id] : NULL;
	if (!g)		/* L does not depend on X */
		g = gb_is_scalar(x) ? ctx->zero :
		    gb_mul2(ctx, ctx->zero, ones_of(ctx, x->shape));
	g = full(ctx, g, x->shape);
	out->grad = fold(&b, g);
	out->expanded = expand(&b, g);
	if (!out->grad || !out->expanded)
		st = gb_ctx_status(ctx) ? gb_ctx_status(ctx) : GB_ENOMEM;
out:
	names_free(ctx, &b.names);
	names_free(ctx, &b.defs);
	names_free(ctx, &b.vals);
	gb_mem_free(&ctx->mem, b.fold.v);
	gb_mem_free(&ctx->mem, b.adj);
	gb_mem_free(&ctx->mem, b.state);
	gb_mem_free(&ctx->mem, b.dep);
	gb_mem_free(&ctx->mem, b.order);
	gb_mem_free(&ctx->mem, b.exp.v);
	gb_mem_free(&ctx->mem, b.let_exp.v);
	return st;
}

const gb_node *gb_grad_hook_fn(gb_ctx *ctx, const gb_node *l,
			       const gb_node *x)
{
	gb_backward r;

	if (gb_backward_run(ctx, l, x, &r) != GB_OK)
		return NULL;
	return r.expanded;
}

/* ------------------------------------------------------- public API */

gb_status gb_backprop(gb_ctx *ctx, const gb_node *l, const char *wrt,
		      gb_grad_result *out)
{
	gb_backward r;
	const gb_node *x;
	gb_status st;

	if (!ctx || !l || !wrt || !out)
		return GB_EUSAGE;
	memset(out, 0, sizeof *out);
	if (!(x = gb_symbol(ctx, wrt, strlen(wrt))))
		return GB_ENOMEM;
	if ((st = gb_backward_run(ctx, l, x, &r)) != GB_OK)
		return st;
	out->grad = r.grad;
	out->expanded = r.expanded;
	out->nlets = r.nlets;
	out->let_names = gb_ctx_alloc(ctx, (r.nlets + 1) * sizeof *out->let_names);
	out->let_values = gb_ctx_alloc(ctx, (r.nlets + 1) * sizeof *out->let_values);
	if (!out->let_names || !out->let_values)
		return GB_ENOMEM;
	for (size_t k = 0; k < r.nlets; k++) {
		out->let_names[k] = r.lets[k].sym;
		out->let_values[k] = r.lets[k].value;
	}
	return GB_OK;
}
