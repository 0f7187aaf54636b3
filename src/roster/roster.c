/*
 * roster.c - cadre_roster_write(): choose the units and courses asked
 * for, plan every sheet (roster_rows.c, roster_layout.c), then write the
 * workbook sheet by sheet (roster_sheet.c) through a temporary file; and
 * the helpers every stage shares (roster_job.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadre/files.h"
#include "roster_plan.h"
#include "roster_sheet.h"

void cadre_roster_options_init(cadre_roster_options *opt)
{
    memset(opt, 0, sizeof *opt);
}

/* ------------------------------------------------------------------ */
/* The units and courses asked for.                                    */

static cadre_error select_units(roster_job *j)
{
    const cadre_records *r = j->recs;
    j->unit_in = calloc(r->n_units ? r->n_units : 1, sizeof *j->unit_in);
    if (!j->unit_in)
        return CADRE_ENOMEM;
    if (j->opt->n_units == 0) {
        for (size_t u = 0; u < r->n_units; u++)
            j->unit_in[u] = true;
        return CADRE_OK;
    }
    bool *picked = calloc(r->n_units ? r->n_units : 1, sizeof *picked);
    if (!picked)
        return CADRE_ENOMEM;
    cadre_error err = CADRE_OK;
    for (size_t i = 0; i < j->opt->n_units; i++) {
        uint32_t u = cadre_records_find_unit(r, j->opt->units[i]);
        if (u == CADRE_NONE) {
            cadre_diags_error(j->diags, NULL, 0, "unknown unit '%s'",
                              j->opt->units[i]);
            err = CADRE_ENOTFOUND;
        } else
            picked[u] = true;
    }
    /* a unit is in when it or a unit above it was picked; the walk up
     * stops after n_units steps in case parents loop */
    for (size_t u = 0; u < r->n_units; u++) {
        uint32_t p = (uint32_t)u;
        for (size_t k = 0; p != CADRE_NONE && k <= r->n_units; k++) {
            if (picked[p]) {
                j->unit_in[u] = true;
                break;
            }
            p = r->units[p].parent;
        }
    }
    free(picked);
    return err;
}

static cadre_error select_courses(roster_job *j)
{
    if (j->opt->n_courses == 0)
        return CADRE_OK;
    j->courses = calloc(j->opt->n_courses, sizeof *j->courses);
    if (!j->courses)
        return CADRE_ENOMEM;
    cadre_error err = CADRE_OK;
    for (size_t i = 0; i < j->opt->n_courses; i++) {
        uint32_t c = cadre_records_find_course(j->recs, j->opt->courses[i]);
        if (c == CADRE_NONE) {
            cadre_diags_error(j->diags, NULL, 0, "unknown course '%s'",
                              j->opt->courses[i]);
            err = CADRE_ENOTFOUND;
            continue;
        }
        bool dup = false;
        for (size_t k = 0; k < j->n_courses; k++)
            dup |= j->courses[k] == c;
        if (!dup) /* a course given twice is listed once */
            j->courses[j->n_courses++] = c;
    }
    return err;
}

/* ------------------------------------------------------------------ */
/* The workbook.                                                       */

static time_t creation_time(const cadre_roster_options *opt)
{
    if (opt->created)
        return opt->created;
    time_t t; /* checked by cadre_roster_write() first */
    return cadre_source_date_get(&t, NULL) == CADRE_OK ? t : time(NULL);
}

static cadre_date day_of(time_t t)
{
    return cadre_date_from_days((long)(t / 86400));
}

static void set_props(roster_job *j, const roster_props *pr, char **keep)
{
    cadre_env env;
    job_env(j, &env);
    env.course = job_title_course(j);
    cadre_tmpl_text *src[7] = { pr->title, pr->subject, pr->author,
                                pr->company, pr->keywords, pr->comments,
                                pr->category };
    for (int i = 0; i < 7; i++)
        keep[i] = src[i] ? cadre_tmpl_text_render_new(src[i], &env) : NULL;
    const roster_sheet *first = &j->r->sheets[0];
    if (!keep[0] && first->n_titles)
        keep[0] = cadre_tmpl_text_render_new(first->titles[0], &env);
    if (!keep[2] && j->recs->issuer)
        keep[2] = strdup(j->recs->issuer);
    if (!keep[3] && j->recs->issuer)
        keep[3] = strdup(j->recs->issuer);
    if (!keep[5])
        keep[5] = strdup("cadrekit " CADRE_VERSION);
    lxw_doc_properties p = {
        .title = keep[0], .subject = keep[1], .author = keep[2],
        .company = keep[3], .keywords = keep[4], .comments = keep[5],
        .category = keep[6], .created = creation_time(j->opt),
    };
    xlsx_book_props(&j->bk, &p);
}

cadre_error cadre_roster_write(const cadre_roster *r,
                               const cadre_records *recs,
                               const cadre_roster_options *opt,
                               const char *path, cadre_diags *diags)
{
    roster_job j = { .r = r, .recs = recs, .opt = opt, .diags = diags };
    cadre_outfile out = { 0 };
    char *props[7] = { 0 };
    bool open = false;
    cadre_error err;
    time_t created;
    if (!opt->created && (err = cadre_source_date_get(&created, diags)))
        return err; /* a malformed SOURCE_DATE_EPOCH */
    created = creation_time(opt);
    j.as_of = cadre_date_is_set(opt->as_of) ? opt->as_of
              : cadre_date_is_set(recs->as_of) ? recs->as_of
                                               : day_of(created);

    if ((err = select_units(&j)) != CADRE_OK ||
        (err = select_courses(&j)) != CADRE_OK)
        goto fail;
    if (cadre_roster_wants_courses(r) && !j.n_courses && !opt->participants) {
        cadre_diags_error(diags, NULL, 0, "this roster lists the participants "
                          "of courses: give a course (--course ID)");
        err = CADRE_EINVALID;
        goto fail;
    }
    if (!(j.plans = calloc(r->n_sheets, sizeof *j.plans))) {
        err = CADRE_ENOMEM;
        goto fail;
    }
    for (size_t i = 0; i < r->n_sheets; i++)
        if ((err = plan_choose_rows(&j, &r->sheets[i], &j.plans[i])) !=
                CADRE_OK ||
            (err = plan_lay_out(&j, &r->sheets[i], &j.plans[i])) != CADRE_OK)
            goto fail;

    if ((err = cadre_outfile_begin(&out, path, diags)) != CADRE_OK)
        goto fail;
    open = true;
    if ((err = xlsx_book_open(&j.bk, out.tmp, path, created, diags)) !=
        CADRE_OK)
        goto fail;
    set_props(&j, &r->props, props);
    for (size_t i = 0; i < r->n_sheets && err == CADRE_OK; i++) {
        err = sheet_write(&j, i);
        if (err == CADRE_OK)
            err = j.bk.err;
    }
    if (err != CADRE_OK) {
        xlsx_book_discard(&j.bk);
        goto fail;
    }
    if ((err = xlsx_book_close(&j.bk)) != CADRE_OK)
        goto fail;
    open = false;
    err = cadre_outfile_commit(&out, diags);
    goto done;
fail:
    if (err == CADRE_ENOMEM && !diags->errors)
        cadre_diags_error(diags, NULL, 0, "out of memory");
    if (open || out.tmp)
        cadre_outfile_abort(&out);
done:
    for (int i = 0; i < 7; i++)
        free(props[i]);
    if (j.plans)
        for (size_t i = 0; i < r->n_sheets; i++) {
            free(j.plans[i].items);
            free(j.plans[i].width);
            print_release(&j.plans[i].print);
            for (size_t k = 0; j.plans[i].part_names && k < j.plans[i].n_parts;
                 k++)
                free(j.plans[i].part_names[k]);
            free(j.plans[i].part_names);
        }
    free(j.plans);
    free(j.unit_in);
    free(j.courses);
    free(j.buf);
    return err;
}
