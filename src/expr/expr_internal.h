/*
 * expr_internal.h (internal) - the compiled form of an expression: made by
 * the checker (expr_check.c), evaluated by expr_eval.c, and read by the
 * text templates (expr_text.c), the conditions a roster writes as
 * formulas (expr_cond.c) and the booklet's aggregate plans (expr_plan.c).
 *
 * A compiled expression is a tree kept in one array of fixed-size nodes,
 * children referred to by index: no pointer chasing across the heap and
 * nothing allocated while it is evaluated.  The root is the last node.
 * Aggregates are ordinary nodes (E_AGG) so that a later one-pass
 * aggregator can find them by scanning the array.
 */
#ifndef CADRE_EXPR_INTERNAL_H
#define CADRE_EXPR_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cadre/expr.h"

/* Static types while compiling: the public ones (same values) plus the
 * four kinds of record an expression can point at. */
enum cadre_xtype {
    X_ANY = CADRE_V_NULL, /* known only when evaluated (extra variables) */
    X_BOOL = CADRE_V_BOOL,
    X_NUMBER = CADRE_V_NUMBER,
    X_STRING = CADRE_V_STRING,
    X_DATE = CADRE_V_DATE,
    X_CODE = CADRE_V_CODE,
    X_CADRE,
    X_UNIT,
    X_COURSE,
    X_PARTICIPANT
};

/* Node operations. */
enum cadre_eop {
    E_CONST,  /* k holds the value of `type` */
    E_NULL,   /* no value */
    E_ROOT,   /* aux: X_CADRE.. X_PARTICIPANT, the record bound in env */
    E_NAV,    /* a: record; aux: NAV_* -> another record */
    E_FIELD,  /* a: record; aux: F_* */
    E_FCMP,   /* a code field compared with constants: a: record; aux2:
                 the field F_*; c: offset of its code byte in the record;
                 k.mask: the codes that make it true; aux: the result when
                 there is no code */
    E_GLOBAL, /* aux: G_* */
    E_VAR,    /* k.code: index into env->vars */
    E_NOT,    /* a */
    E_AND,    /* a, b */
    E_OR,     /* a, b */
    E_CMP,    /* a, b; aux: OP_*; aux2: the operands' xtype */
    E_IN,     /* a; args[b .. b+c); aux: 1 for "not in"; aux2: xtype */
    E_INMASK, /* any code compared with constants (comparisons, "in"
                 lists): a: a code; k.mask: the codes that make it true;
                 aux: the result when there is no code */
    E_NEG,    /* a */
    E_ARITH,  /* a, b; aux: '+' '-' '*' '/'; aux2: ARITH_* */
    E_CALL,   /* aux: FN_*; args[b .. b+c) */
    E_AGG,    /* aux: AGG_*; aux2: COLL_*; a: where or NONE; b: value or
                 NONE */
    E_SHOW    /* a: a record -> its name or title (a string) */
};

enum { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE };
enum { ARITH_NUM, ARITH_DATE_DAYS, ARITH_DATE_SHIFT, ARITH_DYN };
enum { NAV_CADRE_UNIT, NAV_UNIT_PARENT, NAV_PART_CADRE, NAV_PART_COURSE };
enum { G_AS_OF, G_ISSUER, G_PLACE, G_SIGNER, G_SIGNER_TITLE, G_YEAR };
enum {
    FN_RUNS_IN, FN_ENDS_IN, FN_STARTS_IN, FN_YEAR, FN_AGE, FN_IF,
    FN_PERCENT, FN_HAS
};
enum { AGG_COUNT, AGG_PEOPLE, AGG_SUM, AGG_AVG, AGG_MIN, AGG_MAX };
enum { COLL_CADRES, COLL_PARTICIPANTS, COLL_COURSES, COLL_UNITS };

/* Fields of records. */
enum {
    F_CADRE_ID, F_CADRE_FULL_NAME, F_CADRE_GIVEN_NAME, F_CADRE_GENDER,
    F_CADRE_BIRTH_DATE, F_CADRE_BIRTH_YEAR, F_CADRE_AGE, F_CADRE_ETHNICITY,
    F_CADRE_MINORITY, F_CADRE_POSITION, F_CADRE_CATEGORY, F_CADRE_EDUCATION,
    F_CADRE_POLITICAL_THEORY, F_CADRE_STATE_MANAGEMENT, F_CADRE_PARTY_MEMBER,
    F_CADRE_PARTY_SINCE, F_CADRE_LEADER,
    F_UNIT_ID, F_UNIT_NAME, F_UNIT_LEVEL,
    F_COURSE_ID, F_COURSE_TYPE, F_COURSE_MODE, F_COURSE_START, F_COURSE_END,
    F_COURSE_TITLE, F_COURSE_ORGANIZER, F_COURSE_LOCATION, F_COURSE_SIGNER,
    F_COURSE_SIGNER_TITLE, F_COURSE_GOVERNING_BODY, F_COURSE_PARTICIPANTS,
    F_COURSE_COMPLETED,
    F_PART_STATUS, F_PART_GRADE, F_PART_SCORE, F_PART_CERTIFICATE_NO,
    F_PART_ISSUED
};

#define CADRE_ENONE UINT32_MAX /* no child */

/* Node flags. */
enum {
    NF_YEAR = 1 /* the number is a year: print it without grouping */
};

typedef struct cadre_enode {
    uint8_t op;    /* enum cadre_eop */
    uint8_t type;  /* enum cadre_xtype of the result */
    uint8_t kind;  /* cadre_code_kind when type is X_CODE */
    uint8_t aux;   /* operation detail, see enum cadre_eop */
    uint8_t aux2;  /* second detail */
    uint8_t flags; /* NF_* */
    uint32_t a, b, c; /* children, or a range of args */
    union {
        double n;
        const char *s;
        cadre_date d;
        bool b;
        int code;
        uint32_t mask;
    } k; /* a constant */
} cadre_enode;

struct cadre_expr {
    cadre_enode *nodes; /* the tree; the root is nodes[root] */
    uint32_t n_nodes;   /* nodes used */
    size_t cap_nodes;   /* nodes allocated */
    uint32_t *args;     /* children lists of E_IN and E_CALL */
    uint32_t n_args;    /* entries used */
    size_t cap_args;    /* entries allocated */
    uint32_t root;      /* index of the root node */
    char **lits;        /* the string literals, each NUL-terminated */
    uint32_t n_lits;    /* literals kept */
    size_t cap_lits;    /* entries allocated */
};

/* Compile `len` bytes of `src`, allowing a record as the result (its
 * xtype is then X_CADRE .. X_PARTICIPANT).  `quote` is what messages
 * quote as the subject ("in '{cadre.x|upper}'"); NULL quotes `src`. */
cadre_expr *expr_compile_any(const char *src, size_t len,
                             const cadre_scope *scope, const char *file,
                             unsigned long line, const char *quote,
                             cadre_diags *diags);

/* The static type of the root, as an enum cadre_xtype. */
int expr_xtype(const cadre_expr *e);

/* Replace the root, a record of type X_CADRE, by its gender (for the
 * ong-ba filter); or a record of any type by its name or title.  Returns
 * 0, or -1 when out of memory. */
int expr_root_gender(cadre_expr *e);
int expr_root_show(cadre_expr *e);

/* The kind of code the root yields (when its xtype is X_CODE). */
cadre_code_kind expr_code_kind(const cadre_expr *e);

/* True when the root yields a year (printed without grouping). */
bool expr_root_is_year(const cadre_expr *e);

/* Whether a static type is one of the records. */
static inline bool xtype_is_record(int t) { return t >= X_CADRE; }

/* Rank of a code: a smaller index is a higher level. */
static inline int code_order(int a, int b)
{
    return a < b ? 1 : a > b ? -1 : 0;
}

static inline bool apply_op(int op, int order)
{
    switch (op) {
    case OP_EQ: return order == 0;
    case OP_NE: return order != 0;
    case OP_LT: return order < 0;
    case OP_LE: return order <= 0;
    case OP_GT: return order > 0;
    default: return order >= 0;
    }
}

/* Add error `msg` at `file`:`line` to `diags`, quoting its subject:
 * "msg in 'quote'"; a subject longer than a message should carry is cut
 * (never inside a character) and marked "...".  The compiler and the
 * text templates report alike through it. */
void expr_report(cadre_diags *diags, const char *file, unsigned long line,
                 const char *quote, size_t qlen, const char *msg);

/* Messages name types this way: "a number", "an education code". */
const char *expr_xtype_phrase(int xtype, int kind, char *buf, size_t size);

#endif
