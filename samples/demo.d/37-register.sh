# cadre-register: the sample course issued through a register (sổ gốc)
# twice: the second run draws no number and rewrites the same bytes,
# which `cadre-register check` and the listing before and after show.
echo "== cadre-register: course TC-2018 through the register, twice"
REGDB="$OUT/so-goc.sqlite"
"$BIN/cadre-register" "$REGDB" create
"$BIN/cadre-cert" --course TC-2018 -o "$OUT/so-goc" --register-db "$REGDB" \
    --decision "125/QĐ-TTBD ngày 28/6/2019" $RECORDS
"$BIN/cadre-register" "$REGDB" list >"$OUT/so-goc-1.tsv"
sums1=$(cd "$OUT/so-goc" && sha256sum *.pdf)
"$BIN/cadre-cert" --course TC-2018 -o "$OUT/so-goc" --register-db "$REGDB" \
    --decision "125/QĐ-TTBD ngày 28/6/2019" $RECORDS
"$BIN/cadre-register" "$REGDB" list >"$OUT/so-goc-2.tsv"
sums2=$(cd "$OUT/so-goc" && sha256sum *.pdf)
if cmp -s "$OUT/so-goc-1.tsv" "$OUT/so-goc-2.tsv" && [ "$sums1" = "$sums2" ]; then
    echo "issued twice: the same $(($(wc -l <"$OUT/so-goc-2.tsv") - 1)) numbers, the same bytes"
else
    echo "the second issue changed the register or the PDFs" >&2
    exit 1
fi
"$BIN/cadre-register" "$REGDB" check "$OUT/so-goc" | tail -1
"$BIN/cadre-register" "$REGDB" export -o "$OUT/so-goc.xlsx"
rm -f "$OUT/so-goc-2.tsv"
head -3 "$OUT/so-goc-1.tsv"
