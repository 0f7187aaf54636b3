#!/usr/bin/python3
"""Output tests of cadre-roster: the workbooks read back with openpyxl and
checked against what this file computes itself from the XML (xml.etree):
cell values and types, the Vietnamese order of names (a key written here
from the spec, not our C code), group and total rows, every stored formula
result - recomputed twice, from the XML and by evaluating the COUNTIFS
formula over the cadre sheet's cells - and the page set-up.
Prints "ok NAME" / "FAIL NAME" lines (tests/run).
"""
import datetime
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
import xml.etree.ElementTree as ET
import zipfile

import openpyxl

from verdicts import Verdicts

TOP = os.environ.get("CADRE_TOP") or os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("CADRE_BIN") or os.path.join(TOP, "build", "bin")
TOOL = os.path.join(BIN, "cadre-roster")
SAMPLE = [os.path.join(TOP, "samples", "dinh-lap", f)
          for f in ("cadres.xml", "courses.xml")]
CADRE_SHEET = "Danh sách CBCCVC"
STATS_SHEET = "Số lượng, chất lượng"

VERDICTS = Verdicts("roster")
check = VERDICTS.check
report = VERDICTS.report


def run(args, env=None):
    e = dict(os.environ)
    e.update(env or {})
    return subprocess.run([TOOL] + args, capture_output=True, text=True,
                          env=e)


# ------------------------------------------------ the Vietnamese order --

LETTERS = "a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z"
RANK = {ch: i for i, ch in enumerate(LETTERS.split())}
TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
SHAPES = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn


def word_key(text):
    """Primary (letters), secondary (tones), tertiary (case) of a text,
    as the spec orders them: a ă â b ... y; none, huyền, hỏi, ngã, sắc,
    nặng."""
    prim, sec, ter = [], [], []
    for ch in text:
        d = unicodedata.normalize("NFD", ch)
        base, marks = d[0], d[1:]
        low = base.lower()
        shaped = unicodedata.normalize(
            "NFC", low + "".join(m for m in marks if m in SHAPES))
        tone = max([TONES.get(m, 0) for m in marks] or [0])
        if shaped in RANK:
            prim.append(100 + RANK[shaped])
        elif low == " ":
            prim.append(0)
        else:
            prim.append(1000 + ord(low))
        sec.append(tone)
        ter.append(0 if base == low else 1)
    return (prim, sec, ter)


def name_key(full_name, cid):
    words = full_name.split(" ")
    given, rest = words[-1], " ".join(words[:-1])
    return (word_key(given), word_key(rest), cid)


def test_order_example():
    want = ["Đỗ Văn An", "Nguyễn Văn An", "Lê Thị Ánh", "Võ Thị Ăn",
            "Phạm Thị Ân", "Nguyễn Thị Bảo", "Bùi Văn Dũng", "Hoàng Duy",
            "Trần Văn Đức"]
    got = sorted(reversed(want), key=lambda n: name_key(n, ""))
    return None if got == want else f"the test's own key sorts {got}"


# ------------------------------------------------------ test records --

UNITS = [("VP", "Văn phòng Huyện ủy", "huyen", None),
         ("BTC", "Ban Tổ chức Huyện ủy", "huyen", None),
         ("BX", "Xã Bắc Xa", "xa", None),
         # wildcards and a quote in a name: COUNTIFS must match it exactly
         ("TDP", 'Tổ dân phố *1? ~"Mới"', "xa", "BX"),
         ("EMPTY", "Xã Không Người", "xa", None),
         ("TT", "Thị trấn Đình Lập", "xa", None)]
FAMILY = ["Nguyễn", "Hoàng", "Lý", "Vi", "Đỗ", "Lương", "Triệu", "Ân", "Bế"]
MIDDLE = ["Văn", "Thị", "Đức", "Thị Thu", "Quang", ""]
GIVEN = ["An", "Ánh", "Ăn", "Ân", "Bảo", "Dũng", "Duy", "Đức", "Hương",
         "Hường", "Hưởng", "Hùng", "Yến", "Ý", "Thắng", "Thăng", "Ước", "Oanh"]
ETH = ["Tày", "Nùng", "Kinh", "Dao", "", "Sán Chỉ", "kinh"]
CAT = ["can-bo", "cong-chuc", "vien-chuc"]
EDU = ["tien-si", "thac-si", "dai-hoc", "cao-dang", "trung-cap", "so-cap",
       "chua-dao-tao"]
POL = ["cu-nhan", "cao-cap", "trung-cap", "so-cap", "chua-dao-tao"]
QLNN = ["chuyen-vien-cao-cap", "chuyen-vien-chinh", "chuyen-vien", "can-su",
        "chua-dao-tao"]
AS_OF = datetime.date(2018, 12, 31)


def make_records(path, n=75, long_position=False, units=UNITS):
    """A district of n cadres with every kind of value; deterministic."""
    seed = 7

    def rnd(k):
        nonlocal seed
        seed = (seed * 1103515245 + 12345) % 2 ** 31
        return seed % k

    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<records version="1" as-of="2018-12-31" '
           'issuer="Ban Tổ chức Huyện ủy Đình Lập" place="Đình Lập">',
           "<units>"]
    for uid, name, level, parent in units:
        p = f' parent="{parent}"' if parent else ""
        nm = name.replace("&", "&amp;").replace('"', "&quot;")
        out.append(f'<unit id="{uid}" name="{nm}" level="{level}"{p}/>')
    out.append("</units><cadres>")
    for i in range(n):
        peopled = [u for u in units if u[0] != "EMPTY"]
        unit = peopled[rnd(len(peopled))][0]
        name = " ".join(w for w in (FAMILY[rnd(len(FAMILY))],
                                    MIDDLE[rnd(len(MIDDLE))],
                                    GIVEN[rnd(len(GIVEN))]) if w)
        if i < 3:  # the same name three times: then by id
            name = "Nguyễn Văn An"
        y = 1955 + rnd(45)
        birth = str(y) if i % 9 == 4 else f"{y}-{1 + rnd(12):02d}-{1 + rnd(28):02d}"
        if i == 5:  # 30 on the day exactly; 60 on the day: band edges
            birth = "1988-12-31"
        if i == 6:
            birth = "1958-12-31"
        if i == 7:
            birth = "1988-12-30"
        if i == 8:  # before 1900: no Excel date
            birth = "1899-05-01"
        if i == 9:  # before 1 March 1900: Excel's serials count 29/02/1900
            birth = "1900-02-10"
        eth = ETH[rnd(len(ETH))]
        pos = "Chuyên viên" if i % 4 else "Phó Chủ tịch Ủy ban nhân dân kiêm Chủ tịch Hội đồng"
        if long_position and i == 10:
            pos = "Dài " * 9000  # 36,000 characters: more than a cell holds
        leader = ' leader="true"' if i % 6 == 0 else ""
        out.append(f'<cadre id="T{i:04d}" unit="{unit}"{leader}>')
        out.append(f"<full-name>{name}</full-name>")
        out.append(f"<gender>{'nu' if rnd(2) else 'nam'}</gender>")
        out.append(f"<birth-date>{birth}</birth-date>")
        if eth:
            out.append(f"<ethnicity>{eth}</ethnicity>")
        out.append(f"<position>{pos.strip()}</position>")
        out.append(f"<category>{CAT[rnd(3)]}</category>")
        out.append(f"<education>{EDU[rnd(len(EDU))]}</education>")
        out.append(f"<political-theory>{POL[rnd(len(POL))]}</political-theory>")
        if rnd(4):
            out.append(f"<state-management>{QLNN[rnd(len(QLNN))]}"
                       "</state-management>")
        if rnd(3):
            out.append('<party-member since="2001-05-19"/>')
        out.append("</cadre>")
    out.append("</cadres><courses>")
    statuses = ["completed", "enrolled", "failed", "withdrawn"]
    grades = ["xuat-sac", "gioi", "kha", "trung-binh-kha", "trung-binh"]
    for cid, title, first, count in (
            ("C1", "Trung cấp lý luận chính trị – hành chính 2018", 0, 30),
            ("C2", "Bồi dưỡng nghiệp vụ công tác Đảng", 20, 15)):
        out.append(f'<course id="{cid}" type="nghiep-vu" start="2018-03-05" '
                   f'end="2018-11-30"><title>{title}</title>'
                   "<organizer>Trung tâm Bồi dưỡng chính trị</organizer>"
                   '<signer title="GIÁM ĐỐC">Hoàng Văn Minh</signer>')
        for k in range(first, first + count):
            st = statuses[k % 4]
            extra = ""
            if st == "completed":
                # C2's certificates were issued a few days after its end
                issued = "2018-12-05" if cid == "C2" else "2018-11-30"
                extra = (f' grade="{grades[k % 5]}" score="{5 + k % 5}.{k % 10}"'
                         f' certificate-no="{k}/{cid}" issued="{issued}"')
            out.append(f'<participant cadre="T{k:04d}" status="{st}"{extra}/>')
        out.append("</course>")
    out.append("</courses></records>")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out))


def parse(paths):
    """Units, cadres and courses from the XML, with xml.etree."""
    units, cadres, courses = [], [], []
    for p in paths:
        root = ET.parse(p).getroot()
        for u in root.iter("unit"):
            units.append(dict(u.attrib))
        for c in root.iter("cadre"):
            d = {"id": c.get("id"), "unit": c.get("unit")}
            for f in ("full-name", "gender", "birth-date", "ethnicity",
                      "position", "category", "education", "political-theory",
                      "state-management"):
                e = c.find(f)
                d[f] = e.text if e is not None else None
            d["state-management"] = d["state-management"] or "chua-dao-tao"
            d["party"] = c.find("party-member") is not None
            courses_of = None
            cadres.append(d)
        for k in root.iter("course"):
            courses.append({"id": k.get("id"), "title": k.find("title").text,
                            "participants": [dict(p.attrib) for p in
                                             k.iter("participant")]})
    return units, cadres, courses


def age(birth):
    if len(birth) == 4:
        b = datetime.date(int(birth), 1, 1)
    else:
        b = datetime.date.fromisoformat(birth)
    return AS_OF.year - b.year - ((AS_OF.month, AS_OF.day) < (b.month, b.day))


LABEL = {
    "gender": {"nam": "Nam", "nu": "Nữ"},
    "category": {"can-bo": "Cán bộ", "cong-chuc": "Công chức",
                 "vien-chuc": "Viên chức"},
    "status": {"enrolled": "Đang học", "completed": "Hoàn thành",
               "failed": "Không đạt", "withdrawn": "Thôi học"},
    "grade": {"xuat-sac": "Xuất sắc", "gioi": "Giỏi", "kha": "Khá",
              "trung-binh-kha": "Trung bình khá", "trung-binh": "Trung bình"},
}


# -------------------------------------------- reading the workbooks --

def head_rows(ws):
    """The row of the last heading: the row above the frozen pane."""
    m = re.match(r"[A-Z]+(\d+)$", ws.freeze_panes or "")
    return int(m.group(1)) - 1


def data_rows(ws, ncols):
    """(row number, values) of every body row below the headings, up to
    the blank line over the footer."""
    out = []
    r = head_rows(ws) + 1
    while r <= ws.max_row:
        vals = [ws.cell(r, c).value for c in range(1, ncols + 1)]
        if all(v is None for v in vals):
            break
        out.append((r, vals))
        r += 1
    return out


def col_index(ws, heading, row=None):
    row = row or head_rows(ws)
    for c in range(1, ws.max_column + 1):
        if ws.cell(row, c).value == heading:
            return c
    raise KeyError(heading)


# ---------------------------------- a COUNTIFS evaluator, for formulas --

def split_args(s):
    args, depth, cur, q = [], 0, "", False
    for ch in s:
        if ch == '"':
            q = not q
        if ch == "," and not q and depth == 0:
            args.append(cur)
            cur = ""
            continue
        if not q and ch == "(":
            depth += 1
        if not q and ch == ")":
            depth -= 1
        cur += ch
    args.append(cur)
    return args


def wild(pattern, text):
    """Excel's criteria match: * ? wildcards, ~ escapes, any case."""
    rx, i = "", 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "~" and i + 1 < len(pattern):
            rx += re.escape(pattern[i + 1])
            i += 2
            continue
        rx += ".*" if ch == "*" else "." if ch == "?" else re.escape(ch)
        i += 1
    return re.fullmatch(rx, text, re.S | re.I) is not None


def crit_match(crit, v):
    for op in ("<>", "<=", ">=", "=", "<", ">"):
        if crit.startswith(op):
            arg = crit[len(op):]
            break
    else:
        op, arg = "=", crit
    try:
        num = float(arg)
    except ValueError:
        num = None
    if op in ("<", ">", "<=", ">="):
        if not isinstance(v, (int, float)) or num is None:
            return False
        return {"<": v < num, ">": v > num, "<=": v <= num, ">=": v >= num}[op]
    if arg == "":
        empty = v is None or v == ""
        return empty if op == "=" else not empty
    if num is not None and isinstance(v, (int, float)):
        eq = v == num
    else:
        eq = v is not None and wild(arg, str(v))
    return eq if op == "=" else not eq


def sheet_range(wb, ref, here):
    key = (id(wb), here.title, ref)
    if key not in _ranges:
        _ranges[key] = _sheet_range(wb, ref, here)
    return _ranges[key]


def _sheet_range(wb, ref, here):
    m = re.fullmatch(r"(?:'((?:[^']|'')+)'!)?\$?([A-Z]+)\$?(\d+):\$?([A-Z]+)\$?(\d+)",
                     ref.strip())
    ws = wb[m.group(1).replace("''", "'")] if m.group(1) else here
    col = openpyxl.utils.column_index_from_string(m.group(2))
    return [ws.cell(r, col).value for r in range(int(m.group(3)),
                                                 int(m.group(5)) + 1)]


_memo = {}


def evaluate(wb, here, formula):
    """The value of our formulas: a sum of COUNTIFS, SUM or COUNTA
    (remembered: totals refer to cells already evaluated)."""
    key = (id(wb), here.title, formula)
    if key not in _memo:
        _memo[key] = _evaluate(wb, here, formula)
    return _memo[key]


_ranges = {}
_matches = {}


def matching(wb, here, ref, crit):
    """The rows of a range a criterion accepts, remembered."""
    key = (id(wb), here.title, ref, crit)
    if key not in _matches:
        r = sheet_range(wb, ref, here)
        _matches[key] = frozenset(i for i, v in enumerate(r)
                                  if crit_match(crit, v))
    return _matches[key]


def criteria_rows(wb, here, args):
    """The rows that every (range, criterion) pair of `args` accepts."""
    rows = None
    for a, c in zip(args[0::2], args[1::2]):
        m = matching(wb, here, a, c.strip()[1:-1].replace('""', '"'))
        rows = m if rows is None else rows & m
    return rows


def _evaluate(wb, here, formula):
    f = formula.lstrip("=")
    total = 0
    for fn, inner in re.findall(
            r"(COUNTIFS|SUMIFS|SUM|COUNTA)\(((?:[^()\"']|\"[^\"]*\"|'[^']*')*)\)", f):
        args = split_args(inner)
        if fn == "SUMIFS":
            values = sheet_range(wb, args[0], here)
            for i in criteria_rows(wb, here, args[1:]):
                v = values[i]
                if isinstance(v, str) and v.startswith("="):
                    v = evaluate(wb, here, v)
                if isinstance(v, (int, float)):
                    total += v
        elif fn == "COUNTIFS":
            total += len(criteria_rows(wb, here, args))
        else:
            for a in args:
                for v in sheet_range(wb, a, here):
                    if isinstance(v, str) and v.startswith("="):
                        v = evaluate(wb, here, v)  # a total of formulas
                    if fn == "SUM" and isinstance(v, (int, float)):
                        total += v
                    if fn == "COUNTA" and v not in (None, ""):
                        total += 1
    return total


# --------------------------------------------------------- the tests --

TMP = tempfile.mkdtemp(prefix="roster-test-")
REC = os.path.join(TMP, "records.xml")
make_records(REC)
UNITS_X, CADRES, COURSES = parse([REC])
BY_ID = {c["id"]: c for c in CADRES}
UNIT_NAME = {u["id"]: u["name"] for u in UNITS_X}


def filter_rows(ws):
    """First and last row of the autofilter."""
    m = re.fullmatch(r"A(\d+):[A-Z]+(\d+)", ws.auto_filter.ref or "")
    return (int(m.group(1)), int(m.group(2))) if m else (None, None)


def page_setup(ws, heading_row, font=11):
    """What every sheet must have: A4 landscape at a scale that prints its
    type at 8 points or more, headings repeated, panes frozen below the
    headings and right of the name column, a filter over the headings and
    data rows, page numbers from 1."""
    ps = ws.page_setup
    problems = []
    if ps.orientation != "landscape":
        problems.append(f"orientation {ps.orientation}")
    if str(ps.paperSize) != "9":
        problems.append(f"paper {ps.paperSize}")
    pr = ws.sheet_properties.pageSetUpPr
    if pr is not None and pr.fitToPage:
        problems.append("fit to page (ignores the page breaks)")
    scale = int(ps.scale or 100)
    if scale * font / 100 < 8 - 1e-9:
        problems.append(f"scale {scale}: type of {scale * font / 100} pt")
    rows = ws.print_title_rows or ""
    if not rows.startswith(f"${heading_row}:") and rows != f"${heading_row}:${heading_row}":
        problems.append(f"print titles {rows}")
    if not rows.endswith(f":${head_rows(ws)}"):
        problems.append(f"print titles end {rows}")
    m = re.fullmatch(r"([A-Z]+)(\d+)", ws.freeze_panes or "")
    if not m or int(m.group(2)) != head_rows(ws) + 1:
        problems.append(f"panes {ws.freeze_panes}")
    name = [c for c in range(1, ws.max_column + 1)
            if ws.cell(head_rows(ws), c).value in ("Họ và tên", "Tên đơn vị")]
    if m and name and openpyxl.utils.column_index_from_string(m.group(1)) != name[0] + 1:
        problems.append(f"panes {ws.freeze_panes}: not right of the name column")
    if filter_rows(ws)[0] != head_rows(ws):
        problems.append(f"filter {ws.auto_filter.ref}")
    if (ws.oddFooter.center.text or "").strip() != '&"Times New Roman"&10Trang &P' \
            and "Trang &P" not in (ws.oddFooter.center.text or ""):
        problems.append(f"footer {ws.oddFooter.center.text}")
    if not ps.useFirstPageNumber or int(ps.firstPageNumber or 1) != 1:
        problems.append("page numbers do not start at 1")
    return "; ".join(problems) or None


def table_rows(ws):
    """The data rows (those the filter covers) and the total rows under
    them, each as (row number, values)."""
    rows = data_rows(ws, ws.max_column)
    last = filter_rows(ws)[1]
    return ([(r, v) for r, v in rows if r <= last],
            [(r, v) for r, v in rows if r > last])


def birth_cell(cell, birth):
    """What a date cell must hold: a date Excel can store is a date shown
    dd/mm/yyyy; a year alone is the text the person reads ("1976"), never
    the number 1976 that sorting and filtering take for a day of 1905; a
    day before 1 March 1900 (no Excel serial, or a wrong one) its text."""
    if len(birth) == 4:
        want = birth
    elif birth < "1900-03-01":
        y, m, d = birth.split("-")
        want = f"{d}/{m}/{y}"
    else:
        if (cell.value != datetime.datetime.fromisoformat(birth) or
                cell.number_format != "dd/mm/yyyy" or cell.data_type != "d"):
            return f"date {cell.value!r} {cell.number_format}, expected {birth}"
        return None
    if cell.value != want or cell.data_type != "s":
        return f"{cell.value!r} ({cell.data_type}), expected the text {want!r}"
    return None


def test_course():
    out = os.path.join(TMP, "course.xlsx")
    r = run(["--course", "C2", "--course", "C1", "-o", out, REC])
    if r.returncode != 0:
        return f"exit {r.returncode}: {r.stderr}"
    wb = openpyxl.load_workbook(out)
    vals = openpyxl.load_workbook(out, data_only=True)
    ws, wv = wb.worksheets[0], vals.worksheets[0]
    if ws.title != "Danh sách học viên":
        return f"sheet {ws.title}"
    if ws["A1"].value != "BAN TỔ CHỨC HUYỆN ỦY ĐÌNH LẬP":
        return f"issuer {ws['A1'].value!r}"
    right = [c.value for c in ws[1] if c.value and c.column > 1]
    if right != ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]:
        return f"national title {right}"
    why = page_setup(ws, head_rows(ws))
    if why:
        return why
    c_name, c_birth = col_index(ws, "Họ và tên"), col_index(ws, "Ngày sinh")
    c_gender, c_status = col_index(ws, "Giới tính"), col_index(ws, "Trạng thái")
    c_score, c_cert = col_index(ws, "Điểm"), col_index(ws, "Số chứng chỉ")
    c_grade, c_course = col_index(ws, "Xếp loại"), col_index(ws, "Mã lớp")
    rows, totals = table_rows(ws)
    i = 0
    courses = {c["id"]: c for c in COURSES}
    for cid in ("C2", "C1"):  # the order given on the command line
        course = courses[cid]
        parts = sorted(course["participants"],
                       key=lambda p: name_key(BY_ID[p["cadre"]]["full-name"],
                                              p["cadre"]))
        for p in parts:
            r0, v = rows[i]
            i += 1
            c = BY_ID[p["cadre"]]
            if v[0] != i or not isinstance(v[0], int):
                return f"row {r0}: STT {v[0]!r}, expected {i}"
            if ws.cell(r0, 1).alignment.horizontal not in (None, "general", "right"):
                return f"row {r0}: STT aligned {ws.cell(r0, 1).alignment.horizontal}"
            if v[c_name - 1] != c["full-name"] or v[c_course - 1] != cid:
                return f"row {r0}: {v[c_name - 1]!r} {v[c_course - 1]!r}, expected {c['full-name']!r} {cid}"
            why = birth_cell(ws.cell(r0, c_birth), c["birth-date"])
            if why:
                return f"row {r0}: {why}"
            if v[c_gender - 1] != LABEL["gender"][c["gender"]]:
                return f"row {r0}: gender {v[c_gender - 1]!r}"
            if v[c_status - 1] != LABEL["status"][p["status"]]:
                return f"row {r0}: status {v[c_status - 1]!r}"
            if "score" in p:
                if (not isinstance(v[c_score - 1], (int, float)) or
                        abs(v[c_score - 1] - float(p["score"])) > 1e-9):
                    return f"row {r0}: score {v[c_score - 1]!r} for {p['score']}"
                if ws.cell(r0, c_score).alignment.horizontal not in (None, "general", "right"):
                    return f"row {r0}: score aligned {ws.cell(r0, c_score).alignment.horizontal}"
                if v[c_grade - 1] != LABEL["grade"][p["grade"]]:
                    return f"row {r0}: grade {v[c_grade - 1]!r}"
                if v[c_cert - 1] != p["certificate-no"]:
                    return f"row {r0}: certificate {v[c_cert - 1]!r}"
            elif v[c_score - 1] is not None or v[c_grade - 1] is not None:
                return f"row {r0}: a score or grade for {p['status']}"
    if i != len(rows):
        return f"{len(rows) - i} data rows more than participants"
    want = [("Cộng", cid, len(courses[cid]["participants"]))
            for cid in ("C2", "C1")]
    want.append(("Tổng cộng", None, sum(len(c["participants"]) for c in COURSES)))
    got = []
    for r0, v in totals:
        label = str(v[c_name - 1])
        if not str(v[0]).startswith(("=COUNTA(", "=COUNTIFS(")):
            return f"row {r0}: total row {v[:3]}"
        n = wv.cell(r0, 1).value
        if n != evaluate(wb, ws, v[0]):
            return f"row {r0}: stored {n}, formula gives {evaluate(wb, ws, v[0])}"
        got.append((label, v[c_course - 1], n))
    return None if got == want else f"totals {got}, expected {want}"


# What each count column of the shipped statistics template means, written
# here from the issue and the domain notes (not from the template).
def predicates():
    ccvc = lambda c: c["category"] in ("cong-chuc", "vien-chuc")
    at_least = lambda order, v, floor: order.index(v) <= order.index(floor)
    minority = lambda c: bool(c["ethnicity"]) and c["ethnicity"].lower() != "kinh"
    p = {
        ("Tổng số", None): lambda c: True,
        ("Nữ", "Trong đó"): lambda c: c["gender"] == "nu",
        ("Đảng viên", "Trong đó"): lambda c: c["party"],
        ("Dân tộc thiểu số", "Trong đó"): minority,
        ("Cán bộ", "Chia theo đối tượng"): lambda c: c["category"] == "can-bo",
        ("Công chức", "Chia theo đối tượng"): lambda c: c["category"] == "cong-chuc",
        ("Viên chức", "Chia theo đối tượng"): lambda c: c["category"] == "vien-chuc",
        ("Tổng số", "Công chức, viên chức"): ccvc,
        ("CM từ cao đẳng trở lên", "Công chức, viên chức"):
            lambda c: ccvc(c) and at_least(EDU, c["education"], "cao-dang"),
        ("LLCT từ trung cấp trở lên", "Công chức, viên chức"):
            lambda c: ccvc(c) and at_least(POL, c["political-theory"], "trung-cap"),
        ("Đến 30", "Độ tuổi"): lambda c: age(c["birth-date"]) <= 30,
        ("31 - 40", "Độ tuổi"): lambda c: 31 <= age(c["birth-date"]) <= 40,
        ("41 - 50", "Độ tuổi"): lambda c: 41 <= age(c["birth-date"]) <= 50,
        ("51 - 60", "Độ tuổi"): lambda c: 51 <= age(c["birth-date"]) <= 60,
        ("Trên 60", "Độ tuổi"): lambda c: age(c["birth-date"]) > 60,
    }
    for label, code in (("Tiến sĩ", "tien-si"), ("Thạc sĩ", "thac-si"),
                        ("Đại học", "dai-hoc"), ("Cao đẳng", "cao-dang"),
                        ("Trung cấp", "trung-cap"), ("Sơ cấp", "so-cap")):
        p[(label, "Trình độ chuyên môn")] = lambda c, k=code: c["education"] == k
    for label, code in (("Cử nhân", "cu-nhan"), ("Cao cấp", "cao-cap"),
                        ("Trung cấp", "trung-cap"), ("Sơ cấp", "so-cap")):
        p[(label, "Lý luận chính trị")] = lambda c, k=code: c["political-theory"] == k
    for label, code in (("CVCC", "chuyen-vien-cao-cap"),
                        ("CVC", "chuyen-vien-chinh"), ("CV", "chuyen-vien")):
        p[(label, "Quản lý nhà nước")] = lambda c, k=code: c["state-management"] == k
    return p


def check_cadre_sheets(wb, parts, cadres, units_x):
    """The cadre sheet (and its continuation parts): one row per cadre,
    units in file order, names in Vietnamese order in each, numbered
    through; under the last part a "Cộng" row per unit, counting the rows
    of the unit's id, and "Tổng cộng"."""
    rows, totals = [], []
    for ws in parts:
        d, t = table_rows(ws)
        rows += [(ws, r, v) for r, v in d]
        totals += [(ws, r, v) for r, v in t]
    ws0 = parts[0]
    c_name, c_unit = col_index(ws0, "Họ và tên"), col_index(ws0, "Đơn vị")
    c_id = col_index(ws0, "Mã đơn vị")
    c_age, c_party = col_index(ws0, "Tuổi"), col_index(ws0, "Đảng viên")
    want_totals = []
    i = 0
    for u in units_x:
        mine = sorted((c for c in cadres if c["unit"] == u["id"]),
                      key=lambda c: name_key(c["full-name"], c["id"]))
        if mine:
            want_totals.append(("Cộng", u["id"], u["name"], len(mine)))
        for c in mine:
            ws, r0, v = rows[i]
            i += 1
            if (v[0], v[c_name - 1], v[c_unit - 1], v[c_id - 1]) != \
                    (i, c["full-name"], u["name"], u["id"]):
                return (f"{ws.title}!{r0}: {v[:2]} {v[c_unit - 1]!r}, "
                        f"expected {i} {c['full-name']!r} of {u['id']}")
            if v[c_age - 1] != age(c["birth-date"]) or not isinstance(v[c_age - 1], int):
                return f"{ws.title}!{r0}: age {v[c_age - 1]!r}"
            if v[c_party - 1] != ("Có" if c["party"] else "Không"):
                return f"{ws.title}!{r0}: party {v[c_party - 1]!r}"
    if i != len(rows):
        return f"{len(rows) - i} data rows more than cadres"
    if len(want_totals) < 2:
        want_totals = []  # one unit: its total is the grand total
    want_totals.append(("Tổng cộng", None, None, len(cadres)))
    got = [(v[c_name - 1], v[c_id - 1], v[c_unit - 1], evaluate(wb, ws, v[0]))
           for ws, r0, v in totals]
    return None if got == want_totals else f"totals {got}, expected {want_totals}"


def stats_columns(ws):
    """(column, heading, group heading) of the statistics sheet."""
    top, sub = head_rows(ws) - 1, head_rows(ws)
    out, group = [], None
    for c in range(1, ws.max_column + 1):
        t, s = ws.cell(top, c).value, ws.cell(sub, c).value
        if t is not None and s is not None:
            group = t
        elif t is not None:
            group = None
        out.append((c, s if s is not None else t, group if s is not None else None))
    return out


def check_stats(path, cadres, units_x, layout=True):
    """The statistics sheet: one row per unit, huyện before xã in file
    order, each count stored, its formula (evaluated here over the cadre
    sheet's cells) and the test's own count agreeing; a "Cộng" row per
    level and "Tổng cộng" under them."""
    wb = openpyxl.load_workbook(path)
    wv = openpyxl.load_workbook(path, data_only=True)
    ws, vs = wb[STATS_SHEET], wv[STATS_SHEET]
    why = layout and page_setup(ws, head_rows(ws) - 1, font=10)
    if why:
        return why
    preds = predicates()
    cols = stats_columns(ws)
    c_name = col_index(ws, "Tên đơn vị", head_rows(ws) - 1)
    counted = [(c, h, g) for c, h, g in cols if (h, g) in preds]
    if len(counted) < 20:
        return f"only {len(counted)} columns the test can count"
    rows, totals = table_rows(ws)
    order = [u for u in units_x if u["level"] == "huyen"] + \
            [u for u in units_x if u["level"] == "xa"]
    if [v[c_name - 1] for _, v in rows] != [u["name"] for u in order]:
        return f"units {[v[c_name - 1] for _, v in rows]}"
    try:
        c_id = col_index(ws, "Mã đơn vị", head_rows(ws) - 1)
    except KeyError:
        return "no column of unit ids"
    if [v[c_id - 1] for _, v in rows] != [u["id"] for u in order]:
        return f"unit ids {[v[c_id - 1] for _, v in rows]}"
    formulas = 0
    for (r0, v), u in zip(rows, order):
        mine = [x for x in cadres if x["unit"] == u["id"]]
        for c, h, g in counted:
            want = sum(1 for x in mine if preds[(h, g)](x))
            f = ws.cell(r0, c).value
            if not str(f).startswith("="):
                return f"row {r0} {h}: not a formula: {f!r}"
            got = vs.cell(r0, c).value
            ev = evaluate(wb, ws, f)
            if got != want or ev != want:
                return (f"row {r0} {u['name']} {h}/{g}: stored {got}, formula gives "
                        f"{ev}, expected {want}")
            formulas += 1
    c_level = col_index(ws, "Cấp", head_rows(ws) - 1)
    levels = [lv for lv in ("huyen", "xa") if any(u["level"] == lv for u in units_x)]
    want_labels = ([("Cộng", "Cấp huyện" if lv == "huyen" else "Cấp xã")
                    for lv in levels] if len(levels) > 1 else []) + \
        [("Tổng cộng", None)]
    if [(v[c_name - 1], v[c_level - 1]) for _, v in totals] != want_labels:
        return f"total rows {[(v[c_name - 1], v[c_level - 1]) for _, v in totals]}"
    for (r0, v), (label, level) in zip(totals, want_labels):
        pick = (lambda x: True) if label == "Tổng cộng" else (
            lambda x, lv=("huyen" if level == "Cấp huyện" else "xa"):
            [u for u in units_x if u["id"] == x["unit"]][0]["level"] == lv)
        for c, h, g in counted:
            want = sum(preds[(h, g)](x) for x in cadres if pick(x))
            f = ws.cell(r0, c).value
            if vs.cell(r0, c).value != want or evaluate(wb, ws, f) != want:
                return (f"row {r0} {label} {h}: stored {vs.cell(r0, c).value}, "
                        f"formula gives {evaluate(wb, ws, f)}, expected {want}")
            formulas += 1
    return None if formulas else "no formula checked"


def test_statistics():
    out = os.path.join(TMP, "stats.xlsx")
    r = run(["-o", out, REC])
    if r.returncode != 0 or r.stderr:
        return f"exit {r.returncode}: {r.stderr}"
    wb = openpyxl.load_workbook(out)
    if wb.sheetnames != [CADRE_SHEET, STATS_SHEET]:
        return f"sheets {wb.sheetnames}"
    why = page_setup(wb[CADRE_SHEET], head_rows(wb[CADRE_SHEET]))
    return why or check_cadre_sheets(wb, [wb[CADRE_SHEET]], CADRES, UNITS_X) \
        or check_stats(out, CADRES, UNITS_X)


def test_continuation():
    """Past the row limit a sheet continues on "name (2)"; the formulas
    count over every part."""
    out = os.path.join(TMP, "parts.xlsx")
    r = run(["-o", out, REC], env={"CADRE_ROSTER_MAX_ROWS": "40"})
    if r.returncode != 0:
        return f"exit {r.returncode}: {r.stderr}"
    wb = openpyxl.load_workbook(out)
    parts = [wb[n] for n in wb.sheetnames if n.startswith(CADRE_SHEET)]
    if len(parts) < 3 or parts[1].title != CADRE_SHEET + " (2)":
        return f"sheets {wb.sheetnames}"
    for ws in parts:
        if ws.max_row > 40:
            return f"{ws.title}: {ws.max_row} rows"
        why = page_setup(ws, head_rows(ws))
        if why:
            return f"{ws.title}: {why}"
    st = wb[STATS_SHEET]
    total_col = [c for c, h, g in stats_columns(st) if (h, g) == ("Tổng số", None)][0]
    f = st.cell(head_rows(st) + 2, total_col).value
    if f.count("COUNTIFS") < 2:
        return f"a count over one part only: {f}"
    return check_cadre_sheets(wb, parts, CADRES, UNITS_X) or \
        check_stats(out, CADRES, UNITS_X)


def test_unit_filter():
    out = os.path.join(TMP, "unit.xlsx")
    r = run(["--unit", "BX", "-o", out, REC])
    if r.returncode != 0:
        return f"exit {r.returncode}: {r.stderr}"
    keep = {"BX", "TDP"}  # BX and the unit below it
    cadres = [c for c in CADRES if c["unit"] in keep]
    units_x = [u for u in UNITS_X if u["id"] in keep]
    wb = openpyxl.load_workbook(out)
    return check_cadre_sheets(wb, [wb[CADRE_SHEET]], cadres, units_x) or \
        check_stats(out, cadres, units_x)


def test_reproducible():
    a, b = os.path.join(TMP, "a.xlsx"), os.path.join(TMP, "b.xlsx")
    env = {"SOURCE_DATE_EPOCH": "1546214400"}
    for p in (a, b):
        r = run(["-o", p, REC], env=env)
        if r.returncode != 0:
            return f"exit {r.returncode}: {r.stderr}"
    if open(a, "rb").read() != open(b, "rb").read():
        return "two runs differ"
    core = zipfile.ZipFile(a).read("docProps/core.xml").decode()
    if "2018-12-31T00:00:00Z" not in core:
        return "creation time is not SOURCE_DATE_EPOCH"
    wb = openpyxl.load_workbook(a)
    if wb.properties.creator != "Ban Tổ chức Huyện ủy Đình Lập" or \
            not wb.properties.title:
        return f"properties {wb.properties.creator!r} {wb.properties.title!r}"
    return None


def test_long_text():
    rec = os.path.join(TMP, "long.xml")
    make_records(rec, long_position=True)
    out = os.path.join(TMP, "long.xlsx")
    r = run(["-o", out, rec])
    if r.returncode != 0:
        return f"exit {r.returncode}: {r.stderr}"
    if "cut to 32767" not in r.stderr or "warning" not in r.stderr:
        return f"no warning: {r.stderr!r}"
    ws = openpyxl.load_workbook(out)[CADRE_SHEET]
    longest = max(len(str(c.value or "")) for row in ws.iter_rows() for c in row)
    return None if longest == 32767 else f"longest cell {longest}"


def test_sample_figures():
    """The article's figures appear in the statistics sheet."""
    if not all(os.path.exists(p) for p in SAMPLE):
        return None
    out = os.path.join(TMP, "sample.xlsx")
    r = run(["-o", out] + SAMPLE)
    if r.returncode != 0:
        return f"exit {r.returncode}: {r.stderr}"
    units_x, cadres, _ = parse(SAMPLE)
    why = check_stats(out, cadres, units_x)
    if why:
        return why
    ws = openpyxl.load_workbook(out, data_only=True)[STATS_SHEET]
    cols = {(h, g): c for c, h, g in stats_columns(ws)}
    c_name = col_index(ws, "Tên đơn vị", head_rows(ws) - 1)
    rows = {v[c_name - 1]: (r0, v) for r0, v in data_rows(ws, ws.max_column)}
    _, tt = rows["Thị trấn Nông trường Thái Bình"]
    _, tot = rows["Tổng cộng"]
    got = (tt[cols[("Tổng số", None)] - 1],
           tt[cols[("Trung cấp", "Lý luận chính trị")] - 1],
           tt[cols[("Sơ cấp", "Lý luận chính trị")] - 1],
           tot[cols[("Tổng số", "Công chức, viên chức")] - 1],
           tot[cols[("CM từ cao đẳng trở lên", "Công chức, viên chức")] - 1],
           tot[cols[("LLCT từ trung cấp trở lên", "Công chức, viên chức")] - 1])
    return None if got == (18, 9, 4, 1188, 796, 199) else f"figures {got}"


def test_sample_course():
    """The trung cấp class of 2018–2019 has its 69 participants."""
    if not all(os.path.exists(p) for p in SAMPLE):
        return None
    out = os.path.join(TMP, "tc.xlsx")
    r = run(["--course", "TC-2018", "-o", out] + SAMPLE)
    if r.returncode != 0:
        return f"exit {r.returncode}: {r.stderr}"
    ws = openpyxl.load_workbook(out, data_only=True).worksheets[0]
    rows = data_rows(ws, ws.max_column)
    total = [v for _, v in rows if v[1] == "Tổng cộng"]
    return None if total and total[0][0] == 69 else f"total {total}"


CUSTOM = """<?xml version="1.0" encoding="UTF-8"?>
<roster>
  <sheet name="Cán bộ" rows="cadres" sort="none" where="category != vien-chuc">
    <column heading="Đơn vị" value="{unit.id}"/>
    <column heading="Họ và tên" value="{cadre.full-name}"/>
    <column heading="Dân tộc" value="{cadre.ethnicity}"/>
    <column heading="Lãnh đạo" value="{cadre.leader}"/>
    <column heading="Đảng viên" value="{cadre.party-member}"/>
    <column heading="CM" value="{cadre.education}"/>
    <column heading="LLCT" value="{cadre.political-theory}"/>
    <column heading="Tuổi" value="{cadre.age}"/>
  </sheet>
  <sheet name="Đếm" rows="units" over="Cán bộ">
    <column heading="Tên" value="{unit.name}" total="label"/>
    <column heading="a" count="not minority"/>
    <column heading="b" count="not party-member and leader"/>
    <column heading="c" count="education &lt; dai-hoc"/>
    <column heading="d" count="political-theory not in (cu-nhan, cao-cap) and party-member = false"/>
    <column heading="e" count="age = 30"/>
    <column heading="f" count="cadre.education != chua-dao-tao and age &gt;= 35 and age &lt; 50"/>
  </sheet>
</roster>
"""


def test_custom_counts():
    """Every kind of count condition: the stored value, the formula's value
    and the test's own count agree."""
    tpl = os.path.join(TMP, "custom.xml")
    with open(tpl, "w", encoding="utf-8") as f:
        f.write(CUSTOM)
    out = os.path.join(TMP, "custom.xlsx")
    r = run(["-t", tpl, "-o", out, REC])
    if r.returncode != 0 or r.stderr:
        return f"exit {r.returncode}: {r.stderr}"
    minority = lambda c: bool(c["ethnicity"]) and c["ethnicity"].lower() != "kinh"
    leader = {f"T{i:04d}" for i in range(0, 1000, 6)}
    pred = {
        "a": lambda c: not minority(c),
        "b": lambda c: not c["party"] and c["id"] in leader,
        "c": lambda c: EDU.index(c["education"]) > EDU.index("dai-hoc"),
        "d": lambda c: c["political-theory"] not in ("cu-nhan", "cao-cap")
                       and not c["party"],
        "e": lambda c: age(c["birth-date"]) == 30,
        "f": lambda c: c["education"] != "chua-dao-tao"
                       and 35 <= age(c["birth-date"]) < 50,
    }
    kept = [c for c in CADRES if c["category"] != "vien-chuc"]
    wb = openpyxl.load_workbook(out)
    wv = openpyxl.load_workbook(out, data_only=True)
    ws, vs = wb["Đếm"], wv["Đếm"]
    hr = head_rows(ws)
    heads = {ws.cell(hr, c).value: c for c in range(1, ws.max_column + 1)}
    checked = 0
    for r0 in range(hr + 1, ws.max_row + 1):
        name = ws.cell(r0, 1).value
        if name is None:
            break
        for h, fn in pred.items():
            c = heads[h]
            if name == "Tổng cộng":
                want = sum(1 for x in kept if fn(x))
            else:
                uid = [u["id"] for u in UNITS_X if u["name"] == name][0]
                want = sum(1 for x in kept if x["unit"] == uid and fn(x))
            got, ev = vs.cell(r0, c).value, evaluate(wb, ws, ws.cell(r0, c).value)
            if got != want or ev != want:
                return f"{name} {h}: stored {got}, formula {ev}, expected {want}"
            checked += 1
    return None if checked >= 6 * 6 else f"only {checked} counts checked"


def test_same_unit_names():
    """Communes of different districts share names: every count goes by
    the unit's id, so each unit's row counts its own cadres (by the name,
    both rows of "Xã Bắc Xa" counted the cadres of both)."""
    units = UNITS + [("BX2", "Xã Bắc Xa", "xa", None),
                     ("TT2", "Thị trấn Đình Lập", "xa", "BX2")]
    rec = os.path.join(TMP, "same-names.xml")
    make_records(rec, n=90, units=units)
    units_x, cadres, _ = parse([rec])
    if len({u["id"] for u in units_x if u["name"] == "Xã Bắc Xa"}) != 2 or \
            not any(c["unit"] == "BX2" for c in cadres):
        return "the test's records lack two peopled units of one name"
    out = os.path.join(TMP, "same-names.xlsx")
    r = run(["-o", out, rec])
    if r.returncode != 0 or r.stderr:
        return f"exit {r.returncode}: {r.stderr}"
    return check_stats(out, cadres, units_x, layout=False)


def test_filter_data_rows():
    """The autofilter covers the headings and the data rows only: no
    merged group heading, no total row in it, the totals right under it."""
    out = os.path.join(TMP, "filter.xlsx")
    course = os.path.join(TMP, "filter-course.xlsx")
    for args in (["-o", out, REC], ["--course", "C1", "--course", "C2",
                                    "-o", course, REC]):
        r = run(args)
        if r.returncode != 0:
            return f"exit {r.returncode}: {r.stderr}"
    checked = 0
    for path in (out, course):
        wb = openpyxl.load_workbook(path)
        for ws in wb.worksheets:
            first, last = filter_rows(ws)
            if first != head_rows(ws):
                return f"{ws.title}: filter {ws.auto_filter.ref}"
            for m in ws.merged_cells.ranges:
                if m.min_row <= last and m.max_row > first:
                    return f"{ws.title}: merged {m.coord} inside the filter {ws.auto_filter.ref}"
            for r0 in range(first + 1, last + 1):
                for c in range(1, ws.max_column + 1):
                    v = ws.cell(r0, c).value
                    if isinstance(v, str) and v.startswith(("=COUNTA", "=SUM")):
                        return f"{ws.title}!{r0}: a total {v} inside the filter"
                    if v in ("Tổng cộng", "Cộng"):
                        return f"{ws.title}!{r0}: {v!r} inside the filter"
            below = [ws.cell(last + 1, c).value for c in range(1, ws.max_column + 1)]
            if not any(v in ("Cộng", "Tổng cộng") for v in below):
                return f"{ws.title}!{last + 1}: no total under the data: {below}"
            checked += 1
    return None if checked == 3 else f"{checked} sheets checked"


def sort_table(ws, col, reverse=True):
    """Sort the rows the filter covers by column `col`, as a reader would
    from the filter's button: whole rows move, formulas as they are."""
    first, last = filter_rows(ws)
    for m in list(ws.merged_cells.ranges):  # Excel sorts no merged rows
        if m.min_row <= last and m.max_row > first:
            ws.unmerge_cells(m.coord)
    rows = [[ws.cell(r, c).value for c in range(1, ws.max_column + 1)]
            for r in range(first + 1, last + 1)]
    rows.sort(key=lambda v: str(v[col - 1]), reverse=reverse)
    for r, vals in enumerate(rows, first + 1):
        for c, v in enumerate(vals, 1):
            ws.cell(r, c).value = v


def test_sort_keeps_totals():
    """Sorting the cadre sheet by name (and the statistics by unit name)
    moves no total and changes no count: every formula, evaluated over
    the sorted cells, gives the value stored before."""
    out = os.path.join(TMP, "sort.xlsx")
    r = run(["-o", out, REC])
    if r.returncode != 0:
        return f"exit {r.returncode}: {r.stderr}"
    wb = openpyxl.load_workbook(out)
    stored = openpyxl.load_workbook(out, data_only=True)
    before = {}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.startswith("="):
                    before[(ws.title, c.value)] = stored[ws.title][c.coordinate].value
    sort_table(wb[CADRE_SHEET], col_index(wb[CADRE_SHEET], "Họ và tên"))
    st = wb[STATS_SHEET]
    sort_table(st, col_index(st, "Tên đơn vị", head_rows(st) - 1))
    checked = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.startswith("="):
                    try:
                        got = evaluate(wb, ws, c.value)
                    except RecursionError:
                        return (f"{ws.title}!{c.coordinate}: after sorting, "
                                "totals count each other in a cycle")
                    if got != before[(ws.title, c.value)]:
                        return (f"{ws.title}!{c.coordinate} {c.value[:60]}: "
                                f"{got} after sorting, {before[(ws.title, c.value)]} before")
                    checked += 1
    return None if checked > 100 else f"{checked} formulas"


def test_dated_by_course():
    """A roster or register of a course is dated by its certificates' day
    of issue (or its end), not the records' as-of; the statistics by the
    as-of."""
    want = {("C2", "course"): "Đình Lập, ngày 05 tháng 12 năm 2018",
            ("C2", "register"): "Đình Lập, ngày 05 tháng 12 năm 2018",
            ("C1", "register"): "Đình Lập, ngày 30 tháng 11 năm 2018",
            (None, "statistics"): "Đình Lập, ngày 31 tháng 12 năm 2018"}
    for (cid, kind), line in want.items():
        out = os.path.join(TMP, f"dated-{kind}.xlsx")
        r = run(["-t", kind] + (["--course", cid] if cid else []) +
                ["-o", out, REC])
        if r.returncode != 0:
            return f"exit {r.returncode}: {r.stderr}"
        ws = openpyxl.load_workbook(out).worksheets[-1]
        texts = [c.value for row in ws.iter_rows() for c in row
                 if isinstance(c.value, str) and c.value.startswith("Đình Lập, ")]
        if texts != [line]:
            return f"{kind} {cid}: {texts}, expected {line!r}"
    return None


def test_room_to_sign():
    """The register leaves room to sign on each row (1 cm) and every
    footer room for the signature and seal (2 cm) between the signer's
    title and name."""
    out = os.path.join(TMP, "sign.xlsx")
    r = run(["-t", "register", "--course", "C1", "-o", out, REC])
    if r.returncode != 0:
        return f"exit {r.returncode}: {r.stderr}"
    ws = openpyxl.load_workbook(out).worksheets[0]
    rows, _ = table_rows(ws)
    short = [r0 for r0, _ in rows if (ws.row_dimensions[r0].height or 15) < 28]
    if not rows or short:
        return f"rows too short to sign in: {short[:5]}"
    title = [c.row for row in ws.iter_rows() for c in row if c.value == "NGƯỜI LẬP SỔ"]
    if not title:
        return "no signer"
    space = sum(ws.row_dimensions[r0].height or 15
                for r0 in range(title[0] + 1, title[0] + 5))
    return None if space >= 56 else f"{space} points to sign in"


for name, fn in [("order-example", test_order_example),
                 ("custom-counts", test_custom_counts),
                 ("course", test_course), ("statistics", test_statistics),
                 ("continuation", test_continuation),
                 ("unit-filter", test_unit_filter),
                 ("reproducible", test_reproducible),
                 ("long-text", test_long_text),
                 ("sample-figures", test_sample_figures),
                 ("same-unit-names", test_same_unit_names),
                 ("filter-data-rows", test_filter_data_rows),
                 ("sort-keeps-totals", test_sort_keeps_totals),
                 ("dated-by-course", test_dated_by_course),
                 ("room-to-sign", test_room_to_sign),
                 ("sample-course", test_sample_course)]:
    check(name, fn)

subprocess.run(["rm", "-rf", TMP])
sys.exit(VERDICTS.status())
