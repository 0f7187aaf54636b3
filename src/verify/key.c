/* key.c - Ed25519 key pairs in files, and the keyring of trusted public
 * keys (verify.h; the file formats are in docs/verify.md). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cadre/files.h"
#include "cadre/i18n.h"
#include "cadre/text.h"
#include "util/grow.h"
#include "verify_internal.h"

/* First lines of the two files: what they are, and the format's version. */
static const char secret_magic[] = "cadrekit ed25519 secret key 1\n";
static const char public_magic[] = "cadrekit ed25519 public key 1\n";

/* A key file is a few lines: nothing legitimate comes near this. */
#define KEY_FILE_MAX 4096

bool verify_sodium_ready(cadre_diags *diags)
{
    if (sodium_init() >= 0)
        return true;
    cadre_diags_error(diags, NULL, 0, "cannot start libsodium");
    return false;
}

void verify_key_id(const uint8_t public[crypto_sign_PUBLICKEYBYTES],
                   uint8_t id[CADRE_KEY_ID_SIZE])
{
    uint8_t hash[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(hash, public, crypto_sign_PUBLICKEYBYTES);
    memcpy(id, hash, CADRE_KEY_ID_SIZE);
}

void verify_hex(const uint8_t *data, size_t len, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < len; i++) {
        out[2 * i] = digits[data[i] >> 4];
        out[2 * i + 1] = digits[data[i] & 15];
    }
    out[2 * len] = '\0';
}

static int nibble(char c)
{
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

bool verify_unhex(const char *text, size_t text_len, uint8_t *out, size_t len)
{
    if (text_len != 2 * len)
        return false;
    for (size_t i = 0; i < len; i++) {
        int hi = nibble(text[2 * i]), lo = nibble(text[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return false;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return true;
}

bool verify_text_ok(const char *s, size_t len)
{
    if (memchr(s, '\t', len) || memchr(s, '\n', len) ||
        cadre_text_check(s, len, NULL, NULL) != CADRE_TEXT_OK)
        return false;
    if (cadre_text_is_nfc(s, len))
        return true;
    size_t n;
    char *nfc = cadre_text_nfc(s, len, &n);
    bool same = nfc && n == len && memcmp(nfc, s, len) == 0;
    free(nfc);
    return same;
}

/* ------------------------------------------------------------ key files */

/* The value of the line "NAME VALUE" in a key file's text, its length in
 * *len; NULL when there is no such line. */
static const char *field(const char *text, const char *name, size_t *len)
{
    size_t n = strlen(name);
    for (const char *p = text; p; p = strchr(p, '\n')) {
        p += *p == '\n';
        if (!strncmp(p, name, n) && p[n] == ' ') {
            const char *v = p + n + 1, *end = strchr(v, '\n');
            *len = end ? (size_t)(end - v) : strlen(v);
            return v;
        }
    }
    return NULL;
}

/* Read the hex value of field `name` of `len` bytes. */
static bool hex_field(const char *text, const char *name, uint8_t *out,
                      size_t len)
{
    size_t n;
    const char *v = field(text, name, &n);
    return v && verify_unhex(v, n, out, len);
}

/* Write `data` to the new file `path` with `mode`: through a temporary
 * file made exclusively (O_EXCL, mode 0600, so that a secret is never
 * readable by others, not even for a moment), then hard-linked to its
 * name, which fails rather than replace a file. */
static cadre_error write_new(const char *dir, const char *name,
                             const char *data, mode_t mode,
                             cadre_diags *diags)
{
    size_t size = strlen(dir) + strlen(name) + 16;
    char *path = malloc(size), *tmp = malloc(size);
    if (!path || !tmp) {
        free(path);
        free(tmp);
        cadre_diags_error(diags, NULL, 0, "out of memory");
        return CADRE_ENOMEM;
    }
    snprintf(path, size, "%s/%s", dir, name);
    snprintf(tmp, size, "%s/.%s.XXXXXX", dir, name);
    cadre_error err = CADRE_EIO;
    int fd = mkstemp(tmp); /* O_CREAT | O_EXCL, mode 0600 */
    if (fd < 0) {
        cadre_diags_error(diags, NULL, 0, "cannot write '%s': %s", path,
                          strerror(errno));
        goto done;
    }
    size_t len = strlen(data);
    mode_t mask = umask(0);
    umask(mask);
    bool ok = (mode == 0600 || fchmod(fd, mode & ~mask) == 0) &&
              write(fd, data, len) == (ssize_t)len && fsync(fd) == 0;
    int saved = errno;
    if (close(fd) != 0 && ok) {
        ok = false;
        saved = errno;
    }
    if (ok && link(tmp, path) != 0) {
        ok = false;
        saved = errno;
    }
    unlink(tmp);
    if (ok)
        err = CADRE_OK;
    else
        cadre_diags_error(diags, NULL, 0, "cannot write '%s': %s", path,
                          strerror(saved));
done:
    free(path);
    free(tmp);
    return err;
}

cadre_error cadre_key_generate(const char *dir, char id[CADRE_KEY_ID_TEXT],
                               cadre_diags *diags)
{
    if (!verify_sodium_ready(diags))
        return CADRE_EIO;
    struct stat st;
    bool made = false;
    if (mkdir(dir, 0700) == 0)
        made = true;
    else if (errno != EEXIST) {
        cadre_diags_error(diags, NULL, 0, "cannot create directory '%s': %s",
                          dir, strerror(errno));
        return CADRE_EIO;
    }
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        cadre_diags_error(diags, NULL, 0, "'%s' is not a directory", dir);
        return CADRE_EIO;
    }
    cadre_key key;
    uint8_t raw_id[CADRE_KEY_ID_SIZE];
    crypto_sign_keypair(key.public, key.secret);
    verify_key_id(key.public, raw_id);
    verify_hex(raw_id, sizeof raw_id, key.id);

    /* The secret file holds the seed (the first half of libsodium's
     * secret key): the rest is derived from it. */
    char seed[2 * crypto_sign_SEEDBYTES + 1], pub[2 * crypto_sign_PUBLICKEYBYTES + 1];
    verify_hex(key.secret, crypto_sign_SEEDBYTES, seed);
    verify_hex(key.public, sizeof key.public, pub);
    char secret_text[512], public_text[512], name[CADRE_KEY_ID_TEXT + 8];
    snprintf(secret_text, sizeof secret_text,
             "%s# Keep this file secret: whoever holds it can seal "
             "certificates.\nid %s\npublic %s\nseed %s\n",
             secret_magic, key.id, pub, seed);
    snprintf(public_text, sizeof public_text, "%sid %s\npublic %s\n",
             public_magic, key.id, pub);
    snprintf(name, sizeof name, "%s.key", key.id);
    cadre_error err = write_new(dir, name, secret_text, 0600, diags);
    if (err == CADRE_OK) {
        snprintf(name, sizeof name, "%s.pub", key.id);
        err = write_new(dir, name, public_text, 0644, diags);
        if (err != CADRE_OK) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s.key", dir, key.id);
            unlink(path);
        }
    }
    if (err == CADRE_OK)
        memcpy(id, key.id, CADRE_KEY_ID_TEXT);
    else if (made)
        rmdir(dir);
    sodium_memzero(&key, sizeof key);
    sodium_memzero(seed, sizeof seed);
    sodium_memzero(secret_text, sizeof secret_text);
    return err;
}

/* Check that the text's "id" line names `public`. */
static bool id_matches(const char *text, const uint8_t *public)
{
    uint8_t want[CADRE_KEY_ID_SIZE], got[CADRE_KEY_ID_SIZE];
    verify_key_id(public, want);
    return hex_field(text, "id", got, sizeof got) &&
           memcmp(want, got, sizeof got) == 0;
}

cadre_key *cadre_key_load(const char *path, cadre_diags *diags)
{
    if (!verify_sodium_ready(diags))
        return NULL;
    struct stat st;
    bool exposed = stat(path, &st) == 0 && (st.st_mode & 077);
    size_t len;
    cadre_error err;
    char *text = cadre_file_read(path, "secret key", KEY_FILE_MAX, &len,
                                 &err, diags);
    if (!text)
        return NULL;
    cadre_key *key = sodium_malloc(sizeof *key);
    uint8_t seed[crypto_sign_SEEDBYTES], public[crypto_sign_PUBLICKEYBYTES];
    const char *why = NULL;
    if (!key)
        why = CADRE_N_("out of memory");
    else if (!strncmp(text, public_magic, sizeof public_magic - 1))
        why = CADRE_N_("a public key, not a secret one");
    else if (strncmp(text, secret_magic, sizeof secret_magic - 1) ||
             strlen(text) != len)
        why = CADRE_N_("not a cadrekit secret key");
    else if (exposed) {
        cadre_diags_error(diags, NULL, 0,
                          "secret key '%s' may be read by others (mode %04o): "
                          "make a new key if it may have leaked, else "
                          "chmod 600 it",
                          path, (unsigned)(st.st_mode & 07777));
        why = "";
    } else if (!hex_field(text, "seed", seed, sizeof seed) ||
             !hex_field(text, "public", public, sizeof public))
        why = CADRE_N_("damaged: no seed or public line of 64 hex digits");
    if (!why) {
        crypto_sign_seed_keypair(key->public, key->secret, seed);
        if (memcmp(public, key->public, sizeof public) || !id_matches(text, public))
            why = CADRE_N_("damaged: its seed, public key and id do not match");
        uint8_t raw[CADRE_KEY_ID_SIZE];
        verify_key_id(key->public, raw);
        verify_hex(raw, sizeof raw, key->id);
    }
    sodium_memzero(seed, sizeof seed);
    sodium_memzero(text, len);
    free(text);
    if (why) {
        if (*why)
            cadre_diags_error(diags, NULL, 0, "secret key '%s' is %s", path,
                              cadre_gettext(why));
        cadre_key_free(key);
        return NULL;
    }
    return key;
}

void cadre_key_free(cadre_key *key)
{
    if (key)
        sodium_free(key); /* wipes it */
}

const char *cadre_key_id(const cadre_key *key)
{
    return key->id;
}

/* --------------------------------------------------------------- keyring */

struct ring_key {
    char id[CADRE_KEY_ID_TEXT];                 /* hex id */
    uint8_t raw_id[CADRE_KEY_ID_SIZE];          /* the id as a seal holds it */
    uint8_t public[crypto_sign_PUBLICKEYBYTES]; /* the key */
};

struct cadre_keyring {
    struct ring_key *keys; /* in the order added, each key once */
    size_t n, cap;
};

cadre_keyring *cadre_keyring_new(void)
{
    return calloc(1, sizeof(cadre_keyring));
}

void cadre_keyring_free(cadre_keyring *ring)
{
    if (!ring)
        return;
    free(ring->keys);
    free(ring);
}

size_t cadre_keyring_count(const cadre_keyring *ring)
{
    return ring ? ring->n : 0;
}

const char *cadre_keyring_id(const cadre_keyring *ring, size_t i)
{
    return ring->keys[i].id;
}

const uint8_t *cadre_keyring_public(const cadre_keyring *ring, size_t i)
{
    return ring->keys[i].public;
}

const uint8_t *verify_keyring_find(const cadre_keyring *ring,
                                   const uint8_t id[CADRE_KEY_ID_SIZE])
{
    for (size_t i = 0; ring && i < ring->n; i++)
        if (!memcmp(ring->keys[i].raw_id, id, CADRE_KEY_ID_SIZE))
            return ring->keys[i].public;
    return NULL;
}

/* Add the public key file at `path`. */
static cadre_error add_file(cadre_keyring *ring, const char *path,
                            cadre_diags *diags)
{
    size_t len;
    cadre_error err;
    char *text = cadre_file_read(path, "public key", KEY_FILE_MAX, &len,
                                 &err, diags);
    if (!text)
        return err;
    struct ring_key k;
    const char *why = NULL;
    if (!strncmp(text, secret_magic, sizeof secret_magic - 1))
        why = CADRE_N_("a secret key: trust its .pub file, and keep the "
                       ".key file away from where certificates are "
                       "checked");
    else if (strncmp(text, public_magic, sizeof public_magic - 1) ||
             strlen(text) != len)
        why = CADRE_N_("not a cadrekit public key");
    else if (!hex_field(text, "public", k.public, sizeof k.public))
        why = CADRE_N_("damaged: no public line of 64 hex digits");
    else if (!id_matches(text, k.public))
        why = CADRE_N_("damaged: its id is not that of its key");
    if (!strncmp(text, secret_magic, sizeof secret_magic - 1))
        sodium_memzero(text, len);
    free(text);
    if (why) {
        cadre_diags_error(diags, NULL, 0, "key file '%s' is %s", path,
                          cadre_gettext(why));
        return CADRE_EINVALID;
    }
    verify_key_id(k.public, k.raw_id);
    verify_hex(k.raw_id, sizeof k.raw_id, k.id);
    if (verify_keyring_find(ring, k.raw_id))
        return CADRE_OK; /* the same key twice: ids are hashes of keys */
    if (!GROW(ring->keys, ring->cap, ring->n + 1)) {
        cadre_diags_error(diags, NULL, 0, "out of memory");
        return CADRE_ENOMEM;
    }
    ring->keys[ring->n++] = k;
    return CADRE_OK;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

cadre_error cadre_keyring_add(cadre_keyring *ring, const char *path,
                              cadre_diags *diags)
{
    if (!verify_sodium_ready(diags))
        return CADRE_EIO;
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return add_file(ring, path, diags);
    DIR *d = opendir(path);
    if (!d) {
        cadre_diags_error(diags, NULL, 0, "cannot open directory '%s': %s",
                          path, strerror(errno));
        return CADRE_EIO;
    }
    /* In name order, so that the page lists keys the same every time. */
    char **names = NULL;
    size_t n = 0, cap = 0;
    cadre_error err = CADRE_OK;
    struct dirent *e;
    while ((e = readdir(d)) && err == CADRE_OK) {
        size_t len = strlen(e->d_name);
        if (len <= 4 || e->d_name[0] == '.' || strcmp(e->d_name + len - 4, ".pub"))
            continue;
        if (!GROW(names, cap, n + 1) || !(names[n] = strdup(e->d_name)))
            err = CADRE_ENOMEM;
        else
            n++;
    }
    closedir(d);
    if (names)
        qsort(names, n, sizeof *names, name_cmp);
    for (size_t i = 0; i < n && err == CADRE_OK; i++) {
        size_t size = strlen(path) + strlen(names[i]) + 2;
        char *file = malloc(size);
        if (!file) {
            err = CADRE_ENOMEM;
            break;
        }
        snprintf(file, size, "%s/%s", path, names[i]);
        err = add_file(ring, file, diags);
        free(file);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    if (err == CADRE_ENOMEM)
        cadre_diags_error(diags, NULL, 0, "out of memory");
    else if (err == CADRE_OK && n == 0) {
        cadre_diags_error(diags, NULL, 0,
                          "no public key (*.pub) in directory '%s'", path);
        err = CADRE_EIO;
    }
    return err;
}
