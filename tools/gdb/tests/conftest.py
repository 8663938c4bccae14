"""Fixtures for the GDB tooling's tests.

    /usr/bin/python3 -B -m pytest -p no:cacheprovider tools/gdb/tests

test_logic.py needs nothing but Python. test_commands.py and test_demo.py
run batch GDB against a real kernel in QEMU: TIDEPOOL_KERNEL names it
(default build/kernel.elf; `make test-gdb-commands` passes $(KERNEL)),
TIDEPOOL_GDB and QEMU name the programs. Each GDB session starts its own
QEMU over a pipe (tidepool-start): no ports, no sleeps, nothing left
running.
"""
import os
import re
import subprocess
import sys

import pytest

GDB_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(os.path.dirname(GDB_DIR))
sys.path.insert(0, GDB_DIR)

TIMEOUT = 60        # seconds per GDB session; each takes well under 2
MARK = "@@@tp "


def kernel_path():
    path = os.environ.get("TIDEPOOL_KERNEL") or os.path.join(REPO, "build", "kernel.elf")
    return os.path.abspath(path)


class Session:
    """The output of one batch GDB run, cut at the markers echoed before
    each command."""

    def __init__(self, commands, output, status):
        self.commands = commands
        self.output = output
        self.status = status
        self.parts = []             # (command, its output)
        chunks = output.split(MARK)
        self.preamble = chunks[0]
        for chunk in chunks[1:]:
            number, _, rest = chunk.partition("\n")
            self.parts.append((commands[int(number)], rest))

    def of(self, command, nth=0):
        """The output of the nth run of a command (matched exactly)."""
        found = [out for cmd, out in self.parts if cmd == command]
        if len(found) <= nth:
            raise AssertionError("command %r did not run (%d times); whole output:\n%s"
                                 % (command, len(found), self.output))
        return found[nth]

    def assert_clean(self):
        for bad in ("Traceback", "Python Exception", "Error occurred in Python",
                    "internal error"):
            assert bad not in self.output, "%r in the output:\n%s" % (bad, self.output)


def run_gdb(commands, cmdline="", kernel=None, start=True, initrd=False):
    """Run GDB in batch mode on the kernel: load tidepool.py, start QEMU
    over a pipe with `cmdline` (unless start=False; initrd=True: with the
    initrd beside the kernel, lab 4 on), run the commands and kill QEMU.
    Returns a Session."""
    kernel = kernel or kernel_path()
    if not os.path.exists(kernel):
        pytest.fail("no kernel at %s: run `make kernel` (or set TIDEPOOL_KERNEL)" % kernel)
    gdb = os.environ.get("TIDEPOOL_GDB") or "gdb"
    argv = [gdb, "-q", "-nx", "-batch",
            "-ex", "source " + os.path.join(GDB_DIR, "tidepool.py")]
    if start:
        argv += ["-ex", "tidepool-start --console=null %s%s"
                 % ("--initrd " if initrd else "", cmdline)]
    for i, cmd in enumerate(commands):
        argv += ["-ex", "echo %s%d\\n" % (MARK, i), "-ex", cmd]
    if start:
        argv += ["-ex", "echo %s%d\\n" % (MARK, len(commands)), "-ex", "kill"]
    proc = subprocess.run(argv + [kernel], cwd=REPO, stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          timeout=TIMEOUT)
    return Session(list(commands) + ["kill"], proc.stdout.decode("utf-8", "replace"),
                   proc.returncode)


_symbols = {}


def kernel_symbols(kernel=None):
    """{name: address} of the kernel's symbols (nm)."""
    kernel = kernel or kernel_path()
    if kernel not in _symbols:
        nm = os.environ.get("NM") or "nm"
        out = subprocess.run([nm, kernel], stdout=subprocess.PIPE, check=True).stdout.decode()
        table = {}
        for line in out.splitlines():
            m = re.match(r"^([0-9a-fA-F]+) \w (\S+)$", line)
            if m:
                table[m.group(2)] = int(m.group(1), 16)
        _symbols[kernel] = table
    return _symbols[kernel]


def needs_symbols(*names):
    """Skip unless the kernel has these symbols (e.g. lab 2's trap code)."""
    missing = [n for n in names if n not in kernel_symbols()]
    if missing:
        pytest.skip("the kernel has no %s (an earlier lab's checkpoint)" % ", ".join(missing))


@pytest.fixture
def gdb_session():
    return run_gdb
