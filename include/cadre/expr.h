/*
 * expr.h - the expression language shared by every template: conditions,
 * counts and values, as in
 *
 *     education >= cao-dang
 *     political-theory = trung-cap and unit.level = xa
 *     count(cadres where category in (cong-chuc, vien-chuc))
 *     count(participants where course.type = nghiep-vu and runs-in(course, year))
 *
 * and the text templates built on it ("Chứng nhận {cadre.gender|ong-ba}:
 * {cadre.full-name|upper}").  The full language is in docs/templates.md.
 *
 *     cadre_scope scope = { .roots = CADRE_ROOT_CADRE };
 *     cadre_expr *e = cadre_expr_compile("education >= cao-dang", &scope,
 *                                        "t.xml", 12, &diags);
 *     cadre_env env = { .records = recs, .cadre = &recs->cadres[0] };
 *     bool yes = cadre_expr_test(e, &env);
 *     cadre_expr_free(e);
 *
 * Expressions are checked when compiled (unknown names, a code not in its
 * list, wrong types) so that a template's errors are reported with its
 * file and line before any output is written.  Evaluation then cannot fail.
 *
 * Threads: compiling is reentrant.  A compiled expression is never
 * changed by evaluation (cadre_expr_eval and cadre_expr_test take it
 * const), so one may be evaluated from several threads at once, each with
 * its own cadre_env.
 */
#ifndef CADRE_EXPR_H
#define CADRE_EXPR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cadre/codes.h"
#include "cadre/date.h"
#include "cadre/error.h"
#include "cadre/records.h"

typedef enum cadre_vtype {
    CADRE_V_NULL,   /* no value (an optional field not given) */
    CADRE_V_BOOL,
    CADRE_V_NUMBER,
    CADRE_V_STRING,
    CADRE_V_DATE,
    CADRE_V_CODE
} cadre_vtype;

/* A value.  Strings are borrowed from the records, the template or the
 * caller, never owned by a value. */
typedef struct cadre_value {
    cadre_vtype type;     /* which member is set */
    cadre_code_kind kind; /* for CADRE_V_CODE: the list */
    union {
        bool b;
        double n;
        const char *s;
        cadre_date d;
        int code;
    } u;
} cadre_value;

/* The objects a template dialect binds while it evaluates. */
enum {
    CADRE_ROOT_CADRE = 1 << 0,       /* cadre.* (and unit.* of its unit) */
    CADRE_ROOT_COURSE = 1 << 1,      /* course.* */
    CADRE_ROOT_PARTICIPANT = 1 << 2, /* participant.* */
    CADRE_ROOT_UNIT = 1 << 3         /* unit.* */
};

/* What names an expression may use, fixed when it is compiled. */
typedef struct cadre_scope {
    unsigned roots;           /* CADRE_ROOT_* bound by the dialect */
    const char *const *vars;  /* extra variable names ("seq", "page"),
                                 NULL-terminated; may be NULL */
} cadre_scope;

typedef struct cadre_expr cadre_expr;

/* Values of aggregates computed elsewhere, as a one-pass tally over the
 * records computes hundreds at once (cadre-report): an evaluation that
 * meets an aggregate asks value() first, and walks the records itself
 * only when value() returns false.  `agg` says which aggregate of `e`
 * (one of the numbers cadre_expr_aggs() lists).  The expression is never
 * changed. */
typedef struct cadre_agg_source {
    bool (*value)(void *data, const cadre_expr *e, uint32_t agg,
                  cadre_value *out);
    void *data;            /* passed to value() */
} cadre_agg_source;

/* What names stand for while an expression is evaluated. */
typedef struct cadre_env {
    const cadre_records *records;          /* always set */
    const cadre_cadre *cadre;              /* bound for CADRE_ROOT_CADRE */
    const cadre_course *course;            /* bound for CADRE_ROOT_COURSE */
    const cadre_participant *participant;  /* for CADRE_ROOT_PARTICIPANT */
    const cadre_unit *unit;                /* for CADRE_ROOT_UNIT; when unset
                                              and cadre is, the cadre's unit */
    int year;                              /* the year of a report, or 0 */
    cadre_date as_of;                      /* the day counts are made for;
                                              unset: records->as_of */
    const cadre_value *vars;               /* values of scope.vars, same order */
    uint32_t within_unit;   /* CADRE_NONE, or aggregates count only the
                               cadres (and their attendances) of this unit
                               and the units below it */
    uint32_t within_course; /* CADRE_NONE, or aggregates over participants
                               and courses count only this course */
    const uint8_t *within_units; /* NULL, or a flag per unit: aggregates
                                    count only the cadres of flagged units
                                    (their attendances, the courses one of
                                    them attends, the flagged units), as
                                    well as within_unit says */
    const cadre_agg_source *aggs; /* NULL, or where the aggregates of the
                                     expression evaluated take their
                                     values from */
} cadre_env;

/* Fill `env` with no bindings: within_* are CADRE_NONE. */
void cadre_env_init(cadre_env *env, const cadre_records *recs);

/* Compile `src`.  On error, returns NULL and adds a message naming `file`
 * and `line` (where the expression sits in the template) to `diags`.
 * Caller owns the result; free with cadre_expr_free(). */
cadre_expr *cadre_expr_compile(const char *src, const cadre_scope *scope,
                               const char *file, unsigned long line,
                               cadre_diags *diags);

/* The type the expression yields (CADRE_V_NULL when it may vary). */
cadre_vtype cadre_expr_type(const cadre_expr *e);

/* True when the expression yields a year (year, cadre.birth-year,
 * year(date), year - 1 ...): a number to print as "2018", never grouped
 * as "2.018" (a number cell formatted "0", not "#,##0"). */
bool cadre_expr_is_year(const cadre_expr *e);

/* Evaluate.  `out` borrows from the records, the expression and env. */
void cadre_expr_eval(const cadre_expr *e, const cadre_env *env,
                     cadre_value *out);

/* Evaluate as a condition: null, false, 0 and "" are false. */
bool cadre_expr_test(const cadre_expr *e, const cadre_env *env);

/* The root values of the records an expression reads (as-of or today,
 * issuer, place, signer, signer-title), as CADRE_USES_* bits: a document
 * printing one the records lack can say so before it is written. */
enum {
    CADRE_USES_AS_OF = 1 << 0,
    CADRE_USES_ISSUER = 1 << 1,
    CADRE_USES_PLACE = 1 << 2,
    CADRE_USES_SIGNER = 1 << 3,
    CADRE_USES_SIGNER_TITLE = 1 << 4
};
unsigned cadre_expr_uses(const cadre_expr *e);

/* The aggregates of `e` (count(…), sum(…) …, those nested in another
 * too), each as the number a cadre_agg_source is asked with: up to `max`
 * of them into `ids`, in the order they are written (one nested in
 * another before it).  Returns how many there are (possibly more than
 * `max`). */
size_t cadre_expr_aggs(const cadre_expr *e, uint32_t *ids, size_t max);

void cadre_expr_free(cadre_expr *e);

/*
 * Text templates: literal text with {expression|filter|filter:arg}
 * placeholders; "{{" and "}}" stand for literal braces.
 */
typedef struct cadre_tmpl_text cadre_tmpl_text;

/* Compile a text template; errors as for cadre_expr_compile().  Caller owns
 * the result; free with cadre_tmpl_text_free(). */
cadre_tmpl_text *cadre_tmpl_text_compile(const char *src,
                                         const cadre_scope *scope,
                                         const char *file, unsigned long line,
                                         cadre_diags *diags);

/* True when the template has no placeholder (its text never changes). */
bool cadre_tmpl_text_is_constant(const cadre_tmpl_text *t);

/* Render into `buf` (NUL-terminated, truncated to `size`); returns the
 * full length, as snprintf() does. */
size_t cadre_tmpl_text_render(const cadre_tmpl_text *t, const cadre_env *env,
                              char *buf, size_t size);

/* Render into a new string.  Caller owns the result; free with free().
 * NULL when out of memory. */
char *cadre_tmpl_text_render_new(const cadre_tmpl_text *t,
                                 const cadre_env *env);

/* When the template is a single placeholder without filters
 * ("{cadre.birth-date}"), its expression (borrowed), so that a writer can
 * store the typed value (a number cell, a date cell); otherwise NULL. */
const cadre_expr *cadre_tmpl_text_single(const cadre_tmpl_text *t);

/* The root values the template prints: cadre_expr_uses() of its
 * placeholders, leaving out those with a default filter (they print
 * something when the value is missing). */
unsigned cadre_tmpl_text_uses(const cadre_tmpl_text *t);

/* The expressions of the template's placeholders, in order: up to `max`
 * of them (borrowed from `t`) into `out`.  Returns how many there are. */
size_t cadre_tmpl_text_exprs(const cadre_tmpl_text *t,
                             const cadre_expr **out, size_t max);

void cadre_tmpl_text_free(cadre_tmpl_text *t);

/* Format a value as text the way a placeholder without filters does:
 * numbers in Vietnamese form, dates dd/mm/yyyy, codes as their Vietnamese
 * word, booleans "Có"/"Không", null as "".  Returns the full length. */
size_t cadre_value_format(const cadre_value *v, char *buf, size_t size);

#endif
