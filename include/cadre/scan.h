/*
 * scan.h - the QR codes in a scan or a PDF, for cadre-verify: PNG and
 * JPEG images (libpng, libjpeg) and every page of a PDF rendered by
 * poppler, decoded with libzbar.  Built as its own archive
 * (libcadre-scan.a) and linked into cadre-verify only, so that the other
 * tools do not load libzbar, poppler and cairo; it is not installed.
 *
 *     static int print(void *ctx, const char *text, size_t len, int page)
 *     { printf("page %d: %.*s\n", page, (int)len, text); return 0; }
 *     ...
 *     size_t n = 0;
 *     if (cadre_scan_file("scan.png", print, NULL, &n, &diags) == CADRE_OK && !n)
 *         puts("no QR code");
 *
 * Threads: each call makes and frees its own decoder, so calls on separate
 * threads share no state of ours; but while a PDF is read the "Poppler"
 * GLib log domain is silenced process-wide (poppler's warnings about a
 * damaged file are our error message instead).
 */
#ifndef CADRE_SCAN_H
#define CADRE_SCAN_H

#include <stddef.h>

#include "cadre/error.h"

/* Resolution PDF pages are rendered at: what a scanner gives, and
 * enough for a QR code of version 13 printed 20 mm wide. */
#define CADRE_SCAN_PDF_DPI 300

/* Called for every QR code found: its text (`len` bytes, NUL-terminated,
 * borrowed for the call), the PDF's page (from 1; 0 in an image).  A
 * non-zero return stops the scan. */
typedef int (*cadre_scan_fn)(void *ctx, const char *text, size_t len,
                             int page);

/* Find the QR codes in the PNG, JPEG or PDF at `path` (told by its
 * content), calling `found` for each, in page order; their number in
 * *n_found.  Returns CADRE_OK (even when none was found), CADRE_EIO when
 * the file cannot be read, CADRE_EINVALID when it is neither of the
 * three, CADRE_EIMAGE when the image or PDF is damaged, CADRE_ELIMIT
 * when it is larger than 120 megapixels a page (or 1 GB), CADRE_ENOMEM;
 * with a message naming the file.  Reads `path` only. */
cadre_error cadre_scan_file(const char *path, cadre_scan_fn found, void *ctx,
                            size_t *n_found, cadre_diags *diags);

#endif
