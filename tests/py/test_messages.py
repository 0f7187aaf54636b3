#!/usr/bin/python3
"""The tools speak Vietnamese to a Vietnamese clerk and English in the C
locale (issue 16).

    BUILD=build CADRE_TOP=. /usr/bin/python3 tests/py/test_messages.py

- a usage error and a data error read in Vietnamese under
  LANG=vi_VN.UTF-8 and under LANGUAGE=vi, in English under LC_ALL=C;
- the catalogue compiles with msgfmt --check, and is complete: every
  message the sources mark has its translation, none fuzzy (make
  po-check: xgettext, msgcmp, msgfmt --statistics);
- in use: every functional case (tests/func/TOOL/CASE) that expects a
  message on stderr is run again under LANGUAGE=vi, and no line it expects
  in English comes out unchanged: a message the sources forgot to mark, or
  that is assembled from English pieces, is named with its case.
"""

import glob
import os
import re
import subprocess
import sys
import tempfile

from verdicts import Verdicts

TOP = os.environ.get("CADRE_TOP") or os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.join(TOP, os.environ.get("BUILD", "build"), "bin")
v = Verdicts("messages")


def run(tool, args, **env):
    e = {k: x for k, x in os.environ.items()
         if not k.startswith("LC_") and k not in ("LANG", "LANGUAGE")}
    e.update(env)
    return subprocess.run([os.path.join(BIN, tool)] + args, env=e,
                          capture_output=True, text=True)


def have_locale(name):
    out = subprocess.run(["locale", "-a"], capture_output=True,
                         text=True).stdout.lower().split()
    return name.lower().replace("utf-8", "utf8") in out


def main():
    cases = [("LANGUAGE=vi", dict(LANG="C.UTF-8", LANGUAGE="vi"))]
    if have_locale("vi_VN.UTF-8"):
        cases.append(("LANG=vi_VN.UTF-8", dict(LANG="vi_VN.UTF-8")))
    else:
        v.report("vi_VN-locale-present", False,
                 "locale vi_VN.UTF-8 missing: .ci/install-deps makes it")
    for name, env in cases:
        r = run("cadre-check", [], **env)
        v.report(f"usage-error-in-vietnamese ({name})", r.returncode == 2 and
                 r.stderr.startswith("cadre-check: chưa chỉ ra tệp hồ sơ nào\n"),
                 r.stderr[:200])
        r = run("cadre-check", ["/nonexistent/cadres.xml"], **env)
        v.report(f"io-error-in-vietnamese ({name})", r.returncode == 2 and
                 ("không mở được" in r.stderr or
                  "Không có tập tin" in r.stderr),
                 r.stderr[:200])
    r = run("cadre-check", [], LC_ALL="C", LANGUAGE="vi")
    v.report("c-locale-is-english", r.returncode == 2 and
             r.stderr.startswith("cadre-check: no records file given\n"),
             r.stderr[:200])
    r = subprocess.run(["msgfmt", "--check", "-o", os.devnull,
                        os.path.join(TOP, "po", "vi.po")],
                       capture_output=True, text=True)
    v.report("catalogue-compiles", r.returncode == 0, r.stderr[-500:])
    r = subprocess.run(["make", "--no-print-directory", "-s", "po-check",
                        "B=" + os.environ.get("BUILD", "build")], cwd=TOP,
                       capture_output=True, text=True)
    v.report("catalogue-complete", r.returncode == 0,
             (r.stdout + r.stderr)[-800:])
    check_cases_in_vietnamese()
    return v.status()


# A line is English prose when, quoted values set aside, it holds three
# English words in a row; lines of data (paths, numbers, ids) are not.
PROSE = re.compile(r"\b[A-Za-z]{2,}(?: [a-z]{2,}){2,}\b")


def english(line):
    return PROSE.search(re.sub(r"'[^']*'", "''", line)) is not None


def expected_lines(case):
    lines = []
    for name in ("stderr", "stderr-has"):
        p = os.path.join(case, name)
        if os.path.exists(p):
            with open(p, encoding="utf-8") as f:
                lines += [x for x in f.read().splitlines() if x.strip()]
    return [x for x in lines if english(x)]


def run_case_in_vietnamese(case):
    """The case's tool run as tests/func/run-case runs it, in Vietnamese:
    its stderr."""
    tool = os.path.join(BIN, "cadre-" + os.path.basename(os.path.dirname(
        case.rstrip("/"))))
    with open(os.path.join(case, "args"), encoding="utf-8") as f:
        args = f.read()
    with tempfile.TemporaryDirectory() as out:
        e = {k: x for k, x in os.environ.items()
             if not k.startswith("LC_") and k not in ("LANG", "LANGUAGE")}
        e.update(LANG="C.UTF-8", LANGUAGE="vi", OUT=out)
        r = subprocess.run(["sh", "-c", 't=$1; eval "set -- $2"; exec "$t" "$@"',
                            "sh", tool, args], cwd=case, env=e,
                           stdin=subprocess.DEVNULL, capture_output=True,
                           timeout=300)
        return r.stderr.decode("utf-8", "replace")


def check_cases_in_vietnamese():
    leaks = {}
    for case in sorted(glob.glob(os.path.join(TOP, "tests/func/*/*/"))):
        if not os.path.exists(os.path.join(case, "args")):
            continue
        wanted = expected_lines(case)
        if not wanted:
            continue
        got = run_case_in_vietnamese(case)
        left = [w for w in wanted if w in got]
        if left:
            name = os.path.relpath(case, os.path.join(TOP, "tests/func"))
            leaks[name.rstrip("/")] = left
    v.report("func-cases-in-vietnamese", not leaks,
             "; ".join(f"{c}: {ls[0]!r}" for c, ls in
                       list(leaks.items())[:12]) +
             (f" ... ({len(leaks)} cases)" if len(leaks) > 12 else ""))


if __name__ == "__main__":
    sys.exit(main())
