/*
 * template.c - answer-sheet templates (see template.h).
 */
#include "output/template.h"

#include <string.h>

#include "gradbox.h"
#include "core/ctx.h"
#include "core/strbuf.h"
#include "front/diag.h"

static const char marker[] = "\\gbslot{";

/* Adds a slot to t (arena memory); false when memory ran out. */
static bool add_slot(gb_ctx *ctx, gb_template *t, size_t *cap,
		     const char *id, size_t idlen, gb_span span)
{
	if (t->nslots == *cap) {
		size_t ncap = *cap ? 2 * *cap : 16;
		gb_tslot *ns = gb_ctx_alloc(ctx, ncap * sizeof *ns);

		if (!ns)
			return false;
		if (t->nslots)
			memcpy(ns, t->slots, t->nslots * sizeof *ns);
		t->slots = ns;
		*cap = ncap;
	}
	t->slots[t->nslots].id = gb_arena_strndup(&ctx->arena, id, idlen);
	t->slots[t->nslots].span = span;
	if (!t->slots[t->nslots].id) {
		ctx->oom = true;
		return false;
	}
	t->nslots++;
	return true;
}

bool gb_template_scan(gb_ctx *ctx, const char *name, const char *text,
		      size_t len, gb_template *out)
{
	const gb_source *src = gb_source_new(ctx, name, text, len);
	size_t cap = 0, i = 0;
	bool ok = true;

	memset(out, 0, sizeof *out);
	if (!src)
		return false;
	out->src = src;
	text = src->text;	/* NUL-terminated */
	while (i < len) {
		char c = text[i];

		if (c == '\\' && i + 1 < len && text[i + 1] != 'g') {
			i += 2;		/* \% \\ ... are not comments */
			continue;
		}
		if (c == '%') {		/* a comment: to the end of line */
			while (i < len && text[i] != '\n')
				i++;
			continue;
		}
		if (c == '\\' && strncmp(text + i, marker, sizeof marker - 1)
		    == 0) {
			size_t s = i + sizeof marker - 1, e = s;
			gb_span sp;

			while (e < len && text[e] != '}' && text[e] != '\n')
				e++;
			sp.off = (uint32_t)i;
			sp.len = (uint32_t)((e < len && text[e] == '}' ? e + 1 :
					     e) - i);
			if (e >= len || text[e] != '}' || e == s) {
				gb_error(ctx, src, sp, "a slot marker is "
					 "\\gbslot{ID} with a non-empty ID on "
					 "one line");
				ok = false;
			} else {
				for (size_t k = 0; k < out->nslots; k++)
					if (strlen(out->slots[k].id) == e - s &&
					    memcmp(out->slots[k].id, text + s,
						   e - s) == 0) {
						gb_error(ctx, src, sp, "slot "
							 "'%.*s' appears twice",
							 (int)(e - s),
							 text + s);
						gb_note(ctx, src,
							out->slots[k].span,
							"first here");
						ok = false;
					}
				if (!add_slot(ctx, out, &cap, text + s, e - s,
					      sp))
					return false;
			}
			i = e;
			continue;
		}
		i++;
	}
	return ok;
}

long gb_template_find(const gb_template *t, const char *id)
{
	for (size_t i = 0; i < t->nslots; i++)
		if (strcmp(t->slots[i].id, id) == 0)
			return (long)i;
	return -1;
}

char *gb_template_fill(const gb_template *t, const char *const *content)
{
	gb_strbuf sb;
	uint32_t at = 0;

	gb_sb_init(&sb, NULL);
	for (size_t i = 0; i < t->nslots; i++) {
		gb_sb_putn(&sb, t->src->text + at, t->slots[i].span.off - at);
		gb_sb_puts(&sb, content[i]);
		at = t->slots[i].span.off + t->slots[i].span.len;
	}
	gb_sb_putn(&sb, t->src->text + at, t->src->len - at);
	return gb_sb_take(&sb);
}

const char *gb_default_template(void)
{
	return gb_template_hw_answers;
}

char *gb_overflow_slots(const char *log, size_t len)
{
	static const char tag[] = "gradbox-overflow: ";
	gb_strbuf sb;
	size_t i = 0;

	gb_sb_init(&sb, NULL);
	gb_sb_puts(&sb, "");
	while (log && i < len) {
		size_t e = i;

		while (e < len && log[e] != '\n')
			e++;
		if (e - i > sizeof tag - 1 &&
		    memcmp(log + i, tag, sizeof tag - 1) == 0) {
			size_t s = i + sizeof tag - 1, n = e - s;

			while (n > 0 && (log[s + n - 1] == '\r' ||
					 log[s + n - 1] == ' '))
				n--;
			gb_sb_putn(&sb, log + s, n);
			gb_sb_putc(&sb, '\n');
		}
		i = e + 1;
	}
	return gb_sb_take(&sb);
}
