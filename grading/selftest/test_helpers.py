"""The selftests' own leak check (helpers.own_processes)."""

import os
import signal
import subprocess
import sys
import time

import pytest

from helpers import GRADING, own_processes

SLEEPER = "import time; time.sleep(60)"


def wait_for(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def kill(pid):
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return
    try:  # our child only if this worker became a subreaper (tidepool.gdb does)
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


def test_finds_a_process_by_its_marker_and_not_a_neighbours(tmp_path):
    mine = str(tmp_path / "mine" / "kernel.elf")
    neighbour = str(tmp_path / "mine2" / "kernel.elf")  # mine is a prefix of its directory
    procs = [subprocess.Popen([sys.executable, "-c", SLEEPER, "-kernel", path])
             for path in (mine, neighbour)]
    try:
        assert wait_for(lambda: len(own_processes(mine)) == 1)
        ((pid, cmd),) = own_processes(mine)
        assert pid == procs[0].pid and mine in cmd
    finally:
        for p in procs:
            p.kill()
            p.wait()
    assert own_processes(mine) == [] and own_processes(neighbour) == []


def test_finds_an_orphan(tmp_path):
    """A leak whose parent died is reparented away from this worker; still found."""
    marker = str(tmp_path / "orphan.bin")
    subprocess.run(["sh", "-c", f'"$0" -c "$1" "$2" >/dev/null 2>&1 &',
                    sys.executable, SLEEPER, marker], check=True)
    try:
        assert wait_for(lambda: own_processes(marker))
    finally:
        for pid, _ in own_processes(marker):
            kill(pid)
    assert wait_for(lambda: not own_processes(marker))


def test_refuses_a_shared_path():
    with pytest.raises(ValueError, match="tmp_path"):
        own_processes(str(GRADING.parent / "build" / "kernel.elf"))
