/*
 * eval.c - the MPFR evaluator.
 *
 * A pass (gb_eval_node) computes every node it needs once, at one working
 * precision w, driven by an explicit stack of frames {node, step}: a frame
 * asks for one child at a time and is resumed when the child's value is
 * in the pass's memo table (keyed by node id). Strict nodes ask for all
 * their children; piecewise, and, or ask lazily, in order, so a branch
 * that is not taken is never evaluated (and cannot raise a domain error).
 *
 * Each MPFR call rounds once (RNDN), so a pass is not correctly rounded.
 * gb_eval_bits' first pass also carries, node by node, a rigorous bound
 * on its error ("Error bounds" below); when mpfr_can_round proves from it
 * that the rounding to the target is the correct one, that pass is the
 * answer. Otherwise (a kind without an error rule, such as piecewise or
 * tan, or a value too close to a rounding boundary) it repeats passes at
 * increasing w until two results agree after rounding to the target
 * (Ziv's strategy as a heuristic: "correctly rounded as far as a retry
 * can tell"). gb_eval_env targets decimal digits.
 *
 * Decisions, all of them exact-arithmetic conventions:
 *   0^0 = 1; 0^y = 0 for y > 0; 0^y for y < 0 is a division by zero.
 *   b^(p/q) with a literal exponent and b < 0: the real root when q is odd
 *   ((-8)^(1/3) = -2, (-8)^(2/3) = 4), a domain error when q is even.
 *   b^y with a computed exponent and b < 0: y must be an integer.
 *   sign(0) = 0, relu(x) = max(x, 0).
 *   A condition holds when its value is non-zero; comparisons compare the
 *   MPFR values of the pass (so a decision at a rounding-sized difference
 *   may change between passes, and then the Ziv loop does not settle).
 *   NaN, overflow and underflow past MPFR's exponent range are errors,
 *   never printed as values.
 */
#include "numeric/eval.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/build.h"
#include "core/ctx.h"
#include "core/shape.h"
#include "core/strbuf.h"
#include "front/diag.h"
#include "numeric/exp_exact.h"

/* ------------------------------------------------------------------ */
/* Values                                                              */
/* ------------------------------------------------------------------ */

/*
 * A rows x cols value of zeros. mem may be NULL (plain malloc); either
 * way gb_value_free releases it, since gb_mem_free is free().
 */
static gb_value *value_alloc(gb_mem *mem, uint32_t rows, uint32_t cols,
			     mpfr_prec_t prec)
{
	size_t n = (size_t)rows * cols;
	gb_value *v;

	if (n > SIZE_MAX / sizeof(mpfr_t))
		return NULL;
	v = gb_mem_alloc(mem, sizeof *v);
	if (!v)
		return NULL;
	v->v = gb_mem_alloc(mem, n * sizeof *v->v);
	if (!v->v) {
		gb_mem_free(mem, v);
		return NULL;
	}
	v->rows = rows;
	v->cols = cols;
	v->err = NULL;
	for (size_t i = 0; i < n; i++) {
		mpfr_init2(v->v[i], prec);
		mpfr_set_zero(v->v[i], 1);
	}
	return v;
}

gb_value *gb_value_new(uint32_t rows, uint32_t cols, mpfr_prec_t prec)
{
	return value_alloc(NULL, rows, cols, prec);
}

/* Drops v's error bounds (err_alloc). */
static void value_drop_err(gb_value *v)
{
	if (!v->err)
		return;
	for (size_t i = 0; i < gb_value_len(v); i++)
		mpfr_clear(v->err[i]);
	gb_mem_free(NULL, v->err);
	v->err = NULL;
}

void gb_value_free(gb_value *v)
{
	if (!v)
		return;
	value_drop_err(v);
	for (size_t i = 0; i < gb_value_len(v); i++)
		mpfr_clear(v->v[i]);
	gb_mem_free(NULL, v->v);
	gb_mem_free(NULL, v);
}

static bool value_is_scalar(const gb_value *v)
{
	return v->rows == 1 && v->cols == 1;
}

/* Entry k of v, or its only entry when v is a scalar (broadcasting). */
static mpfr_ptr value_entry(const gb_value *v, size_t k)
{
	return value_is_scalar(v) ? v->v[0] : v->v[k];
}

/* Values are equal: same shape, equal entries (of any precisions). */
static bool value_equal(const gb_value *a, const gb_value *b)
{
	if (a->rows != b->rows || a->cols != b->cols)
		return false;
	for (size_t i = 0; i < gb_value_len(a); i++)
		if (!mpfr_equal_p(a->v[i], b->v[i]))
			return false;
	return true;
}

static void value_round(gb_value *v, mpfr_prec_t prec)
{
	for (size_t i = 0; i < gb_value_len(v); i++)
		mpfr_prec_round(v->v[i], prec, MPFR_RNDN);
}

/* ------------------------------------------------------------------ */
/* Number formatting: deterministic, never through printf("%g")        */
/* ------------------------------------------------------------------ */

/*
 * x in scientific notation with n significant digits: "-d.ddde-k",
 * "0" for zero. mpfr_get_str gives the digits of x rounded to nearest
 * (ties to even) and ex with x ~ 0.DIGITS * 10^ex, so the exponent of
 * d.ddd is ex - 1.
 */
static void put_sci(gb_strbuf *sb, mpfr_srcptr x, size_t n)
{
	mpfr_exp_t ex;
	char *d;
	const char *p;

	if (mpfr_zero_p(x)) {
		gb_sb_putc(sb, '0');
		return;
	}
	if (!mpfr_number_p(x)) {	/* never a value; kept readable */
		gb_sb_puts(sb, mpfr_nan_p(x) ? "nan" :
			   mpfr_sgn(x) < 0 ? "-inf" : "inf");
		return;
	}
	d = mpfr_get_str(NULL, &ex, 10, n, x, MPFR_RNDN);
	if (!d) {
		sb->failed = true;
		return;
	}
	p = d;
	if (*p == '-')
		gb_sb_putc(sb, *p++);
	gb_sb_putc(sb, *p++);
	if (*p) {
		gb_sb_putc(sb, '.');
		gb_sb_puts(sb, p);
	}
	gb_sb_printf(sb, "e%ld", (long)(ex - 1));
	mpfr_free_str(d);
}

/*
 * x with up to 6 significant digits for diagnostics, trailing zeros
 * dropped: positional when the decimal exponent k is in [-5, 6]
 * ("-1", "0.5", "0.333333", "1000000"), else "1e-400", "2.5e20".
 */
static void put_short(gb_strbuf *sb, mpfr_srcptr x)
{
	mpfr_exp_t ex;
	char *d;
	char *p;
	size_t len;
	long k;

	if (mpfr_zero_p(x) || !mpfr_number_p(x)) {
		put_sci(sb, x, 6);
		return;
	}
	d = mpfr_get_str(NULL, &ex, 10, 6, x, MPFR_RNDN);
	if (!d) {
		sb->failed = true;
		return;
	}
	p = d;
	if (*p == '-')
		gb_sb_putc(sb, *p++);
	len = strlen(p);
	while (len > 1 && p[len - 1] == '0')
		len--;
	k = (long)(ex - 1);
	if (k >= -5 && k <= 6) {
		if (k < 0) {
			gb_sb_puts(sb, "0.");
			for (long i = -1; i > k; i--)
				gb_sb_putc(sb, '0');
			gb_sb_putn(sb, p, len);
		} else {
			size_t ip = (size_t)k + 1;	/* digits before '.' */

			for (size_t i = 0; i < ip; i++)
				gb_sb_putc(sb, i < len ? p[i] : '0');
			if (len > ip) {
				gb_sb_putc(sb, '.');
				gb_sb_putn(sb, p + ip, len - ip);
			}
		}
	} else {
		gb_sb_putc(sb, p[0]);
		if (len > 1) {
			gb_sb_putc(sb, '.');
			gb_sb_putn(sb, p + 1, len - 1);
		}
		gb_sb_printf(sb, "e%ld", k);
	}
	mpfr_free_str(d);
}

/* Appends entries of a value: a, [a, b], [[a, b], [c, d]]; `full` digits
 * in scientific notation, or (full == 0) short, at most 8 per row. */
static void put_value(gb_strbuf *sb, const gb_value *v, size_t full)
{
	bool vec = v->cols == 1;
	uint32_t shown = full ? UINT32_MAX : 8;

	if (value_is_scalar(v)) {
		if (full)
			put_sci(sb, v->v[0], full);
		else
			put_short(sb, v->v[0]);
		return;
	}
	gb_sb_putc(sb, '[');
	for (uint32_t i = 0; i < v->rows; i++) {
		if (i)
			gb_sb_puts(sb, ", ");
		if (i == shown) {
			gb_sb_puts(sb, "...");
			break;
		}
		if (!vec)
			gb_sb_putc(sb, '[');
		for (uint32_t j = 0; j < v->cols; j++) {
			if (j)
				gb_sb_puts(sb, ", ");
			if (j == shown) {
				gb_sb_puts(sb, "...");
				break;
			}
			if (full)
				put_sci(sb, gb_value_at(v, i, j), full);
			else
				put_short(sb, gb_value_at(v, i, j));
		}
		if (!vec)
			gb_sb_putc(sb, ']');
	}
	gb_sb_putc(sb, ']');
}

char *gb_value_str(const gb_value *v, long digits)
{
	gb_strbuf sb;

	if (!v || digits < 1 || digits > GB_DIGITS_MAX)
		return NULL;
	gb_sb_init(&sb, NULL);
	put_value(&sb, v, (size_t)digits);
	return gb_sb_take(&sb);
}

/* ------------------------------------------------------------------ */
/* The functions of grammar/functions.def                              */
/* ------------------------------------------------------------------ */

/*
 * An evaluator sets r (at r's precision) from the n arguments a[] and
 * returns NULL, or leaves r alone and returns the reason the arguments
 * are outside the function's domain ("log of zero"). Arguments are
 * finite: overflow and NaN are caught before a value is ever used.
 */
typedef const char *ev_fn(mpfr_ptr r, mpfr_srcptr const *a, size_t n);

/*
 * t = e^(sg x), correctly rounded at t's precision, for sg = +-1. When q
 * is not NULL it is x's exact value (x is q rounded): e^(sg q) then
 * comes from exp_exact.c when it can, which needs no log 2 and starts
 * from the exact argument (so the error is at most that of mpfr_exp of
 * the rounded x, which the error bounds below assume).
 */
static void exp_signed(mpfr_ptr t, mpfr_srcptr x, mpq_srcptr q, int sg)
{
	if (q) {
		mpq_t nq;
		bool done;

		mpq_init(nq);
		if (sg < 0)
			mpq_neg(nq, q);
		else
			mpq_set(nq, q);
		done = gb_exp_rational(t, nq);
		mpq_clear(nq);
		if (done)
			return;
	}
	if (sg < 0) {
		mpfr_neg(t, x, MPFR_RNDN);
		mpfr_exp(t, t, MPFR_RNDN);
	} else {
		mpfr_exp(t, x, MPFR_RNDN);
	}
}

/* Functions that MPFR provides correctly rounded on all of R. */
#define EV_PLAIN(name, mpfr_fn)                                           \
	static const char *name(mpfr_ptr r, mpfr_srcptr const *a, size_t n) \
	{                                                                 \
		(void)n;                                                  \
		mpfr_fn(r, a[0], MPFR_RNDN);                              \
		return NULL;                                              \
	}

EV_PLAIN(ev_abs, mpfr_abs)
EV_PLAIN(ev_sin, mpfr_sin)
EV_PLAIN(ev_cos, mpfr_cos)
EV_PLAIN(ev_tan, mpfr_tan)	/* no pole is exact: pi/2 is irrational */
EV_PLAIN(ev_atan, mpfr_atan)
EV_PLAIN(ev_sinh, mpfr_sinh)
EV_PLAIN(ev_cosh, mpfr_cosh)
EV_PLAIN(ev_tanh, mpfr_tanh)
EV_PLAIN(ev_asinh, mpfr_asinh)
EV_PLAIN(ev_erf, mpfr_erf)	/* erf(30) = 1 - 2.6e-393, rounded by MPFR */
EV_PLAIN(ev_erfc, mpfr_erfc)	/* erfc(30) = 2.6e-393: no 1 - erf */

#undef EV_PLAIN

/* log u for u > 0. log(1e-400) is fine: MPFR's exponents reach 2^30. */
static const char *ev_log(mpfr_ptr r, mpfr_srcptr const *a, size_t n)
{
	(void)n;
	if (mpfr_sgn(a[0]) < 0)
		return "log of a negative number";
	if (mpfr_zero_p(a[0]))
		return "log of zero";
	mpfr_log(r, a[0], MPFR_RNDN);
	return NULL;
}

static const char *ev_sqrt(mpfr_ptr r, mpfr_srcptr const *a, size_t n)
{
	(void)n;
	if (mpfr_sgn(a[0]) < 0)
		return "square root of a negative number";
	mpfr_sqrt(r, a[0], MPFR_RNDN);
	return NULL;
}

/* sign u = -1, 0, 1: exact. */
static const char *ev_sign(mpfr_ptr r, mpfr_srcptr const *a, size_t n)
{
	(void)n;
	mpfr_set_si(r, mpfr_sgn(a[0]), MPFR_RNDN);
	return NULL;
}

static const char *ev_asin(mpfr_ptr r, mpfr_srcptr const *a, size_t n)
{
	(void)n;
	if (mpfr_cmpabs_ui(a[0], 1) > 0)
		return "asin of a number outside [-1, 1]";
	mpfr_asin(r, a[0], MPFR_RNDN);
	return NULL;
}

static const char *ev_acos(mpfr_ptr r, mpfr_srcptr const *a, size_t n)
{
	(void)n;
	if (mpfr_cmpabs_ui(a[0], 1) > 0)
		return "acos of a number outside [-1, 1]";
	mpfr_acos(r, a[0], MPFR_RNDN);
	return NULL;
}

static const char *ev_acosh(mpfr_ptr r, mpfr_srcptr const *a, size_t n)
{
	(void)n;
	if (mpfr_cmp_ui(a[0], 1) < 0)
		return "acosh of a number below 1";
	mpfr_acosh(r, a[0], MPFR_RNDN);
	return NULL;
}

/* atanh u, for |u| < 1: atanh(+-1) is a pole. */
static const char *ev_atanh(mpfr_ptr r, mpfr_srcptr const *a, size_t n)
{
	(void)n;
	if (mpfr_cmpabs_ui(a[0], 1) >= 0)
		return "atanh of a number outside (-1, 1)";
	mpfr_atanh(r, a[0], MPFR_RNDN);
	return NULL;
}

/*
 * sigmoid x = 1 / (1 + e^-x), written so that exp never overflows:
 *
 *   x >= 0:  1 / (1 + t),  t = e^-x in (0, 1]
 *   x <  0:  t / (1 + t),  t = e^x  in (0, 1)
 *
 * Neither form cancels: 1 + t is in [1, 2], and each of the three
 * roundings at w' = prec(r) + 8 bits has relative error <= 2^-w', so
 * before the final rounding the relative error is below 3 * 2^-w' + O(2^-2w')
 * < 2^-(prec(r) + 6). When x >= 0 and e^-x underflows (x > ~7.4e8), the
 * value 1 - e^-x + ... rounds to 1 at every precision MPFR has: the
 * underflow is harmless there and its flag is cleared. When x < 0 it is
 * the value itself that underflows, and the flag stays up.
 */
static const char *sigmoid_of(mpfr_ptr r, mpfr_srcptr x, mpq_srcptr q)
{
	mpfr_t t, u;

	mpfr_inits2(mpfr_get_prec(r) + 8, t, u, (mpfr_ptr)0);
	if (mpfr_sgn(x) >= 0) {
		exp_signed(t, x, q, -1);
		mpfr_clear_underflow();
		mpfr_add_ui(u, t, 1, MPFR_RNDN);
		mpfr_ui_div(r, 1, u, MPFR_RNDN);
	} else {
		exp_signed(t, x, q, 1);
		mpfr_add_ui(u, t, 1, MPFR_RNDN);
		mpfr_div(r, t, u, MPFR_RNDN);
	}
	mpfr_clears(t, u, (mpfr_ptr)0);
	return NULL;
}

static const char *ev_sigmoid(mpfr_ptr r, mpfr_srcptr const *a, size_t n)
{
	(void)n;
	return sigmoid_of(r, a[0], NULL);
}

/*
 * softplus x = log(1 + e^x), stable on all of R:
 *
 *   x <= 0:  log1p(e^x)             e^x in (0, 1]: no overflow, and
 *                                   log1p keeps softplus(-800) = e^-800
 *                                   (1 - e^-800/2 + ...) to full precision
 *   x >  0:  x + log1p(e^-x)        = log(e^x (1 + e^-x)); both terms are
 *                                   positive, so the sum cannot cancel
 *
 * Two roundings at w' = prec(r) + 8 in each branch, then one into r.
 * As for sigmoid, an underflow of e^-x for x > 0 is harmless
 * (x + tiny rounds to x), an underflow of e^x for x <= 0 is not.
 */
static const char *softplus_of(mpfr_ptr r, mpfr_srcptr x, mpq_srcptr q)
{
	mpfr_t t;

	mpfr_init2(t, mpfr_get_prec(r) + 8);
	if (mpfr_sgn(x) <= 0) {
		exp_signed(t, x, q, 1);
		mpfr_log1p(r, t, MPFR_RNDN);
	} else {
		exp_signed(t, x, q, -1);
		mpfr_clear_underflow();
		mpfr_log1p(t, t, MPFR_RNDN);
		mpfr_add(r, x, t, MPFR_RNDN);
	}
	mpfr_clear(t);
	return NULL;
}

static const char *ev_softplus(mpfr_ptr r, mpfr_srcptr const *a, size_t n)
{
	(void)n;
	return softplus_of(r, a[0], NULL);
}

static const char *ev_exp(mpfr_ptr r, mpfr_srcptr const *a, size_t n)
{
	(void)n;
	exp_signed(r, a[0], NULL, 1);
	return NULL;
}

/* relu x = max(x, 0), exact. */
static const char *ev_relu(mpfr_ptr r, mpfr_srcptr const *a, size_t n)
{
	(void)n;
	if (mpfr_sgn(a[0]) > 0)
		mpfr_set(r, a[0], MPFR_RNDN);
	else
		mpfr_set_zero(r, 1);
	return NULL;
}

/* step x: 0 for x < 0, 1 for x > 0; undefined at 0 (relu' there). */
static const char *ev_step(mpfr_ptr r, mpfr_srcptr const *a, size_t n)
{
	(void)n;
	if (mpfr_zero_p(a[0]))
		return "step (the derivative of relu) is undefined at 0";
	mpfr_set_ui(r, mpfr_sgn(a[0]) > 0 ? 1u : 0u, MPFR_RNDN);
	return NULL;
}

/* The matrix functions are evaluated whole by eval_matfn, never here. */
static const char *ev_matfn(mpfr_ptr r, mpfr_srcptr const *a, size_t n)
{
	(void)r;
	(void)a;
	(void)n;
	return "not an element-wise function";
}

/* max and min of n >= 2 arguments: exact at equal precisions. */
static const char *ev_max(mpfr_ptr r, mpfr_srcptr const *a, size_t n)
{
	mpfr_set(r, a[0], MPFR_RNDN);
	for (size_t i = 1; i < n; i++)
		mpfr_max(r, r, a[i], MPFR_RNDN);
	return NULL;
}

static const char *ev_min(mpfr_ptr r, mpfr_srcptr const *a, size_t n)
{
	mpfr_set(r, a[0], MPFR_RNDN);
	for (size_t i = 1; i < n; i++)
		mpfr_min(r, r, a[i], MPFR_RNDN);
	return NULL;
}

static const struct ev_fninfo {
	const char *name;
	ev_fn *fn;
} fn_table[GB_NFNS] = {
#define FN(id, name, lo, hi, latex, ev, d) [GB_FN_##id] = { name, ev },
#include "functions.def"
#undef FN
};

/* ------------------------------------------------------------------ */
/* A pass: memo table, explicit stack, diagnostics                     */
/* ------------------------------------------------------------------ */

typedef struct ev_frame {
	const gb_node *e;
	uint32_t i;		/* next child to ask for (lazy kinds: step) */
	/*
	 * and, or: a conjunct that was undefined (GB_EDOMAIN), and where the
	 * diagnostics stood before it, to withdraw them if another conjunct
	 * decides the value after all.
	 */
	bool undefined;
	size_t mark_n;
	struct gb_diag *mark;
} ev_frame;

typedef struct ev_state {
	gb_ctx *ctx;
	gb_mem *mem;
	const gb_node *const *env;
	size_t nenv;
	mpfr_prec_t prec;
	bool track;		/* set each value's error bound (err) */

	/* Node id -> value of this pass. Open addressing, linear probing,
	 * power-of-two capacity, at most half full; vals[i] NULL = empty. */
	uint32_t *ids;
	gb_value **vals;
	size_t cap, used;

	ev_frame *stk;
	size_t sp, scap;
} ev_state;

static size_t id_slot(uint32_t id, size_t cap)
{
	return (size_t)(id * 2654435761u) & (cap - 1);	/* Knuth */
}

static gb_value *memo_get(const ev_state *s, const gb_node *e)
{
	size_t i;

	if (!s->cap)
		return NULL;
	for (i = id_slot(e->id, s->cap); s->vals[i]; i = (i + 1) & (s->cap - 1))
		if (s->ids[i] == e->id)
			return s->vals[i];
	return NULL;
}

static bool memo_grow(ev_state *s)
{
	size_t cap = s->cap ? 2 * s->cap : 64;
	uint32_t *ids = gb_mem_alloc(s->mem, cap * sizeof *ids);
	gb_value **vals = gb_mem_alloc(s->mem, cap * sizeof *vals);

	if (!ids || !vals) {
		gb_mem_free(s->mem, ids);
		gb_mem_free(s->mem, vals);
		return false;
	}
	memset(vals, 0, cap * sizeof *vals);
	for (size_t k = 0; k < s->cap; k++) {
		size_t i;

		if (!s->vals[k])
			continue;
		for (i = id_slot(s->ids[k], cap); vals[i]; i = (i + 1) & (cap - 1))
			;
		ids[i] = s->ids[k];
		vals[i] = s->vals[k];
	}
	gb_mem_free(s->mem, s->ids);
	gb_mem_free(s->mem, s->vals);
	s->ids = ids;
	s->vals = vals;
	s->cap = cap;
	return true;
}

/* Stores v as the value of e; false (v not stored) when memory ran out. */
static bool memo_put(ev_state *s, const gb_node *e, gb_value *v)
{
	size_t i;

	if (2 * (s->used + 1) > s->cap && !memo_grow(s))
		return false;
	for (i = id_slot(e->id, s->cap); s->vals[i]; i = (i + 1) & (s->cap - 1))
		;
	s->ids[i] = e->id;
	s->vals[i] = v;
	s->used++;
	return true;
}

static bool push(ev_state *s, const gb_node *e)
{
	if (s->sp == s->scap) {
		size_t cap = s->scap ? 2 * s->scap : 64;
		ev_frame *stk = gb_mem_realloc(s->mem, s->stk,
					       cap * sizeof *stk);

		if (!stk)
			return false;
		s->stk = stk;
		s->scap = cap;
	}
	memset(&s->stk[s->sp], 0, sizeof s->stk[s->sp]);
	s->stk[s->sp].e = e;
	s->sp++;
	return true;
}

static void state_free(ev_state *s)
{
	for (size_t i = 0; i < s->cap; i++)
		gb_value_free(s->vals[i]);
	gb_mem_free(s->mem, s->ids);
	gb_mem_free(s->mem, s->vals);
	gb_mem_free(s->mem, s->stk);
}

static gb_status oom(ev_state *s)
{
	s->ctx->oom = true;
	return GB_ENOMEM;
}

static gb_value *new_value(ev_state *s, uint32_t rows, uint32_t cols)
{
	return value_alloc(s->mem, rows, cols, s->prec);
}

/* The value of child k of e: already computed when e is evaluated. */
static gb_value *arg_value(const ev_state *s, const gb_node *e, size_t k)
{
	return memo_get(s, e->arg[k]);
}

/* Reports a diagnostic built in sb; returns st (GB_ENOMEM if sb failed). */
static gb_status report(ev_state *s, gb_strbuf *sb, gb_status st)
{
	if (!gb_sb_ok(sb)) {
		gb_sb_free(sb);
		return oom(s);
	}
	gb_error(s->ctx, NULL, (gb_span){ 0, 0 }, "%s", gb_sb_str(sb));
	gb_sb_free(sb);
	return st;
}

static int sym_cmp(const void *a, const void *b)
{
	const gb_sym *x = *(const gb_sym *const *)a;
	const gb_sym *y = *(const gb_sym *const *)b;

	return strcmp(x->name, y->name);
}

/* An exact binding (NUM or MATRIX of NUM) in short form: "-1", "[1, 2]". */
static void put_binding(gb_strbuf *sb, const gb_node *b)
{
	mpfr_t x;

	mpfr_init2(x, 64);
	if (b->kind == GB_NUM) {
		mpfr_set_q(x, b->u.q, MPFR_RNDN);
		put_short(sb, x);
	} else if (b->kind == GB_MATRIX) {
		gb_sb_putc(sb, '[');
		for (uint32_t i = 0; i < b->shape.rows; i++) {
			if (i)
				gb_sb_puts(sb, ", ");
			if (b->shape.cols != 1)
				gb_sb_putc(sb, '[');
			for (uint32_t j = 0; j < b->shape.cols; j++) {
				const gb_node *c;

				c = b->arg[(size_t)i * b->shape.cols + j];
				if (j)
					gb_sb_puts(sb, ", ");
				if (c->kind == GB_NUM) {
					mpfr_set_q(x, c->u.q, MPFR_RNDN);
					put_short(sb, x);
				} else {
					gb_sb_putc(sb, '?');
				}
			}
			if (b->shape.cols != 1)
				gb_sb_putc(sb, ']');
		}
		gb_sb_putc(sb, ']');
	} else {
		gb_sb_putc(sb, '?');
	}
	mpfr_clear(x);
}

/*
 * Appends " at x = -1, y = 2": the values of the symbols e depends on, in
 * name order (nothing when e is constant). The walk uses its own stack and
 * a visited set, so it is linear in the DAG and safe at any depth.
 */
static void put_point(ev_state *s, gb_strbuf *sb, const gb_node *e)
{
	ev_state w = { .ctx = s->ctx, .mem = s->mem };
	const gb_sym **syms = NULL;
	size_t nsyms = 0, symcap = 0;
	gb_value *mark;

	/* The visited set is a memo table whose values are all `mark`. */
	mark = value_alloc(s->mem, 0, 0, MPFR_PREC_MIN);
	if (!mark || !push(&w, e))
		goto out_oom;
	while (w.sp > 0) {
		const gb_node *n = w.stk[--w.sp].e;

		if (memo_get(&w, n))
			continue;
		if (!memo_put(&w, n, mark))
			goto out_oom;
		if (n->kind == GB_SYM) {
			if (nsyms == symcap) {
				size_t cap = symcap ? 2 * symcap : 8;
				const gb_sym **p = gb_mem_realloc(
					s->mem, syms, cap * sizeof *p);

				if (!p)
					goto out_oom;
				syms = p;
				symcap = cap;
			}
			syms[nsyms++] = n->u.sym;
		}
		for (size_t k = 0; k < n->nargs; k++)
			if (!push(&w, n->arg[k]))
				goto out_oom;
	}
	if (nsyms > 1)
		qsort(syms, nsyms, sizeof *syms, sym_cmp);
	for (size_t k = 0; k < nsyms; k++) {
		const gb_sym *y = syms[k];

		gb_sb_printf(sb, "%s %s = ", k ? "," : " at", y->name);
		if (y->id < s->nenv && s->env[y->id])
			put_binding(sb, s->env[y->id]);
		else
			gb_sb_putc(sb, '?');
	}
	goto out;
out_oom:
	sb->failed = true;
out:
	for (size_t i = 0; i < w.cap; i++)	/* values are all `mark` */
		w.vals[i] = NULL;
	state_free(&w);
	gb_value_free(mark);
	gb_mem_free(s->mem, syms);
}

/*
 * An operand as the user wrote it when that is short: a symbol by name,
 * a literal exactly ("-1", "1/2"); otherwise its value x (the entry that
 * failed). paren: parenthesise a negative or fractional text (x^(-1)).
 */
static void put_operand(gb_strbuf *sb, const gb_node *a, mpfr_srcptr x,
			bool paren)
{
	size_t at = sb->len;
	bool wrap;

	if (a->kind == GB_SYM) {
		gb_sb_puts(sb, a->u.sym->name);
		return;
	}
	if (a->kind == GB_NUM && mpz_sizeinbase(mpq_numref(a->u.q), 10) +
	    mpz_sizeinbase(mpq_denref(a->u.q), 10) <= 20) {
		char *q = mpq_get_str(NULL, 10, a->u.q);

		if (!q) {
			sb->failed = true;
			return;
		}
		void (*gmp_free)(void *, size_t);

		mp_get_memory_functions(NULL, NULL, &gmp_free);
		gb_sb_puts(sb, q);
		gmp_free(q, strlen(q) + 1);
	} else {
		put_short(sb, x);
	}
	if (!paren || !gb_sb_ok(sb))
		return;
	wrap = sb->s[at] == '-' || strchr(sb->s + at, '/') ||
	       strchr(sb->s + at, 'e');
	if (wrap) {
		size_t n = sb->len - at;
		char *copy = gb_mem_alloc(NULL, n + 1);

		if (!copy) {
			sb->failed = true;
			return;
		}
		memcpy(copy, sb->s + at, n + 1);
		sb->len = at;
		sb->s[at] = '\0';
		gb_sb_printf(sb, "(%s)", copy);
		gb_mem_free(NULL, copy);
	}
}

/* Entry k of child i of e (broadcasting scalars). */
static mpfr_ptr arg_entry(const ev_state *s, const gb_node *e, size_t i,
			  size_t k)
{
	return value_entry(arg_value(s, e, i), k);
}

/*
 * What failed, for a message: "log(x)", "x^(-1)", "max(x, 2)" for calls
 * and powers (entry k of their operands), "a sum" and so on otherwise.
 */
/* u^(1/2), which the user wrote (and the printers write) as sqrt(u) */
static bool is_sqrt(const gb_node *e)
{
	return e->kind == GB_POW && e->arg[1]->kind == GB_NUM &&
	       mpz_cmp_ui(mpq_numref(e->arg[1]->u.q), 1) == 0 &&
	       mpz_cmp_ui(mpq_denref(e->arg[1]->u.q), 2) == 0;
}

static void put_what(ev_state *s, gb_strbuf *sb, const gb_node *e, size_t k)
{
	switch ((gb_kind)e->kind) {
	case GB_CALL:
		gb_sb_printf(sb, "%s(", fn_table[e->fn].name);
		for (size_t i = 0; i < e->nargs; i++) {
			if (i)
				gb_sb_puts(sb, ", ");
			put_operand(sb, e->arg[i], arg_entry(s, e, i, k),
				    false);
		}
		gb_sb_putc(sb, ')');
		break;
	case GB_POW:
		if (is_sqrt(e)) {	/* sqrt(u) is u^(1/2) in the DAG */
			gb_sb_puts(sb, "sqrt(");
			put_operand(sb, e->arg[0], arg_entry(s, e, 0, k), false);
			gb_sb_putc(sb, ')');
			break;
		}
		put_operand(sb, e->arg[0], arg_entry(s, e, 0, k), true);
		gb_sb_putc(sb, '^');
		put_operand(sb, e->arg[1], arg_entry(s, e, 1, k), true);
		break;
	case GB_ADD:
		gb_sb_puts(sb, "a sum");
		break;
	case GB_MUL:
	case GB_HADAMARD:
		gb_sb_puts(sb, "a product");
		break;
	case GB_MATMUL:
		gb_sb_puts(sb, "a matrix product");
		break;
	default:
		gb_sb_puts(sb, "an expression");
		break;
	}
}

/* "<reason>: <what> at <point>", status st. */
static gb_status fail(ev_state *s, gb_status st, const char *reason,
		      const gb_node *e, size_t k)
{
	gb_strbuf sb;

	gb_sb_init(&sb, s->mem);
	gb_sb_printf(&sb, "%s: ", reason);
	put_what(s, &sb, e, k);
	put_point(s, &sb, e);
	return report(s, &sb, st);
}

static const char *op_name(const gb_node *e)
{
	switch ((gb_kind)e->kind) {
	case GB_ADD:
		return "+";
	case GB_MUL:
		return "*";
	case GB_HADAMARD:
		return ".*";
	case GB_POW:
		return "^";
	case GB_MATMUL:
		return "matrix product";
	case GB_CALL:
		return fn_table[e->fn].name;
	default:
		return "an operation";
	}
}

static gb_status shape_fail(ev_state *s, const gb_node *e, const gb_value *a,
			    const gb_value *b)
{
	gb_strbuf sb;

	gb_sb_init(&sb, s->mem);
	gb_sb_printf(&sb, "shapes do not conform for '%s': %u×%u and %u×%u",
		     op_name(e), a->rows, a->cols, b->rows, b->cols);
	return report(s, &sb, GB_ESHAPE);
}

/*
 * The shape of an element-wise operation on e's children: scalars are
 * broadcast, every other operand must have one common shape.
 */
static gb_status common_shape(ev_state *s, const gb_node *e, uint32_t *rows,
			      uint32_t *cols)
{
	const gb_value *big = NULL;

	for (size_t i = 0; i < e->nargs; i++) {
		const gb_value *a = arg_value(s, e, i);

		if (value_is_scalar(a))
			continue;
		if (big && (a->rows != big->rows || a->cols != big->cols))
			return shape_fail(s, e, big, a);
		if (!big)
			big = a;
	}
	*rows = big ? big->rows : 1;
	*cols = big ? big->cols : 1;
	return GB_OK;
}

/* ------------------------------------------------------------------ */
/* Node kinds                                                          */
/* ------------------------------------------------------------------ */

/* Does a value's size n fit the declared dimension d? */
static bool dim_conforms(const ev_state *s, uint32_t d, uint32_t n)
{
	const gb_node *b;
	uint32_t id = gb_dim_sym_id(d);

	if (!d)
		return true;
	if (!gb_dim_is_sym(d))
		return d == n;
	b = id < s->nenv ? s->env[id] : NULL;
	return !b || !gb_is_integer(b) || mpz_cmp_ui(mpq_numref(b->u.q), n) == 0;
}

/* A symbol: its exact binding, rounded once (mpfr_set_q is correctly
 * rounded). */
static gb_status eval_sym(ev_state *s, const gb_node *e, gb_value **out)
{
	const gb_sym *y = e->u.sym;
	const gb_node *b = y->id < s->nenv ? s->env[y->id] : NULL;
	gb_strbuf sb;
	gb_value *v;
	uint32_t rows = 1, cols = 1;

	gb_sb_init(&sb, s->mem);
	if (!b) {
		gb_sb_printf(&sb, "'%s' has no value", y->name);
		return report(s, &sb, GB_ENAME);
	}
	if (b->kind == GB_MATRIX) {
		rows = b->shape.rows;
		cols = b->shape.cols;
	} else if (b->kind != GB_NUM) {
		gb_sb_printf(&sb, "the value of '%s' is not an exact number",
			     y->name);
		return report(s, &sb, GB_EUSAGE);
	}
	/* A declared dimension 0 is not known yet: any size conforms; a
	 * symbolic one (core/shape.h) must match its bound size, if any. */
	if (!dim_conforms(s, e->shape.rows, rows) ||
	    !dim_conforms(s, e->shape.cols, cols)) {
		char sh[112];

		gb_shape_str(s->ctx, sh, sizeof sh, e->shape);
		gb_sb_printf(&sb, "'%s' is %s but its value is %u×%u",
			     y->name, sh, rows, cols);
		return report(s, &sb, GB_ESHAPE);
	}
	if (!(v = new_value(s, rows, cols)))
		return oom(s);
	for (size_t k = 0; k < gb_value_len(v); k++) {
		const gb_node *c = b->kind == GB_NUM ? b : b->arg[k];

		if (c->kind != GB_NUM) {
			gb_value_free(v);
			gb_sb_printf(&sb, "the value of '%s' is not an exact "
				     "number", y->name);
			return report(s, &sb, GB_EUSAGE);
		}
		mpfr_set_q(v->v[k], c->u.q, MPFR_RNDN);
	}
	*out = v;
	return GB_OK;
}

/* A dimension argument of ones(m, n) / eye(n): a positive integer. */
static gb_status dim_arg(ev_state *s, const gb_node *e, size_t i,
			 uint32_t *out)
{
	const gb_value *a = arg_value(s, e, i);
	gb_strbuf sb;

	if (value_is_scalar(a) && mpfr_integer_p(a->v[0]) &&
	    mpfr_cmp_ui(a->v[0], 1) >= 0 && mpfr_cmp_ui(a->v[0], 100000) <= 0) {
		*out = (uint32_t)mpfr_get_ui(a->v[0], MPFR_RNDN);
		return GB_OK;
	}
	gb_sb_init(&sb, s->mem);
	gb_sb_printf(&sb, "the size given to %s is not a positive integer",
		     fn_table[e->fn].name);
	return report(s, &sb, GB_ESHAPE);
}

/*
 * The matrix functions: sum and tr as one correctly rounded mpfr_sum,
 * diag both ways, ones and eye from their (evaluated) sizes.
 */
static gb_status eval_matfn(ev_state *s, const gb_node *e, gb_value **out)
{
	const gb_value *a = arg_value(s, e, 0);
	gb_value *v = NULL;
	mpfr_ptr *t;
	uint32_t m = 0, n = 0, k;
	gb_status st;

	switch ((gb_fn)e->fn) {
	case GB_FN_SUM:
	case GB_FN_TR:
		n = e->fn == GB_FN_SUM ? (uint32_t)gb_value_len(a) : a->rows;
		if (e->fn == GB_FN_TR && a->rows != a->cols)
			return shape_fail(s, e, a, a);
		if (!(t = gb_mem_alloc(s->mem, (n + 1) * sizeof *t)))
			return oom(s);
		for (k = 0; k < n; k++)
			t[k] = e->fn == GB_FN_SUM ? a->v[k] : gb_value_at(a, k, k);
		if (!(v = new_value(s, 1, 1))) {
			gb_mem_free(s->mem, t);
			return oom(s);
		}
		mpfr_sum(v->v[0], t, n, MPFR_RNDN);
		gb_mem_free(s->mem, t);
		break;
	case GB_FN_DIAG:
		if (a->cols == 1) {
			if (!(v = new_value(s, a->rows, a->rows)))
				return oom(s);
			for (k = 0; k < a->rows; k++)
				mpfr_set(gb_value_at(v, k, k), a->v[k], MPFR_RNDN);
		} else {
			if (a->rows != a->cols)
				return shape_fail(s, e, a, a);
			if (!(v = new_value(s, a->rows, 1)))
				return oom(s);
			for (k = 0; k < a->rows; k++)
				mpfr_set(v->v[k], gb_value_at(a, k, k), MPFR_RNDN);
		}
		break;
	case GB_FN_ONES:
	case GB_FN_EYE:
		if ((st = dim_arg(s, e, 0, &m)) != GB_OK)
			return st;
		n = e->fn == GB_FN_EYE ? m : 1;
		if (e->nargs > 1 && (st = dim_arg(s, e, 1, &n)) != GB_OK)
			return st;
		if (!(v = new_value(s, m, n)))
			return oom(s);
		for (k = 0; k < m * n; k++)
			if (e->fn == GB_FN_ONES || k % (n + 1) == 0)
				mpfr_set_ui(v->v[k], 1, MPFR_RNDN);
		break;
	default:
		return fail(s, GB_EUSAGE, "not a matrix function", e, 0);
	}
	*out = v;
	return GB_OK;
}

/* f(args), element-wise over the common shape of the arguments. */
/*
 * The working precision from which exp_exact.c is used: below it
 * mpfr_exp is the faster of the two even with its log 2 to compute
 * (measured: 0.9 against 2 us at 53 bits, 68 against 28 us at 3400 bits,
 * warm), so the exact argument is not even looked for.
 */
enum { EXACT_EXP_MIN_PREC = 1000 };

/*
 * The exact value of a scalar node built from numbers and symbols bound
 * to numbers by sums, products and integer powers, into q; false for
 * anything else. It is asked only of small arguments (size <= 64) of
 * exp, sigmoid and softplus, whose e^q then needs no log 2 (exp_exact.c).
 */
static bool exact_value(const ev_state *s, const gb_node *e, mpq_ptr q,
			int depth)
{
	const gb_node *b;
	mpq_t t;
	bool ok = true;

	if (e->shape.rows != 1 || e->shape.cols != 1 || depth > 8)
		return false;
	switch ((gb_kind)e->kind) {
	case GB_NUM:
		mpq_set(q, e->u.q);
		return true;
	case GB_SYM:
		b = e->u.sym->id < s->nenv ? s->env[e->u.sym->id] : NULL;
		if (!b || b->kind != GB_NUM)
			return false;
		mpq_set(q, b->u.q);
		return true;
	case GB_ADD:
	case GB_MUL:
		mpq_init(t);
		mpq_set_ui(q, e->kind == GB_MUL, 1);
		for (uint32_t i = 0; i < e->nargs && ok; i++) {
			ok = exact_value(s, e->arg[i], t, depth + 1);
			if (ok && e->kind == GB_MUL)
				mpq_mul(q, q, t);
			else if (ok)
				mpq_add(q, q, t);
		}
		mpq_clear(t);
		return ok;
	case GB_POW:
		if (!gb_is_integer(e->arg[1]) ||
		    mpz_cmpabs_ui(mpq_numref(e->arg[1]->u.q), 64) > 0 ||
		    !exact_value(s, e->arg[0], q, depth + 1))
			return false;
		if (mpq_sgn(q) == 0 && mpq_sgn(e->arg[1]->u.q) < 0)
			return false;	/* a division by zero: reported later */
		{
			long k = mpz_get_si(mpq_numref(e->arg[1]->u.q));
			unsigned long m = (unsigned long)(k < 0 ? -k : k);

			mpz_pow_ui(mpq_numref(q), mpq_numref(q), m);
			mpz_pow_ui(mpq_denref(q), mpq_denref(q), m);
			if (k < 0)
				mpq_inv(q, q);
		}
		return true;
	default:
		return false;
	}
}

/* exp, sigmoid and softplus of x whose exact value is q. */
static const char *ev_exact(gb_fn fn, mpfr_ptr r, mpfr_srcptr x, mpq_srcptr q)
{
	switch (fn) {
	case GB_FN_SIGMOID:
		return sigmoid_of(r, x, q);
	case GB_FN_SOFTPLUS:
		return softplus_of(r, x, q);
	default:
		exp_signed(r, x, q, 1);
		return NULL;
	}
}

static gb_status eval_call(ev_state *s, const gb_node *e, gb_value **out)
{
	mpfr_srcptr small[4], *a = small;
	mpq_t q;
	bool exact = false;
	ev_fn *fn = fn_table[e->fn].fn;
	gb_status st;
	gb_value *v = NULL;
	uint32_t rows, cols;

	if (fn == ev_matfn)
		return eval_matfn(s, e, out);
	if ((st = common_shape(s, e, &rows, &cols)) != GB_OK)
		return st;
	if (e->nargs > sizeof small / sizeof small[0] &&
	    !(a = gb_mem_alloc(s->mem, e->nargs * sizeof *a)))
		return oom(s);
	mpq_init(q);
	if (!(v = new_value(s, rows, cols))) {
		st = oom(s);
		goto out;
	}
	exact = (e->fn == GB_FN_EXP || e->fn == GB_FN_SIGMOID ||
		 e->fn == GB_FN_SOFTPLUS) && e->nargs == 1 &&
		s->prec >= EXACT_EXP_MIN_PREC &&
		e->arg[0]->size <= 64 && exact_value(s, e->arg[0], q, 0);
	for (size_t k = 0; k < gb_value_len(v); k++) {
		const char *why;

		for (size_t i = 0; i < e->nargs; i++)
			a[i] = arg_entry(s, e, i, k);
		mpfr_clear_underflow();
		why = exact ? ev_exact((gb_fn)e->fn, v->v[k], a[0], q) :
			      fn(v->v[k], a, e->nargs);
		if (why) {
			st = fail(s, GB_EDOMAIN, why, e, k);
			goto out;
		}
		if (mpfr_underflow_p()) {
			st = fail(s, GB_EDOMAIN, "underflow past MPFR's "
				  "exponent range", e, k);
			goto out;
		}
	}
	*out = v;
	v = NULL;
out:
	mpq_clear(q);
	gb_value_free(v);
	if (a != small)
		gb_mem_free(s->mem, a);
	return st;
}

/*
 * b^(p/q) for a literal exponent p/q in lowest terms (q > 0):
 *
 *   q = 1      mpfr_pow_z: correctly rounded, negative b included;
 *              0^0 = 1, 0^p = 0 for p > 0, 0^p for p < 0 divides by 0
 *   q odd      b < 0: the real root, b^(p/q) = (-1)^p |b|^(p/q)
 *   q even     b < 0 is outside the domain
 *
 * |b|^(p/q) = (|b|^(1/q))^p: the root is rounded once (relative error
 * <= 2^-w'), the power once more, and the p-th power multiplies the first
 * error by |p|, so w' = prec(r) + bits(p) + 8 leaves the total below
 * 2^-(prec(r) + 6). Perfect powers come out exact: 8^(1/3) = 2.
 */
static const char *pow_rational(mpfr_ptr r, mpfr_srcptr b, mpq_srcptr y)
{
	mpz_srcptr p = mpq_numref(y), q = mpq_denref(y);
	mpfr_prec_t w;
	mpfr_t t;
	bool neg;

	if (mpfr_zero_p(b)) {
		if (mpz_sgn(p) < 0)
			return "division by zero";
		mpfr_set_ui(r, mpz_sgn(p) == 0, MPFR_RNDN);
		return NULL;
	}
	if (mpz_cmp_ui(q, 1) == 0) {
		mpfr_pow_z(r, b, p, MPFR_RNDN);
		return NULL;
	}
	if (mpfr_sgn(b) < 0 && mpz_even_p(q))
		return "even root of a negative number";
	neg = mpfr_sgn(b) < 0 && mpz_odd_p(p);
	w = mpfr_get_prec(r) + (mpfr_prec_t)mpz_sizeinbase(p, 2) + 8;
	mpfr_init2(t, w);
	mpfr_abs(t, b, MPFR_RNDN);
	if (mpz_fits_ulong_p(q)) {
		mpfr_rootn_ui(t, t, mpz_get_ui(q), MPFR_RNDN);
		mpfr_pow_z(r, t, p, MPFR_RNDN);
	} else {
		/* q > 2^64: p/q rounded to w' + 64 bits, |b|^(p/q) by pow */
		mpfr_t x;

		mpfr_init2(x, w + 64);
		mpfr_set_q(x, y, MPFR_RNDN);
		mpfr_pow(r, t, x, MPFR_RNDN);
		mpfr_clear(x);
	}
	if (neg)
		mpfr_neg(r, r, MPFR_RNDN);
	mpfr_clear(t);
	return NULL;
}

/* b^y for a computed exponent y: b > 0, or b < 0 with y an integer. */
static const char *pow_real(mpfr_ptr r, mpfr_srcptr b, mpfr_srcptr y)
{
	if (mpfr_zero_p(b)) {
		if (mpfr_sgn(y) < 0)
			return "division by zero";
		mpfr_set_ui(r, mpfr_zero_p(y) ? 1 : 0, MPFR_RNDN);
		return NULL;
	}
	if (mpfr_sgn(b) < 0 && !mpfr_integer_p(y))
		return "power of a negative number with a non-integer exponent";
	mpfr_pow(r, b, y, MPFR_RNDN);
	return NULL;
}

/* base^exponent, element-wise (base .^ y), scalars broadcast. */
static gb_status eval_pow(ev_state *s, const gb_node *e, gb_value **out)
{
	const gb_node *y = e->arg[1];
	gb_status st;
	gb_value *v;
	uint32_t rows, cols;

	if ((st = common_shape(s, e, &rows, &cols)) != GB_OK)
		return st;
	if (!(v = new_value(s, rows, cols)))
		return oom(s);
	for (size_t k = 0; k < gb_value_len(v); k++) {
		mpfr_srcptr b = arg_entry(s, e, 0, k);
		const char *why;

		why = y->kind == GB_NUM ? pow_rational(v->v[k], b, y->u.q)
					: pow_real(v->v[k], b,
						   arg_entry(s, e, 1, k));
		if (why) {
			gb_value_free(v);
			if (is_sqrt(e) && mpfr_sgn(b) < 0)
				why = "square root of a negative number";
			return fail(s, GB_EDOMAIN, why, e, k);
		}
	}
	*out = v;
	return GB_OK;
}

/*
 * The n-ary sum, scalars broadcast. Each entry is mpfr_sum of the terms'
 * entries: the exact sum, rounded once, so the sum itself adds no
 * cancellation error (1e20 + 1 - 1e20 = 1 exactly).
 */
static gb_status eval_add(ev_state *s, const gb_node *e, gb_value **out)
{
	mpfr_ptr *t;
	gb_status st;
	gb_value *v;
	uint32_t rows, cols;

	if ((st = common_shape(s, e, &rows, &cols)) != GB_OK)
		return st;
	if (!(t = gb_mem_alloc(s->mem, e->nargs * sizeof *t)))
		return oom(s);
	if (!(v = new_value(s, rows, cols))) {
		gb_mem_free(s->mem, t);
		return oom(s);
	}
	for (size_t k = 0; k < gb_value_len(v); k++) {
		for (size_t i = 0; i < e->nargs; i++)
			t[i] = arg_entry(s, e, i, k);
		mpfr_sum(v->v[k], t, e->nargs, MPFR_RNDN);
	}
	gb_mem_free(s->mem, t);
	*out = v;
	return GB_OK;
}

/*
 * The commutative product: every factor a scalar but at most one, which
 * is then scaled entry by entry (2 * x for a vector x). Two non-scalar
 * factors have no commutative product (lower.c builds MATMUL or HADAMARD).
 * With n factors the relative error is below (n - 1) 2^-w (1 + o(1)).
 */
static gb_status eval_mul(ev_state *s, const gb_node *e, gb_value **out)
{
	const gb_value *big = NULL;
	gb_value *v;
	mpfr_t c;

	for (size_t i = 0; i < e->nargs; i++) {
		const gb_value *a = arg_value(s, e, i);

		if (value_is_scalar(a))
			continue;
		if (big)
			return shape_fail(s, e, big, a);
		big = a;
	}
	if (!(v = new_value(s, big ? big->rows : 1, big ? big->cols : 1)))
		return oom(s);
	mpfr_init2(c, s->prec);
	mpfr_set_ui(c, 1, MPFR_RNDN);
	for (size_t i = 0; i < e->nargs; i++) {
		const gb_value *a = arg_value(s, e, i);

		if (a != big)
			mpfr_mul(c, c, a->v[0], MPFR_RNDN);
	}
	for (size_t k = 0; k < gb_value_len(v); k++) {
		if (big)
			mpfr_mul(v->v[k], c, big->v[k], MPFR_RNDN);
		else
			mpfr_set(v->v[k], c, MPFR_RNDN);
	}
	mpfr_clear(c);
	*out = v;
	return GB_OK;
}

/* a .* b .* ...: element-wise product, scalars broadcast. */
static gb_status eval_hadamard(ev_state *s, const gb_node *e, gb_value **out)
{
	gb_status st;
	gb_value *v;
	uint32_t rows, cols;

	if ((st = common_shape(s, e, &rows, &cols)) != GB_OK)
		return st;
	if (!(v = new_value(s, rows, cols)))
		return oom(s);
	for (size_t k = 0; k < gb_value_len(v); k++) {
		mpfr_set(v->v[k], arg_entry(s, e, 0, k), MPFR_RNDN);
		for (size_t i = 1; i < e->nargs; i++)
			mpfr_mul(v->v[k], v->v[k], arg_entry(s, e, i, k),
				 MPFR_RNDN);
	}
	*out = v;
	return GB_OK;
}

/*
 * A B for A m×l, B l×n. Entry (i, j) = sum_k A(i,k) B(k,j) is a
 * correctly rounded dot product: each product is exact at
 * prec(A) + prec(B) bits, and mpfr_sum rounds their exact sum once.
 */
static gb_status eval_matmul(ev_state *s, const gb_node *e, gb_value **out)
{
	const gb_value *a = arg_value(s, e, 0), *b = arg_value(s, e, 1);
	mpfr_t *p;
	mpfr_ptr *t;
	gb_value *v;
	uint32_t l = a->cols;

	if (a->cols != b->rows)
		return shape_fail(s, e, a, b);
	p = gb_mem_alloc(s->mem, l * sizeof *p);
	t = gb_mem_alloc(s->mem, l * sizeof *t);
	v = new_value(s, a->rows, b->cols);
	if (!p || !t || !v) {
		gb_mem_free(s->mem, p);
		gb_mem_free(s->mem, t);
		gb_value_free(v);
		return oom(s);
	}
	for (uint32_t k = 0; k < l; k++) {
		mpfr_init2(p[k], 2 * s->prec);
		t[k] = p[k];
	}
	for (uint32_t i = 0; i < a->rows; i++)
		for (uint32_t j = 0; j < b->cols; j++) {
			for (uint32_t k = 0; k < l; k++)
				mpfr_mul(p[k], gb_value_at(a, i, k),
					 gb_value_at(b, k, j), MPFR_RNDN);
			mpfr_sum(gb_value_at(v, i, j), t, l, MPFR_RNDN);
		}
	for (uint32_t k = 0; k < l; k++)
		mpfr_clear(p[k]);
	gb_mem_free(s->mem, p);
	gb_mem_free(s->mem, t);
	*out = v;
	return GB_OK;
}

static gb_status eval_transpose(ev_state *s, const gb_node *e,
				gb_value **out)
{
	const gb_value *a = arg_value(s, e, 0);
	gb_value *v = new_value(s, a->cols, a->rows);

	if (!v)
		return oom(s);
	for (uint32_t i = 0; i < a->rows; i++)
		for (uint32_t j = 0; j < a->cols; j++)
			mpfr_set(gb_value_at(v, j, i), gb_value_at(a, i, j),
				 MPFR_RNDN);
	*out = v;
	return GB_OK;
}

/* A literal matrix: rows x cols scalar entries, row-major. */
static gb_status eval_matrix(ev_state *s, const gb_node *e, gb_value **out)
{
	gb_value *v;

	if ((size_t)e->shape.rows * e->shape.cols != e->nargs) {
		gb_strbuf sb;

		gb_sb_init(&sb, s->mem);
		gb_sb_printf(&sb, "a %u×%u matrix with %u entries",
			     e->shape.rows, e->shape.cols, e->nargs);
		return report(s, &sb, GB_ESHAPE);
	}
	for (size_t k = 0; k < e->nargs; k++) {
		const gb_value *a = arg_value(s, e, k);

		if (!value_is_scalar(a)) {
			gb_strbuf sb;

			gb_sb_init(&sb, s->mem);
			gb_sb_printf(&sb, "a matrix entry is %u×%u, not a "
				     "scalar", a->rows, a->cols);
			return report(s, &sb, GB_ESHAPE);
		}
	}
	if (!(v = new_value(s, e->shape.rows, e->shape.cols)))
		return oom(s);
	for (size_t k = 0; k < e->nargs; k++)
		mpfr_set(v->v[k], arg_value(s, e, k)->v[0], MPFR_RNDN);
	*out = v;
	return GB_OK;
}

/* A truth value: the scalar 1 or 0. */
static gb_status truth_value(ev_state *s, bool b, gb_value **out)
{
	if (!(*out = new_value(s, 1, 1)))
		return oom(s);
	mpfr_set_ui((*out)->v[0], b, MPFR_RNDN);
	return GB_OK;
}

/* A condition's value as a bool; non-scalar conditions are shape errors. */
static gb_status truth(ev_state *s, const gb_node *c, const gb_value *v,
		       bool *b)
{
	if (!value_is_scalar(v)) {
		gb_strbuf sb;

		(void)c;
		gb_sb_init(&sb, s->mem);
		gb_sb_printf(&sb, "a condition is %u×%u, not a scalar",
			     v->rows, v->cols);
		return report(s, &sb, GB_ESHAPE);
	}
	*b = !mpfr_zero_p(v->v[0]);
	return GB_OK;
}

static gb_status eval_cmp(ev_state *s, const gb_node *e, gb_value **out)
{
	const gb_value *a = arg_value(s, e, 0), *b = arg_value(s, e, 1);
	mpfr_srcptr x = a->v[0], y = b->v[0];
	bool r;

	if (!value_is_scalar(a) || !value_is_scalar(b)) {
		gb_strbuf sb;

		gb_sb_init(&sb, s->mem);
		gb_sb_printf(&sb, "comparison of non-scalars (%u×%u and "
			     "%u×%u)", a->rows, a->cols, b->rows, b->cols);
		return report(s, &sb, GB_ESHAPE);
	}
	switch ((gb_op)e->op) {
	case GB_OP_LT:
		r = mpfr_less_p(x, y);
		break;
	case GB_OP_LE:
		r = mpfr_lessequal_p(x, y);
		break;
	case GB_OP_GT:
		r = mpfr_greater_p(x, y);
		break;
	case GB_OP_GE:
		r = mpfr_greaterequal_p(x, y);
		break;
	case GB_OP_EQ:
		r = mpfr_equal_p(x, y);
		break;
	case GB_OP_NE:
		r = !mpfr_equal_p(x, y);
		break;
	default: {
		gb_strbuf sb;

		gb_sb_init(&sb, s->mem);
		gb_sb_printf(&sb, "not a comparison operator (%u)", e->op);
		return report(s, &sb, GB_EUSAGE);
	}
	}
	return truth_value(s, r, out);
}

/* A copy of a, at the pass precision (equal precisions: exact). */
static gb_status copy_value(ev_state *s, const gb_value *a, gb_value **out)
{
	gb_value *v = new_value(s, a->rows, a->cols);

	if (!v)
		return oom(s);
	for (size_t k = 0; k < gb_value_len(a); k++)
		mpfr_set(v->v[k], a->v[k], MPFR_RNDN);
	*out = v;
	return GB_OK;
}

/* Withdraws the diagnostics reported since f->mark. */
static void withdraw(gb_ctx *ctx, const ev_frame *f)
{
	if (f->mark)
		f->mark->next = NULL;
	else
		ctx->diag_head = NULL;
	ctx->diag_tail = f->mark;
	ctx->nerrors = f->mark_n;
}

/*
 * One step of frame f. Either sets *need to a child whose value is not
 * known yet (the frame resumes after it), or sets *out to e's value.
 *
 *   and, or      children in order, stopping at the first false (true);
 *                an undefined child (GB_EDOMAIN) is passed over, and the
 *                result is undefined only if no other child decides it:
 *                x > 0 and log(x) < 1 is false at x = -1, in whichever
 *                order the canonical form puts the conjuncts
 *   piecewise    c1, v1, c2, v2, ... [, w]: the value of the first branch
 *                whose condition holds, else w; with no w and no branch,
 *                the value does not exist (relu'(0)): GB_EDOMAIN
 *   others       every child, then the kind's own evaluation
 */
static gb_status step(ev_state *s, ev_frame *f, const gb_node **need,
		      gb_value **out)
{
	const gb_node *e = f->e;
	const gb_value *a;
	gb_status st;
	bool b = false;

	switch ((gb_kind)e->kind) {
	case GB_AND:
	case GB_OR:
		for (; f->i < e->nargs; f->i++) {
			if (!(a = memo_get(s, e->arg[f->i]))) {
				if (!f->undefined) {
					f->mark = s->ctx->diag_tail;
					f->mark_n = s->ctx->nerrors;
				}
				*need = e->arg[f->i];
				return GB_OK;
			}
			if ((st = truth(s, e->arg[f->i], a, &b)) != GB_OK)
				return st;
			if (b != (e->kind == GB_AND)) {
				if (f->undefined)
					withdraw(s->ctx, f);
				return truth_value(s, b, out);
			}
		}
		if (f->undefined)	/* its diagnostic is still there */
			return GB_EDOMAIN;
		return truth_value(s, e->kind == GB_AND, out);
	case GB_PIECEWISE:
		for (;;) {
			const gb_node *c;

			if (f->i >= e->nargs) {
				gb_strbuf sb;

				gb_sb_init(&sb, s->mem);
				gb_sb_puts(&sb, "no branch of piecewise holds");
				put_point(s, &sb, e);
				return report(s, &sb, GB_EDOMAIN);
			}
			c = e->arg[f->i];
			if (!(a = memo_get(s, c))) {
				*need = c;
				return GB_OK;
			}
			if (f->i + 1 == e->nargs)	/* otherwise: w */
				return copy_value(s, a, out);
			if ((st = truth(s, c, a, &b)) != GB_OK)
				return st;
			if (b) {
				if (!(a = memo_get(s, e->arg[f->i + 1]))) {
					*need = e->arg[f->i + 1];
					return GB_OK;
				}
				return copy_value(s, a, out);
			}
			f->i += 2;
		}
	default:
		break;
	}

	for (; f->i < e->nargs; f->i++)
		if (!memo_get(s, e->arg[f->i])) {
			*need = e->arg[f->i];
			return GB_OK;
		}

	switch ((gb_kind)e->kind) {
	case GB_NUM:
		if (!(*out = new_value(s, 1, 1)))
			return oom(s);
		mpfr_set_q((*out)->v[0], e->u.q, MPFR_RNDN);
		return GB_OK;
	case GB_CONST:
		if (!(*out = new_value(s, 1, 1)))
			return oom(s);
		if (e->op == GB_CONST_PI) {
			mpfr_const_pi((*out)->v[0], MPFR_RNDN);
		} else {
			mpfr_set_ui((*out)->v[0], 1, MPFR_RNDN);
			mpfr_exp((*out)->v[0], (*out)->v[0], MPFR_RNDN);
		}
		return GB_OK;
	case GB_SYM:
		return eval_sym(s, e, out);
	case GB_CALL:
		return eval_call(s, e, out);
	case GB_POW:
		return eval_pow(s, e, out);
	case GB_MUL:
		return eval_mul(s, e, out);
	case GB_ADD:
		return eval_add(s, e, out);
	case GB_MATMUL:
		return eval_matmul(s, e, out);
	case GB_HADAMARD:
		return eval_hadamard(s, e, out);
	case GB_TRANSPOSE:
		return eval_transpose(s, e, out);
	case GB_MATRIX:
		return eval_matrix(s, e, out);
	case GB_CMP:
		return eval_cmp(s, e, out);
	case GB_AND:
	case GB_OR:
	case GB_PIECEWISE:
	case GB_NKINDS:
		break;
	}
	{
		gb_strbuf sb;

		gb_sb_init(&sb, s->mem);
		gb_sb_printf(&sb, "cannot evaluate a node of kind %u", e->kind);
		return report(s, &sb, GB_EUSAGE);
	}
}

/*
 * After a node is computed: no NaN, no infinity (MPFR saturates to Inf
 * past its exponent range, about 2^(2^30)), no underflow to zero.
 */
static gb_status check_value(ev_state *s, const gb_node *e, const gb_value *v)
{
	for (size_t k = 0; k < gb_value_len(v); k++) {
		if (mpfr_nan_p(v->v[k]))
			return fail(s, GB_EDOMAIN, "not a number (NaN)", e, k);
		if (mpfr_inf_p(v->v[k]))
			return fail(s, GB_EDOMAIN, "overflow past MPFR's "
				    "exponent range", e, k);
	}
	if (e->kind != GB_CALL && mpfr_underflow_p())
		return fail(s, GB_EDOMAIN, "underflow past MPFR's exponent "
			    "range", e, 0);
	return GB_OK;
}

/*
 * An undefined value inside a condition of and/or: unwinds the stack to
 * the nearest and/or frame, which records it and goes on with its next
 * child. false when there is none (the error stands).
 */
static bool catch_undefined(ev_state *s)
{
	size_t j = s->sp - 1;

	while (j-- > 0) {
		ev_frame *g = &s->stk[j];

		if (g->e->kind == GB_AND || g->e->kind == GB_OR) {
			g->undefined = true;
			g->i++;
			s->sp = j + 1;
			return true;
		}
	}
	return false;
}

/* ------------------------------------------------------------------ */
/* Error bounds: a pass that proves its own rounding                   */
/* ------------------------------------------------------------------ */

/*
 * When a pass tracks errors (gb_eval_bits' first pass), every value it
 * computes gets, entry by entry, a bound E >= |v~ - v| on the distance
 * between the computed v~ (precision w) and the exact value v of the
 * node at the exact bindings. E is an MPFR number of ERR_PREC bits, and
 * every operation on bounds rounds up (RNDU) on non-negative numbers, so
 * a computed bound is never below the quantity it bounds. A kind or a
 * function without a rule below leaves err NULL ("no bound"), and so does
 * every node above it: gb_eval_bits then falls back to comparing passes.
 *
 * Notation: w the working precision, X(y) = mpfr_get_exp(y), so that
 * 2^(X(y)-1) <= |y| < 2^X(y) for y != 0, and
 *
 *   R(y) = 2^(X(y) - w - 1)   (0 when y = 0)
 *
 * half an ulp of y. For a correctly rounded (RNDN) result y~ of an exact
 * z: |y~ - z| <= R(y~) (if z rounds up across a power of two, the ulp
 * below is the smaller one), and |z| <= |y~| + R(y~) <= 2^X(y~). A zero
 * y~ is exact: a non-zero z would round to 0 only by underflow, which
 * check_value rejects. Each rule bounds
 *
 *   |y~ - f(a)| <= |y~ - f(a~)| + |f(a~) - f(a)|
 *
 * by a rounding term (the first) and a propagated term (the second, by
 * the mean value theorem: sup |f'| over [a~ - E, a~ + E] times E).
 */
enum { ERR_PREC = 32 };

/* E += 2^(X(y) - prec(y) + sh): R(y) for sh = -1, 2 R(y) for sh = 0. */
static void err_add_ulp(mpfr_ptr E, mpfr_srcptr y, long sh)
{
	mpfr_t u;

	if (mpfr_zero_p(y))
		return;
	mpfr_init2(u, ERR_PREC);
	mpfr_set_ui_2exp(u, 1, mpfr_get_exp(y) - mpfr_get_prec(y) + sh,
			 MPFR_RNDU);
	mpfr_add(E, E, u, MPFR_RNDU);
	mpfr_clear(u);
}

/* E <= 2^k? */
static bool err_le_2exp(mpfr_srcptr E, mpfr_exp_t k)
{
	return mpfr_cmp_ui_2exp(E, 1, k) <= 0;
}

/* Zeroed bounds for every entry of v; false when memory ran out (then v
 * simply has no bound). */
static bool err_alloc(gb_value *v)
{
	size_t n = gb_value_len(v);

	if (n > SIZE_MAX / sizeof(mpfr_t) || !(v->err = gb_mem_alloc(NULL,
				n * sizeof *v->err)))
		return false;
	for (size_t k = 0; k < n; k++)
		mpfr_init2(v->err[k], ERR_PREC);
	for (size_t k = 0; k < n; k++)
		mpfr_set_zero(v->err[k], 1);
	return true;
}

/* The bound of entry k of child i (broadcasting scalars), NULL if none. */
static mpfr_ptr arg_err(const ev_state *s, const gb_node *e, size_t i,
			size_t k)
{
	const gb_value *a = arg_value(s, e, i);

	if (!a->err)
		return NULL;
	return value_is_scalar(a) ? a->err[0] : a->err[k];
}

static bool args_bounded(const ev_state *s, const gb_node *e)
{
	for (size_t i = 0; i < e->nargs; i++)
		if (!arg_value(s, e, i)->err)
			return false;
	return true;
}

/*
 * A product y~ of n factors a~_i (each with bound E_i), rounded at most
 * n times (eval_mul: one per scalar factor and one for the vector entry;
 * eval_hadamard: n - 1). With rho_i = E_i / |a~_i| <= E_i 2^(1 - X(a~_i))
 * and u = 2^-w, P~ the exact product of the a~_i and P that of the a_i:
 *
 *   |y~ - P~| <= |P~| ((1 + u)^n - 1)
 *   |P~ - P|  =  |P~| |prod (a_i / a~_i) - 1| <= |P~| (prod (1 + rho_i) - 1)
 *
 * and (A - 1) + (B - 1) <= AB - 1 for A, B >= 1, so with
 * S = sum rho_i + n u, |y~ - P| <= |P~| (e^S - 1) <= |P~| 2S once S <= 1/2
 * (e^S - 1 <= S (1 + S e^S / 2) < 2S). Finally |P~| <= |y~| / (1 - u)^n
 * < 2^(X(y~) + 1), so E = 2^(X(y~) + 2) S. A zero factor: the product is
 * an exact 0 when that factor is exact (E = 0), and unbounded otherwise.
 */
static bool bound_product(const ev_state *s, const gb_node *e, gb_value *v)
{
	mpfr_t S, t;
	bool ok = true;

	if (!args_bounded(s, e) || !err_alloc(v))
		return false;
	mpfr_inits2(ERR_PREC, S, t, (mpfr_ptr)0);
	for (size_t k = 0; ok && k < gb_value_len(v); k++) {
		bool zero = false;

		mpfr_set_ui_2exp(S, e->nargs, -s->prec, MPFR_RNDU);
		for (size_t i = 0; i < e->nargs; i++) {
			mpfr_srcptr a = arg_entry(s, e, i, k);
			mpfr_srcptr Ea = arg_err(s, e, i, k);

			if (mpfr_zero_p(a)) {
				zero = true;
				ok = mpfr_zero_p(Ea);
				break;
			}
			mpfr_mul_2si(t, Ea, 1 - mpfr_get_exp(a), MPFR_RNDU);
			mpfr_add(S, S, t, MPFR_RNDU);
		}
		if (zero)	/* ok: y~ = P = 0 exactly, err stays 0 */
			continue;
		if (!err_le_2exp(S, -1) || mpfr_zero_p(v->v[k])) {
			ok = false;
			break;
		}
		mpfr_mul_2si(v->err[k], S, mpfr_get_exp(v->v[k]) + 2,
			     MPFR_RNDU);
	}
	mpfr_clears(S, t, (mpfr_ptr)0);
	if (!ok)
		value_drop_err(v);
	return ok;
}

/*
 * b^r for a literal r = p/q (pow_rational). With rho = E_b / |b~| <=
 * E_b 2^(1 - X(b~)) <= 1/4 and |r| rho <= 1/4, b = b~ (1 + eps), |eps| <=
 * rho, b^r = b~^r (1 + eps)^r and |(1 + eps)^r - 1| <= 2 |r| rho:
 *   r > 0:  (1 + rho)^r - 1 <= e^(r rho) - 1 <= 2 r rho, and
 *           1 - (1 - rho)^r <= 1 - e^(-r rho / (1 - rho)) <= 4 r rho / 3;
 *   r = -m: (1 - rho)^-m - 1 <= e^(4 m rho / 3) - 1 <= (4/3) e^(1/3) m rho
 *           < 1.87 m rho (as -log(1 - rho) <= rho / (1 - rho) <= 4 rho / 3),
 *           and 1 - (1 + rho)^-m <= m rho (Bernoulli).
 * pow_rational's value before its last rounding is within 2^-(w + 7) of
 * b~^r relatively (its comment), so |b~^r| < 2^(X(y~) + 1), the propagated
 * term is <= 2^(X(y~) + 2) |r| rho, and the rounding term is R(y~) for
 * q = 1 (mpfr_pow_z, correctly rounded) and R(y~) + |b~^r| 2^-(w + 7) <=
 * 2 R(y~) otherwise. q >= 2^64 (a rounded exponent) has no rule. b~ = 0:
 * the value (0 or 1) is exact when b is exact, and unbounded otherwise.
 *
 * b^y for a computed y (pow_real, correctly rounded): bounded only when
 * both operands are exact (E = 0), then by R(y~).
 */
static bool bound_pow(const ev_state *s, const gb_node *e, gb_value *v)
{
	const gb_node *y = e->arg[1];
	bool lit = y->kind == GB_NUM;
	mpfr_t rho, r, t;
	bool ok = true;

	if (!args_bounded(s, e))
		return false;
	if (lit && !mpz_fits_ulong_p(mpq_denref(y->u.q)))
		return false;
	if (!err_alloc(v))
		return false;
	mpfr_inits2(ERR_PREC, rho, r, t, (mpfr_ptr)0);
	if (lit) {
		mpfr_set_q(r, y->u.q, MPFR_RNDA);
		mpfr_abs(r, r, MPFR_RNDU);
	}
	for (size_t k = 0; ok && k < gb_value_len(v); k++) {
		mpfr_srcptr b = arg_entry(s, e, 0, k);
		mpfr_srcptr Eb = arg_err(s, e, 0, k);
		mpfr_srcptr yk = v->v[k];

		if (!lit) {
			ok = mpfr_zero_p(Eb) && mpfr_zero_p(arg_err(s, e, 1, k));
			if (ok)
				err_add_ulp(v->err[k], yk, -1);
			continue;
		}
		if (mpfr_zero_p(b)) {
			ok = mpfr_zero_p(Eb);
			continue;
		}
		mpfr_mul_2si(rho, Eb, 1 - mpfr_get_exp(b), MPFR_RNDU);
		mpfr_mul(t, rho, r, MPFR_RNDU);
		if (!err_le_2exp(rho, -2) || !err_le_2exp(t, -2) ||
		    mpfr_zero_p(yk)) {
			ok = false;
			break;
		}
		mpfr_mul_2si(v->err[k], t, mpfr_get_exp(yk) + 2, MPFR_RNDU);
		err_add_ulp(v->err[k], yk,
			    mpz_cmp_ui(mpq_denref(y->u.q), 1) == 0 ? -1 : 0);
	}
	mpfr_clears(rho, r, t, (mpfr_ptr)0);
	if (!ok)
		value_drop_err(v);
	return ok;
}

/*
 * f(a) element-wise. The propagated term P for |a~ - a| <= E:
 *
 *   exp      E <= 1/2: |e^a~ - e^a| = e^a~ |1 - e^(a - a~)| <= e^a~ (e^E - 1)
 *            <= 2^X(y~) 2E (e^E - 1 <= 2E for E <= 1)
 *   log      E <= |a~| / 2: |log(a / a~)| <= 2E / |a~| (|log(1 + x)| <=
 *            |x| / (1 - |x|)), and |a~| >= 2^(X(a~) - 1): P = E 2^(2 - X(a~))
 *   sqrt     a~ > 0, E <= a~ / 2 (so a > 0): |a~ - a| / (sqrt a~ + sqrt a)
 *            <= E / sqrt a~, sqrt a~ >= y~ (1 - 2^-w) >= 2^(X(y~) - 2)
 *   sinh, cosh  E <= 1/2: |f'(t)| <= cosh t <= cosh(a~) e^E (cosh(a + d) <=
 *            cosh a e^|d|), cosh a~ <= 1 + 2^X(y~): P = E (2^(X(y~) + 1) + 2)
 *   sin, cos, atan, tanh, asinh, abs, relu, sigmoid, softplus: |f'| <= 1
 *   erf, erfc   |f'| <= 2 / sqrt(pi) < 2
 *   max, min    1-Lipschitz in the largest argument error
 *   sign, step  exact (P = 0) when the sign of a is proven: E < |a~|
 *               (E <= 2^(X(a~) - 2)), or a~ = 0 = E
 *
 * The rounding term is R(y~) for MPFR's correctly rounded functions (and
 * the exact ones), 2 R(y~) for sigmoid and softplus, whose comments bound
 * their error before the last rounding by 2^-(w + 6) relatively. tan,
 * asin, acos, acosh, atanh and the matrix functions have no rule.
 */
static bool bound_call(const ev_state *s, const gb_node *e, gb_value *v)
{
	mpfr_t P;
	bool ok = true;

	switch ((gb_fn)e->fn) {
	case GB_FN_EXP: case GB_FN_LOG: case GB_FN_SQRT: case GB_FN_SINH:
	case GB_FN_COSH: case GB_FN_SIN: case GB_FN_COS: case GB_FN_ATAN:
	case GB_FN_TANH: case GB_FN_ASINH: case GB_FN_ABS: case GB_FN_RELU:
	case GB_FN_SIGMOID: case GB_FN_SOFTPLUS: case GB_FN_ERF:
	case GB_FN_ERFC: case GB_FN_MAX: case GB_FN_MIN: case GB_FN_SIGN:
	case GB_FN_STEP:
		break;
	default:
		return false;
	}
	if (!args_bounded(s, e) || !err_alloc(v))
		return false;
	mpfr_init2(P, ERR_PREC);
	for (size_t k = 0; ok && k < gb_value_len(v); k++) {
		mpfr_srcptr a = arg_entry(s, e, 0, k);
		mpfr_srcptr E = arg_err(s, e, 0, k);
		mpfr_srcptr y = v->v[k];
		long sh = -1;

		switch ((gb_fn)e->fn) {
		case GB_FN_EXP:
			ok = err_le_2exp(E, -1);
			mpfr_mul_2si(P, E, mpfr_get_exp(y) + 1, MPFR_RNDU);
			break;
		case GB_FN_LOG:
			ok = err_le_2exp(E, mpfr_get_exp(a) - 2);
			mpfr_mul_2si(P, E, 2 - mpfr_get_exp(a), MPFR_RNDU);
			break;
		case GB_FN_SQRT:
			if (mpfr_zero_p(a)) {
				ok = mpfr_zero_p(E);
				mpfr_set_zero(P, 1);
				break;
			}
			ok = err_le_2exp(E, mpfr_get_exp(a) - 2);
			mpfr_mul_2si(P, E, 2 - mpfr_get_exp(y), MPFR_RNDU);
			break;
		case GB_FN_SINH:
		case GB_FN_COSH:
			ok = err_le_2exp(E, -1);
			mpfr_set_ui_2exp(P, 1, mpfr_get_exp(y) + 1, MPFR_RNDU);
			mpfr_add_ui(P, P, 2, MPFR_RNDU);
			mpfr_mul(P, P, E, MPFR_RNDU);
			break;
		case GB_FN_ERF:
		case GB_FN_ERFC:
			mpfr_mul_2ui(P, E, 1, MPFR_RNDU);
			break;
		case GB_FN_MAX:
		case GB_FN_MIN:
			mpfr_set(P, E, MPFR_RNDU);
			for (size_t i = 1; i < e->nargs; i++)
				mpfr_max(P, P, arg_err(s, e, i, k), MPFR_RNDU);
			break;
		case GB_FN_SIGN:
		case GB_FN_STEP:
			ok = mpfr_zero_p(a) ? mpfr_zero_p(E)
					    : err_le_2exp(E, mpfr_get_exp(a) - 2);
			mpfr_set_zero(P, 1);
			break;
		case GB_FN_SIGMOID:
		case GB_FN_SOFTPLUS:
			sh = 0;
			mpfr_set(P, E, MPFR_RNDU);
			break;
		default:	/* sin, cos, atan, tanh, asinh, abs, relu */
			mpfr_set(P, E, MPFR_RNDU);
			break;
		}
		mpfr_set(v->err[k], P, MPFR_RNDU);
		err_add_ulp(v->err[k], y, sh);
	}
	mpfr_clear(P);
	if (!ok)
		value_drop_err(v);
	return ok;
}

/*
 * Sets v->err for e's value v when a rule applies (see above); otherwise
 * v->err stays NULL. The other kinds:
 *
 *   number, symbol, pi, e   one correctly rounded conversion: R(y~)
 *   sum                     mpfr_sum rounds the exact sum of the a~_i
 *                           once: R(y~) + sum E_i
 *   transpose, matrix       exact copies: the bounds of the entries
 *   comparison              exact (E = 0) when |x~ - y~| > E_x + E_y, or
 *                           x~ = y~ with E_x = E_y = 0: the decision is
 *                           the exact one; otherwise no bound
 *   and, or, piecewise,     no rule
 *   matrix product
 */
static void bound_node(const ev_state *s, const gb_node *e, gb_value *v)
{
	switch ((gb_kind)e->kind) {
	case GB_NUM:
	case GB_CONST:
	case GB_SYM:
		if (!err_alloc(v))
			return;
		for (size_t k = 0; k < gb_value_len(v); k++)
			err_add_ulp(v->err[k], v->v[k], -1);
		return;
	case GB_ADD:
		if (!args_bounded(s, e) || !err_alloc(v))
			return;
		for (size_t k = 0; k < gb_value_len(v); k++) {
			for (size_t i = 0; i < e->nargs; i++)
				mpfr_add(v->err[k], v->err[k],
					 arg_err(s, e, i, k), MPFR_RNDU);
			err_add_ulp(v->err[k], v->v[k], -1);
		}
		return;
	case GB_MUL:
	case GB_HADAMARD:
		(void)bound_product(s, e, v);
		return;
	case GB_POW:
		(void)bound_pow(s, e, v);
		return;
	case GB_CALL:
		(void)bound_call(s, e, v);
		return;
	case GB_TRANSPOSE: {
		const gb_value *a = arg_value(s, e, 0);

		if (!a->err || !err_alloc(v))
			return;
		for (uint32_t i = 0; i < a->rows; i++)
			for (uint32_t j = 0; j < a->cols; j++)
				mpfr_set(v->err[(size_t)j * v->cols + i],
					 a->err[(size_t)i * a->cols + j],
					 MPFR_RNDU);
		return;
	}
	case GB_MATRIX:
		if (!args_bounded(s, e) || !err_alloc(v))
			return;
		for (size_t k = 0; k < e->nargs; k++)
			mpfr_set(v->err[k], arg_value(s, e, k)->err[0],
				 MPFR_RNDU);
		return;
	case GB_CMP: {
		mpfr_srcptr x, y, Ex, Ey;
		mpfr_t d, t;
		bool proven;

		if (!args_bounded(s, e))
			return;
		x = arg_entry(s, e, 0, 0);
		y = arg_entry(s, e, 1, 0);
		Ex = arg_err(s, e, 0, 0);
		Ey = arg_err(s, e, 1, 0);
		mpfr_inits2(ERR_PREC, d, t, (mpfr_ptr)0);
		mpfr_sub(d, x, y, MPFR_RNDZ);	/* |d| <= |x~ - y~| */
		mpfr_abs(d, d, MPFR_RNDZ);
		mpfr_add(t, Ex, Ey, MPFR_RNDU);
		proven = mpfr_equal_p(x, y) ? mpfr_zero_p(t)
					    : mpfr_greater_p(d, t);
		mpfr_clears(d, t, (mpfr_ptr)0);
		if (proven)
			(void)err_alloc(v);	/* zero bounds */
		return;
	}
	default:
		return;
	}
}

/* A pass at precision prec; track: also the error bounds (err). */
static gb_status eval_pass(gb_ctx *ctx, const gb_node *e,
			   const gb_node *const *env, size_t nenv,
			   mpfr_prec_t prec, bool track, gb_value **out)
{
	ev_state s = { .ctx = ctx, .mem = &ctx->mem, .env = env,
		       .nenv = nenv, .prec = prec, .track = track };
	mpfr_flags_t saved = mpfr_flags_save();
	gb_status st = GB_OK;
	size_t i;

	*out = NULL;
	if (!e)
		return gb_ctx_status(ctx);
	if (prec < MPFR_PREC_MIN || prec > MPFR_PREC_MAX)
		return GB_EUSAGE;
	if (!push(&s, e))
		return oom(&s);
	while (s.sp > 0) {
		ev_frame *f = &s.stk[s.sp - 1];
		const gb_node *need = NULL;
		gb_value *v = NULL;

		/* The work budget (gb_budget_start): one step per node, so
		 * every pass of the Ziv loops is counted too. */
		if (!gb_ctx_tick(ctx)) {
			st = GB_ELIMIT;
			break;
		}
		mpfr_clear_flags();
		if ((st = step(&s, f, &need, &v)) != GB_OK) {
			if (st == GB_EDOMAIN && catch_undefined(&s))
				continue;
			break;
		}
		if (need) {
			if (!push(&s, need)) {
				st = oom(&s);
				break;
			}
			continue;
		}
		if ((st = check_value(&s, f->e, v)) == GB_OK && s.track)
			bound_node(&s, f->e, v);
		if (st != GB_OK || !memo_put(&s, f->e, v)) {
			gb_value_free(v);
			if (st == GB_OK)
				st = oom(&s);
			break;
		}
		s.sp--;
	}
	if (st == GB_OK) {		/* hand over the root's value */
		for (i = id_slot(e->id, s.cap); s.ids[i] != e->id;
		     i = (i + 1) & (s.cap - 1))
			;
		*out = s.vals[i];
		s.vals[i] = NULL;	/* a hole, but no more lookups */
	}
	state_free(&s);
	mpfr_flags_restore(saved, MPFR_FLAGS_ALL);
	return st;
}

gb_status gb_eval_node(gb_ctx *ctx, const gb_node *e,
		       const gb_node *const *env, size_t nenv,
		       mpfr_prec_t prec, gb_value **out)
{
	return eval_pass(ctx, e, env, nenv, prec, false, out);
}

/* ------------------------------------------------------------------ */
/* Ziv loops                                                           */
/* ------------------------------------------------------------------ */

/* Number of bits of n: a guard for the n roundings of an n-node tree. */
static mpfr_prec_t bit_length(uint32_t n)
{
	mpfr_prec_t b = 0;

	while (n) {
		b++;
		n >>= 1;
	}
	return b;
}

/*
 * Is every entry of v (at the working precision w) proven to round to
 * prec bits (RNDN) as the exact value does? v->err[k] = E bounds the
 * error, and E < 2^X(E), so the error is below 2^(X(y~) - err) with
 * err = X(y~) - X(E): the form mpfr_can_round takes. rnd1 = RNDN: the
 * error may have either sign. mpfr_can_round(.., RNDN, prec) is non-zero
 * only when every number within that distance of y~ rounds to nearest
 * at prec bits as y~ does (an interval containing a rounding boundary, a
 * midpoint included, fails), so the rounding of y~ is the correct one.
 * E = 0: y~ is the exact value, and rounding it is correct. A zero y~
 * with E > 0 (or a bound that overflowed to infinity) proves nothing.
 */
static bool value_roundable(const gb_value *v, mpfr_prec_t prec)
{
	if (!v->err)
		return false;
	for (size_t k = 0; k < gb_value_len(v); k++) {
		mpfr_srcptr y = v->v[k], E = v->err[k];

		if (mpfr_zero_p(E))
			continue;
		if (!mpfr_number_p(E) || !mpfr_regular_p(y) ||
		    !mpfr_can_round(y, mpfr_get_exp(y) - mpfr_get_exp(E),
				    MPFR_RNDN, MPFR_RNDN, prec))
			return false;
	}
	return true;
}

/*
 * The working precisions: w0 = prec + 32 + bits(size of e), then
 * w <- w + max(w/2, 64), up to 4 prec + 8192 bits: enough for a
 * cancellation of 8192 bits (exp(x) - 1 at x = 1e-2400), and a bounded
 * cost (at most a few passes) when a value never settles, as sign(sin(pi))
 * or an exact zero computed inexactly (sin(pi) itself) do.
 */
gb_status gb_eval_bits(gb_ctx *ctx, const gb_node *e,
		       const gb_node *const *env, size_t nenv,
		       mpfr_prec_t prec, gb_value **out)
{
	mpfr_prec_t w, cap;
	gb_value *prev = NULL, *cur = NULL;
	gb_status st;

	*out = NULL;
	if (!e)
		return gb_ctx_status(ctx);
	if (prec < MPFR_PREC_MIN || prec > GB_EVAL_PREC_MAX) {
		gb_error(ctx, NULL, (gb_span){ 0, 0 },
			 "precision must be between %ld and %ld bits, not %ld",
			 (long)MPFR_PREC_MIN, (long)GB_EVAL_PREC_MAX,
			 (long)prec);
		return GB_ELIMIT;
	}
	w = prec + 32 + bit_length(e->size);
	cap = 4 * prec + 8192;
	/*
	 * The first pass also bounds its error (bound_node): when the bound
	 * proves the rounding, that pass is the answer, correctly rounded
	 * (not only "as far as a retry can tell"). Otherwise, or for a kind
	 * without an error rule, passes are compared as before.
	 */
	if ((st = eval_pass(ctx, e, env, nenv, w, true, &prev)) != GB_OK)
		return st;
	/*
	 * The budget is looked at after this pass as it is before each
	 * further one: a pass that ran past it is not taken as the answer.
	 */
	if (value_roundable(prev, prec)) {
		value_drop_err(prev);
		if (!gb_ctx_budget_ok(ctx)) {
			gb_value_free(prev);
			return GB_ELIMIT;
		}
		value_round(prev, prec);
		*out = prev;
		return GB_OK;
	}
	value_drop_err(prev);
	value_round(prev, prec);
	/*
	 * The first retry adds 64 bits: enough to expose a result whose
	 * last bits were lost, at little cost; later retries grow by half.
	 */
	for (int pass = 0;; pass++) {
		w += pass == 0 || w / 2 < 64 ? 64 : w / 2;
		/* A pass at high precision may be slow with few nodes: look
		 * at the clock before each one, not only every 1024 nodes. */
		if (!gb_ctx_budget_ok(ctx)) {
			st = GB_ELIMIT;
			break;
		}
		if (w > cap) {
			gb_error(ctx, NULL, (gb_span){ 0, 0 },
				 "the value did not settle up to %ld bits of "
				 "working precision (a cancellation, or a "
				 "value that is exactly zero?)", (long)cap);
			st = GB_EUNSTABLE;
			break;
		}
		if ((st = gb_eval_node(ctx, e, env, nenv, w, &cur)) != GB_OK)
			break;
		value_round(cur, prec);
		if (value_equal(prev, cur)) {
			*out = cur;
			cur = NULL;
			break;
		}
		gb_value_free(prev);
		prev = cur;
		cur = NULL;
	}
	gb_value_free(prev);
	gb_value_free(cur);
	return st;
}

/*
 * Would x, rounded to n significant decimal digits, print the same for
 * every value within one ulp of x? x is printed once with n + 4 digits;
 * the four extra digits t (0 .. 9999) say how far x is from a rounding
 * boundary of the n-th digit, which lies at t = 5000. One ulp of x is at
 * most 2^(1-p) 10^(n+4) units of the last of the n + 4 digits, and
 * p >= n log2(10) + 16 makes that below 0.31; the printed t is itself
 * rounded (half a unit). So |t - 5000| >= 2 proves the n-digit rounding
 * of every value within an ulp equal. One conversion instead of three.
 */
static bool decimal_settled(mpfr_srcptr x, size_t n)
{
	mpfr_exp_t e;
	char *d;
	long t = 0;
	size_t len, start;
	bool ok;

	if (mpfr_zero_p(x))
		return true;
	d = mpfr_get_str(NULL, &e, 10, n + 4, x, MPFR_RNDN);
	if (!d)
		return false;
	start = d[0] == '-';
	len = strlen(d);
	if (len < start + n + 4) {
		mpfr_free_str(d);
		return false;
	}
	for (size_t i = start + n; i < start + n + 4; i++)
		t = 10 * t + (d[i] - '0');
	ok = t <= 5000 - 2 || t >= 5000 + 2;
	mpfr_free_str(d);
	return ok;
}

/*
 * digits decimal digits need p >= digits log2(10) bits; log2(10) =
 * 3.32192... < 3322/1000, so p = ceil(digits 3322 / 1000) + 16 suffices
 * with 16 bits to spare, computed in integers. When a binary result lies
 * too close to a decimal rounding boundary (about 2^-16 of the time) the
 * target grows until it does not, or until the value turns out to be
 * exactly representable (e.g. 1/8 to 2 digits: printed with ties to even).
 */
gb_status gb_eval_env(gb_ctx *ctx, const gb_node *e,
		      const gb_node *const *env, size_t nenv, long digits,
		      gb_value **out)
{
	mpfr_prec_t prec;
	gb_value *prev = NULL, *cur = NULL;
	gb_status st;

	*out = NULL;
	if (digits < 1 || digits > GB_DIGITS_MAX) {
		gb_error(ctx, NULL, (gb_span){ 0, 0 },
			 "digits must be between 1 and %ld, not %ld",
			 GB_DIGITS_MAX, digits);
		return GB_ELIMIT;
	}
	prec = (mpfr_prec_t)((digits * 3322 + 999) / 1000) + 16;
	for (int round = 0;; round++) {
		bool settled = true;

		if ((st = gb_eval_bits(ctx, e, env, nenv, prec, &cur)) != GB_OK)
			break;
		for (size_t k = 0; settled && k < gb_value_len(cur); k++)
			settled = decimal_settled(cur->v[k], (size_t)digits);
		if (settled || (prev && value_equal(prev, cur))) {
			*out = cur;
			cur = NULL;
			break;
		}
		if (round == 3 || prec > GB_EVAL_PREC_MAX / 2) {
			gb_error(ctx, NULL, (gb_span){ 0, 0 },
				 "the %ld-th digit did not settle up to %ld "
				 "bits", digits, (long)prec);
			st = GB_EUNSTABLE;
			break;
		}
		gb_value_free(prev);
		prev = cur;
		cur = NULL;
		prec += prec / 2;
	}
	gb_value_free(prev);
	gb_value_free(cur);
	return st;
}

gb_status gb_eval(gb_ctx *ctx, const gb_node *e, long digits, gb_value **out)
{
	return gb_eval_env(ctx, e, ctx->bind, ctx->nbind, digits, out);
}
