/*
 * import_ole.h (internal) - the OLE compound file (CFB) an .xls workbook
 * lives in, and an encrypted .xlsx too: enough of it to find a stream by
 * name and read it whole.  libfreexl reads the cells of an .xls; this
 * reads what it does not give (fonts of cells, merged ranges, whether a
 * workbook is encrypted).
 */
#ifndef CADRE_IMPORT_OLE_H
#define CADRE_IMPORT_OLE_H

#include <stddef.h>

#include "cadre/error.h"

enum {
    IMP_OLE_OTHER = 0,   /* a compound file of another kind (a .doc) */
    IMP_OLE_XLS,         /* holds a Workbook (or Book) stream */
    IMP_OLE_ENCRYPTED    /* an encrypted OOXML package */
};

/* What the compound file at `path` holds; an error is added for
 * IMP_OLE_OTHER and for a damaged file (then IMP_OLE_OTHER too). */
int imp_ole_kind(const char *path, cadre_diags *diags);

/* The stream named `name` (ASCII, matched without case) of the compound
 * file at `path`, read whole: a new buffer, its size in *len.  NULL with
 * an error added when it cannot be read. */
unsigned char *imp_ole_stream(const char *path, const char *name,
                              size_t *len, cadre_diags *diags);

#endif
