#!/usr/bin/python3
"""profile-icount.py -- where the instructions of a benchmark go, per function.

Runs the kernel in QEMU with one instruction per translation block
(-singlestep) and the exec log on (-d exec,nochain), so that the log has
one line per guest instruction executed (a `rep` iteration is one line,
as it is one instruction for -icount). Each line's pc is mapped to a
function through the symbols of build/kernel.elf (kernel addresses) and
of the user program (addresses >= USER_BASE).

The windows: every `rdtsc` instruction in the user program's text starts
a window that the next `rdtsc` ends, which is how the benchmark brackets
what it measures (t0 = rdtsc(); operation; t1 = rdtsc()). Windows are
grouped by the function holding their opening rdtsc, and for each group
the script prints the median window's length and its instructions per
function, most first. Windows that open at the closing rdtsc of a
bracket (the loop's own bookkeeping between t1 and the next t0) are
grouped the same way; read the group whose length matches the bench row.

    tools/profile-icount.py [--kernel build/kernel.elf] [--initrd build/initrd.cpio]
                            [--prog build/userland/bin/bench] [--args "bench --door=sysenter --runs=20"]
                            [--cmdline "kmalloc_debug=0 sync_checks=0"]
                            [--log LOG]     (reuse a log instead of running QEMU)

Slow (the log is ~100 bytes per instruction, ~1.5 GB for a run of 20:
it is streamed through a pipe, not stored; 2-4 minutes) but exact. These are path
lengths, not cycles.
"""
import argparse
import bisect
import collections
import os
import re
import subprocess
import sys
import tempfile

USER_BASE = 0x40000000


def symbols(elf):
    """Sorted (address, name) of the functions in an ELF."""
    out = subprocess.run(["nm", "-n", "--defined-only", elf], capture_output=True,
                         text=True, check=True).stdout
    syms = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1] in "tTwW":
            syms.append((int(parts[0], 16), parts[2]))
    return syms


def rdtsc_sites(elf):
    """Addresses of the rdtsc instructions in an ELF's text."""
    out = subprocess.run(["objdump", "-d", elf], capture_output=True, text=True,
                         check=True).stdout
    return {int(m.group(1), 16) for m in re.finditer(r"^\s*([0-9a-f]+):\s+0f 31\s", out, re.M)}


class Symbolizer:
    def __init__(self, kernel, prog):
        self.k = symbols(kernel)
        self.u = symbols(prog)
        self.kaddr = [a for a, _ in self.k]
        self.uaddr = [a for a, _ in self.u]
        self.cache = {}

    def name(self, pc):
        n = self.cache.get(pc)
        if n is None:
            table, addrs, tag = (self.u, self.uaddr, "user:") if pc >= USER_BASE else \
                                (self.k, self.kaddr, "")
            i = bisect.bisect_right(addrs, pc) - 1
            n = tag + (table[i][1] if i >= 0 else hex(pc))
            self.cache[pc] = n
        return n


def run_qemu(args, fifo):
    cmd = ["qemu-system-i386", "-m", "256", "-no-reboot", "-accel", "tcg",
           "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
           "-kernel", args.kernel, "-initrd", args.initrd, "-display", "none",
           "-monitor", "none", "-serial", "stdio", "-serial", "null",
           "-icount", "shift=0,align=off,sleep=off",
           "-append", args.cmdline + " run=/bin/" + args.args,
           "-singlestep", "-d", "exec,nochain", "-D", fifo]
    return subprocess.Popen(cmd, stdout=sys.stderr)


LINE = re.compile(rb"^Trace \d+: 0x[0-9a-f]+ \[[0-9a-f]+/([0-9a-f]+)/")


def profile(stream, sym, sites):
    groups = collections.defaultdict(list)     # opening rdtsc -> [(len, Counter)]
    opened, count, funcs = None, 0, None
    for line in stream:
        m = LINE.match(line)
        if m is None:
            continue
        pc = int(m.group(1), 16)
        if pc in sites:
            if opened is not None:
                groups[opened].append((count, funcs))
            opened, count, funcs = pc, 0, collections.Counter()
            continue                            # the rdtsc itself: as -icount sees it, t1 - t0 excludes t0's
        if opened is not None:
            count += 1
            funcs[sym.name(pc)] += 1
    return groups


def report(groups, sym):
    for site, windows in sorted(groups.items()):
        windows.sort(key=lambda w: w[0])
        length, funcs = windows[len(windows) // 2]
        if length > 200000:
            continue
        print(f"window from rdtsc at {site:#x} ({sym.name(site)}): {len(windows)} windows, "
              f"median {length} instructions, min {windows[0][0]}, max {windows[-1][0]}")
        for name, n in funcs.most_common():
            print(f"    {n:8d}  {name}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kernel", default="build/kernel.elf")
    ap.add_argument("--initrd", default="build/initrd.cpio")
    ap.add_argument("--prog", default="build/userland/bin/bench")
    ap.add_argument("--args", default="bench --door=sysenter --runs=20",
                    help="the program and its arguments, as run= takes them")
    ap.add_argument("--cmdline", default="kmalloc_debug=0 sync_checks=0",
                    help="kernel words before run= (make bench's; drop sync_checks=0 for the lock checks)")
    ap.add_argument("--log", help="an existing -d exec,nochain -singlestep log")
    args = ap.parse_args()
    sym = Symbolizer(args.kernel, args.prog)
    sites = rdtsc_sites(args.prog)
    if args.log:
        with open(args.log, "rb") as f:
            groups = profile(f, sym, sites)
    else:
        with tempfile.TemporaryDirectory() as d:
            fifo = os.path.join(d, "exec.log")
            os.mkfifo(fifo)
            q = run_qemu(args, fifo)
            with open(fifo, "rb") as f:
                groups = profile(f, sym, sites)
            q.wait()
    report(groups, sym)


if __name__ == "__main__":
    main()
