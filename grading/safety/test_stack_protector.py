"""The stack protector (always on: -fstack-protector-strong): an overrun of
a local buffer into its canary panics, naming the function whose frame
was smashed, before that function returns through its return address.

Not graded. Any kernel of this tree has it; TIDEPOOL_KERNEL picks which:
    TIDEPOOL_KERNEL=build/ubsan-kasan/kernel.elf \\
        /usr/bin/python3 -B -m pytest -c grading/pytest.ini grading/safety/test_stack_protector.py
Reproduce:  make qemu CMDLINE="selftest=stack-smash"
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tidepool import elf, protocol
from tidepool.errors import fail, quote_lines

REPO = Path(__file__).resolve().parents[2]
SOURCE = "kernel/sanitizers/selftest_ubsan.c"
FUNCTION = "selftest_smash_frame"
SMASHED = re.compile(r"stack-protector: stack smashed in (\S+) \(canary checked at "
                     r"(\S+)\+0x([0-9a-f]+), 0x([0-9a-f]+)\)")


@pytest.fixture(scope="module")
def symbols(kernel):
    syms = elf.read_symbols(str(kernel))
    if "__stack_chk_fail" not in syms:
        pytest.skip(f"{kernel} has no stack protector (__stack_chk_fail): a kernel older "
                    f"than the always-on -fstack-protector-strong; run make")
    return syms


def function_lines(name: str):
    """First and last line of the function's definition in SOURCE."""
    lines = (REPO / SOURCE).read_text().splitlines()
    start = next((i for i, t in enumerate(lines) if re.search(rf"\b{name}\(size_t n\)$", t)), None)
    if start is None:
        fail(f"no definition of {name}() in {SOURCE}")
    end = next(i for i in range(start, len(lines)) if lines[i] == "}")
    return start + 1, end + 1


def test_stack_smash_panics_naming_the_function(boot, kernel, symbols):
    """A smashed canary panics with the function's name, its address matching the ELF"""
    r = boot("selftest=stack-smash")
    seen = "\n" + quote_lines(r.last_lines(20), "the console's last lines")
    p = r.expect_line(protocol.PANIC, "a PANIC line after the stack smash")
    m = SMASHED.search(p.group(3))
    if m is None:
        fail("expected the panic message 'stack-protector: stack smashed in FUNCTION "
             "(canary checked at FUNCTION+0xOFF, 0xADDR)'" + seen)
    named, at, offset, address = m.group(1), m.group(2), int(m.group(3), 16), int(m.group(4), 16)
    if named != FUNCTION or at != FUNCTION:
        fail(f"expected the panic to name {FUNCTION}, it named {named} ({at})" + seen)
    sym = symbols[FUNCTION]
    if sym.value + offset != address:
        fail(f"{FUNCTION}+{offset:#x} is {sym.value + offset:#x} per the ELF, the panic "
             f"printed {address:#x}" + seen)
    if "was not caught" in r.console:
        fail("the smashed function returned: the canary was not checked" + seen)
    r.expect_kind("panic", "after the stack smash")


def test_stack_smash_source_line(boot, kernel, symbols):
    """The address the panic names maps (addr2line) into selftest_smash_frame's source"""
    addr2line = shutil.which("addr2line")
    if addr2line is None:
        pytest.skip("addr2line (binutils) is not installed")
    r = boot("selftest=stack-smash")
    seen = "\n" + quote_lines(r.last_lines(20), "the console's last lines")
    m = SMASHED.search(r.console)
    if m is None:
        fail("expected the stack-protector panic" + seen)
    # The printed address is the call's return address: the call is before it.
    out = subprocess.run([addr2line, "-e", str(kernel), hex(int(m.group(4), 16) - 1)],
                         capture_output=True, text=True, check=True).stdout.strip()
    where = re.match(r"^(.*):(\d+)", out)
    first, last = function_lines(FUNCTION)
    if where is None or not where.group(1).endswith(SOURCE) or \
            not first <= int(where.group(2)) <= last:
        fail(f"expected addr2line to place the canary check in {SOURCE}:{first}-{last} "
             f"({FUNCTION}), it said {out!r}" + seen)


def test_stack_guard_chosen_at_boot(ktest, symbols):
    """In-kernel: the guard is not its link-time value and its low byte is zero"""
    ktest.expect_pass("sanitizers.stack_guard_chosen")
