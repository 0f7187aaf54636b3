/*
 * expr_plan.c - an aggregate's condition split into and-ed parts, each
 * with what it reads of the item walked (expr_plan.h).
 */
#include <stdlib.h>
#include <string.h>

#include "expr_internal.h"
#include "expr_plan.h"
#include "util/grow.h"

_Static_assert((int)CADRE_AGG_MAX == (int)AGG_MAX &&
               (int)CADRE_COLL_UNITS == (int)COLL_UNITS,
               "expr_plan.h numbers aggregates as expr_internal.h does");

#define MAX_AND_DEPTH 40 /* a longer chain of "and" stays one part */

/* Fields that are codes of the cadre or its unit (CADRE_READS_CODES). */
static bool code_field(int f)
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
static int item_record(const cadre_expr *x, uint32_t i)
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
    default: return -1; /* a parent unit */
    }
}

static unsigned field_reads(const cadre_expr *x, uint32_t obj, int f)
{
    switch (item_record(x, obj)) {
    case X_CADRE:
        if (f == F_CADRE_AGE)
            return CADRE_READS_AGE;
        return code_field(f) ? CADRE_READS_CODES : CADRE_READS_ITEM;
    case X_UNIT:
        return code_field(f) ? CADRE_READS_CODES : CADRE_READS_ITEM;
    case X_COURSE:
        return CADRE_READS_COURSE;
    default:
        return CADRE_READS_ITEM;
    }
}

static unsigned record_reads(const cadre_expr *x, uint32_t i)
{
    return item_record(x, i) == X_COURSE ? CADRE_READS_COURSE
                                         : CADRE_READS_ITEM;
}

/* What node `i` reads of the item (the compiler bounds the depth). */
static unsigned reads(const cadre_expr *x, uint32_t i)
{
    if (i == CADRE_ENONE)
        return 0;
    const cadre_enode *n = &x->nodes[i];
    unsigned d = 0;
    switch (n->op) {
    case E_CONST: case E_NULL: case E_GLOBAL: case E_VAR:
        return 0;
    case E_ROOT:
    case E_NAV:
        return record_reads(x, i);
    case E_FIELD:
        return field_reads(x, n->a, n->aux);
    case E_FCMP:
        return field_reads(x, n->a, n->aux2);
    case E_SHOW:
        return record_reads(x, n->a);
    case E_AGG:
        return CADRE_READS_AGGREGATE;
    case E_CALL:
        for (uint32_t k = 0; k < n->c; k++) {
            uint32_t a = x->args[n->b + k];
            int t = x->nodes[a].type;
            if (t == X_COURSE)
                d |= record_reads(x, a);
            else if (t >= X_CADRE)
                d |= CADRE_READS_ITEM;
            else
                d |= reads(x, a);
        }
        return d;
    case E_IN:
        d = reads(x, n->a);
        for (uint32_t k = 0; k < n->c; k++)
            d |= reads(x, x->args[n->b + k]);
        return d;
    case E_NOT: case E_NEG: case E_INMASK:
        return reads(x, n->a);
    case E_AND: case E_OR: case E_CMP: case E_ARITH:
        return reads(x, n->a) | reads(x, n->b);
    default:
        return CADRE_READS_ITEM;
    }
}

/* The and-ed parts under node `i`: their roots appended to p->parts'
 * views.  Returns 0 or -1 when out of memory. */
static int split(cadre_agg_plan *p, const cadre_expr *x, uint32_t i,
                 size_t *cap, int depth)
{
    const cadre_enode *n = &x->nodes[i];
    if (n->op == E_AND && depth < MAX_AND_DEPTH)
        return split(p, x, n->a, cap, depth + 1) < 0 ? -1
               : split(p, x, n->b, cap, depth + 1);
    if (!GROW(p->views, *cap, p->n_parts + 1))
        return -1;
    p->views[p->n_parts] = *x;
    p->views[p->n_parts++].root = i;
    return 0;
}

int cadre_agg_plan_init(cadre_agg_plan *p, const cadre_expr *e, uint32_t agg)
{
    memset(p, 0, sizeof *p);
    if (agg >= e->n_nodes || e->nodes[agg].op != E_AGG)
        return -1;
    const cadre_enode *n = &e->nodes[agg];
    p->kind = n->aux;
    p->collection = n->aux2;
    size_t cap = 0;
    if (n->a != CADRE_ENONE && split(p, e, n->a, &cap, 0) < 0)
        goto fail;
    /* the value's view goes last, after every part */
    p->parts = calloc(p->n_parts + 1, sizeof *p->parts);
    if (!p->parts || !GROW(p->views, cap, p->n_parts + 1))
        goto fail;
    for (size_t k = 0; k < p->n_parts; k++)
        p->parts[k] = (cadre_agg_part){ &p->views[k],
                                        reads(e, p->views[k].root) };
    if (n->b != CADRE_ENONE) {
        p->views[p->n_parts] = *e;
        p->views[p->n_parts].root = n->b;
        p->value = (cadre_agg_part){ &p->views[p->n_parts], reads(e, n->b) };
    }
    return 0;
fail:
    cadre_agg_plan_release(p);
    return -1;
}

void cadre_agg_plan_release(cadre_agg_plan *p)
{
    free(p->parts);
    free(p->views);
    memset(p, 0, sizeof *p);
}
