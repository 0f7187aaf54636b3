/*
 * report_tally.c - one pass over cadres and one over participants for
 * every count of a booklet (see report_tally.h).
 *
 * Most conditions of a statistics booklet look only at a cadre's codes
 * (category, education, political theory, gender, party membership ...)
 * and the level of its unit.  Those codes take at most 16,800
 * combinations, so such a condition is evaluated once per combination
 * (a truth table); cadres are reduced to their combination, grouped by
 * unit, and each unit's combinations counted once: a counter then costs
 * per combination met in a unit, not per cadre.  Conditions on the age
 * alone are kept per age.
 * Conditions on a course (its type, mode, year) are evaluated once per
 * course; only what remains (age, status, a name) is evaluated per record.
 * What each part of a condition reads comes from the expression's own
 * plan of its aggregates (src/expr/expr_plan.h).
 */
#include <stdlib.h>
#include <string.h>

#include "cadre/records.h"
#include "expr/expr_plan.h"
#include "util/grow.h"
#include "report_tally.h"

#define KEYS (3 * 7 * 5 * 5 * 2 * 2 * 2 * 2 * 2) /* code combinations */
#define AGES 128 /* ages told apart in the truth table by age */

/* Sums kept for one unit (or scope). */
struct acc {
    double sum; /* sum of values (sum, avg) */
    double n;   /* items counted */
};

/* One aggregate of one expression, evaluated with given variables. */
struct counter {
    const cadre_expr *e;  /* expression holding the aggregate (borrowed) */
    uint32_t agg;         /* which of its aggregates */
    cadre_value vars[TALLY_MAX_VARS]; /* variables it is evaluated with */
    uint8_t n_vars;
    bool tallied;         /* false: left to the evaluator */
    int coll, kind;       /* enum cadre_agg_collection, cadre_agg_kind */
    cadre_agg_plan plan;  /* its parts */
    const cadre_expr **parts; /* the plan's parts, sorted: */
    size_t n_k;           /*   on codes only (a truth table by key), */
    size_t n_c;           /*   then on the course only, */
    size_t n_a;           /*   then on the age only (by age), */
    size_t n_r;           /*   then the rest, evaluated per item */
    const cadre_expr *value; /* the summed value, or NULL */
    int8_t *truth;        /* KEYS entries: -1 unknown, 0, 1 */
    int8_t truth_age[AGES]; /* the age parts by age: -1 unknown, 0, 1 */
    uint8_t *seen;        /* people(): cadres counted already */
    struct acc *unit;     /* per unit: direct, then within after the run */
    struct acc level[2];  /* per level of unit */
    struct acc all;       /* every selected unit */
};

struct tally {
    const cadre_records *r;   /* the records (borrowed) */
    cadre_env env;            /* year, as-of; items bound while walking */
    const uint8_t *selected;  /* per unit, or NULL for all */
    struct counter **ctrs;    /* every counter registered */
    size_t n, cap;
    bool ran;                 /* tally_run() done */
};

tally *tally_new(const cadre_records *recs, const cadre_env *base,
                 const uint8_t *selected)
{
    tally *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->r = recs;
    t->env = *base;
    t->env.within_unit = CADRE_NONE;
    t->env.within_course = CADRE_NONE;
    t->env.aggs = NULL;
    t->env.within_units = NULL; /* the walk skips what is not selected */
    t->selected = selected;
    return t;
}

static void counter_free(struct counter *c)
{
    if (!c)
        return;
    cadre_agg_plan_release(&c->plan);
    free(c->parts);
    free(c->truth);
    free(c->seen);
    free(c->unit);
    free(c);
}

void tally_free(tally *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++)
        counter_free(t->ctrs[i]);
    free(t->ctrs);
    free(t);
}

/* ------------------------------------------------------------------ */
/* Planning.                                                           */

/* Which pass a part goes to: 0 codes, 1 course, 2 age, 3 the rest. */
static int part_pass(unsigned reads, int coll)
{
    if ((reads & ~(unsigned)CADRE_READS_COURSE) == 0 &&
        coll == CADRE_COLL_PARTICIPANTS)
        return 1;
    if ((reads & ~(unsigned)CADRE_READS_CODES) == 0)
        return 0;
    if (reads == CADRE_READS_AGE && coll == CADRE_COLL_CADRES)
        return 2;
    return 3;
}

/* Decide how counter `c` is computed: tallied, or left to the evaluator
 * (also when out of memory: slower, still right). */
static void plan(struct counter *c)
{
    c->tallied = false;
    if (cadre_agg_plan_init(&c->plan, c->e, c->agg) < 0)
        return;
    const cadre_agg_plan *p = &c->plan;
    c->coll = p->collection;
    c->kind = p->kind;
    if ((c->coll != CADRE_COLL_CADRES && c->coll != CADRE_COLL_PARTICIPANTS) ||
        c->kind == CADRE_AGG_MIN || c->kind == CADRE_AGG_MAX)
        return;
    if (p->value.e && (p->value.reads & CADRE_READS_AGGREGATE))
        return;
    c->value = p->value.e;
    size_t count[4] = { 0 };
    for (size_t k = 0; k < p->n_parts; k++) {
        if (p->parts[k].reads & CADRE_READS_AGGREGATE)
            return;
        count[part_pass(p->parts[k].reads, c->coll)]++;
    }
    c->parts = malloc((p->n_parts + 1) * sizeof *c->parts);
    if (!c->parts)
        return;
    size_t at[4] = { 0, count[0], count[0] + count[1],
                     count[0] + count[1] + count[2] };
    for (size_t k = 0; k < p->n_parts; k++)
        c->parts[at[part_pass(p->parts[k].reads, c->coll)]++] =
            p->parts[k].e;
    c->n_k = count[0];
    c->n_c = count[1];
    c->n_a = count[2];
    c->n_r = count[3];
    c->tallied = true;
}

/* The parts of each pass. */
static const cadre_expr *const *code_parts(const struct counter *c)
{
    return c->parts;
}

static const cadre_expr *const *course_parts(const struct counter *c)
{
    return c->parts + c->n_k;
}

static const cadre_expr *const *age_parts(const struct counter *c)
{
    return c->parts + c->n_k + c->n_c;
}

static const cadre_expr *const *rest_parts(const struct counter *c)
{
    return c->parts + c->n_k + c->n_c + c->n_a;
}

/* ------------------------------------------------------------------ */
/* Registering.                                                        */

static bool same_value(const cadre_value *a, const cadre_value *b)
{
    if (a->type != b->type)
        return false;
    switch (a->type) {
    case CADRE_V_NULL: return true;
    case CADRE_V_BOOL: return a->u.b == b->u.b;
    case CADRE_V_NUMBER: return a->u.n == b->u.n;
    case CADRE_V_STRING:
        return a->u.s == b->u.s ||
               (a->u.s && b->u.s && !strcmp(a->u.s, b->u.s));
    case CADRE_V_DATE:
        return cadre_date_compare(a->u.d, b->u.d) == 0;
    default:
        return a->kind == b->kind && a->u.code == b->u.code;
    }
}

static struct counter *find(const tally *t, const cadre_expr *e, uint32_t agg,
                            const cadre_value *vars, size_t n_vars)
{
    /* Registrations come in runs of the same expression: look back from
     * the newest, so a table's 300 rows cost little. */
    for (size_t i = t->n; i-- > 0;) {
        struct counter *c = t->ctrs[i];
        if (c->e != e || c->agg != agg || c->n_vars != n_vars)
            continue;
        bool same = true;
        for (size_t k = 0; k < n_vars && same; k++)
            same = same_value(&c->vars[k], &vars[k]);
        if (same)
            return c;
    }
    return NULL;
}

int tally_want(tally *t, const cadre_expr *e, const cadre_value *vars,
               size_t n_vars)
{
    uint32_t ids[16];
    size_t n = cadre_expr_aggs(e, ids, 16);
    uint32_t *all = ids;
    if (n > 16) {
        if (!(all = malloc(n * sizeof *all)))
            return -1;
        cadre_expr_aggs(e, all, n);
    }
    if (n_vars > TALLY_MAX_VARS)
        n_vars = TALLY_MAX_VARS;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        if (find(t, e, all[i], vars, n_vars))
            continue;
        struct counter *c = calloc(1, sizeof *c);
        if (!c || !GROW(t->ctrs, t->cap, t->n + 1)) {
            free(c);
            rc = -1;
            break;
        }
        c->e = e;
        c->agg = all[i];
        c->n_vars = (uint8_t)n_vars;
        for (size_t k = 0; k < n_vars; k++)
            c->vars[k] = vars[k];
        plan(c);
        t->ctrs[t->n++] = c;
    }
    if (all != ids)
        free(all);
    return rc;
}

/* ------------------------------------------------------------------ */
/* The walk.                                                           */

static uint32_t cadre_key(const cadre_records *r, const cadre_cadre *c)
{
    uint32_t k = c->category % 3;
    k = k * 7 + c->education % 7;
    k = k * 5 + c->political_theory % 5;
    k = k * 5 + c->state_management % 5;
    k = k * 2 + (c->gender & 1);
    k = k * 2 + c->party_member;
    k = k * 2 + c->leader;
    /* cadre_cadre_is_minority(), without a string compare for most */
    const char *e = c->ethnicity;
    k = k * 2 + (e && ((e[0] | 0x20) != 'k' || cadre_cadre_is_minority(c)));
    k = k * 2 + (r->units[c->unit].level & 1);
    return k;
}

/* Bind the item in the tally's environment. */
static void bind(tally *t, const cadre_cadre *c, const cadre_participant *p)
{
    t->env.cadre = c;
    t->env.unit = &t->r->units[c->unit];
    t->env.participant = p;
    t->env.course = p ? &t->r->courses[p->course] : NULL;
}

static bool all_true(const cadre_expr *const *parts, size_t n,
                     const cadre_env *env)
{
    for (size_t i = 0; i < n; i++)
        if (!cadre_expr_test(parts[i], env))
            return false;
    return true;
}

/* The codes-only part of `c` for the item bound, by its key. */
static bool key_true(tally *t, struct counter *c, uint32_t key)
{
    if (!c->n_k)
        return true;
    int8_t v = c->truth[key];
    if (v < 0) {
        t->env.vars = c->vars;
        v = all_true(code_parts(c), c->n_k, &t->env);
        c->truth[key] = v;
    }
    return v;
}

/* The age part of `c` for the cadre bound, aged `age`. */
static bool age_true(tally *t, struct counter *c, int age)
{
    if (!c->n_a)
        return true;
    size_t i = (size_t)(age < 0 || age >= AGES - 1 ? AGES - 1 : age);
    int8_t v = c->truth_age[i];
    if (v < 0) {
        t->env.vars = c->vars;
        v = all_true(age_parts(c), c->n_a, &t->env);
        c->truth_age[i] = v;
    }
    return v;
}

/* Count the item bound (in unit `u`) into `c`. */
static void take(tally *t, struct counter *c, uint32_t u, double weight)
{
    double v = 1;
    if (c->value) {
        cadre_value val;
        t->env.vars = c->vars;
        cadre_expr_eval(c->value, &t->env, &val);
        if (val.type != CADRE_V_NUMBER)
            return;
        v = val.u.n;
    }
    c->unit[u].sum += v * weight;
    c->unit[u].n += weight;
}

static bool rest_true(tally *t, struct counter *c)
{
    if (!c->n_r)
        return true;
    t->env.vars = c->vars;
    return all_true(rest_parts(c), c->n_r, &t->env);
}

/* Sum the codes-only counters over one unit's cadres, given as keys:
 * count each key once (a dense table), then add the counts of the keys
 * each counter's condition holds for. */
static void sum_unit(struct counter **binned, size_t nb, uint32_t u,
                     const uint16_t *keys, size_t n, uint32_t *cnt,
                     uint16_t *touched, uint32_t *tcnt)
{
    size_t nt = 0;
    for (size_t j = 0; j < n; j++)
        if (!cnt[keys[j]]++)
            touched[nt++] = keys[j];
    for (size_t j = 0; j < nt; j++)
        tcnt[j] = cnt[touched[j]];
    for (size_t k = 0; k < nb; k++) {
        const struct counter *ct = binned[k];
        uint64_t sum = 0;
        if (!ct->n_k) {
            sum = n;
        } else {
            /* every key met has its truth (0 or 1) by now: no branch */
            const int8_t *truth = ct->truth;
            for (size_t j = 0; j < nt; j++)
                sum += (uint64_t)tcnt[j] * (uint8_t)truth[touched[j]];
        }
        binned[k]->unit[u].n += (double)sum;
        binned[k]->unit[u].sum += (double)sum;
    }
    for (size_t j = 0; j < nt; j++)
        cnt[touched[j]] = 0;
}

static int walk_cadres(tally *t, struct counter **cs, size_t n)
{
    const cadre_records *r = t->r;
    size_t nu = r->n_units;
    struct counter **binned = malloc((n + 1) * sizeof *binned);
    struct counter **each = malloc((n + 1) * sizeof *each);
    uint16_t *keys = malloc((r->n_cadres + 1) * sizeof *keys);
    uint16_t *sorted = malloc((r->n_cadres + 1) * sizeof *sorted);
    uint32_t *at = calloc(nu + 2, sizeof *at);
    uint32_t *rep = malloc(KEYS * sizeof *rep);
    uint32_t *cnt = calloc(KEYS, sizeof *cnt);
    uint16_t *touched = malloc(KEYS * sizeof *touched);
    uint32_t *tcnt = malloc(KEYS * sizeof *tcnt);
    size_t nb = 0, ne = 0;
    int rc = -1;
    /* the day ages are counted on, as the evaluator counts them */
    cadre_date as_of = cadre_date_is_set(t->env.as_of) ? t->env.as_of
                                                       : r->as_of;
    if (!binned || !each || !keys || !sorted || !at || !rep || !cnt ||
        !touched || !tcnt)
        goto done;
    for (size_t i = 0; i < n; i++) {
        if (cs[i]->n_r || cs[i]->value || cs[i]->n_a)
            each[ne++] = cs[i];
        else
            binned[nb++] = cs[i];
    }
    memset(rep, 0xff, KEYS * sizeof *rep);
    /* one pass over the cadres: each one's code combination, cadres per
     * unit, and the counters that need more than the codes */
    for (size_t i = 0; i < r->n_cadres; i++) {
        const cadre_cadre *c = &r->cadres[i];
        if (t->selected && !t->selected[c->unit]) {
            keys[i] = UINT16_MAX;
            continue;
        }
        uint32_t key = cadre_key(r, c);
        keys[i] = (uint16_t)key;
        at[c->unit + 2]++;
        if (rep[key] == UINT32_MAX)
            rep[key] = (uint32_t)i;
        if (!ne)
            continue;
        bind(t, c, NULL);
        int age = cadre_date_age(c->birth, as_of);
        for (size_t k = 0; k < ne; k++) {
            struct counter *ct = each[k];
            if (key_true(t, ct, key) && age_true(t, ct, age) &&
                rest_true(t, ct))
                take(t, ct, c->unit, 1);
        }
    }
    if (!nb) {
        rc = 0;
        goto done;
    }
    /* conditions once per code combination met */
    for (uint32_t key = 0; key < KEYS; key++) {
        if (rep[key] == UINT32_MAX)
            continue;
        bind(t, &r->cadres[rep[key]], NULL);
        for (size_t k = 0; k < nb; k++)
            key_true(t, binned[k], key);
    }
    /* keys grouped by unit (a counting sort), then summed unit by unit */
    for (size_t u = 0; u < nu; u++)
        at[u + 2] += at[u + 1];
    for (size_t i = 0; i < r->n_cadres; i++)
        if (keys[i] != UINT16_MAX)
            sorted[at[r->cadres[i].unit + 1]++] = keys[i];
    for (size_t u = 0; u < nu; u++)
        sum_unit(binned, nb, (uint32_t)u, sorted + at[u], at[u + 1] - at[u],
                 cnt, touched, tcnt);
    rc = 0;
done:
    free(binned);
    free(each);
    free(keys);
    free(sorted);
    free(at);
    free(rep);
    free(cnt);
    free(touched);
    free(tcnt);
    return rc;
}

static int walk_participants(tally *t, struct counter **cs, size_t n)
{
    const cadre_records *r = t->r;
    struct counter **on = malloc((n + 1) * sizeof *on);
    if (!on)
        return -1;
    for (size_t k = 0; k < n; k++) {
        if (cs[k]->kind == CADRE_AGG_PEOPLE) {
            cs[k]->seen = calloc(r->n_cadres / 8 + 1, 1);
            if (!cs[k]->seen) {
                free(on);
                return -1;
            }
        }
    }
    for (size_t ci = 0; ci < r->n_courses; ci++) {
        const cadre_course *course = &r->courses[ci];
        if (!course->count)
            continue;
        /* the parts about the course, once for all its participants */
        size_t non = 0;
        t->env.cadre = NULL;
        t->env.unit = NULL;
        t->env.participant = &r->participants[course->first];
        t->env.course = course;
        for (size_t k = 0; k < n; k++) {
            t->env.vars = cs[k]->vars;
            if (all_true(course_parts(cs[k]), cs[k]->n_c, &t->env))
                on[non++] = cs[k];
        }
        if (!non)
            continue;
        for (uint32_t pi = 0; pi < course->count; pi++) {
            const cadre_participant *p = &r->participants[course->first + pi];
            const cadre_cadre *c = &r->cadres[p->cadre];
            if (t->selected && !t->selected[c->unit])
                continue;
            uint32_t key = cadre_key(r, c);
            bind(t, c, p);
            for (size_t k = 0; k < non; k++) {
                struct counter *ct = on[k];
                if (!key_true(t, ct, key) || !rest_true(t, ct))
                    continue;
                if (ct->seen) {
                    uint8_t bit = (uint8_t)(1u << (p->cadre % 8));
                    if (ct->seen[p->cadre / 8] & bit)
                        continue;
                    ct->seen[p->cadre / 8] |= bit;
                }
                take(t, ct, c->unit, 1);
            }
        }
    }
    free(on);
    return 0;
}

int tally_run(tally *t)
{
    const cadre_records *r = t->r;
    size_t nu = r->n_units ? r->n_units : 1;
    struct counter **cad = malloc((t->n + 1) * sizeof *cad);
    struct counter **par = malloc((t->n + 1) * sizeof *par);
    size_t nc = 0, np = 0;
    int rc = -1;
    if (!cad || !par)
        goto done;
    for (size_t i = 0; i < t->n; i++) {
        struct counter *c = t->ctrs[i];
        if (!c->tallied)
            continue;
        c->unit = calloc(nu, sizeof *c->unit);
        /* a truth table only for the counters that have codes to judge */
        c->truth = c->n_k ? malloc(KEYS) : NULL;
        if (!c->unit || (c->n_k && !c->truth))
            goto done;
        if (c->truth)
            memset(c->truth, 0xff, KEYS);
        memset(c->truth_age, 0xff, sizeof c->truth_age);
        if (c->coll == CADRE_COLL_CADRES)
            cad[nc++] = c;
        else
            par[np++] = c;
    }
    if (walk_cadres(t, cad, nc) < 0 || walk_participants(t, par, np) < 0)
        goto done;
    /* direct sums -> level and total sums, then sums within each unit
     * (the unit and every unit below it, as env.within_unit counts) */
    for (size_t i = 0; i < t->n; i++) {
        struct counter *c = t->ctrs[i];
        if (!c->tallied)
            continue;
        struct acc *within = calloc(nu, sizeof *within);
        if (!within)
            goto done;
        for (size_t u = 0; u < r->n_units; u++) {
            struct acc a = c->unit[u];
            int lv = r->units[u].level & 1;
            c->level[lv].sum += a.sum;
            c->level[lv].n += a.n;
            c->all.sum += a.sum;
            c->all.n += a.n;
            uint32_t up = (uint32_t)u;
            for (size_t steps = 0; up != CADRE_NONE && steps <= r->n_units;
                 steps++) {
                within[up].sum += a.sum;
                within[up].n += a.n;
                up = r->units[up].parent;
            }
        }
        free(c->unit);
        c->unit = within;
        free(c->truth);
        c->truth = NULL;
        free(c->seen);
        c->seen = NULL;
    }
    t->ran = true;
    rc = 0;
done:
    free(cad);
    free(par);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Using the results.                                                  */

static bool tallied_value(void *data, const cadre_expr *e, uint32_t agg,
                          cadre_value *out)
{
    const tally_query *q = data;
    const tally *t = q->t;
    size_t n_vars = q->n_vars > TALLY_MAX_VARS ? TALLY_MAX_VARS : q->n_vars;
    const struct counter *c = t->ran ? find(t, e, agg, q->vars, n_vars)
                                     : NULL;
    if (!c || !c->tallied)
        return false;
    const struct acc *a;
    switch (q->scope.kind) {
    case SCOPE_UNIT:
        a = q->scope.id < t->r->n_units ? &c->unit[q->scope.id] : &c->all;
        break;
    case SCOPE_LEVEL:
        a = &c->level[q->scope.id & 1];
        break;
    default:
        a = &c->all;
        break;
    }
    *out = (cadre_value){ .type = CADRE_V_NUMBER };
    if (c->kind == CADRE_AGG_AVG) {
        if (a->n == 0)
            out->type = CADRE_V_NULL;
        else
            out->u.n = a->sum / a->n;
    } else {
        out->u.n = c->kind == CADRE_AGG_SUM ? a->sum : a->n;
    }
    return true;
}

cadre_agg_source tally_source(const tally_query *q)
{
    return (cadre_agg_source){ tallied_value, (void *)q };
}
