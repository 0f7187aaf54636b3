/*
 * roster_layout.c - where a sheet's rows land: the title block and
 * headings repeated on every part, the parts a sheet takes past Excel's
 * row limit (or max_rows), and column widths measured on a sample of the
 * rows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadre/text.h"
#include "roster_plan.h"

#define WIDTH_SAMPLE 2000     /* rows measured for column widths */
#define WIDTH_MIN 4.0
#define WIDTH_MAX 45.0

static uint32_t title_rows(const roster_sheet *sh)
{
    /* issuer and national title, motto, a blank line, titles, subtitles,
     * a blank line or the unit of count */
    return 3 + (uint32_t)sh->n_titles + (uint32_t)sh->n_subtitles + 1;
}

static double cell_width(roster_job *j, const roster_column *c, const cadre_env *env)
{
    if (!c->value)
        return 0;
    if (c->single) {
        cadre_value v;
        cadre_expr_eval(c->single, env, &v);
        if (v.type == CADRE_V_DATE)
            return cadre_date_is_year_only(v.u.d) ? 4 : 10;
        if (v.type == CADRE_V_NUMBER) {
            char num[CADRE_NUMBER_TEXT_MAX];
            cadre_format_decimal(v.u.n, 2, num, sizeof num);
            return xlsx_text_width(num);
        }
    }
    return xlsx_text_width(job_render(j, c->value, env));
}

/* The longest word of a heading: it must fit without being cut. */
static double longest_word(const char *s)
{
    double best = 0;
    const char *w = s;
    for (const char *p = s;; p++) {
        if (*p == ' ' || *p == '\n' || *p == '\0') {
            char tmp[256];
            size_t n = (size_t)(p - w) < sizeof tmp - 1 ? (size_t)(p - w)
                                                       : sizeof tmp - 1;
            memcpy(tmp, w, n);
            tmp[n] = '\0';
            double x = xlsx_text_width(tmp) * 1.1; /* bold */
            if (x > best)
                best = x;
            w = p + 1;
        }
        if (!*p)
            break;
    }
    return best;
}

static cadre_error measure(roster_job *j, const roster_sheet *sh, sheet_plan *p)
{
    if (!(p->width = calloc(sh->n_cols, sizeof *p->width)))
        return CADRE_ENOMEM;
    size_t sample = p->n < WIDTH_SAMPLE ? p->n : WIDTH_SAMPLE;
    cadre_value vars[VAR_COUNT] = {
        { .type = CADRE_V_NUMBER }, { .type = CADRE_V_NUMBER } };
    for (size_t i = 0; i < sample; i++) {
        cadre_env env;
        job_env(j, &env);
        vars[0].u.n = vars[1].u.n = (double)p->n;
        env.vars = vars;
        job_bind_row(j, sh, p->items[i], &env);
        for (size_t c = 0; c < sh->n_cols; c++) {
            double w = cell_width(j, &sh->cols[c], &env);
            if (w > p->width[c])
                p->width[c] = w;
        }
    }
    for (size_t c = 0; c < sh->n_cols; c++) {
        const roster_column *col = &sh->cols[c];
        if (col->width > 0) {
            p->width[c] = col->width;
            continue;
        }
        double w = p->width[c] + 2;
        if (col->has_count)
            w = 6; /* counts of a district: a few digits */
        double h = longest_word(col->heading) + 1.5;
        if (w < h)
            w = h;
        if (col->total == TOTAL_LABEL) {
            double t = xlsx_text_width(sh->grand_label ? sh->grand_label
                                                     : sh->total_label) + 2;
            if (w < t)
                w = t;
        }
        p->width[c] = w < WIDTH_MIN ? WIDTH_MIN : w > WIDTH_MAX ? WIDTH_MAX : w;
    }
    return CADRE_OK;
}

cadre_error plan_lay_out(roster_job *j, const roster_sheet *sh, sheet_plan *p)
{
    for (size_t c = 0; c < sh->n_cols; c++)
        p->totals |= sh->cols[c].total != TOTAL_NONE;
    p->heading_row = title_rows(sh);
    p->head_rows = p->heading_row + sheet_heading_rows(sh);
    p->foot_rows = 1 + (sh->n_signers ? 2 + SIGN_SPACE : 0) + 1;
    p->grouped = sh->group != GROUP_NONE && p->n_groups > 1;
    bool grouped = p->grouped;
    p->body_rows = p->n + (grouped ? p->n_groups * (1 + p->totals) : 0) +
                   (p->totals && sh->grand_label ? 1 : 0);
    uint32_t max = j->opt->max_rows ? j->opt->max_rows : EXCEL_ROWS;
    if (max > EXCEL_ROWS)
        max = EXCEL_ROWS;
    if (max <= p->head_rows + p->foot_rows + 1) {
        cadre_diags_error(j->diags, NULL, 0, "%u rows per sheet leave no room "
                          "for data", max);
        return CADRE_EINVALID;
    }
    p->per_part = max - p->head_rows - p->foot_rows;
    p->n_parts = p->body_rows ? (size_t)((p->body_rows + p->per_part - 1) /
                                         p->per_part)
                              : 1;
    if (!(p->part_names = calloc(p->n_parts, sizeof *p->part_names)))
        return CADRE_ENOMEM;
    for (size_t i = 0; i < p->n_parts; i++) {
        char name[64];
        if (i == 0)
            snprintf(name, sizeof name, "%s", sh->name);
        else
            snprintf(name, sizeof name, "%s (%zu)", sh->name, i + 1);
        if (!(p->part_names[i] = strdup(name)))
            return CADRE_ENOMEM;
    }
    return measure(j, sh, p);
}

part_rows plan_part_rows(const sheet_plan *p, size_t k)
{
    uint64_t before = (uint64_t)k * p->per_part;
    uint64_t rows = p->body_rows - before;
    if (rows > p->per_part)
        rows = p->per_part;
    part_rows ref = { .sheet = p->part_names[k], .first = p->head_rows,
                        .last = p->head_rows + (uint32_t)rows - 1 };
    if (rows == 0)
        ref.last = ref.first - 1;
    return ref;
}

