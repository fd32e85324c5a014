/*
 * shape.c - dimensions that are numbers or names (see shape.h).
 */
#include "core/shape.h"

#include <stdio.h>

#include "core/build.h"
#include "core/ctx.h"

const gb_sym *gb_dim_sym(const gb_ctx *ctx, uint32_t d)
{
	uint32_t id = gb_dim_sym_id(d);

	if (!gb_dim_is_sym(d))
		return NULL;
	/* Symbols are found by name; by id only here, for messages and
	 * for ones(d): a linear scan of the (small) symbol table. */
	for (size_t i = 0; i < ctx->scap; i++)
		if (ctx->stab[i] && ctx->stab[i]->id == id)
			return ctx->stab[i];
	return NULL;
}

uint32_t gb_dim_value(const gb_ctx *ctx, uint32_t d)
{
	const gb_node *b;
	uint32_t id = gb_dim_sym_id(d);

	if (!gb_dim_is_sym(d))
		return d;
	b = id < ctx->nbind ? ctx->bind[id] : NULL;
	if (b && gb_is_integer(b) && mpq_sgn(b->u.q) > 0 &&
	    mpz_fits_uint_p(mpq_numref(b->u.q)))
		return (uint32_t)mpz_get_ui(mpq_numref(b->u.q));
	return 0;
}

bool gb_dim_eq(const gb_ctx *ctx, uint32_t a, uint32_t b)
{
	uint32_t va, vb;

	if (a == b)
		return true;
	va = gb_dim_value(ctx, a);
	vb = gb_dim_value(ctx, b);
	return va && va == vb;
}

bool gb_shape_eq(const gb_ctx *ctx, gb_shape a, gb_shape b)
{
	return gb_dim_eq(ctx, a.rows, b.rows) && gb_dim_eq(ctx, a.cols, b.cols);
}

static void dim_str(const gb_ctx *ctx, char *buf, size_t n, uint32_t d)
{
	const gb_sym *s = gb_dim_sym(ctx, d);

	if (s)
		snprintf(buf, n, "%.40s", s->name);
	else if (gb_dim_is_sym(d))
		snprintf(buf, n, "?");
	else
		snprintf(buf, n, "%u", (unsigned)d);
}

void gb_shape_str(const gb_ctx *ctx, char *buf, size_t n, gb_shape s)
{
	char r[48], c[48];

	if (s.rows == 1 && s.cols == 1) {
		snprintf(buf, n, "a scalar");
		return;
	}
	dim_str(ctx, r, sizeof r, s.rows);
	dim_str(ctx, c, sizeof c, s.cols);
	snprintf(buf, n, "%s\xc3\x97%s", r, c);
}

const gb_node *gb_dim_node(gb_ctx *ctx, uint32_t d)
{
	const gb_sym *s = gb_dim_sym(ctx, d);

	if (s)
		return gb_sym_node(ctx, s);
	return gb_num_si(ctx, (long)d);
}

uint32_t gb_dim_of_node(const gb_node *n)
{
	if (n->kind == GB_SYM && gb_is_scalar(n))
		return GB_DIM_SYM | n->u.sym->id;
	if (gb_is_integer(n) && mpq_sgn(n->u.q) > 0 &&
	    mpz_cmp_ui(mpq_numref(n->u.q), 100000) <= 0)
		return (uint32_t)mpz_get_ui(mpq_numref(n->u.q));
	return 0;
}
