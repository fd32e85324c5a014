/*
 * bench.c - gradbox on the workloads the peers are measured on
 * (../shared/anchors/README.md: W1-W6) plus the core-engine workload W0.
 *
 * Usage: bench [WORKLOAD...] [--batch FILE]
 *
 * Each line of output is one measurement, tab-separated, in the anchors'
 * format: "@@  W3  chain k=1000  t=0.001234  ...". Times are wall-clock
 * seconds on one core (CLOCK_MONOTONIC), printed from integer
 * nanoseconds; they are noisy on a shared machine, so compare systems by
 * ratio within one run (bench/run.sh). Timing is the only place a
 * measurement, not a mathematical value, is produced: no floating point
 * is used even here.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gradbox.h"
#include "calculus/diff.h"
#include "calculus/reverse.h"
#include "calculus/simplify.h"
#include "core/build.h"
#include "core/ctx.h"
#include "core/gen.h"
#include "numeric/eval.h"
#include "output/latex.h"
#include "output/print.h"

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* "1.234567" seconds from nanoseconds, without floating point. */
static const char *secs(uint64_t ns, char *buf, size_t n)
{
	snprintf(buf, n, "%llu.%06llu", (unsigned long long)(ns / 1000000000u),
		 (unsigned long long)(ns % 1000000000u / 1000u));
	return buf;
}

static void die(const char *what)
{
	fprintf(stderr, "bench: %s failed\n", what);
	exit(1);
}

static const gb_node *parse(gb_ctx *ctx, const char *s)
{
	const gb_node *e;

	if (gb_parse(ctx, "<bench>", s, strlen(s), &e) != GB_OK)
		die(s);
	return e;
}

/* W0: parse + canonicalise + print LaTeX of 10,000 random expressions. */
static void w0(void)
{
	gb_ctx *gen = gb_ctx_new(), *ctx = gb_ctx_new();
	uint64_t state = 20261127, t0, t;
	char **text = malloc(10000 * sizeof *text);
	size_t chars = 0;
	char b[32];

	if (!gen || !ctx || !text)
		die("W0 setup");
	for (int i = 0; i < 10000; i++) {	/* the inputs, as text */
		text[i] = gb_print(gen, gb_gen_expr(gen, &state, 5));
		if (!text[i])
			die("W0 gen");
	}
	t0 = now_ns();
	for (int i = 0; i < 10000; i++) {
		const gb_node *e;
		char *tex;

		if (gb_parse(ctx, "<w0>", text[i], strlen(text[i]), &e) != GB_OK) {
			gb_diag_clear(ctx);	/* e.g. an empty piecewise */
			continue;
		}
		tex = gb_latex(ctx, e);
		chars += strlen(tex);
		free(tex);
	}
	t = now_ns() - t0;
	printf("@@\tW0\tparse+latex 10000 random (depth 5)\tt=%s\tlatex_chars=%zu\n",
	       secs(t, b, sizeof b), chars);
	for (int i = 0; i < 10000; i++)
		free(text[i]);
	free(text);
	gb_ctx_free(gen);
	gb_ctx_free(ctx);
}

/* W1: the homework's activations: d/dx, simplify, LaTeX, value at 0. */
static void w1(void)
{
	static const char *const fs[] = {
		"max(x, 0)", "(1/beta)*log(1 + exp(beta*x))",
		"piecewise(x > 0: x, otherwise: alpha*(exp(x) - 1))",
		"log(1/(1 + exp(-x)))", "1/(1 + exp(-x))",
	};
	gb_ctx *ctx = gb_ctx_new();
	uint64_t t0 = now_ns(), t;
	char b[32];
	static const char prog[] = "param beta = 1\nparam alpha = 1";

	if (!ctx || gb_load(ctx, "<w1>", prog, strlen(prog)) != GB_OK ||
	    gb_bind(ctx, "x", "0") != GB_OK)
		die("W1 setup");
	for (size_t i = 0; i < sizeof fs / sizeof fs[0]; i++) {
		const gb_node *d;
		gb_value *v = NULL;
		char *tex;

		if (gb_differentiate(ctx, parse(ctx, fs[i]), "x", 1, &d) != GB_OK)
			die("W1 diff");
		tex = gb_latex(ctx, d);
		free(tex);
		if (gb_eval(ctx, d, 20, &v) == GB_OK)
			gb_value_free(v);
		gb_diag_clear(ctx);
	}
	t = now_ns() - t0;
	printf("@@\tW1\tactivations\tt=%s\n", secs(t, b, sizeof b));
	gb_ctx_free(ctx);
}

/* W2: n-th derivative of sigmoid, n = 1..20, each from the previous. */
static void w2(void)
{
	gb_ctx *ctx = gb_ctx_new();
	const gb_node *x, *d;
	uint64_t cum = 0;
	char b[32], c[32];

	if (!ctx)
		die("W2");
	x = gb_symbol(ctx, "x", 1);
	d = parse(ctx, "1/(1 + exp(-x))");
	for (int n = 1; n <= 20; n++) {
		uint64_t t0 = now_ns(), t;
		char *s;

		d = gb_expand(ctx, gb_diff(ctx, d, x));
		if (!d)
			die("W2 diff");
		t = now_ns() - t0;
		cum += t;
		s = gb_print(ctx, gb_simplify(ctx, d));
		printf("@@\tW2\tn=%d\tt=%s\tcum=%s\tlen=%zu\tterms=%u\n", n,
		       secs(t, b, sizeof b), secs(cum, c, sizeof c), strlen(s),
		       d->kind == GB_ADD ? d->nargs : 1);
		free(s);
	}
	gb_ctx_free(ctx);
}

/* W3: chain k (sigmoid nested k deep) and resid k (residual tanh chain). */
static void w3(void)
{
	static const int ks[] = { 10, 50, 200, 1000 };
	char b[32];

	for (size_t i = 0; i < sizeof ks / sizeof ks[0]; i++) {
		gb_ctx *ctx = gb_ctx_new();
		const gb_node *x, *f;
		uint64_t t0, t;

		if (!ctx)
			die("W3");
		x = gb_symbol(ctx, "x", 1);
		f = x;
		for (int j = 0; j < ks[i]; j++)	/* 1/(1 + exp(-f)) */
			f = gb_pow(ctx, gb_add2(ctx, ctx->one,
						gb_call1(ctx, GB_FN_EXP, gb_neg(ctx, f))),
				   ctx->minus_one);
		t0 = now_ns();
		if (!gb_diff(ctx, f, x))
			die("W3 chain");
		t = now_ns() - t0;
		printf("@@\tW3\tchain k=%d\tt=%s\tnodes=%u\n", ks[i],
		       secs(t, b, sizeof b), ctx->next_id);
		gb_ctx_free(ctx);
	}
	for (size_t i = 0; i < sizeof ks / sizeof ks[0]; i++) {
		gb_ctx *ctx = gb_ctx_new();
		const gb_node *x, *y, **w, **grad;
		uint64_t t0, t;
		char name[16];
		int k = ks[i];

		if (!ctx)
			die("W3");
		w = malloc(((size_t)k + 1) * sizeof *w);
		grad = malloc(((size_t)k + 1) * sizeof *grad);
		x = gb_symbol(ctx, "x", 1);
		y = x;
		for (int j = 0; j < k; j++) {	/* y + tanh(w_j y) */
			snprintf(name, sizeof name, "w%d", j + 1);
			w[j] = gb_symbol(ctx, name, strlen(name));
			y = gb_add2(ctx, y, gb_call1(ctx, GB_FN_TANH,
						     gb_mul2(ctx, w[j], y)));
		}
		/* d/dx and d/dw_j for every j: one reverse pass */
		w[k] = x;
		t0 = now_ns();
		if (gb_gradient(ctx, y, w, (size_t)k + 1, grad) != GB_OK)
			die("W3 resid");
		t = now_ns() - t0;
		printf("@@\tW3\tresid k=%d\tt=%s\tnodes=%u\n", k,
		       secs(t, b, sizeof b), ctx->next_id);
		free(w);
		free(grad);
		gb_ctx_free(ctx);
	}
}

/* W4: d/dx of sum_{i=1..N} c_i exp(a_i x) sin(b_i x). */
static void w4(void)
{
	static const int ns[] = { 100, 1000, 10000 };
	char b[32], name[24];

	for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) {
		gb_ctx *ctx = gb_ctx_new();
		const gb_node *x, **terms, *s, *d;
		uint64_t t0, t;

		if (!ctx)
			die("W4");
		terms = malloc((size_t)ns[i] * sizeof *terms);
		x = gb_symbol(ctx, "x", 1);
		for (int j = 0; j < ns[i]; j++) {
			const gb_node *a, *bb, *c;

			snprintf(name, sizeof name, "a%d", j + 1);
			a = gb_symbol(ctx, name, strlen(name));
			snprintf(name, sizeof name, "b%d", j + 1);
			bb = gb_symbol(ctx, name, strlen(name));
			snprintf(name, sizeof name, "c%d", j + 1);
			c = gb_symbol(ctx, name, strlen(name));
			terms[j] = gb_mul2(ctx, c, gb_mul2(ctx,
				gb_call1(ctx, GB_FN_EXP, gb_mul2(ctx, a, x)),
				gb_call1(ctx, GB_FN_SIN, gb_mul2(ctx, bb, x))));
		}
		s = gb_add(ctx, (size_t)ns[i], terms);
		t0 = now_ns();
		d = gb_diff(ctx, s, x);
		if (!d)
			die("W4 diff");
		t = now_ns() - t0;
		printf("@@\tW4\tN=%d\tt=%s\tterms=%u\n", ns[i],
		       secs(t, b, sizeof b), d->kind == GB_ADD ? d->nargs : 1);
		free(terms);
		gb_ctx_free(ctx);
	}
}

/* W5: parse + differentiate + LaTeX of every line of the batch file. */
static void w5(const char *path)
{
	FILE *f = fopen(path, "r");
	gb_ctx *ctx = gb_ctx_new();
	const gb_node *x;
	char line[4096], b[32], b1[32], b2[32], b3[32];
	uint64_t tp = 0, td = 0, tl = 0, t0 = now_ns();
	size_t n = 0, fail = 0, chars = 0;

	if (!f || !ctx)
		die("W5 setup (bench/data/batch10k.txt)");
	x = gb_symbol(ctx, "x", 1);
	while (fgets(line, sizeof line, f)) {
		const gb_node *e, *d;
		uint64_t a, bb, c, e2;
		size_t len = strcspn(line, "\r\n");
		char *tex;

		if (!len)
			continue;
		n++;
		a = now_ns();
		if (gb_parse(ctx, "<w5>", line, len, &e) != GB_OK) {
			fail++;
			gb_diag_clear(ctx);
			continue;
		}
		bb = now_ns();
		d = gb_diff(ctx, e, x);
		c = now_ns();
		tex = d ? gb_latex(ctx, d) : NULL;
		e2 = now_ns();
		if (!tex) {
			fail++;
			continue;
		}
		chars += strlen(tex);
		free(tex);
		tp += bb - a;
		td += c - bb;
		tl += e2 - c;
	}
	printf("@@\tW5\tbatch%zu\tt=%s\tt_parse=%s\tt_diff=%s\tt_latex=%s\tfail=%zu\tlatex_chars=%zu\n",
	       n, secs(now_ns() - t0, b, sizeof b), secs(tp, b1, sizeof b1),
	       secs(td, b2, sizeof b2), secs(tl, b3, sizeof b3), fail, chars);
	fclose(f);
	gb_ctx_free(ctx);
}

/* W6: 1000 digits of softplus'(beta = 2) and sigmoid^(10) at x = 7/10. */
static void w6(void)
{
	static const struct {
		const char *name, *expr;
		unsigned long order;
	} cs[] = {
		{ "softplus1", "log(1 + exp(2*x))/2", 1 },
		{ "sigmoid10", "1/(1 + exp(-x))", 10 },
	};
	char b[32];

	for (size_t i = 0; i < 2; i++) {
		gb_ctx *ctx = gb_ctx_new();
		const gb_node *d;
		gb_value *v = NULL;
		uint64_t t0, t;
		char *s;

		if (!ctx || gb_differentiate(ctx, parse(ctx, cs[i].expr), "x",
					     cs[i].order, &d) != GB_OK ||
		    gb_bind(ctx, "x", "7/10") != GB_OK)
			die("W6 setup");
		t0 = now_ns();
		if (gb_eval(ctx, d, 1000, &v) != GB_OK)
			die("W6 eval");
		t = now_ns() - t0;
		s = gb_value_str(v, 1000);
		printf("@@\tW6\t%s\tt=%s\tdigits=%.22s...%s\n", cs[i].name,
		       secs(t, b, sizeof b), s, s + strlen(s) - 10);
		printf("VALUE %s %s\n", cs[i].name, s);
		free(s);
		gb_value_free(v);
		gb_ctx_free(ctx);
	}
}

/* Runs the named workloads (all of them when none is named). */
int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		void (*run)(void);
	} ws[] = { { "W0", w0 }, { "W1", w1 }, { "W2", w2 }, { "W3", w3 },
		   { "W4", w4 }, { "W6", w6 } };
	const char *batch = "bench/data/batch10k.txt";
	bool named = false;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--batch") == 0 && i + 1 < argc)
			batch = argv[++i];
		else
			named = true;
	}
	for (size_t k = 0; k < sizeof ws / sizeof ws[0] + 1; k++) {
		const char *name = k < sizeof ws / sizeof ws[0] ? ws[k].name : "W5";
		bool want = !named;

		for (int i = 1; i < argc; i++)
			want |= strcmp(argv[i], name) == 0;
		if (!want)
			continue;
		if (strcmp(name, "W5") == 0)
			w5(batch);
		else
			ws[k].run();
		fflush(stdout);
	}
	return 0;
}
