/*
 * roster_xlsx_close.c - finishing a workbook, and knowing that it was
 * written whole (roster_xlsx.h: xlsx_book_close, xlsx_book_discard).
 *
 * libxlsxwriter 1.1.4 writes every part of the workbook to a temporary
 * file (in constant_memory mode each sheet's rows as they come, then the
 * sheet again whole) and zips those into the output when it is closed.
 * Three of its habits are ours to mend:
 *
 * - it never checks the writes of its temporary files: a full $TMPDIR or
 *   a file size limit (ulimit -f) cut a sheet short, and the zip of what
 *   was left made a corrupt workbook and a success;
 * - it prints its own "[ERROR]" lines to stderr;
 * - it reports a failed write of the output as "Zip generic error
 *   ZIP_ERRNO", the cause left in errno.
 *
 * So the sheets' temporary files are flushed and checked before closing;
 * stderr is a buffer of ours while it closes; the cause comes from errno;
 * and the zip it wrote is read back (its directory: no sheet inflated)
 * for a part shorter than the rows given to it or as long as the size
 * limit, and for a small part that does not end its XML.
 *
 * Closing swaps the process's stderr (glibc's stderr is a variable one
 * may set): a workbook is closed by one thread while no other prints.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <zip.h>

#include "roster_xlsx.h"

/* A part larger than this is a sheet's data; smaller ones are inflated to
 * check that they end their XML (a few KB each). */
#define SMALL_PART (256 * 1024)

/* The most sheets whose sizes are checked (a roster has three). */
#define MAX_SHEETS 64

static void fail(xlsx_book *bk, const char *why)
{
    if (bk->err != CADRE_OK)
        return;
    bk->err = CADRE_EXLSX;
    cadre_diags_error(bk->diags, NULL, 0, "cannot write '%s': %s", bk->path,
                      why);
}

/* Flush each sheet's rows to its temporary file and note their size in
 * rows[] (0: not known); false after reporting a write that failed
 * there, with its cause. */
static bool rows_written(xlsx_book *bk, long long rows[MAX_SHEETS])
{
    lxw_worksheet *ws;
    size_t i = 0;
    LXW_FOREACH_WORKSHEET(ws, bk->wb) {
        FILE *f = ws->optimize_tmpfile;
        if (i < MAX_SHEETS)
            rows[i] = 0;
        if (!f) {
            i++;
            continue;
        }
        errno = 0;
        /* a failed write earlier left the error flag; the flush tries
         * what was not written again, and says why it fails */
        if (fflush(f) != 0 || ferror(f)) {
            fail(bk, strerror(errno ? errno : EIO));
            return false;
        }
        if (i < MAX_SHEETS)
            rows[i] = ftello(f);
        i++;
    }
    return true;
}

/* The cause of a failed workbook_close(): errno as it left it, else the
 * "System error = ..." it printed, else its own words. */
static const char *close_cause(lxw_error e, int saved_errno, char *said)
{
    if (saved_errno)
        return strerror(saved_errno);
    const char *sys = said ? strstr(said, "System error = ") : NULL;
    if (sys) {
        char *end = strchr(sys, '\n');
        if (end)
            *end = '\0';
        return sys + strlen("System error = ");
    }
    return lxw_strerror(e);
}

/* Close the workbook with stderr a buffer of ours; reports a failure
 * when `report`. */
static void close_quietly(xlsx_book *bk, bool report)
{
    char *said = NULL;
    size_t said_len = 0;
    FILE *mine = stderr, *sink = open_memstream(&said, &said_len);
    if (sink)
        stderr = sink;
    errno = 0;
    lxw_error e = workbook_close(bk->wb);
    int saved_errno = errno;
    bk->wb = NULL;
    if (sink) {
        stderr = mine;
        fclose(sink);
    }
    if (e != LXW_NO_ERROR && report)
        fail(bk, close_cause(e, saved_errno, said));
    free(said);
}

/* Whether the XML `text` (NUL-terminated) ends the element it begins:
 * "<root ...> ... </root>", or a root that closes itself. */
static bool xml_whole(const char *text)
{
    const char *root = text;
    while ((root = strchr(root, '<')) && (root[1] == '?' || root[1] == '!'))
        root++;
    if (!root)
        return false;
    size_t len = strcspn(root + 1, " \t\r\n/>");
    const char *end = text + strlen(text);
    while (end > text && strchr(" \t\r\n", end[-1]))
        end--;
    if ((size_t)(end - text) < len + 3 || len == 0)
        return false;
    const char *close = end - len - 3;
    if (close[0] == '<' && close[1] == '/' && close[len + 2] == '>' &&
        memcmp(close + 2, root + 1, len) == 0)
        return true;
    return end[-1] == '>' && end[-2] == '/' && !strchr(root + 1, '<');
}

/* Whether the part `index` of `z`, `size` bytes, is whole XML. */
static bool part_whole(zip_t *z, zip_uint64_t index, zip_uint64_t size)
{
    char *text = malloc(size + 1);
    zip_file_t *f = text ? zip_fopen_index(z, index, 0) : NULL;
    zip_int64_t n = f ? zip_fread(f, text, size) : -1;
    if (f)
        zip_fclose(f);
    bool whole = false;
    if (n == (zip_int64_t)size) {
        text[size] = '\0';
        whole = xml_whole(text);
    }
    free(text);
    return whole;
}

/* Read the written zip back: every part whole, as far as can be told
 * without inflating the sheets; reports what is not. */
static void check_parts(xlsx_book *bk, const char *tmp_path,
                        const long long rows[MAX_SHEETS])
{
    int zerr = 0;
    zip_t *z = zip_open(tmp_path, ZIP_RDONLY, &zerr);
    if (!z) {
        fail(bk, "the workbook written does not read back as a zip");
        return;
    }
    struct rlimit lim;
    zip_uint64_t limit = getrlimit(RLIMIT_FSIZE, &lim) == 0 &&
                                 lim.rlim_cur != RLIM_INFINITY
                             ? (zip_uint64_t)lim.rlim_cur
                             : 0;
    zip_int64_t count = zip_get_num_entries(z, 0);
    for (zip_int64_t i = 0; i < count && bk->err == CADRE_OK; i++) {
        zip_stat_t st;
        if (zip_stat_index(z, (zip_uint64_t)i, 0, &st) != 0 ||
            !(st.valid & ZIP_STAT_SIZE) || !(st.valid & ZIP_STAT_NAME)) {
            fail(bk, "the workbook written does not read back as a zip");
            break;
        }
        unsigned sheet;
        int used = 0;
        /* a temporary copy as long as the size limit was cut there */
        if (limit && st.size >= limit)
            fail(bk, strerror(EFBIG));
        else if (sscanf(st.name, "xl/worksheets/sheet%u.xml%n", &sheet, &used) == 1 &&
                 st.name[used] == '\0' && sheet >= 1 && sheet <= MAX_SHEETS) {
            if (rows[sheet - 1] > 0 && (long long)st.size <= rows[sheet - 1])
                fail(bk, "a sheet's temporary copy was cut short "
                         "(is the temporary folder full?)");
        } else if (st.size <= SMALL_PART && !part_whole(z, (zip_uint64_t)i, st.size)) {
            fail(bk, "a part's temporary copy was cut short "
                     "(is the temporary folder full?)");
        }
    }
    zip_discard(z);
}

cadre_error xlsx_book_close(xlsx_book *bk)
{
    free(bk->fmts);
    bk->fmts = NULL;
    long long rows[MAX_SHEETS] = { 0 };
    if (bk->err == CADRE_OK && !rows_written(bk, rows)) {
        xlsx_book_discard(bk);
        return bk->err;
    }
    close_quietly(bk, true);
    if (bk->err == CADRE_OK)
        check_parts(bk, bk->tmp_path, rows);
    return bk->err;
}

void xlsx_book_discard(xlsx_book *bk)
{
    free(bk->fmts);
    bk->fmts = NULL;
    /* libxlsxwriter has no "free without writing": closing writes the
     * (temporary) file, which the caller then removes; what it fails to
     * write is no news */
    if (bk->wb)
        close_quietly(bk, false);
}
