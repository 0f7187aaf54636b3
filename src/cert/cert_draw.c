/* cert_draw.c - drawing a certificate page, and writing the combined PDF
 * and one person's file (cert.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadre/i18n.h"
#include "cert_internal.h"

/* Text rendered for one element: in a buffer on the stack when it fits. */
struct rendered {
    char local[1024];
    char *heap;
    const char *text;
};

static bool render(const struct cert_el *el, const cadre_env *env,
                   struct rendered *r)
{
    r->heap = NULL;
    if (el->constant) {
        r->text = el->constant;
        return true;
    }
    size_t len = cadre_tmpl_text_render(el->text, env, r->local,
                                        sizeof r->local);
    if (len < sizeof r->local) {
        r->text = r->local;
        return true;
    }
    r->heap = cadre_tmpl_text_render_new(el->text, env);
    r->text = r->heap;
    return r->heap != NULL;
}

/* A diamond centred on (cx, cy), half-diagonal r. */
static cadre_error diamond(cadre_pdf *pdf, double cx, double cy, double r,
                           uint32_t fill)
{
    double xy[8] = { cx, cy - r, cx + r, cy, cx, cy + r, cx - r, cy };
    return cadre_pdf_polygon(pdf, xy, 4, 0, CADRE_PDF_NONE, fill);
}

/* A five-pointed star of outer radius r. */
static cadre_error star(cadre_pdf *pdf, const struct cert_el *el)
{
    double xy[20];
    for (int i = 0; i < 10; i++) {
        double a = -M_PI / 2 + i * M_PI / 5;
        double r = i % 2 ? el->w * 0.382 : el->w;
        xy[2 * i] = el->x + r * cos(a);
        xy[2 * i + 1] = el->y + r * sin(a);
    }
    return cadre_pdf_polygon(pdf, xy, 10, el->width,
                             el->fill != CADRE_PDF_NONE ? CADRE_PDF_NONE
                                                        : el->color,
                             el->fill != CADRE_PDF_NONE ? el->fill
                                                        : CADRE_PDF_NONE);
}

/* A decorative frame: a heavy outer rule, a hairline inside it, a chain
 * of dots between two hairlines, and diamonds at the corners (ornate); or
 * the first two (double); or one rule (simple). */
static cadre_error border(cadre_pdf *pdf, const struct cert_el *el)
{
    double x = el->x, y = el->y, w = el->w, h = el->h;
    uint32_t c = el->color;
    uint32_t accent = el->fill != CADRE_PDF_NONE ? el->fill : c;
    cadre_pdf_rect(pdf, x, y, w, h, el->width, c, CADRE_PDF_NONE);
    if (el->style == BORDER_SIMPLE)
        return cadre_pdf_error(pdf);
    cadre_pdf_rect(pdf, x + 1.8, y + 1.8, w - 3.6, h - 3.6, 0.5, c,
                   CADRE_PDF_NONE);
    if (el->style == BORDER_DOUBLE)
        return cadre_pdf_error(pdf);
    /* the chain: dots on the band's middle line, an exact number of steps
     * per side so that a dot sits on every corner */
    double in = 5.2, step = 3.2, d = 1.1;
    double bx = x + in, by = y + in, bw = w - 2 * in, bh = h - 2 * in;
    double sx = bw / floor(bw / step), sy = bh / floor(bh / step);
    cadre_pdf_dots(pdf, bx, by, bx + bw + 0.01, by, d, sx, accent);
    cadre_pdf_dots(pdf, bx, by + bh, bx + bw + 0.01, by + bh, d, sx, accent);
    cadre_pdf_dots(pdf, bx, by + sy, bx, by + bh - sy + 0.01, d, sy, accent);
    cadre_pdf_dots(pdf, bx + bw, by + sy, bx + bw, by + bh - sy + 0.01, d, sy,
                   accent);
    cadre_pdf_rect(pdf, x + 8.4, y + 8.4, w - 16.8, h - 16.8, 0.5, c,
                   CADRE_PDF_NONE);
    cadre_pdf_rect(pdf, x + 9.4, y + 9.4, w - 18.8, h - 18.8, 1.2, c,
                   CADRE_PDF_NONE);
    /* corner pieces: a square over the chain with a diamond inside */
    double cx[2] = { bx, bx + bw }, cy[2] = { by, by + bh };
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++) {
            cadre_pdf_rect(pdf, cx[i] - 3.2, cy[j] - 3.2, 6.4, 6.4, 0.8, c,
                           0xFFFFFF);
            diamond(pdf, cx[i], cy[j], 2.4, accent);
        }
    /* a diamond and short rules at the middle of each long side */
    return cadre_pdf_error(pdf);
}

/* Draw one element; on failure the document holds the error. */
/* A text without a box must still stay on the page: its width decides.
 * Returns CADRE_EINVALID with `why` filled when it would not. */
static cadre_error free_text(cadre_pdf *pdf, const cadre_cert_tmpl *t,
                             const struct cert_el *el, const char *text,
                             char *why, size_t size)
{
    double w;
    cadre_error err = cadre_pdf_text_width(pdf, &el->font, text, &w);
    if (err != CADRE_OK)
        return err;
    double x0 = el->align == CADRE_PDF_CENTER  ? el->x - w / 2
                : el->align == CADRE_PDF_RIGHT ? el->x - w
                                               : el->x;
    if (x0 + t->off_x < 0 || x0 + w + t->off_x > t->page_w) {
        snprintf(why, size,
                 cadre_gettext("text %.0f mm wide runs off the page: give it "
                               "a box (w and h) to shrink it: '%.60s'"),
                 w, text);
        return CADRE_EINVALID;
    }
    return cadre_pdf_text(pdf, &el->font, el->x, el->y, el->align, text);
}

/* A text in its box, and the rule under it when the template asks for
 * one: as long as the given fraction of the text's widest line, placed
 * as the lines are (NĐ 30/2020: under the motto as long as the motto,
 * under the issuing body a third to a half of it). */
static cadre_error boxed_text(cadre_pdf *pdf, const struct cert_el *el,
                              const char *text)
{
    cadre_pdf_fit fit;
    cadre_error err = cadre_pdf_text_box(pdf, &el->box, &el->font, text, &fit);
    if (err != CADRE_OK || el->rule <= 0 || fit.width <= 0)
        return err;
    double len = el->rule * fit.width, x = el->box.x;
    if (el->box.align == CADRE_PDF_CENTER)
        x += (el->box.w - len) / 2;
    else if (el->box.align == CADRE_PDF_RIGHT)
        x += el->box.w - len;
    double y = fit.bottom + el->rule_gap;
    return cadre_pdf_line(pdf, x, y, x + len, y, el->width, el->color);
}

static cadre_error draw_element(cadre_pdf *pdf, const cadre_cert_tmpl *t,
                                const struct cert_el *el,
                                const cadre_env *env, char *why, size_t size)
{
    struct rendered r;
    cadre_error err = CADRE_OK;
    switch (el->kind) {
    case CERT_TEXT:
        if (!render(el, env, &r))
            return CADRE_ENOMEM;
        err = el->boxed ? boxed_text(pdf, el, r.text)
                        : free_text(pdf, t, el, r.text, why, size);
        free(r.heap);
        return err;
    case CERT_QR:
        if (!render(el, env, &r))
            return CADRE_ENOMEM;
        err = cadre_pdf_qr(pdf, r.text, el->x, el->y, el->w, el->color);
        free(r.heap);
        return err;
    case CERT_LINE:
        return cadre_pdf_line(pdf, el->x, el->y, el->x2, el->y2, el->width,
                              el->color);
    case CERT_RECT:
        return cadre_pdf_rect(pdf, el->x, el->y, el->w, el->h, el->width,
                              el->color, el->fill);
    case CERT_CIRCLE:
        return cadre_pdf_circle(pdf, el->x, el->y, el->w, el->width,
                                el->color, el->fill);
    case CERT_STAR:
        return star(pdf, el);
    case CERT_BORDER:
        return border(pdf, el);
    case CERT_IMAGE:
        return cadre_pdf_image(pdf, el->path, el->x, el->y, el->w, el->h);
    case CERT_SIGNATURE: /* cert_signature_draw() */
        break;
    }
    return CADRE_OK;
}

/* "certificate 125/2019/CC for DL0001 'Trần Quang Khải'" */
static void name_cert(const cadre_cert_batch *b, size_t i, char *buf,
                      size_t size)
{
    const cadre_cadre *c =
        &b->recs->cadres[b->recs->participants[b->certs[i].participant].cadre];
    snprintf(buf, size, "certificate %s for %s '%s'", b->certs[i].number,
             c->id, c->full_name);
}

cadre_error cadre_cert_draw(const cadre_cert_tmpl *t,
                            const cadre_cert_batch *b, size_t i,
                            cadre_pdf *pdf, cadre_diags *diags)
{
    cadre_env env;
    cadre_value vars[CERT_VAR_COUNT];
    cert_env(b, i, &env, vars);
    cadre_error err = cadre_pdf_page(pdf, t->page_w, t->page_h);
    cadre_pdf_offset(pdf, t->off_x, t->off_y);
    const struct cert_el *el = NULL;
    char why[200] = "";
    for (size_t k = 0; k < t->n_els && err == CADRE_OK; k++) {
        el = &t->els[k];
        if (el->stock && t->fields_only)
            continue;
        if (el->when && !cadre_expr_test(el->when, &env))
            continue;
        err = el->kind == CERT_QR && el->verify && b->certs[i].seal
                  ? cert_draw_sealed_qr(pdf, el, b->certs[i].seal)
                  : el->kind == CERT_SIGNATURE
                  ? cert_signature_draw(pdf, t, el, b)
                  : draw_element(pdf, t, el, &env, why, sizeof why);
    }
    if (err != CADRE_OK) {
        char who[512];
        name_cert(b, i, who, sizeof who);
        cadre_diags_error(diags, el ? el->file : NULL, el ? el->line : 0,
                          "%s: %s", who,
                          cadre_pdf_error(pdf) ? cadre_pdf_message(pdf)
                          : *why               ? why
                                               : cadre_strerror(err));
    }
    return err;
}

/* Set the document's title from the template, for certificate i. */
static void set_title(const cadre_cert_tmpl *t, const cadre_cert_batch *b,
                      size_t i, cadre_pdf *pdf)
{
    cadre_env env;
    cadre_value vars[CERT_VAR_COUNT];
    cert_env(b, i, &env, vars);
    char *title = t->title ? cadre_tmpl_text_render_new(t->title, &env) : NULL;
    cadre_pdf_set_info(pdf, title ? title : b->course->title,
                       b->course->organizer, b->course->title);
    free(title);
}

cadre_error cadre_cert_write_combined(const cadre_cert_tmpl *t,
                                      const cadre_cert_batch *b,
                                      const char *path, cadre_diags *diags)
{
    cadre_pdf *pdf = cadre_pdf_new(t->fonts);
    if (!pdf) {
        cadre_diags_error(diags, NULL, 0, "out of memory");
        return CADRE_ENOMEM;
    }
    cadre_pdf_set_info(pdf, b->course->title, b->course->organizer, NULL);
    /* A print file is read once, by a printer: speed over bytes. */
    cadre_pdf_set_compression(pdf, 1);
    cadre_error err = CADRE_OK;
    for (size_t i = 0; i < b->n && err == CADRE_OK; i++) {
        err = cadre_cert_draw(t, b, i, pdf, diags);
    }
    if (err == CADRE_OK)
        err = cert_save(t, b, 0, pdf, path, diags);
    cadre_pdf_free(pdf);
    return err;
}

cadre_error cert_write_one(const cadre_cert_tmpl *t, const cadre_cert_batch *b,
                           size_t i, const char *path, cadre_diags *diags)
{
    cadre_pdf *pdf = cadre_pdf_new(t->fonts);
    if (!pdf) {
        cadre_diags_error(diags, NULL, 0, "out of memory");
        return CADRE_ENOMEM;
    }
    set_title(t, b, i, pdf);
    /* A file of one page is small: the tightest compression costs little
     * time, and the files are kept. */
    cadre_pdf_set_compression(pdf, 9);
    /* a registered certificate comes out byte for byte as issued: dated
     * by its issue, never by the clock */
    if (b->certs[i].register_no)
        cadre_pdf_set_created(pdf, (time_t)cadre_date_days(b->certs[i].issued) * 86400);
    cadre_error err = cadre_cert_draw(t, b, i, pdf, diags);
    if (err == CADRE_OK)
        err = cert_save(t, b, i, pdf, path, diags);
    cadre_pdf_free(pdf);
    return err;
}
