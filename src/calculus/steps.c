/*
 * steps.c - derivations from the backward trace (see steps.h).
 *
 * The frontier of the backward pass is a list of entries (node n, the
 * adjoint contributions a_1 .. a_k it has received so far); it stands
 * for the differential
 *
 *   dl = sum over entries, sum over i of  a_i^T dn
 *
 * where dn is written d<name> for a named intermediate or the variable,
 * and as its forward differential otherwise (W dx for n = W x, z ⊙ (1 -
 * z) ⊙ (W dx) for n = sigmoid(W x)). Replaying the trace event by event
 * rewrites one entry at a time: a named intermediate is replaced by its
 * definition (dy = dx + dz), any other node by the contributions its rule
 * gave to its children, which is where a^T (b ⊙ c) = (a ⊙ b)^T c and
 * a^T (W c) = (W^T a)^T c are used. Each line is the frontier after one
 * event, so the derivation shows the computation that gave the result.
 *
 * The text goes through the public printers (gb_latex, gb_print): the
 * derivation is output, and the printers are the one place that knows
 * LaTeX.
 */
#include "calculus/steps.h"

#include <stdio.h>
#include <string.h>

#include "calculus/subst.h"
#include "core/build.h"
#include "core/ctx.h"
#include "core/strbuf.h"
#include "front/diag.h"
#include "front/lower.h"

typedef struct entry {
	const gb_node *n;
	const gb_node **a;
	size_t na, cap;
} entry;

typedef struct st {
	gb_ctx *ctx;
	const gb_backward *bw;
	const gb_steps_opts *o;
	entry *e;
	size_t ne, cap;
	/* placeholders: the symbol standing for d<node> in forward forms */
	const gb_node **ph_for, **ph;
	size_t nph, phcap;
	bool failed;
} st;

static char *show(st *s, const gb_node *e)
{
	const gb_node *f = gb_backward_fold(s->ctx, e);

	if (!f) {
		s->failed = true;
		return NULL;
	}
	return s->o->plain ? gb_print(s->ctx, f) : gb_latex(s->ctx, f);
}

/*
 * Is n a boundary of the forward forms: x, or a named intermediate that
 * depends on it (one that does not has differential 0)?
 */
static bool boundary(const st *s, const gb_node *n)
{
	return n == s->bw->x ||
	       (n->kind == GB_SYM && gb_assigned_named(s->ctx, n->u.sym) &&
		gb_depends(s->ctx, gb_assigned(s->ctx, n->u.sym->name),
			   s->bw->x));
}

/* The placeholder symbol of boundary n (of n's shape). */
static const gb_node *placeholder(st *s, const gb_node *n)
{
	char name[32];
	gb_sym *y;

	for (size_t i = 0; i < s->nph; i++)
		if (s->ph_for[i] == n)
			return s->ph[i];
	if (s->nph == s->phcap) {
		size_t cap = s->phcap ? 2 * s->phcap : 16;
		const gb_node **a = gb_ctx_alloc(s->ctx, cap * sizeof *a);
		const gb_node **b = gb_ctx_alloc(s->ctx, cap * sizeof *b);

		if (!a || !b)
			return NULL;
		if (s->nph) {
			memcpy(a, s->ph_for, s->nph * sizeof *a);
			memcpy(b, s->ph, s->nph * sizeof *b);
		}
		s->ph_for = a;
		s->ph = b;
		s->phcap = cap;
	}
	/* letters only, so both printers write the name as it is */
	snprintf(name, sizeof name, "zzzdiff%c%c", 'a' + (int)(s->nph / 26 % 26),
		 'a' + (int)(s->nph % 26));
	if (!(y = gb_sym_intern(s->ctx, name, strlen(name))))
		return NULL;
	y->shape = n->shape;
	s->ph_for[s->nph] = n;
	s->ph[s->nph] = gb_sym_node(s->ctx, y);
	return s->ph[s->nph++];
}

/*
 * The forward differential of n in the placeholders (NULL: zero). The
 * same local derivatives as the backward pass (gb_backward_local).
 */
static const gb_node *fwd(st *s, const gb_node *n)
{
	gb_ctx *ctx = s->ctx;
	const gb_node *r = NULL, *t;

	/* (no dependency test: in named forms, x hides behind names) */
	if (boundary(s, n))
		return placeholder(s, n);
	switch ((gb_kind)n->kind) {
	case GB_ADD:
		for (uint32_t i = 0; i < n->nargs; i++)
			if ((t = fwd(s, n->arg[i])))
				r = r ? gb_add2(ctx, r, t) : t;
		return r;
	case GB_MUL:
	case GB_HADAMARD:
		for (uint32_t i = 0; i < n->nargs; i++) {
			const gb_node *p;

			if (!(t = fwd(s, n->arg[i])))
				continue;
			p = t;
			for (uint32_t j = 0; j < n->nargs; j++)
				if (j != i)
					p = n->kind == GB_MUL ?
					    gb_mul2(ctx, n->arg[j], p) :
					    gb_hadamard(ctx, n->arg[j], p);
			r = r ? gb_add2(ctx, r, p) : p;
		}
		return r;
	case GB_MATMUL:
		if ((t = fwd(s, n->arg[0])))
			r = gb_matmul(ctx, t, n->arg[1]);
		if ((t = fwd(s, n->arg[1])))
			t = gb_matmul(ctx, n->arg[0], t);
		return r && t ? gb_add2(ctx, r, t) : r ? r : t;
	case GB_TRANSPOSE:
		return (t = fwd(s, n->arg[0])) ? gb_transpose(ctx, t) : NULL;
	case GB_POW:
		if (!(t = fwd(s, n->arg[0])))
			return NULL;
		return gb_hadamard(ctx, gb_mul2(ctx, n->arg[1],
				   gb_pow(ctx, n->arg[0], gb_sub(ctx, n->arg[1],
								 ctx->one))), t);
	case GB_CALL:
		if (!(t = fwd(s, n->arg[0])))
			return NULL;
		switch ((gb_fn)n->fn) {
		case GB_FN_SUM:
		case GB_FN_TR:
		case GB_FN_DIAG:
			return gb_call1(ctx, (gb_fn)n->fn, t);
		default:
			r = gb_backward_local(ctx, n);
			return r ? gb_hadamard(ctx, r, t) : NULL;
		}
	default:
		return NULL;
	}
}

/* Appends text to sb with every placeholder replaced by d<name>. */
static void put_fixed(st *s, gb_strbuf *sb, const char *text)
{
	const char *d = s->o->plain ? "d" : s->o->mathrm_d ? "\\mathrm{d}" : "d";

	while (*text) {
		const char *q = strstr(text, "zzzdiff");

		if (!q) {
			gb_sb_puts(sb, text);
			return;
		}
		/* LaTeX may have wrapped it: \mathbf{zzzdiffab} */
		{
			size_t k = (size_t)(q - text), idx;
			const char *end = q + 9;
			const char *wrap = "\\mathbf{", *wrap2 = "\\mathrm{";
			size_t wl = strlen(wrap);
			bool wrapped = k >= wl && (!strncmp(q - wl, wrap, wl) ||
						   !strncmp(q - wl, wrap2, wl));
			char *name;

			gb_sb_putn(sb, text, wrapped ? k - wl : k);
			idx = (size_t)(q[7] - 'a') * 26 + (size_t)(q[8] - 'a');
			gb_sb_puts(sb, d);
			name = idx < s->nph ? show(s, s->ph_for[idx]) : NULL;
			if (!s->o->plain && name && strchr(name, ' '))
				gb_sb_printf(sb, "(%s)", name);
			else
				gb_sb_puts(sb, name ? name : "?");
			gb_free(name);
			if (wrapped && *end == '}')
				end++;
			text = end;
		}
	}
}

/* "a^T dn" (a scalar n: "a dn"), into sb. */
static void put_term(st *s, gb_strbuf *sb, const gb_node *a,
		     const gb_node *n)
{
	const char *tr = s->o->plain ? "'" : s->o->transpose_t ? "^T" : "^\\top";
	const gb_node *dn = fwd(s, n);
	char *as = show(s, a), *ds;
	bool atom_a = a->kind == GB_SYM || (a->kind == GB_NUM && !gb_is_negative_num(a));
	bool scalar = gb_is_scalar(n);
	/* a matrix differential pairs by the trace: tr(A^T dW) */
	bool matrix = n->shape.cols != 1 && n->shape.rows != 1;

	if (!dn || !as) {
		gb_free(as);
		s->failed = true;
		return;
	}
	ds = show(s, dn);
	if (!ds) {
		gb_free(as);
		s->failed = true;
		return;
	}
	if (scalar) {
		if (!gb_is_one(a))
			gb_sb_printf(sb, atom_a ? "%s" : "(%s)", as);
		if (!gb_is_one(a))
			gb_sb_puts(sb, s->o->plain ? "*" : " \\, ");
	} else if (gb_is_scalar(a)) {	/* a broadcast: a 1^T dn */
		if (!gb_is_one(a))
			gb_sb_printf(sb, atom_a ? "%s " : "(%s) ", as);
		gb_sb_printf(sb, "%s%s ", s->o->plain ? "ones" : "\\mathbf{1}", tr);
	} else {
		if (matrix)
			gb_sb_puts(sb, s->o->plain ? "tr(" : "\\operatorname{tr}(");
		gb_sb_printf(sb, atom_a ? "%s%s " : "(%s)%s ", as, tr);
	}
	if (dn->kind == GB_SYM || (!strchr(ds, ' ') && !strchr(ds, '+')))
		put_fixed(s, sb, ds);
	else {
		gb_sb_putc(sb, '(');
		put_fixed(s, sb, ds);
		gb_sb_putc(sb, ')');
	}
	if (matrix && !scalar && !gb_is_scalar(a))
		gb_sb_putc(sb, ')');
	gb_free(as);
	gb_free(ds);
}

static void put_frontier(st *s, gb_strbuf *sb)
{
	bool first = true;

	for (size_t i = 0; i < s->ne; i++)
		for (size_t k = 0; k < s->e[i].na; k++) {
			if (!first)
				gb_sb_puts(sb, " + ");
			first = false;
			put_term(s, sb, s->e[i].a[k], s->e[i].n);
		}
	if (first)
		gb_sb_putc(sb, '0');
}

static entry *find(st *s, const gb_node *n)
{
	for (size_t i = 0; i < s->ne; i++)
		if (s->e[i].n == n)
			return &s->e[i];
	return NULL;
}

static bool add_contrib(st *s, size_t at, const gb_node *n, const gb_node *a)
{
	entry *e = find(s, n);

	if (!e) {
		if (s->ne == s->cap) {
			size_t cap = s->cap ? 2 * s->cap : 16;
			entry *v = gb_ctx_alloc(s->ctx, cap * sizeof *v);

			if (!v)
				return false;
			if (s->ne)
				memcpy(v, s->e, s->ne * sizeof *v);
			s->e = v;
			s->cap = cap;
		}
		if (at > s->ne)
			at = s->ne;
		memmove(&s->e[at + 1], &s->e[at], (s->ne - at) * sizeof *s->e);
		e = &s->e[at];
		memset(e, 0, sizeof *e);
		e->n = n;
		s->ne++;
	}
	if (e->na == e->cap) {
		size_t cap = e->cap ? 2 * e->cap : 4;
		const gb_node **v = gb_ctx_alloc(s->ctx, cap * sizeof *v);

		if (!v)
			return false;
		if (e->na)
			memcpy(v, e->a, e->na * sizeof *v);
		e->a = v;
		e->cap = cap;
	}
	e->a[e->na++] = a;
	return true;
}

/* One aligned line "&= <frontier> \\" (the first: "d\ell &= ..."). */
static void line(st *s, gb_strbuf *out, gb_strbuf *prev, bool first)
{
	gb_strbuf sb;

	gb_sb_init(&sb, NULL);
	put_frontier(s, &sb);
	if (!strcmp(gb_sb_str(&sb), gb_sb_str(prev))) {
		gb_sb_free(&sb);
		return;
	}
	gb_sb_reset(prev);
	gb_sb_puts(prev, gb_sb_str(&sb));
	if (s->o->plain)
		gb_sb_printf(out, "%s %s\n", first ? "dl =" : "   =",
			     gb_sb_str(&sb));
	else
		gb_sb_printf(out, "%s &= %s \\\\\n",
			     first ? (s->o->mathrm_d ? "\\mathrm{d}\\ell" : "d\\ell") : "",
			     gb_sb_str(&sb));
	gb_sb_free(&sb);
}

/* Merges entry n's contributions into one (its full adjoint a). */
static void collect(st *s, gb_strbuf *out, gb_strbuf *prev,
		    const gb_node *n, const gb_node *a)
{
	entry *e = find(s, n);

	if (!e || e->na < 2)
		return;
	e->a[0] = a;
	e->na = 1;
	line(s, out, prev, false);
}

char *gb_steps_render(gb_ctx *ctx, const gb_backward *bw,
		      const gb_steps_opts *o)
{
	static const gb_steps_opts dflt;
	st s;
	gb_strbuf out, prev;
	char *res = NULL, *g, *xs;
	entry *ex;

	memset(&s, 0, sizeof s);
	s.ctx = ctx;
	s.bw = bw;
	s.o = o ? o : &dflt;
	gb_sb_init(&out, NULL);
	gb_sb_init(&prev, NULL);
	if (!s.o->plain)
		gb_sb_puts(&out, "\\begin{aligned}\n");
	if (bw->nev && !add_contrib(&s, 0, bw->ev[0].n, ctx->one))
		goto out;
	for (size_t k = 0; k < bw->nev && !s.failed; k++) {
		const gb_bwd_event *ev = &bw->ev[k];
		entry *e = find(&s, ev->n);
		size_t at;

		if (!e)
			continue;
		collect(&s, &out, &prev, ev->n, ev->let ? ev->let : ev->adj);
		e = find(&s, ev->n);
		at = (size_t)(e - s.e);
		memmove(e, e + 1, (s.ne - at - 1) * sizeof *e);
		s.ne--;
		for (size_t i = 0; i < ev->nc; i++)
			if (!add_contrib(&s, at + i, ev->child[i], ev->contrib[i]))
				goto out;
		line(&s, &out, &prev, k == 0);
	}
	ex = find(&s, bw->x);
	if (ex && ex->na > 1)
		collect(&s, &out, &prev, bw->x, bw->grad);
	if (s.failed)
		goto out;
	g = show(&s, bw->grad);
	xs = show(&s, bw->x);
	if (!g || !xs) {
		gb_free(g);
		gb_free(xs);
		goto out;
	}
	if (s.o->plain)
		gb_sb_printf(&out, "=> dl/d%s = %s\n", xs, g);
	else
		gb_sb_printf(&out, "\\Rightarrow \\frac{\\partial \\ell}{\\partial %s} &= %s\n",
			     xs, g);
	for (size_t k = 0; k < bw->nlets; k++) {
		char *n = show(&s, bw->lets[k].sym), *v = show(&s, bw->lets[k].value);

		if (n && v)
			gb_sb_printf(&out, s.o->plain ? "where %s = %s\n" :
				     "\\\\ \\text{where } %s &= %s\n", n, v);
		gb_free(n);
		gb_free(v);
	}
	gb_free(g);
	gb_free(xs);
	if (!s.o->plain)
		gb_sb_puts(&out, "\\end{aligned}");
	{
		/* notation switches on the finished text */
		const char *t = gb_sb_str(&out);
		gb_strbuf fin;

		gb_sb_init(&fin, NULL);
		while (*t) {
			if (s.o->circ && !strncmp(t, "\\odot", 5)) {
				gb_sb_puts(&fin, "\\circ");
				t += 5;
			} else if (s.o->transpose_t && !strncmp(t, "^\\top", 5)) {
				gb_sb_puts(&fin, "^T");
				t += 5;
			} else if (s.o->no_bold && !strncmp(t, "\\mathbf{", 8)) {
				/* \mathbf{x} -> x */
				const char *c = strchr(t + 8, '}');

				if (!c)
					break;
				gb_sb_putn(&fin, t + 8, (size_t)(c - t - 8));
				t = c + 1;
			} else {
				gb_sb_putc(&fin, *t++);
			}
		}
		res = gb_sb_take(&fin);
	}
out:
	gb_sb_free(&out);
	gb_sb_free(&prev);
	if (!res && !ctx->nerrors)
		gb_error(ctx, NULL, (gb_span){ 0, 0 },
			 "could not write this derivation");
	return res;
}

char *gb_backprop_steps(gb_ctx *ctx, const gb_node *l, const char *wrt,
			const gb_steps_opts *o)
{
	gb_backward r;
	const gb_node *x;

	if (!ctx || !l || !wrt)
		return NULL;
	if (!(x = gb_symbol(ctx, wrt, strlen(wrt))))
		return NULL;
	if (gb_backward_run(ctx, l, x, &r) != GB_OK)
		return NULL;
	return gb_steps_render(ctx, &r, o);
}
