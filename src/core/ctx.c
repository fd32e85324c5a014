/*
 * ctx.c - creating and freeing a context; the nodes every module shares.
 */
#include "core/ctx.h"

#include <stdlib.h>
#include <string.h>

#include "core/build.h"

/*
 * Default limits. max_depth bounds every recursion over syntax and DAGs,
 * so it is chosen to fit the default 8 MiB C stack with room to spare even
 * under ASan's larger frames.
 */
static const gb_limits default_limits = {
	.max_depth = 4000,
	.max_nodes = 20000000,
	.max_input = 64u << 20,
	.max_exp_digits = 100000,
};

gb_ctx *gb_ctx_new(void)
{
	gb_ctx *ctx = calloc(1, sizeof *ctx);

	if (!ctx)
		return NULL;
	ctx->mem.fail_after = -1;
	ctx->limits = default_limits;
	gb_arena_init(&ctx->arena, &ctx->mem);
	gb_arena_init(&ctx->scratch, &ctx->mem);
	ctx->tmp = &ctx->arena;
	gb_memo_init(&ctx->memo, &ctx->mem);
	ctx->zero = gb_num_si(ctx, 0);
	ctx->one = gb_num_si(ctx, 1);
	ctx->minus_one = gb_num_si(ctx, -1);
	ctx->two = gb_num_si(ctx, 2);
	ctx->half = gb_num_frac(ctx, 1, 2);
	ctx->pi = gb_const(ctx, GB_CONST_PI);
	ctx->e = gb_const(ctx, GB_CONST_E);
	if (ctx->oom) {
		gb_ctx_free(ctx);
		return NULL;
	}
	return ctx;
}

void gb_ctx_free(gb_ctx *ctx)
{
	if (!ctx)
		return;
	for (size_t i = 0; i < ctx->nnums; i++)
		mpq_clear(ctx->nums[i]);
	gb_mem_free(&ctx->mem, ctx->nums);
	gb_mem_free(&ctx->mem, ctx->utab);
	gb_mem_free(&ctx->mem, ctx->stab);
	gb_mem_free(&ctx->mem, ctx->bind);
	gb_memo_free(&ctx->memo);
	gb_arena_free(&ctx->arena);
	gb_arena_free(&ctx->scratch);
	free(ctx);
}

void gb_free(void *p)
{
	free(p);
}

const gb_node *gb_ctx_oom(gb_ctx *ctx)
{
	ctx->oom = true;
	return NULL;
}

gb_status gb_ctx_status(const gb_ctx *ctx)
{
	if (ctx->oom)
		return GB_ENOMEM;
	if (ctx->too_big)
		return GB_ELIMIT;
	return GB_OK;
}

const char *gb_status_str(gb_status st)
{
	switch (st) {
	case GB_OK:
		return "ok";
	case GB_ESYNTAX:
		return "syntax error";
	case GB_ENAME:
		return "unknown name";
	case GB_ESHAPE:
		return "shape error";
	case GB_EDOMAIN:
		return "undefined";
	case GB_EUNSTABLE:
		return "precision limit reached";
	case GB_ELIMIT:
		return "limit exceeded";
	case GB_ENOMEM:
		return "out of memory";
	case GB_EUSAGE:
		return "usage error";
	}
	return "unknown status";
}
