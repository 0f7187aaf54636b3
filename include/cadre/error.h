/*
 * error.h - error codes and diagnostics shared by every cadrekit module.
 *
 * The library never prints and never exits.  A function that can fail
 * returns a cadre_error; when the failure is about the content of a file
 * (records, a template) it also appends diagnostics - file, line, message -
 * to a cadre_diags list that the tool prints in the compiler form
 * "file.xml:42: error: what is wrong".
 *
 *     cadre_diags diags;
 *     cadre_diags_init(&diags, 100);
 *     if (cadre_records_load(recs, "a.xml", &diags) != CADRE_OK)
 *         cadre_diags_print(&diags, "cadre-check", stderr);
 *     cadre_diags_release(&diags);
 */
#ifndef CADRE_ERROR_H
#define CADRE_ERROR_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef enum cadre_error {
    CADRE_OK = 0,
    CADRE_ENOMEM,   /* out of memory */
    CADRE_EIO,      /* a file could not be read or written */
    CADRE_EPARSE,   /* a file is not well-formed XML */
    CADRE_EINVALID, /* records or a template break the rules */
    CADRE_ELIMIT,   /* an input exceeds a safety limit */
    CADRE_EFONT,    /* no usable font */
    CADRE_EIMAGE,   /* an image could not be used */
    CADRE_EPDF,     /* libharu failed */
    CADRE_EXLSX,    /* libxlsxwriter failed */
    CADRE_ENOTFOUND,/* a named record or template does not exist */
    CADRE_ERROR_COUNT
} cadre_error;

/* A short phrase for `err` ("malformed XML"), in the user's language
 * (i18n.h); never NULL. */
const char *cadre_strerror(cadre_error err);

typedef enum cadre_severity {
    CADRE_SEV_ERROR,
    CADRE_SEV_WARNING,
    CADRE_SEV_NOTE
} cadre_severity;

/* One message about a place in a file. */
typedef struct cadre_diag {
    char *file;              /* file the message is about, or NULL */
    unsigned long line;      /* 1-based line, 0 when not about a line */
    cadre_severity severity; /* error, warning or note */
    char *message;           /* what is wrong, lower case, no final dot */
} cadre_diag;

/* Errors kept about one file: the 101st error about a file is kept as
 * "too many errors, giving up on this file" and later ones are counted
 * but not kept; likewise warnings, after "too many warnings, not showing
 * more for this file".  So a file with 2,500 bad references prints 101
 * lines, whichever module found them. */
#define CADRE_DIAGS_PER_FILE 100

/* A list of diagnostics, kept in the order they were found.  Not safe to
 * share between threads without a lock. */
typedef struct cadre_diags {
    cadre_diag *items; /* the messages kept */
    size_t count;      /* messages kept */
    size_t cap;        /* allocated slots */
    size_t max;        /* keep at most this many (0: no limit) */
    size_t dropped;    /* messages beyond max or the per-file caps,
                          counted but not kept */
    size_t errors;     /* errors added, kept or dropped */
    struct cadre_diags_files *files; /* messages per file, for the caps */
} cadre_diags;

/* Start an empty list keeping at most `max` messages (0 for no limit). */
void cadre_diags_init(cadre_diags *diags, size_t max);

/* Free every message; the list is empty and usable again. */
void cadre_diags_release(cadre_diags *diags);

/* Append a message; `file` is copied.  Out of memory, the message is
 * counted as dropped.  `diags` may be NULL: the message is then ignored. */
void cadre_diags_add(cadre_diags *diags, cadre_severity severity,
                     const char *file, unsigned long line,
                     const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void cadre_diags_vadd(cadre_diags *diags, cadre_severity severity,
                      const char *file, unsigned long line,
                      const char *fmt, va_list ap);

/* True when `file` has had its CADRE_DIAGS_PER_FILE errors: a reader may
 * stop reading it, since nothing more about it will be shown. */
bool cadre_diags_full(const cadre_diags *diags, const char *file);

/* Shorthand for an error. */
void cadre_diags_error(cadre_diags *diags, const char *file,
                       unsigned long line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Write every message to `out` as "file:line: error: message" (a message
 * about no file as "prog: message", git's form), then a line saying how
 * many were left out, if any ("(N more messages not shown)"). */
void cadre_diags_print(const cadre_diags *diags, const char *prog, FILE *out);

#endif
