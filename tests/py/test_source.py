#!/usr/bin/python3
"""The source keeps the rules of issue 13, read here from the files, not
from the compiler: in the modules listed in RULED,

- no cycle between parts (a part is a file's name without .c or .h:
  report_layout.c and report_layout.h are one part), across src/: a part
  needs another when it includes its header or calls a function defined
  in it (report_layout drawing tables through report_table while
  report_table drew through report_layout was such a cycle);
- no function longer than 100 lines;
- every growing array through GROW (src/util/grow.h): no realloc;
- another module seen only through its public header or one it made
  for others (expr_plan.h), never its internals: the booklet's tally once
  patched compiled expressions through expr_internal.h; and no cast that
  drops a compiled expression's const;
- names that say what they are: none of the abbreviated prefixes and bare
  struct names the review found (rp_, rs_, rw_, rx_, struct op, page,
  mark).

A module joins RULED when it keeps them: every module of src/ keeps
them now, import/ the last to join (its readers once called each other
through import_file.c, and its longest functions ran past 200 lines).
Prints "ok NAME" / "FAIL NAME" lines (tests/run).
"""
import os
import re
import sys

from verdicts import Verdicts

TOP = os.environ.get("CADRE_TOP") or os.path.dirname(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SRC = os.path.join(TOP, "src")
RULED = ["cert", "expr", "import", "pdf", "records", "register", "report",
         "roster", "scan", "sign", "template", "util", "verify"]
# the one realloc: GROW itself
GROW_ITSELF = os.path.join("util", "grow.h")
LONGEST = 100

VERDICTS = Verdicts("source")


def code(text):
    """`text` with comments, strings and character constants blanked
    (newlines kept, so line numbers stay)."""
    out = re.sub(r"/\*.*?\*/|//[^\n]*|\"(\\.|[^\"\\\n])*\"|'(\\.|[^'\\\n])*'",
                 lambda m: re.sub(r"[^\n]", " ", m.group(0)), text, flags=re.S)
    return out


def sources():
    """Every .c and .h under src/: {path relative to src: text}."""
    out = {}
    for d, _, files in os.walk(SRC):
        for f in files:
            if f.endswith((".c", ".h")):
                p = os.path.join(d, f)
                out[os.path.relpath(p, SRC)] = open(p, encoding="utf-8").read()
    return out


def part(rel):
    return os.path.splitext(rel)[0]


def include_graph(files):
    """part -> the parts it includes (quoted includes, as the Makefile's
    -Isrc and the including file's folder find them)."""
    graph = {}
    for rel, text in files.items():
        edges = graph.setdefault(part(rel), set())
        for name in re.findall(r'^\s*#\s*include\s+"([^"]+)"', text, re.M):
            for cand in (os.path.normpath(os.path.join(os.path.dirname(rel), name)),
                         name):
                if cand in files:
                    if part(cand) != part(rel):
                        edges.add(part(cand))
                    break
    return graph


DEFINITION = re.compile(r"^([A-Za-z_][\w \t*]*?)\b([A-Za-z_]\w*)\s*\([^;{}]*\)\s*\{",
                        re.M)


def call_graph(files, graph):
    """Add to `graph` part -> the parts defining the functions it calls
    (a function of its own file, static or not, is its own)."""
    defined, own = {}, {}
    for rel, text in files.items():
        for m in DEFINITION.finditer(code(text)):
            name, static = m.group(2), "static" in m.group(1).split()
            own.setdefault(rel, set()).add(name)
            if not static or rel.endswith(".h"):  # static inline in a header
                defined.setdefault(name, set()).add(part(rel))
    for rel, text in files.items():
        if not rel.endswith(".c"):
            continue
        for name in set(re.findall(r"\b([A-Za-z_]\w*)\s*\(", code(text))):
            if name not in own.get(rel, ()):
                graph[part(rel)] |= defined.get(name, set()) - {part(rel)}
    return graph


def cycle_from(graph, start):
    """A cycle through `start` as a list of parts, or None."""
    stack, seen = [(start, [start])], set()
    while stack:
        node, path = stack.pop()
        for nxt in graph.get(node, ()):
            if nxt == start:
                return path + [start]
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, path + [nxt]))
    return None


def long_functions(rel, text):
    """(line, name, length) of each function body over LONGEST lines."""
    out, depth, start = [], 0, None
    lines = code(text).split("\n")
    for i, line in enumerate(lines):
        if depth == 0 and "{" in line and start is None:
            head = " ".join(lines[max(0, i - 3):i + 1])
            m = re.findall(r"(\w+)\s*\(", head)
            start, name = i, (m[0] if m else "?")
        depth += line.count("{") - line.count("}")
        if depth == 0 and start is not None:
            if i - start + 1 > LONGEST and "(" in " ".join(lines[max(0, start - 3):start + 1]):
                out.append((start + 1, name, i - start + 1))
            start = None
    return out


def main():
    files = sources()
    graph = call_graph(files, include_graph(files))
    for mod in RULED:
        mine = sorted(r for r in files if r.startswith(mod + os.sep))
        VERDICTS.report(f"{mod}-has-files", bool(mine), f"no files in src/{mod}")
        cycles = {tuple(c) for p in {part(r) for r in mine}
                  for c in [cycle_from(graph, p)] if c}
        VERDICTS.report(f"{mod}-no-cycle", not cycles,
                        "; ".join(" -> ".join(c) for c in sorted(cycles)[:3]))
        long = [(r, *f) for r in mine if r.endswith(".c")
                for f in long_functions(r, files[r])]
        VERDICTS.report(f"{mod}-functions-short", not long,
                        "; ".join(f"{r}:{n}: {name} {k} lines"
                                  for r, n, name, k in long))
        grown = [f"{r}:{code(files[r])[:m.start()].count(chr(10)) + 1}"
                 for r in mine if r != GROW_ITSELF
                 for m in re.finditer(r"\brealloc\s*\(", code(files[r]))]
        VERDICTS.report(f"{mod}-grow", not grown,
                        f"realloc instead of GROW at {', '.join(grown)}")
        inside = [f"{r}: {m.group(0)}" for r in mine for m in re.finditer(
            r'#\s*include\s+"(?!' + mod + r'/)\w+/\w+_(?:internal|compile)\.h"'
            r'|\(\s*(?:struct\s+)?cadre_expr\w*\s*\*\s*\)', files[r])]
        VERDICTS.report(f"{mod}-no-internals", not inside, "; ".join(inside[:5]))
        bad = [f"{r}:{code(files[r])[:m.start()].count(chr(10)) + 1}: {m.group(0)}"
               for r in mine for m in re.finditer(
                   r"\b(?:rp|rs|rw|rx)_\w+|\bstruct\s+(?:op|page|mark)\b",
                   code(files[r]))]
        VERDICTS.report(f"{mod}-names", not bad, "; ".join(bad[:5]))


main()
sys.exit(VERDICTS.status())
