#!/usr/bin/python3
"""Output tests of cadre-report: the booklet read back with independent
readers (PyMuPDF, poppler's pdftotext, fontTools), every figure checked
against a count made here from the XML with xml.etree, not through our
library.  Prints "ok NAME" / "FAIL NAME" lines (tests/run).
"""
import io
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from datetime import date

import fitz  # PyMuPDF
from fontTools.ttLib import TTFont

from verdicts import Verdicts

TOP = os.environ.get("CADRE_TOP") or os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("CADRE_BIN") or os.path.join(TOP, "build", "bin")
TOOL = os.path.join(BIN, "cadre-report")
RECORDS = [os.path.join(TOP, "samples", "dinh-lap", f)
           for f in ("cadres.xml", "courses.xml")]
YEAR = 2018

VERDICTS = Verdicts("report")
report = VERDICTS.report


def run(args):
    return subprocess.run([TOOL] + args, capture_output=True, text=True)


def run_template(tmp, name, xml, args=(), records=None):
    """The booklet of the template `xml` (written to tmp/NAME.xml) as
    tmp/NAME.pdf, over `records` (the sample district's by default): the
    PDF opened, or the tool's message when it failed."""
    t, out = os.path.join(tmp, name + ".xml"), os.path.join(tmp, name + ".pdf")
    with open(t, "w", encoding="utf-8") as f:
        f.write(xml)
    r = run(["-t", t, "--year", str(YEAR), "-o", out, *args] + (records or RECORDS))
    return (None, r.stderr.strip()) if r.returncode else (fitz.open(out), "")


def vn(n):
    """1188 -> "1.188", as the booklet prints numbers."""
    return f"{n:,}".replace(",", ".")


# ----------------------------------------------------------- records --

EDU = ["tien-si", "thac-si", "dai-hoc", "cao-dang", "trung-cap", "so-cap",
       "chua-dao-tao"]
POL = ["cu-nhan", "cao-cap", "trung-cap", "so-cap", "chua-dao-tao"]
QLNN = ["chuyen-vien-cao-cap", "chuyen-vien-chinh", "chuyen-vien", "can-su",
        "chua-dao-tao"]


def at_least(value, floor, order):
    return order.index(value) <= order.index(floor)


def parse_date(s):
    y, m, d = (int(x) for x in s.split("-"))
    return date(y, m, d)


ROOT = {}  # the records' root attributes, merged


def load():
    global AS_OF
    units, cadres, courses = {}, {}, []
    for path in RECORDS:
        root = ET.parse(path).getroot()
        ROOT.update(root.attrib)
        if root.get("as-of"):
            AS_OF = parse_date(root.get("as-of"))
        for u in root.iter("unit"):
            units[u.get("id")] = u.attrib
        for c in root.iter("cadre"):
            cadres[c.get("id")] = {
                "unit": c.get("unit"),
                "leader": c.get("leader") == "true",
                "gender": c.findtext("gender"),
                "category": c.findtext("category"),
                "education": c.findtext("education"),
                "pol": c.findtext("political-theory"),
                "qlnn": c.findtext("state-management") or "chua-dao-tao",
                "party": c.find("party-member") is not None,
                "ethnicity": c.findtext("ethnicity"),
            }
        for k in root.iter("course"):
            courses.append({
                "type": k.get("type"), "mode": k.get("mode"),
                "start": parse_date(k.get("start")),
                "end": parse_date(k.get("end")),
                "title": k.findtext("title"),
                "participants": [p.attrib for p in k.iter("participant")],
            })
    return units, cadres, courses


def runs_in(k, y):
    return k["start"] <= date(y, 12, 31) and k["end"] >= date(y, 1, 1)


# records.md, Semantics: a booklet as of a day counts an attendance only
# when its course had started by then, a completion only when its course
# had ended.
AS_OF = None


def attended(k, day=None):
    return k["start"] <= (day or AS_OF)


def done(p, k, day=None):
    return p["status"] == "completed" and k["end"] <= (day or AS_OF)


def minority(c):
    e = (c["ethnicity"] or "").split()
    return bool(e) and e[0] != "Kinh"


# ------------------------------------------------------------ helpers --

def page_lines(page):
    """Lines of a page as (y, [words left to right])."""
    rows = {}
    for w in page.get_text("words"):
        key = round((w[1] + w[3]) / 2)
        rows.setdefault(key, []).append(w)
    out = []
    for y in sorted(rows):
        out.append((y, [w[4] for w in sorted(rows[y], key=lambda w: w[0])]))
    return out


def table_row(doc, label):
    """The numbers printed on the line that starts with `label` (words
    joined), from the first page holding it."""
    for page in doc:
        for _, words in page_lines(page):
            text = " ".join(words)
            if label in text:
                rest = text.split(label, 1)[1].split()
                nums = [w for w in rest if re.fullmatch(r"\d[\d.]*", w)]
                if nums and len(nums) == len(rest):
                    return [int(w.replace(".", "")) for w in nums]
    return None


def table_rows(doc, title):
    """The figures of the table titled `title` row by row, its parts (a
    table too wide for the page is printed in parts of columns) joined:
    each page's row numbering the columns says which columns it holds."""
    parts = {}  # first column number -> rows of figures
    for page in doc:
        if title not in page.get_text():
            continue
        first = None
        for _, words in page_lines(page):
            if words[:2] == ["A", "B"] and len(words) > 2 and words[2].isdigit():
                first = int(words[2])  # a part's heading (or its repeat)
                parts.setdefault(first, [])
                continue
            if first is None:
                continue
            nums = []
            for w in reversed(words):
                if not re.fullmatch(r"\d[\d.]*", w):
                    break
                nums.insert(0, int(w.replace(".", "")))
            if len(nums) >= 2 and len(nums) < len(words):
                parts[first].append(nums)
                if words[0] == "Tổng":  # the total row ends the part
                    first = None
    rows = None
    for first in sorted(parts):
        if rows is None:
            rows = [list(r) for r in parts[first]]
        else:
            if len(parts[first]) != len(rows):
                return None
            for r, more in zip(rows, parts[first]):
                r.extend(more)
    return rows


def text_across_columns(page):
    """Words that a table's vertical rule runs through: a figure wider
    than its column, or wrapped into the next."""
    rules = []
    for d in page.get_drawings():
        if d.get("color") != (0.0, 0.0, 0.0):
            continue
        for item in d["items"]:
            if item[0] == "l" and abs(item[1].x - item[2].x) < 0.01:
                rules.append((item[1].x, min(item[1].y, item[2].y),
                              max(item[1].y, item[2].y)))
            elif item[0] == "re":
                r = item[1]
                rules += [(r.x0, r.y0, r.y1), (r.x1, r.y0, r.y1)]
    bad = []
    for w in page.get_text("words"):
        x0, y0, x1, y1 = w[:4]
        mid = (y0 + y1) / 2
        if any(x0 + 0.5 < x < x1 - 0.5 and a < mid < b for x, a, b in rules):
            bad.append(w[4])
    return bad


def text_across_rules(page):
    """Lines of text that a table's horizontal rule runs through: a cell
    drawn taller than the row measured for it (its last line over the
    next row)."""
    rules = []
    for d in page.get_drawings():
        if d.get("color") != (0.0, 0.0, 0.0):
            continue  # tables rule in black; charts' grids are grey
        for item in d["items"]:
            if item[0] == "l" and abs(item[1].y - item[2].y) < 0.01:
                rules.append((min(item[1].x, item[2].x), max(item[1].x, item[2].x), item[1].y))
            elif item[0] == "re" and item[1].height < 0.01:
                rules.append((item[1].x0, item[1].x1, item[1].y0))
    bad = []
    for b in page.get_text("dict")["blocks"]:
        for line in b.get("lines", []):
            text = "".join(sp["text"] for sp in line["spans"]).strip()
            x0, y0, x1, y1 = line["bbox"]
            mid = (y0 + y1) / 2
            # a rule through the middle half of the line's box
            if text and any(a < x1 - 1 and c > x0 + 1 and abs(y - mid) < (y1 - y0) / 4
                            for a, c, y in rules):
                bad.append(text)
    return bad


# Biểu 2 of the annual booklet: its rows, as conditions on a course.
TRAINING_ROWS = [
    ("cao-cap-llct", True), ("cao-cap-llct", False),
    ("trung-cap-llct-hc", True), ("trung-cap-llct-hc", False),
    ("so-cap-llct", None), ("cu-nhan-llct", None), ("qlnn", None),
    ("nghiep-vu", None), ("khac", None),
]


def training_expected(units, cadres, courses, year, day):
    """Biểu 2 counted here, as of `day`: per row, attendances, at district
    and commune level, of leaders, completions, classes opened."""
    lv = {u: a["level"] for u, a in units.items()}
    rows = []
    for t, full_time in TRAINING_ROWS:
        ks = [k for k in courses if k["type"] == t and runs_in(k, year)
              and attended(k, day)
              and (full_time is None or (k["mode"] == "tap-trung") == full_time)]
        parts = [(p, k) for k in ks for p in k["participants"]]
        unit = [cadres[p["cadre"]]["unit"] for p, _ in parts]
        rows.append([len(parts), sum(lv[u] == "huyen" for u in unit),
                     sum(lv[u] == "xa" for u in unit),
                     sum(cadres[p["cadre"]]["leader"] for p, _ in parts),
                     sum(done(p, k, day) for p, k in parts), len(ks)])
    return rows


def training_printed(doc):
    """Biểu 2's rows as printed: the six figures on the line of each
    row number."""
    for page in doc:
        if "Biểu 2." not in page.get_text():
            continue
        got = {}
        for _, words in page_lines(page):
            nums = [w for w in words[1:] if re.fullmatch(r"\d[\d.]*", w)]
            if words and words[0].isdigit() and len(nums) >= 6 \
                    and all(re.fullmatch(r"\d[\d.]*", w) for w in words[-6:]):
                got[int(words[0])] = [int(w.replace(".", "")) for w in words[-6:]]
        return [got.get(i + 1) for i in range(len(TRAINING_ROWS))]
    return None


def cover_rules(page):
    """The rules under the cover's two head blocks, each with the line of
    text right above it: [(rule length, rule centre, text width, text
    centre, text)] for the left block and the right one."""
    rules = []
    for d in page.get_drawings():
        for item in d["items"]:
            if item[0] == "l" and abs(item[1].y - item[2].y) < 0.01 \
                    and item[1].y < 150:
                x0, x1 = sorted((item[1].x, item[2].x))
                rules.append((x0, x1, item[1].y))
    lines = [(l["bbox"], "".join(sp["text"] for sp in l["spans"]).strip())
             for b in page.get_text("dict")["blocks"] for l in b.get("lines", [])]
    out = []
    for x0, x1, y in sorted(rules):
        above = [(bb, t) for bb, t in lines if t and bb[3] <= y + 1 and
                 y - bb[3] < 15 and bb[0] < x1 and bb[2] > x0]
        if not above:
            continue
        bb, t = max(above, key=lambda a: a[0][3])
        out.append((x1 - x0, (x0 + x1) / 2, bb[2] - bb[0], (bb[0] + bb[2]) / 2, t))
    return out


def cover_checks(tmp, doc):
    """Nghị định 30: under the issuing body a rule 1/3 to 1/2 as long as
    its line, under the motto (or the national title) one as long as it;
    each centred under its text."""
    state, why = run_template(tmp, "state",
                '<?xml version="1.0" encoding="UTF-8"?>\n<booklet>\n'
                '  <parent-issuer>ỦY BAN NHÂN DÂN HUYỆN ĐÌNH LẬP</parent-issuer>\n'
                '  <issuer>PHÒNG NỘI VỤ</issuer>\n'
                '  <national>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</national>\n'
                '  <motto>Độc lập - Tự do - Hạnh phúc</motto>\n'
                '  <title>SỐ LIỆU NĂM {year}</title>\n'
                '  <section title="1. Số lượng"><p>{count(cadres)}</p></section>\n'
                '</booklet>\n')
    bad = []
    for name, d, below in (("annual", doc, ("BAN TỔ CHỨC HUYỆN ỦY ĐÌNH LẬP",
                                            "ĐẢNG CỘNG SẢN VIỆT NAM")),
                           ("state", state,
                            ("PHÒNG NỘI VỤ", "Độc lập - Tự do - Hạnh phúc"))):
        if d is None:
            bad.append((name, why))
            continue
        got = cover_rules(d[0])
        texts = [g[4] for g in got]
        if texts != list(below):
            bad.append((name, "rules under", texts))
            continue
        (ln, lc, tw, tc, _), (rn, rc, uw, uc, _) = got
        if not (tw / 3 - 0.5 <= ln <= tw / 2 + 0.5 and abs(lc - tc) < 1):
            bad.append((name, "issuer rule", ln, tw))
        if not (abs(rn - uw) < 1.5 and abs(rc - uc) < 1):
            bad.append((name, "motto rule", rn, uw))
        nat = [l for b in d[0].get_text("dict")["blocks"] for l in b.get("lines", [])
               if "".join(sp["text"] for sp in l["spans"]).strip().startswith(
                   ("CỘNG HÒA", "ĐẢNG CỘNG"))]
        if len(nat) != 1:
            bad.append((name, "national title on one line", len(nat)))
    report("cover-rules", not bad, f"{bad}")


# Words of two syllables the booklets' headings use: a line broken
# between the two is a heading broken inside a word ("ĐƠN / VỊ").
WORDS = {"đơn vị", "đào tạo", "bồi dưỡng", "cán bộ", "công chức",
         "viên chức", "lý luận", "chính trị", "hành chính", "tập trung",
         "quản lý", "nhà nước", "lãnh đạo", "hoàn thành", "chuyên môn",
         "thiểu số", "dân tộc", "trình độ", "chương trình", "số lượng",
         "chất lượng", "nghiệp vụ", "thống kê", "công tác", "số liệu",
         "biểu đồ", "chủ yếu", "đội ngũ", "cơ quan", "đảng viên", "trung cấp",
         "cao cấp", "sơ cấp", "cử nhân", "độ tuổi", "kết quả"}

HEADINGS = [
    "I. KẾT QUẢ ĐÀO TẠO, BỒI DƯỠNG CÁN BỘ, CÔNG CHỨC CỦA CÁC CƠ QUAN, ĐƠN VỊ THEO CHƯƠNG TRÌNH LÝ LUẬN CHÍNH TRỊ",
    "II. SỐ LƯỢNG, CHẤT LƯỢNG ĐỘI NGŨ CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC CỦA ĐƠN VỊ THEO TRÌNH ĐỘ CHUYÊN MÔN VÀ ĐỘ TUỔI",
    "III. SỐ LIỆU CHỦ YẾU VỀ ĐỘI NGŨ ĐẢNG VIÊN, NGƯỜI DÂN TỘC THIỂU SỐ TRONG CÁC CƠ QUAN NHÀ NƯỚC CỦA HUYỆN",
    "IV. BIỂU ĐỒ KẾT QUẢ HOÀN THÀNH CHƯƠNG TRÌNH TRUNG CẤP, CAO CẤP LÝ LUẬN CHÍNH TRỊ – HÀNH CHÍNH THEO NĂM",
]


def broken_words(lines):
    """The two-syllable words split between consecutive lines of one text
    (lines: their texts in order)."""
    out = []
    for a, b in zip(lines, lines[1:]):
        if a.split() and b.split():
            pair = f"{a.split()[-1]} {b.split()[0]}".lower()
            if pair in WORDS:
                out.append(pair)
    return out


def heading_checks(tmp, doc):
    """Headings, titles and contents entries broken between phrases only:
    the annual booklet's contents, and long headings of every kind."""
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<booklet>\n'
           '  <title>SỐ LIỆU NĂM {year}</title>\n  <contents/>\n')
    for h in HEADINGS:
        xml += (f'  <section title="{h}">\n    <h>{h.title()}</h>\n'
                f'    <table title="Biểu. {h.lower()}" rows="list" of="cadres">\n'
                f'      <column title="Tổng số"/>\n'
                f'      <row title="{h.capitalize()}"/>\n    </table>\n'
                f'    <chart title="Biểu đồ. {h.capitalize()}">\n'
                f'      <category title="Nữ" where="gender = nu"/>\n'
                f'    </chart>\n  </section>\n')
    long_doc, why = run_template(tmp, "headings", xml + '</booklet>\n')
    if long_doc is None:
        report("headings-between-phrases", False, why)
        return
    bad = []
    for d in (doc, long_doc):
        first = min(t[2] for t in d.get_toc())  # pages before: contents
        for page in d:
            contents = 0 < page.number < first - 1
            texts = []  # runs of lines of one size, close under each other
            for b in page.get_text("dict")["blocks"]:
                for line in b.get("lines", []):
                    t = "".join(sp["text"] for sp in line["spans"]).strip()
                    size = round(line["spans"][0]["size"], 1)
                    y0, y1 = line["bbox"][1], line["bbox"][3]
                    if size < 11 or not (contents or
                                         "Bold" in line["spans"][0]["font"]):
                        continue  # paragraphs fill lines; cells stack words
                    if texts and texts[-1][0] == size and \
                            -size * 0.6 < y0 - texts[-1][2] < size * 0.6:
                        texts[-1][1].append(t)
                        texts[-1][2] = y1
                    else:
                        texts.append([size, [t], y1])
            for size, lines, _ in texts:
                # a contents entry ends with its page number
                entries, cur = [], []
                for t in lines:
                    cur.append(re.sub(r"[ .]*\d+$", "", t))
                    if re.search(r"\.{3,} *\d+$", t):
                        entries.append(cur)
                        cur = []
                for e in entries + [cur]:
                    bad += [(page.number + 1, w) for w in broken_words(e)]
    report("headings-between-phrases", not bad, f"{bad[:8]}")


def glyphs_outside(doc):
    """Characters drawn (partly) off their page."""
    out = []
    for page in doc:
        r = page.rect
        for span in page.get_texttrace():
            for ch, _, _, (x0, y0, x1, y1) in span["chars"]:
                if x0 < r.x0 - 0.5 or y0 < r.y0 - 0.5 or x1 > r.x1 + 0.5 \
                        or y1 > r.y1 + 0.5:
                    out.append((page.number + 1, chr(ch)))
    return out


def long_word_checks(tmp):
    """A word longer than its line or column (a unit named with one
    300-letter word, headings, titles, labels, a legend of such words) is
    cut or shrunk, never drawn past the page or across a column's rule;
    figures too large to print read "?" (converting them to an integer
    overflowed: UBSan under make check SAN=1)."""
    word = "Đ" + "ơn" * 150
    small = open(os.path.join(TOP, "samples", "small.xml"), encoding="utf-8").read()
    recs = os.path.join(tmp, "long.xml")
    with open(recs, "w", encoding="utf-8") as f:
        f.write(small.replace('name="Ban Tổ chức Huyện ủy"', f'name="{word}"', 1))
    big = "9" * 40
    d, why = run_template(tmp, "long-words", f'''<?xml version="1.0" encoding="UTF-8"?>
<booklet><title>T {word}</title><header>{word}</header><contents/>
<section title="S {word}"><h>{word}</h><p>Đoạn {word} hết.</p>
<table title="Bảng {word}" rows="list" of="cadres" note="{word}">
<column title="Năm" value="year + {big}"/><column title="Lớn" value="count(cadres) * {big}"/>
<column title="Âm" value="0 - {big}"/><column title="{word}" value="year - 1"/>
<row title="Dòng {word}"/></table>
<table title="Đơn vị" rows="units"><column title="Số"/></table>
<chart title="Biểu đồ {word}" of="cadres" y-title="{word}" x-title="{word}">
<category title="{word}" where="gender = nu"/><series title="{word}" where="leader"/>
<series title="B" where="not leader"/></chart></section>
<per-unit title="Đơn vị {word}"><p>{{unit.name}}</p></per-unit>
<signer title="{word}"/><recipients>Nơi nhận:|- {word}</recipients></booklet>
''', ["--per-unit"], [recs])
    if d is None:
        report("long-words", False, why)
        return
    outside = glyphs_outside(d)
    crossing = [(p.number + 1, w[:12]) for p in d for w in text_across_columns(p)]
    text = " ".join(p.get_text() for p in d)
    report("long-words", not outside and not crossing,
           f"off the page {outside[:3]}, across rules {crossing[:3]}")
    report("huge-figures", "2147483648" not in text and
           re.search(r"\?\s+\?\s+\?", text) is not None,
           "a figure too large is not '?'")


def figure(w):
    """A printed figure ("1.210,5") as a number, else None."""
    if not re.fullmatch(r"-?\d{1,3}(\.\d{3})*(,\d+)?", w):
        return None
    return float(w.replace(".", "").replace(",", "."))


def total_row_checks(tmp, doc, units, cadres, courses):
    """A total row is the sum of the figures above it, counted here from
    the XML: Biểu 2's, and a listed table whose figures run into the
    thousands and carry decimals (the total used to be re-read from the
    printed cells, which left a column of decimals without a total)."""
    want = [sum(col) for col in zip(*training_expected(
        units, cadres, courses, YEAR, AS_OF))]
    got = None
    for page in doc:
        if "Biểu 2." in page.get_text():
            got = next((figs for _, words in page_lines(page)
                        if words[:2] == ["Tổng", "cộng"]
                        for figs in [[figure(w) for w in words[2:]]]), None)
    report("total-row-training", got == want, f"got {got}, want {want}")

    d, why = run_template(tmp, "totals",
                '<?xml version="1.0" encoding="UTF-8"?>\n<booklet>\n'
                '  <title>SỐ LIỆU NĂM {year}</title>\n'
                '  <section title="1. Tổng">\n'
                '    <table title="Biểu T." rows="list" of="cadres" total="Tổng cộng">\n'
                '      <column title="Tổng số"/>\n'
                '      <column title="Nữ" where="gender = nu"/>\n'
                '      <column title="Nửa số nữ" value="count(cadres where gender = nu) / 2"/>\n'
                '      <row title="Cán bộ" where="category = can-bo"/>\n'
                '      <row title="Công chức" where="category = cong-chuc"/>\n'
                '      <row title="Viên chức" where="category = vien-chuc"/>\n'
                '    </table>\n  </section>\n</booklet>\n')
    if d is None:
        report("total-row-sums", False, why)
        return
    cv = list(cadres.values())
    women = sum(c["gender"] == "nu" for c in cv)
    rows = [[sum(c["category"] == k for c in cv),
             sum(c["category"] == k and c["gender"] == "nu" for c in cv),
             women / 2] for k in ("can-bo", "cong-chuc", "vien-chuc")]
    want = {"Cán bộ": rows[0], "Công chức": rows[1], "Viên chức": rows[2],
            "Tổng cộng": [sum(col) for col in zip(*rows)]}
    got = {}
    for page in d:
        for _, words in page_lines(page):
            label = " ".join(words[1:-3] if words[0].isdigit() else words[:-3])
            if label in want:
                got[label] = [figure(w) for w in words[-3:]]
    report("total-row-sums", got == want and want["Tổng cộng"][0] >= 1000 and
           want["Tổng cộng"][2] % 1, f"got {got}, want {want}")


def as_of_checks(tmp, units, cadres, courses):
    """Booklets made as of a day count only what had happened by then:
    the training table counted here from the XML for a year after the
    records' as-of and for an --as-of before it."""
    for name, year, day in (("as-of-next-year", AS_OF.year + 1, None),
                            ("as-of-mid-year", AS_OF.year,
                             date(AS_OF.year, 6, 30))):
        out = os.path.join(tmp, name + ".pdf")
        extra = ["--as-of", day.isoformat()] if day else []
        r = run(["--year", str(year), "-o", out] + extra + RECORDS)
        if r.returncode:
            report(name, False, r.stderr.strip())
            continue
        got = training_printed(fitz.open(out))
        want = training_expected(units, cadres, courses, year, day or AS_OF)
        report(name, got == want, f"got {got}, want {want}")


def main():
    if not os.access(TOOL, os.X_OK):
        report("tool", False, f"no {TOOL}")
        return
    with tempfile.TemporaryDirectory(prefix="test_report.") as tmp:
        booklet_checks(tmp)


def booklet_checks(tmp):
    units, cadres, courses = load()
    out = os.path.join(tmp, "b.pdf")
    r = run(["--year", str(YEAR), "--per-unit", "-o", out] + RECORDS)
    report("writes-booklet", r.returncode == 0 and os.path.exists(out),
           r.stderr.strip())
    if r.returncode:
        return
    doc = fitz.open(out)
    text = subprocess.run(["pdftotext", out, "-"], capture_output=True,
                          text=True).stdout
    crossed = [(i + 1, t) for i, pg in enumerate(doc) for t in text_across_rules(pg)]
    report("no-text-across-rules", not crossed, f"{len(crossed)} lines, e.g. {crossed[:3]}")
    flat = " ".join(text.split())

    # --- the article's figures, counted here from the XML ---
    cv = [c for c in cadres.values()
          if c["category"] in ("cong-chuc", "vien-chuc")]
    n_cv = len(cv)
    n_edu = sum(at_least(c["education"], "cao-dang", EDU) for c in cv)
    n_pol = sum(at_least(c["pol"], "trung-cap", POL) for c in cv)

    def started(t, y):
        return sum(len(k["participants"]) for k in courses
                   if k["type"] == t and k["start"].year == y and attended(k))

    def completed(t, y):
        return sum(done(p, k) for k in courses
                   if k["type"] == t and k["end"].year == y
                   for p in k["participants"])

    tc, sc = started("trung-cap-llct-hc", YEAR), started("so-cap-llct", YEAR)
    tc_done = completed("trung-cap-llct-hc", YEAR - 1)
    sc_done = completed("so-cap-llct", YEAR - 1)
    nv = [k for k in courses
          if k["type"] == "nghiep-vu" and runs_in(k, YEAR) and attended(k)]
    nv_att = sum(len(k["participants"]) for k in nv)
    tt = [c for c in cadres.values() if c["unit"] == "TTNTTB"]
    tt_tc = sum(c["pol"] == "trung-cap" for c in tt)
    tt_sc = sum(c["pol"] == "so-cap" for c in tt)

    expect = [
        f"Trong tổng số {vn(n_cv)} công chức, viên chức của huyện, có "
        f"{vn(n_edu)} người có trình độ chuyên môn từ cao đẳng trở lên; "
        f"{vn(n_pol)} người có trình độ từ trung cấp lý luận chính trị",
        f"có {vn(tc)} học viên; lớp sơ cấp lý luận chính trị có {vn(sc)}",
        f"có {vn(tc_done)} đồng chí hoàn thành chương trình trung cấp",
        f"và {vn(sc_done)} đồng chí hoàn thành chương trình sơ cấp",
        f"mở {len(nv)} lớp bồi dưỡng nghiệp vụ với {vn(nv_att)} lượt",
        f"Thị trấn Nông trường Thái Bình có {len(tt)} cán bộ, công chức, "
        f"viên chức, trong đó {tt_tc} người có trình độ trung cấp lý luận "
        f"chính trị, {tt_sc} người có trình độ sơ cấp",
    ]
    missing = [e for e in expect if e not in flat]
    report("figures-independent", not missing, "; ".join(missing))
    article = ["1.188", "796", "199", "69", "26", "68", "41"]
    report("article-figures",
           all(re.search(rf"(?<![\d.]){re.escape(a)}(?![\d.])", flat)
               for a in article) and (len(tt), tt_tc, tt_sc) == (18, 9, 4),
           "the sample district no longer reproduces the article")

    # --- Biểu 1: every group of columns that splits the cadres adds up to
    # the total, on every row; figures never cross a column's rule; no
    # table set under 8 pt ---
    rows = table_rows(doc, "Biểu 1.")
    groups = [(4, 7), (7, 14), (14, 19), (19, 24), (24, 29)]
    wrong = [r for r in rows or []
             if len(r) != 29 or any(sum(r[a:b]) != r[0] for a, b in groups)]
    report("table-parts-add-up", rows and len(rows) > 20 and not wrong,
           f"{len(rows or [])} rows, e.g. {wrong[:2]}")
    crossing, small = [], []
    for page in doc:
        t = page.get_text()
        if not re.search(r"Biểu \d", t):
            continue
        crossing += [(page.number + 1, w) for w in text_across_columns(page)]
        if "Biểu đồ" in t:
            continue
        for b in page.get_text("dict")["blocks"]:
            for line in b.get("lines", []):
                for sp in line["spans"]:
                    if sp["size"] < 7.95 and sp["text"].strip():
                        small.append((page.number + 1, sp["text"], round(sp["size"], 1)))
    report("table-figures-in-columns", not crossing, f"{crossing[:5]}")
    report("table-type-8pt", not small, f"{small[:5]}")

    # --- the quantity-and-quality table's grand total, column by column ---
    allc = list(cadres.values())
    want = [len(allc), sum(c["gender"] == "nu" for c in allc),
            sum(c["party"] for c in allc), sum(minority(c) for c in allc)]
    want += [sum(c["category"] == x for c in allc)
             for x in ("can-bo", "cong-chuc", "vien-chuc")]
    want += [sum(c["education"] == x for c in allc) for x in EDU]
    want += [sum(c["pol"] == x for c in allc) for x in POL]
    want += [sum(c["qlnn"] == x for c in allc) for x in QLNN]
    got = rows[-1] if rows else None
    report("table-total", got is not None and got[:len(want)] == want,
           f"got {got and got[:len(want)]}, want {want}")
    got = table_row(doc, "Thị trấn Nông trường Thái Bình")
    wtt = [len(tt), sum(c["gender"] == "nu" for c in tt)]
    report("table-unit-row", got is not None and got[:2] == wtt,
           f"got {got and got[:2]}, want {wtt}")
    lv = {u: a["level"] for u, a in units.items()}
    # training results: the nghiệp vụ row
    got = table_row(doc, "Bồi dưỡng nghiệp vụ")
    parts = [(p, k) for k in nv for p in k["participants"]]
    wnv = [nv_att,
           sum(lv[cadres[p["cadre"]]["unit"]] == "huyen" for p, _ in parts),
           sum(lv[cadres[p["cadre"]]["unit"]] == "xa" for p, _ in parts),
           sum(cadres[p["cadre"]]["leader"] for p, _ in parts),
           sum(done(p, k) for p, k in parts), len(nv)]
    report("training-results", got == wnv, f"got {got}, want {wnv}")

    # --- fonts: all embedded, every drawn glyph has outlines ---
    fonts = {}
    for page in doc:
        for xref, ext, ftype, base, _, _ in page.get_fonts():
            fonts[base.split("+", 1)[-1]] = (xref, ext)
    not_embedded = [n for n, (x, ext) in fonts.items() if ext in ("n/a", "")]
    report("fonts-embedded", fonts and not not_embedded,
           f"not embedded: {not_embedded}")
    glyf = {}
    for name, (xref, _) in fonts.items():
        buf = doc.extract_font(xref)[3]
        try:
            font = TTFont(io.BytesIO(buf))
            glyf[name] = (font.getGlyphOrder(), font["glyf"])
        except Exception as e:  # noqa: BLE001 - report, do not stop
            report("font-readable", False, f"{name}: {e}")
    bad, outside, drawn = [], [], 0
    for page in doc:
        rect = page.rect
        for span in page.get_texttrace():
            # PyMuPDF cuts long font names: match by prefix
            g = next((v for k, v in glyf.items()
                      if k.startswith(span["font"])), None)
            for ch, gid, _, bbox in span["chars"]:
                if ch in (32, 160):
                    continue
                drawn += 1
                if g is None:
                    bad.append((page.number + 1, chr(ch), "no font"))
                    continue
                order, table = g
                name = order[gid] if gid < len(order) else None
                if name is None or table[name].numberOfContours == 0:
                    bad.append((page.number + 1, chr(ch), gid))
                x0, y0, x1, y1 = bbox
                if x0 < rect.x0 - 0.5 or y0 < rect.y0 - 0.5 or \
                        x1 > rect.x1 + 0.5 or y1 > rect.y1 + 0.5:
                    outside.append((page.number + 1, chr(ch)))
    report("glyph-outlines", drawn > 1000 and not bad,
           f"{len(bad)} glyphs without outlines, first {bad[:5]}")
    report("text-inside-page", not outside, f"outside: {outside[:5]}")

    # --- contents: every entry's page number is where its section starts,
    # the units of the per-unit section among them ---
    toc = doc.get_toc()
    top = [t for t in toc if t[0] == 1]
    first = min(t[2] for t in toc)
    contents = " ".join(" ".join(doc[i].get_text().split())
                        for i in range(1, first - 1))
    wrong = []
    for _, title, pno in toc:
        # an entry starts the contents or follows the last one's number
        m = re.search(r"(?:^|\d |MỤC LỤC )" + re.escape(title) +
                      r"[ .]*?(\d+)\b", contents)
        if not m or int(m.group(1)) != pno:
            wrong.append((title, m and m.group(1), pno))
            continue
        head = " ".join(doc[pno - 1].get_text().split())
        if title not in head[:400]:
            wrong.append((title, "not on page", pno))
    report("contents-pages", len(top) >= 6 and len(toc) > len(top) and
           not wrong, f"{wrong[:5]}")
    # the units in the order of their tree, each under its parent
    kids = {}
    for uid, a in units.items():
        kids.setdefault(a.get("parent"), []).append(uid)
    want = []

    def walk(uid, depth):
        want.append((depth, units[uid]["name"]))
        for k in kids.get(uid, []):
            walk(k, depth + 1)
    for uid in kids.get(None, []):
        walk(uid, 2)
    got = [(lv, t) for lv, t, _ in toc if lv >= 2]
    # and the unit pages themselves in that order, one a unit
    pages = [p for lv, _, p in toc if lv >= 2]
    in_order = bool(pages) and pages == list(range(pages[0], pages[0] + len(pages)))
    report("bookmarks", len(top) >= 6 and got == want and in_order,
           f"{len(top)} sections; units {got[:4]}..., want {want[:4]}..., "
           f"pages {pages[:6]}...")
    report("footer-pages", f"Trang 2/{doc.page_count}" in text and
           f"Trang {doc.page_count}/{doc.page_count}" in text)
    landscape = [p.number + 1 for p in doc if p.rect.width > p.rect.height]
    report("landscape-wide-table", len(landscape) > 0)
    # the unit table runs over several pages, its headings on each
    pages = [p for p in doc if "Biểu 1." in p.get_text()]
    cont = [p for p in pages if "(tiếp theo)" in p.get_text()]
    report("table-continues", len(pages) > 1 and len(cont) == len(pages) - 1
           and all(("Trình độ chuyên môn" in p.get_text() or
                    "Lý luận chính trị" in p.get_text()) and
                   p.rect.width > p.rect.height for p in pages),
           f"{len(pages)} pages, {len(cont)} continued")
    # no page of it starts with a subtotal or the total under its repeated
    # heading: those go with the row above them
    alone = []
    for page in pages:
        lines = page_lines(page)
        for (_, words), (_, after) in zip(lines, lines[1:]):
            if words[:2] == ["A", "B"] and after[0] in ("Cộng", "Tổng"):
                alone.append((page.number + 1, " ".join(after[:3])))
    report("table-total-with-rows", pages and not alone, f"{alone}")

    as_of_checks(tmp, units, cadres, courses)
    total_row_checks(tmp, doc, units, cadres, courses)
    cover_checks(tmp, doc)
    heading_checks(tmp, doc)
    long_word_checks(tmp)

    # --- charts say what they count: attendances "Lượt", people "Người" ---
    axes = {}
    for page in doc:
        lines = [(l["bbox"], "".join(sp["text"] for sp in l["spans"]).strip())
                 for b in page.get_text("dict")["blocks"] for l in b.get("lines", [])]
        for bbox, t in lines:
            m = re.match(r"Biểu đồ (\d)\.", t)
            if m:  # the axis title: the first line under the chart's title
                under = sorted((b[1], u) for b, u in lines
                               if 0 < b[1] - bbox[3] < 20 and u)
                axes[int(m.group(1))] = under[0][1] if under else None
    report("chart-axis-counts", axes.get(3) == "Lượt" and
           all(axes.get(k) == "Người" for k in (1, 2, 4)), f"{axes}")

    # --- the signature block: the records' signer under their title ---
    title, name = ROOT["signer-title"].upper(), ROOT["signer"]
    spans = {}
    for page in doc:
        for b in page.get_text("dict")["blocks"]:
            for line in b.get("lines", []):
                t = "".join(sp["text"] for sp in line["spans"]).strip()
                if t in (title, name, "T/M BAN THƯỜNG VỤ"):
                    spans.setdefault(t, (page.number, line["bbox"]))
    ok = len(spans) == 3 and len({p for p, _ in spans.values()}) == 1
    if ok:
        (_, tb), (_, rb), (_, nb) = (spans["T/M BAN THƯỜNG VỤ"], spans[title],
                                     spans[name])
        centre = [(b[0] + b[2]) / 2 for b in (tb, rb, nb)]
        # title, role, then the name after room for the seal, one column
        ok = tb[3] <= rb[1] + 1 and nb[1] - rb[3] > 40 and \
            max(centre) - min(centre) < 2
    report("signer", ok, f"found {spans}")

    # --- one unit: figures counted within it ---
    out2 = os.path.join(tmp, "u.pdf")
    r = run(["--year", str(YEAR), "--unit", "TTNTTB", "-o", out2] + RECORDS)
    t2 = subprocess.run(["pdftotext", out2, "-"], capture_output=True,
                        text=True).stdout if r.returncode == 0 else ""
    d2 = fitz.open(out2) if t2 else None
    got = (table_rows(d2, "Biểu 1.") or [None])[-1] if t2 else None
    report("one-unit", r.returncode == 0 and got and got[0] == len(tt),
           r.stderr.strip() or f"total {got and got[0]}")
    # a booklet of one township names it, not "toàn huyện"
    flat2 = " ".join(t2.split())
    tt_name = units["TTNTTB"]["name"]
    report("one-unit-named",
           f"Tính đến ngày 31 tháng 12 năm 2018, {tt_name} có {len(tt)} cán bộ"
           in flat2 and "toàn huyện" not in flat2 and
           f"công chức, viên chức của {tt_name}," in flat2,
           "toàn huyện in the booklet of one township" if "toàn huyện" in flat2
           else flat2[:300])

    # --- template errors name the file and the line ---
    bad_t = os.path.join(tmp, "bad.xml")
    with open(bad_t, "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<booklet>\n'
                '  <title>T</title>\n  <section title="S">\n'
                '    <p>{count(cadres where education >= cao-dag)}</p>\n'
                '  </section>\n</booklet>\n')
    r = run(["-t", bad_t, "--year", "2018", "-o",
             os.path.join(tmp, "x.pdf")] + RECORDS)
    report("template-error-line", r.returncode == 1 and
           f"{bad_t}:5: error:" in r.stderr and
           not os.path.exists(os.path.join(tmp, "x.pdf")), r.stderr)
    # --- the properties, as pdfinfo shows them: Vietnamese, not UTF-8
    # bytes read as Latin-1, and dated ---
    info = subprocess.run(["pdfinfo", "-enc", "UTF-8", out], capture_output=True,
                          text=True).stdout
    props = dict(l.split(":", 1) for l in info.splitlines() if ":" in l)
    title = props.get("Title", "").strip()
    report("info-title-vietnamese",
           title == f"BÁO CÁO THỐNG KÊ CÔNG TÁC ĐÀO TẠO, BỒI DƯỠNG CÁN BỘ NĂM {YEAR}"
           and "\u00a0" not in title and props.get("CreationDate", "").strip(),
           info[:300])
    VERDICTS.poppler_clean(tmp)


main()
sys.exit(VERDICTS.status())
