#!/usr/bin/python3
"""Output tests of cadre-cert --sign-p12: PAdES signatures read back by
poppler's pdfsig (against an NSS database that trusts a throwaway CA),
OpenSSL's own CMS verifier over the signed byte ranges, qpdf and PyMuPDF.
The CA, the signers and their PKCS#12 files are made here with the openssl
command line, never by our code.  Prints "ok NAME" / "FAIL NAME" lines
(tests/run).
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import fitz  # PyMuPDF

from test_cert import check_glyphs, records, write
from verdicts import Verdicts

TOP = os.environ.get("CADRE_TOP") or os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("CADRE_BIN") or os.path.join(TOP, "build", "bin")
TOOL = os.path.join(BIN, "cadre-cert")
A4 = os.path.join(TOP, "templates", "cert", "a4.xml")
MM = 72 / 25.4

VERDICTS = Verdicts("sign")
report = VERDICTS.report

SIGNER_CN = "Trung tâm Bồi dưỡng chính trị huyện Đình Lập"
SIGNER_O = "Huyện ủy Đình Lập"
PASSWORD = "mật khẩu thử ký số"

PEOPLE = [
    {"id": "S1", "name": "Trần Quang Khải", "gender": "nam"},
    {"id": "S2", "name": "Nguyễn Thị Ánh Tuyết", "gender": "nu"},
    {"id": "S3", "name": "Đặng Văn Ấn", "gender": "nam"},
]


def sh(args, **kw):
    return subprocess.run(args, capture_output=True, text=True, **kw)


def openssl(tmp, *args):
    r = sh(["openssl", *args], cwd=tmp)
    if r.returncode:
        raise RuntimeError(f"openssl {' '.join(args)}: {r.stderr}")


EXTENSIONS = """[signer]
basicConstraints=CA:false
keyUsage=critical,digitalSignature,nonRepudiation
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
"""


def make_pki(tmp):
    """A CA, an RSA and an ECDSA signer, their PKCS#12 files (one in the
    legacy RC2 encryption of older exports, one without its key), and an
    NSS database trusting the CA: paths in a dict."""
    pki = os.path.join(tmp, "pki")
    os.makedirs(pki)
    write(os.path.join(pki, "ext.cnf"), EXTENSIONS)
    write(os.path.join(pki, "pass.txt"), PASSWORD + "\n")
    write(os.path.join(pki, "wrong.txt"), "not the password\n")
    openssl(pki, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
            "ca.key", "-out", "ca.pem", "-days", "30", "-utf8", "-subj",
            "/C=VN/O=CA thử nghiệm/CN=CA thử nghiệm cadrekit",
            "-addext", "basicConstraints=critical,CA:true",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    for name, key in (("rsa", ["-newkey", "rsa:2048", "-nodes", "-keyout", "rsa.key"]),
                      ("ec", ["-newkey", "ec", "-pkeyopt",
                              "ec_paramgen_curve:prime256v1", "-nodes",
                              "-keyout", "ec.key"])):
        openssl(pki, "req", *key, "-out", f"{name}.csr", "-utf8", "-subj",
                f"/C=VN/O={SIGNER_O}/CN={SIGNER_CN}")
        openssl(pki, "x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem",
                "-CAkey", "ca.key", "-CAcreateserial", "-out", f"{name}.pem",
                "-days", "20", "-extfile", "ext.cnf", "-extensions", "signer")
    pw = "file:pass.txt"
    openssl(pki, "pkcs12", "-export", "-inkey", "rsa.key", "-in", "rsa.pem",
            "-certfile", "ca.pem", "-out", "rsa.p12", "-passout", pw)
    openssl(pki, "pkcs12", "-export", "-inkey", "ec.key", "-in", "ec.pem",
            "-out", "ec.p12", "-passout", pw)
    openssl(pki, "pkcs12", "-export", "-legacy", "-inkey", "rsa.key", "-in",
            "rsa.pem", "-out", "legacy.p12", "-passout", pw)
    openssl(pki, "pkcs12", "-export", "-nokeys", "-in", "rsa.pem", "-out",
            "nokey.p12", "-passout", pw)
    nss = os.path.join(pki, "nss")
    os.makedirs(nss)
    for args in (["-N", "--empty-password"],
                 ["-A", "-n", "cadrekit-ca", "-t", "CT,C,C", "-i",
                  os.path.join(pki, "ca.pem")]):
        r = sh(["certutil", "-d", "sql:" + nss, *args])
        if r.returncode:
            raise RuntimeError(f"certutil {args[0]}: {r.stderr}")
    p = {k: os.path.join(pki, k + ".p12") for k in ("rsa", "ec", "legacy", "nokey")}
    p.update(pass_file=os.path.join(pki, "pass.txt"),
             wrong=os.path.join(pki, "wrong.txt"),
             ca=os.path.join(pki, "ca.pem"), nss=nss)
    return p


def run(args, env=None, cwd=None):
    e = dict(os.environ)
    e.pop("CADRE_P12_PASS", None)
    e.pop("SOURCE_DATE_EPOCH", None)
    e.update(env or {})
    return subprocess.run([TOOL] + args, capture_output=True, text=True,
                          env=e, cwd=cwd)


def pdfsig(pki, pdf):
    """pdfsig's lines about the first signature as a dict, and its
    standard error."""
    r = sh(["pdfsig", "-nssdir", "sql:" + pki["nss"], pdf],
           env=dict(os.environ, TZ="UTC"))
    info = {}
    for line in r.stdout.splitlines():
        m = re.match(r"\s+- ([^:]+): (.*)", line)
        if m:
            info.setdefault(m.group(1), m.group(2))
        elif line.strip() == "- Total document signed":
            info["total"] = True
    info["out"] = r.stdout
    return info, r.stderr


def warnings(*stderrs):
    return [l for s in stderrs for l in s.splitlines() if l.strip()]


def signed_parts(data):
    """The ByteRange, the bytes it covers and the CMS (DER) between."""
    m = re.search(rb"/ByteRange \[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]", data)
    a, b, c, d = map(int, m.groups())
    covered = data[a:a + b] + data[c:c + d]
    gap = data[a + b:c]
    hexs = gap[1:-1].decode()
    der = bytes.fromhex(hexs)
    # the DER's own length: 30 82 HH LL
    n = 4 + int.from_bytes(der[2:4], "big") if der[1] == 0x82 else len(der)
    return (a, b, c, d), covered, gap, der[:n]


def cms_verify(tmp, pki, covered, der, name):
    """OpenSSL's verdict on the CMS over the covered bytes, and its text
    dump."""
    sig = os.path.join(tmp, name + ".p7s")
    content = os.path.join(tmp, name + ".bin")
    with open(sig, "wb") as f:
        f.write(der)
    with open(content, "wb") as f:
        f.write(covered)
    v = sh(["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in",
            sig, "-content", content, "-CAfile", pki["ca"], "-purpose", "any",
            "-out", os.devnull])
    dump = sh(["openssl", "cms", "-cmsout", "-print", "-inform", "DER", "-in",
               sig]).stdout
    return v.returncode == 0, dump


def vn_time(epoch, fmt):
    return time.strftime(fmt, time.gmtime(epoch + 7 * 3600))


# ------------------------------------------------------------- tests --

def test_signed(tmp, pki):
    """The combined file and the per-person files, signed: what pdfsig,
    OpenSSL, qpdf and PyMuPDF read in them."""
    rec = os.path.join(tmp, "r.xml")
    write(rec, records(PEOPLE))
    epoch = int(time.time())
    env = {"SOURCE_DATE_EPOCH": str(epoch)}
    combined = os.path.join(tmp, "all.pdf")
    unsigned = os.path.join(tmp, "unsigned.pdf")
    r = run(["--course", "K1", "-j", "2", "-o", os.path.join(tmp, "dir"),
             "--combined", combined, "--sign-p12", pki["rsa"],
             "--p12-pass-file", pki["pass_file"], rec], env)
    report("signed-exit", r.returncode == 0, r.stderr)
    r2 = run(["--course", "K1", "--combined", unsigned, rec], env)
    report("unsigned-exit", r2.returncode == 0, r2.stderr)
    if r.returncode or r2.returncode:
        return

    # pdfsig: valid, trusted through the NSS database, the whole file
    files = sorted(os.path.join(tmp, "dir", f)
                   for f in os.listdir(os.path.join(tmp, "dir")))
    report("per-person-count", len(files) == len(PEOPLE), str(files))
    bad = []
    for pdf in files + [combined]:
        info, err = pdfsig(pki, pdf)
        if (info.get("Signature Validation") != "Signature is Valid." or
                info.get("Certificate Validation") != "Certificate is Trusted." or
                not info.get("total") or
                info.get("Signature Type") != "ETSI.CAdES.detached" or
                info.get("Signer Certificate Common Name") != SIGNER_CN or
                warnings(err)):
            bad.append(f"{os.path.basename(pdf)}: {info.get('out')} {warnings(err)}")
    report("pdfsig-valid-trusted-total", not bad, "; ".join(bad)[:800])
    info, _ = pdfsig(pki, combined)
    report("pdfsig-signing-time-is-M",
           info.get("Signing Time") ==
           time.strftime("%b %d %Y %H:%M:%S", time.gmtime(epoch)),
           f"{info.get('Signing Time')} for {epoch}")

    # qpdf and poppler's other readers take every file without a warning
    # (pdfsig's were checked above)
    bad = []
    for pdf in files + [combined]:
        q = sh(["qpdf", "--check", pdf])
        if q.returncode or "No syntax or stream encoding errors" not in q.stdout:
            bad.append(f"qpdf {os.path.basename(pdf)}: {q.stdout}{q.stderr}")
        w = warnings(sh(["pdfinfo", pdf]).stderr)
        if w:
            bad.append(f"pdfinfo {os.path.basename(pdf)}: {w[:3]}")
    report("qpdf-check-clean", not bad, "; ".join(bad)[:800])
    VERDICTS.poppler_clean(tmp, "poppler-clean")

    with open(combined, "rb") as f:
        data = f.read()
    (a, b, c, d), covered, gap, der = signed_parts(data)
    report("byte-range-whole-file",
           a == 0 and c + d == len(data) and gap[:1] == b"<" and
           gap[-1:] == b">" and re.fullmatch(rb"<[0-9A-F]+>", gap) is not None,
           f"[{a} {b} {c} {d}] of {len(data)}")

    # OpenSSL's CMS verifier agrees, and the CMS is PAdES B-B: detached,
    # signing-certificate-v2, no signing-time
    ok, dump = cms_verify(tmp, pki, covered, der, "combined")
    report("openssl-cms-verifies", ok, dump[:300])
    report("cms-cades-attributes",
           "eContent: <ABSENT>" in dump and
           "signingCertificateV2" in dump and "messageDigest" in dump and
           "contentType" in dump and "signingTime" not in dump,
           re.findall(r"object: (\S+)", dump).__repr__())
    m = re.search(rb"/M \(D:(\d{14})\+07'00'\)", data)
    report("M-from-source-date-epoch",
           m is not None and m.group(1).decode() == vn_time(epoch, "%Y%m%d%H%M%S"),
           m.group(0).decode() if m else "no /M")

    # the PDF structure around the signature, read by PyMuPDF
    doc = fitz.open(combined)
    cat = doc.pdf_catalog()
    flags = doc.xref_get_key(cat, "AcroForm/SigFlags")
    widgets = [w for w in doc[0].widgets()]
    sig = widgets[0] if widgets else None
    v = doc.xref_get_key(sig.xref, "V")[1].split()[0] if sig else "0"
    keys = {k: doc.xref_get_key(int(v), k)[1] for k in ("Filter", "SubFilter", "Type")} if sig else {}
    report("acroform-sig-field",
           flags == ("int", "3") and len(widgets) == 1 and
           sig.field_type == fitz.PDF_WIDGET_TYPE_SIGNATURE and
           keys == {"Filter": "/Adobe.PPKLite",
                    "SubFilter": "/ETSI.CAdES.detached", "Type": "/Sig"},
           f"{flags} {len(widgets)} {keys}")

    # the original revision is intact: the bytes before the update are a
    # whole PDF that looks exactly as the signed one does
    prev = int(re.findall(rb"/Prev (\d+)", data)[-1])
    eof = data.index(b"%%EOF", prev) + len(b"%%EOF\n")
    original = os.path.join(tmp, "original.pdf")
    with open(original, "wb") as f:
        f.write(data[:eof])
    q = sh(["qpdf", "--check", original])
    renders = []
    for pdf, stem in ((original, "o"), (combined, "s")):
        sh(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", pdf,
            os.path.join(tmp, stem)])
        with open(os.path.join(tmp, stem + "-1.png"), "rb") as f:
            renders.append(f.read())
    report("original-revision-intact",
           q.returncode == 0 and data[eof:eof + 1] != b"" and
           b"/Sig" not in data[:eof] and renders[0] == renders[1] and
           len(fitz.open(original)) == len(PEOPLE),
           f"qpdf {q.returncode}, renders equal {renders[0] == renders[1]}")

    # every page, signed or not, prints every letter whole
    problems = check_glyphs(doc, "signed")
    report("glyphs-drawn", not problems, "; ".join(problems[:5]))
    check_visible(doc, epoch)
    udoc = fitz.open(unsigned)
    report("unsigned-no-seal-no-field",
           not [i for i in udoc[0].get_image_info(xrefs=True) if i["xref"]] and
           not list(udoc[0].widgets()) and
           "Người ký" not in udoc[0].get_text(),
           f"{len(udoc[0].get_image_info())} images")

    # the same signing time gives the same bytes (RSA signs
    # deterministically): a certificate can be issued again identically
    again = os.path.join(tmp, "again.pdf")
    r = run(["--course", "K1", "--combined", again, "--sign-p12", pki["rsa"],
             "--p12-pass-file", pki["pass_file"], rec], env)
    with open(again, "rb") as f:
        report("reproducible", r.returncode == 0 and f.read() == data,
               r.stderr)
    check_tampered(tmp, pki, data, (a, b, c, d))


def check_visible(doc, epoch):
    """NĐ 30's visible signature: the seal at its size over the left third
    of the signature's image, the signer's details beside, inside the
    widget."""
    page = doc[0]
    # the images drawn from files (the QR code is an inline image)
    imgs = sorted((i for i in page.get_image_info(xrefs=True) if i["xref"]),
                  key=lambda i: i["bbox"][0])
    if len(imgs) != 2:
        report("visible-two-images", False, f"{len(imgs)} images")
        return
    seal, sig = (fitz.Rect(i["bbox"]) for i in imgs)  # the seal is leftmost
    third = sig.x0 + sig.width / 3
    report("visible-seal-over-left-third",
           abs(seal.width / MM - 36) < 0.2 and abs(seal.x1 - third) < 0.5 and
           abs((seal.y0 + seal.y1) / 2 - (sig.y0 + sig.y1) / 2) < 0.5 and
           seal.x0 < sig.x0 < seal.x1,
           f"seal {seal} sig {sig}")
    text = page.get_text()
    when = vn_time(epoch, "%Y-%m-%dT%H:%M:%S") + "+07:00"
    flat = " ".join(text.split())
    report("visible-details",
           f"Người ký: {SIGNER_CN}" in flat and f"Cơ quan: {SIGNER_O}" in flat
           and f"Thời gian ký: {when}" in flat, flat[-300:])
    widget = next(iter(page.widgets())).rect
    details = [fitz.Rect(b[:4]) for b in page.get_text("blocks")
               if "Người ký" in b[4] or "Thời gian ký" in b[4]]
    report("visible-inside-widget",
           widget.contains(seal) and widget.contains(sig) and details and
           all(widget.contains(d) for d in details), f"widget {widget}")
    # the look: red seal ink and blue signature ink where the images are
    pix = page.get_pixmap(dpi=72)

    def ink(rect, want):
        hits = 0
        for y in range(int(rect.y0), int(rect.y1)):
            for x in range(int(rect.x0), int(rect.x1)):
                r, g, b = pix.pixel(x, y)[:3]
                hits += (r > 150 and g < 90 and b < 90) if want == "red" \
                    else (b > 120 and r < 90)
        return hits
    report("visible-inks", ink(seal, "red") > 50 and
           ink(fitz.Rect(third + 2, sig.y0, sig.x1, sig.y1), "blue") > 20,
           f"red {ink(seal, 'red')} blue "
           f"{ink(fitz.Rect(third + 2, sig.y0, sig.x1, sig.y1), 'blue')}")


def check_tampered(tmp, pki, data, rng):
    """A byte changed after signing, in either signed range, makes the
    signature invalid for pdfsig and OpenSSL."""
    a, b, c, d = rng
    first = data.index(b"/MediaBox")      # the original revision
    second = data.index(b"(Signature1)", c)  # the field, after /Contents
    for name, at in (("first-range", first + 12), ("second-range", second + 10)):
        bad = bytearray(data)
        bad[at] = ord("7") if bad[at] != ord("7") else ord("8")
        path = os.path.join(tmp, f"tampered-{name}.pdf")
        with open(path, "wb") as f:
            f.write(bad)
        info, _ = pdfsig(pki, path)
        _, covered, _, der = signed_parts(bytes(bad))
        ok, _ = cms_verify(tmp, pki, covered, der, name)
        report(f"tampered-{name}-invalid",
               info.get("Signature Validation") == "Digest Mismatch." and not ok,
               f"{info.get('Signature Validation')} openssl ok={ok}")


def test_keys(tmp, pki):
    """An ECDSA key, a PKCS#12 file in the legacy RC2 encryption and the
    password in CADRE_P12_PASS all sign."""
    rec = os.path.join(tmp, "r.xml")
    write(rec, records(PEOPLE[:1]))
    for name, args, env in (
            ("ecdsa", ["--sign-p12", pki["ec"], "--p12-pass-file", pki["pass_file"]], {}),
            ("legacy-rc2", ["--sign-p12", pki["legacy"], "--p12-pass-file", pki["pass_file"]], {}),
            ("password-from-env", ["--sign-p12", pki["rsa"]], {"CADRE_P12_PASS": PASSWORD})):
        pdf = os.path.join(tmp, name + ".pdf")
        r = run(["--course", "K1", "--combined", pdf, *args, rec], env)
        info, err = pdfsig(pki, pdf) if r.returncode == 0 else ({}, "")
        report(f"key-{name}",
               r.returncode == 0 and info.get("total") and
               info.get("Signature Validation") == "Signature is Valid." and
               info.get("Certificate Validation") == "Certificate is Trusted.",
               r.stderr + info.get("out", ""))


def test_refused(tmp, pki):
    """Each failure: its exit status, a message saying what is wrong, and
    nothing written: the file already at the target stays, no folder is
    made, no temporary file is left."""
    rec = os.path.join(tmp, "r.xml")
    write(rec, records(PEOPLE[:1]))
    not_p12 = os.path.join(tmp, "cert.p12")
    shutil.copy(pki["ca"], not_p12)
    pw = ["--p12-pass-file", pki["pass_file"]]
    # the shipped template copied alone, without its seal and signature
    # images: it still prints unsigned, and refuses to sign
    alone = os.path.join(tmp, "alone.xml")
    shutil.copy(A4, alone)
    pdf = os.path.join(tmp, "alone.pdf")
    r = run(["-t", alone, "--course", "K1", "--combined", pdf, rec])
    report("template-without-images-prints-unsigned",
           r.returncode == 0 and os.path.exists(pdf), r.stderr)
    os.unlink(pdf)
    cases = [
        ("images-missing", ["-t", alone, "--sign-p12", pki["rsa"]] + pw, {}, 1,
         "alone.xml:"),
        ("wrong-password", ["--sign-p12", pki["rsa"], "--p12-pass-file", pki["wrong"]],
         {}, 2, "wrong password"),
        ("missing-p12", ["--sign-p12", os.path.join(tmp, "none.p12")] + pw,
         {}, 2, "No such file or directory"),
        ("missing-pass-file", ["--sign-p12", pki["rsa"], "--p12-pass-file",
                               os.path.join(tmp, "none.txt")],
         {}, 2, "cannot read"),
        ("no-password", ["--sign-p12", pki["rsa"]], {}, 2,
         "no password for"),
        ("no-private-key", ["--sign-p12", pki["nokey"]] + pw, {}, 1,
         "holds no private key"),
        ("not-pkcs12", ["--sign-p12", not_p12] + pw, {}, 1,
         "is not a PKCS#12 file"),
        ("certificate-not-valid-then", ["--sign-p12", pki["rsa"]] + pw,
         {"SOURCE_DATE_EPOCH": "1561680000"}, 1, "not at the time of signing"),
        ("bad-source-date-epoch", ["--sign-p12", pki["rsa"]] + pw,
         {"SOURCE_DATE_EPOCH": "28/06/2019"}, 1, "SOURCE_DATE_EPOCH"),
        ("pass-file-alone", pw, {}, 2, "--p12-pass-file needs --sign-p12"),
    ]
    for name, args, env, status, says in cases:
        out = os.path.join(tmp, name)
        os.makedirs(out)
        target = os.path.join(out, "all.pdf")
        write(target, "old")
        r = run(["--course", "K1", "--combined", target, "-o",
                 os.path.join(out, "dir"), *args, rec], env)
        left = sorted(os.listdir(out))
        with open(target) as f:
            kept = f.read() == "old"
        report(f"refused-{name}",
               r.returncode == status and says in r.stderr and kept and
               left == ["all.pdf"],
               f"exit {r.returncode} (want {status}), {r.stderr.strip()[:200]}, "
               f"left {left}")


def main():
    if not os.access(TOOL, os.X_OK):
        report("tool", False, f"no {TOOL}")
        return 1
    missing = [t for t in ("openssl", "pdfsig", "certutil", "qpdf")
               if not shutil.which(t)]
    if missing:
        report("tools", False, f"missing {missing} (.ci/packages.txt)")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        pki = make_pki(tmp)
        for test in (test_signed, test_keys, test_refused):
            sub = os.path.join(tmp, test.__name__)
            os.makedirs(sub)
            try:
                test(sub, pki)
            except Exception as e:  # a crash is a failure, not a traceback
                report(test.__name__, False, f"{type(e).__name__}: {e}")
    return VERDICTS.status()


if __name__ == "__main__":
    sys.exit(main())
