"""Per-test record of the emulator/debugger commands a test ran.

The pytest plugin opens a log before each test and, when the test fails,
prints every recorded command under a "reproduce" heading, one line each.
Library code calls :func:`record` whenever it starts QEMU or GDB; outside a
test (or outside pytest) recording is a no-op. Each xdist worker is its own
process, so a module-level log is per worker and per running test.

An entry is a :class:`Command`: the one-line reproduce text plus what
``make debug`` needs to start the same case again under GDB (the QEMU argv
as run, the GDB script, what was typed on the console). With
``--tidepool-record FILE`` the plugin writes the entries of every test to
FILE as JSON lines (see :func:`Command.to_json`).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import tempfile
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence, Union

# Kinds of command.
QEMU = "qemu"  # boot to exit (tidepool.qemu.run)
CONSOLE = "console"  # interactive session on COM1 (tidepool.qemu.ConsoleSession)
GDB = "gdb"  # batch GDB that starts QEMU itself (tidepool.gdb.run_gdb)
TEXT = "text"  # anything else: a ready-made line


def _typed(text: str) -> str:
    """Console input as a reader types it: 'help\\r' -> 'help<Enter>'."""
    out = []
    for ch in text.replace("\r\n", "\r"):
        if ch in "\r\n":
            out.append("<Enter>")
        elif ch == "\t":
            out.append("<Tab>")
        elif ord(ch) < 0x20:
            out.append(f"<Ctrl-{chr(ord(ch) + 0x40)}>")
        elif ord(ch) == 0x7F:
            out.append("<Backspace>")
        else:
            out.append(ch)
    return "".join(out)


_SAFE_IN_DOUBLE = re.compile(r'^[^"$`\\!]*$')


def quote_inner(arg: str) -> str:
    """Shell-quote arg preferring double quotes, so that a command line
    quoted once more with single quotes (a GDB script line inside
    ``printf '%s\\n' '...'``) stays readable."""
    if arg and re.fullmatch(r"[\w@%+=:,./-]+", arg):
        return arg
    if _SAFE_IN_DOUBLE.match(arg):
        return f'"{arg}"'
    return shlex.quote(arg)


def join_inner(argv: Sequence[str]) -> str:
    return " ".join(quote_inner(a) for a in argv)


@dataclass(eq=False)
class Command:
    """One reproducible command of a test."""

    kind: str
    display: str  # QEMU / GDB: the command line, temp dir paths made relative
    argv: List[str] = field(default_factory=list)  # QEMU argv exactly as run
    script: str = ""  # GDB: the commands after 'target remote | exec QEMU'
    symbols: str = ""  # GDB: the symbol file (the kernel)
    typed: List[str] = field(default_factory=list)  # CONSOLE: text sent, in order
    files: Dict[str, str] = field(default_factory=dict)  # -initrd file -> saved copy

    def text(self) -> str:
        """The one-line reproduce command (run from the repository root)."""
        if self.kind == CONSOLE:
            if self.typed:
                return (self.display + "   # then type: "
                        + " ".join(_typed(t) for t in self.typed) + " (Ctrl-C quits QEMU)")
            return self.display + "   # Ctrl-C quits QEMU"
        return self.display

    def to_json(self) -> dict:
        return {"kind": self.kind, "text": self.text(), "argv": list(self.argv),
                "script": self.script, "symbols": self.symbols,
                "typed": list(self.typed),
                "typed_text": " ".join(_typed(t) for t in self.typed),
                "files": dict(self.files)}


# Set by the plugin under --tidepool-record: where copies of the files a
# command names (-initrd modules) are saved when it is recorded, since tests
# often delete them at teardown and make debug boots them again later.
snapshot_dir: Optional[str] = None


def input_files(argv: Sequence[str]) -> List[str]:
    """The files a QEMU argv reads besides the kernel: its -initrd modules."""
    out = []
    for i, a in enumerate(argv[:-1]):
        if a == "-initrd":
            # QEMU: "file args,file args" (a module's arguments follow a space)
            out += [part.split(" ", 1)[0] for part in argv[i + 1].split(",") if part]
    return out


def _snapshot(entry: Command) -> None:
    if not snapshot_dir or not entry.argv:
        return
    for path in input_files(entry.argv):
        if path in entry.files or not os.path.isfile(path):
            continue
        os.makedirs(snapshot_dir, exist_ok=True)
        dest = os.path.join(tempfile.mkdtemp(dir=snapshot_dir), os.path.basename(path))
        shutil.copyfile(path, dest)
        entry.files[path] = dest


_current: Optional[List[Command]] = None


def begin() -> None:
    global _current
    _current = []


def end() -> List[str]:
    """Close the log; return its reproduce lines."""
    global _current
    done, _current = (_current or []), None
    return [c.text() for c in done]


def active() -> bool:
    return _current is not None


def entries() -> List[Command]:
    return list(_current or [])


def peek() -> List[str]:
    """The reproduce lines recorded so far in the running test."""
    return [c.text() for c in (_current or [])]


def record(entry: Union[str, Command]) -> Optional[Command]:
    """Remember a reproduce command (deduplicated, in first-use order).

    A plain string becomes a TEXT entry. Entries with the same kind and
    display are recorded once, except console sessions (each one is its own
    entry, since what is typed differs). Returns the entry kept.
    """
    if _current is None:
        return entry if isinstance(entry, Command) else None
    if isinstance(entry, str):
        entry = Command(TEXT, entry)
    for old in _current:
        if old is entry:
            return old
        if entry.kind != CONSOLE and old.kind == entry.kind and old.display == entry.display:
            return old
    _current.append(entry)
    _snapshot(entry)
    return entry
