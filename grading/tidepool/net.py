"""Lab 6: a kernel with an E1000 on a network the grader can reach.

Two ways to wire the guest's NIC (FIELD-NOTES.md, "NICs in both emulators"):

* ``user``: QEMU's slirp (guest 10.0.2.15 by DHCP, gateway 10.0.2.2) with
  host forwarding 127.0.0.1:HTTP -> guest 80 (tcp) and 127.0.0.1:UDP ->
  guest 7 (udp), so host tools (curl, nc) talk to the guest's servers; and
  the guest reaches host servers at 10.0.2.2.
* ``dgram``: ``-netdev dgram`` carries each Ethernet frame in one UDP
  datagram between QEMU and a socket of the grader (tidepool.netpeer): a
  scapy peer speaks raw Ethernet to the guest without root. The guest is
  configured statically with ``ip=10.0.2.15/24,10.0.2.2``.

Every host port is chosen free at run time (bind port 0, read it back), so
that parallel runs (make grade -j2) never collide; QEMU refusing a port
another process took meanwhile is retried with new ones. Every run writes
a pcap (``-object filter-dump``) that tshark reads afterwards.

A :class:`NetGuest` is one such boot at the shell's prompt; the lab-6 tests
share one per module (a module-scoped fixture), so that one boot serves
several assertions.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from typing import Dict, List, Optional, Sequence, Tuple

from . import reportwatch, runlog
from .errors import fail, indent, quote_lines
from .qemu import CONSOLE_LIMIT, ConsoleSession, Machine, with_smp

GUEST_IP = "10.0.2.15"
GATEWAY_IP = "10.0.2.2"
GUEST_HTTP_PORT = 80
GUEST_UDP_PORT = 7  # udpecho's default
SHELL_PROMPT = "$ "
NIC_ARGS = ("-device", "e1000,netdev=n0")
STATIC_IP_CMDLINE = f"ip={GUEST_IP}/24,{GATEWAY_IP}"
# The kernel starts init once DHCP has its lease or has given up, and it
# gives up after at most this long (NET_DHCP_WAIT_MS, kernel/net/stack.h:
# retries 1+2+4+4+4 s within 20 s), in guest time, which TCG keeps with
# the host's clock. A kernel that sends nothing (a broken transmit) still
# reaches its prompt, late: the wait for it must outlast DHCP's, or such a
# kernel ends the tests' shared boot in an *error* on a fast host (a short
# scaled timeout) and in the tests' *failures* on a slow one.
DHCP_GIVE_UP = 20.0
# Seconds between two attempts while waiting for a server to answer: a
# bound on how often we ask, not a synchronization (each attempt waits for
# a real answer; the deadline is the scaled timeout).
RETRY_INTERVAL = 0.25


# ---------------------------------------------------------------------------
# Ports


def free_port(kind: int = socket.SOCK_STREAM) -> int:
    """A port on 127.0.0.1 that was free a moment ago (the kernel picked it)."""
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def user_netdev_args(http_port: int, udp_port: int, pcap: Optional[str]) -> List[str]:
    """-netdev user with the two forwards, the E1000, and a pcap."""
    netdev = (f"user,id=n0,hostfwd=tcp:127.0.0.1:{http_port}-:{GUEST_HTTP_PORT},"
              f"hostfwd=udp:127.0.0.1:{udp_port}-:{GUEST_UDP_PORT}")
    args = ["-netdev", netdev, *NIC_ARGS]
    if pcap:
        args += ["-object", f"filter-dump,id=f0,netdev=n0,file={pcap}"]
    return args


def dgram_netdev_args(qemu_port: int, peer_port: int, pcap: Optional[str]) -> List[str]:
    """-netdev dgram: QEMU on 127.0.0.1:qemu_port, the peer on peer_port."""
    netdev = (f"dgram,id=n0,local.type=inet,local.host=127.0.0.1,local.port={qemu_port},"
              f"remote.type=inet,remote.host=127.0.0.1,remote.port={peer_port}")
    args = ["-netdev", netdev, *NIC_ARGS]
    if pcap:
        args += ["-object", f"filter-dump,id=f0,netdev=n0,file={pcap}"]
    return args


PORT_TAKEN = re.compile(r"(?i)could not set up host forwarding|address already in use|"
                        r"can't bind|failed to bind")


# ---------------------------------------------------------------------------
# The guest


class NetGuest:
    """A booted guest with an E1000, at its shell prompt.

    ``sh(line)`` types a shell command and returns its output; ``http_port``
    and ``udp_port`` (user mode) are the host ends of the forwards; ``pcap``
    the capture; ``peer`` (dgram mode) the tidepool.netpeer.Peer. ``smp``
    is -smp (more than one CPU also gets multi-threaded TCG);
    ``console_limit`` the bytes of console output the boot may write in
    all before it counts as flooded (a long run needs more). ``gdb_stub``:
    QEMU listens for GDB on 127.0.0.1:``gdb_port``, so that a run that
    hangs can say where (tidepool.gdb.snapshot).
    """

    def __init__(self, kernel, initrd, timeouts, mode: str = "user", cmdline: str = "",
                 memory: int = 128, smp: Optional[int] = None,
                 console_limit: int = CONSOLE_LIMIT, gdb_stub: bool = False):
        self.kernel, self.initrd, self.timeouts, self.mode = kernel, initrd, timeouts, mode
        self.console_limit = console_limit
        self.gdb_stub, self.gdb_port = gdb_stub, None
        self.dir = tempfile.mkdtemp(prefix="tidepool-net-")
        self.pcap = os.path.join(self.dir, "net.pcap")
        self.http_port = self.udp_port = None
        self.peer = None
        self.http_ready, self.http_failure = False, ""
        self.session: Optional[ConsoleSession] = None
        try:
            self._start(cmdline, memory, smp)
        except BaseException:
            self.record()  # the failing test shows the command to reproduce it
            self.close()  # and no emulator is left running behind a failed fixture
            raise

    def _start(self, cmdline: str, memory: int, smp: Optional[int]) -> None:
        kernel, initrd, timeouts = self.kernel, self.initrd, self.timeouts
        last = ""
        for _attempt in range(3):
            args, cmd = self._wiring(cmdline)
            machine = with_smp(Machine(os.path.abspath(kernel), cmd, memory,
                                       (os.path.abspath(initrd),), None, tuple(args)), smp)
            self.session = ConsoleSession(machine, timeouts["expect"], self.console_limit,
                                          record=False)
            status = self._wait_start()
            if status is None:
                # One boot for the whole module: each test answers for the
                # checker reports that appear while it runs.
                reportwatch.keep_watching(self.session)
                break
            last = status
            self.session.close()
            if self.peer:
                self.peer.close()
                self.peer = None
        else:
            fail(f"QEMU could not start with a network (three tries with fresh ports): {last}")

    def _wiring(self, cmdline: str) -> Tuple[List[str], str]:
        stub: List[str] = []
        if self.gdb_stub:
            self.gdb_port = free_port(socket.SOCK_STREAM)
            stub = ["-gdb", f"tcp:127.0.0.1:{self.gdb_port}"]
        if self.mode == "user":
            self.http_port = free_port(socket.SOCK_STREAM)
            self.udp_port = free_port(socket.SOCK_DGRAM)
            return user_netdev_args(self.http_port, self.udp_port, self.pcap) + stub, cmdline
        from .netpeer import Peer  # scapy loads only for the tests that need it

        qemu_port = free_port(socket.SOCK_DGRAM)
        self.peer = Peer(qemu_port)  # binds its own port first: it cannot be taken
        args = dgram_netdev_args(qemu_port, self.peer.port, self.pcap) + stub
        return args, " ".join(c for c in (STATIC_IP_CMDLINE, cmdline) if c)

    def _wait_start(self) -> Optional[str]:
        """None once the shell prompt is there; QEMU's complaint if a port was taken."""
        import pexpect

        child = self.session.child
        try:
            index = child.expect_exact([SHELL_PROMPT, pexpect.EOF], timeout=self._start_timeout())
        except pexpect.TIMEOUT:
            fail(f"expected the shell's prompt {SHELL_PROMPT!r} after booting with an E1000 "
                 f"({self.describe()}), but it did not appear within "
                 f"{self._start_timeout():.1f} s; "
                 + quote_lines(self.session.last_lines()))
        if index == 0:
            return None
        err = self._qemu_stderr()
        if PORT_TAKEN.search(err):
            return err.strip()
        fail(f"QEMU exited before the shell's prompt ({self.describe()}); QEMU said: "
             f"{err.strip() or '(nothing)'}; " + quote_lines(self.session.last_lines()))

    def _start_timeout(self) -> float:
        """The wait for the first prompt: two scaled boots, after DHCP's
        longest wait (DHCP_GIVE_UP)."""
        return DHCP_GIVE_UP + self.timeouts["boot"] * 2

    def _qemu_stderr(self) -> str:
        # PopenSpawn merges nothing: stderr is not captured; the console has
        # QEMU's messages only if they went to stdout. Ask QEMU's exit line.
        return self.session.console

    def describe(self) -> str:
        if self.mode == "user":
            return (f"-netdev user, host 127.0.0.1:{self.http_port} -> guest tcp 80, "
                    f"127.0.0.1:{self.udp_port} -> guest udp 7")
        return "-netdev dgram to the grader's raw Ethernet peer, " + STATIC_IP_CMDLINE

    def record(self) -> None:
        """Add this boot's QEMU command to the running test's reproduce lines."""
        if self.session is not None:
            runlog.record(runlog.Command(runlog.TEXT, self.session.display))

    def scaled(self, base: float) -> float:
        return self.timeouts.timeout(base)

    # -- the shell ---------------------------------------------------------
    def sh(self, line: str, base: float = 10.0) -> str:
        """Type line at the shell, wait for the next prompt, return the output."""
        c = self.session
        c.sendline(line)
        c.expect_exact(SHELL_PROMPT, timeout=self.scaled(base),
                       what=f"the shell's prompt {SHELL_PROMPT!r} after {line!r}")
        before = (c.child.before or "").replace("\r\n", "\n").replace("\r", "\n")
        first, sep, rest = before.partition("\n")
        return rest if sep and first.strip() == line.strip() else before

    def sh_status(self, line: str, base: float = 10.0) -> Tuple[str, int]:
        """Output and exit status of line (the shell's $?)."""
        out = self.sh(line, base)
        status = self.sh("echo status=$?", 5.0)
        m = re.search(r"status=(\d+)", status)
        if m is None:
            fail(f"expected 'status=N' from 'echo status=$?' after {line!r}; got:\n"
                 + indent(status.splitlines()))
        return out, int(m.group(1))

    # -- servers in the guest ---------------------------------------------
    def wait_http(self, base: float = 8.0) -> None:
        """Wait until the guest's httpd answers through the forward (user mode).

        Once it has not answered in a boot, later calls fail at once with the
        same message: a kernel without a working network must not cost every
        test of the module the whole timeout."""
        if self.http_failure:
            fail(self.http_failure)
        if self.http_ready:
            return
        try:
            self._wait_http(base)
        except BaseException as exc:
            self.http_failure = "(as for an earlier test of this boot) " + str(exc)
            raise
        self.http_ready = True

    def _wait_http(self, base: float) -> None:
        deadline = time.monotonic() + self.scaled(base)
        last = "no attempt"
        while True:
            try:
                status, _, _ = http_request(self.http_port, b"HEAD / HTTP/1.0\r\n\r\n",
                                            timeout=self.scaled(2.0))
                if status is not None:
                    return
                last = "the connection closed without an HTTP status line"
            except OSError as exc:
                last = str(exc)
            if time.monotonic() >= deadline:
                fail(f"expected the guest's httpd (started by init once the network is "
                     f"configured) to answer HEAD / on host port {self.http_port} within "
                     f"{self.scaled(base):.1f} s, but it did not ({last}); "
                     + quote_lines(self.session.last_lines()))
            time.sleep(RETRY_INTERVAL)

    def netstat(self) -> "Netstat":
        return Netstat.parse(self.sh("netstat", 10.0))

    def close(self) -> None:
        if self.session is not None:
            reportwatch.stop_watching(self.session)
            self.session.close()
        if self.peer is not None:
            self.peer.close()
        if not os.environ.get("TIDEPOOL_KEEP_TMP"):
            shutil.rmtree(self.dir, ignore_errors=True)


# ---------------------------------------------------------------------------
# netstat's output


# The drop reasons of kernel/net/netstat.c (net_drop_name), as netstat
# prints them under "drops by reason:".
DROP_NAMES = ("truncated header", "bad checksum", "bad length", "bad header",
              "unknown ethertype", "unknown protocol", "wrong address", "bad source address",
              "fragment", "no such port", "unhandled ICMP type", "ARP queue full",
              "ARP unresolved", "too big", "out of window", "no memory")


class Netstat:
    """Counters read from the guest's `netstat`: name (lower case) -> value."""

    def __init__(self, counters: Dict[str, int], text: str):
        self.counters, self.text = counters, text

    @staticmethod
    def parse(text: str) -> "Netstat":
        """userland/bin/netstat's layout: section headers ("drops by reason:",
        "nic statistics:") over indented "NAME  N" lines, and one-line groups
        ("tcp: segs_in 5 retransmits 0 backlog_full 2 ...")."""
        counters: Dict[str, int] = {}
        section = ""
        for line in text.splitlines():
            line = line.rstrip()
            if re.match(r"^\S[^:]*:$", line):
                section = normal_name(line[:-1])
                continue
            m = re.match(r"^\s+([A-Za-z][\w .\-/]*?)\s*[:=]?\s+(\d+)$", line)
            if m:
                key = normal_name(m.group(1))
                if section and not section.startswith("drops"):
                    key = f"{section} {key}"
                counters[key] = int(m.group(2))
                continue
            m = re.match(r"^(\w+):\s+(.*)$", line)
            if m:
                group = normal_name(m.group(1))
                for k, v in re.findall(r"([A-Za-z][\w]*)\s+(\d+)\b", m.group(2)):
                    counters[f"{group} {normal_name(k)}"] = int(v)
                    counters.setdefault(normal_name(k), int(v))
        return Netstat(counters, text)

    def get(self, name: str) -> Optional[int]:
        key = normal_name(name)
        if key in self.counters:
            return self.counters[key]
        return None

    def need(self, name: str) -> int:
        value = self.get(name)
        if value is None:
            fail(f"expected netstat to print the counter {name!r} (a line '{name}: N'), "
                 f"but it was not there; netstat printed:\n" + indent(self.text.splitlines()))
        return value


def normal_name(name: str) -> str:
    return re.sub(r"[\s_\-]+", " ", name.strip().lower())


# ---------------------------------------------------------------------------
# Host-side clients


def http_request(port: int, request: bytes, timeout: float,
                 host: str = "127.0.0.1") -> Tuple[Optional[int], Dict[str, str], bytes]:
    """Send a raw request, read to EOF: (status or None, headers, body)."""
    with socket.create_connection((host, port), timeout=timeout) as s:
        s.sendall(request)
        data = bytearray()
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    return parse_http(bytes(data))


def parse_http(data: bytes) -> Tuple[Optional[int], Dict[str, str], bytes]:
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    m = re.match(r"^HTTP/1\.[01] (\d{3})", lines[0]) if lines else None
    if m is None:
        return None, {}, data
    headers = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip().lower()] = v.strip()
    return int(m.group(1)), headers, body


def run_tool(argv: Sequence[str], timeout: float, stdin: bytes = b"",
             record: bool = True) -> subprocess.CompletedProcess:
    """Run a host tool (curl, nc, tshark), recorded as a reproduce line
    unless record is false (the soak runs curl thousands of times)."""
    if shutil.which(argv[0]) is None:
        fail(f"the host tool {argv[0]!r} is missing: run make deps (tools/deps.sh installs it)")
    import shlex

    if record:
        runlog.record(runlog.Command(runlog.TEXT, shlex.join(argv)))
    try:
        return subprocess.run(list(argv), input=stdin, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        fail(f"{shlex.join(argv)} did not finish within {timeout:.1f} s; it printed: "
             f"{(exc.stderr or b'').decode(errors='replace').strip()!r}")


def curl(port: int, path: str, timeout: float, out: Optional[str] = None,
         extra: Sequence[str] = (), record: bool = True) -> Tuple[int, bytes, str]:
    """curl http://127.0.0.1:port/path -> (HTTP status, body, stderr)."""
    argv = ["curl", "-sS", "-o", out or "-", "-w", "\n%{http_code}", "--max-time",
            f"{timeout:.0f}", *extra, f"http://127.0.0.1:{port}{path}"]
    r = run_tool(argv, timeout + 5, record=record)
    stdout = r.stdout
    body, _, code = stdout.rpartition(b"\n")
    try:
        status = int(code)
    except ValueError:
        status = 0
    return status, body, r.stderr.decode(errors="replace")


def posix_cksum(data: bytes) -> Tuple[int, int]:
    """POSIX cksum (CRC-32/CKSUM over the data and its length): (crc, size)."""
    crc = 0
    for b in data:
        crc = _CRC_TABLE[((crc >> 24) ^ b) & 0xFF] ^ ((crc << 8) & 0xFFFFFFFF)
    n = len(data)
    while n:
        crc = _CRC_TABLE[((crc >> 24) ^ (n & 0xFF)) & 0xFF] ^ ((crc << 8) & 0xFFFFFFFF)
        n >>= 8
    return (~crc) & 0xFFFFFFFF, len(data)


def www_blob(size: int) -> bytes:
    """The first size bytes of httpd's test file, /www/1m.bin, from
    tools/make-www-blob.py (the tool that writes it into the initrd)."""
    import importlib.util

    path = os.path.join(os.path.dirname(__file__), "..", "..", "tools", "make-www-blob.py")
    spec = importlib.util.spec_from_file_location("make_www_blob", path)
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    return tool.blob(size)


def _crc_table() -> List[int]:
    table = []
    for i in range(256):
        c = i << 24
        for _ in range(8):
            c = ((c << 1) ^ 0x04C11DB7) if c & 0x80000000 else (c << 1)
        table.append(c & 0xFFFFFFFF)
    return table


_CRC_TABLE = _crc_table()


def host_cksum(path: str) -> Tuple[int, int]:
    """The host's own cksum(1) of a file: (crc, size)."""
    r = run_tool(["cksum", path], 60)
    crc, size = r.stdout.split()[:2]
    return int(crc), int(size)


# ---------------------------------------------------------------------------
# tshark


def tshark(pcap: str, display_filter: str, fields: Sequence[str] = (),
           extra: Sequence[str] = ()) -> List[List[str]]:
    """Rows of the frames matching the filter (one list of field values each)."""
    argv = ["tshark", "-n", "-r", pcap,
            "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
            "-o", "udp.check_checksum:TRUE", *extra, "-Y", display_filter]
    if fields:
        argv += ["-T", "fields", "-E", "separator=|"]
        for f in fields:
            argv += ["-e", f]
    r = run_tool(argv, 60)
    # QEMU may be writing the capture's last frame while tshark reads it:
    # a file "cut short in the middle of a packet" is fine (the frames
    # before it were all read).
    if r.returncode != 0 and b"cut short" not in r.stderr:
        fail(f"tshark failed on the capture {pcap}: "
             f"{r.stderr.decode(errors='replace').strip()}")
    return [ln.split("|") for ln in r.stdout.decode(errors="replace").splitlines() if ln]
