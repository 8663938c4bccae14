"""Reading the kernel's checker reports (UBSan, KASAN, KCSAN) off a console.

Every checker prints the same frame (docs/safety.md; kernel/sanitizers/
report.c prints it):

    ==================================================================
    KASAN: use-after-free in selftest_kasan_uaf at kernel/sanitizers/selftest_kasan.c:41:12
    Write of size 4 at 0x0052a010 by thread 'init' (pid 1) on CPU 0
    ... checker-specific lines ...
    Backtrace:
      #0 0x00104a2c selftest_kasan_uaf+0x1c
    ==================================================================

The first line, ``CHECKER: KIND in FUNCTION at LOCATION``, is the one
fixed part: LOCATION is FILE:LINE[:COL] where the compiler gave one
(UBSan's ABI passes a source location) or FUNCTION+0xOFF (KASAN and KCSAN
only have the access's return address; addr2line maps it). A report is
recognized by that line alone, not by the rules around it: on several
CPUs another CPU's unlocked kprintf can land between the rule and the
first line, and a kernel that dies in the middle of a report still told
us what it found. Pure text handling, so that grading/selftest tests it
without QEMU.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field
from typing import List, Optional, Sequence

CHECKERS = ("UBSAN", "KASAN", "KCSAN")
FIRST_LINE = re.compile(
    r"^(?P<checker>UBSAN|KASAN|KCSAN): (?P<kind>[a-z0-9][a-z0-9-]*) in (?P<function>\S+)"
    r"(?: at (?P<location>\S+))?\s*$")
RULE = re.compile(r"^={20,}\s*$")
BACKTRACE = "Backtrace:"
# A report longer than this is cut (the rest of the console is not the report).
MAX_REPORT_LINES = 60
FILE_LINE = re.compile(r"^(?P<file>[^:\s]+):(?P<line>\d+)(?::(?P<column>\d+))?$")
SYMBOL_OFFSET = re.compile(r"^(?P<symbol>[^+\s]+)\+0x(?P<offset>[0-9a-fA-F]+)$")


@dataclass
class Report:
    """One checker report as the console showed it."""

    checker: str  # UBSAN, KASAN or KCSAN
    kind: str  # e.g. use-after-free, signed-integer-overflow, data-race
    function: str  # where the bad access happened (ksym_lookup's name)
    location: str  # "kernel/x.c:41:12" or "func+0x1c" ("" if the line gave none)
    lines: List[str] = field(default_factory=list)  # the report, first line on, no rules

    @property
    def first_line(self) -> str:
        return self.lines[0] if self.lines else ""

    @property
    def text(self) -> str:
        """The raw report text, first line to the closing rule."""
        return "\n".join(self.lines)

    @property
    def backtrace(self) -> List[str]:
        """The lines after 'Backtrace:' (empty if the kernel never printed them)."""
        for i, line in enumerate(self.lines):
            if line.strip() == BACKTRACE:
                return [ln for ln in self.lines[i + 1:] if ln.strip()]
        return []

    @property
    def file(self) -> Optional[str]:
        m = FILE_LINE.match(self.location)
        return m.group("file") if m else None

    @property
    def line(self) -> Optional[int]:
        m = FILE_LINE.match(self.location)
        return int(m.group("line")) if m else None

    @property
    def column(self) -> Optional[int]:
        m = FILE_LINE.match(self.location)
        return int(m.group("column")) if m and m.group("column") else None

    @property
    def offset(self) -> Optional[int]:
        """OFF of a FUNCTION+0xOFF location (KASAN, KCSAN), else None."""
        m = SYMBOL_OFFSET.match(self.location)
        return int(m.group("offset"), 16) if m else None

    def summary(self) -> str:
        """The first line and the backtrace: what a failure message shows."""
        out = [self.first_line]
        trace = self.backtrace
        if trace:
            out += [BACKTRACE] + trace
        return "\n".join(out)


def parse(console: str) -> List[Report]:
    """Every report on console (COM1 text), in order."""
    lines = console.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    reports: List[Report] = []
    i = 0
    while i < len(lines):
        m = FIRST_LINE.match(lines[i].rstrip())
        if m is None:
            i += 1
            continue
        body, i = _body(lines, i)
        reports.append(Report(m.group("checker"), m.group("kind"), m.group("function"),
                              m.group("location") or "", body))
    return reports


def _body(lines: Sequence[str], start: int):
    """The report starting at lines[start], and the index after it.

    It ends at its closing rule, at the next report's first line (a
    report cut short), at the end of the console, or after
    MAX_REPORT_LINES lines."""
    body = [lines[start].rstrip()]
    i = start + 1
    while i < len(lines) and len(body) < MAX_REPORT_LINES:
        line = lines[i].rstrip()
        if RULE.match(line):
            return body, i + 1
        if FIRST_LINE.match(line):
            return body, i
        body.append(line)
        i += 1
    while body and not body[-1].strip():
        body.pop()
    return body, i


# ---------------------------------------------------------------------------
# Which checkers a kernel carries

# A symbol each checker's runtime must define (the compiler's calls land
# there): GCC's ABI names, so the answer does not depend on the build
# directory's name.
CHECKER_SYMBOLS = {"UBSAN": "__ubsan_handle_add_overflow",
                   "KASAN": "__asan_load4_noabort",
                   "KCSAN": "__tsan_read4"}
_checkers_cache: dict = {}


def kernel_checkers(path: str) -> frozenset:
    """The checkers compiled into the kernel ELF at path (empty if unreadable)."""
    key = str(path)
    if key not in _checkers_cache:
        from . import elf

        try:
            symbols = elf.read_symbols(key)
        except (OSError, elf.ElfError):
            symbols = {}
        _checkers_cache[key] = frozenset(c for c, sym in CHECKER_SYMBOLS.items()
                                         if sym in symbols)
    return _checkers_cache[key]


# Under KASAN a lock round trip costs about five times its instructions
# and a thread switch ten (docs/safety.md, section 11). The race-hunting
# cases' sizes are set for the plain kernel, which the lab-5 solution and
# the later handouts are graded on at full size; on a kernel with KASAN
# they run a tenth of it (work_div=10 for the in-kernel cases: ktest.h), enough
# to take every path under the checker, whose job there is memory safety.
# KCSAN, the race hunter, gets the full sizes.
KASAN_WORK_DIVISOR = 10


def work_divisor(kernel: str) -> int:
    """What the race cases' sizes are divided by on this kernel."""
    return KASAN_WORK_DIVISOR if "KASAN" in kernel_checkers(kernel) else 1


# ---------------------------------------------------------------------------
# What the student reads


def make_flags(kernel: str, reports: Sequence[Report]) -> str:
    """The make variables that build kernel: "UBSAN=1 KASAN=1 LAB=3 SOLVED=3".

    Read from the build directory's name (build/ubsan-kasan/lab3-solved3/
    kernel.elf, as the Makefile names it); for a kernel elsewhere, the
    checkers that reported."""
    parts = re.split(r"[\\/]", str(kernel))
    flags: List[str] = []
    for i, part in enumerate(parts[:-1]):
        if part == "build" and i + 1 < len(parts) - 1:
            names = parts[i + 1].split("-")
            if names and all(n.upper() in CHECKERS for n in names):
                flags = [f"{n.upper()}=1" for n in names]
    if not flags:
        flags = [f"{c}=1" for c in CHECKERS if any(r.checker == c for r in reports)]
    m = re.search(r"lab(\d+)-solved(\d+)[\\/]kernel\.elf$", str(kernel))
    if m:
        flags += [f"LAB={m.group(1)}", f"SOLVED={m.group(2)}"]
    return " ".join(flags)


def reproduce_hint(kernel: str, cmdline: str, reports: Sequence[Report], smp=None) -> str:
    """The make qemu line that boots the same checked kernel the same way."""
    line = "make qemu " + make_flags(kernel, reports)
    if smp:
        line += f" SMP={str(smp).split(',', 1)[0]}"
    if cmdline:
        line += " CMDLINE=" + shlex.quote(cmdline)
    return line


def failure_message(reports: Sequence[Report], kernel: str, cmdline: str,
                    smp=None, shown: int = 3) -> str:
    """Why a test fails on reports: each one's first line and backtrace, and how
    to see it again."""
    checkers = sorted({r.checker for r in reports})
    head = (f"the kernel's checker ({', '.join(checkers)}) reported "
            f"{'a bug' if len(reports) == 1 else f'{len(reports)} bugs'} while this "
            f"test ran (cmdline {cmdline!r}); a checked kernel must run every test "
            f"without a report, so the test fails even where its own checks passed:")
    out = [head]
    for r in reports[:shown]:
        out += ["    " + ln for ln in r.summary().split("\n")]
    if len(reports) > shown:
        out.append(f"    ... and {len(reports) - shown} more: "
                   + "; ".join(r.first_line for r in reports[shown:shown + 5]))
    out.append("The whole report (values, allocation and free sites) is on the console: "
               + reproduce_hint(kernel, cmdline, reports, smp))
    return "\n".join(out)
