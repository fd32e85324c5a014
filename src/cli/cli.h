/*
 * cli.h - what the command-line files share: the parsed options, the
 * command table's entry type and the helpers every command uses.
 *
 * The CLI (src/main.c and src/cli/) links only libgradbox.a and uses only
 * include/gradbox.h, so it proves that the public API is enough.
 */
#ifndef GB_CLI_H
#define GB_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "gradbox.h"

enum { EXIT_OK = 0, EXIT_WRONG = 1, EXIT_BAD = 2 };

/* Everything a command may be given, parsed once for all commands. */
typedef struct opts {
	const char *cmd;
	long digits;
	bool latex, json, steps;
	const char *wrt;
	const char *notation;	/* grad --steps: T,circ,rm,plain,nobold */
	gb_convention convention;	/* --convention pytorch|jax */
	unsigned long order;
	unsigned long max_nodes;	/* --max-nodes; 0: the library's */
	const char *tmpl;	/* render --template T */
	const char *output;	/* render -o OUT */
	bool no_pdf;		/* render --no-pdf */
	unsigned long jobs;	/* batch -j N; 0: 1 */
	unsigned long timeout_ms;	/* batch --timeout S; 0: none */
	bool no_times;		/* batch --no-times */
	const char **files;	/* -f FILE, in order */
	size_t nfiles;
	const char **binds;	/* NAME=VALUE */
	size_t nbinds;
	const char **pos;	/* positional arguments */
	size_t npos;
} opts;

typedef struct command {
	const char *name;
	int (*run)(gb_ctx *ctx, const opts *o);
	const char *usage;
	const char *summary;
} command;

const command *find_command(const char *name);

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
int bad_usage(const char *cmd, const char *fmt, ...);

/* Renders and clears the context's diagnostics on stderr; EXIT_BAD. */
int cli_report(gb_ctx *ctx);

/* A whole file, NUL-terminated (free() it); NULL after a message. */
char *cli_read_file(const char *path, size_t *len);

/*
 * Loads the -f files, binds NAME=VALUE, then (when expr is not NULL)
 * parses the one positional expression. EXIT_OK or an exit status.
 */
int cli_prepare(gb_ctx *ctx, const opts *o, const gb_node **expr);

/* puts(s) and frees it; EXIT_BAD when s is NULL (out of memory). */
int cli_print_string(gb_ctx *ctx, char *s);

int cmd_eval(gb_ctx *ctx, const opts *o);
int cmd_print(gb_ctx *ctx, const opts *o);
int cmd_diff(gb_ctx *ctx, const opts *o);
int cmd_check(gb_ctx *ctx, const opts *o);
int cmd_verify(gb_ctx *ctx, const opts *o);
int cmd_smooth(gb_ctx *ctx, const opts *o);
int cmd_grad(gb_ctx *ctx, const opts *o);
int cmd_run(gb_ctx *ctx, const opts *o);
int cmd_render(gb_ctx *ctx, const opts *o);
int cmd_batch(gb_ctx *ctx, const opts *o);
int cmd_grade(gb_ctx *ctx, const opts *o);

#endif /* GB_CLI_H */
