/*
 * ast.h - syntax trees with source spans.
 *
 * The parsers (plain: parse.c, LaTeX: parse_latex.c) build these; lower.c
 * turns them into DAG nodes, reporting unknown names, arity and shape
 * errors at the spans kept here. Trees are allocated in the context's
 * arena.
 */
#ifndef GB_AST_H
#define GB_AST_H

#include <stdbool.h>
#include <stdint.h>

#include "core/node.h"
#include "front/source.h"

typedef enum gb_ast_kind {
	AST_NUM,	/* literal; text is the literal's spelling */
	AST_NAME,	/* identifier; text is its (ASCII) name */
	AST_NEG,	/* -args[0] */
	AST_BINARY,	/* args[0] op args[1]: op is a GB_OP_* of operators.def */
	AST_TRANSPOSE,	/* args[0]' */
	AST_CALL,	/* text(args...); name_span covers the name */
	AST_PIECEWISE,	/* args: cond, value, ...; AST_F_OTHERWISE: last is
			 * the otherwise-value */
	AST_MATRIX	/* [a, b] (rows x 1) or [[a, b], [c, d]]: rows x cols
			 * entries, row-major */
} gb_ast_kind;

enum {
	AST_F_OTHERWISE = 1u << 0,	/* piecewise ends with otherwise: */
	AST_F_PAREN = 1u << 1		/* was written in parentheses */
};

typedef struct gb_ast {
	uint8_t kind;		/* gb_ast_kind */
	uint8_t op;		/* AST_BINARY: gb_op */
	uint16_t flags;
	gb_span span;		/* the whole construct */
	gb_span name_span;	/* AST_CALL: the function's name */
	uint32_t height;	/* 1 for a leaf, else 1 + the tallest child;
				 * the parser keeps it <= limits.max_depth, so
				 * recursive passes over a tree are bounded */
	const char *text;	/* AST_NUM, AST_NAME, AST_CALL */
	uint32_t text_len;
	uint32_t rows, cols;	/* AST_MATRIX */
	uint32_t nargs;
	struct gb_ast **args;
} gb_ast;

typedef enum gb_stmt_kind {
	STMT_EXPR,	/* a bare expression */
	STMT_DEF,	/* name(params) = expr */
	STMT_ASSIGN,	/* name = expr */
	STMT_PARAM,	/* param name [rel bound]: rel is a GB_OP_ comparison
			 * or GB_OP_NONE; `param alpha = 1.5` has rel
			 * GB_OP_EQ and binds the value */
	STMT_DIM,	/* dim name [= expr] */
	STMT_VECTOR,	/* vector name[dim] */
	STMT_MATRIX	/* matrix name[dim, dim] */
} gb_stmt_kind;

/*
 * Queries: statements that ask for a result (jobs/run.c runs them).
 * Their kinds continue gb_stmt_kind in an enum of their own, so that
 * lowering, which runs only the program statements above, keeps an
 * exhaustive switch; gb_load skips queries.
 */
typedef enum gb_query_kind {
	STMT_SHOW = 16,	/* show EXPR */
	STMT_ANSWER,	/* answer "ID" [MODE] ... : binds a result to a slot */
	STMT_CHECK,	/* check EXPR == ANSWER */
	STMT_SMOOTH,	/* smooth f ["label"], g, ... [in x] */
	STMT_EVAL	/* eval EXPR at x = 0.7, ... [digits N] */
} gb_query_kind;

/* What an answer (or a bare query) computes; see grammar/gradbox.ebnf. */
typedef enum gb_query_mode {
	QM_VALUE,	/* the expression (a derivative: cases + kinks) */
	QM_STEPS,	/* the derivative with its derivation */
	QM_SMOOTH,	/* smoothness classes with explanations */
	QM_TEXT,	/* prose */
	QM_APPROACH,	/* EXPR to TARGET as p = v1, v2, ... at x = ... */
	QM_STACK,	/* gradient through stacked layers against depth */
	QM_CHECK,	/* check EXPR == ANSWER */
	QM_EVAL		/* eval EXPR at ... */
} gb_query_mode;

static inline bool gb_stmt_is_query(unsigned kind)
{
	return kind >= STMT_SHOW;
}

/* NAME = value, value, ... in `at` and `as` clauses. */
typedef struct gb_binding {
	const char *name;
	gb_span span;		/* the name */
	uint32_t nvalues;
	gb_ast **values;
} gb_binding;

/* A list item of `smooth`: an expression or a name, with a label. */
typedef struct gb_item {
	gb_ast *expr;
	const char *label;	/* "ReLU", or NULL */
} gb_item;

typedef struct gb_query {
	uint8_t mode;		/* gb_query_mode */
	bool is_else;		/* `else STATEMENT`: runs if the last failed */
	bool latex_answer;	/* check: ANSWER was latex"..." */
	const char *slot;	/* answer: the slot ID, else NULL */
	gb_span slot_span;
	gb_ast *expr;		/* the expression asked about */
	gb_ast *target;		/* check: a plain ANSWER; approach: TARGET */
	const char *text;	/* text "...", latex"..." (unquoted) */
	gb_span text_span;
	gb_item *items;		/* smooth: functions; stack: layers */
	uint32_t nitems;
	const char *var;	/* smooth, stack: `in NAME` (or NULL) */
	gb_span var_span;
	gb_binding *at;		/* at x = ..., w = ... */
	uint32_t nat;
	gb_binding *as;		/* approach: as p = v1, v2, ... */
	long digits;		/* eval: digits N (0: 20) */
	long lo, hi;		/* stack: depth LO to HI */
} gb_query;

typedef struct gb_stmt {
	uint8_t kind;		/* gb_stmt_kind or gb_query_kind */
	uint8_t rel;		/* STMT_PARAM: gb_op */
	gb_span span;		/* the whole statement */
	const char *name;	/* defined / declared name */
	uint32_t name_len;
	gb_span name_span;
	uint32_t nparams;	/* STMT_DEF: AST_NAME nodes; STMT_VECTOR,
				 * STMT_MATRIX: the dimension expressions */
	gb_ast **params;
	gb_ast *expr;		/* body, value or bound (NULL if none) */
	gb_query *q;		/* queries: what is asked */
} gb_stmt;

typedef struct gb_program {
	const gb_source *src;
	uint32_t nstmts;
	gb_stmt **stmts;	/* statements that parsed; the others were
				 * diagnosed and skipped */
} gb_program;

#endif /* GB_AST_H */
