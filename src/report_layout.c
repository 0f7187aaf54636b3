/*
 * report_layout.c - the pages of a booklet: cover, contents, sections with
 * their sentences, tables and charts, header, footer "Trang x/y", the
 * signer block and the bookmarks.
 *
 * Everything is laid out first into a list of drawing operations per page
 * and drawn afterwards: the footer needs the number of pages, and the
 * contents (at the front) need the page where every section starts.  The
 * contents get their pages reserved before the body is laid out, since
 * their number of lines is known from the start.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadre/pdf.h"
#include "cadre/text.h"
#include "report_draw.h"
#include "report_internal.h"

#define PT (25.4 / 72)   /* mm in a point */
#define A4_W 210.0
#define A4_H 297.0
#define BODY_SIZE 13.0   /* the size of a document's sentences */
#define CONTENTS_LINES 28 /* entries on one contents page */

enum { F_REG, F_BOLD, F_IT, F_BI, N_FACES };
enum { OP_TEXT, OP_LINE, OP_RECT };

/* One thing to draw. */
struct op {
    uint8_t kind;   /* OP_* */
    uint8_t face;   /* F_* for text */
    uint8_t align;  /* cadre_pdf_align for text */
    double size;    /* points (text), line width (lines, rectangles) */
    double x, y;    /* text baseline point; line start; rectangle corner */
    double x2, y2;  /* line end; rectangle width and height */
    uint32_t color; /* text, line or stroke colour */
    uint32_t fill;  /* rectangle fill */
    char *text;     /* owned */
};

struct page {
    double w, h;     /* mm */
    bool plain;      /* no header and footer (the cover) */
    struct op *ops;
    size_t n, cap;
};

/* A bookmark, and a contents entry when level is 0. */
struct mark {
    const char *title; /* borrowed from the booklet */
    size_t page;       /* index */
    int level;
    bool in_contents;
};

typedef struct lay {
    cadre_pdf *pdf;
    int face[N_FACES];
    struct page *pages;
    size_t n_pages, cap_pages;
    double y;                 /* where the next thing goes, mm from top */
    double left, right;       /* content box of the current page */
    double top, bottom;
    int orient;               /* 1 portrait, 2 landscape */
    struct mark *marks;
    size_t n_marks, cap_marks;
    bool oom;
} lay;

static const uint32_t palette[] = { 0x1F4E79, 0xC55A11, 0x548235, 0xBF9000,
                                    0x7030A0, 0x2E75B6, 0x843C0C, 0x7F7F7F };

/* ------------------------------------------------------------------ */
/* Pages and operations.                                               */

static struct page *cur(lay *L) { return &L->pages[L->n_pages - 1]; }

static void new_page(lay *L, int orient, bool plain)
{
    if (L->n_pages == L->cap_pages) {
        size_t cap = L->cap_pages ? L->cap_pages * 2 : 16;
        struct page *p = realloc(L->pages, cap * sizeof *p);
        if (!p) {
            L->oom = true;
            return;
        }
        L->pages = p;
        L->cap_pages = cap;
    }
    struct page *p = &L->pages[L->n_pages++];
    memset(p, 0, sizeof *p);
    p->plain = plain;
    L->orient = orient;
    p->w = orient == 2 ? A4_H : A4_W;
    p->h = orient == 2 ? A4_W : A4_H;
    /* Nghị định 30: 30-35 mm left for binding, 15-20 right, 20-25 top
     * and bottom; a landscape page is bound at its top */
    L->left = orient == 2 ? 20 : 30;
    L->right = p->w - (orient == 2 ? 15 : 18);
    L->top = orient == 2 ? 25 : 22;
    L->bottom = p->h - 18;
    L->y = L->top;
}

static struct op *add_op(lay *L, int kind)
{
    if (L->oom || !L->n_pages)
        return NULL;
    struct page *p = cur(L);
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 64;
        struct op *o = realloc(p->ops, cap * sizeof *o);
        if (!o) {
            L->oom = true;
            return NULL;
        }
        p->ops = o;
        p->cap = cap;
    }
    struct op *o = &p->ops[p->n++];
    memset(o, 0, sizeof *o);
    o->kind = (uint8_t)kind;
    return o;
}

static void text_op(lay *L, int face, double size, double x, double y,
                    int align, const char *s, size_t len, uint32_t color)
{
    if (!len)
        return;
    struct op *o = add_op(L, OP_TEXT);
    if (!o)
        return;
    o->face = (uint8_t)face;
    o->size = size;
    o->x = x;
    o->y = y;
    o->align = (uint8_t)align;
    o->color = color;
    o->text = strndup(s, len);
    if (!o->text) {
        L->oom = true;
        cur(L)->n--;
    }
}

static void line_op(lay *L, double x1, double y1, double x2, double y2,
                    double width, uint32_t color)
{
    struct op *o = add_op(L, OP_LINE);
    if (!o)
        return;
    *o = (struct op){ .kind = OP_LINE, .x = x1, .y = y1, .x2 = x2, .y2 = y2,
                      .size = width, .color = color };
}

static void rect_op(lay *L, double x, double y, double w, double h,
                    double width, uint32_t stroke, uint32_t fill)
{
    struct op *o = add_op(L, OP_RECT);
    if (!o)
        return;
    *o = (struct op){ .kind = OP_RECT, .x = x, .y = y, .x2 = w, .y2 = h,
                      .size = width, .color = stroke, .fill = fill };
}

static void mark(lay *L, const char *title, int level, bool in_contents)
{
    if (L->n_marks == L->cap_marks) {
        size_t cap = L->cap_marks ? L->cap_marks * 2 : 32;
        struct mark *m = realloc(L->marks, cap * sizeof *m);
        if (!m) {
            L->oom = true;
            return;
        }
        L->marks = m;
        L->cap_marks = cap;
    }
    L->marks[L->n_marks++] = (struct mark){ title, L->n_pages - 1, level,
                                            in_contents };
}

/* ------------------------------------------------------------------ */
/* Text.                                                               */

static double width(lay *L, int face, double size, const char *s, size_t len)
{
    char buf[512];
    const char *t = s;
    char *heap = NULL;
    if (s[len] != '\0') {
        if (len < sizeof buf) {
            memcpy(buf, s, len);
            buf[len] = '\0';
            t = buf;
        } else {
            heap = strndup(s, len);
            if (!heap) {
                L->oom = true;
                return 0;
            }
            t = heap;
        }
    }
    cadre_pdf_font f = { L->face[face], size, 0 };
    double w = 0;
    cadre_pdf_text_width(L->pdf, &f, t, &w);
    free(heap);
    return w;
}

/* A line of a wrapped text: bytes [start, end), words [w0, w1). */
struct wline {
    size_t start, end;
    size_t w0, w1;
    double width;  /* natural width, mm */
};

struct word {
    size_t start, len;
    double width;
};

/* The words of `s` and its lines within `maxw` mm.  Returns the number
 * of lines (at least 1); *lines and *words are allocated. */
static size_t wrap_ind(lay *L, int face, double size, const char *s,
                       double maxw, double indent, struct wline **lines,
                       struct word **words, size_t *nw);

static size_t wrap(lay *L, int face, double size, const char *s, double maxw,
                   struct wline **lines, struct word **words, size_t *nw)
{
    return wrap_ind(L, face, size, s, maxw, 0, lines, words, nw);
}

/* As wrap(), the first line `indent` mm narrower. */
static size_t wrap_ind(lay *L, int face, double size, const char *s,
                       double maxw, double indent, struct wline **lines,
                       struct word **words, size_t *nw)
{
    size_t len = strlen(s), n = 0, cap = 16;
    struct word *w = malloc(cap * sizeof *w);
    *lines = NULL;
    *words = w;
    *nw = 0;
    if (!w) {
        L->oom = true;
        return 1;
    }
    for (size_t i = 0; i < len;) {
        while (i < len && s[i] == ' ')
            i++;
        size_t j = i;
        while (j < len && s[j] != ' ')
            j++;
        if (j > i) {
            if (n == cap) {
                cap *= 2;
                struct word *g = realloc(w, cap * sizeof *g);
                if (!g) {
                    L->oom = true;
                    return 1;
                }
                w = g;
                *words = w;
            }
            w[n++] = (struct word){ i, j - i, width(L, face, size, s + i,
                                                    j - i) };
        }
        i = j;
    }
    *nw = n;
    double space = width(L, face, size, " ", 1);
    struct wline *ln = malloc((n + 1) * sizeof *ln);
    if (!ln) {
        L->oom = true;
        return 1;
    }
    size_t nl = 0;
    size_t i = 0;
    if (!n)
        ln[nl++] = (struct wline){ 0, 0, 0, 0, 0 };
    while (i < n) {
        size_t j = i + 1;
        double lw = w[i].width;
        double mw = maxw - (nl == 0 ? indent : 0);
        while (j < n && lw + space + w[j].width <= mw) {
            lw += space + w[j].width;
            j++;
        }
        ln[nl++] = (struct wline){ w[i].start, w[j - 1].start + w[j - 1].len,
                                   i, j, lw };
        i = j;
    }
    *lines = ln;
    return nl;
}

/* Draw `s` wrapped in [x, x + maxw] from baseline y, each line aligned
 * RP_LEFT, RP_CENTER or RP_RIGHT; returns the lines used. */
static size_t draw_wrapped(lay *L, int face, double size, const char *s,
                           double x, double y, double maxw, double lh,
                           int align, double indent, uint32_t color)
{
    struct wline *ln;
    struct word *w;
    size_t nw;
    size_t nl = wrap_ind(L, face, size, s, maxw, indent, &ln, &w, &nw);
    for (size_t i = 0; ln && i < nl; i++) {
        double lx = x + (i == 0 ? indent : 0);
        double avail = maxw - (i == 0 ? indent : 0);
        double ax = align == RP_CENTER ? lx + avail / 2
                  : align == RP_RIGHT ? lx + avail : lx;
        text_op(L, face, size, ax, y + (double)i * lh,
                align == RP_CENTER ? CADRE_PDF_CENTER
                : align == RP_RIGHT ? CADRE_PDF_RIGHT : CADRE_PDF_LEFT,
                s + ln[i].start, ln[i].end - ln[i].start, color);
    }
    free(ln);
    free(w);
    return nl;
}

static size_t count_lines(lay *L, int face, double size, const char *s,
                          double maxw)
{
    struct wline *ln;
    struct word *w;
    size_t nw;
    size_t nl = wrap(L, face, size, s, maxw, &ln, &w, &nw);
    free(ln);
    free(w);
    return nl;
}

/* The widest word of `s`, mm. */
static double widest_word(lay *L, int face, double size, const char *s)
{
    struct wline *ln;
    struct word *w;
    size_t nw;
    wrap(L, face, size, s, 1e9, &ln, &w, &nw);
    double m = 0;
    for (size_t i = 0; w && i < nw; i++)
        if (w[i].width > m)
            m = w[i].width;
    free(ln);
    free(w);
    return m;
}

/* ------------------------------------------------------------------ */
/* Flow: paragraphs and headings.                                      */

static double lh_of(double size) { return size * 1.35 * PT; }

static void ensure(lay *L, double h)
{
    if (L->y + h > L->bottom)
        new_page(L, L->orient, false);
}

/* Draw line `ln` of `s` at (x, y): stretched to `avail` when `justify`. */
static void draw_line(lay *L, int face, double size, const char *s,
                      const struct word *w, const struct wline *ln, double x,
                      double y, double avail, int align)
{
    size_t nwords = ln->w1 - ln->w0;
    if (align == 3 && nwords > 1) {
        double space = width(L, face, size, " ", 1);
        double gap = (avail - ln->width) / (double)(nwords - 1);
        double px = x;
        for (size_t k = ln->w0; k < ln->w1; k++) {
            text_op(L, face, size, px, y, CADRE_PDF_LEFT, s + w[k].start,
                    w[k].len, 0x000000);
            px += w[k].width + space + gap;
        }
        return;
    }
    double ax = align == RP_CENTER ? x + avail / 2 : x;
    text_op(L, face, size, ax, y,
            align == RP_CENTER ? CADRE_PDF_CENTER : CADRE_PDF_LEFT,
            s + ln->start, ln->end - ln->start, 0x000000);
}

static void paragraph(lay *L, const rp_bblock *b)
{
    int face = b->bold ? (b->italic ? F_BI : F_BOLD)
                       : (b->italic ? F_IT : F_REG);
    double size = BODY_SIZE, lh = lh_of(size);
    double w = L->right - L->left;
    double indent = b->center ? 0 : 10;
    struct wline *ln;
    struct word *words;
    size_t nw;
    size_t nl = wrap_ind(L, face, size, b->text, w, indent, &ln, &words,
                         &nw);
    /* never one line alone at the foot of a page, nor at the head of
     * the next */
    ensure(L, lh * (nl > 1 ? 2 : 1));
    for (size_t i = 0; ln && i < nl; i++) {
        bool room = L->y + lh <= L->bottom;
        bool widow = nl > 2 && i + 2 == nl && L->y + 2 * lh > L->bottom;
        if (!room || widow)
            new_page(L, L->orient, false);
        double x = L->left + (i == 0 ? indent : 0);
        double avail = w - (i == 0 ? indent : 0);
        draw_line(L, face, size, b->text, words, &ln[i], x,
                  L->y + size * PT, avail,
                  b->center ? RP_CENTER : (i + 1 < nl ? 3 : RP_LEFT));
        L->y += lh;
    }
    free(ln);
    free(words);
    L->y += 2.5;
}

static void heading(lay *L, const char *text, double size, bool center,
                    double need_after)
{
    double lh = lh_of(size);
    double w = L->right - L->left;
    size_t nl = count_lines(L, F_BOLD, size, text, w);
    /* a heading never ends a page: it goes with what follows it */
    ensure(L, (double)nl * lh + 2 + need_after);
    L->y += 1;
    draw_wrapped(L, F_BOLD, size, text, L->left, L->y + size * PT, w, lh,
                 center ? RP_CENTER : RP_LEFT, 0, 0x000000);
    L->y += (double)nl * lh + 2;
}

/* ------------------------------------------------------------------ */
/* Tables.                                                             */

struct tshape {
    double fs;        /* font size */
    double lh;        /* line height, mm */
    double *x;        /* left edge of each column, n_cols + 1 */
    double *hrow;     /* heading row heights */
    double head_h;    /* their sum */
};

#define PAD 1.2

static bool table_wide(const rp_btable *t) { return t->n_cols > 11; }

/* Column widths: each column gets at least its widest figure and the
 * widest word of its heading; what is left is shared by weight. */
static int table_shape(lay *L, const rp_btable *t, struct tshape *sh)
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
                int face = t->rows[r].kind == RP_ROW_PLAIN ? F_REG : F_BOLD;
                double w = t->align[k] == RP_LEFT
                               ? widest_word(L, face, sh->fs, s)
                               : width(L, face, sh->fs, s, strlen(s));
                if (w > minw[k])
                    minw[k] = w;
            }
            for (size_t h = 0; h < t->n_head; h++)
                if (t->head[h].col == (int)k && t->head[h].cols == 1) {
                    double w = widest_word(L, F_BOLD, sh->fs,
                                           t->head[h].text);
                    if (w > minw[k])
                        minw[k] = w;
                }
            /* a text column (the units' names) keeps room for a few words
             * a line: the figures give way first, by a smaller font */
            if (t->align[k] == RP_LEFT && t->weights[k] >= 2) {
                double want = 0;
                for (size_t r = 0; r < t->n_rows; r++) {
                    const char *s = t->rows[r].cells[k];
                    double w = width(L, F_REG, sh->fs, s, strlen(s));
                    if (w > want)
                        want = w;
                }
                double floor = avail * 0.12;
                if (want > floor)
                    want = floor;
                if (minw[k] < want)
                    minw[k] = want;
            }
            minw[k] += 2 * PAD;
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
            size_t stub = n > 1 && t->align[0] == RP_CENTER ? 1 : 0;
            for (size_t k = stub + 1; k <= n; k++)
                sh->x[k] = (k < n ? sh->x[k] : x) + extra;
            sh->x[n] = x + extra;
            break;
        }
    }
    free(minw);
    sh->lh = lh_of(sh->fs) * 0.95;
    /* heading rows: each as tall as its tallest one-row cell, then taller
     * where a cell spanning rows needs it */
    for (int pass = 0; pass < 2; pass++) {
        for (size_t h = 0; h < t->n_head; h++) {
            const rp_hcell *c = &t->head[h];
            if ((pass == 0) != (c->rows == 1))
                continue;
            double w = sh->x[c->col + c->cols] - sh->x[c->col] - 2 * PAD;
            double need = (double)count_lines(L, F_BOLD, sh->fs, c->text, w) *
                              sh->lh + 2 * PAD;
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

static double row_height(lay *L, const rp_btable *t, const struct tshape *sh,
                         const rp_brow *row)
{
    size_t most = 1;
    int face = row->kind == RP_ROW_PLAIN ? F_REG : F_BOLD;
    for (size_t k = 0; k < t->n_cols; k++) {
        if (t->align[k] != RP_LEFT)
            continue;
        double w = sh->x[k + 1] - sh->x[k] - 2 * PAD;
        size_t nl = count_lines(L, face, sh->fs, row->cells[k], w);
        if (nl > most)
            most = nl;
    }
    return (double)most * sh->lh + 2 * PAD * 0.8;
}

static void table_head(lay *L, const rp_btable *t, const struct tshape *sh)
{
    double y0 = L->y;
    rect_op(L, sh->x[0], y0, sh->x[t->n_cols] - sh->x[0], sh->head_h, 0,
            CADRE_PDF_NONE, 0xE8EEF4);
    for (size_t h = 0; h < t->n_head; h++) {
        const rp_hcell *c = &t->head[h];
        double top = y0;
        for (int r = 0; r < c->row; r++)
            top += sh->hrow[r];
        double hh = 0;
        for (int r = c->row; r < c->row + c->rows; r++)
            hh += sh->hrow[r];
        double x = sh->x[c->col], w = sh->x[c->col + c->cols] - x;
        size_t nl = count_lines(L, F_BOLD, sh->fs, c->text, w - 2 * PAD);
        double th = (double)nl * sh->lh;
        double by = top + (hh - th) / 2 + sh->fs * PT * 0.9;
        draw_wrapped(L, F_BOLD, sh->fs, c->text, x + PAD, by, w - 2 * PAD,
                     sh->lh, RP_CENTER, 0, 0x000000);
        rect_op(L, x, top, w, hh, 0.5, 0x000000, CADRE_PDF_NONE);
    }
    L->y += sh->head_h;
}

static void table_row(lay *L, const rp_btable *t, const struct tshape *sh,
                      const rp_brow *row, double h)
{
    int face = row->kind == RP_ROW_PLAIN ? F_REG : F_BOLD;
    if (row->kind == RP_ROW_TOTAL)
        rect_op(L, sh->x[0], L->y, sh->x[t->n_cols] - sh->x[0], h, 0,
                CADRE_PDF_NONE, 0xDDDDDD);
    else if (row->kind == RP_ROW_SUBTOTAL)
        rect_op(L, sh->x[0], L->y, sh->x[t->n_cols] - sh->x[0], h, 0,
                CADRE_PDF_NONE, 0xF0F0F0);
    for (size_t k = 0; k < t->n_cols; k++) {
        double x = sh->x[k], w = sh->x[k + 1] - x;
        const char *s = row->cells[k];
        double by = L->y + PAD * 0.8 + sh->fs * PT * 0.9;
        if (t->align[k] == RP_LEFT) {
            double ind = (double)row->indent * 3;
            draw_wrapped(L, face, sh->fs, s, x + PAD + ind, by,
                         w - 2 * PAD - ind, sh->lh, RP_LEFT, 0, 0x000000);
        } else if (*s) {
            double ax = t->align[k] == RP_CENTER ? x + w / 2 : x + w - PAD;
            text_op(L, face, sh->fs, ax, by,
                    t->align[k] == RP_CENTER ? CADRE_PDF_CENTER
                                             : CADRE_PDF_RIGHT,
                    s, strlen(s), 0x000000);
        }
        line_op(L, x, L->y, x, L->y + h, 0.5, 0x000000);
    }
    line_op(L, sh->x[t->n_cols], L->y, sh->x[t->n_cols], L->y + h, 0.5,
            0x000000);
    line_op(L, sh->x[0], L->y + h, sh->x[t->n_cols], L->y + h, 0.5,
            0x000000);
    L->y += h;
}

/* Height of the title, heading and first rows, which go together. */
static double table_start_h(lay *L, const rp_btable *t,
                            const struct tshape *sh)
{
    double title_h = t->title ? lh_of(11) * (double)count_lines(L, F_BOLD,
                                    11, t->title, L->right - L->left) + 1
                              : 0;
    double note_h = t->note ? lh_of(9) : 0;
    double rows = 0;
    for (size_t r = 0; r < t->n_rows && r < 3; r++)
        rows += row_height(L, t, sh, &t->rows[r]);
    return title_h + note_h + sh->head_h + rows + 2;
}

static double table_need(lay *L, const rp_btable *t)
{
    struct tshape sh = { 0 };
    double h = table_shape(L, t, &sh) < 0 ? 0 : table_start_h(L, t, &sh);
    free(sh.x);
    free(sh.hrow);
    return h;
}

static void table(lay *L, const rp_btable *t)
{
    struct tshape sh = { 0 };
    if (table_shape(L, t, &sh) < 0)
        return;
    double note_h = t->note ? lh_of(9) : 0;
    /* title, heading and a few rows together, or a new page */
    ensure(L, table_start_h(L, t, &sh));
    if (t->title) {
        size_t nl = draw_wrapped(L, F_BOLD, 11, t->title, L->left,
                                 L->y + 11 * PT, L->right - L->left,
                                 lh_of(11), RP_CENTER, 0, 0x000000);
        L->y += (double)nl * lh_of(11) + 1;
    }
    if (t->note) {
        text_op(L, F_IT, 9, L->right, L->y + 9 * PT, CADRE_PDF_RIGHT, t->note,
                strlen(t->note), 0x000000);
        L->y += note_h;
    }
    table_head(L, t, &sh);
    for (size_t r = 0; r < t->n_rows; r++) {
        double h = row_height(L, t, &sh, &t->rows[r]);
        /* a group's heading row goes with its first unit */
        double keep = h;
        if (t->rows[r].kind == RP_ROW_GROUP && r + 1 < t->n_rows)
            keep += row_height(L, t, &sh, &t->rows[r + 1]);
        if (L->y + keep > L->bottom) {
            new_page(L, L->orient, false);
            if (t->title) {
                char buf[600];
                snprintf(buf, sizeof buf, "%s (tiếp theo)", t->title);
                text_op(L, F_IT, 9, L->left, L->y + 9 * PT, CADRE_PDF_LEFT,
                        buf, strlen(buf), 0x555555);
                L->y += lh_of(9);
            }
            table_head(L, t, &sh);
        }
        table_row(L, t, &sh, &t->rows[r], h);
    }
    L->y += 5;
    free(sh.x);
    free(sh.hrow);
}

/* ------------------------------------------------------------------ */
/* Charts.                                                             */

/* A round step for an axis up to `max` in about five steps. */
static double nice_step(double max)
{
    if (max <= 0)
        return 1;
    double raw = max / 5, p = pow(10, floor(log10(raw)));
    double f = raw / p;
    double step = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
    step *= p;
    return step < 1 ? 1 : step;
}

static void number(double v, char *buf, size_t size)
{
    cadre_format_int((long long)llround(v), buf, size);
}

/* Everything of a chart but its plot: title, labels, legend. */
static double chart_extra(lay *L, const rp_bchart *c, double *label_h,
                          double *legend_h, double *xt_h, double *title_h)
{
    double fs = 8, W = L->right - L->left;
    size_t nc = c->n_cats;
    bool legend = c->n_series > 1 || (c->n_series == 1 && c->series[0]);
    *title_h = c->title ? lh_of(11) * (double)count_lines(L, F_BOLD, 11,
                              c->title, W) + 2 : 0;
    double slot = (W - 16) / (double)(nc ? nc : 1);
    size_t label_lines = 1;
    for (size_t i = 0; i < nc; i++) {
        size_t nl = count_lines(L, F_REG, fs, c->cats[i], slot - 1);
        if (nl > label_lines)
            label_lines = nl;
    }
    *label_h = (double)label_lines * lh_of(fs) + 2;
    *legend_h = legend ? lh_of(fs) * 2 + 2 : 0;
    *xt_h = c->x_title && *c->x_title ? lh_of(fs) + 1 : 0;
    return *title_h + *label_h + *legend_h + *xt_h + 4;
}

static double chart_need(lay *L, const rp_bchart *c)
{
    double a, b, d, e;
    return c->height + chart_extra(L, c, &a, &b, &d, &e);
}

static void chart(lay *L, const rp_bchart *c)
{
    double title_size = 11, fs = 8;
    double W = L->right - L->left;
    double H = c->height;
    size_t ns = c->n_series, nc = c->n_cats;
    bool legend = ns > 1 || (ns == 1 && c->series[0]);
    double label_h, legend_h, xt_h, title_h;
    double extra = chart_extra(L, c, &label_h, &legend_h, &xt_h, &title_h);
    double slot;
    ensure(L, H + extra);
    if (c->title) {
        size_t nl = draw_wrapped(L, F_BOLD, title_size, c->title, L->left,
                                 L->y + title_size * PT, W,
                                 lh_of(title_size), RP_CENTER, 0, 0x000000);
        L->y += (double)nl * lh_of(title_size) + 2;
    }
    /* the largest bar (or stack) decides the scale */
    double max = 0;
    for (size_t i = 0; i < nc; i++) {
        double stack = 0;
        for (size_t s = 0; s < ns; s++) {
            double v = c->v[i * ns + s];
            if (c->type == RP_STACKED)
                stack += v;
            else if (v > max)
                max = v;
        }
        if (stack > max)
            max = stack;
    }
    double step = nice_step(max * 1.08);
    double top_v = step * ceil(max * 1.08 / step);
    if (top_v <= 0)
        top_v = step * 5;
    /* y labels: as wide as the widest number */
    char buf[64];
    number(top_v, buf, sizeof buf);
    double yl_w = width(L, F_REG, fs, buf, strlen(buf)) + 2;
    double yt_w = c->y_title && *c->y_title ? lh_of(fs) + 1 : 0;
    double px = L->left + yl_w + yt_w, pw = L->right - px - 2;
    double py = L->y + lh_of(fs), ph = H - lh_of(fs);
    slot = pw / (double)(nc ? nc : 1);
    /* grid and axis */
    for (double v = 0; v <= top_v + step / 2; v += step) {
        double y = py + ph - ph * v / top_v;
        line_op(L, px, y, px + pw, y, v == 0 ? 0.8 : 0.3,
                v == 0 ? 0x000000 : 0xBBBBBB);
        number(v, buf, sizeof buf);
        text_op(L, F_REG, fs, px - 1.5, y + fs * PT * 0.35, CADRE_PDF_RIGHT,
                buf, strlen(buf), 0x000000);
    }
    line_op(L, px, py, px, py + ph, 0.8, 0x000000);
    if (yt_w)
        text_op(L, F_IT, fs, L->left, L->y + fs * PT * 0.1 + 1,
                CADRE_PDF_LEFT, c->y_title, strlen(c->y_title), 0x000000);
    /* bars, stacks or a line per series */
    double prev_x = 0, prev_y = 0;
    for (size_t s = 0; s < ns && c->type == RP_LINE; s++) {
        for (size_t i = 0; i < nc; i++) {
            double v = c->v[i * ns + s];
            double x = px + slot * ((double)i + 0.5);
            double y = py + ph - ph * v / top_v;
            if (i)
                line_op(L, prev_x, prev_y, x, y, 1.6, palette[s % 8]);
            rect_op(L, x - 0.9, y - 0.9, 1.8, 1.8, 0, CADRE_PDF_NONE,
                    palette[s % 8]);
            number(v, buf, sizeof buf);
            text_op(L, F_REG, fs - 1, x, y - 1.8, CADRE_PDF_CENTER, buf,
                    strlen(buf), 0x333333);
            prev_x = x;
            prev_y = y;
        }
    }
    for (size_t i = 0; i < nc && c->type != RP_LINE; i++) {
        double x0 = px + slot * (double)i + slot * 0.15;
        double bw = slot * 0.7;
        double base = py + ph;
        for (size_t s = 0; s < ns; s++) {
            double v = c->v[i * ns + s];
            double h = ph * v / top_v;
            double bx = x0, w = bw;
            if (c->type == RP_BARS) {
                w = bw / (double)ns;
                bx = x0 + w * (double)s;
            }
            if (h > 0)
                rect_op(L, bx, base - h, w, h, 0, CADRE_PDF_NONE, palette[s % 8]);
            number(v, buf, sizeof buf);
            /* a value over its bar, in a size that stays within the bar
             * (neighbours' values must not run into each other) */
            double vs = fs - 1, tw = width(L, F_REG, vs, buf, strlen(buf));
            while (tw > w - 0.6 && vs > 5) {
                vs -= 0.5;
                tw = width(L, F_REG, vs, buf, strlen(buf));
            }
            if (c->type == RP_BARS && tw <= w - 0.6)
                text_op(L, F_REG, vs, bx + w / 2, base - h - 0.8,
                        CADRE_PDF_CENTER, buf, strlen(buf), 0x000000);
            else if (c->type == RP_STACKED && h > vs * PT + 0.5 && v > 0 &&
                     tw <= w)
                text_op(L, F_REG, vs, bx + w / 2,
                        base - h / 2 + vs * PT * 0.35,
                        CADRE_PDF_CENTER, buf, strlen(buf), 0xFFFFFF);
            if (c->type == RP_STACKED)
                base -= h;
        }
        if (c->type == RP_STACKED) {
            double sum = 0;
            for (size_t s = 0; s < ns; s++)
                sum += c->v[i * ns + s];
            number(sum, buf, sizeof buf);
            text_op(L, F_BOLD, fs - 1, x0 + bw / 2, base - 0.8,
                    CADRE_PDF_CENTER, buf, strlen(buf), 0x000000);
        }
    }
    /* category labels */
    L->y = py + ph + 1;
    for (size_t i = 0; i < nc; i++)
        draw_wrapped(L, F_REG, fs, c->cats[i], px + slot * (double)i + 0.5,
                     L->y + fs * PT, slot - 1, lh_of(fs), RP_CENTER, 0,
                     0x000000);
    L->y += label_h;
    if (xt_h) {
        text_op(L, F_IT, fs, px + pw / 2, L->y + fs * PT, CADRE_PDF_CENTER,
                c->x_title, strlen(c->x_title), 0x000000);
        L->y += xt_h;
    }
    if (legend) {
        /* swatch and name per series, centred as one line */
        double total = 0;
        for (size_t s = 0; s < ns; s++)
            total += 5 + width(L, F_REG, fs, c->series[s] ? c->series[s] : "",
                               c->series[s] ? strlen(c->series[s]) : 0) + 6;
        double x = L->left + (W - total) / 2;
        if (x < L->left)
            x = L->left;
        double y = L->y + 1;
        for (size_t s = 0; s < ns; s++) {
            const char *name = c->series[s] ? c->series[s] : "";
            double tw = width(L, F_REG, fs, name, strlen(name));
            if (x + 5 + tw > L->right) {
                x = L->left;
                y += lh_of(fs) + 1;
            }
            rect_op(L, x, y, 3.5, 3.5 * 0.8, 0, CADRE_PDF_NONE,
                    palette[s % 8]);
            text_op(L, F_REG, fs, x + 5, y + 2.6, CADRE_PDF_LEFT, name,
                    strlen(name), 0x000000);
            x += 5 + tw + 6;
        }
        L->y = y + lh_of(fs) + 2;
    }
    L->y += 4;
}

/* ------------------------------------------------------------------ */
/* Cover, contents, signer.                                            */

static void cover(lay *L, const rp_booklet *b)
{
    new_page(L, 1, true);
    struct page *p = cur(L);
    rect_op(L, 12, 12, p->w - 24, p->h - 24, 2.2, 0x1F4E79, CADRE_PDF_NONE);
    rect_op(L, 14.5, 14.5, p->w - 29, p->h - 29, 0.6, 0x1F4E79,
            CADRE_PDF_NONE);
    double cx = 62, y = 30;
    if (b->parent_issuer) {
        draw_wrapped(L, F_REG, 12, b->parent_issuer, 22, y, 80, lh_of(12),
                     RP_CENTER, 0, 0x000000);
        y += lh_of(12);
    }
    if (b->issuer) {
        size_t nl = draw_wrapped(L, F_BOLD, 12, b->issuer, 22, y, 80,
                                 lh_of(12), RP_CENTER, 0, 0x000000);
        y += (double)(nl - 1) * lh_of(12) + 3;
        line_op(L, cx - 12, y, cx + 12, y, 0.6, 0x000000);
    }
    if (b->national) {
        /* the top right block of an official document, ruled under */
        size_t nl = draw_wrapped(L, F_BOLD, 12, b->national, 108, 30, 82,
                                 lh_of(12), RP_CENTER, 0, 0x000000);
        double ry = 30 + (double)(nl - 1) * lh_of(12) + 3.5;
        double nw = width(L, F_BOLD, 12, b->national, strlen(b->national));
        if (nw > 80)
            nw = 80;
        line_op(L, 149 - nw / 2, ry, 149 + nw / 2, ry, 0.6, 0x000000);
    }
    double W = p->w - 60;
    double ty = 105;
    if (b->title) {
        size_t nl = draw_wrapped(L, F_BOLD, 20, b->title, 30, ty, W,
                                 lh_of(20) * 1.1, RP_CENTER, 0, 0x9C0006);
        ty += (double)nl * lh_of(20) * 1.1 + 6;
    }
    if (b->subtitle)
        draw_wrapped(L, F_IT, 13, b->subtitle, 30, ty, W, lh_of(13),
                     RP_CENTER, 0, 0x000000);
    if (b->place_date)
        draw_wrapped(L, F_IT, 13, b->place_date, 30, p->h - 40, W, lh_of(13),
                     RP_CENTER, 0, 0x000000);
}

static void contents_reserve(lay *L, size_t entries)
{
    size_t pages = (entries + CONTENTS_LINES - 1) / CONTENTS_LINES;
    for (size_t i = 0; i < (pages ? pages : 1); i++)
        new_page(L, 1, false);
}

/* Fill the reserved contents pages, first_page.. with every entry. */
static void contents_fill(lay *L, const char *title, size_t first_page)
{
    size_t keep_n = L->n_pages;
    size_t page = first_page, line = 0;
    L->n_pages = page + 1; /* draw into the reserved page */
    L->y = L->top;
    text_op(L, F_BOLD, 14, (L->left + L->right) / 2, L->y + 14 * PT,
            CADRE_PDF_CENTER, title, strlen(title), 0x000000);
    L->y += lh_of(14) + 6;
    double fs = 12, lh = lh_of(fs) + 1.5;
    for (size_t i = 0; i < L->n_marks; i++) {
        const struct mark *m = &L->marks[i];
        if (!m->in_contents)
            continue;
        if (line == CONTENTS_LINES) {
            L->n_pages = ++page + 1;
            L->y = L->top;
            line = 0;
        }
        char num[16];
        snprintf(num, sizeof num, "%zu", m->page + 1);
        double nw = width(L, F_REG, fs, num, strlen(num));
        double tw = L->right - L->left - nw - 8;
        size_t nl = draw_wrapped(L, F_REG, fs, m->title, L->left,
                                 L->y + fs * PT, tw, lh, RP_LEFT, 0, 0x000000);
        double last_y = L->y + fs * PT + (double)(nl - 1) * lh;
        /* dot leaders from the end of the title's last line */
        struct wline *ln;
        struct word *w;
        size_t nwd;
        size_t k = wrap(L, F_REG, fs, m->title, tw, &ln, &w, &nwd);
        double end = L->left + (ln && k ? ln[k - 1].width : 0) + 2;
        free(ln);
        free(w);
        double dot = width(L, F_REG, fs, ".", 1);
        size_t dots = dot > 0 ? (size_t)((L->right - nw - 2 - end) / dot) : 0;
        if (dots > 0 && dots < 400) {
            char lead[401];
            memset(lead, '.', dots);
            lead[dots] = '\0';
            text_op(L, F_REG, fs, L->right - nw - 2, last_y, CADRE_PDF_RIGHT,
                    lead, dots, 0x777777);
        }
        text_op(L, F_REG, fs, L->right, last_y, CADRE_PDF_RIGHT, num,
                strlen(num), 0x000000);
        L->y += (double)nl * lh;
        line++;
    }
    L->n_pages = keep_n;
}

static void signer(lay *L, const rp_booklet *b)
{
    if (!b->place_date && !b->sign_title && !b->sign_role && !b->sign_name)
        return;
    double colw = (L->right - L->left) / 2;
    double cx = L->right - colw;
    double lh = lh_of(13);
    ensure(L, lh * 5 + 28);
    L->y += 4;
    double y = L->y;
    if (b->place_date) {
        draw_wrapped(L, F_IT, 13, b->place_date, cx, y + 13 * PT, colw, lh,
                     RP_CENTER, 0, 0x000000);
        y += lh;
    }
    double top = y;
    if (b->sign_title) {
        size_t nl = draw_wrapped(L, F_BOLD, 13, b->sign_title, cx,
                                 y + 13 * PT, colw, lh, RP_CENTER, 0, 0);
        y += (double)nl * lh;
    }
    if (b->sign_role) {
        size_t nl = draw_wrapped(L, F_BOLD, 13, b->sign_role, cx,
                                 y + 13 * PT, colw, lh, RP_CENTER, 0, 0);
        y += (double)nl * lh;
    }
    y += 24; /* room for the signature and the seal */
    if (b->sign_name) {
        draw_wrapped(L, F_BOLD, 13, b->sign_name, cx, y + 13 * PT, colw, lh,
                     RP_CENTER, 0, 0);
        y += lh;
    }
    if (b->recipients) {
        /* "Nơi nhận:" and its lines, small, at the left of the signer */
        const char *s = b->recipients;
        double ry = top + 11 * PT;
        while (*s) {
            const char *e = strchr(s, '|');
            size_t n = e ? (size_t)(e - s) : strlen(s);
            text_op(L, s == b->recipients ? F_BI : F_REG,
                    s == b->recipients ? 12 : 11, L->left, ry,
                    CADRE_PDF_LEFT, s, n, 0x000000);
            ry += lh_of(11);
            s += n;
            if (*s == '|')
                s++;
        }
    }
    L->y = y + 4;
}

/* ------------------------------------------------------------------ */
/* The booklet.                                                        */

static int section_orient(const rp_bsection *s)
{
    if (s->orientation)
        return s->orientation;
    for (size_t i = 0; i < s->n_blocks; i++)
        if (s->blocks[i].table && table_wide(s->blocks[i].table))
            return 2;
    return 1;
}

/* What must fit under a heading for it to stay on this page. */
static double need_after(lay *L, const rp_bsection *s, size_t i)
{
    if (i >= s->n_blocks)
        return 0;
    const rp_bblock *b = &s->blocks[i];
    if (b->kind == RP_CHART)
        return chart_need(L, b->chart);
    if (b->kind == RP_TABLE)
        return table_need(L, b->table);
    return 2 * lh_of(BODY_SIZE);
}

static void body(lay *L, const rp_booklet *b)
{
    size_t last = b->n_sections;
    for (size_t i = 0; i < b->n_sections; i++)
        if (b->sections[i].outline_level == 0 && b->sections[i].n_blocks)
            last = i;
    for (size_t i = 0; i < b->n_sections; i++) {
        const rp_bsection *s = &b->sections[i];
        int orient = section_orient(s);
        if (s->new_page || orient != L->orient || i == 0)
            new_page(L, orient, false);
        mark(L, s->title, s->outline_level, s->in_contents &&
                                                s->outline_level == 0);
        if (s->outline_level == 0)
            heading(L, s->title, 14, false, need_after(L, s, 0));
        for (size_t k = 0; k < s->n_blocks; k++) {
            const rp_bblock *bb = &s->blocks[k];
            switch (bb->kind) {
            case RP_PARA:
                paragraph(L, bb);
                break;
            case RP_HEADING:
                heading(L, bb->text, s->outline_level ? 14 : 13,
                        s->outline_level != 0, need_after(L, s, k + 1));
                break;
            case RP_TABLE:
                table(L, bb->table);
                break;
            case RP_CHART:
                chart(L, bb->chart);
                break;
            }
        }
        if (i == last)
            signer(L, b);
    }
}

/* Draw every page: header, footer, bookmarks, operations. */
static cadre_error draw(lay *L, const rp_booklet *b)
{
    cadre_pdf *pdf = L->pdf;
    rp_outline *top = NULL;
    size_t m = 0;
    char buf[64];
    for (size_t i = 0; i < L->n_pages; i++) {
        const struct page *p = &L->pages[i];
        cadre_error err = cadre_pdf_page(pdf, p->w, p->h);
        if (err)
            return err;
        for (; m < L->n_marks && L->marks[m].page == i; m++) {
            const struct mark *mk = &L->marks[m];
            rp_outline *o = rp_pdf_outline(pdf, mk->level ? top : NULL,
                                           mk->title);
            if (!o)
                return cadre_pdf_error(pdf);
            if (!mk->level)
                top = o;
        }
        if (!p->plain) {
            double left = p->w > p->h ? 20 : 30;
            double right = p->w - (p->w > p->h ? 15 : 18);
            cadre_pdf_font hf = { L->face[F_IT], 9, 0x444444 };
            if (b->header) {
                /* shrink a long title to one line */
                double w = 0;
                cadre_pdf_text_width(pdf, &hf, b->header, &w);
                while (w > right - left && hf.size > 6) {
                    hf.size -= 0.5;
                    cadre_pdf_text_width(pdf, &hf, b->header, &w);
                }
                cadre_pdf_text(pdf, &hf, (left + right) / 2, 12,
                               CADRE_PDF_CENTER, b->header);
            }
            cadre_pdf_line(pdf, left, 14, right, 14, 0.5, 0x444444);
            snprintf(buf, sizeof buf, "Trang %zu/%zu", i + 1, L->n_pages);
            hf.size = 9;
            hf.face = L->face[F_REG];
            cadre_pdf_line(pdf, left, p->h - 13, right, p->h - 13, 0.5,
                           0x444444);
            cadre_pdf_text(pdf, &hf, (left + right) / 2, p->h - 8,
                           CADRE_PDF_CENTER, buf);
        }
        for (size_t k = 0; k < p->n; k++) {
            const struct op *o = &p->ops[k];
            if (o->kind == OP_TEXT) {
                cadre_pdf_font f = { L->face[o->face], o->size, o->color };
                cadre_pdf_text(pdf, &f, o->x, o->y, o->align, o->text);
            } else if (o->kind == OP_LINE) {
                cadre_pdf_line(pdf, o->x, o->y, o->x2, o->y2, o->size,
                               o->color);
            } else {
                cadre_pdf_rect(pdf, o->x, o->y, o->x2, o->y2, o->size,
                               o->size > 0 ? o->color : CADRE_PDF_NONE,
                               o->fill);
            }
        }
        if (cadre_pdf_error(pdf))
            return cadre_pdf_error(pdf);
    }
    return rp_pdf_show_outline(pdf);
}

static void lay_release(lay *L)
{
    for (size_t i = 0; i < L->n_pages; i++) {
        for (size_t k = 0; k < L->pages[i].n; k++)
            free(L->pages[i].ops[k].text);
        free(L->pages[i].ops);
    }
    free(L->pages);
    free(L->marks);
}

cadre_error rp_layout_write(const rp_booklet *b, const char *font_family,
                            const char *path, cadre_diags *diags)
{
    cadre_error err = CADRE_ENOMEM;
    lay L = { 0 };
    cadre_pdf_fonts *fonts = cadre_pdf_fonts_new();
    if (!fonts)
        goto done;
    static const cadre_pdf_style styles[N_FACES] = {
        CADRE_PDF_REGULAR, CADRE_PDF_BOLD, CADRE_PDF_ITALIC,
        CADRE_PDF_BOLD_ITALIC };
    for (int i = 0; i < N_FACES; i++) {
        L.face[i] = cadre_pdf_fonts_add(fonts, font_family, styles[i], diags);
        if (L.face[i] < 0) {
            err = CADRE_EFONT;
            goto done;
        }
    }
    L.pdf = cadre_pdf_new(fonts);
    if (!L.pdf)
        goto done;
    cadre_pdf_set_info(L.pdf, b->title, b->issuer, b->subtitle);
    cover(&L, b);
    size_t contents_at = L.n_pages, entries = 0;
    for (size_t i = 0; i < b->n_sections; i++)
        entries += b->sections[i].in_contents &&
                   b->sections[i].outline_level == 0;
    if (b->contents)
        contents_reserve(&L, entries);
    body(&L, b);
    if (b->contents && !L.oom) {
        int keep = L.orient;
        L.orient = 1;
        new_page(&L, 1, false); /* for the margins; removed just below */
        L.n_pages--;
        free(L.pages[L.n_pages].ops);
        contents_fill(&L, b->contents, contents_at);
        L.orient = keep;
    }
    if (L.oom)
        goto done;
    err = draw(&L, b);
    if (err) {
        cadre_diags_error(diags, NULL, 0, "cannot draw the booklet: %s",
                          cadre_pdf_message(L.pdf));
        goto done;
    }
    err = cadre_pdf_save(L.pdf, path, diags);
done:
    if (err == CADRE_ENOMEM)
        cadre_diags_error(diags, NULL, 0, "out of memory");
    lay_release(&L);
    cadre_pdf_free(L.pdf);
    cadre_pdf_fonts_free(fonts);
    return err;
}
