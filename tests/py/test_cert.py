#!/usr/bin/python3
"""Output tests of cadre-cert: the certificates read back with independent
readers (PyMuPDF, fontTools, zbarimg, poppler's pdftoppm).  Records are
written here; expectations come from them and from the template's XML,
never from our library.  Prints "ok NAME" / "FAIL NAME" lines (tests/run).
"""
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import xml.etree.ElementTree as ET

import fitz  # PyMuPDF
from fontTools.ttLib import TTFont

from verdicts import Verdicts

TOP = os.environ.get("CADRE_TOP") or os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("CADRE_BIN") or os.path.join(TOP, "build", "bin")
TOOL = os.path.join(BIN, "cadre-cert")
A4 = os.path.join(TOP, "templates", "cert", "a4.xml")
CHUNG_CHI = os.path.join(TOP, "templates", "cert", "chung-chi.xml")
PT_PER_MM = 72 / 25.4
SLACK = 0.6  # points: viewers round advances and sizes

VERDICTS = Verdicts("cert")
report = VERDICTS.report


def run(args, cwd=None):
    return subprocess.run([TOOL] + args, capture_output=True, text=True,
                          cwd=cwd)


# ----------------------------------------------------------- records --

VOWELS = "aăâeêioôơuưy"
TONES = ["\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]  # huyền hỏi ngã sắc nặng


def tone_forms(v):
    """A vowel with no tone and the five tones, NFC."""
    return [v] + [unicodedata.normalize("NFC", v + t) for t in TONES]


def vietnamese_names():
    """One name per vowel holding it with every tone, in both cases, and
    one for đ/Đ: every Vietnamese letter with every tone is drawn."""
    names = []
    for v in VOWELS:
        low = "".join(tone_forms(v))
        names.append(f"Đặng {low} {low.upper()}")
    names.append("Đinh Đức Đạt đđ")
    return names


def esc(s):
    return (s.replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;").replace('"', "&quot;"))


def records(people, course_id="K1", extra_courses="", governing=None):
    """people: list of dicts id, name, unit, gender, no (certificate-no or
    None), status, issued.  One unit per person, named after them, so
    lower-case letters are drawn too."""
    units = "".join(
        f'<unit id="U{i}" name="{esc(p.get("unit", "Xã Đình Lập"))}" level="xa"/>'
        for i, p in enumerate(people))
    cadres = "".join(
        f'<cadre id="{esc(p["id"])}" unit="U{i}"><full-name>{esc(p["name"])}'
        f'</full-name><gender>{p.get("gender", "nam")}</gender><birth-date>'
        f'{p.get("birth", "1980-02-03")}</birth-date><category>cong-chuc'
        f'</category><education>dai-hoc</education><political-theory>'
        f'trung-cap</political-theory></cadre>' for i, p in enumerate(people))
    parts = ""
    for p in people:
        attrs = f'cadre="{esc(p["id"])}" status="{p.get("status", "completed")}"'
        if p.get("status", "completed") == "completed":
            attrs += ' grade="kha"'
        if p.get("no"):
            attrs += f' certificate-no="{esc(p["no"])}"'
        if p.get("issued"):
            attrs += f' issued="{p["issued"]}"'
        parts += f"<participant {attrs}/>"
    gov = f' governing-body="{esc(governing)}"' if governing is not None else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<records version="1" as-of="2019-12-31" issuer="Huyện ủy Đình Lập" place="Đình Lập">
<units>{units}</units><cadres>{cadres}</cadres>
<courses><course id="{course_id}" type="trung-cap-llct-hc" start="2018-03-05" end="2019-06-28">
<title>Trung cấp lý luận chính trị – hành chính, khóa 2018 – 2019</title>
<organizer{gov}>Trung tâm Bồi dưỡng chính trị huyện Đình Lập</organizer>
<signer title="GIÁM ĐỐC">Hoàng Văn Minh</signer>{parts}</course>{extra_courses}</courses>
</records>
"""


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


# ----------------------------------------------------- PDF inspection --

def glyph_ok(glyf, name, depth=0):
    """A glyph prints when it has contours, or is a composite whose parts
    all do (libharu 2.3.0 embeds composites' parts one level deep: a part
    it left out has no data)."""
    g = glyf[name]
    if depth > 8:
        return False
    if g.isComposite():
        return all(glyph_ok(glyf, c.glyphName, depth + 1)
                   for c in g.components)
    return getattr(g, "numberOfContours", 0) > 0


def embedded_fonts(doc, page):
    """{font name: (TTFont or None, ext)} for the fonts of a page."""
    out = {}
    for xref, ext, _type, basefont, _name, _enc in page.get_fonts(full=False):
        name, fext, _t, data = doc.extract_font(xref)
        tt = None
        if data:
            try:
                tt = TTFont(io.BytesIO(data))
            except Exception:
                tt = None
        out[basefont] = (tt, fext, len(data or b""))
    return out


def check_glyphs(doc, label, cache=None):
    """Every drawn character has a glyph with outlines; returns a list of
    problems."""
    problems = []
    for pno, page in enumerate(doc):
        fonts = embedded_fonts(doc, page)
        for span in page.get_texttrace():
            font = None
            for base, val in fonts.items():
                if base.split("+")[-1].split(",")[0] == span["font"].split(",")[0] \
                        or base.endswith(span["font"]):
                    font = val
            if not font or not font[0]:
                problems.append(f"page {pno + 1}: font {span['font']} not "
                                "embedded or unreadable")
                continue
            tt = font[0]
            order = tt.getGlyphOrder()
            glyf = tt["glyf"]
            for ch, gid, _o, _b in span["chars"]:
                if ch in (0x20, 0xA0):
                    continue
                if gid <= 0 or gid >= len(order) or not glyph_ok(glyf, order[gid]):
                    problems.append(f"page {pno + 1}: '{chr(ch)}' U+{ch:04X} "
                                    f"glyph {gid} has no outlines")
    return problems


def boxes_of(template):
    """The boxes (x0, y0, x1, y1 in points, with the printer offset) of the
    template's <text> elements, and the page size in points."""
    root = ET.parse(template).getroot()
    page = root.get("page", "A4")
    w, h = {"A4": (210, 297), "A5": (148, 210), "A3": (297, 420)}.get(
        page, None) or tuple(float(v) for v in page.split("x"))
    if (root.get("orientation", "landscape") == "landscape") != (w > h):
        w, h = h, w
    ox = float(root.get("offset-x", 0))
    oy = float(root.get("offset-y", 0))
    boxes = []
    for el in root.iter("text"):
        if el.get("w"):
            x, y = float(el.get("x")) + ox, float(el.get("y")) + oy
            boxes.append(((x * PT_PER_MM, y * PT_PER_MM,
                           (x + float(el.get("w"))) * PT_PER_MM,
                           (y + float(el.get("h"))) * PT_PER_MM),
                          el.text or ""))
    return boxes, (w * PT_PER_MM, h * PT_PER_MM)


def inside(b, box, slack=SLACK):
    return (b[0] >= box[0] - slack and b[1] >= box[1] - slack and
            b[2] <= box[2] + slack and b[3] <= box[3] + slack)


def check_layout(doc, template):
    """Every drawn character inside the page and inside a box of the
    template, and the name inside the name's box."""
    problems = []
    boxes, (pw, ph) = boxes_of(template)
    name_boxes = [b for b, t in boxes if "full-name" in t]
    for pno, page in enumerate(doc):
        if abs(page.rect.width - pw) > 1 or abs(page.rect.height - ph) > 1:
            problems.append(f"page {pno + 1} is {page.rect.width:.1f} x "
                            f"{page.rect.height:.1f} pt, not {pw:.1f} x {ph:.1f}")
        for span in page.get_texttrace():
            asc, desc, size = span["ascender"], span["descender"], span["size"]
            for ch, _g, origin, bb in span["chars"]:
                if ch == 0x20:
                    continue
                # the whole line's height (the font's ascent and descent),
                # not only the glyph's own box, must fit
                bb = (bb[0], min(bb[1], origin[1] - asc * size), bb[2],
                      max(bb[3], origin[1] - desc * size))
                if not inside(bb, (0, 0, page.rect.width, page.rect.height), 0):
                    problems.append(f"page {pno + 1}: '{chr(ch)}' outside the page")
                if not any(inside(bb, b) for b, _t in boxes):
                    problems.append(f"page {pno + 1}: '{chr(ch)}' at "
                                    f"{tuple(round(v) for v in bb)} in no box")
        if name_boxes:
            # the name is the largest bold text in the name box
            words = page.get_text("words")
            nb = name_boxes[0]
            inbox = [w for w in words
                     if w[0] >= nb[0] - 2 and w[2] <= nb[2] + 2 and
                     w[1] >= nb[1] - 2 and w[3] <= nb[3] + 2]
            if not inbox:
                problems.append(f"page {pno + 1}: nothing in the name box")
    return problems


def page_text(page):
    return unicodedata.normalize("NFC", page.get_text())


def decode_qr(pdf, template, tmp):
    """{page number: the QR payloads zbarimg reads} for every page, each
    from the area of the template's QR code (4 mm around it) rendered at
    200 dpi: every page is checked, cheaply."""
    qr = ET.parse(template).getroot().find(".//qr")
    x, y, size = (float(qr.get(k)) for k in ("x", "y", "size"))
    px, margin = 200 / 25.4, 4
    d = os.path.join(tmp, "qr-" + os.path.basename(pdf))
    os.makedirs(d, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "200",
                    "-x", str(int((x - margin) * px)),
                    "-y", str(int((y - margin) * px)),
                    "-W", str(int((size + 2 * margin) * px)),
                    "-H", str(int((size + 2 * margin) * px)),
                    pdf, os.path.join(d, "p")], capture_output=True)
    found = {}
    for f in sorted(os.listdir(d)):
        m = re.fullmatch(r"p-0*(\d+)\.png", f)
        if not m:
            continue
        r = subprocess.run(["zbarimg", "-q", "--raw", os.path.join(d, f)],
                           capture_output=True)
        found[int(m.group(1))] = [
            unicodedata.normalize("NFC", l)
            for l in r.stdout.decode("utf-8", "replace").splitlines()]
    return found


def vn_date_long(iso):
    y, m, d = (int(v) for v in iso.split("-"))
    return f"ngày {d:02d} tháng {m:02d} năm {y}" if m <= 2 else \
        f"ngày {d:02d} tháng {m} năm {y}"


# --------------------------------------------------------------- tests --

def test_letters(tmp):
    """Every Vietnamese letter with every tone, NFC and NFD input: pages,
    names, numbers, dates, glyph outlines, fonts embedded, boxes, QR."""
    names = vietnamese_names()
    people = [dict(id=f"V{i:02d}", name=n, unit=n,
                   gender="nu" if i % 2 else "nam",
                   no=("125/2019/CC" if i == 0 else None),
                   issued=("2019-07-05" if i == 1 else None))
              for i, n in enumerate(names)]
    people.append(dict(id="X1", name="Lê Văn Bỏ", status="withdrawn"))
    rec = os.path.join(tmp, "letters.xml")
    write(rec, records(people))
    nfd = os.path.join(tmp, "letters-nfd.xml")
    write(nfd, unicodedata.normalize("NFD", records(people)))
    graduates = [p for p in people if p.get("status", "completed") == "completed"]

    out = {}
    for label, path in (("nfc", rec), ("nfd", nfd)):
        pdf = os.path.join(tmp, f"all-{label}.pdf")
        r = run(["--course", "K1", "--combined", pdf, path])
        report(f"letters-{label}-exit", r.returncode == 0, r.stderr)
        if r.returncode:
            return
        out[label] = pdf

    doc = fitz.open(out["nfc"])
    test_glyph_check_fails(tmp, out["nfc"])
    report("page-count", len(doc) == len(graduates),
           f"{len(doc)} pages for {len(graduates)} graduates")

    # Each graduate's name, number and date on their page.  The combined
    # file is in name order; find each person's page by the name.
    missing = []
    numbers = {}
    for p in graduates:
        upper = unicodedata.normalize("NFC", p["name"].upper())
        pages = [i for i, pg in enumerate(doc) if upper in page_text(pg)]
        if len(pages) != 1:
            missing.append(f"{p['id']}: name on {len(pages)} pages")
            continue
        text = page_text(doc[pages[0]])
        m = re.search(r"Số: (\S+)", text)
        if not m:
            missing.append(f"{p['id']}: no number")
            continue
        numbers[p["id"]] = (m.group(1), pages[0])
        if p.get("no") and m.group(1) != p["no"]:
            missing.append(f"{p['id']}: number {m.group(1)}, records say {p['no']}")
        issued = p.get("issued") or "2019-06-28"
        if vn_date_long(issued) not in text:
            missing.append(f"{p['id']}: no date {vn_date_long(issued)}")
    report("name-number-date", not missing, "; ".join(missing[:5]))
    nums = [n for n, _ in numbers.values()]
    report("numbers-unique", len(set(nums)) == len(nums) and
           "125/2019/CC" in nums and all(re.fullmatch(r"\d+/2019/CC", n) for n in nums),
           str(sorted(nums)))

    problems = check_glyphs(doc, "nfc")
    report("glyph-outlines", not problems, "; ".join(problems[:5]))

    not_embedded = []
    for page in doc:
        for base, (tt, ext, size) in embedded_fonts(doc, page).items():
            if ext in ("n/a", "") or size == 0 or tt is None:
                not_embedded.append(base)
    report("fonts-embedded", not not_embedded, ", ".join(sorted(set(not_embedded))))

    problems = check_layout(doc, A4)
    report("inside-page-and-box", not problems, "; ".join(problems[:5]))

    # NFD input prints exactly as NFC input: same text, same glyphs.
    dd = fitz.open(out["nfd"])
    same = len(dd) == len(doc) and all(
        [(c[0], c[1]) for s in a.get_texttrace() for c in s["chars"]] ==
        [(c[0], c[1]) for s in b.get_texttrace() for c in s["chars"]]
        for a, b in zip(doc, dd))
    report("nfd-as-nfc", same)

    # The QR code of every page decodes to number | name | course | date
    # (cadre-cert encodes with one fixed mask instead of the best of eight).
    bad = []
    codes = decode_qr(out["nfc"], A4, tmp)
    for p in graduates:
        if p["id"] not in numbers:
            continue
        num, pno = numbers[p["id"]]
        want = f"{num} | {p['name']} | K1 | {p.get('issued') or '2019-06-28'}"
        got = codes.get(pno + 1)
        if got != [unicodedata.normalize("NFC", want)]:
            bad.append(f"page {pno + 1}: {got!r} != {want!r}")
    report("qr-decodes", not bad and len(codes) == len(graduates),
           f"{len(codes)} pages read; " + "; ".join(bad))

    # Per-person files: one page each, small, named safely.
    d = os.path.join(tmp, "each")
    r = run(["--course", "K1", "-o", d, "-j", "3", rec])
    files = sorted(os.listdir(d)) if os.path.isdir(d) else []
    report("per-person-count", r.returncode == 0 and len(files) == len(graduates),
           f"{len(files)} files; {r.stderr}")
    sizes = [os.path.getsize(os.path.join(d, f)) for f in files]
    report("per-person-size", sizes and max(sizes) <= 80 * 1024,
           f"largest {max(sizes) if sizes else 0} bytes")
    one = [len(fitz.open(os.path.join(d, f))) for f in files]
    report("per-person-one-page", one and set(one) == {1}, str(one))
    report("per-person-name", "125-2019-CC_Dang-aaaaaa-AAAAAA.pdf" in files,
           ", ".join(files[:3]))

    # A certificate does not change when issued again (one process or
    # three): the same bytes, given the same SOURCE_DATE_EPOCH (the PDF's
    # CreationDate).  Both runs use one frozen copy of the tool
    # and its font subsets, back to back: a subset carries the time it
    # was made (fontTools stamps head.modified), and the build folder may
    # be remade between two runs (a shared build/, a slow valgrind run).
    tool, env = frozen_tool(tmp)
    d3, d1 = os.path.join(tmp, "three"), os.path.join(tmp, "again")
    r3 = subprocess.run(tool + ["--course", "K1", "-o", d3, "-j", "3", rec],
                        capture_output=True, text=True, env=env)
    r = subprocess.run(tool + ["--course", "K1", "-o", d1, rec],
                       capture_output=True, text=True, env=env)
    same = r3.returncode == 0 and r.returncode == 0 and \
        sorted(os.listdir(d3)) == files and sorted(os.listdir(d1)) == files and all(
            open(os.path.join(d3, f), "rb").read() ==
            open(os.path.join(d1, f), "rb").read() for f in files)
    report("reissue-same-bytes", same, r3.stderr + r.stderr)


def frozen_tool(tmp):
    """cadre-cert and the font subsets beside it, copied into tmp, with
    the environment to run the copy (templates from the source tree, a
    fixed SOURCE_DATE_EPOCH).
    A wrapper script (valgrind) is run as it is."""
    fonts = os.path.join(os.path.dirname(BIN), "fonts")
    with open(TOOL, "rb") as f:
        elf = f.read(4) == b"\x7fELF"
    env = dict(os.environ, SOURCE_DATE_EPOCH="1561680000")
    if not elf or not os.path.isdir(fonts):
        return [TOOL], env
    root = os.path.join(tmp, "frozen")
    os.makedirs(os.path.join(root, "bin"))
    shutil.copy2(TOOL, os.path.join(root, "bin", "cadre-cert"))
    shutil.copytree(fonts, os.path.join(root, "fonts"))
    env["CADRE_DATA_DIR"] = TOP
    return [os.path.join(root, "bin", "cadre-cert")], env


SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\.pdf")


def test_hostile_names(tmp):
    """Numbers and names that try to leave the directory, overlong names,
    names and numbers that fold to the same ASCII."""
    long_name = "Nguyễn " + "Văn " * 70 + "An"  # about 300 characters
    people = [
        dict(id="H1", name="../../etc/x", no="../../etc/x"),
        dict(id="H2", name="/abs", no="/abs"),
        dict(id="H3", name=long_name, no="7/2019/CC"),
        dict(id="H4", name="Lê Văn An", no="1/2019"),
        dict(id="H5", name="Lễ Văn Ấn", no="1-2019"),
        dict(id="H6", name="LÊ VĂN AN", no="1.2019"),
        dict(id="..", name="..", no=".."),
        dict(id="H8", name="-rf *", no="-rf"),
        dict(id="H9", name="Trần\tQuang Khải", no="a\\b:c*d?e"),
    ]
    rec = os.path.join(tmp, "hostile.xml")
    write(rec, records(people))
    work = os.path.join(tmp, "work")
    os.makedirs(work)
    before = set(os.listdir(tmp))
    r = run(["--course", "K1", "-o", "out", "--combined", "all.pdf", os.path.abspath(rec)],
            cwd=work)
    report("hostile-exit", r.returncode == 0, r.stderr)
    files = sorted(os.listdir(os.path.join(work, "out"))) \
        if os.path.isdir(os.path.join(work, "out")) else []
    report("hostile-all-written", len(files) == len(people),
           f"{len(files)} files for {len(people)}: {files}")
    bad = [f for f in files if not SAFE.fullmatch(f) or len(f) > 120]
    report("hostile-safe-names", not bad, repr(bad))
    report("hostile-no-escape", set(os.listdir(tmp)) == before and
           sorted(os.listdir(work)) == ["all.pdf", "out"] and
           not os.path.exists("/abs.pdf"),
           f"{set(os.listdir(tmp)) - before} {os.listdir(work)}")
    lower = [f.lower() for f in files]
    report("hostile-distinct-ignoring-case", len(set(lower)) == len(lower))
    doc = fitz.open(os.path.join(work, "all.pdf"))
    problems = check_layout(doc, A4)
    report("long-name-in-box", not problems, "; ".join(problems[:5]))
    text = "".join(page_text(p) for p in doc)
    report("long-name-printed-whole",
           re.sub(r"\s+", " ", long_name.upper()) in re.sub(r"\s+", " ", text))


def test_chung_chi(tmp):
    """The 190 x 135 mm fields-only variant: the page size, fields only,
    every character in its box."""
    people = [dict(id="C1", name="Hoàng Thị Nguyệt", gender="nu"),
              dict(id="C2", name="Nông Văn Thắng")]
    rec = os.path.join(tmp, "cc.xml")
    write(rec, records(people))
    pdf = os.path.join(tmp, "cc.pdf")
    r = run(["-t", "chung-chi", "--course", "K1", "--combined", pdf, rec])
    report("chung-chi-exit", r.returncode == 0, r.stderr)
    if r.returncode:
        return
    doc = fitz.open(pdf)
    report("chung-chi-pages", len(doc) == 2)
    report("chung-chi-size", abs(doc[0].rect.width - 190 * PT_PER_MM) < 1 and
           abs(doc[0].rect.height - 135 * PT_PER_MM) < 1, str(doc[0].rect))
    text = page_text(doc[0]) + page_text(doc[1])
    report("chung-chi-fields-only", "CỘNG HÒA" not in text and "CHỨNG CHỈ" not in text
           and "HOÀNG THỊ NGUYỆT" in text and "1/2019/CC" in text, text[:200])
    problems = check_layout(doc, CHUNG_CHI) + check_glyphs(doc, "cc")
    report("chung-chi-layout", not problems, "; ".join(problems[:5]))

    # The whole card (fields-only off) with a printer offset: everything
    # moves by the offset and stays in its (moved) box.
    with open(CHUNG_CHI, encoding="utf-8") as f:
        src = f.read()
    moved = os.path.join(tmp, "moved.xml")
    write(moved, src.replace('fields-only="true"', 'fields-only="false"')
          .replace('offset-x="0" offset-y="0"', 'offset-x="3" offset-y="-2"'))
    pdf2 = os.path.join(tmp, "moved.pdf")
    r = run(["-t", moved, "--course", "K1", "--combined", pdf2, rec])
    report("chung-chi-offset-exit", r.returncode == 0, r.stderr)
    if r.returncode:
        return
    d2 = fitz.open(pdf2)
    problems = check_layout(d2, moved)
    text = page_text(d2[0])
    a = doc[0].search_for("HOÀNG THỊ NGUYỆT")
    b = d2[0].search_for("HOÀNG THỊ NGUYỆT")
    shift = (b[0].x0 - a[0].x0, b[0].y0 - a[0].y0) if a and b else None
    report("chung-chi-offset", not problems and "CỘNG HÒA" in text and shift
           and abs(shift[0] - 3 * PT_PER_MM) < 0.1 and
           abs(shift[1] + 2 * PT_PER_MM) < 0.1,
           f"shift {shift}; {problems[:3]}")


def header_lines(page):
    """The text lines of the page's top quarter, left half: the issuing
    body, top to bottom."""
    w, h = page.rect.width, page.rect.height
    out = []
    for b in page.get_text("dict")["blocks"]:
        for line in b.get("lines", []):
            x0, y0, x1, y1 = line["bbox"]
            text = "".join(sp["text"] for sp in line["spans"]).strip()
            if text and x1 < w / 2 and y1 < h / 4:
                out.append((y0, unicodedata.normalize("NFC", text)))
    return [t for _y, t in sorted(out)]


def test_governing_body(tmp):
    """organizer@governing-body prints above the organiser; without one,
    the organiser stands alone: never the records' issuer (both
    templates, the card with its stock printed)."""
    with open(CHUNG_CHI, encoding="utf-8") as f:
        card = os.path.join(tmp, "card.xml")
        write(card, f.read().replace('fields-only="true"', 'fields-only="false"'))
    people = [dict(id="G1", name="Hoàng Văn An")]
    organizer = "TRUNG TÂM BỒI DƯỠNG CHÍNH TRỊ HUYỆN ĐÌNH LẬP"
    for label, tmpl in (("a4", A4), ("chung-chi", card)):
        for gov in ("Ủy ban nhân dân huyện Đình Lập", None, ""):
            rec = os.path.join(tmp, f"g-{label}-{gov is None}.xml")
            write(rec, records(people, governing=gov))
            pdf = os.path.join(tmp, f"g-{label}-{gov is None}-{gov == ''}.pdf")
            r = run(["-t", tmpl, "--course", "K1", "--combined", pdf, rec])
            doc = fitz.open(pdf) if r.returncode == 0 else None
            lines = header_lines(doc[0]) if doc else []
            joined = " ".join(lines)
            want = ["ỦY BAN NHÂN DÂN HUYỆN ĐÌNH LẬP"] if gov else []
            # the organiser may wrap: its words, after the governing body
            ok = (r.returncode == 0 and lines[:len(want)] == want and
                  " ".join(lines[len(want):]).split() == organizer.split() and
                  "HUYỆN ỦY" not in joined)
            report(f"governing-body-{label}-" +
                   ("given" if gov else "empty" if gov == "" else "absent"),
                   ok, f"{r.stderr} {lines}")


def test_info(tmp):
    """The Info dictionary as pdfinfo reads it: the title in Vietnamese
    (UTF-16, not UTF-8 bytes shown as Latin-1), white space folded (no
    no-break space), the dates from SOURCE_DATE_EPOCH; a malformed
    SOURCE_DATE_EPOCH is an error that writes nothing."""
    rec = os.path.join(tmp, "i.xml")
    write(rec, records([dict(id="I1", name="Nguyễn Thị Hương")]))
    with open(A4, encoding="utf-8") as f:
        t = os.path.join(tmp, "t.xml")
        write(t, f.read().replace('title="Giấy chứng nhận {number}',
                                  'title="Giấy&#160;chứng  nhận&#x2003;{number}'))
    pdf = os.path.join(tmp, "i.pdf")
    env = dict(os.environ, SOURCE_DATE_EPOCH="1561694400")  # 2019-06-28 04:00 UTC
    r = subprocess.run([TOOL, "-t", t, "--course", "K1", "-o",
                        os.path.join(tmp, "each"), "--combined", pdf, rec],
                       capture_output=True, text=True, env=env)
    info = {}
    each = os.path.join(tmp, "each", "1-2019-CC_Nguyen-Thi-Huong.pdf")
    for label, path in (("combined", pdf), ("per-person", each)):
        p = subprocess.run(["pdfinfo", "-enc", "UTF-8", "-isodates", path],
                           capture_output=True, text=True)
        info[label] = dict(l.split(":", 1) for l in p.stdout.splitlines()
                           if ":" in l)
        info[label] = {k: v.strip() for k, v in info[label].items()}
    course = "Trung cấp lý luận chính trị – hành chính, khóa 2018 – 2019"
    organizer = "Trung tâm Bồi dưỡng chính trị huyện Đình Lập"
    each_i, comb = info["per-person"], info["combined"]
    report("info-title-vietnamese", r.returncode == 0 and
           each_i.get("Title") == "Giấy chứng nhận 1/2019/CC – Nguyễn Thị Hương"
           and comb.get("Title") == course and
           each_i.get("Author") == organizer and comb.get("Author") == organizer,
           f"{r.stderr} {info}")
    raw = open(each, "rb").read() if os.path.exists(each) else b""
    report("info-utf16-no-nbsp", re.search(rb"/Title\s*<FEFF", raw) and
           "\u00a0" not in each_i.get("Title", "x\u00a0"), raw[:0])
    report("info-dates-source-date-epoch",
           all(i.get("CreationDate") == "2019-06-28T04:00:00Z" and
               i.get("ModDate") == "2019-06-28T04:00:00Z" for i in info.values()),
           str({k: (v.get("CreationDate"), v.get("ModDate")) for k, v in info.items()}))
    bad = os.path.join(tmp, "bad.pdf")
    for value in ("12x", "-5", "99999999999999999999", "1e9"):
        r = subprocess.run([TOOL, "--course", "K1", "--combined", bad, rec],
                           capture_output=True, text=True,
                           env=dict(os.environ, SOURCE_DATE_EPOCH=value))
        report(f"info-bad-source-date-epoch-{value}", r.returncode == 1 and
               "SOURCE_DATE_EPOCH" in r.stderr and not os.path.exists(bad),
               f"{r.returncode} {r.stderr}")


def png_file(path):
    """A small valid PNG (4 x 4, red)."""
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + \
            struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\0" + b"\xff\0\0" * 4 for _ in range(4))
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" +
                chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0)) +
                chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def image_template(folder, image):
    """A template in `folder` drawing `image`; its path."""
    t = os.path.join(folder, "t.xml")
    write(t, f"""<?xml version="1.0" encoding="UTF-8"?>
<certificate page="A5">
  <text x="10" y="10" w="120" h="10">{{cadre.full-name}}</text>
  <image file="{esc(image)}" x="10" y="30" w="20" h="20"/>
</certificate>
""")
    return t


def leftovers(*folders):
    """Temporary files left behind in `folders`."""
    return [f for d in folders if os.path.isdir(d)
            for f in os.listdir(d) if f.startswith(".")]


def test_output_clashes(tmp):
    """Two outputs of one run naming one file are refused before anything
    is written, at any count (70 graduates: past the 64 files the process
    remembered) and with or without -j: a combined file or register on a
    per-person file (even in other case), on the folder itself, on a
    template's image (--combined seal.png replaced the seal)."""
    people = [dict(id=f"P{i:02d}", name=f"Nguyễn Văn {chr(65 + i % 26)}{i}")
              for i in range(70)]
    rec = os.path.join(tmp, "many.xml")
    write(rec, records(people))
    probe = os.path.join(tmp, "probe")
    r = run(["--course", "K1", "-o", probe, rec])
    names = sorted(os.listdir(probe)) if r.returncode == 0 else []
    report("clash-probe", len(names) == 70, r.stderr)
    if len(names) != 70:
        return
    last = names[-1]  # written 70th: beyond 64
    cases = [
        ("combined-on-file", "--combined", lambda d: f"{d}/{last}", []),
        ("combined-on-file-j3", "--combined", lambda d: f"{d}/{last}", ["-j", "3"]),
        ("register-on-file-j2", "--register", lambda d: f"{d}/{last}", ["-j", "2"]),
        ("combined-on-file-other-case", "--combined",
         lambda d: f"{d}/{last.lower()}", ["-j", "2"]),
        ("combined-on-folder", "--combined", lambda d: d, ["-j", "2"]),
        ("combined-through-dots", "--combined",
         lambda d: f"{d}/../each/./{last}", []),
    ]
    for label, opt, target, extra in cases:
        work = os.path.join(tmp, label)
        os.makedirs(work)
        d = os.path.join(work, "each")
        r = run(["--course", "K1", "-o", d, opt, target(d)] + extra + [rec])
        report(f"clash-{label}", r.returncode == 1 and
               f"cannot write '{target(d)}'" in r.stderr and
               not os.path.exists(d) and os.listdir(work) == [],
               f"{r.returncode} {r.stderr} {os.listdir(work)}")

    # an output on the template's image: refused, the image intact
    folder = os.path.join(tmp, "tmpl")
    os.makedirs(folder)
    seal = os.path.join(folder, "seal.png")
    png_file(seal)
    before = open(seal, "rb").read()
    t = image_template(folder, "seal.png")
    one = os.path.join(tmp, "one.xml")
    write(one, records([dict(id="S1", name="Lê Thị Son")]))
    os.symlink(seal, os.path.join(tmp, "link.png"))
    for label, args in (("combined", ["--combined", seal]),
                        ("combined-relative", ["--combined", "seal.png"]),
                        ("register-through-link",
                         ["--register", os.path.join(tmp, "link.png")]),
                        ("per-person-file-on-image", None)):
        if args is None:  # an image named as a certificate file would be
            each = os.path.join(folder, "each")
            os.makedirs(each)
            name = "1-2019-CC_Le-Thi-Son.pdf"
            png_file(os.path.join(each, name))
            t2 = image_template(folder, "each/" + name)
            r = run(["-t", t2, "--course", "K1", "-o", each, one])
            ok = r.returncode == 1 and "an image of the template" in r.stderr \
                and os.listdir(each) == [name]
            os.remove(os.path.join(each, name))  # a PNG, not a PDF
        else:
            r = run(["-t", t, "--course", "K1"] + args + [one], cwd=folder)
            ok = (r.returncode == 1 and "an image of the template" in r.stderr
                  and open(seal, "rb").read() == before)
        report(f"clash-image-{label}", ok and not leftovers(folder, tmp),
               f"{r.returncode} {r.stderr}")


def test_image_files(tmp):
    """A template reads images from its own folder only, and regular files
    only: no /etc/passwd, no link out of the folder, no FIFO (which would
    hang the run), each an error naming the template's line."""
    folder = os.path.join(tmp, "tmpl")
    os.makedirs(os.path.join(folder, "img"))
    png_file(os.path.join(folder, "img", "ok.png"))
    png_file(os.path.join(tmp, "outside.png"))
    os.symlink(os.path.join(tmp, "outside.png"), os.path.join(folder, "out.png"))
    os.symlink("/etc/passwd", os.path.join(folder, "passwd.png"))
    os.mkfifo(os.path.join(folder, "fifo.png"))
    rec = os.path.join(tmp, "r.xml")
    write(rec, records([dict(id="I1", name="Trần Văn Ích")]))
    cases = [("inside", "img/ok.png", None),
             ("parent", "../outside.png", "outside the template's folder"),
             ("absolute", "/etc/passwd", "outside the template's folder"),
             ("link-out", "out.png", "outside the template's folder"),
             ("link-to-passwd", "passwd.png", "outside the template's folder"),
             ("fifo", "fifo.png", "not a regular file"),
             ("device", "/dev/zero", "outside the template's folder")]
    for label, image, why in cases:
        t = image_template(folder, image)
        pdf = os.path.join(tmp, f"{label}.pdf")
        try:
            r = subprocess.run([TOOL, "-t", t, "--course", "K1", "--combined",
                                pdf, rec], capture_output=True, text=True,
                               timeout=20)
        except subprocess.TimeoutExpired:
            report(f"image-{label}", False, "hung")
            continue
        if why is None:
            ok = r.returncode == 0 and os.path.exists(pdf)
        else:
            ok = (r.returncode == 1 and f"{t}:4: error: cannot use image" in r.stderr
                  and why in r.stderr and not os.path.exists(pdf) and
                  "root:" not in r.stderr)
        report(f"image-{label}", ok, f"{r.returncode} {r.stderr}")


def test_offsets_and_long_names(tmp):
    """A printer offset that pushes a field off the page is an error with
    the template's line; a 250-byte name (one word or many) shrinks within
    its box on both templates."""
    rec = os.path.join(tmp, "r.xml")
    write(rec, records([dict(id="O1", name="Hà Văn Ổn")]))
    with open(CHUNG_CHI, encoding="utf-8") as f:
        card = f.read()
    for label, fields, dx, dy in (("fields", "true", "50", "0"),
                                  ("stock", "false", "6", "0"),
                                  ("down", "true", "0", "20")):
        t = os.path.join(tmp, f"off-{label}.xml")
        src = card.replace('fields-only="true"', f'fields-only="{fields}"') \
            .replace('offset-x="0" offset-y="0"', f'offset-x="{dx}" offset-y="{dy}"')
        write(t, src)
        pdf = os.path.join(tmp, f"off-{label}.pdf")
        r = run(["-t", t, "--course", "K1", "--combined", pdf, rec])
        m = re.search(re.escape(t) + r":(\d+): error: <(\w+)> reaches outside "
                      r"the 190x135 mm page with the printer offset", r.stderr)
        line_ok = False
        if m:
            # the line of the element's start tag (which may span lines)
            lines = src.splitlines()[:int(m.group(1))]
            start = max(i for i, l in enumerate(lines)
                        if re.match(r"\s*<\w", l))
            line_ok = lines[start].strip().startswith("<" + m.group(2))
        report(f"offset-off-page-{label}", r.returncode == 1 and line_ok and
               not os.path.exists(pdf), r.stderr)
    one_word = "Nguyễn" + "ễ" * 80
    many = ("Nguyễn Thị Hương " * 20)[:250].strip()
    for label, name in (("one-word", one_word), ("many-words", many)):
        rec = os.path.join(tmp, f"long-{label}.xml")
        write(rec, records([dict(id="L1", name=name)]))
        for tname, tmpl in (("a4", A4), ("chung-chi", CHUNG_CHI)):
            pdf = os.path.join(tmp, f"long-{label}-{tname}.pdf")
            r = run(["-t", tmpl, "--course", "K1", "--combined", pdf, rec])
            doc = fitz.open(pdf) if r.returncode == 0 else None
            problems = check_layout(doc, tmpl) if doc else ["no PDF"]
            text = re.sub(r"\s+", "", page_text(doc[0])) if doc else ""
            report(f"long-name-{label}-{tname}", len(name.encode()) >= 248 and
                   not problems and name.upper().replace(" ", "") in text,
                   f"{r.stderr} {problems[:3]}")


def test_file_order(tmp):
    """Per-person file names are padded to the batch's width: ls lists
    them in the order of their numbers, which is the combined file's."""
    people = [dict(id=f"F{i:02d}", name=f"Lê Văn {n}")
              for i, n in enumerate(["An", "Ba", "Cư", "Dũng", "Em", "Giang",
                                     "Hà", "Ích", "Khang", "Lâm", "Minh", "Nam"])]
    rec = os.path.join(tmp, "r.xml")
    write(rec, records(people))
    d, pdf = os.path.join(tmp, "each"), os.path.join(tmp, "all.pdf")
    r = run(["--course", "K1", "-o", d, "--combined", pdf, "-j", "2", rec])
    files = sorted(os.listdir(d)) if r.returncode == 0 else []
    doc = fitz.open(pdf) if r.returncode == 0 else []
    numbers = [re.search(r"Số: (\S+)", page_text(p)).group(1) for p in doc]
    want = [n.replace("/", "-") for n in numbers]
    report("file-names-in-number-order", len(files) == 12 and
           [f.split("_")[0] for f in files] ==
           [re.sub(r"^(\d)-", r"0\1-", w) for w in want] and
           files[0].startswith("01-2019-CC_") and files[-1].startswith("12-2019-CC_"),
           f"{files[:3]} {numbers[:3]}")


SAMPLES = [os.path.join(TOP, "samples", "dinh-lap", f)
           for f in ("cadres.xml", "courses.xml")]


def text_lines(page):
    """(bbox, text, smallest size) of every text line of the page."""
    out = []
    for b in page.get_text("dict")["blocks"]:
        for line in b.get("lines", []):
            spans = [sp for sp in line["spans"] if sp["text"].strip()]
            if spans:
                out.append((line["bbox"], unicodedata.normalize(
                    "NFC", "".join(sp["text"] for sp in line["spans"]).strip()),
                    min(sp["size"] for sp in spans)))
    return out


def rules(page):
    """The horizontal straight lines drawn on the page: (x0, x1, y)."""
    out = []
    for d in page.get_drawings():
        for it in d["items"]:
            if it[0] == "l" and abs(it[1].y - it[2].y) < 0.01:
                out.append((min(it[1].x, it[2].x), max(it[1].x, it[2].x), it[1].y))
    return out


def rule_under(lines, page_rules):
    """The rule just under the lowest of `lines` (within 5 mm), or None."""
    bottom = max(b[3] for b, _t, _s in lines)
    x0 = min(b[0] for b, _t, _s in lines)
    x1 = max(b[2] for b, _t, _s in lines)
    below = [r for r in page_rules if bottom < r[2] < bottom + 5 * PT_PER_MM
             and r[0] < x1 and r[1] > x0]
    return min(below, key=lambda r: r[2]) if below else None


def check_form(doc, organizers):
    """NĐ 30/2020 on every page: body type at least 12 pt; a rule under
    the motto as long as it, centred; a rule under the issuing body a
    third to a half of its widest line, centred.  Returns problems."""
    problems = []
    for pno, page in enumerate(doc):
        lines, page_rules = text_lines(page), rules(page)
        small = [(t, round(sz, 2)) for _b, t, sz in lines if sz < 12 - 0.01]
        if small:
            problems.append(f"page {pno + 1}: type under 12 pt: {small[:2]}")
        motto = [l for l in lines if l[1] == "Độc lập - Tự do - Hạnh phúc"]
        r = rule_under(motto, page_rules) if motto else None
        if not r:
            problems.append(f"page {pno + 1}: no rule under the motto")
        else:
            b = motto[0][0]
            if abs((r[1] - r[0]) - (b[2] - b[0])) > 1 or \
                    abs((r[0] + r[1]) / 2 - (b[0] + b[2]) / 2) > 1:
                problems.append(f"page {pno + 1}: motto {b[0]:.1f}-{b[2]:.1f}, "
                                f"rule {r[0]:.1f}-{r[1]:.1f}")
        words = set(w for o in organizers for w in o.upper().split())
        body = [l for l in lines if l[0][2] < page.rect.width / 2 and
                l[0][1] < page.rect.height / 3 and set(l[1].split()) <= words]
        r = rule_under(body, page_rules) if body else None
        if not r:
            problems.append(f"page {pno + 1}: no rule under the issuing body")
            continue
        widest = max(body, key=lambda l: l[0][2] - l[0][0])[0]
        ratio = (r[1] - r[0]) / (widest[2] - widest[0])
        if not (1 / 3 - 0.01 <= ratio <= 1 / 2 + 0.01) or \
                abs((r[0] + r[1]) / 2 - (widest[0] + widest[2]) / 2) > 1:
            problems.append(f"page {pno + 1}: issuing body rule {ratio:.2f} "
                            f"of its width, at {r[0]:.1f}-{r[1]:.1f}")
    return problems


def test_form(tmp):
    """Both templates, the card with its stock printed, on the sample
    district's courses with the longest titles and unit names: the form
    of Nghị định 30/2020 and every character in its box."""
    with open(CHUNG_CHI, encoding="utf-8") as f:
        card = os.path.join(tmp, "card.xml")
        write(card, f.read().replace('fields-only="true"', 'fields-only="false"'))
    root = ET.parse(SAMPLES[1]).getroot()
    for course in ("TC-2018", "NV-2018-05", "NV-2018-15", "QLNN-2015"):
        org = [c.find("organizer").text for c in root.iter("course")
               if c.get("id") == course]
        for label, tmpl in (("a4", A4), ("chung-chi", card)):
            pdf = os.path.join(tmp, f"{course}-{label}.pdf")
            r = run(["-t", tmpl, "--course", course, "--combined", pdf] + SAMPLES)
            doc = fitz.open(pdf) if r.returncode == 0 else None
            problems = (check_form(doc, org) + check_layout(doc, tmpl)
                        if doc else [r.stderr])
            report(f"form-{label}-{course}", not problems,
                   "; ".join(problems[:4]))


def test_failure_midway(tmp):
    """A name no font can print stops the run: no half-written combined
    file, a message naming the certificate, earlier files complete."""
    people = [dict(id="F1", name="An Văn An"), dict(id="F2", name="Bùi ก Bình"),
              dict(id="F3", name="Cao Văn Cường")]
    rec = os.path.join(tmp, "fail.xml")
    write(rec, records(people))
    pdf = os.path.join(tmp, "fail.pdf")
    r = run(["--course", "K1", "--combined", pdf, rec])
    report("failure-exit-1", r.returncode == 1, f"{r.returncode} {r.stderr}")
    report("failure-no-output", not os.path.exists(pdf) and
           not [f for f in os.listdir(tmp) if f.startswith(".fail.pdf")])
    report("failure-says-which", "F2" in r.stderr and "U+0E01" in r.stderr,
           r.stderr)
    d = os.path.join(tmp, "fail-dir")
    r = run(["--course", "K1", "-o", d, rec])
    files = sorted(os.listdir(d)) if os.path.isdir(d) else []
    report("failure-files-complete", r.returncode == 1 and
           files == ["1-2019-CC_An-Van-An.pdf"] and
           all(len(fitz.open(os.path.join(d, f))) == 1 for f in files),
           f"{files} {r.stderr}")


def font_file_xref(doc, font_xref):
    """The FontFile2 stream of a Type0 font."""
    ref = lambda xref, key: int(re.search(r"(\d+) 0 R",
                                          doc.xref_get_key(xref, key)[1]).group(1))
    desc = ref(font_xref, "DescendantFonts")
    return ref(ref(desc, "FontDescriptor"), "FontFile2")


def test_glyph_check_fails(tmp, pdf):
    """The glyph check itself: remove the outline of an accent from an
    embedded font, as libharu does with nested composites, and the check
    must find the letters that lost it."""
    from fontTools.ttLib.tables._g_l_y_f import Glyph
    doc = fitz.open(pdf)
    page = doc[0]
    drawn = {}  # font name -> glyph ids drawn
    for span in page.get_texttrace():
        drawn.setdefault(span["font"].split(",")[0], set()).update(
            c[1] for c in span["chars"])
    broken = None
    for xref, _ext, _t, base, _n, _e in page.get_fonts():
        ffx = font_file_xref(doc, xref)
        tt = TTFont(io.BytesIO(doc.xref_stream(ffx)))
        order = tt.getGlyphOrder()
        glyf = tt["glyf"]
        gids = drawn.get(base.split("+")[-1].split(",")[0], set())
        comp = [order[g] for g in sorted(gids)
                if 0 < g < len(order) and glyf[order[g]].isComposite()]
        if not comp:
            continue
        # the last part of a composite letter is its accent
        accent = glyf[comp[0]].components[-1].glyphName
        glyf.glyphs[accent] = Glyph()
        out = io.BytesIO()
        tt.save(out)
        doc.update_stream(ffx, out.getvalue())
        broken = accent
        break
    bad = os.path.join(tmp, "broken.pdf")
    doc.save(bad)
    problems = check_glyphs(fitz.open(bad), "broken")
    report("glyph-check-catches-missing-accent", broken and problems,
           f"removed {broken}, found {problems[:2]}")


def test_fonts(tmp):
    """A family whose letters nest composite glyphs (DejaVu: "ặ" is "ạ"
    and a breve, "ạ" is "a" and a dot) is embedded with every part at
    every depth: each drawn glyph has outlines.  No font at all is an
    error, exit 1."""
    rec = os.path.join(tmp, "f.xml")
    write(rec, records([dict(id="F1", name="Đặng Văn Thắng – Nguyễn Thị Ặ Ẫ ẫ ậ ộ")]))
    t = os.path.join(tmp, "t.xml")
    write(t, """<?xml version="1.0" encoding="UTF-8"?>
<certificate page="A5" family="DejaVu Sans">
  <text x="10" y="10" w="120" h="10">{cadre.full-name}</text>
</certificate>
""")
    pdf = os.path.join(tmp, "f.pdf")
    r = run(["-t", t, "--course", "K1", "--combined", pdf, rec])
    doc = fitz.open(pdf) if r.returncode == 0 else None
    nested = 0
    if doc:
        for xref, _e, _t, base, _n, _enc in doc[0].get_fonts():
            tt = TTFont(io.BytesIO(doc.xref_stream(font_file_xref(doc, xref))))
            glyf = tt["glyf"]
            nested += sum(1 for g in tt.getGlyphOrder()
                          if glyf[g].isComposite() and any(
                              glyf[c.glyphName].isComposite()
                              for c in glyf[g].components))
    report("font-nested-composites-whole",
           r.returncode == 0 and "instead" not in r.stderr and doc and
           all("DejaVuSans" in f[3] for f in doc[0].get_fonts()) and
           nested > 0 and not check_glyphs(doc, "dejavu"),
           f"{r.stderr} nested composites: {nested}")
    conf = os.path.join(tmp, "fonts.conf")
    write(conf, '<?xml version="1.0"?><fontconfig><dir>/nonexistent</dir>'
          '<cachedir>' + tmp + '/cache</cachedir></fontconfig>')
    env = dict(os.environ, FONTCONFIG_FILE=conf)
    pdf = os.path.join(tmp, "none.pdf")
    r = subprocess.run([TOOL, "-t", t, "--course", "K1", "--combined", pdf,
                        rec], capture_output=True, text=True, env=env)
    report("font-none-is-an-error", r.returncode == 1 and
           "no usable font for 'DejaVu Sans' Regular" in r.stderr and
           "t.xml:3: error:" in r.stderr and not os.path.exists(pdf),
           f"{r.returncode} {r.stderr}")


def main():
    if not os.access(TOOL, os.X_OK):
        report("tool", False, f"no {TOOL}")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        for test in (test_letters, test_hostile_names, test_chung_chi,
                     test_governing_body, test_info, test_output_clashes,
                     test_image_files, test_offsets_and_long_names,
                     test_file_order, test_form, test_failure_midway,
                     test_fonts):
            sub = os.path.join(tmp, test.__name__)
            os.makedirs(sub)
            try:
                test(sub)
            except Exception as e:  # a crash is a failure, not a traceback
                report(test.__name__, False, f"{type(e).__name__}: {e}")
        VERDICTS.poppler_clean(tmp)
    return VERDICTS.status()


if __name__ == "__main__":
    sys.exit(main())
