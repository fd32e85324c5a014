/*
 * run.c - running the statements of an expression file (see run.h).
 *
 * Program statements (declarations, definitions, assignments) go to the
 * lowering one at a time, so a failure stops only its own statement.
 * Queries are run here, each by the function of its mode; every one
 * writes its result into two buffers, plain and LaTeX, which become the
 * item's strings. Assignments are remembered in order: derivations print
 * in terms of these named intermediates (z, not sigmoid(W*x)), as the
 * homework's backward formulas do.
 */
#include "jobs/run.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "calculus/subst.h"
#include "core/build.h"
#include "core/ctx.h"
#include "core/strbuf.h"
#include "front/diag.h"
#include "front/lower.h"
#include "front/parse.h"
#include "numeric/eval.h"
#include "output/print.h"

/* At most this many depths are sampled for a stack plot. */
enum { STACK_SAMPLES = 48 };

typedef struct runner {
	gb_ctx *ctx;
	const gb_source *src;
	gb_strbuf plain, latex, shortl;
	/* the assignments run so far: their symbols and values, in order */
	const gb_node **asym, **aval;
	size_t nassign, acap;
} runner;

/* ------------------------------------------------------------- helpers */

/* The buffer's text copied into the context (NULL: out of memory). */
static const char *keep(gb_ctx *ctx, gb_strbuf *sb)
{
	const char *s = gb_sb_ok(sb) ? gb_arena_strndup(&ctx->arena,
			gb_sb_str(sb), strlen(gb_sb_str(sb))) : NULL;

	if (!s)
		ctx->oom = true;
	gb_sb_reset(sb);
	return s;
}

static const char *node_str(runner *r, const gb_node *n, bool latex)
{
	char *s;
	const char *k;

	if (n && n->size > GB_PRINT_MAX_TREE)	/* said, not an error */
		return latex ? "\\text{(too large to write out)}" :
			       "(too large to write out: as a tree, over 4 million nodes)";
	s = n ? (latex ? gb_latex(r->ctx, n) : gb_print(r->ctx, n)) : NULL;

	if (!s)
		return "?";
	k = gb_arena_strndup(&r->ctx->arena, s, strlen(s));
	gb_free(s);
	return k ? k : "?";
}

/* Is the syntax tree `a` the name `name`? */
static bool ast_is_name(const gb_ast *a)
{
	return a && a->kind == AST_NAME;
}

/* Is a the call diff(f, x) (or diff(f, x, 1))? */
static bool is_diff_call(const gb_ast *a)
{
	return a && a->kind == AST_CALL && a->text_len == 4 &&
	       memcmp(a->text, "diff", 4) == 0 &&
	       (a->nargs == 2 || a->nargs == 3) && ast_is_name(a->args[1]);
}

static const gb_node *lower(runner *r, const gb_ast *a)
{
	return gb_lower_expr(r->ctx, r->src, a);
}

/*
 * How a derivative is written on the left of '=': \frac{\partial
 * \sigma_{1}}{\partial x} when f is a named function applied to x,
 * else \frac{\partial}{\partial x} \bigl(f\bigr).
 */
static void put_dlhs(runner *r, gb_strbuf *sb, const gb_ast *d, bool latex)
{
	const gb_ast *f = d->args[0];
	const char *x = d->args[1]->text;

	if (!latex) {
		gb_sb_printf(sb, "d/d%s ", x);
		gb_sb_putn(sb, r->src->text + f->span.off, f->span.len);
		return;
	}
	if (f->kind == AST_CALL && f->nargs == 1) {
		const gb_node *n = gb_symbol(r->ctx, f->text, f->text_len);

		gb_sb_printf(sb, "\\frac{\\partial %s}{\\partial %s}",
			     n ? node_str(r, n, true) : f->text,
			     node_str(r, gb_symbol(r->ctx, x, strlen(x)), true));
		return;
	}
	gb_sb_printf(sb, "\\frac{\\partial}{\\partial %s}\\Bigl(", x);
	{
		const gb_node *fn = lower(r, f);

		gb_sb_puts(sb, fn ? node_str(r, fn, true) : "?");
	}
	gb_sb_puts(sb, "\\Bigr)");
}

/*
 * An environment for evaluation: the context's bound values with the
 * bindings b[i] = its k-th value on top (k = 0 for single values, or
 * pick[i]). NULL after a diagnostic.
 */
static const gb_node **make_env(runner *r, const gb_binding *b, size_t nb,
				const size_t *pick, size_t *nenv)
{
	gb_ctx *ctx = r->ctx;
	size_t n = ctx->nbind;
	const gb_node **env;
	gb_sym **syms = gb_ctx_alloc(ctx, (nb + 1) * sizeof *syms);

	if (!syms)
		return NULL;
	for (size_t i = 0; i < nb; i++) {
		syms[i] = gb_sym_intern(ctx, b[i].name, strlen(b[i].name));
		if (!syms[i])
			return NULL;
		if (syms[i]->id + 1 > n)
			n = syms[i]->id + 1;
	}
	env = gb_ctx_alloc(ctx, (n + 1) * sizeof *env);
	if (!env)
		return NULL;
	memset(env, 0, (n + 1) * sizeof *env);
	if (ctx->nbind)
		memcpy(env, ctx->bind, ctx->nbind * sizeof *env);
	for (size_t i = 0; i < nb; i++) {
		const gb_ast *va = b[i].values[pick ? pick[i] : 0];
		const gb_node *v = lower(r, va);

		if (!v)
			return NULL;
		if (v->kind != GB_NUM && v->kind != GB_MATRIX) {
			gb_error(ctx, r->src, va->span,
				 "the value of '%s' must be a number",
				 b[i].name);
			return NULL;
		}
		env[syms[i]->id] = v;
	}
	*nenv = n;
	return env;
}

/* e evaluated in env to `digits` digits; NULL after a diagnostic. */
static gb_value *eval_in(runner *r, const gb_node *e, const gb_node **env,
			 size_t nenv, long digits)
{
	gb_value *v = NULL;

	if (gb_eval_env(r->ctx, e, env, nenv, digits, &v) != GB_OK)
		return NULL;
	return v;
}

/*
 * A decimal string "d.ddde-N" in LaTeX: plain decimals for exponents
 * from -3 to 2, else d.dd \times 10^{N}.
 */
static void put_sci_latex(gb_strbuf *sb, const char *s)
{
	const char *e = strchr(s, 'e');
	long ex = 0;
	bool neg = s[0] == '-';
	const char *m = neg ? s + 1 : s;

	if (!e) {
		gb_sb_puts(sb, s);
		return;
	}
	ex = strtol(e + 1, NULL, 10);
	if (neg)
		gb_sb_putc(sb, '-');
	if (ex >= -3 && ex <= 2) {
		char digits[64];
		size_t nd = 0;

		for (const char *q = m; q < e && nd + 1 < sizeof digits; q++)
			if (*q >= '0' && *q <= '9')
				digits[nd++] = *q;
		digits[nd] = '\0';
		if (ex < 0) {
			gb_sb_puts(sb, "0.");
			for (long i = 1; i < -ex; i++)
				gb_sb_putc(sb, '0');
			gb_sb_puts(sb, digits);
		} else {
			for (size_t i = 0; i < nd; i++) {
				gb_sb_putc(sb, digits[i]);
				if ((long)i == ex && i + 1 < nd)
					gb_sb_putc(sb, '.');
			}
			for (long i = (long)nd; i <= ex; i++)
				gb_sb_putc(sb, '0');
		}
		return;
	}
	gb_sb_putn(sb, m, (size_t)(e - m));
	gb_sb_printf(sb, " \\times 10^{%ld}", ex);
}

/* A value as text (plain) and as LaTeX (latex); false after a failure. */
static bool put_value(gb_strbuf *plain, gb_strbuf *latex, const gb_value *v,
		      long digits)
{
	char *s = gb_value_str(v, digits);

	if (!s)
		return false;
	if (plain)
		gb_sb_puts(plain, s);
	if (latex)
		put_sci_latex(latex, s);
	gb_free(s);
	return true;
}

/* ------------------------------------------------------------ values */

/*
 * The rows a derivative's cases lack: where it does not exist. Each
 * kink without condition is undefined there; one with a condition (ELU:
 * alpha == 1) is undefined there unless the condition holds.
 */
static void put_undefined_rows(runner *r, gb_strbuf *sb, const gb_kink *k,
			       size_t nk, const char *x)
{
	for (size_t i = 0; i < nk; i++) {
		gb_sb_printf(sb, " \\\\ \\text{undefined} & \\text{if } %s = %s",
			     x, node_str(r, k[i].at, true));
		if (k[i].cond) {
			const gb_node *c = k[i].cond;
			const gb_node *neg = NULL;

			if (c->kind == GB_CMP && c->op == GB_OP_EQ)
				neg = gb_cmp(r->ctx, GB_OP_NE, c->arg[0],
					     c->arg[1]);
			if (neg)
				gb_sb_printf(sb, ",\\ %s",
					     node_str(r, neg, true));
			else
				gb_sb_printf(sb, " \\text{ unless } %s",
					     node_str(r, c, true));
		}
	}
}

/* The plain notes on a derivative's kinks. */
static void put_kink_notes(runner *r, const gb_kink *k, size_t nk,
			   const char *x)
{
	for (size_t i = 0; i < nk; i++) {
		gb_sb_printf(&r->plain, "\nundefined at %s = %s", x,
			     node_str(r, k[i].at, false));
		if (k[i].cond)
			gb_sb_printf(&r->plain, " unless %s",
				     node_str(r, k[i].cond, false));
		gb_sb_printf(&r->plain, " (left derivative %s, right "
			     "derivative %s)", node_str(r, k[i].left, false),
			     node_str(r, k[i].right, false));
	}
}

/*
 * show EXPR / answer "ID" EXPR. A derivative diff(f, x) is written
 * d/dx f = ... with its kinks: in LaTeX, cases gain a row
 * "undefined if x = 0" for each point where it does not exist.
 */
static bool run_value(runner *r, const gb_query *q)
{
	const gb_node *e = lower(r, q->expr);
	const gb_ast *d = is_diff_call(q->expr) ? q->expr : NULL;
	gb_kink *k = NULL;
	size_t nk = 0;
	const char *tex, *end;

	if (!e)
		return false;
	if (d && d->nargs == 2) {
		const gb_node *f = lower(r, d->args[0]);

		if (!f)
			return false;
		nk = gb_kinks(r->ctx, f, e, d->args[1]->text, &k);
	}
	if (d) {
		put_dlhs(r, &r->plain, d, false);
		gb_sb_puts(&r->plain, " = ");
	}
	gb_sb_puts(&r->plain, node_str(r, e, false));
	if (d)
		put_kink_notes(r, k, nk, d->args[1]->text);
	gb_sb_puts(&r->latex, "\\[ ");
	if (d) {
		put_dlhs(r, &r->latex, d, true);
		gb_sb_puts(&r->latex, " = ");
	}
	tex = node_str(r, e, true);
	end = strstr(tex, "\\end{cases}");
	if (nk && end) {
		gb_sb_putn(&r->latex, tex, (size_t)(end - tex));
		put_undefined_rows(r, &r->latex, k, nk, d->args[1]->text);
		gb_sb_printf(&r->latex, " %s", end);
	} else {
		gb_sb_puts(&r->latex, tex);
		for (size_t i = 0; i < nk; i++)
			gb_sb_printf(&r->latex, ",\\quad \\text{undefined "
				     "at } %s = %s", d->args[1]->text,
				     node_str(r, k[i].at, true));
	}
	gb_sb_puts(&r->latex, " \\]");
	return true;
}

/* ------------------------------------------------------------ steps */

/* n with every assignment before `upto` folded back to its name. */
static const gb_node *fold(runner *r, const gb_node *n, size_t upto)
{
	for (size_t i = upto; n && i-- > 0;)
		n = gb_subst(r->ctx, n, r->aval[i], r->asym[i]);
	return n;
}

/* One term of a differential: coef * d(var). */
typedef struct dterm {
	const gb_node *coef;
	size_t var;		/* an assignment index, or nassign for x */
} dterm;

/* The coefficient in LaTeX, parenthesised when it is a sum. */
static void put_coef(runner *r, gb_strbuf *sb, const gb_node *c)
{
	if (gb_is_one(c))
		return;
	if (c->kind == GB_ADD)
		gb_sb_printf(sb, "\\bigl(%s\\bigr)\\,", node_str(r, c, true));
	else
		gb_sb_printf(sb, "%s\\,", node_str(r, c, true));
}

static void put_terms(runner *r, gb_strbuf *sb, const dterm *t, size_t n,
		      const gb_node *x)
{
	for (size_t i = 0; i < n; i++) {
		const gb_node *v = t[i].var < r->nassign ? r->asym[t[i].var] :
				   x;

		if (i)
			gb_sb_puts(sb, " + ");
		put_coef(r, sb, t[i].coef);
		gb_sb_printf(sb, "d%s", node_str(r, v, true));
	}
}

/* Adds c to the coefficient of var in t (a new term if absent). */
static bool add_term(runner *r, dterm *t, size_t *n, const gb_node *c,
		     size_t var)
{
	for (size_t i = 0; i < *n; i++) {
		if (t[i].var == var) {
			t[i].coef = gb_add2(r->ctx, t[i].coef, c);
			return t[i].coef != NULL;
		}
	}
	t[*n].coef = c;
	t[*n].var = var;
	(*n)++;
	return c != NULL;
}

/*
 * The terms of d(e) in the variables e depends on: the assignments
 * before `upto` (by their names) and x. Each coefficient is folded.
 */
static bool differential(runner *r, const gb_node *e, size_t upto,
			 const gb_node *x, const gb_node *scale, dterm *t,
			 size_t *n)
{
	for (size_t j = 0; j <= upto; j++) {
		size_t i = j < upto ? upto - 1 - j : r->nassign;
		const gb_node *v = i < r->nassign ? r->asym[i] : x;
		const gb_node *c;

		if (!gb_depends(r->ctx, e, v))
			continue;
		if (gb_differentiate(r->ctx, e, v->u.sym->name, 1, &c) != GB_OK)
			return false;
		/* every name may appear in a coefficient: z (1 - z) */
		c = fold(r, gb_mul2(r->ctx, scale, c), r->nassign);
		if (!c || !add_term(r, t, n, c, i))
			return false;
	}
	return true;
}

/*
 * grad(E, x) with x a scalar (a vector of dimension 1) is diff(E, x):
 * its derivation is the scalar one. Matrix shapes are left to the
 * matrix calculus.
 */
static bool is_grad_call(runner *r, const gb_ast *a)
{
	gb_sym *s;

	if (!a || a->kind != AST_CALL || a->text_len != 4 ||
	    memcmp(a->text, "grad", 4) != 0 || a->nargs != 2 ||
	    !ast_is_name(a->args[1]))
		return false;
	s = gb_sym_find(r->ctx, a->args[1]->text, a->args[1]->text_len);
	return !s || (s->shape.rows == 1 && s->shape.cols == 1);
}

/* A copy of the call a named diff instead (same arguments and spans). */
static const gb_ast *as_diff(runner *r, const gb_ast *a)
{
	gb_ast *d = gb_ctx_alloc(r->ctx, sizeof *d);

	if (!d)
		return NULL;
	*d = *a;
	d->text = "diff";
	return d;
}

/*
 * steps diff(E, x): the derivation by differentials over the forward
 * program, as the homework writes backprop (scalar form):
 *
 *   dl = yhat dy                 E in terms of the named intermediates
 *      = yhat dx + yhat dz       (y = x + z)   expand the latest one
 *      = (yhat + W yhat z (1 - z)) dx   (z = sigmoid(W x))
 *   => dl/dx = yhat + W yhat z (1 - z)
 */
/*
 * The short form of an `aligned` derivation (one line per text line,
 * between \begin{aligned} and \end{aligned}) for a box it overflows:
 * its first two and last two lines with a row of dots between them, when
 * it has more than five; nothing (sb untouched) otherwise.
 */
static void shorten_aligned(gb_strbuf *sb, const char *lines)
{
	const char *line[64];
	size_t len[64], n = 0;
	const char *p = strchr(lines, '\n');

	while (p && n < 64) {
		const char *q = strchr(p + 1, '\n');

		if (!q || strncmp(p + 1, "\\end{aligned}", 13) == 0)
			break;
		line[n] = p + 1;
		len[n++] = (size_t)(q - p - 1);
		p = q;
	}
	if (n <= 5 || n == 64)
		return;
	gb_sb_puts(sb, "\\[ \\begin{aligned}\n");
	for (size_t i = 0; i < n; i++) {
		if (i == 2)
			gb_sb_puts(sb, " &= \\cdots \\\\\n");
		if (i >= 2 && i + 2 < n)
			continue;
		gb_sb_putn(sb, line[i], len[i]);
		gb_sb_putc(sb, '\n');
	}
	gb_sb_puts(sb, "\\end{aligned} \\]");
}

/*
 * steps grad(L, X) with a vector or matrix X: the derivation of the
 * backward pass (calculus/steps.c), dl = yhat^T dy = ... => dl/dX, each
 * line one rule application of the computation whose result it ends
 * with. The short form for an overflowing box is the result alone.
 */
static bool run_matrix_steps(runner *r, const gb_ast *call)
{
	const gb_ast *wa = call->args[1];
	const gb_node *l = lower(r, call->args[0]);
	gb_steps_opts plain = { .plain = true };
	gb_steps_opts tex = { .plain = false };
	gb_grad_result g;
	char wrt[128], *lines, *text;

	if (!l || wa->text_len >= sizeof wrt)
		return false;
	memcpy(wrt, wa->text, wa->text_len);
	wrt[wa->text_len] = '\0';
	if (gb_backprop(r->ctx, l, wrt, &g) != GB_OK)
		return false;
	lines = gb_backprop_steps(r->ctx, l, wrt, &tex);
	text = gb_backprop_steps(r->ctx, l, wrt, &plain);
	if (!lines || !text) {
		gb_free(lines);
		gb_free(text);
		return false;
	}
	gb_sb_printf(&r->latex, "\\[ %s \\]", lines);
	shorten_aligned(&r->shortl, lines);
	if (!r->shortl.len)
		gb_sb_printf(&r->shortl, "\\[ \\frac{\\partial \\ell}{\\partial %s} = %s \\]",
			     node_str(r, gb_symbol(r->ctx, wrt, strlen(wrt)), true),
			     node_str(r, g.grad, true));
	gb_sb_puts(&r->plain, text);
	gb_free(lines);
	gb_free(text);
	return true;
}

static bool run_steps(runner *r, const gb_query *q)
{
	const gb_ast *d = q->expr;
	const gb_node *e, *x, *res = NULL;
	dterm *t;
	size_t n = 0, cap, nlines = 0;
	gb_strbuf last;

	if (d && d->kind == AST_CALL && d->text_len == 4 &&
	    memcmp(d->text, "grad", 4) == 0 && d->nargs == 2 &&
	    ast_is_name(d->args[1]) && !is_grad_call(r, d))
		return run_matrix_steps(r, d);
	if (is_grad_call(r, d))
		d = as_diff(r, d);
	if (!d || !is_diff_call(d) || d->nargs != 2) {
		d = q->expr;
		/*
		 * Another form (grad(...) of matrix calculus): its result,
		 * when it lowers, and a word that the derivation is not
		 * recorded for it yet.
		 */
		if (!run_value(r, q))
			return false;
		gb_sb_puts(&r->plain, "\n(no derivation recorded for this "
			   "form)");
		return true;
	}
	e = lower(r, d->args[0]);
	x = gb_symbol(r->ctx, d->args[1]->text, d->args[1]->text_len);
	if (!e || !x)
		return false;
	cap = r->nassign + 2;
	t = gb_ctx_alloc(r->ctx, cap * sizeof *t);
	if (!t)
		return false;
	e = fold(r, e, r->nassign);
	if (!e || !differential(r, e, r->nassign, x, r->ctx->one, t, &n))
		return false;
	gb_sb_init(&last, NULL);
	gb_sb_puts(&r->latex, "\\[ \\begin{aligned} d\\ell &= ");
	gb_sb_puts(&r->shortl, "\\[ \\begin{aligned} d\\ell &= ");
	put_terms(r, &r->latex, t, n, x);
	put_terms(r, &r->shortl, t, n, x);
	gb_sb_puts(&r->plain, "dl = ");
	for (size_t i = 0; i < n; i++)
		gb_sb_printf(&r->plain, "%s(%s) d%s", i ? " + " : "",
			     node_str(r, t[i].coef, false),
			     node_str(r, t[i].var < r->nassign ?
				      r->asym[t[i].var] : x, false));
	for (;;) {
		size_t k = SIZE_MAX, at = 0;
		const gb_node *c, *val;

		for (size_t i = 0; i < n; i++)
			if (t[i].var < r->nassign &&
			    (k == SIZE_MAX || t[i].var > k)) {
				k = t[i].var;
				at = i;
			}
		if (k == SIZE_MAX)
			break;
		c = t[at].coef;
		t[at] = t[--n];
		val = fold(r, r->aval[k], k);
		if (!val || !differential(r, val, k, x, c, t, &n))
			goto fail;
		nlines++;
		gb_sb_puts(&r->latex, " \\\\ &= ");
		put_terms(r, &r->latex, t, n, x);
		gb_sb_printf(&r->latex, " && \\bigl(%s = %s\\bigr)",
			     node_str(r, r->asym[k], true),
			     node_str(r, val, true));
		gb_sb_puts(&r->plain, "\n   = ");
		for (size_t i = 0; i < n; i++)
			gb_sb_printf(&r->plain, "%s(%s) d%s", i ? " + " : "",
				     node_str(r, t[i].coef, false),
				     node_str(r, t[i].var < r->nassign ?
					      r->asym[t[i].var] : x, false));
		gb_sb_printf(&r->plain, "    since %s = %s",
			     node_str(r, r->asym[k], false),
			     node_str(r, val, false));
	}
	for (size_t i = 0; i < n; i++)
		if (t[i].var == r->nassign)
			res = t[i].coef;
	if (!res)
		res = r->ctx->zero;
	gb_sb_printf(&last, " \\\\ \\Rightarrow \\frac{\\partial \\ell}"
		     "{\\partial %s} &= %s \\end{aligned} \\]",
		     node_str(r, x, true), node_str(r, res, true));
	gb_sb_puts(&r->latex, gb_sb_str(&last));
	gb_sb_puts(&r->shortl, gb_sb_str(&last));
	gb_sb_printf(&r->plain, "\n=> dl/d%s = %s", node_str(r, x, false),
		     node_str(r, res, false));
	gb_sb_free(&last);
	if (nlines < 2)		/* nothing to shorten */
		gb_sb_reset(&r->shortl);
	return true;
fail:
	gb_sb_free(&last);
	return false;
}

/* ------------------------------------------------------- smoothness */

/*
 * The function an item names: NAME applied to the variable, or the
 * expression itself.
 */
static const gb_node *item_fn(runner *r, const gb_item *it, const char *x)
{
	const gb_ast *a = it->expr;
	char buf[160];
	const gb_node *f;

	if (a->kind != AST_NAME)
		return lower(r, a);
	if (snprintf(buf, sizeof buf, "%s(%s)", a->text, x) >= (int)sizeof buf)
		return NULL;
	if (gb_parse(r->ctx, "<smooth>", buf, strlen(buf), &f) != GB_OK) {
		/* a variable, not a function: the expression itself */
		gb_diag_clear(r->ctx);
		return lower(r, a);
	}
	return f;
}

/* How an item is called in text: its label, its name, its formula. */
static void put_item_name(runner *r, gb_strbuf *sb, const gb_item *it,
			  bool latex)
{
	const gb_ast *a = it->expr;
	const gb_node *sym = a->kind == AST_NAME ?
			     gb_symbol(r->ctx, a->text, a->text_len) : NULL;

	if (it->label)
		gb_sb_puts(sb, it->label);
	if (!sym) {
		if (!it->label)
			gb_sb_putn(sb, r->src->text + a->span.off,
				   a->span.len);
		return;
	}
	if (it->label)
		gb_sb_puts(sb, " (");
	if (latex)
		gb_sb_printf(sb, "$%s$", node_str(r, sym, true));
	else
		gb_sb_puts(sb, a->text);
	if (it->label)
		gb_sb_putc(sb, ')');
}

/*
 * The generated sentence for one function, with the library's name for
 * it (f's formula or $\operatorname{name}$) replaced by ours.
 */
static bool put_sentence(runner *r, gb_strbuf *sb, const gb_smooth *s,
			 const gb_item *it, bool latex)
{
	const gb_ast *a = it->expr;
	const char *name = a->kind == AST_NAME ? a->text : NULL;
	char *sent = gb_smooth_sentence(r->ctx, s, name, latex);
	gb_strbuf want;
	const char *hit;

	if (!sent)
		return false;
	gb_sb_init(&want, NULL);
	if (name && latex) {
		gb_sb_puts(&want, strlen(name) > 1 ? "$\\operatorname{" : "$");
		for (const char *c = name; *c; c++)
			gb_sb_puts(&want, *c == '_' ? "\\_" :
				   (char[2]){ *c, 0 });
		gb_sb_puts(&want, strlen(name) > 1 ? "}$" : "$");
	} else if (name) {
		gb_sb_puts(&want, name);
	}
	hit = name ? strstr(sent, gb_sb_str(&want)) : NULL;
	if (hit == sent) {
		put_item_name(r, sb, it, latex);
		gb_sb_puts(sb, sent + strlen(gb_sb_str(&want)));
	} else {
		gb_sb_puts(sb, sent);
	}
	gb_sb_free(&want);
	gb_free(sent);
	return true;
}

/*
 * smooth f "label", g, ...: a line per function (class and reason) and
 * the generated sentence for each one that is not C^inf; in LaTeX,
 * which functions are in C^0 and C^1 first, as the homework asks.
 */
static bool run_smooth(runner *r, const gb_query *q)
{
	const char *x = q->var ? q->var : "x";
	gb_smooth **s = gb_ctx_alloc(r->ctx, q->nitems * sizeof *s);
	gb_strbuf c0, c1, sent;
	bool ok = true;
	size_t n0 = 0, n1 = 0;

	if (!s)
		return false;
	for (uint32_t i = 0; i < q->nitems; i++) {
		const gb_node *f = item_fn(r, &q->items[i], x);

		if (!f || gb_smoothness(r->ctx, f, x, &s[i]) != GB_OK)
			return false;
	}
	gb_sb_init(&c0, NULL);
	gb_sb_init(&c1, NULL);
	gb_sb_init(&sent, NULL);
	for (uint32_t i = 0; i < q->nitems && ok; i++) {
		const gb_smooth *si = s[i];
		bool cond1 = false;
		char *cls = gb_smooth_class_str(si->cls, false);
		char *why = gb_smooth_summary(r->ctx, si, false);

		if (i)
			gb_sb_putc(&r->plain, '\n');
		put_item_name(r, &r->plain, &q->items[i], false);
		gb_sb_printf(&r->plain, ": %s, %s", cls ? cls : "?",
			     why ? why : "?");
		gb_free(cls);
		gb_free(why);
		/* C^1 only under a condition at every point that breaks it */
		if (si->cls == 0 && si->npt) {
			const gb_node *cond = NULL;

			cond1 = true;
			for (size_t k = 0; k < si->npt; k++) {
				const gb_smooth_point *pt = &si->pt[k];

				if (pt->cls >= 1)
					continue;
				if (!pt->cond || pt->cls_if < 1 ||
				    (cond && cond != pt->cond))
					cond1 = false;
				cond = pt->cond;
			}
			if (cond1) {
				gb_sb_puts(&c1, n1++ ? ", " : "");
				put_item_name(r, &c1, &q->items[i], true);
				gb_sb_printf(&c1, " only if $%s$",
					     node_str(r, cond, true));
			}
		}
		if (si->cls >= 0) {
			gb_sb_puts(&c0, n0++ ? ", " : "");
			put_item_name(r, &c0, &q->items[i], true);
		}
		if (si->cls >= 1) {
			gb_sb_puts(&c1, n1++ ? ", " : "");
			put_item_name(r, &c1, &q->items[i], true);
		}
		if (si->cls != GB_C_INF) {
			gb_sb_puts(&r->plain, "\n  ");
			ok = put_sentence(r, &r->plain, si, &q->items[i], false);
			if (sent.len)
				gb_sb_putc(&sent, ' ');
			ok = ok && put_sentence(r, &sent, si, &q->items[i],
						true);
		}
	}
	if (ok && q->nitems > 1) {
		gb_sb_printf(&r->latex, "\\textbf{In $C^0$:} %s.\\quad "
			     "\\textbf{In $C^1$:} %s.\\par\\smallskip\n",
			     n0 ? gb_sb_str(&c0) : "none",
			     n1 ? gb_sb_str(&c1) : "none");
	}
	if (ok && sent.len)
		gb_sb_printf(&r->latex, "%s\\par\n", gb_sb_str(&sent));
	else if (ok)
		gb_sb_puts(&r->latex, "All are $C^\\infty$.\\par\n");
	for (uint32_t i = 0; ok && i < q->nitems; i++)
		if (s[i]->cls == GB_C_INF) {
			gb_strbuf one;

			gb_sb_init(&one, NULL);
			put_item_name(r, &one, &q->items[i], true);
			gb_sb_printf(&r->latex, "%s is $C^\\infty$%s",
				     gb_sb_str(&one), s[i]->analytic ?
				     " (a composition of analytic functions, "
				     "with no switch)" : "");
			gb_sb_puts(&r->latex, ".\\ ");
			gb_sb_free(&one);
		}
	gb_sb_free(&c0);
	gb_sb_free(&c1);
	gb_sb_free(&sent);
	return ok;
}

/* -------------------------------------------------------- approach */

/* The left side for an expression: d/dx f for diff(f, x), else itself. */
static void put_label(runner *r, gb_strbuf *sb, const gb_ast *a,
		      const gb_node *n, bool latex)
{
	if (is_diff_call(a) && a->nargs == 2)
		put_dlhs(r, sb, a, latex);
	else
		gb_sb_puts(sb, node_str(r, n, latex));
}

/*
 * approach E to T as p = v1, v2, ... at x = a, b: a table of E at the
 * points for growing p, T's values below it, and the verdict drawn from
 * the numbers: does the largest gap |E - T| shrink as p grows?
 */
static bool run_approach(runner *r, const gb_query *q)
{
	gb_ctx *ctx = r->ctx;
	const gb_node *e = lower(r, q->expr), *tg = lower(r, q->target);
	const gb_binding *p = q->as, *pt = q->nat ? q->at : NULL;
	size_t np = pt ? pt->nvalues : 1, nenv;
	mpfr_t gap, prev, first;
	bool shrinking = true;
	const char *pname;

	if (!e || !tg || !p)
		return false;
	if (q->nat > 1) {
		gb_error(ctx, r->src, q->at[1].span,
			 "approach takes one variable after 'at'");
		return false;
	}
	pname = node_str(r, gb_symbol(ctx, p->name, strlen(p->name)), true);
	mpfr_inits2(64, gap, prev, first, (mpfr_ptr)0);
	mpfr_set_inf(prev, 1);
	mpfr_set_zero(first, 1);
	gb_sb_printf(&r->latex, "\\[ \\begin{array}{r|%.*s} %s",
		     (int)(2 * np), "cccccccccccccccccccccccccccccccc", pname);
	for (size_t j = 0; j < np; j++)
		gb_sb_printf(&r->latex, " & %s = %s",
			     pt ? node_str(r, gb_symbol(ctx, pt->name,
						strlen(pt->name)), true) : "",
			     pt ? node_str(r, lower(r, pt->values[j]), true) :
			     "");
	gb_sb_puts(&r->latex, " \\\\ \\hline");
	for (uint32_t i = 0; i < p->nvalues; i++) {
		const gb_node *pv = lower(r, p->values[i]);

		gb_sb_printf(&r->plain, "%s%s = %s:", i ? "\n" : "", p->name,
			     pv ? node_str(r, pv, false) : "?");
		gb_sb_printf(&r->latex, " %s", pv ? node_str(r, pv, true) : "?");
		mpfr_set_zero(gap, 1);
		for (size_t j = 0; j < np; j++) {
			const gb_binding b[2] = { *p, pt ? *pt : *p };
			size_t pick[2] = { i, j };
			const gb_node **env = make_env(r, b, pt ? 2 : 1, pick,
						       &nenv);
			gb_value *v, *w;

			if (!env || !(v = eval_in(r, e, env, nenv, 3)))
				goto fail;
			if (!(w = eval_in(r, tg, env, nenv, 3))) {
				gb_value_free(v);
				goto fail;
			}
			gb_sb_putc(&r->plain, ' ');
			gb_sb_puts(&r->latex, " & ");
			put_value(&r->plain, &r->latex, v, 3);
			mpfr_sub(v->v[0], v->v[0], w->v[0], MPFR_RNDN);
			mpfr_abs(v->v[0], v->v[0], MPFR_RNDN);
			if (mpfr_greater_p(v->v[0], gap))
				mpfr_set(gap, v->v[0], MPFR_RNDN);
			gb_value_free(v);
			gb_value_free(w);
		}
		gb_sb_puts(&r->latex, " \\\\");
		if (i == 0)
			mpfr_set(first, gap, MPFR_RNDN);
		if (!mpfr_less_p(gap, prev))
			shrinking = false;
		mpfr_set(prev, gap, MPFR_RNDN);
	}
	/* the target's row */
	gb_sb_puts(&r->latex, " \\hline ");
	put_label(r, &r->latex, q->target, tg, true);
	gb_sb_puts(&r->plain, "\ntarget:");
	for (size_t j = 0; j < np; j++) {
		const gb_binding b[1] = { pt ? *pt : *p };
		size_t pick[1] = { j };
		const gb_node **env = make_env(r, b, 1, pick, &nenv);
		gb_value *w;

		if (!env || !(w = eval_in(r, tg, env, nenv, 3)))
			goto fail;
		gb_sb_putc(&r->plain, ' ');
		gb_sb_puts(&r->latex, " & ");
		put_value(&r->plain, &r->latex, w, 3);
		gb_value_free(w);
	}
	gb_sb_puts(&r->latex, " \\end{array} \\]\n");
	/* the verdict, from the numbers */
	gb_sb_puts(&r->latex, "As $");
	gb_sb_puts(&r->latex, pname);
	gb_sb_puts(&r->latex, "$ grows, $");
	put_label(r, &r->latex, q->expr, e, true);
	gb_sb_printf(&r->latex, " = %s$ ", node_str(r, e, true));
	{
		char a[48], b[48];

		mpfr_snprintf(a, sizeof a, "%.2Re", first);
		mpfr_snprintf(b, sizeof b, "%.2Re", prev);
		if (shrinking) {
			gb_sb_puts(&r->latex, "approaches $");
			put_label(r, &r->latex, q->target, tg, true);
			gb_sb_puts(&r->latex, "$: the largest gap at the "
				   "points shown falls from $");
			put_sci_latex(&r->latex, a);
			gb_sb_puts(&r->latex, "$ to $");
			put_sci_latex(&r->latex, b);
			gb_sb_puts(&r->latex, "$.");
			gb_sb_printf(&r->plain, "\napproaches the target: the "
				     "largest gap falls from %s to %s", a, b);
		} else {
			gb_sb_puts(&r->latex, "does not approach $");
			put_label(r, &r->latex, q->target, tg, true);
			gb_sb_printf(&r->latex, "$ (the largest gap goes from "
				     "%s to %s).", a, b);
			gb_sb_printf(&r->plain, "\ndoes not approach the "
				     "target: the largest gap goes from %s "
				     "to %s", a, b);
		}
	}
	mpfr_clears(gap, prev, first, (mpfr_ptr)0);
	return true;
fail:
	mpfr_clears(gap, prev, first, (mpfr_ptr)0);
	return false;
}

/* ----------------------------------------------------------- stacks */

/*
 * stack L1 "label", L2 in h depth a to b at h = h0, w = ...: for each
 * layer map h -> L(h), the derivative of its depth-fold composition in
 * h (by gradbox's own diff), evaluated with MPFR at the point, whose
 * values go far below double's range. Drawn with pgfplots as
 * log10 |d h_L / d h_0| against the depth L.
 */
static bool run_stack(runner *r, const gb_query *q)
{
	gb_ctx *ctx = r->ctx;
	const gb_node *h = gb_symbol(ctx, q->var, strlen(q->var));
	const gb_node **env;
	size_t nenv;
	long step = (q->hi - q->lo) / STACK_SAMPLES + 1;
	mpfr_t lg;
	bool tiny = false;
	const char **last = gb_ctx_alloc(ctx, q->nitems * sizeof *last);

	if (!h || !last || !(env = make_env(r, q->at, q->nat, NULL, &nenv)))
		return false;
	if (!env[h->u.sym->id]) {
		gb_error(ctx, r->src, q->var_span,
			 "the point needs a value for '%s' (at %s = ...)",
			 q->var, q->var);
		return false;
	}
	mpfr_init2(lg, 64);
	gb_sb_puts(&r->latex,
		   "\\begin{center}\\begin{tikzpicture}\\begin{axis}["
		   "width=0.92\\linewidth, height=4.6cm, xlabel={depth $L$}, "
		   "xmin=0, enlarge x limits=0.02, "
		   "ylabel={$\\log_{10} \\lvert \\partial h_L / \\partial h_0 "
		   "\\rvert$}, legend pos=south west, legend cell align=left, "
		   "legend style={font=\\footnotesize}, "
		   "tick label style={font=\\footnotesize}, "
		   "label style={font=\\footnotesize}]\n");
	for (uint32_t i = 0; i < q->nitems; i++) {
		const gb_node *layer = lower(r, q->items[i].expr), *f = h;

		if (!layer)
			goto fail;
		gb_sb_printf(&r->plain, "%s%s:", i ? "\n" : "",
			     q->items[i].label ? q->items[i].label :
			     node_str(r, layer, false));
		gb_sb_printf(&r->latex, "\\addplot+[mark=none, thick%s] "
			     "coordinates {", i ? ", dashed" : "");
		for (long depth = 1; depth <= q->hi; depth++) {
			const gb_node *g;
			gb_value *v;
			char buf[64];

			f = gb_subst(ctx, layer, h, f);
			if (!f)
				goto fail;
			if (depth < q->lo || ((depth - q->lo) % step != 0 &&
					      depth != q->hi))
				continue;
			if (gb_differentiate(ctx, f, q->var, 1, &g) != GB_OK ||
			    !(v = eval_in(r, g, env, nenv, 10)))
				goto fail;
			mpfr_abs(lg, v->v[0], MPFR_RNDN);
			mpfr_log10(lg, lg, MPFR_RNDN);
			gb_value_free(v);
			if (mpfr_cmp_si(lg, -324) < 0)
				tiny = true;	/* below double's range */
			mpfr_snprintf(buf, sizeof buf, "%.3Rf", lg);
			gb_sb_printf(&r->latex, " (%ld,%s)", depth, buf);
			gb_sb_printf(&r->plain, " %ld:%s", depth, buf);
			if (depth == q->hi)
				last[i] = gb_arena_strndup(&ctx->arena, buf,
							   strlen(buf));
		}
		gb_sb_puts(&r->latex, " };\n\\addlegendentry{$h \\mapsto ");
		gb_sb_puts(&r->latex, node_str(r, layer, true));
		gb_sb_puts(&r->latex, "$}\n");
	}
	gb_sb_puts(&r->latex, "\\end{axis}\\end{tikzpicture}\\end{center}\n");
	/* the numbers at the greatest depth, in a sentence */
	gb_sb_printf(&r->latex, "At depth $L = %ld$: ", q->hi);
	for (uint32_t i = 0; i < q->nitems; i++)
		gb_sb_printf(&r->latex, "%s$10^{%s}$ for $h \\mapsto %s$",
			     i ? ", " : "", last[i] ? last[i] : "?",
			     node_str(r, lower(r, q->items[i].expr), true));
	gb_sb_puts(&r->latex, " (scalar model at $");
	for (uint32_t i = 0; i < q->nat; i++)
		gb_sb_printf(&r->latex, "%s%s = %s", i ? ",\\ " : "",
			     node_str(r, gb_symbol(ctx, q->at[i].name,
						   strlen(q->at[i].name)), true),
			     node_str(r, lower(r, q->at[i].values[0]), true));
	gb_sb_puts(&r->latex, "$; gradbox diff, evaluated with MPFR).");
	if (tiny)
		gb_sb_puts(&r->latex, " A double would have underflowed to 0 "
			   "there: its smallest positive value is about "
			   "$10^{-324}$.");
	mpfr_clear(lg);
	return true;
fail:
	mpfr_clear(lg);
	return false;
}

/* ----------------------------------------------------- check, eval */

static bool run_check(runner *r, const gb_stmt *st, gb_run_item *it)
{
	const gb_query *q = st->q;
	gb_check_opts co = { NULL, 0, 0, 0 };
	gb_check_result cr;
	const gb_node *e = lower(r, q->expr), *a = NULL;

	if (!e)
		return false;
	if (q->latex_answer) {
		char name[320];
		int w = snprintf(name, sizeof name, "%.200s:%u: latex answer",
				 r->src->name, it->line);

		gb_diag *mark = r->ctx->diag_tail;
		size_t nerr = r->ctx->nerrors;
		gb_status ps;

		(void)w;	/* at most 226 bytes: it fits */
		ps = gb_parse_answer(r->ctx, name, q->text, strlen(q->text),
				     GB_ANSWER_LATEX, &a);
		if (ps == GB_ESHAPE) {
			/*
			 * Well-formed but inconsistent (W .* sigma(x) with W
			 * d x d): incorrect, the shape error as the reason,
			 * as `gradbox check` says it.
			 */
			gb_diag *d = mark ? mark->next : r->ctx->diag_head;

			it->verdict = false;
			gb_sb_printf(&r->plain, "incorrect: %s",
				     d ? d->msg : "shapes do not conform");
			gb_sb_printf(&r->latex, "\\textbf{Incorrect}: %s.",
				     "its shapes do not conform");
			if (mark)
				mark->next = NULL;
			else
				r->ctx->diag_head = NULL;
			r->ctx->diag_tail = mark;
			r->ctx->nerrors = nerr;
			return true;
		}
		if (ps != GB_OK)
			return false;
	} else if (!(a = lower(r, q->target))) {
		return false;
	}
	if (gb_check(r->ctx, e, a, &co, &cr) != GB_OK)
		return false;
	it->verdict = cr.correct;
	gb_sb_puts(&r->plain, cr.correct ? "correct" : "incorrect");
	gb_sb_printf(&r->latex, "\\textbf{%s}", cr.correct ? "Correct" :
		     "Incorrect");
	if (cr.correct) {
		gb_sb_printf(&r->plain, " (agrees at %u points)", cr.npoints);
		gb_sb_printf(&r->latex, " (agrees at %u points).", cr.npoints);
	} else {
		gb_sb_puts(&r->plain, ": ");
		gb_sb_puts(&r->latex, ": ");
		if (cr.nvars) {
			gb_sb_printf(&r->plain, "at %s: ", cr.point);
			gb_sb_printf(&r->latex, "at \\texttt{%s} ", cr.point);
		}
		gb_sb_printf(&r->plain, "expected %s, got %s", cr.expected,
			     cr.got);
		gb_sb_printf(&r->latex, "it gives \\texttt{%s} where the "
			     "answer is \\texttt{%s}.", cr.got, cr.expected);
		if (cr.region)
			gb_sb_printf(&r->plain, "\n%s", cr.region);
		if (cr.hint)
			gb_sb_printf(&r->plain, "\nhint: %s", cr.hint);
	}
	for (size_t i = 0; i < cr.nnotes; i++)
		gb_sb_printf(&r->plain, "\nnote: %s", cr.notes[i]);
	return true;
}

/* Turns the errors reported after `mark` into severity sev. */
static void downgrade(gb_ctx *ctx, gb_diag *mark, gb_severity sev)
{
	for (gb_diag *d = mark ? mark->next : ctx->diag_head; d; d = d->next)
		if (d->sev == GB_SEV_ERROR) {
			d->sev = sev;
			if (ctx->nerrors)
				ctx->nerrors--;
		}
}

static bool run_eval(runner *r, const gb_query *q)
{
	const gb_node *e = lower(r, q->expr), **env;
	long digits = q->digits ? q->digits : 20;
	size_t nenv;
	gb_diag *mark = r->ctx->diag_tail;
	gb_value *v;

	if (!e || !(env = make_env(r, q->at, q->nat, NULL, &nenv)))
		return false;
	gb_sb_puts(&r->latex, "\\[ ");
	put_label(r, &r->latex, q->expr, e, true);
	for (uint32_t i = 0; i < q->nat; i++) {
		gb_sb_printf(&r->latex, "%s%s = %s", i ? ",\\," : "\\Big|_{",
			     node_str(r, gb_symbol(r->ctx, q->at[i].name,
						   strlen(q->at[i].name)),
				      true),
			     node_str(r, lower(r, q->at[i].values[0]), true));
	}
	gb_sb_puts(&r->latex, q->nat ? "} = " : " = ");
	v = eval_in(r, e, env, nenv, digits);
	if (!v) {
		if (r->ctx->oom)
			return false;
		/* undefined is an answer: keep the reason as notes */
		downgrade(r->ctx, mark, GB_SEV_NOTE);
		gb_sb_puts(&r->plain, "undefined");
		gb_sb_puts(&r->latex, "\\text{undefined} \\]");
		return true;
	}
	put_value(&r->plain, &r->latex, v, digits);
	gb_value_free(v);
	gb_sb_puts(&r->latex, " \\]");
	return true;
}

/* ------------------------------------------------------------ driver */

static bool run_query(runner *r, const gb_stmt *st, gb_run_item *it)
{
	const gb_query *q = st->q;

	switch ((gb_query_mode)q->mode) {
	case QM_VALUE:
		return run_value(r, q);
	case QM_STEPS:
		return run_steps(r, q);
	case QM_SMOOTH:
		return run_smooth(r, q);
	case QM_TEXT:
		if (strstr(q->text, "\\gbslot")) {
			gb_error(r->ctx, r->src, q->text_span,
				 "text may not contain a slot marker "
				 "(\\gbslot)");
			return false;
		}
		gb_sb_puts(&r->plain, q->text);
		gb_sb_puts(&r->latex, q->text);
		return true;
	case QM_APPROACH:
		return run_approach(r, q);
	case QM_STACK:
		return run_stack(r, q);
	case QM_CHECK:
		return run_check(r, st, it);
	case QM_EVAL:
		return run_eval(r, q);
	}
	return false;
}

/* Remembers an assignment that ran: its symbol and value. */
static bool remember(runner *r, const gb_stmt *st, const gb_node *value)
{
	const gb_node *s = gb_symbol(r->ctx, st->name, st->name_len);
	const char **vars;

	if (!s || !value)
		return s != NULL;
	/*
	 * A constant (w = 2) is no intermediate: folding it back would
	 * turn every 2 into w.
	 */
	if (gb_free_vars(r->ctx, value, &vars) == 0)
		return true;
	if (r->nassign == r->acap) {
		size_t cap = r->acap ? 2 * r->acap : 8;
		const gb_node **ns = gb_ctx_alloc(r->ctx, cap * sizeof *ns);
		const gb_node **nv = gb_ctx_alloc(r->ctx, cap * sizeof *nv);

		if (!ns || !nv)
			return false;
		if (r->nassign) {
			memcpy(ns, r->asym, r->nassign * sizeof *ns);
			memcpy(nv, r->aval, r->nassign * sizeof *nv);
		}
		r->asym = ns;
		r->aval = nv;
		r->acap = cap;
	}
	r->asym[r->nassign] = s;
	r->aval[r->nassign++] = value;
	return true;
}

/* The first error reported after mark, for a fallback's marking. */
static const char *first_error(gb_ctx *ctx, gb_diag *mark)
{
	for (gb_diag *d = mark ? mark->next : ctx->diag_head; d; d = d->next)
		if (d->sev == GB_SEV_ERROR)
			return d->msg;
	return "it failed";
}

gb_status gb_run_program(gb_ctx *ctx, const char *name, const char *text,
			 size_t len, gb_run **out)
{
	return gb_run_program_watched(ctx, name, text, len, NULL, out);
}

gb_status gb_run_program_watched(gb_ctx *ctx, const char *name,
				 const char *text, size_t len,
				 const gb_run_watch *w, gb_run **out)
{
	runner r;
	gb_run *run;
	gb_program *prog;
	gb_source *src;
	size_t nq = 0;
	bool last_failed = false;
	gb_diag *last_mark = NULL;
	gb_diag *last_end = NULL;
	size_t last_errors = 0;

	if (!ctx || !name || !out || (!text && len))
		return GB_EUSAGE;
	*out = NULL;
	gb_api_prepare(ctx);
	src = gb_source_new(ctx, name, text ? text : "", len);
	if (!src)
		return gb_api_failed(ctx, GB_ELIMIT);
	prog = gb_parse_program(ctx, src);
	run = gb_ctx_alloc(ctx, sizeof *run);
	if (!prog || !run)
		return gb_api_failed(ctx, GB_ENOMEM);
	memset(run, 0, sizeof *run);
	run->src = src;
	run->nfailed = ctx->nerrors;	/* statements that did not parse */
	for (uint32_t i = 0; i < prog->nstmts; i++)
		nq += gb_stmt_is_query(prog->stmts[i]->kind);
	run->items = gb_ctx_alloc(ctx, (nq + 1) * sizeof *run->items);
	if (!run->items)
		return GB_ENOMEM;
	memset(&r, 0, sizeof r);
	r.ctx = ctx;
	r.src = src;
	gb_sb_init(&r.plain, NULL);
	gb_sb_init(&r.latex, NULL);
	gb_sb_init(&r.shortl, NULL);
	for (uint32_t i = 0; i < prog->nstmts && !ctx->oom; i++) {
		const gb_stmt *st = prog->stmts[i];
		gb_diag *mark = ctx->diag_tail;
		size_t before = ctx->nerrors;
		gb_run_item *it = NULL;
		bool ok;

		if (w && w->before)
			w->before(w->arg, st);
		if (!gb_stmt_is_query(st->kind)) {
			gb_program one = { src, 1, (gb_stmt **)&prog->stmts[i] };
			gb_lowered *lo;
			size_t nlo;

			ok = gb_lower_program(ctx, &one, &lo, &nlo) == GB_OK &&
			     ctx->nerrors == before;
			if (ok && st->kind == STMT_ASSIGN)
				ok = remember(&r, st, lo[0].value);
		} else {
			const gb_query *q = st->q;

			it = &run->items[run->nitems++];
			memset(it, 0, sizeof *it);
			it->stmt = st;
			it->line = gb_source_locate(src, st->span.off).line;
			it->verdict = -1;
			it->source = gb_arena_strndup(&ctx->arena,
						      src->text + st->span.off,
						      st->span.len);
			if (q->is_else && !last_failed) {
				it->skipped = true;
				it->ok = true;
				ok = true;
				goto next;
			}
			if (q->is_else) {
				/* the failure before is handled: a warning */
				it->fallback = true;
				if (last_errors) {
					/* the first of the chain says why */
					it->why = first_error(ctx, last_mark);
					downgrade(ctx, last_mark,
						  GB_SEV_WARNING);
					gb_note(ctx, src, st->span,
						"the 'else' statement is used "
						"instead");
					(void)last_end;
					run->nfailed -= 1;
					last_errors = 0;
				}
			}
			gb_sb_reset(&r.plain);
			gb_sb_reset(&r.latex);
			gb_sb_reset(&r.shortl);
			before = ctx->nerrors;
			ok = run_query(&r, st, it) && ctx->nerrors == before;
			it->ok = ok;
			it->plain = keep(ctx, &r.plain);
			it->latex = keep(ctx, &r.latex);
			it->latex_short = r.shortl.len ? keep(ctx, &r.shortl) :
					  NULL;
			gb_sb_reset(&r.shortl);
			if (q->is_else) {
				if (!ok)
					run->nfailed++;
				goto next;	/* an else chain keeps its head */
			}
		}
		last_failed = !ok;
		last_mark = mark;
		last_end = ctx->diag_tail;
		last_errors = ok ? 0 : 1;
		if (!ok)
			run->nfailed++;
next:
		if (w && w->after)
			w->after(w->arg, st, it, ok, mark);
	}
	gb_sb_free(&r.plain);
	gb_sb_free(&r.latex);
	gb_sb_free(&r.shortl);
	*out = run;
	if (ctx->oom)
		return GB_ENOMEM;
	return run->nfailed ? GB_ESYNTAX : GB_OK;
}

/* ------------------------------------------------------ gb_run_text */

/* The query's keyword (and slot) for a heading: answer "1.1", check. */
static const char *kind_name(const gb_stmt *st)
{
	switch (st->kind) {
	case STMT_SHOW:
		return "show";
	case STMT_ANSWER:
		return "answer";
	case STMT_CHECK:
		return "check";
	case STMT_SMOOTH:
		return "smooth";
	default:
		return "eval";
	}
}

static void put_indented(gb_strbuf *sb, const char *s)
{
	gb_sb_puts(sb, "  ");
	for (; *s; s++) {
		gb_sb_putc(sb, *s);
		if (*s == '\n' && s[1])
			gb_sb_puts(sb, "  ");
	}
	gb_sb_putc(sb, '\n');
}

/* s as a JSON string (the library does not link a JSON library). */
static void put_json_str(gb_strbuf *sb, const char *s)
{
	gb_sb_putc(sb, '"');
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			gb_sb_printf(sb, "\\%c", c);
		else if (c == '\n')
			gb_sb_puts(sb, "\\n");
		else if (c == '\t')
			gb_sb_puts(sb, "\\t");
		else if (c < 0x20)
			gb_sb_printf(sb, "\\u%04x", c);
		else
			gb_sb_putc(sb, (char)c);
	}
	gb_sb_putc(sb, '"');
}

static void put_json_field(gb_strbuf *sb, const char *key, const char *val)
{
	gb_sb_printf(sb, ",\n    \"%s\": ", key);
	put_json_str(sb, val);
}

gb_status gb_run_text(gb_ctx *ctx, const char *name, const char *text,
		      size_t len, gb_format fmt, char **out)
{
	gb_run *run;
	gb_status st;
	gb_strbuf sb;
	size_t n = 0;

	if (!out)
		return GB_EUSAGE;
	*out = NULL;
	st = gb_run_program(ctx, name, text, len, &run);
	if (!run)
		return st;
	gb_sb_init(&sb, NULL);
	if (fmt == GB_FORMAT_JSON)
		gb_sb_putc(&sb, '[');
	for (size_t i = 0; i < run->nitems; i++) {
		const gb_run_item *it = &run->items[i];
		const gb_query *q = it->stmt->q;

		if (it->skipped || !it->ok)
			continue;
		if (fmt == GB_FORMAT_JSON) {
			gb_sb_printf(&sb, "%s\n  {\n    \"line\": %u", n++ ?
				     "," : "", it->line);
			put_json_field(&sb, "kind", kind_name(it->stmt));
			if (q->slot)
				put_json_field(&sb, "slot", q->slot);
			put_json_field(&sb, "source", it->source);
			if (it->why)
				put_json_field(&sb, "stand_in_for", it->why);
			if (it->verdict >= 0)
				gb_sb_printf(&sb, ",\n    \"correct\": %s",
					     it->verdict ? "true" : "false");
			put_json_field(&sb, "result", it->plain);
			put_json_field(&sb, "latex", it->latex);
			gb_sb_puts(&sb, "\n  }");
			continue;
		}
		gb_sb_printf(&sb, "%s:%u: %s\n", run->src->name, it->line,
			     it->source);
		if (it->why)
			gb_sb_printf(&sb, "  (stand-in: %s)\n", it->why);
		put_indented(&sb, fmt == GB_FORMAT_LATEX ? it->latex :
			     it->plain);
	}
	if (fmt == GB_FORMAT_JSON)
		gb_sb_puts(&sb, n ? "\n]\n" : "]\n");
	*out = gb_sb_take(&sb);
	if (!*out)
		return GB_ENOMEM;
	return st;
}
