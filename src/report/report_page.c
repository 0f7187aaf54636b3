/*
 * report_page.c - the page model of the booklet (report_page.h): pages as
 * lists of drawing operations, text measured with the PDF layer's fonts
 * and broken into lines.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadre/text.h"
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

static bool inside_char(const char *s, size_t i)
{
    return ((unsigned char)s[i] & 0xC0) == 0x80;
}

/* The line breaker's measure (util/linebreak.h): mm at the layout's
 * face and size. */
struct measure_at {
    layout *L;
    int face;
    double size;
};

static double measure_mm(void *ctx, const char *s, size_t len)
{
    const struct measure_at *m = ctx;
    return layout_width(m->L, m->face, m->size, s, len);
}

/* The words of `s`, split at spaces, each measured.  A word wider than
 * `fit` mm is cut into pieces that fit, the pieces after the first marked
 * as continuing it (each starts a line): a long word is broken, never
 * drawn past its box. */
static text_word *split_words(layout *L, int face, double size, const char *s,
                              double fit, size_t *nw)
{
    struct measure_at m = { L, face, size };
    struct line_breaker lb = { .measure = measure_mm, .ctx = &m,
                               .cut = fit, .slack = 0.01 };
    text_word *w = NULL;
    size_t cap = 0, n = line_words(&lb, s, strlen(s), &w, &cap);
    if (n == (size_t)-1) {
        L->oom = true;
        n = 0;
    }
    *nw = n;
    return w;
}

/* Words that begin a phrase in Vietnamese: a line broken before one does
 * not split a word of two syllables (đơn vị, đào tạo, bồi dưỡng). */
static const char *const phrase_starts[] = {
    "và", "của", "theo", "trong", "cho", "với", "các", "những", "về", "tại",
    "từ", "đến", "năm", "để", "do", "hoặc", "hay", "trên", "dưới", "ngoài",
    "sau", "trước", "giữa", "cùng", "thuộc", "qua", "bằng", "khóa", "được",
    "là", "mà", "nhưng", NULL
};

/* Whether `a` and `b` begin with the same character. */
static bool same_first(const char *a, const char *b)
{
    size_t n = 1;
    while (a[n] && inside_char(a, n))
        n++;
    return !strncmp(a, b, n);
}

/* Whether breaking the line between words `a` and `b` of `s` keeps the
 * syllables of a word together: after punctuation or a dash, before an
 * opening parenthesis, a word beginning a phrase, or a name. */
static bool good_break(const char *s, const text_word *a, const text_word *b)
{
    const char *pa = s + a->start, *pb = s + b->start;
    char last = pa[a->len - 1];
    if (strchr(",;:.!?)", last) ||
        (a->len == 1 && last == '-') ||
        (a->len == 3 && !memcmp(pa, "\xe2\x80\x93", 3)) || /* – */
        (a->len == 3 && !memcmp(pa, "\xe2\x80\x94", 3)) || /* — */
        *pb == '(')
        return true;
    char *wa = strndup(pa, a->len), *wb = strndup(pb, b->len);
    char *la = wa ? cadre_text_lower(wa) : NULL;
    char *lb = wb ? cadre_text_lower(wb) : NULL;
    bool good = false;
    for (size_t k = 0; lb && phrase_starts[k] && !good; k++)
        good = !strcmp(lb, phrase_starts[k]);
    /* "Trung tâm | Bồi dưỡng": a capital after a small letter */
    if (!good && la && lb)
        good = same_first(wa, la) && !same_first(wb, lb);
    free(wa);
    free(wb);
    free(la);
    free(lb);
    return good;
}

#define BREAK_INSIDE 1e5 /* cost of a break that may split a word */
#define ONE_LINE 6e4     /* cost of a line: one more line is cheaper than
                            a break inside a word, two more are not */

/* Lines chosen as a whole (headings, titles, cells): as few and as even
 * as the width allows, broken between phrases where it can. */
static size_t phrase_lines(const struct line_breaker *lb, const char *s,
                           const text_word *w, size_t n, text_line *ln)
{
    bool good[LINE_BALANCE_MAX + 1];
    for (size_t j = 1; j < n; j++)
        good[j] = w[j].cont || good_break(s, &w[j - 1], &w[j]);
    return line_balance(lb, w, n, good, ln);
}

size_t layout_wrap(layout *L, int face, double size, const char *s,
                   double maxw, double indent, bool phrases,
                   text_line **lines, text_word **words, size_t *nw)
{
    double narrowest = maxw - (indent > 0 ? indent : 0);
    text_word *w = split_words(L, face, size, s,
                               narrowest > 0 ? narrowest : maxw, nw);
    size_t n = *nw;
    *words = w;
    *lines = NULL;
    text_line *ln = malloc((n + 1) * sizeof *ln);
    if (!ln) {
        L->oom = true;
        return 1;
    }
    struct measure_at m = { L, face, size };
    struct line_breaker lb = { .measure = measure_mm, .ctx = &m,
                               .first = maxw - indent, .width = maxw,
                               .line_cost = ONE_LINE,
                               .bad_break = BREAK_INSIDE };
    size_t nl = phrases && n > 1 && n <= LINE_BALANCE_MAX
                    ? phrase_lines(&lb, s, w, n, ln)
                    : line_fill(&lb, w, n, ln, 0);
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
    size_t nl = layout_wrap(L, face, size, s, maxw, indent, true, &ln, &w,
                            &nw);
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
    size_t nl = layout_wrap(L, face, size, s, maxw, 0, true, &ln, &w, &nw);
    free(ln);
    free(w);
    return nl;
}

double layout_widest_word(layout *L, int face, double size, const char *s)
{
    size_t nw;
    text_word *w = split_words(L, face, size, s, 0, &nw);
    double m = 0;
    for (size_t i = 0; w && i < nw; i++)
        if (w[i].width > m)
            m = w[i].width;
    free(w);
    return m;
}
