# cadre-cert --sign-p12: the combined file of the trung cấp course signed
# (PAdES) with a key made for this run by a throwaway authority in
# $OUT/ky-so/ (docs/sign.md), checked by pdfsig trusting that authority,
# and its first page rendered to look at the seal over the signature.
echo "== cadre-cert --sign-p12: the course's combined file, signed"
KS="$OUT/ky-so"
mkdir -p "$KS"
(
    cd "$KS"
    umask 077
    printf '%s\n' "demo-$(date +%s)" >mat-khau.txt
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem \
        -days 30 -utf8 -subj "/C=VN/O=CA thử nghiệm/CN=CA thử nghiệm cadrekit" \
        -addext "basicConstraints=critical,CA:true" \
        -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -keyout van-thu.key -out van-thu.csr \
        -utf8 -subj "/C=VN/O=Huyện ủy Đình Lập/CN=Trung tâm Bồi dưỡng chính trị huyện Đình Lập" \
        2>/dev/null
    printf '%s\n' 'keyUsage=critical,digitalSignature,nonRepudiation' >ext.cnf
    openssl x509 -req -in van-thu.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
        -days 30 -extfile ext.cnf -out van-thu.pem 2>/dev/null
    openssl pkcs12 -export -inkey van-thu.key -in van-thu.pem -certfile ca.pem \
        -out van-thu.p12 -passout file:mat-khau.txt
    rm -f ca.key van-thu.key van-thu.csr ca.srl ext.cnf
)
"$BIN/cadre-cert" --course TC-2018 \
    --combined "$OUT/chung-nhan-TC-2018-ky-so.pdf" \
    --sign-p12 "$KS/van-thu.p12" --p12-pass-file "$KS/mat-khau.txt" $RECORDS
if command -v pdfsig >/dev/null && command -v certutil >/dev/null; then
    mkdir -p "$KS/nss"
    certutil -N -d "sql:$KS/nss" --empty-password
    certutil -A -d "sql:$KS/nss" -n "CA thử nghiệm cadrekit" -t "CT,C,C" \
        -i "$KS/ca.pem"
    pdfsig -nssdir "sql:$KS/nss" "$OUT/chung-nhan-TC-2018-ky-so.pdf" 2>/dev/null |
        grep -E 'Common Name|Signing Time|Total|Validation'
fi
if command -v pdftoppm >/dev/null; then
    pdftoppm -png -r 80 -f 1 -l 1 "$OUT/chung-nhan-TC-2018-ky-so.pdf" \
        "$OUT/chung-nhan-ky-so-trang" 2>/dev/null
fi
echo "wrote chung-nhan-TC-2018-ky-so.pdf, signed with ky-so/van-thu.p12"
