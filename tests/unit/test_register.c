/* Unit tests of the register (register.h) through its public API: the
 * revocation list the verification tools read, SHA-256 against known
 * digests, the number patterns a register draws from. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cadre/register.h"
#include "check.h"

#define RECORDS "tests/func/cert/data/course.xml"

static char dir[] = "/tmp/cadre-test-register-XXXXXX";

static char *in_dir(const char *name)
{
    static char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return path;
}

/* A register holding the records' number 1/2019/CC (DL0001, course K1). */
static cadre_register *imported(const char *name, cadre_records **recs)
{
    cadre_diags diags;
    cadre_diags_init(&diags, 20);
    *recs = cadre_records_new();
    const char *files[] = { RECORDS };
    cadre_pdf_fonts *fonts = cadre_pdf_fonts_new();
    char *tpath = cadre_cert_find_template("a4");
    cadre_cert_tmpl *t = tpath ? cadre_cert_tmpl_load(tpath, fonts, &diags) : NULL;
    cadre_register *reg = NULL;
    size_t entered = 0;
    CHECK(cadre_records_load_all(*recs, files, 1, &diags) == CADRE_OK);
    CHECK(t != NULL);
    CHECK(cadre_register_create(in_dir(name), &diags) == CADRE_OK);
    CHECK(cadre_register_open(&reg, in_dir(name), &diags) == CADRE_OK);
    if (reg && t)
        CHECK(cadre_register_import(reg, *recs, t, NULL, 0, &entered, NULL,
                                    &diags) == CADRE_OK);
    CHECK_INT(entered, 1);
    if (diags.count)
        cadre_diags_print(&diags, "test_register", stderr);
    cadre_cert_tmpl_free(t);
    free(tpath);
    cadre_pdf_fonts_free(fonts);
    cadre_diags_release(&diags);
    return reg;
}

TEST(revocations_listed)
{
    cadre_records *recs;
    cadre_register *reg = imported("revoked.sqlite", &recs);
    cadre_diags diags;
    cadre_diags_init(&diags, 20);
    cadre_register_revocation *v = NULL;
    size_t n = 9;
    CHECK(reg && cadre_register_revocations(reg, &v, &n, &diags) == CADRE_OK);
    CHECK_INT(n, 0);
    CHECK(v == NULL);
    cadre_date d = { 2019, 7, 10 };
    CHECK(cadre_register_revoke(reg, "1/2019/CC", d, "Hồ sơ không hợp lệ",
                                "30/QĐ-TTBD", &diags) == CADRE_OK);
    CHECK(cadre_register_revoke(reg, "1/2019/CC", d, "again", "again",
                                &diags) == CADRE_EINVALID);
    CHECK(cadre_register_revoke(reg, "7/2019/CC", d, "x", "y", &diags) ==
          CADRE_EINVALID);
    CHECK(cadre_register_revocations(reg, &v, &n, &diags) == CADRE_OK);
    CHECK_INT(n, 1);
    if (n == 1) {
        CHECK_STR(v[0].number, "1/2019/CC");
        CHECK_INT(v[0].date.year * 10000 + v[0].date.month * 100 + v[0].date.day,
                  20190710);
        CHECK_STR(v[0].reason, "Hồ sơ không hợp lệ");
        CHECK_STR(v[0].decision, "30/QĐ-TTBD");
    }
    cadre_register_revocations_free(v, n);
    CHECK_INT(diags.errors, 2); /* the two refusals above */
    cadre_diags_release(&diags);
    cadre_register_close(reg);
    cadre_records_free(recs);
}

static int count_one(const cadre_register_entry *e, void *ctx)
{
    CHECK_STR(e->number, "1/2019/CC");
    CHECK_STR(e->cadre_id, "DL0001");
    CHECK(e->status == CADRE_REGISTER_ISSUED);
    CHECK(e->sha256 == NULL); /* imported: no PDF yet */
    ++*(int *)ctx;
    return 0;
}

TEST(entries_walked)
{
    cadre_records *recs;
    cadre_register *reg = imported("walk.sqlite", &recs);
    int n = 0;
    CHECK(reg && cadre_register_each(reg, count_one, &n, NULL) == CADRE_OK);
    CHECK_INT(n, 1);
    cadre_register_close(reg);
    cadre_records_free(recs);
}

/* The digests of FIPS 180-2's examples, as sha256sum prints them. */
TEST(sha256_known)
{
    static const struct { const char *text, *hex; } known[] = {
        { "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
        { "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
        { "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        FILE *f = fopen(in_dir("sha"), "w");
        fputs(known[i].text, f);
        fclose(f);
        char hex[65];
        CHECK(cadre_register_hash_file(in_dir("sha"), hex, NULL) == CADRE_OK);
        CHECK_STR(hex, known[i].hex);
    }
    char hex[65];
    CHECK(cadre_register_hash_file(in_dir("no-such-file"), hex, NULL) ==
          CADRE_EIO);
}

/* {seq:03} as clerks write it, and the register-number pattern. */
TEST(patterns_rendered)
{
    FILE *f = fopen(in_dir("t.xml"), "w");
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<certificate page=\"A5\" "
          "number=\"{seq:03}/{year}/CC\" register-number=\"{{seq}} {seq:2}-{year}\">"
          "<text x=\"10\" y=\"20\">{number} {register-number}</text>"
          "</certificate>\n", f);
    fclose(f);
    cadre_diags diags;
    cadre_diags_init(&diags, 20);
    cadre_records *recs = cadre_records_new();
    const char *files[] = { RECORDS };
    cadre_pdf_fonts *fonts = cadre_pdf_fonts_new();
    cadre_cert_tmpl *t = cadre_cert_tmpl_load(in_dir("t.xml"), fonts, &diags);
    cadre_cert_batch b;
    CHECK(t != NULL);
    CHECK(cadre_records_load_all(recs, files, 1, &diags) == CADRE_OK);
    if (t && cadre_cert_batch_init(&b, recs, t, "K1", NULL, 0, &diags) == CADRE_OK) {
        char *n = cadre_cert_pattern_render(t, CADRE_CERT_NUMBER, &b, 0, 7);
        char *r = cadre_cert_pattern_render(t, CADRE_CERT_REGISTER_NO, &b, 0, 7);
        CHECK_STR(n, "007/2019/CC");
        CHECK_STR(r, "{seq} 07-2019");
        free(n);
        free(r);
        cadre_cert_batch_release(&b);
    } else {
        CHECK(!"batch");
    }
    if (diags.count)
        cadre_diags_print(&diags, "test_register", stderr);
    cadre_diags_release(&diags);
    cadre_cert_tmpl_free(t);
    cadre_pdf_fonts_free(fonts);
    cadre_records_free(recs);
}

int main(void)
{
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    RUN(revocations_listed);
    RUN(entries_walked);
    RUN(sha256_known);
    RUN(patterns_rendered);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return check_done();
}
