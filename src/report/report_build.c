/*
 * report_build.c - the figures of a booklet (report_build.h): every
 * sentence, table cell and chart value of the compiled template, as text
 * and numbers ready to be laid out.
 *
 * The booklet is built twice.  The first time nothing is evaluated: every
 * expression met is registered with the tally.  The tally then walks the
 * records once, and the second build evaluates each expression with its
 * aggregates' values taken from the tally.  Building twice keeps one
 * description of the booklet instead of a second walker that would have
 * to agree with the first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadre/codes.h"
#include "cadre/records.h"
#include "cadre/text.h"
#include "util/grow.h"
#include "report_build.h"
#include "report_tally.h"
#include "report_view.h"

/* Where the builder is: what is bound, what is counted. */
typedef struct build_ctx {
    const cadre_records *r;
    cadre_env env;           /* year, as-of, bindings */
    tally *tally;            /* NULL: every figure walks the records */
    bool registering;        /* the first build: register, evaluate nothing */
    tally_scope scope;       /* which figures an expression gets */
    cadre_value vars[2];     /* the variables: selection, then y */
    size_t n_vars;           /* 1, or 2 in a chart of years */
    const uint8_t *sel;      /* per unit, or NULL for all: units counted */
    uint8_t *of_level[2];    /* per unit: counted and of the level */
} build_ctx;

/* ------------------------------------------------------------------ */
/* Evaluating in a context.                                            */

static bool tallies(const build_ctx *ctx)
{
    /* inside one course's rows the evaluator is cheap and the tally's
     * per-unit sums do not apply */
    return ctx->tally && ctx->env.within_course == CADRE_NONE;
}

static int want(build_ctx *ctx, const cadre_expr *e)
{
    return tallies(ctx) ? tally_want(ctx->tally, e, ctx->vars, ctx->n_vars)
                        : 0;
}

/* The environment of one evaluation: the tally's figures for the scope
 * (through `q` and `src`, which must outlive it). */
static cadre_env eval_env(const build_ctx *ctx, tally_query *q,
                          cadre_agg_source *src)
{
    cadre_env env = ctx->env;
    env.vars = ctx->vars;
    if (tallies(ctx)) {
        *q = (tally_query){ ctx->tally, ctx->vars, ctx->n_vars, ctx->scope };
        *src = tally_source(q);
        env.aggs = src;
    }
    return env;
}

/* `t` rendered in `ctx` into a new string ("" while registering, or when
 * not given).  NULL when out of memory. */
static char *text_render(build_ctx *ctx, const report_text *t)
{
    if (!t->tt)
        return strdup("");
    if (ctx->registering) {
        for (size_t k = 0; k < t->n_exprs; k++)
            if (want(ctx, t->exprs[k]) < 0)
                return NULL;
        return strdup("");
    }
    tally_query q;
    cadre_agg_source src;
    cadre_env env = eval_env(ctx, &q, &src);
    return cadre_tmpl_text_render_new(t->tt, &env);
}

/* Evaluate `e` in `ctx` (a null value while registering).  Returns 0 or
 * -1 when out of memory. */
static int eval(build_ctx *ctx, const cadre_expr *e, cadre_value *out)
{
    out->type = CADRE_V_NULL;
    if (ctx->registering)
        return want(ctx, e);
    tally_query q;
    cadre_agg_source src;
    cadre_env env = eval_env(ctx, &q, &src);
    cadre_expr_eval(e, &env, out);
    return 0;
}

/* A number that prints without decimals, in the range where converting
 * it to an integer is defined. */
static bool is_whole(double n)
{
    return n > -1e15 && n < 1e15 && n == (double)(long long)n;
}

/* A cell's text for the value `v` of `e`: "1.188", "7,4", years without
 * grouping ("2018"). */
static char *value_text(const cadre_expr *e, const cadre_value *v)
{
    char buf[256];
    if (v->type == CADRE_V_NUMBER && e && cadre_expr_is_year(e) &&
        is_whole(v->u.n))
        snprintf(buf, sizeof buf, "%lld", (long long)v->u.n);
    else if (v->type == CADRE_V_NUMBER && !is_whole(v->u.n))
        cadre_format_decimal(v->u.n, 1, buf, sizeof buf);
    else
        cadre_value_format(v, buf, sizeof buf);
    return strdup(buf);
}

/* ------------------------------------------------------------------ */
/* The booklet's storage.                                              */

static void table_free(booklet_table *t)
{
    if (!t)
        return;
    free(t->title);
    free(t->note);
    free(t->weights);
    free(t->align);
    for (size_t i = 0; i < t->n_head; i++)
        free(t->head[i].text);
    free(t->head);
    for (size_t i = 0; i < t->n_rows; i++) {
        for (size_t k = 0; k < t->n_cols; k++)
            free(t->rows[i].cells[k]);
        free(t->rows[i].cells);
    }
    free(t->rows);
    free(t);
}

static void chart_free(booklet_chart *c)
{
    if (!c)
        return;
    free(c->title);
    free(c->y_title);
    free(c->x_title);
    for (size_t i = 0; i < c->n_cats; i++)
        free(c->cats[i]);
    for (size_t i = 0; i < c->n_series; i++)
        free(c->series[i]);
    free(c->cats);
    free(c->series);
    free(c->v);
    free(c);
}

void booklet_release(booklet *b)
{
    for (size_t i = 0; i < b->n_sections; i++) {
        booklet_section *s = &b->sections[i];
        for (size_t k = 0; k < s->n_blocks; k++) {
            free(s->blocks[k].text);
            table_free(s->blocks[k].table);
            chart_free(s->blocks[k].chart);
        }
        free(s->blocks);
        free(s->title);
    }
    free(b->sections);
    char **strs[] = BOOKLET_STRINGS(b);
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++)
        free(*strs[i]);
    memset(b, 0, sizeof *b);
}

static booklet_section *add_section(booklet *b)
{
    if (!GROW(b->sections, b->cap_sections, b->n_sections + 1))
        return NULL;
    booklet_section *s = &b->sections[b->n_sections++];
    memset(s, 0, sizeof *s);
    return s;
}

static booklet_block *add_block(booklet_section *s)
{
    if (!GROW(s->blocks, s->cap_blocks, s->n_blocks + 1))
        return NULL;
    booklet_block *b = &s->blocks[s->n_blocks++];
    memset(b, 0, sizeof *b);
    return b;
}

/* `cells` when none of its `n` is NULL, else NULL (`cells` freed). */
static char **all_cells(char **cells, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        if (cells[k])
            continue;
        for (size_t i = 0; i < n; i++)
            free(cells[i]);
        free(cells);
        return NULL;
    }
    return cells;
}

/* Add a row of `cells` (taken over, also on failure). */
static int add_row(booklet_table *t, int kind, int indent, char **cells)
{
    if (!cells || !GROW(t->rows, t->cap_rows, t->n_rows + 1)) {
        for (size_t k = 0; cells && k < t->n_cols; k++)
            free(cells[k]);
        free(cells);
        return -1;
    }
    t->rows[t->n_rows++] = (booklet_row){ kind, indent, cells };
    return 0;
}

/* ------------------------------------------------------------------ */
/* Tables: the heading.                                                */

static int col_depth(const report_column *c)
{
    int d = 0;
    for (size_t i = 0; i < c->n_kids; i++) {
        int k = col_depth(&c->kids[i]);
        if (k > d)
            d = k;
    }
    return d + 1;
}

static int col_leaves(const report_column *c)
{
    if (!c->n_kids)
        return 1;
    int n = 0;
    for (size_t i = 0; i < c->n_kids; i++)
        n += col_leaves(&c->kids[i]);
    return n;
}

/* Add a heading cell holding `text` (taken over, also on failure). */
static int add_head(booklet_table *t, char *text, int row, int col, int rows,
                    int cols)
{
    if (!text || !GROW(t->head, t->cap_head, t->n_head + 1)) {
        free(text);
        return -1;
    }
    t->head[t->n_head++] = (heading_cell){ text, row, col, rows, cols };
    return 0;
}

static int heads(build_ctx *ctx, booklet_table *bt, const report_column *cols,
                 size_t n, int row, int *col, int depth)
{
    for (size_t i = 0; i < n; i++) {
        const report_column *c = &cols[i];
        int span = col_leaves(c);
        int rows = c->n_kids ? 1 : depth - row;
        if (add_head(bt, text_render(ctx, &c->title), row, *col, rows,
                     span) < 0)
            return -1;
        if (c->n_kids) {
            int k = *col;
            if (heads(ctx, bt, c->kids, c->n_kids, row + 1, &k, depth) < 0)
                return -1;
        }
        *col += span;
    }
    return 0;
}

/* The row numbering the columns under the heading: A, B for the number
 * and name columns, then 1, 2 ... */
static int column_numbers(booklet_table *bt, size_t lead, int row)
{
    for (size_t k = 0; k < bt->n_cols; k++) {
        char nb[24];
        if (k < lead)
            snprintf(nb, sizeof nb, "%c", (int)('A' + k));
        else
            snprintf(nb, sizeof nb, "%zu", k - lead + 1);
        if (add_head(bt, strdup(nb), row, (int)k, 1, 1) < 0)
            return -1;
    }
    bt->head_rows = row + 1;
    bt->number_row = row;
    return 0;
}

/* Columns before the leaves: the number ("TT") and the stub. */
static size_t lead_cols(const report_table *t)
{
    return 1 + (t->numbered ? 1 : 0);
}

/* The table's shape: columns, widths and the heading grid. */
static booklet_table *table_start(build_ctx *ctx, const report_table *t,
                                  const char *title)
{
    booklet_table *bt = calloc(1, sizeof *bt);
    if (!bt)
        return NULL;
    size_t lead = lead_cols(t);
    bt->lead = lead;
    bt->n_cols = lead + t->n_leaves;
    bt->weights = calloc(bt->n_cols, sizeof *bt->weights);
    bt->align = calloc(bt->n_cols, sizeof *bt->align);
    bt->title = title ? strdup(title) : NULL;
    if (!bt->weights || !bt->align || (title && !bt->title))
        goto fail;
    if (report_text_given(&t->note) && !(bt->note = text_render(ctx, &t->note)))
        goto fail;
    int depth = 0;
    for (size_t i = 0; i < t->n_cols; i++) {
        int d = col_depth(&t->cols[i]);
        if (d > depth)
            depth = d;
    }
    bt->head_rows = depth;
    bt->number_row = -1;
    int col = 0;
    if (t->numbered) {
        bt->weights[col] = 0.7;
        bt->align[col] = ALIGN_CENTER;
        if (add_head(bt, strdup("TT"), 0, col++, depth, 1) < 0)
            goto fail;
    }
    bt->weights[col] = t->stub_width;
    bt->align[col] = ALIGN_LEFT;
    char *stub = report_text_given(&t->stub) ? text_render(ctx, &t->stub)
               : strdup(t->rows == ROWS_UNITS ? "Đơn vị"
                        : t->rows == ROWS_COURSES ? "Lớp, khóa học"
                                                  : "Nội dung");
    if (add_head(bt, stub, 0, col++, depth, 1) < 0)
        goto fail;
    for (size_t i = 0; i < t->n_leaves; i++) {
        bt->weights[lead + i] = t->leaves[i]->width > 0 ? t->leaves[i]->width
                                                        : 1;
        bt->align[lead + i] = t->leaves[i]->align;
    }
    if (heads(ctx, bt, t->cols, t->n_cols, 0, &col, depth) < 0 ||
        (t->col_numbers && column_numbers(bt, lead, depth) < 0))
        goto fail;
    return bt;
fail:
    table_free(bt);
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Tables: the rows.                                                   */

/* What a table's number columns add up to, for its total row. */
typedef struct column_sums {
    double *sum;           /* per leaf */
    bool *numeric;         /* per leaf: every cell so far a number */
} column_sums;

/* Cells of one row: number, stub, then each leaf (expression `cells[k]`
 * when given, else the column's own value or text).  When `sums` is
 * given, the row's values are added to it. */
static char **row_cells(build_ctx *ctx, const report_table *t, const char *num,
                        const char *stub, cadre_expr *const *cells,
                        bool text_cols, column_sums *sums)
{
    size_t lead = lead_cols(t);
    char **out = calloc(lead + t->n_leaves, sizeof *out);
    if (!out)
        return NULL;
    size_t k = 0;
    if (t->numbered && !(out[k++] = strdup(num ? num : "")))
        goto fail;
    if (!(out[k++] = strdup(stub ? stub : "")))
        goto fail;
    for (size_t i = 0; i < t->n_leaves; i++, k++) {
        const report_column *c = t->leaves[i];
        cadre_expr *e = cells && cells[i] ? cells[i] : c->value;
        cadre_value v = { .type = CADRE_V_NULL };
        if (report_text_given(&c->text))
            out[k] = text_cols ? text_render(ctx, &c->text) : strdup("");
        else if (e && eval(ctx, e, &v) < 0)
            goto fail;
        else
            out[k] = e ? value_text(e, &v) : strdup("");
        if (!out[k])
            goto fail;
        if (sums) {
            sums->numeric[i] &= v.type == CADRE_V_NUMBER;
            sums->sum[i] += v.type == CADRE_V_NUMBER ? v.u.n : 0;
        }
    }
    return out;
fail:
    for (size_t i = 0; i < lead + t->n_leaves; i++)
        free(out[i]);
    free(out);
    return NULL;
}

/* Units in the order of the table: each top unit of a level followed by
 * the units below it of the same level. */
static int unit_rows(build_ctx *ctx, const report_table *t, booklet_table *bt,
                     int level, uint32_t parent, int indent, int *num)
{
    const cadre_records *r = ctx->r;
    const uint8_t *sel = ctx->sel;
    for (size_t u = 0; u < r->n_units; u++) {
        const cadre_unit *un = &r->units[u];
        if (un->level != level || (sel && !sel[u]))
            continue;
        uint32_t p = un->parent;
        bool top = p == CADRE_NONE || r->units[p].level != level ||
                   (sel && !sel[p]);
        if (parent == CADRE_NONE ? !top : (top || p != parent))
            continue;
        char nb[24] = "";
        if (indent == 0)
            snprintf(nb, sizeof nb, "%d", ++*num);
        ctx->scope = (tally_scope){ SCOPE_UNIT, (uint32_t)u };
        ctx->env.unit = un;
        ctx->env.within_unit = (uint32_t)u;
        char *stub = NULL;
        if (indent) {
            size_t n = strlen(un->name) + 8;
            stub = malloc(n);
            if (stub)
                snprintf(stub, n, "- %s", un->name);
        }
        char **cells = row_cells(ctx, t, nb, stub ? stub : un->name, NULL,
                                 true, NULL);
        free(stub);
        if (add_row(bt, ROW_PLAIN, indent, cells) < 0)
            return -1;
        if (indent < 8 && unit_rows(ctx, t, bt, level, (uint32_t)u,
                                    indent + 1, num) < 0)
            return -1;
    }
    return 0;
}

/* A row of `text` in the stub and nothing else: a group's heading. */
static int group_row(booklet_table *bt, const report_table *t,
                     const char *number, char *text)
{
    char **cells = text ? calloc(bt->n_cols, sizeof *cells) : NULL;
    if (!cells) {
        free(text);
        return -1;
    }
    size_t k = 0;
    if (t->numbered)
        cells[k++] = strdup(number);
    cells[k++] = text;
    for (; k < bt->n_cols; k++)
        cells[k] = strdup("");
    return add_row(bt, ROW_GROUP, 0, all_cells(cells, bt->n_cols));
}

static const char *const roman[] = { "I", "II", "III", "IV", "V", "VI" };

/* rows=units: each level's units, its subtotal, then the grand total. */
static int units_table(build_ctx *ctx, const report_table *t,
                       booklet_table *bt)
{
    const cadre_records *r = ctx->r;
    cadre_env keep = ctx->env;
    report_level defaults[2] = { { CADRE_LEVEL_HUYEN, { 0 } },
                                 { CADRE_LEVEL_XA, { 0 } } };
    const report_level *levels = t->n_levels ? t->levels : defaults;
    size_t nl = t->n_levels ? t->n_levels : 2, shown = 0;
    for (size_t g = 0; g < nl; g++) {
        int lv = levels[g].level;
        bool any = false;
        for (size_t u = 0; u < r->n_units && !any; u++)
            any = r->units[u].level == lv && (!ctx->sel || ctx->sel[u]);
        if (!any)
            continue;
        char *gt = report_text_given(&levels[g].title)
                       ? text_render(ctx, &levels[g].title)
                       : strdup(lv == CADRE_LEVEL_HUYEN ? "Cấp huyện"
                                                        : "Cấp xã");
        int num = 0;
        ctx->env = keep;
        if (group_row(bt, t, roman[shown++ % 6], gt) < 0 ||
            unit_rows(ctx, t, bt, lv, CADRE_NONE, 0, &num) < 0)
            return -1;
        ctx->env = keep;
        ctx->env.within_units = ctx->of_level[lv & 1];
        ctx->scope = (tally_scope){ SCOPE_LEVEL, (uint32_t)lv };
        char *st = report_text_given(&t->subtotal)
                       ? text_render(ctx, &t->subtotal) : strdup("Cộng");
        char **cells = st ? row_cells(ctx, t, "", st, NULL, false, NULL)
                          : NULL;
        free(st);
        if (add_row(bt, ROW_SUBTOTAL, 0, cells) < 0)
            return -1;
    }
    ctx->env = keep;
    ctx->scope = (tally_scope){ SCOPE_ALL, 0 };
    char *tt = report_text_given(&t->total) ? text_render(ctx, &t->total)
                                            : strdup("Tổng cộng");
    char **cells = tt ? row_cells(ctx, t, "", tt, NULL, false, NULL) : NULL;
    free(tt);
    return add_row(bt, ROW_TOTAL, 0, cells);
}

/* rows=list: the rows written in the template, counted in the scope
 * around them (the booklet, or one unit on its own page). */
static int list_table(build_ctx *ctx, const report_table *t,
                      booklet_table *bt, column_sums *sums)
{
    int num = 0;
    for (size_t i = 0; i < t->n_list; i++) {
        const report_row *row = &t->list[i];
        char nb[24] = "";
        if (!row->total)
            snprintf(nb, sizeof nb, "%d", ++num);
        char *title = text_render(ctx, &row->title);
        char **cells = title ? row_cells(ctx, t, nb, title, row->cells, true,
                                         row->total ? NULL : sums)
                             : NULL;
        free(title);
        if (add_row(bt, row->total ? ROW_TOTAL : ROW_PLAIN, 0, cells) < 0)
            return -1;
    }
    return 0;
}

/* The courses `t` lists, in the order of their start: a new array of
 * *n course indices, or NULL when out of memory. */
static uint32_t *listed_courses(build_ctx *ctx, const report_table *t,
                                size_t *n)
{
    const cadre_records *r = ctx->r;
    uint32_t *idx = malloc((r->n_courses + 1) * sizeof *idx);
    *n = 0;
    if (!idx)
        return NULL;
    cadre_env env = ctx->env;
    env.vars = ctx->vars;
    for (size_t i = 0; i < r->n_courses; i++) {
        env.course = &r->courses[i];
        env.within_course = (uint32_t)i;
        if (!t->filter || cadre_expr_test(t->filter, &env))
            idx[(*n)++] = (uint32_t)i;
    }
    for (size_t i = 1; i < *n; i++) /* insertion sort: few courses */
        for (size_t j = i;
             j > 0 && cadre_date_compare(r->courses[idx[j]].start,
                                         r->courses[idx[j - 1]].start) < 0;
             j--) {
            uint32_t x = idx[j];
            idx[j] = idx[j - 1];
            idx[j - 1] = x;
        }
    return idx;
}

/* rows=courses: one row per course, its counts made within it. */
static int courses_table(build_ctx *ctx, const report_table *t,
                         booklet_table *bt, column_sums *sums)
{
    size_t n;
    uint32_t *idx = listed_courses(ctx, t, &n);
    if (!idx)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const cadre_course *k = &ctx->r->courses[idx[i]];
        ctx->env.course = k;
        ctx->env.within_course = idx[i];
        char nb[24];
        snprintf(nb, sizeof nb, "%zu", i + 1);
        rc = add_row(bt, ROW_PLAIN, 0,
                     row_cells(ctx, t, nb, k->title, NULL, true, sums));
    }
    free(idx);
    return rc;
}

/* The total row of listed rows and courses: what the number columns of
 * the rows above it add up to. */
static int sum_row(build_ctx *ctx, const report_table *t, booklet_table *bt,
                   const column_sums *sums)
{
    char **cells = calloc(bt->n_cols, sizeof *cells);
    if (!cells)
        return -1;
    size_t lead = lead_cols(t);
    if (t->numbered)
        cells[0] = strdup("");
    cells[lead - 1] = text_render(ctx, &t->total);
    for (size_t k = lead; k < bt->n_cols; k++) {
        size_t i = k - lead;
        cadre_value v = { .type = CADRE_V_NUMBER, .u.n = sums->sum[i] };
        bool numeric = sums->numeric[i] && !report_text_given(&t->leaves[i]->text);
        cells[k] = numeric ? value_text(NULL, &v) : strdup("");
    }
    return add_row(bt, ROW_TOTAL, 0, all_cells(cells, bt->n_cols));
}

static booklet_table *build_table(build_ctx *ctx, const report_table *t,
                                  const char *title)
{
    booklet_table *bt = table_start(ctx, t, title);
    if (!bt)
        return NULL;
    cadre_env keep = ctx->env;
    tally_scope keep_scope = ctx->scope;
    column_sums sums = { calloc(t->n_leaves + 1, sizeof *sums.sum),
                         malloc((t->n_leaves + 1) * sizeof *sums.numeric) };
    int rc = sums.sum && sums.numeric ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < t->n_leaves; i++)
        sums.numeric[i] = true;
    if (rc == 0)
        rc = t->rows == ROWS_UNITS ? units_table(ctx, t, bt)
           : t->rows == ROWS_LIST ? list_table(ctx, t, bt, &sums)
                                  : courses_table(ctx, t, bt, &sums);
    ctx->env = keep;
    ctx->scope = keep_scope;
    if (rc == 0 && t->rows != ROWS_UNITS && report_text_given(&t->total))
        rc = sum_row(ctx, t, bt, &sums);
    free(sums.sum);
    free(sums.numeric);
    if (rc < 0) {
        table_free(bt);
        return NULL;
    }
    return bt;
}

/* ------------------------------------------------------------------ */
/* Charts.                                                             */

/* The first year a chart of years shows, and how many. */
static size_t chart_years(const build_ctx *ctx, const report_chart *c,
                          int *first)
{
    const cadre_records *r = ctx->r;
    int last = ctx->env.year;
    /* the years the records speak of, up to the report's */
    *first = last;
    for (size_t i = 0; i < r->n_courses; i++)
        if (r->courses[i].start.year < *first)
            *first = r->courses[i].start.year;
    if (c->years_last && last - *first + 1 > c->years_last)
        *first = last - c->years_last + 1;
    return (size_t)(last - *first + 1);
}

/* The category `i` of `c`: its label, and its values into bc->v. */
static int chart_category(build_ctx *ctx, const report_chart *c,
                          booklet_chart *bc, size_t i, int first)
{
    if (c->years) {
        char buf[32];
        snprintf(buf, sizeof buf, "%d", first + (int)i);
        bc->cats[i] = strdup(buf);
        ctx->vars[1] = (cadre_value){ .type = CADRE_V_NUMBER,
                                      .u.n = first + (int)i };
        ctx->n_vars = 2;
    } else {
        bc->cats[i] = text_render(ctx, &c->cats[i].title);
    }
    int rc = bc->cats[i] ? 0 : -1;
    for (size_t s = 0; s < c->n_series && rc == 0; s++) {
        const cadre_expr *e = c->cells[(c->years ? 0 : i) * c->n_series + s];
        cadre_value v;
        rc = eval(ctx, e, &v);
        bc->v[i * c->n_series + s] = v.type == CADRE_V_NUMBER ? v.u.n : 0;
    }
    ctx->n_vars = 1;
    return rc;
}

static booklet_chart *build_chart(build_ctx *ctx, const report_chart *c,
                                  const char *title)
{
    booklet_chart *bc = calloc(1, sizeof *bc);
    if (!bc)
        return NULL;
    bc->type = c->type;
    bc->height = c->height;
    bc->title = title ? strdup(title) : NULL;
    /* what the axis counts: attendances are "lượt", people "người" */
    bc->y_title = report_text_given(&c->y_title)
                      ? text_render(ctx, &c->y_title)
                      : strdup(!strcmp(c->of, "participants") &&
                               !strcmp(c->agg, "count") ? "Lượt" : "Người");
    bc->x_title = text_render(ctx, &c->x_title);
    if ((title && !bc->title) || !bc->y_title || !bc->x_title)
        goto fail;
    int first = 0;
    bc->n_cats = c->years ? chart_years(ctx, c, &first) : c->n_cats;
    bc->n_series = c->n_series;
    bc->cats = calloc(bc->n_cats + 1, sizeof *bc->cats);
    bc->series = calloc(bc->n_series + 1, sizeof *bc->series);
    bc->v = calloc(bc->n_cats * bc->n_series + 1, sizeof *bc->v);
    if (!bc->cats || !bc->series || !bc->v)
        goto fail;
    for (size_t s = 0; s < c->n_series; s++)
        if (report_text_given(&c->series[s].title) &&
            !(bc->series[s] = text_render(ctx, &c->series[s].title)))
            goto fail;
    for (size_t i = 0; i < bc->n_cats; i++)
        if (chart_category(ctx, c, bc, i, first) < 0)
            goto fail;
    return bc;
fail:
    chart_free(bc);
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Sections.                                                           */

static int build_blocks(build_ctx *ctx, const report_section *s,
                        booklet_section *bs)
{
    for (size_t i = 0; i < s->n_blocks; i++) {
        const report_block *b = &s->blocks[i];
        booklet_block *bb = add_block(bs);
        if (!bb)
            return -1;
        bb->kind = b->kind;
        bb->italic = b->italic;
        bb->bold = b->bold;
        bb->center = b->center;
        char *text = text_render(ctx, &b->text);
        if (!text)
            return -1;
        const char *title = report_text_given(&b->text) ? text : NULL;
        if (b->kind == BLOCK_TABLE) {
            bb->table = build_table(ctx, b->table, title);
            free(text);
            if (!bb->table)
                return -1;
        } else if (b->kind == BLOCK_CHART) {
            bb->chart = build_chart(ctx, b->chart, title);
            free(text);
            if (!bb->chart)
                return -1;
        } else {
            bb->text = text;
        }
    }
    return 0;
}

/* Whether unit `u` is counted with no counted unit above it. */
static bool tree_root(const cadre_records *r, const uint8_t *sel, size_t u)
{
    uint32_t p = r->units[u].parent;
    return (!sel || sel[u]) && (p == CADRE_NONE || (sel && !sel[p]));
}

/* The units counted in the order of their tree: each unit followed by
 * the units below it (in file order), with its depth among the units
 * counted.  Fills order[] and depth[] (n_units each); returns how many,
 * or (size_t)-1 when out of memory. */
static size_t tree_order(const cadre_records *r, const uint8_t *sel,
                         uint32_t *order, int *depth)
{
    size_t nu = r->n_units, n = 0;
    uint32_t *first = malloc((nu + 1) * sizeof *first);
    uint32_t *next = malloc((nu + 1) * sizeof *next);
    uint32_t *stack = malloc((nu + 1) * sizeof *stack);
    int *level = malloc((nu + 1) * sizeof *level);
    if (!first || !next || !stack || !level) {
        n = (size_t)-1;
        goto done;
    }
    for (size_t u = 0; u < nu; u++)
        first[u] = next[u] = CADRE_NONE;
    /* children lists in file order: linked from the last unit back */
    for (size_t u = nu; u-- > 0;) {
        if ((sel && !sel[u]) || tree_root(r, sel, u))
            continue;
        uint32_t p = r->units[u].parent;
        next[u] = first[p];
        first[p] = (uint32_t)u;
    }
    for (size_t root = 0; root < nu; root++) {
        if (!tree_root(r, sel, root))
            continue;
        size_t top = 0;
        stack[top++] = (uint32_t)root;
        level[root] = 0;
        while (top) {
            uint32_t u = stack[--top];
            depth[n] = level[u];
            order[n++] = u;
            /* the children pushed in reverse, so they come out in order */
            size_t at = top;
            for (uint32_t c = first[u]; c != CADRE_NONE; c = next[c]) {
                level[c] = level[u] + 1;
                stack[top++] = c;
            }
            for (size_t i = at, j = top; i + 1 < j; i++, j--) {
                uint32_t x = stack[i];
                stack[i] = stack[j - 1];
                stack[j - 1] = x;
            }
        }
    }
done:
    free(first);
    free(next);
    free(stack);
    free(level);
    return n;
}

/* The per-unit section: one section for each unit counted, in the order
 * of the tree, a unit's bookmark under its parent's. */
static int build_units(build_ctx *ctx, const report_section *s, booklet *b)
{
    const cadre_records *r = ctx->r;
    cadre_env keep = ctx->env;
    uint32_t *order = malloc((r->n_units + 1) * sizeof *order);
    int *depth = malloc((r->n_units + 1) * sizeof *depth);
    size_t n = order && depth ? tree_order(r, ctx->sel, order, depth)
                              : (size_t)-1;
    int rc = n == (size_t)-1 ? -1 : 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        uint32_t u = order[i];
        ctx->env.unit = &r->units[u];
        ctx->env.within_unit = u;
        ctx->scope = (tally_scope){ SCOPE_UNIT, u };
        booklet_section *us = add_section(b);
        if (!us) {
            rc = -1;
            break;
        }
        us->title = strdup(r->units[u].name);
        us->orientation = s->orientation;
        us->new_page = i > 0;
        us->in_contents = true;
        us->outline_level = 1 + depth[i];
        if (!us->title || build_blocks(ctx, s, us) < 0)
            rc = -1;
    }
    free(order);
    free(depth);
    ctx->env = keep;
    ctx->scope = (tally_scope){ SCOPE_ALL, 0 };
    return rc;
}

static int build_all(build_ctx *ctx, const cadre_report *rep,
                     const cadre_report_options *opt, booklet *b)
{
    const report_text *srcs[] = BOOKLET_STRINGS(rep);
    char **dsts[] = BOOKLET_STRINGS(b);
    ctx->scope = (tally_scope){ SCOPE_ALL, 0 };
    for (size_t i = 0; i < sizeof srcs / sizeof *srcs; i++) {
        if (!report_text_given(srcs[i]))
            continue;
        if (!(*dsts[i] = text_render(ctx, srcs[i])))
            return -1;
    }
    if (!b->header && b->title && !(b->header = strdup(b->title)))
        return -1;
    for (size_t i = 0; i < rep->n_sections; i++) {
        const report_section *s = &rep->sections[i];
        if (s->per_unit && !opt->per_unit)
            continue; /* asked for with --per-unit only */
        char *title = text_render(ctx, &s->title);
        booklet_section *bs = title ? add_section(b) : NULL;
        if (!bs) {
            free(title);
            return -1;
        }
        bs->title = title;
        bs->orientation = s->orientation;
        bs->new_page = s->new_page;
        bs->in_contents = true;
        if ((s->per_unit ? build_units(ctx, s, b) : build_blocks(ctx, s, bs)) < 0)
            return -1;
    }
    return 0;
}

/* The units counted: a new array of a flag per unit (a unit counts when
 * it or a unit above it was named), or NULL with *err set. */
static uint8_t *select_units(const cadre_records *recs,
                             const cadre_report_options *opt,
                             cadre_diags *diags, cadre_error *err)
{
    uint8_t *sel = calloc(recs->n_units + 1, 1);
    uint8_t *named = calloc(recs->n_units + 1, 1);
    *err = CADRE_ENOMEM;
    if (!sel || !named)
        goto fail;
    for (size_t i = 0; i < opt->n_units; i++) {
        uint32_t u = cadre_records_find_unit(recs, opt->units[i]);
        if (u == CADRE_NONE) {
            cadre_diags_error(diags, NULL, 0, "unknown unit '%s'",
                              opt->units[i]);
            *err = CADRE_ENOTFOUND;
            goto fail;
        }
        named[u] = 1;
    }
    for (size_t u = 0; u < recs->n_units; u++) {
        uint32_t up = (uint32_t)u;
        for (size_t k = 0; up != CADRE_NONE && k <= recs->n_units; k++) {
            if (named[up]) {
                sel[u] = 1;
                break;
            }
            up = recs->units[up].parent;
        }
    }
    free(named);
    *err = CADRE_OK;
    return sel;
fail:
    free(sel);
    free(named);
    return NULL;
}

/* Whether every root value the template prints is given; an error at
 * the template's line for each that is not. */
static bool root_values_given(const cadre_report *rep, const cadre_records *r,
                              cadre_diags *diags)
{
    static const char *const names[ROOT_VALUES] = { "as-of", "issuer",
        "place", "signer", "signer-title" };
    const char *texts[ROOT_VALUES] = { NULL, r->issuer, r->place, r->signer,
                                       r->signer_title };
    bool ok = true;
    /* as-of (k = 0) every booklet needs: booklet_build() checks it */
    for (int k = 1; k < ROOT_VALUES; k++) {
        const cadre_tnode *n = rep->uses_at[k];
        if (!n || (texts[k] && *texts[k]))
            continue;
        cadre_tnode_error(n, diags, "<%s> prints the records' %s, which "
                          "they do not give: add %s=\"…\" to <records> or "
                          "give --%s", n->name, names[k], names[k], names[k]);
        ok = false;
    }
    return ok;
}

/* Whether opt->units[i] names a unit named before it. */
static bool named_before(const cadre_report_options *opt, size_t i)
{
    for (size_t k = 0; k < i; k++)
        if (!strcmp(opt->units[k], opt->units[i]))
            return true;
    return false;
}

/* The names of the units given (known to exist), each once, joined with
 * ", ": what the booklet counts, the `selection` of its texts.  NULL when
 * out of memory. */
static char *selection_names(const cadre_records *recs,
                             const cadre_report_options *opt)
{
    size_t len = 1;
    for (size_t i = 0; i < opt->n_units; i++) {
        uint32_t u = cadre_records_find_unit(recs, opt->units[i]);
        len += strlen(recs->units[u].name) + 2;
    }
    char *s = malloc(len);
    if (!s)
        return NULL;
    size_t at = 0;
    for (size_t i = 0; i < opt->n_units; i++) {
        if (named_before(opt, i))
            continue;
        uint32_t u = cadre_records_find_unit(recs, opt->units[i]);
        at += (size_t)snprintf(s + at, len - at, "%s%s", at ? ", " : "",
                               recs->units[u].name);
    }
    return s;
}

cadre_error booklet_build(const cadre_report *rep, const cadre_records *recs,
                          const cadre_report_options *opt, booklet *out,
                          cadre_diags *diags)
{
    cadre_date day = cadre_date_is_set(opt->as_of) ? opt->as_of : recs->as_of;
    if (!cadre_date_is_set(day)) {
        cadre_diags_error(diags, NULL, 0, "the records give no as-of (the "
                          "day the booklet counts for): add as-of=\"…\" to "
                          "<records> or give --as-of");
        return CADRE_EINVALID;
    }
    records_view view;
    cadre_error verr = records_view_init(&view, recs, day, opt, diags);
    if (verr || !root_values_given(rep, &view.recs, diags)) {
        records_view_release(&view);
        return verr ? verr : CADRE_EINVALID;
    }
    recs = &view.recs;
    uint8_t *sel = NULL;
    char *selection = NULL;
    cadre_error err = CADRE_OK;
    build_ctx ctx = { .r = recs };
    cadre_env_init(&ctx.env, recs);
    ctx.env.year = opt->year;
    ctx.env.as_of = day;
    if (opt->n_units && !(sel = select_units(recs, opt, diags, &err)))
        goto done;
    ctx.sel = ctx.env.within_units = sel;
    err = CADRE_ENOMEM;
    if (opt->n_units && !(selection = selection_names(recs, opt)))
        goto done;
    ctx.vars[0] = (cadre_value){ .type = selection ? CADRE_V_STRING
                                                   : CADRE_V_NULL,
                                 .u.s = selection };
    ctx.n_vars = 1;
    for (int lv = 0; lv < 2; lv++) {
        if (!(ctx.of_level[lv] = calloc(recs->n_units + 1, 1)))
            goto done;
        for (size_t u = 0; u < recs->n_units; u++)
            ctx.of_level[lv][u] = (!sel || sel[u]) &&
                                  (recs->units[u].level & 1) == lv;
    }
    if (!opt->no_tally) {
        if (!(ctx.tally = tally_new(recs, &ctx.env, sel)))
            goto done;
        booklet scratch = { 0 };
        ctx.registering = true;
        int rc = build_all(&ctx, rep, opt, &scratch);
        booklet_release(&scratch);
        if (rc < 0 || tally_run(ctx.tally) < 0)
            goto done;
        ctx.registering = false;
    }
    if (build_all(&ctx, rep, opt, out) < 0)
        goto done;
    err = CADRE_OK;
done:
    if (err == CADRE_ENOMEM)
        cadre_diags_error(diags, NULL, 0, "out of memory");
    tally_free(ctx.tally);
    free(ctx.of_level[0]);
    free(ctx.of_level[1]);
    free(sel);
    free(selection);
    records_view_release(&view);
    return err;
}
