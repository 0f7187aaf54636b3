/* pdf_haru.c - faster bodies for three of libharu 2.3.0's helpers.
 *
 * libharu builds, for every UTF-8 font of every document, a glyph map of
 * all 65,536 code points: one HPDF_TTFontDef_GetGlyphid() each, which
 * walks the font's cmap segments from the first, then copies the 128 KB
 * map two bytes at a time through HPDF_MemCpy(), a byte loop like
 * HPDF_MemSet().  That was half the time of a per-person certificate.
 * libharu calls these three through its procedure linkage table, so the
 * definitions below, in the executable, are the ones its calls reach (as
 * deflateInit_() in pdf.c); each returns what libharu's own returns, for
 * any input.  Linked statically against libhpdf.a they would clash with
 * its own, and with a libharu built to bind its calls internally they
 * are simply not called.  They reproduce 2.3.0's, read against its
 * headers: with any other version, libharu's own are used. */
#include <stdint.h>
#include <string.h>

#include <hpdf.h>
#include <hpdf_fontdef.h>

#include "pdf_internal.h"

#if HPDF_VERSION_ID == 20300

HPDF_BYTE *HPDF_MemCpy(HPDF_BYTE *out, const HPDF_BYTE *in, HPDF_UINT n)
{
    /* libharu copies forward, byte by byte: only a destination starting
     * inside the source would show the difference from memmove().  Most
     * calls copy two bytes (the glyph map), where a call to memmove()
     * would cost more than the copy. */
    if (n == 2) { /* the glyph map's swaps */
        out[0] = in[0];
        out[1] = in[1];
        return out + 2;
    }
    if (n <= 8 ||
        ((uintptr_t)out > (uintptr_t)in && (uintptr_t)out < (uintptr_t)in + n)) {
        while (n--)
            *out++ = *in++;
        return out;
    }
    if (n)
        memmove(out, in, n);
    return out + n;
}

void *HPDF_MemSet(void *s, HPDF_BYTE c, HPDF_UINT n)
{
    if (n)
        memset(s, c, n);
    return (HPDF_BYTE *)s + n; /* libharu's returns the end, not s */
}

/* Where the last cmap walk stopped.  libharu's walk takes the first
 * segment whose end is at or above the code point; every segment before
 * the one found for code point u ends below u, so for a code point at or
 * above u the walk may start there, whatever the order of the segments.
 * The map asks for 0, 1, 2, ... in turn: each step is then one or two
 * comparisons instead of up to every segment. */
static struct {
    const HPDF_UINT16 *end_count; /* the segments walked, or NULL */
    HPDF_UINT seg_count;
    HPDF_UINT16 unicode;          /* the code point asked for */
    HPDF_UINT seg;                /* the segment found for it */
} cursor;

void pdf_haru_forget(void) { cursor.end_count = NULL; }

HPDF_UINT16 HPDF_TTFontDef_GetGlyphid(HPDF_FontDef fontdef,
                                      HPDF_UINT16 unicode)
{
    HPDF_TTFontDefAttr attr = (HPDF_TTFontDefAttr)fontdef->attr;
    const HPDF_TTF_CmapRange *cm = &attr->cmap;
    HPDF_UINT seg_count = cm->seg_count_x2 / 2;

    if (cm->format == 0)
        return cm->glyph_id_array[unicode & 0xFF];
    if (cm->seg_count_x2 == 0) {
        HPDF_SetError(fontdef->error, HPDF_TTF_INVALID_CMAP, 0);
        return 0;
    }
    HPDF_UINT i = 0;
    if (cursor.end_count == cm->end_count && cursor.seg_count == seg_count &&
        unicode >= cursor.unicode)
        i = cursor.seg;
    while (i < seg_count && unicode > cm->end_count[i])
        i++;
    cursor.end_count = cm->end_count;
    cursor.seg_count = seg_count;
    cursor.unicode = unicode;
    cursor.seg = i;

    /* No segment at all (a cmap without its final 0xFFFF one): libharu
     * reads past the table here; nothing is the only sound answer. */
    if (i == seg_count || cm->start_count[i] > unicode)
        return 0;
    if (cm->id_range_offset[i] == 0)
        return (HPDF_UINT16)(unicode + cm->id_delta[i]);
    HPDF_UINT idx = cm->id_range_offset[i] / 2 +
                    (unicode - cm->start_count[i]) - (seg_count - i);
    /* libharu's test lets idx == count through, one past the array */
    if (idx >= cm->glyph_id_array_count)
        return 0;
    return (HPDF_UINT16)(cm->glyph_id_array[idx] + cm->id_delta[i]);
}

#else
void pdf_haru_forget(void) {}
#endif
