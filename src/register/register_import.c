/* register_import.c - numbers the records already hold entered in the
 * register (cadre_register_import), in the order of their issue. */
#include <stdlib.h>
#include <string.h>

#include "register_draw.h"

/* A number the records give, to enter. */
struct given {
    uint32_t participant;
    uint32_t course;
    long day;   /* its issue date */
    size_t rank; /* its cadre's place in the order of names */
};

static int given_cmp(const void *a, const void *b)
{
    const struct given *x = a, *y = b;
    if (x->day != y->day)
        return x->day < y->day ? -1 : 1;
    if (x->course != y->course)
        return x->course < y->course ? -1 : 1;
    return x->rank < y->rank ? -1 : x->rank > y->rank;
}

/* The numbers to enter: completed participants of the courses asked for
 * (every course: n_courses 0) with a certificate-no, in the order of
 * issue, course and name. */
static struct given *gather(const cadre_records *recs,
                            const char *const *courses, size_t n_courses,
                            size_t *n, cadre_diags *diags)
{
    uint32_t *order = malloc((recs->n_cadres ? recs->n_cadres : 1) * sizeof *order);
    size_t *rank = malloc((recs->n_cadres ? recs->n_cadres : 1) * sizeof *rank);
    struct given *g = malloc((recs->n_participants ? recs->n_participants : 1) *
                             sizeof *g);
    cadre_error err = order && rank && g ? CADRE_OK : CADRE_ENOMEM;
    for (size_t i = 0; !err && i < recs->n_cadres; i++)
        order[i] = (uint32_t)i;
    if (!err)
        err = cadre_records_sort_cadres(recs, order, recs->n_cadres);
    for (size_t i = 0; !err && i < recs->n_cadres; i++)
        rank[order[i]] = i;
    *n = 0;
    for (size_t k = 0; !err && k < n_courses; k++)
        if (cadre_records_find_course(recs, courses[k]) == CADRE_NONE) {
            cadre_diags_error(diags, NULL, 0, "no course '%s' in the records",
                              courses[k]);
            err = CADRE_ENOTFOUND;
        }
    for (uint32_t ci = 0; !err && ci < recs->n_courses; ci++) {
        const cadre_course *course = &recs->courses[ci];
        bool wanted = n_courses == 0;
        for (size_t k = 0; k < n_courses; k++)
            wanted |= !strcmp(courses[k], course->id);
        for (uint32_t j = 0; wanted && j < course->count; j++) {
            const cadre_participant *p = &recs->participants[course->first + j];
            if (!p->certificate_no || p->status != CADRE_STATUS_COMPLETED)
                continue;
            cadre_date d = cadre_date_is_set(p->issued) ? p->issued : course->end;
            g[(*n)++] = (struct given){ course->first + j, ci,
                                        cadre_date_days(d), rank[p->cadre] };
        }
    }
    free(order);
    free(rank);
    if (err == CADRE_ENOMEM)
        cadre_diags_error(diags, NULL, 0, "out of memory");
    if (err) {
        free(g);
        return NULL;
    }
    qsort(g, *n, sizeof *g, given_cmp);
    return g;
}

/* Enter one number the records give, through `is` (whose one-cert batch
 * is set to it here); *present is set when the register has it already
 * for the same certificate. */
static cadre_error import_one(struct issue *is, const struct given *g,
                              bool *present)
{
    const cadre_records *recs = is->b->recs;
    const cadre_participant *p = &recs->participants[g->participant];
    const cadre_course *course = &recs->courses[g->course];
    const cadre_cadre *cadre = &recs->cadres[p->cadre];
    cadre_cert *cert = is->b->certs;
    free(cert->number);
    free(cert->register_no);
    *cert = (cadre_cert){ .participant = g->participant,
                          .issued = cadre_date_is_set(p->issued) ? p->issued
                                                                 : course->end };
    is->b->course = course;
    *present = false;
    static const char sql[] =
        "SELECT number FROM entry WHERE course_id = ?1 AND cadre_id = ?2 "
        "AND (status = 'issued' OR number = ?3) ORDER BY number = ?3 DESC "
        "LIMIT 1";
    cadre_error err = reg_check_body(is->reg, course->organizer, is->diags);
    sqlite3_stmt *st = err ? NULL : reg_cached(is->reg, sql, is->diags);
    if (!err && !st)
        err = CADRE_EIO;
    if (!err) {
        reg_bind_text(st, 1, course->id);
        reg_bind_text(st, 2, cadre->id);
        reg_bind_text(st, 3, p->certificate_no);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW && !strcmp(reg_column_text(st, 0), p->certificate_no)) {
            *present = true;
        } else if (rc == SQLITE_ROW) {
            cadre_diags_error(is->diags, cadre_records_file(recs, p->src),
                              p->src.line, "%s in course %s has the number "
                              "'%s' in the records and '%s' in the register",
                              cadre->id, course->id, p->certificate_no,
                              reg_column_text(st, 0));
            err = CADRE_EINVALID;
        } else if (rc != SQLITE_DONE) {
            err = reg_fail(is->reg, is->diags, "read");
        }
        sqlite3_reset(st);
    }
    if (!err && !*present)
        err = reg_draw(is, 0, 0, NULL);
    return err;
}

cadre_error cadre_register_import(cadre_register *reg,
                                  const cadre_records *recs,
                                  const cadre_cert_tmpl *t,
                                  const char *const *courses, size_t n_courses,
                                  size_t *entered, size_t *present,
                                  cadre_diags *diags)
{
    size_t n = 0, in = 0, had = 0;
    struct given *g = gather(recs, courses, n_courses, &n, diags);
    if (!g)
        return CADRE_EINVALID;
    cadre_cert cert = { 0 };
    cadre_cert_batch one = { .recs = recs, .certs = &cert, .n = 1 };
    cadre_register_issue_options o;
    cadre_register_issue_options_init(&o, NULL);
    struct slot slot = { 0 };
    struct issue is = { .reg = reg, .t = t, .b = &one, .o = &o,
                        .diags = diags, .slots = &slot };
    strmap_init(&is.numbers);
    /* one transaction: all the numbers or none */
    cadre_error err = reg_begin(reg, diags);
    for (size_t i = 0; i < n && !err; i++) {
        bool was = false;
        err = import_one(&is, &g[i], &was);
        had += was;
        in += !was;
    }
    free(cert.number);
    free(cert.register_no);
    free(g);
    err = err ? (reg_rollback(reg), err) : reg_commit(reg, diags);
    if (entered)
        *entered = err ? 0 : in;
    if (present)
        *present = err ? 0 : had;
    return err;
}
