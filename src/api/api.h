/*
 * api.h - helpers shared by the files of the public façade (src/api/).
 */
#ifndef GB_API_H
#define GB_API_H

#include "gradbox.h"
#include "core/arena.h"

/* Installs what lowering needs from higher stages (the diff hook). */
void gb_api_prepare(gb_ctx *ctx);

/*
 * Parsing one expression: its syntax tree and lowering's temporaries go
 * to the scratch arena, reset when the outermost such parse ends.
 * begin returns the arena to restore; end restores it.
 */
gb_arena *gb_api_scratch_begin(gb_ctx *ctx);
void gb_api_scratch_end(gb_ctx *ctx, gb_arena *saved);

struct gb_ast;
struct gb_source;

/* A parser of one expression: the plain one or the LaTeX one. */
typedef struct gb_ast *(*gb_ast_parser)(gb_ctx *ctx,
					const struct gb_source *src);

/*
 * Parses text with `parse` (in the scratch arena) and lowers it: the
 * body of gb_parse and gb_parse_latex.
 */
gb_status gb_api_parse_with(gb_ctx *ctx, const char *name, const char *text,
			    size_t len, gb_ast_parser parse, const gb_node **out);

/* The context's sticky status if set, else fallback. */
gb_status gb_api_failed(gb_ctx *ctx, gb_status fallback);

#endif /* GB_API_H */
