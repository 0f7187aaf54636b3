/*
 * expr.c - the expression language: lexer, parser, type checker and
 * evaluator.
 *
 * Compiling goes source -> tokens -> syntax tree (struct anode, thrown away
 * afterwards) -> checked tree (cadre_enode, kept).  Names, code words and
 * types are settled by the checker, so evaluation never meets an error and
 * never allocates (except people(), which needs a set of cadres).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadre/expr.h"
#include "cadre/text.h"
#include "expr_internal.h"

#define MAX_DEPTH 200  /* deepest syntax tree accepted */
#define QUOTE_MAX 160  /* longest subject quoted in a message, in bytes */

/* ------------------------------------------------------------------ */
/* Tables: records' fields, navigations, globals, functions.           */

struct field {
    uint8_t obj;   /* X_CADRE .. X_PARTICIPANT */
    uint8_t id;    /* F_* */
    uint8_t type;  /* result xtype */
    uint8_t kind;  /* code kind when type is X_CODE */
    uint8_t flags; /* NF_* */
    const char *name;
};

static const struct field fields[] = {
    { X_CADRE, F_CADRE_ID, X_STRING, 0, 0, "id" },
    { X_CADRE, F_CADRE_FULL_NAME, X_STRING, 0, 0, "full-name" },
    { X_CADRE, F_CADRE_GIVEN_NAME, X_STRING, 0, 0, "given-name" },
    { X_CADRE, F_CADRE_GENDER, X_CODE, CADRE_CODE_GENDER, 0, "gender" },
    { X_CADRE, F_CADRE_BIRTH_DATE, X_DATE, 0, 0, "birth-date" },
    { X_CADRE, F_CADRE_BIRTH_YEAR, X_NUMBER, 0, NF_YEAR, "birth-year" },
    { X_CADRE, F_CADRE_AGE, X_NUMBER, 0, 0, "age" },
    { X_CADRE, F_CADRE_ETHNICITY, X_STRING, 0, 0, "ethnicity" },
    { X_CADRE, F_CADRE_MINORITY, X_BOOL, 0, 0, "minority" },
    { X_CADRE, F_CADRE_POSITION, X_STRING, 0, 0, "position" },
    { X_CADRE, F_CADRE_CATEGORY, X_CODE, CADRE_CODE_CATEGORY, 0, "category" },
    { X_CADRE, F_CADRE_EDUCATION, X_CODE, CADRE_CODE_EDUCATION, 0,
      "education" },
    { X_CADRE, F_CADRE_POLITICAL_THEORY, X_CODE, CADRE_CODE_POLITICAL_THEORY,
      0, "political-theory" },
    { X_CADRE, F_CADRE_STATE_MANAGEMENT, X_CODE, CADRE_CODE_STATE_MANAGEMENT,
      0, "state-management" },
    { X_CADRE, F_CADRE_PARTY_MEMBER, X_BOOL, 0, 0, "party-member" },
    { X_CADRE, F_CADRE_PARTY_SINCE, X_DATE, 0, 0, "party-since" },
    { X_CADRE, F_CADRE_LEADER, X_BOOL, 0, 0, "leader" },
    { X_UNIT, F_UNIT_ID, X_STRING, 0, 0, "id" },
    { X_UNIT, F_UNIT_NAME, X_STRING, 0, 0, "name" },
    { X_UNIT, F_UNIT_LEVEL, X_CODE, CADRE_CODE_LEVEL, 0, "level" },
    { X_COURSE, F_COURSE_ID, X_STRING, 0, 0, "id" },
    { X_COURSE, F_COURSE_TYPE, X_CODE, CADRE_CODE_COURSE_TYPE, 0, "type" },
    { X_COURSE, F_COURSE_MODE, X_CODE, CADRE_CODE_MODE, 0, "mode" },
    { X_COURSE, F_COURSE_START, X_DATE, 0, 0, "start" },
    { X_COURSE, F_COURSE_END, X_DATE, 0, 0, "end" },
    { X_COURSE, F_COURSE_TITLE, X_STRING, 0, 0, "title" },
    { X_COURSE, F_COURSE_ORGANIZER, X_STRING, 0, 0, "organizer" },
    { X_COURSE, F_COURSE_LOCATION, X_STRING, 0, 0, "location" },
    { X_COURSE, F_COURSE_SIGNER, X_STRING, 0, 0, "signer" },
    { X_COURSE, F_COURSE_SIGNER_TITLE, X_STRING, 0, 0, "signer-title" },
    { X_COURSE, F_COURSE_GOVERNING_BODY, X_STRING, 0, 0, "governing-body" },
    { X_COURSE, F_COURSE_PARTICIPANTS, X_NUMBER, 0, 0, "participants" },
    { X_COURSE, F_COURSE_COMPLETED, X_NUMBER, 0, 0, "completed" },
    { X_PARTICIPANT, F_PART_STATUS, X_CODE, CADRE_CODE_STATUS, 0, "status" },
    { X_PARTICIPANT, F_PART_GRADE, X_CODE, CADRE_CODE_GRADE, 0, "grade" },
    { X_PARTICIPANT, F_PART_SCORE, X_NUMBER, 0, 0, "score" },
    { X_PARTICIPANT, F_PART_CERTIFICATE_NO, X_STRING, 0, 0,
      "certificate-no" },
    { X_PARTICIPANT, F_PART_ISSUED, X_DATE, 0, 0, "issued" },
};

struct nav {
    uint8_t from; /* record type navigated from */
    uint8_t id;   /* NAV_* */
    uint8_t to;   /* record type reached */
    const char *name;
};

static const struct nav navs[] = {
    { X_CADRE, NAV_CADRE_UNIT, X_UNIT, "unit" },
    { X_UNIT, NAV_UNIT_PARENT, X_UNIT, "parent" },
    { X_PARTICIPANT, NAV_PART_CADRE, X_CADRE, "cadre" },
    { X_PARTICIPANT, NAV_PART_COURSE, X_COURSE, "course" },
};

static const char *const root_names[] = {
    [X_CADRE] = "cadre", [X_UNIT] = "unit", [X_COURSE] = "course",
    [X_PARTICIPANT] = "participant",
};

struct global {
    uint8_t id, type, flags;
    const char *name;
};

static const struct global globals[] = {
    { G_AS_OF, X_DATE, 0, "as-of" },
    { G_AS_OF, X_DATE, 0, "today" },
    { G_ISSUER, X_STRING, 0, "issuer" },
    { G_PLACE, X_STRING, 0, "place" },
    { G_SIGNER, X_STRING, 0, "signer" },
    { G_SIGNER_TITLE, X_STRING, 0, "signer-title" },
    { G_YEAR, X_NUMBER, NF_YEAR, "year" },
};

struct func {
    uint8_t id;       /* FN_* */
    uint8_t nargs;    /* arguments expected */
    uint8_t args[3];  /* their xtypes (X_ANY: any value) */
    uint8_t type;     /* result */
    uint8_t flags;    /* NF_* of the result */
    const char *name;
};

static const struct func funcs[] = {
    { FN_RUNS_IN, 2, { X_COURSE, X_NUMBER, 0 }, X_BOOL, 0, "runs-in" },
    { FN_ENDS_IN, 2, { X_COURSE, X_NUMBER, 0 }, X_BOOL, 0, "ends-in" },
    { FN_STARTS_IN, 2, { X_COURSE, X_NUMBER, 0 }, X_BOOL, 0, "starts-in" },
    { FN_YEAR, 1, { X_DATE, 0, 0 }, X_NUMBER, NF_YEAR, "year" },
    { FN_AGE, 1, { X_DATE, 0, 0 }, X_NUMBER, 0, "age" },
    { FN_IF, 3, { X_BOOL, X_ANY, X_ANY }, X_ANY, 0, "if" },
    { FN_PERCENT, 2, { X_NUMBER, X_NUMBER, 0 }, X_NUMBER, 0, "percent" },
    { FN_HAS, 1, { X_ANY, 0, 0 }, X_BOOL, 0, "has" },
};

const char *const expr_agg_names[] = {
    [AGG_COUNT] = "count", [AGG_PEOPLE] = "people", [AGG_SUM] = "sum",
    [AGG_AVG] = "avg", [AGG_MIN] = "min", [AGG_MAX] = "max",
};

const char *const expr_coll_names[] = {
    [COLL_CADRES] = "cadres", [COLL_PARTICIPANTS] = "participants",
    [COLL_COURSES] = "courses", [COLL_UNITS] = "units",
};

static const char *const op_names[] = {
    [OP_EQ] = "=", [OP_NE] = "!=", [OP_LT] = "<", [OP_LE] = "<=",
    [OP_GT] = ">", [OP_GE] = ">=",
};

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

static bool is_digit(unsigned char ch) { return ch >= '0' && ch <= '9'; }

static bool is_name_start(unsigned char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           ch == '_' || ch >= 0x80;
}

static bool is_name_char(unsigned char ch)
{
    return is_name_start(ch) || is_digit(ch) || ch == '-';
}

/* A decimal in the '.' form, independent of the locale (strtod is not). */
static double parse_decimal(const char *s, size_t len)
{
    double mant = 0, scale = 1;
    bool frac = false;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '.') {
            frac = true;
            continue;
        }
        mant = mant * 10 + (s[i] - '0');
        if (frac)
            scale *= 10;
    }
    return mant / scale;
}

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
    size_t len;
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
    int nest;           /* expr_parse_or() calls open: nesting depth */
    struct token tok;   /* current token */
    const char *file;   /* for messages */
    unsigned long line;
    const char *quote;  /* subject of messages */
    size_t quote_len;
    cadre_diags *diags;
    bool failed;        /* an error was reported: stop */
    const cadre_scope *scope;
    struct anode *ast;  /* syntax tree */
    uint32_t n_ast, cap_ast;
    uint32_t *alist;    /* children lists of the syntax tree */
    uint32_t n_alist, cap_alist;
    cadre_expr *x;      /* what is being built */
} compiler;

/* Lookup context: which records are bound, and where bare names go. */
typedef struct sctx {
    unsigned roots; /* 1 << X_* of every bound record */
    int prio[4];    /* bare names: prio[0] first, then one of the rest */
    int nprio;
    int coll;       /* COLL_* inside an aggregate's where, else -1 */
} sctx;

void expr_error(compiler *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

void expr_error(compiler *c, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    if (c->failed)
        return;
    c->failed = true;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    size_t q = c->quote_len;
    const char *ell = "";
    if (q > QUOTE_MAX) {
        q = QUOTE_MAX;
        while (q > 0 && ((unsigned char)c->quote[q] & 0xC0) == 0x80)
            q--; /* never cut a character in two */
        ell = "...";
    }
    cadre_diags_error(c->diags, c->file, c->line, "%s in '%.*s%s'", msg,
                      (int)q, c->quote, ell);
}

void expr_oom(compiler *c)
{
    expr_error(c, "out of memory");
}

/* ------------------------------------------------------------------ */
/* Lexing.                                                             */

static struct {
    const char *word;
    enum tok t;
} const keywords[] = {
    { "and", T_AND }, { "or", T_OR }, { "not", T_NOT }, { "in", T_IN },
    { "where", T_WHERE }, { "true", T_TRUE }, { "false", T_FALSE },
};

void expr_lex_next(compiler *c)
{
    const char *s = c->src;
    size_t i = c->pos, n = c->len;
    struct token *t = &c->tok;

    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
                     s[i] == '\r'))
        i++;
    t->start = i;
    if (i >= n) {
        t->t = T_END;
        t->len = 0;
        c->pos = i;
        return;
    }
    unsigned char ch = (unsigned char)s[i];
    size_t j = i + 1;
    t->t = T_BAD;
    if (is_digit(ch)) {
        while (j < n && is_digit((unsigned char)s[j]))
            j++;
        if (j - i == 4 && j + 6 <= n && s[j] == '-' &&
            is_digit((unsigned char)s[j + 1]) &&
            is_digit((unsigned char)s[j + 2]) && s[j + 3] == '-' &&
            is_digit((unsigned char)s[j + 4]) &&
            is_digit((unsigned char)s[j + 5])) {
            char buf[11];
            memcpy(buf, s + i, 10);
            buf[10] = '\0';
            j += 6;
            if (j < n && is_name_char((unsigned char)s[j])) {
                t->t = T_BAD;
            } else if (cadre_date_parse(buf, 0, &t->date) != 0) {
                t->len = 10;
                c->pos = j;
                expr_error(c, "invalid date '%s'", buf);
                t->t = T_BAD;
                return;
            } else {
                t->t = T_DATE;
            }
        } else {
            if (j + 1 < n && s[j] == '.' && is_digit((unsigned char)s[j + 1])) {
                j++;
                while (j < n && is_digit((unsigned char)s[j]))
                    j++;
            }
            t->t = T_NUM;
            t->num = parse_decimal(s + i, j - i);
        }
        if (j < n && (is_name_char((unsigned char)s[j]) || s[j] == '.')) {
            while (j < n && (is_name_char((unsigned char)s[j]) || s[j] == '.'))
                j++;
            t->len = j - i;
            c->pos = j;
            if (memchr(s + i, '-', j - i))
                expr_error(c, "bad number '%.*s' (put spaces around '-' to "
                           "subtract)", (int)(j - i), s + i);
            else
                expr_error(c, "bad number '%.*s'", (int)(j - i), s + i);
            t->t = T_BAD;
            return;
        }
    } else if (is_name_start(ch)) {
        for (;;) {
            while (j < n && is_name_char((unsigned char)s[j]))
                j++;
            if (j + 1 < n && s[j] == '.' && is_name_start((unsigned char)s[j + 1]))
                j++;
            else
                break;
        }
        t->t = T_NAME;
        for (size_t k = 0; k < sizeof keywords / sizeof keywords[0]; k++)
            if (strlen(keywords[k].word) == j - i &&
                memcmp(keywords[k].word, s + i, j - i) == 0)
                t->t = keywords[k].t;
    } else if (ch == '"' || ch == '\'') {
        while (j < n && (unsigned char)s[j] != ch)
            j++;
        if (j >= n) {
            t->len = n - i;
            c->pos = n;
            expr_error(c, "unterminated string");
            t->t = T_BAD;
            return;
        }
        j++;
        t->t = T_STR;
    } else {
        switch (ch) {
        case '(': t->t = T_LP; break;
        case ')': t->t = T_RP; break;
        case ',': t->t = T_COMMA; break;
        case '+': t->t = T_PLUS; break;
        case '-': t->t = T_MINUS; break;
        case '*': t->t = T_STAR; break;
        case '/': t->t = T_SLASH; break;
        case '=':
            t->t = T_CMP;
            t->op = OP_EQ;
            if (j < n && s[j] == '=')
                j++;
            break;
        case '!':
            if (j < n && s[j] == '=') {
                t->t = T_CMP;
                t->op = OP_NE;
                j++;
            }
            break;
        case '<':
            t->t = T_CMP;
            t->op = OP_LT;
            if (j < n && s[j] == '=') {
                t->op = OP_LE;
                j++;
            } else if (j < n && s[j] == '>') {
                t->op = OP_NE;
                j++;
            }
            break;
        case '>':
            t->t = T_CMP;
            t->op = OP_GT;
            if (j < n && s[j] == '=') {
                t->op = OP_GE;
                j++;
            }
            break;
        default:
            break;
        }
        if (t->t == T_BAD) {
            /* quote the whole character, not one byte of it */
            while (j < n && ((unsigned char)s[j] & 0xC0) == 0x80)
                j++;
            t->len = j - i;
            c->pos = j;
            expr_error(c, "unexpected character '%.*s'", (int)(j - i), s + i);
            return;
        }
    }
    t->len = j - i;
    c->pos = j;
}

/* ------------------------------------------------------------------ */
/* Parsing into the syntax tree.                                       */

static uint32_t anew(compiler *c, enum akind kind)
{
    if (c->n_ast == c->cap_ast) {
        uint32_t cap = c->cap_ast ? c->cap_ast * 2 : 32;
        struct anode *p = realloc(c->ast, cap * sizeof *p);
        if (!p) {
            expr_oom(c);
            return CADRE_ENONE;
        }
        c->ast = p;
        c->cap_ast = cap;
    }
    struct anode *a = &c->ast[c->n_ast];
    memset(a, 0, sizeof *a);
    a->kind = (uint8_t)kind;
    a->a = a->b2 = CADRE_ENONE;
    a->depth = 1;
    a->start = c->tok.start;
    a->len = c->tok.len;
    return c->n_ast++;
}

static int alist_push(compiler *c, uint32_t v)
{
    if (c->n_alist == c->cap_alist) {
        uint32_t cap = c->cap_alist ? c->cap_alist * 2 : 16;
        uint32_t *p = realloc(c->alist, cap * sizeof *p);
        if (!p) {
            expr_oom(c);
            return -1;
        }
        c->alist = p;
        c->cap_alist = cap;
    }
    c->alist[c->n_alist++] = v;
    return 0;
}

/* Give node `i` the height of its children plus one; refuse deep trees
 * (evaluation recurses). */
static uint32_t deepen(compiler *c, uint32_t i, uint32_t x, uint32_t y)
{
    if (i == CADRE_ENONE)
        return i;
    unsigned d = 0;
    if (x != CADRE_ENONE)
        d = c->ast[x].depth;
    if (y != CADRE_ENONE && c->ast[y].depth > d)
        d = c->ast[y].depth;
    if (d + 1 > MAX_DEPTH) {
        expr_error(c, "expression nested too deeply");
        return CADRE_ENONE;
    }
    if (d + 1 > c->ast[i].depth)
        c->ast[i].depth = (uint16_t)(d + 1);
    return i;
}

const char *expr_token_phrase(compiler *c, char *buf, size_t size)
{
    if (c->tok.t == T_END)
        return "the end";
    snprintf(buf, size, "'%.*s'", (int)(c->tok.len > 60 ? 60 : c->tok.len),
             c->src + c->tok.start);
    return buf;
}

uint32_t expr_parse_or(compiler *c);

static uint32_t expect_rp(compiler *c, uint32_t node)
{
    char buf[80];
    if (c->failed)
        return CADRE_ENONE;
    if (c->tok.t != T_RP) {
        if (c->tok.t == T_END)
            expr_error(c, "unbalanced parentheses: missing ')'");
        else
            expr_error(c, "expected ')' or ',', found %s",
                expr_token_phrase(c, buf, sizeof buf));
        return CADRE_ENONE;
    }
    expr_lex_next(c);
    return node;
}

static int coll_lookup(const char *s, size_t len)
{
    for (int i = 0; i < 4; i++)
        if (strlen(expr_coll_names[i]) == len &&
            memcmp(expr_coll_names[i], s, len) == 0)
            return i;
    return -1;
}

static int agg_lookup(const char *s, size_t len)
{
    for (int i = 0; i < 6; i++)
        if (strlen(expr_agg_names[i]) == len &&
            memcmp(expr_agg_names[i], s, len) == 0)
            return i;
    return -1;
}

/* count(cadres where COND), sum(participants where COND, EXPR) ... */
static uint32_t parse_agg(compiler *c, int fn, size_t start, size_t len)
{
    char buf[80];
    uint32_t n = anew(c, A_AGG);
    if (n == CADRE_ENONE)
        return n;
    c->ast[n].start = start;
    c->ast[n].len = len;
    c->ast[n].op = (uint8_t)fn;
    int coll = c->tok.t == T_NAME ? coll_lookup(c->src + c->tok.start,
                                                c->tok.len)
                                  : -1;
    if (coll < 0) {
        expr_error(c, "%s() needs what to count first: cadres, participants, "
            "courses or units, not %s", expr_agg_names[fn],
            expr_token_phrase(c, buf, sizeof buf));
        return CADRE_ENONE;
    }
    c->ast[n].op2 = (uint8_t)coll;
    expr_lex_next(c);
    uint32_t where = CADRE_ENONE, value = CADRE_ENONE;
    if (c->tok.t == T_WHERE) {
        expr_lex_next(c);
        where = expr_parse_or(c);
        if (where == CADRE_ENONE)
            return CADRE_ENONE;
    }
    unsigned nargs = 1;
    if (c->tok.t == T_COMMA) {
        expr_lex_next(c);
        value = expr_parse_or(c);
        if (value == CADRE_ENONE)
            return CADRE_ENONE;
        nargs++;
        while (c->tok.t == T_COMMA && !c->failed) {
            expr_lex_next(c);
            if (expr_parse_or(c) == CADRE_ENONE)
                return CADRE_ENONE;
            nargs++;
        }
    }
    unsigned want = fn == AGG_COUNT || fn == AGG_PEOPLE ? 1 : 2;
    if (!c->failed && c->tok.t == T_RP && nargs != want) {
        expr_error(c, "wrong number of arguments to '%s' (expected %u, "
                   "got %u)", expr_agg_names[fn], want, nargs);
        return CADRE_ENONE;
    }
    c->ast[n].a = where;
    c->ast[n].b2 = value;
    deepen(c, n, where, value);
    return expect_rp(c, n);
}

static uint32_t parse_primary(compiler *c)
{
    char buf[80];
    uint32_t n;
    if (c->failed)
        return CADRE_ENONE;
    switch (c->tok.t) {
    case T_NUM:
        n = anew(c, A_NUM);
        if (n != CADRE_ENONE)
            c->ast[n].num = c->tok.num;
        expr_lex_next(c);
        return n;
    case T_DATE:
        n = anew(c, A_DATE);
        if (n != CADRE_ENONE)
            c->ast[n].date = c->tok.date;
        expr_lex_next(c);
        return n;
    case T_STR:
        n = anew(c, A_STR);
        if (n != CADRE_ENONE) {
            c->ast[n].start++;
            c->ast[n].len -= 2;
        }
        expr_lex_next(c);
        return n;
    case T_TRUE:
    case T_FALSE:
        n = anew(c, A_BOOL);
        if (n != CADRE_ENONE)
            c->ast[n].b = c->tok.t == T_TRUE;
        expr_lex_next(c);
        return n;
    case T_LP: {
        expr_lex_next(c);
        uint32_t inner = expr_parse_or(c);
        if (inner == CADRE_ENONE)
            return inner;
        return expect_rp(c, inner);
    }
    case T_NAME: {
        size_t start = c->tok.start, len = c->tok.len;
        n = anew(c, A_NAME);
        expr_lex_next(c);
        if (n == CADRE_ENONE || c->tok.t != T_LP)
            return n;
        expr_lex_next(c);
        int fn = agg_lookup(c->src + start, len);
        if (fn >= 0) {
            c->n_ast--; /* reuse the slot for the aggregate */
            return parse_agg(c, fn, start, len);
        }
        struct anode *a = &c->ast[n];
        a->kind = A_CALL;
        uint32_t args[8];
        uint32_t count = 0;
        if (c->tok.t != T_RP) {
            for (;;) {
                uint32_t arg = expr_parse_or(c);
                if (arg == CADRE_ENONE)
                    return CADRE_ENONE;
                if (count < 8)
                    args[count] = arg;
                count++;
                if (c->tok.t != T_COMMA)
                    break;
                expr_lex_next(c);
            }
        }
        if (count > 8) {
            expr_error(c, "too many arguments to '%.*s'", (int)len,
                       c->src + start);
            return CADRE_ENONE;
        }
        c->ast[n].first = c->n_alist;
        c->ast[n].count = count;
        for (uint32_t k = 0; k < count; k++) {
            if (alist_push(c, args[k]) != 0)
                return CADRE_ENONE;
            deepen(c, n, args[k], CADRE_ENONE);
        }
        return expect_rp(c, n);
    }
    case T_END:
        if (c->tok.start == 0)
            expr_error(c, "empty expression");
        else
            expr_error(c, "the expression ends too early");
        return CADRE_ENONE;
    case T_BAD:
        expr_error(c, "unexpected %s", expr_token_phrase(c, buf, sizeof buf));
        return CADRE_ENONE;
    default:
        expr_error(c, "expected a value, found %s",
                   expr_token_phrase(c, buf, sizeof buf));
        return CADRE_ENONE;
    }
}

/* The parser recurses into parentheses, arguments, "not" and unary
 * minus: each open one counts, so that "- - - ... 1" or "((( ... )))"
 * 100,000 deep is an error, not a stack overflow. */
static bool nest_in(compiler *c)
{
    if (++c->nest <= MAX_DEPTH)
        return true;
    expr_error(c, "expression nested too deeply");
    return false;
}

static uint32_t parse_unary(compiler *c)
{
    if (c->tok.t == T_MINUS) {
        uint32_t n = anew(c, A_NEG);
        expr_lex_next(c);
        if (!nest_in(c))
            return CADRE_ENONE;
        uint32_t a = parse_unary(c);
        c->nest--;
        if (n == CADRE_ENONE || a == CADRE_ENONE)
            return CADRE_ENONE;
        c->ast[n].a = a;
        return deepen(c, n, a, CADRE_ENONE);
    }
    return parse_primary(c);
}

static uint32_t parse_binary(compiler *c, int level);

/* level 0: + -, level 1: * / */
static uint32_t parse_binary(compiler *c, int level)
{
    uint32_t left = level == 0 ? parse_binary(c, 1) : parse_unary(c);
    while (left != CADRE_ENONE && !c->failed) {
        enum tok t = c->tok.t;
        char op;
        if (level == 0 && (t == T_PLUS || t == T_MINUS))
            op = t == T_PLUS ? '+' : '-';
        else if (level == 1 && (t == T_STAR || t == T_SLASH))
            op = t == T_STAR ? '*' : '/';
        else
            break;
        uint32_t n = anew(c, A_ARITH);
        expr_lex_next(c);
        uint32_t right = level == 0 ? parse_binary(c, 1) : parse_unary(c);
        if (n == CADRE_ENONE || right == CADRE_ENONE)
            return CADRE_ENONE;
        c->ast[n].op = (uint8_t)op;
        c->ast[n].a = left;
        c->ast[n].b2 = right;
        left = deepen(c, n, left, right);
    }
    return c->failed ? CADRE_ENONE : left;
}

static uint32_t parse_cmp(compiler *c)
{
    char buf[80];
    uint32_t left = parse_binary(c, 0);
    if (left == CADRE_ENONE || c->failed)
        return CADRE_ENONE;
    if (c->tok.t == T_CMP) {
        uint32_t n = anew(c, A_CMP);
        int op = c->tok.op;
        expr_lex_next(c);
        uint32_t right = parse_binary(c, 0);
        if (n == CADRE_ENONE || right == CADRE_ENONE)
            return CADRE_ENONE;
        c->ast[n].op = (uint8_t)op;
        c->ast[n].a = left;
        c->ast[n].b2 = right;
        if (c->tok.t == T_CMP) {
            expr_error(c, "comparisons do not chain: write 'a < b and b < c'");
            return CADRE_ENONE;
        }
        return deepen(c, n, left, right);
    }
    bool negate = false;
    if (c->tok.t == T_NOT) {
        size_t save = c->pos;
        struct token tok = c->tok;
        expr_lex_next(c);
        if (c->tok.t != T_IN) {
            c->pos = save;
            c->tok = tok;
            return left;
        }
        negate = true;
    }
    if (c->tok.t != T_IN)
        return left;
    uint32_t n = anew(c, A_IN);
    expr_lex_next(c);
    if (n == CADRE_ENONE)
        return n;
    if (c->tok.t != T_LP) {
        expr_error(c, "expected '(' after 'in', found %s",
            expr_token_phrase(c, buf, sizeof buf));
        return CADRE_ENONE;
    }
    expr_lex_next(c);
    uint32_t items[64];
    uint32_t count = 0;
    for (;;) {
        uint32_t item = expr_parse_or(c);
        if (item == CADRE_ENONE)
            return CADRE_ENONE;
        if (count == 64) {
            expr_error(c, "too many values after 'in' (at most 64)");
            return CADRE_ENONE;
        }
        items[count++] = item;
        if (c->tok.t != T_COMMA)
            break;
        expr_lex_next(c);
    }
    c->ast[n].op = negate;
    c->ast[n].a = left;
    c->ast[n].first = c->n_alist;
    c->ast[n].count = count;
    deepen(c, n, left, CADRE_ENONE);
    for (uint32_t k = 0; k < count; k++) {
        if (alist_push(c, items[k]) != 0)
            return CADRE_ENONE;
        deepen(c, n, items[k], CADRE_ENONE);
    }
    return expect_rp(c, n);
}

static uint32_t parse_not(compiler *c)
{
    if (c->tok.t == T_NOT) {
        uint32_t n = anew(c, A_NOT);
        expr_lex_next(c);
        if (!nest_in(c))
            return CADRE_ENONE;
        uint32_t a = parse_not(c);
        c->nest--;
        if (n == CADRE_ENONE || a == CADRE_ENONE)
            return CADRE_ENONE;
        c->ast[n].a = a;
        return deepen(c, n, a, CADRE_ENONE);
    }
    return parse_cmp(c);
}

static uint32_t parse_and(compiler *c)
{
    uint32_t left = parse_not(c);
    while (left != CADRE_ENONE && !c->failed && c->tok.t == T_AND) {
        uint32_t n = anew(c, A_AND);
        expr_lex_next(c);
        uint32_t right = parse_not(c);
        if (n == CADRE_ENONE || right == CADRE_ENONE)
            return CADRE_ENONE;
        c->ast[n].a = left;
        c->ast[n].b2 = right;
        left = deepen(c, n, left, right);
    }
    return c->failed ? CADRE_ENONE : left;
}

uint32_t expr_parse_or(compiler *c)
{
    if (!nest_in(c))
        return CADRE_ENONE;
    uint32_t left = parse_and(c);
    while (left != CADRE_ENONE && !c->failed && c->tok.t == T_OR) {
        uint32_t n = anew(c, A_OR);
        expr_lex_next(c);
        uint32_t right = parse_and(c);
        if (n == CADRE_ENONE || right == CADRE_ENONE)
            return CADRE_ENONE;
        c->ast[n].a = left;
        c->ast[n].b2 = right;
        left = deepen(c, n, left, right);
    }
    c->nest--;
    return c->failed ? CADRE_ENONE : left;
}

/* ------------------------------------------------------------------ */
/* Building checked nodes.                                             */

static uint32_t enew(compiler *c, int op, int type)
{
    cadre_expr *x = c->x;
    if (x->n_nodes == x->cap_nodes) {
        uint32_t cap = x->cap_nodes ? x->cap_nodes * 2 : 16;
        cadre_enode *p = realloc(x->nodes, cap * sizeof *p);
        if (!p) {
            expr_oom(c);
            return CADRE_ENONE;
        }
        x->nodes = p;
        x->cap_nodes = cap;
    }
    cadre_enode *n = &x->nodes[x->n_nodes];
    memset(n, 0, sizeof *n);
    n->op = (uint8_t)op;
    n->type = (uint8_t)type;
    n->a = n->b = n->c = CADRE_ENONE;
    return x->n_nodes++;
}

static cadre_enode *N(compiler *c, uint32_t i) { return &c->x->nodes[i]; }

static int args_push(cadre_expr *x, uint32_t v)
{
    if (x->n_args == x->cap_args) {
        uint32_t cap = x->cap_args ? x->cap_args * 2 : 8;
        uint32_t *p = realloc(x->args, cap * sizeof *p);
        if (!p)
            return -1;
        x->args = p;
        x->cap_args = cap;
    }
    x->args[x->n_args++] = v;
    return 0;
}

/* Keep a copy of a string literal, in NFC, for the expression's life. */
static const char *keep_string(compiler *c, const char *s, size_t len)
{
    cadre_expr *x = c->x;
    char **p = realloc(x->lits, (x->n_lits + 1) * sizeof *p);
    if (!p) {
        expr_oom(c);
        return NULL;
    }
    x->lits = p;
    char *copy;
    if (cadre_text_check(s, len, NULL, NULL) != CADRE_TEXT_OK) {
        expr_error(c, "invalid text in a string");
        return NULL;
    }
    if (cadre_text_is_nfc(s, len)) {
        copy = malloc(len + 1);
        if (copy) {
            memcpy(copy, s, len);
            copy[len] = '\0';
        }
    } else {
        copy = cadre_text_nfc(s, len, NULL);
    }
    if (!copy) {
        expr_oom(c);
        return NULL;
    }
    x->lits[x->n_lits++] = copy;
    return copy;
}

const char *cadre_xtype_phrase(int xtype, int kind, char *buf, size_t size)
{
    switch (xtype) {
    case X_ANY: return "a value";
    case X_BOOL: return "true/false";
    case X_NUMBER: return "a number";
    case X_STRING: return "a text";
    case X_DATE: return "a date";
    case X_CODE: {
        const char *k = cadre_code_kind_name((cadre_code_kind)kind);
        bool vowel = k && strchr("aeiou", k[0]) != NULL;
        snprintf(buf, size, "%s %s code", vowel ? "an" : "a", k ? k : "?");
        return buf;
    }
    case X_CADRE: return "a cadre";
    case X_UNIT: return "a unit";
    case X_COURSE: return "a course";
    case X_PARTICIPANT: return "a participant";
    }
    return "a value";
}

static const char *phrase(compiler *c, uint32_t i, char *buf, size_t size)
{
    return cadre_xtype_phrase(N(c, i)->type, N(c, i)->kind, buf, size);
}

static bool xtype_is_record(int t) { return t >= X_CADRE; }

static bool streq(const char *a, const char *s, size_t len)
{
    return strlen(a) == len && memcmp(a, s, len) == 0;
}

/* The record a root is bound to, as a node. */
static uint32_t root_node(compiler *c, int root)
{
    uint32_t n = enew(c, E_ROOT, root);
    if (n != CADRE_ENONE)
        N(c, n)->aux = (uint8_t)root;
    return n;
}

static const struct field *find_field(int obj, const char *s, size_t len)
{
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        if (fields[i].obj == obj && streq(fields[i].name, s, len))
            return &fields[i];
    return NULL;
}

static const struct nav *find_nav(int obj, const char *s, size_t len)
{
    for (size_t i = 0; i < sizeof navs / sizeof navs[0]; i++)
        if (navs[i].from == obj && streq(navs[i].name, s, len))
            return &navs[i];
    return NULL;
}

/* Apply field or navigation `s` to the record node `obj`. */
static uint32_t member(compiler *c, uint32_t obj, const char *s, size_t len)
{
    int t = N(c, obj)->type;
    const struct field *f = find_field(t, s, len);
    if (f) {
        uint32_t n = enew(c, E_FIELD, f->type);
        if (n == CADRE_ENONE)
            return n;
        N(c, n)->a = obj;
        N(c, n)->aux = f->id;
        N(c, n)->kind = f->kind;
        N(c, n)->flags = f->flags;
        return n;
    }
    const struct nav *v = find_nav(t, s, len);
    if (v) {
        uint32_t n = enew(c, E_NAV, v->to);
        if (n == CADRE_ENONE)
            return n;
        N(c, n)->a = obj;
        N(c, n)->aux = v->id;
        return n;
    }
    return CADRE_ENONE;
}

static bool has_member(int obj, const char *s, size_t len)
{
    return find_field(obj, s, len) || find_nav(obj, s, len);
}

/* Outcome of looking a name up. */
enum { R_OK, R_UNKNOWN, R_AMBIGUOUS, R_UNBOUND, R_FAIL };

/*
 * Resolve the name `s` in context `sc`.  With `build`, make its node into
 * *out (errors other than "unknown" are reported); without, only say
 * whether it is a name.
 */
static int resolve(compiler *c, const char *s, size_t len, const sctx *sc,
                   bool build, uint32_t *out)
{
    const char *dot = memchr(s, '.', len);
    size_t head = dot ? (size_t)(dot - s) : len;

    /* a record: cadre, unit, course, participant */
    for (int r = X_CADRE; r <= X_PARTICIPANT; r++) {
        if (!streq(root_names[r], s, head))
            continue;
        if (!(sc->roots & (1u << r))) {
            if (build)
                expr_error(c, "unknown name '%.*s' (there is no %s here)",
                           (int)len, s, root_names[r]);
            return R_UNBOUND;
        }
        uint32_t n = CADRE_ENONE;
        if (build && (n = root_node(c, r)) == CADRE_ENONE)
            return R_FAIL;
        int type = r;
        const char *p = s + head;
        while (p < s + len) {
            const char *seg = p + 1;
            const char *end = memchr(seg, '.', (size_t)(s + len - seg));
            if (!end)
                end = s + len;
            if (!xtype_is_record(type) ||
                !has_member(type, seg, (size_t)(end - seg)))
                return R_UNKNOWN; /* the caller reports it, with hints */
            if (build) {
                n = member(c, n, seg, (size_t)(end - seg));
                if (n == CADRE_ENONE)
                    return R_FAIL;
                type = N(c, n)->type;
            } else {
                const struct field *f = find_field(type, seg,
                                                   (size_t)(end - seg));
                type = f ? f->type
                         : find_nav(type, seg, (size_t)(end - seg))->to;
            }
            p = end;
        }
        *out = n;
        return R_OK;
    }
    if (dot)
        return R_UNKNOWN;

    /* the dialect's variables */
    if (c->scope && c->scope->vars) {
        for (uint32_t i = 0; c->scope->vars[i]; i++) {
            if (!streq(c->scope->vars[i], s, len))
                continue;
            if (build) {
                uint32_t n = enew(c, E_VAR, X_ANY);
                if (n == CADRE_ENONE)
                    return R_FAIL;
                N(c, n)->k.code = (int)i;
                *out = n;
            }
            return R_OK;
        }
    }

    /* as-of, issuer, place, year, today */
    for (size_t i = 0; i < sizeof globals / sizeof globals[0]; i++) {
        if (!streq(globals[i].name, s, len))
            continue;
        if (build) {
            uint32_t n = enew(c, E_GLOBAL, globals[i].type);
            if (n == CADRE_ENONE)
                return R_FAIL;
            N(c, n)->aux = globals[i].id;
            N(c, n)->flags = globals[i].flags;
            *out = n;
        }
        return R_OK;
    }

    /* a bare field: the first record in priority order, else the only
     * other one that has it */
    int found = -1, others = 0;
    if (sc->nprio > 0 && has_member(sc->prio[0], s, len)) {
        found = sc->prio[0];
    } else {
        for (int k = 1; k < sc->nprio; k++) {
            if (has_member(sc->prio[k], s, len)) {
                if (found < 0)
                    found = sc->prio[k];
                others++;
            }
        }
    }
    if (found < 0)
        return R_UNKNOWN;
    if (others > 1) {
        if (build) {
            char list[160];
            size_t used = 0;
            int seen = 0;
            list[0] = '\0';
            for (int k = 1; k < sc->nprio; k++) {
                if (!has_member(sc->prio[k], s, len))
                    continue;
                seen++;
                int w = snprintf(list + used, sizeof list - used, "%s%s.%.*s",
                                 seen == 1 ? ""
                                 : seen == others ? " or " : ", ",
                                 root_names[sc->prio[k]], (int)len, s);
                if (w > 0 && (size_t)w < sizeof list - used)
                    used += (size_t)w;
            }
            expr_error(c, "ambiguous name '%.*s' (write %s)", (int)len, s,
                       list);
        }
        return R_AMBIGUOUS;
    }
    if (build) {
        uint32_t r = root_node(c, found);
        if (r == CADRE_ENONE)
            return R_FAIL;
        uint32_t n = member(c, r, s, len);
        if (n == CADRE_ENONE)
            return R_FAIL;
        *out = n;
    }
    return R_OK;
}

/* Report an unknown name, with a hint when it looks like a subtraction
 * written without spaces ("year-1"). */
static void unknown_name(compiler *c, const char *s, size_t len,
                         const sctx *sc)
{
    uint32_t dummy;
    for (size_t k = len; k-- > 1;) {
        if (s[k] != '-')
            continue;
        if (resolve(c, s, k, sc, false, &dummy) == R_OK) {
            expr_error(c, "unknown name '%.*s' (to subtract, put spaces "
                       "around '-': '%.*s - %.*s')", (int)len, s, (int)k, s,
                       (int)(len - k - 1), s + k + 1);
            return;
        }
    }
    expr_error(c, "unknown name '%.*s'", (int)len, s);
}

uint32_t expr_check(compiler *c, uint32_t ai, const sctx *sc);
static int code_order(int a, int b);
static bool apply_op(int op, int order);

static bool is_bare(compiler *c, uint32_t ai)
{
    const struct anode *a = &c->ast[ai];
    return a->kind == A_NAME && !memchr(c->src + a->start, '.', a->len);
}

/* A bare word that is not a name: a code word, settled by what it is
 * compared with. */
static bool is_code_word(compiler *c, uint32_t ai, const sctx *sc)
{
    uint32_t dummy;
    return is_bare(c, ai) &&
           resolve(c, c->src + c->ast[ai].start, c->ast[ai].len, sc, false,
                   &dummy) == R_UNKNOWN;
}

/* Check `ai` where it meets a value like node `other`: a bare word or a
 * string becomes a code of other's list, a string a date. */
static uint32_t check_against(compiler *c, uint32_t ai, uint32_t other,
                              const sctx *sc)
{
    const struct anode *a = &c->ast[ai];
    const cadre_enode *o = N(c, other);
    const char *s = c->src + a->start;
    if (o->type == X_CODE && (a->kind == A_STR || is_bare(c, ai))) {
        char word[128];
        size_t len = a->len < sizeof word ? a->len : sizeof word - 1;
        memcpy(word, s, len);
        word[len] = '\0';
        int code = len == a->len ? cadre_code_parse((cadre_code_kind)o->kind,
                                                    word)
                                 : -1;
        if (code >= 0) {
            uint32_t n = enew(c, E_CONST, X_CODE);
            if (n != CADRE_ENONE) {
                N(c, n)->kind = N(c, other)->kind;
                N(c, n)->k.code = code;
            }
            return n;
        }
        if (a->kind == A_STR || is_code_word(c, ai, sc)) {
            char buf[64];
            expr_error(c, "'%.*s' is not %s (expected one of: %s)",
                       (int)a->len, s,
                       cadre_xtype_phrase(X_CODE, o->kind, buf, sizeof buf),
                       cadre_code_list((cadre_code_kind)o->kind));
            return CADRE_ENONE;
        }
    }
    if (o->type == X_DATE && a->kind == A_STR) {
        char word[16];
        cadre_date d;
        if (a->len < sizeof word) {
            memcpy(word, s, a->len);
            word[a->len] = '\0';
            if (cadre_date_parse(word, CADRE_DATE_YEAR_OK, &d) == 0) {
                uint32_t n = enew(c, E_CONST, X_DATE);
                if (n != CADRE_ENONE)
                    N(c, n)->k.d = d;
                return n;
            }
        }
        expr_error(c, "'%.*s' is not a date (write 2019-07-05)",
                   (int)a->len, s);
        return CADRE_ENONE;
    }
    return expr_check(c, ai, sc);
}

/* A word in some list of codes ("completed" is a status as well as a
 * course's field). */
static bool in_some_list(compiler *c, uint32_t ai)
{
    char word[64];
    const struct anode *a = &c->ast[ai];
    if (a->len >= sizeof word)
        return false;
    memcpy(word, c->src + a->start, a->len);
    word[a->len] = '\0';
    for (int k = 0; k < CADRE_CODE_KIND_COUNT; k++)
        if (cadre_code_parse((cadre_code_kind)k, word) >= 0)
            return true;
    return false;
}

/* An operand whose meaning may depend on the other side: a string, a
 * word that is not a name, or a name that is also a code word. */
static bool is_weak(compiler *c, uint32_t ai, const sctx *sc)
{
    return c->ast[ai].kind == A_STR ||
           (is_bare(c, ai) && (is_code_word(c, ai, sc) || in_some_list(c, ai)));
}

/* Check the two operands of a comparison (or of if's branches) so that
 * a code word on either side takes the list of the other. */
static int check_pair(compiler *c, uint32_t la, uint32_t ra, const sctx *sc,
                      uint32_t *l, uint32_t *r)
{
    if (is_weak(c, la, sc) && !is_weak(c, ra, sc)) {
        if ((*r = expr_check(c, ra, sc)) == CADRE_ENONE)
            return -1;
        *l = check_against(c, la, *r, sc);
    } else {
        if ((*l = expr_check(c, la, sc)) == CADRE_ENONE)
            return -1;
        *r = check_against(c, ra, *l, sc);
    }
    return *l == CADRE_ENONE || *r == CADRE_ENONE ? -1 : 0;
}

static bool same_type(const cadre_enode *a, const cadre_enode *b)
{
    return a->type == b->type && (a->type != X_CODE || a->kind == b->kind);
}

/* May `a` and `b` be compared with `op`?  Reports why not. */
static int comparable(compiler *c, uint32_t l, uint32_t r, int op)
{
    char b1[64], b2[64];
    const cadre_enode *a = N(c, l), *b = N(c, r);
    if (xtype_is_record(a->type) || xtype_is_record(b->type)) {
        expr_error(c, "cannot compare %s with %s (compare one of their "
                   "fields, such as unit.id)", phrase(c, l, b1, sizeof b1),
                   phrase(c, r, b2, sizeof b2));
        return -1;
    }
    if (a->type == X_ANY || b->type == X_ANY)
        return 0;
    if (!same_type(a, b)) {
        expr_error(c, "cannot compare %s with %s", phrase(c, l, b1, sizeof b1),
                   phrase(c, r, b2, sizeof b2));
        return -1;
    }
    if (a->type == X_BOOL && op != OP_EQ && op != OP_NE) {
        expr_error(c, "cannot order true/false values with '%s'",
                   op_names[op]);
        return -1;
    }
    return 0;
}

/* Where a code field's byte sits in its record: comparisons with a
 * constant read it directly. */
static size_t code_offset(int field)
{
    switch (field) {
    case F_CADRE_GENDER: return offsetof(cadre_cadre, gender);
    case F_CADRE_CATEGORY: return offsetof(cadre_cadre, category);
    case F_CADRE_EDUCATION: return offsetof(cadre_cadre, education);
    case F_CADRE_POLITICAL_THEORY:
        return offsetof(cadre_cadre, political_theory);
    case F_CADRE_STATE_MANAGEMENT:
        return offsetof(cadre_cadre, state_management);
    case F_UNIT_LEVEL: return offsetof(cadre_unit, level);
    case F_COURSE_TYPE: return offsetof(cadre_course, type);
    case F_COURSE_MODE: return offsetof(cadre_course, mode);
    case F_PART_STATUS: return offsetof(cadre_participant, status);
    default: return offsetof(cadre_participant, grade);
    }
}

/* A test of a code against a set of codes, known when compiled:
 * "education >= cao-dang" is "education is one of tien-si .. cao-dang". */
static uint32_t code_set(compiler *c, uint32_t code, uint32_t mask,
                         bool if_none)
{
    const cadre_enode *f = N(c, code);
    uint32_t n;
    if (f->op == E_FIELD) {
        n = enew(c, E_FCMP, X_BOOL);
        if (n == CADRE_ENONE)
            return n;
        f = N(c, code);
        N(c, n)->a = f->a;
        N(c, n)->aux2 = f->aux;
        N(c, n)->c = (uint32_t)code_offset(f->aux);
    } else {
        n = enew(c, E_INMASK, X_BOOL);
        if (n == CADRE_ENONE)
            return n;
        N(c, n)->a = code;
    }
    N(c, n)->kind = N(c, code)->kind;
    N(c, n)->k.mask = mask;
    N(c, n)->aux = if_none;
    return n;
}

static uint32_t fuse_cmp(compiler *c, uint32_t l, uint32_t r, int op)
{
    static const uint8_t swapped[] = {
        [OP_EQ] = OP_EQ, [OP_NE] = OP_NE, [OP_LT] = OP_GT, [OP_LE] = OP_GE,
        [OP_GT] = OP_LT, [OP_GE] = OP_LE,
    };
    cadre_enode *a = N(c, l), *b = N(c, r);
    if (a->op == E_CONST && b->op != E_CONST) {
        uint32_t t = l;
        l = r;
        r = t;
        op = swapped[op];
        a = N(c, l);
        b = N(c, r);
    }
    if (a->type == X_CODE && b->op == E_CONST) {
        uint32_t mask = 0;
        int count = cadre_code_count((cadre_code_kind)a->kind);
        for (int v = 0; v < count && v < 32; v++)
            if (apply_op(op, code_order(v, b->k.code)))
                mask |= 1u << v;
        return code_set(c, l, mask, op == OP_NE);
    }
    uint32_t n = enew(c, E_CMP, X_BOOL);
    if (n == CADRE_ENONE)
        return n;
    a = N(c, l);
    b = N(c, r);
    N(c, n)->a = l;
    N(c, n)->b = r;
    N(c, n)->aux = (uint8_t)op;
    N(c, n)->aux2 = a->type == X_ANY || b->type == X_ANY ? X_ANY : a->type;
    return n;
}

static uint32_t check_in(compiler *c, const struct anode *a, const sctx *sc)
{
    uint32_t l;
    if (is_code_word(c, a->a, sc)) {
        unknown_name(c, c->src + c->ast[a->a].start, c->ast[a->a].len, sc);
        return CADRE_ENONE;
    }
    if ((l = expr_check(c, a->a, sc)) == CADRE_ENONE)
        return l;
    uint32_t items[64];
    bool all_codes = N(c, l)->type == X_CODE;
    for (uint32_t k = 0; k < a->count; k++) {
        uint32_t it = check_against(c, c->alist[a->first + k], l, sc);
        if (it == CADRE_ENONE || comparable(c, l, it, OP_EQ) != 0)
            return CADRE_ENONE;
        items[k] = it;
        if (N(c, it)->op != E_CONST)
            all_codes = false;
    }
    uint32_t n;
    if (all_codes) {
        uint32_t mask = 0;
        for (uint32_t k = 0; k < a->count; k++)
            mask |= 1u << N(c, items[k])->k.code;
        if (a->op) {
            int count = cadre_code_count((cadre_code_kind)N(c, l)->kind);
            mask = ~mask & (count >= 32 ? ~0u : (1u << count) - 1);
        }
        return code_set(c, l, mask, a->op);
    }
    n = enew(c, E_IN, X_BOOL);
    if (n == CADRE_ENONE)
        return n;
    N(c, n)->a = l;
    N(c, n)->aux = a->op;
    N(c, n)->aux2 = N(c, l)->type;
    N(c, n)->b = c->x->n_args;
    N(c, n)->c = a->count;
    for (uint32_t k = 0; k < a->count; k++) {
        if (args_push(c->x, items[k]) != 0) {
            expr_oom(c);
            return CADRE_ENONE;
        }
        if (N(c, items[k])->type == X_ANY)
            N(c, n)->aux2 = X_ANY;
    }
    return n;
}

static uint32_t check_arith(compiler *c, const struct anode *a,
                            const sctx *sc)
{
    char b1[64], b2[64];
    uint32_t l = expr_check(c, a->a, sc);
    if (l == CADRE_ENONE)
        return l;
    uint32_t r = expr_check(c, a->b2, sc);
    if (r == CADRE_ENONE)
        return r;
    int lt = N(c, l)->type, rt = N(c, r)->type;
    int kind, type;
    if (lt == X_NUMBER && rt == X_NUMBER) {
        kind = ARITH_NUM;
        type = X_NUMBER;
    } else if (a->op == '-' && lt == X_DATE && rt == X_DATE) {
        kind = ARITH_DATE_DAYS;
        type = X_NUMBER;
    } else if ((a->op == '+' || a->op == '-') && lt == X_DATE &&
               rt == X_NUMBER) {
        kind = ARITH_DATE_SHIFT;
        type = X_DATE;
    } else if (a->op == '+' && lt == X_NUMBER && rt == X_DATE) {
        uint32_t t = l; /* n + date: the date first */
        l = r;
        r = t;
        kind = ARITH_DATE_SHIFT;
        type = X_DATE;
    } else if ((lt == X_ANY || lt == X_NUMBER || lt == X_DATE) &&
               (rt == X_ANY || rt == X_NUMBER || rt == X_DATE) &&
               (lt == X_ANY || rt == X_ANY)) {
        kind = ARITH_DYN;
        type = X_ANY;
    } else {
        expr_error(c, "cannot use '%c' on %s and %s", a->op,
                   phrase(c, l, b1, sizeof b1), phrase(c, r, b2, sizeof b2));
        return CADRE_ENONE;
    }
    uint32_t n = enew(c, E_ARITH, type);
    if (n == CADRE_ENONE)
        return n;
    N(c, n)->a = l;
    N(c, n)->b = r;
    N(c, n)->aux = a->op;
    N(c, n)->aux2 = (uint8_t)kind;
    /* year - 1 is still a year; year - birth-year is a number of years */
    if ((a->op == '+' || a->op == '-') && type == X_NUMBER &&
        ((N(c, l)->flags ^ N(c, r)->flags) & NF_YEAR))
        N(c, n)->flags |= NF_YEAR;
    return n;
}

static uint32_t check_call(compiler *c, const struct anode *a,
                           const sctx *sc)
{
    char b1[64];
    const char *name = c->src + a->start;
    const struct func *f = NULL;
    for (size_t i = 0; i < sizeof funcs / sizeof funcs[0]; i++)
        if (streq(funcs[i].name, name, a->len))
            f = &funcs[i];
    if (!f) {
        expr_error(c, "unknown function '%.*s'", (int)a->len, name);
        return CADRE_ENONE;
    }
    if (a->count != f->nargs) {
        expr_error(c, "wrong number of arguments to '%s' (expected %u, "
                   "got %u)", f->name, f->nargs, a->count);
        return CADRE_ENONE;
    }
    uint32_t args[3];
    const uint32_t *aa = c->alist + a->first;
    int type = f->type, kind = 0;
    if (f->id == FN_IF) {
        if ((args[0] = expr_check(c, aa[0], sc)) == CADRE_ENONE)
            return CADRE_ENONE;
        if (check_pair(c, aa[1], aa[2], sc, &args[1], &args[2]) != 0)
            return CADRE_ENONE;
        const cadre_enode *x = N(c, args[1]), *y = N(c, args[2]);
        if (xtype_is_record(x->type) || xtype_is_record(y->type)) {
            expr_error(c, "the branches of 'if' must be values, not records");
            return CADRE_ENONE;
        }
        if (x->type != X_ANY && y->type != X_ANY && !same_type(x, y)) {
            char b2[64];
            expr_error(c, "the branches of 'if' differ: %s and %s",
                       phrase(c, args[1], b1, sizeof b1),
                       phrase(c, args[2], b2, sizeof b2));
            return CADRE_ENONE;
        }
        type = x->type == X_ANY || y->type == X_ANY ? X_ANY : x->type;
        kind = x->kind;
    } else {
        for (unsigned k = 0; k < f->nargs; k++)
            if ((args[k] = expr_check(c, aa[k], sc)) == CADRE_ENONE)
                return CADRE_ENONE;
    }
    for (unsigned k = 0; k < f->nargs; k++) {
        int want = f->args[k], got = N(c, args[k])->type;
        bool ok = want == X_ANY ? !xtype_is_record(got)
                                : got == want || got == X_ANY;
        if (!ok) {
            char b2[64];
            expr_error(c, "argument %u of '%s' must be %s, not %s", k + 1,
                       f->name,
                       cadre_xtype_phrase(want, 0, b2, sizeof b2),
                       phrase(c, args[k], b1, sizeof b1));
            return CADRE_ENONE;
        }
    }
    uint32_t n = enew(c, E_CALL, type);
    if (n == CADRE_ENONE)
        return n;
    N(c, n)->aux = f->id;
    N(c, n)->kind = (uint8_t)kind;
    N(c, n)->flags = f->flags;
    if (f->id == FN_IF)
        N(c, n)->flags = N(c, args[1])->flags & N(c, args[2])->flags;
    N(c, n)->b = c->x->n_args;
    N(c, n)->c = f->nargs;
    for (unsigned k = 0; k < f->nargs; k++)
        if (args_push(c->x, args[k]) != 0) {
            expr_oom(c);
            return CADRE_ENONE;
        }
    return n;
}

static uint32_t check_agg(compiler *c, const struct anode *a,
                          const sctx *outer)
{
    char b1[64];
    sctx sc = *outer;
    sc.coll = a->op2;
    switch (a->op2) {
    case COLL_CADRES:
        sc.roots |= 1u << X_CADRE | 1u << X_UNIT;
        sc.prio[0] = X_CADRE;
        sc.prio[1] = X_UNIT;
        sc.nprio = 2;
        break;
    case COLL_PARTICIPANTS:
        sc.roots |= 1u << X_CADRE | 1u << X_UNIT | 1u << X_COURSE |
                    1u << X_PARTICIPANT;
        sc.prio[0] = X_PARTICIPANT;
        sc.prio[1] = X_CADRE;
        sc.prio[2] = X_COURSE;
        sc.prio[3] = X_UNIT;
        sc.nprio = 4;
        break;
    case COLL_COURSES:
        sc.roots |= 1u << X_COURSE;
        sc.prio[0] = X_COURSE;
        sc.nprio = 1;
        break;
    default:
        sc.roots |= 1u << X_UNIT;
        sc.prio[0] = X_UNIT;
        sc.nprio = 1;
        break;
    }
    if (a->op == AGG_PEOPLE && a->op2 != COLL_PARTICIPANTS) {
        expr_error(c, "people() counts the distinct cadres among "
                   "participants; write count(%s ...)",
                   expr_coll_names[a->op2]);
        return CADRE_ENONE;
    }
    uint32_t where = CADRE_ENONE, value = CADRE_ENONE;
    if (a->a != CADRE_ENONE) {
        if ((where = expr_check(c, a->a, &sc)) == CADRE_ENONE)
            return where;
        int t = N(c, where)->type;
        if (t != X_BOOL && t != X_ANY) {
            expr_error(c, "the condition after '%s where' must be true or "
                       "false, not %s", expr_coll_names[a->op2],
                       phrase(c, where, b1, sizeof b1));
            return CADRE_ENONE;
        }
    }
    int type = X_NUMBER, flags = 0;
    if (a->b2 != CADRE_ENONE) {
        if ((value = expr_check(c, a->b2, &sc)) == CADRE_ENONE)
            return value;
        int t = N(c, value)->type;
        bool dates = a->op == AGG_MIN || a->op == AGG_MAX;
        if (t != X_NUMBER && t != X_ANY && !(dates && t == X_DATE)) {
            expr_error(c, "%s() needs %s to add up, not %s",
                       expr_agg_names[a->op],
                       dates ? "numbers or dates" : "numbers",
                       phrase(c, value, b1, sizeof b1));
            return CADRE_ENONE;
        }
        if (dates) {
            type = t;
            flags = N(c, value)->flags;
        }
    }
    uint32_t n = enew(c, E_AGG, type);
    if (n == CADRE_ENONE)
        return n;
    N(c, n)->aux = a->op;
    N(c, n)->aux2 = a->op2;
    N(c, n)->a = where;
    N(c, n)->b = value;
    N(c, n)->flags = (uint8_t)flags;
    return n;
}

static uint32_t check_bool(compiler *c, uint32_t ai, const sctx *sc,
                           const char *what)
{
    char b1[64];
    uint32_t n = expr_check(c, ai, sc);
    if (n == CADRE_ENONE)
        return n;
    int t = N(c, n)->type;
    if (t != X_BOOL && t != X_ANY) {
        expr_error(c, "'%s' needs true/false on each side, not %s", what,
                   phrase(c, n, b1, sizeof b1));
        return CADRE_ENONE;
    }
    return n;
}

uint32_t expr_check(compiler *c, uint32_t ai, const sctx *sc)
{
    char b1[64];
    const struct anode *a = &c->ast[ai];
    uint32_t n, l, r;
    if (c->failed)
        return CADRE_ENONE;
    switch (a->kind) {
    case A_NUM:
        n = enew(c, E_CONST, X_NUMBER);
        if (n != CADRE_ENONE)
            N(c, n)->k.n = a->num;
        return n;
    case A_DATE:
        n = enew(c, E_CONST, X_DATE);
        if (n != CADRE_ENONE)
            N(c, n)->k.d = a->date;
        return n;
    case A_BOOL:
        n = enew(c, E_CONST, X_BOOL);
        if (n != CADRE_ENONE)
            N(c, n)->k.b = a->b;
        return n;
    case A_STR: {
        const char *s = keep_string(c, c->src + a->start, a->len);
        if (!s)
            return CADRE_ENONE;
        n = enew(c, E_CONST, X_STRING);
        if (n != CADRE_ENONE)
            N(c, n)->k.s = s;
        return n;
    }
    case A_NAME: {
        const char *s = c->src + a->start;
        int res = resolve(c, s, a->len, sc, true, &n);
        if (res == R_UNKNOWN)
            unknown_name(c, s, a->len, sc);
        return res == R_OK ? n : CADRE_ENONE;
    }
    case A_NEG:
        if ((l = expr_check(c, a->a, sc)) == CADRE_ENONE)
            return l;
        if (N(c, l)->type != X_NUMBER && N(c, l)->type != X_ANY) {
            expr_error(c, "cannot negate %s", phrase(c, l, b1, sizeof b1));
            return CADRE_ENONE;
        }
        n = enew(c, E_NEG, N(c, l)->type);
        if (n != CADRE_ENONE)
            N(c, n)->a = l;
        return n;
    case A_NOT:
        if ((l = check_bool(c, a->a, sc, "not")) == CADRE_ENONE)
            return l;
        n = enew(c, E_NOT, X_BOOL);
        if (n != CADRE_ENONE)
            N(c, n)->a = l;
        return n;
    case A_AND:
    case A_OR: {
        const char *w = a->kind == A_AND ? "and" : "or";
        if ((l = check_bool(c, a->a, sc, w)) == CADRE_ENONE)
            return l;
        if ((r = check_bool(c, a->b2, sc, w)) == CADRE_ENONE)
            return r;
        n = enew(c, a->kind == A_AND ? E_AND : E_OR, X_BOOL);
        if (n != CADRE_ENONE) {
            N(c, n)->a = l;
            N(c, n)->b = r;
        }
        return n;
    }
    case A_CMP:
        if (is_code_word(c, a->a, sc) && is_code_word(c, a->b2, sc)) {
            unknown_name(c, c->src + c->ast[a->a].start, c->ast[a->a].len,
                         sc);
            return CADRE_ENONE;
        }
        if (check_pair(c, a->a, a->b2, sc, &l, &r) != 0)
            return CADRE_ENONE;
        if (comparable(c, l, r, a->op) != 0)
            return CADRE_ENONE;
        return fuse_cmp(c, l, r, a->op);
    case A_IN:
        return check_in(c, a, sc);
    case A_ARITH:
        return check_arith(c, a, sc);
    case A_CALL:
        return check_call(c, a, sc);
    case A_AGG:
        return check_agg(c, a, sc);
    }
    return CADRE_ENONE;
}

/* ------------------------------------------------------------------ */
/* Compiling: the public entry points.                                 */

void expr_check_context(const cadre_scope *scope, sctx *sc)
{
    unsigned r = scope ? scope->roots : 0;
    memset(sc, 0, sizeof *sc);
    sc->coll = -1;
    if (r & CADRE_ROOT_PARTICIPANT)
        sc->roots |= 1u << X_PARTICIPANT | 1u << X_CADRE | 1u << X_COURSE |
                     1u << X_UNIT;
    if (r & CADRE_ROOT_CADRE)
        sc->roots |= 1u << X_CADRE | 1u << X_UNIT;
    if (r & CADRE_ROOT_COURSE)
        sc->roots |= 1u << X_COURSE;
    if (r & CADRE_ROOT_UNIT)
        sc->roots |= 1u << X_UNIT;
    static const int order[] = { X_CADRE, X_PARTICIPANT, X_COURSE, X_UNIT };
    for (int i = 0; i < 4; i++)
        if (sc->roots & (1u << order[i]))
            sc->prio[sc->nprio++] = order[i];
}

cadre_expr *cadre_expr_compile_any(const char *src, size_t len,
                                   const cadre_scope *scope, const char *file,
                                   unsigned long line, const char *quote,
                                   cadre_diags *diags)
{
    char buf[80];
    compiler c;
    memset(&c, 0, sizeof c);
    c.src = src ? src : "";
    c.len = src ? len : 0;
    c.file = file;
    c.line = line;
    c.quote = quote ? quote : c.src;
    c.quote_len = quote ? strlen(quote) : c.len;
    c.diags = diags;
    c.scope = scope;
    c.x = calloc(1, sizeof *c.x);
    if (!c.x) {
        cadre_diags_error(diags, file, line, "out of memory");
        return NULL;
    }
    expr_lex_next(&c);
    uint32_t root = c.failed ? CADRE_ENONE : expr_parse_or(&c);
    if (root != CADRE_ENONE && !c.failed && c.tok.t != T_END) {
        if (c.tok.t == T_RP)
            expr_error(&c, "unbalanced parentheses: unexpected ')'");
        else
            expr_error(&c, "unexpected %s after the expression",
                expr_token_phrase(&c, buf, sizeof buf));
    }
    if (!c.failed) {
        sctx sc;
        expr_check_context(scope, &sc);
        uint32_t n = expr_check(&c, root, &sc);
        if (n != CADRE_ENONE)
            c.x->root = n;
    }
    free(c.ast);
    free(c.alist);
    if (c.failed) {
        cadre_expr_free(c.x);
        return NULL;
    }
    return c.x;
}

int cadre_expr_xtype(const cadre_expr *e)
{
    return e->nodes[e->root].type;
}

cadre_code_kind cadre_expr_code_kind(const cadre_expr *e)
{
    return (cadre_code_kind)e->nodes[e->root].kind;
}

bool cadre_expr_root_is_year(const cadre_expr *e)
{
    return (e->nodes[e->root].flags & NF_YEAR) != 0;
}

static int wrap_root(cadre_expr *e, int op, int type, int aux, int kind)
{
    if (e->n_nodes == e->cap_nodes) {
        uint32_t cap = e->cap_nodes * 2 + 1;
        cadre_enode *p = realloc(e->nodes, cap * sizeof *p);
        if (!p)
            return -1;
        e->nodes = p;
        e->cap_nodes = cap;
    }
    cadre_enode *n = &e->nodes[e->n_nodes];
    memset(n, 0, sizeof *n);
    n->op = (uint8_t)op;
    n->type = (uint8_t)type;
    n->aux = (uint8_t)aux;
    n->kind = (uint8_t)kind;
    n->a = e->root;
    n->b = n->c = CADRE_ENONE;
    e->root = e->n_nodes++;
    return 0;
}

int cadre_expr_root_gender(cadre_expr *e)
{
    return wrap_root(e, E_FIELD, X_CODE, F_CADRE_GENDER, CADRE_CODE_GENDER);
}

int cadre_expr_root_show(cadre_expr *e)
{
    return wrap_root(e, E_SHOW, X_STRING, 0, 0);
}

cadre_expr *cadre_expr_compile(const char *src, const cadre_scope *scope,
                               const char *file, unsigned long line,
                               cadre_diags *diags)
{
    size_t len = src ? strlen(src) : 0;
    cadre_expr *e = cadre_expr_compile_any(src, len, scope, file, line, NULL,
                                           diags);
    if (!e)
        return NULL;
    int t = cadre_expr_xtype(e);
    if (t == X_PARTICIPANT) {
        cadre_diags_error(diags, file, line,
                          "'%s' is a participant: name one of its fields, "
                          "such as participant.status", src);
        cadre_expr_free(e);
        return NULL;
    }
    if (xtype_is_record(t) && cadre_expr_root_show(e) != 0) {
        cadre_diags_error(diags, file, line, "out of memory");
        cadre_expr_free(e);
        return NULL;
    }
    return e;
}

cadre_vtype cadre_expr_type(const cadre_expr *e)
{
    int t = e->nodes[e->root].type;
    return xtype_is_record(t) ? CADRE_V_STRING : (cadre_vtype)t;
}

bool cadre_expr_is_year(const cadre_expr *e)
{
    return cadre_expr_root_is_year(e);
}

void cadre_expr_free(cadre_expr *e)
{
    if (!e)
        return;
    for (uint32_t i = 0; i < e->n_lits; i++)
        free(e->lits[i]);
    free(e->lits);
    free(e->nodes);
    free(e->args);
    free(e);
}

void cadre_env_init(cadre_env *env, const cadre_records *recs)
{
    memset(env, 0, sizeof *env);
    env->records = recs;
    env->within_unit = CADRE_NONE;
    env->within_course = CADRE_NONE;
}

/* ------------------------------------------------------------------ */
/* Evaluation.                                                         */

static void ev(const cadre_expr *x, uint32_t i, const cadre_env *env,
               cadre_value *out);
static bool evb(const cadre_expr *x, uint32_t i, const cadre_env *env);

static cadre_date as_of(const cadre_env *env)
{
    if (cadre_date_is_set(env->as_of))
        return env->as_of;
    return env->records ? env->records->as_of : (cadre_date){ 0, 0, 0 };
}

static const cadre_cadre *env_cadre(const cadre_env *env)
{
    if (env->cadre)
        return env->cadre;
    if (env->participant && env->records)
        return &env->records->cadres[env->participant->cadre];
    return NULL;
}

/* The record node `i` stands for, or NULL when none is bound. */
static const void *evo(const cadre_expr *x, uint32_t i, const cadre_env *env)
{
    const cadre_enode *n = &x->nodes[i];
    const cadre_records *r = env->records;
    if (n->op == E_ROOT) {
        switch (n->aux) {
        case X_CADRE:
            return env_cadre(env);
        case X_UNIT: {
            if (env->unit)
                return env->unit;
            const cadre_cadre *c = env_cadre(env);
            return c && r ? &r->units[c->unit] : NULL;
        }
        case X_COURSE:
            if (env->course)
                return env->course;
            if (env->participant && r)
                return &r->courses[env->participant->course];
            return NULL;
        default:
            return env->participant;
        }
    }
    /* E_NAV */
    const void *o = evo(x, n->a, env);
    if (!o || !r)
        return NULL;
    switch (n->aux) {
    case NAV_CADRE_UNIT:
        return &r->units[((const cadre_cadre *)o)->unit];
    case NAV_UNIT_PARENT: {
        uint32_t p = ((const cadre_unit *)o)->parent;
        return p == CADRE_NONE ? NULL : &r->units[p];
    }
    case NAV_PART_CADRE:
        return &r->cadres[((const cadre_participant *)o)->cadre];
    default:
        return &r->courses[((const cadre_participant *)o)->course];
    }
}

/* The code in a code field, or -1 for none. */
static int code_field(const void *o, int field)
{
    switch (field) {
    case F_CADRE_GENDER: return ((const cadre_cadre *)o)->gender;
    case F_CADRE_CATEGORY: return ((const cadre_cadre *)o)->category;
    case F_CADRE_EDUCATION: return ((const cadre_cadre *)o)->education;
    case F_CADRE_POLITICAL_THEORY:
        return ((const cadre_cadre *)o)->political_theory;
    case F_CADRE_STATE_MANAGEMENT:
        return ((const cadre_cadre *)o)->state_management;
    case F_UNIT_LEVEL: return ((const cadre_unit *)o)->level;
    case F_COURSE_TYPE: return ((const cadre_course *)o)->type;
    case F_COURSE_MODE: {
        int m = ((const cadre_course *)o)->mode;
        return m == CADRE_MODE_NONE ? -1 : m;
    }
    case F_PART_STATUS: return ((const cadre_participant *)o)->status;
    case F_PART_GRADE: {
        int g = ((const cadre_participant *)o)->grade;
        return g == CADRE_GRADE_NONE ? -1 : g;
    }
    }
    return -1;
}

static void set_null(cadre_value *v)
{
    v->type = CADRE_V_NULL;
    v->kind = 0;
    v->u.n = 0;
}

static void set_num(cadre_value *v, double n)
{
    v->type = CADRE_V_NUMBER;
    v->kind = 0;
    v->u.n = n;
}

static void set_str(cadre_value *v, const char *s)
{
    if (!s) {
        set_null(v);
        return;
    }
    v->type = CADRE_V_STRING;
    v->kind = 0;
    v->u.s = s;
}

static void set_date(cadre_value *v, cadre_date d)
{
    if (!cadre_date_is_set(d)) {
        set_null(v);
        return;
    }
    v->type = CADRE_V_DATE;
    v->kind = 0;
    v->u.d = d;
}

static void set_bool(cadre_value *v, bool b)
{
    v->type = CADRE_V_BOOL;
    v->kind = 0;
    v->u.b = b;
}

static const char *given_name(const char *full)
{
    const char *last = full;
    for (const char *p = full; *p; p++)
        if ((*p == ' ' || *p == '\t') && p[1] && p[1] != ' ')
            last = p + 1;
    return last;
}

static uint32_t course_completed(const cadre_records *r, const cadre_course *c)
{
    uint32_t k = 0;
    for (uint32_t i = 0; i < c->count; i++)
        if (r->participants[c->first + i].status == CADRE_STATUS_COMPLETED)
            k++;
    return k;
}

static void field(const cadre_enode *n, const void *o, const cadre_env *env,
                  cadre_value *out)
{
    const cadre_cadre *c = o;
    const cadre_unit *u = o;
    const cadre_course *k = o;
    const cadre_participant *p = o;
    if (!o) {
        set_null(out);
        return;
    }
    if (n->type == X_CODE) {
        int code = code_field(o, n->aux);
        if (code < 0) {
            set_null(out);
        } else {
            out->type = CADRE_V_CODE;
            out->kind = (cadre_code_kind)n->kind;
            out->u.code = code;
        }
        return;
    }
    switch (n->aux) {
    case F_CADRE_ID: set_str(out, c->id); return;
    case F_CADRE_FULL_NAME: set_str(out, c->full_name); return;
    case F_CADRE_GIVEN_NAME:
        set_str(out, c->full_name ? given_name(c->full_name) : NULL);
        return;
    case F_CADRE_BIRTH_DATE: set_date(out, c->birth); return;
    case F_CADRE_BIRTH_YEAR:
        if (cadre_date_is_set(c->birth))
            set_num(out, c->birth.year);
        else
            set_null(out);
        return;
    case F_CADRE_AGE: {
        int age = cadre_date_age(c->birth, as_of(env));
        if (age < 0)
            set_null(out);
        else
            set_num(out, age);
        return;
    }
    case F_CADRE_ETHNICITY: set_str(out, c->ethnicity); return;
    case F_CADRE_MINORITY: set_bool(out, cadre_cadre_is_minority(c)); return;
    case F_CADRE_POSITION: set_str(out, c->position); return;
    case F_CADRE_PARTY_MEMBER: set_bool(out, c->party_member); return;
    case F_CADRE_PARTY_SINCE: set_date(out, c->party_since); return;
    case F_CADRE_LEADER: set_bool(out, c->leader); return;
    case F_UNIT_ID: set_str(out, u->id); return;
    case F_UNIT_NAME: set_str(out, u->name); return;
    case F_COURSE_ID: set_str(out, k->id); return;
    case F_COURSE_START: set_date(out, k->start); return;
    case F_COURSE_END: set_date(out, k->end); return;
    case F_COURSE_TITLE: set_str(out, k->title); return;
    case F_COURSE_ORGANIZER: set_str(out, k->organizer); return;
    case F_COURSE_LOCATION: set_str(out, k->location); return;
    case F_COURSE_SIGNER: set_str(out, k->signer); return;
    case F_COURSE_SIGNER_TITLE: set_str(out, k->signer_title); return;
    case F_COURSE_GOVERNING_BODY: set_str(out, k->governing_body); return;
    case F_COURSE_PARTICIPANTS: set_num(out, k->count); return;
    case F_COURSE_COMPLETED:
        if (env->records)
            set_num(out, course_completed(env->records, k));
        else
            set_null(out);
        return;
    case F_PART_SCORE:
        if (p->has_score)
            set_num(out, p->score_hundredths / 100.0);
        else
            set_null(out);
        return;
    case F_PART_CERTIFICATE_NO: set_str(out, p->certificate_no); return;
    case F_PART_ISSUED: set_date(out, p->issued); return;
    }
    set_null(out);
}

/* Rank of a code: a smaller index is a higher level. */
static int code_order(int a, int b)
{
    return a < b ? 1 : a > b ? -1 : 0;
}

static bool apply_op(int op, int order)
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

/* Compare two values: 0 when they cannot be compared (different types,
 * a null), else 1 with the order in *order. */
static int compare_values(const cadre_value *a, const cadre_value *b,
                          bool need_order, int *order)
{
    if (a->type != b->type || a->type == CADRE_V_NULL)
        return 0;
    switch (a->type) {
    case CADRE_V_BOOL:
        *order = (int)a->u.b - (int)b->u.b;
        return 1;
    case CADRE_V_NUMBER:
        *order = a->u.n < b->u.n ? -1 : a->u.n > b->u.n ? 1 : 0;
        return 1;
    case CADRE_V_STRING:
        if (!need_order) {
            *order = strcmp(a->u.s, b->u.s) != 0;
            return 1;
        }
        *order = strcmp(a->u.s, b->u.s) == 0
                     ? 0
                     : cadre_name_compare(a->u.s, b->u.s);
        if (*order == 0)
            *order = strcmp(a->u.s, b->u.s);
        return 1;
    case CADRE_V_DATE:
        *order = cadre_date_compare(a->u.d, b->u.d);
        return 1;
    case CADRE_V_CODE:
        if (a->kind != b->kind)
            return 0;
        *order = code_order(a->u.code, b->u.code);
        return 1;
    default:
        return 0;
    }
}

/* a op b, with the rule for nulls: null = null, null != anything else,
 * and no order. */
static bool cmp_op(int op, const cadre_value *a, const cadre_value *b)
{
    int order;
    bool eq_only = op == OP_EQ || op == OP_NE;
    if (compare_values(a, b, !eq_only, &order))
        return apply_op(op, order);
    if (op == OP_EQ)
        return a->type == CADRE_V_NULL && b->type == CADRE_V_NULL;
    if (op == OP_NE)
        return !(a->type == CADRE_V_NULL && b->type == CADRE_V_NULL);
    return false;
}

static bool truthy(const cadre_value *v)
{
    switch (v->type) {
    case CADRE_V_NULL: return false;
    case CADRE_V_BOOL: return v->u.b;
    case CADRE_V_NUMBER: return v->u.n != 0;
    case CADRE_V_STRING: return v->u.s[0] != '\0';
    default: return true;
    }
}

static bool in_unit(const cadre_records *r, uint32_t u, uint32_t within)
{
    /* bounded: a parent cycle in bad records must not hang us */
    for (size_t steps = 0; u != CADRE_NONE && steps <= r->n_units; steps++) {
        if (u == within)
            return true;
        u = r->units[u].parent;
    }
    return false;
}

/* A code field tested against a set of codes: the hot path of rosters
 * (a cadre's or its unit's code), kept free of calls. */
static inline bool fcmp(const cadre_expr *x, const cadre_enode *n,
                        const cadre_env *env)
{
    const cadre_enode *on = &x->nodes[n->a];
    const void *o;
    if (on->op == E_ROOT && on->aux == X_CADRE && env->cadre)
        o = env->cadre;
    else if (on->op == E_ROOT && on->aux == X_UNIT && env->unit)
        o = env->unit;
    else if (on->op == E_ROOT && on->aux == X_UNIT && env->cadre &&
             env->records)
        o = &env->records->units[env->cadre->unit];
    else
        o = evo(x, n->a, env);
    if (!o)
        return n->aux;
    unsigned code = ((const uint8_t *)o)[n->c];
    return code < 32 ? (n->k.mask >> code) & 1u : n->aux;
}

static bool evb(const cadre_expr *x, uint32_t i, const cadre_env *env)
{
    const cadre_enode *n = &x->nodes[i];
    /* "a and b and c": a loop, with field tests inline (direct branches
     * predict better than the switch's jump table) */
    while (n->op == E_AND || n->op == E_OR) {
        const cadre_enode *l = &x->nodes[n->a];
        bool v = l->op == E_FCMP ? fcmp(x, l, env) : evb(x, n->a, env);
        if (v != (n->op == E_AND))
            return v;
        n = &x->nodes[n->b];
    }
    if (n->op == E_FCMP)
        return fcmp(x, n, env);
    switch (n->op) {
    case E_NOT:
        return !evb(x, n->a, env);
    case E_INMASK: {
        cadre_value v;
        ev(x, n->a, env, &v);
        if (v.type != CADRE_V_CODE || v.u.code < 0 || v.u.code >= 32)
            return n->aux;
        return (n->k.mask >> v.u.code) & 1u;
    }
    case E_CONST:
        if (n->type == X_BOOL)
            return n->k.b;
        break;
    default:
        break;
    }
    cadre_value v;
    ev(x, (uint32_t)(n - x->nodes), env, &v);
    return truthy(&v);
}

static void arith(const cadre_enode *n, const cadre_value *a,
                  const cadre_value *b, cadre_value *out)
{
    if (a->type == CADRE_V_NUMBER && b->type == CADRE_V_NUMBER) {
        double r;
        switch (n->aux) {
        case '+': r = a->u.n + b->u.n; break;
        case '-': r = a->u.n - b->u.n; break;
        case '*': r = a->u.n * b->u.n; break;
        default:
            if (b->u.n == 0) {
                set_null(out);
                return;
            }
            r = a->u.n / b->u.n;
            break;
        }
        set_num(out, r);
        return;
    }
    if (a->type == CADRE_V_DATE && b->type == CADRE_V_DATE && n->aux == '-') {
        set_num(out, (double)(cadre_date_days(a->u.d) -
                              cadre_date_days(b->u.d)));
        return;
    }
    const cadre_value *d = a, *k = b;
    if (a->type == CADRE_V_NUMBER && n->aux == '+') {
        d = b;
        k = a;
    }
    if (d->type == CADRE_V_DATE && k->type == CADRE_V_NUMBER &&
        (n->aux == '+' || (n->aux == '-' && d == a))) {
        /* Dates span years 1 to 9999, under 4 million days: a shift
         * beyond that leaves them, and converting or adding a larger one
         * would overflow (undefined behaviour). */
        if (!(k->u.n > -4e6 && k->u.n < 4e6)) {
            set_null(out);
            return;
        }
        long shift = (long)k->u.n;
        long days = cadre_date_days(d->u.d) + (n->aux == '+' ? shift : -shift);
        cadre_date r = cadre_date_from_days(days);
        if (r.year < 1 || r.year > 9999)
            set_null(out);
        else
            set_date(out, r);
        return;
    }
    set_null(out);
}

static void call(const cadre_expr *x, const cadre_enode *n,
                 const cadre_env *env, cadre_value *out)
{
    const uint32_t *args = x->args + n->b;
    cadre_value a, b;
    switch (n->aux) {
    case FN_RUNS_IN:
    case FN_ENDS_IN:
    case FN_STARTS_IN: {
        const cadre_course *c = evo(x, args[0], env);
        ev(x, args[1], env, &b);
        /* Years are 1..9999; beyond int the conversion is undefined. */
        if (!c || b.type != CADRE_V_NUMBER || !(b.u.n > -100000) ||
            !(b.u.n < 100000)) {
            set_bool(out, false);
            return;
        }
        int y = (int)b.u.n;
        if (n->aux == FN_RUNS_IN)
            set_bool(out, cadre_course_runs_in(c, y));
        else if (n->aux == FN_ENDS_IN)
            set_bool(out, c->end.year == y);
        else
            set_bool(out, c->start.year == y);
        return;
    }
    case FN_YEAR:
        ev(x, args[0], env, &a);
        if (a.type == CADRE_V_DATE)
            set_num(out, a.u.d.year);
        else
            set_null(out);
        return;
    case FN_AGE: {
        ev(x, args[0], env, &a);
        int age = a.type == CADRE_V_DATE ? cadre_date_age(a.u.d, as_of(env))
                                         : -1;
        if (age < 0)
            set_null(out);
        else
            set_num(out, age);
        return;
    }
    case FN_IF:
        ev(x, evb(x, args[0], env) ? args[1] : args[2], env, out);
        return;
    case FN_PERCENT:
        ev(x, args[0], env, &a);
        ev(x, args[1], env, &b);
        if (a.type != CADRE_V_NUMBER || b.type != CADRE_V_NUMBER ||
            b.u.n == 0)
            set_num(out, 0);
        else
            set_num(out, a.u.n / b.u.n * 100);
        return;
    case FN_HAS:
        ev(x, args[0], env, &a);
        set_bool(out, a.type != CADRE_V_NULL &&
                          !(a.type == CADRE_V_STRING && a.u.s[0] == '\0'));
        return;
    }
    set_null(out);
}

/* What an aggregate gathers while it walks. */
struct acc {
    double sum;        /* sum of values */
    size_t count;      /* items (count) or values (sum, avg) */
    cadre_value best;  /* min or max so far */
};

static void take(const cadre_expr *x, const cadre_enode *n,
                 const cadre_env *env, struct acc *acc)
{
    if (n->b == CADRE_ENONE) {
        acc->count++;
        return;
    }
    cadre_value v;
    ev(x, n->b, env, &v);
    if (v.type != CADRE_V_NUMBER && v.type != CADRE_V_DATE)
        return;
    if (n->aux == AGG_SUM || n->aux == AGG_AVG) {
        if (v.type == CADRE_V_NUMBER) {
            acc->sum += v.u.n;
            acc->count++;
        }
        return;
    }
    int order;
    if (acc->count == 0 || (compare_values(&v, &acc->best, true, &order) &&
                            (n->aux == AGG_MIN ? order < 0 : order > 0)))
        acc->best = v;
    acc->count++;
}

/* Whether a unit is within what env counts (within_unit, within_units). */
static bool unit_counts(const cadre_env *env, uint32_t u, uint32_t within)
{
    return (within == CADRE_NONE || in_unit(env->records, u, within)) &&
           (!env->within_units || env->within_units[u]);
}

static bool course_counts(const cadre_env *env, const cadre_course *k,
                          uint32_t within)
{
    const cadre_records *r = env->records;
    for (uint32_t i = 0; i < k->count; i++) {
        const cadre_participant *p = &r->participants[k->first + i];
        if (unit_counts(env, r->cadres[p->cadre].unit, within))
            return true;
    }
    return false;
}

/* people(): was cadre `ci` counted already?  Uses `seen` when it could be
 * allocated, else looks back over the matches before `upto`. */
static bool seen_before(const cadre_expr *x, const cadre_enode *n,
                        cadre_env *e, uint32_t ci, size_t from, size_t upto)
{
    const cadre_records *r = e->records;
    const cadre_participant *keep = e->participant;
    const cadre_course *keep_course = e->course;
    const cadre_cadre *keep_cadre = e->cadre;
    const cadre_unit *keep_unit = e->unit;
    bool found = false;
    for (size_t j = from; j < upto && !found; j++) {
        const cadre_participant *p = &r->participants[j];
        if (p->cadre != ci)
            continue;
        e->participant = p;
        e->course = &r->courses[p->course];
        e->cadre = &r->cadres[p->cadre];
        e->unit = &r->units[e->cadre->unit];
        found = n->a == CADRE_ENONE || evb(x, n->a, e);
    }
    e->participant = keep;
    e->course = keep_course;
    e->cadre = keep_cadre;
    e->unit = keep_unit;
    return found;
}

static void aggregate(const cadre_expr *x, const cadre_enode *n,
                      const cadre_env *env, cadre_value *out)
{
    const cadre_records *r = env->records;
    struct acc acc = { 0, 0, { .type = CADRE_V_NULL } };
    cadre_env e = *env;
    uint32_t wu = env->within_unit, wc = env->within_course;
    if (!r) {
        set_num(out, 0);
        return;
    }
    if (wu != CADRE_NONE && wu >= r->n_units)
        wu = CADRE_NONE;
    if (wc != CADRE_NONE && wc >= r->n_courses)
        wc = CADRE_NONE;
    switch (n->aux2) {
    case COLL_CADRES:
        for (size_t i = 0; i < r->n_cadres; i++) {
            const cadre_cadre *c = &r->cadres[i];
            if (!unit_counts(env, c->unit, wu))
                continue;
            e.cadre = c;
            e.unit = &r->units[c->unit];
            if (n->a == CADRE_ENONE || evb(x, n->a, &e))
                take(x, n, &e, &acc);
        }
        break;
    case COLL_PARTICIPANTS: {
        size_t lo = 0, hi = r->n_participants;
        uint8_t *seen = NULL;
        if (wc != CADRE_NONE) {
            lo = r->courses[wc].first;
            hi = lo + r->courses[wc].count;
        }
        if (n->aux == AGG_PEOPLE)
            seen = calloc(r->n_cadres / 8 + 1, 1);
        for (size_t i = lo; i < hi; i++) {
            const cadre_participant *p = &r->participants[i];
            const cadre_cadre *c = &r->cadres[p->cadre];
            if (!unit_counts(env, c->unit, wu))
                continue;
            e.participant = p;
            e.course = &r->courses[p->course];
            e.cadre = c;
            e.unit = &r->units[c->unit];
            if (n->a != CADRE_ENONE && !evb(x, n->a, &e))
                continue;
            if (n->aux == AGG_PEOPLE) {
                if (seen) {
                    if (seen[p->cadre / 8] & (1u << (p->cadre % 8)))
                        continue;
                    seen[p->cadre / 8] |= (uint8_t)(1u << (p->cadre % 8));
                } else if (seen_before(x, n, &e, p->cadre, lo, i)) {
                    continue;
                }
            }
            take(x, n, &e, &acc);
        }
        free(seen);
        break;
    }
    case COLL_COURSES:
        for (size_t i = 0; i < r->n_courses; i++) {
            const cadre_course *k = &r->courses[i];
            if (wc != CADRE_NONE && i != wc)
                continue;
            if ((wu != CADRE_NONE || env->within_units) &&
                !course_counts(env, k, wu))
                continue;
            e.course = k;
            if (n->a == CADRE_ENONE || evb(x, n->a, &e))
                take(x, n, &e, &acc);
        }
        break;
    default:
        for (size_t i = 0; i < r->n_units; i++) {
            if (!unit_counts(env, (uint32_t)i, wu))
                continue;
            e.unit = &r->units[i];
            if (n->a == CADRE_ENONE || evb(x, n->a, &e))
                take(x, n, &e, &acc);
        }
        break;
    }
    switch (n->aux) {
    case AGG_COUNT:
    case AGG_PEOPLE:
        set_num(out, (double)acc.count);
        return;
    case AGG_SUM:
        set_num(out, acc.sum);
        return;
    case AGG_AVG:
        if (acc.count)
            set_num(out, acc.sum / (double)acc.count);
        else
            set_null(out);
        return;
    default:
        *out = acc.best;
        return;
    }
}

static void ev(const cadre_expr *x, uint32_t i, const cadre_env *env,
               cadre_value *out)
{
    const cadre_enode *n = &x->nodes[i];
    cadre_value a, b;
    switch (n->op) {
    case E_CONST:
        switch (n->type) {
        case X_BOOL: set_bool(out, n->k.b); return;
        case X_NUMBER: set_num(out, n->k.n); return;
        case X_STRING: set_str(out, n->k.s); return;
        case X_DATE: set_date(out, n->k.d); return;
        case X_CODE:
            out->type = CADRE_V_CODE;
            out->kind = (cadre_code_kind)n->kind;
            out->u.code = n->k.code;
            return;
        }
        set_null(out);
        return;
    case E_FIELD:
        field(n, evo(x, n->a, env), env, out);
        return;
    case E_SHOW: {
        const void *o = evo(x, n->a, env);
        if (!o) {
            set_null(out);
            return;
        }
        switch (x->nodes[n->a].type) {
        case X_CADRE: set_str(out, ((const cadre_cadre *)o)->full_name); return;
        case X_UNIT: set_str(out, ((const cadre_unit *)o)->name); return;
        case X_COURSE: set_str(out, ((const cadre_course *)o)->title); return;
        }
        set_null(out);
        return;
    }
    case E_GLOBAL:
        switch (n->aux) {
        case G_AS_OF: set_date(out, as_of(env)); return;
        case G_ISSUER: set_str(out, env->records ? env->records->issuer
                                                 : NULL); return;
        case G_PLACE: set_str(out, env->records ? env->records->place
                                                : NULL); return;
        case G_SIGNER: set_str(out, env->records ? env->records->signer
                                                 : NULL); return;
        case G_SIGNER_TITLE:
            set_str(out, env->records ? env->records->signer_title : NULL);
            return;
        default:
            if (env->year)
                set_num(out, env->year);
            else
                set_null(out);
            return;
        }
    case E_VAR:
        if (env->vars)
            *out = env->vars[n->k.code];
        else
            set_null(out);
        return;
    case E_FCMP:
    case E_AND:
    case E_OR:
    case E_NOT:
    case E_INMASK:
        set_bool(out, evb(x, i, env));
        return;
    case E_CMP:
        ev(x, n->a, env, &a);
        ev(x, n->b, env, &b);
        set_bool(out, cmp_op(n->aux, &a, &b));
        return;
    case E_IN: {
        bool found = false;
        ev(x, n->a, env, &a);
        if (a.type != CADRE_V_NULL) {
            for (uint32_t k = 0; k < n->c && !found; k++) {
                ev(x, x->args[n->b + k], env, &b);
                found = cmp_op(OP_EQ, &a, &b);
            }
        }
        set_bool(out, found != (n->aux != 0));
        return;
    }
    case E_NEG:
        ev(x, n->a, env, &a);
        if (a.type == CADRE_V_NUMBER)
            set_num(out, -a.u.n);
        else
            set_null(out);
        return;
    case E_ARITH:
        ev(x, n->a, env, &a);
        ev(x, n->b, env, &b);
        arith(n, &a, &b, out);
        return;
    case E_CALL:
        call(x, n, env, out);
        return;
    case E_AGG:
        if (env->aggs && env->aggs->value(env->aggs->data, x, i, out))
            return;
        aggregate(x, n, env, out);
        return;
    default:
        set_null(out); /* a record where a value is wanted: cannot happen */
        return;
    }
}

void cadre_expr_eval(const cadre_expr *e, const cadre_env *env,
                     cadre_value *out)
{
    ev(e, e->root, env, out);
}

bool cadre_expr_test(const cadre_expr *e, const cadre_env *env)
{
    return evb(e, e->root, env);
}

unsigned cadre_expr_uses(const cadre_expr *e)
{
    static const unsigned bit[] = {
        [G_AS_OF] = CADRE_USES_AS_OF, [G_ISSUER] = CADRE_USES_ISSUER,
        [G_PLACE] = CADRE_USES_PLACE, [G_SIGNER] = CADRE_USES_SIGNER,
        [G_SIGNER_TITLE] = CADRE_USES_SIGNER_TITLE, [G_YEAR] = 0,
    };
    unsigned uses = 0;
    for (uint32_t i = 0; i < e->n_nodes; i++)
        if (e->nodes[i].op == E_GLOBAL && e->nodes[i].aux <= G_YEAR)
            uses |= bit[e->nodes[i].aux];
    return uses;
}

size_t cadre_expr_aggs(const cadre_expr *e, uint32_t *ids, size_t max)
{
    size_t n = 0;
    for (uint32_t i = 0; i < e->n_nodes; i++) {
        if (e->nodes[i].op != E_AGG)
            continue;
        if (n < max)
            ids[n] = i;
        n++;
    }
    return n;
}
