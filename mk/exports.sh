#!/bin/sh
# Build libcadre so that only the cadre_ symbols are visible to a program
# that links it: the library's helpers (arena, strmap, the line breaker …)
# have plain internal names and must never collide with the program's.
#
#   mk/exports.sh static OUT.a OBJ...            one relocatable object,
#       every global but cadre_* made local (objcopy), in an archive
#   mk/exports.sh shared OUT.so.N OBJ... -- LDFLAGS LIBS
#       a shared library with soname OUT.so.N and a version script that
#       exports cadre_* only
set -eu
kind=$1 out=$2
shift 2
case $kind in
static)
    tmp="$(dirname "$out")/libcadre.o"
    ld -r -o "$tmp" "$@"
    objcopy -w --keep-global-symbol='cadre_*' "$tmp"
    rm -f "$out"
    ar rcs "$out" "$tmp"
    rm -f "$tmp"
    ;;
shared)
    objs=""
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do objs="$objs $1"; shift; done
    [ $# -gt 0 ] && shift
    map="$out.map"
    printf '{\n  global: cadre_*;\n  local: *;\n};\n' >"$map"
    # shellcheck disable=SC2086
    ${CC:-cc} -shared -Wl,-soname,"$(basename "$out")" \
        -Wl,--version-script="$map" -Wl,--no-undefined -o "$out.tmp" $objs "$@"
    rm -f "$map"
    mv -f "$out.tmp" "$out"
    ;;
*)
    echo "usage: mk/exports.sh static|shared OUT OBJ..." >&2
    exit 2
    ;;
esac
