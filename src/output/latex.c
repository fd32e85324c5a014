/*
 * latex.c - the LaTeX printer (see latex.h).
 *
 * The arrangement is the plain printer's (print.h: positive terms first,
 * coefficient first, negative exponents below the bar) and so is the
 * parenthesisation: a form per construct, checked against the binding
 * powers of grammar/operators.def. Differences: products are
 * juxtaposition at the level of '*'; a \frac is a group, so it needs no
 * parentheses except as a base or under a transpose; inside exponents
 * (inline mode) quotients are written a/b as in the plain syntax.
 *
 * Parentheses are sized by what they enclose: the child is written
 * first, then `(` or `\left(` is inserted before it, depending on
 * whether the written text is tall (holds a \frac or an environment).
 */
#include "output/latex.h"

#include <string.h>

#include <gmp.h>

#include "core/ctx.h"
#include "core/strbuf.h"
#include "front/parse.h"	/* GB_PREC_UNARY, GB_PREC_POSTFIX */
#include "front/parse_latex.h"
#include "output/print.h"

static const struct opinfo {
	uint8_t left, right;
	const char *latex;
} ops[GB_NOPS] = {
#define OP(name, tok, l, r, plain, latex) [GB_OP_##name] = { l, r, latex },
#include "operators.def"
#undef OP
};

static const char *const fn_latex[GB_NFNS] = {
#define FN(id, name, lo, hi, latex, ev, d) [GB_FN_##id] = latex,
#include "functions.def"
#undef FN
};

static const char *const fn_name[GB_NFNS] = {
#define FN(id, name, lo, hi, latex, ev, d) [GB_FN_##id] = name,
#include "functions.def"
#undef FN
};

/* Is s[0..n) exactly the name of a built-in function? Lowering refuses
 * such variables, so a symbol named so is a label (the sin of
 * \partial sin / \partial x), printed upright. */
static bool is_fn_name(const char *s, size_t n)
{
	for (size_t i = 0; i < GB_NFNS; i++)
		if (gb_str_is(s, n, fn_name[i]))
			return true;
	return false;
}

enum { PREC_ATOM = 100, EXP_FLAT_SIZE = 7 };

typedef struct form {
	uint8_t left, right;
	bool neg;
} form;

typedef struct lp {
	gb_strbuf *sb;
	bool inl;	/* inside an exponent: quotients as a/b */
} lp;

static const form atom = { PREC_ATOM, PREC_ATOM, false };

static form binary(gb_op op, bool neg)
{
	form f = { ops[op].left, ops[op].right, neg };

	return f;
}

static const form prefix = { PREC_ATOM, GB_PREC_UNARY, true };

static bool is_int(mpq_srcptr q)
{
	return mpz_cmp_ui(mpq_denref(q), 1) == 0;
}

static bool unit_num(mpq_srcptr q)
{
	return mpz_cmpabs_ui(mpq_numref(q), 1) == 0;
}

static bool unit(mpq_srcptr q)
{
	return unit_num(q) && is_int(q);
}

/* ------------------------------------------------------- buffer edits */

/* Inserts s at byte pos of sb (pos <= sb->len). */
static void insert(gb_strbuf *sb, size_t pos, const char *s)
{
	size_t n = strlen(s), old = sb->len;

	gb_sb_putn(sb, s, n);		/* grow; contents fixed below */
	if (sb->failed)
		return;
	memmove(sb->s + pos + n, sb->s + pos, old - pos);
	memcpy(sb->s + pos, s, n);
}

/* Whether the text from pos on is tall: a fraction or an environment. */
static bool tall_from(const gb_strbuf *sb, size_t pos)
{
	if (sb->failed)
		return false;
	for (size_t i = pos; i < sb->len; i++)
		if (sb->s[i] == '\\' && (strncmp(sb->s + i, "\\frac", 5) == 0 ||
					 strncmp(sb->s + i, "\\begin", 6) == 0))
			return true;
	return false;
}

static bool has_from(const gb_strbuf *sb, size_t pos, char c)
{
	return !sb->failed && memchr(sb->s + pos, c, sb->len - pos) != NULL;
}

/* Wraps the text from pos on in ( ) or \left( \right). */
static void wrap_from(gb_strbuf *sb, size_t pos)
{
	if (tall_from(sb, pos)) {
		insert(sb, pos, "\\left(");
		gb_sb_puts(sb, "\\right)");
	} else {
		insert(sb, pos, "(");
		gb_sb_putc(sb, ')');
	}
}

/*
 * Before a juxtaposed factor written from pos on: `\cdot` when it starts
 * with a digit (2 \cdot 3^{x}), `\,` when it starts with a parenthesis,
 * else a space.
 */
static void juxtapose_at(gb_strbuf *sb, size_t pos)
{
	const char *s;

	if (sb->failed || pos >= sb->len)
		return;
	s = sb->s + pos;
	if (*s >= '0' && *s <= '9')
		insert(sb, pos, " \\cdot ");
	else if (*s == '(' || strncmp(s, "\\left(", 6) == 0)
		insert(sb, pos, " \\, ");
	else
		insert(sb, pos, " ");
}

/* ---------------------------------------------------------------- names */

static const char *const greek[] = {
	"alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta",
	"eta", "theta", "vartheta", "iota", "kappa", "lambda", "mu", "nu",
	"xi", "pi", "rho", "sigma", "tau", "upsilon", "phi", "varphi", "chi",
	"psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi",
	"Sigma", "Upsilon", "Phi", "Psi", "Omega", "ell",
};

static bool is_greek(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof greek / sizeof greek[0]; i++)
		if (gb_str_is(s, n, greek[i]))
			return true;
	return false;
}

static const struct {
	const char *suffix, *cmd;
	size_t len;	/* of suffix */
} accents[] = {
	{ "hat", "\\hat", 3 }, { "bar", "\\bar", 3 }, { "tilde", "\\tilde", 5 },
};

/* The accent command whose suffix ends name[0..*n), stripping it. */
static const char *strip_accent(const char *name, size_t *n)
{
	for (size_t i = 0; i < sizeof accents / sizeof accents[0]; i++) {
		size_t k = accents[i].len;

		/* the last byte first: most names end in none of them */
		if (*n > k && name[*n - 1] == accents[i].suffix[k - 1] &&
		    memcmp(name + *n - k, accents[i].suffix, k) == 0) {
			*n -= k;
			return accents[i].cmd;
		}
	}
	return NULL;
}

/*
 * A name without subscript or accent: x, \alpha, \mathrm{loss}. A
 * variable (var) whose name a function also has (ln, Max) is \mathit{ln},
 * which reads back as a name; not in a subscript (x_{\mathrm{max}}),
 * where no function is read, nor a function's own name in a label.
 */
static void put_base(gb_strbuf *sb, const char *s, size_t n, bool bold,
		     bool var, const char *full, size_t full_len)
{
	if (is_greek(s, n)) {
		if (bold)
			gb_sb_puts(sb, "\\boldsymbol{");
		gb_sb_putc(sb, '\\');
		gb_sb_putn(sb, s, n);
		if (bold)
			gb_sb_putc(sb, '}');
		return;
	}
	if (n == 1 && !bold) {
		gb_sb_putn(sb, s, n);
		return;
	}
	/* a symbol named exactly like a function (full) is a label (see
	 * is_fn_name); its base is upright; asked only here, where it
	 * matters, since the look-ups cost a scan of the function names */
	gb_sb_puts(sb, bold ? "\\mathbf{" :
		   var && !is_fn_name(full, full_len) &&
		   gb_latex_is_function_word(s, n) ?
		   "\\mathit{" :
		   "\\mathrm{");
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '_')
			gb_sb_putc(sb, '\\');
		gb_sb_putc(sb, s[i]);
	}
	gb_sb_putc(sb, '}');
}

/*
 * name = base [digits | _sub] [hat|bar|tilde]: W1 is W_{1}, x_i x_{i},
 * zhat \hat{z}, W1hat \hat{W}_{1}; a non-scalar base is bold, with the
 * accent outside (\hat{\mathbf{z}}).
 */
static void latex_name(gb_strbuf *sb, const char *name, size_t len,
		       gb_shape shape, bool var)
{
	bool bold = !(shape.rows == 1 && shape.cols == 1);
	const char *acc, *sub = NULL, *us;
	size_t base, nsub = 0;

	/* The most common name, one character, scalar: itself (no accent
	 * or subscript fits in it, and no Greek or function name is one
	 * character long). */
	if (len == 1 && !bold) {
		gb_sb_putc(sb, name[0]);
		return;
	}
	acc = strip_accent(name, &len);
	base = len;
	us = memchr(name, '_', len);

	if (us && us != name && (size_t)(us - name) + 1 < len) {
		base = (size_t)(us - name);
		sub = us + 1;
		nsub = len - base - 1;
	} else {
		while (base > 1 && name[base - 1] >= '0' && name[base - 1] <= '9')
			base--;
		if (base < len && !(name[base - 1] >= '0' &&
				    name[base - 1] <= '9')) {
			sub = name + base;
			nsub = len - base;
		} else {
			base = len;
		}
	}
	/* Only a suffix ending the whole name is an accent: tr5hat53 is
	 * \mathrm{tr5hat}_{53}, since \hat{\mathrm{tr5}}_{53} reads back as
	 * tr553hat (an accent's suffix goes after the subscript). */
	if (acc) {
		gb_sb_puts(sb, acc);
		gb_sb_putc(sb, '{');
	}
	put_base(sb, name, base, bold, var, name, len);
	if (acc)
		gb_sb_putc(sb, '}');
	if (sub) {
		bool digits = true;

		for (size_t i = 0; i < nsub; i++)
			if (!(sub[i] >= '0' && sub[i] <= '9'))
				digits = false;
		gb_sb_puts(sb, "_{");
		if (digits)
			gb_sb_putn(sb, sub, nsub);
		else
			latex_name(sb, sub, nsub, (gb_shape){ 1, 1 }, false);
		gb_sb_putc(sb, '}');
	}
}

void gb_latex_name(gb_strbuf *sb, const char *name, size_t len,
		   gb_shape shape)
{
	latex_name(sb, name, len, shape, false);
}

/* A variable of an expression (see put_base). */
static void latex_var(gb_strbuf *sb, const gb_sym *s, gb_shape shape)
{
	latex_name(sb, s->name, s->len, shape, true);
}

/* ---------------------------------------------------------------- forms */

typedef struct product {
	mpq_srcptr c;
	const gb_node *const *f;
	uint32_t nf, nnum, nden;
} product;

static product split_with(const gb_node *const *self, mpq_srcptr c)
{
	const gb_node *e = *self;
	product p = { c, self, 1, 0, 0 };

	if (e->kind == GB_MUL) {
		uint32_t skip = gb_print_coeff(e) ? 1 : 0;

		p.f = e->arg + skip;
		p.nf = e->nargs - skip;
	}
	if (p.c && !unit_num(p.c))
		p.nnum++;
	if (p.c && !is_int(p.c))
		p.nden++;
	for (uint32_t i = 0; i < p.nf; i++) {
		if (gb_print_is_denominator(p.f[i]))
			p.nden++;
		else
			p.nnum++;
	}
	return p;
}

static const gb_node *first_factor(const product *p, bool den)
{
	for (uint32_t i = 0; i < p->nf; i++)
		if (gb_print_is_denominator(p->f[i]) == den)
			return p->f[i];
	return NULL;
}

/*
 * As in print.c: a coefficient meeting a lone sum first would be
 * distributed when the text is read back, so such a product is written
 * coefficient, then the rest as a group: 2 \frac{a + b}{y},
 * \frac{1}{3} \frac{x}{a + b}, 2 \, ((a + b) (c + d)).
 */
static bool hazard(const product *p, bool absval)
{
	const gb_node *f = first_factor(p, false), *d = first_factor(p, true);
	bool sign = p->c && mpq_sgn(p->c) < 0 && !absval;

	if (f && f->kind == GB_ADD && (sign || (p->c && !unit_num(p->c))))
		return true;
	return p->c && !is_int(p->c) && d && unit(d->arg[1]->u.q) &&
	       d->arg[0]->kind == GB_ADD;
}

static const gb_node *lone_factor(const product *p)
{
	if (p->nden || p->nnum != 1 || (p->c && !unit_num(p->c)))
		return NULL;
	return first_factor(p, false);
}

static form form_of(const gb_node *e, bool inl);

static form product_form(const gb_node *const *self, bool absval, bool inl)
{
	product p = split_with(self, gb_print_coeff(*self));
	bool sign = p.c && mpq_sgn(p.c) < 0 && !absval;
	const gb_node *f = lone_factor(&p);

	if (f)
		return sign ? prefix : form_of(f, inl);
	if (hazard(&p, absval))
		return binary(GB_OP_MUL, sign);
	if (p.nden && !inl)		/* [-]\frac{..}{..} */
		return sign ? prefix : atom;
	return binary(GB_OP_MUL, sign);
}

static form form_of(const gb_node *e, bool inl)
{
	form f0;

	switch ((gb_kind)e->kind) {
	case GB_NUM:
		if (!is_int(e->u.q) && inl)
			return binary(GB_OP_DIV, mpq_sgn(e->u.q) < 0);
		return mpq_sgn(e->u.q) < 0 ? prefix : atom;
	case GB_CONST:
	case GB_SYM:
	case GB_CALL:
	case GB_MATRIX:
	case GB_PIECEWISE:
		return atom;
	case GB_POW:
		if (e->arg[1]->kind == GB_NUM &&
		    gb_print_is_sqrt_exp(e->arg[1]->u.q, 1))
			return atom;	/* \sqrt{u} */
		if (gb_print_is_denominator(e))
			return inl ? binary(GB_OP_DIV, false) : atom;
		return binary(GB_OP_POW, false);
	case GB_MUL:
		return product_form(&e, false, inl);
	case GB_ADD:
		return binary(GB_OP_ADD,
			      form_of(e->arg[gb_print_sum_lead(e)], inl).neg);
	case GB_TRANSPOSE: {
		form t = { GB_PREC_POSTFIX, PREC_ATOM, false };

		return t;
	}
	case GB_MATMUL:
	case GB_HADAMARD:
	case GB_CMP:
	case GB_AND:
	case GB_OR: {
		gb_op op = e->kind == GB_MATMUL ? GB_OP_MUL :
			   e->kind == GB_HADAMARD ? GB_OP_HADAMARD :
			   e->kind == GB_AND ? GB_OP_AND :
			   e->kind == GB_OR ? GB_OP_OR : (gb_op)e->op;

		f0 = form_of(e->arg[0], inl);
		return binary(op, f0.neg && f0.right >= ops[op].left);
	}
	case GB_NKINDS:
		break;
	}
	return atom;
}

/*
 * Whether e can carry a superscript (as a base, or transposed) without
 * parentheses: x^{2}, \sigma(x)^{2}, \hat{\mathbf{z}}^\top. A power, an
 * exp written e^{u}, a root, a fraction, a sign or an operator cannot.
 */
static bool script_ok(const gb_node *e)
{
	switch ((gb_kind)e->kind) {
	case GB_NUM:
		return is_int(e->u.q) && mpq_sgn(e->u.q) >= 0;
	case GB_CONST:
	case GB_SYM:
	case GB_MATRIX:
		return true;
	case GB_CALL:
		return e->fn != GB_FN_EXP && e->fn != GB_FN_SQRT;
	default:
		return false;
	}
}

/* ------------------------------------------------------------- printing */

static void put(lp *p, const gb_node *e);

static void put_wrapped(lp *p, const gb_node *e, bool paren)
{
	size_t at = p->sb->len;

	put(p, e);
	if (paren)
		wrap_from(p->sb, at);
}

static void put_left(lp *p, const gb_node *e, unsigned lpow)
{
	put_wrapped(p, e, form_of(e, p->inl).right < lpow);
}

static void put_right(lp *p, const gb_node *e, unsigned rpow)
{
	form f = form_of(e, p->inl);
	bool arith = rpow >= ops[GB_OP_ADD].right;

	put_wrapped(p, e, f.left <= rpow || (f.neg && arith));
}

/* q as p, \frac{p}{q} (display) or p/q (inline); sign unless absval. */
static void put_q(lp *p, mpq_srcptr q, bool absval)
{
	if (mpq_sgn(q) < 0 && !absval)
		gb_sb_putc(p->sb, '-');
	if (is_int(q)) {
		gb_print_mpz_abs(p->sb, mpq_numref(q));
	} else if (p->inl) {
		gb_print_mpz_abs(p->sb, mpq_numref(q));
		gb_sb_putc(p->sb, '/');
		gb_print_mpz_abs(p->sb, mpq_denref(q));
	} else {
		gb_sb_puts(p->sb, "\\frac{");
		gb_print_mpz_abs(p->sb, mpq_numref(q));
		gb_sb_puts(p->sb, "}{");
		gb_print_mpz_abs(p->sb, mpq_denref(q));
		gb_sb_putc(p->sb, '}');
	}
}

/* An exponent: inline, in braces. */
static void put_exponent(lp *p, const gb_node *e)
{
	bool inl = p->inl;
	/* a power T: ^{T} would read back as a transpose */
	bool t = e->kind == GB_SYM && strcmp(e->u.sym->name, "T") == 0;

	gb_sb_puts(p->sb, t ? "^{(" : "^{");
	p->inl = true;
	put(p, e);
	p->inl = inl;
	gb_sb_puts(p->sb, t ? ")}" : "}");
}

/*
 * Juxtaposed items of one side of a fraction: the integer z (unless
 * NULL) and the factors on that side, with exponents negated below the
 * bar. `group` tells whether the side is delimited (\frac braces):
 * then a lone item needs no parentheses.
 */
static void put_side(lp *p, const product *pr, mpz_srcptr z, bool den,
		     bool group, bool sign)
{
	uint32_t n = 0, total = (z ? 1 : 0);
	size_t at;

	for (uint32_t i = 0; i < pr->nf; i++)
		if (gb_print_is_denominator(pr->f[i]) == den)
			total++;
	if (total == 0)
		gb_sb_putc(p->sb, '1');
	if (z) {
		gb_print_mpz_abs(p->sb, z);
		n++;
	}
	for (uint32_t i = 0; i < pr->nf; i++) {
		const gb_node *f = pr->f[i], *b = f;
		mpq_srcptr q = NULL;
		form ff;
		bool paren;

		if (gb_print_is_denominator(f) != den)
			continue;
		if (den) {
			b = f->arg[0];
			q = f->arg[1]->u.q;
			ff = unit(q) ? form_of(b, p->inl) :
			     gb_print_is_sqrt_exp(q, -1) ? atom :
				       binary(GB_OP_POW, false);
		} else {
			ff = form_of(f, p->inl);
		}
		at = p->sb->len;
		if (n == 0)
			paren = (total > 1 && ff.right < ops[GB_OP_MUL].left) ||
				(sign && (ff.left <= GB_PREC_UNARY || ff.neg)) ||
				(!group && total == 1 && den &&
				 (ff.left <= ops[GB_OP_DIV].right || ff.neg)) ||
				/* inline a/b: a sum on the left needs (a + b)/c */
				(!group && total == 1 && !den &&
				 ff.right < ops[GB_OP_DIV].left);
		else
			paren = ff.left <= ops[GB_OP_MUL].right || ff.neg;
		/* a long product kept whole (core/build.c) is one factor */
		paren = paren || (!den && f->kind == GB_MUL);
		if (den && gb_print_is_sqrt_exp(q, -1)) {
			gb_sb_puts(p->sb, "\\sqrt{");
			put(p, b);
			gb_sb_putc(p->sb, '}');
		} else if (den && !unit(q)) {
			size_t bat = p->sb->len;

			put(p, b);
			if (!script_ok(b))
				wrap_from(p->sb, bat);
			gb_sb_puts(p->sb, "^{");
			{
				bool inl = p->inl;

				p->inl = true;
				put_q(p, q, true);
				p->inl = inl;
			}
			gb_sb_putc(p->sb, '}');
		} else {
			put(p, b);
		}
		if (paren)
			wrap_from(p->sb, at);
		if (n > 0)
			juxtapose_at(p->sb, at);
		n++;
	}
}

static void put_product(lp *p, const gb_node *const *self, bool absval)
{
	mpq_srcptr c = gb_print_coeff(*self);
	product pr = split_with(self, c);
	bool sign = c && mpq_sgn(c) < 0 && !absval;
	const gb_node *lone = lone_factor(&pr);
	gb_strbuf *sb = p->sb;
	size_t at;

	if (lone) {
		form f = form_of(lone, p->inl);

		if (sign)
			gb_sb_putc(sb, '-');
		put_wrapped(p, lone, sign && (f.left <= GB_PREC_UNARY || f.neg));
		return;
	}
	if (sign)
		gb_sb_putc(sb, '-');
	if (hazard(&pr, absval)) {		/* |c| then the rest */
		product rest = split_with(self, NULL);

		if (!unit(c))
			put_q(p, c, true);
		at = sb->len;
		if (rest.nden && !p->inl) {
			gb_sb_puts(sb, "\\frac{");
			put_side(p, &rest, NULL, false, true, false);
			gb_sb_puts(sb, "}{");
			put_side(p, &rest, NULL, true, true, false);
			gb_sb_putc(sb, '}');
		} else {
			put_side(p, &rest, NULL, false, false, false);
			if (rest.nden) {
				size_t d;

				gb_sb_putc(sb, '/');
				d = sb->len;
				put_side(p, &rest, NULL, true, false, false);
				if (rest.nden > 1)
					wrap_from(sb, d);
			}
			wrap_from(sb, at);
		}
		if (!unit(c))
			juxtapose_at(sb, at);
		return;
	}
	if (pr.nden && !p->inl) {
		gb_sb_puts(sb, "\\frac{");
		put_side(p, &pr, c && !unit_num(c) ? mpq_numref(c) : NULL,
			 false, true, false);
		gb_sb_puts(sb, "}{");
		put_side(p, &pr, c && !is_int(c) ? mpq_denref(c) : NULL,
			 true, true, false);
		gb_sb_putc(sb, '}');
		return;
	}
	put_side(p, &pr, c && !unit_num(c) ? mpq_numref(c) : NULL, false,
		 false, sign);
	if (pr.nden) {			/* inline: a/b, a/(b c) */
		gb_sb_putc(sb, '/');
		at = sb->len;
		put_side(p, &pr, c && !is_int(c) ? mpq_denref(c) : NULL, true,
			 false, false);
		if (pr.nden > 1)
			wrap_from(sb, at);
	}
}

/* A sum in the display order of the plain printer (gb_print_sum_lead). */
static void put_sum(lp *p, const gb_node *e)
{
	uint32_t lead = gb_print_sum_lead(e);

	/* A long sum kept whole (core/build.c) is a term of its own: in
	 * parentheses, so that it reads back as the same node. */
	if (e->arg[lead]->kind == GB_ADD)
		put_wrapped(p, e->arg[lead], true);
	else
		put_left(p, e->arg[lead], ops[GB_OP_ADD].left);
	for (uint32_t i = 0; i < e->nargs; i++) {
		const gb_node *t = e->arg[i];
		size_t at;
		form f;

		if (i == lead)
			continue;
		if (gb_print_term_class(t) < GB_TERM_NEG) {
			gb_sb_spaced(p->sb, ops[GB_OP_ADD].latex);
			if (t->kind == GB_ADD)
				put_wrapped(p, t, true);
			else
				put_right(p, t, ops[GB_OP_ADD].right);
			continue;
		}
		gb_sb_spaced(p->sb, ops[GB_OP_SUB].latex);
		if (t->kind == GB_NUM) {
			put_q(p, t->u.q, true);
			continue;
		}
		at = p->sb->len;
		put_product(p, &e->arg[i], true);
		f = product_form(&e->arg[i], true, p->inl);
		if (f.left <= ops[GB_OP_SUB].right || f.neg)
			wrap_from(p->sb, at);
	}
}

/* exp(u): e^{u} when u is short and flat, else \exp(u). */
static void put_exp(lp *p, const gb_node *u)
{
	gb_strbuf *sb = p->sb;
	size_t at = sb->len;
	bool inl = p->inl;

	p->inl = false;
	put(p, u);
	p->inl = inl;
	if (u->size <= EXP_FLAT_SIZE && !tall_from(sb, at) &&
	    !has_from(sb, at, '^')) {
		insert(sb, at, "e^{");
		gb_sb_putc(sb, '}');
	} else if (tall_from(sb, at)) {
		insert(sb, at, "\\exp\\left(");
		gb_sb_puts(sb, "\\right)");
	} else {
		insert(sb, at, "\\exp(");
		gb_sb_putc(sb, ')');
	}
}

static void put_call(lp *p, const gb_node *e)
{
	gb_strbuf *sb = p->sb;
	size_t at;

	switch (e->fn) {
	case GB_FN_EXP:
		put_exp(p, e->arg[0]);
		return;
	case GB_FN_ONES:	/* \mathbf{1}_{d}, \mathbf{1}_{m \times n}, */
	case GB_FN_EYE:		/* \mathbf{I}_{d}: the reader's forms */
		gb_sb_puts(sb, fn_latex[e->fn]);
		gb_sb_puts(sb, "_{");
		put(p, e->arg[0]);
		if (e->nargs == 2) {
			gb_sb_puts(sb, " \\times ");
			put(p, e->arg[1]);
		}
		gb_sb_putc(sb, '}');
		return;
	case GB_FN_SQRT:
		gb_sb_puts(sb, "\\sqrt{");
		put(p, e->arg[0]);
		gb_sb_putc(sb, '}');
		return;
	case GB_FN_ABS:
		at = sb->len;
		put(p, e->arg[0]);
		if (tall_from(sb, at)) {
			insert(sb, at, "\\left\\lvert ");
			gb_sb_puts(sb, " \\right\\rvert");
		} else {
			insert(sb, at, "\\lvert ");
			gb_sb_puts(sb, " \\rvert");
		}
		return;
	default:
		break;
	}
	gb_sb_puts(sb, fn_latex[e->fn]);
	at = sb->len;
	for (uint32_t i = 0; i < e->nargs; i++) {
		if (i)
			gb_sb_puts(sb, ", ");
		put(p, e->arg[i]);
	}
	wrap_from(sb, at);
}

static void put_infix(lp *p, const gb_node *e, gb_op op)
{
	const gb_node *small[8], **v = small;

	/* Hadamard factors in display order: yhat \odot z \odot (1 - z) */
	if (op == GB_OP_HADAMARD && e->nargs <= 8)
		gb_print_hadamard_order(e, v);
	else
		v = (const gb_node **)(uintptr_t)e->arg;
	if (op == GB_OP_MUL && e->kind == GB_MATMUL &&
	    e->arg[0]->kind == GB_HADAMARD) {	/* (a \odot b) c */
		gb_sb_putc(p->sb, '(');
		put(p, e->arg[0]);
		gb_sb_putc(p->sb, ')');
	} else {
		put_left(p, v[0], ops[op].left);
	}
	for (uint32_t i = 1; i < e->nargs; i++) {
		size_t at = p->sb->len;

		if (op != GB_OP_MUL)
			gb_sb_spaced(p->sb, ops[op].latex);
		put_right(p, v[i], ops[op].right);
		if (op == GB_OP_MUL)
			juxtapose_at(p->sb, at);
	}
}

/*
 * a < u and u < b (in either order, strict or not) as the interval
 * a < u < b, which is how a textbook writes it (and how the LaTeX
 * reader reads it back). Returns false when e is not such a pair.
 */
static bool put_interval(lp *p, const gb_node *e)
{
	const gb_node *lo, *hi;

	if (e->nargs != 2 || e->arg[0]->kind != GB_CMP ||
	    e->arg[1]->kind != GB_CMP || e->arg[0]->arg[0] != e->arg[1]->arg[0])
		return false;
	lo = e->arg[0]->op == GB_OP_GT || e->arg[0]->op == GB_OP_GE ?
	     e->arg[0] : e->arg[1];
	hi = lo == e->arg[0] ? e->arg[1] : e->arg[0];
	/* a < x reads back as x > a only for a number a (the canonical
	 * comparison puts the number right); y < x stays y < x, which is
	 * not the node x > y, so then the conjunction is written out */
	if ((lo->op != GB_OP_GT && lo->op != GB_OP_GE) ||
	    (hi->op != GB_OP_LT && hi->op != GB_OP_LE) ||
	    lo->arg[1]->kind != GB_NUM)
		return false;
	put_left(p, lo->arg[1], ops[GB_OP_LT].left);
	gb_sb_spaced(p->sb, lo->op == GB_OP_GT ? ops[GB_OP_LT].latex :
				      ops[GB_OP_LE].latex);
	put_right(p, lo->arg[0], ops[GB_OP_LT].right);
	gb_sb_spaced(p->sb, ops[hi->op].latex);
	put_right(p, hi->arg[1], ops[GB_OP_LT].right);
	return true;
}

static void put_matrix(lp *p, const gb_node *e)
{
	uint32_t rows = e->shape.rows, cols = e->shape.cols;

	gb_sb_puts(p->sb, "\\begin{bmatrix} ");
	for (uint32_t i = 0; i < rows; i++) {
		if (i)
			gb_sb_puts(p->sb, " \\\\ ");
		for (uint32_t j = 0; j < cols; j++) {
			if (j)
				gb_sb_puts(p->sb, " & ");
			put(p, e->arg[(size_t)i * cols + j]);
		}
	}
	gb_sb_puts(p->sb, " \\end{bmatrix}");
}

static void put_piecewise(lp *p, const gb_node *e)
{
	uint32_t i;

	gb_sb_puts(p->sb, "\\begin{cases} ");
	for (i = 0; i + 1 < e->nargs; i += 2) {
		if (i)
			gb_sb_puts(p->sb, " \\\\ ");
		put(p, e->arg[i + 1]);
		gb_sb_puts(p->sb, " & \\text{if } ");
		put(p, e->arg[i]);
	}
	if (i < e->nargs) {
		if (i)
			gb_sb_puts(p->sb, " \\\\ ");
		put(p, e->arg[i]);
		gb_sb_puts(p->sb, " & \\text{otherwise}");
	}
	gb_sb_puts(p->sb, " \\end{cases}");
}

static void put(lp *p, const gb_node *e)
{
	gb_strbuf *sb = p->sb;
	size_t at;

	switch ((gb_kind)e->kind) {
	case GB_NUM:
		put_q(p, e->u.q, false);
		break;
	case GB_CONST:
		gb_sb_puts(sb, e->op == GB_CONST_PI ? "\\pi" : "e");
		break;
	case GB_SYM:
		latex_var(sb, e->u.sym, e->shape);
		break;
	case GB_CALL:
		put_call(p, e);
		break;
	case GB_POW:
		if (e->arg[1]->kind == GB_NUM &&
		    gb_print_is_sqrt_exp(e->arg[1]->u.q, 1)) {
			gb_sb_puts(sb, "\\sqrt{");
			put(p, e->arg[0]);
			gb_sb_putc(sb, '}');
			break;
		}
		if (gb_print_is_denominator(e)) {
			put_product(p, &e, false);
			break;
		}
		at = sb->len;
		put(p, e->arg[0]);
		if (!script_ok(e->arg[0]))
			wrap_from(sb, at);
		put_exponent(p, e->arg[1]);
		break;
	case GB_MUL:
		put_product(p, &e, false);
		break;
	case GB_ADD:
		put_sum(p, e);
		break;
	case GB_MATMUL:
		put_infix(p, e, GB_OP_MUL);
		break;
	case GB_HADAMARD:
		put_infix(p, e, GB_OP_HADAMARD);
		break;
	case GB_TRANSPOSE:
		at = sb->len;
		put(p, e->arg[0]);
		if (!script_ok(e->arg[0]))
			wrap_from(sb, at);
		gb_sb_puts(sb, "^\\top");
		break;
	case GB_MATRIX:
		put_matrix(p, e);
		break;
	case GB_CMP:
		put_infix(p, e, (gb_op)e->op);
		break;
	case GB_AND:
		if (!put_interval(p, e))
			put_infix(p, e, GB_OP_AND);
		break;
	case GB_OR:
		put_infix(p, e, GB_OP_OR);
		break;
	case GB_PIECEWISE:
		put_piecewise(p, e);
		break;
	case GB_NKINDS:
		break;
	}
}

void gb_latex_to(gb_strbuf *sb, const gb_node *e)
{
	lp p = { sb, false };

	if (!e) {
		sb->failed = true;
		return;
	}
	put(&p, e);
}

char *gb_latex(gb_ctx *ctx, const gb_node *e)
{
	gb_strbuf sb;

	if (!ctx || !e || !gb_print_fits(ctx, e))
		return NULL;
	gb_sb_init(&sb, &ctx->mem);
	gb_latex_to(&sb, e);
	return gb_sb_take(&sb);
}
