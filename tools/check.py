#!/usr/bin/python3
"""check.py -- run `make check`'s parts, then say where the time went and what failed.

    /usr/bin/python3 tools/check.py [--make MAKE] 'NAME=TARGET...' ...

The Makefile's `check` target calls this with its CHECK_PARTS. Each part
is NAME=WORDS: WORDS holds make targets, run in order, one `make TARGET`
each, VAR=value assignments and -options (such as -j2), passed to every
one of those runs (e.g. 'lab 4 grade=grade LAB=4', 'kernel=kernel -j2'). Every part runs, even after one failed; each
part's output streams as it comes (stderr merged into stdout). At the end,
one line per part with its passed and failed counts and seconds, then the
plain line `N passed, N failed`. The exit status is 1 if any part failed.

A part whose NAME starts with '&' ('&mutants=check-mutants') runs in the
background, beside the others, from the moment the parts listed before it
are done (so it can use what they built): its output goes to
build/check/NAME.log and is printed whole once the other parts are done.
The parts leave the cores idle part of the time (QEMU boots, pytest
start-up, links); a long part that only needs its own results fills it.

Counts come from each make run's own output, lines at column 0:
  * Criterion:  [====] Synthesis: Tested: N | Passing: P | Failing: F | Crashing: C
                (P passed, F + C failed; every such line counts)
  * pytest's closing line, e.g. `2 failed, 88 passed, 1 skipped in 40.1s`
                (only the last one of a run: a failing selftest's report
                can show the closing lines of the pytest runs it started);
                errors count as failed
  * a plain     [tool: ]N passed, N failed   (check-mutants, slides/check.py)
  * verdicts    [tool: ]PASS ... / [tool: ]FAIL ...   (test-boot, test-gdb,
                the demos)
A run with none of these counts as 1 passed or 1 failed by its exit status;
a run that exits non-zero with no failure counted gets 1 failed (a build
error, a crash, a timeout), so that every failing part shows a failure.

Under the table, each failed part's first few failure lines (pytest's
FAILED/ERROR lines, Criterion's [FAIL] lines, FAIL verdicts, PROBLEM lines,
make's own "*** ... Error N") say what failed without scrolling up.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional, Tuple

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
CRITERION = re.compile(r"^\[=+\] Synthesis: Tested: \d+ \| Passing: (\d+) \| "
                       r"Failing: (\d+) \| Crashing: (\d+)")
PYTEST = re.compile(r"^=*\s*((?:\d+ [a-z]+|no tests ran)(?:, \d+ [a-z]+)*) in [\d.]+s\b")
PYTEST_ITEM = re.compile(r"(\d+) ([a-z]+)")
PLAIN = re.compile(r"^(?:[\w-]+: )?(\d+) passed, (\d+) failed\s*$")
VERDICT = re.compile(r"^(?:[\w-]+: )?(PASS|FAIL)[ :]")
FAILURE = re.compile(r"^(?:(?:FAILED|ERROR) \S|\[FAIL\] |(?:[\w-]+: )?(?:FAIL[ :]|PROBLEM: )"
                     r"|make(?:\[\d+\])?: \*\*\* )")
SHOW_FAILURES = 8  # failure lines shown per failed part


def count(output: str, status: int) -> Tuple[int, int]:
    """(passed, failed) of one make run, from its output and exit status."""
    passed = failed = 0
    found = False
    last_pytest: Optional[Tuple[int, int]] = None
    for raw in output.splitlines():
        line = ANSI.sub("", raw).rstrip("\r")
        m = CRITERION.match(line)
        if m:
            passed += int(m.group(1))
            failed += int(m.group(2)) + int(m.group(3))
            found = True
            continue
        m = PYTEST.match(line)
        if m:
            items = {kind: int(n) for n, kind in PYTEST_ITEM.findall(m.group(1))}
            last_pytest = (items.get("passed", 0),
                           items.get("failed", 0) + items.get("error", 0)
                           + items.get("errors", 0) + items.get("xpassed", 0))
            continue
        m = PLAIN.match(line)
        if m:
            passed += int(m.group(1))
            failed += int(m.group(2))
            found = True
            continue
        m = VERDICT.match(line)
        if m:
            if m.group(1) == "PASS":
                passed += 1
            else:
                failed += 1
            found = True
    if last_pytest is not None:
        passed += last_pytest[0]
        failed += last_pytest[1]
        found = True
    if not found:
        return (1, 0) if status == 0 else (0, 1)
    if status != 0 and failed == 0:
        failed = 1
    return passed, failed


def failure_lines(output: str) -> List[str]:
    """The lines of one make run's output that name a failure."""
    lines = (ANSI.sub("", raw).rstrip("\r") for raw in output.splitlines())
    return [line for line in lines if FAILURE.match(line)]


@dataclass
class Part:
    name: str
    targets: List[str]
    assignments: List[str]
    background: bool = False
    passed: int = 0
    failed: int = 0
    seconds: float = 0.0
    cpu: float = 0.0  # CPU seconds (user + system) of its make runs
    failures: List[str] = field(default_factory=list)  # "make X: status N"
    failure_lines: List[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures and self.failed == 0


def parse_part(spec: str) -> Part:
    name, sep, words = spec.partition("=")
    words_list = shlex.split(words)
    targets = [w for w in words_list if "=" not in w and not w.startswith("-")]
    name = name.strip()
    background = name.startswith("&")
    name = name.lstrip("&").strip()
    if not sep or not name or not targets:
        raise SystemExit(f"check.py: a part is [&]NAME=TARGET..., not {spec!r}")
    return Part(name, targets, [w for w in words_list if w not in targets], background)


_interrupted = False


def _on_sigint(signum, frame):
    # Ctrl-C reaches make too (same process group): let it die in its own
    # way and keep its last words, then stop before the next run.
    global _interrupted
    _interrupted = True


def run_make(make: List[str], args: List[str], out=None) -> Tuple[str, int, float]:
    """Run make ARGS, copying its output to OUT (ours) as it comes;
    (output, status, CPU seconds of make and every process it waited for)."""
    out = out or sys.stdout.buffer
    chunks = []
    proc = subprocess.Popen(make + args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    while True:
        chunk = os.read(proc.stdout.fileno(), 65536)
        if not chunk:
            break
        chunks.append(chunk)
        out.write(chunk)
        out.flush()
    proc.stdout.close()
    # wait4, not wait: its rusage counts make's CPU time and that of every
    # process below it that was waited for (compilers, QEMU, pytest).
    # CPU seconds say what a part costs whatever else runs beside it.
    _, wstatus, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(wstatus)
    return (b"".join(chunks).decode(errors="replace"), proc.returncode,
            usage.ru_utime + usage.ru_stime)


def fmt_seconds(s: float) -> str:
    return f"{s:.1f}"


def summary(parts: List[Part], elapsed: float, interrupted: Optional[str]) -> List[str]:
    width = max([len("total")] + [len(p.name) for p in parts])
    lines = ["", "make check: summary", ""]
    lines.append(f"  {'part':<{width}}  {'passed':>6}  {'failed':>6}  {'seconds':>7}"
                 f"  {'cpu s':>7}")
    for p in parts:
        note = "" if p.ok else "  FAILED" + (f" ({'; '.join(p.failures)})" if p.failures else "")
        lines.append(f"  {p.name:<{width}}  {p.passed:>6}  {p.failed:>6}  "
                     f"{fmt_seconds(p.seconds):>7}  {fmt_seconds(p.cpu):>7}{note}")
    total_passed = sum(p.passed for p in parts)
    total_failed = sum(p.failed for p in parts)
    minutes, seconds = divmod(int(round(elapsed)), 60)
    total_cpu = sum(p.cpu for p in parts)
    lines.append(f"  {'total':<{width}}  {total_passed:>6}  {total_failed:>6}  "
                 f"{fmt_seconds(elapsed):>7}  {fmt_seconds(total_cpu):>7}  "
                 f"({minutes} min {seconds} s)")
    if interrupted:
        lines.append(f"  interrupted during {interrupted}: the parts after it did not run")
    for p in parts:
        if p.failure_lines:
            lines += ["", f"  {p.name}:"]
            lines += [f"    {line[:150]}" for line in p.failure_lines[:SHOW_FAILURES]]
            more = len(p.failure_lines) - SHOW_FAILURES
            if more > 0:
                lines.append(f"    ... and {more} more (scroll up)")
    lines.append("")
    lines.append(f"{total_passed} passed, {total_failed} failed")
    return lines


def run_part(make: List[str], part: Part, out=None) -> None:
    part_start = time.monotonic()
    for target in part.targets:
        output, status, cpu = run_make(make, part.assignments + [target], out)
        part.cpu += cpu
        passed, failed = count(output, status)
        part.passed += passed
        part.failed += failed
        part.failure_lines += failure_lines(output)
        if status != 0:
            how = f"signal {-status}" if status < 0 else f"status {status}"
            part.failures.append(f"make {target}: {how}")
        if _interrupted:
            break
    part.seconds = time.monotonic() - part_start


def log_path(part: Part) -> Path:
    return Path("build") / "check" / (re.sub(r"[^\w.-]+", "-", part.name) + ".log")


def start_background(make: List[str], part: Part) -> threading.Thread:
    path = log_path(part)
    path.parent.mkdir(parents=True, exist_ok=True)
    log = open(path, "wb")
    print(f"make check: {part.name} runs in the background (output: {path}, "
          "printed at the end)", flush=True)

    def body():
        with log:
            run_part(make, part, log)

    thread = threading.Thread(target=body, name=part.name, daemon=True)
    thread.start()
    return thread


def finish_background(part: Part, thread: threading.Thread) -> None:
    thread.join()
    path = log_path(part)
    print(f"\n---- {part.name} (ran in the background; {path}) ----", flush=True)
    sys.stdout.buffer.write(path.read_bytes())
    sys.stdout.buffer.flush()


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--make", default=os.environ.get("MAKE", "make"),
                        help="the make command (the Makefile passes $(MAKE))")
    parser.add_argument("parts", nargs="+", metavar="[&]NAME=TARGET...")
    args = parser.parse_args(argv)
    parts = [parse_part(spec) for spec in args.parts]
    make = shlex.split(args.make)
    signal.signal(signal.SIGINT, _on_sigint)
    start = time.monotonic()
    interrupted = None
    background = {}
    done: List[Part] = []
    for part in parts:
        if part.background:
            background[part.name] = start_background(make, part)
            continue
        done.append(part)
        run_part(make, part)
        if _interrupted:
            interrupted = part.name
            part.failures.append("interrupted")
            break
    for part in parts:
        if part.name in background:
            finish_background(part, background[part.name])
    # The summary keeps the parts' order, background ones included.
    shown = [p for p in parts if p.name in background or any(p is d for d in done)]
    print("\n".join(summary(shown, time.monotonic() - start, interrupted)), flush=True)
    if interrupted:
        return 128 + signal.SIGINT
    return 0 if all(p.ok for p in shown) else 1


if __name__ == "__main__":
    sys.exit(main())
