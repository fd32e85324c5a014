/*
 * print.c - the plain printer (see print.h).
 *
 * Parenthesisation is decided from binding powers, as a Pratt parser
 * would read the text back. Every printed construct has a `form`: the
 * binding power its first operator shows to an operator on its left, the
 * power its last operator shows to an operator on its right, and whether
 * the text starts with '-'. With the parser's rules (operators.def):
 *
 *   a left operand L of an infix op stays bare iff  L.right >= op.left
 *   a right operand R of an infix op stays bare iff R.left > op.right
 *
 * (a - b - c keeps (a - b) bare on the left; a - (b - c) needs the
 * parentheses; a^b^c would be a^(b^c), so a power as a base is wrapped).
 * On top of the grammar two rules of style: an operand that would start
 * with '-' after an operator is wrapped (`A*(-B)`, never `A*-B`), and an
 * exponent is bare only when it is an atom (`x^2`, `x^(1/2)`, `x^(y^2)`).
 *
 * Printing needs no new nodes: negated coefficients and exponents are
 * printed from the numbers themselves, so the printer never interns.
 */
#include "output/print.h"

#include <stdlib.h>
#include <string.h>

#include <gmp.h>

#include "core/ctx.h"
#include "front/diag.h"
#include "front/parse.h"	/* GB_PREC_UNARY, GB_PREC_POSTFIX */

/* The operator table, indexed by gb_op: binding powers and spelling. */
static const struct opinfo {
	uint8_t left, right;
	const char *plain;
} ops[GB_NOPS] = {
#define OP(name, tok, l, r, plain, latex) [GB_OP_##name] = { l, r, plain },
#include "operators.def"
#undef OP
};

static const char *const fn_name[GB_NFNS] = {
#define FN(id, name, lo, hi, latex, ev, d) [GB_FN_##id] = name,
#include "functions.def"
#undef FN
};

/* Binds tighter than any operator: names, numbers, calls, brackets. */
enum { PREC_ATOM = 100 };

typedef struct form {
	uint8_t left;	/* power of its first operator, seen from the left */
	uint8_t right;	/* power of its last operator, seen from the right */
	bool neg;	/* the text starts with '-' */
} form;

static const form atom = { PREC_ATOM, PREC_ATOM, false };

static form binary(gb_op op, bool neg)
{
	form f = { ops[op].left, ops[op].right, neg };

	return f;
}

/* -------------------------------------------------------------- numbers */

void gb_print_mpz_abs(gb_strbuf *sb, mpz_srcptr z)
{
	char small[72], *buf = small;
	size_t size;

	if (mpz_size(z) <= 1) {
		/* one limb (nearly every number printed): its digits from
		 * the right, without mpz_get_str's work and allocation */
		mp_limb_t v = mpz_getlimbn(z, 0);
		char *p = small + sizeof small;

		do {
			*--p = (char)('0' + v % 10);
			v /= 10;
		} while (v);
		gb_sb_putn(sb, p, (size_t)(small + sizeof small - p));
		return;
	}
	size = mpz_sizeinbase(z, 10) + 2;

	if (size > sizeof small) {
		buf = gb_mem_alloc(sb->mem, size);
		if (!buf) {
			sb->failed = true;
			return;
		}
	}
	mpz_get_str(buf, 10, z);
	gb_sb_puts(sb, buf[0] == '-' ? buf + 1 : buf);
	if (buf != small)
		gb_mem_free(sb->mem, buf);
}

/* q as `p` or `p/q`, with its sign unless absval. */
static void put_q(gb_strbuf *sb, mpq_srcptr q, bool absval)
{
	if (mpq_sgn(q) < 0 && !absval)
		gb_sb_putc(sb, '-');
	gb_print_mpz_abs(sb, mpq_numref(q));
	if (mpz_cmp_ui(mpq_denref(q), 1) != 0) {
		gb_sb_putc(sb, '/');
		gb_print_mpz_abs(sb, mpq_denref(q));
	}
}

static bool is_int(mpq_srcptr q)
{
	return mpz_cmp_ui(mpq_denref(q), 1) == 0;
}

/* |numerator| == 1 */
static bool unit_num(mpq_srcptr q)
{
	return mpz_cmpabs_ui(mpq_numref(q), 1) == 0;
}

/* q == s/2 for s = +1 or -1: a square root, printed sqrt(u) */
bool gb_print_is_sqrt_exp(mpq_srcptr q, int s)
{
	return mpz_cmp_si(mpq_numref(q), s) == 0 &&
	       mpz_cmp_ui(mpq_denref(q), 2) == 0;
}

/* ------------------------------------------------------- display order */

bool gb_print_is_denominator(const gb_node *f)
{
	const gb_node *b;

	if (f->kind != GB_POW || f->arg[1]->kind != GB_NUM ||
	    mpq_sgn(f->arg[1]->u.q) >= 0)
		return false;
	/* 0^(5/2) folds to 0, so 0^(-5/2) stays a power: 0^(-5/2) */
	b = f->arg[0];
	return !(b->kind == GB_NUM && mpq_sgn(b->u.q) == 0);
}

mpq_srcptr gb_print_coeff(const gb_node *e)
{
	if (e->kind == GB_MUL && e->arg[0]->kind == GB_NUM)
		return e->arg[0]->u.q;
	return NULL;
}

enum gb_term_class gb_print_term_class(const gb_node *t)
{
	mpq_srcptr c;

	if (t->kind == GB_NUM)
		return mpq_sgn(t->u.q) < 0 ? GB_TERM_NEG_CONST :
					     GB_TERM_POS_CONST;
	c = gb_print_coeff(t);
	return c && mpq_sgn(c) < 0 ? GB_TERM_NEG : GB_TERM_POS;
}

/*
 * The display order of a sum is its canonical order (constant first,
 * then terms by structure: sigmoid(x) - 3*sigmoid(x)^2 + 2*sigmoid(x)^3),
 * except that the first term with a positive sign leads, so that a sum
 * starts with a minus only when every term is negative: 1 - sigmoid(x),
 * y - x, x - 1, 1 + exp(-x); when all are negative, a term rather
 * than the constant leads (-x - 1). Returns the index of the leader.
 */
uint32_t gb_print_sum_lead(const gb_node *e)
{
	for (uint32_t i = 0; i < e->nargs; i++)
		if (gb_print_term_class(e->arg[i]) < GB_TERM_NEG)
			return i;
	/* all negative: a term rather than the constant (-x - 1) */
	for (uint32_t i = 0; i < e->nargs; i++)
		if (gb_print_term_class(e->arg[i]) == GB_TERM_NEG)
			return i;
	return 0;
}

/* The first term of sum e in display order. */
static const gb_node *first_term(const gb_node *e)
{
	return e->arg[gb_print_sum_lead(e)];
}

/*
 * A product as displayed: the coefficient c (NULL for 1), the factors,
 * and how many items go above and below the fraction bar. The
 * coefficient's numerator counts as an item unless it is +-1, its
 * denominator unless it is 1. A power with a negative numeric exponent
 * on its own is a product of one factor (1/x).
 */
typedef struct product {
	mpq_srcptr c;
	const gb_node *const *f;
	uint32_t nf;
	uint32_t nnum, nden;
} product;

/* The product self with coefficient c (NULL: 1) in place of its own. */
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

static product split(const gb_node *const *self)
{
	return split_with(self, gb_print_coeff(*self));
}

/*
 * The canonical form distributes a coefficient over a lone sum,
 * 2*(a + b) = 2*a + 2*b, and the parser multiplies from the left, so
 * `2*(a + b)*(c + d)` or `-(a + b)/y` would read back as a different
 * node than MUL(2, a + b, c + d) or MUL(-1, a + b, 1/y). When the first
 * numerator factor is a sum and a sign or a numerator would precede it,
 * the product is written coefficient*(rest): `2*((a + b)*(c + d))`,
 * `-((a + b)/y)`. In the denominator, a coefficient that would meet a
 * sum first is divided last instead: `x/(a + b)/3`.
 */
static const gb_node *first_factor(const product *p, bool den)
{
	for (uint32_t i = 0; i < p->nf; i++)
		if (gb_print_is_denominator(p->f[i]) == den)
			return p->f[i];
	return NULL;
}

static bool num_hazard(const product *p, bool absval)
{
	const gb_node *f = first_factor(p, false);
	bool sign = p->c && mpq_sgn(p->c) < 0 && !absval;

	return f && f->kind == GB_ADD && (sign || (p->c && !unit_num(p->c)));
}

static bool den_hazard(const product *p)
{
	const gb_node *f = first_factor(p, true);

	return p->c && !is_int(p->c) && f && unit_num(f->arg[1]->u.q) &&
	       is_int(f->arg[1]->u.q) && f->arg[0]->kind == GB_ADD;
}

/* The one factor when the product prints as [-]f, else NULL. */
static const gb_node *lone_factor(const product *p)
{
	if (p->nden || p->nnum != 1 || (p->c && !unit_num(p->c)))
		return NULL;
	for (uint32_t i = 0; i < p->nf; i++)
		if (!gb_print_is_denominator(p->f[i]))
			return p->f[i];
	return NULL;
}

/* ---------------------------------------------------------------- forms */

static form form_of(const gb_node *e);

/* The first numerator factor, or NULL when the coefficient comes first. */
static const gb_node *lead_factor(const product *p)
{
	if (p->nnum == 0 || (p->c && !unit_num(p->c)))
		return NULL;
	for (uint32_t i = 0; i < p->nf; i++)
		if (!gb_print_is_denominator(p->f[i]))
			return p->f[i];
	return NULL;
}

/* Whether the first numerator factor needs parentheses. */
static bool lead_paren(const product *p, const gb_node *f, bool sign)
{
	form ff = form_of(f);
	bool followed = p->nnum > 1 || p->nden > 0;

	if (followed && ff.right < ops[GB_OP_MUL].left)
		return true;
	/* after a unary minus: -x^2 is -(x^2), but -(W*x) needs them */
	return sign && (ff.left <= GB_PREC_UNARY || ff.neg);
}

/* The form of a product printed with (absval false) or without its sign. */
static form product_form(const gb_node *const *self, bool absval)
{
	product p = split(self);
	bool sign = p.c && mpq_sgn(p.c) < 0 && !absval;
	const gb_node *f = lone_factor(&p), *lead;

	if (f && !sign)
		return form_of(f);
	if (f) {
		form u = { PREC_ATOM, GB_PREC_UNARY, true };

		return u;
	}
	if (num_hazard(&p, absval)) {
		form u = { PREC_ATOM, GB_PREC_UNARY, sign };

		if (unit_num(p.c) && is_int(p.c))
			return u;
		return binary(GB_OP_MUL, sign);
	}
	lead = lead_factor(&p);
	if (!sign && lead && !lead_paren(&p, lead, false))
		return binary(GB_OP_MUL, form_of(lead).neg);
	return binary(GB_OP_MUL, sign);
}

/* The form of e as gb_print_to writes it. */
static form form_of(const gb_node *e)
{
	form f0;

	switch ((gb_kind)e->kind) {
	case GB_NUM:
		if (!is_int(e->u.q))
			return binary(GB_OP_DIV, mpq_sgn(e->u.q) < 0);
		if (mpq_sgn(e->u.q) < 0) {
			form u = { PREC_ATOM, GB_PREC_UNARY, true };

			return u;
		}
		return atom;
	case GB_CONST:
	case GB_SYM:
	case GB_CALL:
	case GB_MATRIX:
	case GB_PIECEWISE:
		return atom;
	case GB_POW:
		if (e->arg[1]->kind == GB_NUM &&
		    gb_print_is_sqrt_exp(e->arg[1]->u.q, 1))
			return atom;	/* sqrt(u) */
		if (gb_print_is_denominator(e))
			return binary(GB_OP_DIV, false);
		return binary(GB_OP_POW, false);
	case GB_MUL:
		return product_form(&e, false);
	case GB_ADD:
		f0 = form_of(first_term(e));
		return binary(GB_OP_ADD, f0.neg);
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

		f0 = form_of(e->arg[0]);
		return binary(op, f0.neg && f0.right >= ops[op].left);
	}
	case GB_NKINDS:
		break;
	}
	return atom;
}

/* ------------------------------------------------------------- printing */

static void put(gb_strbuf *sb, const gb_node *e);

static void put_wrapped(gb_strbuf *sb, const gb_node *e, bool paren)
{
	if (paren)
		gb_sb_putc(sb, '(');
	put(sb, e);
	if (paren)
		gb_sb_putc(sb, ')');
}

/* e as the left operand of an operator of left power lp. */
static void put_left(gb_strbuf *sb, const gb_node *e, unsigned lp)
{
	put_wrapped(sb, e, form_of(e).right < lp);
}

/* e as the right operand of an operator of right power rp. */
static void put_right(gb_strbuf *sb, const gb_node *e, unsigned rp)
{
	form f = form_of(e);
	bool arith = rp >= ops[GB_OP_ADD].right;	/* x < -1 is fine */

	put_wrapped(sb, e, f.left <= rp || (f.neg && arith));
}

/* An exponent: bare only when it is an atom (x^2, x^y, x^(1/2)). */
static void put_exponent(gb_strbuf *sb, const gb_node *e)
{
	form f = form_of(e);

	put_wrapped(sb, e, f.left <= ops[GB_OP_POW].left || f.neg);
}

/*
 * One factor of a denominator, base^|q| for the factor base^q (q < 0).
 * alone: the whole denominator, the right operand of '/'; otherwise
 * first tells whether it opens the parenthesised group.
 */
static void put_den_factor(gb_strbuf *sb, const gb_node *pw, bool alone,
			   bool first)
{
	const gb_node *base = pw->arg[0];
	mpq_srcptr q = pw->arg[1]->u.q;
	bool bare_base = unit_num(q) && is_int(q);	/* x^-1: just x */
	bool root = gb_print_is_sqrt_exp(q, -1);	/* x^(-1/2): sqrt(x) */
	form f = bare_base ? form_of(base) :
		 root ? atom : binary(GB_OP_POW, false);
	bool paren;

	if (alone || !first)	/* right operand of '/' or '*' */
		paren = f.left <= ops[GB_OP_DIV].right || f.neg;
	else			/* left operand of '*' inside the group */
		paren = f.right < ops[GB_OP_MUL].left;
	if (paren)
		gb_sb_putc(sb, '(');
	if (bare_base) {
		put(sb, base);
	} else if (root) {
		gb_sb_puts(sb, "sqrt(");
		put(sb, base);
		gb_sb_putc(sb, ')');
	} else {
		put_left(sb, base, ops[GB_OP_POW].left);
		gb_sb_puts(sb, ops[GB_OP_POW].plain);
		if (!is_int(q))
			gb_sb_putc(sb, '(');
		put_q(sb, q, true);
		if (!is_int(q))
			gb_sb_putc(sb, ')');
	}
	if (paren)
		gb_sb_putc(sb, ')');
}

/*
 * A product: [-] numerator [/ denominator]. The numerator is the
 * coefficient's numerator (unless +-1) and the factors with non-negative
 * exponents, joined by '*'; `1` when there are none. The denominator is
 * the coefficient's denominator and the other factors with their
 * exponents negated, in parentheses when there are several.
 */
static void put_factors(gb_strbuf *sb, const product *p, bool sign);

static void put_product(gb_strbuf *sb, const gb_node *const *self,
			bool absval)
{
	product p = split(self);
	bool sign = p.c && mpq_sgn(p.c) < 0 && !absval;
	const gb_node *lone = lone_factor(&p);

	if (lone) {
		if (sign) {
			form f = form_of(lone);

			gb_sb_putc(sb, '-');
			put_wrapped(sb, lone, f.left <= GB_PREC_UNARY || f.neg);
		} else {
			put(sb, lone);
		}
		return;
	}
	if (num_hazard(&p, absval)) {		/* c*(rest) */
		product rest = split_with(self, NULL);

		if (sign)
			gb_sb_putc(sb, '-');
		if (!(unit_num(p.c) && is_int(p.c))) {
			put_q(sb, p.c, true);
			gb_sb_puts(sb, ops[GB_OP_MUL].plain);
		}
		gb_sb_putc(sb, '(');
		put_factors(sb, &rest, false);
		gb_sb_putc(sb, ')');
		return;
	}
	put_factors(sb, &p, sign);
}

/* The numerator and denominator of p, after the sign if there is one. */
static void put_factors(gb_strbuf *sb, const product *p, bool sign)
{
	bool q_last = den_hazard(p);
	uint32_t i, k = 0, nden = p->nden - (q_last ? 1 : 0);

	if (sign)
		gb_sb_putc(sb, '-');
	if (p->nnum == 0)
		gb_sb_putc(sb, '1');
	if (p->c && !unit_num(p->c)) {
		gb_print_mpz_abs(sb, mpq_numref(p->c));
		k++;
	}
	for (i = 0; i < p->nf; i++) {
		const gb_node *f = p->f[i];

		if (gb_print_is_denominator(f))
			continue;
		if (k++ == 0) {
			/* a long product kept whole (core/build.c) is one
			 * factor: in parentheses, to read back the same */
			put_wrapped(sb, f, lead_paren(p, f, sign) ||
				    f->kind == GB_MUL);
		} else {
			gb_sb_puts(sb, ops[GB_OP_MUL].plain);
			if (f->kind == GB_MUL)
				put_wrapped(sb, f, true);
			else
				put_right(sb, f, ops[GB_OP_MUL].right);
		}
	}
	if (nden) {
		gb_sb_puts(sb, ops[GB_OP_DIV].plain);
		if (nden > 1)
			gb_sb_putc(sb, '(');
		k = 0;
		if (p->c && !is_int(p->c) && !q_last) {
			gb_print_mpz_abs(sb, mpq_denref(p->c));
			k++;
		}
		for (i = 0; i < p->nf; i++) {
			if (!gb_print_is_denominator(p->f[i]))
				continue;
			if (k)
				gb_sb_puts(sb, ops[GB_OP_MUL].plain);
			put_den_factor(sb, p->f[i], nden == 1, k == 0);
			k++;
		}
		if (nden > 1)
			gb_sb_putc(sb, ')');
	}
	if (q_last) {
		gb_sb_puts(sb, ops[GB_OP_DIV].plain);
		gb_print_mpz_abs(sb, mpq_denref(p->c));
	}
}

/* A sum in display order (gb_print_sum_lead): negative terms with " - ". */
static void put_sum(gb_strbuf *sb, const gb_node *e)
{
	uint32_t lead = gb_print_sum_lead(e);

	/* A long sum kept whole (core/build.c) is a term of its own: in
	 * parentheses, so that it reads back as the same node. */
	if (e->arg[lead]->kind == GB_ADD)
		put_wrapped(sb, e->arg[lead], true);
	else
		put_left(sb, e->arg[lead], ops[GB_OP_ADD].left);
	for (uint32_t i = 0; i < e->nargs; i++) {
		const gb_node *t = e->arg[i];
		form f;

		if (i == lead)
			continue;
		if (gb_print_term_class(t) < GB_TERM_NEG) {
			gb_sb_spaced(sb, ops[GB_OP_ADD].plain);
			if (t->kind == GB_ADD)
				put_wrapped(sb, t, true);
			else
				put_right(sb, t, ops[GB_OP_ADD].right);
			continue;
		}
		gb_sb_spaced(sb, ops[GB_OP_SUB].plain);
		if (t->kind == GB_NUM) {
			put_q(sb, t->u.q, true);
			continue;
		}
		f = product_form(&e->arg[i], true);
		if (f.left <= ops[GB_OP_SUB].right || f.neg) {
			gb_sb_putc(sb, '(');
			put_product(sb, &e->arg[i], true);
			gb_sb_putc(sb, ')');
		} else {
			put_product(sb, &e->arg[i], true);
		}
	}
}

/*
 * The display order of a Hadamard product: an upstream gradient (a
 * symbol NAMEhat) leads, as in backward formulas (yhat .* z .* (1 - z));
 * the other factors keep the canonical order. v gets e->nargs entries.
 */
void gb_print_hadamard_order(const gb_node *e, const gb_node **v)
{
	size_t k = 0;

	for (int pass = 0; pass < 2; pass++)
		for (uint32_t i = 0; i < e->nargs; i++) {
			const gb_node *f = e->arg[i];
			bool hat = f->kind == GB_SYM && f->u.sym->len > 3 &&
				   !strcmp(f->u.sym->name + f->u.sym->len - 3,
					   "hat");

			if (hat == (pass == 0))
				v[k++] = f;
		}
}

/* Operands joined by an infix operator, left-associatively. */
static void put_infix(gb_strbuf *sb, const gb_node *e, gb_op op)
{
	put_left(sb, e->arg[0], ops[op].left);
	for (uint32_t i = 1; i < e->nargs; i++) {
		if (op == GB_OP_MUL)	/* '*' is written without spaces */
			gb_sb_puts(sb, ops[op].plain);
		else
			gb_sb_spaced(sb, ops[op].plain);
		put_right(sb, e->arg[i], ops[op].right);
	}
}

/* [a, b] for a column vector, [[a, b], [c, d]] otherwise. */
static void put_matrix(gb_strbuf *sb, const gb_node *e)
{
	uint32_t rows = e->shape.rows, cols = e->shape.cols;

	gb_sb_putc(sb, '[');
	for (uint32_t i = 0; i < rows; i++) {
		if (i)
			gb_sb_puts(sb, ", ");
		if (cols != 1)
			gb_sb_putc(sb, '[');
		for (uint32_t j = 0; j < cols; j++) {
			if (j)
				gb_sb_puts(sb, ", ");
			put(sb, e->arg[(size_t)i * cols + j]);
		}
		if (cols != 1)
			gb_sb_putc(sb, ']');
	}
	gb_sb_putc(sb, ']');
}

/* piecewise(c1: v1, c2: v2, otherwise: w) */
static void put_piecewise(gb_strbuf *sb, const gb_node *e)
{
	uint32_t i;

	gb_sb_puts(sb, "piecewise(");
	for (i = 0; i + 1 < e->nargs; i += 2) {
		if (i)
			gb_sb_puts(sb, ", ");
		put(sb, e->arg[i]);
		gb_sb_puts(sb, ": ");
		put(sb, e->arg[i + 1]);
	}
	if (i < e->nargs) {
		if (i)
			gb_sb_puts(sb, ", ");
		gb_sb_puts(sb, "otherwise: ");
		put(sb, e->arg[i]);
	}
	gb_sb_putc(sb, ')');
}

static void put(gb_strbuf *sb, const gb_node *e)
{
	switch ((gb_kind)e->kind) {
	case GB_NUM:
		put_q(sb, e->u.q, false);
		break;
	case GB_CONST:
		gb_sb_puts(sb, e->op == GB_CONST_PI ? "pi" : "e");
		break;
	case GB_SYM:
		gb_sb_putn(sb, e->u.sym->name, e->u.sym->len);
		break;
	case GB_CALL:
		gb_sb_puts(sb, fn_name[e->fn]);
		gb_sb_putc(sb, '(');
		for (uint32_t i = 0; i < e->nargs; i++) {
			if (i)
				gb_sb_puts(sb, ", ");
			put(sb, e->arg[i]);
		}
		gb_sb_putc(sb, ')');
		break;
	case GB_POW:
		if (e->arg[1]->kind == GB_NUM &&
		    gb_print_is_sqrt_exp(e->arg[1]->u.q, 1)) {
			gb_sb_puts(sb, "sqrt(");
			put(sb, e->arg[0]);
			gb_sb_putc(sb, ')');
			break;
		}
		if (gb_print_is_denominator(e)) {
			put_product(sb, &e, false);
			break;
		}
		put_left(sb, e->arg[0], ops[GB_OP_POW].left);
		/* element-wise for a vector or matrix: z.^2 */
		gb_sb_puts(sb, gb_is_scalar(e) ? ops[GB_OP_POW].plain :
			   ops[GB_OP_EPOW].plain);
		put_exponent(sb, e->arg[1]);
		break;
	case GB_MUL:
		put_product(sb, &e, false);
		break;
	case GB_ADD:
		put_sum(sb, e);
		break;
	case GB_MATMUL:		/* (a .* b)*c: the Hadamard factor in parentheses */
		put_wrapped(sb, e->arg[0], e->arg[0]->kind == GB_HADAMARD ||
			    form_of(e->arg[0]).right < ops[GB_OP_MUL].left);
		gb_sb_puts(sb, ops[GB_OP_MUL].plain);
		put_right(sb, e->arg[1], ops[GB_OP_MUL].right);
		break;
	case GB_HADAMARD: {
		const gb_node *small[8], **v = small;
		uint32_t i;

		if (e->nargs > 8 && !(v = malloc(e->nargs * sizeof *v))) {
			sb->failed = true;
			break;
		}
		gb_print_hadamard_order(e, v);
		put_left(sb, v[0], ops[GB_OP_HADAMARD].left);
		for (i = 1; i < e->nargs; i++) {
			gb_sb_spaced(sb, ops[GB_OP_HADAMARD].plain);
			put_right(sb, v[i], ops[GB_OP_HADAMARD].right);
		}
		if (v != small)
			free(v);
		break;
	}
	case GB_TRANSPOSE:
		put_left(sb, e->arg[0], GB_PREC_POSTFIX);
		gb_sb_putc(sb, '\'');
		break;
	case GB_MATRIX:
		put_matrix(sb, e);
		break;
	case GB_CMP:
		put_infix(sb, e, (gb_op)e->op);
		break;
	case GB_AND:
		put_infix(sb, e, GB_OP_AND);
		break;
	case GB_OR:
		put_infix(sb, e, GB_OP_OR);
		break;
	case GB_PIECEWISE:
		put_piecewise(sb, e);
		break;
	case GB_NKINDS:
		break;
	}
}

void gb_print_to(gb_strbuf *sb, const gb_node *e)
{
	if (!e) {
		sb->failed = true;
		return;
	}
	put(sb, e);
}

bool gb_print_fits(gb_ctx *ctx, const gb_node *e)
{
	if (e->size <= GB_PRINT_MAX_TREE)
		return true;
	gb_error(ctx, NULL, (gb_span){ 0, 0 },
		 "expression too large to write out: as a tree it has %s%u nodes "
		 "(its shared subexpressions repeat), more than %u; name the "
		 "intermediates in a file and use grad, or evaluate it",
		 e->size == UINT32_MAX ? "at least " : "", e->size,
		 GB_PRINT_MAX_TREE);
	return false;
}

char *gb_print(gb_ctx *ctx, const gb_node *e)
{
	gb_strbuf sb;

	if (!ctx || !e || !gb_print_fits(ctx, e))
		return NULL;
	gb_sb_init(&sb, &ctx->mem);
	put(&sb, e);
	return gb_sb_take(&sb);
}
