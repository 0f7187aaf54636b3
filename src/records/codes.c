/* codes.c - the code lists of the records and their Vietnamese words. */
#include <string.h>

#include "cadre/codes.h"

typedef struct code_list {
    const char *kind;          /* the list's name in the records */
    int count;                 /* codes in the list */
    const char *const *names;  /* as the records write them */
    const char *const *labels; /* the Vietnamese words */
    const char *joined;        /* names joined with ", " for messages */
} code_list;

#define LIST(k, n, l, j) {k, (int)(sizeof n / sizeof n[0]), n, l, j}

static const char *const level_n[] = {"huyen", "xa"};
static const char *const level_l[] = {"Cấp huyện", "Cấp xã"};
static const char *const gender_n[] = {"nam", "nu"};
static const char *const gender_l[] = {"Nam", "Nữ"};
static const char *const category_n[] = {"can-bo", "cong-chuc", "vien-chuc"};
static const char *const category_l[] = {"Cán bộ", "Công chức", "Viên chức"};
static const char *const education_n[] = {"tien-si", "thac-si", "dai-hoc",
    "cao-dang", "trung-cap", "so-cap", "chua-dao-tao"};
static const char *const education_l[] = {"Tiến sĩ", "Thạc sĩ", "Đại học",
    "Cao đẳng", "Trung cấp", "Sơ cấp", "Chưa qua đào tạo"};
static const char *const political_n[] = {"cu-nhan", "cao-cap", "trung-cap",
    "so-cap", "chua-dao-tao"};
static const char *const political_l[] = {"Cử nhân", "Cao cấp", "Trung cấp",
    "Sơ cấp", "Chưa qua đào tạo"};
static const char *const state_n[] = {"chuyen-vien-cao-cap",
    "chuyen-vien-chinh", "chuyen-vien", "can-su", "chua-dao-tao"};
static const char *const state_l[] = {"Chuyên viên cao cấp",
    "Chuyên viên chính", "Chuyên viên", "Cán sự", "Chưa qua bồi dưỡng"};
static const char *const course_n[] = {"so-cap-llct", "trung-cap-llct-hc",
    "cao-cap-llct", "cu-nhan-llct", "qlnn", "nghiep-vu", "khac"};
static const char *const course_l[] = {"Sơ cấp lý luận chính trị",
    "Trung cấp lý luận chính trị – hành chính", "Cao cấp lý luận chính trị",
    "Cử nhân lý luận chính trị", "Bồi dưỡng quản lý nhà nước",
    "Bồi dưỡng nghiệp vụ", "Khác"};
static const char *const mode_n[] = {"tap-trung", "khong-tap-trung"};
static const char *const mode_l[] = {"Tập trung", "Không tập trung"};
static const char *const status_n[] = {"enrolled", "completed", "failed",
    "withdrawn"};
static const char *const status_l[] = {"Đang học", "Hoàn thành", "Không đạt",
    "Thôi học"};
static const char *const grade_n[] = {"xuat-sac", "gioi", "kha",
    "trung-binh-kha", "trung-binh"};
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

int cadre_code_parse(cadre_code_kind kind, const char *code)
{
    const code_list *l = list_of(kind);
    for (int i = 0; l && i < l->count; i++)
        if (l->names[i][0] == code[0] && strcmp(l->names[i], code) == 0)
            return i;
    return -1;
}

const char *cadre_code_name(cadre_code_kind kind, int value)
{
    const code_list *l = list_of(kind);
    return l && value >= 0 && value < l->count ? l->names[value] : NULL;
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
