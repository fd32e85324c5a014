/*
 * template.h - answer-sheet templates: slots, filling, overflow reports.
 *
 * A template is a LaTeX document whose answer boxes each hold one slot
 * marker, \gbslot{ID}, on its own (the template defines \gbslot to
 * expand to nothing, so it compiles alone with empty boxes). Markers in
 * comments are ignored. Filling replaces each marker by its content;
 * the rest of the document is copied byte for byte.
 *
 * Overflow: the template's box environment measures its content after
 * typesetting (tcolorbox sets \tcbheightspace to the fixed height minus
 * the natural height) and writes "gradbox-overflow: ID" to the log when
 * it is negative; gb_overflow_slots reads those lines back.
 */
#ifndef GB_TEMPLATE_H
#define GB_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>

#include "front/source.h"

typedef struct gb_tslot {
	const char *id;		/* NUL-terminated, context memory */
	gb_span span;		/* the whole marker \gbslot{ID} */
} gb_tslot;

typedef struct gb_template {
	const gb_source *src;
	gb_tslot *slots;	/* in document order */
	size_t nslots;
} gb_template;

/*
 * Reads the slot markers of a template. False after a diagnostic at the
 * marker: an empty or unterminated ID, or the same ID twice.
 */
bool gb_template_scan(gb_ctx *ctx, const char *name, const char *text,
		      size_t len, gb_template *out);

/* The index of slot id, or -1. */
long gb_template_find(const gb_template *t, const char *id);

/*
 * The document with slot i replaced by content[i] (every entry set), in
 * a new string (gb_free it); NULL when out of memory.
 */
char *gb_template_fill(const gb_template *t, const char *const *content);

/* The built-in template, generated from templates/hw-answers.tex. */
extern const char gb_template_hw_answers[];
extern const size_t gb_template_hw_answers_len;

#endif /* GB_TEMPLATE_H */
