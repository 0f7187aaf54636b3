/* cert_internal.h - the compiled certificate template, shared by the
 * modules of cadre-cert's library part (cert_tmpl.c reads it, cert_issue.c
 * numbers with it, cert_draw.c draws it, cert_files.c names and writes the
 * per-person files). */
#ifndef CADRE_CERT_INTERNAL_H
#define CADRE_CERT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "cadre/cert.h"
#include "cadre/expr.h"
#include "cadre/pdf.h"
#include "cadre/template.h"

/* What an element draws. */
enum cert_kind {
    CERT_TEXT, CERT_LINE, CERT_RECT, CERT_CIRCLE, CERT_STAR, CERT_BORDER,
    CERT_IMAGE, CERT_QR, CERT_SIGNATURE
};

/* Styles of <border>. */
enum cert_border { BORDER_SIMPLE, BORDER_DOUBLE, BORDER_ORNATE };

/* The variables every text of a certificate may use, in env.vars order. */
enum {
    CERT_VAR_NUMBER, CERT_VAR_ISSUED, CERT_VAR_SEQ, CERT_VAR_REGISTER_NO,
    CERT_VAR_COUNT
};

/* One element of the template, in drawing order. */
struct cert_el {
    enum cert_kind kind;
    bool stock;             /* part of pre-printed stock: skipped when the
                               template prints fields only */
    cadre_expr *when;       /* drawn only when true; NULL: always */
    double x, y, w, h;      /* mm: position and box (line: x, y to x2, y2;
                               circle and star: centre x, y, radius w) */
    double x2, y2;          /* line end */
    double width;           /* line width, points */
    uint32_t color;         /* stroke or text colour */
    uint32_t fill;          /* fill colour, or CADRE_PDF_NONE */
    int style;              /* border: enum cert_border */
    cadre_pdf_font font;    /* text */
    bool boxed;             /* text: w and h given, drawn in a box */
    cadre_pdf_box box;      /* text in a box */
    cadre_pdf_align align;  /* text on a line */
    double rule;            /* text: a rule under it, this fraction of its
                               widest line long (0: none) */
    double rule_gap;        /* ... mm below the text's lowest reach */
    cadre_tmpl_text *text;  /* text and QR content */
    const char *constant;   /* the text when it has no placeholder */
    char *path;             /* image file, resolved (signature: the
                               signature's image) */
    const char *verify;     /* qr: the verification page's address, to
                               hold the seal after '#'; or NULL */
    char *seal;             /* signature: the seal's image, resolved */
    double seal_size;       /* signature: the seal's diameter, mm */
    const char *file;       /* where the element is, for messages */
    unsigned long line;
};

struct cadre_cert_tmpl {
    cadre_tmpl *src;            /* the XML tree: owns file names */
    char *real_dir;             /* the template's folder, links resolved:
                                   images come from there only */
    cadre_pdf_fonts *fonts;     /* borrowed */
    double page_w, page_h;      /* mm, orientation applied */
    double off_x, off_y;        /* printer offset, mm */
    bool fields_only;           /* skip stock elements */
    cadre_tmpl_text *number;    /* pattern of assigned numbers */
    cadre_tmpl_text *register_no; /* pattern of a register's số vào sổ */
    unsigned long number_start; /* first seq tried */
    cadre_tmpl_text *title;     /* document title, or NULL */
    struct cert_el *els;        /* in drawing order */
    size_t n_els;               /* elements read */
    size_t cap_els;             /* elements allocated */
    bool font_failed;           /* reading: a missing font was reported */
};

/* Read a <signature> element (cert_sign.c); its details are drawn in
 * `family`.  Returns 0, or -1 with messages in `diags`. */
int cert_signature_read(cadre_cert_tmpl *t, const cadre_tnode *n,
                        const char *family, struct cert_el *el,
                        cadre_diags *diags);

/* Draw a <signature> when the batch is signed: the signature's image,
 * the seal over its left third, the signer's details. */
cadre_error cert_signature_draw(cadre_pdf *pdf, const cadre_cert_tmpl *t,
                                const struct cert_el *el,
                                const cadre_cert_batch *b);

/* Save the document of certificates `first`... at `path`, signed when
 * the batch has a signer (the widget where certificate `first`'s
 * <signature> is). */
cadre_error cert_save(const cadre_cert_tmpl *t, const cadre_cert_batch *b,
                      size_t first, cadre_pdf *pdf, const char *path,
                      cadre_diags *diags);

/* Bind `env` to certificate `i` of the batch (cert_env.c); `vars` must hold
 * CERT_VAR_COUNT values and outlive the use of env. */
void cert_env(const cadre_cert_batch *b, size_t i, cadre_env *env,
              cadre_value *vars);

/* Seal every certificate (cert_seal.c); draw a QR code holding the
 * element's address and `seal` after '#'. */
cadre_error cert_draw_sealed_qr(cadre_pdf *pdf, const struct cert_el *el,
                                const char *seal);

/* Name the file of every certificate of the batch (cert_files.c): the
 * number and the name folded to ASCII, digits padded to the batch's
 * widest, unique ignoring case.  CADRE_ENOMEM with a message. */
cadre_error cert_name_files(cadre_cert_batch *b, cadre_diags *diags);

/* Write certificate i alone into the PDF at `path` (cert_draw.c). */
cadre_error cert_write_one(const cadre_cert_tmpl *t, const cadre_cert_batch *b,
                           size_t i, const char *path, cadre_diags *diags);

#endif
