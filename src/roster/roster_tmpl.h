/*
 * roster_tmpl.h (internal) - the compiled roster template: what its
 * reader (roster_tmpl.c) makes of a <roster> tree and the writer's
 * stages (roster_job.h) read.
 */
#ifndef CADRE_ROSTER_TMPL_H
#define CADRE_ROSTER_TMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xlsxwriter.h>

#include "cadre/expr.h"
#include "cadre/roster.h"
#include "cadre/template.h"
#include "roster_count.h"

/* What one row of a sheet stands for. */
enum sheet_rows { ROWS_CADRES, ROWS_PARTICIPANTS, ROWS_UNITS };
enum sheet_group { GROUP_NONE, GROUP_UNIT, GROUP_COURSE, GROUP_LEVEL };
enum column_align { ALIGN_AUTO, ALIGN_LEFT, ALIGN_CENTER, ALIGN_RIGHT };
/* What a column shows in "Cộng" and "Tổng cộng" rows. */
enum column_total { TOTAL_NONE, TOTAL_LABEL, TOTAL_COUNT, TOTAL_SUM };

typedef struct roster_column {
    const char *heading;        /* its heading (borrowed from the tree) */
    int group;                  /* index into the sheet's groups, or -1 */
    cadre_tmpl_text *value;     /* the cell, or NULL for a count column */
    const cadre_expr *single;   /* borrowed from value when it is a single
                                   placeholder: the cell is typed */
    const char *value_src;      /* value as written (for statistics) */
    bool is_year;               /* single yields a year: format "0" */
    bool has_count;             /* a count column of a units sheet */
    count_cond count;           /* ... its condition */
    int over_col[COUNT_FIELDS]; /* ... the cadre sheet's column tested for
                                   each field, or -1 */
    double width;               /* 0: from the content */
    int align;                  /* enum column_align */
    const char *num_format;     /* number format, or NULL: by value type */
    int total;                  /* enum column_total */
    bool shows_group;           /* grouped sheets: the value is the
                                   group's (its unit's or course's field):
                                   shown on the group's total row too */
    const cadre_tnode *node;    /* where it was written */
} roster_column;

typedef struct roster_signer {
    cadre_tmpl_text *title;     /* "NGƯỜI LẬP BIỂU", "{course.signer-title}" */
    cadre_tmpl_text *name;      /* the signer's name, or NULL: blank */
} roster_signer;

typedef struct roster_sheet {
    const char *name;           /* the sheet's tab name, <= 31 characters */
    int rows;                   /* enum sheet_rows */
    cadre_expr *where;          /* rows kept, or NULL: all */
    int group;                  /* enum sheet_group */
    const char *total_label;    /* "Cộng", or NULL: no group totals */
    const char *grand_label;    /* "Tổng cộng", or NULL: no grand total */
    bool sort;                  /* Vietnamese name order (else file order) */
    const char *over;           /* units sheet: the cadre sheet counted */
    int over_sheet;             /* ... its index, or -1 */
    int over_key_col;           /* ... its column holding the unit id */
    int key_col;                /* grouped sheets: the column showing the
                                   group's key (unit or course id, level),
                                   or -1 (no group totals) */
    int name_col;               /* the column a row is known by (its
                                   totals' label, or its name), or -1 */
    double row_height;          /* least height of a data row, points, or
                                   0 (room to sign in) */
    cadre_tmpl_text *issuer;    /* top left, upper-cased */
    cadre_tmpl_text **titles;   /* title lines, bold */
    size_t n_titles;
    cadre_tmpl_text **subtitles;/* lines under the title, italic */
    size_t n_subtitles;
    cadre_tmpl_text *unit_of_count; /* "Đơn vị tính: người", or NULL */
    cadre_tmpl_text *place_date;/* the place-date line, or NULL: default */
    roster_signer *signers;     /* signer blocks, left to right */
    size_t n_signers;
    roster_column *cols;
    size_t n_cols;
    const char **groups;        /* column group headings */
    size_t n_groups;
    double font_size;           /* points */
    const cadre_tnode *node;    /* where it was written */
} roster_sheet;

typedef struct roster_props {
    cadre_tmpl_text *title, *subject, *author, *company, *keywords,
        *comments, *category;   /* document properties, or NULL */
} roster_props;

struct cadre_roster {
    cadre_tmpl *tmpl;           /* the tree: strings are borrowed from it */
    roster_sheet *sheets;
    size_t n_sheets;
    roster_props props;
};

/* The variables of row templates: seq (row number in the sheet) and
 * group-seq (row number in its group). */
extern const char *const roster_row_vars[];
enum { VAR_SEQ, VAR_GROUP_SEQ, VAR_COUNT };

/* True when the column's value shows field `f` (enum count_field) as
 * a COUNTIFS formula tests it. */
bool column_shows(const roster_column *c, int f);

#endif
