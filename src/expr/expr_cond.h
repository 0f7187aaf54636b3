/*
 * expr_cond.h (internal) - a compiled condition read back as a
 * conjunction of tests of one field each, for a writer that must say the
 * same condition in another language (the roster's COUNTIFS formulas):
 *
 *     cadre_field_test t[8];
 *     size_t n;
 *     if (cadre_expr_conjunction(e, X_CADRE, t, 8, &n) == CADRE_CONJ_OK)
 *         ... t[0].field == F_CADRE_EDUCATION, t[0].codes ...
 *
 * The tests are read from the nodes the compiler made, so the condition
 * means to the writer what it means to the evaluator: "education >=
 * cao-dang" arrives as the set of codes the compiler computed, "not (a or
 * b)" as "not a and not b".  Nothing here allocates or evaluates.
 */
#ifndef CADRE_EXPR_COND_H
#define CADRE_EXPR_COND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "expr_internal.h"

/* How a field is tested. */
enum cadre_ftest_kind {
    CADRE_FTEST_CODES,  /* a code field: its code is one of `codes` */
    CADRE_FTEST_TRUTH,  /* a true/false field: it equals `truth` */
    CADRE_FTEST_NUMBER  /* a number field: it compares with `number` by
                           `op` */
};

/* One test of a conjunction. */
typedef struct cadre_field_test {
    int field;          /* F_*: the field of the bound record tested */
    int kind;           /* enum cadre_ftest_kind */
    uint32_t codes;     /* CODES: a bit per code accepted (index in its
                           list, highest level first) */
    bool none;          /* CODES: whether a record without the code (an
                           optional field not given) passes */
    bool truth;         /* TRUTH: the value accepted */
    int op;             /* NUMBER: OP_EQ .. OP_GE, the field on the left */
    double number;      /* NUMBER: the constant it is compared with */
} cadre_field_test;

/* What cadre_expr_conjunction() found. */
enum cadre_conj_status {
    CADRE_CONJ_OK,      /* a conjunction of field tests */
    CADRE_CONJ_OR,      /* an 'or' (also "not (a and b)") */
    CADRE_CONJ_OTHER,   /* a part that tests no single field of the
                           record against constants: another record's
                           field, a computed value, an aggregate, two
                           fields compared, a constant false */
    CADRE_CONJ_MANY     /* more than `max` tests */
};

/* Read `e` as "t1 and t2 and ..." where each test compares one field of
 * the record bound at root `root` (X_CADRE .. X_PARTICIPANT) with
 * constants; `true` alone is no test.  Fills tests[0 .. *n) and returns
 * CADRE_CONJ_OK, or another enum cadre_conj_status saying what stops it
 * (*n is then meaningless).  A field may be tested more than once
 * ("age >= 31 and age <= 40"). */
int cadre_expr_conjunction(const cadre_expr *e, int root,
                           cadre_field_test *tests, size_t max, size_t *n);

#endif
