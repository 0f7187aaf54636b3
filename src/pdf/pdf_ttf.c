/* pdf_ttf.c - which characters a TrueType file can print through libharu
 * 2.3.0.
 *
 * libharu embeds a composite glyph's direct parts only, so a glyph built
 * from composites (DejaVu's "ặ" = "ạ" + breve, and "ạ" = "a" + dot) loses
 * its accents while text extraction still shows the right letter.  Reading
 * the font's cmap and glyf tables here, a character whose glyph nests
 * composites counts as missing, and the text falls back to a font that
 * prints it whole. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf_internal.h"

/* Largest font file read: Noto Serif is 0.6 MB, Noto CJK 20 MB. */
#define TTF_MAX_SIZE (64L << 20)

struct ttf {
    const unsigned char *d; /* the file */
    size_t size;
    size_t glyf, glyf_len;  /* offsets of tables */
    size_t loca, loca_len;
    int long_loca;          /* head.indexToLocFormat */
    unsigned num_glyphs;    /* maxp */
};

static unsigned u16(const struct ttf *t, size_t at)
{
    return at + 2 <= t->size ? (unsigned)(t->d[at] << 8 | t->d[at + 1]) : 0;
}

static unsigned long u32(const struct ttf *t, size_t at)
{
    return at + 4 <= t->size ? (unsigned long)t->d[at] << 24 |
                                   (unsigned long)t->d[at + 1] << 16 |
                                   (unsigned long)t->d[at + 2] << 8 |
                                   t->d[at + 3]
                             : 0;
}

/* Offset and length of table `tag`, false when absent or out of bounds. */
static bool table(const struct ttf *t, const char *tag, size_t *off,
                  size_t *len)
{
    unsigned n = u16(t, 4);
    for (unsigned i = 0; i < n; i++) {
        size_t rec = 12 + 16 * (size_t)i;
        if (rec + 16 > t->size)
            return false;
        if (memcmp(t->d + rec, tag, 4))
            continue;
        *off = u32(t, rec + 8);
        *len = u32(t, rec + 12);
        return *off <= t->size && *len <= t->size - *off;
    }
    return false;
}

/* Bytes [*start, *end) of glyph `g` in glyf; false when out of range. */
static bool glyph_range(const struct ttf *t, unsigned g, size_t *start,
                        size_t *end)
{
    if (g >= t->num_glyphs)
        return false;
    if (t->long_loca) {
        *start = u32(t, t->loca + 4 * (size_t)g);
        *end = u32(t, t->loca + 4 * (size_t)g + 4);
    } else {
        *start = 2 * (size_t)u16(t, t->loca + 2 * (size_t)g);
        *end = 2 * (size_t)u16(t, t->loca + 2 * (size_t)g + 2);
    }
    return *start <= *end && *end <= t->glyf_len;
}

static bool is_composite(const struct ttf *t, unsigned g)
{
    size_t s, e;
    if (!glyph_range(t, g, &s, &e) || e - s < 10)
        return false;
    return (int16_t)u16(t, t->glyf + s) < 0;
}

/* True when glyph `g` prints whole through libharu: it exists, and is
 * either simple or a composite of simple glyphs. */
static bool prints_whole(const struct ttf *t, unsigned g)
{
    size_t s, e;
    if (g == 0 || !glyph_range(t, g, &s, &e))
        return false;
    if (e - s < 10 || (int16_t)u16(t, t->glyf + s) >= 0)
        return true; /* simple (or empty, as a space) */
    size_t p = t->glyf + s + 10, end = t->glyf + e;
    for (;;) {
        if (p + 4 > end)
            return false;
        unsigned flags = u16(t, p), part = u16(t, p + 2);
        if (is_composite(t, part))
            return false;
        p += 4 + ((flags & 0x0001) ? 4 : 2);
        if (flags & 0x0008)
            p += 2;
        else if (flags & 0x0040)
            p += 4;
        else if (flags & 0x0080)
            p += 8;
        if (!(flags & 0x0020))
            return true;
    }
}

static void mark(uint8_t *bits, uint32_t c) { bits[c >> 3] |= (uint8_t)(1u << (c & 7)); }

/* Walk a format 4 cmap subtable. */
static void cmap4(const struct ttf *t, size_t sub, uint8_t *bits)
{
    unsigned segs = u16(t, sub + 6) / 2;
    size_t ends = sub + 14, starts = ends + 2 * (size_t)segs + 2,
           deltas = starts + 2 * (size_t)segs, ranges = deltas + 2 * (size_t)segs;
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
            if (prints_whole(t, g))
                mark(bits, c);
        }
    }
}

/* Walk a format 12 cmap subtable (BMP part: libharu prints nothing
 * beyond it). */
static void cmap12(const struct ttf *t, size_t sub, uint8_t *bits)
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
            if (prints_whole(t, (unsigned)g))
                mark(bits, (uint32_t)c);
    }
}

uint8_t *pdf_ttf_coverage(const char *path, const char **why)
{
    *why = NULL;
    uint8_t *bits = NULL;
    unsigned char *data = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        *why = "cannot be read";
        return NULL;
    }
    long size = -1;
    if (fseek(f, 0, SEEK_END) == 0)
        size = ftell(f);
    if (size < 12 || size > TTF_MAX_SIZE || fseek(f, 0, SEEK_SET) != 0) {
        *why = "is not a font file";
        goto done;
    }
    if (!(data = malloc((size_t)size)) ||
        fread(data, 1, (size_t)size, f) != (size_t)size) {
        *why = data ? "cannot be read" : "out of memory";
        goto done;
    }
    struct ttf t = { .d = data, .size = (size_t)size };
    size_t head, head_len, maxp, maxp_len, cmap, cmap_len;
    unsigned long version = u32(&t, 0);
    if (version != 0x00010000 && version != 0x74727565 /* 'true' */) {
        *why = "is not a TrueType font (libharu loads only TrueType outlines)";
        goto done;
    }
    if (!table(&t, "glyf", &t.glyf, &t.glyf_len) ||
        !table(&t, "loca", &t.loca, &t.loca_len) ||
        !table(&t, "head", &head, &head_len) || head_len < 54 ||
        !table(&t, "maxp", &maxp, &maxp_len) || maxp_len < 6 ||
        !table(&t, "cmap", &cmap, &cmap_len)) {
        *why = "is not a TrueType font (libharu loads only TrueType outlines)";
        goto done;
    }
    /* libharu 2.3.0 writes these 13 tables into every embedded font; for
     * one the font lacks it seeks to the end of its buffer, which fails
     * whenever the data before fills its 4 KB blocks exactly: a save error
     * that depends on the text printed.  Fonts without hinting tables
     * (fontTools' --no-hinting subsets, many free fonts) must not reach
     * it. */
    static const char *const libharu_tables[] = {
        "OS/2", "cmap", "cvt ", "fpgm", "glyf", "head", "hhea", "hmtx",
        "loca", "maxp", "name", "post", "prep"};
    for (size_t i = 0; i < sizeof libharu_tables / sizeof *libharu_tables;
         i++) {
        size_t off, len;
        if (!table(&t, libharu_tables[i], &off, &len) || len == 0) {
            *why = "lacks a table libharu needs to embed it (cvt, fpgm, "
                   "prep or another)";
            goto done;
        }
    }
    t.long_loca = u16(&t, head + 50) != 0;
    t.num_glyphs = u16(&t, maxp + 4);
    if ((size_t)(t.num_glyphs + 1) * (t.long_loca ? 4 : 2) > t.loca_len) {
        *why = "is a damaged font file";
        goto done;
    }
    if (!(bits = calloc(0x10000 / 8, 1))) {
        *why = "out of memory";
        goto done;
    }
    /* The Unicode subtables: Windows BMP (3, 1), Windows full (3, 10),
     * Unicode (0, *). */
    size_t best = 0;
    unsigned best_format = 0;
    unsigned n = u16(&t, cmap + 2);
    for (unsigned i = 0; i < n; i++) {
        size_t rec = cmap + 4 + 8 * (size_t)i;
        unsigned plat = u16(&t, rec), enc = u16(&t, rec + 2);
        size_t sub = cmap + u32(&t, rec + 4);
        unsigned format = u16(&t, sub);
        bool unicode = plat == 0 || (plat == 3 && (enc == 1 || enc == 10));
        if (unicode && (format == 4 || format == 12) && format > best_format) {
            best = sub;
            best_format = format;
        }
    }
    if (best_format == 4)
        cmap4(&t, best, bits);
    else if (best_format == 12)
        cmap12(&t, best, bits);
    else
        *why = "has no Unicode character map";
done:
    if (*why) {
        free(bits);
        bits = NULL;
    }
    free(data);
    fclose(f);
    return bits;
}
