#!/usr/bin/python3
"""Output tests of the certificate register: cadre-cert --register-db and
cadre-register, read back with independent readers (the sqlite3 command
and Python's sqlite3 module, sha256sum's hashlib, openpyxl).  Several runs
at once, runs killed with SIGKILL at random moments, reissue and
revocation, and registers that are missing, damaged, of another program or
of a newer cadrekit.  Prints "ok NAME" / "FAIL NAME" lines (tests/run).
"""
import hashlib
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time

import openpyxl

from verdicts import Verdicts

TOP = os.environ.get("CADRE_TOP") or os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("CADRE_BIN") or os.path.join(TOP, "build", "bin")
CERT = os.path.join(BIN, "cadre-cert")
REG = os.path.join(BIN, "cadre-register")

v = Verdicts("register")
report = v.report

# Given names, one per graduate: the Vietnamese order of names is the
# order of numbering within a course.
GIVEN = ["An", "Ánh", "Bảo", "Dũng", "Đức", "Giang", "Hà", "Khải", "Lan",
         "Minh", "Nguyệt", "Phúc", "Quang", "Sỹ", "Thắng", "Uyên", "Vân",
         "Xuân", "Yến", "Ý"]


def records(path, courses, rename=None, numbers=None):
    """Records of `courses` [(id, graduates)], every course trung cấp of
    one organiser ending 2019-06-28; cadre K-i of course K is
    'Nguyễn Văn GIVEN[i]'.  rename maps cadre ids to other names, numbers
    cadre ids to a certificate-no."""
    rename = rename or {}
    numbers = numbers or {}
    cadres, parts = [], []
    for cid, n in courses:
        ps = []
        for i in range(n):
            kid = f"{cid}-{i}"
            name = rename.get(kid, f"Nguyễn Văn {GIVEN[i % len(GIVEN)]}"
                                   + (f" {i // len(GIVEN)}" if i >= len(GIVEN) else ""))
            cadres.append(
                f'<cadre id="{kid}" unit="U"><full-name>{name}</full-name>'
                f'<gender>{"nu" if i % 2 else "nam"}</gender>'
                f'<birth-date>{1970 + i % 30}-0{1 + i % 9}-1{i % 10}</birth-date>'
                f'<ethnicity>Tày</ethnicity><category>cong-chuc</category>'
                f'<education>dai-hoc</education>'
                f'<political-theory>trung-cap</political-theory></cadre>')
            no = f' certificate-no="{numbers[kid]}"' if kid in numbers else ""
            ps.append(f'<participant cadre="{kid}" status="completed" '
                      f'grade="kha"{no}/>')
        parts.append(
            f'<course id="{cid}" type="trung-cap-llct-hc" start="2018-03-05" '
            f'end="2019-06-28"><title>Trung cấp lý luận chính trị – hành '
            f'chính, lớp {cid}</title><organizer>Trung tâm Bồi dưỡng chính '
            f'trị huyện Đình Lập</organizer><signer title="GIÁM ĐỐC">Hoàng '
            f'Văn Minh</signer>{"".join(ps)}</course>')
    with open(path, "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<records version="1" '
                'issuer="Huyện ủy Đình Lập" place="Đình Lập"><units><unit '
                'id="U" name="Ban Tổ chức Huyện ủy" level="huyen"/></units>'
                f'<cadres>{"".join(cadres)}</cadres><courses>'
                f'{"".join(parts)}</courses></records>\n')
    return path


def run(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, **kw)


def cert(reg, course, out, recs, *more, epoch=None):
    """cadre-cert through the register; `epoch` sets SOURCE_DATE_EPOCH,
    which dates unregistered PDFs: a registered one must not depend on it
    (nor on the clock)."""
    env = dict(os.environ)
    env.pop("SOURCE_DATE_EPOCH", None)
    if epoch is not None:
        env["SOURCE_DATE_EPOCH"] = str(epoch)
    return run([CERT, "--course", course, "-o", out, "--register-db", reg]
               + list(more) + [recs], env=env)


def listing(reg):
    """The rows of `cadre-register REG list` as dicts, and the result."""
    r = run([REG, reg, "list"])
    lines = r.stdout.splitlines()
    if not lines:
        return [], r
    head = lines[0].split("\t")
    return [dict(zip(head, l.split("\t"))) for l in lines[1:]], r


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def entries(reg):
    """number -> (status, file_name, dir, sha256), read with sqlite3."""
    con = sqlite3.connect(reg)
    try:
        return {r[0]: r[1:] for r in con.execute(
            "SELECT number, status, file_name, dir, sha256 FROM entry")}
    finally:
        con.close()


def integrity(reg):
    r = run(["sqlite3", reg, "PRAGMA integrity_check"])
    return r.stdout.strip()


def new_register(tmp, name="so.sqlite"):
    path = os.path.join(tmp, name)
    r = run([REG, path, "create"])
    assert r.returncode == 0, r.stderr
    return path


def seq_of(number):
    return int(number.split("/")[0])


# --------------------------------------------------------------- tests --

def test_issue_twice(tmp):
    """Issue a course, then again into another folder: the same numbers
    and byte-identical PDFs whose SHA-256 the register stored."""
    recs = records(os.path.join(tmp, "r.xml"), [("K1", 6)],
                   numbers={"K1-2": "1/2019/CC"})
    reg = new_register(tmp)
    ino = os.stat(reg).st_ino
    a, b = os.path.join(tmp, "a"), os.path.join(tmp, "b")
    r1 = cert(reg, "K1", a, recs)
    rows1, _ = listing(reg)
    r2 = cert(reg, "K1", b, recs, epoch=1234567890)
    rows2, _ = listing(reg)
    report("register-updated-in-place", os.stat(reg).st_ino == ino and
           len(rows1) == 6 and integrity(reg) == "ok", str(rows1))
    files_a, files_b = sorted(os.listdir(a)), sorted(os.listdir(b))
    same = files_a == files_b and all(
        open(os.path.join(a, f), "rb").read() == open(os.path.join(b, f), "rb").read()
        for f in files_a)
    report("issue-twice-byte-identical", r1.returncode == 0 and
           r2.returncode == 0 and same and len(files_a) == 6 and rows1 == rows2,
           f"{r1.stderr}{r2.stderr} {files_a} {files_b}")
    e = entries(reg)
    hashes = {f: sha256(os.path.join(a, f)) for f in files_a}
    stored = {x[1]: x[3] for x in e.values()}
    report("stored-hash-is-sha256sum", stored == hashes,
           f"{stored} {hashes}")
    # the records' number is kept; the pattern skips it: 1 is DL's own
    nums = sorted(seq_of(r["number"]) for r in rows1)
    regs = sorted(int(r["register number"].split("/")[0]) for r in rows1)
    report("numbers-consecutive-skipping-the-records'",
           nums == [1, 2, 3, 4, 5, 6] and regs == [1, 2, 3, 4, 5, 6] and
           any(r["cadre id"] == "K1-2" and r["number"] == "1/2019/CC"
               for r in rows1), str(rows1))
    report("list-header", _.stdout.split("\n")[0] ==
           "number\tregister number\tcadre id\tfull name\tbirth date\t"
           "course id\tissued\tstatus", _.stdout[:200])
    # the XLSX register of today, from the register
    x = os.path.join(tmp, "so.xlsx")
    r = cert(reg, "K1", b, recs, "--register", x)
    ws = openpyxl.load_workbook(x).active
    cells = [c for row in ws.iter_rows(values_only=True) for c in row]
    report("xlsx-register-from-database", r.returncode == 0 and
           all(row["number"] in cells for row in rows1), r.stderr)


def test_reissue(tmp):
    """A corrected name is refused, then reissued under a new number; the
    appendix says so, read back with openpyxl."""
    recs = records(os.path.join(tmp, "r.xml"), [("K1", 3)])
    reg = new_register(tmp)
    out = os.path.join(tmp, "out")
    cert(reg, "K1", out, recs)
    before = entries(reg)
    files = sorted(os.listdir(out))
    fixed = records(os.path.join(tmp, "fixed.xml"), [("K1", 3)],
                    rename={"K1-1": "Nguyễn Thị Ánh Tuyết"})
    r = cert(reg, "K1", out, fixed)
    report("changed-name-refused", r.returncode == 1 and
           "2/2019/CC" in r.stderr and "Nguyễn Văn Ánh" in r.stderr and
           "Nguyễn Thị Ánh Tuyết" in r.stderr and "--reissue" in r.stderr and
           entries(reg) == before and sorted(os.listdir(out)) == files,
           r.stderr)
    r = cert(reg, "K1", out, fixed, "--reissue", "--reason",
             "Sửa họ tên theo giấy khai sinh", "--decision",
             "25/QĐ-TTBD ngày 05/7/2019", "--date", "2019-07-05")
    rows, _ = listing(reg)
    status = {row["number"]: row["status"] for row in rows}
    report("reissue", r.returncode == 0 and status == {
        "1/2019/CC": "issued", "2/2019/CC": "replaced", "3/2019/CC": "issued",
        "4/2019/CC": "issued"}, f"{r.stderr} {rows}")
    x = os.path.join(tmp, "so.xlsx")
    r = run([REG, reg, "export", "-o", x])
    wb = openpyxl.load_workbook(x)
    app = [row for row in wb["Phụ lục"].iter_rows(values_only=True)
           if row[0] == 1]
    want = ("Cấp lại", "Nguyễn Thị Ánh Tuyết", "2/2019/CC", "2/2019",
            "4/2019/CC", "4/2019", "Sửa họ tên theo giấy khai sinh",
            "25/QĐ-TTBD ngày 05/7/2019")
    got = app[0][2:4] + app[0][5:] if app else None
    report("reissue-in-appendix", r.returncode == 0 and len(app) == 1 and
           got == want and app[0][1].date().isoformat() == "2019-07-05",
           f"{r.stderr} {app}")
    book = {row[8]: row for row in wb["Sổ gốc"].iter_rows(values_only=True)
            if isinstance(row[0], int)}
    report("reissue-in-book", book.get("2/2019/CC", ())[12:] ==
           ("Đã cấp lại, số 4/2019/CC",) and
           book.get("4/2019/CC", ())[12:] == ("Cấp lại thay số 2/2019/CC",) and
           book["4/2019/CC"][1] == "Nguyễn Thị Ánh Tuyết", str(book))
    r = cert(reg, "K1", out, fixed)
    report("after-reissue-idempotent", r.returncode == 0 and
           listing(reg)[0] == rows, r.stderr)
    # --register FILE.xlsx lists what the database holds as issued, not
    # what this run issued (one cadre): the reissued certificate under
    # its new number, the replaced one gone
    x = os.path.join(tmp, "so-cap.xlsx")
    r = cert(reg, "K1", out, fixed, "--cadre", "K1-0", "--register", x)
    ws = openpyxl.load_workbook(x).active
    got = {row[2]: row[1] for row in ws.iter_rows(values_only=True)
           if isinstance(row[0], int)}
    report("xlsx-register-after-reissue", r.returncode == 0 and got == {
        "Nguyễn Văn An": "1/2019/CC", "Nguyễn Thị Ánh Tuyết": "4/2019/CC",
        "Nguyễn Văn Bảo": "3/2019/CC"}, f"{r.stderr} {got}")


def test_revoke(tmp):
    recs = records(os.path.join(tmp, "r.xml"), [("K1", 3)])
    reg = new_register(tmp)
    out = os.path.join(tmp, "out")
    cert(reg, "K1", out, recs)
    r = run([REG, reg, "revoke", "2/2019/CC", "--reason", "Hồ sơ không hợp lệ",
             "--decision", "30/QĐ-TTBD ngày 10/7/2019", "--date", "2019-07-10"])
    rows, _ = listing(reg)
    report("revoke-in-list", r.returncode == 0 and
           [row["status"] for row in rows] == ["issued", "revoked", "issued"],
           r.stderr + str(rows))
    x = os.path.join(tmp, "so.xlsx")
    run([REG, reg, "export", "-o", x])
    wb = openpyxl.load_workbook(x)
    book = [row for row in wb["Sổ gốc"].iter_rows(values_only=True)
            if row[0] == 2]
    app = [row for row in wb["Phụ lục"].iter_rows(values_only=True)
           if row[0] == 1]
    report("revoke-in-export", book and book[0][12] ==
           "Đã thu hồi ngày 10/07/2019" and app and app[0][2] == "Thu hồi" and
           app[0][5] == "2/2019/CC" and app[0][9:] ==
           ("Hồ sơ không hợp lệ", "30/QĐ-TTBD ngày 10/7/2019"),
           f"{book} {app}")
    # Gnumeric, an independent reader, shows the same: one CSV per sheet
    csv = os.path.join(tmp, "so.csv")
    g = run(["ssconvert", "-S", x, csv])
    sheets = [open(f"{csv}.{k}", encoding="utf-8").read()
              if os.path.exists(f"{csv}.{k}") else "" for k in (0, 1)]
    report("revoke-in-gnumeric", g.returncode == 0 and
           '"Đã thu hồi ngày 10/07/2019"' in sheets[0] and
           "Thu hồi" in sheets[1] and "Hồ sơ không hợp lệ" in sheets[1],
           g.stderr + sheets[0][-400:])
    r = run([REG, reg, "revoke", "1/2019/CC", "--reason", "  ", "--decision", "y"])
    r2 = run([REG, reg, "revoke", "1/2019/CC", "--reason", "a\nb", "--decision", "y"])
    report("revoke-reason-checked", r.returncode == 1 and
           "the reason is empty" in r.stderr and r2.returncode == 1 and
           "line break" in r2.stderr and
           listing(reg)[0][0]["status"] == "issued", r.stderr + r2.stderr)
    r = run([REG, reg, "revoke", "2/2019/CC", "--reason", "x", "--decision", "y"])
    r2 = run([REG, reg, "revoke", "9/2019/CC", "--reason", "x", "--decision", "y"])
    report("revoke-refused", r.returncode == 1 and "is revoked" in r.stderr and
           r2.returncode == 1 and "no certificate '9/2019/CC'" in r2.stderr,
           r.stderr + r2.stderr)
    r = cert(reg, "K1", out, recs)
    report("revoked-not-issued-again", r.returncode == 1 and
           "2/2019/CC" in r.stderr and "revoked" in r.stderr, r.stderr)
    r = cert(reg, "K1", out, recs, "--reissue", "--reason", "Hồ sơ bổ sung",
             "--decision", "31/QĐ-TTBD", "--date", "2019-08-01")
    rows, _ = listing(reg)
    x2 = os.path.join(tmp, "so2.xlsx")
    run([REG, reg, "export", "-o", x2])
    app = [row for row in openpyxl.load_workbook(x2)["Phụ lục"].iter_rows(
        values_only=True) if row[0] == 2]
    report("revoked-reissued", r.returncode == 0 and
           [(row["number"], row["status"]) for row in rows] ==
           [("1/2019/CC", "issued"), ("2/2019/CC", "revoked"),
            ("3/2019/CC", "issued"), ("4/2019/CC", "issued")] and
           rows[3]["issued"] == "2019-08-01" and app and
           app[0][2] == "Cấp lại" and app[0][5] == "2/2019/CC" and
           app[0][7] == "4/2019/CC", r.stderr + str(rows) + str(app))


BOOK_HEADINGS = ("STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc",
                 "Chương trình", "Thời gian", "Xếp loại", "Số hiệu",
                 "Số vào sổ", "Số và ngày quyết định", "Ngày cấp",
                 "Tình trạng")
APPENDIX_HEADINGS = ("STT", "Ngày", "Nội dung", "Họ và tên", "Ngày sinh",
                     "Số hiệu cũ", "Số vào sổ cũ", "Số hiệu mới",
                     "Số vào sổ mới", "Lý do", "Số và ngày quyết định")


def test_export(tmp):
    """The sổ gốc in its official columns, read back with openpyxl: the
    headings of both sheets, every cell of a row, dates as dates, A4
    landscape with the headings on every page."""
    recs = records(os.path.join(tmp, "r.xml"), [("K1", 2)])
    reg = new_register(tmp)
    r = cert(reg, "K1", os.path.join(tmp, "out"), recs, "--decision",
             "125/QĐ-TTBD ngày 28/6/2019")
    x = os.path.join(tmp, "so.xlsx")
    r2 = run([REG, reg, "export", "-o", x])
    wb = openpyxl.load_workbook(x)
    book, app = wb["Sổ gốc"], wb["Phụ lục"]
    rows = list(book.iter_rows(values_only=True))
    heads = [row for row in rows if row[0] == "STT"]
    report("export-official-columns", r.returncode == 0 and
           r2.returncode == 0 and wb.sheetnames == ["Sổ gốc", "Phụ lục"] and
           heads == [BOOK_HEADINGS] and
           [row for row in app.iter_rows(values_only=True)
            if row[0] == "STT"] == [APPENDIX_HEADINGS],
           r.stderr + r2.stderr + str(heads))
    first = [row for row in rows if row[0] == 1]
    want = (1, "Nguyễn Văn An", "1970-01-10", "Nam", "Tày",
            "Trung cấp lý luận chính trị – hành chính, lớp K1",
            "05/03/2018 – 28/06/2019", "Khá", "1/2019/CC", "1/2019",
            "125/QĐ-TTBD ngày 28/6/2019", "2019-06-28", "Đã cấp")
    got = tuple(c.date().isoformat() if hasattr(c, "date") else c
                for c in first[0]) if first else None
    report("export-row", got == want and
           book.cell(8, 3).number_format == "dd/mm/yyyy", str(got))
    printed = [(ws.page_setup.orientation, ws.page_setup.paperSize,
                ws.print_title_rows) for ws in (book, app)]
    report("export-prints-a4-landscape", printed ==
           [("landscape", 9, "$7:$7")] * 2, str(printed))


def test_migration(tmp):
    """A register of an older schema (version 0: cadrekit's, with no
    tables yet) is migrated when opened, in place; its version is then
    CADRE_REGISTER_SCHEMA."""
    old = os.path.join(tmp, "old.sqlite")
    con = sqlite3.connect(old)
    con.execute("PRAGMA application_id = 1667527271")  # "cdrg"
    con.execute("CREATE TABLE keep (x)")  # a file SQLite writes out
    con.commit()
    con.close()
    ino = os.stat(old).st_ino
    r = run([REG, old, "list"])
    con = sqlite3.connect(old)
    version = con.execute("PRAGMA user_version").fetchone()[0]
    tables = sorted(t for (t,) in con.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'"))
    con.close()
    report("schema-migrated", r.returncode == 0 and version == 1 and
           tables == ["appendix", "entry", "keep", "meta", "run"] and
           os.stat(old).st_ino == ino and r.stdout.startswith("number\t"),
           f"{r.stderr} {version} {tables}")


def test_demo(tmp):
    """make demo's part for the register (samples/demo.d/37-register.sh):
    the sample course issued twice through a register, unchanged."""
    samples = os.path.join(TOP, "samples")
    env = dict(os.environ, BIN=BIN, SAMPLES=samples, OUT=tmp,
               RECORDS=f"{samples}/dinh-lap/cadres.xml "
                       f"{samples}/dinh-lap/courses.xml")
    r = run(["sh", "-euc", '. "$SAMPLES/demo.d/37-register.sh"'], env=env)
    rows, _ = listing(os.path.join(tmp, "so-goc.sqlite"))
    report("demo-issues-twice-unchanged", r.returncode == 0 and
           f"issued twice: the same {len(rows)} numbers, the same bytes"
           in r.stdout and len(rows) > 60 and
           f"{len(rows)} files: {len(rows)} as issued, 0 changed, 0 unknown"
           in r.stdout, r.stdout[-400:] + r.stderr[-400:])


def test_check(tmp):
    recs = records(os.path.join(tmp, "r.xml"), [("K1", 3)])
    reg = new_register(tmp)
    out = os.path.join(tmp, "out")
    cert(reg, "K1", out, recs)
    r = run([REG, reg, "check", out])
    report("check-clean", r.returncode == 0 and
           "3 files: 3 as issued, 0 changed, 0 unknown" in r.stdout, r.stdout + r.stderr)
    names = sorted(os.listdir(out))
    with open(os.path.join(out, names[1]), "r+b") as f:
        f.seek(400)
        f.write(b"X")
    with open(os.path.join(out, "khac.pdf"), "wb") as f:
        f.write(b"%PDF-1.4 not ours\n")
    r = run([REG, reg, "check", out])
    report("check-names-changed-and-unknown", r.returncode == 1 and
           f"{names[1]}: changed" in r.stdout and "khac.pdf: unknown" in r.stdout
           and "4 files: 2 as issued, 1 changed, 1 unknown" in r.stdout,
           r.stdout + r.stderr)
    r = cert(reg, "K1", out, recs)
    r2 = run([REG, reg, "check", out])
    report("rerun-mends-a-changed-file", r.returncode == 0 and
           "1 unknown" in r2.stdout and "0 changed" in r2.stdout, r2.stdout)
    # not a PDF, made to be unknown: out of the PDFs poppler must read
    os.remove(os.path.join(out, "khac.pdf"))


def test_import(tmp):
    recs = records(os.path.join(tmp, "r.xml"), [("K1", 3), ("K2", 2)],
                   numbers={"K1-0": "120/2018/CC", "K1-1": "121/2018/CC",
                            "K2-1": "5/2019/CC"})
    reg = new_register(tmp)
    r = run([REG, reg, "import", recs])
    r2 = run([REG, reg, "import", recs])
    rows, _ = listing(reg)
    report("import", r.returncode == 0 and "3 numbers entered" in r.stdout and
           r2.returncode == 0 and "0 numbers entered, 3 already" in r2.stdout and
           sorted(row["number"] for row in rows) ==
           ["120/2018/CC", "121/2018/CC", "5/2019/CC"] and
           all(row["status"] == "issued" for row in rows),
           r.stdout + r.stderr + r2.stderr)
    out = os.path.join(tmp, "out")
    r = cert(reg, "K1", out, recs)
    rows, _ = listing(reg)
    got = sorted(row["number"] for row in rows if row["course id"] == "K1")
    report("imported-numbers-kept-new-drawn", r.returncode == 0 and
           got == ["1/2019/CC", "120/2018/CC", "121/2018/CC"] and
           run([REG, reg, "check", out]).returncode == 0, r.stderr + str(got))
    # an imported certificate has no PDF to compare: its fields are
    moved = open(recs, encoding="utf-8").read().replace(
        "1970-01-10", "1970-01-11")
    with open(os.path.join(tmp, "moved.xml"), "w", encoding="utf-8") as f:
        f.write(moved)
    r = run([CERT, "--course", "K1", "-o", os.path.join(tmp, "o2"),
             "--register-db", reg, os.path.join(tmp, "moved.xml")])
    report("imported-field-change-refused", r.returncode == 1 and
           "120/2018/CC" in r.stderr and "birth date '1970-01-10'" in r.stderr
           and "'1970-01-11'" in r.stderr, r.stderr)
    other = records(os.path.join(tmp, "o.xml"), [("K1", 3)],
                    numbers={"K1-0": "999/2018/CC"})
    r = run([REG, reg, "import", other])
    report("import-conflict-refused", r.returncode == 1 and
           "999/2018/CC" in r.stderr and "120/2018/CC" in r.stderr and
           len(listing(reg)[0]) == 4, r.stderr)


def test_concurrent(tmp):
    """8 runs at once on one register, each its own course: every number
    drawn once, 1 to 40 with none skipped."""
    courses = [(f"C{k}", 5) for k in range(8)]
    recs = records(os.path.join(tmp, "r.xml"), courses)
    reg = new_register(tmp)
    out = os.path.join(tmp, "out")
    procs = [subprocess.Popen([CERT, "--course", c, "-o", out, "--register-db",
                               reg, recs], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
             for c, _ in courses]
    errs = [p.communicate()[1] for p in procs]
    codes = [p.returncode for p in procs]
    rows, _ = listing(reg)
    nums = sorted(seq_of(r["number"]) for r in rows)
    regs = sorted(int(r["register number"].split("/")[0]) for r in rows)
    report("concurrent-numbers-unique-consecutive",
           codes == [0] * 8 and nums == list(range(1, 41)) and
           regs == list(range(1, 41)), f"{codes} {errs} {nums}")
    r = run([REG, reg, "check", out])
    report("concurrent-check-clean", r.returncode == 0 and
           integrity(reg) == "ok" and len(os.listdir(out)) == 40,
           r.stdout[-300:] + integrity(reg))


def test_same_course_at_once(tmp):
    """3 runs of one course at once: each certificate is drawn by one run;
    a run that finds another drawing them says so, once, and writes
    nothing."""
    recs = records(os.path.join(tmp, "r.xml"), [("K1", 30)])
    reg = new_register(tmp)
    out = os.path.join(tmp, "out")
    procs = [subprocess.Popen([CERT, "--course", "K1", "-o", out,
                               "--register-db", reg, recs],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for _ in range(3)]
    errs = [p.communicate()[1] for p in procs]
    ok = all(p.returncode == 0 or (
        p.returncode == 1 and e.count("\n") == 1 and
        "are being issued by another process at this moment" in e)
        for p, e in zip(procs, errs))
    rows, _ = listing(reg)
    nums = sorted(seq_of(r["number"]) for r in rows)
    report("same-course-at-once", ok and nums == list(range(1, 31)) and
           run([REG, reg, "check", out]).returncode == 0, f"{errs} {nums}")


def test_killed(tmp):
    """20 runs killed with SIGKILL at random moments: after each, the
    register (opened again) is whole, every number it holds has its PDF
    and every PDF its number; a last run completes the numbering."""
    courses = [(f"C{k}", 12) for k in range(4)]
    recs = records(os.path.join(tmp, "r.xml"), courses)
    reg = new_register(tmp)
    out = os.path.join(tmp, "out")
    # how long a whole run takes, to kill within it
    t0 = time.monotonic()
    cert(reg, "C0", out, recs)
    span = time.monotonic() - t0
    rng = random.Random(15)
    bad, killed = [], 0
    for k in range(20):
        course = courses[k % 4][0]
        # every other run with two writing processes, killed with it
        p = subprocess.Popen([CERT, "--course", course, "-o", out, "-j",
                              str(1 + k % 2), "--register-db", reg, recs],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(rng.uniform(0, span * 1.1))
        if p.poll() is None:
            p.kill()
            killed += 1
        p.wait()
        r = run([REG, reg, "check", out])  # opens it: settles the dead run
        e = entries(reg)
        ok = integrity(reg) == "ok" and r.returncode == 0 and all(
            st == "issued" and os.path.isfile(os.path.join(d, f)) and
            sha256(os.path.join(d, f)) == h for st, f, d, h in e.values())
        hidden = [f for f in os.listdir(out) if f.startswith(".")]
        if not ok or hidden:
            bad.append((k, r.stdout[-200:], r.stderr[-200:], hidden,
                        integrity(reg)))
    for course, _ in courses:
        cert(reg, course, out, recs)
    rows, _ = listing(reg)
    nums = sorted(seq_of(r["number"]) for r in rows)
    report("killed-runs-leave-it-consistent", not bad and killed >= 5,
           f"{killed} killed; {bad[:3]}")
    report("killed-runs-skip-no-number", nums == list(range(1, 49)) and
           run([REG, reg, "check", out]).returncode == 0 and
           len([f for f in os.listdir(out) if f.endswith(".pdf")]) == 48,
           str(nums))


def test_sealed(tmp):
    """Sealed certificates (--sign-key) through the register: the seal is
    made from the register's numbers, so a rerun gives the same bytes and a
    reissued certificate verifies under its new number."""
    keys = os.path.join(tmp, "keys")
    r = run([os.path.join(BIN, "cadre-keys"), "generate", "-o", keys])
    key = [os.path.join(keys, f) for f in os.listdir(keys) if f.endswith(".key")]
    recs = records(os.path.join(tmp, "r.xml"), [("K1", 3)],
                   numbers={"K1-2": "1/2019/CC"})
    reg = new_register(tmp)
    a, b = os.path.join(tmp, "a"), os.path.join(tmp, "b")
    r1 = cert(reg, "K1", a, recs, "--sign-key", key[0])
    r2 = cert(reg, "K1", b, recs, "--sign-key", key[0], epoch=1234567890)
    same = sorted(os.listdir(a)) == sorted(os.listdir(b)) and all(
        sha256(os.path.join(a, f)) == sha256(os.path.join(b, f))
        for f in os.listdir(a))
    report("sealed-rerun-byte-identical", r1.returncode == 0 and
           r2.returncode == 0 and same, r1.stderr + r2.stderr)
    fixed = records(os.path.join(tmp, "fixed.xml"), [("K1", 3)],
                    numbers={"K1-2": "1/2019/CC"},
                    rename={"K1-0": "Nguyễn Văn An Khang"})
    r = cert(reg, "K1", a, fixed, "--sign-key", key[0], "--reissue",
             "--reason", "Sửa tên", "--decision", "1/QĐ", "--date", "2019-08-01")
    new = [f for f in os.listdir(a) if f.startswith("4-2019-CC")]
    out = run([os.path.join(BIN, "cadre-verify"), "--trusted", keys,
               os.path.join(a, new[0])]).stdout if new else ""
    report("sealed-reissue-verifies-under-new-number", r.returncode == 0 and
           "valid" in out and "4/2019/CC" in out and
           "Nguyễn Văn An Khang" in out and "01/08/2019" in out,
           r.stderr + out)


def test_bad_registers(tmp):
    recs = records(os.path.join(tmp, "r.xml"), [("K1", 2)])
    out = os.path.join(tmp, "out")
    missing = os.path.join(tmp, "none.sqlite")
    r = cert(missing, "K1", out, recs)
    report("missing-register", r.returncode == 2 and
           f"cannot open register '{missing}': No such file or directory" in r.stderr
           and "create" in r.stderr and not os.path.exists(missing) and
           not os.path.exists(out), r.stderr)
    text = os.path.join(tmp, "text.sqlite")
    with open(text, "w") as f:
        f.write("không phải cơ sở dữ liệu\n" * 100)
    other = os.path.join(tmp, "other.sqlite")
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    future = new_register(tmp, "future.sqlite")
    run(["sqlite3", future, "PRAGMA user_version = 7"])
    damaged = new_register(tmp, "damaged.sqlite")
    with open(damaged, "r+b") as f:  # the schema, on page 1 after the header
        f.seek(120)
        f.write(b"\xff" * 3000)
    empty = os.path.join(tmp, "empty.sqlite")
    open(empty, "w").close()
    cases = [("not-a-database", text, "is not a register: file is not a database"),
             ("another-programs-database", other, "an SQLite database of another program"),
             ("schema-from-the-future", future, "schema version 7, newer than this cadrekit knows (1)"),
             ("damaged-register", damaged, "is damaged"),
             ("empty-file", empty, "is not a register: it is empty")]
    for name, path, msg in cases:
        before = open(path, "rb").read()
        r = cert(path, "K1", out, recs)
        r2 = run([REG, path, "list"])
        report(name, r.returncode == 2 and msg in r.stderr and
               r2.returncode == 2 and msg in r2.stderr and r2.stdout == "" and
               open(path, "rb").read() == before and not os.path.exists(out),
               r.stderr + r2.stderr)
    reg = new_register(tmp, "ok.sqlite")
    before = open(reg, "rb").read()
    r = cert(reg, "K1", out, recs, "--combined", reg)
    report("register-never-an-output", r.returncode == 1 and
           f"cannot write '{reg}'" in r.stderr and
           open(reg, "rb").read() == before and not os.path.exists(out),
           r.stderr)
    r = run([REG, reg, "create"])
    report("create-never-replaces", r.returncode == 1 and
           "exists" in r.stderr and open(reg, "rb").read() == before, r.stderr)


def test_usage(tmp):
    recs = records(os.path.join(tmp, "r.xml"), [("K1", 2)])
    reg = new_register(tmp)
    cases = [
        ("db-without-dir", [CERT, "--course", "K1", "--combined", "x.pdf",
                            "--register-db", reg, recs], "needs -o DIR"),
        ("reissue-without-reason", [CERT, "--course", "K1", "-o", "o",
                                    "--register-db", reg, "--reissue",
                                    "--decision", "d", recs],
         "--reissue needs --reason and --decision"),
        ("reason-without-reissue", [CERT, "--course", "K1", "-o", "o",
                                    "--register-db", reg, "--reason", "r", recs],
         "go with --reissue"),
        ("decision-without-register", [CERT, "--course", "K1", "-o", "o",
                                       "--decision", "d", recs],
         "need --register-db"),
        ("bad-date", [CERT, "--course", "K1", "-o", "o", "--register-db", reg,
                      "--reissue", "--reason", "r", "--decision", "d",
                      "--date", "2019-02-30", recs], "bad --date"),
        ("register-no-command", [REG, reg], "no command given"),
        ("register-unknown-command", [REG, reg, "frob"], "unknown command 'frob'"),
        ("revoke-without-decision", [REG, reg, "revoke", "1/2019/CC",
                                     "--reason", "r"], "--decision"),
        ("export-without-output", [REG, reg, "export"], "-o FILE.xlsx"),
    ]
    for name, args, msg in cases:
        r = run(args, cwd=tmp)
        report("usage-" + name, r.returncode == 2 and msg in r.stderr and
               "usage:" in r.stderr and not os.path.exists(os.path.join(tmp, "o")),
               r.stderr[:300])


def main():
    for t in (test_issue_twice, test_reissue, test_revoke, test_export,
              test_migration, test_demo, test_check,
              test_import, test_concurrent, test_same_course_at_once,
              test_killed, test_sealed,
              test_bad_registers,
              test_usage):
        with tempfile.TemporaryDirectory() as tmp:
            try:
                t(tmp)
            except Exception as e:  # a crash of the test is a failure
                report(t.__name__, False, f"{type(e).__name__}: {e}")
            v.poppler_clean(tmp, f"poppler-clean-{t.__name__[5:]}", optional=True)
    return v.status()


if __name__ == "__main__":
    sys.exit(main())
