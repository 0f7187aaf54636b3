/* base45.c - RFC 9285 Base45: two bytes as three characters of the QR
 * code's alphanumeric set, 45 symbols (verify.h). */
#include <stdlib.h>
#include <string.h>

#include "cadre/verify.h"

static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

char *cadre_base45_encode(const uint8_t *data, size_t len)
{
    char *out = malloc(len / 2 * 3 + len % 2 * 2 + 1), *o = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i + 1 < len; i += 2) {
        unsigned n = (unsigned)data[i] * 256 + data[i + 1];
        *o++ = alphabet[n % 45];
        *o++ = alphabet[n / 45 % 45];
        *o++ = alphabet[n / 2025];
    }
    if (len % 2) {
        unsigned n = data[len - 1];
        *o++ = alphabet[n % 45];
        *o++ = alphabet[n / 45];
    }
    *o = '\0';
    return out;
}

/* The value of one Base45 character, or -1. */
static int digit(char c)
{
    const char *p = c ? memchr(alphabet, c, sizeof alphabet - 1) : NULL;
    return p ? (int)(p - alphabet) : -1;
}

uint8_t *cadre_base45_decode(const char *text, size_t text_len, size_t *len)
{
    if (text_len % 3 == 1)
        return NULL; /* a lone character encodes nothing */
    uint8_t *out = malloc(text_len / 3 * 2 + 2), *o = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < text_len; i += 3) {
        size_t group = text_len - i < 3 ? 2 : 3;
        unsigned n = 0, scale = 1;
        for (size_t k = 0; k < group; k++) {
            int d = digit(text[i + k]);
            if (d < 0)
                goto fail;
            n += (unsigned)d * scale;
            scale *= 45;
        }
        /* RFC 9285 section 4.2: a value too big for its bytes is an
         * error, or two texts would decode to the same bytes. */
        if (group == 3 ? n > 0xFFFF : n > 0xFF)
            goto fail;
        if (group == 3)
            *o++ = (uint8_t)(n >> 8);
        *o++ = (uint8_t)n;
    }
    *len = (size_t)(o - out);
    return out;
fail:
    free(out);
    return NULL;
}
