/* Unit tests of records.h: loading, merging, lookup, order, errors. */
#include "cadre/records.h"
#include "check.h"

#define DATA "tests/unit/data/records/"

static cadre_records *load(const char *const *files, size_t n,
                           cadre_diags *diags, cadre_error *err)
{
    cadre_records *r = cadre_records_new();
    cadre_diags_init(diags, 0);
    *err = cadre_records_load_all(r, files, n, diags);
    return r;
}

TEST(one_file)
{
    static const char *const files[] = {DATA "one.xml"};
    cadre_diags d;
    cadre_error err;
    cadre_records *r = load(files, 1, &d, &err);
    CHECK_INT(err, CADRE_OK);
    CHECK_INT(d.count, 0);
    CHECK_INT(r->n_units, 2);
    CHECK_INT(r->n_cadres, 1);
    CHECK_INT(r->n_courses, 1);
    CHECK_INT(r->n_participants, 1);
    CHECK_STR(r->issuer, "Huyện ủy Đình Lập");
    CHECK_INT(r->as_of.year, 2018);
    const cadre_cadre *c = &r->cadres[0];
    CHECK_STR(c->full_name, "Trần Quang Khải");
    CHECK_STR(r->units[c->unit].id, "BTC");
    CHECK(c->leader);
    CHECK(c->party_member);
    CHECK_INT(c->party_since.year, 1995);
    CHECK_INT(c->education, CADRE_EDU_DAI_HOC);
    CHECK_INT(c->political_theory, CADRE_POL_CAO_CAP);
    CHECK_INT(c->state_management, CADRE_QLNN_CVC);
    CHECK(cadre_cadre_is_minority(c));
    const cadre_course *k = &r->courses[0];
    CHECK_INT(k->type, CADRE_COURSE_TRUNG_CAP_LLCT_HC);
    CHECK_INT(k->mode, CADRE_MODE_KHONG_TAP_TRUNG);
    CHECK_STR(k->signer, "Hoàng Văn Minh");
    CHECK_STR(k->signer_title, "GIÁM ĐỐC");
    CHECK(cadre_course_runs_in(k, 2018) && cadre_course_runs_in(k, 2019));
    CHECK(!cadre_course_runs_in(k, 2017) && !cadre_course_runs_in(k, 2020));
    const cadre_participant *p = &r->participants[0];
    CHECK_INT(p->cadre, 0);
    CHECK_INT(p->grade, CADRE_GRADE_KHA);
    CHECK(p->has_score);
    CHECK_INT(p->score_hundredths, 740);
    CHECK_STR(p->certificate_no, "125/2019/CC");
    CHECK_INT(cadre_records_find_course(r, "TC-2018"), 0);
    CHECK_INT(cadre_records_find_cadre(r, "nope"), CADRE_NONE);
    cadre_diags_release(&d);
    cadre_records_free(r);
}

/* Cadres in one file refer to units in another, given after them. */
TEST(merge_and_order)
{
    static const char *const files[] = {DATA "cadres.xml", DATA "units.xml"};
    cadre_diags d;
    cadre_error err;
    cadre_records *r = load(files, 2, &d, &err);
    CHECK_INT(err, CADRE_OK);
    cadre_diags_print(&d, "test", stderr);
    CHECK_INT(r->n_units, 3);
    CHECK_INT(r->n_cadres, 3);
    CHECK_STR(r->issuer, "Huyện ủy Đình Lập");
    CHECK_INT(r->as_of.month, 12);
    uint32_t c1 = cadre_records_find_cadre(r, "C1");
    CHECK_STR(r->cadres[c1].full_name, "Lê Thị Ánh"); /* NFC */
    CHECK_STR(r->units[r->cadres[c1].unit].id, "X1");
    CHECK_STR(r->units[r->units[r->cadres[c1].unit].parent].id, "H");
    CHECK(!cadre_cadre_is_minority(&r->cadres[cadre_records_find_cadre(r, "C3")]));
    CHECK(cadre_date_is_year_only(r->cadres[cadre_records_find_cadre(r, "C3")].birth));
    CHECK_INT(r->participants[1].status, CADRE_STATUS_WITHDRAWN);
    CHECK_INT(r->participants[1].cadre, cadre_records_find_cadre(r, "C2"));
    uint32_t idx[3] = {0, 1, 2};
    CHECK_INT(cadre_records_sort_cadres(r, idx, 3), CADRE_OK);
    CHECK_STR(r->cadres[idx[0]].full_name, "Đỗ Văn An");
    CHECK_STR(r->cadres[idx[1]].full_name, "Lê Thị Ánh");
    CHECK_STR(r->cadres[idx[2]].full_name, "Trần Văn Đức");
    cadre_diags_release(&d);
    cadre_records_free(r);
}

/* Every error of a file, in order, with its line. */
TEST(errors_with_lines)
{
    static const char *const files[] = {DATA "errors.xml"};
    cadre_diags d;
    cadre_error err;
    cadre_records *r = load(files, 1, &d, &err);
    CHECK_INT(err, CADRE_EINVALID);
    CHECK_INT(d.count, 4);
    if (d.count == 4) {
        CHECK_INT(d.items[0].line, 5);
        CHECK_STR(d.items[0].message,
                  "duplicate unit id 'A' (first at " DATA "errors.xml:4)");
        CHECK_INT(d.items[1].line, 8);
        CHECK_STR(d.items[1].message, "invalid date '1980-02-30' in "
                                      "<birth-date> (expected YYYY-MM-DD or YYYY)");
        CHECK_INT(d.items[2].line, 9);
        CHECK_STR(d.items[2].message,
                  "missing element <political-theory> in <cadre>");
        CHECK_INT(d.items[3].line, 9);
        CHECK_STR(d.items[3].message, "cadre 'C2' refers to unknown unit 'B'");
        CHECK_STR(d.items[3].file, DATA "errors.xml");
    }
    cadre_diags_release(&d);
    cadre_records_free(r);
}

TEST(disagreeing_files)
{
    static const char *const files[] = {DATA "units.xml", DATA "one.xml"};
    cadre_diags d;
    cadre_error err;
    cadre_records *r = load(files, 2, &d, &err);
    /* Same as-of: fine.  But one.xml has its own units and no clash. */
    CHECK_INT(err, CADRE_OK);
    cadre_diags_release(&d);
    cadre_records_free(r);
    static const char *const twice[] = {DATA "one.xml", DATA "one.xml"};
    r = load(twice, 2, &d, &err);
    CHECK_INT(err, CADRE_EINVALID);
    CHECK(d.count >= 4); /* units, cadre, course, certificate number */
    cadre_diags_release(&d);
    cadre_records_free(r);
}

/* The root's signer and signer-title, from the one file that gives
 * them; files leaving them out agree. */
TEST(root_signer)
{
    static const char *const files[] = {DATA "units.xml", DATA "signer.xml"};
    cadre_diags d;
    cadre_error err;
    cadre_records *r = load(files, 2, &d, &err);
    CHECK_INT(err, CADRE_OK);
    CHECK_STR(r->signer, "Hoàng Văn Thắng");
    CHECK_STR(r->signer_title, "Trưởng Ban Tổ chức");
    cadre_diags_release(&d);
    cadre_records_free(r);
    static const char *const one[] = {DATA "units.xml"};
    r = load(one, 1, &d, &err);
    CHECK_INT(err, CADRE_OK);
    CHECK(r->signer == NULL && r->signer_title == NULL);
    cadre_diags_release(&d);
    cadre_records_free(r);
}

/* Text as records.md reads it: white space collapsed, Ð and ð read as
 * Đ and đ with a warning each, scores exact to the hundredth. */
TEST(pretty_printed_text)
{
    static const char *const files[] = {DATA "pretty.xml"};
    cadre_diags d;
    cadre_error err;
    cadre_records *r = load(files, 1, &d, &err);
    CHECK_INT(err, CADRE_OK);
    CHECK_STR(r->issuer, "Huyện ủy Đình Lập");
    CHECK_STR(r->place, "Đình Lập");
    CHECK_STR(r->signer, "Nông Văn Chiến");
    CHECK_STR(r->signer_title, "TRƯỞNG BAN");
    CHECK_STR(r->units[0].name, "Ban Tổ chức Huyện ủy");
    CHECK_STR(r->cadres[0].full_name, "Trần Quang Khải");
    CHECK_STR(r->cadres[0].ethnicity, "Tày");
    CHECK(r->cadres[0].ethnicity == r->cadres[1].ethnicity); /* interned */
    CHECK_STR(r->cadres[0].position, "Phó Trưởng Ban");
    CHECK(r->cadres[1].position == NULL);
    CHECK_STR(r->cadres[1].full_name, "Đinh Thị đào");
    const cadre_course *k = &r->courses[0];
    CHECK_STR(k->title, "Trung cấp lý luận chính trị – hành chính");
    CHECK_STR(k->organizer, "Trung tâm Bồi dưỡng chính trị");
    CHECK_STR(k->governing_body, "Huyện ủy Đình Lập");
    CHECK_STR(k->signer, "Hoàng Văn Minh");
    CHECK_STR(k->signer_title, "GIÁM ĐỐC");
    CHECK_STR(r->participants[0].certificate_no, "12/CC");
    CHECK_INT(r->participants[0].score_hundredths, 735);
    CHECK_INT(r->participants[1].score_hundredths, 1000);
    CHECK_INT(d.errors, 0);
    CHECK_INT(d.count, 3);
    for (size_t i = 0; i < d.count; i++)
        CHECK_INT(d.items[i].severity, CADRE_SEV_WARNING);
    if (d.count == 3) {
        CHECK_INT(d.items[0].line, 6);
        CHECK_STR(d.items[0].message, "'Ð' (U+00D0) read as 'Đ' (U+0110) in "
                                      "attribute 'issuer' of <records>");
        CHECK_INT(d.items[1].line, 28);
        CHECK_STR(d.items[1].message,
                  "'Ð' (U+00D0) read as 'Đ' (U+0110) in <full-name>");
        CHECK_STR(d.items[2].message,
                  "'ð' (U+00F0) read as 'đ' (U+0111) in <full-name>");
    }
    cadre_diags_release(&d);
    cadre_records_free(r);
}

TEST(unreadable)
{
    static const char *const files[] = {DATA "no-such-file.xml"};
    cadre_diags d;
    cadre_error err;
    cadre_records *r = load(files, 1, &d, &err);
    CHECK_INT(err, CADRE_EIO);
    CHECK_INT(d.count, 1);
    CHECK(d.count && d.items[0].file == NULL &&
          strstr(d.items[0].message, "No such file") != NULL);
    cadre_diags_release(&d);
    cadre_records_free(r);
}

int main(void)
{
    RUN(one_file);
    RUN(merge_and_order);
    RUN(errors_with_lines);
    RUN(disagreeing_files);
    RUN(root_signer);
    RUN(pretty_printed_text);
    RUN(unreadable);
    return check_done();
}
