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

typedef struct gb_stmt {
	uint8_t kind;		/* gb_stmt_kind */
	uint8_t rel;		/* STMT_PARAM: gb_op */
	gb_span span;		/* the whole statement */
	const char *name;	/* defined / declared name */
	uint32_t name_len;
	gb_span name_span;
	uint32_t nparams;	/* STMT_DEF: AST_NAME nodes; STMT_VECTOR,
				 * STMT_MATRIX: the dimension expressions */
	gb_ast **params;
	gb_ast *expr;		/* body, value or bound (NULL if none) */
} gb_stmt;

typedef struct gb_program {
	const gb_source *src;
	uint32_t nstmts;
	gb_stmt **stmts;	/* statements that parsed; the others were
				 * diagnosed and skipped */
} gb_program;

#endif /* GB_AST_H */
