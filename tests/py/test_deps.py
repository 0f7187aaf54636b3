#!/usr/bin/python3
"""`make check` installs only what is missing, says what, and never calls
sudo or apt-get when nothing is (issue 16): .ci/install-deps run with fake
dpkg-query, apt-get, sudo and id on PATH that record every call.

    CADRE_TOP=. /usr/bin/python3 tests/py/test_deps.py
"""

import os
import subprocess
import sys
import tempfile

from verdicts import Verdicts

TOP = os.environ.get("CADRE_TOP") or os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__))))
v = Verdicts("deps")

FAKES = {
    # installed unless named in $MISSING
    "dpkg-query": 'for a; do last=$a; done\n'
                  'for p in $MISSING; do [ "$p" = "$last" ] && exit 1; done\n'
                  'printf "ii "\n',
    "apt-get": 'echo "apt-get $*" >>"$CALLS"\n',
    "sudo": 'echo "sudo $*" >>"$CALLS"\n"$@"\n',
    "id": 'echo "${FAKE_UID:-0}"\n',
    "flock": 'shift; "$@"\n',
    "locale": 'echo C; [ -n "$NO_VI" ] || echo vi_VN.utf8\n',
    "localedef": 'echo "localedef $*" >>"$CALLS"\n',
}


def run(missing, uid, no_vi=""):
    with tempfile.TemporaryDirectory() as tmp:
        for name, body in FAKES.items():
            p = os.path.join(tmp, name)
            with open(p, "w") as f:
                f.write("#!/bin/sh\n" + body)
            os.chmod(p, 0o755)
        calls = os.path.join(tmp, "calls")
        env = dict(os.environ, PATH=tmp + ":/usr/bin:/bin", MISSING=missing,
                   CALLS=calls, FAKE_UID=str(uid), NO_VI=no_vi)
        r = subprocess.run([os.path.join(TOP, ".ci/install-deps")], env=env,
                           capture_output=True, text=True)
        made = open(calls).read() if os.path.exists(calls) else ""
        return r, made


def main():
    r, calls = run("", 1000)
    v.report("nothing-missing-is-silent", r.returncode == 0 and
             not r.stdout and not r.stderr and not calls,
             f"exit {r.returncode}, out {r.stdout!r}, calls {calls!r}")
    r, calls = run("qpdf zbar-tools", 1000)
    v.report("says-what-it-installs", r.returncode == 0 and
             "installing Debian packages: qpdf zbar-tools" in r.stdout,
             r.stdout + r.stderr)
    v.report("installs-only-the-missing",
             "install -y -qq --no-install-recommends qpdf zbar-tools" in calls
             and "libxml2-dev" not in calls and calls.startswith("sudo "),
             calls)
    r, calls = run("qpdf", 0)
    v.report("root-needs-no-sudo", "sudo" not in calls and
             "apt-get" in calls, calls)
    r, calls = run("", 1000, no_vi="1")
    v.report("makes-the-vi-locale-when-missing",
             "sudo flock" in calls and
             "localedef -i vi_VN -f UTF-8 vi_VN.UTF-8" in calls and
             "generating the locale vi_VN.UTF-8" in r.stdout, calls + r.stdout)
    return v.status()


if __name__ == "__main__":
    sys.exit(main())
