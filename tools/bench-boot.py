#!/usr/bin/python3
"""bench-boot.py -- how long from starting QEMU to a user program's first output.

    /usr/bin/python3 tools/bench-boot.py KERNEL INITRD [-n RUNS]

Times, RUNS times each and interleaved (so a busy host hurts all three
alike), the whole QEMU process from start to exit:
  floor   a hand-made Multiboot kernel of a few bytes that exits at once
          (grading/tidepool/tinykernel.py): what QEMU itself costs;
  kernel  Tidepool booting and exiting (cmdline `exit`): the kernel's boot;
  hello   Tidepool running /bin/hello as process 1 (run=/bin/hello) and
          exiting after it: boot, initrd, exec, first user output.
Prints the medians and each one's ratio to the floor. Wall-clock times on
a shared machine: quote medians and ratios, not single runs.
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "grading"))
from tidepool import tinykernel  # noqa: E402

QEMU = ["qemu-system-i386", "-m", "128", "-display", "none", "-no-reboot", "-monitor", "none",
        "-serial", "stdio", "-serial", "null",
        "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]


def timed(cmd, must_print=None):
    t0 = time.monotonic()
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=120).stdout
    elapsed = time.monotonic() - t0
    if must_print and must_print not in out:
        sys.exit(f"bench-boot: {' '.join(cmd)} did not print {must_print!r}:\n{out[-2000:]}")
    return elapsed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("kernel")
    ap.add_argument("initrd")
    ap.add_argument("-n", type=int, default=10)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tiny = str(Path(tmp) / "tiny.bin")
        tinykernel.write(tiny, "exit")
        runs = {
            "floor": QEMU + ["-kernel", tiny],
            "kernel": QEMU + ["-kernel", args.kernel, "-append", "exit"],
            "hello": QEMU + ["-kernel", args.kernel, "-initrd", args.initrd,
                             "-append", "run=/bin/hello"],
        }
        times = {name: [] for name in runs}
        for _ in range(args.n):
            for name, cmd in runs.items():
                times[name].append(timed(cmd, "hello from ring 3" if name == "hello" else None))
    floor = statistics.median(times["floor"])
    for name, t in times.items():
        med = statistics.median(t)
        print(f"bench: boot {name:6s}: median {med * 1000:7.1f} ms (min {min(t) * 1000:.1f}, "
              f"max {max(t) * 1000:.1f}) over {args.n} runs, {med / floor:5.2f}x the floor")


if __name__ == "__main__":
    main()
