/*
 * report.h - the annual statistics booklet (cadre-report): a booklet
 * template (docs/report.md) and the records give a PDF with a cover,
 * contents, key-figure sentences, tables per unit, training results,
 * courses of the year, charts and, when asked, one page per unit.
 *
 * Every count of the booklet is gathered first and computed in one pass
 * over the cadres and one over the participants, so the work grows with
 * the records once, not once per figure.
 *
 *     cadre_report *rep = cadre_report_load("templates/report/annual.xml",
 *                                           &diags);
 *     cadre_report_options opt = { .year = 2018 };
 *     if (rep && cadre_report_write(rep, recs, &opt, "out.pdf", &diags))
 *         cadre_diags_print(&diags, "cadre-report", stderr);
 *     cadre_report_free(rep);
 *
 * Threads: a booklet template and a booklet belong to one thread at a
 * time (they draw through pdf.h); the records they read may be shared.
 */
#ifndef CADRE_REPORT_H
#define CADRE_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "cadre/date.h"
#include "cadre/error.h"
#include "cadre/records.h"

typedef struct cadre_report cadre_report;

/* What a booklet is made for. */
typedef struct cadre_report_options {
    int year;                  /* the report's year ("year" in templates) */
    cadre_date as_of;          /* the day counts are made for; unset: the
                                  records' as-of */
    const char *issuer;        /* root values printed instead of the  */
    const char *place;         /* records' ones (NULL: the records'); */
    const char *signer;        /* a booklet printing one that neither */
    const char *signer_title;  /* gives is refused */
    const char *const *units;  /* ids: count only these units and the
                                  units below them; NULL for all */
    size_t n_units;
    bool per_unit;             /* add the template's one-page-per-unit
                                  section for every unit counted */
    bool no_tally;             /* compute every figure by its own walk over
                                  the records instead of the one pass: the
                                  same booklet, slowly (tests compare
                                  the two) */
} cadre_report_options;

/* Read a booklet template: a file, or a directory holding booklet.xml.
 * Every error (with its file and line) goes to `diags`; returns NULL then.
 * Caller owns the result; free with cadre_report_free(). */
cadre_report *cadre_report_load(const char *path, cadre_diags *diags);

/* Compute the booklet of `recs` and write it as PDF to `path` (through a
 * temporary file: on failure nothing is left at `path`).  The booklet
 * counts what had happened by its as-of day (records.md, "Semantics").
 * Returns CADRE_OK, CADRE_ENOTFOUND for an unknown unit id,
 * CADRE_EINVALID when the booklet needs a root value (as-of, or issuer,
 * place, signer, signer-title where the template prints them) that
 * neither the records nor the options give, CADRE_EFONT, CADRE_EPDF or
 * CADRE_EIO, with messages in `diags`.  Everything is borrowed. */
cadre_error cadre_report_write(const cadre_report *rep,
                               const cadre_records *recs,
                               const cadre_report_options *opt,
                               const char *path, cadre_diags *diags);

/* Free `rep`.  NULL is allowed. */
void cadre_report_free(cadre_report *rep);

#endif
