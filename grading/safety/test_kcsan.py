"""KCSAN (make KCSAN=1): the data-race detector catches the "missing mutex".

Not graded. Run with a KCSAN kernel:
    make KCSAN=1
    TIDEPOOL_KCSAN_KERNEL=build/kcsan/kernel.elf \\
        /usr/bin/python3 -B -m pytest -c grading/pytest.ini grading/safety/test_kcsan.py

selftest=kcsan-race runs two threads on two CPUs that increment one
counter, one of them without the lock (kernel/sanitizers/selftest_kcsan.c);
the report must name data-race, the function it was caught in, the other
CPU's function, and map (addr2line) to the counter's increment; the kernel
must then go on and exit cleanly. selftest=kcsan-norace takes the lock in
both threads: no report. Each boots under multi-threaded TCG with -smp 2
and -smp 4 (the CPUs really run at the same time).
"""

import os
import re
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SELFTEST_SRC = REPO / "kernel" / "sanitizers" / "selftest_kcsan.c"
RULE = "=" * 66
MAKE_LINE = "make KCSAN=1 (then TIDEPOOL_KCSAN_KERNEL=build/kcsan/kernel.elf)"
# Guest seconds a selftest thread keeps trying (kcsan_selftest_s=): a
# correct checker reports in well under a second of guest time.
RACE_SECONDS = 60
NORACE_SECONDS = 5
BOOT_BASE = 40.0  # base seconds for one boot (scaled by the grader's factor)


def _symbols(elf: Path) -> dict:
    out = subprocess.run(["nm", str(elf)], capture_output=True, text=True, check=True).stdout
    syms = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3:
            syms[parts[2]] = int(parts[0], 16)
    return syms


@pytest.fixture(scope="session")
def kernel() -> Path:
    """This file's kernel: a KCSAN=1 build (TIDEPOOL_KCSAN_KERNEL)."""
    path = Path(os.environ.get("TIDEPOOL_KCSAN_KERNEL", REPO / "build" / "kcsan" / "kernel.elf"))
    path = path if path.is_absolute() else (Path.cwd() / path)
    if not path.is_file():
        pytest.skip(f"no KCSAN kernel at {path}: {MAKE_LINE}")
    if "__tsan_read4" not in _symbols(path) or "kcsan_init" not in _symbols(path):
        pytest.skip(f"{path} is not a KCSAN kernel: {MAKE_LINE}")
    return path


def _reports(console: str) -> list:
    """Every KCSAN report on the console, as its list of lines."""
    blocks, cur = [], None
    for line in console.splitlines():
        if line.strip() == RULE:
            if cur is not None and cur and cur[0].startswith("KCSAN:"):
                blocks.append(cur)
                cur = None
            else:
                cur = []
        elif cur is not None:
            cur.append(line)
    return blocks


def _source_line(elf: Path, func: str, off: int) -> tuple:
    """FUNC+0xOFF (a return address) -> (file, line) of the call, by addr2line."""
    addr = _symbols(elf)[func] + off - 1
    out = subprocess.run(["addr2line", "-e", str(elf), "%#x" % addr],
                         capture_output=True, text=True, check=True).stdout.strip()
    path, _, line = out.rpartition(":")
    return path, int(re.match(r"\d+", line).group(0))


def _increment_lines() -> set:
    lines = SELFTEST_SRC.read_text().splitlines()
    return {i + 1 for i, text in enumerate(lines) if "race_counter++" in text}


@pytest.mark.parametrize("smp", [2, 4])
def test_missing_mutex_is_reported(boot, kernel, smp):
    """Two CPUs, one counter, one of them without the lock: one report with both sides"""
    r = boot(f"selftest=kcsan-race kcsan_selftest_s={RACE_SECONDS}", smp=smp, timeout=BOOT_BASE)
    assert r.ok, f"the kernel did not exit cleanly ({r.kind}):\n{r.console[-3000:]}"
    reports = _reports(r.console)
    assert reports, f"no KCSAN report for the unlocked counter:\n{r.console[-3000:]}"
    report = reports[0]
    text = "\n".join(report)
    first = re.match(r"KCSAN: data-race in (\w+) at (\w+)\+0x([0-9a-f]+)$", report[0])
    assert first, f"first line not 'KCSAN: data-race in F at F+0xOFF': {report[0]!r}"
    func, at_func, off = first.group(1), first.group(2), int(first.group(3), 16)
    assert func == at_func
    assert func in ("race_locked", "race_unlocked"), text
    other = "race_unlocked" if func == "race_locked" else "race_locked"
    assert re.search(r"^Concurrent (read|write) of size 4 at 0x[0-9a-f]+ by thread '%s'" % other,
                     text, re.M), f"the other CPU's access ({other}) is missing:\n{text}"
    assert re.search(r"^at %s\+0x[0-9a-f]+:$" % other, text, re.M), text
    assert "Backtrace:" in text
    cpus = set(re.findall(r"on CPU (\d+)", text))
    assert len(cpus) == 2, f"both sides on one CPU? {text}"
    path, line = _source_line(kernel, func, off)
    assert path.endswith("kernel/sanitizers/selftest_kcsan.c"), (path, line)
    assert line in _increment_lines(), f"{func}+{off:#x} maps to line {line}, not an increment"
    # Recover mode: the kernel went on after the report, to the end.
    after = r.console[r.console.index(report[-1]):]
    assert "selftest: kcsan-race done" in after, r.console[-2000:]


@pytest.mark.parametrize("smp", [2, 4])
def test_counter_under_the_lock_is_not_reported(boot, kernel, smp):
    """Both CPUs take the lock: no report (a common lock means no race)"""
    r = boot(f"selftest=kcsan-norace kcsan_selftest_s={NORACE_SECONDS}", smp=smp,
             timeout=BOOT_BASE)
    assert r.ok, f"the kernel did not exit cleanly ({r.kind}):\n{r.console[-3000:]}"
    assert "selftest: kcsan-norace done" in r.console
    assert "kcsan: watching one access" in r.console, "the checker never started"
    reports = _reports(r.console)
    assert not reports, "a report for lock-protected accesses:\n" + "\n".join(reports[0])
    m = re.search(r"selftest: counter (\d+) after the two threads; (\d+) KCSAN report", r.console)
    assert m and int(m.group(2)) == 0 and int(m.group(1)) > 0, r.console[-2000:]
