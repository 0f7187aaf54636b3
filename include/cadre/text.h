/*
 * text.h - Vietnamese text: UTF-8 checks, NFC, case, ASCII folding, the
 * Vietnamese order of names and the Vietnamese form of numbers.
 *
 * Every string in cadrekit is UTF-8 in Unicode NFC.  Input from elsewhere
 * goes through cadre_text_check() and cadre_text_nfc() before it is used.
 *
 *     char *up = cadre_text_upper("Đình Lập");       // "ĐÌNH LẬP"
 *     char num[CADRE_NUMBER_TEXT_MAX];
 *     cadre_format_int(1188, num, sizeof num);        // "1.188"
 *     int c = cadre_name_compare("Lê Thị Ánh", "Võ Thị Ăn");   // < 0
 *     free(up);
 *
 * Threads: functions of their arguments only (utf8proc is reentrant);
 * safe from any thread.
 */
#ifndef CADRE_TEXT_H
#define CADRE_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What cadre_text_check() found wrong, if anything. */
typedef enum cadre_text_fault {
    CADRE_TEXT_OK = 0,
    CADRE_TEXT_BAD_UTF8,  /* not valid UTF-8 (or a surrogate, or > U+10FFFF) */
    CADRE_TEXT_CONTROL    /* a control character other than tab and newline */
} cadre_text_fault;

/* Check `len` bytes of `s`.  On a fault, *where (if not NULL) receives the
 * byte offset and *cp the offending code point (or byte). */
cadre_text_fault cadre_text_check(const char *s, size_t len, size_t *where,
                                  uint32_t *cp);

/* True when `len` bytes of valid UTF-8 at `s` are already in NFC (a fast
 * check that never says yes wrongly). */
bool cadre_text_is_nfc(const char *s, size_t len);

/* The NFC form of `len` bytes of valid UTF-8, NUL-terminated, its length
 * in *out_len if not NULL.  Caller owns the result; free with free().
 * NULL when out of memory or `s` is not valid UTF-8. */
char *cadre_text_nfc(const char *s, size_t len, size_t *out_len);

/* What cadre_text_tidy() found: the look-alikes it replaced, and
 * whether the text may not be in NFC. */
enum {
    CADRE_TIDY_ETH = 1 << 0,        /* Ð (U+00D0) read as Đ (U+0110) */
    CADRE_TIDY_SMALL_ETH = 1 << 1,  /* ð (U+00F0) read as đ (U+0111) */
    CADRE_TIDY_NFC_UNKNOWN = 1 << 2 /* not known to be NFC: without this
                                       bit the text is NFC already */
};

/* Tidy `len` bytes of valid UTF-8 at `s` in place, the way the records
 * format reads text: white space at either end removed, every inner run of
 * white space (space, tab, newline, carriage return, no-break space and
 * the other Unicode spaces) made one space, and the look-alikes that
 * legacy converters leave in Vietnamese, Ð and ð, made Đ and đ.  Returns
 * the new length; `s` is NUL-terminated there (it needs room for the NUL
 * at s[len]).  *folded (if not NULL) receives the CADRE_TIDY_* bits: the
 * look-alikes replaced, and CADRE_TIDY_NFC_UNKNOWN unless the text is known
 * to be NFC (so that most texts need no second look). */
size_t cadre_text_tidy(char *s, size_t len, unsigned *folded);

/* True when cadre_text_tidy() would leave the `len` bytes at `s` as they
 * are (they need no NUL): a reader may then keep them without a writable
 * copy.  *nfc (if not NULL) is then set when the text is known to be NFC. */
bool cadre_text_is_tidy(const char *s, size_t len, bool *nfc);

/* Upper and lower case ("Đình Lập" -> "ĐÌNH LẬP"), NFC.  Caller owns the
 * result; free with free().  NULL when out of memory or invalid UTF-8. */
char *cadre_text_upper(const char *s);
char *cadre_text_lower(const char *s);

/* Fold to ASCII: diacritics removed, đ -> d, Đ -> D; other non-ASCII
 * characters become '?'.  Caller owns the result; free with free(). */
char *cadre_text_fold_ascii(const char *s);

/* Number of code points in valid UTF-8 `s`. */
size_t cadre_text_length(const char *s);

/*
 * The Vietnamese order of names (records spec): by the given name (the last
 * word), then by the rest, in Vietnamese letter order
 * (a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y) with tones as a
 * secondary difference (none, huyền, hỏi, ngã, sắc, nặng) and case as a
 * tertiary one, then by id.
 */

/* Write the sort key of `name` (and `id`, which may be NULL) into `buf`:
 * keys compare with memcmp() in the order above.  Returns the key's length,
 * which may exceed `size` (then only `size` bytes were written). */
size_t cadre_name_key(const char *name, const char *id, uint8_t *buf,
                      size_t size);

/* Compare two names (then ids, which may be NULL) in that order. */
int cadre_name_compare_id(const char *name_a, const char *id_a,
                          const char *name_b, const char *id_b);
static inline int cadre_name_compare(const char *a, const char *b)
{
    return cadre_name_compare_id(a, NULL, b, NULL);
}

/* Longest text cadre_format_* writes, with its NUL. */
#define CADRE_NUMBER_TEXT_MAX 40

/* "1.188", "-25", "1.000.000" */
size_t cadre_format_int(long long v, char *buf, size_t size);

/* A decimal with at most `decimals` (0 to 9) digits after the comma,
 * rounded half up, trailing zeros dropped: 7.4 -> "7,4", 7.25 -> "7,25"
 * (or "7,3" with one decimal), 8.0 -> "8", 1234.5 -> "1.234,5". */
size_t cadre_format_decimal(double v, int decimals, char *buf, size_t size);

#endif
