/*
 * report_layout.h (internal) - a built booklet laid out into pages and
 * written as PDF (report_layout.c).
 */
#ifndef CADRE_REPORT_LAYOUT_H
#define CADRE_REPORT_LAYOUT_H

#include "cadre/error.h"
#include "report_booklet.h"

/* Lay out `b` in the font family `font_family` and write it to `path`
 * (through a temporary file: on failure nothing is left there).  Returns
 * CADRE_OK, CADRE_EFONT, CADRE_EPDF, CADRE_EIO or CADRE_ENOMEM, with
 * messages in `diags`. */
cadre_error booklet_write_pdf(const booklet *b, const char *font_family,
                              const char *path, cadre_diags *diags);

#endif
