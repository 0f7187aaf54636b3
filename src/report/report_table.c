/*
 * report_table.c - the booklet's tables: column widths from the figures
 * and the headings, multi-row headings, rows that wrap their names, and
 * tables that continue across pages with their headings repeated.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_blocks.h"

struct tshape {
    double fs;        /* font size */
    double lh;        /* line height, mm */
    double *x;        /* left edge of each column, n_cols + 1 */
    double *hrow;     /* heading row heights */
    double head_h;    /* their sum */
};

bool booklet_table_wide(const booklet_table *t) { return t->n_cols > 11; }

/* Column widths: each column gets at least its widest figure and the
 * widest word of its heading; what is left is shared by weight. */
static int table_shape(layout *L, const booklet_table *t, struct tshape *sh)
{
    double avail = L->right - L->left;
    size_t n = t->n_cols;
    double *minw = calloc(n, sizeof *minw);
    sh->x = calloc(n + 1, sizeof *sh->x);
    sh->hrow = calloc((size_t)t->head_rows + 1, sizeof *sh->hrow);
    if (!minw || !sh->x || !sh->hrow) {
        free(minw);
        L->oom = true;
        return -1;
    }
    for (sh->fs = n > 18 ? 7.5 : n > 10 ? 8.5 : 10; ; sh->fs -= 0.5) {
        double total = 0, wsum = 0;
        for (size_t k = 0; k < n; k++) {
            minw[k] = 0;
            for (size_t r = 0; r < t->n_rows; r++) {
                const char *s = t->rows[r].cells[k];
                int face = t->rows[r].kind == ROW_PLAIN ? FACE_REGULAR : FACE_BOLD;
                double w = t->align[k] == TEXT_LEFT
                               ? layout_widest_word(L, face, sh->fs, s)
                               : layout_width(L, face, sh->fs, s, strlen(s));
                if (w > minw[k])
                    minw[k] = w;
            }
            for (size_t h = 0; h < t->n_head; h++)
                if (t->head[h].col == (int)k && t->head[h].cols == 1) {
                    double w = layout_widest_word(L, FACE_BOLD, sh->fs,
                                              t->head[h].text);
                    if (w > minw[k])
                        minw[k] = w;
                }
            /* a text column (the units' names) keeps room for a few words
             * a line: the figures give way first, by a smaller font */
            if (t->align[k] == TEXT_LEFT && t->weights[k] >= 2) {
                double want = 0;
                for (size_t r = 0; r < t->n_rows; r++) {
                    const char *s = t->rows[r].cells[k];
                    double w = layout_width(L, FACE_REGULAR, sh->fs, s, strlen(s));
                    if (w > want)
                        want = w;
                }
                double floor = avail * 0.12;
                if (want > floor)
                    want = floor;
                if (minw[k] < want)
                    minw[k] = want;
            }
            minw[k] += 2 * CELL_PAD;
            total += minw[k];
            wsum += t->weights[k];
        }
        if (total <= avail || sh->fs <= 5.5) {
            /* at the smallest size, every column gives way alike */
            if (total > avail)
                for (size_t k = 0; k < n; k++)
                    minw[k] *= avail / total;
            /* share what is left by weight, beyond each minimum */
            double extra = avail - total;
            if (extra < 0)
                extra = 0;
            double x = L->left;
            for (size_t k = 0; k < n; k++) {
                sh->x[k] = x;
                double want = avail * t->weights[k] / wsum;
                double w = minw[k];
                if (want > w) {
                    double add = want - w;
                    w += add < extra ? add : extra;
                    extra -= w - minw[k];
                }
                x += w;
            }
            /* the stub takes whatever is still left */
            size_t stub = n > 1 && t->align[0] == TEXT_CENTER ? 1 : 0;
            for (size_t k = stub + 1; k <= n; k++)
                sh->x[k] = (k < n ? sh->x[k] : x) + extra;
            sh->x[n] = x + extra;
            break;
        }
    }
    free(minw);
    sh->lh = line_height(sh->fs) * 0.95;
    /* heading rows: each as tall as its tallest one-row cell, then taller
     * where a cell spanning rows needs it */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t h = 0; h < t->n_head; h++) {
            const heading_cell *c = &t->head[h];
            if ((pass == 0) != (c->rows == 1))
                continue;
            double w = sh->x[c->col + c->cols] - sh->x[c->col] - 2 * CELL_PAD;
            size_t nl = layout_count_lines(L, FACE_BOLD, sh->fs, c->text, w);
            double need = (double)nl * sh->lh + 2 * CELL_PAD;
            double have = 0;
            for (int r = c->row; r < c->row + c->rows; r++)
                have += sh->hrow[r];
            if (need > have)
                sh->hrow[c->row + c->rows - 1] += need - have;
        }
    }
    sh->head_h = 0;
    for (int r = 0; r < t->head_rows; r++)
        sh->head_h += sh->hrow[r];
    return 0;
}

/* Where a left-aligned cell's text starts and how wide it may be: the
 * row's height is measured as it is drawn. */
static double text_indent(const booklet_row *row) { return (double)row->indent * 3; }

static double text_width(const struct tshape *sh, size_t k, const booklet_row *row)
{
    return sh->x[k + 1] - sh->x[k] - 2 * CELL_PAD - text_indent(row);
}

static double row_height(layout *L, const booklet_table *t,
                         const struct tshape *sh,
                         const booklet_row *row)
{
    size_t most = 1;
    int face = row->kind == ROW_PLAIN ? FACE_REGULAR : FACE_BOLD;
    for (size_t k = 0; k < t->n_cols; k++) {
        if (t->align[k] != TEXT_LEFT)
            continue;
        size_t nl = layout_count_lines(L, face, sh->fs, row->cells[k],
                                   text_width(sh, k, row));
        if (nl > most)
            most = nl;
    }
    return (double)most * sh->lh + 2 * CELL_PAD * 0.8;
}

static void table_head(layout *L, const booklet_table *t, const struct tshape *sh)
{
    double y0 = L->y;
    layout_rect(L, sh->x[0], y0, sh->x[t->n_cols] - sh->x[0], sh->head_h, 0,
               CADRE_PDF_NONE, 0xE8EEF4);
    for (size_t h = 0; h < t->n_head; h++) {
        const heading_cell *c = &t->head[h];
        int face = c->row == t->number_row ? FACE_ITALIC : FACE_BOLD;
        double top = y0;
        for (int r = 0; r < c->row; r++)
            top += sh->hrow[r];
        double hh = 0;
        for (int r = c->row; r < c->row + c->rows; r++)
            hh += sh->hrow[r];
        double x = sh->x[c->col], w = sh->x[c->col + c->cols] - x;
        size_t nl = layout_count_lines(L, face, sh->fs, c->text, w - 2 * CELL_PAD);
        double th = (double)nl * sh->lh;
        double by = top + (hh - th) / 2 + sh->fs * PT * 0.9;
        layout_draw_wrapped(L, face, sh->fs, c->text, x + CELL_PAD, by, w - 2 * CELL_PAD,
                        sh->lh, TEXT_CENTER, 0, 0x000000);
        layout_rect(L, x, top, w, hh, 0.5, 0x000000, CADRE_PDF_NONE);
    }
    L->y += sh->head_h;
}

static void table_row(layout *L, const booklet_table *t, const struct tshape *sh,
                      const booklet_row *row, double h)
{
    int face = row->kind == ROW_PLAIN ? FACE_REGULAR : FACE_BOLD;
    if (row->kind == ROW_TOTAL)
        layout_rect(L, sh->x[0], L->y, sh->x[t->n_cols] - sh->x[0], h, 0,
                   CADRE_PDF_NONE, 0xDDDDDD);
    else if (row->kind == ROW_SUBTOTAL)
        layout_rect(L, sh->x[0], L->y, sh->x[t->n_cols] - sh->x[0], h, 0,
                   CADRE_PDF_NONE, 0xF0F0F0);
    for (size_t k = 0; k < t->n_cols; k++) {
        double x = sh->x[k], w = sh->x[k + 1] - x;
        const char *s = row->cells[k];
        double by = L->y + CELL_PAD * 0.8 + sh->fs * PT * 0.9;
        if (t->align[k] == TEXT_LEFT) {
            layout_draw_wrapped(L, face, sh->fs, s, x + CELL_PAD + text_indent(row), by,
                            text_width(sh, k, row), sh->lh, TEXT_LEFT, 0,
                            0x000000);
        } else if (*s) {
            double ax = t->align[k] == TEXT_CENTER ? x + w / 2 : x + w - CELL_PAD;
            layout_text(L, face, sh->fs, ax, by,
                       t->align[k] == TEXT_CENTER ? CADRE_PDF_CENTER
                       : CADRE_PDF_RIGHT,
                       s, strlen(s), 0x000000);
        }
        layout_line(L, x, L->y, x, L->y + h, 0.5, 0x000000);
    }
    layout_line(L, sh->x[t->n_cols], L->y, sh->x[t->n_cols], L->y + h, 0.5,
               0x000000);
    layout_line(L, sh->x[0], L->y + h, sh->x[t->n_cols], L->y + h, 0.5,
               0x000000);
    L->y += h;
}

/* Height of the title, heading and first rows, which go together. */
static double table_start_h(layout *L, const booklet_table *t,
                            const struct tshape *sh)
{
    double title_h = t->title ? line_height(11) * (double)layout_count_lines(L, FACE_BOLD,
                                    11, t->title, L->right - L->left) + 1
                              : 0;
    double note_h = t->note ? line_height(9) : 0;
    double rows = 0;
    for (size_t r = 0; r < t->n_rows && r < 3; r++)
        rows += row_height(L, t, sh, &t->rows[r]);
    return title_h + note_h + sh->head_h + rows + 2;
}

double booklet_table_need(layout *L, const booklet_table *t)
{
    struct tshape sh = { 0 };
    double h = table_shape(L, t, &sh) < 0 ? 0 : table_start_h(L, t, &sh);
    free(sh.x);
    free(sh.hrow);
    return h;
}

void booklet_table_draw(layout *L, const booklet_table *t)
{
    struct tshape sh = { 0 };
    if (table_shape(L, t, &sh) < 0)
        return;
    double note_h = t->note ? line_height(9) : 0;
    /* title, heading and a few rows together, or a new page */
    layout_ensure(L, table_start_h(L, t, &sh));
    if (t->title) {
        size_t nl = layout_draw_wrapped(L, FACE_BOLD, 11, t->title, L->left,
                                    L->y + 11 * PT, L->right - L->left,
                                    line_height(11), TEXT_CENTER, 0, 0x000000);
        L->y += (double)nl * line_height(11) + 1;
    }
    if (t->note) {
        layout_text(L, FACE_ITALIC, 9, L->right, L->y + 9 * PT, CADRE_PDF_RIGHT,
                   t->note, strlen(t->note), 0x000000);
        L->y += note_h;
    }
    table_head(L, t, &sh);
    for (size_t r = 0; r < t->n_rows; r++) {
        double h = row_height(L, t, &sh, &t->rows[r]);
        /* a group's heading row goes with its first unit */
        double keep = h;
        if (t->rows[r].kind == ROW_GROUP && r + 1 < t->n_rows)
            keep += row_height(L, t, &sh, &t->rows[r + 1]);
        if (L->y + keep > L->bottom) {
            layout_new_page(L, L->orient, false);
            if (t->title) {
                char buf[600];
                snprintf(buf, sizeof buf, "%s (tiếp theo)", t->title);
                layout_text(L, FACE_ITALIC, 9, L->left, L->y + 9 * PT, CADRE_PDF_LEFT,
                           buf, strlen(buf), 0x555555);
                L->y += line_height(9);
            }
            table_head(L, t, &sh);
        }
        table_row(L, t, &sh, &t->rows[r], h);
    }
    L->y += 5;
    free(sh.x);
    free(sh.hrow);
}

