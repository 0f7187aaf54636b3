#!/usr/bin/python3
"""The Python peer of cadre-roster's province export (make bench, issue 6):
what a clerk's Python script would do with Debian's python3-xlsxwriter.

    peer-roster.py RECORDS.xml -o OUT.xlsx      the workbook (constant_memory)
    peer-roster.py RECORDS.xml --cells OUT.tsv  the same cells as text, for
                                                bench/floor-roster.c

Reads the records with xml.etree.iterparse, keeps every cadre, groups them
by unit in file order, sorts each unit's cadres in Vietnamese name order and
writes the cadre sheet of templates/roster/cadres.xml: the title block, the
column headings, then per unit a heading row, one row per cadre (13 columns:
STT, name, birth date as a date or a year-only number, gender, ethnicity,
position, unit, category, education, political theory, state management,
party member, age on the as-of date) and a "Cộng" row with a COUNTA formula
and its value; a "Tổng cộng" row, the place-date line and the signers.
Empty fields are blank cells with the column's format.
The statistics sheet (one row per unit, 300 rows) is left out here and in
the floor.
"""
import datetime
import sys

sys.path.insert(0, __import__("os").path.dirname(__file__))
import vi  # noqa: E402

HEADINGS = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Chức vụ", "Đơn vị",
            "Đối tượng", "Trình độ chuyên môn", "Lý luận chính trị", "Quản lý nhà nước",
            "Đảng viên", "Tuổi"]
WIDTHS = [9.7, 22.3, 12.7, 6, 9.3, 30.7, 28.7, 10.7, 16, 16, 18.7, 7.6, 6.1]


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
                birth = int(b)
                age = asof[0] - birth
            else:
                birth, age = None, None
            name = vi.nfc(d.get("full-name", ""))
            row = (name, birth, L["gender"].get(d.get("gender")),
                   intern(d["ethnicity"]) if "ethnicity" in d else None,
                   intern(d["position"]) if "position" in d else None,
                   L["category"].get(d.get("category")), L["education"].get(d.get("education")),
                   L["political-theory"].get(d.get("political-theory")),
                   L["state-management"][d.get("state-management", "chua-dao-tao")],
                   "Có" if d.get("party-member") else "Không", age, d["id"])
            by_unit[d["unit"]].append(row)
    return root, units, by_unit, asof


def groups(units, by_unit):
    """(unit name, sorted rows) in file order of the units"""
    for u in units:
        rows = by_unit[u["id"]]
        if not rows:
            continue
        rows.sort(key=lambda r: vi.name_key(r[0], r[11]))
        yield vi.nfc(u["name"]), rows


def title_rows(root, asof):
    """(row, [(col, text or "" for a blank cell of a merged range)])"""
    left, right, whole = range(0, 5), range(6, 13), range(0, 13)

    def row(r, cols, texts):
        return (r, [(c, texts.get(c, "")) for c in cols])
    return [
        row(0, list(left) + list(right), {0: vi.nfc(root.get("issuer", "")).upper(),
                                          6: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"}),
        row(1, list(left) + list(right), {6: "Độc lập - Tự do - Hạnh phúc"}),
        row(3, whole, {0: "DANH SÁCH CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC"}),
        row(4, whole, {0: "Tính đến ngày %02d/%02d/%04d" % (asof[2], asof[1], asof[0])}),
        row(5, whole, {0: "Đơn vị tính: người"}),
    ]


def footer_rows(root, asof, r):
    """the place-date line and the signers, under the grand total at row r"""
    left, right = range(0, 5), range(6, 13)
    return [
        (r + 2, [(c, "%s, ngày %02d tháng %s năm %d" % (
            vi.nfc(root.get("place", "")), asof[2], "%02d" % asof[1] if asof[1] < 3 else asof[1],
            asof[0]) if c == 6 else "") for c in right]),
        (r + 3, [(c, {0: "NGƯỜI LẬP BIỂU", 6: "THỦ TRƯỞNG ĐƠN VỊ"}.get(c, ""))
                 for c in list(left) + list(right)]),
    ]


def write_xlsx(path, root, units, by_unit, asof):
    import xlsxwriter
    wb = xlsxwriter.Workbook(path, {"constant_memory": True})
    ws = wb.add_worksheet("Danh sách CBCCVC")
    bold_c = wb.add_format({"bold": True, "align": "center"})
    head = wb.add_format({"bold": True, "align": "center", "valign": "vcenter",
                          "text_wrap": True, "border": 1})
    group = wb.add_format({"bold": True, "border": 1})
    num = wb.add_format({"align": "center", "border": 1})
    text = wb.add_format({"border": 1})
    ctext = wb.add_format({"align": "center", "border": 1})
    date = wb.add_format({"num_format": "dd/mm/yyyy", "align": "center", "border": 1})
    year = wb.add_format({"num_format": "0", "align": "center", "border": 1})
    total = wb.add_format({"bold": True, "align": "center", "border": 1})
    total_l = wb.add_format({"bold": True, "border": 1})
    for i, w in enumerate(WIDTHS):
        ws.set_column(i, i, w)
    ws.freeze_panes(7, 0)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(6)
    ws.set_footer("&CTrang &P/&N")
    for r, cells in title_rows(root, asof):
        for c, s in cells:
            if s:
                ws.write_string(r, c, s, bold_c)
            else:
                ws.write_blank(r, c, None, bold_c)
    ws.write_row(6, 0, HEADINGS, head)
    fmts = [num, text, None, ctext, ctext, text, text, ctext, ctext, ctext, ctext, ctext, num]
    r, ranges, count = 7, [], 0
    for uname, rows in groups(units, by_unit):
        ws.write_string(r, 0, uname, group)
        for c in range(1, 13):
            ws.write_blank(r, c, None, group)
        r += 1
        first = r
        for seq, row in enumerate(rows, 1):
            ws.write_number(r, 0, seq, num)
            ws.write_string(r, 1, row[0], text)
            b = row[1]
            if b is None:
                ws.write_blank(r, 2, None, date)
            elif isinstance(b, int):
                ws.write_number(r, 2, b, year)
            else:
                ws.write_datetime(r, 2, b, date)
            for c, v in enumerate((row[2], row[3], row[4], uname, row[5], row[6], row[7],
                                   row[8], row[9]), 3):
                if v is None:
                    ws.write_blank(r, c, None, fmts[c])
                else:
                    ws.write_string(r, c, v, fmts[c])
            if row[10] is None:
                ws.write_blank(r, 12, None, num)
            else:
                ws.write_number(r, 12, row[10], num)
            r += 1
        ws.write_formula(r, 0, "COUNTA(A%d:A%d)" % (first + 1, r), total, len(rows))
        ws.write_string(r, 1, "Cộng", total_l)
        for c in range(2, 13):
            ws.write_blank(r, c, None, total)
        ranges.append("A%d:A%d" % (first + 1, r))
        count += len(rows)
        r += 1
    ws.write_formula(r, 0, "COUNTA(%s)" % ",".join(ranges), total, count)
    ws.write_string(r, 1, "Tổng cộng", total_l)
    for c in range(2, 13):
        ws.write_blank(r, c, None, total)
    for fr, cells in footer_rows(root, asof, r):
        for c, s in cells:
            if s:
                ws.write_string(fr, c, s, bold_c)
            else:
                ws.write_blank(fr, c, None, bold_c)
    wb.close()


def write_cells(path, root, units, by_unit, asof):
    """One line per row: kind, then the cells.  H unit-name | C seq, name,
    birth (D + Excel serial, Y + year, or empty), the 8 texts of columns
    D-K, party, age | T count, first row, last row (1-based) | G count,
    formula (the grand total) | A row, then (column, text) pairs: the title
    block and the footer, "" for a blank cell."""
    epoch = datetime.date(1899, 12, 30)
    out = open(path, "w", encoding="utf-8", newline="\n")
    w = out.write
    ranges, count = [], 0
    for r, cells in title_rows(root, asof):
        w("A\t%d\t%s\n" % (r, "\t".join("%d\t%s" % c for c in cells)))
    r = 7
    for uname, rows in groups(units, by_unit):
        w("H\t%s\n" % uname)
        r += 1
        first = r
        for seq, row in enumerate(rows, 1):
            b = row[1]
            bs = "" if b is None else ("Y%d" % b if isinstance(b, int) else "D%d" % (b - epoch).days)
            w("C\t%d\t%s\t%s\t%s\t%s\t%s\t%s\n" % (
                seq, row[0], bs, "\t".join(v or "" for v in row[2:5]), uname,
                "\t".join(v or "" for v in row[5:10]), "" if row[10] is None else row[10]))
            r += 1
        w("T\t%d\t%d\t%d\n" % (len(rows), first + 1, r))
        ranges.append("A%d:A%d" % (first + 1, r))
        count += len(rows)
        r += 1
    w("G\t%d\tCOUNTA(%s)\n" % (count, ",".join(ranges)))
    for fr, cells in footer_rows(root, asof, r):
        w("A\t%d\t%s\n" % (fr, "\t".join("%d\t%s" % c for c in cells)))
    out.close()


def main(argv):
    if len(argv) != 4 or argv[2] not in ("-o", "--cells"):
        sys.exit("usage: peer-roster.py RECORDS.xml (-o OUT.xlsx | --cells OUT.tsv)")
    data = read(argv[1])
    (write_xlsx if argv[2] == "-o" else write_cells)(argv[3], *data)


if __name__ == "__main__":
    main(sys.argv)
