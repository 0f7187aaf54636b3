/* cert_sign.c - signed certificates: the <signature> element (the visible
 * signature of Nghị định 30/2020, Phụ lục I) and the PAdES signature of
 * every file written (sign.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cert_internal.h"

static const char *const signature_attrs[] = {
    "stock", "when", "x", "y", "w", "h", "image", "seal", "seal-size",
    "details-x", "details-y", "details-w", "details-h", "size", NULL
};

/* The details box: all four attributes or none. */
static int read_details(const cadre_tnode *n, struct cert_el *el,
                        cadre_diags *diags)
{
    static const char *const names[] = { "details-x", "details-y",
                                         "details-w", "details-h" };
    double v[4] = { 0, 0, 0, 0 };
    int given = 0, bad = 0;
    for (int i = 0; i < 4; i++) {
        given += cadre_tnode_attr(n, names[i]) != NULL;
        bad |= cadre_tnode_number(n, names[i], i < 2 ? -1000 : 1,
                                  2000, &v[i], diags);
    }
    if (bad)
        return -1;
    if (given && given < 4) {
        cadre_tnode_error(n, diags, "the signer's details need all of "
                                    "details-x, details-y, details-w and "
                                    "details-h");
        return -1;
    }
    el->boxed = given == 4;
    el->box = (cadre_pdf_box){ v[0], v[1], v[2], v[3], CADRE_PDF_LEFT,
                               CADRE_PDF_MIDDLE, 0, 0 };
    return 0;
}

int cert_signature_read(cadre_cert_tmpl *t, const cadre_tnode *n,
                        const char *family, struct cert_el *el,
                        cadre_diags *diags)
{
    /* NĐ 30: the seal at its real size (a round seal is 35 to 40 mm);
     * the details in upright black type of 10 points. */
    el->seal_size = 36;
    double size = 10;
    int bad = cadre_tnode_check_attrs(n, signature_attrs, diags);
    bad |= cadre_tnode_require(n, "x", diags) ? 0 : -1;
    bad |= cadre_tnode_require(n, "y", diags) ? 0 : -1;
    bad |= cadre_tnode_require(n, "w", diags) ? 0 : -1;
    bad |= cadre_tnode_require(n, "h", diags) ? 0 : -1;
    bad |= cadre_tnode_number(n, "x", -1000, 2000, &el->x, diags);
    bad |= cadre_tnode_number(n, "y", -1000, 2000, &el->y, diags);
    bad |= cadre_tnode_number(n, "w", 1, 2000, &el->w, diags);
    bad |= cadre_tnode_number(n, "h", 1, 2000, &el->h, diags);
    bad |= cadre_tnode_number(n, "seal-size", 5, 100, &el->seal_size, diags);
    bad |= cadre_tnode_number(n, "size", 4, 30, &size, diags);
    bad |= read_details(n, el, diags);
    const char *image = cadre_tnode_require(n, "image", diags),
               *seal = cadre_tnode_require(n, "seal", diags);
    if (bad || !image || !seal)
        return -1;
    /* The images are read when a certificate is signed, not here: a copy
     * of the shipped template without them still prints unsigned. */
    if (!(el->path = cadre_tnode_path(n, image)) ||
        !(el->seal = cadre_tnode_path(n, seal))) {
        cadre_tnode_error(n, diags, "out of memory");
        return -1;
    }
    /* The seal covers the left third of the signature's image and is
     * centred on its height: wherever the image falls in its box, the
     * seal stays within these bounds. */
    double s = el->seal_size, cy = el->y + el->h / 2;
    if (el->x - s < 0 || cy - s / 2 < 0 || cy + s / 2 > t->page_h ||
        (el->boxed && (el->box.x < 0 || el->box.y < 0 ||
                       el->box.x + el->box.w > t->page_w ||
                       el->box.y + el->box.h > t->page_h))) {
        cadre_tnode_error(n, diags,
                          "<signature> reaches outside the %gx%g mm page "
                          "(the seal reaches %g mm left of x)",
                          t->page_w, t->page_h, s);
        return -1;
    }
    if (el->boxed) {
        /* a missing font is told once (cert_tmpl.c's texts tell it) */
        if (t->font_failed)
            return -1;
        int face = cadre_pdf_fonts_add(t->fonts, family, CADRE_PDF_REGULAR,
                                       diags);
        if (face < 0) {
            cadre_tnode_error(n, diags, "no usable font for the signer's details");
            t->font_failed = true;
            return -1;
        }
        el->font = (cadre_pdf_font){ face, size, 0x000000 };
    }
    return 0;
}

/* "Người ký: …\nCơ quan: …\nThời gian ký: 2019-06-28T10:15:00+07:00",
 * leaving out what the certificate lacks.  Caller owns the result. */
static char *details(const cadre_cert_batch *b)
{
    const char *name = cadre_signer_name(b->signer),
               *org = cadre_signer_organization(b->signer);
    char when[32];
    cadre_sign_time_iso(b->signed_at, when, sizeof when);
    size_t size = strlen(name) + strlen(org) + 128;
    char *text = malloc(size);
    if (text)
        snprintf(text, size, "%s%s%s%s%s%sThời gian ký: %s",
                 *name ? "Người ký: " : "", name, *name ? "\n" : "",
                 *org ? "Cơ quan: " : "", org, *org ? "\n" : "", when);
    return text;
}

cadre_error cert_signature_draw(cadre_pdf *pdf, const cadre_cert_tmpl *t,
                                const struct cert_el *el,
                                const cadre_cert_batch *b)
{
    (void)t;
    if (!b->signer)
        return CADRE_OK; /* an unsigned certificate shows no seal image */
    double sig[4];
    cadre_error err = cadre_pdf_image_fitted(pdf, el->path, el->x, el->y,
                                             el->w, el->h, sig);
    double s = el->seal_size;
    if (err == CADRE_OK)
        err = cadre_pdf_image(pdf, el->seal, sig[0] + sig[2] / 3 - s,
                              sig[1] + sig[3] / 2 - s / 2, s, s);
    if (err == CADRE_OK && el->boxed) {
        char *text = details(b);
        err = text ? cadre_pdf_text_box(pdf, &el->box, &el->font, text, NULL)
                   : CADRE_ENOMEM;
        free(text);
    }
    return err;
}

/* The widget of certificate i's signature, in PDF points: around the
 * signature's box, the seal and the details (all 0 when the template
 * places no signature: an invisible one). */
static void widget_rect(const cadre_cert_tmpl *t, const cadre_cert_batch *b,
                        size_t i, double rect[4])
{
    cadre_env env;
    cadre_value vars[CERT_VAR_COUNT];
    cert_env(b, i, &env, vars);
    memset(rect, 0, 4 * sizeof *rect);
    for (size_t k = 0; k < t->n_els; k++) {
        const struct cert_el *el = &t->els[k];
        if (el->kind != CERT_SIGNATURE || (el->stock && t->fields_only) ||
            (el->when && !cadre_expr_test(el->when, &env)))
            continue;
        double s = el->seal_size, cy = el->y + el->h / 2;
        double x0 = el->x + el->w / 3 - s, y0 = cy - s / 2;
        double x1 = el->x + el->w, y1 = cy + s / 2;
        if (el->y < y0)
            y0 = el->y;
        if (el->y + el->h > y1)
            y1 = el->y + el->h;
        if (el->boxed) {
            const cadre_pdf_box *d = &el->box;
            x0 = d->x < x0 ? d->x : x0, y0 = d->y < y0 ? d->y : y0;
            x1 = d->x + d->w > x1 ? d->x + d->w : x1;
            y1 = d->y + d->h > y1 ? d->y + d->h : y1;
        }
        const double k_pt = CADRE_PDF_PT_PER_MM;
        rect[0] = (x0 + t->off_x) * k_pt;
        rect[1] = (t->page_h - (y1 + t->off_y)) * k_pt;
        rect[2] = (x1 + t->off_x) * k_pt;
        rect[3] = (t->page_h - (y0 + t->off_y)) * k_pt;
        return;
    }
}

/* What the PDF layer calls on the written file: sign it. */
struct signing {
    const cadre_signer *signer;
    cadre_sign_field field;
};

static cadre_error sign_file(const char *tmp, const char *path, void *ctx,
                             cadre_diags *diags)
{
    const struct signing *s = ctx;
    return cadre_signer_sign_pdf(s->signer, tmp, path, &s->field, diags);
}

cadre_error cert_save(const cadre_cert_tmpl *t, const cadre_cert_batch *b,
                      size_t first, cadre_pdf *pdf, const char *path,
                      cadre_diags *diags)
{
    if (!b->signer)
        return cadre_pdf_save(pdf, path, diags);
    struct signing s = { b->signer, { .page = 0, .time = b->signed_at } };
    widget_rect(t, b, first, s.field.rect);
    return cadre_pdf_save_then(pdf, path, sign_file, &s, diags);
}
