/* register_read.c - what the register tells and the changes that are not
 * issues: listing, the course's certificates for the XLSX register,
 * revocation, entering numbers from records, and checking a folder of
 * PDFs against the hashes (register.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "cadre/codes.h"
#include "cadre/text.h"
#include "register_internal.h"

cadre_error cadre_sha256_file(const char *path, char hex[65],
                              cadre_diags *diags)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    EVP_MD_CTX *md = fd >= 0 ? EVP_MD_CTX_new() : NULL;
    bool ok = md && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1;
    int e = fd < 0 ? errno : 0;
    unsigned char buf[64 * 1024];
    ssize_t n;
    while (ok && (n = read(fd, buf, sizeof buf)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            e = errno;
            ok = false;
        } else {
            ok = EVP_DigestUpdate(md, buf, (size_t)n) == 1;
        }
    }
    unsigned char sum[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    ok = ok && EVP_DigestFinal_ex(md, sum, &len) == 1 && len == 32;
    EVP_MD_CTX_free(md);
    if (fd >= 0)
        close(fd);
    if (!ok) {
        cadre_diags_error(diags, NULL, 0, "cannot read '%s': %s", path,
                          e ? strerror(e) : "SHA-256 failed");
        return CADRE_EIO;
    }
    static const char digits[] = "0123456789abcdef";
    for (unsigned i = 0; i < 32; i++) {
        hex[2 * i] = digits[sum[i] >> 4];
        hex[2 * i + 1] = digits[sum[i] & 15];
    }
    hex[64] = '\0';
    return CADRE_OK;
}

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

/* --- Revocation --------------------------------------------------------- */

cadre_error cadre_register_revoke(cadre_register *reg, const char *number,
                                  cadre_date date, const char *reason,
                                  const char *decision, cadre_diags *diags)
{
    if (!cadre_date_is_set(date))
        date = reg_today();
    char *why = reg_clean_text(reason, "reason", diags);
    char *decided = reg_clean_text(decision, "decision", diags);
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
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            cadre_register_revocation *v = realloc(*out, cap * sizeof *v);
            if (!v) {
                err = CADRE_ENOMEM;
                break;
            }
            *out = v;
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

/* --- Checking a folder -------------------------------------------------- */

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.pdf files of `dir` that are not hidden, sorted; NULL after a
 * message. */
static char **pdf_files(const char *dir, size_t *n, cadre_diags *diags)
{
    DIR *d = opendir(dir);
    if (!d) {
        cadre_diags_error(diags, NULL, 0, "cannot open directory '%s': %s",
                          dir, strerror(errno));
        return NULL;
    }
    char **names = NULL;
    size_t cap = 0;
    *n = 0;
    struct dirent *de;
    bool ok = true;
    while (ok && (de = readdir(d))) {
        size_t len = strlen(de->d_name);
        if (de->d_name[0] == '.' || len < 5 ||
            strcasecmp(de->d_name + len - 4, ".pdf"))
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 64;
            char **v = realloc(names, cap * sizeof *v);
            ok = v != NULL;
            names = v ? v : names;
        }
        if (ok && !(names[*n] = strdup(de->d_name)))
            ok = false;
        *n += ok;
    }
    closedir(d);
    if (!ok) {
        for (size_t i = 0; i < *n; i++)
            free(names[i]);
        free(names);
        cadre_diags_error(diags, NULL, 0, "out of memory");
        return NULL;
    }
    qsort(names, *n, sizeof *names, by_name);
    return names ? names : calloc(1, sizeof *names);
}

cadre_error cadre_register_check_dir(cadre_register *reg, const char *dir,
                                     void (*fn)(const char *file,
                                                cadre_register_verdict v,
                                                const cadre_register_entry *e,
                                                void *ctx),
                                     void *ctx, size_t *problems,
                                     cadre_diags *diags)
{
    *problems = 0;
    size_t n;
    char **names = pdf_files(dir, &n, diags);
    if (!names)
        return CADRE_EIO;
    sqlite3_stmt *by_hash = reg_prepare(
        reg, "SELECT " REG_ENTRY_COLUMNS " FROM entry WHERE sha256 = ? "
             "ORDER BY id LIMIT 1", diags);
    sqlite3_stmt *by_file = by_hash ? reg_prepare(
        reg, "SELECT " REG_ENTRY_COLUMNS " FROM entry WHERE file_name = ? "
             "ORDER BY id DESC LIMIT 1", diags) : NULL;
    cadre_error err = by_file ? CADRE_OK : CADRE_EIO;
    for (size_t i = 0; i < n && !err; i++) {
        char *path = reg_join(dir, names[i]);
        char hex[65];
        if (!path || cadre_sha256_file(path, hex, diags) != CADRE_OK) {
            free(path);
            err = CADRE_EIO;
            break;
        }
        free(path);
        cadre_register_entry e;
        reg_bind_text(by_hash, 1, hex);
        reg_bind_text(by_file, 1, names[i]);
        if (sqlite3_step(by_hash) == SQLITE_ROW) {
            reg_entry_read(by_hash, 0, &e);
            fn(names[i], CADRE_REGISTER_MATCH, &e, ctx);
        } else if (sqlite3_step(by_file) == SQLITE_ROW) {
            reg_entry_read(by_file, 0, &e);
            fn(names[i], CADRE_REGISTER_CHANGED, &e, ctx);
            ++*problems;
        } else {
            fn(names[i], CADRE_REGISTER_UNKNOWN, NULL, ctx);
            ++*problems;
        }
        sqlite3_reset(by_hash);
        sqlite3_reset(by_file);
    }
    sqlite3_finalize(by_hash);
    sqlite3_finalize(by_file);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return err;
}
