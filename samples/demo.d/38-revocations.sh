# cadre-register export-revocations: the sealed course issued through a
# register of its own, one certificate revoked, the signed revocation
# list written beside the verification page, and cadre-verify telling
# the revoked certificate from a valid one.
echo "== cadre-register, cadre-verify: a sealed certificate revoked"
SEALED_DB="$OUT/so-goc-ky-so.sqlite"
"$BIN/cadre-register" "$SEALED_DB" create
"$BIN/cadre-cert" --course TC-2018 --sign-key "$KEY" --register-db "$SEALED_DB" \
    -o "$OUT/so-goc-ky-so" $RECORDS
"$BIN/cadre-register" "$SEALED_DB" revoke 2/2019/CC --reason "Cấp nhầm người" \
    --decision "15/QĐ-TTBD ngày 02/3/2020" --date 2020-03-02
"$BIN/cadre-register" "$SEALED_DB" export-revocations --sign-key "$KEY" \
    -o "$OUT/xac-minh/revocations.txt"
set -- "$OUT"/so-goc-ky-so/01-2019-CC_*.pdf "$OUT"/so-goc-ky-so/02-2019-CC_*.pdf
status=0
"$BIN/cadre-verify" -q --trusted "$OUT/khoa" \
    --revocations "$OUT/xac-minh/revocations.txt" "$@" || status=$?
if [ "$status" != 1 ]; then
    echo "cadre-verify exited $status: expected 1, one certificate revoked" >&2
    exit 1
fi
