/*
 * roster.h - Excel rosters and statistics sheets from roster templates.
 *
 * A roster template (docs/roster.md) is an XML file of sheets: a title
 * block, columns whose values are text templates of the expression
 * language ("{cadre.birth-date}"), filters, grouping with heading and
 * "Cộng" rows, totals, and statistics sheets whose counts are COUNTIFS
 * formulas over a cadre sheet, stored with their computed values.  The
 * writer streams rows through libxlsxwriter's constant_memory mode, so a
 * province of cadres costs little more memory than its records.
 *
 *     cadre_roster *r = cadre_roster_load("templates/roster/statistics.xml",
 *                                         &diags);
 *     cadre_roster_options opt;
 *     cadre_roster_options_init(&opt);
 *     if (r) err = cadre_roster_write(r, recs, &opt, "out.xlsx", &diags);
 *     cadre_roster_free(r);
 *
 * Every function reports problems as diagnostics (a template's with its
 * file and line) and returns a cadre_error; none prints.
 *
 * Threads: a roster template and a roster being written belong to one
 * thread at a time; the records they read may be shared, and separate
 * rosters may be written on separate threads.
 */
#ifndef CADRE_ROSTER_H
#define CADRE_ROSTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "cadre/error.h"
#include "cadre/records.h"

/* A compiled roster template: read-only once loaded, reusable for any
 * number of workbooks and records. */
typedef struct cadre_roster cadre_roster;

/* What to put in a workbook beyond what the template says. */
typedef struct cadre_roster_options {
    const char *const *courses; /* course ids: "participants" sheets list
                                   these courses' participants (required
                                   by such sheets unless `participants`
                                   is given); borrowed */
    size_t n_courses;
    const char *const *units;   /* unit ids: every sheet keeps only the
                                   cadres of these units and the units
                                   below them; none: every unit; borrowed */
    size_t n_units;
    const uint32_t *participants; /* when not NULL, "participants" sheets
                                     list exactly these participants
                                     (indices into recs->participants, in
                                     this order unless the sheet sorts);
                                     for cadre-cert's register; borrowed */
    size_t n_participants;
    cadre_date as_of;           /* the day ages and "Tính đến ngày" are
                                   for; unset: the records' as-of, or
                                   today */
    time_t created;             /* document creation time; 0: from
                                   SOURCE_DATE_EPOCH, else now */
    uint32_t max_rows;          /* rows per sheet before a roster
                                   continues on a new sheet; 0: Excel's
                                   1,048,576 (smaller only for tests) */
} cadre_roster_options;

/* Fill `opt` with the defaults: no course, every unit, as-of from the
 * records, creation time from SOURCE_DATE_EPOCH. */
void cadre_roster_options_init(cadre_roster_options *opt);

/* Read and compile the roster template at `path` (root element
 * <roster>).  Every error found goes to `diags` with the template's file
 * and line; returns NULL then.  `path` is borrowed.  Caller owns the
 * result; free with cadre_roster_free(). */
cadre_roster *cadre_roster_load(const char *path, cadre_diags *diags);

/* The shipped template for a kind of roster: "course" (participants of
 * courses), "cadres" (cadres by unit), "statistics" (cadres by unit and
 * the quantity-and-quality sheet counting them), "register" (cadre-cert's
 * certificate register).  Returns a new path (found with cadre_data_find()), or NULL when it is
 * not installed.  Caller owns the result; free with free(). */
char *cadre_roster_find_shipped(const char *kind);

/* True when the template has a sheet of participants (it needs courses
 * or participants in the options). */
bool cadre_roster_wants_courses(const cadre_roster *r);

/* Write the workbook for `recs` (finished, valid records) to `path`,
 * through a temporary file renamed at the end: on any failure nothing is
 * left at `path`.  Returns CADRE_OK; CADRE_ENOTFOUND for an unknown course
 * or unit id, CADRE_EINVALID when the template cannot apply (a
 * participants sheet without courses), CADRE_EIO when the file cannot be
 * written, CADRE_EXLSX when libxlsxwriter fails, CADRE_ENOMEM; each with a
 * message in `diags`.  Text longer than a cell holds (32,767 characters)
 * is cut with a warning.  Everything is borrowed. */
cadre_error cadre_roster_write(const cadre_roster *r,
                               const cadre_records *recs,
                               const cadre_roster_options *opt,
                               const char *path, cadre_diags *diags);

/* Free a template.  NULL is allowed. */
void cadre_roster_free(cadre_roster *r);

#endif
