/* page.c - the verification page: one self-contained HTML file with the
 * office's public keys built in (verify.h; templates/verify/page.html). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cadre/files.h"
#include "cadre/text.h"
#include "verify_internal.h"

/* The file the page looks for beside itself (docs/verify.md). */
#define PAGE_REVOCATIONS "revocations.txt"

#define PAGE_MAX (1u << 20)

/* `text` with every `marker` replaced by `value`; the number replaced in
 * *count.  Caller owns the result; NULL when out of memory. */
static char *replace(const char *text, const char *marker, const char *value,
                     size_t *count)
{
    size_t ml = strlen(marker), vl = strlen(value), n = 0;
    for (const char *p = strstr(text, marker); p; p = strstr(p + ml, marker))
        n++;
    char *out = malloc(strlen(text) + n * vl + 1), *o = out;
    if (!out)
        return NULL;
    for (const char *p = text, *m; *p; p = m + ml) {
        if (!(m = strstr(p, marker))) {
            size_t rest = strlen(p);
            memcpy(o, p, rest);
            o += rest;
            break;
        }
        memcpy(o, p, (size_t)(m - p));
        o += m - p;
        memcpy(o, value, vl);
        o += vl;
    }
    *o = '\0';
    *count = n;
    return out;
}

/* "sha256-BASE64" of the content of the <tag>…</tag> of `html`, for the
 * Content-Security-Policy; false unless `html` writes each tag once. */
static bool element_hash(const char *html, const char *tag, char *out,
                         size_t size)
{
    char open[32], close[32];
    snprintf(open, sizeof open, "<%s>", tag);
    snprintf(close, sizeof close, "</%s>", tag);
    const char *start = strstr(html, open);
    const char *end = start ? strstr(start, close) : NULL;
    if (!end || strstr(start + 1, open) || strstr(end + 1, close))
        return false;
    start += strlen(open);
    uint8_t hash[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(hash, (const uint8_t *)start, (size_t)(end - start));
    char b64[sodium_base64_ENCODED_LEN(crypto_hash_sha256_BYTES,
                                       sodium_base64_VARIANT_ORIGINAL)];
    sodium_bin2base64(b64, sizeof b64, hash, sizeof hash,
                      sodium_base64_VARIANT_ORIGINAL);
    snprintf(out, size, "sha256-%s", b64);
    return true;
}

/* [{"id":"…","key":"…"},…]: hex only, nothing to escape. */
static char *keys_json(const cadre_keyring *ring)
{
    size_t n = cadre_keyring_count(ring);
    size_t one = sizeof "{\"id\":\"\",\"key\":\"\"},\n  " + 16 + 64;
    char *out = malloc(n * one + 8), *o = out;
    if (!out)
        return NULL;
    *o++ = '[';
    for (size_t i = 0; i < n; i++) {
        char pub[2 * CADRE_KEY_PUBLIC_SIZE + 1];
        verify_hex(cadre_keyring_public(ring, i), CADRE_KEY_PUBLIC_SIZE, pub);
        o += snprintf(o, one, "%s{\"id\":\"%s\",\"key\":\"%s\"}",
                      i ? ",\n  " : "", cadre_keyring_id(ring, i), pub);
    }
    memcpy(o, "]", 2);
    return out;
}

/* Write `html` to `path` through a temporary file. */
static cadre_error write_page(const char *html, const char *path,
                              cadre_diags *diags)
{
    cadre_outfile out;
    cadre_error err = cadre_outfile_begin(&out, path, diags);
    if (err != CADRE_OK)
        return err;
    FILE *f = fopen(out.tmp, "wb");
    size_t len = strlen(html);
    bool ok = f && fwrite(html, 1, len, f) == len;
    if (f && fclose(f) != 0)
        ok = false;
    if (ok)
        return cadre_outfile_commit(&out, diags);
    cadre_outfile_abort(&out);
    cadre_diags_error(diags, NULL, 0, "cannot write '%s'", path);
    return CADRE_EIO;
}

cadre_error cadre_page_write(const cadre_keyring *ring, const char *tmpl,
                             const char *path, cadre_diags *diags)
{
    if (!verify_sodium_ready(diags))
        return CADRE_EIO;
    if (!cadre_keyring_count(ring)) {
        cadre_diags_error(diags, NULL, 0, "no trusted key for the page");
        return CADRE_EINVALID;
    }
    char *found = tmpl ? NULL : cadre_data_find("templates/verify/page.html");
    const char *src = tmpl ? tmpl : found;
    if (!src) {
        cadre_diags_error(diags, NULL, 0,
                          "cannot find the shipped page templates/verify/page.html");
        return CADRE_EIO;
    }
    size_t len;
    cadre_error err;
    char *text = cadre_file_read(src, "page template", PAGE_MAX, &len, &err, diags);
    char *keys = text ? keys_json(ring) : NULL;
    char *a = NULL, *b = NULL, *c = NULL, *html = NULL;
    size_t n_keys = 0, n_revs = 0, n_script = 0, n_style = 0;
    char script_hash[64], style_hash[64];
    if (!text)
        goto done;
    err = CADRE_EINVALID;
    if (strlen(text) != len || cadre_text_check(text, len, NULL, NULL) != CADRE_TEXT_OK) {
        cadre_diags_error(diags, src, 0, "the page template is not UTF-8 text");
        goto done;
    }
    err = CADRE_ENOMEM;
    if (!keys || !(a = replace(text, "@TRUSTED_KEYS@", keys, &n_keys)) ||
        !(b = replace(a, "@REVOCATIONS@", PAGE_REVOCATIONS, &n_revs)))
        goto done;
    /* The hashes are of the final script and style: with the keys. */
    err = CADRE_EINVALID;
    if (n_keys != 1 || !element_hash(b, "script", script_hash, sizeof script_hash) ||
        !element_hash(b, "style", style_hash, sizeof style_hash)) {
        cadre_diags_error(diags, src, 0,
                          "the page template needs @TRUSTED_KEYS@ once, and one "
                          "<script> and one <style> element (their tags written "
                          "nowhere else)");
        goto done;
    }
    err = CADRE_ENOMEM;
    if (!(c = replace(b, "@SCRIPT_HASH@", script_hash, &n_script)) ||
        !(html = replace(c, "@STYLE_HASH@", style_hash, &n_style)))
        goto done;
    if (n_script != 1 || n_style != 1) {
        cadre_diags_error(diags, src, 0,
                          "the page template needs @SCRIPT_HASH@ and @STYLE_HASH@ "
                          "once each, in its Content-Security-Policy");
        err = CADRE_EINVALID;
        goto done;
    }
    err = write_page(html, path, diags);
done:
    if (err == CADRE_ENOMEM)
        cadre_diags_error(diags, NULL, 0, "out of memory");
    free(found);
    free(text);
    free(keys);
    free(a);
    free(b);
    free(c);
    free(html);
    return err;
}
