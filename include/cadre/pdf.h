/*
 * pdf.h - the PDF layer shared by cadre-cert and cadre-report: documents,
 * fonts that print every Vietnamese letter, text in boxes, simple vector
 * graphics, images and QR codes.  libharu 2.3.0 holds the document's
 * objects and writes the file; the layer writes the pages' content and
 * embeds the fonts itself: each document carries a subset of each font
 * with exactly the glyphs it draws (composite glyphs with all their
 * parts), their widths, and a ToUnicode map, so that text is extracted,
 * searched and copied as printed.
 *
 * Positions and lengths are in millimetres from the top-left corner of the
 * page (as a clerk measures a form); font sizes and line widths are in
 * points.  Colours are 0xRRGGBB; CADRE_PDF_NONE means "do not paint".
 *
 * Fonts are resolved once per process in a cadre_pdf_fonts set (fontconfig,
 * by family and style, checked to cover Vietnamese; a build-time Latin +
 * Vietnamese subset of Noto Serif is used when it exists, and the full font
 * for text the subset cannot print).  Each document loads the faces it
 * uses.  libharu errors end the document: every later call returns the same
 * error, and cadre_pdf_message() says what went wrong.
 *
 *     cadre_pdf_fonts *fonts = cadre_pdf_fonts_new();
 *     int serif = cadre_pdf_fonts_add(fonts, "Noto Serif", CADRE_PDF_BOLD, &diags);
 *     cadre_pdf *pdf = cadre_pdf_new(fonts);
 *     cadre_pdf_font f = { .face = serif, .size = 24, .color = 0x990000 };
 *     cadre_pdf_page(pdf, 297, 210);
 *     cadre_pdf_text(pdf, &f, 148.5, 60, CADRE_PDF_CENTER, "GIẤY CHỨNG NHẬN");
 *     cadre_pdf_save(pdf, "out.pdf", &diags);
 *     cadre_pdf_free(pdf);
 *     cadre_pdf_fonts_free(fonts);
 *
 * Text given to any function must be valid UTF-8; it is normalised to NFC
 * first, so decomposed input prints exactly as precomposed input does.
 *
 * Threads: a document, and the font set it draws with, belong to one
 * thread at a time (libharu keeps no lock).  Font sets may be made and
 * freed on any thread (fontconfig's use is counted under a lock), but the
 * decoded-PNG cache is process-wide and unlocked: draw images from one
 * thread at a time.
 */
#ifndef CADRE_PDF_H
#define CADRE_PDF_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include <stdint.h>

#include "cadre/error.h"

/* Points in a millimetre. */
#define CADRE_PDF_PT_PER_MM (72.0 / 25.4)

/* A colour that is not painted (no fill, no stroke). */
#define CADRE_PDF_NONE 0xFFFFFFFFu

typedef enum cadre_pdf_style {
    CADRE_PDF_REGULAR = 0,
    CADRE_PDF_BOLD = 1,
    CADRE_PDF_ITALIC = 2,
    CADRE_PDF_BOLD_ITALIC = 3
} cadre_pdf_style;

typedef enum cadre_pdf_align {
    CADRE_PDF_LEFT,
    CADRE_PDF_CENTER,
    CADRE_PDF_RIGHT
} cadre_pdf_align;

typedef enum cadre_pdf_valign {
    CADRE_PDF_TOP,
    CADRE_PDF_MIDDLE,
    CADRE_PDF_BOTTOM
} cadre_pdf_valign;

/* ------------------------------------------------------------------ */
/* Font sets: resolved once, shared by every document of a process.    */

typedef struct cadre_pdf_fonts cadre_pdf_fonts;

/* An empty set.  NULL when out of memory.  Caller owns the result; free
 * with cadre_pdf_fonts_free(). */
cadre_pdf_fonts *cadre_pdf_fonts_new(void);

/* Free the set (after every document that uses it).  NULL is allowed. */
void cadre_pdf_fonts_free(cadre_pdf_fonts *fonts);

/* Find `family` in `style` through fontconfig and return its face number
 * (>= 0; the same number when asked twice).  When fontconfig substitutes
 * another family, or the font is not TrueType or lacks a Vietnamese
 * letter, Noto Serif in the same style is used instead (a note is added to
 * `diags`).  Returns -1 with an error in `diags` when no usable font
 * exists.  `family` is copied. */
int cadre_pdf_fonts_add(cadre_pdf_fonts *fonts, const char *family,
                        cadre_pdf_style style, cadre_diags *diags);

/* The font file a face draws with (the subset when there is one), and
 * the full file it falls back to.  Borrowed from the set. */
const char *cadre_pdf_fonts_file(const cadre_pdf_fonts *fonts, int face);
const char *cadre_pdf_fonts_full_file(const cadre_pdf_fonts *fonts, int face);

/* Parse a style name: "regular", "bold", "italic", "bold-italic".
 * Returns -1 for anything else. */
int cadre_pdf_style_parse(const char *name);

/* A face at a size in a colour: how a piece of text is drawn. */
typedef struct cadre_pdf_font {
    int face;       /* from cadre_pdf_fonts_add() */
    double size;    /* points */
    uint32_t color; /* 0xRRGGBB */
} cadre_pdf_font;

/* ------------------------------------------------------------------ */
/* Documents.                                                          */

typedef struct cadre_pdf cadre_pdf;

/* A new empty document drawing with `fonts` (borrowed: it must outlive the
 * document).  NULL when out of memory.  Caller owns the result; free with
 * cadre_pdf_free(), on every path. */
cadre_pdf *cadre_pdf_new(cadre_pdf_fonts *fonts);

/* Free the document and libharu's state.  NULL is allowed. */
void cadre_pdf_free(cadre_pdf *pdf);

/* The first error the document met (CADRE_OK when none) and a message
 * saying what failed ("no glyph for U+0E01 'ก' in Noto Serif Bold").
 * The message is borrowed from the document. */
cadre_error cadre_pdf_error(const cadre_pdf *pdf);
const char *cadre_pdf_message(const cadre_pdf *pdf);

/* Set the document's title, author and subject (any may be NULL): valid
 * UTF-8, normalised to NFC, every run of white space (newlines, no-break
 * spaces) one space, written in PDFDocEncoding when printable ASCII and
 * as UTF-16BE with a byte-order mark otherwise, so that every reader
 * shows the Vietnamese.  The creator is always "cadrekit". */
cadre_error cadre_pdf_set_info(cadre_pdf *pdf, const char *title,
                               const char *author, const char *subject);

/* Date the document `t` (its CreationDate and ModDate) instead of
 * SOURCE_DATE_EPOCH or the clock: a document that must come out byte for
 * byte the same on every run (a registered certificate, dated by its
 * issue). */
void cadre_pdf_set_created(cadre_pdf *pdf, time_t t);

/* Start a new page `width` x `height` mm; drawing goes to it from now on.
 * The offset (below) is reset to 0, 0. */
cadre_error cadre_pdf_page(cadre_pdf *pdf, double width, double height);

/* Number of pages so far. */
size_t cadre_pdf_page_count(const cadre_pdf *pdf);

/* How hard to compress pages (each when done) and fonts: 1 (fastest) to
 * 9 (smallest), any other value zlib's default (6).  A combined file of
 * thousands of pages is saved in two thirds of the time at level 1, for
 * 15 % more bytes. */
void cadre_pdf_set_compression(cadre_pdf *pdf, int level);

/* Shift everything drawn later on this page by `dx` mm right and `dy` mm
 * down: the printer offset of pre-printed stock. */
void cadre_pdf_offset(cadre_pdf *pdf, double dx, double dy);

/* ------------------------------------------------------------------ */
/* Text.                                                               */

/* Width of `text` in mm (one line; a newline counts as a space).  Sets
 * *width and returns CADRE_OK, or an error when the text cannot be printed
 * (invalid UTF-8: CADRE_EINVALID; a character no font has: CADRE_EFONT). */
cadre_error cadre_pdf_text_width(cadre_pdf *pdf, const cadre_pdf_font *font,
                                 const char *text, double *width);

/* Check that every character of `text` can be printed with the face;
 * on CADRE_EFONT, *missing (if not NULL) receives the first code point
 * that cannot. Never fails the document. */
cadre_error cadre_pdf_text_check(cadre_pdf *pdf, int face, const char *text,
                                 uint32_t *missing);

/* Draw one line of `text` with its baseline at `y`, starting at `x`
 * (LEFT), centred on `x` (CENTER) or ending at `x` (RIGHT). */
cadre_error cadre_pdf_text(cadre_pdf *pdf, const cadre_pdf_font *font,
                           double x, double y, cadre_pdf_align align,
                           const char *text);

/* A box for text: the text shrinks (from font->size down to min_size) to
 * stay on one line, then wraps at spaces (breaking words wider than the
 * box) and shrinks further until every line fits inside the box, which
 * is never overflowed. */
typedef struct cadre_pdf_box {
    double x, y, w, h;       /* the box, mm */
    cadre_pdf_align align;   /* of each line */
    cadre_pdf_valign valign; /* of the block of lines */
    double min_size;         /* smallest size on one line, points (0: the
                                font's size, no shrinking) */
    double line_spacing;     /* baseline to baseline, in font sizes (0: the
                                face's natural height, about 1.36) */
} cadre_pdf_box;

/* What cadre_pdf_text_box() did. */
typedef struct cadre_pdf_fit {
    double size;   /* the font size used, points */
    int lines;     /* lines drawn */
    double width;  /* the widest line, mm */
    double bottom; /* the last line's lowest reach (baseline plus the
                      face's descent), mm from the page's top, in the
                      terms of the box (before the offset) */
} cadre_pdf_fit;

/* Draw `text` in `box` as described above.  Returns CADRE_EINVALID with a
 * message when even 4-point text cannot fit (the box is too small); `fit`
 * may be NULL.  Explicit newlines in the text start new lines. */
cadre_error cadre_pdf_text_box(cadre_pdf *pdf, const cadre_pdf_box *box,
                               const cadre_pdf_font *font, const char *text,
                               cadre_pdf_fit *fit);

/* ------------------------------------------------------------------ */
/* Graphics.  Line widths in points; colours CADRE_PDF_NONE to skip.   */

/* A straight line from (x1, y1) to (x2, y2). */
cadre_error cadre_pdf_line(cadre_pdf *pdf, double x1, double y1, double x2,
                           double y2, double width, uint32_t color);

/* A row of round dots of `diameter` mm every `step` mm from (x1, y1)
 * towards (x2, y2): leader dots, decorative chains.  One path, however
 * many dots. */
cadre_error cadre_pdf_dots(cadre_pdf *pdf, double x1, double y1, double x2,
                           double y2, double diameter, double step,
                           uint32_t color);

/* A rectangle (top-left x, y), stroked and/or filled. */
cadre_error cadre_pdf_rect(cadre_pdf *pdf, double x, double y, double w,
                           double h, double width, uint32_t stroke,
                           uint32_t fill);

/* A closed polygon of `n` points (xy holds x0, y0, x1, y1 ...). */
cadre_error cadre_pdf_polygon(cadre_pdf *pdf, const double *xy, size_t n,
                              double width, uint32_t stroke, uint32_t fill);

/* A circle centred on (cx, cy). */
cadre_error cadre_pdf_circle(cadre_pdf *pdf, double cx, double cy, double r,
                             double width, uint32_t stroke, uint32_t fill);

/* A PNG or JPEG image (by its signature, not its name) fitted inside the
 * box, keeping its proportions, centred.  Loaded once per document.
 * Returns CADRE_EIMAGE with a message when the file is unreadable or
 * corrupt (the document is then unusable: free it). */
cadre_error cadre_pdf_image(cadre_pdf *pdf, const char *path, double x,
                            double y, double w, double h);

/* cadre_pdf_image(), saying where the image went: `drawn` (NULL or four
 * doubles) receives its x, y, w, h in mm. */
cadre_error cadre_pdf_image_fitted(cadre_pdf *pdf, const char *path,
                                   double x, double y, double w, double h,
                                   double *drawn);

/* A QR code of `text` (UTF-8, error correction M) as filled squares in a
 * `size` mm square at (x, y), quiet zone included and painted white. */
cadre_error cadre_pdf_qr(cadre_pdf *pdf, const char *text, double x,
                         double y, double size, uint32_t color);

/* ------------------------------------------------------------------ */
/* Bookmarks (the outline).                                            */

typedef struct cadre_pdf_bookmark cadre_pdf_bookmark; /* owned by the document */

/* Add a bookmark `title` (UTF-8, normalised to NFC) under `parent` (NULL:
 * at the top level) that opens the current page.  Returns NULL on error
 * (the document's error is set: cadre_pdf_error()). */
cadre_pdf_bookmark *cadre_pdf_bookmark_add(cadre_pdf *pdf,
                                           cadre_pdf_bookmark *parent,
                                           const char *title);

/* Open the document with the bookmarks panel shown. */
cadre_error cadre_pdf_show_bookmarks(cadre_pdf *pdf);

/* ------------------------------------------------------------------ */

/* Write the document to `path` through a temporary file renamed when
 * complete (files.h): a failure leaves whatever was there.  The fonts are
 * written then; CreationDate and ModDate are SOURCE_DATE_EPOCH when it is
 * set (a value that is not a number of seconds is an error), else now, in
 * UTC.  Nothing can be drawn afterwards.  Errors go to `diags` ("cannot
 * write 'x.pdf': ...") and are returned. */
cadre_error cadre_pdf_save(cadre_pdf *pdf, const char *path,
                           cadre_diags *diags);

/* What cadre_pdf_save_then() calls on the complete temporary file
 * `tmp` before it becomes `path`: a signature appended to it
 * (sign.h).  Returns CADRE_OK, or an error with its message in `diags`
 * (the file is then discarded). */
typedef cadre_error (*cadre_pdf_finish_fn)(const char *tmp, const char *path,
                                           void *ctx, cadre_diags *diags);

/* cadre_pdf_save(), with `then` (NULL: none) run on the written file
 * before it is renamed onto `path`. */
cadre_error cadre_pdf_save_then(cadre_pdf *pdf, const char *path,
                                cadre_pdf_finish_fn then, void *ctx,
                                cadre_diags *diags);

#endif
