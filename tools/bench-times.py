#!/usr/bin/python3
"""bench-times.py -- the wall-clock numbers of `make bench` besides boot time.

    /usr/bin/python3 tools/bench-times.py --kernel KERNEL [--size SIZE] [--skip-grade] [--skip-build]

  kernel_text_bytes  the text segment of KERNEL, as `size` prints it;
  clean_build_s      `make -j2 kernel` into an empty temporary BUILD
                     directory (objects, libk, userland and the initrd),
                     so the user's build/ is neither wiped nor reused,
                     with ccache off (CCACHE=);
  clean_build_ccache_s  the same with ccache on and warm (if installed);
  grade_serial_s     `make grade JOBS=1`: every lab's tests, one QEMU at
  grade_j2_s         a time; then `make grade JOBS=2` (two xdist workers).

Each is printed as a human line and as "bench: metric=NAME value=V unit=U"
for tools/bench-table.py. Wall-clock times on a shared machine: what else
runs on it shows in them (the -icount path lengths are not affected).
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def child_env():
    """The environment for a make of our own: without the calling make's
    MAKEFLAGS (its -j and jobserver) and level, so it runs as typed."""
    env = dict(os.environ)
    for name in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"):
        env.pop(name, None)
    return env


def timed_make(args):
    """(seconds, exit status, output) of `make ARGS` in the tree's root."""
    t0 = time.monotonic()
    proc = subprocess.run(["make", *args], cwd=ROOT, env=child_env(), capture_output=True,
                          text=True)
    return time.monotonic() - t0, proc.returncode, proc.stdout + proc.stderr


def metric(name, value, unit, human):
    print(f"bench: {human}")
    print(f"bench: metric={name} value={value} unit={unit}")


def text_size(kernel, size_tool):
    out = subprocess.run([size_tool, kernel], capture_output=True, text=True, check=True).stdout
    text = int(out.splitlines()[1].split()[0])
    metric("kernel_text_bytes", text, "bytes", f"kernel text: {text:,} bytes ({kernel})")


def build_into_empty_dir(*make_args):
    """Seconds of `make -j2 kernel` into an empty temporary BUILD."""
    tmp = tempfile.mkdtemp(prefix="tidepool-clean-build-")
    try:
        seconds, status, out = timed_make(["-j2", f"BUILD={tmp}", *make_args, "kernel"])
        if status != 0:
            sys.exit(f"bench-times: the clean build failed:\n{out[-3000:]}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return seconds


def clean_build():
    # Cold: ccache off (CCACHE=), every file compiled: what a fresh clone costs.
    seconds = build_into_empty_dir("CCACHE=")
    metric("clean_build_s", f"{seconds:.2f}", "s",
           f"clean build: {seconds:.2f} s (make -j2 kernel into an empty BUILD directory, "
           "no compiler cache)")
    if not shutil.which("ccache"):
        return
    # Warm: the same after one build has filled ccache (what `make clean &&
    # make`, a lab checkpoint or a mutant build costs on a working machine).
    build_into_empty_dir()
    seconds = build_into_empty_dir()
    metric("clean_build_ccache_s", f"{seconds:.2f}", "s",
           f"clean build with a warm ccache: {seconds:.2f} s (the same, every compile a cache hit)")


def grade(jobs):
    seconds, status, out = timed_make(["grade", f"JOBS={jobs}"])
    summary = [line for line in out.splitlines() if re.search(r"\d+ (passed|failed)", line)]
    verdict = summary[-1].strip("= ") if summary else f"exit status {status}"
    name = "grade_serial_s" if jobs == 1 else f"grade_j{jobs}_s"
    how = "serial" if jobs == 1 else f"{jobs} workers"
    metric(name, f"{seconds:.1f}", "s",
           f"make grade, all labs, {how}: {seconds:.1f} s ({verdict})")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--size", default="size", help="the size program (binutils)")
    ap.add_argument("--skip-grade", action="store_true")
    ap.add_argument("--skip-build", action="store_true")
    args = ap.parse_args()
    text_size(args.kernel, args.size)
    if not args.skip_build:
        clean_build()
    if not args.skip_grade:
        grade(1)
        grade(2)


if __name__ == "__main__":
    main()
