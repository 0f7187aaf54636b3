/* register_draw.c - a certificate's numbers drawn and entered
 * (register_draw.h): the number from the records or the template's
 * pattern, the số vào sổ consecutive by year and course type. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadre/codes.h"
#include "register_draw.h"

const char *const reg_field_label[F_COUNT] = {
    "full name", "gender", "birth date", "ethnicity", "unit",
    "course title", "course type", "course start", "course end", "grade",
};

void reg_record_fields(const struct issue *is, size_t i, struct fields *f)
{
    const cadre_records *recs = is->b->recs;
    const cadre_cadre *c = reg_cadre(is, i);
    const cadre_course *course = is->b->course;
    const cadre_participant *p = reg_part(is, i);
    cadre_date_format_iso(c->birth, f->birth, sizeof f->birth);
    cadre_date_format_iso(course->start, f->start, sizeof f->start);
    cadre_date_format_iso(course->end, f->end, sizeof f->end);
    f->v[F_FULL_NAME] = c->full_name;
    f->v[F_GENDER] = cadre_code_name(CADRE_CODE_GENDER, c->gender);
    f->v[F_BIRTH] = f->birth;
    f->v[F_ETHNICITY] = c->ethnicity;
    f->v[F_UNIT] = recs->units[c->unit].name;
    f->v[F_TITLE] = course->title;
    f->v[F_TYPE] = cadre_code_name(CADRE_CODE_COURSE_TYPE, course->type);
    f->v[F_START] = f->start;
    f->v[F_END] = f->end;
    f->v[F_GRADE] = p->grade == CADRE_GRADE_NONE
                        ? NULL : cadre_code_name(CADRE_CODE_GRADE, p->grade);
}

/* "certificate 2/2019/CC of DL0002 'Hoàng Thị Nguyệt'" */
void reg_who(const struct issue *is, size_t i, char *buf, size_t size)
{
    const cadre_cadre *c = reg_cadre(is, i);
    snprintf(buf, size, "certificate %s of %s '%s'", is->b->certs[i].number,
             c->id, c->full_name);
}

bool reg_step_done(struct issue *is, sqlite3_stmt *st)
{
    if (sqlite3_step(st) == SQLITE_DONE)
        return true;
    reg_fail(is->reg, is->diags, "write");
    return false;
}

cadre_error reg_set_text(char **slot, const char *s, cadre_diags *diags)
{
    char *copy = s ? strdup(s) : NULL;
    if (s && !copy) {
        cadre_diags_error(diags, NULL, 0, "out of memory");
        return CADRE_ENOMEM;
    }
    free(*slot);
    *slot = copy;
    return CADRE_OK;
}

cadre_error reg_check_body(cadre_register *reg, const char *organizer,
                           cadre_diags *diags)
{
    static const char sql[] = "SELECT value FROM meta WHERE key = 'body'";
    sqlite3_stmt *st = reg_cached(reg, sql, diags);
    if (!st)
        return CADRE_EIO;
    int rc = sqlite3_step(st);
    cadre_error err = CADRE_OK;
    if (rc == SQLITE_ROW && strcmp(reg_column_text(st, 0), organizer)) {
        cadre_diags_error(diags, NULL, 0, "register '%s' is the register of "
                          "'%s', and the course is organised by '%s': one "
                          "register per issuing body", reg->path,
                          reg_column_text(st, 0), organizer);
        err = CADRE_EINVALID;
    } else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        err = reg_fail(reg, diags, "read");
    }
    sqlite3_reset(st);
    if (err || rc == SQLITE_ROW)
        return err;
    st = reg_prepare(reg, "INSERT INTO meta (key, value) VALUES ('body', ?)",
                     diags);
    if (!st)
        return CADRE_EIO;
    reg_bind_text(st, 1, organizer);
    if (sqlite3_step(st) != SQLITE_DONE)
        err = reg_fail(reg, diags, "write");
    sqlite3_finalize(st);
    return err;
}

/* --- Drawing numbers ---------------------------------------------------- */

/* True when the register holds `number` (any state). */
static int number_taken(struct issue *is, const char *number)
{
    static const char sql[] = "SELECT 1 FROM entry WHERE number = ?";
    sqlite3_stmt *st = reg_cached(is->reg, sql, is->diags);
    if (!st)
        return -1;
    reg_bind_text(st, 1, number);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        reg_fail(is->reg, is->diags, "read");
        return -1;
    }
    return rc == SQLITE_ROW;
}

/* Give certificate i a number: the one the records give it, or the
 * pattern's with the smallest seq that neither the register nor the
 * records hold. */
static cadre_error draw_number(struct issue *is, size_t i, const char *old)
{
    cadre_cert *c = &is->b->certs[i];
    const char *given = reg_part(is, i)->certificate_no;
    if (given && (!old || strcmp(given, old))) {
        static const char sql[] =
            "SELECT cadre_id, course_id, status FROM entry WHERE number = ?";
        sqlite3_stmt *st = reg_cached(is->reg, sql, is->diags);
        if (!st)
            return CADRE_EIO;
        reg_bind_text(st, 1, given);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW)
            cadre_diags_error(is->diags, NULL, 0,
                              "the records give %s in course %s the number "
                              "'%s', which the register holds for %s in "
                              "course %s (%s)", reg_cadre(is, i)->id,
                              is->b->course->id, given, reg_column_text(st, 0),
                              reg_column_text(st, 1), reg_column_text(st, 2));
        else if (rc != SQLITE_DONE)
            reg_fail(is->reg, is->diags, "read");
        sqlite3_reset(st);
        if (rc != SQLITE_DONE)
            return rc == SQLITE_ROW ? CADRE_EINVALID : CADRE_EIO;
        return reg_set_text(&c->number, given, is->diags);
    }
    char *prev = NULL;
    for (;; is->seq++) {
        char *num = cadre_cert_pattern_render(is->t, CADRE_CERT_NUMBER, is->b,
                                              i, is->seq);
        cadre_error err = num ? CADRE_OK : CADRE_ENOMEM;
        if (!num) {
            cadre_diags_error(is->diags, NULL, 0, "out of memory");
        } else if (!*num || strlen(num) > 200) {
            cadre_diags_error(is->diags, NULL, 0, "the number pattern gives "
                              "'%.40s' for '%s': a number must be 1 to 200 "
                              "bytes", num, reg_cadre(is, i)->id);
            err = CADRE_EINVALID;
        } else if (prev && !strcmp(prev, num)) {
            cadre_diags_error(is->diags, NULL, 0, "the number pattern gives "
                              "the same number to different certificates: "
                              "use {seq} in it");
            err = CADRE_EINVALID;
        }
        uint32_t ignored;
        int taken = err ? -1 : strmap_get(&is->numbers, num, &ignored)
                                   ? 1 : number_taken(is, num);
        free(prev);
        prev = num;
        if (taken == 0) {
            free(c->number);
            c->number = num;
            is->seq++;
            return CADRE_OK;
        }
        if (taken < 0) {
            free(prev);
            return err ? err : CADRE_EIO;
        }
    }
}

/* The smallest số vào sổ seq free for `year` and course type `type`:
 * the first gap of the register's, found once per transaction, then the
 * next free one after it. */
static long long free_register_seq(struct issue *is, int year,
                                   const char *type)
{
    static const char gap[] =
        "SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM entry WHERE reg_year = ?1 "
        "AND reg_type = ?2 AND reg_seq = 1) THEN 1 ELSE (SELECT "
        "min(a.reg_seq) + 1 FROM entry a WHERE a.reg_year = ?1 AND "
        "a.reg_type = ?2 AND NOT EXISTS (SELECT 1 FROM entry b WHERE "
        "b.reg_year = ?1 AND b.reg_type = ?2 AND b.reg_seq = a.reg_seq + 1)) "
        "END";
    static const char taken[] =
        "SELECT 1 FROM entry WHERE reg_year = ?1 AND reg_type = ?2 AND "
        "reg_seq = ?3";
    size_t h = 0;
    while (h < is->n_hints && (is->hint[h].year != year ||
                               strcmp(is->hint[h].type, type)))
        h++;
    long long seq = h < is->n_hints ? is->hint[h].next : -1;
    sqlite3_stmt *st;
    if (seq < 0 && (st = reg_cached(is->reg, gap, is->diags))) {
        sqlite3_bind_int(st, 1, year);
        reg_bind_text(st, 2, type);
        if (sqlite3_step(st) == SQLITE_ROW)
            seq = sqlite3_column_int64(st, 0);
        else
            reg_fail(is->reg, is->diags, "read");
        sqlite3_reset(st);
    }
    /* the gap or the hint, or the first free one after it */
    for (int rc = SQLITE_ROW; seq > 0 && rc == SQLITE_ROW; seq += rc == SQLITE_ROW) {
        if (!(st = reg_cached(is->reg, taken, is->diags)))
            return -1;
        sqlite3_bind_int(st, 1, year);
        reg_bind_text(st, 2, type);
        sqlite3_bind_int64(st, 3, seq);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
            reg_fail(is->reg, is->diags, "read");
            return -1;
        }
    }
    if (seq <= 0)
        return -1;
    if (h == is->n_hints && h < sizeof is->hint / sizeof is->hint[0])
        is->n_hints++;
    if (h < is->n_hints) /* `type` is a code's name: it lives on */
        is->hint[h].year = year, is->hint[h].type = type,
        is->hint[h].next = seq + 1;
    return seq;
}

/* Draw the numbers of certificate i and enter it, pending, in this run;
 * `old` (or 0) is the entry it replaces, `old_number` that one's number. */
cadre_error reg_draw(struct issue *is, size_t i, sqlite3_int64 old,
                     const char *old_number)
{
    cadre_cert *c = &is->b->certs[i];
    struct fields f;
    reg_record_fields(is, i, &f);
    cadre_error err = draw_number(is, i, old_number);
    long long seq = err ? -1 : free_register_seq(is, c->issued.year, f.v[F_TYPE]);
    if (!err && seq < 0)
        err = CADRE_EIO;
    char *rno = err ? NULL : cadre_cert_pattern_render(is->t, CADRE_CERT_REGISTER_NO,
                                                       is->b, i, (unsigned long)seq);
    if (!err && !rno) {
        cadre_diags_error(is->diags, NULL, 0, "out of memory");
        err = CADRE_ENOMEM;
    }
    if (err)
        return err;
    free(c->register_no);
    c->register_no = rno;
    static const char sql[] =
        "INSERT INTO entry (status, number, register_no, reg_year, reg_type, "
        "reg_seq, cadre_id, full_name, gender, birth, ethnicity, unit, "
        "course_id, course_title, course_type, course_start, course_end, "
        "grade, issued, decision, replaces, reason, dir, run, entered) "
        "VALUES (?24, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
        "?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, "
        "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))";
    sqlite3_stmt *st = reg_cached(is->reg, sql, is->diags);
    if (!st)
        return CADRE_EIO;
    reg_bind_text(st, 1, c->number);
    reg_bind_text(st, 2, rno);
    sqlite3_bind_int(st, 3, c->issued.year);
    reg_bind_text(st, 4, f.v[F_TYPE]);
    sqlite3_bind_int64(st, 5, seq);
    reg_bind_text(st, 6, reg_cadre(is, i)->id);
    reg_bind_text(st, 7, f.v[F_FULL_NAME]);
    reg_bind_text(st, 8, f.v[F_GENDER]);
    reg_bind_text(st, 9, f.v[F_BIRTH]);
    reg_bind_text(st, 10, f.v[F_ETHNICITY]);
    reg_bind_text(st, 11, f.v[F_UNIT]);
    reg_bind_text(st, 12, is->b->course->id);
    reg_bind_text(st, 13, f.v[F_TITLE]);
    reg_bind_text(st, 14, f.v[F_TYPE]);
    reg_bind_text(st, 15, f.v[F_START]);
    reg_bind_text(st, 16, f.v[F_END]);
    reg_bind_text(st, 17, f.v[F_GRADE]);
    reg_bind_date(st, 18, c->issued);
    reg_bind_text(st, 19, is->decision);
    if (old)
        sqlite3_bind_int64(st, 20, old);
    reg_bind_text(st, 21, old ? is->reason : NULL);
    reg_bind_text(st, 22, is->dir);
    /* outside a run (an import), straight to issued */
    if (is->reg->run)
        sqlite3_bind_int64(st, 23, is->reg->run);
    reg_bind_text(st, 24, is->reg->run ? "pending" : "issued");
    if (reg_step_done(is, st)) {
        is->slots[i].id = sqlite3_last_insert_rowid(is->reg->db);
        is->slots[i].existing = false;
    } else {
        err = CADRE_EIO;
    }
    sqlite3_reset(st);
    return err;
}
