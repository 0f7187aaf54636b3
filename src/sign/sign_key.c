/* sign_key.c - the signer from a PKCS#12 file, and the CMS signature it
 * makes (sign.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pkcs12.h>
#include <openssl/pkcs7.h>
#include <openssl/provider.h>

#include "sign_internal.h"

/* The reason of OpenSSL's last error, for messages ("bad decrypt"). */
static const char *ssl_reason(void)
{
    const char *r = ERR_reason_error_string(ERR_peek_last_error());
    return r ? r : "unknown error";
}

/* A subject field as UTF-8 ("" when absent); NULL when out of memory. */
static char *subject_field(X509 *cert, int nid)
{
    X509_NAME *subject = X509_get_subject_name(cert);
    int at = subject ? X509_NAME_get_index_by_NID(subject, nid, -1) : -1;
    unsigned char *utf8 = NULL;
    int len = at < 0 ? -1
                     : ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(
                                                      X509_NAME_get_entry(subject, at)));
    char *out = malloc(len > 0 ? (size_t)len + 1 : 1);
    if (out) {
        if (len > 0)
            memcpy(out, utf8, (size_t)len);
        out[len > 0 ? len : 0] = '\0';
    }
    OPENSSL_free(utf8);
    return out;
}

/* PKCS12_parse, once more with OpenSSL's legacy provider when the first
 * try failed for another reason than the password: files exported by
 * older Windows and token software encrypt the certificates with RC2,
 * which OpenSSL 3 keeps there.  Returns 1, 0, or -1 for a wrong
 * password. */
static int parse_p12(PKCS12 *p12, const char *password, EVP_PKEY **key,
                     X509 **cert, STACK_OF(X509) **chain)
{
    ERR_clear_error();
    if (PKCS12_parse(p12, password, key, cert, chain))
        return 1;
    unsigned long e = ERR_peek_last_error();
    if (ERR_GET_LIB(e) == ERR_LIB_PKCS12 &&
        ERR_GET_REASON(e) == PKCS12_R_MAC_VERIFY_FAILURE)
        return -1;
    /* The key and certificates it yields belong to the default
     * provider: the legacy one is needed for the decryption only. */
    OSSL_PROVIDER *legacy = OSSL_PROVIDER_try_load(NULL, "legacy", 1);
    if (!legacy)
        return 0;
    ERR_clear_error();
    int ok = PKCS12_parse(p12, password, key, cert, chain);
    OSSL_PROVIDER_unload(legacy);
    return ok;
}

/* Sign a digest of zeros to learn how many bytes a signature takes: it
 * is the same for every document (an ECDSA signature varies by a few
 * bytes, hence the margin). */
static cadre_error measure(cadre_signer *s, char *why, size_t size)
{
    static const unsigned char zero[SIGN_DIGEST_LEN];
    unsigned char *der = NULL;
    size_t len = 0;
    cadre_error err = sign_cms(s, zero, &der, &len, why, size);
    OPENSSL_free(der);
    s->cms_max = len + 64;
    return err;
}

/* What PKCS12_parse() gave (`parsed` is its result), checked: a key and
 * its certificate, a kind of key readers verify; then the names and the
 * size of a signature.  Returns CADRE_OK or an error with its message. */
static cadre_error check(cadre_signer *s, int parsed, const char *path,
                         cadre_diags *diags)
{
    int kind = s->key ? EVP_PKEY_get_base_id(s->key) : 0;
    if (parsed < 0) {
        cadre_diags_error(diags, NULL, 0, "cannot open '%s': wrong password",
                          path);
        return CADRE_EIO;
    }
    if (parsed == 0) {
        cadre_diags_error(diags, NULL, 0, "cannot read '%s': %s", path,
                          ssl_reason());
        return CADRE_EINVALID;
    }
    if (!s->key) {
        cadre_diags_error(diags, NULL, 0, "'%s' holds no private key", path);
        return CADRE_EINVALID;
    }
    if (!s->cert) {
        cadre_diags_error(diags, NULL, 0,
                          "'%s' holds no certificate for its key", path);
        return CADRE_EINVALID;
    }
    if (kind != EVP_PKEY_RSA && kind != EVP_PKEY_EC) {
        /* what every PDF reader verifies; Ed25519 in CMS few do */
        cadre_diags_error(diags, NULL, 0,
                          "the key in '%s' is %s: a PDF signature needs RSA "
                          "or ECDSA",
                          path, OBJ_nid2sn(kind));
        return CADRE_EINVALID;
    }
    if (!X509_check_private_key(s->cert, s->key)) {
        cadre_diags_error(diags, NULL, 0,
                          "the private key in '%s' does not match its "
                          "certificate",
                          path);
        return CADRE_EINVALID;
    }
    if (!(s->name = subject_field(s->cert, NID_commonName)) ||
        !(s->org = subject_field(s->cert, NID_organizationName))) {
        cadre_diags_error(diags, NULL, 0, "out of memory");
        return CADRE_ENOMEM;
    }
    char why[160] = "";
    cadre_error err = measure(s, why, sizeof why);
    if (err != CADRE_OK)
        cadre_diags_error(diags, NULL, 0, "cannot sign with '%s': %s", path,
                          why);
    return err;
}

cadre_error cadre_signer_load(cadre_signer **out, const char *path,
                              const char *password, cadre_diags *diags)
{
    *out = NULL;
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        cadre_diags_error(diags, NULL, 0, "cannot read '%s': not a regular file",
                          path);
        return CADRE_EIO;
    }
    BIO *bio = BIO_new_file(path, "rb");
    if (!bio) {
        cadre_diags_error(diags, NULL, 0, "cannot open '%s': %s", path,
                          strerror(errno ? errno : EIO));
        return CADRE_EIO;
    }
    PKCS12 *p12 = d2i_PKCS12_bio(bio, NULL);
    BIO_free(bio);
    if (!p12) {
        cadre_diags_error(diags, NULL, 0,
                          "'%s' is not a PKCS#12 file (.p12, .pfx)", path);
        return CADRE_EINVALID;
    }
    cadre_signer *s = calloc(1, sizeof *s);
    if (!s) {
        PKCS12_free(p12);
        cadre_diags_error(diags, NULL, 0, "out of memory");
        return CADRE_ENOMEM;
    }
    int parsed = parse_p12(p12, password, &s->key, &s->cert, &s->chain);
    PKCS12_free(p12);
    cadre_error err = check(s, parsed, path, diags);
    ERR_clear_error();
    if (err != CADRE_OK) {
        cadre_signer_free(s);
        return err;
    }
    *out = s;
    return CADRE_OK;
}

void cadre_signer_free(cadre_signer *s)
{
    if (!s)
        return;
    EVP_PKEY_free(s->key); /* OpenSSL wipes key material it frees */
    X509_free(s->cert);
    sk_X509_pop_free(s->chain, X509_free);
    free(s->name);
    free(s->org);
    free(s);
}

const char *cadre_signer_name(const cadre_signer *s) { return s->name; }

const char *cadre_signer_organization(const cadre_signer *s)
{
    return s->org;
}

cadre_error cadre_signer_check_time(const cadre_signer *s, int64_t t,
                                    cadre_diags *diags)
{
    const ASN1_TIME *from = X509_get0_notBefore(s->cert),
                    *until = X509_get0_notAfter(s->cert);
    if (ASN1_TIME_cmp_time_t(from, (time_t)t) <= 0 &&
        ASN1_TIME_cmp_time_t(until, (time_t)t) >= 0)
        return CADRE_OK;
    char when[32], a[32] = "?", b[32] = "?";
    struct tm tm;
    cadre_sign_time_iso(t, when, sizeof when);
    if (ASN1_TIME_to_tm(from, &tm))
        strftime(a, sizeof a, "%Y-%m-%d", &tm);
    if (ASN1_TIME_to_tm(until, &tm))
        strftime(b, sizeof b, "%Y-%m-%d", &tm);
    cadre_diags_error(diags, NULL, 0,
                      "the certificate of '%s' is valid from %s to %s, not at "
                      "the time of signing %s",
                      s->name, a, b, when);
    return CADRE_EINVALID;
}

/* The signed attributes in DER, as the signature covers them: a SET OF
 * with its universal tag, which is what PKCS7_ATTR_SIGN encodes (CMS's
 * own item for it is not exported). */
static int signed_attrs_der(CMS_SignerInfo *si, unsigned char **der)
{
    STACK_OF(X509_ATTRIBUTE) *attrs = sk_X509_ATTRIBUTE_new_null();
    int n = CMS_signed_get_attr_count(si), len = -1;
    for (int i = 0; attrs && i < n; i++)
        if (!sk_X509_ATTRIBUTE_push(attrs, CMS_signed_get_attr(si, i)))
            goto done;
    len = ASN1_item_i2d((ASN1_VALUE *)attrs, der, ASN1_ITEM_rptr(PKCS7_ATTR_SIGN));
done:
    sk_X509_ATTRIBUTE_free(attrs); /* the attributes stay the signer info's */
    return len;
}

/* Sign the attributes with the key and store the signature in `si`.
 * Done here, not by CMS_SignerInfo_sign(), because OpenSSL 3.0 adds a
 * signing-time attribute there unasked, and a PAdES signature must not
 * have one (ETSI EN 319 142-1: the time of signing is the /M entry). */
static int sign_attrs(CMS_SignerInfo *si, EVP_PKEY *key)
{
    unsigned char *der = NULL, *sig = NULL;
    size_t siglen = 0;
    int ok = 0, len = signed_attrs_der(si, &der);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (len > 0 && ctx &&
        EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, key) > 0 &&
        EVP_DigestSign(ctx, NULL, &siglen, der, (size_t)len) > 0 &&
        (sig = OPENSSL_malloc(siglen)) &&
        EVP_DigestSign(ctx, sig, &siglen, der, (size_t)len) > 0)
        ok = ASN1_STRING_set(CMS_SignerInfo_get0_signature(si), sig,
                             (int)siglen);
    EVP_MD_CTX_free(ctx);
    OPENSSL_free(der);
    OPENSSL_free(sig);
    return ok;
}

cadre_error sign_cms(const cadre_signer *s,
                     const unsigned char digest[SIGN_DIGEST_LEN],
                     unsigned char **der, size_t *len, char *why,
                     size_t why_size)
{
    *der = NULL;
    *len = 0;
    /* The signed data without content (detached: the PDF is the
     * content), the certificates of the file, one signer whose signed
     * attributes are content-type, message-digest and, by CMS_CADES,
     * signing-certificate-v2 (the certificate's SHA-256). */
    CMS_ContentInfo *cms = CMS_sign(NULL, NULL, s->chain, NULL,
                                    CMS_DETACHED | CMS_BINARY | CMS_PARTIAL);
    CMS_SignerInfo *si = cms ? CMS_add1_signer(cms, s->cert, s->key,
                                               EVP_sha256(),
                                               CMS_BINARY | CMS_NOSMIMECAP |
                                                   CMS_CADES | CMS_PARTIAL)
                             : NULL;
    int ok = si &&
             CMS_signed_add1_attr_by_NID(si, NID_pkcs9_contentType,
                                         V_ASN1_OBJECT,
                                         OBJ_nid2obj(NID_pkcs7_data), -1) &&
             CMS_signed_add1_attr_by_NID(si, NID_pkcs9_messageDigest,
                                         V_ASN1_OCTET_STRING, digest,
                                         SIGN_DIGEST_LEN) &&
             sign_attrs(si, s->key);
    int n = ok ? i2d_CMS_ContentInfo(cms, der) : -1;
    CMS_ContentInfo_free(cms);
    if (n <= 0) {
        snprintf(why, why_size, "OpenSSL cannot make the signature: %s",
                 ssl_reason());
        ERR_clear_error();
        OPENSSL_free(*der);
        *der = NULL;
        return CADRE_EPDF;
    }
    *len = (size_t)n;
    return CADRE_OK;
}

void sign_vietnam_time(int64_t t, struct tm *tm)
{
    /* Vietnam keeps UTC+7 all year. */
    time_t local = (time_t)(t + 7 * 3600);
    gmtime_r(&local, tm);
}

void cadre_sign_time_iso(int64_t t, char *buf, size_t size)
{
    struct tm tm;
    sign_vietnam_time(t, &tm);
    if (!strftime(buf, size, "%Y-%m-%dT%H:%M:%S+07:00", &tm) && size)
        buf[0] = '\0';
}
