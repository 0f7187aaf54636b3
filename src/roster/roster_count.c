/*
 * roster_count.c - the counts of statistics sheets (roster_count.h).
 *
 * A count condition is an expression of the shared language, compiled by
 * expr like every other; what COUNTIFS can say of it is read from the
 * compiled nodes (cadre_expr_conjunction()): "and" of tests of one cadre
 * field each, against codes, true/false fields and age bands.  Anything
 * else is refused with the template's file and line rather than counted
 * one way in C and another way in the spreadsheet.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadre/codes.h"
#include "cadre/i18n.h"
#include "expr/expr_cond.h"
#include "roster_count.h"

/* A field a count may test. */
struct count_field_def {
    int expr_field;     /* its F_* in the compiled expression */
    int kind;           /* code list, or -1 for true/false and numbers */
    const char *column; /* the cadre sheet's cell showing it */
};

static const struct count_field_def count_fields[COUNT_FIELDS] = {
    [COUNT_GENDER] = { F_CADRE_GENDER, CADRE_CODE_GENDER, "{cadre.gender}" },
    [COUNT_CATEGORY] = { F_CADRE_CATEGORY, CADRE_CODE_CATEGORY,
                         "{cadre.category}" },
    [COUNT_EDUCATION] = { F_CADRE_EDUCATION, CADRE_CODE_EDUCATION,
                          "{cadre.education}" },
    [COUNT_POLITICAL_THEORY] = { F_CADRE_POLITICAL_THEORY,
                                 CADRE_CODE_POLITICAL_THEORY,
                                 "{cadre.political-theory}" },
    [COUNT_STATE_MANAGEMENT] = { F_CADRE_STATE_MANAGEMENT,
                                 CADRE_CODE_STATE_MANAGEMENT,
                                 "{cadre.state-management}" },
    [COUNT_PARTY_MEMBER] = { F_CADRE_PARTY_MEMBER, -1,
                             "{cadre.party-member}" },
    [COUNT_LEADER] = { F_CADRE_LEADER, -1, "{cadre.leader}" },
    /* minority is "ethnicity given and not Kinh": tested on the
     * ethnicity cells, as cadre_cadre_is_minority() does */
    [COUNT_MINORITY] = { F_CADRE_MINORITY, -1, "{cadre.ethnicity}" },
    [COUNT_AGE] = { F_CADRE_AGE, -1, "{cadre.age}" },
};

const char *count_field_column(int f)
{
    return count_fields[f].column;
}

#define MAX_TESTS 16 /* tests in one condition: more make no sense */

static int count_field_of(int expr_field)
{
    for (int i = 0; i < COUNT_FIELDS; i++)
        if (count_fields[i].expr_field == expr_field)
            return i;
    return -1;
}

/* Narrow the accepted ages of `k` by "age op v": the cells are whole
 * numbers, so "age < 30.5" is "age <= 30". */
static bool narrow_age(count_cond *k, int op, double v)
{
    if (op == OP_NE || v < -1e6 || v > 1e6)
        return false;
    int lo = 0, hi = INT_MAX;
    switch (op) {
    case OP_EQ:
        lo = (int)ceil(v); /* none when v is not whole */
        hi = (int)floor(v);
        break;
    case OP_LT: hi = (int)ceil(v) - 1; break;
    case OP_LE: hi = (int)floor(v); break;
    case OP_GT: lo = (int)floor(v) + 1; break;
    default: lo = (int)ceil(v); break;
    }
    if (lo > k->age_lo)
        k->age_lo = lo;
    if (hi < k->age_hi)
        k->age_hi = hi;
    return true;
}

int count_cond_compile(const cadre_expr *e, const char *src,
                       const cadre_tnode *n, count_cond *out,
                       cadre_diags *diags)
{
    cadre_field_test t[MAX_TESTS];
    size_t nt;
    const char *why = NULL;
    memset(out, 0, sizeof *out);
    out->age_hi = INT_MAX;
    switch (cadre_expr_conjunction(e, X_CADRE, t, MAX_TESTS, &nt)) {
    case CADRE_CONJ_OK:
        break;
    case CADRE_CONJ_OR:
        why = CADRE_N_("only 'and' joins tests (make two columns for 'or')");
        break;
    case CADRE_CONJ_MANY: why = CADRE_N_("too many tests"); break;
    default:
        why = CADRE_N_("only gender, category, education, political-theory, "
                       "state-management, party-member, leader, minority "
                       "and age can be tested, each against values");
        break;
    }
    for (size_t i = 0; !why && i < nt; i++) {
        int f = count_field_of(t[i].field);
        if (f < 0) {
            why = CADRE_N_("only gender, category, education, "
                           "political-theory, state-management, "
                           "party-member, leader, minority and age can "
                           "be tested");
            break;
        }
        if (!(out->tested & 1u << f))
            out->mask[f] = ~0u; /* a field tested twice takes both */
        out->tested |= 1u << f;
        if (t[i].kind == CADRE_FTEST_CODES)
            out->mask[f] &= t[i].codes;
        else if (t[i].kind == CADRE_FTEST_TRUTH)
            out->mask[f] &= t[i].truth ? 2u : 1u;
        else if (f != COUNT_AGE || !narrow_age(out, t[i].op, t[i].number))
            why = CADRE_N_("age is tested with =, <, <=, >, >= and a number");
    }
    if (why) {
        cadre_tnode_error(n, diags,
                          "count '%s' cannot be a COUNTIFS "
                          "formula: %s",
                          src, cadre_gettext(why));
        return -1;
    }
    return 0;
}

void count_facts_of(const cadre_cadre *c, int age, bool minority,
                    count_facts *out)
{
    out->v[COUNT_GENDER] = c->gender;
    out->v[COUNT_CATEGORY] = c->category;
    out->v[COUNT_EDUCATION] = c->education;
    out->v[COUNT_POLITICAL_THEORY] = c->political_theory;
    out->v[COUNT_STATE_MANAGEMENT] = c->state_management;
    out->v[COUNT_PARTY_MEMBER] = c->party_member;
    out->v[COUNT_LEADER] = c->leader;
    out->v[COUNT_MINORITY] = minority;
    out->age = age;
}

bool count_cond_test(const count_cond *k, const count_facts *f)
{
    if (!k->tested)
        return true;
    /* a condition tests one or two fields: visit only those */
    for (uint32_t t = k->tested & ((1u << COUNT_AGE) - 1); t; t &= t - 1) {
        int i = __builtin_ctz(t);
        if (!(k->mask[i] & (1u << f->v[i])))
            return false;
    }
    if (k->tested & (1u << COUNT_AGE))
        return f->age >= k->age_lo && f->age <= k->age_hi;
    return true;
}

/* ------------------------------------------------------------------ */
/* Formulas.                                                           */

void formula_col_name(int col, char *buf, size_t size)
{
    char tmp[8];
    int k = 0;
    for (col++; col > 0 && k < 7; col = (col - 1) / 26)
        tmp[k++] = (char)('A' + (col - 1) % 26);
    size_t i = 0;
    while (k > 0 && i + 1 < size)
        buf[i++] = tmp[--k];
    buf[i] = '\0';
}

void formula_sheet_ref(textbuf *b, const char *sheet)
{
    textbuf_puts(b, "'");
    for (const char *p = sheet; *p; p++) {
        if (*p == '\'')
            textbuf_puts(b, "''"); /* a quote inside is doubled */
        else
            textbuf_add(b, p, 1);
    }
    textbuf_puts(b, "'!");
}

/* Absolute reference to rows first..last of column col on a part. */
static void range(textbuf *b, const part_rows *part, int col)
{
    char c[8], num[24];
    formula_col_name(col, c, sizeof c);
    formula_sheet_ref(b, part->sheet);
    snprintf(num, sizeof num, "$%s$%u:$%s$%u", c, part->first + 1, c,
             part->last + 1);
    textbuf_puts(b, num);
}

void formula_text_crit(textbuf *b, const char *s)
{
    textbuf_puts(b, "\"=");
    for (const char *p = s; *p; p++) {
        if (*p == '*' || *p == '?' || *p == '~')
            textbuf_puts(b, "~");
        textbuf_add(b, p, 1);
        if (*p == '"')
            textbuf_puts(b, "\"");
    }
    textbuf_puts(b, "\"");
}

/* One alternative of the conjunction: (column, criterion) pairs. */
#define MAX_PAIRS 12
typedef struct alt {
    int col[MAX_PAIRS];
    char crit[MAX_PAIRS][64];
    bool text[MAX_PAIRS]; /* criterion is a value to match exactly */
    int n;
} alt;

static void push(alt *a, int col, const char *crit, bool text)
{
    if (a->n >= MAX_PAIRS)
        return;
    a->col[a->n] = col;
    snprintf(a->crit[a->n], sizeof a->crit[0], "%s", crit);
    a->text[a->n] = text;
    a->n++;
}

static void emit(textbuf *b, const part_rows *parts, size_t n_parts,
                 int unit_col, const char *unit_crit, const alt *a,
                 bool *first)
{
    for (size_t p = 0; p < n_parts; p++) {
        if (parts[p].last < parts[p].first)
            continue;
        if (!*first)
            textbuf_puts(b, "+");
        *first = false;
        textbuf_puts(b, "COUNTIFS(");
        range(b, &parts[p], unit_col);
        textbuf_puts(b, ",");
        textbuf_puts(b, unit_crit);
        for (int i = 0; i < a->n; i++) {
            textbuf_puts(b, ",");
            range(b, &parts[p], a->col[i]);
            textbuf_puts(b, ",");
            if (a->text[i])
                formula_text_crit(b, a->crit[i]);
            else {
                textbuf_puts(b, "\"");
                textbuf_puts(b, a->crit[i]);
                textbuf_puts(b, "\"");
            }
        }
        textbuf_puts(b, ")");
    }
}

/* Expand field f (and the ones after it) into alternatives: a code field
 * accepting several codes needs one COUNTIFS per code, summed. */
static void expand(textbuf *b, const part_rows *parts, size_t n_parts,
                   int unit_col, const char *unit_crit, const count_cond *k,
                   const int *cols, int f, alt *a, bool *first)
{
    while (f < COUNT_FIELDS && !(k->tested & (1u << f)))
        f++;
    if (f == COUNT_FIELDS) {
        emit(b, parts, n_parts, unit_col, unit_crit, a, first);
        return;
    }
    alt save = *a;
    const struct count_field_def *d = &count_fields[f];
    if (f == COUNT_AGE ? k->age_lo > k->age_hi : k->mask[f] == 0)
        return; /* no value passes: nothing to count */
    if (f == COUNT_AGE) {
        char t[32];
        if (k->age_lo > 0) {
            snprintf(t, sizeof t, ">=%d", k->age_lo);
            push(a, cols[f], t, false);
        }
        if (k->age_hi < INT_MAX) {
            snprintf(t, sizeof t, "<=%d", k->age_hi);
            push(a, cols[f], t, false);
        }
        if (k->age_lo <= 0 && k->age_hi == INT_MAX)
            push(a, cols[f], "<>", false);
        expand(b, parts, n_parts, unit_col, unit_crit, k, cols, f + 1, a,
               first);
    } else if (f == COUNT_MINORITY) {
        if (k->mask[f] & 2u) { /* given and not Kinh */
            push(a, cols[f], "<>", false);
            push(a, cols[f], "<>Kinh", false);
            expand(b, parts, n_parts, unit_col, unit_crit, k, cols, f + 1, a,
                   first);
            *a = save;
        }
        if (k->mask[f] & 1u) { /* not given, or Kinh */
            push(a, cols[f], "=", false);
            expand(b, parts, n_parts, unit_col, unit_crit, k, cols, f + 1, a,
                   first);
            *a = save;
            push(a, cols[f], "Kinh", true);
            expand(b, parts, n_parts, unit_col, unit_crit, k, cols, f + 1, a,
                   first);
        }
    } else if (d->kind < 0) { /* true/false cells read "Có" or "Không" */
        cadre_value v = { .type = CADRE_V_BOOL };
        v.u.b = (k->mask[f] & 2u) != 0;
        char t[32];
        cadre_value_format(&v, t, sizeof t);
        push(a, cols[f], t, true);
        expand(b, parts, n_parts, unit_col, unit_crit, k, cols, f + 1, a,
               first);
    } else {
        for (int code = 0; code < cadre_code_count(d->kind); code++) {
            if (!(k->mask[f] & (1u << code)))
                continue;
            *a = save;
            push(a, cols[f], cadre_code_label(d->kind, code), true);
            expand(b, parts, n_parts, unit_col, unit_crit, k, cols, f + 1, a,
                   first);
        }
    }
    *a = save;
}

void count_formula(textbuf *b, const part_rows *parts, size_t n_parts,
                   int unit_col, const char *unit_crit, const count_cond *k,
                   const int *cols)
{
    alt a = { .n = 0 };
    bool first = true;
    expand(b, parts, n_parts, unit_col, unit_crit, k, cols, 0, &a, &first);
    if (first) /* nothing to count: no part has rows, or no code accepted */
        textbuf_puts(b, "0");
}
