/*
 * mcheck.c - answers and gradients that are vectors or matrices.
 *
 * gb_check_matrix compares two expressions of one shape entry by entry
 * at random instances: every symbolic dimension d that no binding fixes
 * takes a size from 1 to 4 (2, 3, 1, 4, ...), every free symbol a value
 * of its shape with entries k/4, k = +-1 .. +-8 (never 0, so relu and
 * step stay away from their kinks), from a fixed seed. Entries agree
 * when |e - a| <= 2^-(prec/2) max(|e|, |a|, 1).
 *
 * gb_verify_matrix checks dL/dX from the backward pass against MPFR
 * central differences with one Richardson step, entry by entry of X, at
 * instances with d = 1 .. 5.
 */
#include "numeric/mcheck.h"

#include <stdio.h>
#include <string.h>

#include "calculus/backward.h"
#include "calculus/subst.h"
#include "core/build.h"
#include "core/ctx.h"
#include "core/shape.h"
#include "core/strbuf.h"
#include "front/diag.h"
#include "numeric/eval.h"

#define MSEED 0x6d61747269780aULL

static uint64_t rng(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static const char *ctx_str(gb_ctx *ctx, gb_strbuf *sb)
{
	const char *s = gb_sb_str(sb);
	size_t n = strlen(s);
	char *r = gb_ctx_alloc(ctx, n + 1);

	if (r)
		memcpy(r, s, n + 1);
	gb_sb_free(sb);
	return r;
}

/* The symbols to sample and the dimensions to size. */
typedef struct inst {
	const char **names;
	size_t n;
	const gb_sym **dims;
	size_t nd;
	const gb_node **env;
	size_t nenv;
} inst;

/* Size d is drawn at random when it is symbolic and has no value. */
static void add_dim(gb_ctx *ctx, inst *in, uint32_t d)
{
	const gb_sym *ds = gb_dim_sym(ctx, d);

	if (!ds || gb_dim_value(ctx, d))
		return;
	for (size_t j = 0; j < in->nd; j++)
		if (in->dims[j] == ds)
			return;
	in->dims[in->nd++] = ds;
}

static gb_status inst_init(gb_ctx *ctx, inst *in, const gb_node *a,
			   const gb_node *b)
{
	const char **na, **nb;
	size_t ka = gb_free_vars(ctx, a, &na);
	size_t kb = b ? gb_free_vars(ctx, b, &nb) : 0;

	memset(in, 0, sizeof *in);
	in->names = gb_ctx_alloc(ctx, (ka + kb + 1) * sizeof *in->names);
	in->dims = gb_ctx_alloc(ctx, 2 * (ka + kb + 1) * sizeof *in->dims);
	if (!in->names || !in->dims)
		return GB_ENOMEM;
	for (size_t i = 0; i < ka + kb; i++) {
		const char *s = i < ka ? na[i] : nb[i - ka];
		bool dup = false;
		gb_sym *y;

		for (size_t j = 0; j < in->n; j++)
			dup = dup || !strcmp(in->names[j], s);
		if (dup)
			continue;
		y = gb_sym_find(ctx, s, strlen(s));
		if (!y)
			continue;
		if (y->is_dim) {	/* ones(d): a size, drawn as one */
			add_dim(ctx, in, GB_DIM_SYM | y->id);
			continue;
		}
		in->names[in->n++] = y->name;
		add_dim(ctx, in, y->shape.rows);
		add_dim(ctx, in, y->shape.cols);
	}
	in->nenv = (ctx->nbind > ctx->sused ? ctx->nbind : ctx->sused) + 1;
	in->env = gb_ctx_alloc(ctx, in->nenv * sizeof *in->env);
	if (!in->env)
		return GB_ENOMEM;
	return GB_OK;
}

static uint32_t size_of(const gb_ctx *ctx, const inst *in, uint32_t d)
{
	const gb_node *b;

	if (!gb_dim_is_sym(d))
		return d;
	b = gb_dim_sym_id(d) < in->nenv ? in->env[gb_dim_sym_id(d)] : NULL;
	if (b && gb_is_integer(b))
		return (uint32_t)mpz_get_ui(mpq_numref(b->u.q));
	return gb_dim_value(ctx, d);
}

/* One random instance: sizes for the dimensions, values for symbols. */
static gb_status inst_draw(gb_ctx *ctx, inst *in, uint64_t *st,
			   unsigned k, unsigned maxd)
{
	static const unsigned order[] = { 2, 3, 1, 4, 5 };

	memset(in->env, 0, in->nenv * sizeof *in->env);
	if (ctx->nbind)
		memcpy(in->env, ctx->bind, ctx->nbind * sizeof *in->env);
	for (size_t j = 0; j < in->nd; j++) {
		unsigned d = order[(k + j) % maxd];

		if (!(in->env[in->dims[j]->id] = gb_num_si(ctx, (long)d)))
			return GB_ENOMEM;
	}
	for (size_t i = 0; i < in->n; i++) {
		gb_sym *y = gb_sym_find(ctx, in->names[i], strlen(in->names[i]));
		uint32_t r = size_of(ctx, in, y->shape.rows);
		uint32_t c = size_of(ctx, in, y->shape.cols);
		const gb_node **v;

		if (!r || !c) {
			gb_error(ctx, NULL, (gb_span){ 0, 0 },
				 "the size of '%s' is not known: give it a value (%s=[...]) or its dimensions one",
				 y->name, y->name);
			return GB_ESHAPE;
		}
		v = gb_mem_alloc(&ctx->mem, (size_t)r * c * sizeof *v);
		if (!v)
			return GB_ENOMEM;
		for (size_t e = 0; e < (size_t)r * c; e++) {
			long q = (long)(rng(st) % 8) + 1;

			if (rng(st) & 1)
				q = -q;
			v[e] = gb_num_frac(ctx, q, 4);
		}
		in->env[y->id] = gb_matrix(ctx, r, c, v);
		gb_mem_free(&ctx->mem, v);
		if (!in->env[y->id])
			return GB_ENOMEM;
	}
	return GB_OK;
}

/* "d = 2, W = [[1/2, -1], [3/4, 2]], x = [1/4, -2]" */
static const char *inst_str(gb_ctx *ctx, const inst *in)
{
	gb_strbuf sb;
	char *s;

	gb_sb_init(&sb, NULL);
	for (size_t j = 0; j < in->nd; j++) {
		s = gb_print(ctx, in->env[in->dims[j]->id]);
		gb_sb_printf(&sb, "%s%s = %s", j ? ", " : "", in->dims[j]->name,
			     s ? s : "?");
		gb_free(s);
	}
	for (size_t i = 0; i < in->n; i++) {
		gb_sym *y = gb_sym_find(ctx, in->names[i], strlen(in->names[i]));

		s = gb_print(ctx, in->env[y->id]);
		gb_sb_printf(&sb, "%s%s = %s", in->nd || i ? ", " : "", y->name,
			     s ? s : "?");
		gb_free(s);
	}
	return ctx_str(ctx, &sb);
}

static bool close_to(mpfr_srcptr a, mpfr_srcptr b, long bits)
{
	mpfr_t d, m;
	bool ok;

	mpfr_inits2(mpfr_get_prec(a), d, m, (mpfr_ptr)0);
	mpfr_sub(d, a, b, MPFR_RNDN);
	mpfr_abs(d, d, MPFR_RNDN);
	mpfr_abs(m, a, MPFR_RNDN);
	if (mpfr_cmpabs(b, m) > 0)
		mpfr_abs(m, b, MPFR_RNDN);
	if (mpfr_cmp_ui(m, 1) < 0)
		mpfr_set_ui(m, 1, MPFR_RNDN);
	mpfr_mul_2si(m, m, -bits, MPFR_RNDN);
	ok = mpfr_lessequal_p(d, m);
	mpfr_clears(d, m, (mpfr_ptr)0);
	return ok;
}

static void add_note(gb_ctx *ctx, gb_check_result *r, const char *s)
{
	const char **v = gb_ctx_alloc(ctx, (r->nnotes + 1) * sizeof *v);

	if (!v)
		return;
	if (r->nnotes)
		memcpy(v, r->notes, r->nnotes * sizeof *v);
	v[r->nnotes++] = s;
	r->notes = v;
}

/* "a d×1 value", or "a scalar" (gb_shape_str's words for 1×1). */
static void shape_value(gb_strbuf *sb, gb_shape sh, const char *str)
{
	if (sh.rows == 1 && sh.cols == 1)
		gb_sb_puts(sb, str);
	else
		gb_sb_printf(sb, "a %s value", str);
}

gb_status gb_check_matrix(gb_ctx *ctx, const gb_node *expected,
			  const gb_node *answer, const gb_check_opts *o,
			  gb_check_result *r)
{
	mpfr_prec_t prec = o && o->prec ? (mpfr_prec_t)o->prec : 256;
	unsigned want = o && o->points ? o->points : 12;
	uint64_t st = o && o->seed ? (uint64_t)o->seed : MSEED;
	inst in;
	gb_status s;
	char es[96], as[96];
	unsigned tries = 0;

	memset(r, 0, sizeof *r);
	if (!gb_shape_eq(ctx, expected->shape, answer->shape)) {
		gb_shape tr = { answer->shape.cols, answer->shape.rows };

		gb_shape_str(ctx, es, sizeof es, expected->shape);
		gb_shape_str(ctx, as, sizeof as, answer->shape);
		if (expected->shape.cols == 1 && gb_shape_eq(ctx, expected->shape, tr)) {
			/* the row-vector layout of a gradient */
			answer = gb_transpose(ctx, answer);
			add_note(ctx, r, gb_ctx_status(ctx) ? NULL :
				 "the answer is a row vector, the transpose of the gradient (the numerator layout); compared as its transpose");
			if (!r->notes[0])
				return GB_ENOMEM;
		} else {
			gb_strbuf sb;

			r->correct = false;
			gb_sb_init(&sb, NULL);
			shape_value(&sb, expected->shape, es);
			r->expected = ctx_str(ctx, &sb);
			gb_sb_init(&sb, NULL);
			shape_value(&sb, answer->shape, as);
			r->got = ctx_str(ctx, &sb);
			r->hint = "the answer has the wrong shape";
			return GB_OK;
		}
	}
	if ((s = inst_init(ctx, &in, expected, answer)) != GB_OK)
		return s;
	r->correct = true;
	while (r->npoints < want && tries++ < 4 * want) {
		gb_value *ve = NULL, *va = NULL;
		struct gb_diag *mark = ctx->diag_tail;
		size_t nerr = ctx->nerrors;
		gb_status s1, s2;

		if ((s = inst_draw(ctx, &in, &st, tries, 4)) != GB_OK)
			return s;
		s1 = gb_eval_bits(ctx, expected, in.env, in.nenv, prec, &ve);
		s2 = gb_eval_bits(ctx, answer, in.env, in.nenv, prec, &va);
		/* failures at one point are not the caller's errors */
		if (mark)
			mark->next = NULL;
		else
			ctx->diag_head = NULL;
		ctx->diag_tail = mark;
		ctx->nerrors = nerr;
		if (s1 == GB_ENOMEM || s2 == GB_ENOMEM) {
			gb_value_free(ve);
			gb_value_free(va);
			return GB_ENOMEM;
		}
		if (s1 != GB_OK || s2 != GB_OK) {
			r->nskipped++;
		} else {
			bool ok = ve->rows == va->rows && ve->cols == va->cols;

			for (size_t k = 0; ok && k < gb_value_len(ve); k++)
				ok = close_to(ve->v[k], va->v[k], (long)prec / 2);
			r->npoints++;
			if (!ok && r->correct) {
				char *a = gb_value_str(ve, 10), *b = gb_value_str(va, 10);
				gb_strbuf sb;

				r->correct = false;
				r->point = inst_str(ctx, &in);
				r->nvars = in.n + in.nd;
				gb_sb_init(&sb, NULL);
				gb_sb_puts(&sb, a ? a : "?");
				r->expected = ctx_str(ctx, &sb);
				gb_sb_init(&sb, NULL);
				gb_sb_puts(&sb, b ? b : "?");
				r->got = ctx_str(ctx, &sb);
				gb_free(a);
				gb_free(b);
			}
		}
		gb_value_free(ve);
		gb_value_free(va);
	}
	if (!r->npoints) {
		gb_error(ctx, NULL, (gb_span){ 0, 0 },
			 "found no instance where both the expression and the answer are defined");
		return GB_EDOMAIN;
	}
	return ctx->oom ? GB_ENOMEM : GB_OK;
}

/* ------------------------------------------------------------ verify */

/* L at env with entry k of x moved by q (exact rational). */
static gb_status eval_moved(gb_ctx *ctx, const gb_node *l, inst *in,
			    const gb_node *x, size_t k, mpq_srcptr q,
			    mpfr_prec_t prec, mpfr_ptr out)
{
	const gb_node *base = in->env[x->u.sym->id], **v, *m;
	size_t n = base->kind == GB_MATRIX ? base->nargs : 1;
	gb_value *val = NULL;
	gb_status s;
	mpq_t t;

	v = gb_mem_alloc(&ctx->mem, n * sizeof *v);
	if (!v)
		return GB_ENOMEM;
	for (size_t i = 0; i < n; i++)
		v[i] = base->kind == GB_MATRIX ? base->arg[i] : base;
	mpq_init(t);
	mpq_add(t, v[k]->u.q, q);
	v[k] = gb_num_q(ctx, t);
	mpq_clear(t);
	m = gb_matrix(ctx, base->shape.rows, base->shape.cols, v);
	gb_mem_free(&ctx->mem, v);
	if (!m)
		return GB_ENOMEM;
	in->env[x->u.sym->id] = m;
	s = gb_eval_node(ctx, l, in->env, in->nenv, prec, &val);
	in->env[x->u.sym->id] = base;
	if (s == GB_OK)
		mpfr_set(out, val->v[0], MPFR_RNDN);
	gb_value_free(val);
	return s;
}

/* Richardson-extrapolated central difference in entry k (verify.h). */
static gb_status fd_entry(gb_ctx *ctx, const gb_node *l, inst *in,
			  const gb_node *x, size_t k, mpfr_prec_t prec,
			  mpfr_ptr out)
{
	mpfr_t a, b, d1, d2;
	mpq_t h;
	gb_status s = GB_OK;
	unsigned long e = (unsigned long)prec / 8;

	mpfr_inits2(prec, a, b, d1, d2, (mpfr_ptr)0);
	mpq_init(h);
	for (int j = 0; j < 2 && s == GB_OK; j++) {
		mpq_set_ui(h, 1, 1);
		mpz_mul_2exp(mpq_denref(h), mpq_denref(h), e + (unsigned long)j);
		s = eval_moved(ctx, l, in, x, k, h, prec, a);
		mpq_neg(h, h);
		if (s == GB_OK)
			s = eval_moved(ctx, l, in, x, k, h, prec, b);
		if (s == GB_OK) {
			mpfr_sub(j ? d2 : d1, a, b, MPFR_RNDN);
			mpfr_mul_2ui(j ? d2 : d1, j ? d2 : d1,
				     e + (unsigned long)j - 1, MPFR_RNDN);
		}
	}
	if (s == GB_OK) {	/* (4 D(h/2) - D(h)) / 3 */
		mpfr_mul_2ui(d2, d2, 2, MPFR_RNDN);
		mpfr_sub(d2, d2, d1, MPFR_RNDN);
		mpfr_div_ui(out, d2, 3, MPFR_RNDN);
	}
	mpq_clear(h);
	mpfr_clears(a, b, d1, d2, (mpfr_ptr)0);
	return s;
}

gb_status gb_verify_matrix(gb_ctx *ctx, const char *name, const gb_node *l,
			   const gb_node *x, const gb_verify_opts *o,
			   gb_verify_item *out)
{
	mpfr_prec_t prec = o && o->prec ? (mpfr_prec_t)o->prec : 320;
	unsigned want = o && o->points ? o->points : 10;
	uint64_t st = o && o->seed ? (uint64_t)o->seed : MSEED;
	gb_backward bw;
	inst in;
	gb_status s;
	mpfr_t fd, err, maxerr, tol, scale;
	char buf[64];

	memset(out, 0, sizeof *out);
	out->name = name;
	out->wrt = x->u.sym->name;
	if ((s = gb_backward_run(ctx, l, x, &bw)) != GB_OK)
		return s;
	if ((s = inst_init(ctx, &in, l, NULL)) != GB_OK)
		return s;
	mpfr_inits2(prec, fd, err, maxerr, tol, scale, (mpfr_ptr)0);
	mpfr_set_zero(maxerr, 1);
	mpfr_set_si_2exp(tol, 1, -(long)prec / 4, MPFR_RNDN);
	for (unsigned t = 0; t < 4 * want && out->npoints < want && s == GB_OK; t++) {
		gb_value *g = NULL;
		struct gb_diag *mark = ctx->diag_tail;
		size_t nerr = ctx->nerrors;

		if ((s = inst_draw(ctx, &in, &st, t, 5)) != GB_OK)
			break;
		if (gb_eval_node(ctx, bw.expanded, in.env, in.nenv, prec, &g) ==
		    GB_OK) {
			bool bad = false;

			for (size_t k = 0; k < gb_value_len(g) && !bad; k++) {
				if (fd_entry(ctx, l, &in, x, k, prec, fd) != GB_OK) {
					bad = true;	/* undefined nearby: skip */
					break;
				}
				mpfr_sub(err, g->v[k], fd, MPFR_RNDN);
				mpfr_abs(err, err, MPFR_RNDN);
				mpfr_abs(scale, fd, MPFR_RNDN);
				if (mpfr_cmp(scale, tol) < 0)
					mpfr_set(scale, tol, MPFR_RNDN);
				mpfr_div(err, err, scale, MPFR_RNDN);
				if (mpfr_cmp(err, maxerr) > 0)
					mpfr_set(maxerr, err, MPFR_RNDN);
				if (mpfr_cmp(err, tol) > 0 && !out->problem) {
					gb_strbuf sb;

					gb_sb_init(&sb, NULL);
					mpfr_snprintf(buf, sizeof buf, "%.10Rg", g->v[k]);
					gb_sb_printf(&sb, "at %s: entry %zu of the gradient is %s",
						     inst_str(ctx, &in), k + 1, buf);
					mpfr_snprintf(buf, sizeof buf, "%.10Rg", fd);
					gb_sb_printf(&sb, ", the finite difference %s", buf);
					out->problem = ctx_str(ctx, &sb);
				}
			}
			if (!bad)
				out->npoints++;
		}
		gb_value_free(g);
		if (mark)
			mark->next = NULL;
		else
			ctx->diag_head = NULL;
		ctx->diag_tail = mark;
		ctx->nerrors = nerr;
	}
	mpfr_snprintf(buf, sizeof buf, "%.1Re", maxerr);
	{
		gb_strbuf sb;

		gb_sb_init(&sb, NULL);
		gb_sb_puts(&sb, mpfr_zero_p(maxerr) ? "0" : buf);
		out->max_err = ctx_str(ctx, &sb);
	}
	out->ok = out->npoints > 0 && mpfr_cmp(maxerr, tol) <= 0;
	if (!out->npoints && !out->problem)
		out->problem = "no instance where the gradient is defined";
	mpfr_clears(fd, err, maxerr, tol, scale, (mpfr_ptr)0);
	return s == GB_OK && ctx->oom ? GB_ENOMEM : s;
}

/* Does e have a vector or matrix part anywhere? Each node once. */
bool gb_has_matrix(gb_ctx *ctx, const gb_node *e)
{
	size_t cap = ctx->next_id, sp = 0, scap = 64;
	uint8_t *seen = gb_mem_alloc(&ctx->mem, cap);
	const gb_node **stack = gb_mem_alloc(&ctx->mem, scap * sizeof *stack);
	bool r = false;

	if (!seen || !stack) {
		gb_mem_free(&ctx->mem, seen);
		gb_mem_free(&ctx->mem, stack);
		return !gb_is_scalar(e);
	}
	memset(seen, 0, cap);
	stack[sp++] = e;
	while (sp && !r) {
		const gb_node *n = stack[--sp];

		if (!gb_is_scalar(n)) {
			r = true;
			break;
		}
		for (uint32_t i = 0; i < n->nargs; i++) {
			const gb_node *c = n->arg[i];

			if (c->id < cap && seen[c->id])
				continue;
			if (c->id < cap)
				seen[c->id] = 1;
			if (sp == scap) {
				const gb_node **s2;

				scap *= 2;
				s2 = gb_mem_realloc(&ctx->mem, stack,
						    scap * sizeof *s2);
				if (!s2) {
					r = !gb_is_scalar(e);
					sp = 0;
					break;
				}
				stack = s2;
			}
			stack[sp++] = c;
		}
	}
	gb_mem_free(&ctx->mem, seen);
	gb_mem_free(&ctx->mem, stack);
	return r;
}
