/*
 * expr_lex.c - the lexer: an expression's source cut into tokens, one at
 * a time as the parser asks for them (expr_compile.h).
 */
#include <stdbool.h>
#include <string.h>

#include "expr_compile.h"

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
/* Lexing.                                                             */

static struct {
    const char *word;
    enum tok t;
} const keywords[] = {
    { "and", T_AND }, { "or", T_OR }, { "not", T_NOT }, { "in", T_IN },
    { "where", T_WHERE }, { "true", T_TRUE }, { "false", T_FALSE },
};

/* A number or a date ("2019-07-05") starting at s[i]; returns where it
 * ends.  Digits run into a name ("12a", "2018-1x") are an error: a
 * subtraction written without spaces is the likely mistake. */
static size_t lex_number(compiler *c, size_t i)
{
    const char *s = c->src;
    size_t n = c->len, j = i + 1;
    struct token *t = &c->tok;
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
            expr_error(c, "invalid date '%s'", buf);
            t->t = T_BAD;
            return j;
        } else {
            t->t = T_DATE;
        }
    } else {
        if (j + 1 < n && s[j] == '.' &&
            is_digit((unsigned char)s[j + 1])) {
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
        if (memchr(s + i, '-', j - i))
            expr_error(c, "bad number '%.*s' (put spaces around '-' to "
                       "subtract)", (int)(j - i), s + i);
        else
            expr_error(c, "bad number '%.*s'", (int)(j - i), s + i);
        t->t = T_BAD;
    }
    return j;
}

/* A name, dotted ("cadre.unit.name"), or a keyword, starting at s[i]. */
static size_t lex_name(compiler *c, size_t i)
{
    const char *s = c->src;
    size_t n = c->len, j = i + 1;
    for (;;) {
        while (j < n && is_name_char((unsigned char)s[j]))
            j++;
        if (j + 1 < n && s[j] == '.' &&
            is_name_start((unsigned char)s[j + 1]))
            j++;
        else
            break;
    }
    c->tok.t = T_NAME;
    for (size_t k = 0; k < sizeof keywords / sizeof keywords[0]; k++)
        if (strlen(keywords[k].word) == j - i &&
            memcmp(keywords[k].word, s + i, j - i) == 0)
            c->tok.t = keywords[k].t;
    return j;
}

/* A string in either quote starting at s[i], quotes included: there
 * are no escapes (the other quote writes one). */
static size_t lex_string(compiler *c, size_t i)
{
    const char *s = c->src;
    size_t n = c->len, j = i + 1;
    while (j < n && s[j] != s[i])
        j++;
    if (j >= n) {
        expr_error(c, "unterminated string");
        c->tok.t = T_BAD;
        return n;
    }
    c->tok.t = T_STR;
    return j + 1;
}

/* An operator or punctuation starting at s[i]; anything else is an
 * error. */
static size_t lex_operator(compiler *c, size_t i)
{
    const char *s = c->src;
    size_t n = c->len, j = i + 1;
    struct token *t = &c->tok;
    switch (s[i]) {
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
        expr_error(c, "unexpected character '%.*s'", (int)(j - i), s + i);
    }
    return j;
}

void expr_lex_next(compiler *c)
{
    const char *s = c->src;
    size_t i = c->pos, n = c->len, j;
    struct token *t = &c->tok;

    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
                     s[i] == '\r'))
        i++;
    t->start = i;
    t->t = T_BAD;
    unsigned char ch = i < n ? (unsigned char)s[i] : 0;
    if (i >= n) {
        t->t = T_END;
        j = i;
    } else if (is_digit(ch)) {
        j = lex_number(c, i);
    } else if (is_name_start(ch)) {
        j = lex_name(c, i);
    } else if (ch == '"' || ch == '\'') {
        j = lex_string(c, i);
    } else {
        j = lex_operator(c, i);
    }
    t->len = j - i;
    c->pos = j;
}
