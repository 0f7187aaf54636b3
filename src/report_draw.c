/*
 * report_draw.c - bookmarks for cadre-report's booklets (report_draw.h),
 * over the shared PDF layer's document.  It reaches into pdf_internal.h
 * for libharu's document and error jump; once pdf.h has outlines this file
 * goes away.
 */
#include <setjmp.h>
#include <string.h>

#include <hpdf.h>

#include "pdf_internal.h"
#include "report_draw.h"

rp_outline *rp_pdf_outline(cadre_pdf *pdf, rp_outline *parent,
                           const char *title)
{
    if (pdf->err || !pdf->page)
        return NULL;
    pdf->armed = 1;
    if (setjmp(pdf->jump)) {
        pdf_jumped(pdf, "cannot add a bookmark");
        return NULL;
    }
    /* libharu writes an outline title given with the UTF-8 encoder as
     * UTF-16 with a byte-order mark: what viewers need for Vietnamese */
    HPDF_Encoder enc = HPDF_GetEncoder(pdf->doc, "UTF-8");
    HPDF_Outline o = HPDF_CreateOutline(pdf->doc, (HPDF_Outline)parent,
                                        title, enc);
    HPDF_Destination dst = HPDF_Page_CreateDestination(pdf->page);
    HPDF_Outline_SetDestination(o, dst);
    HPDF_Outline_SetOpened(o, HPDF_FALSE);
    pdf->armed = 0;
    return (rp_outline *)o;
}

cadre_error rp_pdf_show_outline(cadre_pdf *pdf)
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
