/*
 * report_build.c - the figures of a booklet: every sentence, table cell
 * and chart value of the compiled template, as text and numbers ready to
 * be laid out.
 *
 * The booklet is built twice.  The first time nothing is evaluated: every
 * aggregate met is registered with the tally.  The tally then walks the
 * records once, and the second build evaluates each expression with its
 * aggregates replaced by the tallied figures.  Building twice keeps one
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
#include "report_internal.h"

/* ------------------------------------------------------------------ */
/* Evaluating in a context.                                            */

static bool tallies(const rp_ctx *ctx)
{
    /* inside one course's rows the evaluator is cheap and the tally's
     * per-unit sums do not apply */
    return ctx->tally && ctx->env.within_course == CADRE_NONE;
}

char *rp_text_render(rp_ctx *ctx, const rp_text *t)
{
    size_t len = 0, cap = 64;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    out[0] = '\0';
    for (size_t i = 0; i < t->n; i++) {
        const rp_piece *p = &t->p[i];
        char *piece = NULL;
        const char *s = p->lit;
        if (!s) {
            if (ctx->registering) {
                if (p->e && tallies(ctx) &&
                    rp_tally_want(ctx->tally, p->e, ctx->vars,
                                  ctx->n_vars) < 0)
                    goto fail;
                continue;
            }
            bool applied = p->e && tallies(ctx);
            if (applied && p->ft) {
                /* the tallied value, through the placeholder's filters */
                cadre_value v;
                if (rp_eval(ctx, p->e, &v) < 0)
                    goto fail;
                cadre_env fenv = ctx->env;
                fenv.vars = &v;
                piece = cadre_tmpl_text_render_new(p->ft, &fenv);
            } else {
                if (applied && rp_tally_apply(ctx->tally, p->e, ctx->vars,
                                              ctx->n_vars, ctx->scope) < 0)
                    goto fail;
                ctx->env.vars = ctx->vars;
                piece = cadre_tmpl_text_render_new(p->tt, &ctx->env);
                if (applied)
                    rp_tally_restore(ctx->tally, p->e);
            }
            if (!piece)
                goto fail;
            s = piece;
        }
        size_t n = strlen(s);
        if (len + n + 1 > cap) {
            cap = (len + n + 1) * 2;
            char *q = realloc(out, cap);
            if (!q) {
                free(piece);
                goto fail;
            }
            out = q;
        }
        memcpy(out + len, s, n + 1);
        len += n;
        free(piece);
    }
    return out;
fail:
    free(out);
    return NULL;
}

int rp_eval(rp_ctx *ctx, cadre_expr *e, cadre_value *out)
{
    out->type = CADRE_V_NULL;
    if (ctx->registering) {
        if (tallies(ctx))
            return rp_tally_want(ctx->tally, e, ctx->vars, ctx->n_vars);
        return 0;
    }
    bool applied = tallies(ctx);
    if (applied && rp_tally_apply(ctx->tally, e, ctx->vars, ctx->n_vars,
                                  ctx->scope) < 0)
        return -1;
    ctx->env.vars = ctx->vars;
    cadre_expr_eval(e, &ctx->env, out);
    if (applied)
        rp_tally_restore(ctx->tally, e);
    return 0;
}

/* `e`'s value as text ("1.188"); years without grouping. */
static char *eval_text(rp_ctx *ctx, cadre_expr *e, double *num)
{
    cadre_value v;
    char buf[256];
    if (rp_eval(ctx, e, &v) < 0)
        return NULL;
    if (num)
        *num = v.type == CADRE_V_NUMBER ? v.u.n : 0;
    if (v.type == CADRE_V_NUMBER && cadre_expr_is_year(e))
        snprintf(buf, sizeof buf, "%d", (int)v.u.n);
    else if (v.type == CADRE_V_NUMBER && v.u.n != (double)(long long)v.u.n)
        cadre_format_decimal(v.u.n, 1, buf, sizeof buf);
    else
        cadre_value_format(&v, buf, sizeof buf);
    return strdup(buf);
}

/* ------------------------------------------------------------------ */
/* The booklet's storage.                                              */

static void btable_free(rp_btable *t)
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

static void bchart_free(rp_bchart *c)
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

void rp_booklet_release(rp_booklet *b)
{
    for (size_t i = 0; i < b->n_sections; i++) {
        rp_bsection *s = &b->sections[i];
        for (size_t k = 0; k < s->n_blocks; k++) {
            free(s->blocks[k].text);
            btable_free(s->blocks[k].table);
            bchart_free(s->blocks[k].chart);
        }
        free(s->blocks);
        free(s->title);
    }
    free(b->sections);
    char *strs[] = { b->title, b->header, b->issuer, b->parent_issuer,
        b->subtitle, b->place_date, b->contents, b->sign_title,
        b->sign_role, b->sign_name, b->recipients, b->national };
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++)
        free(strs[i]);
    memset(b, 0, sizeof *b);
}

static rp_bsection *add_section(rp_booklet *b)
{
    if (!GROW(b->sections, b->cap_sections, b->n_sections + 1))
        return NULL;
    rp_bsection *s = &b->sections[b->n_sections++];
    memset(s, 0, sizeof *s);
    return s;
}

static rp_bblock *add_block(rp_bsection *s)
{
    if (!GROW(s->blocks, s->cap_blocks, s->n_blocks + 1))
        return NULL;
    rp_bblock *b = &s->blocks[s->n_blocks++];
    memset(b, 0, sizeof *b);
    return b;
}

static int add_row(rp_btable *t, int kind, int indent, char **cells)
{
    if (t->n_rows == t->cap_rows) {
        size_t cap = t->cap_rows ? t->cap_rows * 2 : 32;
        rp_brow *p = realloc(t->rows, cap * sizeof *p);
        if (!p)
            return -1;
        t->rows = p;
        t->cap_rows = cap;
    }
    t->rows[t->n_rows++] = (rp_brow){ kind, indent, cells };
    return 0;
}

/* ------------------------------------------------------------------ */
/* Tables.                                                             */

static int col_depth(const rp_col *c)
{
    int d = 0;
    for (size_t i = 0; i < c->n_kids; i++) {
        int k = col_depth(&c->kids[i]);
        if (k > d)
            d = k;
    }
    return d + 1;
}

static int col_leaves(const rp_col *c)
{
    if (!c->n_kids)
        return 1;
    int n = 0;
    for (size_t i = 0; i < c->n_kids; i++)
        n += col_leaves(&c->kids[i]);
    return n;
}

static int add_head(rp_btable *t, char *text, int row, int col, int rows,
                    int cols)
{
    rp_hcell *p = realloc(t->head, (t->n_head + 1) * sizeof *p);
    if (!p) {
        free(text);
        return -1;
    }
    t->head = p;
    t->head[t->n_head++] = (rp_hcell){ text, row, col, rows, cols };
    return 0;
}

static int heads(rp_ctx *ctx, rp_btable *bt, const rp_col *cols, size_t n,
                 int row, int *col, int depth)
{
    for (size_t i = 0; i < n; i++) {
        const rp_col *c = &cols[i];
        char *text = rp_text_render(ctx, &c->title);
        if (!text)
            return -1;
        int span = col_leaves(c);
        int rows = c->n_kids ? 1 : depth - row;
        if (add_head(bt, text, row, *col, rows, span) < 0)
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

/* The table's shape: columns, widths and the heading grid. */
static rp_btable *table_start(rp_ctx *ctx, const rp_table *t,
                              const char *title)
{
    rp_btable *bt = calloc(1, sizeof *bt);
    if (!bt)
        return NULL;
    size_t lead = 1 + (t->numbered ? 1 : 0);
    bt->n_cols = lead + t->n_leaves;
    bt->weights = calloc(bt->n_cols, sizeof *bt->weights);
    bt->align = calloc(bt->n_cols, sizeof *bt->align);
    bt->title = title ? strdup(title) : NULL;
    if (!bt->weights || !bt->align || (title && !bt->title))
        goto fail;
    if (t->note.n && !(bt->note = rp_text_render(ctx, &t->note)))
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
        bt->align[col] = RP_CENTER;
        char *tt = strdup("TT");
        if (!tt || add_head(bt, tt, 0, col++, depth, 1) < 0)
            goto fail;
    }
    bt->weights[col] = t->stub_width;
    bt->align[col] = RP_LEFT;
    char *stub = t->stub.n ? rp_text_render(ctx, &t->stub)
                           : strdup(t->rows == RP_ROWS_UNITS ? "Đơn vị"
                                    : t->rows == RP_ROWS_COURSES
                                        ? "Lớp, khóa học" : "Nội dung");
    if (!stub || add_head(bt, stub, 0, col++, depth, 1) < 0)
        goto fail;
    for (size_t i = 0; i < t->n_leaves; i++) {
        bt->weights[lead + i] = t->leaves[i]->width > 0 ? t->leaves[i]->width
                                                        : 1;
        bt->align[lead + i] = t->leaves[i]->align;
    }
    if (heads(ctx, bt, t->cols, t->n_cols, 0, &col, depth) < 0)
        goto fail;
    if (t->col_numbers) {
        /* A, B for the number and name columns, then 1, 2 ... */
        for (size_t k = 0; k < bt->n_cols; k++) {
            char nb[24];
            if (k < lead)
                snprintf(nb, sizeof nb, "%c", (int)('A' + k));
            else
                snprintf(nb, sizeof nb, "%zu", k - lead + 1);
            char *s = strdup(nb);
            if (!s || add_head(bt, s, depth, (int)k, 1, 1) < 0)
                goto fail;
        }
        bt->head_rows = depth + 1;
        bt->number_row = depth;
    }
    return bt;
fail:
    btable_free(bt);
    return NULL;
}

/* Cells of one row: number, stub, then each leaf (expression `cells[k]`
 * when given, else the column's own value or text). */
static char **row_cells(rp_ctx *ctx, const rp_table *t, const char *num,
                        const char *stub, cadre_expr *const *cells,
                        bool text_cols)
{
    size_t lead = 1 + (t->numbered ? 1 : 0);
    char **out = calloc(lead + t->n_leaves, sizeof *out);
    if (!out)
        return NULL;
    size_t k = 0;
    if (t->numbered && !(out[k++] = strdup(num ? num : "")))
        goto fail;
    if (!(out[k++] = strdup(stub ? stub : "")))
        goto fail;
    for (size_t i = 0; i < t->n_leaves; i++, k++) {
        const rp_col *c = t->leaves[i];
        cadre_expr *e = cells && cells[i] ? cells[i] : c->value;
        if (c->text.n)
            out[k] = text_cols ? rp_text_render(ctx, &c->text) : strdup("");
        else if (e)
            out[k] = eval_text(ctx, e, NULL);
        else
            out[k] = strdup("");
        if (!out[k])
            goto fail;
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
static int unit_rows(rp_ctx *ctx, const rp_table *t, rp_btable *bt,
                     const uint8_t *sel, int level, uint32_t parent,
                     int indent, int *num)
{
    const cadre_records *r = ctx->r;
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
        ctx->scope = (rp_scope){ RP_UNIT, (uint32_t)u };
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
                                 true);
        free(stub);
        if (!cells || add_row(bt, RP_ROW_PLAIN, indent, cells) < 0)
            return -1;
        if (indent < 8 && unit_rows(ctx, t, bt, sel, level, (uint32_t)u,
                                    indent + 1, num) < 0)
            return -1;
    }
    return 0;
}

static const char *const roman[] = { "I", "II", "III", "IV", "V", "VI" };

static rp_btable *build_table(rp_ctx *ctx, const rp_table *t,
                              const char *title, const uint8_t *sel)
{
    rp_btable *bt = table_start(ctx, t, title);
    if (!bt)
        return NULL;
    cadre_env keep = ctx->env;
    rp_scope keep_scope = ctx->scope;
    const cadre_records *r = ctx->r;
    if (t->rows == RP_ROWS_UNITS) {
        rp_level defaults[2] = { { CADRE_LEVEL_HUYEN, { 0 } },
                                 { CADRE_LEVEL_XA, { 0 } } };
        const rp_level *levels = t->n_levels ? t->levels : defaults;
        size_t nl = t->n_levels ? t->n_levels : 2, shown = 0;
        for (size_t g = 0; g < nl; g++) {
            int lv = levels[g].level;
            bool any = false;
            for (size_t u = 0; u < r->n_units && !any; u++)
                any = r->units[u].level == lv && (!sel || sel[u]);
            if (!any)
                continue;
            char *gt = levels[g].title.n
                           ? rp_text_render(ctx, &levels[g].title)
                           : strdup(lv == CADRE_LEVEL_HUYEN ? "Cấp huyện"
                                                            : "Cấp xã");
            char **cells = gt ? calloc(bt->n_cols, sizeof *cells) : NULL;
            if (!cells) {
                free(gt);
                goto fail;
            }
            size_t k = 0;
            if (t->numbered)
                cells[k++] = strdup(roman[shown++ % 6]);
            cells[k++] = gt;
            for (; k < bt->n_cols; k++)
                cells[k] = strdup("");
            if (add_row(bt, RP_ROW_GROUP, 0, cells) < 0)
                goto fail;
            int num = 0;
            if (unit_rows(ctx, t, bt, sel, lv, CADRE_NONE, 0, &num) < 0)
                goto fail;
            ctx->env = keep;
            ctx->scope = (rp_scope){ RP_LEVEL, (uint32_t)lv };
            char *st = t->subtotal.n ? rp_text_render(ctx, &t->subtotal)
                                     : strdup("Cộng");
            cells = st ? row_cells(ctx, t, "", st, NULL, false) : NULL;
            free(st);
            if (!cells || add_row(bt, RP_ROW_SUBTOTAL, 0, cells) < 0)
                goto fail;
        }
        ctx->env = keep;
        ctx->scope = (rp_scope){ RP_ALL, 0 };
        char *tt = t->total.n ? rp_text_render(ctx, &t->total)
                              : strdup("Tổng cộng");
        char **cells = tt ? row_cells(ctx, t, "", tt, NULL, false) : NULL;
        free(tt);
        if (!cells || add_row(bt, RP_ROW_TOTAL, 0, cells) < 0)
            goto fail;
    } else if (t->rows == RP_ROWS_LIST) {
        /* listed rows count in the scope around them: the booklet, or one
         * unit on its own page */
        int num = 0;
        for (size_t i = 0; i < t->n_list; i++) {
            const rp_row *row = &t->list[i];
            char nb[24] = "";
            if (!row->bold)
                snprintf(nb, sizeof nb, "%d", ++num);
            char *title_s = rp_text_render(ctx, &row->title);
            char **cells = title_s ? row_cells(ctx, t, nb, title_s,
                                               row->cells, true) : NULL;
            free(title_s);
            if (!cells || add_row(bt, row->bold ? RP_ROW_TOTAL
                                                : RP_ROW_PLAIN, 0, cells) < 0)
                goto fail;
        }
    } else {
        /* one row per course, in the order of their start */
        size_t n = 0;
        uint32_t *idx = malloc((r->n_courses + 1) * sizeof *idx);
        if (!idx)
            goto fail;
        for (size_t i = 0; i < r->n_courses; i++) {
            ctx->env.course = &r->courses[i];
            ctx->env.within_course = (uint32_t)i;
            if (!t->filter || cadre_expr_test(t->filter, &ctx->env))
                idx[n++] = (uint32_t)i;
        }
        for (size_t i = 1; i < n; i++) /* insertion sort: few courses */
            for (size_t j = i;
                 j > 0 && cadre_date_compare(r->courses[idx[j]].start,
                                             r->courses[idx[j - 1]].start) < 0;
                 j--) {
                uint32_t x = idx[j];
                idx[j] = idx[j - 1];
                idx[j - 1] = x;
            }
        for (size_t i = 0; i < n; i++) {
            const cadre_course *k = &r->courses[idx[i]];
            ctx->env.course = k;
            ctx->env.within_course = idx[i];
            char nb[24];
            snprintf(nb, sizeof nb, "%zu", i + 1);
            char **cells = row_cells(ctx, t, nb, k->title, NULL, true);
            if (!cells || add_row(bt, RP_ROW_PLAIN, 0, cells) < 0) {
                free(idx);
                goto fail;
            }
        }
        free(idx);
    }
    /* a total row for listed rows and courses: sums of the number
     * columns (the figures printed above it, as a reader checks them) */
    if (t->rows != RP_ROWS_UNITS && t->total.n && !ctx->registering) {
        ctx->env = keep;
        char *tt = rp_text_render(ctx, &t->total);
        char **cells = tt ? calloc(bt->n_cols, sizeof *cells) : NULL;
        if (!cells) {
            free(tt);
            goto fail;
        }
        size_t lead = 1 + (t->numbered ? 1 : 0);
        if (t->numbered)
            cells[0] = strdup("");
        cells[lead - 1] = tt;
        for (size_t k = lead; k < bt->n_cols; k++) {
            const rp_col *c = t->leaves[k - lead];
            double sum = 0;
            bool numeric = !c->text.n;
            for (size_t i = 0; i < bt->n_rows && numeric; i++) {
                if (bt->rows[i].kind != RP_ROW_PLAIN)
                    continue;
                /* "1.188" -> 1188: the cells were printed by us */
                long long v = 0;
                for (const char *p = bt->rows[i].cells[k]; *p; p++) {
                    if (*p >= '0' && *p <= '9')
                        v = v * 10 + (*p - '0');
                    else if (*p != '.')
                        numeric = false;
                }
                sum += (double)v;
            }
            char buf[64] = "";
            if (numeric)
                cadre_format_int((long long)sum, buf, sizeof buf);
            cells[k] = strdup(buf);
        }
        if (add_row(bt, RP_ROW_TOTAL, 0, cells) < 0)
            goto fail;
    }
    ctx->env = keep;
    ctx->scope = keep_scope;
    for (size_t i = 0; i < bt->n_rows; i++)
        for (size_t k = 0; k < bt->n_cols; k++)
            if (!bt->rows[i].cells[k])
                goto fail_kept;
    return bt;
fail:
    ctx->env = keep;
    ctx->scope = keep_scope;
fail_kept:
    btable_free(bt);
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Charts.                                                             */

static rp_bchart *build_chart(rp_ctx *ctx, const rp_chart *c,
                              const char *title)
{
    const cadre_records *r = ctx->r;
    rp_bchart *bc = calloc(1, sizeof *bc);
    if (!bc)
        return NULL;
    bc->type = c->type;
    bc->height = c->height;
    bc->title = title ? strdup(title) : NULL;
    bc->y_title = rp_text_render(ctx, &c->y_title);
    bc->x_title = rp_text_render(ctx, &c->x_title);
    if ((title && !bc->title) || !bc->y_title || !bc->x_title)
        goto fail;
    int first = 0, last = ctx->env.year;
    if (c->years) {
        /* the years the records speak of, up to the report's */
        first = last;
        for (size_t i = 0; i < r->n_courses; i++)
            if (r->courses[i].start.year < first)
                first = r->courses[i].start.year;
        if (c->years_last && last - first + 1 > c->years_last)
            first = last - c->years_last + 1;
        bc->n_cats = (size_t)(last - first + 1);
    } else {
        bc->n_cats = c->n_cats;
    }
    bc->n_series = c->n_series;
    bc->cats = calloc(bc->n_cats + 1, sizeof *bc->cats);
    bc->series = calloc(bc->n_series + 1, sizeof *bc->series);
    bc->v = calloc(bc->n_cats * bc->n_series + 1, sizeof *bc->v);
    if (!bc->cats || !bc->series || !bc->v)
        goto fail;
    for (size_t s = 0; s < c->n_series; s++)
        if (c->series[s].title.n &&
            !(bc->series[s] = rp_text_render(ctx, &c->series[s].title)))
            goto fail;
    const cadre_value *keep_vars = ctx->vars;
    size_t keep_n = ctx->n_vars;
    for (size_t i = 0; i < bc->n_cats; i++) {
        cadre_value y = { .type = CADRE_V_NUMBER };
        char buf[32];
        if (c->years) {
            y.u.n = first + (int)i;
            snprintf(buf, sizeof buf, "%d", first + (int)i);
            bc->cats[i] = strdup(buf);
            ctx->vars = &y;
            ctx->n_vars = 1;
        } else {
            bc->cats[i] = rp_text_render(ctx, &c->cats[i].title);
        }
        if (!bc->cats[i])
            goto fail;
        for (size_t s = 0; s < c->n_series; s++) {
            cadre_expr *e = c->cells[(c->years ? 0 : i) * c->n_series + s];
            cadre_value v;
            if (rp_eval(ctx, e, &v) < 0)
                goto fail;
            bc->v[i * c->n_series + s] = v.type == CADRE_V_NUMBER ? v.u.n : 0;
        }
        ctx->vars = keep_vars;
        ctx->n_vars = keep_n;
    }
    return bc;
fail:
    bchart_free(bc);
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Sections.                                                           */

static int build_blocks(rp_ctx *ctx, const rp_section *s, rp_bsection *bs,
                        const uint8_t *sel)
{
    for (size_t i = 0; i < s->n_blocks; i++) {
        const rp_block *b = &s->blocks[i];
        rp_bblock *bb = add_block(bs);
        if (!bb)
            return -1;
        bb->kind = b->kind;
        bb->italic = b->italic;
        bb->bold = b->bold;
        bb->center = b->center;
        char *text = rp_text_render(ctx, &b->text);
        if (!text)
            return -1;
        if (b->kind == RP_TABLE) {
            bb->table = build_table(ctx, b->table, b->text.n ? text : NULL,
                                    sel);
            free(text);
            if (!bb->table)
                return -1;
        } else if (b->kind == RP_CHART) {
            bb->chart = build_chart(ctx, b->chart, b->text.n ? text : NULL);
            free(text);
            if (!bb->chart)
                return -1;
        } else {
            bb->text = text;
        }
    }
    return 0;
}

static int build_all(rp_ctx *ctx, const cadre_report *rep,
                     const cadre_report_options *opt, const uint8_t *sel,
                     rp_booklet *b)
{
    const rp_text *srcs[] = { &rep->title, &rep->header, &rep->issuer,
        &rep->parent_issuer, &rep->subtitle, &rep->place_date,
        &rep->contents, &rep->sign_title, &rep->sign_role, &rep->sign_name,
        &rep->recipients, &rep->national };
    char **dsts[] = { &b->title, &b->header, &b->issuer, &b->parent_issuer,
        &b->subtitle, &b->place_date, &b->contents, &b->sign_title,
        &b->sign_role, &b->sign_name, &b->recipients, &b->national };
    ctx->scope = (rp_scope){ RP_ALL, 0 };
    for (size_t i = 0; i < sizeof srcs / sizeof *srcs; i++) {
        if (!srcs[i]->n)
            continue;
        if (!(*dsts[i] = rp_text_render(ctx, srcs[i])))
            return -1;
    }
    if (!b->header && b->title && !(b->header = strdup(b->title)))
        return -1;
    const cadre_records *r = ctx->r;
    cadre_env keep = ctx->env;
    for (size_t i = 0; i < rep->n_sections; i++) {
        const rp_section *s = &rep->sections[i];
        char *title = rp_text_render(ctx, &s->title);
        if (!title)
            return -1;
        rp_bsection *bs = add_section(b);
        if (!bs) {
            free(title);
            return -1;
        }
        bs->title = title;
        bs->orientation = s->orientation;
        bs->new_page = s->new_page;
        bs->in_contents = true;
        if (!s->per_unit) {
            if (build_blocks(ctx, s, bs, sel) < 0)
                return -1;
            continue;
        }
        if (!opt->per_unit) {
            /* asked for with --per-unit only */
            free(bs->title);
            b->n_sections--;
            continue;
        }
        bool first = true;
        for (size_t u = 0; u < r->n_units; u++) {
            if (sel && !sel[u])
                continue;
            ctx->env.unit = &r->units[u];
            ctx->env.within_unit = (uint32_t)u;
            ctx->scope = (rp_scope){ RP_UNIT, (uint32_t)u };
            rp_bsection *us = add_section(b);
            if (!us)
                return -1;
            us->title = strdup(r->units[u].name);
            us->orientation = s->orientation;
            us->new_page = !first;
            us->outline_level = 1;
            first = false;
            if (!us->title || build_blocks(ctx, s, us, sel) < 0)
                return -1;
        }
        ctx->env = keep;
        ctx->scope = (rp_scope){ RP_ALL, 0 };
    }
    return 0;
}

cadre_error rp_build(const cadre_report *rep, const cadre_records *recs,
                     const cadre_report_options *opt, rp_booklet *out,
                     cadre_diags *diags)
{
    uint8_t *sel = NULL;
    cadre_error err = CADRE_ENOMEM;
    rp_ctx ctx = { .r = recs };
    cadre_env_init(&ctx.env, recs);
    ctx.env.year = opt->year;
    if (cadre_date_is_set(opt->as_of))
        ctx.env.as_of = opt->as_of;
    if (opt->n_units) {
        sel = calloc(recs->n_units + 1, 1);
        uint8_t *mark = calloc(recs->n_units + 1, 1);
        if (!sel || !mark) {
            free(mark);
            goto done;
        }
        uint32_t one = CADRE_NONE;
        for (size_t i = 0; i < opt->n_units; i++) {
            uint32_t u = cadre_records_find_unit(recs, opt->units[i]);
            if (u == CADRE_NONE) {
                cadre_diags_error(diags, NULL, 0, "unknown unit '%s'",
                                  opt->units[i]);
                err = CADRE_ENOTFOUND;
                free(mark);
                goto done;
            }
            mark[u] = 1;
            one = u;
        }
        /* a unit counts when it or a unit above it was named */
        for (size_t u = 0; u < recs->n_units; u++) {
            uint32_t up = (uint32_t)u;
            for (size_t k = 0; up != CADRE_NONE && k <= recs->n_units; k++) {
                if (mark[up]) {
                    sel[u] = 1;
                    break;
                }
                up = recs->units[up].parent;
            }
        }
        free(mark);
        if (opt->n_units == 1)
            ctx.env.within_unit = one; /* for what the tally leaves */
    }
    ctx.tally = rp_tally_new(recs, &ctx.env, sel);
    if (!ctx.tally)
        goto done;
    rp_booklet scratch = { 0 };
    ctx.registering = true;
    int rc = build_all(&ctx, rep, opt, sel, &scratch);
    rp_booklet_release(&scratch);
    if (rc < 0 || rp_tally_run(ctx.tally) < 0)
        goto done;
    ctx.registering = false;
    if (build_all(&ctx, rep, opt, sel, out) < 0)
        goto done;
    err = CADRE_OK;
done:
    if (err == CADRE_ENOMEM)
        cadre_diags_error(diags, NULL, 0, "out of memory");
    rp_tally_free(ctx.tally);
    free(sel);
    return err;
}
