/* scan.c - QR codes in PNG and JPEG images and in PDF pages, decoded with
 * libzbar (scan.h). */
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <jpeglib.h>
#include <png.h>
#include <poppler.h>
#include <zbar.h>

#include "cadre/files.h"
#include "cadre/scan.h"

/* A page of 120 megapixels is an A4 sheet at 1,200 dpi: beyond any scan
 * worth reading, and 120 MB of grey (cairo's page is four times that). */
#define SCAN_PIXELS_MAX (120u * 1000 * 1000)
#define SCAN_FILE_MAX (1u << 30)

/* A grey image, one byte a pixel, rows without padding. */
struct grey {
    unsigned char *px;
    unsigned w, h;
};

/* What a scan is doing: where QR codes go, and what to say. */
struct scan {
    const char *path;     /* for messages */
    cadre_scan_fn found;  /* called for each QR code */
    void *ctx;
    size_t n;             /* QR codes found */
    bool stop;            /* `found` asked to stop */
    cadre_diags *diags;
};

static cadre_error fail(struct scan *s, cadre_error err, const char *fmt,
                        const char *detail)
{
    char msg[300];
    snprintf(msg, sizeof msg, fmt, detail);
    cadre_diags_error(s->diags, NULL, 0, "cannot read '%s': %s", s->path, msg);
    return err;
}

static bool too_big(unsigned long long w, unsigned long long h)
{
    return w == 0 || h == 0 || w * h > SCAN_PIXELS_MAX;
}

/* Decode every QR code of `g`, page `page`. */
static cadre_error decode(struct scan *s, const struct grey *g, int page)
{
    zbar_image_scanner_t *sc = zbar_image_scanner_create();
    zbar_image_t *img = zbar_image_create();
    if (!sc || !img) {
        if (sc)
            zbar_image_scanner_destroy(sc);
        if (img)
            zbar_image_destroy(img);
        return fail(s, CADRE_ENOMEM, "%s", "out of memory");
    }
    /* QR codes only: other symbologies would read text or rules as
     * barcodes. */
    zbar_image_scanner_set_config(sc, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
    zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
    zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
    zbar_image_set_size(img, g->w, g->h);
    zbar_image_set_data(img, g->px, (unsigned long)g->w * g->h, NULL);
    if (zbar_scan_image(sc, img) > 0)
        for (const zbar_symbol_t *sym = zbar_image_first_symbol(img);
             sym && !s->stop; sym = zbar_symbol_next(sym)) {
            s->n++;
            s->stop = s->found(s->ctx, zbar_symbol_get_data(sym),
                               zbar_symbol_get_data_length(sym), page) != 0;
        }
    zbar_image_destroy(img);
    zbar_image_scanner_destroy(sc);
    return CADRE_OK;
}

/* ------------------------------------------------------------------ PNG */

static cadre_error scan_png(struct scan *s, const unsigned char *data,
                            size_t len)
{
    png_image im;
    memset(&im, 0, sizeof im);
    im.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&im, data, len))
        return fail(s, CADRE_EIMAGE, "a damaged PNG image (%s)", im.message);
    if (too_big(im.width, im.height)) {
        png_image_free(&im);
        return fail(s, CADRE_ELIMIT, "%s", "a PNG image over 120 megapixels");
    }
    im.format = PNG_FORMAT_GRAY;
    struct grey g = { malloc((size_t)im.width * im.height), im.width, im.height };
    if (!g.px) {
        png_image_free(&im);
        return fail(s, CADRE_ENOMEM, "%s", "out of memory");
    }
    /* transparency composed over white paper */
    png_color white = { 255, 255, 255 };
    cadre_error err = CADRE_OK;
    if (!png_image_finish_read(&im, &white, g.px, 0, NULL))
        err = fail(s, CADRE_EIMAGE, "a damaged PNG image (%s)", im.message);
    else
        err = decode(s, &g, 0);
    png_image_free(&im);
    free(g.px);
    return err;
}

/* ----------------------------------------------------------------- JPEG */

struct jpeg_fail {
    struct jpeg_error_mgr mgr; /* first: libjpeg's view of it */
    jmp_buf jump;              /* where a fatal error lands */
    char message[JMSG_LENGTH_MAX];
};

static void jpeg_exit(j_common_ptr c)
{
    struct jpeg_fail *f = (struct jpeg_fail *)c->err;
    c->err->format_message(c, f->message);
    longjmp(f->jump, 1);
}

/* libjpeg's warnings (a truncated file it pads) go nowhere: the library
 * never prints, and a damaged scan still gets its chance to decode. */
static void jpeg_quiet(j_common_ptr c, int level)
{
    (void)c;
    (void)level;
}

static cadre_error scan_jpeg(struct scan *s, const unsigned char *data,
                             size_t len)
{
    struct jpeg_decompress_struct cinfo;
    struct jpeg_fail jerr;
    /* volatile: read after the longjmp */
    struct grey *volatile g = calloc(1, sizeof *g);
    if (!g)
        return fail(s, CADRE_ENOMEM, "%s", "out of memory");
    cinfo.err = jpeg_std_error(&jerr.mgr);
    jerr.mgr.error_exit = jpeg_exit;
    jerr.mgr.emit_message = jpeg_quiet;
    if (setjmp(jerr.jump)) {
        jpeg_destroy_decompress(&cinfo);
        free(g->px);
        free(g);
        return fail(s, CADRE_EIMAGE, "a damaged JPEG image (%s)", jerr.message);
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, data, (unsigned long)len);
    jpeg_read_header(&cinfo, TRUE);
    if (too_big(cinfo.image_width, cinfo.image_height)) {
        jpeg_destroy_decompress(&cinfo);
        free(g);
        return fail(s, CADRE_ELIMIT, "%s", "a JPEG image over 120 megapixels");
    }
    if (cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK) {
        jpeg_destroy_decompress(&cinfo);
        free(g);
        return fail(s, CADRE_EIMAGE, "%s",
                    "a CMYK JPEG image: scan in colour or grey");
    }
    cinfo.out_color_space = JCS_GRAYSCALE;
    jpeg_start_decompress(&cinfo);
    g->w = cinfo.output_width;
    g->h = cinfo.output_height;
    g->px = malloc((size_t)g->w * g->h);
    if (!g->px)
        longjmp(jerr.jump, 1);
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = g->px + (size_t)cinfo.output_scanline * g->w;
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    cadre_error err = decode(s, g, 0);
    free(g->px);
    free(g);
    return err;
}

/* ------------------------------------------------------------------ PDF */

/* poppler's messages about the files it reads go nowhere: the library
 * never prints (libharu's fonts alone make poppler warn about every
 * page). */
static void quiet_log(const gchar *domain, GLogLevelFlags level,
                      const gchar *message, gpointer data)
{
    (void)domain;
    (void)level;
    (void)message;
    (void)data;
}

/* Render page `i` at CADRE_SCAN_PDF_DPI on white, and decode it. */
static cadre_error scan_page(struct scan *s, PopplerPage *page, int i)
{
    double wpt, hpt, scale = CADRE_SCAN_PDF_DPI / 72.0;
    poppler_page_get_size(page, &wpt, &hpt);
    double w = wpt * scale + 0.5, h = hpt * scale + 0.5;
    if (!(w >= 1 && h >= 1) || too_big((unsigned long long)w, (unsigned long long)h))
        return fail(s, CADRE_ELIMIT, "%s", "a PDF page over 120 megapixels");
    cairo_surface_t *surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24,
                                                       (int)w, (int)h);
    if (cairo_surface_status(surf) != CAIRO_STATUS_SUCCESS) {
        cairo_surface_destroy(surf);
        return fail(s, CADRE_ENOMEM, "%s", "out of memory");
    }
    cairo_t *cr = cairo_create(surf);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, scale, scale);
    poppler_page_render_for_printing(page, cr);
    cairo_destroy(cr);
    cairo_surface_flush(surf);
    struct grey g = { malloc((size_t)w * (size_t)h), (unsigned)w, (unsigned)h };
    cadre_error err = CADRE_OK;
    if (!g.px) {
        err = fail(s, CADRE_ENOMEM, "%s", "out of memory");
    } else {
        const unsigned char *src = cairo_image_surface_get_data(surf);
        int stride = cairo_image_surface_get_stride(surf);
        for (unsigned y = 0; y < g.h; y++) {
            const uint32_t *row = (const uint32_t *)(src + (size_t)y * (size_t)stride);
            unsigned char *out = g.px + (size_t)y * g.w;
            for (unsigned x = 0; x < g.w; x++) {
                uint32_t p = row[x];
                out[x] = (unsigned char)((((p >> 16) & 255) * 77 +
                                          ((p >> 8) & 255) * 150 +
                                          (p & 255) * 29) >> 8);
            }
        }
        err = decode(s, &g, i + 1);
    }
    free(g.px);
    cairo_surface_destroy(surf);
    return err;
}

static cadre_error scan_pdf(struct scan *s, const unsigned char *data,
                            size_t len)
{
    guint handler = g_log_set_handler("Poppler", G_LOG_LEVEL_MASK, quiet_log, NULL);
    GBytes *bytes = g_bytes_new_static(data, len);
    GError *gerr = NULL;
    PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &gerr);
    cadre_error err = CADRE_OK;
    if (!doc) {
        err = fail(s, CADRE_EIMAGE, "a damaged PDF (%s)",
                   gerr ? gerr->message : "poppler cannot open it");
        g_clear_error(&gerr);
    } else {
        int pages = poppler_document_get_n_pages(doc);
        for (int i = 0; i < pages && err == CADRE_OK && !s->stop; i++) {
            PopplerPage *page = poppler_document_get_page(doc, i);
            if (!page) {
                err = fail(s, CADRE_EIMAGE, "%s", "a damaged PDF page");
                break;
            }
            err = scan_page(s, page, i);
            g_object_unref(page);
        }
        g_object_unref(doc);
    }
    g_bytes_unref(bytes);
    g_log_remove_handler("Poppler", handler);
    return err;
}

/* ------------------------------------------------------------------ file */

cadre_error cadre_scan_file(const char *path, cadre_scan_fn found, void *ctx,
                            size_t *n_found, cadre_diags *diags)
{
    struct scan s = { path, found, ctx, 0, false, diags };
    size_t len = 0;
    cadre_error err;
    unsigned char *data = (unsigned char *)cadre_file_read(path, "certificate",
                                                           SCAN_FILE_MAX, &len,
                                                           &err, diags);
    if (!data)
        return err;
    static const unsigned char png_sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };
    if (len >= 8 && !memcmp(data, png_sig, 8))
        err = scan_png(&s, data, len);
    else if (len >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
        err = scan_jpeg(&s, data, len);
    else if (len >= 5 && !memcmp(data, "%PDF-", 5))
        err = scan_pdf(&s, data, len);
    else
        err = fail(&s, CADRE_EINVALID, "%s",
                   "not a PDF, PNG or JPEG file (told by its content)");
    free(data);
    *n_found = s.n;
    return err;
}
