/* register_internal.h - what the parts of the register share: the open
 * database (register.c), statements and transactions with their errors
 * turned into cadrekit's (register_sql.c), and the runs and the settling
 * of their pending certificates (register_run.c).  Drawing numbers
 * (register_draw.c) and what builds on it, issuing and importing, have
 * their own header, register_draw.h; reading, revoking, checking a folder
 * and the workbook build on this one. */
#ifndef CADRE_REGISTER_INTERNAL_H
#define CADRE_REGISTER_INTERNAL_H

#include <sqlite3.h>

#include "cadre/register.h"

/* How long a process waits for another that holds the register (ms):
 * others hold it for a few statements at a time. */
#define REG_BUSY_MS 60000

/* Statements prepared once per connection, for those run per
 * certificate: found by the address of their SQL text. */
#define REG_CACHED 8

struct cadre_register {
    sqlite3 *db;          /* the connection: busy timeout, WAL */
    char *path;           /* as given, for messages */
    sqlite3_int64 run;    /* this process's row in `run` while it issues,
                             or 0 */
    struct {
        const char *sql;  /* a string literal: compared by address */
        sqlite3_stmt *st;
    } cached[REG_CACHED];
};

/* The columns of `entry` that make a cadre_register_entry, in the order
 * reg_entry_read() reads them, for "SELECT " REG_ENTRY_COLUMNS " FROM
 * entry ...". */
#define REG_ENTRY_COLUMNS                                                     \
    "number, register_no, cadre_id, full_name, gender, ethnicity, unit, "     \
    "birth, course_id, course_title, course_type, course_start, course_end, " \
    "grade, issued, decision, file_name, sha256, status"
#define REG_ENTRY_NCOLUMNS 19

/* Fill `e` from the row of `st` whose columns from `first` on are
 * REG_ENTRY_COLUMNS; its strings live until the statement steps again. */
void reg_entry_read(sqlite3_stmt *st, int first, cadre_register_entry *e);

/* A failure of SQLite on `reg` turned into a message ("cannot write
 * register 'x': database or disk is full") and the cadrekit error. */
cadre_error reg_fail(cadre_register *reg, cadre_diags *diags, const char *what);

/* Prepare `sql`; NULL after a message. */
sqlite3_stmt *reg_prepare(cadre_register *reg, const char *sql,
                          cadre_diags *diags);

/* The statement for `sql`, a string literal, prepared on first use and
 * kept by `reg`: the caller binds, steps and then resets it
 * (sqlite3_reset: a statement left stepping would hold the register's
 * snapshot), never finalizes it.  NULL after a message. */
sqlite3_stmt *reg_cached(cadre_register *reg, const char *sql,
                         cadre_diags *diags);

/* Run `sql` (no rows wanted). */
cadre_error reg_exec(cadre_register *reg, const char *sql, cadre_diags *diags);

/* BEGIN IMMEDIATE (waiting for the busy timeout), COMMIT, ROLLBACK. */
cadre_error reg_begin(cadre_register *reg, cadre_diags *diags);
cadre_error reg_commit(cadre_register *reg, cadre_diags *diags);
void reg_rollback(cadre_register *reg);

/* Bind text (NULL binds NULL), a date as the records write it (unset:
 * NULL). */
void reg_bind_text(sqlite3_stmt *st, int i, const char *s);
void reg_bind_date(sqlite3_stmt *st, int i, cadre_date d);

/* Column `i` as a date (NULL or not a date: unset), as text (NULL). */
cadre_date reg_column_date(sqlite3_stmt *st, int i);
const char *reg_column_text(sqlite3_stmt *st, int i);

/* Today, or SOURCE_DATE_EPOCH's day when set (reproducible tests). */
cadre_date reg_today(void);

/* Settle run `run`, which is over (it died, or it is this process's and
 * it finishes or gives up), within a transaction: a pending certificate
 * whose complete PDF is on disk (at its name, or at its pending name,
 * then renamed) is issued; any other is deleted, freeing its numbers; the
 * run's pending files go, and so does the run.  `moved`: this process's
 * run, which has just moved the PDFs it hashed into place (a PDF at its
 * name is not hashed again). */
cadre_error reg_settle_run(cadre_register *reg, sqlite3_int64 run, bool moved,
                           cadre_diags *diags);

/* Start this process's run (within a transaction): its row tells others
 * that the certificates it holds pending are being written, into `dir`
 * (absolute), until the process ends. */
cadre_error reg_run_begin(cadre_register *reg, const char *dir,
                          cadre_diags *diags);

/* Settle every run whose process is gone (within a transaction). */
cadre_error reg_settle_dead(cadre_register *reg, cadre_diags *diags);

/* The name a pending PDF of run `run` is written under in its folder:
 * ".NAME.RUN.pending".  Caller frees. */
char *reg_pending_name(const char *file_name, sqlite3_int64 run);

/* A text the user gave (a reason, a decision) as the register keeps it:
 * trimmed, NFC, on one line.  NULL after "the WHAT is empty" (or not
 * UTF-8, or holds a control character).  Caller frees. */
char *reg_clean_text(const char *s, const char *what, cadre_diags *diags);

/* "a/b" (caller frees), NULL when out of memory. */
char *reg_join(const char *dir, const char *name);

#endif
