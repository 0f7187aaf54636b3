/*
 * roster_stats.c - the counts of statistics sheets: conditions that a
 * COUNTIFS formula over a cadre sheet can test, the formulas themselves,
 * and the same test in C, so that each formula is stored with the value
 * a spreadsheet would compute.
 *
 * A count condition is written in the expression language (it is also
 * compiled by expr.c, so it means there what it means here), restricted
 * to what COUNTIFS can say: "and" of tests of one cadre field each,
 * against codes (=, !=, <, <=, >, >=, in), true/false fields and age
 * bands.  Anything else is refused with the template's file and line
 * rather than counted one way in C and another way in the spreadsheet.
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadre/codes.h"
#include "cadre/text.h"
#include "util/grow.h"
#include "roster_internal.h"

struct fdef {
    const char *name;   /* as the expression language spells it */
    int kind;           /* code list, or -1 for true/false and numbers */
    const char *column; /* the cadre sheet's cell showing it */
};

static const struct fdef fdefs[RS_F_COUNT] = {
    [RS_F_GENDER] = { "gender", CADRE_CODE_GENDER, "{cadre.gender}" },
    [RS_F_CATEGORY] = { "category", CADRE_CODE_CATEGORY, "{cadre.category}" },
    [RS_F_EDUCATION] = { "education", CADRE_CODE_EDUCATION,
                         "{cadre.education}" },
    [RS_F_POLITICAL_THEORY] = { "political-theory",
                                CADRE_CODE_POLITICAL_THEORY,
                                "{cadre.political-theory}" },
    [RS_F_STATE_MANAGEMENT] = { "state-management",
                                CADRE_CODE_STATE_MANAGEMENT,
                                "{cadre.state-management}" },
    [RS_F_PARTY_MEMBER] = { "party-member", -1, "{cadre.party-member}" },
    [RS_F_LEADER] = { "leader", -1, "{cadre.leader}" },
    /* minority is "ethnicity given and not Kinh": tested on the
     * ethnicity cells, as cadre_cadre_is_minority() does */
    [RS_F_MINORITY] = { "minority", -1, "{cadre.ethnicity}" },
    [RS_F_AGE] = { "age", -1, "{cadre.age}" },
};

const char *rs_field_column(int f)
{
    return fdefs[f].column;
}

/* The column's value with white space and an optional "cadre." removed
 * compared with "{cadre.X}". */
static bool value_is(const char *src, const char *want)
{
    if (!src)
        return false;
    char a[96], b[96];
    size_t k = 0;
    for (const char *p = src; *p && k + 1 < sizeof a; p++)
        if (!isspace((unsigned char)*p))
            a[k++] = *p;
    a[k] = '\0';
    k = 0;
    for (const char *p = want; *p && k + 1 < sizeof b; p++)
        b[k++] = *p;
    b[k] = '\0';
    return strcmp(a, b) == 0;
}

bool rs_column_shows(const rs_column *c, int f)
{
    return c->single && value_is(c->value_src, fdefs[f].column);
}

bool rs_column_shows_unit(const rs_column *c)
{
    return c->single && (value_is(c->value_src, "{unit.name}") ||
                         value_is(c->value_src, "{cadre.unit.name}"));
}

/* ------------------------------------------------------------------ */
/* The condition parser: a small recursive-descent reader of the subset. */

typedef struct cparse {
    const char *s;        /* the whole condition */
    const char *p;        /* where we are */
    const cadre_tnode *n; /* for messages */
    cadre_diags *diags;
    bool failed;
} cparse;

static void cfail(cparse *c, const char *why)
{
    if (!c->failed)
        cadre_tnode_error(c->n, c->diags, "count '%s' cannot be a COUNTIFS "
                          "formula: %s", c->s, why);
    c->failed = true;
}

static void skip_ws(cparse *c)
{
    while (isspace((unsigned char)*c->p))
        c->p++;
}

/* A word: letters, digits, '-', '.'; copied into buf. */
static bool word(cparse *c, char *buf, size_t size)
{
    skip_ws(c);
    size_t k = 0;
    while (isalnum((unsigned char)*c->p) || *c->p == '-' || *c->p == '.' ||
           *c->p == '_') {
        if (k + 1 < size)
            buf[k++] = *c->p;
        c->p++;
    }
    buf[k] = '\0';
    return k > 0;
}

static bool accept(cparse *c, const char *tok)
{
    skip_ws(c);
    size_t n = strlen(tok);
    if (strncmp(c->p, tok, n) != 0)
        return false;
    /* a keyword must end where a word does */
    if (isalpha((unsigned char)tok[0]) &&
        (isalnum((unsigned char)c->p[n]) || c->p[n] == '-'))
        return false;
    c->p += n;
    return true;
}

enum { C_EQ, C_NE, C_LT, C_LE, C_GT, C_GE, C_IN, C_NOT_IN, C_BARE };

static int read_op(cparse *c)
{
    static const struct { const char *t; int op; } ops[] = {
        { "!=", C_NE }, { "<=", C_LE }, { ">=", C_GE }, { "=", C_EQ },
        { "<", C_LT }, { ">", C_GT },
    };
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (accept(c, ops[i].t))
            return ops[i].op;
    const char *save = c->p;
    if (accept(c, "in"))
        return C_IN;
    if (accept(c, "not") && accept(c, "in"))
        return C_NOT_IN;
    c->p = save;
    return C_BARE;
}

/* The codes of `kind` that `op value` accepts, as a mask.  Higher levels
 * have smaller indices, so ">= cao-dang" is every index up to cao-dang's. */
static uint32_t code_mask(int kind, int op, int v)
{
    uint32_t m = 0;
    for (int i = 0; i < cadre_code_count(kind); i++) {
        bool ok;
        switch (op) {
        case C_EQ: ok = i == v; break;
        case C_NE: ok = i != v; break;
        case C_GT: ok = i < v; break;
        case C_GE: ok = i <= v; break;
        case C_LT: ok = i > v; break;
        default: ok = i >= v; break;
        }
        if (ok)
            m |= 1u << i;
    }
    return m;
}

static bool read_number(cparse *c, int *out)
{
    skip_ws(c);
    if (!isdigit((unsigned char)*c->p))
        return false;
    long v = 0;
    while (isdigit((unsigned char)*c->p) && v < 1000)
        v = v * 10 + (*c->p++ - '0');
    *out = (int)v;
    return !isdigit((unsigned char)*c->p);
}

static void term(cparse *c, rs_cond *k)
{
    bool neg = accept(c, "not");
    char name[64];
    if (!word(c, name, sizeof name)) {
        cfail(c, "expected a cadre field");
        return;
    }
    const char *f = strncmp(name, "cadre.", 6) == 0 ? name + 6 : name;
    int fi = -1;
    for (int i = 0; i < RS_F_COUNT; i++)
        if (strcmp(f, fdefs[i].name) == 0)
            fi = i;
    if (fi < 0) {
        cfail(c, "only gender, category, education, political-theory, "
                 "state-management, party-member, leader, minority and age "
                 "can be tested");
        return;
    }
    int op = read_op(c);
    uint32_t bit = 1u << fi;
    const struct fdef *d = &fdefs[fi];
    if (k->tested & bit && fi != RS_F_AGE) {
        cfail(c, "a field is tested twice");
        return;
    }
    k->tested |= bit;
    if (fi == RS_F_AGE) {
        int v;
        if (neg || op == C_BARE || op == C_IN || op == C_NOT_IN ||
            op == C_NE || !read_number(c, &v)) {
            cfail(c, "age is tested with =, <, <=, >, >= and a whole number");
            return;
        }
        int lo = 0, hi = INT_MAX;
        switch (op) {
        case C_EQ: lo = hi = v; break;
        case C_LT: hi = v - 1; break;
        case C_LE: hi = v; break;
        case C_GT: lo = v + 1; break;
        default: lo = v; break;
        }
        if (lo > k->age_lo)
            k->age_lo = lo;
        if (hi < k->age_hi)
            k->age_hi = hi;
        return;
    }
    if (d->kind < 0) { /* a true/false field */
        bool want = true;
        if (op == C_EQ || op == C_NE) {
            char v[16];
            word(c, v, sizeof v);
            if (strcmp(v, "true") != 0 && strcmp(v, "false") != 0) {
                cfail(c, "a true/false field is compared with true or false");
                return;
            }
            want = (strcmp(v, "true") == 0) == (op == C_EQ);
        } else if (op != C_BARE) {
            cfail(c, "a true/false field is tested alone or with = and !=");
            return;
        }
        if (neg)
            want = !want;
        k->mask[fi] = want ? 2u : 1u;
        return;
    }
    uint32_t m = 0;
    if (op == C_IN || op == C_NOT_IN) {
        if (!accept(c, "(")) {
            cfail(c, "expected '(' after in");
            return;
        }
        do {
            char v[64];
            word(c, v, sizeof v);
            int code = cadre_code_parse(d->kind, v);
            if (code < 0) {
                cfail(c, "not a code of its list");
                return;
            }
            m |= 1u << code;
        } while (accept(c, ","));
        if (!accept(c, ")")) {
            cfail(c, "expected ')'");
            return;
        }
        if (op == C_NOT_IN)
            m = code_mask(d->kind, C_GE, cadre_code_count(d->kind) - 1) & ~m;
    } else if (op == C_BARE) {
        cfail(c, "a code field needs a comparison");
        return;
    } else {
        char v[64];
        word(c, v, sizeof v);
        int code = cadre_code_parse(d->kind, v);
        if (code < 0) {
            cfail(c, "not a code of its list");
            return;
        }
        m = code_mask(d->kind, op, code);
    }
    if (neg)
        m = code_mask(d->kind, C_GE, cadre_code_count(d->kind) - 1) & ~m;
    k->mask[fi] = m;
}

int rs_cond_parse(const char *src, const cadre_tnode *n, rs_cond *out,
                  cadre_diags *diags)
{
    cparse c = { .s = src, .p = src, .n = n, .diags = diags };
    memset(out, 0, sizeof *out);
    out->age_lo = 0;
    out->age_hi = INT_MAX;
    skip_ws(&c);
    /* "true" (or an empty condition) counts every cadre */
    if (*c.p == '\0' || accept(&c, "true")) {
        skip_ws(&c);
        if (*c.p == '\0')
            return 0;
        cfail(&c, "'true' stands alone");
        return -1;
    }
    do
        term(&c, out);
    while (!c.failed && accept(&c, "and"));
    skip_ws(&c);
    if (!c.failed && *c.p)
        cfail(&c, *c.p == 'o' ? "only 'and' joins tests (make two columns "
                                "for 'or')"
                              : "unexpected text");
    return c.failed ? -1 : 0;
}

void rs_facts_of(const cadre_cadre *c, int age, bool minority,
                 rs_facts *out)
{
    out->v[RS_F_GENDER] = c->gender;
    out->v[RS_F_CATEGORY] = c->category;
    out->v[RS_F_EDUCATION] = c->education;
    out->v[RS_F_POLITICAL_THEORY] = c->political_theory;
    out->v[RS_F_STATE_MANAGEMENT] = c->state_management;
    out->v[RS_F_PARTY_MEMBER] = c->party_member;
    out->v[RS_F_LEADER] = c->leader;
    out->v[RS_F_MINORITY] = minority;
    out->age = age;
}

bool rs_cond_test(const rs_cond *k, const rs_facts *f)
{
    if (!k->tested)
        return true;
    /* a condition tests one or two fields: visit only those */
    for (uint32_t t = k->tested & ((1u << RS_F_AGE) - 1); t; t &= t - 1) {
        int i = __builtin_ctz(t);
        if (!(k->mask[i] & (1u << f->v[i])))
            return false;
    }
    if (k->tested & (1u << RS_F_AGE))
        return f->age >= k->age_lo && f->age <= k->age_hi;
    return true;
}

/* ------------------------------------------------------------------ */
/* Formulas.                                                           */

void rs_buf_add(rs_buf *b, const char *s, size_t len)
{
    if (b->oom)
        return;
    if (!GROW(b->s, b->cap, b->len + len + 1)) {
        b->oom = true;
        return;
    }
    memcpy(b->s + b->len, s, len);
    b->len += len;
    b->s[b->len] = '\0';
}

void rs_buf_adds(rs_buf *b, const char *s)
{
    rs_buf_add(b, s, strlen(s));
}

void rs_buf_release(rs_buf *b)
{
    free(b->s);
    memset(b, 0, sizeof *b);
}

void rs_col_name(int col, char *buf, size_t size)
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

void rs_sheet_ref(rs_buf *b, const char *sheet)
{
    rs_buf_adds(b, "'");
    for (const char *p = sheet; *p; p++) {
        if (*p == '\'')
            rs_buf_adds(b, "''"); /* a quote inside is doubled */
        else
            rs_buf_add(b, p, 1);
    }
    rs_buf_adds(b, "'!");
}

/* Absolute reference to rows first..last of column col on a part. */
static void range(rs_buf *b, const rs_part_ref *part, int col)
{
    char c[8], num[24];
    rs_col_name(col, c, sizeof c);
    rs_sheet_ref(b, part->sheet);
    snprintf(num, sizeof num, "$%s$%u:$%s$%u", c, part->first + 1, c,
             part->last + 1);
    rs_buf_adds(b, num);
}

/* A text criterion that matches exactly `s`: '=' first (so "<5" is not an
 * operator) and the wildcards * ? ~ escaped with '~'. */
static void text_crit(rs_buf *b, const char *s)
{
    rs_buf_adds(b, "\"=");
    for (const char *p = s; *p; p++) {
        if (*p == '*' || *p == '?' || *p == '~')
            rs_buf_adds(b, "~");
        rs_buf_add(b, p, 1);
        if (*p == '"')
            rs_buf_adds(b, "\"");
    }
    rs_buf_adds(b, "\"");
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

static void emit(rs_buf *b, const rs_part_ref *parts, size_t n_parts,
                 int unit_col, const char *unit_crit, const alt *a,
                 bool *first)
{
    for (size_t p = 0; p < n_parts; p++) {
        if (parts[p].last < parts[p].first)
            continue;
        if (!*first)
            rs_buf_adds(b, "+");
        *first = false;
        rs_buf_adds(b, "COUNTIFS(");
        range(b, &parts[p], unit_col);
        rs_buf_adds(b, ",");
        rs_buf_adds(b, unit_crit);
        for (int i = 0; i < a->n; i++) {
            rs_buf_adds(b, ",");
            range(b, &parts[p], a->col[i]);
            rs_buf_adds(b, ",");
            if (a->text[i])
                text_crit(b, a->crit[i]);
            else {
                rs_buf_adds(b, "\"");
                rs_buf_adds(b, a->crit[i]);
                rs_buf_adds(b, "\"");
            }
        }
        rs_buf_adds(b, ")");
    }
}

/* Expand field f (and the ones after it) into alternatives: a code field
 * accepting several codes needs one COUNTIFS per code, summed. */
static void expand(rs_buf *b, const rs_part_ref *parts, size_t n_parts,
                   int unit_col, const char *unit_crit, const rs_cond *k,
                   const int *cols, int f, alt *a, bool *first)
{
    while (f < RS_F_COUNT && !(k->tested & (1u << f)))
        f++;
    if (f == RS_F_COUNT) {
        emit(b, parts, n_parts, unit_col, unit_crit, a, first);
        return;
    }
    alt save = *a;
    const struct fdef *d = &fdefs[f];
    if (f == RS_F_AGE) {
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
    } else if (f == RS_F_MINORITY) {
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

void rs_countifs(rs_buf *b, const rs_part_ref *parts, size_t n_parts,
                 int unit_col, const char *unit_crit, const rs_cond *k,
                 const int *cols)
{
    alt a = { .n = 0 };
    bool first = true;
    expand(b, parts, n_parts, unit_col, unit_crit, k, cols, 0, &a, &first);
    if (first) /* nothing to count: no part has rows, or no code accepted */
        rs_buf_adds(b, "0");
}
