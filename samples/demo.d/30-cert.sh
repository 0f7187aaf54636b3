# cadre-cert: the certificates of the sample district's trung cấp LLCT-HC
# course 2018-2019, one PDF per person (two processes) and one combined
# file for printing, with the register; the same on pre-printed CHỨNG CHỈ
# stock; the first pages rendered to PNG to look at.
echo "== cadre-cert: course TC-2018, A4 and on pre-printed stock"
"$BIN/cadre-cert" --course TC-2018 -j 2 -o "$OUT/chung-nhan" \
    --combined "$OUT/chung-nhan-TC-2018.pdf" \
    --register "$OUT/so-cap-chung-chi-TC-2018.xlsx" $RECORDS
"$BIN/cadre-cert" -t chung-chi --course TC-2018 \
    --combined "$OUT/chung-chi-TC-2018.pdf" $RECORDS
if command -v pdftoppm >/dev/null; then
    pdftoppm -png -r 50 -f 1 -l 2 "$OUT/chung-nhan-TC-2018.pdf" \
        "$OUT/chung-nhan-trang" 2>/dev/null
    pdftoppm -png -r 50 -f 1 -l 1 "$OUT/chung-chi-TC-2018.pdf" \
        "$OUT/chung-chi-trang" 2>/dev/null
fi
echo "wrote chung-nhan/ ($(ls "$OUT/chung-nhan" | wc -l) files), chung-nhan-TC-2018.pdf, chung-chi-TC-2018.pdf, so-cap-chung-chi-TC-2018.xlsx"
