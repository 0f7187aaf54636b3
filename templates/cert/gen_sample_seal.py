#!/usr/bin/python3
"""Draw the sample seal and signature images of the a4-ky-so template.

    templates/cert/gen_sample_seal.py [--out DIR]

writes DIR/mau-con-dau.png (a red round seal, 36 mm) and DIR/mau-chu-ky.png
(a blue hand signature), both PNG with a transparent background, as
Nghị định 30/2020, Phụ lục I asks of the images of a digital signature
(DIR defaults to this script's folder).  They are samples: the seal says
"CON DẤU MẪU – KHÔNG CÓ GIÁ TRỊ" around its ring and "MẪU" across it, so
that nobody takes a demo certificate for a real one.  An office replaces
both files with the scans of its own seal and signer.

Drawn with PyMuPDF (python3-fitz) as vector graphics on a PDF page,
rendered with a transparent background: no image library needed, and the
same bytes every run.
"""
import math
import os
import struct
import sys
import zlib

import fitz  # PyMuPDF

MM = 72 / 25.4
DPI = 150
SEAL_RED = (0.84, 0.10, 0.12)
INK_BLUE = (0.10, 0.22, 0.66)
FONT = "/usr/share/fonts/truetype/noto/NotoSerif-Bold.ttf"


def png(path, width, height, rgba):
    """Write 8-bit RGBA pixels as a PNG (PyMuPDF's own writer takes the
    pixels as premultiplied and shades the edges again)."""
    def chunk(kind, data):
        body = kind + data
        return (struct.pack(">I", len(data)) + body +
                struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF))
    rows = b"".join(b"\0" + rgba[y * width * 4:(y + 1) * width * 4]
                    for y in range(height))
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" +
                chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6,
                                           0, 0, 0)) +
                chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def render(page, path, ink):
    """The page as a PNG of one colour, `ink`, in which only the alpha
    channel varies: anti-aliased edges in shades of their own cost a
    certificate 15 KB more to embed."""
    pix = page.get_pixmap(dpi=DPI, alpha=True)
    rgb = bytes(round(255 * v) for v in ink)
    px = bytearray(pix.samples)
    for i in range(0, len(px), 4):
        px[i:i + 3] = rgb
    png(path, pix.width, pix.height, bytes(px))


def seal(path, size_mm=36.0):
    size = size_mm * MM
    doc = fitz.open()
    page = doc.new_page(width=size, height=size)
    page.insert_font(fontname="serif", fontfile=FONT)
    c = fitz.Point(size / 2, size / 2)
    r = size / 2
    shape = page.new_shape()
    shape.draw_circle(c, r - 0.9 * MM)
    shape.finish(color=SEAL_RED, width=1.4 * MM)
    shape.draw_circle(c, r - 6.6 * MM)
    shape.finish(color=SEAL_RED, width=0.35 * MM)
    # a five-pointed star in the middle
    star = []
    for i in range(10):
        a = -math.pi / 2 + i * math.pi / 5
        rr = (3.4 if i % 2 == 0 else 1.3) * MM
        star.append(c + (rr * math.cos(a), rr * math.sin(a) - 5.2 * MM))
    shape.draw_polyline(star + [star[0]])
    shape.finish(color=SEAL_RED, fill=SEAL_RED, width=0.1)
    shape.commit()
    # the ring's text, letter by letter clockwise from the left, each
    # letter's top facing out, spaced to go once round
    ring = "CON DẤU MẪU – KHÔNG CÓ GIÁ TRỊ – "
    fs = 2.6 * MM
    font = fitz.Font(fontfile=FONT)
    mid_r = r - 3.75 * MM              # the ring's middle
    base_r = mid_r - 0.36 * fs         # the baseline, inside it
    widths = [font.text_length(ch, fontsize=fs) for ch in ring]
    scale = 2 * math.pi * base_r / sum(widths)
    angle = -math.pi
    for ch, w in zip(ring, widths):
        theta = angle + w * scale / 2 / base_r
        tangent = fitz.Point(-math.sin(theta), math.cos(theta))
        centre = c + (base_r * math.cos(theta), base_r * math.sin(theta))
        start = centre - tangent * (w / 2)
        page.insert_text(start, ch, fontsize=fs, fontname="serif",
                         color=SEAL_RED,
                         morph=(start, fitz.Matrix(math.degrees(theta) + 90)))
        angle += w * scale / base_r
    word = "MẪU"
    fs = 6.2 * MM
    w = font.text_length(word, fontsize=fs)
    page.insert_text(c + (-w / 2, 7.4 * MM), word, fontsize=fs,
                     fontname="serif", color=SEAL_RED)
    render(page, path, SEAL_RED)


def signature(path, w_mm=50.0, h_mm=22.0):
    doc = fitz.open()
    page = doc.new_page(width=w_mm * MM, height=h_mm * MM)
    s = page.new_shape()
    P = lambda x, y: fitz.Point(x * MM, y * MM)
    # a flourish: a looped capital, a run of small waves, an underline
    s.draw_bezier(P(4, 15), P(6, 2), P(13, 2), P(11, 12))
    s.draw_bezier(P(11, 12), P(9, 19), P(3, 17), P(8, 11))
    s.draw_bezier(P(8, 11), P(14, 5), P(16, 13), P(19, 10))
    for i in range(5):
        x = 19 + i * 4.6
        s.draw_bezier(P(x, 10), P(x + 1.2, 5.5), P(x + 2.6, 15),
                      P(x + 4.6, 10 - (i % 2) * 1.5))
    s.draw_bezier(P(42, 10), P(46, 6), P(47, 4), P(44, 8))
    s.finish(color=INK_BLUE, width=0.55 * MM, closePath=False,
             lineCap=1, lineJoin=1)
    s.draw_bezier(P(6, 18.5), P(18, 16), P(32, 20.5), P(47, 16.5))
    s.finish(color=INK_BLUE, width=0.4 * MM, closePath=False, lineCap=1)
    s.commit()
    render(page, path, INK_BLUE)


def main():
    out = os.path.dirname(os.path.abspath(__file__))
    if len(sys.argv) == 3 and sys.argv[1] == "--out":
        out = sys.argv[2]
    elif len(sys.argv) != 1:
        sys.exit(__doc__.strip().splitlines()[2])
    seal(os.path.join(out, "mau-con-dau.png"))
    signature(os.path.join(out, "mau-chu-ky.png"))


if __name__ == "__main__":
    main()
