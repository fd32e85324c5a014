/*
 * gradbox.h - public interface of the gradbox library.
 *
 * gradbox reads expressions (plain syntax or LaTeX), builds an immutable,
 * hash-consed expression DAG, differentiates it symbolically, evaluates it
 * with GNU MPFR at any precision and prints it as plain text or LaTeX.
 *
 * Ownership: every gb_node belongs to the gb_ctx that made it and lives
 * until gb_ctx_free(). Nodes are immutable and interned: two nodes are
 * structurally equal exactly when their pointers are equal. Strings
 * returned as `char *` are the caller's, released with gb_free().
 *
 * Errors: actions return gb_status; details (with file:line:col, the
 * source line and a caret) are collected in the context and rendered by
 * gb_diag_render(). The library keeps no global state: use one context
 * per thread.
 */
#ifndef GRADBOX_H
#define GRADBOX_H

#include <stdbool.h>
#include <stddef.h>

#include <mpfr.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gb_ctx gb_ctx;		/* owns every node, symbol, diagnostic */
typedef struct gb_node gb_node;		/* opaque, immutable, interned */
typedef struct gb_value gb_value;	/* an evaluated scalar, vector or matrix */

typedef enum gb_status {
	GB_OK = 0,
	GB_ESYNTAX,	/* input rejected: see the diagnostics */
	GB_ENAME,	/* unknown name or function, wrong arity */
	GB_ESHAPE,	/* operands do not conform */
	GB_EDOMAIN,	/* undefined: outside a function's domain, no branch */
	GB_EUNSTABLE,	/* precision cap reached before results agreed */
	GB_ELIMIT,	/* a size, depth or precision limit was exceeded */
	GB_ENOMEM,	/* memory ran out; the context is still usable to free */
	GB_EUSAGE	/* a caller error: bad argument */
} gb_status;

/* A short English name for a status ("syntax error", ...). */
const char *gb_status_str(gb_status st);

gb_ctx *gb_ctx_new(void);
void gb_ctx_free(gb_ctx *ctx);
void gb_free(void *p);

/* Diagnostics: all of them, rendered GCC-style, into a new string. */
char *gb_diag_render(gb_ctx *ctx);
size_t gb_diag_errors(const gb_ctx *ctx);
void gb_diag_clear(gb_ctx *ctx);

/*
 * Loads a program (declarations, definitions, assignments) from text;
 * name is used in diagnostics. Later expressions may use what it defines.
 */
gb_status gb_load(gb_ctx *ctx, const char *name, const char *text, size_t len);

/* Parses one expression in the plain syntax; on GB_OK stores it in *out. */
gb_status gb_parse(gb_ctx *ctx, const char *name, const char *text,
		   size_t len, const gb_node **out);

/* Parses one expression written in LaTeX (\frac{1}{1 + e^{-x}}, ...). */
gb_status gb_parse_latex(gb_ctx *ctx, const char *name, const char *text,
			 size_t len, const gb_node **out);

/*
 * Binds NAME to a value given as text ("0.7", "1/3", "[1, 2]",
 * "[[1, 2], [3, 4]]"); the value must be exact (no variables).
 */
gb_status gb_bind(gb_ctx *ctx, const char *name, const char *value_text);

/* Plain text (re-parseable) and LaTeX forms of e. NULL when out of memory,
 * or (diagnosed) when e written out as a tree would have more than 4
 * million nodes: a DAG's tree can be exponentially larger. */
char *gb_print(gb_ctx *ctx, const gb_node *e);
char *gb_latex(gb_ctx *ctx, const gb_node *e);

/*
 * Evaluates e with every bound symbol replaced by its value, to `digits`
 * significant decimal digits, correctly rounded as far as a retry at a
 * higher working precision can tell. On success *out holds the value
 * (release it with gb_value_free). GB_EDOMAIN means the value is
 * undefined; the reason is in the diagnostics.
 */
gb_status gb_eval(gb_ctx *ctx, const gb_node *e, long digits, gb_value **out);
void gb_value_free(gb_value *v);

/*
 * The value in scientific notation with `digits` significant digits
 * ("7.3105857863000487925e-1"), vectors as "[a, b]", matrices as
 * "[[a, b], [c, d]]".
 */
char *gb_value_str(const gb_value *v, long digits);

/*
 * The n-th derivative of e with respect to the variable named wrt, or,
 * when wrt is NULL, e's only free variable (GB_EUSAGE, diagnosed, if it
 * has none or several). The result is simplified to textbook forms;
 * at a kink it is a piecewise expression that is undefined exactly where
 * the derivative does not exist.
 */
gb_status gb_differentiate(gb_ctx *ctx, const gb_node *e, const char *wrt,
			   unsigned long order, const gb_node **out);

/*
 * What a derivative is at a kink. GB_CONV_NONE (the default): undefined
 * there, as in mathematics. GB_CONV_PYTORCH and GB_CONV_JAX: the value
 * those frameworks' autograd returns: relu'(0) = 0, |x|'(0) = sign(0) = 0,
 * max and min split the derivative evenly at a tie, and a piecewise
 * function takes the derivative of the branch that holds at the point
 * (torch.where / jnp.where). On gradbox's primitives the two frameworks
 * agree; the names are kept apart so that a difference found later can
 * be honoured.
 */
typedef enum gb_convention {
	GB_CONV_NONE,
	GB_CONV_PYTORCH,
	GB_CONV_JAX
} gb_convention;

void gb_set_convention(gb_ctx *ctx, gb_convention conv);

/*
 * The free variables of e (symbols that are neither bound nor
 * parameters), sorted by name, in *names (context memory). Returns
 * the count.
 */
size_t gb_free_vars(gb_ctx *ctx, const gb_node *e, const char ***names);

/*
 * A point where a derivative may fail to exist: at x = at, the one-sided
 * limits of the derivative are left and right, those of the function
 * fleft and fright (they differ at a jump). `cond` is NULL when the
 * derivative does not exist there, or the condition on parameters under
 * which it does (alpha == 1 for ELU at 0).
 */
typedef struct gb_kink {
	const gb_node *at;
	const gb_node *left, *right;
	const gb_node *fleft, *fright;
	const gb_node *cond;
} gb_kink;

/*
 * The kinks of df, the derivative of f in the variable named wrt: the
 * points where df is undefined or defined only under a condition. *out
 * is context memory; returns the count.
 */
size_t gb_kinks(gb_ctx *ctx, const gb_node *f, const gb_node *df,
		const char *wrt, gb_kink **out);

/*
 * After gb_eval found e undefined: adds notes explaining why at each
 * bound point that is a kink of e (the left and right limits there,
 * "left derivative 0, right derivative 1" when e is a derivative).
 */
void gb_explain_undefined(gb_ctx *ctx, const gb_node *e, long digits);

/* The limit on --digits. */
#define GB_DIGITS_MAX 100000L

/* ------------------------------------------------------------- limits */

/*
 * Limits that turn pathological input into a diagnostic instead of a
 * crash, a hang or exhausted memory. When one is reached, the operation
 * returns GB_ELIMIT and the diagnostics say which limit, once:
 *
 *   expression too large (limit N nodes)
 *   expression nested too deeply (limit N levels)
 *   time limit exceeded (limit N ms)
 *   step limit exceeded (limit N steps)
 *
 * A limit reached is sticky, like running out of memory: later calls fail
 * fast with GB_ELIMIT until gb_budget_start() begins a new budget.
 */
typedef enum gb_limit {
	GB_LIMIT_NODES,		/* nodes created per budget (20000000) */
	GB_LIMIT_DEPTH,		/* nesting of syntax and recursion (4000) */
	GB_LIMIT_INPUT,		/* bytes of one source text (64 MiB) */
	GB_LIMIT_EXP_DIGITS,	/* digits of an exact power that is
				 * computed; larger ones stay powers (100000) */
	GB_LIMIT_STEPS,		/* steps of work per budget (0: none) */
	GB_LIMIT_MSEC		/* milliseconds per budget (0: none) */
} gb_limit;

/*
 * Sets a limit (GB_EUSAGE for 0 where 0 makes no sense, or too large a
 * value). Setting GB_LIMIT_MSEC also starts its clock.
 */
gb_status gb_set_limit(gb_ctx *ctx, gb_limit which, unsigned long value);
unsigned long gb_get_limit(const gb_ctx *ctx, gb_limit which);

/*
 * Begins a new budget: clears a limit reached before (its diagnostic
 * stays; out of memory is not cleared), counts nodes, steps and
 * milliseconds from zero. A time limit per statement, as `gradbox run`
 * and `batch` need, is
 *
 *	gb_set_limit(ctx, GB_LIMIT_MSEC, 5000);		once
 *	for each statement:
 *		gb_budget_start(ctx);
 *		... parse, differentiate, evaluate, print ...
 *		GB_ELIMIT: report gb_diag_render(ctx), go on with the next
 *
 * The clock and step count are checked in the main loops (every node
 * built or looked up, hence differentiation and simplification; every
 * node evaluated and every pass of the evaluator's precision loop), so a
 * budget stops work within about a thousand steps of running out. One
 * MPFR operation is not interrupted: at the --digits maximum it may take
 * a second.
 */
void gb_budget_start(gb_ctx *ctx);

/* ------------------------------------------------- backward formulas */

/*
 * dL/dX for a scalar L: reverse mode over the program's assignments
 * (calculus/backward.h). grad is written with the named intermediates
 * (z, not sigmoid(W*x)) and the let symbols (yhat = ..., in order:
 * let_names[k] = let_values[k], each using only earlier ones); expanded
 * is the same value in the inputs only, ready for gb_eval. With an
 * upstream gradient in L (grad of zhat'*z) it is the vector-Jacobian
 * product. Context memory.
 */
typedef struct gb_grad_result {
	const gb_node *grad, *expanded;
	size_t nlets;
	const gb_node **let_names, **let_values;
} gb_grad_result;

gb_status gb_backprop(gb_ctx *ctx, const gb_node *l, const char *wrt,
		      gb_grad_result *out);

/* How a derivation is written (zero-initialised: the homework's way). */
typedef struct gb_steps_opts {
	bool plain;		/* gradbox's own syntax instead of LaTeX */
	bool transpose_t;	/* ^T instead of ^\top */
	bool circ;		/* \circ instead of \odot */
	bool mathrm_d;		/* \mathrm{d} instead of d */
	bool no_bold;		/* x instead of \mathbf{x} */
} gb_steps_opts;

/*
 * The derivation of dL/dX by the differential method, one `aligned`
 * line per rule application of the backward pass (dl = yhat^T dy =
 * yhat^T (dx + dz) = ... => dl/dx = ...); a scalar X gets the chain rule
 * line by line. A new string (gb_free), NULL with a diagnostic.
 */
char *gb_backprop_steps(gb_ctx *ctx, const gb_node *l, const char *wrt,
		    const gb_steps_opts *o);

/* ---------------------------------------------------- answer checking */

/*
 * How an answer is written: detected (LaTeX if it has a backslash, a
 * brace or '&'), or forced.
 */
typedef enum gb_answer_syntax {
	GB_ANSWER_AUTO,
	GB_ANSWER_PLAIN,
	GB_ANSWER_LATEX
} gb_answer_syntax;

/* Parses an answer in the plain syntax or LaTeX (see gb_answer_syntax). */
gb_status gb_parse_answer(gb_ctx *ctx, const char *name, const char *text,
			  size_t len, gb_answer_syntax syntax,
			  const gb_node **out);

typedef struct gb_check_opts {
	const char *wrt;	/* NULL: is answer == expr? else: is answer
				 * d expr / d wrt? */
	long prec;		/* bits; 0: 256 */
	unsigned points;	/* random points wanted; 0: 32 */
	unsigned long seed;	/* 0: the fixed default */
} gb_check_opts;

/*
 * The verdict and its evidence. Strings and arrays are context memory.
 * When the answer is incorrect, the counterexample is the disagreeing
 * point of smallest height (simplest rationals): the sampled symbols in
 * name order with their exact values, and both values to 20 digits (or
 * "undefined"). region ("wrong for x < 0 (agrees for x > 0)") and hint
 * ("off by a factor -1 (sign error)") are NULL when not informative;
 * notes say what happens at kinks ("at x = 0 the answer gives 0; ...").
 */
typedef struct gb_check_result {
	bool correct;
	unsigned npoints;	/* points where both were compared */
	unsigned nskipped;	/* points where both were undefined */
	size_t nvars;
	const char **var_names, **var_values;	/* "x", "3/4" */
	const char *point;	/* "x = 3/4, beta = 2" */
	const char *expected, *got;
	const char *region, *hint;
	const char **notes;
	size_t nnotes;
} gb_check_result;

/*
 * Is answer equal to expr (o->wrt NULL) or to the derivative of expr in
 * o->wrt? GB_OK with the verdict in *r; GB_ESHAPE for a non-scalar
 * (not supported yet), GB_EDOMAIN when no point has both defined.
 */
gb_status gb_check(gb_ctx *ctx, const gb_node *expr, const gb_node *answer,
		   const gb_check_opts *o, gb_check_result *r);

typedef struct gb_verify_opts {
	long prec;		/* working bits of the finite difference; 0: 320 */
	unsigned points;	/* 0: 16 */
	unsigned long seed;	/* 0: the fixed default */
} gb_verify_opts;

/* One derivative verified: strings are context memory. */
typedef struct gb_verify_item {
	const char *name;	/* the function ("elu") or expression */
	const char *wrt;
	bool ok;
	unsigned npoints;
	const char *max_err;	/* largest relative error, 2 digits: "3.1e-41" */
	const char *problem;	/* !ok: "at x = 3/4: derivative ..., finite
				 * difference ..." */
} gb_verify_item;

/* d f / d wrt (wrt NULL: f's only free variable) against MPFR finite
 * differences at seeded points away from kinks. */
gb_status gb_verify(gb_ctx *ctx, const char *name, const gb_node *f,
		    const char *wrt, const gb_verify_opts *o,
		    gb_verify_item *out);

/*
 * Loads a program and verifies d/dx f(x) for every one-argument function
 * it defines, in order. *items is context memory, *n its length.
 */
gb_status gb_verify_file(gb_ctx *ctx, const char *name, const char *text,
			 size_t len, const gb_verify_opts *o,
			 gb_verify_item **items, size_t *n);

/* ------------------------------------------------ smoothness classes */

/*
 * The class of a scalar function of one variable: discontinuous (-1),
 * C^k (k >= 0), or C^inf (GB_C_INF). One-sided derivatives are compared
 * up to GB_SMOOTH_MAX_ORDER.
 */
#define GB_C_DISCONTINUOUS (-1)
#define GB_C_INF 1000
#define GB_SMOOTH_MAX_ORDER 8

/* What breaks at an exceptional point. */
typedef enum gb_break {
	GB_BREAK_JUMP,	/* the one-sided limits differ */
	GB_BREAK_HOLE,	/* they agree, but the value differs or is undefined */
	GB_BREAK_LIMIT,	/* a one-sided limit does not exist (value defined) */
	GB_BREAK_DERIV,	/* the order-th one-sided derivatives differ */
	GB_BREAK_NONE	/* all agree up to the maximum order; pieces differ */
} gb_break;

/*
 * An exceptional point x = at. numeric: `at` is a rational within
 * 2^-160 of a zero found numerically. cls is the class there (for
 * generic parameter values), at_least when it is only a lower bound.
 * order: the derivative that breaks (0: the function itself); left and
 * right: its one-sided limits (NULL when they do not exist); value:
 * f(at) when order is 0 (NULL when undefined). cond: NULL, or the
 * condition on parameters under which left = right (alpha == 1 for ELU
 * at 0), and then the class there is cls_if (at least, if at_least_if).
 */
typedef struct gb_smooth_point {
	const gb_node *at;
	bool numeric;
	int cls;
	bool at_least;
	unsigned order;
	gb_break what;
	const gb_node *left, *right, *value;
	const gb_node *cond;
	int cls_if;
	bool at_least_if;
} gb_smooth_point;

/*
 * The result: cls is the smallest class over the points (GB_C_INF when
 * none), analytic when f has no abs/sign/relu/max/min/piecewise at all.
 * Points are sorted by value. Zeros of nonlinear switching arguments
 * are searched numerically in [-window, window] (searched lists those
 * arguments); unsolved lists the arguments whose zeros could not be
 * located (they depend on unbound parameters). Context memory.
 */
typedef struct gb_smooth {
	int cls;
	bool at_least;
	bool analytic;
	const gb_node *f, *x;	/* f with bound values substituted */
	gb_smooth_point *pt;
	size_t npt;
	const gb_node **searched, **unsolved;
	size_t nsearched, nunsolved;
	long window;
} gb_smooth;

/*
 * The smoothness class of f in the variable wrt (NULL: f's only free
 * variable, or x when it has none). Bound symbols take their values;
 * parameters stay symbolic.
 */
gb_status gb_smoothness(gb_ctx *ctx, const gb_node *f, const char *wrt,
			gb_smooth **out);

/* "discontinuous", "C^0", ..., "C^inf" (LaTeX: "$C^{1}$", "$C^\infty$"). */
char *gb_smooth_class_str(int cls, bool latex);

/* Point i: "x = 0: left derivative 0, right derivative 1". */
char *gb_smooth_point_str(gb_ctx *ctx, const gb_smooth *s, size_t i,
			  bool latex);

/* A short reason for a table: "not differentiable at x = 0". */
char *gb_smooth_summary(gb_ctx *ctx, const gb_smooth *s, bool latex);

/*
 * One sentence explaining the class, generated from the analysis: "ReLU
 * is continuous everywhere but not differentiable at x = 0, where its
 * left derivative 0 and right derivative 1 differ." name: the function's
 * name (a built-in is shown by its LaTeX spelling: ReLU, $\sigma$), or
 * NULL to name f by its formula (or by its built-in when f is g(x)).
 */
char *gb_smooth_sentence(gb_ctx *ctx, const gb_smooth *s, const char *name,
			 bool latex);

/* --------------------------------- expression files and answer boxes */

/* How gb_run_text writes results. */
typedef enum gb_format {
	GB_FORMAT_PLAIN,	/* one block per query: its line, then results */
	GB_FORMAT_LATEX,	/* the same with results as LaTeX */
	GB_FORMAT_JSON		/* an array with one object per query */
} gb_format;

/*
 * Runs the statements of an expression file (declarations, definitions,
 * assignments and the queries show, answer, check, smooth, eval; see
 * grammar/gradbox.ebnf) in order, and writes every query's result into
 * *out (gb_free it). A statement that fails is diagnosed at its span and
 * the rest still run: GB_OK when all ran, else the first failure's
 * status with *out holding the others' results.
 */
gb_status gb_run_text(gb_ctx *ctx, const char *name, const char *text,
		      size_t len, gb_format fmt, char **out);

typedef struct gb_render_opts {
	const char *template_name;	/* for diagnostics; NULL: "template" */
	const char *template_text;	/* NULL: gb_default_template() */
	size_t template_len;
	const char *const *shorten;	/* slots whose derivations lose their
					 * middle steps (after an overflow) */
	size_t nshorten;
} gb_render_opts;

/*
 * Runs an expression file and fills the template's answer slots
 * (\gbslot{ID}) with the LaTeX of its `answer "ID" ...` statements, in
 * order. An answer for a slot the template lacks, a slot without an
 * answer, or a statement that failed is an error: then *out is NULL.
 * o may be NULL.
 */
gb_status gb_render(gb_ctx *ctx, const char *name, const char *text,
		    size_t len, const gb_render_opts *o, char **out);

/* The built-in answer-sheet template (templates/hw-answers.tex). */
const char *gb_default_template(void);

/*
 * The slots a compiled document's log names as overflowing their fixed
 * height (lines "gradbox-overflow: ID"), one per line, in a new string
 * ("" when none; NULL when out of memory).
 */
char *gb_overflow_slots(const char *log, size_t len);

/* ------------------------------------------- batch records and grading */

/* One diagnostic as data (strings are context memory). */
typedef struct gb_diag_info {
	const char *severity;	/* "error", "warning" or "note" */
	const char *file;	/* the source's name; NULL: not tied to a text */
	unsigned line, col;	/* from 1; 0 when file is NULL */
	const char *message;
} gb_diag_info;

/* What became of a statement. */
typedef enum gb_outcome {
	GB_OUTCOME_OK,		/* it ran */
	GB_OUTCOME_FAILED,	/* it did not: see its diagnostics */
	GB_OUTCOME_SKIPPED,	/* an else statement that was not needed */
	GB_OUTCOME_HANDLED	/* it failed, and an else statement stood in */
} gb_outcome;

/* "ok", "failed", "skipped", "handled". */
const char *gb_outcome_str(gb_outcome o);

/*
 * One statement of an expression file, as `gradbox batch` reports it.
 * kind is the statement's keyword: show, answer, check, smooth, eval
 * (queries), param, dim, vector, matrix, def, assign, expr (program
 * statements), or "syntax" for text that did not parse (then input is
 * its line). result and latex are set for queries that ran; verdict for
 * check (1 correct, 0 incorrect, else -1); classes for smooth (one per
 * function: "C^0", "C^inf", "discontinuous"). usec is the time spent.
 * Context memory.
 */
typedef struct gb_record {
	unsigned line;
	const char *kind;
	const char *slot;	/* answer: the slot ID, else NULL */
	const char *input;
	gb_outcome outcome;
	const char *result, *latex;
	int verdict;
	const char **classes;
	size_t nclasses;
	gb_diag_info *diags;	/* the statement's own, notes after theirs */
	size_t ndiags;
	unsigned long usec;
} gb_record;

/*
 * Runs an expression file as gb_run_text does and describes every
 * statement, in source order, in *recs (context memory; *n of them).
 * Each statement gets a fresh budget (gb_budget_start), so a limit set
 * with gb_set_limit (GB_LIMIT_MSEC: a time limit) applies per statement
 * and a statement past it fails alone. GB_OK when every statement ran;
 * else the status of the first failure, with *recs describing all.
 * *recs is NULL only when memory ran out.
 */
gb_status gb_run_records(gb_ctx *ctx, const char *name, const char *text,
			 size_t len, gb_record **recs, size_t *n);

/* How a slot of a submission was graded. */
typedef enum gb_grade_verdict {
	GB_GRADE_CORRECT,
	GB_GRADE_INCORRECT,
	GB_GRADE_UNREADABLE,	/* missing, empty or not parsable box */
	GB_GRADE_MANUAL		/* prose, or not checkable: by hand */
} gb_grade_verdict;

/* "correct", "incorrect", "unreadable", "not graded". */
const char *gb_grade_verdict_str(gb_grade_verdict v);

/* One slot of one submission (strings are context memory). */
typedef struct gb_grade_row {
	const char *slot;
	gb_grade_verdict verdict;
	const char *reason;	/* the counterexample, the parse error, why
				 * by hand; "" when correct */
	const char *answer;	/* the LaTeX read from the box, or NULL */
} gb_grade_row;

/*
 * Grades a filled-in answer sheet against a key. The key is an
 * expression file: its declarations and definitions, and its `answer
 * "ID" ...` statements, which name the expected answer of each slot (a
 * value or steps answer is checked; text, smooth and the other modes are
 * graded by hand). The submission is the template with each box filled:
 * the box's content is read from its marker \gbslot{ID} (or, if the
 * marker was removed, from \begin{answerbox}{ID}) to the end of the box;
 * its last math (\[...\], $...$, ...) is the answer, the part after a
 * last '=' when it has one, parsed as LaTeX and checked with gb_check.
 * One row per slot of the key, in its order, in *rows (*n of them).
 * GB_OK unless the key itself failed (then diagnosed). Use one context
 * per submission.
 */
gb_status gb_grade(gb_ctx *ctx, const char *key_name, const char *key,
		   size_t key_len, const char *sub_name, const char *sub,
		   size_t sub_len, gb_grade_row **rows, size_t *n);

#ifdef __cplusplus
}
#endif

#endif /* GRADBOX_H */
