/*
 * expr_compile.h (internal) - the compiler's state, shared by its stages:
 *
 *     source --expr_lex.c--> tokens --expr_parse.c--> syntax tree
 *            --expr_check.c--> checked nodes (expr_internal.h)
 *
 * expr.c runs the stages in turn; each reports its errors through
 * expr_error.c, which calls none of them, so the files depend one way.
 * The syntax tree (struct anode) is thrown away once checked: the
 * evaluator (expr_eval.c) sees only the checked nodes, never anything
 * declared here.
 */
#ifndef CADRE_EXPR_COMPILE_H
#define CADRE_EXPR_COMPILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "expr_internal.h"

#define MAX_DEPTH 200  /* deepest syntax tree accepted */

/* ------------------------------------------------------------------ */
/* Lexer.                                                              */

enum tok {
    T_END, T_NUM, T_STR, T_DATE, T_NAME, T_LP, T_RP, T_COMMA, T_CMP,
    T_PLUS, T_MINUS, T_STAR, T_SLASH, T_AND, T_OR, T_NOT, T_IN, T_WHERE,
    T_TRUE, T_FALSE, T_BAD
};

struct token {
    enum tok t;      /* what it is */
    size_t start;    /* offset in the source */
    size_t len;      /* bytes */
    int op;          /* OP_* for T_CMP */
    double num;      /* T_NUM */
    cadre_date date; /* T_DATE */
};

/* ------------------------------------------------------------------ */
/* The compiler's state.                                               */

enum akind {
    A_NUM, A_STR, A_DATE, A_BOOL, A_NAME, A_NEG, A_NOT, A_AND, A_OR, A_CMP,
    A_IN, A_ARITH, A_CALL, A_AGG
};

/* A node of the syntax tree. */
struct anode {
    uint8_t kind;   /* enum akind */
    uint8_t op;     /* OP_*, arithmetic char, 1 for "not in", AGG_* */
    uint8_t op2;    /* COLL_* for A_AGG */
    uint16_t depth; /* height of the subtree */
    size_t start;   /* the token's text: name, string, function */
    size_t len;     /* its bytes */
    double num;       /* A_NUM */
    cadre_date date;  /* A_DATE */
    bool b;           /* A_BOOL */
    uint32_t a, b2;   /* children (A_AGG: where, value) */
    uint32_t first, count; /* A_IN, A_CALL: children in alist */
};

typedef struct compiler {
    const char *src;    /* the expression */
    size_t len;         /* its length */
    size_t pos;         /* lexer position */
    int nest;           /* parse_or() calls open: nesting depth */
    struct token tok;   /* current token */
    const char *file;   /* for messages: where the expression stands */
    unsigned long line; /* its line there */
    const char *quote;  /* subject of messages */
    size_t quote_len;   /* its bytes */
    cadre_diags *diags; /* where messages go */
    bool failed;        /* an error was reported: stop */
    const cadre_scope *scope; /* the names the expression may use */
    struct anode *ast;  /* syntax tree */
    uint32_t n_ast;     /* nodes used */
    size_t cap_ast;     /* nodes allocated */
    uint32_t *alist;    /* children lists of the syntax tree */
    uint32_t n_alist;   /* entries used */
    size_t cap_alist;   /* entries allocated */
    cadre_expr *x;      /* what is being built */
} compiler;

/* expr_error.c: report an error at the expression's file and line,
 * quoting it; only the first: after it c->failed stops every stage. */
void expr_error(compiler *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Report an out-of-memory error. */
void expr_oom(compiler *c);

/* The lexer (expr_lex.c): read the next token into c->tok. */
void expr_lex_next(compiler *c);

/* The parser (expr_parse.c): the syntax tree of the whole source, its
 * root in c->ast; CADRE_ENONE or c->failed after an error was reported. */
uint32_t expr_parse(compiler *c);

/* The checker (expr_check.c): the checked nodes of syntax tree `root`
 * into c->x, in the scope c->scope; returns the checked root, or
 * CADRE_ENONE after an error was reported. */
uint32_t expr_check(compiler *c, uint32_t root);

/* Names of aggregates (AGG_*) and collections (COLL_*), as written: the
 * parser reads them, the checker's messages name them. */
extern const char *const expr_agg_names[];
extern const char *const expr_coll_names[];

#endif
