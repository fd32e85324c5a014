/*
 * render.c - filling an answer-sheet template (see render.h).
 */
#include "jobs/render.h"

#include <string.h>

#include "core/ctx.h"
#include "core/strbuf.h"
#include "front/diag.h"
#include "jobs/run.h"
#include "output/template.h"

/* Text in LaTeX: the ten special characters escaped. */
static void put_escaped(gb_strbuf *sb, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '\\':
			gb_sb_puts(sb, "\\textbackslash{}");
			break;
		case '{': case '}': case '$': case '&': case '#': case '%':
		case '_':
			gb_sb_putc(sb, '\\');
			gb_sb_putc(sb, *s);
			break;
		case '^':
			gb_sb_puts(sb, "\\^{}");
			break;
		case '~':
			gb_sb_puts(sb, "\\~{}");
			break;
		default:
			gb_sb_putc(sb, *s);
		}
	}
}

static bool wants_short(const gb_render_opts *o, const char *slot)
{
	for (size_t i = 0; o && i < o->nshorten; i++)
		if (o->shorten[i] && strcmp(o->shorten[i], slot) == 0)
			return true;
	return false;
}

/* The template's slot IDs, for the message about an unknown one. */
static void put_slot_list(gb_strbuf *sb, const gb_template *t)
{
	for (size_t i = 0; i < t->nslots; i++)
		gb_sb_printf(sb, "%s%s", i ? ", " : "", t->slots[i].id);
}

gb_status gb_render(gb_ctx *ctx, const char *name, const char *text,
		    size_t len, const gb_render_opts *o, char **out)
{
	const char *tname = o && o->template_name ? o->template_name :
			    "template";
	const char *ttext = o && o->template_text ? o->template_text :
			    gb_template_hw_answers;
	size_t tlen = o && o->template_text ? o->template_len :
		      gb_template_hw_answers_len;
	gb_template t;
	gb_run *run;
	gb_strbuf *sb;
	const char **content;
	size_t *nparts;
	gb_status st;
	bool ok = true;

	if (!ctx || !out)
		return GB_EUSAGE;
	*out = NULL;
	st = gb_run_program(ctx, name, text, len, &run);
	if (!run)
		return st;
	if (!gb_template_scan(ctx, tname, ttext, tlen, &t))
		return ctx->oom ? GB_ENOMEM : GB_ESYNTAX;
	sb = gb_ctx_alloc(ctx, (t.nslots + 1) * sizeof *sb);
	content = gb_ctx_alloc(ctx, (t.nslots + 1) * sizeof *content);
	nparts = gb_ctx_alloc(ctx, (t.nslots + 1) * sizeof *nparts);
	if (!sb || !content || !nparts)
		return GB_ENOMEM;
	for (size_t i = 0; i < t.nslots; i++) {
		gb_sb_init(&sb[i], NULL);
		nparts[i] = 0;
	}
	for (size_t i = 0; i < run->nitems; i++) {
		const gb_run_item *it = &run->items[i];
		const gb_query *q = it->stmt->q;
		long k;

		if (!q->slot || it->skipped || !it->ok)
			continue;
		k = gb_template_find(&t, q->slot);
		if (k < 0) {
			gb_strbuf list;

			gb_sb_init(&list, NULL);
			put_slot_list(&list, &t);
			gb_error(ctx, run->src, q->slot_span,
				 "no slot '%s' in %s (its slots: %s)",
				 q->slot, tname, gb_sb_str(&list));
			gb_sb_free(&list);
			ok = false;
			continue;
		}
		if (nparts[k]++)
			gb_sb_puts(&sb[k], "\\par\n");
		if (it->why) {
			gb_sb_puts(&sb[k], "\\textbf{[Stand-in]} \\emph{The "
				   "statement above it could not run (");
			put_escaped(&sb[k], it->why);
			gb_sb_puts(&sb[k], ").}\\par\n");
		}
		if (wants_short(o, q->slot) && it->latex_short) {
			gb_sb_puts(&sb[k], it->latex_short);
			gb_sb_puts(&sb[k], "{\\footnotesize (intermediate "
				   "steps omitted to fit the box)}");
		} else {
			gb_sb_puts(&sb[k], it->latex);
		}
	}
	for (size_t i = 0; i < t.nslots; i++) {
		if (!nparts[i]) {
			gb_error(ctx, t.src, t.slots[i].span,
				 "slot '%s' has no answer in %s (write: answer "
				 "\"%s\" ...)", t.slots[i].id, name,
				 t.slots[i].id);
			ok = false;
		}
		content[i] = gb_sb_str(&sb[i]);
		if (!gb_sb_ok(&sb[i]))
			ok = false;
	}
	if (ok && st == GB_OK) {
		*out = gb_template_fill(&t, content);
		if (!*out)
			st = GB_ENOMEM;
	} else if (st == GB_OK) {
		st = ctx->oom ? GB_ENOMEM : GB_ESYNTAX;
	}
	for (size_t i = 0; i < t.nslots; i++)
		gb_sb_free(&sb[i]);
	return st;
}
