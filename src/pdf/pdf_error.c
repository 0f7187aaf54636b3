/* pdf_error.c - a document's errors: libharu's, reported through its
 * callback, and ours, both kept as the document's first error
 * (pdf_internal.h). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cadre/i18n.h"
#include "pdf_internal.h"

/* libharu calls this on every error.  Jumping back to the public function
 * is the only safe way out: without it libharu keeps going on a document
 * in an error state. */
void pdf_on_error(HPDF_STATUS status, HPDF_STATUS detail, void *data)
{
    cadre_pdf *pdf = data;
    pdf->hpdf_status = status;
    pdf->hpdf_detail = detail;
    /* libharu's detail for a file error is ferror()'s flag, not the
     * cause: keep errno, which the failed call left */
    pdf->hpdf_errno = errno;
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
    vsnprintf(pdf->msg, sizeof pdf->msg, cadre_gettext(fmt), ap);
    va_end(ap);
    return err;
}

cadre_error pdf_jumped(cadre_pdf *pdf, const char *what)
{
    cadre_error err = pdf->hpdf_status == HPDF_FAILD_TO_ALLOC_MEM
                          ? CADRE_ENOMEM
                          : pdf->hpdf_status == HPDF_FILE_IO_ERROR ? CADRE_EIO
                                                                   : CADRE_EPDF;
    if (err == CADRE_EIO || pdf->hpdf_status == HPDF_FILE_OPEN_ERROR)
        return pdf_fail(pdf, CADRE_EIO, "%s: %s", what,
                        strerror(pdf->hpdf_errno ? pdf->hpdf_errno : EIO));
    return pdf_fail(pdf, err, "%s: libharu error 0x%04X (detail %u)", what,
                    (unsigned)pdf->hpdf_status, (unsigned)pdf->hpdf_detail);
}

cadre_error pdf_ready(cadre_pdf *pdf)
{
    if (pdf->err)
        return pdf->err;
    if (!pdf->page || pdf->saved)
        return pdf_fail(pdf, CADRE_EINVALID, pdf->saved
                                                 ? "drawing after saving"
                                                 : "drawing before the first page");
    return CADRE_OK;
}

