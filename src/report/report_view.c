/*
 * report_view.c - the records as of a day, with the options' root values
 * (report_view.h).
 */
#include <stdlib.h>
#include <string.h>

#include "cadre/text.h"
#include "report_view.h"

/* The course as of `day`: 1 when it had started, 2 when it had ended. */
static int course_state(const cadre_course *k, cadre_date day)
{
    if (cadre_date_compare(k->start, day) > 0)
        return 0;
    return cadre_date_compare(k->end, day) > 0 ? 1 : 2;
}

/* A participant of a course still running on the day: no result yet. */
static cadre_participant still_running(cadre_participant p)
{
    if (p.status == CADRE_STATUS_COMPLETED || p.status == CADRE_STATUS_FAILED)
        p.status = CADRE_STATUS_ENROLLED;
    p.grade = CADRE_GRADE_NONE;
    p.has_score = false;
    p.certificate_no = NULL;
    p.issued = (cadre_date){ 0, 0, 0 };
    return p;
}

/* Copy the courses started by `day`, and their participants as they
 * stood on it. */
static int copy_as_of(records_view *v, const cadre_records *r, cadre_date day)
{
    v->courses = malloc((r->n_courses + 1) * sizeof *v->courses);
    v->participants = malloc((r->n_participants + 1) *
                             sizeof *v->participants);
    if (!v->courses || !v->participants)
        return -1;
    size_t nk = 0, np = 0;
    for (size_t i = 0; i < r->n_courses; i++) {
        const cadre_course *k = &r->courses[i];
        int state = course_state(k, day);
        if (state == 0)
            continue;
        cadre_course *c = &v->courses[nk];
        *c = *k;
        c->first = (uint32_t)np;
        for (uint32_t j = 0; j < k->count; j++) {
            cadre_participant p = r->participants[k->first + j];
            p.course = (uint32_t)nk;
            v->participants[np++] = state == 1 ? still_running(p) : p;
        }
        nk++;
    }
    v->recs.courses = v->courses;
    v->recs.n_courses = nk;
    v->recs.participants = v->participants;
    v->recs.n_participants = np;
    return 0;
}

/* The text of an option given for a root value, tidied as the loader
 * tidies the records' own (NFC, white space): into *out, or NULL when
 * not given.  Returns CADRE_OK, CADRE_EINVALID or CADRE_ENOMEM. */
static cadre_error option_text(const char *v, const char *option, char **out,
                               cadre_diags *diags)
{
    *out = NULL;
    if (!v)
        return CADRE_OK;
    size_t at;
    uint32_t cp;
    if (cadre_text_check(v, strlen(v), &at, &cp) != CADRE_TEXT_OK) {
        cadre_diags_error(diags, NULL, 0, "invalid text for --%s (byte %zu): "
                          "expected UTF-8 without control characters",
                          option, at + 1);
        return CADRE_EINVALID;
    }
    size_t len;
    if (!(*out = cadre_text_nfc(v, strlen(v), &len))) {
        cadre_diags_error(diags, NULL, 0, "out of memory");
        return CADRE_ENOMEM;
    }
    if (cadre_text_tidy(*out, len, NULL) == 0) {
        cadre_diags_error(diags, NULL, 0, "empty --%s", option);
        return CADRE_EINVALID;
    }
    return CADRE_OK;
}

cadre_error records_view_init(records_view *v, const cadre_records *recs,
                              cadre_date day, const cadre_report_options *opt,
                              cadre_diags *diags)
{
    memset(v, 0, sizeof *v);
    v->recs = *recs;
    v->recs.as_of = day;
    const char *values[4] = { opt->issuer, opt->place, opt->signer,
                              opt->signer_title };
    static const char *const options[4] = { "issuer", "place", "signer",
                                            "signer-title" };
    const char **fields[4] = { &v->recs.issuer, &v->recs.place,
                               &v->recs.signer, &v->recs.signer_title };
    for (int k = 0; k < 4; k++) {
        cadre_error err = option_text(values[k], options[k], &v->given[k],
                                      diags);
        if (err)
            return err;
        if (v->given[k])
            *fields[k] = v->given[k];
    }
    bool past = false;
    for (size_t i = 0; i < recs->n_courses && !past; i++)
        past = course_state(&recs->courses[i], day) != 2;
    if (past && copy_as_of(v, recs, day) < 0) {
        cadre_diags_error(diags, NULL, 0, "out of memory");
        return CADRE_ENOMEM;
    }
    return CADRE_OK;
}

void records_view_release(records_view *v)
{
    for (int k = 0; k < 4; k++)
        free(v->given[k]);
    free(v->courses);
    free(v->participants);
    memset(v, 0, sizeof *v);
}
