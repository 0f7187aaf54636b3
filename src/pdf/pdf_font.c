/* pdf_font.c - font sets: fontconfig, Vietnamese coverage, build-time
 * subsets (pdf.h); the text drawn with them is in pdf_text.c. */
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fontconfig/fontconfig.h>

#include "cadre/files.h"
#include "cadre/i18n.h"
#include "cadre/text.h"
#include "pdf_internal.h"
#include "util/grow.h"

/* The family used when the one asked for is missing or unfit: the free
 * serif with full Vietnamese coverage that fonts-noto-core installs. */
#define FALLBACK_FAMILY "Noto Serif"

/* Every Vietnamese letter, both cases: a face that lacks one of them
 * would print a box in somebody's name. */
static const char vietnamese[] =
    "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệghiìỉĩíịklmnoòỏõóọôồổỗốộơờởỡớợ"
    "pqrstuùủũúụưừửữứựvxyỳỷỹýỵ"
    "AÀẢÃÁẠĂẰẲẴẮẶÂẦẨẪẤẬBCDĐEÈẺẼÉẸÊỀỂỄẾỆGHIÌỈĨÍỊKLMNOÒỎÕÓỌÔỒỔỖỐỘƠỜỞỠỚỢ"
    "PQRSTUÙỦŨÚỤƯỪỬỮỨỰVXYỲỶỸÝỴ";



/* Font sets alive: fontconfig is shut down (FcFini) with the last one,
 * or its configuration stays allocated until exit and hides real leaks
 * from valgrind. */
static int live_sets;
/* Guards the count: font sets may be made and freed on several threads. */
static pthread_mutex_t live_lock = PTHREAD_MUTEX_INITIALIZER;

cadre_pdf_fonts *cadre_pdf_fonts_new(void)
{
    cadre_pdf_fonts *fonts = NULL;
    pthread_mutex_lock(&live_lock);
    if (FcInit()) {
        fonts = calloc(1, sizeof(cadre_pdf_fonts));
        if (fonts)
            live_sets++;
        else if (live_sets == 0)
            FcFini();
    }
    pthread_mutex_unlock(&live_lock);
    return fonts;
}

static void face_release(struct pdf_face *f)
{
    free(f->family);
    free(f->label);
    free(f->ps_name);
    for (int i = 0; i < 2; i++) {
        if (i == 0 || f->file[1] != f->file[0])
            free(f->file[i]);
        if (i == 0 || f->ttf[1] != f->ttf[0])
            pdf_ttf_free(f->ttf[i]);
    }
}

void cadre_pdf_fonts_free(cadre_pdf_fonts *fonts)
{
    if (!fonts)
        return;
    for (size_t i = 0; i < fonts->n; i++)
        face_release(&fonts->faces[i]);
    free(fonts->faces);
    free(fonts);
    pthread_mutex_lock(&live_lock);
    if (--live_sets == 0)
        FcFini();
    pthread_mutex_unlock(&live_lock);
}

int cadre_pdf_style_parse(const char *name)
{
    static const char *const names[] = { "regular", "bold", "italic",
                                         "bold-italic" };
    for (int i = 0; i < 4; i++)
        if (!strcmp(name, names[i]))
            return i;
    return -1;
}

static const char *style_label(int style)
{
    static const char *const labels[] = { "Regular", "Bold", "Italic",
                                          "Bold Italic" };
    return labels[style & 3];
}

/* What fontconfig found for a family and style. */
struct found {
    char *file;          /* path */
    char *family;        /* the family it really is */
    struct pdf_ttf *ttf; /* the file read, or NULL (see why) */
    const char *why;     /* why it cannot be used at all, or NULL */
    bool style_ok;       /* weight and slant as asked */
};

static void found_release(struct found *f)
{
    free(f->file);
    free(f->family);
    pdf_ttf_free(f->ttf);
    memset(f, 0, sizeof *f);
}

static bool style_matches(FcPattern *p, int style)
{
    int weight = FC_WEIGHT_REGULAR, slant = FC_SLANT_ROMAN;
    FcPatternGetInteger(p, FC_WEIGHT, 0, &weight);
    FcPatternGetInteger(p, FC_SLANT, 0, &slant);
    bool bold = weight >= FC_WEIGHT_DEMIBOLD;
    bool italic = slant != FC_SLANT_ROMAN;
    return bold == ((style & CADRE_PDF_BOLD) != 0) &&
           italic == ((style & CADRE_PDF_ITALIC) != 0);
}

/* Fill `f` from a pattern describing one font file.  false when out of
 * memory or the pattern names no file. */
static bool found_from(struct found *f, FcPattern *p, int style)
{
    FcChar8 *file = NULL, *family = NULL;
    if (FcPatternGetString(p, FC_FILE, 0, &file) != FcResultMatch)
        return false;
    FcPatternGetString(p, FC_FAMILY, 0, &family);
    f->file = strdup((const char *)file);
    f->family = strdup(family ? (const char *)family : "");
    f->style_ok = style_matches(p, style);
    if (f->file)
        f->ttf = pdf_ttf_open(f->file, &f->why);
    return f->file && f->family;
}

static bool family_is(FcPattern *p, const char *family)
{
    FcChar8 *s;
    for (int i = 0; FcPatternGetString(p, FC_FAMILY, i, &s) == FcResultMatch;
         i++)
        if (!strcasecmp((const char *)s, family))
            return true;
    return false;
}

/* Ask fontconfig for `family` in `style`.  Returns false when it has
 * nothing of that family (it would substitute another one). */
static bool lookup(const char *family, int style, struct found *f)
{
    bool ok = false;
    FcPattern *pat = FcPatternCreate();
    if (!pat)
        return false;
    FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family);
    FcPatternAddInteger(pat, FC_WEIGHT, (style & CADRE_PDF_BOLD)
                                            ? FC_WEIGHT_BOLD
                                            : FC_WEIGHT_REGULAR);
    FcPatternAddInteger(pat, FC_SLANT, (style & CADRE_PDF_ITALIC)
                                           ? FC_SLANT_ITALIC
                                           : FC_SLANT_ROMAN);
    FcConfigSubstitute(NULL, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult res;
    FcPattern *match = FcFontMatch(NULL, pat, &res);
    if (match && family_is(match, family))
        ok = found_from(f, match, style);
    if (match)
        FcPatternDestroy(match);
    FcPatternDestroy(pat);
    return ok;
}

/* The first Vietnamese letter `ttf` cannot print, or 0. */
static uint32_t lacks_vietnamese(const struct pdf_ttf *ttf)
{
    const unsigned char *p = (const unsigned char *)vietnamese;
    while (*p) {
        uint32_t c = pdf_next_cp(&p);
        if (!ttf || !pdf_ttf_glyph(ttf, c))
            return c;
    }
    return 0;
}

/* Why `f` cannot be used, or NULL when it can. */
static const char *unfit(const struct found *f)
{
    if (f->why)
        return f->why;
    if (lacks_vietnamese(f->ttf))
        return CADRE_N_("cannot print every Vietnamese letter");
    if (!f->style_ok)
        return CADRE_N_("has no such style");
    return NULL;
}

/* Read a font file's own description (for a subset fontconfig does not
 * index). */
static bool query_file(const char *path, int style, struct found *f)
{
    int count = 0;
    FcPattern *p = FcFreeTypeQuery((const FcChar8 *)path, 0, NULL, &count);
    if (!p)
        return false;
    bool ok = found_from(f, p, style);
    FcPatternDestroy(p);
    return ok;
}

/* The build-time subset of a font file, by its file name: build/fonts/
 * beside the running tool's bin/ (build or build-san of the source tree),
 * then the data directories (installed: share/cadrekit/fonts/).  A file
 * that is not a regular file, not the same family and style, or lacks a
 * Vietnamese letter, is ignored.  Returns true with `sub` filled when one is found. */
static bool find_subset(const struct found *full, int style, struct found *sub)
{
    const char *base = strrchr(full->file, '/');
    base = base ? base + 1 : full->file;
    char rel[PATH_MAX];
    snprintf(rel, sizeof rel, "fonts/%s", base);
    char *candidates[2] = { NULL, NULL };
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            slash = strrchr(exe, '/');
        }
        if (slash) {
            *slash = '\0';
            size_t size = strlen(exe) + strlen(rel) + 2;
            if ((candidates[0] = malloc(size)))
                snprintf(candidates[0], size, "%s/%s", exe, rel);
        }
    }
    candidates[1] = cadre_data_find(rel);
    bool ok = false;
    for (int i = 0; i < 2 && !ok; i++) {
        /* a regular file only: fontconfig would wait on a FIFO there */
        struct stat st;
        if (!candidates[i] || stat(candidates[i], &st) != 0 ||
            !S_ISREG(st.st_mode) || access(candidates[i], R_OK) != 0)
            continue;
        if (query_file(candidates[i], style, sub) && !sub->why &&
            !strcasecmp(sub->family, full->family) && sub->style_ok &&
            !lacks_vietnamese(sub->ttf))
            ok = true;
        else
            found_release(sub);
    }
    free(candidates[0]);
    free(candidates[1]);
    return ok;
}

/* The name a PDF gives the font ("NotoSerif-Bold"): the file's name
 * without its extension, letters, digits and '-' only.  Caller owns the
 * result. */
static char *ps_name(const char *file)
{
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    size_t n = strcspn(base, ".");
    char *name = malloc(n + 2);
    if (!name)
        return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n && k < 63; i++) {
        unsigned char c = (unsigned char)base[i];
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
            (c >= '0' && c <= '9') || c == '-')
            name[k++] = (char)c;
    }
    if (!k)
        name[k++] = 'F';
    name[k] = '\0';
    return name;
}

int cadre_pdf_fonts_add(cadre_pdf_fonts *fonts, const char *family,
                        cadre_pdf_style style, cadre_diags *diags)
{
    style &= 3;
    for (size_t i = 0; i < fonts->n; i++)
        if (fonts->faces[i].style == (int)style &&
            !strcasecmp(fonts->faces[i].family, family))
            return (int)i;

    struct found full = { 0 }, sub = { 0 };
    const char *why = NULL;
    if (!lookup(family, style, &full))
        why = CADRE_N_("is not installed");
    else
        why = unfit(&full);
    if (why) {
        found_release(&full);
        if (!lookup(FALLBACK_FAMILY, style, &full) || unfit(&full)) {
            found_release(&full);
            cadre_diags_error(diags, NULL, 0,
                              "no usable font for '%s' %s: the font %s, and "
                              "the fallback '%s' is missing (install "
                              "fonts-noto-core)",
                              family, style_label(style), cadre_gettext(why),
                              FALLBACK_FAMILY);
            return -1;
        }
        cadre_diags_add(diags, CADRE_SEV_NOTE, NULL, 0,
                        "font '%s' %s %s; using '%s' instead", family,
                        style_label(style), cadre_gettext(why),
                        FALLBACK_FAMILY);
    }
    bool have_sub = find_subset(&full, style, &sub);

    if (!GROW(fonts->faces, fonts->cap, fonts->n + 1))
        goto nomem;
    struct pdf_face *f = &fonts->faces[fonts->n];
    memset(f, 0, sizeof *f);
    f->style = style;
    f->family = strdup(family);
    size_t label_size = strlen(full.family) + 16;
    f->label = malloc(label_size);
    if (!f->family || !f->label) {
        face_release(f);
        goto nomem;
    }
    snprintf(f->label, label_size, "%s %s", full.family, style_label(style));
    if (!(f->ps_name = ps_name(full.file))) {
        face_release(f);
        goto nomem;
    }
    f->file[1] = full.file;
    f->ttf[1] = full.ttf;
    full.file = NULL;
    full.ttf = NULL;
    if (have_sub) {
        f->file[0] = sub.file;
        f->ttf[0] = sub.ttf;
        sub.file = NULL;
        sub.ttf = NULL;
    } else {
        f->file[0] = f->file[1];
        f->ttf[0] = f->ttf[1];
    }
    found_release(&full);
    found_release(&sub);
    return (int)fonts->n++;
nomem:
    found_release(&full);
    found_release(&sub);
    cadre_diags_error(diags, NULL, 0, "out of memory");
    return -1;
}

const char *cadre_pdf_fonts_file(const cadre_pdf_fonts *fonts, int face)
{
    return face >= 0 && (size_t)face < fonts->n ? fonts->faces[face].file[0]
                                                : NULL;
}

const char *cadre_pdf_fonts_full_file(const cadre_pdf_fonts *fonts, int face)
{
    return face >= 0 && (size_t)face < fonts->n ? fonts->faces[face].file[1]
                                                : NULL;
}
