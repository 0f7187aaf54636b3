/* register_sql.c - SQLite in cadrekit's words: statements prepared and
 * kept, transactions, binding and reading columns, SQLite's failures as
 * messages and cadrekit errors; and the small helpers every part of the
 * register shares (register_internal.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cadre/i18n.h"
#include "cadre/text.h"
#include "register_internal.h"

cadre_error reg_fail(cadre_register *reg, cadre_diags *diags, const char *what)
{
    int code = sqlite3_errcode(reg->db) & 0xff;
    const char *msg = sqlite3_errmsg(reg->db);
    switch (code) {
    case SQLITE_NOMEM:
        cadre_diags_error(diags, NULL, 0, "out of memory");
        return CADRE_ENOMEM;
    case SQLITE_NOTADB:
        cadre_diags_error(diags, NULL, 0, "'%s' is not a register: %s",
                          reg->path, msg);
        return CADRE_EIO;
    case SQLITE_CORRUPT:
        cadre_diags_error(diags, NULL, 0, "register '%s' is damaged (%s): "
                          "restore it from a backup", reg->path, msg);
        return CADRE_EIO;
    case SQLITE_BUSY:
        cadre_diags_error(diags, NULL, 0, "register '%s' is busy: another "
                          "process held it for over %d s", reg->path,
                          REG_BUSY_MS / 1000);
        return CADRE_EIO;
    default:
        cadre_diags_error(diags, NULL, 0,
                          !strcmp(what, "open")
                              ? CADRE_N_("cannot open register '%s': %s")
                          : !strcmp(what, "write")
                              ? CADRE_N_("cannot write register '%s': %s")
                              : CADRE_N_("cannot read register '%s': %s"),
                          reg->path, msg);
        return CADRE_EIO;
    }
}

sqlite3_stmt *reg_prepare(cadre_register *reg, const char *sql,
                          cadre_diags *diags)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(reg->db, sql, -1, &st, NULL) != SQLITE_OK) {
        reg_fail(reg, diags, "read");
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

sqlite3_stmt *reg_cached(cadre_register *reg, const char *sql,
                         cadre_diags *diags)
{
    size_t i = 0;
    for (; i < REG_CACHED && reg->cached[i].sql; i++)
        if (reg->cached[i].sql == sql) {
            sqlite3_clear_bindings(reg->cached[i].st);
            return reg->cached[i].st;
        }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v3(reg->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
                           NULL) != SQLITE_OK) {
        reg_fail(reg, diags, "read");
        sqlite3_finalize(st);
        return NULL;
    }
    if (i < REG_CACHED) {
        reg->cached[i].sql = sql;
        reg->cached[i].st = st;
    }
    return st; /* a full cache: leaked no more than once per call site */
}

cadre_error reg_exec(cadre_register *reg, const char *sql, cadre_diags *diags)
{
    if (sqlite3_exec(reg->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return reg_fail(reg, diags, "write");
    return CADRE_OK;
}

cadre_error reg_begin(cadre_register *reg, cadre_diags *diags)
{
    /* IMMEDIATE: the write lock first, so that two processes drawing
     * numbers take turns (the busy timeout) instead of one failing at
     * its first write */
    return reg_exec(reg, "BEGIN IMMEDIATE", diags);
}

cadre_error reg_commit(cadre_register *reg, cadre_diags *diags)
{
    cadre_error err = reg_exec(reg, "COMMIT", diags);
    if (err != CADRE_OK)
        reg_rollback(reg);
    return err;
}

void reg_rollback(cadre_register *reg)
{
    if (!sqlite3_get_autocommit(reg->db))
        sqlite3_exec(reg->db, "ROLLBACK", NULL, NULL, NULL);
}

void reg_bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
    else
        sqlite3_bind_null(st, i);
}

void reg_bind_date(sqlite3_stmt *st, int i, cadre_date d)
{
    char buf[CADRE_DATE_TEXT_MAX];
    if (!cadre_date_is_set(d)) {
        sqlite3_bind_null(st, i);
        return;
    }
    cadre_date_format_iso(d, buf, sizeof buf);
    sqlite3_bind_text(st, i, buf, -1, SQLITE_TRANSIENT);
}

const char *reg_column_text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

cadre_date reg_column_date(sqlite3_stmt *st, int i)
{
    cadre_date d = { 0, 0, 0 };
    const char *s = reg_column_text(st, i);
    if (s && cadre_date_parse(s, CADRE_DATE_YEAR_OK, &d) != 0)
        d = (cadre_date){ 0, 0, 0 };
    return d;
}

static cadre_register_status status_of(const char *s)
{
    return !s                        ? CADRE_REGISTER_PENDING
           : !strcmp(s, "issued")   ? CADRE_REGISTER_ISSUED
           : !strcmp(s, "replaced") ? CADRE_REGISTER_REPLACED
           : !strcmp(s, "revoked")  ? CADRE_REGISTER_REVOKED
                                    : CADRE_REGISTER_PENDING;
}

const char *cadre_register_status_name(cadre_register_status s)
{
    static const char *const names[] = {
        [CADRE_REGISTER_PENDING] = CADRE_N_("pending"),
        [CADRE_REGISTER_ISSUED] = CADRE_N_("issued"),
        [CADRE_REGISTER_REPLACED] = CADRE_N_("replaced"),
        [CADRE_REGISTER_REVOKED] = CADRE_N_("revoked"),
    };
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "?";
}

void reg_entry_read(sqlite3_stmt *st, int f, cadre_register_entry *e)
{
    e->number = reg_column_text(st, f + 0);
    e->register_no = reg_column_text(st, f + 1);
    e->cadre_id = reg_column_text(st, f + 2);
    e->full_name = reg_column_text(st, f + 3);
    e->gender = reg_column_text(st, f + 4);
    e->ethnicity = reg_column_text(st, f + 5);
    e->unit = reg_column_text(st, f + 6);
    e->birth = reg_column_date(st, f + 7);
    e->course_id = reg_column_text(st, f + 8);
    e->course_title = reg_column_text(st, f + 9);
    e->course_type = reg_column_text(st, f + 10);
    e->course_start = reg_column_date(st, f + 11);
    e->course_end = reg_column_date(st, f + 12);
    e->grade = reg_column_text(st, f + 13);
    e->issued = reg_column_date(st, f + 14);
    e->decision = reg_column_text(st, f + 15);
    e->file_name = reg_column_text(st, f + 16);
    e->sha256 = reg_column_text(st, f + 17);
    e->status = status_of(reg_column_text(st, f + 18));
}

cadre_date reg_today(void)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    char *end;
    long long t = sde ? strtoll(sde, &end, 10) : 0;
    time_t now = sde && *sde && !*end && t >= 0 ? (time_t)t : time(NULL);
    return cadre_date_from_days((long)(now / 86400));
}

char *reg_clean_text(const char *s, const char *what, cadre_diags *diags)
{
    size_t len = strlen(s), where = 0;
    uint32_t cp = 0;
    cadre_text_fault fault = cadre_text_check(s, len, &where, &cp);
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n'))
        len--;
    while (len && (*s == ' ' || *s == '\t' || *s == '\n'))
        s++, len--;
    if (fault != CADRE_TEXT_OK || len == 0 || memchr(s, '\n', len) ||
        memchr(s, '\t', len)) {
        cadre_diags_error(
            diags, NULL, 0, "the %s %s", cadre_gettext(what),
            fault == CADRE_TEXT_BAD_UTF8 ? cadre_gettext("is not valid UTF-8")
            : len == 0
                ? cadre_gettext("is empty")
                : cadre_gettext("holds a control character or a line break"));
        return NULL;
    }
    char *nfc = cadre_text_nfc(s, len, NULL);
    if (!nfc)
        cadre_diags_error(diags, NULL, 0, "out of memory");
    return nfc;
}

char *reg_join(const char *dir, const char *name)
{
    size_t size = strlen(dir) + strlen(name) + 2;
    char *p = malloc(size);
    if (p)
        snprintf(p, size, "%s/%s", dir, name);
    return p;
}

char *reg_pending_name(const char *file_name, sqlite3_int64 run)
{
    size_t size = strlen(file_name) + 48;
    char *p = malloc(size);
    if (p)
        snprintf(p, size, ".%s.%lld.pending", file_name, (long long)run);
    return p;
}
