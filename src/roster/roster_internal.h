/*
 * roster_internal.h (internal) - the compiled roster template, shared by
 * its reader (roster_tmpl.c), the count conditions of statistics sheets
 * (roster_stats.c), the XLSX layer (roster_xlsx.c) and the writer
 * (roster.c and the stages in roster_write.h).
 */
#ifndef CADRE_ROSTER_INTERNAL_H
#define CADRE_ROSTER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xlsxwriter.h>

#include "cadre/expr.h"
#include "cadre/roster.h"
#include "cadre/template.h"

/* What one row of a sheet stands for. */
enum rs_rows { RS_ROWS_CADRES, RS_ROWS_PARTICIPANTS, RS_ROWS_UNITS };
enum rs_group { RS_GROUP_NONE, RS_GROUP_UNIT, RS_GROUP_COURSE, RS_GROUP_LEVEL };
enum rs_align { RS_ALIGN_AUTO, RS_ALIGN_LEFT, RS_ALIGN_CENTER, RS_ALIGN_RIGHT };
/* What a column shows in "Cộng" and "Tổng cộng" rows. */
enum rs_total { RS_TOTAL_NONE, RS_TOTAL_LABEL, RS_TOTAL_COUNT, RS_TOTAL_SUM };

/* The cadre fields a count condition may test: those a COUNTIFS formula
 * can test on a cadre sheet's cells. */
enum rs_field {
    RS_F_GENDER, RS_F_CATEGORY, RS_F_EDUCATION, RS_F_POLITICAL_THEORY,
    RS_F_STATE_MANAGEMENT, RS_F_PARTY_MEMBER, RS_F_LEADER, RS_F_MINORITY,
    RS_F_AGE, RS_F_COUNT
};

/* A count condition: a conjunction of tests, one per field at most. */
typedef struct rs_cond {
    uint32_t tested;            /* bit per rs_field tested */
    uint32_t mask[RS_F_COUNT];  /* code and true/false fields: the values
                                   accepted, a bit per code (false = 0) */
    int age_lo, age_hi;         /* RS_F_AGE: accepted ages, inclusive */
} rs_cond;

typedef struct rs_column {
    const char *heading;        /* its heading (borrowed from the tree) */
    int group;                  /* index into the sheet's groups, or -1 */
    cadre_tmpl_text *value;     /* the cell, or NULL for a count column */
    const cadre_expr *single;   /* borrowed from value when it is a single
                                   placeholder: the cell is typed */
    const char *value_src;      /* value as written (for statistics) */
    bool is_year;               /* single yields a year: format "0" */
    bool has_count;             /* a count column of a units sheet */
    rs_cond count;              /* ... its condition */
    int over_col[RS_F_COUNT];   /* ... the cadre sheet's column tested for
                                   each field, or -1 */
    double width;               /* 0: from the content */
    int align;                  /* enum rs_align */
    const char *num_format;     /* number format, or NULL: by value type */
    int total;                  /* enum rs_total */
    const cadre_tnode *node;    /* where it was written */
} rs_column;

typedef struct rs_signer {
    cadre_tmpl_text *title;     /* "NGƯỜI LẬP BIỂU", "{course.signer-title}" */
    cadre_tmpl_text *name;      /* the signer's name, or NULL: blank */
} rs_signer;

typedef struct rs_sheet {
    const char *name;           /* the sheet's tab name, <= 31 characters */
    int rows;                   /* enum rs_rows */
    cadre_expr *where;          /* rows kept, or NULL: all */
    int group;                  /* enum rs_group */
    cadre_tmpl_text *group_heading; /* group heading row, or NULL */
    const char *total_label;    /* "Cộng" */
    const char *grand_label;    /* "Tổng cộng", or NULL: no grand total */
    bool sort;                  /* Vietnamese name order (else file order) */
    const char *over;           /* units sheet: the cadre sheet counted */
    int over_sheet;             /* ... its index, or -1 */
    int over_unit_col;          /* ... its column holding the unit name */
    cadre_tmpl_text *issuer;    /* top left, upper-cased */
    cadre_tmpl_text **titles;   /* title lines, bold */
    size_t n_titles;
    cadre_tmpl_text **subtitles;/* lines under the title, italic */
    size_t n_subtitles;
    cadre_tmpl_text *unit_of_count; /* "Đơn vị tính: người", or NULL */
    cadre_tmpl_text *place_date;/* the place-date line, or NULL: default */
    rs_signer *signers;         /* signer blocks, left to right */
    size_t n_signers;
    rs_column *cols;
    size_t n_cols;
    const char **groups;        /* column group headings */
    size_t n_groups;
    double font_size;           /* points */
    const cadre_tnode *node;    /* where it was written */
} rs_sheet;

typedef struct rs_props {
    cadre_tmpl_text *title, *subject, *author, *company, *keywords,
        *comments, *category;   /* document properties, or NULL */
} rs_props;

struct cadre_roster {
    cadre_tmpl *tmpl;           /* the tree: strings are borrowed from it */
    rs_sheet *sheets;
    size_t n_sheets;
    rs_props props;
};

/* The variables of row templates: seq (row number in the sheet) and
 * group-seq (row number in its group). */
extern const char *const rs_row_vars[];
enum { RS_VAR_SEQ, RS_VAR_GROUP_SEQ, RS_VAR_COUNT };

/* roster_stats.c: parse a count condition ("education >= cao-dang and
 * age <= 30") into `out`.  Returns 0, or -1 after adding an error at `n`
 * saying why it cannot be a COUNTIFS formula. */
int rs_cond_parse(const char *src, const cadre_tnode *n, rs_cond *out,
                  cadre_diags *diags);

/* The value `src` of a cadre sheet's column must have for a count of
 * field `f` ("{cadre.education}"), for messages. */
const char *rs_field_column(int f);

/* True when the column's value shows field `f` as COUNTIFS tests it. */
bool rs_column_shows(const rs_column *c, int f);

/* True when the column's value shows the cadre's unit name. */
bool rs_column_shows_unit(const rs_column *c);

/* What a count condition tests of one cadre, found once per cadre for
 * all the conditions of a sheet. */
typedef struct rs_facts {
    int v[RS_F_AGE];            /* code and true/false fields, by rs_field */
    int age;                    /* on the day of the roster */
} rs_facts;

/* The facts of cadre `c`, of age `age`, minority or not (as
 * cadre_cadre_is_minority() says: given, as the caller may know it
 * already). */
void rs_facts_of(const cadre_cadre *c, int age, bool minority,
                 rs_facts *out);

/* True when a cadre with facts `f` satisfies the condition. */
bool rs_cond_test(const rs_cond *k, const rs_facts *f);

/* A growable string for formulas. */
typedef struct rs_buf {
    char *s;    /* NUL-terminated text */
    size_t len; /* bytes used */
    size_t cap; /* bytes allocated */
    bool oom;   /* an append failed: the text is incomplete */
} rs_buf;
void rs_buf_add(rs_buf *b, const char *s, size_t len);
void rs_buf_adds(rs_buf *b, const char *s);
void rs_buf_release(rs_buf *b);

/* One part of a cadre sheet on the workbook: for the formulas. */
typedef struct rs_part_ref {
    const char *sheet;          /* the part's tab name */
    uint32_t first, last;       /* its data rows, 0-based inclusive */
} rs_part_ref;

/* Append to `b` the COUNTIFS terms (joined with '+') counting the rows of
 * `parts` whose unit column holds the unit name in cell `unit_cell` (an
 * A1 reference, or a quoted literal when the name cannot be a criterion)
 * and that satisfy `k`, tested in columns `cols` (per field). */
void rs_countifs(rs_buf *b, const rs_part_ref *parts, size_t n_parts,
                 int unit_col, const char *unit_crit, const rs_cond *k,
                 const int *cols);

/* Quote a sheet name for a formula ('Danh sách'!). */
void rs_sheet_ref(rs_buf *b, const char *sheet);

/* A1 name of a column (0 -> "A"). */
void rs_col_name(int col, char *buf, size_t size);

#endif
