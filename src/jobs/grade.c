/*
 * grade.c - grading filled-in answer sheets against a key (see grade.h).
 *
 * Per submission: the key's program statements are lowered (so the
 * student's answer may use its parameters, functions and names), each
 * slot's expected answer is the first of its value or steps answers that
 * lowers (an else chain's head, or its stand-in), and the student's box
 * is read, parsed as LaTeX and compared with gb_check. Everything that
 * goes wrong with a box is that slot's verdict, never the run's.
 */
#include "jobs/grade.h"

#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "core/ctx.h"
#include "core/strbuf.h"
#include "front/ast.h"
#include "front/diag.h"
#include "front/lower.h"
#include "front/parse.h"
#include "front/source.h"
#include "gradbox.h"

/* ------------------------------------------------ reading the boxes */

/* Is s[i] the start of a '%' comment (not \%)? */
static bool is_comment(const char *s, size_t i)
{
	size_t bs = 0;

	if (s[i] != '%')
		return false;
	while (bs < i && s[i - 1 - bs] == '\\')
		bs++;
	return bs % 2 == 0;
}

/* Does s[i..) start with word w? */
static bool at(const char *s, size_t i, size_t end, const char *w)
{
	size_t n = strlen(w);

	return i + n <= end && memcmp(s + i, w, n) == 0;
}

/*
 * The first occurrence of w in [i, end) outside comments, or end.
 */
static size_t find(const char *s, size_t i, size_t end, const char *w)
{
	for (; i < end; i++) {
		if (is_comment(s, i)) {
			while (i < end && s[i] != '\n')
				i++;
			continue;
		}
		if (at(s, i, end, w))
			return i;
	}
	return end;
}

/* After a brace group starting at i (or i itself when there is none). */
static size_t skip_group(const char *s, size_t i, size_t end)
{
	int depth = 0;

	while (i < end && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t'))
		i++;
	if (i >= end || s[i] != '{')
		return i;
	for (; i < end; i++) {
		if (s[i] == '\\' && i + 1 < end) {
			i++;
			continue;
		}
		if (s[i] == '{')
			depth++;
		else if (s[i] == '}' && --depth == 0)
			return i + 1;
	}
	return end;
}

/*
 * The end of the environment that encloses i: the first \end{...} that
 * closes no \begin{...} opened after i; or a blank line outside any
 * environment; or end.
 */
static size_t enclosing_end(const char *s, size_t i, size_t end)
{
	int depth = 0;

	for (; i < end; i++) {
		if (is_comment(s, i)) {
			while (i < end && s[i] != '\n')
				i++;
			continue;
		}
		if (at(s, i, end, "\\begin{"))
			depth++;
		else if (at(s, i, end, "\\end{") && depth-- == 0)
			return i;
		else if (depth == 0 && s[i] == '\n') {
			size_t j = i + 1;

			while (j < end && (s[j] == ' ' || s[j] == '\t'))
				j++;
			if (j < end && s[j] == '\n')
				return i;
		}
	}
	return end;
}

/* The content of box id: [*b, *e); false when there is none. */
static bool find_box(const char *s, size_t len, const char *id, size_t *b,
		     size_t *e)
{
	char head[300], mark[300];
	size_t i;

	snprintf(head, sizeof head, "\\begin{answerbox}{%s}", id);
	snprintf(mark, sizeof mark, "\\gbslot{%s}", id);
	i = find(s, 0, len, head);
	if (i < len) {
		/* the box's body: after its two other arguments */
		i = skip_group(s, i + strlen(head), len);
		i = skip_group(s, i, len);
		*b = i;
		*e = enclosing_end(s, i, len);
		return true;
	}
	i = find(s, 0, len, mark);
	if (i < len) {
		*b = i + strlen(mark);
		*e = enclosing_end(s, *b, len);
		return true;
	}
	return false;
}

/*
 * The last piece of math in [b, e): \[...\], \(...\), $$...$$, $...$ or
 * a display environment; false when there is none.
 */
static bool last_math(const char *s, size_t b, size_t e, size_t *mb,
		      size_t *me)
{
	static const char *const envs[] = {
		"equation*", "equation", "align*", "align", "gather*",
		"gather", "displaymath", "math"
	};
	bool found = false;

	for (size_t i = b; i < e; i++) {
		size_t open = 0, close = e;
		const char *stop = NULL;
		char endenv[40];

		if (is_comment(s, i)) {
			while (i < e && s[i] != '\n')
				i++;
			continue;
		}
		if (at(s, i, e, "\\[")) {
			open = 2;
			stop = "\\]";
		} else if (at(s, i, e, "\\(")) {
			open = 2;
			stop = "\\)";
		} else if (at(s, i, e, "$$")) {
			open = 2;
			stop = "$$";
		} else if (s[i] == '$') {
			open = 1;
			stop = "$";
		} else if (at(s, i, e, "\\begin{")) {
			for (size_t k = 0; k < sizeof envs / sizeof envs[0]; k++) {
				char be[40];

				snprintf(be, sizeof be, "\\begin{%s}", envs[k]);
				if (at(s, i, e, be)) {
					open = strlen(be);
					snprintf(endenv, sizeof endenv,
						 "\\end{%s}", envs[k]);
					stop = endenv;
					break;
				}
			}
		} else if (s[i] == '\\' && i + 1 < e) {
			i++;		/* \$, \\ and the like */
			continue;
		}
		if (!stop)
			continue;
		close = find(s, i + open, e, stop);
		if (close >= e)
			return found;	/* unterminated: keep the last whole */
		*mb = i + open;
		*me = close;
		found = true;
		i = close + strlen(stop) - 1;
	}
	return found;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '~';
}

/* Trims blanks, trailing punctuation and spacing commands from [*b, *e). */
static void trim(const char *s, size_t *b, size_t *e)
{
	static const char *const tail[] = {
		"\\qquad", "\\quad", "\\\\", "\\,", "\\;", "\\:", "\\!", ".",
		",", ";", "&"
	};
	bool again = true;

	while (again) {
		again = false;
		while (*b < *e && is_blank(s[*b]))
			++*b;
		while (*e > *b && is_blank(s[*e - 1]))
			--*e;
		for (size_t k = 0; k < sizeof tail / sizeof tail[0]; k++) {
			size_t n = strlen(tail[k]);

			if (*e - *b >= n && memcmp(s + *e - n, tail[k], n) == 0 &&
			    !(n == 1 && *e - *b >= 2 && s[*e - 2] == '\\')) {
				*e -= n;
				again = true;
			}
		}
	}
}

/*
 * After the last top-level '=' of [b, e) (outside braces and
 * environments; not part of <=, >=, !=), or b.
 */
static size_t after_equals(const char *s, size_t b, size_t e)
{
	int brace = 0, env = 0;
	size_t r = b;

	for (size_t i = b; i < e; i++) {
		if (s[i] == '\\') {
			if (at(s, i, e, "\\begin{"))
				env++;
			else if (at(s, i, e, "\\end{"))
				env--;
			i++;
			continue;
		}
		if (s[i] == '{')
			brace++;
		else if (s[i] == '}')
			brace--;
		else if (s[i] == '=' && !brace && !env &&
			 !(i > b && strchr("<>!", s[i - 1])) &&
			 !(i + 1 < e && s[i + 1] == '='))
			r = i + 1;
	}
	return r;
}

/* Is there a bare word of three letters or more (prose, not math)? */
static bool has_word(const char *s, size_t b, size_t e)
{
	for (size_t i = b; i < e; i++) {
		size_t n = 0;

		if (s[i] == '\\') {
			while (i + 1 < e && ((s[i + 1] >= 'a' && s[i + 1] <= 'z') ||
					     (s[i + 1] >= 'A' && s[i + 1] <= 'Z')))
				i++;
			continue;
		}
		while (i + n < e && ((s[i + n] >= 'a' && s[i + n] <= 'z') ||
				     (s[i + n] >= 'A' && s[i + n] <= 'Z')))
			n++;
		if (n >= 3)
			return true;
		i += n;
	}
	return false;
}

int gb_grade_extract(const char *sub, size_t len, const char *id,
		     bool whole, gb_strbuf *out)
{
	size_t b, e, mb, me;
	char mark[300];
	size_t n = (size_t)snprintf(mark, sizeof mark, "\\gbslot{%s}", id);
	const char *t;
	int status = 0;

	if (!find_box(sub, len, id, &b, &e))
		return 1;
	/* the box without its comments and its marker */
	for (size_t i = b; i < e; i++) {
		if (is_comment(sub, i)) {
			while (i + 1 < e && sub[i + 1] != '\n')
				i++;
			continue;
		}
		if (n < sizeof mark && at(sub, i, e, mark)) {
			i += n - 1;
			continue;
		}
		gb_sb_putc(out, sub[i]);
	}
	t = gb_sb_str(out);
	b = 0;
	e = out->len;
	if (!t)
		return 2;
	if (whole) {
		trim(t, &b, &e);
	} else if (last_math(t, b, e, &mb, &me)) {
		b = mb;
		e = me;
	} else if (has_word(t, b, e)) {
		trim(t, &b, &e);
		status = 3;
	}
	if (!whole && status != 3) {
		trim(t, &b, &e);
		b = after_equals(t, b, e);
		trim(t, &b, &e);
	}
	memmove(out->s, t + b, e - b);
	out->len = e - b;
	if (out->cap)
		out->s[out->len] = '\0';
	return b < e ? status : 2;
}

/* ------------------------------------------------------------ the key */

struct slot;
static void grade_slot(gb_ctx *ctx, const struct slot *sl,
		       const char *sub_name, const char *sub, size_t len,
		       gb_grade_row *row);


typedef struct slot {
	const char *id;
	bool graded;			/* its row is done */
	const gb_stmt *expected;	/* the first value/steps answer */
	const gb_node *value;		/* its value, once lowered */
	const char *manual;		/* why by hand, when no value */
} slot;

static const char *keep(gb_ctx *ctx, gb_strbuf *sb)
{
	const char *s = gb_sb_ok(sb) ? gb_arena_strndup(&ctx->arena,
			gb_sb_str(sb), sb->len) : NULL;

	gb_sb_free(sb);
	if (!s)
		ctx->oom = true;
	return s ? s : "";
}

static const char *mode_why(unsigned mode)
{
	switch (mode) {
	case QM_TEXT:
		return "prose: graded by hand";
	case QM_SMOOTH:
		return "smoothness analysis: graded by hand";
	case QM_APPROACH:
	case QM_STACK:
		return "a table or plot: graded by hand";
	default:
		return "graded by hand";
	}
}

/*
 * Runs the key and grades the submission: the slots of the key, in the
 * order of their first answer, each with its expected value or the
 * reason it is graded by hand. A box is read and checked where the
 * key's answer stands, so that it sees the declarations the answer sees
 * (a scalar x for question 1, a vector x declared for question 2).
 * rows[k] is slot k's row.
 */
static gb_status key_slots(gb_ctx *ctx, const char *name, const char *text,
			   size_t len, const char *sub_name, const char *sub,
			   size_t sub_len, slot **out, gb_grade_row **rows,
			   size_t *nout)
{
	gb_source *src;
	gb_program *prog;
	slot *sl;
	size_t ns = 0;
	size_t before = ctx->nerrors;

	gb_api_prepare(ctx);
	src = gb_source_new(ctx, name, text, len);
	if (!src)
		return gb_api_failed(ctx, GB_ELIMIT);
	prog = gb_parse_program(ctx, src);
	if (!prog)
		return gb_api_failed(ctx, GB_ENOMEM);
	if (ctx->nerrors > before)
		return GB_ESYNTAX;
	sl = gb_ctx_alloc(ctx, (prog->nstmts + 1) * sizeof *sl);
	*rows = gb_ctx_alloc(ctx, (prog->nstmts + 1) * sizeof **rows);
	if (!sl || !*rows)
		return GB_ENOMEM;
	/* in source order: an answer sees the declarations above it only */
	for (uint32_t i = 0; i < prog->nstmts; i++) {
		const gb_stmt *st = prog->stmts[i];
		const gb_query *q = st->q;
		size_t k;

		if (!gb_stmt_is_query(st->kind)) {
			gb_program one = { src, 1, &prog->stmts[i] };
			size_t errs = ctx->nerrors;

			if (gb_lower_program(ctx, &one, NULL, NULL) != GB_OK ||
			    ctx->nerrors > errs)
				return GB_ESYNTAX;
			continue;
		}
		if (st->kind != STMT_ANSWER || !q->slot)
			continue;
		for (k = 0; k < ns && strcmp(sl[k].id, q->slot) != 0; k++)
			;
		if (k == ns) {
			memset(&sl[ns], 0, sizeof sl[ns]);
			sl[ns++].id = q->slot;
		}
		if (q->mode == QM_VALUE || q->mode == QM_STEPS) {
			if (!sl[k].value) {
				/* an else chain: the first that lowers */
				gb_diag *mark = ctx->diag_tail;
				size_t errs = ctx->nerrors;

				sl[k].value = gb_lower_expr(ctx, src, q->expr);
				sl[k].expected = st;
				if (!sl[k].value && !ctx->oom) {
					/* the stand-in may do: not an error */
					for (gb_diag *d = mark ? mark->next :
					     ctx->diag_head; d; d = d->next)
						if (d->sev == GB_SEV_ERROR)
							d->sev = GB_SEV_NOTE;
					ctx->nerrors = errs;
				} else if (sl[k].value) {
					grade_slot(ctx, &sl[k], sub_name, sub,
						   sub_len, &(*rows)[k]);
					sl[k].graded = true;
				}
			}
		} else if (!sl[k].manual) {
			sl[k].manual = mode_why(q->mode);
		}
	}
	if (ctx->oom)
		return GB_ENOMEM;
	for (size_t k = 0; k < ns; k++)
		if (sl[k].expected && !sl[k].value) {
			gb_error(ctx, src, sl[k].expected->span,
				 "the key's answer for slot '%s' does not "
				 "compute", sl[k].id);
			return GB_ESYNTAX;
		}
	for (size_t k = 0; k < ns; k++)
		if (!sl[k].graded)
			grade_slot(ctx, &sl[k], sub_name, sub, sub_len,
				   &(*rows)[k]);
	*out = sl;
	*nout = ns;
	return ctx->oom ? GB_ENOMEM : GB_OK;
}

/* ------------------------------------------------------------ grading */

/* The first error after mark, as "COL: message" within the answer. */
static const char *first_error(gb_ctx *ctx, gb_diag *mark)
{
	gb_strbuf sb;

	gb_sb_init(&sb, NULL);
	for (gb_diag *d = mark ? mark->next : ctx->diag_head; d; d = d->next)
		if (d->sev == GB_SEV_ERROR) {
			if (d->src)
				gb_sb_printf(&sb, "column %u: ",
					     gb_source_locate(d->src,
							      d->span.off).col);
			gb_sb_puts(&sb, d->msg);
			return keep(ctx, &sb);
		}
	gb_sb_puts(&sb, gb_status_str(gb_ctx_status(ctx)));
	return keep(ctx, &sb);
}

static void grade_slot(gb_ctx *ctx, const struct slot *sl,
		       const char *sub_name, const char *sub, size_t len,
		       gb_grade_row *row)
{
	gb_strbuf ans;
	int found;
	const gb_node *a;
	gb_check_opts co = { NULL, 0, 0, 0 };
	gb_check_result cr;
	gb_diag *mark = ctx->diag_tail;
	gb_strbuf sb;
	gb_status st;

	row->slot = sl->id;
	row->reason = "";
	gb_sb_init(&ans, NULL);
	found = gb_grade_extract(sub, len, sl->id, !sl->value, &ans);
	row->answer = found == 0 || found == 3 ? keep(ctx, &ans) : NULL;
	gb_sb_free(&ans);
	if (!sl->value) {
		row->verdict = GB_GRADE_MANUAL;
		row->reason = sl->manual ? sl->manual : "graded by hand";
		return;
	}
	if (found) {
		row->verdict = GB_GRADE_UNREADABLE;
		row->reason = found == 1 ? "no box for this slot" :
			      found == 2 ? "the box is empty" :
			      "the box holds text, not a formula";
		return;
	}
	gb_sb_init(&sb, NULL);
	gb_sb_printf(&sb, "%s: box %s", sub_name,  sl->id);
	gb_budget_start(ctx);
	st = gb_parse_answer(ctx, gb_sb_str(&sb) ? gb_sb_str(&sb) : "box",
			     row->answer, strlen(row->answer),
			     GB_ANSWER_LATEX, &a);
	gb_sb_free(&sb);
	if (st == GB_OK) {
		gb_budget_start(ctx);
		st = gb_check(ctx, sl->value, a, &co, &cr);
	}
	if (st == GB_ESHAPE) {
		row->verdict = GB_GRADE_INCORRECT;
		row->reason = first_error(ctx, mark);
		return;
	}
	if (st != GB_OK) {
		bool parsed = st != GB_ESYNTAX && st != GB_ENAME;

		row->verdict = parsed ? GB_GRADE_MANUAL : GB_GRADE_UNREADABLE;
		gb_sb_init(&sb, NULL);
		gb_sb_printf(&sb, "%s%s", parsed ? "cannot be checked: " : "",
			     first_error(ctx, mark));
		row->reason = keep(ctx, &sb);
		return;
	}
	row->verdict = cr.correct ? GB_GRADE_CORRECT : GB_GRADE_INCORRECT;
	gb_sb_init(&sb, NULL);
	if (cr.correct) {
		gb_sb_printf(&sb, "agrees at %u points", cr.npoints);
	} else {
		if (cr.nvars)
			gb_sb_printf(&sb, "at %s: ", cr.point);
		gb_sb_printf(&sb, "expected %s, got %s", cr.expected, cr.got);
		if (cr.region)
			gb_sb_printf(&sb, "; %s", cr.region);
		if (cr.hint)
			gb_sb_printf(&sb, "; hint: %s", cr.hint);
	}
	row->reason = keep(ctx, &sb);
}

const char *gb_grade_verdict_str(gb_grade_verdict v)
{
	switch (v) {
	case GB_GRADE_CORRECT:
		return "correct";
	case GB_GRADE_INCORRECT:
		return "incorrect";
	case GB_GRADE_UNREADABLE:
		return "unreadable";
	case GB_GRADE_MANUAL:
		return "not graded";
	}
	return "?";
}

gb_status gb_grade(gb_ctx *ctx, const char *key_name, const char *key,
		   size_t key_len, const char *sub_name, const char *sub,
		   size_t sub_len, gb_grade_row **rows, size_t *n)
{
	slot *sl = NULL;
	size_t ns = 0;
	gb_status st;

	if (!ctx || !key_name || !key || !sub_name || (!sub && sub_len) ||
	    !rows || !n)
		return GB_EUSAGE;
	*rows = NULL;
	*n = 0;
	st = key_slots(ctx, key_name, key, key_len, sub_name, sub ? sub : "",
		       sub_len, &sl, rows, &ns);
	if (st != GB_OK) {
		*rows = NULL;
		return st;
	}
	*n = ns;
	return GB_OK;
}
