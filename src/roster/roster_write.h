/*
 * roster_write.h (internal) - the state of one workbook being written,
 * shared by the stages of cadre_roster_write():
 *
 *   roster.c         the entry point: options, units and courses chosen,
 *                    document properties, the workbook's life;
 *   roster_rows.c    the rows of every sheet, chosen and ordered;
 *   roster_layout.c  where they land: parts past Excel's row limit,
 *                    column widths, the rows formulas refer to;
 *   roster_sheet.c   a sheet written top to bottom: title block,
 *                    headings, body with group and total rows, footer;
 *   roster_cell.c    one data cell: its value and type, the lines it
 *                    wraps to, and its write.
 *
 * Everything a sheet needs before its first data row is settled before
 * any sheet is written: constant_memory mode writes rows strictly in
 * order and cannot go back.
 */
#ifndef CADRE_ROSTER_WRITE_H
#define CADRE_ROSTER_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "roster_internal.h"
#include "roster_xlsx.h"

#define RW_EXCEL_ROWS 1048576u /* rows in a sheet */
#define RW_SIGN_SPACE 4        /* blank rows for the signature and seal */

/* The rows of one sheet, chosen and ordered, and where they land. */
typedef struct rw_plan {
    uint32_t *items;      /* cadre, participant or unit indices */
    size_t n;             /* how many */
    size_t n_groups;      /* runs of equal group key */
    bool grouped;         /* group rows written: two groups at least (one
                             group would repeat the title and the total) */
    bool totals;          /* a column has a total: "Cộng" rows */
    uint32_t head_rows;   /* title block and headings, on every part */
    uint32_t heading_row; /* first heading row */
    uint32_t foot_rows;   /* place-date and signers, after the last part */
    uint64_t body_rows;   /* data, group and total rows */
    uint32_t per_part;    /* body rows a part holds */
    size_t n_parts;       /* sheets the rows take */
    char **part_names;    /* tab names: the sheet's, then "name (2)" ... */
    double *width;        /* per column */
} rw_plan;

/* State shared while a workbook is written. */
typedef struct rw_job {
    const cadre_roster *r;            /* the template (borrowed) */
    const cadre_records *recs;        /* the records (borrowed) */
    const cadre_roster_options *opt;  /* the caller's options (borrowed) */
    cadre_diags *diags;               /* where problems go (borrowed) */
    rx_book bk;                       /* the workbook */
    cadre_date as_of;     /* the roster's day */
    bool *unit_in;        /* per unit: selected (with the units below) */
    uint32_t *courses;    /* the --course indices */
    size_t n_courses;     /* how many */
    rw_plan *plans;       /* per sheet */
    char *buf;            /* scratch for rendered text */
    size_t cap;           /* its size */
    cadre_error err;      /* first failure outside libxlsxwriter */
} rw_job;

/* roster.c: the helpers every stage uses. */

/* Record running out of memory (reported once) as the job's error. */
void rw_oom(rw_job *j);

/* Render `t` into the job's scratch buffer (valid until the next call);
 * "" when out of memory. */
const char *rw_render(rw_job *j, const cadre_tmpl_text *t,
                      const cadre_env *env);

/* The course title lines speak of: the first given, or the first
 * participant's when participants were given instead (cadre-cert); or
 * NULL. */
const cadre_course *rw_title_course(const rw_job *j);

/* An environment with the roster's day and nothing bound. */
void rw_env(const rw_job *j, cadre_env *env);

/* Bind the objects of a row of `sh` standing for `item`. */
void rw_rows_env(const rw_job *j, const rs_sheet *sh, uint32_t item,
                 cadre_env *env);

/* The group `item` belongs to on a grouped sheet (0 on others). */
static inline uint32_t rw_group_key(const rw_job *j, const rs_sheet *sh,
                                    uint32_t item)
{
    const cadre_records *r = j->recs;
    switch (sh->group) {
    case RS_GROUP_UNIT:
        return sh->rows == RS_ROWS_CADRES
                   ? r->cadres[item].unit
                   : r->cadres[r->participants[item].cadre].unit;
    case RS_GROUP_COURSE:
        return r->participants[item].course;
    case RS_GROUP_LEVEL:
        return r->units[item].level;
    default:
        return 0;
    }
}

/* roster_rows.c: fill p->items, p->n and p->n_groups for sheet `sh`:
 * the rows it keeps, grouped, each group in name order when the sheet
 * sorts.  Returns CADRE_OK or CADRE_ENOMEM. */
cadre_error rw_choose_rows(rw_job *j, const rs_sheet *sh, rw_plan *p);

/* roster_layout.c: settle the rest of `p` (parts, column widths) for
 * rows already chosen.  Returns CADRE_OK, CADRE_EINVALID (with a message)
 * when max_rows leaves no room for data, or CADRE_ENOMEM. */
cadre_error rw_lay_out(rw_job *j, const rs_sheet *sh, rw_plan *p);

/* Rows of the headings: two when columns are grouped under headings. */
static inline uint32_t rw_heading_rows(const rs_sheet *sh)
{
    return sh->n_groups ? 2 : 1;
}

/* The data rows of part k, for formulas. */
rs_part_ref rw_part_ref(const rw_plan *p, size_t k);

/* roster_cell.c: the data cells of one sheet. */

/* One data cell, evaluated before its row is begun: the row's height
 * depends on the text of every cell and must be set first. */
typedef struct rw_cell {
    int kind;          /* enum rx_kind, or -1 for a blank cell */
    double num;        /* numbers, dates (Excel serial), years */
    const char *text;  /* RX_TEXT: borrowed, or in the column's buffer */
    int lines;         /* RX_TEXT: lines it wraps to in its column */
    bool safe;         /* RX_TEXT: rx_text_safe(), written as it is */
} rw_cell;

/* The columns of a sheet as its data cells need them. */
typedef struct rw_cells {
    rw_job *j;            /* the job (borrowed) */
    const rs_sheet *sh;   /* the sheet (borrowed) */
    const double *width;  /* per column (borrowed from the plan) */
    rx_colfmt *cf;        /* per column: its formats */
    struct rw_col *col;   /* per column: buffer of its rendered text */
    rw_cell *row;         /* the row being written, per column */
} rw_cells;

/* Make the formats and buffers of sheet `sh`'s columns (widths in
 * `width`).  Returns CADRE_OK or CADRE_ENOMEM; release either way. */
cadre_error rw_cells_init(rw_cells *cs, rw_job *j, const rs_sheet *sh,
                          const double *width);
void rw_cells_release(rw_cells *cs);

/* Evaluate column c of the row `env` binds into cs->row[c]. */
void rw_cell_eval(rw_cells *cs, size_t c, const cadre_env *env);

/* Write cs->row[c] at `row` of `ws`. */
void rw_cell_write(rw_cells *cs, lxw_worksheet *ws, uint32_t row, size_t c);

/* roster_sheet.c: write sheet `si` (all its parts) to j->bk.  Returns
 * j->err (failures of libxlsxwriter are in j->bk.err). */
cadre_error rw_write_sheet(rw_job *j, size_t si);

#endif
