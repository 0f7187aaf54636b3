/* pdf_embed.c - the fonts of one document.
 *
 * Each font file a document draws with becomes a Type0 font with
 * Identity-H encoding over a CIDFontType2: the characters drawn get CIDs
 * 1, 2, ... in the order first drawn, and at save the font program is a
 * subset holding exactly those glyphs as glyphs 1, 2, ... (CIDToGIDMap
 * /Identity, composites' parts after them), the widths array lists those
 * CIDs only, and the ToUnicode map gives each CID its character.
 *
 * libharu 2.3.0's own embedding wrote, for every font of every document,
 * a glyph map and widths for all 65,536 code points, the whole glyph
 * table of the file, and an encoding CMap where a ToUnicode map belongs
 * (poppler: "Invalid 'begincidrange' operator in ToUnicode CMap").  The
 * objects here go through libharu's object API (dictionaries, arrays,
 * streams in its cross-reference table), and libharu writes them out. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf_objects.h>
#include <hpdf_pages.h>

#include "pdf_internal.h"
#include "util/grow.h"

/* CIDs drawn in one font of one document at most: the subset's glyph
 * numbers are 16 bits, and composites' parts come after the CIDs. */
#define MAX_CIDS 30000

struct pdf_doc_font *pdf_doc_font(cadre_pdf *pdf, int face, int which)
{
    const struct pdf_face *f = &pdf->fonts->faces[face];
    if (which == 1 && f->ttf[1] == f->ttf[0])
        which = 0;
    size_t slot = 2 * (size_t)face + (size_t)which;
    if (slot >= pdf->n_dfonts) {
        size_t had = pdf->n_dfonts;
        if (!GROW(pdf->dfonts, pdf->n_dfonts, 2 * pdf->fonts->n))
            return NULL;
        memset(pdf->dfonts + had, 0,
               (pdf->n_dfonts - had) * sizeof *pdf->dfonts);
    }
    if (pdf->dfonts[slot])
        return pdf->dfonts[slot];
    struct pdf_doc_font *df = calloc(1, sizeof *df);
    if (!df)
        return NULL;
    pdf->dfonts[slot] = df;
    df->ttf = f->ttf[which];
    df->ps_name = f->ps_name;
    return df;
}

uint16_t pdf_doc_font_cid(struct pdf_doc_font *f, uint32_t c)
{
    if (c > 0xFFFF)
        return 0;
    uint16_t *page = f->cid_of[c >> 8];
    if (page && page[c & 0xFF])
        return page[c & 0xFF];
    if (f->n >= MAX_CIDS)
        return 0;
    if (!page && !(page = f->cid_of[c >> 8] = calloc(256, sizeof *page)))
        return 0;
    if (!GROW(f->chars, f->cap, f->n + 1))
        return 0;
    f->chars[f->n++] = c;
    return page[c & 0xFF] = (uint16_t)f->n;
}

const char *pdf_doc_font_name(cadre_pdf *pdf, struct pdf_doc_font *f)
{
    if (!f->type0) {
        /* made when first drawn (a font only measured is not written),
         * filled at save */
        f->type0 = HPDF_Dict_New(pdf->doc->mmgr);
        HPDF_Xref_Add(pdf->doc->xref, f->type0);
    }
    if (f->page != pdf->page) {
        f->name = HPDF_Page_GetLocalFontName(pdf->page, f->type0);
        f->page = pdf->page;
    }
    return f->name;
}

/* Six capital letters naming the subset (ISO 32000 9.6.4), from its
 * characters: the same text gives the same file. */
static void subset_tag(const struct pdf_doc_font *f, char tag[7])
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < f->n; i++) {
        h ^= f->chars[i];
        h *= 1099511628211ULL;
    }
    for (int i = 0; i < 6; i++) {
        tag[i] = (char)('A' + h % 26);
        h /= 26;
    }
    tag[6] = '\0';
}

/* A width as the W array writes it: whole 1/1000 em when exact. */
static void add_width(HPDF_Array a, double w)
{
    long r = (long)(w + (w < 0 ? -0.5 : 0.5));
    if (w == (double)r)
        HPDF_Array_AddNumber(a, (HPDF_INT32)r);
    else
        HPDF_Array_AddReal(a, (HPDF_REAL)w);
}

/* Append to `b` as printf() would. */
static void buf_printf(struct pdf_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void buf_printf(struct pdf_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (b->failed || n < 0 || !GROW(b->b, b->cap, b->n + (size_t)n + 1)) {
        b->failed = true;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(b->b + b->n, b->cap - b->n, fmt, ap);
    va_end(ap);
    b->n += (size_t)n;
}

/* The ToUnicode CMap of the font: CIDs 1, 2, ... as ranges of up to 256
 * (a range may vary only in its last byte) with their characters in an
 * array, 100 ranges a block. */
static bool write_to_unicode(cadre_pdf *pdf, const struct pdf_doc_font *f,
                             HPDF_Dict stream)
{
    struct pdf_buf b = { 0 };
    buf_printf(&b, "/CIDInit /ProcSet findresource begin\n"
                   "12 dict begin\n"
                   "begincmap\n"
                   "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
                   "/Supplement 0 >> def\n"
                   "/CMapName /Adobe-Identity-UCS def\n"
                   "/CMapType 2 def\n"
                   "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
    size_t ranges = 0, r = 0;
    for (size_t lo = 1; lo <= f->n; lo = (lo | 0xFF) + 1)
        ranges++;
    for (size_t lo = 1; lo <= f->n; lo = (lo | 0xFF) + 1, r++) {
        size_t hi = (lo | 0xFF) < f->n ? (lo | 0xFF) : f->n;
        if (r % 100 == 0)
            buf_printf(&b, "%s%zu beginbfrange\n", r ? "endbfrange\n" : "",
                       ranges - r < 100 ? ranges - r : (size_t)100);
        buf_printf(&b, "<%04zX> <%04zX> [", lo, hi);
        for (size_t cid = lo; cid <= hi; cid++)
            buf_printf(&b, "<%04X>", (unsigned)f->chars[cid - 1]);
        buf_printf(&b, "]\n");
    }
    buf_printf(&b, "%sendcmap\n"
                   "CMapName currentdict /CMap defineresource pop\n"
                   "end\n"
                   "end\n",
               ranges ? "endbfrange\n" : "");
    bool ok = !b.failed && pdf_stream_pack(pdf, stream, b.b, b.n);
    free(b.b);
    return ok;
}

/* The font descriptor, with the font program of the subset. */
static HPDF_Dict descriptor(cadre_pdf *pdf, const struct pdf_doc_font *f,
                            const char *name)
{
    HPDF_MMgr mm = pdf->doc->mmgr;
    const struct pdf_ttf *t = f->ttf;
    uint16_t *glyphs = malloc((f->n ? f->n : 1) * sizeof *glyphs);
    if (!glyphs)
        return NULL;
    for (size_t i = 0; i < f->n; i++)
        glyphs[i] = (uint16_t)pdf_ttf_glyph(t, f->chars[i]);
    unsigned char *prog = NULL;
    size_t size = 0;
    bool ok = pdf_ttf_subset(t, glyphs, f->n, &prog, &size);
    free(glyphs);
    if (!ok)
        return NULL;
    HPDF_Dict file = HPDF_DictStream_New(mm, pdf->doc->xref);
    HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)size);
    ok = pdf_stream_pack(pdf, file, prog, size);
    free(prog);
    if (!ok)
        return NULL;

    HPDF_Dict d = HPDF_Dict_New(mm);
    HPDF_Xref_Add(pdf->doc->xref, d);
    HPDF_Dict_AddName(d, "Type", "FontDescriptor");
    HPDF_Dict_AddName(d, "FontName", name);
    /* nonsymbolic (Latin text): 32; italic 64; fixed pitch 1 */
    int flags = 32 | (t->fixed_pitch ? 1 : 0) | (t->italic_angle != 0 ? 64 : 0);
    HPDF_Dict_AddNumber(d, "Flags", flags);
    HPDF_Array box = HPDF_Array_New(mm);
    for (int i = 0; i < 4; i++)
        HPDF_Array_AddNumber(box, t->bbox[i]);
    HPDF_Dict_Add(d, "FontBBox", box);
    HPDF_Dict_AddReal(d, "ItalicAngle", (HPDF_REAL)t->italic_angle);
    HPDF_Dict_AddNumber(d, "Ascent", t->ascent);
    HPDF_Dict_AddNumber(d, "Descent", t->descent);
    HPDF_Dict_AddNumber(d, "CapHeight", t->cap_height);
    HPDF_Dict_AddNumber(d, "XHeight", t->x_height);
    /* the stem width only matters to a reader substituting the font:
     * a guess from the weight */
    HPDF_Dict_AddNumber(d, "StemV", t->weight > 500 ? 140 : 80);
    HPDF_Dict_Add(d, "FontFile2", file);
    return d;
}

/* Fill one font's dictionaries. */
static bool write_font(cadre_pdf *pdf, const struct pdf_doc_font *f)
{
    HPDF_MMgr mm = pdf->doc->mmgr;
    char tag[7];
    subset_tag(f, tag);
    char name[160];
    snprintf(name, sizeof name, "%s+%s", tag, f->ps_name);

    HPDF_Dict desc = descriptor(pdf, f, name);
    if (!desc)
        return false;
    HPDF_Dict cid = HPDF_Dict_New(mm);
    HPDF_Xref_Add(pdf->doc->xref, cid);
    HPDF_Dict_AddName(cid, "Type", "Font");
    HPDF_Dict_AddName(cid, "Subtype", "CIDFontType2");
    HPDF_Dict_AddName(cid, "BaseFont", name);
    HPDF_Dict info = HPDF_Dict_New(mm);
    HPDF_Dict_Add(info, "Registry", HPDF_String_New(mm, "Adobe", NULL));
    HPDF_Dict_Add(info, "Ordering", HPDF_String_New(mm, "Identity", NULL));
    HPDF_Dict_AddNumber(info, "Supplement", 0);
    HPDF_Dict_Add(cid, "CIDSystemInfo", info);
    HPDF_Dict_Add(cid, "FontDescriptor", desc);
    HPDF_Dict_AddName(cid, "CIDToGIDMap", "Identity");
    HPDF_Dict_AddNumber(cid, "DW", (HPDF_INT32)(pdf_ttf_advance(f->ttf, 0) + 0.5));
    if (f->n) {
        HPDF_Array w = HPDF_Array_New(mm), run = HPDF_Array_New(mm);
        HPDF_Array_AddNumber(w, 1);
        for (size_t i = 0; i < f->n; i++)
            add_width(run, pdf_ttf_advance(f->ttf,
                                           pdf_ttf_glyph(f->ttf, f->chars[i])));
        HPDF_Array_Add(w, run);
        HPDF_Dict_Add(cid, "W", w);
    }

    HPDF_Dict to_unicode = HPDF_DictStream_New(mm, pdf->doc->xref);
    if (!write_to_unicode(pdf, f, to_unicode))
        return false;
    HPDF_Dict t0 = f->type0;
    HPDF_Dict_AddName(t0, "Type", "Font");
    HPDF_Dict_AddName(t0, "Subtype", "Type0");
    HPDF_Dict_AddName(t0, "BaseFont", name);
    HPDF_Dict_AddName(t0, "Encoding", "Identity-H");
    HPDF_Array desc_fonts = HPDF_Array_New(mm);
    HPDF_Array_Add(desc_fonts, cid);
    HPDF_Dict_Add(t0, "DescendantFonts", desc_fonts);
    HPDF_Dict_Add(t0, "ToUnicode", to_unicode);
    return true;
}

bool pdf_doc_fonts_write(cadre_pdf *pdf)
{
    for (size_t i = 0; i < pdf->n_dfonts; i++)
        if (pdf->dfonts[i] && pdf->dfonts[i]->type0 &&
            !write_font(pdf, pdf->dfonts[i]))
            return false;
    return true;
}

void pdf_doc_fonts_release(cadre_pdf *pdf)
{
    for (size_t i = 0; i < pdf->n_dfonts; i++) {
        struct pdf_doc_font *f = pdf->dfonts[i];
        if (!f)
            continue;
        for (int p = 0; p < 256; p++)
            free(f->cid_of[p]);
        free(f->chars);
        free(f);
    }
    free(pdf->dfonts);
    pdf->dfonts = NULL;
    pdf->n_dfonts = 0;
}
