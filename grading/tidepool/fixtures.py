"""pytest fixtures for graded tests (loaded by grading/conftest.py).

    kernel          Path of the kernel image (TIDEPOOL_KERNEL or build/kernel.elf)
    timeouts        Calibration: timeouts["boot"|"ktest"|"gdb"|"expect"] in seconds
    boot(cmdline="", *, memory=128, initrd=(), smp=None, extra_args=(), timeout=None)
                    -> qemu.RunResult (run to exit; .console .status .kind
                       .expect_line(regex) .expect_kind(kind) .lines .search ...)
    ktest           session cache: ktest.run("boot.*") -> GroupRun;
                    ktest.expect_pass("boot.cmdline") boots "boot.*" once per session
    console(cmdline="", **same options)
                    -> qemu.ConsoleSession (pexpect): .expect_prompt() .command("help")
                       .expect(regex) .sendline(text); closed at teardown
    gdb(commands, cmdline="", **same options)
                    -> gdb.GdbResult (.output .markers .marker(name) .expect(regex))

``timeout=`` arguments are *base* seconds and get scaled like everything else.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, List, Optional, Sequence

import pytest

from . import qemu as _qemu
from . import timeouts as _timeouts
from .errors import fail
from .gdb import GdbResult, run_gdb
from .ktest import KtestRunner

REPO_ROOT = Path(__file__).resolve().parents[2]


def kernel_path() -> Path:
    env = os.environ.get("TIDEPOOL_KERNEL")
    path = Path(env) if env else REPO_ROOT / "build" / "kernel.elf"
    if not path.is_absolute():
        # Relative to where pytest runs, else to the repository root (the
        # Makefile's paths are relative to the root).
        path = path.resolve() if path.exists() else REPO_ROOT / path
    return path


@pytest.fixture(scope="session")
def kernel() -> Path:
    path = kernel_path()
    if not path.is_file():
        how = "TIDEPOOL_KERNEL" if os.environ.get("TIDEPOOL_KERNEL") else "the default"
        fail(f"kernel not built: run make (no kernel image at {path}, from {how})")
    return path


@pytest.fixture(scope="session")
def timeouts(kernel) -> _timeouts.Calibration:
    try:
        return _timeouts.calibrate(str(kernel))
    except ValueError as exc:
        fail(str(exc))


def _machine(kernel: Path, cmdline: str = "", memory: int = _qemu.DEFAULT_MEMORY_MB,
             initrd: Sequence[str] = (), smp: Optional[int] = None,
             extra_args: Sequence[str] = ()) -> _qemu.Machine:
    return _qemu.Machine(str(kernel), cmdline, memory, tuple(str(p) for p in initrd),
                         smp, tuple(extra_args))


@pytest.fixture
def boot(kernel, timeouts) -> Callable[..., _qemu.RunResult]:
    def _boot(cmdline: str = "", *, timeout: Optional[float] = None,
              console_limit: int = _qemu.CONSOLE_LIMIT, **opts) -> _qemu.RunResult:
        t = timeouts.timeout(timeout) if timeout is not None else timeouts["boot"]
        return _qemu.run(_machine(kernel, cmdline, **opts), t, console_limit=console_limit)

    return _boot


@pytest.fixture(scope="session")
def ktest(kernel, timeouts) -> KtestRunner:
    return KtestRunner(_machine(kernel), timeouts["ktest"])


@pytest.fixture
def console(kernel, timeouts):
    sessions: List[_qemu.ConsoleSession] = []

    def _console(cmdline: str = "", *, timeout: Optional[float] = None,
                 newline: str = "\r", **opts) -> _qemu.ConsoleSession:
        t = timeouts.timeout(timeout) if timeout is not None else timeouts["expect"]
        session = _qemu.ConsoleSession(_machine(kernel, cmdline, **opts), t, newline=newline)
        sessions.append(session)
        return session

    yield _console
    for session in sessions:
        session.close()


@pytest.fixture
def gdb(kernel, timeouts) -> Callable[..., GdbResult]:
    def _gdb(commands, cmdline: str = "", *, timeout: Optional[float] = None,
             **opts) -> GdbResult:
        t = timeouts.timeout(timeout) if timeout is not None else timeouts["gdb"]
        return run_gdb(_machine(kernel, cmdline, **opts), commands, t)

    return _gdb
