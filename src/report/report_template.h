/*
 * report_template.h (internal) - a booklet template once read (report.c):
 * its texts, sections, tables and charts, every expression compiled and
 * checked, ready for the builder (report_build.c) to compute.
 */
#ifndef CADRE_REPORT_TEMPLATE_H
#define CADRE_REPORT_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>

#include "cadre/expr.h"
#include "cadre/report.h"
#include "cadre/template.h"

/* A text of the template, with {placeholders}. */
typedef struct report_text {
    cadre_tmpl_text *tt;      /* compiled; NULL when not given */
    const cadre_expr **exprs; /* its placeholders' expressions (borrowed
                                 from tt), for the tally */
    size_t n_exprs;
} report_text;

static inline bool report_text_given(const report_text *t)
{
    return t->tt != NULL;
}

void report_text_release(report_text *t);

#define ROOT_VALUES 5 /* as-of, issuer, place, signer, signer-title */

enum report_align { ALIGN_LEFT, ALIGN_CENTER, ALIGN_RIGHT };

/* A column of a table; a group (n_kids > 0) heads the columns under it. */
typedef struct report_column {
    report_text title;     /* heading */
    double width;          /* relative width; 0: automatic */
    int align;             /* enum report_align */
    const char *where;     /* condition counted (source), or NULL */
    const char *of;        /* collection counted: cadres, participants,
                              courses; NULL: the table's */
    cadre_expr *value;     /* value= (or the count built from where=) */
    report_text text;      /* text= (not given for a number column) */
    const cadre_tnode *node; /* where it was written */
    struct report_column *kids; /* columns under a group */
    size_t n_kids;
} report_column;

/* A row of a table of listed rows. */
typedef struct report_row {
    report_text title;     /* first cell */
    const char *where;     /* its condition (source) */
    cadre_expr **cells;    /* per leaf column: the cell's expression, or
                              NULL for a text column */
    bool total;            /* printed as a total (bold, shaded), left out
                              of the table's sum */
    const cadre_tnode *node;
} report_row;

enum report_rows { ROWS_UNITS, ROWS_LIST, ROWS_COURSES };

/* A group of rows=units: the units of one level. */
typedef struct report_level {
    int level;             /* enum cadre_level */
    report_text title;     /* "Khối huyện" */
} report_level;

typedef struct report_table {
    int rows;              /* enum report_rows */
    const char *of;        /* default collection counted */
    const char *agg;       /* count or people */
    report_text stub;      /* heading of the first column ("Đơn vị") */
    double stub_width;     /* its relative width */
    bool numbered;         /* a "TT" column first */
    bool col_numbers;      /* a heading row numbering the columns (A, B,
                              1, 2 ...), as statistics forms have */
    cadre_expr *filter;    /* rows=courses: which courses */
    report_column *cols;   /* top-level columns */
    size_t n_cols;
    report_column **leaves; /* the columns holding cells, left to right */
    size_t n_leaves, cap_leaves;
    report_row *list;      /* rows=list */
    size_t n_list, cap_list;
    report_level *levels;  /* rows=units: groups, in order */
    size_t n_levels, cap_levels;
    report_text total;     /* title of the grand-total row; none: no row */
    report_text subtotal;  /* title of a group's subtotal */
    report_text note;      /* line under the title ("Đơn vị tính: người") */
} report_table;

enum report_chart_type { CHART_BARS, CHART_STACKED, CHART_LINE };

/* A category (x axis) or a series (legend) of a chart. */
typedef struct report_series {
    report_text title;
    const char *where;     /* source */
    const cadre_tnode *node;
} report_series;

typedef struct report_chart {
    int type;              /* enum report_chart_type */
    const char *of, *agg;  /* what is counted */
    report_text y_title;   /* "Người" */
    report_text x_title;
    bool years;            /* categories: the years of the records */
    int years_last;        /* how many years at most (0: all) */
    report_series *cats;   /* categories (when not years) */
    size_t n_cats, cap_cats;
    report_series *series; /* one unnamed series when none given */
    size_t n_series, cap_series;
    cadre_expr **cells;    /* [cat * n_series + s]; years: [s] with y */
    double height;         /* mm */
} report_chart;

enum report_block_kind { BLOCK_PARA, BLOCK_TABLE, BLOCK_CHART, BLOCK_HEADING };

typedef struct report_block {
    int kind;              /* enum report_block_kind */
    report_text text;      /* paragraphs and headings: the text; charts
                              and tables: their title */
    bool italic, bold, center; /* paragraphs */
    report_table *table;
    report_chart *chart;
    const cadre_tnode *node;
} report_block;

typedef struct report_section {
    report_text title;     /* in contents, bookmarks and the page */
    int orientation;       /* 0 auto, 1 portrait, 2 landscape */
    bool new_page;         /* start on a new page */
    report_block *blocks;
    size_t n_blocks, cap_blocks;
    bool per_unit;         /* the one-page-per-unit section */
} report_section;

/* The texts of the front and the end of a booklet, in one order: of a
 * template (report_text) or of a built booklet (char *), which name them
 * alike. */
#define BOOKLET_STRINGS(b) { &(b)->title, &(b)->header, &(b)->issuer, \
    &(b)->parent_issuer, &(b)->subtitle, &(b)->place_date, &(b)->contents, \
    &(b)->sign_title, &(b)->sign_role, &(b)->sign_name, &(b)->recipients, \
    &(b)->national, &(b)->motto }

struct cadre_report {
    cadre_tmpl *tmpl;      /* the template tree (strings live there) */
    report_text title;     /* the booklet's title (cover, header) */
    report_text header;    /* running header; default: title */
    report_text issuer;    /* cover, top left */
    report_text parent_issuer; /* above the issuer ("ĐẢNG BỘ TỈNH LẠNG SƠN") */
    report_text national;  /* cover, top right ("ĐẢNG CỘNG SẢN VIỆT NAM") */
    report_text motto;     /* under it ("Độc lập - Tự do - Hạnh phúc") */
    report_text subtitle;  /* cover, under the title */
    report_text place_date; /* cover and end: "Đình Lập, ngày ..." */
    report_text contents;  /* title of the contents page; none: no page */
    report_text sign_title; /* signer block: "TM. BAN THƯỜNG VỤ" */
    report_text sign_role; /* "TRƯỞNG BAN" */
    report_text sign_name;
    report_text recipients; /* "Nơi nhận: ..." lines, left of the signer */
    const char *font;      /* family, "Noto Serif" */
    report_section *sections;
    size_t n_sections, cap_sections;
    const cadre_tnode *uses_at[ROOT_VALUES]; /* where the template first
                              prints each root value of the records (bit k
                              of CADRE_USES_*), or NULL */
};

#endif
