/* pdf_image.c - PNG and JPEG images (pdf.h): read once per document from
 * a regular file, checked before libharu sees them, drawn from the page's
 * content. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hpdf_pages.h>
#include <png.h>

#include "pdf_internal.h"

/* Largest image file read. */
#define IMAGE_MAX_BYTES (64L << 20)
/* Largest image decoded: the same for PNG and JPEG, which every viewer
 * and printer would decode. */
#define IMAGE_MAX_PIXELS ((64u << 20) / 4)

/* An image file's bytes. */
struct image_file {
    unsigned char *d;
    size_t n;
    struct stat st;
};

/* Read `path` whole: a regular file only (a FIFO would block, a device
 * never end), opened without blocking.  Returns NULL when fine, else why
 * not. */
static const char *read_image(const char *path, struct image_file *f)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        return strerror(errno);
    const char *why = NULL;
    if (fstat(fd, &f->st) != 0)
        why = strerror(errno);
    else if (!S_ISREG(f->st.st_mode))
        why = "not a regular file";
    else if (f->st.st_size > IMAGE_MAX_BYTES)
        why = "larger than 64 MB";
    else if (!(f->d = malloc(f->st.st_size ? (size_t)f->st.st_size : 1)))
        why = "out of memory";
    for (f->n = 0; !why && f->n < (size_t)f->st.st_size;) {
        ssize_t r = read(fd, f->d + f->n, (size_t)f->st.st_size - f->n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            why = r < 0 ? strerror(errno) : "changed while read";
            break;
        }
        f->n += (size_t)r;
    }
    close(fd);
    return why;
}

/* Decode a whole PNG with libpng's simplified API, which reports errors
 * instead of aborting: libharu 2.3.0 sets no jump buffer for libpng, so a
 * corrupt PNG handed to it ends the process.  Files found sound are
 * remembered for the process by identity (a per-person run would decode
 * the seal again for every document).  Returns NULL when fine, else why
 * not. */
static const char *png_check(const struct image_file *f)
{
    static struct { dev_t dev; ino_t ino; off_t size; struct timespec mtime; }
        seen[16];
    static size_t n_seen;
    for (size_t i = 0; i < n_seen; i++)
        if (seen[i].dev == f->st.st_dev && seen[i].ino == f->st.st_ino &&
            seen[i].size == f->st.st_size &&
            seen[i].mtime.tv_sec == f->st.st_mtim.tv_sec &&
            seen[i].mtime.tv_nsec == f->st.st_mtim.tv_nsec)
            return NULL;
    static char why[128];
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&img, f->d, f->n)) {
        snprintf(why, sizeof why, "%s", img.message);
        return why;
    }
    img.format = PNG_FORMAT_RGBA;
    if ((uint64_t)img.width * img.height > IMAGE_MAX_PIXELS) {
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
    if (n_seen < sizeof seen / sizeof seen[0]) {
        seen[n_seen].dev = f->st.st_dev;
        seen[n_seen].ino = f->st.st_ino;
        seen[n_seen].size = f->st.st_size;
        seen[n_seen].mtime = f->st.st_mtim;
        n_seen++;
    }
    return NULL;
}

/* A JPEG frame header (SOF) at p, of `len` bytes: its size and parts. */
static const char *jpeg_frame(const unsigned char *d, size_t p, size_t len)
{
    unsigned h = len >= 8 ? (unsigned)(d[p + 3] << 8 | d[p + 4]) : 0;
    unsigned w = len >= 8 ? (unsigned)(d[p + 5] << 8 | d[p + 6]) : 0;
    unsigned comps = len >= 8 ? d[p + 7] : 0;
    if (!w || !h || (comps != 1 && comps != 3 && comps != 4))
        return "corrupt JPEG: bad frame header";
    if ((uint64_t)w * h > IMAGE_MAX_PIXELS)
        return "larger than 16 megapixels";
    return NULL;
}

/* Walk a JPEG's markers: libharu embeds whatever follows a JPEG
 * signature, and a damaged file then shows as a broken image, or none, in
 * the viewer.  The walk catches truncation and garbage (not damage inside
 * the compressed data).  Returns NULL when fine, else why not. */
static const char *jpeg_check(const struct image_file *f)
{
    const unsigned char *d = f->d;
    size_t p = 2, size = f->n;
    bool sof = false;
    for (;;) {
        if (p + 4 > size)
            return "truncated JPEG";
        if (d[p] != 0xFF)
            return "corrupt JPEG: a marker expected";
        while (p < size && d[p] == 0xFF)
            p++;
        unsigned m = p < size ? d[p++] : 0xD9;
        if (m == 0x01 || (m >= 0xD0 && m <= 0xD7))
            continue;
        if (m == 0xD9)
            return "corrupt JPEG: no image data";
        size_t len = p + 2 <= size ? (size_t)(d[p] << 8 | d[p + 1]) : 0;
        if (len < 2 || p + len > size)
            return "truncated JPEG";
        if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
            const char *why = jpeg_frame(d, p, len);
            if (why)
                return why;
            sof = true;
        }
        if (m == 0xDA) {
            /* the compressed data runs to the end-of-image marker */
            if (!sof)
                return "corrupt JPEG: data before the frame header";
            if (!(size >= 2 && d[size - 2] == 0xFF && d[size - 1] == 0xD9))
                return "truncated JPEG: no end of image";
            return NULL;
        }
        p += len;
    }
}

/* libharu's part of loading an image. */
static HPDF_Image load_into_doc(cadre_pdf *pdf, struct pdf_image *slot,
                                const struct image_file *f, bool png)
{
    pdf->armed = 1;
    if (setjmp(pdf->jump)) {
        pdf->err = CADRE_OK;
        pdf_fail(pdf, CADRE_EIMAGE,
                 "corrupt or unsupported image '%s' (libharu error 0x%04X)",
                 slot->path, (unsigned)pdf->hpdf_status);
        return NULL;
    }
    slot->img = png ? HPDF_LoadPngImageFromMem(pdf->doc, f->d, (HPDF_UINT)f->n)
                    : HPDF_LoadJpegImageFromMem(pdf->doc, f->d, (HPDF_UINT)f->n);
    /* libharu 2.3.0 compresses a PNG's colours but writes its alpha
     * channel raw: a 36 mm seal scanned at 200 dpi added 80 KB to every
     * certificate.  The mask is a stream like any other: flate it. */
    HPDF_Dict mask = slot->img && png
                         ? HPDF_Dict_GetItem(slot->img, "SMask", HPDF_OCLASS_DICT)
                         : NULL;
    if (mask)
        mask->filter |= HPDF_STREAM_FILTER_FLATE_DECODE;
    pdf->armed = 0;
    if (!slot->img)
        pdf_fail(pdf, CADRE_EIMAGE, "cannot load image '%s'", slot->path);
    return slot->img;
}

static bool is_png(const struct image_file *f)
{
    return f->n >= 8 && !memcmp(f->d, "\x89PNG\r\n\x1a\n", 8);
}

static bool is_jpeg(const struct image_file *f)
{
    return f->n >= 3 && f->d[0] == 0xFF && f->d[1] == 0xD8 && f->d[2] == 0xFF;
}

/* Keep the checked image in the document's list and load it there. */
static HPDF_Image remember(cadre_pdf *pdf, const char *path,
                           const struct image_file *f, bool png)
{
    struct pdf_image *grown =
        realloc(pdf->images, (pdf->n_images + 1) * sizeof *grown);
    if (!grown) {
        pdf_fail(pdf, CADRE_ENOMEM, "out of memory");
        return NULL;
    }
    pdf->images = grown;
    struct pdf_image *slot = &pdf->images[pdf->n_images];
    slot->img = NULL;
    if (!(slot->path = strdup(path))) {
        pdf_fail(pdf, CADRE_ENOMEM, "out of memory");
        return NULL;
    }
    pdf->n_images++; /* the path is freed with the document either way */
    return load_into_doc(pdf, slot, f, png);
}

/* Load an image into the document; NULL after recording an error. */
static HPDF_Image load_image(cadre_pdf *pdf, const char *path)
{
    struct image_file f = { 0 };
    bool png = false;
    const char *why = read_image(path, &f);
    if (why)
        pdf_fail(pdf, CADRE_EIMAGE, "cannot read image '%s': %s", path, why);
    else if (!is_png(&f) && !is_jpeg(&f))
        pdf_fail(pdf, CADRE_EIMAGE, "image '%s' is neither PNG nor JPEG",
                 path);
    else if ((why = (png = is_png(&f)) ? png_check(&f) : jpeg_check(&f)))
        pdf_fail(pdf, CADRE_EIMAGE, "corrupt or unsupported image '%s': %s",
                 path, why);
    HPDF_Image img = pdf->err ? NULL : remember(pdf, path, &f, png);
    free(f.d);
    return img;
}

cadre_error cadre_pdf_image(cadre_pdf *pdf, const char *path, double x,
                            double y, double w, double h)
{
    return cadre_pdf_image_fitted(pdf, path, x, y, w, h, NULL);
}

cadre_error cadre_pdf_image_fitted(cadre_pdf *pdf, const char *path,
                                   double x, double y, double w, double h,
                                   double *drawn)
{
    if (pdf_ready(pdf) != CADRE_OK)
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
    const char *name = HPDF_Page_GetXObjectName(pdf->page, img);
    pdf->armed = 0;
    double iw = HPDF_Image_GetWidth(img), ih = HPDF_Image_GetHeight(img);
    double scale = iw > 0 && ih > 0 ? (w / iw < h / ih ? w / iw : h / ih) : 0;
    double dw = iw * scale, dh = ih * scale;
    double left = x + (w - dw) / 2, top = y + (h - dh) / 2;
    pdf_end_text(pdf);
    pdf_put_str(pdf, "q ");
    pdf_put_num(pdf, dw * CADRE_PDF_PT_PER_MM, 3);
    pdf_put_str(pdf, "0 0 ");
    pdf_put_num(pdf, dh * CADRE_PDF_PT_PER_MM, 3);
    pdf_put_point(pdf, left, top + dh, "cm /");
    pdf_put_str(pdf, name);
    pdf_put_str(pdf, " Do Q\n");
    if (drawn)
        drawn[0] = left, drawn[1] = top, drawn[2] = dw, drawn[3] = dh;
    return CADRE_OK;
}

void pdf_images_release(cadre_pdf *pdf)
{
    for (size_t i = 0; i < pdf->n_images; i++)
        free(pdf->images[i].path);
    free(pdf->images);
    pdf->images = NULL;
    pdf->n_images = 0;
}
