/*
 * roster_print.c - how a sheet prints (roster_print.h).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/grow.h"
#include "roster_print.h"

/* A4 landscape, in points, and the margins the sheets set, in inches. */
#define PAPER_W 841.89
#define PAPER_H 595.28
#define MARGIN_SIDE 0.4
#define MARGIN_TOP 0.6
#define MARGIN_BOTTOM 0.7
/* Of the printable area, what the plan fills: spreadsheet programs
 * measure columns and rows a little differently from each other. */
#define FILL_W 0.97
#define FILL_H 0.95
#define PAGE_W ((PAPER_W - 2 * MARGIN_SIDE * 72) * FILL_W)
#define PAGE_H ((PAPER_H - (MARGIN_TOP + MARGIN_BOTTOM) * 72) * FILL_H)
#define MIN_TYPE 8.0        /* points on paper: the least readable */
#define MAX_ROW_BREAKS 1023 /* Excel's limit per sheet */

/* A column `width` characters wide in points: libxlsxwriter stores whole
 * pixels of the default font's 7-pixel digit and 5 of padding, in
 * digits; Excel draws a digit 5.25 points wide, LibreOffice (Carlito)
 * 5.56: the wider. */
static double col_points(double width)
{
    return (floor(width * 7 + 0.5) + 5) / 7 * 5.56;
}

double print_points(const double *width, size_t n_cols)
{
    double all = 0;
    for (size_t c = 0; c < n_cols; c++)
        all += col_points(width[c]);
    return all;
}

/* The least scale, in percent, that prints `font_size` type readably. */
static int least_scale(double font_size)
{
    return (int)ceil(MIN_TYPE / font_size * 100);
}

double print_room(double font_size)
{
    return PAGE_W * 100 / least_scale(font_size);
}

/* The columns from `first` on split between pages `room` points wide:
 * a group of columns starts a new page rather than be cut, unless it is
 * wider than a page.  Writes the columns that begin a page to `breaks`
 * (when not NULL) and returns how many. */
static size_t split(const double *pts, const int *group, size_t n,
                    size_t first, double room, uint16_t *breaks)
{
    size_t k = 0;
    double used = 0;
    for (size_t c = first; c < n; c++) {
        bool starts = group[c] < 0 || c == first || group[c] != group[c - 1];
        double whole = pts[c];
        for (size_t e = c + 1; starts && group[c] >= 0 && e < n &&
                               group[e] == group[c]; e++)
            whole += pts[e];
        /* a group that fits a page goes whole to the next one */
        double next = starts && whole <= room ? whole : pts[c];
        bool cut = used > 0 && used + next > room;
        if (cut) {
            if (breaks)
                breaks[k] = (uint16_t)c;
            k++;
            used = 0;
        }
        used += pts[c];
    }
    return k;
}

/* Pages a sheet takes at `scale` percent, printed `across` pages wide:
 * its rows, `height` points in all, at the page height of that scale. */
static double pages(double height, int scale, size_t across)
{
    return ceil(height / (PAGE_H * 100 / scale)) * (double)across;
}

int print_plan(sheet_print *pr, const double *width, const int *group,
               size_t n_cols, double font_size, int name_col, double height)
{
    memset(pr, 0, sizeof *pr);
    double *pts = malloc((n_cols ? n_cols : 1) * sizeof *pts);
    if (!pts)
        return -1;
    double all = 0;
    for (size_t c = 0; c < n_cols; c++)
        all += pts[c] = col_points(width[c]);
    int least = least_scale(font_size);
    int fit = (int)floor(PAGE_W / all * 100);
    pr->scale = fit >= 100 ? 100 : fit;
    pr->title_last = (uint16_t)(n_cols ? n_cols - 1 : 0);
    if (fit < least && n_cols > 1) {
        /* too small on one page across: split at a readable size, the
         * one that takes the fewest pages (the largest among equals) */
        double rep = 0;
        uint16_t repeat = 0;
        if (name_col >= 0 && (size_t)name_col + 1 < n_cols) {
            for (int c = 0; c <= name_col; c++)
                rep += pts[c];
            if (rep <= PAGE_W * 100 / least * 0.4)
                repeat = (uint16_t)(name_col + 1);
            else
                rep = 0;
        }
        double best = -1;
        for (int s = 100; s >= least; s--) {
            size_t across = 1 + split(pts, group, n_cols, repeat,
                                      PAGE_W * 100 / s - rep, NULL);
            double n = pages(height, s, across);
            if (best < 0 || n < best) {
                best = n;
                pr->scale = s;
            }
        }
        pr->repeat_cols = repeat;
        if (!(pr->breaks = malloc(n_cols * sizeof *pr->breaks))) {
            free(pts);
            return -1;
        }
        /* as many pages across as the scale needs, filled evenly: the
         * narrowest page width that needs no more */
        double room = PAGE_W * 100 / pr->scale - rep, lo = 0;
        size_t need = split(pts, group, n_cols, repeat, room, NULL);
        for (int k = 0; k < 40; k++) {
            double mid = (lo + room) / 2;
            if (split(pts, group, n_cols, repeat, mid, NULL) <= need)
                room = mid;
            else
                lo = mid;
        }
        pr->n_breaks = split(pts, group, n_cols, repeat, room, pr->breaks);
        if (pr->n_breaks) {
            pr->title_first = repeat < pr->breaks[0] ? repeat : 0;
            pr->title_last = (uint16_t)(pr->breaks[0] - 1);
            pr->foot_first = pr->breaks[pr->n_breaks - 1];
        }
    }
    if (pr->scale < 10)
        pr->scale = 10; /* the least Excel takes */
    pr->page_height = PAGE_H * 100 / pr->scale;
    free(pts);
    return 0;
}

void print_release(sheet_print *pr)
{
    free(pr->breaks);
    pr->breaks = NULL;
}

void print_setup(xlsx_book *bk, lxw_worksheet *ws, const sheet_print *pr,
                 uint32_t first_row, uint32_t last_row)
{
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9); /* A4 */
    worksheet_set_margins(ws, MARGIN_SIDE, MARGIN_SIDE, MARGIN_TOP,
                          MARGIN_BOTTOM);
    worksheet_center_horizontally(ws);
    /* every sheet numbers its own pages from 1: a workbook printed
     * whole would otherwise go on from the sheet before */
    worksheet_set_start_page(ws, 1);
    worksheet_set_print_scale(ws, (uint16_t)pr->scale);
    /* the page number shrinks with the sheet: 8 points or more on paper
     * (only the page's own number: a total would count every sheet) */
    char footer[64];
    int size = (int)ceil(MIN_TYPE * 100 / pr->scale);
    snprintf(footer, sizeof footer, "&C&\"" XLSX_FONT "\"&%dTrang &P",
             size > 10 ? size : 10);
    xlsx_check(bk, worksheet_set_footer(ws, footer), "footer");
    xlsx_check(bk, worksheet_repeat_rows(ws, first_row, last_row),
               "print titles");
    if (!pr->n_breaks)
        return;
    if (pr->repeat_cols)
        xlsx_check(bk, worksheet_repeat_columns(ws, 0,
                                                (lxw_col_t)(pr->repeat_cols -
                                                            1)),
                   "print titles");
    lxw_col_t cols[64];
    size_t n = pr->n_breaks < 63 ? pr->n_breaks : 63;
    for (size_t i = 0; i < n; i++)
        cols[i] = pr->breaks[i];
    cols[n] = 0;
    xlsx_check(bk, worksheet_set_v_pagebreaks(ws, cols), "page breaks");
    worksheet_print_across(ws); /* the same rows on pages side by side */
}

void print_rows_note(print_rows *rows, uint32_t row, double points)
{
    if (rows->oom)
        return;
    if (!GROW(rows->height, rows->cap, (size_t)row + 1)) {
        rows->oom = true;
        return;
    }
    while (rows->n < row)
        rows->height[rows->n++] = (float)PRINT_ROW_HEIGHT;
    rows->height[row] = (float)points;
    if (rows->n == row)
        rows->n++;
}

/* Append a break before row `r`. */
static bool push_break(lxw_row_t **v, size_t *n, size_t *cap, uint32_t r)
{
    if (!GROW(*v, *cap, *n + 2))
        return false;
    (*v)[(*n)++] = r;
    return true;
}

void print_rows_break(print_rows *rows, xlsx_book *bk, lxw_worksheet *ws,
                      const sheet_print *pr, uint32_t first_title,
                      uint32_t last_title, uint32_t keep_from)
{
    const float *h = rows->height;
    size_t n = rows->n;
    double titles = 0;
    for (size_t r = first_title; r <= last_title && r < n; r++)
        titles += h[r];
    lxw_row_t *brk = NULL;
    size_t nb = 0, cap = 0;
    bool ok = !rows->oom;
    /* pages filled from the top; the first holds the title block */
    double used = 0, room = pr->page_height;
    size_t start = 0;
    for (size_t r = 0; r < n && ok; r++) {
        if (r > start && r > last_title && used + h[r] > room) {
            ok = push_break(&brk, &nb, &cap, (uint32_t)r);
            start = r;
            used = 0;
            room = pr->page_height - titles;
        }
        used += h[r];
    }
    /* the footer whole, with rows of the table above it */
    if (ok && keep_from < n) {
        uint32_t last = nb ? brk[nb - 1] : 0;
        if (last > keep_from || keep_from - last < PRINT_KEEP_ROWS) {
            uint32_t at = keep_from > last_title + PRINT_KEEP_ROWS
                              ? keep_from - PRINT_KEEP_ROWS
                              : 0;
            while (nb && brk[nb - 1] >= at)
                nb--;
            if (at > last_title + 1 && at > (nb ? brk[nb - 1] : 0))
                ok = push_break(&brk, &nb, &cap, at);
        }
    }
    if (ok && nb) {
        /* past Excel's limit the last pages matter: the first ones break
         * where the spreadsheet puts them */
        size_t skip = nb > MAX_ROW_BREAKS ? nb - MAX_ROW_BREAKS : 0;
        brk[nb] = 0;
        xlsx_check(bk, worksheet_set_h_pagebreaks(ws, brk + skip),
                   "page breaks");
    }
    free(brk);
}

void print_rows_release(print_rows *rows)
{
    free(rows->height);
    *rows = (print_rows){ 0 };
}
