#!/usr/bin/python3
"""Generate the sample district of Đình Lập (Lạng Sơn) as records files.

    samples/gen_district.py [--out DIR] [--quiet]

writes DIR/cadres.xml and DIR/courses.xml (DIR defaults to samples/dinh-lap
beside this script) and prints the figures it built in.  The two files show
the merge of the records format: cadres.xml is what the personnel system
exports (units and cadres, with as-of, issuer and place on the root);
courses.xml is what the training centre exports (courses and participants,
repeating only the matching `place` on its root).  Neither is complete
alone: participants refer to cadres of the other file.

Why the data look the way they do:

- The records reproduce, exactly, the figures of the district article in
  ../shared/notes/domain.md (1.188 công chức and viên chức, 796 from cao
  đẳng upward, 199 from trung cấp LLCT upward, 69 and 26 students in 2018,
  68 and 41 completions in 2017, nearly 20 nghiệp vụ courses with nearly
  900 attendances in 2018, the township of Nông trường Thái Bình with 18 /
  9 / 4, 4 cadres sent to cao cấp and 12 to tập trung trung cấp since 2017).
  The figures are decided first (FIGURES below) and the random parts are
  drawn around them; check_figures() recounts them before anything is
  written, and tests/py/test_samples.py recounts them again from the XML.
- The courses file was exported on 2019-07-05 (EXPORTED), a week after the
  2018-2019 trung cấp class closed, so that class has its results but no
  certificate numbers yet (cadre-cert assigns them), except two certificates
  written by hand at the closing ceremony.  Courses still running on that
  day have every participant `enrolled`.
- Qualifications agree with the courses: whoever completed a political
  theory course holds that level or a higher one, whoever completed a state
  management course holds that rank or a higher one; whoever holds trung cấp
  or higher is a party member.
- Besides those counted figures the data spread over everything a report
  shows: both genders, all age bands (≤30 … over 60, the over-60s being
  commune veterans' association chairmen), every ethnicity of the district,
  leaders, party members, every code of every list, about 5% of birth dates
  with the year alone, one birth on 29 February, names of two, three and
  four words, every Vietnamese diacritic and tone in lower and upper case.
- A handful of full names (six, drawn in build()) are written in
  decomposed Unicode (NFD: base letter followed by combining marks), as
  some old personnel software exports them.  The tools normalise text to
  NFC on reading, so these names must come out of every tool exactly like
  the others.

Deterministic: one random.Random(SEED), no clock, no hash order (dicts are
only iterated in insertion order, sets never), so re-running the script
re-creates the committed files byte for byte; tests/py/test_samples.py
checks that.  Standard library only; run with Debian's /usr/bin/python3.
"""

import argparse
import datetime
import os
import random
import sys
import unicodedata

SEED = 20181231
AS_OF = datetime.date(2018, 12, 31)
EXPORTED = datetime.date(2019, 7, 5)
PLACE = "Đình Lập"
ISSUER = "Ban Tổ chức Huyện ủy Đình Lập"
SIGNER_POSITION = "Trưởng Ban Tổ chức Huyện ủy"
SIGNER_TITLE = "Trưởng Ban Tổ chức"

# The figures of the article (see the module comment).
FIGURES = {
    "ccvc": 1188,             # công chức + viên chức
    "ccvc_edu_cao_dang_up": 796,
    "ccvc_llct_trung_cap_up": 199,
    "tc_2018_2019": 69,       # participants of the 2018-2019 trung cấp class
    "sc_2018": 26,            # participants of the 2018 sơ cấp class
    "tc_completed_2017": 68,
    "sc_completed_2017": 41,
    "nv_2018_attendances": 874,  # "nearly 900"; 18 courses, "nearly 20"
    "ttnttb": 18, "ttnttb_trung_cap": 9, "ttnttb_so_cap": 4,
    "cao_cap_since_2017": 4,
    "hvt_tap_trung_since_2017": 12,
}
HVT = "Trường Chính trị Hoàng Văn Thụ"
TTBDCT = "Trung tâm Bồi dưỡng chính trị huyện Đình Lập"
HVKV1 = "Học viện Chính trị khu vực I"
# The body each organizer answers to (cơ quan chủ quản), printed above it
# on certificates (organizer@governing-body); the national academy has none.
UBND_HUYEN = "Ủy ban nhân dân huyện Đình Lập"
GOVERNING_BODY = {
    TTBDCT: "Huyện ủy Đình Lập",
    "Ban Tổ chức Huyện ủy Đình Lập": "Huyện ủy Đình Lập",
    "Ủy ban Kiểm tra Huyện ủy Đình Lập": "Huyện ủy Đình Lập",
    "Phòng Giáo dục và Đào tạo huyện Đình Lập": UBND_HUYEN,
    "Phòng Nội vụ huyện Đình Lập": UBND_HUYEN,
    "Phòng Nông nghiệp và Phát triển nông thôn huyện Đình Lập": UBND_HUYEN,
    "Thanh tra huyện Đình Lập": UBND_HUYEN,
    "Ban Chỉ huy Quân sự huyện Đình Lập": "Bộ Chỉ huy Quân sự tỉnh Lạng Sơn",
    "Sở Nội vụ tỉnh Lạng Sơn": "Ủy ban nhân dân tỉnh Lạng Sơn",
    HVT: "Tỉnh ủy Lạng Sơn",
    HVKV1: "Học viện Chính trị quốc gia Hồ Chí Minh",
}

EDU = ["tien-si", "thac-si", "dai-hoc", "cao-dang", "trung-cap", "so-cap",
       "chua-dao-tao"]
LLCT = ["cu-nhan", "cao-cap", "trung-cap", "so-cap", "chua-dao-tao"]
QLNN = ["chuyen-vien-cao-cap", "chuyen-vien-chinh", "chuyen-vien", "can-su",
        "chua-dao-tao"]


def at_least(level, floor, order):
    """True when `level` is `floor` or above it ("từ X trở lên")."""
    return order.index(level) <= order.index(floor)


# ---------------------------------------------------------------- names ---

# Family names by ethnicity, most frequent first (repeats weight them).
FAMILY = {
    "Tày": ["Hoàng"] * 5 + ["Nông"] * 4 + ["Lương"] * 3 + ["Vi"] * 3 +
           ["Lăng"] * 2 + ["Hà"] * 2 + ["Chu", "Đàm", "Lộc", "Mã", "Hứa",
           "Lâm", "Lục", "Bế", "Linh", "Dương", "Ôn"],
    "Nùng": ["Hoàng"] * 4 + ["Nông"] * 3 + ["Lương"] * 2 + ["Vi"] * 2 +
            ["Hứa"] * 2 + ["Mã", "Chu", "Lăng", "Triệu", "Lô", "Sầm", "La",
            "Đàm", "Lộc", "Âu"],
    "Kinh": ["Nguyễn"] * 6 + ["Trần"] * 3 + ["Lê"] * 3 + ["Phạm"] * 2 +
            ["Hoàng", "Vũ", "Đỗ", "Ngô", "Bùi", "Đặng", "Đinh", "Phùng",
             "Dương", "Trịnh", "Ứng"],
    "Dao": ["Triệu"] * 4 + ["Bàn"] * 3 + ["Đặng"] * 2 + ["Lý", "Chìu",
            "Phùng", "Tằng"],
    "Sán Chỉ": ["Lục", "Vi", "Sằm", "Trương", "Lý", "Hoàng", "Tằng"],
    "Hoa": ["Lý", "Trương", "Quách", "Lâm"],
}
ETHNICITIES = ["Tày"] * 40 + ["Nùng"] * 25 + ["Kinh"] * 22 + ["Dao"] * 9 + \
              ["Sán Chỉ"] * 3 + ["Hoa"]

MIDDLE = {
    "nam": ["Văn"] * 14 + ["Đức", "Quang", "Mạnh", "Hữu", "Thanh", "Minh",
            "Xuân", "Ngọc", "Việt", "Trọng", "Tuấn"],
    "nu": ["Thị"] * 16 + ["Thu", "Thanh", "Ngọc", "Hồng", "Bích", "Thúy",
           "Kim", "Minh", "Phương", "Diệu"],
}
# Second middle names of four-word names ("Hoàng Thị Thu Hằng").
MIDDLE2 = {"nam": ["Đức", "Quang", "Minh", "Hải", "Tiến"],
           "nu": ["Thu", "Thanh", "Ngọc", "Hồng", "Kim", "Mỹ", "Diễm"]}

# Given names chosen so that every letter with a diacritic (ă â đ ê ô ơ ư)
# and every tone (huyền, hỏi, ngã, sắc, nặng) occurs, and so that names
# start with capitals carrying marks (Đức, Ánh, Ân, Ất, Ẩn, Ước, Ứng, Ý,
# Ơn; family names Ôn, Âu, Ứng).  Words after the "|" are rare: old,
# Tày-Nùng or Dao names that appear a few times in a district.
GIVEN = {
    "nam": """An Bằng Bình Cường Chiến Chung Dũng Duy Đức Định Đông Đạt
              Giang Hải Hào Hiếu Hoàng Hùng Huy Hưng Khải Khánh Kiên Lâm
              Long Lợi Lực Mạnh Minh Nam Nghĩa Ninh Phong Phúc Quang Quân
              Quyết Sơn Tài Tâm Thắng Thành Thịnh Thuận Tiến Toàn Trọng
              Trường Tú Tuấn Tùng Việt Vinh Vũ Xuân Thông Hữu Chỉnh Thưởng
              Sỹ | Ất Ẩn Ước Ứng Ơn Sài Tòng Quẩy Kỷ Nhất""",
    "nu": """Anh Ánh Bích Chi Chinh Cúc Dung Duyên Điệp Giang Hà Hằng Hạnh
             Hiền Hoa Hòa Hồng Huệ Hương Hường Lan Liên Liễu Loan Lụa Mai
             Mến Minh Mỹ Nga Ngân Ngọc Nguyệt Nhung Oanh Phượng Quỳnh Tâm
             Thảo Thắm Thơm Thu Thủy Thư Trang Tuyết Uyên Vân Xuân Yến Nhàn
             | Ân Ý Mẩy Quế Ngần Ỏn Slao""",
}


def given_name(rng, gender):
    common, rare = GIVEN[gender].split("|")
    return rng.choice(rare.split() if rng.random() < 0.04 else common.split())


def person_name(rng, gender, ethnicity):
    family = rng.choice(FAMILY[ethnicity])
    given = given_name(rng, gender)
    r = rng.random()
    if r < 0.02:            # two words: "Hoàng Duy", "Triệu Sài"
        return f"{family} {given}"
    middle = rng.choice(MIDDLE[gender])
    if middle in ("Văn", "Thị") and (r < 0.14 and gender == "nu" or
                                     r < 0.06):
        # four words: "Hoàng Thị Thu Hằng"
        return f"{family} {middle} {rng.choice(MIDDLE2[gender])} {given}"
    return f"{family} {middle} {given}"


# ---------------------------------------------------------------- units ---

COMMUNES = [  # id, name; the two townships first
    ("TTDL", "Thị trấn Đình Lập"),
    ("TTNTTB", "Thị trấn Nông trường Thái Bình"),
    ("BACXA", "Xã Bắc Xa"),
    ("BINHXA", "Xã Bính Xá"),
    ("KIENMOC", "Xã Kiên Mộc"),
    ("THAIBINH", "Xã Thái Bình"),
    ("BACLANG", "Xã Bắc Lãng"),
    ("DONGTHANG", "Xã Đồng Thắng"),
    ("LAMCA", "Xã Lâm Ca"),
    ("CUONGLOI", "Xã Cường Lợi"),
    ("CHAUSON", "Xã Châu Sơn"),
    ("DINHLAP", "Xã Đình Lập"),
    ("PHONGSON", "Xã Phong Sơn"),
]
# Remote communes have one boarding school for the ethnic minorities
# (PTDTBT) teaching both primary and lower secondary.
REMOTE = {"BACXA", "BINHXA", "KIENMOC", "LAMCA", "CHAUSON", "DONGTHANG",
          "PHONGSON"}

# A staffing line: position, category, leader, role (drives age, gender,
# qualifications), how many.
CB, CC, VC = "can-bo", "cong-chuc", "vien-chuc"


def district_units():
    """District bodies (level huyen) with their staffing lines."""
    def office(head, n_deputy, n_staff, staff="Chuyên viên", cat=CC):
        lines = [(head, cat, True, "head", 1)]
        if n_deputy:
            lines.append(("Phó " + head, cat, True, "deputy", n_deputy))
        return lines + [(staff, cat, False, "staff", n_staff)]
    party = "HU"
    return [
        ("HU", "Huyện ủy Đình Lập", None, [
            ("Bí thư Huyện ủy", CB, True, "top", 1),
            ("Phó Bí thư Thường trực Huyện ủy", CB, True, "top", 1),
            ("Phó Bí thư Huyện ủy, Chủ tịch HĐND huyện", CB, True, "top", 1),
        ]),
        ("VPHU", "Văn phòng Huyện ủy", party,
         [("Chánh Văn phòng Huyện ủy", CB, True, "head", 1),
          ("Phó Chánh Văn phòng", CC, True, "deputy", 1),
          ("Chuyên viên", CC, False, "staff", 4),
          ("Văn thư - lưu trữ", CC, False, "staff", 1)]),
        ("BTC", "Ban Tổ chức Huyện ủy", party,
         [("Trưởng Ban Tổ chức Huyện ủy", CB, True, "head", 1),
          ("Phó Trưởng Ban", CC, True, "deputy", 2),
          ("Chuyên viên", CC, False, "staff", 4)]),
        ("UBKT", "Ủy ban Kiểm tra Huyện ủy", party,
         [("Chủ nhiệm Ủy ban Kiểm tra Huyện ủy", CB, True, "head", 1),
          ("Phó Chủ nhiệm", CC, True, "deputy", 2),
          ("Cán bộ kiểm tra", CC, False, "staff", 3)]),
        ("BTG", "Ban Tuyên giáo Huyện ủy", party,
         [("Trưởng Ban Tuyên giáo Huyện ủy", CB, True, "head", 1),
          ("Phó Trưởng Ban", CC, True, "deputy", 1),
          ("Chuyên viên", CC, False, "staff", 3)]),
        ("BDV", "Ban Dân vận Huyện ủy", party,
         [("Trưởng Ban Dân vận Huyện ủy", CB, True, "head", 1),
          ("Phó Trưởng Ban", CC, True, "deputy", 1),
          ("Chuyên viên", CC, False, "staff", 2)]),
        ("TTBDCT", TTBDCT, party,
         [("Giám đốc", VC, True, "head", 1),
          ("Phó Giám đốc", VC, True, "deputy", 1),
          ("Giảng viên", VC, False, "vc-staff", 3)]),
        ("HDND", "Hội đồng nhân dân huyện Đình Lập", None,
         [("Phó Chủ tịch HĐND huyện", CB, True, "top", 1),
          ("Trưởng Ban Pháp chế HĐND huyện", CB, True, "deputy", 1)]),
        ("UBND", "Ủy ban nhân dân huyện Đình Lập", None,
         [("Chủ tịch UBND huyện", CB, True, "top", 1),
          ("Phó Chủ tịch UBND huyện", CB, True, "top", 2)]),
        ("VP", "Văn phòng HĐND và UBND huyện", "UBND",
         office("Chánh Văn phòng", 2, 8)),
        ("PNV", "Phòng Nội vụ", "UBND", office("Trưởng phòng", 2, 4)),
        ("PTP", "Phòng Tư pháp", "UBND", office("Trưởng phòng", 1, 2)),
        ("PTCKH", "Phòng Tài chính - Kế hoạch", "UBND",
         office("Trưởng phòng", 2, 5)),
        ("PKTHT", "Phòng Kinh tế và Hạ tầng", "UBND",
         office("Trưởng phòng", 2, 4)),
        ("PNNPTNT", "Phòng Nông nghiệp và Phát triển nông thôn", "UBND",
         office("Trưởng phòng", 2, 4)),
        ("PTNMT", "Phòng Tài nguyên và Môi trường", "UBND",
         office("Trưởng phòng", 2, 4)),
        ("PLDTBXH", "Phòng Lao động - Thương binh và Xã hội", "UBND",
         office("Trưởng phòng", 2, 4)),
        ("PVHTT", "Phòng Văn hóa và Thông tin", "UBND",
         office("Trưởng phòng", 1, 2)),
        ("PGDDT", "Phòng Giáo dục và Đào tạo", "UBND",
         office("Trưởng phòng", 2, 5)),
        ("PYT", "Phòng Y tế", "UBND", office("Trưởng phòng", 0, 1)),
        ("PDT", "Phòng Dân tộc", "UBND", office("Trưởng phòng", 1, 1)),
        ("TTRA", "Thanh tra huyện", "UBND",
         office("Chánh Thanh tra", 1, 3, staff="Thanh tra viên")),
        ("MTTQ", "Ủy ban MTTQ Việt Nam huyện Đình Lập", None,
         [("Chủ tịch Ủy ban MTTQ huyện", CB, True, "head", 1),
          ("Phó Chủ tịch Ủy ban MTTQ huyện", CB, True, "deputy", 2),
          ("Chuyên viên", CC, False, "staff", 2)]),
        ("HDOAN", "Huyện đoàn Đình Lập", None,
         [("Bí thư Huyện đoàn", CB, True, "youth", 1),
          ("Phó Bí thư Huyện đoàn", CB, True, "youth", 1),
          ("Chuyên viên", CC, False, "staff", 1)]),
        ("HLHPN", "Hội Liên hiệp Phụ nữ huyện", None,
         [("Chủ tịch Hội LHPN huyện", CB, True, "mass-head", 1),
          ("Phó Chủ tịch Hội LHPN huyện", CB, True, "mass-head", 1),
          ("Chuyên viên", CC, False, "staff", 1)]),
        ("HND", "Hội Nông dân huyện", None,
         [("Chủ tịch Hội Nông dân huyện", CB, True, "mass-head", 1),
          ("Phó Chủ tịch Hội Nông dân huyện", CB, True, "mass-head", 1),
          ("Chuyên viên", CC, False, "staff", 1)]),
        ("HCCB", "Hội Cựu chiến binh huyện", None,
         [("Chủ tịch Hội Cựu chiến binh huyện", CB, True, "mass-head", 1),
          ("Phó Chủ tịch Hội Cựu chiến binh huyện", CB, True, "mass-head",
           1)]),
        ("LDLD", "Liên đoàn Lao động huyện", None,
         [("Chủ tịch Liên đoàn Lao động huyện", CB, True, "mass-head", 1),
          ("Phó Chủ tịch Liên đoàn Lao động huyện", CB, True, "mass-head",
           1)]),
        # Public service units: viên chức.
        ("TTVHTT", "Trung tâm Văn hóa, Thể thao và Truyền thông huyện",
         "UBND", office("Giám đốc", 1, 9, staff="Viên chức", cat=VC)),
        ("TTDVNN", "Trung tâm Dịch vụ nông nghiệp huyện", "UBND",
         office("Giám đốc", 1, 10, staff="Kỹ thuật viên", cat=VC)),
        ("BQLDA", "Ban Quản lý dự án đầu tư xây dựng huyện", "UBND",
         office("Giám đốc", 1, 6, staff="Kỹ sư", cat=VC)),
        ("TTGDNN",
         "Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên huyện",
         "UBND", office("Giám đốc", 1, 12, staff="Giáo viên", cat=VC)),
    ]


def fix_roles(lines):
    """Public service staff are 'vc-staff', not office 'staff'."""
    return [(p, c, le, "vc-staff" if r == "staff" and c == VC else r, n)
            for p, c, le, r, n in lines]


def commune_lines(rng, uid, words):
    """Cán bộ and công chức of a commune or township ("xã Bắc Xa")."""
    if uid == "TTNTTB":
        return None         # fixed below: it carries figures
    lines = [
        (f"Bí thư Đảng ủy {words}", CB, True, "x-top", 1),
        (f"Phó Bí thư Thường trực Đảng ủy, Chủ tịch HĐND {words}", CB, True,
         "x-top", 1),
        (f"Phó Bí thư Đảng ủy, Chủ tịch UBND {words}", CB, True, "x-top", 1),
        (f"Phó Chủ tịch HĐND {words}", CB, True, "x-deputy", 1),
        (f"Phó Chủ tịch UBND {words}", CB, True, "x-deputy",
         rng.choice([1, 1, 2])),
        (f"Chủ tịch Ủy ban MTTQ {words}", CB, True, "x-mass", 1),
        (f"Bí thư Đoàn TNCS Hồ Chí Minh {words}", CB, False, "x-youth", 1),
        (f"Chủ tịch Hội LHPN {words}", CB, False, "x-mass", 1),
        (f"Chủ tịch Hội Nông dân {words}", CB, False, "x-mass", 1),
        (f"Chủ tịch Hội Cựu chiến binh {words}", CB, False, "x-veteran", 1),
        ("Trưởng Công an", CC, False, "x-force", 1),
        ("Chỉ huy trưởng Quân sự", CC, False, "x-force", 1),
        ("Công chức Văn phòng - Thống kê", CC, False, "x-cc",
         rng.choice([1, 2])),
        ("Công chức Địa chính - Xây dựng", CC, False, "x-cc",
         rng.choice([1, 2])),
        ("Công chức Tài chính - Kế toán", CC, False, "x-cc", 1),
        ("Công chức Tư pháp - Hộ tịch", CC, False, "x-cc",
         rng.choice([1, 2])),
        ("Công chức Văn hóa - Xã hội", CC, False, "x-cc",
         rng.choice([1, 2])),
    ]
    return lines


# Thị trấn Nông trường Thái Bình: 10 cán bộ and 8 công chức, with the
# political theory of each post fixed so that the township has exactly
# 9 at trung cấp, 4 at sơ cấp and 5 untrained (and none higher, so "from
# trung cấp upward" is 9 too).
TTNTTB_LINES = [
    ("Bí thư Đảng ủy thị trấn", CB, True, "x-top", "trung-cap"),
    ("Phó Bí thư Thường trực Đảng ủy, Chủ tịch HĐND thị trấn", CB, True,
     "x-top", "trung-cap"),
    ("Phó Bí thư Đảng ủy, Chủ tịch UBND thị trấn", CB, True, "x-top",
     "trung-cap"),
    ("Phó Chủ tịch HĐND thị trấn", CB, True, "x-deputy", "trung-cap"),
    ("Phó Chủ tịch UBND thị trấn", CB, True, "x-deputy", "trung-cap"),
    ("Chủ tịch Ủy ban MTTQ thị trấn", CB, True, "x-mass", "trung-cap"),
    ("Chủ tịch Hội Cựu chiến binh thị trấn", CB, False, "x-veteran",
     "trung-cap"),
    ("Bí thư Đoàn TNCS Hồ Chí Minh thị trấn", CB, False, "x-youth",
     "so-cap"),
    ("Chủ tịch Hội LHPN thị trấn", CB, False, "x-mass", "so-cap"),
    ("Chỉ huy trưởng Quân sự", CC, False, "x-force", "trung-cap"),
    ("Trưởng Công an", CC, False, "x-force", "trung-cap"),
    ("Công chức Tư pháp - Hộ tịch", CC, False, "x-cc", "so-cap"),
    ("Công chức Văn phòng - Thống kê", CC, False, "x-cc", "so-cap"),
    ("Công chức Văn phòng - Thống kê", CC, False, "x-cc", "chua-dao-tao"),
    ("Công chức Địa chính - Xây dựng - Đô thị và Môi trường", CC, False,
     "x-cc", "chua-dao-tao"),
    ("Công chức Địa chính - Xây dựng - Đô thị và Môi trường", CC, False,
     "x-cc", "chua-dao-tao"),
    ("Công chức Tài chính - Kế toán", CC, False, "x-cc", "chua-dao-tao"),
    ("Công chức Văn hóa - Xã hội", CC, False, "x-cc", "chua-dao-tao"),
]


def school_units(rng):
    """Schools run by the district (viên chức); sizes are tuned later."""
    out = []
    for cid, cname in COMMUNES:
        place = cname.split(" ", 1)[1] if cname.startswith("Xã ") else cname
        if cid == "TTNTTB":
            place = "Nông trường Thái Bình"
        kinds = [("MN", "Trường Mầm non", "mn", rng.randint(17, 24))]
        if cid in REMOTE:
            kinds.append(("PTDTBT", "Trường PTDTBT Tiểu học và THCS",
                          "thcs", rng.randint(34, 44)))
        else:
            kinds.append(("TH", "Trường Tiểu học", "th",
                          rng.randint(24, 31)))
            kinds.append(("THCS", "Trường THCS", "thcs",
                          rng.randint(21, 27)))
        for prefix, words, grade, size in kinds:
            out.append([f"{prefix}-{cid}", f"{words} {place}", grade, size])
    out.append(["PTDTNT", "Trường PTDTNT THCS huyện Đình Lập", "thcs", 27])
    return out


def school_lines(grade, size):
    n_vice = 2 if size >= 30 else 1
    return [("Hiệu trưởng", VC, True, "principal", 1),
            ("Phó Hiệu trưởng", VC, True, "vice-principal", n_vice),
            ("Giáo viên", VC, False, "teacher-" + grade, size - n_vice - 3),
            ("Kế toán", VC, False, "school-staff", 1),
            ("Nhân viên văn thư - thiết bị", VC, False, "school-staff", 1)]


def make_units(rng):
    """Units in file order, each with its staffing lines."""
    units = []
    for uid, name, parent, lines in district_units():
        units.append({"id": uid, "name": name, "level": "huyen",
                      "parent": parent, "lines": fix_roles(lines)})
    for uid, name in COMMUNES:
        words = name[0].lower() + name[1:]
        units.append({"id": uid, "name": name, "level": "xa", "parent": None,
                      "lines": commune_lines(rng, uid, words)})
    schools = school_units(rng)
    # Tune the teaching staff so that công chức + viên chức is exactly
    # 1.188: everything else is fixed by the lines above.
    fixed = sum(n for u in units if u["lines"]
                for _, cat, _, _, n in u["lines"] if cat != CB)
    fixed += sum(1 for line in TTNTTB_LINES if line[1] != CB)
    want = FIGURES["ccvc"] - fixed
    i = 0
    while sum(s[3] for s in schools) != want:
        step = 1 if sum(s[3] for s in schools) < want else -1
        schools[i % len(schools)][3] += step
        i += 7              # spread the changes over the schools
    for sid, name, grade, size in schools:
        units.append({"id": sid, "name": name, "level": "huyen",
                      "parent": "PGDDT", "lines": school_lines(grade, size)})
    return units


# --------------------------------------------------------------- cadres ---

# Age on AS_OF (min, max) by role; men retire at 60, women at 55 (2018),
# except elected veterans' chairmen, who are often older.
AGES = {
    "top": (42, 58), "head": (36, 58), "deputy": (32, 56),
    "staff": (23, 58), "vc-staff": (23, 58), "youth": (26, 34),
    "mass-head": (35, 58), "x-top": (33, 58), "x-deputy": (30, 57),
    "x-mass": (30, 58), "x-youth": (24, 31), "x-veteran": (54, 66),
    "x-force": (27, 55), "x-cc": (23, 55), "principal": (36, 58),
    "vice-principal": (32, 56), "teacher-mn": (22, 55),
    "teacher-th": (22, 58), "teacher-thcs": (22, 58),
    "school-staff": (24, 56),
}
# Share of women by role.
WOMEN = {
    "top": 0.15, "head": 0.3, "deputy": 0.4, "staff": 0.5, "vc-staff": 0.45,
    "youth": 0.4, "mass-head": 0.3, "x-top": 0.12, "x-deputy": 0.3,
    "x-mass": 0.25, "x-youth": 0.45, "x-veteran": 0.0, "x-force": 0.0,
    "x-cc": 0.45, "principal": 0.5, "vice-principal": 0.6,
    "teacher-mn": 1.0, "teacher-th": 0.75, "teacher-thcs": 0.65,
    "school-staff": 0.7,
}


def birth_of(rng, role, gender):
    lo, hi = AGES[role]
    if gender == "nu":
        hi = min(hi, 55)
    elif role != "x-veteran":
        hi = min(hi, 60)
    # Half spread evenly, half around the middle of the range: every age
    # band gets a fair share, as in a real office.
    if rng.random() < 0.5:
        age = rng.randint(lo, hi)
    else:
        age = round(rng.triangular(lo, hi, (lo + hi) / 2))
    year = AS_OF.year - age  # born in `year`: on 31 December, age is `age`
    day = datetime.date(year, 1, 1) + datetime.timedelta(
        days=rng.randrange(366 if year % 4 == 0 else 365))
    return day


def make_cadres(rng, units):
    cadres = []
    for u in units:
        if u["id"] == "TTNTTB":
            lines = [(p, c, le, r, 1) for p, c, le, r, _ in TTNTTB_LINES]
        else:
            lines = u["lines"]
        for position, category, leader, role, n in lines:
            for _ in range(n):
                gender = "nu" if rng.random() < WOMEN[role] else "nam"
                if "LHPN" in position or "Phụ nữ" in position:
                    gender = "nu"
                ethnicity = rng.choice(ETHNICITIES)
                cadres.append({
                    "id": f"DL{len(cadres) + 1:04d}", "unit": u["id"],
                    "level": u["level"], "leader": leader,
                    "name": person_name(rng, gender, ethnicity),
                    "gender": gender, "birth": birth_of(rng, role, gender),
                    "year_only": False,
                    "ethnicity": ethnicity, "position": position,
                    "category": category, "role": role,
                    "education": None, "llct": None, "qlnn": None,
                    "qlnn_explicit": False, "party": None,
                })
    # Every rare given name at least once, so that each mark is present.
    for gender in ("nam", "nu"):
        for rare in GIVEN[gender].split("|")[1].split():
            if not any(c["name"].endswith(" " + rare) for c in cadres):
                c = rng.choice([c for c in cadres if c["gender"] == gender])
                c["name"] = c["name"].rsplit(" ", 1)[0] + " " + rare
    # The township's cadres carry fixed political theory.
    tt = [c for c in cadres if c["unit"] == "TTNTTB"]
    for c, line in zip(tt, TTNTTB_LINES):
        c["llct"] = line[4]
    # ~5% of birth dates are known by the year alone (old paper records).
    for c in rng.sample(cadres, round(len(cadres) * 0.05)):
        c["year_only"] = True
    # One birthday on 29 February, so leap days get exercised.
    leap = [c for c in cadres if c["birth"].year % 4 == 0
            and not c["year_only"]]
    lucky = rng.choice(leap)
    lucky["birth"] = datetime.date(lucky["birth"].year, 2, 29)
    # A few cadres without ethnicity or position (both optional).
    for c in rng.sample(cadres, 12):
        c["ethnicity"] = None
    for c in rng.sample([c for c in cadres if c["role"].startswith("teach")],
                        8):
        c["position"] = None
    return cadres


def age(c):
    return AS_OF.year - c["birth"].year


def ccvc(c):
    return c["category"] != CB


def top_by(rng, items, k, score):
    """The k items of highest score + noise; ties broken by id (stable)."""
    keyed = sorted(items, key=lambda c: (-(score(c) + rng.random() * 2.5),
                                         c["id"]))
    return keyed[:k], keyed[k:]


LLCT_CB = {  # political theory of cán bộ by role: (level, weight) ...
    "top": [("cao-cap", 7), ("cu-nhan", 2), ("trung-cap", 1)],
    "head": [("cao-cap", 7), ("trung-cap", 3)],
    "deputy": [("cao-cap", 6), ("trung-cap", 4)],
    "youth": [("trung-cap", 8), ("cao-cap", 2)],
    "mass-head": [("cao-cap", 3), ("trung-cap", 7)],
    "x-top": [("trung-cap", 85), ("cao-cap", 10), ("so-cap", 5)],
    "x-deputy": [("trung-cap", 80), ("so-cap", 20)],
    "x-mass": [("trung-cap", 60), ("so-cap", 35), ("chua-dao-tao", 5)],
    "x-youth": [("trung-cap", 40), ("so-cap", 50), ("chua-dao-tao", 10)],
    "x-veteran": [("trung-cap", 50), ("so-cap", 50)],
}


def weighted(rng, pairs):
    total = sum(w for _, w in pairs)
    r = rng.random() * total
    for value, w in pairs:
        r -= w
        if r < 0:
            return value
    return pairs[-1][0]


def assign_llct(rng, cadres):
    """Political theory; exactly 199 công chức and viên chức from trung cấp
    upward.  The township's posts are fixed already."""
    for c in cadres:
        if c["llct"] is None and not ccvc(c):
            c["llct"] = weighted(rng, LLCT_CB[c["role"]])
    # The district secretary holds the bachelor's degree in political
    # science, so that the highest level is never empty.
    cadres[0]["llct"] = "cu-nhan"
    fixed_up = sum(1 for c in cadres if ccvc(c) and c["llct"]
                   and at_least(c["llct"], "trung-cap", LLCT))
    free = [c for c in cadres if ccvc(c) and c["llct"] is None]
    weight = {"head": 6, "deputy": 5, "principal": 5, "vice-principal": 3.5,
              "x-force": 3.5, "x-cc": 2.5, "staff": 2, "vc-staff": 1}
    up, rest = top_by(rng, free, FIGURES["ccvc_llct_trung_cap_up"] - fixed_up,
                      lambda c: weight.get(c["role"], 0) + (age(c) - 25) / 10)
    for c in up:
        r = rng.random()
        if c["role"] == "head" and r < 0.05:
            c["llct"] = "cu-nhan"
        elif c["role"] == "head" and r < 0.5 or \
                c["role"] == "deputy" and r < 0.12:
            c["llct"] = "cao-cap"
        else:
            c["llct"] = "trung-cap"
    so_cap = {"x-cc": 0.6, "x-force": 0.7, "staff": 0.45, "deputy": 0.6,
              "principal": 0.7, "vice-principal": 0.7, "vc-staff": 0.3,
              "school-staff": 0.15}
    for c in rest:
        p = so_cap.get(c["role"], 0.2)
        c["llct"] = "so-cap" if rng.random() < p else "chua-dao-tao"


def assign_party(rng, cadres):
    """Party members: everyone from trung cấp upward, most cán bộ and
    công chức, fewer viên chức.  Joined between 19 and 35 years old."""
    for c in cadres:
        if at_least(c["llct"], "trung-cap", LLCT):
            member = True
        elif c["role"] in ("x-youth",):
            member = rng.random() < 0.8
        elif c["category"] == CB:
            member = True
        elif c["category"] == CC:
            member = rng.random() < 0.7
        elif c["leader"]:
            member = rng.random() < 0.9
        else:
            member = rng.random() < 0.35
        if not member:
            continue
        joined = min(19 + int(rng.triangular(0, 16, 4)), age(c) - 1)
        since = datetime.date(c["birth"].year + joined, 1, 1) + \
            datetime.timedelta(days=rng.randrange(365))
        c["party"] = min(since, AS_OF - datetime.timedelta(days=45))


def assign_education(rng, cadres):
    """Professional education; exactly 796 công chức and viên chức from
    cao đẳng upward, the better-educated roles more likely among them."""
    weight = {"head": 5, "deputy": 5, "staff": 4.5, "principal": 4.2,
              "vice-principal": 4, "teacher-thcs": 3.5, "teacher-th": 2.6,
              "vc-staff": 2.4, "teacher-mn": 1.6, "x-force": 1.4,
              "x-cc": 1.6, "school-staff": 0.6}
    pool = [c for c in cadres if ccvc(c)]
    high, low = top_by(rng, pool, FIGURES["ccvc_edu_cao_dang_up"],
                       lambda c: weight[c["role"]] + rng.random() * 1.5)
    for c in high:
        r = rng.random()
        if c["role"] in ("head", "deputy", "principal") and r < 0.15:
            c["education"] = "thac-si"
        elif c["role"] in ("teacher-mn", "teacher-th", "school-staff") \
                and r < 0.5 or r < 0.2:
            c["education"] = "cao-dang"
        else:
            c["education"] = "dai-hoc"
    # One doctorate: the director of the political training centre.
    for c in high:
        if c["unit"] == "TTBDCT" and c["role"] == "head":
            c["education"] = "tien-si"
    for c in low:
        c["education"] = weighted(rng, [("trung-cap", 85), ("so-cap", 8),
                                        ("chua-dao-tao", 7)])
    for c in cadres:
        if ccvc(c):
            continue
        if c["level"] == "huyen":
            c["education"] = weighted(rng, [("dai-hoc", 7), ("thac-si", 3)])
        else:
            c["education"] = weighted(rng, [("dai-hoc", 45), ("cao-dang", 10),
                                            ("trung-cap", 40), ("so-cap", 5)])


def assign_qlnn(rng, cadres):
    """State management rank (bồi dưỡng QLNN); mostly left out (the default
    chua-dao-tao), written explicitly for a few."""
    for c in cadres:
        role, cat = c["role"], c["category"]
        if role in ("top",):
            pairs = [("chuyen-vien-cao-cap", 2), ("chuyen-vien-chinh", 8)]
        elif role in ("head", "mass-head") or cat == CB and \
                c["level"] == "huyen":
            pairs = [("chuyen-vien-chinh", 6), ("chuyen-vien", 4)]
        elif cat == CB:
            pairs = [("chuyen-vien", 4), ("can-su", 1), ("chua-dao-tao", 5)]
        elif role == "deputy" or cat == CC and c["level"] == "huyen":
            pairs = [("chuyen-vien-chinh", 1), ("chuyen-vien", 7),
                     ("chua-dao-tao", 2)]
        elif cat == CC:
            pairs = [("chuyen-vien", 4), ("can-su", 3), ("chua-dao-tao", 3)]
        elif c["leader"]:
            pairs = [("chuyen-vien", 4), ("chua-dao-tao", 6)]
        else:
            pairs = [("chuyen-vien", 1), ("chua-dao-tao", 30)]
        c["qlnn"] = weighted(rng, pairs)
        c["qlnn_explicit"] = c["qlnn"] == "chua-dao-tao" and \
            rng.random() < 0.08
    # The district secretary holds the highest rank: no code goes unused.
    cadres[0]["qlnn"] = "chuyen-vien-cao-cap"


# -------------------------------------------------------------- courses ---

def d(s):
    return datetime.date.fromisoformat(s)


def pick(rng, pool, k, weight=lambda c: 1.0):
    """k distinct cadres of `pool`, weighted, in id order.  Efraimidis-
    Spirakis keys: deterministic for a given rng state."""
    if k > len(pool):
        raise SystemExit(f"gen_district: pool of {len(pool)} for {k} places")
    keyed = sorted(pool, key=lambda c: (-(rng.random() ** (1 / weight(c))),
                                        c["id"]))
    return sorted(keyed[:k], key=lambda c: c["id"])


def score_grade(rng):
    tenths = max(50, min(98, round(rng.gauss(74, 8))))
    for floor, grade in ((90, "xuat-sac"), (80, "gioi"), (70, "kha"),
                         (60, "trung-binh-kha"), (50, "trung-binh")):
        if tenths >= floor:
            return f"{tenths / 10:.1f}", grade


def new_course(cid, ctype, mode, start, end, title, organizer, location,
               signer):
    return {"id": cid, "type": ctype, "mode": mode, "start": d(start),
            "end": d(end), "title": title, "organizer": organizer,
            "location": location, "signer": signer, "participants": [],
            "graded": ctype != "nghiep-vu" and ctype != "khac"}


def enrol(rng, course, people, n_failed=0, n_withdrawn=0):
    """Add `people` as participants, n_failed and n_withdrawn of them, drawn
    at random, not finishing."""
    people = list(people)
    odd = rng.sample(people, n_failed + n_withdrawn)
    enrol_as(rng, course, people, odd[:n_failed], odd[n_failed:])


def enrol_as(rng, course, people, failed=(), withdrawn=()):
    """Add participants in id order: those of `failed` and `withdrawn` did
    not finish, the others completed; while the course still ran on
    EXPORTED everyone is enrolled.  Graded courses give completers a score
    and a grade, and those who failed their score."""
    running = course["end"] > EXPORTED
    failed = {c["id"] for c in failed}
    withdrawn = {c["id"] for c in withdrawn}
    for c in sorted(people, key=lambda c: c["id"]):
        p = {"cadre": c["id"], "status": "completed", "grade": None,
             "score": None, "cert": None, "issued": None}
        if running:
            p["status"] = "enrolled"
        elif c["id"] in failed:
            p["status"] = "failed"
            if course["graded"]:
                p["score"] = f"{rng.randint(30, 49) / 10:.1f}"
        elif c["id"] in withdrawn:
            p["status"] = "withdrawn"
        elif course["graded"]:
            p["score"], p["grade"] = score_grade(rng)
        course["participants"].append(p)


def signers(cadres):
    """Who signs for each organiser: district heads are cadres of the
    records; provincial and national signers are outside them."""
    def head(uid):
        c = next(c for c in cadres if c["unit"] == uid and c["leader"])
        return c["name"]
    return {
        TTBDCT: ("GIÁM ĐỐC", head("TTBDCT")),
        HVT: ("HIỆU TRƯỞNG", "Lương Thị Thanh Huyền"),
        HVKV1: ("GIÁM ĐỐC", "Nguyễn Văn Thành"),
        "Học viện Chính trị quốc gia Hồ Chí Minh": ("KT. GIÁM ĐỐC",
                                                    "Trần Quốc Toản"),
        "Ban Tổ chức Huyện ủy Đình Lập": ("TRƯỞNG BAN", head("BTC")),
        "Ủy ban Kiểm tra Huyện ủy Đình Lập": ("CHỦ NHIỆM", head("UBKT")),
        "Phòng Nội vụ huyện Đình Lập": ("TRƯỞNG PHÒNG", head("PNV")),
        "Phòng Giáo dục và Đào tạo huyện Đình Lập": ("TRƯỞNG PHÒNG",
                                                     head("PGDDT")),
        "Phòng Nông nghiệp và Phát triển nông thôn huyện Đình Lập":
            ("TRƯỞNG PHÒNG", head("PNNPTNT")),
        "Thanh tra huyện Đình Lập": ("CHÁNH THANH TRA", head("TTRA")),
        "Sở Nội vụ tỉnh Lạng Sơn": ("GIÁM ĐỐC", "Hoàng Đức Lãm"),
        "Ban Chỉ huy Quân sự huyện Đình Lập": ("CHỈ HUY TRƯỞNG",
                                               "Vi Văn Sỹ"),
    }


# Professional (nghiệp vụ) courses: title, organiser, audience.
NV_TOPICS = [
    ("Bồi dưỡng nghiệp vụ công tác văn phòng - thống kê cấp xã",
     "Phòng Nội vụ huyện Đình Lập", "xa"),
    ("Bồi dưỡng nghiệp vụ tư pháp - hộ tịch cấp xã",
     "Phòng Nội vụ huyện Đình Lập", "xa"),
    ("Bồi dưỡng nghiệp vụ địa chính - xây dựng cấp xã",
     "Phòng Nội vụ huyện Đình Lập", "xa"),
    ("Bồi dưỡng nghiệp vụ tài chính - kế toán ngân sách xã",
     "Phòng Nội vụ huyện Đình Lập", "xa"),
    ("Bồi dưỡng nghiệp vụ công tác kiểm tra, giám sát của Đảng",
     "Ủy ban Kiểm tra Huyện ủy Đình Lập", "party"),
    ("Bồi dưỡng nghiệp vụ công tác tổ chức xây dựng Đảng",
     "Ban Tổ chức Huyện ủy Đình Lập", "party"),
    ("Bồi dưỡng nghiệp vụ công tác dân vận", TTBDCT, "party"),
    ("Bồi dưỡng nghiệp vụ công tác tuyên giáo", TTBDCT, "party"),
    ("Bồi dưỡng nghiệp vụ công tác Mặt trận và các đoàn thể", TTBDCT, "xa"),
    ("Bồi dưỡng chuyên môn, nghiệp vụ giáo viên mầm non",
     "Phòng Giáo dục và Đào tạo huyện Đình Lập", "teacher-mn"),
    ("Bồi dưỡng chuyên môn giáo viên tiểu học theo chương trình giáo dục "
     "phổ thông mới", "Phòng Giáo dục và Đào tạo huyện Đình Lập",
     "teacher-th"),
    ("Bồi dưỡng chuyên môn giáo viên trung học cơ sở",
     "Phòng Giáo dục và Đào tạo huyện Đình Lập", "teacher-thcs"),
    ("Bồi dưỡng nghiệp vụ quản lý trường học cho cán bộ quản lý",
     "Phòng Giáo dục và Đào tạo huyện Đình Lập", "school-leaders"),
    ("Bồi dưỡng kỹ năng soạn thảo văn bản hành chính",
     "Phòng Nội vụ huyện Đình Lập", "huyen"),
    ("Bồi dưỡng ứng dụng công nghệ thông tin trong quản lý văn bản",
     "Phòng Nội vụ huyện Đình Lập", "offices"),
    ("Bồi dưỡng nghiệp vụ công tác thanh tra, tiếp công dân",
     "Thanh tra huyện Đình Lập", "offices"),
    ("Bồi dưỡng nghiệp vụ khuyến nông, chuyển giao kỹ thuật",
     "Phòng Nông nghiệp và Phát triển nông thôn huyện Đình Lập", "farming"),
    ("Bồi dưỡng nghiệp vụ công tác thi đua, khen thưởng",
     "Phòng Nội vụ huyện Đình Lập", "offices"),
]


def audience(cadres, kind):
    if kind == "xa":
        return [c for c in cadres if c["level"] == "xa"]
    if kind == "party":
        return [c for c in cadres if c["party"] and
                (c["level"] == "xa" or c["category"] != VC)]
    if kind.startswith("teacher-"):
        return [c for c in cadres if c["role"] == kind]
    if kind == "school-leaders":
        return [c for c in cadres if c["role"] in ("principal",
                                                   "vice-principal")]
    if kind == "huyen":
        return [c for c in cadres if c["level"] == "huyen" and
                c["category"] != VC]
    if kind == "farming":
        return [c for c in cadres if c["unit"] in ("TTDVNN", "PNNPTNT") or
                c["level"] == "xa"]
    return [c for c in cadres if c["category"] != VC or
            c["unit"] in ("TTVHTT", "TTDVNN", "BQLDA", "TTGDNN")]


def nv_course(rng, cadres, courses, cid, topic, start, end, size):
    title, organizer, kind = topic
    c = new_course(cid, "nghiep-vu", None, start, end, title, organizer,
                   "Đình Lập", None)
    c["graded"] = rng.random() < 0.4
    pool = [p for p in audience(cadres, kind)
            if p["birth"].year <= c["start"].year - 21]
    people = pick(rng, pool, min(size, len(pool)))
    n_withdrawn = sum(1 for _ in people if rng.random() < 0.02)
    n_failed = sum(1 for _ in people if rng.random() < 0.01) \
        if c["graded"] else 0
    enrol(rng, c, people, n_failed, n_withdrawn)
    courses.append(c)
    return len(people)


def random_span(rng, year, days=270):
    """A course of one to three weeks, Monday to Friday, starting within
    `days` after 20 February of `year` (after Tết)."""
    start = datetime.date(year, 2, 20) + datetime.timedelta(
        days=rng.randrange(days))
    start -= datetime.timedelta(days=start.weekday())        # a Monday
    end = start + datetime.timedelta(weeks=rng.randint(1, 3),
                                     days=-3)                 # a Friday
    return start.isoformat(), end.isoformat()


def make_nv_courses(rng, cadres, courses):
    # 2018: 18 courses and exactly 874 attendances.  The first runs from
    # December 2017 and the last into January 2019: both "run in 2018".
    topics = list(NV_TOPICS)
    rng.shuffle(topics)
    spans = [("2017-12-18", "2018-01-12")] + \
        sorted(random_span(rng, 2018) for _ in range(16)) + \
        [("2018-12-10", "2019-01-18")]
    sizes = [rng.randint(38, 58) for _ in range(18)]
    caps = [len(audience(cadres, t[2])) - 5 for t in topics]
    i = 0
    while sum(sizes) != FIGURES["nv_2018_attendances"]:
        j = i % 18
        if sum(sizes) < FIGURES["nv_2018_attendances"]:
            if sizes[j] < min(caps[j], 75):
                sizes[j] += 1
        elif sizes[j] > 25:
            sizes[j] -= 1
        i += 5
    total = 0
    for n, (topic, (start, end), size) in enumerate(zip(topics, spans,
                                                        sizes), 1):
        total += nv_course(rng, cadres, courses, f"NV-2018-{n:02d}", topic,
                           start, end, size)
    assert total == FIGURES["nv_2018_attendances"], total
    # Other years, fewer and smaller, so charts per year have content.
    # None of them runs in 2018.
    for year, count in ((2014, 5), (2015, 6), (2016, 7), (2017, 8),
                        (2019, 6)):
        # 2019 stops at the export: four finished, two still running.
        spans = sorted(random_span(rng, year, 270 if year < 2019 else 100)
                       for _ in range(count))
        if year == 2019:
            spans[-2] = ("2019-06-24", "2019-07-19")
            spans[-1] = ("2019-07-01", "2019-08-23")
        topics = rng.sample(NV_TOPICS, count)
        for n, (topic, (start, end)) in enumerate(zip(topics, spans), 1):
            nv_course(rng, cadres, courses, f"NV-{year}-{n:02d}", topic,
                      start, end, rng.randint(22, 45))


def make_courses(rng, cadres):
    sign = signers(cadres)
    courses = []

    def course(cid, ctype, mode, start, end, title, organizer, location):
        c = new_course(cid, ctype, mode, start, end, title, organizer,
                       location, sign[organizer])
        courses.append(c)
        return c

    def adult(c, year, years=23):
        return c["birth"].year <= year - years

    used_tc = set()     # nobody completes two trung cấp courses
    tc_end = {}         # when each completed trung cấp

    def tc_pool(year, levels=("trung-cap",)):
        return [c for c in cadres if c["llct"] in levels and
                c["id"] not in used_tc and adult(c, year)]

    def tc_weight(c):
        return (3 if c["level"] == "xa" else
                2 if c["category"] == CC else
                1.5 if c["role"] in ("principal", "vice-principal") else 1)

    def tc_course(cid, mode, start, end, title, organizer, location,
                  completed, failed=0, withdrawn=0, levels=("trung-cap",)):
        c = course(cid, "trung-cap-llct-hc", mode, start, end, title,
                   organizer, location)
        year = c["start"].year
        done = pick(rng, tc_pool(year, levels), completed, tc_weight)
        used_tc.update(p["id"] for p in done)
        for p in done:
            tc_end[p["id"]] = c["end"]
        # Those who did not finish still hold sơ cấp only.
        rest = pick(rng, [p for p in cadres if p["llct"] == "so-cap" and
                          adult(p, year)], failed + withdrawn)
        enrol_as(rng, c, done + rest, rest[:failed], rest[failed:])
        return c

    # ---- political theory ladder ----
    used_sc = set()

    def sc_course(cid, start, end, completed, failed=0, withdrawn=0):
        c = course(cid, "so-cap-llct", "tap-trung", start, end,
                   f"Sơ cấp lý luận chính trị, khóa {start[:4]}", TTBDCT,
                   TTBDCT)
        year = c["start"].year
        pool = [p for p in cadres if p["llct"] == "so-cap" and
                p["id"] not in used_sc and adult(p, year, 21)]
        done = pick(rng, pool, completed, lambda p: 2 if
                    p["level"] == "xa" else 1)
        used_sc.update(p["id"] for p in done)
        # Those who did not finish hold no political theory.
        rest = pick(rng, [p for p in cadres if p["llct"] == "chua-dao-tao"
                          and adult(p, year, 21)], failed + withdrawn)
        enrol_as(rng, c, done + rest, rest[:failed], rest[failed:])
        return c

    sc_course("SC-2014", "2014-05-05", "2014-06-27", 36, 1, 1)
    tc_course("TC-2014", "khong-tap-trung", "2014-03-10", "2015-06-26",
              "Trung cấp lý luận chính trị – hành chính, khóa 2014 – 2015",
              TTBDCT, PLACE, 55, 2, 1, levels=("trung-cap", "cao-cap"))
    cn = course("CN-2014", "cu-nhan-llct", "khong-tap-trung", "2014-09-08",
                "2016-06-24", "Cử nhân chính trị hệ không tập trung, "
                "khóa 2014 – 2016", "Học viện Chính trị quốc gia Hồ Chí Minh",
                "Hà Nội")
    enrol(rng, cn, pick(rng, [c for c in cadres if c["llct"] == "cu-nhan"],
                        1))
    used_cc = set()

    def cc_course(cid, mode, start, end, title, n, levels):
        c = course(cid, "cao-cap-llct", mode, start, end, title, HVKV1,
                   "Hà Nội")
        # Cao cấp comes after trung cấp, never alongside it.
        pool = [p for p in cadres if p["llct"] in levels and
                p["id"] not in used_cc and p["leader"] and
                adult(p, c["start"].year, 30) and
                tc_end.get(p["id"], datetime.date.min) < c["start"]]
        people = pick(rng, pool, n)
        used_cc.update(p["id"] for p in people)
        enrol(rng, c, people)
        return c

    cc_course("CC-2014", "khong-tap-trung", "2014-10-06", "2016-06-24",
              "Cao cấp lý luận chính trị hệ không tập trung, khóa 2014 – "
              "2016", 3, ("cao-cap",))
    tc_course("HVT-2015", "tap-trung", "2015-03-02", "2015-10-30",
              "Trung cấp lý luận chính trị – hành chính hệ tập trung, "
              "khóa 2015", HVT, "Thành phố Lạng Sơn", 5)
    sc_course("SC-2015", "2015-04-06", "2015-05-29", 38, 1, 1)
    sc_course("SC-2016", "2016-04-04", "2016-05-27", 35, 0, 1)
    # 2017: 60 + 8 = 68 trung cấp completions, 41 sơ cấp completions.
    tc_course("TC-2016", "khong-tap-trung", "2016-03-07", "2017-06-30",
              "Trung cấp lý luận chính trị – hành chính, khóa 2016 – 2017",
              TTBDCT, PLACE, 60, 2, 1)
    tc_course("HVT-2017", "tap-trung", "2017-02-20", "2017-09-29",
              "Trung cấp lý luận chính trị – hành chính hệ tập trung, "
              "khóa 2017", HVT, "Thành phố Lạng Sơn", 8)
    sc_course("SC-2017", "2017-04-03", "2017-05-26", 41, 1, 1)
    cc_course("CC-2017", "tap-trung", "2017-03-06", "2017-12-22",
              "Cao cấp lý luận chính trị hệ tập trung, khóa 2017", 2,
              ("cao-cap",))
    # 2018: the two classes of the article (69 and 26).
    sc_course("SC-2018", "2018-04-02", "2018-05-25", 25, 1, 0)
    tc = tc_course("TC-2018", "khong-tap-trung", "2018-03-05", "2019-06-28",
                   "Trung cấp lý luận chính trị – hành chính, khóa 2018 – "
                   "2019", TTBDCT, PLACE, 66, 2, 1)
    tc["hand_numbered"] = 2
    # Sent to cao cấp while holding trung cấp: still studying.
    cc_course("CC-2018", "khong-tap-trung", "2018-09-10", "2020-06-26",
              "Cao cấp lý luận chính trị hệ không tập trung, khóa 2018 – "
              "2020", 2, ("trung-cap",))
    # Sent to the provincial school in 2019 from sơ cấp: still studying.
    hvt = course("HVT-2019", "trung-cap-llct-hc", "tap-trung", "2019-03-04",
                 "2019-10-25", "Trung cấp lý luận chính trị – hành chính "
                 "hệ tập trung, khóa 2019", HVT, "Thành phố Lạng Sơn")
    enrol(rng, hvt, pick(rng, [c for c in cadres if c["llct"] == "so-cap"
                               and c["leader"] is False and
                               adult(c, 2019, 24) and age(c) < 45],
                         4, tc_weight))
    sc_course("SC-2019", "2019-04-01", "2019-05-24", 29, 0, 1)

    # ---- state management (QLNN): completers hold that rank ----
    used_qlnn = set()

    def qlnn_course(cid, start, end, program, floor, n, organizer):
        c = course(cid, "qlnn", "tap-trung", start, end,
                   f"Bồi dưỡng kiến thức quản lý nhà nước chương trình "
                   f"{program}", organizer, "Thành phố Lạng Sơn"
                   if organizer != "Phòng Nội vụ huyện Đình Lập" else PLACE)
        # Completers hold the course's rank or the one above it.
        above = QLNN[max(QLNN.index(floor) - 1, 0)]
        pool = [p for p in cadres if p["id"] not in used_qlnn
                and p["qlnn"] in (floor, above) and
                adult(p, c["start"].year)]
        people = pick(rng, pool, n, lambda p: 2 if p["qlnn"] == floor else 1)
        used_qlnn.update(p["id"] for p in people)
        enrol(rng, c, people, 0, 1)
        return c

    qlnn_course("QLNN-2015", "2015-08-03", "2015-09-25", "chuyên viên",
                "chuyen-vien", 42, "Sở Nội vụ tỉnh Lạng Sơn")
    qlnn_course("QLNN-2016", "2016-09-05", "2016-11-25",
                "chuyên viên chính", "chuyen-vien-chinh", 9,
                "Sở Nội vụ tỉnh Lạng Sơn")
    qlnn_course("QLNN-2017", "2017-06-05", "2017-07-28", "chuyên viên",
                "chuyen-vien", 48, HVT)
    qlnn_course("QLNN-2018", "2018-06-04", "2018-07-27", "cán sự", "can-su",
                35, "Phòng Nội vụ huyện Đình Lập")

    # ---- other courses (khác) ----
    for cid, start, end, n in (("QPAN-2016", "2016-10-10", "2016-10-21", 40),
                               ("QPAN-2018", "2018-10-08", "2018-10-19", 45)):
        c = course(cid, "khac", "tap-trung", start, end,
                   "Bồi dưỡng kiến thức quốc phòng và an ninh cho đối tượng 4",
                   "Ban Chỉ huy Quân sự huyện Đình Lập", PLACE)
        c["graded"] = False
        enrol(rng, c, pick(rng, [p for p in cadres if p["category"] != VC],
                           n), 0, 1)
    c = course("TAY-2017", "khac", "khong-tap-trung", "2017-09-11",
               "2017-12-15", "Bồi dưỡng tiếng Tày cho cán bộ, công chức",
               TTBDCT, PLACE)
    c["graded"] = True
    enrol(rng, c, pick(rng, [p for p in cadres if p["ethnicity"] != "Tày"
                             and p["category"] != VC], 32), 1, 1)

    make_nv_courses(rng, cadres, courses)
    for c in courses:
        if c["signer"] is None:
            c["signer"] = sign[c["organizer"]]
    courses.sort(key=lambda c: (c["start"], c["id"]))
    return courses


# Suffix of certificate numbers by course type ("125/2019/CC").
SUFFIX = {"so-cap-llct": "SC", "trung-cap-llct-hc": "TC",
          "cao-cap-llct": "CCLL", "cu-nhan-llct": "CNCT", "qlnn": "QLNN",
          "nghiep-vu": "CC", "khac": "CC"}


def number_certificates(rng, courses):
    """Certificates of finished courses, numbered in the order of issue,
    one register per type and year; a few completers have not collected
    theirs.  The 2018-2019 trung cấp class is left to cadre-cert, except
    for the certificates written by hand at its closing."""
    counters = {}
    for c in sorted(courses, key=lambda c: (c["end"], c["id"])):
        if c["end"] > EXPORTED:
            continue
        done = [p for p in c["participants"] if p["status"] == "completed"]
        if "hand_numbered" in c:
            given = set(id(p) for p in rng.sample(done, c["hand_numbered"]))
        else:
            given = set(id(p) for p in done if rng.random() < 0.93)
        key = (SUFFIX[c["type"]], c["end"].year)
        if key not in counters:
            counters[key] = rng.randint(3, 140)
        issued = c["end"] if c["type"] != "nghiep-vu" else \
            c["end"] + datetime.timedelta(days=rng.choice([0, 0, 0, 3, 7]))
        for p in done:
            if id(p) in given:
                counters[key] += 1
                p["cert"] = f"{counters[key]}/{key[1]}/{key[0]}"
                p["issued"] = issued


# --------------------------------------------------------------- checks ---

def check_figures(units, cadres, courses):
    """Recount the article's figures; stop with a message if one is off."""
    got = {}
    cv = [c for c in cadres if ccvc(c)]
    got["ccvc"] = len(cv)
    got["ccvc_edu_cao_dang_up"] = sum(
        at_least(c["education"], "cao-dang", EDU) for c in cv)
    got["ccvc_llct_trung_cap_up"] = sum(
        at_least(c["llct"], "trung-cap", LLCT) for c in cv)
    by_id = {c["id"]: c for c in courses}
    got["tc_2018_2019"] = len(by_id["TC-2018"]["participants"])
    got["sc_2018"] = len(by_id["SC-2018"]["participants"])

    def completed(ctype, year):
        return sum(p["status"] == "completed" for c in courses
                   if c["type"] == ctype and c["end"].year == year
                   for p in c["participants"])
    got["tc_completed_2017"] = completed("trung-cap-llct-hc", 2017)
    got["sc_completed_2017"] = completed("so-cap-llct", 2017)
    nv = [c for c in courses if c["type"] == "nghiep-vu" and
          c["start"].year <= 2018 <= c["end"].year]
    got["nv_2018_attendances"] = sum(len(c["participants"]) for c in nv)
    tt = [c for c in cadres if c["unit"] == "TTNTTB"]
    got["ttnttb"] = len(tt)
    got["ttnttb_trung_cap"] = sum(c["llct"] == "trung-cap" for c in tt)
    got["ttnttb_so_cap"] = sum(c["llct"] == "so-cap" for c in tt)

    def sent(pred):
        return len({p["cadre"] for c in courses if pred(c) and
                    c["start"].year >= 2017 for p in c["participants"]})
    got["cao_cap_since_2017"] = sent(lambda c: c["type"] == "cao-cap-llct")
    got["hvt_tap_trung_since_2017"] = sent(
        lambda c: c["type"] == "trung-cap-llct-hc" and
        c["mode"] == "tap-trung" and c["organizer"] == HVT)
    bad = [f"{k}: {got[k]} instead of {v}" for k, v in FIGURES.items()
           if got[k] != v]
    if not 15 <= len(nv) <= 20:
        bad.append(f"{len(nv)} nghiệp vụ courses run in 2018")
    n_cb = len(cadres) - len(cv)
    if not 150 <= n_cb <= 250:
        bad.append(f"{n_cb} cán bộ")
    # Qualifications agree with completed courses.
    floors = {"so-cap-llct": "so-cap", "trung-cap-llct-hc": "trung-cap",
              "cao-cap-llct": "cao-cap", "cu-nhan-llct": "cu-nhan"}
    people = {c["id"]: c for c in cadres}
    for c in courses:
        for p in c["participants"]:
            who = people[p["cadre"]]
            if p["status"] == "completed" and c["type"] in floors and \
                    not at_least(who["llct"], floors[c["type"]], LLCT):
                bad.append(f"{who['id']} completed {c['id']} but holds "
                           f"{who['llct']}")
    if bad:
        raise SystemExit("gen_district: figures are off:\n  " +
                         "\n  ".join(bad))
    got["can_bo"] = n_cb
    got["nv_2018_courses"] = len(nv)
    return got


# --------------------------------------------------------------- output ---

def esc(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def attr(name, value):
    return f' {name}="{esc(value).replace(chr(34), "&quot;")}"'


def signer(cadres):
    """Who signs the issuer's documents: the head of the Organisation
    Board, by the name the records give."""
    head = next(c for c in cadres if c["position"] == SIGNER_POSITION)
    return unicodedata.normalize("NFC", head["name"])


def write_cadres(path, units, cadres, nfd_ids):
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           "<!-- Sample district of Đình Lập (Lạng Sơn), part 1 of 2: units",
           "     and cadres as exported from the personnel system on",
           "     31/12/2018.  Courses are in courses.xml; give both files to",
           "     a tool.  Generated by samples/gen_district.py: do not edit,",
           "     change the generator and re-run it.  A few names are",
           "     written decomposed (NFD) on purpose: the tools normalise",
           "     text to NFC. -->",
           f'<records version="1"{attr("as-of", AS_OF.isoformat())}'
           f'{attr("issuer", ISSUER)}{attr("place", PLACE)}'
           f'{attr("signer", signer(cadres))}'
           f'{attr("signer-title", SIGNER_TITLE)}>',
           "  <units>"]
    for u in units:
        parent = attr("parent", u["parent"]) if u["parent"] else ""
        out.append(f'    <unit{attr("id", u["id"])}{attr("name", u["name"])}'
                   f'{attr("level", u["level"])}{parent}/>')
    out += ["  </units>", "  <cadres>"]
    for c in cadres:
        leader = attr("leader", "true") if c["leader"] else ""
        name = c["name"]
        if c["id"] in nfd_ids:
            name = unicodedata.normalize("NFD", name)
        birth = str(c["birth"].year) if c["year_only"] else \
            c["birth"].isoformat()
        out.append(f'    <cadre{attr("id", c["id"])}{attr("unit", c["unit"])}'
                   f'{leader}>')
        out.append(f"      <full-name>{esc(name)}</full-name>")
        out.append(f"      <gender>{c['gender']}</gender>")
        out.append(f"      <birth-date>{birth}</birth-date>")
        if c["ethnicity"]:
            out.append(f"      <ethnicity>{esc(c['ethnicity'])}</ethnicity>")
        if c["position"]:
            out.append(f"      <position>{esc(c['position'])}</position>")
        out.append(f"      <category>{c['category']}</category>")
        out.append(f"      <education>{c['education']}</education>")
        out.append(f"      <political-theory>{c['llct']}</political-theory>")
        if c["qlnn"] != "chua-dao-tao" or c["qlnn_explicit"]:
            out.append(f"      <state-management>{c['qlnn']}"
                       "</state-management>")
        if c["party"]:
            since = attr("since", c["party"].isoformat())
            out.append(f"      <party-member{since}/>")
        out.append("    </cadre>")
    out += ["  </cadres>", "</records>", ""]
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(out))


def write_courses(path, courses):
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           "<!-- Sample district of Đình Lập (Lạng Sơn), part 2 of 2: courses",
           "     and participants as exported by the training centre on",
           "     05/07/2019.  Participants refer to cadres of cadres.xml.",
           "     Generated by samples/gen_district.py: do not edit. -->",
           f'<records version="1"{attr("place", PLACE)}>',
           "  <courses>"]
    for c in courses:
        mode = attr("mode", c["mode"]) if c["mode"] else ""
        out.append(f'    <course{attr("id", c["id"])}{attr("type", c["type"])}'
                   f'{mode}{attr("start", c["start"].isoformat())}'
                   f'{attr("end", c["end"].isoformat())}>')
        out.append(f"      <title>{esc(c['title'])}</title>")
        body = GOVERNING_BODY.get(c["organizer"])
        out.append(f'      <organizer{attr("governing-body", body) if body else ""}>'
                   f"{esc(c['organizer'])}</organizer>")
        if c["location"]:
            out.append(f"      <location>{esc(c['location'])}</location>")
        title, name = c["signer"]
        out.append(f'      <signer{attr("title", title)}>{esc(name)}</signer>')
        for p in c["participants"]:
            line = f'      <participant{attr("cadre", p["cadre"])}' \
                   f'{attr("status", p["status"])}'
            if p["grade"]:
                line += attr("grade", p["grade"])
            if p["score"]:
                line += attr("score", p["score"])
            if p["cert"]:
                line += attr("certificate-no", p["cert"])
                line += attr("issued", p["issued"].isoformat())
            out.append(line + "/>")
        out.append("    </course>")
    out += ["  </courses>", "</records>", ""]
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(out))


def build():
    rng = random.Random(SEED)
    units = make_units(rng)
    cadres = make_cadres(rng, units)
    assign_llct(rng, cadres)
    assign_party(rng, cadres)
    assign_education(rng, cadres)
    assign_qlnn(rng, cadres)
    courses = make_courses(rng, cadres)
    number_certificates(rng, courses)
    figures = check_figures(units, cadres, courses)
    # Six names with marks, to be written decomposed (NFD).
    marked = [c["id"] for c in cadres
              if unicodedata.normalize("NFD", c["name"]) != c["name"]]
    nfd_ids = sorted(rng.sample(marked, 6))
    return units, cadres, courses, figures, nfd_ids


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=os.path.join(here, "dinh-lap"),
                    help="output directory (default: samples/dinh-lap)")
    ap.add_argument("--quiet", action="store_true",
                    help="do not print the figures")
    args = ap.parse_args()
    units, cadres, courses, figures, nfd_ids = build()
    os.makedirs(args.out, exist_ok=True)
    write_cadres(os.path.join(args.out, "cadres.xml"), units, cadres,
                 set(nfd_ids))
    write_courses(os.path.join(args.out, "courses.xml"), courses)
    if not args.quiet:
        print(f"{len(units)} units, {len(cadres)} cadres, {len(courses)} "
              f"courses, {sum(len(c['participants']) for c in courses)} "
              f"participants written to {args.out}")
        for k, v in figures.items():
            print(f"  {k}: {v}")
        print(f"  names in NFD: {', '.join(nfd_ids)}")


if __name__ == "__main__":
    sys.exit(main())
