#!/usr/bin/python3
"""Hostile and broken input, through every tool that reads it, and failing
outputs, for every tool that writes (issue 7).

tests/func/check/ holds one case per hostile records file for cadre-check
itself; this file sends the same attacks through cadre-roster, cadre-cert
and cadre-report (they load records the same way, but each tool has its own
path to the exit status and to its output), sends them again as templates
(which are XML read by the same safe reader), and breaks every output.

Each run is held to the promises of the README ("What the tools promise
about bad input and failures"):

- the documented exit status: 1 for invalid records, a template error or
  an output that cannot be written; 2 for an input that cannot be read;
- a message naming the file and the line (FILE:LINE: error: ...), or the
  file or the output (cadre-TOOL: cannot write 'PATH': ...);
- every line on stderr a diagnostic or a message of the tool: no crash, no
  sanitizer report, nothing printed by a library on its own;
- no hang: expansion bombs under a second, the rest in a few;
- nothing left behind: no output file and no temporary file, in the output
  folder or in $TMPDIR, and a file that was at the output path before is
  still there, byte for byte;
- nothing of a local file an entity points at in any output.

Prints "ok hostile/NAME" / "FAIL hostile/NAME" lines (tests/run).
"""
import gzip
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

from verdicts import Verdicts

TOP = os.environ.get("CADRE_TOP") or os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.environ.get("CADRE_BIN") or os.path.join(TOP, "build", "bin")
SMALL = os.path.join(TOP, "samples", "small.xml")
SECRET = "cadrekit-secret-7b1f"  # in a local file the attacks point at

VERDICTS = Verdicts("hostile")
report = VERDICTS.report


# ------------------------------------------------------------- inputs --

with open(SMALL, encoding="utf-8") as f:
    SMALL_TEXT = f.read()
# small.xml without its comments and declaration: the body of the attacks
BODY = re.sub(r"<!--.*?-->\s*", "", SMALL_TEXT, flags=re.S)
BODY = BODY.split("?>", 1)[1].strip()
DECL = '<?xml version="1.0" encoding="UTF-8"?>\n'
# the first cadre's name, where the attacks go in (the root's signer=
# holds the same name, in an attribute)
NAME = "<full-name>Hoàng Văn Thắng"


def in_name(text):
    """The small file with `text` for the first cadre's name."""
    return BODY.replace(NAME, "<full-name>" + text, 1)


LAUGHS = "".join(
    f'  <!ENTITY lol{i} "' + f"&lol{i - 1};" * 10 + '">\n' for i in range(1, 10))
BILLION = (DECL + '<!DOCTYPE records [\n  <!ENTITY lol0 "lol">\n' + LAUGHS
           + "]>\n" + in_name("&lol9;"))
QUADRATIC = (DECL + '<!DOCTYPE records [\n  <!ENTITY a "' + "a" * 50000
             + '">\n]>\n' + in_name("&a;" * 20000))


def xxe(secret_path):
    return (DECL + f'<!DOCTYPE records [\n  <!ENTITY x SYSTEM "file://{secret_path}">\n]>\n'
            + in_name("&x;"))


def records_attacks(tmp):
    """(name, bytes of the file or None for special, expected status,
    regex the stderr must match with FILE standing for the path, time
    limit in seconds)."""
    secret = os.path.join(tmp, "secret.txt")
    with open(secret, "w") as f:
        f.write(SECRET + "\n")
    dtd = os.path.join(tmp, "secret.dtd")
    with open(dtd, "w") as f:
        f.write(f'<!ENTITY x "{SECRET}">\n')
    lines = (DECL + BODY).split("\n")
    n31 = len(lines) // 2  # a line in the middle
    bad_utf8 = "\n".join(lines[:n31]).encode() + b"\n<!-- \xe9t\xe9 -->\n" + \
        "\n".join(lines[n31:]).encode()
    nul = "\n".join(lines[:n31]).encode() + b"\n\x00\n" + "\n".join(lines[n31:]).encode()
    whole = (DECL + BODY).encode()
    deep = (DECL + '<records version="1">\n' + "<a>" * 10000 + "</a>" * 10000
            + "\n</records>\n").encode()
    doctype = r"FILE:[23]: error: DOCTYPE declarations are not allowed"
    return [
        ("xxe-local-file", xxe(secret).encode(), 1, doctype, 1),
        ("xxe-etc-passwd", xxe("/etc/passwd").encode(), 1, doctype, 1),
        ("external-dtd", (DECL + f'<!DOCTYPE records SYSTEM "{dtd}">\n' + BODY)
         .encode(), 1, doctype, 1),
        ("billion-laughs", BILLION.encode(), 1, doctype, 1),
        ("quadratic-blowup", QUADRATIC.encode(), 1, doctype, 1),
        ("deep-10000", deep, 1, r"FILE:3: error: elements nested too deep", 2),
        ("invalid-utf8", bad_utf8, 1, rf"FILE:{n31 + 1}: error: invalid UTF-8", 2),
        ("nul-byte", nul, 1, rf"FILE:{n31 + 1}: error: malformed XML: ", 2),
        ("utf16-bom", b"\xff\xfe" + (DECL.replace("UTF-8", "UTF-16") + BODY)
         .encode("utf-16-le"), 1, r"FILE: error: UTF-16 text, expected UTF-8", 2),
        ("gzip", gzip.compress(whole, mtime=0), 1,
         r"FILE: error: gzip-compressed file, expected plain UTF-8 XML", 2),
        ("truncated", whole[:len(whole) // 2], 1, r"FILE:\d+: error: malformed XML: ", 2),
        ("empty", b"", 1, r"FILE: error: empty file", 2),
        ("directory", None, 2, r"cadre-TOOL: cannot read 'FILE': Is a directory", 2),
    ]


# --------------------------------------------------------------- tools --

# Each tool: its template's root and a template with TEXT on line 3, and
# how to run it with records REC, template T (or None) into folder OUT.
TEMPLATES = {
    "roster": ("roster", DECL + '<roster>\n  <sheet name="A" rows="cadres">'
               '<column heading="H" value="TEXT"/></sheet>\n</roster>\n'),
    "cert": ("certificate", DECL + '<certificate page="A5" orientation="landscape">\n'
             '  <text x="10" y="10" w="150" h="10">TEXT</text>\n</certificate>\n'),
    "report": ("booklet", DECL + '<booklet>\n  <title>T</title><section title="A">'
               '<p>TEXT</p></section>\n</booklet>\n'),
}


def tool_args(tool, rec, tmpl, out):
    """The arguments and the output files the run would write."""
    t = ["-t", tmpl] if tmpl else []
    if tool == "check":
        return [rec], []
    if tool == "roster":
        return t + ["-o", os.path.join(out, "r.xlsx"), rec], ["r.xlsx"]
    if tool == "cert":
        return t + ["--course", "SC-2018", "-o", os.path.join(out, "each"),
                    "--combined", os.path.join(out, "c.pdf"),
                    "--register", os.path.join(out, "r.xlsx"), rec], \
            ["each", "c.pdf", "r.xlsx"]
    return t + ["--year", "2018", "-o", os.path.join(out, "b.pdf"), rec], ["b.pdf"]


DIAG = re.compile(r"^(\S.*?)(:\d+)?: (error|warning|note): |^cadre-\w+: \S")
CRASH = re.compile(r"AddressSanitizer|runtime error:|Segmentation|Aborted|"
                   r"core dumped|==\d+==|Traceback|parser error|I/O error")


def run(tool, args, tmpdir, cwd=None, env=None):
    env = dict(os.environ, TMPDIR=tmpdir, **(env or {}))
    start = time.monotonic()
    try:
        r = subprocess.run([os.path.join(BIN, "cadre-" + tool)] + args,
                           capture_output=True, env=env, cwd=cwd, timeout=60)
    except subprocess.TimeoutExpired:
        return None, 60.0
    return r, time.monotonic() - start


def problems_of(r, secs, limit, status, pattern, out, tmpdir, files=()):
    """What is wrong with a failed run, as a list of strings."""
    if r is None:
        return ["did not finish in 60 s"]
    err = r.stderr.decode("utf-8", "replace")
    outp = r.stdout.decode("utf-8", "replace")
    bad = []
    if r.returncode != status:
        bad.append(f"exit status {r.returncode}, expected {status}")
    if not re.search(pattern, err, re.M):
        bad.append(f"no line matching {pattern!r}")
    if CRASH.search(err):
        bad.append("a crash or a library's own message")
    stray = [l for l in err.splitlines() if l and not DIAG.match(l)]
    if stray:
        bad.append(f"stray lines on stderr: {stray[:2]!r}")
    if len(err) > 20000:
        bad.append(f"stderr of {len(err)} bytes")
    if SECRET in err or SECRET in outp or "root:x:" in err + outp:
        bad.append("a local file's content in the messages")
    if secs > limit:
        bad.append(f"took {secs:.2f} s (limit {limit} s)")
    left = [f for f in sorted(os.listdir(out)) if f not in files]
    if left:
        bad.append(f"left in the output folder: {left}")
    if os.listdir(tmpdir):
        bad.append(f"left in $TMPDIR: {os.listdir(tmpdir)}")
    if bad:
        bad.append("stderr: " + err[:300].replace("\n", " | "))
    return bad


def fresh(tmp, name):
    d = os.path.join(tmp, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d


# ------------------------------------------------------------- records --

def test_records(tmp):
    """Every hostile records file through every tool."""
    attacks = records_attacks(tmp)
    for name, data, status, pattern, limit in attacks:
        path = os.path.join(tmp, f"{name}.xml")
        if data is None:
            os.makedirs(path, exist_ok=True)
        else:
            with open(path, "wb") as f:
                f.write(data)
        for tool in ("check", "roster", "cert", "report"):
            out = fresh(tmp, "out")
            tdir = fresh(tmp, "tmpdir")
            args, _ = tool_args(tool, path, None, out)
            r, secs = run(tool, args, tdir)
            pat = re.escape(path).join(pattern.replace("TOOL", tool).split("FILE"))
            bad = problems_of(r, secs, limit, status, pat, out, tdir)
            report(f"records-{name}-{tool}", not bad, "; ".join(bad))


def test_huge_text(tmp):
    """A 100 MB text node: refused fast by every tool, the text not echoed."""
    path = os.path.join(tmp, "huge.xml")
    with open(path, "wb") as f:
        head, tail = in_name("\0").split("\0", 1)
        f.write((DECL + head).encode())
        chunk = b"a" * (1 << 20)
        for _ in range(100):
            f.write(chunk)
        f.write(tail.encode())
    line = (DECL + head).count("\n") + 1
    for tool in ("check", "roster", "cert", "report"):
        out = fresh(tmp, "out")
        tdir = fresh(tmp, "tmpdir")
        args, _ = tool_args(tool, path, None, out)
        r, secs = run(tool, args, tdir)
        pat = re.escape(f"{path}:{line}: error: text longer than 65536 bytes in <full-name>")
        bad = problems_of(r, secs, 3, 1, pat, out, tdir)
        report(f"records-100mb-text-{tool}", not bad, "; ".join(bad))
    os.unlink(path)


def test_bom_accepted(tmp):
    """A UTF-8 byte-order mark is no attack: every tool reads the file."""
    path = os.path.join(tmp, "bom.xml")
    with open(path, "wb") as f:
        f.write(b"\xef\xbb\xbf" + SMALL_TEXT.encode())
    for tool in ("check", "roster", "cert", "report"):
        out = fresh(tmp, "out")
        tdir = fresh(tmp, "tmpdir")
        args, files = tool_args(tool, path, None, out)
        r, _ = run(tool, args, tdir)
        ok = r is not None and r.returncode == 0 and \
            sorted(os.listdir(out)) == sorted(files)
        report(f"records-utf8-bom-read-{tool}", ok,
               r.stderr.decode("utf-8", "replace")[:300] if r else "hang")


# ----------------------------------------------------------- templates --

def template_attacks(tool, tmp):
    """(name, files {name: bytes} with t.xml the template, status, regex
    for the stderr with FILE for t.xml's path, time limit)."""
    root, text = TEMPLATES[tool]
    secret = os.path.join(tmp, "secret.txt")

    def with_text(s):
        return text.replace("TEXT", s)
    good = with_text("{cadre.full-name}" if tool != "report" else "{count(cadres)}")
    g_lines = good.split("\n")
    doctype = r"FILE:2: error: DOCTYPE declarations are not allowed"
    cycle_a = DECL + f"<{root}>\n  <include file=\"inc/b.xml\"/>\n</{root}>\n"
    cycle_b = DECL + "<fragment>\n  <include file=\"../t.xml\"/>\n</fragment>\n"
    at = lambda s: good.replace(f"<{root}", s + f"<{root}", 1)
    deep = good.replace(f"</{root}>", "<a>" * 10000 + "</a>" * 10000 + f"\n</{root}>")
    value = "{cadre.full-name}" if tool != "report" else "{count(cadres)}"
    return [
        ("xxe", at(f'<!DOCTYPE {root} [<!ENTITY x SYSTEM "file://{secret}">]>\n')
         .replace(value, value + "&x;"), 1, doctype, 1),
        ("external-dtd", at(f'<!DOCTYPE {root} SYSTEM "file://{secret}">\n'),
         1, doctype, 1),
        ("billion-laughs", at('<!DOCTYPE x [\n  <!ENTITY lol0 "lol">\n' + LAUGHS
                              + "]>\n").replace(value, value + "&lol9;"), 1,
         r"FILE:2: error: DOCTYPE declarations are not allowed", 1),
        ("deep-10000", deep, 1, r"FILE:4: error: elements nested too deep", 2),
        ("100mb-text", with_text("a" * (100 << 20)), 1,
         r"FILE:3: error: (text longer than 65536 bytes in <p>|text longer than 65536 "
         r"bytes in <text>|a name, value or comment longer than 10 MB)$", 3),
        ("invalid-utf8", with_text("TEXT").encode().replace(b"TEXT", b"\xc3(", 1), 1,
         r"FILE:3: error: invalid UTF-8", 2),
        ("nul-byte", good.encode().replace(b"\n</", b"\n\x00</", 1), 1,
         r"FILE:4: error: malformed XML: ", 2),
        ("utf16-bom", b"\xff\xfe" + good.replace("UTF-8", "UTF-16").encode("utf-16-le"),
         1, r"FILE: error: UTF-16 text, expected UTF-8", 2),
        ("gzip", gzip.compress(good.encode(), mtime=0), 1,
         r"FILE: error: gzip-compressed file, expected plain UTF-8 XML", 2),
        ("truncated", good.encode()[:len(good.encode()) - 12], 1,
         r"FILE:\d+: error: malformed XML: ", 2),
        ("empty", b"", 1, r"FILE: error: empty file", 2),
        ("includes-itself", good.replace(
            "\n  <", '\n  <include file="t.xml"/><', 1), 1,
         r"FILE:3: error: include cycle: 'FILE' includes itself", 2),
        ("include-outside-relative", good.replace(
            "\n  <", '\n  <include file="../secret.txt"/><', 1), 1,
         r"FILE:3: error: cannot include '\.\./secret\.txt': outside the template's folder", 2),
        ("include-outside-absolute", good.replace(
            "\n  <", '\n  <include file="/etc/passwd"/><', 1), 1,
         r"FILE:3: error: cannot include '/etc/passwd': outside the template's folder", 2),
        ("include-cycle", {"t.xml": cycle_a, "inc/b.xml": cycle_b}, 1,
         r"inc/b\.xml:3: error: include cycle: ", 2),
        ("unknown-placeholder", with_text("{cadre.nick-name}" if tool != "report"
                                          else "{count(cadres where nick-name = 1)}"),
         1, r"FILE:3: error: unknown name '(cadre\.)?nick-name'", 2),
        ("unbalanced-parens", with_text("{count(cadres where (gender = nu)}"), 1,
         r"FILE:3: error: unbalanced parentheses: missing '\)' in ", 2),
        ("unbalanced-paren-extra", with_text("{count(cadres where gender = nu))}"), 1,
         r"FILE:3: error: unbalanced parentheses: unexpected '\)' in ", 2),
        ("unterminated-placeholder", with_text("Họ tên {cadre.full-name"), 1,
         r"FILE:3: error: unterminated placeholder \(write '\{\{' for a literal brace\)", 2),
        ("unmatched-brace", with_text("Họ tên cadre.full-name}"), 1,
         r"FILE:3: error: unmatched '\}' \(write '\}\}' for a literal brace\)", 2),
        ("unterminated-string", with_text("{if(leader, 'a, 'b')}"), 1,
         r"FILE:3: error: ", 2),
        ("wrong-root", good.replace(f"<{root}", "<nonsense", 1)
         .replace(f"</{root}>", "</nonsense>"), 1,
         rf"FILE:2: error: the root element is <nonsense>, expected <{root}>", 2),
    ]


def test_templates(tmp):
    """Every hostile template through every tool that takes templates."""
    secret = os.path.join(tmp, "secret.txt")
    with open(secret, "w") as f:
        f.write(SECRET + "\n")
    for tool in ("roster", "cert", "report"):
        for name, data, status, pattern, limit in template_attacks(tool, tmp):
            tdir_t = fresh(tmp, "tmpl")
            files = data if isinstance(data, dict) else {"t.xml": data}
            for fname, content in files.items():
                p = os.path.join(tdir_t, fname)
                os.makedirs(os.path.dirname(p), exist_ok=True)
                with open(p, "wb") as f:
                    f.write(content.encode() if isinstance(content, str) else content)
            t = os.path.join(tdir_t, "t.xml")
            out = fresh(tmp, "out")
            tdir = fresh(tmp, "tmpdir")
            args, _ = tool_args(tool, SMALL, t, out)
            r, secs = run(tool, args, tdir)
            pat = re.escape(t).join(pattern.split("FILE"))
            if "inc/b" in pattern:
                pat = re.escape(tdir_t + "/") + pattern
            bad = problems_of(r, secs, limit, status, pat, out, tdir)
            report(f"template-{name}-{tool}", not bad, "; ".join(bad))
        # a folder given as the template: roster and cert want a file;
        # report reads booklet.xml in it, and here there is none
        d = fresh(tmp, "tmpl-dir")
        out = fresh(tmp, "out")
        tdir = fresh(tmp, "tmpdir")
        args, _ = tool_args(tool, SMALL, d, out)
        r, secs = run(tool, args, tdir)
        want = (rf"cadre-{tool}: cannot open '{re.escape(d)}/booklet\.xml': No such file"
                if tool == "report" else
                rf"cadre-{tool}: cannot (open|read) template '{re.escape(d)}': Is a directory")
        bad = problems_of(r, secs, 2, 2, want, out, tdir)
        report(f"template-directory-{tool}", not bad, "; ".join(bad))


# ------------------------------------------------------------- outputs --

def outputs_of(tool, out):
    """(label, args, path written) for each output the tool writes."""
    rec = SMALL
    if tool == "roster":
        return [("xlsx", lambda p: ["-o", p, rec])]
    if tool == "report":
        return [("pdf", lambda p: ["--year", "2018", "-o", p, rec])]
    return [("combined", lambda p: ["--course", "SC-2018", "--combined", p, rec]),
            ("register", lambda p: ["--course", "SC-2018", "--register", p, rec])]


def test_outputs(tmp):
    """Outputs that cannot be written, a file already there, /dev/full."""
    root = os.geteuid() == 0
    for tool in ("roster", "cert", "report"):
        for label, mk in outputs_of(tool, None):
            name = f"{tool}-{label}"
            # a folder that does not exist; a file taken for a folder
            for case, sub, why in (("no-such-dir", "no/such/dir/x", "No such file or directory"),
                                   ("parent-is-a-file", "file/x", "Not a directory")):
                out = fresh(tmp, "out")
                tdir = fresh(tmp, "tmpdir")
                with open(os.path.join(out, "file"), "w") as f:
                    f.write("x")
                p = os.path.join(out, sub)
                r, secs = run(tool, mk(p), tdir)
                bad = problems_of(r, secs, 5, 1,
                                  re.escape(f"cadre-{tool}: cannot write '{p}': {why}"),
                                  out, tdir, files=("no", "file"))
                if os.path.exists(os.path.join(out, "no")) and \
                        os.listdir(os.path.join(out, "no")):
                    bad.append("something written under no/")
                report(f"output-{case}-{name}", not bad, "; ".join(bad))
            # a folder nobody may write in: a read-only one (for root, who
            # may write anywhere, sysfs refuses new files)
            out = fresh(tmp, "out")
            tdir = fresh(tmp, "tmpdir")
            ro = os.path.join(out, "ro")
            os.makedirs(ro)
            os.chmod(ro, 0o555)
            p = "/sys/cadre-test-output" if root else os.path.join(ro, "x")
            r, secs = run(tool, mk(p), tdir)
            os.chmod(ro, 0o755)
            bad = problems_of(r, secs, 5, 1,
                              re.escape(f"cadre-{tool}: cannot write '{p}': ") +
                              r"(Permission denied|Read-only file system)",
                              out, tdir, files=("ro",))
            if os.listdir(ro):
                bad.append(f"written in a read-only folder: {os.listdir(ro)}")
            report(f"output-unwritable-dir-{name}", not bad, "; ".join(bad))
            # /dev/full: the message, and no temporary file left in $TMPDIR
            out = fresh(tmp, "out")
            tdir = fresh(tmp, "tmpdir")
            r, secs = run(tool, mk("/dev/full"), tdir)
            bad = problems_of(r, secs, 10, 1,
                              re.escape(f"cadre-{tool}: cannot write '/dev/full': "
                                        "No space left on device"), out, tdir)
            report(f"output-dev-full-{name}", not bad, "; ".join(bad))
            # a file already there: replaced whole on success, no temporary left
            out = fresh(tmp, "out")
            tdir = fresh(tmp, "tmpdir")
            p = os.path.join(out, "old")
            with open(p, "wb") as f:
                f.write(b"old content\n")
            r, secs = run(tool, mk(p), tdir)
            with open(p, "rb") as f:
                head = f.read(5)
            ok = r is not None and r.returncode == 0 and head in (b"%PDF-", b"PK\x03\x04\x14"[:5]) \
                and os.listdir(out) == ["old"] and not os.listdir(tdir)
            report(f"output-existing-replaced-{name}", ok,
                   f"{r.returncode if r else 'hang'} {head!r} {os.listdir(out)} "
                   f"{r.stderr.decode('utf-8', 'replace')[:200] if r else ''}")
            # ... and kept byte for byte when the run fails (a template error)
            out = fresh(tmp, "out")
            tdir = fresh(tmp, "tmpdir")
            p = os.path.join(out, "old")
            with open(p, "wb") as f:
                f.write(b"old content\n")
            t = os.path.join(tmp, f"bad-{tool}.xml")
            with open(t, "w", encoding="utf-8") as f:
                f.write(TEMPLATES[tool][1].replace("TEXT", "{cadre.nick-name}"))
            r, secs = run(tool, ["-t", t] + mk(p), tdir)
            with open(p, "rb") as f:
                kept = f.read() == b"old content\n"
            bad = problems_of(r, secs, 5, 1, re.escape(t) + r":3: error: ", out,
                              tdir, files=("old",))
            if not kept:
                bad.append("the file that was there was changed")
            report(f"output-existing-kept-on-failure-{name}", not bad, "; ".join(bad))
            # the output is the template the run reads
            out = fresh(tmp, "out")
            tdir = fresh(tmp, "tmpdir")
            t2 = os.path.join(out, "t.xml")
            good = TEMPLATES[tool][1].replace(
                "TEXT", "{cadre.full-name}" if tool != "report" else "{count(cadres)}")
            with open(t2, "w", encoding="utf-8") as f:
                f.write(good)
            r, secs = run(tool, ["-t", t2] + mk(t2), tdir)
            with open(t2, encoding="utf-8") as f:
                kept = f.read() == good
            bad = problems_of(r, secs, 5, 1,
                              re.escape(f"cadre-{tool}: cannot write '{t2}': "
                                        "it is one of the input files"),
                              out, tdir, files=("t.xml",))
            if not kept:
                bad.append("the template was changed")
            report(f"output-is-the-template-{name}", not bad, "; ".join(bad))


def test_same_path_twice(tmp):
    """cadre-cert writes several files: two of them on one path is refused
    before anything is written."""
    cases = [
        ("combined-in-each", lambda o: ["--course", "SC-2018", "-o", o + "/each",
                                        "--combined", o + "/each/125-2018-SC_Pham-Thi-Thu.pdf"]),
        ("register-in-each", lambda o: ["--course", "SC-2018", "-o", o + "/each",
                                        "--register", o + "/each/125-2018-SC_Pham-Thi-Thu.pdf"]),
        ("combined-is-each", lambda o: ["--course", "SC-2018", "-o", o + "/each",
                                        "--combined", o + "/each"]),
    ]
    first = None
    out = fresh(tmp, "out")
    r, _ = run("cert", ["--course", "SC-2018", "-o", out + "/each", SMALL], fresh(tmp, "tmpdir"))
    if r and r.returncode == 0:
        first = sorted(os.listdir(out + "/each"))
    report("cert-per-person-name", first is not None and len(first) == 1,
           f"{first} {r.stderr if r else ''}")
    if not first:
        return
    for name, mk in cases:
        out = fresh(tmp, "out")
        tdir = fresh(tmp, "tmpdir")
        args = mk(out)
        args[-1] = args[-1].replace("125-2018-SC_Pham-Thi-Thu.pdf", first[0])
        r, secs = run("cert", args + [SMALL], tdir)
        target = args[-1]
        bad = problems_of(r, secs, 5, 1,
                          re.escape(f"cadre-cert: cannot write '{target}': ") +
                          r"(it is also the file of the certificate of S\d+ |"
                          r"it is the folder of the per-person certificates)",
                          out, tdir)
        report(f"output-same-path-twice-{name}", not bad, "; ".join(bad))


# ------------------------------------------- pages, fonts and images --

CERT_T = (DECL + '<certificate page="A5" orientation="landscape">\n'
          '  <text x="10" y="10" w="150" h="10">{cadre.full-name}</text>\n'
          '  ELEMENT\n</certificate>\n')
COURSE = os.path.join(TOP, "tests", "func", "cert", "data", "course.xml")


def png(width, height, idat=None):
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + \
            struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    if idat is None:
        idat = zlib.compress(b"".join(b"\0" + b"\xff\0\0" * width
                                      for _ in range(min(height, 64))))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + \
        chunk(b"IEND", b"")


def jpeg(width, height):
    """JPEG markers only: a frame header of width x height, a scan of
    three bytes, the end of image."""
    import struct
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 17, 8, height, width, 3) + \
        b"\x01\x22\x00\x02\x11\x01\x03\x11\x01"
    sos = b"\xff\xda" + struct.pack(">HB", 12, 3) + b"\x01\x00\x02\x11\x03\x11\x00\x3f\x00"
    return b"\xff\xd8" + app0 + sof + sos + b"\x12\x34\x56\xff\xd9"


def cert_case(tmp, name, element, files, status, pattern, env=None, limit=2,
              written=()):
    """Run cadre-cert on CERT_T with `element` on line 4 and `files` beside
    it; check as problems_of() does."""
    d = fresh(tmp, "tmpl")
    for fname, data in files.items():
        p = os.path.join(d, fname)
        if data is None:
            os.makedirs(p)
        else:
            with open(p, "wb") as f:
                f.write(data)
    t = os.path.join(d, "t.xml")
    with open(t, "w", encoding="utf-8") as f:
        f.write(CERT_T.replace("ELEMENT", element))
    out = fresh(tmp, "out")
    tdir = fresh(tmp, "tmpdir")
    r, secs = run("cert", ["-t", t, "--course", "K1", "-o", os.path.join(out, "each"),
                           "--combined", os.path.join(out, "a.pdf"), COURSE],
                  tdir, env=env)
    pat = re.escape(t).join(pattern.split("FILE"))
    bad = problems_of(r, secs, limit, status, pat, out, tdir, files=written)
    if written and sorted(os.listdir(out)) != sorted(written):
        bad.append(f"wrote {os.listdir(out)}, expected {list(written)}")
    report(f"cert-{name}", not bad, "; ".join(bad))


def test_cert_pages_images_fonts(tmp):
    """Elements off the page, broken and huge images, missing fonts."""
    off = "FILE:4: error: <{}> reaches outside the 210x148 mm page"
    for el, xml in (("image", '<image file="s.png" x="200" y="40" w="20" h="20"/>'),
                    ("line", '<line x1="10" y1="40" x2="300" y2="40"/>'),
                    ("qr", '<qr x="200" y="130" size="30">{number}</qr>'),
                    ("text", '<text x="-5" y="10" w="50" h="10">A</text>'),
                    ("circle", '<circle cx="5" cy="5" r="20"/>'),
                    ("rect", '<rect x="100" y="100" w="150" h="10"/>')):
        cert_case(tmp, f"off-the-page-{el}", xml, {"s.png": png(4, 4)}, 1,
                  re.escape(off.format(el)).replace("FILE", "FILE"))
    image = '<image file="{}" x="10" y="40" w="20" h="20"/>'
    who = r"FILE:4: error: certificate 1/2019/CC for DL0001 'Trần Quang Khải': "
    good = png(4, 4)
    bad_crc = bytearray(good)
    bad_crc[good.find(b"IDAT") + 6] ^= 0xFF
    for name, fname, data, why in (
            ("png-corrupt-data", "s.png", bytes(bad_crc), r"corrupt or unsupported image 's\.png': "),
            ("png-truncated", "s.png", good[:40], r"corrupt or unsupported image 's\.png': "),
            ("png-20000x20000", "s.png", png(20000, 20000),
             r"corrupt or unsupported image 's\.png': larger than 16 megapixels"),
            ("png-not-an-image", "s.png", b"hello\n", r"image 's\.png' is neither PNG nor JPEG"),
            ("jpeg-garbage", "s.jpg", b"\xff\xd8\xff\xe0" + b"\x13\x37" * 50,
             r"corrupt or unsupported image 's\.jpg': "),
            ("jpeg-truncated", "s.jpg", jpeg(40, 40)[:-8],
             r"corrupt or unsupported image 's\.jpg': truncated JPEG"),
            ("jpeg-20000x20000", "s.jpg", jpeg(20000, 20000),
             r"corrupt or unsupported image 's\.jpg': larger than 16 megapixels"),
            ("image-is-a-directory", "s.png", None, r"s\.png"),
            ("image-empty", "s.png", b"", r"s\.png")):
        why = why.replace(r"'s\.", r"'([^']*/)?s\.")  # the path from the template's folder
        cert_case(tmp, f"image-{name}", image.format(fname), {fname: data}, 1,
                  r"FILE:4: error: .*" + why, limit=1)
    # a family that is not installed: Noto Serif instead, with a note
    fam = '<text x="10" y="30" w="150" h="10" family="No Such Family">{number}</text>'
    cert_case(tmp, "font-not-installed", fam, {}, 0,
              r"font 'No Such Family' Regular is not installed; using 'Noto Serif' instead",
              written=("a.pdf", "each"))
    # no font at all: an error naming the template's line, nothing written
    conf = os.path.join(tmp, "fonts.conf")
    with open(conf, "w") as f:
        f.write('<?xml version="1.0"?><fontconfig><dir>/nonexistent</dir>'
                f'<cachedir>{tmp}/fc-cache</cachedir></fontconfig>')
    nofonts = {"FONTCONFIG_FILE": conf}
    cert_case(tmp, "font-none", fam, {}, 1, r"FILE:3: error: no usable font for this text",
              env=nofonts, limit=5)
    # the shipped template has 17 texts: the missing font is told once
    out, tdir = fresh(tmp, "out"), fresh(tmp, "tmpdir")
    r, secs = run("cert", ["--course", "K1", "-o", os.path.join(out, "each"), COURSE],
                  tdir, env=nofonts)
    lines = r.stderr.decode("utf-8", "replace").splitlines() if r else []
    told = [l for l in lines if "no usable font" in l]
    report("cert-font-none-told-once", r is not None and r.returncode == 1 and len(told) == 2
           and told[1].endswith("error: no usable font for this text"), repr(lines[:6]))
    # the same for the booklet's font
    for name, env, status, pattern, written in (
            ("font-not-installed", None, 0,
             r"font 'No Such Family' Regular is not installed; using 'Noto Serif' instead",
             ["b.pdf"]),
            ("font-none", nofonts, 1, r"FILE:2: error: no usable font for the booklet", [])):
        d = fresh(tmp, "tmpl")
        t = os.path.join(d, "t.xml")
        with open(t, "w", encoding="utf-8") as f:
            f.write(TEMPLATES["report"][1].replace("<booklet>", '<booklet font="No Such Family">')
                    .replace("TEXT", "{count(cadres)}"))
        out = fresh(tmp, "out")
        tdir = fresh(tmp, "tmpdir")
        r, secs = run("report", ["-t", t, "--year", "2018", "-o",
                                 os.path.join(out, "b.pdf"), SMALL], tdir, env=env)
        bad = problems_of(r, secs, 10, status, re.escape(t).join(pattern.split("FILE")),
                          out, tdir, files=written)
        if sorted(os.listdir(out)) != written:
            bad.append(f"wrote {os.listdir(out)}")
        report(f"report-{name}", not bad, "; ".join(bad))


WINDOWS_RESERVED = re.compile(r"(CON|PRN|AUX|NUL|COM\d|LPT\d)$", re.I)


def test_cert_file_names(tmp):
    """Numbers, names and ids that are device names on Windows (the
    certificates go to shared folders), 300-character numbers and names,
    and names that fold to the same ASCII: every file is written, under
    its own safe name, inside the folder."""
    long_no = "9/" + "X" * 298
    people = [("CON", "CON", "Con"), ("AUX", "PRN", "Nul"), ("NUL", "LPT1", "COM1"),
              ("P1", long_no, "Đỗ " + "Thị " * 73 + "Hà"),
              ("P2", long_no + "Y", "Đỗ " + "Thị " * 73 + "Hạ"),
              ("P3", "1/2019", "Lê Văn Ấn"), ("P4", "1-2019", "Lễ Vân An"),
              ("P5", "1.2019", "LÊ VĂN AN")]
    units = '<unit id="U" name="Xã" level="xa"/>'
    cadres = "".join(
        f'<cadre id="{i}" unit="U"><full-name>{n}</full-name><gender>nam</gender>'
        f'<birth-date>1980</birth-date><category>cong-chuc</category>'
        f'<education>dai-hoc</education><political-theory>so-cap</political-theory>'
        f'</cadre>' for i, _, n in people)
    parts = "".join(f'<participant cadre="{i}" status="completed" certificate-no="{no}"/>'
                    for i, no, _ in people)
    rec = os.path.join(tmp, "names.xml")
    with open(rec, "w", encoding="utf-8") as f:
        f.write(DECL + f'<records version="1"><units>{units}</units><cadres>{cadres}'
                '</cadres><courses><course id="K" type="khac" start="2019-01-01" '
                'end="2019-01-02"><title>K</title><organizer>O</organizer>'
                f'{parts}</course></courses></records>\n')
    # the name alone, in a box that holds 300 characters
    t = os.path.join(tmp, "names-t.xml")
    with open(t, "w", encoding="utf-8") as f:
        f.write(CERT_T.replace("ELEMENT", "").replace(
            'w="150" h="10"', 'w="190" h="120" min-size="6"'))
    work = fresh(tmp, "work")
    tdir = fresh(tmp, "tmpdir")
    r, _ = run("cert", ["-t", t, "--course", "K", "-o", "out", rec], tdir, cwd=work)
    files = sorted(os.listdir(os.path.join(work, "out"))) \
        if os.path.isdir(os.path.join(work, "out")) else []
    bad = []
    if r is None or r.returncode != 0:
        bad.append(f"exit {r.returncode if r else 'hang'}: "
                   f"{r.stderr.decode('utf-8', 'replace')[:300] if r else ''}")
    if len(files) != len(people):
        bad.append(f"{len(files)} files for {len(people)}: {files}")
    for f in files:
        stem = f.split(".")[0]
        if WINDOWS_RESERVED.match(stem) or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*\.pdf", f) \
                or len(f) > 160:
            bad.append(f"unsafe name {f!r}")
    if len({f.lower() for f in files}) != len(files):
        bad.append("names equal but for case")
    if sorted(os.listdir(work)) != ["out"] or os.listdir(tdir):
        bad.append(f"written outside out/: {os.listdir(work)} {os.listdir(tdir)}")
    report("cert-file-names-windows-long-folded", not bad, "; ".join(bad))


def test_output_aliases_input(tmp):
    """An output path that reaches a records file by a symbolic or a hard
    link is that file: refused, and the records intact."""
    for tool in ("roster", "cert", "report"):
        for label, _ in outputs_of(tool, None):
            for kind in ("symlink", "hardlink"):
                out = fresh(tmp, "out")
                tdir = fresh(tmp, "tmpdir")
                rec = os.path.join(out, "in.xml")
                shutil.copy(SMALL, rec)
                alias = os.path.join(out, "alias")
                (os.symlink if kind == "symlink" else os.link)(
                    "in.xml" if kind == "symlink" else rec, alias)
                args = [rec if a == SMALL else a for a in
                        dict(outputs_of(tool, None))[label](alias)]
                r, secs = run(tool, args, tdir)
                bad = problems_of(r, secs, 5, 1,
                                  re.escape(f"cadre-{tool}: cannot write '{alias}': "
                                            "it is one of the input files"),
                                  out, tdir, files=("in.xml", "alias"))
                with open(rec, encoding="utf-8") as f:
                    if f.read() != SMALL_TEXT:
                        bad.append("the records were changed")
                report(f"output-{kind}-to-input-{tool}-{label}", not bad, "; ".join(bad))


def main():
    for t in ("check", "roster", "cert", "report"):
        if not os.access(os.path.join(BIN, "cadre-" + t), os.X_OK):
            report("tools", False, f"no cadre-{t} in {BIN}")
            return 1
    with tempfile.TemporaryDirectory() as tmp:
        for test in (test_records, test_huge_text, test_bom_accepted,
                     test_templates, test_outputs, test_same_path_twice,
                     test_output_aliases_input, test_cert_pages_images_fonts,
                     test_cert_file_names):
            sub = os.path.join(tmp, test.__name__)
            os.makedirs(sub)
            try:
                test(sub)
            except Exception as e:  # a crash of the test is a failure
                import traceback
                report(test.__name__, False, f"{type(e).__name__}: {e} "
                       + traceback.format_exc().splitlines()[-3])
        VERDICTS.poppler_clean(tmp)
    return VERDICTS.status()


if __name__ == "__main__":
    sys.exit(main())
