"""The soak's parts (issue 17; the test is grading/userland/test_soak.py):
the host's traffic against httpd, the verdict on one round of usertests
or sysfuzz, and the counters of lost resources read at rest.

The parsers and the comparison are pure functions of text and numbers, so
grading/selftest/test_soak_logic.py tests them without a kernel; the rest
types at a NetGuest's shell (tidepool/net.py).
"""

from __future__ import annotations

import hashlib
import random
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from . import ktap, net
from .errors import fail, indent

UPLOAD_BYTES = 256 << 10
# The cases usertests -S and sysfuzz -S skip (their reason says -S).
SHARED_SKIPS = {"no_frames_leaked", "no_frames_lost", "no_heap_leaked"}
# TIME_WAIT lasts 2 MSL = 60 s of guest time (kernel/net/tcp.h), which
# TCG keeps with the host's clock; the wait for rest outlasts it.
REST_BASE = 90.0
# Seconds between two looks while waiting for rest: how often we ask,
# not a synchronization (each look reads the guest's real state).
LOOK_INTERVAL = 1.0


# ---------------------------------------------------------------------------
# The host's traffic


@dataclass
class Failure:
    """A transfer that did not arrive whole. `cut`: no final HTTP status
    came (the connection ended first); else an answer came and was wrong."""

    text: str
    cut: bool


@dataclass
class Traffic:
    """Counts of the two curl loops; the failures."""

    downloads: int = 0
    uploads: int = 0
    failures: List[Failure] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, kind: str, problem: Optional[Failure]) -> None:
        with self.lock:
            if problem:
                self.failures.append(problem)
            elif kind == "get":
                self.downloads += 1
            else:
                self.uploads += 1


# The kernel's out-of-memory policy: the process whose page fault finds
# no frame dies (proc_out_of_memory, kernel/proc/process.c), and says so.
OOM_KILL = re.compile(r"\[pid (\d+) (\S+)\] killed: out of memory")


def unexplained(failures: List[Failure], console: str) -> Tuple[List[Failure], int]:
    """(the failures nothing explains, how many httpd children the kernel
    killed for memory). While usertests' oom cases fill the machine, an
    httpd child that faults (a copy-on-write page after its fork) dies,
    and its client sees the connection end without an answer: each such
    kill excuses one cut transfer, never a wrong answer."""
    kills = sum(1 for m in OOM_KILL.finditer(console) if m.group(2) == "httpd")
    wrong = [f for f in failures if not f.cut]
    cut = [f for f in failures if f.cut]
    return wrong + cut[kills:], kills


def curl(port: int, path: str, timeout: float, extra=()) -> Tuple[int, bytes, str]:
    """net.curl without a reproduce line (the soak makes thousands), in a
    thread of its own: a curl that outlives its time is a failed
    transfer here (status 0), not a failed test."""
    try:
        status, body, err = net.curl(port, path, timeout, extra=extra, record=False)
        return status, body, err.strip()
    except BaseException as exc:   # fail()'s exception: no test to fail in this thread
        return 0, b"", str(exc)


def download_once(port: int, want_sha: str, timeout: float) -> Optional[Failure]:
    """GET /1m.bin; None if the bytes are the blob's, else what went wrong."""
    status, body, err = curl(port, "/1m.bin", timeout)
    if status == 200 and hashlib.sha256(body).hexdigest() == want_sha:
        return None
    return Failure(f"GET /1m.bin: status {status}, {len(body)} bytes (want 200 and the "
                   f"1048576 bytes of the blob){', curl: ' + err if err else ''}",
                   cut=status in (0, 100))


def upload_once(port: int, path: str, want: Tuple[int, int],
                timeout: float) -> Optional[Failure]:
    """PUT the file at path to /upload; None if httpd counted its bytes and crc."""
    status, body, err = curl(port, "/upload", timeout, extra=("-T", path, "-X", "PUT"))
    m = re.search(rb"bytes=(\d+) crc=([0-9A-Fa-f]{8})", body)
    if status == 200 and m and (int(m.group(2), 16), int(m.group(1))) == want:
        return None
    return Failure(f"PUT /upload of {want[1]} bytes with crc {want[0]:08X}: status {status}, "
                   f"reply {body[:120]!r}{', curl: ' + err if err else ''}",
                   cut=status in (0, 100))


class HostLoad:
    """Two threads against the guest's httpd until stop(): one downloads
    /1m.bin, one uploads UPLOAD_BYTES (four payloads in turn, so that an
    answer left over from one request cannot pass for the next one's)."""

    def __init__(self, guest, workdir: str):
        self.traffic = Traffic()
        self.stopping = threading.Event()
        self.timeout = guest.scaled(60.0)
        self.port = guest.http_port
        self.want_sha = hashlib.sha256(net.www_blob(1 << 20)).hexdigest()
        self.payloads = []
        rng = random.Random(17)
        for i in range(4):
            data = rng.randbytes(UPLOAD_BYTES)
            path = f"{workdir}/up{i}.bin"
            with open(path, "wb") as f:
                f.write(data)
            self.payloads.append((path, net.posix_cksum(data)))
        self.threads = [threading.Thread(target=self._loop, args=(kind,), daemon=True)
                        for kind in ("get", "put")]

    def once(self, kind: str, i: int = 0) -> Optional[Failure]:
        """One transfer: None if it arrived whole, else what went wrong."""
        if kind == "get":
            return download_once(self.port, self.want_sha, self.timeout)
        return upload_once(self.port, *self.payloads[i % len(self.payloads)], self.timeout)

    def _loop(self, kind: str) -> None:
        i = 0
        while not self.stopping.is_set():
            self.traffic.count(kind, self.once(kind, i))
            i += 1

    def start(self) -> "HostLoad":
        for t in self.threads:
            t.start()
        return self

    def stop(self) -> Traffic:
        self.stopping.set()
        for t in self.threads:
            t.join()
        return self.traffic


# ---------------------------------------------------------------------------
# One round's verdict


def round_problems(name: str, text: str) -> Tuple[List[str], List[str]]:
    """(what failed, the lines -S did not judge) of one usertests or
    sysfuzz run's console text. httpd's request lines ("httpd: ...") share
    the console and are left out; every case must pass, but for the leak
    checks that -S skips."""
    own = "\n".join(ln for ln in text.splitlines() if not ln.startswith("httpd: "))
    doc = ktap.parse(own)
    problems = []
    if not doc.results or doc.truncated:
        problems.append(f"{name}: its KTAP is incomplete (plan {doc.plan}, "
                        f"{len(doc.results)} results)")
    for r in doc.results:
        expected_skip = r.name in SHARED_SKIPS and r.skipped and "-S" in r.reason
        if not r.passed and not expected_skip:
            problems.append(f"{name}: {r.describe()}: " + "; ".join(r.diagnostics[-3:]))
    unjudged = [f"{name}: {ln.strip()}" for ln in own.splitlines() if "not judged" in ln]
    return problems, unjudged


# ---------------------------------------------------------------------------
# The counters at rest


@dataclass
class AtRest:
    """What the soak compares: /bin/meminfo's counters, ps's processes
    ("pid name", sorted), netstat's socket lines (sorted) and TCP's
    control blocks in use."""

    meminfo: Dict[str, int]
    processes: List[str]
    sockets: List[str]
    tcbs: int


def parse_meminfo(text: str) -> Dict[str, int]:
    """/bin/meminfo's "name value ..." lines -> {name: value}."""
    return {m.group(1): int(m.group(2))
            for m in re.finditer(r"(?m)^(free_frames|heap_\w+|kasan)\s+(\d+)", text)}


def parse_ps(text: str) -> List[Tuple[int, int, str, str]]:
    """ps's rows (PID PPID PGID S THR MEM NAME) as (pid, ppid, state, name),
    without ps itself."""
    rows = []
    for m in re.finditer(r"(?m)^\s*(\d+)\s+(\d+)\s+\d+\s+(\S)\s+\d+\s+\d+\s+(\S+)\s*$", text):
        if m.group(4) != "ps":
            rows.append((int(m.group(1)), int(m.group(2)), m.group(3), m.group(4)))
    return rows


def socket_lines(netstat_text: str) -> List[str]:
    """The socket table's rows of netstat's output, sorted."""
    table = netstat_text.split("sockets:", 1)[-1].splitlines()[2:]
    return sorted(ln.strip() for ln in table if ln.strip())


def not_at_rest(rows: List[Tuple[int, int, str, str]], sockets: List[str], tcbs: int) -> str:
    """'' at rest, else why not: a zombie, a process that is neither one of
    init's (the daemons, the shell) nor gone, or TCP control blocks beyond
    the listeners' (a connection, or a TIME_WAIT not yet over)."""
    if not rows:
        return "ps printed no process"
    busy = [f"{pid} {name} (state {state}, parent {ppid})" for pid, ppid, state, name in rows
            if state == "Z" or ppid > 1]
    if busy:
        return "processes still running or not reaped: " + ", ".join(busy)
    listeners = sum(1 for s in sockets if s.startswith("tcp") and s.endswith("LISTEN"))
    if tcbs != listeners:
        return f"{tcbs} TCP control blocks in use, {listeners} listener(s)"
    return ""


def look(guest) -> Tuple[str, AtRest]:
    """One look at the guest: (not_at_rest's answer, what was seen)."""
    rows = parse_ps(guest.sh("ps"))
    stat = guest.netstat()
    sockets = socket_lines(stat.text)
    tcbs = stat.need("tcp tcbs in use")
    seen = AtRest({}, sorted(f"{pid} {name}" for pid, _, _, name in rows), sockets, tcbs)
    return not_at_rest(rows, sockets, tcbs), seen


def wait_at_rest(guest) -> AtRest:
    """Wait until every program and connection has ended, then read the
    counters."""
    deadline = time.monotonic() + guest.scaled(REST_BASE)
    while True:
        why, seen = look(guest)
        if not why:
            out = guest.sh("meminfo")
            seen.meminfo = parse_meminfo(out)
            if len(seen.meminfo) != 5:
                fail("expected /bin/meminfo's five counters (free_frames, heap_bytes, "
                     "heap_blocks, heap_pages, kasan); it printed:\n" + indent(out.splitlines()))
            return seen
        if time.monotonic() >= deadline:
            fail(f"the guest did not come to rest within {guest.scaled(REST_BASE):.0f} s "
                 f"(TIME_WAIT is 60 s): {why}; netstat:\n"
                 + indent(guest.sh("netstat").splitlines()[-12:]))
        time.sleep(LOOK_INTERVAL)


def lost(before: AtRest, after: AtRest) -> List[str]:
    """What did not come back, as sentences (empty: nothing lost)."""
    a, b = before.meminfo, after.meminfo
    found = []
    for key in ("heap_bytes", "heap_blocks"):
        if a[key] != b[key]:
            found.append(f"kernel {key.replace('_', ' ')}: {a[key]} before, {b[key]} after")
    # The heap keeps the pages it grew by (and a page table for them; with
    # KASAN their shadow, a page per 8): not lost. The rule of sysfuzz's
    # check_leaks (userland/fuzz/sysfuzz.c).
    grew = b["heap_pages"] - a["heap_pages"]
    slack = 1 + (grew // 8 + 1 if b["kasan"] else 0) if grew > 0 else 0
    gone = a["free_frames"] - b["free_frames"] - grew
    if gone > slack:
        found.append(f"free frames: {a['free_frames']} before, {b['free_frames']} after, "
                     f"the heap grew by {grew} page(s): {gone} frame(s) lost")
    for what, x, y in (("processes", before.processes, after.processes),
                       ("sockets", before.sockets, after.sockets)):
        if x != y:
            found.append(f"{what}: before {x}, after {y}")
    if before.tcbs != after.tcbs:
        found.append(f"TCP control blocks in use: {before.tcbs} before, {after.tcbs} after")
    return found
