/* test_sign.c - the signer through sign.h: PKCS#12 files made here with
 * OpenSSL's API, signatures checked with OpenSSL's CMS verifier, and the
 * PDF reader fed damaged and hostile files (every prefix of a good one,
 * cross-reference streams, loops, deep nesting): an error, never a crash
 * or a hang.  tests/py/test_sign.py checks the PDFs cadre-cert signs with
 * pdfsig, qpdf and PyMuPDF. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include "cadre/sign.h"
#include "check.h"

static char dir[] = "/tmp/cadre-test-sign-XXXXXX";
static char p12_path[256], nokey_path[256];
static int64_t valid_from;

static void path_in(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "%s/%s", dir, name);
}

/* A self-signed RSA certificate with Vietnamese names, valid from now
 * for a day, in a PKCS#12 file with password "mật khẩu"; and one holding
 * the certificate alone. */
static void make_p12(void)
{
    EVP_PKEY *key = EVP_RSA_gen(2048);
    X509 *cert = X509_new();
    X509_set_version(cert, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert), 7);
    X509_gmtime_adj(X509_getm_notBefore(cert), 0);
    X509_gmtime_adj(X509_getm_notAfter(cert), 86400);
    valid_from = (int64_t)time(NULL);
    X509_NAME *name = X509_get_subject_name(cert);
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                               (const unsigned char *)"Huyện ủy Đình Lập", -1, -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                               (const unsigned char *)"Trung tâm Bồi dưỡng", -1, -1, 0);
    X509_set_issuer_name(cert, name);
    X509_set_pubkey(cert, key);
    X509_sign(cert, key, EVP_sha256());
    path_in(p12_path, sizeof p12_path, "k.p12");
    path_in(nokey_path, sizeof nokey_path, "nokey.p12");
    PKCS12 *with = PKCS12_create("mật khẩu", "k", key, cert, NULL, 0, 0, 0, 0, 0);
    PKCS12 *without = PKCS12_create("mật khẩu", "c", NULL, cert, NULL, 0, 0, 0, 0, 0);
    FILE *f = fopen(p12_path, "wb");
    i2d_PKCS12_fp(f, with);
    fclose(f);
    f = fopen(nokey_path, "wb");
    i2d_PKCS12_fp(f, without);
    fclose(f);
    PKCS12_free(with);
    PKCS12_free(without);
    X509_free(cert);
    EVP_PKEY_free(key);
}

static void put_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    fwrite(data, 1, len, f);
    fclose(f);
}

static char *get_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *d = malloc((size_t)n + 1);
    *len = fread(d, 1, (size_t)n, f);
    d[*len] = '\0';
    fclose(f);
    return d;
}

/* A small PDF with a classic xref table as libharu writes one: objects
 * 1 catalog, 2 pages, 3 page, each dictionary with `extra` entries. */
static size_t make_pdf(char *out, size_t size, const char *catalog,
                       const char *kids, const char *page,
                       const char *trailer)
{
    size_t off[4], n = 0;
    n += (size_t)snprintf(out + n, size - n, "%%PDF-1.3\n");
    off[1] = n;
    n += (size_t)snprintf(out + n, size - n,
                          "1 0 obj\n<<\n/Type /Catalog\n/Pages 2 0 R\n%s>>\nendobj\n",
                          catalog);
    off[2] = n;
    n += (size_t)snprintf(out + n, size - n,
                          "2 0 obj\n<<\n/Type /Pages\n/Kids [ %s ]\n/Count 1\n>>\nendobj\n",
                          kids);
    off[3] = n;
    n += (size_t)snprintf(out + n, size - n,
                          "3 0 obj\n<<\n/Type /Page\n/Parent 2 0 R\n"
                          "/MediaBox [ 0 0 200 200 ]\n%s>>\nendobj\n", page);
    size_t xref = n;
    n += (size_t)snprintf(out + n, size - n,
                          "xref\n0 4\n0000000000 65535 f\r\n%010zu 00000 n\r\n"
                          "%010zu 00000 n\r\n%010zu 00000 n\r\ntrailer\n<<\n"
                          "/Root 1 0 R\n/Size 4\n%s>>\nstartxref\n%zu\n%%%%EOF\n",
                          off[1], off[2], off[3], trailer, xref);
    return n;
}

static cadre_signer *load(cadre_diags *d)
{
    cadre_signer *s = NULL;
    cadre_signer_load(&s, p12_path, "mật khẩu", d);
    return s;
}

static const cadre_sign_field visible = { 0, { 100, 50, 180, 90 }, 0 };

/* Sign `len` bytes of `data` as a file; the result and, in *msg, the
 * first message. */
static cadre_error sign_bytes(cadre_signer *s, const char *data, size_t len,
                              size_t page, char *msg, size_t msg_size)
{
    char path[256];
    path_in(path, sizeof path, "in.pdf");
    put_file(path, data, len);
    cadre_diags d;
    cadre_diags_init(&d, 10);
    cadre_sign_field f = visible;
    f.page = page;
    f.time = valid_from + 60;
    cadre_error err = cadre_signer_sign_pdf(s, path, "in.pdf", &f, &d);
    snprintf(msg, msg_size, "%s", d.count ? d.items[0].message : "");
    cadre_diags_release(&d);
    return err;
}

/* OpenSSL's verdict on the signature of the signed file `data`. */
static int cms_valid(const char *data, size_t len)
{
    const char *br = strstr(data, "/ByteRange [");
    unsigned long a, b, c, e;
    if (!br || sscanf(br, "/ByteRange [%lu %lu %lu %lu", &a, &b, &c, &e) != 4 ||
        a != 0 || c + e != len || data[b] != '<' || data[c - 1] != '>')
        return 0;
    size_t hex = c - b - 2;
    unsigned char *der = malloc(hex / 2);
    for (size_t i = 0; i < hex / 2; i++) {
        unsigned v;
        sscanf(data + b + 1 + 2 * i, "%2x", &v);
        der[i] = (unsigned char)v;
    }
    const unsigned char *p = der;
    CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, (long)(hex / 2));
    BIO *content = BIO_new(BIO_s_mem());
    BIO_write(content, data, (int)b);
    BIO_write(content, data + c, (int)e);
    int ok = cms && CMS_verify(cms, NULL, NULL, content, NULL,
                               CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) == 1;
    CMS_ContentInfo_free(cms);
    BIO_free(content);
    free(der);
    return ok;
}

TEST(load_names)
{
    cadre_diags d;
    cadre_diags_init(&d, 10);
    cadre_signer *s = load(&d);
    CHECK(s != NULL);
    if (s) {
        CHECK_STR(cadre_signer_name(s), "Trung tâm Bồi dưỡng");
        CHECK_STR(cadre_signer_organization(s), "Huyện ủy Đình Lập");
        CHECK_INT(cadre_signer_check_time(s, valid_from + 10, &d), CADRE_OK);
        CHECK_INT(cadre_signer_check_time(s, valid_from - 86400 * 365, &d),
                  CADRE_EINVALID);
        CHECK(d.count == 1 && strstr(d.items[0].message, "not at the time of signing"));
    }
    cadre_signer_free(s);
    cadre_diags_release(&d);
}

TEST(load_refusals)
{
    static const struct {
        const char *path, *password, *says;
        cadre_error err;
    } cases[] = {
        { p12_path, "sai", "wrong password", CADRE_EIO },
        { nokey_path, "mật khẩu", "holds no private key", CADRE_EINVALID },
        { "/nonexistent/k.p12", "x", "No such file", CADRE_EIO },
        { "/tmp", "x", "not a regular file", CADRE_EIO },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cadre_diags d;
        cadre_diags_init(&d, 10);
        cadre_signer *s = (cadre_signer *)1;
        CHECK_INT(cadre_signer_load(&s, cases[i].path, cases[i].password, &d),
                  cases[i].err);
        CHECK(s == NULL);
        CHECK(d.count == 1 && strstr(d.items[0].message, cases[i].says));
        cadre_diags_release(&d);
    }
}

TEST(sign_small_pdf)
{
    cadre_signer *s = load(NULL);
    char pdf[4096], msg[256];
    size_t n = make_pdf(pdf, sizeof pdf, "", "3 0 R", "/Annots [ ]\n",
                        "/ID [<00> <00>]\n");
    CHECK(s && sign_bytes(s, pdf, n, 0, msg, sizeof msg) == CADRE_OK);
    char path[256];
    size_t len = 0;
    path_in(path, sizeof path, "in.pdf");
    char *out = get_file(path, &len);
    CHECK(out && len > n && !memcmp(out, pdf, n)); /* the original stays */
    CHECK(out && cms_valid(out, len));
    CHECK(out && strstr(out + n, "/SubFilter /ETSI.CAdES.detached"));
    CHECK(out && strstr(out + n, "/AcroForm << /Fields [5 0 R] /SigFlags 3 >>"));
    CHECK(out && strstr(out + n, "/Annots [  5 0 R]"));
    CHECK(out && strstr(out + n, "/Rect [100.00 50.00 180.00 90.00]"));
    CHECK(out && len > 6 && !strcmp(out + len - 6, "%%EOF\n"));
    char prev[32];
    snprintf(prev, sizeof prev, "/Prev %zu\n", (size_t)(strstr(pdf, "xref\n") - pdf));
    CHECK(out && strstr(out + n, prev));
    /* the original's /ID is kept, not a second one added */
    const char *id = out ? strstr(out + n, "/ID") : NULL;
    CHECK(id && !strncmp(id, "/ID [<00> <00>]", 15) && !strstr(id + 3, "/ID"));
    /* one byte changed anywhere in the signed ranges: invalid */
    if (out) {
        out[n / 2] ^= 1;
        CHECK(!cms_valid(out, len));
        out[n / 2] ^= 1;
        out[len - 3] ^= 1;
        CHECK(!cms_valid(out, len));
    }
    free(out);
    cadre_signer_free(s);
}

TEST(every_prefix_refused)
{
    cadre_signer *s = load(NULL);
    char pdf[4096], msg[256];
    size_t n = make_pdf(pdf, sizeof pdf, "", "3 0 R", "", "");
    int refused = 0;
    /* The end of the file ("%%EOF\n" and the offset) is optional to a
     * reader; anything cut before the xref offset is not a PDF. */
    size_t sx = (size_t)(strstr(pdf, "startxref") - pdf) + 10;
    CHECK(sx < n);
    for (size_t len = 0; s && len < sx; len++)
        refused += sign_bytes(s, pdf, len, 0, msg, sizeof msg) != CADRE_OK;
    CHECK_INT(refused, (long long)sx);
    cadre_signer_free(s);
}

TEST(hostile_pdfs_refused)
{
    cadre_signer *s = load(NULL);
    char pdf[300000], msg[256];
    static char deep[20010] = "/Deep ";
    memset(deep + 6, '[', 20000);
    static const struct {
        const char *catalog, *page, *trailer, *says;
        size_t page_index;
    } cases[] = {
        { "", "", "/Encrypt 9 0 R\n", "encrypted", 0 },
        { "/AcroForm << /Fields [] >>\n", "", "", "form already", 0 },
        { "", "/Annots 9 0 R\n", "", "indirect object", 0 },
        { "", "", "", "no such page", 1 },
        { "", "", "/Prev 9\n", "damaged cross-reference", 0 },
    };
    for (size_t i = 0; s && i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = make_pdf(pdf, sizeof pdf, cases[i].catalog, "3 0 R",
                            cases[i].page, cases[i].trailer);
        CHECK_INT(sign_bytes(s, pdf, n, cases[i].page_index, msg, sizeof msg),
                  CADRE_EINVALID);
        if (!strstr(msg, cases[i].says))
            fprintf(stderr, "case %zu: '%s' lacks '%s'\n", i, msg, cases[i].says);
        CHECK(strstr(msg, cases[i].says));
    }
    /* 20,000 nested arrays in the catalog or the page: a depth limit, not
     * a stack overflow; the dictionary then reads as damaged, never
     * copied without its entries past the error */
    size_t n = make_pdf(pdf, sizeof pdf, deep, "3 0 R", "", "");
    CHECK(s && sign_bytes(s, pdf, n, 0, msg, sizeof msg) == CADRE_EINVALID &&
          strstr(msg, "damaged catalog"));
    n = make_pdf(pdf, sizeof pdf, "", "3 0 R", deep, "");
    CHECK(s && sign_bytes(s, pdf, n, 0, msg, sizeof msg) == CADRE_EINVALID &&
          strstr(msg, "damaged page"));
    /* a page tree whose node lists itself, once or twice: refused at
     * once, not after 2^32 steps */
    n = make_pdf(pdf, sizeof pdf, "", "2 0 R 2 0 R", "", "");
    CHECK(s && sign_bytes(s, pdf, n, 0, msg, sizeof msg) == CADRE_EINVALID);
    n = make_pdf(pdf, sizeof pdf, "", "2 0 R", "", "");
    CHECK(s && sign_bytes(s, pdf, n, 0, msg, sizeof msg) == CADRE_EINVALID);
    /* kids that are not references */
    n = make_pdf(pdf, sizeof pdf, "", "(3 0 R) 3", "", "");
    CHECK(s && sign_bytes(s, pdf, n, 0, msg, sizeof msg) == CADRE_EINVALID);
    /* a cross-reference stream, and garbage */
    static const char xrefstm[] = "%PDF-1.5\n1 0 obj\n<< /Type /XRef >>\nstream\n"
                                  "endstream\nendobj\nstartxref\n9\n%%EOF\n";
    CHECK(s && sign_bytes(s, xrefstm, sizeof xrefstm - 1, 0, msg, sizeof msg) ==
                   CADRE_EINVALID && strstr(msg, "cross-reference stream"));
    CHECK(s && sign_bytes(s, "garbage", 7, 0, msg, sizeof msg) == CADRE_EINVALID &&
          strstr(msg, "not a PDF"));
    CHECK(s && sign_bytes(s, "", 0, 0, msg, sizeof msg) == CADRE_EIO &&
          strstr(msg, "empty"));
    cadre_signer_free(s);
}

TEST(time_iso)
{
    char buf[32];
    cadre_sign_time_iso(1561680000, buf, sizeof buf); /* 2019-06-28 00:00 UTC */
    CHECK_STR(buf, "2019-06-28T07:00:00+07:00");
    cadre_sign_time_iso(1561683599 + 17 * 3600, buf, sizeof buf);
    CHECK_STR(buf, "2019-06-29T00:59:59+07:00");
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    make_p12();
    RUN(load_names);
    RUN(load_refusals);
    RUN(sign_small_pdf);
    RUN(every_prefix_refused);
    RUN(hostile_pdfs_refused);
    RUN(time_iso);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        return 1;
    return check_done();
}
