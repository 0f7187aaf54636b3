/*
 * roster_sheet.h (internal) - one sheet written top to bottom
 * (roster_sheet.c).
 */
#ifndef CADRE_ROSTER_SHEET_H
#define CADRE_ROSTER_SHEET_H

#include "roster_job.h"

/* Write sheet `si` (all its parts) to j->bk.  Returns j->err (failures of
 * libxlsxwriter are in j->bk.err). */
cadre_error sheet_write(roster_job *j, size_t si);

#endif
