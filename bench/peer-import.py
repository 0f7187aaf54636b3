#!/usr/bin/python3
"""The peer of cadre-import: openpyxl in read-only mode iterating every
cell of the first sheet, the least a Python converter must do before it
looks at a value.

    bench/peer-import.py BOOK.xlsx      prints "CELLS ROWS"
"""
import sys

import openpyxl


def main(path):
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    ws = wb.worksheets[0]
    cells = rows = 0
    for row in ws.iter_rows(values_only=True):
        rows += 1
        for v in row:
            if v is not None:
                cells += 1
    wb.close()
    print(cells, rows)


if __name__ == "__main__":
    main(sys.argv[1])
