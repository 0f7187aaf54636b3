/*
 * roster_print.h (internal) - how a sheet prints (roster_print.c): A4
 * landscape at a scale that keeps type at 8 points or more on paper, the
 * columns split between pages across at their groups when the sheet is too
 * wide for that, the heading rows and the name column repeated on every
 * page, page numbers from 1 on every sheet, and page breaks placed by the
 * writer so that the signatures never stand alone on the last page.
 *
 * Breaks and scale are ours, not the spreadsheet's "fit to page": Excel
 * and LibreOffice ignore manual breaks when fitting, and only manual
 * breaks can keep the footer with the last rows.  Heights are estimated
 * high and pages filled to a margin short of full, so that a client whose
 * rows come out a little taller never adds a break of its own.
 */
#ifndef CADRE_ROSTER_PRINT_H
#define CADRE_ROSTER_PRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xlsxwriter.h>

#include "roster_xlsx.h"

#define PRINT_ROW_HEIGHT 15.0 /* a row whose height is not set, points */
#define PRINT_KEEP_ROWS 3     /* rows kept on the signatures' page */

/* The page set-up of a sheet, from its column widths. */
typedef struct sheet_print {
    int scale;              /* percent of the sheet's size on paper */
    uint16_t *breaks;       /* columns that begin a page across (none for
                               a sheet one page wide) */
    size_t n_breaks;        /* how many */
    uint16_t repeat_cols;   /* columns 0 .. repeat_cols - 1 print on every
                               page across (the name column), or 0 */
    uint16_t title_first;   /* the title lines span these columns: the */
    uint16_t title_last;    /* ... first page across, less what repeats */
    uint16_t foot_first;    /* the footer spans foot_first .. the last
                               column: the last page across */
    double page_height;     /* the height a page holds, in the sheet's
                               points (at the scale) */
} sheet_print;

/* The width of columns of `width` characters each, in points. */
double print_points(const double *width, size_t n_cols);

/* The width of sheet one page across holds with type of `font_size`
 * points printed at 8 points, in points. */
double print_room(double font_size);

/* Plan the page set-up of a sheet of `n_cols` columns of `width`
 * characters each, `group[c]` the column group of column c (-1 for
 * none), type of `font_size` points, whose rows are known by column
 * `name_col` (-1 for none) and take about `height` points in all.
 * Returns 0, or -1 when out of memory; release with print_release(). */
int print_plan(sheet_print *pr, const double *width, const int *group,
               size_t n_cols, double font_size, int name_col,
               double height);

void print_release(sheet_print *pr);

/* Set up `ws` as `pr` says, with "Trang N/M" in the footer and heading
 * rows first_row .. last_row repeated on every page. */
void print_setup(xlsx_book *bk, lxw_worksheet *ws, const sheet_print *pr,
                 uint32_t first_row, uint32_t last_row);

/* The heights of a part's rows as they are written, then its row breaks. */
typedef struct print_rows {
    float *height;          /* per row, points */
    size_t n, cap;          /* rows noted, allocated */
    bool oom;               /* a note failed: no breaks are set */
} print_rows;

/* Note that row `row` is `points` tall (rows skipped before it are of
 * PRINT_ROW_HEIGHT).  A row noted twice keeps its last height. */
void print_rows_note(print_rows *pr, uint32_t row, double points);

/* Set the row breaks of `ws`: pages filled from the top, the rows
 * first_title .. last_title repeated on each (print titles), and the
 * rows from `keep_from` to the end (the footer, or none when it is the
 * number of rows noted) together on the last page with the
 * PRINT_KEEP_ROWS rows before them. */
void print_rows_break(print_rows *rows, xlsx_book *bk, lxw_worksheet *ws,
                      const sheet_print *pr, uint32_t first_title,
                      uint32_t last_title, uint32_t keep_from);

void print_rows_release(print_rows *rows);

#endif
