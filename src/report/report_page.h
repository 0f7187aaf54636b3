/*
 * report_page.h (internal) - the page model the booklet is laid out in
 * (report_layout.c): pages as lists of drawing operations, text measured
 * and wrapped with the shared PDF layer's fonts, and the table and chart
 * blocks (report_table.c, report_chart.c) that draw into it.
 *
 * Lengths are mm from the top-left corner of the page, font sizes points.
 */
#ifndef CADRE_REPORT_PAGE_H
#define CADRE_REPORT_PAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cadre/pdf.h"
#include "report_internal.h"

#define PT (25.4 / 72)   /* mm in a point */
#define A4_W 210.0
#define A4_H 297.0
#define BODY_SIZE 13.0   /* the size of a document's sentences */

enum { F_REG, F_BOLD, F_IT, F_BI, N_FACES };
enum { OP_TEXT, OP_LINE, OP_RECT };
#define PAD 1.2          /* inner margin of a table cell, mm */

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
    struct op *ops;  /* what is drawn on it, in order */
    size_t n, cap;
};

/* A bookmark, and a contents entry when level is 0. */
struct mark {
    const char *title; /* borrowed from the booklet */
    size_t page;       /* index */
    int level;
    bool in_contents;
};

/* The booklet being laid out: its pages so far and where the next thing
 * goes. */
typedef struct rp_lay {
    cadre_pdf *pdf;
    int face[N_FACES];        /* faces of the font set, by F_* */
    struct page *pages;       /* laid out so far */
    size_t n_pages, cap_pages;
    double y;                 /* where the next thing goes, mm from top */
    double left, right;       /* content box of the current page */
    double top, bottom;
    int orient;               /* 1 portrait, 2 landscape */
    struct mark *marks;       /* bookmarks, in page order */
    size_t n_marks, cap_marks;
    bool oom;                 /* out of memory: stop and fail */
} rp_lay;

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

/* The current page. */
static inline struct page *rp_cur(rp_lay *L)
{
    return &L->pages[L->n_pages - 1];
}

/* Line height for a font size, mm. */
static inline double rp_lh(double size) { return size * 1.35 * PT; }

/* Start a page: orient 1 portrait, 2 landscape; plain: no header and
 * footer.  Sets the content box and puts y at its top. */
void rp_new_page(rp_lay *L, int orient, bool plain);

/* A new page (same orientation) unless `h` mm still fit on this one. */
void rp_ensure(rp_lay *L, double h);

/* Operations on the current page; the text (len bytes of s) is copied. */
void rp_text_op(rp_lay *L, int face, double size, double x, double y,
                int align, const char *s, size_t len, uint32_t color);
void rp_line_op(rp_lay *L, double x1, double y1, double x2, double y2,
                double width, uint32_t color);
void rp_rect_op(rp_lay *L, double x, double y, double w, double h,
                double width, uint32_t stroke, uint32_t fill);

/* Width of `len` bytes of `s`, mm. */
double rp_width(rp_lay *L, int face, double size, const char *s, size_t len);

/* The words of `s` and its lines within `maxw` mm (the first line
 * `indent` mm narrower).  Returns the number of lines (at least 1);
 * *lines and *words are allocated (free both). */
size_t rp_wrap(rp_lay *L, int face, double size, const char *s, double maxw,
               struct wline **lines, struct word **words, size_t *nw);
size_t rp_wrap_ind(rp_lay *L, int face, double size, const char *s,
                   double maxw, double indent, struct wline **lines,
                   struct word **words, size_t *nw);

/* Draw `s` wrapped in [x, x + maxw] from baseline y, lines `lh` apart,
 * aligned RP_LEFT, RP_CENTER or RP_RIGHT; returns the lines drawn. */
size_t rp_draw_wrapped(rp_lay *L, int face, double size, const char *s,
                       double x, double y, double maxw, double lh, int align,
                       double indent, uint32_t color);

/* Lines `s` takes in `maxw` mm; its widest word, mm. */
size_t rp_count_lines(rp_lay *L, int face, double size, const char *s,
                      double maxw);
double rp_widest_word(rp_lay *L, int face, double size, const char *s);

/* Tables (report_table.c): whether one wants a landscape page, the height
 * of its start (title, heading, first rows: kept together), drawing it. */
bool rp_table_wide(const rp_btable *t);
double rp_table_need(rp_lay *L, const rp_btable *t);
void rp_table_draw(rp_lay *L, const rp_btable *t);

/* Charts (report_chart.c): the height one takes, drawing it. */
double rp_chart_need(rp_lay *L, const rp_bchart *c);
void rp_chart_draw(rp_lay *L, const rp_bchart *c);

#endif
