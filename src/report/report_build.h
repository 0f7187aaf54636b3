/*
 * report_build.h (internal) - the figures of a booklet: the template and
 * the records give every text, cell and chart value (report_build.c).
 */
#ifndef CADRE_REPORT_BUILD_H
#define CADRE_REPORT_BUILD_H

#include "cadre/error.h"
#include "cadre/records.h"
#include "cadre/report.h"
#include "report_booklet.h"

/* Compute every figure of `rep` over `recs` into `out` (released by the
 * caller with booklet_release(), also on failure).  Returns CADRE_OK or
 * an error, with messages in `diags`. */
cadre_error booklet_build(const cadre_report *rep, const cadre_records *recs,
                          const cadre_report_options *opt, booklet *out,
                          cadre_diags *diags);

#endif
