/*
 * import_xlsx.c - Office Open XML workbooks (.xlsx, also .xlsm: macros
 * are never run, only the cells are read).
 *
 * The order matters: the workbook (sheets, the 1904 date system), its
 * relationships, the styles (which cells are dates, which fonts are
 * TCVN3 or VNI), the shared strings, and only then the sheet; memory is
 * the shared-strings table and one row.  The small parts are walked with
 * libxml2's text reader, the shared strings and the sheet go through its
 * SAX2 push parser (half the text reader's cost on a sheet).
 * Merged ranges are listed after the cells (<mergeCells> ends the sheet):
 * the first pass reports them, and the table asks for a second pass only
 * when one of them covers a cell it reads (import_table.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
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
    size_t tlen = strlen(target);
    char *out = malloc(dir + tlen + 1);
    if (!out)
        return NULL;
    memcpy(out, from, dir);
    memcpy(out + dir, target, tlen + 1);
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

/* The text of a <si> or <is> as SAX2 gives it: plain text (escapes
 * decoded), and segments when runs name their own fonts (a run's text is
 * a segment of its font; text outside runs one of the cell's).  Phonetic
 * runs (<rPh>, <phoneticPr>) are no part of the text. */
typedef struct rich {
    imp_buf *plain;       /* the text (x->val) */
    imp_buf *segs;        /* its segments (x->segs) */
    imp_buf raw;          /* the current <t>'s text as it comes */
    int skip;             /* depth inside a phonetic element */
    bool in_t, in_r;      /* inside a <t>, a run <r> */
    bool own_font;        /* a run named its font: segs is the text */
    int run_enc;          /* the current run's encoding */
    size_t run_start;     /* where its text starts in plain */
} rich;

/* The value of attribute `name` among SAX2's (local, prefix, URI, value,
 * end) quintuples, copied into buf (empty when absent). */
static const char *sax_attr(int n, const xmlChar **a, const char *name,
                            char *buf, size_t size)
{
    buf[0] = '\0';
    for (int i = 0; i < n; i++, a += 5) {
        if (!is(a[0], name))
            continue;
        size_t len = (size_t)(a[4] - a[3]);
        if (len >= size)
            len = size - 1;
        memcpy(buf, a[3], len);
        buf[len] = '\0';
        break;
    }
    return buf;
}

static void rich_begin(rich *rc)
{
    rc->plain->len = 0;
    rc->segs->len = 0;
    rc->raw.len = 0;
    rc->skip = 0;
    rc->in_t = rc->in_r = rc->own_font = false;
    rc->run_enc = IMP_ENC_INHERIT;
}

static bool add_segment(imp_buf *segs, int enc, const char *s, size_t n)
{
    uint8_t e = (uint8_t)enc;
    uint32_t len = (uint32_t)n;
    return imp_buf_add(segs, &e, 1) && imp_buf_add(segs, &len, 4) &&
           imp_buf_add(segs, s, n);
}

static void rich_start(rich *rc, const xmlChar *n, int n_attr,
                       const xmlChar **attrs)
{
    if (rc->skip || is(n, "rPh") || is(n, "phoneticPr")) {
        rc->skip++;
    } else if (is(n, "r")) {
        rc->in_r = true;
        rc->run_enc = IMP_ENC_INHERIT;
        rc->run_start = rc->plain->len;
    } else if (is(n, "rFont") && rc->in_r) {
        char buf[256];
        sax_attr(n_attr, attrs, "val", buf, sizeof buf);
        rc->run_enc = imp_font_encoding(buf, strlen(buf));
        rc->own_font = true;
    } else if (is(n, "t")) {
        rc->in_t = true;
        rc->raw.len = 0;
    }
}

/* False when out of memory. */
static bool rich_end(rich *rc, const xmlChar *n)
{
    if (rc->skip) {
        rc->skip--;
    } else if (is(n, "t") && rc->in_t) {
        rc->in_t = false;
        size_t start = rc->plain->len;
        if (!add_escaped(rc->plain, rc->raw.p ? rc->raw.p : "", rc->raw.len))
            return false;
        /* text outside a run: a segment of the cell's font */
        if (!rc->in_r && !add_segment(rc->segs, IMP_ENC_INHERIT,
                                      rc->plain->p + start,
                                      rc->plain->len - start))
            return false;
    } else if (is(n, "r") && rc->in_r) {
        rc->in_r = false;
        if (!add_segment(rc->segs, rc->run_enc, rc->plain->p + rc->run_start,
                         rc->plain->len - rc->run_start))
            return false;
    }
    return true;
}

/* A cell holds at most 32,767 characters in Excel; a text past 10 MB is
 * no cell's (libxml2's own limit on a text node, which SAX2 gives in
 * pieces). */
#define MAX_TEXT 10000000

/* CADRE_EIO when the text grows too long, CADRE_ENOMEM when memory is
 * short. */
static cadre_error add_text(imp_buf *b, const xmlChar *s, int len)
{
    if (b->len + (size_t)len > MAX_TEXT)
        return CADRE_EIO;
    return imp_buf_add(b, (const char *)s, (size_t)len) ? CADRE_OK
                                                        : CADRE_ENOMEM;
}

/* ------------------------------------------------- shared strings, SAX */

typedef struct sst_sax {
    xlsx *x;
    rich rc;             /* the string being read */
    bool in_si;          /* inside an <si> */
    cadre_error err;     /* a handler's failure (add_text()) */
} sst_sax;

static void sst_start(void *ctx, const xmlChar *n, const xmlChar *prefix,
                      const xmlChar *uri, int n_ns, const xmlChar **ns,
                      int n_attr, int n_def, const xmlChar **attrs)
{
    (void)prefix, (void)uri, (void)n_ns, (void)ns, (void)n_def;
    sst_sax *ss = ((imp_sax *)ctx)->user;
    if (ss->in_si) {
        rich_start(&ss->rc, n, n_attr, attrs);
    } else if (is(n, "si")) {
        ss->in_si = true;
        rich_begin(&ss->rc);
    }
}

static void sst_end(void *ctx, const xmlChar *n, const xmlChar *prefix,
                    const xmlChar *uri)
{
    (void)prefix, (void)uri;
    imp_sax *sx = ctx;
    sst_sax *ss = sx->user;
    if (!ss->in_si)
        return;
    if (ss->rc.skip || !is(n, "si")) {
        if (!rich_end(&ss->rc, n)) {
            ss->err = CADRE_ENOMEM;
            imp_sax_stop(sx);
        }
        return;
    }
    ss->in_si = false;
    xlsx *x = ss->x;
    imp_buf *src = ss->rc.own_font ? &x->segs : &x->val;
    if (!GROW(x->sst, x->cap_sst, x->n_sst + 1) ||
        x->sst_text.len + src->len > UINT32_MAX - 1 ||
        !imp_buf_add(&x->sst_text, src->p ? src->p : "", src->len)) {
        ss->err = CADRE_ENOMEM;
        imp_sax_stop(sx);
        return;
    }
    sst_entry *e = &x->sst[x->n_sst++];
    e->off = (uint32_t)(x->sst_text.len - src->len);
    e->len = (uint32_t)src->len;
    e->runs = ss->rc.own_font;
}

static void sst_text(void *ctx, const xmlChar *s, int len)
{
    imp_sax *sx = ctx;
    sst_sax *ss = sx->user;
    if (ss->in_si && ss->rc.in_t && !ss->rc.skip &&
        (ss->err = add_text(&ss->rc.raw, s, len)) != CADRE_OK)
        imp_sax_stop(sx);
}

static cadre_error read_sst(xlsx *x)
{
    sst_sax ss = {.x = x, .rc = {.plain = &x->val, .segs = &x->segs}};
    xmlSAXHandler h;
    memset(&h, 0, sizeof h);
    h.startElementNs = sst_start;
    h.endElementNs = sst_end;
    h.characters = h.cdataBlock = sst_text;
    imp_sax sx = {.user = &ss};
    bool missing;
    cadre_error err = imp_part_sax(&x->zp, x->sst_part, &missing, &h, &sx,
                                   x->diags);
    imp_buf_free(&ss.rc.raw);
    if (err == CADRE_OK && ss.err != CADRE_OK) {
        err = ss.err;
        if (err == CADRE_EIO)
            cadre_diags_error(x->diags, x->zp.path, 0, "part %s: a shared "
                              "string longer than 10 MB", x->sst_part);
        else
            cadre_diags_error(x->diags, x->zp.path, 0, "out of memory");
    }
    return err;
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

/* The sheet as SAX2 gives it: the cell being read, the row being made. */
typedef struct sheet_sax {
    xlsx *x;
    imp_sink *sink;      /* where rows go */
    imp_rowbuf rb;       /* the row being made */
    imp_merges *found;   /* merged ranges met (when not known before) */
    rich rc;             /* an inline string's text */
    uint32_t row;        /* current row, 1-based */
    uint32_t next_col;   /* for cells without r */
    uint32_t col;        /* the cell's */
    int style;           /* its s (0 without one), or -1 when bad */
    char type[8];        /* its t ("s", "str", "b", "e", "d", "n", "")
                            or "i" when its inline string was taken */
    bool in_cell, in_v, in_is; /* inside a <c>, its <v>, its <is> */
    bool has_v, has_f;   /* the cell has a value, a formula */
    cadre_error err;     /* a handler's failure: CADRE_ENOMEM, or
                            CADRE_EIO for a cell past MAX_TEXT */
} sheet_sax;

/* The encoding of cell format `style` (its font's). */
static int xf_enc(const xlsx *x, int style)
{
    return style >= 0 && (size_t)style < x->n_xf ? x->xf_enc[style]
                                                 : IMP_ENC_NONE;
}

static int finish_cell(xlsx *x, imp_rowbuf *rb, uint32_t col, int style,
                       const char *type, bool has_v, bool has_f)
{
    int enc = xf_enc(x, style);
    bool date = (size_t)style < x->n_xf && x->xf_date[style];
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

static void sheet_fail(imp_sax *sx, sheet_sax *sh, cadre_error err)
{
    sh->err = err;
    imp_sax_stop(sx);
}

static void sheet_start(void *ctx, const xmlChar *n, const xmlChar *prefix,
                        const xmlChar *uri, int n_ns, const xmlChar **ns,
                        int n_attr, int n_def, const xmlChar **attrs)
{
    (void)prefix, (void)uri, (void)n_ns, (void)ns, (void)n_def;
    sheet_sax *sh = ((imp_sax *)ctx)->user;
    if (sh->in_is) {
        rich_start(&sh->rc, n, n_attr, attrs);
        return;
    }
    char buf[64];
    switch (n[0]) {
    case 'c':
        if (n[1] != '\0')
            break;
        sh->col = sh->next_col;
        sh->style = 0; /* no s: the first cell format, the default */
        sh->type[0] = '\0';
        sh->has_v = sh->has_f = false;
        sh->x->val.len = 0;
        for (int i = 0; i < n_attr; i++) {
            const xmlChar **a = attrs + 5 * i;
            size_t len = (size_t)(a[4] - a[3]);
            if (len >= sizeof buf)
                continue;
            memcpy(buf, a[3], len);
            buf[len] = '\0';
            uint32_t cc;
            if (is(a[0], "r")) {
                if (parse_ref(buf, &cc, NULL))
                    sh->col = cc;
            } else if (is(a[0], "s")) {
                sh->style = to_int(buf);
            } else if (is(a[0], "t")) {
                copy_text(sh->type, sizeof sh->type, buf);
            }
        }
        sh->next_col = sh->col + 1;
        sh->in_cell = true;
        break;
    case 'v':
        if (n[1] == '\0' && sh->in_cell)
            sh->in_v = sh->has_v = true;
        break;
    case 'f':
        if (n[1] == '\0' && sh->in_cell)
            sh->has_f = true;
        break;
    case 'i':
        if (is(n, "is") && sh->in_cell) {
            sh->in_is = true;
            rich_begin(&sh->rc);
        }
        break;
    case 'r':
        if (is(n, "row")) {
            uint32_t rr = sh->row + 1;
            sax_attr(n_attr, attrs, "r", buf, sizeof buf);
            if (buf[0]) {
                unsigned long v = strtoul(buf, NULL, 10);
                if (v >= 1 && v <= IMP_MAX_ROWS)
                    rr = (uint32_t)v;
            }
            sh->row = rr;
            sh->next_col = 0;
        }
        break;
    case 'm':
        if (is(n, "mergeCell") && sh->found) {
            imp_merge m;
            sax_attr(n_attr, attrs, "ref", buf, sizeof buf);
            if (parse_range(buf, &m) &&
                !imp_merges_add(sh->found, m.r1, m.c1, m.r2, m.c2))
                sheet_fail(ctx, sh, CADRE_ENOMEM);
        }
        break;
    default:
        break;
    }
}

static void sheet_end(void *ctx, const xmlChar *n, const xmlChar *prefix,
                      const xmlChar *uri)
{
    (void)prefix, (void)uri;
    imp_sax *sx = ctx;
    sheet_sax *sh = sx->user;
    xlsx *x = sh->x;
    if (sh->in_is) {
        if (sh->rc.skip || !is(n, "is")) {
            if (!rich_end(&sh->rc, n))
                sheet_fail(sx, sh, CADRE_ENOMEM);
            return;
        }
        sh->in_is = false;
        int enc = xf_enc(x, sh->style);
        const imp_buf *raw = sh->rc.own_font ? &x->segs : &x->val;
        if (!decode_text(x, raw->p ? raw->p : "", raw->len, sh->rc.own_font,
                         enc) ||
            !imp_rowbuf_add(&sh->rb, sh->col, IMP_TEXT, x->tmp.p,
                            x->tmp.len)) {
            sheet_fail(sx, sh, CADRE_ENOMEM);
            return;
        }
        sh->has_v = false;
        sh->type[0] = 'i'; /* done: nothing at </c> */
        return;
    }
    if (n[0] == 'v' && n[1] == '\0') {
        sh->in_v = false;
    } else if (n[0] == 'c' && n[1] == '\0') {
        sh->in_cell = false;
        if (sh->type[0] != 'i' &&
            finish_cell(x, &sh->rb, sh->col, sh->style, sh->type, sh->has_v,
                        sh->has_f) != 0)
            sheet_fail(sx, sh, CADRE_ENOMEM);
    } else if (is(n, "row")) {
        int stop = imp_rowbuf_send(&sh->rb, sh->row, sh->sink);
        if (stop < 0)
            sheet_fail(sx, sh, CADRE_ENOMEM);
        else if (stop)
            imp_sax_stop(sx);
    }
}

static void sheet_text(void *ctx, const xmlChar *s, int len)
{
    imp_sax *sx = ctx;
    sheet_sax *sh = sx->user;
    cadre_error err = CADRE_OK;
    if (sh->in_is) {
        if (sh->rc.in_t && !sh->rc.skip)
            err = add_text(&sh->rc.raw, s, len);
    } else if (sh->in_v) {
        err = add_text(&sh->x->val, s, len);
    }
    if (err != CADRE_OK)
        sheet_fail(sx, sh, err);
}

static cadre_error read_sheet(xlsx *x, imp_sink *sink)
{
    imp_file *f = x->f;
    sheet_sax sh = {.x = x, .sink = sink,
                    .found = f->merges_known ? NULL : &f->merges,
                    .rc = {.plain = &x->val, .segs = &x->segs}};
    imp_rowbuf_init(&sh.rb, f->merges_known ? &f->merges : NULL);
    xmlSAXHandler h;
    memset(&h, 0, sizeof h);
    h.startElementNs = sheet_start;
    h.endElementNs = sheet_end;
    h.characters = h.cdataBlock = sheet_text;
    imp_sax sx = {.user = &sh};
    cadre_error err = imp_part_sax(&x->zp, x->sheet_part, NULL, &h, &sx,
                                   x->diags);
    if (err == CADRE_OK && sh.err != CADRE_OK) {
        err = sh.err;
        if (err == CADRE_EIO)
            cadre_diags_error(x->diags, x->zp.path, 0, "part %s: a cell "
                              "longer than 10 MB", x->sheet_part);
        else
            cadre_diags_error(x->diags, x->zp.path, 0, "out of memory");
    }
    imp_rowbuf_release(&sh.rb);
    imp_buf_free(&sh.rc.raw);
    imp_merges_sort(&f->merges);
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
    if (x.sst_part && (err = read_sst(&x)) != CADRE_OK)
        goto out;
    err = read_sheet(&x, sink);
out:
    release(&x);
    return err;
}
