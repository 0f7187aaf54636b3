/*
 * report_internal.h (internal) - the booklet dialect once read (report.c),
 * and what the modules of cadre-report share: the figures computed from
 * it (report_build.c), and the pages drawn from those (report_layout.c,
 * report_table.c, report_chart.c).
 */
#ifndef CADRE_REPORT_INTERNAL_H
#define CADRE_REPORT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "cadre/expr.h"
#include "cadre/report.h"
#include "cadre/template.h"
#include "report_tally.h"

/* ------------------------------------------------------------------ */
/* The template, compiled.                                             */

/* Text with {placeholders}, split so that each placeholder's aggregates
 * can be tallied: a placeholder without filters keeps its expression. */
typedef struct rp_piece {
    char *lit;             /* literal text, or NULL for a placeholder */
    cadre_tmpl_text *tt;   /* the placeholder, as a one-piece template */
    cadre_expr *e;         /* its expression, for the tally (changed by
                              rp_tally_apply): owned by tt when the
                              placeholder has no filter, else by the piece */
    cadre_tmpl_text *ft;   /* with filters: "{value|filters}", applied to
                              e's value; NULL otherwise */
} rp_piece;

typedef struct rp_text {
    rp_piece *p;   /* pieces in order */
    size_t n;
} rp_text;

enum rp_align { RP_LEFT, RP_CENTER, RP_RIGHT };

/* A column of a table; a group (n_kids > 0) heads the columns under it. */
typedef struct rp_col {
    rp_text title;         /* heading */
    double width;          /* relative width; 0: automatic */
    int align;             /* enum rp_align */
    const char *where;     /* condition counted (source), or NULL */
    const char *of;        /* collection counted: cadres, participants,
                              courses; NULL: the table's */
    cadre_expr *value;     /* value= (or the count built from where=) */
    rp_text text;          /* text= (n == 0 when not given) */
    const cadre_tnode *node; /* where it was written */
    struct rp_col *kids;   /* columns under a group */
    size_t n_kids;
} rp_col;

/* A row of a table of listed rows. */
typedef struct rp_row {
    rp_text title;         /* first cell */
    const char *where;     /* its condition (source) */
    cadre_expr **cells;    /* per leaf column: the cell's expression, or
                              NULL for a text column */
    bool bold;             /* a total row */
    const cadre_tnode *node;
} rp_row;

enum rp_rows { RP_ROWS_UNITS, RP_ROWS_LIST, RP_ROWS_COURSES };

typedef struct rp_level {
    int level;             /* enum cadre_level */
    rp_text title;         /* "Khối huyện" */
} rp_level;

typedef struct rp_table {
    int rows;              /* enum rp_rows */
    const char *of;        /* default collection counted */
    const char *agg;       /* count or people */
    rp_text stub;          /* heading of the first column ("Đơn vị") */
    double stub_width;     /* its relative width */
    bool numbered;         /* a "TT" column first */
    bool col_numbers;      /* a heading row numbering the columns (A, B,
                              1, 2 ...), as statistics forms have */
    cadre_expr *filter;    /* rows=courses: which courses */
    rp_col *cols;          /* top-level columns */
    size_t n_cols;
    rp_col **leaves;       /* the columns holding cells, left to right */
    size_t n_leaves;
    rp_row *list;          /* rows=list */
    size_t n_list;
    rp_level *levels;      /* rows=units: groups, in order */
    size_t n_levels;
    rp_text total;         /* title of the grand-total row; n == 0: none */
    rp_text subtotal;      /* title of a group's subtotal; "{level}" */
    rp_text note;          /* line under the title ("Đơn vị tính: người") */
} rp_table;

enum rp_chart_type { RP_BARS, RP_STACKED, RP_LINE };

typedef struct rp_series {
    rp_text title;
    const char *where;     /* source */
    const cadre_tnode *node;
} rp_series;

typedef struct rp_chart {
    int type;              /* enum rp_chart_type */
    const char *of, *agg;  /* what is counted */
    rp_text y_title;       /* "Người" */
    rp_text x_title;
    bool years;            /* categories: the years of the records */
    int years_last;        /* how many years at most (0: all) */
    rp_series *cats;       /* categories (when not years) */
    size_t n_cats;
    rp_series *series;     /* one unnamed series when none given */
    size_t n_series;
    cadre_expr **cells;    /* [cat * n_series + s]; years: [s] with y */
    double height;         /* mm */
} rp_chart;

enum rp_kind { RP_PARA, RP_TABLE, RP_CHART, RP_HEADING };

typedef struct rp_block {
    int kind;              /* enum rp_kind */
    rp_text text;          /* RP_PARA, RP_HEADING: the text; charts and
                              tables: their title */
    bool italic, bold, center; /* RP_PARA */
    rp_table *table;
    rp_chart *chart;
    const cadre_tnode *node;
} rp_block;

typedef struct rp_section {
    rp_text title;         /* in contents, bookmarks and the page */
    int orientation;       /* 0 auto, 1 portrait, 2 landscape */
    bool new_page;         /* start on a new page */
    rp_block *blocks;
    size_t n_blocks;
    bool per_unit;         /* the one-page-per-unit section */
} rp_section;

struct cadre_report {
    cadre_tmpl *tmpl;      /* the template tree (strings live there) */
    rp_text title;         /* the booklet's title (cover, header) */
    rp_text header;        /* running header; default: title */
    rp_text issuer;        /* cover, top left */
    rp_text parent_issuer; /* above the issuer ("ĐẢNG BỘ TỈNH LẠNG SƠN") */
    rp_text national;      /* cover, top right ("ĐẢNG CỘNG SẢN VIỆT NAM") */
    rp_text subtitle;      /* cover, under the title */
    rp_text place_date;    /* cover and end: "Đình Lập, ngày ..." */
    rp_text contents;      /* title of the contents page; n == 0: none */
    rp_text sign_title;    /* signer block: "TM. BAN THƯỜNG VỤ" */
    rp_text sign_role;     /* "TRƯỞNG BAN" */
    rp_text sign_name;
    rp_text recipients;    /* "Nơi nhận: ..." lines, left of the signer */
    const char *font;      /* family, "Noto Serif" */
    rp_section *sections;
    size_t n_sections;
};

/* ------------------------------------------------------------------ */
/* Evaluation context shared by the builder.                           */

typedef struct rp_ctx {
    const cadre_records *r;
    cadre_env env;         /* year, as-of, bindings */
    rp_tally *tally;       /* the booklet's aggregates */
    bool registering;      /* first build: register aggregates, evaluate
                              nothing */
    rp_scope scope;        /* which figures an expression gets */
    const cadre_value *vars; /* extra variables (y) */
    size_t n_vars;
} rp_ctx;

/* Render `t` in `ctx` into a new string ("" while registering).  NULL when
 * out of memory. */
char *rp_text_render(rp_ctx *ctx, const rp_text *t);

/* Evaluate `e` in `ctx` (NULL value while registering).  Returns 0 or -1
 * when out of memory. */
int rp_eval(rp_ctx *ctx, cadre_expr *e, cadre_value *out);

void rp_text_release(rp_text *t);

/* ------------------------------------------------------------------ */
/* What the builder gives the layout.                                  */

/* A built table: every cell as text. */
typedef struct rp_hcell {
    char *text;            /* heading text */
    int row, col;          /* top-left position in the heading grid */
    int rows, cols;        /* spans */
} rp_hcell;

enum { RP_ROW_PLAIN, RP_ROW_GROUP, RP_ROW_SUBTOTAL, RP_ROW_TOTAL };

typedef struct rp_brow {
    int kind;              /* RP_ROW_* */
    int indent;            /* depth under a parent unit */
    char **cells;          /* n_cols texts (stub first) */
} rp_brow;

typedef struct rp_btable {
    char *title;           /* may be NULL */
    char *note;
    size_t n_cols;         /* stub (+ number) + leaves */
    double *weights;       /* relative widths, n_cols */
    int *align;            /* per column */
    rp_hcell *head;        /* heading cells */
    size_t n_head;
    int head_rows;         /* rows of the heading */
    int number_row;        /* the row numbering the columns, or -1 */
    rp_brow *rows;
    size_t n_rows, cap_rows;
} rp_btable;

typedef struct rp_bchart {
    char *title;
    int type;
    char *y_title, *x_title;
    char **cats;           /* category labels */
    size_t n_cats;
    char **series;         /* series names (NULL names: no legend) */
    size_t n_series;
    double *v;             /* [cat * n_series + s] */
    double height;
} rp_bchart;

typedef struct rp_bblock {
    int kind;              /* enum rp_kind */
    char *text;            /* paragraph or heading text */
    bool italic, bold, center;
    rp_btable *table;
    rp_bchart *chart;
} rp_bblock;

typedef struct rp_bsection {
    char *title;
    int orientation;       /* 0 auto, 1 portrait, 2 landscape */
    bool new_page;
    bool in_contents;      /* listed in contents and bookmarks */
    int outline_level;     /* 0 section, 1 a unit under the per-unit one */
    rp_bblock *blocks;
    size_t n_blocks, cap_blocks;
} rp_bsection;

typedef struct rp_booklet {
    char *title, *header, *issuer, *parent_issuer, *national, *subtitle;
    char *place_date;
    char *contents;        /* NULL: no contents page */
    char *sign_title, *sign_role, *sign_name, *recipients;
    rp_bsection *sections;
    size_t n_sections, cap_sections;
} rp_booklet;

/* Compute every figure of `rep` into a booklet.  Returns CADRE_OK or an
 * error (messages in diags). */
cadre_error rp_build(const cadre_report *rep, const cadre_records *recs,
                     const cadre_report_options *opt, rp_booklet *out,
                     cadre_diags *diags);

void rp_booklet_release(rp_booklet *b);

/* Lay out and write the booklet to `path` (through cadre_outfile). */
cadre_error rp_layout_write(const rp_booklet *b, const char *font_family,
                            const char *path, cadre_diags *diags);

#endif
