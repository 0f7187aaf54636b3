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

/* Read the chosen table's rows. */
static cadre_error read_table(ods *o, xmlTextReaderPtr r, imp_sink *sink)
{
    imp_file *f = o->f;
    imp_merges_free(&f->merges);
    f->merges_known = true; /* spans come with their cells */
    imp_rowbuf rb;
    imp_rowbuf_init(&rb, &f->merges);
    int top = xmlTextReaderDepth(r);
    uint32_t row = 0, col = 0, row_repeat = 1;
    bool in_row = false, stop = false;
    cadre_error err = CADRE_OK;
    int ret;
    while (!stop && (ret = xmlTextReaderRead(r)) == 1) {
        int t = xmlTextReaderNodeType(r);
        int depth = xmlTextReaderDepth(r);
        if (t == XML_READER_TYPE_END_ELEMENT) {
            if (depth == top)
                break;
            if (in_row && strcmp(lname(r), "table-row") == 0) {
                in_row = false;
                /* a row repeated: the same cells each time (an empty one
                 * only moves on) */
                uint32_t times = rb.n ? row_repeat : 1;
                size_t n_cells = rb.n, n_text = rb.text.len;
                imp_cell *cells = times > 1 ? malloc(n_cells * sizeof *cells)
                                            : NULL;
                char *text = times > 1 ? malloc(n_text + 1) : NULL;
                if (times > 1 && (!cells || !text)) {
                    free(cells);
                    free(text);
                    err = CADRE_ENOMEM;
                    break;
                }
                if (times > 1) {
                    memcpy(cells, rb.cells, n_cells * sizeof *cells);
                    if (n_text)
                        memcpy(text, rb.text.p, n_text);
                }
                for (uint32_t k = 0; k < times && !stop; k++) {
                    if (k > 0) { /* sending cleared the row: put it back */
                        memcpy(rb.cells, cells, n_cells * sizeof *cells);
                        rb.n = n_cells;
                        if (n_text)
                            memcpy(rb.text.p, text, n_text);
                        rb.text.len = n_text;
                    }
                    int s = imp_rowbuf_send(&rb, row + k, sink);
                    if (s < 0) {
                        err = CADRE_ENOMEM;
                        stop = true;
                    }
                    stop = stop || s != 0;
                }
                free(cells);
                free(text);
                row += row_repeat - 1;
            }
            continue;
        }
        if (t != XML_READER_TYPE_ELEMENT)
            continue;
        const char *n = lname(r);
        bool empty = xmlTextReaderIsEmptyElement(r);
        if (strcmp(n, "table-column") == 0) {
            uint32_t rep = count_attr(r, "number-columns-repeated",
                                      IMP_MAX_COLS);
            const char *sn = attr(r, "default-cell-style-name");
            int e = sn ? style_enc(o, sn) : IMP_ENC_NONE;
            for (uint32_t k = 0; k < rep && o->n_cols < IMP_MAX_COLS; k++) {
                if (!GROW(o->col_enc, o->cap_cols, o->n_cols + 1)) {
                    err = CADRE_ENOMEM;
                    stop = true;
                    break;
                }
                o->col_enc[o->n_cols++] = e;
            }
        } else if (strcmp(n, "table-row") == 0) {
            row_repeat = count_attr(r, "number-rows-repeated", IMP_MAX_ROWS);
            row++;
            if (row > IMP_MAX_ROWS)
                break;
            if (row + row_repeat - 1 > IMP_MAX_ROWS)
                row_repeat = IMP_MAX_ROWS - row + 1;
            col = 0;
            in_row = !empty;
            if (empty)
                row += row_repeat - 1;
        } else if (strcmp(n, "covered-table-cell") == 0) {
            col += count_attr(r, "number-columns-repeated", IMP_MAX_COLS);
            if (!empty && xmlTextReaderNext(r) != 1)
                break;
        } else if (strcmp(n, "table-cell") == 0 && in_row) {
            uint32_t rep = count_attr(r, "number-columns-repeated",
                                      IMP_MAX_COLS);
            uint32_t cspan = count_attr(r, "number-columns-spanned",
                                        IMP_MAX_COLS);
            uint32_t rspan = count_attr(r, "number-rows-spanned",
                                        IMP_MAX_ROWS);
            const char *vt = attr(r, "value-type");
            char type[16] = "";
            snprintf(type, sizeof type, "%s", vt ? vt : "");
            const char *fv = attr(r, "formula");
            bool formula = fv != NULL;
            const char *v = attr(r, strcmp(type, "date") == 0 ? "date-value"
                                    : strcmp(type, "boolean") == 0
                                        ? "boolean-value" : "value");
            char value[64];
            snprintf(value, sizeof value, "%s", v ? v : "");
            bool has_value = v != NULL;
            const char *sv = attr(r, "string-value");
            char *string_value = sv ? strdup(sv) : NULL;
            const char *sn = attr(r, "style-name");
            int enc = sn ? style_enc(o, sn) : col_encoding(o, col);
            bool has_text = false;
            if (!empty) {
                if (read_cell_text(o, r, enc) != 0) {
                    free(string_value);
                    break;
                }
                has_text = o->text.len > 0;
            }
            if (col + rep > IMP_MAX_COLS)
                rep = col < IMP_MAX_COLS ? IMP_MAX_COLS - col : 0;
            bool blank = !type[0] && !has_text && !formula;
            /* an empty cell repeated to the sheet's edge only moves on */
            for (uint32_t k = 0; k < rep && !blank; k++) {
                imp_cell *c = NULL;
                if (formula && !type[0]) {
                    c = imp_rowbuf_add(&rb, col + k, IMP_NOCACHE, NULL, 0);
                } else if (strcmp(type, "float") == 0 ||
                           strcmp(type, "percentage") == 0 ||
                           strcmp(type, "currency") == 0) {
                    double d;
                    if (has_value && imp_number(value, &d)) {
                        c = imp_rowbuf_add(&rb, col + k, IMP_NUMBER, NULL, 0);
                        if (c)
                            c->num = d;
                    } else {
                        c = imp_rowbuf_add(&rb, col + k, IMP_TEXT,
                                           o->text.p ? o->text.p : "",
                                           o->text.len);
                    }
                } else if (strcmp(type, "date") == 0) {
                    cadre_date d;
                    if (has_value && parse_day(value, &d)) {
                        c = imp_rowbuf_add(&rb, col + k, IMP_DATE, NULL, 0);
                        if (c)
                            c->date = d;
                    } else {
                        c = imp_rowbuf_add(&rb, col + k, IMP_TEXT,
                                           o->text.p ? o->text.p : "",
                                           o->text.len);
                    }
                } else if (strcmp(type, "boolean") == 0) {
                    c = imp_rowbuf_add(&rb, col + k, IMP_BOOL, NULL, 0);
                    if (c)
                        c->num = strcmp(value, "true") == 0;
                } else if (string_value && !has_text) {
                    imp_buf dec = {0};
                    bool ok = imp_legacy_decode(enc, string_value,
                                                strlen(string_value), &dec) &&
                              imp_buf_add(&dec, "", 0);
                    c = ok ? imp_rowbuf_add(&rb, col + k, IMP_TEXT, dec.p,
                                            dec.len) : NULL;
                    imp_buf_free(&dec);
                } else {
                    c = imp_rowbuf_add(&rb, col + k, IMP_TEXT,
                                       o->text.p ? o->text.p : "",
                                       o->text.len);
                }
                if (!c) {
                    err = CADRE_ENOMEM;
                    stop = true;
                    break;
                }
                c->span = cspan;
            }
            free(string_value);
            if ((cspan > 1 || rspan > 1) && !blank &&
                !imp_merges_add(&f->merges, row - 1, col, row - 1 + rspan - 1,
                                col + cspan - 1)) {
                err = CADRE_ENOMEM;
                break;
            }
            col += rep;
        }
    }
    if (!stop && err == CADRE_OK && ret < 0)
        err = CADRE_EIO;
    imp_rowbuf_release(&rb);
    return err;
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

cadre_error imp_ods_read(imp_file *f, const char *sheet, imp_sink *sink,
                         cadre_diags *diags)
{
    ods o;
    memset(&o, 0, sizeof o);
    o.f = f;
    o.diags = diags;
    if (!imp_zip_open(&o.zp, f->path, diags))
        return CADRE_EIO;
    cadre_error err = CADRE_OK;
    bool missing;
    size_t len;
    char *manifest = imp_part_slurp(&o.zp, "META-INF/manifest.xml",
                                    (size_t)4 << 20, &len, &missing, diags);
    if (manifest && strstr(manifest, "encryption-data")) {
        cadre_diags_error(diags, f->path, 0, "refused: the spreadsheet is "
                          "encrypted (password-protected): save it without a "
                          "password first");
        free(manifest);
        release(&o);
        return CADRE_EIO;
    }
    free(manifest);
    if (!missing && !manifest) {
        release(&o);
        return CADRE_EIO;
    }
    /* the named styles and fonts, then the document's own */
    imp_part *p = imp_part_open(&o.zp, "styles.xml", &missing, diags);
    if (p) {
        int s = read_styles(&o, imp_part_reader(p));
        if (s == -1)
            imp_part_failed(p, diags);
        err = imp_part_close(p, diags);
        if (s == -2) {
            cadre_diags_error(diags, f->path, 0, "refused: part styles.xml "
                              "has a DTD (<!DOCTYPE>)");
            err = CADRE_EIO;
        }
        if (err != CADRE_OK) {
            release(&o);
            return err;
        }
    } else if (!missing) {
        release(&o);
        return CADRE_EIO;
    }
    p = imp_part_open(&o.zp, "content.xml", NULL, diags);
    if (!p) {
        release(&o);
        return CADRE_EIO;
    }
    xmlTextReaderPtr r = imp_part_reader(p);
    int s = read_styles(&o, r);
    bool found = false;
    imp_buf names = {0};
    int ret = 1;
    if (s == 1) {
        /* a sheet passed over leaves the reader on the node after it,
         * which may be the next sheet: it is looked at before reading on */
        bool passed = false;
        while (passed || (ret = xmlTextReaderRead(r)) == 1) {
            passed = false;
            if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT ||
                strcmp(lname(r), "table") != 0)
                continue;
            /* the first sheet is the first one shown, as for XLSX (the
             * style first: attr() gives one value at a time) */
            const char *st = attr(r, "style-name");
            ods_style *ts = st ? find_style(&o, st) : NULL;
            bool hidden = ts && ts->hidden;
            const char *name = attr(r, "name");
            name = name ? name : "";
            imp_sheets_add(&names, name);
            if (sheet ? strcmp(sheet, name) != 0 : hidden) {
                if ((ret = xmlTextReaderNext(r)) != 1)
                    break;
                passed = true;
                continue;
            }
            if (!imp_file_set_sheet(f, name, strlen(name))) {
                err = CADRE_ENOMEM;
                break;
            }
            found = true;
            if (!xmlTextReaderIsEmptyElement(r))
                err = read_table(&o, r, sink);
            break;
        }
    }
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
    release(&o);
    return err;
}
