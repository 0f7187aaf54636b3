/* pdf_ttf.c - TrueType font files: which characters a file prints, with
 * which glyph and advance, the metrics a PDF font descriptor gives, and
 * the font program of a subset that holds only the glyphs a document
 * draws (pdf_internal.h).
 *
 * Only what a PDF needs is read: the table directory, head, hhea, maxp,
 * hmtx, loca, glyf, cmap, and OS/2 and post for the descriptor.  Every
 * offset is checked against the file: a damaged font is refused, or a
 * glyph it cannot print counts as missing, never read out of bounds. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cadre/files.h"
#include "cadre/i18n.h"
#include "pdf_internal.h"
#include "util/grow.h"

/* Largest font file read: Noto Serif is 0.6 MB, Noto CJK 20 MB. */
#define TTF_MAX_SIZE (64L << 20)
/* Deepest nesting of composite glyphs followed (fonts use 2 or 3). */
#define TTF_MAX_DEPTH 8

/* Composite glyph flags (the OpenType spec's names). */
#define ARG_1_AND_2_ARE_WORDS 0x0001
#define WE_HAVE_A_SCALE 0x0008
#define MORE_COMPONENTS 0x0020
#define WE_HAVE_AN_X_AND_Y_SCALE 0x0040
#define WE_HAVE_A_TWO_BY_TWO 0x0080
#define WE_HAVE_INSTRUCTIONS 0x0100

static unsigned u16(const struct pdf_ttf *t, size_t at)
{
    return at + 2 <= t->size ? (unsigned)(t->data[at] << 8 | t->data[at + 1])
                             : 0;
}

static unsigned long u32(const struct pdf_ttf *t, size_t at)
{
    return at + 4 <= t->size ? (unsigned long)t->data[at] << 24 |
                                   (unsigned long)t->data[at + 1] << 16 |
                                   (unsigned long)t->data[at + 2] << 8 |
                                   t->data[at + 3]
                             : 0;
}

static int s16(const struct pdf_ttf *t, size_t at)
{
    return (int16_t)u16(t, at);
}

/* Offset and length of table `tag`; false when absent or out of bounds. */
static bool find_table(const struct pdf_ttf *t, const char *tag,
                       struct pdf_ttf_table *out)
{
    unsigned n = u16(t, 4);
    for (unsigned i = 0; i < n; i++) {
        size_t rec = 12 + 16 * (size_t)i;
        if (rec + 16 > t->size)
            return false;
        if (memcmp(t->data + rec, tag, 4))
            continue;
        out->off = u32(t, rec + 8);
        out->len = u32(t, rec + 12);
        return out->off <= t->size && out->len <= t->size - out->off;
    }
    return false;
}

/* Bytes [*start, *end) of glyph `g` in the file; false when out of range. */
static bool glyph_range(const struct pdf_ttf *t, unsigned g, size_t *start,
                        size_t *end)
{
    if (g >= t->num_glyphs)
        return false;
    size_t loca = t->loca.off;
    size_t s, e;
    if (t->long_loca) {
        s = u32(t, loca + 4 * (size_t)g);
        e = u32(t, loca + 4 * (size_t)g + 4);
    } else {
        s = 2 * (size_t)u16(t, loca + 2 * (size_t)g);
        e = 2 * (size_t)u16(t, loca + 2 * (size_t)g + 2);
    }
    if (s > e || e > t->glyf.len)
        return false;
    *start = t->glyf.off + s;
    *end = t->glyf.off + e;
    return true;
}

/* A composite glyph's components, one at a time. */
struct parts {
    const struct pdf_ttf *t;
    size_t p, end;  /* the next component record */
    bool more;      /* records are left */
};

static bool is_composite(const struct pdf_ttf *t, size_t s, size_t e)
{
    return e - s >= 10 && s16(t, s) < 0;
}

/* Size of the component record at p (flags, index, arguments, scale). */
static size_t part_size(unsigned flags)
{
    size_t n = 4 + ((flags & ARG_1_AND_2_ARE_WORDS) ? 4 : 2);
    if (flags & WE_HAVE_A_SCALE)
        n += 2;
    else if (flags & WE_HAVE_AN_X_AND_Y_SCALE)
        n += 4;
    else if (flags & WE_HAVE_A_TWO_BY_TWO)
        n += 8;
    return n;
}

/* The next component's glyph, or -1 when there is none (or the record
 * runs past the glyph: *bad is set). */
static long next_part(struct parts *it, bool *bad)
{
    if (!it->more)
        return -1;
    if (it->p + 4 > it->end) {
        *bad = true;
        return -1;
    }
    unsigned flags = u16(it->t, it->p), g = u16(it->t, it->p + 2);
    size_t n = part_size(flags);
    if (it->p + n > it->end) {
        *bad = true;
        return -1;
    }
    it->p += n;
    it->more = (flags & MORE_COMPONENTS) != 0;
    return g;
}

/* Where the points of a simple glyph end (its flags and coordinates
 * start at `p`; the file's padding after them is left out), or 0 when
 * they run past `ge`. */
static size_t points_end(const struct pdf_ttf *t, size_t gs, int contours,
                         size_t p, size_t ge)
{
    size_t points = contours
                        ? u16(t, gs + 10 + 2 * (size_t)(contours - 1)) + 1u
                        : 0;
    size_t xs = 0, ys = 0;
    for (size_t i = 0; i < points;) {
        if (p >= ge)
            return 0;
        unsigned f = t->data[p++];
        size_t times = 1;
        if (f & 0x08) { /* REPEAT_FLAG */
            if (p >= ge)
                return 0;
            times += t->data[p++];
        }
        xs += times * ((f & 0x02) ? 1 : (f & 0x10) ? 0 : 2);
        ys += times * ((f & 0x04) ? 1 : (f & 0x20) ? 0 : 2);
        i += times;
    }
    return p + xs + ys <= ge ? p + xs + ys : 0;
}

/* The end of simple glyph [s, e)'s data, or 0 when it is damaged. */
static size_t simple_end(const struct pdf_ttf *t, size_t s, size_t e)
{
    int contours = s16(t, s);
    size_t ends = s + 10 + 2 * (size_t)contours;
    if (ends + 2 > e)
        return 0;
    size_t body = ends + 2 + u16(t, ends);
    return body <= e ? points_end(t, s, contours, body, e) : 0;
}

/* 1 when glyph `g` can be drawn (its data, and its components' data at
 * any depth, lie inside the file), 0 when not; memoised in `state`
 * (0 unknown, 1 yes, 2 no, 3 being checked: a cycle). */
static int glyph_sound(const struct pdf_ttf *t, unsigned g, uint8_t *state,
                       int depth)
{
    if (g >= t->num_glyphs)
        return 0;
    if (state[g] == 1 || state[g] == 2)
        return state[g] == 1;
    if (state[g] == 3 || depth > TTF_MAX_DEPTH)
        return 0;
    size_t s, e;
    int ok = glyph_range(t, g, &s, &e);
    if (ok && e - s >= 10 && !is_composite(t, s, e))
        ok = simple_end(t, s, e) != 0;
    else if (ok && is_composite(t, s, e)) {
        state[g] = 3;
        struct parts it = { t, s + 10, e, true };
        bool bad = false;
        long part;
        while (ok && (part = next_part(&it, &bad)) >= 0)
            ok = glyph_sound(t, (unsigned)part, state, depth + 1);
        if (bad)
            ok = 0;
    }
    state[g] = ok ? 1 : 2;
    return ok;
}

unsigned pdf_ttf_checked(const struct pdf_ttf *t, unsigned g)
{
    return glyph_sound(t, g, t->sound, 0) ? g : 0;
}

/* Record that code point c draws glyph g (whether g prints is asked
 * when it is drawn: pdf_ttf_glyph). */
static void map_char(struct pdf_ttf *t, unsigned c, unsigned g)
{
    if (c < 0xFFFF && g && g < t->num_glyphs && !t->gid[c])
        t->gid[c] = (uint16_t)g;
}

/* A format 4 cmap subtable. */
static void read_cmap4(struct pdf_ttf *t, size_t sub)
{
    unsigned segs = u16(t, sub + 6) / 2;
    size_t ends = sub + 14, starts = ends + 2 * (size_t)segs + 2,
           deltas = starts + 2 * (size_t)segs,
           ranges = deltas + 2 * (size_t)segs;
    /* Segments may not overlap in a sound font; a damaged one could make
     * this walk 2^31 steps, so stop after every code point's worth. */
    unsigned long budget = 0x10000;
    for (unsigned i = 0; i < segs; i++) {
        unsigned end = u16(t, ends + 2 * i), start = u16(t, starts + 2 * i);
        if (start <= end) {
            unsigned long span = end - start + 1UL;
            if (span > budget)
                return;
            budget -= span;
        }
        unsigned delta = u16(t, deltas + 2 * i);
        size_t ro_at = ranges + 2 * (size_t)i;
        unsigned ro = u16(t, ro_at);
        for (unsigned c = start; c <= end && c < 0xFFFF; c++) {
            unsigned g;
            if (ro == 0) {
                g = (c + delta) & 0xFFFF;
            } else {
                g = u16(t, ro_at + ro + 2 * (size_t)(c - start));
                if (g)
                    g = (g + delta) & 0xFFFF;
            }
            map_char(t, c, g);
        }
    }
}

/* A format 12 cmap subtable (its BMP part: text is drawn from the BMP). */
static void read_cmap12(struct pdf_ttf *t, size_t sub)
{
    unsigned long n = u32(t, sub + 12), budget = 0x10000;
    for (unsigned long i = 0; i < n && sub + 16 + 12 * (i + 1) <= t->size;
         i++) {
        size_t grp = sub + 16 + 12 * (size_t)i;
        unsigned long start = u32(t, grp), end = u32(t, grp + 4),
                      g = u32(t, grp + 8);
        if (start > 0xFFFF)
            continue;
        if (end > 0xFFFF)
            end = 0xFFFF;
        if (start <= end) {
            unsigned long span = end - start + 1;
            if (span > budget)
                return;
            budget -= span;
        }
        for (unsigned long c = start; c <= end && c < 0xFFFF; c++, g++)
            if (g < 0x10000)
                map_char(t, (unsigned)c, (unsigned)g);
    }
}

/* Fill t->gid from the best Unicode cmap subtable: Windows full (3, 10)
 * or Unicode (0, *) format 12, else Windows BMP (3, 1) format 4. */
static const char *read_cmap(struct pdf_ttf *t)
{
    struct pdf_ttf_table cmap;
    if (!find_table(t, "cmap", &cmap))
        return CADRE_N_("has no character map");
    size_t best = 0;
    unsigned best_format = 0;
    unsigned n = u16(t, cmap.off + 2);
    for (unsigned i = 0; i < n; i++) {
        size_t rec = cmap.off + 4 + 8 * (size_t)i;
        unsigned plat = u16(t, rec), enc = u16(t, rec + 2);
        size_t sub = cmap.off + u32(t, rec + 4);
        unsigned format = u16(t, sub);
        bool unicode = plat == 0 || (plat == 3 && (enc == 1 || enc == 10));
        if (unicode && (format == 4 || format == 12) && format > best_format) {
            best = sub;
            best_format = format;
        }
    }
    if (!best_format)
        return CADRE_N_("has no Unicode character map");
    t->sound = calloc(t->num_glyphs ? t->num_glyphs : 1, 1);
    if (!(t->gid = calloc(0x10000, sizeof *t->gid)) || !t->sound)
        return CADRE_N_("cannot be read: out of memory");
    if (best_format == 4)
        read_cmap4(t, best);
    else
        read_cmap12(t, best);
    return NULL;
}

/* Font units to 1/1000 em. */
static int per_mille(const struct pdf_ttf *t, int v)
{
    return (int)lround(v * 1000.0 / t->upem);
}

/* What the font descriptor says: ascent, descent, box, heights, angle. */
static void read_metrics(struct pdf_ttf *t)
{
    size_t head = t->head.off, hhea = t->hhea.off;
    for (int i = 0; i < 4; i++)
        t->bbox[i] = per_mille(t, s16(t, head + 36 + 2 * (size_t)i));
    t->ascent = per_mille(t, s16(t, hhea + 4));
    t->descent = per_mille(t, s16(t, hhea + 6));
    struct pdf_ttf_table os2, post;
    t->cap_height = t->ascent;
    t->x_height = t->ascent / 2;
    if (find_table(t, "OS/2", &os2) && os2.len >= 90 && u16(t, os2.off) >= 2) {
        t->x_height = per_mille(t, s16(t, os2.off + 86));
        t->cap_height = per_mille(t, s16(t, os2.off + 88));
    }
    t->weight = find_table(t, "OS/2", &os2) && os2.len >= 6
                    ? u16(t, os2.off + 4) : 400;
    if (find_table(t, "post", &post) && post.len >= 16) {
        t->italic_angle = (double)(int32_t)u32(t, post.off + 4) / 65536.0;
        t->fixed_pitch = u32(t, post.off + 12) != 0;
    }
}

struct pdf_ttf *pdf_ttf_open(const char *path, const char **why)
{
    *why = NULL;
    struct pdf_ttf *t = calloc(1, sizeof *t);
    FILE *f = t ? fopen(path, "rb") : NULL;
    if (!t || !f) {
        *why = t ? "cannot be read" : "cannot be read: out of memory";
        free(t);
        return NULL;
    }
    /* a font read is an input like the records: no output of the run
     * may replace it (a test once wrote a PDF over the system's Noto
     * Serif); nor is a FIFO or a device read to its end */
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        *why = CADRE_N_("is not a font file");
        fclose(f);
        pdf_ttf_free(t);
        return NULL;
    }
    cadre_files_note_input(&st);
    long size = -1;
    if (fseek(f, 0, SEEK_END) == 0)
        size = ftell(f);
    if (size < 12 || size > TTF_MAX_SIZE || fseek(f, 0, SEEK_SET) != 0)
        *why = CADRE_N_("is not a font file");
    else if (!(t->data = malloc((size_t)size)) ||
             fread(t->data, 1, (size_t)size, f) != (size_t)size)
        *why = t->data ? "cannot be read" : "cannot be read: out of memory";
    fclose(f);
    t->size = size > 0 ? (size_t)size : 0;
    unsigned long version = *why ? 0 : u32(t, 0);
    if (!*why && version != 0x00010000 && version != 0x74727565 /* 'true' */)
        *why = CADRE_N_(
            "is not a TrueType font (only TrueType outlines are embedded)");
    else if (!*why && (!find_table(t, "glyf", &t->glyf) ||
                       !find_table(t, "loca", &t->loca) ||
                       !find_table(t, "head", &t->head) || t->head.len < 54 ||
                       !find_table(t, "hhea", &t->hhea) || t->hhea.len < 36 ||
                       !find_table(t, "maxp", &t->maxp) || t->maxp.len < 6 ||
                       !find_table(t, "hmtx", &t->hmtx)))
        *why = CADRE_N_(
            "is not a TrueType font (only TrueType outlines are embedded)");
    if (!*why) {
        t->upem = u16(t, t->head.off + 18);
        t->long_loca = u16(t, t->head.off + 50) != 0;
        t->num_glyphs = u16(t, t->maxp.off + 4);
        t->n_hmetrics = u16(t, t->hhea.off + 34);
        if (t->upem < 16 || t->upem > 16384 || t->num_glyphs == 0 ||
            (size_t)(t->num_glyphs + 1) * (t->long_loca ? 4 : 2) >
                t->loca.len ||
            t->n_hmetrics == 0 || t->n_hmetrics > t->num_glyphs ||
            4 * (size_t)t->n_hmetrics +
                    2 * (size_t)(t->num_glyphs - t->n_hmetrics) >
                t->hmtx.len)
            *why = CADRE_N_("is a damaged font file");
    }
    if (!*why)
        *why = read_cmap(t);
    if (*why) {
        pdf_ttf_free(t);
        return NULL;
    }
    read_metrics(t);
    return t;
}

void pdf_ttf_free(struct pdf_ttf *t)
{
    if (!t)
        return;
    free(t->data);
    free(t->gid);
    free(t->sound);
    free(t);
}

double pdf_ttf_advance(const struct pdf_ttf *t, unsigned g)
{
    if (g >= t->num_glyphs)
        g = 0;
    unsigned m = g < t->n_hmetrics ? g : t->n_hmetrics - 1;
    return u16(t, t->hmtx.off + 4 * (size_t)m) * 1000.0 / t->upem;
}

/* ------------------------------------------------------------------ */
/* Subsets.                                                            */

/* The glyphs of a subset: new glyph i is old glyph old[i]; 0 is .notdef.
 * `new_of` maps an old glyph to its new number (0: not in the subset). */
struct glyph_set {
    const struct pdf_ttf *t;
    uint16_t *old;
    size_t n, cap;
    uint16_t *new_of;
};

static bool set_add(struct glyph_set *s, unsigned old)
{
    if (s->new_of[old] || (old == 0 && s->n))
        return true;
    if (s->n >= 0xFFFF || !GROW(s->old, s->cap, s->n + 1))
        return false;
    s->new_of[old] = (uint16_t)s->n;
    s->old[s->n++] = (uint16_t)old;
    return true;
}

/* Add the components of every composite glyph, at any depth: they are
 * appended, and the loop reaches them in turn. */
static bool set_close(struct glyph_set *s)
{
    for (size_t i = 0; i < s->n; i++) {
        size_t gs, ge;
        if (!glyph_range(s->t, s->old[i], &gs, &ge) ||
            !is_composite(s->t, gs, ge))
            continue;
        struct parts it = { s->t, gs + 10, ge, true };
        bool bad = false;
        long part;
        while ((part = next_part(&it, &bad)) >= 0)
            if (part < s->t->num_glyphs && !set_add(s, (unsigned)part))
                return false;
    }
    return true;
}

struct out {
    unsigned char *b;
    size_t n, cap;
    bool failed;
};

static void out_bytes(struct out *o, const void *p, size_t n)
{
    if (o->failed || !GROW(o->b, o->cap, o->n + n)) {
        o->failed = true;
        return;
    }
    memcpy(o->b + o->n, p, n);
    o->n += n;
}

static void out_u16(struct out *o, unsigned v)
{
    unsigned char b[2] = { (unsigned char)(v >> 8), (unsigned char)v };
    out_bytes(o, b, 2);
}

static void out_u32(struct out *o, unsigned long v)
{
    unsigned char b[4] = { (unsigned char)(v >> 24), (unsigned char)(v >> 16),
                           (unsigned char)(v >> 8), (unsigned char)v };
    out_bytes(o, b, 4);
}

/* Glyphs start at even offsets: the short form of loca counts words. */
static void out_pad2(struct out *o)
{
    if (o->n % 2)
        out_bytes(o, "", 1);
}

static void out_pad4(struct out *o)
{
    static const unsigned char zero[3] = { 0 };
    if (o->n % 4)
        out_bytes(o, zero, 4 - o->n % 4);
}

static void put16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}

/* Glyph `old` without its hinting instructions (the subset carries no
 * cvt, fpgm or prep), composite parts renumbered. */
static void copy_glyph(const struct glyph_set *s, unsigned old, struct out *o)
{
    const struct pdf_ttf *t = s->t;
    size_t gs, ge;
    if (!glyph_range(t, old, &gs, &ge) || ge - gs < 10)
        return; /* empty (a space), or unusable: no outline */
    const unsigned char *d = t->data;
    int contours = s16(t, gs);
    if (contours >= 0) {
        /* header, end points, instructions (dropped), flags and points */
        size_t ends = gs + 10 + 2 * (size_t)contours;
        size_t stop = simple_end(t, gs, ge);
        if (!stop)
            return;
        size_t body = ends + 2 + u16(t, ends);
        out_bytes(o, d + gs, ends - gs);
        out_u16(o, 0);
        out_bytes(o, d + body, stop - body);
    } else {
        out_bytes(o, d + gs, 10);
        struct parts it = { t, gs + 10, ge, true };
        bool bad = false;
        while (!bad && it.more && !o->failed) {
            size_t at = it.p;
            long part = next_part(&it, &bad);
            if (part < 0)
                break;
            size_t rec = o->n;
            out_bytes(o, d + at, it.p - at);
            if (o->failed)
                return;
            unsigned flags = u16(t, at) & ~WE_HAVE_INSTRUCTIONS;
            put16(o->b + rec, flags);
            put16(o->b + rec + 2,
                  part < t->num_glyphs ? s->new_of[part] : 0);
        }
    }
    out_pad2(o);
}

/* The sum a table directory holds for `n` bytes (padded with zeros). */
static unsigned long checksum(const unsigned char *p, size_t n)
{
    unsigned long sum = 0;
    for (size_t i = 0; i < n; i += 4) {
        unsigned long w = 0;
        for (size_t k = 0; k < 4; k++)
            w = w << 8 | (i + k < n ? p[i + k] : 0);
        sum = (sum + w) & 0xFFFFFFFFUL;
    }
    return sum;
}

/* The tables of a subset, in the directory's (alphabetical) order. */
enum { T_GLYF, T_HEAD, T_HHEA, T_HMTX, T_LOCA, T_MAXP, T_COUNT };

/* The glyphs of the subset: the drawn ones keep their numbers 1..n (they
 * are the CIDs the content streams show, CIDToGIDMap /Identity; a glyph
 * drawn for two characters is two entries, so that each CID has one
 * Unicode value), then the composites' parts.  False when out of memory. */
static bool select_glyphs(struct glyph_set *s, const uint16_t *glyphs,
                          size_t n)
{
    const struct pdf_ttf *t = s->t;
    if (!(s->new_of = calloc(t->num_glyphs, sizeof *s->new_of)) ||
        !set_add(s, 0))
        return false;
    for (size_t i = 0; i < n; i++) {
        if (s->n >= 0xFFFF || !GROW(s->old, s->cap, s->n + 1))
            return false;
        unsigned g = glyphs[i] < t->num_glyphs ? glyphs[i] : 0;
        if (!s->new_of[g])
            s->new_of[g] = (uint16_t)s->n;
        s->old[s->n++] = (uint16_t)g;
    }
    return set_close(s);
}

/* glyf, loca (short offsets, in words, when they reach: 2 bytes a glyph)
 * and hmtx (a full metric for every glyph) of the subset. */
static void glyph_tables(const struct glyph_set *s, struct out *glyf,
                         struct out *loca, struct out *hmtx, bool *long_loca)
{
    const struct pdf_ttf *t = s->t;
    unsigned long *at = malloc((s->n + 1) * sizeof *at);
    if (!at) {
        glyf->failed = true;
        return;
    }
    for (size_t i = 0; i < s->n; i++) {
        at[i] = (unsigned long)glyf->n;
        copy_glyph(s, s->old[i], glyf);
    }
    at[s->n] = (unsigned long)glyf->n;
    *long_loca = glyf->n > 0x1FFFE;
    for (size_t i = 0; i <= s->n; i++) {
        if (*long_loca)
            out_u32(loca, at[i]);
        else
            out_u16(loca, (unsigned)(at[i] / 2));
    }
    free(at);
    for (size_t i = 0; i < s->n; i++) {
        unsigned g = s->old[i];
        unsigned m = g < t->n_hmetrics ? g : t->n_hmetrics - 1;
        out_u16(hmtx, u16(t, t->hmtx.off + 4 * (size_t)m));
        size_t lsb = g < t->n_hmetrics
                         ? t->hmtx.off + 4 * (size_t)g + 2
                         : t->hmtx.off + 4 * (size_t)t->n_hmetrics +
                               2 * (size_t)(g - t->n_hmetrics);
        out_u16(hmtx, u16(t, lsb));
    }
}

/* The font file of the tables: the directory (6 tables: searchRange 64,
 * entrySelector 2, rangeShift 32), the tables padded to 4 bytes, and
 * head's checkSumAdjustment. */
static void assemble(struct out tab[T_COUNT], struct out *file)
{
    static const char tags[T_COUNT][5] = { "glyf", "head", "hhea", "hmtx",
                                           "loca", "maxp" };
    memset(tab[T_HEAD].b + 8, 0, 4); /* checkSumAdjustment, below */
    out_u32(file, 0x00010000);
    out_u16(file, T_COUNT);
    out_u16(file, 64);
    out_u16(file, 2);
    out_u16(file, T_COUNT * 16 - 64);
    unsigned long at = 12 + 16 * T_COUNT;
    for (int i = 0; i < T_COUNT; i++) {
        out_bytes(file, tags[i], 4);
        out_u32(file, checksum(tab[i].b, tab[i].n));
        out_u32(file, at);
        out_u32(file, (unsigned long)tab[i].n);
        at += (tab[i].n + 3) & ~(size_t)3;
    }
    size_t head_at = 0;
    for (int i = 0; i < T_COUNT; i++) {
        if (i == T_HEAD)
            head_at = file->n;
        out_bytes(file, tab[i].b, tab[i].n);
        out_pad4(file);
    }
    if (file->failed)
        return;
    unsigned long adj = (0xB1B0AFBAUL - checksum(file->b, file->n)) &
                        0xFFFFFFFFUL;
    unsigned char *p = file->b + head_at + 8;
    put16(p, (unsigned)(adj >> 16));
    put16(p + 2, (unsigned)(adj & 0xFFFF));
}

bool pdf_ttf_subset(const struct pdf_ttf *t, const uint16_t *glyphs,
                    size_t n, unsigned char **font, size_t *size)
{
    struct glyph_set s = { .t = t };
    struct out tab[T_COUNT] = { { 0 } }, file = { 0 };
    bool long_loca = false;
    bool ok = select_glyphs(&s, glyphs, n);
    if (ok) {
        glyph_tables(&s, &tab[T_GLYF], &tab[T_LOCA], &tab[T_HMTX], &long_loca);
        out_bytes(&tab[T_HEAD], t->data + t->head.off, 54);
        out_bytes(&tab[T_HHEA], t->data + t->hhea.off, 36);
        out_bytes(&tab[T_MAXP], t->data + t->maxp.off,
                  t->maxp.len < 32 ? t->maxp.len : 32);
        for (int i = 0; i < T_COUNT; i++)
            ok = ok && !tab[i].failed;
    }
    if (ok) {
        put16(tab[T_HEAD].b + 50, long_loca); /* indexToLocFormat */
        put16(tab[T_HHEA].b + 34, (unsigned)s.n); /* numberOfHMetrics */
        put16(tab[T_MAXP].b + 4, (unsigned)s.n);  /* numGlyphs */
        assemble(tab, &file);
        ok = !file.failed;
    }
    for (int i = 0; i < T_COUNT; i++)
        free(tab[i].b);
    free(s.old);
    free(s.new_of);
    if (!ok) {
        free(file.b);
        return false;
    }
    *font = file.b;
    *size = file.n;
    return true;
}
