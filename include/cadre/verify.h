/*
 * verify.h - certificates anyone can check offline.  An office holds an
 * Ed25519 key (libsodium); every certificate's QR code carries a seal: the
 * certificate's fields in a canonical binary form with the office's
 * signature, Base45-encoded (RFC 9285, the QR code's alphanumeric mode)
 * as the fragment of the verification page's address ("https://…/v#…":
 * the fragment never reaches a server).  A revocation list, signed too,
 * names the certificates withdrawn.  cadre-verify reads seals from the
 * QR text, a scan or a PDF; the page (cadre_page_write) checks them in a
 * browser.  The formats are in docs/verify.md.
 *
 *     cadre_key *key = cadre_key_load("keys/3f2a9c0d1e4b5a67.key", &diags);
 *     char *fragment = cadre_seal_make(key, &fields, &diags);
 *     ...
 *     cadre_keyring *ring = cadre_keyring_new();
 *     cadre_keyring_add(ring, "trusted/", &diags);
 *     cadre_seal seal;
 *     cadre_seal_read(&seal, "https://…/v#NCF…", ring, NULL);
 *     if (seal.status == CADRE_SEAL_VALID) puts(seal.fields.full_name);
 *     cadre_seal_release(&seal);
 *
 * Every function returning an error also adds a message to `diags` (which
 * may be NULL); strings given are borrowed.
 *
 * Threads: verifying is reentrant; a set of trusted keys is read-only
 * once loaded and may be shared by threads; libsodium is initialised once
 * (sodium_init is thread-safe).
 */
#ifndef CADRE_VERIFY_H
#define CADRE_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cadre/date.h"
#include "cadre/error.h"

/* A key id: the first 8 bytes of the SHA-256 of the public key, written
 * as 16 lower-case hex digits. */
#define CADRE_KEY_ID_SIZE 8
#define CADRE_KEY_ID_TEXT (2 * CADRE_KEY_ID_SIZE + 1)
#define CADRE_KEY_PUBLIC_SIZE 32

/* ------------------------------------------------------------------ keys */

/* A secret signing key, loaded.  Its secret part is wiped when freed. */
typedef struct cadre_key cadre_key;

/* Make a new key pair in `dir` (created, mode 0700, when missing):
 * `ID.key`, the secret key (mode 0600, created exclusively: never
 * readable by others, never replacing a file), and `ID.pub`, the public
 * key to publish.  Writes the id into `id`.  Returns CADRE_OK, or
 * CADRE_EIO when the folder or a file cannot be written (nothing is
 * left behind). */
cadre_error cadre_key_generate(const char *dir, char id[CADRE_KEY_ID_TEXT],
                               cadre_diags *diags);

/* Read the secret key file at `path`.  Refuses a file others may read
 * (mode 0644: the key may have leaked, and a key left so would go on
 * leaking), a public key, and a damaged file (its id must match).  NULL
 * on failure.  Caller owns the result; free with cadre_key_free(). */
cadre_key *cadre_key_load(const char *path, cadre_diags *diags);

/* Wipe and free a key.  NULL is allowed. */
void cadre_key_free(cadre_key *key);

/* The key's id, 16 hex digits; owned by the key. */
const char *cadre_key_id(const cadre_key *key);

/* The public keys one trusts: several at once, so that an office can
 * change its key and certificates sealed with the old one still check. */
typedef struct cadre_keyring cadre_keyring;

/* An empty keyring; NULL when out of memory.  Free with
 * cadre_keyring_free(). */
cadre_keyring *cadre_keyring_new(void);

/* Add the public key file at `path` (ID.pub), or every *.pub file in the
 * folder `path`.  Returns CADRE_EIO when it cannot be read (a folder
 * without public keys included), CADRE_EINVALID for a damaged key file
 * or a secret key given where public keys are expected. */
cadre_error cadre_keyring_add(cadre_keyring *ring, const char *path,
                              cadre_diags *diags);

/* The number of keys, and key `i`'s id and 32-byte public key (owned by
 * the ring). */
size_t cadre_keyring_count(const cadre_keyring *ring);
const char *cadre_keyring_id(const cadre_keyring *ring, size_t i);
const uint8_t *cadre_keyring_public(const cadre_keyring *ring, size_t i);

/* Free a keyring.  NULL is allowed. */
void cadre_keyring_free(cadre_keyring *ring);

/* ----------------------------------------------------------------- seals */

/* What a seal certifies.  Strings are UTF-8 NFC without control
 * characters, at most 255 bytes each; NULL counts as "". */
typedef struct cadre_seal_fields {
    const char *number;       /* the certificate's number, "125/2019/CC" */
    const char *full_name;    /* as printed */
    cadre_date birth;         /* may be a year alone */
    const char *course_title; /* the course's title */
    cadre_date start, end;    /* the course's dates */
    int grade;                /* enum cadre_grade, or CADRE_GRADE_NONE */
    const char *issuer;       /* the body that issues it (the course's
                                 organizer) */
    cadre_date issued;        /* the date of issue */
} cadre_seal_fields;

/* The seal of `f` signed with `key`: the text after '#' in the
 * verification page's address (Base45 with ' ' and '%' written %20 and
 * %25, so every character stays in the QR code's alphanumeric mode).
 * NULL with a message when a field breaks the rules above or memory runs
 * out.  The same fields and key give the same text.  Caller owns the
 * result; free with free(). */
char *cadre_seal_make(const cadre_key *key, const cadre_seal_fields *f,
                      cadre_diags *diags);

/* What reading a seal found, the worst first. */
typedef enum cadre_seal_status {
    CADRE_SEAL_VALID,         /* signed by a trusted key, not revoked */
    CADRE_SEAL_REVOKED,       /* valid, but on the revocation list */
    CADRE_SEAL_UNKNOWN_KEY,   /* well formed, signed by no trusted key */
    CADRE_SEAL_BAD_SIGNATURE, /* changed since it was signed */
    CADRE_SEAL_MALFORMED      /* not a seal, or damaged or cut short */
} cadre_seal_status;

typedef struct cadre_revocation cadre_revocation;
typedef struct cadre_revocations cadre_revocations;

/* A seal read. */
typedef struct cadre_seal {
    cadre_seal_status status;
    const char *why;             /* what is wrong (user's language), or "" */
    bool decoded;                /* the fields below were read (whether or
                                    not the signature holds) */
    char key_id[CADRE_KEY_ID_TEXT]; /* the key it names; "" if not read */
    cadre_seal_fields fields;    /* strings owned by the seal */
    const cadre_revocation *revoked; /* REVOKED: the entry, owned by the
                                        list given */
    char *text;                  /* holds the fields' strings */
} cadre_seal;

/* Read the seal in `text`: a verification address ("https://…/v#…"), or
 * the fragment alone, with or without its '#'.  Checks it against `ring`
 * and, when `revs` is not NULL, the revocation list.  Never fails: the
 * status says what was found.  Release with cadre_seal_release(); `revs`
 * must outlive the seal. */
void cadre_seal_read(cadre_seal *seal, const char *text,
                     const cadre_keyring *ring,
                     const cadre_revocations *revs);

/* Free what the seal holds. */
void cadre_seal_release(cadre_seal *seal);

/* The status as a word: "valid", "revoked", "invalid", in the user's
 * language (i18n.h). */
const char *cadre_seal_status_name(cadre_seal_status status);

/* ----------------------------------------------------------- revocations */

/* One certificate withdrawn. */
struct cadre_revocation {
    const char *number;   /* the certificate's number */
    cadre_date date;      /* when it was revoked, or unset */
    const char *decision; /* the decision's number, or "" */
    const char *reason;   /* why, or "" */
};

/* A new, empty list.  NULL when out of memory.  Free with
 * cadre_revocations_free(). */
cadre_revocations *cadre_revocations_new(void);

/* Add a copy of `r`.  CADRE_EINVALID when a field has a tab, a newline,
 * a control character, invalid UTF-8 or is not NFC, or the number is
 * empty; CADRE_ENOMEM. */
cadre_error cadre_revocations_add(cadre_revocations *list,
                                  const cadre_revocation *r,
                                  cadre_diags *diags);

/* Write the list, dated `made` and signed with `key`, to `path` (through
 * a temporary file: complete or not written). */
cadre_error cadre_revocations_write(const cadre_revocations *list,
                                    const cadre_key *key, cadre_date made,
                                    const char *path, cadre_diags *diags);

/* Read the list at `path` and check its signature against `ring`: NULL
 * with a message when it cannot be read (*err = CADRE_EIO), is damaged
 * or not signed by a trusted key (CADRE_EINVALID).  Caller owns the
 * result. */
cadre_revocations *cadre_revocations_load(const char *path,
                                          const cadre_keyring *ring,
                                          cadre_error *err,
                                          cadre_diags *diags);

/* The entry for certificate `number`, or NULL. */
const cadre_revocation *cadre_revocations_find(const cadre_revocations *list,
                                               const char *number);

/* The number of entries, and entry `i`. */
size_t cadre_revocations_count(const cadre_revocations *list);
const cadre_revocation *cadre_revocations_get(const cadre_revocations *list,
                                              size_t i);

/* The list's date (unset for a list not read from a file). */
cadre_date cadre_revocations_date(const cadre_revocations *list);

/* Free a list.  NULL is allowed. */
void cadre_revocations_free(cadre_revocations *list);

/* ------------------------------------------------------------------ page */

/* Write the verification page to `path`: the page template `tmpl` (NULL:
 * the shipped templates/verify/page.html) with the public keys of `ring`
 * built in.  One HTML file that needs nothing but a browser: it reads the
 * seal from its address's fragment, checks it with WebCrypto's Ed25519,
 * shows every field in Vietnamese, and fetches the revocation list
 * "revocations.txt" beside it.  Its Content-Security-Policy allows its
 * own script and style only (by their SHA-256) and no network but that
 * list.  CADRE_EINVALID for an empty ring or a template without its
 * markers (@TRUSTED_KEYS@, one <script> and one <style> element,
 * @SCRIPT_HASH@ and @STYLE_HASH@); CADRE_EIO when a file cannot be read
 * or written. */
cadre_error cadre_page_write(const cadre_keyring *ring, const char *tmpl,
                             const char *path, cadre_diags *diags);

/* ----------------------------------------------------------------- Base45 */

/* RFC 9285.  cadre_base45_encode writes 3 characters per 2 bytes (2 for
 * a last odd byte) and a NUL; caller owns the result, NULL when out of
 * memory.  cadre_base45_decode returns the bytes (caller owns them) and
 * their number in *len, or NULL when `text` is not Base45. */
char *cadre_base45_encode(const uint8_t *data, size_t len);
uint8_t *cadre_base45_decode(const char *text, size_t text_len, size_t *len);

#endif
