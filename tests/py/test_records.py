#!/usr/bin/python3
"""Records read as docs/records.md says, seen where a user sees them: the
name on the certificate (PyMuPDF) and the cells of the roster (openpyxl).
A pretty-printed file must give the documents a compact one gives; the
look-alikes Ð/ð must print and sort as Đ/đ.  Prints "ok NAME" / "FAIL
NAME" lines (tests/run).
"""
import os
import subprocess
import sys

import fitz  # PyMuPDF
import openpyxl

from verdicts import Verdicts

TOP = os.environ.get("CADRE_TOP") or os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("CADRE_BIN") or os.path.join(TOP, "build", "bin")

VERDICTS = Verdicts("records")
report = VERDICTS.report

# (id, name as an editor may leave it, name as it reads)
PEOPLE = [
    ("P1", "\n        Trần   Quang\n\t  Khải\n      ", "Trần Quang Khải"),
    ("P2", "Nguyễn&#160;Thị\u00a0\u00a0Hương ", "Nguyễn Thị Hương"),
    ("P3", "Ðinh Văn Ðức", "Đinh Văn Đức"),
    ("P4", "Ðỗ Văn An", "Đỗ Văn An"),
    ("P5", "Dương Văn Dũng", "Dương Văn Dũng"),
]
TITLE_PRETTY = "\n    Trung cấp lý luận chính trị –\n    hành chính\n  "
TITLE = "Trung cấp lý luận chính trị – hành chính"


def records(pretty):
    def name(p):
        return p[1] if pretty else p[2]
    cadres = "".join(
        f'<cadre id="{p[0]}" unit="U"><full-name>{name(p)}</full-name>'
        '<gender>nam</gender><birth-date>1980-02-03</birth-date>'
        '<category>cong-chuc</category><education>dai-hoc</education>'
        '<political-theory>trung-cap</political-theory></cadre>'
        for p in PEOPLE)
    parts = "".join(
        f'<participant cadre="{p[0]}" status="completed" grade="kha" '
        f'score="{s}" certificate-no="{i + 1}/CC"/>'
        for i, (p, s) in enumerate(zip(PEOPLE, ["7.35", "8.45", "7.34",
                                                "10", "0.05"])))
    title = TITLE_PRETTY if pretty else TITLE
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<records version="1" as-of="2019-12-31" issuer="Huyện ủy Đình Lập" place="Đình Lập">
<units><unit id="U" name="{'Xã  Đình&#10;Lập' if pretty else 'Xã Đình Lập'}" level="xa"/></units>
<cadres>{cadres}</cadres>
<courses><course id="K1" type="trung-cap-llct-hc" start="2018-03-05" end="2019-06-28">
<title>{title}</title>
<organizer>Trung tâm Bồi dưỡng chính trị</organizer>
<signer title="GIÁM ĐỐC">Hoàng Văn Minh</signer>{parts}</course></courses>
</records>
"""


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def run(tool, args):
    return subprocess.run([os.path.join(BIN, "cadre-" + tool)] + args,
                          capture_output=True, text=True)


def name_spans(pdf):
    """(text, size) of every span on every page that holds a name."""
    out = []
    with fitz.open(pdf) as doc:
        for page in doc:
            for b in page.get_text("dict")["blocks"]:
                for line in b.get("lines", []):
                    for s in line["spans"]:
                        if any(p[2].upper() in s["text"].upper()
                               for p in PEOPLE):
                            out.append((s["text"].strip(), round(s["size"], 1)))
    return out


def test_certificates(tmp):
    """The pretty-printed names print at the size and with the text of the
    compact ones (a name with its newline and indentation shrank to 8.8
    pt); the look-alikes print as Đ."""
    got = {}
    for pretty in (False, True):
        rec = os.path.join(tmp, f"r{int(pretty)}.xml")
        pdf = os.path.join(tmp, f"c{int(pretty)}.pdf")
        write(rec, records(pretty))
        r = run("cert", ["--course", "K1", "--combined", pdf, rec])
        if r.returncode != 0:
            report("cert-pretty-printed-names", False, r.stderr)
            return
        got[pretty] = (name_spans(pdf), r.stderr)
    compact, pretty = got[False][0], got[True][0]
    report("cert-pretty-printed-names", compact == pretty and
           len(compact) >= len(PEOPLE),
           f"compact {compact}, pretty {pretty}")
    report("cert-lookalikes-print-as-d-stroke",
           any("ĐINH VĂN ĐỨC" in t.upper() for t, _ in pretty) and
           not any("Ð" in t or "ð" in t for t, _ in pretty), f"{pretty}")
    lines = got[True][1].splitlines()
    report("cert-lookalike-warnings",
           sum(": warning: 'Ð' (U+00D0) read as 'Đ' (U+0110) in <full-name>"
               in ln for ln in lines) == 2 and
           all(ln.startswith(os.path.join(tmp, "r1.xml") + ":")
               for ln in lines), got[True][1])


def test_roster(tmp):
    """The roster's cells hold the tidied text, the names in Vietnamese
    order with Đ after D, and the scores as written."""
    rec = os.path.join(tmp, "r.xml")
    out = os.path.join(tmp, "r.xlsx")
    write(rec, records(True))
    r = run("roster", ["--course", "K1", "-o", out, rec])
    if r.returncode != 0:
        report("roster-pretty-printed-text", False, r.stderr)
        return
    ws = openpyxl.load_workbook(out).worksheets[0]
    cells = [c for row in ws.iter_rows(values_only=True) for c in row
             if isinstance(c, str)]
    names = [c for c in cells if c in {p[2] for p in PEOPLE}]
    # by given name, An < Dũng < Đức < Hương < Khải: Đ after D
    want = ["Đỗ Văn An", "Dương Văn Dũng", "Đinh Văn Đức",
            "Nguyễn Thị Hương", "Trần Quang Khải"]
    report("roster-pretty-printed-text",
           names == want and "Xã Đình Lập" in cells and
           any(TITLE.upper() in c for c in cells) and
           not any("\n" in c or "  " in c or "\u00a0" in c or "Ð" in c
                   for c in cells), f"names {names}; cells {cells[:12]}")
    rows = list(ws.iter_rows(values_only=True))
    head = next(i for i, row in enumerate(rows) if "Điểm" in row)
    col = rows[head].index("Điểm")
    scores = {row[rows[head].index("Họ và tên")]: row[col]
              for row in rows[head + 1:] if row[col] is not None}
    want = {p[2]: s for p, s in zip(PEOPLE, [7.35, 8.45, 7.34, 10, 0.05])}
    report("roster-scores-as-written", scores == want, f"{scores}")


def test_score_text(tmp):
    """A score printed to one decimal rounds half up on the decimal
    written: 7.35 -> 7,4, 8.45 -> 8,5, 0.05 -> 0,1."""
    rec = os.path.join(tmp, "r.xml")
    t = os.path.join(tmp, "t.xml")
    out = os.path.join(tmp, "s.xlsx")
    write(rec, records(False))
    write(t, """<?xml version="1.0" encoding="UTF-8"?>
<roster><sheet name="Điểm" rows="participants">
<title>ĐIỂM</title>
<column heading="Mã" value="{cadre.id}"/>
<column heading="Điểm" value="Điểm {participant.score|number:1}"/>
</sheet></roster>
""")
    r = run("roster", ["-t", t, "--course", "K1", "-o", out, rec])
    if r.returncode != 0:
        report("score-rounded-half-up-on-the-decimal", False, r.stderr)
        return
    ws = openpyxl.load_workbook(out).worksheets[0]
    got = {row[0]: row[1] for row in ws.iter_rows(values_only=True)
           if row and isinstance(row[0], str) and row[0].startswith("P")}
    want = {"P1": "Điểm 7,4", "P2": "Điểm 8,5", "P3": "Điểm 7,3",
            "P4": "Điểm 10", "P5": "Điểm 0,1"}
    report("score-rounded-half-up-on-the-decimal", got == want, f"{got}")


def main():
    return VERDICTS.run((test_certificates, test_roster, test_score_text))


if __name__ == "__main__":
    sys.exit(main())
