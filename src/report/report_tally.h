/*
 * report_tally.h (internal) - the one-pass aggregation behind cadre-report.
 *
 * A booklet holds hundreds of counts ("count(cadres where education >=
 * cao-dang)" in a sentence, 30 columns times 300 units in a table, a chart's
 * series).  Evaluated one by one, each count walks every cadre: 300 x 30 x
 * 1,000,000.  Instead the booklet registers every expression it will
 * evaluate (tally_want), the tally walks the cadres once and the
 * participants once (tally_run), keeping per-unit sums, and expressions
 * are then evaluated with their aggregates' values taken from the tally
 * (cadre_env.aggs) for the scope asked: the whole selection, one unit and
 * the units below it, or one level of units.  Expressions are never
 * changed.
 *
 *     tally *t = tally_new(recs, &env, NULL);
 *     tally_want(t, e, NULL, 0);              // for every expression
 *     tally_run(t);
 *     tally_query q = { t, NULL, 0, { SCOPE_UNIT, u } };
 *     cadre_agg_source src = tally_source(&q);
 *     env.aggs = &src;
 *     cadre_expr_eval(e, &env, &v);           // no walk over the records
 *
 * Aggregates the tally cannot take (over courses or units, min and max, an
 * aggregate inside another's condition) are left to the evaluator: still
 * correct, only slower.
 */
#ifndef CADRE_REPORT_TALLY_H
#define CADRE_REPORT_TALLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cadre/expr.h"

#define TALLY_MAX_VARS 4 /* extra variables an expression is tallied with */

typedef struct tally tally;

enum tally_scope_kind {
    SCOPE_ALL,   /* every selected unit */
    SCOPE_UNIT,  /* id: a unit, with the units below it */
    SCOPE_LEVEL  /* id: a level (enum cadre_level): units of that level */
};

typedef struct tally_scope {
    enum tally_scope_kind kind; /* what is counted */
    uint32_t id;                /* the unit or level */
} tally_scope;

/* A tally over `recs`.  `base` gives year and as-of (copied).  `selected`,
 * when not NULL, has one flag per unit: only cadres of flagged units (and
 * their attendances) count; it is borrowed until tally_free().  NULL
 * when out of memory. */
tally *tally_new(const cadre_records *recs, const cadre_env *base,
                 const uint8_t *selected);

/* Register every aggregate of `e`, to be evaluated with the extra variables
 * `vars` (copied; at most TALLY_MAX_VARS).  Returns 0, or -1 when out of
 * memory.  `e` is borrowed and must outlive the tally. */
int tally_want(tally *t, const cadre_expr *e, const cadre_value *vars,
               size_t n_vars);

/* Walk the records once and compute every registered aggregate.  Returns
 * 0, or -1 when out of memory. */
int tally_run(tally *t);

/* What an evaluation asks the tally for: its variables and its scope. */
typedef struct tally_query {
    const tally *t;
    const cadre_value *vars; /* as registered */
    size_t n_vars;
    tally_scope scope;
} tally_query;

/* The source that gives the tallied aggregates of `q` (borrowed: it must
 * outlive the evaluations); the others are left to the evaluator. */
cadre_agg_source tally_source(const tally_query *q);

void tally_free(tally *t);

#endif
