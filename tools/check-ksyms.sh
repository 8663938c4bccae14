#!/bin/sh
# check-ksyms.sh FIRST.elf FINAL.elf
# The symbol table built from the first link is only right if no function
# moved in the second link. Check that instead of hoping.
set -eu
NM=${NM:-nm}
a=$(mktemp) b=$(mktemp)
trap 'rm -f "$a" "$b"' EXIT
"$NM" -n --defined-only "$1" | awk '$2 == "T" || $2 == "t"' > "$a"
"$NM" -n --defined-only "$2" | awk '$2 == "T" || $2 == "t"' > "$b"
if ! cmp -s "$a" "$b"; then
    echo "check-ksyms: functions moved between the two links:" >&2
    diff "$a" "$b" | head -5 >&2
    exit 1
fi
