/*
 * run.h - running the statements of an expression file.
 *
 * A .grad file is a program (declarations, definitions, assignments)
 * interleaved with queries (show, answer, check, smooth, eval; see
 * grammar/gradbox.ebnf). gb_run_program runs them in order, in one
 * context: a query sees what the statements above it defined. A
 * statement that fails is diagnosed at its span and the others still
 * run. `else QUERY` runs only when the statement before it failed; that
 * failure is then downgraded to a warning (the stand-in is used).
 *
 * Every query leaves one gb_run_item holding its result twice: plain
 * text for `gradbox run` and LaTeX for an answer box (render.c).
 */
#ifndef GB_RUN_H
#define GB_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "front/ast.h"

typedef struct gb_run_item {
	const gb_stmt *stmt;
	unsigned line;		/* of the statement, from 1 */
	bool ok;		/* ran without an error */
	bool skipped;		/* an else statement not needed */
	bool fallback;		/* an else statement used instead */
	const char *why;	/* the first fallback of a chain: the error
				 * of the failed statement, for the marking */
	const char *source;	/* the statement's text */
	const char *plain;	/* the result as text (may span lines) */
	const char *latex;	/* the result as LaTeX for a box */
	const char *latex_short;/* a shorter form (a derivation without its
				 * middle steps), or NULL */
	int verdict;		/* check: 1 correct, 0 incorrect; else -1 */
} gb_run_item;

typedef struct gb_run {
	const gb_source *src;
	gb_run_item *items;	/* one per query, in order */
	size_t nitems;
	size_t nfailed;		/* statements (of any kind) that failed */
} gb_run;

/*
 * Runs the file `text`; *out (context memory) holds the results. GB_OK
 * when every statement ran; GB_ESYNTAX (or the failure's status) when
 * some did not, with *out still filled for the rest. NULL *out only when
 * memory ran out or the text could not be read as a source.
 */
gb_status gb_run_program(gb_ctx *ctx, const char *name, const char *text,
			 size_t len, gb_run **out);

/*
 * Watching a run statement by statement (jobs/batch.c: a budget and a
 * clock per statement, its diagnostics). before() is called before each
 * statement that parsed, after() once it has run, with its item (NULL
 * for a program statement), whether it succeeded and the last
 * diagnostic before it (NULL: none), so that its own are those after
 * mark. A failure that an else statement handles later is downgraded
 * then, after after() was called for it.
 */
struct gb_diag;

typedef struct gb_run_watch {
	void (*before)(void *arg, const gb_stmt *st);
	void (*after)(void *arg, const gb_stmt *st, const gb_run_item *it,
		      bool ok, struct gb_diag *mark);
	void *arg;
} gb_run_watch;

/* gb_run_program with a watch (w may be NULL). */
gb_status gb_run_program_watched(gb_ctx *ctx, const char *name,
				 const char *text, size_t len,
				 const gb_run_watch *w, gb_run **out);

#endif /* GB_RUN_H */
