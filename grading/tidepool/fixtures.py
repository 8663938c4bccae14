"""pytest fixtures for graded tests (loaded by grading/conftest.py).

    kernel          Path of the kernel image (TIDEPOOL_KERNEL or build/kernel.elf)
    initrd          Path of the user programs' cpio archive beside it (lab 4 on)
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

    @pytest.mark.smp(4)  (or smp("4,sockets=4")) on a test or module: boot,
                    console and gdb boot with -smp 4 under multi-threaded TCG
                    (an explicit smp= argument wins), and their timeouts are
                    multiplied by SMP_SLOWDOWN
    ktest_smp(smp, extra_cmdline="")
                    -> KtestRunner for in-kernel groups booted with -smp SMP
                       (session cache, one per smp and extra command line)

    tmp_path        pytest's, except that a graded test gets a short one (see below)
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import Callable, List, Optional, Sequence

import pytest

from . import qemu as _qemu
from . import sanitizers as _sanitizers
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


SHORT_TMP_PREFIX = "tidepool-t-"


def _short_tmp_root() -> Optional[str]:
    # /tmp even where TMPDIR is long (macOS: /var/folders/.../T/).
    return "/tmp" if os.path.isdir("/tmp") and os.access("/tmp", os.W_OK) else None


@pytest.fixture
def tmp_path(request, tmp_path_factory):
    """pytest's tmp_path; for a graded test a short one, /tmp/tidepool-t-XXXXXXXX.

    Files a graded test hands to the kernel end up in what the kernel sees
    (an -initrd module's name is its path, and the kernel keeps 63 bytes
    of it), so their paths must not grow with pytest's basetemp: the user
    name, the run number, xdist's popen-gwN/, a long TMPDIR. The directory
    is removed after the test unless the test failed (its reproduce line
    names the files), --tidepool-record is on (make debug boots them again)
    or TIDEPOOL_KEEP_TMP is set.
    """
    from .plugin import PROP_LAB

    node = request.node
    if PROP_LAB not in dict(getattr(node, "user_properties", ())):
        name = re.sub(r"[\W]", "_", node.name)[:30]
        yield tmp_path_factory.mktemp(name, numbered=True)
        return
    path = Path(tempfile.mkdtemp(prefix=SHORT_TMP_PREFIX, dir=_short_tmp_root()))
    node._tidepool_tmp_dirs = getattr(node, "_tidepool_tmp_dirs", []) + [str(path)]
    yield path
    keep = (getattr(node, "_tidepool_outcome", "passed") in ("failed", "error")
            or request.config.getoption("--tidepool-record", None)
            or os.environ.get("TIDEPOOL_KEEP_TMP"))
    if not keep:
        shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def kernel() -> Path:
    path = kernel_path()
    if not path.is_file():
        how = "TIDEPOOL_KERNEL" if os.environ.get("TIDEPOOL_KERNEL") else "the default"
        fail(f"kernel not built: run make (no kernel image at {path}, from {how})")
    return path


@pytest.fixture(scope="session")
def initrd(kernel) -> Path:
    """The user programs (lab 4 on): the cpio archive the Makefile builds
    beside the kernel (TIDEPOOL_INITRD overrides)."""
    env = os.environ.get("TIDEPOOL_INITRD")
    path = Path(env) if env else kernel.parent / "initrd.cpio"
    if not path.is_file():
        fail(f"no initrd at {path}: run make (from lab 4 on it builds userland/ "
             f"into the initrd beside the kernel)")
    return path


@pytest.fixture(scope="session")
def timeouts(kernel) -> _timeouts.Calibration:
    try:
        return _timeouts.calibrate(str(kernel))
    except ValueError as exc:
        fail(str(exc))


# Several vCPUs under TCG on a loaded host are slower than one: 2.5-4x
# measured on 2 host cores (FIELD-NOTES.md). Timeouts only bound hangs.
SMP_SLOWDOWN = 4.0
# The kernel's own per-case watchdog (ktest.c, 15 s by default) for cases
# that run a million lock round trips on several emulated CPUs.
SMP_KTEST_CMDLINE = "ktest_timeout=120"
# Base seconds for one boot of an in-kernel group on several CPUs (scaled
# like every timeout): lab 5's mp.* group runs millions of lock round trips.
SMP_KTEST_BASE = 240.0
# No output at all for this long (scaled, then kept within the bounds
# below) ends an SMP boot as hung. A live case prints a progress line
# every second (ktest_progress, kernel/ktest.h) and the boot prints as it
# goes; a lock that stops every CPU with interrupts off, or threads that
# all sleep for good, fall silent: they fail in seconds, not at the
# timeout above. The upper bound keeps that promise on a host so loaded
# that the scale is large: 15 s of silence is still 15 missed progress
# lines. (Lab 5's public and hidden cases all passed with a 5 s bound at
# timeout scale 15.5, load 10-15, once every long case printed progress.)
SMP_STALL_BASE = 3.0
SMP_STALL_BOUNDS = (8.0, 15.0)


def smp_stall(timeouts) -> float:
    low, high = SMP_STALL_BOUNDS
    return min(high, max(low, timeouts.timeout(SMP_STALL_BASE)))


def _machine(kernel: Path, cmdline: str = "", memory: int = _qemu.DEFAULT_MEMORY_MB,
             initrd: Sequence[str] = (), smp=None,
             extra_args: Sequence[str] = ()) -> _qemu.Machine:
    m = _qemu.Machine(str(kernel), cmdline, memory, tuple(str(p) for p in initrd),
                      None, tuple(extra_args))
    return _qemu.with_smp(m, smp)


def _smp_marker(request):
    """The test's @pytest.mark.smp(CPUS) value, or None."""
    marker = request.node.get_closest_marker("smp")
    if marker is None:
        return None
    if len(marker.args) != 1 or marker.kwargs:
        fail(f"{request.node.nodeid}: write @pytest.mark.smp(CPUS), e.g. smp(4) or smp('4,sockets=4')")
    return marker.args[0]


def _apply_smp(request, opts: dict, t: float):
    """opts with the marker's smp unless the call gave one; t stretched for SMP."""
    if opts.get("smp") is None:
        marked = _smp_marker(request)
        if marked is not None:
            opts["smp"] = marked
    if _qemu.smp_count(opts.get("smp")) > 1:
        t *= SMP_SLOWDOWN
    return opts, t


@pytest.fixture
def boot(request, kernel, timeouts) -> Callable[..., _qemu.RunResult]:
    def _boot(cmdline: str = "", *, timeout: Optional[float] = None,
              console_limit: int = _qemu.CONSOLE_LIMIT, **opts) -> _qemu.RunResult:
        t = timeouts.timeout(timeout) if timeout is not None else timeouts["boot"]
        opts, t = _apply_smp(request, opts, t)
        return _qemu.run(_machine(kernel, cmdline, **opts), t, console_limit=console_limit)

    return _boot


@pytest.fixture(scope="session")
def ktest(kernel, timeouts) -> KtestRunner:
    # work_div=N: the long race cases run 1/N of their work (a KASAN kernel).
    divisor = _sanitizers.work_divisor(str(kernel))
    return KtestRunner(_machine(kernel), timeouts["ktest"],
                       extra_cmdline="work_div=%d" % divisor if divisor > 1 else "")


@pytest.fixture(scope="session")
def ktest_smp(kernel, timeouts) -> Callable[..., KtestRunner]:
    """ktest_smp(4) or ktest_smp("4,sockets=4", "sched_slice=1"): a session-
    cached KtestRunner whose boots have that many CPUs (multi-threaded TCG)."""
    runners = {}

    def _get(smp, extra_cmdline: str = "") -> KtestRunner:
        key = (str(smp), extra_cmdline)
        if key not in runners:
            several = _qemu.smp_count(smp) > 1
            t = timeouts.timeout(SMP_KTEST_BASE) if several else timeouts["ktest"]
            # smp_expect=N: the number of CPUs the kernel must find (and
            # start) on this machine, for the cases that check it.
            divisor = _sanitizers.work_divisor(str(kernel))
            cmdline = " ".join(c for c in (SMP_KTEST_CMDLINE if several else "",
                                           "smp_expect=%d" % _qemu.smp_count(smp),
                                           "work_div=%d" % divisor if divisor > 1 else "",
                                           extra_cmdline) if c)
            runner = None
            if several:
                stall = smp_stall(timeouts)
                runner = lambda m, t: _qemu.run(m, t, record=False, stall=stall)  # noqa: E731
            runners[key] = KtestRunner(_machine(kernel, smp=smp), t, extra_cmdline=cmdline,
                                       runner=runner)
        return runners[key]

    return _get


@pytest.fixture
def console(request, kernel, timeouts):
    sessions: List[_qemu.ConsoleSession] = []

    def _console(cmdline: str = "", *, timeout: Optional[float] = None,
                 newline: str = "\r", **opts) -> _qemu.ConsoleSession:
        t = timeouts.timeout(timeout) if timeout is not None else timeouts["expect"]
        opts, t = _apply_smp(request, opts, t)
        session = _qemu.ConsoleSession(_machine(kernel, cmdline, **opts), t, newline=newline)
        sessions.append(session)
        return session

    yield _console
    for session in sessions:
        session.close()


@pytest.fixture
def gdb(request, kernel, timeouts) -> Callable[..., GdbResult]:
    def _gdb(commands, cmdline: str = "", *, timeout: Optional[float] = None,
             **opts) -> GdbResult:
        t = timeouts.timeout(timeout) if timeout is not None else timeouts["gdb"]
        opts, t = _apply_smp(request, opts, t)
        return run_gdb(_machine(kernel, cmdline, **opts), commands, t)

    return _gdb


# ---------------------------------------------------------------------------
# Lab 6: one booted guest with an E1000 per test module (tidepool/net.py).
# A module's tests share its boot, so lab-6 modules carry
# pytest.mark.xdist_group(...) and make grade runs xdist with
# --dist loadgroup: one worker runs the whole module, one boot.


@pytest.fixture(scope="module")
def net_user(kernel, initrd, timeouts):
    """NetGuest on QEMU's slirp with free host ports forwarded to guest
    tcp 80 and udp 7, at the shell prompt."""
    from .net import NetGuest

    guest = NetGuest(kernel, initrd, timeouts, mode="user")
    yield guest
    guest.close()


@pytest.fixture(scope="module")
def net_peer(kernel, initrd, timeouts):
    """NetGuest on -netdev dgram (static ip=10.0.2.15/24,10.0.2.2), its
    .peer the grader's raw-Ethernet peer playing 10.0.2.2."""
    from .net import NetGuest

    guest = NetGuest(kernel, initrd, timeouts, mode="dgram")
    yield guest
    guest.close()
