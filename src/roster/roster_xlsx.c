/*
 * roster_xlsx.c - the XLSX layer of the roster writer (roster_xlsx.h).
 */
#include <stdlib.h>
#include <string.h>

#include "cadre/text.h"
#include "roster_xlsx.h"
#include "util/grow.h"

/* Excel's limit for one cell, in characters. */
#define CELL_MAX 32767


void xlsx_row_height(xlsx_book *bk, lxw_worksheet *ws, uint32_t row,
                     double points)
{
    xlsx_check(bk, worksheet_set_row(ws, row, points < 409 ? points : 409,
                                     NULL),
             "a row");
}

void xlsx_check(xlsx_book *bk, lxw_error e, const char *what)
{
    if (e == LXW_NO_ERROR || bk->err != CADRE_OK)
        return;
    bk->err = CADRE_EXLSX;
    cadre_diags_error(bk->diags, NULL, 0, "cannot write '%s': %s: %s",
                      bk->path, what, lxw_strerror(e));
}

static lxw_format *fmt(xlsx_book *bk, double size, bool bold)
{
    lxw_format *f = workbook_add_format(bk->wb);
    if (!f) {
        xlsx_check(bk, LXW_ERROR_MEMORY_MALLOC_FAILED, "format");
        return NULL;
    }
    format_set_font_name(f, XLSX_FONT);
    format_set_font_size(f, size);
    if (bold)
        format_set_bold(f);
    format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
    return f;
}

static void make_styles(xlsx_book *bk)
{
    double s = bk->font_size;
    lxw_format **st = bk->style;
    if ((st[STYLE_ISSUER] = fmt(bk, 12, true))) {
        format_set_align(st[STYLE_ISSUER], LXW_ALIGN_CENTER);
        format_set_text_wrap(st[STYLE_ISSUER]);
    }
    if ((st[STYLE_NATIONAL] = fmt(bk, 12, true)))
        format_set_align(st[STYLE_NATIONAL], LXW_ALIGN_CENTER);
    if ((st[STYLE_MOTTO] = fmt(bk, 13, true))) {
        format_set_align(st[STYLE_MOTTO], LXW_ALIGN_CENTER);
        format_set_underline(st[STYLE_MOTTO], LXW_UNDERLINE_SINGLE);
    }
    if ((st[STYLE_TITLE] = fmt(bk, 14, true))) {
        format_set_align(st[STYLE_TITLE], LXW_ALIGN_CENTER);
        format_set_text_wrap(st[STYLE_TITLE]);
    }
    if ((st[STYLE_SUBTITLE] = fmt(bk, 12, false))) {
        format_set_align(st[STYLE_SUBTITLE], LXW_ALIGN_CENTER);
        format_set_italic(st[STYLE_SUBTITLE]);
    }
    if ((st[STYLE_UNIT_COUNT] = fmt(bk, s, false))) {
        format_set_align(st[STYLE_UNIT_COUNT], LXW_ALIGN_RIGHT);
        format_set_italic(st[STYLE_UNIT_COUNT]);
    }
    if ((st[STYLE_HEADING] = fmt(bk, s, true))) {
        format_set_align(st[STYLE_HEADING], LXW_ALIGN_CENTER);
        format_set_text_wrap(st[STYLE_HEADING]);
        format_set_border(st[STYLE_HEADING], LXW_BORDER_THIN);
        format_set_bg_color(st[STYLE_HEADING], 0xF2F2F2);
    }
    if ((st[STYLE_GROUP] = fmt(bk, s, true))) {
        format_set_border(st[STYLE_GROUP], LXW_BORDER_THIN);
        format_set_bg_color(st[STYLE_GROUP], 0xF2F2F2);
    }
    if ((st[STYLE_PLACE_DATE] = fmt(bk, 12, false))) {
        format_set_align(st[STYLE_PLACE_DATE], LXW_ALIGN_CENTER);
        format_set_italic(st[STYLE_PLACE_DATE]);
    }
    if ((st[STYLE_SIGNER] = fmt(bk, 12, true)))
        format_set_align(st[STYLE_SIGNER], LXW_ALIGN_CENTER);
    if ((st[STYLE_SIGNER_NAME] = fmt(bk, 12, true)))
        format_set_align(st[STYLE_SIGNER_NAME], LXW_ALIGN_CENTER);
}

cadre_error xlsx_book_open(xlsx_book *bk, const char *tmp_path,
                           const char *path, time_t created,
                           cadre_diags *diags)
{
    memset(bk, 0, sizeof *bk);
    bk->path = path;
    bk->tmp_path = tmp_path;
    bk->diags = diags;
    bk->font_size = 11;
    /* constant_memory: each sheet's rows go to a temporary file as they
     * are written, so a province costs no workbook memory */
    lxw_workbook_options o = { .constant_memory = LXW_TRUE };
    bk->wb = workbook_new_opt(tmp_path, &o);
    if (!bk->wb) {
        bk->err = CADRE_EXLSX;
        cadre_diags_error(diags, NULL, 0, "cannot write '%s': libxlsxwriter "
                          "could not begin the workbook", path);
        return bk->err;
    }
    (void)created; /* set with the other properties: xlsx_book_props() */
    make_styles(bk);
    return bk->err;
}

void xlsx_book_props(xlsx_book *bk, lxw_doc_properties *props)
{
    xlsx_check(bk, workbook_set_properties(bk->wb, props), "properties");
}

/* A data format already made, by what it looks like. */
struct xlsx_format_key {
    double size;
    int align, kind;
    bool bold, wrap;
    const char *num_format; /* borrowed from the template */
    lxw_format *f;
};

static lxw_format *find_fmt(xlsx_book *bk, const struct xlsx_format_key *k)
{
    for (size_t i = 0; i < bk->n_fmts; i++) {
        const struct xlsx_format_key *o = &bk->fmts[i];
        if (o->size == k->size && o->align == k->align && o->kind == k->kind &&
            o->bold == k->bold && o->wrap == k->wrap &&
            (o->num_format == k->num_format ||
             (o->num_format && k->num_format &&
              strcmp(o->num_format, k->num_format) == 0)))
            return o->f;
    }
    return NULL;
}

static void keep_fmt(xlsx_book *bk, const struct xlsx_format_key *k)
{
    if (!GROW(bk->fmts, bk->cap_fmts, bk->n_fmts + 1))
        return; /* not kept: only a duplicate format later */
    bk->fmts[bk->n_fmts++] = *k;
}

void xlsx_colfmt_init(xlsx_book *bk, column_formats *cf, int align, bool wrap,
                    const char *num_format)
{
    static const char *const nf[CELL_KINDS] = {
        [CELL_TEXT] = NULL, [CELL_NUMBER] = "General", [CELL_COUNT] = "#,##0",
        [CELL_DATE] = "dd/mm/yyyy", [CELL_YEAR] = "0",
    };
    for (int k = 0; k < CELL_KINDS; k++)
        for (int b = 0; b < 2; b++) {
            bool nf_used = num_format && (k == CELL_NUMBER || k == CELL_COUNT);
            struct xlsx_format_key key = { bk->font_size, align, k, b,
                                     wrap && k == CELL_TEXT,
                                     nf_used ? num_format : NULL, NULL };
            if ((cf->f[k][b] = find_fmt(bk, &key)))
                continue;
            lxw_format *f = fmt(bk, bk->font_size, b);
            cf->f[k][b] = f;
            if (!f)
                continue;
            key.f = f;
            keep_fmt(bk, &key);
            format_set_border(f, LXW_BORDER_THIN);
            int a = align;
            if (a == LXW_ALIGN_NONE)
                a = k == CELL_TEXT ? LXW_ALIGN_LEFT
                    : k == CELL_DATE || k == CELL_YEAR ? LXW_ALIGN_CENTER
                                                   : LXW_ALIGN_RIGHT;
            format_set_align(f, (uint8_t)a);
            if (k == CELL_TEXT && wrap)
                format_set_text_wrap(f);
            const char *n = nf[k];
            if (num_format && (k == CELL_NUMBER || k == CELL_COUNT))
                n = num_format;
            if (n)
                format_set_num_format(f, n);
        }
}

lxw_worksheet *xlsx_sheet_add(xlsx_book *bk, const char *name)
{
    lxw_worksheet *ws = workbook_add_worksheet(bk->wb, name);
    if (!ws)
        xlsx_check(bk, LXW_ERROR_SHEETNAME_ALREADY_USED, "adding a sheet");
    return ws;
}

/* The width of a character by its first byte, in Excel's character units:
 * one unit is the width of a digit; in a Times-like face lower-case
 * letters are narrower and capitals a little wider (measured on the
 * rendered sample district, near enough to wrap where LibreOffice does).
 * Continuation bytes count nothing: their character is counted. */
static const double byte_width[256] = {
    [0x01 ... 0x1F] = 1.0, [' '] = 0.5, ['!' ... '@'] = 1.0,
    ['A' ... 'Z'] = 1.3, ['[' ... '`'] = 1.0,
    ['a' ... 'e'] = 0.9, ['f'] = 0.55, ['g' ... 'h'] = 0.9, ['i'] = 0.55,
    ['j'] = 0.55, ['k'] = 0.9, ['l'] = 0.55, ['m'] = 1.2,
    ['n' ... 'q'] = 0.9, ['r'] = 0.55, ['s'] = 0.9, ['t'] = 0.55,
    ['u' ... 'v'] = 0.9, ['w'] = 1.2, ['x' ... 'z'] = 0.9,
    ['{' ... 0x7F] = 1.0,
    [0xC0 ... 0xFF] = 0.95, /* a Vietnamese letter, mostly lower case */
};

/* True when the letter at `p` (a lead byte of two or three, `left` bytes
 * to the end) is a Vietnamese capital: Latin-1's À..Þ, the even letters of
 * Latin Extended-A (Ă Đ Ĩ Ũ) and Latin Extended Additional (Ạ..Ỹ), Ơ, Ư.
 * Capitals are drawn about 1.4 times as wide as small letters. */
static bool capital(const unsigned char *p, size_t left)
{
    unsigned cp;
    if (p[0] < 0xE0 && left >= 2)
        cp = (p[0] & 0x1Fu) << 6 | (p[1] & 0x3Fu);
    else if (p[0] < 0xF0 && left >= 3)
        cp = (p[0] & 0x0Fu) << 12 | (p[1] & 0x3Fu) << 6 | (p[2] & 0x3Fu);
    else
        return false;
    if (cp >= 0xC0 && cp <= 0xDE)
        return cp != 0xD7;
    if ((cp >= 0x100 && cp <= 0x17F) || (cp >= 0x1EA0 && cp <= 0x1EF9))
        return cp % 2 == 0;
    return cp == 0x1A0 || cp == 0x1AF;
}

double xlsx_text_width_n(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    double w = 0, line = 0;
    for (size_t i = 0; i < len; i++) {
        if (p[i] == '\n') {
            if (line > w)
                w = line;
            line = 0;
        } else if (p[i] >= 0xC0 && capital(p + i, len - i))
            line += byte_width['A'];
        else
            line += byte_width[p[i]];
    }
    return line > w ? line : w;
}

double xlsx_text_width(const char *s)
{
    return xlsx_text_width_n(s, strlen(s));
}

/* Cut `s` to CELL_MAX characters: the new string, or NULL when it fits. */
static char *cut(const char *s)
{
    size_t chars = 0, i = 0;
    for (; s[i]; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80 && ++chars > CELL_MAX)
            break;
    if (!s[i])
        return NULL;
    char *t = malloc(i + 1);
    if (t) {
        memcpy(t, s, i);
        t[i] = '\0';
    }
    return t;
}

/* The text to hand libxlsxwriter for `s`: itself, "?" when it is not
 * valid UTF-8, or a copy cut to CELL_MAX characters in *tmp (free it). */
static const char *safe_text(xlsx_book *bk, const char *s, uint32_t row,
                             char **tmp)
{
    *tmp = NULL;
    size_t len = strlen(s);
    if (cadre_text_check(s, len, NULL, NULL) == CADRE_TEXT_BAD_UTF8) {
        if (!bk->warned_invalid)
            cadre_diags_add(bk->diags, CADRE_SEV_WARNING, NULL, 0,
                            "invalid UTF-8 in a cell of row %lu replaced "
                            "by '?'", (unsigned long)row + 1);
        bk->warned_invalid = true;
        return "?";
    }
    if (len > CELL_MAX && (*tmp = cut(s))) {
        cadre_diags_add(bk->diags, CADRE_SEV_WARNING, NULL, 0,
                        "a text of %zu characters cut to %d, the most a "
                        "cell holds (row %lu)", cadre_text_length(s),
                        CELL_MAX, (unsigned long)row + 1);
        return *tmp;
    }
    return s;
}

void xlsx_text(xlsx_book *bk, lxw_worksheet *ws, uint32_t row, uint16_t col,
             const char *s, lxw_format *f)
{
    if (bk->err != CADRE_OK)
        return;
    char *tmp;
    s = safe_text(bk, s, row, &tmp);
    xlsx_check(bk, worksheet_write_string(ws, row, col, s, f), "a cell");
    free(tmp);
}

bool xlsx_text_safe(const char *s, size_t len)
{
    return len <= CELL_MAX &&
           cadre_text_check(s, len, NULL, NULL) != CADRE_TEXT_BAD_UTF8;
}

void xlsx_text_safe_write(xlsx_book *bk, lxw_worksheet *ws, uint32_t row,
                        uint16_t col, const char *s, lxw_format *f)
{
    if (bk->err == CADRE_OK)
        xlsx_check(bk, worksheet_write_string(ws, row, col, s, f), "a cell");
}

void xlsx_merged(xlsx_book *bk, lxw_worksheet *ws, uint32_t row,
                 uint16_t first, uint16_t last, const char *s,
                 lxw_format *f)
{
    if (bk->err != CADRE_OK)
        return;
    if (last <= first) {
        xlsx_text(bk, ws, row, first, s, f);
        return;
    }
    char *tmp;
    s = safe_text(bk, s, row, &tmp);
    xlsx_check(bk, worksheet_merge_range(ws, row, first, row, last, s, f),
             "merging cells");
    free(tmp);
}

void xlsx_number(xlsx_book *bk, lxw_worksheet *ws, uint32_t row, uint16_t col,
               double v, lxw_format *f)
{
    if (bk->err == CADRE_OK)
        xlsx_check(bk, worksheet_write_number(ws, row, col, v, f), "a cell");
}

void xlsx_blank(xlsx_book *bk, lxw_worksheet *ws, uint32_t row, uint16_t col,
              lxw_format *f)
{
    if (bk->err == CADRE_OK)
        xlsx_check(bk, worksheet_write_blank(ws, row, col, f), "a cell");
}

void xlsx_formula(xlsx_book *bk, lxw_worksheet *ws, uint32_t row, uint16_t col,
                const char *formula, double value, lxw_format *f)
{
    if (bk->err == CADRE_OK)
        xlsx_check(bk, worksheet_write_formula_num(ws, row, col, formula, f,
                                                 value),
                 "a formula");
}
