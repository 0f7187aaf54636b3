/*
 * expr_parse.c - the parser: tokens into a syntax tree (struct anode,
 * expr_compile.h) by recursive descent, from the loosest operator ('or')
 * to the tightest.
 */
#include <stdio.h>
#include <string.h>

#include "cadre/i18n.h"
#include "expr_compile.h"
#include "util/grow.h"

const char *const expr_agg_names[] = {
    [AGG_COUNT] = "count", [AGG_PEOPLE] = "people", [AGG_SUM] = "sum",
    [AGG_AVG] = "avg", [AGG_MIN] = "min", [AGG_MAX] = "max",
};

const char *const expr_coll_names[] = {
    [COLL_CADRES] = "cadres", [COLL_PARTICIPANTS] = "participants",
    [COLL_COURSES] = "courses", [COLL_UNITS] = "units",
};

/* ------------------------------------------------------------------ */
/* Parsing into the syntax tree.                                       */

static uint32_t anew(compiler *c, enum akind kind)
{
    if (!GROW(c->ast, c->cap_ast, c->n_ast + 1)) {
        expr_oom(c);
        return CADRE_ENONE;
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
    if (!GROW(c->alist, c->cap_alist, c->n_alist + 1)) {
        expr_oom(c);
        return -1;
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

static const char *token_phrase(compiler *c, char *buf, size_t size)
{
    if (c->tok.t == T_END)
        return cadre_gettext("the end");
    snprintf(buf, size, "'%.*s'", (int)(c->tok.len > 60 ? 60 : c->tok.len),
             c->src + c->tok.start);
    return buf;
}

static uint32_t parse_or(compiler *c);

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
                token_phrase(c, buf, sizeof buf));
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
            token_phrase(c, buf, sizeof buf));
        return CADRE_ENONE;
    }
    c->ast[n].op2 = (uint8_t)coll;
    expr_lex_next(c);
    uint32_t where = CADRE_ENONE, value = CADRE_ENONE;
    if (c->tok.t == T_WHERE) {
        expr_lex_next(c);
        where = parse_or(c);
        if (where == CADRE_ENONE)
            return CADRE_ENONE;
    }
    unsigned nargs = 1;
    if (c->tok.t == T_COMMA) {
        expr_lex_next(c);
        value = parse_or(c);
        if (value == CADRE_ENONE)
            return CADRE_ENONE;
        nargs++;
        while (c->tok.t == T_COMMA && !c->failed) {
            expr_lex_next(c);
            if (parse_or(c) == CADRE_ENONE)
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
        uint32_t inner = parse_or(c);
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
                uint32_t arg = parse_or(c);
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
        expr_error(c, "unexpected %s", token_phrase(c, buf, sizeof buf));
        return CADRE_ENONE;
    default:
        expr_error(c, "expected a value, found %s",
                   token_phrase(c, buf, sizeof buf));
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
            token_phrase(c, buf, sizeof buf));
        return CADRE_ENONE;
    }
    expr_lex_next(c);
    uint32_t items[64];
    uint32_t count = 0;
    for (;;) {
        uint32_t item = parse_or(c);
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

static uint32_t parse_or(compiler *c)
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

uint32_t expr_parse(compiler *c)
{
    char buf[80];
    expr_lex_next(c);
    uint32_t root = c->failed ? CADRE_ENONE : parse_or(c);
    if (root != CADRE_ENONE && !c->failed && c->tok.t != T_END) {
        if (c->tok.t == T_RP)
            expr_error(c, "unbalanced parentheses: unexpected ')'");
        else
            expr_error(c, "unexpected %s after the expression",
                       token_phrase(c, buf, sizeof buf));
    }
    return root;
}
