# cadre-import: the sample district's personnel list as an office keeps it
# in Excel (samples/gen_office_workbook.py writes it with openpyxl: the
# title block, headings over two rows with merged parents, group rows for
# the units, totals, signatures), read back into records, and the 2018
# booklet printed from them.
echo "== cadre-import: an office workbook back into records, and its booklet"
/usr/bin/python3 "$SAMPLES/gen_office_workbook.py" "$OUT/danh-sach-can-bo.xlsx"
"$BIN/cadre-import" --units "$SAMPLES/dinh-lap/cadres.xml" \
    --issuer "Ban Tổ chức Huyện ủy Đình Lập" \
    -o "$OUT/nhap-tu-excel.xml" "$OUT/danh-sach-can-bo.xlsx"
"$BIN/cadre-check" "$OUT/nhap-tu-excel.xml"
"$BIN/cadre-report" --year 2018 --signer "Nguyễn Văn Tâm" \
    --signer-title "Trưởng Ban Tổ chức" \
    -o "$OUT/bao-cao-tu-excel.pdf" "$OUT/nhap-tu-excel.xml"
echo "wrote danh-sach-can-bo.xlsx, nhap-tu-excel.xml and bao-cao-tu-excel.pdf"
