/*
 * files.h - where the tools find their data (templates, fonts), and how
 * they write outputs: never a half-written document.
 *
 * Every output is written to a temporary file in the target's directory
 * and renamed over the target only when complete, so a failure (a full
 * disk, a bad template, a crash) leaves whatever was there before.
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

#include "cadre/error.h"

typedef struct cadre_outfile {
    char *path; /* the target, as given */
    char *tmp;  /* where to write: a fresh empty file beside the target, or
                   in $TMPDIR when the target is not a regular file (a
                   device such as /dev/stdout or /dev/full), to be copied
                   there on commit */
    int copy;   /* commit copies tmp to the target instead of renaming */
} cadre_outfile;

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

/* Find a shipped data file ("templates/roster/course.xml", "fonts/...")
 * in, in order: $CADRE_DATA_DIR, the source tree the running tool was
 * built in, and the installed data directory.  Returns a new path, or
 * NULL when not found.  Caller owns the result; free with free(). */
char *cadre_data_find(const char *rel);

#endif
