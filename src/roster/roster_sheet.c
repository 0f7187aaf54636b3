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
#include "roster_write.h"

/* A run of data rows on one part, for totals' formulas. */
typedef struct seg {
    size_t part;
    uint32_t first, last;
} seg;

typedef struct segs {
    seg *v;
    size_t n, cap;
} segs;

typedef struct writer {
    rw_job *j;
    const rs_sheet *sh;
    rw_plan *p;
    lxw_worksheet *ws;    /* the part being written */
    size_t part;          /* its index */
    uint32_t row;         /* next row on it */
    uint64_t body_done;   /* body rows written, all parts */
    rw_cells cells;       /* the data cells' formats and buffers */
    double *g_count, *g_sum, *a_count, *a_sum; /* per column totals */
    segs g_segs, a_segs;  /* data rows of the group, of the sheet */
    double *stats;        /* units sheets: counts per item and column */
    char **count_tmpl;    /* ... per column: its formula (count_formula) */
    uint16_t last_col;
    bool warned_formula;  /* a too long formula was reported already */
} writer;

static void seg_add(rw_job *j, segs *s, size_t part, uint32_t row)
{
    if (s->n && s->v[s->n - 1].part == part && s->v[s->n - 1].last + 1 == row) {
        s->v[s->n - 1].last = row;
        return;
    }
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 4;
        seg *v = realloc(s->v, cap * sizeof *v);
        if (!v) {
            rw_oom(j);
            return;
        }
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = (seg){ part, row, row };
}

/* Where the title block's left and right halves lie. */
static void halves(const rs_sheet *sh, uint16_t *l_last, uint16_t *r_first)
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

static void write_headings(writer *w)
{
    rw_job *j = w->j;
    const rs_sheet *sh = w->sh;
    lxw_format *h = j->bk.style[RX_HEADING];
    uint32_t r0 = w->row;
    bool two = sh->n_groups > 0;
    /* heading height: the most lines a heading wraps to */
    double lines = 1;
    for (size_t c = 0; c < sh->n_cols; c++) {
        double per = w->p->width[c] - 1 > 1 ? w->p->width[c] - 1 : 1;
        double l = rx_text_width(sh->cols[c].heading) * 1.1 / per + 0.99;
        if (two && sh->cols[c].group < 0)
            l /= 2;
        if (l > lines)
            lines = (int)l;
    }
    if (lines > 6)
        lines = 6;
    double height = lines * 15.5 + 4;
    rx_row_height(&j->bk, w->ws, r0, two ? 20 : height);
    for (size_t c = 0; c < sh->n_cols; c++) {
        const rs_column *col = &sh->cols[c];
        if (two && col->group >= 0) {
            if (c == 0 || sh->cols[c - 1].group != col->group) {
                size_t e = c;
                while (e + 1 < sh->n_cols && sh->cols[e + 1].group == col->group)
                    e++;
                rx_merged(&j->bk, w->ws, r0, (uint16_t)c, (uint16_t)e,
                          sh->groups[col->group], h);
            }
        } else
            rx_text(&j->bk, w->ws, r0, (uint16_t)c, col->heading, h);
    }
    if (two) {
        rx_row_height(&j->bk, w->ws, r0 + 1, height);
        for (size_t c = 0; c < sh->n_cols; c++) {
            if (sh->cols[c].group >= 0)
                rx_text(&j->bk, w->ws, r0 + 1, (uint16_t)c,
                        sh->cols[c].heading, h);
            else
                rx_blank(&j->bk, w->ws, r0 + 1, (uint16_t)c, h);
        }
        /* vertical merges last: in constant_memory mode their blank
         * cells would close row r0 early */
        for (size_t c = 0; c < sh->n_cols; c++)
            if (sh->cols[c].group < 0)
                rx_check(&j->bk, worksheet_merge_range(w->ws, r0, (uint16_t)c,
                                                       r0 + 1, (uint16_t)c,
                                                       sh->cols[c].heading, h),
                         "merging cells");
    }
    w->row = r0 + rw_heading_rows(sh);
}

static double lines_for(const char *s, double width)
{
    double l = rx_text_width(s) * 1.25 / (width > 1 ? width : 1) + 0.99;
    return l < 1 ? 1 : (int)l;
}

/* The title block and headings at the top of each part; the frozen panes,
 * filter and print titles that go with them. */
static void begin_part(writer *w)
{
    rw_job *j = w->j;
    const rs_sheet *sh = w->sh;
    rx_book *bk = &j->bk;
    w->ws = rx_sheet_add(bk, w->p->part_names[w->part]);
    if (!w->ws)
        return;
    w->row = 0;
    for (size_t c = 0; c < sh->n_cols; c++)
        rx_check(bk, worksheet_set_column(w->ws, (uint16_t)c, (uint16_t)c,
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
    rw_env(j, &env);
    if (sh->rows == RS_ROWS_PARTICIPANTS)
        env.course = rw_title_course(j);
    if (j->opt->n_units == 1) {
        uint32_t u = cadre_records_find_unit(j->recs, j->opt->units[0]);
        if (u != CADRE_NONE)
            env.unit = &j->recs->units[u];
    }

    /* issuer in capitals at top left, over two rows; the national title
     * and motto at top right */
    const char *issuer = sh->issuer ? rw_render(j, sh->issuer, &env)
                                    : (j->recs->issuer ? j->recs->issuer : "");
    char *up = cadre_text_upper(issuer);
    double il = lines_for(up ? up : issuer, l_width * 12 / 11);
    rx_row_height(bk, w->ws, 0, il > 2 ? il * 8.5 : 17);
    if (r_first > l_last)
        rx_merged(bk, w->ws, 0, r_first, w->last_col,
                  "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bk->style[RX_NATIONAL]);
    rx_text(bk, w->ws, 0, 0, up ? up : issuer, bk->style[RX_ISSUER]);
    if (l_last > 0 || r_first > l_last)
        rx_check(bk, worksheet_merge_range(w->ws, 0, 0, 1, l_last,
                                           up ? up : issuer,
                                           bk->style[RX_ISSUER]),
                 "merging cells");
    free(up);
    /* a row's height is set when the row is begun: constant_memory mode
     * closes the rows above */
    rx_row_height(bk, w->ws, 1, il > 2 ? il * 8.5 : 17);
    if (r_first > l_last)
        rx_merged(bk, w->ws, 1, r_first, w->last_col,
                  "Độc lập - Tự do - Hạnh phúc", bk->style[RX_MOTTO]);
    w->row = 3;
    for (size_t i = 0; i < sh->n_titles; i++) {
        const char *t = rw_render(j, sh->titles[i], &env);
        rx_row_height(bk, w->ws, w->row, lines_for(t, all * 11 / 14) * 19);
        rx_merged(bk, w->ws, w->row++, 0, w->last_col, t, bk->style[RX_TITLE]);
    }
    for (size_t i = 0; i < sh->n_subtitles; i++)
        rx_merged(bk, w->ws, w->row++, 0, w->last_col,
                  rw_render(j, sh->subtitles[i], &env), bk->style[RX_SUBTITLE]);
    if (sh->unit_of_count)
        rx_merged(bk, w->ws, w->row, 0, w->last_col,
                  rw_render(j, sh->unit_of_count, &env), bk->style[RX_UNIT_COUNT]);
    w->row++;
    write_headings(w);

    uint32_t hr = w->p->heading_row;
    rx_check(bk, worksheet_repeat_rows(w->ws, hr, w->p->head_rows - 1),
             "print titles");
    worksheet_freeze_panes(w->ws, w->p->head_rows, 0);
    rs_part_ref ref = rw_part_ref(w->p, w->part);
    uint32_t last = ref.last >= ref.first ? ref.last : w->p->head_rows - 1;
    rx_check(bk, worksheet_autofilter(w->ws, w->p->head_rows - 1, 0, last,
                                      w->last_col),
             "autofilter");
}

/* Move to the next body row, opening the next part when this one is
 * full. */
static uint32_t next_body_row(writer *w)
{
    if (w->body_done > 0 && w->body_done % w->p->per_part == 0) {
        w->part++;
        begin_part(w);
    }
    w->body_done++;
    return w->row++;
}

/* SUM or COUNTA over runs of rows, on this part or others. */
static void total_formula(writer *w, rs_buf *b, const char *fn,
                          const segs *s, uint16_t col)
{
    char cn[8], num[48];
    rs_col_name(col, cn, sizeof cn);
    rs_buf_adds(b, fn);
    rs_buf_adds(b, "(");
    for (size_t i = 0; i < s->n; i++) {
        if (i)
            rs_buf_adds(b, ",");
        if (s->v[i].part != w->part)
            rs_sheet_ref(b, w->p->part_names[s->v[i].part]);
        snprintf(num, sizeof num, "%s%u:%s%u", cn, s->v[i].first + 1, cn,
                 s->v[i].last + 1);
        rs_buf_adds(b, num);
    }
    if (s->n == 0)
        rs_buf_adds(b, "\"\"");
    rs_buf_adds(b, ")");
}

static void write_total(writer *w, const char *label, const double *count,
                        const double *sum, const segs *s)
{
    rw_job *j = w->j;
    const rs_sheet *sh = w->sh;
    uint32_t row = next_body_row(w);
    for (size_t c = 0; c < sh->n_cols; c++) {
        const rs_column *col = &sh->cols[c];
        lxw_format *bold = w->cells.cf[c].f[col->has_count ? RX_COUNT : RX_NUMBER][1];
        if (col->total == RS_TOTAL_LABEL)
            rx_text(&j->bk, w->ws, row, (uint16_t)c, label,
                    w->cells.cf[c].f[RX_TEXT][1]);
        else if ((col->total == RS_TOTAL_COUNT ||
                  col->total == RS_TOTAL_SUM) && s->n == 0)
            rx_number(&j->bk, w->ws, row, (uint16_t)c, 0, bold); /* no rows */
        else if (col->total == RS_TOTAL_COUNT || col->total == RS_TOTAL_SUM) {
            rs_buf b = { 0 };
            bool is_sum = col->total == RS_TOTAL_SUM;
            total_formula(w, &b, is_sum ? "SUM" : "COUNTA", s, (uint16_t)c);
            if (b.oom)
                rw_oom(j);
            else
                rx_formula(&j->bk, w->ws, row, (uint16_t)c, b.s,
                           is_sum ? sum[c] : count[c], bold);
            rs_buf_release(&b);
        } else
            rx_blank(&j->bk, w->ws, row, (uint16_t)c, w->cells.cf[c].f[RX_TEXT][1]);
    }
}

static void group_heading(writer *w, uint32_t item)
{
    rw_job *j = w->j;
    const rs_sheet *sh = w->sh;
    const cadre_records *r = j->recs;
    cadre_env env;
    rw_env(j, &env);
    uint32_t key = rw_group_key(j, sh, item);
    const char *text;
    if (sh->group == RS_GROUP_COURSE)
        env.course = &r->courses[key];
    else if (sh->group == RS_GROUP_UNIT)
        env.unit = &r->units[key];
    else
        env.unit = &r->units[item];
    if (sh->group_heading)
        text = rw_render(j, sh->group_heading, &env);
    else if (sh->group == RS_GROUP_COURSE)
        text = r->courses[key].title;
    else if (sh->group == RS_GROUP_UNIT)
        text = r->units[key].name;
    else
        text = cadre_code_label(CADRE_CODE_LEVEL, (int)key);
    uint32_t row = next_body_row(w);
    rx_merged(&j->bk, w->ws, row, 0, w->last_col, text, j->bk.style[RX_GROUP]);
}

/* A units sheet: the counts of every row, in one pass over the cadres of
 * the sheet it counts, in the records' order (the sheet's own order
 * would visit them scattered over memory). */
static cadre_error count_stats(rw_job *j, const rs_sheet *sh, const rw_plan *p,
                               double **out)
{
    const cadre_records *r = j->recs;
    const rw_plan *over = &j->plans[sh->over_sheet];
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
        rs_facts f;
        rs_facts_of(c, cadre_date_age(c->birth, j->as_of), minority, &f);
        double *line = &counts[(size_t)row * sh->n_cols];
        for (size_t k = 0; k < nk; k++)
            if (rs_cond_test(&sh->cols[kcols[k]].count, &f))
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

static const char *count_formula(writer *w, size_t c)
{
    rw_job *j = w->j;
    const rs_sheet *sh = w->sh;
    const rs_column *col = &sh->cols[c];
    if (w->count_tmpl[c])
        return w->count_tmpl[c];
    const rw_plan *over = &j->plans[sh->over_sheet];
    size_t n = over->n_parts;
    rs_part_ref *parts = malloc(n * sizeof *parts);
    if (!parts)
        return NULL;
    for (size_t k = 0; k < n; k++)
        parts[k] = rw_part_ref(over, k);
    rs_buf b = { 0 };
    int cols[RS_F_COUNT];
    for (int f = 0; f < RS_F_COUNT; f++)
        cols[f] = col->over_col[f];
    rs_countifs(&b, parts, n, sh->over_unit_col, UNIT_MARK, &col->count, cols);
    free(parts);
    if (b.oom) {
        rs_buf_release(&b);
        return NULL;
    }
    return w->count_tmpl[c] = b.s;
}

static void write_count(writer *w, uint32_t row, size_t c, uint32_t unit,
                        double value)
{
    rw_job *j = w->j;
    const rs_sheet *sh = w->sh;
    const char *tmpl = count_formula(w, c);
    if (!tmpl) {
        rw_oom(j);
        return;
    }
    rs_buf crit = { 0 }, b = { 0 };
    /* the unit's name as an exact-match criterion */
    rs_buf_adds(&crit, "\"=");
    for (const char *s = j->recs->units[unit].name; *s; s++) {
        if (*s == '*' || *s == '?' || *s == '~')
            rs_buf_adds(&crit, "~");
        if (*s == '"')
            rs_buf_adds(&crit, "\"");
        rs_buf_add(&crit, s, 1);
    }
    rs_buf_adds(&crit, "\"");
    for (const char *s = tmpl, *m; !crit.oom; s = m + 1) {
        if (!(m = strchr(s, UNIT_MARK[0]))) {
            rs_buf_adds(&b, s);
            break;
        }
        rs_buf_add(&b, s, (size_t)(m - s));
        rs_buf_add(&b, crit.s, crit.len);
    }
    if (crit.oom || b.oom)
        rw_oom(j);
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
        rx_formula(&j->bk, w->ws, row, (uint16_t)c, b.s, value,
                   w->cells.cf[c].f[RX_COUNT][0]);
    }
    rs_buf_release(&crit);
    rs_buf_release(&b);
}

static void write_footer(writer *w)
{
    rw_job *j = w->j;
    const rs_sheet *sh = w->sh;
    rx_book *bk = &j->bk;
    uint16_t l_last, r_first;
    halves(sh, &l_last, &r_first);
    cadre_env env;
    rw_env(j, &env);
    if (sh->rows == RS_ROWS_PARTICIPANTS)
        env.course = rw_title_course(j);
    w->row++; /* a blank line under the table */
    char line[256];
    const char *pd;
    if (sh->place_date)
        pd = rw_render(j, sh->place_date, &env);
    else {
        char date[CADRE_DATE_TEXT_MAX];
        cadre_date_format_long(j->as_of, date, sizeof date);
        snprintf(line, sizeof line, "%s%s%s", j->recs->place ? j->recs->place
                                                             : "",
                 j->recs->place ? ", " : "", date);
        pd = line;
    }
    rx_merged(bk, w->ws, w->row++, r_first, w->last_col, pd,
              bk->style[RX_PLACE_DATE]);
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
        rx_merged(bk, w->ws, w->row, first[i], last[i],
                  rw_render(j, sh->signers[i].title, &env), bk->style[RX_SIGNER]);
    w->row += 1 + RW_SIGN_SPACE;
    for (size_t i = 0; i < n; i++) {
        if (!sh->signers[i].name)
            continue;
        rx_merged(bk, w->ws, w->row, first[i], last[i],
                  rw_render(j, sh->signers[i].name, &env),
                  bk->style[RX_SIGNER_NAME]);
    }
    w->row++;
}

cadre_error rw_write_sheet(rw_job *j, size_t si)
{
    const rs_sheet *sh = &j->r->sheets[si];
    rw_plan *p = &j->plans[si];
    writer w = { .j = j, .sh = sh, .p = p,
                 .last_col = (uint16_t)(sh->n_cols - 1) };
    cadre_error err = CADRE_OK;
    j->bk.font_size = sh->font_size;
    w.g_count = calloc(sh->n_cols * 4, sizeof *w.g_count);
    if ((err = rw_cells_init(&w.cells, j, sh, p->width)) != CADRE_OK ||
        !w.g_count) {
        err = CADRE_ENOMEM;
        goto done;
    }
    w.g_sum = w.g_count + sh->n_cols;
    w.a_count = w.g_sum + sh->n_cols;
    w.a_sum = w.a_count + sh->n_cols;
    if (sh->rows == RS_ROWS_UNITS && sh->over_sheet >= 0) {
        if ((err = count_stats(j, sh, p, &w.stats)) != CADRE_OK)
            goto done;
        if (!(w.count_tmpl = calloc(sh->n_cols, sizeof *w.count_tmpl))) {
            err = CADRE_ENOMEM;
            goto done;
        }
    }

    begin_part(&w);
    bool grouped = p->grouped;
    cadre_value vars[RS_VAR_COUNT] = {
        { .type = CADRE_V_NUMBER }, { .type = CADRE_V_NUMBER } };
    size_t gseq = 0;
    /* the objects a row binds are bound again for every row: the rest of
     * the environment stays */
    cadre_env env;
    rw_env(j, &env);
    env.vars = vars;
    uint32_t key = p->n && grouped ? rw_group_key(j, sh, p->items[0]) : 0;
    bool new_group = true;
    for (size_t i = 0; i < p->n && j->bk.err == CADRE_OK && !j->err; i++) {
        uint32_t item = p->items[i];
        if (grouped && new_group) {
            group_heading(&w, item);
            gseq = 0;
            w.g_segs.n = 0;
            memset(w.g_count, 0, 2 * sh->n_cols * sizeof *w.g_count);
        }
        vars[RS_VAR_SEQ].u.n = (double)(i + 1);
        vars[RS_VAR_GROUP_SEQ].u.n = (double)++gseq;
        rw_rows_env(j, sh, item, &env);
        int lines = 1;
        for (size_t c = 0; c < sh->n_cols; c++) {
            if (sh->cols[c].has_count)
                continue;
            rw_cell_eval(&w.cells, c, &env);
            if (w.cells.row[c].lines > lines)
                lines = w.cells.row[c].lines;
        }
        uint32_t row = next_body_row(&w);
        if (lines > 1) /* neither Excel nor LibreOffice fits it on opening */
            rx_row_height(&j->bk, w.ws, row, lines * sh->font_size * 1.3 + 2);
        seg_add(j, &w.g_segs, w.part, row);
        seg_add(j, &w.a_segs, w.part, row);
        for (size_t c = 0; c < sh->n_cols; c++) {
            double num = 0;
            if (sh->cols[c].has_count) {
                num = w.stats[i * sh->n_cols + c];
                write_count(&w, row, c, item, num);
            } else {
                rw_cell_write(&w.cells, w.ws, row, c);
                if (w.cells.row[c].kind != RX_TEXT)
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
            uint32_t next = i + 1 < p->n ? rw_group_key(j, sh, p->items[i + 1])
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
    rw_cells_release(&w.cells);
    free(w.g_count);
    free(w.stats);
    for (size_t c = 0; w.count_tmpl && c < sh->n_cols; c++)
        free(w.count_tmpl[c]);
    free(w.count_tmpl);
    free(w.g_segs.v);
    free(w.a_segs.v);
    return err;
}

