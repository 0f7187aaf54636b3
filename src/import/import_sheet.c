/*
 * import_sheet.c - the sheet of an input file being read: its name, its
 * reference as Excel writes it ('Danh sách'!B7), and how a cell is named
 * in messages.  The readers (XLSX, ODS, XLS, CSV) call it; import_file.c
 * calls the readers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "import_internal.h"

/* Excel quotes a sheet name in a reference unless it is one word of
 * letters, digits, '_' and '.' that does not start with a digit. */
static bool needs_quotes(const char *s, size_t len)
{
    if (len == 0 || (s[0] >= '0' && s[0] <= '9'))
        return true;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    for (size_t i = 0; i < len;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i),
                                              &cp);
        if (k <= 0)
            return true;
        i += (size_t)k;
        if (cp == '_' || cp == '.')
            continue;
        utf8proc_category_t c = utf8proc_category(cp);
        if (!(c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) &&
            !(c >= UTF8PROC_CATEGORY_MN && c <= UTF8PROC_CATEGORY_ME) &&
            c != UTF8PROC_CATEGORY_ND)
            return true;
    }
    return false;
}

bool imp_file_set_sheet(imp_file *f, const char *name, size_t len)
{
    free(f->sheet);
    free(f->sheet_ref);
    f->sheet = strndup(name, len);
    f->sheet_ref = malloc(2 * len + 3);
    if (!f->sheet || !f->sheet_ref)
        return false;
    if (!needs_quotes(name, len)) {
        memcpy(f->sheet_ref, name, len);
        f->sheet_ref[len] = '\0';
        return true;
    }
    size_t o = 0;
    f->sheet_ref[o++] = '\'';
    for (size_t i = 0; i < len; i++) {
        if (name[i] == '\'')
            f->sheet_ref[o++] = '\'';
        f->sheet_ref[o++] = name[i];
    }
    f->sheet_ref[o++] = '\'';
    f->sheet_ref[o] = '\0';
    return true;
}

void imp_sheets_add(imp_buf *names, const char *name)
{
    /* a message's list: a name lost to memory shortage only shortens it */
    if (names->len)
        imp_buf_add(names, ", ", 2);
    imp_buf_add(names, "'", 1);
    imp_buf_add(names, name, strlen(name));
    imp_buf_add(names, "'", 1);
}

void imp_no_sheet(const imp_file *f, const char *sheet,
                  const imp_buf *names, cadre_diags *diags)
{
    if (sheet)
        cadre_diags_error(diags, f->path, 0, "no sheet named '%s' (the "
                          "sheets: %s)", sheet, names->p ? names->p : "none");
    else
        cadre_diags_error(diags, f->path, 0, "the workbook has no sheet");
}

void imp_file_release(imp_file *f)
{
    free(f->sheet);
    free(f->sheet_ref);
    imp_merges_free(&f->merges);
    f->sheet = f->sheet_ref = NULL;
}

void imp_loc(const imp_file *f, uint32_t row, uint32_t col, uint32_t line,
             char *buf, size_t size)
{
    if (f->format == IMP_FMT_CSV) {
        snprintf(buf, size, "%s:%u:%u", f->path, line ? line : row, col + 1);
        return;
    }
    char c[8];
    imp_col_name(col, c, sizeof c);
    snprintf(buf, size, "%s:%s!%s%u", f->path,
             f->sheet_ref ? f->sheet_ref : "?", c, row);
}
