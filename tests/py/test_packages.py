#!/usr/bin/python3
"""A fresh Debian 12 machine that installed .ci/packages.txt (what `make
check` installs) has everything CI needs (issue 16): checked against this
machine's dpkg database, as the packages the lists pull in.

    CADRE_TOP=. /usr/bin/python3 tests/py/test_packages.py

- The machine is modelled as the packages of the lists and everything they
  depend on (Depends, Pre-Depends; no Recommends: install-deps passes
  --no-install-recommends), with the Essential and required packages every
  Debian has.
- dpkg-checkbuilddeps, given that machine's status file, finds
  debian/control's Build-Depends met by packages.txt and packages-deb.txt
  (what `make deb` installs);
- every pkg-config module the Makefile asks for names its Debian package
  (PKG_DEBIAN), which is in packages.txt and in Build-Depends, and
  libcadre-dev depends on the package of every module cadrekit.pc
  requires;
- every command the tests, make check, make demo and CI call (first words
  of the shell scripts' commands, first items of the Python tests'
  argument lists) and every module the Python tests import comes from a
  package of that machine: packages.txt's, and the list a later step
  installs itself (make deb and .ci/test-deb: packages-deb.txt).
"""

import glob
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile

from verdicts import Verdicts

TOP = os.environ.get("CADRE_TOP") or os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__))))
v = Verdicts("packages")


def read_list(path):
    with open(os.path.join(TOP, path)) as f:
        return [w for line in f for w in line.split("#", 1)[0].split()]


def dpkg_status():
    """{package: its stanza} of the installed packages, and {virtual
    name: packages that provide it}."""
    pkgs, provides = {}, {}
    with open("/var/lib/dpkg/status", encoding="utf-8") as f:
        for stanza in f.read().split("\n\n"):
            fields = dict(re.findall(r"^([A-Za-z-]+): ?(.*(?:\n .*)*)",
                                     stanza, re.M))
            if "install ok installed" not in fields.get("Status", ""):
                continue
            name = fields["Package"]
            pkgs[name] = (stanza.strip(), fields)
            for p in fields.get("Provides", "").split(","):
                if p.strip():
                    provides.setdefault(p.split()[0], []).append(name)
    return pkgs, provides


def closure(wanted, pkgs, provides):
    """The packages apt installs for `wanted`, on a Debian that has its
    Essential and required ones; names not installed here are returned
    apart."""
    base = [n for n, (_, f) in pkgs.items() if f.get("Essential") == "yes"
            or f.get("Priority") == "required"]
    have, todo, absent = set(), list(wanted) + base, []
    while todo:
        alts = todo.pop()
        for alt in alts.split("|"):
            name = alt.split()[0].split(":")[0] if alt.split() else ""
            found = [name] if name in pkgs else provides.get(name, [])
            if found:
                break
        else:
            absent.append(alts.strip())
            continue
        for name in found[:1]:
            if name in have:
                continue
            have.add(name)
            fields = pkgs[name][1]
            for key in ("Depends", "Pre-Depends"):
                todo += [d for d in fields.get(key, "").split(",")
                         if d.strip()]
    return have, absent


def file_owners():
    """{path: packages} from dpkg's file lists (dpkg-query -S per file is
    a second each)."""
    owners = {}
    for lst in glob.glob("/var/lib/dpkg/info/*.list"):
        name = os.path.basename(lst)[:-5].split(":")[0]
        with open(lst, encoding="utf-8", errors="replace") as f:
            for line in f:
                owners.setdefault(line.rstrip("\n"), set()).add(name)
    return owners


def owner(owners, path):
    """The packages holding `path`, also under the other name merged /usr
    gives it (/bin/sh is /usr/bin/sh)."""
    names = {path, os.path.realpath(path)}
    names |= {re.sub(r"^/usr/", "/", n) for n in names}
    return set().union(*(owners.get(n, set()) for n in names))


def make_vars(*names):
    """Values of the Makefile's variables, as make sees them."""
    rule = "print:\n" + "".join(f"\t@echo '{n}=$({n})'\n" for n in names)
    r = subprocess.run(["make", "--no-print-directory", "-s", "-C", TOP,
                        "-f", "Makefile", "-f", "-", "print"], input=rule,
                       capture_output=True, text=True)
    return dict(line.split("=", 1) for line in r.stdout.splitlines()
                if "=" in line)


def control_field(package, field):
    """A field of debian/control's stanza for `package` (or the Source)."""
    with open(os.path.join(TOP, "debian/control")) as f:
        for stanza in f.read().split("\n\n"):
            if re.search(rf"^(Package|Source): {re.escape(package)}$",
                         stanza, re.M):
                m = re.search(rf"^{field}:((?:.*)(?:\n[ \t].*)*)", stanza,
                              re.M)
                return [d.strip().split()[0] for d in
                        (m.group(1) if m else "").split(",") if d.strip()]
    return []


def check_build_deps(pkgs, provides):
    wanted = read_list(".ci/packages.txt") + read_list(".ci/packages-deb.txt")
    have, absent = closure(wanted, pkgs, provides)
    v.report("lists-installed-here", not absent,
             "not installed on this machine: " + " ".join(absent))
    with tempfile.TemporaryDirectory() as admin:
        with open(os.path.join(admin, "status"), "w",
                  encoding="utf-8") as f:
            for name in sorted(have):
                f.write(pkgs[name][0] + "\n\n")
        r = subprocess.run(["dpkg-checkbuilddeps", "--admindir=" + admin],
                           cwd=TOP, capture_output=True, text=True)
    v.report("build-depends-in-lists", r.returncode == 0,
             (r.stdout + r.stderr).strip()[-600:])


def check_pkg_config_modules():
    mk = make_vars("PKGS", "SCAN_PKGS", "PKG_DEBIAN")
    debian = dict(p.split("=", 1) for p in mk.get("PKG_DEBIAN", "").split())
    modules = mk.get("PKGS", "").split() + mk.get("SCAN_PKGS", "").split()
    listed = set(read_list(".ci/packages.txt"))
    build_deps = set(control_field("cadrekit", "Build-Depends"))
    unnamed = [m for m in modules if m not in debian]
    v.report("pkg-config-modules-named", modules and not unnamed,
             "no Debian package in PKG_DEBIAN for: " + " ".join(unnamed))
    wrong = [f"{m} ({debian[m]})" for m in modules if m in debian and
             not (debian[m] in listed and debian[m] in build_deps)]
    v.report("pkg-config-packages-listed", not wrong,
             "not in .ci/packages.txt and Build-Depends: " + " ".join(wrong))
    # what cadrekit.pc requires (the Makefile's @REQUIRES@), and -lhpdf
    with open(os.path.join(TOP, "Makefile")) as f:
        m = re.search(r"@REQUIRES@\|\$\(PKGS\)([^|]*)\|", f.read())
    required = mk.get("PKGS", "").split() + (m.group(1).split() if m else [])
    dev = set(control_field("libcadre-dev", "Depends"))
    missing = [debian.get(r, r) for r in required
               if debian.get(r) not in dev] + \
        ([] if "libhpdf-dev" in dev else ["libhpdf-dev"])
    v.report("libcadre-dev-depends", m and not missing,
             "libcadre-dev does not depend on: " + " ".join(missing))


SHELL_WORDS = {"if", "then", "else", "elif", "fi", "for", "while", "until",
               "do", "done", "case", "esac", "in", "function", "select",
               "time", "coproc"}


def shell_commands(path):
    """First words of the commands of a shell script (after a line start,
    | ; & && || ( $( `, a `then`, `do` or `!`)."""
    words = set()
    text = open(path, encoding="utf-8", errors="replace").read()
    text = re.sub(r"(?m)(^|\s)#.*$", "", text)
    text = re.sub(r"'[^']*'", "''", text)  # awk and sed programs
    defined = set(re.findall(r"(?m)^\s*([A-Za-z_][\w-]*)\s*\(\)", text))
    text = re.sub(r"<<-?\s*'?(\w+)'?\n.*?\n\1\n", "\n", text, flags=re.S)
    for m in re.finditer(r"(?:^|[|;&(`]|\$\(|\bthen\b|\bdo\b|\belse\b|!)"
                         r"[ \t]*(?:[A-Za-z_][A-Za-z0-9_]*=\S*[ \t]+)*"
                         r"([A-Za-z][A-Za-z0-9._+-]*)", text, re.M):
        words.add(m.group(1))
    return words - SHELL_WORDS - defined


def python_commands_and_modules(path):
    text = open(path, encoding="utf-8").read()
    cmds = set(re.findall(r'\[\s*"([a-z][a-z0-9._+-]*)"\s*,', text))
    cmds |= set(re.findall(r'which\("([a-z][a-z0-9._+-]*)"\)', text))
    mods = set(re.findall(r"(?m)^\s*(?:import|from)\s+([A-Za-z_]\w*)", text))
    return cmds, mods


# The lists a step installs beyond .ci/packages.txt before it runs (make
# check runs first, on packages.txt alone).
STEP_LISTS = {".ci/test-deb": [".ci/packages-deb.txt"],
              "make deb": [".ci/packages-deb.txt"],
              "make check-valgrind": [".ci/packages-valgrind.txt"],
              "make fuzz": ["fuzz/packages.txt"]}


def check_commands(pkgs, provides):
    owners = file_owners()
    base = read_list(".ci/packages.txt")
    machines = {step: closure(base + sum((read_list(x) for x in lists), []),
                              pkgs, provides)[0]
                for step, lists in STEP_LISTS.items()}
    machines[None] = closure(base, pkgs, provides)[0]
    scripts = ([os.path.join(TOP, ".ci", n) for n in ("run", "install-deps",
                                                       "test-deb")] +
               glob.glob(os.path.join(TOP, "samples/demo*")) +
               glob.glob(os.path.join(TOP, "samples/demo.d/*.sh")) +
               glob.glob(os.path.join(TOP, "tests/run")) +
               glob.glob(os.path.join(TOP, "tests/func/run-case")) +
               glob.glob(os.path.join(TOP, "tests/poppler-clean")) +
               glob.glob(os.path.join(TOP, "tests/func/*/*/check")) +
               glob.glob(os.path.join(TOP, "bench/run")) +
               glob.glob(os.path.join(TOP, "fuzz/make-corpus")))
    commands, modules = {}, {}
    for s in scripts:
        if os.path.isfile(s) and open(s, "rb").read(2) == b"#!" and \
                b"python" not in open(s, "rb").readline():
            for c in shell_commands(s):
                commands.setdefault(c, set()).add(os.path.relpath(s, TOP))
    pys = glob.glob(os.path.join(TOP, "tests/py/*.py")) + \
        glob.glob(os.path.join(TOP, "samples/*.py")) + \
        [s for s in scripts if os.path.isfile(s) and
         b"python" in open(s, "rb").readline()]
    for p in pys:
        cmds, mods = python_commands_and_modules(p)
        for c in cmds:
            commands.setdefault(c, set()).add(os.path.relpath(p, TOP))
        for m in mods:
            modules.setdefault(m, os.path.relpath(p, TOP))
    # the Makefile's recipes call these
    for c in ("make", "cc", "ar", "pkg-config", "msgfmt", "xgettext",
              "msgmerge", "nm", "objcopy", "ld", "sed", "install"):
        commands.setdefault(c, set()).add("make")
    for c in ("dpkg-buildpackage", "lintian", "git"):
        commands.setdefault(c, set()).add("make deb")
    commands.setdefault("valgrind", set()).add("make check-valgrind")
    commands.setdefault("clang", set()).add("make fuzz")
    outside = []
    for c, sources in sorted(commands.items()):
        path = shutil.which(c)
        if not path or path.startswith(TOP):
            continue  # ours, a function, or what the script defines
        by = owner(owners, path)
        where = [w for w in sorted(sources)
                 if not by & machines.get(w, machines[None])]
        if where:
            outside.append(f"{c} ({' '.join(where)}: {path}, "
                           f"{' '.join(sorted(by)) or 'no package'})")
    v.report("commands-from-listed-packages", len(commands) > 50 and
             not outside, "; ".join(outside))
    outside = []
    for m, where in sorted(modules.items()):
        try:
            spec = importlib.util.find_spec(m)
        except (ImportError, ValueError):
            spec = None
        origin = spec.origin if spec else None
        if not origin or origin in ("built-in", "frozen") or \
                origin.startswith(TOP):
            continue
        if spec.submodule_search_locations:
            origin = list(spec.submodule_search_locations)[0]
        by = owner(owners, origin)
        if not by & machines[None]:
            outside.append(f"{m} ({where}: {origin}, "
                           f"{' '.join(sorted(by)) or 'no package'})")
    v.report("python-modules-from-listed-packages", len(modules) > 10 and
             not outside, "; ".join(outside))


def main():
    pkgs, provides = dpkg_status()
    check_build_deps(pkgs, provides)
    check_pkg_config_modules()
    check_commands(pkgs, provides)
    return v.status()


if __name__ == "__main__":
    sys.exit(main())
