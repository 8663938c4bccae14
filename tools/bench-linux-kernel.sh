#!/bin/sh
# bench-linux-kernel.sh DIR -- put Debian's 32-bit x86 Linux kernel in
# DIR/vmlinuz, for `make bench-linux` (docs/bench.md, "Linux column").
#
# The kernel is Debian bookworm's linux-image-686 (i386 architecture; the
# -686 flavour, no PAE): its .deb is fetched with `apt-get download` (not
# installed: nothing goes into the host's /boot) and only boot/vmlinuz-*
# is taken out of it. Fetched once; DIR/kernel-version names what we got.
# apt must know the i386 architecture: as root we add it (dpkg
# --add-architecture i386, apt-get update), otherwise we print the lines.
set -eu
dir=$1
meta=linux-image-686:i386
[ -s "$dir/vmlinuz" ] && { touch "$dir/vmlinuz"; exit 0; }
mkdir -p "$dir"

if ! apt-cache show "$meta" >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then
        echo "bench-linux: adding the i386 architecture to apt (for $meta)"
        dpkg --add-architecture i386
        apt-get update -qq || true   # one stale index must not stop us
    else
        echo "bench-linux: apt does not know $meta; run:" >&2
        echo "    sudo dpkg --add-architecture i386 && sudo apt-get update" >&2
        exit 1
    fi
fi

# The metapackage depends on the versioned kernel: linux-image-6.1.0-N-686.
pkg=$(apt-cache depends "$meta" | sed -n 's/^ *Depends: \(linux-image-[^:]*-686\)\(:i386\)\{0,1\}$/\1/p' | head -n 1)
[ -n "$pkg" ] || { echo "bench-linux: cannot resolve $meta" >&2; exit 1; }
echo "bench-linux: fetching $pkg:i386 (apt-get download)"
rm -f "$dir"/linux-image-*.deb
# apt's _apt user may not write DIR: then apt downloads as us (a warning).
(cd "$dir" && apt-get download -q "$pkg:i386" 2>&1 | grep -v '^W: Download is performed unsandboxed' || true)
deb=$(ls "$dir"/"$pkg"_*_i386.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || { echo "bench-linux: 'apt-get download $pkg:i386' failed" >&2; exit 1; }

rm -rf "$dir/deb"
mkdir -p "$dir/deb"
dpkg-deb --fsys-tarfile "$deb" | (cd "$dir/deb" && tar -x ./boot/)
cp "$dir"/deb/boot/vmlinuz-* "$dir/vmlinuz.tmp"
basename "$deb" .deb > "$dir/kernel-version"
rm -rf "$dir/deb" "$deb"
mv "$dir/vmlinuz.tmp" "$dir/vmlinuz"
echo "bench-linux: $(cat "$dir/kernel-version") -> $dir/vmlinuz"
