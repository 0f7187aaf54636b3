# cadre-roster: the three kinds of roster for the sample district - the
# participants of the trung cấp LLCT-HC course 2018-2019, the cadres by
# unit with the quantity-and-quality sheet (1.188 / 796 / 199; Thị trấn
# Nông trường Thái Bình 18 / 9 / 4), and one township's roster alone.
echo "== cadre-roster: course TC-2018, cadres by unit and statistics"
"$BIN/cadre-roster" --course TC-2018 -o "$OUT/danh-sach-hoc-vien-TC-2018.xlsx" $RECORDS
"$BIN/cadre-roster" -o "$OUT/danh-sach-va-thong-ke.xlsx" $RECORDS
"$BIN/cadre-roster" -t cadres --unit TTNTTB -o "$OUT/danh-sach-TTNTTB.xlsx" $RECORDS
echo "wrote danh-sach-hoc-vien-TC-2018.xlsx, danh-sach-va-thong-ke.xlsx, danh-sach-TTNTTB.xlsx"
