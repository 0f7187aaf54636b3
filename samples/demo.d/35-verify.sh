# cadre-keys, cadre-cert --sign-key, cadre-verify: the office's key pair,
# the sample course sealed (every QR code carries the certificate's signed
# fields), the verification page to publish, and one certificate checked
# from its page rendered at 300 dpi as a scan would give it.
echo "== cadre-keys, cadre-verify: course TC-2018 sealed, one certificate checked from its image"
"$BIN/cadre-keys" generate -o "$OUT/khoa"
KEY=$(ls "$OUT"/khoa/*.key)
"$BIN/cadre-cert" --course TC-2018 --sign-key "$KEY" -o "$OUT/chung-nhan-ky-so" \
    --combined "$OUT/chung-nhan-ky-so-TC-2018.pdf" $RECORDS
mkdir -p "$OUT/xac-minh"
"$BIN/cadre-keys" page --trusted "$OUT/khoa" -o "$OUT/xac-minh/index.html"
if command -v pdftoppm >/dev/null; then
    pdftoppm -png -r 300 -f 1 -l 1 -singlefile \
        "$OUT/chung-nhan-ky-so-TC-2018.pdf" "$OUT/chung-nhan-ky-so-trang-1" 2>/dev/null
    "$BIN/cadre-verify" --trusted "$OUT/khoa" "$OUT/chung-nhan-ky-so-trang-1.png"
else
    "$BIN/cadre-verify" --trusted "$OUT/khoa" "$OUT/chung-nhan-ky-so-TC-2018.pdf"
fi
