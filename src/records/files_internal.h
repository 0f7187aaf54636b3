/*
 * files_internal.h (internal) - what the readers tell the writers: every
 * file read as input is noted, and cadre_outfile_begin() refuses to write
 * over one of them (`cadre-report -o cadres.xml cadres.xml` must not eat
 * the records).
 */
#ifndef CADRE_FILES_INTERNAL_H
#define CADRE_FILES_INTERNAL_H

#include <sys/stat.h>

/* Note the file `st` describes as an input of this process. */
void cadre_files_note_input(const struct stat *st);

#endif
