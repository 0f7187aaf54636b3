/*
 * roster_cell.h (internal) - the data cells of a sheet (roster_cell.c):
 * a column's value for one row, typed, the lines its text wraps to, and
 * its write.
 */
#ifndef CADRE_ROSTER_CELL_H
#define CADRE_ROSTER_CELL_H

#include "roster_job.h"

/* One data cell, evaluated before its row is begun: the row's height
 * depends on the text of every cell and must be set first. */
typedef struct cell_value {
    int kind;          /* enum cell_kind, or -1 for a blank cell */
    double num;        /* numbers, dates (Excel serial), years */
    const char *text;  /* CELL_TEXT: borrowed, or in the column's buffer */
    int lines;         /* CELL_TEXT: lines it wraps to in its column */
    bool safe;         /* CELL_TEXT: xlsx_text_safe(), written as it is */
} cell_value;

/* The columns of a sheet as its data cells need them. */
typedef struct row_cells {
    roster_job *j;             /* the job (borrowed) */
    const roster_sheet *sh;    /* the sheet (borrowed) */
    const double *width;       /* per column (borrowed from the plan) */
    column_formats *cf;        /* per column: its formats */
    struct column_buffer *col; /* per column: buffer of its rendered text */
    cell_value *row;           /* the row being written, per column */
} row_cells;

/* Make the formats and buffers of sheet `sh`'s columns (widths in
 * `width`).  Returns CADRE_OK or CADRE_ENOMEM; release either way. */
cadre_error row_cells_init(row_cells *cs, roster_job *j,
                           const roster_sheet *sh, const double *width);
void row_cells_release(row_cells *cs);

/* Evaluate column c of the row `env` binds into cs->row[c]. */
void cell_eval(row_cells *cs, size_t c, const cadre_env *env);

/* Write cs->row[c] at `row` of `ws`. */
void cell_write(row_cells *cs, lxw_worksheet *ws, uint32_t row, size_t c);

#endif
