/*
 * report_page.c - the page model of the booklet (report_page.h): pages as
 * lists of drawing operations, text measured with the PDF layer's fonts
 * and broken into lines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/grow.h"
#include "report_page.h"

/* ------------------------------------------------------------------ */
/* Pages and operations.                                               */

void layout_new_page(layout *L, int orient, bool plain)
{
    if (!GROW(L->pages, L->cap_pages, L->n_pages + 1)) {
        L->oom = true;
        return;
    }
    layout_page *p = &L->pages[L->n_pages++];
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

void layout_ensure(layout *L, double h)
{
    if (L->y + h > L->bottom)
        layout_new_page(L, L->orient, false);
}

static draw_op *add_op(layout *L, int kind)
{
    if (L->oom || !L->n_pages)
        return NULL;
    layout_page *p = layout_page_now(L);
    if (!GROW(p->ops, p->cap, p->n + 1)) {
        L->oom = true;
        return NULL;
    }
    draw_op *o = &p->ops[p->n++];
    memset(o, 0, sizeof *o);
    o->kind = (uint8_t)kind;
    return o;
}

void layout_text(layout *L, int face, double size, double x, double y,
                 int align, const char *s, size_t len, uint32_t color)
{
    if (!len)
        return;
    draw_op *o = add_op(L, DRAW_TEXT);
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
        layout_page_now(L)->n--;
    }
}

void layout_line(layout *L, double x1, double y1, double x2, double y2,
                 double width, uint32_t color)
{
    draw_op *o = add_op(L, DRAW_LINE);
    if (!o)
        return;
    *o = (draw_op){ .kind = DRAW_LINE, .x = x1, .y = y1, .x2 = x2, .y2 = y2,
                    .size = width, .color = color };
}

void layout_rect(layout *L, double x, double y, double w, double h,
                 double width, uint32_t stroke, uint32_t fill)
{
    draw_op *o = add_op(L, DRAW_RECT);
    if (!o)
        return;
    *o = (draw_op){ .kind = DRAW_RECT, .x = x, .y = y, .x2 = w, .y2 = h,
                    .size = width, .color = stroke, .fill = fill };
}

void layout_release(layout *L)
{
    for (size_t i = 0; i < L->n_pages; i++) {
        for (size_t k = 0; k < L->pages[i].n; k++)
            free(L->pages[i].ops[k].text);
        free(L->pages[i].ops);
    }
    free(L->pages);
    free(L->marks);
}

/* ------------------------------------------------------------------ */
/* Text.                                                               */

double layout_width(layout *L, int face, double size, const char *s,
                    size_t len)
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

/* The words of `s`, split at spaces, each measured. */
static text_word *split_words(layout *L, int face, double size, const char *s,
                              size_t *nw)
{
    size_t len = strlen(s), n = 0, cap = 0;
    text_word *w = NULL;
    for (size_t i = 0; i < len;) {
        while (i < len && s[i] == ' ')
            i++;
        size_t j = i;
        while (j < len && s[j] != ' ')
            j++;
        if (j > i) {
            if (!GROW(w, cap, n + 1)) {
                L->oom = true;
                break;
            }
            w[n++] = (text_word){ i, j - i,
                                  layout_width(L, face, size, s + i, j - i) };
        }
        i = j;
    }
    *nw = n;
    return w;
}

size_t layout_wrap(layout *L, int face, double size, const char *s,
                   double maxw, double indent, text_line **lines,
                   text_word **words, size_t *nw)
{
    text_word *w = split_words(L, face, size, s, nw);
    size_t n = *nw;
    *words = w;
    *lines = NULL;
    double space = layout_width(L, face, size, " ", 1);
    text_line *ln = malloc((n + 1) * sizeof *ln);
    if (!ln) {
        L->oom = true;
        return 1;
    }
    size_t nl = 0;
    size_t i = 0;
    if (!n)
        ln[nl++] = (text_line){ 0, 0, 0, 0, 0 };
    while (i < n) {
        size_t j = i + 1;
        double lw = w[i].width;
        double mw = maxw - (nl == 0 ? indent : 0);
        while (j < n && lw + space + w[j].width <= mw) {
            lw += space + w[j].width;
            j++;
        }
        ln[nl++] = (text_line){ w[i].start, w[j - 1].start + w[j - 1].len,
                                i, j, lw };
        i = j;
    }
    *lines = ln;
    return nl;
}

size_t layout_draw_wrapped(layout *L, int face, double size, const char *s,
                           double x, double y, double maxw, double lh,
                           int align, double indent, uint32_t color)
{
    text_line *ln;
    text_word *w;
    size_t nw;
    size_t nl = layout_wrap(L, face, size, s, maxw, indent, &ln, &w, &nw);
    for (size_t i = 0; ln && i < nl; i++) {
        double lx = x + (i == 0 ? indent : 0);
        double avail = maxw - (i == 0 ? indent : 0);
        double ax = align == TEXT_CENTER ? lx + avail / 2
                  : align == TEXT_RIGHT ? lx + avail : lx;
        layout_text(L, face, size, ax, y + (double)i * lh,
                    align == TEXT_CENTER ? CADRE_PDF_CENTER
                    : align == TEXT_RIGHT ? CADRE_PDF_RIGHT : CADRE_PDF_LEFT,
                    s + ln[i].start, ln[i].end - ln[i].start, color);
    }
    free(ln);
    free(w);
    return nl;
}

size_t layout_count_lines(layout *L, int face, double size, const char *s,
                          double maxw)
{
    text_line *ln;
    text_word *w;
    size_t nw;
    size_t nl = layout_wrap(L, face, size, s, maxw, 0, &ln, &w, &nw);
    free(ln);
    free(w);
    return nl;
}

double layout_widest_word(layout *L, int face, double size, const char *s)
{
    size_t nw;
    text_word *w = split_words(L, face, size, s, &nw);
    double m = 0;
    for (size_t i = 0; w && i < nw; i++)
        if (w[i].width > m)
            m = w[i].width;
    free(w);
    return m;
}
