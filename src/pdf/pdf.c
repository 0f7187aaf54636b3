/* pdf.c - documents: pages, properties, bookmarks and saving (pdf.h).
 * Drawing is in pdf_draw.c, pdf_image.c and pdf_text.c. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <zlib.h>

#include "cadre/date.h"
#include "cadre/files.h"
#include "cadre/text.h"
#include "pdf_internal.h"
#include "util/grow.h"

/* The settings of every document; false when libharu failed. */
static bool setup(cadre_pdf *pdf)
{
    pdf->armed = 1;
    if (setjmp(pdf->jump))
        return false;
    /* libharu's UTF-8 encoder writes bookmarks as UTF-16 */
    HPDF_UseUTFEncodings(pdf->doc);
    /* libharu compresses the images; our content streams and fonts come
     * compressed already (pdf_content.c, pdf_embed.c) */
    HPDF_SetCompressionMode(pdf->doc, HPDF_COMP_IMAGE);
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
    pdf->fill = CADRE_PDF_NONE;
    pdf->doc = HPDF_New(pdf_on_error, pdf);
    if (!pdf->doc || !setup(pdf)) {
        cadre_pdf_free(pdf);
        return NULL;
    }
    return pdf;
}

/* The deflater is made at the compression level of its first use. */
static void drop_deflater(cadre_pdf *pdf)
{
    if (pdf->deflater)
        deflateEnd(pdf->deflater);
    free(pdf->deflater);
    pdf->deflater = NULL;
}

void cadre_pdf_free(cadre_pdf *pdf)
{
    if (!pdf)
        return;
    pdf->armed = 0;
    if (pdf->doc)
        HPDF_Free(pdf->doc);
    pdf_doc_fonts_release(pdf);
    pdf_images_release(pdf);
    free(pdf->content.b);
    free(pdf->packed.b);
    drop_deflater(pdf);
    free(pdf->nfc);
    free(pdf->words);
    free(pdf->lines);
    free(pdf);
}

cadre_error cadre_pdf_error(const cadre_pdf *pdf) { return pdf->err; }

const char *cadre_pdf_message(const cadre_pdf *pdf)
{
    return pdf->err != CADRE_OK ? pdf->msg : "";
}

/* ------------------------------------------------------------------ */
/* Properties.                                                         */

/* Unicode white space other than the ASCII space: a title reads the same
 * with a plain space, and viewers show some of these as boxes. */
static bool is_space(uint32_t c)
{
    return c == '\t' || c == '\n' || c == '\r' || c == 0x0B || c == 0x0C ||
           c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200B) || c == 0x2028 || c == 0x2029 ||
           c == 0x202F || c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

/* A property's text as the Info dictionary holds it: PDFDocEncoding when
 * it is printable ASCII, else UTF-16BE with a byte-order mark (ISO 32000
 * 7.9.2.2); white space folded to single spaces, trimmed.  NULL when out
 * of memory.  Must run while armed. */
static void *info_string(cadre_pdf *pdf, const char *nfc)
{
    HPDF_MMgr mm = pdf->doc->mmgr;
    size_t len = strlen(nfc);
    unsigned char *u16 = malloc(2 * len + 2);
    char *ascii = malloc(len + 1);
    void *obj = NULL;
    if (u16 && ascii) {
        size_t n = 2, na = 0;
        bool only_ascii = true, space = true; /* leading spaces go */
        u16[0] = 0xFE;
        u16[1] = 0xFF;
        const unsigned char *p = (const unsigned char *)nfc;
        while (*p) {
            uint32_t c = pdf_next_cp(&p);
            if (c == ' ' || is_space(c)) {
                if (space)
                    continue;
                c = ' ';
                space = true;
            } else {
                space = false;
            }
            if (c < 0x20 || c >= 0x7F)
                only_ascii = false;
            if (c < 0x20)
                c = 0xFFFD; /* a control character prints nothing useful */
            ascii[na++] = (char)c;
            if (c >= 0x10000) { /* a surrogate pair */
                uint32_t v = c - 0x10000;
                uint32_t hi = 0xD800 + (v >> 10), lo = 0xDC00 + (v & 0x3FF);
                u16[n++] = (unsigned char)(hi >> 8);
                u16[n++] = (unsigned char)hi;
                c = lo;
            }
            u16[n++] = (unsigned char)(c >> 8);
            u16[n++] = (unsigned char)c;
        }
        if (space && na) { /* a trailing space */
            na--;
            n -= 2;
        }
        ascii[na] = '\0';
        obj = only_ascii ? (void *)HPDF_String_New(mm, ascii, NULL)
                         : (void *)HPDF_Binary_New(mm, u16, (HPDF_UINT)n);
    }
    free(u16);
    free(ascii);
    return obj;
}

/* Add the properties to the Info dictionary: apart from
 * cadre_pdf_set_info(), so that nothing it computed lives across the
 * jump. */
static cadre_error add_info(cadre_pdf *pdf, const char *const keys[3],
                            char *const nfc[3])
{
    pdf->armed = 1;
    if (setjmp(pdf->jump))
        return pdf_jumped(pdf, "cannot set the document's properties");
    for (int i = 0; i < 3; i++) {
        if (!nfc[i])
            continue;
        void *s = info_string(pdf, nfc[i]);
        if (!s)
            return pdf_fail(pdf, CADRE_ENOMEM, "out of memory");
        HPDF_Dict_Add(pdf->doc->info, keys[i], s);
    }
    pdf->armed = 0;
    return CADRE_OK;
}

cadre_error cadre_pdf_set_info(cadre_pdf *pdf, const char *title,
                               const char *author, const char *subject)
{
    if (pdf->err)
        return pdf->err;
    const char *const keys[3] = { "Title", "Author", "Subject" };
    const char *values[3] = { title, author, subject };
    char *nfc[3] = { NULL, NULL, NULL };
    cadre_error err = CADRE_OK;
    for (int i = 0; i < 3 && err == CADRE_OK; i++) {
        if (!values[i])
            continue;
        size_t len = strlen(values[i]);
        if (cadre_text_check(values[i], len, NULL, NULL) == CADRE_TEXT_BAD_UTF8)
            err = pdf_fail(pdf, CADRE_EINVALID,
                           "invalid UTF-8 in the document's %s", keys[i]);
        else if (!(nfc[i] = cadre_text_nfc(values[i], len, NULL)))
            err = pdf_fail(pdf, CADRE_ENOMEM, "out of memory");
    }
    if (err == CADRE_OK)
        err = add_info(pdf, keys, nfc);
    for (int i = 0; i < 3; i++)
        free(nfc[i]);
    return err;
}

void cadre_pdf_set_created(cadre_pdf *pdf, time_t t)
{
    pdf->created = t;
}

/* CreationDate and ModDate, in UTC: the document's own date when set,
 * else SOURCE_DATE_EPOCH when set (cadre_source_date_get()), else now.
 * Must run while armed. */
static bool set_dates(cadre_pdf *pdf)
{
    time_t t = pdf->created;
    struct tm tm;
    cadre_diags d;
    cadre_diags_init(&d, 1);
    bool ok = (t || cadre_source_date_get(&t, &d) == CADRE_OK) &&
              gmtime_r(&t, &tm);
    if (!ok)
        pdf_fail(pdf, CADRE_EINVALID, "%s",
                 d.count ? d.items[0].message : "the date is out of range");
    cadre_diags_release(&d);
    if (!ok)
        return false;
    char date[64];
    snprintf(date, sizeof date, "D:%04d%02d%02d%02d%02d%02dZ",
             tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
             tm.tm_min, tm.tm_sec);
    HPDF_Dict_Add(pdf->doc->info, "CreationDate",
                  HPDF_String_New(pdf->doc->mmgr, date, NULL));
    HPDF_Dict_Add(pdf->doc->info, "ModDate",
                  HPDF_String_New(pdf->doc->mmgr, date, NULL));
    return true;
}

/* ------------------------------------------------------------------ */
/* Pages.                                                              */

cadre_error cadre_pdf_page(cadre_pdf *pdf, double width, double height)
{
    if (pdf->err)
        return pdf->err;
    if (pdf->saved)
        return pdf_fail(pdf, CADRE_EINVALID, "a page after saving");
    if (!(width > 0 && height > 0 && width <= 5000 && height <= 5000))
        return pdf_fail(pdf, CADRE_EINVALID, "impossible page size %gx%g mm",
                        width, height);
    pdf->armed = 1;
    if (setjmp(pdf->jump))
        return pdf_jumped(pdf, "cannot add a page");
    if (!pdf_page_finish(pdf))
        return pdf_fail(pdf, CADRE_ENOMEM, "out of memory");
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
    drop_deflater(pdf);
}

void cadre_pdf_offset(cadre_pdf *pdf, double dx, double dy)
{
    pdf->dx = dx * CADRE_PDF_PT_PER_MM;
    pdf->dy = dy * CADRE_PDF_PT_PER_MM;
}

/* ------------------------------------------------------------------ */
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
    if (pdf_ready(pdf) != CADRE_OK)
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

/* ------------------------------------------------------------------ */
/* Saving.                                                             */

/* Finish the document: the last page, the fonts, the dates.  Must run
 * while armed; false after recording an error. */
static bool finish(cadre_pdf *pdf)
{
    if (pdf->saved)
        return true;
    if (!pdf_page_finish(pdf) || !pdf_doc_fonts_write(pdf)) {
        pdf_fail(pdf, CADRE_ENOMEM, "out of memory");
        return false;
    }
    if (!set_dates(pdf))
        return false;
    pdf->saved = true;
    return true;
}

/* Copy the document libharu saved into its memory stream to the file
 * `path`.  We write, not libharu's file writer: that one names ferror()'s
 * 1 as the cause (EPERM, "Operation not permitted") and never sees its
 * last buffer fail in fclose(), so a full disk or a file over the size
 * limit left a truncated PDF behind a success.  False with errno set. */
static bool write_saved(cadre_pdf *pdf, const char *path)
{
    int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
    if (fd < 0)
        return false;
    HPDF_UINT32 left = HPDF_GetStreamSize(pdf->doc);
    unsigned char buf[1 << 16];
    while (left > 0) {
        /* never more than is left: libharu calls reading up to the end
         * of its stream an error */
        HPDF_UINT32 n = left < sizeof buf ? left : (HPDF_UINT32)sizeof buf;
        if (HPDF_ReadFromStream(pdf->doc, buf, &n) != HPDF_OK || n == 0) {
            errno = EIO;
            goto fail;
        }
        left -= n;
        for (size_t off = 0; off < n;) {
            ssize_t w = write(fd, buf + off, n - off);
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0)
                goto fail;
            off += (size_t)w;
        }
    }
    return close(fd) == 0;
fail:;
    int e = errno;
    close(fd);
    errno = e;
    return false;
}

cadre_error cadre_pdf_save(cadre_pdf *pdf, const char *path,
                           cadre_diags *diags)
{
    return cadre_pdf_save_then(pdf, path, NULL, NULL, diags);
}

cadre_error cadre_pdf_save_then(cadre_pdf *pdf, const char *path,
                                cadre_pdf_finish_fn then, void *ctx,
                                cadre_diags *diags)
{
    if (!pdf->err) {
        pdf->armed = 1;
        if (setjmp(pdf->jump))
            pdf_jumped(pdf, "cannot finish the document");
        else
            finish(pdf);
        pdf->armed = 0;
    }
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
        cadre_outfile_abort(&out);
        err = pdf_jumped(pdf, "cannot save");
        cadre_diags_error(diags, NULL, 0, "cannot write '%s': %s", path,
                          pdf->msg);
        return err;
    }
    HPDF_SaveToStream(pdf->doc);
    pdf->armed = 0;
    if (!write_saved(pdf, out.tmp)) {
        err = pdf_fail(pdf, CADRE_EIO, "%s", strerror(errno));
        cadre_diags_error(diags, NULL, 0, "cannot write '%s': %s", path,
                          pdf->msg);
        cadre_outfile_abort(&out);
        return err;
    }
    if (then && (err = then(out.tmp, path, ctx, diags)) != CADRE_OK) {
        cadre_outfile_abort(&out);
        return err;
    }
    return cadre_outfile_commit(&out, diags);
}
