/*
 * roster_plan.h (internal) - the plan of a sheet: its rows chosen and
 * ordered (roster_rows.c), then where they land (roster_layout.c).
 */
#ifndef CADRE_ROSTER_PLAN_H
#define CADRE_ROSTER_PLAN_H

#include "roster_job.h"

/* Fill p->items, p->n and p->n_groups for sheet `sh`: the rows it keeps,
 * grouped, each group in name order when the sheet sorts.  Returns
 * CADRE_OK or CADRE_ENOMEM. */
cadre_error plan_choose_rows(roster_job *j, const roster_sheet *sh,
                             sheet_plan *p);

/* Settle the rest of `p` (parts, column widths) for rows already chosen.
 * Returns CADRE_OK, CADRE_EINVALID (with a message) when max_rows leaves
 * no room for data, or CADRE_ENOMEM. */
cadre_error plan_lay_out(roster_job *j, const roster_sheet *sh,
                         sheet_plan *p);

/* Rows of the headings: two when columns are grouped under headings. */
static inline uint32_t sheet_heading_rows(const roster_sheet *sh)
{
    return sh->n_groups ? 2 : 1;
}

/* The data rows of part k, for formulas. */
part_rows plan_part_rows(const sheet_plan *p, size_t k);

#endif
