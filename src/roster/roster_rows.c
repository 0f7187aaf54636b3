/*
 * roster_rows.c - the rows of a sheet: the cadres, participants or units
 * it keeps (the units asked for, the sheet's filter), grouped by unit,
 * course or level in file order (or the order courses were given in),
 * and in Vietnamese name order inside each group when the sheet sorts.
 */
#include <stdlib.h>
#include <string.h>

#include "cadre/text.h"
#include "roster_plan.h"

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

static bool keep(roster_job *j, const roster_sheet *sh, uint32_t item)
{
    const cadre_records *r = j->recs;
    uint32_t unit;
    switch (sh->rows) {
    case ROWS_CADRES: unit = r->cadres[item].unit; break;
    case ROWS_PARTICIPANTS:
        unit = r->cadres[r->participants[item].cadre].unit;
        break;
    default: unit = item; break;
    }
    if (!j->unit_in[unit])
        return false;
    if (!sh->where)
        return true;
    cadre_env env;
    job_env(j, &env);
    job_bind_row(j, sh, item, &env);
    return cadre_expr_test(sh->where, &env);
}

cadre_error plan_choose_rows(roster_job *j, const roster_sheet *sh,
                             sheet_plan *p)
{
    const cadre_records *r = j->recs;
    size_t max;
    if (sh->rows == ROWS_CADRES)
        max = r->n_cadres;
    else if (sh->rows == ROWS_UNITS)
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
    if (sh->rows == ROWS_PARTICIPANTS && j->opt->participants) {
        for (size_t i = 0; i < max; i++)
            if (j->opt->participants[i] < r->n_participants &&
                keep(j, sh, j->opt->participants[i]))
                p->items[p->n++] = j->opt->participants[i];
    } else if (sh->rows == ROWS_PARTICIPANTS) {
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
    if (sh->group == GROUP_UNIT || sh->group == GROUP_LEVEL ||
        sh->group == GROUP_COURSE) {
        size_t n_keys = sh->group == GROUP_UNIT ? r->n_units
                        : sh->group == GROUP_LEVEL ? 2
                                                      : r->n_courses;
        uint32_t *key = malloc((p->n ? p->n : 1) * sizeof *key);
        uint32_t *idx = malloc((p->n ? p->n : 1) * sizeof *idx);
        uint32_t *rank = NULL;
        if (sh->group == GROUP_COURSE) {
            rank = calloc(r->n_courses ? r->n_courses : 1, sizeof *rank);
            if (rank)
                for (size_t i = 0; i < j->n_courses; i++)
                    rank[j->courses[i]] = (uint32_t)i;
        }
        if (!key || !idx || (sh->group == GROUP_COURSE && !rank)) {
            free(key);
            free(idx);
            free(rank);
            return CADRE_ENOMEM;
        }
        for (size_t i = 0; i < p->n; i++) {
            uint32_t g = job_group_key(j, sh, p->items[i]);
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
        bool end = i == p->n || (i > 0 && sh->group != GROUP_NONE &&
                                 job_group_key(j, sh, p->items[i]) !=
                                     job_group_key(j, sh, p->items[i - 1]));
        if (!end || i == start)
            continue;
        p->n_groups++;
        if (sh->sort && sh->rows == ROWS_CADRES)
            err = cadre_records_sort_cadres(r, p->items + start, i - start);
        else if (sh->sort)
            err = sort_participants(r, p->items + start, i - start);
        start = i;
    }
    return err;
}

