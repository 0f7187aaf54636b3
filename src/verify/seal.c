/* seal.c - the signed payload of a certificate's QR code: its canonical
 * binary form, Ed25519 signature, Base45 text in a URL fragment
 * (verify.h; the format is in docs/verify.md). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadre/codes.h"
#include "cadre/i18n.h"
#include "verify_internal.h"

/* The format's version: the seal's first byte. */
#define SEAL_VERSION 1

/* Longest text of a field: its length is one byte. */
#define FIELD_MAX 255

/* The largest seal: version, key id, four texts, five dates, a grade
 * and the signature. */
#define SEAL_MAX (1 + CADRE_KEY_ID_SIZE + 4 * (1 + FIELD_MAX) + 5 * 3 + 1 + \
                  crypto_sign_BYTES)

/* The order of the fields, which the form follows. */
enum field_kind { F_TEXT, F_DATE, F_GRADE };
struct field_desc {
    enum field_kind kind;
    size_t offset; /* in cadre_seal_fields */
    const char *name;
};
#define TEXT_FIELD(m, n) { F_TEXT, offsetof(cadre_seal_fields, m), n }
#define DATE_FIELD(m, n) { F_DATE, offsetof(cadre_seal_fields, m), n }
static const struct field_desc fields[] = {
    TEXT_FIELD(number, "number"),
    TEXT_FIELD(full_name, "full name"),
    DATE_FIELD(birth, "birth date"),
    TEXT_FIELD(course_title, "course title"),
    DATE_FIELD(start, "start date"),
    DATE_FIELD(end, "end date"),
    { F_GRADE, offsetof(cadre_seal_fields, grade), "grade" },
    TEXT_FIELD(issuer, "issuer"),
    DATE_FIELD(issued, "issue date"),
};
#define N_FIELDS (sizeof fields / sizeof fields[0])

/* A date in three bytes, big-endian: year * 512 + month * 32 + day; a
 * year alone has month and day 0, no date is 0. */
static uint32_t date_code(cadre_date d)
{
    return (uint32_t)d.year * 512 + (uint32_t)d.month * 32 + d.day;
}

static bool date_from_code(uint32_t code, cadre_date *d)
{
    *d = (cadre_date){ .year = (int16_t)(code / 512),
                       .month = (uint8_t)(code / 32 % 16),
                       .day = (uint8_t)(code % 32) };
    if (code == 0)
        return true;
    if (code / 32 % 16 != d->month || d->year < 1 || d->year > 9999)
        return false;
    if (d->month == 0)
        return d->day == 0;
    /* a real day: what the records' own parser accepts */
    char iso[16];
    cadre_date back;
    snprintf(iso, sizeof iso, "%04d-%02u-%02u", d->year, d->month, d->day);
    return cadre_date_parse(iso, 0, &back) == 0;
}

/* Grades: 0 for none, then the records' codes from 1. */
static int grade_code(int grade)
{
    return grade >= 0 && grade < cadre_code_count(CADRE_CODE_GRADE) ? grade + 1
                                                                   : 0;
}

/* The bytes signed: everything but the signature.  Returns their number,
 * or 0 with a message when a field breaks the rules. */
static size_t encode(const cadre_key *key, const cadre_seal_fields *f,
                     uint8_t *buf, cadre_diags *diags)
{
    size_t n = 0;
    buf[n++] = SEAL_VERSION;
    uint8_t id[CADRE_KEY_ID_SIZE];
    verify_key_id(key->public, id);
    memcpy(buf + n, id, sizeof id);
    n += sizeof id;
    for (size_t i = 0; i < N_FIELDS; i++) {
        const void *at = (const char *)f + fields[i].offset;
        if (fields[i].kind == F_TEXT) {
            const char *s = *(const char *const *)at;
            if (!s)
                s = "";
            size_t len = strlen(s);
            if (len > FIELD_MAX || !verify_text_ok(s, len)) {
                cadre_diags_error(diags, NULL, 0,
                                  "cannot seal certificate '%s': its %s %s",
                                  f->number ? f->number : "", fields[i].name,
                                  len > FIELD_MAX
                                      ? "is longer than 255 bytes"
                                      : "is not NFC UTF-8 text on one line");
                return 0;
            }
            buf[n++] = (uint8_t)len;
            memcpy(buf + n, s, len);
            n += len;
        } else if (fields[i].kind == F_DATE) {
            uint32_t c = date_code(*(const cadre_date *)at);
            buf[n++] = (uint8_t)(c >> 16);
            buf[n++] = (uint8_t)(c >> 8);
            buf[n++] = (uint8_t)c;
        } else {
            buf[n++] = (uint8_t)grade_code(*(const int *)at);
        }
    }
    return n;
}

/* Base45 text with ' ' and '%' as %20 and %25: a URL fragment whose
 * every character is in the QR code's alphanumeric set. */
static char *escape(const char *b45)
{
    size_t extra = 0;
    for (const char *p = b45; *p; p++)
        extra += *p == ' ' || *p == '%';
    char *out = malloc(strlen(b45) + 2 * extra + 1), *o = out;
    for (const char *p = b45; out && *p; p++) {
        if (*p == ' ' || *p == '%') {
            *o++ = '%';
            *o++ = '2';
            *o++ = *p == ' ' ? '0' : '5';
        } else {
            *o++ = *p;
        }
    }
    if (o)
        *o = '\0';
    return out;
}

char *cadre_seal_make(const cadre_key *key, const cadre_seal_fields *f,
                      cadre_diags *diags)
{
    uint8_t buf[SEAL_MAX];
    size_t n = encode(key, f, buf, diags);
    if (!n)
        return NULL;
    crypto_sign_detached(buf + n, NULL, buf, n, key->secret);
    char *b45 = cadre_base45_encode(buf, n + crypto_sign_BYTES);
    char *out = b45 ? escape(b45) : NULL;
    free(b45);
    if (!out)
        cadre_diags_error(diags, NULL, 0, "out of memory");
    return out;
}

/* ------------------------------------------------------------- reading */

const char *cadre_seal_status_name(cadre_seal_status status)
{
    return cadre_gettext(status == CADRE_SEAL_VALID     ? CADRE_N_("valid")
                         : status == CADRE_SEAL_REVOKED ? CADRE_N_("revoked")
                                                        : CADRE_N_("invalid"));
}

static void set(cadre_seal *s, cadre_seal_status status, const char *why)
{
    s->status = status;
    s->why = *why ? cadre_gettext(why) : why; /* the user's language */
}

/* Undo the fragment's percent-escapes: the bytes, or NULL when an escape
 * is broken.  `len` receives their number. */
static char *unescape(const char *text, size_t *len)
{
    char *out = malloc(strlen(text) + 1), *o = out;
    if (!out)
        return NULL;
    for (const char *p = text; *p; p++) {
        if (*p != '%') {
            *o++ = *p;
            continue;
        }
        uint8_t byte;
        if (!verify_unhex(p + 1, strnlen(p + 1, 2), &byte, 1)) {
            free(out);
            return NULL;
        }
        *o++ = (char)byte;
        p += 2;
    }
    *len = (size_t)(o - out);
    return out;
}

/* Decode the fields of `buf` (`n` bytes, the signature excluded) into
 * the seal; the texts go to s->text.  False when the form is broken. */
static bool decode(cadre_seal *s, const uint8_t *buf, size_t n)
{
    size_t at = 1 + CADRE_KEY_ID_SIZE;
    char *o = s->text = malloc(n + 1); /* texts and their NULs fit */
    if (!o)
        return false;
    for (size_t i = 0; i < N_FIELDS; i++) {
        void *to = (char *)&s->fields + fields[i].offset;
        if (fields[i].kind == F_TEXT) {
            if (at >= n || n - at - 1 < buf[at])
                return false;
            size_t len = buf[at++];
            if (!verify_text_ok((const char *)buf + at, len))
                return false;
            memcpy(o, buf + at, len);
            o[len] = '\0';
            *(const char **)to = o;
            o += len + 1;
            at += len;
        } else if (fields[i].kind == F_DATE) {
            if (n - at < 3 ||
                !date_from_code((uint32_t)buf[at] << 16 | (uint32_t)buf[at + 1] << 8 |
                                    buf[at + 2],
                                (cadre_date *)to))
                return false;
            at += 3;
        } else {
            if (at >= n || buf[at] > cadre_code_count(CADRE_CODE_GRADE))
                return false;
            *(int *)to = buf[at] ? buf[at] - 1 : CADRE_GRADE_NONE;
            at++;
        }
    }
    return at == n; /* nothing after the last field */
}

void cadre_seal_read(cadre_seal *s, const char *text,
                     const cadre_keyring *ring,
                     const cadre_revocations *revs)
{
    memset(s, 0, sizeof *s);
    s->fields.grade = CADRE_GRADE_NONE;
    const char *hash = strchr(text, '#');
    size_t len = 0, n = 0;
    char *b45 = unescape(hash ? hash + 1 : text, &len);
    uint8_t *buf = b45 ? cadre_base45_decode(b45, len, &n) : NULL;
    free(b45);
    if (!buf) {
        set(s, CADRE_SEAL_MALFORMED,
            CADRE_N_("not a certificate's seal, or damaged or cut short (no "
                     "Base45 text)"));
        return;
    }
    size_t body = n > crypto_sign_BYTES ? n - crypto_sign_BYTES : 0;
    if (n < 1 || buf[0] != SEAL_VERSION)
        set(s, CADRE_SEAL_MALFORMED,
            CADRE_N_("not a certificate's seal (unknown version)"));
    else if (body < 1 + CADRE_KEY_ID_SIZE)
        set(s, CADRE_SEAL_MALFORMED,
            CADRE_N_("cut short: no key id or signature"));
    else {
        verify_hex(buf + 1, CADRE_KEY_ID_SIZE, s->key_id);
        s->decoded = decode(s, buf, body);
        const uint8_t *pub = verify_keyring_find(ring, buf + 1);
        if (!s->decoded)
            set(s, CADRE_SEAL_MALFORMED, CADRE_N_("damaged or cut short"));
        else if (!pub)
            set(s, CADRE_SEAL_UNKNOWN_KEY,
                CADRE_N_("sealed with a key that is not trusted"));
        else if (!verify_sodium_ready(NULL) ||
                 crypto_sign_verify_detached(buf + body, buf, body, pub) != 0)
            set(s, CADRE_SEAL_BAD_SIGNATURE,
                CADRE_N_("the signature does not match: changed since it was "
                         "sealed"));
        else if (revs && (s->revoked = cadre_revocations_find(revs, s->fields.number)))
            set(s, CADRE_SEAL_REVOKED, CADRE_N_("revoked"));
        else
            set(s, CADRE_SEAL_VALID, "");
    }
    if (!s->decoded) {
        free(s->text);
        s->text = NULL;
        memset(&s->fields, 0, sizeof s->fields);
        s->fields.grade = CADRE_GRADE_NONE;
    }
    free(buf);
}

void cadre_seal_release(cadre_seal *s)
{
    free(s->text);
    memset(s, 0, sizeof *s);
}
