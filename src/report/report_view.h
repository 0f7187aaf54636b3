/*
 * report_view.h (internal) - the records as a booklet made as of a day
 * reads them (report_view.c): the root values the options give over the
 * files' own, and only what had happened by that day (records.md,
 * "Semantics used by reports"): a course that starts after it is left
 * out with its participants, and a course that ends after it has no
 * results yet (a completion counts only when its course has ended).
 *
 *     records_view v;
 *     if (records_view_init(&v, recs, as_of, &opt) == 0) {
 *         ... v.recs ...
 *         records_view_release(&v);
 *     }
 *
 * Units and cadres are the records' own (borrowed); courses and
 * participants are copied only when a course reaches past the day.
 * cadre_records_find_course() must not be used on the view.
 */
#ifndef CADRE_REPORT_VIEW_H
#define CADRE_REPORT_VIEW_H

#include "cadre/records.h"
#include "cadre/report.h"

typedef struct records_view {
    cadre_records recs;               /* what the booklet reads */
    cadre_course *courses;            /* owned copies, or NULL */
    cadre_participant *participants;
    char *given[4];                   /* the options' root values, tidied
                                         as the records' are (owned) */
} records_view;

/* Make `v` show `recs` as of `day` (set), with the root values of `opt`
 * (those given) over the records'.  Returns CADRE_OK, CADRE_EINVALID for
 * an option's text that is not valid UTF-8 or holds a control character,
 * or CADRE_ENOMEM, with messages in `diags`; release `v` in any case.
 * `recs` is borrowed for the life of the view. */
cadre_error records_view_init(records_view *v, const cadre_records *recs,
                              cadre_date day, const cadre_report_options *opt,
                              cadre_diags *diags);

void records_view_release(records_view *v);

#endif
