"""KASAN (make KASAN=1): each selftest=kasan-* commits one memory bug on
purpose; the kernel must report it in the shared format, naming the right
kind, function and source line (mapped with addr2line from the report's
FUNCTION+0xOFF, never a hard-coded address), with the allocation's and
free's call sites for heap bugs, and then go on to a clean end.

Not graded. Run against a checked kernel:
    make UBSAN=1 KASAN=1
    TIDEPOOL_KERNEL=build/ubsan-kasan/kernel.elf \\
        /usr/bin/python3 -B -m pytest -c grading/pytest.ini grading/safety/test_kasan.py
"""
import re
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SELFTEST_SRC = REPO / "kernel" / "sanitizers" / "selftest_kasan.c"
BUILD_HINT = ("not a KASAN kernel: build one with `make UBSAN=1 KASAN=1` and set "
              "TIDEPOOL_KERNEL=build/ubsan-kasan/kernel.elf")

RULE = "=" * 66
FIRST = re.compile(r"^KASAN: (?P<kind>[a-z-]+) in (?P<func>\S+) at (?P<loc>\S+)$")
AT = re.compile(r"^(?P<func>[A-Za-z_][A-Za-z_0-9.]*)\+0x(?P<off>[0-9a-f]+)$")
ACCESS = re.compile(r"^(?P<rw>Read|Write) of size (?P<size>\d+) at 0x[0-9a-f]{8} ")
FRAME = re.compile(r"^\s+#\d+ 0x(?P<pc>[0-9a-f]{8}) (?P<func>\S+)\+0x[0-9a-f]+$")


@pytest.fixture(scope="module")
def symbols(kernel):
    """name -> address from the kernel ELF; skips unless it is a KASAN kernel."""
    out = subprocess.run(["nm", str(kernel)], capture_output=True, text=True, check=True).stdout
    table = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3:
            table[parts[2]] = int(parts[0], 16)
    if "__asan_load4_noabort" not in table or "kasan_start" not in table:
        pytest.skip(BUILD_HINT)
    return table


def source_line(function: str, marker: str) -> int:
    """The line of `marker` inside `function`'s body in selftest_kasan.c."""
    lines = SELFTEST_SRC.read_text().splitlines()
    start = next(i for i, l in enumerate(lines) if re.search(r"\b%s\(void\)$" % function, l))
    for i in range(start, len(lines)):
        if marker in lines[i]:
            return i + 1
        if lines[i] == "}":
            break
    raise AssertionError(f"{marker!r} not found in {function}()")


def addr2line(kernel, pc: int) -> tuple:
    """(file, line) of the instruction before return address pc."""
    out = subprocess.run(["addr2line", "-e", str(kernel), "%#x" % (pc - 1)],
                         capture_output=True, text=True, check=True).stdout.strip()
    path, _, line = out.rpartition(":")
    return path, int(line.split()[0]) if line.split()[0].isdigit() else 0


def reports(console: str):
    """Each report: its lines between the two rules."""
    lines = console.splitlines()
    found, i = [], 0
    while i < len(lines):
        if lines[i] == RULE and i + 1 < len(lines) and lines[i + 1].startswith("KASAN: "):
            j = i + 1
            while j < len(lines) and lines[j] != RULE:
                j += 1
            found.append(lines[i + 1:j])
            i = j
        i += 1
    return found


def section(report, title):
    """The frames (pc, function) listed under a 'Title:' line of a report."""
    try:
        start = report.index(title + ":")
    except ValueError:
        raise AssertionError(f"report has no '{title}:' section:\n" + "\n".join(report))
    frames = []
    for line in report[start + 1:]:
        m = FRAME.match(line)
        if not m:
            break
        frames.append((int(m["pc"], 16), m["func"]))
    return frames


def assert_site(kernel, frames, function, marker, what):
    assert frames, f"no frames under {what}"
    pc, func = frames[0]
    assert func == function, f"{what}: first frame is {func}, expected {function}"
    path, line = addr2line(kernel, pc)
    assert path.endswith("kernel/sanitizers/selftest_kasan.c"), f"{what}: {path}"
    assert line == source_line(function, marker), (
        f"{what}: {path}:{line}, expected the line of {marker!r}")


# name, kind, function, the bug's statement, access (rw, size) or None for a
# bad free, the allocation's statement, the first free's statement.
CASES = [
    ("kasan-oob", "out-of-bounds", "selftest_kasan_oob", "p[13] = 'x';", ("Write", 1),
     "kmalloc(13)", None),
    ("kasan-global-oob", "out-of-bounds", "selftest_kasan_global_oob",
     "kasan_selftest_global[i]", ("Read", 1), None, None),
    ("kasan-stack-oob", "out-of-bounds", "selftest_kasan_stack_oob", "buf[i]", ("Read", 1),
     None, None),
    ("kasan-uaf", "use-after-free", "selftest_kasan_uaf", 'kprintf("read %d\\n", p[1]);',
     ("Read", 4), "kmalloc(32)", "kfree(p);"),
    ("kasan-double-free", "double-free", "selftest_kasan_double_free", "kfree(p);\n", None,
     "kmalloc(40)", "kfree(p);"),
    ("kasan-invalid-free", "invalid-free", "selftest_kasan_invalid_free", "kfree(p + 16);",
     None, "kmalloc(64)", None),
]


@pytest.mark.parametrize("name,kind,function,bug,access,alloc,free", CASES,
                         ids=[c[0] for c in CASES])
def test_kasan_selftest_report(boot, kernel, symbols, name, kind, function, bug, access,
                               alloc, free):
    result = boot(f"selftest={name}")
    found = reports(result.console)
    assert len(found) == 1, f"expected one KASAN report, found {len(found)}:\n{result.console}"
    report = found[0]

    first = FIRST.match(report[0])
    assert first, f"first line not in the shared format: {report[0]!r}"
    assert first["kind"] == kind, report[0]
    assert first["func"] == function, report[0]
    at = AT.match(first["loc"])
    assert at and at["func"] == function, f"location is not {function}+0xOFF: {report[0]}"
    pc = symbols[function] + int(at["off"], 16)
    path, line = addr2line(kernel, pc)
    assert path.endswith("kernel/sanitizers/selftest_kasan.c"), path
    # The double free's bug is the second kfree(p): the line after the first.
    marker = bug.rstrip("\n")
    expected = source_line(function, marker)
    if name == "kasan-double-free":
        expected += 1
    assert line == expected, f"report points at line {line}, the bug is on line {expected}"

    if access is not None:
        m = ACCESS.match(report[1])
        assert m, f"no access line: {report[1]!r}"
        assert (m["rw"], int(m["size"])) == access, report[1]
    assert any(" on CPU " in l for l in report[1:3]), "no thread/CPU context"
    if alloc is not None:
        assert_site(kernel, section(report, "Allocated by"), function, alloc, "Allocated by")
    if free is not None:
        assert_site(kernel, section(report, "Freed by"), function, free, "Freed by")
    assert "Backtrace:" in report
    if name == "kasan-global-oob":
        # the variable by name, its size and file, and how far past it
        assert ("It is 0 bytes right of the global variable 'kasan_selftest_global' "
                "(10 bytes, kernel/sanitizers/selftest_kasan.c).") in report, report

    # The kernel went on after the report and ended cleanly.
    tail = result.console[result.console.index(report[-1]):]
    assert f"selftest: {name} done" in tail, "the kernel did not go on after the report"
    assert result.ok, f"the run ended as {result.kind}"


def test_kasan_quiet_on_correct_code(boot, symbols):
    """The heap's own test cases under KASAN: no report (a checker that
    reports everything would pass the selftests above)."""
    result = boot("test=kmalloc.*")
    assert "kasan: on" in result.console, "KASAN did not start"
    assert reports(result.console) == [], result.console
    assert result.ok, result.kind
