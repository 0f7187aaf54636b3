#!/usr/bin/python3
"""What an administrator gets from `make install` (issue 16).

    BUILD=build CADRE_TOP=. /usr/bin/python3 tests/py/test_install.py

Installs the build into a DESTDIR staging tree and checks it as a user of
the installed tree would, with the system's own tools, not ours:

- every tool, the static and the shared library (soname, links), the
  headers, cadrekit.pc, templates, font subsets, man pages and bash
  completion are where the FHS puts them;
- a small C program builds against the staged tree with nothing but
  `pkg-config --cflags --libs cadrekit` (shared) and `--static`, runs, and
  counts the sample district as cadre-check does;
- the shared library exports cadre_ symbols only (nm -D), and the static
  one defines no other global (nm -g);
- the installed tools run from the staged tree and find their templates
  and fonts beside their bin/ (a certificate made from the installed
  template);
- every man page formats without a warning (man --warnings), and every
  option a tool's --help lists is in its man page;
- bash completion gives the options from --help, the shipped template
  names and the course ids of the records on the command line, and the
  commands of cadre-register and cadre-keys with each one's options;
- `make uninstall` leaves the staging tree empty.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

from verdicts import Verdicts

TOP = os.environ.get("CADRE_TOP") or os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("BUILD", "build")
RECORDS = [os.path.join(TOP, "samples", "dinh-lap", f)
           for f in ("cadres.xml", "courses.xml")]
v = Verdicts("install")

HELLO = r"""
#include <stdio.h>
#include "cadre/records.h"

int main(int argc, char **argv)
{
    cadre_records *r = cadre_records_new();
    cadre_diags d;
    cadre_diags_init(&d, 0);
    cadre_error err = cadre_records_load_all(r, (const char *const *)argv + 1,
                                             (size_t)(argc - 1), &d);
    cadre_diags_print(&d, "hello", stderr);
    if (err == CADRE_OK)
        printf("%zu units, %zu cadres\n", r->n_units, r->n_cadres);
    cadre_diags_release(&d);
    cadre_records_free(r);
    return err == CADRE_OK ? 0 : 1;
}
"""


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def make(stage, *goals):
    args = ["make", "-C", TOP, "--no-print-directory", "B=" + BUILD,
            "DESTDIR=" + stage, "PREFIX=/usr", "LIBDIR=/usr/lib"]
    if BUILD.endswith("-san"):
        args.append("SAN=1")
    return run(args + list(goals))


def pkg_config(stage, *args):
    env = dict(os.environ, PKG_CONFIG_PATH=stage + "/usr/lib/pkgconfig")
    r = run(["pkg-config", "--define-variable=prefix=" + stage + "/usr"]
            + list(args) + ["cadrekit"], env=env)
    return r.stdout.split() if r.returncode == 0 else None


def sanitizer_flags():
    """A SAN=1 library needs its runtime in the program too."""
    if not BUILD.endswith("-san"):
        return []
    return ["-fsanitize=address,undefined,float-cast-overflow"]


def check_layout(stage):
    usr = stage + "/usr"
    tools = sorted(os.listdir(os.path.join(TOP, BUILD, "bin")))
    want = [f"bin/{t}" for t in tools] + [
        "lib/libcadre.a", "lib/libcadre.so", "lib/libcadre.so.0",
        "lib/pkgconfig/cadrekit.pc", "include/cadre/records.h",
        "share/cadrekit/templates/cert/a4.xml",
        "share/cadrekit/templates/roster/course.xml",
        "share/cadrekit/templates/import/cadres.xml",
        "share/cadrekit/templates/import/people.xml",
        "share/cadrekit/templates/verify/page.html",
        "share/cadrekit/templates/cert/mau-con-dau.png",
        "share/cadrekit/fonts/NotoSerif-Regular.ttf",
        "share/man/man1/cadre-check.1", "share/man/man5/cadre-records.5",
        "share/bash-completion/completions/cadrekit",
        "share/locale/vi/LC_MESSAGES/cadrekit.mo",
        "share/bash-completion/completions/cadre-cert"]
    missing = [w for w in want if not os.path.lexists(os.path.join(usr, w))]
    v.report("layout", not missing, "missing: " + ", ".join(missing))
    # the scripts that made the sample images are no data (lintian: a
    # python script in a package that does not depend on python3)
    scripts = [os.path.join(d, f) for d, _, fs in
               os.walk(usr + "/share/cadrekit") for f in fs if f.endswith(".py")]
    v.report("no-scripts-in-share", not scripts, " ".join(scripts))
    so = os.path.realpath(usr + "/lib/libcadre.so")
    r = run(["readelf", "-d", so])
    v.report("soname", "Library soname: [libcadre.so.0]" in r.stdout and
             os.readlink(usr + "/lib/libcadre.so.0").startswith(
                 "libcadre.so.0."), r.stdout[-300:])
    for t in tools:
        if not os.access(os.path.join(usr, "bin", t), os.X_OK):
            v.report("tool-executable-" + t, False)


def check_exports(stage):
    lib = stage + "/usr/lib"
    r = run(["nm", "-D", "--defined-only", lib + "/libcadre.so"])
    names = [l.split()[-1] for l in r.stdout.splitlines() if l.strip()]
    bad = [n for n in names if not n.startswith("cadre_")]
    v.report("shared-exports-cadre-only", r.returncode == 0 and names and
             not bad, "exported: " + " ".join(bad[:10]))
    r = run(["nm", "-g", "--defined-only", lib + "/libcadre.a"])
    names = [l.split()[-1] for l in r.stdout.splitlines()
             if re.match(r"^[0-9a-f]+ [A-Z] ", l)]
    bad = [n for n in names if not n.startswith("cadre_")]
    v.report("static-globals-cadre-only", names and not bad,
             "global: " + " ".join(bad[:10]))
    # a program's own helper named like one of ours must still link
    # (no internal name of the library is global)


def check_pkg_config(stage, tmp):
    src = os.path.join(tmp, "hello.c")
    with open(src, "w") as f:
        f.write(HELLO)
    want = run([os.path.join(TOP, BUILD, "bin", "cadre-check")] + RECORDS)
    m = re.search(r"(\d+) units, (\d+) cadres", want.stdout)
    expect = f"{m.group(1)} units, {m.group(2)} cadres\n" if m else None
    for kind, extra in (("shared", []), ("static", ["--static"])):
        flags = pkg_config(stage, "--cflags", "--libs", *extra)
        if flags is None:
            v.report("pkg-config-" + kind, False, "pkg-config failed")
            continue
        exe = os.path.join(tmp, "hello-" + kind)
        if kind == "static":
            # the archive, not the .so beside it
            flags = [f if f != "-lcadre" else stage + "/usr/lib/libcadre.a"
                     for f in flags]
        cc = run(["cc", "-std=c11", "-Wall", "-Werror", "-o", exe, src]
                 + flags + sanitizer_flags())
        if cc.returncode != 0:
            v.report("pkg-config-" + kind, False, cc.stderr[-800:])
            continue
        env = dict(os.environ, LD_LIBRARY_PATH=stage + "/usr/lib")
        r = run([exe] + RECORDS, env=env)
        ldd = run(["ldd", exe], env=env).stdout
        linked = "libcadre.so.0 => " + stage in ldd
        v.report("pkg-config-" + kind, r.returncode == 0 and
                 r.stdout == expect and linked == (kind == "shared"),
                 f"exit {r.returncode}, {r.stdout!r} (want {expect!r}), "
                 f"{r.stderr[-300:]} linked to the staged .so: {linked}")


def check_installed_tools(stage, tmp):
    bin_ = stage + "/usr/bin"
    env = dict(os.environ)
    env.pop("CADRE_DATA_DIR", None)
    r = run([bin_ + "/cadre-check"] + RECORDS, env=env)
    v.report("installed-check-runs", r.returncode == 0, r.stderr[-300:])
    pdf = os.path.join(tmp, "in.pdf")
    # a copy of the tools elsewhere than the build tree: they must find the
    # staged share/cadrekit/ beside their bin/, not the source tree's
    r = run([bin_ + "/cadre-cert", "--course", "TC-2018", "--combined", pdf]
            + RECORDS, env=env, cwd=tmp)
    ok = r.returncode == 0 and os.path.exists(pdf)
    fonts = run(["pdffonts", pdf]).stdout if ok else ""
    v.report("installed-cert-finds-templates-and-fonts",
             ok and "NotoSerif" in fonts, r.stderr[-400:] + fonts[-300:])
    for t in sorted(os.listdir(bin_)):
        r = run([os.path.join(bin_, t), "--version"], env=env)
        if r.returncode != 0 or not r.stdout.startswith(t + " "):
            v.report("version-" + t, False, r.stdout + r.stderr)


def check_man_pages(stage):
    pages = []
    for sec in ("man1", "man5"):
        d = os.path.join(stage, "usr/share/man", sec)
        pages += [os.path.join(d, p) for p in sorted(os.listdir(d))]
    for p in pages:
        r = run(["man", "--warnings", "-l", p],
                env=dict(os.environ, MANWIDTH="80", LC_ALL="C.UTF-8"))
        v.report("man-" + os.path.basename(p),
                 r.returncode == 0 and not r.stderr.strip() and
                 "NAME" in r.stdout, r.stderr[-400:])
    tools = sorted(os.listdir(stage + "/usr/bin"))
    have = {os.path.basename(p).rsplit(".", 1)[0] for p in pages}
    missing = [t for t in tools if t not in have]
    v.report("man-page-for-every-tool", not missing, " ".join(missing))


# an option as --help and the man page spell it: -x or --long-name, not a
# piece of a longer word (YYYY-MM-DD, utf-8, cadre-cert)
OPTION = r"(?<![\w-])(--[a-z][a-z0-9-]*|-[a-zA-Z])(?![\w-])"


def check_man_options(stage):
    """Every option a tool's --help lists is in its man page, as man
    prints it."""
    for t in sorted(os.listdir(stage + "/usr/bin")):
        page = os.path.join(stage, "usr/share/man/man1", t + ".1")
        if not os.path.exists(page):
            continue
        env = dict(os.environ, LC_ALL="C", LANGUAGE="", MANWIDTH="300")
        help_ = run([os.path.join(stage, "usr/bin", t), "--help"], env=env)
        shown = re.sub(".\b", "", run(["man", "-l", page], env=env).stdout)
        listed = set(re.findall(OPTION, shown))
        opts = sorted(set(re.findall(OPTION, help_.stdout)))
        missing = [o for o in opts if o not in listed]
        v.report("man-options-" + t, help_.returncode == 0 and opts and
                 not missing, "not in the man page: " + " ".join(missing))


def complete(stage, words, cword):
    """COMPREPLY of the installed completion for COMP_WORDS = words."""
    script = (
        'source "$1/usr/share/bash-completion/completions/cadrekit"\n'
        'shift\n'
        'COMP_WORDS=("$@"); COMP_CWORD=$CWORD\n'
        '_cadre\n'
        'printf "%s\\n" "${COMPREPLY[@]}"\n')
    env = dict(os.environ, PATH=stage + "/usr/bin:" + os.environ["PATH"],
               CWORD=str(cword))
    r = run(["bash", "-c", script, "bash", stage] + words, env=env)
    return set(r.stdout.split()), r.stderr


def check_completion(stage):
    got, err = complete(stage, ["cadre-roster", "-t", ""], 2)
    v.report("completion-template-names",
             {"course", "cadres", "statistics", "register"} <= got,
             f"{sorted(got)} {err}")
    got, err = complete(stage, ["cadre-cert", "--co"], 1)
    v.report("completion-options-from-help", got == {"--course", "--combined"},
             f"{sorted(got)} {err}")
    got, err = complete(stage, ["cadre-cert"] + RECORDS + ["--course", "TC-"],
                        4)
    v.report("completion-course-ids", "TC-2018" in got and
             all(g.startswith("TC-") for g in got), f"{sorted(got)} {err}")


def help_commands(stage, tool):
    """{command: the options --help lists on its line} for a tool that
    takes a command: its "  NAME ..." lines, and cadre-keys' "usage:
    cadre-keys NAME ..." lines."""
    r = run([stage + "/usr/bin/" + tool, "--help"],
            env=dict(os.environ, LC_ALL="C", LANGUAGE=""))
    found = {}
    for line in r.stdout.splitlines():
        m = (re.match(r"^  ([a-z][a-z-]*)(?: |$)(.*)", line) or
             re.match(r"^(?:usage:|      ) " + tool + r" ([a-z][a-z-]*)(.*)",
                      line))
        if m:
            found.setdefault(m.group(1), set()).update(
                re.findall(OPTION, m.group(2)))
    return found


def check_command_completion(stage):
    """cadre-register REGISTER COMMAND and cadre-keys COMMAND: the command
    names complete where a command stands, then each command's options,
    as --help lists them, and none of another command's."""
    for tool, at in (("cadre-register", 2), ("cadre-keys", 1)):
        commands = help_commands(stage, tool)
        words = [tool] + ["so-goc.sqlite"] * (at - 1)
        got, err = complete(stage, words + [""], at)
        v.report("completion-commands-" + tool, len(commands) >= 2 and
                 got == set(commands), f"completed {sorted(got)}, --help "
                 f"lists {sorted(commands)} {err}")
        for name, opts in sorted(commands.items()):
            got, err = complete(stage, words + [name, "-"], at + 1)
            others = set().union(*(o for n, o in commands.items()
                                   if n != name)) - opts
            v.report(f"completion-options-{tool}-{name}",
                     opts <= got and not (got & others) and
                     all(g.startswith("-") for g in got),
                     f"completed {sorted(got)}, --help lists {sorted(opts)}"
                     f" {err}")
    got, err = complete(stage, ["cadre-register", "-"], 1)
    v.report("completion-register-help", "--help" in got and
             not got & {"create", "list"}, f"{sorted(got)} {err}")


def check_uninstall(stage):
    r = make(stage, "uninstall")
    left = [os.path.join(d, f) for d, _, fs in os.walk(stage) for f in fs]
    v.report("uninstall-leaves-nothing", r.returncode == 0 and not left,
             r.stderr[-300:] + " left: " + " ".join(left[:10]))


def main():
    with tempfile.TemporaryDirectory() as tmp:
        stage = os.path.join(tmp, "stage")
        r = make(stage, "install")
        v.report("make-install", r.returncode == 0, r.stderr[-1500:])
        if r.returncode != 0:
            return v.status()
        check_layout(stage)
        check_exports(stage)
        check_pkg_config(stage, tmp)
        check_installed_tools(stage, tmp)
        v.poppler_clean(tmp, optional=True)
        check_man_pages(stage)
        check_man_options(stage)
        check_completion(stage)
        check_command_completion(stage)
        check_uninstall(stage)
    return v.status()


if __name__ == "__main__":
    sys.exit(main())
