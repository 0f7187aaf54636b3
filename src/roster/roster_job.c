/*
 * roster_job.c - the helpers every stage of the roster writer uses
 * (roster_job.h): running out of memory, rendering text, the
 * environments rows and titles are evaluated in.
 */
#include <stdlib.h>

#include "roster_job.h"
#include "util/grow.h"

void job_oom(roster_job *j)
{
    if (j->err == CADRE_OK)
        cadre_diags_error(j->diags, NULL, 0, "out of memory");
    j->err = CADRE_ENOMEM;
}

const char *job_render(roster_job *j, const cadre_tmpl_text *t,
                       const cadre_env *env)
{
    if (!GROW(j->buf, j->cap, 256)) {
        job_oom(j);
        return "";
    }
    size_t n = cadre_tmpl_text_render(t, env, j->buf, j->cap);
    if (n >= j->cap) {
        if (!GROW(j->buf, j->cap, n + 1)) {
            job_oom(j);
            return "";
        }
        cadre_tmpl_text_render(t, env, j->buf, j->cap);
    }
    return j->buf;
}

const cadre_course *job_title_course(const roster_job *j)
{
    if (j->n_courses)
        return &j->recs->courses[j->courses[0]];
    if (j->opt->participants && j->opt->n_participants &&
        j->opt->participants[0] < j->recs->n_participants)
        return &j->recs->courses[
            j->recs->participants[j->opt->participants[0]].course];
    return NULL;
}

void job_env(const roster_job *j, cadre_env *env)
{
    cadre_env_init(env, j->recs);
    env->as_of = j->as_of;
    env->year = j->as_of.year;
}

void job_sheet_env(const roster_job *j, size_t si, cadre_env *env)
{
    job_env(j, env);
    env->as_of = j->plans[si].day;
    env->year = env->as_of.year;
}

void job_bind_row(const roster_job *j, const roster_sheet *sh,
                  uint32_t item, cadre_env *env)
{
    const cadre_records *r = j->recs;
    switch (sh->rows) {
    case ROWS_CADRES:
        env->cadre = &r->cadres[item];
        break;
    case ROWS_PARTICIPANTS:
        env->participant = &r->participants[item];
        env->cadre = &r->cadres[env->participant->cadre];
        env->course = &r->courses[env->participant->course];
        break;
    default:
        env->unit = &r->units[item];
        break;
    }
}
