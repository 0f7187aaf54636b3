/*
 * report_booklet.h (internal) - a booklet with every figure computed:
 * the texts, table cells and chart values the builder (report_build.c)
 * makes from the template and the records, and the layout
 * (report_layout.c, report_table.c, report_chart.c) draws.
 */
#ifndef CADRE_REPORT_BOOKLET_H
#define CADRE_REPORT_BOOKLET_H

#include <stdbool.h>
#include <stddef.h>

#include "report_template.h"

/* A cell of a table's heading grid. */
typedef struct heading_cell {
    char *text;            /* heading text */
    int row, col;          /* top-left position in the grid */
    int rows, cols;        /* spans */
} heading_cell;

enum booklet_row_kind { ROW_PLAIN, ROW_GROUP, ROW_SUBTOTAL, ROW_TOTAL };

typedef struct booklet_row {
    int kind;              /* enum booklet_row_kind */
    int indent;            /* depth under a parent unit */
    char **cells;          /* n_cols texts (number and stub first) */
} booklet_row;

typedef struct booklet_table {
    char *title;           /* may be NULL */
    char *note;
    size_t n_cols;         /* number, stub, then the leaves */
    size_t lead;           /* columns before the leaves (number, stub) */
    double *weights;       /* relative widths, n_cols */
    int *align;            /* per column: enum report_align */
    heading_cell *head;    /* heading cells */
    size_t n_head, cap_head;
    int head_rows;         /* rows of the heading */
    int number_row;        /* the row numbering the columns, or -1 */
    booklet_row *rows;
    size_t n_rows, cap_rows;
} booklet_table;

typedef struct booklet_chart {
    char *title;
    int type;              /* enum report_chart_type */
    char *y_title, *x_title;
    char **cats;           /* category labels */
    size_t n_cats;
    char **series;         /* series names (NULL names: no legend) */
    size_t n_series;
    double *v;             /* [cat * n_series + s] */
    double height;         /* mm */
} booklet_chart;

typedef struct booklet_block {
    int kind;              /* enum report_block_kind */
    char *text;            /* paragraph or heading text */
    bool italic, bold, center;
    booklet_table *table;
    booklet_chart *chart;
} booklet_block;

typedef struct booklet_section {
    char *title;
    int orientation;       /* 0 auto, 1 portrait, 2 landscape */
    bool new_page;
    bool in_contents;      /* listed in contents and bookmarks */
    int outline_level;     /* 0 a section, 1 a unit of the per-unit one */
    booklet_block *blocks;
    size_t n_blocks, cap_blocks;
} booklet_section;

typedef struct booklet {
    char *title, *header, *issuer, *parent_issuer, *national, *motto;
    char *subtitle;
    char *place_date;
    char *contents;        /* NULL: no contents page */
    char *sign_title, *sign_role, *sign_name, *recipients;
    booklet_section *sections;
    size_t n_sections, cap_sections;
} booklet;

void booklet_release(booklet *b);

#endif
