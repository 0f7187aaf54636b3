/*
 * import_build.h (internal) - from the rows the table read to the records
 * an import writes (import_build.c): units, cadres and their ids, or the
 * participants of a course.
 */
#ifndef CADRE_IMPORT_BUILD_H
#define CADRE_IMPORT_BUILD_H

#include "import_internal.h"
#include "util/strmap.h"

/* Where a cadre was read, for messages about it after its file. */
typedef struct imp_src {
    const imp_file *file;
    uint32_t row, col;
} imp_src;

typedef struct imp_builder {
    const cadre_import_options *o;
    cadre_diags *diags;      /* where messages go now ... */
    cadre_diags *real_diags; /* ... and where they go but during a file's
                                first pass */
    cadre_error status;      /* out of memory */
    size_t errors;           /* data errors found here */
    imp_out out;             /* what is written */
    cadre_records *recs;     /* --units, or the --records of participants */
    /* units */
    uint32_t *unit_out;      /* --units: each unit's index in out, or NONE */
    uint32_t *name_next;     /* --units: the next unit of the same name */
    strmap names;            /* --units: folded name -> first unit */
    strmap unit_keys;        /* made units: key -> index in out */
    strmap unit_ids;         /* made units: id -> index */
    const char **unit_key;   /* made units: each one's key */
    size_t cap_unit_key;
    uint32_t *group_unit;    /* this file's groups: their unit */
    size_t n_group_unit, cap_group_unit;
    char *last_name;         /* the last unit name looked up ... */
    uint32_t last_unit;      /* ... and its unit */
    /* the file being read, and what to go back to if it is read again */
    uint32_t file;
    size_t mark_cadres, mark_units, mark_parts, mark_errors;
    size_t bad_ids;          /* ids of this file that are no records ids */
    char first_bad[1200];    /* the first, where */
    /* cadres */
    imp_src *srcs;           /* where each cadre was read */
    size_t cap_srcs;
    strmap ids;              /* id -> cadre */
    /* participants */
    strmap by_name;          /* folded name|birth date -> first cadre */
    uint32_t *cadre_next;    /* the next cadre of the same key */
    uint32_t *taken;         /* the row a cadre is on, or 0 */
    arena mem;
} imp_builder;

/* Load what the options name (--units, --records).  Errors in diags. */
cadre_error imp_builder_init(imp_builder *bd, const cadre_import_options *o,
                             cadre_diags *diags);
void imp_builder_release(imp_builder *bd);
/* Participants: find the course and index the cadres. */
cadre_error imp_builder_course(imp_builder *bd);
/* Before a file (its index, for the records' sources), and after it. */
void imp_builder_begin_file(imp_builder *bd, uint32_t file);
void imp_builder_end_file(imp_builder *bd, const imp_batch *b,
                          const imp_file *f);
/* imp_batch's callbacks: a data row made a cadre, or a participant; the
 * file read again (what its first pass added is undone). */
void imp_builder_on_cadre(void *ctx, const imp_batch *b, const imp_rec *r,
                          cadre_diags *diags);
void imp_builder_on_participant(void *ctx, const imp_batch *b,
                                const imp_rec *r, cadre_diags *diags);
void imp_builder_restart(void *ctx);
/* Choose the ids; CADRE_OK, CADRE_EINVALID (errors found), or ENOMEM. */
cadre_error imp_builder_finish(imp_builder *bd);

#endif
