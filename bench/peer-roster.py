#!/usr/bin/python3
"""The Python peer of cadre-roster's province export (make bench, issue 6):
what a clerk's Python script would do with Debian's python3-xlsxwriter.

    peer-roster.py RECORDS.xml -o OUT.xlsx      the workbook (constant_memory)
    peer-roster.py RECORDS.xml --cells OUT.tsv  the same cells as text, for
                                                bench/floor-roster.c

Reads the records with xml.etree.iterparse, keeps every cadre, groups them
by unit in file order, sorts each unit's cadres in Vietnamese name order and
writes the cadre sheet of templates/roster/cadres.xml: the title block, the
column headings, one row per cadre, unit after unit with no row between
them (so sort and filter see data rows only; 15 columns: STT counted
through the sheet, name, birth date as a date or a year-only date as the
text the person reads, gender, ethnicity, position, unit id, unit name,
category, education, political theory, state management, party member,
leader, age on the as-of date), then one "Cộng" row per unit whose COUNTIFS
counts its rows by unit id (names repeat across districts), a "Tổng cộng"
row with COUNTA over the data rows, the place-date line and the signers.
Formulas carry their values.  Empty fields are blank cells with the
column's format.
The statistics sheet (one row per unit, 300 rows) is left out here and in
the floor.
"""
import datetime
import sys

sys.path.insert(0, __import__("os").path.dirname(__file__))
import vi  # noqa: E402

HEADINGS = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Chức vụ", "Mã đơn vị",
            "Đơn vị", "Đối tượng", "Trình độ chuyên môn", "Lý luận chính trị",
            "Quản lý nhà nước", "Đảng viên", "Lãnh đạo, quản lý", "Tuổi"]
WIDTHS = [8.3, 16.3, 12.3, 5.9, 9, 22.7, 12.7, 20.7, 10.4, 15.7, 15.7, 16.3, 7.1, 7.1, 6.3]
NCOLS = len(HEADINGS)
FIRST = 8          # the first data row, 1-based (row 7 holds the headings)
TITLE_HEIGHTS = [(0, 17), (1, 17), (3, 19), (6, 50.5)]
SIGN_ROWS = 4      # empty rows of 18 pt under the signers: room to sign
LEFT, RIGHT, WHOLE = range(0, 6), range(7, NCOLS), range(0, NCOLS)


def read(path):
    root, units, by_unit = {}, [], {}
    L = vi.LABELS
    intern = sys.intern
    asof = None
    for kind, d in vi.iterrecords(path):
        if kind == "root":
            root = d
            a = d.get("as-of", "2024-12-31")
            asof = (int(a[0:4]), int(a[5:7]), int(a[8:10]))
        elif kind == "unit":
            units.append(d)
            by_unit[d["id"]] = []
        elif kind == "cadre":
            b = d.get("birth-date", "")
            if len(b) == 10:
                by, bm, bd = int(b[0:4]), int(b[5:7]), int(b[8:10])
                birth = datetime.date(by, bm, bd)
                age = asof[0] - by - ((asof[1], asof[2]) < (bm, bd))
            elif len(b) == 4:
                birth = b
                age = asof[0] - int(b)
            else:
                birth, age = None, None
            name = vi.nfc(d.get("full-name", ""))
            row = (name, birth, L["gender"].get(d.get("gender")),
                   intern(d["ethnicity"]) if "ethnicity" in d else None,
                   intern(d["position"]) if "position" in d else None,
                   L["category"].get(d.get("category")), L["education"].get(d.get("education")),
                   L["political-theory"].get(d.get("political-theory")),
                   L["state-management"][d.get("state-management", "chua-dao-tao")],
                   "Có" if d.get("party-member") else "Không",
                   "Có" if d.get("leader") == "true" else "Không", age, d["id"])
            by_unit[d["unit"]].append(row)
    return root, units, by_unit, asof


def groups(units, by_unit):
    """(unit id, unit name, sorted rows) in file order of the units"""
    for u in units:
        rows = by_unit[u["id"]]
        if not rows:
            continue
        rows.sort(key=lambda r: vi.name_key(r[0], r[12]))
        yield u["id"], vi.nfc(u["name"]), rows


def title_rows(root, asof):
    """(row, [(col, text or "" for a blank cell of a merged range)])"""
    def row(r, cols, texts):
        return (r, [(c, texts.get(c, "")) for c in cols])
    return [
        row(0, list(LEFT) + list(RIGHT), {0: vi.nfc(root.get("issuer", "")).upper(),
                                          7: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"}),
        row(1, list(LEFT) + list(RIGHT), {7: "Độc lập - Tự do - Hạnh phúc"}),
        row(3, WHOLE, {0: "DANH SÁCH CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC"}),
        row(4, WHOLE, {0: "Tính đến ngày %02d/%02d/%04d" % (asof[2], asof[1], asof[0])}),
        row(5, WHOLE, {0: "Đơn vị tính: người"}),
    ]


def footer_rows(root, asof, r):
    """the place-date line and the signers, under the grand total at row r"""
    return [
        (r + 2, [(c, "%s, ngày %02d tháng %s năm %d" % (
            vi.nfc(root.get("place", "")), asof[2], "%02d" % asof[1] if asof[1] < 3 else asof[1],
            asof[0]) if c == 7 else "") for c in RIGHT]),
        (r + 3, [(c, {0: "NGƯỜI LẬP BIỂU", 7: "THỦ TRƯỞNG ĐƠN VỊ"}.get(c, ""))
                 for c in list(LEFT) + list(RIGHT)]),
    ]


def unit_total(uid, last):
    return 'COUNTIFS(G%d:G%d,"=%s",A%d:A%d,"<>")' % (FIRST, last, uid, FIRST, last)


def write_xlsx(path, root, units, by_unit, asof):
    import xlsxwriter
    wb = xlsxwriter.Workbook(path, {"constant_memory": True})
    ws = wb.add_worksheet("Danh sách CBCCVC")
    bold_c = wb.add_format({"bold": True, "align": "center"})
    head = wb.add_format({"bold": True, "align": "center", "valign": "vcenter",
                          "text_wrap": True, "border": 1})
    num = wb.add_format({"align": "right", "border": 1})
    text = wb.add_format({"border": 1})
    ctext = wb.add_format({"align": "center", "border": 1})
    date = wb.add_format({"num_format": "dd/mm/yyyy", "align": "center", "border": 1})
    total = wb.add_format({"bold": True, "align": "center", "border": 1})
    total_n = wb.add_format({"bold": True, "align": "right", "border": 1})
    total_l = wb.add_format({"bold": True, "border": 1})
    for i, w in enumerate(WIDTHS):
        ws.set_column(i, i, w)
    ws.freeze_panes(7, 2)
    ws.set_landscape()
    ws.set_paper(9)
    ws.repeat_rows(6)
    ws.set_footer("&CTrang &P")
    for r, h in TITLE_HEIGHTS:
        ws.set_row(r, h)
    for r, cells in title_rows(root, asof):
        for c, s in cells:
            if s:
                ws.write_string(r, c, s, bold_c)
            else:
                ws.write_blank(r, c, None, bold_c)
    ws.write_row(6, 0, HEADINGS, head)
    fmts = [num, text, date, ctext, ctext, text, ctext, text, ctext, ctext, ctext, ctext,
            ctext, ctext, num]
    r, seq, done = FIRST - 1, 0, []
    for uid, uname, rows in groups(units, by_unit):
        for row in rows:
            seq += 1
            ws.write_number(r, 0, seq, num)
            ws.write_string(r, 1, row[0], text)
            b = row[1]
            if b is None:
                ws.write_blank(r, 2, None, date)
            elif isinstance(b, str):
                ws.write_string(r, 2, b, date)
            else:
                ws.write_datetime(r, 2, b, date)
            for c, v in enumerate((row[2], row[3], row[4], uid, uname, row[5], row[6], row[7],
                                   row[8], row[9], row[10]), 3):
                if v is None:
                    ws.write_blank(r, c, None, fmts[c])
                else:
                    ws.write_string(r, c, v, fmts[c])
            if row[11] is None:
                ws.write_blank(r, 14, None, num)
            else:
                ws.write_number(r, 14, row[11], num)
            r += 1
        done.append((uid, uname, len(rows)))
    last = r
    for uid, uname, n in done:
        ws.write_formula(r, 0, "=" + unit_total(uid, last), total_n, n)
        ws.write_string(r, 1, "Cộng", total_l)
        for c in range(2, 6):
            ws.write_blank(r, c, None, total)
        ws.write_string(r, 6, uid, ctext)
        ws.write_string(r, 7, uname, text)
        for c in range(8, NCOLS):
            ws.write_blank(r, c, None, total)
        r += 1
    ws.write_formula(r, 0, "=COUNTA(A%d:A%d)" % (FIRST, last), total_n, seq)
    ws.write_string(r, 1, "Tổng cộng", total_l)
    for c in range(2, NCOLS):
        ws.write_blank(r, c, None, total)
    for fr, cells in footer_rows(root, asof, r):
        for c, s in cells:
            if s:
                ws.write_string(fr, c, s, bold_c)
            else:
                ws.write_blank(fr, c, None, bold_c)
    for i in range(SIGN_ROWS):
        ws.set_row(r + 4 + i, 18)
    wb.close()


def write_cells(path, root, units, by_unit, asof):
    """One line per row: kind, then the cells.  C seq, name, birth (D +
    Excel serial, Y + the year as text, or empty), the 11 texts of columns
    D-N, age | U count, unit id, unit name, formula (a unit's "Cộng") | G
    count, formula (the grand total) | A row, then (column, text) pairs:
    the title block and the footer, "" for a blank cell | R row, height:
    the empty rows left to sign in."""
    epoch = datetime.date(1899, 12, 30)
    out = open(path, "w", encoding="utf-8", newline="\n")
    w = out.write
    for r, cells in title_rows(root, asof):
        w("A\t%d\t%s\n" % (r, "\t".join("%d\t%s" % c for c in cells)))
    r, seq, done = FIRST - 1, 0, []
    for uid, uname, rows in groups(units, by_unit):
        for row in rows:
            seq += 1
            b = row[1]
            bs = "" if b is None else ("Y" + b if isinstance(b, str) else "D%d" % (b - epoch).days)
            w("C\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n" % (
                seq, row[0], bs, "\t".join(v or "" for v in row[2:5]), uid, uname,
                "\t".join(v or "" for v in row[5:11]), "" if row[11] is None else row[11]))
            r += 1
        done.append((uid, uname, len(rows)))
    last = r
    for uid, uname, n in done:
        w("U\t%d\t%s\t%s\t=%s\n" % (n, uid, uname, unit_total(uid, last)))
        r += 1
    w("G\t%d\t=COUNTA(A%d:A%d)\n" % (seq, FIRST, last))
    for fr, cells in footer_rows(root, asof, r):
        w("A\t%d\t%s\n" % (fr, "\t".join("%d\t%s" % c for c in cells)))
    for i in range(SIGN_ROWS):
        w("R\t%d\t18\n" % (r + 4 + i))
    out.close()


def main(argv):
    if len(argv) != 4 or argv[2] not in ("-o", "--cells"):
        sys.exit("usage: peer-roster.py RECORDS.xml (-o OUT.xlsx | --cells OUT.tsv)")
    data = read(argv[1])
    (write_xlsx if argv[2] == "-o" else write_cells)(argv[3], *data)


if __name__ == "__main__":
    main(sys.argv)
