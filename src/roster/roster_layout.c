/*
 * roster_layout.c - where a sheet's rows land: the title block and
 * headings repeated on every part, the parts a sheet takes past Excel's
 * row limit (or max_rows), column widths measured on a sample of the rows,
 * how it prints, and the day it speaks of.
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

static double cell_width(roster_job *j, const roster_column *c,
                         const cadre_env *env)
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

/* True when column `c` holds text whose width was measured: it may wrap
 * to more lines in a narrower column. */
static bool wraps(const roster_column *c)
{
    if (c->width > 0 || c->has_count || !c->value)
        return false;
    if (!c->single)
        return true;
    cadre_vtype t = cadre_expr_type(c->single);
    return t == CADRE_V_STRING || t == CADRE_V_CODE;
}

/* A sheet a little too wide to print one page across at a readable size
 * gets its widest text columns narrowed (their long texts wrap) rather
 * than a second page across for a column or two. */
static void narrow_to_fit(const roster_sheet *sh, sheet_plan *p)
{
    double room = print_room(sh->font_size);
    double all = print_points(p->width, sh->n_cols);
    if (all <= room || all > room * 1.15)
        return; /* fits, or far too wide: split across pages instead */
    double *narrowest = malloc(sh->n_cols * sizeof *narrowest);
    if (!narrowest)
        return; /* only a wider print */
    for (size_t c = 0; c < sh->n_cols; c++)
        narrowest[c] = wraps(&sh->cols[c]) ? p->width[c] * 0.7 : p->width[c];
    while (print_points(p->width, sh->n_cols) > room) {
        size_t widest = sh->n_cols;
        for (size_t c = 0; c < sh->n_cols; c++)
            if (p->width[c] - 1 >= narrowest[c] &&
                (widest == sh->n_cols || p->width[c] > p->width[widest]))
                widest = c;
        if (widest == sh->n_cols)
            break; /* as narrow as they go */
        p->width[widest] -= 1;
    }
    free(narrowest);
}

static cadre_error measure(roster_job *j, const roster_sheet *sh,
                           sheet_plan *p)
{
    if (!(p->width = calloc(sh->n_cols, sizeof *p->width)))
        return CADRE_ENOMEM;
    size_t sample = p->n < WIDTH_SAMPLE ? p->n : WIDTH_SAMPLE;
    cadre_value vars[VAR_COUNT] = {
        { .type = CADRE_V_NUMBER }, { .type = CADRE_V_NUMBER } };
    for (size_t i = 0; i < sample; i++) {
        cadre_env env;
        job_env(j, &env);
        env.as_of = p->day;
        env.year = p->day.year;
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
        /* measured at 11 points: smaller type takes less */
        double w = p->width[c] * sh->font_size / 11 + 1.5;
        if (col->has_count)
            w = 6; /* counts of a province: five digits and a dot */
        double h = longest_word(col->heading) * sh->font_size / 11 + 1.5;
        if (w < h)
            w = h;
        if (col->total == TOTAL_LABEL) {
            const char *l = sh->grand_label ? sh->grand_label
                            : sh->total_label ? sh->total_label : "";
            double t = xlsx_text_width(l) + 2;
            if (w < t)
                w = t;
        }
        p->width[c] = w < WIDTH_MIN   ? WIDTH_MIN
                      : w > WIDTH_MAX ? WIDTH_MAX
                                      : w;
    }
    narrow_to_fit(sh, p);
    return CADRE_OK;
}

/* The day a sheet speaks of: a roster or register of a course is dated by
 * the course (the day its certificates were issued, or its end), whatever
 * day the records were made up to; other sheets by the roster's day. */
static cadre_date sheet_day(const roster_job *j, const roster_sheet *sh,
                            const sheet_plan *p)
{
    if (cadre_date_is_set(j->opt->as_of) || sh->rows != ROWS_PARTICIPANTS)
        return j->as_of;
    cadre_date day = { 0 };
    for (size_t i = 0; i < p->n; i++) {
        cadre_date d = j->recs->participants[p->items[i]].issued;
        if (cadre_date_is_set(d) && cadre_date_compare(d, day) > 0)
            day = d;
    }
    const cadre_course *c = job_title_course(j);
    if (!cadre_date_is_set(day) && c)
        day = c->end;
    return cadre_date_is_set(day) ? day : j->as_of;
}

cadre_error plan_lay_out(roster_job *j, const roster_sheet *sh, sheet_plan *p)
{
    for (size_t c = 0; c < sh->n_cols; c++)
        p->totals |= sh->cols[c].total == TOTAL_COUNT ||
                     sh->cols[c].total == TOTAL_SUM;
    p->day = sheet_day(j, sh, p);
    p->heading_row = title_rows(sh);
    p->head_rows = p->heading_row + sheet_heading_rows(sh);
    p->grouped = sh->key_col >= 0 && p->n_groups > 1 && p->totals;
    p->tail_rows = (p->grouped ? (uint32_t)p->n_groups : 0) +
                   (p->totals && sh->grand_label ? 1 : 0);
    p->foot_rows = 2 + (sh->n_signers ? 2 + SIGN_SPACE : 0);
    uint32_t max = j->opt->max_rows ? j->opt->max_rows : EXCEL_ROWS;
    if (max > EXCEL_ROWS)
        max = EXCEL_ROWS;
    if ((uint64_t)max <= (uint64_t)p->head_rows + p->tail_rows +
                             p->foot_rows + 1) {
        cadre_diags_error(j->diags, NULL, 0, "%u rows per sheet leave no room "
                          "for data", max);
        return CADRE_EINVALID;
    }
    p->per_part = max - p->head_rows - p->tail_rows - p->foot_rows;
    p->n_parts = p->n ? (p->n + p->per_part - 1) / p->per_part : 1;
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
    cadre_error err = measure(j, sh, p);
    if (err != CADRE_OK)
        return err;
    int *group = malloc(sh->n_cols * sizeof *group);
    if (!group)
        return CADRE_ENOMEM;
    for (size_t c = 0; c < sh->n_cols; c++)
        group[c] = sh->cols[c].group;
    double height = ((double)p->n + p->head_rows + p->tail_rows) *
                        PRINT_ROW_HEIGHT;
    int rc = print_plan(&p->print, p->width, group, sh->n_cols,
                        sh->font_size, sh->name_col, height);
    free(group);
    return rc == 0 ? CADRE_OK : CADRE_ENOMEM;
}

part_rows plan_part_rows(const sheet_plan *p, size_t k)
{
    size_t before = k * p->per_part;
    size_t rows = p->n > before ? p->n - before : 0;
    if (rows > p->per_part)
        rows = p->per_part;
    part_rows ref = { .sheet = p->part_names[k], .first = p->head_rows,
                      .last = p->head_rows + (uint32_t)rows - 1 };
    if (rows == 0)
        ref.last = ref.first - 1;
    return ref;
}
