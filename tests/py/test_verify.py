#!/usr/bin/python3
"""Output tests of sealed certificates (docs/verify.md): cadre-keys makes a
key, cadre-cert --sign-key seals the QR codes, and independent readers
check them: pdftoppm renders the pages at 300 dpi, zbarimg decodes the QR
codes, tests/py/sealfmt.py (the format written again from the document,
with python3-cryptography's Ed25519) checks the signature and the fields
against the records' XML; then cadre-verify must agree, on the QR text,
and refuse every forgery.  Prints "ok NAME" / "FAIL NAME" lines."""
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

import fitz  # PyMuPDF

import sealfmt
from verdicts import Verdicts

TOP = os.environ.get("CADRE_TOP") or os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("CADRE_BIN") or os.path.join(TOP, "build", "bin")
A4 = os.path.join(TOP, "templates", "cert", "a4.xml")
RECORDS = os.path.join(TOP, "tests", "func", "cert", "data", "course.xml")
BASE = "https://chung-nhan.example/v/#"

VERDICTS = Verdicts("verify")
report = VERDICTS.report


def tool(name, args, **kw):
    """Run cadre-NAME with `args`; its CompletedProcess, text."""
    return subprocess.run([os.path.join(BIN, "cadre-" + name)] + args,
                          capture_output=True, text=True, **kw)


def expected_fields():
    """What each certificate of course K1 must certify, by cadre id: from
    the records' XML, not from our loader."""
    root = ET.parse(RECORDS).getroot()
    cadres = {c.get("id"): c for c in root.iter("cadre")}
    course = [c for c in root.iter("course") if c.get("id") == "K1"][0]

    def date(s):
        return tuple(int(x) for x in s.split("-")) if s else None
    out = {}
    for p in course.iter("participant"):
        if p.get("status") != "completed":
            continue
        c = cadres[p.get("cadre")]
        out[p.get("cadre")] = {
            "full_name": c.findtext("full-name"),
            "birth": date(c.findtext("birth-date")),
            "course_title": course.findtext("title"),
            "start": date(course.get("start")), "end": date(course.get("end")),
            "grade": p.get("grade"), "issuer": course.findtext("organizer"),
            "issued": date(p.get("issued") or course.get("end")),
        }
    return out


def decode_qr(png):
    """The QR texts zbarimg reads in an image."""
    r = subprocess.run(["zbarimg", "-q", "--raw", png], capture_output=True,
                       text=True)
    return [l for l in r.stdout.split("\n") if l]


def render(pdf, page, dpi, out, fmt="-png"):
    """Page `page` of `pdf` rendered by poppler; the image's path."""
    subprocess.run(["pdftoppm", fmt, "-r", str(dpi), "-f", str(page), "-l",
                    str(page), "-singlefile", pdf, out], check=True,
                   capture_output=True)
    return out + (".png" if fmt == "-png" else ".jpg" if fmt == "-jpeg"
                  else ".pgm")


def make_template(work, size):
    """The shipped A4 template with its QR code `size` mm wide."""
    text = open(A4, encoding="utf-8").read()
    text, n = re.subn(r'<qr x="24" y="142" size="30"',
                      '<qr x="24" y="142" size="%g"' % size, text)
    assert n == 1, "the A4 template's QR code moved"
    path = os.path.join(work, "qr%g.xml" % size)
    open(path, "w", encoding="utf-8").write(text)
    return path


def main():
    work = tempfile.mkdtemp(prefix="test_verify.")
    try:
        run_tests(work)
        VERDICTS.poppler_clean(work, optional=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return VERDICTS.status()


def run_tests(work):
    r = tool("keys", ["generate", "-o", os.path.join(work, "keys")])
    keyfile = [f for f in os.listdir(os.path.join(work, "keys")) if f.endswith(".key")]
    if r.returncode != 0 or len(keyfile) != 1:
        report("keys-generate", False, r.stderr)
        return
    kid = keyfile[0][:-4]
    key = os.path.join(work, "keys", kid + ".key")
    pub = os.path.join(work, "keys", kid + ".pub")
    seed = sealfmt.read_key_file(key)["seed"]
    trusted = {bytes.fromhex(kid): sealfmt.read_key_file(pub)["public"]}
    report("keys-generate", sealfmt.key_id(sealfmt.public_of(seed)).hex() == kid)

    # Sealed certificates with the QR code printed 20 mm wide.
    tmpl = make_template(work, 20)
    combined = os.path.join(work, "all.pdf")
    r = tool("cert", ["-t", tmpl, "--course", "K1", "--sign-key", key,
                      "--combined", combined, "-o", os.path.join(work, "each"),
                      RECORDS])
    if r.returncode != 0:
        report("cert-sign-key", False, r.stderr)
        return
    want = expected_fields()
    doc = fitz.open(combined)
    texts, problems = [], []
    for i, page in enumerate(doc):
        png = render(combined, i + 1, 300, os.path.join(work, "p%d" % i))
        qr = decode_qr(png)
        if len(qr) != 1 or not qr[0].startswith(BASE):
            problems.append("page %d: zbarimg read %r" % (i + 1, qr))
            continue
        texts.append(qr[0])
        status, fields, got_kid = sealfmt.read_seal(qr[0], trusted)
        number = re.search(r"Số: (\S+)", page.get_text()).group(1)
        cadre = re.search(r"Mã học viên: (\S+)", page.get_text()).group(1)
        exp = dict(want[cadre], number=number)
        if status != "valid" or got_kid != kid or fields != exp:
            problems.append("page %d: %s %s, %r != %r" % (i + 1, status, got_kid,
                                                           fields, exp))
    report("qr-20mm-zbarimg-300dpi", not problems and len(texts) == 3,
           "; ".join(problems))

    # Sealing is deterministic: the same run gives the same bytes (with
    # the creation date fixed by SOURCE_DATE_EPOCH).
    runs = []
    for name in ("once.pdf", "again.pdf"):
        runs.append(os.path.join(work, name))
        tool("cert", ["-t", tmpl, "--course", "K1", "--sign-key", key,
                      "--combined", runs[-1], RECORDS],
             env=dict(os.environ, SOURCE_DATE_EPOCH="1561680000"))
    report("sealed-pdf-byte-identical",
           open(runs[0], "rb").read() == open(runs[1], "rb").read())

    # cadre-verify reads the text zbarimg found.
    if texts:
        r = tool("verify", ["--trusted", pub, texts[0]])
        report("verify-qr-text", r.returncode == 0 and r.stdout.startswith(
            "QR text: valid\n") and "Trần Quang Khải" in r.stdout and
            ("key id:       " + kid) in r.stdout, r.stdout + r.stderr)
        forgeries(work, texts[0], seed, pub, trusted)
    scans(work, combined, pub, key)
    register_revocations(work, key, pub, trusted)


def forgeries(work, text, seed, pub, trusted):
    """A changed name, another key, a cut: refused by cadre-verify."""
    _, fields, _ = sealfmt.read_seal(text, trusted)
    payload = sealfmt.unfragment(text)
    name = fields["full_name"].encode()
    at = payload.index(name)
    changed = payload[:at] + bytes([name[0] ^ 1]) + payload[at + 1:]  # T -> U
    other = hashlib.sha256(b"another office").digest()
    cases = {
        "changed-name": BASE + sealfmt.fragment(changed),
        "other-key": BASE + sealfmt.fragment(sealfmt.seal_bytes(
            dict(fields, full_name="Trần Quang Khánh"), other)),
        "truncated": text[:len(text) * 2 // 3],
        "signature-cut": BASE + sealfmt.fragment(payload[:-1]),
    }
    for name, forged in cases.items():
        r = tool("verify", ["--trusted", pub, forged])
        report("forged-" + name + "-refused", r.returncode == 1 and
               r.stdout.startswith("QR text: invalid"), r.stdout + r.stderr)


def printed_qr(work, name, text):
    """A one-page PDF whose QR code holds `text` as it is (a template's
    QR text; Base45 holds no brace), rendered at 300 dpi: its PNG."""
    tmpl = os.path.join(work, name + ".xml")
    open(tmpl, "w", encoding="utf-8").write(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<certificate page="A5" orientation="landscape">\n'
        '  <text x="10" y="20">Giấy chứng nhận</text>\n'
        '  <qr x="20" y="40" size="20">%s</qr>\n</certificate>\n' % text)
    pdf = os.path.join(work, name + ".pdf")
    r = tool("cert", ["-t", tmpl, "--course", "K1", "--cadre", "DL0001",
                      "--combined", pdf, RECORDS])
    assert r.returncode == 0, r.stderr
    return render(pdf, 1, 300, os.path.join(work, name))


def scans(work, combined, pub, key):
    """cadre-verify on a PDF, a PNG and a JPEG, finding the QR codes itself
    (poppler renders, libzbar decodes)."""
    r = tool("verify", ["-q", "--trusted", pub, combined])
    report("verify-pdf-every-page", r.returncode == 0 and r.stdout ==
           "".join("%s page %d: valid\n" % (combined, i) for i in (1, 2, 3)),
           r.stdout + r.stderr)
    png = render(combined, 2, 300, os.path.join(work, "scan"))
    r = tool("verify", ["--trusted", pub, png])
    report("verify-png-scan", r.returncode == 0 and
           r.stdout.startswith(png + ": valid\n") and
           "full name:    Hoàng Thị Nguyệt\n" in r.stdout, r.stdout + r.stderr)
    jpg = render(combined, 3, 300, os.path.join(work, "scan"), "-jpeg")
    r = tool("verify", ["--trusted", pub, jpg])
    report("verify-jpeg-scan", r.returncode == 0 and
           r.stdout.startswith(jpg + ": valid\n") and
           "full name:    Lý Văn Sỹ\n" in r.stdout, r.stdout + r.stderr)

    # Printed forgeries: decoded from their images, refused.
    _, fields, _ = sealfmt.read_seal(decode_qr(png)[0], {
        sealfmt.key_id(sealfmt.read_key_file(pub)["public"]):
        sealfmt.read_key_file(pub)["public"]})
    payload = sealfmt.unfragment(decode_qr(png)[0])
    at = payload.index("Nguyệt".encode())
    changed = payload[:at] + b"M" + payload[at + 1:]
    other = sealfmt.seal_bytes(dict(fields, full_name="Hoàng Thị Nguyên"),
                               hashlib.sha256(b"another office").digest())
    for name, frag in (("changed-name", sealfmt.fragment(changed)),
                       ("other-key", sealfmt.fragment(other))):
        img = printed_qr(work, name, BASE + frag)
        r = tool("verify", ["--trusted", pub, img])
        report("forged-%s-scan-refused" % name, r.returncode == 1 and
               r.stdout.startswith(img + ": invalid"), r.stdout + r.stderr)
    # An unsealed certificate's QR code, and a page without any.
    r = tool("cert", ["--course", "K1", "--combined",
                      os.path.join(work, "plain.pdf"), RECORDS])
    r = tool("verify", ["--trusted", pub, os.path.join(work, "plain.pdf")])
    report("unsealed-pdf-invalid", r.returncode == 1 and
           "page 1: invalid: not a certificate's seal" in r.stdout,
           r.stdout + r.stderr)
    stock = os.path.join(work, "stock.pdf")  # pre-printed stock: no QR
    tool("cert", ["-t", "chung-chi", "--course", "K1", "--cadre", "DL0001",
                  "--combined", stock, RECORDS])
    r = tool("verify", ["--trusted", pub, stock])
    report("pdf-without-qr", r.returncode == 1 and
           r.stdout == stock + ": no QR code found\n", r.stdout + r.stderr)
    a4 = os.path.join(TOP, "templates", "cert", "a4.xml")
    r = tool("verify", ["--trusted", pub, png, a4])
    report("not-an-image-unreadable", r.returncode == 2 and
           r.stdout.startswith(png + ": valid\n") and r.stderr ==
           "cadre-verify: cannot read '%s': not a PDF, PNG or JPEG file "
           "(told by its content)\n" % a4, r.stdout + r.stderr)


def register_revocations(work, key, pub, trusted):
    """Certificates sealed through a register (cadre-cert --register-db),
    one revoked (cadre-register revoke) and the list exported signed
    (export-revocations): read by sealfmt, and by cadre-verify, which
    shows that one as revoked and the others valid."""
    reg = os.path.join(work, "so-goc.sqlite")
    out = os.path.join(work, "so-goc")
    lst = os.path.join(work, "revocations.txt")
    steps = [
        tool("register", [reg, "create"]),
        tool("cert", ["--course", "K1", "--sign-key", key, "--register-db",
                      reg, "-o", out, RECORDS]),
        tool("register", [reg, "revoke", "2/2019/CC", "--reason",
                          "Cấp nhầm người", "--decision", "15/QĐ-TTBD",
                          "--date", "2020-03-02"]),
        tool("register", [reg, "export-revocations", "--sign-key", key,
                          "-o", lst],
             env=dict(os.environ, SOURCE_DATE_EPOCH="1583193600")),
    ]
    bad = [r for r in steps if r.returncode != 0]
    if bad:
        report("register-export-revocations", False, bad[0].stderr)
        return
    data = open(lst, "rb").read()
    try:
        entries = sealfmt.read_revocation_list(data, trusted)
    except Exception as e:  # a list sealfmt cannot read is the failure
        entries = repr(e)
    report("register-export-revocations", entries ==
           {"2/2019/CC": ("2020-03-02", "15/QĐ-TTBD", "Cấp nhầm người")} and
           b"\ndate 2020-03-03\n" in data, repr(entries))
    pdfs = sorted(os.path.join(out, f) for f in os.listdir(out))
    r = tool("verify", ["-q", "--trusted", pub, "--revocations", lst] + pdfs)
    want = ["%s page 1: %s" % (p, "revoked on 02/03/2020, decision "
                               "'15/QĐ-TTBD', reason 'Cấp nhầm người'"
                               if "2-2019-CC" in p else "valid") for p in pdfs]
    report("verify-register-revoked", r.returncode == 1 and
           r.stdout.splitlines() == want, r.stdout + r.stderr)


if __name__ == "__main__":
    sys.exit(main())
