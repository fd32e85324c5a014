/*
 * node.c - hash-consing (the unique table) and the structural order.
 *
 * The unique table maps the structure of a node (kind, operator, function,
 * payload, shape, child pointers) to the one node with that structure.
 * Because children are interned first, comparing a candidate is shallow:
 * O(arity), never a deep walk (CUDD's unique table, Lua's short strings).
 *
 * Hashes are computed from content only (symbol names, number limbs,
 * children's hashes), never from addresses, so they are the same on every
 * run; still, nothing is ever ordered by hash.
 */
#include "core/node.h"

#include <string.h>

#include "core/ctx.h"

/* 32-bit mixing step (from the murmur3 finaliser family). */
static uint32_t mix(uint32_t h, uint32_t v)
{
	v *= 0xcc9e2d51u;
	v = (v << 15) | (v >> 17);
	v *= 0x1b873593u;
	h ^= v;
	h = (h << 13) | (h >> 19);
	return h * 5 + 0xe6546b64u;
}

static uint32_t hash_mpz(uint32_t h, mpz_srcptr z)
{
	size_t n = mpz_size(z);

	h = mix(h, (uint32_t)mpz_sgn(z) + 7u);
	for (size_t i = 0; i < n; i++) {
		mp_limb_t l = mpz_getlimbn(z, (mp_size_t)i);

		h = mix(h, (uint32_t)l);
		h = mix(h, (uint32_t)((uint64_t)l >> 32));
	}
	return h;
}

/* The 64-bit key: the same content as hash_of, mixed differently. */
static uint64_t mix64(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15u + (h << 6) + (h >> 2);
	h ^= h >> 31;
	h *= 0x7fb5d329728ea185u;
	h ^= h >> 27;
	return h;
}

static uint64_t key_of(unsigned kind, unsigned op, unsigned fn,
		       const void *payload, gb_shape shape, size_t nargs,
		       const gb_node *const *args, uint32_t h32)
{
	uint64_t h = mix64(0x243f6a8885a308d3u, kind | op << 8 | fn << 16);

	h = mix64(h, (uint64_t)shape.rows << 32 | shape.cols);
	h = mix64(h, h32);	/* covers the payload (names, numbers) */
	(void)payload;
	for (size_t i = 0; i < nargs; i++)
		h = mix64(h, args[i]->key);
	return h;
}

static uint32_t hash_of(unsigned kind, unsigned op, unsigned fn,
			const void *payload, gb_shape shape, size_t nargs,
			const gb_node *const *args)
{
	uint32_t h = 0x9747b28cu;

	h = mix(h, kind | op << 8 | fn << 16);
	h = mix(h, shape.rows);
	h = mix(h, shape.cols);
	h = mix(h, (uint32_t)nargs);
	if (kind == GB_NUM) {
		mpq_srcptr q = payload;

		h = hash_mpz(h, mpq_numref(q));
		h = hash_mpz(h, mpq_denref(q));
	} else if (kind == GB_SYM) {
		h = mix(h, ((const gb_sym *)payload)->hash);
	}
	for (size_t i = 0; i < nargs; i++)
		h = mix(h, args[i]->hash);
	/* murmur3's finaliser: every input bit reaches the low bits that
	 * index the table (without it, linear probing clusters badly) */
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

static bool same(const gb_node *n, unsigned kind, unsigned op, unsigned fn,
		 const void *payload, gb_shape shape, size_t nargs,
		 const gb_node *const *args)
{
	if (n->kind != kind || n->op != op || n->fn != fn ||
	    n->nargs != nargs || n->shape.rows != shape.rows ||
	    n->shape.cols != shape.cols)
		return false;
	if (kind == GB_NUM && !mpq_equal(n->u.q, payload))
		return false;
	if (kind == GB_SYM && n->u.sym != payload)
		return false;
	for (size_t i = 0; i < nargs; i++)
		if (n->arg[i] != args[i])
			return false;
	return true;
}

/* Doubles the unique table; on failure the old table stays valid. */
static bool grow(gb_ctx *ctx)
{
	size_t cap = ctx->ucap ? 2 * ctx->ucap : 4096;
	/* a power of two: rounding for huge pages keeps it exact */
	size_t bytes = cap * sizeof(struct gb_uslot);
	struct gb_uslot *tab = gb_mem_alloc_large(&ctx->mem, &bytes);

	if (!tab)
		return false;
	memset(tab, 0, cap * sizeof *tab);
	for (size_t i = 0; i < ctx->ucap; i++) {
		size_t j;

		if (!ctx->utab[i].node)
			continue;
		/* the slot's copy of the hash: reading the node's would cost a
		 * cache miss per entry */
		for (j = ctx->utab[i].hash & (cap - 1); tab[j].node;
		     j = (j + 1) & (cap - 1))
			;
		tab[j] = ctx->utab[i];
	}
	gb_mem_free(&ctx->mem, ctx->utab);
	ctx->utab = tab;
	ctx->ucap = cap;
	return true;
}

/* A context-owned copy of q, cleared by gb_ctx_free. */
static mpq_ptr own_number(gb_ctx *ctx, mpq_srcptr q)
{
	mpq_ptr p;

	if (ctx->nnums == ctx->numcap) {
		size_t cap = ctx->numcap ? 2 * ctx->numcap : 256;
		mpq_ptr *nums = gb_mem_realloc(&ctx->mem, ctx->nums,
					       cap * sizeof *nums);

		if (!nums)
			return NULL;
		ctx->nums = nums;
		ctx->numcap = cap;
	}
	p = gb_ctx_alloc(ctx, sizeof *p);
	if (!p)
		return NULL;
	mpq_init(p);
	mpq_set(p, q);
	ctx->nums[ctx->nnums++] = p;
	return p;
}

/*
 * The cell of ctx->small_num for a scalar number q, or NULL when q is
 * not small (see ctx.h). q is canonical, as every NUM payload is.
 */
static const gb_node **small_num(gb_ctx *ctx, mpq_srcptr q)
{
	mpz_srcptr p = mpq_numref(q), d = mpq_denref(q);
	mp_limb_t pv, dv;

	if (mpz_size(p) > 1 || mpz_size(d) != 1)
		return NULL;
	pv = mpz_getlimbn(p, 0);
	dv = mpz_getlimbn(d, 0);
	if (pv > GB_SMALL_NUM || dv < 1 || dv > 8)
		return NULL;
	return &ctx->small_num[dv - 1][mpz_sgn(p) < 0 ?
				       GB_SMALL_NUM - pv : GB_SMALL_NUM + pv];
}

const gb_node *gb_intern(gb_ctx *ctx, gb_kind kind, unsigned op, unsigned fn,
			 const void *payload, gb_shape shape, size_t nargs,
			 const gb_node *const *args)
{
	uint32_t h;
	size_t mask, i, slot;
	gb_node *n;
	uint64_t size = 1;
	const gb_node **cell = NULL;

	if (ctx->oom || !gb_ctx_tick(ctx))
		return NULL;
	if (kind == GB_NUM && op == 0 && fn == 0 && nargs == 0 &&
	    shape.rows == 1 && shape.cols == 1) {
		cell = small_num(ctx, payload);
		if (cell && *cell)
			return *cell;	/* seen before: share it */
	}
	h = hash_of(kind, op, fn, payload, shape, nargs, args);
	if (4 * (ctx->uused + 1) > 3 * ctx->ucap && !grow(ctx))
		return gb_ctx_oom(ctx);
	mask = ctx->ucap - 1;
	for (i = h & mask; ctx->utab[i].node; i = (i + 1) & mask) {
		const gb_node *m = ctx->utab[i].node;

		if (ctx->utab[i].hash == h &&
		    same(m, kind, op, fn, payload, shape, nargs, args)) {
			if (cell)
				*cell = m;
			return m;	/* seen before: share it */
		}
	}
	slot = i;			/* the empty slot ending the probe */
	if (ctx->next_id - ctx->node_base >= ctx->limits.max_nodes ||
	    ctx->next_id == UINT32_MAX)
		return gb_ctx_limit(ctx, GB_LIMIT_NODES);
	if (nargs > UINT32_MAX)
		return gb_ctx_oom(ctx);
	n = gb_ctx_alloc(ctx, sizeof *n + nargs * sizeof n->arg[0]);
	if (!n)
		return NULL;
	n->hash = h;
	n->key = key_of(kind, op, fn, payload, shape, nargs, args, h);
	n->id = ctx->next_id++;
	n->kind = (uint8_t)kind;
	n->op = (uint8_t)op;
	n->fn = (uint16_t)fn;
	n->nargs = (uint32_t)nargs;
	n->shape = shape;
	n->u.q = NULL;
	if (kind == GB_NUM) {
		n->u.q = own_number(ctx, payload);
		if (!n->u.q)
			return gb_ctx_oom(ctx);
	} else if (kind == GB_SYM) {
		n->u.sym = payload;
	}
	for (i = 0; i < nargs; i++) {
		n->arg[i] = args[i];
		size += args[i]->size;
	}
	n->size = size > UINT32_MAX ? UINT32_MAX : (uint32_t)size;
	ctx->utab[slot].hash = h;
	ctx->utab[slot].node = n;
	ctx->uused++;
	if (cell)
		*cell = n;
	return n;
}

/* Functions are ordered by name, so exp < log < sigmoid < sin. */
static const char *const fn_names[GB_NFNS] = {
#define FN(id, name, lo, hi, latex, ev, d) name,
#include "functions.def"
#undef FN
};

/* Depth to which nodes are compared structurally (see node.h). */
enum { CMP_DEPTH = 3 };

static int cmp_depth(const gb_node *a, const gb_node *b, int depth);

static int cmp_args(const gb_node *a, const gb_node *b, int depth)
{
	size_t n = a->nargs < b->nargs ? a->nargs : b->nargs;

	for (size_t i = 0; i < n; i++) {
		int c = cmp_depth(a->arg[i], b->arg[i], depth + 1);

		if (c)
			return c;
	}
	return a->nargs < b->nargs ? -1 : a->nargs > b->nargs;
}

/*
 * The structural order: first by kind (numbers < constants < symbols <
 * calls < powers < products < sums < ...), then by payload (value, name,
 * function name), then children left to right; below CMP_DEPTH, by key.
 * Every step uses content only, so the order is the same in every run
 * and every context, and it is a total order (lexicographic on a finite
 * description of each node).
 */
static int cmp_depth(const gb_node *a, const gb_node *b, int depth)
{
	int c;

	if (a == b)
		return 0;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	switch (a->kind) {
	case GB_NUM:
		c = mpq_cmp(a->u.q, b->u.q);
		return c < 0 ? -1 : c > 0;
	case GB_SYM:
		return strcmp(a->u.sym->name, b->u.sym->name) < 0 ? -1 : 1;
	case GB_CALL:
		if (a->fn != b->fn)
			return strcmp(fn_names[a->fn], fn_names[b->fn]) < 0 ? -1 : 1;
		break;
	default:
		break;
	}
	if (a->op != b->op)
		return a->op < b->op ? -1 : 1;
	if (depth >= CMP_DEPTH) {
		if (a->key != b->key)
			return a->key < b->key ? -1 : 1;
	} else {
		c = cmp_args(a, b, depth);
		if (c)
			return c;
	}
	/* Same children: only the shape can differ (e.g. matrix literals). */
	if (a->shape.rows != b->shape.rows)
		return a->shape.rows < b->shape.rows ? -1 : 1;
	if (a->shape.cols != b->shape.cols)
		return a->shape.cols < b->shape.cols ? -1 : 1;
	return 0;	/* a 64-bit key collision: treated as equal */
}

int gb_node_cmp(const gb_node *a, const gb_node *b)
{
	return cmp_depth(a, b, 0);
}
