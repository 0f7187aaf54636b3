/* register_issue.c - issuing a batch through the register
 * (cadre_register_issue): numbers drawn in one short transaction and held
 * pending, the PDFs written under pending names, compared with what was
 * issued, their hashes stored, then moved into place and the numbers
 * issued.  A process killed anywhere leaves pending rows that the next
 * open settles (register_run.c): complete PDFs are issued, the rest rolled
 * back, so a number is never kept without its PDF.  The files' side of
 * it, the folder, pending names, hashes and renames, is register_write.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cadre/i18n.h"
#include "register_draw.h"

/* The date of the certificates a run reissues: the one asked for, or
 * today. */
static cadre_date reissue_date(const struct issue *is)
{
    return cadre_date_is_set(is->o->date) ? is->o->date : reg_today();
}

/* Take the numbers, date and file name the register holds for entry
 * (id, number, register_no, issued, file_name, sha256 at `st`). */
static cadre_error adopt(struct issue *is, size_t i, sqlite3_stmt *st)
{
    cadre_cert *c = &is->b->certs[i];
    struct slot *s = &is->slots[i];
    const char *given = reg_part(is, i)->certificate_no;
    const char *number = reg_column_text(st, 2);
    if (given && strcmp(given, number))
        cadre_diags_add(is->diags, CADRE_SEV_WARNING, NULL, 0,
                        "the records give %s in course %s the number '%s'; "
                        "the register's '%s' is kept", reg_cadre(is, i)->id,
                        is->b->course->id, given, number);
    s->id = sqlite3_column_int64(st, 0);
    s->existing = true;
    s->imported = sqlite3_column_type(st, 5) == SQLITE_NULL;
    c->issued = reg_column_date(st, 3);
    cadre_error err = reg_set_text(&c->number, number, is->diags);
    if (!err)
        err = reg_set_text(&c->register_no, reg_column_text(st, 1), is->diags);
    if (!err && !s->imported)
        err = reg_set_text(&s->sha, reg_column_text(st, 5), is->diags);
    /* the name it was issued under: file names may be made otherwise
     * since, the register's must still match */
    if (!err && reg_column_text(st, 4))
        err = reg_set_text(&c->file_name, reg_column_text(st, 4), is->diags);
    return err;
}

/* What the lookup of the certificates the register holds found that
 * stops the run. */
struct held {
    size_t refused;        /* revoked, and not asked to reissue */
    size_t busy;           /* pending in another run */
    char first_busy[300];  /* "1/2019/CC of DL0001", the first of those */
};

/* Look certificate i up in the register (`find`: its latest entry that
 * is pending, issued or revoked): an issued one keeps its numbers; a
 * revoked one is refused, or with a reissue drawn anew in its place;
 * none is drawn anew (*fresh); one pending in another run stops this
 * one. */
static cadre_error look_up(struct issue *is, size_t i, sqlite3_stmt *find,
                           bool *fresh, struct held *h)
{
    struct slot *s = &is->slots[i];
    const cadre_cadre *cadre = reg_cadre(is, i);
    reg_bind_text(find, 1, is->b->course->id);
    reg_bind_text(find, 2, cadre->id);
    int rc = sqlite3_step(find);
    const char *status = rc == SQLITE_ROW ? reg_column_text(find, 6) : NULL;
    const char *number = rc == SQLITE_ROW ? reg_column_text(find, 2) : NULL;
    cadre_error err = CADRE_OK;
    *fresh = false;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        err = reg_fail(is->reg, is->diags, "read");
    } else if (!status) {
        *fresh = true;
    } else if (!strcmp(status, "issued")) {
        err = adopt(is, i, find);
    } else if (!strcmp(status, "revoked") && is->o->reissue) {
        /* revoked, and asked for again: a new certificate replacing it */
        *fresh = true;
        s->revoked = sqlite3_column_int64(find, 0);
        err = reg_set_text(&s->revoked_no, number, is->diags);
    } else if (!strcmp(status, "revoked")) {
        cadre_diags_error(is->diags, NULL, 0, "certificate %s of %s '%s' was "
                          "revoked: leave the cadre out, or reissue it "
                          "(--reissue --reason TEXT --decision TEXT)", number,
                          cadre->id, cadre->full_name);
        h->refused++;
    } else if (h->busy++ == 0) {
        snprintf(h->first_busy, sizeof h->first_busy, "%s of %s", number,
                 cadre->id);
    }
    sqlite3_reset(find);
    return err;
}

/* Start this run within a transaction: what dead runs left settled, the
 * issuing body checked, the run entered. */
static cadre_error begin_run(struct issue *is)
{
    cadre_error err = reg_begin(is->reg, is->diags);
    is->n_hints = 0; /* what others drew before this transaction counts */
    if (!err)
        err = reg_settle_dead(is->reg, is->diags);
    if (!err)
        err = reg_check_body(is->reg, is->b->course->organizer, is->diags);
    if (!err)
        err = reg_run_begin(is->reg, is->dir, is->diags);
    return err;
}

/* Every certificate of the batch gets its numbers: the register's for
 * those it holds, new ones (pending) for the others.  Begins the
 * transaction the caller ends. */
static cadre_error draw_all(struct issue *is)
{
    cadre_error err = begin_run(is);
    sqlite3_stmt *find = err ? NULL : reg_prepare(
        is->reg, "SELECT id, register_no, number, issued, file_name, sha256, "
                 "status, run FROM entry WHERE course_id = ? AND cadre_id = ? "
                 "AND status IN ('pending', 'issued', 'revoked') "
                 "ORDER BY id DESC LIMIT 1", is->diags);
    if (!err && !find)
        err = CADRE_EIO;
    struct held h = { 0 };
    bool *fresh = calloc(is->b->n ? is->b->n : 1, sizeof *fresh);
    if (!err && !fresh) {
        cadre_diags_error(is->diags, NULL, 0, "out of memory");
        err = CADRE_ENOMEM;
    }
    /* the certificates the register holds first, so that new numbers
     * skip none of theirs */
    for (size_t i = 0; i < is->b->n && !err; i++)
        err = look_up(is, i, find, &fresh[i], &h);
    sqlite3_finalize(find);
    /* another run of the same course: once, not once per certificate */
    if (!err && h.busy)
        cadre_diags_error(
            is->diags, NULL, 0,
            h.busy == 1 ? CADRE_N_("%zu certificate of course %s (%s%s) is "
                                   "being issued by another process at this "
                                   "moment: run again when it has finished")
                        : CADRE_N_("%zu certificates of course %s (%s%s) are "
                                   "being issued by another process at this "
                                   "moment: run again when it has finished"),
            h.busy, is->b->course->id, h.first_busy,
            h.busy == 1 ? "" : ", ...");
    if (!err && (h.refused || h.busy))
        err = CADRE_EINVALID;
    is->seq = cadre_cert_tmpl_number_start(is->t);
    cadre_date today = reissue_date(is);
    for (size_t i = 0; i < is->b->n && !err; i++) {
        if (!fresh[i])
            continue;
        if (is->slots[i].revoked) /* dated as every reissue */
            is->b->certs[i].issued = today;
        err = reg_draw(is, i, is->slots[i].revoked, is->slots[i].revoked_no);
    }
    free(fresh);
    return err;
}

/* Name the files of the certificates the register did not name (new
 * ones, and with `only` the ones it marks) and store the names. */
static cadre_error name_new(struct issue *is, const bool *only)
{
    size_t n = is->b->n;
    char **kept = calloc(n ? n : 1, sizeof *kept);
    if (!kept) {
        cadre_diags_error(is->diags, NULL, 0, "out of memory");
        return CADRE_ENOMEM;
    }
    for (size_t i = 0; i < n; i++)
        if (only ? !only[i] : is->slots[i].existing) {
            kept[i] = is->b->certs[i].file_name;
            is->b->certs[i].file_name = NULL;
        }
    cadre_error err = cadre_cert_batch_name_files(is->b, is->diags);
    for (size_t i = 0; i < n; i++)
        if (kept[i]) {
            free(is->b->certs[i].file_name);
            is->b->certs[i].file_name = kept[i];
        }
    free(kept);
    sqlite3_stmt *st = err ? NULL : reg_prepare(
        is->reg, "UPDATE entry SET file_name = ? WHERE id = ?", is->diags);
    if (!err && !st)
        err = CADRE_EIO;
    for (size_t i = 0; i < n && !err; i++) {
        if (only ? !only[i] : is->slots[i].existing)
            continue;
        reg_bind_text(st, 1, is->b->certs[i].file_name);
        sqlite3_bind_int64(st, 2, is->slots[i].id);
        if (!reg_step_done(is, st))
            err = CADRE_EIO;
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return err;
}

/* --- Comparing with what was issued ------------------------------------ */

/* The first field of certificate i whose records differ from what the
 * register holds, said in `what`; -1 when none does. */
static int first_change(struct issue *is, size_t i, char *what, size_t size)
{
    struct fields f;
    reg_record_fields(is, i, &f);
    /* the columns in the order of enum F_* */
    static const char sql[] =
        "SELECT full_name, gender, birth, ethnicity, unit, course_title, "
        "course_type, course_start, course_end, grade FROM entry WHERE id = ?";
    sqlite3_stmt *st = reg_cached(is->reg, sql, NULL);
    int changed = -1;
    if (st) {
        sqlite3_bind_int64(st, 1, is->slots[i].id);
        bool row = sqlite3_step(st) == SQLITE_ROW;
        for (int k = 0; row && k < F_COUNT; k++) {
            const char *was = reg_column_text(st, k), *now = f.v[k];
            if ((was == NULL) == (now == NULL) && (!was || !strcmp(was, now)))
                continue;
            snprintf(what, size, "was issued with %s '%s' and the records now "
                     "say '%s'", reg_field_label[k], was ? was : "",
                     now ? now : "");
            changed = k;
            break;
        }
        sqlite3_reset(st);
    }
    return changed;
}

/* Say what changed in certificate i since it was issued: a field of the
 * records, or else its PDF. */
static void say_changed(struct issue *is, size_t i)
{
    char name[512], what[1024];
    reg_who(is, i, name, sizeof name);
    if (first_change(is, i, what, sizeof what) < 0)
        snprintf(what, sizeof what, "would not come out as issued: its PDF "
                 "differs (the records, the template, its images or fonts "
                 "changed since)");
    cadre_diags_error(is->diags, NULL, 0, "%s %s: an issued certificate "
                      "never changes; reissue it under a new number "
                      "(--reissue --reason TEXT --decision TEXT)", name, what);
}

/* The certificates held before whose PDF this run would change: marked
 * in `changed`; returns how many. */
static size_t find_changed(struct issue *is, bool *changed)
{
    size_t n = 0;
    char what[1024];
    for (size_t i = 0; i < is->b->n; i++) {
        const struct slot *s = &is->slots[i];
        changed[i] = s->existing &&
                     (s->imported ? first_change(is, i, what, sizeof what) >= 0
                                  : strcmp(s->sha, s->hash) != 0);
        n += changed[i];
    }
    return n;
}

/* Reissue the certificates marked in `changed`: new numbers, pending,
 * replacing the entries they had; one transaction. */
static cadre_error redraw(struct issue *is, const bool *changed)
{
    cadre_date date = reissue_date(is);
    cadre_error err = reg_begin(is->reg, is->diags);
    is->n_hints = 0;
    for (size_t i = 0; i < is->b->n && !err; i++) {
        struct slot *s = &is->slots[i];
        s->render = changed[i];
        if (!changed[i])
            continue;
        char *pending = reg_pending_name(is->b->certs[i].file_name, is->reg->run);
        char *path = pending ? reg_join(is->dir, pending) : NULL;
        if (path)
            unlink(path); /* the old certificate drawn again: not needed */
        free(path);
        free(pending);
        char *old_number = strdup(is->b->certs[i].number);
        is->b->certs[i].issued = date;
        if (!old_number) {
            cadre_diags_error(is->diags, NULL, 0, "out of memory");
            err = CADRE_ENOMEM;
        } else {
            err = reg_draw(is, i, s->id, old_number);
        }
        free(old_number);
        free(s->sha);
        s->sha = NULL;
    }
    if (!err)
        err = name_new(is, changed);
    if (err) {
        reg_rollback(is->reg);
        return err;
    }
    return reg_commit(is->reg, is->diags);
}

/* End this process's run: what is complete is issued, the rest rolled
 * back (register.c).  After a success, checks that every certificate of
 * the batch is issued. */
static cadre_error end_run(struct issue *is, cadre_error err)
{
    cadre_register *reg = is->reg;
    if (!reg->run)
        return err;
    cadre_diags *diags = err ? NULL : is->diags; /* one story is enough */
    cadre_error e = reg_begin(reg, diags);
    if (!e)
        e = reg_settle_run(reg, reg->run, !err, diags);
    e = e ? (reg_rollback(reg), e) : reg_commit(reg, diags);
    reg->run = 0;
    sqlite3_stmt *st = err || e ? NULL : reg_prepare(
        reg, "SELECT status FROM entry WHERE id = ?", is->diags);
    for (size_t i = 0; st && i < is->b->n && !e; i++) {
        sqlite3_bind_int64(st, 1, is->slots[i].id);
        if (sqlite3_step(st) != SQLITE_ROW ||
            strcmp(reg_column_text(st, 0), "issued")) {
            char name[512];
            reg_who(is, i, name, sizeof name);
            cadre_diags_error(is->diags, NULL, 0, "%s could not be issued",
                              name);
            e = CADRE_EIO;
        }
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return err ? err : e;
}

void cadre_register_issue_options_init(cadre_register_issue_options *o,
                                       const char *dir)
{
    memset(o, 0, sizeof *o);
    o->dir = dir;
    o->jobs = 1;
}

static cadre_error numbered(struct issue *is)
{
    return is->o->numbered ? is->o->numbered(is->b, is->o->ctx, is->diags)
                           : CADRE_OK;
}

/* Set `is` up for issuing `b` with `o`: the reason and decision as kept,
 * a slot per certificate, every number the records give (which drawn
 * numbers skip).  Release with issue_release() whatever it returns. */
static cadre_error issue_init(struct issue *is, cadre_register *reg,
                              const cadre_cert_tmpl *t, cadre_cert_batch *b,
                              const cadre_register_issue_options *o,
                              cadre_diags *diags)
{
    *is = (struct issue){ .reg = reg, .t = t, .b = b, .o = o, .diags = diags };
    strmap_init(&is->numbers);
    if (!o->dir || (o->reissue && (!o->reason || !o->decision))) {
        cadre_diags_error(diags, NULL, 0, "%s", !o->dir
                          ? "a register issues certificates into a folder"
                          : "a reissue needs a reason and a decision");
        return CADRE_EINVALID;
    }
    if ((o->decision && !(is->decision = reg_clean_text(
                              o->decision, CADRE_N_("decision"), diags))) ||
        (o->reason &&
         !(is->reason = reg_clean_text(o->reason, CADRE_N_("reason"), diags))))
        return CADRE_EINVALID;
    cadre_error err = (is->slots = calloc(b->n ? b->n : 1, sizeof *is->slots))
                          ? CADRE_OK : CADRE_ENOMEM;
    for (size_t i = 0; i < b->recs->n_participants && !err; i++)
        if (b->recs->participants[i].certificate_no &&
            strmap_put(&is->numbers, b->recs->participants[i].certificate_no,
                       0, NULL) < 0)
            err = CADRE_ENOMEM;
    if (err)
        cadre_diags_error(diags, NULL, 0, "out of memory");
    return err;
}

static void issue_release(struct issue *is)
{
    for (size_t i = 0; is->slots && i < is->b->n; i++) {
        free(is->slots[i].sha);
        free(is->slots[i].revoked_no);
    }
    free(is->slots);
    free(is->dir);
    free(is->decision);
    free(is->reason);
    strmap_release(&is->numbers);
}

/* Step 1: the numbers, the register's or drawn and pending, and the new
 * certificates' file names, in one transaction. */
static cadre_error number_all(struct issue *is)
{
    cadre_error err = draw_all(is);
    if (!err)
        err = name_new(is, NULL);
    if (!err)
        return reg_commit(is->reg, is->diags);
    reg_rollback(is->reg);
    is->reg->run = 0;
    return err;
}

/* Step 2: every PDF under its pending name; those issued before that
 * would change refused, or with a reissue drawn again under new numbers
 * and written again. */
static cadre_error write_all(struct issue *is)
{
    bool *changed = calloc(is->b->n ? is->b->n : 1, sizeof *changed);
    if (!changed) {
        cadre_diags_error(is->diags, NULL, 0, "out of memory");
        return CADRE_ENOMEM;
    }
    for (size_t i = 0; i < is->b->n; i++)
        is->slots[i].render = true;
    cadre_error err = numbered(is);
    if (!err)
        err = reg_write_round(is);
    size_t n_changed = err ? 0 : find_changed(is, changed);
    if (n_changed && !is->o->reissue) {
        for (size_t i = 0; i < is->b->n; i++)
            if (changed[i])
                say_changed(is, i);
        err = CADRE_EINVALID;
    } else if (n_changed) {
        err = redraw(is, changed);
        if (!err)
            err = numbered(is);
        if (!err)
            err = reg_write_round(is);
    }
    free(changed);
    return err;
}

cadre_error cadre_register_issue(cadre_register *reg,
                                 const cadre_cert_tmpl *t,
                                 cadre_cert_batch *b,
                                 const cadre_register_issue_options *o,
                                 cadre_diags *diags)
{
    struct issue is;
    bool made = false;
    cadre_error err = issue_init(&is, reg, t, b, o, diags);
    if (!err)
        err = reg_prepare_dir(&is, &made);
    if (!err)
        err = number_all(&is);
    if (!err)
        err = write_all(&is);
    /* step 3: hashes stored, PDFs into place, numbers issued */
    if (!err)
        err = reg_store_and_move(&is);
    err = end_run(&is, err);
    if (err && made && is.dir)
        rmdir(is.dir); /* made by this run and still empty */
    issue_release(&is);
    return err;
}
