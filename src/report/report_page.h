/*
 * report_page.h (internal) - the page model a booklet is laid out in
 * (report_page.c): pages as lists of drawing operations, and text
 * measured, wrapped and drawn with the shared PDF layer's fonts.  The
 * layout (report_layout.c) and the table and chart blocks
 * (report_table.c, report_chart.c) draw into it.
 *
 * Lengths are mm from the top-left corner of the page, font sizes points.
 */
#ifndef CADRE_REPORT_PAGE_H
#define CADRE_REPORT_PAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cadre/pdf.h"
#include "util/linebreak.h"

#define PT (25.4 / 72)   /* mm in a point */
#define A4_W 210.0
#define A4_H 297.0
#define BODY_SIZE 13.0   /* the size of a document's sentences */
#define CELL_PAD 1.2     /* inner margin of a table cell, mm */

/* The faces of the booklet's font. */
enum layout_face { FACE_REGULAR, FACE_BOLD, FACE_ITALIC, FACE_BOLD_ITALIC,
                   N_FACES };

/* How a text sits in its box: the report_align values, and justified. */
enum { TEXT_LEFT, TEXT_CENTER, TEXT_RIGHT, TEXT_JUSTIFY };

enum draw_kind { DRAW_TEXT, DRAW_LINE, DRAW_RECT };

/* One thing to draw. */
typedef struct draw_op {
    uint8_t kind;   /* enum draw_kind */
    uint8_t face;   /* enum layout_face, for text */
    uint8_t align;  /* cadre_pdf_align, for text */
    double size;    /* points (text), line width (lines, rectangles) */
    double x, y;    /* text baseline point; line start; rectangle corner */
    double x2, y2;  /* line end; rectangle width and height */
    uint32_t color; /* text, line or stroke colour */
    uint32_t fill;  /* rectangle fill */
    char *text;     /* owned */
} draw_op;

typedef struct layout_page {
    double w, h;     /* mm */
    bool plain;      /* no header and footer (the cover) */
    draw_op *ops;    /* what is drawn on it, in order */
    size_t n, cap;
} layout_page;

/* A bookmark, and a contents entry when in_contents. */
typedef struct bookmark {
    const char *title; /* borrowed from the booklet */
    size_t page;       /* index */
    int level;         /* 0 a section, 1 a unit under it ... */
    bool in_contents;
} bookmark;

/* The booklet being laid out: its pages so far and where the next thing
 * goes. */
typedef struct layout {
    cadre_pdf *pdf;
    int face[N_FACES];        /* the font set's faces, by enum layout_face */
    layout_page *pages;       /* laid out so far */
    size_t n_pages, cap_pages;
    double y;                 /* where the next thing goes, mm from top */
    double left, right;       /* content box of the current page */
    double top, bottom;
    int orient;               /* 1 portrait, 2 landscape */
    bookmark *marks;          /* in page order */
    size_t n_marks, cap_marks;
    bool oom;                 /* out of memory: stop and fail */
} layout;

/* A line of a wrapped text: bytes [start, end), words [w0, w1); and a
 * word of it, bytes [start, start + len), `cont` for a piece of a word
 * too wide for a line after its first (util/linebreak.h). */
typedef struct line_span text_line;
typedef struct line_word text_word;

/* The current page. */
static inline layout_page *layout_page_now(layout *L)
{
    return &L->pages[L->n_pages - 1];
}

/* Line height for a font size, mm. */
static inline double line_height(double size) { return size * 1.35 * PT; }

/* Start a page: orient 1 portrait, 2 landscape; plain: no header and
 * footer.  Sets the content box and puts y at its top. */
void layout_new_page(layout *L, int orient, bool plain);

/* A new page (same orientation) unless `h` mm still fit on this one. */
void layout_ensure(layout *L, double h);

/* Operations on the current page; the text (len bytes of s) is copied. */
void layout_text(layout *L, int face, double size, double x, double y,
                 int align, const char *s, size_t len, uint32_t color);
void layout_line(layout *L, double x1, double y1, double x2, double y2,
                 double width, uint32_t color);
void layout_rect(layout *L, double x, double y, double w, double h,
                 double width, uint32_t stroke, uint32_t fill);

/* Width of `len` bytes of `s`, mm. */
double layout_width(layout *L, int face, double size, const char *s,
                    size_t len);

/* The words of `s` and its lines within `maxw` mm, the first line
 * `indent` mm narrower.  A word wider than a line is cut into pieces that
 * fit.  With `phrases` (headings, titles, cells) the lines are chosen as a
 * whole, as even as they can be and broken between phrases rather than
 * inside a word of two syllables ("ĐƠN / VỊ"); without (paragraphs) each
 * line takes the words that fit.  Returns the number of lines (at least
 * 1); *lines and *words are allocated (free both). */
size_t layout_wrap(layout *L, int face, double size, const char *s,
                   double maxw, double indent, bool phrases,
                   text_line **lines, text_word **words, size_t *nw);

/* Draw `s` wrapped in [x, x + maxw] as phrases from baseline y, lines `lh`
 * apart, aligned TEXT_LEFT, TEXT_CENTER or TEXT_RIGHT, the first line
 * `indent` mm narrower; returns the lines drawn. */
size_t layout_draw_wrapped(layout *L, int face, double size, const char *s,
                           double x, double y, double maxw, double lh,
                           int align, double indent, uint32_t color);

/* Lines `s` takes in `maxw` mm, as phrases; its widest word, mm. */
size_t layout_count_lines(layout *L, int face, double size, const char *s,
                          double maxw);
double layout_widest_word(layout *L, int face, double size, const char *s);

/* Release every page and bookmark of `L`. */
void layout_release(layout *L);

#endif
