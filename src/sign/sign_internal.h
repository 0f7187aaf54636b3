/* sign_internal.h - what the two halves of the signing module share:
 * sign_key.c (the PKCS#12 file and the CMS signature) and sign_pdf.c (the
 * incremental update of the PDF). */
#ifndef CADRE_SIGN_INTERNAL_H
#define CADRE_SIGN_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "cadre/sign.h"

/* SHA-256: the digest of the document and of the attributes signed. */
#define SIGN_DIGEST_LEN 32

struct cadre_signer {
    EVP_PKEY *key;          /* the private key */
    X509 *cert;             /* its certificate */
    STACK_OF(X509) *chain;  /* the other certificates of the file (CAs),
                               or NULL */
    char *name;             /* subject CN, UTF-8, "" when none */
    char *org;              /* subject O, UTF-8, "" when none */
    size_t cms_max;         /* bytes reserved for the CMS in /Contents */
};

/* The DER CMS SignedData signing `digest` (SHA-256 of the document).
 * Returns CADRE_OK with *der (free with OPENSSL_free()) and *len;
 * otherwise an error with `why` filled. */
cadre_error sign_cms(const cadre_signer *s,
                     const unsigned char digest[SIGN_DIGEST_LEN],
                     unsigned char **der, size_t *len, char *why,
                     size_t why_size);

/* The broken-down time of `t` (seconds since 1970) in Vietnam (UTC+7). */
void sign_vietnam_time(int64_t t, struct tm *tm);

#endif
