/*
 * roster_job.h (internal) - the state of one workbook being written and
 * the helpers every stage of cadre_roster_write() uses (roster_job.c).
 * The stages, each with its header, depend on this one and never on
 * each other's callers:
 *
 *   roster.c         the entry point: options, units and courses chosen,
 *                    document properties, the workbook's life;
 *   roster_rows.c    the rows of every sheet, chosen and ordered;
 *   roster_layout.c  where they land: parts past Excel's row limit,
 *                    column widths, the rows formulas refer to
 *                    (roster_plan.h declares both);
 *   roster_sheet.c   a sheet written top to bottom: title block,
 *                    headings, body with group and total rows, footer;
 *   roster_cell.c    one data cell: its value and type, the lines it
 *                    wraps to, and its write.
 *
 * Everything a sheet needs before its first data row is settled before
 * any sheet is written: constant_memory mode writes rows strictly in
 * order and cannot go back.
 */
#ifndef CADRE_ROSTER_JOB_H
#define CADRE_ROSTER_JOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "roster_print.h"
#include "roster_tmpl.h"
#include "roster_xlsx.h"

#define EXCEL_ROWS 1048576u /* rows in a sheet */
#define SIGN_SPACE 4        /* blank rows for the signature and seal */
#define SIGN_ROW_HEIGHT 18  /* ... each, points: 2.5 cm in all */

/* The rows of one sheet, chosen and ordered, and where they land.  A
 * part is laid out as
 *
 *     title block                      rows 0 .. heading_row - 1
 *     headings, the filter's buttons    .. head_rows - 1
 *     data rows, filtered and sorted    per_part at most on a part
 *   and after the last data row, on the last part only:
 *     group totals, grand total        tail_rows
 *     place-date line and signers      foot_rows
 *
 * so that sorting or filtering the data never moves a total. */
typedef struct sheet_plan {
    uint32_t *items;      /* cadre, participant or unit indices */
    size_t n;             /* how many: the data rows */
    size_t n_groups;      /* runs of equal group key */
    bool grouped;         /* a "Cộng" row per group: two groups at least,
                             with a key column and totals */
    bool totals;          /* a column has a count or sum total */
    cadre_date day;       /* the day the sheet speaks of: ages, as-of,
                             the place-date line */
    uint32_t heading_row; /* first heading row */
    uint32_t head_rows;   /* title block and headings, on every part */
    uint32_t tail_rows;   /* group totals and the grand total */
    uint32_t foot_rows;   /* place-date and signers */
    uint32_t per_part;    /* data rows a part holds */
    size_t n_parts;       /* sheets the rows take */
    char **part_names;    /* tab names: the sheet's, then "name (2)" ... */
    double *width;        /* per column */
    sheet_print print;    /* page set-up */
} sheet_plan;

/* State shared while a workbook is written. */
typedef struct roster_job {
    const cadre_roster *r;            /* the template (borrowed) */
    const cadre_records *recs;        /* the records (borrowed) */
    const cadre_roster_options *opt;  /* the caller's options (borrowed) */
    cadre_diags *diags;               /* where problems go (borrowed) */
    xlsx_book bk;                     /* the workbook */
    cadre_date as_of;     /* the roster's day: the option's, the
                             records' as-of, or today */
    bool *unit_in;        /* per unit: selected (with the units below) */
    uint32_t *courses;    /* the --course indices */
    size_t n_courses;     /* how many */
    sheet_plan *plans;    /* per sheet */
    char *buf;            /* scratch for rendered text */
    size_t cap;           /* its size */
    cadre_error err;      /* first failure outside libxlsxwriter */
} roster_job;

/* Record running out of memory (reported once) as the job's error. */
void job_oom(roster_job *j);

/* Render `t` into the job's scratch buffer (valid until the next call);
 * "" when out of memory. */
const char *job_render(roster_job *j, const cadre_tmpl_text *t,
                       const cadre_env *env);

/* The course title lines speak of: the first given, or the first
 * participant's when participants were given instead (cadre-cert); or
 * NULL. */
const cadre_course *job_title_course(const roster_job *j);

/* An environment with the roster's day and nothing bound. */
void job_env(const roster_job *j, cadre_env *env);

/* The same for sheet `si`, on its day. */
void job_sheet_env(const roster_job *j, size_t si, cadre_env *env);

/* Bind the objects of a row of `sh` standing for `item`. */
void job_bind_row(const roster_job *j, const roster_sheet *sh,
                  uint32_t item, cadre_env *env);

/* The group `item` belongs to on a grouped sheet (0 on others). */
static inline uint32_t job_group_key(const roster_job *j,
                                     const roster_sheet *sh, uint32_t item)
{
    const cadre_records *r = j->recs;
    switch (sh->group) {
    case GROUP_UNIT:
        return sh->rows == ROWS_CADRES
                   ? r->cadres[item].unit
                   : r->cadres[r->participants[item].cadre].unit;
    case GROUP_COURSE:
        return r->participants[item].course;
    case GROUP_LEVEL:
        return r->units[item].level;
    default:
        return 0;
    }
}

#endif
