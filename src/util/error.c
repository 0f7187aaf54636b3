/* error.c - error strings and the diagnostics list. */
#include <stdlib.h>
#include <string.h>

#include "cadre/error.h"
#include "cadre/i18n.h"
#include "grow.h"

static const char *const error_names[CADRE_ERROR_COUNT] = {
    [CADRE_OK] = "success",
    [CADRE_ENOMEM] = "out of memory",
    [CADRE_EIO] = "cannot read or write a file",
    [CADRE_EPARSE] = "malformed XML",
    [CADRE_EINVALID] = "invalid data",
    [CADRE_ELIMIT] = "input exceeds a safety limit",
    [CADRE_EFONT] = "no usable font",
    [CADRE_EIMAGE] = "unusable image",
    [CADRE_EPDF] = "PDF writer failed",
    [CADRE_EXLSX] = "XLSX writer failed",
    [CADRE_ENOTFOUND] = "not found",
};

const char *cadre_strerror(cadre_error err)
{
    if ((unsigned)err >= CADRE_ERROR_COUNT || !error_names[err])
        return "unknown error";
    return error_names[err];
}

void cadre_diags_init(cadre_diags *diags, size_t max)
{
    memset(diags, 0, sizeof *diags);
    diags->max = max;
}

void cadre_diags_release(cadre_diags *diags)
{
    for (size_t i = 0; i < diags->count; i++) {
        free(diags->items[i].file);
        free(diags->items[i].message);
    }
    free(diags->items);
    cadre_diags_init(diags, diags->max);
}

void cadre_diags_vadd(cadre_diags *diags, cadre_severity severity,
                      const char *file, unsigned long line, const char *fmt,
                      va_list ap)
{
    if (!diags)
        return;
    if (severity == CADRE_SEV_ERROR)
        diags->errors++;
    if (diags->max && diags->count >= diags->max)
        goto drop;
    if (!GROW(diags->items, diags->cap, diags->count + 1))
        goto drop;
    fmt = cadre_gettext(fmt); /* the user's language (i18n.h) */
    va_list copy;
    va_copy(copy, ap);
    int len = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    char *message = len >= 0 ? malloc((size_t)len + 1) : NULL;
    char *file_copy = file ? strdup(file) : NULL;
    if (!message || (file && !file_copy)) {
        free(message);
        free(file_copy);
        goto drop;
    }
    vsnprintf(message, (size_t)len + 1, fmt, ap);
    /* One message, one line: a value quoted from a file may hold a newline
     * or a tab, which would split the message; they become spaces. */
    for (char *c = message; *c; c++)
        if (*c == '\n' || *c == '\t' || *c == '\r')
            *c = ' ';
    diags->items[diags->count++] = (cadre_diag){
        .file = file_copy, .line = line, .severity = severity,
        .message = message};
    return;
drop:
    diags->dropped++;
}

void cadre_diags_add(cadre_diags *diags, cadre_severity severity,
                     const char *file, unsigned long line, const char *fmt,
                     ...)
{
    va_list ap;
    va_start(ap, fmt);
    cadre_diags_vadd(diags, severity, file, line, fmt, ap);
    va_end(ap);
}

void cadre_diags_error(cadre_diags *diags, const char *file,
                       unsigned long line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cadre_diags_vadd(diags, CADRE_SEV_ERROR, file, line, fmt, ap);
    va_end(ap);
}

static const char *const severity_names[] = {
    [CADRE_SEV_ERROR] = CADRE_N_("error"),
    [CADRE_SEV_WARNING] = CADRE_N_("warning"),
    [CADRE_SEV_NOTE] = CADRE_N_("note"),
};

void cadre_diags_print(const cadre_diags *diags, const char *prog, FILE *out)
{
    for (size_t i = 0; i < diags->count; i++) {
        const cadre_diag *d = &diags->items[i];
        if (!d->file) {
            fprintf(out, "%s: %s%s\n", prog,
                    d->severity == CADRE_SEV_ERROR ? "" : cadre_gettext("warning: "),
                    d->message);
            continue;
        }
        if (d->line)
            fprintf(out, "%s:%lu: ", d->file, d->line);
        else
            fprintf(out, "%s: ", d->file);
        fprintf(out, "%s: %s\n", cadre_gettext(severity_names[d->severity]),
                d->message);
    }
    if (diags->dropped)
        fprintf(out, cadre_gettext("(%zu more messages not shown)\n"),
                diags->dropped);
}
