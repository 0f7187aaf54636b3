/* pdf_text.c - text through the shared font set: measuring, lines, and
 * boxes that shrink then wrap (pdf.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadre/text.h"
#include "pdf_internal.h"

/* ------------------------------------------------------------------ */
/* Text.                                                               */

void pdf_faces_release(cadre_pdf *pdf)
{
    free(pdf->faces);
    pdf->faces = NULL;
    pdf->n_faces = 0;
}

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
 * font, -1 neither (*missing the first code point lacking). */
static int choose(const struct face *f, const char *text, uint32_t *missing)
{
    int which = 0;
    const unsigned char *p = (const unsigned char *)text;
    while (*p) {
        uint32_t c = pdf_next_cp(&p);
        if (c == '\n' || c == '\t' || c == '\r')
            continue;
        if (which == 0 && !pdf_covers(f->cov[0], c))
            which = 1;
        /* libharu's UTF-8 encoder only handles the BMP (pdf_covers). */
        if (which == 1 && !pdf_covers(f->cov[1], c)) {
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

/* The libharu font for `face`, file `which`, loaded into the document on
 * first use.  Must run while armed (libharu may jump). */
static HPDF_Font doc_font(cadre_pdf *pdf, int face, int which)
{
    if ((size_t)face >= pdf->n_faces) {
        size_t n = pdf->fonts->n;
        struct pdf_doc_face *grown = realloc(pdf->faces, n * sizeof *grown);
        if (!grown)
            return NULL;
        memset(grown + pdf->n_faces, 0, (n - pdf->n_faces) * sizeof *grown);
        pdf->faces = grown;
        pdf->n_faces = n;
    }
    struct pdf_doc_face *df = &pdf->faces[face];
    const struct face *f = &pdf->fonts->faces[face];
    if (which == 1 && f->file[1] == f->file[0])
        which = 0;
    if (!df->font[which]) {
        pdf_haru_forget();
        const char *name = HPDF_LoadTTFontFromFile(pdf->doc, f->file[which],
                                                   HPDF_TRUE);
        if (name)
            df->font[which] = HPDF_GetFont(pdf->doc, name, "UTF-8");
    }
    return df->font[which];
}

/* A face's advance table for `which`, allocated on first use. */
static int16_t *width_table(struct face *f, int which)
{
    if (which == 1 && f->file[1] == f->file[0])
        which = 0;
    if (!f->width[which]) {
        f->width[which] = malloc(0x10000 * sizeof(int16_t));
        if (f->width[which])
            memset(f->width[which], 0xFF, 0x10000 * sizeof(int16_t));
        if (which == 0 && f->file[1] == f->file[0])
            f->width[1] = f->width[0];
    }
    return f->width[which];
}

/* Width of `len` bytes of `text` in 1/1000 of the font size; control
 * characters count as spaces. */
static double units(HPDF_Font font, int16_t *table, const char *text,
                    size_t len)
{
    double w = 0;
    const unsigned char *p = (const unsigned char *)text,
                        *end = (const unsigned char *)text + len;
    while (p < end) {
        uint32_t c = pdf_next_cp(&p);
        if (c < 0x20)
            c = ' ';
        if (c > 0xFFFF)
            continue;
        if (table[c] < 0)
            table[c] = (int16_t)HPDF_Font_GetUnicodeWidth(font, (HPDF_UNICODE)c);
        w += table[c];
    }
    return w;
}

/* A measured piece of text: everything the drawing functions need. */
struct run {
    const char *text;   /* NFC */
    HPDF_Font font;     /* the file that prints it */
    int16_t *table;     /* its advances */
    double ascent;      /* above the baseline, in font sizes */
    double descent;     /* below it (positive), in font sizes */
};

/* Prepare `text` for `font`: NFC, the file that prints it, loaded.  Must
 * run while armed.  Returns false after recording an error. */
static bool run_init(cadre_pdf *pdf, const cadre_pdf_font *font,
                     const char *text, struct run *r)
{
    if (font->face < 0 || (size_t)font->face >= pdf->fonts->n) {
        pdf_fail(pdf, CADRE_EINVALID, "no such font face %d", font->face);
        return false;
    }
    if (!(r->text = prepare(pdf, text)))
        return false;
    struct face *f = &pdf->fonts->faces[font->face];
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
    r->font = doc_font(pdf, font->face, which);
    r->table = width_table(f, which);
    if (!r->font || !r->table) {
        pdf_fail(pdf, CADRE_ENOMEM, "cannot load font '%s'", f->file[which]);
        return false;
    }
    r->ascent = HPDF_Font_GetAscent(r->font) / 1000.0;
    r->descent = -HPDF_Font_GetDescent(r->font) / 1000.0;
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
    pdf->armed = 1;
    if (setjmp(pdf->jump))
        return pdf_jumped(pdf, "cannot measure text");
    if (!run_init(pdf, font, text, &r))
        return pdf->err;
    pdf->armed = 0;
    *width = units(r.font, r.table, r.text, strlen(r.text)) * font->size /
             1000 / CADRE_PDF_PT_PER_MM;
    return CADRE_OK;
}

/* Draw `len` bytes of `text` at (x, y) points, baseline.  Control
 * characters become spaces (libharu would print a missing glyph). */
static bool show(cadre_pdf *pdf, const struct run *r,
                 const cadre_pdf_font *font, double size, double x, double y,
                 const char *text, size_t len)
{
    if (len + 1 > pdf->line_cap) {
        char *grown = realloc(pdf->line, len + 1);
        if (!grown) {
            pdf_fail(pdf, CADRE_ENOMEM, "out of memory");
            return false;
        }
        pdf->line = grown;
        pdf->line_cap = len + 1;
    }
    for (size_t i = 0; i < len; i++)
        pdf->line[i] = (unsigned char)text[i] < 0x20 ? ' ' : text[i];
    pdf->line[len] = '\0';
    uint32_t c = font->color;
    if (c != pdf->fill) {
        HPDF_Page_SetRGBFill(pdf->page, (HPDF_REAL)((c >> 16) & 0xFF) / 255,
                             (HPDF_REAL)((c >> 8) & 0xFF) / 255,
                             (HPDF_REAL)(c & 0xFF) / 255);
        pdf->fill = c;
    }
    if (!pdf->in_text) {
        HPDF_Page_BeginText(pdf->page);
        pdf->in_text = true;
    }
    if (r->font != pdf->tf_font || size != pdf->tf_size) {
        HPDF_Page_SetFontAndSize(pdf->page, r->font, (HPDF_REAL)size);
        pdf->tf_font = r->font;
        pdf->tf_size = size;
    }
    HPDF_Page_TextOut(pdf->page, (HPDF_REAL)x, (HPDF_REAL)y, pdf->line);
    return true;
}

cadre_error cadre_pdf_text(cadre_pdf *pdf, const cadre_pdf_font *font,
                           double x, double y, cadre_pdf_align align,
                           const char *text)
{
    if (pdf->err)
        return pdf->err;
    if (!pdf->page)
        return pdf_fail(pdf, CADRE_EINVALID, "drawing before the first page");
    struct run r;
    pdf->armed = 1;
    if (setjmp(pdf->jump))
        return pdf_jumped(pdf, "cannot draw text");
    if (!run_init(pdf, font, text, &r))
        return pdf->err;
    size_t len = strlen(r.text);
    double w = units(r.font, r.table, r.text, len) * font->size / 1000;
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

/* Trim spaces at both ends of bytes [start, end) of the text. */
static struct pdf_span trimmed(const struct run *r, size_t start, size_t end)
{
    while (start < end && r->text[start] == ' ')
        start++;
    while (end > start && r->text[end - 1] == ' ')
        end--;
    return (struct pdf_span){ start, end - start,
                              units(r->font, r->table, r->text + start,
                                    end - start) };
}

static bool spans_push(struct pdf_spans *s, struct pdf_span span)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 8;
        struct pdf_span *grown = realloc(s->v, cap * sizeof *grown);
        if (!grown)
            return false;
        s->v = grown;
        s->cap = cap;
    }
    s->v[s->n++] = span;
    return true;
}

/* The byte after the character at `at`. */
static size_t after_char(const char *t, size_t at)
{
    const unsigned char *p = (const unsigned char *)t + at;
    pdf_next_cp(&p);
    return (size_t)((const char *)p - t);
}

/* Greedy wrap of the text into lines at most `max` units wide: newlines
 * force breaks, a word wider than a line is cut between characters.
 * Returns false when out of memory. */
static bool wrap(const struct run *r, double max, struct pdf_spans *out)
{
    const char *t = r->text;
    size_t n = strlen(t), pos = 0;
    out->n = 0;
    for (;;) {
        const char *nl = strchr(t + pos, '\n');
        size_t para_end = nl ? (size_t)(nl - t) : n;
        size_t line = pos;
        while (line < para_end && t[line] == ' ')
            line++;
        if (line == para_end && !spans_push(out, (struct pdf_span){ line, 0, 0 }))
            return false;
        while (line < para_end) {
            size_t fit = line, end = line;
            while (end < para_end) {
                size_t w = end;
                while (w < para_end && t[w] == ' ')
                    w++;
                while (w < para_end && t[w] != ' ')
                    w++;
                if (trimmed(r, line, w).units > max)
                    break;
                fit = end = w;
            }
            if (fit == line) {
                /* the first word alone is too wide: cut it */
                fit = after_char(t, line);
                while (fit < para_end && t[fit] != ' ' &&
                       trimmed(r, line, after_char(t, fit)).units <= max)
                    fit = after_char(t, fit);
            }
            if (!spans_push(out, trimmed(r, line, fit)))
                return false;
            line = fit;
            while (line < para_end && t[line] == ' ')
                line++;
        }
        if (para_end >= n)
            return true;
        pos = para_end + 1;
    }
}

/* Smallest size the box ever tries: below it nobody can read a name. */
#define BOX_FLOOR 4.0
/* Sizes tried while wrapping, from the font's size down. */
#define BOX_STEP 0.25
/* Keep a hair inside the box: viewers round advances differently. */
#define BOX_SLACK 0.995

cadre_error cadre_pdf_text_box(cadre_pdf *pdf, const cadre_pdf_box *box,
                               const cadre_pdf_font *font, const char *text,
                               cadre_pdf_fit *fit)
{
    if (pdf->err)
        return pdf->err;
    if (!pdf->page)
        return pdf_fail(pdf, CADRE_EINVALID, "drawing before the first page");
    struct run r;
    /* The lines live in the document (not in this frame) so that nothing
     * leaks when libharu jumps back. */
    struct pdf_spans *lines = &pdf->spans;
    pdf->armed = 1;
    if (setjmp(pdf->jump))
        return pdf_jumped(pdf, "cannot draw text");
    if (!run_init(pdf, font, text, &r))
        goto fail;

    double bw = box->w * CADRE_PDF_PT_PER_MM * BOX_SLACK;
    double bh = box->h * CADRE_PDF_PT_PER_MM * BOX_SLACK;
    double k = r.ascent + r.descent;
    double spacing = box->line_spacing > 0 ? box->line_spacing : k;
    if (spacing < k)
        spacing = k; /* lines never overlap */
    double min = box->min_size > 0 ? box->min_size : font->size;
    double size = 0;
    size_t len = strlen(r.text);

    if (!strchr(r.text, '\n')) {
        struct pdf_span s = trimmed(&r, 0, len);
        double by_w = s.units > 0 ? bw * 1000 / s.units : font->size;
        double by_h = bh / k;
        double s1 = font->size;
        if (by_w < s1)
            s1 = by_w;
        if (by_h < s1)
            s1 = by_h;
        if (s1 >= min - 1e-9 || (by_w >= font->size && by_h >= BOX_FLOOR)) {
            size = s1;
            lines->n = 0;
            if (!spans_push(lines, s))
                goto nomem;
        }
    }
    for (double s = font->size; size == 0 && s >= BOX_FLOOR - 1e-9;
         s -= BOX_STEP) {
        if (!wrap(&r, bw * 1000 / s, lines))
            goto nomem;
        double height = (double)(lines->n - 1) * spacing * s + k * s;
        bool wide = false;
        for (size_t i = 0; i < lines->n; i++)
            if (lines->v[i].units * s / 1000 > bw)
                wide = true;
        if (height <= bh && !wide)
            size = s;
    }
    if (size == 0) {
        pdf_fail(pdf, CADRE_EINVALID,
                 "text does not fit its %gx%g mm box even at %g pt: '%.60s'",
                 box->w, box->h, BOX_FLOOR, r.text);
        goto fail;
    }

    double block = (double)(lines->n - 1) * spacing * size + k * size;
    double top = pdf_y(pdf, box->y);
    double free_h = box->h * CADRE_PDF_PT_PER_MM - block;
    if (box->valign == CADRE_PDF_MIDDLE)
        top -= free_h / 2;
    else if (box->valign == CADRE_PDF_BOTTOM)
        top -= free_h;
    double left = pdf_x(pdf, box->x), full_w = box->w * CADRE_PDF_PT_PER_MM;
    for (size_t i = 0; i < lines->n; i++) {
        const struct pdf_span *s = &lines->v[i];
        if (s->len == 0)
            continue;
        double w = s->units * size / 1000, x = left;
        if (box->align == CADRE_PDF_CENTER)
            x += (full_w - w) / 2;
        else if (box->align == CADRE_PDF_RIGHT)
            x += full_w - w;
        double y = top - r.ascent * size - (double)i * spacing * size;
        if (!show(pdf, &r, font, size, x, y, r.text + s->start, s->len))
            goto fail;
    }
    if (fit) {
        fit->size = size;
        fit->lines = (int)lines->n;
    }
    pdf->armed = 0;
    return CADRE_OK;
nomem:
    pdf_fail(pdf, CADRE_ENOMEM, "out of memory");
fail:
    pdf->armed = 0;
    return pdf->err;
}
