#!/usr/bin/python3
"""The tools speak Vietnamese to a Vietnamese clerk and English in the C
locale (issue 16).

    BUILD=build CADRE_TOP=. /usr/bin/python3 tests/py/test_messages.py

- a usage error and a data error read in Vietnamese under
  LANG=vi_VN.UTF-8 and under LANGUAGE=vi, in English under LC_ALL=C;
- the catalogue compiles with msgfmt --check.
"""

import os
import subprocess
import sys

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
    return v.status()


if __name__ == "__main__":
    sys.exit(main())
