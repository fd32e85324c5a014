/*
 * gen.c - seeded random expressions and prefix descriptions (see gen.h).
 *
 * Determinism: every random choice comes from *state through splitmix64,
 * and children are drawn one after another into arrays before the
 * constructor is called. (Writing gb_add2(ctx, gen(..), gen(..)) would
 * leave the order of the two draws to the compiler.)
 */
#include "core/gen.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/build.h"
#include "core/ctx.h"
#include "core/strbuf.h"

enum { GEN_MAX_DEPTH = 5 };

uint64_t gb_gen_next(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

/* Uniform enough in 0..n-1 for n far below 2^32. */
static unsigned pick(uint64_t *st, unsigned n)
{
	return (unsigned)(gb_gen_next(st) % n);
}

static const char *const gen_names[] = { "x", "y", "beta", "alpha" };

/* Small rationals: num, den. */
static const long gen_nums[][2] = {
	{ 0, 1 }, { 1, 1 }, { 2, 1 }, { 3, 1 }, { 5, 1 }, { -1, 1 },
	{ -2, 1 }, { -3, 1 }, { 1, 2 }, { -1, 2 }, { 1, 3 }, { 2, 3 },
	{ -3, 2 }, { 5, 4 }, { -1, 3 },
};

/* Exponents: integers of both signs and simple roots. */
static const long gen_exps[][2] = {
	{ 2, 1 }, { 3, 1 }, { -1, 1 }, { -2, 1 }, { 1, 2 }, { 1, 3 },
	{ -1, 2 }, { 3, 2 }, { 2, 3 }, { -3, 1 },
};

static const uint8_t fn_minargs[GB_NFNS] = {
#define FN(id, name, lo, hi, latex, ev, d) [GB_FN_##id] = lo,
#include "functions.def"
#undef FN
};

static const uint8_t fn_maxargs[GB_NFNS] = {
#define FN(id, name, lo, hi, latex, ev, d) [GB_FN_##id] = hi,
#include "functions.def"
#undef FN
};

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

static const gb_node *gen(gb_ctx *ctx, uint64_t *st, int depth);

static const gb_node *gen_symbol(gb_ctx *ctx, uint64_t *st)
{
	const char *name = gen_names[pick(st, NELEMS(gen_names))];

	return gb_symbol(ctx, name, strlen(name));
}

static const gb_node *gen_number(gb_ctx *ctx, uint64_t *st)
{
	const long *q = gen_nums[pick(st, NELEMS(gen_nums))];

	return gb_num_frac(ctx, q[0], (unsigned long)q[1]);
}

/* Symbols 6 in 10, numbers 3 in 10, pi or e 1 in 10. */
static const gb_node *gen_leaf(gb_ctx *ctx, uint64_t *st)
{
	unsigned r = pick(st, 10);

	if (r < 6)
		return gen_symbol(ctx, st);
	if (r < 9)
		return gen_number(ctx, st);
	return gb_const(ctx, pick(st, 2) ? GB_CONST_PI : GB_CONST_E);
}

/* e unless it is the number 0, which must not be divided by. */
static const gb_node *nonzero(gb_ctx *ctx, const gb_node *e)
{
	return gb_is_zero(e) ? ctx->two : e;
}

/* x op c, sometimes joined by and / or. */
static const gb_node *gen_cond(gb_ctx *ctx, uint64_t *st, int depth)
{
	const gb_node *a[2];
	unsigned r = pick(st, 10);
	gb_op op;

	if (r < 2 && depth > 0) {
		a[0] = gen_cond(ctx, st, depth - 1);
		a[1] = gen_cond(ctx, st, depth - 1);
		return r == 0 ? gb_or(ctx, 2, a) : gb_and(ctx, 2, a);
	}
	op = (gb_op)(GB_OP_LT + pick(st, GB_OP_NE - GB_OP_LT + 1));
	a[0] = r < 8 || depth <= 0 ? gen_symbol(ctx, st) :
				     gen(ctx, st, depth - 1);
	a[1] = gen_number(ctx, st);
	return gb_cmp(ctx, op, a[0], a[1]);
}

static const gb_node *gen_piecewise(gb_ctx *ctx, uint64_t *st, int depth)
{
	const gb_node *a[5];
	size_t n = 0, branches = 1 + pick(st, 2);

	for (size_t i = 0; i < branches; i++) {
		a[n] = gen_cond(ctx, st, 1);
		n++;
		a[n] = gen(ctx, st, depth - 1);
		n++;
	}
	if (pick(st, 2)) {
		a[n] = gen(ctx, st, depth - 1);
		n++;
	}
	return gb_piecewise(ctx, n, a);
}

static const gb_node *gen_call(gb_ctx *ctx, uint64_t *st, int depth)
{
	const gb_node *a[3];
	/* element-wise functions only: the matrix ones start at GB_FN_SUM */
	gb_fn fn = (gb_fn)pick(st, GB_FN_SUM);
	size_t n = fn_minargs[fn];

	if (fn_maxargs[fn] == 0)	/* n-ary: max, min */
		n += pick(st, 2);
	if (n > NELEMS(a))
		n = NELEMS(a);
	for (size_t i = 0; i < n; i++)
		a[i] = gen(ctx, st, depth - 1);
	return gb_call(ctx, fn, n, a);
}

static const gb_node *gen_pow(gb_ctx *ctx, uint64_t *st, int depth)
{
	const gb_node *base = gen(ctx, st, depth - 1), *ex;

	if (pick(st, 5) == 0) {
		ex = gen(ctx, st, depth - 1);
	} else {
		const long *q = gen_exps[pick(st, NELEMS(gen_exps))];

		ex = gb_num_frac(ctx, q[0], (unsigned long)q[1]);
		if (q[0] < 0)
			base = nonzero(ctx, base);
	}
	return gb_pow(ctx, base, ex);
}

static const gb_node *gen(gb_ctx *ctx, uint64_t *st, int depth)
{
	const gb_node *a[3];
	unsigned r;
	size_t n;

	if (depth <= 0)
		return gen_leaf(ctx, st);
	r = pick(st, 100);
	if (r < 8)
		return gen_leaf(ctx, st);
	if (r < 22 || (r >= 40 && r < 54)) {	/* sums and products */
		n = 2 + pick(st, 2);
		for (size_t i = 0; i < n; i++)
			a[i] = gen(ctx, st, depth - 1);
		return r < 22 ? gb_add(ctx, n, a) : gb_mul(ctx, n, a);
	}
	if (r < 40) {				/* differences, quotients */
		a[0] = gen(ctx, st, depth - 1);
		a[1] = gen(ctx, st, depth - 1);
		return r < 30 ? gb_sub(ctx, a[0], a[1]) :
				gb_div(ctx, a[0], nonzero(ctx, a[1]));
	}
	if (r < 60)
		return gb_neg(ctx, gen(ctx, st, depth - 1));
	if (r < 72)
		return gen_pow(ctx, st, depth);
	if (r < 94)
		return gen_call(ctx, st, depth);
	return gen_piecewise(ctx, st, depth);
}

const gb_node *gb_gen_expr(gb_ctx *ctx, uint64_t *state, int depth)
{
	if (depth > GEN_MAX_DEPTH)
		depth = GEN_MAX_DEPTH;
	return gen(ctx, state, depth);
}

/* ------------------------------------------------- prefix descriptions */

typedef struct sx {
	gb_ctx *ctx;
	const char *s;
	bool bad;
} sx;

static void sx_space(sx *p)
{
	while (*p->s == ' ' || *p->s == '\t' || *p->s == '\n')
		p->s++;
}

/* The next atom: a run up to a space or parenthesis. */
static size_t sx_atom(sx *p, const char **start)
{
	size_t n = 0;

	sx_space(p);
	*start = p->s;
	while (p->s[n] && !strchr(" \t\n()", p->s[n]))
		n++;
	p->s += n;
	return n;
}

static bool atom_is(const char *a, size_t n, const char *word)
{
	return gb_str_is(a, n, word);
}

/* An integer or p/q, optionally negative; NULL if a is not a number. */
static const gb_node *sx_number(sx *p, const char *a, size_t n)
{
	char buf[64];
	const gb_node *r;
	mpq_t q;

	bool digit = a[0] >= '0' && a[0] <= '9';
	bool minus = n > 1 && a[0] == '-' && a[1] >= '0' && a[1] <= '9';

	if (!digit && !minus)
		return NULL;
	if (n >= sizeof buf) {
		p->bad = true;
		return NULL;
	}
	memcpy(buf, a, n);
	buf[n] = '\0';
	mpq_init(q);
	if (mpq_set_str(q, buf, 10) != 0 ||
	    mpz_sgn(mpq_denref(q)) == 0) {
		mpq_clear(q);
		p->bad = true;
		return NULL;
	}
	mpq_canonicalize(q);
	r = gb_num_q(p->ctx, q);
	mpq_clear(q);
	return r;
}

/* name or name:RxC */
static const gb_node *sx_name(sx *p, const char *a, size_t n)
{
	const char *colon = memchr(a, ':', n);
	size_t len = colon ? (size_t)(colon - a) : n;
	gb_sym *sym;

	if (atom_is(a, n, "pi"))
		return p->ctx->pi;
	if (atom_is(a, n, "e"))
		return p->ctx->e;
	sym = gb_sym_intern(p->ctx, a, len);
	if (sym && colon) {
		char *end;
		unsigned long rows = strtoul(colon + 1, &end, 10), cols;

		if (*end != 'x') {
			p->bad = true;
			return NULL;
		}
		cols = strtoul(end + 1, &end, 10);
		if (end != a + n || !rows || !cols || rows > UINT32_MAX ||
		    cols > UINT32_MAX) {
			p->bad = true;
			return NULL;
		}
		sym->shape.rows = (uint32_t)rows;
		sym->shape.cols = (uint32_t)cols;
	}
	return gb_sym_node(p->ctx, sym);
}

static const gb_node *sx_expr(sx *p);

/* The function of functions.def named a[0..n), or GB_NFNS. */
static gb_fn fn_lookup(const char *a, size_t n)
{
	static const char *const names[GB_NFNS] = {
#define FN(id, name, lo, hi, latex, ev, d) [GB_FN_##id] = name,
#include "functions.def"
#undef FN
	};

	for (int i = 0; i < GB_NFNS; i++)
		if (atom_is(a, n, names[i]))
			return (gb_fn)i;
	return GB_NFNS;
}

static gb_op cmp_lookup(const char *a, size_t n)
{
	static const char *const spell[] = { "<", "<=", ">", ">=", "==", "!=" };

	for (int i = 0; i < 6; i++)
		if (atom_is(a, n, spell[i]))
			return (gb_op)(GB_OP_LT + i);
	return GB_OP_NONE;
}

/* Applies head h to args v[0..n). */
static const gb_node *sx_apply(sx *p, const char *h, size_t hn,
			       const gb_node **v, size_t n)
{
	gb_ctx *ctx = p->ctx;
	gb_op op;
	gb_fn fn;

	if (atom_is(h, hn, "+"))
		return gb_add(ctx, n, v);
	if (atom_is(h, hn, "*"))
		return gb_mul(ctx, n, v);
	if (atom_is(h, hn, "-") && n == 1)
		return gb_neg(ctx, v[0]);
	if (atom_is(h, hn, "-") && n == 2)
		return gb_sub(ctx, v[0], v[1]);
	if (atom_is(h, hn, "/") && n == 2)
		return gb_div(ctx, v[0], v[1]);
	if (atom_is(h, hn, "^") && n == 2)
		return gb_pow(ctx, v[0], v[1]);
	if (atom_is(h, hn, "@") && n == 2)
		return gb_matmul(ctx, v[0], v[1]);
	if (atom_is(h, hn, ".*") && n == 2)
		return gb_hadamard(ctx, v[0], v[1]);
	if (atom_is(h, hn, "'") && n == 1)
		return gb_transpose(ctx, v[0]);
	if (atom_is(h, hn, "and"))
		return gb_and(ctx, n, v);
	if (atom_is(h, hn, "or"))
		return gb_or(ctx, n, v);
	if (atom_is(h, hn, "pw"))
		return gb_piecewise(ctx, n, v);
	if ((op = cmp_lookup(h, hn)) != GB_OP_NONE && n == 2)
		return gb_cmp(ctx, op, v[0], v[1]);
	if ((fn = fn_lookup(h, hn)) != GB_NFNS && n >= 1)
		return gb_call(ctx, fn, n, v);
	p->bad = true;
	return NULL;
}

/* (mat R C e...) */
static const gb_node *sx_matrix(sx *p)
{
	const char *a;
	size_t n;
	unsigned long rows, cols;
	const gb_node **v, *r = NULL;

	n = sx_atom(p, &a);
	rows = n ? strtoul(a, NULL, 10) : 0;
	n = sx_atom(p, &a);
	cols = n ? strtoul(a, NULL, 10) : 0;
	if (!rows || !cols || rows > 1000 || cols > 1000) {
		p->bad = true;
		return NULL;
	}
	v = gb_mem_alloc(&p->ctx->mem, rows * cols * sizeof *v);
	if (!v)
		return gb_ctx_oom(p->ctx);
	for (size_t i = 0; i < rows * cols && !p->bad; i++)
		v[i] = sx_expr(p);
	if (!p->bad)
		r = gb_matrix(p->ctx, (uint32_t)rows, (uint32_t)cols, v);
	gb_mem_free(&p->ctx->mem, v);
	return r;
}

static const gb_node *sx_expr(sx *p)
{
	const char *a, *h;
	size_t n, hn, nargs = 0, cap = 0;
	const gb_node **v = NULL, *r;

	sx_space(p);
	if (*p->s != '(') {
		n = sx_atom(p, &a);
		if (n == 0) {
			p->bad = true;
			return NULL;
		}
		r = sx_number(p, a, n);
		return r || p->bad ? r : sx_name(p, a, n);
	}
	p->s++;
	hn = sx_atom(p, &h);
	if (atom_is(h, hn, "mat")) {
		r = sx_matrix(p);
	} else {
		for (;;) {
			sx_space(p);
			if (*p->s == ')' || *p->s == '\0' || p->bad)
				break;
			if (nargs == cap) {
				const gb_node **w;

				cap = cap ? 2 * cap : 4;
				w = gb_mem_realloc(&p->ctx->mem, v,
						   cap * sizeof *v);
				if (!w) {
					gb_mem_free(&p->ctx->mem, v);
					return gb_ctx_oom(p->ctx);
				}
				v = w;
			}
			v[nargs] = sx_expr(p);
			nargs++;
		}
		r = p->bad ? NULL : sx_apply(p, h, hn, v, nargs);
		gb_mem_free(&p->ctx->mem, v);
	}
	sx_space(p);
	if (*p->s != ')') {
		p->bad = true;
		return NULL;
	}
	p->s++;
	return r;
}

const gb_node *gb_gen_sexpr(gb_ctx *ctx, const char *text)
{
	sx p = { ctx, text, false };
	const gb_node *r = sx_expr(&p);

	sx_space(&p);
	if (p.bad || *p.s != '\0')
		return NULL;
	return r;
}
