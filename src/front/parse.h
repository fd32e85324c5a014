/*
 * parse.h - the Pratt parser of the plain syntax (grammar/gradbox.ebnf).
 */
#ifndef GB_PARSE_H
#define GB_PARSE_H

#include "front/ast.h"

/*
 * Parses a whole program: statements separated by newlines or ';'. A
 * statement with a syntax error is diagnosed and skipped (recovery at
 * the next newline or ';' outside brackets), so the others still parse.
 * Returns the program (possibly with fewer statements than the text) or
 * NULL when memory ran out.
 */
gb_program *gb_parse_program(gb_ctx *ctx, const gb_source *src);

/*
 * Parses src as exactly one expression (a CLI argument). NULL after a
 * diagnostic when it is not one.
 */
gb_ast *gb_parse_expr(gb_ctx *ctx, const gb_source *src);

/* Binding power of unary minus: between '*' (11) and '^' (14). */
enum { GB_PREC_UNARY = 12, GB_PREC_POSTFIX = 15 };

#endif /* GB_PARSE_H */
