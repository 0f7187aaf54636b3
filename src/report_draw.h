/*
 * report_draw.h (internal) - what cadre-report needs from a PDF that the
 * shared layer (pdf.h) does not give yet: bookmarks (the outline) and
 * opening the document with them shown.  Candidates to move into pdf.h.
 *
 *     rp_outline *top = rp_pdf_outline(pdf, NULL, "I. SỐ LIỆU CHỦ YẾU");
 *     rp_pdf_outline(pdf, top, "Thị trấn Nông trường Thái Bình");
 *     rp_pdf_show_outline(pdf);
 */
#ifndef CADRE_REPORT_DRAW_H
#define CADRE_REPORT_DRAW_H

#include "cadre/pdf.h"

typedef struct rp_outline rp_outline; /* a bookmark, owned by the document */

/* Add a bookmark `title` (UTF-8) under `parent` (NULL: at the top) that
 * opens the current page (whole page in view).  NULL on error (the
 * document's error is set, see cadre_pdf_error()). */
rp_outline *rp_pdf_outline(cadre_pdf *pdf, rp_outline *parent,
                           const char *title);

/* Open the document with the bookmarks panel shown. */
cadre_error rp_pdf_show_outline(cadre_pdf *pdf);

#endif
