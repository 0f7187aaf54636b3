#!/usr/bin/python3
"""Check that two workbooks hold the same cadre sheet before they are timed
(make bench, issue 6).

    compare-xlsx.py OURS.xlsx OTHER.xlsx...

Streams the first worksheet of each (xml.etree.iterparse on the zip member:
openpyxl takes minutes on a province) and compares, row by row, every
cell's value and type: numbers, inline or shared strings, formulas (their
stored value), blank cells with a format; a row without cells (one that
only sets a height) is no row.  Dates are compared as their
serial numbers.  Prints one line per workbook: rows, cells, cells by type,
rows that differ from OURS (the first few shown), bytes; exits 1 when any
row differs.
"""
import os
import sys
import xml.etree.ElementTree as ET
import zipfile

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def rows(path):
    z = zipfile.ZipFile(path)
    shared = []
    if "xl/sharedStrings.xml" in z.namelist():
        for _, el in ET.iterparse(z.open("xl/sharedStrings.xml")):
            if el.tag == NS + "si":
                shared.append("".join(t.text or "" for t in el.iter(NS + "t")))
                el.clear()
    # the first sheet of the workbook
    rels = ET.parse(z.open("xl/_rels/workbook.xml.rels")).getroot()
    wbk = ET.parse(z.open("xl/workbook.xml")).getroot()
    first = wbk.find(NS + "sheets")[0]
    rid = first.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
    target = next(r.get("Target") for r in rels if r.get("Id") == rid)
    member = "xl/" + target.lstrip("/").replace("xl/", "", 1)
    counts = {}
    for _, el in ET.iterparse(z.open(member)):
        if el.tag != NS + "row":
            continue
        cells = []
        for c in el:
            t = c.get("t", "n")
            f = c.find(NS + "f")
            v = c.find(NS + "v")
            if t == "inlineStr":
                val, kind = "".join(x.text or "" for x in c.iter(NS + "t")), "str"
            elif t == "s":
                val, kind = shared[int(v.text)], "str"
            elif t == "str":
                val, kind = v.text if v is not None else "", "str"
            elif v is None:
                val, kind = None, "blank"
            else:
                val, kind = float(v.text), "num"
            if f is not None:
                kind = "formula"
            counts[kind] = counts.get(kind, 0) + 1
            col = c.get("r").rstrip("0123456789")
            cells.append((col, kind, val))
        if cells:  # an empty row only sets a height (room to sign)
            yield int(el.get("r")), cells
        el.clear()
    yield None, counts


def main(paths):
    ref = None
    bad = 0
    for path in paths:
        table, counts = {}, {}
        for r, cells in rows(path):
            if r is None:
                counts = cells
            else:
                table[r] = cells
        ncells = sum(counts.values())
        line = "%s: %d rows, %d cells (%s), %d bytes" % (
            path, len(table), ncells, ", ".join("%s %d" % kv for kv in sorted(counts.items())),
            os.path.getsize(path))
        if ref is None:
            ref = table
        else:
            diff = [r for r in set(ref) | set(table) if ref.get(r) != table.get(r)]
            line += "; %d rows differ from %s" % (len(diff), paths[0])
            for r in sorted(diff)[:3]:
                line += "\n    row %d: %s\n       vs %s" % (r, ref.get(r), table.get(r))
            bad += bool(diff)
        print(line)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
