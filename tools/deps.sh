#!/bin/sh
# deps.sh build|all -- make sure the Debian packages Tidepool needs are here.
#
#   build: what `make qemu` needs (compiler, QEMU, GRUB tools)
#   all:   also what `make check` needs (Bochs, GDB, Criterion, Python)
#   bench-linux: what `make bench-linux` needs (opt-in, not in `all`): a
#          static 32-bit glibc and cpio; its Linux kernel is a Debian .deb
#          that tools/bench-linux-kernel.sh downloads, never installs
#
# Missing packages are installed with apt-get when we are root; otherwise
# the exact apt-get line is printed and we fail.
set -eu
set_name=${1:-all}

missing=""
need() {   # need PACKAGE TEST-COMMAND...
    pkg=$1; shift
    if ! "$@" >/dev/null 2>&1; then
        missing="$missing $pkg"
    fi
}
have() { command -v "$1"; }

need make              have make
need gcc               have gcc
need binutils          have ld
# 32-bit host programs: libgcc and the C library's headers for -m32 (an
# <errno.h> that finds <asm/errno.h>). The kernel needs them unless a
# cross compiler is used (CROSS=i686-elf-, detected by the Makefile); the
# host tests of libk always build a 32-bit program too.
m32_works() {
    printf '#include <errno.h>\nint main(void) { return errno; }\n' |
        gcc -m32 -x c - -o /dev/null
}
need qemu-system-x86   have qemu-system-i386
need grub-pc-bin       test -d /usr/lib/grub/i386-pc
need grub-common       have grub-mkrescue
need xorriso           have xorriso
need mtools            have mformat
# A compiler cache: rebuilds (make clean, lab checkpoints, mutants) only
# compile what changed. The Makefile works without it.
need ccache            have ccache

if [ -z "${CROSS:-}" ] || [ "$set_name" = all ]; then
    need gcc-multilib  m32_works
fi

# bench-linux: the benchmark as a static 32-bit Linux program (libc.a
# for -m32 comes with libc6-dev-i386, which gcc-multilib pulls in), and
# cpio for its initramfs.
m32_static_works() {
    printf '#include <unistd.h>\nint main(void) { return getpid() == 0; }\n' |
        gcc -m32 -static -x c - -o /dev/null
}
if [ "$set_name" = bench-linux ]; then
    need libc6-dev-i386   m32_static_works
    need gcc-multilib     m32_works
    need cpio             have cpio
fi

if [ "$set_name" = all ]; then
    need bochs            have bochs
    need bochsbios        test -e /usr/share/bochs/BIOS-bochs-latest
    need vgabios          test -e /usr/share/vgabios/vgabios.bin
    need gdb              have gdb
    need libcriterion-dev test -e /usr/include/criterion/criterion.h
    need python3          test -x /usr/bin/python3
    need python3-pytest   /usr/bin/python3 -c 'import pytest'
    need python3-pexpect  /usr/bin/python3 -c 'import pexpect'
    need python3-pytest-xdist /usr/bin/python3 -c 'import xdist'
    # make bench's bar chart (tools/bench-table.py, Agg backend: headless)
    need python3-matplotlib /usr/bin/python3 -c 'import matplotlib'
    need unifdef          have unifdef
    # libFuzzer over the network receive path (make test-fuzz-net, make fuzz-net)
    need clang            have clang
    need libclang-rt-14-dev sh -c 'ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a'
    need cpio             have cpio
    # lab 6's grader: host tools on the other end of the guest's network
    # (grading/tidepool/net.py, netpeer.py): curl and nc -u through QEMU's
    # forwards, tshark on the filter-dump pcaps, scapy for the raw peer
    need curl             have curl
    need netcat-openbsd   test -x /bin/nc.openbsd
    need tshark           have tshark
    need python3-scapy    /usr/bin/python3 -c 'import scapy.layers.inet'
    # the class grader (tools/grade-class.py): each submission is unpacked,
    # built and graded in a bubblewrap sandbox; setpriv and prlimit (in
    # util-linux, always there) drop to uid 65534 and set its limits
    need bubblewrap       have bwrap
    need git              have git
    # test-gradescope validates results.json against a JSON Schema;
    # test-grade-class parses the GitHub Classroom workflow's YAML
    need python3-jsonschema /usr/bin/python3 -c 'import jsonschema'
    need python3-yaml     /usr/bin/python3 -c 'import yaml'
fi

# shellcheck disable=SC2086
exec sh "$(dirname "$0")/apt-install.sh" deps $missing
