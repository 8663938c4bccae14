"""Lab 2, hidden: typing on the PS/2 keyboard reaches the monitor.

Instructors only (never in a handout). No public test presses a key:
kbd_translate() is checked only by the host unit tests, which a student may
not run. This test gives QEMU a second (HMP) monitor on a Unix socket and
types with its 'sendkey' command: IRQ 1, the scancodes of set 1, both
shift keys, Caps Lock (letters only, inverted by shift), key releases and
an arrow key (an E0-prefixed code) that type nothing.

Try it with:  make qemu QEMU_DISPLAY=gtk  and type in the QEMU window.
"""

import re
import socket
import tempfile
import time
from pathlib import Path

import pytest

from tidepool.errors import fail, indent

pytestmark = pytest.mark.lab(2)

# QEMU key names (HMP 'sendkey'), and what the monitor line must read.
KEYS = ["e", "c", "h", "o", "spc",
        "shift-h", "i", "spc",                # shift held for one key, then released
        "caps_lock", "a", "b", "1",           # Caps Lock: letters only
        "shift-c",                            # Caps Lock + shift: lower case
        "caps_lock",                          # off again
        "shift_r-1", "spc",                   # the right shift key
        "right",                              # E0 4D / E0 CD: types nothing
        "d", "slash", "ret"]
TYPED = "echo Hi AB1c! d/"
ECHOED = "Hi AB1c! d/"
HOLD_MS = 10
# Keys that type no character (the monitor echoes every other one).
SILENT_KEYS = {"caps_lock", "right", "ret"}


class Hmp:
    """A minimal client for QEMU's human monitor on a Unix socket."""

    PROMPT = b"(qemu) "

    def __init__(self, path: str, timeout: float):
        self.timeout = timeout
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        self.sock.connect(path)
        self._read_prompt("the QEMU monitor's greeting")

    def _read_prompt(self, what: str) -> str:
        buf = b""
        deadline = time.monotonic() + self.timeout
        while not buf.endswith(self.PROMPT):
            if time.monotonic() > deadline:
                raise TimeoutError(f"no '(qemu)' prompt after {what}")
            chunk = self.sock.recv(4096)
            if not chunk:
                raise ConnectionError(f"the QEMU monitor closed the connection after {what}")
            buf += chunk
        return buf.decode(errors="replace")

    def command(self, line: str) -> str:
        self.sock.sendall(line.encode() + b"\n")
        return self._read_prompt(repr(line))

    def close(self) -> None:
        self.sock.close()


def _irqstat(c):
    out = c.command("irqstat")
    return out, {int(m.group(1)): int(m.group(2))
                 for m in re.finditer(r"^\s*(\d+)\s+(\d+)\s", out, re.M)}


@pytest.mark.points(3)
def test_keyboard_typing(console, timeouts):
    """Keys typed on the PS/2 keyboard (shift, right shift, Caps Lock, an arrow) arrive translated through IRQ 1"""
    with tempfile.TemporaryDirectory(prefix="tp-kbd-", dir="/tmp") as d:
        sock = str(Path(d) / "hmp.sock")
        c = console(extra_args=("-monitor", f"unix:{sock},server=on,wait=off"))
        c.expect_prompt()
        keys = " ".join(KEYS)
        typed = ""
        try:
            hmp = Hmp(sock, timeouts["expect"])
            for key in KEYS:
                hmp.command(f"sendkey {key} {HOLD_MS}")
                if key in SILENT_KEYS:
                    continue
                # Wait for the monitor to echo this key before the next one:
                # QEMU's PS/2 queue holds 16 bytes and drops the rest, and a
                # busy host can stall the guest while sendkeys pile up.
                want = TYPED[len(typed)]
                c.expect_exact(want, what=f"the echo of {want!r} after the key {key!r} "
                               f"(typed so far: {typed!r}; the whole line must read "
                               f"{TYPED!r}: check IRQ 1 and kbd_translate())")
                extra = (c.child.before or "").replace("\r", "")
                if extra:
                    fail(f"pressed the keys {keys!r}; after {typed!r} the monitor echoed "
                         f"{extra!r} before the {want!r} of the key {key!r}: releases (bit 7) "
                         f"type nothing, shift and Caps Lock type nothing themselves")
                typed += want
            hmp.close()
        except (OSError, TimeoutError, ConnectionError) as exc:
            fail(f"the grader could not type through QEMU's monitor socket {sock}: {exc} "
                 f"(a problem of the grading host, not of the kernel)")
        c.expect_exact("K> ", what=f"the monitor's answer to the keys {keys!r}, which type "
                       f"the line {TYPED!r} and Enter (no Enter: check IRQ 1 and "
                       f"kbd_translate())")
        before = (c.child.before or "").replace("\r\n", "\n").replace("\r", "\n")
        lines = [typed] + [ln for ln in before.split("\n") if ln.strip()]
        if typed != TYPED:
            fail(f"pressed the keys {keys!r} (QEMU sendkey: 'shift-h' holds shift for h "
                 f"only, 'caps_lock' toggles Caps Lock, 'right' is an arrow key, "
                 f"E0-prefixed); expected the monitor to read the line {TYPED!r}, but it "
                 f"echoed {typed!r}. Releases (bit 7) type nothing, a shift release ends "
                 f"shift, Caps Lock changes letters only (and shift inverts it); the "
                 f"monitor printed:\n" + indent(lines))
        if ECHOED not in [ln.strip() for ln in lines[1:]]:
            fail(f"the monitor read {TYPED!r} from the keyboard but 'echo' did not print "
                 f"{ECHOED!r}; it printed:\n" + indent(lines))
        out, rows = _irqstat(c)
        if rows.get(33, 0) <= 0:
            fail("keys arrived, but 'irqstat' shows no vector 33 (IRQ 1, the keyboard); "
                 "it printed:\n" + indent(out.split("\n")))
