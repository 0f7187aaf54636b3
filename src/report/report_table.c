/*
 * report_table.c - the booklet's tables: column widths from the figures
 * and the headings, multi-row headings, rows that wrap their names,
 * tables that continue across pages with their headings repeated, and
 * tables too wide for the page at the smallest type cut into parts of
 * whole column groups, each with the number and name columns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_blocks.h"

_Static_assert((int)ALIGN_LEFT == (int)TEXT_LEFT &&
               (int)ALIGN_CENTER == (int)TEXT_CENTER &&
               (int)ALIGN_RIGHT == (int)TEXT_RIGHT,
               "a column's alignment is the page model's");

#define TABLE_MIN_SIZE 8.0 /* no table is set smaller: readable on paper */
#define WORD_SHARE 0.25    /* a longer word of a name column is cut */

struct tshape {
    double fs;        /* font size */
    double lh;        /* line height, mm */
    double *x;        /* left edge of each column, n_cols + 1 */
    double *hrow;     /* heading row heights */
    double head_h;    /* their sum */
};

bool booklet_table_wide(const booklet_table *t) { return t->n_cols > 11; }

static int row_face(const booklet_row *row)
{
    return row->kind == ROW_PLAIN ? FACE_REGULAR : FACE_BOLD;
}

/* Column `k`'s least width at `fs` (padding included): its widest figure
 * whole, the widest word of its heading and of its names (a word longer
 * than a share of the page is cut), and for a name column room for a few
 * words a line. */
static double min_width(layout *L, const booklet_table *t, size_t k,
                        double fs, double avail)
{
    double m = 0, longest = 0;
    bool names = t->align[k] == ALIGN_LEFT;
    for (size_t r = 0; r < t->n_rows; r++) {
        const char *s = t->rows[r].cells[k];
        int face = row_face(&t->rows[r]);
        double w = names ? layout_widest_word(L, face, fs, s)
                         : layout_width(L, face, fs, s, strlen(s));
        if (names && w > avail * WORD_SHARE)
            w = avail * WORD_SHARE;
        if (w > m)
            m = w;
        if (names && t->weights[k] >= 2) {
            double whole = layout_width(L, FACE_REGULAR, fs, s, strlen(s));
            if (whole > longest)
                longest = whole;
        }
    }
    for (size_t h = 0; h < t->n_head; h++) {
        if (t->head[h].col != (int)k || t->head[h].cols != 1)
            continue;
        double w = layout_widest_word(L, FACE_BOLD, fs, t->head[h].text);
        if (w > avail * WORD_SHARE)
            w = avail * WORD_SHARE;
        if (w > m)
            m = w;
    }
    /* the units' names keep room for a few words a line: the figures
     * give way first, by a smaller type */
    double few = longest < avail * 0.12 ? longest : avail * 0.12;
    return (m > few ? m : few) + 2 * CELL_PAD;
}

/* Place the columns, each at least its least width, what is left shared
 * by weight and the rest given to the stub. */
static void place_columns(const layout *L, const booklet_table *t,
                          const double *minw, double total, double *x)
{
    size_t n = t->n_cols;
    double avail = L->right - L->left, wsum = 0;
    for (size_t k = 0; k < n; k++)
        wsum += t->weights[k];
    double extra = avail - total, at = L->left;
    for (size_t k = 0; k < n; k++) {
        x[k] = at;
        double want = avail * t->weights[k] / wsum, w = minw[k];
        if (want > w) {
            double add = want - w < extra ? want - w : extra;
            w += add;
            extra -= add;
        }
        at += w;
    }
    size_t stub = t->lead ? t->lead - 1 : 0;
    for (size_t k = stub + 1; k < n; k++)
        x[k] += extra;
    x[n] = at + extra;
}

/* Heading rows: each as tall as its tallest one-row cell, then taller
 * where a cell spanning rows needs it. */
static void heading_rows(layout *L, const booklet_table *t, struct tshape *sh)
{
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
}

/* The type size and the columns of `t`: the largest size up to
 * `largest`, down to TABLE_MIN_SIZE, at which every column gets its least
 * width.  Returns
 * 0, 1 when the table does not fit the page even then (nothing set), or
 * -1 when out of memory. */
static int table_shape(layout *L, const booklet_table *t, double largest,
                       struct tshape *sh)
{
    double avail = L->right - L->left;
    size_t n = t->n_cols;
    double *minw = calloc(n + 1, sizeof *minw);
    sh->x = calloc(n + 1, sizeof *sh->x);
    sh->hrow = calloc((size_t)t->head_rows + 1, sizeof *sh->hrow);
    if (!minw || !sh->x || !sh->hrow) {
        free(minw);
        L->oom = true;
        return -1;
    }
    double total = 0;
    double first = n > 18 ? 8.5 : n > 10 ? 9 : 10;
    for (sh->fs = first < largest ? first : largest;; sh->fs -= 0.5) {
        total = 0;
        for (size_t k = 0; k < n; k++)
            total += minw[k] = min_width(L, t, k, sh->fs, avail);
        if (total <= avail || sh->fs <= TABLE_MIN_SIZE)
            break;
    }
    if (total > avail) {
        free(minw);
        return 1;
    }
    place_columns(L, t, minw, total, sh->x);
    free(minw);
    sh->lh = line_height(sh->fs) * 0.95;
    heading_rows(L, t, sh);
    return 0;
}

static void shape_release(struct tshape *sh)
{
    free(sh->x);
    free(sh->hrow);
    memset(sh, 0, sizeof *sh);
}

/* ------------------------------------------------------------------ */
/* Parts of a table too wide for the page.                             */

/* Free a part made by table_part(): its arrays, not the texts. */
static void part_free(booklet_table *p)
{
    if (!p)
        return;
    for (size_t r = 0; p->rows && r < p->n_rows; r++)
        free(p->rows[r].cells);
    free(p->rows);
    free(p->head);
    free(p->weights);
    free(p->align);
    free(p);
}

/* The part of `t` with its lead columns and the columns [a, b): a table
 * of its own whose texts are borrowed from `t` (free with part_free()).
 * Headings spanning beyond the part are cut to it.  NULL when out of
 * memory. */
static booklet_table *table_part(const booklet_table *t, size_t a, size_t b)
{
    booklet_table *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    *p = (booklet_table){ .title = t->title, .note = t->note,
                          .lead = t->lead, .head_rows = t->head_rows,
                          .number_row = t->number_row };
    p->n_cols = t->lead + (b - a);
    p->weights = malloc(p->n_cols * sizeof *p->weights);
    p->align = malloc(p->n_cols * sizeof *p->align);
    p->head = malloc((t->n_head + 1) * sizeof *p->head);
    p->rows = calloc(t->n_rows + 1, sizeof *p->rows);
    if (!p->weights || !p->align || !p->head || !p->rows)
        goto fail;
    for (size_t k = 0; k < p->n_cols; k++) {
        size_t from = k < t->lead ? k : a + (k - t->lead);
        p->weights[k] = t->weights[from];
        p->align[k] = t->align[from];
    }
    for (size_t h = 0; h < t->n_head; h++) {
        heading_cell c = t->head[h];
        int lo = c.col, hi = c.col + c.cols;
        if (lo >= (int)t->lead) {
            lo = lo > (int)a ? lo : (int)a;
            hi = hi < (int)b ? hi : (int)b;
            if (lo >= hi)
                continue;
            c.col = (int)t->lead + (lo - (int)a);
            c.cols = hi - lo;
        }
        p->head[p->n_head++] = c;
    }
    for (size_t r = 0; r < t->n_rows; r++) {
        booklet_row *row = &p->rows[p->n_rows++];
        *row = t->rows[r];
        if (!(row->cells = malloc(p->n_cols * sizeof *row->cells)))
            goto fail;
        for (size_t k = 0; k < p->n_cols; k++)
            row->cells[k] = t->rows[r].cells[k < t->lead ? k
                                                         : a + (k - t->lead)];
    }
    return p;
fail:
    part_free(p);
    return NULL;
}

/* Where the parts of `t` end: columns grouped by their top headings,
 * whole groups in a part as long as they fit in `avail` mm beside the lead
 * columns, a group wider than a part cut by columns; w[] gives each
 * column's least width at TABLE_MIN_SIZE.  Fills ends[] (n_cols entries)
 * and returns the number of parts, or 0 when out of memory. */
static size_t part_ends(layout *L, const booklet_table *t, const double *w,
                        double avail, size_t *ends)
{
    size_t n = t->n_cols;
    size_t *group_end = malloc((n + 1) * sizeof *group_end);
    if (!group_end) {
        L->oom = true;
        return 0;
    }
    double lead = 0;
    for (size_t k = 0; k < n; k++) {
        if (k < t->lead)
            lead += w[k];
        group_end[k] = k + 1;
    }
    for (size_t h = 0; h < t->n_head; h++) /* the top headings' spans */
        if (t->head[h].row == 0 && t->head[h].col >= (int)t->lead)
            group_end[t->head[h].col] = (size_t)(t->head[h].col +
                                                 t->head[h].cols);
    size_t parts = 0, k = t->lead;
    double used = lead;
    while (k < n) {
        size_t end = group_end[k];
        double gw = 0;
        for (size_t i = k; i < end; i++)
            gw += w[i];
        if (used + gw > avail && used > lead) { /* the next part */
            ends[parts++] = k;
            used = lead;
            continue;
        }
        if (used + gw > avail) /* wider than a part: column by column */
            for (end = k + 1, gw = w[k];
                 end < group_end[k] && used + gw + w[end] <= avail; end++)
                gw += w[end];
        used += gw;
        k = end;
    }
    ends[parts++] = n;
    free(group_end);
    return parts;
}

/* As few parts as fit the page, as even as whole groups allow: the
 * narrowest width that still gives that many.  Returns their number
 * (ends[] as part_ends()), or 0 when out of memory. */
static size_t even_parts(layout *L, const booklet_table *t, size_t *ends)
{
    double avail = L->right - L->left, all = 0, lead = 0;
    double *w = malloc((t->n_cols + 1) * sizeof *w);
    if (!w) {
        L->oom = true;
        return 0;
    }
    for (size_t k = 0; k < t->n_cols; k++) { /* measured once: slow */
        w[k] = min_width(L, t, k, TABLE_MIN_SIZE, avail);
        all += w[k];
        lead += k < t->lead ? w[k] : 0;
    }
    size_t n = part_ends(L, t, w, avail, ends);
    double limit = lead + (all - lead) / (double)(n ? n : 1);
    while (n >= 2 && limit < avail && part_ends(L, t, w, limit, ends) != n)
        limit += 2;
    if (n >= 2 && !(limit < avail))
        n = part_ends(L, t, w, avail, ends);
    free(w);
    return n;
}

/* One type size for every part: the largest at which each fits.  0 when
 * out of memory or a part does not fit. */
static double parts_size(layout *L, const booklet_table *t,
                         const size_t *ends, size_t n)
{
    double fs = 100;
    for (size_t i = 0, a = t->lead; i < n; a = ends[i++]) {
        struct tshape sh = { 0 };
        booklet_table *p = table_part(t, a, ends[i]);
        if (!p || table_shape(L, p, fs, &sh) != 0)
            fs = 0;
        else
            fs = sh.fs;
        L->oom |= !p;
        shape_release(&sh);
        part_free(p);
    }
    return fs;
}

/* ------------------------------------------------------------------ */
/* Drawing.                                                            */

/* Where a left-aligned cell's text starts and how wide it may be: the
 * row's height is measured as it is drawn. */
static double text_indent(const booklet_row *row)
{
    return (double)row->indent * 3;
}

static double text_width(const struct tshape *sh, size_t k,
                         const booklet_row *row)
{
    return sh->x[k + 1] - sh->x[k] - 2 * CELL_PAD - text_indent(row);
}

static double row_height(layout *L, const booklet_table *t,
                         const struct tshape *sh, const booklet_row *row)
{
    size_t most = 1;
    for (size_t k = 0; k < t->n_cols; k++) {
        if (t->align[k] != ALIGN_LEFT)
            continue;
        size_t nl = layout_count_lines(L, row_face(row), sh->fs,
                                       row->cells[k], text_width(sh, k, row));
        if (nl > most)
            most = nl;
    }
    return (double)most * sh->lh + 2 * CELL_PAD * 0.8;
}

static void table_head(layout *L, const booklet_table *t,
                       const struct tshape *sh)
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
        size_t nl = layout_count_lines(L, face, sh->fs, c->text,
                                       w - 2 * CELL_PAD);
        double th = (double)nl * sh->lh;
        double by = top + (hh - th) / 2 + sh->fs * PT * 0.9;
        layout_draw_wrapped(L, face, sh->fs, c->text, x + CELL_PAD, by,
                            w - 2 * CELL_PAD, sh->lh, TEXT_CENTER, 0,
                            0x000000);
        layout_rect(L, x, top, w, hh, 0.5, 0x000000, CADRE_PDF_NONE);
    }
    L->y += sh->head_h;
}

/* A figure or a short text on one line within its cell: shrunk when it
 * is wider (a text, never a figure: the column is as wide as those). */
static void cell_line(layout *L, const booklet_table *t,
                      const struct tshape *sh, size_t k, int face,
                      const char *s, double y)
{
    double x = sh->x[k], w = sh->x[k + 1] - x, fs = sh->fs;
    double tw = layout_width(L, face, fs, s, strlen(s));
    if (tw > w - 2 * CELL_PAD)
        fs *= (w - 2 * CELL_PAD) / tw;
    bool centre = t->align[k] == ALIGN_CENTER;
    layout_text(L, face, fs, centre ? x + w / 2 : x + w - CELL_PAD, y,
                centre ? CADRE_PDF_CENTER : CADRE_PDF_RIGHT, s, strlen(s),
                0x000000);
}

static void table_row(layout *L, const booklet_table *t,
                      const struct tshape *sh, const booklet_row *row,
                      double h)
{
    int face = row_face(row);
    double x0 = sh->x[0], x1 = sh->x[t->n_cols];
    if (row->kind == ROW_TOTAL || row->kind == ROW_SUBTOTAL)
        layout_rect(L, x0, L->y, x1 - x0, h, 0, CADRE_PDF_NONE,
                    row->kind == ROW_TOTAL ? 0xDDDDDD : 0xF0F0F0);
    double by = L->y + CELL_PAD * 0.8 + sh->fs * PT * 0.9;
    for (size_t k = 0; k < t->n_cols; k++) {
        const char *s = row->cells[k];
        if (t->align[k] == ALIGN_LEFT)
            layout_draw_wrapped(L, face, sh->fs, s,
                                sh->x[k] + CELL_PAD + text_indent(row), by,
                                text_width(sh, k, row), sh->lh, TEXT_LEFT, 0,
                                0x000000);
        else if (*s)
            cell_line(L, t, sh, k, face, s, by);
        layout_line(L, sh->x[k], L->y, sh->x[k], L->y + h, 0.5, 0x000000);
    }
    layout_line(L, x1, L->y, x1, L->y + h, 0.5, 0x000000);
    layout_line(L, x0, L->y + h, x1, L->y + h, 0.5, 0x000000);
    L->y += h;
}

/* Height of the title, note, heading and first rows, which go together. */
static double table_start_h(layout *L, const booklet_table *t,
                            const struct tshape *sh)
{
    double w = L->right - L->left;
    double title_h = t->title ? line_height(11) * (double)layout_count_lines(
                                    L, FACE_BOLD, 11, t->title, w) + 1
                              : 0;
    double note_h = t->note ? line_height(9) * (double)layout_count_lines(
                                  L, FACE_ITALIC, 9, t->note, w)
                            : 0;
    double rows = 0;
    for (size_t r = 0; r < t->n_rows && r < 3; r++)
        rows += row_height(L, t, sh, &t->rows[r]);
    return title_h + note_h + sh->head_h + rows + 2;
}

/* The line over a table continued: its title and "(tiếp theo)". */
static void continued(layout *L, const booklet_table *t)
{
    if (!t->title)
        return;
    size_t len = strlen(t->title) + sizeof " (tiếp theo)";
    char *s = malloc(len);
    if (!s) {
        L->oom = true;
        return;
    }
    snprintf(s, len, "%s (tiếp theo)", t->title);
    size_t nl = layout_draw_wrapped(L, FACE_ITALIC, 9, s, L->left,
                                    L->y + 9 * PT, L->right - L->left,
                                    line_height(9), TEXT_LEFT, 0, 0x555555);
    L->y += (double)nl * line_height(9);
    free(s);
}

static bool sums_above(const booklet_row *row)
{
    return row->kind == ROW_SUBTOTAL || row->kind == ROW_TOTAL;
}

/* Draw one part of a table (or the whole), its title over the first
 * part, "(tiếp theo)" over the others and over each page it runs on. */
static void draw_part(layout *L, const booklet_table *t,
                      const struct tshape *sh, bool first)
{
    double w = L->right - L->left;
    /* title, heading and a few rows together, or a new page */
    layout_ensure(L, table_start_h(L, t, sh));
    if (t->title && first) {
        size_t nl = layout_draw_wrapped(L, FACE_BOLD, 11, t->title, L->left,
                                        L->y + 11 * PT, w, line_height(11),
                                        TEXT_CENTER, 0, 0x000000);
        L->y += (double)nl * line_height(11) + 1;
    } else if (!first) {
        continued(L, t);
    }
    if (t->note) {
        size_t nl = layout_draw_wrapped(L, FACE_ITALIC, 9, t->note, L->left,
                                        L->y + 9 * PT, w, line_height(9),
                                        TEXT_RIGHT, 0, 0x000000);
        L->y += (double)nl * line_height(9);
    }
    table_head(L, t, sh);
    for (size_t r = 0; r < t->n_rows; r++) {
        double h = row_height(L, t, sh, &t->rows[r]);
        /* a group's heading row goes with its first unit, subtotals and
         * totals with the row above them (never alone under a repeated
         * heading) */
        double keep = h;
        if (t->rows[r].kind == ROW_GROUP && r + 1 < t->n_rows)
            keep += row_height(L, t, sh, &t->rows[r + 1]);
        for (size_t j = r + 1; t->rows[r].kind == ROW_PLAIN &&
                               j < t->n_rows && sums_above(&t->rows[j]);
             j++)
            keep += row_height(L, t, sh, &t->rows[j]);
        if (L->y + keep > L->bottom) {
            layout_new_page(L, L->orient, false);
            continued(L, t);
            table_head(L, t, sh);
        }
        table_row(L, t, sh, &t->rows[r], h);
    }
    L->y += 5;
}

/* The table whole, or in parts when it is too wide for the page: drawn
 * with `draw`, else measured (the height of its start, see
 * table_start_h()). */
static double whole_or_parts(layout *L, const booklet_table *t, bool draw)
{
    struct tshape sh = { 0 };
    int fit = table_shape(L, t, 100, &sh);
    if (fit == 0) {
        double h = draw ? 0 : table_start_h(L, t, &sh);
        if (draw)
            draw_part(L, t, &sh, true);
        shape_release(&sh);
        return h;
    }
    shape_release(&sh);
    size_t *ends = malloc((t->n_cols + 1) * sizeof *ends);
    size_t n = fit > 0 && ends ? even_parts(L, t, ends) : 0;
    double fs = n ? parts_size(L, t, ends, n) : 0, h = 0;
    for (size_t i = 0, a = t->lead; i < n && fs > 0; a = ends[i++]) {
        booklet_table *p = table_part(t, a, ends[i]);
        if (!p || table_shape(L, p, fs, &sh) != 0) {
            L->oom |= !p;
            part_free(p);
            shape_release(&sh);
            break;
        }
        if (draw)
            draw_part(L, p, &sh, i == 0);
        else if (i == 0)
            h = table_start_h(L, p, &sh);
        shape_release(&sh);
        part_free(p);
        if (!draw)
            break;
    }
    free(ends);
    return h;
}

double booklet_table_need(layout *L, const booklet_table *t)
{
    return whole_or_parts(L, t, false);
}

void booklet_table_draw(layout *L, const booklet_table *t)
{
    whole_or_parts(L, t, true);
}
