"""Lab 1: panic() and its backtrace.

Reproduce with:  make qemu CMDLINE="selftest=panic"
"""

import pytest

from tidepool import elf, protocol
from tidepool.errors import fail, indent, quote_lines

pytestmark = pytest.mark.lab(1)

CHAIN = ["selftest_panic_c", "selftest_panic_b", "selftest_panic_a"]


@pytest.mark.points(2)
def test_panic_report(boot):
    """A panic prints 'PANIC at FILE:LINE: MESSAGE' and exits with status 35"""
    r = boot("selftest=panic")
    m = r.expect_line(protocol.PANIC, "the line 'PANIC at kernel/FILE.c:LINE: MESSAGE'")
    if not m.group(1).startswith("kernel/"):
        fail(f"expected the panic's file to be a path like kernel/selftest.c (from __FILE__), "
             f"but the kernel printed {m.group(0)!r}")
    if not m.group(3).strip():
        fail(f"expected a message after 'PANIC at {m.group(1)}:{m.group(2)}: ', "
             f"but the kernel printed {m.group(0)!r}")
    r.expect_kind("panic", "on cmdline 'selftest=panic'")


@pytest.mark.points(4)
def test_panic_backtrace(boot, kernel):
    """The panic backtrace names c, b, a innermost first, reaches kmain, with right addresses"""
    r = boot("selftest=panic")
    r.expect_line(protocol.PANIC, "the line 'PANIC at FILE:LINE: MESSAGE'")
    lines = r.lines
    start = next(i for i, ln in enumerate(lines) if ln.startswith("PANIC at "))
    frames = protocol.parse_frames(lines[start:])
    seen = "\n" + quote_lines(lines[start:start + 20], "lines from the panic on")
    if not protocol.has_backtrace(lines[start:]):
        fail("expected 'Backtrace:' after the PANIC line" + seen)
    if not frames:
        fail("expected frame lines '  #N 0xADDRESS FUNCTION+0xOFFSET' after 'Backtrace:'" + seen)
    numbers = [f.number for f in frames]
    if numbers != list(range(len(frames))):
        fail(f"expected frames numbered #0, #1, ... in order, got {numbers}" + seen)
    names = [f.function for f in frames]
    if CHAIN[0] not in names:
        fail(f"expected the innermost frames {', '.join(CHAIN)} (selftest_panic_c called "
             f"panic()), but the frames were: {', '.join(names)}" + seen)
    i = names.index(CHAIN[0])
    if names[i:i + 3] != CHAIN or any(n in names[:i] for n in CHAIN):
        fail(f"expected {' then '.join(CHAIN)} as consecutive frames, innermost first, "
             f"but the frames were: {', '.join(names)}" + seen)
    if "kmain" not in names[i + 3:]:
        fail(f"expected the backtrace to continue past selftest_panic_a up to kmain, "
             f"but the frames were: {', '.join(names)}" + seen)
    # Every FUNCTION+OFFSET must be the address printed, per the ELF symbols.
    symbols = elf.read_symbols(str(kernel))
    wrong = []
    for f in frames[: names.index("kmain") + 1]:
        sym = symbols.get(f.function)
        if sym is None:
            wrong.append(f"{f.line.strip()}: no symbol {f.function} in {kernel.name}")
        elif f.offset is None or sym.value + f.offset != f.address:
            real = elf.function_at(symbols, f.address)
            where = (f"{real.name}+{f.address - real.value:#x}" if real else "no function")
            wrong.append(f"{f.line.strip()}: the ELF symbol table says {f.address:#010x} is {where}")
    if wrong:
        fail("expected each frame's FUNCTION+OFFSET to match its address, but:\n"
             + indent(wrong) + seen)
