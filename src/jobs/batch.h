/*
 * batch.h - every statement of an expression file as a record.
 *
 * gb_run_records (include/gradbox.h) runs a file as `gradbox run` does,
 * watching it statement by statement (run.h): each statement gets a
 * fresh budget, so a time limit applies per statement, and a clock; its
 * own diagnostics are those reported while it ran. Text that did not
 * parse becomes a record of kind "syntax" at its line. The CLI (`gradbox
 * batch`) writes the records as JSON Lines; this module knows no JSON.
 */
#ifndef GB_BATCH_H
#define GB_BATCH_H

#include "gradbox.h"

struct gb_diag;

/*
 * The diagnostics from the one after `from` (NULL: the first) to `to`
 * (inclusive; NULL: none), each followed by its notes, as data in
 * context memory. False when memory ran out.
 */
bool gb_batch_diags(gb_ctx *ctx, struct gb_diag *from, struct gb_diag *to,
		    gb_diag_info **out, size_t *n);

#endif /* GB_BATCH_H */
