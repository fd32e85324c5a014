/*
 * batch.c - every statement of an expression file as a record (see
 * batch.h and gb_run_records in include/gradbox.h).
 *
 * The run itself is gb_run_program's; a watch (run.h) starts a budget
 * and a clock before each statement and notes, after it, where its
 * diagnostics end. Records are built once the run is over, because an
 * else statement downgrades the failure before it only when it runs.
 */
#include "jobs/batch.h"

#include <string.h>
#include <time.h>

#include "core/ctx.h"
#include "front/ast.h"
#include "front/diag.h"
#include "front/source.h"
#include "jobs/run.h"

/* What the watch saw of one statement. */
typedef struct seen {
	const gb_stmt *st;
	const gb_run_item *it;	/* queries only */
	bool ok;
	gb_diag *mark, *end;	/* its diagnostics: (mark, end] */
	unsigned long usec;
} seen;

typedef struct watch {
	gb_ctx *ctx;
	seen *s;
	size_t n, cap;
	bool started;		/* before() was called once */
	gb_diag *parse_from;	/* the parse errors: (parse_from, ...] */
	gb_diag *parse_to;
	bool parse_any;
	unsigned long t0;	/* microseconds, of the statement running */
} watch;

static unsigned long now_usec(void)
{
	struct timespec ts;

	if (timespec_get(&ts, TIME_UTC) != TIME_UTC)
		return 0;
	return (unsigned long)ts.tv_sec * 1000000ul +
	       (unsigned long)ts.tv_nsec / 1000ul;
}

static void on_before(void *arg, const gb_stmt *st)
{
	watch *w = arg;

	(void)st;
	if (!w->started) {
		/* everything reported so far is the parser's */
		w->started = true;
		w->parse_to = w->ctx->diag_tail;
		w->parse_any = w->parse_to != w->parse_from;
	}
	gb_budget_start(w->ctx);
	w->t0 = now_usec();
}

static void on_after(void *arg, const gb_stmt *st, const gb_run_item *it,
		     bool ok, gb_diag *mark)
{
	watch *w = arg;
	gb_ctx *ctx = w->ctx;
	unsigned long t1 = now_usec();
	seen *e;

	/* a limit reached but not yet said belongs to this statement */
	if (ctx->too_big && !ctx->limit_said && ctx->diag_tail)
		gb_diag_limit(ctx, ctx->diag_tail->src, ctx->diag_tail->span);
	if (w->n == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 64;
		seen *ns = gb_ctx_alloc(ctx, cap * sizeof *ns);

		if (!ns)
			return;		/* ctx->oom stops the run */
		if (w->n)
			memcpy(ns, w->s, w->n * sizeof *ns);
		w->s = ns;
		w->cap = cap;
	}
	e = &w->s[w->n++];
	e->st = st;
	e->it = it;
	e->ok = ok;
	e->mark = mark;
	e->end = ctx->diag_tail;
	e->usec = t1 >= w->t0 ? t1 - w->t0 : 0;
}

static const char *sev_name(gb_severity s)
{
	switch (s) {
	case GB_SEV_ERROR:
		return "error";
	case GB_SEV_WARNING:
		return "warning";
	case GB_SEV_NOTE:
		break;
	}
	return "note";
}

static void diag_info(const gb_diag *d, gb_diag_info *out)
{
	out->severity = sev_name(d->sev);
	out->file = d->src ? d->src->name : NULL;
	out->line = out->col = 0;
	if (d->src) {
		gb_linecol lc = gb_source_locate(d->src, d->span.off);

		out->line = lc.line;
		out->col = lc.col;
	}
	out->message = d->msg;
}

bool gb_batch_diags(gb_ctx *ctx, gb_diag *from, gb_diag *to,
		    gb_diag_info **out, size_t *n)
{
	size_t k = 0;
	gb_diag *first = from ? from->next : ctx->diag_head;

	*out = NULL;
	*n = 0;
	if (!to || from == to)
		return true;
	for (gb_diag *d = first; d; d = d->next) {
		k++;
		for (gb_diag *m = d->notes; m; m = m->next)
			k++;
		if (d == to)
			break;
	}
	*out = gb_ctx_alloc(ctx, k * sizeof **out);
	if (!*out)
		return false;
	for (gb_diag *d = first; d; d = d->next) {
		diag_info(d, &(*out)[(*n)++]);
		for (gb_diag *m = d->notes; m; m = m->next)
			diag_info(m, &(*out)[(*n)++]);
		if (d == to)
			break;
	}
	return true;
}

static const char *kind_name(unsigned kind)
{
	switch (kind) {
	case STMT_EXPR:
		return "expr";
	case STMT_DEF:
		return "def";
	case STMT_ASSIGN:
		return "assign";
	case STMT_PARAM:
		return "param";
	case STMT_DIM:
		return "dim";
	case STMT_VECTOR:
		return "vector";
	case STMT_MATRIX:
		return "matrix";
	case STMT_SHOW:
		return "show";
	case STMT_ANSWER:
		return "answer";
	case STMT_CHECK:
		return "check";
	case STMT_SMOOTH:
		return "smooth";
	case STMT_EVAL:
		return "eval";
	default:
		return "statement";
	}
}

const char *gb_outcome_str(gb_outcome o)
{
	switch (o) {
	case GB_OUTCOME_OK:
		return "ok";
	case GB_OUTCOME_FAILED:
		return "failed";
	case GB_OUTCOME_SKIPPED:
		return "skipped";
	case GB_OUTCOME_HANDLED:
		return "handled";
	}
	return "?";
}

/* Does s start with a class name (C^k, C^inf, discontinuous) then ','? */
static size_t class_len(const char *s)
{
	size_t n = 0;

	if (strncmp(s, "discontinuous", 13) == 0)
		n = 13;
	else if (s[0] == 'C' && s[1] == '^')
		for (n = 2; (s[n] >= '0' && s[n] <= '9') ||
			    (s[n] >= 'a' && s[n] <= 'z'); n++)
			;
	return n > 2 && (s[n] == ',' || s[n] == '\n' || !s[n]) ? n : 0;
}

/*
 * The classes of a smooth result: it has a line "NAME: CLASS, why" per
 * function (and indented sentences between them).
 */
static bool smooth_classes(gb_ctx *ctx, const char *plain, gb_record *r)
{
	size_t lines = 1, k = 0;

	for (const char *p = plain; *p; p++)
		lines += *p == '\n';
	r->classes = gb_ctx_alloc(ctx, lines * sizeof *r->classes);
	if (!r->classes)
		return false;
	for (const char *p = plain; *p;) {
		const char *eol = strchr(p, '\n');

		if (!eol)
			eol = p + strlen(p);
		for (const char *q = p; *p != ' ' && q + 2 < eol; q++) {
			size_t n;

			if (q[0] != ':' || q[1] != ' ' || !(n = class_len(q + 2)))
				continue;
			r->classes[k] = gb_arena_strndup(&ctx->arena, q + 2, n);
			if (!r->classes[k++])
				return false;
			break;
		}
		p = *eol ? eol + 1 : eol;
	}
	r->nclasses = k;
	return true;
}

/* Has an error of (mark, end] kept its severity (not downgraded)? */
static bool has_error(gb_ctx *ctx, gb_diag *mark, gb_diag *end)
{
	if (mark == end)
		return false;
	for (gb_diag *d = mark ? mark->next : ctx->diag_head; d; d = d->next) {
		if (d->sev == GB_SEV_ERROR)
			return true;
		if (d == end)
			break;
	}
	return false;
}

static bool stmt_record(gb_ctx *ctx, const gb_source *src, const seen *e,
			gb_record *r)
{
	const gb_stmt *st = e->st;
	const gb_run_item *it = e->it;

	memset(r, 0, sizeof *r);
	r->line = gb_source_locate(src, st->span.off).line;
	r->kind = kind_name(st->kind);
	r->slot = st->q ? st->q->slot : NULL;
	r->input = gb_arena_strndup(&ctx->arena, src->text + st->span.off,
				    st->span.len);
	r->verdict = -1;
	r->usec = e->usec;
	if (it && it->skipped)
		r->outcome = GB_OUTCOME_SKIPPED;
	else if (e->ok)
		r->outcome = GB_OUTCOME_OK;
	else if (!has_error(ctx, e->mark, e->end))
		r->outcome = GB_OUTCOME_HANDLED;
	else
		r->outcome = GB_OUTCOME_FAILED;
	if (it && r->outcome == GB_OUTCOME_OK) {
		r->result = it->plain;
		r->latex = it->latex;
		r->verdict = it->verdict;
		if (st->kind == STMT_SMOOTH && it->plain &&
		    !smooth_classes(ctx, it->plain, r))
			return false;
	}
	return r->input && gb_batch_diags(ctx, e->mark, e->end, &r->diags,
					  &r->ndiags);
}

/* A record for text that did not parse: the error d at its line. */
static bool syntax_record(gb_ctx *ctx, const gb_source *src, gb_diag *d,
			  gb_diag *before, gb_record *r)
{
	uint32_t len = 0;
	const char *line;

	memset(r, 0, sizeof *r);
	r->line = gb_source_locate(src, d->span.off).line;
	r->kind = "syntax";
	line = gb_source_line(src, r->line, &len);
	r->input = gb_arena_strndup(&ctx->arena, line ? line : "", len);
	r->outcome = GB_OUTCOME_FAILED;
	r->verdict = -1;
	return r->input && gb_batch_diags(ctx, before, d, &r->diags,
					  &r->ndiags);
}

gb_status gb_run_records(gb_ctx *ctx, const char *name, const char *text,
			 size_t len, gb_record **recs, size_t *n)
{
	watch w;
	gb_run_watch rw;
	gb_run *run = NULL;
	gb_status st;
	gb_record *r;
	size_t nsyn = 0, k = 0, i = 0;

	if (!ctx || !recs || !n)
		return GB_EUSAGE;
	*recs = NULL;
	*n = 0;
	memset(&w, 0, sizeof w);
	w.ctx = ctx;
	w.parse_from = ctx->diag_tail;
	rw.before = on_before;
	rw.after = on_after;
	rw.arg = &w;
	st = gb_run_program_watched(ctx, name, text, len, &rw, &run);
	if (!run || ctx->oom)
		return run ? GB_ENOMEM : st;
	if (!w.started) {
		w.parse_to = ctx->diag_tail;
		w.parse_any = w.parse_to != w.parse_from;
	}
	/* parse errors: one record each, notes with them */
	if (w.parse_any)
		for (gb_diag *d = w.parse_from ? w.parse_from->next :
		     ctx->diag_head; d; d = d->next) {
			nsyn += d->sev == GB_SEV_ERROR;
			if (d == w.parse_to)
				break;
		}
	r = gb_ctx_alloc(ctx, (w.n + nsyn + 1) * sizeof *r);
	if (!r)
		return GB_ENOMEM;
	/* merge by line: a statement before a syntax error on its line */
	{
		gb_diag *d = NULL, *prev = w.parse_from;

		if (w.parse_any)
			d = w.parse_from ? w.parse_from->next : ctx->diag_head;
		while (i < w.n || nsyn) {
			unsigned dl = 0;

			while (nsyn && d && d->sev != GB_SEV_ERROR) {
				prev = d;	/* a warning: kept before */
				d = d->next;
			}
			if (nsyn && d)
				dl = gb_source_locate(run->src,
						      d->span.off).line;
			if (i < w.n && (!nsyn || !d || gb_source_locate(run->src,
					w.s[i].st->span.off).line <= dl)) {
				if (!stmt_record(ctx, run->src, &w.s[i++],
						 &r[k++]))
					return GB_ENOMEM;
				continue;
			}
			if (!nsyn || !d)
				break;
			if (!syntax_record(ctx, run->src, d, prev, &r[k++]))
				return GB_ENOMEM;
			nsyn--;
			prev = d;
			d = d == w.parse_to ? NULL : d->next;
		}
	}
	*recs = r;
	*n = k;
	return st;
}
