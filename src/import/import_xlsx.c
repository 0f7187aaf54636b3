/*
 * import_xlsx.c - Office Open XML workbooks (.xlsx, also .xlsm: macros
 * are never run, only the cells are read).
 *
 * The order matters: the workbook (sheets, the 1904 date system), its
 * relationships, the styles (which cells are dates, which fonts are
 * TCVN3 or VNI), the shared strings, and only then the sheet, streamed
 * node by node; memory is the shared-strings table and one row.
 * Merged ranges are listed after the cells (<mergeCells> ends the sheet):
 * the first pass reports them, and the table asks for a second pass only
 * when one of them covers a cell it reads (import_table.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>

#include "cadre/text.h"
#include "import_internal.h"
#include "util/grow.h"

/* A shared string: raw text (escapes decoded, not yet cleaned) at `off`
 * in the table's buffer; `runs` when rich-text runs name their own fonts,
 * the text is then a list of segments (import_legacy's encodings):
 * [1 byte encoding][4 bytes length][bytes] ... */
typedef struct sst_entry {
    uint32_t off, len;
    bool runs;
} sst_entry;

typedef struct xlsx {
    imp_zip zp;
    imp_file *f;
    cadre_diags *diags;
    bool date1904;
    char *wb_part, *sheet_part, *sst_part, *styles_part;
    uint8_t *xf_date, *xf_enc; /* per cell style */
    size_t n_xf;
    sst_entry *sst;
    size_t n_sst, cap_sst;
    imp_buf sst_text;
    imp_buf val;               /* a node's text, or a string's plain text */
    imp_buf segs;              /* a rich string's segments */
    imp_buf tmp;               /* a cell's decoded text */
} xlsx;

static const xmlChar *lname(xmlTextReaderPtr r)
{
    const xmlChar *n = xmlTextReaderConstLocalName(r);
    return n ? n : BAD_CAST "";
}

/* A whole number attribute ("12"); -1 when it is none. */
static int to_int(const char *s)
{
    char *end;
    long v = strtol(s, &end, 10);
    return end == s || *end || v < 0 || v > 0x7FFFFFFF ? -1 : (int)v;
}

static bool is(const xmlChar *a, const char *b)
{
    return strcmp((const char *)a, b) == 0;
}

/* strlcpy: attribute values are copied often (snprintf showed) */
static void copy_text(char *buf, size_t size, const char *s)
{
    size_t n = strlen(s);
    if (n >= size)
        n = size - 1;
    memcpy(buf, s, n);
    buf[n] = '\0';
}

/* The value of the attribute with local name `name` of the current
 * element, copied into buf (empty when absent). */
static const char *attr(xmlTextReaderPtr r, const char *name, char *buf,
                        size_t size)
{
    buf[0] = '\0';
    if (xmlTextReaderMoveToFirstAttribute(r) != 1)
        return buf;
    do {
        if (is(lname(r), name)) {
            const xmlChar *v = xmlTextReaderConstValue(r);
            copy_text(buf, size, v ? (const char *)v : "");
            break;
        }
    } while (xmlTextReaderMoveToNextAttribute(r) == 1);
    xmlTextReaderMoveToElement(r);
    return buf;
}

/* Read a part node by node; `fn` gets every element start (and the
 * reader).  Returns CADRE_OK or CADRE_EIO (error added). */
typedef int (*elem_fn)(xlsx *x, void *ctx, xmlTextReaderPtr r, int depth);

static cadre_error walk(xlsx *x, const char *part, bool optional,
                        elem_fn fn, void *ctx)
{
    bool missing = false;
    imp_part *p = imp_part_open(&x->zp, part, optional ? &missing : NULL,
                                x->diags);
    if (!p)
        return missing ? CADRE_OK : CADRE_EIO;
    xmlTextReaderPtr r = imp_part_reader(p);
    int ret;
    while ((ret = xmlTextReaderRead(r)) == 1) {
        int t = xmlTextReaderNodeType(r);
        if (t == XML_READER_TYPE_DOCUMENT_TYPE) {
            cadre_diags_error(x->diags, x->zp.path, 0, "refused: part %s "
                              "has a DTD (<!DOCTYPE>)", part);
            imp_part_close(p, x->diags);
            return CADRE_EIO;
        }
        if (t == XML_READER_TYPE_ELEMENT &&
            fn(x, ctx, r, xmlTextReaderDepth(r)) != 0)
            break;
    }
    if (ret < 0)
        imp_part_failed(p, x->diags);
    return imp_part_close(p, x->diags);
}

/* ---------------------------------------------------- paths and rels */

/* Resolve `target` of a relationship in part `from` ("xl/workbook.xml"). */
static char *resolve(const char *from, const char *target)
{
    if (target[0] == '/')
        return strdup(target + 1);
    const char *slash = strrchr(from, '/');
    size_t dir = slash ? (size_t)(slash - from + 1) : 0;
    char *out = malloc(dir + strlen(target) + 1);
    if (!out)
        return NULL;
    memcpy(out, from, dir);
    strcpy(out + dir, target);
    /* fold "a/../b" and "./" */
    char *s;
    while ((s = strstr(out, "/../")) != NULL) {
        char *prev = s;
        while (prev > out && prev[-1] != '/')
            prev--;
        memmove(prev, s + 4, strlen(s + 4) + 1);
    }
    while ((s = strstr(out, "./")) == out)
        memmove(out, out + 2, strlen(out + 2) + 1);
    return out;
}

/* The rels part of a part: "xl/workbook.xml" -> "xl/_rels/workbook.xml.rels" */
static char *rels_of(const char *part)
{
    const char *slash = strrchr(part, '/');
    size_t dir = slash ? (size_t)(slash - part + 1) : 0;
    size_t n = strlen(part) + 16;
    char *out = malloc(n);
    if (out)
        snprintf(out, n, "%.*s_rels/%s.rels", (int)dir, part, part + dir);
    return out;
}

typedef struct rels_ctx {
    const char *want_id;   /* a relationship id, or NULL */
    char *found;           /* its target */
    char *office, *sst, *styles; /* targets by type */
} rels_ctx;

static int on_rel(xlsx *x, void *ctx, xmlTextReaderPtr r, int depth)
{
    (void)x, (void)depth;
    if (!is(lname(r), "Relationship"))
        return 0;
    char id[256], type[512], target[1024];
    attr(r, "Id", id, sizeof id);
    attr(r, "Type", type, sizeof type);
    attr(r, "Target", target, sizeof target);
    const char *t = strrchr(type, '/');
    t = t ? t + 1 : type;
    rels_ctx *c = ctx;
    char **slot = NULL;
    if (c->want_id && strcmp(id, c->want_id) == 0)
        slot = &c->found;
    else if (strcmp(t, "officeDocument") == 0)
        slot = &c->office;
    else if (strcmp(t, "sharedStrings") == 0)
        slot = &c->sst;
    else if (strcmp(t, "styles") == 0)
        slot = &c->styles;
    if (slot && !*slot)
        *slot = strdup(target);
    return 0;
}

static cadre_error read_rels(xlsx *x, const char *part, rels_ctx *c)
{
    char *rp = rels_of(part);
    if (!rp)
        return CADRE_ENOMEM;
    cadre_error err = walk(x, rp, true, on_rel, c);
    free(rp);
    return err;
}

/* ------------------------------------------------------------ workbook */

typedef struct sheet_ref {
    char name[256]; /* as written */
    char rid[256];
    bool hidden;
} sheet_ref;

typedef struct wb_ctx {
    const char *want;   /* the sheet asked for, or NULL */
    sheet_ref chosen;   /* the sheet to read */
    bool have;
    imp_buf names;      /* every sheet's name, for a message */
} wb_ctx;

static int on_workbook(xlsx *x, void *ctx, xmlTextReaderPtr r, int depth)
{
    (void)depth;
    wb_ctx *w = ctx;
    const xmlChar *n = lname(r);
    char buf[16];
    if (is(n, "workbookPr")) {
        attr(r, "date1904", buf, sizeof buf);
        x->date1904 = strcmp(buf, "1") == 0 || strcmp(buf, "true") == 0;
    } else if (is(n, "sheet")) {
        sheet_ref s;
        char state[32];
        attr(r, "name", s.name, sizeof s.name);
        attr(r, "id", s.rid, sizeof s.rid);
        attr(r, "state", state, sizeof state);
        s.hidden = state[0] && strcmp(state, "visible") != 0;
        imp_sheets_add(&w->names, s.name);
        bool take = w->want ? !w->have && strcmp(s.name, w->want) == 0
                            : !w->have || (w->chosen.hidden && !s.hidden);
        if (take) {
            w->chosen = s;
            w->have = true;
        }
    }
    return 0;
}

/* -------------------------------------------------------------- styles */

/* A number format shows a date when it has a day, month or year part
 * outside quotes, brackets and escapes (minutes are m too: a format with
 * an hour or a second and no d or y is a time). */
static bool format_is_date(const char *code)
{
    bool d = false, m = false, y = false, hs = false;
    for (const char *p = code; *p; p++) {
        switch (*p) {
        case '"':
            p = strchr(p + 1, '"');
            if (!p)
                return false;
            break;
        case '[':
            p = strchr(p + 1, ']');
            if (!p)
                return false;
            break;
        case '\\':
        case '_':
        case '*':
            if (!*++p)
                return d || y;
            break;
        case ';':
            return d || y || (m && !hs); /* the positive section decides */
        case 'd': case 'D': d = true; break;
        case 'y': case 'Y': y = true; break;
        case 'm': case 'M': m = true; break;
        case 'h': case 'H': case 's': case 'S': hs = true; break;
        default: break;
        }
    }
    return d || y || (m && !hs);
}

static bool builtin_date(int id)
{
    return (id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 36) ||
           (id >= 50 && id <= 58);
}

typedef struct styles_ctx {
    int *date_fmts;      /* custom format ids that are dates */
    size_t n_date_fmts, cap_date_fmts;
    uint8_t *font_enc;   /* per font */
    size_t n_fonts, cap_fonts;
    int in;              /* 1 in <fonts>, 2 in <cellXfs>, 0 elsewhere */
    int font_depth;      /* depth of the current <font> */
    int *xf_fmt, *xf_font;
    size_t n_xf, cap_fmt, cap_font;
} styles_ctx;

static int on_styles(xlsx *x, void *ctx, xmlTextReaderPtr r, int depth)
{
    (void)x;
    styles_ctx *s = ctx;
    const xmlChar *n = lname(r);
    char buf[256];
    if (depth == 1) {
        s->in = is(n, "fonts") ? 1 : is(n, "cellXfs") ? 2 : 0;
        if (is(n, "numFmts"))
            s->in = 3;
        return 0;
    }
    if (s->in == 3 && is(n, "numFmt")) {
        char code[512];
        attr(r, "numFmtId", buf, sizeof buf);
        attr(r, "formatCode", code, sizeof code);
        if (format_is_date(code) &&
            GROW(s->date_fmts, s->cap_date_fmts, s->n_date_fmts + 1))
            s->date_fmts[s->n_date_fmts++] = to_int(buf);
    } else if (s->in == 1 && depth == 2 && is(n, "font")) {
        if (GROW(s->font_enc, s->cap_fonts, s->n_fonts + 1))
            s->font_enc[s->n_fonts++] = IMP_ENC_NONE;
    } else if (s->in == 1 && depth == 3 && is(n, "name") && s->n_fonts) {
        attr(r, "val", buf, sizeof buf);
        s->font_enc[s->n_fonts - 1] =
            (uint8_t)imp_font_encoding(buf, strlen(buf));
    } else if (s->in == 2 && depth == 2 && is(n, "xf")) {
        if (GROW(s->xf_fmt, s->cap_fmt, s->n_xf + 1) &&
            GROW(s->xf_font, s->cap_font, s->n_xf + 1)) {
            s->xf_fmt[s->n_xf] = to_int(attr(r, "numFmtId", buf, sizeof buf));
            s->xf_font[s->n_xf] = to_int(attr(r, "fontId", buf, sizeof buf));
            s->n_xf++;
        }
    }
    return 0;
}

static cadre_error read_styles(xlsx *x)
{
    if (!x->styles_part)
        return CADRE_OK;
    styles_ctx s;
    memset(&s, 0, sizeof s);
    cadre_error err = walk(x, x->styles_part, true, on_styles, &s);
    if (err == CADRE_OK && s.n_xf) {
        x->xf_date = calloc(s.n_xf, 1);
        x->xf_enc = calloc(s.n_xf, 1);
        if (!x->xf_date || !x->xf_enc)
            err = CADRE_ENOMEM;
        for (size_t i = 0; err == CADRE_OK && i < s.n_xf; i++) {
            int fmt = s.xf_fmt[i];
            bool date = builtin_date(fmt);
            for (size_t j = 0; j < s.n_date_fmts && !date; j++)
                date = s.date_fmts[j] == fmt;
            x->xf_date[i] = date;
            int font = s.xf_font[i];
            x->xf_enc[i] = font >= 0 && (size_t)font < s.n_fonts
                               ? s.font_enc[font] : IMP_ENC_NONE;
        }
        x->n_xf = s.n_xf;
    }
    free(s.date_fmts);
    free(s.font_enc);
    free(s.xf_fmt);
    free(s.xf_font);
    return err;
}

/* ------------------------------------------------------ shared strings */

/* Append text with the _xHHHH_ escapes of ECMA-376 (ST_Xstring) decoded. */
static bool add_escaped(imp_buf *b, const char *s, size_t n)
{
    const char *u = memchr(s, '_', n);
    if (!u)
        return imp_buf_add(b, s, n);
    size_t i = 0;
    while (i < n) {
        const char *p = memchr(s + i, '_', n - i);
        if (!p)
            return imp_buf_add(b, s + i, n - i);
        size_t at = (size_t)(p - s);
        if (!imp_buf_add(b, s + i, at - i))
            return false;
        unsigned v = 0;
        bool esc = at + 7 <= n && s[at + 1] == 'x' && s[at + 6] == '_';
        for (size_t k = 2; esc && k < 6; k++) {
            char c = s[at + k];
            int h = c >= '0' && c <= '9' ? c - '0'
                    : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            esc = h >= 0;
            v = v * 16 + (unsigned)(h < 0 ? 0 : h);
        }
        if (!esc || (v >= 0xD800 && v <= 0xDFFF)) {
            if (!imp_buf_addc(b, '_'))
                return false;
            i = at + 1;
            continue;
        }
        char enc[4];
        size_t k = 0;
        if (v < 0x80) {
            enc[k++] = (char)v;
        } else if (v < 0x800) {
            enc[k++] = (char)(0xC0 | (v >> 6));
            enc[k++] = (char)(0x80 | (v & 0x3F));
        } else {
            enc[k++] = (char)(0xE0 | (v >> 12));
            enc[k++] = (char)(0x80 | ((v >> 6) & 0x3F));
            enc[k++] = (char)(0x80 | (v & 0x3F));
        }
        if (!imp_buf_add(b, enc, k))
            return false;
        i = at + 7;
    }
    return true;
}

/* Read a <si> or <is> subtree at the reader's current element into
 * x->val: plain text, or segments when runs name legacy fonts.  Returns
 * whether segments were made, or -1 on a reader failure. */
static int read_rich(xmlTextReaderPtr r, imp_buf *plain,
                     imp_buf *segs)
{
    int top = xmlTextReaderDepth(r);
    if (xmlTextReaderIsEmptyElement(r))
        return 0;
    bool in_t = false, in_r = false, own_font = false;
    int run_enc = IMP_ENC_INHERIT;
    size_t run_start = 0;
    plain->len = 0;
    segs->len = 0;
    int ret;
    while ((ret = xmlTextReaderRead(r)) == 1) {
        int t = xmlTextReaderNodeType(r);
        int depth = xmlTextReaderDepth(r);
        if (t == XML_READER_TYPE_END_ELEMENT && depth == top)
            break;
        if (t == XML_READER_TYPE_ELEMENT) {
            const xmlChar *n = lname(r);
            if (is(n, "rPh") || is(n, "phoneticPr")) {
                if (xmlTextReaderNext(r) != 1)
                    return -1;
                /* Next() moved to the sibling: look at it again */
                t = xmlTextReaderNodeType(r);
                if (t == XML_READER_TYPE_END_ELEMENT &&
                    xmlTextReaderDepth(r) == top)
                    break;
                if (t != XML_READER_TYPE_ELEMENT)
                    continue;
                n = lname(r);
            }
            if (is(n, "r")) {
                in_r = !xmlTextReaderIsEmptyElement(r);
                run_enc = IMP_ENC_INHERIT;
                run_start = plain->len;
            } else if (is(n, "rFont") && in_r) {
                char buf[256];
                attr(r, "val", buf, sizeof buf);
                run_enc = imp_font_encoding(buf, strlen(buf));
                own_font = true;
            } else if (is(n, "t")) {
                in_t = !xmlTextReaderIsEmptyElement(r);
            }
        } else if (t == XML_READER_TYPE_END_ELEMENT) {
            const xmlChar *n = lname(r);
            if (is(n, "t")) {
                in_t = false;
            } else if (is(n, "r") && in_r) {
                in_r = false;
                uint8_t e = (uint8_t)run_enc;
                uint32_t len = (uint32_t)(plain->len - run_start);
                if (!imp_buf_add(segs, &e, 1) || !imp_buf_add(segs, &len, 4) ||
                    !imp_buf_add(segs, plain->p + run_start, len))
                    return -1;
            }
        } else if (in_t && (t == XML_READER_TYPE_TEXT ||
                            t == XML_READER_TYPE_CDATA ||
                            t == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
                            t == XML_READER_TYPE_WHITESPACE)) {
            const char *v = (const char *)xmlTextReaderConstValue(r);
            if (v) {
                size_t start = plain->len;
                if (!add_escaped(plain, v, strlen(v)))
                    return -1;
                if (!in_r) {
                    /* text outside a run: a segment of the cell's font */
                    uint8_t e = IMP_ENC_INHERIT;
                    uint32_t len = (uint32_t)(plain->len - start);
                    if (!imp_buf_add(segs, &e, 1) ||
                        !imp_buf_add(segs, &len, 4) ||
                        !imp_buf_add(segs, plain->p + start, len))
                        return -1;
                }
            }
        }
    }
    if (ret < 0)
        return -1;
    return own_font;
}

static int on_sst(xlsx *x, void *ctx, xmlTextReaderPtr r, int depth)
{
    (void)depth, (void)ctx;
    if (!is(lname(r), "si"))
        return 0;
    int rich = read_rich(r, &x->val, &x->segs);
    if (rich < 0)
        return 1;
    if (!GROW(x->sst, x->cap_sst, x->n_sst + 1))
        return 1;
    imp_buf *src = rich ? &x->segs : &x->val;
    sst_entry *e = &x->sst[x->n_sst++];
    e->off = (uint32_t)x->sst_text.len;
    e->len = (uint32_t)src->len;
    e->runs = rich > 0;
    if (x->sst_text.len + src->len > UINT32_MAX - 1 ||
        !imp_buf_add(&x->sst_text, src->p ? src->p : "", src->len))
        return 1;
    return 0;
}

/* Decode a cell's text (plain or segments) in the cell font's encoding
 * into x->tmp. */
static bool decode_text(xlsx *x, const char *s, size_t n, bool segs, int enc)
{
    x->tmp.len = 0;
    if (!segs)
        return imp_legacy_decode(enc, s, n, &x->tmp) &&
               imp_buf_add(&x->tmp, "", 0);
    for (size_t i = 0; i + 5 <= n;) {
        int e = (unsigned char)s[i];
        uint32_t len;
        memcpy(&len, s + i + 1, 4);
        i += 5;
        if (len > n - i)
            break;
        if (!imp_legacy_decode(e == IMP_ENC_INHERIT ? enc : e, s + i, len,
                               &x->tmp))
            return false;
        i += len;
    }
    return imp_buf_add(&x->tmp, "", 0);
}

/* ---------------------------------------------------------------- sheet */

/* "F12" -> column 5 (row ignored: the row element says it). */
static bool parse_ref(const char *s, uint32_t *col, uint32_t *row)
{
    uint32_t c = 0, r = 0;
    size_t i = 0;
    while (s[i] >= 'A' && s[i] <= 'Z' && i < 4)
        c = c * 26 + (uint32_t)(s[i++] - 'A' + 1);
    if (i == 0 || c > IMP_MAX_COLS)
        return false;
    size_t j = i;
    while (s[j] >= '0' && s[j] <= '9' && j - i < 8)
        r = r * 10 + (uint32_t)(s[j++] - '0');
    if (s[j] || j == i)
        return false;
    *col = c - 1;
    if (row)
        *row = r;
    return true;
}

static bool parse_range(const char *s, imp_merge *m)
{
    const char *colon = strchr(s, ':');
    char a[32];
    if (!colon || (size_t)(colon - s) >= sizeof a)
        return false;
    memcpy(a, s, (size_t)(colon - s));
    a[colon - s] = '\0';
    uint32_t c1, r1, c2, r2;
    if (!parse_ref(a, &c1, &r1) || !parse_ref(colon + 1, &c2, &r2) || !r1 ||
        !r2)
        return false;
    *m = (imp_merge){r1 - 1, c1, r2 - 1, c2};
    return true;
}

typedef struct sheet_state {
    imp_rowbuf rb;
    uint32_t row;        /* current row, 1-based */
    uint32_t next_col;   /* for cells without r */
    bool in_data;
} sheet_state;

/* The names the sheet loop compares by pointer (libxml2 interns them). */
typedef struct names {
    const xmlChar *row, *c, *v, *f, *is, *r, *s, *t, *mergeCell, *ref,
        *sheetData;
} names;

static int finish_cell(xlsx *x, sheet_state *st, uint32_t col, int style,
                       const char *type, bool has_v, bool has_f)
{
    imp_rowbuf *rb = &st->rb;
    int enc = style >= 0 && (size_t)style < x->n_xf ? x->xf_enc[style] : 0;
    bool date = style >= 0 && (size_t)style < x->n_xf && x->xf_date[style];
    const char *v = x->val.p ? x->val.p : "";
    imp_cell *c;
    if (has_f && (!has_v || (x->val.len == 0 && strcmp(type, "str") != 0))) {
        c = imp_rowbuf_add(rb, col, IMP_NOCACHE, NULL, 0);
        return c ? 0 : -1;
    }
    if (!has_v)
        return 0;
    switch (type[0]) {
    case 's':
        if (type[1] == '\0') {
            char *end;
            unsigned long i = strtoul(v, &end, 10);
            if (*end || end == v || i >= x->n_sst) {
                imp_rowbuf_add(rb, col, IMP_ERROR, "#REF!", 5);
                return 0;
            }
            sst_entry *e = &x->sst[i];
            const char *s = x->sst_text.p + e->off;
            if (!e->runs && enc == IMP_ENC_NONE) {
                c = imp_rowbuf_add(rb, col, IMP_TEXT, s, e->len);
            } else {
                if (!decode_text(x, s, e->len, e->runs, enc))
                    return -1;
                c = imp_rowbuf_add(rb, col, IMP_TEXT, x->tmp.p, x->tmp.len);
            }
            return c ? 0 : -1;
        }
        /* "str": a formula's text */
        x->segs.len = 0;
        if (!add_escaped(&x->segs, v, x->val.len) ||
            !decode_text(x, x->segs.p ? x->segs.p : "", x->segs.len, false,
                         enc))
            return -1;
        c = imp_rowbuf_add(rb, col, IMP_TEXT, x->tmp.p, x->tmp.len);
        return c ? 0 : -1;
    case 'b':
        c = imp_rowbuf_add(rb, col, IMP_BOOL, NULL, 0);
        if (c)
            c->num = v[0] == '1' || v[0] == 't';
        return c ? 0 : -1;
    case 'e':
        c = imp_rowbuf_add(rb, col, IMP_ERROR, v, x->val.len);
        return c ? 0 : -1;
    case 'd': {
        cadre_date d;
        char day[11];
        snprintf(day, sizeof day, "%.10s", v);
        if (cadre_date_parse(day, 0, &d) != 0) {
            c = imp_rowbuf_add(rb, col, IMP_TEXT, v, x->val.len);
        } else {
            c = imp_rowbuf_add(rb, col, IMP_DATE, NULL, 0);
            if (c)
                c->date = d;
        }
        return c ? 0 : -1;
    }
    default: {
        double d;
        if (!imp_number(v, &d)) {
            c = imp_rowbuf_add(rb, col, IMP_TEXT, v, x->val.len);
            return c ? 0 : -1;
        }
        c = imp_rowbuf_add(rb, col, IMP_NUMBER, NULL, 0);
        if (c) {
            c->num = d;
            c->date_fmt = date;
        }
        return c ? 0 : -1;
    }
    }
}

static cadre_error read_sheet(xlsx *x, imp_sink *sink)
{
    imp_part *p = imp_part_open(&x->zp, x->sheet_part, NULL, x->diags);
    if (!p)
        return CADRE_EIO;
    xmlTextReaderPtr r = imp_part_reader(p);
    names nm = {
        xmlTextReaderConstString(r, BAD_CAST "row"),
        xmlTextReaderConstString(r, BAD_CAST "c"),
        xmlTextReaderConstString(r, BAD_CAST "v"),
        xmlTextReaderConstString(r, BAD_CAST "f"),
        xmlTextReaderConstString(r, BAD_CAST "is"),
        xmlTextReaderConstString(r, BAD_CAST "r"),
        xmlTextReaderConstString(r, BAD_CAST "s"),
        xmlTextReaderConstString(r, BAD_CAST "t"),
        xmlTextReaderConstString(r, BAD_CAST "mergeCell"),
        xmlTextReaderConstString(r, BAD_CAST "ref"),
        xmlTextReaderConstString(r, BAD_CAST "sheetData"),
    };
    sheet_state st;
    memset(&st, 0, sizeof st);
    imp_file *f = x->f;
    imp_merges *found = &f->merges;
    imp_rowbuf_init(&st.rb, f->merges_known ? &f->merges : NULL);
    cadre_error err = CADRE_OK;
    bool in_v = false, has_v = false, has_f = false, in_cell = false;
    bool stop = false;
    uint32_t col = 0;
    int style = -1;
    char type[8] = "";
    int ret;
    while (!stop && (ret = xmlTextReaderRead(r)) == 1) {
        int t = xmlTextReaderNodeType(r);
        if (t == XML_READER_TYPE_ELEMENT) {
            const xmlChar *n = xmlTextReaderConstLocalName(r);
            if (n == nm.c) {
                col = st.next_col;
                style = -1;
                type[0] = '\0';
                has_v = has_f = false;
                x->val.len = 0;
                bool empty = xmlTextReaderIsEmptyElement(r);
                if (xmlTextReaderMoveToFirstAttribute(r) == 1) {
                    do {
                        const xmlChar *a = xmlTextReaderConstLocalName(r);
                        const char *av = (const char *)xmlTextReaderConstValue(r);
                        if (!av)
                            continue;
                        if (a == nm.r) {
                            uint32_t cc;
                            if (parse_ref(av, &cc, NULL))
                                col = cc;
                        } else if (a == nm.s) {
                            style = to_int(av);
                        } else if (a == nm.t) {
                            copy_text(type, sizeof type, av);
                        }
                    } while (xmlTextReaderMoveToNextAttribute(r) == 1);
                    xmlTextReaderMoveToElement(r);
                }
                st.next_col = col + 1;
                in_cell = !empty;
            } else if (n == nm.v && in_cell) {
                in_v = !xmlTextReaderIsEmptyElement(r);
                has_v = true;
            } else if (n == nm.f && in_cell) {
                has_f = true;
            } else if (n == nm.is && in_cell) {
                int rich = read_rich(r, &x->val, &x->segs);
                if (rich < 0)
                    break;
                int enc = style >= 0 && (size_t)style < x->n_xf
                              ? x->xf_enc[style] : 0;
                const imp_buf *raw = rich ? &x->segs : &x->val;
                if (!decode_text(x, raw->p ? raw->p : "", raw->len, rich > 0,
                                 enc) ||
                    !imp_rowbuf_add(&st.rb, col, IMP_TEXT, x->tmp.p,
                                    x->tmp.len)) {
                    err = CADRE_ENOMEM;
                    break;
                }
                has_v = false;
                type[0] = 'i'; /* done: nothing at </c> */
            } else if (n == nm.row) {
                char buf[16];
                uint32_t rr = st.row + 1;
                attr(r, "r", buf, sizeof buf);
                if (buf[0]) {
                    unsigned long v = strtoul(buf, NULL, 10);
                    if (v >= 1 && v <= IMP_MAX_ROWS)
                        rr = (uint32_t)v;
                }
                st.row = rr;
                st.next_col = 0;
                if (xmlTextReaderIsEmptyElement(r))
                    continue;
            } else if (n == nm.mergeCell && !f->merges_known) {
                char buf[64];
                imp_merge m;
                attr(r, "ref", buf, sizeof buf);
                if (parse_range(buf, &m) &&
                    !imp_merges_add(found, m.r1, m.c1, m.r2, m.c2)) {
                    err = CADRE_ENOMEM;
                    break;
                }
            }
        } else if (t == XML_READER_TYPE_TEXT ||
                   t == XML_READER_TYPE_SIGNIFICANT_WHITESPACE ||
                   t == XML_READER_TYPE_CDATA) {
            if (in_v) {
                const char *v = (const char *)xmlTextReaderConstValue(r);
                if (v && !imp_buf_add(&x->val, v, strlen(v))) {
                    err = CADRE_ENOMEM;
                    break;
                }
            }
        } else if (t == XML_READER_TYPE_END_ELEMENT) {
            const xmlChar *n = xmlTextReaderConstLocalName(r);
            if (n == nm.v) {
                in_v = false;
            } else if (n == nm.c) {
                in_cell = false;
                if (type[0] != 'i' &&
                    finish_cell(x, &st, col, style, type, has_v, has_f) != 0) {
                    err = CADRE_ENOMEM;
                    break;
                }
            } else if (n == nm.row) {
                int s = imp_rowbuf_send(&st.rb, st.row, sink);
                if (s < 0) {
                    err = CADRE_ENOMEM;
                    break;
                }
                stop = s != 0;
            }
        } else if (t == XML_READER_TYPE_DOCUMENT_TYPE) {
            cadre_diags_error(x->diags, x->zp.path, 0, "refused: part %s has "
                              "a DTD (<!DOCTYPE>)", x->sheet_part);
            err = CADRE_EIO;
            break;
        }
    }
    if (!stop && err == CADRE_OK && ret < 0) {
        imp_part_failed(p, x->diags);
        err = CADRE_EIO;
    }
    cadre_error cerr = imp_part_close(p, x->diags);
    if (err == CADRE_OK)
        err = cerr;
    if (err == CADRE_ENOMEM)
        cadre_diags_error(x->diags, x->zp.path, 0, "out of memory");
    imp_rowbuf_release(&st.rb);
    imp_merges_sort(found);
    return err;
}

/* ---------------------------------------------------------------- read */

static void release(xlsx *x)
{
    imp_zip_close(&x->zp);
    free(x->wb_part);
    free(x->sheet_part);
    free(x->sst_part);
    free(x->styles_part);
    free(x->xf_date);
    free(x->xf_enc);
    free(x->sst);
    imp_buf_free(&x->sst_text);
    imp_buf_free(&x->tmp);
    imp_buf_free(&x->val);
    imp_buf_free(&x->segs);
}

cadre_error imp_xlsx_read(imp_file *f, const char *sheet, imp_sink *sink,
                          cadre_diags *diags)
{
    xlsx x;
    memset(&x, 0, sizeof x);
    x.f = f;
    x.diags = diags;
    if (!f->merges_known)
        imp_merges_free(&f->merges);
    if (!imp_zip_open(&x.zp, f->path, diags)) {
        release(&x);
        return CADRE_EIO;
    }
    cadre_error err;
    rels_ctx root = {0};
    if ((err = read_rels(&x, "", &root)) != CADRE_OK)
        goto out;
    x.wb_part = root.office ? resolve("", root.office)
                            : strdup("xl/workbook.xml");
    free(root.office);
    free(root.sst);
    free(root.styles);
    free(root.found);
    wb_ctx wb;
    memset(&wb, 0, sizeof wb);
    wb.want = sheet;
    err = x.wb_part ? walk(&x, x.wb_part, false, on_workbook, &wb)
                    : CADRE_ENOMEM;
    if (err == CADRE_OK && !wb.have) {
        imp_no_sheet(f, sheet, &wb.names, diags);
        err = CADRE_ENOTFOUND;
    }
    imp_buf_free(&wb.names);
    if (err != CADRE_OK)
        goto out;
    rels_ctx wr = {.want_id = wb.chosen.rid};
    err = read_rels(&x, x.wb_part, &wr);
    if (err == CADRE_OK && wr.found)
        x.sheet_part = resolve(x.wb_part, wr.found);
    if (err == CADRE_OK && wr.sst)
        x.sst_part = resolve(x.wb_part, wr.sst);
    if (err == CADRE_OK && wr.styles)
        x.styles_part = resolve(x.wb_part, wr.styles);
    free(wr.found);
    free(wr.sst);
    free(wr.styles);
    free(wr.office);
    if (err != CADRE_OK)
        goto out;
    if (!x.sheet_part) {
        cadre_diags_error(diags, f->path, 0, "the workbook names no part "
                          "for sheet '%s'", wb.chosen.name);
        err = CADRE_EIO;
        goto out;
    }
    f->date1904 = x.date1904;
    if (!imp_file_set_sheet(f, wb.chosen.name, strlen(wb.chosen.name))) {
        err = CADRE_ENOMEM;
        goto out;
    }
    if ((err = read_styles(&x)) != CADRE_OK)
        goto out;
    if (x.sst_part && (err = walk(&x, x.sst_part, true, on_sst, NULL)) != CADRE_OK)
        goto out;
    err = read_sheet(&x, sink);
out:
    release(&x);
    return err;
}
