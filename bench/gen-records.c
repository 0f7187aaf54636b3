/*
 * gen-records - deterministic province-scale records (records format v1).
 *
 *   gen-records --cadres N [--units U] [--courses C] [--big-course K]
 *               [--seed S] [-o FILE]
 *
 * Writes one <records version="1"> file with U units (default 300, at both
 * levels, grouped in districts, some with a parent), N cadres (grouped by
 * unit) and C courses (default N/100, about 40 participants each) of every
 * type over 2015-2024.  The same arguments always give the same bytes: the
 * program has its own PRNG (splitmix64), reads no clock and no environment.
 *
 * What the data exercises: Vietnamese names with every base letter and tone
 * (about 2 % written decomposed, NFD), year-only birth dates (about 5 %),
 * ethnicity, positions, leaders (some with an explicit leader="false"),
 * party membership, every code of every list, optional elements left out
 * now and then, an escaped ampersand in some course titles, statuses,
 * grades only with "completed", scores, certificate numbers unique across
 * all courses.
 *
 * --big-course K adds, after the others, one province course (QLNN, ended
 * in 2023) whose K participants all completed it, with a certificate
 * number each: the certificate benchmarks issue K certificates from it.
 * Without the option the output is the same as before it existed.
 *
 * Plain C11, no dependency: cc -O2 -o gen-records gen-records.c
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- PRNG -- */

typedef struct { uint64_t s; } rng;

static uint64_t next64(rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static rng rng_for(uint64_t seed, uint64_t stream)
{
    rng r = { seed * 0xD1B54A32D192ED03ull + stream * 0x9E3779B97F4A7C15ull };
    next64(&r);
    return r;
}

/* uniform in [0, n) */
static uint32_t below(rng *r, uint32_t n)
{
    return n ? (uint32_t)(((next64(r) >> 32) * (uint64_t)n) >> 32) : 0;
}

/* uniform in [lo, hi] */
static int between(rng *r, int lo, int hi)
{
    return lo + (int)below(r, (uint32_t)(hi - lo + 1));
}

/* true with probability per-mille / 1000 */
static int chance(rng *r, unsigned permille)
{
    return below(r, 1000) < permille;
}

/* weighted pick: w[] sums to anything positive */
static int pick(rng *r, const unsigned *w, int n)
{
    unsigned total = 0;
    for (int i = 0; i < n; i++)
        total += w[i];
    unsigned x = below(r, total);
    for (int i = 0; i < n; i++) {
        if (x < w[i])
            return i;
        x -= w[i];
    }
    return n - 1;
}

#define N_(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* -------------------------------------------------------------- output -- */

static FILE *out;
static char obuf[1 << 20];
static size_t olen;

static void flush(void)
{
    if (olen && fwrite(obuf, 1, olen, out) != olen) {
        perror("gen-records: write");
        exit(1);
    }
    olen = 0;
}

static void put(const char *s, size_t n)
{
    if (olen + n > sizeof obuf)
        flush();
    if (n > sizeof obuf) {
        fwrite(s, 1, n, out);
        return;
    }
    memcpy(obuf + olen, s, n);
    olen += n;
}

static void puts_(const char *s) { put(s, strlen(s)); }

/* unsigned with at least `width` digits (zero padded) */
static void putu(unsigned long long v, int width)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n < width)
        tmp[n++] = '0';
    if (olen + (size_t)n > sizeof obuf)
        flush();
    while (n)
        obuf[olen++] = tmp[--n];
}

/* ---------------------------------------------------------------- dates -- */

/* days since 1970-01-01 <-> civil date (H. Hinnant's algorithms) */
static long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long)doe - 719468;
}

static void civil_from_days(long z, int *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long yy = (long)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

static void putdate(long days)
{
    int y, m, d;
    civil_from_days(days, &y, &m, &d);
    putu((unsigned)y, 4);
    put("-", 1);
    putu((unsigned)m, 2);
    put("-", 1);
    putu((unsigned)d, 2);
}

static long random_day_in_year(rng *r, int y)
{
    long a = days_from_civil(y, 1, 1), b = days_from_civil(y + 1, 1, 1);
    return a + (long)below(r, (uint32_t)(b - a));
}

static const int AS_OF_Y = 2024, AS_OF_M = 12, AS_OF_D = 31;
static long as_of;

/* ------------------------------------------------------ names and NFD -- */

/*
 * The Vietnamese vowels, by base (a ă â e ê i o ô ơ u ư y) and tone
 * (none, huyền, hỏi, ngã, sắc, nặng), lower case then upper case, NFC.
 * Used to decompose to NFD: base letter, then the modifier (circumflex,
 * breve, horn) and the tone mark in canonical order.
 */
static const char *const VOWELS[2][12][6] = {
    {{"a", "à", "ả", "ã", "á", "ạ"}, {"ă", "ằ", "ẳ", "ẵ", "ắ", "ặ"},
     {"â", "ầ", "ẩ", "ẫ", "ấ", "ậ"}, {"e", "è", "ẻ", "ẽ", "é", "ẹ"},
     {"ê", "ề", "ể", "ễ", "ế", "ệ"}, {"i", "ì", "ỉ", "ĩ", "í", "ị"},
     {"o", "ò", "ỏ", "õ", "ó", "ọ"}, {"ô", "ồ", "ổ", "ỗ", "ố", "ộ"},
     {"ơ", "ờ", "ở", "ỡ", "ớ", "ợ"}, {"u", "ù", "ủ", "ũ", "ú", "ụ"},
     {"ư", "ừ", "ử", "ữ", "ứ", "ự"}, {"y", "ỳ", "ỷ", "ỹ", "ý", "ỵ"}},
    {{"A", "À", "Ả", "Ã", "Á", "Ạ"}, {"Ă", "Ằ", "Ẳ", "Ẵ", "Ắ", "Ặ"},
     {"Â", "Ầ", "Ẩ", "Ẫ", "Ấ", "Ậ"}, {"E", "È", "Ẻ", "Ẽ", "É", "Ẹ"},
     {"Ê", "Ề", "Ể", "Ễ", "Ế", "Ệ"}, {"I", "Ì", "Ỉ", "Ĩ", "Í", "Ị"},
     {"O", "Ò", "Ỏ", "Õ", "Ó", "Ọ"}, {"Ô", "Ồ", "Ổ", "Ỗ", "Ố", "Ộ"},
     {"Ơ", "Ờ", "Ở", "Ỡ", "Ớ", "Ợ"}, {"U", "Ù", "Ủ", "Ũ", "Ú", "Ụ"},
     {"Ư", "Ừ", "Ử", "Ữ", "Ứ", "Ự"}, {"Y", "Ỳ", "Ỷ", "Ỹ", "Ý", "Ỵ"}},
};
static const char BASE[2][12] = {{'a', 'a', 'a', 'e', 'e', 'i', 'o', 'o', 'o', 'u', 'u', 'y'},
                                 {'A', 'A', 'A', 'E', 'E', 'I', 'O', 'O', 'O', 'U', 'U', 'Y'}};
/* modifier of each base: 0 none, else the combining mark (UTF-8) */
static const char *const MODIFIER[12] = {0, "\xCC\x86", "\xCC\x82", 0, "\xCC\x82", 0,
                                         0, "\xCC\x82", "\xCC\x9B", 0, "\xCC\x9B", 0};
/* U+0300 grave, U+0309 hook above, U+0303 tilde, U+0301 acute, U+0323 dot below */
static const char *const TONE[6] = {0, "\xCC\x80", "\xCC\x89", "\xCC\x83", "\xCC\x81", "\xCC\xA3"};

/* NFD of a NFC string made of Vietnamese letters (anything else copied) */
static char *to_nfd(const char *s)
{
    size_t n = strlen(s);
    char *o = malloc(n * 3 + 1), *p = o;
    if (!o)
        abort();
    while (*s) {
        int found = 0;
        if ((unsigned char)*s >= 0x80) {
            for (int c = 0; c < 2 && !found; c++)
                for (int b = 0; b < 12 && !found; b++)
                    for (int t = 0; t < 6 && !found; t++) {
                        const char *v = VOWELS[c][b][t];
                        size_t vl = strlen(v);
                        if ((unsigned char)v[0] < 0x80 || strncmp(s, v, vl) != 0)
                            continue;
                        found = 1;
                        *p++ = BASE[c][b];
                        const char *mod = MODIFIER[b], *tone = TONE[t];
                        /* canonical order: dot below (ccc 220) goes before
                         * circumflex and breve (230), after horn (216) */
                        if (tone && t == 5 && mod && strcmp(mod, "\xCC\x9B") != 0) {
                            memcpy(p, tone, 2), p += 2;
                            memcpy(p, mod, 2), p += 2;
                        } else {
                            if (mod)
                                memcpy(p, mod, 2), p += 2;
                            if (tone)
                                memcpy(p, tone, 2), p += 2;
                        }
                        s += vl;
                    }
        }
        if (!found)
            *p++ = *s++;
    }
    *p = 0;
    return o;
}

typedef struct { const char *nfc; const char *nfd; size_t lc, ld; } word;

static void words_init(word *w, const char *const *src, int n)
{
    for (int i = 0; i < n; i++) {
        w[i].nfc = src[i];
        w[i].lc = strlen(src[i]);
        w[i].nfd = to_nfd(src[i]);
        w[i].ld = strlen(w[i].nfd);
    }
}

/* Family names: Kinh and the Tày, Nùng, Dao families of Lạng Sơn. */
static const char *const FAMILY[] = {
    "Nguyễn", "Hoàng", "Lương", "Nông", "Trần", "Lý", "Lê", "Vi", "Hà", "Phạm",
    "Triệu", "Lộc", "Đinh", "Hứa", "Lăng", "Chu", "Mã", "Vũ", "Đặng", "Bế",
    "Lục", "Đàm", "Linh", "Tô", "Bùi", "Đỗ", "Ngô", "Dương", "Phan", "Hồ",
    "Mạc", "Quách", "Thẩm", "Ninh", "La", "Võ", "Huỳnh", "Văn",
    "Đoàn", "Trương", "Tạ", "Lưu", "Khổng", "Âu", "Ứng", "Ông", "Ẩn", "Ỷ",
    "Ấu", "Ỗ", "Ỳ", "Ừng", "Ở", "Ửu", "Ỹ",
};
static const unsigned FAMILY_W[] = {
    220, 110, 70, 70, 60, 50, 50, 40, 40, 30,
    30, 30, 25, 20, 20, 20, 15, 15, 15, 15,
    12, 12, 10, 10, 10, 10, 10, 10, 10, 8,
    8, 6, 5, 5, 5, 5, 4, 4,
    4, 4, 3, 3, 1, 2, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1,
};

static const char *const MIDDLE_M[] = {
    "Văn", "Văn", "Văn", "Đức", "Quang", "Minh", "Hữu", "Công", "Thanh", "Xuân",
    "Ngọc", "Mạnh", "Tiến", "Thế", "Đình", "Quốc", "Trọng", "Hồng", "Duy", "Bá",
    "Khắc", "Việt", "Trường", "Chí", "Kiều", "Nhật", "Sỹ", "Văn Hải", "Đức Thắng",
    "Ưởng", "Ẫn",
};
static const char *const MIDDLE_F[] = {
    "Thị", "Thị", "Thị", "Thị", "Thu", "Ngọc", "Thanh", "Hồng", "Kim", "Minh",
    "Thúy", "Diệu", "Phương", "Bích", "Mỹ", "Hải", "Lệ", "Tuyết", "Thị Thu",
    "Thị Hồng", "Quỳnh", "Khánh", "Bảo", "Ánh", "Ỷ",
};
/*
 * Given names: the common ones first (GIVEN_*_COMMON of them, most common
 * in the first 20), then a rare tail, mostly uppercase initial vowels, so
 * that every Vietnamese letter (base x tone, both cases) occurs in names.
 */
static const char *const GIVEN_M[] = {
    "Khải", "Hùng", "Dũng", "Tuấn", "Thắng", "Cường", "Hải", "Long", "Quyết", "Nghĩa",
    "Sơn", "Tùng", "Huy", "Lộc", "Phúc", "Trọng", "Đạt", "Việt", "Quân", "Hưng",
    "Thành", "Bình", "Chiến", "Dương", "Giang", "Hiếu", "Hoàn", "Khánh", "Kiên", "Lâm",
    "Mạnh", "Nam", "Ninh", "Phong", "Quang", "Sáng", "Tài", "Thịnh", "Thuận", "Toàn",
    "Trung", "Tú", "Vinh", "Vượng", "Xuân", "Hòa", "An", "Hóa", "Thưởng", "Tưởng",
    /* rare */
    "Ẩn", "Ước", "Ỷ", "Ngữ", "Lũy", "Lĩnh", "Mẫn", "Hỹ", "Vỹ", "Kỳ",
    "Tỵ", "Hỷ", "Nhẫn", "Luyện", "Quỳnh", "Thuyết", "Uyển", "Độ", "Vũ", "Lực",
    "Cừ", "Sử", "Ngạn", "Ấn", "Ất", "Ẵm", "Ắng", "Ằng", "Ẳng", "Ặc",
    "Ậu", "Ẩy", "Ầm", "Hoè", "Khẳng", "Lẵng", "Bỡ", "Ích", "Im", "Ẩm",
};
#define GIVEN_M_COMMON 50
static const char *const GIVEN_F[] = {
    "Hương", "Lan", "Hoa", "Huệ", "Nhung", "Thảo", "Ngọc", "Yến", "Trang", "Hằng",
    "Thủy", "Loan", "Liên", "Dung", "Nga", "Ánh", "Oanh", "Tuyết", "Hạnh", "Diệp",
    "Ly", "Mỹ", "Uyên", "Phượng", "Thắm", "Mận", "Đào", "Lụa", "Nguyệt", "Chi",
    "Duyên", "Giang", "Hiền", "Huyền", "Lê", "Linh", "Mai", "Ngân", "Nhàn", "Phương",
    "Quyên", "Sen", "Thoa", "Thơm", "Trinh", "Vân", "Xuyến", "Yên", "Em", "Bé",
    "Thỏa", "Hòa",
    /* rare */
    "Ẩn", "Ỳ", "Ngữ", "Dĩ", "Kỷ", "Mỵ", "Tẹo", "Nữ", "Bẽn", "Chẽ",
    "Ngọ", "Ổi", "Ễnh", "Chỉ", "Hẻ", "Ỏn", "Ọt", "Ẽm", "Ẻn", "Ẹn",
    "Ệnh", "Ển", "Ềnh", "Ếch", "Ễn", "Ịch", "Ỉn", "Ình", "Ĩn", "Ít",
    "Ụt", "Ủn", "Ùng", "Ũn", "Út", "Ựt", "Ừng", "Ững", "Ứng", "Ửng",
    "Ồn", "Ộc", "Ốc", "Ỗn", "Ọc", "Òn", "Õn", "Ót", "Ỏng", "Ớt",
    "Ợt", "Ờn", "Ởn", "Ỡn", "Ạc", "Àn", "Ảnh", "Ãn", "Ặt", "Ằn",
    "Ẳn", "Ẵn", "Ắt", "Ậm", "Ầu", "Ẫn", "Ấm", "Èn", "Ẻng", "Ẽn",
    "Én", "Ỵt", "Ỷn", "Ỹn", "Ýn", "Ên", "Ôn", "Ơn", "Ưng", "Âm",
    "Ăn", "Đông", "Ỳn", "Ì", "Ế", "Ữa",
};
#define GIVEN_F_COMMON 52
static unsigned given_weight(int i, int common) { return i < 20 ? 400 : i < common ? 150 : 1; }

static word family[N_(FAMILY)], middle_m[N_(MIDDLE_M)], middle_f[N_(MIDDLE_F)];
static word given_m[N_(GIVEN_M)], given_f[N_(GIVEN_F)];
static unsigned given_m_w[N_(GIVEN_M)], given_f_w[N_(GIVEN_F)];

static const char *const ETHNICITY[] = {
    "Tày", "Nùng", "Kinh", "Dao", "Sán Chỉ", "Hoa", "Mông", "Sán Dìu", "Mường", "Thái",
};
static const unsigned ETHNICITY_W[] = {350, 300, 280, 40, 10, 6, 5, 4, 3, 2};

/* ------------------------------------------------------------ districts -- */

static const char *const DISTRICT[] = {
    "Đình Lập", "Tràng Định", "Văn Lãng", "Văn Quan", "Bình Gia", "Bắc Sơn",
    "Hữu Lũng", "Chi Lăng", "Cao Lộc", "Lộc Bình", "Hà Quảng", "Trùng Khánh",
    "Quảng Hòa", "Bảo Lạc", "Nguyên Bình", "Thạch An", "Hạ Lang", "Bảo Lâm",
    "Hòa An", "Ba Bể", "Na Rì", "Ngân Sơn", "Chợ Đồn", "Pác Nặm",
};

static const char *const COMMUNE[] = {
    "Nông trường Thái Bình", "Bắc Xa", "Bính Xá", "Kiên Mộc", "Châu Sơn",
    "Lâm Ca", "Cường Lợi", "Đồng Thắng", "Bắc Lãng", "Quang Lang", "Mai Sao",
    "Bằng Hữu", "Thượng Cường", "Vân An", "Vân Thủy", "Chiến Thắng", "Hữu Kiên",
    "Nhân Lý", "Bằng Mạc", "Gia Lộc", "Lâm Sơn", "Liên Sơn", "Hòa Bình",
    "Y Tịch", "Khánh Khê", "Tú Xuyên", "Hữu Lễ", "Tràng Phái", "Tân Đoàn",
    "Tràng Sơn", "Bình Phúc", "Xuân Long", "Tri Lễ", "Tân Văn", "Thiện Long",
    "Hòa Lạc", "Quan Sơn", "Yên Bình", "Hòa Thắng", "Ái Quốc", "Ẩm Hạ",
    "Mẫu Sơn", "Xuân Dương", "Na Dương", "Lợi Bác", "Tú Đoạn", "Khuất Xá",
    "Đông Quan", "Sàn Viên", "Hữu Khánh", "Tĩnh Bắc", "Minh Phát", "Nam Quan",
    "Thụy Hùng", "Hoàng Văn Thụ", "Nhạc Kỳ", "Tân Liên", "Gia Cát", "Hợp Thành",
    "Ôn Cốc", "Ơn Lương", "Ưng Sơn", "Ếch Khê", "Ỏ Pò", "Ỗ Lân",
};

/*
 * District bodies, most important first.  parent: 0 none, 'H' the Huyện ủy
 * (always the first body), 'U' the Ủy ban nhân dân (the second).
 * kind: 'P' party and mass organisations, 'S' state offices, 'C' service
 * centres (viên chức).
 */
typedef struct {
    const char *code, *name, *head;
    char parent, kind;
} body;

static const body BODIES[] = {
    {"HU", "Huyện ủy", "Bí thư Huyện ủy", 0, 'P'},
    {"UBND", "Ủy ban nhân dân huyện", "Chủ tịch Ủy ban nhân dân huyện", 0, 'S'},
    {"BTC", "Ban Tổ chức Huyện ủy", "Trưởng Ban Tổ chức Huyện ủy", 'H', 'P'},
    {"NV", "Phòng Nội vụ huyện", "Trưởng phòng Nội vụ", 'U', 'S'},
    {"BTG", "Ban Tuyên giáo Huyện ủy", "Trưởng Ban Tuyên giáo Huyện ủy", 'H', 'P'},
    {"UBKT", "Ủy ban Kiểm tra Huyện ủy", "Chủ nhiệm Ủy ban Kiểm tra", 'H', 'P'},
    {"VPHU", "Văn phòng Huyện ủy", "Chánh Văn phòng Huyện ủy", 'H', 'P'},
    {"VP", "Văn phòng HĐND và UBND huyện", "Chánh Văn phòng", 'U', 'S'},
    {"TCKH", "Phòng Tài chính – Kế hoạch huyện", "Trưởng phòng Tài chính – Kế hoạch", 'U', 'S'},
    {"GDDT", "Phòng Giáo dục và Đào tạo huyện", "Trưởng phòng Giáo dục và Đào tạo", 'U', 'S'},
    {"TTCT", "Trung tâm Chính trị huyện", "Giám đốc Trung tâm Chính trị", 'H', 'C'},
    {"TNMT", "Phòng Tài nguyên và Môi trường huyện", "Trưởng phòng Tài nguyên và Môi trường", 'U', 'S'},
    {"NN", "Phòng Nông nghiệp và Phát triển nông thôn huyện", "Trưởng phòng Nông nghiệp và PTNT", 'U', 'S'},
    {"BDV", "Ban Dân vận Huyện ủy", "Trưởng Ban Dân vận Huyện ủy", 'H', 'P'},
    {"LDTBXH", "Phòng Lao động – Thương binh và Xã hội huyện", "Trưởng phòng Lao động – Thương binh và Xã hội", 'U', 'S'},
    {"TP", "Phòng Tư pháp huyện", "Trưởng phòng Tư pháp", 'U', 'S'},
    {"VHTT", "Phòng Văn hóa và Thông tin huyện", "Trưởng phòng Văn hóa và Thông tin", 'U', 'S'},
    {"KTHT", "Phòng Kinh tế và Hạ tầng huyện", "Trưởng phòng Kinh tế và Hạ tầng", 'U', 'S'},
    {"YT", "Phòng Y tế huyện", "Trưởng phòng Y tế", 'U', 'S'},
    {"DT", "Phòng Dân tộc huyện", "Trưởng phòng Dân tộc", 'U', 'S'},
    {"TT", "Thanh tra huyện", "Chánh Thanh tra huyện", 'U', 'S'},
    {"MTTQ", "Ủy ban Mặt trận Tổ quốc Việt Nam huyện", "Chủ tịch Ủy ban MTTQ Việt Nam huyện", 0, 'P'},
    {"HD", "Huyện đoàn", "Bí thư Huyện đoàn", 0, 'P'},
    {"HLHPN", "Hội Liên hiệp Phụ nữ huyện", "Chủ tịch Hội Liên hiệp Phụ nữ", 0, 'P'},
    {"HND", "Hội Nông dân huyện", "Chủ tịch Hội Nông dân", 0, 'P'},
    {"HCCB", "Hội Cựu chiến binh huyện", "Chủ tịch Hội Cựu chiến binh", 0, 'P'},
    {"TTYT", "Trung tâm Y tế huyện", "Giám đốc Trung tâm Y tế", 'U', 'C'},
    {"TTVH", "Trung tâm Văn hóa, Thể thao và Truyền thông huyện", "Giám đốc Trung tâm", 'U', 'C'},
    {"BQLDA", "Ban Quản lý dự án đầu tư xây dựng huyện", "Giám đốc Ban Quản lý dự án", 'U', 'C'},
    {"GDNN", "Trung tâm Giáo dục nghề nghiệp – Giáo dục thường xuyên huyện", "Giám đốc Trung tâm", 'U', 'C'},
    {"DVNN", "Trung tâm Dịch vụ nông nghiệp huyện", "Giám đốc Trung tâm", 'U', 'C'},
    {"QDHCC", "Quỹ Đầu tư phát triển huyện", "Giám đốc Quỹ", 'U', 'C'},
};

static const char *const STAFF_P[] = {
    "Phó Trưởng ban", "Chuyên viên", "Chuyên viên", "Chuyên viên", "Kế toán",
    "Văn thư – Lưu trữ", "Cán sự", "Nhân viên phục vụ",
};
static const char *const STAFF_S[] = {
    "Chuyên viên", "Chuyên viên", "Chuyên viên", "Chuyên viên chính", "Kế toán",
    "Văn thư", "Thanh tra viên", "Cán sự", "Chuyên viên tổng hợp",
};
static const char *const STAFF_C[] = {
    "Bác sĩ", "Y sĩ", "Điều dưỡng", "Dược sĩ", "Giáo viên", "Kỹ sư nông nghiệp",
    "Kế toán", "Phóng viên", "Kỹ thuật viên", "Viên chức hành chính",
};
static const char *const COMMUNE_LEAD[] = {
    "Bí thư Đảng ủy", "Phó Bí thư Đảng ủy", "Chủ tịch Hội đồng nhân dân",
    "Phó Chủ tịch Hội đồng nhân dân", "Chủ tịch Ủy ban nhân dân",
    "Phó Chủ tịch Ủy ban nhân dân", "Chủ tịch Ủy ban MTTQ Việt Nam",
};
static const char *const COMMUNE_CB[] = {
    "Bí thư Đoàn Thanh niên Cộng sản Hồ Chí Minh", "Chủ tịch Hội Liên hiệp Phụ nữ",
    "Chủ tịch Hội Nông dân", "Chủ tịch Hội Cựu chiến binh", "Phó Chủ tịch Ủy ban MTTQ",
};
static const char *const COMMUNE_CC[] = {
    "Công chức Văn phòng – Thống kê", "Công chức Địa chính – Xây dựng – Đô thị và Môi trường",
    "Công chức Tài chính – Kế toán", "Công chức Tư pháp – Hộ tịch",
    "Công chức Văn hóa – Xã hội", "Chỉ huy trưởng Ban Chỉ huy Quân sự",
    "Trưởng Công an xã", "Công chức Địa chính – Nông nghiệp",
};

typedef struct {
    char id[32];
    int district;
    int body;       /* index into BODIES, or -1 for a commune */
    int commune;    /* 0 the township, else the n-th commune */
    int start;      /* where the district's communes start in COMMUNE */
    int parent;     /* unit index or -1 */
    uint32_t first, count; /* the cadres of this unit */
} unit;

/* -------------------------------------------------------------- codes -- */

static const char *const EDUCATION[] = {"tien-si", "thac-si", "dai-hoc", "cao-dang",
                                        "trung-cap", "so-cap", "chua-dao-tao"};
static const unsigned EDUCATION_W[] = {3, 60, 540, 90, 220, 30, 57};
static const char *const THEORY[] = {"cu-nhan", "cao-cap", "trung-cap", "so-cap", "chua-dao-tao"};
static const unsigned THEORY_W[] = {10, 60, 300, 400, 230};
static const unsigned THEORY_LEAD_W[] = {30, 250, 550, 150, 20};
static const char *const STATE_MGMT[] = {"chuyen-vien-cao-cap", "chuyen-vien-chinh", "chuyen-vien",
                                         "can-su", "chua-dao-tao"};
static const unsigned STATE_MGMT_W[] = {5, 60, 420, 150, 365};
static const char *const CATEGORY[] = {"can-bo", "cong-chuc", "vien-chuc"};

enum { T_SO_CAP, T_TRUNG_CAP, T_CAO_CAP, T_CU_NHAN, T_QLNN, T_NGHIEP_VU, T_KHAC, T_N };
static const char *const COURSE_TYPE[T_N] = {"so-cap-llct", "trung-cap-llct-hc", "cao-cap-llct",
                                             "cu-nhan-llct", "qlnn", "nghiep-vu", "khac"};
static const char *const COURSE_PREFIX[T_N] = {"SC", "TC", "CC", "CN", "QLNN", "NV", "KH"};
static const unsigned COURSE_TYPE_W[T_N] = {150, 100, 30, 10, 150, 500, 60};
static const char *const GRADE[] = {"xuat-sac", "gioi", "kha", "trung-binh-kha", "trung-binh"};
static const unsigned GRADE_W[] = {60, 280, 450, 150, 60};

static const char *const NV_TOPIC[] = {
    "công tác văn thư, lưu trữ",
    "công tác tổ chức, cán bộ",
    "kiểm tra, giám sát của Đảng",
    "công tác dân vận",
    "tài chính &amp; kế toán ngân sách xã",
    "địa chính, đất đai và môi trường",
    "tư pháp – hộ tịch",
    "công tác tuyên giáo",
    "ứng dụng công nghệ thông tin, chuyển đổi số",
    "tiếp công dân, giải quyết khiếu nại, tố cáo",
    "công tác dân tộc, tôn giáo",
    "phòng, chống tham nhũng",
    "cải cách hành chính",
    "quốc phòng và an ninh đối tượng 4",
    "kỹ năng lãnh đạo, quản lý cấp xã",
    "tiếng Tày, tiếng Nùng cho cán bộ",
};
static const char *const KHAC_TOPIC[] = {
    "Hội nghị học tập, quán triệt Nghị quyết Trung ương",
    "Tập huấn kỹ năng mềm cho cán bộ trẻ",
    "Lớp bồi dưỡng kiến thức hội nhập quốc tế",
    "Lớp bồi dưỡng đối tượng kết nạp Đảng",
    "Tập huấn phòng cháy, chữa cháy &amp; cứu nạn",
};

#define SAME_LEN(a, b) _Static_assert(N_(a) == N_(b), #a " and " #b " differ in length")
SAME_LEN(FAMILY, FAMILY_W);
SAME_LEN(ETHNICITY, ETHNICITY_W);
SAME_LEN(EDUCATION, EDUCATION_W);
SAME_LEN(THEORY, THEORY_W);
SAME_LEN(THEORY, THEORY_LEAD_W);
SAME_LEN(STATE_MGMT, STATE_MGMT_W);
SAME_LEN(GRADE, GRADE_W);

/* -------------------------------------------------------------- main --- */

static void usage(int code)
{
    fputs("usage: gen-records --cadres N [--units U] [--courses C] [--big-course K]\n"
          "                   [--seed S] [-o FILE]\n"
          "Writes deterministic records (format version 1) to FILE or stdout.\n"
          "Defaults: 300 units, N/100 courses of about 40 participants, seed 1.\n"
          "--big-course K: one more course, K participants who all completed it.\n",
          code ? stderr : stdout);
    exit(code);
}

static unsigned long long num(const char *opt, const char *s)
{
    char *end;
    if (!s)
        usage(2);
    unsigned long long v = strtoull(s, &end, 10);
    if (*s == '-' || *end || end == s) {
        fprintf(stderr, "gen-records: %s: not a number: %s\n", opt, s);
        exit(2);
    }
    return v;
}

static void putword(const word *w, int nfd)
{
    if (nfd)
        put(w->nfd, w->ld);
    else
        put(w->nfc, w->lc);
}

/* a full name: family, middle, given; `nfd` writes it decomposed */
static void putname(rng *r, int female, int nfd)
{
    putword(&family[pick(r, FAMILY_W, N_(FAMILY))], nfd);
    put(" ", 1);
    if (female) {
        putword(&middle_f[below(r, N_(MIDDLE_F) - (chance(r, 990) ? 2 : 0))], nfd);
        put(" ", 1);
        putword(&given_f[pick(r, given_f_w, N_(GIVEN_F))], nfd);
    } else {
        putword(&middle_m[below(r, N_(MIDDLE_M) - (chance(r, 990) ? 2 : 0))], nfd);
        put(" ", 1);
        putword(&given_m[pick(r, given_m_w, N_(GIVEN_M))], nfd);
    }
}

static void putdistrict(int d)
{
    puts_(DISTRICT[d % N_(DISTRICT)]);
    if (d >= N_(DISTRICT)) {
        put(" ", 1);
        putu((unsigned)(d / N_(DISTRICT) + 1), 1);
    }
}

static void putunitname(const unit *u)
{
    if (u->body >= 0) {
        puts_(BODIES[u->body].name);
        put(" ", 1);
        putdistrict(u->district);
    } else if (u->commune == 0) { /* the district's township */
        puts_("Thị trấn ");
        putdistrict(u->district);
    } else {
        int j = u->commune - 1, c = (u->start + j) % N_(COMMUNE);
        puts_(c == 0 ? "Thị trấn " : "Xã ");
        puts_(COMMUNE[c]);
        if (j >= N_(COMMUNE)) {
            put(" ", 1);
            putu((unsigned)(j / N_(COMMUNE) + 1), 1);
        }
    }
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    unsigned long long ncadres = 0, nunits = 300, ncourses = 0, seed = 1, nbig = 0;
    int have_cadres = 0, have_courses = 0;
    const char *path = NULL;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--cadres"))
            ncadres = num(a, argv[++i]), have_cadres = 1;
        else if (!strcmp(a, "--units"))
            nunits = num(a, argv[++i]);
        else if (!strcmp(a, "--courses"))
            ncourses = num(a, argv[++i]), have_courses = 1;
        else if (!strcmp(a, "--big-course"))
            nbig = num(a, argv[++i]);
        else if (!strcmp(a, "--seed"))
            seed = num(a, argv[++i]);
        else if (!strcmp(a, "-o")) {
            if (!(path = argv[++i]))
                usage(2);
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help"))
            usage(0);
        else {
            fprintf(stderr, "gen-records: unknown argument: %s\n", a);
            usage(2);
        }
    }
    if (!have_cadres)
        usage(2);
    if (nunits < 1 || nunits > 1000000 || ncadres > 100000000ull) {
        fputs("gen-records: need 1 to 1000000 units and at most 100000000 cadres\n", stderr);
        return 2;
    }
    if (!have_courses)
        ncourses = ncadres / 100;
    if (nbig > ncadres) {
        fputs("gen-records: --big-course: more participants than cadres\n", stderr);
        return 2;
    }
    if (ncourses > 10000000ull) {
        fputs("gen-records: at most 10000000 courses\n", stderr);
        return 2;
    }
    out = stdout;
    if (path && strcmp(path, "-") && !(out = fopen(path, "wb"))) {
        perror(path);
        return 2;
    }

    words_init(family, FAMILY, N_(FAMILY));
    words_init(middle_m, MIDDLE_M, N_(MIDDLE_M));
    words_init(middle_f, MIDDLE_F, N_(MIDDLE_F));
    words_init(given_m, GIVEN_M, N_(GIVEN_M));
    words_init(given_f, GIVEN_F, N_(GIVEN_F));
    for (int i = 0; i < N_(GIVEN_M); i++)
        given_m_w[i] = given_weight(i, GIVEN_M_COMMON);
    for (int i = 0; i < N_(GIVEN_F); i++)
        given_f_w[i] = given_weight(i, GIVEN_F_COMMON);
    as_of = days_from_civil(AS_OF_Y, AS_OF_M, AS_OF_D);

    /* ---- units: districts of about 27 units, 45 % district bodies ---- */
    uint32_t U = (uint32_t)nunits;
    uint32_t per = 27, D = (U + per - 1) / per;
    unit *units = calloc(U, sizeof *units);
    uint32_t *dfirst = calloc(D + 1, sizeof *dfirst); /* first unit of a district */
    if (!units || !dfirst)
        abort();
    rng ru = rng_for(seed, 1);
    {
        uint32_t u = 0;
        for (uint32_t d = 0; d < D; d++) {
            uint32_t n = U / D + (d < U % D);
            uint32_t nb = (n * 45 + 50) / 100;
            if (nb > (uint32_t)N_(BODIES))
                nb = N_(BODIES);
            if (nb == 0 && n > 1)
                nb = 1;
            dfirst[d] = u;
            int start = (int)below(&ru, N_(COMMUNE));
            for (uint32_t k = 0; k < n; k++, u++) {
                unit *x = &units[u];
                x->district = (int)d;
                x->parent = -1;
                if (k < nb) {
                    x->body = (int)k;
                    snprintf(x->id, sizeof x->id, "D%02u.%s", d + 1, BODIES[k].code);
                    char p = BODIES[k].parent;
                    if (p == 'H' && nb > 0)
                        x->parent = (int)dfirst[d];
                    else if (p == 'U' && nb > 1)
                        x->parent = (int)dfirst[d] + 1;
                } else {
                    x->body = -1;
                    uint32_t c = k - nb;
                    x->commune = (int)c; /* the first is the township */
                    x->start = start;
                    snprintf(x->id, sizeof x->id, "D%02u.X%02u", d + 1, c + 1);
                }
            }
        }
        dfirst[D] = U;
    }

    /* ---- cadres per unit, in unit order; weights 1 to 4 (heads bigger) ---- */
    {
        double *w = malloc(U * sizeof *w), total = 0;
        if (!w)
            abort();
        for (uint32_t u = 0; u < U; u++) {
            w[u] = 1.0 + (double)below(&ru, 3000) / 1000.0;
            if (units[u].body == 0 || units[u].body == 1)
                w[u] += 1.0;
            total += w[u];
        }
        double acc = 0;
        uint64_t prev = 0;
        for (uint32_t u = 0; u < U; u++) {
            acc += w[u];
            uint64_t upto = u + 1 == U ? ncadres : (uint64_t)((double)ncadres * acc / total);
            if (upto < prev)
                upto = prev;
            units[u].first = (uint32_t)prev;
            units[u].count = (uint32_t)(upto - prev);
            prev = upto;
        }
        free(w);
    }
    int idw = 7;
    for (unsigned long long t = 10000000ull; t <= ncadres; t *= 10)
        idw++;

    /* ---- header ---- */
    puts_("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<!-- generated by gen-records: cadres ");
    putu(ncadres, 1);
    puts_(", units ");
    putu(nunits, 1);
    puts_(", courses ");
    putu(ncourses, 1);
    puts_(", seed ");
    putu(seed, 1);
    puts_(" -->\n<records version=\"1\" as-of=\"2024-12-31\" issuer=\"Ban Tổ chức Tỉnh ủy Lạng Sơn\""
          " place=\"Lạng Sơn\" signer=\"Hoàng Văn Thụ\""
          " signer-title=\"Trưởng Ban Tổ chức\">\n");

    /* ---- units ---- */
    puts_("  <units>\n");
    for (uint32_t u = 0; u < U; u++) {
        const unit *x = &units[u];
        puts_("    <unit id=\"");
        puts_(x->id);
        puts_("\" name=\"");
        putunitname(x);
        puts_(x->body >= 0 ? "\" level=\"huyen\"" : "\" level=\"xa\"");
        if (x->parent >= 0) {
            puts_(" parent=\"");
            puts_(units[x->parent].id);
            put("\"", 1);
        }
        puts_("/>\n");
    }
    puts_("  </units>\n");

    /* ---- cadres ---- */
    puts_("  <cadres>\n");
    rng rc = rng_for(seed, 2);
    for (uint32_t u = 0; u < U; u++) {
        const unit *x = &units[u];
        const body *b = x->body >= 0 ? &BODIES[x->body] : NULL;
        char kind = b ? b->kind : 'X';
        for (uint32_t k = 0; k < x->count; k++) {
            uint32_t i = x->first + k;
            int head = k == 0;
            int leader = head || chance(&rc, 110);
            int female = chance(&rc, 430);
            int nfd = chance(&rc, 20);
            puts_("    <cadre id=\"C");
            putu(i + 1, idw);
            puts_("\" unit=\"");
            puts_(x->id);
            if (leader)
                puts_("\" leader=\"true\">\n");
            else if (chance(&rc, 30))
                puts_("\" leader=\"false\">\n");
            else
                puts_("\">\n");

            puts_("      <full-name>");
            putname(&rc, female, nfd);
            puts_("</full-name>\n      <gender>");
            puts_(female ? "nu" : "nam");
            puts_("</gender>\n      <birth-date>");
            int by = between(&rc, leader ? 1964 : 1966, leader ? 1990 : 2002);
            long birth;
            if (chance(&rc, 50)) {
                putu((unsigned)by, 4);
                birth = days_from_civil(by, 7, 1);
            } else {
                birth = random_day_in_year(&rc, by);
                putdate(birth);
            }
            puts_("</birth-date>\n");

            if (!chance(&rc, 30)) {
                puts_("      <ethnicity>");
                puts_(ETHNICITY[pick(&rc, ETHNICITY_W, N_(ETHNICITY))]);
                puts_("</ethnicity>\n");
            }

            /* position and category */
            const char *pos;
            int cat;
            if (!b) { /* commune */
                if (leader) {
                    pos = COMMUNE_LEAD[head ? 0 : below(&rc, N_(COMMUNE_LEAD))];
                    cat = 0;
                } else if (chance(&rc, 300)) {
                    pos = COMMUNE_CB[below(&rc, N_(COMMUNE_CB))];
                    cat = 0;
                } else {
                    pos = COMMUNE_CC[below(&rc, N_(COMMUNE_CC))];
                    cat = 1;
                }
            } else if (leader) {
                pos = head ? b->head : NULL;
                cat = kind == 'C' ? 2 : kind == 'P' ? 0 : (chance(&rc, 300) ? 0 : 1);
            } else {
                if (kind == 'P')
                    pos = STAFF_P[below(&rc, N_(STAFF_P))], cat = 1;
                else if (kind == 'S')
                    pos = STAFF_S[below(&rc, N_(STAFF_S))], cat = 1;
                else
                    pos = STAFF_C[below(&rc, N_(STAFF_C))], cat = 2;
                if (chance(&rc, 40))
                    cat = (int)below(&rc, 3);
            }
            if (!chance(&rc, 40)) {
                puts_("      <position>");
                if (pos)
                    puts_(pos);
                else { /* a deputy: "Phó " + the head's title */
                    puts_("Phó ");
                    puts_(b->head);
                }
                puts_("</position>\n");
            }
            puts_("      <category>");
            puts_(CATEGORY[cat]);
            puts_("</category>\n      <education>");
            puts_(EDUCATION[pick(&rc, EDUCATION_W, N_(EDUCATION))]);
            puts_("</education>\n      <political-theory>");
            puts_(THEORY[pick(&rc, leader ? THEORY_LEAD_W : THEORY_W, N_(THEORY))]);
            puts_("</political-theory>\n");
            if (!chance(&rc, 300)) {
                puts_("      <state-management>");
                puts_(STATE_MGMT[pick(&rc, STATE_MGMT_W, N_(STATE_MGMT))]);
                puts_("</state-management>\n");
            }
            if (chance(&rc, leader ? 950 : 600)) {
                if (chance(&rc, 20))
                    puts_("      <party-member/>\n");
                else {
                    long from = birth + 18 * 365 + 5, to = as_of;
                    if (from > to)
                        from = to;
                    long since = from + (long)below(&rc, (uint32_t)(to - from + 1));
                    puts_("      <party-member since=\"");
                    putdate(since);
                    puts_("\"/>\n");
                }
            }
            puts_("    </cadre>\n");
        }
    }
    puts_("  </cadres>\n");

    /* ---- courses ---- */
    if (ncourses > 0 || nbig > 0) {
        puts_("  <courses>\n");
        rng rk = rng_for(seed, 3);
        unsigned cert_cc[64] = {0}, cert_gcn[64] = {0}; /* per year since 2000 */
        uint32_t small_buf[200], *pick_buf = small_buf;
        for (uint32_t c = 0; c < ncourses + (nbig > 0); c++) {
            int big = c == ncourses; /* --big-course: the last one */
            int t = big ? T_QLNN : pick(&rk, COURSE_TYPE_W, T_N);
            int y = big ? 2023 : between(&rk, 2015, 2024);
            long start = random_day_in_year(&rk, y), len;
            int mode; /* 0 none, 1 tap-trung, 2 khong-tap-trung */
            int lo, hi;
            switch (t) {
            case T_SO_CAP: len = between(&rk, 20, 90), mode = 1, lo = 25, hi = 55; break;
            case T_TRUNG_CAP:
                mode = chance(&rk, 400) ? 1 : 2;
                len = mode == 1 ? between(&rk, 200, 260) : between(&rk, 420, 540);
                lo = 35, hi = 65;
                break;
            case T_CAO_CAP: len = between(&rk, 240, 700), mode = chance(&rk, 500) ? 1 : 2, lo = 3, hi = 15; break;
            case T_CU_NHAN: len = between(&rk, 1000, 1400), mode = 2, lo = 2, hi = 8; break;
            case T_QLNN: len = between(&rk, 25, 70), mode = 1, lo = 30, hi = 50; break;
            case T_NGHIEP_VU: len = between(&rk, 2, 12), mode = 1, lo = 15, hi = 65; break;
            default: len = between(&rk, 1, 5), mode = 1, lo = 10, hi = 50; break;
            }
            if (big)
                len = 40, mode = 1;
            else if (chance(&rk, 150))
                mode = 0;
            long end = start + len;
            int ey, em, ed;
            civil_from_days(end, &ey, &em, &ed);
            int running = end > as_of;

            /* the participants: district courses draw from one district */
            int province = big || t == T_TRUNG_CAP || t == T_CAO_CAP || t == T_CU_NHAN ||
                           (t == T_QLNN && chance(&rk, 500));
            uint32_t d = below(&rk, D);
            uint32_t from = 0, span = (uint32_t)ncadres;
            if (!province) {
                from = units[dfirst[d]].first;
                uint32_t last = dfirst[d + 1] - 1;
                span = units[last].first + units[last].count - from;
            }
            uint32_t k = big ? (uint32_t)nbig : (uint32_t)between(&rk, lo, hi);
            if (k > span)
                k = span;
            if (big) { /* evenly spread over the province: distinct, in order */
                if (!(pick_buf = malloc((k ? k : 1) * sizeof *pick_buf))) {
                    fputs("gen-records: out of memory\n", stderr);
                    return 1;
                }
                for (uint32_t j = 0; j < k; j++)
                    pick_buf[j] = (uint32_t)((unsigned long long)j * span / k);
            }
            for (uint32_t j = 0; j < k && !big; j++) {
                uint32_t v;
                int dup;
                do {
                    v = from + below(&rk, span);
                    dup = 0;
                    for (uint32_t q = 0; q < j; q++)
                        if (pick_buf[q] == v) {
                            dup = 1;
                            break;
                        }
                } while (dup);
                pick_buf[j] = v;
            }
            qsort(pick_buf, k, sizeof pick_buf[0], cmp_u32);

            puts_("    <course id=\"");
            puts_(COURSE_PREFIX[t]);
            put("-", 1);
            putu((unsigned)y, 4);
            put("-", 1);
            putu(c + 1, 5);
            puts_("\" type=\"");
            puts_(COURSE_TYPE[t]);
            if (mode) {
                puts_("\" mode=\"");
                puts_(mode == 1 ? "tap-trung" : "khong-tap-trung");
            }
            puts_("\" start=\"");
            putdate(start);
            puts_("\" end=\"");
            putdate(end);
            puts_("\">\n      <title>");
            switch (t) {
            case T_SO_CAP:
                puts_("Sơ cấp lý luận chính trị, khóa ");
                putu((unsigned)y, 4);
                break;
            case T_TRUNG_CAP:
                puts_("Trung cấp lý luận chính trị – hành chính, khóa ");
                putu((unsigned)y, 4);
                puts_(" – ");
                putu((unsigned)ey, 4);
                break;
            case T_CAO_CAP:
                puts_("Cao cấp lý luận chính trị, khóa ");
                putu((unsigned)y, 4);
                puts_(" – ");
                putu((unsigned)ey, 4);
                break;
            case T_CU_NHAN:
                puts_("Cử nhân lý luận chính trị, khóa ");
                putu((unsigned)y, 4);
                puts_(" – ");
                putu((unsigned)ey, 4);
                break;
            case T_QLNN:
                puts_(chance(&rk, 500) ? "Bồi dưỡng quản lý nhà nước ngạch chuyên viên năm "
                                       : "Bồi dưỡng kiến thức quản lý nhà nước ngạch chuyên viên chính năm ");
                putu((unsigned)y, 4);
                break;
            case T_NGHIEP_VU:
                puts_("Bồi dưỡng nghiệp vụ ");
                puts_(NV_TOPIC[below(&rk, N_(NV_TOPIC))]);
                puts_(" năm ");
                putu((unsigned)y, 4);
                break;
            default:
                puts_(KHAC_TOPIC[below(&rk, N_(KHAC_TOPIC))]);
                puts_(" năm ");
                putu((unsigned)y, 4);
                break;
            }
            puts_("</title>\n      <organizer>");
            int cc_family = t <= T_CU_NHAN;
            switch (t) {
            case T_TRUNG_CAP:
                puts_("Trường Chính trị Hoàng Văn Thụ tỉnh Lạng Sơn");
                break;
            case T_CAO_CAP:
            case T_CU_NHAN:
                puts_("Học viện Chính trị khu vực I");
                break;
            case T_QLNN:
                puts_(province ? "Sở Nội vụ tỉnh Lạng Sơn" : "Phòng Nội vụ huyện ");
                if (!province)
                    putdistrict((int)d);
                break;
            default:
                puts_("Trung tâm Chính trị huyện ");
                putdistrict((int)d);
                break;
            }
            puts_("</organizer>\n");
            /* the signer's title goes with the organizer */
            const char *stitle = t == T_TRUNG_CAP ? "HIỆU TRƯỞNG"
                                 : t == T_QLNN && !province ? "TRƯỞNG PHÒNG"
                                                            : "GIÁM ĐỐC";
            if (!chance(&rk, 100)) {
                puts_("      <location>");
                if (province)
                    puts_(t == T_CAO_CAP || t == T_CU_NHAN ? "Hà Nội" : "Thành phố Lạng Sơn");
                else
                    putdistrict((int)d);
                puts_("</location>\n");
            }
            if (!chance(&rk, 150)) {
                puts_("      <signer title=\"");
                if (chance(&rk, 250))
                    puts_(chance(&rk, 500) ? "KT. " : "PHÓ ");
                puts_(stitle);
                puts_("\">");
                putname(&rk, chance(&rk, 300), 0);
                puts_("</signer>\n");
            }

            /* participants */
            int certs = t != T_KHAC;
            unsigned *counter = cc_family ? cert_cc : cert_gcn;
            long issued = end + (long)below(&rk, 15); /* one day for the whole course */
            for (uint32_t j = 0; j < k; j++) {
                int st; /* 0 enrolled 1 completed 2 failed 3 withdrawn */
                if (big)
                    st = 1;
                else if (running)
                    st = chance(&rk, 40) ? 3 : 0;
                else {
                    unsigned x = below(&rk, 1000);
                    st = x < 910 ? 1 : x < 940 ? 2 : x < 990 ? 3 : 0;
                }
                static const char *const STATUS[] = {"enrolled", "completed", "failed", "withdrawn"};
                puts_("      <participant cadre=\"C");
                putu(pick_buf[j] + 1, idw);
                puts_("\" status=\"");
                puts_(STATUS[st]);
                put("\"", 1);
                int g = -1;
                if (st == 1 && t != T_KHAC && chance(&rk, 880)) {
                    g = pick(&rk, GRADE_W, N_(GRADE));
                    puts_(" grade=\"");
                    puts_(GRADE[g]);
                    put("\"", 1);
                }
                if ((st == 1 || st == 2) && t != T_KHAC && chance(&rk, 850)) {
                    /* score in tenths (sometimes hundredths) matching the grade */
                    static const int GLO[] = {90, 80, 70, 65, 50}, GHI[] = {100, 89, 79, 69, 64};
                    int lo10 = st == 2 ? 20 : g >= 0 ? GLO[g] : 50;
                    int hi10 = st == 2 ? 49 : g >= 0 ? GHI[g] : 98;
                    int s10 = between(&rk, lo10, hi10);
                    puts_(" score=\"");
                    putu((unsigned)(s10 / 10), 1);
                    if (s10 % 10 || chance(&rk, 900)) {
                        put(".", 1);
                        putu((unsigned)(s10 % 10), 1);
                        if (s10 < 100 && chance(&rk, 100))
                            putu(below(&rk, 10), 1);
                    }
                    put("\"", 1);
                }
                if (st == 1 && certs && (big || chance(&rk, 950))) {
                    int yi = ey - 2000;
                    if (yi < 0 || yi >= 64)
                        yi = 63;
                    puts_(" certificate-no=\"");
                    putu(++counter[yi], 1);
                    put("/", 1);
                    putu((unsigned)ey, 4);
                    puts_(cc_family ? "/CC\"" : "/GCN\"");
                    if (big || chance(&rk, 970)) {
                        puts_(" issued=\"");
                        putdate(issued);
                        put("\"", 1);
                    }
                }
                puts_("/>\n");
            }
            puts_("    </course>\n");
        }
        if (pick_buf != small_buf)
            free(pick_buf);
        puts_("  </courses>\n");
    }
    puts_("</records>\n");
    flush();
    if (fflush(out) || (out != stdout && fclose(out))) {
        perror("gen-records: write");
        return 1;
    }
    free(units);
    free(dfirst);
    return 0;
}
