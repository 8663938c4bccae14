"""Batch GDB runs that start their own QEMU (no TCP port, no race).

The script begins with::

    target remote | exec qemu-system-i386 -gdb stdio -S -kernel K ...

so QEMU is GDB's child, talks the remote protocol over a pipe, and dies
with GDB. GDB runs with ``-nx`` (the project's .gdbinit targets a TCP port)
and ``-batch`` in its own process group, which is killed on timeout and
after every run so no QEMU is ever left behind.

A script that stops on an error is reported by :attr:`GdbResult.error`;
GDB's exit status is that of the final ``kill``, so do not rely on it.

Scripts print values for the test with a marker line, e.g.
``printf "@@gdt=%#x\\n", &gdt``; :attr:`GdbResult.markers` collects them.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Union

from . import reportwatch, runlog
from .errors import fail, quote_lines
from .qemu import _PRCTL, Machine, Workdir, _child_limits, build_command, kill_group, normalize

SCRIPT_HEADER = ("set pagination off", "set confirm off", "set width 0", "set height 0")
_MARKER_RE = re.compile(r"^@@([A-Za-z_][\w.]*)=(.*)$", re.M)
OUTPUT_LIMIT = 1 << 20


def gdb_binary() -> str:
    return os.environ.get("TIDEPOOL_GDB") or "gdb"


@dataclass
class GdbResult:
    script: str
    command: List[str]
    display: str  # reproduce text
    output: str  # GDB's stdout and stderr, interleaved
    status: Optional[int]  # GDB's exit status; None when killed on timeout
    timed_out: bool
    elapsed: float
    timeout: float
    console: str = ""  # COM1 of the QEMU GDB started
    markers: Dict[str, str] = field(default_factory=dict)
    machine: Optional[Machine] = None  # what GDB's QEMU booted

    @property
    def reports(self):
        """The checkers' reports on COM1; reading them claims them
        (see tidepool.qemu.RunResult.reports)."""
        return reportwatch.claim(self)

    @property
    def lines(self) -> List[str]:
        return self.output.rstrip("\n").split("\n") if self.output else []

    def search(self, pattern: str, flags: int = re.M) -> Optional[re.Match]:
        return re.search(pattern, self.output, flags)

    @property
    def error(self) -> Optional[str]:
        """The error that stopped the script early, if one did."""
        m = re.search(r"script\.gdb:(\d+): Error in sourced command file:\n(.*)", self.output)
        if m is None:
            return None
        line = self.script.split("\n")[int(m.group(1)) - 1].strip() \
            if int(m.group(1)) <= len(self.script.split("\n")) else "?"
        return f"{m.group(2).strip()} (at script line {m.group(1)}: {line})"

    def describe(self) -> str:
        if self.timed_out:
            return f"GDB did not finish within {self.timeout:.1f} s; the grader killed it and QEMU"
        text = f"GDB finished after {self.elapsed:.2f} s"
        if self.error:
            text += f"; the script stopped early: {self.error}"
        return text

    def report(self, n: int = 25) -> str:
        text = self.describe() + ";\n" + quote_lines(self.lines[-n:], "lines of GDB output")
        console = [ln for ln in self.console.rstrip("\n").split("\n") if ln] if self.console else []
        if console:
            text += "\n" + quote_lines(console[-10:], "console lines")
        return text

    def expect(self, pattern: str, what: Optional[str] = None, flags: int = re.M) -> re.Match:
        m = self.search(pattern, flags)
        if m is None:
            fail(f"expected {what or repr(pattern)} in GDB's output, but it was not there; "
                 + self.report())
        return m

    def marker(self, name: str, what: Optional[str] = None) -> str:
        if name not in self.markers:
            fail(f"expected GDB to print {what or name} (marker @@{name}=...), "
                 f"but it did not; " + self.report())
        return self.markers[name]


def run_gdb(machine: Machine, commands: Union[str, Sequence[str]], timeout: float,
            gdb: Optional[str] = None, symbols: Optional[str] = None,
            record: bool = True) -> GdbResult:
    """Run commands (GDB script text or lines) against a fresh, stopped QEMU."""
    if not isinstance(commands, str):
        commands = "\n".join(commands)
    with Workdir(prefix="tidepool-gdb-") as wd:
        # GDB starts the pipe command in a process group of its own, so
        # killing GDB's group misses QEMU: its pidfile lets the grader find it.
        pidfile = wd.file("qemu.pid")
        qemu_cmd = build_command(machine, f"file:{wd.file('com1.txt')}",
                                 f"file:{wd.file('com2.txt')}", gdb_stdio=True)
        qemu_cmd += ["-pidfile", pidfile]
        # setpriv --pdeathsig: QEMU dies with GDB even if the grader (and so
        # GDB) is killed without a chance to clean up.
        guard = ["setpriv", "--pdeathsig", "KILL", "--"] if shutil.which("setpriv") else []
        header = list(SCRIPT_HEADER)
        target = "target remote | exec "
        script = "\n".join(header + [target + shlex.join(guard + qemu_cmd)]) + "\n" \
            + commands.strip("\n") + "\n"
        script_path = wd.file("script.gdb")
        with open(script_path, "w") as f:
            f.write(script)
        symbols = symbols if symbols is not None else machine.kernel
        # '-ex kill' runs even when the script stops on an error; without
        # it GDB detaches, QEMU keeps running, and GDB's exit waits for it.
        cmd = [gdb or gdb_binary(), "-q", "-nx", "-batch",
               "-iex", "set auto-load off", "-x", script_path, "-ex", "kill"]
        if symbols:
            cmd.append(symbols)
        display = reproduce_line(cmd[0], qemu_cmd, commands, symbols, wd.path)
        if record:
            runlog.record(runlog.Command(runlog.GDB, display, argv=list(qemu_cmd),
                                         script=commands.strip("\n"), symbols=symbols or ""))
        _become_subreaper()
        start = time.monotonic()
        timed_out = False
        try:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                    stderr=subprocess.STDOUT, cwd=wd.path,
                                    start_new_session=True,
                                    preexec_fn=_child_limits(8 << 20))
        except OSError as exc:
            return GdbResult(script, cmd, display, f"could not start GDB: {exc}", None,
                             False, 0.0, timeout)
        try:
            out, _ = proc.communicate(timeout=timeout)
            status: Optional[int] = proc.returncode
        except subprocess.TimeoutExpired:
            timed_out = True
            kill_group(proc)
            out, _ = proc.communicate()
            status = None
        finally:
            kill_group(proc)
            _kill_pidfile(pidfile, wd.path)  # QEMU, if GDB left it running
            _kill_strays(wd.path + os.sep)  # QEMU still starting up (no pidfile yet)
        elapsed = time.monotonic() - start
        output = normalize(out[:OUTPUT_LIMIT])
        try:
            with open(wd.file("com1.txt"), "rb") as f:
                console = normalize(f.read(OUTPUT_LIMIT))
        except OSError:
            console = ""
    markers = {m.group(1): m.group(2).strip() for m in _MARKER_RE.finditer(output)}
    result = GdbResult(script, cmd, display, output, status, timed_out, elapsed, timeout,
                       console, markers, machine)
    if record:  # the running test's own boot: a checker report fails it
        reportwatch.watch(result)
    return result


# The kernel-aware commands (tasks, ktrace, ...): tools/gdb/tidepool.py.
GDB_COMMANDS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "tools", "gdb", "tidepool.py")


def snapshot(port: int, kernel: str, timeout: float = 60.0) -> str:
    """Where every CPU of a running QEMU is, and every thread: GDB attaches
    to its gdbstub on 127.0.0.1:port, prints ``tasks`` (each thread's
    state, process, what it waits on, "system call NAME" or "user mode")
    and each vCPU's backtrace, then detaches and the guest runs on. For a
    long run that hangs (make soak): its failure then says where."""
    script = [*SCRIPT_HEADER, f"source {GDB_COMMANDS}", f"target remote 127.0.0.1:{port}",
              "echo -- tasks\n", "tasks", "echo -- the CPUs\n", "info threads",
              "thread apply all bt 12", "detach"]
    cmd = [gdb_binary(), "-q", "-nx", "-batch", "-iex", "set auto-load off"]
    for line in script:
        cmd += ["-ex", line]
    cmd.append(kernel)
    try:
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"(GDB could not look: {exc})"
    return normalize(proc.stdout[:OUTPUT_LIMIT])


def reproduce_line(gdb: str, qemu_cmd: Sequence[str], commands: str, symbols: Optional[str],
                   workdir: str) -> str:
    """One shell line that writes the test's script.gdb and runs it as the grader did.

    The script has the same lines as the grader's (so "script.gdb:N" in an
    error means the same line), except that the temp dir's files (com1.txt,
    com2.txt) land in the current directory and -pidfile and the setpriv
    guard, the grader's own business, are left out.
    """
    prefix = workdir.rstrip("/") + "/"
    shown_qemu = []
    skip = False
    for a in qemu_cmd:
        if skip:
            skip = False
            continue
        if a == "-pidfile":
            skip = True
            continue
        shown_qemu.append(a.replace(prefix, ""))
    lines = list(SCRIPT_HEADER) + ["target remote | exec " + runlog.join_inner(shown_qemu)]
    lines += commands.strip("\n").split("\n") if commands.strip("\n") else []
    gdb_cmd = [gdb, "-q", "-nx", "-batch", "-iex", "set auto-load off",
               "-x", "script.gdb", "-ex", "kill"] + ([symbols] if symbols else [])
    return ("printf '%s\\n' " + " ".join(shlex.quote(ln) for ln in lines)
            + " > script.gdb && " + shlex.join(gdb_cmd))


_PR_SET_CHILD_SUBREAPER = 36
_subreaper = False


def _become_subreaper() -> None:
    """Adopt orphaned descendants, so a QEMU whose GDB died can be reaped here."""
    global _subreaper
    if not _subreaper and _PRCTL is not None:
        _PRCTL(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
        _subreaper = True


def _kill_strays(marker: str, wait: float = 10.0) -> None:
    """Kill every process whose command line holds marker (this run's temp dir).

    The pidfile misses a QEMU that GDB was still starting when it was
    killed, before QEMU wrote the file (seen at short timeouts on a loaded
    machine: 2 runs in 150 left a live QEMU behind for a moment). Its death
    signal (setpriv --pdeathsig) kills it, but not necessarily before we
    return; and had GDB died before setpriv armed that signal, nothing
    would. So: kill whatever still runs, and wait until it is gone. At
    every stage (sh, setpriv, QEMU) the pipe command's command line names
    this run's temp dir, which no other process's does.
    """
    deadline = time.monotonic() + wait
    me = os.getpid()
    while True:
        found = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit() or int(entry) == me:
                continue
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    if marker.encode() in f.read():  # (a zombie's is empty)
                        found.append(int(entry))
            except OSError:
                continue
        if not found or time.monotonic() > deadline:
            return
        for pid in found:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                continue
            try:
                os.waitpid(pid, 0)  # our child by adoption (we are a subreaper)
            except ChildProcessError:
                pass  # someone else's to reap; gone from the next scan once dead


def _kill_pidfile(pidfile: str, marker: str) -> None:
    """Make sure the QEMU named in pidfile is gone (killed and reaped)."""
    try:
        with open(pidfile) as f:
            pid = int(f.read().strip() or 0)
    except (OSError, ValueError):
        return
    if pid <= 0:
        return
    try:
        # Our child only by adoption (we are a subreaper and GDB is gone).
        done, _ = os.waitpid(pid, os.WNOHANG)
        if not done:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        return
    except ChildProcessError:
        pass  # not our child: GDB reaped it, or it still has GDB as parent
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            cmdline = f.read().decode(errors="replace")
    except OSError:
        return
    if marker in cmdline:  # not a recycled pid
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
