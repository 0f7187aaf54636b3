/* register.c - the register's file: its schema, one migration per
 * version; making it, opening it (which migrates it and settles what dead
 * runs left pending, register_run.c) and closing it (register.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cadre/files.h"
#include "register_internal.h"

/* "cdrg": PRAGMA application_id of a cadrekit register, so that another
 * program's SQLite file is told apart from ours. */
#define REG_APPLICATION_ID 0x63647267

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
