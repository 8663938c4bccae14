"""make UBSAN=1: each deliberate undefined behaviour gets its report, and
the kernel goes on (recover mode).

Not graded. The kernel under test is TIDEPOOL_KERNEL, a checked build:
    make UBSAN=1 KASAN=1 -j2
    TIDEPOOL_KERNEL=build/ubsan-kasan/kernel.elf \\
        /usr/bin/python3 -B -m pytest -c grading/pytest.ini grading/safety/test_ubsan.py
Reproduce one:  make qemu UBSAN=1 CMDLINE="selftest=ubsan-shift"

Each bug sits on a line of kernel/sanitizers/selftest_ubsan.c marked
"UB here: KIND"; the report must name that file and line (found in the
source, never hard-coded), the function around it, the check's kind, and
the values involved.
"""

import re
from pathlib import Path

import pytest

from tidepool import elf, protocol
from tidepool.errors import fail, quote_lines

REPO = Path(__file__).resolve().parents[2]
SELFTEST_SOURCE = "kernel/sanitizers/selftest_ubsan.c"
BUILD_HINT = ("this test needs a kernel built with make UBSAN=1 (e.g. make UBSAN=1 KASAN=1 -j2, "
              "then TIDEPOOL_KERNEL=build/ubsan-kasan/kernel.elf)")

# The report's first line (docs: the shared report format).
REPORT = re.compile(r"^(UBSAN|KASAN|KCSAN): ([a-z0-9-]+) in (\S+) at (\S+?):(\d+)(?::(\d+))?\s*$",
                    re.M)
RULE = "=" * 66

# selftest name -> (kind, function, a regex for the values line)
CASES = {
    "ubsan-overflow": ("signed-integer-overflow", "selftest_ubsan_add",
                       r"signed integer overflow: 2147483647 \+ 1 cannot be represented "
                       r"in type 'int'"),
    "ubsan-shift": ("shift-out-of-bounds", "selftest_ubsan_shl",
                    r"shift exponent 33 is too large for 32-bit type 'int'"),
    "ubsan-oob": ("out-of-bounds", "selftest_ubsan_index",
                  r"index 4 is out of range for type 'int ?\[4\]'"),
    "ubsan-misaligned": ("misaligned-access", "selftest_ubsan_load32",
                         r"load of misaligned address 0x[0-9a-f]+ for type "
                         r"'const uint32_t', which requires 4 byte alignment"),
    "ubsan-null": ("null-dereference", "selftest_ubsan_member",
                   r"member access within null pointer of type 'struct selftest_pair'"),
}


@pytest.fixture(scope="module")
def ubsan_kernel(kernel):
    symbols = elf.read_symbols(str(kernel))
    if "__ubsan_handle_add_overflow" not in symbols:
        pytest.skip(f"{kernel} has no UBSan runtime: {BUILD_HINT}")
    return symbols


def marked_line(kind: str) -> int:
    """The line of selftest_ubsan.c whose comment says 'UB here: KIND'."""
    lines = (REPO / SELFTEST_SOURCE).read_text().splitlines()
    hits = [i + 1 for i, text in enumerate(lines) if f"UB here: {kind}" in text]
    if len(hits) != 1:
        fail(f"expected one line marked 'UB here: {kind}' in {SELFTEST_SOURCE}, found {hits}")
    return hits[0]


def source_line(number: int) -> str:
    return (REPO / SELFTEST_SOURCE).read_text().splitlines()[number - 1]


def reports(console: str):
    return list(REPORT.finditer(console))


@pytest.mark.parametrize("name", sorted(CASES))
def test_ubsan_report(boot, ubsan_kernel, name):
    """The report names UBSAN, the check, the function, file:line:col and the values"""
    kind, function, values = CASES[name]
    r = boot(f"selftest={name}")
    found = reports(r.console)
    seen = "\n" + quote_lines(r.last_lines(30), "the console's last lines")
    if len(found) != 1:
        fail(f"expected exactly one sanitizer report after selftest={name}, found "
             f"{len(found)}: {[m.group(0) for m in found]}" + seen)
    m = found[0]
    checker, got_kind, got_function, path, line, col = m.groups()
    if (checker, got_kind, got_function) != ("UBSAN", kind, function):
        fail(f"expected 'UBSAN: {kind} in {function} at ...', got {m.group(0)!r}" + seen)
    want_line = marked_line(kind)
    if path != SELFTEST_SOURCE or int(line) != want_line:
        fail(f"expected the report at {SELFTEST_SOURCE}:{want_line} (the line marked "
             f"'UB here: {kind}'), got {path}:{line}" + seen)
    text = source_line(want_line)
    if col is None or not 1 <= int(col) <= len(text.rstrip()):
        fail(f"expected a column inside line {want_line} ({text.strip()!r}), got {col}" + seen)

    after = r.console[m.end():]
    if not re.search(values, after.split(RULE)[0], re.M):
        fail(f"expected the values line matching {values!r} in the report" + seen)
    # The backtrace starts in the function that committed the UB, and
    # each frame's FUNCTION+OFF is its address per the ELF.
    body_lines = after.split(RULE)[0].split("\n")
    if not protocol.has_backtrace(body_lines):
        fail("expected 'Backtrace:' in the report" + seen)
    frames = protocol.parse_frames(body_lines)
    if not frames or not frames[0].function.startswith(function):
        fail(f"expected the backtrace's first frame in {function}, got "
             f"{[f.function for f in frames]}" + seen)
    sym = ubsan_kernel.get(frames[0].function)
    if sym is None or sym.value + (frames[0].offset or 0) != frames[0].address:
        fail(f"frame {frames[0].line.strip()!r} does not match the ELF's symbol table" + seen)

    # Recover mode: the kernel went on past the report and ended cleanly.
    if not re.search(rf"^selftest: {re.escape(name)} done$", after, re.M):
        fail(f"expected 'selftest: {name} done' after the report (the kernel goes on)" + seen)
    r.expect_kind("success", f"after the UBSan report (recover mode)")


def test_ubsan_sanitize_panic(boot, ubsan_kernel):
    """sanitize=panic: the first report is followed by a panic, and nothing goes on"""
    r = boot("selftest=ubsan-overflow sanitize=panic")
    seen = "\n" + quote_lines(r.last_lines(30), "the console's last lines")
    m = REPORT.search(r.console)
    if m is None or m.group(2) != "signed-integer-overflow":
        fail("expected the UBSAN signed-integer-overflow report first" + seen)
    p = re.search(protocol.PANIC, r.console[m.end():], re.M)
    if p is None or "sanitize=panic" not in p.group(3):
        fail("expected a PANIC naming sanitize=panic after the report" + seen)
    if "selftest: ubsan-overflow done" in r.console:
        fail("the kernel went on after the report despite sanitize=panic" + seen)
    r.expect_kind("panic", "with sanitize=panic")


def test_ubsan_ktest_counter(ktest, ubsan_kernel):
    """In-kernel: UB makes a report and san_reports_of("UBSAN") counts it"""
    ktest.expect_pass("sanitizers.ubsan_report_counted")
