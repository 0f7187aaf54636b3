/*
 * register.h - the certificate register (sổ gốc cấp chứng chỉ) of one
 * issuing body, kept in an SQLite file (docs/register.md).
 *
 * A certificate's number (số hiệu, from the template's pattern) and its
 * số vào sổ (consecutive by year and course type) are drawn once and
 * kept; its fields and the SHA-256 of its PDF are stored at issue, so
 * issuing a course again gives the same numbers and the same bytes, and a
 * certificate whose records changed is refused, or replaced by a new one
 * when asked (a reissue, written in the appendix, phụ lục, with the
 * revocations).  Several processes may use one register at once; a
 * process killed at any moment leaves it consistent with the PDFs on disk
 * (numbers drawn wait as "pending" until their PDF is complete; the next
 * open finishes or rolls back those of a dead process).  The file is
 * never replaced, only changed in transactions.
 *
 *     cadre_register *reg;
 *     if (cadre_register_open(&reg, "so-goc.sqlite", &diags) == CADRE_OK) {
 *         cadre_register_issue_options o;
 *         cadre_register_issue_options_init(&o, "chung-nhan");
 *         err = cadre_register_issue(reg, tmpl, &batch, &o, &diags);
 *         cadre_register_close(reg);
 *     }
 *
 * Every function reports problems in `diags` and returns a cadre_error:
 * CADRE_EIO for a register that cannot be opened, read or written (a
 * missing file, not a register, damaged, from a newer cadrekit: the
 * tool's "unreadable input"), CADRE_EINVALID for what the register
 * refuses (a changed certificate, an unknown number), CADRE_ENOMEM.
 *
 * Threads: a register handle belongs to one thread.  Several handles,
 * threads or processes may use one register file at once: every change is
 * an SQLite transaction with a busy timeout.
 */
#ifndef CADRE_REGISTER_H
#define CADRE_REGISTER_H

#include <stdbool.h>
#include <stddef.h>

#include "cadre/cert.h"
#include "cadre/date.h"
#include "cadre/error.h"
#include "cadre/records.h"

/* An open register. */
typedef struct cadre_register cadre_register;

/* The schema version this library writes (PRAGMA user_version); older
 * registers are migrated when opened, newer ones refused. */
#define CADRE_REGISTER_SCHEMA 1

/* Make a new, empty register at `path`; an existing file is never
 * touched (CADRE_EIO, "already exists"). */
cadre_error cadre_register_create(const char *path, cadre_diags *diags);

/* Open the register at `path` (which must exist: a register is made with
 * cadre_register_create(), so a mistyped name never starts a second
 * numbering), migrate it to CADRE_REGISTER_SCHEMA and settle what
 * processes that died left pending.  On success *out is the register;
 * close it with cadre_register_close().  `path` is copied. */
cadre_error cadre_register_open(cadre_register **out, const char *path,
                                cadre_diags *diags);

/* Close the register.  NULL is allowed. */
void cadre_register_close(cadre_register *reg);

/* How cadre_register_issue() issues a batch. */
typedef struct cadre_register_issue_options {
    const char *dir;       /* where the PDFs go (required); borrowed */
    int jobs;              /* processes writing them (default 1) */
    const char *decision;  /* "số và ngày quyết định" of the certificates
                              drawn in this run, or NULL */
    bool reissue;          /* replace the certificates whose PDF would
                              change, instead of refusing */
    const char *reason;    /* reissue: why (required with reissue) */
    cadre_date date;       /* reissue: the new certificates' issue date;
                              unset: today */
    /* Called after the register gave the batch its numbers (again after
     * a reissue renumbered some), before any certificate is drawn: the
     * place for what depends on the numbers (a signed QR code).  NULL:
     * nothing.  A failure stops the issue. */
    cadre_error (*numbered)(cadre_cert_batch *b, void *ctx,
                            cadre_diags *diags);
    void *ctx;             /* passed to numbered */
} cadre_register_issue_options;

/* Defaults: PDFs into `dir`, one process, no decision, no reissue. */
void cadre_register_issue_options_init(cadre_register_issue_options *o,
                                       const char *dir);

/* Issue the certificates of `b` through the register and write their
 * PDFs into o->dir.  A certificate already in the register keeps its
 * numbers and date and must come out byte for byte as issued (else it is
 * refused, naming what changed, or with o->reissue replaced by a new
 * one); the others draw the next free numbers.  The batch's numbers,
 * register numbers, dates and file names are set to the register's, so
 * the caller can write the combined file after.  On failure no number is
 * kept and no certificate is left half written. */
cadre_error cadre_register_issue(cadre_register *reg,
                                 const cadre_cert_tmpl *t,
                                 cadre_cert_batch *b,
                                 const cadre_register_issue_options *o,
                                 cadre_diags *diags);

/* Write the XLSX register of course `course_id` at `path`, as
 * cadre_cert_write_register() does, from what the register holds: every
 * certificate of the course it has issued (whose cadre is in `recs`), in
 * the order of the register, with its numbers and date. */
cadre_error cadre_register_write_course(cadre_register *reg,
                                        const cadre_records *recs,
                                        const char *course_id,
                                        const char *path, cadre_diags *diags);

/* Enter the certificate numbers the records already hold
 * (participant@certificate-no and @issued of those who completed the
 * courses `courses`, or of every course when n_courses is 0: issued
 * elsewhere or before the register) as issued certificates without a
 * PDF, in the order of their issue date; the template `t` gives their
 * số vào sổ.  A number the register has for the same certificate is
 * skipped; one it has for another is an error.  All or nothing.
 * *entered and *present (may be NULL) count the numbers entered and
 * those already there. */
cadre_error cadre_register_import(cadre_register *reg,
                                  const cadre_records *recs,
                                  const cadre_cert_tmpl *t,
                                  const char *const *courses, size_t n_courses,
                                  size_t *entered, size_t *present,
                                  cadre_diags *diags);

/* The state of a certificate in the register. */
typedef enum cadre_register_status {
    CADRE_REGISTER_PENDING,  /* numbers drawn, PDF being written */
    CADRE_REGISTER_ISSUED,
    CADRE_REGISTER_REPLACED, /* reissued under another number */
    CADRE_REGISTER_REVOKED
} cadre_register_status;

/* "pending", "issued", "replaced", "revoked". */
const char *cadre_register_status_name(cadre_register_status s);

/* One certificate as the register holds it.  Strings are borrowed for
 * the call of the function they are given to; NULL when not known. */
typedef struct cadre_register_entry {
    const char *number;       /* số hiệu */
    const char *register_no;  /* số vào sổ */
    const char *cadre_id, *full_name, *gender, *ethnicity, *unit;
    cadre_date birth;
    const char *course_id, *course_title, *course_type;
    cadre_date course_start, course_end;
    const char *grade;        /* code (kha), or NULL */
    cadre_date issued;
    const char *decision;     /* số và ngày quyết định, or NULL */
    const char *file_name;    /* its PDF's name, NULL when imported */
    const char *sha256;       /* hex, NULL when imported */
    cadre_register_status status;
} cadre_register_entry;

/* Call `fn` for every certificate, in the order they entered the
 * register; a non-zero return stops the walk (and is not an error). */
cadre_error cadre_register_each(cadre_register *reg,
                                int (*fn)(const cadre_register_entry *e,
                                          void *ctx),
                                void *ctx, cadre_diags *diags);

/* Revoke the certificate `number` on `date` (unset: today), with the
 * reason and the decision; it stays in the register, marked, and the
 * appendix says so.  CADRE_EINVALID for an unknown number or one that is
 * not issued (already revoked, replaced, pending). */
cadre_error cadre_register_revoke(cadre_register *reg, const char *number,
                                  cadre_date date, const char *reason,
                                  const char *decision, cadre_diags *diags);

/* A revoked certificate. */
typedef struct cadre_register_revocation {
    char *number;   /* số hiệu */
    cadre_date date;
    char *reason;
    char *decision;
} cadre_register_revocation;

/* Every revoked certificate, in the order revoked: *out (an array of *n,
 * NULL when none) is the caller's; free with
 * cadre_register_revocations_free(). */
cadre_error cadre_register_revocations(cadre_register *reg,
                                       cadre_register_revocation **out,
                                       size_t *n, cadre_diags *diags);
void cadre_register_revocations_free(cadre_register_revocation *v, size_t n);

/* What cadre_register_check_dir() found for one file. */
typedef enum cadre_register_verdict {
    CADRE_REGISTER_MATCH,   /* a certificate of the register, unchanged */
    CADRE_REGISTER_CHANGED, /* bears a certificate's file name, but not
                               its content */
    CADRE_REGISTER_UNKNOWN  /* no certificate of the register */
} cadre_register_verdict;

/* Check every PDF (*.pdf, not hidden) in `dir` against the hashes the
 * register stored, calling `fn` for each in name order with the file's
 * name, the verdict and the certificate (NULL when unknown).  *problems
 * counts the files changed or unknown. */
cadre_error cadre_register_check_dir(cadre_register *reg, const char *dir,
                                     void (*fn)(const char *file,
                                                cadre_register_verdict v,
                                                const cadre_register_entry *e,
                                                void *ctx),
                                     void *ctx, size_t *problems,
                                     cadre_diags *diags);

/* Write the register as XLSX at `path` (through a temporary file): the
 * sổ gốc in its official columns, and the appendix as a second sheet. */
cadre_error cadre_register_export(cadre_register *reg, const char *path,
                                  cadre_diags *diags);

/* The SHA-256 of the file at `path` as 64 lower-case hex digits and a
 * NUL in `hex`.  CADRE_EIO (with a message) when it cannot be read. */
cadre_error cadre_register_hash_file(const char *path, char hex[65],
                                     cadre_diags *diags);

#endif
