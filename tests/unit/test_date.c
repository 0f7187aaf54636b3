/* Unit tests of date.h and codes.h. */
#include "cadre/codes.h"
#include "cadre/date.h"
#include "check.h"

static cadre_date D(const char *s)
{
    cadre_date d = {0};
    CHECK(cadre_date_parse(s, CADRE_DATE_YEAR_OK, &d) == 0);
    return d;
}

TEST(parse)
{
    cadre_date d;
    CHECK(cadre_date_parse("2019-07-05", 0, &d) == 0);
    CHECK_INT(d.year, 2019);
    CHECK_INT(d.month, 7);
    CHECK_INT(d.day, 5);
    CHECK(cadre_date_parse("2016-02-29", 0, &d) == 0);
    CHECK(cadre_date_parse("2000-02-29", 0, &d) == 0);
    CHECK(cadre_date_parse("1900-02-29", 0, &d) < 0);
    CHECK(cadre_date_parse("2018-02-29", 0, &d) < 0);
    CHECK(cadre_date_parse("2018-02-30", 0, &d) < 0);
    CHECK(cadre_date_parse("2018-04-31", 0, &d) < 0);
    CHECK(cadre_date_parse("2018-13-01", 0, &d) < 0);
    CHECK(cadre_date_parse("2018-00-10", 0, &d) < 0);
    CHECK(cadre_date_parse("2018-1-5", 0, &d) < 0);
    CHECK(cadre_date_parse("2018-01-05 ", 0, &d) < 0);
    CHECK(cadre_date_parse("1971", 0, &d) < 0);
    CHECK(cadre_date_parse("1971", CADRE_DATE_YEAR_OK, &d) == 0);
    CHECK(cadre_date_is_year_only(d));
    CHECK(cadre_date_parse("0000", CADRE_DATE_YEAR_OK, &d) < 0);
    CHECK(cadre_date_parse("", CADRE_DATE_YEAR_OK, &d) < 0);
}

TEST(formats)
{
    char b[CADRE_DATE_TEXT_MAX];
    cadre_date_format_long(D("2019-07-05"), b, sizeof b);
    CHECK_STR(b, "ngày 05 tháng 7 năm 2019");
    cadre_date_format_long(D("2019-02-15"), b, sizeof b);
    CHECK_STR(b, "ngày 15 tháng 02 năm 2019");
    cadre_date_format_long(D("2018-01-01"), b, sizeof b);
    CHECK_STR(b, "ngày 01 tháng 01 năm 2018");
    cadre_date_format_long(D("2018-12-31"), b, sizeof b);
    CHECK_STR(b, "ngày 31 tháng 12 năm 2018");
    cadre_date_format_long(D("1971"), b, sizeof b);
    CHECK_STR(b, "1971");
    cadre_date_format_short(D("2019-07-05"), b, sizeof b);
    CHECK_STR(b, "05/07/2019");
    cadre_date_format_short(D("1971"), b, sizeof b);
    CHECK_STR(b, "1971");
    cadre_date_format_iso(D("2019-07-05"), b, sizeof b);
    CHECK_STR(b, "2019-07-05");
    cadre_date_format_short((cadre_date){0}, b, sizeof b);
    CHECK_STR(b, "");
}

TEST(arithmetic)
{
    CHECK(cadre_date_compare(D("2018-12-31"), D("2019-01-01")) < 0);
    CHECK(cadre_date_compare(D("2019"), D("2019-01-01")) == 0);
    CHECK_INT(cadre_date_age(D("1971-05-14"), D("2018-12-31")), 47);
    CHECK_INT(cadre_date_age(D("1971-12-31"), D("2018-12-31")), 47);
    CHECK_INT(cadre_date_age(D("1972-01-01"), D("2018-12-31")), 46);
    CHECK_INT(cadre_date_age(D("1988"), D("2018-12-31")), 30);
    CHECK_INT(cadre_date_days(D("1970-01-01")), 0);
    CHECK_INT(cadre_date_days(D("2000-03-01")), 11017);
    cadre_date d = cadre_date_from_days(cadre_date_days(D("2016-02-29")));
    CHECK_INT(d.year, 2016);
    CHECK_INT(d.month, 2);
    CHECK_INT(d.day, 29);
}

TEST(codes)
{
    CHECK_INT(cadre_code_parse(CADRE_CODE_EDUCATION, "cao-dang"),
              CADRE_EDU_CAO_DANG);
    CHECK_INT(cadre_code_parse(CADRE_CODE_EDUCATION, "cao-dag"), -1);
    CHECK_STR(cadre_code_label(CADRE_CODE_EDUCATION, CADRE_EDU_CHUA_DAO_TAO),
              "Chưa qua đào tạo");
    CHECK_STR(cadre_code_label(CADRE_CODE_STATE_MANAGEMENT,
                               CADRE_QLNN_CHUA_DAO_TAO),
              "Chưa qua bồi dưỡng");
    CHECK_STR(cadre_code_label(CADRE_CODE_COURSE_TYPE,
                               CADRE_COURSE_TRUNG_CAP_LLCT_HC),
              "Trung cấp lý luận chính trị – hành chính");
    CHECK_STR(cadre_code_label(CADRE_CODE_GRADE, CADRE_GRADE_TRUNG_BINH_KHA),
              "Trung bình khá");
    CHECK_STR(cadre_code_label(CADRE_CODE_GENDER, CADRE_GENDER_NU), "Nữ");
    CHECK_STR(cadre_code_name(CADRE_CODE_MODE, CADRE_MODE_KHONG_TAP_TRUNG),
              "khong-tap-trung");
    CHECK(cadre_code_label(CADRE_CODE_GRADE, CADRE_GRADE_NONE) == NULL);
    CHECK_INT(cadre_code_count(CADRE_CODE_POLITICAL_THEORY), 5);
    /* Every list: names round-trip, labels exist. */
    for (int k = 0; k < CADRE_CODE_KIND_COUNT; k++)
        for (int v = 0; v < cadre_code_count(k); v++) {
            CHECK_INT(cadre_code_parse(k, cadre_code_name(k, v)), v);
            CHECK(cadre_code_label(k, v) != NULL);
            CHECK(strstr(cadre_code_list(k), cadre_code_name(k, v)) != NULL);
        }
}

int main(void)
{
    RUN(parse);
    RUN(formats);
    RUN(arithmetic);
    RUN(codes);
    return check_done();
}
