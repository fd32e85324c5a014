/*
 * exp_exact.c - e^q for a small exact rational q, correctly rounded,
 * from integer arithmetic alone.
 *
 * MPFR's mpfr_exp reduces its argument by log 2, and the first call at a
 * precision computes log 2 there (about 0.25 ms at 3400 bits, most of a
 * 1000-digit evaluation). When the argument is known exactly, q = u/v,
 * the series needs no reduction:
 *
 *   e^(u/v) = sum_{n >= 0} (u/v)^n / n!
 *
 * and its first N + 1 terms are summed exactly by binary splitting. With
 * p(n) = u and q(n) = v n, over a range [a, b) of terms
 *
 *   P(a, b) = prod_{n=a}^{b-1} p(n),   Q(a, b) = prod_{n=a}^{b-1} q(n),
 *   T(a, b) = Q(a, b) sum_{n=a}^{b-1} prod_{k=a}^{n} p(k)/q(k),
 *
 * a single term is P = T = u, Q = v a, and two halves [a, m), [m, b)
 * merge as P = P1 P2, Q = Q1 Q2, T = T1 Q2 + P1 T2. Then
 *
 *   e^q = 1 + T(1, N+1) / Q(1, N+1) + R_N,
 *   |R_N| = |sum_{n > N} q^n/n!| <= |q|^(N+1)/(N+1)! * 1/(1 - |q|/(N+2))
 *                               <= 2 |q|^(N+1)/(N+1)!   when N + 2 >= 2|q|.
 *
 * The sum is exact; the one quotient is formed at w2 = prec + GUARD bits
 * (two conversions and a division, each within 2^-w2 relative), so the
 * result differs from e^q by at most 2^-w2 * 3 (1 + 2^-w2)^2 relative
 * from rounding, plus R_N. N is chosen so that R_N <= 2^-(prec + GUARD)
 * e^q; since e^q >= e^-|q| > 2^(-2 ceil|q|), the bound on R_N is asked
 * below 2^-(prec + GUARD + 2 ceil|q|). In all, the relative error is below
 * 2^-(prec + GUARD - 3); as |x| < 2^EXP(x) for the computed x, the
 * absolute error is below 2^(EXP(x) - (prec + GUARD - 4)), which
 * mpfr_can_round turns into a proof that
 * rounding to prec bits is correct; when it cannot (a value extremely
 * close to a rounding boundary) the caller falls back to mpfr_exp.
 *
 * N from integers only: log2(|q|^n / n!) <= sum_{k=1}^{n} (bits(u) -
 * (bits(v) - 1) - (bits(k) - 1)), as 2^(bits(x)-1) <= x < 2^bits(x).
 */
#include "numeric/exp_exact.h"

#include <limits.h>

enum {
	GUARD = 64,
	MAX_ABS_Q = 64,		/* larger arguments go to mpfr_exp */
};

/* Ranges of at most LEAF terms are summed term by term (below). */
enum { LEAF = 32, MAX_DEPTH = 64 };

/* Temporaries for the right halves, one set per level of the recursion. */
typedef struct level {
	mpz_t P, Q, T;
} level;

/*
 * Binary splitting over [a, b): P, Q, T as above. A short range goes
 * from its right end, S_n = p(n)/q(n) (1 + S_{n+1}), so with
 * S_{n+1} = T'/Q': T = p(n) (Q' + T'), Q = q(n) Q', P = p(n) P', from
 * S_b = 0 (T = 0, Q = P = 1): word-sized multiplications only.
 */
static void split(unsigned long a, unsigned long b, long u, unsigned long v,
		  mpz_ptr P, mpz_ptr Q, mpz_ptr T, level *tmp)
{
	unsigned long m;

	if (b - a <= LEAF) {
		mpz_set_ui(T, 0);
		mpz_set_ui(Q, 1);
		mpz_set_ui(P, 1);
		for (unsigned long n = b; n-- > a;) {
			mpz_add(T, T, Q);
			mpz_mul_si(T, T, u);
			mpz_mul_ui(Q, Q, v);
			mpz_mul_ui(Q, Q, n);
			mpz_mul_si(P, P, u);
		}
		return;
	}
	m = a + (b - a) / 2;
	split(a, m, u, v, P, Q, T, tmp + 1);
	split(m, b, u, v, tmp->P, tmp->Q, tmp->T, tmp + 1);
	mpz_mul(T, T, tmp->Q);		/* T = T1 Q2 + P1 T2 */
	mpz_mul(tmp->T, tmp->T, P);
	mpz_add(T, T, tmp->T);
	mpz_mul(P, P, tmp->P);
	mpz_mul(Q, Q, tmp->Q);
}

static long bits(unsigned long x)
{
	long b = 0;

	for (; x; x >>= 1)
		b++;
	return b;
}

bool gb_exp_rational(mpfr_ptr r, mpq_srcptr q)
{
	mpfr_prec_t prec = mpfr_get_prec(r), w2 = prec + GUARD;
	mpz_srcptr num = mpq_numref(q), den = mpq_denref(q);
	long u, bu, bv, want, lg = 0;
	unsigned long v, n = 0, ceil_q;
	mpz_t P, Q, T;
	level tmp[MAX_DEPTH];
	int depth = 0;
	mpfr_t x, y;
	bool ok;

	if (!mpz_fits_slong_p(num) || !mpz_fits_ulong_p(den))
		return false;
	u = mpz_get_si(num);
	v = mpz_get_ui(den);
	if (u == LONG_MIN || v == 0 || v > (unsigned long)LONG_MAX / 2)
		return false;
	ceil_q = ((unsigned long)(u < 0 ? -u : u) + v - 1) / v;
	if (ceil_q > MAX_ABS_Q)
		return false;
	if (u == 0) {
		mpfr_set_ui(r, 1, MPFR_RNDN);
		return true;
	}
	/* N: the least n >= 2|q| with 2 |q|^(n+1)/(n+1)! below the target */
	bu = bits((unsigned long)(u < 0 ? -u : u));
	bv = bits(v);
	want = -(long)(prec + GUARD + 2 * (long)ceil_q + 1);
	do {
		n++;
		lg += bu - (bv - 1) - (bits(n) - 1);	/* >= log2 |q|^n/n! */
	} while (n < 2 * ceil_q + 2 || lg + 1 > want);
	/* lg bounds log2 |q|^n/n! with n = N + 1 now: sum terms 1..N */
	n--;
	if (n < 1)
		n = 1;
	/* the levels split uses: halving n terms down to LEAF */
	for (unsigned long m = n; m > LEAF && depth < MAX_DEPTH; m -= m / 2)
		depth++;
	mpz_inits(P, Q, T, (mpz_ptr)0);
	for (int i = 0; i < depth; i++)
		mpz_inits(tmp[i].P, tmp[i].Q, tmp[i].T, (mpz_ptr)0);
	split(1, n + 1, u, v, P, Q, T, tmp);
	for (int i = 0; i < depth; i++)
		mpz_clears(tmp[i].P, tmp[i].Q, tmp[i].T, (mpz_ptr)0);
	mpz_add(T, T, Q);		/* Q + T: the numerator of 1 + T/Q */
	mpfr_inits2(w2, x, y, (mpfr_ptr)0);
	mpfr_set_z(x, T, MPFR_RNDN);
	mpfr_set_z(y, Q, MPFR_RNDN);
	mpfr_div(x, x, y, MPFR_RNDN);
	ok = mpfr_can_round(x, w2 - 4, MPFR_RNDN, MPFR_RNDN, prec) != 0;
	if (ok)
		mpfr_set(r, x, MPFR_RNDN);
	mpfr_clears(x, y, (mpfr_ptr)0);
	mpz_clears(P, Q, T, (mpz_ptr)0);
	return ok;
}
