#!/usr/bin/python3
"""The library's shape, as binutils' nm reads the objects the build made
(issue 13): what a program linking libcadre.a gets, and how the modules
depend on each other.

- libcadre.a defines no symbol of zlib or libharu, not even a local one
  (it once carried its own deflateInit_ and three HPDF_ functions, which
  replaced libharu's for every program linked with it);
- the files of src/pdf and src/cert call each other one way: no cycle
  (pdf.c and pdf_text.c called each other);
- one line breaker, src/util/linebreak.c: the PDF text boxes, the
  booklet's pages and the roster's cells call it, and none of the three
  breakers it replaced is back.

Prints "ok library/NAME" / "FAIL library/NAME" lines (tests/run).
"""
import glob
import os
import re
import subprocess
import sys

from verdicts import Verdicts

TOP = os.environ.get("CADRE_TOP") or os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.join(TOP, os.environ.get("BUILD", "build"))

VERDICTS = Verdicts("library")
check = VERDICTS.check


def nm(path, *opts):
    """[(type letter, name)] of nm's lines for `path`."""
    r = subprocess.run(["nm", *opts, path], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"nm {path}: {r.stderr.strip()}")
    out = []
    for line in r.stdout.splitlines():
        m = re.match(r"^(?:[0-9a-f]+)?\s+([A-Za-z])\s+(\S+)$", line)
        if m:
            out.append((m.group(1), m.group(2)))
    return out


def shared_library(name):
    """The path of the development library `name` (libz.so), from cc."""
    r = subprocess.run(["cc", "-print-file-name=" + name],
                       capture_output=True, text=True)
    path = r.stdout.strip()
    return os.path.realpath(path) if os.path.isabs(path) else None


def test_no_foreign_symbols():
    """nm libcadre.a: no symbol defined (global or local) that zlib or
    libharu defines."""
    lib = os.path.join(BUILD, "libcadre.a")
    ours = {n for t, n in nm(lib, "--defined-only")}
    theirs = set()
    for name in ("libz.so", "libhpdf.so"):
        path = shared_library(name)
        if not path:
            return f"no {name} to compare with"
        theirs |= {n.split("@")[0] for t, n in nm(path, "-D", "--defined-only")}
    if len(theirs) < 100:
        return f"only {len(theirs)} symbols of zlib and libharu read"
    both = sorted(ours & theirs) + sorted(n for n in ours if n.startswith("HPDF_"))
    return f"libcadre.a defines {both[:8]}" if both else None


def objects(module):
    return sorted(glob.glob(os.path.join(BUILD, "obj", module, "*.o")))


def depends(module):
    """{file: files of the module whose functions or data it uses}."""
    defined, used = {}, {}
    for o in objects(module):
        name = os.path.basename(o)[:-2] + ".c"
        syms = nm(o)
        defined[name] = {n for t, n in syms if t in "TDBRC"}
        used[name] = {n for t, n in syms if t == "U"}
    return {a: {b for b in defined if b != a and used[a] & defined[b]}
            for a in defined}


def cycle(graph):
    """A cycle of `graph` as a list of its nodes, or None."""
    state = {}

    def visit(a, path):
        state[a] = 1
        for b in sorted(graph[a]):
            if state.get(b) == 1:
                return path[path.index(b):] + [b]
            if not state.get(b):
                found = visit(b, path + [b])
                if found:
                    return found
        state[a] = 2
        return None

    for a in sorted(graph):
        if not state.get(a):
            found = visit(a, [a])
            if found:
                return found
    return None


def test_cycle_check_finds_one():
    """The cycle check itself, on a graph with one."""
    got = cycle({"pdf.c": {"pdf_text.c"}, "pdf_text.c": {"pdf.c"},
                 "pdf_error.c": set()})
    return None if got == ["pdf.c", "pdf_text.c", "pdf.c"] else f"found {got}"


def module_one_way(module):
    def test():
        graph = depends(module)
        if len(graph) < 3:
            return f"only {len(graph)} objects in {BUILD}/obj/{module}"
        found = cycle(graph)
        return f"{' -> '.join(found)}" if found else None
    return test


# the breakers src/util/linebreak.c replaced (roster, booklet, PDF)
OLD_BREAKERS = ("fill_lines", "phrase_lines", "fitting_prefix", "break_lines",
                "place_word")


def test_one_line_breaker():
    users = {}
    for o in glob.glob(os.path.join(BUILD, "obj", "*", "*.o")):
        module = os.path.basename(os.path.dirname(o))
        syms = nm(o)
        if any(t == "U" and n in ("line_fill", "line_balance") for t, n in syms):
            users.setdefault(module, []).append(os.path.basename(o))
        if module != "util":
            old = [n for t, n in syms if t in "Tt" and n in OLD_BREAKERS]
            if old:
                return f"{os.path.basename(o)} breaks lines itself: {old}"
    missing = [m for m in ("pdf", "report", "roster") if m not in users]
    if missing:
        return f"{missing} do not call util's line breaker (users: {users})"
    defs = [o for o in objects("util")
            if any(t == "T" and n == "line_fill" for t, n in nm(o))]
    return None if [os.path.basename(o) for o in defs] == ["linebreak.o"] \
        else f"line_fill defined in {defs}"


for name, fn in [("no-zlib-or-libharu-symbol", test_no_foreign_symbols),
                 ("cycle-check-finds-one", test_cycle_check_finds_one),
                 ("pdf-one-way", module_one_way("pdf")),
                 ("cert-one-way", module_one_way("cert")),
                 ("one-line-breaker", test_one_line_breaker)]:
    check(name, fn)

sys.exit(VERDICTS.status())
