/*
 * roster_sheet.c - a sheet written top to bottom: on every part the title
 * block (issuer, national title and motto, titles), the headings, frozen
 * panes, filter and print titles; the body with group heading rows, data
 * rows (roster_cell.c) and "Cộng" rows whose SUM and COUNTA formulas
 * reach back over the parts; the counts of a statistics sheet as COUNTIFS
 * formulas; then "Tổng cộng", the place-date line and the signers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadre/text.h"
#include "roster_cell.h"
#include "roster_plan.h"
#include "roster_sheet.h"

/* A run of data rows on one part, for totals' formulas. */
typedef struct row_run {
    size_t part;
    uint32_t first, last;
} row_run;

typedef struct row_runs {
    row_run *v;
    size_t n, cap;
} row_runs;

typedef struct sheet_writer {
    roster_job *j;
    const roster_sheet *sh;
    sheet_plan *p;
    lxw_worksheet *ws;    /* the part being written */
    size_t part;          /* its index */
    uint32_t row;         /* next row on it */
    uint64_t body_done;   /* body rows written, all parts */
    row_cells cells;       /* the data cells' formats and buffers */
    double *g_count, *g_sum, *a_count, *a_sum; /* per column totals */
    row_runs g_segs, a_segs;  /* data rows of the group, of the sheet */
    double *stats;        /* units sheets: counts per item and column */
    char **count_tmpl;    /* ... per column: its formula (count_formula) */
    uint16_t last_col;
    bool warned_formula;  /* a too long formula was reported already */
} sheet_writer;

static void row_runs_add(roster_job *j, row_runs *s, size_t part, uint32_t row)
{
    if (s->n && s->v[s->n - 1].part == part && s->v[s->n - 1].last + 1 == row) {
        s->v[s->n - 1].last = row;
        return;
    }
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 4;
        row_run *v = realloc(s->v, cap * sizeof *v);
        if (!v) {
            job_oom(j);
            return;
        }
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = (row_run){ part, row, row };
}

/* Where the title block's left and right halves lie. */
static void halves(const roster_sheet *sh, uint16_t *l_last, uint16_t *r_first)
{
    uint16_t n = (uint16_t)sh->n_cols;
    if (n < 2) {
        *l_last = 0;
        *r_first = 0;
        return;
    }
    *l_last = (uint16_t)(n * 2 / 5 > 0 ? n * 2 / 5 - 1 : 0);
    *r_first = (uint16_t)(n - (n + 1) / 2 > *l_last ? n - (n + 1) / 2
                                                    : *l_last + 1);
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
    xlsx_row_height(&j->bk, w->ws, r0, two ? 20 : height);
    for (size_t c = 0; c < sh->n_cols; c++) {
        const roster_column *col = &sh->cols[c];
        if (two && col->group >= 0) {
            if (c == 0 || sh->cols[c - 1].group != col->group) {
                size_t e = c;
                while (e + 1 < sh->n_cols && sh->cols[e + 1].group == col->group)
                    e++;
                xlsx_merged(&j->bk, w->ws, r0, (uint16_t)c, (uint16_t)e,
                          sh->groups[col->group], h);
            }
        } else
            xlsx_text(&j->bk, w->ws, r0, (uint16_t)c, col->heading, h);
    }
    if (two) {
        xlsx_row_height(&j->bk, w->ws, r0 + 1, height);
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
                xlsx_check(&j->bk, worksheet_merge_range(w->ws, r0, (uint16_t)c,
                                                       r0 + 1, (uint16_t)c,
                                                       sh->cols[c].heading, h),
                         "merging cells");
    }
    w->row = r0 + sheet_heading_rows(sh);
}

static double lines_for(const char *s, double width)
{
    double l = xlsx_text_width(s) * 1.25 / (width > 1 ? width : 1) + 0.99;
    return l < 1 ? 1 : (int)l;
}

/* The title block and headings at the top of each part; the frozen panes,
 * filter and print titles that go with them. */
static void begin_part(sheet_writer *w)
{
    roster_job *j = w->j;
    const roster_sheet *sh = w->sh;
    xlsx_book *bk = &j->bk;
    w->ws = xlsx_sheet_add(bk, w->p->part_names[w->part]);
    if (!w->ws)
        return;
    w->row = 0;
    for (size_t c = 0; c < sh->n_cols; c++)
        xlsx_check(bk, worksheet_set_column(w->ws, (uint16_t)c, (uint16_t)c,
                                          w->p->width[c], NULL),
                 "a column");
    uint16_t l_last, r_first;
    halves(sh, &l_last, &r_first);
    double l_width = 0, all = 0;
    for (size_t c = 0; c < sh->n_cols; c++) {
        if (c <= l_last)
            l_width += w->p->width[c];
        all += w->p->width[c];
    }

    cadre_env env;
    job_env(j, &env);
    if (sh->rows == ROWS_PARTICIPANTS)
        env.course = job_title_course(j);
    if (j->opt->n_units == 1) {
        uint32_t u = cadre_records_find_unit(j->recs, j->opt->units[0]);
        if (u != CADRE_NONE)
            env.unit = &j->recs->units[u];
    }

    /* issuer in capitals at top left, over two rows; the national title
     * and motto at top right */
    const char *issuer = sh->issuer ? job_render(j, sh->issuer, &env)
                                    : (j->recs->issuer ? j->recs->issuer : "");
    char *up = cadre_text_upper(issuer);
    double il = lines_for(up ? up : issuer, l_width * 12 / 11);
    xlsx_row_height(bk, w->ws, 0, il > 2 ? il * 8.5 : 17);
    if (r_first > l_last)
        xlsx_merged(bk, w->ws, 0, r_first, w->last_col,
                  "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bk->style[STYLE_NATIONAL]);
    xlsx_text(bk, w->ws, 0, 0, up ? up : issuer, bk->style[STYLE_ISSUER]);
    if (l_last > 0 || r_first > l_last)
        xlsx_check(bk, worksheet_merge_range(w->ws, 0, 0, 1, l_last,
                                           up ? up : issuer,
                                           bk->style[STYLE_ISSUER]),
                 "merging cells");
    free(up);
    /* a row's height is set when the row is begun: constant_memory mode
     * closes the rows above */
    xlsx_row_height(bk, w->ws, 1, il > 2 ? il * 8.5 : 17);
    if (r_first > l_last)
        xlsx_merged(bk, w->ws, 1, r_first, w->last_col,
                  "Độc lập - Tự do - Hạnh phúc", bk->style[STYLE_MOTTO]);
    w->row = 3;
    for (size_t i = 0; i < sh->n_titles; i++) {
        const char *t = job_render(j, sh->titles[i], &env);
        xlsx_row_height(bk, w->ws, w->row, lines_for(t, all * 11 / 14) * 19);
        xlsx_merged(bk, w->ws, w->row++, 0, w->last_col, t, bk->style[STYLE_TITLE]);
    }
    for (size_t i = 0; i < sh->n_subtitles; i++)
        xlsx_merged(bk, w->ws, w->row++, 0, w->last_col,
                  job_render(j, sh->subtitles[i], &env), bk->style[STYLE_SUBTITLE]);
    if (sh->unit_of_count)
        xlsx_merged(bk, w->ws, w->row, 0, w->last_col,
                  job_render(j, sh->unit_of_count, &env), bk->style[STYLE_UNIT_COUNT]);
    w->row++;
    write_headings(w);

    uint32_t hr = w->p->heading_row;
    xlsx_check(bk, worksheet_repeat_rows(w->ws, hr, w->p->head_rows - 1),
             "print titles");
    worksheet_freeze_panes(w->ws, w->p->head_rows, 0);
    part_rows ref = plan_part_rows(w->p, w->part);
    uint32_t last = ref.last >= ref.first ? ref.last : w->p->head_rows - 1;
    xlsx_check(bk, worksheet_autofilter(w->ws, w->p->head_rows - 1, 0, last,
                                      w->last_col),
             "autofilter");
}

/* Move to the next body row, opening the next part when this one is
 * full. */
static uint32_t next_body_row(sheet_writer *w)
{
    if (w->body_done > 0 && w->body_done % w->p->per_part == 0) {
        w->part++;
        begin_part(w);
    }
    w->body_done++;
    return w->row++;
}

/* SUM or COUNTA over runs of rows, on this part or others. */
static void total_formula(sheet_writer *w, textbuf *b, const char *fn,
                          const row_runs *s, uint16_t col)
{
    char cn[8], num[48];
    formula_col_name(col, cn, sizeof cn);
    textbuf_puts(b, fn);
    textbuf_puts(b, "(");
    for (size_t i = 0; i < s->n; i++) {
        if (i)
            textbuf_puts(b, ",");
        if (s->v[i].part != w->part)
            formula_sheet_ref(b, w->p->part_names[s->v[i].part]);
        snprintf(num, sizeof num, "%s%u:%s%u", cn, s->v[i].first + 1, cn,
                 s->v[i].last + 1);
        textbuf_puts(b, num);
    }
    if (s->n == 0)
        textbuf_puts(b, "\"\"");
    textbuf_puts(b, ")");
}

static void write_total(sheet_writer *w, const char *label, const double *count,
                        const double *sum, const row_runs *s)
{
    roster_job *j = w->j;
    const roster_sheet *sh = w->sh;
    uint32_t row = next_body_row(w);
    for (size_t c = 0; c < sh->n_cols; c++) {
        const roster_column *col = &sh->cols[c];
        lxw_format *bold = w->cells.cf[c].f[col->has_count ? CELL_COUNT : CELL_NUMBER][1];
        if (col->total == TOTAL_LABEL)
            xlsx_text(&j->bk, w->ws, row, (uint16_t)c, label,
                    w->cells.cf[c].f[CELL_TEXT][1]);
        else if ((col->total == TOTAL_COUNT ||
                  col->total == TOTAL_SUM) && s->n == 0)
            xlsx_number(&j->bk, w->ws, row, (uint16_t)c, 0, bold); /* no rows */
        else if (col->total == TOTAL_COUNT || col->total == TOTAL_SUM) {
            textbuf b = { 0 };
            bool is_sum = col->total == TOTAL_SUM;
            total_formula(w, &b, is_sum ? "SUM" : "COUNTA", s, (uint16_t)c);
            if (b.oom)
                job_oom(j);
            else
                xlsx_formula(&j->bk, w->ws, row, (uint16_t)c, b.s,
                           is_sum ? sum[c] : count[c], bold);
            textbuf_release(&b);
        } else
            xlsx_blank(&j->bk, w->ws, row, (uint16_t)c, w->cells.cf[c].f[CELL_TEXT][1]);
    }
}

static void group_heading(sheet_writer *w, uint32_t item)
{
    roster_job *j = w->j;
    const roster_sheet *sh = w->sh;
    const cadre_records *r = j->recs;
    cadre_env env;
    job_env(j, &env);
    uint32_t key = job_group_key(j, sh, item);
    const char *text;
    if (sh->group == GROUP_COURSE)
        env.course = &r->courses[key];
    else if (sh->group == GROUP_UNIT)
        env.unit = &r->units[key];
    else
        env.unit = &r->units[item];
    if (sh->group_heading)
        text = job_render(j, sh->group_heading, &env);
    else if (sh->group == GROUP_COURSE)
        text = r->courses[key].title;
    else if (sh->group == GROUP_UNIT)
        text = r->units[key].name;
    else
        text = cadre_code_label(CADRE_CODE_LEVEL, (int)key);
    uint32_t row = next_body_row(w);
    xlsx_merged(&j->bk, w->ws, row, 0, w->last_col, text, j->bk.style[STYLE_GROUP]);
}

/* A units sheet: the counts of every row, in one pass over the cadres of
 * the sheet it counts, in the records' order (the sheet's own order
 * would visit them scattered over memory). */
static cadre_error count_stats(roster_job *j, const roster_sheet *sh, const sheet_plan *p,
                               double **out)
{
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
        count_facts_of(c, cadre_date_age(c->birth, j->as_of), minority, &f);
        double *line = &counts[(size_t)row * sh->n_cols];
        for (size_t k = 0; k < nk; k++)
            if (count_cond_test(&sh->cols[kcols[k]].count, &f))
                line[kcols[k]]++;
    }
    free(row_of);
    free(counted);
    free(kcols);
    *out = counts;
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
    int cols[COUNT_FIELDS];
    for (int f = 0; f < COUNT_FIELDS; f++)
        cols[f] = col->over_col[f];
    count_formula(&b, parts, n, sh->over_unit_col, UNIT_MARK, &col->count,
                  cols);
    free(parts);
    if (b.oom) {
        textbuf_release(&b);
        return NULL;
    }
    return w->count_tmpl[c] = b.s;
}

static void write_count(sheet_writer *w, uint32_t row, size_t c, uint32_t unit,
                        double value)
{
    roster_job *j = w->j;
    const roster_sheet *sh = w->sh;
    const char *tmpl = column_count_formula(w, c);
    if (!tmpl) {
        job_oom(j);
        return;
    }
    textbuf crit = { 0 }, b = { 0 };
    /* the unit's name as an exact-match criterion */
    textbuf_puts(&crit, "\"=");
    for (const char *s = j->recs->units[unit].name; *s; s++) {
        if (*s == '*' || *s == '?' || *s == '~')
            textbuf_puts(&crit, "~");
        if (*s == '"')
            textbuf_puts(&crit, "\"");
        textbuf_add(&crit, s, 1);
    }
    textbuf_puts(&crit, "\"");
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

static void write_footer(sheet_writer *w)
{
    roster_job *j = w->j;
    const roster_sheet *sh = w->sh;
    xlsx_book *bk = &j->bk;
    uint16_t l_last, r_first;
    halves(sh, &l_last, &r_first);
    cadre_env env;
    job_env(j, &env);
    if (sh->rows == ROWS_PARTICIPANTS)
        env.course = job_title_course(j);
    w->row++; /* a blank line under the table */
    char line[256];
    const char *pd;
    if (sh->place_date)
        pd = job_render(j, sh->place_date, &env);
    else {
        char date[CADRE_DATE_TEXT_MAX];
        cadre_date_format_long(j->as_of, date, sizeof date);
        snprintf(line, sizeof line, "%s%s%s", j->recs->place ? j->recs->place
                                                             : "",
                 j->recs->place ? ", " : "", date);
        pd = line;
    }
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
        uint16_t span = (uint16_t)((l_last + 1) / (n - 1));
        if (span == 0)
            span = 1;
        for (size_t i = 0; i + 1 < n; i++) {
            first[i] = (uint16_t)(i * span);
            last[i] = (uint16_t)(i + 2 == n ? l_last : (i + 1) * span - 1);
            if (last[i] < first[i])
                last[i] = first[i];
        }
    }
    for (size_t i = 0; i < n; i++)
        xlsx_merged(bk, w->ws, w->row, first[i], last[i],
                  job_render(j, sh->signers[i].title, &env), bk->style[STYLE_SIGNER]);
    w->row += 1 + SIGN_SPACE;
    for (size_t i = 0; i < n; i++) {
        if (!sh->signers[i].name)
            continue;
        xlsx_merged(bk, w->ws, w->row, first[i], last[i],
                  job_render(j, sh->signers[i].name, &env),
                  bk->style[STYLE_SIGNER_NAME]);
    }
    w->row++;
}

cadre_error sheet_write(roster_job *j, size_t si)
{
    const roster_sheet *sh = &j->r->sheets[si];
    sheet_plan *p = &j->plans[si];
    sheet_writer w = { .j = j, .sh = sh, .p = p,
                 .last_col = (uint16_t)(sh->n_cols - 1) };
    cadre_error err = CADRE_OK;
    j->bk.font_size = sh->font_size;
    w.g_count = calloc(sh->n_cols * 4, sizeof *w.g_count);
    if ((err = row_cells_init(&w.cells, j, sh, p->width)) != CADRE_OK ||
        !w.g_count) {
        err = CADRE_ENOMEM;
        goto done;
    }
    w.g_sum = w.g_count + sh->n_cols;
    w.a_count = w.g_sum + sh->n_cols;
    w.a_sum = w.a_count + sh->n_cols;
    if (sh->rows == ROWS_UNITS && sh->over_sheet >= 0) {
        if ((err = count_stats(j, sh, p, &w.stats)) != CADRE_OK)
            goto done;
        if (!(w.count_tmpl = calloc(sh->n_cols, sizeof *w.count_tmpl))) {
            err = CADRE_ENOMEM;
            goto done;
        }
    }

    begin_part(&w);
    bool grouped = p->grouped;
    cadre_value vars[VAR_COUNT] = {
        { .type = CADRE_V_NUMBER }, { .type = CADRE_V_NUMBER } };
    size_t gseq = 0;
    /* the objects a row binds are bound again for every row: the rest of
     * the environment stays */
    cadre_env env;
    job_env(j, &env);
    env.vars = vars;
    uint32_t key = p->n && grouped ? job_group_key(j, sh, p->items[0]) : 0;
    bool new_group = true;
    for (size_t i = 0; i < p->n && j->bk.err == CADRE_OK && !j->err; i++) {
        uint32_t item = p->items[i];
        if (grouped && new_group) {
            group_heading(&w, item);
            gseq = 0;
            w.g_segs.n = 0;
            memset(w.g_count, 0, 2 * sh->n_cols * sizeof *w.g_count);
        }
        vars[VAR_SEQ].u.n = (double)(i + 1);
        vars[VAR_GROUP_SEQ].u.n = (double)++gseq;
        job_bind_row(j, sh, item, &env);
        int lines = 1;
        for (size_t c = 0; c < sh->n_cols; c++) {
            if (sh->cols[c].has_count)
                continue;
            cell_eval(&w.cells, c, &env);
            if (w.cells.row[c].lines > lines)
                lines = w.cells.row[c].lines;
        }
        uint32_t row = next_body_row(&w);
        if (lines > 1) /* neither Excel nor LibreOffice fits it on opening */
            xlsx_row_height(&j->bk, w.ws, row, lines * sh->font_size * 1.3 + 2);
        row_runs_add(j, &w.g_segs, w.part, row);
        row_runs_add(j, &w.a_segs, w.part, row);
        for (size_t c = 0; c < sh->n_cols; c++) {
            double num = 0;
            if (sh->cols[c].has_count) {
                num = w.stats[i * sh->n_cols + c];
                write_count(&w, row, c, item, num);
            } else {
                cell_write(&w.cells, w.ws, row, c);
                if (w.cells.row[c].kind != CELL_TEXT)
                    num = w.cells.row[c].num;
            }
            bool filled = sh->cols[c].has_count || w.cells.row[c].kind >= 0;
            w.g_count[c] += filled;
            w.g_sum[c] += num;
            w.a_count[c] += filled;
            w.a_sum[c] += num;
        }
        /* the group of the next row, found once */
        bool end_group = false;
        if (grouped) {
            uint32_t next = i + 1 < p->n ? job_group_key(j, sh, p->items[i + 1])
                                         : key;
            end_group = i + 1 == p->n || next != key;
            new_group = next != key;
            key = next;
        }
        if (end_group && p->totals)
            write_total(&w, sh->total_label, w.g_count, w.g_sum, &w.g_segs);
    }
    if (p->totals && sh->grand_label && j->bk.err == CADRE_OK && !j->err)
        write_total(&w, sh->grand_label, w.a_count, w.a_sum, &w.a_segs);
    if (j->bk.err == CADRE_OK && !j->err)
        write_footer(&w);
    err = j->err;
done:
    row_cells_release(&w.cells);
    free(w.g_count);
    free(w.stats);
    for (size_t c = 0; w.count_tmpl && c < sh->n_cols; c++)
        free(w.count_tmpl[c]);
    free(w.count_tmpl);
    free(w.g_segs.v);
    free(w.a_segs.v);
    return err;
}

