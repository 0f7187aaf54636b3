#!/usr/bin/python3
"""Misuse of every tool's inputs and outputs (issue 12, section 4: the
generic cases, shared by every tool through src/records/files.c, the safe
XML reader and the expression language):

- more than 64 input files, and an output naming the 65th or the 70th;
- an output through a symbolic link, or /dev/stdout: written through,
  the link never replaced, never an empty output with exit status 0;
- SIGINT, SIGTERM and SIGHUP in the middle of a write, a file over the
  size limit, a full disk: no temporary file left, the file and the cause;
- a malformed SOURCE_DATE_EPOCH;
- expressions nested 60,000 deep in every tool's templates.

Each run is held to its exit status, its message, and to every input and
every other file being left as it was (the helpers of test_hostile.py).
Prints "ok misuse/NAME" / "FAIL misuse/NAME" lines (tests/run).
"""
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import time

from test_hostile import (BIN, SMALL, SMALL_TEXT, TEMPLATES, TOP, fresh,
                          outputs_of, problems_of, run)
from verdicts import Verdicts

VERDICTS = Verdicts("misuse")
report = VERDICTS.report

TOOLS = ("roster", "cert", "report")
EMPTY = '<?xml version="1.0" encoding="UTF-8"?>\n<records version="1"/>\n'
MAGIC = {"roster": b"PK\x03\x04", "cert": None, "report": b"%PDF-"}


def outputs():
    """(tool, label, args for an output path P, magic bytes of the file)."""
    for tool in TOOLS:
        for label, mk in outputs_of(tool, None):
            magic = b"%PDF-" if label in ("combined", "pdf") else b"PK\x03\x04"
            yield tool, label, mk, magic


def with_records(args, files):
    """args of outputs_of() with the records SMALL replaced by `files`."""
    out = []
    for a in args:
        out.extend(files if a == SMALL else [a])
    return out


def read(path):
    with open(path, "rb") as f:
        return f.read()


def test_many_inputs(tmp):
    """70 records files (only the first holds records): an output naming
    the 65th or the 70th is refused and the file left as it was (the
    registry of inputs held 64)."""
    for tool, label, mk, _ in outputs():
        for k in (65, 70):
            out = fresh(tmp, "out")
            tdir = fresh(tmp, "tmpdir")
            files = [os.path.join(out, f"r{i:02d}.xml") for i in range(1, 71)]
            for i, p in enumerate(files):
                with open(p, "w", encoding="utf-8") as f:
                    f.write(SMALL_TEXT if i == 0 else EMPTY)
            target = files[k - 1]
            r, secs = run(tool, with_records(mk(target), files), tdir)
            bad = problems_of(r, secs, 10, 1, re.escape(
                f"cadre-{tool}: cannot write '{target}': it is one of the "
                "input files"), out, tdir, files=[os.path.basename(p) for p in files])
            if read(target).decode() != EMPTY:
                bad.append(f"input #{k} was changed")
            report(f"output-is-input-{k}-of-70-{tool}-{label}", not bad,
                   "; ".join(bad))


def test_symlink_output(tmp):
    """An output that is a symbolic link is written through it: the file
    it points to holds the output, the link stays a link (it was replaced
    by a plain file)."""
    for tool, label, mk, magic in outputs():
        for case in ("to-file", "dangling", "chain", "relative-dir"):
            out = fresh(tmp, "out")
            tdir = fresh(tmp, "tmpdir")
            real = os.path.join(out, "sub", "real")
            os.makedirs(os.path.dirname(real))
            if case != "dangling":
                with open(real, "wb") as f:
                    f.write(b"old content\n")
            link = os.path.join(out, "link")
            if case == "chain":
                os.symlink("sub/real", os.path.join(out, "link2"))
                os.symlink("link2", link)
            elif case == "relative-dir":
                os.makedirs(os.path.join(out, "d"))
                link = os.path.join(out, "d", "link")
                os.symlink("../sub/real", link)
            else:
                os.symlink("sub/real", link)
            before = os.readlink(link)
            r, secs = run(tool, mk(link), tdir)
            bad = []
            if r is None or r.returncode != 0:
                bad.append(f"exit status {r.returncode if r else 'hang'}: "
                           f"{r.stderr.decode()[:300] if r else ''}")
            if not os.path.islink(link) or os.readlink(link) != before:
                bad.append("the link was replaced")
            if not os.path.isfile(real) or not read(real).startswith(magic):
                bad.append("the file the link points to does not hold the output")
            if sorted(os.listdir(os.path.join(out, "sub"))) != ["real"] or \
                    os.listdir(tdir):
                bad.append(f"left behind: {os.listdir(os.path.join(out, 'sub'))} "
                           f"{os.listdir(tdir)}")
            report(f"output-symlink-{case}-{tool}-{label}", not bad, "; ".join(bad))


def test_stdout_output(tmp):
    """-o /dev/stdout (and a link of one's own to /proc/self/fd/1): the
    output goes to standard output, whole, whether it is a file or a pipe;
    /dev/stdout stays a link; standard output closed is an error, not an
    empty output with exit status 0."""
    env = {"SOURCE_DATE_EPOCH": "1562284800"}
    for tool, label, mk, magic in outputs():
        out = fresh(tmp, "out")
        tdir = fresh(tmp, "tmpdir")
        ref = os.path.join(out, "ref")
        r, _ = run(tool, mk(ref), tdir, env=env)
        if r is None or r.returncode != 0:
            report(f"output-stdout-{tool}-{label}", False, "the reference run failed")
            continue
        want = read(ref)
        os.unlink(ref)
        mine = os.path.join(out, "my-stdout")
        os.symlink("/proc/self/fd/1", mine)
        for name, path in (("dev-stdout", "/dev/stdout"), ("proc-link", mine)):
            # to a file
            dest = os.path.join(out, "dest")
            with open(dest, "wb") as f:
                r = subprocess.run([os.path.join(BIN, "cadre-" + tool)] + mk(path),
                                   stdout=f, stderr=subprocess.PIPE, timeout=60,
                                   env=dict(os.environ, TMPDIR=tdir, **env))
            bad = []
            if r.returncode != 0:
                bad.append(f"to a file: exit status {r.returncode}: {r.stderr[:200]!r}")
            elif read(dest) != want:
                bad.append(f"to a file: {len(read(dest))} bytes, not the "
                           f"{len(want)} of the output")
            # to a pipe
            p = subprocess.run([os.path.join(BIN, "cadre-" + tool)] + mk(path),
                               capture_output=True, timeout=60,
                               env=dict(os.environ, TMPDIR=tdir, **env))
            if p.returncode != 0 or p.stdout != want:
                bad.append(f"to a pipe: exit status {p.returncode}, "
                           f"{len(p.stdout)} bytes of {len(want)}")
            # closed
            c = subprocess.run([os.path.join(BIN, "cadre-" + tool)] + mk(path),
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, timeout=60,
                               env=dict(os.environ, TMPDIR=tdir, **env),
                               preexec_fn=lambda: os.close(1))
            if c.returncode != 1 or f"cannot write '{path}'" not in c.stderr.decode():
                bad.append(f"stdout closed: exit status {c.returncode}, "
                           f"{c.stderr.decode()[:200]!r}")
            if not os.path.islink("/dev/stdout") or not os.path.islink(mine):
                bad.append("a link was replaced")
            if sorted(os.listdir(out)) != ["dest", "my-stdout"] or os.listdir(tdir):
                bad.append(f"left behind: {os.listdir(out)} {os.listdir(tdir)}")
            os.unlink(dest)
            report(f"output-{name}-{tool}-{label}", not bad, "; ".join(bad))


def big_records(path, n, numbered=False):
    """n cadres, each in a course: outputs that take a while to write;
    `numbered`: each with a certificate number and its date."""
    with open(path, "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<records version="1" as-of="2018-12-31" issuer="Huyện ủy" '
                'place="Đình Lập" signer="Hoàng Văn Thắng" signer-title="TRƯỞNG BAN">'
                '<units><unit id="U" name="Xã Đình Lập" level="xa"/></units><cadres>\n')
        for i in range(n):
            f.write(f'<cadre id="C{i}" unit="U"><full-name>Nguyễn Văn An {i}'
                    '</full-name><gender>nam</gender><birth-date>1980-02-03'
                    '</birth-date><category>cong-chuc</category><education>'
                    'dai-hoc</education><political-theory>trung-cap'
                    '</political-theory></cadre>\n')
        f.write('</cadres><courses><course id="SC-2018" type="so-cap-llct" '
                'start="2018-03-05" end="2018-06-28"><title>Sơ cấp</title>'
                '<organizer>Trung tâm</organizer>')
        for i in range(n):
            number = (f' certificate-no="{i + 1}/2018/CC" issued="2018-06-30"'
                      if numbered else "")
            f.write(f'<participant cadre="C{i}" status="completed" grade="kha"'
                    f'{number}/>\n')
        f.write("</course></courses></records>\n")


def test_signals(tmp):
    """SIGINT, SIGTERM or SIGHUP while the output is being written: the
    signal ends the run as it would (status -SIG), and no temporary file
    is left, in the output's folder or in $TMPDIR."""
    rec = os.path.join(tmp, "big.xml")
    big_records(rec, 20000)
    for tool, label, mk, _ in outputs():
        if tool == "report":
            continue  # its temporary file lives for a few milliseconds
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            out = fresh(tmp, "out")
            tdir = fresh(tmp, "tmpdir")
            target = os.path.join(out, "o")
            args = with_records(mk(target), [rec])
            proc = subprocess.Popen([os.path.join(BIN, "cadre-" + tool)] + args,
                                    stdout=subprocess.DEVNULL,
                                    stderr=subprocess.PIPE,
                                    env=dict(os.environ, TMPDIR=tdir))
            deadline = time.monotonic() + 60
            seen = False
            while time.monotonic() < deadline and proc.poll() is None:
                if any(f.startswith(".o.") for f in os.listdir(out)):
                    seen = True
                    time.sleep(0.05)
                    proc.send_signal(sig)
                    break
                time.sleep(0.002)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            bad = []
            if not seen:
                bad.append("the run ended before its temporary file was seen")
            elif proc.returncode != -sig:
                bad.append(f"exit status {proc.returncode}, expected {-sig}")
            if os.listdir(out) or os.listdir(tdir):
                bad.append(f"left behind: {os.listdir(out)} {os.listdir(tdir)}")
            report(f"signal-{sig.name}-{tool}-{label}", not bad, "; ".join(bad))


def limit_file_size(size):
    """A preexec_fn: files of at most `size` bytes (ulimit -f)."""
    return lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))


def write_failure(r, secs, tool, target, cause, out, tdir):
    """A failed write held whole: exit status 1, one line naming the file
    and the cause (errno's words: no "[ERROR]" of libxlsxwriter, no
    "Zip generic error", no libharu error number, no "Operation not
    permitted"), nothing else on stderr, nothing left behind, and the
    file that was there kept."""
    bad = problems_of(r, secs, 60, 1, re.escape(
        f"cadre-{tool}: cannot write '{target}': {cause}") + "$", out, tdir,
        files=("o",))
    lines = r.stderr.decode().splitlines() if r is not None else []
    if len(lines) != 1:
        bad.append(f"{len(lines)} lines on stderr: {lines[:3]!r}")
    if read(target) != b"old content\n":
        bad.append("the file that was there was changed")
    return bad


def register_export(tmp, n=3000):
    """A register holding n certificate numbers (cadre-register import),
    and the arguments of cadre-register that export it to a path P."""
    rec = os.path.join(tmp, "numbers.xml")
    big_records(rec, n, numbered=True)
    reg = os.path.join(tmp, "register.sqlite")
    tool = os.path.join(BIN, "cadre-register")
    for args in (["create"], ["import", rec]):
        subprocess.run([tool, reg] + args, check=True, capture_output=True)
    return lambda p: [reg, "export", "-o", p]


def writers(tmp):
    """(tool, label, args for an output path P) of every writer: the
    outputs of roster, cert and report, and the register's export."""
    for tool, label, mk, _ in outputs():
        yield tool, label, mk
    yield "register", "export", register_export(tmp)


def test_full_disk(tmp):
    """A file over the size limit (ulimit -f: SIGXFSZ killed the tool and
    left its temporary file) and, where a small file system can be
    mounted, a full disk, for every writer (the register's export too):
    exit status 1, the file and the cause, nothing left, and the file
    that was there kept."""
    rec = os.path.join(tmp, "big.xml")
    big_records(rec, 20000)
    every = list(writers(tmp))
    for tool, label, mk in every:
        out = fresh(tmp, "out")
        tdir = fresh(tmp, "tmpdir")
        target = os.path.join(out, "o")
        with open(target, "wb") as f:
            f.write(b"old content\n")
        args = [os.path.join(BIN, "cadre-" + tool)] + with_records(mk(target), [rec])
        r = subprocess.run(args, capture_output=True, timeout=60,
                           env=dict(os.environ, TMPDIR=tdir),
                           # SQLite writes its shared memory file (32 KB)
                           # to read the register
                           preexec_fn=limit_file_size(
                               65536 if tool == "register" else 4096))
        bad = write_failure(r, 0, tool, target, "File too large", out, tdir)
        report(f"output-over-size-limit-{tool}-{label}", not bad, "; ".join(bad))
    mnt = os.path.join(tmp, "small-fs")
    os.makedirs(mnt)
    if os.geteuid() != 0 or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", mnt],
            capture_output=True).returncode != 0:
        return  # no small file system here: the size limit above stands in
    try:
        for tool, label, mk in every:
            tdir = fresh(tmp, "tmpdir")
            target = os.path.join(mnt, "o")
            with open(target, "wb") as f:
                f.write(b"old content\n")
            r, secs = run(tool, with_records(mk(target), [rec]), tdir)
            bad = write_failure(r, secs, tool, target, "No space left on device",
                                mnt, tdir)
            os.unlink(target)
            report(f"output-disk-full-{tool}-{label}", not bad, "; ".join(bad))
    finally:
        subprocess.run(["umount", mnt])


def test_cut_short(tmp):
    """Writes that fail where the libraries did not look: the last bytes
    of a PDF (libharu never checked its fclose(): a file one byte over
    the size limit was cut and the run succeeded), and libxlsxwriter's
    temporary copies of a sheet, larger than the workbook (it never
    checks their writes: the zip of a cut sheet was a corrupt workbook
    and a success), under a size limit and in a small $TMPDIR.  Each is
    a failure with its cause, and the file that was there is kept."""
    every = list(writers(tmp))
    for tool, label, mk in every:
        out = fresh(tmp, "out")
        tdir = fresh(tmp, "tmpdir")
        target = os.path.join(out, "o")
        r, _ = run(tool, mk(target), tdir)
        if r is None or r.returncode != 0:
            report(f"output-one-byte-over-{tool}-{label}", False,
                   f"the run without a limit failed: {r and r.stderr[:200]!r}")
            continue
        size = os.path.getsize(target)
        with open(target, "wb") as f:
            f.write(b"old content\n")
        r = subprocess.run([os.path.join(BIN, "cadre-" + tool)] + mk(target),
                           capture_output=True, timeout=60,
                           env=dict(os.environ, TMPDIR=tdir),
                           preexec_fn=limit_file_size(size - 1))
        bad = write_failure(r, 0, tool, target, "File too large", out, tdir)
        report(f"output-one-byte-over-{tool}-{label}", not bad, "; ".join(bad))
    rec = os.path.join(tmp, "big.xml")
    big_records(rec, 20000)  # a sheet of 16 MB in a workbook of 1.2 MB
    out = fresh(tmp, "out")
    target = os.path.join(out, "o")
    args = [os.path.join(BIN, "cadre-roster"), "-o", target, rec]

    def cut(name, limit, tdir, cause):
        with open(target, "wb") as f:
            f.write(b"old content\n")
        r = subprocess.run(args, capture_output=True, timeout=120,
                           env=dict(os.environ, TMPDIR=tdir),
                           preexec_fn=limit_file_size(limit))
        bad = write_failure(r, 0, "roster", target, cause, out, tdir)
        report(f"roster-temporary-{name}", not bad, "; ".join(bad))

    cut("over-size-limit", 3 << 20, fresh(tmp, "tmpdir"), "File too large")
    mnt = os.path.join(tmp, "small-tmp")
    os.makedirs(mnt)
    if os.geteuid() != 0:
        return
    # the sheet's rows do not fit; its whole copy does not fit beside them
    for name, size, cause in (
            ("rows-disk-full", "8m", "No space left on device"),
            ("copy-disk-full", "24m", "a sheet's temporary copy was cut short "
                                      "(is the temporary folder full?)")):
        if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}",
                           "tmpfs", mnt], capture_output=True).returncode:
            return
        try:
            cut(name, resource.RLIM_INFINITY, mnt, cause)
        finally:
            subprocess.run(["umount", mnt])


def test_output_names_font(tmp):
    """An output naming a font the run reads (the build's subset beside
    the tool, or the full face fontconfig found) is refused like one
    naming the records: a test once wrote a PDF over the system's Noto
    Serif.  Run on copies: the tools and their subsets in tmp, fontconfig
    told of a copy of the Noto Serif faces only."""
    root = os.path.join(tmp, "frozen")
    sysfonts = os.path.join(tmp, "system-fonts")
    os.makedirs(os.path.join(root, "bin"))
    shutil.copytree(os.path.join(os.path.dirname(BIN), "fonts"),
                    os.path.join(root, "fonts"))
    os.makedirs(sysfonts)
    for face in ("Regular", "Bold", "Italic", "BoldItalic"):
        shutil.copy(f"/usr/share/fonts/truetype/noto/NotoSerif-{face}.ttf",
                    sysfonts)
    conf = os.path.join(tmp, "fonts.conf")
    with open(conf, "w") as f:
        f.write(f'<?xml version="1.0"?><fontconfig><dir>{sysfonts}</dir>'
                f'<cachedir>{tmp}/fc-cache</cachedir></fontconfig>')
    env = {"FONTCONFIG_FILE": conf, "CADRE_DATA_DIR": TOP}
    before = {}
    for d in (sysfonts, os.path.join(root, "fonts")):
        for name in os.listdir(d):
            before[os.path.join(d, name)] = read(os.path.join(d, name))
    for tool, label, mk, _ in outputs():
        if tool == "roster":
            continue  # reads no font
        shutil.copy(os.path.join(BIN, "cadre-" + tool), os.path.join(root, "bin"))
        for where, font in (("subset", os.path.join(root, "fonts", "NotoSerif-Regular.ttf")),
                            ("system", os.path.join(sysfonts, "NotoSerif-Regular.ttf"))):
            tdir = fresh(tmp, "tmpdir")
            r = subprocess.run([os.path.join(root, "bin", "cadre-" + tool)] + mk(font),
                               capture_output=True, timeout=60,
                               env=dict(os.environ, TMPDIR=tdir, **env))
            bad = problems_of(r, 0, 60, 1, re.escape(
                f"cadre-{tool}: cannot write '{font}': it is one of the input "
                "files") + "$", os.path.dirname(font), tdir,
                files=[os.path.basename(p) for p in before
                       if os.path.dirname(p) == os.path.dirname(font)])
            changed = [os.path.basename(p) for p, data in before.items()
                       if read(p) != data]
            if changed:
                bad.append(f"fonts changed: {changed}")
                for p, data in before.items():
                    with open(p, "wb") as f:
                        f.write(data)
            report(f"output-names-{where}-font-{tool}-{label}", not bad,
                   "; ".join(bad))


def test_fifo_font(tmp):
    """A font that is not a regular file is not read: a FIFO where the
    build's subset of Noto Serif lies is passed over (the full face is
    used), where the run waited on it for ever."""
    root = os.path.join(tmp, "frozen")
    os.makedirs(os.path.join(root, "bin"))
    shutil.copytree(os.path.join(os.path.dirname(BIN), "fonts"),
                    os.path.join(root, "fonts"))
    fifo = os.path.join(root, "fonts", "NotoSerif-Regular.ttf")
    os.remove(fifo)
    os.mkfifo(fifo)
    env = dict(os.environ, CADRE_DATA_DIR=TOP)
    for tool, label, mk, magic in outputs():
        if tool == "roster":
            continue  # reads no font
        shutil.copy(os.path.join(BIN, "cadre-" + tool), os.path.join(root, "bin"))
        out = fresh(tmp, "out")
        target = os.path.join(out, "o")
        try:
            r = subprocess.run([os.path.join(root, "bin", "cadre-" + tool)]
                               + mk(target), capture_output=True, timeout=20,
                               env=env)
        except subprocess.TimeoutExpired:
            report(f"fifo-font-{tool}-{label}", False, "no end in 20 s")
            continue
        bad = []
        if r.returncode != 0:
            bad.append(f"exit status {r.returncode}: {r.stderr[:300]!r}")
        elif not read(target).startswith(magic):
            bad.append("no PDF written")
        report(f"fifo-font-{tool}-{label}", not bad, "; ".join(bad))

def test_system_files_guard(tmp):
    """tests/run names the test that changed a system file (a test once
    replaced Noto Serif, found hours later and by no name): the guard it
    runs after each test, tests/system-files, on a folder standing for
    the system's fonts: a file rewritten in place with the same bytes, one
    replaced by a rename, one made and one removed are each named with
    the test; the next test, which changes nothing, is not blamed."""
    guard = os.path.join(TOP, "tests", "system-files")
    fonts = os.path.join(tmp, "fonts")
    os.makedirs(os.path.join(fonts, "noto"))
    font = os.path.join(fonts, "noto", "NotoSerif-Regular.ttf")
    other = os.path.join(fonts, "noto", "NotoSans-Regular.ttf")
    for p in (font, other):
        with open(p, "wb") as f:
            f.write(b"\0\1\0\0 a font")
    state = os.path.join(tmp, "state")
    env = dict(os.environ, CADRE_SYSTEM_DIRS=fonts)
    subprocess.run([guard, state], env=env, check=True)
    time.sleep(0.05)  # past the tick the files were made in

    def written():
        with open(font, "r+b") as f:
            f.write(read(font))

    def renamed():
        with open(font + ".tmp", "wb") as f:
            f.write(b"%PDF-1.7")
        os.replace(font + ".tmp", font)

    def made():
        with open(os.path.join(fonts, "new.out"), "wb") as f:
            f.write(b"%PDF-1.7")

    cases = (("written-in-place", written, [font]),
             ("replaced-by-rename", renamed, [font]),
             ("file-made", made, [fonts, os.path.join(fonts, "new.out")]),
             ("file-removed", lambda: os.remove(other), [other]))
    for name, change, paths in cases:
        change()
        r = subprocess.run([guard, state, f"func/{name}"], env=env,
                           capture_output=True, text=True)
        want = [f"FAIL system-files: func/{name} changed a system file"]
        want += sorted("  " + p for p in paths)
        lines = r.stdout.splitlines()
        if name != "file-made":  # the font folder's own times change too
            lines = [x for x in lines if x != "  " + os.path.dirname(font)]
        bad = [] if r.returncode == 1 else [f"exit status {r.returncode}"]
        if lines != want:
            bad.append(f"printed {lines}, expected {want}")
        r = subprocess.run([guard, state, "func/next"], env=env,
                           capture_output=True, text=True)
        if r.returncode != 0 or r.stdout:
            bad.append(f"the next test blamed too: {r.stdout!r}")
        report(f"system-files-guard-{name}", not bad, "; ".join(bad))



def outputs_and_files():
    """outputs(), and cadre-cert's per-person files in a folder P."""
    yield from outputs()
    yield ("cert", "files",
           lambda p: ["--course", "SC-2018", "-o", p + "/", SMALL], b"%PDF-")


def test_source_date_epoch(tmp):
    """A malformed SOURCE_DATE_EPOCH is an error, as the reproducible-builds
    specification asks, not a date made of an overflow; nothing written."""
    for value in ("abc", "12.5", "-1", "1e9", " 1562284800",
                  "99999999999999999999", "253402300800"):
        for tool, label, mk, _ in outputs_and_files():
            out = fresh(tmp, "out")
            tdir = fresh(tmp, "tmpdir")
            r, secs = run(tool, mk(os.path.join(out, "o")), tdir,
                          env={"SOURCE_DATE_EPOCH": value})
            bad = problems_of(r, secs, 10, 1, re.escape(
                f"cadre-{tool}: SOURCE_DATE_EPOCH '{value}' is not a number of "
                "seconds since 1970 before the year 10000"), out, tdir)
            report(f"source-date-epoch-{value.strip() or 'blank'}-{tool}-{label}",
                   not bad, "; ".join(bad))


def test_deep_expressions(tmp):
    """Expressions nested 60,000 deep (unary minus, "not", parentheses)
    in a template: a clear error with the template's line, not a stack
    overflow."""
    for tool in TOOLS:
        for name, expr in (("minus", "-" * 60000 + "1"),
                           ("not", "not " * 15000 + "true"),
                           ("parens", "(" * 30000 + "1" + ")" * 30000)):
            out = fresh(tmp, "out")
            tdir = fresh(tmp, "tmpdir")
            t = os.path.join(out, "t.xml")
            text = TEMPLATES[tool][1].replace("TEXT", "{" + expr + "}")
            with open(t, "w", encoding="utf-8") as f:
                f.write(text)
            args = outputs_of(tool, None)[0][1](os.path.join(out, "o"))
            r, secs = run(tool, ["-t", t] + args, tdir)
            bad = problems_of(r, secs, 2, 1, re.escape(t) + r":3: error: "
                              r"expression nested too deeply", out, tdir,
                              files=("t.xml",))
            report(f"template-nested-{name}-{tool}", not bad, "; ".join(bad))


def main():
    return VERDICTS.run((test_many_inputs, test_symlink_output,
                         test_stdout_output, test_signals, test_full_disk,
                         test_cut_short, test_output_names_font,
                         test_fifo_font, test_system_files_guard,
                         test_source_date_epoch, test_deep_expressions))


if __name__ == "__main__":
    sys.exit(main())
