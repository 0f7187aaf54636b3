/* register_run.c - the runs that issue certificates, and settling the
 * certificates a run that is over left pending: issued when their PDF is
 * complete on disk, deleted (their numbers freed) otherwise
 * (register_internal.h, docs/register.md "Several runs"). */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "register_internal.h"
#include "util/grow.h"

/* --- Which runs are over ------------------------------------------------ */

/* The start time of process `pid` (clock ticks after boot), or -1 when
 * there is none (a zombie is none: it died). */
static long long proc_start(long pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *f = fopen(path, "re");
    if (!f)
        return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    /* "PID (COMM) STATE ...": COMM may hold anything, even ')' */
    char *p = strrchr(buf, ')');
    if (!p || p[1] != ' ' || p[2] == 'Z' || p[2] == 'X')
        return -1;
    /* field 3 is STATE, field 22 the start time */
    for (int field = 3; field < 22 && p; field++)
        p = strchr(p + 1, ' ');
    return p ? strtoll(p + 1, NULL, 10) : -1;
}

/* What tells this machine since its last boot. */
static void boot_id(char *buf, size_t size)
{
    FILE *f = fopen("/proc/sys/kernel/random/boot_id", "re");
    buf[0] = '\0';
    if (f) {
        if (fgets(buf, (int)size, f))
            buf[strcspn(buf, "\n")] = '\0';
        fclose(f);
    }
}

static void host_name(char *buf, size_t size)
{
    if (gethostname(buf, size) != 0)
        buf[0] = '\0';
    buf[size - 1] = '\0';
}

/* True when the run row at `st` (pid, started, boot, host from column
 * 1) belongs to a process that still runs.  A run of another machine,
 * or of this one before a reboot we cannot tell, counts as running
 * unless the boot changed. */
static bool run_alive(sqlite3_stmt *st)
{
    char boot[64], host[256];
    boot_id(boot, sizeof boot);
    host_name(host, sizeof host);
    long pid = (long)sqlite3_column_int64(st, 1);
    long long started = sqlite3_column_int64(st, 2);
    const char *b = reg_column_text(st, 3), *h = reg_column_text(st, 4);
    if (!h || strcmp(h, host))
        return true;
    if (!b || strcmp(b, boot))
        return false;
    long long now = proc_start(pid);
    if (started < 0) /* no /proc when it started: the pid alone */
        return kill((pid_t)pid, 0) == 0 || errno == EPERM;
    return now == started;
}

cadre_error reg_run_begin(cadre_register *reg, const char *dir,
                          cadre_diags *diags)
{
    char boot[64], host[256], at[32];
    boot_id(boot, sizeof boot);
    host_name(host, sizeof host);
    time_t now = time(NULL);
    struct tm tm;
    strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
    sqlite3_stmt *st = reg_prepare(
        reg, "INSERT INTO run (pid, started, boot, host, dir, at) "
             "VALUES (?, ?, ?, ?, ?, ?)", diags);
    if (!st)
        return CADRE_EIO;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)getpid());
    sqlite3_bind_int64(st, 2, proc_start((long)getpid()));
    reg_bind_text(st, 3, boot);
    reg_bind_text(st, 4, host);
    reg_bind_text(st, 5, dir);
    reg_bind_text(st, 6, at);
    cadre_error err = CADRE_OK;
    if (sqlite3_step(st) != SQLITE_DONE)
        err = reg_fail(reg, diags, "write");
    else
        reg->run = sqlite3_last_insert_rowid(reg->db);
    sqlite3_finalize(st);
    return err;
}

/* --- Settling a run that is over ---------------------------------------- */

/* Issue the pending entry `id`: the PDF is complete.  A reissue replaces
 * the entry it names, in the appendix. */
static cadre_error finish_entry(cadre_register *reg, sqlite3_int64 id,
                                cadre_diags *diags)
{
    static const char *const sql[] = {
        "UPDATE entry SET status = 'replaced' WHERE status = 'issued' "
        "AND id = (SELECT replaces FROM entry WHERE id = ?1)",
        "INSERT INTO appendix (kind, entry, new_entry, date, reason, "
        "decision, at) SELECT 'reissue', replaces, id, issued, reason, "
        "decision, strftime('%Y-%m-%dT%H:%M:%SZ', 'now') FROM entry "
        "WHERE id = ?1 AND replaces IS NOT NULL",
        "UPDATE entry SET status = 'issued', run = NULL WHERE id = ?1",
    };
    cadre_error err = CADRE_OK;
    for (size_t k = 0; k < sizeof sql / sizeof sql[0] && !err; k++) {
        sqlite3_stmt *st = reg_prepare(reg, sql[k], diags);
        if (!st)
            return CADRE_EIO;
        sqlite3_bind_int64(st, 1, id);
        if (sqlite3_step(st) != SQLITE_DONE)
            err = reg_fail(reg, diags, "write");
        sqlite3_finalize(st);
    }
    return err;
}

/* True when the file at dir/name has the SHA-256 `sha`. */
static bool file_has_hash(const char *dir, const char *name, const char *sha)
{
    char *path = reg_join(dir, name);
    char hex[65];
    bool same = path && cadre_register_hash_file(path, hex, NULL) == CADRE_OK &&
                !strcmp(hex, sha);
    free(path);
    return same;
}

/* Decide for pending entry (id, dir, file_name, sha256 at `st`): true to
 * issue it (its PDF is complete at its name, moved there if need be),
 * false to delete it.  `moved`: the run itself moved its PDFs into place
 * just now, having hashed them; a file there is the one it hashed. */
static bool pdf_complete(sqlite3_stmt *st, sqlite3_int64 run, bool moved)
{
    const char *dir = reg_column_text(st, 1), *name = reg_column_text(st, 2),
               *sha = reg_column_text(st, 3);
    if (!dir || !name || !sha)
        return false; /* died before its PDF was complete */
    if (moved) {
        char *path = reg_join(dir, name);
        bool there = path && access(path, F_OK) == 0;
        free(path);
        if (there)
            return true;
    }
    if (file_has_hash(dir, name, sha))
        return true;
    char *pending = reg_pending_name(name, run);
    bool done = false;
    if (pending && file_has_hash(dir, pending, sha)) {
        char *from = reg_join(dir, pending), *to = reg_join(dir, name);
        done = from && to && rename(from, to) == 0;
        free(from);
        free(to);
    }
    free(pending);
    return done;
}

/* Remove what run `run` left in `dir`: its pending PDFs and the
 * temporary files they were being written through. */
static void remove_leftovers(const char *dir, sqlite3_int64 run)
{
    char mark[48];
    snprintf(mark, sizeof mark, ".%lld.pending", (long long)run);
    DIR *d = dir ? opendir(dir) : NULL;
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] != '.' || !strstr(de->d_name, mark))
            continue;
        char *path = reg_join(dir, de->d_name);
        if (path)
            unlink(path);
        free(path);
    }
    closedir(d);
}

/* A pending entry of a run that is over, and whether its PDF is
 * complete. */
struct pending {
    sqlite3_int64 id;
    bool complete;
};

/* Every pending entry of run `run`, judged: *out (an array of *n) is the
 * caller's to free.  All are judged before any changes, so that the walk
 * sees the table unchanged. */
static cadre_error judge_pending(cadre_register *reg, sqlite3_int64 run,
                                 bool moved, struct pending **out, size_t *n,
                                 cadre_diags *diags)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *st = reg_prepare(
        reg, "SELECT id, dir, file_name, sha256 FROM entry "
             "WHERE run = ? AND status = 'pending'", diags);
    if (!st)
        return CADRE_EIO;
    sqlite3_bind_int64(st, 1, run);
    size_t cap = 0;
    cadre_error err = CADRE_OK;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!GROW(*out, cap, *n + 1)) {
            cadre_diags_error(diags, NULL, 0, "out of memory");
            err = CADRE_ENOMEM;
            break;
        }
        (*out)[*n].id = sqlite3_column_int64(st, 0);
        (*out)[(*n)++].complete = pdf_complete(st, run, moved);
    }
    if (!err && rc != SQLITE_DONE)
        err = reg_fail(reg, diags, "read");
    sqlite3_finalize(st);
    return err;
}

/* Remove the run's row, and what it left in its folder. */
static cadre_error forget_run(cadre_register *reg, sqlite3_int64 run,
                              cadre_diags *diags)
{
    sqlite3_stmt *st = reg_prepare(reg, "SELECT dir FROM run WHERE id = ?",
                                   diags);
    if (!st)
        return CADRE_EIO;
    sqlite3_bind_int64(st, 1, run);
    if (sqlite3_step(st) == SQLITE_ROW)
        remove_leftovers(reg_column_text(st, 0), run);
    sqlite3_finalize(st);
    if (!(st = reg_prepare(reg, "DELETE FROM run WHERE id = ?", diags)))
        return CADRE_EIO;
    sqlite3_bind_int64(st, 1, run);
    cadre_error err = sqlite3_step(st) == SQLITE_DONE
                          ? CADRE_OK : reg_fail(reg, diags, "write");
    sqlite3_finalize(st);
    return err;
}

cadre_error reg_settle_run(cadre_register *reg, sqlite3_int64 run, bool moved,
                           cadre_diags *diags)
{
    struct pending *p;
    size_t n;
    cadre_error err = judge_pending(reg, run, moved, &p, &n, diags);
    sqlite3_stmt *del = err ? NULL : reg_prepare(
        reg, "DELETE FROM entry WHERE id = ?", diags);
    if (!err && !del)
        err = CADRE_EIO;
    for (size_t i = 0; i < n && !err; i++) {
        if (p[i].complete) {
            err = finish_entry(reg, p[i].id, diags);
            continue;
        }
        sqlite3_bind_int64(del, 1, p[i].id);
        if (sqlite3_step(del) != SQLITE_DONE)
            err = reg_fail(reg, diags, "write");
        sqlite3_reset(del);
    }
    sqlite3_finalize(del);
    free(p);
    return err ? err : forget_run(reg, run, diags);
}

cadre_error reg_settle_dead(cadre_register *reg, cadre_diags *diags)
{
    sqlite3_stmt *st = reg_prepare(
        reg, "SELECT id, pid, started, boot, host FROM run", diags);
    if (!st)
        return CADRE_EIO;
    sqlite3_int64 dead[64];
    size_t n = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < 64) {
        sqlite3_int64 id = sqlite3_column_int64(st, 0);
        if (id != reg->run && !run_alive(st))
            dead[n++] = id;
    }
    cadre_error err = rc == SQLITE_ROW || rc == SQLITE_DONE
                          ? CADRE_OK : reg_fail(reg, diags, "read");
    sqlite3_finalize(st);
    /* more than 64 at once: the next open settles the rest */
    for (size_t i = 0; i < n && !err; i++)
        err = reg_settle_run(reg, dead[i], false, diags);
    return err;
}

