/* register_read.c - what the register tells: every certificate in the
 * order it entered, and the certificates of a course as the XLSX
 * register of cadre-cert --register shows them (register.h). */
#include <stdlib.h>
#include <string.h>

#include "register_internal.h"

cadre_error cadre_register_each(cadre_register *reg,
                                int (*fn)(const cadre_register_entry *e,
                                          void *ctx),
                                void *ctx, cadre_diags *diags)
{
    sqlite3_stmt *st = reg_prepare(
        reg, "SELECT " REG_ENTRY_COLUMNS " FROM entry ORDER BY id", diags);
    if (!st)
        return CADRE_EIO;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        cadre_register_entry e;
        reg_entry_read(st, 0, &e);
        if (fn(&e, ctx))
            break;
    }
    cadre_error err = rc == SQLITE_ROW || rc == SQLITE_DONE
                          ? CADRE_OK : reg_fail(reg, diags, "read");
    sqlite3_finalize(st);
    return err;
}

/* The certificates of the course the register holds as issued, as a
 * batch of the records. */
static cadre_error course_batch(cadre_register *reg, const cadre_records *recs,
                                const char *course_id, cadre_cert_batch *out,
                                cadre_diags *diags)
{
    memset(out, 0, sizeof *out);
    out->recs = recs;
    uint32_t ci = cadre_records_find_course(recs, course_id);
    if (ci == CADRE_NONE) {
        cadre_diags_error(diags, NULL, 0, "no course '%s' in the records",
                          course_id);
        return CADRE_ENOTFOUND;
    }
    const cadre_course *course = out->course = &recs->courses[ci];
    sqlite3_stmt *st = reg_prepare(
        reg, "SELECT cadre_id, number, register_no, issued FROM entry "
             "WHERE course_id = ? AND status = 'issued' ORDER BY id", diags);
    if (!st)
        return CADRE_EIO;
    reg_bind_text(st, 1, course_id);
    out->certs = calloc(course->count ? course->count : 1, sizeof *out->certs);
    cadre_error err = out->certs ? CADRE_OK : CADRE_ENOMEM;
    int rc;
    while (!err && out->n < course->count &&
           (rc = sqlite3_step(st)) == SQLITE_ROW) {
        uint32_t cadre = cadre_records_find_cadre(recs, reg_column_text(st, 0));
        uint32_t p = CADRE_NONE;
        for (uint32_t k = 0; cadre != CADRE_NONE && k < course->count; k++)
            if (recs->participants[course->first + k].cadre == cadre)
                p = course->first + k;
        if (p == CADRE_NONE)
            continue; /* no longer in the records: the export shows it */
        cadre_cert *c = &out->certs[out->n++];
        c->participant = p;
        c->issued = reg_column_date(st, 3);
        c->number = strdup(reg_column_text(st, 1));
        c->register_no = strdup(reg_column_text(st, 2));
        if (!c->number || !c->register_no)
            err = CADRE_ENOMEM;
    }
    sqlite3_finalize(st);
    if (err == CADRE_ENOMEM)
        cadre_diags_error(diags, NULL, 0, "out of memory");
    if (err)
        cadre_cert_batch_release(out);
    return err;
}

cadre_error cadre_register_write_course(cadre_register *reg,
                                        const cadre_records *recs,
                                        const char *course_id,
                                        const char *path, cadre_diags *diags)
{
    cadre_cert_batch b;
    cadre_error err = course_batch(reg, recs, course_id, &b, diags);
    if (!err)
        err = cadre_cert_write_register(&b, path, diags);
    cadre_cert_batch_release(&b);
    return err;
}

