/*
 * test_eval.c - the MPFR evaluator (numeric/eval.c).
 *
 * Expressions are built with the constructors of core/build.h, not the
 * parser, from a small prefix notation read by this file:
 *
 *   (softplus x)   (^ x 1/3)   (- 1 z)   (mm A z)   (pw (> x 0) 1 2)
 *
 * Numbers are exact: -3, 1/3, 0.5, 1e-400. %pi and %e are the constants,
 * (vec a b c) a column vector, (mat r c a b ...) a matrix (row-major),
 * (had a b) Hadamard, (T a) transpose, (mm a b) matrix product.
 *
 * Reference digits come from independent sources: series computed here
 * with GMP integers (e, pi, log 2, log 10), or mpmath at 3000 digits for
 * the composite hard points (noted per row). Case ids are stable.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gmp.h>
#include <mpfr.h>

#include "gradbox.h"
#include "testutil.h"
#include "core/build.h"
#include "core/ctx.h"
#include "front/lower.h"
#include "numeric/eval.h"
#include "numeric/exp_exact.h"

/* ------------------------------------------------------------------ */
/* A reader for prefix expressions                                     */
/* ------------------------------------------------------------------ */

enum { MAX_ENV = 64, MAX_ARGS = 16 };

struct rd {
	gb_ctx *ctx;
	const char *p;
	const char *id;
};

static const struct {
	const char *name;
	gb_fn fn;
} fns[] = {
#define FN(id, name, lo, hi, latex, ev, d) { name, GB_FN_##id },
#include "functions.def"
#undef FN
};

static void skip_space(struct rd *r)
{
	while (*r->p == ' ')
		r->p++;
}

/* An atom ends at a space or a parenthesis; copies it into buf. */
static void atom(struct rd *r, char *buf, size_t size)
{
	size_t n = 0;

	while (*r->p && *r->p != ' ' && *r->p != '(' && *r->p != ')') {
		if (n + 1 < size)
			buf[n++] = *r->p;
		r->p++;
	}
	buf[n] = '\0';
}

/* [-]digits[.digits][e[-]digits][/digits] as an exact rational. */
static const gb_node *number(struct rd *r, const char *s)
{
	mpz_t m, t;
	mpq_t q;
	long ex = 0, frac = 0;
	bool neg = false;
	const gb_node *n;

	mpz_inits(m, t, NULL);
	mpq_init(q);
	if (*s == '-') {
		neg = true;
		s++;
	}
	for (; *s >= '0' && *s <= '9'; s++) {
		mpz_mul_ui(m, m, 10);
		mpz_add_ui(m, m, (unsigned long)(*s - '0'));
	}
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++, frac++) {
			mpz_mul_ui(m, m, 10);
			mpz_add_ui(m, m, (unsigned long)(*s - '0'));
		}
	if (*s == 'e') {
		char *end;

		ex = strtol(s + 1, &end, 10);
		s = end;
	}
	if (neg)
		mpz_neg(m, m);
	mpq_set_z(q, m);
	ex -= frac;
	mpz_ui_pow_ui(t, 10, (unsigned long)(ex < 0 ? -ex : ex));
	if (ex < 0)
		mpz_mul(mpq_denref(q), mpq_denref(q), t);
	else
		mpz_mul(mpq_numref(q), mpq_numref(q), t);
	if (*s == '/')
		mpz_mul_ui(mpq_denref(q), mpq_denref(q), strtoul(s + 1, NULL, 10));
	mpq_canonicalize(q);
	n = gb_num_q(r->ctx, q);
	mpq_clear(q);
	mpz_clears(m, t, NULL);
	return n;
}

static const gb_node *expr(struct rd *r);

static const gb_node *list(struct rd *r)
{
	const gb_node *a[MAX_ARGS];
	char head[32];
	size_t n = 0;
	gb_ctx *c = r->ctx;

	r->p++;				/* ( */
	skip_space(r);
	atom(r, head, sizeof head);
	for (skip_space(r); *r->p && *r->p != ')'; skip_space(r)) {
		if (n == MAX_ARGS)
			fail_msg("%s: too many arguments", r->id);
		a[n++] = expr(r);
	}
	if (*r->p != ')')
		fail_msg("%s: missing ')'", r->id);
	r->p++;

	if (!strcmp(head, "+"))
		return gb_add(c, n, a);
	if (!strcmp(head, "*"))
		return gb_mul(c, n, a);
	if (!strcmp(head, "-")) {	/* a - b - c ... */
		const gb_node *d = n == 1 ? gb_neg(c, a[0]) : a[0];

		for (size_t i = 1; i < n; i++)
			d = gb_sub(c, d, a[i]);
		return d;
	}
	if (!strcmp(head, "/"))
		return gb_div(c, a[0], a[1]);
	if (!strcmp(head, "^"))
		return gb_pow(c, a[0], a[1]);
	if (!strcmp(head, "mm"))
		return gb_matmul(c, a[0], a[1]);
	if (!strcmp(head, "had"))
		return gb_hadamard(c, a[0], a[1]);
	if (!strcmp(head, "T"))
		return gb_transpose(c, a[0]);
	if (!strcmp(head, "vec"))
		return gb_matrix(c, (uint32_t)n, 1, a);
	if (!strcmp(head, "mat")) {
		uint32_t rows = (uint32_t)mpz_get_ui(mpq_numref(a[0]->u.q));
		uint32_t cols = (uint32_t)mpz_get_ui(mpq_numref(a[1]->u.q));

		return gb_matrix(c, rows, cols, a + 2);
	}
	if (!strcmp(head, "pw"))
		return gb_piecewise(c, n, a);
	if (!strcmp(head, "and"))
		return gb_and(c, n, a);
	if (!strcmp(head, "or"))
		return gb_or(c, n, a);
	{
		static const struct {
			const char *name;
			gb_op op;
		} cmps[] = { { "<", GB_OP_LT },  { "<=", GB_OP_LE },
			     { ">", GB_OP_GT },  { ">=", GB_OP_GE },
			     { "==", GB_OP_EQ }, { "!=", GB_OP_NE } };

		for (size_t i = 0; i < sizeof cmps / sizeof cmps[0]; i++)
			if (!strcmp(head, cmps[i].name))
				return gb_cmp(c, cmps[i].op, a[0], a[1]);
	}
	for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++)
		if (!strcmp(head, fns[i].name))
			return gb_call(c, fns[i].fn, n, a);
	fail_msg("%s: unknown head '%s'", r->id, head);
	return NULL;
}

static const gb_node *expr(struct rd *r)
{
	char buf[64];

	skip_space(r);
	if (*r->p == '(')
		return list(r);
	atom(r, buf, sizeof buf);
	if ((buf[0] >= '0' && buf[0] <= '9') ||
	    (buf[0] == '-' && buf[1] >= '0' && buf[1] <= '9'))
		return number(r, buf);
	if (!strcmp(buf, "%pi"))
		return gb_const(r->ctx, GB_CONST_PI);
	if (!strcmp(buf, "%e"))
		return gb_const(r->ctx, GB_CONST_E);
	if (!buf[0])
		fail_msg("%s: expected an expression at '%s'", r->id, r->p);
	return gb_symbol(r->ctx, buf, strlen(buf));
}

/* ------------------------------------------------------------------ */
/* Fixture: one context per case, bindings in an explicit env          */
/* ------------------------------------------------------------------ */

struct bind {
	const char *name, *value;
};

struct fx {
	gb_ctx *ctx;
	const gb_node *env[MAX_ENV];
};

static const gb_node *read_expr(gb_ctx *ctx, const char *id, const char *s)
{
	struct rd r = { ctx, s, id };
	const gb_node *e = expr(&r);

	if (!e)
		fail_msg("%s: cannot build '%s'", id, s);
	return e;
}

/*
 * A fresh context with the bindings made (each also fixes its symbol's
 * shape, before the expression's nodes are built) and e read.
 */
static const gb_node *setup(struct fx *f, const char *id, const char *e,
			    const struct bind *b)
{
	memset(f, 0, sizeof *f);
	f->ctx = tu_ctx();
	for (; b && b->name; b++) {
		gb_sym *y = gb_sym_intern(f->ctx, b->name, strlen(b->name));
		const gb_node *v = read_expr(f->ctx, id, b->value);

		assert_non_null(y);
		assert_true(y->id < MAX_ENV);
		y->shape = v->shape;
		f->env[y->id] = v;
	}
	return read_expr(f->ctx, id, e);
}

static char *diags(gb_ctx *ctx)
{
	char *s = gb_diag_render(ctx);

	assert_non_null(s);
	return s;
}

/* ------------------------------------------------------------------ */
/* Values to the last digit                                            */
/* ------------------------------------------------------------------ */

struct value_case {
	const char *id;
	const char *expr;
	struct bind bind[3];
	long digits;
	const char *want;
};

static const struct value_case value_cases[] = {
	/* exact values, and the printed form */
	{ "eval-1.1", "(sigmoid 0)", { { 0 } }, 5, "5.0000e-1" },
	{ "eval-1.2", "(sigmoid x)", { { "x", "1" } }, 20,
	  "7.3105857863000487925e-1" },
	{ "eval-1.3", "(sigmoid x)", { { "x", "1" } }, 1, "7e-1" },
	{ "eval-1.4", "(- x x)", { { "x", "3" } }, 10, "0" },
	{ "eval-1.5", "(* x y)", { { "x", "0" }, { "y", "5" } }, 10, "0" },
	{ "eval-1.6", "(- x)", { { "x", "1/8" } }, 3, "-1.25e-1" },
	{ "eval-1.7", "x", { { "x", "1/8" } }, 2, "1.2e-1" },	/* tie: even */
	{ "eval-1.8", "x", { { "x", "-1e-400" } }, 3, "-1.00e-400" },
	{ "eval-1.9", "(sqrt 2)", { { 0 } }, 20, "1.4142135623730950488e0" },

	/* kinks and signs */
	{ "eval-2.1", "(sign x)", { { "x", "0" } }, 5, "0" },
	{ "eval-2.2", "(sign x)", { { "x", "-3/2" } }, 5, "-1.0000e0" },
	{ "eval-2.3", "(relu x)", { { "x", "-2" } }, 5, "0" },
	{ "eval-2.4", "(relu x)", { { "x", "3/2" } }, 5, "1.5000e0" },
	{ "eval-2.5", "(abs x)", { { "x", "-2" } }, 5, "2.0000e0" },
	{ "eval-2.6", "(max x 0)", { { "x", "-1/3" } }, 5, "0" },
	{ "eval-2.7", "(min x 1 y)", { { "x", "2" }, { "y", "-7" } }, 3,
	  "-7.00e0" },

	/* powers: 0^0 = 1, real odd roots of negative bases */
	{ "eval-3.1", "(^ x 1/3)", { { "x", "-8" } }, 5, "-2.0000e0" },
	{ "eval-3.2", "(^ x 2/3)", { { "x", "-8" } }, 5, "4.0000e0" },
	{ "eval-3.3", "(^ x -1/3)", { { "x", "-8" } }, 5, "-5.0000e-1" },
	{ "eval-3.4", "(^ x 1/3)", { { "x", "2" } }, 20,
	  "1.2599210498948731648e0" },
	{ "eval-3.5", "(^ x y)", { { "x", "0" }, { "y", "0" } }, 5,
	  "1.0000e0" },
	{ "eval-3.6", "(^ x y)", { { "x", "0" }, { "y", "1/2" } }, 5, "0" },
	{ "eval-3.7", "(^ x 1/2)", { { "x", "0" } }, 5, "0" },
	{ "eval-3.8", "(^ x y)", { { "x", "-2" }, { "y", "3" } }, 5,
	  "-8.0000e0" },
	{ "eval-3.9", "(^ x -2)", { { "x", "-2" } }, 5, "2.5000e-1" },

	/* the hard points; references from mpmath at 3000 digits */
	{ "eval-4.1", "(softplus x)", { { "x", "800" } }, 20,
	  "8.0000000000000000000e2" },
	{ "eval-4.2", "(softplus x)", { { "x", "-800" } }, 20,
	  "3.6678745841776872135e-348" },
	{ "eval-4.3", "(log (sigmoid x))", { { "x", "-1000" } }, 20,
	  "-1.0000000000000000000e3" },
	{ "eval-4.4", "(exp (- (^ x 2)))", { { "x", "30" } }, 20,
	  "1.3644772123656827617e-391" },
	{ "eval-4.5", "(sigmoid x)", { { "x", "-1000" } }, 20,
	  "5.0759588975494567653e-435" },
	{ "eval-4.6", "(sigmoid x)", { { "x", "1000" } }, 20,
	  "1.0000000000000000000e0" },
	{ "eval-4.7", "(erf x)", { { "x", "30" } }, 20,
	  "1.0000000000000000000e0" },
	{ "eval-4.8", "(erfc x)", { { "x", "30" } }, 20,
	  "2.5646562037561116000e-393" },
	{ "eval-4.9", "(log x)", { { "x", "1e-400" } }, 20,
	  "-9.2103403719761827361e2" },
	/* e^-1e10 underflows inside, harmlessly: the value rounds to 1 */
	{ "eval-4.10", "(sigmoid x)", { { "x", "1e10" } }, 5, "1.0000e0" },
	{ "eval-4.11", "(softplus x)", { { "x", "1e10" } }, 5, "1.0000e10" },
	/* cancellations the Ziv loop must see through */
	{ "eval-4.12", "(- (exp x) 1)", { { "x", "1e-30" } }, 20,
	  "1.0000000000000000000e-30" },
	{ "eval-4.13", "(- (^ (+ x 1) 2) (^ x 2) (* 2 x))",
	  { { "x", "1e20" } }, 20, "1.0000000000000000000e0" },
	{ "eval-4.14", "%pi", { { 0 } }, 30,
	  "3.14159265358979323846264338328e0" },
	{ "eval-4.15", "%e", { { 0 } }, 30,
	  "2.71828182845904523536028747135e0" },

	/* vectors and matrices */
	{ "eval-5.1", "(- 1 z)", { { "z", "(vec 1/4 1/2 2)" } }, 5,
	  "[7.5000e-1, 5.0000e-1, -1.0000e0]" },
	{ "eval-5.2", "(* 2 x z)", { { "z", "(vec 1 -3)" }, { "x", "1/2" } },
	  3, "[1.00e0, -3.00e0]" },
	{ "eval-5.3", "(mm A z)",
	  { { "A", "(mat 2 2 1 2 3 4)" }, { "z", "(vec 5 6)" } }, 5,
	  "[1.7000e1, 3.9000e1]" },
	{ "eval-5.4", "(mm (T z) z)", { { "z", "(vec 1 2 3)" } }, 5,
	  "1.4000e1" },
	{ "eval-5.5", "(had z z)", { { "z", "(vec 1 -2 3)" } }, 3,
	  "[1.00e0, 4.00e0, 9.00e0]" },
	{ "eval-5.6", "(T A)", { { "A", "(mat 2 2 1 2 3 4)" } }, 2,
	  "[[1.0e0, 3.0e0], [2.0e0, 4.0e0]]" },
	{ "eval-5.7", "(T z)", { { "z", "(vec 1 0)" } }, 2,
	  "[[1.0e0, 0]]" },
	{ "eval-5.8", "(exp z)", { { "z", "(vec 1/4 1/2 2)" } }, 5,
	  "[1.2840e0, 1.6487e0, 7.3891e0]" },
	{ "eval-5.9", "(sigmoid (mm W z))",
	  { { "W", "(mat 1 2 1 -1)" }, { "z", "(vec 1 1)" } }, 5,
	  "5.0000e-1" },	/* 1×1: a scalar */
	{ "eval-5.10", "(mat 2 2 x 0 0 x)", { { "x", "1/2" } }, 2,
	  "[[5.0e-1, 0], [0, 5.0e-1]]" },
	{ "eval-5.11", "(+ A A)", { { "A", "(mat 1 2 1 -1)" } }, 2,
	  "[[2.0e0, -2.0e0]]" },

	/* piecewise: branches in order, lazily; and/or short-circuit */
	{ "eval-6.1", "(pw (> x 0) 1 (> x -1) 2 3)", { { "x", "1" } }, 2,
	  "1.0e0" },
	{ "eval-6.2", "(pw (> x 0) 1 (> x -1) 2 3)", { { "x", "-1/2" } }, 2,
	  "2.0e0" },
	{ "eval-6.3", "(pw (> x 0) 1 (> x -1) 2 3)", { { "x", "-5" } }, 2,
	  "3.0e0" },
	{ "eval-6.4", "(pw (> x -1) 1 (> x 0) 2)", { { "x", "1" } }, 2,
	  "1.0e0" },
	{ "eval-6.5", "(pw (> x 0) (log x) 0)", { { "x", "-1" } }, 2, "0" },
	{ "eval-6.6", "(pw (and (> x 0) (< (log x) 1)) 1 2)",
	  { { "x", "-1" } }, 2, "2.0e0" },
	{ "eval-6.7", "(pw (or (<= x 0) (> (log x) 1)) 1 2)",
	  { { "x", "-1" } }, 2, "1.0e0" },
	{ "eval-6.10", "(pw (and (< (log x) 1) (> x 0)) 1 2)",
	  { { "x", "-1" } }, 2, "2.0e0" },
	{ "eval-6.11", "(pw (or (> (sqrt x) 1) (< x 0)) 1 2)",
	  { { "x", "-1" } }, 2, "1.0e0" },
	{ "eval-6.8", "(pw (== x y) 1 (!= x y) 2)",
	  { { "x", "1/3" }, { "y", "1/3" } }, 2, "1.0e0" },
	{ "eval-6.9", "(pw (>= x 0) (* 2 z) (- z))",
	  { { "x", "0" }, { "z", "(vec 1 2)" } }, 2, "[2.0e0, 4.0e0]" },
};

static void test_values(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof value_cases / sizeof value_cases[0];
	     i++) {
		const struct value_case *c = &value_cases[i];
		struct fx f;
		const gb_node *e = setup(&f, c->id, c->expr, c->bind);
		gb_value *v = NULL;
		gb_status st;
		char *got;

		st = gb_eval_env(f.ctx, e, f.env, MAX_ENV, c->digits, &v);
		if (st != GB_OK) {
			char *d = diags(f.ctx);

			fail_msg("%s: %s: status %d: %s", c->id, c->expr, st, d);
		}
		got = gb_value_str(v, c->digits);
		assert_non_null(got);
		if (strcmp(got, c->want))
			fail_msg("%s: %s = %s, want %s", c->id, c->expr, got,
				 c->want);
		gb_free(got);
		gb_value_free(v);
		gb_ctx_free(f.ctx);
	}
}

/* ------------------------------------------------------------------ */
/* Undefined values and other failures: status and exact diagnostic    */
/* ------------------------------------------------------------------ */

struct error_case {
	const char *id;
	const char *expr;
	struct bind bind[3];
	gb_status want_st;
	const char *want;	/* gb_diag_render, without "gradbox: error: " */
};

static const struct error_case error_cases[] = {
	{ "err-1.1", "(log x)", { { "x", "-1" } }, GB_EDOMAIN,
	  "log of a negative number: log(x) at x = -1" },
	{ "err-1.2", "(log 0)", { { 0 } }, GB_EDOMAIN, "log of zero: log(0)" },
	{ "err-1.3", "(log x)", { { "x", "0" } }, GB_EDOMAIN,
	  "log of zero: log(x) at x = 0" },
	{ "err-1.4", "(sqrt -1)", { { 0 } }, GB_EDOMAIN,
	  "square root of a negative number: sqrt(-1)" },
	{ "err-1.5", "(asin 2)", { { 0 } }, GB_EDOMAIN,
	  "asin of a number outside [-1, 1]: asin(2)" },
	{ "err-1.6", "(acos x)", { { "x", "-3/2" } }, GB_EDOMAIN,
	  "acos of a number outside [-1, 1]: acos(x) at x = -1.5" },
	{ "err-1.7", "(acosh 1/2)", { { 0 } }, GB_EDOMAIN,
	  "acosh of a number below 1: acosh(1/2)" },
	{ "err-1.8", "(atanh x)", { { "x", "1" } }, GB_EDOMAIN,
	  "atanh of a number outside (-1, 1): atanh(x) at x = 1" },
	{ "err-1.9", "(log (- (* 2 x) 1))", { { "x", "1/4" } }, GB_EDOMAIN,
	  "log of a negative number: log(-0.5) at x = 0.25" },
	{ "err-1.10", "(log z)", { { "z", "(vec 1 -1)" } }, GB_EDOMAIN,
	  "log of a negative number: log(z) at z = [1, -1]" },
	{ "err-1.11", "(log (+ x y))", { { "y", "1e-400" }, { "x", "-1" } },
	  GB_EDOMAIN, "log of a negative number: log(-1) at x = -1, "
		      "y = 1e-400" },

	/* powers */
	{ "err-2.1", "(/ 1 x)", { { "x", "0" } }, GB_EDOMAIN,
	  "division by zero: x^(-1) at x = 0" },
	{ "err-2.2", "(^ x -1/2)", { { "x", "0" } }, GB_EDOMAIN,
	  "division by zero: x^(-1/2) at x = 0" },
	{ "err-2.3", "(^ x 1/2)", { { "x", "-4" } }, GB_EDOMAIN,
	  "square root of a negative number: sqrt(x) at x = -4" },
	{ "err-2.3b", "(^ x 1/4)", { { "x", "-4" } }, GB_EDOMAIN,
	  "even root of a negative number: x^(1/4) at x = -4" },
	{ "err-2.4", "(^ x y)", { { "x", "-1" }, { "y", "1/2" } }, GB_EDOMAIN,
	  "power of a negative number with a non-integer exponent: x^y at "
	  "x = -1, y = 0.5" },
	{ "err-2.5", "(^ x y)", { { "x", "0" }, { "y", "-2" } }, GB_EDOMAIN,
	  "division by zero: x^y at x = 0, y = -2" },

	/* kinks: the derivative of relu at 0 does not exist */
	{ "err-3.1", "(pw (< x 0) 0 (> x 0) 1)", { { "x", "0" } }, GB_EDOMAIN,
	  "no branch of piecewise holds at x = 0" },
	{ "err-3.2", "(* 3 (pw (< x y) 0 (> x y) 1))",
	  { { "x", "2" }, { "y", "2" } }, GB_EDOMAIN,
	  "no branch of piecewise holds at x = 2, y = 2" },

	/* an undefined conjunct that nothing else decides */
	{ "err-3.3", "(pw (and (> y 0) (< (log x) 1)) 1 2)",
	  { { "x", "-1" }, { "y", "1" } }, GB_EDOMAIN,
	  "log of a negative number: log(x) at x = -1" },

	/* MPFR's exponent range */
	{ "err-4.1", "(exp x)", { { "x", "1e10" } }, GB_EDOMAIN,
	  "overflow past MPFR's exponent range: exp(x) at x = 1e10" },
	{ "err-4.2", "(exp (- x))", { { "x", "1e10" } }, GB_EDOMAIN,
	  "underflow past MPFR's exponent range: exp(-1e10) at x = 1e10" },
	{ "err-4.3", "(softplus x)", { { "x", "-1e10" } }, GB_EDOMAIN,
	  "underflow past MPFR's exponent range: softplus(x) at x = -1e10" },
	{ "err-4.4", "(* (exp x) (exp y))", { { "x", "5e8" }, { "y", "5e8" } },
	  GB_EDOMAIN, "overflow past MPFR's exponent range: a product at "
		      "x = 5e8, y = 5e8" },

	/* names and shapes */
	{ "err-5.1", "(log y)", { { 0 } }, GB_ENAME, "'y' has no value" },
	{ "err-5.2", "(mm A z)",
	  { { "A", "(mat 2 2 1 2 3 4)" }, { "z", "(vec 1 2 3)" } }, GB_ESHAPE,
	  "shapes do not conform for 'matrix product': 2×2 and 3×1" },
	{ "err-5.3", "(had z w)", { { "z", "(vec 1 2 3)" }, { "w", "(vec 1 2)" } },
	  GB_ESHAPE, "shapes do not conform for '.*': 2×1 and 3×1" },

	/* a value that never settles: sin(pi) is 0, computed inexactly */
	{ "err-6.1", "(sin %pi)", { { 0 } }, GB_EUNSTABLE,
	  "the value did not settle up to 8392 bits of working precision "
	  "(a cancellation, or a value that is exactly zero?)" },
};

static void test_errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof error_cases / sizeof error_cases[0];
	     i++) {
		const struct error_case *c = &error_cases[i];
		struct fx f;
		const gb_node *e = setup(&f, c->id, c->expr, c->bind);
		gb_value *v = NULL;
		gb_status st;
		char *got;
		char want[512];

		st = gb_eval_env(f.ctx, e, f.env, MAX_ENV, 10, &v);
		got = diags(f.ctx);
		snprintf(want, sizeof want, "gradbox: error: %s\n", c->want);
		if (st != c->want_st || strcmp(got, want))
			fail_msg("%s: %s: status %d, want %d; diagnostics:\n%s"
				 "want:\n%s", c->id, c->expr, st, c->want_st,
				 got, want);
		assert_null(v);
		gb_free(got);
		gb_ctx_free(f.ctx);
	}
}

/* digits outside 1 .. GB_DIGITS_MAX: GB_ELIMIT, and gb_value_str refuses. */
static void test_digits_range(void **state)
{
	static const long bad[] = { 0, -5, GB_DIGITS_MAX + 1 };
	struct fx f;
	const gb_node *e;
	gb_value *v = NULL;

	(void)state;
	e = setup(&f, "digits-1", "(sigmoid 0)", NULL);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char want[128], *got;

		gb_diag_clear(f.ctx);
		assert_int_equal(gb_eval_env(f.ctx, e, f.env, MAX_ENV, bad[i],
					     &v), GB_ELIMIT);
		assert_null(v);
		got = diags(f.ctx);
		snprintf(want, sizeof want, "gradbox: error: digits must be "
			 "between 1 and 100000, not %ld\n", bad[i]);
		assert_string_equal(got, want);
		gb_free(got);
	}
	assert_int_equal(gb_eval_env(f.ctx, e, f.env, MAX_ENV, 3, &v), GB_OK);
	assert_null(gb_value_str(v, 0));
	assert_null(gb_value_str(v, GB_DIGITS_MAX + 1));
	assert_null(gb_value_str(NULL, 3));
	gb_value_free(v);
	gb_ctx_free(f.ctx);
}

/* ------------------------------------------------------------------ */
/* 1000 digits against series computed with GMP integers               */
/* ------------------------------------------------------------------ */

enum { REF_DIGITS = 1000, FIX = 1030 };	/* fixed point: units of 10^-FIX */

/* e = sum 1/k!: each floor division errs by < 1 unit, ~460 terms. */
static void ref_e(mpz_t r, const mpz_t one)
{
	mpz_t t;

	mpz_init_set(t, one);
	mpz_set_ui(r, 0);
	for (unsigned long k = 1; mpz_sgn(t); k++) {
		mpz_add(r, r, t);
		mpz_fdiv_q_ui(t, t, k);
	}
	mpz_clear(t);
}

/* atan(1/x) = sum (-1)^k / ((2k+1) x^(2k+1)); < 2 units of error per term */
static void ref_atan_inv(mpz_t r, const mpz_t one, unsigned long x,
			 bool hyperbolic)
{
	mpz_t p, t;

	mpz_inits(p, t, NULL);
	mpz_fdiv_q_ui(p, one, x);
	mpz_set_ui(r, 0);
	for (unsigned long k = 0; mpz_sgn(p); k++) {
		mpz_fdiv_q_ui(t, p, 2 * k + 1);
		if (k % 2 && !hyperbolic)
			mpz_sub(r, r, t);
		else
			mpz_add(r, r, t);
		mpz_fdiv_q_ui(p, p, x * x);
	}
	mpz_clears(p, t, NULL);
}

/* pi = 16 atan(1/5) - 4 atan(1/239) (Machin, 1706) */
static void ref_pi(mpz_t r, const mpz_t one)
{
	mpz_t b;

	mpz_init(b);
	ref_atan_inv(r, one, 5, false);
	mpz_mul_ui(r, r, 16);
	ref_atan_inv(b, one, 239, false);
	mpz_submul_ui(r, b, 4);
	mpz_clear(b);
}

/* log 2 = sum_{k>=1} 1/(k 2^k), ~3430 terms of < 2 units each */
static void ref_log2(mpz_t r, const mpz_t one)
{
	mpz_t p, t;

	mpz_inits(p, t, NULL);
	mpz_fdiv_q_2exp(p, one, 1);
	mpz_set_ui(r, 0);
	for (unsigned long k = 1; mpz_sgn(p); k++) {
		mpz_fdiv_q_ui(t, p, k);
		mpz_add(r, r, t);
		mpz_fdiv_q_2exp(p, p, 1);
	}
	mpz_clears(p, t, NULL);
}

/* log(10^-400) = -400 (3 log 2 + log(5/4)), log(5/4) = 2 atanh(1/9) */
static void ref_log_1e_400(mpz_t r, const mpz_t one)
{
	mpz_t a;

	mpz_init(a);
	ref_log2(r, one);
	mpz_mul_ui(r, r, 3);
	ref_atan_inv(a, one, 9, true);
	mpz_addmul_ui(r, a, 2);
	mpz_mul_si(r, r, -400);
	mpz_clear(a);
}

/*
 * got = "[-]d.ddd...e<E>" with n digits is the correct rounding of
 * ref / 10^FIX, ref known to within tol units: with D the digits as an
 * integer and k = E - (n - 1) + FIX, |D 10^k - ref| + tol < 10^k / 2.
 */
static void assert_rounds(const char *id, const char *got, const mpz_t ref,
			  unsigned long tol)
{
	const char *s = got, *epos = strchr(got, 'e');
	mpz_t d, p, diff;
	long n = 0, k;

	assert_non_null(epos);
	mpz_inits(d, p, diff, NULL);
	for (s = got; s < epos; s++)
		if (*s >= '0' && *s <= '9') {
			mpz_mul_ui(d, d, 10);
			mpz_add_ui(d, d, (unsigned long)(*s - '0'));
			n++;
		}
	if (got[0] == '-')
		mpz_neg(d, d);
	k = strtol(epos + 1, NULL, 10) - (n - 1) + FIX;
	assert_true(n == REF_DIGITS && k > 20);
	mpz_ui_pow_ui(p, 10, (unsigned long)k);
	mpz_mul(d, d, p);
	mpz_sub(diff, d, ref);
	mpz_abs(diff, diff);
	mpz_add_ui(diff, diff, tol);
	mpz_mul_2exp(diff, diff, 1);
	if (mpz_cmp(diff, p) >= 0)
		fail_msg("%s: %.40s... is not the rounding of the reference",
			 id, got);
	mpz_clears(d, p, diff, NULL);
}

static void test_reference_digits(void **state)
{
	static const struct {
		const char *id, *expr;
		struct bind bind[2];
		void (*ref)(mpz_t, const mpz_t);
		unsigned long tol;
	} cases[] = {
		{ "ref-1", "%e", { { 0 } }, ref_e, 1000 },
		{ "ref-2", "(exp 1)", { { 0 } }, ref_e, 1000 },
		{ "ref-3", "%pi", { { 0 } }, ref_pi, 100000 },
		{ "ref-4", "(* 4 (atan 1))", { { 0 } }, ref_pi, 100000 },
		{ "ref-5", "(log 2)", { { 0 } }, ref_log2, 10000 },
		{ "ref-6", "(log x)", { { "x", "1e-400" } }, ref_log_1e_400,
		  100000000 },
	};
	mpz_t one, ref;

	(void)state;
	mpz_inits(one, ref, NULL);
	mpz_ui_pow_ui(one, 10, FIX);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct fx f;
		const gb_node *e = setup(&f, cases[i].id, cases[i].expr,
					 cases[i].bind);
		gb_value *v = NULL;
		char *got;

		assert_int_equal(gb_eval_env(f.ctx, e, f.env, MAX_ENV,
					     REF_DIGITS, &v), GB_OK);
		got = gb_value_str(v, REF_DIGITS);
		assert_non_null(got);
		cases[i].ref(ref, one);
		assert_rounds(cases[i].id, got, ref, cases[i].tol);
		gb_free(got);
		gb_value_free(v);
		gb_ctx_free(f.ctx);
	}
	mpz_clears(one, ref, NULL);
}

/* ------------------------------------------------------------------ */
/* Precision consistency: at p bits = at p + 64 bits rounded to p      */
/* ------------------------------------------------------------------ */

/* a (at p bits) is b (more precise) rounded to p bits, entry by entry. */
static void assert_rounds_to(const gb_value *a, gb_value *b, mpfr_prec_t p,
			     const char *id)
{
	assert_int_equal(a->rows, b->rows);
	assert_int_equal(a->cols, b->cols);
	for (size_t k = 0; k < gb_value_len(a); k++) {
		assert_int_equal(mpfr_get_prec(a->v[k]), p);
		mpfr_prec_round(b->v[k], p, MPFR_RNDN);
		if (!mpfr_equal_p(a->v[k], b->v[k]))
			fail_msg("%s: at %ld bits", id, (long)p);
	}
}

static void test_precision_consistency(void **state)
{
	static const struct {
		const char *id, *expr;
	} cases[] = {
		{ "prec-1", "(sigmoid x)" },
		{ "prec-2", "(softplus (- x))" },
		{ "prec-3", "(log (+ 1 (^ x 2)))" },
		{ "prec-4", "(* (sin x) (cos (* 3 x)))" },
		{ "prec-5", "(^ x 1/3)" },
		{ "prec-6", "(- (exp x) 1 x)" },
		{ "prec-7", "(/ (atan x) (+ x %pi))" },
		{ "prec-8", "(erfc (* 4 x))" },
		{ "prec-9", "(tanh (asinh x))" },
		{ "prec-10", "(mm (T z) (exp z))" },
	};
	static const struct bind binds[] = {
		{ "x", "7/3" }, { "z", "(vec 1/3 -2 5)" }, { 0 }
	};
	static const mpfr_prec_t precs[] = { 2, 24, 53, 113, 200, 1000 };

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		for (size_t j = 0; j < sizeof precs / sizeof precs[0]; j++) {
			struct fx f;
			const gb_node *e = setup(&f, cases[i].id,
						 cases[i].expr, binds);
			gb_value *a = NULL, *b = NULL;
			mpfr_prec_t p = precs[j];

			assert_int_equal(gb_eval_bits(f.ctx, e, f.env, MAX_ENV,
						      p, &a), GB_OK);
			assert_int_equal(gb_eval_bits(f.ctx, e, f.env, MAX_ENV,
						      p + 64, &b), GB_OK);
			assert_rounds_to(a, b, p, cases[i].id);
			gb_value_free(a);
			gb_value_free(b);
			gb_ctx_free(f.ctx);
		}
}

/* ------------------------------------------------------------------ */
/* One pass with a proven rounding (the error bounds of eval.c)        */
/* ------------------------------------------------------------------ */

/*
 * For each case and precision p: gb_eval_bits(p) must equal a reference
 * computed without error bounds or retries, one plain pass at p + 512
 * bits rounded once to p (a wrong last bit would differ from it except
 * when the exact value lies within 2^-(p+500) of a rounding boundary).
 * Cases with an error rule for every node must take a single pass:
 * gb_eval_bits then ticks exactly as many steps as one gb_eval_node.
 * W6's values (softplus' with beta = 2 is sigmoid(2x); the 10th
 * derivative of 1/(1 + e^-x), built by gb_differentiate) are checked at
 * 1000 digits, p = 3338 bits as gb_eval uses.
 */
static void test_one_pass(void **state)
{
	static const struct {
		const char *id, *expr;
		unsigned long order;	/* differentiate in x first */
		bool one_pass;
	} cases[] = {
		{ "pass-1", "(sigmoid (* 2 x))", 0, true },
		{ "pass-2", "(/ 1 (+ 1 (exp (- x))))", 10, true },
		{ "pass-3", "(/ (log (+ 1 (exp (* 2 x)))) 2)", 1, true },
		{ "pass-4", "(softplus (* -3 x))", 0, true },
		{ "pass-5", "(^ (+ 1 x) -11)", 0, true },
		{ "pass-6", "(* (sinh x) (cosh x) (erf x) (erfc x))", 0, true },
		{ "pass-7", "(+ (sqrt (+ x 2)) (^ x 1/3) (log x))", 0, true },
		{ "pass-8", "(max (sin x) (cos x) (atan x))", 0, true },
		{ "pass-9", "(- (exp x) 1 x)", 0, true },
		{ "pass-10", "(tanh (asinh (* %pi x %e)))", 0, true },
		{ "pass-11", "(* z (exp x))", 0, true },
		{ "pass-12", "(had (T (T z)) (- z 1))", 0, true },
		{ "pass-13", "(* (sign (- x 1)) (abs (- x 1)) (relu x))", 0,
		  true },
		{ "pass-14", "(pw (> x 0) (sigmoid x) 0)", 0, false },
		{ "pass-15", "(tan x)", 0, false },
		{ "pass-16", "(mm (T z) (exp z))", 0, false },
		/*
		 * e^y - 1 at y = 1e-30 cancels about 100 bits: a bound
		 * that forgot an error would take one (wrong) pass here.
		 * (Inside sigmoid or atan before log and ^-3: a first pass
		 * at few bits, where it is 0 or worse, is no domain error.)
		 */
		{ "pass-17", "(exp (* 1e30 (- (exp y) 1)))", 0, false },
		{ "pass-18", "(log (+ 2 (sigmoid (* 1e30 (- (exp y) 1)))))", 0,
		  false },
		{ "pass-19", "(^ (+ 2 (atan (* 1e30 (- (exp y) 1)))) -3)", 0,
		  false },
		{ "pass-20", "(sinh (sigmoid (* 1e30 (- (exp y) 1))))", 0,
		  false },
		{ "pass-21", "(had (* 1e30 (- (exp y) 1)) (+ z 1))", 0, false },
	};
	static const struct bind binds[] = {
		{ "x", "7/10" }, { "z", "(vec 1/3 -2 5)" }, { "y", "1e-30" },
		{ 0 }
	};
	static const mpfr_prec_t precs[] = { 2, 24, 53, 200, 3338 };

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		for (size_t j = 0; j < sizeof precs / sizeof precs[0]; j++) {
			struct fx f;
			const gb_node *e = setup(&f, cases[i].id,
						 cases[i].expr, binds);
			gb_value *a = NULL, *b = NULL;
			mpfr_prec_t p = precs[j];
			uint64_t t0, one, bits;

			if (cases[i].order)
				assert_int_equal(gb_differentiate(f.ctx, e, "x",
						cases[i].order, &e), GB_OK);
			t0 = f.ctx->steps;
			assert_int_equal(gb_eval_node(f.ctx, e, f.env, MAX_ENV,
						      p + 512, &b), GB_OK);
			one = f.ctx->steps - t0;
			t0 = f.ctx->steps;
			assert_int_equal(gb_eval_bits(f.ctx, e, f.env, MAX_ENV,
						      p, &a), GB_OK);
			bits = f.ctx->steps - t0;
			/* at 2 bits, 20 = (had 5 4) is an exact midpoint
			 * (16 and 24): no bound separates it, 2 passes */
			if (cases[i].one_pass && p > 2 && bits != one)
				fail_msg("%s: %lu steps at %ld bits, one pass "
					 "is %lu", cases[i].id,
					 (unsigned long)bits, (long)p,
					 (unsigned long)one);
			if (!cases[i].one_pass && bits < 2 * one)
				fail_msg("%s: a single pass without a bound",
					 cases[i].id);
			assert_rounds_to(a, b, p, cases[i].id);
			gb_value_free(a);
			gb_value_free(b);
			gb_ctx_free(f.ctx);
		}
}

/*
 * 1000 digits of W6's two values through gb_eval_env, against the same
 * digits from one plain pass at 4000 bits (mpfr_get_str rounds correctly).
 */
static void test_w6_digits(void **state)
{
	static const struct {
		const char *id, *expr;
		unsigned long order;
	} cases[] = {
		{ "w6-1", "(/ (log (+ 1 (exp (* 2 x)))) 2)", 1 },
		{ "w6-2", "(/ 1 (+ 1 (exp (- x))))", 10 },
	};
	static const struct bind binds[] = { { "x", "7/10" }, { 0 } };

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct fx f;
		const gb_node *e = setup(&f, cases[i].id, cases[i].expr, binds);
		gb_value *v = NULL, *r = NULL;
		char *got, *want;

		assert_int_equal(gb_differentiate(f.ctx, e, "x",
						  cases[i].order, &e), GB_OK);
		assert_int_equal(gb_eval_env(f.ctx, e, f.env, MAX_ENV, 1000,
					     &v), GB_OK);
		assert_int_equal(gb_eval_node(f.ctx, e, f.env, MAX_ENV, 4000,
					      &r), GB_OK);
		got = gb_value_str(v, 1000);
		want = gb_value_str(r, 1000);
		assert_non_null(got);
		assert_non_null(want);
		if (strcmp(got, want) != 0)
			fail_msg("%s: %.30s...%s, want ...%s", cases[i].id, got,
				 got + strlen(got) - 12,
				 want + strlen(want) - 12);
		gb_free(got);
		gb_free(want);
		gb_value_free(v);
		gb_value_free(r);
		gb_ctx_free(f.ctx);
	}
}

/*
 * exp_exact.c: e^q for exact rationals, against MPFR's own exp of q at
 * 400 more bits, rounded once (the reference is wrong only if e^q lies
 * within 2^-400 relative of a rounding boundary). The cases reach the
 * edges: tiny, negative, integer, |q| = 64, and precisions from 2 bits
 * to W6's 3400; |q| > 64 and words too wide are declined.
 */
static void test_exp_rational(void **state)
{
	static const long qs[][2] = {
		{ 7, 5 }, { -7, 5 }, { 1, 3 }, { -1, 3 }, { 1, 1 }, { -1, 1 },
		{ 1, 1000000 }, { -12345, 1000 }, { 64, 1 }, { -64, 1 },
		{ 127, 2 }, { 355, 113 }, { 0, 1 },
	};
	static const mpfr_prec_t precs[] = { 2, 24, 53, 100, 1000, 3400 };
	mpq_t q;
	mpfr_t r, ref;

	(void)state;
	mpq_init(q);
	for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++)
		for (size_t j = 0; j < sizeof precs / sizeof precs[0]; j++) {
			mpq_set_si(q, qs[i][0], (unsigned long)qs[i][1]);
			mpfr_inits2(precs[j], r, (mpfr_ptr)0);
			mpfr_init2(ref, precs[j] + 400);
			mpfr_set_q(ref, q, MPFR_RNDN);
			mpfr_exp(ref, ref, MPFR_RNDN);
			mpfr_prec_round(ref, precs[j], MPFR_RNDN);
			if (!gb_exp_rational(r, q))
				fail_msg("exp(%ld/%ld) at %ld bits declined",
					 qs[i][0], qs[i][1], (long)precs[j]);
			if (!mpfr_equal_p(r, ref))
				fail_msg("exp(%ld/%ld) at %ld bits is not correctly rounded",
					 qs[i][0], qs[i][1], (long)precs[j]);
			mpfr_clears(r, ref, (mpfr_ptr)0);
		}
	mpfr_init2(r, 53);
	mpq_set_si(q, 129, 2);			/* |q| > 64 */
	assert_false(gb_exp_rational(r, q));
	mpz_ui_pow_ui(mpq_numref(q), 10, 40);	/* wider than a word */
	mpz_set_ui(mpq_denref(q), 3);
	mpq_canonicalize(q);
	assert_false(gb_exp_rational(r, q));
	mpfr_clear(r);
	mpq_clear(q);
}

/* W6's softplus' is sigmoid(7/5): against 1/(1 + e^(-7/5)) from MPFR
 * alone at 4000 bits, so the exact-argument path is checked by a route
 * that does not use it. */
static void test_w6_independent(void **state)
{
	static const struct bind binds[] = { { "x", "7/10" }, { 0 } };
	struct fx f;
	const gb_node *e;
	gb_value *v = NULL;
	mpfr_t t, want;
	char *got, *ws;

	(void)state;
	e = setup(&f, "w6-ind", "(/ (log (+ 1 (exp (* 2 x)))) 2)", binds);
	assert_int_equal(gb_differentiate(f.ctx, e, "x", 1, &e), GB_OK);
	assert_int_equal(gb_eval_env(f.ctx, e, f.env, MAX_ENV, 1000, &v),
			 GB_OK);
	mpfr_inits2(4000, t, want, (mpfr_ptr)0);
	mpfr_set_si(t, -7, MPFR_RNDN);
	mpfr_div_ui(t, t, 5, MPFR_RNDN);
	mpfr_exp(t, t, MPFR_RNDN);
	mpfr_add_ui(t, t, 1, MPFR_RNDN);
	mpfr_ui_div(want, 1, t, MPFR_RNDN);
	got = gb_value_str(v, 1000);
	assert_non_null(got);
	ws = malloc(1100);
	assert_non_null(ws);
	mpfr_snprintf(ws, 1100, "%.999Re", want);	/* d.ddd...e-01 */
	assert_true(strlen(got) > 1001 && strncmp(got, ws, 1001) == 0);
	assert_string_equal(got + 1001, "e-1");
	assert_string_equal(ws + 1001, "e-01");
	free(ws);
	gb_free(got);
	mpfr_clears(t, want, (mpfr_ptr)0);
	gb_value_free(v);
	gb_ctx_free(f.ctx);
}

/*
 * An exact midpoint: x = 1 + 2^-53 lies halfway between two 53-bit
 * numbers. Its error bound cannot separate it from the boundary, so the
 * passes are compared, and the tie goes to even (1), as mpfr_set_q does.
 */
static void test_midpoint(void **state)
{
	static const struct bind b[] = {
		{ "x", "9007199254740993/9007199254740992" }, { 0 }
	};
	static const char *const exprs[] = { "x", "(* 1 x)", "(+ x 0)" };

	(void)state;
	for (size_t i = 0; i < sizeof exprs / sizeof exprs[0]; i++) {
		struct fx f;
		const gb_node *e = setup(&f, "mid", exprs[i], b);
		gb_value *v = NULL;

		assert_int_equal(gb_eval_bits(f.ctx, e, f.env, MAX_ENV, 53, &v),
				 GB_OK);
		assert_true(mpfr_cmp_ui(v->v[0], 1) == 0);
		gb_value_free(v);
		gb_ctx_free(f.ctx);
	}
}

/* ------------------------------------------------------------------ */
/* Deep and wide DAGs, the context's bindings                          */
/* ------------------------------------------------------------------ */

/* sin(sin(...sin(x))) 100000 deep: the explicit stack, not the C stack. */
static void test_deep(void **state)
{
	static const struct bind b[] = { { "x", "1/2" }, { 0 } };
	struct fx f;
	const gb_node *e = setup(&f, "deep-1", "x", b);
	gb_value *v = NULL;
	char *got;

	(void)state;
	for (int i = 0; i < 100000; i++)
		e = gb_call1(f.ctx, GB_FN_SIN, e);
	assert_non_null(e);
	assert_int_equal(gb_eval_env(f.ctx, e, f.env, MAX_ENV, 15, &v), GB_OK);
	got = gb_value_str(v, 15);
	assert_string_equal(got, "5.47674812048575e-3");	/* mpmath */
	gb_free(got);
	gb_value_free(v);
	gb_ctx_free(f.ctx);
}

/*
 * a_{k+1} = sin(a_k) + cos(a_k), 1000 levels: the tree has 2^1000 leaves,
 * the DAG 4000 nodes; without the per-pass memo this would never end.
 */
static void test_shared(void **state)
{
	static const struct bind b[] = { { "x", "1/2" }, { 0 } };
	struct fx f;
	const gb_node *e = setup(&f, "shared-1", "x", b);
	gb_value *v = NULL;
	char *got;

	(void)state;
	for (int i = 0; i < 1000; i++)
		e = gb_add2(f.ctx, gb_call1(f.ctx, GB_FN_SIN, e),
			    gb_call1(f.ctx, GB_FN_COS, e));
	assert_non_null(e);
	assert_int_equal(gb_eval_env(f.ctx, e, f.env, MAX_ENV, 15, &v), GB_OK);
	got = gb_value_str(v, 15);
	assert_string_equal(got, "1.25872817749268e0");	/* mpmath */
	gb_free(got);
	gb_value_free(v);
	gb_ctx_free(f.ctx);
}

/* gb_eval uses the bindings stored in the context (gb_bind_sym). */
static void test_public_eval(void **state)
{
	gb_ctx *ctx = tu_ctx();
	gb_sym *x = gb_sym_intern(ctx, "x", 1);
	const gb_node *e;
	gb_value *v = NULL;
	char *got;

	(void)state;
	assert_int_equal(gb_bind_sym(ctx, x, gb_num_si(ctx, 1)), GB_OK);
	e = gb_call1(ctx, GB_FN_SIGMOID, gb_sym_node(ctx, x));
	assert_int_equal(gb_eval(ctx, e, 20, &v), GB_OK);
	got = gb_value_str(v, 20);
	assert_string_equal(got, "7.3105857863000487925e-1");
	gb_free(got);
	gb_value_free(v);
	gb_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_digits_range),
		cmocka_unit_test(test_reference_digits),
		cmocka_unit_test(test_precision_consistency),
		cmocka_unit_test(test_one_pass),
		cmocka_unit_test(test_w6_digits),
		cmocka_unit_test(test_exp_rational),
		cmocka_unit_test(test_w6_independent),
		cmocka_unit_test(test_midpoint),
		cmocka_unit_test(test_deep),
		cmocka_unit_test(test_shared),
		cmocka_unit_test(test_public_eval),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
