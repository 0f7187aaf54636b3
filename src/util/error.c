/* error.c - error strings and the diagnostics list. */
#include <stdlib.h>
#include <string.h>

#include "cadre/error.h"
#include "cadre/i18n.h"
#include "grow.h"
#include "strmap.h"

/* How many errors and warnings were added about each file. */
typedef struct file_tally {
    char *name;      /* owned */
    size_t errors;   /* errors added about it */
    size_t warnings; /* warnings added about it */
} file_tally;

struct cadre_diags_files {
    strmap index;     /* name -> index in tallies */
    file_tally *tallies;
    size_t n, cap;
};

static void files_free(struct cadre_diags_files *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n; i++)
        free(f->tallies[i].name);
    free(f->tallies);
    strmap_release(&f->index);
    free(f);
}

/* The tally of `file`, made on first use; NULL when out of memory. */
static file_tally *tally_of(cadre_diags *diags, const char *file)
{
    struct cadre_diags_files *f = diags->files;
    uint32_t i;
    if (f && f->n && strcmp(f->tallies[f->n - 1].name, file) == 0)
        return &f->tallies[f->n - 1]; /* messages come a file at a time */
    if (f && strmap_get(&f->index, file, &i))
        return &f->tallies[i];
    if (!f && !(f = diags->files = calloc(1, sizeof *f)))
        return NULL;
    char *name = strdup(file);
    if (!name || !GROW(f->tallies, f->cap, f->n + 1)) {
        free(name);
        return NULL;
    }
    /* the map borrows names: grown tallies keep the same strings */
    if (strmap_put(&f->index, name, (uint32_t)f->n, NULL) < 0) {
        free(name);
        return NULL;
    }
    f->tallies[f->n] = (file_tally){name, 0, 0};
    return &f->tallies[f->n++];
}

bool cadre_diags_full(const cadre_diags *diags, const char *file)
{
    if (!diags || !diags->files || !file)
        return false;
    uint32_t i;
    return strmap_get(&diags->files->index, file, &i) &&
           diags->files->tallies[i].errors > CADRE_DIAGS_PER_FILE;
}

static const char *const error_names[CADRE_ERROR_COUNT] = {
    [CADRE_OK] = CADRE_N_("success"),
    [CADRE_ENOMEM] = CADRE_N_("out of memory"),
    [CADRE_EIO] = CADRE_N_("cannot read or write a file"),
    [CADRE_EPARSE] = CADRE_N_("malformed XML"),
    [CADRE_EINVALID] = CADRE_N_("invalid data"),
    [CADRE_ELIMIT] = CADRE_N_("input exceeds a safety limit"),
    [CADRE_EFONT] = CADRE_N_("no usable font"),
    [CADRE_EIMAGE] = CADRE_N_("unusable image"),
    [CADRE_EPDF] = CADRE_N_("PDF writer failed"),
    [CADRE_EXLSX] = CADRE_N_("XLSX writer failed"),
    [CADRE_ENOTFOUND] = CADRE_N_("not found"),
};

const char *cadre_strerror(cadre_error err)
{
    if ((unsigned)err >= CADRE_ERROR_COUNT || !error_names[err])
        return cadre_gettext("unknown error");
    return cadre_gettext(error_names[err]);
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
    files_free(diags->files);
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
    /* The per-file caps: the message after the last one kept says so. */
    file_tally *t = file && severity != CADRE_SEV_NOTE ? tally_of(diags, file)
                                                       : NULL;
    size_t *seen = !t ? NULL : severity == CADRE_SEV_ERROR ? &t->errors
                                                          : &t->warnings;
    if (seen && ++*seen > CADRE_DIAGS_PER_FILE) {
        if (*seen > CADRE_DIAGS_PER_FILE + 1)
            goto drop;
        fmt = severity == CADRE_SEV_ERROR
                  ? "too many errors, giving up on this file"
                  : "too many warnings, not showing more for this file";
    }
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
                    d->severity == CADRE_SEV_ERROR
                        ? "" : cadre_gettext("warning: "),
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
