/*
 * latex.h - the LaTeX printer (conventions: design/latex.md section 3.4).
 *
 * Quotients as \frac{a}{b}; exp(u) as e^{u} when u is short and flat,
 * else \exp(u) (\exp\left(u\right) around a fraction); \log, \sigma for
 * sigmoid, \operatorname{ReLU}, \lvert x \rvert, \sqrt{x}, \max(a, b)
 * from grammar/functions.def; Greek names as \alpha; W1 as W_{1}; zhat
 * as \hat{z}; non-scalar symbols bold (\mathbf{W}, \boldsymbol{\sigma},
 * accents outside: \hat{\mathbf{z}}); other multi-letter names
 * \mathrm{name}. Products by juxtaposition (`2 x`, `\beta x`), `\,`
 * before a parenthesised factor, `\cdot` before a factor that starts
 * with a digit; transpose ^\top, Hadamard \odot, piecewise as cases.
 * Parentheses by the binding powers of grammar/operators.def; \left(
 * \right) only around tall content (a \frac or an environment).
 * Exponents are written inline: x^{1/2}, 2^{x/3}. The output is
 * deterministic and meant to be read back by the LaTeX parser.
 */
#ifndef GB_LATEX_H
#define GB_LATEX_H

#include "core/node.h"
#include "core/strbuf.h"

/* Appends the LaTeX form of e to sb (sb->failed on allocation failure). */
void gb_latex_to(gb_strbuf *sb, const gb_node *e);

/* The LaTeX spelling of a symbol name of the given shape. */
void gb_latex_name(gb_strbuf *sb, const char *name, size_t len,
		   gb_shape shape);

#endif /* GB_LATEX_H */
