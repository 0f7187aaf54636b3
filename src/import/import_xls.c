/*
 * import_xls.c - Excel 97-2003 workbooks (BIFF8 in an OLE compound file).
 *
 * libfreexl reads the cells (numbers, texts, dates by their formats, the
 * 1904 system).  It says nothing of fonts, merged ranges or the text a
 * formula gave, so the workbook stream's records are read here too, for
 * three things: which cells are in a TCVN3 or VNI font (FONT, XF and each
 * cell's XF index), the merged ranges (MERGEDCELLS) and the cached results
 * of formulas that freexl leaves empty (FORMULA, then STRING).  An
 * encrypted workbook (FILEPASS) is refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <freexl.h>

#include "cadre/i18n.h"
#include "import_internal.h"
#include "import_ole.h"
#include "util/grow.h"

enum {
    R_FORMULA = 0x0006, R_EOF = 0x000A, R_FILEPASS = 0x002F,
    R_FONT = 0x0031, R_BOUNDSHEET = 0x0085, R_MULRK = 0x00BD,
    R_XF = 0x00E0, R_MERGEDCELLS = 0x00E5, R_LABELSST = 0x00FD,
    R_BLANK = 0x0201, R_NUMBER = 0x0203, R_LABEL = 0x0204,
    R_BOOLERR = 0x0205, R_STRING = 0x0207, R_RK = 0x027E, R_BOF = 0x0809,
    R_RSTRING = 0x00D6
};

/* A cell the records say more of than freexl. */
typedef struct xls_cell {
    uint32_t row, col;
    uint8_t enc;      /* its font's encoding */
    int8_t result;    /* formula result: 0 none, 1 text, 2 bool, 3 error */
    bool flag;        /* the boolean result */
    char *text;       /* the text result (UTF-8) */
} xls_cell;

typedef struct xls {
    const unsigned char *s;   /* the workbook stream */
    size_t len;
    bool encrypted, biff8;
    uint8_t *font_enc;        /* per FONT record */
    size_t n_fonts, cap_fonts;
    uint8_t *xf_enc;          /* per XF record */
    size_t n_xf, cap_xf;
    uint32_t sheet_pos[1024]; /* each worksheet's BOF, in order */
    bool sheet_hidden[1024];  /* and whether Excel hides it */
    size_t n_sheets;
    xls_cell *cells;          /* of the sheet read, in record order */
    size_t n_cells, cap_cells;
} xls;

static uint16_t u16(const unsigned char *p) { return (uint16_t)(p[0] | p[1] << 8); }

static uint32_t u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

/* An XLUnicodeString (or its short form with a one-byte count) at p
 * (n bytes) as UTF-8 into out. */
static bool biff_string(const unsigned char *p, size_t n, bool short_count,
                        imp_buf *out)
{
    out->len = 0;
    size_t hdr = short_count ? 1 : 2;
    if (n < hdr + 1)
        return imp_buf_add(out, "", 0);
    size_t cch = short_count ? p[0] : u16(p);
    unsigned flags = p[hdr];
    size_t i = hdr + 1;
    if (flags & 0x08)
        i += 2; /* runs count */
    if (flags & 0x04)
        i += 4; /* extended size */
    bool wide = flags & 1;
    for (size_t k = 0; k < cch && i + (wide ? 2 : 1) <= n; k++) {
        uint32_t cp = wide ? u16(p + i) : p[i];
        i += wide ? 2 : 1;
        if (cp >= 0xD800 && cp <= 0xDFFF)
            cp = 0xFFFD;
        char enc[3];
        size_t m;
        if (cp < 0x80) {
            enc[0] = (char)cp;
            m = 1;
        } else if (cp < 0x800) {
            enc[0] = (char)(0xC0 | (cp >> 6));
            enc[1] = (char)(0x80 | (cp & 0x3F));
            m = 2;
        } else {
            enc[0] = (char)(0xE0 | (cp >> 12));
            enc[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
            enc[2] = (char)(0x80 | (cp & 0x3F));
            m = 3;
        }
        if (!imp_buf_add(out, enc, m))
            return false;
    }
    return imp_buf_add(out, "", 0);
}

/* The records of the globals: fonts, XFs, sheets, encryption. */
static bool read_globals(xls *x)
{
    imp_buf name = {0};
    bool ok = true;
    for (size_t off = 0; off + 4 <= x->len && ok;) {
        unsigned type = u16(x->s + off), len = u16(x->s + off + 2);
        const unsigned char *d = x->s + off + 4;
        if (off + 4 + len > x->len)
            break;
        off += 4 + len;
        switch (type) {
        case R_BOF:
            x->biff8 = len >= 2 && u16(d) == 0x0600;
            break;
        case R_FILEPASS:
            x->encrypted = true;
            break;
        case R_FONT:
            if (len >= 16 && GROW(x->font_enc, x->cap_fonts, x->n_fonts + 1)) {
                ok = biff_string(d + 14, len - 14, true, &name);
                x->font_enc[x->n_fonts++] =
                    (uint8_t)imp_font_encoding(name.p ? name.p : "", name.len);
                /* FONT record 4 does not exist: index 4 is the fifth */
                if (x->n_fonts == 4 && GROW(x->font_enc, x->cap_fonts, 5))
                    x->font_enc[x->n_fonts++] = IMP_ENC_NONE;
            }
            break;
        case R_XF:
            if (len >= 2 && GROW(x->xf_enc, x->cap_xf, x->n_xf + 1)) {
                unsigned f = u16(d);
                x->xf_enc[x->n_xf++] = f < x->n_fonts ? x->font_enc[f]
                                                      : IMP_ENC_NONE;
            }
            break;
        case R_BOUNDSHEET:
            /* worksheets only, as freexl counts them */
            if (len >= 6 && d[5] == 0 && x->n_sheets < 1024) {
                x->sheet_hidden[x->n_sheets] = (d[4] & 3) != 0;
                x->sheet_pos[x->n_sheets++] = u32(d);
            }
            break;
        case R_EOF:
            off = x->len; /* the globals end here */
            break;
        default:
            break;
        }
    }
    imp_buf_free(&name);
    return ok;
}

static bool note_cell(xls *x, uint32_t row, uint32_t col, unsigned xf,
                      xls_cell **out)
{
    int enc = xf < x->n_xf ? x->xf_enc[xf] : IMP_ENC_NONE;
    *out = NULL;
    if (enc == IMP_ENC_NONE)
        return true;
    if (!GROW(x->cells, x->cap_cells, x->n_cells + 1))
        return false;
    xls_cell *c = &x->cells[x->n_cells++];
    memset(c, 0, sizeof *c);
    c->row = row;
    c->col = col;
    c->enc = (uint8_t)enc;
    *out = c;
    return true;
}

/* The sheet's records from its BOF: legacy cells, merges, formula texts. */
static bool read_sheet_records(xls *x, size_t pos, imp_merges *merges)
{
    imp_buf s = {0};
    xls_cell *pending = NULL; /* a FORMULA whose text follows in STRING */
    bool ok = true;
    bool started = false;
    for (size_t off = pos; off + 4 <= x->len && ok;) {
        unsigned type = u16(x->s + off), len = u16(x->s + off + 2);
        const unsigned char *d = x->s + off + 4;
        if (off + 4 + len > x->len)
            break;
        off += 4 + len;
        if (type == R_BOF) {
            if (started)
                break; /* a substream inside: not ours */
            started = true;
            continue;
        }
        if (type == R_EOF)
            break;
        xls_cell *c = NULL;
        switch (type) {
        case R_LABELSST: case R_NUMBER: case R_RK: case R_BOOLERR:
        case R_BLANK: case R_LABEL: case R_RSTRING:
            if (len >= 6)
                ok = note_cell(x, u16(d), u16(d + 2), u16(d + 4), &c);
            break;
        case R_MULRK:
            if (len >= 6) {
                unsigned first = u16(d + 2), last = u16(d + len - 2);
                for (unsigned k = 0; first + k <= last && 4 + 6 * k + 2 <= len &&
                                     ok; k++)
                    ok = note_cell(x, u16(d), first + k, u16(d + 4 + 6 * k), &c);
                c = NULL;
            }
            break;
        case R_FORMULA:
            if (len >= 14) {
                /* a result that is no number: text (in the next STRING),
                 * boolean or error */
                bool special = u16(d + 12) == 0xFFFF;
                if (!special)
                    break;
                if (!GROW(x->cells, x->cap_cells, x->n_cells + 1)) {
                    ok = false;
                    break;
                }
                unsigned xf = u16(d + 4);
                c = &x->cells[x->n_cells++];
                memset(c, 0, sizeof *c);
                c->row = u16(d);
                c->col = u16(d + 2);
                c->enc = (uint8_t)(xf < x->n_xf ? x->xf_enc[xf] : 0);
                c->result = d[6] == 0 ? 1 : d[6] == 1 ? 2 : d[6] == 2 ? 3 : 0;
                c->flag = d[8] != 0;
                pending = c->result == 1 ? c : NULL;
            }
            break;
        case R_STRING:
            if (pending) {
                ok = biff_string(d, len, false, &s);
                if (ok && !(pending->text = strdup(s.p ? s.p : "")))
                    ok = false;
                pending = NULL;
            }
            break;
        case R_MERGEDCELLS:
            if (len >= 2) {
                unsigned n = u16(d);
                for (unsigned k = 0; k < n && 2 + 8 * k + 8 <= len && ok; k++) {
                    const unsigned char *m = d + 2 + 8 * k;
                    ok = imp_merges_add(merges, u16(m), u16(m + 4), u16(m + 2),
                                        u16(m + 6));
                }
            }
            break;
        default:
            break;
        }
        (void)c;
    }
    imp_buf_free(&s);
    return ok;
}

static int by_pos(const void *a, const void *b)
{
    const xls_cell *x = a, *y = b;
    if (x->row != y->row)
        return x->row < y->row ? -1 : 1;
    return x->col < y->col ? -1 : x->col > y->col;
}

static const xls_cell *find_cell(const xls *x, uint32_t row, uint32_t col)
{
    size_t lo = 0, hi = x->n_cells;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const xls_cell *c = &x->cells[mid];
        if (c->row < row || (c->row == row && c->col < col))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < x->n_cells && x->cells[lo].row == row &&
                   x->cells[lo].col == col ? &x->cells[lo] : NULL;
}

static void xls_release(xls *x)
{
    for (size_t i = 0; i < x->n_cells; i++)
        free(x->cells[i].text);
    free(x->cells);
    free(x->font_enc);
    free(x->xf_enc);
}

static const char *freexl_error(int rc)
{
    switch (rc) {
    case FREEXL_INSUFFICIENT_MEMORY: return CADRE_N_("out of memory");
    case FREEXL_BIFF_INVALID_BOF: case FREEXL_BIFF_INVALID_SST:
    case FREEXL_CRAFTED_FILE: case FREEXL_CFBF_ILLEGAL_FAT_ENTRY:
    case FREEXL_CFBF_EMPTY_FAT_CHAIN: case FREEXL_INVALID_MINI_STREAM:
    case FREEXL_CFBF_ILLEGAL_MINI_FAT_ENTRY:
        return CADRE_N_("a damaged workbook");
    case FREEXL_BIFF_WORKBOOK_NOT_FOUND:
        return CADRE_N_("no workbook in the file");
    case FREEXL_UNSUPPORTED_CHARSET:
        return CADRE_N_("an unsupported code page");
    default: return CADRE_N_("not a workbook libfreexl can read");
    }
}

static void refuse_encrypted(const imp_file *f, cadre_diags *diags)
{
    cadre_diags_error(diags, f->path, 0, "refused: the workbook is "
                      "encrypted (password-protected): save it without "
                      "a password first");
}

/* libfreexl's handle on f, or an error said (obfuscated, damaged). */
static cadre_error open_freexl(const imp_file *f, const void **h,
                               cadre_diags *diags)
{
    *h = NULL;
    int rc = freexl_open(f->path, h);
    unsigned info = 0;
    if (rc == FREEXL_OK &&
        freexl_get_info(*h, FREEXL_BIFF_PASSWORD, &info) == FREEXL_OK &&
        info == FREEXL_BIFF_OBFUSCATED) {
        refuse_encrypted(f, diags);
        rc = -1;
    } else if (rc != FREEXL_OK) {
        cadre_diags_error(diags, f->path, 0, "cannot read the workbook: %s",
                          cadre_gettext(freexl_error(rc)));
    }
    if (rc != FREEXL_OK && *h) {
        freexl_close(*h);
        *h = NULL;
    }
    return rc == FREEXL_OK ? CADRE_OK : CADRE_EIO;
}

/* The sheet to read: the one named, or the first one shown, as for
 * XLSX.  Sets f's sheet and date system. */
static cadre_error choose_sheet(imp_file *f, const void *h, const xls *x,
                                const char *sheet, int *chosen,
                                cadre_diags *diags)
{
    unsigned count = 0, mode = 0;
    freexl_get_info(h, FREEXL_BIFF_SHEET_COUNT, &count);
    freexl_get_info(h, FREEXL_BIFF_DATEMODE, &mode);
    f->date1904 = mode == FREEXL_BIFF_DATEMODE_1904;
    cadre_error err = CADRE_OK;
    imp_buf names = {0};
    *chosen = -1;
    for (unsigned i = 0; i < count && i < 65535; i++) {
        const char *name = NULL;
        if (freexl_get_worksheet_name(h, (unsigned short)i, &name) != FREEXL_OK)
            continue;
        name = name ? name : "";
        imp_sheets_add(&names, name);
        bool hidden = i < x->n_sheets && x->sheet_hidden[i];
        if (*chosen < 0 && (sheet ? strcmp(sheet, name) == 0 : !hidden)) {
            *chosen = (int)i;
            if (!imp_file_set_sheet(f, name, strlen(name)))
                err = CADRE_ENOMEM;
        }
    }
    if (*chosen < 0 && err == CADRE_OK) {
        imp_no_sheet(f, sheet, &names, diags);
        err = CADRE_ENOTFOUND;
    }
    imp_buf_free(&names);
    return err;
}

/* Cell (r, c) of value v into the row; CADRE_ENOMEM when it is lost. */
static cadre_error add_cell(imp_rowbuf *rb, imp_buf *dec, const xls *x,
                            unsigned r, unsigned c, const FreeXL_CellValue *v)
{
    const xls_cell *xc = x->n_cells ? find_cell(x, r, c) : NULL;
    imp_cell *cell = NULL;
    const char *text = NULL;
    cadre_date d;
    char day[11];
    switch (v->type) {
    case FREEXL_CELL_INT:
    case FREEXL_CELL_DOUBLE:
        cell = imp_rowbuf_add(rb, c, IMP_NUMBER, NULL, 0);
        if (cell)
            cell->num = v->type == FREEXL_CELL_INT ? v->value.int_value
                                                   : v->value.double_value;
        break;
    case FREEXL_CELL_DATE:
    case FREEXL_CELL_DATETIME:
        snprintf(day, sizeof day, "%.10s", v->value.text_value);
        if (cadre_date_parse(day, 0, &d) != 0) {
            text = v->value.text_value;
        } else if ((cell = imp_rowbuf_add(rb, c, IMP_DATE, NULL, 0))) {
            cell->date = d;
        }
        break;
    case FREEXL_CELL_TEXT:
    case FREEXL_CELL_SST_TEXT:
    case FREEXL_CELL_TIME:
        text = v->value.text_value;
        break;
    default:
        /* freexl gives no text or boolean a formula computed */
        if (xc && xc->result == 1 && xc->text)
            text = xc->text;
        else if (xc && xc->result == 2) {
            if ((cell = imp_rowbuf_add(rb, c, IMP_BOOL, NULL, 0)))
                cell->num = xc->flag;
        } else if (xc && xc->result == 3) {
            cell = imp_rowbuf_add(rb, c, IMP_ERROR, "#N/A", 4);
        } else {
            return CADRE_OK;
        }
        break;
    }
    if (text) {
        dec->len = 0;
        if (!imp_legacy_decode(xc ? xc->enc : IMP_ENC_NONE, text,
                               strlen(text), dec) ||
            !imp_buf_add(dec, "", 0))
            return CADRE_ENOMEM;
        cell = imp_rowbuf_add(rb, c, IMP_TEXT, dec->p, dec->len);
    }
    return !cell && (text || v->type != FREEXL_CELL_NULL) ? CADRE_ENOMEM
                                                          : CADRE_OK;
}

/* The chosen sheet's rows, one by one, to the sink. */
static cadre_error send_rows(imp_file *f, const void *h, const xls *x,
                             unsigned rows, unsigned short cols,
                             imp_sink *sink)
{
    imp_rowbuf rb;
    imp_rowbuf_init(&rb, &f->merges);
    imp_buf dec = {0};
    cadre_error err = CADRE_OK;
    for (unsigned r = 0; err == CADRE_OK && r < rows && r < IMP_MAX_ROWS; r++) {
        for (unsigned c = 0; c < cols && err == CADRE_OK; c++) {
            FreeXL_CellValue v;
            if (freexl_get_cell_value(h, r, (unsigned short)c, &v) == FREEXL_OK)
                err = add_cell(&rb, &dec, x, r, c, &v);
        }
        int s = err == CADRE_OK ? imp_rowbuf_send(&rb, r + 1, sink) : 0;
        if (s < 0)
            err = CADRE_ENOMEM;
        if (s)
            break;
    }
    imp_buf_free(&dec);
    imp_rowbuf_release(&rb);
    return err;
}

cadre_error imp_xls_read(imp_file *f, const char *sheet, imp_sink *sink,
                         cadre_diags *diags)
{
    xls x;
    memset(&x, 0, sizeof x);
    size_t len = 0;
    unsigned char *stream = imp_ole_stream(f->path, "Workbook", &len, NULL);
    if (!stream)
        stream = imp_ole_stream(f->path, "Book", &len, diags);
    if (!stream)
        return CADRE_EIO;
    x.s = stream;
    x.len = len;
    const void *h = NULL;
    int chosen = -1;
    unsigned rows = 0;
    unsigned short cols = 0;
    cadre_error err = read_globals(&x) ? CADRE_OK : CADRE_ENOMEM;
    if (err == CADRE_OK && x.encrypted) {
        refuse_encrypted(f, diags);
        err = CADRE_EIO;
    }
    if (err == CADRE_OK)
        err = open_freexl(f, &h, diags);
    if (err == CADRE_OK)
        err = choose_sheet(f, h, &x, sheet, &chosen, diags);
    imp_merges_free(&f->merges);
    f->merges_known = true;
    if (err == CADRE_OK && x.biff8 && (size_t)chosen < x.n_sheets &&
        !read_sheet_records(&x, x.sheet_pos[chosen], &f->merges))
        err = CADRE_ENOMEM;
    if (err == CADRE_OK) {
        imp_merges_sort(&f->merges);
        if (x.n_cells > 1)
            qsort(x.cells, x.n_cells, sizeof *x.cells, by_pos);
        if (freexl_select_active_worksheet(h, (unsigned short)chosen) !=
                FREEXL_OK ||
            freexl_worksheet_dimensions(h, &rows, &cols) != FREEXL_OK) {
            cadre_diags_error(diags, f->path, 0, "cannot read sheet %s",
                              f->sheet_ref);
            err = CADRE_EIO;
        }
    }
    if (err == CADRE_OK)
        err = send_rows(f, h, &x, rows, cols, sink);
    if (err == CADRE_ENOMEM)
        cadre_diags_error(diags, f->path, 0, "out of memory");
    if (h)
        freexl_close(h);
    xls_release(&x);
    free(stream);
    return err;
}
