/*
 * sign.h - PAdES B-B signatures (ETSI EN 319 142-1) on the PDFs cadrekit
 * writes, with the key and certificate of a PKCS#12 file, over OpenSSL.
 *
 * A finished PDF is signed by appending an incremental update to it: the
 * bytes libharu wrote stay as they are, and after them come a signature
 * field with its widget on a page, an AcroForm (/SigFlags 3), a signature
 * dictionary (/Filter /Adobe.PPKLite, /SubFilter /ETSI.CAdES.detached,
 * /M the time of signing) and a CMS SignedData (detached, SHA-256, with
 * the signing-certificate-v2 attribute and no signing-time attribute, as
 * PAdES asks: the time is /M) over every byte of the file but the
 * signature itself, then an xref section whose /Prev is libharu's.
 *
 *     cadre_signer *s;
 *     if (cadre_signer_load(&s, "office.p12", password, &diags) == CADRE_OK) {
 *         cadre_sign_field f = { .page = 0, .rect = { 420, 60, 760, 160 },
 *                                .time = 1561680000 };
 *         cadre_signer_sign_pdf(s, "out.pdf.tmp", "out.pdf", &f, &diags);
 *         cadre_signer_free(s);
 *     }
 *
 * The PDFs signed are those libharu writes (one classic xref table, no
 * object streams, no form yet); others are refused with a message.
 *
 * Threads: each call uses its own OpenSSL objects (OpenSSL 3 is
 * thread-safe); a key loaded from a PKCS#12 file belongs to one thread at
 * a time.  Separate files may be signed on separate threads.
 */
#ifndef CADRE_SIGN_H
#define CADRE_SIGN_H

#include <stddef.h>
#include <stdint.h>

#include "cadre/error.h"

/* A private key with its certificate and the certificates of its chain:
 * read-only once loaded, shared by every document of a run (and by the
 * processes of cadre-cert -j, which inherit it). */
typedef struct cadre_signer cadre_signer;

/* Read the PKCS#12 file `path` with `password` ("" for none; the caller
 * wipes its copy).  Sets *out and returns CADRE_OK; otherwise *out is
 * NULL and the message in `diags` names the file:
 *   CADRE_EIO       the file cannot be read, or the password is wrong;
 *   CADRE_EINVALID  not PKCS#12, no private key or no certificate in it,
 *                   a key that does not match the certificate, a key
 *                   other than RSA or ECDSA;
 *   CADRE_ENOMEM.
 * Caller owns *out; free with cadre_signer_free(). */
cadre_error cadre_signer_load(cadre_signer **out, const char *path,
                              const char *password, cadre_diags *diags);

/* Free a signer, wiping its key.  NULL is allowed. */
void cadre_signer_free(cadre_signer *s);

/* The certificate's subject: its common name (CN) and organisation (O),
 * UTF-8; "" when the certificate has none.  Borrowed from the signer. */
const char *cadre_signer_name(const cadre_signer *s);
const char *cadre_signer_organization(const cadre_signer *s);

/* Check that the certificate is valid at time `t` (seconds since 1970):
 * a reader shows a signature made outside its certificate's dates as
 * invalid.  Returns CADRE_EINVALID with a message giving the dates. */
cadre_error cadre_signer_check_time(const cadre_signer *s, int64_t t,
                                    cadre_diags *diags);

/* Where the signature field goes and when it was signed. */
typedef struct cadre_sign_field {
    size_t page;     /* index of the page that holds the widget (0: first) */
    double rect[4];  /* the widget: x0, y0, x1, y1 in PDF points from the
                        page's bottom-left corner; all 0: an invisible
                        signature */
    int64_t time;    /* the time of signing, seconds since 1970 (UTC);
                        written as /M in Vietnam's time, +07:00 */
} cadre_sign_field;

/* Sign the PDF file at `path` in place: append the incremental update
 * described above.  `name` is how messages call the file (the target a
 * temporary file will become); NULL: `path`.  On failure the file may
 * hold a partial update: the caller discards it (write to a temporary
 * file, as files.h does).  Errors: CADRE_EIO (cannot read or write),
 * CADRE_EINVALID (a PDF this cannot update: xref streams, a form already
 * there, no such page), CADRE_ENOMEM, CADRE_EPDF (OpenSSL failed); with a
 * message in `diags`. */
cadre_error cadre_signer_sign_pdf(const cadre_signer *s, const char *path,
                                  const char *name,
                                  const cadre_sign_field *field,
                                  cadre_diags *diags);

/* Format `t` as Vietnam's local time (UTC+7, no daylight saving) in
 * ISO 8601, "2019-06-28T10:15:00+07:00", into `buf` (at least 26
 * bytes). */
void cadre_sign_time_iso(int64_t t, char *buf, size_t size);

#endif
