/* pdf_content.c - a page's content stream: operators written into our own
 * buffer, compressed at the document's level when the page is done.
 *
 * Through libharu every operator cost a 512-byte memset and every number
 * its slow float formatter, and the stream was compressed only at save,
 * at zlib's default level, with the whole document held uncompressed in
 * memory.  Here numbers are formatted by hand, and a finished page is
 * compressed at once (level 1 for a print file of thousands of pages). */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf_pages.h>
#include <zlib.h>

#include "pdf_internal.h"
#include "util/grow.h"

void pdf_put(cadre_pdf *pdf, const char *s, size_t n)
{
    struct pdf_buf *b = &pdf->content;
    if (b->failed || !GROW(b->b, b->cap, b->n + n)) {
        b->failed = true;
        return;
    }
    memcpy(b->b + b->n, s, n);
    b->n += n;
}

void pdf_put_str(cadre_pdf *pdf, const char *s) { pdf_put(pdf, s, strlen(s)); }

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

void pdf_put_num(cadre_pdf *pdf, double v, int digits)
{
    static const double scale[] = { 1, 10, 100, 1000, 10000 };
    char buf[48], *o = buf;
    if (!(fabs(v) < 1e12)) /* a NaN or a position far off any page */
        v = 0;
    long long k = llround(v * scale[digits]);
    if (k < 0) {
        *o++ = '-';
        k = -k;
    }
    unsigned long long u = (unsigned long long)k,
                       s = (unsigned long long)scale[digits];
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
    *o++ = ' ';
    pdf_put(pdf, buf, (size_t)(o - buf));
}

void pdf_put_point(cadre_pdf *pdf, double x, double y, const char *op)
{
    pdf_put_num(pdf, pdf_x(pdf, x), 2);
    pdf_put_num(pdf, pdf_y(pdf, y), 2);
    pdf_put_str(pdf, op);
}

void pdf_put_color(cadre_pdf *pdf, uint32_t c, bool stroke)
{
    pdf_put_num(pdf, ((c >> 16) & 0xFF) / 255.0, 3);
    pdf_put_num(pdf, ((c >> 8) & 0xFF) / 255.0, 3);
    pdf_put_num(pdf, (c & 0xFF) / 255.0, 3);
    pdf_put_str(pdf, stroke ? "RG " : "rg ");
}

void pdf_put_codes(cadre_pdf *pdf, const uint16_t *codes, size_t n)
{
    char buf[256];
    size_t k = 0;
    buf[k++] = '(';
    for (size_t i = 0; i < n; i++) {
        if (k + 8 > sizeof buf) {
            pdf_put(pdf, buf, k);
            k = 0;
        }
        unsigned char b[2] = { (unsigned char)(codes[i] >> 8),
                               (unsigned char)codes[i] };
        for (int j = 0; j < 2; j++) {
            unsigned char c = b[j];
            /* a literal string holds any byte but these: the delimiters,
             * the escape, and end-of-line bytes, which readers may
             * change */
            if (c == '(' || c == ')' || c == '\\') {
                buf[k++] = '\\';
                buf[k++] = (char)c;
            } else if (c == '\r' || c == '\n') {
                buf[k++] = '\\';
                buf[k++] = c == '\r' ? 'r' : 'n';
            } else {
                buf[k++] = (char)c;
            }
        }
    }
    buf[k++] = ')';
    pdf_put(pdf, buf, k);
}

void pdf_end_text(cadre_pdf *pdf)
{
    if (pdf->in_text) {
        pdf_put_str(pdf, "ET\n");
        pdf->in_text = false;
    }
}

/* libharu writes a stream's /Filter only for the filters it applies
 * itself (and removes one set otherwise): this is called while it writes
 * the dictionary of a stream we compressed. */
static HPDF_STATUS write_flate_filter(HPDF_Dict dict, HPDF_Stream stream)
{
    (void)dict;
    return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

bool pdf_stream_pack(cadre_pdf *pdf, HPDF_Dict dict, const void *data,
                        size_t n)
{
    struct pdf_buf *z = &pdf->packed;
    uLong bound = compressBound((uLong)n);
    if (bound > UINT_MAX || !GROW(z->b, z->cap, bound))
        return false;
    z_stream *d = pdf->deflater;
    if (!d) {
        if (!(d = calloc(1, sizeof *d)))
            return false;
        if (deflateInit(d, pdf->level) != Z_OK) {
            free(d);
            return false;
        }
        pdf->deflater = d;
    } else if (deflateReset(d) != Z_OK) {
        return false;
    }
    /* the same bytes as compress2(): one deflate to the end, into room
     * for the worst case */
    d->next_in = (Bytef *)data;
    d->avail_in = (uInt)n;
    d->next_out = (Bytef *)z->b;
    d->avail_out = (uInt)bound;
    if (deflate(d, Z_FINISH) != Z_STREAM_END)
        return false;
    pdf_stream_put_packed(dict, z->b, bound - d->avail_out);
    return true;
}

void pdf_stream_put_packed(HPDF_Dict dict, const void *z, size_t n)
{
    dict->filter = HPDF_STREAM_FILTER_NONE;
    dict->write_fn = write_flate_filter;
    HPDF_Stream_Write(dict->stream, (const HPDF_BYTE *)z, (HPDF_UINT)n);
}

bool pdf_page_finish(cadre_pdf *pdf)
{
    if (!pdf->page)
        return true;
    pdf_end_text(pdf);
    struct pdf_buf *b = &pdf->content;
    bool ok = !b->failed;
    if (ok && b->n)
        ok = pdf_stream_pack(pdf, ((HPDF_PageAttr)pdf->page->attr)->contents,
                                b->b, b->n);
    b->n = 0;
    b->failed = false;
    return ok;
}
