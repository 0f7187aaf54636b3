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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadre/pdf.h"
#include "report_internal.h"
#include "report_page.h"

/* ------------------------------------------------------------------ */
/* Pages and operations.                                               */

void rp_new_page(rp_lay *L, int orient, bool plain)
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

static struct op *add_op(rp_lay *L, int kind)
{
    if (L->oom || !L->n_pages)
        return NULL;
    struct page *p = rp_cur(L);
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

void rp_text_op(rp_lay *L, int face, double size, double x, double y,
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
        rp_cur(L)->n--;
    }
}

void rp_line_op(rp_lay *L, double x1, double y1, double x2, double y2,
                double width, uint32_t color)
{
    struct op *o = add_op(L, OP_LINE);
    if (!o)
        return;
    *o = (struct op){ .kind = OP_LINE, .x = x1, .y = y1, .x2 = x2, .y2 = y2,
                      .size = width, .color = color };
}

void rp_rect_op(rp_lay *L, double x, double y, double w, double h,
                double width, uint32_t stroke, uint32_t fill)
{
    struct op *o = add_op(L, OP_RECT);
    if (!o)
        return;
    *o = (struct op){ .kind = OP_RECT, .x = x, .y = y, .x2 = w, .y2 = h,
                      .size = width, .color = stroke, .fill = fill };
}

static void mark(rp_lay *L, const char *title, int level, bool in_contents)
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

double rp_width(rp_lay *L, int face, double size, const char *s, size_t len)
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

size_t rp_wrap(rp_lay *L, int face, double size, const char *s, double maxw,
               struct wline **lines, struct word **words, size_t *nw)
{
    return rp_wrap_ind(L, face, size, s, maxw, 0, lines, words, nw);
}

/* As wrap(), the first line `indent` mm narrower. */
size_t rp_wrap_ind(rp_lay *L, int face, double size, const char *s,
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
            w[n++] = (struct word){ i, j - i, rp_width(L, face, size, s + i,
                                                       j - i) };
        }
        i = j;
    }
    *nw = n;
    double space = rp_width(L, face, size, " ", 1);
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
size_t rp_draw_wrapped(rp_lay *L, int face, double size, const char *s,
                       double x, double y, double maxw, double lh,
                       int align, double indent, uint32_t color)
{
    struct wline *ln;
    struct word *w;
    size_t nw;
    size_t nl = rp_wrap_ind(L, face, size, s, maxw, indent, &ln, &w, &nw);
    for (size_t i = 0; ln && i < nl; i++) {
        double lx = x + (i == 0 ? indent : 0);
        double avail = maxw - (i == 0 ? indent : 0);
        double ax = align == RP_CENTER ? lx + avail / 2
                  : align == RP_RIGHT ? lx + avail : lx;
        rp_text_op(L, face, size, ax, y + (double)i * lh,
                   align == RP_CENTER ? CADRE_PDF_CENTER
                   : align == RP_RIGHT ? CADRE_PDF_RIGHT : CADRE_PDF_LEFT,
                   s + ln[i].start, ln[i].end - ln[i].start, color);
    }
    free(ln);
    free(w);
    return nl;
}

size_t rp_count_lines(rp_lay *L, int face, double size, const char *s,
                      double maxw)
{
    struct wline *ln;
    struct word *w;
    size_t nw;
    size_t nl = rp_wrap(L, face, size, s, maxw, &ln, &w, &nw);
    free(ln);
    free(w);
    return nl;
}

/* The widest word of `s`, mm. */
double rp_widest_word(rp_lay *L, int face, double size, const char *s)
{
    struct wline *ln;
    struct word *w;
    size_t nw;
    rp_wrap(L, face, size, s, 1e9, &ln, &w, &nw);
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

void rp_ensure(rp_lay *L, double h)
{
    if (L->y + h > L->bottom)
        rp_new_page(L, L->orient, false);
}

/* Draw line `ln` of `s` at (x, y): stretched to `avail` when `justify`. */
static void draw_line(rp_lay *L, int face, double size, const char *s,
                      const struct word *w, const struct wline *ln, double x,
                      double y, double avail, int align)
{
    size_t nwords = ln->w1 - ln->w0;
    if (align == 3 && nwords > 1) {
        double space = rp_width(L, face, size, " ", 1);
        double gap = (avail - ln->width) / (double)(nwords - 1);
        double px = x;
        for (size_t k = ln->w0; k < ln->w1; k++) {
            rp_text_op(L, face, size, px, y, CADRE_PDF_LEFT, s + w[k].start,
                       w[k].len, 0x000000);
            px += w[k].width + space + gap;
        }
        return;
    }
    double ax = align == RP_CENTER ? x + avail / 2 : x;
    rp_text_op(L, face, size, ax, y,
               align == RP_CENTER ? CADRE_PDF_CENTER : CADRE_PDF_LEFT,
               s + ln->start, ln->end - ln->start, 0x000000);
}

static void paragraph(rp_lay *L, const rp_bblock *b)
{
    int face = b->bold ? (b->italic ? F_BI : F_BOLD)
                       : (b->italic ? F_IT : F_REG);
    double size = BODY_SIZE, lh = rp_lh(size);
    double w = L->right - L->left;
    double indent = b->center ? 0 : 10;
    struct wline *ln;
    struct word *words;
    size_t nw;
    size_t nl = rp_wrap_ind(L, face, size, b->text, w, indent, &ln, &words,
                            &nw);
    /* never one line alone at the foot of a page, nor at the head of
     * the next */
    rp_ensure(L, lh * (nl > 1 ? 2 : 1));
    for (size_t i = 0; ln && i < nl; i++) {
        bool room = L->y + lh <= L->bottom;
        bool widow = nl > 2 && i + 2 == nl && L->y + 2 * lh > L->bottom;
        if (!room || widow)
            rp_new_page(L, L->orient, false);
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

static void heading(rp_lay *L, const char *text, double size, bool center,
                    double need_after)
{
    double lh = rp_lh(size);
    double w = L->right - L->left;
    size_t nl = rp_count_lines(L, F_BOLD, size, text, w);
    /* a heading never ends a page: it goes with what follows it */
    rp_ensure(L, (double)nl * lh + 2 + need_after);
    L->y += 1;
    rp_draw_wrapped(L, F_BOLD, size, text, L->left, L->y + size * PT, w, lh,
                    center ? RP_CENTER : RP_LEFT, 0, 0x000000);
    L->y += (double)nl * lh + 2;
}

/* ------------------------------------------------------------------ */
/* Cover, contents, signer.                                            */

static void cover(rp_lay *L, const rp_booklet *b)
{
    rp_new_page(L, 1, true);
    struct page *p = rp_cur(L);
    rp_rect_op(L, 12, 12, p->w - 24, p->h - 24, 2.2, 0x1F4E79, CADRE_PDF_NONE);
    rp_rect_op(L, 14.5, 14.5, p->w - 29, p->h - 29, 0.6, 0x1F4E79,
               CADRE_PDF_NONE);
    double cx = 62, y = 30;
    if (b->parent_issuer) {
        rp_draw_wrapped(L, F_REG, 12, b->parent_issuer, 22, y, 80, rp_lh(12),
                        RP_CENTER, 0, 0x000000);
        y += rp_lh(12);
    }
    if (b->issuer) {
        size_t nl = rp_draw_wrapped(L, F_BOLD, 12, b->issuer, 22, y, 80,
                                    rp_lh(12), RP_CENTER, 0, 0x000000);
        y += (double)(nl - 1) * rp_lh(12) + 3;
        rp_line_op(L, cx - 12, y, cx + 12, y, 0.6, 0x000000);
    }
    if (b->national) {
        /* the top right block of an official document, ruled under */
        size_t nl = rp_draw_wrapped(L, F_BOLD, 12, b->national, 108, 30, 82,
                                    rp_lh(12), RP_CENTER, 0, 0x000000);
        double ry = 30 + (double)(nl - 1) * rp_lh(12) + 3.5;
        double nw = rp_width(L, F_BOLD, 12, b->national, strlen(b->national));
        if (nw > 80)
            nw = 80;
        rp_line_op(L, 149 - nw / 2, ry, 149 + nw / 2, ry, 0.6, 0x000000);
    }
    double W = p->w - 60;
    double ty = 105;
    if (b->title) {
        /* lines of even length: the narrowest box that still takes the
         * title in as few lines (no word left alone on the last) */
        size_t nl = rp_count_lines(L, F_BOLD, 20, b->title, W);
        double bw = W;
        while (nl > 1 && bw > W / 2 &&
               rp_count_lines(L, F_BOLD, 20, b->title, bw - 2) == nl)
            bw -= 2;
        rp_draw_wrapped(L, F_BOLD, 20, b->title, 30 + (W - bw) / 2, ty, bw,
                        rp_lh(20) * 1.1, RP_CENTER, 0, 0x9C0006);
        ty += (double)nl * rp_lh(20) * 1.1 + 6;
    }
    if (b->subtitle)
        rp_draw_wrapped(L, F_IT, 13, b->subtitle, 30, ty, W, rp_lh(13),
                        RP_CENTER, 0, 0x000000);
    if (b->place_date)
        rp_draw_wrapped(L, F_IT, 13, b->place_date, 30, p->h - 40, W,
                        rp_lh(13), RP_CENTER, 0, 0x000000);
}

/* Room for the contents: as many pages as its entries take, each entry
 * wrapped as it will be (with a four-digit page number, the widest). */
static size_t contents_reserve(rp_lay *L, const rp_booklet *b)
{
    size_t pages = 1;
    rp_new_page(L, 1, false);
    double fs = 12, lh = rp_lh(fs) + 1.5;
    double y = L->top + rp_lh(14) + 6;
    double tw = L->right - L->left - rp_width(L, F_REG, fs, "9999", 4) - 8;
    for (size_t i = 0; i < b->n_sections; i++) {
        const rp_bsection *s = &b->sections[i];
        if (!s->in_contents || s->outline_level != 0)
            continue;
        double h = (double)rp_count_lines(L, F_REG, fs, s->title, tw) * lh;
        if (y + h > L->bottom) {
            rp_new_page(L, 1, false);
            pages++;
            y = L->top;
        }
        y += h;
    }
    return pages;
}

/* Fill the `reserved` contents pages from first_page with every entry. */
static void contents_fill(rp_lay *L, const char *title, size_t first_page,
                          size_t reserved)
{
    size_t keep_n = L->n_pages;
    size_t page = first_page;
    L->n_pages = page + 1; /* draw into the reserved page */
    L->y = L->top;
    rp_text_op(L, F_BOLD, 14, (L->left + L->right) / 2, L->y + 14 * PT,
               CADRE_PDF_CENTER, title, strlen(title), 0x000000);
    L->y += rp_lh(14) + 6;
    double fs = 12, lh = rp_lh(fs) + 1.5;
    for (size_t i = 0; i < L->n_marks; i++) {
        const struct mark *m = &L->marks[i];
        if (!m->in_contents)
            continue;
        char num[16];
        snprintf(num, sizeof num, "%zu", m->page + 1);
        double nw = rp_width(L, F_REG, fs, num, strlen(num));
        double tw = L->right - L->left - nw - 8;
        double h = (double)rp_count_lines(L, F_REG, fs, m->title, tw) * lh;
        if (L->y + h > L->bottom && page + 1 < first_page + reserved) {
            L->n_pages = ++page + 1;
            L->y = L->top;
        }
        size_t nl = rp_draw_wrapped(L, F_REG, fs, m->title, L->left,
                                 L->y + fs * PT, tw, lh, RP_LEFT, 0, 0x000000);
        double last_y = L->y + fs * PT + (double)(nl - 1) * lh;
        /* dot leaders from the end of the title's last line */
        struct wline *ln;
        struct word *w;
        size_t nwd;
        size_t k = rp_wrap(L, F_REG, fs, m->title, tw, &ln, &w, &nwd);
        double end = L->left + (ln && k ? ln[k - 1].width : 0) + 2;
        free(ln);
        free(w);
        double dot = rp_width(L, F_REG, fs, ".", 1);
        size_t dots = dot > 0 ? (size_t)((L->right - nw - 2 - end) / dot) : 0;
        if (dots > 0 && dots < 400) {
            char lead[401];
            memset(lead, '.', dots);
            lead[dots] = '\0';
            rp_text_op(L, F_REG, fs, L->right - nw - 2, last_y,
                       CADRE_PDF_RIGHT, lead, dots, 0x777777);
        }
        rp_text_op(L, F_REG, fs, L->right, last_y, CADRE_PDF_RIGHT, num,
                   strlen(num), 0x000000);
        L->y += (double)nl * lh;
    }
    L->n_pages = keep_n;
}

static void signer(rp_lay *L, const rp_booklet *b)
{
    if (!b->place_date && !b->sign_title && !b->sign_role && !b->sign_name)
        return;
    double colw = (L->right - L->left) / 2;
    double cx = L->right - colw;
    double lh = rp_lh(13);
    rp_ensure(L, lh * 5 + 28);
    L->y += 4;
    double y = L->y;
    if (b->place_date) {
        rp_draw_wrapped(L, F_IT, 13, b->place_date, cx, y + 13 * PT, colw, lh,
                        RP_CENTER, 0, 0x000000);
        y += lh;
    }
    double top = y;
    if (b->sign_title) {
        size_t nl = rp_draw_wrapped(L, F_BOLD, 13, b->sign_title, cx,
                                    y + 13 * PT, colw, lh, RP_CENTER, 0, 0);
        y += (double)nl * lh;
    }
    if (b->sign_role) {
        size_t nl = rp_draw_wrapped(L, F_BOLD, 13, b->sign_role, cx,
                                    y + 13 * PT, colw, lh, RP_CENTER, 0, 0);
        y += (double)nl * lh;
    }
    y += 24; /* room for the signature and the seal */
    if (b->sign_name) {
        rp_draw_wrapped(L, F_BOLD, 13, b->sign_name, cx, y + 13 * PT, colw, lh,
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
            rp_text_op(L, s == b->recipients ? F_BI : F_REG,
                       s == b->recipients ? 12 : 11, L->left, ry,
                       CADRE_PDF_LEFT, s, n, 0x000000);
            ry += rp_lh(11);
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
        if (s->blocks[i].table && rp_table_wide(s->blocks[i].table))
            return 2;
    return 1;
}

/* What must fit under a heading for it to stay on this page. */
static double need_after(rp_lay *L, const rp_bsection *s, size_t i)
{
    if (i >= s->n_blocks)
        return 0;
    const rp_bblock *b = &s->blocks[i];
    if (b->kind == RP_CHART)
        return rp_chart_need(L, b->chart);
    if (b->kind == RP_TABLE)
        return rp_table_need(L, b->table);
    return 2 * rp_lh(BODY_SIZE);
}

static void body(rp_lay *L, const rp_booklet *b)
{
    size_t last = b->n_sections;
    for (size_t i = 0; i < b->n_sections; i++)
        if (b->sections[i].outline_level == 0 && b->sections[i].n_blocks)
            last = i;
    for (size_t i = 0; i < b->n_sections; i++) {
        const rp_bsection *s = &b->sections[i];
        int orient = section_orient(s);
        if (s->new_page || orient != L->orient || i == 0)
            rp_new_page(L, orient, false);
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
                rp_table_draw(L, bb->table);
                break;
            case RP_CHART:
                rp_chart_draw(L, bb->chart);
                break;
            }
        }
        if (i == last)
            signer(L, b);
    }
}

/* Draw every page: header, footer, bookmarks, operations. */
static cadre_error draw(rp_lay *L, const rp_booklet *b)
{
    cadre_pdf *pdf = L->pdf;
    cadre_pdf_bookmark *top = NULL;
    size_t m = 0;
    char buf[64];
    for (size_t i = 0; i < L->n_pages; i++) {
        const struct page *p = &L->pages[i];
        cadre_error err = cadre_pdf_page(pdf, p->w, p->h);
        if (err)
            return err;
        for (; m < L->n_marks && L->marks[m].page == i; m++) {
            const struct mark *mk = &L->marks[m];
            cadre_pdf_bookmark *o =
                cadre_pdf_bookmark_add(pdf, mk->level ? top : NULL, mk->title);
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
    return cadre_pdf_show_bookmarks(pdf);
}

static void lay_release(rp_lay *L)
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
    rp_lay L = { 0 };
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
    /* Most of what is compressed is libharu's glyph map of each face
     * (128 KB), not the pages: level 1 halves that cost for a few KB. */
    cadre_pdf_set_compression(L.pdf, 1);
    cover(&L, b);
    size_t contents_at = L.n_pages, reserved = 0;
    if (b->contents)
        reserved = contents_reserve(&L, b);
    body(&L, b);
    if (b->contents && !L.oom) {
        int keep = L.orient;
        L.orient = 1;
        rp_new_page(&L, 1, false); /* for the margins; removed just below */
        L.n_pages--;
        free(L.pages[L.n_pages].ops);
        contents_fill(&L, b->contents, contents_at, reserved);
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
