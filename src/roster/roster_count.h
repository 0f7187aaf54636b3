/*
 * roster_count.h (internal) - the counts of statistics sheets: a count
 * column's condition, read from its compiled expression (expr_cond.h) and
 * restricted to what a COUNTIFS formula over a cadre sheet can test; the
 * same test in C, so that each formula is stored with the value a
 * spreadsheet computes; and the formulas.
 */
#ifndef CADRE_ROSTER_COUNT_H
#define CADRE_ROSTER_COUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cadre/expr.h"
#include "cadre/template.h"
#include "util/grow.h"

/* The cadre fields a count condition may test: those a COUNTIFS formula
 * can test on a cadre sheet's cells. */
enum count_field {
    COUNT_GENDER, COUNT_CATEGORY, COUNT_EDUCATION, COUNT_POLITICAL_THEORY,
    COUNT_STATE_MANAGEMENT, COUNT_PARTY_MEMBER, COUNT_LEADER, COUNT_MINORITY,
    COUNT_AGE, COUNT_FIELDS
};

/* A count condition: a conjunction of tests, one per field. */
typedef struct count_cond {
    uint32_t tested;             /* bit per count_field tested */
    uint32_t mask[COUNT_FIELDS]; /* code and true/false fields: the values
                                    accepted, a bit per code (false = 0,
                                    true = 1) */
    int age_lo, age_hi;          /* COUNT_AGE: accepted ages, inclusive */
} count_cond;

/* Read the count condition `src`, compiled as `e` (for the cadre), into
 * `out`.  Returns 0, or -1 after adding an error at `n` saying why it
 * cannot be a COUNTIFS formula. */
int count_cond_compile(const cadre_expr *e, const char *src,
                       const cadre_tnode *n, count_cond *out,
                       cadre_diags *diags);

/* The value a cadre sheet's column must have for a count of field `f`
 * to be a formula over it ("{cadre.education}"). */
const char *count_field_column(int f);

/* What a count condition tests of one cadre, found once per cadre for
 * all the conditions of a sheet. */
typedef struct count_facts {
    int v[COUNT_AGE];           /* code and true/false fields, by field */
    int age;                    /* on the day of the roster */
} count_facts;

/* The facts of cadre `c`, of age `age`, minority or not (as
 * cadre_cadre_is_minority() says: given, as the caller may know it
 * already). */
void count_facts_of(const cadre_cadre *c, int age, bool minority,
                    count_facts *out);

/* True when a cadre with facts `f` satisfies the condition. */
bool count_cond_test(const count_cond *k, const count_facts *f);

/* The data rows of one part of a cadre sheet, for formulas. */
typedef struct part_rows {
    const char *sheet;          /* the part's tab name */
    uint32_t first, last;       /* its data rows, 0-based inclusive; last <
                                   first: none */
} part_rows;

/* Append to `b` the COUNTIFS terms (joined with '+') counting the rows of
 * `parts` whose unit column `unit_col` matches the criterion `unit_crit`
 * (a formula operand: a quoted text or a cell reference) and that satisfy
 * `k`, tested in columns `cols` (per field); "0" when nothing can match. */
void count_formula(textbuf *b, const part_rows *parts, size_t n_parts,
                   int unit_col, const char *unit_crit, const count_cond *k,
                   const int *cols);

/* Append a formula operand matching exactly the text `s`: a quoted
 * criterion, '=' first (so "<5" is no operator), the wildcards * ? ~
 * escaped with '~', quotes doubled. */
void formula_text_crit(textbuf *b, const char *s);

/* Append a sheet name quoted for a formula ('Danh sách'!). */
void formula_sheet_ref(textbuf *b, const char *sheet);

/* The A1 name of a column (0 -> "A"). */
void formula_col_name(int col, char *buf, size_t size);

#endif
