/* pdf.c - documents, pages, graphics, images, QR codes and saving
 * (pdf.h); fonts and text are in pdf_font.c. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf_pages.h>
#include <png.h>
#include <qrencode.h>
#include <zlib.h>

#include "cadre/files.h"
#include "cadre/text.h"
#include "pdf_internal.h"

/* libharu 2.3.0 compresses every stream with deflateInit() at zlib's
 * default level, and that was a third of the time of a large combined
 * file.  This definition of the function behind deflateInit() is the one
 * libharu's calls reach (the executable's symbols come before libz's);
 * it applies the level the document being saved asked for, and is zlib's
 * own deflateInit_() otherwise (same window, memory level and strategy).
 * Other libraries here call deflateInit2() and are not affected. */
static int deflate_level = Z_DEFAULT_COMPRESSION;

int deflateInit_(z_streamp strm, int level, const char *version,
                 int stream_size)
{
    if (level == Z_DEFAULT_COMPRESSION)
        level = deflate_level;
    return deflateInit2_(strm, level, Z_DEFLATED, MAX_WBITS, 8,
                         Z_DEFAULT_STRATEGY, version, stream_size);
}

/* libharu calls this on every error.  Jumping back to the public function
 * is the only safe way out: without it libharu keeps going on a document
 * in an error state. */
static void on_error(HPDF_STATUS status, HPDF_STATUS detail, void *data)
{
    cadre_pdf *pdf = data;
    pdf->hpdf_status = status;
    pdf->hpdf_detail = detail;
    if (pdf->armed) {
        pdf->armed = 0;
        longjmp(pdf->jump, 1);
    }
}

cadre_error pdf_fail(cadre_pdf *pdf, cadre_error err, const char *fmt, ...)
{
    pdf->armed = 0;
    if (pdf->err != CADRE_OK)
        return pdf->err;
    pdf->err = err;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(pdf->msg, sizeof pdf->msg, fmt, ap);
    va_end(ap);
    return err;
}

cadre_error pdf_jumped(cadre_pdf *pdf, const char *what)
{
    /* 0x1017 HPDF_FILE_IO_ERROR, 0x1015 HPDF_FAILD_TO_ALLOC_MEM */
    cadre_error err = pdf->hpdf_status == HPDF_FAILD_TO_ALLOC_MEM
                          ? CADRE_ENOMEM
                          : pdf->hpdf_status == HPDF_FILE_IO_ERROR ? CADRE_EIO
                                                                   : CADRE_EPDF;
    return pdf_fail(pdf, err, "%s: libharu error 0x%04X (detail %u)", what,
                    (unsigned)pdf->hpdf_status, (unsigned)pdf->hpdf_detail);
}

/* The settings of every document; false when libharu failed. */
static bool setup(cadre_pdf *pdf)
{
    pdf->armed = 1;
    if (setjmp(pdf->jump))
        return false;
    HPDF_UseUTFEncodings(pdf->doc);
    /* Compressing content streams and the embedded fonts is what keeps a
     * certificate in tens of kilobytes. */
    HPDF_SetCompressionMode(pdf->doc, HPDF_COMP_ALL);
    HPDF_SetInfoAttr(pdf->doc, HPDF_INFO_CREATOR, "cadrekit");
    HPDF_SetInfoAttr(pdf->doc, HPDF_INFO_PRODUCER, "cadrekit with libharu");
    pdf->armed = 0;
    return true;
}

cadre_pdf *cadre_pdf_new(cadre_pdf_fonts *fonts)
{
    cadre_pdf *pdf = calloc(1, sizeof *pdf);
    if (!pdf)
        return NULL;
    pdf->fonts = fonts;
    pdf->level = Z_DEFAULT_COMPRESSION;
    pdf->doc = HPDF_New(on_error, pdf);
    if (!pdf->doc || !setup(pdf)) {
        cadre_pdf_free(pdf);
        return NULL;
    }
    return pdf;
}

void cadre_pdf_free(cadre_pdf *pdf)
{
    if (!pdf)
        return;
    pdf->armed = 0;
    if (pdf->doc)
        HPDF_Free(pdf->doc);
    pdf_haru_forget();
    pdf_faces_release(pdf);
    for (size_t i = 0; i < pdf->n_images; i++)
        free(pdf->images[i].path);
    free(pdf->images);
    free(pdf->nfc);
    free(pdf->line);
    free(pdf->spans.v);
    free(pdf);
}

cadre_error cadre_pdf_error(const cadre_pdf *pdf) { return pdf->err; }

const char *cadre_pdf_message(const cadre_pdf *pdf)
{
    return pdf->err != CADRE_OK ? pdf->msg : "";
}

cadre_error cadre_pdf_set_info(cadre_pdf *pdf, const char *title,
                               const char *author, const char *subject)
{
    if (pdf->err)
        return pdf->err;
    pdf->armed = 1;
    if (setjmp(pdf->jump))
        return pdf_jumped(pdf, "cannot set the document's properties");
    if (title)
        HPDF_SetInfoAttr(pdf->doc, HPDF_INFO_TITLE, title);
    if (author)
        HPDF_SetInfoAttr(pdf->doc, HPDF_INFO_AUTHOR, author);
    if (subject)
        HPDF_SetInfoAttr(pdf->doc, HPDF_INFO_SUBJECT, subject);
    pdf->armed = 0;
    return CADRE_OK;
}

cadre_error cadre_pdf_page(cadre_pdf *pdf, double width, double height)
{
    if (pdf->err)
        return pdf->err;
    if (!(width > 0 && height > 0 && width <= 5000 && height <= 5000))
        return pdf_fail(pdf, CADRE_EINVALID, "impossible page size %gx%g mm",
                        width, height);
    pdf->armed = 1;
    if (setjmp(pdf->jump))
        return pdf_jumped(pdf, "cannot add a page");
    if (pdf->page)
        pdf_end_text(pdf);
    pdf->page = HPDF_AddPage(pdf->doc);
    HPDF_Page_SetWidth(pdf->page, (HPDF_REAL)(width * CADRE_PDF_PT_PER_MM));
    HPDF_Page_SetHeight(pdf->page, (HPDF_REAL)(height * CADRE_PDF_PT_PER_MM));
    pdf->page_h = height * CADRE_PDF_PT_PER_MM;
    pdf->dx = pdf->dy = 0;
    pdf->fill = CADRE_PDF_NONE;
    pdf->tf_font = NULL;
    pdf->pages++;
    pdf->armed = 0;
    return CADRE_OK;
}

size_t cadre_pdf_page_count(const cadre_pdf *pdf) { return pdf->pages; }

void cadre_pdf_set_compression(cadre_pdf *pdf, int level)
{
    pdf->level = level >= 1 && level <= 9 ? level : Z_DEFAULT_COMPRESSION;
}

void cadre_pdf_offset(cadre_pdf *pdf, double dx, double dy)
{
    pdf->dx = dx * CADRE_PDF_PT_PER_MM;
    pdf->dy = dy * CADRE_PDF_PT_PER_MM;
}

/* ------------------------------------------------------------------ */
/* Graphics.                                                           */

static HPDF_REAL red(uint32_t c) { return (HPDF_REAL)((c >> 16) & 0xFF) / 255; }
static HPDF_REAL green(uint32_t c) { return (HPDF_REAL)((c >> 8) & 0xFF) / 255; }
static HPDF_REAL blue(uint32_t c) { return (HPDF_REAL)(c & 0xFF) / 255; }

/* Set the colours and width of the next path; false when neither paints. */
static bool paint_setup(cadre_pdf *pdf, double width, uint32_t stroke,
                        uint32_t fill)
{
    if (stroke != CADRE_PDF_NONE) {
        HPDF_Page_SetLineWidth(pdf->page, (HPDF_REAL)width);
        HPDF_Page_SetRGBStroke(pdf->page, red(stroke), green(stroke),
                               blue(stroke));
    }
    if (fill != CADRE_PDF_NONE && fill != pdf->fill) {
        HPDF_Page_SetRGBFill(pdf->page, red(fill), green(fill), blue(fill));
        pdf->fill = fill;
    }
    return stroke != CADRE_PDF_NONE || fill != CADRE_PDF_NONE;
}

static void paint(cadre_pdf *pdf, uint32_t stroke, uint32_t fill)
{
    if (stroke != CADRE_PDF_NONE && fill != CADRE_PDF_NONE)
        HPDF_Page_FillStroke(pdf->page);
    else if (fill != CADRE_PDF_NONE)
        HPDF_Page_Fill(pdf->page);
    else
        HPDF_Page_Stroke(pdf->page);
}

void pdf_end_text(cadre_pdf *pdf)
{
    if (pdf->in_text) {
        HPDF_Page_EndText(pdf->page);
        pdf->in_text = false;
    }
}

/* Raw content.  Paths go straight into the page's content stream, each in
 * its own q .. Q so that libharu's record of the graphics state stays
 * true: through libharu, every operator cost a 512-byte memset and every
 * number its slow float formatter, a tenth of a certificate's time. */

/* Write `v` in decimal at `o`; returns the end. */
static char *put_uint(char *o, unsigned long long v)
{
    char tmp[24];
    int n = 0;
    do
        tmp[n++] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    while (n)
        *o++ = tmp[--n];
    return o;
}

/* Write `v` with at most `digits` (1..4) decimals, trailing zeros cut. */
static char *put_num(char *o, double v, int digits)
{
    static const double scale[] = { 1, 10, 100, 1000, 10000 };
    long long k = llround(v * scale[digits]);
    if (k < 0) {
        *o++ = '-';
        k = -k;
    }
    unsigned long long u = (unsigned long long)k, s = (unsigned long long)scale[digits];
    o = put_uint(o, u / s);
    unsigned long long f = u % s;
    if (f) {
        *o++ = '.';
        for (int d = digits - 1; d >= 0 && f; d--) {
            unsigned long long p = (unsigned long long)scale[d];
            *o++ = (char)('0' + f / p);
            f %= p;
        }
    }
    return o;
}

/* A piece of content being built; flushed to the stream when full. */
struct raw {
    cadre_pdf *pdf;
    char b[512];
    size_t n;
};

static void raw_flush(struct raw *r)
{
    HPDF_Stream_Write(((HPDF_PageAttr)r->pdf->page->attr)->stream,
                      (const HPDF_BYTE *)r->b, (HPDF_UINT)r->n);
    r->n = 0;
}

static void raw_str(struct raw *r, const char *s)
{
    size_t len = strlen(s);
    if (r->n + len > sizeof r->b)
        raw_flush(r);
    memcpy(r->b + r->n, s, len);
    r->n += len;
}

/* A number and a space. */
static void raw_num(struct raw *r, double v, int digits)
{
    if (r->n + 32 > sizeof r->b)
        raw_flush(r);
    char *o = put_num(r->b + r->n, v, digits);
    *o++ = ' ';
    r->n = (size_t)(o - r->b);
}

static void raw_point(struct raw *r, double x, double y, const char *op)
{
    raw_num(r, pdf_x(r->pdf, x), 2);
    raw_num(r, pdf_y(r->pdf, y), 2);
    raw_str(r, op);
}

/* Open a shape: q, its line width and colours. */
static void raw_begin(struct raw *r, double width, uint32_t stroke,
                      uint32_t fill)
{
    raw_str(r, "q ");
    if (stroke != CADRE_PDF_NONE) {
        raw_num(r, width, 2);
        raw_str(r, "w ");
        raw_num(r, ((stroke >> 16) & 0xFF) / 255.0, 3);
        raw_num(r, ((stroke >> 8) & 0xFF) / 255.0, 3);
        raw_num(r, (stroke & 0xFF) / 255.0, 3);
        raw_str(r, "RG ");
    }
    if (fill != CADRE_PDF_NONE) {
        raw_num(r, ((fill >> 16) & 0xFF) / 255.0, 3);
        raw_num(r, ((fill >> 8) & 0xFF) / 255.0, 3);
        raw_num(r, (fill & 0xFF) / 255.0, 3);
        raw_str(r, "rg ");
    }
}

/* Paint the path and close the shape. */
static void raw_end(struct raw *r, uint32_t stroke, uint32_t fill)
{
    raw_str(r, stroke != CADRE_PDF_NONE && fill != CADRE_PDF_NONE ? "B Q\n"
               : fill != CADRE_PDF_NONE                          ? "f Q\n"
                                                                 : "S Q\n");
    raw_flush(r);
}

/* Common checks of the drawing functions. */
static cadre_error ready(cadre_pdf *pdf)
{
    if (pdf->err)
        return pdf->err;
    if (!pdf->page)
        return pdf_fail(pdf, CADRE_EINVALID, "drawing before the first page");
    return CADRE_OK;
}

cadre_error cadre_pdf_line(cadre_pdf *pdf, double x1, double y1, double x2,
                           double y2, double width, uint32_t color)
{
    if (ready(pdf) != CADRE_OK)
        return pdf->err;
    if (color == CADRE_PDF_NONE)
        return CADRE_OK;
    pdf->armed = 1;
    if (setjmp(pdf->jump))
        return pdf_jumped(pdf, "cannot draw a line");
    pdf_end_text(pdf);
    struct raw r = { .pdf = pdf };
    raw_begin(&r, width, color, CADRE_PDF_NONE);
    raw_point(&r, x1, y1, "m ");
    raw_point(&r, x2, y2, "l ");
    raw_end(&r, color, CADRE_PDF_NONE);
    pdf->armed = 0;
    return CADRE_OK;
}

cadre_error cadre_pdf_dots(cadre_pdf *pdf, double x1, double y1, double x2,
                           double y2, double diameter, double step,
                           uint32_t color)
{
    if (ready(pdf) != CADRE_OK)
        return pdf->err;
    if (color == CADRE_PDF_NONE || !(diameter > 0) || !(step > diameter))
        return CADRE_OK;
    pdf->armed = 1;
    if (setjmp(pdf->jump))
        return pdf_jumped(pdf, "cannot draw dots");
    pdf_end_text(pdf);
    /* A dashed line with dashes of no length and round caps paints a dot
     * per dash.  Written straight into the content stream inside q/Q, as
     * libharu 2.3.0 takes dash patterns in whole points and refuses 0. */
    char buf[256];
    snprintf(buf, sizeof buf,
             "q 1 J [0 %.3f] 0 d %.3f w %.4f %.4f %.4f RG %.3f %.3f m "
             "%.3f %.3f l S Q\n",
             step * CADRE_PDF_PT_PER_MM, diameter * CADRE_PDF_PT_PER_MM,
             red(color), green(color), blue(color), pdf_x(pdf, x1),
             pdf_y(pdf, y1), pdf_x(pdf, x2), pdf_y(pdf, y2));
    HPDF_Stream_WriteStr(((HPDF_PageAttr)pdf->page->attr)->stream, buf);
    pdf->armed = 0;
    return CADRE_OK;
}

cadre_error cadre_pdf_rect(cadre_pdf *pdf, double x, double y, double w,
                           double h, double width, uint32_t stroke,
                           uint32_t fill)
{
    if (ready(pdf) != CADRE_OK)
        return pdf->err;
    if (stroke == CADRE_PDF_NONE && fill == CADRE_PDF_NONE)
        return CADRE_OK;
    pdf->armed = 1;
    if (setjmp(pdf->jump))
        return pdf_jumped(pdf, "cannot draw a rectangle");
    pdf_end_text(pdf);
    struct raw r = { .pdf = pdf };
    raw_begin(&r, width, stroke, fill);
    raw_num(&r, pdf_x(pdf, x), 2);
    raw_num(&r, pdf_y(pdf, y + h), 2);
    raw_num(&r, w * CADRE_PDF_PT_PER_MM, 2);
    raw_num(&r, h * CADRE_PDF_PT_PER_MM, 2);
    raw_str(&r, "re ");
    raw_end(&r, stroke, fill);
    pdf->armed = 0;
    return CADRE_OK;
}

cadre_error cadre_pdf_polygon(cadre_pdf *pdf, const double *xy, size_t n,
                              double width, uint32_t stroke, uint32_t fill)
{
    if (ready(pdf) != CADRE_OK)
        return pdf->err;
    if (n < 2 || (stroke == CADRE_PDF_NONE && fill == CADRE_PDF_NONE))
        return CADRE_OK;
    pdf->armed = 1;
    if (setjmp(pdf->jump))
        return pdf_jumped(pdf, "cannot draw a polygon");
    pdf_end_text(pdf);
    struct raw r = { .pdf = pdf };
    raw_begin(&r, width, stroke, fill);
    for (size_t i = 0; i < n; i++)
        raw_point(&r, xy[2 * i], xy[2 * i + 1], i ? "l " : "m ");
    raw_str(&r, "h ");
    raw_end(&r, stroke, fill);
    pdf->armed = 0;
    return CADRE_OK;
}

cadre_error cadre_pdf_circle(cadre_pdf *pdf, double cx, double cy, double r,
                             double width, uint32_t stroke, uint32_t fill)
{
    if (ready(pdf) != CADRE_OK)
        return pdf->err;
    pdf->armed = 1;
    if (setjmp(pdf->jump))
        return pdf_jumped(pdf, "cannot draw a circle");
    pdf_end_text(pdf);
    if (paint_setup(pdf, width, stroke, fill)) {
        HPDF_Page_Circle(pdf->page, (HPDF_REAL)pdf_x(pdf, cx),
                         (HPDF_REAL)pdf_y(pdf, cy),
                         (HPDF_REAL)(r * CADRE_PDF_PT_PER_MM));
        paint(pdf, stroke, fill);
    }
    pdf->armed = 0;
    return CADRE_OK;
}

/* PNG or JPEG by the first bytes: 1 PNG, 2 JPEG, 0 neither, -1 unreadable
 * (errno set). */
static int image_kind(const char *path)
{
    unsigned char sig[8] = { 0 };
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    size_t n = fread(sig, 1, sizeof sig, f);
    fclose(f);
    if (n == 8 && !memcmp(sig, "\x89PNG\r\n\x1a\n", 8))
        return 1;
    if (n >= 3 && sig[0] == 0xFF && sig[1] == 0xD8 && sig[2] == 0xFF)
        return 2;
    return 0;
}

/* Decode a whole PNG with libpng's simplified API, which reports errors
 * instead of aborting: libharu 2.3.0 sets no jump buffer for libpng, so a
 * corrupt PNG handed to it ends the process.  Results are remembered per
 * path for the process (a per-person run would decode the seal again
 * for every document).  Returns NULL when fine, else why not. */
static const char *png_check(const char *path)
{
    static char *seen[16];
    static size_t n_seen;
    for (size_t i = 0; i < n_seen; i++)
        if (!strcmp(seen[i], path))
            return NULL;
    static char why[128];
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&img, path)) {
        snprintf(why, sizeof why, "%s", img.message);
        return why;
    }
    img.format = PNG_FORMAT_RGBA;
    if ((uint64_t)img.width * img.height > (64u << 20) / 4) {
        png_image_free(&img);
        return "larger than 16 megapixels";
    }
    void *buf = malloc(PNG_IMAGE_SIZE(img));
    if (!buf) {
        png_image_free(&img);
        return "out of memory";
    }
    int ok = png_image_finish_read(&img, NULL, buf, 0, NULL);
    free(buf);
    if (!ok) {
        snprintf(why, sizeof why, "%s", img.message);
        return why;
    }
    if (n_seen < sizeof seen / sizeof seen[0] && (seen[n_seen] = strdup(path)))
        n_seen++;
    return NULL;
}

/* Walk a JPEG's markers: libharu embeds whatever follows a JPEG
 * signature, and a damaged file then shows as a broken image, or none, in
 * the viewer.  The walk catches truncation and garbage (not damage inside
 * the compressed data).  Returns NULL when fine, else why not. */
static const char *jpeg_check(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return "cannot be read";
    unsigned char *d = NULL;
    const char *why = NULL;
    long n = -1;
    if (fseek(f, 0, SEEK_END) == 0)
        n = ftell(f);
    if (n < 4 || n > (64L << 20) || fseek(f, 0, SEEK_SET) != 0)
        why = n < 4 ? "truncated JPEG" : "JPEG larger than 64 MB";
    else if (!(d = malloc((size_t)n)) || fread(d, 1, (size_t)n, f) != (size_t)n)
        why = d ? "cannot be read" : "out of memory";
    fclose(f);
    bool sof = false;
    size_t p = 2, size = (size_t)(n > 0 ? n : 0);
    while (!why) {
        if (p + 4 > size) {
            why = "truncated JPEG";
            break;
        }
        if (d[p] != 0xFF) {
            why = "corrupt JPEG: a marker expected";
            break;
        }
        while (p < size && d[p] == 0xFF)
            p++;
        unsigned m = p < size ? d[p++] : 0xD9;
        if (m == 0x01 || (m >= 0xD0 && m <= 0xD7))
            continue;
        if (m == 0xD9) {
            why = "corrupt JPEG: no image data";
            break;
        }
        size_t len = p + 2 <= size ? (size_t)(d[p] << 8 | d[p + 1]) : 0;
        if (len < 2 || p + len > size) {
            why = "truncated JPEG";
            break;
        }
        if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
            unsigned h = len >= 8 ? (unsigned)(d[p + 3] << 8 | d[p + 4]) : 0;
            unsigned w = len >= 8 ? (unsigned)(d[p + 5] << 8 | d[p + 6]) : 0;
            unsigned comps = len >= 8 ? d[p + 7] : 0;
            if (!w || !h || (comps != 1 && comps != 3 && comps != 4)) {
                why = "corrupt JPEG: bad frame header";
                break;
            }
            /* libharu never decodes it, but every viewer and printer
             * would: the same limit as for PNG */
            if ((uint64_t)w * h > (64u << 20) / 4) {
                why = "larger than 16 megapixels";
                break;
            }
            sof = true;
        }
        if (m == 0xDA) {
            /* the compressed data runs to the end-of-image marker */
            if (!sof)
                why = "corrupt JPEG: data before the frame header";
            else if (!(size >= 2 && d[size - 2] == 0xFF && d[size - 1] == 0xD9))
                why = "truncated JPEG: no end of image";
            break;
        }
        p += len;
    }
    free(d);
    return why;
}

/* libharu's part of loading an image. */
static HPDF_Image load_image_file(cadre_pdf *pdf, struct pdf_image *slot,
                                  bool png)
{
    pdf->armed = 1;
    if (setjmp(pdf->jump)) {
        pdf->err = CADRE_OK;
        pdf_fail(pdf, CADRE_EIMAGE,
                 "corrupt or unsupported image '%s' (libharu error 0x%04X)",
                 slot->path, (unsigned)pdf->hpdf_status);
        return NULL;
    }
    slot->img = png ? HPDF_LoadPngImageFromFile(pdf->doc, slot->path)
                    : HPDF_LoadJpegImageFromFile(pdf->doc, slot->path);
    pdf->armed = 0;
    if (!slot->img)
        pdf_fail(pdf, CADRE_EIMAGE, "cannot load image '%s'", slot->path);
    return slot->img;
}

/* Load an image into the document and remember it; NULL after recording
 * an error. */
static HPDF_Image load_image(cadre_pdf *pdf, const char *path)
{
    int kind = image_kind(path);
    if (kind < 0) {
        pdf_fail(pdf, CADRE_EIMAGE, "cannot read image '%s': %s", path,
                 strerror(errno));
        return NULL;
    }
    if (kind == 0) {
        pdf_fail(pdf, CADRE_EIMAGE, "image '%s' is neither PNG nor JPEG",
                 path);
        return NULL;
    }
    const char *bad = kind == 1 ? png_check(path) : jpeg_check(path);
    if (bad) {
        pdf_fail(pdf, CADRE_EIMAGE, "corrupt or unsupported image '%s': %s",
                 path, bad);
        return NULL;
    }
    struct pdf_image *grown =
        realloc(pdf->images, (pdf->n_images + 1) * sizeof *grown);
    if (!grown) {
        pdf_fail(pdf, CADRE_ENOMEM, "out of memory");
        return NULL;
    }
    pdf->images = grown;
    struct pdf_image *slot = &pdf->images[pdf->n_images];
    if (!(slot->path = strdup(path))) {
        pdf_fail(pdf, CADRE_ENOMEM, "out of memory");
        return NULL;
    }
    slot->img = NULL;
    pdf->n_images++; /* the path is freed with the document either way */
    return load_image_file(pdf, slot, kind == 1);
}

cadre_error cadre_pdf_image(cadre_pdf *pdf, const char *path, double x,
                            double y, double w, double h)
{
    if (ready(pdf) != CADRE_OK)
        return pdf->err;
    HPDF_Image img = NULL;
    for (size_t i = 0; i < pdf->n_images; i++)
        if (!strcmp(pdf->images[i].path, path) && pdf->images[i].img)
            img = pdf->images[i].img;
    if (!img && !(img = load_image(pdf, path)))
        return pdf->err;
    pdf->armed = 1;
    if (setjmp(pdf->jump))
        return pdf_jumped(pdf, "cannot draw an image");
    pdf_end_text(pdf);
    double iw = HPDF_Image_GetWidth(img), ih = HPDF_Image_GetHeight(img);
    double scale = iw > 0 && ih > 0 ? (w / iw < h / ih ? w / iw : h / ih) : 0;
    double dw = iw * scale, dh = ih * scale;
    double left = x + (w - dw) / 2, top = y + (h - dh) / 2;
    HPDF_Page_DrawImage(pdf->page, img, (HPDF_REAL)pdf_x(pdf, left),
                        (HPDF_REAL)pdf_y(pdf, top + dh),
                        (HPDF_REAL)(dw * CADRE_PDF_PT_PER_MM),
                        (HPDF_REAL)(dh * CADRE_PDF_PT_PER_MM));
    pdf->armed = 0;
    return CADRE_OK;
}


/* Modules of white around the symbol: scanners want a quiet zone. */
#define QR_QUIET 3

/* libqrencode tries all eight masks and keeps the one its penalty rules
 * score best: nine tenths of the time of a code, a third of a combined
 * file's.  Every mask is valid, and the symbol says which one it uses, so
 * scanners read any of them; with mask 1 (every other row inverted) our
 * codes came out with the fewest runs to draw.  libqrencode 4.1.1
 * exports the function behind QRcode_encodeInput() that takes the mask
 * (qrencode.c; its header leaves it out, as it does for tests).  The
 * weak reference keeps the link working with a libqrencode that hides
 * it, which then chooses the mask itself. */
#define QR_MASK 1
extern QRcode *QRcode_encodeMask(QRinput *input, int mask)
    __attribute__((weak));

/* The QR symbol of `text`: its bytes as they are, with an ECI header
 * saying UTF-8 when it is not ASCII, or scanners guess Shift JIS ("Trần"
 * came back as "Tr廕吵").  NULL with errno set on failure. */
static QRcode *encode_qr(const char *text)
{
    bool ascii = true;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        if (*p >= 0x80)
            ascii = false;
    QRinput *in = QRinput_new2(0, QR_ECLEVEL_M);
    if (!in)
        return NULL;
    QRcode *qr = NULL;
    if ((ascii || QRinput_appendECIheader(in, 26) == 0) &&
        QRinput_append(in, QR_MODE_8, (int)strlen(text),
                       (const unsigned char *)text) == 0)
        qr = QRcode_encodeMask ? QRcode_encodeMask(in, QR_MASK)
                               : QRcode_encodeInput(in);
    QRinput_free(in);
    return qr;
}

/* Draw the modules of `qr` (libharu part: the jump lands here, and the
 * caller frees `qr` either way). */
static cadre_error draw_qr(cadre_pdf *pdf, const QRcode *qr, double x,
                           double y, double size, uint32_t color)
{
    pdf->armed = 1;
    if (setjmp(pdf->jump))
        return pdf_jumped(pdf, "cannot draw a QR code");
    pdf_end_text(pdf);
    int n = qr->width;
    double m = size / (n + 2 * QR_QUIET) * CADRE_PDF_PT_PER_MM;
    HPDF_Page_SetRGBFill(pdf->page, 1, 1, 1);
    pdf->fill = 0xFFFFFF;
    HPDF_Page_Rectangle(pdf->page, (HPDF_REAL)pdf_x(pdf, x),
                        (HPDF_REAL)pdf_y(pdf, y + size),
                        (HPDF_REAL)(size * CADRE_PDF_PT_PER_MM),
                        (HPDF_REAL)(size * CADRE_PDF_PT_PER_MM));
    HPDF_Page_Fill(pdf->page);
    /* The modules go straight into the page's content stream, in a
     * coordinate system of one unit per module (rows going down), as one
     * rectangle per run of dark modules and one fill for all.  Through
     * HPDF_Page_Rectangle() every number passes libharu's slow float
     * formatter: that alone cost more than the rest of a certificate. */
    char buf[160];
    snprintf(buf, sizeof buf, "q %.4f %.4f %.4f rg %.5f 0 0 %.5f %.3f %.3f cm\n",
             red(color), green(color), blue(color), m, -m,
             pdf_x(pdf, x) + QR_QUIET * m, pdf_y(pdf, y) - QR_QUIET * m);
    HPDF_Stream stream = ((HPDF_PageAttr)pdf->page->attr)->stream;
    HPDF_Stream_WriteStr(stream, buf);
    for (int r = 0; r < n; r++) {
        const unsigned char *row = qr->data + (size_t)r * (size_t)n;
        for (int c = 0; c < n;) {
            if (!(row[c] & 1)) {
                c++;
                continue;
            }
            int start = c;
            while (c < n && (row[c] & 1))
                c++;
            char *o = buf;
            o = put_uint(o, (unsigned)start);
            *o++ = ' ';
            o = put_uint(o, (unsigned)r);
            *o++ = ' ';
            o = put_uint(o, (unsigned)(c - start));
            memcpy(o, " 1 re\n", 6);
            o += 6;
            HPDF_Stream_Write(stream, (const HPDF_BYTE *)buf,
                              (HPDF_UINT)(o - buf));
        }
    }
    HPDF_Stream_WriteStr(stream, "f Q\n");
    pdf->armed = 0;
    return CADRE_OK;
}

cadre_error cadre_pdf_qr(cadre_pdf *pdf, const char *text, double x,
                         double y, double size, uint32_t color)
{
    if (ready(pdf) != CADRE_OK)
        return pdf->err;
    QRcode *qr = encode_qr(text);
    if (!qr)
        return pdf_fail(pdf, errno == ERANGE ? CADRE_ELIMIT : CADRE_ENOMEM,
                        "cannot make a QR code of %zu bytes: %s",
                        strlen(text), strerror(errno));
    cadre_error err = draw_qr(pdf, qr, x, y, size, color);
    QRcode_free(qr);
    return err;
}

/* Bookmarks: a leaf of the layer, so that cadre-report need not reach
 * into libharu. */
static HPDF_Outline add_outline(cadre_pdf *pdf, HPDF_Outline parent,
                                const char *title)
{
    pdf->armed = 1;
    if (setjmp(pdf->jump)) {
        pdf_jumped(pdf, "cannot add a bookmark");
        return NULL;
    }
    /* Given the UTF-8 encoder, libharu writes the title as UTF-16 with a
     * byte-order mark: what viewers need for Vietnamese. */
    HPDF_Encoder enc = HPDF_GetEncoder(pdf->doc, "UTF-8");
    HPDF_Outline o = HPDF_CreateOutline(pdf->doc, parent, title, enc);
    HPDF_Destination dst = HPDF_Page_CreateDestination(pdf->page);
    HPDF_Outline_SetDestination(o, dst);
    HPDF_Outline_SetOpened(o, HPDF_FALSE);
    pdf->armed = 0;
    return o;
}

cadre_pdf_bookmark *cadre_pdf_bookmark_add(cadre_pdf *pdf,
                                           cadre_pdf_bookmark *parent,
                                           const char *title)
{
    if (ready(pdf) != CADRE_OK)
        return NULL;
    size_t len = strlen(title);
    if (cadre_text_check(title, len, NULL, NULL) == CADRE_TEXT_BAD_UTF8) {
        pdf_fail(pdf, CADRE_EINVALID, "invalid UTF-8 in a bookmark");
        return NULL;
    }
    char *nfc = cadre_text_nfc(title, len, NULL);
    if (!nfc) {
        pdf_fail(pdf, CADRE_ENOMEM, "out of memory");
        return NULL;
    }
    HPDF_Outline o = add_outline(pdf, (HPDF_Outline)parent, nfc);
    free(nfc);
    return (cadre_pdf_bookmark *)o;
}

cadre_error cadre_pdf_show_bookmarks(cadre_pdf *pdf)
{
    if (pdf->err)
        return pdf->err;
    pdf->armed = 1;
    if (setjmp(pdf->jump))
        return pdf_jumped(pdf, "cannot set the page mode");
    HPDF_SetPageMode(pdf->doc, HPDF_PAGE_MODE_USE_OUTLINE);
    pdf->armed = 0;
    return CADRE_OK;
}

cadre_error cadre_pdf_save(cadre_pdf *pdf, const char *path,
                           cadre_diags *diags)
{
    if (pdf->err) {
        cadre_diags_error(diags, NULL, 0, "cannot write '%s': %s", path,
                          pdf->msg);
        return pdf->err;
    }
    cadre_outfile out;
    cadre_error err = cadre_outfile_begin(&out, path, diags);
    if (err != CADRE_OK)
        return err;
    pdf->armed = 1;
    if (setjmp(pdf->jump)) {
        deflate_level = Z_DEFAULT_COMPRESSION;
        cadre_outfile_abort(&out);
        err = pdf_jumped(pdf, "cannot save");
        cadre_diags_error(diags, NULL, 0, "cannot write '%s': %s", path,
                          pdf->hpdf_status == HPDF_FILE_IO_ERROR
                              ? strerror(pdf->hpdf_detail ? (int)pdf->hpdf_detail
                                                          : EIO)
                              : pdf->msg);
        return err;
    }
    if (pdf->page)
        pdf_end_text(pdf);
    deflate_level = pdf->level;
    HPDF_SaveToFile(pdf->doc, out.tmp);
    deflate_level = Z_DEFAULT_COMPRESSION;
    pdf->armed = 0;
    return cadre_outfile_commit(&out, diags);
}
