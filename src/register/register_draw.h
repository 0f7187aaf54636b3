/* register_draw.h (internal) - what issuing and importing share: a
 * batch as the register sees it while it draws numbers (struct issue),
 * the fields it keeps of a certificate, the issuing body checked, and
 * drawing a certificate's numbers into a new entry (register_draw.c);
 * and the files of an issue (register_write.c). */
#ifndef CADRE_REGISTER_DRAW_H
#define CADRE_REGISTER_DRAW_H

#include <stdbool.h>

#include "register_internal.h"
#include "util/strmap.h"

/* The fields of a certificate the register keeps, as text, in the order
 * of their columns. */
enum {
    F_FULL_NAME, F_GENDER, F_BIRTH, F_ETHNICITY, F_UNIT, F_TITLE, F_TYPE,
    F_START, F_END, F_GRADE, F_COUNT
};
/* The fields' names, for messages ("birth date"). */
extern const char *const reg_field_label[F_COUNT];

struct fields {
    const char *v[F_COUNT]; /* NULL: not given */
    char birth[CADRE_DATE_TEXT_MAX], start[CADRE_DATE_TEXT_MAX],
        end[CADRE_DATE_TEXT_MAX];
};

/* One certificate of the batch during the issue. */
struct slot {
    sqlite3_int64 id;  /* its entry */
    bool existing;     /* issued before this run: must come out the same */
    bool render;       /* written in the round under way */
    bool imported;     /* existing, entered without a PDF: no hash yet */
    sqlite3_int64 revoked; /* a reissue of this revoked entry, or 0 */
    char *revoked_no;  /* its number */
    char *sha;         /* existing: the SHA-256 issued, or NULL */
    char hash[65];     /* of the PDF this run wrote */
};

struct issue {
    cadre_register *reg;
    const cadre_cert_tmpl *t;
    cadre_cert_batch *b;
    const cadre_register_issue_options *o;
    cadre_diags *diags;
    struct slot *slots;   /* one per certificate of b */
    char *dir;            /* o->dir, absolute */
    strmap numbers;       /* every certificate-no of the records */
    unsigned long seq;    /* the next number seq to try */
    char *decision;       /* o->decision and o->reason as kept, or NULL */
    char *reason;
    /* the next số vào sổ seq to try per year and type, within the
     * transaction that draws: the first costs a walk of the year's
     * entries, the next ones a lookup */
    struct { int year; const char *type; long long next; } hint[8];
    size_t n_hints;
};

static inline const cadre_participant *reg_part(const struct issue *is, size_t i)
{
    return &is->b->recs->participants[is->b->certs[i].participant];
}

static inline const cadre_cadre *reg_cadre(const struct issue *is, size_t i)
{
    return &is->b->recs->cadres[reg_part(is, i)->cadre];
}

/* The fields of certificate i as the records give them. */
void reg_record_fields(const struct issue *is, size_t i, struct fields *f);

/* "certificate 2/2019/CC of DL0002 'Hoàng Thị Nguyệt'" */
void reg_who(const struct issue *is, size_t i, char *buf, size_t size);

/* Step `st` to its end; false after a message. */
bool reg_step_done(struct issue *is, sqlite3_stmt *st);

/* *slot = a copy of `s` (NULL: NULL), freeing what was there; CADRE_ENOMEM
 * after a message. */
cadre_error reg_set_text(char **slot, const char *s, cadre_diags *diags);

/* Within a transaction: check that `organizer` is the issuing body the
 * register belongs to, or make it so when it has none yet (the first
 * certificate).  CADRE_EINVALID, naming both, when another body's. */
cadre_error reg_check_body(cadre_register *reg, const char *organizer,
                           cadre_diags *diags);

/* Draw the numbers of certificate i (the records' number, or the
 * pattern's next free one; the next số vào sổ of its year and type) and
 * enter it: pending in this process's run, or issued outside one (an
 * import).  `old` (or 0) is the entry it replaces, `old_number` that
 * one's number (the records may still give it). */
cadre_error reg_draw(struct issue *is, size_t i, sqlite3_int64 old,
                     const char *old_number);

/* --- The files of an issue (register_write.c) --- */

/* o->dir, made when missing (*made then), as an absolute path in
 * is->dir.  CADRE_EIO after a message. */
cadre_error reg_prepare_dir(struct issue *is, bool *made);

/* Write the certificates whose slot is marked `render` under their
 * pending names in is->dir, and hash each into its slot. */
cadre_error reg_write_round(struct issue *is);

/* Store the hash of every PDF the register did not have (one
 * transaction), then move every PDF of the batch from its pending name
 * into place; the folder is synced before and after. */
cadre_error reg_store_and_move(struct issue *is);

#endif
