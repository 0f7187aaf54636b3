/*
 * report_layout.c - the pages of a booklet (report_layout.h): cover,
 * contents, sections with their sentences, tables and charts, header,
 * footer "Trang x/y", the signer block and the bookmarks.
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
#include "util/grow.h"
#include "report_blocks.h"
#include "report_layout.h"
#include "report_page.h"

/* ------------------------------------------------------------------ */
/* Bookmarks.                                                          */

static void mark(layout *L, const char *title, int level, bool in_contents)
{
    if (!GROW(L->marks, L->cap_marks, L->n_marks + 1)) {
        L->oom = true;
        return;
    }
    L->marks[L->n_marks++] = (bookmark){ title, L->n_pages - 1, level,
                                         in_contents };
}

/* ------------------------------------------------------------------ */
/* Flow: paragraphs and headings.                                      */

/* Draw line `ln` of `s` at (x, y): stretched to `avail` when `justify`. */
static void draw_line(layout *L, int face, double size, const char *s,
                      const text_word *w, const text_line *ln, double x,
                      double y, double avail, int align)
{
    size_t nwords = ln->w1 - ln->w0;
    if (align == 3 && nwords > 1) {
        double space = layout_width(L, face, size, " ", 1);
        double gap = (avail - ln->width) / (double)(nwords - 1);
        double px = x;
        for (size_t k = ln->w0; k < ln->w1; k++) {
            layout_text(L, face, size, px, y, CADRE_PDF_LEFT, s + w[k].start,
                       w[k].len, 0x000000);
            px += w[k].width + space + gap;
        }
        return;
    }
    double ax = align == TEXT_CENTER ? x + avail / 2 : x;
    layout_text(L, face, size, ax, y,
               align == TEXT_CENTER ? CADRE_PDF_CENTER : CADRE_PDF_LEFT,
               s + ln->start, ln->end - ln->start, 0x000000);
}

static void paragraph(layout *L, const booklet_block *b)
{
    int face = b->bold ? (b->italic ? FACE_BOLD_ITALIC : FACE_BOLD)
                       : (b->italic ? FACE_ITALIC : FACE_REGULAR);
    double size = BODY_SIZE, lh = line_height(size);
    double w = L->right - L->left;
    double indent = b->center ? 0 : 10;
    text_line *ln;
    text_word *words;
    size_t nw;
    size_t nl = layout_wrap(L, face, size, b->text, w, indent, false, &ln,
                            &words, &nw);
    /* never one line alone at the foot of a page, nor at the head of
     * the next */
    layout_ensure(L, lh * (nl > 1 ? 2 : 1));
    for (size_t i = 0; ln && i < nl; i++) {
        bool room = L->y + lh <= L->bottom;
        bool widow = nl > 2 && i + 2 == nl && L->y + 2 * lh > L->bottom;
        if (!room || widow)
            layout_new_page(L, L->orient, false);
        double x = L->left + (i == 0 ? indent : 0);
        double avail = w - (i == 0 ? indent : 0);
        draw_line(L, face, size, b->text, words, &ln[i], x,
                  L->y + size * PT, avail,
                  b->center ? TEXT_CENTER : (i + 1 < nl ? 3 : TEXT_LEFT));
        L->y += lh;
    }
    free(ln);
    free(words);
    L->y += 2.5;
}

static void heading(layout *L, const char *text, double size, bool center,
                    double need_after)
{
    double lh = line_height(size);
    double w = L->right - L->left;
    size_t nl = layout_count_lines(L, FACE_BOLD, size, text, w);
    /* a heading never ends a page: it goes with what follows it */
    layout_ensure(L, (double)nl * lh + 2 + need_after);
    L->y += 1;
    layout_draw_wrapped(L, FACE_BOLD, size, text, L->left, L->y + size * PT, w, lh,
                    center ? TEXT_CENTER : TEXT_LEFT, 0, 0x000000);
    L->y += (double)nl * lh + 2;
}

/* ------------------------------------------------------------------ */
/* Cover, contents, signer.                                            */

/* Draw `s` as phrases centred in [x, x + w] from baseline `y`, at
 * `size` or smaller down to `least` to keep it on one line.  Returns the
 * baseline of its last line; *last_w its last line's width. */
static double centred(layout *L, int face, double size, double least,
                      const char *s, double x, double w, double y,
                      uint32_t color, double *last_w)
{
    double one = layout_width(L, face, size, s, strlen(s));
    if (one > w && one * least / size <= w)
        size *= w / one;
    text_line *ln;
    text_word *wd;
    size_t nw;
    size_t nl = layout_wrap(L, face, size, s, w, 0, true, &ln, &wd, &nw);
    double lh = line_height(size);
    for (size_t i = 0; ln && i < nl; i++)
        layout_text(L, face, size, x + w / 2, y + (double)i * lh,
                    CADRE_PDF_CENTER, s + ln[i].start, ln[i].end - ln[i].start,
                    color);
    *last_w = ln ? ln[nl - 1].width : 0;
    free(ln);
    free(wd);
    return y + (double)(nl - 1) * lh;
}

/* Nghị định 30/2020: the issuing body top left, a rule under it 1/3 to
 * 1/2 as long as its line; the national title top right over the motto,
 * a rule under the motto (or the title) as long as it. */
static void cover_heads(layout *L, const booklet *b)
{
    const double lx = 20, lw = 84, rx = 106, rw = 86;
    double y = 30, w;
    if (b->parent_issuer)
        y = centred(L, FACE_REGULAR, 12, 10, b->parent_issuer, lx, lw, y,
                    0x000000, &w) + line_height(12);
    if (b->issuer) {
        y = centred(L, FACE_BOLD, 12, 10, b->issuer, lx, lw, y, 0x000000,
                    &w) + 3;
        layout_line(L, lx + lw / 2 - w * 0.2, y, lx + lw / 2 + w * 0.2, y,
                    0.6, 0x000000);
    }
    if (b->national) {
        y = centred(L, FACE_BOLD, 12, 10.5, b->national, rx, rw, 30,
                    0x000000, &w);
        if (b->motto)
            y = centred(L, FACE_BOLD, 13, 11, b->motto, rx, rw,
                        y + line_height(13), 0x000000, &w);
        y += 3.5;
        layout_line(L, rx + rw / 2 - w / 2, y, rx + rw / 2 + w / 2, y, 0.6,
                    0x000000);
    }
}

static void cover(layout *L, const booklet *b)
{
    layout_new_page(L, 1, true);
    layout_page *p = layout_page_now(L);
    layout_rect(L, 12, 12, p->w - 24, p->h - 24, 2.2, 0x1F4E79,
                CADRE_PDF_NONE);
    layout_rect(L, 14.5, 14.5, p->w - 29, p->h - 29, 0.6, 0x1F4E79,
                CADRE_PDF_NONE);
    cover_heads(L, b);
    double W = p->w - 60;
    double ty = 105;
    if (b->title) {
        /* lines of even length: the narrowest box that still takes the
         * title in as few lines */
        size_t nl = layout_count_lines(L, FACE_BOLD, 20, b->title, W);
        double bw = W;
        while (nl > 1 && bw > W / 2 &&
               layout_count_lines(L, FACE_BOLD, 20, b->title, bw - 2) == nl)
            bw -= 2;
        layout_draw_wrapped(L, FACE_BOLD, 20, b->title, 30 + (W - bw) / 2, ty,
                            bw, line_height(20) * 1.1, TEXT_CENTER, 0,
                            0x9C0006);
        ty += (double)nl * line_height(20) * 1.1 + 6;
    }
    if (b->subtitle)
        layout_draw_wrapped(L, FACE_ITALIC, 13, b->subtitle, 30, ty, W,
                            line_height(13), TEXT_CENTER, 0, 0x000000);
    if (b->place_date)
        layout_draw_wrapped(L, FACE_ITALIC, 13, b->place_date, 30, p->h - 40,
                            W, line_height(13), TEXT_CENTER, 0, 0x000000);
}

/* How an entry of the contents is set: sections at 12 pt, the units of
 * the per-unit section at 11 pt, indented by their depth. */
static double entry_size(int level) { return level ? 11 : 12; }

static double entry_indent(int level)
{
    return 6.0 * (level < 4 ? level : 4);
}

static double entry_gap(int level) { return line_height(entry_size(level)) + 1.5; }

/* The width an entry's title may take beside a page number `nw` wide. */
static double entry_width(const layout *L, int level, double nw)
{
    return L->right - L->left - entry_indent(level) - nw - 8;
}

/* Room for the contents: as many pages as its entries take, each entry
 * wrapped as it will be (with a four-digit page number, the widest). */
static size_t contents_reserve(layout *L, const booklet *b)
{
    size_t pages = 1;
    layout_new_page(L, 1, false);
    double y = L->top + line_height(14) + 6;
    for (size_t i = 0; i < b->n_sections; i++) {
        const booklet_section *s = &b->sections[i];
        if (!s->in_contents)
            continue;
        int lv = s->outline_level;
        double fs = entry_size(lv);
        double nw = layout_width(L, FACE_REGULAR, fs, "9999", 4);
        double h = (double)layout_count_lines(L, FACE_REGULAR, fs, s->title,
                                              entry_width(L, lv, nw)) *
                   entry_gap(lv);
        if (y + h > L->bottom) {
            layout_new_page(L, 1, false);
            pages++;
            y = L->top;
        }
        y += h;
    }
    return pages;
}

/* Draw one entry of the contents at L->y: its title, dot leaders from the
 * end of its last line, its page number.  Returns its height. */
static double contents_entry(layout *L, const bookmark *m, const char *num,
                             double nw)
{
    double fs = entry_size(m->level), lh = entry_gap(m->level);
    double x = L->left + entry_indent(m->level);
    double tw = entry_width(L, m->level, nw);
    text_line *ln;
    text_word *w;
    size_t nwd;
    size_t nl = layout_wrap(L, FACE_REGULAR, fs, m->title, tw, 0, true, &ln,
                            &w, &nwd);
    for (size_t i = 0; ln && i < nl; i++)
        layout_text(L, FACE_REGULAR, fs, x, L->y + fs * PT + (double)i * lh,
                    CADRE_PDF_LEFT, m->title + ln[i].start,
                    ln[i].end - ln[i].start, 0x000000);
    double last_y = L->y + fs * PT + (double)(nl - 1) * lh;
    double end = x + (ln ? ln[nl - 1].width : 0) + 2;
    free(ln);
    free(w);
    double dot = layout_width(L, FACE_REGULAR, fs, ".", 1);
    size_t dots = dot > 0 && L->right - nw - 2 > end
                      ? (size_t)((L->right - nw - 2 - end) / dot) : 0;
    if (dots > 0 && dots < 400) {
        char lead[401];
        memset(lead, '.', dots);
        lead[dots] = '\0';
        layout_text(L, FACE_REGULAR, fs, L->right - nw - 2, last_y,
                    CADRE_PDF_RIGHT, lead, dots, 0x777777);
    }
    layout_text(L, FACE_REGULAR, fs, L->right, last_y, CADRE_PDF_RIGHT, num,
                strlen(num), 0x000000);
    return (double)nl * lh;
}

/* Fill the `reserved` contents pages from first_page with every entry. */
static void contents_fill(layout *L, const char *title, size_t first_page,
                          size_t reserved)
{
    size_t keep_n = L->n_pages;
    size_t page = first_page;
    L->n_pages = page + 1; /* draw into the reserved page */
    L->y = L->top;
    layout_text(L, FACE_BOLD, 14, (L->left + L->right) / 2, L->y + 14 * PT,
                CADRE_PDF_CENTER, title, strlen(title), 0x000000);
    L->y += line_height(14) + 6;
    for (size_t i = 0; i < L->n_marks; i++) {
        const bookmark *m = &L->marks[i];
        if (!m->in_contents)
            continue;
        char num[24];
        snprintf(num, sizeof num, "%zu", m->page + 1);
        double fs = entry_size(m->level);
        double nw = layout_width(L, FACE_REGULAR, fs, num, strlen(num));
        double h = (double)layout_count_lines(L, FACE_REGULAR, fs, m->title,
                                              entry_width(L, m->level, nw)) *
                   entry_gap(m->level);
        if (L->y + h > L->bottom && page + 1 < first_page + reserved) {
            L->n_pages = ++page + 1;
            L->y = L->top;
        }
        L->y += contents_entry(L, m, num, nw);
    }
    L->n_pages = keep_n;
}

/* The lines `s` takes in the signer's column, none when empty. */
static double signer_lines(layout *L, int face, const char *s, double w)
{
    return s && *s ? (double)layout_count_lines(L, face, 13, s, w) : 0;
}

/* Draw `s` centred in the column from `y` (nothing when empty); returns
 * the y under it. */
static double signer_text(layout *L, int face, const char *s, double x,
                          double w, double y)
{
    if (!s || !*s)
        return y;
    double lh = line_height(13);
    size_t nl = layout_draw_wrapped(L, face, 13, s, x, y + 13 * PT, w, lh,
                                    TEXT_CENTER, 0, 0x000000);
    return y + (double)nl * lh;
}

/* "Nơi nhận:" and its lines (split at '|'), small, in the left column
 * from `y`; returns the y under them. */
static double recipients(layout *L, const char *s, double w, double y)
{
    bool first = true;
    while (*s) {
        const char *e = strchr(s, '|');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        char *line = strndup(s, n);
        if (!line) {
            L->oom = true;
            break;
        }
        double fs = first ? 12 : 11;
        size_t nl = layout_draw_wrapped(L, first ? FACE_BOLD_ITALIC
                                                 : FACE_REGULAR,
                                        fs, line, L->left, y + fs * PT, w,
                                        line_height(11), TEXT_LEFT, 0,
                                        0x000000);
        free(line);
        y += (double)nl * line_height(11);
        first = false;
        s += n;
        if (*s == '|')
            s++;
    }
    return y;
}

/* The place and date, the signer's title and role, room for the
 * signature and the seal, the signer's name; the recipients beside. */
static void signer(layout *L, const booklet *b)
{
    if (!b->place_date && !b->sign_title && !b->sign_role && !b->sign_name)
        return;
    double colw = (L->right - L->left) / 2, cx = L->right - colw;
    double lines = signer_lines(L, FACE_ITALIC, b->place_date, colw) +
                   signer_lines(L, FACE_BOLD, b->sign_title, colw) +
                   signer_lines(L, FACE_BOLD, b->sign_role, colw) +
                   signer_lines(L, FACE_BOLD, b->sign_name, colw);
    layout_ensure(L, line_height(13) * lines + 32);
    L->y += 4;
    double y = signer_text(L, FACE_ITALIC, b->place_date, cx, colw, L->y);
    double top = y;
    y = signer_text(L, FACE_BOLD, b->sign_title, cx, colw, y);
    y = signer_text(L, FACE_BOLD, b->sign_role, cx, colw, y);
    y += 24; /* room for the signature and the seal */
    y = signer_text(L, FACE_BOLD, b->sign_name, cx, colw, y);
    double ry = b->recipients ? recipients(L, b->recipients, colw - 4, top)
                              : top;
    L->y = (y > ry ? y : ry) + 4;
}

/* ------------------------------------------------------------------ */
/* The booklet.                                                        */

static int section_orient(const booklet_section *s)
{
    if (s->orientation)
        return s->orientation;
    for (size_t i = 0; i < s->n_blocks; i++)
        if (s->blocks[i].table && booklet_table_wide(s->blocks[i].table))
            return 2;
    return 1;
}

/* What must fit under a heading for it to stay on this page. */
static double need_after(layout *L, const booklet_section *s, size_t i)
{
    if (i >= s->n_blocks)
        return 0;
    const booklet_block *b = &s->blocks[i];
    if (b->kind == BLOCK_CHART)
        return booklet_chart_need(L, b->chart);
    if (b->kind == BLOCK_TABLE)
        return booklet_table_need(L, b->table);
    return 2 * line_height(BODY_SIZE);
}

static void body(layout *L, const booklet *b)
{
    size_t last = b->n_sections;
    for (size_t i = 0; i < b->n_sections; i++)
        if (b->sections[i].outline_level == 0 && b->sections[i].n_blocks)
            last = i;
    for (size_t i = 0; i < b->n_sections; i++) {
        const booklet_section *s = &b->sections[i];
        int orient = section_orient(s);
        if (s->new_page || orient != L->orient || i == 0)
            layout_new_page(L, orient, false);
        mark(L, s->title, s->outline_level, s->in_contents);
        if (s->outline_level == 0)
            heading(L, s->title, 14, false, need_after(L, s, 0));
        for (size_t k = 0; k < s->n_blocks; k++) {
            const booklet_block *bb = &s->blocks[k];
            switch (bb->kind) {
            case BLOCK_PARA:
                paragraph(L, bb);
                break;
            case BLOCK_HEADING:
                heading(L, bb->text, s->outline_level ? 14 : 13,
                        s->outline_level != 0, need_after(L, s, k + 1));
                break;
            case BLOCK_TABLE:
                booklet_table_draw(L, bb->table);
                break;
            case BLOCK_CHART:
                booklet_chart_draw(L, bb->chart);
                break;
            }
        }
        if (i == last)
            signer(L, b);
    }
}

#define MARK_DEPTH 16 /* bookmarks nested deeper hang at this depth */

/* The bookmarks of page `page`, from marks[*m], each under the last one a
 * level up.  Returns CADRE_OK or the PDF layer's error. */
static cadre_error draw_marks(layout *L, size_t page, size_t *m,
                              cadre_pdf_bookmark **parents)
{
    for (; *m < L->n_marks && L->marks[*m].page == page; (*m)++) {
        const bookmark *mk = &L->marks[*m];
        int lv = mk->level < MARK_DEPTH ? mk->level : MARK_DEPTH - 1;
        while (lv > 0 && !parents[lv - 1])
            lv--;
        cadre_pdf_bookmark *o =
            cadre_pdf_bookmark_add(L->pdf, lv ? parents[lv - 1] : NULL,
                                   mk->title);
        if (!o)
            return cadre_pdf_error(L->pdf);
        parents[lv] = o;
        for (int k = lv + 1; k < MARK_DEPTH; k++)
            parents[k] = NULL;
    }
    return CADRE_OK;
}

/* The running header (the title, shrunk to one line) and the footer
 * "Trang x/y" of page `i`. */
static void draw_header_footer(layout *L, const booklet *b, size_t i)
{
    const layout_page *p = &L->pages[i];
    cadre_pdf *pdf = L->pdf;
    double left = p->w > p->h ? 20 : 30;
    double right = p->w - (p->w > p->h ? 15 : 18);
    cadre_pdf_font hf = { L->face[FACE_ITALIC], 9, 0x444444 };
    if (b->header) {
        double w = 0;
        cadre_pdf_text_width(pdf, &hf, b->header, &w);
        if (w > right - left) /* never past the margins */
            hf.size *= (right - left) / w;
        cadre_pdf_text(pdf, &hf, (left + right) / 2, 12, CADRE_PDF_CENTER,
                       b->header);
    }
    cadre_pdf_line(pdf, left, 14, right, 14, 0.5, 0x444444);
    char buf[64];
    snprintf(buf, sizeof buf, "Trang %zu/%zu", i + 1, L->n_pages);
    hf.size = 9;
    hf.face = L->face[FACE_REGULAR];
    cadre_pdf_line(pdf, left, p->h - 13, right, p->h - 13, 0.5, 0x444444);
    cadre_pdf_text(pdf, &hf, (left + right) / 2, p->h - 8, CADRE_PDF_CENTER,
                   buf);
}

static void draw_ops(layout *L, const layout_page *p)
{
    for (size_t k = 0; k < p->n; k++) {
        const draw_op *o = &p->ops[k];
        if (o->kind == DRAW_TEXT) {
            cadre_pdf_font f = { L->face[o->face], o->size, o->color };
            cadre_pdf_text(L->pdf, &f, o->x, o->y, o->align, o->text);
        } else if (o->kind == DRAW_LINE) {
            cadre_pdf_line(L->pdf, o->x, o->y, o->x2, o->y2, o->size,
                           o->color);
        } else {
            cadre_pdf_rect(L->pdf, o->x, o->y, o->x2, o->y2, o->size,
                           o->size > 0 ? o->color : CADRE_PDF_NONE, o->fill);
        }
    }
}

/* Draw every page: header, footer, bookmarks, operations. */
static cadre_error draw(layout *L, const booklet *b)
{
    cadre_pdf_bookmark *parents[MARK_DEPTH] = { NULL };
    size_t m = 0;
    for (size_t i = 0; i < L->n_pages; i++) {
        const layout_page *p = &L->pages[i];
        cadre_error err = cadre_pdf_page(L->pdf, p->w, p->h);
        if (!err)
            err = draw_marks(L, i, &m, parents);
        if (err)
            return err;
        if (!p->plain)
            draw_header_footer(L, b, i);
        draw_ops(L, p);
        if (cadre_pdf_error(L->pdf))
            return cadre_pdf_error(L->pdf);
    }
    return cadre_pdf_show_bookmarks(L->pdf);
}

cadre_error booklet_write_pdf(const booklet *b, const char *font_family,
                            const char *path, cadre_diags *diags)
{
    cadre_error err = CADRE_ENOMEM;
    layout L = { 0 };
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
        layout_new_page(&L, 1, false); /* for the margins; removed just below */
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
    layout_release(&L);
    cadre_pdf_free(L.pdf);
    cadre_pdf_fonts_free(fonts);
    return err;
}
