"""The grader's crash paths against the real kernel's selftest= hooks.

Skipped when the kernel is not built (the selftests never need it). These
check that the kernel and the grader agree on docs/protocol.md's exit
statuses: selftest=fault is a crash, =hang a hang, =flood a flood.
"""

import shutil

import pytest

from helpers import machine_scaled, needs_qemu, own_processes
from tidepool import fixtures, qemu
from tidepool.qemu import Machine

KERNEL = fixtures.REPO_ROOT / "build" / "kernel.elf"

pytestmark = [
    pytest.mark.realqemu,
    needs_qemu,
    pytest.mark.skipif(not KERNEL.is_file(), reason=f"{KERNEL} is not built"),
]


@pytest.mark.parametrize("cmdline,kind,timeout", [
    ("exit", "success", 30),
    ("selftest=panic", "panic", 30),
    ("selftest=fault", "crash", 30),
    ("selftest=hang", "hung", 2),
    ("selftest=flood", "flooded", 30),
])
def test_selftest_hooks_are_classified(cmdline, kind, timeout, tmp_path):
    # A copy in this test's own tmp_path, so that the leak check below sees
    # only this test's QEMU: other xdist workers boot build/kernel.elf too
    # (the timeout calibration boots it with 'exit'). See own_processes.
    kernel = shutil.copy(KERNEL, tmp_path / "kernel.elf")
    if kind == "hung":  # the whole timeout is spent: short, but scaled to the machine
        timeout = machine_scaled(timeout, str(kernel))
    r = qemu.run(Machine(str(kernel), cmdline), timeout=timeout, console_limit=64 * 1024)
    assert r.kind == kind, r.report()
    assert r.lines and r.lines[0].startswith("Tidepool ")
    assert not own_processes(str(kernel))
