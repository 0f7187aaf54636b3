/*
 * import_legacy.c - the Vietnamese encodings from before Unicode, which
 * offices still have in old workbooks: TCVN3 (ABC, TCVN 5712:1993 VN3) in
 * the .Vn fonts, VNI Windows in the VNI- fonts, Windows-1258 in CSV files;
 * and the mojibake of UTF-8 read as Latin-1, which is refused.
 *
 * A spreadsheet stores a legacy cell as the characters the font's bytes
 * are in Windows-1252 ("NguyÔn V¨n" for TCVN3 "Nguyễn Văn"), so decoding
 * takes each character back to its byte first.
 */
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <utf8proc.h>

#include "cadre/text.h"
#include "import_internal.h"

/* TCVN3 (ABC), generated from glibc's TCVN5712-1 (VN1) for 0x80-0xFF:
 * the VN3 letters the .Vn fonts draw, and at the other places the
 * capitals with tones that VN1 adds and converters write there (the ...H
 * faces draw the small letters as capitals instead). */
static const uint16_t tcvn3[256] = {
    [0x80] = 0x00C0, [0x81] = 0x1EA2, [0x82] = 0x00C3, [0x83] = 0x00C1,
    [0x84] = 0x1EA0, [0x85] = 0x1EB6, [0x86] = 0x1EAC, [0x87] = 0x00C8,
    [0x88] = 0x1EBA, [0x89] = 0x1EBC, [0x8a] = 0x00C9, [0x8b] = 0x1EB8,
    [0x8c] = 0x1EC6, [0x8d] = 0x00CC, [0x8e] = 0x1EC8, [0x8f] = 0x0128,
    [0x90] = 0x00CD, [0x91] = 0x1ECA, [0x92] = 0x00D2, [0x93] = 0x1ECE,
    [0x94] = 0x00D5, [0x95] = 0x00D3, [0x96] = 0x1ECC, [0x97] = 0x1ED8,
    [0x98] = 0x1EDC, [0x99] = 0x1EDE, [0x9a] = 0x1EE0, [0x9b] = 0x1EDA,
    [0x9c] = 0x1EE2, [0x9d] = 0x00D9, [0x9e] = 0x1EE6, [0x9f] = 0x0168,
    [0xa1] = 0x0102, [0xa2] = 0x00C2, [0xa3] = 0x00CA, [0xa4] = 0x00D4,
    [0xa5] = 0x01A0, [0xa6] = 0x01AF, [0xa7] = 0x0110, [0xa8] = 0x0103,
    [0xa9] = 0x00E2, [0xaa] = 0x00EA, [0xab] = 0x00F4, [0xac] = 0x01A1,
    [0xad] = 0x01B0, [0xae] = 0x0111, [0xaf] = 0x1EB0, [0xb0] = 0x0300,
    [0xb1] = 0x0309, [0xb2] = 0x0303, [0xb3] = 0x0301, [0xb4] = 0x0323,
    [0xb5] = 0x00E0, [0xb6] = 0x1EA3, [0xb7] = 0x00E3, [0xb8] = 0x00E1,
    [0xb9] = 0x1EA1, [0xba] = 0x1EB2, [0xbb] = 0x1EB1, [0xbc] = 0x1EB3,
    [0xbd] = 0x1EB5, [0xbe] = 0x1EAF, [0xbf] = 0x1EB4, [0xc0] = 0x1EAE,
    [0xc1] = 0x1EA6, [0xc2] = 0x1EA8, [0xc3] = 0x1EAA, [0xc4] = 0x1EA4,
    [0xc5] = 0x1EC0, [0xc6] = 0x1EB7, [0xc7] = 0x1EA7, [0xc8] = 0x1EA9,
    [0xc9] = 0x1EAB, [0xca] = 0x1EA5, [0xcb] = 0x1EAD, [0xcc] = 0x00E8,
    [0xcd] = 0x1EC2, [0xce] = 0x1EBB, [0xcf] = 0x1EBD, [0xd0] = 0x00E9,
    [0xd1] = 0x1EB9, [0xd2] = 0x1EC1, [0xd3] = 0x1EC3, [0xd4] = 0x1EC5,
    [0xd5] = 0x1EBF, [0xd6] = 0x1EC7, [0xd7] = 0x00EC, [0xd8] = 0x1EC9,
    [0xd9] = 0x1EC4, [0xda] = 0x1EBE, [0xdb] = 0x1ED2, [0xdc] = 0x0129,
    [0xdd] = 0x00ED, [0xde] = 0x1ECB, [0xdf] = 0x00F2, [0xe0] = 0x1ED4,
    [0xe1] = 0x1ECF, [0xe2] = 0x00F5, [0xe3] = 0x00F3, [0xe4] = 0x1ECD,
    [0xe5] = 0x1ED3, [0xe6] = 0x1ED5, [0xe7] = 0x1ED7, [0xe8] = 0x1ED1,
    [0xe9] = 0x1ED9, [0xea] = 0x1EDD, [0xeb] = 0x1EDF, [0xec] = 0x1EE1,
    [0xed] = 0x1EDB, [0xee] = 0x1EE3, [0xef] = 0x00F9, [0xf0] = 0x1ED6,
    [0xf1] = 0x1EE7, [0xf2] = 0x0169, [0xf3] = 0x00FA, [0xf4] = 0x1EE5,
    [0xf5] = 0x1EEB, [0xf6] = 0x1EED, [0xf7] = 0x1EEF, [0xf8] = 0x1EE9,
    [0xf9] = 0x1EF1, [0xfa] = 0x1EF3, [0xfb] = 0x1EF7, [0xfc] = 0x1EF9,
    [0xfd] = 0x00FD, [0xfe] = 0x1EF5, [0xff] = 0x1ED0,
};

/*
 * VNI Windows writes a letter as its base letter and a second byte for
 * the marks ("aù" = á, "aâ" = â, "aá" = ấ, "aê" = ă); ơ ư đ and the i
 * and ỵ letters are single bytes.  Small and capital forms of every byte
 * (the capital is the small one less 0x20).
 */
enum { M_ACUTE = 1, M_GRAVE, M_HOOK, M_TILDE, M_DOT };
enum { S_NONE = 0, S_CIRC = 1, S_BREVE = 2 };

typedef struct vni_mod {
    uint8_t shape; /* S_CIRC or S_BREVE, or none */
    uint8_t tone;  /* M_*, or 0 */
} vni_mod;

static vni_mod vni_modifier(unsigned b)
{
    switch (b | 0x20) { /* small and capital alike */
    case 0xF9: return (vni_mod){S_NONE, M_ACUTE};
    case 0xF8: return (vni_mod){S_NONE, M_GRAVE};
    case 0xFB: return (vni_mod){S_NONE, M_HOOK};
    case 0xF5: return (vni_mod){S_NONE, M_TILDE};
    case 0xEF: return (vni_mod){S_NONE, M_DOT};
    case 0xE2: return (vni_mod){S_CIRC, 0};
    case 0xE1: return (vni_mod){S_CIRC, M_ACUTE};
    case 0xE0: return (vni_mod){S_CIRC, M_GRAVE};
    case 0xE5: return (vni_mod){S_CIRC, M_HOOK};
    case 0xE3: return (vni_mod){S_CIRC, M_TILDE};
    case 0xE4: return (vni_mod){S_CIRC, M_DOT};
    case 0xEA: return (vni_mod){S_BREVE, 0};
    case 0xE9: return (vni_mod){S_BREVE, M_ACUTE};
    case 0xE8: return (vni_mod){S_BREVE, M_GRAVE};
    case 0xFA: return (vni_mod){S_BREVE, M_HOOK};
    case 0xFC: return (vni_mod){S_BREVE, M_TILDE};
    case 0xEB: return (vni_mod){S_BREVE, M_DOT};
    default: return (vni_mod){S_NONE, 0};
    }
}

/* The single-byte letters of VNI (small forms; capitals less 0x20). */
static uint32_t vni_letter(unsigned b)
{
    bool cap = b < 0xE0;
    uint32_t small;
    switch (b | 0x20) {
    case 0xF4: small = 0x01A1; break; /* ơ */
    case 0xF6: small = 0x01B0; break; /* ư */
    case 0xF1: small = 0x0111; break; /* đ */
    case 0xED: small = 0x00ED; break; /* í */
    case 0xEC: small = 0x00EC; break; /* ì */
    case 0xE6: small = 0x1EC9; break; /* ỉ */
    case 0xF3: small = 0x0129; break; /* ĩ */
    case 0xF2: small = 0x1ECB; break; /* ị */
    case 0xEE: small = 0x1EF5; break; /* ỵ */
    default: return 0;
    }
    if (!cap)
        return small;
    return (uint32_t)utf8proc_toupper((utf8proc_int32_t)small);
}

static const uint32_t tone_mark[] = {0, 0x0301, 0x0300, 0x0309, 0x0303,
                                     0x0323};

static bool add_cp(imp_buf *out, uint32_t cp)
{
    unsigned char enc[4];
    utf8proc_ssize_t n = utf8proc_encode_char((utf8proc_int32_t)cp, enc);
    return imp_buf_add(out, enc, (size_t)n);
}

/* The Windows-1252 byte of a character, or -1. */
static int cp1252_byte(uint32_t cp)
{
    if (cp <= 0xFF)
        return (int)cp;
    static const uint16_t high[32] = {
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
        0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178};
    for (int i = 0; i < 32; i++)
        if (high[i] == cp)
            return 0x80 + i;
    return -1;
}

/* A character of legacy text: a byte (0-255), or a code point the font
 * could not have drawn (passed on as it is) with bit 24 set. */
#define PASS (1u << 24)

static bool is_vowel(uint32_t c)
{
    switch (c | 0x20) {
    case 'a': case 'e': case 'i': case 'o': case 'u': case 'y': return true;
    default: return false;
    }
}

/* Decode units u[0..n) in `enc` to UTF-8. */
static bool decode_units(int enc, const uint32_t *u, size_t n, imp_buf *out)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t c = u[i];
        if (c & PASS) {
            if (!add_cp(out, c & ~PASS))
                return false;
            continue;
        }
        if (c < 0x80) {
            if (!imp_buf_addc(out, (char)c))
                return false;
            continue;
        }
        if (enc == IMP_ENC_TCVN3 || enc == IMP_ENC_TCVN3_CAPS) {
            uint32_t cp = tcvn3[c] ? tcvn3[c] : c;
            if (!add_cp(out, cp))
                return false;
            continue;
        }
        /* VNI: a byte on its own (an ơ ư đ or i letter), or marks on
         * the letter before it (handled when that letter was read) */
        uint32_t l = vni_letter(c);
        if (!add_cp(out, l ? l : c))
            return false;
    }
    return true;
}

/* VNI again, looking ahead for the marks after a vowel. */
static bool decode_vni(const uint32_t *u, size_t n, imp_buf *out)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t c = u[i];
        uint32_t base = 0;
        if (!(c & PASS)) {
            if (c < 0x80 && is_vowel(c))
                base = c;
            else if (c >= 0x80 && ((c | 0x20) == 0xF4 || (c | 0x20) == 0xF6))
                base = vni_letter(c); /* ơ ư take tones too */
        }
        if (base && i + 1 < n && !(u[i + 1] & PASS) && u[i + 1] >= 0xC0) {
            vni_mod m = vni_modifier(u[i + 1]);
            uint32_t low = base < 0x80 ? (base | 0x20) : 0;
            bool ok = m.tone || m.shape;
            if (m.shape == S_CIRC && low != 'a' && low != 'e' && low != 'o')
                ok = false;
            if (m.shape == S_BREVE && low != 'a')
                ok = false;
            if (ok) {
                if (!add_cp(out, base) ||
                    (m.shape && !add_cp(out, m.shape == S_CIRC ? 0x0302
                                                               : 0x0306)) ||
                    (m.tone && !add_cp(out, tone_mark[m.tone])))
                    return false;
                i++;
                continue;
            }
        }
        if (!decode_units(IMP_ENC_VNI, &u[i], 1, out))
            return false;
    }
    return true;
}

static bool decode(int enc, const uint32_t *u, size_t n, imp_buf *out)
{
    size_t start = out->len;
    bool ok = enc == IMP_ENC_VNI ? decode_vni(u, n, out)
                                 : decode_units(enc, u, n, out);
    if (ok && enc == IMP_ENC_TCVN3_CAPS && out->len > start) {
        /* the H faces draw every letter as a capital */
        char *up = cadre_text_upper(out->p + start);
        if (!up)
            return false;
        out->len = start;
        ok = imp_buf_add(out, up, strlen(up));
        free(up);
    }
    return ok;
}

bool imp_legacy_decode(int enc, const char *s, size_t len, imp_buf *out)
{
    if (enc == IMP_ENC_NONE || enc == IMP_ENC_INHERIT)
        return imp_buf_add(out, s, len);
    uint32_t small[256] = {0}, *u = len <= 256 ? small : malloc(len * sizeof *u);
    if (!u)
        return false;
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i),
                                              &cp);
        if (k <= 0) { /* not UTF-8: the byte itself */
            u[n++] = p[i++];
            continue;
        }
        i += (size_t)k;
        int b = cp1252_byte((uint32_t)cp);
        u[n++] = b >= 0 ? (uint32_t)b : ((uint32_t)cp | PASS);
    }
    bool ok = decode(enc, u, n, out);
    if (u != small)
        free(u);
    return ok;
}

/* Windows-1258 through iconv: its tones come as combining marks, which
 * the cleaning composes (NFC). */
static bool iconv_cp1258(const unsigned char *s, size_t len, imp_buf *out)
{
    iconv_t cd = iconv_open("UTF-8", "CP1258");
    if (cd == (iconv_t)-1)
        return false;
    char *in = (char *)s;
    size_t left = len;
    bool ok = true;
    while (left && ok) {
        char tmp[1024], *o = tmp;
        size_t room = sizeof tmp;
        size_t r = iconv(cd, &in, &left, &o, &room);
        ok = imp_buf_add(out, tmp, (size_t)(o - tmp));
        if (r == (size_t)-1 && errno != E2BIG) {
            /* a byte CP1258 leaves undefined: keep it as Windows-1252 */
            ok = ok && add_cp(out, (unsigned char)*in);
            in++;
            left--;
        }
    }
    /* the decoder holds a letter back, waiting for a tone after it */
    char tmp[64], *o = tmp;
    size_t room = sizeof tmp;
    if (ok && iconv(cd, NULL, NULL, &o, &room) != (size_t)-1)
        ok = imp_buf_add(out, tmp, (size_t)(o - tmp));
    iconv_close(cd);
    return ok;
}

bool imp_bytes_decode(cadre_import_encoding enc, const unsigned char *s,
                      size_t len, imp_buf *out)
{
    if (enc == CADRE_IMPORT_CP1258)
        return iconv_cp1258(s, len, out);
    uint32_t small[256] = {0}, *u = len <= 256 ? small : malloc(len * sizeof *u);
    if (!u)
        return false;
    for (size_t i = 0; i < len; i++)
        u[i] = s[i];
    bool ok = decode(enc == CADRE_IMPORT_VNI ? IMP_ENC_VNI : IMP_ENC_TCVN3, u,
                     len, out);
    if (u != small)
        free(u);
    return ok;
}

int imp_font_encoding(const char *name, size_t len)
{
    while (len && name[0] == ' ')
        name++, len--;
    while (len && name[len - 1] == ' ')
        len--;
    if (len >= 3 && name[0] == '.' && (name[1] == 'V' || name[1] == 'v') &&
        (name[2] == 'N' || name[2] == 'n'))
        return name[len - 1] == 'H' ? IMP_ENC_TCVN3_CAPS : IMP_ENC_TCVN3;
    if (len >= 4 && strncasecmp(name, "VNI", 3) == 0 &&
        (name[3] == '-' || name[3] == ' ' || name[3] == '_'))
        return IMP_ENC_VNI;
    return IMP_ENC_NONE;
}

/* Letters a UTF-8 sequence read as Latin-1 gives back: Vietnamese ones. */
static bool vietnamese(uint32_t cp)
{
    return (cp >= 0xC0 && cp <= 0x1B0) || (cp >= 0x300 && cp <= 0x323) ||
           (cp >= 0x1EA0 && cp <= 0x1EF9);
}

bool imp_is_mojibake(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    int b[4];
    size_t nb = 0;
    for (size_t i = 0; i < len;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k = utf8proc_iterate(p + i, (utf8proc_ssize_t)(len - i),
                                              &cp);
        if (k <= 0)
            return false;
        i += (size_t)k;
        int byte = cp1252_byte((uint32_t)cp);
        if (byte < 0x80) {
            nb = 0;
            continue;
        }
        if (nb == 0) {
            if (byte >= 0xC2 && byte <= 0xF4)
                b[nb++] = byte;
            continue;
        }
        if (byte < 0x80 || byte > 0xBF) {
            nb = byte >= 0xC2 && byte <= 0xF4;
            if (nb)
                b[0] = byte;
            continue;
        }
        b[nb++] = byte;
        size_t want = b[0] >= 0xF0 ? 4 : b[0] >= 0xE0 ? 3 : 2;
        if (nb < want)
            continue;
        uint32_t v = (uint32_t)(b[0] & (want == 2 ? 0x1F : want == 3 ? 0x0F
                                                                     : 0x07));
        for (size_t j = 1; j < want; j++)
            v = (v << 6) | (uint32_t)(b[j] & 0x3F);
        nb = 0;
        if (vietnamese(v))
            return true;
    }
    return false;
}
