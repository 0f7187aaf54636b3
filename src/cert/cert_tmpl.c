/* cert_tmpl.c - reading the certificate template dialect (docs/cert.md)
 * into a compiled cadre_cert_tmpl. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cadre/files.h"
#include "cadre/i18n.h"
#include "cert_internal.h"
#include "util/grow.h"

static const char *const cert_vars[] = { "number", "issued", "seq",
                                          "register-number", NULL };

static const cadre_scope cert_scope = {
    .roots = CADRE_ROOT_CADRE | CADRE_ROOT_COURSE | CADRE_ROOT_PARTICIPANT,
    .vars = cert_vars,
};

/* Defaults a <certificate> gives to its text elements. */
struct text_defaults {
    const char *family;
    int style;
    double size, min_size, line_spacing;
    uint32_t color;
};

/* "#RRGGBB" or "none" (when allowed); -1 after an error. */
static int color_attr(const cadre_tnode *n, const char *name, bool none_ok,
                      uint32_t *out, cadre_diags *diags)
{
    const char *v = cadre_tnode_attr(n, name);
    if (!v)
        return 0;
    if (none_ok && !strcmp(v, "none")) {
        *out = CADRE_PDF_NONE;
        return 0;
    }
    uint32_t c = 0;
    bool ok = v[0] == '#' && strlen(v) == 7;
    for (int i = 1; ok && i < 7; i++) {
        char ch = v[i];
        int d = ch >= '0' && ch <= '9'   ? ch - '0'
                : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
                : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
                                         : -1;
        if (d < 0)
            ok = false;
        c = c << 4 | (uint32_t)(d & 15);
    }
    if (!ok) {
        cadre_tnode_error(n, diags, "bad colour '%s' in '%s': write #RRGGBB%s",
                          v, name, none_ok ? cadre_gettext(" or none") : "");
        return -1;
    }
    *out = c;
    return 0;
}

/* Page size: "A4", "A5", "A3" or "WxH" in mm. */
static int page_attr(const cadre_tnode *n, double *w, double *h,
                     cadre_diags *diags)
{
    const char *v = cadre_tnode_attr(n, "page");
    if (!v || !strcmp(v, "A4")) {
        *w = 210, *h = 297;
        return 0;
    }
    if (!strcmp(v, "A5")) {
        *w = 148, *h = 210;
        return 0;
    }
    if (!strcmp(v, "A3")) {
        *w = 297, *h = 420;
        return 0;
    }
    char *end;
    double a = strtod(v, &end);
    double b = *end == 'x' ? strtod(end + 1, &end) : 0;
    if (*end || !(a >= 20 && a <= 2000 && b >= 20 && b <= 2000)) {
        cadre_tnode_error(n, diags,
                          "bad page '%s': write A3, A4, A5 or WIDTHxHEIGHT in "
                          "mm (190x135), each 20 to 2000",
                          v);
        return -1;
    }
    *w = a, *h = b;
    return 0;
}

static cadre_tmpl_text *compile_text(const cadre_tnode *n, const char *src,
                                     cadre_diags *diags)
{
    return cadre_tmpl_text_compile(src, &cert_scope, n->file, n->line, diags);
}

/* Attributes every element may have. */
#define COMMON "stock", "when"

static const char *const text_attrs[] = {
    COMMON, "x", "y", "w", "h", "align", "valign", "family", "style", "size",
    "min-size", "color", "line-spacing", "rule", "rule-width", "rule-gap",
    NULL
};
static const char *const line_attrs[] = { COMMON, "x1", "y1", "x2", "y2",
                                          "width", "color", NULL };
static const char *const rect_attrs[] = { COMMON, "x", "y", "w", "h",
                                          "width", "color", "fill", NULL };
static const char *const circle_attrs[] = { COMMON, "cx", "cy", "r",
                                            "width", "color", "fill", NULL };
static const char *const border_attrs[] = { COMMON, "x", "y", "w", "h",
                                            "width", "color", "fill",
                                            "style", NULL };
static const char *const image_attrs[] = { COMMON, "file", "x", "y", "w",
                                           "h", NULL };
static const char *const qr_attrs[] = { COMMON, "x", "y", "size", "color",
                                        "verify", NULL };

/* A required number attribute in [min, max]. */
static int need(const cadre_tnode *n, const char *name, double min,
                double max, double *out, cadre_diags *diags)
{
    if (!cadre_tnode_require(n, name, diags))
        return -1;
    return cadre_tnode_number(n, name, min, max, out, diags);
}

/* Read one text element. */
static int read_text(cadre_cert_tmpl *t, const cadre_tnode *n,
                     const struct text_defaults *d, struct cert_el *el,
                     cadre_diags *diags)
{
    int bad = cadre_tnode_check_attrs(n, text_attrs, diags);
    static const char *const aligns[] = { "left", "center", "right", NULL };
    static const char *const valigns[] = { "top", "middle", "bottom", NULL };
    static const char *const styles[] = { "regular", "bold", "italic",
                                          "bold-italic", NULL };
    int align = CADRE_PDF_LEFT, valign = CADRE_PDF_MIDDLE, style = d->style;
    double size = d->size, min_size = d->min_size, spacing = d->line_spacing;
    el->color = d->color;
    bad |= need(n, "x", -1000, 2000, &el->x, diags);
    bad |= need(n, "y", -1000, 2000, &el->y, diags);
    bad |= cadre_tnode_number(n, "w", 0.1, 2000, &el->w, diags);
    bad |= cadre_tnode_number(n, "h", 0.1, 2000, &el->h, diags);
    bad |= cadre_tnode_choice(n, "align", aligns, &align, diags);
    bad |= cadre_tnode_choice(n, "valign", valigns, &valign, diags);
    bad |= cadre_tnode_choice(n, "style", styles, &style, diags);
    bad |= cadre_tnode_number(n, "size", 2, 300, &size, diags);
    bad |= cadre_tnode_number(n, "min-size", 2, 300, &min_size, diags);
    bad |= cadre_tnode_number(n, "line-spacing", 0.5, 5, &spacing, diags);
    bad |= color_attr(n, "color", false, &el->color, diags);
    el->width = 0.6;
    el->rule_gap = 1.5;
    bad |= cadre_tnode_number(n, "rule", 0.05, 1, &el->rule, diags);
    bad |= cadre_tnode_number(n, "rule-width", 0.1, 5, &el->width, diags);
    bad |= cadre_tnode_number(n, "rule-gap", 0, 20, &el->rule_gap, diags);
    if (bad)
        return -1;
    bool has_w = cadre_tnode_attr(n, "w") != NULL;
    bool has_h = cadre_tnode_attr(n, "h") != NULL;
    if (has_w != has_h) {
        cadre_tnode_error(n, diags, "a text box needs both 'w' and 'h'");
        return -1;
    }
    if (el->rule > 0 && !has_w) {
        cadre_tnode_error(n, diags, "a rule under a text needs its box "
                                    "('w' and 'h')");
        return -1;
    }
    const char *family = cadre_tnode_attr(n, "family");
    /* A missing font is reported once: every other text would say the
     * same, with the same cure. */
    if (t->font_failed)
        return -1;
    int face = cadre_pdf_fonts_add(t->fonts, family ? family : d->family,
                                   (cadre_pdf_style)style, diags);
    if (face < 0) {
        cadre_tnode_error(n, diags, "no usable font for this text");
        t->font_failed = true;
        return -1;
    }
    el->font = (cadre_pdf_font){ face, size, el->color };
    el->boxed = has_w;
    el->align = (cadre_pdf_align)align;
    if (min_size > size)
        min_size = size;
    el->box = (cadre_pdf_box){ el->x, el->y, el->w, el->h,
                               (cadre_pdf_align)align,
                               (cadre_pdf_valign)valign, min_size, spacing };
    if (!(el->text = compile_text(n, n->text, diags)))
        return -1;
    /* Text without placeholders is the same on every certificate: skip
     * rendering it (unless it has {{ }} escapes to undo). */
    if (cadre_tmpl_text_is_constant(el->text) && !strpbrk(n->text, "{}"))
        el->constant = n->text;
    return 0;
}

/* A QR code's verify="ADDRESS": printable ASCII without spaces or '#',
 * since the seal follows it after a '#'. */
static int verify_attr(const cadre_tnode *n, struct cert_el *el,
                       cadre_diags *diags)
{
    const char *v = cadre_tnode_attr(n, "verify");
    if (!v)
        return 0;
    for (const char *p = v; *p; p++)
        if (*p <= ' ' || *p > '~' || *p == '#') {
            cadre_tnode_error(n, diags,
                              "verify=\"%s\": the address of the verification "
                              "page may not hold spaces, '#' or non-ASCII "
                              "characters", v);
            return -1;
        }
    if (!*v) {
        cadre_tnode_error(n, diags, "verify=\"\": give the address of the "
                          "verification page (https://.../v)");
        return -1;
    }
    el->verify = v;
    return 0;
}

/* Why the image file at `path` may not be used, or NULL: the user named
 * the template, and so its folder, nothing else ("../../etc/passwd",
 * "/etc/passwd", a link out of it), and only a regular file (a FIFO would
 * hang the run, a device never end).  A usable image is noted as an input:
 * no output may replace it. */
static const char *image_allowed(const cadre_cert_tmpl *t, const char *path)
{
    static _Thread_local char why[96];
    char *real = realpath(path, NULL);
    if (!real) {
        snprintf(why, sizeof why, "%s", strerror(errno));
        return why;
    }
    const char *dir = t->real_dir;
    size_t dir_len = strlen(dir);
    struct stat st;
    const char *bad = NULL;
    if (strncmp(real, dir, dir_len) != 0 ||
        real[dir_len == 1 ? 0 : dir_len] != '/')
        bad = "outside the template's folder";
    else if (stat(real, &st) != 0)
        bad = strerror(errno);
    else if (!S_ISREG(st.st_mode))
        bad = "not a regular file";
    else if (access(real, R_OK) != 0)
        bad = strerror(errno);
    else
        cadre_files_note_input(&st);
    free(real);
    if (bad)
        snprintf(why, sizeof why, "%s", bad);
    return bad ? why : NULL;
}

/* Read one element other than text. */
static int read_shape(cadre_cert_tmpl *t, const cadre_tnode *n,
                      struct cert_el *el, cadre_diags *diags)
{
    int bad = 0;
    el->width = 0.75;
    el->color = 0;
    el->fill = CADRE_PDF_NONE;
    switch (el->kind) {
    case CERT_LINE:
        bad |= cadre_tnode_check_attrs(n, line_attrs, diags);
        bad |= need(n, "x1", -1000, 2000, &el->x, diags);
        bad |= need(n, "y1", -1000, 2000, &el->y, diags);
        bad |= need(n, "x2", -1000, 2000, &el->x2, diags);
        bad |= need(n, "y2", -1000, 2000, &el->y2, diags);
        break;
    case CERT_RECT:
    case CERT_BORDER:
        bad |= cadre_tnode_check_attrs(
            n, el->kind == CERT_RECT ? rect_attrs : border_attrs, diags);
        bad |= need(n, "x", -1000, 2000, &el->x, diags);
        bad |= need(n, "y", -1000, 2000, &el->y, diags);
        bad |= need(n, "w", 0.1, 2000, &el->w, diags);
        bad |= need(n, "h", 0.1, 2000, &el->h, diags);
        bad |= color_attr(n, "fill", true, &el->fill, diags);
        if (el->kind == CERT_BORDER) {
            static const char *const styles[] = { "simple", "double",
                                                  "ornate", NULL };
            int style = BORDER_ORNATE;
            bad |= cadre_tnode_choice(n, "style", styles, &style, diags);
            el->style = style;
            el->width = 1.5;
            el->color = 0x8B1A1A;
        }
        break;
    case CERT_CIRCLE:
    case CERT_STAR:
        bad |= cadre_tnode_check_attrs(n, circle_attrs, diags);
        bad |= need(n, "cx", -1000, 2000, &el->x, diags);
        bad |= need(n, "cy", -1000, 2000, &el->y, diags);
        bad |= need(n, "r", 0.1, 1000, &el->w, diags);
        bad |= color_attr(n, "fill", true, &el->fill, diags);
        break;
    case CERT_IMAGE: {
        bad |= cadre_tnode_check_attrs(n, image_attrs, diags);
        bad |= need(n, "x", -1000, 2000, &el->x, diags);
        bad |= need(n, "y", -1000, 2000, &el->y, diags);
        bad |= need(n, "w", 0.1, 2000, &el->w, diags);
        bad |= need(n, "h", 0.1, 2000, &el->h, diags);
        const char *file = cadre_tnode_require(n, "file", diags);
        if (!file)
            return -1;
        el->path = cadre_tnode_path(n, file);
        if (!el->path) {
            cadre_tnode_error(n, diags, "out of memory");
            return -1;
        }
        const char *why = image_allowed(t, el->path);
        if (why) {
            cadre_tnode_error(n, diags, "cannot use image '%s': %s", file,
                              cadre_gettext(why));
            return -1;
        }
        break;
    }
    case CERT_QR:
        bad |= cadre_tnode_check_attrs(n, qr_attrs, diags);
        bad |= need(n, "x", -1000, 2000, &el->x, diags);
        bad |= need(n, "y", -1000, 2000, &el->y, diags);
        bad |= need(n, "size", 5, 500, &el->w, diags);
        el->h = el->w;
        bad |= verify_attr(n, el, diags);
        if (!bad && !(el->text = compile_text(n, n->text, diags)))
            return -1;
        break;
    case CERT_TEXT:
    case CERT_SIGNATURE: /* read by their own functions */
        break;
    }
    bad |= cadre_tnode_number(n, "width", 0, 50, &el->width, diags);
    bad |= color_attr(n, "color", el->kind != CERT_QR, &el->color, diags);
    (void)t;
    return bad ? -1 : 0;
}

/* The extent of an element, to check it stays on the page where it is
 * printed: with the printer offset, and its rule under it. */
static bool on_page(const cadre_cert_tmpl *t, const struct cert_el *el)
{
    double x0 = el->x, y0 = el->y, x1 = el->x + el->w, y1 = el->y + el->h;
    if (el->kind == CERT_LINE)
        x0 = el->x < el->x2 ? el->x : el->x2, x1 = el->x < el->x2 ? el->x2 : el->x,
        y0 = el->y < el->y2 ? el->y : el->y2, y1 = el->y < el->y2 ? el->y2 : el->y;
    else if (el->kind == CERT_CIRCLE || el->kind == CERT_STAR)
        x0 = el->x - el->w, y0 = el->y - el->w, y1 = el->y + el->w;
    else if (el->kind == CERT_TEXT && !el->boxed)
        x1 = x0, y1 = y0; /* its width is known when drawn (free_text) */
    else if (el->kind == CERT_TEXT && el->rule > 0)
        y1 += el->rule_gap + el->width / CADRE_PDF_PT_PER_MM;
    x0 += t->off_x, x1 += t->off_x, y0 += t->off_y, y1 += t->off_y;
    return x0 >= -1e-9 && y0 >= -1e-9 && x1 <= t->page_w + 1e-9 &&
           y1 <= t->page_h + 1e-9;
}

static int read_element(cadre_cert_tmpl *t, const cadre_tnode *n,
                        const struct text_defaults *d, cadre_diags *diags)
{
    static const char *const names[] = {
        [CERT_TEXT] = "text",     [CERT_LINE] = "line",
        [CERT_RECT] = "rect",     [CERT_CIRCLE] = "circle",
        [CERT_STAR] = "star",     [CERT_BORDER] = "border",
        [CERT_IMAGE] = "image",   [CERT_QR] = "qr",
        [CERT_SIGNATURE] = "signature",
    };
    int kind = -1;
    for (int i = 0; i < (int)(sizeof names / sizeof names[0]); i++)
        if (cadre_tnode_is(n, names[i]))
            kind = i;
    if (kind < 0) {
        cadre_tnode_error(n, diags,
                          "unknown element <%s>: a certificate has <text>, "
                          "<line>, <rect>, <circle>, <star>, <border>, "
                          "<image>, <qr> and <signature>",
                          n->name);
        return -1;
    }
    if (!GROW(t->els, t->cap_els, t->n_els + 1)) {
        cadre_tnode_error(n, diags, "out of memory");
        return -1;
    }
    struct cert_el *el = &t->els[t->n_els++];
    memset(el, 0, sizeof *el);
    el->kind = (enum cert_kind)kind;
    el->file = n->file;
    el->line = n->line;
    if (cadre_tnode_bool(n, "stock", &el->stock, diags))
        return -1;
    const char *when = cadre_tnode_attr(n, "when");
    if (when && !(el->when = cadre_expr_compile(when, &cert_scope, n->file,
                                                n->line, diags)))
        return -1;
    int rc = kind == CERT_TEXT        ? read_text(t, n, d, el, diags)
             : kind == CERT_SIGNATURE ? cert_signature_read(t, n, d->family, el, diags)
                                      : read_shape(t, n, el, diags);
    if (rc == 0 && !(el->stock && t->fields_only) && !on_page(t, el)) {
        if (t->off_x || t->off_y)
            cadre_tnode_error(n, diags,
                              "<%s> reaches outside the %gx%g mm page with "
                              "the printer offset (%g, %g mm)",
                              n->name, t->page_w, t->page_h, t->off_x,
                              t->off_y);
        else
            cadre_tnode_error(n, diags, "<%s> reaches outside the %gx%g mm page",
                              n->name, t->page_w, t->page_h);
        return -1;
    }
    return rc;
}

/* A number pattern with every bare {seq} as {seq|pad:1}: a number
 * placeholder prints grouped ("1.000"), a certificate number never does;
 * and {seq:03}, the form clerks know from other tools, as {seq|pad:3}.
 * Caller owns the result. */
static char *plain_seq(const char *pattern)
{
    static const char bare[] = "{seq", plain[] = "{seq|pad:";
    /* each {seq} or {seq:N} grows by at most this much */
    size_t n = 1;
    for (const char *p = strstr(pattern, bare); p; p = strstr(p + 1, bare))
        n++;
    char *out = malloc(strlen(pattern) + n * sizeof plain + 1), *o = out;
    if (!out)
        return NULL;
    for (const char *p = pattern; *p;) {
        bool named = !strncmp(p, bare, sizeof bare - 1);
        const char *q = named ? p + sizeof bare - 1 : p;
        size_t digits = 0;
        if (named && *q == ':')
            for (q++; q[digits] >= '0' && q[digits] <= '9' && digits < 4;)
                digits++;
        bool form = named && q[digits] == '}' && (*q == '}' || digits > 0);
        /* "{{seq}}" is the literal text "{seq}": leave it */
        if (form && (p == pattern || p[-1] != '{')) {
            const char *d = q, *end = q + digits;
            while (end - d > 1 && *d == '0')
                d++;
            memcpy(o, plain, sizeof plain - 1);
            o += sizeof plain - 1;
            if (*q == '}')
                *o++ = '1';
            memcpy(o, d, (size_t)(end - d));
            o += end - d;
            *o++ = '}';
            p = end + 1;
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
    return out;
}

/* Compile the pattern attribute `name` (or `fallback`) of the root. */
static cadre_tmpl_text *pattern_attr(const cadre_tnode *root, const char *name,
                                     const char *fallback, cadre_diags *diags)
{
    const char *v = cadre_tnode_attr(root, name);
    char *pattern = plain_seq(v ? v : fallback);
    if (!pattern) {
        cadre_diags_error(diags, NULL, 0, "out of memory");
        return NULL;
    }
    cadre_tmpl_text *text = compile_text(root, pattern, diags);
    free(pattern);
    return text;
}

static const char *const root_attrs[] = {
    "page", "orientation", "offset-x", "offset-y", "fields-only", "number",
    "number-start", "register-number", "title", "family", "style", "size", "min-size",
    "line-spacing", "color", NULL
};

cadre_cert_tmpl *cadre_cert_tmpl_load(const char *path,
                                      cadre_pdf_fonts *fonts,
                                      cadre_diags *diags)
{
    size_t errors = diags ? diags->errors : 0;
    cadre_cert_tmpl *t = calloc(1, sizeof *t);
    if (!t) {
        cadre_diags_error(diags, NULL, 0, "out of memory");
        return NULL;
    }
    t->fonts = fonts;
    t->number_start = 1;
    if (!(t->src = cadre_tmpl_load(path, "certificate", diags)))
        goto fail;
    if (!(t->real_dir = realpath(t->src->dir, NULL))) {
        cadre_diags_error(diags, path, 0, "cannot read the template's folder: %s",
                          strerror(errno));
        goto fail;
    }
    const cadre_tnode *root = t->src->root;
    cadre_tnode_check_attrs(root, root_attrs, diags);

    static const char *const orient[] = { "portrait", "landscape", NULL };
    static const char *const styles[] = { "regular", "bold", "italic",
                                          "bold-italic", NULL };
    int landscape = 1;
    double w, h, start = 1;
    struct text_defaults d = { "Noto Serif", CADRE_PDF_REGULAR, 13, 0, 0, 0 };
    if (page_attr(root, &w, &h, diags) == 0 &&
        cadre_tnode_choice(root, "orientation", orient, &landscape, diags) == 0) {
        bool wide = w > h;
        t->page_w = wide == (landscape != 0) ? w : h;
        t->page_h = wide == (landscape != 0) ? h : w;
    }
    cadre_tnode_number(root, "offset-x", -50, 50, &t->off_x, diags);
    cadre_tnode_number(root, "offset-y", -50, 50, &t->off_y, diags);
    cadre_tnode_bool(root, "fields-only", &t->fields_only, diags);
    cadre_tnode_number(root, "number-start", 0, 1e9, &start, diags);
    t->number_start = (unsigned long)start;
    if (cadre_tnode_attr(root, "family"))
        d.family = cadre_tnode_attr(root, "family");
    cadre_tnode_choice(root, "style", styles, &d.style, diags);
    cadre_tnode_number(root, "size", 2, 300, &d.size, diags);
    cadre_tnode_number(root, "min-size", 2, 300, &d.min_size, diags);
    cadre_tnode_number(root, "line-spacing", 0.5, 5, &d.line_spacing, diags);
    color_attr(root, "color", false, &d.color, diags);
    t->number = pattern_attr(root, "number", "{seq}/{year}/CC", diags);
    t->register_no = pattern_attr(root, "register-number", "{seq}/{year}",
                                  diags);
    const char *title = cadre_tnode_attr(root, "title");
    if (title)
        t->title = compile_text(root, title, diags);
    if (diags && diags->errors > errors)
        goto fail;
    for (const cadre_tnode *n = root->children; n; n = n->next)
        read_element(t, n, &d, diags);
    if (diags && diags->errors > errors)
        goto fail;
    return t;
fail:
    cadre_cert_tmpl_free(t);
    return NULL;
}

void cadre_cert_tmpl_free(cadre_cert_tmpl *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n_els; i++) {
        cadre_expr_free(t->els[i].when);
        cadre_tmpl_text_free(t->els[i].text);
        free(t->els[i].path);
        free(t->els[i].seal);
    }
    free(t->els);
    cadre_tmpl_text_free(t->number);
    cadre_tmpl_text_free(t->register_no);
    cadre_tmpl_text_free(t->title);
    cadre_tmpl_free(t->src);
    free(t->real_dir);
    free(t);
}

unsigned long cadre_cert_tmpl_number_start(const cadre_cert_tmpl *t)
{
    return t->number_start;
}

char *cadre_cert_find_template(const char *name)
{
    if (strchr(name, '/') || access(name, R_OK) == 0)
        return access(name, R_OK) == 0 ? strdup(name) : NULL;
    char rel[256];
    if (snprintf(rel, sizeof rel, "templates/cert/%s.xml", name) >=
        (int)sizeof rel)
        return NULL;
    return cadre_data_find(rel);
}
