#!/usr/bin/python3
"""bench-boot.py -- how long from starting QEMU to a user program's first output.

    /usr/bin/python3 tools/bench-boot.py KERNEL INITRD [-n RUNS] [--userland [-u RUNS]]

Times, RUNS times each and interleaved (so a busy host hurts them all
alike), the whole QEMU process from start to exit:
  floor   a hand-made Multiboot kernel of a few bytes that exits at once
          (grading/tidepool/tinykernel.py): what QEMU itself costs;
  kernel  Tidepool booting and exiting (cmdline `exit`): the kernel's boot;
  hello   Tidepool running /bin/hello as process 1 (run=/bin/hello) and
          exiting after it: boot, initrd, exec, first user output;
  prompt  Tidepool with the initrd and no command line (what `make qemu`
          does), from QEMU's start until the shell's first `$ ` arrives on
          the console (then QEMU is killed): init, sh, the prompt;
  prompt_nonic  the same with -nic none: from lab 6 on, the boot without
          its wait for DHCP (which QEMU's E1000 makes last a second).
Prints the medians and each one's ratio to the floor, and the same as
"bench: metric=boot_NAME_s" lines (and boot_prompt_ratio[_nonic]) for
tools/bench-table.py. Wall-clock times on a shared machine: quote medians
and ratios, not single runs.

With --userland, also (-u RUNS times each, default 3, medians):
  usertests  run=/bin/usertests from QEMU's start to its exit, and the
             run time the guest itself reports (its uptime ticks, in the
             "N of M cases passed in S s" line), with the case count;
  pipe       at the shell prompt, the wall time from typing
             `usertests --emit 10485760 | cat | wc -c` to the next prompt,
             less the same for `--emit 0` (process start-up), gives MB/s
             through two pipes and cat (10 MiB = 10.49 MB); then the same
             without cat (one pipe), to show what cat's copy costs, and
             `yes | head -n 5242880 | cat | wc -c` (10 MiB of "y\\n").
"""

import argparse
import re
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


PROMPT = "$ "


def shell(kernel, initrd, extra=()):
    """QEMU at the shell's prompt (pexpect); returns (session, seconds to the prompt)."""
    from pexpect.popen_spawn import PopenSpawn

    t0 = time.monotonic()
    child = PopenSpawn(QEMU + ["-kernel", kernel, "-initrd", initrd, *extra], timeout=120,
                       encoding="utf-8", codec_errors="replace")
    child.expect_exact(PROMPT)
    return child, time.monotonic() - t0


def close(child):
    child.proc.kill()
    child.proc.wait()


def to_prompt(kernel, initrd, extra=()):
    child, elapsed = shell(kernel, initrd, extra)
    close(child)
    return elapsed


def typed(child, line, timeout=300):
    """Seconds from typing line to the next prompt, and what came before it."""
    t0 = time.monotonic()
    child.send(line + "\r")
    child.expect_exact(PROMPT, timeout=timeout)
    return time.monotonic() - t0, child.before


def bench_userland(kernel, initrd, runs):
    wall, guest, total, count = [], [], [], None
    for _ in range(runs):
        t0 = time.monotonic()
        out = subprocess.run(QEMU + ["-kernel", kernel, "-initrd", initrd,
                                     "-append", "run=/bin/usertests"],
                             capture_output=True, text=True, timeout=600).stdout
        wall.append(time.monotonic() - t0)
        m = re.search(r"^# (\d+) of (\d+) cases passed in (\d+\.\d+) s", out, re.M)
        if not m:
            sys.exit("bench-boot: usertests printed no '# N of M cases passed in S s':\n"
                     + out[-2000:])
        guest.append(float(m.group(3)))
        m2 = re.search(r"^# usertests took (\d+\.\d+) s in all", out, re.M)
        total.append(float(m2.group(1)) if m2 else float("nan"))
        count = (int(m.group(1)), int(m.group(2)))
    print(f"bench: usertests: {count[0]} of {count[1]} cases passed; median "
          f"{statistics.median(wall):.2f} s from QEMU's start to its exit, "
          f"{statistics.median(guest):.2f} s for the cases by the guest's clock "
          f"({statistics.median(total):.2f} s with the free-frame check's second pass), "
          f"over {runs} runs")

    ten_mib = 10 * 1024 * 1024
    child, _ = shell(kernel, initrd)
    try:
        pipelines = [("usertests --emit {n} | cat | wc -c", ten_mib, 0),
                     ("usertests --emit {n} | wc -c", ten_mib, 0),
                     ("yes | head -n {n} | cat | wc -c", ten_mib // 2, 0)]
        for shape, n, zero in pipelines:
            empty, full = [], []
            for _ in range(runs):
                t, _ = typed(child, shape.format(n=zero))
                empty.append(t)
                t, out = typed(child, shape.format(n=n))
                if str(ten_mib) not in out:
                    sys.exit(f"bench-boot: `{shape.format(n=n)}` printed {out[-500:]!r}")
                full.append(t)
            seconds = statistics.median(full) - statistics.median(empty)
            print(f"bench: pipe: 10 MiB through `{shape.format(n=n)}` in a median "
                  f"{statistics.median(full):.2f} s, less {statistics.median(empty):.2f} s for "
                  f"n = 0: {ten_mib / 1e6 / seconds:.1f} MB/s over {runs} runs")
    finally:
        close(child)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("kernel")
    ap.add_argument("initrd")
    ap.add_argument("-n", type=int, default=10)
    ap.add_argument("--userland", action="store_true",
                    help="also time usertests and a 10 MiB pipeline")
    ap.add_argument("-u", type=int, default=3, help="runs of the --userland measurements")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tiny = str(Path(tmp) / "tiny.bin")
        tinykernel.write(tiny, "exit")
        runs = {
            "floor": QEMU + ["-kernel", tiny],
            "kernel": QEMU + ["-kernel", args.kernel, "-append", "exit"],
            "hello": QEMU + ["-kernel", args.kernel, "-initrd", args.initrd,
                             "-append", "run=/bin/hello"],
            "prompt": (),
            # Lab 6's boot waits for DHCP before the prompt, and QEMU's
            # E1000 holds every received frame for the first 1,000 ms of
            # virtual time after the driver enables receiving (its
            # flush_queue_timer, armed by each RCTL write): the DHCP offer
            # waits that out. Without a NIC the same boot shows the rest.
            "prompt_nonic": ("-nic", "none"),
        }
        times = {name: [] for name in runs}
        for _ in range(args.n):
            for name, cmd in runs.items():
                if name.startswith("prompt"):
                    times[name].append(to_prompt(args.kernel, args.initrd, cmd))
                    continue
                times[name].append(timed(cmd, "hello from ring 3" if name == "hello" else None))
    floor = statistics.median(times["floor"])
    for name, t in times.items():
        med = statistics.median(t)
        print(f"bench: boot {name:12s}: median {med * 1000:7.1f} ms (min {min(t) * 1000:.1f}, "
              f"max {max(t) * 1000:.1f}) over {args.n} runs, {med / floor:5.2f}x the floor")
    # the same medians for tools/bench-table.py (build/bench.json)
    for name, t in times.items():
        print(f"bench: metric=boot_{name}_s value={statistics.median(t):.4f} unit=s")
    for name in ("prompt", "prompt_nonic"):
        print(f"bench: metric=boot_{name.replace('prompt', 'prompt_ratio')} "
              f"value={statistics.median(times[name]) / floor:.3f} unit=x")
    if args.userland:
        bench_userland(args.kernel, args.initrd, args.u)


if __name__ == "__main__":
    main()
