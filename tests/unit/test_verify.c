/* Unit tests of verify.h: Base45, key files, seals, revocation lists. */
#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cadre/codes.h"
#include "cadre/verify.h"
#include "check.h"

/* A fresh folder for the test's files, removed (with what is in it) by
 * clean_dir(). */
static char tmp_dir[256];

static const char *make_dir(void)
{
    const char *t = getenv("TMPDIR");
    snprintf(tmp_dir, sizeof tmp_dir, "%s/test_verify.XXXXXX", t && *t ? t : "/tmp");
    return mkdtemp(tmp_dir);
}

static void clean_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[600];
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.' && (!e->d_name[1] || !strcmp(e->d_name, "..")))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
            clean_dir(path);
        else
            unlink(path);
    }
    if (d)
        closedir(d);
    rmdir(dir);
}

static void write_text(const char *path, const char *text, mode_t mode)
{
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    chmod(path, mode);
}

/* The file's contents (at most 4 KB), NUL-terminated, in `buf`. */
static char *read_text(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "r");
    size_t n = f ? fread(buf, 1, size - 1, f) : 0;
    if (f)
        fclose(f);
    buf[n] = '\0';
    return buf;
}

TEST(base45_rfc9285)
{
    /* the examples of RFC 9285, sections 4.3 and 4.4 */
    static const struct { const char *bytes, *text; } v[] = {
        { "AB", "BB8" }, { "Hello!!", "%69 VD92EX0" },
        { "base-45", "UJCLQE7W581" }, { "ietf!", "QED8WEX0" }, { "", "" },
    };
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
        char *t = cadre_base45_encode((const uint8_t *)v[i].bytes, strlen(v[i].bytes));
        CHECK_STR(t, v[i].text);
        free(t);
        size_t n = 99;
        uint8_t *b = cadre_base45_decode(v[i].text, strlen(v[i].text), &n);
        CHECK(b != NULL);
        CHECK_INT(n, strlen(v[i].bytes));
        CHECK(b && memcmp(b, v[i].bytes, n) == 0);
        free(b);
    }
    /* every byte value and both lengths' parity survive the round trip */
    uint8_t all[256];
    for (int i = 0; i < 256; i++)
        all[i] = (uint8_t)(255 - i);
    for (size_t len = 250; len <= 256; len++) {
        char *t = cadre_base45_encode(all, len);
        size_t n;
        uint8_t *b = cadre_base45_decode(t, strlen(t), &n);
        CHECK_INT(n, len);
        CHECK(b && memcmp(b, all, len) == 0);
        free(t);
        free(b);
    }
}

TEST(base45_refuses)
{
    size_t n;
    CHECK(!cadre_base45_decode("GGW", 3, &n));      /* 65536: above two bytes */
    CHECK(!cadre_base45_decode("ZZ", 2, &n));       /* 1610: above one byte */
    CHECK(!cadre_base45_decode("BB8A", 4, &n));     /* a lone last character */
    CHECK(!cadre_base45_decode("qed8wex0", 8, &n)); /* lower case */
    CHECK(!cadre_base45_decode("QED#WEX0", 8, &n));
    CHECK(!cadre_base45_decode("QE\0", 3, &n));
    uint8_t *b = cadre_base45_decode("FGW", 3, &n); /* 65535 */
    CHECK(b && n == 2 && b[0] == 0xFF && b[1] == 0xFF);
    free(b);
}

TEST(key_files)
{
    const char *dir = make_dir();
    CHECK(dir != NULL);
    char sub[512], id[CADRE_KEY_ID_TEXT], path[600], text[4096];
    snprintf(sub, sizeof sub, "%s/keys", dir);
    mode_t mask = umask(022);
    CHECK_INT(cadre_key_generate(sub, id, NULL), CADRE_OK);
    umask(mask);
    CHECK_INT(strlen(id), 16);
    struct stat st;
    CHECK(stat(sub, &st) == 0 && (st.st_mode & 0777) == 0700);
    snprintf(path, sizeof path, "%s/%s.key", sub, id);
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
    cadre_key *key = cadre_key_load(path, NULL);
    CHECK(key != NULL);
    CHECK_STR(key ? cadre_key_id(key) : NULL, id);
    cadre_key_free(key);

    /* the public file: readable by all, trusted; its secret twin is not */
    snprintf(path, sizeof path, "%s/%s.pub", sub, id);
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0644);
    cadre_keyring *ring = cadre_keyring_new();
    CHECK_INT(cadre_keyring_add(ring, sub, NULL), CADRE_OK);
    CHECK_INT(cadre_keyring_add(ring, path, NULL), CADRE_OK); /* once only */
    CHECK_INT(cadre_keyring_count(ring), 1);
    CHECK_STR(cadre_keyring_id(ring, 0), id);
    CHECK(!cadre_key_load(path, NULL)); /* a public key is no secret key */
    snprintf(path, sizeof path, "%s/%s.key", sub, id);
    cadre_diags diags;
    cadre_diags_init(&diags, 10);
    CHECK_INT(cadre_keyring_add(ring, path, &diags), CADRE_EINVALID);
    CHECK(diags.count == 1 && strstr(diags.items[0].message, "a secret key"));
    cadre_diags_release(&diags);

    /* a secret key others may read is refused, and says so */
    chmod(path, 0640);
    CHECK(!cadre_key_load(path, &diags));
    CHECK(diags.count == 1 && strstr(diags.items[0].message, "mode 0640"));
    cadre_diags_release(&diags);

    /* a changed seed no longer matches its public key and id */
    chmod(path, 0600);
    read_text(path, text, sizeof text);
    char *seed = strstr(text, "seed ") + 5;
    seed[0] = seed[0] == '0' ? '1' : '0';
    write_text(path, text, 0600);
    CHECK(!cadre_key_load(path, &diags));
    CHECK(diags.count == 1 && strstr(diags.items[0].message, "do not match"));
    cadre_diags_release(&diags);

    /* a public key whose id was edited is refused */
    snprintf(path, sizeof path, "%s/%s.pub", sub, id);
    read_text(path, text, sizeof text);
    char *idl = strstr(text, "id ") + 3;
    idl[0] = idl[0] == 'a' ? 'b' : 'a';
    write_text(path, text, 0644);
    cadre_keyring *ring2 = cadre_keyring_new();
    CHECK_INT(cadre_keyring_add(ring2, path, NULL), CADRE_EINVALID);
    CHECK_INT(cadre_keyring_count(ring2), 0);
    /* a folder without public keys is an unreadable input */
    snprintf(path, sizeof path, "%s/empty", dir);
    mkdir(path, 0700);
    CHECK_INT(cadre_keyring_add(ring2, path, NULL), CADRE_EIO);
    CHECK_INT(cadre_keyring_add(ring2, "/nonexistent/k.pub", NULL), CADRE_EIO);
    cadre_keyring_free(ring2);
    cadre_keyring_free(ring);
    clean_dir(dir);
}

/* A key pair in `dir`/NAME, loaded; its public key added to `ring`. */
static cadre_key *new_key(const char *dir, const char *name, cadre_keyring *ring)
{
    char sub[512], id[CADRE_KEY_ID_TEXT], path[600];
    snprintf(sub, sizeof sub, "%s/%s", dir, name);
    if (cadre_key_generate(sub, id, NULL) != CADRE_OK)
        return NULL;
    if (ring)
        cadre_keyring_add(ring, sub, NULL);
    snprintf(path, sizeof path, "%s/%s.key", sub, id);
    return cadre_key_load(path, NULL);
}

static const cadre_seal_fields sample = {
    .number = "125/2019/CC",
    .full_name = "Nguyễn Thị Hương",
    .birth = { 1971, 5, 14 },
    .course_title = "Trung cấp lý luận chính trị – hành chính",
    .start = { 2018, 9, 10 },
    .end = { 2019, 6, 28 },
    .grade = CADRE_GRADE_KHA,
    .issuer = "Trường Chính trị tỉnh Lạng Sơn",
    .issued = { 2019, 7, 5 },
};

static bool same_date(cadre_date a, cadre_date b)
{
    return a.year == b.year && a.month == b.month && a.day == b.day;
}

TEST(seal_round_trip)
{
    const char *dir = make_dir();
    cadre_keyring *ring = cadre_keyring_new();
    cadre_key *key = new_key(dir, "a", ring);
    CHECK(key != NULL);
    char *frag = cadre_seal_make(key, &sample, NULL);
    CHECK(frag != NULL);
    /* only what the alphanumeric mode holds, and no bare space or '%' */
    for (const char *p = frag; p && *p; p++)
        CHECK(strchr("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ$%*+-./:", *p));
    char *again = cadre_seal_make(key, &sample, NULL);
    CHECK_STR(again, frag); /* Ed25519 is deterministic: same PDF bytes */
    free(again);

    char url[2048];
    snprintf(url, sizeof url, "https://chung-nhan.example/v/#%s", frag);
    cadre_seal s;
    cadre_seal_read(&s, url, ring, NULL);
    CHECK_INT(s.status, CADRE_SEAL_VALID);
    CHECK(s.decoded);
    CHECK_STR(s.key_id, cadre_key_id(key));
    CHECK_STR(s.fields.number, sample.number);
    CHECK_STR(s.fields.full_name, sample.full_name);
    CHECK_STR(s.fields.course_title, sample.course_title);
    CHECK_STR(s.fields.issuer, sample.issuer);
    CHECK(same_date(s.fields.birth, sample.birth));
    CHECK(same_date(s.fields.start, sample.start));
    CHECK(same_date(s.fields.end, sample.end));
    CHECK(same_date(s.fields.issued, sample.issued));
    CHECK_INT(s.fields.grade, CADRE_GRADE_KHA);
    cadre_seal_release(&s);
    /* the fragment alone, with or without '#' */
    cadre_seal_read(&s, frag, ring, NULL);
    CHECK_INT(s.status, CADRE_SEAL_VALID);
    cadre_seal_release(&s);

    /* a year alone, no grade, empty texts */
    cadre_seal_fields f = { .number = "1", .birth = { 1985, 0, 0 },
                            .grade = CADRE_GRADE_NONE };
    char *g = cadre_seal_make(key, &f, NULL);
    cadre_seal_read(&s, g, ring, NULL);
    CHECK_INT(s.status, CADRE_SEAL_VALID);
    CHECK(same_date(s.fields.birth, f.birth));
    CHECK(!cadre_date_is_set(s.fields.issued));
    CHECK_INT(s.fields.grade, CADRE_GRADE_NONE);
    CHECK_STR(s.fields.full_name, "");
    cadre_seal_release(&s);
    free(g);
    free(frag);
    cadre_key_free(key);
    cadre_keyring_free(ring);
    clean_dir(dir);
}

/* The bytes of a seal's fragment: its escapes undone, Base45 decoded. */
static uint8_t *seal_bytes(const char *frag, size_t *n)
{
    char *plain = strdup(frag), *o = plain;
    for (const char *p = frag; *p; p++) {
        if (p[0] == '%' && p[1] == '2') {
            *o++ = p[2] == '0' ? ' ' : '%';
            p += 2;
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
    uint8_t *b = cadre_base45_decode(plain, strlen(plain), n);
    free(plain);
    return b;
}

/* The fragment of `n` bytes: Base45 with ' ' and '%' escaped. */
static char *seal_text(const uint8_t *bytes, size_t n)
{
    char *b45 = cadre_base45_encode(bytes, n);
    char *out = malloc(3 * strlen(b45) + 1), *o = out;
    for (const char *p = b45; *p; p++)
        if (*p == ' ' || *p == '%') {
            memcpy(o, *p == ' ' ? "%20" : "%25", 3);
            o += 3;
        } else {
            *o++ = *p;
        }
    *o = '\0';
    free(b45);
    return out;
}

TEST(seal_forgeries)
{
    const char *dir = make_dir();
    cadre_keyring *ring = cadre_keyring_new();
    cadre_key *key = new_key(dir, "a", ring), *other = new_key(dir, "b", NULL);
    char *frag = cadre_seal_make(key, &sample, NULL);
    cadre_seal s;

    /* every character changed to one in seven of the others (which ones
     * shifts with the position, so every substitute is tried): never
     * valid */
    static const char b45[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ$*+-./:";
    size_t len = strlen(frag), valid = 0, tried = 0;
    char *copy = strdup(frag);
    for (size_t i = 0; i < len; i++) {
        if (frag[i] == '%') { /* an escape: change what it stands for */
            i += 2;
            continue;
        }
        for (const char *c = b45 + i % 7; c < b45 + sizeof b45 - 1; c += 7) {
            if (*c == frag[i])
                continue;
            copy[i] = *c;
            cadre_seal_read(&s, copy, ring, NULL);
            valid += s.status == CADRE_SEAL_VALID;
            tried++;
            cadre_seal_release(&s);
        }
        copy[i] = frag[i];
    }
    CHECK(tried > 1000);
    CHECK_INT(valid, 0);
    /* cut short anywhere: never valid, and never a crash */
    for (size_t n = 0; n < len; n++) {
        copy[n] = '\0';
        cadre_seal_read(&s, copy, ring, NULL);
        valid += s.status == CADRE_SEAL_VALID;
        cadre_seal_release(&s);
        copy[n] = frag[n];
    }
    CHECK_INT(valid, 0);
    free(copy);

    /* a changed name, sealed by another key: its key is not trusted */
    cadre_seal_fields f = sample;
    f.full_name = "Nguyễn Thị Hường";
    char *forged = cadre_seal_make(other, &f, NULL);
    cadre_seal_read(&s, forged, ring, NULL);
    CHECK_INT(s.status, CADRE_SEAL_UNKNOWN_KEY);
    CHECK_STR(s.fields.full_name, "Nguyễn Thị Hường"); /* shown as a claim */
    cadre_seal_release(&s);
    free(forged);
    /* the bytes of the seal with one letter of the name changed, and the
     * seal of the changed name by another key given the trusted key's
     * id: the signature does not match */
    size_t n;
    uint8_t *bytes = seal_bytes(frag, &n);
    uint8_t *at = NULL;
    for (size_t i = 0; bytes && !at && i + 3 < n; i++)
        if (!memcmp(bytes + i, "Hương", 3))
            at = bytes + i;
    CHECK(at != NULL);
    if (at)
        at[0] = 'L';
    char *changed = seal_text(bytes, n);
    cadre_seal_read(&s, changed, ring, NULL);
    CHECK_INT(s.status, CADRE_SEAL_BAD_SIGNATURE);
    CHECK_STR(s.fields.full_name, "Nguyễn Thị Lương");
    cadre_seal_release(&s);
    free(changed);
    free(bytes);
    forged = cadre_seal_make(other, &f, NULL);
    size_t fn, kn;
    uint8_t *fb = seal_bytes(forged, &fn), *kb = seal_bytes(frag, &kn);
    memcpy(fb + 1, kb + 1, CADRE_KEY_ID_SIZE);
    changed = seal_text(fb, fn);
    cadre_seal_read(&s, changed, ring, NULL);
    CHECK_INT(s.status, CADRE_SEAL_BAD_SIGNATURE);
    cadre_seal_release(&s);
    free(changed);
    free(fb);
    free(kb);
    free(forged);

    cadre_seal_read(&s, "#%", ring, NULL);
    CHECK_INT(s.status, CADRE_SEAL_MALFORMED);
    cadre_seal_release(&s);
    cadre_seal_read(&s, "https://example.org/", ring, NULL);
    CHECK_INT(s.status, CADRE_SEAL_MALFORMED);
    cadre_seal_release(&s);
    /* no key trusted at all */
    cadre_seal_read(&s, frag, NULL, NULL);
    CHECK_INT(s.status, CADRE_SEAL_UNKNOWN_KEY);
    cadre_seal_release(&s);

    /* fields the form cannot hold */
    char long_name[300];
    memset(long_name, 'a', 256);
    long_name[256] = '\0';
    f = sample;
    f.full_name = long_name;
    CHECK(!cadre_seal_make(key, &f, NULL));
    f.full_name = "Nguye\xCC\x82\xCC\x83n"; /* NFD */
    CHECK(!cadre_seal_make(key, &f, NULL));
    f.full_name = "a\tb";
    CHECK(!cadre_seal_make(key, &f, NULL));
    long_name[255] = '\0';
    f.full_name = long_name;
    char *longest = cadre_seal_make(key, &f, NULL);
    cadre_seal_read(&s, longest, ring, NULL);
    CHECK_INT(s.status, CADRE_SEAL_VALID);
    cadre_seal_release(&s);
    free(longest);
    free(frag);
    cadre_key_free(key);
    cadre_key_free(other);
    cadre_keyring_free(ring);
    clean_dir(dir);
}

/* Replace the first `from` in the file at `path` by `to` (same length). */
static void patch_file(const char *path, const char *from, const char *to)
{
    char text[4096];
    read_text(path, text, sizeof text);
    char *at = strstr(text, from);
    CHECK(at != NULL);
    if (at)
        memcpy(at, to, strlen(to));
    write_text(path, text, 0644);
}

TEST(revocation_lists)
{
    const char *dir = make_dir();
    cadre_keyring *ring = cadre_keyring_new();
    cadre_key *key = new_key(dir, "a", ring), *other = new_key(dir, "b", NULL);
    cadre_revocations *list = cadre_revocations_new();
    cadre_revocation r = { "125/2019/CC", { 2020, 3, 2 }, "15/QĐ-TTCT",
                           "Cấp nhầm người" };
    CHECK_INT(cadre_revocations_add(list, &r, NULL), CADRE_OK);
    CHECK_INT(cadre_revocations_add(list, &r, NULL), CADRE_EINVALID); /* twice */
    cadre_revocation bad = { "7/2019/CC", { 0 }, "a\tb", NULL };
    CHECK_INT(cadre_revocations_add(list, &bad, NULL), CADRE_EINVALID);
    cadre_revocation plain = { "7/2019/CC", { 0 }, NULL, NULL };
    CHECK_INT(cadre_revocations_add(list, &plain, NULL), CADRE_OK);
    char path[600], text[4096];
    snprintf(path, sizeof path, "%s/revocations.txt", dir);
    CHECK_INT(cadre_revocations_write(list, key, (cadre_date){ 2020, 3, 5 }, path, NULL), CADRE_OK);
    cadre_revocations_free(list);
    read_text(path, text, sizeof text);
    CHECK(!strncmp(text, "cadrekit revocations 1\ndate 2020-03-05\n"
                         "revoked\t125/2019/CC\t2020-03-02\t15/QĐ-TTCT\tCấp nhầm người\n"
                         "revoked\t7/2019/CC\t\t\t\nsignature ", 120));

    cadre_error err;
    list = cadre_revocations_load(path, ring, &err, NULL);
    CHECK(list != NULL);
    CHECK_INT(cadre_revocations_count(list), 2);
    CHECK(same_date(cadre_revocations_date(list), (cadre_date){ 2020, 3, 5 }));
    const cadre_revocation *got = cadre_revocations_find(list, "125/2019/CC");
    CHECK_STR(got ? got->reason : NULL, "Cấp nhầm người");
    CHECK(!cadre_revocations_find(list, "126/2019/CC"));

    /* a seal of a revoked certificate reads as revoked, with its entry */
    char *frag = cadre_seal_make(key, &sample, NULL);
    cadre_seal s;
    cadre_seal_read(&s, frag, ring, list);
    CHECK_INT(s.status, CADRE_SEAL_REVOKED);
    CHECK(s.revoked == got);
    cadre_seal_release(&s);
    free(frag);
    cadre_revocations_free(list);

    /* not trusted: read with a ring that lacks the key */
    cadre_keyring *empty = cadre_keyring_new();
    CHECK(!cadre_revocations_load(path, empty, &err, NULL));
    CHECK_INT(err, CADRE_EINVALID);
    cadre_keyring_free(empty);
    /* a certificate taken off the list: the signature no longer holds */
    patch_file(path, "125/2019/CC", "126/2019/CC");
    cadre_diags diags;
    cadre_diags_init(&diags, 10);
    CHECK(!cadre_revocations_load(path, ring, &err, &diags));
    CHECK(diags.count == 1 && strstr(diags.items[0].message, "signature does not match"));
    cadre_diags_release(&diags);
    /* signed by a key not trusted */
    list = cadre_revocations_new();
    snprintf(path, sizeof path, "%s/other.txt", dir); /* a new output */
    CHECK_INT(cadre_revocations_write(list, other, (cadre_date){ 2020, 3, 5 }, path, NULL), CADRE_OK);
    CHECK(!cadre_revocations_load(path, ring, &err, NULL));
    cadre_revocations_free(list);
    /* unreadable, cut short */
    CHECK(!cadre_revocations_load("/nonexistent", ring, &err, NULL));
    CHECK_INT(err, CADRE_EIO);
    write_text(path, "cadrekit revocations 1\ndate 2020-03-05\n", 0644);
    CHECK(!cadre_revocations_load(path, ring, &err, NULL));
    CHECK_INT(err, CADRE_EINVALID);
    cadre_key_free(key);
    cadre_key_free(other);
    cadre_keyring_free(ring);
    clean_dir(dir);
}

int main(void)
{
    RUN(base45_rfc9285);
    RUN(base45_refuses);
    RUN(key_files);
    RUN(seal_round_trip);
    RUN(seal_forgeries);
    RUN(revocation_lists);
    return check_done();
}
