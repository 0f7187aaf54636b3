/* cert_draw.c - drawing a certificate page, and writing the combined PDF
 * and the per-person files (cert.h). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

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
                 "text %.0f mm wide runs off the page: give it a box "
                 "(w and h) to shrink it: '%.60s'",
                 w, text);
        return CADRE_EINVALID;
    }
    return cadre_pdf_text(pdf, &el->font, el->x, el->y, el->align, text);
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
        err = el->boxed
                  ? cadre_pdf_text_box(pdf, &el->box, &el->font, r.text, NULL)
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

/* Write certificates first, first + step, ... into dir; stop at the first
 * failure.  Messages go to `diags`. */
static cadre_error write_some(const cadre_cert_tmpl *t,
                              const cadre_cert_batch *b, const char *dir,
                              size_t first, size_t step, cadre_diags *diags)
{
    for (size_t i = first; i < b->n; i += step) {
        size_t size = strlen(dir) + strlen(b->certs[i].file_name) + 2;
        char *path = malloc(size);
        cadre_pdf *pdf = path ? cadre_pdf_new(t->fonts) : NULL;
        if (!pdf) {
            free(path);
            cadre_diags_error(diags, NULL, 0, "out of memory");
            return CADRE_ENOMEM;
        }
        snprintf(path, size, "%s/%s", dir, b->certs[i].file_name);
        set_title(t, b, i, pdf);
        /* A file of one page is small: the tightest compression costs
         * little time, and files are kept. */
        cadre_pdf_set_compression(pdf, 9);
        cadre_error err = cadre_cert_draw(t, b, i, pdf, diags);
        if (err == CADRE_OK)
            err = cert_save(t, b, i, pdf, path, diags);
        cadre_pdf_free(pdf);
        free(path);
        if (err != CADRE_OK)
            return err;
    }
    return CADRE_OK;
}

/* A child's messages travel to the parent as lines
 * "CODE LINE FILE<tab>MESSAGE". */
static void send_diags(int fd, const cadre_diags *diags, cadre_error err)
{
    FILE *f = fdopen(fd, "w");
    if (!f)
        return;
    for (size_t i = 0; i < diags->count; i++) {
        const cadre_diag *d = &diags->items[i];
        fprintf(f, "%d %lu ", (int)err, d->line);
        for (const char *p = d->file ? d->file : ""; *p; p++)
            fputc(*p == '\n' || *p == '\t' ? ' ' : *p, f);
        fputc('\t', f);
        for (const char *p = d->message; *p; p++)
            fputc(*p == '\n' ? ' ' : *p, f);
        fputc('\n', f);
    }
    fclose(f);
}

static cadre_error receive_diags(int fd, cadre_diags *diags)
{
    cadre_error err = CADRE_OK;
    FILE *f = fdopen(fd, "r");
    if (!f) {
        close(fd);
        return CADRE_EIO;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, f)) > 0) {
        if (line[n - 1] == '\n')
            line[n - 1] = '\0';
        char *p;
        long code = strtol(line, &p, 10);
        unsigned long at = strtoul(p, &p, 10);
        char *tab = strchr(p, '\t');
        if (code > 0 && code < CADRE_ERROR_COUNT && err == CADRE_OK)
            err = (cadre_error)code;
        if (!tab || *p != ' ') {
            cadre_diags_error(diags, NULL, 0, "%s", line);
            continue;
        }
        *tab = '\0';
        cadre_diags_error(diags, p[1] ? p + 1 : NULL, at, "%s", tab + 1);
    }
    free(line);
    fclose(f);
    return err;
}

static cadre_error write_files(const cadre_cert_tmpl *t,
                               const cadre_cert_batch *b, const char *dir,
                               int jobs, cadre_diags *diags)
{
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        cadre_diags_error(diags, NULL, 0, "cannot create directory '%s': %s",
                          dir, strerror(errno));
        return CADRE_EIO;
    }
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        cadre_diags_error(diags, NULL, 0, "'%s' is not a directory", dir);
        return CADRE_EIO;
    }
    if (jobs > (int)b->n)
        jobs = (int)b->n;
    if (jobs <= 1)
        return write_some(t, b, dir, 0, 1, diags);

    /* Each process writes every jobs-th certificate and reports its
     * failure through a pipe: the library never prints. */
    pid_t *pids = calloc((size_t)jobs, sizeof *pids);
    int *fds = calloc((size_t)jobs, sizeof *fds);
    cadre_error err = pids && fds ? CADRE_OK : CADRE_ENOMEM;
    int started = 0;
    fflush(NULL);
    for (int k = 0; k < jobs && err == CADRE_OK; k++) {
        int fd[2];
        if (pipe(fd) != 0) {
            err = CADRE_EIO;
            break;
        }
        pid_t pid = fork();
        if (pid < 0) {
            close(fd[0]);
            close(fd[1]);
            err = CADRE_EIO;
            break;
        }
        if (pid == 0) {
            close(fd[0]);
            for (int j = 0; j < k; j++)
                close(fds[j]);
            cadre_diags mine;
            cadre_diags_init(&mine, 20);
            cadre_error e = write_some(t, b, dir, (size_t)k, (size_t)jobs, &mine);
            send_diags(fd[1], &mine, e);
            cadre_diags_release(&mine);
            /* The child's copy of the font set holds fontconfig's state:
             * release it, as the parent will its own (valgrind runs the
             * tests); everything else goes with _exit(). */
            cadre_pdf_fonts_free(t->fonts);
            _exit(e == CADRE_OK ? 0 : 1);
        }
        close(fd[1]);
        pids[k] = pid;
        fds[k] = fd[0];
        started++;
    }
    if (err != CADRE_OK)
        cadre_diags_error(diags, NULL, 0, "cannot start %d processes: %s", jobs,
                          strerror(errno));
    for (int k = 0; k < started; k++) {
        cadre_error e = receive_diags(fds[k], diags);
        int status = 0;
        while (waitpid(pids[k], &status, 0) < 0 && errno == EINTR)
            ;
        if (e == CADRE_OK && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
            cadre_diags_error(diags, NULL, 0,
                              "a process writing certificates died");
            e = CADRE_EIO;
        }
        if (err == CADRE_OK)
            err = e;
    }
    free(pids);
    free(fds);
    return err;
}

cadre_error cadre_cert_write_files(const cadre_cert_tmpl *t,
                                   const cadre_cert_batch *b,
                                   const char *dir, int jobs,
                                   cadre_diags *diags)
{
    /* A folder this run made goes again when the run fails before
     * writing anything in it; rmdir() keeps one that holds certificates
     * completed before the failure. */
    bool made = mkdir(dir, 0777) == 0;
    cadre_error err = write_files(t, b, dir, jobs, diags);
    if (err != CADRE_OK && made)
        rmdir(dir);
    return err;
}
