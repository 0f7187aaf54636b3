/* pdf_internal.h - what the modules of the PDF layer share: pdf.c
 * (documents, graphics), pdf_font.c (font sets), pdf_text.c (text) and
 * pdf_ttf.c (what a font file prints).  Code outside the layer uses
 * pdf.h; what it misses belongs there. */
#ifndef CADRE_PDF_INTERNAL_H
#define CADRE_PDF_INTERNAL_H

#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>

#include <hpdf.h>

#include "cadre/pdf.h"

/* A face as it is loaded into one document: the subset and, only when a
 * text needs it, the full font. */
struct pdf_doc_face {
    HPDF_Font font[2]; /* [0] the drawing file, [1] the full fallback */
};

/* One line of a wrapped text: bytes [start, start + len) of it. */
struct pdf_span {
    size_t start, len;
    double units; /* width in 1/1000 of the font size */
};

/* The lines of a text box. */
struct pdf_spans {
    struct pdf_span *v;
    size_t n, cap;
};

/* An image loaded into one document, reused by every page. */
struct pdf_image {
    char *path;      /* as given */
    HPDF_Image img;  /* libharu's object, freed with the document */
};

struct cadre_pdf {
    HPDF_Doc doc;              /* libharu's document */
    HPDF_Page page;            /* the current page, or NULL before one */
    cadre_pdf_fonts *fonts;    /* borrowed font set */
    struct pdf_doc_face *faces;/* per face of the set, loaded on first use */
    size_t n_faces;            /* slots in faces */
    struct pdf_image *images;  /* images loaded so far */
    size_t n_images;
    double page_h;             /* current page height, points (y flips) */
    double dx, dy;             /* printer offset, points */
    size_t pages;              /* pages added */
    int level;                 /* zlib level when saving */
    /* What the page's graphics state holds, to skip libharu calls that
     * would set it again (each costs a 512-byte memset and a format). */
    uint32_t fill;             /* fill colour, CADRE_PDF_NONE: unknown */
    bool in_text;              /* inside BT .. ET: texts in a row share one
                                  text object; graphics end it first */
    HPDF_Font tf_font;         /* font of the last text, or NULL */
    double tf_size;            /* its size */
    cadre_error err;           /* first error met; sticky */
    char msg[256];             /* what it was */
    /* libharu reports errors through a callback; while `armed`, it jumps
     * back to the public function that set `jump`.  Only public entry
     * points set it, and they never call each other. */
    jmp_buf jump;
    int armed;
    HPDF_STATUS hpdf_status, hpdf_detail; /* libharu's codes, for messages */
    char *nfc;                 /* scratch: the NFC copy of the current text */
    char *line;                /* scratch: one line of it */
    size_t line_cap;
    struct pdf_spans spans;    /* scratch: the lines of a text box */
};

/* mm (from the top) to PDF points (from the bottom), with the offset. */
static inline double pdf_x(const cadre_pdf *pdf, double mm)
{
    return mm * CADRE_PDF_PT_PER_MM + pdf->dx;
}
static inline double pdf_y(const cadre_pdf *pdf, double mm)
{
    return pdf->page_h - (mm * CADRE_PDF_PT_PER_MM + pdf->dy);
}

/* Record the first error of the document; returns it. */
cadre_error pdf_fail(cadre_pdf *pdf, cadre_error err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Called by public functions after libharu jumped back: turn libharu's
 * status into our error and message. */
cadre_error pdf_jumped(cadre_pdf *pdf, const char *what);

/* Decode one code point of valid UTF-8 at *p and advance. */
static inline uint32_t pdf_next_cp(const unsigned char **p)
{
    const unsigned char *s = *p;
    uint32_t c = s[0];
    int n = 0;
    if (c >= 0xF0) {
        c &= 0x07;
        n = 3;
    } else if (c >= 0xE0) {
        c &= 0x0F;
        n = 2;
    } else if (c >= 0xC0) {
        c &= 0x1F;
        n = 1;
    }
    s++;
    for (int i = 0; i < n && (*s & 0xC0) == 0x80; i++)
        c = (c << 6) | (*s++ & 0x3F);
    *p = s;
    return c;
}

/* One face: a file to draw with and the full font behind it. */
struct face {
    char *family;       /* as asked for */
    int style;          /* cadre_pdf_style */
    char *label;        /* "Noto Serif Bold", for messages */
    char *file[2];      /* [0] drawing file (subset or full), [1] full */
    uint8_t *cov[2];    /* what each prints whole (pdf_ttf_coverage) */
    int16_t *width[2];  /* advance of each BMP code point in 1/1000 em,
                           filled on first use (-1: not yet known) */
};

struct cadre_pdf_fonts {
    struct face *faces;
    size_t n;
};

/* The BMP characters a TrueType file prints whole through libharu (in
 * its cmap, and not built from nested composite glyphs): a bitmap of
 * 65536 bits.  NULL with *why set ("is not a TrueType font") when the file
 * cannot be used.  Caller owns the result; free with free(). */
uint8_t *pdf_ttf_coverage(const char *path, const char **why);

static inline bool pdf_covers(const uint8_t *bits, uint32_t c)
{
    return c < 0x10000 && ((bits[c >> 3] >> (c & 7)) & 1);
}

/* End the page's text object, if one is open (pdf.c).  Must run while
 * armed: every drawing function other than text calls it first. */
void pdf_end_text(cadre_pdf *pdf);

/* Release the per-document font state (pdf_font.c). */
void pdf_faces_release(cadre_pdf *pdf);

/* Forget where libharu's last cmap walk stopped (pdf_haru.c): call it
 * before a font is loaded and after a document is freed, so that a font
 * loaded where a freed one lived is walked from its start. */
void pdf_haru_forget(void);

#endif
