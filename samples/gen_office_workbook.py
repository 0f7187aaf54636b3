#!/usr/bin/python3
"""Write the sample district's personnel list as an office keeps it in
Excel: a workbook made by openpyxl (a writer that is not ours), for
cadre-import to read in `make demo`.

    samples/gen_office_workbook.py OUT.xlsx

The same people as samples/dinh-lap/cadres.xml, laid out the way a Phòng
Nội vụ types them: the issuing body and the national title over the
table, "Tính đến ngày 31/12/2018", headings over two rows with merged
parents ("Ngày, tháng, năm sinh" over Nam | Nữ, "Trình độ" over three
columns, "Đối tượng" over CB | CC | VC), a row of column numbers, group
rows instead of a unit column (I. CẤP HUYỆN over "1. Văn phòng Huyện ủy"
...), a "Cộng" row under each unit, and the signatures; values as people
write them (ĐH, "Đại học Luật", "Cử nhân", CVC, x, dates as date cells,
a few as text, a year alone).
"""
import datetime
import os
import sys
import xml.etree.ElementTree as ET

import openpyxl
from openpyxl.styles import Alignment, Border, Font, Side

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CADRES = os.path.join(TOP, "samples", "dinh-lap", "cadres.xml")

EDU = {"tien-si": ["Tiến sĩ", "TS"], "thac-si": ["Thạc sĩ", "ThS"],
       "dai-hoc": ["Đại học", "ĐH", "Đại học Luật", "Cử nhân Kinh tế",
                   "Kỹ sư Nông nghiệp", "ĐH Sư phạm"],
       "cao-dang": ["Cao đẳng", "CĐ"], "trung-cap": ["Trung cấp", "TC"],
       "so-cap": ["Sơ cấp"], "chua-dao-tao": ["", "Chưa qua đào tạo"]}
POL = {"cu-nhan": ["Cử nhân"], "cao-cap": ["Cao cấp", "CC"],
       "trung-cap": ["Trung cấp", "TC"], "so-cap": ["Sơ cấp", "SC"],
       "chua-dao-tao": ["", "Chưa"]}
QLNN = {"chuyen-vien-cao-cap": ["CVCC"], "chuyen-vien-chinh": ["CVC",
        "Chuyên viên chính"], "chuyen-vien": ["CV", "Chuyên viên"],
        "can-su": ["Cán sự"], "chua-dao-tao": ["", "Chưa qua bồi dưỡng"]}
CATEGORY = ["can-bo", "cong-chuc", "vien-chuc"]


def main(out):
    root = ET.parse(CADRES).getroot()
    units = [u.attrib for u in root.iter("unit")]
    people = {}
    for c in root.iter("cadre"):
        people.setdefault(c.get("unit"), []).append(c)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Danh sách CBCCVC"
    bold = Font(name="Times New Roman", bold=True, size=12)
    plain = Font(name="Times New Roman", size=12)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    last = "O"

    def title(row, text, cols, font=bold):
        c = ws[cols.split(":")[0]]
        c.value, c.font, c.alignment = text, font, center
        ws.merge_cells(cols)

    title(1, root.get("issuer").upper(), "A1:E1")
    title(1, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "H1:O1")
    title(2, "Độc lập - Tự do - Hạnh phúc", "H2:O2")
    title(4, "DANH SÁCH CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC", f"A4:{last}4")
    title(5, "Tính đến ngày 31/12/2018", f"A5:{last}5",
          Font(name="Times New Roman", italic=True, size=12))
    ws["N6"] = "Đơn vị tính: người"
    h1 = ["STT", "Họ và tên", "Ngày, tháng, năm sinh", None, "Dân tộc",
          "Chức vụ", "Đối tượng", None, None, "Trình độ", None, None,
          "Đảng viên", "Lãnh đạo, quản lý", "Ghi chú"]
    h2 = [None, None, "Nam", "Nữ", None, None, "CB", "CC", "VC",
          "Chuyên môn", "LLCT", "QLNN", None, None, None]
    for r, row in ((7, h1), (8, h2)):
        for k, v in enumerate(row, 1):
            c = ws.cell(row=r, column=k, value=v)
            c.font, c.alignment, c.border = bold, center, box
    for rng in ["A7:A8", "B7:B8", "C7:D7", "E7:E8", "F7:F8", "G7:I7",
                "J7:L7", "M7:M8", "N7:N8", "O7:O8"]:
        ws.merge_cells(rng)
    for k in range(1, 16):
        c = ws.cell(row=9, column=k, value=f"({k})")
        c.alignment, c.border = center, box
    r = 10
    levels = [("huyen", "I. CẤP HUYỆN"), ("xa", "II. CẤP XÃ, THỊ TRẤN")]
    turn = 0
    for level, heading in levels:
        ws.cell(row=r, column=1, value=heading).font = bold
        ws.merge_cells(f"A{r}:{last}{r}")
        r += 1
        n = 0
        for u in units:
            members = people.get(u["id"], [])
            if u["level"] != level or not members:
                continue
            n += 1
            ws.cell(row=r, column=1, value=f"{n}. {u['name']}").font = bold
            ws.merge_cells(f"A{r}:{last}{r}")
            r += 1
            for k, c in enumerate(members, 1):
                turn += 1
                get = {e.tag: (e.text or "") for e in c}
                birth = get["birth-date"]
                if len(birth) == 4:
                    born = birth if turn % 2 else int(birth)
                else:
                    d = datetime.date.fromisoformat(birth)
                    born = d if turn % 7 else d.strftime("%d/%m/%Y")
                male = get["gender"] == "nam"
                cat = CATEGORY.index(get["category"])
                edu = EDU[get["education"]][turn % len(EDU[get["education"]])]
                pol = POL[get["political-theory"]][
                    turn % len(POL[get["political-theory"]])]
                qm = get.get("state-management", "chua-dao-tao")
                qlnn = QLNN[qm][turn % len(QLNN[qm])]
                row = [k, get["full-name"], born if male else None,
                       None if male else born, get.get("ethnicity"),
                       get.get("position"),
                       "x" if cat == 0 else None, "x" if cat == 1 else None,
                       "x" if cat == 2 else None, edu, pol, qlnn,
                       "x" if c.find("party-member") is not None else None,
                       "x" if c.get("leader") == "true" else None, None]
                for j, v in enumerate(row, 1):
                    cell = ws.cell(row=r, column=j, value=v)
                    cell.font, cell.border = plain, box
                    if isinstance(v, datetime.date):
                        cell.number_format = "dd/mm/yyyy"
                r += 1
            ws.cell(row=r, column=2, value="Cộng").font = bold
            ws.cell(row=r, column=3, value=len(members)).font = bold
            r += 1
    r += 1
    ws.cell(row=r, column=10, value="Đình Lập, ngày 05 tháng 01 năm 2019")
    r += 1
    ws.cell(row=r, column=2, value="NGƯỜI LẬP BIỂU").font = bold
    ws.cell(row=r, column=10, value="TRƯỞNG BAN").font = bold
    r += 4
    ws.cell(row=r, column=2, value="Hoàng Thị Lan")
    ws.cell(row=r, column=10, value=root.get("signer"))
    ws.column_dimensions["B"].width = 26
    ws.column_dimensions["F"].width = 30
    wb.properties.creator = "Phòng Nội vụ"
    wb.properties.created = datetime.datetime(2019, 1, 5)
    wb.properties.modified = datetime.datetime(2019, 1, 5)
    wb.save(out)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: samples/gen_office_workbook.py OUT.xlsx")
    main(sys.argv[1])
