/* cert_seal.c - sealed certificates: the signed payload of each
 * certificate (verify.h) and the QR code that holds it (cert.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cert_internal.h"

cadre_error cadre_cert_batch_seal(cadre_cert_batch *b,
                                  const cadre_cert_tmpl *t,
                                  const cadre_key *key, cadre_diags *diags)
{
    bool has_qr = false;
    for (size_t k = 0; k < t->n_els; k++)
        has_qr |= t->els[k].kind == CERT_QR && t->els[k].verify;
    if (!has_qr) {
        cadre_diags_error(diags, t->src->root->file, t->src->root->line,
                          "the template has no <qr verify=\"ADDRESS\"> to "
                          "hold the certificates' seals");
        return CADRE_EINVALID;
    }
    const cadre_course *course = b->course;
    for (size_t i = 0; i < b->n; i++) {
        cadre_cert *c = &b->certs[i];
        const cadre_participant *p = &b->recs->participants[c->participant];
        const cadre_cadre *cd = &b->recs->cadres[p->cadre];
        cadre_seal_fields f = {
            .number = c->number, .full_name = cd->full_name,
            .birth = cd->birth, .course_title = course->title,
            .start = course->start, .end = course->end, .grade = p->grade,
            .issuer = course->organizer, .issued = c->issued,
        };
        free(c->seal);
        if (!(c->seal = cadre_seal_make(key, &f, diags)))
            return CADRE_EINVALID;
    }
    return CADRE_OK;
}

cadre_error cert_draw_sealed_qr(cadre_pdf *pdf, const struct cert_el *el,
                                const char *seal)
{
    size_t size = strlen(el->verify) + strlen(seal) + 2;
    char *text = malloc(size);
    if (!text)
        return CADRE_ENOMEM;
    snprintf(text, size, "%s#%s", el->verify, seal);
    cadre_error err = cadre_pdf_qr(pdf, text, el->x, el->y, el->w, el->color);
    free(text);
    return err;
}
