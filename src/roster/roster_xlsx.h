/*
 * roster_xlsx.h (internal) - the thin layer between the roster writer and
 * libxlsxwriter: the workbook's life (constant_memory, document
 * properties, a reproducible creation time), the official look (fonts,
 * borders, the title block's formats), page set-up, and cell writes that
 * check every lxw_error and never hand libxlsxwriter invalid or too long
 * text.
 */
#ifndef CADRE_ROSTER_XLSX_H
#define CADRE_ROSTER_XLSX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <xlsxwriter.h>

#include "cadre/date.h"
#include "cadre/error.h"

/* A serif face clerks know; LibreOffice and Excel without it substitute a
 * metric-compatible one (Liberation Serif) with Vietnamese. */
#define XLSX_FONT "Times New Roman"

/* Named formats every sheet shares. */
enum xlsx_style {
    STYLE_ISSUER,      /* top left: the issuing body, bold capitals */
    STYLE_NATIONAL,    /* top right: the national title, bold */
    STYLE_MOTTO,       /* under it: the motto, bold, underlined */
    STYLE_TITLE,       /* the roster's title, bold, large */
    STYLE_SUBTITLE,    /* lines under the title, italic */
    STYLE_UNIT_COUNT,  /* "Đơn vị tính: người", italic, right */
    STYLE_HEADING,     /* column headings: bold, wrapped, boxed */
    STYLE_GROUP,       /* a group's heading row: bold, boxed */
    STYLE_PLACE_DATE,  /* "Đình Lập, ngày ...": italic */
    STYLE_SIGNER,      /* signer's title: bold */
    STYLE_SIGNER_NAME, /* signer's name: bold */
    STYLE_COUNT
};

/* What a data cell holds, for its number format. */
enum cell_kind {
    CELL_TEXT, CELL_NUMBER, CELL_COUNT, CELL_DATE, CELL_YEAR, CELL_KINDS
};

typedef struct xlsx_book {
    lxw_workbook *wb;         /* the workbook being written */
    const char *path;         /* the target, for messages */
    const char *tmp_path;     /* the file written, read back on closing */
    cadre_diags *diags;
    cadre_error err;          /* first failure; later writes are skipped */
    double font_size;         /* data and headings, points */
    lxw_format *style[STYLE_COUNT];
    struct xlsx_format_key *fmts; /* data formats made, to reuse:
                                     libxlsxwriter hashes a duplicate format
                                     on every write */
    size_t n_fmts, cap_fmts;
    bool warned_long;         /* a cut text was reported already */
    bool warned_invalid;      /* an invalid text was reported already */
} xlsx_book;

/* The cell formats of one column: by kind, plain and bold (totals). */
typedef struct column_formats {
    lxw_format *f[CELL_KINDS][2];
} column_formats;

/* Begin a workbook at `tmp_path` (shown as `path` in messages), in
 * constant_memory mode, created at `created`.  Returns CADRE_OK or
 * CADRE_EXLSX with a message. */
cadre_error xlsx_book_open(xlsx_book *bk, const char *tmp_path,
                           const char *path, time_t created,
                           cadre_diags *diags);

/* Set the document properties; each may be NULL.  Strings are copied by
 * libxlsxwriter when the workbook is closed, so they must live until
 * then: the caller keeps them. */
void xlsx_book_props(xlsx_book *bk, lxw_doc_properties *props);

/* Finish the file and read it back (roster_xlsx_close.c): returns
 * bk->err, or CADRE_EXLSX with "cannot write 'path': cause" when
 * libxlsxwriter could not write it, or wrote a part of it short.  Prints
 * nothing: libxlsxwriter's own lines are kept from stderr. */
cadre_error xlsx_book_close(xlsx_book *bk);

/* Give up: free the workbook without a usable file. */
void xlsx_book_discard(xlsx_book *bk);

/* Record a libxlsxwriter failure (the first one is reported). */
void xlsx_check(xlsx_book *bk, lxw_error e, const char *what);

/* The formats of a data column aligned `align` (LXW_ALIGN_*), with
 * `num_format` for numbers when not NULL. */
void xlsx_colfmt_init(xlsx_book *bk, column_formats *cf, int align, bool wrap,
                    const char *num_format);

/* Add a sheet named `name` (its printing: roster_print.h). */
lxw_worksheet *xlsx_sheet_add(xlsx_book *bk, const char *name);

/* Write text, after checking it is valid UTF-8 (a bad string is replaced
 * by "?" with a warning: libxlsxwriter would write a corrupt file) and
 * cutting it to 32,767 characters with a warning. */
void xlsx_text(xlsx_book *bk, lxw_worksheet *ws, uint32_t row, uint16_t col,
             const char *s, lxw_format *f);

/* True when `s` (`len` bytes) can be written as it is: valid UTF-8, and
 * no more than a cell holds. */
bool xlsx_text_safe(const char *s, size_t len);

/* Write text that xlsx_text_safe() accepted. */
void xlsx_text_safe_write(xlsx_book *bk, lxw_worksheet *ws, uint32_t row,
                        uint16_t col, const char *s, lxw_format *f);

/* Text across columns first..last of one row (merged when several). */
void xlsx_merged(xlsx_book *bk, lxw_worksheet *ws, uint32_t row,
                 uint16_t first, uint16_t last, const char *s,
                 lxw_format *f);

void xlsx_number(xlsx_book *bk, lxw_worksheet *ws, uint32_t row, uint16_t col,
               double v, lxw_format *f);
void xlsx_blank(xlsx_book *bk, lxw_worksheet *ws, uint32_t row, uint16_t col,
              lxw_format *f);
/* A formula with the value it computes stored beside it. */
void xlsx_formula(xlsx_book *bk, lxw_worksheet *ws, uint32_t row, uint16_t col,
                const char *formula, double value, lxw_format *f);

/* The width, in Excel's character units, that `s` needs on one line (its
 * longest line when it has several). */
/* Set a row's height in points, at most Excel's 409: a taller row is
 * refused or cut by spreadsheet programs. */
void xlsx_row_height(xlsx_book *bk, lxw_worksheet *ws, uint32_t row,
                     double points);

double xlsx_text_width(const char *s);
double xlsx_text_width_n(const char *s, size_t len);

/* True when `d` is a day Excel stores as a date: a whole date from 1
 * March 1900 (its serials before that count a 29 February 1900 that never
 * was, and there are none before 1900). */
static inline bool xlsx_is_date(cadre_date d)
{
    return d.month != 0 && (d.year > 1900 || (d.year == 1900 && d.month >= 3));
}

/* The Excel serial number of a day given as days since 1970-01-01. */
static inline double xlsx_excel_day(long days)
{
    return (double)days + 25569.0;
}

#endif
