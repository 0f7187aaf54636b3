/*
 * report_tally.h (internal) - the one-pass aggregation behind cadre-report.
 *
 * A booklet holds hundreds of counts ("count(cadres where education >=
 * cao-dang)" in a sentence, 30 columns times 300 units in a table, a chart's
 * series).  Evaluated one by one, each count walks every cadre: 300 x 30 x
 * 1,000,000.  Instead the booklet registers every aggregate it will need
 * (rp_tally_want), the tally walks the cadres once and the participants
 * once (rp_tally_run), keeping per-unit sums, and each expression is then
 * evaluated with its aggregates replaced by the tallied numbers for the
 * scope asked (the whole selection, one unit and the units below it, or
 * one level of units).
 *
 *     rp_tally *t = rp_tally_new(recs, &env, NULL);
 *     rp_tally_want(t, e, NULL, 0);          // for every expression
 *     rp_tally_run(t);
 *     rp_tally_apply(t, e, NULL, 0, (rp_scope){ RP_UNIT, u });
 *     cadre_expr_eval(e, &env, &v);          // no walk over the records
 *     rp_tally_restore(t, e);
 *
 * Aggregates the tally cannot take (over courses or units, min and max, an
 * aggregate inside another, or inside one course's rows) are left to the
 * evaluator: still correct, only slower.
 */
#ifndef CADRE_REPORT_TALLY_H
#define CADRE_REPORT_TALLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cadre/expr.h"

#define RP_MAX_VARS 4 /* extra variables an expression may be tallied with */

typedef struct rp_tally rp_tally;

enum rp_scope_kind {
    RP_ALL,   /* every selected unit */
    RP_UNIT,  /* id: a unit, with the units below it */
    RP_LEVEL  /* id: a level (enum cadre_level): units of that level */
};

typedef struct rp_scope {
    enum rp_scope_kind kind; /* what is counted */
    uint32_t id;             /* the unit or level */
} rp_scope;

/* A tally over `recs`.  `base` gives year and as-of (copied).  `selected`,
 * when not NULL, has one flag per unit: only cadres of flagged units (and
 * their attendances) count; it is borrowed until rp_tally_free().  NULL
 * when out of memory. */
rp_tally *rp_tally_new(const cadre_records *recs, const cadre_env *base,
                       const uint8_t *selected);

/* Register every aggregate of `e`, to be evaluated with the extra variables
 * `vars` (copied; at most RP_MAX_VARS).  Returns 0, or -1 when out of
 * memory.  `e` is borrowed and must outlive the tally. */
int rp_tally_want(rp_tally *t, cadre_expr *e, const cadre_value *vars,
                  size_t n_vars);

/* Walk the records once and compute every registered aggregate.  Returns
 * 0, or -1 when out of memory. */
int rp_tally_run(rp_tally *t);

/* Replace every tallied aggregate of `e` (registered with the same vars)
 * by its value in `scope`, until rp_tally_restore().  Returns 0, or -1
 * when out of memory (`e` is then unchanged). */
int rp_tally_apply(rp_tally *t, cadre_expr *e, const cadre_value *vars,
                   size_t n_vars, rp_scope scope);

/* Undo the last rp_tally_apply() on `e`. */
void rp_tally_restore(rp_tally *t, cadre_expr *e);

void rp_tally_free(rp_tally *t);

#endif
