/*
 * records.h - the record model (units, cadres, courses, participants) and
 * its loader.
 *
 * The loader streams each file (libxml2's SAX2 push parser: never a DOM),
 * checks every rule of the records format (docs/records.md), normalises
 * text to NFC and stores it compactly: strings in an arena, codes as small
 * integers, references as indices.  Several files merge into one set of
 * records; references across files are resolved by cadre_records_finish().
 *
 *     cadre_records *recs = cadre_records_new();
 *     cadre_diags diags;
 *     cadre_diags_init(&diags, 1000);
 *     for (int i = 0; i < nfiles; i++)
 *         cadre_records_load(recs, files[i], &diags);
 *     if (cadre_records_finish(recs, &diags) != CADRE_OK)
 *         cadre_diags_print(&diags, "cadre-check", stderr);
 *     cadre_records_free(recs);
 *
 * After cadre_records_finish() succeeds the records are read-only and every
 * index below is valid.  Pointers into the records stay valid until
 * cadre_records_free().
 *
 * Threads: loading fills one cadre_records from one thread.  After
 * cadre_records_finish() the records are read-only and may be read by any
 * number of threads at once.
 */
#ifndef CADRE_RECORDS_H
#define CADRE_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cadre/codes.h"
#include "cadre/date.h"
#include "cadre/error.h"

/* No index: a unit without parent. */
#define CADRE_NONE UINT32_MAX

/* Where a record was read: for messages about it. */
typedef struct cadre_source {
    uint32_t file; /* index into cadre_records.files */
    uint32_t line; /* line of the record's start tag */
} cadre_source;

typedef struct cadre_unit {
    const char *id;     /* unique among units */
    const char *name;   /* "Thị trấn Nông trường Thái Bình" */
    uint8_t level;      /* enum cadre_level */
    uint32_t parent;    /* index of the parent unit, or CADRE_NONE */
    cadre_source src;   /* where it was read */
} cadre_unit;

typedef struct cadre_cadre {
    const char *id;         /* unique among cadres */
    const char *full_name;  /* as written on documents */
    const char *ethnicity;  /* "Tày", or NULL when not given */
    const char *position;   /* "Trưởng Ban Tổ chức Huyện ủy", or NULL */
    uint32_t unit;          /* index into cadre_records.units */
    cadre_date birth;       /* may be a year alone */
    cadre_date party_since; /* set when party_member and @since given */
    uint8_t gender;         /* enum cadre_gender */
    uint8_t category;       /* enum cadre_category */
    uint8_t education;      /* enum cadre_education */
    uint8_t political_theory; /* enum cadre_political_theory */
    uint8_t state_management; /* enum cadre_state_management */
    bool leader;            /* lãnh đạo, quản lý */
    bool party_member;      /* <party-member> present */
    cadre_source src;       /* where it was read */
} cadre_cadre;

typedef struct cadre_participant {
    uint32_t cadre;             /* index into cadre_records.cadres */
    uint32_t course;            /* index into cadre_records.courses */
    uint8_t status;             /* enum cadre_status */
    uint8_t grade;              /* enum cadre_grade, or CADRE_GRADE_NONE */
    bool has_score;             /* @score given */
    uint16_t score_hundredths;  /* @score in hundredths, 0..1000 when
                                   has_score: 735 for "7.35", exact */
    const char *certificate_no; /* or NULL */
    cadre_date issued;          /* or unset */
    cadre_source src;           /* where it was read */
} cadre_participant;

typedef struct cadre_course {
    const char *id;          /* unique among courses */
    uint8_t type;            /* enum cadre_course_type */
    uint8_t mode;            /* enum cadre_mode, or CADRE_MODE_NONE */
    cadre_date start, end;   /* start <= end */
    const char *title;       /* "Trung cấp lý luận chính trị – hành chính ..." */
    const char *organizer;   /* the training centre */
    const char *location;    /* or NULL */
    const char *signer;      /* the signer's name, or NULL */
    const char *signer_title;/* "GIÁM ĐỐC", or NULL */
    uint32_t first;          /* its participants are participants[first..] */
    uint32_t count;          /* ... count of them, in file order */
    cadre_source src;        /* where it was read */
    const char *governing_body; /* organizer@governing-body: the body the
                                   organiser answers to, or NULL */
} cadre_course;

typedef struct cadre_records {
    cadre_unit *units;               /* in file order */
    size_t n_units;
    cadre_cadre *cadres;             /* in file order */
    size_t n_cadres;
    cadre_course *courses;           /* in file order */
    size_t n_courses;
    cadre_participant *participants; /* grouped by course */
    size_t n_participants;
    cadre_date as_of;                /* root @as-of, or unset */
    const char *issuer;              /* root @issuer, or NULL */
    const char *place;               /* root @place, or NULL */
    const char *signer;              /* root @signer: who signs the
                                        issuer's documents, or NULL */
    const char *signer_title;        /* root @signer-title ("TRƯỞNG BAN"),
                                        or NULL */
    char **files;                    /* the paths loaded, for messages */
    size_t n_files;
    struct cadre_records_internal *in; /* loader state and indexes */
} cadre_records;

/* An empty set of records.  NULL when out of memory.  Caller owns the
 * result; free with cadre_records_free(). */
cadre_records *cadre_records_new(void);

/* Read one file into `recs`.  Every problem found goes to `diags` (up to a
 * cap per file) as an error with the file and line.  Returns CADRE_OK, or
 * CADRE_EIO when the file cannot be read (nothing is added), CADRE_EPARSE
 * when it is not well-formed XML, CADRE_EINVALID when it breaks a rule,
 * CADRE_ELIMIT when it exceeds a safety limit.  Records read from a file
 * with errors may be partly added; such records must not be used beyond
 * further checking.  `path` is borrowed. */
cadre_error cadre_records_load(cadre_records *recs, const char *path,
                               cadre_diags *diags);

/* Resolve references across every file loaded and check the rules that
 * span files.  Returns CADRE_OK or CADRE_EINVALID (errors in `diags`). */
cadre_error cadre_records_finish(cadre_records *recs, cadre_diags *diags);

/* Load every file then finish: the usual start of a tool.  Returns the
 * first failure, after reading every file (so all errors are reported). */
cadre_error cadre_records_load_all(cadre_records *recs,
                                   const char *const *paths, size_t n,
                                   cadre_diags *diags);

/* Free `recs` and everything in it.  NULL is allowed. */
void cadre_records_free(cadre_records *recs);

/* Find a record by id: its index, or CADRE_NONE.  Valid after finish. */
uint32_t cadre_records_find_unit(const cadre_records *recs, const char *id);
uint32_t cadre_records_find_cadre(const cadre_records *recs, const char *id);
uint32_t cadre_records_find_course(const cadre_records *recs, const char *id);

/* The path of the file a record came from. */
static inline const char *cadre_records_file(const cadre_records *recs,
                                             cadre_source src)
{
    return recs->files[src.file];
}

/* The first word of ethnicity that is not "Kinh": true for ethnic
 * minorities (dân tộc thiểu số); false when ethnicity is not given. */
bool cadre_cadre_is_minority(const cadre_cadre *c);

/* Sort `n` cadre indices in place in the Vietnamese order of names (then
 * by id).  Returns CADRE_OK or CADRE_ENOMEM (the order is then unchanged). */
cadre_error cadre_records_sort_cadres(const cadre_records *recs,
                                      uint32_t *idx, size_t n);

/* A course runs in `year` when it starts on or before 31 December and
 * ends on or after 1 January of that year. */
bool cadre_course_runs_in(const cadre_course *c, int year);

#endif
