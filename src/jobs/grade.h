/*
 * grade.h - grading filled-in answer sheets against a key (gb_grade in
 * include/gradbox.h).
 *
 * The key is an expression file; its `answer "ID" ...` statements name
 * the expected answer of each slot. A submission is the answer-sheet
 * template (templates/hw-answers.tex) with its boxes filled in. The
 * content of a box is found by its marker \gbslot{ID}, or by the box
 * environment \begin{answerbox}{ID} when the student removed the
 * marker; its last piece of math is the answer.
 */
#ifndef GB_GRADE_H
#define GB_GRADE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/strbuf.h"

/*
 * The answer written in box `id` of a submission, appended to out: the
 * box's content without comments and marker; unless whole, its last math
 * (or all of it when it has none), the part after a last top-level '=';
 * trimmed of blanks, punctuation and spacing. Returns 0 when found, 1
 * when the box is missing, 2 when it is empty, 3 when it has no math but
 * prose (a word of three letters or more outside commands).
 */
int gb_grade_extract(const char *sub, size_t len, const char *id,
		     bool whole, gb_strbuf *out);

#endif /* GB_GRADE_H */
