# cadre-report: the sample district's 2018 statistics booklet, with one
# page per unit, and the booklet of one township alone.
echo "== cadre-report: the 2018 booklet of the sample district"
"$BIN/cadre-report" --year 2018 --per-unit -o "$OUT/bao-cao-2018.pdf" $RECORDS
"$BIN/cadre-report" --year 2018 --unit TTNTTB --per-unit \
    -o "$OUT/bao-cao-2018-TTNTTB.pdf" $RECORDS
echo "wrote bao-cao-2018.pdf and bao-cao-2018-TTNTTB.pdf"
