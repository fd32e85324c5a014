/*
 * lower.c - from syntax trees to canonical DAG nodes (see lower.h).
 */
#include "front/lower.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/build.h"
#include "core/ctx.h"
#include "core/shape.h"
#include "core/strbuf.h"
#include "front/diag.h"

/* A user function: `name(params) = body`. */
typedef struct gb_func {
	const gb_stmt *stmt;
	const gb_source *src;
	bool busy;		/* being expanded: detects recursion */
	bool bad;		/* its body has errors (reported once) */
} gb_func;

/* Program state, indexed by symbol id (names are interned symbols). */
struct gb_defs {
	gb_func **func;		/* user function named by the symbol */
	const gb_node **assign;	/* value of `name = expr` */
	/* the same value with earlier assigned names kept as symbols */
	const gb_node **named;
	gb_span *assign_at;
	/* declared[id]: STMT_VECTOR or STMT_MATRIX when `vector id[..]` or
	 * `matrix id[..]` made it an input; 0 otherwise */
	uint8_t *declared;
	size_t cap;		/* length of the five arrays above */
	gb_param *params;
	size_t nparams, pcap;
	/* every range declared (param a > 0, param a < 1): all of them
	 * hold for a parameter's values, while params keeps the last
	 * statement per symbol */
	gb_param *ranges;
	size_t nranges, rcap;
	gb_diff_hook diff;
	gb_grad_hook grad;
	/* The assignments in program order: the named intermediates that
	 * backward formulas are written in (calculus/backward.c). */
	const gb_sym **order;
	size_t norder, ocap;
	/* dim_from[id]: the symbol whose bound value fixed dimension id. */
	const gb_sym **dim_from;
	size_t ndim_from;
};

typedef struct lowerer {
	gb_ctx *ctx;
	const gb_source *src;
	const gb_sym **names;	/* parameters in scope */
	const gb_node **vals;
	size_t nscope;
	uint32_t depth;
	bool keep_names;	/* assigned names stay symbols (named forms) */
} lowerer;

static const struct {
	const char *name;
	size_t len;
	unsigned lo, hi;
} builtins[GB_NFNS] = {
#define FN(id, name, lo, hi, latex, ev, d) { name, sizeof(name) - 1, lo, hi },
#include "functions.def"
#undef FN
};

/*
 * Bit n set when some built-in function's name is n bytes long: a name
 * of another length (x, y, most variables) needs no scan of builtins[].
 */
static const uint64_t builtin_lengths = 0
#define FN(id, name, lo, hi, latex, ev, d) | (UINT64_C(1) << (sizeof(name) - 1))
#include "functions.def"
#undef FN
	;

/* The built-in function named s[0..len), or GB_NFNS. */
static unsigned builtin_named(const char *s, size_t len)
{
	if (len >= 64 || !(builtin_lengths >> len & 1))
		return GB_NFNS;
	for (unsigned fn = 0; fn < GB_NFNS; fn++)
		if (builtins[fn].len == len && builtins[fn].name[0] == s[0] &&
		    memcmp(builtins[fn].name, s, len) == 0)
			return fn;
	return GB_NFNS;
}

/* builtin_named for a symbol's name, asked once per symbol (gb_sym.fn_word
 * keeps the answer: names are looked up at every use). */
static unsigned sym_builtin(gb_sym *s)
{
	_Static_assert(GB_NFNS < 255, "gb_sym.fn_word holds GB_NFNS + 1");

	if (!s->fn_word)
		s->fn_word = (uint8_t)(builtin_named(s->name, s->len) + 1);
	return s->fn_word - 1u;
}

static const char *const op_spelling[GB_NOPS] = {
	[GB_OP_NONE] = "?",
#define OP(name, tok, l, r, plain, latex) [GB_OP_##name] = plain,
#include "operators.def"
#undef OP
};

static struct gb_defs *defs(gb_ctx *ctx)
{
	if (!ctx->defs) {
		ctx->defs = gb_ctx_alloc(ctx, sizeof *ctx->defs);
		if (ctx->defs)
			memset(ctx->defs, 0, sizeof *ctx->defs);
	}
	return ctx->defs;
}

/* Makes the per-symbol arrays long enough for symbol id `id`. */
static bool defs_reserve(gb_ctx *ctx, uint32_t id)
{
	struct gb_defs *d = defs(ctx);
	size_t cap;
	void *f, *a, *s, *nm, *dc;

	if (!d)
		return false;
	if (id < d->cap)
		return true;
	cap = d->cap ? d->cap : 64;
	while (cap <= id)
		cap *= 2;
	f = gb_ctx_alloc(ctx, cap * sizeof *d->func);
	a = gb_ctx_alloc(ctx, cap * sizeof *d->assign);
	nm = gb_ctx_alloc(ctx, cap * sizeof *d->named);
	s = gb_ctx_alloc(ctx, cap * sizeof *d->assign_at);
	dc = gb_ctx_alloc(ctx, cap * sizeof *d->declared);
	if (!f || !a || !s || !nm || !dc)
		return false;
	memset(f, 0, cap * sizeof *d->func);
	memset(a, 0, cap * sizeof *d->assign);
	memset(nm, 0, cap * sizeof *d->named);
	memset(s, 0, cap * sizeof *d->assign_at);
	memset(dc, 0, cap * sizeof *d->declared);
	if (d->cap) {
		memcpy(f, d->func, d->cap * sizeof *d->func);
		memcpy(a, d->assign, d->cap * sizeof *d->assign);
		memcpy(nm, d->named, d->cap * sizeof *d->named);
		memcpy(s, d->assign_at, d->cap * sizeof *d->assign_at);
		memcpy(dc, d->declared, d->cap * sizeof *d->declared);
	}
	d->func = f;
	d->assign = a;
	d->named = nm;
	d->assign_at = s;
	d->declared = dc;
	d->cap = cap;
	return true;
}

void gb_lower_set_diff(gb_ctx *ctx, gb_diff_hook hook)
{
	if (defs(ctx))
		ctx->defs->diff = hook;
}

void gb_lower_set_grad(gb_ctx *ctx, gb_grad_hook hook)
{
	if (defs(ctx))
		ctx->defs->grad = hook;
}

size_t gb_assignments(const gb_ctx *ctx, const gb_sym *const **syms)
{
	*syms = ctx->defs ? ctx->defs->order : NULL;
	return ctx->defs ? ctx->defs->norder : 0;
}

/* Remembers an assignment's name in program order. */
static bool add_order(gb_ctx *ctx, const gb_sym *s)
{
	struct gb_defs *d = ctx->defs;

	if (d->norder == d->ocap) {
		size_t cap = d->ocap ? 2 * d->ocap : 16;
		const gb_sym **v = gb_ctx_alloc(ctx, cap * sizeof *v);

		if (!v)
			return false;
		if (d->norder)
			memcpy(v, d->order, d->norder * sizeof *v);
		d->order = v;
		d->ocap = cap;
	}
	d->order[d->norder++] = s;
	return true;
}

const gb_param *gb_params(const gb_ctx *ctx, size_t *n)
{
	*n = ctx->defs ? ctx->defs->nparams : 0;
	return ctx->defs ? ctx->defs->params : NULL;
}

const gb_node *gb_assigned_named(const gb_ctx *ctx, const gb_sym *s)
{
	if (!ctx->defs || s->id >= ctx->defs->cap)
		return NULL;
	return ctx->defs->named[s->id];
}

const gb_node *gb_assigned(const gb_ctx *ctx, const char *name)
{
	gb_sym *s = gb_sym_find(ctx, name, strlen(name));

	if (!s || !ctx->defs || s->id >= ctx->defs->cap)
		return NULL;
	return ctx->defs->assign[s->id];
}

/* ------------------------------------------------------------- helpers */

/* The source text of a span, shortened for messages. */
static void span_text(char *buf, size_t n, const gb_source *src, gb_span sp)
{
	size_t len = sp.len;

	if (len > 40) {
		snprintf(buf, n, "%.*s...", 37, src->text + sp.off);
		return;
	}
	snprintf(buf, n, "%.*s", (int)len, src->text + sp.off);
}

/* Levenshtein distance, capped: small names only. */
static size_t edit_distance(const char *a, size_t la, const char *b, size_t lb)
{
	size_t row[33];

	if (la > 32 || lb > 32)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t prev = row[0], tmp;

		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t best = prev + (a[i - 1] != b[j - 1]);

			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			tmp = row[j];
			row[j] = best;
			prev = tmp;
		}
	}
	return row[lb];
}

/* Suggests the closest known function name, if one is close. */
static const char *suggest(lowerer *lw, const char *name, size_t len)
{
	const char *best = NULL;
	size_t bestd = len <= 3 ? 1 : 2;
	struct gb_defs *d = lw->ctx->defs;

	for (size_t i = 0; i < GB_NFNS; i++) {
		size_t dist = edit_distance(name, len, builtins[i].name,
					    strlen(builtins[i].name));

		if (dist <= bestd) {
			bestd = dist;
			best = builtins[i].name;
		}
	}
	if (d)
		for (size_t i = 0; i < d->cap; i++)
			if (d->func[i]) {
				const gb_stmt *st = d->func[i]->stmt;
				size_t dist = edit_distance(name, len, st->name,
							    st->name_len);

				if (dist <= bestd) {
					bestd = dist;
					best = st->name;
				}
			}
	return best;
}

static bool is_condition(const gb_node *n)
{
	return n->kind == GB_CMP || n->kind == GB_AND || n->kind == GB_OR;
}

/* ------------------------------------------------------------- numbers */

/*
 * The number sign * num / den (den > 0) reduced in machine integers and
 * interned through read-only GMP views of two limbs on the stack, so no
 * GMP memory is allocated. NULL, having done nothing, when a reduced part
 * does not fit a limb.
 */
static const gb_node *small_fraction(gb_ctx *ctx, uint64_t num, uint64_t den,
				     int sign)
{
	uint64_t x, y;
	mp_limb_t nl, dl;
	mpq_t q;

	for (x = num, y = den; y;) {	/* gcd(num, den) */
		uint64_t t = x % y;

		x = y;
		y = t;
	}
	num /= x ? x : 1;
	den /= x ? x : 1;
	if (num > GMP_NUMB_MAX || den > GMP_NUMB_MAX)
		return NULL;
	nl = (mp_limb_t)num;
	dl = (mp_limb_t)den;
	mpz_roinit_n(mpq_numref(q), &nl, num == 0 ? 0 : sign);
	mpz_roinit_n(mpq_denref(q), &dl, 1);
	return gb_num_q(ctx, q);
}

/*
 * The common literal, digits [. digits] with at most 19 digits and no
 * exponent, as the fraction m / 10^len(f) reduced in machine integers:
 * GMP sees it only through read-only views of two limbs on the stack, so
 * no GMP memory is allocated (lower_number's general path allocates and
 * frees five numbers per literal). Returns false, having done nothing,
 * for any other literal.
 */
static bool small_number(lowerer *lw, const gb_ast *a, const gb_node **out)
{
	const char *s = a->text, *end = a->text + a->text_len;
	uint64_t num = 0, den = 1;
	unsigned ndig = 0, frac = 0;

	for (; s < end && *s >= '0' && *s <= '9'; s++, ndig++)
		num = num * 10 + (uint64_t)(*s - '0');
	if (s < end && *s == '.')
		for (s++; s < end && *s >= '0' && *s <= '9'; s++, frac++) {
			num = num * 10 + (uint64_t)(*s - '0');
			den *= 10;
		}
	/* 10^19 < 2^64, so 19 digits cannot overflow; an exponent or a
	 * limit on exponents below 19 is left to the general path */
	if (s != end || ndig + frac > 19 ||
	    frac > lw->ctx->limits.max_exp_digits)
		return false;
	*out = small_fraction(lw->ctx, num, den, 1);
	return *out != NULL || lw->ctx->oom;
}

/*
 * The exact value of a literal: digits [. digits] [(e|E) [+-] digits].
 * m.f e k = (m f) * 10^(k - len(f)), computed with GMP integers.
 */
static const gb_node *lower_number(lowerer *lw, const gb_ast *a)
{
	const char *s = a->text, *end = a->text + a->text_len;
	mpz_t mant, pow10;
	mpq_t q;
	long ex = 0, frac = 0;
	const gb_node *r = NULL;
	bool neg_ex = false;
	size_t ndig = 0;

	if (small_number(lw, a, &r))
		return r;
	mpz_init(mant);
	mpz_init(pow10);
	mpq_init(q);
	for (; s < end && *s >= '0' && *s <= '9'; s++, ndig++)
		;
	if (s < end && *s == '.') {
		for (s++; s < end && *s >= '0' && *s <= '9'; s++, frac++)
			;
	}
	{
		/* The digits without the point, as one integer. */
		char *digits = gb_ctx_tmp(lw->ctx, ndig + (size_t)frac + 2);
		size_t k = 0;

		if (!digits)
			goto out;
		for (const char *p = a->text; p < s; p++)
			if (*p != '.')
				digits[k++] = *p;
		if (k == 0)
			digits[k++] = '0';
		digits[k] = '\0';
		mpz_set_str(mant, digits, 10);
	}
	if (s < end && (*s == 'e' || *s == 'E')) {
		s++;
		if (s < end && (*s == '+' || *s == '-'))
			neg_ex = *s++ == '-';
		for (; s < end && *s >= '0' && *s <= '9'; s++) {
			ex = ex * 10 + (*s - '0');
			if (ex > (long)lw->ctx->limits.max_exp_digits) {
				gb_error(lw->ctx, lw->src, a->span,
					 "exponent of '%.*s' is too large to represent exactly (limit 1e%lu)",
					 (int)a->text_len, a->text,
					 (unsigned long)lw->ctx->limits.max_exp_digits);
				goto out;
			}
		}
	}
	if (neg_ex)
		ex = -ex;
	ex -= frac;
	if (ex > (long)lw->ctx->limits.max_exp_digits ||
	    -ex > (long)lw->ctx->limits.max_exp_digits) {
		gb_error(lw->ctx, lw->src, a->span,
			 "'%.*s' is too long to represent exactly",
			 (int)a->text_len, a->text);
		goto out;
	}
	mpz_ui_pow_ui(pow10, 10, (unsigned long)(ex < 0 ? -ex : ex));
	mpq_set_z(q, mant);
	if (ex >= 0) {
		mpz_mul(mpq_numref(q), mpq_numref(q), pow10);
	} else {
		mpz_set(mpq_denref(q), pow10);
		mpq_canonicalize(q);
	}
	r = gb_num_q(lw->ctx, q);
out:
	mpq_clear(q);
	mpz_clear(pow10);
	mpz_clear(mant);
	return r;
}

/* --------------------------------------------------------- expressions */

static const gb_node *lower(lowerer *lw, const gb_ast *a);

static const gb_node *shape_error_s(lowerer *lw, const gb_ast *a,
				    const char *what, gb_shape l, gb_shape r)
{
	char ls[96], rs[96], lt[48], rt[48], op[16];
	uint32_t from = a->args[0]->span.off + a->args[0]->span.len;
	uint32_t to = a->args[1]->span.off;

	/* The operator as the user wrote it (\odot in LaTeX, ⊙ or .*),
	 * when it stands between the operands' spans. */
	while (from < to && (lw->src->text[from] == ' ' ||
			     lw->src->text[from] == ')'))
		from++;
	while (to > from && lw->src->text[to - 1] == ' ')
		to--;
	if (to > from && to - from < sizeof op && lw->src->text[from] != '(') {
		memcpy(op, lw->src->text + from, to - from);
		op[to - from] = '\0';
		what = op;
	}
	gb_shape_str(lw->ctx, ls, sizeof ls, l);
	gb_shape_str(lw->ctx, rs, sizeof rs, r);
	span_text(lt, sizeof lt, lw->src, a->args[0]->span);
	span_text(rt, sizeof rt, lw->src, a->args[1]->span);
	gb_error(lw->ctx, lw->src, a->span,
		 "shapes do not conform for '%s': %s is %s, %s is %s", what,
		 lt, ls, rt, rs);
	return NULL;
}

static const gb_node *shape_error(lowerer *lw, const gb_ast *a, const char *what,
				  const gb_node *l, const gb_node *r)
{
	return shape_error_s(lw, a, what, l->shape, r->shape);
}

/* Shapes agree, comparing symbolic dimensions by name or bound size. */
static bool same_shape(const lowerer *lw, const gb_node *a, const gb_node *b)
{
	return gb_shape_eq(lw->ctx, a->shape, b->shape);
}

/*
 * The bare name I, not otherwise defined: the identity, whose size the
 * other operand of a sum, product or Hadamard product gives (A + I,
 * I*x). Elsewhere it is an error that asks for eye(n).
 */
static bool is_identity(const lowerer *lw, const gb_ast *a)
{
	gb_sym *s;
	const struct gb_defs *d = lw->ctx->defs;

	if (a->kind != AST_NAME || a->text_len != 1 || a->text[0] != 'I')
		return false;
	for (size_t i = 0; i < lw->nscope; i++)
		if (lw->names[i]->len == 1 && lw->names[i]->name[0] == 'I')
			return false;
	s = gb_sym_find(lw->ctx, "I", 1);
	if (!s)
		return true;
	if (d && s->id < d->cap && (d->assign[s->id] || d->func[s->id]))
		return false;
	return !(s->id < lw->ctx->nbind && lw->ctx->bind[s->id]) &&
	       s->shape.rows == 1 && s->shape.cols == 1;
}

/* eye(n), standing for I next to an operand of size n. */
static const gb_node *identity_of(lowerer *lw, uint32_t n)
{
	if (n == 1)
		return lw->ctx->one;
	return gb_call1(lw->ctx, GB_FN_EYE, gb_dim_node(lw->ctx, n));
}

/* A value (not a condition) is required here. */
static const gb_node *value(lowerer *lw, const gb_ast *a)
{
	const gb_node *n = lower(lw, a);

	if (n && is_condition(n)) {
		gb_error(lw->ctx, lw->src, a->span,
			 "a condition cannot be used as a value");
		return NULL;
	}
	return n;
}

static const gb_node *condition(lowerer *lw, const gb_ast *a)
{
	const gb_node *n = lower(lw, a);

	if (n && !is_condition(n)) {
		gb_error(lw->ctx, lw->src, a->span,
			 "expected a condition (such as 'x < 0'), found a value");
		return NULL;
	}
	return n;
}

static const gb_node *scalar_value(lowerer *lw, const gb_ast *a,
				   const char *where)
{
	const gb_node *n = value(lw, a);
	char s[96];

	if (n && !gb_is_scalar(n)) {
		gb_shape_str(lw->ctx, s, sizeof s, n->shape);
		gb_error(lw->ctx, lw->src, a->span, "%s must be a scalar, not %s",
			 where, s);
		return NULL;
	}
	return n;
}

/*
 * -v and l / r when the operands are numbers (-3/2, 1/3: most literals
 * of W0 are written so), folded here to the node gb_neg and gb_div would
 * return (-1 * q and l * r^-1 fold to one number), without building the
 * intermediate reciprocal or going through gb_mul. Anything else goes to
 * gb_neg / gb_div.
 */
static const gb_node *neg_value(gb_ctx *ctx, const gb_node *v)
{
	mpz_srcptr n, d;
	mp_size_t nn;
	mpq_t m;

	if (!v || v->kind != GB_NUM)
		return gb_neg(ctx, v);
	n = mpq_numref(v->u.q);
	d = mpq_denref(v->u.q);
	nn = (mp_size_t)mpz_size(n);
	/* q's limbs viewed with the opposite sign: canonical as q is */
	mpz_roinit_n(mpq_numref(m), mpz_limbs_read(n), mpz_sgn(n) > 0 ? -nn : nn);
	mpz_roinit_n(mpq_denref(m), mpz_limbs_read(d), (mp_size_t)mpz_size(d));
	return gb_num_q(ctx, m);
}

/* |z| when z is one limb below 2^32, else -1 (see div_value). */
static int64_t small_abs(mpz_srcptr z)
{
	mp_limb_t v;

	if (mpz_size(z) > 1)
		return -1;
	v = mpz_getlimbn(z, 0);
	return v <= UINT32_MAX ? (int64_t)v : -1;
}

static const gb_node *div_value(gb_ctx *ctx, const gb_node *l,
				const gb_node *r)
{
	int64_t ln, ld, rn, rd;
	const gb_node *q;

	if (!l || !r || l->kind != GB_NUM || r->kind != GB_NUM ||
	    mpq_sgn(r->u.q) == 0)
		return gb_div(ctx, l, r);
	ln = small_abs(mpq_numref(l->u.q));
	ld = small_abs(mpq_denref(l->u.q));
	rn = small_abs(mpq_numref(r->u.q));
	rd = small_abs(mpq_denref(r->u.q));
	/* gb_pow keeps r^-1 unfolded past this size (pow_exact's limit) */
	if (ln < 0 || ld < 0 || rn < 0 || rd < 0 ||
	    mpz_sizeinbase(mpq_numref(r->u.q), 2) +
	    mpz_sizeinbase(mpq_denref(r->u.q), 2) >
	    (size_t)ctx->limits.max_exp_digits * 3322u / 1000u)
		return gb_div(ctx, l, r);
	/* (ln/ld) / (rn/rd) = (ln rd) / (ld rn): < 2^64 each */
	q = small_fraction(ctx, (uint64_t)ln * (uint64_t)rd,
			   (uint64_t)ld * (uint64_t)rn,
			   mpq_sgn(l->u.q) * mpq_sgn(r->u.q) < 0 ? -1 : 1);
	return q || ctx->oom ? q : gb_div(ctx, l, r);
}

static bool is_sum_ast(const gb_ast *a)
{
	return a->kind == AST_BINARY &&
	       (a->op == GB_OP_ADD || a->op == GB_OP_SUB);
}

/*
 * Is p an operator of the chain that starts at top (is(p), and not a
 * group in parentheses below top)? (a + b) + c keeps its group: a long
 * sum printed in parentheses reads back as the same node.
 */
static bool on_spine(const gb_ast *p, const gb_ast *top,
		     bool (*is)(const gb_ast *))
{
	return is(p) && (p == top || !(p->flags & AST_F_PAREN));
}

/*
 * a + b - c + ...: the operands along the left spine are lowered and
 * summed at once, so a chain of n terms builds one sum rather than n - 1
 * intermediate ones. Shapes are checked left to right as for binary
 * operators (a scalar added to a vector acts element-wise).
 */
static const gb_node *lower_sum(lowerer *lw, const gb_ast *a)
{
	const gb_ast *p, **ops;
	const gb_node **t, *r = NULL;
	size_t n = 0, i, nid;
	gb_shape acc;

	for (p = a; on_spine(p, a, is_sum_ast); p = p->args[0])
		n++;
	/* ops[0] is the bottom operator, ops[n - 1] == a; t[0] is the
	 * leftmost operand and t[i + 1] the right operand of ops[i] */
	t = gb_mem_alloc(&lw->ctx->mem, (n + 1) * sizeof *t);
	ops = gb_mem_alloc(&lw->ctx->mem, n * sizeof *ops);
	if (!t || !ops) {
		lw->ctx->oom = true;
		goto out;
	}
	i = n;
	for (p = a; on_spine(p, a, is_sum_ast); p = p->args[0])
		ops[--i] = p;
	acc.rows = acc.cols = 1;
	nid = 0;
	if (is_identity(lw, p)) {
		t[0] = NULL;	/* I: sized below, from the other terms */
		nid++;
	} else if (!(t[0] = value(lw, p))) {
		goto out;
	} else {
		acc = t[0]->shape;
	}
	for (i = 0; i < n; i++) {
		const gb_node *v;
		bool sa, ss;

		if (is_identity(lw, ops[i]->args[1])) {
			t[i + 1] = NULL;
			nid++;
			continue;
		}
		if (!(v = value(lw, ops[i]->args[1])))
			goto out;
		sa = acc.rows == 1 && acc.cols == 1;
		ss = gb_is_scalar(v);
		if (!sa && !ss && !gb_shape_eq(lw->ctx, acc, v->shape)) {
			shape_error_s(lw, ops[i], op_spelling[ops[i]->op], acc,
				      v->shape);
			goto out;
		}
		if (sa)
			acc = v->shape;
		t[i + 1] = ops[i]->op == GB_OP_SUB ? neg_value(lw->ctx, v) : v;
	}
	if (nid) {	/* A + I: I is eye(n) in a square n x n sum */
		if (acc.rows != acc.cols || acc.rows == 1) {
			gb_error(lw->ctx, lw->src, a->span,
				 "the size of the identity I is not clear here: write eye(n)");
			goto out;
		}
		for (i = 0; i <= n; i++)
			if (!t[i]) {
				t[i] = identity_of(lw, acc.rows);
				if (i && ops[i - 1]->op == GB_OP_SUB)
					t[i] = gb_neg(lw->ctx, t[i]);
				if (!t[i])
					goto out;
			}
	}
	r = gb_add(lw->ctx, n + 1, t);
out:
	gb_mem_free(&lw->ctx->mem, t);
	gb_mem_free(&lw->ctx->mem, ops);
	return r;
}

/* l / r for a product r: l times the factors of 1/r, each on its own
 * (see lower_product). */
static const gb_node *div_product(gb_ctx *ctx, const gb_node *l,
				  const gb_node *r)
{
	const gb_node *inv = gb_pow(ctx, r, ctx->minus_one), **g, *res;

	if (!inv || inv->kind != GB_MUL)
		return gb_mul2(ctx, l, inv);
	if (!(g = gb_mem_alloc(&ctx->mem, (inv->nargs + 1) * sizeof *g)))
		return gb_ctx_oom(ctx);
	g[0] = l;
	memcpy(g + 1, inv->arg, inv->nargs * sizeof *g);
	res = gb_mul(ctx, inv->nargs + 1, g);
	gb_mem_free(&ctx->mem, g);
	return res;
}

/* l * r or l / r for the operator a: a matrix product when both are
 * vectors or matrices; division only by a scalar. */
static const gb_node *mul_div(lowerer *lw, const gb_ast *a, const gb_node *l,
			      const gb_node *r)
{
	gb_ctx *ctx = lw->ctx;

	if (a->op == GB_OP_DIV) {
		if (!gb_is_scalar(r)) {
			char s[96];

			gb_shape_str(ctx, s, sizeof s, r->shape);
			gb_error(ctx, lw->src, a->args[1]->span,
				 "cannot divide by %s; only by a scalar", s);
			return NULL;
		}
		if (r->kind == GB_MUL && gb_is_scalar(l))
			return div_product(ctx, l, r);
		return div_value(ctx, l, r);
	}
	if (gb_is_scalar(l) || gb_is_scalar(r))
		return gb_mul2(ctx, l, r);
	if (!gb_dim_eq(ctx, l->shape.cols, r->shape.rows))
		return shape_error(lw, a, "*", l, r);
	return gb_matmul(ctx, l, r);
}

static bool is_product_ast(const gb_ast *a)
{
	return a->kind == AST_BINARY &&
	       (a->op == GB_OP_MUL || a->op == GB_OP_DIV);
}

static const gb_node *lower_binary(lowerer *lw, const gb_ast *a);

/*
 * a * b / c * ...: as for sums, the operands along the left spine are
 * lowered first; when all are scalars they are multiplied at once (one
 * product, not n - 1 intermediate ones, which past 32 factors would also
 * group: see LONG in core/build.c). With a vector or matrix among them
 * the operators apply left to right, since matrix products do not
 * commute. A chain with the identity I goes operator by operator (I
 * takes its size from its neighbour).
 */
static const gb_node *lower_product(lowerer *lw, const gb_ast *a)
{
	gb_ctx *ctx = lw->ctx;
	const gb_ast *p, **ops = NULL;
	const gb_node **f = NULL, *r = NULL;
	size_t n = 0, i;
	bool scalars = true;

	for (p = a; on_spine(p, a, is_product_ast); p = p->args[0], n++)
		if (is_identity(lw, p->args[1]))
			return lower_binary(lw, a);
	if (n < 2 || is_identity(lw, p))
		return lower_binary(lw, a);
	ops = gb_mem_alloc(&ctx->mem, n * sizeof *ops);
	f = gb_mem_alloc(&ctx->mem, (n + 1) * sizeof *f);
	if (!ops || !f) {
		ctx->oom = true;
		goto out;
	}
	i = n;
	for (p = a; on_spine(p, a, is_product_ast); p = p->args[0])
		ops[--i] = p;
	if (!(f[0] = value(lw, p)))
		goto out;
	for (i = 0; i < n; i++)
		if (!(f[i + 1] = value(lw, ops[i]->args[1])))
			goto out;
	for (i = 0; i <= n; i++)
		scalars = scalars && gb_is_scalar(f[i]);
	if (scalars) {
		size_t m = 1, k = 0;
		const gb_node **g;

		/* a / (b c ...): the factors of 1/(b c ...), each on its own,
		 * as the printer wrote them (a long divisor would otherwise
		 * come back as one factor kept whole) */
		for (i = 0; i < n; i++) {
			if (ops[i]->op == GB_OP_DIV &&
			    !(f[i + 1] = gb_pow(ctx, f[i + 1], ctx->minus_one)))
				goto out;
			m += f[i + 1]->kind == GB_MUL && ops[i]->op == GB_OP_DIV ?
			     f[i + 1]->nargs : 1;
		}
		if (!(g = gb_mem_alloc(&ctx->mem, m * sizeof *g))) {
			ctx->oom = true;
			goto out;
		}
		g[k++] = f[0];
		for (i = 0; i < n; i++)
			if (f[i + 1]->kind == GB_MUL && ops[i]->op == GB_OP_DIV)
				for (uint32_t j = 0; j < f[i + 1]->nargs; j++)
					g[k++] = f[i + 1]->arg[j];
			else
				g[k++] = f[i + 1];
		r = gb_mul(ctx, k, g);
		gb_mem_free(&ctx->mem, g);
	} else {
		r = f[0];
		for (i = 0; i < n && r; i++)
			r = mul_div(lw, ops[i], r, f[i + 1]);
	}
out:
	gb_mem_free(&ctx->mem, ops);
	gb_mem_free(&ctx->mem, f);
	return r;
}

static const gb_node *lower_binary(lowerer *lw, const gb_ast *a)
{
	gb_ctx *ctx = lw->ctx;
	gb_op op = (gb_op)a->op;
	const gb_node *l, *r;

	if (op == GB_OP_AND || op == GB_OP_OR) {
		const gb_node *args[2];

		args[0] = condition(lw, a->args[0]);
		args[1] = condition(lw, a->args[1]);
		if (!args[0] || !args[1])
			return NULL;
		return op == GB_OP_AND ? gb_and(ctx, 2, args) :
					 gb_or(ctx, 2, args);
	}
	if ((op == GB_OP_MUL || op == GB_OP_HADAMARD) &&
	    (is_identity(lw, a->args[0]) || is_identity(lw, a->args[1]))) {
		/* I*x, A*I, A .* I: I takes its size from the other side */
		bool left = is_identity(lw, a->args[0]);
		const gb_ast *other = a->args[left ? 1 : 0];
		const gb_node *o;

		if (is_identity(lw, other)) {
			gb_error(ctx, lw->src, a->span,
				 "the size of the identity I is not clear here: write eye(n)");
			return NULL;
		}
		if (!(o = value(lw, other)))
			return NULL;
		if (op == GB_OP_HADAMARD && o->shape.rows != o->shape.cols) {
			gb_error(ctx, lw->src, a->span,
				 "the identity I is square, the other operand of '.*' is not");
			return NULL;
		}
		l = identity_of(lw, left ? o->shape.rows : o->shape.cols);
		r = o;
		if (!left) {
			r = l;
			l = o;
		}
	} else {
		l = value(lw, a->args[0]);
		r = value(lw, a->args[1]);
	}
	if (!l || !r)
		return NULL;
	switch (op) {
	case GB_OP_ADD:
	case GB_OP_SUB:
		/* A scalar added to a vector acts element-wise (1 - z). */
		if (!gb_is_scalar(l) && !gb_is_scalar(r) && !same_shape(lw, l, r))
			return shape_error(lw, a, op_spelling[op], l, r);
		return op == GB_OP_ADD ? gb_add2(ctx, l, r) : gb_sub(ctx, l, r);
	case GB_OP_MUL:
	case GB_OP_DIV:
		return mul_div(lw, a, l, r);
	case GB_OP_HADAMARD:
		if (!same_shape(lw, l, r) && !gb_is_scalar(l) && !gb_is_scalar(r))
			return shape_error(lw, a, op_spelling[op], l, r);
		return gb_hadamard(ctx, l, r);
	case GB_OP_POW:
	case GB_OP_EPOW:
		if (!gb_is_scalar(r)) {
			gb_error(ctx, lw->src, a->args[1]->span,
				 "an exponent must be a scalar");
			return NULL;
		}
		if (op == GB_OP_POW && !gb_is_scalar(l)) {
			gb_error(ctx, lw->src, a->span,
				 "'^' of a vector or matrix: use '.^' for an element-wise power");
			return NULL;
		}
		return gb_pow(ctx, l, r);
	case GB_OP_LT:
	case GB_OP_LE:
	case GB_OP_GT:
	case GB_OP_GE:
	case GB_OP_EQ:
	case GB_OP_NE:
		if (!gb_is_scalar(l) || !gb_is_scalar(r)) {
			gb_error(ctx, lw->src, a->span,
				 "comparisons are between scalars");
			return NULL;
		}
		return gb_cmp(ctx, op, l, r);
	default:
		gb_error(ctx, lw->src, a->span, "unsupported operator");
		return NULL;
	}
}

/* f(args) for a user function: the body with its parameters bound. */
static const gb_node *expand_user(lowerer *lw, const gb_ast *a, gb_func *f)
{
	const gb_stmt *st = f->stmt;
	const gb_node **vals;
	const gb_sym **names;
	lowerer inner;
	const gb_node *r;

	if (a->nargs != st->nparams) {
		gb_error(lw->ctx, lw->src, a->span,
			 "'%s' takes %u argument%s, got %u", st->name,
			 (unsigned)st->nparams, st->nparams == 1 ? "" : "s",
			 (unsigned)a->nargs);
		gb_note(lw->ctx, f->src, st->name_span, "'%s' is defined here",
			st->name);
		return NULL;
	}
	if (f->busy) {
		gb_error(lw->ctx, lw->src, a->name_span,
			 "'%s' is defined in terms of itself", st->name);
		return NULL;
	}
	if (f->bad) {
		gb_error(lw->ctx, lw->src, a->name_span,
			 "'%s' cannot be used: its definition has errors",
			 st->name);
		return NULL;
	}
	vals = gb_ctx_tmp(lw->ctx, (st->nparams + 1) * sizeof *vals);
	names = gb_ctx_tmp(lw->ctx, (st->nparams + 1) * sizeof *names);
	if (!vals || !names)
		return NULL;
	for (uint32_t i = 0; i < st->nparams; i++) {
		vals[i] = value(lw, a->args[i]);
		if (!vals[i])
			return NULL;
		names[i] = gb_sym_intern(lw->ctx, st->params[i]->text,
					 st->params[i]->text_len);
		if (!names[i])
			return NULL;
	}
	/* The body sees only its parameters and global names. */
	inner.ctx = lw->ctx;
	inner.src = f->src;
	inner.names = names;
	inner.vals = vals;
	inner.nscope = st->nparams;
	inner.depth = lw->depth;
	inner.keep_names = lw->keep_names;
	f->busy = true;
	r = value(&inner, st->expr);
	f->busy = false;
	/* (not when checking the definition itself) */
	if (!r && lw->ctx->nerrors &&
	    !(lw->src == f->src && a->span.off == st->name_span.off))
		gb_note(lw->ctx, lw->src, a->span, "in this use of '%s'",
			st->name);
	return r;
}

/*
 * grad(L, X): the gradient dL/dX of a scalar L, with X's shape; with an
 * upstream gradient symbol in L (grad(zhat'*z, x)) it is the
 * vector-Jacobian product. Computed by calculus/backward.c through the
 * hook (calculus sits above the front end).
 */
static const gb_node *lower_grad(lowerer *lw, const gb_ast *a)
{
	gb_ctx *ctx = lw->ctx;
	struct gb_defs *d = ctx->defs;
	const gb_node *l, *x, *r;
	char sh[96];

	if (a->nargs != 2) {
		gb_error(ctx, lw->src, a->span,
			 "'grad' takes 2 arguments: grad(L, X) for a scalar L");
		return NULL;
	}
	l = value(lw, a->args[0]);
	x = value(lw, a->args[1]);
	if (!l || !x)
		return NULL;
	if (!gb_is_scalar(l)) {
		gb_shape_str(ctx, sh, sizeof sh, l->shape);
		gb_error(ctx, lw->src, a->args[0]->span,
			 "grad(L, X) needs a scalar L, but this is %s (take sum(...) or an upstream gradient: yhat'*y)",
			 sh);
		return NULL;
	}
	if (x->kind != GB_SYM) {
		gb_error(ctx, lw->src, a->args[1]->span,
			 "can only take the gradient with respect to a variable");
		return NULL;
	}
	if (!d || !d->grad) {
		gb_error(ctx, lw->src, a->name_span, "gradients are not available");
		return NULL;
	}
	r = d->grad(ctx, l, x);
	if (!r && !ctx->oom && !ctx->nerrors)
		gb_error(ctx, lw->src, a->span, "cannot take this gradient");
	return r;
}

/* dot(a, b) = a'*b for two vectors of one length. */
static const gb_node *lower_dot(lowerer *lw, const gb_ast *a)
{
	const gb_node *u, *v;

	if (a->nargs != 2) {
		gb_error(lw->ctx, lw->src, a->span,
			 "'dot' takes 2 arguments, got %u", (unsigned)a->nargs);
		return NULL;
	}
	u = value(lw, a->args[0]);
	v = value(lw, a->args[1]);
	if (!u || !v)
		return NULL;
	if (u->shape.cols != 1 || !same_shape(lw, u, v)) {
		char us[96], vs[96];

		gb_shape_str(lw->ctx, us, sizeof us, u->shape);
		gb_shape_str(lw->ctx, vs, sizeof vs, v->shape);
		gb_error(lw->ctx, lw->src, a->span,
			 "dot takes two vectors of one length: %s and %s", us,
			 vs);
		return NULL;
	}
	if (gb_is_scalar(u))
		return gb_mul2(lw->ctx, u, v);
	return gb_matmul(lw->ctx, gb_transpose(lw->ctx, u), v);
}

/* A dimension argument of ones/eye: a positive integer or a dim name. */
static const gb_node *dim_arg(lowerer *lw, const gb_ast *a)
{
	const gb_node *n = scalar_value(lw, a, "a dimension");

	if (n && !gb_dim_of_node(n)) {
		gb_error(lw->ctx, lw->src, a->span,
			 "a dimension is a positive integer up to 100000 or a dimension name");
		return NULL;
	}
	return n;
}

/* sum, tr, diag, ones, eye, with their arguments' shapes checked. */
static const gb_node *lower_matfn(lowerer *lw, const gb_ast *a, gb_fn fn)
{
	const gb_node *args[2] = { NULL, NULL };
	char sh[96], at[48];

	if (fn == GB_FN_ONES || fn == GB_FN_EYE) {
		for (uint32_t i = 0; i < a->nargs; i++)
			if (!(args[i] = dim_arg(lw, a->args[i])))
				return NULL;
		return gb_call(lw->ctx, fn, a->nargs, args);
	}
	if (!(args[0] = value(lw, a->args[0])))
		return NULL;
	if ((fn == GB_FN_TR || (fn == GB_FN_DIAG && args[0]->shape.cols != 1)) &&
	    !gb_dim_eq(lw->ctx, args[0]->shape.rows, args[0]->shape.cols)) {
		gb_shape_str(lw->ctx, sh, sizeof sh, args[0]->shape);
		span_text(at, sizeof at, lw->src, a->args[0]->span);
		gb_error(lw->ctx, lw->src, a->span,
			 "%s needs a square matrix%s, but %s is %s",
			 fn == GB_FN_TR ? "tr" : "diag",
			 fn == GB_FN_TR ? "" : " or a vector", at, sh);
		return NULL;
	}
	return gb_call(lw->ctx, fn, 1, args);
}

static const gb_node *lower_call(lowerer *lw, const gb_ast *a)
{
	gb_ctx *ctx = lw->ctx;
	gb_sym *s = gb_sym_intern(ctx, a->text, a->text_len);
	struct gb_defs *d = ctx->defs;
	const gb_node **args, *r;
	const char *hint;
	size_t fn;

	if (!s)
		return NULL;
	if (d && s->id < d->cap && d->func[s->id])
		return expand_user(lw, a, d->func[s->id]);
	if (a->text_len == 4 && memcmp(a->text, "diff", 4) == 0) {
		const gb_node *e, *x;
		unsigned long order = 1;

		if (a->nargs < 2 || a->nargs > 3) {
			gb_error(ctx, lw->src, a->span,
				 "'diff' takes 2 or 3 arguments: diff(expr, x) or diff(expr, x, n)");
			return NULL;
		}
		e = value(lw, a->args[0]);
		x = value(lw, a->args[1]);
		if (!e || !x)
			return NULL;
		if (x->kind != GB_SYM) {
			gb_error(ctx, lw->src, a->args[1]->span,
				 "can only differentiate with respect to a variable");
			return NULL;
		}
		if (a->nargs == 3) {
			const gb_node *n = value(lw, a->args[2]);

			if (!n)
				return NULL;
			if (!gb_is_integer(n) || mpq_sgn(n->u.q) < 0 ||
			    mpz_cmp_ui(mpq_numref(n->u.q), 1000) > 0) {
				gb_error(ctx, lw->src, a->args[2]->span,
					 "the order of a derivative is an integer from 0 to 1000");
				return NULL;
			}
			order = mpz_get_ui(mpq_numref(n->u.q));
		}
		if (!d || !d->diff) {
			gb_error(ctx, lw->src, a->name_span,
				 "differentiation is not available");
			return NULL;
		}
		r = d->diff(ctx, e, x, order);
		/* a limit: say which (the deadline may have passed just as the
		 * derivative gave up, so ask the budget once more) */
		if (!r && (ctx->oom || ctx->too_big || !gb_ctx_budget_ok(ctx)))
			gb_diag_limit(ctx, lw->src, a->span);
		else if (!r && !ctx->nerrors)
			gb_error(ctx, lw->src, a->span, "cannot differentiate this");
		return r;
	}
	if (a->text_len == 4 && memcmp(a->text, "grad", 4) == 0)
		return lower_grad(lw, a);
	if (a->text_len == 3 && memcmp(a->text, "dot", 3) == 0)
		return lower_dot(lw, a);
	fn = sym_builtin(s);
	if (fn == GB_NFNS) {
		gb_error(ctx, lw->src, a->name_span, "unknown function '%.*s'",
			 (int)a->text_len, a->text);
		hint = suggest(lw, a->text, a->text_len);
		if (hint)
			gb_note(ctx, lw->src, a->name_span, "did you mean '%s'?",
				hint);
		return NULL;
	}
	if (a->nargs < builtins[fn].lo ||
	    (builtins[fn].hi && a->nargs > builtins[fn].hi)) {
		if (builtins[fn].hi == builtins[fn].lo)
			gb_error(ctx, lw->src, a->span,
				 "'%s' takes %u argument%s, got %u",
				 builtins[fn].name, builtins[fn].lo,
				 builtins[fn].lo == 1 ? "" : "s",
				 (unsigned)a->nargs);
		else
			gb_error(ctx, lw->src, a->span,
				 "'%s' takes at least %u arguments, got %u",
				 builtins[fn].name, builtins[fn].lo,
				 (unsigned)a->nargs);
		return NULL;
	}
	if (fn >= GB_FN_SUM && fn <= GB_FN_EYE)
		return lower_matfn(lw, a, (gb_fn)fn);
	args = gb_ctx_tmp(ctx, a->nargs * sizeof *args + 1);
	if (!args)
		return NULL;
	for (uint32_t i = 0; i < a->nargs; i++) {
		/* Functions apply element-wise; max and min take scalars. */
		args[i] = (fn == GB_FN_MAX || fn == GB_FN_MIN) ?
			  scalar_value(lw, a->args[i], "an argument of max or min") :
			  value(lw, a->args[i]);
		if (!args[i])
			return NULL;
	}
	return gb_call(ctx, (gb_fn)fn, a->nargs, args);
}

/*
 * The hat convention: an undeclared, unbound NAMEhat (zhat, y1hat) is
 * the upstream gradient dL/dNAME, so it takes the shape of NAME, a
 * declared or assigned vector or matrix. Set before the symbol's first
 * node is made, since nodes carry their shape.
 */
static void hat_shape(gb_ctx *ctx, gb_sym *s)
{
	const struct gb_defs *d = ctx->defs;
	gb_sym *base;

	if (s->len <= 3 || memcmp(s->name + s->len - 3, "hat", 3) != 0 ||
	    !(s->shape.rows == 1 && s->shape.cols == 1) ||
	    (s->id < ctx->nbind && ctx->bind[s->id]))
		return;
	base = gb_sym_find(ctx, s->name, s->len - 3);
	if (!base)
		return;
	if (d && base->id < d->cap && d->assign[base->id])
		s->shape = d->assign[base->id]->shape;
	else
		s->shape = base->shape;
}

static const gb_node *lower_name(lowerer *lw, const gb_ast *a)
{
	gb_ctx *ctx = lw->ctx;
	gb_sym *s;
	struct gb_defs *d = ctx->defs;

	for (size_t i = lw->nscope; i-- > 0;)
		if (lw->names[i]->len == a->text_len &&
		    memcmp(lw->names[i]->name, a->text, a->text_len) == 0)
			return lw->vals[i];
	s = gb_sym_intern(ctx, a->text, a->text_len);
	if (!s)
		return NULL;
	/* An alias (h0 = x, c = 2) is not an intermediate of its own: the
	 * named forms use its value, so that grad sees h0 depend on x and
	 * check does not sample c as a free variable. */
	if (d && s->id < d->cap && d->named[s->id] && lw->keep_names &&
	    !gb_is_alias(d->assign[s->id]))
		return gb_sym_node(ctx, s);
	if (d && s->id < d->cap && d->assign[s->id])
		return d->assign[s->id];
	if (is_identity(lw, a)) {
		gb_error(ctx, lw->src, a->span,
			 "the size of the identity I is not clear here: write eye(n)");
		return NULL;
	}
	hat_shape(ctx, s);
	if (d && s->id < d->cap && d->func[s->id]) {
		gb_error(ctx, lw->src, a->span,
			 "'%s' is a function: call it as %s(...)", s->name,
			 s->name);
		return NULL;
	}
	/* A built-in function's name is not a variable (in LaTeX, \exp
	 * alone could not be read back as one). */
	if (sym_builtin(s) != GB_NFNS) {
		gb_error(ctx, lw->src, a->span,
			 "'%s' is a function: call it as %s(...)",
			 s->name, s->name);
		return NULL;
	}
	/* pi and e are constants unless declared or bound as symbols. */
	if (!s->is_param && !(s->id < ctx->nbind && ctx->bind[s->id])) {
		if (strcmp(s->name, "pi") == 0)
			return ctx->pi;
		if (strcmp(s->name, "e") == 0)
			return ctx->e;
	}
	return gb_sym_node(ctx, s);
}

static const gb_node *lower_piecewise(lowerer *lw, const gb_ast *a)
{
	const gb_node **args = gb_ctx_tmp(lw->ctx, (a->nargs + 1) * sizeof *args);
	bool other = a->flags & AST_F_OTHERWISE;
	gb_shape shape = { 1, 1 };

	if (!args)
		return NULL;
	for (uint32_t i = 0; i < a->nargs; i++) {
		bool is_cond = !(other && i == a->nargs - 1) && i % 2 == 0;

		args[i] = is_cond ? condition(lw, a->args[i]) : value(lw, a->args[i]);
		if (!args[i])
			return NULL;
		if (!is_cond) {
			gb_shape vs = args[i]->shape;
			bool scalar_v = vs.rows == 1 && vs.cols == 1;
			bool scalar_s = shape.rows == 1 && shape.cols == 1;

			if (!scalar_v && !scalar_s && (vs.rows != shape.rows ||
						       vs.cols != shape.cols)) {
				gb_error(lw->ctx, lw->src, a->args[i]->span,
					 "the values of a piecewise expression must have one shape");
				return NULL;
			}
			if (!gb_is_scalar(args[i]))
				shape = args[i]->shape;
		}
	}
	return gb_piecewise(lw->ctx, a->nargs, args);
}

static const gb_node *lower_matrix(lowerer *lw, const gb_ast *a)
{
	const gb_node **v = gb_ctx_tmp(lw->ctx, (a->nargs + 1) * sizeof *v);

	if (!v)
		return NULL;
	for (uint32_t i = 0; i < a->nargs; i++) {
		v[i] = scalar_value(lw, a->args[i], "an entry of a matrix");
		if (!v[i])
			return NULL;
	}
	return gb_matrix(lw->ctx, a->rows, a->cols, v);
}

static const gb_node *lower(lowerer *lw, const gb_ast *a)
{
	const gb_node *r = NULL;

	if (!a)
		return NULL;
	if (++lw->depth > lw->ctx->limits.max_depth) {
		gb_error(lw->ctx, lw->src, a->span,
			 "expression nested too deeply (limit %u)",
			 (unsigned)lw->ctx->limits.max_depth);
		lw->depth--;
		return NULL;
	}
	switch ((gb_ast_kind)a->kind) {
	case AST_NUM:
		r = lower_number(lw, a);
		break;
	case AST_NAME:
		r = lower_name(lw, a);
		break;
	case AST_NEG:
		r = neg_value(lw->ctx, value(lw, a->args[0]));
		break;
	case AST_BINARY:
		r = is_sum_ast(a) ? lower_sum(lw, a) :
		    is_product_ast(a) ? lower_product(lw, a) :
		    lower_binary(lw, a);
		break;
	case AST_TRANSPOSE:
		r = gb_transpose(lw->ctx, value(lw, a->args[0]));
		break;
	case AST_CALL:
		r = lower_call(lw, a);
		break;
	case AST_PIECEWISE:
		r = lower_piecewise(lw, a);
		break;
	case AST_MATRIX:
		r = lower_matrix(lw, a);
		break;
	}
	lw->depth--;
	if (!r && !lw->ctx->nerrors) {
		/* Out of memory or a limit: say so once, here. */
		gb_diag_limit(lw->ctx, lw->src, a->span);
	}
	return r;
}

const gb_node *gb_lower_expr(gb_ctx *ctx, const gb_source *src,
			     const gb_ast *ast)
{
	lowerer lw = { ctx, src, NULL, NULL, 0, 0, false };
	size_t before = ctx->nerrors;
	const gb_node *r = lower(&lw, ast);

	return ctx->nerrors > before ? NULL : r;
}

/* ----------------------------------------------------------- statements */

/* Binds dimension symbol d to n, remembering who fixed it. */
static bool bind_dim(gb_ctx *ctx, gb_sym *d, uint32_t n, const gb_sym *by)
{
	struct gb_defs *df = defs(ctx);

	if (!df || gb_bind_sym(ctx, d, gb_num_si(ctx, (long)n)) != GB_OK)
		return false;
	if (d->id >= df->ndim_from) {
		size_t cap = df->ndim_from ? df->ndim_from : 16;
		const gb_sym **v;

		while (cap <= d->id)
			cap *= 2;
		v = gb_ctx_alloc(ctx, cap * sizeof *v);
		if (!v)
			return false;
		memset(v, 0, cap * sizeof *v);
		if (df->ndim_from)
			memcpy(v, df->dim_from, df->ndim_from * sizeof *v);
		df->dim_from = v;
		df->ndim_from = cap;
	}
	df->dim_from[d->id] = by;
	return true;
}

/*
 * Does a value's size n fit the declared dimension dim of sym? A
 * symbolic dimension without a size gets n; one with a size must agree
 * (d bound by W and by x together).
 */
static bool fit_dim(gb_ctx *ctx, gb_sym *sym, uint32_t dim, uint32_t n,
		    const gb_node *value)
{
	uint32_t have = gb_dim_value(ctx, dim);
	gb_sym *d = (gb_sym *)(uintptr_t)gb_dim_sym(ctx, dim);
	char decl[96];

	if (have == n)
		return true;
	gb_shape_str(ctx, decl, sizeof decl, sym->shape);
	if (!have && d)
		return bind_dim(ctx, d, n, sym);
	if (d) {
		const gb_sym *by = ctx->defs && d->id < ctx->defs->ndim_from ?
				   ctx->defs->dim_from[d->id] : NULL;

		gb_error(ctx, NULL, (gb_span){ 0, 0 },
			 "'%s' is %s but its value is %u\xc3\x97%u, and %s = %u%s%s%s",
			 sym->name, decl, (unsigned)value->shape.rows,
			 (unsigned)value->shape.cols, d->name, (unsigned)have,
			 by ? " (from the value of " : "", by ? by->name : "",
			 by ? ")" : "");
	} else {
		gb_error(ctx, NULL, (gb_span){ 0, 0 },
			 "'%s' is declared %s but its value is %u\xc3\x97%u",
			 sym->name, decl, (unsigned)value->shape.rows,
			 (unsigned)value->shape.cols);
	}
	return false;
}

/*
 * Does number v lie outside range p? Then the error says so, at span in
 * src (or without a place when src is NULL: a command-line binding).
 */
static bool outside_range(gb_ctx *ctx, const gb_source *src, gb_span span,
			  const gb_param *p, const gb_node *v)
{
	char *vs, *bs;

	if (!p || v->kind != GB_NUM ||
	    gb_cmp(ctx, p->rel, v, p->bound) != gb_false(ctx))
		return false;
	vs = gb_print(ctx, v);
	bs = gb_print(ctx, p->bound);
	gb_error(ctx, src, span,
		 "%s = %s is outside the range declared for it, %s %s %s",
		 p->sym->name, vs ? vs : "?", p->sym->name,
		 op_spelling[p->rel], bs ? bs : "?");
	free(vs);
	free(bs);
	return true;
}

/* Does number v lie outside one of the ranges declared for s? (The
 * error says which, as outside_range.) */
static bool outside_ranges(gb_ctx *ctx, const gb_source *src, gb_span span,
			   const gb_sym *s, const gb_node *v)
{
	const struct gb_defs *d = ctx->defs;

	if (!s->is_param || !d)
		return false;
	for (size_t i = 0; i < d->nranges; i++)
		if (d->ranges[i].sym == s &&
		    outside_range(ctx, src, span, &d->ranges[i], v))
			return true;
	return false;
}

/* Appends p to the growing array *v (*n used of *cap). */
static bool param_push(gb_ctx *ctx, gb_param **v, size_t *n, size_t *cap,
		       const gb_param *p)
{
	if (*n == *cap) {
		size_t c = *cap ? 2 * *cap : 8;
		gb_param *w = gb_ctx_alloc(ctx, c * sizeof *w);

		if (!w)
			return false;
		if (*n)
			memcpy(w, *v, *n * sizeof *w);
		*v = w;
		*cap = c;
	}
	(*v)[(*n)++] = *p;
	return true;
}

/* Remembers range p (param a > 0) with the others. */
static bool add_range(gb_ctx *ctx, const gb_param *p)
{
	struct gb_defs *d = defs(ctx);

	return d && param_push(ctx, &d->ranges, &d->nranges, &d->rcap, p);
}

gb_status gb_bind_reserve(gb_ctx *ctx, const gb_sym *sym)
{
	if (sym->id >= ctx->nbind) {
		size_t n = ctx->nbind ? ctx->nbind : 16;
		const gb_node **b;

		while (n <= sym->id)
			n *= 2;
		b = gb_mem_realloc(&ctx->mem, ctx->bind, n * sizeof *b);
		if (!b) {
			ctx->oom = true;
			return GB_ENOMEM;
		}
		memset(b + ctx->nbind, 0, (n - ctx->nbind) * sizeof *b);
		ctx->bind = b;
		ctx->nbind = n;
	}
	return GB_OK;
}

gb_status gb_bind_sym(gb_ctx *ctx, gb_sym *sym, const gb_node *value)
{
	gb_status st;

	if (!sym || !value)
		return gb_ctx_status(ctx) ? gb_ctx_status(ctx) : GB_EUSAGE;
	if (outside_ranges(ctx, NULL, (gb_span){ 0, 0 }, sym, value))
		return GB_EDOMAIN;
	if ((st = gb_bind_reserve(ctx, sym)) != GB_OK)
		return st;
	if (sym->shape.rows == 1 && sym->shape.cols == 1) {
		/* undeclared: the value gives the shape */
		ctx->bind[sym->id] = value;
		sym->shape = value->shape;
		return GB_OK;
	}
	/* Declared: the value must fit, and it sizes symbolic dimensions. */
	if (!fit_dim(ctx, sym, sym->shape.rows, value->shape.rows, value) ||
	    !fit_dim(ctx, sym, sym->shape.cols, value->shape.cols, value))
		return ctx->oom ? GB_ENOMEM : GB_ESHAPE;
	ctx->bind[sym->id] = value;
	return GB_OK;
}

static bool add_param(gb_ctx *ctx, const gb_param *p)
{
	struct gb_defs *d = defs(ctx);

	if (!d)
		return false;
	for (size_t i = 0; i < d->nparams; i++)
		if (d->params[i].sym == p->sym) {
			d->params[i] = *p;
			return true;
		}
	return param_push(ctx, &d->params, &d->nparams, &d->pcap, p);
}

/* param name [rel bound] */
static bool run_param(lowerer *lw, const gb_stmt *st)
{
	gb_ctx *ctx = lw->ctx;
	gb_sym *s = gb_sym_intern(ctx, st->name, st->name_len);
	gb_param p = { s, (gb_op)st->rel, NULL };

	if (!s || !defs_reserve(ctx, s->id))
		return false;
	if (ctx->defs->assign[s->id] || ctx->defs->func[s->id] ||
	    ctx->defs->declared[s->id]) {
		gb_error(ctx, lw->src, st->name_span,
			 "'%s' is defined above, so it cannot also be a parameter",
			 s->name);
		return false;
	}
	s->is_param = true;
	if (st->expr) {
		p.bound = scalar_value(lw, st->expr, "the bound of a parameter");
		if (!p.bound)
			return false;
		if (p.bound->kind != GB_NUM) {
			gb_error(ctx, lw->src, st->expr->span,
				 "the bound of a parameter must be a number");
			return false;
		}
		/* param a > 0 then param a = -1, either order */
		if (p.rel == GB_OP_EQ ?
		    outside_ranges(ctx, lw->src, st->expr->span, s, p.bound) :
		    s->id < ctx->nbind && ctx->bind[s->id] &&
		    outside_range(ctx, lw->src, st->span, &p, ctx->bind[s->id]))
			return false;
		if (p.rel != GB_OP_EQ && p.rel != GB_OP_NONE &&
		    !add_range(ctx, &p))
			return false;
		if (p.rel == GB_OP_EQ) {
			if (gb_bind_sym(ctx, s, p.bound) != GB_OK)
				return false;
		} else if (gb_is_zero(p.bound)) {
			s->sign = p.rel == GB_OP_GT ? 1 : p.rel == GB_OP_GE ? 2 :
				  p.rel == GB_OP_LT ? -1 : p.rel == GB_OP_LE ? -2 : 0;
		}
	}
	return add_param(ctx, &p);
}

/* dim d = 3, vector x[d], matrix W[d, d]: concrete or symbolic sizes. */
static bool dim_size(lowerer *lw, const gb_ast *a, uint32_t *out)
{
	const gb_node *n = scalar_value(lw, a, "a dimension");

	if (!n)
		return false;
	if (n->kind == GB_SYM) {	/* symbolic: core/shape.h */
		gb_sym *ds = gb_sym_find(lw->ctx, n->u.sym->name,
					 n->u.sym->len);

		if (ds)
			ds->is_dim = true;
		*out = GB_DIM_SYM | n->u.sym->id;
		return true;
	}
	if (!gb_is_integer(n) || mpq_sgn(n->u.q) <= 0 ||
	    mpz_cmp_ui(mpq_numref(n->u.q), 100000) > 0) {
		gb_error(lw->ctx, lw->src, a->span,
			 "a dimension is a positive integer up to 100000");
		return false;
	}
	*out = (uint32_t)mpz_get_ui(mpq_numref(n->u.q));
	return true;
}

static bool run_decl(lowerer *lw, const gb_stmt *st)
{
	gb_ctx *ctx = lw->ctx;
	gb_sym *s = gb_sym_intern(ctx, st->name, st->name_len);
	gb_shape shape = { 1, 1 };

	if (!s)
		return false;
	if (st->kind == STMT_DIM) {
		const gb_node *v;

		s->is_dim = true;
		if (!st->expr)
			return true;	/* a symbolic size, used by name */
		v = scalar_value(lw, st->expr, "a dimension");
		if (!v)
			return false;
		if (!defs_reserve(ctx, s->id))
			return false;
		ctx->defs->assign[s->id] = v;
		return true;
	}
	if (!dim_size(lw, st->params[0], &shape.rows))
		return false;
	if (st->kind == STMT_MATRIX && !dim_size(lw, st->params[1], &shape.cols))
		return false;
	/*
	 * An input is a leaf of the program: a name already given a value
	 * (h = ...) or a body cannot become one, or grad would differentiate
	 * through one meaning and the evaluator use the other.
	 */
	if (!defs_reserve(ctx, s->id))
		return false;
	if (ctx->defs->assign[s->id] || ctx->defs->func[s->id]) {
		gb_error(ctx, lw->src, st->name_span,
			 "'%s' is defined above, so it cannot also be declared as an input",
			 s->name);
		return false;
	}
	ctx->defs->declared[s->id] = (uint8_t)st->kind;
	s->shape = shape;
	if (s->id < ctx->nbind && ctx->bind[s->id] &&
	    gb_bind_sym(ctx, s, ctx->bind[s->id]) != GB_OK) {
		/* bound before it was declared: the value must fit */
		gb_note(ctx, lw->src, st->span, "'%s' is declared here", s->name);
		return false;
	}
	return true;
}

/*
 * Lowers the body of a new function once, with each parameter standing
 * for itself, so unknown names, arity and syntax-level errors are
 * reported at the definition rather than at every use.
 */
static bool check_body(lowerer *lw, gb_func *f)
{
	const gb_stmt *st = f->stmt;
	gb_ast call = { 0 };
	size_t before = lw->ctx->nerrors;

	call.kind = AST_CALL;
	call.span = st->name_span;
	call.name_span = st->name_span;
	call.text = st->name;
	call.text_len = st->name_len;
	call.nargs = st->nparams;
	call.args = st->params;
	if (expand_user(lw, &call, f) && lw->ctx->nerrors == before)
		return true;
	f->bad = true;
	return false;
}

static bool run_stmt(lowerer *lw, const gb_stmt *st, gb_lowered *res)
{
	gb_ctx *ctx = lw->ctx;
	gb_sym *s;

	res->stmt = st;
	res->value = NULL;
	switch ((gb_stmt_kind)st->kind) {
	case STMT_EXPR:
		res->value = lower(lw, st->expr);
		return res->value != NULL;
	case STMT_DEF:
	case STMT_ASSIGN:
		s = gb_sym_intern(ctx, st->name, st->name_len);
		if (!s || !defs_reserve(ctx, s->id))
			return false;
		if (ctx->defs->func[s->id] || ctx->defs->assign[s->id]) {
			gb_error(ctx, lw->src, st->name_span,
				 "redefinition of '%s'", s->name);
			return false;
		}
		if (s->is_param) {
			gb_error(ctx, lw->src, st->name_span,
				 "'%s' is declared as a parameter, so it cannot also be %s (give its value with 'param %s = VALUE')",
				 s->name, st->kind == STMT_ASSIGN ? "assigned" :
				 "defined as a function", s->name);
			return false;
		}
		if (ctx->defs->declared[s->id]) {
			/* `vector h[d]` then `h = x`: the input would
			 * silently stay independent of x */
			gb_error(ctx, lw->src, st->name_span,
				 "'%s' is declared as a %s input, so it cannot also be %s",
				 s->name,
				 ctx->defs->declared[s->id] == STMT_VECTOR ?
				 "vector" : "matrix",
				 st->kind == STMT_ASSIGN ? "assigned" :
				 "defined as a function");
			return false;
		}
		if (st->kind == STMT_ASSIGN) {
			res->value = value(lw, st->expr);
			if (!res->value)
				return false;
			ctx->defs->assign[s->id] = res->value;
			ctx->defs->assign_at[s->id] = st->name_span;
			/* The name stands for a value of this shape (backward
			 * formulas are written with it). */
			s->shape = res->value->shape;
			if (!add_order(ctx, s))
				return false;
			lw->keep_names = true;
			ctx->defs->named[s->id] = value(lw, st->expr);
			lw->keep_names = false;
			if (!ctx->defs->named[s->id])
				return false;
		} else {
			gb_func *f = gb_ctx_alloc(ctx, sizeof *f);

			if (!f)
				return false;
			f->stmt = st;
			f->src = lw->src;
			f->busy = false;
			f->bad = false;
			ctx->defs->func[s->id] = f;
			return check_body(lw, f);
		}
		return true;
	case STMT_PARAM:
		return run_param(lw, st);
	case STMT_DIM:
	case STMT_VECTOR:
	case STMT_MATRIX:
		return run_decl(lw, st);
	}
	return false;
}

gb_status gb_lower_program(gb_ctx *ctx, const gb_program *prog,
			   gb_lowered **out, size_t *nout)
{
	gb_lowered *res;
	bool ok = true;

	res = gb_ctx_alloc(ctx, (prog->nstmts + 1) * sizeof *res);
	if (!res)
		return GB_ENOMEM;
	for (uint32_t i = 0; i < prog->nstmts; i++) {
		lowerer lw = { ctx, prog->src, NULL, NULL, 0, 0, false };
		size_t before = ctx->nerrors;

		if (!run_stmt(&lw, prog->stmts[i], &res[i]) ||
		    ctx->nerrors > before) {
			ok = false;
			res[i].value = NULL;
			if (ctx->oom)
				return GB_ENOMEM;
		}
	}
	if (out) {
		*out = res;
		*nout = prog->nstmts;
	}
	return ok ? GB_OK : GB_ESYNTAX;
}
