"""Run one sandboxed phase: wall-time limit, output cap.

The output of a phase (stdout and stderr together) is read by a thread and
kept as its first and last output_kb/2 KiB, so a 100 MB console flood
costs the log a few hundred KiB and the batch nothing; past output_kill_mb
the phase is killed. The wall-time limit kills the phase's process group:
bwrap dies, and with it (--die-with-parent, then the pid namespace's end)
everything inside.
"""

import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass

from .limits import Limits

CHUNK = 65536


@dataclass
class PhaseResult:
    status: int            # exit status, or -N when killed by signal N
    wall_s: float
    output: str            # head + [... N bytes left out ...] + tail
    total_bytes: int
    killed: str = ""       # why this tool killed it ("" if it ended itself)

    def ok(self) -> bool:
        return self.status == 0 and not self.killed


class _Keeper:
    """Keeps the first and last half of a byte stream."""

    def __init__(self, keep: int):
        self.half = keep // 2
        self.head = bytearray()
        self.tail = bytearray()
        self.total = 0

    def add(self, data: bytes) -> None:
        self.total += len(data)
        room = self.half - len(self.head)
        if room > 0:
            self.head += data[:room]
            data = data[room:]
        self.tail += data
        if len(self.tail) > 2 * self.half:
            del self.tail[:len(self.tail) - self.half]

    def text(self) -> str:
        tail = bytes(self.tail[-self.half:]) if self.half else b""
        dropped = self.total - len(self.head) - len(tail)
        middle = f"\n[... {dropped} bytes of output left out ...]\n".encode() if dropped > 0 else b""
        return (bytes(self.head) + middle + tail).decode("utf-8", "replace")


def _describe_signal(n: int) -> str:
    try:
        return signal.Signals(n).name
    except ValueError:
        return f"signal {n}"


def run(argv, limits: Limits) -> PhaseResult:
    keeper = _Keeper(limits.output_kb * 1024)
    killed = []
    start = time.monotonic()
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)

    def kill(reason: str) -> None:
        if not killed:
            killed.append(reason)
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass

    def reader() -> None:
        while True:
            data = proc.stdout.read1(CHUNK)
            if not data:
                return
            keeper.add(data)
            if keeper.total > limits.output_kill_mb * 1024 * 1024:
                kill(f"output-size limit: more than {limits.output_kill_mb} MiB of output")

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    timer = threading.Timer(limits.wall_s, kill, [f"wall-time limit of {limits.wall_s:g} s"])
    timer.start()
    _, wstatus = os.waitpid(proc.pid, 0)
    timer.cancel()
    proc.returncode = os.waitstatus_to_exitcode(wstatus)
    thread.join(5)
    proc.stdout.close()
    return PhaseResult(proc.returncode, time.monotonic() - start, keeper.text(), keeper.total,
                       killed[0] if killed else "")


def explain(phase: str, r: PhaseResult) -> str:
    """One line for the log: how the phase ended, in words."""
    if r.killed:
        how = f"killed by the grader: {r.killed}"
    elif r.status == 0:
        how = "finished"
    elif r.status < 0:
        how = f"killed by {_describe_signal(-r.status)}"
    elif r.status > 128:
        # bwrap passes on its child's death by signal N as 128+N.
        sig = r.status - 128
        how = f"killed by {_describe_signal(sig)}"
        if sig == signal.SIGXCPU or sig == signal.SIGKILL:
            how += " (the CPU-time limit sends SIGXCPU, then SIGKILL)"
        if sig == signal.SIGXFSZ:
            how += " (file-size limit)"
    else:
        how = f"exit status {r.status}"
    return f"{phase}: {how} after {r.wall_s:.1f} s, {r.total_bytes} bytes of output"
