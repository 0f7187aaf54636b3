/* text.c - UTF-8, NFC, case, folding, name order and number forms. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "cadre/text.h"

/* Decode one code point of valid-or-not UTF-8 at s (n bytes left).
 * Returns its length, or 0 when the bytes are not valid UTF-8. */
static size_t decode(const unsigned char *s, size_t n, uint32_t *cp)
{
    unsigned char c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2, v = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3, v = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4, v = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

static bool is_control(uint32_t cp)
{
    return (cp < 0x20 && cp != '\t' && cp != '\n') ||
           (cp >= 0x7F && cp <= 0x9F);
}

/* True when none of the 8 bytes at p is outside printable ASCII (0x20 to
 * 0x7E).  It may say false of printable bytes (a borrow or carry crosses
 * into the next byte): the caller then looks at them one by one. */
static bool printable8(const unsigned char *p)
{
    uint64_t x;
    memcpy(&x, p, 8);
    const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
    uint64_t below = (x - 0x20 * ones) & ~x;  /* a byte < 0x20 sets its top */
    uint64_t above = (x + ones) | x;          /* a byte >= 0x7F does */
    return !((below | above) & high);
}

cadre_text_fault cadre_text_check(const char *s, size_t len, size_t *where,
                                  uint32_t *cp_out)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        /* ASCII first, eight bytes at a time: most bytes of the records
         * are printable ASCII. */
        if (i + 8 <= len && printable8(p + i)) {
            i += 8;
            continue;
        }
        if (p[i] >= 0x20 && p[i] < 0x7F) {
            i++;
            continue;
        }
        size_t n = decode(p + i, len - i, &cp);
        cadre_text_fault fault = !n ? CADRE_TEXT_BAD_UTF8
                                 : is_control(cp) ? CADRE_TEXT_CONTROL
                                                  : CADRE_TEXT_OK;
        if (fault) {
            if (where)
                *where = i;
            if (cp_out)
                *cp_out = n ? cp : p[i];
            return fault;
        }
        i += n;
    }
    return CADRE_TEXT_OK;
}

/* Code points that are NFC whatever follows them, as long as no combining
 * mark follows (a mark is >= U+0300 and fails this test itself): all of
 * Latin up to U+02FF, the precomposed Vietnamese letters, dashes, quotes
 * and the dong sign.  Anything else goes through utf8proc. */
static bool nfc_safe(uint32_t cp)
{
    return cp < 0x300 || (cp >= 0x1EA0 && cp <= 0x1EF9) ||
           (cp >= 0x2010 && cp <= 0x2027) || cp == 0x20AB;
}

bool cadre_text_is_nfc(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t n = decode(p + i, len - i, &cp);
        if (!n || !nfc_safe(cp))
            return false;
        i += n;
    }
    return true;
}

/* utf8proc_map() over `len` bytes, its result NUL-terminated. */
static char *map(const char *s, size_t len, int options, size_t *out_len)
{
    utf8proc_uint8_t *out = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s,
                                      (utf8proc_ssize_t)len, &out, options);
    if (n < 0)
        return NULL;
    if (out_len)
        *out_len = (size_t)n;
    return (char *)out;
}

char *cadre_text_nfc(const char *s, size_t len, size_t *out_len)
{
    return map(s, len, UTF8PROC_STABLE | UTF8PROC_COMPOSE, out_len);
}

/* The length of the white space character at s (n bytes left), or 0:
 * ASCII space, tab, newline and carriage return, and the Unicode spaces
 * (Zs, Zl, Zp): U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029, U+202F,
 * U+205F, U+3000. */
static size_t space_at(const unsigned char *s, size_t n)
{
    switch (s[0]) {
    case ' ': case '\t': case '\n': case '\r':
        return 1;
    case 0xC2:
        return n >= 2 && s[1] == 0xA0 ? 2 : 0;
    case 0xE1:
        return n >= 3 && s[1] == 0x9A && s[2] == 0x80 ? 3 : 0;
    case 0xE2:
        if (n < 3)
            return 0;
        if (s[1] == 0x80)
            return s[2] <= 0x8A || s[2] == 0xA8 || s[2] == 0xA9 ||
                   s[2] == 0xAF ? 3 : 0;
        return s[1] == 0x81 && s[2] == 0x9F ? 3 : 0;
    case 0xE3:
        return n >= 3 && s[1] == 0x80 && s[2] == 0x80 ? 3 : 0;
    default:
        return 0;
    }
}

/* What a byte may start, for the scan of cadre_text_tidy(). */
enum { B_PLAIN, B_SPACE, B_WHITE, B_LEAD };
static const uint8_t byte_kind[256] = {
    ['\t'] = B_WHITE, ['\n'] = B_WHITE, ['\r'] = B_WHITE, [' '] = B_SPACE,
    [0xC2] = B_LEAD, [0xC3] = B_LEAD,
    [0xCC] = B_LEAD, [0xCD] = B_LEAD, [0xCE] = B_LEAD, [0xCF] = B_LEAD,
    [0xD0] = B_LEAD, [0xD1] = B_LEAD, [0xD2] = B_LEAD, [0xD3] = B_LEAD,
    [0xD4] = B_LEAD, [0xD5] = B_LEAD, [0xD6] = B_LEAD, [0xD7] = B_LEAD,
    [0xD8] = B_LEAD, [0xD9] = B_LEAD, [0xDA] = B_LEAD, [0xDB] = B_LEAD,
    [0xDC] = B_LEAD, [0xDD] = B_LEAD, [0xDE] = B_LEAD, [0xDF] = B_LEAD,
    [0xE0] = B_LEAD, [0xE1] = B_LEAD, [0xE2] = B_LEAD, [0xE3] = B_LEAD,
    [0xE4] = B_LEAD, [0xE5] = B_LEAD, [0xE6] = B_LEAD, [0xE7] = B_LEAD,
    [0xE8] = B_LEAD, [0xE9] = B_LEAD, [0xEA] = B_LEAD, [0xEB] = B_LEAD,
    [0xEC] = B_LEAD, [0xED] = B_LEAD, [0xEE] = B_LEAD, [0xEF] = B_LEAD,
    [0xF0] = B_LEAD, [0xF1] = B_LEAD, [0xF2] = B_LEAD, [0xF3] = B_LEAD,
    [0xF4] = B_LEAD,
};

/* A multi-byte character at p (its lead byte is B_LEAD): true when it is
 * white space or a look-alike, to be written again; *nfc_unknown set when
 * it is outside what nfc_safe() knows to be NFC. */
static bool lead_needs_rewrite(const unsigned char *p, size_t n,
                               bool *nfc_unknown)
{
    unsigned char c = p[0], c1 = n > 1 ? p[1] : 0, c2 = n > 2 ? p[2] : 0;
    if (c == 0xC2)
        return c1 == 0xA0;
    if (c == 0xC3)
        return c1 == 0x90 || c1 == 0xB0;
    if (c == 0xE2 && c1 == 0x80) {
        /* U+2000-U+203F: spaces, and the dashes and quotes NFC keeps */
        *nfc_unknown |= c2 < 0x90 || c2 > 0xA7;
        return c2 <= 0x8A || c2 == 0xA8 || c2 == 0xA9 || c2 == 0xAF;
    }
    if (!(c == 0xE2 && c1 == 0x82 && c2 == 0xAB)) /* not the dong sign */
        *nfc_unknown = true;
    return space_at(p, n) != 0;
}

/* The bytes at the start of `p` that cadre_text_tidy() keeps as they are:
 * `len` when the whole text is tidy already (most texts are: one scan
 * says so, and what NFC may need).  *nfc_unknown is set when those bytes
 * hold a character outside what nfc_safe() knows to be NFC. */
static size_t tidy_prefix(const unsigned char *p, size_t len,
                          bool *nfc_unknown)
{
    size_t at = 0;
    for (; at < len; at++) {
        unsigned kind = byte_kind[p[at]];
        if (kind == B_PLAIN)
            continue;
        if (kind == B_SPACE) { /* one space between two characters */
            if (at == 0 || at + 1 == len || byte_kind[p[at + 1]] == B_SPACE ||
                byte_kind[p[at + 1]] == B_WHITE)
                break;
            continue;
        }
        if (kind == B_WHITE)
            break;
        /* the precomposed Vietnamese letters, U+1EA0-U+1EF9, then the
         * Latin-1 letters (à, ê, ô ...) but Ð and ð, first */
        if (p[at] == 0xE1 && at + 2 < len && p[at + 2] <= 0xBF &&
            (p[at + 1] == 0xBA ? p[at + 2] >= 0xA0
                               : p[at + 1] == 0xBB && p[at + 2] >= 0x80 &&
                                     p[at + 2] <= 0xB9)) {
            at += 2;
            continue;
        }
        if (p[at] == 0xC3 && at + 1 < len && (p[at + 1] & 0xC0) == 0x80 &&
            p[at + 1] != 0x90 && p[at + 1] != 0xB0) {
            at++;
            continue;
        }
        if (lead_needs_rewrite(p + at, len - at, nfc_unknown))
            break;
    }
    return at;
}

bool cadre_text_is_tidy(const char *s, size_t len, bool *nfc)
{
    bool nfc_unknown = false;
    if (tidy_prefix((const unsigned char *)s, len, &nfc_unknown) < len)
        return false;
    if (nfc)
        *nfc = !nfc_unknown;
    return true;
}

size_t cadre_text_tidy(char *s, size_t len, unsigned *folded)
{
    unsigned char *p = (unsigned char *)s;
    unsigned found = 0;
    bool nfc_unknown = false;
    if (tidy_prefix(p, len, &nfc_unknown) == len) {
        if (folded)
            *folded = nfc_unknown ? CADRE_TIDY_NFC_UNKNOWN : 0;
        p[len] = '\0';
        return len;
    }
    size_t w = 0;
    bool gap = false; /* white space seen since the last character kept */
    for (size_t r = 0; r < len;) {
        unsigned char c = p[r];
        size_t n = c > ' ' && c < 0x80 ? 0 : space_at(p + r, len - r);
        if (n) {
            gap = true;
            r += n;
            continue;
        }
        if (gap && w > 0)
            p[w++] = ' ';
        gap = false;
        /* U+00D0 and U+00F0 are C3 90 and C3 B0; U+0110 and U+0111 are
         * C4 90 and C4 91: the same length, so in place. */
        if (c == 0xC3 && r + 1 < len &&
            (p[r + 1] == 0x90 || p[r + 1] == 0xB0)) {
            bool small = p[r + 1] == 0xB0;
            found |= small ? CADRE_TIDY_SMALL_ETH : CADRE_TIDY_ETH;
            p[w++] = 0xC4;
            p[w++] = small ? 0x91 : 0x90;
            r += 2;
            continue;
        }
        p[w++] = c;
        r++;
    }
    p[w] = '\0';
    if (folded)
        *folded = found | CADRE_TIDY_NFC_UNKNOWN;
    return w;
}

/* Map each code point through `fn`, then NFC. */
static char *map_case(const char *s, utf8proc_int32_t (*fn)(utf8proc_int32_t))
{
    size_t len = strlen(s);
    /* Case changes never take a Vietnamese letter beyond 3 bytes, but other
     * scripts may grow: allow 3 bytes out per byte in, plus the NUL. */
    unsigned char *buf = malloc(len * 3 + 1), *o = buf;
    if (!buf)
        return NULL;
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = decode(p + i, len - i, &cp);
        if (!n) {
            free(buf);
            return NULL;
        }
        o += utf8proc_encode_char(fn((utf8proc_int32_t)cp), o);
        i += n;
    }
    *o = '\0';
    size_t out_len = (size_t)(o - buf);
    if (cadre_text_is_nfc((char *)buf, out_len))
        return (char *)buf;
    char *nfc = cadre_text_nfc((char *)buf, out_len, NULL);
    free(buf);
    return nfc;
}

char *cadre_text_upper(const char *s) { return map_case(s, utf8proc_toupper); }
char *cadre_text_lower(const char *s) { return map_case(s, utf8proc_tolower); }

char *cadre_text_fold_ascii(const char *s)
{
    size_t len;
    char *out = map(s, strlen(s), UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK,
                    &len);
    if (!out)
        return NULL;
    /* Stripping marks leaves Đ (it has no decomposition) and other
     * non-ASCII letters: map Đ and đ, replace the rest. */
    const unsigned char *p = (const unsigned char *)out;
    char *o = out;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = decode(p + i, len - i, &cp);
        if (!n)
            n = 1, cp = '?';
        *o++ = cp < 0x80 ? (char)cp
               : cp == 0x110 ? 'D'
               : cp == 0x111 ? 'd'
                             : '?';
        i += n;
    }
    *o = '\0';
    return out;
}

size_t cadre_text_length(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        n += (*p & 0xC0) != 0x80;
    return n;
}

/*
 * Vietnamese collation.  Each character of the NFD form is a base letter
 * followed by marks: breve, circumflex and horn make a different letter
 * (primary), the five tones a secondary difference, case a tertiary one.
 * A key is three runs of weights - primary, secondary, tertiary - each
 * ended by a 0 byte, so that memcmp() compares level by level.
 */
enum {
    W_SPACE = 1,
    W_PUNCT = 2,     /* + ASCII code, up to 129 */
    W_DIGIT = 200,   /* + digit */
    W_LETTER = 300,  /* + index in VIET_ALPHABET */
    W_OTHER = 1000   /* + code point */
};

/* a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z, with
 * the foreign letters f j w z in their Latin places. */
enum { L_A = 0, L_A_BREVE, L_A_CIRC, L_B, L_C, L_D, L_D_STROKE, L_E, L_E_CIRC,
       L_F, L_G, L_H, L_I, L_J, L_K, L_L, L_M, L_N, L_O, L_O_CIRC, L_O_HORN,
       L_P, L_Q, L_R, L_S, L_T, L_U, L_U_HORN, L_V, L_W, L_X, L_Y, L_Z };

static const unsigned char latin_letter[26] = {
    L_A, L_B, L_C, L_D, L_E, L_F, L_G, L_H, L_I, L_J, L_K, L_L, L_M,
    L_N, L_O, L_P, L_Q, L_R, L_S, L_T, L_U, L_V, L_W, L_X, L_Y, L_Z};

/* Secondary weights: no tone, huyền, hỏi, ngã, sắc, nặng, other marks. */
static int tone_of(uint32_t mark)
{
    switch (mark) {
    case 0x300: return 2; /* grave: huyền */
    case 0x309: return 3; /* hook above: hỏi */
    case 0x303: return 4; /* tilde: ngã */
    case 0x301: return 5; /* acute: sắc */
    case 0x323: return 6; /* dot below: nặng */
    default: return 7;
    }
}

typedef struct key_buf {
    uint8_t *buf;
    size_t size, len;
} key_buf;

static void put(key_buf *k, uint8_t byte)
{
    if (k->len < k->size)
        k->buf[k->len] = byte;
    k->len++;
}

/* Primary weights take three non-zero bytes, base 255, order preserved. */
static void put_primary(key_buf *k, uint32_t w)
{
    put(k, (uint8_t)(w / (255 * 255) + 1));
    put(k, (uint8_t)(w / 255 % 255 + 1));
    put(k, (uint8_t)(w % 255 + 1));
}

/* One collation element: a character with its marks. */
typedef struct coll_elem {
    uint32_t primary;
    uint8_t secondary, tertiary;
} coll_elem;

/* Split NFD code points into collation elements; returns how many. */
static size_t collation_elements(const utf8proc_int32_t *cps, size_t n,
                                 coll_elem *out)
{
    size_t count = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp = (uint32_t)cps[i++];
        coll_elem e = {.secondary = 1, .tertiary = 1};
        int letter = -1;
        if (cp >= 'a' && cp <= 'z') {
            letter = latin_letter[cp - 'a'];
        } else if (cp >= 'A' && cp <= 'Z') {
            letter = latin_letter[cp - 'A'];
            e.tertiary = 2;
        } else if (cp == 0x111 || cp == 0x110) {
            letter = L_D_STROKE;
            e.tertiary = cp == 0x110 ? 2 : 1;
        }
        /* The marks that follow. */
        for (; i < n && utf8proc_get_property(cps[i])->combining_class; i++) {
            uint32_t m = (uint32_t)cps[i];
            if (letter == L_A && m == 0x306) letter = L_A_BREVE;
            else if (letter == L_A && m == 0x302) letter = L_A_CIRC;
            else if (letter == L_E && m == 0x302) letter = L_E_CIRC;
            else if (letter == L_O && m == 0x302) letter = L_O_CIRC;
            else if (letter == L_O && m == 0x31B) letter = L_O_HORN;
            else if (letter == L_U && m == 0x31B) letter = L_U_HORN;
            else if (e.secondary == 1 || tone_of(m) > e.secondary)
                e.secondary = (uint8_t)tone_of(m);
        }
        if (letter >= 0)
            e.primary = W_LETTER + (uint32_t)letter;
        else if (cp >= '0' && cp <= '9')
            e.primary = W_DIGIT + (cp - '0');
        else if (cp == ' ')
            e.primary = W_SPACE;
        else if (cp < 0x80)
            e.primary = W_PUNCT + cp;
        else
            e.primary = W_OTHER + cp;
        out[count++] = e;
    }
    return count;
}

/* Append the three-level key of `len` bytes of `s`. */
static void put_key(key_buf *k, const char *s, size_t len)
{
    utf8proc_int32_t stack[256], *cps = stack;
    coll_elem estack[256], *elems = estack;
    utf8proc_ssize_t n = utf8proc_decompose((const utf8proc_uint8_t *)s,
                                            (utf8proc_ssize_t)len, cps, 256,
                                            UTF8PROC_DECOMPOSE);
    if (n > 256) {
        cps = malloc((size_t)n * sizeof *cps);
        elems = malloc((size_t)n * sizeof *elems);
        if (cps && elems)
            n = utf8proc_decompose((const utf8proc_uint8_t *)s,
                                   (utf8proc_ssize_t)len, cps, n,
                                   UTF8PROC_DECOMPOSE);
        else
            n = 0;
    }
    size_t count = n > 0 ? collation_elements(cps, (size_t)n, elems) : 0;
    for (size_t i = 0; i < count; i++)
        put_primary(k, elems[i].primary);
    put(k, 0);
    for (size_t i = 0; i < count; i++)
        put(k, elems[i].secondary);
    put(k, 0);
    for (size_t i = 0; i < count; i++)
        put(k, elems[i].tertiary);
    put(k, 0);
    if (cps != stack) {
        free(cps);
        free(elems);
    }
}

size_t cadre_name_key(const char *name, const char *id, uint8_t *buf,
                      size_t size)
{
    key_buf k = {buf, size, 0};
    size_t len = strlen(name);
    while (len && name[len - 1] == ' ')
        len--;
    size_t start = len;
    while (start && name[start - 1] != ' ')
        start--;
    size_t rest = start;
    while (rest && name[rest - 1] == ' ')
        rest--;
    put_key(&k, name + start, len - start); /* the given name */
    put_key(&k, name, rest);                /* then the rest */
    if (id)
        for (const char *p = id; *p; p++)
            put(&k, (uint8_t)*p);
    return k.len;
}

int cadre_name_compare_id(const char *name_a, const char *id_a,
                          const char *name_b, const char *id_b)
{
    uint8_t sa[512], sb[512];
    uint8_t *ka = sa, *kb = sb;
    size_t la = cadre_name_key(name_a, id_a, sa, sizeof sa);
    size_t lb = cadre_name_key(name_b, id_b, sb, sizeof sb);
    if (la > sizeof sa && (ka = malloc(la)))
        cadre_name_key(name_a, id_a, ka, la);
    if (lb > sizeof sb && (kb = malloc(lb)))
        cadre_name_key(name_b, id_b, kb, lb);
    if (!ka || !kb) { /* out of memory: compare what fitted */
        ka = ka ? ka : sa, la = la > sizeof sa ? sizeof sa : la;
        kb = kb ? kb : sb, lb = lb > sizeof sb ? sizeof sb : lb;
    }
    int c = memcmp(ka, kb, la < lb ? la : lb);
    if (c == 0)
        c = la < lb ? -1 : la > lb;
    if (ka != sa)
        free(ka);
    if (kb != sb)
        free(kb);
    return c;
}

/* Copy `digits` (an unsigned integer in ASCII) to out with a dot every
 * three digits. */
static size_t group_thousands(const char *digits, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0)
            out[o++] = '.';
        out[o++] = digits[i];
    }
    return o;
}

static size_t emit(const char *text, size_t len, char *buf, size_t size)
{
    if (size) {
        size_t n = len < size - 1 ? len : size - 1;
        memcpy(buf, text, n);
        buf[n] = '\0';
    }
    return len;
}

size_t cadre_format_int(long long v, char *buf, size_t size)
{
    char digits[32], out[48];
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v
                                 : (unsigned long long)v;
    int n = snprintf(digits, sizeof digits, "%llu", u);
    size_t o = 0;
    if (v < 0)
        out[o++] = '-';
    o += group_thousands(digits, (size_t)n, out + o);
    return emit(out, o, buf, size);
}

/* |v| * 10^decimals rounded half up on the decimal v stands for, not on
 * its binary value: 7.35 is 7.3499999... as a double, but its fifteen
 * significant digits read "7.35000000000000", and that rounds to 7.4.
 * Fifteen digits give back exactly every decimal of up to fifteen digits,
 * which is every score, share and average a document prints. */
static long long decimal_units(double mag, int decimals)
{
    char e[32]; /* d.dddddddddddddde+XX */
    snprintf(e, sizeof e, "%.14e", mag);
    char digits[15];
    digits[0] = e[0];
    memcpy(digits + 1, e + 2, 14);
    int exp10 = (int)strtol(e + 17, NULL, 10);
    int keep = exp10 + 1 + decimals; /* digits before the rounding point */
    long long units = 0;
    for (int i = 0; i < keep; i++)
        units = units * 10 + (i < 15 ? digits[i] - '0' : 0);
    if (keep >= 0 && keep < 15 && digits[keep] >= '5')
        units++;
    return units;
}

size_t cadre_format_decimal(double v, int decimals, char *buf, size_t size)
{
    char digits[48], out[96];
    if (decimals < 0)
        decimals = 0;
    if (decimals > 9)
        decimals = 9;
    long long scale = 1;
    for (int i = 0; i < decimals; i++)
        scale *= 10;
    double mag = v < 0 ? -v : v;
    if (!(mag * (double)scale < 9e15)) /* NaN, infinite or too large */
        return emit("?", 1, buf, size);
    /* Round half up, as Vietnamese documents do (7,25 -> 7,3), not half
     * to even. */
    long long units = decimal_units(mag, decimals);
    int n = snprintf(digits, sizeof digits, "%lld", units / scale);
    size_t o = 0;
    if (v < 0 && units != 0)
        out[o++] = '-';
    o += group_thousands(digits, (size_t)n, out + o);
    long long frac = units % scale;
    if (frac) {
        int width = decimals;
        while (frac % 10 == 0) /* trailing zeros are dropped */
            frac /= 10, width--;
        out[o++] = ',';
        o += (size_t)snprintf(out + o, sizeof out - o, "%0*lld", width, frac);
    }
    return emit(out, o, buf, size);
}
