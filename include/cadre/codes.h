/*
 * codes.h - the closed lists of codes in the records (education levels,
 * course types, grades ...) and the Vietnamese word for each.
 *
 * A code is stored as its index in its list.  The spec orders each list
 * from the highest level down, so a smaller index is a higher level and
 * "from X upwards" (từ X trở lên) means index <= X's index.
 *
 *     int e = cadre_code_parse(CADRE_CODE_EDUCATION, "cao-dang");
 *     printf("%s\n", cadre_code_label(CADRE_CODE_EDUCATION, e)); // Cao đẳng
 *     if (c->education <= CADRE_EDU_CAO_DANG) ... // cao đẳng or higher
 *
 * Threads: the lists are constant; every function is reentrant.
 */
#ifndef CADRE_CODES_H
#define CADRE_CODES_H

#include <stddef.h>

typedef enum cadre_code_kind {
    CADRE_CODE_LEVEL,            /* unit@level */
    CADRE_CODE_GENDER,           /* gender */
    CADRE_CODE_CATEGORY,         /* category */
    CADRE_CODE_EDUCATION,        /* education */
    CADRE_CODE_POLITICAL_THEORY, /* political-theory */
    CADRE_CODE_STATE_MANAGEMENT, /* state-management */
    CADRE_CODE_COURSE_TYPE,      /* course@type */
    CADRE_CODE_MODE,             /* course@mode */
    CADRE_CODE_STATUS,           /* participant@status */
    CADRE_CODE_GRADE,            /* participant@grade */
    CADRE_CODE_KIND_COUNT
} cadre_code_kind;

enum cadre_level { CADRE_LEVEL_HUYEN, CADRE_LEVEL_XA };
enum cadre_gender { CADRE_GENDER_NAM, CADRE_GENDER_NU };
enum cadre_category { CADRE_CAT_CAN_BO, CADRE_CAT_CONG_CHUC, CADRE_CAT_VIEN_CHUC };
enum cadre_education {
    CADRE_EDU_TIEN_SI, CADRE_EDU_THAC_SI, CADRE_EDU_DAI_HOC, CADRE_EDU_CAO_DANG,
    CADRE_EDU_TRUNG_CAP, CADRE_EDU_SO_CAP, CADRE_EDU_CHUA_DAO_TAO
};
enum cadre_political_theory {
    CADRE_POL_CU_NHAN, CADRE_POL_CAO_CAP, CADRE_POL_TRUNG_CAP, CADRE_POL_SO_CAP,
    CADRE_POL_CHUA_DAO_TAO
};
enum cadre_state_management {
    CADRE_QLNN_CVCC, CADRE_QLNN_CVC, CADRE_QLNN_CV, CADRE_QLNN_CAN_SU,
    CADRE_QLNN_CHUA_DAO_TAO
};
enum cadre_course_type {
    CADRE_COURSE_SO_CAP_LLCT, CADRE_COURSE_TRUNG_CAP_LLCT_HC,
    CADRE_COURSE_CAO_CAP_LLCT, CADRE_COURSE_CU_NHAN_LLCT, CADRE_COURSE_QLNN,
    CADRE_COURSE_NGHIEP_VU, CADRE_COURSE_KHAC
};
/* A course without @mode has CADRE_MODE_NONE. */
enum cadre_mode { CADRE_MODE_TAP_TRUNG, CADRE_MODE_KHONG_TAP_TRUNG, CADRE_MODE_NONE = 255 };
enum cadre_status {
    CADRE_STATUS_ENROLLED, CADRE_STATUS_COMPLETED, CADRE_STATUS_FAILED,
    CADRE_STATUS_WITHDRAWN
};
/* A participant without @grade has CADRE_GRADE_NONE. */
enum cadre_grade {
    CADRE_GRADE_XUAT_SAC, CADRE_GRADE_GIOI, CADRE_GRADE_KHA,
    CADRE_GRADE_TRUNG_BINH_KHA, CADRE_GRADE_TRUNG_BINH, CADRE_GRADE_NONE = 255
};

/* The number of codes in a list. */
int cadre_code_count(cadre_code_kind kind);

/* The index of `code` in its list, or -1 when it is not in the list. */
int cadre_code_parse(cadre_code_kind kind, const char *code);

/* The same for the `len` bytes at `code`, which need no NUL. */
int cadre_code_parse_len(cadre_code_kind kind, const char *code, size_t len);

/* The code as the records write it ("cao-dang"); NULL when out of range. */
const char *cadre_code_name(cadre_code_kind kind, int value);

/* The Vietnamese word for the code ("Cao đẳng"); NULL when out of range. */
const char *cadre_code_label(cadre_code_kind kind, int value);

/* The name of the list as the records write it ("education"). */
const char *cadre_code_kind_name(cadre_code_kind kind);

/* The codes of a list joined with ", " for messages ("nam, nu"). */
const char *cadre_code_list(cadre_code_kind kind);

#endif
