"""Lab 1: the in-kernel test cases (KTAP on COM2).

Each case runs inside the kernel: boot with test=SUITE.* and read KTAP. Run
one yourself with:  make qemu CMDLINE="test=boot.*"   (results on COM2).
"""

import pytest

pytestmark = pytest.mark.lab(1)

# (graded name, in-kernel cases that must all pass, points). The kernel's
# registry (kernel/tests/*.c) names the cases. A graded test may need a
# case of the kernel's own scaffolding (symbols.lookup) together with the
# student's part, so that it tests the exercise and not only the scaffold.
CASES = [
    ("boot.multiboot_info", ["boot.multiboot_info"], 2),  # magic, info flags, no warnings
    ("boot.mmap_sane", ["boot.mmap_sane"], 3),  # sorted, non-overlapping, usable total right
    ("boot.mmap_covers_kernel", ["boot.mmap_covers_kernel"], 2),  # a usable region holds the kernel
    ("boot.cmdline", ["boot.cmdline"], 2),  # the Multiboot command line is copied correctly
    ("gdt.loaded", ["gdt.loaded", "gdt.user_segments"], 3),  # GDTR, selectors, ring-3 DPL
    ("gdt.encode", ["gdt.encode"], 2),  # descriptor bytes for distinct base/limit/access/flags
    ("format.vsnprintf", ["format.vsnprintf", "format.truncation"], 4),  # conversions, C99 truncation
    ("backtrace.nested", ["backtrace.nested", "backtrace.stops_at_end",
                          "backtrace.stops_below_user_space", "symbols.lookup"], 5),
]


@pytest.mark.parametrize("cases", [
    pytest.param(cases, marks=pytest.mark.points(p), id=name) for name, cases, p in CASES])
def test_in_kernel_case(ktest, cases):
    """In-kernel KTAP cases pass"""
    for case in cases:
        ktest.expect_pass(case)
