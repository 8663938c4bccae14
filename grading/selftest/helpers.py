"""Helpers shared by the selftests (import as a plain module)."""

import os
import shutil
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
FAKE_QEMU = HERE / "fake_qemu.py"
GRADING = HERE.parent

needs_qemu = pytest.mark.skipif(shutil.which("qemu-system-i386") is None,
                                reason="qemu-system-i386 is not installed")
needs_gdb = pytest.mark.skipif(shutil.which("gdb") is None, reason="gdb is not installed")


def own_processes(marker: str):
    """PIDs of live processes whose command line contains marker (leak checks)."""
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
