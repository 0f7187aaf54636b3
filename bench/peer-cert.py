#!/usr/bin/python3
"""The ReportLab peer of cadre-cert (make bench, issue 6): the shipped A4
GIẤY CHỨNG NHẬN (templates/cert/a4.xml) drawn with Debian's
python3-reportlab and the same Noto Serif faces cadre-cert embeds.

    peer-cert.py --course ID --fonts DIR RECORDS.xml --combined OUT.pdf
    peer-cert.py --course ID --fonts DIR RECORDS.xml -o OUTDIR
    peer-cert.py --course ID --fonts DIR RECORDS.xml --texts OUT.tsv

Reads the records with xml.etree.iterparse, takes everyone who completed
the course, in Vietnamese name order, and draws per person the template's
page: the ornate frame (rules, a chain of dots, corner pieces), a faint
circle and star behind the text, the organiser (under its governing
body when the records name one) and the national title, the title, the person, the course, the grade, place
and date, the signer, the number, the cadre's id and a QR code of
"number | name | course | date".  Texts are centred in the template's
boxes and shrink down to the template's min-size when too wide.
--combined writes one PDF, -o one PDF per person; --texts writes the texts
of every page (one line each, tab-separated) for bench/floor-cert.c.
"""
import math
import os
import sys
import unicodedata

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vi  # noqa: E402

MM = 72 / 25.4
PAGE_W, PAGE_H = 297, 210

# the template's boxes: x, y, w, h (mm from the top left), align, face,
# size, min-size, colour; the text is the field of the same index in
# texts() (the order floor-cert.c uses too)
BOXES = [
    (22, 22, 116, 6, "c", "R", 12, 12, 0x1A1A1A),       # 0 governing body (may be empty)
    (22, 28, 116, 6, "c", "B", 12, 9, 0x1A1A1A),        # 1 organizer
    (150, 21.5, 128, 6.5, "c", "B", 12.5, 10, 0x1A1A1A),  # 2 national title
    (150, 28, 128, 7, "c", "B", 13.5, 13.5, 0x1A1A1A),  # 3 motto
    (40, 42, 217, 16, "c", "B", 32, 32, 0xA11A1A),      # 4 GIẤY CHỨNG NHẬN
    (40, 65.5, 217, 7.5, "c", "I", 15, 15, 0x1A1A1A),   # 5 Chứng nhận Ông:
    (30, 73, 237, 13, "c", "B", 24, 14, 0x8B1A1A),      # 6 NAME
    (30, 88, 237, 7, "c", "R", 14, 10, 0x1A1A1A),       # 7 birth, unit
    (40, 97, 217, 7, "c", "R", 14, 14, 0x1A1A1A),       # 8 Đã hoàn thành
    (30, 104, 237, 14, "c", "B", 16, 13, 0x1A1A1A),     # 9 course title
    (30, 119, 237, 7, "c", "R", 14, 10, 0x1A1A1A),      # 10 Từ ... đến ...
    (40, 127, 217, 7, "c", "R", 14, 14, 0x1A1A1A),      # 11 Xếp loại (may be empty)
    (152, 139, 124, 7, "c", "I", 14, 10, 0x1A1A1A),     # 12 place, date
    (152, 146, 124, 13, "c", "B", 14, 10, 0x1A1A1A),    # 13 signer's title
    (152, 180, 124, 8, "c", "B", 15, 10, 0x1A1A1A),     # 14 signer
    (56, 164, 80, 7, "l", "R", 13, 9, 0x1A1A1A),        # 15 Số: number
    (56, 171, 80, 6, "l", "I", 11, 8, 0x1A1A1A),        # 16 Mã học viên
]
QR = (24, 142, 30)
FACES = {"R": "NotoSerif-Regular", "B": "NotoSerif-Bold", "I": "NotoSerif-Italic"}


def fold(s):
    """ASCII file-name part: letters and digits, '-' between words"""
    s = unicodedata.normalize("NFD", s.replace("Đ", "D").replace("đ", "d"))
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    out, dash = [], False
    for ch in s:
        if ch.isascii() and ch.isalnum():
            out.append(ch)
            dash = False
        elif not dash and out:
            out.append("-")
            dash = True
    return "".join(out).strip("-")


def certificates(path, course_id):
    """[(file base, pdf title, [17 texts], qr payload)] in name order"""
    root, units, cadres, course = {}, {}, {}, None
    for kind, d in vi.iterrecords(path):
        if kind == "root":
            root = d
        elif kind == "unit":
            units[d["id"]] = vi.nfc(d["name"])
        elif kind == "cadre":
            cadres[d["id"]] = d
        elif kind == "course" and d["id"] == course_id:
            course = d
    if course is None:
        sys.exit("peer-cert: no course %s" % course_id)
    out = []
    grads = [p for p in course["participants"] if p.get("status") == "completed"]
    grads.sort(key=lambda p: vi.name_key(vi.nfc(cadres[p["cadre"]]["full-name"]), p["cadre"]))
    place = vi.nfc(root.get("place", ""))
    organizer = vi.nfc(course.get("organizer", "")).upper()
    # above the organiser its governing body, nothing when the records name
    # none (issue 12: not the records' issuer)
    governing = vi.nfc(course.get("governing-body", "")).upper()
    title = vi.nfc(course.get("title", ""))
    span = "Từ %s đến %s" % (vi.dmy_words(course["start"]), vi.dmy_words(course["end"]))
    stitle = vi.nfc(course.get("signer-title") or "GIÁM ĐỐC")
    signer = vi.nfc(course.get("signer", ""))
    for seq, p in enumerate(grads, 1):
        c = cadres[p["cadre"]]
        name = vi.nfc(c["full-name"])
        issued = p.get("issued", course["end"])
        number = p.get("certificate-no") or "%d/%s/CC" % (seq, issued[:4])
        texts = [
            governing, organizer, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
            "GIẤY CHỨNG NHẬN", "Chứng nhận %s:" % ("Bà" if c.get("gender") == "nu" else "Ông"),
            name.upper(),
            "Sinh ngày: %s     Đơn vị công tác: %s" % (vi.dmy(c.get("birth-date", "")),
                                                        units.get(c["unit"], "")),
            "Đã hoàn thành chương trình:", title, span,
            "Xếp loại: %s" % vi.LABELS["grade"][p["grade"]] if p.get("grade") else "",
            "%s, %s" % (place, vi.dmy_words(issued)), stitle, signer,
            "Số: %s" % number, "Mã học viên: %s" % p["cadre"],
        ]
        qr = "%s | %s | %s | %s" % (number, name, course_id, issued)
        base = "%s_%s" % (fold(number)[:40], fold(name)[:60])
        out.append((base, "Giấy chứng nhận %s – %s" % (number, name), texts, qr))
    return out


class Drawer:
    def __init__(self, fonts):
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont
        for f in FACES.values():
            pdfmetrics.registerFont(TTFont(f, os.path.join(fonts, f + ".ttf")))
        self.width = pdfmetrics.stringWidth

    def page(self, cv, texts, qr):
        from reportlab.graphics.barcode import qrencoder
        from reportlab.lib.colors import HexColor

        def Y(y):
            return (PAGE_H - y) * MM

        red, gold = HexColor(0x8B1A1A), HexColor(0xB8860B)

        def star(cx, cy, r, fill):  # five points, inner radius 0.382 r
            p = cv.beginPath()
            for k in range(10):
                a = -math.pi / 2 + k * math.pi / 5
                rr = r if k % 2 == 0 else r * 0.382
                px, py = (cx + rr * math.cos(a)) * MM, Y(cy + rr * math.sin(a))
                p.moveTo(px, py) if k == 0 else p.lineTo(px, py)
            p.close()
            cv.setFillColor(fill)
            cv.drawPath(p, stroke=0, fill=1)
        # the frame
        x, y, w, h = 8, 8, 281, 194
        cv.setStrokeColor(red)
        for inset, lw in ((0, 2), (1.8, 0.5), (8.4, 0.5), (9.4, 1.2)):
            cv.setLineWidth(lw)
            cv.rect((x + inset) * MM, Y(y + h - inset), (w - 2 * inset) * MM,
                    (h - 2 * inset) * MM, stroke=1, fill=0)
        cv.setFillColor(gold)
        bx, by, bw, bh = x + 5.2, y + 5.2, w - 10.4, h - 10.4
        nx, ny = int(bw // 3.2), int(bh // 3.2)
        for i in range(nx + 1):
            for yy in (by, by + bh):
                cv.circle((bx + i * bw / nx) * MM, Y(yy), 0.55 * MM, stroke=0, fill=1)
        for j in range(1, ny):
            for xx in (bx, bx + bw):
                cv.circle(xx * MM, Y(by + j * bh / ny), 0.55 * MM, stroke=0, fill=1)
        cv.setLineWidth(0.8)
        for cx in (bx, bx + bw):
            for cy in (by, by + bh):
                cv.setFillColorRGB(1, 1, 1)
                cv.rect((cx - 3.2) * MM, Y(cy + 3.2), 6.4 * MM, 6.4 * MM, stroke=1, fill=1)
                cv.setFillColor(gold)
                p = cv.beginPath()
                p.moveTo(cx * MM, Y(cy - 2.4))
                p.lineTo((cx + 2.4) * MM, Y(cy))
                p.lineTo(cx * MM, Y(cy + 2.4))
                p.lineTo((cx - 2.4) * MM, Y(cy))
                p.close()
                cv.drawPath(p, stroke=0, fill=1)
        # the faint star behind the text
        cv.setStrokeColor(HexColor(0xF1E6CC))
        cv.setLineWidth(1.2)
        cv.circle(148.5 * MM, Y(112), 52 * MM, stroke=1, fill=0)
        star(148.5, 114, 46, HexColor(0xFAF4E6))
        # rules and the star
        cv.setStrokeColor(HexColor(0x1A1A1A))
        cv.setLineWidth(0.6)
        cv.line(65 * MM, Y(36.5), 95 * MM, Y(36.5))
        cv.line(185 * MM, Y(36.5), 243 * MM, Y(36.5))
        cv.setStrokeColor(gold)
        cv.setLineWidth(0.8)
        cv.line(110 * MM, Y(61), 143 * MM, Y(61))
        cv.line(154 * MM, Y(61), 187 * MM, Y(61))
        star(148.5, 61, 2.6, gold)
        # the texts
        for (bx, by, bw, bh, al, face, size, minsize, color), t in zip(BOXES, texts):
            if not t:
                continue
            font = FACES[face]
            tw = self.width(t, font, size)
            while tw > bw * MM and size > minsize:
                size = max(minsize, size - 0.5)
                tw = self.width(t, font, size)
            cv.setFont(font, size)
            cv.setFillColor(HexColor(color))
            base = Y(by + bh / 2) - 0.35 * size
            if al == "c":
                cv.drawCentredString((bx + bw / 2) * MM, base, t)
            else:
                cv.drawString(bx * MM, base, t)
        # the QR code: ReportLab's encoder (the one its QrCodeWidget uses),
        # the runs of dark modules as one filled path (the widget's own
        # drawing makes a shape object per run: 0.25 s a page)
        qx, qy, qs = QR
        code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
        code.addData(qr)
        code.make()
        n = code.getModuleCount()
        m = qs * MM / (n + 6)
        cv.setFillColorRGB(1, 1, 1)
        cv.rect(qx * MM, Y(qy + qs), qs * MM, qs * MM, stroke=0, fill=1)
        cv.setFillColor(HexColor(0x1A1A1A))
        p = cv.beginPath()
        x0, y0 = qx * MM + 3 * m, Y(qy) - 3 * m
        for r, row in enumerate(code.modules):
            c = 0
            while c < n:
                if not row[c]:
                    c += 1
                    continue
                start = c
                while c < n and row[c]:
                    c += 1
                p.rect(x0 + start * m, y0 - (r + 1) * m, (c - start) * m, m)
        cv.drawPath(p, stroke=0, fill=1)
        cv.showPage()


def main(argv):
    import argparse
    ap = argparse.ArgumentParser()
    ap.add_argument("--course", required=True)
    ap.add_argument("--fonts", required=True)
    ap.add_argument("--combined")
    ap.add_argument("-o", dest="dir")
    ap.add_argument("--texts")
    ap.add_argument("records")
    a = ap.parse_args(argv)
    certs = certificates(a.records, a.course)
    if a.texts:
        with open(a.texts, "w", encoding="utf-8", newline="\n") as f:
            for base, title, texts, qr in certs:
                f.write("\t".join([base, title] + texts + [qr]) + "\n")
        return
    from reportlab.pdfgen import canvas
    from reportlab.lib.pagesizes import A4, landscape
    dr = Drawer(a.fonts)
    if a.combined:
        cv = canvas.Canvas(a.combined, pagesize=landscape(A4), pageCompression=1)
        cv.setTitle("Giấy chứng nhận – %s" % a.course)
        for base, title, texts, qr in certs:
            dr.page(cv, texts, qr)
        cv.save()
    if a.dir:
        os.makedirs(a.dir, exist_ok=True)
        for base, title, texts, qr in certs:
            cv = canvas.Canvas(os.path.join(a.dir, base + ".pdf"), pagesize=landscape(A4),
                               pageCompression=1)
            cv.setTitle(title)
            dr.page(cv, texts, qr)
            cv.save()


if __name__ == "__main__":
    main(sys.argv[1:])
