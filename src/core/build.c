/*
 * build.c - canonicalising constructors (see build.h for the canonical
 * form).
 *
 * Everything here is exact: coefficients are GMP rationals and only
 * identities that hold for every real value of the symbols are applied,
 * with the measure-zero exceptions written down in build.h (x^0 = 1,
 * 0 x = 0, x x^-1 = 1), as GiNaC and SymPy do.
 */
#include "core/build.h"

#include <stdlib.h>
#include <string.h>

#include "core/ctx.h"
#include "core/shape.h"

static const gb_shape scalar = { 1, 1 };

/* ---------------------------------------------------------------- numbers */

const gb_node *gb_num_q(gb_ctx *ctx, mpq_srcptr q)
{
	return gb_intern(ctx, GB_NUM, 0, 0, q, scalar, 0, NULL);
}

const gb_node *gb_num_frac(gb_ctx *ctx, long num, unsigned long den)
{
	const gb_node *n;
	mpq_t q;

	mpq_init(q);
	mpq_set_si(q, num, den);
	mpq_canonicalize(q);
	n = gb_num_q(ctx, q);
	mpq_clear(q);
	return n;
}

const gb_node *gb_num_si(gb_ctx *ctx, long v)
{
	return gb_num_frac(ctx, v, 1);
}

const gb_node *gb_const(gb_ctx *ctx, int which)
{
	return gb_intern(ctx, GB_CONST, (unsigned)which, 0, NULL, scalar, 0,
			 NULL);
}

bool gb_is_zero(const gb_node *n)
{
	return n && n->kind == GB_NUM && mpq_sgn(n->u.q) == 0;
}

bool gb_is_one(const gb_node *n)
{
	return n && n->kind == GB_NUM && mpq_cmp_si(n->u.q, 1, 1) == 0;
}

bool gb_is_integer(const gb_node *n)
{
	return n && n->kind == GB_NUM && mpz_cmp_ui(mpq_denref(n->u.q), 1) == 0;
}

bool gb_is_negative_num(const gb_node *n)
{
	return n && n->kind == GB_NUM && mpq_sgn(n->u.q) < 0;
}

/* ---------------------------------------------------------------- symbols */

static uint32_t name_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

gb_sym *gb_sym_find(const gb_ctx *ctx, const char *name, size_t len)
{
	uint32_t h = name_hash(name, len);
	size_t mask = ctx->scap - 1;

	if (!ctx->scap)
		return NULL;
	for (size_t i = h & mask; ctx->stab[i]; i = (i + 1) & mask) {
		gb_sym *s = ctx->stab[i];

		if (s->hash == h && s->len == len &&
		    memcmp(s->name, name, len) == 0)
			return s;
	}
	return NULL;
}

static bool sym_grow(gb_ctx *ctx)
{
	size_t cap = ctx->scap ? 2 * ctx->scap : 64;
	gb_sym **tab = gb_mem_alloc(&ctx->mem, cap * sizeof *tab);

	if (!tab)
		return false;
	memset(tab, 0, cap * sizeof *tab);
	for (size_t i = 0; i < ctx->scap; i++) {
		gb_sym *s = ctx->stab[i];
		size_t j;

		if (!s)
			continue;
		for (j = s->hash & (cap - 1); tab[j]; j = (j + 1) & (cap - 1))
			;
		tab[j] = s;
	}
	gb_mem_free(&ctx->mem, ctx->stab);
	ctx->stab = tab;
	ctx->scap = cap;
	return true;
}

gb_sym *gb_sym_intern(gb_ctx *ctx, const char *name, size_t len)
{
	gb_sym *s = gb_sym_find(ctx, name, len);
	size_t i, mask;

	if (s)
		return s;
	if (ctx->oom || len > UINT32_MAX)
		return NULL;
	if (2 * (ctx->sused + 1) > ctx->scap && !sym_grow(ctx)) {
		ctx->oom = true;
		return NULL;
	}
	s = gb_ctx_alloc(ctx, sizeof *s);
	if (!s)
		return NULL;
	s->name = gb_arena_strndup(&ctx->arena, name, len);
	if (!s->name) {
		ctx->oom = true;
		return NULL;
	}
	s->len = (uint32_t)len;
	s->hash = name_hash(name, len);
	s->id = (uint32_t)ctx->sused;
	s->shape = scalar;
	s->sign = 0;
	s->is_param = false;
	s->is_dim = false;
	s->fn_word = 0;
	mask = ctx->scap - 1;
	for (i = s->hash & mask; ctx->stab[i]; i = (i + 1) & mask)
		;
	ctx->stab[i] = s;
	ctx->sused++;
	return s;
}

const gb_node *gb_sym_node(gb_ctx *ctx, const gb_sym *sym)
{
	if (!sym)
		return NULL;
	return gb_intern(ctx, GB_SYM, 0, 0, sym, sym->shape, 0, NULL);
}

const gb_node *gb_symbol(gb_ctx *ctx, const char *name, size_t len)
{
	return gb_sym_node(ctx, gb_sym_intern(ctx, name, len));
}

/* ------------------------------------------------------- scratch vectors */

/*
 * A growable array of node pointers on the heap, for flattening sums and
 * products of any width without recursion or fixed limits.
 */
enum { NV_INLINE = 16 };

typedef struct nodevec {
	const gb_node **v;	/* inl until it outgrows it; never copy a nodevec */
	size_t n, cap;
	bool failed;
	gb_mem *mem;
	gb_ctx *ctx;	/* its oom is set when growing fails */
	const gb_node *inl[NV_INLINE];	/* most sums and products fit here */
} nodevec;

static void nv_init(nodevec *nv, gb_ctx *ctx)
{
	nv->v = nv->inl;
	nv->n = 0;
	nv->cap = NV_INLINE;
	nv->failed = false;
	nv->mem = &ctx->mem;
	nv->ctx = ctx;
}

static void nv_push(nodevec *nv, const gb_node *x)
{
	if (nv->failed)
		return;
	if (nv->n == nv->cap) {
		size_t cap = 2 * nv->cap;
		const gb_node **v = nv->v == nv->inl ?
			gb_mem_alloc(nv->mem, cap * sizeof *v) :
			gb_mem_realloc(nv->mem, nv->v, cap * sizeof *v);

		if (v && nv->v == nv->inl)
			memcpy(v, nv->inl, nv->n * sizeof *v);
		if (!v) {
			/* Say why, or callers that see only `failed`
			 * would report a NULL with no reason. */
			nv->failed = true;
			nv->ctx->oom = true;
			return;
		}
		nv->v = v;
		nv->cap = cap;
	}
	nv->v[nv->n++] = x;
}

static void nv_free(nodevec *nv)
{
	if (nv->v != nv->inl)
		gb_mem_free(nv->mem, nv->v);
	nv->v = nv->inl;
	nv->n = 0;
	nv->cap = NV_INLINE;
}

/* Is v[0..n) in order? A linear check that saves most re-sorts. */
static bool sorted(const gb_node **v, size_t n,
		   int (*cmp)(const void *, const void *))
{
	for (size_t i = 1; i < n; i++)
		if (cmp(&v[i - 1], &v[i]) > 0)
			return false;
	return true;
}

static int cmp_nodes(const void *pa, const void *pb)
{
	const gb_node *a = *(const gb_node *const *)pa;
	const gb_node *b = *(const gb_node *const *)pb;

	return gb_node_cmp(a, b);
}

static gb_shape wider(gb_shape a, gb_shape b)
{
	return (a.rows == 1 && a.cols == 1) ? b : a;
}

static bool any_null(size_t n, const gb_node *const *args)
{
	for (size_t i = 0; i < n; i++)
		if (!args[i])
			return true;
	return false;
}

/* ------------------------------------------------------------------ sums */

/*
 * Long sums and products are kept whole. A sum with more than LONG terms
 * (a product with more than LONG factors) that is an argument of gb_add
 * (gb_mul) is flattened only when one of the other terms has a like term
 * in it (one of the other factors has its base in it), found by binary
 * search in its sorted children. Otherwise it stays one term (factor) of
 * the result: nothing in it could merge, so the result is the same sum
 * (product) with one level of grouping, and building it costs O(n log L)
 * for n new terms instead of O(L). This is what keeps a residual chain
 * y_k = y_{k-1} + tanh(w_k y_{k-1}) and the derivative of a k-deep
 * composition, s_k (1 - s_k) s_{k-1} (1 - s_{k-1}) ..., linear in k:
 * flat, every layer would copy all the terms before it. Flattening one
 * copies its top level only (a chain's long sums hold at most about
 * 2 LONG children, the rest being long sums kept whole inside them), so
 * merges stay cheap; a like term is looked for SEARCH_DEPTH levels down,
 * between two long sums, and in c*L (a number times a long sum, which is
 * never distributed). A sum kept whole gives its constant to the sum it
 * joins (as a product gives its coefficient), so numbers meet without
 * flattening it.
 */
enum {
	LONG = 32,
	/* How many levels of long sums (products) kept whole inside one
	 * another a like term is looked for in below the top: LONG^3, some
	 * 30,000 terms. Deeper, a term that would cancel may stay (the value
	 * is the same); the bound keeps every look-up O(log n), so chains
	 * stay linear. */
	SEARCH_DEPTH = 2
};

/* Long: more than LONG children besides a product's coefficient or a
 * sum's constant (which one kept whole gives up, so the count must not
 * include it). */
static bool is_long(const gb_node *n, gb_kind kind)
{
	return n->kind == kind &&
	       n->nargs - (n->arg[0]->kind == GB_NUM) > LONG;
}

/*
 * The long sum or product a part stands for: itself when long, and for
 * a sum also c*L, a long sum L times a number (a coefficient is never
 * distributed over a long sum: that would copy it). NULL otherwise.
 */
static const gb_node *long_of(const gb_node *t, gb_kind kind)
{
	if (is_long(t, kind))
		return t;
	if (kind == GB_ADD && t->kind == GB_MUL && t->nargs == 2 &&
	    t->arg[0]->kind == GB_NUM && is_long(t->arg[1], GB_ADD))
		return t->arg[1];
	return NULL;
}

/* The base of a factor of a canonical product, as cmp_as_factors sees it. */
static const gb_node *factor_base(const gb_node *f)
{
	return f->kind == GB_POW ? f->arg[0] : f;
}

/*
 * The key by which the children of a canonical sum or product are
 * sorted: a term's rest (gb_split_coeff), a factor's base. NULL when
 * memory runs out.
 */
static const gb_node *sort_key(gb_ctx *ctx, gb_kind kind, const gb_node *c)
{
	mpq_srcptr coeff;
	const gb_node *rest;

	if (kind == GB_MUL)
		return factor_base(c);
	gb_split_coeff(ctx, c, &coeff, &rest);
	return rest;
}

/*
 * Has the long sum or product p a child with this key, or (to depth
 * SEARCH_DEPTH) one of the long sums or products kept whole inside it?
 * Binary search; a product's leading coefficient is not in the order.
 * The children kept whole have keys of p's own kind, and the order
 * compares kinds first, so they are one run, found by binary search too.
 */
static bool has_key(gb_ctx *ctx, const gb_node *p, const gb_node *key,
		    int depth)
{
	gb_kind kind = (gb_kind)p->kind;
	size_t first = kind == GB_MUL && p->arg[0]->kind == GB_NUM;
	size_t lo = first, hi = p->nargs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const gb_node *k = sort_key(ctx, kind, p->arg[mid]);
		int d;

		if (!k)
			return true;	/* out of memory: the caller sees oom */
		d = gb_node_cmp(k, key);
		if (d == 0)
			return true;
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (depth >= SEARCH_DEPTH)
		return false;
	lo = first;
	hi = p->nargs;
	while (lo < hi) {	/* the first child whose key is of p's kind */
		size_t mid = lo + (hi - lo) / 2;
		const gb_node *k = sort_key(ctx, kind, p->arg[mid]);

		if (!k)
			return true;
		if (k->kind < kind)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < p->nargs; i++) {
		const gb_node *k = sort_key(ctx, kind, p->arg[i]);

		if (!k)
			return true;
		if (k->kind != kind)
			break;
		if (has_key(ctx, k, key, depth + 1))
			return true;
	}
	return false;
}

/*
 * The parts of a (the children of a sum or product of this kind, else
 * a itself) to flat, or to longs when they are long (long_of). c*L, a
 * number times a long sum, gives c times each term of L.
 */
static void push_parts(gb_ctx *ctx, nodevec *flat, nodevec *longs,
		       const gb_node *a, gb_kind kind)
{
	const gb_node *c = NULL;

	if (kind == GB_ADD && a->kind == GB_MUL && long_of(a, kind)) {
		c = a->arg[0];
		a = a->arg[1];
	}
	if (a->kind != kind) {
		nv_push(long_of(a, kind) ? longs : flat, a);
		return;
	}
	for (size_t j = 0; j < a->nargs; j++) {
		const gb_node *t = c ? gb_mul2(ctx, c, a->arg[j]) : a->arg[j];

		if (!t) {
			flat->failed = true;
			return;
		}
		nv_push(long_of(t, kind) ? longs : flat, t);
	}
}

/* An argument of gb_add (gb_mul): to longs when long itself, else its
 * parts (a short sum's terms, a short product's factors) by push_parts. */
static void push_arg(gb_ctx *ctx, nodevec *flat, nodevec *longs,
		     const gb_node *a, gb_kind kind)
{
	if (long_of(a, kind))
		nv_push(longs, a);
	else
		push_parts(ctx, flat, longs, a, kind);
}

/* Could term t merge with a term of the long sum s (or c*s)? A number
 * does not count: s's constant is taken out of it instead (gb_add), as
 * flattening s for it would copy s at every layer of a chain that adds a
 * constant each time. */
static bool merges_into_sum(gb_ctx *ctx, const gb_node *t, const gb_node *s)
{
	const gb_node *r = sort_key(ctx, GB_ADD, t);

	return !r || (r != ctx->one && has_key(ctx, long_of(s, GB_ADD), r, 0));
}

typedef bool (*merge_fn)(gb_ctx *ctx, const gb_node *part,
			 const gb_node *whole);

/* Does a part of whole (its children, or whole itself) merge into l? */
static bool parts_merge(gb_ctx *ctx, const gb_node *whole, const gb_node *l,
			gb_kind kind, merge_fn merges)
{
	const gb_node *w = long_of(whole, kind);

	for (uint32_t j = 0; j < w->nargs; j++)
		if (merges(ctx, w->arg[j], l))
			return true;
	return false;
}

/*
 * Flattens every long sum (product) in longs into which a part in flat,
 * or a child of another long one, merges, until none does: a flattened
 * one adds parts, and may bring long ones of its own. What stays in
 * longs is kept whole. The same long sum twice is not a merge of its
 * children: it merges whole (s + s = 2 s).
 */
static void settle_longs(gb_ctx *ctx, nodevec *flat, nodevec *longs,
			 gb_kind kind, merge_fn merges)
{
	for (bool again = longs->n > 0; again && !flat->failed;) {
		again = false;
		for (size_t i = 0; i < longs->n && !again; i++) {
			const gb_node *lp = longs->v[i];
			bool hit = false;

			for (size_t j = 0; j < flat->n && !hit; j++)
				hit = merges(ctx, flat->v[j], lp);
			for (size_t j = 0; j < longs->n && !hit; j++)
				if (long_of(longs->v[j], kind) !=
				    long_of(lp, kind))
					hit = parts_merge(ctx, longs->v[j], lp,
							  kind, merges);
			if (!hit)
				continue;
			longs->v[i] = longs->v[--longs->n];
			push_parts(ctx, flat, longs, lp, kind);
			again = true;
		}
	}
}

void gb_split_coeff(gb_ctx *ctx, const gb_node *t, mpq_srcptr *coeff,
		    const gb_node **rest)
{
	if (t->kind == GB_NUM) {
		*coeff = t->u.q;
		*rest = ctx->one;
	} else if (t->kind == GB_MUL && t->arg[0]->kind == GB_NUM) {
		*coeff = t->arg[0]->u.q;
		if (t->nargs == 2)
			*rest = t->arg[1];
		else	/* the remaining factors are canonical already */
			*rest = gb_intern(ctx, GB_MUL, 0, 0, NULL, t->shape,
					  t->nargs - 1, t->arg + 1);
	} else {
		*coeff = ctx->one->u.q;
		*rest = t;
	}
}

/* A term of a sum: its coefficient and the rest. */
typedef struct term {
	const gb_node *rest;
	mpq_srcptr coeff;
	const gb_node *orig;	/* the term as given: reused when unmerged */
} term;

static int cmp_terms(const void *pa, const void *pb)
{
	const term *a = pa, *b = pb;

	return gb_node_cmp(a->rest, b->rest);
}

/* c * rest, where rest is a term without a numeric coefficient. */
static const gb_node *scaled(gb_ctx *ctx, mpq_srcptr c, const gb_node *rest)
{
	const gb_node *args[2];

	if (mpq_cmp_si(c, 1, 1) == 0)
		return rest;
	args[0] = gb_num_q(ctx, c);
	if (!args[0])
		return NULL;
	if (rest->kind == GB_MUL) {	/* c * (a*b) = MUL(c, a, b) */
		const gb_node **v;
		const gb_node *r;

		v = gb_mem_alloc(&ctx->mem, (rest->nargs + 1) * sizeof *v);
		if (!v)
			return gb_ctx_oom(ctx);
		v[0] = args[0];
		memcpy(v + 1, rest->arg, rest->nargs * sizeof *v);
		r = gb_intern(ctx, GB_MUL, 0, 0, NULL, rest->shape,
			      rest->nargs + 1, v);
		gb_mem_free(&ctx->mem, v);
		return r;
	}
	args[1] = rest;
	return gb_intern(ctx, GB_MUL, 0, 0, NULL, rest->shape, 2, args);
}

/*
 * Sorts terms[0..n) by cmp_terms when terms[0..run) is sorted already:
 * the other m = n - run terms are sorted, then each is placed into the
 * run by binary search. O(m log n) comparisons instead of O(n log n),
 * which matters when a layer adds one term to a long sum
 * (y_k = y_{k-1} + tanh(w_k y_{k-1})). The order is the one qsort would
 * give: distinct rests compare unequal, and equal rests end up adjacent
 * either way (they are merged next). False when memory runs out.
 */
static bool sort_terms(gb_ctx *ctx, term *terms, size_t n, size_t run)
{
	term *m;
	size_t i = 0, k = 0;

	if (run < NV_INLINE || n - run > run / 4) {
		qsort(terms, n, sizeof *terms, cmp_terms);
		return true;
	}
	qsort(terms + run, n - run, sizeof *terms, cmp_terms);
	m = gb_mem_alloc(&ctx->mem, n * sizeof *m);
	if (!m)
		return false;
	for (size_t j = run; j < n; j++) {
		size_t lo = i, hi = run;

		while (lo < hi) {	/* first run term after terms[j] */
			size_t mid = lo + (hi - lo) / 2;

			if (cmp_terms(&terms[mid], &terms[j]) <= 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		memcpy(m + k, terms + i, (lo - i) * sizeof *m);
		k += lo - i;
		i = lo;
		m[k++] = terms[j];
	}
	memcpy(m + k, terms + i, (run - i) * sizeof *m);
	memcpy(terms, m, n * sizeof *m);
	gb_mem_free(&ctx->mem, m);
	return true;
}

/*
 * Sum of args: flatten nested sums, fold numbers into one constant, merge
 * like terms (c1 t + c2 t = (c1 + c2) t, by pointer equality of t), sort
 * by the structural order of t. The terms of the longest nested sum come
 * first: they are in that order already (sort_terms).
 */
const gb_node *gb_add(gb_ctx *ctx, size_t n, const gb_node *const *args)
{
	nodevec flat, out, longs;
	term tbuf[NV_INLINE], *terms = tbuf;
	size_t i, j, big = n, run = 0;
	gb_shape shape = scalar;
	const gb_node *result = NULL;
	mpq_t s;
	bool s_init = false;

	if (any_null(n, args) || ctx->oom)
		return NULL;
	if (n == 1)
		return args[0];
	if (n == 0)
		return ctx->zero;
	nv_init(&flat, ctx);
	nv_init(&out, ctx);
	nv_init(&longs, ctx);
	for (i = 0; i < n; i++)
		if (args[i]->kind == GB_ADD && !long_of(args[i], GB_ADD) &&
		    args[i]->nargs > run) {
			big = i;
			run = args[i]->nargs;
		}
	if (big < n) {		/* first: its terms are a sorted run */
		push_parts(ctx, &flat, &longs, args[big], GB_ADD);
		run = flat.n;
	}
	for (i = 0; i < n; i++) {
		shape = wider(shape, args[i]->shape);
		if (i != big)
			push_arg(ctx, &flat, &longs, args[i], GB_ADD);
	}
	if (flat.failed || longs.failed)
		goto out_oom;
	settle_longs(ctx, &flat, &longs, GB_ADD, merges_into_sum);
	if (ctx->oom)
		goto out;
	for (i = 0; i < longs.n; i++) {	/* kept whole: one term each */
		const gb_node *t = longs.v[i], *l = long_of(t, GB_ADD), *c;

		if (l->arg[0]->kind == GB_NUM) {
			/* its constant joins ours, so that a number meets it
			 * (and a kept-whole sum never holds one): c*(k + L)
			 * is c k + c*L */
			c = t == l ? NULL : t->arg[0];
			nv_push(&flat, c ? gb_mul2(ctx, c, l->arg[0]) : l->arg[0]);
			l = gb_intern(ctx, GB_ADD, 0, 0, NULL, l->shape,
				      l->nargs - 1, l->arg + 1);
			t = c ? gb_mul2(ctx, c, l) : l;
			if (!t)
				goto out;
		}
		nv_push(&flat, t);
	}
	if (flat.failed || longs.failed)
		goto out_oom;
	if (flat.n > NV_INLINE) {
		terms = gb_mem_alloc(&ctx->mem, flat.n * sizeof *terms);
		if (!terms)
			goto out_oom;
	}
	for (i = 0; i < flat.n; i++) {
		gb_split_coeff(ctx, flat.v[i], &terms[i].coeff, &terms[i].rest);
		terms[i].orig = flat.v[i];
		if (!terms[i].rest)
			goto out;
	}
	if (flat.n > 1 && !sort_terms(ctx, terms, flat.n, run))
		goto out_oom;

	/*
	 * Runs of equal rests merge, their coefficients summed; a term
	 * alone in its run is kept as the node it was.
	 */
	for (i = 0; i < flat.n; i = j) {
		const gb_node *t;

		for (j = i + 1; j < flat.n && terms[j].rest == terms[i].rest; j++)
			;
		if (j == i + 1) {
			if (mpq_sgn(terms[i].coeff) == 0)
				continue;	/* a zero constant */
			nv_push(&out, terms[i].orig);
			continue;
		}
		if (!s_init) {
			mpq_init(s);
			s_init = true;
		}
		mpq_set(s, terms[i].coeff);
		for (size_t k = i + 1; k < j; k++)
			mpq_add(s, s, terms[k].coeff);
		if (mpq_sgn(s) == 0)
			continue;
		t = terms[i].rest == ctx->one ? gb_num_q(ctx, s) :
		    scaled(ctx, s, terms[i].rest);
		if (!t)
			goto out;
		nv_push(&out, t);
	}
	if (out.failed)
		goto out_oom;
	if (out.n == 0)
		result = ctx->zero;
	else if (out.n == 1)
		result = out.v[0];
	else	/* the constant (rest 1, a NUM) sorts first */
		result = gb_intern(ctx, GB_ADD, 0, 0, NULL, shape, out.n, out.v);
	goto out;
out_oom:
	ctx->oom = true;
out:
	if (s_init)
		mpq_clear(s);
	if (terms != tbuf)
		gb_mem_free(&ctx->mem, terms);
	nv_free(&flat);
	nv_free(&out);
	nv_free(&longs);
	return result;
}

const gb_node *gb_add2(gb_ctx *ctx, const gb_node *a, const gb_node *b)
{
	const gb_node *args[2] = { a, b };

	return gb_add(ctx, 2, args);
}

const gb_node *gb_neg(gb_ctx *ctx, const gb_node *a)
{
	return gb_mul2(ctx, ctx->minus_one, a);
}

const gb_node *gb_sub(gb_ctx *ctx, const gb_node *a, const gb_node *b)
{
	return gb_add2(ctx, a, gb_neg(ctx, b));
}

/* -------------------------------------------------------------- products */

/* A factor of a product as base^exponent. */
typedef struct factor {
	const gb_node *base, *ex;
} factor;

static int cmp_factors(const void *pa, const void *pb)
{
	const factor *a = pa, *b = pb;
	int c = gb_node_cmp(a->base, b->base);

	return c ? c : gb_node_cmp(a->ex, b->ex);
}

/* The order of factors in a canonical product (qsort needs no context,
 * so the exponent 1 of a plain factor is compared as "no exponent"). */
static int cmp_as_factors(const void *pa, const void *pb)
{
	const gb_node *a = *(const gb_node *const *)pa;
	const gb_node *b = *(const gb_node *const *)pb;
	const gb_node *ba = a->kind == GB_POW ? a->arg[0] : a;
	const gb_node *bb = b->kind == GB_POW ? b->arg[0] : b;
	int c = gb_node_cmp(ba, bb);

	if (c)
		return c;
	if (a->kind != GB_POW)
		return -1;	/* x before x^n */
	if (b->kind != GB_POW)
		return 1;
	return gb_node_cmp(a->arg[1], b->arg[1]);
}

/* exp(q) for a number q: the canonical form of e^q. */
static bool is_exp_num(const gb_node *f)
{
	return f->kind == GB_CALL && f->fn == GB_FN_EXP && f->nargs == 1 &&
	       f->arg[0]->kind == GB_NUM;
}

/* Could factor f merge with a factor of the long product p? Powers of e
 * (e, exp(q), e^x) are compared by base e, which the order of p does not
 * follow, so they are taken to merge. */
static bool merges_into_product(gb_ctx *ctx, const gb_node *f,
				const gb_node *p)
{
	const gb_node *b = factor_base(f);

	if (f->kind == GB_NUM)
		return false;
	if (b == ctx->e || is_exp_num(f))
		return true;
	return has_key(ctx, p, b, 0);
}

/*
 * Product of args: flatten nested products, fold numbers into one
 * coefficient, merge equal bases (x^a x^b = x^(a+b)), sort by base.
 * A numeric coefficient times a single sum is distributed,
 * 2 (x + y) = 2x + 2y and -(1 - s) = s - 1, so that like terms meet.
 * The product is commutative: callers use gb_matmul for matrix products.
 */
const gb_node *gb_mul(gb_ctx *ctx, size_t n, const gb_node *const *args)
{
	nodevec flat, out, longs;
	factor fbuf[NV_INLINE], *fs = fbuf;
	size_t nf = 0, i, j;
	gb_shape shape = scalar;
	const gb_node *result = NULL;
	/* the numeric coefficient, 1 until a number is met (c_init) */
	mpq_t c;
	bool c_init = false;

/* c *= q, initialising c to q the first time */
#define COEF_MUL(q)							\
	do {								\
		if (c_init) {						\
			mpq_mul(c, c, (q));				\
		} else {						\
			mpq_init(c);					\
			mpq_set(c, (q));				\
			c_init = true;					\
		}							\
	} while (0)

	if (any_null(n, args) || ctx->oom)
		return NULL;
	if (n == 1)
		return args[0];
	if (n == 0)
		return ctx->one;
	nv_init(&flat, ctx);
	nv_init(&out, ctx);
	nv_init(&longs, ctx);
	for (i = 0; i < n; i++) {
		shape = wider(shape, args[i]->shape);
		push_arg(ctx, &flat, &longs, args[i], GB_MUL);
	}
	if (flat.failed || longs.failed)
		goto out_oom;
	/* A long product kept whole gives its coefficient to ours, so
	 * that it is a product of factors only. */
	settle_longs(ctx, &flat, &longs, GB_MUL, merges_into_product);
	if (ctx->oom)
		goto out;
	if (longs.n == 1) {
		/* c * L: only L's coefficient changes, so the product is L's
		 * factors with the new one (a copy of L's top level only) */
		bool numbers = true;

		for (i = 0; i < flat.n && numbers; i++)
			numbers = flat.v[i]->kind == GB_NUM;
		if (numbers) {
			push_parts(ctx, &flat, &longs, longs.v[0], GB_MUL);
			longs.v[0] = longs.v[--longs.n];
		}
	}
	for (i = 0; i < longs.n; i++) {
		const gb_node *lp = longs.v[i];

		if (lp->arg[0]->kind == GB_NUM) {
			COEF_MUL(lp->arg[0]->u.q);
			lp = gb_intern(ctx, GB_MUL, 0, 0, NULL, lp->shape,
				       lp->nargs - 1, lp->arg + 1);
			if (!lp)
				goto out;
		}
		nv_push(&flat, lp);
	}
	if (flat.failed)
		goto out_oom;
	if (flat.n > NV_INLINE) {
		fs = gb_mem_alloc(&ctx->mem, flat.n * sizeof *fs);
		if (!fs)
			goto out_oom;
	}
	for (i = 0; i < flat.n; i++) {
		const gb_node *f = flat.v[i];

		if (f->kind == GB_NUM) {
			COEF_MUL(f->u.q);
		} else if (is_exp_num(f)) {
			/* exp(q) is e^q, so that e * e * e = exp(2) * e
			 * merges to exp(3), never to exp(2) * exp(2). */
			fs[nf].base = ctx->e;
			fs[nf++].ex = f->arg[0];
		} else if (f->kind == GB_POW) {
			fs[nf].base = f->arg[0];
			fs[nf++].ex = f->arg[1];
		} else {
			fs[nf].base = f;
			fs[nf++].ex = ctx->one;
		}
	}
	if (c_init && mpq_sgn(c) == 0 && shape.rows == 1 && shape.cols == 1) {
		result = ctx->zero;
		goto out;
	}
	if (nf > 1)
		qsort(fs, nf, sizeof *fs, cmp_factors);
	for (i = 0; i < nf; i = j) {
		const gb_node *ex = fs[i].ex, *p;

		for (j = i + 1; j < nf && fs[j].base == fs[i].base; j++)
			ex = gb_add2(ctx, ex, fs[j].ex);
		p = gb_pow(ctx, fs[i].base, ex);
		if (!p)
			goto out;
		if (p->kind == GB_NUM)
			COEF_MUL(p->u.q);
		else if (p->kind == GB_MUL &&
			 !(p == fs[i].base && is_long(p, GB_MUL)))
			/* e.g. (2x)^2 = 4x^2, (xy)^(1/2) (xy)^(1/2) = x y;
			 * a long product kept whole is its own base */
			for (size_t k = 0; k < p->nargs; k++) {
				if (p->arg[k]->kind == GB_NUM)
					COEF_MUL(p->arg[k]->u.q);
				else
					nv_push(&out, p->arg[k]);
			}
		else
			nv_push(&out, p);
	}
	if (out.failed)
		goto out_oom;
	if (c_init && mpq_sgn(c) == 0 && shape.rows == 1 && shape.cols == 1) {
		result = ctx->zero;
		goto out;
	}
	/* Factors are ordered by (base, exponent): x*y^2, not y^2*x. They
	 * usually are already, since fs was sorted by base. */
	if (out.n > 1 && !sorted(out.v, out.n, cmp_as_factors))
		qsort(out.v, out.n, sizeof *out.v, cmp_as_factors);
	if (c_init && mpq_cmp_si(c, 1, 1) == 0) {
		mpq_clear(c);
		c_init = false;		/* a coefficient of 1 is no coefficient */
	}
	if (out.n == 0) {
		result = c_init ? gb_num_q(ctx, c) : ctx->one;
	} else if (!c_init && out.n == 1) {
		result = out.v[0];
	} else if (out.n == 1 && out.v[0]->kind == GB_ADD &&
		   !is_long(out.v[0], GB_ADD)) {
		/* c (a + b) = c a + c b */
		const gb_node *s = out.v[0];
		const gb_node *num = gb_num_q(ctx, c);
		nodevec ts;

		nv_init(&ts, ctx);
		for (i = 0; i < s->nargs; i++)
			nv_push(&ts, gb_mul2(ctx, num, s->arg[i]));
		result = ts.failed ? gb_ctx_oom(ctx) : gb_add(ctx, ts.n, ts.v);
		nv_free(&ts);
	} else {
		const gb_node *vbuf[NV_INLINE + 1], **v = vbuf;

		if (out.n + 1 > NV_INLINE + 1) {
			v = gb_mem_alloc(&ctx->mem, (out.n + 1) * sizeof *v);
			if (!v)
				goto out_oom;
		}
		j = 0;
		if (c_init)
			v[j++] = gb_num_q(ctx, c);
		memcpy(v + j, out.v, out.n * sizeof *v);
		if (j && !v[0])
			result = NULL;
		else
			result = gb_intern(ctx, GB_MUL, 0, 0, NULL, shape,
					   out.n + j, v);
		if (v != vbuf)
			gb_mem_free(&ctx->mem, v);
	}
	goto out;
out_oom:
	ctx->oom = true;
	result = NULL;
out:
	if (c_init)
		mpq_clear(c);
	if (fs != fbuf)
		gb_mem_free(&ctx->mem, fs);
	nv_free(&flat);
	nv_free(&out);
	nv_free(&longs);
	return result;
#undef COEF_MUL
}

const gb_node *gb_mul2(gb_ctx *ctx, const gb_node *a, const gb_node *b)
{
	const gb_node *args[2] = { a, b };

	return gb_mul(ctx, 2, args);
}

const gb_node *gb_div(gb_ctx *ctx, const gb_node *a, const gb_node *b)
{
	return gb_mul2(ctx, a, gb_pow(ctx, b, ctx->minus_one));
}

/* ---------------------------------------------------------------- powers */

/*
 * q^(num/den) exactly, when the result is rational and not too large:
 * returns the NUM node, or NULL with *kept set when it must stay a power.
 */
static const gb_node *pow_exact(gb_ctx *ctx, mpq_srcptr q, mpq_srcptr e,
				bool *kept)
{
	mpz_srcptr en = mpq_numref(e), ed = mpq_denref(e);
	const gb_node *r = NULL;
	mpz_t a, b;
	mpq_t res;
	unsigned long root, ex;
	size_t bits;

	*kept = true;
	if (!mpz_fits_ulong_p(ed) || !mpz_fits_slong_p(en))
		return NULL;
	root = mpz_get_ui(ed);
	ex = (unsigned long)labs(mpz_get_si(en));
	if (mpq_sgn(q) == 0) {
		if (mpz_sgn(en) > 0) {
			*kept = false;
			return ctx->zero;
		}
		return NULL;		/* 0^-n: undefined, kept for eval */
	}
	if (mpq_sgn(q) < 0 && root % 2 == 0)
		return NULL;		/* even root of a negative: not real */
	/* Estimated size of the result, in bits. */
	bits = mpz_sizeinbase(mpq_numref(q), 2) + mpz_sizeinbase(mpq_denref(q), 2);
	if (ex && bits > ((size_t)ctx->limits.max_exp_digits * 3322u / 1000u) / ex)
		return NULL;
	if (root == 1 && ex == 1 && mpz_sgn(en) < 0) {
		/* q^-1 (every division by a number): the reciprocal, read
		 * in place from q's limbs (canonical as q is), with no GMP
		 * arithmetic or allocation */
		mpq_t inv;
		mpz_srcptr qn = mpq_numref(q), qd = mpq_denref(q);
		mp_size_t dn = (mp_size_t)mpz_size(qd);

		mpz_roinit_n(mpq_numref(inv), mpz_limbs_read(qd),
			     mpz_sgn(qn) < 0 ? -dn : dn);
		mpz_roinit_n(mpq_denref(inv), mpz_limbs_read(qn),
			     (mp_size_t)mpz_size(qn));
		*kept = false;
		return gb_num_q(ctx, inv);
	}
	mpz_inits(a, b, NULL);
	mpq_init(res);
	/* The root first: both numerator and denominator must be exact. */
	if (!mpz_root(a, mpq_numref(q), root) ||
	    !mpz_root(b, mpq_denref(q), root))
		goto out;
	mpz_pow_ui(a, a, ex);
	mpz_pow_ui(b, b, ex);
	if (mpz_sgn(en) < 0)
		mpz_swap(a, b);
	if (mpz_sgn(b) < 0) {
		mpz_neg(a, a);
		mpz_neg(b, b);
	}
	mpq_set_num(res, a);
	mpq_set_den(res, b);
	mpq_canonicalize(res);
	r = gb_num_q(ctx, res);
	*kept = false;
out:
	mpq_clear(res);
	mpz_clears(a, b, NULL);
	return r;
}

/*
 * base^ex with the exact rules:
 *   x^0 = 1, x^1 = x, 1^x = 1, numbers folded exactly when rational,
 *   (x^a)^n = x^(a n) and (x y)^n = x^n y^n for integer n,
 *   e^x = exp(x).
 */
const gb_node *gb_pow(gb_ctx *ctx, const gb_node *base, const gb_node *ex)
{
	const gb_node *args[2];

	if (!base || !ex)
		return NULL;
	if (gb_is_zero(ex))
		return ctx->one;
	if (gb_is_one(ex))
		return base;
	if (gb_is_one(base))
		return ctx->one;
	if (base->kind == GB_NUM && ex->kind == GB_NUM) {
		bool kept;
		const gb_node *r = pow_exact(ctx, base->u.q, ex->u.q, &kept);

		if (!kept)
			return r;
		if (ctx->oom)
			return NULL;
	}
	if (base->kind == GB_CONST && base->op == GB_CONST_E)
		return gb_call1(ctx, GB_FN_EXP, ex);
	if (is_exp_num(base) && ex->kind == GB_NUM)	/* exp(q)^r = exp(q r) */
		return gb_call1(ctx, GB_FN_EXP, gb_mul2(ctx, base->arg[0], ex));
	if (gb_is_integer(ex) && base->kind == GB_POW)
		return gb_pow(ctx, base->arg[0], gb_mul2(ctx, base->arg[1], ex));
	if (gb_is_integer(ex) && base->kind == GB_MUL && gb_is_scalar(base)) {
		const gb_node **v;
		const gb_node *r;

		v = gb_mem_alloc(&ctx->mem, base->nargs * sizeof *v);
		if (!v)
			return gb_ctx_oom(ctx);
		for (size_t i = 0; i < base->nargs; i++)
			v[i] = gb_pow(ctx, base->arg[i], ex);
		r = gb_mul(ctx, base->nargs, v);
		gb_mem_free(&ctx->mem, v);
		return r;
	}
	args[0] = base;
	args[1] = ex;
	return gb_intern(ctx, GB_POW, 0, 0, NULL, base->shape, 2, args);
}

const gb_node *gb_pow_si(gb_ctx *ctx, const gb_node *base, long ex)
{
	return gb_pow(ctx, base, gb_num_si(ctx, ex));
}

/* ----------------------------------------------------------------- calls */

/* Numeric value of a comparison between two numbers. */
static bool cmp_holds(gb_op op, int c)
{
	switch (op) {
	case GB_OP_LT:
		return c < 0;
	case GB_OP_LE:
		return c <= 0;
	case GB_OP_GT:
		return c > 0;
	case GB_OP_GE:
		return c >= 0;
	case GB_OP_EQ:
		return c == 0;
	case GB_OP_NE:
		return c != 0;
	default:
		return false;
	}
}

/* max/min: flatten, fold the numbers into one, drop duplicates, sort. */
static const gb_node *minmax(gb_ctx *ctx, gb_fn fn, size_t n,
			     const gb_node *const *args)
{
	nodevec v;
	const gb_node *best = NULL, *r;
	size_t i, j, k;

	nv_init(&v, ctx);
	for (i = 0; i < n; i++) {
		const gb_node *a = args[i];
		bool nested = a->kind == GB_CALL && a->fn == fn;
		size_t m = nested ? a->nargs : 1;

		for (j = 0; j < m; j++) {
			const gb_node *x = nested ? a->arg[j] : a;

			if (x->kind == GB_NUM) {
				int c = best ? mpq_cmp(x->u.q, best->u.q) : 0;

				if (!best || (fn == GB_FN_MAX ? c > 0 : c < 0))
					best = x;
			} else {
				nv_push(&v, x);
			}
		}
	}
	if (best)
		nv_push(&v, best);
	if (v.failed) {
		nv_free(&v);
		return gb_ctx_oom(ctx);
	}
	if (v.n > 1)
		qsort(v.v, v.n, sizeof *v.v, cmp_nodes);
	for (i = k = 0; i < v.n; i++)
		if (!k || v.v[i] != v.v[k - 1])
			v.v[k++] = v.v[i];
	r = k == 1 ? v.v[0] :
	    gb_intern(ctx, GB_CALL, 0, fn, NULL, scalar, k, v.v);
	nv_free(&v);
	return r;
}

/*
 * f(args) with the exact evaluations that need no approximation:
 * exp(0) = 1, exp(1) = e, log(1) = 0, log(exp(x)) = x (x real), sin(0) = 0,
 * cos(0) = 1, tanh(0) = sinh(0) = 0, sigmoid(0) = 1/2, relu, abs and
 * sign of numbers, max/min flattened; sqrt(u) is built as u^(1/2).
 */
/*
 * The matrix functions of functions.def (not element-wise): the shape of
 * the result, and the identities that need no evaluation:
 *   sum(a) = tr(a) = diag(a) = a for a scalar a, ones(1) = eye(1) = 1;
 *   sum: a scalar; tr: a scalar; diag: vector n x 1 -> n x n, square
 *   matrix n x n -> n x 1; ones(m[, n]): m x 1 (m x n); eye(n): n x n,
 *   where m, n are dimensions (numbers or dimension symbols, see
 *   core/shape.h). Shapes were checked by lower.c.
 */
static const gb_node *matfn(gb_ctx *ctx, gb_fn fn, size_t n,
			    const gb_node *const *args)
{
	gb_shape s = scalar;
	const gb_node *a = args[0];

	switch (fn) {
	case GB_FN_SUM:
	case GB_FN_TR:
		if (gb_is_scalar(a))
			return a;
		break;
	case GB_FN_DIAG:
		if (gb_is_scalar(a))
			return a;
		s.rows = a->shape.rows;
		s.cols = a->shape.cols == 1 ? a->shape.rows : 1;
		break;
	case GB_FN_ONES:
	case GB_FN_EYE:
		s.rows = gb_dim_of_node(a);
		s.cols = fn == GB_FN_EYE ? s.rows :
			 n > 1 ? gb_dim_of_node(args[1]) : 1;
		if (!s.rows || !s.cols)
			return NULL;	/* lower.c diagnosed it */
		if (s.rows == 1 && s.cols == 1)
			return ctx->one;
		break;
	default:
		break;
	}
	return gb_intern(ctx, GB_CALL, 0, fn, NULL, s, n, args);
}

const gb_node *gb_call(gb_ctx *ctx, gb_fn fn, size_t n,
		       const gb_node *const *args)
{
	const gb_node *a;

	if (any_null(n, args) || ctx->oom)
		return NULL;
	if (fn >= GB_FN_SUM && fn <= GB_FN_EYE)
		return matfn(ctx, fn, n, args);
	if (fn == GB_FN_MAX || fn == GB_FN_MIN)
		return minmax(ctx, fn, n, args);
	a = args[0];
	/* sqrt(u) is u^(1/2), so that sqrt(2)^2 = 2 and sqrt(x)/x = x^(-1/2);
	 * the printers write it sqrt(u) */
	if (fn == GB_FN_SQRT)
		return gb_pow(ctx, a, ctx->half);
	if (n == 1 && a->kind == GB_NUM) {
		int s = mpq_sgn(a->u.q);

		switch (fn) {
		case GB_FN_EXP:
			if (gb_is_one(a))	/* exp(1) is the constant e */
				return ctx->e;
			/* fall through */
		case GB_FN_COS:
		case GB_FN_COSH:
			if (s == 0)
				return ctx->one;
			break;
		case GB_FN_LOG:
			if (gb_is_one(a))
				return ctx->zero;
			break;
		case GB_FN_SIN:
		case GB_FN_TAN:
		case GB_FN_SINH:
		case GB_FN_TANH:
		case GB_FN_ASIN:
		case GB_FN_ATAN:
		case GB_FN_ASINH:
		case GB_FN_ATANH:
		case GB_FN_ERF:
			if (s == 0)
				return ctx->zero;
			break;
		case GB_FN_ERFC:
			if (s == 0)
				return ctx->one;
			break;
		case GB_FN_SIGMOID:
			if (s == 0)
				return ctx->half;
			break;
		case GB_FN_ABS:
			return s < 0 ? gb_neg(ctx, a) : a;
		case GB_FN_SIGN:
			return gb_num_si(ctx, s);
		case GB_FN_RELU:
			return s < 0 ? ctx->zero : a;
		default:
			break;
		}
	}
	if (fn == GB_FN_LOG && a->kind == GB_CALL && a->fn == GB_FN_EXP &&
	    gb_is_scalar(a))
		return a->arg[0];
	return gb_intern(ctx, GB_CALL, 0, fn, NULL, a->shape, n, args);
}

const gb_node *gb_call1(gb_ctx *ctx, gb_fn fn, const gb_node *a)
{
	return gb_call(ctx, fn, 1, &a);
}

/* ------------------------------------------------------------ conditions */

/* The comparison that holds when a op b holds, with the sides swapped. */
static gb_op flip(gb_op op)
{
	switch (op) {
	case GB_OP_LT:
		return GB_OP_GT;
	case GB_OP_LE:
		return GB_OP_GE;
	case GB_OP_GT:
		return GB_OP_LT;
	case GB_OP_GE:
		return GB_OP_LE;
	default:
		return op;	/* == and != are symmetric */
	}
}

const gb_node *gb_true(gb_ctx *ctx)
{
	const gb_node *args[2] = { ctx->zero, ctx->zero };

	return gb_intern(ctx, GB_CMP, GB_OP_EQ, 0, NULL, scalar, 2, args);
}

const gb_node *gb_false(gb_ctx *ctx)
{
	const gb_node *args[2] = { ctx->zero, ctx->zero };

	return gb_intern(ctx, GB_CMP, GB_OP_NE, 0, NULL, scalar, 2, args);
}

/*
 * The product a without its factors of known strict sign (parameters
 * declared > 0 or < 0), flipping *op once per negative one; a itself
 * when there are none.
 */
static const gb_node *signed_factors_out(gb_ctx *ctx, const gb_node *a,
					 gb_op *op)
{
	const gb_node **v;
	const gb_node *r;
	size_t k = 0;

	v = gb_mem_alloc(&ctx->mem, a->nargs * sizeof *v);
	if (!v)
		return gb_ctx_oom(ctx);
	for (uint32_t i = 0; i < a->nargs; i++) {
		const gb_node *f = a->arg[i];
		int sg = f->kind == GB_SYM ? f->u.sym->sign : 0;

		/* p^k for a signed p and an integer k: sign p^k = (sign p)^k */
		if (f->kind == GB_POW && f->arg[0]->kind == GB_SYM &&
		    gb_is_integer(f->arg[1])) {
			sg = f->arg[0]->u.sym->sign;
			if (sg == -1 && mpz_even_p(mpq_numref(f->arg[1]->u.q)))
				sg = 1;
		}
		if (sg == 1 || sg == -1) {
			if (sg < 0)
				*op = flip(*op);
			continue;
		}
		v[k++] = f;
	}
	r = k == a->nargs ? a : gb_mul(ctx, k, v);
	gb_mem_free(&ctx->mem, v);
	return r;
}

static const gb_node *decided(gb_ctx *ctx, bool holds)
{
	return holds ? gb_true(ctx) : gb_false(ctx);
}

/*
 * f(u) op c for an increasing function f and a number c: decided when c
 * is outside f's range, else u op f^-1(c). Returns NULL when f is not
 * handled here (and then *handled is false). Exact: f is increasing and
 * defined on all of R for every f treated, so the equivalence holds for
 * every real u.
 *
 *   f        range          f^-1(c)
 *   exp      (0, inf)       log(c)
 *   sigmoid  (0, 1)         log(c / (1 - c))
 *   softplus (0, inf)       log(exp(c) - 1)
 *   tanh     (-1, 1)        atanh(c)
 *   sinh     R              asinh(c)
 *   asinh    R              sinh(c)
 *   erf, atan (-1, 1), (-pi/2, pi/2): only c = 0 is inverted (f(0) = 0)
 */
static const gb_node *cmp_monotone(gb_ctx *ctx, gb_op op, const gb_node *a,
				   const gb_node *c, bool *handled)
{
	const gb_node *u = a->arg[0], *inv = NULL;
	mpq_srcptr q = c->u.q;
	int below = 0;		/* c below the range (1), above (-1), inside (0) */

	*handled = true;
	switch (a->fn) {
	case GB_FN_EXP:
	case GB_FN_SOFTPLUS:
		if (mpq_sgn(q) <= 0)
			below = 1;
		else
			inv = a->fn == GB_FN_EXP ? gb_call1(ctx, GB_FN_LOG, c) :
			      gb_call1(ctx, GB_FN_LOG, gb_sub(ctx,
					gb_call1(ctx, GB_FN_EXP, c), ctx->one));
		break;
	case GB_FN_SIGMOID:
		if (mpq_sgn(q) <= 0)
			below = 1;
		else if (mpq_cmp_si(q, 1, 1) >= 0)
			below = -1;
		else
			inv = gb_call1(ctx, GB_FN_LOG,
				       gb_div(ctx, c, gb_sub(ctx, ctx->one, c)));
		break;
	case GB_FN_TANH:
		if (mpq_cmp_si(q, -1, 1) <= 0)
			below = 1;
		else if (mpq_cmp_si(q, 1, 1) >= 0)
			below = -1;
		else
			inv = gb_call1(ctx, GB_FN_ATANH, c);
		break;
	case GB_FN_SINH:
		inv = gb_call1(ctx, GB_FN_ASINH, c);
		break;
	case GB_FN_ASINH:
		inv = gb_call1(ctx, GB_FN_SINH, c);
		break;
	case GB_FN_ERF:
	case GB_FN_ATAN:
		if (mpq_sgn(q) != 0) {
			*handled = false;
			return NULL;
		}
		inv = ctx->zero;
		break;
	default:
		*handled = false;
		return NULL;
	}
	if (below) {
		/* f(u) > c for every u when c is below the range, ... */
		bool gt = op == GB_OP_GT || op == GB_OP_GE;
		bool lt = op == GB_OP_LT || op == GB_OP_LE;

		if (op == GB_OP_EQ)
			return gb_false(ctx);
		if (op == GB_OP_NE)
			return gb_true(ctx);
		return decided(ctx, below > 0 ? gt : lt);
	}
	return gb_cmp(ctx, op, u, inv);
}

/*
 * max(n, rest) op c and min(n, rest) op c with a number n, and relu and
 * abs, rewritten into conditions on their arguments:
 *   max(n, r) > c  =  n > c or r > c     max(n, r) < c  =  n < c and r < c
 *   min(n, r) > c  =  n > c and r > c    min(n, r) < c  =  n < c or r < c
 * with the part about n decided at once; |u| < c = u > -c and u < c.
 */
static const gb_node *cmp_minmax(gb_ctx *ctx, gb_op op, const gb_node *a,
				 const gb_node *c, bool *handled)
{
	const gb_node *n, *r, *v[2];
	bool is_max, upper, nh;

	*handled = false;
	if (op != GB_OP_LT && op != GB_OP_LE && op != GB_OP_GT && op != GB_OP_GE)
		return NULL;
	upper = op == GB_OP_LT || op == GB_OP_LE;	/* a bound from above */
	if (a->fn == GB_FN_ABS) {
		*handled = true;
		v[0] = gb_cmp(ctx, upper ? flip(op) : op == GB_OP_GT ?
			      GB_OP_LT : GB_OP_LE, a->arg[0], gb_neg(ctx, c));
		v[1] = gb_cmp(ctx, op, a->arg[0], c);
		return upper ? gb_and(ctx, 2, v) : gb_or(ctx, 2, v);
	}
	if (a->fn == GB_FN_RELU) {
		n = ctx->zero;
		r = a->arg[0];
		is_max = true;
	} else if ((a->fn == GB_FN_MAX || a->fn == GB_FN_MIN) &&
		   a->arg[0]->kind == GB_NUM) {
		n = a->arg[0];
		r = a->nargs == 2 ? a->arg[1] :
		    gb_intern(ctx, GB_CALL, 0, a->fn, NULL, a->shape,
			      a->nargs - 1, a->arg + 1);
		is_max = a->fn == GB_FN_MAX;
	} else {
		return NULL;
	}
	*handled = true;
	if (!r)
		return NULL;
	nh = cmp_holds(op, mpq_cmp(n->u.q, c->u.q));
	/* max with a lower bound, min with an upper: an "or" */
	if (is_max != upper)
		return nh ? gb_true(ctx) : gb_cmp(ctx, op, r, c);
	return nh ? gb_cmp(ctx, op, r, c) : gb_false(ctx);
}

/*
 * a op b, normalised so that equal conditions are equal nodes:
 *   - two numbers are decided: the result is gb_true or gb_false;
 *   - a number goes to the right: 0 < x becomes x > 0;
 *   - with a number c on the right, the constant of the left side moves
 *     over and a numeric coefficient k divides out (flipping the
 *     comparison when k < 0): 2x - 2 < 0 becomes x < 1;
 *   - against 0, a factor that is a parameter declared positive
 *     (negative) divides out: alpha*u > 0 becomes u > 0 for alpha > 0;
 *   - increasing functions are inverted (cmp_monotone) and max, min,
 *     relu and abs split (cmp_minmax): exp(x/alpha) > 1 becomes x > 0,
 *     max(0, x) < 6 becomes x < 6.
 * These steps are exact for real values.
 */
/* The number of terms of a sum, 1 for any other nonzero node. */
static size_t nterms(const gb_node *n)
{
	return n->kind == GB_ADD ? n->nargs : !gb_is_zero(n);
}

const gb_node *gb_cmp(gb_ctx *ctx, gb_op op, const gb_node *a,
		      const gb_node *b)
{
	const gb_node *args[2];

	if (!a || !b)
		return NULL;
	if (a->kind == GB_NUM && b->kind != GB_NUM) {
		const gb_node *t = a;

		a = b;
		b = t;
		op = flip(op);
	}
	if (a->kind == GB_NUM && b->kind == GB_NUM)
		return cmp_holds(op, mpq_cmp(a->u.q, b->u.q)) ?
		       gb_true(ctx) : gb_false(ctx);
	if (a == b)	/* u op u: decided as 0 op 0 */
		return cmp_holds(op, 0) ? gb_true(ctx) : gb_false(ctx);
	if (b->kind != GB_NUM && gb_is_scalar(a) && gb_is_scalar(b)) {
		/* a op b is a - b op 0 when a - b is one term or a
		 * number: x > 2x is -x > 0, that is x < 0; x + 1 > x
		 * holds. x > y and x + y < 3x stay as they are written. */
		const gb_node *d = gb_sub(ctx, a, b);

		if (!d)
			return NULL;
		if (nterms(d) <= 1)
			return gb_cmp(ctx, op, d, ctx->zero);
	}
	if (b->kind == GB_NUM) {
		mpq_srcptr k;
		const gb_node *rest;

		if (a->kind == GB_ADD && a->arg[0]->kind == GB_NUM) {
			b = gb_sub(ctx, b, a->arg[0]);
			a = gb_sub(ctx, a, a->arg[0]);
			if (!a || !b)
				return NULL;
		}
		gb_split_coeff(ctx, a, &k, &rest);
		if (!rest)
			return NULL;
		if (mpq_cmp_si(k, 1, 1) != 0 && rest != ctx->one) {
			const gb_node *kn = gb_num_q(ctx, k);

			if (mpq_sgn(k) < 0)
				op = flip(op);
			b = gb_div(ctx, b, kn);
			a = rest;
			if (!b)
				return NULL;
		}
		if (a->kind == GB_NUM)	/* the constants moved over */
			return gb_cmp(ctx, op, a, b);
		if (gb_is_zero(b) && a->kind == GB_MUL) {
			const gb_node *r = signed_factors_out(ctx, a, &op);

			if (!r)
				return NULL;
			if (r != a)
				return gb_cmp(ctx, op, r, b);
		}
		if (a->kind == GB_CALL && a->nargs >= 1 && gb_is_scalar(a)) {
			bool handled;
			const gb_node *r = a->nargs == 1 ?
				cmp_monotone(ctx, op, a, b, &handled) : NULL;

			if (a->nargs == 1 && handled)
				return r;
			r = cmp_minmax(ctx, op, a, b, &handled);
			if (handled)
				return r;
		}
	}
	args[0] = a;
	args[1] = b;
	return gb_intern(ctx, GB_CMP, op, 0, NULL, scalar, 2, args);
}

/* Decides a comparison of two numbers: 1 true, 0 false, -1 unknown. */
int gb_cond_value(const gb_node *c)
{
	if (c->kind == GB_CMP && c->arg[0]->kind == GB_NUM &&
	    c->arg[1]->kind == GB_NUM)
		return cmp_holds((gb_op)c->op,
				 mpq_cmp(c->arg[0]->u.q, c->arg[1]->u.q));
	return -1;
}

/* A bound on one expression: u op c with c a number (op not !=). */
static bool is_bound(const gb_node *c)
{
	return c && c->kind == GB_CMP && c->arg[1]->kind == GB_NUM &&
	       c->op != GB_OP_NE;
}

static bool is_lower(gb_op op)
{
	return op == GB_OP_GT || op == GB_OP_GE;
}

/*
 * Two bounds on the same u, joined by AND (conj) or OR. Returns 0 when
 * both are needed, 1 when a alone is equivalent, 2 when b alone is, 3
 * when the junction is decided (*holds tells how).
 *   AND: of two lower bounds the tighter, of two upper bounds the
 *        tighter; a lower above an upper bound is false; u == c keeps
 *        itself when it satisfies the other bound, else false.
 *   OR:  the duals: the looser bound; a lower bound below an upper one
 *        covers every u (true); u == c is absorbed by a bound it meets.
 */
static int merge_bounds(const gb_node *a, const gb_node *b, bool conj,
			bool *holds)
{
	gb_op oa = (gb_op)a->op, ob = (gb_op)b->op;
	int c = mpq_cmp(a->arg[1]->u.q, b->arg[1]->u.q);

	if (oa == GB_OP_EQ || ob == GB_OP_EQ) {
		const gb_node *eq = oa == GB_OP_EQ ? a : b;
		const gb_node *o = eq == a ? b : a;
		bool meets = cmp_holds((gb_op)o->op, mpq_cmp(eq->arg[1]->u.q,
							     o->arg[1]->u.q));

		if (conj) {
			if (meets)
				return eq == a ? 1 : 2;
			*holds = false;
			return 3;
		}
		return meets ? (o == a ? 1 : 2) : 0;
	}
	if (is_lower(oa) == is_lower(ob)) {
		/* same direction: which is tighter? */
		bool a_tighter = is_lower(oa) ? (c > 0 || (c == 0 && oa == GB_OP_GT))
					     : (c < 0 || (c == 0 && oa == GB_OP_LT));

		return a_tighter == conj ? 1 : 2;
	} else {
		const gb_node *lo = is_lower(oa) ? a : b, *hi = lo == a ? b : a;
		int d = mpq_cmp(lo->arg[1]->u.q, hi->arg[1]->u.q);
		bool lo_strict = lo->op == GB_OP_GT, hi_strict = hi->op == GB_OP_LT;

		/* u > a and u < b is empty when a > b, or a == b and either
		 * is strict; u > a or u < b covers R when a < b, or a == b and
		 * not both are strict */
		if (conj && (d > 0 || (d == 0 && (lo_strict || hi_strict)))) {
			*holds = false;
			return 3;
		}
		if (!conj && (d < 0 || (d == 0 && !(lo_strict && hi_strict)))) {
			*holds = true;		/* the two rays cover R */
			return 3;
		}
		return 0;
	}
}

/* Merges the bounds on a common expression in v[0..n); returns the new
 * count, or SIZE_MAX when the junction is decided (*holds). */
static size_t merge_all_bounds(const gb_node **v, size_t n, bool conj,
			       bool *holds)
{
	size_t i, j, k;

	for (i = 0; i < n; i++)
		for (j = i + 1; v[i] && j < n; j++) {
			int m;

			if (!v[j] || !is_bound(v[i]) || !is_bound(v[j]) ||
			    v[i]->arg[0] != v[j]->arg[0])
				continue;
			m = merge_bounds(v[i], v[j], conj, holds);
			if (m == 3)
				return SIZE_MAX;
			if (m == 1)
				v[j] = NULL;
			else if (m == 2)
				v[i] = NULL;
		}
	for (i = k = 0; i < n; i++)
		if (v[i])
			v[k++] = v[i];
	return k;
}

/*
 * Conjunction (AND) or disjunction (OR): flattened, decided parts folded
 * (true and c = c, false and c = false, ...), duplicates dropped, bounds
 * on the same expression merged (x > -3 and x > 3 is x > 3; x < 0 and
 * x > 0 is false), sorted.
 */
static const gb_node *junction(gb_ctx *ctx, gb_kind kind, size_t n,
			       const gb_node *const *args)
{
	const gb_node *unit = kind == GB_AND ? gb_true(ctx) : gb_false(ctx);
	const gb_node *zero = kind == GB_AND ? gb_false(ctx) : gb_true(ctx);
	nodevec v;
	const gb_node *r;
	size_t i, k;

	if (any_null(n, args) || !unit || !zero)
		return NULL;
	nv_init(&v, ctx);
	for (i = 0; i < n; i++) {
		if (args[i] == zero) {
			nv_free(&v);
			return zero;
		}
		if (args[i] == unit)
			continue;
		if (args[i]->kind == kind)
			for (k = 0; k < args[i]->nargs; k++)
				nv_push(&v, args[i]->arg[k]);
		else
			nv_push(&v, args[i]);
	}
	if (v.failed) {
		nv_free(&v);
		return gb_ctx_oom(ctx);
	}
	if (v.n > 1)
		qsort(v.v, v.n, sizeof *v.v, cmp_nodes);
	for (i = k = 0; i < v.n; i++)
		if (!k || v.v[i] != v.v[k - 1])
			v.v[k++] = v.v[i];
	{
		bool holds = false;
		size_t m = merge_all_bounds(v.v, k, kind == GB_AND, &holds);

		if (m == SIZE_MAX) {
			nv_free(&v);
			return holds ? gb_true(ctx) : gb_false(ctx);
		}
		k = m;
	}
	r = k == 0 ? unit : k == 1 ? v.v[0] :
	    gb_intern(ctx, kind, 0, 0, NULL, scalar, k, v.v);
	nv_free(&v);
	return r;
}

const gb_node *gb_and(gb_ctx *ctx, size_t n, const gb_node *const *args)
{
	return junction(ctx, GB_AND, n, args);
}

const gb_node *gb_or(gb_ctx *ctx, size_t n, const gb_node *const *args)
{
	return junction(ctx, GB_OR, n, args);
}

/*
 * Flattens nested piecewise values of args into v (see gb_piecewise);
 * v has an otherwise-value when its length is odd.
 *   (c: piecewise(d1: w1, .., [otherwise: w]))  ->  (c and d1: w1, ..,
 *   [c: w]), allowed when the inner one has an otherwise-value or when
 *   this is the last branch with no outer otherwise (else a point where
 *   c holds and no d_j does would fall through to later branches);
 *   otherwise: piecewise(...)  ->  its branches appended.
 */
static void flatten_branches(gb_ctx *ctx, size_t n, const gb_node *const *args,
			     nodevec *v)
{
	size_t npairs = n / 2;
	bool other = n % 2 == 1;

	for (size_t p = 0; p < npairs; p++) {
		const gb_node *c = args[2 * p], *w = args[2 * p + 1];
		bool last = p + 1 == npairs && !other;

		if (w->kind == GB_PIECEWISE && w->nargs > 0 &&
		    (w->nargs % 2 == 1 || last)) {
			for (uint32_t j = 0; j + 1 < w->nargs; j += 2) {
				const gb_node *cd[2] = { c, w->arg[j] };

				nv_push(v, gb_and(ctx, 2, cd));
				nv_push(v, w->arg[j + 1]);
			}
			if (w->nargs % 2 == 1) {
				nv_push(v, c);
				nv_push(v, w->arg[w->nargs - 1]);
			}
		} else {
			nv_push(v, c);
			nv_push(v, w);
		}
	}
	if (!other)
		return;
	if (args[n - 1]->kind == GB_PIECEWISE && args[n - 1]->nargs > 0) {
		const gb_node *o = args[n - 1];

		for (uint32_t j = 0; j < o->nargs; j++)
			nv_push(v, o->arg[j]);
		return;
	}
	nv_push(v, args[n - 1]);
}

/*
 * Drops the branches of args whose condition is decided false and ends
 * the list at a branch decided true (its value becomes the
 * otherwise-value). Returns whether the result has an otherwise-value.
 */
static bool filter_branches(size_t n, const gb_node *const *args, nodevec *v)
{
	bool has_other = n % 2 == 1;

	for (size_t i = 0; i + 1 < n; i += 2) {
		int cv = gb_cond_value(args[i]);

		if (cv == 0)
			continue;
		if (cv == 1) {
			nv_push(v, args[i + 1]);
			return true;
		}
		nv_push(v, args[i]);
		nv_push(v, args[i + 1]);
	}
	if (has_other)
		nv_push(v, args[n - 1]);
	return has_other;
}

/*
 * piecewise: branches decided false are dropped and one decided true
 * ends the list (filter_branches); nested piecewise values are flattened
 * (flatten_branches), repeatedly, since each step can enable the other.
 * With only an otherwise-value left, or when every value and the
 * otherwise-value are the same node, the result is that value.
 */
const gb_node *gb_piecewise(gb_ctx *ctx, size_t n,
			    const gb_node *const *args)
{
	nodevec f, v;
	const gb_node *r;
	size_t i;
	bool has_other, all_same = true;
	gb_shape shape = scalar;

	if (any_null(n, args) || ctx->oom)
		return NULL;
	nv_init(&f, ctx);
	nv_init(&v, ctx);
	has_other = filter_branches(n, args, &v);
	for (;;) {
		if (v.failed || any_null(v.n, v.v))
			goto fail;
		f.n = 0;
		flatten_branches(ctx, v.n, v.v, &f);
		if (f.failed || any_null(f.n, f.v))
			goto fail;
		/* (no memcmp of NULL vectors when no branch is left) */
		if (f.n == v.n && (!f.n || !memcmp(f.v, v.v, f.n * sizeof *f.v)))
			break;		/* nothing nested is left */
		v.n = 0;
		has_other = filter_branches(f.n, f.v, &v);
	}
	for (i = 1; i < v.n; i += 2)
		if (v.v[i] != v.v[v.n - 1])
			all_same = false;
	for (i = 1; i < v.n; i += 2)
		shape = wider(shape, v.v[i]->shape);
	if (has_other)
		shape = wider(shape, v.v[v.n - 1]->shape);
	if (has_other && all_same)
		r = v.v[v.n - 1];
	else if (v.n == 0)	/* no branch can hold: keep an empty piecewise */
		r = gb_intern(ctx, GB_PIECEWISE, 0, 0, NULL, scalar, 0, NULL);
	else
		r = gb_intern(ctx, GB_PIECEWISE, 0, 0, NULL, shape, v.n, v.v);
	nv_free(&f);
	nv_free(&v);
	return r;
fail:
	nv_free(&f);
	nv_free(&v);
	return ctx->oom ? NULL : gb_ctx_oom(ctx);
}

/* ----------------------------------------------------- matrix calculus */

const gb_node *gb_matrix(gb_ctx *ctx, uint32_t rows, uint32_t cols,
			 const gb_node *const *entries)
{
	gb_shape s = { rows, cols };

	if (any_null((size_t)rows * cols, entries))
		return NULL;
	if (rows == 1 && cols == 1)
		return entries[0];
	return gb_intern(ctx, GB_MATRIX, 0, 0, NULL, s, (size_t)rows * cols,
			 entries);
}

/* A B; a scalar factor makes it an ordinary (commutative) product. */
const gb_node *gb_matmul(gb_ctx *ctx, const gb_node *a, const gb_node *b)
{
	const gb_node *args[2] = { a, b };
	gb_shape s;

	if (!a || !b)
		return NULL;
	if (gb_is_scalar(a) || gb_is_scalar(b))
		return gb_mul2(ctx, a, b);
	if (a->kind == GB_CALL && a->fn == GB_FN_EYE)	/* I B = B */
		return b;
	if (b->kind == GB_CALL && b->fn == GB_FN_EYE)	/* A I = A */
		return a;
	s.rows = a->shape.rows;
	s.cols = b->shape.cols;
	return gb_intern(ctx, GB_MATMUL, 0, 0, NULL, s, 2, args);
}

/* a ⊙ b: flattened and sorted like a product (it is commutative). */
const gb_node *gb_hadamard(gb_ctx *ctx, const gb_node *a, const gb_node *b)
{
	nodevec v;
	const gb_node *r;
	const gb_node *ab[2] = { a, b };

	if (!a || !b)
		return NULL;
	if (gb_is_scalar(a) || gb_is_scalar(b))
		return gb_mul2(ctx, a, b);
	nv_init(&v, ctx);
	for (size_t i = 0; i < 2; i++)
		if (ab[i]->kind == GB_HADAMARD)
			for (size_t k = 0; k < ab[i]->nargs; k++)
				nv_push(&v, ab[i]->arg[k]);
		else
			nv_push(&v, ab[i]);
	if (v.failed) {
		nv_free(&v);
		return gb_ctx_oom(ctx);
	}
	if (v.n > 1)
		qsort(v.v, v.n, sizeof *v.v, cmp_nodes);
	r = gb_intern(ctx, GB_HADAMARD, 0, 0, NULL, a->shape, v.n, v.v);
	nv_free(&v);
	return r;
}

/* a': (a')' = a, a scalar is its own transpose, literals are transposed. */
const gb_node *gb_transpose(gb_ctx *ctx, const gb_node *a)
{
	gb_shape s;

	if (!a)
		return NULL;
	if (gb_is_scalar(a))
		return a;
	if (a->kind == GB_TRANSPOSE)
		return a->arg[0];
	if (a->kind == GB_MATRIX) {
		const gb_node **v;
		const gb_node *r;
		uint32_t rows = a->shape.rows, cols = a->shape.cols;

		v = gb_mem_alloc(&ctx->mem, a->nargs * sizeof *v);
		if (!v)
			return gb_ctx_oom(ctx);
		for (uint32_t i = 0; i < rows; i++)
			for (uint32_t j = 0; j < cols; j++)
				v[(size_t)j * rows + i] = a->arg[(size_t)i * cols + j];
		r = gb_matrix(ctx, cols, rows, v);
		gb_mem_free(&ctx->mem, v);
		return r;
	}
	s.rows = a->shape.cols;
	s.cols = a->shape.rows;
	return gb_intern(ctx, GB_TRANSPOSE, 0, 0, NULL, s, 1, &a);
}
