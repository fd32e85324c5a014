/*
 * check.c - is an answer right? Evaluation at seeded exact points, with
 * the domain, the parameters' assumptions and the kinks taken into
 * account; and the verifier of derivatives against finite differences.
 * See check.h for the sampling and the tolerance.
 */
#include "numeric/check.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gmp.h>
#include <mpfr.h>

#include "calculus/backward.h"
#include "calculus/diff.h"
#include "calculus/kinks.h"
#include "calculus/simplify.h"
#include "calculus/subst.h"
#include "core/build.h"
#include "core/ctx.h"
#include "core/strbuf.h"
#include "front/diag.h"
#include "front/lower.h"
#include "front/parse.h"
#include "front/parse_latex.h"
#include "front/source.h"
#include "numeric/eval.h"
#include "numeric/mcheck.h"
#include "numeric/verify.h"

enum {
	CHECK_PREC = 256,	/* default bits of a comparison */
	CHECK_POINTS = 32,	/* default random points wanted */
	VERIFY_PREC = 320,	/* default bits of a finite difference */
	VERIFY_POINTS = 16,
	VALUE_DIGITS = 20	/* digits of the values in a counterexample */
};

#define DEFAULT_SEED 0x67726164626f78ULL	/* "gradbox" */

/* ------------------------------------------------------------ helpers */

/* splitmix64: a deterministic generator in integer arithmetic. */
static uint64_t rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A uniform integer in [lo, hi]. */
static long rng_range(uint64_t *s, long lo, long hi)
{
	return lo + (long)(rng_next(s) % (uint64_t)(hi - lo + 1));
}

/*
 * A magnitude m = (1 + r/1024) 2^k, r in [0, 1023], k in [klo, khi]:
 * log-uniform over the scales, exact, with a power-of-two denominator.
 */
static void rng_magnitude(uint64_t *s, long klo, long khi, mpq_ptr m)
{
	long r = rng_range(s, 0, 1023), k = rng_range(s, klo, khi);

	mpq_set_ui(m, (unsigned long)(1024 + r), 1024);
	if (k >= 0)
		mpz_mul_2exp(mpq_numref(m), mpq_numref(m), (mp_bitcnt_t)k);
	else
		mpz_mul_2exp(mpq_denref(m), mpq_denref(m), (mp_bitcnt_t)-k);
	mpq_canonicalize(m);
}

/* Diagnostics reported while probing are expected: roll them back. */
typedef struct diag_mark {
	gb_diag *tail;
	size_t nerrors;
} diag_mark;

static diag_mark diag_save(const gb_ctx *ctx)
{
	return (diag_mark){ ctx->diag_tail, ctx->nerrors };
}

static void diag_restore(gb_ctx *ctx, diag_mark m)
{
	if (m.tail)
		m.tail->next = NULL;
	else
		ctx->diag_head = NULL;
	ctx->diag_tail = m.tail;
	ctx->nerrors = m.nerrors;
}

/* A copy of the string in context memory. */
static const char *ctx_strdup(gb_ctx *ctx, const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = gb_ctx_alloc(ctx, n);

	if (p)
		memcpy(p, s, n);
	return p;
}

/* The strbuf's text in context memory; frees the buffer. */
static const char *sb_ctx(gb_ctx *ctx, gb_strbuf *sb)
{
	const char *s = gb_sb_ok(sb) ? ctx_strdup(ctx, gb_sb_str(sb)) : NULL;

	gb_sb_free(sb);
	return s;
}

static void put_q(gb_strbuf *sb, mpq_srcptr q)
{
	char *s = mpq_get_str(NULL, 10, q);
	void (*freefn)(void *, size_t);

	if (!s) {
		sb->failed = true;
		return;
	}
	gb_sb_puts(sb, s);
	mp_get_memory_functions(NULL, NULL, &freefn);
	freefn(s, strlen(s) + 1);
}

/* x in scientific notation with `digits` digits, as `gradbox eval`. */
static void put_mpfr(gb_strbuf *sb, mpfr_srcptr x, long digits)
{
	gb_value *v = gb_value_new(1, 1, mpfr_get_prec(x));
	char *s;

	if (!v) {
		sb->failed = true;
		return;
	}
	mpfr_set(v->v[0], x, MPFR_RNDN);
	s = gb_value_str(v, digits);
	gb_value_free(v);
	if (!s) {
		sb->failed = true;
		return;
	}
	gb_sb_puts(sb, s);
	gb_free(s);
}

/* A node printed in the plain syntax, into sb. */
static void put_node(gb_ctx *ctx, gb_strbuf *sb, const gb_node *e)
{
	char *s = e ? gb_print(ctx, e) : NULL;

	if (!s) {
		sb->failed = true;
		return;
	}
	gb_sb_puts(sb, s);
	gb_free(s);
}

/* |a - b| <= 2^-bits max(|a|, |b|) */
static bool close_rel(mpfr_srcptr a, mpfr_srcptr b, long bits)
{
	mpfr_t d, m;
	bool ok;

	if (mpfr_equal_p(a, b))
		return true;
	mpfr_inits2(mpfr_get_prec(a) + 8, d, m, (mpfr_ptr)0);
	mpfr_sub(d, a, b, MPFR_RNDN);
	mpfr_abs(d, d, MPFR_RNDN);
	if (mpfr_cmpabs(a, b) >= 0)
		mpfr_abs(m, a, MPFR_RNDN);
	else
		mpfr_abs(m, b, MPFR_RNDN);
	mpfr_mul_2si(m, m, -bits, MPFR_RNDN);
	ok = mpfr_lessequal_p(d, m);
	mpfr_clears(d, m, (mpfr_ptr)0);
	return ok;
}

/* ------------------------------------------------------------ symbols */

/* A symbol the checker gives values to. */
typedef struct var {
	const gb_sym *sym;
	const gb_node *node;
	bool param;
	gb_op rel;		/* the assumption's relation, GB_OP_NONE */
	mpq_srcptr bound;	/* its bound, NULL for 0 */
} var;

typedef struct varset {
	var *v;
	size_t n;
} varset;

static bool is_bound(const gb_ctx *ctx, const gb_sym *s)
{
	return s->id < ctx->nbind && ctx->bind[s->id];
}

/*
 * The symbols of the given expressions that need values, in name order
 * (gb_free_vars sorts): free variables and unbound parameters.
 */
static gb_status collect_vars(gb_ctx *ctx, const gb_node *const *es,
			      size_t ne, varset *vs)
{
	size_t np, nn, k = 0;
	const gb_param *ps = gb_params(ctx, &np);
	const gb_node **live = gb_ctx_alloc(ctx, (ne + 1) * sizeof *live);
	const gb_node *all;
	const char **names;

	vs->v = NULL;
	vs->n = 0;
	if (!live)
		return GB_ENOMEM;
	for (size_t i = 0; i < ne; i++)
		if (es[i])
			live[k++] = es[i];
	/* A column of the expressions has their free variables (a sum
	 * could cancel them). */
	all = gb_matrix(ctx, (uint32_t)k, 1, live);
	if (!all)
		return GB_ENOMEM;
	nn = gb_free_vars(ctx, all, &names);
	vs->v = gb_ctx_alloc(ctx, (nn + np + 1) * sizeof *vs->v);
	if (!vs->v)
		return GB_ENOMEM;
	for (size_t i = 0; i < nn; i++) {
		var *v = &vs->v[vs->n++];

		v->node = gb_symbol(ctx, names[i], strlen(names[i]));
		if (!v->node)
			return GB_ENOMEM;
		v->sym = v->node->u.sym;
		v->param = false;
		v->rel = GB_OP_NONE;
		v->bound = NULL;
	}
	/* Unbound parameters the expressions use, in name order. */
	for (size_t i = 0; i < np; i++) {
		const gb_sym *s = ps[i].sym;
		const gb_node *sn = gb_sym_node(ctx, s);
		size_t j;

		if (!sn || is_bound(ctx, s) || !gb_depends(ctx, all, sn))
			continue;
		for (j = vs->n; j > 0 &&
		     strcmp(vs->v[j - 1].sym->name, s->name) > 0; j--)
			vs->v[j] = vs->v[j - 1];
		vs->v[j].sym = s;
		vs->v[j].node = sn;
		vs->v[j].param = true;
		vs->v[j].rel = ps[i].rel;
		vs->v[j].bound = ps[i].bound ? ps[i].bound->u.q : NULL;
		vs->n++;
	}
	return GB_OK;
}

/* A value for v: a parameter from its assumed side, else either sign. */
static void sample_var(uint64_t *rng, const var *v, int stage, mpq_ptr out)
{
	bool neg;

	if (v->param) {
		rng_magnitude(rng, -3, 2, out);		/* [1/8, 8) */
		switch (v->rel) {
		case GB_OP_GT:
		case GB_OP_GE:
			neg = false;
			break;
		case GB_OP_LT:
		case GB_OP_LE:
			neg = true;
			break;
		default:
			neg = rng_next(rng) & 1;
			if (neg)
				mpq_neg(out, out);
			return;
		}
		if (neg)
			mpq_neg(out, out);
		if (v->bound)
			mpq_add(out, out, v->bound);
		return;
	}
	if (stage == 0)
		rng_magnitude(rng, -10, 5, out);
	else
		rng_magnitude(rng, -20, 20, out);
	if (stage == 0 && mpq_cmp_ui(out, 50, 1) > 0)
		mpq_set_ui(out, 50, 1);
	if (rng_next(rng) & 1)
		mpq_neg(out, out);
}

/* Simple values first, so a counterexample is easy to read. */
static void nice_var(const var *v, size_t i, size_t j, mpq_ptr out)
{
	static const long vnum[] = { 3, -1, 2, -3, 1, -5, 5, -3, 7, -9 };
	static const long vden[] = { 4, 2, 1, 2, 3, 4, 2, 1, 5, 8 };
	static const long pnum[] = { 2, 3, 1, 3, 5, 5 };
	static const long pden[] = { 1, 2, 2, 1, 4, 2 };

	if (v->param) {
		size_t k = (i + j) % (sizeof pnum / sizeof pnum[0]);

		mpq_set_si(out, pnum[k], (unsigned long)pden[k]);
		if (v->rel == GB_OP_LT || v->rel == GB_OP_LE)
			mpq_neg(out, out);
		if (v->bound && v->rel != GB_OP_NONE)
			mpq_add(out, out, v->bound);
	} else {
		size_t k = (i + 3 * j) % (sizeof vnum / sizeof vnum[0]);

		mpq_set_si(out, vnum[k], (unsigned long)vden[k]);
	}
	mpq_canonicalize(out);
}

/* Sets env[] to the point's values (NUM nodes). */
static bool set_env(gb_ctx *ctx, const gb_node **env, const varset *vs,
		    mpq_t *at)
{
	for (size_t j = 0; j < vs->n; j++) {
		env[vs->v[j].sym->id] = gb_num_q(ctx, at[j]);
		if (!env[vs->v[j].sym->id])
			return false;
	}
	return true;
}

/* -------------------------------------------------------------- check */

enum { EV_OK, EV_UNDEF, EV_FAIL };

/* A compared point. */
typedef struct sample {
	mpq_t *at;
	bool agree;
	bool e_def, a_def;
	mpfr_t e, a;
} sample;

/* The kink points of one variable: nodes, and their values at a point. */
typedef struct kinkset {
	const gb_node **c;
	size_t n;
	bool exact;		/* every c is a number */
} kinkset;

typedef struct checker {
	gb_ctx *ctx;
	const gb_node *expected, *answer, *guard;
	varset vs;
	kinkset *ks;		/* per variable */
	const gb_node **env;
	size_t nenv;
	mpfr_prec_t prec;
	uint64_t rng;
	sample *s;
	size_t ns, scap;
	unsigned nskipped;
	unsigned nvalid;	/* points tried that were inside the domain */
	mpq_t tmp;
	mpfr_t tmp_f;
} checker;

/*
 * e at the current env, to c->prec bits. EV_UNDEF when undefined (or
 * not representable: overflow); *unstable when the value never settled
 * (then it comes from a single pass at a high precision).
 */
static int eval_at(checker *c, const gb_node *e, mpfr_ptr out,
		   bool *unstable)
{
	gb_ctx *ctx = c->ctx;
	diag_mark m = diag_save(ctx);
	gb_value *v = NULL;
	gb_status st;

	*unstable = false;
	st = gb_eval_bits(ctx, e, c->env, c->nenv, c->prec, &v);
	if (st == GB_EUNSTABLE) {
		*unstable = true;
		st = gb_eval_node(ctx, e, c->env, c->nenv, 4 * c->prec + 1024,
				  &v);
	}
	diag_restore(ctx, m);
	if (st == GB_ENOMEM || ctx->oom)
		return EV_FAIL;
	if (st != GB_OK || !v)
		return EV_UNDEF;
	if (v->rows != 1 || v->cols != 1) {
		gb_value_free(v);
		return EV_UNDEF;
	}
	mpfr_set(out, v->v[0], MPFR_RNDN);
	gb_value_free(v);
	return EV_OK;
}

/* The value of kink node k at the current env, as an exact rational. */
static bool kink_value(checker *c, const gb_node *k, mpq_ptr out)
{
	gb_value *v = NULL;
	diag_mark m;
	gb_status st;

	if (k->kind == GB_NUM) {
		mpq_set(out, k->u.q);
		return true;
	}
	m = diag_save(c->ctx);
	st = gb_eval_node(c->ctx, k, c->env, c->nenv, c->prec, &v);
	diag_restore(c->ctx, m);
	if (st != GB_OK || v->rows != 1 || v->cols != 1) {
		gb_value_free(v);
		return false;
	}
	mpfr_get_q(out, v->v[0]);
	gb_value_free(v);
	return true;
}

/* Is the point on a kink of one of its variables? */
static bool on_kink(checker *c, mpq_t *at)
{
	bool on = false;

	for (size_t j = 0; j < c->vs.n && !on; j++)
		for (size_t i = 0; i < c->ks[j].n && !on; i++)
			on = kink_value(c, c->ks[j].c[i], c->tmp) &&
			     mpq_equal(c->tmp, at[j]);
	return on;
}

static sample *new_sample(checker *c)
{
	sample *s;

	if (c->ns == c->scap) {
		size_t cap = c->scap ? 2 * c->scap : 64;
		sample *p = gb_mem_realloc(&c->ctx->mem, c->s, cap * sizeof *p);

		if (!p)
			return NULL;
		c->s = p;
		c->scap = cap;
	}
	s = &c->s[c->ns];
	s->at = gb_mem_alloc(&c->ctx->mem, (c->vs.n + 1) * sizeof *s->at);
	if (!s->at)
		return NULL;
	for (size_t j = 0; j < c->vs.n; j++)
		mpq_init(s->at[j]);
	mpfr_inits2(c->prec, s->e, s->a, (mpfr_ptr)0);
	c->ns++;
	return s;
}

static void free_samples(checker *c)
{
	for (size_t i = 0; i < c->ns; i++) {
		for (size_t j = 0; j < c->vs.n; j++)
			mpq_clear(c->s[i].at[j]);
		gb_mem_free(&c->ctx->mem, c->s[i].at);
		mpfr_clears(c->s[i].e, c->s[i].a, (mpfr_ptr)0);
	}
	gb_mem_free(&c->ctx->mem, c->s);
}

/*
 * Evaluates both expressions at the point. Returns -1 on failure (out of
 * memory), 0 when the point is outside the domain or skipped, 1 when
 * compared.
 */
static int try_point(checker *c, mpq_t *at)
{
	sample *s;
	bool ue, ua;
	int re, ra;

	if (!set_env(c->ctx, c->env, &c->vs, at))
		return -1;
	if (c->guard) {
		re = eval_at(c, c->guard, c->tmp_f, &ue);
		if (re == EV_FAIL)
			return -1;
		if (re == EV_UNDEF)
			return 0;
	}
	c->nvalid++;
	s = new_sample(c);
	if (!s)
		return -1;
	for (size_t j = 0; j < c->vs.n; j++)
		mpq_set(s->at[j], at[j]);
	re = eval_at(c, c->expected, s->e, &ue);
	ra = eval_at(c, c->answer, s->a, &ua);
	if (re == EV_FAIL || ra == EV_FAIL)
		return -1;
	s->e_def = re == EV_OK;
	s->a_def = ra == EV_OK;
	if (s->e_def && s->a_def) {
		s->agree = close_rel(s->e, s->a, c->prec / 2);
		if (!s->agree && (ue || ua)) {
			/* an exact zero computed inexactly */
			mpfr_t d;

			mpfr_init2(d, c->prec);
			mpfr_sub(d, s->e, s->a, MPFR_RNDN);
			mpfr_abs(d, d, MPFR_RNDN);
			s->agree = mpfr_cmp_si_2exp(d, 1, -(long)c->prec) <= 0;
			mpfr_clear(d);
		}
		return 1;
	}
	/* Both undefined, or one undefined exactly at a kink: not compared. */
	if ((!s->e_def && !s->a_def) || on_kink(c, at)) {
		c->nskipped++;
		c->ns--;
		for (size_t j = 0; j < c->vs.n; j++)
			mpq_clear(s->at[j]);
		gb_mem_free(&c->ctx->mem, s->at);
		mpfr_clears(s->e, s->a, (mpfr_ptr)0);
		return 0;
	}
	s->agree = false;
	return 1;
}

/* The kink points of every variable in the expressions, deduplicated. */
static gb_status find_kinks(checker *c)
{
	const gb_node *es[3] = { c->expected, c->answer, c->guard };

	c->ks = gb_ctx_alloc(c->ctx, (c->vs.n + 1) * sizeof *c->ks);
	if (!c->ks)
		return GB_ENOMEM;
	for (size_t j = 0; j < c->vs.n; j++) {
		kinkset *k = &c->ks[j];
		size_t cap = 0;

		k->c = NULL;
		k->n = 0;
		k->exact = true;
		for (size_t e = 0; e < 3; e++) {
			const gb_node **pts;
			size_t n;

			if (!es[e])
				continue;
			n = gb_kink_points(c->ctx, es[e], c->vs.v[j].node, &pts);
			for (size_t i = 0; i < n; i++) {
				size_t t;

				for (t = 0; t < k->n && k->c[t] != pts[i]; t++)
					;
				if (t < k->n)
					continue;
				if (k->n == cap) {
					size_t nc = cap ? 2 * cap : 8;
					const gb_node **p;

					p = gb_ctx_alloc(c->ctx, nc * sizeof *p);
					if (!p)
						return GB_ENOMEM;
					if (k->n)
						memcpy(p, k->c, k->n * sizeof *p);
					k->c = p;
					cap = nc;
				}
				k->c[k->n++] = pts[i];
				if (pts[i]->kind != GB_NUM)
					k->exact = false;
			}
		}
	}
	return GB_OK;
}

static int q_cmp(const void *a, const void *b)
{
	const __mpq_struct *x = a, *y = b;

	return mpq_cmp(x, y);
}

/*
 * The kinks of variable j at the current env, sorted and distinct, in
 * qs[] (initialised by the caller, room for ks[j].n). Returns the count.
 */
static size_t kink_values(checker *c, size_t j, mpq_t *qs)
{
	size_t n = 0;

	for (size_t i = 0; i < c->ks[j].n; i++)
		if (kink_value(c, c->ks[j].c[i], qs[n]))
			n++;
	qsort(qs, n, sizeof *qs, q_cmp);
	for (size_t i = 1; i < n; i++)
		if (mpq_equal(qs[i], qs[i - 1])) {
			for (size_t t = i; t + 1 < n; t++)
				mpq_swap(qs[t], qs[t + 1]);
			n--;
			i--;
		}
	return n;
}

/*
 * Probes around the kinks of each variable, the others as at base:
 * c +- 1/64 and c +- 1/4096, the midpoint between neighbours, and one
 * unit outside the outermost.
 */
static int probe_kinks(checker *c, mpq_t *base, mpq_t *pt)
{
	for (size_t j = 0; j < c->vs.n; j++) {
		size_t nk = c->ks[j].n, n;
		mpq_t *qs;
		int rc = 0;

		if (!nk)
			continue;
		if (!set_env(c->ctx, c->env, &c->vs, base))
			return -1;
		qs = gb_mem_alloc(&c->ctx->mem, nk * sizeof *qs);
		if (!qs)
			return -1;
		for (size_t i = 0; i < nk; i++)
			mpq_init(qs[i]);
		n = kink_values(c, j, qs);
		for (size_t i = 0; i < n && rc >= 0; i++) {
			static const unsigned long den[] = { 64, 4096 };

			for (size_t d = 0; d < 4 && rc >= 0; d++) {
				for (size_t t = 0; t < c->vs.n; t++)
					mpq_set(pt[t], base[t]);
				mpq_set_si(c->tmp, d & 1 ? -1 : 1, den[d / 2]);
				mpq_add(pt[j], qs[i], c->tmp);
				rc = try_point(c, pt);
			}
			for (size_t t = 0; t < c->vs.n; t++)
				mpq_set(pt[t], base[t]);
			if (i + 1 < n) {
				mpq_add(pt[j], qs[i], qs[i + 1]);
				mpq_div_2exp(pt[j], pt[j], 1);
			} else {
				mpq_set_ui(c->tmp, 1, 1);
				mpq_add(pt[j], qs[i], c->tmp);
			}
			if (rc >= 0)
				rc = try_point(c, pt);
			if (i == 0 && rc >= 0) {
				mpq_set_ui(c->tmp, 1, 1);
				mpq_sub(pt[j], qs[0], c->tmp);
				rc = try_point(c, pt);
			}
		}
		for (size_t i = 0; i < nk; i++)
			mpq_clear(qs[i]);
		gb_mem_free(&c->ctx->mem, qs);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* Nice points, kink probes, then random points until enough compared. */
static int sample_all(checker *c, unsigned want)
{
	size_t nv = c->vs.n;
	mpq_t *pt = gb_mem_alloc(&c->ctx->mem, (2 * nv + 1) * sizeof *pt);
	mpq_t *base = pt + nv;
	int rc = 0;

	if (!pt)
		return -1;
	for (size_t j = 0; j < 2 * nv; j++)
		mpq_init(pt[j]);
	if (nv == 0) {
		rc = try_point(c, pt);
		goto out;
	}
	for (size_t i = 0; i < 8 && rc >= 0; i++) {
		for (size_t j = 0; j < nv; j++)
			nice_var(&c->vs.v[j], i, j, pt[j]);
		rc = try_point(c, pt);
	}
	for (size_t i = 0; i < 2 && rc >= 0; i++) {
		for (size_t j = 0; j < nv; j++)
			nice_var(&c->vs.v[j], i, j, base[j]);
		rc = probe_kinks(c, base, pt);
	}
	/* Random points; when the domain is narrow, over wider scales. */
	for (int stage = 0; stage < 2 && rc >= 0; stage++) {
		unsigned goal = c->nvalid + want;

		for (unsigned tries = 0; c->nvalid < goal &&
		     tries < 16 * want && rc >= 0; tries++) {
			for (size_t j = 0; j < nv; j++)
				sample_var(&c->rng, &c->vs.v[j], stage, pt[j]);
			rc = try_point(c, pt);
		}
		if (c->ns >= want)
			break;
	}
out:
	for (size_t j = 0; j < 2 * nv; j++)
		mpq_clear(pt[j]);
	gb_mem_free(&c->ctx->mem, pt);
	return rc < 0 ? -1 : 0;
}

/* Sum of the bit lengths of a point's rationals: smaller is simpler. */
static size_t height(const checker *c, mpq_t *at)
{
	size_t h = 0;

	for (size_t j = 0; j < c->vs.n; j++)
		h += mpz_sizeinbase(mpq_numref(at[j]), 2) +
		     mpz_sizeinbase(mpq_denref(at[j]), 2);
	return h;
}

/* "x < 0", "0 < x < 1", "x > 1" */
static void put_region(gb_strbuf *sb, const char *x, mpq_t *k, size_t n,
		       size_t pos)
{
	if (pos > 0 && pos < n) {
		put_q(sb, k[pos - 1]);
		gb_sb_printf(sb, " < %s < ", x);
		put_q(sb, k[pos]);
	} else if (pos == 0) {
		gb_sb_printf(sb, "%s < ", x);
		put_q(sb, k[0]);
	} else {
		gb_sb_printf(sb, "%s > ", x);
		put_q(sb, k[n - 1]);
	}
}

/*
 * Where the answer is wrong, when that is a union of regions between
 * the (parameter-free) kinks of x: "wrong for x < 0 (agrees for x > 0)".
 */
static const char *region_text(checker *c, size_t ix)
{
	const kinkset *ks = &c->ks[ix];
	const char *x = c->vs.v[ix].sym->name;
	size_t n, nw = 0, nr = 0;
	unsigned *agree, *wrong;
	const char *out = NULL;
	mpq_t *k;
	gb_strbuf sb;

	if (!ks->exact || !ks->n)
		return NULL;
	k = gb_mem_alloc(&c->ctx->mem, ks->n * sizeof *k);
	agree = gb_mem_alloc(&c->ctx->mem, 2 * (ks->n + 1) * sizeof *agree);
	if (!k || !agree) {
		gb_mem_free(&c->ctx->mem, k);
		gb_mem_free(&c->ctx->mem, agree);
		return NULL;
	}
	wrong = agree + ks->n + 1;
	memset(agree, 0, 2 * (ks->n + 1) * sizeof *agree);
	for (size_t i = 0; i < ks->n; i++)
		mpq_init(k[i]);
	n = kink_values(c, ix, k);
	for (size_t i = 0; i < c->ns; i++) {
		mpq_srcptr v = c->s[i].at[ix];
		size_t pos = 0;
		bool on = false;

		while (pos < n && mpq_cmp(k[pos], v) <= 0) {
			on = on || mpq_equal(k[pos], v);
			pos++;
		}
		if (on)
			continue;
		if (c->s[i].agree)
			agree[pos]++;
		else
			wrong[pos]++;
	}
	for (size_t p = 0; p <= n; p++) {
		if (agree[p] && wrong[p])
			goto out;
		nw += wrong[p] != 0;
		nr += agree[p] != 0;
	}
	if (!nw || !nr)
		goto out;
	gb_sb_init(&sb, NULL);
	gb_sb_puts(&sb, "wrong for ");
	for (size_t p = 0, i = 0; p <= n; p++)
		if (wrong[p]) {
			gb_sb_puts(&sb, i++ ? " and " : "");
			put_region(&sb, x, k, n, p);
		}
	gb_sb_puts(&sb, " (agrees for ");
	for (size_t p = 0, i = 0; p <= n; p++)
		if (agree[p]) {
			gb_sb_puts(&sb, i++ ? " and " : "");
			put_region(&sb, x, k, n, p);
		}
	gb_sb_putc(&sb, ')');
	out = sb_ctx(c->ctx, &sb);
out:
	for (size_t i = 0; i < ks->n; i++)
		mpq_clear(k[i]);
	gb_mem_free(&c->ctx->mem, k);
	gb_mem_free(&c->ctx->mem, agree);
	return out;
}

/*
 * Does expected = k * answer hold at every disagreeing point where both
 * are defined? k is the constant num/den, or (param >= 0) the value of
 * that parameter, or its reciprocal (param_inv).
 */
static bool ratio_is(checker *c, long num, unsigned long den, size_t param,
		     bool param_inv)
{
	mpfr_t t;
	mpq_t q;
	bool ok = true;
	size_t used = 0;

	mpfr_init2(t, c->prec);
	mpq_init(q);
	for (size_t i = 0; i < c->ns && ok; i++) {
		sample *s = &c->s[i];

		if (s->agree || !s->e_def || !s->a_def)
			continue;
		if (param != SIZE_MAX)
			mpq_set(q, s->at[param]);
		else
			mpq_set_si(q, num, den);
		if (param_inv) {
			if (!mpq_sgn(q)) {
				ok = false;
				break;
			}
			mpq_inv(q, q);
		}
		mpfr_mul_q(t, s->a, q, MPFR_RNDN);
		ok = close_rel(s->e, t, c->prec / 2 - 8);
		used++;
	}
	mpq_clear(q);
	mpfr_clear(t);
	return ok && used > 0;
}

/*
 * Is expected / answer (op 0) or expected - answer (op 1) the same at
 * every disagreeing point (at least two)? Its value goes to out.
 */
static bool same_everywhere(checker *c, int op, mpfr_ptr out)
{
	mpfr_t t;
	size_t used = 0;
	bool ok = true;

	mpfr_init2(t, c->prec);
	for (size_t i = 0; i < c->ns && ok; i++) {
		sample *s = &c->s[i];

		if (s->agree || !s->e_def || !s->a_def)
			continue;
		if (op == 0) {
			if (mpfr_zero_p(s->a)) {
				ok = false;
				break;
			}
			mpfr_div(t, s->e, s->a, MPFR_RNDN);
		} else {
			mpfr_sub(t, s->e, s->a, MPFR_RNDN);
		}
		if (used++ == 0)
			mpfr_set(out, t, MPFR_RNDN);
		else
			ok = close_rel(out, t, c->prec / 4);
	}
	mpfr_clear(t);
	return ok && used >= 2;
}

/* A hint when the answer is wrong by a factor or a constant. */
static const char *hint_text(checker *c)
{
	static const long cn[] = { 2, 1, 3, 1, -2, -1, 4, 1 };
	static const unsigned long cd[] = { 1, 2, 1, 3, 1, 2, 1, 4 };
	gb_strbuf sb;
	mpfr_t v;

	gb_sb_init(&sb, NULL);
	mpfr_init2(v, c->prec);
	if (ratio_is(c, -1, 1, SIZE_MAX, false)) {
		gb_sb_puts(&sb, "off by a factor -1 (sign error)");
		goto out;
	}
	for (size_t j = 0; j < c->vs.n; j++) {
		if (!c->vs.v[j].param)
			continue;
		if (ratio_is(c, 0, 1, j, false)) {
			gb_sb_printf(&sb, "missing factor %s",
				     c->vs.v[j].sym->name);
			goto out;
		}
		if (ratio_is(c, 0, 1, j, true)) {
			gb_sb_printf(&sb, "extra factor %s",
				     c->vs.v[j].sym->name);
			goto out;
		}
	}
	for (size_t i = 0; i < sizeof cn / sizeof cn[0]; i++)
		if (ratio_is(c, cn[i], cd[i], SIZE_MAX, false)) {
			gb_sb_printf(&sb, "off by a constant factor %ld", cn[i]);
			if (cd[i] != 1)
				gb_sb_printf(&sb, "/%lu", cd[i]);
			gb_sb_puts(&sb, " (expected = factor * answer)");
			goto out;
		}
	if (same_everywhere(c, 0, v)) {
		gb_sb_puts(&sb, "off by a constant factor ");
		put_mpfr(&sb, v, 6);
		gb_sb_puts(&sb, " (expected = factor * answer)");
	} else if (same_everywhere(c, 1, v)) {
		gb_sb_puts(&sb, "off by an additive constant (expected - answer = ");
		put_mpfr(&sb, v, 6);
		gb_sb_putc(&sb, ')');
	}
out:
	mpfr_clear(v);
	if (!sb.len) {
		gb_sb_free(&sb);
		return NULL;
	}
	return sb_ctx(c->ctx, &sb);
}

/* 0: defined, 1: undefined, 2: defined only under a condition. */
static int definedness(gb_ctx *ctx, const gb_node *e)
{
	if (gb_is_undefined(ctx, e))
		return 1;
	if (e->kind == GB_PIECEWISE && e->nargs == 2)
		return 2;
	return 0;
}

typedef struct notes {
	const char **v;
	size_t n, cap;
} notes;

static void add_note(gb_ctx *ctx, notes *ns, gb_strbuf *sb)
{
	const char *s = sb_ctx(ctx, sb);

	if (!s)
		return;
	if (ns->n == ns->cap) {
		size_t cap = ns->cap ? 2 * ns->cap : 8;
		const char **v = gb_ctx_alloc(ctx, cap * sizeof *v);

		if (!v)
			return;
		if (ns->n)
			memcpy(v, ns->v, ns->n * sizeof *v);
		ns->v = v;
		ns->cap = cap;
	}
	ns->v[ns->n++] = s;
}

/*
 * What each side says exactly at the kinks of x, when they differ
 * there: "at x = 0 the answer gives 0; the derivative does not exist
 * there (left 0, right 1)". what names the expected side.
 */
static void kink_notes(checker *c, size_t ix, const char *what, notes *ns)
{
	gb_ctx *ctx = c->ctx;
	const gb_node *x = c->vs.v[ix].node;
	const char *xn = c->vs.v[ix].sym->name;
	const kinkset *ks = &c->ks[ix];

	for (size_t i = 0; i < ks->n; i++) {
		const gb_node *k = ks->c[i];
		const gb_node *es = gb_subst(ctx, c->expected, x, k);
		const gb_node *as = gb_subst(ctx, c->answer, x, k);
		int de, da;
		gb_strbuf sb;

		if (!es || !as)
			return;
		de = definedness(ctx, es);
		da = definedness(ctx, as);
		if (de == 0 && da == 0) {
			/* Both defined: a note only if they differ (at the
			 * parameters of the first nice point). */
			mpfr_t ve, va;
			bool ue, ua, differ;

			if (gb_simplify(ctx, es) == gb_simplify(ctx, as))
				continue;
			mpfr_inits2(c->prec, ve, va, (mpfr_ptr)0);
			differ = eval_at(c, es, ve, &ue) == EV_OK &&
				 eval_at(c, as, va, &ua) == EV_OK &&
				 !close_rel(ve, va, c->prec / 2);
			mpfr_clears(ve, va, (mpfr_ptr)0);
			if (!differ)
				continue;
		}
		if (de == 1 && da == 1)
			continue;
		if (de == 2 && da == 2)
			continue;
		gb_sb_init(&sb, NULL);
		gb_sb_printf(&sb, "at %s = ", xn);
		put_node(ctx, &sb, k);
		if (da == 1) {
			gb_sb_puts(&sb, " the answer is undefined; ");
		} else {
			gb_sb_puts(&sb, " the answer gives ");
			put_node(ctx, &sb, gb_simplify(ctx, da == 2 ?
						       as->arg[1] : as));
			gb_sb_puts(&sb, "; ");
		}
		gb_sb_puts(&sb, what);
		if (de == 0) {
			gb_sb_puts(&sb, " there is ");
			put_node(ctx, &sb, gb_simplify(ctx, es));
		} else {
			if (de == 1)
				gb_sb_puts(&sb, " does not exist there");
			else {
				gb_sb_puts(&sb, " exists there only if ");
				put_node(ctx, &sb, es->arg[0]);
			}
			gb_sb_puts(&sb, " (left ");
			put_node(ctx, &sb, gb_simplify(ctx,
				 gb_one_sided(ctx, c->expected, x, k, -1)));
			gb_sb_puts(&sb, ", right ");
			put_node(ctx, &sb, gb_simplify(ctx,
				 gb_one_sided(ctx, c->expected, x, k, 1)));
			gb_sb_putc(&sb, ')');
		}
		add_note(ctx, ns, &sb);
	}
}

/* Fills in the counterexample and the explanations of an incorrect
 * answer. */
static gb_status explain(checker *c, size_t ix, bool deriv,
			 gb_check_result *r, notes *ns)
{
	gb_ctx *ctx = c->ctx;
	size_t best = SIZE_MAX, bh = 0;
	const sample *s;
	gb_strbuf sb;

	for (size_t i = 0; i < c->ns; i++) {
		size_t h;

		if (c->s[i].agree)
			continue;
		h = height(c, c->s[i].at);
		if (best == SIZE_MAX || h < bh) {
			best = i;
			bh = h;
		}
	}
	s = &c->s[best];
	r->nvars = c->vs.n;
	r->var_names = gb_ctx_alloc(ctx, (c->vs.n + 1) * sizeof *r->var_names);
	r->var_values = gb_ctx_alloc(ctx, (c->vs.n + 1) * sizeof *r->var_values);
	if (!r->var_names || !r->var_values)
		return GB_ENOMEM;
	gb_sb_init(&sb, NULL);
	for (size_t j = 0; j < c->vs.n; j++) {
		gb_strbuf v;

		gb_sb_init(&v, NULL);
		put_q(&v, s->at[j]);
		r->var_names[j] = c->vs.v[j].sym->name;
		r->var_values[j] = ctx_strdup(ctx, gb_sb_ok(&v) ?
					      gb_sb_str(&v) : "?");
		gb_sb_free(&v);
		gb_sb_printf(&sb, "%s%s = %s", j ? ", " : "",
			     r->var_names[j], r->var_values[j]);
	}
	r->point = sb_ctx(ctx, &sb);
	gb_sb_init(&sb, NULL);
	if (s->e_def)
		put_mpfr(&sb, s->e, VALUE_DIGITS);
	else
		gb_sb_puts(&sb, "undefined");
	r->expected = sb_ctx(ctx, &sb);
	gb_sb_init(&sb, NULL);
	if (s->a_def)
		put_mpfr(&sb, s->a, VALUE_DIGITS);
	else
		gb_sb_puts(&sb, "undefined");
	r->got = sb_ctx(ctx, &sb);
	if (ix != SIZE_MAX)
		r->region = region_text(c, ix);
	r->hint = hint_text(c);
	(void)deriv;
	(void)ns;
	return ctx->oom ? GB_ENOMEM : GB_OK;
}

static void checker_free(checker *c)
{
	free_samples(c);
	mpq_clear(c->tmp);
	mpfr_clear(c->tmp_f);
}

/* One run of the checker on expected vs answer. */
static gb_status run_check(gb_ctx *ctx, const gb_node *expected,
			   const gb_node *answer, const gb_node *guard,
			   const char *wrt, const gb_check_opts *o,
			   gb_check_result *r)
{
	const gb_node *es[3] = { expected, answer, guard };
	unsigned want = o && o->points ? o->points : CHECK_POINTS;
	checker c;
	notes ns = { NULL, 0, 0 };
	size_t ix = SIZE_MAX, nfree = 0, nbase;
	gb_status st;

	memset(&c, 0, sizeof c);
	c.ctx = ctx;
	c.expected = expected;
	c.answer = answer;
	c.guard = guard;
	c.prec = o && o->prec ? (mpfr_prec_t)o->prec : CHECK_PREC;
	c.rng = o && o->seed ? (uint64_t)o->seed : DEFAULT_SEED;
	mpq_init(c.tmp);
	mpfr_init2(c.tmp_f, c.prec);
	if ((st = collect_vars(ctx, es, 3, &c.vs)) != GB_OK ||
	    (st = find_kinks(&c)) != GB_OK)
		goto out;
	/* The variable of regions and kink notes: wrt, or the only one. */
	for (size_t j = 0; j < c.vs.n; j++) {
		if (c.vs.v[j].param)
			continue;
		nfree++;
		if (wrt ? !strcmp(c.vs.v[j].sym->name, wrt) : nfree == 1)
			ix = j;
	}
	if (!wrt && nfree != 1)
		ix = SIZE_MAX;
	nbase = ctx->nbind > ctx->sused ? ctx->nbind : ctx->sused;
	c.nenv = nbase + 1;
	c.env = gb_ctx_alloc(ctx, c.nenv * sizeof *c.env);
	if (!c.env) {
		st = GB_ENOMEM;
		goto out;
	}
	memset(c.env, 0, c.nenv * sizeof *c.env);
	if (ctx->nbind)
		memcpy(c.env, ctx->bind, ctx->nbind * sizeof *c.env);
	if (sample_all(&c, want) < 0) {
		st = gb_ctx_status(ctx) ? gb_ctx_status(ctx) : GB_ENOMEM;
		goto out;
	}
	r->npoints = (unsigned)c.ns;
	r->nskipped = c.nskipped;
	if (c.ns == 0) {
		gb_error(ctx, NULL, (gb_span){ 0, 0 },
			 "found no point where both the expression and the answer are defined");
		st = GB_EDOMAIN;
		goto out;
	}
	r->correct = true;
	for (size_t i = 0; i < c.ns; i++)
		if (!c.s[i].agree)
			r->correct = false;
	if (!r->correct && (st = explain(&c, ix, wrt != NULL, r, &ns)) != GB_OK)
		goto out;
	/* Notes: the kinks of x (parameters as at the first nice point). */
	if (ix != SIZE_MAX && c.vs.n) {
		mpq_t *pt = gb_mem_alloc(&ctx->mem, c.vs.n * sizeof *pt);

		if (pt) {
			for (size_t j = 0; j < c.vs.n; j++) {
				mpq_init(pt[j]);
				nice_var(&c.vs.v[j], 0, j, pt[j]);
			}
			if (set_env(ctx, c.env, &c.vs, pt))
				kink_notes(&c, ix, wrt ? "the derivative" :
					   "the expected value", &ns);
			for (size_t j = 0; j < c.vs.n; j++)
				mpq_clear(pt[j]);
			gb_mem_free(&ctx->mem, pt);
		}
	}
	/* A symbol only the answer uses is a likely typo. */
	for (size_t j = 0; j < c.vs.n && !r->correct; j++) {
		gb_strbuf sb;

		if (c.vs.v[j].param ||
		    gb_depends(ctx, expected, c.vs.v[j].node) ||
		    (guard && gb_depends(ctx, guard, c.vs.v[j].node)))
			continue;
		gb_sb_init(&sb, NULL);
		gb_sb_printf(&sb, "the answer uses '%s', which the expression does not",
			     c.vs.v[j].sym->name);
		add_note(ctx, &ns, &sb);
	}
	r->notes = ns.v;
	r->nnotes = ns.n;
	st = ctx->oom ? GB_ENOMEM : GB_OK;
out:
	checker_free(&c);
	return st;
}

gb_status gb_check(gb_ctx *ctx, const gb_node *expr, const gb_node *answer,
		   const gb_check_opts *o, gb_check_result *r)
{
	const char *wrt = o ? o->wrt : NULL;
	const gb_node *expected = expr, *guard = NULL;
	gb_status st;

	if (!ctx || !expr || !answer || !r)
		return GB_EUSAGE;
	memset(r, 0, sizeof *r);
	if (gb_has_matrix(ctx, expr) || gb_has_matrix(ctx, answer) ||
	    (wrt && gb_has_matrix(ctx, gb_symbol(ctx, wrt, strlen(wrt))))) {
		/* vectors and matrices: numeric/mcheck.c; a derivative is
		 * the gradient of the backward pass */
		if (wrt) {
			gb_backward bw;

			st = gb_backward_run(ctx, expr, gb_symbol(ctx, wrt,
							  strlen(wrt)), &bw);
			if (st != GB_OK)
				return st;
			expected = bw.expanded;
		}
		return gb_check_matrix(ctx, expected, answer, o, r);
	}
	if (o && (o->prec < 0 || o->prec > GB_EVAL_PREC_MAX / 8))
		return GB_EUSAGE;
	if (wrt) {
		const gb_node *x = gb_symbol(ctx, wrt, strlen(wrt));

		if (!x)
			return gb_ctx_status(ctx);
		expected = gb_derivative(ctx, expr, x, 1);
		if (!expected)
			return gb_ctx_status(ctx) ? gb_ctx_status(ctx) : GB_EDOMAIN;
		guard = expr;
	}
	st = run_check(ctx, expected, answer, guard, wrt, o, r);
	if (st != GB_OK || r->correct || wrt)
		return st;
	/* Equality failed: was the answer the derivative all along? */
	{
		const char **names;
		gb_check_opts d = { NULL, 0, 0, 0 };
		gb_check_result dr;
		diag_mark m = diag_save(ctx);

		if (gb_free_vars(ctx, expr, &names) != 1)
			return GB_OK;
		if (o)
			d = *o;
		d.wrt = names[0];
		if (gb_check(ctx, expr, answer, &d, &dr) == GB_OK && dr.correct) {
			gb_strbuf sb;
			const char **v = gb_ctx_alloc(ctx, (r->nnotes + 1) *
							   sizeof *v);

			if (!v)
				return GB_ENOMEM;
			if (r->nnotes)
				memcpy(v, r->notes, r->nnotes * sizeof *v);
			gb_sb_init(&sb, NULL);
			gb_sb_printf(&sb, "the answer is the derivative of the expression in %s: check a derivative with --wrt %s",
				     names[0], names[0]);
			v[r->nnotes] = sb_ctx(ctx, &sb);
			if (v[r->nnotes])
				r->nnotes++;
			r->notes = v;
		}
		diag_restore(ctx, m);
	}
	return GB_OK;
}

gb_status gb_parse_answer(gb_ctx *ctx, const char *name, const char *text,
			  size_t len, gb_answer_syntax syntax,
			  const gb_node **out)
{
	if (!ctx || !name || !text || !out)
		return GB_EUSAGE;
	gb_diag *mark = ctx->diag_tail;
	gb_status st;

	if (syntax == GB_ANSWER_LATEX ||
	    (syntax == GB_ANSWER_AUTO && gb_looks_like_latex(text, len)))
		st = gb_parse_latex(ctx, name, text, len, out);
	else
		st = gb_parse(ctx, name, text, len, out);
	/* An answer that parses but whose shapes do not conform is wrong,
	 * not malformed: GB_ESHAPE (the message is the diagnostic). */
	if (st == GB_ESYNTAX) {
		const gb_diag *d = mark ? mark->next : ctx->diag_head;

		if (d && d->msg && (strstr(d->msg, "shapes do not conform") ||
				    strstr(d->msg, "needs a square") ||
				    strstr(d->msg, "only by a scalar") ||
				    strstr(d->msg, "'^' of a vector")))
			st = GB_ESHAPE;
	}
	return st;
}

/* ------------------------------------------------------------- verify */

/* "3.1e-41": x with two significant digits. */
static const char *two_digits(gb_ctx *ctx, mpfr_srcptr x)
{
	char buf[64], *d;
	mpfr_exp_t e;

	if (mpfr_zero_p(x))
		return ctx_strdup(ctx, "0");
	d = mpfr_get_str(NULL, &e, 10, 2, x, MPFR_RNDN);
	if (!d)
		return NULL;
	snprintf(buf, sizeof buf, "%s%c.%ce%ld", d[0] == '-' ? "-" : "",
		 d[d[0] == '-'], d[(d[0] == '-') + 1], (long)(e - 1));
	mpfr_free_str(d);
	return ctx_strdup(ctx, buf);
}

gb_status gb_verify_pair(gb_ctx *ctx, const char *name, const gb_node *f,
			 const gb_node *df, const gb_node *x,
			 const gb_verify_opts *o, gb_verify_item *out)
{
	mpfr_prec_t prec = o && o->prec ? (mpfr_prec_t)o->prec : VERIFY_PREC;
	unsigned want = o && o->points ? o->points : VERIFY_POINTS;
	uint64_t rng = o && o->seed ? (uint64_t)o->seed : DEFAULT_SEED;
	const gb_node *es[2] = { f, df };
	const gb_node **saved = NULL;
	size_t nsaved = 0;
	checker c;
	varset all;
	mpq_t x0, worst, q;
	mpfr_t err, maxerr, tol;
	gb_status st;
	size_t ixv = SIZE_MAX;
	unsigned tries = 0;
	bool have_worst = false;

	if (!ctx || !f || !df || !x || x->kind != GB_SYM || !out)
		return GB_EUSAGE;
	memset(out, 0, sizeof *out);
	out->name = name;
	out->wrt = x->u.sym->name;
	memset(&c, 0, sizeof c);
	c.ctx = ctx;
	c.expected = df;
	c.answer = f;
	c.prec = prec;
	mpq_init(c.tmp);
	mpfr_init2(c.tmp_f, prec);
	mpq_inits(x0, worst, q, NULL);
	mpfr_inits2(prec, err, maxerr, tol, (mpfr_ptr)0);
	mpfr_set_zero(maxerr, 1);
	mpfr_set_si_2exp(tol, 1, -(long)prec / 4, MPFR_RNDN);
	if ((st = collect_vars(ctx, es, 2, &all)) != GB_OK)
		goto out;
	/* x is sampled here; the other symbols are bound for the FD. */
	c.vs = all;
	for (size_t j = 0; j < all.n; j++)
		if (all.v[j].node == x)
			ixv = j;
	if ((st = find_kinks(&c)) != GB_OK)
		goto out;
	saved = gb_ctx_alloc(ctx, (all.n + 1) * sizeof *saved);
	if (!saved) {
		st = GB_ENOMEM;
		goto out;
	}
	for (size_t j = 0; j < all.n; j++) {
		gb_sym *s = (gb_sym *)(uintptr_t)all.v[j].sym;

		/* Reserve a binding slot, remember what was there. */
		saved[j] = is_bound(ctx, s) ? ctx->bind[s->id] : NULL;
		if ((st = gb_bind_reserve(ctx, s)) != GB_OK)
			goto out;
		ctx->bind[s->id] = ctx->zero;	/* set at every point */
		nsaved = j + 1;
	}
	c.env = ctx->bind;
	c.nenv = ctx->nbind;
	while (out->npoints < want && tries < 32 * want) {
		mpq_t *at;
		bool near = false;
		diag_mark m;

		tries++;
		at = gb_mem_alloc(&ctx->mem, (all.n + 1) * sizeof *at);
		if (!at) {
			st = GB_ENOMEM;
			goto out;
		}
		for (size_t j = 0; j < all.n; j++) {
			mpq_init(at[j]);
			sample_var(&rng, &all.v[j], tries > 16 * want, at[j]);
		}
		if (ixv == SIZE_MAX)
			mpq_set_ui(x0, 1, 2);
		else
			mpq_set(x0, at[ixv]);
		if (!set_env(ctx, ctx->bind, &all, at))
			st = GB_ENOMEM;
		/* Away from kinks by 1/256: far more than the step. */
		for (size_t j = 0; j < all.n && st == GB_OK && !near; j++) {
			if (j != ixv)
				continue;
			for (size_t i = 0; i < c.ks[j].n && !near; i++) {
				if (!kink_value(&c, c.ks[j].c[i], q))
					continue;
				mpq_sub(q, q, x0);
				mpz_abs(mpq_numref(q), mpq_numref(q));
				mpz_mul_2exp(mpq_numref(q), mpq_numref(q), 8);
				near = mpq_cmp_ui(q, 1, 1) < 0;
			}
		}
		if (ixv != SIZE_MAX)
			ctx->bind[x->u.sym->id] = NULL;
		m = diag_save(ctx);
		if (st == GB_OK && !near) {
			gb_status fs = gb_fd_check(ctx, f, df, x, x0, prec, err);

			if (fs == GB_ENOMEM)
				st = fs;
			else if (fs == GB_OK && !mpfr_nan_p(err)) {
				out->npoints++;
				if (mpfr_cmp(err, maxerr) > 0 || !have_worst) {
					mpfr_set(maxerr, err, MPFR_RNDN);
					if (!have_worst || mpfr_cmp(err, tol) > 0 ||
					    !mpfr_zero_p(err)) {
						/* the worst point, for the report */
						mpq_set(worst, x0);
						have_worst = true;
					}
				}
			}
		}
		diag_restore(ctx, m);
		if (mpfr_cmp(maxerr, tol) > 0 && !out->problem && st == GB_OK) {
			/* Report the first failing point with both values. */
			mpfr_t fd, sym;
			gb_strbuf sb;
			gb_value *v = NULL;

			mpfr_inits2(prec, fd, sym, (mpfr_ptr)0);
			gb_sb_init(&sb, NULL);
			gb_sb_printf(&sb, "at %s = ", x->u.sym->name);
			put_q(&sb, x0);
			for (size_t j = 0; j < all.n; j++) {
				if (j == ixv)
					continue;
				gb_sb_printf(&sb, ", %s = ", all.v[j].sym->name);
				put_q(&sb, at[j]);
			}
			ctx->bind[x->u.sym->id] = gb_num_q(ctx, x0);
			if (gb_eval_node(ctx, df, ctx->bind, ctx->nbind, prec, &v) ==
			    GB_OK) {
				gb_sb_puts(&sb, ": derivative ");
				put_mpfr(&sb, v->v[0], VALUE_DIGITS);
			}
			gb_value_free(v);
			ctx->bind[x->u.sym->id] = NULL;
			if (gb_fd_derivative(ctx, f, x, x0, prec, fd) == GB_OK) {
				gb_sb_puts(&sb, ", finite difference ");
				put_mpfr(&sb, fd, VALUE_DIGITS);
			}
			diag_restore(ctx, m);
			out->problem = sb_ctx(ctx, &sb);
			mpfr_clears(fd, sym, (mpfr_ptr)0);
		}
		for (size_t j = 0; j < all.n; j++)
			mpq_clear(at[j]);
		gb_mem_free(&ctx->mem, at);
		if (st != GB_OK)
			goto out;
	}
	out->max_err = two_digits(ctx, maxerr);
	out->ok = out->npoints > 0 && mpfr_cmp(maxerr, tol) <= 0;
	if (!out->npoints)
		out->problem = ctx_strdup(ctx, "no point inside the domain and away from kinks was found");
	st = ctx->oom ? GB_ENOMEM : GB_OK;
out:
	for (size_t j = 0; j < nsaved; j++)
		ctx->bind[all.v[j].sym->id] = saved[j];
	mpq_clears(x0, worst, q, NULL);
	mpfr_clears(err, maxerr, tol, (mpfr_ptr)0);
	mpq_clear(c.tmp);
	mpfr_clear(c.tmp_f);
	return st;
}

/* The variable of d/dx: wrt, or f's only free variable (diagnosed). */
static const gb_node *diff_var(gb_ctx *ctx, const gb_node *f, const char *wrt)
{
	const char **names;
	size_t n;

	if (wrt)
		return gb_symbol(ctx, wrt, strlen(wrt));
	n = gb_free_vars(ctx, f, &names);
	if (n != 1) {
		gb_error(ctx, NULL, (gb_span){ 0, 0 },
			 n ? "the expression has several variables: choose one with --wrt"
			   : "the expression has no variable to differentiate by");
		return NULL;
	}
	return gb_symbol(ctx, names[0], strlen(names[0]));
}

gb_status gb_verify(gb_ctx *ctx, const char *name, const gb_node *f,
		    const char *wrt, const gb_verify_opts *o,
		    gb_verify_item *out)
{
	const gb_node *x, *df;

	if (!ctx || !f || !out)
		return GB_EUSAGE;
	memset(out, 0, sizeof *out);
	if (gb_has_matrix(ctx, f) ||
	    (wrt && gb_has_matrix(ctx, gb_symbol(ctx, wrt, strlen(wrt))))) {
		if (!wrt) {
			gb_error(ctx, NULL, (gb_span){ 0, 0 },
				 "name the variable of the gradient with --wrt");
			return GB_EUSAGE;
		}
		return gb_verify_matrix(ctx, name, f,
					gb_symbol(ctx, wrt, strlen(wrt)), o, out);
	}
	if (!(x = diff_var(ctx, f, wrt)))
		return gb_ctx_status(ctx) ? gb_ctx_status(ctx) : GB_EUSAGE;
	if (!(df = gb_derivative(ctx, f, x, 1)))
		return gb_ctx_status(ctx) ? gb_ctx_status(ctx) : GB_EDOMAIN;
	return gb_verify_pair(ctx, name, f, df, x, o, out);
}

/* A variable name for f(x) that the program does not use otherwise. */
static const char *fresh_var(gb_ctx *ctx)
{
	static const char *const cand[] = { "x", "t", "u", "s", "x_" };

	for (size_t i = 0; i < sizeof cand / sizeof cand[0]; i++) {
		gb_sym *s = gb_sym_find(ctx, cand[i], strlen(cand[i]));

		if (!s || (!s->is_param && !is_bound(ctx, s) &&
			   !gb_assigned(ctx, cand[i])))
			return cand[i];
	}
	return "x__";
}

gb_status gb_verify_file(gb_ctx *ctx, const char *name, const char *text,
			 size_t len, const gb_verify_opts *o,
			 gb_verify_item **items, size_t *n)
{
	gb_source *src;
	gb_program *prog;
	gb_lowered *low;
	size_t nlow, cnt = 0;
	gb_verify_item *it;
	const char *xv;
	gb_status st;

	if (!ctx || !name || (!text && len) || !items || !n)
		return GB_EUSAGE;
	*items = NULL;
	*n = 0;
	gb_lower_set_diff(ctx, gb_diff_hook_fn);
	src = gb_source_new(ctx, name, text ? text : "", len);
	if (!src)
		return gb_ctx_status(ctx) ? gb_ctx_status(ctx) : GB_ELIMIT;
	prog = gb_parse_program(ctx, src);
	if (!prog || ctx->nerrors)
		return gb_ctx_status(ctx) ? gb_ctx_status(ctx) : GB_ESYNTAX;
	if ((st = gb_lower_program(ctx, prog, &low, &nlow)) != GB_OK)
		return st;
	it = gb_ctx_alloc(ctx, (nlow + 1) * sizeof *it);
	if (!it)
		return GB_ENOMEM;
	xv = fresh_var(ctx);
	for (size_t i = 0; i < nlow; i++) {
		const gb_stmt *s = low[i].stmt;
		const gb_node *f;
		char call[160];
		int k;

		if (s->kind != STMT_DEF || s->nparams != 1)
			continue;
		k = snprintf(call, sizeof call, "%.*s(%s)", (int)s->name_len,
			     s->name, xv);
		if (k < 0 || (size_t)k >= sizeof call)
			continue;
		if ((st = gb_parse(ctx, "<verify>", call, (size_t)k, &f)) != GB_OK)
			return st;
		st = gb_verify(ctx, ctx_strdup(ctx, call), f, xv, o, &it[cnt]);
		if (st != GB_OK)
			return st;
		it[cnt].name = gb_sym_find(ctx, s->name, s->name_len)->name;
		cnt++;
	}
	*items = it;
	*n = cnt;
	return GB_OK;
}
