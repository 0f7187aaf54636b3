/* pdf_text.c - text through the shared font set: measuring, lines, and
 * boxes that shrink then wrap (pdf.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadre/text.h"
#include "pdf_internal.h"
#include "util/grow.h"
#include "util/linebreak.h"

/* ------------------------------------------------------------------ */
/* Text.                                                               */

/* Valid UTF-8 in NFC: `text` itself or the document's scratch copy.
 * NULL after recording an error. */
static const char *prepare(cadre_pdf *pdf, const char *text)
{
    size_t len = strlen(text), where;
    uint32_t cp;
    if (cadre_text_check(text, len, &where, &cp) == CADRE_TEXT_BAD_UTF8) {
        pdf_fail(pdf, CADRE_EINVALID, "invalid UTF-8 at byte %zu of text",
                 where);
        return NULL;
    }
    if (cadre_text_is_nfc(text, len))
        return text;
    char *nfc = cadre_text_nfc(text, len, NULL);
    if (!nfc) {
        pdf_fail(pdf, CADRE_ENOMEM, "out of memory");
        return NULL;
    }
    free(pdf->nfc);
    pdf->nfc = nfc;
    return nfc;
}

/* Which file of the face prints all of `text`: 0 the subset, 1 the full
 * font, -1 neither (*missing the first code point lacking).  Control
 * characters print as spaces. */
static int choose(const struct pdf_face *f, const char *text, uint32_t *missing)
{
    int which = 0;
    const unsigned char *p = (const unsigned char *)text;
    while (*p) {
        uint32_t c = pdf_next_cp(&p);
        if (c < 0x20)
            continue;
        if (which == 0 && !pdf_ttf_glyph(f->ttf[0], c))
            which = 1;
        if (which == 1 && !pdf_ttf_glyph(f->ttf[1], c)) {
            *missing = c;
            return -1;
        }
    }
    return which;
}

cadre_error cadre_pdf_text_check(cadre_pdf *pdf, int face, const char *text,
                                 uint32_t *missing)
{
    if (face < 0 || (size_t)face >= pdf->fonts->n)
        return CADRE_EINVALID;
    if (cadre_text_check(text, strlen(text), NULL, NULL) ==
        CADRE_TEXT_BAD_UTF8)
        return CADRE_EINVALID;
    uint32_t dummy;
    char *nfc = cadre_text_nfc(text, strlen(text), NULL);
    if (!nfc)
        return CADRE_ENOMEM;
    int which = choose(&pdf->fonts->faces[face], nfc, missing ? missing : &dummy);
    free(nfc);
    return which < 0 ? CADRE_EFONT : CADRE_OK;
}

/* Width of `len` bytes of `text` in 1/1000 of the font size; control
 * characters count as spaces. */
static double units(const struct pdf_ttf *ttf, const char *text, size_t len)
{
    double w = 0;
    const unsigned char *p = (const unsigned char *)text,
                        *end = (const unsigned char *)text + len;
    while (p < end) {
        uint32_t c = pdf_next_cp(&p);
        w += pdf_ttf_advance(ttf, pdf_ttf_glyph(ttf, c < 0x20 ? ' ' : c));
    }
    return w;
}

/* A measured piece of text: everything the drawing functions need. */
struct run {
    const char *text;           /* NFC */
    int face, which;            /* the file that prints it */
    const struct pdf_ttf *ttf;  /* ... read */
    double ascent;              /* above the baseline, in font sizes */
    double descent;             /* below it (positive), in font sizes */
};

/* Prepare `text` for `font`: NFC, and the file that prints it.  Returns
 * false after recording an error. */
static bool run_init(cadre_pdf *pdf, const cadre_pdf_font *font,
                     const char *text, struct run *r)
{
    if (font->face < 0 || (size_t)font->face >= pdf->fonts->n) {
        pdf_fail(pdf, CADRE_EINVALID, "no such font face %d", font->face);
        return false;
    }
    if (!(r->text = prepare(pdf, text)))
        return false;
    struct pdf_face *f = &pdf->fonts->faces[font->face];
    uint32_t missing = 0;
    int which = choose(f, r->text, &missing);
    if (which < 0) {
        char ch[8] = "";
        if (missing >= 0x20 && missing <= 0x10FFFF && missing != 0x7F) {
            /* show the character itself, UTF-8 encoded */
            unsigned char *o = (unsigned char *)ch;
            if (missing < 0x80) {
                *o++ = (unsigned char)missing;
            } else if (missing < 0x800) {
                *o++ = (unsigned char)(0xC0 | (missing >> 6));
                *o++ = (unsigned char)(0x80 | (missing & 0x3F));
            } else if (missing < 0x10000) {
                *o++ = (unsigned char)(0xE0 | (missing >> 12));
                *o++ = (unsigned char)(0x80 | ((missing >> 6) & 0x3F));
                *o++ = (unsigned char)(0x80 | (missing & 0x3F));
            } else {
                *o++ = (unsigned char)(0xF0 | (missing >> 18));
                *o++ = (unsigned char)(0x80 | ((missing >> 12) & 0x3F));
                *o++ = (unsigned char)(0x80 | ((missing >> 6) & 0x3F));
                *o++ = (unsigned char)(0x80 | (missing & 0x3F));
            }
            *o = '\0';
        }
        pdf_fail(pdf, CADRE_EFONT, "font '%s' cannot print U+%04X '%s'", f->label,
                 (unsigned)missing, ch);
        return false;
    }
    r->face = font->face;
    r->which = which;
    r->ttf = f->ttf[which];
    r->ascent = r->ttf->ascent / 1000.0;
    r->descent = -r->ttf->descent / 1000.0;
    if (r->ascent <= 0)
        r->ascent = 0.9;
    if (r->descent < 0)
        r->descent = 0;
    return true;
}

cadre_error cadre_pdf_text_width(cadre_pdf *pdf, const cadre_pdf_font *font,
                                 const char *text, double *width)
{
    *width = 0;
    if (pdf->err)
        return pdf->err;
    struct run r;
    if (!run_init(pdf, font, text, &r))
        return pdf->err;
    *width = units(r.ttf, r.text, strlen(r.text)) * font->size / 1000 /
             CADRE_PDF_PT_PER_MM;
    return CADRE_OK;
}

/* Draw `len` bytes of `text` at (x, y) points, baseline.  Control
 * characters print as spaces.  Must run while armed. */
static bool show(cadre_pdf *pdf, const struct run *r,
                 const cadre_pdf_font *font, double size, double x, double y,
                 const char *text, size_t len)
{
    struct pdf_doc_font *df = pdf_doc_font(pdf, r->face, r->which);
    const char *name = df ? pdf_doc_font_name(pdf, df) : NULL;
    if (!name) {
        pdf_fail(pdf, CADRE_ENOMEM, "out of memory");
        return false;
    }
    if (!pdf->in_text) {
        pdf_put_str(pdf, "BT\n");
        pdf->in_text = true;
    }
    if (font->color != pdf->fill) {
        pdf_put_color(pdf, font->color, false);
        pdf->fill = font->color;
    }
    if (df != pdf->tf_font || size != pdf->tf_size) {
        pdf_put_str(pdf, "/");
        pdf_put_str(pdf, name);
        pdf_put_str(pdf, " ");
        pdf_put_num(pdf, size, 3);
        pdf_put_str(pdf, "Tf ");
        pdf->tf_font = df;
        pdf->tf_size = size;
    }
    pdf_put_str(pdf, "1 0 0 1 ");
    pdf_put_num(pdf, x, 2);
    pdf_put_num(pdf, y, 2);
    pdf_put_str(pdf, "Tm ");
    uint16_t codes[128];
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)text,
                        *end = (const unsigned char *)text + len;
    while (p < end) {
        uint32_t c = pdf_next_cp(&p);
        if (!(codes[n++] = pdf_doc_font_cid(df, c < 0x20 ? ' ' : c))) {
            pdf_fail(pdf, CADRE_ELIMIT,
                     "too many different characters in one document");
            return false;
        }
        if (n == sizeof codes / sizeof codes[0] || p == end) {
            pdf_put_codes(pdf, codes, n);
            pdf_put_str(pdf, p == end ? " Tj\n" : " Tj ");
            n = 0;
        }
    }
    return true;
}

cadre_error cadre_pdf_text(cadre_pdf *pdf, const cadre_pdf_font *font,
                           double x, double y, cadre_pdf_align align,
                           const char *text)
{
    if (pdf_ready(pdf) != CADRE_OK)
        return pdf->err;
    struct run r;
    if (!run_init(pdf, font, text, &r))
        return pdf->err;
    pdf->armed = 1;
    if (setjmp(pdf->jump))
        return pdf_jumped(pdf, "cannot draw text");
    size_t len = strlen(r.text);
    double w = units(r.ttf, r.text, len) * font->size / 1000;
    double px = pdf_x(pdf, x);
    if (align == CADRE_PDF_CENTER)
        px -= w / 2;
    else if (align == CADRE_PDF_RIGHT)
        px -= w;
    if (!show(pdf, &r, font, font->size, px, pdf_y(pdf, y), r.text, len))
        return pdf->err;
    pdf->armed = 0;
    return CADRE_OK;
}

/* ------------------------------------------------------------------ */
/* Boxes.                                                              */

/* Smallest size the box ever tries: below it nobody can read a name. */
#define BOX_FLOOR 4.0
/* Sizes tried while wrapping, from the font's size down. */
#define BOX_STEP 0.25
/* Keep a hair inside the box: viewers round advances differently. */
#define BOX_SLACK 0.995

/* The line breaker's measure: 1/1000 of the font size. */
static double measure_units(void *ctx, const char *s, size_t len)
{
    return units(ctx, s, len);
}

/* How a text fits its box: the size and the lines (in the document's
 * scratch array, pdf->lines). */
struct box_fit {
    const cadre_pdf_box *box;
    const struct run *r;
    double bw, bh;      /* the box less the slack, points */
    double k;           /* a line's height, in font sizes */
    double spacing;     /* baseline to baseline, in font sizes */
    double size;        /* chosen, points; 0 when nothing fits */
    size_t n;           /* lines */
};

/* Break the text into lines at most `max` units wide (words wider cut
 * between characters), into pdf->lines; false when out of memory. */
static bool wrap(cadre_pdf *pdf, const struct run *r, double max, size_t *n)
{
    struct line_breaker lb = { .measure = measure_units,
                               .ctx = (void *)r->ttf, .first = max,
                               .width = max, .cut = max };
    size_t nw = line_words(&lb, r->text, strlen(r->text), &pdf->words,
                           &pdf->words_cap);
    if (nw == (size_t)-1 || !GROW(pdf->lines, pdf->lines_cap, nw + 1))
        return false;
    *n = line_fill(&lb, pdf->words, nw, pdf->lines, 0);
    return true;
}

/* One line, shrunk from the font's size down to min-size (or further when
 * only the height limits it).  Sets bf->size when it fits. */
static bool fit_one_line(cadre_pdf *pdf, const cadre_pdf_font *font,
                         struct box_fit *bf)
{
    if (strchr(bf->r->text, '\n'))
        return true;
    if (!wrap(pdf, bf->r, 1e300, &bf->n))
        return false;
    double units_w = pdf->lines[0].width;
    double by_w = units_w > 0 ? bf->bw * 1000 / units_w : font->size;
    double by_h = bf->bh / bf->k;
    double s1 = font->size;
    if (by_w < s1)
        s1 = by_w;
    if (by_h < s1)
        s1 = by_h;
    double min = bf->box->min_size > 0 ? bf->box->min_size : font->size;
    if (s1 >= min - 1e-9 || (by_w >= font->size && by_h >= BOX_FLOOR))
        bf->size = s1;
    return true;
}

/* Wrapped lines at the largest size, from the font's, whose lines all fit
 * the box.  Sets bf->size when one does. */
static bool fit_wrapped(cadre_pdf *pdf, const cadre_pdf_font *font,
                        struct box_fit *bf)
{
    for (double s = font->size; s >= BOX_FLOOR - 1e-9; s -= BOX_STEP) {
        if (!wrap(pdf, bf->r, bf->bw * 1000 / s, &bf->n))
            return false;
        double height = (double)(bf->n - 1) * bf->spacing * s + bf->k * s;
        bool wide = false;
        for (size_t i = 0; i < bf->n; i++)
            if (pdf->lines[i].width * s / 1000 > bf->bw)
                wide = true;
        if (height <= bf->bh && !wide) {
            bf->size = s;
            return true;
        }
    }
    return true;
}

/* Draw the lines of `bf`; fills `fit` (may be NULL).  Must run while
 * armed. */
static bool draw_lines(cadre_pdf *pdf, const cadre_pdf_font *font,
                       const struct box_fit *bf, cadre_pdf_fit *fit)
{
    const cadre_pdf_box *box = bf->box;
    double size = bf->size;
    double block = (double)(bf->n - 1) * bf->spacing * size + bf->k * size;
    double top = pdf_y(pdf, box->y);
    double free_h = box->h * CADRE_PDF_PT_PER_MM - block;
    if (box->valign == CADRE_PDF_MIDDLE)
        top -= free_h / 2;
    else if (box->valign == CADRE_PDF_BOTTOM)
        top -= free_h;
    double left = pdf_x(pdf, box->x), full_w = box->w * CADRE_PDF_PT_PER_MM;
    double widest = 0, y = top;
    for (size_t i = 0; i < bf->n; i++) {
        const struct line_span *l = &pdf->lines[i];
        double w = l->width * size / 1000, x = left;
        if (w > widest)
            widest = w;
        if (box->align == CADRE_PDF_CENTER)
            x += (full_w - w) / 2;
        else if (box->align == CADRE_PDF_RIGHT)
            x += full_w - w;
        y = top - bf->r->ascent * size - (double)i * bf->spacing * size;
        if (l->end > l->start &&
            !show(pdf, bf->r, font, size, x, y, bf->r->text + l->start,
                  l->end - l->start))
            return false;
    }
    if (fit) {
        fit->size = size;
        fit->lines = (int)bf->n;
        fit->width = widest / CADRE_PDF_PT_PER_MM;
        /* from the page's top, less the offset: the box's own terms */
        fit->bottom = (pdf->page_h - pdf->dy - (y - bf->r->descent * size)) /
                      CADRE_PDF_PT_PER_MM;
    }
    return true;
}

/* draw_lines() with libharu's errors caught: apart, so that nothing the
 * fitting computed lives across the jump. */
static cadre_error draw_armed(cadre_pdf *pdf, const cadre_pdf_font *font,
                              const struct box_fit *bf, cadre_pdf_fit *fit)
{
    pdf->armed = 1;
    if (setjmp(pdf->jump))
        return pdf_jumped(pdf, "cannot draw text");
    if (!draw_lines(pdf, font, bf, fit))
        return pdf->err;
    pdf->armed = 0;
    return CADRE_OK;
}

cadre_error cadre_pdf_text_box(cadre_pdf *pdf, const cadre_pdf_box *box,
                               const cadre_pdf_font *font, const char *text,
                               cadre_pdf_fit *fit)
{
    if (pdf_ready(pdf) != CADRE_OK)
        return pdf->err;
    struct run r;
    if (!run_init(pdf, font, text, &r))
        return pdf->err;
    struct box_fit bf = { .box = box, .r = &r };
    bf.bw = box->w * CADRE_PDF_PT_PER_MM * BOX_SLACK;
    bf.bh = box->h * CADRE_PDF_PT_PER_MM * BOX_SLACK;
    bf.k = r.ascent + r.descent;
    bf.spacing = box->line_spacing > bf.k ? box->line_spacing : bf.k;
    if (!fit_one_line(pdf, font, &bf) ||
        (bf.size == 0 && !fit_wrapped(pdf, font, &bf)))
        return pdf_fail(pdf, CADRE_ENOMEM, "out of memory");
    if (bf.size == 0)
        return pdf_fail(pdf, CADRE_EINVALID,
                        "text does not fit its %gx%g mm box even at %g pt: "
                        "'%.60s'",
                        box->w, box->h, BOX_FLOOR, r.text);
    return draw_armed(pdf, font, &bf, fit);
}
