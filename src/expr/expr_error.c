/*
 * expr_error.c - how the messages of the expression compiler and of the
 * text templates read: the subject quoted after the message, types named
 * in words.  At the bottom of src/expr: every stage reports through it,
 * and it calls none of them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cadre/i18n.h"
#include "expr_compile.h"

#define QUOTE_MAX 160  /* longest subject quoted in a message, in bytes */

void expr_report(cadre_diags *diags, const char *file, unsigned long line,
                 const char *quote, size_t qlen, const char *msg)
{
    const char *ell = "";
    if (qlen > QUOTE_MAX) {
        qlen = QUOTE_MAX;
        while (qlen > 0 && ((unsigned char)quote[qlen] & 0xC0) == 0x80)
            qlen--; /* never cut a character in two */
        ell = "...";
    }
    cadre_diags_error(diags, file, line, "%s in '%.*s%s'", msg, (int)qlen,
                      quote, ell);
}

void expr_error(compiler *c, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    if (c->failed)
        return;
    c->failed = true;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, cadre_gettext(fmt), ap);
    va_end(ap);
    expr_report(c->diags, c->file, c->line, c->quote, c->quote_len, msg);
}

void expr_oom(compiler *c)
{
    expr_error(c, "out of memory");
}

const char *expr_xtype_phrase(int xtype, int kind, char *buf, size_t size)
{
    switch (xtype) {
    case X_ANY: return cadre_gettext("a value");
    case X_BOOL: return cadre_gettext("true/false");
    case X_NUMBER: return cadre_gettext("a number");
    case X_STRING: return cadre_gettext("a text");
    case X_DATE: return cadre_gettext("a date");
    case X_CODE: {
        const char *k = cadre_code_kind_name((cadre_code_kind)kind);
        bool vowel = k && strchr("aeiou", k[0]) != NULL;
        snprintf(buf, size,
                 vowel ? cadre_gettext("an %s code")
                       : cadre_gettext("a %s code"),
                 k ? k : "?");
        return buf;
    }
    case X_CADRE: return cadre_gettext("a cadre");
    case X_UNIT: return cadre_gettext("a unit");
    case X_COURSE: return cadre_gettext("a course");
    case X_PARTICIPANT: return cadre_gettext("a participant");
    }
    return cadre_gettext("a value");
}
