/* pdf_image.c - PNG and JPEG images (pdf.h): read once per document from
 * a regular file, checked before libharu sees them (a PNG decoded and
 * compressed once per process), drawn from the page's content. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hpdf_pages.h>
#include <png.h>
#include <zlib.h>

#include "cadre/i18n.h"
#include "pdf_internal.h"
#include "util/grow.h"

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
        why = CADRE_N_("not a regular file");
    else if (f->st.st_size > IMAGE_MAX_BYTES)
        why = CADRE_N_("larger than 64 MB");
    else if (!(f->d = malloc(f->st.st_size ? (size_t)f->st.st_size : 1)))
        why = CADRE_N_("out of memory");
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

/* A PNG decoded, checked and compressed once per process, kept by the
 * file's identity: every document of a per-person run embeds the same
 * bytes.  Through libharu, each document decoded the seal and the
 * signature of a <signature> again and deflated them at zlib's default
 * level: 30 M instructions a certificate, three times the rest of it. */
struct png_packed {
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
    unsigned w, h;
    unsigned char *rgb;   /* the colours, deflated */
    size_t rgb_n;
    unsigned char *alpha; /* the alpha channel, deflated; NULL: opaque */
    size_t alpha_n;
};

static struct png_packed *packed;
static size_t n_packed, packed_cap;

/* Deflate `n` bytes into a new buffer; NULL when out of memory. */
static unsigned char *deflated(const unsigned char *d, size_t n, size_t *len)
{
    uLongf z = compressBound((uLong)n);
    unsigned char *out = malloc(z);
    if (out && compress2(out, &z, d, (uLong)n, Z_DEFAULT_COMPRESSION) != Z_OK) {
        free(out);
        return NULL;
    }
    *len = z;
    return out;
}

/* Split RGBA pixels into deflated colours and alpha (left out when every
 * pixel is opaque).  False when out of memory. */
static bool pack_pixels(struct png_packed *p, const unsigned char *rgba)
{
    size_t n = (size_t)p->w * p->h;
    unsigned char *rgb = malloc(n * 3 + 1), *alpha = malloc(n + 1);
    bool opaque = true, ok = rgb && alpha;
    for (size_t i = 0; ok && i < n; i++) {
        memcpy(rgb + 3 * i, rgba + 4 * i, 3);
        alpha[i] = rgba[4 * i + 3];
        opaque &= alpha[i] == 255;
    }
    ok = ok && (p->rgb = deflated(rgb, n * 3, &p->rgb_n)) &&
         (opaque || (p->alpha = deflated(alpha, n, &p->alpha_n)));
    free(rgb);
    free(alpha);
    return ok;
}

/* Decode a whole PNG with libpng's simplified API, which reports errors
 * instead of aborting (libharu 2.3.0 sets no jump buffer for libpng, so
 * a corrupt PNG handed to it ended the process), and pack it.  Sets *out
 * and returns NULL when fine, else why not. */
static const char *png_pack(const struct image_file *f,
                            const struct png_packed **out)
{
    for (size_t i = 0; i < n_packed; i++)
        if (packed[i].dev == f->st.st_dev && packed[i].ino == f->st.st_ino &&
            packed[i].size == f->st.st_size &&
            packed[i].mtime.tv_sec == f->st.st_mtim.tv_sec &&
            packed[i].mtime.tv_nsec == f->st.st_mtim.tv_nsec) {
            *out = &packed[i];
            return NULL;
        }
    static _Thread_local char why[128];
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
        return CADRE_N_("larger than 16 megapixels");
    }
    if (!GROW(packed, packed_cap, n_packed + 1)) {
        png_image_free(&img);
        return CADRE_N_("out of memory");
    }
    void *buf = malloc(PNG_IMAGE_SIZE(img));
    if (!buf) {
        png_image_free(&img);
        return CADRE_N_("out of memory");
    }
    struct png_packed p = { f->st.st_dev, f->st.st_ino, f->st.st_size,
                            f->st.st_mtim, img.width, img.height,
                            NULL, 0, NULL, 0 };
    const char *bad = NULL;
    if (!png_image_finish_read(&img, NULL, buf, 0, NULL)) {
        snprintf(why, sizeof why, "%s", img.message);
        bad = why;
    } else if (!pack_pixels(&p, buf)) {
        bad = "out of memory";
    }
    free(buf);
    if (bad) {
        free(p.rgb);
        free(p.alpha);
        return bad;
    }
    packed[n_packed] = p;
    *out = &packed[n_packed++];
    return NULL;
}

/* A JPEG frame header (SOF) at p, of `len` bytes: its size and parts. */
static const char *jpeg_frame(const unsigned char *d, size_t p, size_t len)
{
    unsigned h = len >= 8 ? (unsigned)(d[p + 3] << 8 | d[p + 4]) : 0;
    unsigned w = len >= 8 ? (unsigned)(d[p + 5] << 8 | d[p + 6]) : 0;
    unsigned comps = len >= 8 ? d[p + 7] : 0;
    if (!w || !h || (comps != 1 && comps != 3 && comps != 4))
        return CADRE_N_("corrupt JPEG: bad frame header");
    if ((uint64_t)w * h > IMAGE_MAX_PIXELS)
        return CADRE_N_("larger than 16 megapixels");
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
            return CADRE_N_("truncated JPEG");
        if (d[p] != 0xFF)
            return CADRE_N_("corrupt JPEG: a marker expected");
        while (p < size && d[p] == 0xFF)
            p++;
        unsigned m = p < size ? d[p++] : 0xD9;
        if (m == 0x01 || (m >= 0xD0 && m <= 0xD7))
            continue;
        if (m == 0xD9)
            return CADRE_N_("corrupt JPEG: no image data");
        size_t len = p + 2 <= size ? (size_t)(d[p] << 8 | d[p + 1]) : 0;
        if (len < 2 || p + len > size)
            return CADRE_N_("truncated JPEG");
        if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
            const char *why = jpeg_frame(d, p, len);
            if (why)
                return why;
            sof = true;
        }
        if (m == 0xDA) {
            /* the compressed data runs to the end-of-image marker */
            if (!sof)
                return CADRE_N_("corrupt JPEG: data before the frame header");
            if (!(size >= 2 && d[size - 2] == 0xFF && d[size - 1] == 0xD9))
                return CADRE_N_("truncated JPEG: no end of image");
            return NULL;
        }
        p += len;
    }
}

/* An image XObject of `w` x `h` pixels in `space` holding the deflated
 * bytes `z`: written by libharu as they are. */
static HPDF_Dict packed_image(cadre_pdf *pdf, unsigned w, unsigned h,
                              const char *space, const unsigned char *z,
                              size_t n)
{
    HPDF_Dict img = HPDF_DictStream_New(pdf->doc->mmgr, pdf->doc->xref);
    if (!img)
        return NULL;
    /* what HPDF_Image_Validate() asks of an image */
    img->header.obj_class |= HPDF_OSUBCLASS_XOBJECT;
    HPDF_Dict_AddName(img, "Type", "XObject");
    HPDF_Dict_AddName(img, "Subtype", "Image");
    HPDF_Dict_AddNumber(img, "Width", (HPDF_INT32)w);
    HPDF_Dict_AddNumber(img, "Height", (HPDF_INT32)h);
    HPDF_Dict_AddName(img, "ColorSpace", space);
    HPDF_Dict_AddNumber(img, "BitsPerComponent", 8);
    pdf_stream_put_packed(img, z, n);
    return img;
}

/* libharu's part of loading an image: a PNG packed by png_pack(), or a
 * JPEG (`png` NULL), which libharu embeds as it is. */
static HPDF_Image load_into_doc(cadre_pdf *pdf, struct pdf_image *slot,
                                const struct image_file *f,
                                const struct png_packed *png)
{
    pdf->armed = 1;
    if (setjmp(pdf->jump)) {
        pdf->err = CADRE_OK;
        pdf_fail(pdf, CADRE_EIMAGE,
                 "corrupt or unsupported image '%s' (libharu error 0x%04X)",
                 slot->path, (unsigned)pdf->hpdf_status);
        return NULL;
    }
    if (!png) {
        slot->img = HPDF_LoadJpegImageFromMem(pdf->doc, f->d, (HPDF_UINT)f->n);
    } else if ((slot->img = packed_image(pdf, png->w, png->h, "DeviceRGB",
                                         png->rgb, png->rgb_n)) &&
               png->alpha) {
        HPDF_Dict mask = packed_image(pdf, png->w, png->h, "DeviceGray",
                                      png->alpha, png->alpha_n);
        if (mask)
            HPDF_Dict_Add(slot->img, "SMask", mask);
        else
            slot->img = NULL;
    }
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
                           const struct image_file *f,
                           const struct png_packed *png)
{
    if (!GROW(pdf->images, pdf->cap_images, pdf->n_images + 1)) {
        pdf_fail(pdf, CADRE_ENOMEM, "out of memory");
        return NULL;
    }
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
    const struct png_packed *png = NULL;
    const char *why = read_image(path, &f);
    if (why)
        pdf_fail(pdf, CADRE_EIMAGE, "cannot read image '%s': %s", path,
                 cadre_gettext(why));
    else if (!is_png(&f) && !is_jpeg(&f))
        pdf_fail(pdf, CADRE_EIMAGE, "image '%s' is neither PNG nor JPEG",
                 path);
    else if ((why = is_png(&f) ? png_pack(&f, &png) : jpeg_check(&f)))
        pdf_fail(pdf, CADRE_EIMAGE, "corrupt or unsupported image '%s': %s",
                 path, cadre_gettext(why));
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
    pdf->cap_images = 0;
}
