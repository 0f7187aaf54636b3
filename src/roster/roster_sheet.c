/*
 * roster_sheet.c - a sheet written top to bottom (the layout is drawn in
 * roster_job.h): on every part the title block (issuer, national title
 * and motto, titles), the headings, frozen panes, the filter over the
 * data rows alone and the page set-up; the data rows (roster_cell.c), the
 * counts of a statistics sheet as COUNTIFS formulas; then, after the last
 * data row, a "Cộng" row per group and "Tổng cộng", the place-date line
 * and the signers, and the page breaks that keep them together.
 *
 * Totals count what the data rows show, not where they stand: a group's
 * total counts the rows whose key column holds its key (COUNTIFS, SUMIFS),
 * the grand total whole columns (COUNTA, SUM; one range per part), so a
 * reader may sort and filter the rows and every formula still holds, at
 * any number of rows, units or courses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadre/text.h"
#include "roster_cell.h"
#include "roster_count.h"
#include "roster_plan.h"
#include "roster_sheet.h"

typedef struct sheet_writer {
    roster_job *j;
    const roster_sheet *sh;
    sheet_plan *p;
    size_t si;            /* the sheet's index */
    lxw_worksheet *ws;    /* the part being written */
    size_t part;          /* its index */
    uint32_t row;         /* next row on it */
    size_t done;          /* data rows written, all parts */
    row_cells cells;      /* the data cells' formats and buffers */
    print_rows heights;   /* the part's rows, for its page breaks */
    uint32_t *group_first;/* per group: the item of its first row */
    double *tally;        /* per group and column, count then sum; the
                             sheet's after the last group's */
    double *stats;        /* units sheets: counts per item and column */
    char **count_tmpl;    /* ... per column: its formula with UNIT_MARK */
    uint16_t last_col;
    bool warned_formula;  /* a too long formula was reported already */
} sheet_writer;

/* The count (k = 0) or sum (k = 1) of column c in group g; g = n_groups
 * for the whole sheet. */
static double *tally(sheet_writer *w, size_t g, int k, size_t c)
{
    return &w->tally[(g * 2 + (size_t)k) * w->sh->n_cols + c];
}

/* Set a row's height and note it for the page breaks. */
static void row_height(sheet_writer *w, uint32_t row, double points)
{
    if (points > 409)
        points = 409;
    if (points != PRINT_ROW_HEIGHT)
        xlsx_row_height(&w->j->bk, w->ws, row, points);
    print_rows_note(&w->heights, row, points);
}

/* Where the left and right halves of columns first..last lie. */
static void halves(uint16_t first, uint16_t last, uint16_t *l_last,
                   uint16_t *r_first)
{
    uint16_t n = (uint16_t)(last - first + 1);
    if (n < 2) {
        *l_last = *r_first = first;
        return;
    }
    *l_last = (uint16_t)(first + (n * 2 / 5 > 0 ? n * 2 / 5 - 1 : 0));
    *r_first = (uint16_t)(first + n - (n + 1) / 2);
    if (*r_first <= *l_last)
        *r_first = (uint16_t)(*l_last + 1);
}

static double span_width(const sheet_writer *w, uint16_t first, uint16_t last)
{
    double s = 0;
    for (uint16_t c = first; c <= last; c++)
        s += w->p->width[c];
    return s;
}

static double lines_for(const char *s, double width)
{
    double l = xlsx_text_width(s) * 1.25 / (width > 1 ? width : 1) + 0.99;
    return l < 1 ? 1 : (int)l;
}

/* The environment of the title block and footer: the sheet's day, the
 * course a participants sheet speaks of, the unit of a one-unit roster. */
static void title_env(const sheet_writer *w, cadre_env *env)
{
    const roster_job *j = w->j;
    job_sheet_env(j, w->si, env);
    if (w->sh->rows == ROWS_PARTICIPANTS)
        env->course = job_title_course(j);
    if (j->opt->n_units == 1) {
        uint32_t u = cadre_records_find_unit(j->recs, j->opt->units[0]);
        if (u != CADRE_NONE)
            env->unit = &j->recs->units[u];
    }
}

/* Issuer in capitals at top left, over two rows; the national title and
 * motto at top right; the title lines under them.  On a sheet printed
 * on several pages across they stand on the first, clear of the columns
 * every page repeats. */
static void write_title_block(sheet_writer *w)
{
    roster_job *j = w->j;
    const roster_sheet *sh = w->sh;
    const sheet_print *pr = &w->p->print;
    xlsx_book *bk = &j->bk;
    cadre_env env;
    title_env(w, &env);
    uint16_t t_first = pr->title_first, t_last = pr->title_last;
    uint16_t i_last, n_first;
    halves(pr->n_breaks && pr->repeat_cols ? 0 : t_first, t_last, &i_last,
           &n_first);
    if (pr->n_breaks && pr->repeat_cols) {
        i_last = (uint16_t)(pr->repeat_cols - 1);
        uint16_t unused;
        halves(t_first, t_last, &unused, &n_first);
        if (n_first <= i_last)
            n_first = (uint16_t)(i_last + 1);
    }
    /* the national title whole on its line: 12-point bold capitals */
    double national = xlsx_text_width("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") *
                      12 / 11 * 1.1 + 2;
    while (n_first > i_last + 1 && span_width(w, n_first, t_last) < national)
        n_first--;
    const char *issuer = sh->issuer ? job_render(j, sh->issuer, &env)
                                    : (j->recs->issuer ? j->recs->issuer : "");
    char *up = cadre_text_upper(issuer);
    const char *shown = up ? up : issuer;
    double il = lines_for(shown, span_width(w, 0, i_last) * 12 / 11);
    double h = il > 2 ? il * 8.5 : 17;
    row_height(w, 0, h);
    if (n_first > i_last && n_first <= w->last_col)
        xlsx_merged(bk, w->ws, 0, n_first, t_last,
                    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                    bk->style[STYLE_NATIONAL]);
    xlsx_text(bk, w->ws, 0, 0, shown, bk->style[STYLE_ISSUER]);
    if (i_last > 0 || n_first > i_last)
        xlsx_check(bk, worksheet_merge_range(w->ws, 0, 0, 1, i_last, shown,
                                             bk->style[STYLE_ISSUER]),
                   "merging cells");
    free(up);
    /* a row's height is set when the row is begun: constant_memory mode
     * closes the rows above */
    row_height(w, 1, h);
    if (n_first > i_last && n_first <= w->last_col)
        xlsx_merged(bk, w->ws, 1, n_first, t_last,
                    "Độc lập - Tự do - Hạnh phúc", bk->style[STYLE_MOTTO]);
    w->row = 3;
    double all = span_width(w, t_first, t_last);
    for (size_t i = 0; i < sh->n_titles; i++) {
        const char *t = job_render(j, sh->titles[i], &env);
        row_height(w, w->row, lines_for(t, all * 11 / 14) * 19);
        xlsx_merged(bk, w->ws, w->row++, t_first, t_last, t,
                    bk->style[STYLE_TITLE]);
    }
    for (size_t i = 0; i < sh->n_subtitles; i++)
        xlsx_merged(bk, w->ws, w->row++, t_first, t_last,
                    job_render(j, sh->subtitles[i], &env),
                    bk->style[STYLE_SUBTITLE]);
    if (sh->unit_of_count)
        xlsx_merged(bk, w->ws, w->row, t_first, t_last,
                    job_render(j, sh->unit_of_count, &env),
                    bk->style[STYLE_UNIT_COUNT]);
    w->row++;
}

static void write_headings(sheet_writer *w)
{
    roster_job *j = w->j;
    const roster_sheet *sh = w->sh;
    lxw_format *h = j->bk.style[STYLE_HEADING];
    uint32_t r0 = w->row;
    bool two = sh->n_groups > 0;
    /* heading height: the most lines a heading wraps to */
    double lines = 1;
    for (size_t c = 0; c < sh->n_cols; c++) {
        double per = w->p->width[c] - 1 > 1 ? w->p->width[c] - 1 : 1;
        double l = xlsx_text_width(sh->cols[c].heading) * 1.1 / per + 0.99;
        if (two && sh->cols[c].group < 0)
            l /= 2;
        if (l > lines)
            lines = (int)l;
    }
    if (lines > 6)
        lines = 6;
    double height = lines * 15.5 + 4;
    row_height(w, r0, two ? 20 : height);
    for (size_t c = 0; c < sh->n_cols; c++) {
        const roster_column *col = &sh->cols[c];
        if (two && col->group >= 0) {
            if (c == 0 || sh->cols[c - 1].group != col->group) {
                size_t e = c;
                while (e + 1 < sh->n_cols &&
                       sh->cols[e + 1].group == col->group)
                    e++;
                xlsx_merged(&j->bk, w->ws, r0, (uint16_t)c, (uint16_t)e,
                            sh->groups[col->group], h);
            }
        } else
            xlsx_text(&j->bk, w->ws, r0, (uint16_t)c, col->heading, h);
    }
    if (two) {
        row_height(w, r0 + 1, height);
        for (size_t c = 0; c < sh->n_cols; c++) {
            if (sh->cols[c].group >= 0)
                xlsx_text(&j->bk, w->ws, r0 + 1, (uint16_t)c,
                          sh->cols[c].heading, h);
            else
                xlsx_blank(&j->bk, w->ws, r0 + 1, (uint16_t)c, h);
        }
        /* vertical merges last: in constant_memory mode their blank
         * cells would close row r0 early */
        for (size_t c = 0; c < sh->n_cols; c++)
            if (sh->cols[c].group < 0)
                xlsx_check(&j->bk,
                           worksheet_merge_range(w->ws, r0, (uint16_t)c,
                                                 r0 + 1, (uint16_t)c,
                                                 sh->cols[c].heading, h),
                           "merging cells");
    }
    w->row = r0 + sheet_heading_rows(sh);
}

/* A part: its title block and headings; the panes frozen under the
 * headings and right of the name column; the filter over its data rows
 * alone; the page set-up. */
static void begin_part(sheet_writer *w)
{
    roster_job *j = w->j;
    const roster_sheet *sh = w->sh;
    sheet_plan *p = w->p;
    xlsx_book *bk = &j->bk;
    if (!(w->ws = xlsx_sheet_add(bk, p->part_names[w->part])))
        return;
    w->row = 0;
    for (size_t c = 0; c < sh->n_cols; c++)
        xlsx_check(bk, worksheet_set_column(w->ws, (uint16_t)c, (uint16_t)c,
                                            p->width[c], NULL),
                   "a column");
    write_title_block(w);
    write_headings(w);
    print_setup(bk, w->ws, &p->print, p->heading_row, p->head_rows - 1);
    lxw_col_t freeze = sh->name_col >= 0 && sh->name_col <= 3
                           ? (lxw_col_t)(sh->name_col + 1) : 0;
    worksheet_freeze_panes(w->ws, p->head_rows, freeze);
    part_rows ref = plan_part_rows(p, w->part);
    uint32_t last = ref.last >= ref.first ? ref.last : p->head_rows - 1;
    xlsx_check(bk, worksheet_autofilter(w->ws, p->head_rows - 1, 0, last,
                                        w->last_col),
               "autofilter");
}

/* A part is done: its page breaks, the footer (from row `keep_from`)
 * kept with the rows above it. */
static void end_part(sheet_writer *w, uint32_t keep_from)
{
    if (w->ws)
        print_rows_break(&w->heights, &w->j->bk, w->ws, &w->p->print,
                         w->p->heading_row, w->p->head_rows - 1, keep_from);
    print_rows_release(&w->heights);
}

/* Move to the next data row, opening the next part when this one is
 * full. */
static uint32_t next_data_row(sheet_writer *w)
{
    if (w->done > 0 && w->done % w->p->per_part == 0) {
        end_part(w, UINT32_MAX);
        w->part++;
        begin_part(w);
    }
    w->done++;
    return w->row++;
}

/* ------------------------------------------------------------------ */
/* Totals.                                                             */

/* The ranges of column `col` over the data rows of every part, as
 * formula arguments: on this part A10:A509, on others 'Name (2)'!A10:A9. */
static void add_range(sheet_writer *w, textbuf *b, size_t k, uint16_t col)
{
    char cn[8], num[48];
    part_rows ref = plan_part_rows(w->p, k);
    formula_col_name(col, cn, sizeof cn);
    if (k != w->part)
        formula_sheet_ref(b, ref.sheet);
    snprintf(num, sizeof num, "%s%u:%s%u", cn, ref.first + 1, cn,
             ref.last + 1);
    textbuf_puts(b, num);
}

/* Column c's total over the rows whose key column matches `key` (a
 * criterion), or over all rows when it is NULL. */
static void total_formula(sheet_writer *w, textbuf *b, size_t c,
                          const char *key)
{
    bool sum = w->sh->cols[c].total == TOTAL_SUM;
    uint16_t kc = (uint16_t)w->sh->key_col;
    if (!key)
        textbuf_puts(b, sum ? "SUM(" : "COUNTA(");
    /* every part holds data rows: the parts are as many as they need */
    for (size_t k = 0; k < w->p->n_parts; k++) {
        if (key) {
            if (k)
                textbuf_puts(b, "+");
            textbuf_puts(b, sum ? "SUMIFS(" : "COUNTIFS(");
            if (!sum) {
                add_range(w, b, k, kc);
                textbuf_puts(b, ",");
                textbuf_puts(b, key);
                textbuf_puts(b, ",");
            }
            add_range(w, b, k, (uint16_t)c);
            textbuf_puts(b, sum ? "," : ",\"<>\")");
            if (sum) {
                add_range(w, b, k, kc);
                textbuf_puts(b, ",");
                textbuf_puts(b, key);
                textbuf_puts(b, ")");
            }
        } else {
            if (k)
                textbuf_puts(b, ",");
            add_range(w, b, k, (uint16_t)c);
        }
    }
    if (!key)
        textbuf_puts(b, ")");
}

static bool is_total(const roster_column *c)
{
    return c->total == TOTAL_COUNT || c->total == TOTAL_SUM;
}

/* The columns of the label of a total row: the label column, and the
 * empty columns after it (on a group's row, up to one that shows the
 * group). */
static void label_span(const sheet_writer *w, bool group, size_t *first,
                       size_t *last)
{
    const roster_sheet *sh = w->sh;
    *first = *last = sh->n_cols;
    for (size_t c = 0; c < sh->n_cols && *first == sh->n_cols; c++)
        if (sh->cols[c].total == TOTAL_LABEL)
            *first = *last = c;
    while (*first < sh->n_cols && *last + 1 < sh->n_cols &&
           !is_total(&sh->cols[*last + 1]) &&
           !(group && sh->cols[*last + 1].shows_group))
        (*last)++;
}

/* A total row: `label` over its span; on a group's row (`env` binds its
 * first row) the columns that show the group as its rows show them, the
 * key among them; each total column's formula, with the value of `g`'s
 * tally stored. */
static void write_total(sheet_writer *w, uint32_t row, const char *label,
                        const cadre_env *env, size_t g)
{
    roster_job *j = w->j;
    const roster_sheet *sh = w->sh;
    size_t l_first, l_last;
    label_span(w, env != NULL, &l_first, &l_last);
    double lines = 1;
    if (l_first < sh->n_cols)
        lines = lines_for(label, span_width(w, (uint16_t)l_first,
                                            (uint16_t)l_last) *
                                     11 / sh->font_size - 1);
    for (size_t c = 0; env && c < sh->n_cols; c++)
        if (sh->cols[c].shows_group) {
            cell_eval(&w->cells, c, env);
            if (w->cells.row[c].lines > lines)
                lines = w->cells.row[c].lines;
        }
    /* the key as the data rows show it, so that its criterion matches */
    textbuf crit = { 0 };
    if (env) {
        const cell_value *k = &w->cells.row[sh->key_col];
        formula_text_crit(&crit, k->kind == CELL_TEXT ? k->text : "");
    }
    row_height(w, row, lines > 1 ? lines * sh->font_size * 1.3 + 2
                                 : PRINT_ROW_HEIGHT);
    for (size_t c = 0; c < sh->n_cols; c++) {
        const roster_column *col = &sh->cols[c];
        lxw_format *bold = w->cells.cf[c].f[col->has_count ? CELL_COUNT
                                                           : CELL_NUMBER][1];
        lxw_format *text = w->cells.cf[c].f[CELL_TEXT][1];
        if (c == l_first)
            xlsx_merged(&j->bk, w->ws, row, (uint16_t)l_first,
                        (uint16_t)l_last, label, text);
        else if (c > l_first && c <= l_last)
            continue; /* in the label's merge */
        else if (env && col->shows_group)
            cell_write(&w->cells, w->ws, row, c);
        else if (!is_total(col))
            xlsx_blank(&j->bk, w->ws, row, (uint16_t)c, text);
        else if (w->p->n == 0)
            xlsx_number(&j->bk, w->ws, row, (uint16_t)c, 0, bold);
        else {
            textbuf b = { 0 };
            total_formula(w, &b, c, env ? crit.s : NULL);
            if (b.oom || crit.oom)
                job_oom(j);
            else
                xlsx_formula(&j->bk, w->ws, row, (uint16_t)c, b.s,
                             *tally(w, g, col->total == TOTAL_SUM, c), bold);
            textbuf_release(&b);
        }
    }
    textbuf_release(&crit);
}

/* After the data: a "Cộng" row per group, then "Tổng cộng". */
static void write_totals(sheet_writer *w)
{
    roster_job *j = w->j;
    const roster_sheet *sh = w->sh;
    sheet_plan *p = w->p;
    cadre_value vars[VAR_COUNT] = { { .type = CADRE_V_NUMBER },
                                    { .type = CADRE_V_NUMBER } };
    for (size_t g = 0; p->grouped && g < p->n_groups && !j->err; g++) {
        cadre_env env;
        job_sheet_env(j, w->si, &env);
        env.vars = vars;
        job_bind_row(j, sh, w->group_first[g], &env);
        write_total(w, w->row++, sh->total_label, &env, g);
    }
    if (p->totals && sh->grand_label && !j->err)
        write_total(w, w->row++, sh->grand_label, NULL, p->n_groups);
}

/* ------------------------------------------------------------------ */
/* The counts of a statistics sheet.                                   */

/* A units sheet: the counts of every row, in one pass over the cadres of
 * the sheet it counts, in the records' order (the sheet's own order
 * would visit them scattered over memory). */
static cadre_error count_stats(sheet_writer *w)
{
    roster_job *j = w->j;
    const roster_sheet *sh = w->sh;
    const sheet_plan *p = w->p;
    const cadre_records *r = j->recs;
    const sheet_plan *over = &j->plans[sh->over_sheet];
    uint32_t *row_of = malloc((r->n_units ? r->n_units : 1) * sizeof *row_of);
    uint8_t *counted = calloc(r->n_cadres ? r->n_cadres : 1, 1);
    size_t *kcols = malloc(sh->n_cols * sizeof *kcols);
    double *counts = calloc((p->n ? p->n : 1) * sh->n_cols, sizeof *counts);
    if (!row_of || !counted || !kcols || !counts) {
        free(row_of);
        free(counted);
        free(kcols);
        free(counts);
        return CADRE_ENOMEM;
    }
    for (size_t u = 0; u < r->n_units; u++)
        row_of[u] = CADRE_NONE;
    for (size_t i = 0; i < p->n; i++)
        row_of[p->items[i]] = (uint32_t)i;
    for (size_t i = 0; i < over->n; i++)
        counted[over->items[i]] = 1;
    size_t nk = 0;
    for (size_t k = 0; k < sh->n_cols; k++)
        if (sh->cols[k].has_count)
            kcols[nk++] = k;
    /* ethnicities are one string each in the records: compared once */
    const char *eth = NULL;
    bool minority = false;
    for (size_t i = 0; i < r->n_cadres; i++) {
        const cadre_cadre *c = &r->cadres[i];
        uint32_t row = counted[i] ? row_of[c->unit] : CADRE_NONE;
        if (row == CADRE_NONE)
            continue;
        if (c->ethnicity != eth) {
            eth = c->ethnicity;
            minority = cadre_cadre_is_minority(c);
        }
        count_facts f;
        count_facts_of(c, cadre_date_age(c->birth, over->day), minority, &f);
        double *line = &counts[(size_t)row * sh->n_cols];
        for (size_t k = 0; k < nk; k++)
            if (count_cond_test(&sh->cols[kcols[k]].count, &f))
                line[kcols[k]]++;
    }
    free(row_of);
    free(counted);
    free(kcols);
    w->stats = counts;
    return CADRE_OK;
}

/* A count's formula is the same on every row of its column but for the
 * unit's criterion: made once per column with UNIT_MARK in its place (no
 * sheet name, label or number holds that control character). */
#define UNIT_MARK "\x01"

static const char *column_count_formula(sheet_writer *w, size_t c)
{
    roster_job *j = w->j;
    const roster_sheet *sh = w->sh;
    const roster_column *col = &sh->cols[c];
    if (w->count_tmpl[c])
        return w->count_tmpl[c];
    const sheet_plan *over = &j->plans[sh->over_sheet];
    size_t n = over->n_parts;
    part_rows *parts = malloc(n * sizeof *parts);
    if (!parts)
        return NULL;
    for (size_t k = 0; k < n; k++)
        parts[k] = plan_part_rows(over, k);
    textbuf b = { 0 };
    count_formula(&b, parts, n, sh->over_key_col, UNIT_MARK, &col->count,
                  col->over_col);
    free(parts);
    if (b.oom) {
        textbuf_release(&b);
        return NULL;
    }
    return w->count_tmpl[c] = b.s;
}

static void write_count(sheet_writer *w, uint32_t row, size_t c,
                        uint32_t unit, double value)
{
    roster_job *j = w->j;
    const roster_sheet *sh = w->sh;
    const char *tmpl = column_count_formula(w, c);
    if (!tmpl) {
        job_oom(j);
        return;
    }
    textbuf crit = { 0 }, b = { 0 };
    /* the unit by its id, which no other unit shares */
    formula_text_crit(&crit, j->recs->units[unit].id);
    for (const char *s = tmpl, *m; !crit.oom; s = m + 1) {
        if (!(m = strchr(s, UNIT_MARK[0]))) {
            textbuf_puts(&b, s);
            break;
        }
        textbuf_add(&b, s, (size_t)(m - s));
        textbuf_add(&b, crit.s, crit.len);
    }
    if (crit.oom || b.oom)
        job_oom(j);
    else {
        /* Excel refuses formulas over 8,192 characters; the stored value
         * is right either way, so the sheet still reads correctly */
        if (b.len > 8192 && !w->warned_formula) {
            cadre_diags_add(j->diags, CADRE_SEV_WARNING, NULL, 0,
                            "a count on sheet '%s' has a formula of %zu "
                            "characters, more than Excel's 8,192",
                            sh->name, b.len);
            w->warned_formula = true;
        }
        xlsx_formula(&j->bk, w->ws, row, (uint16_t)c, b.s, value,
                     w->cells.cf[c].f[CELL_COUNT][0]);
    }
    textbuf_release(&crit);
    textbuf_release(&b);
}

/* ------------------------------------------------------------------ */
/* Footer.                                                             */

static void write_footer(sheet_writer *w)
{
    roster_job *j = w->j;
    const roster_sheet *sh = w->sh;
    xlsx_book *bk = &j->bk;
    uint16_t l_last, r_first, f_first = w->p->print.foot_first;
    halves(f_first, w->last_col, &l_last, &r_first);
    cadre_env env;
    title_env(w, &env);
    w->row++; /* a blank line under the table */
    char line[256];
    const char *pd;
    if (sh->place_date)
        pd = job_render(j, sh->place_date, &env);
    else {
        char date[CADRE_DATE_TEXT_MAX];
        cadre_date_format_long(w->p->day, date, sizeof date);
        snprintf(line, sizeof line, "%s%s%s", j->recs->place ? j->recs->place
                                                             : "",
                 j->recs->place ? ", " : "", date);
        pd = line;
    }
    /* the place-date line whole on its line, in 12-point italics; the
     * last signer's block shares its columns */
    double need = xlsx_text_width(pd) * 12 / 11 + 2;
    while (r_first > f_first && r_first > l_last + 1 &&
           span_width(w, r_first, w->last_col) < need)
        r_first--;
    if (r_first <= l_last && l_last > f_first)
        l_last = (uint16_t)(r_first - 1);
    print_rows_note(&w->heights, w->row, PRINT_ROW_HEIGHT);
    xlsx_merged(bk, w->ws, w->row++, r_first, w->last_col, pd,
                bk->style[STYLE_PLACE_DATE]);
    if (!sh->n_signers)
        return;
    /* signer blocks: the last at the right half, the others spread over
     * the left half */
    uint16_t first[8], last[8];
    size_t n = sh->n_signers < 8 ? sh->n_signers : 8;
    first[n - 1] = r_first;
    last[n - 1] = w->last_col;
    if (n > 1) {
        uint16_t span = (uint16_t)((l_last - f_first + 1) / (n - 1));
        if (span == 0)
            span = 1;
        for (size_t i = 0; i + 1 < n; i++) {
            first[i] = (uint16_t)(f_first + i * span);
            last[i] = (uint16_t)(i + 2 == n ? l_last
                                            : f_first + (i + 1) * span - 1);
            if (last[i] < first[i])
                last[i] = first[i];
        }
    }
    print_rows_note(&w->heights, w->row, PRINT_ROW_HEIGHT);
    for (size_t i = 0; i < n; i++)
        xlsx_merged(bk, w->ws, w->row, first[i], last[i],
                    job_render(j, sh->signers[i].title, &env),
                    bk->style[STYLE_SIGNER]);
    /* room for the signature and the seal */
    for (uint32_t k = 1; k <= SIGN_SPACE; k++)
        row_height(w, w->row + k, SIGN_ROW_HEIGHT);
    w->row += 1 + SIGN_SPACE;
    print_rows_note(&w->heights, w->row, PRINT_ROW_HEIGHT);
    for (size_t i = 0; i < n; i++) {
        if (!sh->signers[i].name)
            continue;
        xlsx_merged(bk, w->ws, w->row, first[i], last[i],
                    job_render(j, sh->signers[i].name, &env),
                    bk->style[STYLE_SIGNER_NAME]);
    }
    w->row++;
}

/* ------------------------------------------------------------------ */
/* The data rows.                                                      */

/* One data row: its cells evaluated, its height, then its writes; the
 * tallies of its group `g` and of the sheet. */
static void write_data_row(sheet_writer *w, size_t i, size_t g,
                           const cadre_env *env)
{
    const roster_sheet *sh = w->sh;
    int lines = 1;
    for (size_t c = 0; c < sh->n_cols; c++) {
        if (sh->cols[c].has_count)
            continue;
        cell_eval(&w->cells, c, env);
        if (w->cells.row[c].lines > lines)
            lines = w->cells.row[c].lines;
    }
    uint32_t row = next_data_row(w);
    /* neither Excel nor LibreOffice fits a wrapped row on opening */
    double h = lines > 1 ? lines * sh->font_size * 1.3 + 2 : PRINT_ROW_HEIGHT;
    row_height(w, row, h > sh->row_height ? h : sh->row_height);
    for (size_t c = 0; c < sh->n_cols; c++) {
        double num = 0;
        bool filled = true;
        if (sh->cols[c].has_count) {
            num = w->stats[i * sh->n_cols + c];
            write_count(w, row, c, w->p->items[i], num);
        } else {
            cell_write(&w->cells, w->ws, row, c);
            filled = w->cells.row[c].kind >= 0;
            if (w->cells.row[c].kind != CELL_TEXT)
                num = w->cells.row[c].num;
        }
        *tally(w, g, 0, c) += filled;
        *tally(w, g, 1, c) += num;
        *tally(w, w->p->n_groups, 0, c) += filled;
        *tally(w, w->p->n_groups, 1, c) += num;
    }
}

static void write_data(sheet_writer *w)
{
    roster_job *j = w->j;
    const roster_sheet *sh = w->sh;
    sheet_plan *p = w->p;
    cadre_value vars[VAR_COUNT] = { { .type = CADRE_V_NUMBER },
                                    { .type = CADRE_V_NUMBER } };
    size_t gseq = 0, g = 0;
    /* the objects a row binds are bound again for every row: the rest of
     * the environment stays */
    cadre_env env;
    job_sheet_env(j, w->si, &env);
    env.vars = vars;
    uint32_t key = p->n ? job_group_key(j, sh, p->items[0]) : 0;
    for (size_t i = 0; i < p->n && j->bk.err == CADRE_OK && !j->err; i++) {
        uint32_t item = p->items[i];
        uint32_t k = job_group_key(j, sh, item);
        if (i == 0 || k != key) {
            if (i > 0)
                g++;
            w->group_first[g] = item;
            gseq = 0;
            key = k;
        }
        vars[VAR_SEQ].u.n = (double)(i + 1);
        vars[VAR_GROUP_SEQ].u.n = (double)++gseq;
        job_bind_row(j, sh, item, &env);
        write_data_row(w, i, g, &env);
    }
}

/* What a sheet's writer holds; CADRE_ENOMEM when it cannot. */
static cadre_error writer_init(sheet_writer *w, roster_job *j, size_t si)
{
    const roster_sheet *sh = &j->r->sheets[si];
    sheet_plan *p = &j->plans[si];
    *w = (sheet_writer){ .j = j, .sh = sh, .p = p, .si = si,
                         .last_col = (uint16_t)(sh->n_cols - 1) };
    j->bk.font_size = sh->font_size;
    w->tally = calloc((p->n_groups + 1) * 2 * sh->n_cols, sizeof *w->tally);
    w->group_first = calloc(p->n_groups + 1, sizeof *w->group_first);
    if (row_cells_init(&w->cells, j, sh, p->width) != CADRE_OK ||
        !w->tally || !w->group_first)
        return CADRE_ENOMEM;
    if (sh->rows == ROWS_UNITS && sh->over_sheet >= 0) {
        if (count_stats(w) != CADRE_OK ||
            !(w->count_tmpl = calloc(sh->n_cols, sizeof *w->count_tmpl)))
            return CADRE_ENOMEM;
    }
    return CADRE_OK;
}

static void writer_release(sheet_writer *w)
{
    row_cells_release(&w->cells);
    print_rows_release(&w->heights);
    free(w->tally);
    free(w->group_first);
    free(w->stats);
    for (size_t c = 0; w->count_tmpl && c < w->sh->n_cols; c++)
        free(w->count_tmpl[c]);
    free(w->count_tmpl);
}

cadre_error sheet_write(roster_job *j, size_t si)
{
    sheet_writer w;
    cadre_error err = writer_init(&w, j, si);
    if (err == CADRE_OK) {
        begin_part(&w);
        write_data(&w);
        if (j->bk.err == CADRE_OK && !j->err)
            write_totals(&w);
        uint32_t foot = w.row;
        if (j->bk.err == CADRE_OK && !j->err)
            write_footer(&w);
        if (j->bk.err == CADRE_OK && !j->err)
            end_part(&w, foot);
        err = j->err;
    }
    writer_release(&w);
    return err;
}
