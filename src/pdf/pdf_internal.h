/* pdf_internal.h - what the modules of the PDF layer share.  Code outside
 * the layer uses pdf.h; what it misses belongs there.
 *
 * The modules, each using only those above it:
 *   pdf_ttf.c      TrueType files: characters, glyphs, advances, subsets
 *   pdf_font.c     font sets: fontconfig, Vietnamese coverage (pdf.h)
 *   pdf_error.c    a document's errors: libharu's and ours
 *   pdf_content.c  a page's content stream, written by us and compressed
 *   pdf_embed.c    the fonts of one document: CIDs drawn, written at save
 *   pdf_draw.c     vector graphics and QR codes (pdf.h)
 *   pdf_image.c    PNG and JPEG images (pdf.h)
 *   pdf_text.c     text: measuring, lines, boxes (pdf.h)
 *   pdf.c          documents: pages, properties, bookmarks, saving (pdf.h)
 *
 * libharu keeps the document's objects and writes the file; everything
 * drawn goes into our own content buffer (pdf_content.c), and fonts are
 * embedded by pdf_embed.c through libharu's object API, so that no
 * libharu text, font or graphics routine runs per character or shape. */
#ifndef CADRE_PDF_INTERNAL_H
#define CADRE_PDF_INTERNAL_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hpdf.h>

#include "cadre/pdf.h"

struct line_word; /* util/linebreak.h */
struct z_stream_s; /* zlib.h */
struct line_span;

/* ------------------------------------------------------------------ */
/* TrueType files (pdf_ttf.c).                                         */

struct pdf_ttf_table {
    size_t off, len; /* bytes of the file */
};

/* A TrueType file read whole, with what drawing and embedding need.
 * Metrics are in 1/1000 em. */
struct pdf_ttf {
    unsigned char *data;       /* the file */
    size_t size;
    struct pdf_ttf_table glyf, loca, head, hhea, maxp, hmtx;
    bool long_loca;            /* head.indexToLocFormat */
    unsigned num_glyphs;       /* maxp */
    unsigned n_hmetrics;       /* hhea.numberOfHMetrics */
    unsigned upem;             /* head.unitsPerEm */
    uint16_t *gid;             /* BMP code point -> glyph, 0 none */
    uint8_t *sound;            /* per glyph: 0 not yet checked, 1 prints
                                  whole (its parts inside the file), 2
                                  damaged; checked when first asked for,
                                  as a font of 3,000 glyphs is opened for
                                  the few hundred a document draws */
    int ascent, descent;       /* hhea */
    int bbox[4];               /* head: xMin, yMin, xMax, yMax */
    int cap_height, x_height;  /* OS/2, or guesses */
    unsigned weight;           /* OS/2 usWeightClass */
    double italic_angle;       /* post, degrees */
    bool fixed_pitch;          /* post */
};

/* Read the font file at `path`.  NULL with *why set ("is not a TrueType
 * font") when it cannot be used.  Caller owns the result; free with
 * pdf_ttf_free(). */
struct pdf_ttf *pdf_ttf_open(const char *path, const char **why);
void pdf_ttf_free(struct pdf_ttf *t);

/* Glyph `g` when it prints whole, else 0 (and noted in t->sound). */
unsigned pdf_ttf_checked(const struct pdf_ttf *t, unsigned g);

/* The glyph that prints code point `c`, 0 when the font has none (or
 * only a damaged one). */
static inline unsigned pdf_ttf_glyph(const struct pdf_ttf *t, uint32_t c)
{
    unsigned g = c < 0x10000 ? t->gid[c] : 0;
    return g && t->sound[g] != 1 ? pdf_ttf_checked(t, g) : g;
}

/* Advance of glyph `g` in 1/1000 em. */
double pdf_ttf_advance(const struct pdf_ttf *t, unsigned g);

/* The font program of a subset of `t` whose glyph i (1..n) is the file's
 * glyphs[i - 1], with every composite's parts after them and no hinting.
 * False when out of memory.  Caller owns *font; free with free(). */
bool pdf_ttf_subset(const struct pdf_ttf *t, const uint16_t *glyphs,
                    size_t n, unsigned char **font, size_t *size);

/* ------------------------------------------------------------------ */
/* Font sets (pdf_font.c).                                             */

/* One face: a file to draw with and the full font behind it. */
struct pdf_face {
    char *family;             /* as asked for */
    int style;                /* cadre_pdf_style */
    char *label;              /* "Noto Serif Bold", for messages */
    char *ps_name;            /* "NotoSerif-Bold": the PDF's BaseFont */
    char *file[2];            /* [0] drawing file (subset or full), [1] full */
    struct pdf_ttf *ttf[2];   /* the files read; [1] may be [0] */
};

struct cadre_pdf_fonts {
    struct pdf_face *faces; /* the faces set up, in the order asked */
    size_t n;               /* faces set up */
    size_t cap;             /* faces allocated */
};

/* ------------------------------------------------------------------ */
/* Documents.                                                          */

/* A growable run of bytes. */
struct pdf_buf {
    char *b;
    size_t n, cap;
    bool failed; /* out of memory once: the rest is dropped */
};

/* A font file as one document uses it: the characters drawn with it get
 * CIDs 1, 2, ... in the order first drawn; the font program, widths and
 * ToUnicode map are written at save (pdf_embed.c). */
struct pdf_doc_font {
    const struct pdf_ttf *ttf;
    const char *ps_name;       /* borrowed from the face */
    HPDF_Dict type0;           /* the font's dictionary, filled at save */
    uint16_t *cid_of[256];     /* code point -> CID, in pages of 256 made
                                  when first needed; 0: none yet */
    uint32_t *chars;           /* CID - 1 -> code point */
    size_t n, cap;
    HPDF_Page page;            /* the page `name` is registered on */
    const char *name;          /* its resource name there ("F1") */
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
    struct pdf_doc_font **dfonts; /* [2 * face + file], loaded on first use */
    size_t n_dfonts;           /* slots in dfonts */
    struct pdf_image *images;  /* images loaded so far */
    size_t n_images;           /* how many */
    size_t cap_images;         /* entries allocated */
    double page_h;             /* current page height, points (y flips) */
    double dx, dy;             /* printer offset, points */
    size_t pages;              /* pages added */
    int level;                 /* zlib level of our streams */
    time_t created;            /* the date to write, or 0: SOURCE_DATE_EPOCH
                                  or now */
    struct pdf_buf content;    /* the current page's content stream */
    struct pdf_buf packed;     /* scratch: a stream compressed */
    /* one deflater for every stream of the document: compress2() would
     * allocate and clear its 256 KB state for each page and font */
    struct z_stream_s *deflater; /* NULL until the first stream */
    /* What the page's content has set outside q .. Q, to leave out
     * operators that would set it again. */
    uint32_t fill;             /* fill colour, CADRE_PDF_NONE: unknown */
    bool in_text;              /* inside BT .. ET: texts in a row share one
                                  text object; graphics end it first */
    const struct pdf_doc_font *tf_font; /* font of the last text, or NULL */
    double tf_size;            /* its size */
    bool saved;                /* fonts written: nothing can be drawn */
    cadre_error err;           /* first error met; sticky */
    char msg[256];             /* what it was */
    /* libharu reports errors through a callback; while `armed`, it jumps
     * back to the public function that set `jump`.  Only public entry
     * points set it, and they never call each other. */
    jmp_buf jump;
    int armed;
    HPDF_STATUS hpdf_status, hpdf_detail; /* libharu's codes, for messages */
    int hpdf_errno;            /* errno when libharu reported its error */
    char *nfc;                 /* scratch: the NFC copy of the current text */
    struct line_word *words;   /* scratch: the words of a text box ... */
    size_t words_cap;
    struct line_span *lines;   /* ... and its lines */
    size_t lines_cap;
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

/* libharu's error callback; `data` is the document (pdf_error.c). */
void pdf_on_error(HPDF_STATUS status, HPDF_STATUS detail, void *data);

/* Record the first error of the document; returns it (pdf_error.c). */
cadre_error pdf_fail(cadre_pdf *pdf, cadre_error err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Called by public functions after libharu jumped back: turn libharu's
 * status into our error and message (pdf_error.c). */
cadre_error pdf_jumped(cadre_pdf *pdf, const char *what);

/* The checks every drawing function starts with: no earlier error, a
 * page to draw on (pdf_error.c). */
cadre_error pdf_ready(cadre_pdf *pdf);

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

/* ------------------------------------------------------------------ */
/* Content streams (pdf_content.c).                                    */

void pdf_put(cadre_pdf *pdf, const char *s, size_t n);
void pdf_put_str(cadre_pdf *pdf, const char *s);
/* `v` with at most `digits` (0..4) decimals, trailing zeros cut, and a
 * space after it. */
void pdf_put_num(cadre_pdf *pdf, double v, int digits);
/* A point converted from mm, then the operator ("m ", "l "). */
void pdf_put_point(cadre_pdf *pdf, double x, double y, const char *op);
/* "r g b rg " (fill) or "r g b RG " (stroke). */
void pdf_put_color(cadre_pdf *pdf, uint32_t color, bool stroke);
/* A string of 2-byte codes as a literal string "(...)". */
void pdf_put_codes(cadre_pdf *pdf, const uint16_t *codes, size_t n);

/* End the page's text object, if one is open. */
void pdf_end_text(cadre_pdf *pdf);

/* Compress the current page's content into its stream.  Must run while
 * armed (it writes through libharu).  False when out of memory. */
bool pdf_page_finish(cadre_pdf *pdf);

/* Compress `n` bytes at the document's level into pdf->packed and write
 * them to the stream of `dict`, marked FlateDecode.  Must run while
 * armed.  False when out of memory. */
bool pdf_stream_pack(cadre_pdf *pdf, HPDF_Dict dict, const void *data,
                        size_t n);

/* Write `n` bytes already compressed with zlib to the stream of `dict`,
 * marked FlateDecode.  Must run while armed. */
void pdf_stream_put_packed(HPDF_Dict dict, const void *z, size_t n);

/* ------------------------------------------------------------------ */
/* Fonts of a document (pdf_embed.c).                                  */

/* The document's font for file `which` (0 drawing, 1 full) of `face`,
 * created on first use.  NULL when out of memory.  Must run while armed. */
struct pdf_doc_font *pdf_doc_font(cadre_pdf *pdf, int face, int which);

/* The CID that draws code point `c` (a glyph of the font), given on first
 * use.  0 when out of memory or when the document has used every CID. */
uint16_t pdf_doc_font_cid(struct pdf_doc_font *f, uint32_t c);

/* The font's resource name on the current page, registered on first use.
 * Must run while armed. */
const char *pdf_doc_font_name(cadre_pdf *pdf, struct pdf_doc_font *f);

/* Write every font's program, widths, ToUnicode map and descriptor.
 * Must run while armed, once, before the document is saved.  False when
 * out of memory. */
bool pdf_doc_fonts_write(cadre_pdf *pdf);

/* Free the document's font state. */
void pdf_doc_fonts_release(cadre_pdf *pdf);

/* ------------------------------------------------------------------ */
/* Images (pdf_image.c).                                               */

void pdf_images_release(cadre_pdf *pdf);

#endif
