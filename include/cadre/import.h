/*
 * import.h - the spreadsheets offices keep (XLSX, ODS, XLS, CSV) turned
 * into records (docs/import.md is the contract).
 *
 * An import reads one or more files as one table, through an import
 * template (templates/import/cadres.xml, participants.xml) that holds the
 * heading synonyms and value labels, and writes a records file that every
 * other tool reads.  The format of each file is recognised by content;
 * sheets are streamed (libxml2 over libzip: its SAX2 parser for XLSX,
 * its text reader for ODS; libfreexl; a CSV reader of our own), never
 * held whole.  Nothing is written unless
 * every file read without an error.
 *
 *     cadre_import_options o;
 *     cadre_import_options_init(&o);
 *     o.tmpl = "cadres";
 *     cadre_error err = cadre_import_run(&o, files, n, "out.xml", &diags);
 *     cadre_diags_print(&diags, "cadre-import", stderr);
 *
 * Threads: one import belongs to one thread; imports on separate threads
 * are independent (the folding tables and the C locale for numbers are
 * made once in the process, under pthread_once).
 */
#ifndef CADRE_IMPORT_H
#define CADRE_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "cadre/date.h"
#include "cadre/error.h"

/* The encoding of CSV files (--encoding); the spreadsheet formats say
 * their own. */
typedef enum cadre_import_encoding {
    CADRE_IMPORT_AUTO = 0, /* UTF-8 (with or without BOM), UTF-16 with BOM */
    CADRE_IMPORT_UTF8,
    CADRE_IMPORT_UTF16,    /* with or without BOM; little-endian without */
    CADRE_IMPORT_CP1258,   /* Windows-1258 (tones as combining marks) */
    CADRE_IMPORT_TCVN3,    /* TCVN 5712:1993 VN3 (ABC) */
    CADRE_IMPORT_VNI       /* VNI Windows */
} cadre_import_encoding;

typedef struct cadre_import_options {
    const char *tmpl;      /* "cadres" (default), "participants", or the
                              path of a template file */
    const char *sheet;     /* the sheet to read, or NULL for the first */
    const char *units;     /* records file whose units names are matched
                              to, or NULL: units made from the names */
    const char *course;    /* participants: the course id */
    const char *const *records; /* participants: the records files */
    size_t n_records;
    cadre_date as_of;      /* root as-of, or unset: from the title block */
    const char *issuer;    /* root issuer, or NULL */
    const char *place;     /* root place, or NULL: from the footer */
    cadre_import_encoding encoding; /* CSV files */
} cadre_import_options;

/* Set every option to its default. */
void cadre_import_options_init(cadre_import_options *o);

/* The failure classes of cadre_import_run(), for the exit status. */
typedef enum cadre_import_status {
    CADRE_IMPORT_OK = 0,
    CADRE_IMPORT_DATA = 1,       /* something wrong in the data */
    CADRE_IMPORT_UNREADABLE = 2  /* a file that cannot be read as a
                                    spreadsheet (or is refused), a
                                    missing sheet, an unreadable template */
} cadre_import_status;

/* Read `files` (n of them, as one table in order) with the options in
 * `o` and write the records to `out`, atomically (files.h), only when
 * nothing is wrong.  Errors and warnings go to `diags`, located as
 * "FILE:SHEET!F12" (CSV "FILE:12:6", line and field).  Returns CADRE_OK
 * or the first failure; *status (if not NULL) receives its class.  Every
 * argument is borrowed. */
cadre_error cadre_import_run(const cadre_import_options *o,
                             const char *const *files, size_t n,
                             const char *out, cadre_diags *diags,
                             cadre_import_status *status);

/* Find a shipped import template by name ("cadres"), as
 * cadre_data_find("templates/import/NAME.xml").  Caller owns the result;
 * free with free().  NULL when there is none. */
char *cadre_import_find_shipped(const char *name);

/* Read one file's rows and discard them, through the same readers as
 * cadre_import_run(): for fuzzing and for measuring the readers alone.
 * Returns the number of non-empty rows read, or -1 after adding errors to
 * `diags`.  `sheet` may be NULL. */
long cadre_import_scan(const char *path, const char *sheet,
                       cadre_import_encoding encoding, cadre_diags *diags);

#endif
