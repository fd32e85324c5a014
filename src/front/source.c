/*
 * source.c - source texts and their line tables (see source.h).
 *
 * A source is copied into the context's arena once, NUL-terminated, and
 * indexed by the byte offset at which each line starts. Everything else
 * in the front end speaks in byte spans; only the diagnostic printer asks
 * for line and column, by binary search over that table.
 */
#include "front/source.h"

#include <string.h>

#include "front/diag.h"

/*
 * Copies text into the context and indexes its lines. Input longer than
 * ctx->limits.max_input is refused with a diagnostic that names no
 * source (there is none yet), so the caller can report and stop.
 */
gb_source *gb_source_new(gb_ctx *ctx, const char *name, const char *text,
			 size_t len)
{
	gb_source *src;
	char *copy, *name_copy;
	uint32_t *starts;
	uint32_t nlines = 1, n = 0;

	if (!name)
		name = "<input>";
	if (len > ctx->limits.max_input) {
		gb_error(ctx, NULL, (gb_span){ 0, 0 },
			 "input '%s' is too long: %zu bytes, the limit is %lu",
			 name, len, (unsigned long)ctx->limits.max_input);
		return NULL;
	}
	/* memchr: most sources are one line, and this runs per gb_parse */
	for (const char *p = text, *end = text + len;
	     (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
		nlines++;

	src = gb_ctx_alloc(ctx, sizeof *src);
	copy = gb_ctx_alloc(ctx, len + 1);
	name_copy = gb_ctx_alloc(ctx, strlen(name) + 1);
	starts = gb_ctx_alloc(ctx, (size_t)nlines * sizeof *starts);
	if (!src || !copy || !name_copy || !starts)
		return NULL;
	if (len)
		memcpy(copy, text, len);
	copy[len] = '\0';
	memcpy(name_copy, name, strlen(name) + 1);

	/* len <= max_input < 2^32, so every offset fits in uint32_t. */
	starts[n++] = 0;
	for (const char *p = copy, *end = copy + len;
	     (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
		starts[n++] = (uint32_t)(p - copy + 1);

	src->name = name_copy;
	src->text = copy;
	src->len = (uint32_t)len;
	src->line_start = starts;
	src->nlines = nlines;
	src->next = ctx->sources;
	ctx->sources = src;
	return src;
}

/* Line and column (both from 1, columns in bytes) of byte offset off. */
gb_linecol gb_source_locate(const gb_source *src, uint32_t off)
{
	uint32_t lo = 0, hi = src->nlines;	/* line_start[lo] <= off */

	if (off > src->len)
		off = src->len;
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (src->line_start[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	return (gb_linecol){ lo + 1, off - src->line_start[lo] + 1 };
}

/*
 * The text of a line without its terminator: the LF, and a CR just
 * before it (or a CR ending the text), are not part of the line.
 */
const char *gb_source_line(const gb_source *src, uint32_t line, uint32_t *len)
{
	uint32_t start, end;

	if (line < 1 || line > src->nlines) {
		*len = 0;
		return "";
	}
	start = src->line_start[line - 1];
	end = line < src->nlines ? src->line_start[line] - 1 : src->len;
	if (end > start && src->text[end - 1] == '\r')
		end--;
	*len = end - start;
	return src->text + start;
}

/* The smallest span covering both a and b (normally a precedes b). */
gb_span gb_span_join(gb_span a, gb_span b)
{
	uint32_t end_a = a.off + a.len, end_b = b.off + b.len;
	uint32_t start = a.off < b.off ? a.off : b.off;
	uint32_t end = end_a > end_b ? end_a : end_b;

	return (gb_span){ start, end - start };
}
