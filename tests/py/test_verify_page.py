#!/usr/bin/python3
"""The verification page (cadre-keys page, docs/verify.md) in headless
Chromium, Debian's: a seal read by zbarimg from a rendered certificate
shows every field in Vietnamese; a seal with one changed letter, one made
with another key and one cut short show invalid and no field; a revoked
certificate shows revoked when the page is served (over HTTP from
127.0.0.1) with the list cadre-register export-revocations wrote beside it, and a page opened from a
file says it cannot fetch the list, and a list changed after signing is
refused.  Forgeries are made by tests/py/sealfmt.py, not by our code.  The page itself must fetch nothing
(no external script, style or image; a Content-Security-Policy of
default-src 'none').  Prints "ok NAME" / "FAIL NAME" lines."""
import hashlib
import html.parser
import http.server
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading

import sealfmt
from verdicts import Verdicts

TOP = os.environ.get("CADRE_TOP") or os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("CADRE_BIN") or os.path.join(TOP, "build", "bin")
RECORDS = os.path.join(TOP, "tests", "func", "cert", "data", "course.xml")

VERDICTS = Verdicts("verify-page")
report = VERDICTS.report
CHROMIUM = shutil.which("chromium")


def tool(name, args):
    return subprocess.run([os.path.join(BIN, "cadre-" + name)] + args,
                          capture_output=True, text=True)


def dump_dom(url, work):
    """The page's DOM after its scripts ran, as headless Chromium has it."""
    profile = tempfile.mkdtemp(prefix="chromium.", dir=work)
    r = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--user-data-dir=" + profile,
         "--virtual-time-budget=10000", "--dump-dom", url],
        capture_output=True, text=True, timeout=120)
    return r.stdout


class Page(html.parser.HTMLParser):
    """What a reader sees: the verdict, the fields, the revocation line."""

    def __init__(self, dom):
        super().__init__()
        self.ids, self.attrs, self.hidden, self._stack = {}, {}, set(), []
        self.feed(dom)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.attrs[a["id"]] = a
            self.ids.setdefault(a["id"], "")
            if "hidden" in (a.get("class") or "").split():
                self.hidden.add(a["id"])
        if tag not in ("br", "meta", "input", "link"):
            self._stack.append(a.get("id"))

    def handle_endtag(self, tag):
        if tag not in ("br", "meta", "input", "link") and self._stack:
            self._stack.pop()

    def handle_data(self, data):
        for i in self._stack:
            if i:
                self.ids[i] += data

    def status(self):
        return self.attrs.get("verdict", {}).get("data-status")

    def text(self, id_):
        return " ".join(self.ids.get(id_, "").split())


class ExternalRefs(html.parser.HTMLParser):
    """Every reference the page makes to another resource."""

    def __init__(self, text):
        super().__init__()
        self.refs, self.csp = [], None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for k in ("src", "href", "data", "action", "poster"):
            if a.get(k):
                self.refs.append((tag, k, a[k]))
        if tag in ("link", "iframe", "object", "embed", "base"):
            self.refs.append((tag, "", ""))
        if tag == "meta" and a.get("http-equiv") == "Content-Security-Policy":
            self.csp = a.get("content")


def serve(folder):
    """A static server of `folder` on 127.0.0.1; its base URL."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a, **kw):
            super().__init__(*a, directory=folder, **kw)

        def log_message(self, *a):
            pass
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, "http://127.0.0.1:%d/" % srv.server_address[1]


def main():
    if not CHROMIUM:
        report("chromium", False, "no chromium on PATH (.ci/packages.txt)")
        return VERDICTS.status()
    work = tempfile.mkdtemp(prefix="test_verify_page.")
    try:
        run_tests(work)
        VERDICTS.poppler_clean(work, optional=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return VERDICTS.status()


def run_tests(work):
    keys = os.path.join(work, "keys")
    r = tool("keys", ["generate", "-o", keys])
    kid = [f[:-4] for f in os.listdir(keys) if f.endswith(".key")][0]
    seed = sealfmt.read_key_file(os.path.join(keys, kid + ".key"))["seed"]
    site = os.path.join(work, "site")
    os.mkdir(site)
    page = os.path.join(site, "index.html")
    r = tool("keys", ["page", "--trusted", keys, "-o", page])
    if r.returncode != 0:
        report("page-written", False, r.stderr)
        return
    text = open(page, encoding="utf-8").read()
    refs = ExternalRefs(text)
    report("page-self-contained", not refs.refs and refs.csp and
           "default-src 'none'" in refs.csp and kid in text,
           "references %r, CSP %r" % (refs.refs, refs.csp))

    # A real seal: cadre-cert seals through a register, poppler renders,
    # zbarimg reads.
    key = os.path.join(keys, kid + ".key")
    reg = os.path.join(work, "so-goc.sqlite")
    pdf = os.path.join(work, "c.pdf")
    tool("register", [reg, "create"])
    r = tool("cert", ["--course", "K1", "--cadre", "DL0002", "--sign-key",
                      key, "--register-db", reg, "-o",
                      os.path.join(work, "so-goc"), "--combined", pdf, RECORDS])
    subprocess.run(["pdftoppm", "-png", "-r", "300", "-singlefile", pdf,
                    os.path.join(work, "c")], capture_output=True)
    qr = subprocess.run(["zbarimg", "-q", "--raw", os.path.join(work, "c.png")],
                        capture_output=True, text=True).stdout.strip()
    if r.returncode != 0 or "#" not in qr:
        report("seal-read-by-zbarimg", False, r.stderr + qr)
        return
    frag = qr.split("#", 1)[1]
    url = "file://" + page + "#" + frag
    p = Page(dump_dom(url, work))
    want = {"f-number": "2/2019/CC", "f-name": "Hoàng Thị Nguyệt",
            "f-birth": "1985",
            "f-course": "Trung cấp lý luận chính trị – hành chính, khóa 2018 – 2019",
            "f-dates": "Từ ngày 05 tháng 3 năm 2018 đến ngày 28 tháng 6 năm 2019",
            "f-grade": "Giỏi",
            "f-issuer": "Trung tâm Bồi dưỡng chính trị huyện Đình Lập",
            "f-issued": "ngày 28 tháng 6 năm 2019", "f-key": kid}
    got = {k: p.text(k) for k in want}
    report("valid-shows-every-field", p.status() == "valid" and
           p.text("verdict").startswith("HỢP LỆ") and got == want and
           "fields" not in p.hidden, "%s %r" % (p.status(), got))
    report("file-page-says-list-unreachable",
           p.attrs.get("revocation", {}).get("data-status") == "unreachable" and
           "trang được mở từ tệp trên máy" in p.text("revocation"),
           p.text("revocation"))

    # Forgeries, made with sealfmt: none may show a field.
    trusted = {bytes.fromhex(kid): sealfmt.public_of(seed)}
    _, fields, _ = sealfmt.read_seal(qr, trusted)
    payload = sealfmt.unfragment(qr)
    at = payload.index("Nguyệt".encode())
    one_letter = payload[:at] + b"M" + payload[at + 1:]  # Nguyệt -> Mguyệt
    forged = {
        "changed-letter": sealfmt.fragment(one_letter),
        "other-key": sealfmt.fragment(sealfmt.seal_bytes(
            dict(fields, full_name="Hoàng Thị Nguyên"),
            hashlib.sha256(b"not the office").digest())),
        "truncated": frag[:len(frag) // 2],
    }
    for name, f in forged.items():
        p = Page(dump_dom("file://" + page + "#" + f, work))
        report("forged-%s-invalid" % name, p.status() == "invalid" and
               p.text("verdict").startswith("KHÔNG HỢP LỆ") and
               "fields" in p.hidden and not p.text("f-name"),
               "%s: %s" % (p.status(), p.text("verdict")))

    # Served with its revocation list beside it, as the register exports
    # it after a revocation.
    tool("register", [reg, "revoke", "2/2019/CC", "--reason", "Cấp trùng",
                      "--decision", "12/QĐ-TTBD", "--date", "2020-01-15"])
    r = tool("register", [reg, "export-revocations", "--sign-key", key, "-o",
                          os.path.join(site, "revocations.txt")])
    if r.returncode != 0:
        report("served-revoked", False, r.stderr)
        return
    lst = open(os.path.join(site, "revocations.txt"), "rb").read()
    srv, base = serve(site)
    try:
        p = Page(dump_dom(base + "#" + frag, work))
        report("served-revoked", p.status() == "revoked" and
               p.text("verdict").startswith("ĐÃ THU HỒI") and
               "ngày 15 tháng 01 năm 2020" in p.text("verdict") and
               "Cấp trùng" in p.text("verdict") and
               p.attrs.get("revocation", {}).get("data-status") == "revoked",
               "%s: %s / %s" % (p.status(), p.text("verdict"), p.text("revocation")))
        # a list changed after signing is refused, and the seal stays valid
        open(os.path.join(site, "revocations.txt"), "wb").write(
            lst.replace(b"2/2019/CC", b"3/2019/CC"))
        p = Page(dump_dom(base + "#" + frag, work))
        report("served-changed-list-refused", p.status() == "valid" and
               p.attrs.get("revocation", {}).get("data-status") == "bad",
               "%s: %s" % (p.status(), p.text("revocation")))
    finally:
        srv.shutdown()


if __name__ == "__main__":
    sys.exit(main())
