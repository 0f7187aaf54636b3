/*
 * expr_eval.c - the evaluator: checked nodes (expr_internal.h) evaluated
 * over the records bound in a cadre_env.  The checker settled every name
 * and type, so evaluation cannot fail, and it never allocates (except
 * people(), which needs a set of cadres).
 */
#include <stdlib.h>
#include <string.h>

#include "cadre/expr.h"
#include "cadre/text.h"
#include "expr_internal.h"

void cadre_env_init(cadre_env *env, const cadre_records *recs)
{
    memset(env, 0, sizeof *env);
    env->records = recs;
    env->within_unit = CADRE_NONE;
    env->within_course = CADRE_NONE;
}

/* ------------------------------------------------------------------ */
/* Evaluation.                                                         */

static void eval_value(const cadre_expr *x, uint32_t i, const cadre_env *env,
                       cadre_value *out);
static bool eval_test(const cadre_expr *x, uint32_t i, const cadre_env *env);

static cadre_date as_of(const cadre_env *env)
{
    if (cadre_date_is_set(env->as_of))
        return env->as_of;
    return env->records ? env->records->as_of : (cadre_date){ 0, 0, 0 };
}

static const cadre_cadre *env_cadre(const cadre_env *env)
{
    if (env->cadre)
        return env->cadre;
    if (env->participant && env->records)
        return &env->records->cadres[env->participant->cadre];
    return NULL;
}

/* The record node `i` stands for, or NULL when none is bound. */
static const void *eval_record(const cadre_expr *x, uint32_t i,
                               const cadre_env *env)
{
    const cadre_enode *n = &x->nodes[i];
    const cadre_records *r = env->records;
    if (n->op == E_ROOT) {
        switch (n->aux) {
        case X_CADRE:
            return env_cadre(env);
        case X_UNIT: {
            if (env->unit)
                return env->unit;
            const cadre_cadre *c = env_cadre(env);
            return c && r ? &r->units[c->unit] : NULL;
        }
        case X_COURSE:
            if (env->course)
                return env->course;
            if (env->participant && r)
                return &r->courses[env->participant->course];
            return NULL;
        default:
            return env->participant;
        }
    }
    /* E_NAV */
    const void *o = eval_record(x, n->a, env);
    if (!o || !r)
        return NULL;
    switch (n->aux) {
    case NAV_CADRE_UNIT:
        return &r->units[((const cadre_cadre *)o)->unit];
    case NAV_UNIT_PARENT: {
        uint32_t p = ((const cadre_unit *)o)->parent;
        return p == CADRE_NONE ? NULL : &r->units[p];
    }
    case NAV_PART_CADRE:
        return &r->cadres[((const cadre_participant *)o)->cadre];
    default:
        return &r->courses[((const cadre_participant *)o)->course];
    }
}

/* The code in a code field, or -1 for none. */
static int code_field(const void *o, int field)
{
    switch (field) {
    case F_CADRE_GENDER: return ((const cadre_cadre *)o)->gender;
    case F_CADRE_CATEGORY: return ((const cadre_cadre *)o)->category;
    case F_CADRE_EDUCATION: return ((const cadre_cadre *)o)->education;
    case F_CADRE_POLITICAL_THEORY:
        return ((const cadre_cadre *)o)->political_theory;
    case F_CADRE_STATE_MANAGEMENT:
        return ((const cadre_cadre *)o)->state_management;
    case F_UNIT_LEVEL: return ((const cadre_unit *)o)->level;
    case F_COURSE_TYPE: return ((const cadre_course *)o)->type;
    case F_COURSE_MODE: {
        int m = ((const cadre_course *)o)->mode;
        return m == CADRE_MODE_NONE ? -1 : m;
    }
    case F_PART_STATUS: return ((const cadre_participant *)o)->status;
    case F_PART_GRADE: {
        int g = ((const cadre_participant *)o)->grade;
        return g == CADRE_GRADE_NONE ? -1 : g;
    }
    }
    return -1;
}

/* A value of a type, its kind cleared; the setters below fill the union. */
static void set_type(cadre_value *v, cadre_vtype type)
{
    v->type = type;
    v->kind = 0;
    v->u.n = 0;
}

static void set_null(cadre_value *v) { set_type(v, CADRE_V_NULL); }

static void set_num(cadre_value *v, double n)
{
    set_type(v, CADRE_V_NUMBER);
    v->u.n = n;
}

/* An absent text or date is null, so that "is empty" and defaults see it. */
static void set_str(cadre_value *v, const char *s)
{
    set_type(v, s ? CADRE_V_STRING : CADRE_V_NULL);
    if (s)
        v->u.s = s;
}

static void set_date(cadre_value *v, cadre_date d)
{
    bool set = cadre_date_is_set(d);
    set_type(v, set ? CADRE_V_DATE : CADRE_V_NULL);
    if (set)
        v->u.d = d;
}

static void set_bool(cadre_value *v, bool b)
{
    set_type(v, CADRE_V_BOOL);
    v->u.b = b;
}

static const char *given_name(const char *full)
{
    const char *last = full;
    for (const char *p = full; *p; p++)
        if ((*p == ' ' || *p == '\t') && p[1] && p[1] != ' ')
            last = p + 1;
    return last;
}

static uint32_t course_completed(const cadre_records *r, const cadre_course *c)
{
    uint32_t k = 0;
    for (uint32_t i = 0; i < c->count; i++)
        if (r->participants[c->first + i].status == CADRE_STATUS_COMPLETED)
            k++;
    return k;
}

static void eval_field(const cadre_enode *n, const void *o,
                       const cadre_env *env, cadre_value *out)
{
    const cadre_cadre *c = o;
    const cadre_unit *u = o;
    const cadre_course *k = o;
    const cadre_participant *p = o;
    if (!o) {
        set_null(out);
        return;
    }
    if (n->type == X_CODE) {
        int code = code_field(o, n->aux);
        if (code < 0) {
            set_null(out);
        } else {
            out->type = CADRE_V_CODE;
            out->kind = (cadre_code_kind)n->kind;
            out->u.code = code;
        }
        return;
    }
    switch (n->aux) {
    case F_CADRE_ID: set_str(out, c->id); return;
    case F_CADRE_FULL_NAME: set_str(out, c->full_name); return;
    case F_CADRE_GIVEN_NAME:
        set_str(out, c->full_name ? given_name(c->full_name) : NULL);
        return;
    case F_CADRE_BIRTH_DATE: set_date(out, c->birth); return;
    case F_CADRE_BIRTH_YEAR:
        if (cadre_date_is_set(c->birth))
            set_num(out, c->birth.year);
        else
            set_null(out);
        return;
    case F_CADRE_AGE: {
        int age = cadre_date_age(c->birth, as_of(env));
        if (age < 0)
            set_null(out);
        else
            set_num(out, age);
        return;
    }
    case F_CADRE_ETHNICITY: set_str(out, c->ethnicity); return;
    case F_CADRE_MINORITY: set_bool(out, cadre_cadre_is_minority(c)); return;
    case F_CADRE_POSITION: set_str(out, c->position); return;
    case F_CADRE_PARTY_MEMBER: set_bool(out, c->party_member); return;
    case F_CADRE_PARTY_SINCE: set_date(out, c->party_since); return;
    case F_CADRE_LEADER: set_bool(out, c->leader); return;
    case F_UNIT_ID: set_str(out, u->id); return;
    case F_UNIT_NAME: set_str(out, u->name); return;
    case F_COURSE_ID: set_str(out, k->id); return;
    case F_COURSE_START: set_date(out, k->start); return;
    case F_COURSE_END: set_date(out, k->end); return;
    case F_COURSE_TITLE: set_str(out, k->title); return;
    case F_COURSE_ORGANIZER: set_str(out, k->organizer); return;
    case F_COURSE_LOCATION: set_str(out, k->location); return;
    case F_COURSE_SIGNER: set_str(out, k->signer); return;
    case F_COURSE_SIGNER_TITLE: set_str(out, k->signer_title); return;
    case F_COURSE_GOVERNING_BODY: set_str(out, k->governing_body); return;
    case F_COURSE_PARTICIPANTS: set_num(out, k->count); return;
    case F_COURSE_COMPLETED:
        if (env->records)
            set_num(out, course_completed(env->records, k));
        else
            set_null(out);
        return;
    case F_PART_SCORE:
        if (p->has_score)
            set_num(out, p->score_hundredths / 100.0);
        else
            set_null(out);
        return;
    case F_PART_CERTIFICATE_NO: set_str(out, p->certificate_no); return;
    case F_PART_ISSUED: set_date(out, p->issued); return;
    }
    set_null(out);
}

/* Compare two values: 0 when they cannot be compared (different types,
 * a null), else 1 with the order in *order. */
static int compare_values(const cadre_value *a, const cadre_value *b,
                          bool need_order, int *order)
{
    if (a->type != b->type || a->type == CADRE_V_NULL)
        return 0;
    switch (a->type) {
    case CADRE_V_BOOL:
        *order = (int)a->u.b - (int)b->u.b;
        return 1;
    case CADRE_V_NUMBER:
        *order = a->u.n < b->u.n ? -1 : a->u.n > b->u.n ? 1 : 0;
        return 1;
    case CADRE_V_STRING:
        if (!need_order) {
            *order = strcmp(a->u.s, b->u.s) != 0;
            return 1;
        }
        *order = strcmp(a->u.s, b->u.s) == 0
                     ? 0
                     : cadre_name_compare(a->u.s, b->u.s);
        if (*order == 0)
            *order = strcmp(a->u.s, b->u.s);
        return 1;
    case CADRE_V_DATE:
        *order = cadre_date_compare(a->u.d, b->u.d);
        return 1;
    case CADRE_V_CODE:
        if (a->kind != b->kind)
            return 0;
        *order = code_order(a->u.code, b->u.code);
        return 1;
    default:
        return 0;
    }
}

/* a op b, with the rule for nulls: null = null, null != anything else,
 * and no order. */
static bool cmp_op(int op, const cadre_value *a, const cadre_value *b)
{
    int order;
    bool eq_only = op == OP_EQ || op == OP_NE;
    if (compare_values(a, b, !eq_only, &order))
        return apply_op(op, order);
    if (op == OP_EQ)
        return a->type == CADRE_V_NULL && b->type == CADRE_V_NULL;
    if (op == OP_NE)
        return !(a->type == CADRE_V_NULL && b->type == CADRE_V_NULL);
    return false;
}

static bool truthy(const cadre_value *v)
{
    switch (v->type) {
    case CADRE_V_NULL: return false;
    case CADRE_V_BOOL: return v->u.b;
    case CADRE_V_NUMBER: return v->u.n != 0;
    case CADRE_V_STRING: return v->u.s[0] != '\0';
    default: return true;
    }
}

static bool in_unit(const cadre_records *r, uint32_t u, uint32_t within)
{
    /* bounded: a parent cycle in bad records must not hang us */
    for (size_t steps = 0; u != CADRE_NONE && steps <= r->n_units; steps++) {
        if (u == within)
            return true;
        u = r->units[u].parent;
    }
    return false;
}

/* A code field tested against a set of codes: the hot path of rosters
 * (a cadre's or its unit's code), kept free of calls. */
static inline bool fcmp(const cadre_expr *x, const cadre_enode *n,
                        const cadre_env *env)
{
    const cadre_enode *on = &x->nodes[n->a];
    const void *o;
    if (on->op == E_ROOT && on->aux == X_CADRE && env->cadre)
        o = env->cadre;
    else if (on->op == E_ROOT && on->aux == X_UNIT && env->unit)
        o = env->unit;
    else if (on->op == E_ROOT && on->aux == X_UNIT && env->cadre &&
             env->records)
        o = &env->records->units[env->cadre->unit];
    else
        o = eval_record(x, n->a, env);
    if (!o)
        return n->aux;
    unsigned code = ((const uint8_t *)o)[n->c];
    return code < 32 ? (n->k.mask >> code) & 1u : n->aux;
}

static bool eval_test(const cadre_expr *x, uint32_t i, const cadre_env *env)
{
    const cadre_enode *n = &x->nodes[i];
    /* "a and b and c": a loop, with field tests inline (direct branches
     * predict better than the switch's jump table) */
    while (n->op == E_AND || n->op == E_OR) {
        const cadre_enode *l = &x->nodes[n->a];
        bool v = l->op == E_FCMP ? fcmp(x, l, env) : eval_test(x, n->a, env);
        if (v != (n->op == E_AND))
            return v;
        n = &x->nodes[n->b];
    }
    if (n->op == E_FCMP)
        return fcmp(x, n, env);
    switch (n->op) {
    case E_NOT:
        return !eval_test(x, n->a, env);
    case E_INMASK: {
        cadre_value v;
        eval_value(x, n->a, env, &v);
        if (v.type != CADRE_V_CODE || v.u.code < 0 || v.u.code >= 32)
            return n->aux;
        return (n->k.mask >> v.u.code) & 1u;
    }
    case E_CONST:
        if (n->type == X_BOOL)
            return n->k.b;
        break;
    default:
        break;
    }
    cadre_value v;
    eval_value(x, (uint32_t)(n - x->nodes), env, &v);
    return truthy(&v);
}

static void eval_arith(const cadre_enode *n, const cadre_value *a,
                       const cadre_value *b, cadre_value *out)
{
    if (a->type == CADRE_V_NUMBER && b->type == CADRE_V_NUMBER) {
        double r;
        switch (n->aux) {
        case '+': r = a->u.n + b->u.n; break;
        case '-': r = a->u.n - b->u.n; break;
        case '*': r = a->u.n * b->u.n; break;
        default:
            if (b->u.n == 0) {
                set_null(out);
                return;
            }
            r = a->u.n / b->u.n;
            break;
        }
        set_num(out, r);
        return;
    }
    if (a->type == CADRE_V_DATE && b->type == CADRE_V_DATE && n->aux == '-') {
        set_num(out, (double)(cadre_date_days(a->u.d) -
                              cadre_date_days(b->u.d)));
        return;
    }
    const cadre_value *d = a, *k = b;
    if (a->type == CADRE_V_NUMBER && n->aux == '+') {
        d = b;
        k = a;
    }
    if (d->type == CADRE_V_DATE && k->type == CADRE_V_NUMBER &&
        (n->aux == '+' || (n->aux == '-' && d == a))) {
        /* Dates span years 1 to 9999, under 4 million days: a shift
         * beyond that leaves them, and converting or adding a larger one
         * would overflow (undefined behaviour). */
        if (!(k->u.n > -4e6 && k->u.n < 4e6)) {
            set_null(out);
            return;
        }
        long shift = (long)k->u.n;
        long days = cadre_date_days(d->u.d) + (n->aux == '+' ? shift : -shift);
        cadre_date r = cadre_date_from_days(days);
        if (r.year < 1 || r.year > 9999)
            set_null(out);
        else
            set_date(out, r);
        return;
    }
    set_null(out);
}

static void eval_call(const cadre_expr *x, const cadre_enode *n,
                      const cadre_env *env, cadre_value *out)
{
    const uint32_t *args = x->args + n->b;
    cadre_value a, b;
    switch (n->aux) {
    case FN_RUNS_IN:
    case FN_ENDS_IN:
    case FN_STARTS_IN: {
        const cadre_course *c = eval_record(x, args[0], env);
        eval_value(x, args[1], env, &b);
        /* Years are 1..9999; beyond int the conversion is undefined. */
        if (!c || b.type != CADRE_V_NUMBER || !(b.u.n > -100000) ||
            !(b.u.n < 100000)) {
            set_bool(out, false);
            return;
        }
        int y = (int)b.u.n;
        if (n->aux == FN_RUNS_IN)
            set_bool(out, cadre_course_runs_in(c, y));
        else if (n->aux == FN_ENDS_IN)
            set_bool(out, c->end.year == y);
        else
            set_bool(out, c->start.year == y);
        return;
    }
    case FN_YEAR:
        eval_value(x, args[0], env, &a);
        if (a.type == CADRE_V_DATE)
            set_num(out, a.u.d.year);
        else
            set_null(out);
        return;
    case FN_AGE: {
        eval_value(x, args[0], env, &a);
        int age = a.type == CADRE_V_DATE ? cadre_date_age(a.u.d, as_of(env))
                                         : -1;
        if (age < 0)
            set_null(out);
        else
            set_num(out, age);
        return;
    }
    case FN_IF:
        eval_value(x, eval_test(x, args[0], env) ? args[1] : args[2], env,
                   out);
        return;
    case FN_PERCENT:
        eval_value(x, args[0], env, &a);
        eval_value(x, args[1], env, &b);
        if (a.type != CADRE_V_NUMBER || b.type != CADRE_V_NUMBER ||
            b.u.n == 0)
            set_num(out, 0);
        else
            set_num(out, a.u.n / b.u.n * 100);
        return;
    case FN_HAS:
        eval_value(x, args[0], env, &a);
        set_bool(out, a.type != CADRE_V_NULL &&
                          !(a.type == CADRE_V_STRING && a.u.s[0] == '\0'));
        return;
    }
    set_null(out);
}

/* What an aggregate gathers while it walks. */
struct agg_acc {
    double sum;        /* sum of values */
    size_t count;      /* items (count) or values (sum, avg) */
    cadre_value best;  /* min or max so far */
};

static void agg_take(const cadre_expr *x, const cadre_enode *n,
                 const cadre_env *env, struct agg_acc *acc)
{
    if (n->b == CADRE_ENONE) {
        acc->count++;
        return;
    }
    cadre_value v;
    eval_value(x, n->b, env, &v);
    if (v.type != CADRE_V_NUMBER && v.type != CADRE_V_DATE)
        return;
    if (n->aux == AGG_SUM || n->aux == AGG_AVG) {
        if (v.type == CADRE_V_NUMBER) {
            acc->sum += v.u.n;
            acc->count++;
        }
        return;
    }
    int order;
    if (acc->count == 0 || (compare_values(&v, &acc->best, true, &order) &&
                            (n->aux == AGG_MIN ? order < 0 : order > 0)))
        acc->best = v;
    acc->count++;
}

/* Whether a unit is within what env counts (within_unit, within_units). */
static bool unit_counts(const cadre_env *env, uint32_t u, uint32_t within)
{
    return (within == CADRE_NONE || in_unit(env->records, u, within)) &&
           (!env->within_units || env->within_units[u]);
}

static bool course_counts(const cadre_env *env, const cadre_course *k,
                          uint32_t within)
{
    const cadre_records *r = env->records;
    for (uint32_t i = 0; i < k->count; i++) {
        const cadre_participant *p = &r->participants[k->first + i];
        if (unit_counts(env, r->cadres[p->cadre].unit, within))
            return true;
    }
    return false;
}

/* people(): was cadre `ci` counted already?  Uses `seen` when it could be
 * allocated, else looks back over the matches before `upto`. */
static bool seen_before(const cadre_expr *x, const cadre_enode *n,
                        cadre_env *e, uint32_t ci, size_t from, size_t upto)
{
    const cadre_records *r = e->records;
    const cadre_participant *keep = e->participant;
    const cadre_course *keep_course = e->course;
    const cadre_cadre *keep_cadre = e->cadre;
    const cadre_unit *keep_unit = e->unit;
    bool found = false;
    for (size_t j = from; j < upto && !found; j++) {
        const cadre_participant *p = &r->participants[j];
        if (p->cadre != ci)
            continue;
        e->participant = p;
        e->course = &r->courses[p->course];
        e->cadre = &r->cadres[p->cadre];
        e->unit = &r->units[e->cadre->unit];
        found = n->a == CADRE_ENONE || eval_test(x, n->a, e);
    }
    e->participant = keep;
    e->course = keep_course;
    e->cadre = keep_cadre;
    e->unit = keep_unit;
    return found;
}

/* Walk the participants that count (those of course `wc` when it is
 * not CADRE_NONE, of cadres in unit `wu`) into `acc`; people() takes
 * each cadre once. */
static void walk_participants(const cadre_expr *x, const cadre_enode *n,
                              cadre_env *e, uint32_t wu, uint32_t wc,
                              struct agg_acc *acc)
{
    const cadre_records *r = e->records;
    size_t lo = 0, hi = r->n_participants;
    uint8_t *seen = NULL;
    if (wc != CADRE_NONE) {
        lo = r->courses[wc].first;
        hi = lo + r->courses[wc].count;
    }
    if (n->aux == AGG_PEOPLE)
        seen = calloc(r->n_cadres / 8 + 1, 1);
    for (size_t i = lo; i < hi; i++) {
        const cadre_participant *p = &r->participants[i];
        const cadre_cadre *c = &r->cadres[p->cadre];
        if (!unit_counts(e, c->unit, wu))
            continue;
        e->participant = p;
        e->course = &r->courses[p->course];
        e->cadre = c;
        e->unit = &r->units[c->unit];
        if (n->a != CADRE_ENONE && !eval_test(x, n->a, e))
            continue;
        if (n->aux == AGG_PEOPLE) {
            if (seen) {
                if (seen[p->cadre / 8] & (1u << (p->cadre % 8)))
                    continue;
                seen[p->cadre / 8] |= (uint8_t)(1u << (p->cadre % 8));
            } else if (seen_before(x, n, e, p->cadre, lo, i)) {
                continue;
            }
        }
        agg_take(x, n, e, acc);
    }
    free(seen);
}

/* What aggregate `n` gives from what it gathered. */
static void agg_result(const cadre_enode *n, const struct agg_acc *acc,
                       cadre_value *out)
{
    switch (n->aux) {
    case AGG_COUNT:
    case AGG_PEOPLE:
        set_num(out, (double)acc->count);
        return;
    case AGG_SUM:
        set_num(out, acc->sum);
        return;
    case AGG_AVG:
        if (acc->count)
            set_num(out, acc->sum / (double)acc->count);
        else
            set_null(out);
        return;
    default:
        *out = acc->best;
        return;
    }
}

static void aggregate(const cadre_expr *x, const cadre_enode *n,
                      const cadre_env *env, cadre_value *out)
{
    const cadre_records *r = env->records;
    struct agg_acc acc = { 0, 0, { .type = CADRE_V_NULL } };
    cadre_env e = *env;
    uint32_t wu = env->within_unit, wc = env->within_course;
    if (!r) {
        set_num(out, 0);
        return;
    }
    if (wu != CADRE_NONE && wu >= r->n_units)
        wu = CADRE_NONE;
    if (wc != CADRE_NONE && wc >= r->n_courses)
        wc = CADRE_NONE;
    switch (n->aux2) {
    case COLL_CADRES:
        for (size_t i = 0; i < r->n_cadres; i++) {
            const cadre_cadre *c = &r->cadres[i];
            if (!unit_counts(env, c->unit, wu))
                continue;
            e.cadre = c;
            e.unit = &r->units[c->unit];
            if (n->a == CADRE_ENONE || eval_test(x, n->a, &e))
                agg_take(x, n, &e, &acc);
        }
        break;
    case COLL_PARTICIPANTS:
        walk_participants(x, n, &e, wu, wc, &acc);
        break;
    case COLL_COURSES:
        for (size_t i = 0; i < r->n_courses; i++) {
            const cadre_course *k = &r->courses[i];
            if (wc != CADRE_NONE && i != wc)
                continue;
            if ((wu != CADRE_NONE || env->within_units) &&
                !course_counts(env, k, wu))
                continue;
            e.course = k;
            if (n->a == CADRE_ENONE || eval_test(x, n->a, &e))
                agg_take(x, n, &e, &acc);
        }
        break;
    default:
        for (size_t i = 0; i < r->n_units; i++) {
            if (!unit_counts(env, (uint32_t)i, wu))
                continue;
            e.unit = &r->units[i];
            if (n->a == CADRE_ENONE || eval_test(x, n->a, &e))
                agg_take(x, n, &e, &acc);
        }
        break;
    }
    agg_result(n, &acc, out);
}

/* A constant's value. */
static void eval_const(const cadre_enode *n, cadre_value *out)
{
    switch (n->type) {
    case X_BOOL: set_bool(out, n->k.b); return;
    case X_NUMBER: set_num(out, n->k.n); return;
    case X_STRING: set_str(out, n->k.s); return;
    case X_DATE: set_date(out, n->k.d); return;
    case X_CODE:
        out->type = CADRE_V_CODE;
        out->kind = (cadre_code_kind)n->kind;
        out->u.code = n->k.code;
        return;
    }
    set_null(out);
}

/* A record shown as text: a cadre's name, a unit's name, a course's
 * title. */
static void eval_show(const cadre_expr *x, const cadre_enode *n,
                      const cadre_env *env, cadre_value *out)
{
    const void *o = eval_record(x, n->a, env);
    if (!o) {
        set_null(out);
        return;
    }
    switch (x->nodes[n->a].type) {
    case X_CADRE: set_str(out, ((const cadre_cadre *)o)->full_name); return;
    case X_UNIT: set_str(out, ((const cadre_unit *)o)->name); return;
    case X_COURSE: set_str(out, ((const cadre_course *)o)->title); return;
    }
    set_null(out);
}

/* as-of, issuer, place, signer, signer-title, year. */
static void eval_global(const cadre_enode *n, const cadre_env *env,
                        cadre_value *out)
{
    const cadre_records *r = env->records;
    switch (n->aux) {
    case G_AS_OF: set_date(out, as_of(env)); return;
    case G_ISSUER: set_str(out, r ? r->issuer : NULL); return;
    case G_PLACE: set_str(out, r ? r->place : NULL); return;
    case G_SIGNER: set_str(out, r ? r->signer : NULL); return;
    case G_SIGNER_TITLE: set_str(out, r ? r->signer_title : NULL); return;
    default:
        if (env->year)
            set_num(out, env->year);
        else
            set_null(out);
        return;
    }
}

static void eval_value(const cadre_expr *x, uint32_t i, const cadre_env *env,
                       cadre_value *out)
{
    const cadre_enode *n = &x->nodes[i];
    cadre_value a, b;
    switch (n->op) {
    case E_CONST:
        eval_const(n, out);
        return;
    case E_FIELD:
        eval_field(n, eval_record(x, n->a, env), env, out);
        return;
    case E_SHOW:
        eval_show(x, n, env, out);
        return;
    case E_GLOBAL:
        eval_global(n, env, out);
        return;
    case E_VAR:
        if (env->vars)
            *out = env->vars[n->k.code];
        else
            set_null(out);
        return;
    case E_FCMP:
    case E_AND:
    case E_OR:
    case E_NOT:
    case E_INMASK:
        set_bool(out, eval_test(x, i, env));
        return;
    case E_CMP:
        eval_value(x, n->a, env, &a);
        eval_value(x, n->b, env, &b);
        set_bool(out, cmp_op(n->aux, &a, &b));
        return;
    case E_IN: {
        bool found = false;
        eval_value(x, n->a, env, &a);
        if (a.type != CADRE_V_NULL) {
            for (uint32_t k = 0; k < n->c && !found; k++) {
                eval_value(x, x->args[n->b + k], env, &b);
                found = cmp_op(OP_EQ, &a, &b);
            }
        }
        set_bool(out, found != (n->aux != 0));
        return;
    }
    case E_NEG:
        eval_value(x, n->a, env, &a);
        if (a.type == CADRE_V_NUMBER)
            set_num(out, -a.u.n);
        else
            set_null(out);
        return;
    case E_ARITH:
        eval_value(x, n->a, env, &a);
        eval_value(x, n->b, env, &b);
        eval_arith(n, &a, &b, out);
        return;
    case E_CALL:
        eval_call(x, n, env, out);
        return;
    case E_AGG:
        if (env->aggs && env->aggs->value(env->aggs->data, x, i, out))
            return;
        aggregate(x, n, env, out);
        return;
    default:
        set_null(out); /* a record where a value is wanted: cannot happen */
        return;
    }
}

void cadre_expr_eval(const cadre_expr *e, const cadre_env *env,
                     cadre_value *out)
{
    eval_value(e, e->root, env, out);
}

bool cadre_expr_test(const cadre_expr *e, const cadre_env *env)
{
    return eval_test(e, e->root, env);
}
