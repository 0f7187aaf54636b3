/*
 * roster_tmpl.c - the roster dialect of the template language: reads a
 * <roster> tree (template.h) into sheets and columns, compiling every
 * expression and text template up front so that a template's mistakes are
 * reported with file and line before a workbook is begun.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cadre/files.h"
#include "cadre/text.h"
#include "roster_tmpl.h"

const char *const roster_row_vars[] = { "seq", "group-seq", NULL };

static const char *const rows_names[] = { "cadres", "participants", "units",
                                          NULL };
static const char *const group_names[] = { "none", "unit", "course", "level",
                                           NULL };
static const char *const align_names[] = { "auto", "left", "center", "right",
                                           NULL };
static const char *const total_names[] = { "none", "label", "count", "sum",
                                           NULL };
static const char *const sort_names[] = { "name", "none", NULL };

/* The roots each kind of row binds while its cells are rendered. */
static unsigned row_roots(int rows)
{
    switch (rows) {
    case ROWS_PARTICIPANTS:
        return CADRE_ROOT_CADRE | CADRE_ROOT_COURSE | CADRE_ROOT_PARTICIPANT;
    case ROWS_UNITS:
        return CADRE_ROOT_UNIT;
    default:
        return CADRE_ROOT_CADRE;
    }
}

/* Title lines see the first course of a participants roster, and the unit
 * when the roster is for one unit. */
static unsigned title_roots(int rows)
{
    return CADRE_ROOT_UNIT |
           (rows == ROWS_PARTICIPANTS ? CADRE_ROOT_COURSE : 0);
}

static cadre_tmpl_text *text_of(const char *src, unsigned roots,
                                const char *const *vars, const cadre_tnode *n,
                                cadre_diags *diags)
{
    cadre_scope scope = { .roots = roots, .vars = vars };
    return cadre_tmpl_text_compile(src, &scope, n->file, n->line, diags);
}

/* A tab name Excel accepts: 1-31 characters, none of []:*?/\ and not
 * starting or ending with an apostrophe; parts of a long roster add
 * " (2)", so 26 at most. */
static bool valid_sheet_name(const char *s)
{
    size_t len = cadre_text_length(s);
    if (len == 0 || len > 26 || s[0] == '\'' || s[strlen(s) - 1] == '\'')
        return false;
    return strpbrk(s, "[]:*?/\\") == NULL;
}

/* The column's value with white space removed compared with `want`
 * ("{cadre.education}"). */
static bool value_is(const char *src, const char *want)
{
    if (!src)
        return false;
    const char *w = want;
    for (const char *p = src; *p; p++) {
        if (isspace((unsigned char)*p))
            continue;
        if (*p != *w)
            return false;
        w++;
    }
    return *w == '\0';
}

/* The column's value, when it is one placeholder: one of `values`. */
static bool column_is(const roster_column *c, const char *const *values)
{
    for (size_t i = 0; c->single && values[i]; i++)
        if (value_is(c->value_src, values[i]))
            return true;
    return false;
}

bool column_shows(const roster_column *c, int f)
{
    const char *v[] = { count_field_column(f), NULL };
    return column_is(c, v);
}

/* The first column of `sh` whose value is one of `values`, or -1. */
static int find_column(const roster_sheet *sh, const char *const *values)
{
    for (size_t i = 0; i < sh->n_cols; i++)
        if (column_is(&sh->cols[i], values))
            return (int)i;
    return -1;
}

static const char *const unit_id_values[] = { "{unit.id}", "{cadre.unit.id}",
                                              NULL };

/* What shows a row's group, as its key: unit ids, not names, which
 * repeat across districts. */
static const char *const *group_key_values(int group)
{
    static const char *const course[] = { "{course.id}",
                                          "{participant.course.id}", NULL };
    static const char *const level[] = { "{unit.level}", NULL };
    switch (group) {
    case GROUP_UNIT: return unit_id_values;
    case GROUP_COURSE: return course;
    default: return level;
    }
}

/* True when the value `src` is one placeholder naming a field of the
 * group: "{unit.name}" on a sheet grouped by unit. */
static bool of_group(const char *src, int group)
{
    static const char *const unit[] = { "{unit.", "{cadre.unit.", NULL };
    static const char *const course[] = { "{course.", "{participant.course.",
                                          NULL };
    const char *const *heads = group == GROUP_UNIT ? unit : course;
    char v[64];
    size_t k = 0;
    for (const char *p = src; *p && k + 1 < sizeof v; p++)
        if (!isspace((unsigned char)*p))
            v[k++] = *p;
    v[k] = '\0';
    if (strchr(v + 1, '{') || strchr(v, '|'))
        return false;
    for (size_t i = 0; heads[i]; i++)
        if (strncmp(v, heads[i], strlen(heads[i])) == 0)
            return true;
    return false;
}

/* Mark the columns a group's total row shows as its rows do: the unit's
 * id and name, the course's title... */
static void mark_group_columns(roster_sheet *sh)
{
    for (size_t i = 0; i < sh->n_cols; i++) {
        roster_column *c = &sh->cols[i];
        c->shows_group = c->single && (sh->group == GROUP_UNIT ||
                                       sh->group == GROUP_COURSE) &&
                         of_group(c->value_src, sh->group);
    }
}

/* The column a row is known by: the label of its totals, else its name. */
static int name_column(const roster_sheet *sh)
{
    static const char *const names[] = { "{cadre.full-name}", "{unit.name}",
                                         NULL };
    for (size_t i = 0; i < sh->n_cols; i++)
        if (sh->cols[i].total == TOTAL_LABEL)
            return (int)i;
    return find_column(sh, names);
}

static int read_column(roster_sheet *sh, const cadre_tnode *n, int group,
                       cadre_diags *diags)
{
    static const char *const allowed[] = { "heading", "value", "count",
        "width", "align", "format", "total", NULL };
    int bad = cadre_tnode_check_attrs(n, allowed, diags);
    roster_column *c = &sh->cols[sh->n_cols++];
    memset(c, 0, sizeof *c);
    c->node = n;
    c->group = group;
    for (int f = 0; f < COUNT_FIELDS; f++)
        c->over_col[f] = -1;
    c->heading = cadre_tnode_require(n, "heading", diags);
    const char *value = cadre_tnode_attr(n, "value");
    const char *count = cadre_tnode_attr(n, "count");
    if (!c->heading)
        bad++;
    if (count) {
        if (sh->rows != ROWS_UNITS) {
            cadre_tnode_error(n, diags, "a count column needs rows=\"units\" "
                              "on its sheet");
            bad++;
        } else if (value) {
            cadre_tnode_error(n, diags, "a column has a value or a count, "
                              "not both");
            bad++;
        } else {
            cadre_scope scope = { .roots = CADRE_ROOT_CADRE };
            cadre_expr *e = cadre_expr_compile(count, &scope, n->file,
                                               n->line, diags);
            if (!e)
                bad++;
            else if (count_cond_compile(e, count, n, &c->count, diags) != 0)
                bad++;
            cadre_expr_free(e);
            c->has_count = true;
        }
    } else if (!value) {
        cadre_tnode_error(n, diags, "missing attribute 'value' on <column>");
        bad++;
    } else {
        c->value_src = value;
        c->value = text_of(value, row_roots(sh->rows), roster_row_vars, n,
                           diags);
        if (!c->value)
            bad++;
        else {
            c->single = cadre_tmpl_text_single(c->value);
            c->is_year = c->single && cadre_expr_is_year(c->single);
        }
    }
    if (cadre_tnode_number(n, "width", 1, 255, &c->width, diags) != 0)
        bad++;
    if (cadre_tnode_choice(n, "align", align_names, &c->align, diags) != 0)
        bad++;
    if (cadre_tnode_choice(n, "total", total_names, &c->total, diags) != 0)
        bad++;
    c->num_format = cadre_tnode_attr(n, "format");
    if (c->num_format && !*c->num_format)
        c->num_format = NULL;
    if (c->has_count && c->total == TOTAL_NONE)
        c->total = TOTAL_SUM; /* counts add up by default */
    return bad;
}

static int read_footer(roster_sheet *sh, const cadre_tnode *n,
                       cadre_diags *diags)
{
    static const char *const allowed[] = { "place-date", NULL };
    static const char *const signer_attrs[] = { "title", NULL };
    int bad = cadre_tnode_check_attrs(n, allowed, diags);
    const char *pd = cadre_tnode_attr(n, "place-date");
    if (pd && !(sh->place_date = text_of(pd, title_roots(sh->rows), NULL, n,
                                         diags)))
        bad++;
    size_t k = 0;
    for (const cadre_tnode *s = n->children; s; s = s->next)
        k++;
    sh->signers = calloc(k ? k : 1, sizeof *sh->signers);
    if (!sh->signers) {
        cadre_tnode_error(n, diags, "out of memory");
        return bad + 1;
    }
    for (const cadre_tnode *s = n->children; s; s = s->next) {
        if (!cadre_tnode_is(s, "signer")) {
            cadre_tnode_error(s, diags, "unknown element <%s> in <footer>",
                              s->name);
            bad++;
            continue;
        }
        bad += cadre_tnode_check_attrs(s, signer_attrs, diags);
        roster_signer *g = &sh->signers[sh->n_signers++];
        const char *title = cadre_tnode_require(s, "title", diags);
        if (!title || !(g->title = text_of(title, title_roots(sh->rows), NULL,
                                           s, diags)))
            bad++;
        if (*s->text && !(g->name = text_of(s->text, title_roots(sh->rows),
                                            NULL, s, diags)))
            bad++;
    }
    return bad;
}

/* Append a compiled line to a list. */
static int add_line(cadre_tmpl_text ***list, size_t *n, size_t cap,
                    cadre_tmpl_text *t)
{
    if (!*list && !(*list = calloc(cap ? cap : 1, sizeof **list)))
        return -1;
    (*list)[(*n)++] = t;
    return 0;
}

/* The attributes of <sheet>.  Returns the errors found; -1 when the
 * rows are unknown, which leaves nothing else to check. */
static int read_sheet_attrs(roster_sheet *sh, const cadre_tnode *n,
                            cadre_diags *diags)
{
    static const char *const allowed[] = { "name", "rows", "where",
        "group-by", "total-label", "grand-total", "sort",
        "over", "font-size", "row-height", NULL };
    static const int group_ok[][4] = {
        [ROWS_CADRES] = { 1, 1, 0, 0 },
        [ROWS_PARTICIPANTS] = { 1, 1, 1, 0 },
        [ROWS_UNITS] = { 1, 0, 0, 1 },
    };
    int bad = cadre_tnode_check_attrs(n, allowed, diags);
    sh->name = cadre_tnode_require(n, "name", diags);
    if (!sh->name)
        bad++;
    else if (!valid_sheet_name(sh->name)) {
        cadre_tnode_error(n, diags, "sheet name '%s' must have 1 to 26 "
                          "characters, none of []:*?/\\", sh->name);
        bad++;
    }
    if (cadre_tnode_choice(n, "rows", rows_names, &sh->rows, diags) != 0)
        return -1;
    sh->group = GROUP_NONE;
    if (cadre_tnode_choice(n, "group-by", group_names, &sh->group, diags))
        bad++;
    if (!group_ok[sh->rows][sh->group]) {
        cadre_tnode_error(n, diags, "rows=\"%s\" cannot be grouped by %s",
                          rows_names[sh->rows], group_names[sh->group]);
        bad++;
    }
    int sort = sh->rows == ROWS_UNITS ? 1 : 0;
    if (cadre_tnode_choice(n, "sort", sort_names, &sort, diags))
        bad++;
    sh->sort = sort == 0;
    if (sh->sort && sh->rows == ROWS_UNITS) {
        cadre_tnode_error(n, diags, "units are listed in file order: "
                          "sort=\"name\" needs cadres or participants");
        bad++;
    }
    if (cadre_tnode_number(n, "font-size", 6, 36, &sh->font_size, diags))
        bad++;
    if (cadre_tnode_number(n, "row-height", 1, 409, &sh->row_height, diags))
        bad++;
    const char *where = cadre_tnode_attr(n, "where");
    if (where) {
        cadre_scope scope = { .roots = row_roots(sh->rows) };
        if (!(sh->where = cadre_expr_compile(where, &scope, n->file, n->line,
                                             diags)))
            bad++;
    }
    sh->total_label = cadre_tnode_attr(n, "total-label");
    if (!sh->total_label)
        sh->total_label = "Cộng";
    if (!*sh->total_label)
        sh->total_label = NULL;
    sh->grand_label = cadre_tnode_attr(n, "grand-total");
    if (!sh->grand_label)
        sh->grand_label = "Tổng cộng";
    if (!*sh->grand_label)
        sh->grand_label = NULL;
    sh->over = cadre_tnode_attr(n, "over");
    if (sh->over && sh->rows != ROWS_UNITS) {
        cadre_tnode_error(n, diags, "over=\"...\" needs rows=\"units\"");
        bad++;
    }
    return bad;
}

/* <columns heading="..."> and the columns inside it. */
static int read_column_group(roster_sheet *sh, const cadre_tnode *c,
                             cadre_diags *diags)
{
    static const char *const heading_only[] = { "heading", NULL };
    int bad = cadre_tnode_check_attrs(c, heading_only, diags);
    const char *h = cadre_tnode_require(c, "heading", diags);
    if (!h)
        bad++;
    int g = (int)sh->n_groups;
    sh->groups[sh->n_groups++] = h ? h : "";
    for (const cadre_tnode *d = c->children; d; d = d->next) {
        if (cadre_tnode_is(d, "column"))
            bad += read_column(sh, d, g, diags);
        else {
            cadre_tnode_error(d, diags, "unknown element <%s> in <columns>",
                              d->name);
            bad++;
        }
    }
    return bad;
}

/* <issuer>, <title>, <subtitle> or <unit-of-count>: a line of the title
 * block; `n_lines` is the room allocated for titles and subtitles. */
static int read_title_line(roster_sheet *sh, const cadre_tnode *c,
                           size_t n_lines, cadre_diags *diags)
{
    static const char *const none[] = { NULL };
    int bad = cadre_tnode_check_attrs(c, none, diags);
    cadre_tmpl_text *t = text_of(c->text, title_roots(sh->rows), NULL, c,
                                 diags);
    if (!t)
        return bad + 1;
    int rc = 0;
    if (cadre_tnode_is(c, "title"))
        rc = add_line(&sh->titles, &sh->n_titles, n_lines, t);
    else if (cadre_tnode_is(c, "subtitle"))
        rc = add_line(&sh->subtitles, &sh->n_subtitles, n_lines, t);
    else if (cadre_tnode_is(c, "issuer")) {
        cadre_tmpl_text_free(sh->issuer);
        sh->issuer = t;
    } else {
        cadre_tmpl_text_free(sh->unit_of_count);
        sh->unit_of_count = t;
    }
    if (rc != 0) {
        cadre_tmpl_text_free(t);
        cadre_tnode_error(c, diags, "out of memory");
        bad++;
    }
    return bad;
}

/* The elements inside <sheet>. */
static int read_sheet_body(roster_sheet *sh, const cadre_tnode *n,
                           cadre_diags *diags)
{
    /* count what to allocate: columns (also inside <columns>), lines */
    size_t n_cols = 0, n_groups = 0, n_lines = 0;
    for (const cadre_tnode *c = n->children; c; c = c->next) {
        if (cadre_tnode_is(c, "columns")) {
            n_groups++;
            for (const cadre_tnode *d = c->children; d; d = d->next)
                n_cols++;
        } else if (cadre_tnode_is(c, "column"))
            n_cols++;
        else
            n_lines++;
    }
    sh->cols = calloc(n_cols ? n_cols : 1, sizeof *sh->cols);
    sh->groups = calloc(n_groups ? n_groups : 1, sizeof *sh->groups);
    if (!sh->cols || !sh->groups) {
        cadre_tnode_error(n, diags, "out of memory");
        return 1;
    }
    int bad = 0;
    bool footer = false;
    for (const cadre_tnode *c = n->children; c; c = c->next) {
        if (cadre_tnode_is(c, "column"))
            bad += read_column(sh, c, -1, diags);
        else if (cadre_tnode_is(c, "columns"))
            bad += read_column_group(sh, c, diags);
        else if (cadre_tnode_is(c, "issuer") || cadre_tnode_is(c, "title") ||
                 cadre_tnode_is(c, "subtitle") ||
                 cadre_tnode_is(c, "unit-of-count"))
            bad += read_title_line(sh, c, n_lines, diags);
        else if (cadre_tnode_is(c, "footer") && footer) {
            cadre_tnode_error(c, diags, "a sheet has one <footer>");
            bad++;
        } else if (cadre_tnode_is(c, "footer")) {
            footer = true;
            bad += read_footer(sh, c, diags);
        } else {
            cadre_tnode_error(c, diags, "unknown element <%s> in <sheet>",
                              c->name);
            bad++;
        }
    }
    return bad;
}

static int read_sheet(roster_sheet *sh, const cadre_tnode *n,
                      cadre_diags *diags)
{
    sh->node = n;
    sh->over_sheet = -1;
    sh->over_key_col = -1;
    sh->font_size = 11;
    int bad = read_sheet_attrs(sh, n, diags);
    if (bad < 0)
        return 1;
    bad += read_sheet_body(sh, n, diags);
    if (sh->n_cols == 0) {
        cadre_tnode_error(n, diags, "a sheet needs at least one <column>");
        bad++;
    }
    sh->name_col = name_column(sh);
    sh->key_col = -1;
    mark_group_columns(sh);
    bool totals = false;
    for (size_t i = 0; i < sh->n_cols; i++)
        totals |= sh->cols[i].total == TOTAL_COUNT ||
                  sh->cols[i].total == TOTAL_SUM;
    /* a group's "Cộng" row counts the rows that show its key: rows keep
     * their group however a reader sorts them */
    if (sh->group != GROUP_NONE && sh->total_label && totals &&
        (sh->key_col = find_column(sh, group_key_values(sh->group))) < 0) {
        cadre_tnode_error(n, diags, "a sheet grouped by %s needs a column "
                          "with value=\"%s\" for its '%s' rows (or "
                          "total-label=\"\" for none)",
                          group_names[sh->group],
                          group_key_values(sh->group)[0], sh->total_label);
        bad++;
    }
    if (sh->key_col >= 0)
        sh->cols[sh->key_col].shows_group = true;
    if (sh->rows == ROWS_UNITS && !sh->over) {
        bool counts = false;
        for (size_t i = 0; i < sh->n_cols; i++)
            counts |= sh->cols[i].has_count;
        if (counts) {
            cadre_tnode_error(n, diags, "count columns need over=\"SHEET\", "
                              "the cadre sheet their formulas count");
            bad++;
        }
    }
    return bad;
}

/* Tie a statistics sheet to the cadre sheet its formulas count, and each
 * count to the cells it tests there. */
static int link_over(cadre_roster *r, roster_sheet *sh, cadre_diags *diags)
{
    int bad = 0;
    for (size_t i = 0; i < r->n_sheets; i++)
        if (r->sheets[i].name && strcmp(r->sheets[i].name, sh->over) == 0)
            sh->over_sheet = (int)i;
    if (sh->over_sheet < 0 ||
        r->sheets[sh->over_sheet].rows != ROWS_CADRES) {
        cadre_tnode_error(sh->node, diags, "over=\"%s\" must name a sheet "
                          "with rows=\"cadres\" in this template", sh->over);
        return 1;
    }
    const roster_sheet *o = &r->sheets[sh->over_sheet];
    /* by id: the names of communes repeat across districts */
    if ((sh->over_key_col = find_column(o, unit_id_values)) < 0) {
        cadre_tnode_error(sh->node, diags, "sheet '%s' needs a column with "
                          "value=\"{unit.id}\" for the counts' formulas",
                          o->name);
        return 1;
    }
    for (size_t i = 0; i < sh->n_cols; i++) {
        roster_column *c = &sh->cols[i];
        if (!c->has_count)
            continue;
        for (int f = 0; f < COUNT_FIELDS; f++) {
            if (!(c->count.tested & (1u << f)))
                continue;
            for (size_t j = 0; j < o->n_cols && c->over_col[f] < 0; j++)
                if (column_shows(&o->cols[j], f))
                    c->over_col[f] = (int)j;
            if (c->over_col[f] < 0) {
                cadre_tnode_error(c->node, diags, "sheet '%s' needs a column "
                                  "with value=\"%s\" for this count's formula",
                                  o->name, count_field_column(f));
                bad++;
            }
        }
    }
    return bad;
}

static void props_free(roster_props *p)
{
    cadre_tmpl_text_free(p->title);
    cadre_tmpl_text_free(p->subject);
    cadre_tmpl_text_free(p->author);
    cadre_tmpl_text_free(p->company);
    cadre_tmpl_text_free(p->keywords);
    cadre_tmpl_text_free(p->comments);
    cadre_tmpl_text_free(p->category);
}

static int read_props(roster_props *p, const cadre_tnode *n,
                      cadre_diags *diags)
{
    static const char *const allowed[] = { "title", "subject", "author",
        "company", "keywords", "comments", "category", NULL };
    int bad = cadre_tnode_check_attrs(n, allowed, diags);
    struct { const char *name; cadre_tmpl_text **slot; } map[] = {
        { "title", &p->title }, { "subject", &p->subject },
        { "author", &p->author }, { "company", &p->company },
        { "keywords", &p->keywords }, { "comments", &p->comments },
        { "category", &p->category },
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        const char *v = cadre_tnode_attr(n, map[i].name);
        if (!v)
            continue;
        cadre_tmpl_text_free(*map[i].slot);
        if (!(*map[i].slot = text_of(v, CADRE_ROOT_COURSE | CADRE_ROOT_UNIT,
                                     NULL, n, diags)))
            bad++;
    }
    return bad;
}

cadre_roster *cadre_roster_load(const char *path, cadre_diags *diags)
{
    static const char *const none[] = { NULL };
    cadre_roster *r = calloc(1, sizeof *r);
    if (!r) {
        cadre_diags_error(diags, path, 0, "out of memory");
        return NULL;
    }
    if (!(r->tmpl = cadre_tmpl_load(path, "roster", diags)))
        goto fail;
    const cadre_tnode *root = r->tmpl->root;
    int bad = cadre_tnode_check_attrs(root, none, diags);
    size_t n = 0;
    for (const cadre_tnode *c = root->children; c; c = c->next)
        n += cadre_tnode_is(c, "sheet");
    if (n == 0) {
        cadre_tnode_error(root, diags, "a roster needs at least one <sheet>");
        goto fail;
    }
    if (!(r->sheets = calloc(n, sizeof *r->sheets))) {
        cadre_diags_error(diags, path, 0, "out of memory");
        goto fail;
    }
    for (const cadre_tnode *c = root->children; c; c = c->next) {
        if (cadre_tnode_is(c, "sheet")) {
            roster_sheet *sh = &r->sheets[r->n_sheets++];
            bad += read_sheet(sh, c, diags);
            for (size_t i = 0; sh->name && i + 1 < r->n_sheets; i++)
                if (r->sheets[i].name &&
                    strcasecmp(r->sheets[i].name, sh->name) == 0) {
                    cadre_tnode_error(c, diags, "a second sheet named '%s'",
                                      sh->name);
                    bad++;
                }
        } else if (cadre_tnode_is(c, "properties"))
            bad += read_props(&r->props, c, diags);
        else {
            cadre_tnode_error(c, diags, "unknown element <%s> in <roster>",
                              c->name);
            bad++;
        }
    }
    /* links need every sheet read without error */
    int before = bad;
    for (size_t i = 0; before == 0 && i < r->n_sheets; i++)
        if (r->sheets[i].over)
            bad += link_over(r, &r->sheets[i], diags);
    if (bad)
        goto fail;
    return r;
fail:
    cadre_roster_free(r);
    return NULL;
}

bool cadre_roster_wants_courses(const cadre_roster *r)
{
    for (size_t i = 0; i < r->n_sheets; i++)
        if (r->sheets[i].rows == ROWS_PARTICIPANTS)
            return true;
    return false;
}

char *cadre_roster_find_shipped(const char *kind)
{
    static const char *const kinds[] = { "course", "cadres", "statistics",
        "register", NULL };
    for (size_t i = 0; kinds[i]; i++) {
        if (strcmp(kind, kinds[i]) != 0)
            continue;
        char rel[64];
        snprintf(rel, sizeof rel, "templates/roster/%s.xml", kinds[i]);
        return cadre_data_find(rel);
    }
    return NULL;
}

static void sheet_release(roster_sheet *sh)
{
    cadre_expr_free(sh->where);
    cadre_tmpl_text_free(sh->issuer);
    cadre_tmpl_text_free(sh->unit_of_count);
    cadre_tmpl_text_free(sh->place_date);
    for (size_t i = 0; i < sh->n_titles; i++)
        cadre_tmpl_text_free(sh->titles[i]);
    for (size_t i = 0; i < sh->n_subtitles; i++)
        cadre_tmpl_text_free(sh->subtitles[i]);
    free(sh->titles);
    free(sh->subtitles);
    for (size_t i = 0; i < sh->n_signers; i++) {
        cadre_tmpl_text_free(sh->signers[i].title);
        cadre_tmpl_text_free(sh->signers[i].name);
    }
    free(sh->signers);
    for (size_t i = 0; i < sh->n_cols; i++)
        cadre_tmpl_text_free(sh->cols[i].value);
    free(sh->cols);
    free(sh->groups);
}

void cadre_roster_free(cadre_roster *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_sheets; i++)
        sheet_release(&r->sheets[i]);
    free(r->sheets);
    props_free(&r->props);
    cadre_tmpl_free(r->tmpl);
    free(r);
}
