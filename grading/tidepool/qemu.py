"""Running the kernel under QEMU, as fixed by docs/protocol.md.

Three ways to run a kernel:

* :func:`run` boots to completion: COM1 (the console) on QEMU's stdout,
  read live and capped; COM2 (KTAP) in ``com2.txt`` of a fresh temp dir;
  returns a :class:`RunResult` with the exit status classified. A kernel
  that does not exit within the timeout is killed ("hung"), one that writes
  more than the output limit is killed ("flooded").
* :class:`ConsoleSession` is an interactive pexpect session on COM1 (the
  monitor): ``expect``/``sendline``/``command``.
* :mod:`tidepool.gdb` builds on :func:`build_command` with ``-gdb stdio``.

Every run gets its own temp dir and no TCP port, so parallel runs (pytest
-n N) never share anything. The emulator is ``TIDEPOOL_QEMU`` or
``qemu-system-i386``; ``ACCEL=kvm`` adds ``-accel kvm`` (any ACCEL value is
passed to -accel). Emulators die with the grader (PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import dataclasses
import functools
import os
import re
import resource
import selectors
import shlex
import shutil
import signal
import struct
import subprocess
import tempfile
import time
from dataclasses import dataclass
from typing import List, Optional, Sequence, Tuple, Union

from . import reportwatch, runlog
from .elf import ElfError, read_symbols
from .errors import LAST_LINES, fail, quote_lines

EXIT_SUCCESS = 33  # kernel wrote 0x10 to port 0xf4
EXIT_PANIC = 35  # kernel wrote 0x11
DEFAULT_MEMORY_MB = 128
CONSOLE_LIMIT = 256 << 10  # bytes of COM1 before a run counts as flooded (a serial
# console at ~75 KB/s under TCG reaches it in ~3.5 s, well inside the boot timeout)
COM2_LIMIT = 1 << 20  # bytes of KTAP before a run counts as flooded
PROMPT = "K> "
PANIC_TEXT = "PANIC at "  # start of a panic report on the console
PANIC_GRACE = 2.0  # seconds to let a panic report finish before failing

# Kinds of run outcome.
SUCCESS = "success"  # status 33
PANIC = "panic"  # status 35
CRASH = "crash"  # status 0 (triple fault with -no-reboot) or QEMU died of a signal
HUNG = "hung"  # no exit before the timeout; the grader killed QEMU
FLOODED = "flooded"  # output limit exceeded; the grader killed QEMU
ERROR = "error"  # any other status, or QEMU could not start

_POLL = 0.2  # seconds between output-limit checks of COM2 (a guard, not a sync)


def qemu_binary() -> str:
    return os.environ.get("TIDEPOOL_QEMU") or "qemu-system-i386"


@dataclass(frozen=True)
class Machine:
    """What to boot: kernel, command line and the few QEMU knobs tests vary."""

    kernel: str
    cmdline: str = ""
    memory: int = DEFAULT_MEMORY_MB  # MiB (-m)
    initrd: Tuple[str, ...] = ()  # Multiboot modules (-initrd a,b)
    smp: Union[int, str, None] = None  # -smp: 4, or a topology such as "4,sockets=4"
    extra_args: Tuple[str, ...] = ()
    qemu: Optional[str] = None  # emulator binary; default qemu_binary()

    def replace(self, **changes) -> "Machine":
        for key in ("initrd", "extra_args"):
            if key in changes and changes[key] is not None:
                changes[key] = tuple(changes[key])
        return dataclasses.replace(self, **changes)


# Multi-threaded TCG: one host thread per vCPU, so that vCPUs really run at
# the same time (single-threaded TCG runs them in turns, and a race between
# two CPUs would only ever interleave at the end of a translation block).
MTTCG_ARGS = ("-accel", "tcg,thread=multi")


def with_smp(machine: Machine, smp: Union[int, str, None]) -> Machine:
    """machine with -smp SMP; more than one CPU also gets multi-threaded TCG."""
    if not smp:
        return machine
    extra = tuple(machine.extra_args)
    if smp_count(smp) > 1 and MTTCG_ARGS[1] not in extra:
        extra += MTTCG_ARGS
    return machine.replace(smp=smp, extra_args=extra)


def smp_count(smp: Union[int, str, None]) -> int:
    """The number of CPUs an -smp value asks for ("4,sockets=4" -> 4)."""
    if not smp:
        return 1
    first = str(smp).split(",", 1)[0]
    if first.startswith("cpus="):
        first = first[len("cpus="):]
    return int(first)


def build_command(
    machine: Machine, com1: str, com2: str, gdb_stdio: bool = False
) -> List[str]:
    """The QEMU argv of docs/protocol.md. com1/com2 are -serial specs."""
    cmd = [machine.qemu or qemu_binary()]
    if gdb_stdio:
        cmd += ["-gdb", "stdio", "-S"]
    cmd += ["-kernel", machine.kernel]
    if machine.cmdline:
        cmd += ["-append", machine.cmdline]
    cmd += ["-m", str(machine.memory)]
    if machine.smp:
        cmd += ["-smp", str(machine.smp)]
    if machine.initrd:
        for path in machine.initrd:
            if "," in path:
                raise ValueError(f"QEMU -initrd cannot take a path with a comma: {path}")
        cmd += ["-initrd", ",".join(machine.initrd)]
    # No display adapter: nothing reads the screen in a test, and QEMU
    # emulates the VGA's text buffer one store at a time (the kernel's
    # console writes every character there, and scrolls it): without it a
    # boot costs 0.05 CPU seconds less, the usertests' run 0.13. A test's
    # own options (extra_args, later) can put a card back.
    cmd += [
        "-display", "none", "-vga", "none",
        "-no-reboot",
        "-monitor", "none",
        "-serial", com1,
        "-serial", com2,
        "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
    ]
    accel = os.environ.get("ACCEL", "").strip()
    if accel:
        cmd += ["-accel", accel]
    cmd += list(machine.extra_args)
    if not drives_a_nic(machine.kernel) and not any(
            a in NIC_OPTIONS for a in machine.extra_args):
        cmd += ["-nic", "none"]
    return cmd


# Options that give the machine a network card of the test's choosing.
NIC_OPTIONS = ("-nic", "-net", "-netdev", "-device")
# A symbol only a kernel with lab 6's E1000 driver has.
NIC_DRIVER_SYMBOL = "e1000_probe"


@functools.lru_cache(maxsize=None)
def drives_a_nic(kernel: str) -> bool:
    """Does this kernel have a network driver (lab 6 on)? A kernel of an
    earlier lab neither probes PCI nor touches QEMU's default E1000, so
    its machine gets `-nic none`: the card's model, its option ROM (which
    SeaBIOS runs at every boot) and user networking cost each boot about
    60 ms of CPU and 3,000 page faults (a quarter of a trivial boot), for
    nothing such a kernel can see. True when the file cannot be read as
    an ELF (a fake kernel, the tiny one): QEMU's default machine then."""
    try:
        return NIC_DRIVER_SYMBOL in read_symbols(kernel)
    except (OSError, ElfError, ValueError, IndexError, struct.error):
        return True


def display_command(cmd: Sequence[str], workdir: Optional[str] = None) -> str:
    """A shell line that reproduces cmd from the current directory.

    Paths inside the (deleted) temp dir become plain file names, so the
    line writes ``com2.txt`` into the directory it is run from.
    """
    args = list(cmd)
    if workdir:
        prefix = workdir.rstrip("/") + "/"
        args = [a.replace(prefix, "") for a in args]
    return shlex.join(args)


class Workdir:
    """A fresh temp dir per run; removed afterwards unless TIDEPOOL_KEEP_TMP=1."""

    def __init__(self, prefix: str = "tidepool-"):
        self.path = tempfile.mkdtemp(prefix=prefix)

    def file(self, name: str) -> str:
        return os.path.join(self.path, name)

    def cleanup(self) -> None:
        if os.environ.get("TIDEPOOL_KEEP_TMP"):
            return
        shutil.rmtree(self.path, ignore_errors=True)

    def __enter__(self) -> "Workdir":
        return self

    def __exit__(self, *exc) -> None:
        self.cleanup()


def _prctl():
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


_PRCTL = _prctl()  # looked up before any fork: nothing is imported in a child
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """PR_SET_PDEATHSIG: the child gets SIGKILL if the grader dies first."""
    if _PRCTL is not None:
        _PRCTL(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)


def _child_limits(file_limit: int):
    def setup() -> None:
        # No core files from a dying emulator; a hard cap on what it can
        # write to disk even if the grader's own limit check were late; and
        # no emulator outliving a killed grader.
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_limit, file_limit))
        _die_with_parent()

    return setup


def kill_group(proc: "subprocess.Popen") -> None:
    """SIGKILL the process group proc leads (it was started in its own session)."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def normalize(data: bytes) -> str:
    text = data.decode("utf-8", errors="replace")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _fmt_size(n: int) -> str:
    if n >= 1 << 20 and n % (1 << 20) == 0:
        return f"{n >> 20} MiB"
    if n >= 1 << 10 and n % (1 << 10) == 0:
        return f"{n >> 10} KiB"
    return f"{n} bytes"


def describe_exit(status: Optional[int], kind: str, elapsed: float, timeout: float = 0.0,
                  flood_port: str = "COM1", limit: int = CONSOLE_LIMIT, stderr: str = "",
                  stalled: float = 0.0) -> str:
    """One sentence a student can act on."""
    t = f"{elapsed:.2f} s"
    if kind == HUNG and stalled:
        return (f"the kernel wrote nothing on COM1 or COM2 for {stalled:.1f} s (no progress: "
                f"a CPU stuck in a lock, or every thread asleep?); the grader killed QEMU "
                f"after {t}")
    if kind == SUCCESS:
        return f"QEMU exited with status {EXIT_SUCCESS} (success) after {t}"
    if kind == PANIC:
        return f"the kernel panicked: QEMU exited with status {EXIT_PANIC} after {t}"
    if kind == HUNG:
        return (f"the kernel did not exit within {timeout:.1f} s (hung); "
                f"the grader killed QEMU")
    if kind == FLOODED:
        return (f"the kernel wrote more than {_fmt_size(limit)} to {flood_port} "
                f"(flooded); the grader killed QEMU after {t}")
    if kind == CRASH:
        if status is not None and status < 0:
            try:
                name = signal.Signals(-status).name
            except ValueError:
                name = f"signal {-status}"
            return f"QEMU died of {name} after {t}: a crash"
        return (f"the kernel crashed: QEMU exited with status 0 after {t} "
                f"(a triple fault, with -no-reboot)")
    text = (f"QEMU exited with status {status} after {t}, which is neither "
            f"{EXIT_SUCCESS} (success) nor {EXIT_PANIC} (panic)")
    if stderr.strip():
        text += "; QEMU said: " + " | ".join(stderr.strip().splitlines()[-5:])
    return text


def classify(status: Optional[int]) -> str:
    if status == EXIT_SUCCESS:
        return SUCCESS
    if status == EXIT_PANIC:
        return PANIC
    if status is not None and status <= 0:
        return CRASH
    return ERROR


def literal_prefix(pattern: str) -> str:
    """The literal text a regex starts with ('^PANIC at (\\S+)' -> 'PANIC at')."""
    out = []
    i = 1 if pattern.startswith("^") else 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern) and not pattern[i + 1].isalnum():
            out.append(pattern[i + 1])
            i += 2
            continue
        if ch in ".^$*+?{}[]()|\\":
            if ch in "*?{" and out:
                out.pop()  # the previous character is optional or repeated
            break
        out.append(ch)
        i += 1
    return "".join(out)


def near_misses(pattern: str, lines: Sequence[str]) -> List[str]:
    """Lines that start with the pattern's literal prefix (at least 4 characters)."""
    prefix = literal_prefix(pattern).strip()
    if len(prefix) < 4:
        return []
    anchored = pattern.startswith("^")
    return [ln for ln in lines
            if (ln.startswith(prefix) if anchored else prefix in ln)]


@dataclass
class RunResult:
    """One QEMU run from start to exit (or kill)."""

    machine: Machine
    command: List[str]
    display: str  # reproduce line
    console: str  # COM1, newlines normalized
    com2: str  # KTAP
    status: Optional[int]  # QEMU's exit status; negative: died of a signal; None: never
    # started, or killed by the grader (hung, flooded)
    kind: str  # SUCCESS, PANIC, CRASH, HUNG, FLOODED, ERROR
    elapsed: float
    timeout: float
    stderr: str = ""
    flood_port: str = "COM1"
    limit: int = CONSOLE_LIMIT
    stalled: float = 0.0  # > 0: killed after this many seconds without output (run's stall)

    @property
    def ok(self) -> bool:
        return self.kind == SUCCESS

    def record(self) -> None:
        """Add this run to the running test's reproduce lines (for runs made
        with record=False, e.g. the in-kernel test groups)."""
        runlog.record(runlog.Command(runlog.QEMU, self.display, argv=list(self.command)))

    @property
    def reports(self):
        """The checkers' reports on the console (tidepool.sanitizers.Report):
        reading them tells the grader this test checks them itself, so they
        do not fail it (tidepool.reportwatch)."""
        return reportwatch.claim(self)

    @property
    def ktap(self):
        """COM2 parsed as KTAP (a tidepool.ktap.Document)."""
        from . import ktap

        return ktap.parse(self.com2)

    @property
    def lines(self) -> List[str]:
        lines = self.console.split("\n")
        while lines and not lines[-1].strip():
            lines.pop()
        return lines

    def last_lines(self, n: int = LAST_LINES) -> List[str]:
        return self.lines[-n:]

    def search(self, pattern: str, flags: int = re.M) -> Optional[re.Match]:
        return re.search(pattern, self.console, flags)

    def findall(self, pattern: str, flags: int = re.M) -> List:
        return re.findall(pattern, self.console, flags)

    def finditer(self, pattern: str, flags: int = re.M):
        return re.finditer(pattern, self.console, flags)

    def describe(self) -> str:
        return describe_exit(self.status, self.kind, self.elapsed, self.timeout,
                             self.flood_port, self.limit, self.stderr, self.stalled)

    def report(self, n: int = LAST_LINES) -> str:
        """Exit summary plus the last console lines, for failure messages."""
        text = self.describe() + ";\n" + quote_lines(self.last_lines(n))
        if self.kind == ERROR and not self.console.strip() and self.stderr.strip():
            text += "\nQEMU's own error output was:\n" + "\n".join(
                "    " + ln for ln in self.stderr.strip().splitlines()[-10:])
        return text

    # -- expectations that end the test with a clear message ---------------
    def expect_line(self, pattern: str, what: Optional[str] = None,
                    flags: int = re.M) -> re.Match:
        """Return the first match of pattern (multi-line regex) on the console."""
        m = self.search(pattern, flags)
        if m is None:
            near = near_misses(pattern, self.lines)
            hint = ""
            if near:
                hint = (" (a line starting like it was there but does not match: "
                        + ", ".join(repr(ln) for ln in near[:3]) + ")")
            fail(f"expected {what or repr(pattern)} on the console (booted with "
                 f"cmdline {self.machine.cmdline!r}), but it was not there{hint}; "
                 + self.report())
        return m

    def expect_kind(self, kind: str = SUCCESS, why: str = "") -> None:
        if self.kind != kind:
            want = {SUCCESS: f"exit with status {EXIT_SUCCESS} (success)",
                    PANIC: f"panic and exit with status {EXIT_PANIC}",
                    CRASH: "crash (QEMU status 0)",
                    HUNG: "hang", FLOODED: "flood the console"}.get(kind, kind)
            fail(f"expected the kernel to {want}{' ' + why if why else ''} "
                 f"(cmdline {self.machine.cmdline!r}), but " + self.report())


def run(
    machine: Machine,
    timeout: float,
    console_limit: int = CONSOLE_LIMIT,
    com2_limit: int = COM2_LIMIT,
    record: bool = True,
    stall: Optional[float] = None,
) -> RunResult:
    """Boot machine and collect COM1/COM2 until QEMU exits or is killed.

    stall: kill QEMU (kind HUNG) once neither COM1 nor COM2 has grown for
    this many seconds. For kernels that promise to print while they make
    progress (ktest_progress, ktest.h): a deadlock with interrupts off
    on every CPU fails in seconds instead of at the whole timeout."""
    with Workdir() as wd:
        com2_path = wd.file("com2.txt")
        cmd = build_command(machine, "stdio", f"file:{com2_path}")
        display = display_command(cmd, wd.path)
        if record:
            runlog.record(runlog.Command(runlog.QEMU, display, argv=list(cmd)))
        file_limit = max(console_limit, com2_limit) * 2 + (1 << 20)
        start = time.monotonic()
        try:
            proc = subprocess.Popen(
                cmd,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                cwd=wd.path,
                start_new_session=True,
                preexec_fn=_child_limits(file_limit),
            )
        except OSError as exc:
            return RunResult(machine, cmd, display, "", "", None, ERROR, 0.0, timeout,
                             stderr=f"could not start {cmd[0]}: {exc}")
        out = bytearray()
        err = bytearray()
        seen = 0
        kind: Optional[str] = None
        flood_port, limit = "COM1", console_limit
        deadline = start + timeout
        last_output, com2_seen, stalled = start, 0, 0.0
        sel = selectors.DefaultSelector()
        sel.register(proc.stdout, selectors.EVENT_READ)
        sel.register(proc.stderr, selectors.EVENT_READ)
        try:
            while sel.get_map() and kind is None:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    kind = HUNG
                    break
                for key, _ in sel.select(min(remaining, _POLL)):
                    chunk = os.read(key.fd, 65536)
                    if not chunk:
                        sel.unregister(key.fileobj)
                        continue
                    if key.fileobj is proc.stdout:
                        last_output = time.monotonic()
                        seen += len(chunk)
                        out += chunk[: max(0, console_limit - len(out))]
                        if seen > console_limit:
                            kind = FLOODED
                            break
                    elif len(err) < 65536:
                        err += chunk[: 65536 - len(err)]
                com2_size = _size(com2_path)
                if kind is None and com2_size > com2_limit:
                    kind, flood_port, limit = FLOODED, "COM2", com2_limit
                if com2_size != com2_seen:
                    last_output, com2_seen = time.monotonic(), com2_size
                if kind is None and stall and time.monotonic() - last_output > stall:
                    kind, stalled = HUNG, time.monotonic() - last_output
            if kind is None:
                try:
                    proc.wait(timeout=max(0.0, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    kind = HUNG
            if kind is not None:
                kill_group(proc)
            status = proc.wait()
            elapsed = time.monotonic() - start
        finally:
            kill_group(proc)  # anything QEMU may have left behind
            sel.close()
            proc.stdout.close()
            proc.stderr.close()
            if proc.poll() is None:
                proc.wait()
        if kind is None:
            kind = classify(status)
        else:
            status = None  # killed by the grader (hung or flooded)
        com2 = _read_capped(com2_path, com2_limit)
        result = RunResult(
            machine=machine, command=cmd, display=display, console=normalize(bytes(out)),
            com2=com2, status=status, kind=kind, elapsed=elapsed, timeout=timeout,
            stderr=normalize(bytes(err)), flood_port=flood_port, limit=limit,
            stalled=stalled,
        )
        if record:  # the running test's own boot: a checker report fails it
            reportwatch.watch(result)
        return result


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def _read_capped(path: str, limit: int) -> str:
    try:
        with open(path, "rb") as f:
            return normalize(f.read(limit))
    except OSError:
        return ""


# ---------------------------------------------------------------------------
# Interactive console (pexpect)


class _Flooded(Exception):
    pass


class _Transcript:
    """pexpect logfile_read: keeps the console text, enforces the output limit."""

    def __init__(self, limit: int):
        self.limit = limit
        self.parts: List[str] = []
        self.size = 0

    def write(self, data) -> None:
        if isinstance(data, bytes):
            data = data.decode("utf-8", errors="replace")
        self.size += len(data)
        if self.size > self.limit:
            raise _Flooded()
        self.parts.append(data)

    def flush(self) -> None:
        pass

    @property
    def text(self) -> str:
        return "".join(self.parts).replace("\r\n", "\n").replace("\r", "\n")

    def last_lines(self, n: int = LAST_LINES) -> List[str]:
        lines = self.text.split("\n")
        while lines and not lines[-1].strip():
            lines.pop()
        return lines[-n:]


def waiting_spawn_class():
    """pexpect's PopenSpawn, made to wait for output instead of polling.

    PopenSpawn's reader thread puts what QEMU prints on a queue, and its
    read_nonblocking() only looks whether something is there; pexpect's
    expect loop then sleeps 100 us (delayafterread) and looks again. A
    test waiting on the console -- for a boot, a command's output, a
    timeout -- so kept the grader busy: 0.12 CPU seconds for each second
    it waited (measured: 0.61 s of CPU in a 5-second wait; 0.03 now), in
    make check more than a tenth of a core. Here the first read waits on
    the queue until output arrives or the expect's time is up (then it
    returns nothing, and pexpect sees the timeout as before), and no
    sleep follows a read. What is already queued is read as PopenSpawn
    reads it. Made once per pexpect module: the selftests' in-process
    pytest runs unload the modules they imported, and a class made from
    an unloaded pexpect would raise its own EOF, not the one callers
    catch."""
    from pexpect.popen_spawn import PopenSpawn

    return _waiting_spawn(PopenSpawn)


@functools.lru_cache(maxsize=None)
def _waiting_spawn(base):
    from queue import Empty

    class WaitingPopenSpawn(base):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.delayafterread = None

        def read_nonblocking(self, size, timeout):
            if not self._buf and not self._read_reached_eof:
                wait = self.timeout if timeout == -1 else timeout
                try:
                    chunk = self._read_queue.get(timeout=None if wait is None else max(wait, 0))
                except Empty:
                    return ""
                if chunk is None:
                    self._read_reached_eof = True
                else:
                    self._buf += self._decoder.decode(chunk, final=False)
            return super().read_nonblocking(size, timeout)

    return WaitingPopenSpawn


class ConsoleSession:
    """An interactive session on the serial console (COM1) of a running kernel.

    ``expect`` and ``command`` fail the test with the expected text and the
    last console lines when the kernel does not answer in time, exits, or
    floods. Input lines end with ``newline`` ("\\r", what a terminal's Enter
    key sends). Use as a context manager or call :meth:`close`.
    """

    def __init__(self, machine: Machine, timeout: float,
                 console_limit: int = CONSOLE_LIMIT, newline: str = "\r",
                 record: bool = True):
        self.machine = machine
        self.timeout = timeout
        self.newline = newline
        self.limit = console_limit
        self.workdir = Workdir()
        self.argv = build_command(machine, "stdio", "file:" + self.workdir.file("com2.txt"))
        self.display = display_command(self.argv, self.workdir.path)
        # The reproduce line grows with what the test types (see send()).
        self.entry = runlog.Command(runlog.CONSOLE, self.display, argv=list(self.argv))
        if record:
            runlog.record(self.entry)
            reportwatch.watch(self)
        self.transcript = _Transcript(console_limit)
        self.start = time.monotonic()
        self.status: Optional[int] = None
        self.kind: Optional[str] = None
        self.closed = False
        self.child = waiting_spawn_class()(
            self.argv, timeout=timeout, maxread=65536, cwd=self.workdir.path,
            encoding="utf-8", codec_errors="replace",
            preexec_fn=_session_setup(max(console_limit, COM2_LIMIT) * 2 + (1 << 20)),
        )
        self.child.logfile_read = self.transcript

    # -- helpers -----------------------------------------------------------
    @property
    def console(self) -> str:
        return self.transcript.text

    def last_lines(self, n: int = LAST_LINES) -> List[str]:
        return self.transcript.last_lines(n)

    @property
    def reports(self):
        """The checkers' reports on the console so far; reading them claims
        them (see RunResult.reports)."""
        return reportwatch.claim(self)

    def _state(self) -> str:
        elapsed = time.monotonic() - self.start
        if self.kind is not None:
            return describe_exit(self.status, self.kind, elapsed, self.timeout, "COM1", self.limit)
        return f"QEMU was still running after {elapsed:.2f} s"

    def _failure(self, what: str, how: str) -> None:
        lines = self.last_lines()
        fail(f"expected {what} on the console (cmdline {self.machine.cmdline!r}), "
             f"but {how}; {quote_lines(lines)}")

    # -- the pexpect API, with failures a student can read -----------------
    def expect(self, pattern, timeout: Optional[float] = None, what: Optional[str] = None,
               exact: bool = False, fail_on_panic: bool = True):
        """Wait for pattern (a regex, or literal text with exact=True); return the match.

        A 'PANIC at ' line seen while waiting fails at once (outside test
        mode a panicking kernel halts instead of exiting), unless
        fail_on_panic=False.
        """
        import pexpect

        t = self.timeout if timeout is None else timeout
        desc = what or repr(pattern)
        try:
            if exact:
                patterns = [pattern] + ([PANIC_TEXT] if fail_on_panic else [])
                index = self.child.expect_exact(patterns, timeout=t)
            else:
                patterns = [pattern] + ([re.escape(PANIC_TEXT)] if fail_on_panic else [])
                index = self.child.expect(patterns, timeout=t)
            if index == 1:
                self._panicked(desc)
            return self.child.match
        except pexpect.TIMEOUT:
            self._failure(desc, f"it did not appear within {t:.1f} s")
        except pexpect.EOF:
            self._reap()
            self._failure(desc, f"QEMU exited first: {self._state()}")
        except _Flooded:
            self.kind = FLOODED
            self._kill()
            self._failure(desc, self._state())

    def _panicked(self, desc: str) -> None:
        """The kernel printed 'PANIC at': collect the rest of the report, then fail."""
        import pexpect

        try:
            # Bounded wait for the backtrace: the kernel exits (test mode) or
            # halts; this only ever runs on the way to a failure.
            self.child.expect(pexpect.EOF, timeout=min(PANIC_GRACE, self.timeout))
            self._reap()
        except (pexpect.TIMEOUT, _Flooded):
            pass
        if self.kind == PANIC:
            self._failure(desc, self._state())
        self._failure(desc, "the kernel panicked" + (f" ({self._state()})" if self.kind else ""))

    def expect_exact(self, text: str, timeout: Optional[float] = None,
                     what: Optional[str] = None):
        return self.expect(text, timeout=timeout, what=what or repr(text), exact=True)

    def expect_prompt(self, timeout: Optional[float] = None) -> None:
        self.expect_exact(PROMPT, timeout=timeout, what=f"the monitor prompt {PROMPT!r}")

    def send(self, text: str) -> None:
        self.entry.typed.append(text)
        try:
            self.child.send(text)
        except OSError:
            self._reap()
            fail(f"could not type {text!r} on the console: {self._state()}; "
                 + quote_lines(self.last_lines()))

    def sendline(self, text: str = "") -> None:
        self.send(text + self.newline)

    def command(self, line: str, timeout: Optional[float] = None) -> str:
        """Type a monitor command, wait for the next prompt, return its output.

        The returned text is what the kernel printed between the command and
        the next prompt, without the kernel's echo of the command line.
        """
        self.sendline(line)
        self.expect_exact(PROMPT, timeout=timeout,
                          what=f"the monitor prompt {PROMPT!r} after the command {line!r}")
        before = (self.child.before or "").replace("\r\n", "\n").replace("\r", "\n")
        first, sep, rest = before.partition("\n")
        if sep and first.strip() == line.strip():
            return rest
        return before

    def wait_exit(self, timeout: Optional[float] = None) -> int:
        """Wait until QEMU exits on its own; return its exit status."""
        import pexpect

        t = self.timeout if timeout is None else timeout
        try:
            self.child.expect(pexpect.EOF, timeout=t)
        except pexpect.TIMEOUT:
            self._failure("QEMU to exit", f"it was still running after {t:.1f} s")
        except _Flooded:
            self.kind = FLOODED
            self._kill()
            self._failure("QEMU to exit", self._state())
        self._reap()
        return self.status

    # -- lifetime ----------------------------------------------------------
    def _reap(self) -> None:
        if self.kind is not None:
            return
        try:
            status = self.child.proc.wait(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            self._kill()
            self.kind = HUNG
            return
        self.status = status
        self.kind = classify(status)

    def _kill(self) -> None:
        kill_group(self.child.proc)
        try:
            self.child.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass

    def close(self) -> Optional[int]:
        if self.closed:
            return self.status
        self.closed = True
        if self.child.proc.poll() is None:
            self._kill()
        else:
            self._reap()
        kill_group(self.child.proc)
        try:
            # stdout is drained (to EOF) by pexpect's reader thread; closing
            # it here would race with that thread.
            if self.child.proc.stdin:
                self.child.proc.stdin.close()
        except OSError:
            pass
        self.workdir.cleanup()
        return self.status

    def __enter__(self) -> "ConsoleSession":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _session_setup(file_limit: int):
    limits = _child_limits(file_limit)

    def setup() -> None:
        os.setsid()
        limits()

    return setup
