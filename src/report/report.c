/*
 * report.c - the booklet dialect: reads a <booklet> template (docs/report.md)
 * into the compiled form of report_template.h, checking every expression so
 * that a mistake is reported with its file and line before any figure is
 * computed, and cadre_report_write(), which joins the builder and the layout.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cadre/date.h"
#include "cadre/expr.h"
#include "cadre/report.h"
#include "cadre/template.h"
#include "util/grow.h"
#include "report_build.h"
#include "report_layout.h"
#include "report_template.h"

/* State while reading a template. */
typedef struct reader {
    cadre_report *rep;
    cadre_diags *diags;
    int errors;          /* errors found */
} reader;

/* The variables of a booklet's expressions: `selection`, the names of
 * the units counted (nothing when every unit is); `y`, each year of a
 * chart of years.  The builder binds them in this order. */
static const char *const booklet_vars[] = { "selection", NULL };
static const char *const year_vars[] = { "selection", "y", NULL };

/* ------------------------------------------------------------------ */
/* Text with placeholders.                                             */

void report_text_release(report_text *t)
{
    cadre_tmpl_text_free(t->tt);
    free(t->exprs);
    memset(t, 0, sizeof *t);
}

/* White space runs (from the template's indentation) become one space. */
static char *squeeze(const char *s, size_t len)
{
    char *out = malloc(len + 1);
    if (!out)
        return NULL;
    size_t k = 0;
    bool space = false;
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        if (ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r') {
            space = true;
            continue;
        }
        if (space && k)
            out[k++] = ' ';
        space = false;
        out[k++] = ch;
    }
    if (space && k && len && s[len - 1] == ' ')
        out[k++] = ' ';
    out[k] = '\0';
    return out;
}

/* Remember where the template first prints each root value in `uses`. */
static void note_uses(reader *rd, const cadre_tnode *n, unsigned uses)
{
    for (int k = 0; k < ROOT_VALUES; k++)
        if ((uses & (1u << k)) && !rd->rep->uses_at[k])
            rd->rep->uses_at[k] = n;
}

/* Compile `src` (its white space squeezed) into `out`.  Returns 0, also
 * after an error in the text (counted), or -1 when out of memory. */
static int text_compile(reader *rd, const cadre_tnode *n, const char *src,
                        unsigned roots, const char *const *vars,
                        report_text *out)
{
    cadre_scope scope = { .roots = roots, .vars = vars };
    char *s = squeeze(src, strlen(src));
    if (!s)
        return -1;
    size_t before = rd->diags->errors;
    out->tt = cadre_tmpl_text_compile(s, &scope, n->file, n->line, rd->diags);
    free(s);
    if (!out->tt) {
        if (rd->diags->errors == before)
            return -1;
        rd->errors++;
        return 0;
    }
    note_uses(rd, n, cadre_tmpl_text_uses(out->tt));
    size_t k = cadre_tmpl_text_exprs(out->tt, NULL, 0);
    out->exprs = malloc((k + 1) * sizeof *out->exprs);
    if (!out->exprs)
        return -1;
    out->n_exprs = cadre_tmpl_text_exprs(out->tt, out->exprs, k);
    return 0;
}

/* An optional text attribute (or nothing when absent). */
static int attr_text(reader *rd, const cadre_tnode *n, const char *name,
                     unsigned roots, report_text *out)
{
    const char *v = cadre_tnode_attr(n, name);
    return v ? text_compile(rd, n, v, roots, booklet_vars, out) : 0;
}

static int check_attrs(reader *rd, const cadre_tnode *n,
                       const char *const *allowed)
{
    rd->errors += cadre_tnode_check_attrs(n, allowed, rd->diags);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Expressions put together from the template's conditions.            */

static const char *const colls[] = { "cadres", "participants", "courses",
                                     NULL };
static const char *const aggs[] = { "count", "people", NULL };

static bool valid_choice(reader *rd, const cadre_tnode *n, const char *attr,
                         const char *v, const char *const *list)
{
    for (size_t i = 0; list[i]; i++)
        if (!strcmp(v, list[i]))
            return true;
    cadre_tnode_error(n, rd->diags, "unknown %s '%s' on <%s>", attr, v,
                      n->name);
    rd->errors++;
    return false;
}

/* The collection a table or chart counts ("of", `default_of` when not
 * given) and how ("agg", a count when not given); false after an error. */
static bool read_of_agg(reader *rd, const cadre_tnode *n,
                        const char *default_of, const char **of,
                        const char **agg)
{
    *of = cadre_tnode_attr(n, "of");
    if (!*of)
        *of = default_of;
    *agg = cadre_tnode_attr(n, "agg");
    if (!*agg)
        *agg = "count";
    return valid_choice(rd, n, "collection", *of, colls) &&
           valid_choice(rd, n, "aggregate", *agg, aggs);
}

/* Compile "AGG(OF where (A) and (B) and (C))", leaving out the conditions
 * not given; NULL after an error at `n` (or when out of memory). */
static cadre_expr *count_of(reader *rd, const cadre_tnode *n, const char *agg,
                            const char *of, const char *a, const char *b,
                            const char *c, unsigned roots,
                            const char *const *vars)
{
    const char *conds[] = { a, b, c };
    size_t len = strlen(agg) + strlen(of) + sizeof "( where ())";
    for (int i = 0; i < 3; i++)
        len += conds[i] ? strlen(conds[i]) + sizeof ") and (" : 0;
    char *src = malloc(len);
    if (!src)
        return NULL;
    int k = 0;
    size_t at = (size_t)snprintf(src, len, "%s(%s", agg, of);
    for (int i = 0; i < 3; i++)
        if (conds[i])
            at += (size_t)snprintf(src + at, len - at, "%s%s",
                                   k++ ? ") and (" : " where (", conds[i]);
    snprintf(src + at, len - at, "%s", k ? "))" : ")");
    cadre_scope scope = { .roots = roots, .vars = vars };
    cadre_expr *e = cadre_expr_compile(src, &scope, n->file, n->line,
                                       rd->diags);
    free(src);
    if (!e)
        rd->errors++;
    return e;
}

/* Check a condition alone, so a mistake is reported once, at its line. */
static bool cond_ok(reader *rd, const cadre_tnode *n, const char *agg,
                    const char *of, const char *cond, const char *const *vars)
{
    if (!cond)
        return true;
    cadre_expr *e = count_of(rd, n, agg, of, cond, NULL, NULL, 0, vars);
    cadre_expr_free(e);
    return e != NULL;
}

/* ------------------------------------------------------------------ */
/* Tables.                                                             */

static int read_cols(reader *rd, const cadre_tnode *parent, report_table *t,
                     report_column **out, size_t *n_out);

static int read_col(reader *rd, const cadre_tnode *n, report_table *t, report_column *c)
{
    static const char *const col_attrs[] = { "title", "where", "value",
        "text", "of", "width", "align", NULL };
    static const char *const group_attrs[] = { "title", NULL };
    static const char *const aligns[] = { "left", "center", "right", NULL };
    unsigned roots = t->rows == ROWS_UNITS ? CADRE_ROOT_UNIT
                   : t->rows == ROWS_COURSES ? CADRE_ROOT_COURSE : 0;
    c->node = n;
    if (attr_text(rd, n, "title", 0, &c->title) < 0)
        return -1;
    if (cadre_tnode_is(n, "group")) {
        check_attrs(rd, n, group_attrs);
        if (read_cols(rd, n, t, &c->kids, &c->n_kids) < 0)
            return -1;
        if (!c->n_kids) {
            cadre_tnode_error(n, rd->diags, "<group> without a <column>");
            rd->errors++;
        }
        return 0;
    }
    check_attrs(rd, n, col_attrs);
    const char *where = cadre_tnode_attr(n, "where");
    const char *value = cadre_tnode_attr(n, "value");
    const char *text = cadre_tnode_attr(n, "text");
    if ((where != NULL) + (value != NULL) + (text != NULL) > 1) {
        cadre_tnode_error(n, rd->diags,
                          "<column> takes one of where, value and text");
        rd->errors++;
        return 0;
    }
    c->where = where;
    c->of = cadre_tnode_attr(n, "of");
    if (c->of && !valid_choice(rd, n, "collection", c->of, colls))
        return 0;
    c->align = text ? ALIGN_LEFT : ALIGN_RIGHT;
    if (cadre_tnode_choice(n, "align", aligns, &c->align, rd->diags) < 0)
        rd->errors++;
    if (cadre_tnode_number(n, "width", 0.1, 100, &c->width, rd->diags) < 0)
        rd->errors++;
    if (text)
        return text_compile(rd, n, text, roots, booklet_vars, &c->text);
    if (value) {
        cadre_scope scope = { .roots = roots, .vars = booklet_vars };
        c->value = cadre_expr_compile(value, &scope, n->file, n->line,
                                      rd->diags);
        if (!c->value)
            rd->errors++;
        else
            note_uses(rd, n, cadre_expr_uses(c->value));
        return 0;
    }
    const char *of = c->of ? c->of : t->of;
    if (!cond_ok(rd, n, t->agg, of, where, booklet_vars))
        return 0;
    if (t->rows != ROWS_LIST)
        c->value = count_of(rd, n, t->agg, of, where, NULL, NULL, roots,
                            booklet_vars);
    return 0;
}

static int read_cols(reader *rd, const cadre_tnode *parent, report_table *t,
                     report_column **out, size_t *n_out)
{
    size_t cap = 0;
    for (const cadre_tnode *n = parent->children; n; n = n->next) {
        if (!cadre_tnode_is(n, "column") && !cadre_tnode_is(n, "group"))
            continue;
        if (!GROW(*out, cap, *n_out + 1))
            return -1;
        report_column *c = &(*out)[(*n_out)++];
        memset(c, 0, sizeof *c);
        if (read_col(rd, n, t, c) < 0)
            return -1;
    }
    return 0;
}

static int collect_leaves(report_table *t, report_column *cols, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (cols[i].n_kids) {
            if (collect_leaves(t, cols[i].kids, cols[i].n_kids) < 0)
                return -1;
            continue;
        }
        if (!GROW(t->leaves, t->cap_leaves, t->n_leaves + 1))
            return -1;
        t->leaves[t->n_leaves++] = &cols[i];
    }
    return 0;
}

/* A <level> of rows=units: a group of units and its heading. */
static int read_level(reader *rd, const cadre_tnode *c, report_table *t)
{
    static const char *const la[] = { "code", "title", NULL };
    static const char *const levels[] = { "huyen", "xa", NULL };
    check_attrs(rd, c, la);
    if (!GROW(t->levels, t->cap_levels, t->n_levels + 1))
        return -1;
    report_level *l = &t->levels[t->n_levels++];
    memset(l, 0, sizeof *l);
    if (!cadre_tnode_require(c, "code", rd->diags))
        rd->errors++;
    else if (cadre_tnode_choice(c, "code", levels, &l->level, rd->diags) < 0)
        rd->errors++;
    return attr_text(rd, c, "title", 0, &l->title);
}

/* A <row> of rows=list: its cells count what matches both its condition
 * and their column's. */
static int read_row(reader *rd, const cadre_tnode *c, report_table *t)
{
    static const char *const ra[] = { "title", "where", "total", NULL };
    check_attrs(rd, c, ra);
    if (!GROW(t->list, t->cap_list, t->n_list + 1))
        return -1;
    report_row *r = &t->list[t->n_list++];
    memset(r, 0, sizeof *r);
    r->node = c;
    r->where = cadre_tnode_attr(c, "where");
    if (cadre_tnode_bool(c, "total", &r->total, rd->diags) < 0)
        rd->errors++;
    if (attr_text(rd, c, "title", 0, &r->title) < 0)
        return -1;
    if (!cond_ok(rd, c, t->agg, t->of, r->where, booklet_vars))
        return 0;
    r->cells = calloc(t->n_leaves + 1, sizeof *r->cells);
    if (!r->cells)
        return -1;
    for (size_t k = 0; k < t->n_leaves; k++) {
        const report_column *col = t->leaves[k];
        if (report_text_given(&col->text) || col->value)
            continue; /* a text, or value=: the same for every row */
        const char *of = col->of ? col->of : t->of;
        r->cells[k] = count_of(rd, c, t->agg, of, r->where, col->where, NULL,
                               0, booklet_vars);
    }
    return 0;
}

static int read_table(reader *rd, const cadre_tnode *n, report_table *t)
{
    static const char *const attrs[] = { "title", "rows", "of", "agg",
        "stub", "stub-width", "numbered", "where", "total", "subtotal",
        "note", "column-numbers", NULL };
    static const char *const rows[] = { "units", "list", "courses", NULL };
    check_attrs(rd, n, attrs);
    t->rows = ROWS_UNITS;
    if (cadre_tnode_choice(n, "rows", rows, &t->rows, rd->diags) < 0)
        rd->errors++;
    if (!read_of_agg(rd, n,
                     t->rows == ROWS_UNITS ? "cadres" : "participants",
                     &t->of, &t->agg))
        return 0;
    t->stub_width = 4;
    t->numbered = true;
    if (cadre_tnode_number(n, "stub-width", 0.5, 100, &t->stub_width,
                           rd->diags) < 0 ||
        cadre_tnode_bool(n, "numbered", &t->numbered, rd->diags) < 0 ||
        cadre_tnode_bool(n, "column-numbers", &t->col_numbers,
                         rd->diags) < 0)
        rd->errors++;
    if (attr_text(rd, n, "stub", 0, &t->stub) < 0 ||
        attr_text(rd, n, "total", 0, &t->total) < 0 ||
        attr_text(rd, n, "note", 0, &t->note) < 0)
        return -1;
    const char *sub = cadre_tnode_attr(n, "subtotal");
    if (sub && text_compile(rd, n, sub, CADRE_ROOT_UNIT, booklet_vars,
                            &t->subtotal) < 0)
        return -1;
    const char *where = cadre_tnode_attr(n, "where");
    if (where) {
        if (t->rows != ROWS_COURSES) {
            cadre_tnode_error(n, rd->diags,
                              "where= on <table> needs rows=\"courses\"");
            rd->errors++;
        } else {
            cadre_scope scope = { .roots = CADRE_ROOT_COURSE,
                                  .vars = booklet_vars };
            t->filter = cadre_expr_compile(where, &scope, n->file, n->line,
                                           rd->diags);
            if (!t->filter)
                rd->errors++;
        }
    }
    if (read_cols(rd, n, t, &t->cols, &t->n_cols) < 0 ||
        collect_leaves(t, t->cols, t->n_cols) < 0)
        return -1;
    if (!t->n_leaves) {
        cadre_tnode_error(n, rd->diags, "<table> without a <column>");
        rd->errors++;
    }
    for (const cadre_tnode *c = n->children; c; c = c->next) {
        if (cadre_tnode_is(c, "column") || cadre_tnode_is(c, "group"))
            continue;
        if (cadre_tnode_is(c, "level") && t->rows == ROWS_UNITS) {
            if (read_level(rd, c, t) < 0)
                return -1;
            continue;
        }
        if (cadre_tnode_is(c, "row") && t->rows == ROWS_LIST) {
            if (read_row(rd, c, t) < 0)
                return -1;
            continue;
        }
        cadre_tnode_error(c, rd->diags, "unexpected <%s> in <table%s>",
                          c->name, t->rows == ROWS_LIST ? " rows=\"list\""
                                   : t->rows == ROWS_UNITS
                                       ? " rows=\"units\""
                                       : " rows=\"courses\"");
        rd->errors++;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Charts.                                                             */

static int read_series(reader *rd, const cadre_tnode *n, report_series **out,
                       size_t *n_out, size_t *cap, const char *agg,
                       const char *of, const char *const *vars)
{
    static const char *const attrs[] = { "title", "where", NULL };
    check_attrs(rd, n, attrs);
    if (!grow((void **)out, cap, *n_out + 1, sizeof **out, 4))
        return -1;
    report_series *s = &(*out)[(*n_out)++];
    memset(s, 0, sizeof *s);
    s->node = n;
    s->where = cadre_tnode_attr(n, "where");
    cond_ok(rd, n, agg, of, s->where, vars);
    return attr_text(rd, n, "title", 0, &s->title);
}

static int read_chart(reader *rd, const cadre_tnode *n, report_chart *c)
{
    static const char *const attrs[] = { "title", "type", "of", "agg",
        "y-title", "x-title", "years", "years-last", "where", "height",
        NULL };
    static const char *const types[] = { "bars", "stacked", "line", NULL };
    check_attrs(rd, n, attrs);
    if (cadre_tnode_choice(n, "type", types, &c->type, rd->diags) < 0)
        rd->errors++;
    if (!read_of_agg(rd, n, "cadres", &c->of, &c->agg))
        return 0;
    double last = 0;
    c->height = 80;
    if (cadre_tnode_bool(n, "years", &c->years, rd->diags) < 0 ||
        cadre_tnode_number(n, "years-last", 1, 100, &last, rd->diags) < 0 ||
        cadre_tnode_number(n, "height", 30, 250, &c->height, rd->diags) < 0)
        rd->errors++;
    c->years_last = (int)last;
    if (attr_text(rd, n, "y-title", 0, &c->y_title) < 0 ||
        attr_text(rd, n, "x-title", 0, &c->x_title) < 0)
        return -1;
    const char *const *vars = c->years ? year_vars : booklet_vars;
    const char *where = cadre_tnode_attr(n, "where");
    if (!cond_ok(rd, n, c->agg, c->of, where, vars))
        return 0;
    for (const cadre_tnode *k = n->children; k; k = k->next) {
        int rc = 0;
        if (cadre_tnode_is(k, "category") && !c->years)
            rc = read_series(rd, k, &c->cats, &c->n_cats, &c->cap_cats,
                             c->agg, c->of,
                             vars);
        else if (cadre_tnode_is(k, "series"))
            rc = read_series(rd, k, &c->series, &c->n_series,
                             &c->cap_series, c->agg, c->of,
                             vars);
        else {
            cadre_tnode_error(k, rd->diags, "unexpected <%s> in <chart>%s",
                              k->name, c->years ? " with years" : "");
            rd->errors++;
        }
        if (rc < 0)
            return -1;
    }
    if (!c->years && !c->n_cats) {
        cadre_tnode_error(n, rd->diags, "<chart> without a <category> "
                          "(or years=\"true\")");
        rd->errors++;
        return 0;
    }
    if (!c->n_series) {
        if (!GROW(c->series, c->cap_series, 1))
            return -1;
        memset(c->series, 0, sizeof *c->series);
        c->series[0].node = n;
        c->n_series = 1;
    }
    size_t ncat = c->years ? 1 : c->n_cats;
    c->cells = calloc(ncat * c->n_series + 1, sizeof *c->cells);
    if (!c->cells)
        return -1;
    for (size_t i = 0; i < ncat; i++)
        for (size_t s = 0; s < c->n_series; s++)
            c->cells[i * c->n_series + s] = count_of(rd,
                c->series[s].node, c->agg, c->of, where,
                c->years ? NULL : c->cats[i].where, c->series[s].where, 0,
                vars);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Sections and the booklet.                                           */

static int read_blocks(reader *rd, const cadre_tnode *parent, report_section *s,
                       unsigned roots)
{
    static const char *const p_attrs[] = { "italic", "bold", "center", NULL };
    for (const cadre_tnode *n = parent->children; n; n = n->next) {
        report_block b = { .node = n };
        int rc = 0;
        if (cadre_tnode_is(n, "p")) {
            b.kind = BLOCK_PARA;
            check_attrs(rd, n, p_attrs);
            if (cadre_tnode_bool(n, "italic", &b.italic, rd->diags) < 0 ||
                cadre_tnode_bool(n, "bold", &b.bold, rd->diags) < 0 ||
                cadre_tnode_bool(n, "center", &b.center, rd->diags) < 0)
                rd->errors++;
            rc = text_compile(rd, n, n->text, roots, booklet_vars, &b.text);
        } else if (cadre_tnode_is(n, "h")) {
            b.kind = BLOCK_HEADING;
            check_attrs(rd, n, (const char *const[]){ NULL });
            rc = text_compile(rd, n, n->text, roots, booklet_vars, &b.text);
        } else if (cadre_tnode_is(n, "table")) {
            b.kind = BLOCK_TABLE;
            b.table = calloc(1, sizeof *b.table);
            rc = b.table ? attr_text(rd, n, "title", 0, &b.text) : -1;
            if (rc == 0)
                rc = read_table(rd, n, b.table);
            if (rc == 0 && s->per_unit && b.table->rows != ROWS_LIST) {
                /* a unit's page counts within the unit: only listed rows
                 * mean something there */
                cadre_tnode_error(n, rd->diags, "<per-unit> tables take "
                                  "rows=\"list\" only");
                rd->errors++;
            }
        } else if (cadre_tnode_is(n, "chart")) {
            b.kind = BLOCK_CHART;
            b.chart = calloc(1, sizeof *b.chart);
            rc = b.chart ? attr_text(rd, n, "title", 0, &b.text) : -1;
            if (rc == 0)
                rc = read_chart(rd, n, b.chart);
        } else {
            cadre_tnode_error(n, rd->diags, "unexpected <%s> in <%s>",
                              n->name, parent->name);
            rd->errors++;
            continue;
        }
        if (!GROW(s->blocks, s->cap_blocks, s->n_blocks + 1))
            rc = -1;
        else
            s->blocks[s->n_blocks++] = b;
        if (rc < 0)
            return -1;
    }
    return 0;
}

static int read_section(reader *rd, const cadre_tnode *n)
{
    static const char *const attrs[] = { "title", "orientation", "new-page",
                                         "heading", NULL };
    static const char *const orient[] = { "auto", "portrait", "landscape",
                                          NULL };
    cadre_report *rep = rd->rep;
    if (!GROW(rep->sections, rep->cap_sections, rep->n_sections + 1))
        return -1;
    report_section *s = &rep->sections[rep->n_sections++];
    memset(s, 0, sizeof *s);
    s->per_unit = cadre_tnode_is(n, "per-unit");
    s->new_page = true;
    check_attrs(rd, n, attrs);
    if (!cadre_tnode_require(n, "title", rd->diags))
        rd->errors++;
    if (cadre_tnode_choice(n, "orientation", orient, &s->orientation,
                           rd->diags) < 0 ||
        cadre_tnode_bool(n, "new-page", &s->new_page, rd->diags) < 0)
        rd->errors++;
    if (attr_text(rd, n, "title", 0, &s->title) < 0)
        return -1;
    unsigned roots = s->per_unit ? CADRE_ROOT_UNIT : 0;
    if (s->per_unit) {
        /* each unit's page starts with this heading ("{unit.name}") */
        const char *h = cadre_tnode_attr(n, "heading");
        report_block b = { .kind = BLOCK_HEADING, .node = n };
        if (text_compile(rd, n, h ? h : "{unit.name}", roots, booklet_vars,
                         &b.text) < 0)
            return -1;
        if (!GROW(s->blocks, s->cap_blocks, 1))
            return -1;
        s->blocks[s->n_blocks++] = b;
    }
    return read_blocks(rd, n, s, roots);
}

static int read_element_text(reader *rd, const cadre_tnode *n, report_text *t)
{
    check_attrs(rd, n, (const char *const[]){ NULL });
    if (report_text_given(t)) {
        cadre_tnode_error(n, rd->diags, "<%s> given twice", n->name);
        rd->errors++;
        return 0;
    }
    return text_compile(rd, n, n->text, 0, booklet_vars, t);
}

static int read_booklet(reader *rd, const cadre_tnode *root)
{
    cadre_report *rep = rd->rep;
    static const char *const attrs[] = { "font", NULL };
    check_attrs(rd, root, attrs);
    rep->font = cadre_tnode_attr(root, "font");
    if (!rep->font)
        rep->font = "Noto Serif";
    struct { const char *name; report_text *t; } simple[] = {
        { "title", &rep->title }, { "header", &rep->header },
        { "issuer", &rep->issuer }, { "parent-issuer", &rep->parent_issuer },
        { "subtitle", &rep->subtitle }, { "place-date", &rep->place_date },
        { "national", &rep->national }, { "motto", &rep->motto },
        { "recipients", &rep->recipients },
    };
    for (const cadre_tnode *n = root->children; n; n = n->next) {
        int rc = 0;
        bool done = false;
        for (size_t i = 0; i < sizeof simple / sizeof *simple; i++) {
            if (cadre_tnode_is(n, simple[i].name)) {
                rc = read_element_text(rd, n, simple[i].t);
                done = true;
            }
        }
        if (done) {
            if (rc < 0)
                return -1;
            continue;
        }
        if (cadre_tnode_is(n, "contents")) {
            check_attrs(rd, n, (const char *const[]){ "title", NULL });
            const char *t = cadre_tnode_attr(n, "title");
            rc = text_compile(rd, n, t ? t : "MỤC LỤC", 0, booklet_vars,
                              &rep->contents);
        } else if (cadre_tnode_is(n, "signer")) {
            check_attrs(rd, n, (const char *const[]){ "title", "role",
                                                      "name", NULL });
            /* the records' signer unless the template names one */
            const char *role = cadre_tnode_attr(n, "role");
            const char *name = cadre_tnode_attr(n, "name");
            if (attr_text(rd, n, "title", 0, &rep->sign_title) < 0 ||
                text_compile(rd, n, role ? role : "{signer-title|upper}", 0,
                             booklet_vars, &rep->sign_role) < 0 ||
                text_compile(rd, n, name ? name : "{signer}", 0, booklet_vars,
                             &rep->sign_name) < 0)
                rc = -1;
        } else if (cadre_tnode_is(n, "section") ||
                   cadre_tnode_is(n, "per-unit")) {
            rc = read_section(rd, n);
        } else {
            cadre_tnode_error(n, rd->diags, "unexpected <%s> in <booklet>",
                              n->name);
            rd->errors++;
        }
        if (rc < 0)
            return -1;
    }
    if (!report_text_given(&rep->title)) {
        cadre_tnode_error(root, rd->diags, "<booklet> without a <title>");
        rd->errors++;
    }
    return 0;
}

cadre_report *cadre_report_load(const char *path, cadre_diags *diags)
{
    struct stat st;
    char *file = NULL;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        size_t n = strlen(path) + sizeof "/booklet.xml";
        file = malloc(n);
        if (!file)
            return NULL;
        snprintf(file, n, "%s/booklet.xml", path);
    }
    cadre_report *rep = calloc(1, sizeof *rep);
    if (!rep) {
        free(file);
        return NULL;
    }
    rep->tmpl = cadre_tmpl_load(file ? file : path, "booklet", diags);
    free(file);
    if (!rep->tmpl) {
        free(rep);
        return NULL;
    }
    reader rd = { .rep = rep, .diags = diags };
    if (read_booklet(&rd, rep->tmpl->root) < 0) {
        cadre_diags_error(diags, rep->tmpl->path, 0, "out of memory");
        rd.errors++;
    }
    if (rd.errors || diags->errors) {
        cadre_report_free(rep);
        return NULL;
    }
    return rep;
}

/* ------------------------------------------------------------------ */
/* Freeing.                                                            */

static void cols_free(report_column *cols, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        report_text_release(&cols[i].title);
        report_text_release(&cols[i].text);
        cadre_expr_free(cols[i].value);
        cols_free(cols[i].kids, cols[i].n_kids);
    }
    free(cols);
}

static void table_free(report_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n_list; i++) {
        report_text_release(&t->list[i].title);
        for (size_t k = 0; t->list[i].cells && k < t->n_leaves; k++)
            cadre_expr_free(t->list[i].cells[k]);
        free(t->list[i].cells);
    }
    free(t->list);
    for (size_t i = 0; i < t->n_levels; i++)
        report_text_release(&t->levels[i].title);
    free(t->levels);
    cols_free(t->cols, t->n_cols);
    free(t->leaves);
    report_text_release(&t->stub);
    report_text_release(&t->total);
    report_text_release(&t->subtotal);
    report_text_release(&t->note);
    cadre_expr_free(t->filter);
    free(t);
}

static void chart_free(report_chart *c)
{
    if (!c)
        return;
    size_t ncat = c->years ? 1 : c->n_cats;
    for (size_t i = 0; c->cells && i < ncat * c->n_series; i++)
        cadre_expr_free(c->cells[i]);
    free(c->cells);
    for (size_t i = 0; i < c->n_cats; i++)
        report_text_release(&c->cats[i].title);
    for (size_t i = 0; i < c->n_series; i++)
        report_text_release(&c->series[i].title);
    free(c->cats);
    free(c->series);
    report_text_release(&c->y_title);
    report_text_release(&c->x_title);
    free(c);
}

void cadre_report_free(cadre_report *rep)
{
    if (!rep)
        return;
    for (size_t i = 0; i < rep->n_sections; i++) {
        report_section *s = &rep->sections[i];
        for (size_t k = 0; k < s->n_blocks; k++) {
            report_text_release(&s->blocks[k].text);
            table_free(s->blocks[k].table);
            chart_free(s->blocks[k].chart);
        }
        free(s->blocks);
        report_text_release(&s->title);
    }
    free(rep->sections);
    report_text *texts[] = BOOKLET_STRINGS(rep);
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
        report_text_release(texts[i]);
    cadre_tmpl_free(rep->tmpl);
    free(rep);
}

/* ------------------------------------------------------------------ */
/* Writing.                                                            */

cadre_error cadre_report_write(const cadre_report *rep,
                               const cadre_records *recs,
                               const cadre_report_options *opt,
                               const char *path, cadre_diags *diags)
{
    booklet b = { 0 };
    /* a malformed SOURCE_DATE_EPOCH (the PDF's dates) refused first */
    time_t now;
    cadre_error err = cadre_source_date_get(&now, diags);
    if (err == CADRE_OK)
        err = booklet_build(rep, recs, opt, &b, diags);
    if (err == CADRE_OK)
        err = booklet_write_pdf(&b, rep->font, path, diags);
    /* the fonts are looked up only now: name the template's line too */
    if (err == CADRE_EFONT && rep->tmpl && rep->tmpl->root)
        cadre_tnode_error(rep->tmpl->root, diags,
                          "no usable font for the booklet");
    booklet_release(&b);
    return err;
}
