/* codes.c - the code lists of the records and their Vietnamese words. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "cadre/codes.h"

/* A code as the records write it. */
typedef struct code_name {
    const char *s; /* "cao-dang" */
    size_t len;    /* its length, to compare with memcmp */
} code_name;

#define C(s) {s, sizeof s - 1}

typedef struct code_list {
    const char *kind;          /* the list's name in the records */
    int count;                 /* codes in the list */
    const code_name *names;    /* as the records write them */
    const char *const *labels; /* the Vietnamese words */
    const char *joined;        /* names joined with ", " for messages */
} code_list;

#define LIST(k, n, l, j) {k, (int)(sizeof n / sizeof n[0]), n, l, j}

static const code_name level_n[] = {C("huyen"), C("xa")};
static const char *const level_l[] = {"Cấp huyện", "Cấp xã"};
static const code_name gender_n[] = {C("nam"), C("nu")};
static const char *const gender_l[] = {"Nam", "Nữ"};
static const code_name category_n[] = {C("can-bo"), C("cong-chuc"), C("vien-chuc")};
static const char *const category_l[] = {"Cán bộ", "Công chức", "Viên chức"};
static const code_name education_n[] = {C("tien-si"), C("thac-si"), C("dai-hoc"),
    C("cao-dang"), C("trung-cap"), C("so-cap"), C("chua-dao-tao")};
static const char *const education_l[] = {"Tiến sĩ", "Thạc sĩ", "Đại học",
    "Cao đẳng", "Trung cấp", "Sơ cấp", "Chưa qua đào tạo"};
static const code_name political_n[] = {C("cu-nhan"), C("cao-cap"), C("trung-cap"),
    C("so-cap"), C("chua-dao-tao")};
static const char *const political_l[] = {"Cử nhân", "Cao cấp", "Trung cấp",
    "Sơ cấp", "Chưa qua đào tạo"};
static const code_name state_n[] = {C("chuyen-vien-cao-cap"),
    C("chuyen-vien-chinh"), C("chuyen-vien"), C("can-su"), C("chua-dao-tao")};
static const char *const state_l[] = {"Chuyên viên cao cấp",
    "Chuyên viên chính", "Chuyên viên", "Cán sự", "Chưa qua bồi dưỡng"};
static const code_name course_n[] = {C("so-cap-llct"), C("trung-cap-llct-hc"),
    C("cao-cap-llct"), C("cu-nhan-llct"), C("qlnn"), C("nghiep-vu"), C("khac")};
static const char *const course_l[] = {"Sơ cấp lý luận chính trị",
    "Trung cấp lý luận chính trị – hành chính", "Cao cấp lý luận chính trị",
    "Cử nhân lý luận chính trị", "Bồi dưỡng quản lý nhà nước",
    "Bồi dưỡng nghiệp vụ", "Khác"};
static const code_name mode_n[] = {C("tap-trung"), C("khong-tap-trung")};
static const char *const mode_l[] = {"Tập trung", "Không tập trung"};
static const code_name status_n[] = {C("enrolled"), C("completed"), C("failed"),
    C("withdrawn")};
static const char *const status_l[] = {"Đang học", "Hoàn thành", "Không đạt",
    "Thôi học"};
static const code_name grade_n[] = {C("xuat-sac"), C("gioi"), C("kha"),
    C("trung-binh-kha"), C("trung-binh")};
static const char *const grade_l[] = {"Xuất sắc", "Giỏi", "Khá",
    "Trung bình khá", "Trung bình"};

static const code_list lists[CADRE_CODE_KIND_COUNT] = {
    [CADRE_CODE_LEVEL] = LIST("level", level_n, level_l, "huyen, xa"),
    [CADRE_CODE_GENDER] = LIST("gender", gender_n, gender_l, "nam, nu"),
    [CADRE_CODE_CATEGORY] = LIST("category", category_n, category_l,
        "can-bo, cong-chuc, vien-chuc"),
    [CADRE_CODE_EDUCATION] = LIST("education", education_n, education_l,
        "tien-si, thac-si, dai-hoc, cao-dang, trung-cap, so-cap, chua-dao-tao"),
    [CADRE_CODE_POLITICAL_THEORY] = LIST("political-theory", political_n,
        political_l, "cu-nhan, cao-cap, trung-cap, so-cap, chua-dao-tao"),
    [CADRE_CODE_STATE_MANAGEMENT] = LIST("state-management", state_n, state_l,
        "chuyen-vien-cao-cap, chuyen-vien-chinh, chuyen-vien, can-su, "
        "chua-dao-tao"),
    [CADRE_CODE_COURSE_TYPE] = LIST("type", course_n, course_l,
        "so-cap-llct, trung-cap-llct-hc, cao-cap-llct, cu-nhan-llct, qlnn, "
        "nghiep-vu, khac"),
    [CADRE_CODE_MODE] = LIST("mode", mode_n, mode_l,
        "tap-trung, khong-tap-trung"),
    [CADRE_CODE_STATUS] = LIST("status", status_n, status_l,
        "enrolled, completed, failed, withdrawn"),
    [CADRE_CODE_GRADE] = LIST("grade", grade_n, grade_l,
        "xuat-sac, gioi, kha, trung-binh-kha, trung-binh"),
};

static const code_list *list_of(cadre_code_kind kind)
{
    return (unsigned)kind < CADRE_CODE_KIND_COUNT ? &lists[kind] : NULL;
}

int cadre_code_count(cadre_code_kind kind)
{
    const code_list *l = list_of(kind);
    return l ? l->count : 0;
}

/* memcmp(a, b, n) == 0 without the call, for the few bytes of a code:
 * a word at each end (they overlap), eight bytes at a time between. */
static inline bool same_bytes(const char *a, const char *b, size_t n)
{
    if (n >= 8) {
        uint64_t x, y;
        for (size_t i = 0; i + 8 < n; i += 8) {
            memcpy(&x, a + i, 8);
            memcpy(&y, b + i, 8);
            if (x != y)
                return false;
        }
        memcpy(&x, a + n - 8, 8);
        memcpy(&y, b + n - 8, 8);
        return x == y;
    }
    if (n >= 4) {
        uint32_t x0, y0, x1, y1;
        memcpy(&x0, a, 4);
        memcpy(&y0, b, 4);
        memcpy(&x1, a + n - 4, 4);
        memcpy(&y1, b + n - 4, 4);
        return x0 == y0 && x1 == y1;
    }
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return false;
    return true;
}

int cadre_code_parse_len(cadre_code_kind kind, const char *code, size_t len)
{
    const code_list *l = list_of(kind);
    if (!l || !len)
        return -1;
    for (int i = 0; i < l->count; i++)
        if (l->names[i].len == len && same_bytes(l->names[i].s, code, len))
            return i;
    return -1;
}

int cadre_code_parse(cadre_code_kind kind, const char *code)
{
    return cadre_code_parse_len(kind, code, strlen(code));
}

const char *cadre_code_name(cadre_code_kind kind, int value)
{
    const code_list *l = list_of(kind);
    return l && value >= 0 && value < l->count ? l->names[value].s : NULL;
}

const char *cadre_code_label(cadre_code_kind kind, int value)
{
    const code_list *l = list_of(kind);
    return l && value >= 0 && value < l->count ? l->labels[value] : NULL;
}

const char *cadre_code_kind_name(cadre_code_kind kind)
{
    const code_list *l = list_of(kind);
    return l ? l->kind : "?";
}

const char *cadre_code_list(cadre_code_kind kind)
{
    const code_list *l = list_of(kind);
    return l ? l->joined : "";
}
