/* register_revoke.c - revoking a certificate (it stays in the register,
 * marked, and in the appendix) and the list of those revoked, which the
 * signed revocation list is made from (register.h). */
#include <stdlib.h>
#include <string.h>

#include "cadre/i18n.h"
#include "register_internal.h"
#include "util/grow.h"

cadre_error cadre_register_revoke(cadre_register *reg, const char *number,
                                  cadre_date date, const char *reason,
                                  const char *decision, cadre_diags *diags)
{
    if (!cadre_date_is_set(date))
        date = reg_today();
    char *why = reg_clean_text(reason, CADRE_N_("reason"), diags);
    char *decided = reg_clean_text(decision, CADRE_N_("decision"), diags);
    cadre_error err = why && decided ? reg_begin(reg, diags) : CADRE_EINVALID;
    sqlite3_stmt *st = err ? NULL : reg_prepare(
        reg, "SELECT id, status FROM entry WHERE number = ?", diags);
    if (!err && !st)
        err = CADRE_EIO;
    sqlite3_int64 id = 0;
    if (!err) {
        reg_bind_text(st, 1, number);
        int rc = sqlite3_step(st);
        const char *status = rc == SQLITE_ROW ? reg_column_text(st, 1) : NULL;
        if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
            err = reg_fail(reg, diags, "read");
        } else if (!status) {
            cadre_diags_error(diags, NULL, 0, "no certificate '%s' in register "
                              "'%s'", number, reg->path);
            err = CADRE_EINVALID;
        } else if (strcmp(status, "issued")) {
            cadre_diags_error(diags, NULL, 0, "certificate '%s' is %s: only an "
                              "issued certificate can be revoked", number,
                              status);
            err = CADRE_EINVALID;
        }
        id = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    static const char *const sql[] = {
        "UPDATE entry SET status = 'revoked' WHERE id = ?1",
        "INSERT INTO appendix (kind, entry, date, reason, decision, at) "
        "VALUES ('revoke', ?1, ?2, ?3, ?4, "
        "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
    };
    for (size_t k = 0; k < 2 && !err; k++) {
        if (!(st = reg_prepare(reg, sql[k], diags))) {
            err = CADRE_EIO;
            break;
        }
        sqlite3_bind_int64(st, 1, id);
        if (k == 1) {
            reg_bind_date(st, 2, date);
            reg_bind_text(st, 3, why);
            reg_bind_text(st, 4, decided);
        }
        if (sqlite3_step(st) != SQLITE_DONE)
            err = reg_fail(reg, diags, "write");
        sqlite3_finalize(st);
    }
    free(why);
    free(decided);
    if (err) {
        reg_rollback(reg);
        return err;
    }
    return reg_commit(reg, diags);
}

cadre_error cadre_register_revocations(cadre_register *reg,
                                       cadre_register_revocation **out,
                                       size_t *n, cadre_diags *diags)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = reg_prepare(
        reg, "SELECT e.number, a.date, a.reason, a.decision FROM appendix a "
             "JOIN entry e ON e.id = a.entry WHERE a.kind = 'revoke' "
             "ORDER BY a.id", diags);
    if (!st)
        return CADRE_EIO;
    cadre_error err = CADRE_OK;
    size_t cap = 0;
    int rc;
    while (!err && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!GROW(*out, cap, *n + 1)) {
            err = CADRE_ENOMEM;
            break;
        }
        cadre_register_revocation *r = &(*out)[(*n)++];
        r->number = strdup(reg_column_text(st, 0));
        r->date = reg_column_date(st, 1);
        r->reason = strdup(reg_column_text(st, 2));
        r->decision = strdup(reg_column_text(st, 3));
        if (!r->number || !r->reason || !r->decision)
            err = CADRE_ENOMEM;
    }
    if (!err && rc != SQLITE_DONE)
        err = reg_fail(reg, diags, "read");
    sqlite3_finalize(st);
    if (err == CADRE_ENOMEM)
        cadre_diags_error(diags, NULL, 0, "out of memory");
    if (err) {
        cadre_register_revocations_free(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return err;
}

void cadre_register_revocations_free(cadre_register_revocation *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++) {
        free(v[i].number);
        free(v[i].reason);
        free(v[i].decision);
    }
    free(v);
}

