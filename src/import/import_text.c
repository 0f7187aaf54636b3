/*
 * import_text.c - cell text as records want it (one space between words,
 * NFC), and the folded forms headings and values are matched in.
 */
#define _GNU_SOURCE /* strtod_l: numbers in the file's form, whatever the locale */
#include <locale.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "cadre/text.h"
#include "import_internal.h"
#include "util/grow.h"

/* Windows-1252's 0x80-0x9F: what an invalid byte shows as. */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
    0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

/* Decode one code point; an invalid byte is read as Windows-1252. */
static size_t next_cp(const unsigned char *s, size_t n, uint32_t *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    /* two and three bytes, every Vietnamese letter: decoded here */
    if (s[0] >= 0xC2 && s[0] <= 0xDF && n >= 2 && (s[1] & 0xC0) == 0x80) {
        *cp = (uint32_t)(s[0] & 0x1F) << 6 | (s[1] & 0x3F);
        return 2;
    }
    if (s[0] == 0xE1 && n >= 3 && (s[1] & 0xC0) == 0x80 &&
        (s[2] & 0xC0) == 0x80) {
        *cp = 0x1000 | (uint32_t)(s[1] & 0x3F) << 6 | (s[2] & 0x3F);
        return 3;
    }
    utf8proc_int32_t c;
    utf8proc_ssize_t k = utf8proc_iterate(s, (utf8proc_ssize_t)n, &c);
    if (k > 0) {
        *cp = (uint32_t)c;
        return (size_t)k;
    }
    *cp = s[0] >= 0xA0 ? s[0] : cp1252_high[s[0] - 0x80];
    return 1;
}

/* A character Windows-1252 has at 0x80-0x9F. */
static bool is_cp1252_high(uint32_t cp)
{
    if (cp < 0x152)
        return false;
    for (int i = 0; i < 32; i++)
        if (cp1252_high[i] == cp)
            return true;
    return false;
}

static bool is_space(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' ||
           cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F ||
           cp == 0x205F || cp == 0x3000 || cp == 0x0B || cp == 0x0C;
}

/* Characters that take no room and mean nothing in a name. */
static bool is_invisible(uint32_t cp)
{
    return cp == 0xFEFF || cp == 0x200B || cp == 0x200C || cp == 0x200D ||
           cp == 0x00AD || cp == 0x2060;
}

/* The cleaned text of `out` from `start` on: cut at IMP_MAX_CELL_TEXT on
 * a character's boundary (IMP_T_TOO_LONG into *flags), made NFC unless
 * `simple` says it is.  Its length, or (size_t)-1 out of memory. */
static size_t finish_text(imp_buf *out, size_t start, bool simple,
                          int *flags)
{
    size_t n = out->len - start;
    if (n > IMP_MAX_CELL_TEXT) {
        *flags |= IMP_T_TOO_LONG;
        n = IMP_MAX_CELL_TEXT;
        while (n > 0 && ((unsigned char)out->p[start + n] & 0xC0) == 0x80)
            n--;
        out->len = start + n;
        out->p[out->len] = '\0';
    }
    if (simple || cadre_text_is_nfc(out->p + start, n))
        return n;
    size_t m;
    char *nfc = cadre_text_nfc(out->p + start, n, &m);
    if (!nfc)
        return (size_t)-1;
    out->len = start;
    bool ok = imp_buf_add(out, nfc, m);
    free(nfc);
    return ok ? m : (size_t)-1;
}

int imp_text_clean(const char *s, size_t len, imp_buf *out)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t start = out->len;
    int flags = 0;
    /* room for the worst case once (a byte read as Windows-1252 becomes
     * three), then written directly: this runs for every text cell */
    if (len > SIZE_MAX / 4 || !imp_buf_add(out, NULL, 0) ||
        (out->cap < out->len + 3 * len + 1 &&
         !imp_buf_reserve(out, 3 * len + 1)))
        return -1;
    char *o = out->p + out->len;
    /* mojibake needs a symbol of Windows-1252's upper half (0x80-0xBF)
     * after a letter: without one the check is not run */
    bool space = false, latin = false, symbol = false, simple = true;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        if (p[i] > 0x20 && p[i] < 0x7F) {
            /* the common case: a run of printable ASCII */
            size_t j = i + 1;
            while (j < len && p[j] > 0x20 && p[j] < 0x7F)
                j++;
            if (space && o > out->p + start)
                *o++ = ' ';
            space = false;
            memcpy(o, p + i, j - i);
            o += j - i;
            i = j;
            continue;
        }
        size_t k = next_cp(p + i, len - i, &cp);
        i += k;
        if ((cp >= 0x1EA0 && cp <= 0x1EF9) ||
            (cp >= 0xC0 && cp <= 0x1B0 && cp != 0xD0 && cp != 0xF0 &&
             k == 2)) {
            /* a Vietnamese letter (most of the non-ASCII ones) */
            latin |= cp <= 0xFF;
            if (space && o > out->p + start)
                *o++ = ' ';
            space = false;
            memcpy(o, p + i - k, k);
            o += k;
            continue;
        }
        bool raw = k == 1 && p[i - 1] >= 0x80; /* read as Windows-1252 */
        if (raw)
            simple = false;
        if (is_space(cp)) {
            space = true;
            continue;
        }
        if (is_invisible(cp))
            continue;
        if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) {
            flags |= IMP_T_CONTROL;
            continue;
        }
        if (cp == 0xD0 || cp == 0xF0) {
            cp = cp == 0xD0 ? 0x110 : 0x111;
            flags |= IMP_T_LOOKALIKE;
            raw = true; /* written anew */
        }
        if (cp >= 0xC0 && cp <= 0xFF)
            latin = true;
        else if ((cp >= 0xA1 && cp <= 0xBF) || is_cp1252_high(cp))
            symbol = true;
        if (!(cp < 0x300 || (cp >= 0x1EA0 && cp <= 0x1EF9) ||
              (cp >= 0x2010 && cp <= 0x2027) || cp == 0x20AB))
            simple = false;
        if (space && o > out->p + start)
            *o++ = ' ';
        space = false;
        if (raw) {
            o += utf8proc_encode_char((utf8proc_int32_t)cp, (utf8proc_uint8_t *)o);
        } else {
            memcpy(o, p + i - k, k); /* valid UTF-8: as it is */
            o += k;
        }
    }
    out->len = (size_t)(o - out->p);
    out->p[out->len] = '\0';
    size_t n = finish_text(out, start, simple, &flags);
    if (n == (size_t)-1)
        return -1;
    if (!out->cap && !imp_buf_add(out, "", 0))
        return -1;
    if (latin && symbol && imp_is_mojibake(out->p + start, n))
        flags |= IMP_T_MOJIBAKE;
    return flags;
}

/* The letters of a code point folded for headings: ASCII lower case, or
 * nothing.  Returns the number of bytes written (0 to 2). */
/* The base letters of U+00C0-U+01BF and U+1EA0-U+1EFF (every Vietnamese
 * letter), lower case, made once from utf8proc's decompositions: folding
 * runs on every name. */
static char fold_latin[0x100], fold_viet[0x60];
/* made once in the process, whichever thread folds first */
static pthread_once_t fold_once = PTHREAD_ONCE_INIT;

static size_t fold_slow(uint32_t cp, char *out);

static void fold_init(void)
{
    for (uint32_t c = 0; c < 0x100; c++) {
        char o[2];
        fold_latin[c] = fold_slow(0xC0 + c, o) == 1 ? o[0] : 0;
    }
    for (uint32_t c = 0; c < 0x60; c++) {
        char o[2];
        fold_viet[c] = fold_slow(0x1EA0 + c, o) == 1 ? o[0] : 0;
    }
}

static size_t fold_ascii(uint32_t cp, char *out)
{
    if (cp >= 0xC0 && cp < 0x1C0 && cp != 0xC6 && cp != 0xE6 &&
        cp != 0xDF && (pthread_once(&fold_once, fold_init), true) &&
        fold_latin[cp - 0xC0]) {
        out[0] = fold_latin[cp - 0xC0];
        return 1;
    }
    if (cp >= 0x1EA0 && cp < 0x1F00 && (pthread_once(&fold_once, fold_init), true) &&
        fold_viet[cp - 0x1EA0]) {
        out[0] = fold_viet[cp - 0x1EA0];
        return 1;
    }
    return fold_slow(cp, out);
}

static size_t fold_slow(uint32_t cp, char *out)
{
    if (cp < 0x80) {
        if (cp >= 'A' && cp <= 'Z')
            cp += 'a' - 'A';
        if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
            out[0] = (char)cp;
            return 1;
        }
        return 0;
    }
    if (cp == 0x110 || cp == 0x111 || cp == 0xD0 || cp == 0xF0) {
        out[0] = 'd';
        return 1;
    }
    utf8proc_int32_t d[8];
    int last = 0;
    utf8proc_ssize_t k = utf8proc_decompose_char(
        (utf8proc_int32_t)cp, d, 8,
        UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD, &last);
    size_t n = 0;
    for (utf8proc_ssize_t j = 0; j < k && j < 8 && n < 2; j++)
        if ((d[j] >= 'a' && d[j] <= 'z') || (d[j] >= '0' && d[j] <= '9'))
            out[n++] = (char)d[j];
    return n;
}

size_t imp_fold_heading(const char *s, size_t len, char *buf, size_t size)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += next_cp(p + i, len - i, &cp);
        char tmp[2];
        size_t k = fold_ascii(cp, tmp);
        for (size_t j = 0; j < k && n + 1 < size; j++)
            buf[n++] = tmp[j];
    }
    if (size)
        buf[n] = '\0';
    return n;
}

static bool is_punct(uint32_t cp)
{
    if (cp < 0x80)
        return !((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') ||
                 (cp >= '0' && cp <= '9'));
    utf8proc_category_t c = utf8proc_category((utf8proc_int32_t)cp);
    return (c >= UTF8PROC_CATEGORY_PC && c <= UTF8PROC_CATEGORY_PO) ||
           (c >= UTF8PROC_CATEGORY_SM && c <= UTF8PROC_CATEGORY_SO) ||
           c == UTF8PROC_CATEGORY_ZS || is_space(cp);
}

size_t imp_fold_value(const char *s, size_t len, char *buf, size_t size,
                      uint32_t *ends, size_t max_ends, size_t *n_ends)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = 0, e = 0;
    bool in_word = false;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += next_cp(p + i, len - i, &cp);
        if (is_punct(cp)) {
            /* "Th.S" is one word, "ĐH. Luật" two: a dot joins */
            if (in_word && cp != '.' && ends && e < max_ends)
                ends[e++] = (uint32_t)n;
            if (cp != '.')
                in_word = false;
            continue;
        }
        if (cp >= 'A' && cp <= 'Z')
            cp += 'a' - 'A';
        else if (cp >= 0x80)
            cp = (uint32_t)utf8proc_tolower((utf8proc_int32_t)cp);
        unsigned char enc[4];
        utf8proc_ssize_t k = utf8proc_encode_char((utf8proc_int32_t)cp, enc);
        if (n + (size_t)k + 1 > size)
            break;
        memcpy(buf + n, enc, (size_t)k);
        n += (size_t)k;
        in_word = true;
    }
    if (in_word && ends && e < max_ends)
        ends[e++] = (uint32_t)n;
    if (size)
        buf[n] = '\0';
    if (n_ends)
        *n_ends = e;
    return n;
}

void imp_col_name(uint32_t col, char *buf, size_t size)
{
    char tmp[8];
    size_t n = 0;
    col++;
    while (col && n < sizeof tmp) {
        col--;
        tmp[n++] = (char)('A' + col % 26);
        col /= 26;
    }
    size_t i = 0;
    while (n && i + 1 < size)
        buf[i++] = tmp[--n];
    if (size)
        buf[i] = '\0';
}

size_t imp_date_iso(cadre_date d, char *buf)
{
    /* the records' form, written often enough that snprintf shows */
    size_t n = 0;
    if (!cadre_date_is_set(d)) {
        buf[0] = '\0';
        return 0;
    }
    unsigned y = (unsigned)d.year;
    buf[n++] = (char)('0' + y / 1000 % 10);
    buf[n++] = (char)('0' + y / 100 % 10);
    buf[n++] = (char)('0' + y / 10 % 10);
    buf[n++] = (char)('0' + y % 10);
    if (!cadre_date_is_year_only(d)) {
        buf[n++] = '-';
        buf[n++] = (char)('0' + d.month / 10);
        buf[n++] = (char)('0' + d.month % 10);
        buf[n++] = '-';
        buf[n++] = (char)('0' + d.day / 10);
        buf[n++] = (char)('0' + d.day % 10);
    }
    buf[n] = '\0';
    return n;
}

/* The C locale's numbers, made once in the process (newlocale may fail:
 * then no number is read). */
static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;
static void make_c_locale(void)
{
    c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
}

bool imp_number(const char *s, double *out)
{
    /* files write numbers with a dot whatever the user's locale says */
    pthread_once(&c_locale_once, make_c_locale);
    if (!c_locale)
        return false;
    char *end;
    double d = strtod_l(s, &end, c_locale);
    if (end == s || *end)
        return false;
    *out = d;
    return true;
}
