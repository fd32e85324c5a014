/*
 * diag.h - diagnostics: collected in the context, rendered GCC-style.
 *
 *   hw3.grad:12:17: error: unknown function 'sigmoyd'
 *      12 | z = sigmoyd(W*x)
 *         |     ^~~~~~~
 *   hw3.grad:12:17: note: did you mean 'sigmoid'?
 *
 * Messages are lower-case, without a trailing period, and name the
 * offending token. A note attaches to the diagnostic reported just
 * before it. A diagnostic without a source (src NULL) renders as
 * "gradbox: error: message".
 */
#ifndef GB_DIAG_H
#define GB_DIAG_H

#include <stdarg.h>
#include <stddef.h>

#include "core/ctx.h"
#include "core/strbuf.h"
#include "front/source.h"

typedef enum gb_severity {
	GB_SEV_ERROR,
	GB_SEV_WARNING,
	GB_SEV_NOTE
} gb_severity;

typedef struct gb_diag {
	gb_severity sev;
	const gb_source *src;	/* NULL: not tied to a text */
	gb_span span;
	const char *msg;
	struct gb_diag *notes;	/* notes attached to this diagnostic */
	struct gb_diag *next;
} gb_diag;

#if defined(__GNUC__)
#define GB_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define GB_PRINTF(f, a)
#endif

void gb_error(gb_ctx *ctx, const gb_source *src, gb_span span,
	      const char *fmt, ...) GB_PRINTF(4, 5);
void gb_warning(gb_ctx *ctx, const gb_source *src, gb_span span,
		const char *fmt, ...) GB_PRINTF(4, 5);
/* A note on the last error or warning reported. */
void gb_note(gb_ctx *ctx, const gb_source *src, gb_span span,
	     const char *fmt, ...) GB_PRINTF(4, 5);

/*
 * When a limit was reached or memory ran out (ctx->too_big, ctx->oom)
 * and that was not yet reported, reports it once: "expression too large
 * (limit N nodes)", "time limit exceeded (limit N ms)", "out of memory".
 * Every path that fails on a limit ends here, through gb_api_failed(),
 * lowering or, as a backstop, gb_diag_render().
 */
void gb_diag_limit(gb_ctx *ctx, const gb_source *src, gb_span span);

/* Renders one diagnostic (and its notes) into out. */
void gb_diag_render_one(gb_strbuf *out, const gb_diag *d);

#endif /* GB_DIAG_H */
