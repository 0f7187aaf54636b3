/*
 * files.h - where the tools find their data (templates, fonts), and how
 * they write outputs: never a half-written document, never over a file
 * the run has read.
 *
 * Every output is written to a temporary file in the target's directory
 * and renamed over the target only when complete, so a failure (a full
 * disk, a bad template, a crash) leaves whatever was there before.  A
 * target that is a symbolic link is written through it: the file it
 * points to is replaced, never the link.
 *
 * The process keeps two registries, shared by every module (they guard
 * the user's files, whichever module reads or writes): the files read as
 * input, which readers note with cadre_files_note_input() and no output
 * may replace, and the temporary files not yet committed, which a tool's
 * signal handler removes with cadre_outfile_remove_all().  Both are
 * process-wide and safe to use from several threads.
 *
 *     cadre_outfile out;
 *     if (cadre_outfile_begin(&out, "roster.xlsx", &diags) != CADRE_OK)
 *         return 1;
 *     workbook = workbook_new(out.tmp);   // write to out.tmp
 *     ...
 *     err = ok ? cadre_outfile_commit(&out, &diags) : (cadre_outfile_abort(&out), err);
 */
#ifndef CADRE_FILES_H
#define CADRE_FILES_H

#include <sys/stat.h>

#include "cadre/error.h"

typedef struct cadre_outfile {
    char *path;   /* the target, as given (for messages) */
    char *target; /* the file written: path with its links followed */
    char *tmp;    /* where to write: a fresh empty file beside the target,
                     or in $TMPDIR when the target is not a regular file
                     (a device such as /dev/full, a pipe, a descriptor
                     such as /dev/stdout), to be copied there on commit */
    int copy;     /* commit copies tmp to the target instead of renaming */
    struct cadre_temp *temp; /* tmp's entry among the files to remove on
                                a signal */
} cadre_outfile;

/* Note the file `st` describes (fstat() of a file being read) as an input
 * of this process: cadre_outfile_begin() refuses to write over it, by
 * any name or link.  Every reader of a file the user named calls it. */
void cadre_files_note_input(const struct stat *st);

/* Create the temporary file for `path`.  On failure, adds "cannot write
 * 'path': reason" to diags and returns CADRE_EIO (nothing was created).
 * A path that names one of the files the process has read as input (the
 * records, a template) is refused, so that no tool can overwrite its
 * own input; so is a file the process has already written (one path
 * given for two outputs). */
cadre_error cadre_outfile_begin(cadre_outfile *out, const char *path,
                                cadre_diags *diags);

/* Move the finished temporary file onto the target (readable as a file
 * created with the process's umask), or copy it to a device.  On failure,
 * removes it, adds "cannot write 'path': reason" and returns CADRE_EIO.
 * Releases `out` either way. */
cadre_error cadre_outfile_commit(cadre_outfile *out, cadre_diags *diags);

/* Remove the temporary file and release `out`.  Safe after commit. */
void cadre_outfile_abort(cadre_outfile *out);

/* Remove every temporary file begun and not yet committed or aborted, in
 * every thread: for a signal handler (it is async-signal-safe), which
 * then ends the process. */
void cadre_outfile_remove_all(void);

/* Find a shipped data file ("templates/roster/course.xml", "fonts/...")
 * in, in order: $CADRE_DATA_DIR, the source tree the running tool was
 * built in, and the installed data directory.  Returns a new path, or
 * NULL when not found.  Caller owns the result; free with free(). */
char *cadre_data_find(const char *rel);

/* Read the whole regular file at `path` (at most `max` bytes) into a
 * NUL-terminated buffer, its length in *len, and note it as an input (no
 * output may replace it).  NULL on failure, with a message naming `what`
 * ("cannot open public key 'k.pub': No such file or directory") and *err
 * CADRE_EIO (cannot be read, or not a regular file), CADRE_ELIMIT
 * (larger than `max`) or CADRE_ENOMEM.  Caller owns the result; free
 * with free(). */
char *cadre_file_read(const char *path, const char *what, size_t max,
                      size_t *len, cadre_error *err, cadre_diags *diags);

#endif
