/* Unit tests of text.h: UTF-8 checks, NFC, case, folding, name order,
 * Vietnamese numbers. */
#include <stdlib.h>

#include "cadre/text.h"
#include "check.h"

/* Compare a freshly allocated result and free it. */
#define CHECK_OWNED(expr, want)      \
    do {                             \
        char *got_ = (expr);         \
        CHECK_STR(got_, want);       \
        free(got_);                  \
    } while (0)

TEST(utf8_check)
{
    size_t where;
    uint32_t cp;
    CHECK_INT(cadre_text_check("Đình Lập", strlen("Đình Lập"), NULL, NULL), CADRE_TEXT_OK);
    CHECK_INT(cadre_text_check("a\tb\nc", 5, NULL, NULL), CADRE_TEXT_OK);
    CHECK_INT(cadre_text_check("ab\xC3(", 4, &where, NULL), CADRE_TEXT_BAD_UTF8);
    CHECK_INT(where, 2);
    CHECK_INT(cadre_text_check("\xC0\xAF", 2, NULL, NULL), CADRE_TEXT_BAD_UTF8);   /* overlong */
    CHECK_INT(cadre_text_check("\xED\xA0\x80", 3, NULL, NULL), CADRE_TEXT_BAD_UTF8); /* surrogate */
    CHECK_INT(cadre_text_check("\xF4\x90\x80\x80", 4, NULL, NULL), CADRE_TEXT_BAD_UTF8);
    CHECK_INT(cadre_text_check("x\x07y", 3, &where, &cp), CADRE_TEXT_CONTROL);
    CHECK_INT(cp, 7);
    CHECK_INT(cadre_text_check("x\r", 2, NULL, NULL), CADRE_TEXT_CONTROL);
    CHECK_INT(cadre_text_check("\xC2\x85", 2, NULL, &cp), CADRE_TEXT_CONTROL);
    CHECK_INT(cp, 0x85);
    CHECK_INT(cadre_text_check("\x7F", 1, NULL, NULL), CADRE_TEXT_CONTROL);
}

TEST(nfc)
{
    const char *nfd = "Nguye\xCC\x82\xCC\x83n Thi\xCC\xA3 Hu\xCC\x9Bo\xCC\x9Bng"; /* Nguyễn Thị Hương */
    CHECK(!cadre_text_is_nfc(nfd, strlen(nfd)));
    CHECK(cadre_text_is_nfc("Nguyễn Thị Hương", strlen("Nguyễn Thị Hương")));
    CHECK_OWNED(cadre_text_nfc(nfd, strlen(nfd), NULL), "Nguyễn Thị Hương");
    /* ê + combining acute composes to ế: a precomposed letter followed by a
     * mark is not NFC. */
    CHECK(!cadre_text_is_nfc("\xC3\xAA\xCC\x81", 4));
    CHECK_OWNED(cadre_text_nfc("\xC3\xAA\xCC\x81", 4, NULL), "ế");
    /* Ohm sign has a singleton decomposition. */
    CHECK(!cadre_text_is_nfc("\xE2\x84\xA6", 3));
}

TEST(upper_lower)
{
    CHECK_OWNED(cadre_text_upper("Đình Lập"), "ĐÌNH LẬP");
    CHECK_OWNED(cadre_text_upper("huyện ủy đình lập"), "HUYỆN ỦY ĐÌNH LẬP");
    CHECK_OWNED(cadre_text_upper("trường chính trị hoàng văn thụ"),
                "TRƯỜNG CHÍNH TRỊ HOÀNG VĂN THỤ");
    CHECK_OWNED(cadre_text_upper("ơ ư ă â ê ô ỹ ặ"), "Ơ Ư Ă Â Ê Ô Ỹ Ặ");
    CHECK_OWNED(cadre_text_lower("ĐÌNH LẬP"), "đình lập");
}

TEST(fold_ascii)
{
    CHECK_OWNED(cadre_text_fold_ascii("Trần Quang Khải"), "Tran Quang Khai");
    CHECK_OWNED(cadre_text_fold_ascii("Đặng Văn Thắng – Nguyễn"),
                "Dang Van Thang ? Nguyen");
    CHECK_OWNED(cadre_text_fold_ascii("đường Ưng Ơn"), "duong Ung On");
    CHECK_INT(cadre_text_length("Đình Lập"), 8);
}

/* The order given in the records spec and the domain notes. */
TEST(name_order_spec_example)
{
    static const char *const want[] = {
        "Đỗ Văn An", "Nguyễn Văn An", "Lê Thị Ánh", "Võ Thị Ăn",
        "Phạm Thị Ân", "Nguyễn Thị Bảo", "Bùi Văn Dũng", "Hoàng Duy",
        "Trần Văn Đức"};
    size_t n = sizeof want / sizeof want[0];
    for (size_t i = 0; i + 1 < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (cadre_name_compare(want[i], want[j]) >= 0) {
                check_failures++;
                fprintf(stderr, "'%s' should sort before '%s'\n", want[i],
                        want[j]);
            }
}

TEST(name_order_tones_and_letters)
{
    /* Tones: none, huyền, hỏi, ngã, sắc, nặng. */
    static const char *const tones[] = {"Văn A", "Văn À", "Văn Ả", "Văn Ã",
                                        "Văn Á", "Văn Ạ"};
    for (int i = 0; i + 1 < 6; i++)
        CHECK(cadre_name_compare(tones[i], tones[i + 1]) < 0);
    /* Letters: a ă â, d đ, e ê, o ô ơ, u ư; then b after every a. */
    CHECK(cadre_name_compare("X Ạ", "X Ă") < 0); /* tone is secondary */
    CHECK(cadre_name_compare("X Ằ", "X Â") < 0);
    CHECK(cadre_name_compare("X Ậ", "X B") < 0);
    CHECK(cadre_name_compare("X Dư", "X Đa") < 0);
    CHECK(cadre_name_compare("X Ơ", "X Ô") > 0);
    CHECK(cadre_name_compare("X Ưa", "X Uy") > 0);
    /* Given name first, then the rest, then the id. */
    CHECK(cadre_name_compare("Vi Văn Anh", "Bế Thị Bình") < 0);
    CHECK(cadre_name_compare("Bế Văn Anh", "Vi Văn Anh") < 0);
    CHECK(cadre_name_compare_id("Vi Anh", "B2", "Vi Anh", "B10") > 0);
    /* Decomposed input sorts as precomposed. */
    CHECK(cadre_name_compare("Le\xCC\x82 A\xCC\x81nh", "Lê Ánh") == 0);
    /* Case is a tertiary difference only. */
    CHECK(cadre_name_compare("vi anh", "Vi Anh") < 0);
    CHECK(cadre_name_compare("Vi Anh", "vi Bình") < 0);
}

TEST(numbers)
{
    char b[CADRE_NUMBER_TEXT_MAX];
    cadre_format_int(1188, b, sizeof b);
    CHECK_STR(b, "1.188");
    cadre_format_int(999, b, sizeof b);
    CHECK_STR(b, "999");
    cadre_format_int(1000000, b, sizeof b);
    CHECK_STR(b, "1.000.000");
    cadre_format_int(-25000, b, sizeof b);
    CHECK_STR(b, "-25.000");
    cadre_format_decimal(7.4, 2, b, sizeof b);
    CHECK_STR(b, "7,4");
    cadre_format_decimal(7.25, 2, b, sizeof b);
    CHECK_STR(b, "7,25");
    cadre_format_decimal(8.0, 2, b, sizeof b);
    CHECK_STR(b, "8");
    cadre_format_decimal(1234.5, 1, b, sizeof b);
    CHECK_STR(b, "1.234,5");
    cadre_format_decimal(7.25, 1, b, sizeof b); /* half up */
    CHECK_STR(b, "7,3");
    cadre_format_decimal(0.15, 1, b, sizeof b);
    CHECK_STR(b, "0,2");
    cadre_format_decimal(9.995, 2, b, sizeof b);
    CHECK_STR(b, "10");
    cadre_format_decimal(-1234567.891, 2, b, sizeof b);
    CHECK_STR(b, "-1.234.567,89");
    cadre_format_decimal(7.05, 2, b, sizeof b);
    CHECK_STR(b, "7,05");
    cadre_format_decimal(-0.001, 2, b, sizeof b);
    CHECK_STR(b, "0");
    /* half up on the decimal written, not on the binary double below it */
    cadre_format_decimal(7.35, 1, b, sizeof b);
    CHECK_STR(b, "7,4");
    cadre_format_decimal(8.45, 1, b, sizeof b);
    CHECK_STR(b, "8,5");
    cadre_format_decimal(2.675, 2, b, sizeof b);
    CHECK_STR(b, "2,68");
    cadre_format_decimal(1.005, 2, b, sizeof b);
    CHECK_STR(b, "1,01");
    cadre_format_decimal(0.05, 1, b, sizeof b);
    CHECK_STR(b, "0,1");
    cadre_format_decimal(0.005, 1, b, sizeof b);
    CHECK_STR(b, "0");
    cadre_format_decimal(7.34, 1, b, sizeof b);
    CHECK_STR(b, "7,3");
    cadre_format_decimal(-7.35, 1, b, sizeof b);
    CHECK_STR(b, "-7,4");
    cadre_format_decimal(735 / 100.0, 1, b, sizeof b); /* a score's value */
    CHECK_STR(b, "7,4");
    cadre_format_decimal(123456789012.5, 0, b, sizeof b);
    CHECK_STR(b, "123.456.789.013");
    CHECK_INT(cadre_format_int(1188, b, 3), 5); /* full length, truncated */
    CHECK_STR(b, "1.");
}

/* Text tidied as the records format reads it. */
static const char *tidy(const char *in, unsigned *folded)
{
    static char buf[256];
    size_t n = strlen(in);
    memcpy(buf, in, n + 1);
    size_t len = cadre_text_tidy(buf, n, folded);
    *folded &= ~(unsigned)CADRE_TIDY_NFC_UNKNOWN;
    return strlen(buf) == len ? buf : "(length differs)";
}

TEST(tidy_white_space_and_lookalikes)
{
    unsigned f;
    CHECK_STR(tidy("\n        Trần   Quang\tKhải\n      ", &f),
              "Trần Quang Khải");
    CHECK_INT(f, 0);
    /* no-break, narrow no-break, ideographic, en and line-separator
     * spaces are white space too */
    CHECK_STR(tidy("\u00A0Lý\u00A0\u00A0Văn\u202FSỹ\u3000\u2002x\u2028y\u00A0",
                   &f), "Lý Văn Sỹ x y");
    CHECK_STR(tidy(" \t\n\u00A0 ", &f), "");
    CHECK_STR(tidy("", &f), "");
    /* tidy already, and known NFC or not */
    char nfc[] = "Trần Quang Khải – Đình Lập", nfd[] = "Tra\u0302\u0300n";
    unsigned g;
    CHECK_INT(cadre_text_tidy(nfc, strlen(nfc), &g), strlen(nfc));
    CHECK_INT(g, 0);
    CHECK_INT(cadre_text_tidy(nfd, strlen(nfd), &g), strlen(nfd));
    CHECK_INT(g, CADRE_TIDY_NFC_UNKNOWN);
    CHECK_STR(tidy("a b", &f), "a b");
    CHECK_STR(tidy("a  b", &f), "a b");
    CHECK_STR(tidy("a \u00A0b", &f), "a b");
    CHECK_STR(tidy("a\u2013b \u2003c", &f), "a\u2013b c");
    /* not white space: zero-width space, and letters that share a lead
     * byte with a space (U+00A9, U+2010, U+3001) */
    CHECK_STR(tidy("a\u200Bb \u00A9 \u2010 \u3001", &f),
              "a\u200Bb \u00A9 \u2010 \u3001");
    CHECK_STR(tidy("\u00D0inh V\u0103n \u00D0\u1EE9c", &f),
              "\u0110inh V\u0103n \u0110\u1EE9c");
    CHECK_INT(f, CADRE_TIDY_ETH);
    CHECK_STR(tidy("\u00F0\u00E0o", &f), "\u0111\u00E0o");
    CHECK_INT(f, CADRE_TIDY_SMALL_ETH);
    CHECK_STR(tidy("\u00D0\u00F0 \u00C3\u00D1", &f), "\u0110\u0111 \u00C3\u00D1");
    CHECK_INT(f, CADRE_TIDY_ETH | CADRE_TIDY_SMALL_ETH);
}

int main(void)
{
    RUN(utf8_check);
    RUN(tidy_white_space_and_lookalikes);
    RUN(nfc);
    RUN(upper_lower);
    RUN(fold_ascii);
    RUN(name_order_spec_example);
    RUN(name_order_tones_and_letters);
    RUN(numbers);
    return check_done();
}
