"""Lab 1, hidden: the monitor with input the public tests do not type.

Instructors only (never in a handout). The public tests type 'help' and
'backtrace' once each; these type blank lines, separators around a
command, more words than MONITOR_MAX_ARGS, and 'backtrace' twice.

Try it with:  make qemu
"""

import re

import pytest

from tidepool import elf, protocol
from tidepool.errors import fail, indent

pytestmark = pytest.mark.lab(1)

MONITOR_MAX_ARGS = 8  # kernel/monitor.h
COMMANDS = ("help", "backtrace", "mem", "reboot")


def _lines(out):
    return [ln for ln in out.split("\n") if ln.strip()]


def _expect_help(c, line):
    out = c.command(line)
    lines = _lines(out)
    missing = [name for name in COMMANDS if not any(re.match(rf"^\s*{name}\b", ln) for ln in lines)]
    if missing:
        fail(f"typed {line!r}: expected the list of commands, as for 'help' (separators "
             f"before, between and after words are not part of any word), but "
             f"{', '.join(missing)} {'was' if len(missing) == 1 else 'were'} missing; "
             f"it printed:\n" + indent(lines))


@pytest.mark.points(2)
def test_monitor_blank_and_long_lines(console):
    """Blank lines, spaces/tabs around words and 20-word lines are handled; the monitor keeps answering"""
    c = console()
    c.expect_prompt()
    _expect_help(c, "\t help  \t")
    _expect_help(c, "help")
    for line in ("", "    ", " \t "):
        out = c.command(line)
        if _lines(out):
            fail(f"typed the blank line {line!r}: expected no output (a line of no words "
                 f"runs no command), but the monitor printed:\n" + indent(_lines(out)))
    words = ["mem"] + [f"w{i}" for i in range(1, 20)]   # 20 words, MONITOR_MAX_ARGS is 8
    line = " ".join(words)
    out = c.command(line)
    if not re.search(protocol.MEMORY, out, re.M):
        fail(f"typed {len(words)} words ({line!r}): expected 'mem' to run with the first "
             f"{MONITOR_MAX_ARGS} words (monitor_split() stores at most max of them and "
             f"drops the rest), printing 'memory: N KiB usable in M regions', but the "
             f"monitor printed:\n" + indent(_lines(out)))
    _expect_help(c, "  help")


@pytest.mark.points(2)
def test_monitor_backtrace_twice(console, kernel):
    """'backtrace' twice: the same frames, each named right, from the monitor down to _start"""
    c = console()
    c.expect_prompt()
    runs = []
    for attempt in (1, 2):
        out = c.command("backtrace")
        lines = _lines(out)
        frames = protocol.parse_frames(lines)
        shown = f"; 'backtrace' (#{attempt}) printed:\n" + indent(lines)
        if not frames:
            fail("expected 'Backtrace:' and frame lines '  #N 0xADDRESS FUNCTION+0xOFFSET'"
                 + shown)
        if [f.number for f in frames] != list(range(len(frames))):
            fail("expected frames numbered #0, #1, ... in order" + shown)
        names = [f.function for f in frames]
        if names[-2:] != ["kmain", "_start"]:
            fail("expected the backtrace to end with kmain and then _start (whose zero "
                 "frame ends the chain: stop there, without printing it), but the frames "
                 f"were {', '.join(names)}" + shown)
        if not names[0].startswith("monitor"):
            fail("expected frame #0 to be in the monitor (the function that called the "
                 f"'backtrace' command), but the frames were {', '.join(names)}" + shown)
        runs.append((frames, shown))
    (first, shown1), (second, shown2) = runs
    if [(f.address, f.function) for f in first] != [(f.address, f.function) for f in second]:
        fail("the same command typed twice at the same prompt must give the same frames "
             "(the walk must read only the frame chain)" + shown1 + "\n" + shown2.lstrip("; "))
    symbols = elf.read_symbols(str(kernel))
    wrong = []
    for f in first:
        sym = symbols.get(f.function)
        if sym is None:
            wrong.append(f"{f.line.strip()}: no symbol {f.function} in {kernel.name}")
        elif f.offset is None or sym.value + f.offset != f.address:
            wrong.append(f"{f.line.strip()}: FUNCTION+OFFSET is not the address printed")
    if wrong:
        fail("expected each frame's FUNCTION+OFFSET to match its address per the ELF "
             "symbols, but:\n" + indent(wrong) + shown1)
