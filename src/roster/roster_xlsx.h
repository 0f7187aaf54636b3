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

#include "cadre/error.h"

/* Named formats every sheet shares. */
enum rx_style {
    RX_ISSUER,      /* top left: the issuing body, bold capitals */
    RX_NATIONAL,    /* top right: the national title, bold */
    RX_MOTTO,       /* under it: the motto, bold, underlined */
    RX_TITLE,       /* the roster's title, bold, large */
    RX_SUBTITLE,    /* lines under the title, italic */
    RX_UNIT_COUNT,  /* "Đơn vị tính: người", italic, right */
    RX_HEADING,     /* column headings: bold, wrapped, boxed */
    RX_GROUP,       /* a group's heading row: bold, boxed */
    RX_PLACE_DATE,  /* "Đình Lập, ngày ...": italic */
    RX_SIGNER,      /* signer's title: bold */
    RX_SIGNER_NAME, /* signer's name: bold */
    RX_STYLE_COUNT
};

/* What a data cell holds, for its number format. */
enum rx_kind { RX_TEXT, RX_NUMBER, RX_COUNT, RX_DATE, RX_YEAR, RX_KIND_COUNT };

typedef struct rx_book {
    lxw_workbook *wb;         /* the workbook being written */
    const char *path;         /* the target, for messages */
    cadre_diags *diags;
    cadre_error err;          /* first failure; later writes are skipped */
    double font_size;         /* data and headings, points */
    lxw_format *style[RX_STYLE_COUNT];
    struct rx_fmtkey *fmts;   /* data formats made, to reuse: libxlsxwriter
                                 hashes a duplicate format on every write */
    size_t n_fmts, cap_fmts;
    bool warned_long;         /* a cut text was reported already */
    bool warned_invalid;      /* an invalid text was reported already */
} rx_book;

/* The cell formats of one column: by kind, plain and bold (totals). */
typedef struct rx_colfmt {
    lxw_format *f[RX_KIND_COUNT][2];
} rx_colfmt;

/* Begin a workbook at `tmp_path` (shown as `path` in messages), in
 * constant_memory mode, created at `created`.  Returns CADRE_OK or
 * CADRE_EXLSX with a message. */
cadre_error rx_book_open(rx_book *bk, const char *tmp_path, const char *path,
                         time_t created, cadre_diags *diags);

/* Set the document properties; each may be NULL.  Strings are copied by
 * libxlsxwriter when the workbook is closed, so they must live until
 * then: the caller keeps them. */
void rx_book_props(rx_book *bk, lxw_doc_properties *props);

/* Finish the file: returns bk->err, or the error of workbook_close(). */
cadre_error rx_book_close(rx_book *bk);

/* Give up: free the workbook without a usable file. */
void rx_book_discard(rx_book *bk);

/* Record a libxlsxwriter failure (the first one is reported). */
void rx_check(rx_book *bk, lxw_error e, const char *what);

/* The formats of a data column aligned `align` (LXW_ALIGN_*), with
 * `num_format` for numbers when not NULL. */
void rx_colfmt_init(rx_book *bk, rx_colfmt *cf, int align, bool wrap,
                    const char *num_format);

/* Add a sheet named `name`, set up for A4 landscape printing, fit to one
 * page wide, "Trang &P/&N" in the footer. */
lxw_worksheet *rx_sheet_add(rx_book *bk, const char *name);

/* Write text, after checking it is valid UTF-8 (a bad string is replaced
 * by "?" with a warning: libxlsxwriter would write a corrupt file) and
 * cutting it to 32,767 characters with a warning. */
void rx_text(rx_book *bk, lxw_worksheet *ws, uint32_t row, uint16_t col,
             const char *s, lxw_format *f);

/* True when `s` (`len` bytes) can be written as it is: valid UTF-8, and
 * no more than a cell holds. */
bool rx_text_safe(const char *s, size_t len);

/* Write text that rx_text_safe() accepted. */
void rx_text_safe_write(rx_book *bk, lxw_worksheet *ws, uint32_t row,
                        uint16_t col, const char *s, lxw_format *f);

/* Text across columns first..last of one row (merged when several). */
void rx_merged(rx_book *bk, lxw_worksheet *ws, uint32_t row, uint16_t first,
               uint16_t last, const char *s, lxw_format *f);

void rx_number(rx_book *bk, lxw_worksheet *ws, uint32_t row, uint16_t col,
               double v, lxw_format *f);
void rx_blank(rx_book *bk, lxw_worksheet *ws, uint32_t row, uint16_t col,
              lxw_format *f);
/* A formula with the value it computes stored beside it. */
void rx_formula(rx_book *bk, lxw_worksheet *ws, uint32_t row, uint16_t col,
                const char *formula, double value, lxw_format *f);

/* The width, in Excel's character units, that `s` needs on one line (its
 * longest line when it has several). */
/* Set a row's height in points, at most Excel's 409: a taller row is
 * refused or cut by spreadsheet programs. */
void rx_row_height(rx_book *bk, lxw_worksheet *ws, uint32_t row, double points);

double rx_text_width(const char *s);
double rx_text_width_n(const char *s, size_t len);

/* The Excel serial number of a day given as days since 1970-01-01. */
static inline double rx_excel_day(long days) { return (double)days + 25569.0; }

#endif
