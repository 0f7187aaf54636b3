/*
 * import_ods.c - OpenDocument spreadsheets (.ods: LibreOffice, and Excel's
 * "Save as ODS").
 *
 * content.xml holds everything: the fonts and the cell styles (with
 * styles.xml's named ones), then the sheets, streamed.  Cells carry their
 * type (office:value-type) and value; runs of equal cells and rows are
 * written once with a repeat count; merged cells say their span on their
 * top-left cell, so ranges are known as they come.  An encrypted package
 * says so in its manifest.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlreader.h>

#include "import_internal.h"
#include "util/grow.h"

/* A style's font: its encoding, or inherited from its parent. */
typedef struct ods_style {
    char *name;
    char *parent;   /* style:parent-style-name, or NULL */
    int enc;        /* IMP_ENC_*, IMP_ENC_INHERIT when it names no font */
    bool hidden;    /* a table style with table:display="false" */
} ods_style;

typedef struct ods_font {
    char *name;     /* style:name of the font-face */
    int enc;        /* of its svg:font-family */
} ods_font;

typedef struct ods {
    imp_zip zp;
    imp_file *f;
    cadre_diags *diags;
    ods_style *styles;
    size_t n_styles, cap_styles;
    ods_font *fonts;
    size_t n_fonts, cap_fonts;
    int *col_enc;          /* the encoding of each column's default style */
    size_t n_cols, cap_cols;
    imp_buf text;          /* the cell's text, decoded run by run */
    imp_buf run;           /* a run's raw text */
} ods;

static const char *lname(xmlTextReaderPtr r)
{
    const xmlChar *n = xmlTextReaderConstLocalName(r);
    return n ? (const char *)n : "";
}

/* The attribute of local name `name`, or NULL (valid until the next read). */
static const char *attr(xmlTextReaderPtr r, const char *name)
{
    const char *v = NULL;
    if (xmlTextReaderMoveToFirstAttribute(r) != 1)
        return NULL;
    do {
        if (strcmp(lname(r), name) == 0) {
            v = (const char *)xmlTextReaderConstValue(r);
            break;
        }
    } while (xmlTextReaderMoveToNextAttribute(r) == 1);
    xmlTextReaderMoveToElement(r);
    return v;
}

static uint32_t count_attr(xmlTextReaderPtr r, const char *name,
                           uint32_t max)
{
    const char *v = attr(r, name);
    if (!v)
        return 1;
    char *end;
    unsigned long n = strtoul(v, &end, 10);
    if (*end || n < 1)
        return 1;
    return n > max ? max : (uint32_t)n;
}

/* A font family as written ("'.VnTime'", "VNI-Times, serif"). */
static int family_enc(const char *fam)
{
    while (*fam == '\'' || *fam == '"' || *fam == ' ')
        fam++;
    size_t n = strcspn(fam, "',\"");
    return imp_font_encoding(fam, n);
}

static int font_enc(ods *o, const char *name)
{
    for (size_t i = 0; i < o->n_fonts; i++)
        if (strcmp(o->fonts[i].name, name) == 0)
            return o->fonts[i].enc;
    return imp_font_encoding(name, strlen(name));
}

static ods_style *find_style(ods *o, const char *name)
{
    for (size_t i = o->n_styles; i-- > 0;)
        if (strcmp(o->styles[i].name, name) == 0)
            return &o->styles[i];
    return NULL;
}

/* The encoding a style's text is in, through its parents. */
static int style_enc(ods *o, const char *name)
{
    for (int depth = 0; name && depth < 16; depth++) {
        ods_style *s = find_style(o, name);
        if (!s)
            break;
        if (s->enc != IMP_ENC_INHERIT)
            return s->enc;
        name = s->parent;
    }
    return IMP_ENC_NONE;
}

/* Read font-face declarations and styles from the current part up to
 * <office:body> (content.xml) or its end (styles.xml).  Returns 1 when
 * the body is reached, 0 at the end, -1 on failure. */
static int read_styles(ods *o, xmlTextReaderPtr r)
{
    ods_style *cur = NULL;
    int ret;
    while ((ret = xmlTextReaderRead(r)) == 1) {
        int t = xmlTextReaderNodeType(r);
        if (t == XML_READER_TYPE_DOCUMENT_TYPE)
            return -2;
        if (t != XML_READER_TYPE_ELEMENT)
            continue;
        const char *n = lname(r);
        if (strcmp(n, "body") == 0)
            return 1;
        if (strcmp(n, "font-face") == 0) {
            const char *name = attr(r, "name");
            if (!name || !GROW(o->fonts, o->cap_fonts, o->n_fonts + 1))
                continue;
            char *nm = strdup(name);
            if (!nm)
                return -1;
            const char *fam = attr(r, "font-family");
            int enc = fam ? family_enc(fam) : font_enc(o, nm);
            o->fonts[o->n_fonts++] = (ods_font){nm, enc};
        } else if (strcmp(n, "style") == 0 || strcmp(n, "default-style") == 0) {
            const char *name = attr(r, "name");
            if (strcmp(n, "default-style") == 0) {
                const char *fam = attr(r, "family");
                if (!fam || strcmp(fam, "table-cell") != 0)
                    continue;
                name = "Default";
            }
            if (!name || !GROW(o->styles, o->cap_styles, o->n_styles + 1))
                continue;
            const char *parent = attr(r, "parent-style-name");
            ods_style s = {strdup(name), parent ? strdup(parent) : NULL,
                           IMP_ENC_INHERIT, false};
            if (!s.name || (parent && !s.parent)) {
                free(s.name);
                free(s.parent);
                return -1;
            }
            o->styles[o->n_styles++] = s;
            cur = xmlTextReaderIsEmptyElement(r) ? NULL
                                                 : &o->styles[o->n_styles - 1];
        } else if (strcmp(n, "text-properties") == 0 && cur) {
            const char *fn = attr(r, "font-name");
            const char *ff = attr(r, "font-family");
            if (fn)
                cur->enc = font_enc(o, fn);
            else if (ff)
                cur->enc = family_enc(ff);
        } else if (strcmp(n, "table-properties") == 0 && cur) {
            const char *d = attr(r, "display");
            cur->hidden = d && strcmp(d, "false") == 0;
        }
    }
    return ret < 0 ? -1 : 0;
}

/* Read the text of a cell (its <text:p> paragraphs, spans decoded by
 * their fonts) into o->text; the reader is on the cell's start.  Returns
 * 0, or -1 on failure. */
static int read_cell_text(ods *o, xmlTextReaderPtr r, int cell_enc)
{
    int top = xmlTextReaderDepth(r);
    int span_enc[32];
    int span_depth[32];
    int n_spans = 0, paragraphs = 0;
    o->text.len = 0;
    o->run.len = 0;
    int cur_enc = cell_enc;
    int ret;
#define FLUSH()                                                            \
    do {                                                                   \
        if (o->run.len) {                                                  \
            if (!imp_legacy_decode(cur_enc, o->run.p, o->run.len, &o->text)) \
                return -1;                                                 \
            o->run.len = 0;                                                \
        }                                                                  \
    } while (0)
    while ((ret = xmlTextReaderRead(r)) == 1) {
        int t = xmlTextReaderNodeType(r);
        int depth = xmlTextReaderDepth(r);
        if (t == XML_READER_TYPE_END_ELEMENT) {
            if (depth == top)
                break;
            if (n_spans && span_depth[n_spans - 1] == depth) {
                FLUSH();
                n_spans--;
                cur_enc = n_spans ? span_enc[n_spans - 1] : cell_enc;
            }
            continue;
        }
        if (t == XML_READER_TYPE_ELEMENT) {
            const char *n = lname(r);
            bool empty = xmlTextReaderIsEmptyElement(r);
            if (strcmp(n, "annotation") == 0) {
                /* a comment on the cell: not its value */
                if (!empty && xmlTextReaderNext(r) != 1)
                    return -1;
                if (xmlTextReaderNodeType(r) == XML_READER_TYPE_END_ELEMENT &&
                    xmlTextReaderDepth(r) == top)
                    break;
                continue;
            }
            if (strcmp(n, "p") == 0 || strcmp(n, "h") == 0) {
                FLUSH();
                if (paragraphs++ && !imp_buf_addc(&o->text, '\n'))
                    return -1;
            } else if (strcmp(n, "s") == 0) {
                if (!imp_buf_addc(&o->run, ' '))
                    return -1;
            } else if (strcmp(n, "tab") == 0 || strcmp(n, "line-break") == 0) {
                if (!imp_buf_addc(&o->run, n[0] == 't' ? '\t' : '\n'))
                    return -1;
            } else if (strcmp(n, "span") == 0 && !empty && n_spans < 32) {
                FLUSH();
                const char *sn = attr(r, "style-name");
                int e = sn ? style_enc(o, sn) : IMP_ENC_INHERIT;
                if (!sn || !find_style(o, sn) ||
                    find_style(o, sn)->enc == IMP_ENC_INHERIT)
                    e = cur_enc;
                span_enc[n_spans] = e;
                span_depth[n_spans++] = depth;
                cur_enc = e;
            }
            continue;
        }
        if (t == XML_READER_TYPE_TEXT || t == XML_READER_TYPE_CDATA ||
            t == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) {
            const char *v = (const char *)xmlTextReaderConstValue(r);
            if (v && !imp_buf_add(&o->run, v, strlen(v)))
                return -1;
        }
    }
    if (ret < 0)
        return -1;
    FLUSH();
#undef FLUSH
    return imp_buf_add(&o->text, "", 0) ? 0 : -1;
}

static int col_encoding(ods *o, uint32_t col)
{
    return col < o->n_cols ? o->col_enc[col] : IMP_ENC_NONE;
}

static bool parse_day(const char *v, cadre_date *d)
{
    char day[11];
    snprintf(day, sizeof day, "%.10s", v);
    return cadre_date_parse(day, 0, d) == 0;
}

/* Where the reading of a table stands. */
typedef struct ods_table {
    imp_rowbuf rb;        /* the row's cells */
    uint32_t row;         /* 1-based, of the row being read */
    uint32_t col;         /* 0-based, of the next cell */
    uint32_t row_repeat;  /* times the row stands (number-rows-repeated) */
    bool in_row;          /* inside a <table:row> with cells */
    bool stop;            /* the sink said stop, a limit, or a failure */
    cadre_error err;
} ods_table;

/* The end of a row: it is sent as often as it is repeated (the same
 * cells each time; an empty one only moves on). */
static void end_row(ods_table *t, imp_sink *sink)
{
    imp_rowbuf *rb = &t->rb;
    uint32_t times = rb->n ? t->row_repeat : 1;
    size_t n_cells = rb->n, n_text = rb->text.len;
    imp_cell *cells = times > 1 ? malloc(n_cells * sizeof *cells) : NULL;
    char *text = times > 1 ? malloc(n_text + 1) : NULL;
    if (times > 1 && (!cells || !text)) {
        free(cells);
        free(text);
        t->err = CADRE_ENOMEM;
        t->stop = true;
        return;
    }
    if (times > 1) {
        memcpy(cells, rb->cells, n_cells * sizeof *cells);
        if (n_text)
            memcpy(text, rb->text.p, n_text);
    }
    for (uint32_t k = 0; k < times && !t->stop; k++) {
        if (k > 0) { /* sending cleared the row: put it back */
            memcpy(rb->cells, cells, n_cells * sizeof *cells);
            rb->n = n_cells;
            if (n_text)
                memcpy(rb->text.p, text, n_text);
            rb->text.len = n_text;
        }
        int s = imp_rowbuf_send(rb, t->row + k, sink);
        if (s < 0)
            t->err = CADRE_ENOMEM;
        t->stop = s != 0;
    }
    free(cells);
    free(text);
    t->row += t->row_repeat - 1;
}

/* A <table:column>: the encoding of its cells' default style, for as
 * many columns as it stands for. */
static void add_columns(ods *o, xmlTextReaderPtr r, ods_table *t)
{
    uint32_t rep = count_attr(r, "number-columns-repeated", IMP_MAX_COLS);
    const char *sn = attr(r, "default-cell-style-name");
    int e = sn ? style_enc(o, sn) : IMP_ENC_NONE;
    for (uint32_t k = 0; k < rep && o->n_cols < IMP_MAX_COLS; k++) {
        if (!GROW(o->col_enc, o->cap_cols, o->n_cols + 1)) {
            t->err = CADRE_ENOMEM;
            t->stop = true;
            return;
        }
        o->col_enc[o->n_cols++] = e;
    }
}

/* A <table:row>: its number and how often it stands, cut at the sheet's
 * last row (past it the reading stops). */
static void start_row(xmlTextReaderPtr r, ods_table *t, bool empty)
{
    t->row_repeat = count_attr(r, "number-rows-repeated", IMP_MAX_ROWS);
    t->row++;
    if (t->row > IMP_MAX_ROWS) {
        t->stop = true;
        return;
    }
    if (t->row + t->row_repeat - 1 > IMP_MAX_ROWS)
        t->row_repeat = IMP_MAX_ROWS - t->row + 1;
    t->col = 0;
    t->in_row = !empty;
    if (empty)
        t->row += t->row_repeat - 1;
}

/* What a <table:cell> says of itself, copied out of the reader (attr()
 * gives one value at a time), and its text in o->text. */
typedef struct ods_cell {
    uint32_t rep;         /* number-columns-repeated */
    uint32_t cspan, rspan;/* the merged range it starts */
    char type[16];        /* office:value-type, "" when none */
    bool formula;         /* it has a table:formula */
    char value[64];       /* the value attribute of its type */
    bool has_value;       /* that attribute is there */
    char *string_value;   /* office:string-value, or NULL; owned */
    int enc;              /* the encoding of its text */
    bool has_text;        /* its paragraphs hold text */
} ods_cell;

/* Read the cell the reader is on into `c`, its text into o->text.
 * False on failure (c->string_value is then freed). */
static bool read_cell_attrs(ods *o, xmlTextReaderPtr r, uint32_t col,
                            bool empty, ods_cell *c)
{
    c->rep = count_attr(r, "number-columns-repeated", IMP_MAX_COLS);
    c->cspan = count_attr(r, "number-columns-spanned", IMP_MAX_COLS);
    c->rspan = count_attr(r, "number-rows-spanned", IMP_MAX_ROWS);
    const char *vt = attr(r, "value-type");
    snprintf(c->type, sizeof c->type, "%s", vt ? vt : "");
    c->formula = attr(r, "formula") != NULL;
    const char *v = attr(r, strcmp(c->type, "date") == 0 ? "date-value"
                            : strcmp(c->type, "boolean") == 0
                                ? "boolean-value" : "value");
    snprintf(c->value, sizeof c->value, "%s", v ? v : "");
    c->has_value = v != NULL;
    const char *sv = attr(r, "string-value");
    c->string_value = sv ? strdup(sv) : NULL;
    const char *sn = attr(r, "style-name");
    c->enc = sn ? style_enc(o, sn) : col_encoding(o, col);
    c->has_text = false;
    if (!empty) {
        if (read_cell_text(o, r, c->enc) != 0) {
            free(c->string_value);
            return false;
        }
        c->has_text = o->text.len > 0;
    }
    return true;
}

/* The cell's text as read from its paragraphs. */
static imp_cell *add_text_cell(ods *o, imp_rowbuf *rb, uint32_t col)
{
    return imp_rowbuf_add(rb, col, IMP_TEXT, o->text.p ? o->text.p : "",
                          o->text.len);
}

/* Cell `c` into the row at column `col`, by its type: a value that does
 * not parse is kept as the text shown.  NULL when out of memory. */
static imp_cell *add_cell(ods *o, imp_rowbuf *rb, uint32_t col,
                          const ods_cell *c)
{
    imp_cell *cell = NULL;
    if (c->formula && !c->type[0]) {
        cell = imp_rowbuf_add(rb, col, IMP_NOCACHE, NULL, 0);
    } else if (strcmp(c->type, "float") == 0 ||
               strcmp(c->type, "percentage") == 0 ||
               strcmp(c->type, "currency") == 0) {
        double d;
        if (!c->has_value || !imp_number(c->value, &d))
            return add_text_cell(o, rb, col);
        cell = imp_rowbuf_add(rb, col, IMP_NUMBER, NULL, 0);
        if (cell)
            cell->num = d;
    } else if (strcmp(c->type, "date") == 0) {
        cadre_date d;
        if (!c->has_value || !parse_day(c->value, &d))
            return add_text_cell(o, rb, col);
        cell = imp_rowbuf_add(rb, col, IMP_DATE, NULL, 0);
        if (cell)
            cell->date = d;
    } else if (strcmp(c->type, "boolean") == 0) {
        cell = imp_rowbuf_add(rb, col, IMP_BOOL, NULL, 0);
        if (cell)
            cell->num = strcmp(c->value, "true") == 0;
    } else if (c->string_value && !c->has_text) {
        imp_buf dec = {0};
        bool ok = imp_legacy_decode(c->enc, c->string_value,
                                    strlen(c->string_value), &dec) &&
                  imp_buf_add(&dec, "", 0);
        cell = ok ? imp_rowbuf_add(rb, col, IMP_TEXT, dec.p, dec.len) : NULL;
        imp_buf_free(&dec);
    } else {
        cell = add_text_cell(o, rb, col);
    }
    return cell;
}

/* A <table:table-cell> of a row: into the row as often as it is
 * repeated, and the range it spans into the sheet's merged ranges. */
static void read_cell(ods *o, xmlTextReaderPtr r, ods_table *t, bool empty)
{
    ods_cell c;
    if (!read_cell_attrs(o, r, t->col, empty, &c)) {
        t->stop = true;
        return;
    }
    if (t->col + c.rep > IMP_MAX_COLS)
        c.rep = t->col < IMP_MAX_COLS ? IMP_MAX_COLS - t->col : 0;
    bool blank = !c.type[0] && !c.has_text && !c.formula;
    /* an empty cell repeated to the sheet's edge only moves on */
    for (uint32_t k = 0; k < c.rep && !blank; k++) {
        imp_cell *cell = add_cell(o, &t->rb, t->col + k, &c);
        if (!cell) {
            t->err = CADRE_ENOMEM;
            t->stop = true;
            break;
        }
        cell->span = c.cspan;
    }
    free(c.string_value);
    if ((c.cspan > 1 || c.rspan > 1) && !blank &&
        !imp_merges_add(&o->f->merges, t->row - 1, t->col,
                        t->row - 1 + c.rspan - 1, t->col + c.cspan - 1)) {
        t->err = CADRE_ENOMEM;
        t->stop = true;
        return;
    }
    t->col += c.rep;
}

/* Read the chosen table's rows. */
static cadre_error read_table(ods *o, xmlTextReaderPtr r, imp_sink *sink)
{
    imp_file *f = o->f;
    imp_merges_free(&f->merges);
    f->merges_known = true; /* spans come with their cells */
    ods_table t = {.row_repeat = 1, .err = CADRE_OK};
    imp_rowbuf_init(&t.rb, &f->merges);
    int top = xmlTextReaderDepth(r);
    int ret;
    while (!t.stop && (ret = xmlTextReaderRead(r)) == 1) {
        int type = xmlTextReaderNodeType(r);
        if (type == XML_READER_TYPE_END_ELEMENT) {
            if (xmlTextReaderDepth(r) == top)
                break;
            if (t.in_row && strcmp(lname(r), "table-row") == 0) {
                t.in_row = false;
                end_row(&t, sink);
            }
            continue;
        }
        if (type != XML_READER_TYPE_ELEMENT)
            continue;
        const char *n = lname(r);
        bool empty = xmlTextReaderIsEmptyElement(r);
        if (strcmp(n, "table-column") == 0) {
            add_columns(o, r, &t);
        } else if (strcmp(n, "table-row") == 0) {
            start_row(r, &t, empty);
        } else if (strcmp(n, "covered-table-cell") == 0) {
            t.col += count_attr(r, "number-columns-repeated", IMP_MAX_COLS);
            if (!empty && xmlTextReaderNext(r) != 1)
                t.stop = true;
        } else if (strcmp(n, "table-cell") == 0 && t.in_row) {
            read_cell(o, r, &t, empty);
        }
    }
    if (!t.stop && t.err == CADRE_OK && ret < 0)
        t.err = CADRE_EIO;
    imp_rowbuf_release(&t.rb);
    return t.err;
}

static void release(ods *o)
{
    for (size_t i = 0; i < o->n_styles; i++) {
        free(o->styles[i].name);
        free(o->styles[i].parent);
    }
    for (size_t i = 0; i < o->n_fonts; i++)
        free(o->fonts[i].name);
    free(o->styles);
    free(o->fonts);
    free(o->col_enc);
    imp_buf_free(&o->text);
    imp_buf_free(&o->run);
    imp_zip_close(&o->zp);
}

/* Refuse an encrypted package: its manifest says so. */
static cadre_error check_manifest(ods *o)
{
    bool missing;
    size_t len;
    char *manifest = imp_part_slurp(&o->zp, "META-INF/manifest.xml",
                                    (size_t)4 << 20, &len, &missing, o->diags);
    if (manifest && strstr(manifest, "encryption-data")) {
        cadre_diags_error(o->diags, o->f->path, 0, "refused: the spreadsheet "
                          "is encrypted (password-protected): save it "
                          "without a password first");
        free(manifest);
        return CADRE_EIO;
    }
    bool read = manifest != NULL;
    free(manifest);
    return read || missing ? CADRE_OK : CADRE_EIO;
}

/* The named styles and fonts of styles.xml, when the package has one. */
static cadre_error read_named_styles(ods *o)
{
    bool missing;
    imp_part *p = imp_part_open(&o->zp, "styles.xml", &missing, o->diags);
    if (!p)
        return missing ? CADRE_OK : CADRE_EIO;
    int s = read_styles(o, imp_part_reader(p));
    if (s == -1)
        imp_part_failed(p, o->diags);
    cadre_error err = imp_part_close(p, o->diags);
    if (s == -2) {
        cadre_diags_error(o->diags, o->f->path, 0, "refused: part styles.xml "
                          "has a DTD (<!DOCTYPE>)");
        err = CADRE_EIO;
    }
    return err;
}

/* Pass over content.xml's sheets to the one asked for (or the first one
 * shown) and read it; *found says it was, `names` gets every name seen,
 * *ret the reader's last answer. */
static cadre_error find_table(ods *o, xmlTextReaderPtr r, const char *sheet,
                              imp_sink *sink, imp_buf *names, bool *found,
                              int *ret)
{
    /* a sheet passed over leaves the reader on the node after it,
     * which may be the next sheet: it is looked at before reading on */
    bool passed = false;
    while (passed || (*ret = xmlTextReaderRead(r)) == 1) {
        passed = false;
        if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT ||
            strcmp(lname(r), "table") != 0)
            continue;
        /* the first sheet is the first one shown, as for XLSX (the
         * style first: attr() gives one value at a time) */
        const char *st = attr(r, "style-name");
        ods_style *ts = st ? find_style(o, st) : NULL;
        bool hidden = ts && ts->hidden;
        const char *name = attr(r, "name");
        name = name ? name : "";
        imp_sheets_add(names, name);
        if (sheet ? strcmp(sheet, name) != 0 : hidden) {
            if ((*ret = xmlTextReaderNext(r)) != 1)
                break;
            passed = true;
            continue;
        }
        if (!imp_file_set_sheet(o->f, name, strlen(name)))
            return CADRE_ENOMEM;
        *found = true;
        return xmlTextReaderIsEmptyElement(r) ? CADRE_OK
                                              : read_table(o, r, sink);
    }
    return CADRE_OK;
}

/* content.xml: the document's own styles, then the sheet; the part's
 * failures and a sheet not found are said here. */
static cadre_error read_content(ods *o, const char *sheet, imp_sink *sink)
{
    imp_file *f = o->f;
    cadre_diags *diags = o->diags;
    imp_part *p = imp_part_open(&o->zp, "content.xml", NULL, diags);
    if (!p)
        return CADRE_EIO;
    xmlTextReaderPtr r = imp_part_reader(p);
    int s = read_styles(o, r);
    cadre_error err = CADRE_OK;
    bool found = false;
    imp_buf names = {0};
    int ret = 1;
    if (s == 1)
        err = find_table(o, r, sheet, sink, &names, &found, &ret);
    if (s == -2) {
        cadre_diags_error(diags, f->path, 0, "refused: part content.xml has "
                          "a DTD (<!DOCTYPE>)");
        err = CADRE_EIO;
    } else if (s < 0 || ret < 0 || err == CADRE_EIO) {
        imp_part_failed(p, diags);
        err = CADRE_EIO;
    }
    cadre_error cerr = imp_part_close(p, diags);
    if (err == CADRE_OK)
        err = cerr;
    if (err == CADRE_OK && !found) {
        imp_no_sheet(f, sheet, &names, diags);
        err = CADRE_ENOTFOUND;
    }
    if (err == CADRE_ENOMEM)
        cadre_diags_error(diags, f->path, 0, "out of memory");
    imp_buf_free(&names);
    return err;
}

cadre_error imp_ods_read(imp_file *f, const char *sheet, imp_sink *sink,
                         cadre_diags *diags)
{
    ods o = {.f = f, .diags = diags};
    if (!imp_zip_open(&o.zp, f->path, diags))
        return CADRE_EIO;
    cadre_error err = check_manifest(&o);
    /* the named styles and fonts, then the document's own */
    if (err == CADRE_OK)
        err = read_named_styles(&o);
    if (err == CADRE_OK)
        err = read_content(&o, sheet, sink);
    release(&o);
    return err;
}
