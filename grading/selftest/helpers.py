"""Helpers shared by the selftests (import as a plain module)."""

import os
import shutil
from pathlib import Path

import pytest

from tidepool import timeouts

HERE = Path(__file__).resolve().parent
FAKE_QEMU = HERE / "fake_qemu.py"
GRADING = HERE.parent

needs_qemu = pytest.mark.skipif(shutil.which("qemu-system-i386") is None,
                                reason="qemu-system-i386 is not installed")
needs_gdb = pytest.mark.skipif(shutil.which("gdb") is None, reason="gdb is not installed")


def machine_scaled(seconds: float, kernel: str) -> float:
    """seconds, scaled to how fast this machine boots kernel right now.

    For the selftests whose kernel hangs on purpose: the runner kills it at
    the timeout, and the test checks what it printed first. A short fixed
    timeout keeps such a test fast, but on a loaded machine QEMU (or the
    fake's Python) may not even reach the kernel's first line within it:
    with load 9 on 2 CPUs a trivial tiny-kernel boot took 1.1 s, and a 1 s
    hang caught nothing. The grader's own calibration scales it, as it
    scales every graded timeout: the trivial boot of kernel (cmdline 'exit',
    so kernel must exit on it) now, over the reference boot, clamped to
    1..20 (tidepool.timeouts). On an idle machine the scale is 1.
    """
    return timeouts.calibrate(kernel).timeout(seconds)


def own_processes(marker: str):
    """PIDs of live processes whose command line contains marker (leak checks).

    marker must be unique to the calling test: a path inside a directory
    made for it (its tmp_path, where its tiny or fake kernel lives, or its
    own mkdtemp directory). Never a shared path such as build/kernel.elf:
    under xdist a neighbouring worker boots that same kernel (the timeout
    calibration boots it with cmdline 'exit'), and so may another checkout's
    run, and its live QEMU would count as this test's leak.

    Why a marker rather than "descendants of this worker": a leaked emulator
    is typically an orphan (its GDB or shell died first), and Linux hands an
    orphan to the nearest subreaper or to init, outside this worker's
    process tree, which is exactly where a walk of our descendants would not
    look. A unique path in the command line finds the leak wherever it was
    reparented and never matches a neighbour: pytest makes a fresh tmp_path
    per test, per xdist worker and per session.
    """
    if str(GRADING.parent) + os.sep in marker:
        raise ValueError(f"leak check marker {marker!r} names a file of the repository, which "
                         "other tests and workers use too: put a copy in the test's tmp_path")
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
            with open(f"/proc/{pid}/stat") as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if marker in cmd and state != "Z":
            found.append((int(pid), cmd))
    return found
