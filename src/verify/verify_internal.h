/* verify_internal.h - what the parts of the verify module share: the key
 * structures, libsodium's start, and the small text helpers of the key
 * and revocation files (verify.h). */
#ifndef CADRE_VERIFY_INTERNAL_H
#define CADRE_VERIFY_INTERNAL_H

#include <sodium.h>

#include "cadre/verify.h"

struct cadre_key {
    char id[CADRE_KEY_ID_TEXT];                 /* hex id of the public key */
    uint8_t public[crypto_sign_PUBLICKEYBYTES]; /* the public half */
    uint8_t secret[crypto_sign_SECRETKEYBYTES]; /* libsodium's form: seed
                                                   and public key */
};

/* Start libsodium (once; cheap after).  False, with a message, when it
 * cannot start (no entropy source). */
bool verify_sodium_ready(cadre_diags *diags);

/* The id of a public key: SHA-256, first CADRE_KEY_ID_SIZE bytes. */
void verify_key_id(const uint8_t public[crypto_sign_PUBLICKEYBYTES],
                   uint8_t id[CADRE_KEY_ID_SIZE]);

/* Lower-case hex of `len` bytes into `out` (2 * len + 1 bytes). */
void verify_hex(const uint8_t *data, size_t len, char *out);

/* Parse exactly 2 * len hex digits (either case) into `out`; false when
 * `text` is anything else. */
bool verify_unhex(const char *text, size_t text_len, uint8_t *out,
                  size_t len);

/* The public key in `ring` whose id is `id` (binary), or NULL. */
const uint8_t *verify_keyring_find(const cadre_keyring *ring,
                                   const uint8_t id[CADRE_KEY_ID_SIZE]);

/* True when `s` (`len` bytes) is UTF-8 in NFC with no control character:
 * what every text of a seal or a revocation list must be. */
bool verify_text_ok(const char *s, size_t len);

#endif
