/*
 * import_file.c - what an input file is (by its content, never its
 * name), and the reader for it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <zip.h>

#include "import_internal.h"
#include "import_ole.h"
#include "cadre/files.h"

/* A zip: an ODS says so in its mimetype; an XLSX has a workbook part. */
static int sniff_zip(const char *path, cadre_diags *diags)
{
    imp_zip zp;
    if (!imp_zip_open(&zp, path, diags))
        return IMP_FMT_UNKNOWN;
    int fmt = IMP_FMT_ZIP_OTHER;
    size_t len = 0;
    bool missing = false;
    char *mime = imp_zip_has(&zp, "mimetype")
                     ? imp_part_slurp(&zp, "mimetype", 256, &len, &missing,
                                      NULL)
                     : NULL;
    if (mime) {
        if (strncmp(mime, "application/vnd.oasis.opendocument.spreadsheet",
                    46) == 0)
            fmt = IMP_FMT_ODS;
        free(mime);
    } else if (imp_zip_has(&zp, "content.xml") &&
               imp_zip_has(&zp, "META-INF/manifest.xml")) {
        fmt = IMP_FMT_ODS;
    }
    if (fmt == IMP_FMT_ZIP_OTHER &&
        (imp_zip_has(&zp, "xl/workbook.xml") ||
         (imp_zip_has(&zp, "[Content_Types].xml") &&
          imp_zip_has(&zp, "_rels/.rels"))))
        fmt = IMP_FMT_XLSX;
    imp_zip_close(&zp);
    if (fmt == IMP_FMT_ZIP_OTHER)
        cadre_diags_error(diags, path, 0, "not a spreadsheet: a zip archive "
                          "that holds no workbook (XLSX or ODS)");
    return fmt;
}

/* UTF-16LE without a BOM, as some exports write it: in the text of a
 * table most characters are ASCII, so most second bytes are NULs, the
 * first bytes almost never (an odd last byte is a cut read). */
static bool looks_like_utf16le(const unsigned char *s, size_t n)
{
    size_t pairs = n / 2, nul_odd = 0, nul_even = 0;
    for (size_t i = 0; i + 1 < n; i += 2) {
        nul_even += s[i] == 0;
        nul_odd += s[i + 1] == 0;
    }
    return pairs >= 2 && nul_odd * 2 >= pairs && nul_even * 20 <= pairs;
}

/* Text that could be a CSV file: no NUL and few control bytes (UTF-16
 * has NULs: with its BOM, or as --encoding utf-16 or looks_like_utf16le
 * say). */
static bool looks_like_text(const unsigned char *s, size_t n)
{
    if (n >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) ||
                   (s[0] == 0xFE && s[1] == 0xFF)))
        return true;
    size_t bad = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == 0)
            return false;
        if (s[i] < 0x20 && s[i] != '\t' && s[i] != '\n' && s[i] != '\r' &&
            s[i] != 0x0C)
            bad++;
    }
    return bad * 100 <= n;
}

int imp_sniff(imp_file *f, cadre_diags *diags)
{
    const char *path = f->path;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        cadre_diags_error(diags, NULL, 0, "cannot open '%s': %s", path,
                          strerror(errno));
        return IMP_FMT_UNKNOWN;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        int e = errno;
        close(fd);
        cadre_diags_error(diags, NULL, 0, "cannot open '%s': %s", path,
                          S_ISDIR(st.st_mode) ? strerror(EISDIR)
                          : e ? strerror(e) : "not a regular file");
        return IMP_FMT_UNKNOWN;
    }
    /* an input: no output of this run may replace it (files.h) */
    cadre_files_note_input(&st);
    unsigned char head[4096];
    ssize_t n = read(fd, head, sizeof head);
    close(fd);
    if (n < 0) {
        cadre_diags_error(diags, NULL, 0, "cannot read '%s': %s", path,
                          strerror(errno));
        return IMP_FMT_UNKNOWN;
    }
    if (n == 0) {
        cadre_diags_error(diags, path, 0, "not a spreadsheet: the file is "
                          "empty");
        return IMP_FMT_UNKNOWN;
    }
    if (n >= 4 && memcmp(head, "PK\003\004", 4) == 0)
        return sniff_zip(path, diags);
    if (n >= 8 && memcmp(head, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0) {
        int kind = imp_ole_kind(path, diags);
        return kind == IMP_OLE_XLS         ? IMP_FMT_XLS
               : kind == IMP_OLE_ENCRYPTED ? IMP_FMT_OLE_ENCRYPTED
                                           : IMP_FMT_UNKNOWN;
    }
    size_t skip = n >= 3 && memcmp(head, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    while (skip < (size_t)n && (head[skip] == ' ' || head[skip] == '\n' ||
                                head[skip] == '\r' || head[skip] == '\t'))
        skip++;
    if ((size_t)n - skip >= 5 && memcmp(head + skip, "<?xml", 5) == 0) {
        cadre_diags_error(diags, path, 0, "not a spreadsheet: an XML file "
                          "(records files go with --records or --units)");
        return IMP_FMT_UNKNOWN;
    }
    if (looks_like_text(head, (size_t)n) ||
        f->encoding == CADRE_IMPORT_UTF16)
        return IMP_FMT_CSV;
    if (f->encoding == CADRE_IMPORT_AUTO &&
        looks_like_utf16le(head, (size_t)n)) {
        f->encoding = CADRE_IMPORT_UTF16;
        return IMP_FMT_CSV;
    }
    cadre_diags_error(diags, path, 0, "not a spreadsheet (XLSX, ODS, XLS or "
                      "CSV): the file is of another kind");
    return IMP_FMT_UNKNOWN;
}

cadre_error imp_read(imp_file *f, const char *sheet, imp_sink *sink,
                     cadre_diags *diags)
{
    switch (f->format) {
    case IMP_FMT_XLSX: return imp_xlsx_read(f, sheet, sink, diags);
    case IMP_FMT_ODS: return imp_ods_read(f, sheet, sink, diags);
    case IMP_FMT_XLS: return imp_xls_read(f, sheet, sink, diags);
    case IMP_FMT_CSV: return imp_csv_read(f, sink, diags);
    case IMP_FMT_OLE_ENCRYPTED:
        cadre_diags_error(diags, f->path, 0, "refused: the workbook is "
                          "encrypted (password-protected): save it without "
                          "a password first");
        return CADRE_EIO;
    default:
        return CADRE_EIO;
    }
}
