/*
 * source.h - a source text and its line table.
 *
 * A location is a byte span {off, len} into a source; line and column are
 * computed only when a diagnostic is printed (binary search over the
 * line-start table, built once). Columns count bytes, from 1, as GCC does.
 */
#ifndef GB_SOURCE_H
#define GB_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "core/ctx.h"

typedef struct gb_span {
	uint32_t off;	/* byte offset of the first byte */
	uint32_t len;	/* byte length; 0 means "at this point" */
} gb_span;

typedef struct gb_source {
	const char *name;	/* "hw3.grad", "<expr>", "<command line>" */
	const char *text;	/* NUL-terminated copy owned by the context */
	uint32_t len;
	uint32_t *line_start;	/* byte offset of each line */
	uint32_t nlines;
	struct gb_source *next;	/* the context's list of sources */
} gb_source;

typedef struct gb_linecol {
	uint32_t line, col;	/* both from 1 */
} gb_linecol;

/*
 * Copies text into the context and indexes its lines. NULL when memory ran
 * out or the text is longer than ctx->limits.max_input (diagnosed).
 */
gb_source *gb_source_new(gb_ctx *ctx, const char *name, const char *text,
			 size_t len);

gb_linecol gb_source_locate(const gb_source *src, uint32_t off);

/* The text of line `line` (from 1), without its newline (or CR LF). */
const char *gb_source_line(const gb_source *src, uint32_t line, uint32_t *len);

/* The span from the start of a to the end of b. */
gb_span gb_span_join(gb_span a, gb_span b);

#endif /* GB_SOURCE_H */
