/*
 * parse_latex.h - the LaTeX front end (grammar/latex.ebnf): a student's
 * answer as typed in an answer box, parsed into the same syntax trees as
 * the plain syntax (front/ast.h), so lowering, shapes and diagnostics
 * are shared.
 */
#ifndef GB_PARSE_LATEX_H
#define GB_PARSE_LATEX_H

#include "front/ast.h"

/*
 * Parses src as one LaTeX math expression (without the surrounding $).
 * NULL after a diagnostic at the offending span ("unsupported LaTeX
 * command \foo", "expected '}' to close '{'", ...).
 */
gb_ast *gb_parse_latex_expr(gb_ctx *ctx, const gb_source *src);

/*
 * The deepest nesting the LaTeX parser accepts: a level of LaTeX
 * (\frac{..}, a group, an argument) takes about four C stack frames, so
 * the context's limit is divided by GB_LATEX_DEPTH_COST to keep the same
 * stack budget as the plain parser (and fit it under AddressSanitizer).
 */
enum { GB_LATEX_DEPTH_COST = 4 };
uint32_t gb_latex_max_depth(const gb_ctx *ctx);

/*
 * Would \mathrm{s} (or \operatorname, \text) read as a function: a name
 * of grammar/functions.def or an alias such as ln, in any case? The
 * printer spells such a variable \mathit{s}, which always reads as a name.
 */
bool gb_latex_is_function_word(const char *s, size_t n);

/* Does text look like LaTeX rather than the plain syntax? (a backslash,
 * a brace, or '&'): used to detect the kind of an answer. */
bool gb_looks_like_latex(const char *text, size_t len);

#endif /* GB_PARSE_LATEX_H */
