/*
 * import_csv.c - CSV and TSV as RFC 4180 has them, as other systems export
 * them: fields separated by ',' ';' or a tab (the one that splits the
 * first lines most alike), quoted fields with "" and line breaks inside,
 * CRLF or LF; UTF-8 with or without BOM, UTF-16 with BOM (converted by
 * iconv as it is read), or the legacy encodings --encoding names.
 * Streamed: one record at a time.
 */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadre/text.h"
#include "import_internal.h"

#define CHUNK 65536
#define SNIFF_LINES 50

typedef struct csv {
    FILE *fp;
    imp_file *f;
    cadre_diags *diags;
    iconv_t cd;                  /* UTF-16 to UTF-8, or (iconv_t)-1 */
    unsigned char raw[CHUNK];    /* bytes read, not yet converted */
    size_t raw_len;
    unsigned char *buf;          /* the text being parsed (UTF-8 or the
                                    legacy bytes) */
    size_t len, pos, cap;
    bool eof;
    bool failed;
    cadre_import_encoding enc;   /* of buf's bytes */
    imp_buf field;               /* the field being read */
    imp_buf dec;                 /* a field decoded from a legacy encoding */
    uint32_t line;               /* the line pos is on */
} csv;

/* Refill buf keeping its unread part; false at the end of the input. */
static bool refill(csv *c)
{
    if (c->eof)
        return false;
    if (c->pos) {
        memmove(c->buf, c->buf + c->pos, c->len - c->pos);
        c->len -= c->pos;
        c->pos = 0;
    }
    if (!GROW(c->buf, c->cap, c->len + 4 * CHUNK)) {
        c->failed = true;
        return false;
    }
    size_t before = c->len;
    while (c->len == before) {
        size_t n = fread(c->raw + c->raw_len, 1, CHUNK - c->raw_len, c->fp);
        c->raw_len += n;
        if (n == 0) {
            if (ferror(c->fp))
                c->failed = true;
            if (c->raw_len && c->cd != (iconv_t)-1) /* a broken last unit */
                c->raw_len = 0;
            if (c->raw_len == 0) {
                c->eof = true;
                return c->len > c->pos;
            }
        }
        if (c->cd == (iconv_t)-1) {
            memcpy(c->buf + c->len, c->raw, c->raw_len);
            c->len += c->raw_len;
            c->raw_len = 0;
            continue;
        }
        char *in = (char *)c->raw, *out = (char *)c->buf + c->len;
        size_t in_left = c->raw_len, out_left = c->cap - c->len;
        size_t r = iconv(c->cd, &in, &in_left, &out, &out_left);
        c->len = (size_t)((unsigned char *)out - c->buf);
        if (r == (size_t)-1 && errno == EILSEQ) {
            /* an unpaired surrogate: a replacement character */
            in += 2;
            in_left = in_left >= 2 ? in_left - 2 : 0;
            if (out_left >= 3) {
                memcpy(c->buf + c->len, "\xEF\xBF\xBD", 3);
                c->len += 3;
            }
        }
        memmove(c->raw, in, in_left);
        c->raw_len = in_left;
    }
    return true;
}

static int peek(csv *c)
{
    if (c->pos >= c->len && !refill(c))
        return -1;
    return c->buf[c->pos];
}

/* Choose the delimiter: the one giving the same number of fields (more
 * than one) on the most of the first lines. */
static char sniff_delim(csv *c)
{
    while (!c->eof && c->len - c->pos < 4 * CHUNK && refill(c))
        ;
    static const char cands[] = {',', ';', '\t'};
    int best = 0;
    char delim = ',';
    for (int k = 0; k < 3; k++) {
        int counts[SNIFF_LINES], n = 0, fields = 1;
        bool quoted = false;
        for (size_t i = c->pos; i < c->len && n < SNIFF_LINES; i++) {
            unsigned char ch = c->buf[i];
            if (ch == '"')
                quoted = !quoted;
            else if (!quoted && ch == (unsigned char)cands[k])
                fields++;
            else if (!quoted && ch == '\n') {
                counts[n++] = fields;
                fields = 1;
            }
        }
        if (n < SNIFF_LINES && fields > 1)
            counts[n++] = fields;
        /* the most frequent count above one, and how often */
        int score = 0;
        for (int i = 0; i < n; i++) {
            if (counts[i] < 2)
                continue;
            int same = 0;
            for (int j = 0; j < n; j++)
                same += counts[j] == counts[i];
            if (same > score)
                score = same;
        }
        if (score > best) {
            best = score;
            delim = cands[k];
        }
    }
    return delim;
}

/* Hand one field to the row: text decoded to UTF-8. */
static bool add_field(csv *c, imp_rowbuf *rb, uint32_t col, uint32_t line)
{
    const char *s = c->field.p ? c->field.p : "";
    size_t n = c->field.len;
    if (n == 0)
        return true;
    if (c->enc == CADRE_IMPORT_CP1258 || c->enc == CADRE_IMPORT_TCVN3 ||
        c->enc == CADRE_IMPORT_VNI) {
        c->dec.len = 0;
        if (!imp_bytes_decode(c->enc, (const unsigned char *)s, n, &c->dec))
            return false;
        s = c->dec.p ? c->dec.p : "";
        n = c->dec.len;
    } else if (cadre_text_check(s, n, NULL, NULL) == CADRE_TEXT_BAD_UTF8) {
        char loc[1024];
        imp_loc(c->f, line, col, line, loc, sizeof loc);
        cadre_diags_error(c->diags, loc, 0, "the file is not UTF-8 here: "
                          "give its encoding (--encoding cp1258, tcvn3 or "
                          "vni)");
        c->failed = true;
        return false;
    }
    imp_cell *cell = imp_rowbuf_add(rb, col, IMP_TEXT, s, n);
    if (!cell)
        return false;
    cell->line = line;
    return true;
}

/* Open f for reading: its byte order mark (UTF-8, UTF-16) read and set
 * aside, a converter from UTF-16 made when it needs one. */
static cadre_error csv_open(csv *c, imp_file *f, cadre_diags *diags)
{
    memset(c, 0, sizeof *c);
    c->f = f;
    c->diags = diags;
    c->cd = (iconv_t)-1;
    c->line = 1;
    c->fp = fopen(f->path, "rb");
    if (!c->fp) {
        cadre_diags_error(diags, NULL, 0, "cannot open '%s': %s", f->path,
                          strerror(errno));
        return CADRE_EIO;
    }
    unsigned char bom[3];
    size_t nb = fread(bom, 1, 3, c->fp);
    const char *from = NULL;
    size_t keep = nb;
    c->enc = f->encoding;
    if (nb >= 3 && memcmp(bom, "\xEF\xBB\xBF", 3) == 0) {
        keep = 0;
        c->enc = CADRE_IMPORT_UTF8;
    } else if (nb >= 2 && bom[0] == 0xFF && bom[1] == 0xFE) {
        from = "UTF-16LE";
        keep = nb - 2;
    } else if (nb >= 2 && bom[0] == 0xFE && bom[1] == 0xFF) {
        from = "UTF-16BE";
        keep = nb - 2;
    } else if (f->encoding == CADRE_IMPORT_UTF16) {
        from = "UTF-16LE";
    }
    if (from) {
        c->cd = iconv_open("UTF-8", from);
        if (c->cd == (iconv_t)-1) {
            fclose(c->fp);
            cadre_diags_error(diags, f->path, 0, "cannot convert %s", from);
            return CADRE_EIO;
        }
        c->enc = CADRE_IMPORT_UTF8;
    }
    memcpy(c->raw, bom + (nb - keep), keep);
    c->raw_len = keep;
    return CADRE_OK;
}

static void csv_close(csv *c)
{
    imp_buf_free(&c->field);
    imp_buf_free(&c->dec);
    free(c->buf);
    if (c->cd != (iconv_t)-1)
        iconv_close(c->cd);
    fclose(c->fp);
}

/* Where the parser is in the record it reads. */
struct cursor {
    uint32_t col, rec_line, field_line;
    bool quoted, was_quoted, any;
};

/* A record ends at `ch` ('\n', '\r', or -1 at the end of the input): its
 * last field and the row go out.  0 to read on; 1 to stop (the sink has
 * what it wants, or the input ended); -1 on an error (*err set, or
 * c->failed). */
static int end_record(csv *c, struct cursor *at, int ch, imp_rowbuf *rb,
                      imp_sink *sink, cadre_error *err)
{
    if (c->failed)
        return -1;
    if ((at->any || c->field.len || at->was_quoted) &&
        !add_field(c, rb, at->col, at->field_line))
        return -1;
    if (ch == '\r') {
        c->pos++;
        if (peek(c) == '\n')
            c->pos++;
    } else if (ch == '\n') {
        c->pos++;
    }
    int stop = imp_rowbuf_send(rb, at->rec_line, sink);
    if (stop < 0) {
        *err = CADRE_ENOMEM;
        return -1;
    }
    if (stop || ch < 0)
        return 1;
    c->line++;
    if (c->line > IMP_MAX_ROWS * 4u) {
        cadre_diags_error(c->diags, c->f->path, 0, "refused: more than %u "
                          "lines", IMP_MAX_ROWS * 4u);
        *err = CADRE_ELIMIT;
        return -1;
    }
    *at = (struct cursor){ .rec_line = c->line, .field_line = c->line };
    c->field.len = 0;
    return 0;
}

/* One character `ch` inside a record (RFC 4180: quotes, doubled quotes,
 * line breaks inside quotes).  0 to read on, -1 on an error (*err set). */
static int take(csv *c, struct cursor *at, int ch, char delim,
                imp_rowbuf *rb, cadre_error *err)
{
    char loc[1024];
    c->pos++;
    if (at->quoted) {
        if (ch == '"' && peek(c) == '"') {
            c->pos++;
        } else if (ch == '"') {
            at->quoted = false;
            return 0;
        } else if (ch == '\n' || (ch == '\r' && peek(c) != '\n')) {
            c->line++;
        }
    } else if (ch == delim) {
        if (!add_field(c, rb, at->col, at->field_line))
            return -1;
        if (++at->col >= IMP_MAX_COLS) {
            imp_loc(c->f, at->rec_line, at->col, c->line, loc, sizeof loc);
            cadre_diags_error(c->diags, loc, 0, "more than %d fields in "
                              "one line", IMP_MAX_COLS);
            *err = CADRE_ELIMIT;
            return -1;
        }
        c->field.len = 0;
        at->any = true;
        at->was_quoted = false;
        at->field_line = c->line;
        return 0;
    } else if (ch == '"' && c->field.len == 0 && !at->was_quoted) {
        at->quoted = at->was_quoted = true;
        return 0;
    } else if (c->field.len >= IMP_MAX_CELL_TEXT * 4) {
        imp_loc(c->f, at->rec_line, at->col, at->field_line, loc, sizeof loc);
        cadre_diags_error(c->diags, loc, 0, "a field longer than %d bytes "
                          "(an unclosed quote?)", IMP_MAX_CELL_TEXT * 4);
        *err = CADRE_ELIMIT;
        return -1;
    }
    if (!imp_buf_addc(&c->field, (char)ch)) {
        *err = CADRE_ENOMEM;
        return -1;
    }
    return 0;
}

cadre_error imp_csv_read(imp_file *f, imp_sink *sink, cadre_diags *diags)
{
    csv c;
    cadre_error err = csv_open(&c, f, diags);
    if (err != CADRE_OK)
        return err;
    char delim = sniff_delim(&c);
    imp_rowbuf rb;
    imp_rowbuf_init(&rb, NULL);
    struct cursor at = { .rec_line = c.line, .field_line = c.line };
    for (;;) {
        int ch = peek(&c);
        bool ends = ch < 0 || (!at.quoted && (ch == '\n' || ch == '\r'));
        if (ends ? end_record(&c, &at, ch, &rb, sink, &err)
                 : take(&c, &at, ch, delim, &rb, &err))
            break;
    }
    if (err == CADRE_OK && at.quoted) {
        char loc[1024];
        imp_loc(f, at.rec_line, at.col, at.field_line, loc, sizeof loc);
        cadre_diags_error(diags, loc, 0, "a quoted field is never closed");
        err = CADRE_EINVALID;
    }
    if (err == CADRE_OK && c.failed)
        err = ferror(c.fp) ? CADRE_EIO : CADRE_EINVALID;
    if (err == CADRE_ENOMEM)
        cadre_diags_error(diags, f->path, 0, "out of memory");
    imp_rowbuf_release(&rb);
    csv_close(&c);
    return err;
}
