/* register.c - the register's file: making it, opening and migrating it,
 * SQLite's errors in cadrekit's words, and settling the certificates a
 * run left pending (register.h, register_internal.h). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cadre/files.h"
#include "cadre/text.h"
#include "register_internal.h"

/* "cdrg": PRAGMA application_id of a cadrekit register, so that another
 * program's SQLite file is told apart from ours. */
#define REG_APPLICATION_ID 0x63647267

/* How long a process waits for another that holds the register (ms):
 * others hold it for a few statements at a time. */
#define REG_BUSY_MS 60000

/* The schema, one script per version: migrations[v - 1] takes a register
 * from version v - 1 to v.  A released script never changes; a new
 * version appends one (docs/register.md, "Schema"). */
static const char *const migrations[] = {
    /* 1: the register, its runs and its appendix */
    "CREATE TABLE meta (\n"
    "  key TEXT PRIMARY KEY,\n"
    "  value TEXT NOT NULL\n"
    ") WITHOUT ROWID;\n"
    /* a process issuing certificates, while it does */
    "CREATE TABLE run (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  pid INTEGER NOT NULL,\n"
    "  started INTEGER NOT NULL,\n" /* its start, clock ticks after boot */
    "  boot TEXT NOT NULL,\n"       /* /proc/sys/kernel/random/boot_id */
    "  host TEXT NOT NULL,\n"
    "  dir TEXT NOT NULL,\n"        /* where it writes PDFs, absolute */
    "  at TEXT NOT NULL\n"
    ");\n"
    "CREATE TABLE entry (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  status TEXT NOT NULL CHECK (status IN\n"
    "    ('pending', 'issued', 'replaced', 'revoked')),\n"
    "  number TEXT NOT NULL UNIQUE,\n"
    "  register_no TEXT NOT NULL,\n"
    "  reg_year INTEGER NOT NULL,\n"
    "  reg_type TEXT NOT NULL,\n"
    "  reg_seq INTEGER NOT NULL,\n"
    "  cadre_id TEXT NOT NULL,\n"
    "  full_name TEXT NOT NULL,\n"
    "  gender TEXT NOT NULL,\n"
    "  birth TEXT NOT NULL,\n"
    "  ethnicity TEXT,\n"
    "  unit TEXT,\n"
    "  course_id TEXT NOT NULL,\n"
    "  course_title TEXT NOT NULL,\n"
    "  course_type TEXT NOT NULL,\n"
    "  course_start TEXT NOT NULL,\n"
    "  course_end TEXT NOT NULL,\n"
    "  grade TEXT,\n"
    "  issued TEXT NOT NULL,\n"
    "  decision TEXT,\n"
    "  replaces INTEGER REFERENCES entry(id),\n"
    "  reason TEXT,\n"
    "  file_name TEXT,\n"
    "  dir TEXT,\n"
    "  sha256 TEXT,\n"
    "  run INTEGER REFERENCES run(id),\n"
    "  entered TEXT NOT NULL,\n"
    "  UNIQUE (reg_year, reg_type, reg_seq)\n"
    ");\n"
    "CREATE UNIQUE INDEX entry_issued ON entry(course_id, cadre_id)\n"
    "  WHERE status = 'issued';\n"
    "CREATE INDEX entry_person ON entry(course_id, cadre_id);\n"
    "CREATE INDEX entry_sha256 ON entry(sha256);\n"
    "CREATE INDEX entry_run ON entry(run) WHERE run IS NOT NULL;\n"
    "CREATE TABLE appendix (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  kind TEXT NOT NULL CHECK (kind IN ('reissue', 'revoke')),\n"
    "  entry INTEGER NOT NULL REFERENCES entry(id),\n"
    "  new_entry INTEGER REFERENCES entry(id),\n"
    "  date TEXT NOT NULL,\n"
    "  reason TEXT NOT NULL,\n"
    "  decision TEXT NOT NULL,\n"
    "  at TEXT NOT NULL\n"
    ");\n",
};

_Static_assert(sizeof migrations / sizeof migrations[0] == CADRE_REGISTER_SCHEMA,
               "one migration per schema version");

/* --- SQLite in cadrekit's words ----------------------------------------- */

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
        cadre_diags_error(diags, NULL, 0, "cannot %s register '%s': %s", what,
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
        [CADRE_REGISTER_PENDING] = "pending",
        [CADRE_REGISTER_ISSUED] = "issued",
        [CADRE_REGISTER_REPLACED] = "replaced",
        [CADRE_REGISTER_REVOKED] = "revoked",
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
        cadre_diags_error(diags, NULL, 0, "the %s %s", what,
                          fault == CADRE_TEXT_BAD_UTF8 ? "is not valid UTF-8"
                          : len == 0 ? "is empty"
                                     : "holds a control character or a line break");
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
static bool file_is(const char *dir, const char *name, const char *sha)
{
    char *path = reg_join(dir, name);
    char hex[65];
    bool same = path && cadre_sha256_file(path, hex, NULL) == CADRE_OK &&
                !strcmp(hex, sha);
    free(path);
    return same;
}

/* Decide for pending entry (id, dir, file_name, sha256 at `st`): true to
 * issue it (its PDF is complete at its name, moved there if need be),
 * false to delete it.  `moved`: the run itself moved its PDFs into place
 * just now, having hashed them; a file there is the one it hashed. */
static bool complete(sqlite3_stmt *st, sqlite3_int64 run, bool moved)
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
    if (file_is(dir, name, sha))
        return true;
    char *pending = reg_pending_name(name, run);
    bool done = false;
    if (pending && file_is(dir, pending, sha)) {
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

cadre_error reg_settle_run(cadre_register *reg, sqlite3_int64 run, bool moved,
                           cadre_diags *diags)
{
    sqlite3_stmt *st = reg_prepare(
        reg, "SELECT id, dir, file_name, sha256 FROM entry "
             "WHERE run = ? AND status = 'pending'", diags);
    if (!st)
        return CADRE_EIO;
    sqlite3_bind_int64(st, 1, run);
    /* decide first, change after: the walk sees the table unchanged */
    sqlite3_int64 *ids = NULL;
    bool *done = NULL;
    size_t n = 0, cap = 0;
    cadre_error err = CADRE_OK;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            sqlite3_int64 *i2 = realloc(ids, cap * sizeof *ids);
            bool *d2 = i2 ? realloc(done, cap * sizeof *done) : NULL;
            ids = i2 ? i2 : ids;
            done = d2 ? d2 : done;
            if (!i2 || !d2) {
                err = CADRE_ENOMEM;
                break;
            }
        }
        ids[n] = sqlite3_column_int64(st, 0);
        done[n++] = complete(st, run, moved);
    }
    if (err == CADRE_OK && rc != SQLITE_DONE)
        err = reg_fail(reg, diags, "read");
    sqlite3_finalize(st);
    if (err == CADRE_ENOMEM)
        cadre_diags_error(diags, NULL, 0, "out of memory");

    sqlite3_stmt *del = err ? NULL : reg_prepare(reg, "DELETE FROM entry WHERE id = ?", diags);
    if (!err && !del)
        err = CADRE_EIO;
    for (size_t i = 0; i < n && !err; i++) {
        if (done[i]) {
            err = finish_entry(reg, ids[i], diags);
            continue;
        }
        sqlite3_bind_int64(del, 1, ids[i]);
        if (sqlite3_step(del) != SQLITE_DONE)
            err = reg_fail(reg, diags, "write");
        sqlite3_reset(del);
    }
    sqlite3_finalize(del);
    free(ids);
    free(done);

    st = err ? NULL : reg_prepare(reg, "SELECT dir FROM run WHERE id = ?", diags);
    if (st) {
        sqlite3_bind_int64(st, 1, run);
        if (sqlite3_step(st) == SQLITE_ROW)
            remove_leftovers(reg_column_text(st, 0), run);
        sqlite3_finalize(st);
        st = reg_prepare(reg, "DELETE FROM run WHERE id = ?", diags);
        sqlite3_bind_int64(st, 1, run);
        if (!st || sqlite3_step(st) != SQLITE_DONE)
            err = st ? reg_fail(reg, diags, "write") : CADRE_EIO;
        sqlite3_finalize(st);
    } else if (!err) {
        err = CADRE_EIO;
    }
    return err;
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

/* --- Opening ------------------------------------------------------------ */

static int pragma_int(cadre_register *reg, const char *sql, int *out,
                      cadre_diags *diags)
{
    sqlite3_stmt *st = reg_prepare(reg, sql, diags);
    if (!st)
        return -1;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int(st, 0);
    else
        reg_fail(reg, diags, "read");
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : -1;
}

/* A connection to `path` (which exists) with the settings every use
 * needs; NULL after a message. */
static cadre_register *connect(const char *path, cadre_diags *diags)
{
    cadre_register *reg = calloc(1, sizeof *reg);
    if (!reg || !(reg->path = strdup(path))) {
        free(reg);
        cadre_diags_error(diags, NULL, 0, "out of memory");
        return NULL;
    }
    if (sqlite3_open_v2(path, &reg->db, SQLITE_OPEN_READWRITE, NULL) !=
        SQLITE_OK) {
        if (reg->db)
            reg_fail(reg, diags, "open");
        else
            cadre_diags_error(diags, NULL, 0, "out of memory");
        cadre_register_close(reg);
        return NULL;
    }
    sqlite3_busy_timeout(reg->db, REG_BUSY_MS);
    return reg;
}

/* Bring the register to CADRE_REGISTER_SCHEMA from whatever version it
 * has (0: a new file), in one transaction. */
static cadre_error migrate(cadre_register *reg, cadre_diags *diags)
{
    cadre_error err = reg_begin(reg, diags);
    int version = 0;
    if (!err && pragma_int(reg, "PRAGMA user_version", &version, diags))
        err = CADRE_EIO;
    for (int v = version; !err && v < CADRE_REGISTER_SCHEMA; v++)
        err = reg_exec(reg, migrations[v], diags);
    if (!err && version < CADRE_REGISTER_SCHEMA) {
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA user_version = %d",
                 CADRE_REGISTER_SCHEMA);
        err = reg_exec(reg, sql, diags);
    }
    if (!err && version == 0) {
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA application_id = %d",
                 REG_APPLICATION_ID);
        err = reg_exec(reg, sql, diags);
    }
    if (!err)
        return reg_commit(reg, diags);
    reg_rollback(reg);
    return err;
}

cadre_error cadre_register_create(const char *path, cadre_diags *diags)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0) {
        cadre_diags_error(diags, NULL, 0, "cannot create register '%s': %s",
                          path, errno == EEXIST ? "a file of that name exists"
                                                : strerror(errno));
        return CADRE_EIO;
    }
    close(fd);
    cadre_register *reg = connect(path, diags);
    cadre_error err = reg ? CADRE_OK : CADRE_EIO;
    /* WAL: readers never wait for a writer, and a write is one append */
    if (!err)
        err = reg_exec(reg, "PRAGMA journal_mode = WAL", diags);
    if (!err)
        err = migrate(reg, diags);
    cadre_register_close(reg);
    if (err) {
        /* ours, made above, with SQLite's files beside it */
        static const char *const sides[] = { "", "-wal", "-shm" };
        for (size_t i = 0; i < 3; i++) {
            size_t size = strlen(path) + 5;
            char *side = malloc(size);
            if (side) {
                snprintf(side, size, "%s%s", path, sides[i]);
                unlink(side);
            }
            free(side);
        }
    }
    return err;
}

/* Check that the file `reg` opened is a register this library can use. */
static cadre_error check_kind(cadre_register *reg, cadre_diags *diags)
{
    int app = 0, version = 0, objects = 0;
    if (pragma_int(reg, "PRAGMA application_id", &app, diags) ||
        pragma_int(reg, "PRAGMA user_version", &version, diags) ||
        pragma_int(reg, "SELECT count(*) FROM sqlite_master", &objects, diags))
        return CADRE_EIO;
    if (app != REG_APPLICATION_ID) {
        if (objects == 0)
            cadre_diags_error(diags, NULL, 0, "'%s' is not a register: it is "
                              "empty (make one with 'cadre-register %s "
                              "create')", reg->path, reg->path);
        else
            cadre_diags_error(diags, NULL, 0, "'%s' is not a register: an "
                              "SQLite database of another program",
                              reg->path);
        return CADRE_EIO;
    }
    if (version > CADRE_REGISTER_SCHEMA) {
        cadre_diags_error(diags, NULL, 0, "register '%s' has schema version "
                          "%d, newer than this cadrekit knows (%d): use a "
                          "newer cadrekit", reg->path, version,
                          CADRE_REGISTER_SCHEMA);
        return CADRE_EIO;
    }
    if (version < CADRE_REGISTER_SCHEMA)
        return migrate(reg, diags);
    return CADRE_OK;
}

cadre_error cadre_register_open(cadre_register **out, const char *path,
                                cadre_diags *diags)
{
    *out = NULL;
    struct stat st;
    int e = stat(path, &st) != 0 ? errno : S_ISDIR(st.st_mode) ? EISDIR : 0;
    if (e) {
        if (e == ENOENT)
            cadre_diags_error(diags, NULL, 0, "cannot open register '%s': %s "
                              "(make one with 'cadre-register %s create')",
                              path, strerror(e), path);
        else
            cadre_diags_error(diags, NULL, 0, "cannot open register '%s': %s",
                              path, strerror(e));
        return CADRE_EIO;
    }
    /* no output of this process may replace the register */
    cadre_files_note_input(&st);
    cadre_register *reg = connect(path, diags);
    if (!reg)
        return CADRE_EIO;
    cadre_error err = check_kind(reg, diags);
    if (!err)
        err = reg_exec(reg, "PRAGMA synchronous = FULL; "
                            "PRAGMA foreign_keys = ON", diags);
    /* settle what dead processes left: a quick look first, so that
     * reading a register that has nothing pending takes no write lock */
    int runs = 0;
    if (!err && pragma_int(reg, "SELECT count(*) FROM run", &runs, diags))
        err = CADRE_EIO;
    if (!err && runs > 0) {
        err = reg_begin(reg, diags);
        if (!err)
            err = reg_settle_dead(reg, diags);
        err = err ? (reg_rollback(reg), err) : reg_commit(reg, diags);
    }
    if (err) {
        cadre_register_close(reg);
        return err;
    }
    *out = reg;
    return CADRE_OK;
}

void cadre_register_close(cadre_register *reg)
{
    if (!reg)
        return;
    for (size_t i = 0; i < REG_CACHED; i++)
        sqlite3_finalize(reg->cached[i].st);
    sqlite3_close(reg->db);
    free(reg->path);
    free(reg);
}
