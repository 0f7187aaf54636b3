# cadre-check: validate the sample district (two files that merge) and the
# newcomer's small file.
echo "== cadre-check: the sample district"
"$BIN/cadre-check" $RECORDS
"$BIN/cadre-check" "$SAMPLES/small.xml"
