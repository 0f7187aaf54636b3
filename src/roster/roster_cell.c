/*
 * roster_cell.c - the data cells of a sheet: a column's value for one
 * row, typed (numbers, dates and years as numbers, text as text, empty
 * as a blank cell with the column's borders), the lines its text wraps
 * to in the column, and its write.
 *
 * This runs once per cell of a province (13 million cells for a million
 * cadres), so a text is measured and checked once, not once per cell:
 * most texts of a column repeat (labels of codes, positions, ethnicities
 * and unit names are each one string in the records, shared by every
 * cadre that has them), and a small table per column remembers, by
 * address, what was found for the texts it saw last.  The records do not
 * change while a workbook is written, so an address stands for its text.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cadre/codes.h"
#include "roster_cell.h"
#include "util/grow.h"
#include "util/linebreak.h"

/* What is known of a text seen in a column. */
struct seen {
    const char *s;        /* the text (borrowed), or NULL: a free slot */
    uint16_t lines;       /* lines it wraps to in the column */
    bool safe;            /* xlsx_text_safe(): written without a check */
};

#define SEEN 64           /* slots per column: a power of two */

/* What a sheet keeps per column. */
struct column_buffer {
    char *buf;              /* the column's rendered text */
    size_t cap;             /* its size */
    struct seen seen[SEEN]; /* texts with a lasting address, by address */
    char yes_no[2][32];     /* true/false values as text, once formatted */
};

cadre_error row_cells_init(row_cells *cs, roster_job *j,
                           const roster_sheet *sh, const double *width)
{
    static const int lxw_align[] = { LXW_ALIGN_NONE, LXW_ALIGN_LEFT,
                                     LXW_ALIGN_CENTER, LXW_ALIGN_RIGHT };
    *cs = (row_cells){ .j = j, .sh = sh, .width = width };
    cs->cf = calloc(sh->n_cols, sizeof *cs->cf);
    cs->col = calloc(sh->n_cols, sizeof *cs->col);
    cs->row = calloc(sh->n_cols, sizeof *cs->row);
    if (!cs->cf || !cs->col || !cs->row)
        return CADRE_ENOMEM;
    for (size_t c = 0; c < sh->n_cols; c++)
        xlsx_colfmt_init(&j->bk, &cs->cf[c], lxw_align[sh->cols[c].align],
                         true,
                       sh->cols[c].num_format);
    return CADRE_OK;
}

void row_cells_release(row_cells *cs)
{
    for (size_t c = 0; cs->col && c < cs->sh->n_cols; c++)
        free(cs->col[c].buf);
    free(cs->col);
    free(cs->cf);
    free(cs->row);
}

/* Make column c's buffer hold `size` bytes. */
static bool reserve(row_cells *cs, size_t c, size_t size)
{
    struct column_buffer *k = &cs->col[c];
    if (GROW(k->buf, k->cap, size))
        return true;
    job_oom(cs->j);
    return false;
}

/* Render into column c's own buffer: the texts of a row live together. */
static const char *render_col(row_cells *cs, size_t c,
                              const cadre_tmpl_text *t, const cadre_env *env)
{
    struct column_buffer *k = &cs->col[c];
    size_t n = cadre_tmpl_text_render(t, env, k->buf, k->cap);
    if (n >= k->cap) {
        if (!reserve(cs, c, n + 1))
            return "";
        cadre_tmpl_text_render(t, env, k->buf, k->cap);
    }
    return k->buf;
}

/* The line breaker's measure (util/linebreak.h): the spreadsheet's
 * character widths. */
static double measure_chars(void *ctx, const char *s, size_t len)
{
    (void)ctx;
    return xlsx_text_width_n(s, len);
}

/* Lines `s` (`len` bytes) takes in a column `width` wide, wrapping at
 * spaces as the spreadsheet does, a word longer than the column broken
 * (50 lines are the most counted). */
static int wrapped_lines(const char *s, size_t len, double width)
{
    double usable = width - 1.2;
    bool nl = memchr(s, '\n', len) != NULL;
    /* no character is wider than 1.2: short texts need no measuring */
    if (!nl && (len * 1.2 <= usable || xlsx_text_width_n(s, len) <= usable))
        return 1;
    struct line_breaker lb = { .measure = measure_chars, .first = usable,
                               .width = usable,
                               .cut = usable > 0 ? usable : 0.01 };
    struct line_word *w = NULL;
    size_t cap = 0, n = line_words(&lb, s, len, &w, &cap);
    size_t lines = n == (size_t)-1 ? 1 : line_fill(&lb, w, n, NULL, 50);
    free(w);
    return (int)lines;
}

/* Fill in what cell `out` needs to know of its text `s`. */
static void measure(row_cells *cs, size_t c, const char *s, cell_value *out)
{
    size_t len = strlen(s);
    /* widths are measured in 11-point text */
    double width = cs->width[c] * 11 / cs->sh->font_size;
    out->lines = wrapped_lines(s, len, width);
    out->safe = xlsx_text_safe(s, len);
}

/* The same for a text whose address lasts while the workbook is written:
 * remembered. */
static void measure_lasting(row_cells *cs, size_t c, const char *s,
                            cell_value *out)
{
    uintptr_t a = (uintptr_t)s;
    struct seen *k = &cs->col[c].seen[(a >> 4 ^ a >> 10) & (SEEN - 1)];
    if (k->s != s) {
        measure(cs, c, s, out);
        *k = (struct seen){ .s = s, .lines = (uint16_t)out->lines,
                            .safe = out->safe };
        return;
    }
    out->lines = k->lines;
    out->safe = k->safe;
}

/* The text of a true/false value, formatted once per column. */
static const char *yes_no(row_cells *cs, size_t c, const cadre_value *v)
{
    char *t = cs->col[c].yes_no[v->u.b];
    if (!*t)
        cadre_value_format(v, t, sizeof cs->col[c].yes_no[0]);
    return t;
}

void cell_eval(row_cells *cs, size_t c, const cadre_env *env)
{
    const roster_column *col = &cs->sh->cols[c];
    cell_value *out = &cs->row[c];
    out->kind = -1;
    out->num = 0;
    out->text = NULL;
    out->lines = 1;
    if (!col->single) {
        out->text = render_col(cs, c, col->value, env);
        if (*out->text) {
            out->kind = CELL_TEXT;
            measure(cs, c, out->text, out);
        }
        return;
    }
    cadre_value v;
    cadre_expr_eval(col->single, env, &v);
    switch (v.type) {
    case CADRE_V_NUMBER:
        /* scores are exact hundredths (735 for 7,35), but the evaluator
         * hands them over as doubles, and arithmetic on them carries the
         * binary's noise (7.35 + 0.1 = 7.449999999999999): six decimals,
         * more than any value of the records has, keep what was meant */
        out->num = v.u.n > -1e9 && v.u.n < 1e9 ? round(v.u.n * 1e6) / 1e6
                                               : v.u.n;
        out->kind = col->is_year ? CELL_YEAR : CELL_NUMBER;
        return;
    case CADRE_V_DATE:
        if (!cadre_date_is_set(v.u.d))
            return;
        if (xlsx_is_date(v.u.d)) {
            out->num = xlsx_excel_day(cadre_date_days(v.u.d));
            out->kind = CELL_DATE;
            return;
        }
        /* a year alone is what the person reads, "1976": as a number in
         * a date column every sort and filter would take it for a day of
         * 1905; a day Excel has no date for (before 1 March 1900) is its
         * text as well */
        if (!reserve(cs, c, CADRE_DATE_TEXT_MAX))
            return;
        cadre_date_format_short(v.u.d, cs->col[c].buf, cs->col[c].cap);
        out->text = cs->col[c].buf;
        out->kind = CELL_TEXT;
        measure(cs, c, out->text, out);
        return;
    case CADRE_V_NULL:
        return;
    case CADRE_V_STRING:
        /* borrowed from the records or the template: lasting */
        out->text = v.u.s ? v.u.s : "";
        break;
    case CADRE_V_CODE: {
        /* the label of a code: one constant string per code */
        const char *l = cadre_code_label(v.kind, v.u.code);
        out->text = l ? l : "";
        break;
    }
    case CADRE_V_BOOL:
        out->text = yes_no(cs, c, &v);
        break;
    default:
        if (!reserve(cs, c, 256))
            return;
        cadre_value_format(&v, cs->col[c].buf, cs->col[c].cap);
        out->text = cs->col[c].buf;
        if (*out->text) {
            out->kind = CELL_TEXT;
            measure(cs, c, out->text, out);
        }
        return;
    }
    if (*out->text) {
        out->kind = CELL_TEXT;
        measure_lasting(cs, c, out->text, out);
    }
}

void cell_write(row_cells *cs, lxw_worksheet *ws, uint32_t row, size_t c)
{
    const cell_value *k = &cs->row[c];
    const column_formats *cf = &cs->cf[c];
    xlsx_book *bk = &cs->j->bk;
    if (k->kind < 0)
        xlsx_blank(bk, ws, row, (uint16_t)c, cf->f[CELL_TEXT][0]);
    else if (k->kind == CELL_TEXT && k->safe)
        xlsx_text_safe_write(bk, ws, row, (uint16_t)c, k->text,
                           cf->f[CELL_TEXT][0]);
    else if (k->kind == CELL_TEXT)
        xlsx_text(bk, ws, row, (uint16_t)c, k->text, cf->f[CELL_TEXT][0]);
    else
        xlsx_number(bk, ws, row, (uint16_t)c, k->num, cf->f[k->kind][0]);
}
