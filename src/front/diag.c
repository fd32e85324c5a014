/*
 * diag.c - diagnostics kept in the context and rendered GCC-style.
 *
 * A diagnostic is data: severity, source, byte span and message, stored
 * in the context's arena in the order reported. Line and column are
 * computed only here, when rendering:
 *
 *   name:line:col: error: message
 *      12 | the source line
 *         |     ^~~~~~~
 *
 * The caret line copies the tabs of the source line and skips UTF-8
 * continuation bytes, so the caret stands under the offending text in a
 * terminal even after a tab or a Greek letter.
 */
#include "front/diag.h"

#include <stdio.h>
#include <string.h>

#include "core/strbuf.h"

static const char *severity_name(gb_severity sev)
{
	switch (sev) {
	case GB_SEV_ERROR:
		return "error";
	case GB_SEV_WARNING:
		return "warning";
	case GB_SEV_NOTE:
		return "note";
	}
	return "error";
}

/*
 * Formats a message into the arena and makes a diagnostic of it. NULL
 * when memory ran out (ctx->oom is then set by gb_ctx_alloc).
 */
static gb_diag *diag_new(gb_ctx *ctx, gb_severity sev, const gb_source *src,
			 gb_span span, const char *fmt, va_list ap)
{
	gb_diag *d;
	char *msg;
	va_list aq;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		n = 0;
	d = gb_ctx_alloc(ctx, sizeof *d);
	msg = gb_ctx_alloc(ctx, (size_t)n + 1);
	if (!d || !msg)
		return NULL;
	vsnprintf(msg, (size_t)n + 1, fmt, ap);
	d->sev = sev;
	d->src = src;
	d->span = span;
	d->msg = msg;
	d->notes = NULL;
	d->next = NULL;
	return d;
}

/* Appends an error or a warning to the context's list. */
static void diag_add(gb_ctx *ctx, gb_severity sev, const gb_source *src,
		     gb_span span, const char *fmt, va_list ap)
{
	gb_diag *d;

	/* The count is sticky even when the text cannot be stored. */
	if (sev == GB_SEV_ERROR)
		ctx->nerrors++;
	d = diag_new(ctx, sev, src, span, fmt, ap);
	if (!d)
		return;
	if (ctx->diag_tail)
		ctx->diag_tail->next = d;
	else
		ctx->diag_head = d;
	ctx->diag_tail = d;
}

void gb_error(gb_ctx *ctx, const gb_source *src, gb_span span,
	      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_add(ctx, GB_SEV_ERROR, src, span, fmt, ap);
	va_end(ap);
}

void gb_warning(gb_ctx *ctx, const gb_source *src, gb_span span,
		const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_add(ctx, GB_SEV_WARNING, src, span, fmt, ap);
	va_end(ap);
}

/*
 * Attaches a note to the last diagnostic reported; with none to attach
 * to, the note stands on its own in the list.
 */
void gb_note(gb_ctx *ctx, const gb_source *src, gb_span span,
	     const char *fmt, ...)
{
	gb_diag *d, **link;
	va_list ap;

	va_start(ap, fmt);
	d = diag_new(ctx, GB_SEV_NOTE, src, span, fmt, ap);
	va_end(ap);
	if (!d)
		return;
	if (!ctx->diag_tail) {
		ctx->diag_head = ctx->diag_tail = d;
		return;
	}
	for (link = &ctx->diag_tail->notes; *link; link = &(*link)->next)
		;
	*link = d;
}

/* Longest stretch of a source line shown under a diagnostic, in bytes. */
enum { SHOW_MAX = 100 };

/* True for the bytes that continue a UTF-8 sequence (10xxxxxx). */
static int is_cont(char c)
{
	return ((unsigned char)c & 0xc0) == 0x80;
}

/*
 * Writes one diagnostic without its notes: the header line and, when it
 * has a source, the source line and the caret line.
 */
static void render_single(gb_strbuf *out, const gb_diag *d)
{
	const gb_source *src = d->src;
	gb_linecol at;
	const char *line;
	uint32_t line_len, i, end, ws = 0, we;

	if (!src) {
		gb_sb_printf(out, "gradbox: %s: %s\n", severity_name(d->sev),
			     d->msg);
		return;
	}
	at = gb_source_locate(src, d->span.off);
	line = gb_source_line(src, at.line, &line_len);
	gb_sb_printf(out, "%s:%lu:%lu: %s: %s\n", src->name,
		     (unsigned long)at.line, (unsigned long)at.col,
		     severity_name(d->sev), d->msg);

	/*
	 * A long line is shown as a window of SHOW_MAX bytes around the
	 * caret, cut at character boundaries and marked with "...".
	 */
	we = line_len;
	if (line_len > SHOW_MAX) {
		if (at.col > SHOW_MAX / 2)
			ws = at.col - 1 - SHOW_MAX / 2;
		while (ws > 0 && ws < line_len && is_cont(line[ws]))
			ws--;
		we = ws + SHOW_MAX < line_len ? ws + SHOW_MAX : line_len;
		while (we < line_len && is_cont(line[we]))
			we++;
	}
	gb_sb_printf(out, "%5lu | %s", (unsigned long)at.line,
		     ws > 0 ? "..." : "");
	/* Control bytes (a NUL, a stray CR) show as '?': a NUL would end
	 * the rendered string there, dropping the caret and every later
	 * diagnostic; a CR would overwrite the line on a terminal. */
	for (i = ws; i < we; i++)
		gb_sb_putc(out, (unsigned char)line[i] < 0x20 && line[i] != '\t' ?
			   '?' : line[i]);
	gb_sb_printf(out, "%s\n      | %s", we < line_len ? "..." : "",
		     ws > 0 ? "   " : "");

	/* Indent to the caret: tabs as tabs, one space per character. */
	for (i = ws; i + 1 < at.col; i++) {
		if (i < line_len && line[i] == '\t')
			gb_sb_putc(out, '\t');
		else if (i >= line_len || !is_cont(line[i]))
			gb_sb_putc(out, ' ');
	}
	gb_sb_putc(out, '^');

	/* Underline the rest of the span, up to the end of the window. */
	end = at.col - 1 + (d->span.len ? d->span.len : 1);
	if (end > we)
		end = we;
	for (i = at.col; i < end; i++) {
		if (line[i] == '\t')
			gb_sb_putc(out, '\t');
		else if (!is_cont(line[i]))
			gb_sb_putc(out, '~');
	}
	gb_sb_putc(out, '\n');
}

void gb_diag_render_one(gb_strbuf *out, const gb_diag *d)
{
	const gb_diag *n;

	render_single(out, d);
	for (n = d->notes; n; n = n->next)
		render_single(out, n);
}

void gb_diag_limit(gb_ctx *ctx, const gb_source *src, gb_span span)
{
	const gb_limits *l = &ctx->limits;

	if (ctx->limit_said || !(ctx->too_big || ctx->oom))
		return;
	ctx->limit_said = true;
	if (ctx->oom) {
		/* Without memory the message may not be stored either. */
		gb_error(ctx, src, span, "out of memory");
		return;
	}
	switch (ctx->limit) {
	case GB_LIMIT_NODES:
		gb_error(ctx, src, span, "expression too large (limit %lu nodes)",
			 (unsigned long)l->max_nodes);
		break;
	case GB_LIMIT_DEPTH:
		gb_error(ctx, src, span,
			 "expression nested too deeply (limit %lu levels)",
			 (unsigned long)l->max_depth);
		break;
	case GB_LIMIT_INPUT:
		gb_error(ctx, src, span, "input too large (limit %lu bytes)",
			 (unsigned long)l->max_input);
		break;
	case GB_LIMIT_EXP_DIGITS:
		gb_error(ctx, src, span, "number too large (limit %lu digits)",
			 (unsigned long)l->max_exp_digits);
		break;
	case GB_LIMIT_STEPS:
		gb_error(ctx, src, span, "step limit exceeded (limit %lu steps)",
			 (unsigned long)l->max_steps);
		break;
	case GB_LIMIT_MSEC:
		gb_error(ctx, src, span, "time limit exceeded (limit %lu ms)",
			 (unsigned long)l->max_msec);
		break;
	}
}

char *gb_diag_render(gb_ctx *ctx)
{
	gb_strbuf out;
	const gb_diag *d;

	gb_diag_limit(ctx, NULL, (gb_span){ 0, 0 });
	gb_sb_init(&out, NULL);		/* plain malloc, for gb_free */
	gb_sb_putn(&out, "", 0);	/* "" rather than NULL when empty */
	for (d = ctx->diag_head; d; d = d->next)
		gb_diag_render_one(&out, d);
	return gb_sb_take(&out);
}

size_t gb_diag_errors(const gb_ctx *ctx)
{
	return ctx->nerrors;
}

/* Diagnostics live in the arena: forgetting them is enough. */
void gb_diag_clear(gb_ctx *ctx)
{
	ctx->diag_head = ctx->diag_tail = NULL;
	ctx->nerrors = 0;
}
