/*
 * expr_plan.h (internal) - an expression's aggregates taken apart for an
 * aggregator that walks the records once for many of them (the booklet's
 * tally, src/report/report_tally.c).
 *
 * A plan says what an aggregate counts, splits its condition into its
 * and-ed parts and says what each part reads of the item walked, so that
 * a part on codes alone can be decided once per combination of codes, a
 * part on the course once per course.  The parts are expressions of their
 * own, evaluated with cadre_expr_test(); the aggregator gives its results
 * back through cadre_env.aggs.  Nothing here changes the expression.
 *
 *     uint32_t id;
 *     cadre_expr_aggs(e, &id, 1);
 *     cadre_agg_plan p;
 *     if (cadre_agg_plan_init(&p, e, id) == 0) {
 *         for (size_t k = 0; k < p.n_parts; k++)
 *             if (p.parts[k].reads == CADRE_READS_CODES) ...
 *         cadre_agg_plan_release(&p);
 *     }
 */
#ifndef CADRE_EXPR_PLAN_H
#define CADRE_EXPR_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "cadre/expr.h"

/* What an aggregate computes. */
enum cadre_agg_kind {
    CADRE_AGG_COUNT, CADRE_AGG_PEOPLE, CADRE_AGG_SUM, CADRE_AGG_AVG,
    CADRE_AGG_MIN, CADRE_AGG_MAX
};

/* What it walks. */
enum cadre_agg_collection {
    CADRE_COLL_CADRES, CADRE_COLL_PARTICIPANTS, CADRE_COLL_COURSES,
    CADRE_COLL_UNITS
};

/* What a part reads of the item walked (a cadre, or a participant and
 * its cadre and course). */
enum {
    CADRE_READS_CODES = 1,      /* the cadre's codes: gender, category,
                                   education, political theory, state
                                   management, party membership, leader,
                                   minority; its unit's level */
    CADRE_READS_COURSE = 2,     /* the participant's course */
    CADRE_READS_AGE = 4,        /* the cadre's age */
    CADRE_READS_ITEM = 8,       /* anything else of the item */
    CADRE_READS_AGGREGATE = 16  /* an aggregate inside it */
};

typedef struct cadre_agg_part {
    const cadre_expr *e;   /* the part, an expression of its own (it
                              borrows the whole's nodes) */
    unsigned reads;        /* CADRE_READS_* */
} cadre_agg_part;

typedef struct cadre_agg_plan {
    int kind;              /* enum cadre_agg_kind */
    int collection;        /* enum cadre_agg_collection */
    cadre_agg_part *parts; /* the condition's and-ed parts; none: every
                              item counts */
    size_t n_parts;        /* how many */
    cadre_agg_part value;  /* what sum, avg, min and max take; e is NULL
                              for count and people */
    cadre_expr *views;     /* where the parts live */
} cadre_agg_plan;

/* Take aggregate `agg` of `e` (a number from cadre_expr_aggs()) apart
 * into `p`.  Returns 0, or -1 when out of memory or `agg` is not an
 * aggregate.  `e` is borrowed and must outlive the plan; release the plan
 * with cadre_agg_plan_release(). */
int cadre_agg_plan_init(cadre_agg_plan *p, const cadre_expr *e, uint32_t agg);

void cadre_agg_plan_release(cadre_agg_plan *p);

#endif
