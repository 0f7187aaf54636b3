/*
 * cert.h - course-completion certificates (giấy chứng nhận, chứng chỉ):
 * the certificate template dialect (docs/cert.md), who receives one, their
 * numbers and file names, and the PDFs: one per person, one combined file
 * for printing, and the register (sổ cấp chứng chỉ).
 *
 *     cadre_pdf_fonts *fonts = cadre_pdf_fonts_new();
 *     cadre_cert_tmpl *t = cadre_cert_tmpl_load("templates/cert/a4.xml", fonts, &diags);
 *     cadre_cert_batch b;
 *     if (t && cadre_cert_batch_init(&b, recs, t, "TC-2018", NULL, 0, &diags) == CADRE_OK) {
 *         cadre_cert_write_combined(t, &b, "all.pdf", &diags);
 *         cadre_cert_batch_release(&b);
 *     }
 *     cadre_cert_tmpl_free(t);
 *     cadre_pdf_fonts_free(fonts);
 *
 * Numbers: a participant's certificate-no when the records give one;
 * otherwise the template's pattern ("{seq}/{year}/CC") with the smallest
 * seq from the template's start whose number no record holds and no other
 * certificate of the batch took, graduates taken in the Vietnamese order
 * of names.  The numbering covers every graduate of the course, even when
 * only some are issued, so a number never depends on who was asked for.
 * Numbers are unique within the records given: keep them by writing the
 * register's numbers back into the records.
 *
 * Threads: a certificate template, the font set it was loaded with and a
 * batch belong to one thread at a time (they draw through pdf.h); separate
 * templates and batches may run on separate threads.  cadre-cert's -j
 * workers are processes (fork), not threads.
 */
#ifndef CADRE_CERT_H
#define CADRE_CERT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cadre/error.h"
#include "cadre/pdf.h"
#include "cadre/records.h"
#include "cadre/sign.h"
#include "cadre/verify.h"

/* A compiled certificate template: read-only once loaded. */
typedef struct cadre_cert_tmpl cadre_cert_tmpl;

/* Read and compile the template at `path` (root <certificate>), adding
 * the fonts it names to `fonts` (borrowed: it must outlive the template).
 * Every error goes to `diags` with the template's file and line; returns
 * NULL then.  Caller owns the result; free with cadre_cert_tmpl_free(). */
cadre_cert_tmpl *cadre_cert_tmpl_load(const char *path,
                                      cadre_pdf_fonts *fonts,
                                      cadre_diags *diags);

/* Free a template.  NULL is allowed. */
void cadre_cert_tmpl_free(cadre_cert_tmpl *t);

/* The template `name` means: `name` itself when it is a readable file,
 * else the shipped templates/cert/NAME.xml ("a4", "chung-chi").  NULL when
 * neither exists.  Caller owns the result; free with free(). */
char *cadre_cert_find_template(const char *name);

/* One certificate of a batch. */
typedef struct cadre_cert {
    uint32_t participant; /* index into recs->participants */
    char *number;         /* the certificate number */
    bool assigned;        /* the number comes from the template's pattern */
    cadre_date issued;    /* the participant's @issued, or the course end */
    char *file_name;      /* "125-2019-CC_Tran-Quang-Khai.pdf": only
                             [A-Za-z0-9._-], no leading dot, the runs of
                             digits padded with zeros to the batch's
                             widest ("007-2019-CC" beside "125-2019-CC"),
                             unique in the batch (even ignoring case) */
    char *seal;           /* the signed payload (verify.h) the template's
                             <qr verify="ADDRESS"> holds after '#', or
                             NULL when not sealed */
    char *register_no;    /* the số vào sổ a register gave it
                             (register.h), or NULL */
} cadre_cert;

/* The certificates of one course to issue, in the Vietnamese name order. */
typedef struct cadre_cert_batch {
    const cadre_records *recs;   /* borrowed */
    const cadre_course *course;  /* the course */
    cadre_cert *certs;           /* in name order */
    size_t n;
    const cadre_signer *signer;  /* set after init to sign every PDF
                                    written (PAdES, sign.h), with the
                                    template's <signature> drawn; NULL:
                                    unsigned, and <signature> skipped */
    int64_t signed_at;           /* the time of signing (sign.h) */
} cadre_cert_batch;

/* Select the graduates of course `course_id` (every `completed`
 * participant, or the `n_ids` cadres in `cadre_ids`, each of whom must
 * have completed it), sort them by name, number them and name their
 * files.  Returns CADRE_OK; CADRE_ENOTFOUND for an unknown course or
 * cadre, CADRE_EINVALID for a cadre who did not complete the course or a
 * course without graduates, CADRE_ENOMEM; with messages in `diags`.
 * Release with cadre_cert_batch_release(). */
cadre_error cadre_cert_batch_init(cadre_cert_batch *b,
                                  const cadre_records *recs,
                                  const cadre_cert_tmpl *t,
                                  const char *course_id,
                                  const char *const *cadre_ids, size_t n_ids,
                                  cadre_diags *diags);

/* Seal every certificate of the batch with `key`: its QR codes marked
 * verify="ADDRESS" in the template then hold ADDRESS#SEAL, which
 * cadre-verify and the verification page check (docs/verify.md).
 * CADRE_EINVALID when the template has no such QR code or a field cannot
 * be sealed (too long); CADRE_ENOMEM. */
cadre_error cadre_cert_batch_seal(cadre_cert_batch *b,
                                  const cadre_cert_tmpl *t,
                                  const cadre_key *key, cadre_diags *diags);

/* Free the batch's certificates; `b` is empty and may be initialised
 * again. */
void cadre_cert_batch_release(cadre_cert_batch *b);

/* Name every certificate's file again from its number and name (as
 * cadre_cert_batch_init() does), after its number changed: a register
 * (register.h) draws numbers after the batch was made.  Returns CADRE_OK
 * or CADRE_ENOMEM (with a message). */
cadre_error cadre_cert_batch_name_files(cadre_cert_batch *b,
                                        cadre_diags *diags);

/* The template's two patterns of numbers (docs/cert.md). */
typedef enum cadre_cert_pattern {
    CADRE_CERT_NUMBER,      /* number="{seq}/{year}/CC": the số hiệu */
    CADRE_CERT_REGISTER_NO  /* register-number="{seq}/{year}": the số
                               vào sổ a register gives */
} cadre_cert_pattern;

/* What pattern `which` of `t` gives certificate `i` of the batch with
 * sequence number `seq` (its year is that of certs[i].issued).  NULL when
 * out of memory.  Caller owns the result; free with free(). */
char *cadre_cert_pattern_render(const cadre_cert_tmpl *t,
                                cadre_cert_pattern which,
                                const cadre_cert_batch *b, size_t i,
                                unsigned long seq);

/* The first seq the number pattern is tried with (number-start). */
unsigned long cadre_cert_tmpl_number_start(const cadre_cert_tmpl *t);

/* Draw certificate `i` of the batch as a new page of `pdf`.  On failure
 * adds a message naming the certificate, the template's line and why
 * ("a4.xml:31: error: certificate 125/2019/CC for DL0001 'Trần Quang
 * Khải': font 'Noto Serif Bold' cannot print U+0E01 'ก'"). */
cadre_error cadre_cert_draw(const cadre_cert_tmpl *t,
                            const cadre_cert_batch *b, size_t i,
                            cadre_pdf *pdf, cadre_diags *diags);

/* Check, before anything is written, that the outputs of one run are
 * apart: the `n` paths of `outputs` (the combined file, the register;
 * NULL entries skipped) name no file twice, no image of the template,
 * not the folder `dir` of the per-person files (NULL: none) nor one of
 * them, and that no per-person file would replace an image.  Paths are
 * compared through links, whether they exist yet or not, and the names of
 * per-person files ignoring case (as a case-insensitive disk would).  Returns CADRE_EIO with "cannot
 * write 'x': ..." in `diags` on the first clash. */
cadre_error cadre_cert_check_outputs(const cadre_cert_tmpl *t,
                                     const cadre_cert_batch *b,
                                     const char *dir,
                                     const char *const *outputs, size_t n,
                                     cadre_diags *diags);

/* Write every certificate of the batch, in order, into one PDF at `path`
 * (nothing is written on failure). */
cadre_error cadre_cert_write_combined(const cadre_cert_tmpl *t,
                                      const cadre_cert_batch *b,
                                      const char *path, cadre_diags *diags);

/* Write one PDF per certificate into the directory `dir` (created when
 * missing), named by cert.file_name, spread over `jobs` processes.  Each
 * file is complete or absent.  The first failure of each process stops
 * it, with a message naming the certificate and why. */
cadre_error cadre_cert_write_files(const cadre_cert_tmpl *t,
                                   const cadre_cert_batch *b,
                                   const char *dir, int jobs,
                                   cadre_diags *diags);

/* Write the register (sổ cấp chứng chỉ) of the batch as XLSX with the
 * shipped "register" roster template: number, name, birth date, unit,
 * course, dates, grade, issue date, the numbers as issued. */
cadre_error cadre_cert_write_register(const cadre_cert_batch *b,
                                      const char *path, cadre_diags *diags);

#endif
