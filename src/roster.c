/*
 * roster.c - writing a workbook from a compiled roster template: choose
 * and order the rows of every sheet, lay the sheets out (title block,
 * headings, body, footer; parts past Excel's row limit), then stream the
 * rows through roster_xlsx.c.
 *
 * Everything a sheet needs before its first data row - column widths,
 * heading heights, the parts of a long sheet and the rows the statistics'
 * formulas refer to - is settled first, because constant_memory mode
 * writes rows strictly in order and cannot go back.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadre/files.h"
#include "cadre/text.h"
#include "roster_internal.h"
#include "roster_xlsx.h"

#define EXCEL_ROWS 1048576u   /* rows in a sheet */
#define WIDTH_SAMPLE 2000     /* rows measured for column widths */
#define WIDTH_MIN 4.0
#define WIDTH_MAX 45.0
#define SIGN_SPACE 4          /* blank rows for the signature and seal */

void cadre_roster_options_init(cadre_roster_options *opt)
{
    memset(opt, 0, sizeof *opt);
}

/* The rows of one sheet, chosen and ordered, and where they land. */
typedef struct plan {
    uint32_t *items;      /* cadre, participant or unit indices */
    size_t n;
    size_t n_groups;      /* runs of equal group key */
    bool grouped;         /* group rows written: two groups at least (one
                             group would repeat the title and the total) */
    bool totals;          /* a column has a total: "Cộng" rows */
    uint32_t head_rows;   /* title block and headings, on every part */
    uint32_t heading_row; /* first heading row */
    uint32_t foot_rows;   /* place-date and signers, after the last part */
    uint64_t body_rows;   /* data, group and total rows */
    uint32_t per_part;    /* body rows a part holds */
    size_t n_parts;
    char **part_names;    /* tab names: the sheet's, then "name (2)" ... */
    double *width;        /* per column */
} plan;

/* State shared while a workbook is written. */
typedef struct job {
    const cadre_roster *r;
    const cadre_records *recs;
    const cadre_roster_options *opt;
    cadre_diags *diags;
    rx_book bk;
    cadre_date as_of;     /* the roster's day */
    bool *unit_in;        /* per unit: selected (with the units below) */
    uint32_t *courses;    /* the --course indices */
    size_t n_courses;
    plan *plans;          /* per sheet */
    char *buf;            /* scratch for rendered text */
    size_t cap;
    cadre_error err;      /* first failure outside libxlsxwriter */
} job;

static void fail(job *j, cadre_error e)
{
    if (j->err == CADRE_OK)
        j->err = e;
}

static void oom(job *j)
{
    if (j->err == CADRE_OK)
        cadre_diags_error(j->diags, NULL, 0, "out of memory");
    fail(j, CADRE_ENOMEM);
}

/* Render `t` into the job's scratch buffer (grown as needed). */
static const char *render(job *j, const cadre_tmpl_text *t,
                          const cadre_env *env)
{
    if (!j->buf) {
        j->cap = 256;
        if (!(j->buf = malloc(j->cap))) {
            oom(j);
            return "";
        }
    }
    size_t n = cadre_tmpl_text_render(t, env, j->buf, j->cap);
    if (n >= j->cap) {
        char *p = realloc(j->buf, n + 1);
        if (!p) {
            oom(j);
            return "";
        }
        j->buf = p;
        j->cap = n + 1;
        cadre_tmpl_text_render(t, env, j->buf, j->cap);
    }
    return j->buf;
}

/* The course title lines speak of: the first given, or the first
 * participant's when participants were given instead (cadre-cert). */
static const cadre_course *title_course(const job *j)
{
    if (j->n_courses)
        return &j->recs->courses[j->courses[0]];
    if (j->opt->participants && j->opt->n_participants &&
        j->opt->participants[0] < j->recs->n_participants)
        return &j->recs->courses[
            j->recs->participants[j->opt->participants[0]].course];
    return NULL;
}

static void env_for(job *j, cadre_env *env)
{
    cadre_env_init(env, j->recs);
    env->as_of = j->as_of;
    env->year = j->as_of.year;
}

/* ------------------------------------------------------------------ */
/* Choosing and ordering rows.                                         */

static cadre_error select_units(job *j)
{
    const cadre_records *r = j->recs;
    j->unit_in = calloc(r->n_units ? r->n_units : 1, sizeof *j->unit_in);
    if (!j->unit_in)
        return CADRE_ENOMEM;
    if (j->opt->n_units == 0) {
        for (size_t u = 0; u < r->n_units; u++)
            j->unit_in[u] = true;
        return CADRE_OK;
    }
    bool *picked = calloc(r->n_units ? r->n_units : 1, sizeof *picked);
    if (!picked)
        return CADRE_ENOMEM;
    cadre_error err = CADRE_OK;
    for (size_t i = 0; i < j->opt->n_units; i++) {
        uint32_t u = cadre_records_find_unit(r, j->opt->units[i]);
        if (u == CADRE_NONE) {
            cadre_diags_error(j->diags, NULL, 0, "unknown unit '%s'",
                              j->opt->units[i]);
            err = CADRE_ENOTFOUND;
        } else
            picked[u] = true;
    }
    /* a unit is in when it or a unit above it was picked; the walk up
     * stops after n_units steps in case parents loop */
    for (size_t u = 0; u < r->n_units; u++) {
        uint32_t p = (uint32_t)u;
        for (size_t k = 0; p != CADRE_NONE && k <= r->n_units; k++) {
            if (picked[p]) {
                j->unit_in[u] = true;
                break;
            }
            p = r->units[p].parent;
        }
    }
    free(picked);
    return err;
}

static cadre_error select_courses(job *j)
{
    if (j->opt->n_courses == 0)
        return CADRE_OK;
    j->courses = calloc(j->opt->n_courses, sizeof *j->courses);
    if (!j->courses)
        return CADRE_ENOMEM;
    cadre_error err = CADRE_OK;
    for (size_t i = 0; i < j->opt->n_courses; i++) {
        uint32_t c = cadre_records_find_course(j->recs, j->opt->courses[i]);
        if (c == CADRE_NONE) {
            cadre_diags_error(j->diags, NULL, 0, "unknown course '%s'",
                              j->opt->courses[i]);
            err = CADRE_ENOTFOUND;
            continue;
        }
        bool dup = false;
        for (size_t k = 0; k < j->n_courses; k++)
            dup |= j->courses[k] == c;
        if (!dup) /* a course given twice is listed once */
            j->courses[j->n_courses++] = c;
    }
    return err;
}

/* Reorder idx stably by key[idx[i]] (a counting sort over n_keys keys):
 * groups in key order, the name order kept inside each. */
static cadre_error bucket(uint32_t *idx, size_t n, const uint32_t *key,
                          size_t n_keys)
{
    size_t *start = calloc(n_keys + 1, sizeof *start);
    uint32_t *out = malloc((n ? n : 1) * sizeof *out);
    if (!start || !out) {
        free(start);
        free(out);
        return CADRE_ENOMEM;
    }
    for (size_t i = 0; i < n; i++)
        start[key[idx[i]] + 1]++;
    for (size_t k = 0; k < n_keys; k++)
        start[k + 1] += start[k];
    for (size_t i = 0; i < n; i++)
        out[start[key[idx[i]]]++] = idx[i];
    memcpy(idx, out, n * sizeof *out);
    free(start);
    free(out);
    return CADRE_OK;
}

/* Sort participants by their cadre's name (then id), ties in the order
 * given: keys made once, compared with memcmp. */
typedef struct pkey {
    uint8_t *key;
    size_t len;
    uint32_t pos;
    uint32_t item;
} pkey;

static int pkey_cmp(const void *a, const void *b)
{
    const pkey *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->key, y->key, n);
    if (c)
        return c;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static cadre_error sort_participants(const cadre_records *r, uint32_t *items,
                                     size_t n)
{
    pkey *k = calloc(n ? n : 1, sizeof *k);
    if (!k)
        return CADRE_ENOMEM;
    cadre_error err = CADRE_OK;
    for (size_t i = 0; i < n && err == CADRE_OK; i++) {
        const cadre_cadre *c = &r->cadres[r->participants[items[i]].cadre];
        size_t len = cadre_name_key(c->full_name, c->id, NULL, 0);
        if (!(k[i].key = malloc(len ? len : 1)))
            err = CADRE_ENOMEM;
        else
            cadre_name_key(c->full_name, c->id, k[i].key, len);
        k[i].len = len;
        k[i].pos = (uint32_t)i;
        k[i].item = items[i];
    }
    if (err == CADRE_OK) {
        qsort(k, n, sizeof *k, pkey_cmp);
        for (size_t i = 0; i < n; i++)
            items[i] = k[i].item;
    }
    for (size_t i = 0; i < n; i++)
        free(k[i].key);
    free(k);
    return err;
}

static void rows_env(job *j, const rs_sheet *sh, uint32_t item,
                     cadre_env *env)
{
    const cadre_records *r = j->recs;
    switch (sh->rows) {
    case RS_ROWS_CADRES:
        env->cadre = &r->cadres[item];
        break;
    case RS_ROWS_PARTICIPANTS:
        env->participant = &r->participants[item];
        env->cadre = &r->cadres[env->participant->cadre];
        env->course = &r->courses[env->participant->course];
        break;
    default:
        env->unit = &r->units[item];
        break;
    }
}

/* The group an item belongs to, for grouped sheets. */
static uint32_t group_key(const job *j, const rs_sheet *sh, uint32_t item)
{
    const cadre_records *r = j->recs;
    switch (sh->group) {
    case RS_GROUP_UNIT:
        return sh->rows == RS_ROWS_CADRES
                   ? r->cadres[item].unit
                   : r->cadres[r->participants[item].cadre].unit;
    case RS_GROUP_COURSE:
        return r->participants[item].course;
    case RS_GROUP_LEVEL:
        return r->units[item].level;
    default:
        return 0;
    }
}

static bool keep(job *j, const rs_sheet *sh, uint32_t item)
{
    const cadre_records *r = j->recs;
    uint32_t unit;
    switch (sh->rows) {
    case RS_ROWS_CADRES: unit = r->cadres[item].unit; break;
    case RS_ROWS_PARTICIPANTS:
        unit = r->cadres[r->participants[item].cadre].unit;
        break;
    default: unit = item; break;
    }
    if (!j->unit_in[unit])
        return false;
    if (!sh->where)
        return true;
    cadre_env env;
    env_for(j, &env);
    rows_env(j, sh, item, &env);
    return cadre_expr_test(sh->where, &env);
}

static cadre_error choose_rows(job *j, const rs_sheet *sh, plan *p)
{
    const cadre_records *r = j->recs;
    size_t max;
    if (sh->rows == RS_ROWS_CADRES)
        max = r->n_cadres;
    else if (sh->rows == RS_ROWS_UNITS)
        max = r->n_units;
    else if (j->opt->participants)
        max = j->opt->n_participants;
    else {
        max = 0;
        for (size_t i = 0; i < j->n_courses; i++)
            max += r->courses[j->courses[i]].count;
    }
    if (!(p->items = malloc((max ? max : 1) * sizeof *p->items)))
        return CADRE_ENOMEM;
    if (sh->rows == RS_ROWS_PARTICIPANTS && j->opt->participants) {
        for (size_t i = 0; i < max; i++)
            if (j->opt->participants[i] < r->n_participants &&
                keep(j, sh, j->opt->participants[i]))
                p->items[p->n++] = j->opt->participants[i];
    } else if (sh->rows == RS_ROWS_PARTICIPANTS) {
        for (size_t i = 0; i < j->n_courses; i++) {
            const cadre_course *c = &r->courses[j->courses[i]];
            for (uint32_t k = c->first; k < c->first + c->count; k++)
                if (keep(j, sh, k))
                    p->items[p->n++] = k;
        }
    } else {
        for (size_t i = 0; i < max; i++)
            if (keep(j, sh, (uint32_t)i))
                p->items[p->n++] = (uint32_t)i;
    }

    cadre_error err = CADRE_OK;

    /* Groups follow the file order of units and levels, and the order
     * courses were given in; names are sorted inside each afterwards,
     * group by group, so that the sort keys of a province never all
     * exist at once. */
    if (sh->group == RS_GROUP_UNIT || sh->group == RS_GROUP_LEVEL ||
        sh->group == RS_GROUP_COURSE) {
        size_t n_keys = sh->group == RS_GROUP_UNIT ? r->n_units
                        : sh->group == RS_GROUP_LEVEL ? 2
                                                      : r->n_courses;
        uint32_t *key = malloc((p->n ? p->n : 1) * sizeof *key);
        uint32_t *idx = malloc((p->n ? p->n : 1) * sizeof *idx);
        uint32_t *rank = NULL;
        if (sh->group == RS_GROUP_COURSE) {
            rank = calloc(r->n_courses ? r->n_courses : 1, sizeof *rank);
            if (rank)
                for (size_t i = 0; i < j->n_courses; i++)
                    rank[j->courses[i]] = (uint32_t)i;
        }
        if (!key || !idx || (sh->group == RS_GROUP_COURSE && !rank)) {
            free(key);
            free(idx);
            free(rank);
            return CADRE_ENOMEM;
        }
        for (size_t i = 0; i < p->n; i++) {
            uint32_t g = group_key(j, sh, p->items[i]);
            key[i] = rank && !j->opt->participants ? rank[g] : g;
            idx[i] = (uint32_t)i;
        }
        err = bucket(idx, p->n, key, n_keys);
        if (err == CADRE_OK) {
            for (size_t i = 0; i < p->n; i++)
                key[i] = p->items[idx[i]];
            memcpy(p->items, key, p->n * sizeof *key);
        }
        free(key);
        free(idx);
        free(rank);
        if (err != CADRE_OK)
            return err;
    }
    size_t start = 0;
    for (size_t i = 0; i <= p->n && err == CADRE_OK; i++) {
        bool end = i == p->n || (i > 0 && sh->group != RS_GROUP_NONE &&
                                 group_key(j, sh, p->items[i]) !=
                                     group_key(j, sh, p->items[i - 1]));
        if (!end || i == start)
            continue;
        p->n_groups++;
        if (sh->sort && sh->rows == RS_ROWS_CADRES)
            err = cadre_records_sort_cadres(r, p->items + start, i - start);
        else if (sh->sort)
            err = sort_participants(r, p->items + start, i - start);
        start = i;
    }
    return err;
}

/* ------------------------------------------------------------------ */
/* Layout.                                                             */

static uint32_t title_rows(const rs_sheet *sh)
{
    /* issuer and national title, motto, a blank line, titles, subtitles,
     * a blank line or the unit of count */
    return 3 + (uint32_t)sh->n_titles + (uint32_t)sh->n_subtitles + 1;
}

static uint32_t heading_rows(const rs_sheet *sh)
{
    return sh->n_groups ? 2 : 1;
}

static double cell_width(job *j, const rs_column *c, const cadre_env *env)
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
            return rx_text_width(num);
        }
    }
    return rx_text_width(render(j, c->value, env));
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
            double x = rx_text_width(tmp) * 1.1; /* bold */
            if (x > best)
                best = x;
            w = p + 1;
        }
        if (!*p)
            break;
    }
    return best;
}

static cadre_error measure(job *j, const rs_sheet *sh, plan *p)
{
    if (!(p->width = calloc(sh->n_cols, sizeof *p->width)))
        return CADRE_ENOMEM;
    size_t sample = p->n < WIDTH_SAMPLE ? p->n : WIDTH_SAMPLE;
    cadre_value vars[RS_VAR_COUNT] = {
        { .type = CADRE_V_NUMBER }, { .type = CADRE_V_NUMBER } };
    for (size_t i = 0; i < sample; i++) {
        cadre_env env;
        env_for(j, &env);
        vars[0].u.n = vars[1].u.n = (double)p->n;
        env.vars = vars;
        rows_env(j, sh, p->items[i], &env);
        for (size_t c = 0; c < sh->n_cols; c++) {
            double w = cell_width(j, &sh->cols[c], &env);
            if (w > p->width[c])
                p->width[c] = w;
        }
    }
    for (size_t c = 0; c < sh->n_cols; c++) {
        const rs_column *col = &sh->cols[c];
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
        if (col->total == RS_TOTAL_LABEL) {
            double t = rx_text_width(sh->grand_label ? sh->grand_label
                                                     : sh->total_label) + 2;
            if (w < t)
                w = t;
        }
        p->width[c] = w < WIDTH_MIN ? WIDTH_MIN : w > WIDTH_MAX ? WIDTH_MAX : w;
    }
    return CADRE_OK;
}

static cadre_error lay_out(job *j, const rs_sheet *sh, plan *p)
{
    for (size_t c = 0; c < sh->n_cols; c++)
        p->totals |= sh->cols[c].total != RS_TOTAL_NONE;
    p->heading_row = title_rows(sh);
    p->head_rows = p->heading_row + heading_rows(sh);
    p->foot_rows = 1 + (sh->n_signers ? 2 + SIGN_SPACE : 0) + 1;
    p->grouped = sh->group != RS_GROUP_NONE && p->n_groups > 1;
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

/* The data rows of part k, for the statistics' formulas. */
static rs_part_ref part_ref(const plan *p, size_t k)
{
    uint64_t before = (uint64_t)k * p->per_part;
    uint64_t rows = p->body_rows - before;
    if (rows > p->per_part)
        rows = p->per_part;
    rs_part_ref ref = { .sheet = p->part_names[k], .first = p->head_rows,
                        .last = p->head_rows + (uint32_t)rows - 1 };
    if (rows == 0)
        ref.last = ref.first - 1;
    return ref;
}

/* ------------------------------------------------------------------ */
/* Writing a sheet.                                                    */

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
    job *j;
    const rs_sheet *sh;
    plan *p;
    lxw_worksheet *ws;    /* the part being written */
    size_t part;          /* its index */
    uint32_t row;         /* next row on it */
    uint64_t body_done;   /* body rows written, all parts */
    rx_colfmt *cf;        /* per column */
    double *g_count, *g_sum, *a_count, *a_sum; /* per column totals */
    segs g_segs, a_segs;  /* data rows of the group, of the sheet */
    double *stats;        /* units sheets: counts per item and column */
    struct cell *cells;   /* the row being written, per column */
    char **cbuf;          /* per column: its rendered text */
    size_t *ccap;         /* ... and the buffer's size */
    uint16_t last_col;
    bool warned_formula;  /* a too long formula was reported already */
} writer;

static void seg_add(job *j, segs *s, size_t part, uint32_t row)
{
    if (s->n && s->v[s->n - 1].part == part && s->v[s->n - 1].last + 1 == row) {
        s->v[s->n - 1].last = row;
        return;
    }
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 4;
        seg *v = realloc(s->v, cap * sizeof *v);
        if (!v) {
            oom(j);
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
    job *j = w->j;
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
    rx_check(&j->bk, worksheet_set_row(w->ws, r0, two ? 20 : height, NULL),
             "a row");
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
        rx_check(&j->bk, worksheet_set_row(w->ws, r0 + 1, height, NULL),
                 "a row");
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
    w->row = r0 + heading_rows(sh);
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
    job *j = w->j;
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
    env_for(j, &env);
    if (sh->rows == RS_ROWS_PARTICIPANTS)
        env.course = title_course(j);
    if (j->opt->n_units == 1) {
        uint32_t u = cadre_records_find_unit(j->recs, j->opt->units[0]);
        if (u != CADRE_NONE)
            env.unit = &j->recs->units[u];
    }

    /* issuer in capitals at top left, over two rows; the national title
     * and motto at top right */
    const char *issuer = sh->issuer ? render(j, sh->issuer, &env)
                                    : (j->recs->issuer ? j->recs->issuer : "");
    char *up = cadre_text_upper(issuer);
    double il = lines_for(up ? up : issuer, l_width * 12 / 11);
    rx_check(bk, worksheet_set_row(w->ws, 0, il > 2 ? il * 8.5 : 17, NULL),
             "a row");
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
    rx_check(bk, worksheet_set_row(w->ws, 1, il > 2 ? il * 8.5 : 17, NULL),
             "a row");
    if (r_first > l_last)
        rx_merged(bk, w->ws, 1, r_first, w->last_col,
                  "Độc lập - Tự do - Hạnh phúc", bk->style[RX_MOTTO]);
    w->row = 3;
    for (size_t i = 0; i < sh->n_titles; i++) {
        const char *t = render(j, sh->titles[i], &env);
        rx_check(bk, worksheet_set_row(w->ws, w->row,
                                       lines_for(t, all * 11 / 14) * 19, NULL),
                 "a row");
        rx_merged(bk, w->ws, w->row++, 0, w->last_col, t, bk->style[RX_TITLE]);
    }
    for (size_t i = 0; i < sh->n_subtitles; i++)
        rx_merged(bk, w->ws, w->row++, 0, w->last_col,
                  render(j, sh->subtitles[i], &env), bk->style[RX_SUBTITLE]);
    if (sh->unit_of_count)
        rx_merged(bk, w->ws, w->row, 0, w->last_col,
                  render(j, sh->unit_of_count, &env), bk->style[RX_UNIT_COUNT]);
    w->row++;
    write_headings(w);

    uint32_t hr = w->p->heading_row;
    rx_check(bk, worksheet_repeat_rows(w->ws, hr, w->p->head_rows - 1),
             "print titles");
    worksheet_freeze_panes(w->ws, w->p->head_rows, 0);
    rs_part_ref ref = part_ref(w->p, w->part);
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

/* One data cell, evaluated before its row is begun: the row's height
 * depends on the text of every cell and must be set first. */
typedef struct cell {
    int kind;          /* enum rx_kind, or -1 for a blank cell */
    double num;        /* numbers, dates (Excel serial), years */
    const char *text;  /* RX_TEXT: borrowed, or in the column's buffer */
} cell;

/* Render into column c's own buffer: the texts of a row live together. */
static const char *render_col(writer *w, size_t c, const cadre_tmpl_text *t,
                              const cadre_env *env)
{
    size_t n = cadre_tmpl_text_render(t, env, w->cbuf[c], w->ccap[c]);
    if (n >= w->ccap[c]) {
        char *p = realloc(w->cbuf[c], n + 1);
        if (!p) {
            oom(w->j);
            return "";
        }
        w->cbuf[c] = p;
        w->ccap[c] = n + 1;
        cadre_tmpl_text_render(t, env, w->cbuf[c], w->ccap[c]);
    }
    return w->cbuf[c];
}

static void eval_cell(writer *w, size_t c, const cadre_env *env, cell *out)
{
    const rs_column *col = &w->sh->cols[c];
    out->kind = -1;
    out->num = 0;
    out->text = NULL;
    if (!col->single) {
        out->text = render_col(w, c, col->value, env);
        out->kind = *out->text ? RX_TEXT : -1;
        return;
    }
    cadre_value v;
    cadre_expr_eval(col->single, env, &v);
    switch (v.type) {
    case CADRE_V_NUMBER:
        /* scores are kept as float: 7.4 would show as 7.400000095 */
        out->num = v.u.n > -1e9 && v.u.n < 1e9 ? round(v.u.n * 1e6) / 1e6
                                               : v.u.n;
        out->kind = col->is_year ? RX_YEAR : RX_NUMBER;
        return;
    case CADRE_V_DATE:
        if (!cadre_date_is_set(v.u.d))
            return;
        if (cadre_date_is_year_only(v.u.d)) {
            out->num = v.u.d.year; /* a year stays a year, not 1 January */
            out->kind = RX_YEAR;
        } else {
            out->num = rx_excel_day(cadre_date_days(v.u.d));
            out->kind = RX_DATE;
        }
        return;
    case CADRE_V_NULL:
        return;
    case CADRE_V_STRING:
        out->text = v.u.s ? v.u.s : "";
        break;
    default:
        if (w->ccap[c] < 256) {
            char *p = realloc(w->cbuf[c], 256);
            if (!p) {
                oom(w->j);
                return;
            }
            w->cbuf[c] = p;
            w->ccap[c] = 256;
        }
        cadre_value_format(&v, w->cbuf[c], w->ccap[c]);
        out->text = w->cbuf[c];
        break;
    }
    out->kind = *out->text ? RX_TEXT : -1;
}

/* Lines `s` takes in a column `width` wide, wrapping at spaces as the
 * spreadsheet does. */
static int wrapped_lines(const char *s, double width)
{
    double usable = width - 1.2;
    size_t bytes = strlen(s);
    /* no character is wider than 1.2: short texts need no measuring */
    if (bytes * 1.2 <= usable && !memchr(s, '\n', bytes))
        return 1;
    if (rx_text_width(s) <= usable && !memchr(s, '\n', bytes))
        return 1;
    int lines = 1;
    double line = 0;
    const char *p = s;
    while (*p) {
        if (*p == '\n') {
            lines++;
            line = 0;
            p++;
            continue;
        }
        const char *e = p;
        while (*e && *e != ' ' && *e != '\n')
            e++;
        char word[128];
        size_t n = (size_t)(e - p) < sizeof word - 1 ? (size_t)(e - p)
                                                     : sizeof word - 1;
        memcpy(word, p, n);
        word[n] = '\0';
        double wd = rx_text_width(word);
        if (line > 0 && line + 0.5 + wd > usable) {
            lines++;
            line = wd;
        } else
            line += (line > 0 ? 0.5 : 0) + wd;
        while (wd > usable) { /* a word longer than the column breaks */
            lines++;
            wd -= usable;
            line = wd;
        }
        p = *e == ' ' ? e + 1 : e;
    }
    return lines > 50 ? 50 : lines;
}

static void write_cell(writer *w, uint32_t row, size_t c, const cell *k)
{
    rx_colfmt *cf = &w->cf[c];
    rx_book *bk = &w->j->bk;
    if (k->kind < 0)
        rx_blank(bk, w->ws, row, (uint16_t)c, cf->f[RX_TEXT][0]);
    else if (k->kind == RX_TEXT)
        rx_text(bk, w->ws, row, (uint16_t)c, k->text, cf->f[RX_TEXT][0]);
    else
        rx_number(bk, w->ws, row, (uint16_t)c, k->num, cf->f[k->kind][0]);
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
    job *j = w->j;
    const rs_sheet *sh = w->sh;
    uint32_t row = next_body_row(w);
    for (size_t c = 0; c < sh->n_cols; c++) {
        const rs_column *col = &sh->cols[c];
        lxw_format *bold = w->cf[c].f[col->has_count ? RX_COUNT : RX_NUMBER][1];
        if (col->total == RS_TOTAL_LABEL)
            rx_text(&j->bk, w->ws, row, (uint16_t)c, label,
                    w->cf[c].f[RX_TEXT][1]);
        else if ((col->total == RS_TOTAL_COUNT ||
                  col->total == RS_TOTAL_SUM) && s->n == 0)
            rx_number(&j->bk, w->ws, row, (uint16_t)c, 0, bold); /* no rows */
        else if (col->total == RS_TOTAL_COUNT || col->total == RS_TOTAL_SUM) {
            rs_buf b = { 0 };
            bool is_sum = col->total == RS_TOTAL_SUM;
            total_formula(w, &b, is_sum ? "SUM" : "COUNTA", s, (uint16_t)c);
            if (b.oom)
                oom(j);
            else
                rx_formula(&j->bk, w->ws, row, (uint16_t)c, b.s,
                           is_sum ? sum[c] : count[c], bold);
            rs_buf_release(&b);
        } else
            rx_blank(&j->bk, w->ws, row, (uint16_t)c, w->cf[c].f[RX_TEXT][1]);
    }
}

static void group_heading(writer *w, uint32_t item)
{
    job *j = w->j;
    const rs_sheet *sh = w->sh;
    const cadre_records *r = j->recs;
    cadre_env env;
    env_for(j, &env);
    uint32_t key = group_key(j, sh, item);
    const char *text;
    if (sh->group == RS_GROUP_COURSE)
        env.course = &r->courses[key];
    else if (sh->group == RS_GROUP_UNIT)
        env.unit = &r->units[key];
    else
        env.unit = &r->units[item];
    if (sh->group_heading)
        text = render(j, sh->group_heading, &env);
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
 * the sheet it counts. */
static cadre_error count_stats(job *j, const rs_sheet *sh, const plan *p,
                               double **out)
{
    const cadre_records *r = j->recs;
    const plan *over = &j->plans[sh->over_sheet];
    uint32_t *row_of = malloc((r->n_units ? r->n_units : 1) * sizeof *row_of);
    double *counts = calloc((p->n ? p->n : 1) * sh->n_cols, sizeof *counts);
    if (!row_of || !counts) {
        free(row_of);
        free(counts);
        return CADRE_ENOMEM;
    }
    for (size_t u = 0; u < r->n_units; u++)
        row_of[u] = CADRE_NONE;
    for (size_t i = 0; i < p->n; i++)
        row_of[p->items[i]] = (uint32_t)i;
    for (size_t i = 0; i < over->n; i++) {
        const cadre_cadre *c = &r->cadres[over->items[i]];
        uint32_t row = row_of[c->unit];
        if (row == CADRE_NONE)
            continue;
        int age = cadre_date_age(c->birth, j->as_of);
        double *line = &counts[(size_t)row * sh->n_cols];
        for (size_t k = 0; k < sh->n_cols; k++)
            if (sh->cols[k].has_count && rs_cond_test(&sh->cols[k].count, c, age))
                line[k]++;
    }
    free(row_of);
    *out = counts;
    return CADRE_OK;
}

static void write_count(writer *w, uint32_t row, size_t c, uint32_t unit,
                        double value)
{
    job *j = w->j;
    const rs_sheet *sh = w->sh;
    const rs_column *col = &sh->cols[c];
    const plan *over = &j->plans[sh->over_sheet];
    size_t n = over->n_parts;
    rs_part_ref *parts = malloc(n * sizeof *parts);
    if (!parts) {
        oom(j);
        return;
    }
    for (size_t k = 0; k < n; k++)
        parts[k] = part_ref(over, k);
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
    int cols[RS_F_COUNT];
    for (int f = 0; f < RS_F_COUNT; f++)
        cols[f] = col->over_col[f];
    if (!crit.oom)
        rs_countifs(&b, parts, n, sh->over_unit_col, crit.s, &col->count, cols);
    if (crit.oom || b.oom)
        oom(j);
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
                   w->cf[c].f[RX_COUNT][0]);
    }
    free(parts);
    rs_buf_release(&crit);
    rs_buf_release(&b);
}

static void write_footer(writer *w)
{
    job *j = w->j;
    const rs_sheet *sh = w->sh;
    rx_book *bk = &j->bk;
    uint16_t l_last, r_first;
    halves(sh, &l_last, &r_first);
    cadre_env env;
    env_for(j, &env);
    if (sh->rows == RS_ROWS_PARTICIPANTS)
        env.course = title_course(j);
    w->row++; /* a blank line under the table */
    char line[256];
    const char *pd;
    if (sh->place_date)
        pd = render(j, sh->place_date, &env);
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
                  render(j, sh->signers[i].title, &env), bk->style[RX_SIGNER]);
    w->row += 1 + SIGN_SPACE;
    for (size_t i = 0; i < n; i++) {
        if (!sh->signers[i].name)
            continue;
        rx_merged(bk, w->ws, w->row, first[i], last[i],
                  render(j, sh->signers[i].name, &env),
                  bk->style[RX_SIGNER_NAME]);
    }
    w->row++;
}

static cadre_error write_sheet(job *j, size_t si)
{
    const rs_sheet *sh = &j->r->sheets[si];
    plan *p = &j->plans[si];
    writer w = { .j = j, .sh = sh, .p = p,
                 .last_col = (uint16_t)(sh->n_cols - 1) };
    cadre_error err = CADRE_OK;
    w.cf = calloc(sh->n_cols, sizeof *w.cf);
    w.g_count = calloc(sh->n_cols * 4, sizeof *w.g_count);
    w.cells = calloc(sh->n_cols, sizeof *w.cells);
    w.cbuf = calloc(sh->n_cols, sizeof *w.cbuf);
    w.ccap = calloc(sh->n_cols, sizeof *w.ccap);
    if (!w.cf || !w.g_count || !w.cells || !w.cbuf || !w.ccap) {
        err = CADRE_ENOMEM;
        goto done;
    }
    w.g_sum = w.g_count + sh->n_cols;
    w.a_count = w.g_sum + sh->n_cols;
    w.a_sum = w.a_count + sh->n_cols;
    j->bk.font_size = sh->font_size;
    for (size_t c = 0; c < sh->n_cols; c++) {
        static const int lxw_align[] = { LXW_ALIGN_NONE, LXW_ALIGN_LEFT,
                                         LXW_ALIGN_CENTER, LXW_ALIGN_RIGHT };
        rx_colfmt_init(&j->bk, &w.cf[c], lxw_align[sh->cols[c].align], true,
                       sh->cols[c].num_format);
    }
    if (sh->rows == RS_ROWS_UNITS && sh->over_sheet >= 0 &&
        (err = count_stats(j, sh, p, &w.stats)) != CADRE_OK)
        goto done;

    begin_part(&w);
    bool grouped = p->grouped;
    cadre_value vars[RS_VAR_COUNT] = {
        { .type = CADRE_V_NUMBER }, { .type = CADRE_V_NUMBER } };
    size_t gseq = 0;
    for (size_t i = 0; i < p->n && j->bk.err == CADRE_OK && !j->err; i++) {
        uint32_t item = p->items[i];
        bool new_group = grouped && (i == 0 || group_key(j, sh, item) !=
                                                   group_key(j, sh, p->items[i - 1]));
        if (new_group) {
            group_heading(&w, item);
            gseq = 0;
            w.g_segs.n = 0;
            memset(w.g_count, 0, 2 * sh->n_cols * sizeof *w.g_count);
        }
        vars[RS_VAR_SEQ].u.n = (double)(i + 1);
        vars[RS_VAR_GROUP_SEQ].u.n = (double)++gseq;
        cadre_env env;
        env_for(j, &env);
        env.vars = vars;
        rows_env(j, sh, item, &env);
        int lines = 1;
        for (size_t c = 0; c < sh->n_cols; c++) {
            if (sh->cols[c].has_count)
                continue;
            eval_cell(&w, c, &env, &w.cells[c]);
            if (w.cells[c].kind == RX_TEXT) {
                int l = wrapped_lines(w.cells[c].text, p->width[c]);
                if (l > lines)
                    lines = l;
            }
        }
        uint32_t row = next_body_row(&w);
        if (lines > 1) /* neither Excel nor LibreOffice fits it on opening */
            rx_check(&j->bk, worksheet_set_row(w.ws, row, lines *
                                               sh->font_size * 1.3 + 2, NULL),
                     "a row");
        seg_add(j, &w.g_segs, w.part, row);
        seg_add(j, &w.a_segs, w.part, row);
        for (size_t c = 0; c < sh->n_cols; c++) {
            double num = 0;
            if (sh->cols[c].has_count) {
                num = w.stats[i * sh->n_cols + c];
                write_count(&w, row, c, item, num);
            } else {
                write_cell(&w, row, c, &w.cells[c]);
                if (w.cells[c].kind != RX_TEXT)
                    num = w.cells[c].num;
            }
            bool filled = sh->cols[c].has_count || w.cells[c].kind >= 0;
            w.g_count[c] += filled;
            w.g_sum[c] += num;
            w.a_count[c] += filled;
            w.a_sum[c] += num;
        }
        bool end_group = grouped && (i + 1 == p->n ||
                                     group_key(j, sh, p->items[i + 1]) !=
                                         group_key(j, sh, item));
        if (end_group && p->totals)
            write_total(&w, sh->total_label, w.g_count, w.g_sum, &w.g_segs);
    }
    if (p->totals && sh->grand_label && j->bk.err == CADRE_OK && !j->err)
        write_total(&w, sh->grand_label, w.a_count, w.a_sum, &w.a_segs);
    if (j->bk.err == CADRE_OK && !j->err)
        write_footer(&w);
    err = j->err;
done:
    free(w.cf);
    free(w.g_count);
    free(w.cells);
    for (size_t c = 0; w.cbuf && c < sh->n_cols; c++)
        free(w.cbuf[c]);
    free(w.cbuf);
    free(w.ccap);
    free(w.stats);
    free(w.g_segs.v);
    free(w.a_segs.v);
    return err;
}

/* ------------------------------------------------------------------ */
/* The workbook.                                                       */

static time_t creation_time(const cadre_roster_options *opt)
{
    if (opt->created)
        return opt->created;
    /* reproducible builds: https://reproducible-builds.org/specs/source-date-epoch/ */
    const char *s = getenv("SOURCE_DATE_EPOCH");
    if (s && *s) {
        char *end;
        errno = 0;
        long long v = strtoll(s, &end, 10);
        if (!*end && errno == 0 && v > 0)
            return (time_t)v;
    }
    return time(NULL);
}

static cadre_date day_of(time_t t)
{
    return cadre_date_from_days((long)(t / 86400));
}

static void set_props(job *j, const rs_props *pr, char **keep)
{
    cadre_env env;
    env_for(j, &env);
    env.course = title_course(j);
    cadre_tmpl_text *src[7] = { pr->title, pr->subject, pr->author,
                                pr->company, pr->keywords, pr->comments,
                                pr->category };
    for (int i = 0; i < 7; i++)
        keep[i] = src[i] ? cadre_tmpl_text_render_new(src[i], &env) : NULL;
    const rs_sheet *first = &j->r->sheets[0];
    if (!keep[0] && first->n_titles)
        keep[0] = cadre_tmpl_text_render_new(first->titles[0], &env);
    if (!keep[2] && j->recs->issuer)
        keep[2] = strdup(j->recs->issuer);
    if (!keep[3] && j->recs->issuer)
        keep[3] = strdup(j->recs->issuer);
    if (!keep[5])
        keep[5] = strdup("cadrekit " CADRE_VERSION);
    lxw_doc_properties p = {
        .title = keep[0], .subject = keep[1], .author = keep[2],
        .company = keep[3], .keywords = keep[4], .comments = keep[5],
        .category = keep[6], .created = creation_time(j->opt),
    };
    rx_book_props(&j->bk, &p);
}

cadre_error cadre_roster_write(const cadre_roster *r,
                               const cadre_records *recs,
                               const cadre_roster_options *opt,
                               const char *path, cadre_diags *diags)
{
    job j = { .r = r, .recs = recs, .opt = opt, .diags = diags };
    cadre_outfile out = { 0 };
    char *props[7] = { 0 };
    bool open = false;
    cadre_error err;
    time_t created = creation_time(opt);
    j.as_of = cadre_date_is_set(opt->as_of) ? opt->as_of
              : cadre_date_is_set(recs->as_of) ? recs->as_of
                                               : day_of(created);

    if ((err = select_units(&j)) != CADRE_OK ||
        (err = select_courses(&j)) != CADRE_OK)
        goto fail;
    if (cadre_roster_wants_courses(r) && !j.n_courses && !opt->participants) {
        cadre_diags_error(diags, NULL, 0, "this roster lists the participants "
                          "of courses: give a course (--course ID)");
        err = CADRE_EINVALID;
        goto fail;
    }
    if (!(j.plans = calloc(r->n_sheets, sizeof *j.plans))) {
        err = CADRE_ENOMEM;
        goto fail;
    }
    for (size_t i = 0; i < r->n_sheets; i++)
        if ((err = choose_rows(&j, &r->sheets[i], &j.plans[i])) != CADRE_OK ||
            (err = lay_out(&j, &r->sheets[i], &j.plans[i])) != CADRE_OK)
            goto fail;

    if ((err = cadre_outfile_begin(&out, path, diags)) != CADRE_OK)
        goto fail;
    open = true;
    if ((err = rx_book_open(&j.bk, out.tmp, path, created, diags)) != CADRE_OK)
        goto fail;
    set_props(&j, &r->props, props);
    for (size_t i = 0; i < r->n_sheets && err == CADRE_OK; i++) {
        err = write_sheet(&j, i);
        if (err == CADRE_OK)
            err = j.bk.err;
    }
    if (err != CADRE_OK) {
        rx_book_discard(&j.bk);
        goto fail;
    }
    if ((err = rx_book_close(&j.bk)) != CADRE_OK)
        goto fail;
    open = false;
    err = cadre_outfile_commit(&out, diags);
    goto done;
fail:
    if (err == CADRE_ENOMEM && !diags->errors)
        cadre_diags_error(diags, NULL, 0, "out of memory");
    if (open || out.tmp)
        cadre_outfile_abort(&out);
done:
    for (int i = 0; i < 7; i++)
        free(props[i]);
    if (j.plans)
        for (size_t i = 0; i < r->n_sheets; i++) {
            free(j.plans[i].items);
            free(j.plans[i].width);
            for (size_t k = 0; j.plans[i].part_names && k < j.plans[i].n_parts;
                 k++)
                free(j.plans[i].part_names[k]);
            free(j.plans[i].part_names);
        }
    free(j.plans);
    free(j.unit_in);
    free(j.courses);
    free(j.buf);
    return err;
}
