#!/usr/bin/python3
"""cadre-roster's workbooks as the spreadsheet programs see them.

LibreOffice (headless, told to recalculate every formula on load, as Excel
does with the workbooks' fullCalcOnLoad) and Gnumeric (ssconvert --recalc)
open the demo district's workbooks and a province of 20,000 cadres in 300
units whose commune names repeat across districts (bench/gen-records);
every formula's recalculated value must be the value the tool stored
(openpyxl reads both).  The same after sorting the data rows as a reader
would.  Then LibreOffice prints them to PDF and PyMuPDF reads the pages:
type of 8 points or more, headings and names on every page, page numbers
from 1 on every sheet, and the signatures never alone on a page.

Prints "ok NAME" / "FAIL NAME" lines (tests/run).
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import warnings

import fitz  # PyMuPDF
import openpyxl

from verdicts import Verdicts

TOP = os.environ.get("CADRE_TOP") or os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("CADRE_BIN") or os.path.join(TOP, "build", "bin")
TOOL = os.path.join(BIN, "cadre-roster")
SAMPLE = [os.path.join(TOP, "samples", "dinh-lap", f)
          for f in ("cadres.xml", "courses.xml")]

VERDICTS = Verdicts("roster")
check = VERDICTS.check
# openpyxl on LibreOffice's and Gnumeric's files: nothing to act on
warnings.filterwarnings("ignore", module="openpyxl")
TMP = tempfile.mkdtemp(prefix="roster-clients-")
# a LibreOffice profile of our own that recalculates on load
PROFILE = os.path.join(TMP, "profile")
os.makedirs(os.path.join(PROFILE, "user"))
with open(os.path.join(PROFILE, "user", "registrymodifications.xcu"), "w") as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
            'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
            '<item oor:path="/org.openoffice.Office.Calc/Formula/Load">'
            '<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value>'
            '</prop></item>\n</oor:items>\n')


def roster(out, *args, files=SAMPLE):
    r = subprocess.run([TOOL, "-o", out, *args, *files], capture_output=True,
                       text=True, env=dict(os.environ,
                                           SOURCE_DATE_EPOCH="1546214400"))
    if r.returncode != 0:
        raise RuntimeError(f"cadre-roster {' '.join(args)}: {r.stderr}")
    return out


def libreoffice(fmt, paths, outdir):
    """Convert `paths` to `fmt` with LibreOffice, recalculating on load."""
    os.makedirs(outdir, exist_ok=True)
    r = subprocess.run(["soffice", f"-env:UserInstallation=file://{PROFILE}",
                        "--headless", "--norestore", "--convert-to", fmt,
                        "--outdir", outdir, *paths],
                       capture_output=True, text=True, timeout=900)
    out = [os.path.join(outdir, os.path.splitext(os.path.basename(p))[0] +
                        "." + fmt) for p in paths]
    missing = [p for p in out if not os.path.exists(p)]
    if missing:
        raise RuntimeError(f"LibreOffice wrote no {missing}: {r.stderr}")
    return out


def cells(path, data_only):
    """{(sheet, row, column): value} of a workbook's non-empty cells."""
    wb = openpyxl.load_workbook(path, read_only=True, data_only=data_only)
    out = {}
    for ws in wb.worksheets:
        for r, row in enumerate(ws.iter_rows(values_only=True), 1):
            for c, v in enumerate(row, 1):
                if v is not None:
                    out[(ws.title, r, c)] = v
    wb.close()
    return out


def formulas(path):
    """{(sheet, row, column): (formula, stored value)} of a workbook."""
    values = cells(path, True)
    return {k: (v, values.get(k)) for k, v in cells(path, False).items()
            if isinstance(v, str) and v.startswith("=")}


def compare(stored, recalculated_path, client, expect=None):
    """Every formula of `stored` ({cell: (formula, value)}) has its value
    in the recalculated workbook; `expect` maps a formula's text to the
    value it must have when the cells moved (a sorted workbook)."""
    got_all = cells(recalculated_path, True)
    bad = []
    for (sheet, r, c), (f, v) in stored.items():
        want = expect[f] if expect else v
        got = got_all.get((sheet, r, c))
        if not (isinstance(got, (int, float)) and isinstance(want, (int, float))
                and abs(got - want) < 1e-9):
            bad.append(f"{sheet}!{openpyxl.utils.get_column_letter(c)}{r} "
                       f"{f[:70]}: {client} {got!r}, stored {want!r}")
    if not stored:
        return "no formula"
    return f"{len(bad)} of {len(stored)} formulas differ; " + "; ".join(bad[:3]) \
        if bad else None


# ------------------------------------------------------------ workbooks --

DEMO = os.path.join(TMP, "demo")
os.makedirs(DEMO)
WORKBOOKS = [
    roster(os.path.join(DEMO, "statistics.xlsx")),
    roster(os.path.join(DEMO, "course.xlsx"), "--course", "TC-2018"),
    roster(os.path.join(DEMO, "register.xlsx"), "-t", "register", "--course",
           "TC-2018"),
    roster(os.path.join(DEMO, "unit.xlsx"), "-t", "cadres", "--unit", "TTNTTB"),
]
STORED = {p: formulas(p) for p in WORKBOOKS}


def province():
    """20,000 cadres in 300 units, names of communes repeating across
    districts, from bench/gen-records (deterministic)."""
    gen = os.path.join(TMP, "gen-records")
    subprocess.run(["cc", "-O2", "-std=c11", "-o", gen,
                    os.path.join(TOP, "bench", "gen-records.c")], check=True)
    rec = os.path.join(TMP, "province.xml")
    subprocess.run([gen, "--cadres", "20000", "--units", "300", "--seed", "1",
                    "-o", rec], check=True)
    return rec


def sorted_copy(path, out):
    """The workbook with the data rows of every sheet sorted by the name
    column, descending, as a reader sorts from a filter's button (whole
    rows move, formulas as written)."""
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        m = re.fullmatch(r"A(\d+):[A-Z]+(\d+)", ws.auto_filter.ref or "")
        if not m:
            continue
        first, last = int(m.group(1)), int(m.group(2))
        ncols = ws.max_column
        names = [c for c in range(1, ncols + 1)
                 if ws.cell(first, c).value in ("Họ và tên", "Tên đơn vị")]
        col = names[0] if names else 2
        for r in list(ws.merged_cells.ranges):  # none may be sorted
            if r.min_row <= last and r.max_row > first:
                ws.unmerge_cells(r.coord)
        rows = [[ws.cell(r, c).value for c in range(1, ncols + 1)]
                for r in range(first + 1, last + 1)]
        rows.sort(key=lambda v: str(v[col - 1]), reverse=True)
        for r, vals in enumerate(rows, first + 1):
            for c, v in enumerate(vals, 1):
                ws.cell(r, c).value = v
    wb.save(out)
    return out


# LibreOffice starts once for every workbook to recalculate, and once
# for every one to print: it takes seconds to start.
PROVINCE = roster(os.path.join(TMP, "province.xlsx"), files=[province()])
SORTED = sorted_copy(WORKBOOKS[0], os.path.join(TMP, "sorted.xlsx"))
RECALC = dict(zip(WORKBOOKS + [PROVINCE, SORTED],
                  libreoffice("xlsx", WORKBOOKS + [PROVINCE, SORTED],
                              os.path.join(TMP, "lo"))))


def few_cadres(n):
    """A roster of the sample's first n cadres."""
    rec = os.path.join(TMP, f"n{n}.xml")
    with open(SAMPLE[0], encoding="utf-8") as f:
        xml = f.read()
    head, body = xml.split("<cadres>")
    body, tail = body.split("</cadres>")
    cadres = re.findall(r"<cadre .*?</cadre>", body, re.S)[:n]
    with open(rec, "w", encoding="utf-8") as f:
        f.write(head + "<cadres>" + "\n".join(cadres) + "</cadres>" + tail)
    return roster(os.path.join(TMP, f"n{n}.xlsx"), "-t", "cadres", files=[rec])


# rosters of 1 to 60 cadres put the end of the table anywhere on a page
MANY = [few_cadres(n) for n in range(1, 61, 3)]
PRINTED = {p: fitz.open(q) for p, q in
           zip(WORKBOOKS[:3] + MANY,
               libreoffice("pdf", WORKBOOKS[:3] + MANY,
                           os.path.join(TMP, "pdf")))}


# ---------------------------------------------------------------- tests --

def test_recalc_demo_libreoffice():
    for p in WORKBOOKS:
        why = compare(STORED[p], RECALC[p], "LibreOffice")
        if why:
            return f"{os.path.basename(p)}: {why}"
    return None


def test_recalc_demo_gnumeric():
    for p in WORKBOOKS:
        q = os.path.join(TMP, "gn-" + os.path.basename(p))
        r = subprocess.run(["ssconvert", "--recalc", p, q], capture_output=True,
                           text=True, timeout=600)
        if r.returncode != 0 or not os.path.exists(q):
            return f"ssconvert {os.path.basename(p)}: {r.stderr}"
        why = compare(STORED[p], q, "Gnumeric")
        if why:
            return f"{os.path.basename(p)}: {why}"
    return None


def test_recalc_province():
    """300 units, 46 names shared by two or more of them: each unit's
    counts are its own, the cadre sheet's total is one formula valid at
    any number of units, and LibreOffice computes what is stored."""
    stored = formulas(PROVINCE)
    why = compare(stored, RECALC[PROVINCE], "LibreOffice")
    labels = [k for k, (f, v) in stored.items()
              if k[0] == "Danh sách CBCCVC" and f.startswith("=COUNTA(")]
    if not why and (len(labels) != 1 or stored[labels[0]][1] != 20000):
        why = f"stored grand total {[stored[k] for k in labels][:2]}"
    return why


def test_recalc_sorted():
    """The demo's statistics workbook with its rows sorted by name: every
    total and every count recalculates to what was stored before."""
    by_formula = {f: v for f, v in STORED[WORKBOOKS[0]].values()}
    return compare(formulas(SORTED), RECALC[SORTED], "LibreOffice",
                   expect=by_formula)


# ------------------------------------------------------------- printing --

def printed(path):
    """The workbook as LibreOffice prints it."""
    return PRINTED[path]


def page_numbers(doc):
    """The number in each page's footer ("Trang 3" under the table)."""
    out = []
    for page in doc:
        n = None
        for b in page.get_text("dict")["blocks"]:
            for line in b.get("lines", []):
                text = "".join(s["text"] for s in line["spans"]).strip()
                m = re.fullmatch(r"Trang (\d+)(?:/\d+)?", text)
                if m and line["bbox"][1] > page.rect.height - 60:
                    n = int(m.group(1))
        out.append(n)
    return out


def statistics_pages(doc):
    """The pages of the statistics sheet, printed after the cadre sheet:
    from the first whose headings name units."""
    pages = list(doc)
    first = [i for i, p in enumerate(pages) if "Tên đơn vị" in p.get_text()]
    return pages[first[0]:] if first else []


def test_print_page_numbers():
    """Page numbers start at 1 on every sheet."""
    doc = printed(WORKBOOKS[0])
    nums = page_numbers(doc)
    if None in nums:
        return f"a page without its number: {nums.index(None) + 1}"
    starts = [i for i, n in enumerate(nums) if n == 1]
    runs = [nums[a:b] for a, b in zip(starts, starts[1:] + [len(nums)])]
    if len(starts) != 2 or any(r != list(range(1, len(r) + 1)) for r in runs):
        return f"page numbers {nums[:3]} ... {nums[-3:]}, starting {len(starts)} times"
    return None


UNIT_NAMES = re.findall(r'<unit [^>]*name="([^"]+)"',
                        open(SAMPLE[0], encoding="utf-8").read())


def test_print_readable_statistics():
    """The statistics sheet prints its type at 8 points or more, its
    heading rows and its name column on every page."""
    pages = statistics_pages(printed(WORKBOOKS[0]))
    if not pages:
        return "no page of the statistics sheet"
    small, bare = [], []
    for page in pages:
        text = page.get_text()
        for b in page.get_text("dict")["blocks"]:
            for line in b.get("lines", []):
                for s in line["spans"]:
                    if s["text"].strip() and s["size"] < 7.95:
                        small.append((page.number + 1, round(s["size"], 1), s["text"]))
        if "Tên đơn vị" not in text or not (
                any(u in text for u in UNIT_NAMES) or "Tổng cộng" in text):
            bare.append(page.number + 1)
    if small:
        return f"{len(small)} spans under 8 pt, as {small[:3]}"
    return f"pages without headings or unit names: {bare}" if bare else None


def signatures_alone(doc):
    """Pages where the signers stand without a row of the table."""
    out = []
    for page in doc:
        text = page.get_text()
        if "NGƯỜI LẬP" in text and "Tổng cộng" not in text and \
                not re.search(r"^Cộng$", text, re.M):
            out.append(page.number + 1)
    return out


def test_print_signatures_with_rows():
    """No page holds only the signatures: in every workbook the signers'
    page carries the last rows of the table, whatever the number of rows
    (rosters of 1 to 60 cadres put the page end everywhere)."""
    for p in WORKBOOKS[:3]:
        alone = signatures_alone(printed(p))
        if alone:
            return f"{os.path.basename(p)}: signatures alone on pages {alone}"
    for p in MANY:
        doc = printed(p)
        alone = signatures_alone(doc)
        if alone:
            return f"{os.path.basename(p)}: signatures alone on pages {alone} of {len(doc)}"
        if "NGƯỜI LẬP BIỂU" not in doc[-1].get_text():
            return f"{os.path.basename(p)}: the signers are not on the last page"
    return None


def test_print_cadre_sheet():
    """The cadre sheet prints one page across at 8 points or more, its
    headings on every page."""
    doc = printed(WORKBOOKS[0])
    stats = {p.number for p in statistics_pages(doc)}
    pages = [p for p in doc if p.number not in stats]
    for page in pages:
        text = page.get_text()
        if "Họ và tên" not in text or "Tuổi" not in text:
            return f"page {page.number + 1}: headings {text[:80]!r}"
        sizes = [s["size"] for b in page.get_text("dict")["blocks"]
                 for line in b.get("lines", []) for s in line["spans"]
                 if s["text"].strip()]
        if min(sizes) < 7.95:
            return f"page {page.number + 1}: type of {min(sizes):.1f} pt"
    return None


for name, fn in [("recalc-demo-libreoffice", test_recalc_demo_libreoffice),
                 ("recalc-demo-gnumeric", test_recalc_demo_gnumeric),
                 ("recalc-sorted", test_recalc_sorted),
                 ("recalc-province", test_recalc_province),
                 ("print-page-numbers", test_print_page_numbers),
                 ("print-readable-statistics", test_print_readable_statistics),
                 ("print-cadre-sheet", test_print_cadre_sheet),
                 ("print-signatures-with-rows", test_print_signatures_with_rows)]:
    check(name, fn)

shutil.rmtree(TMP, ignore_errors=True)
sys.exit(VERDICTS.status())
