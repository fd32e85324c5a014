/*
 * node.h - the expression DAG: immutable, hash-consed nodes.
 *
 * Every node is created through intern() (node.c), called only by the
 * canonicalising constructors of build.c. Children are interned before
 * their parent, so two nodes are structurally equal exactly when their
 * pointers are equal, and interning compares shallowly.
 *
 * Nodes carry no source spans: one interned x stands for every x in the
 * text. Spans live in the syntax tree (front/ast.h).
 */
#ifndef GB_NODE_H
#define GB_NODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gmp.h>

typedef struct gb_ctx gb_ctx;
typedef struct gb_node gb_node;

/*
 * Node kinds. The order is the first key of the structural order
 * (node_cmp), so it decides how canonical sums and products are sorted:
 * numbers, then constants, symbols, calls, ... .
 */
#define GB_NODE_KINDS(X)                                                  \
	X(NUM)		/* exact rational, u.q                          */  \
	X(CONST)	/* pi or e: op = GB_CONST_PI | GB_CONST_E       */  \
	X(SYM)		/* a variable or parameter, u.sym               */  \
	X(CALL)		/* built-in function fn applied to arg[]        */  \
	X(POW)		/* arg[0] ^ arg[1]                              */  \
	X(MUL)		/* commutative product, >= 2 factors            */  \
	X(ADD)		/* sum, >= 2 terms                              */  \
	X(MATMUL)	/* matrix product arg[0] arg[1] (not commutative) */\
	X(HADAMARD)	/* element-wise product                         */  \
	X(TRANSPOSE)	/* arg[0]'                                      */  \
	X(MATRIX)	/* literal, rows x cols entries, row-major      */  \
	X(CMP)		/* arg[0] op arg[1], op a GB_OP_* comparison    */  \
	X(AND)		/* conjunction of conditions, >= 2              */  \
	X(OR)		/* disjunction of conditions, >= 2              */  \
	X(PIECEWISE)	/* cond, value, cond, value, ... [, otherwise]  */

typedef enum gb_kind {
#define X(k) GB_##k,
	GB_NODE_KINDS(X)
#undef X
	GB_NKINDS
} gb_kind;

/* Operators, from grammar/operators.def: GB_OP_ADD, GB_OP_LT, ... */
typedef enum gb_op {
	GB_OP_NONE,
#define OP(name, tok, l, r, plain, latex) GB_OP_##name,
#include "operators.def"
#undef OP
	GB_NOPS
} gb_op;

/* Built-in functions, from grammar/functions.def: GB_FN_EXP, ... */
typedef enum gb_fn {
#define FN(id, name, lo, hi, latex, ev, d) GB_FN_##id,
#include "functions.def"
#undef FN
	GB_NFNS
} gb_fn;

enum { GB_CONST_PI, GB_CONST_E };

/*
 * Shape: rows x cols. A scalar is 1 x 1, a column vector n x 1. A
 * dimension >= 2^31 is symbolic: GB_DIM_SYM | id names the dimension
 * symbol `d` of `dim d` (see core/shape.h).
 */
typedef struct gb_shape {
	uint32_t rows, cols;
} gb_shape;

/* A symbol: interned by name, so one gb_sym per name per context. */
typedef struct gb_sym {
	const char *name;	/* NUL-terminated, owned by the context */
	uint32_t len;
	uint32_t hash;
	uint32_t id;		/* dense, in order of creation */
	gb_shape shape;
	/*
	 * What a `param` statement assumed about the symbol's sign:
	 * 0 nothing, 1 positive (> 0), 2 non-negative (>= 0),
	 * -1 negative, -2 non-positive. Used by simplify and check.
	 */
	int8_t sign;
	bool is_param;
	bool is_dim;		/* a size: `dim d`, or used as one (x[d]) */
	/*
	 * Lowering's memo of whether the name is a built-in function's
	 * (front/lower.c, builtin_named): 0 not known yet, else the
	 * gb_fn + 1, GB_NFNS + 1 when it is none.
	 */
	uint8_t fn_word;
} gb_sym;

struct gb_node {
	uint64_t key;		/* 64-bit structural hash: order tie-breaker */
	uint32_t hash;		/* structural, deterministic across runs */
	uint32_t id;		/* dense creation number: memo-table key */
	uint8_t kind;		/* gb_kind */
	uint8_t op;		/* CMP: gb_op; CONST: GB_CONST_* */
	uint16_t fn;		/* CALL: gb_fn */
	uint32_t nargs;
	gb_shape shape;
	uint32_t size;		/* tree size, saturating: a cheap cost measure */
	union {
		mpq_srcptr q;		/* NUM: owned by the context's number table */
		const gb_sym *sym;	/* SYM */
	} u;
	const gb_node *arg[];	/* interned children */
};

/*
 * The structural order used to sort the children of sums and products:
 * deterministic (never by address or creation order), so output is
 * byte-stable. Nodes are compared structurally down to a fixed depth and,
 * below it, by their 64-bit structural keys, so one comparison costs
 * O(1) however deep the expressions are. Returns <0, 0, >0; 0 exactly
 * when a == b (up to a 64-bit key collision).
 */
int gb_node_cmp(const gb_node *a, const gb_node *b);

/*
 * Returns the unique node with the given kind, payload and children,
 * creating it on first use; NULL (and ctx marked out of memory) when
 * allocation fails. Children must be interned. Only build.c calls this:
 * everything else uses the canonicalising constructors.
 */
const gb_node *gb_intern(gb_ctx *ctx, gb_kind kind, unsigned op, unsigned fn,
			 const void *payload, gb_shape shape, size_t nargs,
			 const gb_node *const *args);

static inline bool gb_is_num(const gb_node *n)
{
	return n->kind == GB_NUM;
}

static inline bool gb_is_scalar(const gb_node *n)
{
	return n->shape.rows == 1 && n->shape.cols == 1;
}

#endif /* GB_NODE_H */
