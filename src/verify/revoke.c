/* revoke.c - signed revocation lists: the certificates an office has
 * withdrawn, as a text file that cadre-verify and the page read
 * (verify.h; the format is in docs/verify.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadre/files.h"
#include "cadre/i18n.h"
#include "util/grow.h"
#include "util/strmap.h"
#include "verify_internal.h"

static const char magic[] = "cadrekit revocations 1\n";
static const char sig_tag[] = "signature ";

/* A province's register holds a few hundred thousand certificates: a
 * list of all of them is some tens of MB. */
#define LIST_MAX (256u << 20)

struct cadre_revocations {
    cadre_revocation *items; /* in the order added or read */
    size_t n, cap;
    strmap by_number;        /* number -> index */
    cadre_date made;         /* the list's date, when read */
    char *text;              /* a list read: the file, holding its strings */
    bool copied;             /* a list built: every string is its own copy */
};

cadre_revocations *cadre_revocations_new(void)
{
    cadre_revocations *list = calloc(1, sizeof *list);
    if (list) {
        strmap_init(&list->by_number);
        list->copied = true;
    }
    return list;
}

void cadre_revocations_free(cadre_revocations *list)
{
    if (!list)
        return;
    for (size_t i = 0; list->copied && i < list->n; i++) {
        free((char *)list->items[i].number);
        free((char *)list->items[i].decision);
        free((char *)list->items[i].reason);
    }
    free(list->items);
    strmap_release(&list->by_number);
    free(list->text);
    free(list);
}

size_t cadre_revocations_count(const cadre_revocations *list)
{
    return list->n;
}

const cadre_revocation *cadre_revocations_get(const cadre_revocations *list,
                                              size_t i)
{
    return &list->items[i];
}

cadre_date cadre_revocations_date(const cadre_revocations *list)
{
    return list->made;
}

const cadre_revocation *cadre_revocations_find(const cadre_revocations *list,
                                               const char *number)
{
    uint32_t i;
    return list && number && strmap_get(&list->by_number, number, &i)
               ? &list->items[i]
               : NULL;
}

/* Append `r` (its strings kept as they are) and index its number; the
 * message says why not. */
static cadre_error append(cadre_revocations *list, cadre_revocation r,
                          const char **why)
{
    if (!GROW(list->items, list->cap, list->n + 1)) {
        *why = CADRE_N_("out of memory");
        return CADRE_ENOMEM;
    }
    list->items[list->n] = r;
    int put = strmap_put(&list->by_number, r.number, (uint32_t)list->n, NULL);
    if (put <= 0) {
        *why = put < 0 ? "out of memory" : "names a certificate listed before";
        return put < 0 ? CADRE_ENOMEM : CADRE_EINVALID;
    }
    list->n++;
    return CADRE_OK;
}

cadre_error cadre_revocations_add(cadre_revocations *list,
                                  const cadre_revocation *r,
                                  cadre_diags *diags)
{
    const char *texts[3] = { r->number, r->decision ? r->decision : "",
                             r->reason ? r->reason : "" };
    static const char *const what[3] = { CADRE_N_("number"),
                                         CADRE_N_("decision"),
                                         CADRE_N_("reason") };
    for (int i = 0; i < 3; i++)
        if (!texts[i] || !verify_text_ok(texts[i], strlen(texts[i])) ||
            (i == 0 && !*texts[i])) {
            cadre_diags_error(diags, NULL, 0,
                              "cannot list the revocation of '%s': its %s %s",
                              r->number ? r->number : "",
                              cadre_gettext(what[i]),
                              i == 0 && texts[i] && !*texts[i]
                                  ? cadre_gettext("is empty")
                                  : cadre_gettext("is not NFC UTF-8 text on "
                                                  "one line"));
            return CADRE_EINVALID;
        }
    cadre_revocation copy = { strdup(texts[0]), r->date, strdup(texts[1]),
                              strdup(texts[2]) };
    const char *why = CADRE_N_("out of memory");
    cadre_error err = copy.number && copy.decision && copy.reason
                          ? append(list, copy, &why)
                          : CADRE_ENOMEM;
    if (err != CADRE_OK) {
        free((char *)copy.number);
        free((char *)copy.decision);
        free((char *)copy.reason);
        cadre_diags_error(diags, NULL, 0,
                          "cannot list the revocation of '%s': %s", r->number,
                          cadre_gettext(why));
    }
    return err;
}

/* A growing text. */
struct buf {
    char *s;
    size_t n, cap;
};

static bool put(struct buf *b, const char *s)
{
    size_t len = strlen(s);
    if (!GROW(b->s, b->cap, b->n + len + 1))
        return false;
    memcpy(b->s + b->n, s, len + 1);
    b->n += len;
    return true;
}

cadre_error cadre_revocations_write(const cadre_revocations *list,
                                    const cadre_key *key, cadre_date made,
                                    const char *path, cadre_diags *diags)
{
    struct buf b = { 0 };
    char date[CADRE_DATE_TEXT_MAX];
    cadre_date_format_iso(made, date, sizeof date);
    bool ok = put(&b, magic) && put(&b, "date ") && put(&b, date) &&
              put(&b, "\n");
    for (size_t i = 0; ok && i < list->n; i++) {
        const cadre_revocation *r = &list->items[i];
        cadre_date_format_iso(r->date, date, sizeof date);
        ok = put(&b, "revoked\t") && put(&b, r->number) && put(&b, "\t") &&
             put(&b, date) && put(&b, "\t") && put(&b, r->decision) &&
             put(&b, "\t") && put(&b, r->reason) && put(&b, "\n");
    }
    if (ok) {
        uint8_t sig[crypto_sign_BYTES];
        char hex[2 * crypto_sign_BYTES + 1];
        crypto_sign_detached(sig, NULL, (const uint8_t *)b.s, b.n, key->secret);
        verify_hex(sig, sizeof sig, hex);
        ok = put(&b, sig_tag) && put(&b, key->id) && put(&b, " ") &&
             put(&b, hex) && put(&b, "\n");
    }
    if (!ok) {
        free(b.s);
        cadre_diags_error(diags, NULL, 0, "out of memory");
        return CADRE_ENOMEM;
    }
    cadre_outfile out;
    cadre_error err = cadre_outfile_begin(&out, path, diags);
    if (err == CADRE_OK) {
        FILE *f = fopen(out.tmp, "wb");
        bool written = f && fwrite(b.s, 1, b.n, f) == b.n;
        if (f && fclose(f) != 0)
            written = false;
        if (written) {
            err = cadre_outfile_commit(&out, diags);
        } else {
            cadre_outfile_abort(&out);
            cadre_diags_error(diags, NULL, 0, "cannot write '%s'", path);
            err = CADRE_EIO;
        }
    }
    free(b.s);
    return err;
}

/* Check the signature line that ends `text` against `ring`; the length
 * of the part it signs in *signed_len.  NULL, or what is wrong. */
static const char *check_signature(const char *text, size_t len,
                                   const cadre_keyring *ring,
                                   size_t *signed_len)
{
    if (len == 0 || text[len - 1] != '\n')
        return CADRE_N_("cut short: it does not end with its signature line");
    const char *last = text + len - 1;
    while (last > text && last[-1] != '\n')
        last--;
    if (strncmp(last, sig_tag, sizeof sig_tag - 1))
        return CADRE_N_(
            "not signed: its last line is not 'signature KEY-ID SIGNATURE'");
    const char *id_hex = last + sizeof sig_tag - 1;
    const char *sp = memchr(id_hex, ' ', (size_t)(text + len - id_hex));
    uint8_t id[CADRE_KEY_ID_SIZE], sig[crypto_sign_BYTES];
    if (!sp || !verify_unhex(id_hex, (size_t)(sp - id_hex), id, sizeof id) ||
        !verify_unhex(sp + 1, (size_t)(text + len - 1 - sp - 1), sig, sizeof sig))
        return CADRE_N_(
            "damaged: its signature line is not 'signature KEY-ID SIGNATURE'");
    const uint8_t *pub = verify_keyring_find(ring, id);
    if (!pub)
        return CADRE_N_("signed with a key that is not trusted");
    *signed_len = (size_t)(last - text);
    if (crypto_sign_verify_detached(sig, (const uint8_t *)text, *signed_len,
                                    pub) != 0)
        return CADRE_N_(
            "changed since it was signed: its signature does not match");
    return NULL;
}

/* Parse one "revoked" line (its tabs and newline already NULs): NULL or
 * what is wrong. */
static const char *parse_entry(char *line, cadre_revocation *r)
{
    char *cols[5] = { line };
    int n = 1;
    for (char *p = line; *p; p++)
        if (*p == '\t') {
            if (n == 5)
                return CADRE_N_("has more than 5 columns");
            *p = '\0';
            cols[n++] = p + 1;
        }
    if (n != 5 || strcmp(cols[0], "revoked"))
        return CADRE_N_(
            "is not 'revoked<TAB>NUMBER<TAB>DATE<TAB>DECISION<TAB>REASON'");
    for (int i = 1; i < 5; i++)
        if (!verify_text_ok(cols[i], strlen(cols[i])))
            return CADRE_N_("has a column that is not NFC UTF-8 text");
    if (!*cols[1])
        return CADRE_N_("has no certificate number");
    r->number = cols[1];
    r->date = (cadre_date){ 0 };
    if (*cols[2] && cadre_date_parse(cols[2], 0, &r->date) != 0)
        return CADRE_N_("has a date that is not YYYY-MM-DD");
    r->decision = cols[3];
    r->reason = cols[4];
    return NULL;
}

cadre_revocations *cadre_revocations_load(const char *path,
                                          const cadre_keyring *ring,
                                          cadre_error *err,
                                          cadre_diags *diags)
{
    size_t len = 0;
    char *text = cadre_file_read(path, "revocation list", LIST_MAX, &len,
                                 err, diags);
    if (!text)
        return NULL;
    *err = CADRE_EINVALID;
    const char *why = NULL;
    size_t signed_len = 0;
    unsigned long line = 0;
    if (!verify_sodium_ready(diags))
        why = CADRE_N_("unreadable: libsodium does not start");
    else if (strlen(text) != len || strncmp(text, magic, sizeof magic - 1))
        why = CADRE_N_("not a cadrekit revocation list");
    else
        why = check_signature(text, len, ring, &signed_len);
    cadre_revocations *list = why ? NULL : cadre_revocations_new();
    if (!why && !list)
        why = CADRE_N_("unreadable: out of memory");
    if (list) {
        list->copied = false;
        list->text = text;
        text[signed_len] = '\0';
        /* Signed, so written by cadrekit: a wrong line still gets its
         * number, in case someone made a list by hand. */
        char *p = text + sizeof magic - 1;
        line = 1;
        while (!why && *p) {
            char *nl = strchr(p, '\n');
            *nl = '\0';
            line++;
            if (line == 2) {
                if (strncmp(p, "date ", 5) ||
                    cadre_date_parse(p + 5, 0, &list->made) != 0)
                    why = CADRE_N_("is not 'date YYYY-MM-DD'");
            } else {
                cadre_revocation r;
                if (!(why = parse_entry(p, &r)) &&
                    append(list, r, &why) == CADRE_ENOMEM)
                    *err = CADRE_ENOMEM;
            }
            p = nl + 1;
        }
        if (!why && line < 2) {
            why = CADRE_N_("without its 'date YYYY-MM-DD' line");
            line = 0;
        }
    }
    if (why) {
        if (line)
            cadre_diags_error(diags, path, line, "this line %s",
                              cadre_gettext(why));
        else
            cadre_diags_error(diags, NULL, 0, "revocation list '%s' is %s",
                              path, cadre_gettext(why));
        if (list)
            cadre_revocations_free(list);
        else
            free(text);
        return NULL;
    }
    *err = CADRE_OK;
    return list;
}
