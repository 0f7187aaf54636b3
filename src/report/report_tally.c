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
 */
#include <stdlib.h>
#include <string.h>

#include "cadre/records.h"
#include "expr/expr_internal.h"
#include "report_tally.h"

#define KEYS (3 * 7 * 5 * 5 * 2 * 2 * 2 * 2 * 2) /* code combinations */
#define MAX_PARTS 32 /* conjuncts of one condition kept apart */

/* What a sub-expression depends on, for one item of a collection. */
enum {
    D_KEY = 1,     /* codes of the cadre or its unit's level: in the key */
    D_COURSE = 2,  /* the course (of a participant) */
    D_ITEM = 4,    /* anything else of the item (age, status, a name) */
    D_NESTED = 8,  /* an aggregate inside: the tally cannot take it */
    D_AGE = 16     /* the cadre's age: the key with the age */
};

#define AGES 128 /* ages told apart in the key with the age */

/* Sums kept for one unit (or scope). */
struct acc {
    double sum; /* sum of values (sum, avg) */
    double n;   /* items counted */
};

struct ctr {
    cadre_expr *e;        /* expression holding the aggregate (borrowed) */
    uint32_t node;        /* the E_AGG node */
    cadre_value vars[RP_MAX_VARS]; /* extra variables it is evaluated with */
    uint8_t n_vars;
    bool tallied;         /* false: left to the evaluator */
    uint8_t coll, agg;    /* COLL_*, AGG_* */
    cadre_expr kpart[MAX_PARTS]; /* conjuncts on codes only (views) */
    uint8_t n_k;
    cadre_expr cpart[MAX_PARTS]; /* conjuncts on the course only */
    uint8_t n_c;
    cadre_expr apart[MAX_PARTS]; /* conjuncts on the age only */
    uint8_t n_a;
    cadre_expr rpart[MAX_PARTS]; /* the rest, evaluated per item */
    uint8_t n_r;
    cadre_expr value;     /* the summed value (view), when value_set */
    bool value_set;
    int8_t *truth;        /* KEYS entries: -1 unknown, 0, 1 */
    int8_t truth_age[AGES]; /* for apart, by age: -1 unknown, 0, 1 */
    uint8_t *seen;        /* people(): cadres counted already */
    struct acc *unit;     /* per unit: direct, then within after run */
    struct acc level[2];  /* per level of unit */
    struct acc all;       /* every selected unit */
};

struct saved {
    cadre_expr *e;      /* expression changed by apply */
    cadre_enode *nodes; /* its nodes before */
};

struct rp_tally {
    const cadre_records *r;   /* the records (borrowed) */
    cadre_env env;            /* year, as-of; items bound while walking */
    const uint8_t *selected;  /* per unit, or NULL for all */
    struct ctr **ctrs;        /* every counter registered */
    size_t n, cap;
    struct saved *saved;      /* expressions currently applied */
    size_t n_saved, cap_saved;
    bool ran;                 /* rp_tally_run() done */
};

rp_tally *rp_tally_new(const cadre_records *recs, const cadre_env *base,
                       const uint8_t *selected)
{
    rp_tally *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->r = recs;
    t->env = *base;
    t->env.within_unit = CADRE_NONE;
    t->env.within_course = CADRE_NONE;
    t->selected = selected;
    return t;
}

static void ctr_free(struct ctr *c)
{
    if (!c)
        return;
    free(c->truth);
    free(c->seen);
    free(c->unit);
    free(c);
}

void rp_tally_free(rp_tally *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++)
        ctr_free(t->ctrs[i]);
    free(t->ctrs);
    for (size_t i = 0; i < t->n_saved; i++)
        free(t->saved[i].nodes);
    free(t->saved);
    free(t);
}

/* ------------------------------------------------------------------ */
/* Dependencies.                                                       */

static bool key_field(int f)
{
    switch (f) {
    case F_CADRE_GENDER: case F_CADRE_CATEGORY: case F_CADRE_EDUCATION:
    case F_CADRE_POLITICAL_THEORY: case F_CADRE_STATE_MANAGEMENT:
    case F_CADRE_PARTY_MEMBER: case F_CADRE_LEADER: case F_CADRE_MINORITY:
    case F_UNIT_LEVEL:
        return true;
    }
    return false;
}

/* Which record of the item a record-valued node stands for: X_CADRE,
 * X_UNIT (the cadre's own), X_COURSE, X_PARTICIPANT, or -1 (another). */
static int obj_class(const cadre_expr *x, uint32_t i)
{
    const cadre_enode *n = &x->nodes[i];
    if (n->op == E_ROOT)
        return n->aux;
    if (n->op != E_NAV)
        return -1;
    switch (n->aux) {
    case NAV_PART_CADRE: return X_CADRE;
    case NAV_CADRE_UNIT: return X_UNIT;
    case NAV_PART_COURSE: return X_COURSE;
    default: return -1; /* a parent unit: not in the key */
    }
}

static unsigned deps(const cadre_expr *x, uint32_t i, int depth);

static unsigned field_deps(const cadre_expr *x, uint32_t obj, int f)
{
    switch (obj_class(x, obj)) {
    case X_CADRE:
        if (f == F_CADRE_AGE)
            return D_AGE;
        return key_field(f) ? D_KEY : D_ITEM;
    case X_UNIT:
        return key_field(f) ? D_KEY : D_ITEM;
    case X_COURSE:
        return D_COURSE;
    default:
        return D_ITEM;
    }
}

static unsigned deps(const cadre_expr *x, uint32_t i, int depth)
{
    if (i == CADRE_ENONE)
        return 0;
    if (depth > 200)
        return D_NESTED; /* cannot happen: the compiler limits depth */
    const cadre_enode *n = &x->nodes[i];
    unsigned d = 0;
    switch (n->op) {
    case E_CONST: case E_NULL: case E_GLOBAL: case E_VAR:
        return 0;
    case E_ROOT:
    case E_NAV:
        return obj_class(x, i) == X_COURSE ? D_COURSE : D_ITEM;
    case E_FIELD:
        return field_deps(x, n->a, n->aux);
    case E_FCMP:
        return field_deps(x, n->a, n->aux2);
    case E_SHOW:
        return obj_class(x, n->a) == X_COURSE ? D_COURSE : D_ITEM;
    case E_AGG:
        return D_NESTED;
    case E_CALL:
        for (uint32_t k = 0; k < n->c; k++) {
            uint32_t a = x->args[n->b + k];
            const cadre_enode *an = &x->nodes[a];
            if (an->type == X_COURSE)
                d |= obj_class(x, a) == X_COURSE ? D_COURSE : D_ITEM;
            else if (an->type >= X_CADRE)
                d |= D_ITEM;
            else
                d |= deps(x, a, depth + 1);
        }
        return d;
    case E_IN:
        d = deps(x, n->a, depth + 1);
        for (uint32_t k = 0; k < n->c; k++)
            d |= deps(x, x->args[n->b + k], depth + 1);
        return d;
    case E_NOT: case E_NEG: case E_INMASK:
        return deps(x, n->a, depth + 1);
    case E_AND: case E_OR: case E_CMP: case E_ARITH:
        return deps(x, n->a, depth + 1) | deps(x, n->b, depth + 1);
    default:
        return D_ITEM;
    }
}

/* Split the condition at node `i` into its AND-ed parts. */
static int conjuncts(const cadre_expr *x, uint32_t i, uint32_t *out,
                     int n, int depth)
{
    const cadre_enode *nd = &x->nodes[i];
    if (nd->op == E_AND && depth < 40) {
        n = conjuncts(x, nd->a, out, n, depth + 1);
        if (n < 0)
            return n;
        return conjuncts(x, nd->b, out, n, depth + 1);
    }
    if (n >= MAX_PARTS)
        return -1;
    out[n] = i;
    return n + 1;
}

static cadre_expr view(const cadre_expr *x, uint32_t root)
{
    cadre_expr v = *x;
    v.root = root;
    return v;
}

/* Decide how counter `c` is computed. */
static void plan(struct ctr *c)
{
    const cadre_expr *x = c->e;
    const cadre_enode *n = &x->nodes[c->node];
    c->coll = n->aux2;
    c->agg = n->aux;
    c->tallied = false;
    if ((c->coll != COLL_CADRES && c->coll != COLL_PARTICIPANTS) ||
        c->agg == AGG_MIN || c->agg == AGG_MAX)
        return;
    if (n->b != CADRE_ENONE) {
        if (deps(x, n->b, 0) & D_NESTED)
            return;
        c->value = view(x, n->b);
        c->value_set = true;
    }
    if (n->a != CADRE_ENONE) {
        uint32_t parts[MAX_PARTS];
        int np = conjuncts(x, n->a, parts, 0, 0);
        if (np < 0)
            return;
        for (int k = 0; k < np; k++) {
            unsigned d = deps(x, parts[k], 0);
            if (d & D_NESTED)
                return;
            cadre_expr v = view(x, parts[k]);
            if ((d & ~(unsigned)D_COURSE) == 0 && c->coll == COLL_PARTICIPANTS)
                c->cpart[c->n_c++] = v;
            else if ((d & ~(unsigned)D_KEY) == 0)
                c->kpart[c->n_k++] = v;
            else if (d == D_AGE && c->coll == COLL_CADRES)
                c->apart[c->n_a++] = v;
            else
                c->rpart[c->n_r++] = v;
        }
    }
    c->tallied = true;
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

static struct ctr *find(const rp_tally *t, const cadre_expr *e, uint32_t node,
                        const cadre_value *vars, size_t n_vars)
{
    /* Registrations come in runs of the same expression: look back from
     * the newest, so a table's 300 rows cost little. */
    for (size_t i = t->n; i-- > 0;) {
        struct ctr *c = t->ctrs[i];
        if (c->e != e || c->node != node || c->n_vars != n_vars)
            continue;
        bool same = true;
        for (size_t k = 0; k < n_vars && same; k++)
            same = same_value(&c->vars[k], &vars[k]);
        if (same)
            return c;
    }
    return NULL;
}

int rp_tally_want(rp_tally *t, cadre_expr *e, const cadre_value *vars,
                  size_t n_vars)
{
    if (n_vars > RP_MAX_VARS)
        n_vars = RP_MAX_VARS;
    for (uint32_t i = 0; i < e->n_nodes; i++) {
        if (e->nodes[i].op != E_AGG || find(t, e, i, vars, n_vars))
            continue;
        if (t->n == t->cap) {
            size_t cap = t->cap ? t->cap * 2 : 64;
            struct ctr **p = realloc(t->ctrs, cap * sizeof *p);
            if (!p)
                return -1;
            t->ctrs = p;
            t->cap = cap;
        }
        struct ctr *c = calloc(1, sizeof *c);
        if (!c)
            return -1;
        c->e = e;
        c->node = i;
        c->n_vars = (uint8_t)n_vars;
        for (size_t k = 0; k < n_vars; k++)
            c->vars[k] = vars[k];
        plan(c);
        t->ctrs[t->n++] = c;
    }
    return 0;
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
static void bind(rp_tally *t, const cadre_cadre *c, const cadre_participant *p)
{
    t->env.cadre = c;
    t->env.unit = &t->r->units[c->unit];
    t->env.participant = p;
    t->env.course = p ? &t->r->courses[p->course] : NULL;
}

static bool all_true(cadre_expr *parts, int n, const cadre_env *env)
{
    for (int i = 0; i < n; i++)
        if (!cadre_expr_test(&parts[i], env))
            return false;
    return true;
}

/* The codes-only part of `c` for the item bound, by its key. */
static bool key_true(rp_tally *t, struct ctr *c, uint32_t key)
{
    if (!c->n_k)
        return true;
    int8_t v = c->truth[key];
    if (v < 0) {
        t->env.vars = c->vars;
        v = all_true(c->kpart, c->n_k, &t->env);
        c->truth[key] = v;
    }
    return v;
}

/* The age part of `c` for the cadre bound, aged `age`. */
static bool age_true(rp_tally *t, struct ctr *c, int age)
{
    if (!c->n_a)
        return true;
    size_t i = (size_t)(age < 0 || age >= AGES - 1 ? AGES - 1 : age);
    int8_t v = c->truth_age[i];
    if (v < 0) {
        t->env.vars = c->vars;
        v = all_true(c->apart, c->n_a, &t->env);
        c->truth_age[i] = v;
    }
    return v;
}

/* Count the item bound (in unit `u`) into `c`. */
static void take(rp_tally *t, struct ctr *c, uint32_t u, double weight)
{
    double v = 1;
    if (c->value_set) {
        cadre_value val;
        t->env.vars = c->vars;
        cadre_expr_eval(&c->value, &t->env, &val);
        if (val.type != CADRE_V_NUMBER)
            return;
        v = val.u.n;
    }
    c->unit[u].sum += v * weight;
    c->unit[u].n += weight;
}

static bool rest_true(rp_tally *t, struct ctr *c)
{
    if (!c->n_r)
        return true;
    t->env.vars = c->vars;
    return all_true(c->rpart, c->n_r, &t->env);
}

/* Sum the codes-only counters over one unit's cadres, given as keys:
 * count each key once (a dense table), then add the counts of the keys
 * each counter's condition holds for. */
static void sum_unit(struct ctr **binned, size_t nb, uint32_t u,
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
        const struct ctr *ct = binned[k];
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

static int walk_cadres(rp_tally *t, struct ctr **cs, size_t n)
{
    const cadre_records *r = t->r;
    size_t nu = r->n_units;
    struct ctr **binned = malloc((n + 1) * sizeof *binned);
    struct ctr **each = malloc((n + 1) * sizeof *each);
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
        if (cs[i]->n_r || cs[i]->value_set || cs[i]->n_a)
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
            struct ctr *ct = each[k];
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

static int walk_participants(rp_tally *t, struct ctr **cs, size_t n)
{
    const cadre_records *r = t->r;
    struct ctr **on = malloc((n + 1) * sizeof *on);
    if (!on)
        return -1;
    for (size_t k = 0; k < n; k++) {
        if (cs[k]->agg == AGG_PEOPLE) {
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
            if (all_true(cs[k]->cpart, cs[k]->n_c, &t->env))
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
                struct ctr *ct = on[k];
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

int rp_tally_run(rp_tally *t)
{
    const cadre_records *r = t->r;
    size_t nu = r->n_units ? r->n_units : 1;
    struct ctr **cad = malloc((t->n + 1) * sizeof *cad);
    struct ctr **par = malloc((t->n + 1) * sizeof *par);
    size_t nc = 0, np = 0;
    int rc = -1;
    if (!cad || !par)
        goto done;
    for (size_t i = 0; i < t->n; i++) {
        struct ctr *c = t->ctrs[i];
        if (!c->tallied)
            continue;
        c->unit = calloc(nu, sizeof *c->unit);
        c->truth = malloc(KEYS);
        if (!c->unit || !c->truth)
            goto done;
        memset(c->truth, 0xff, KEYS);
        memset(c->truth_age, 0xff, sizeof c->truth_age);
        if (c->coll == COLL_CADRES)
            cad[nc++] = c;
        else
            par[np++] = c;
    }
    if (walk_cadres(t, cad, nc) < 0 || walk_participants(t, par, np) < 0)
        goto done;
    /* direct sums -> level and total sums, then sums within each unit
     * (the unit and every unit below it, as env.within_unit counts) */
    for (size_t i = 0; i < t->n; i++) {
        struct ctr *c = t->ctrs[i];
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

int rp_tally_apply(rp_tally *t, cadre_expr *e, const cadre_value *vars,
                   size_t n_vars, rp_scope scope)
{
    if (n_vars > RP_MAX_VARS)
        n_vars = RP_MAX_VARS;
    if (t->n_saved == t->cap_saved) {
        size_t cap = t->cap_saved ? t->cap_saved * 2 : 8;
        struct saved *p = realloc(t->saved, cap * sizeof *p);
        if (!p)
            return -1;
        t->saved = p;
        t->cap_saved = cap;
    }
    cadre_enode *copy = malloc(e->n_nodes * sizeof *copy + 1);
    if (!copy)
        return -1;
    memcpy(copy, e->nodes, e->n_nodes * sizeof *copy);
    t->saved[t->n_saved++] = (struct saved){ e, copy };
    if (!t->ran)
        return 0;
    for (uint32_t i = 0; i < e->n_nodes; i++) {
        if (copy[i].op != E_AGG)
            continue;
        struct ctr *c = find(t, e, i, vars, n_vars);
        if (!c || !c->tallied)
            continue;
        const struct acc *a;
        switch (scope.kind) {
        case RP_UNIT:
            a = scope.id < t->r->n_units ? &c->unit[scope.id] : &c->all;
            break;
        case RP_LEVEL:
            a = &c->level[scope.id & 1];
            break;
        default:
            a = &c->all;
            break;
        }
        cadre_enode *n = &e->nodes[i];
        n->op = E_CONST;
        n->type = X_NUMBER;
        n->flags = 0;
        if (c->agg == AGG_AVG) {
            if (a->n == 0) {
                n->op = E_NULL;
                continue;
            }
            n->k.n = a->sum / a->n;
        } else if (c->agg == AGG_SUM) {
            n->k.n = a->sum;
        } else {
            n->k.n = a->n;
        }
    }
    return 0;
}

void rp_tally_restore(rp_tally *t, cadre_expr *e)
{
    for (size_t i = t->n_saved; i-- > 0;) {
        if (t->saved[i].e != e)
            continue;
        memcpy(e->nodes, t->saved[i].nodes, e->n_nodes * sizeof *e->nodes);
        free(t->saved[i].nodes);
        t->saved[i] = t->saved[--t->n_saved];
        return;
    }
}
