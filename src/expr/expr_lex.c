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
