"""Lab 3: in-kernel test cases for frames, page tables and kmalloc.

Each group boots with test=SUITE.* and reads KTAP from COM2. Run one yourself:
    make qemu CMDLINE="test=vm.*"          (results in build/com2.txt)
"""

import pytest

pytestmark = pytest.mark.lab(3)

# (graded name, in-kernel cases that must all pass, points)
CASES = [
    ("pmm.no_reserved_frame", ["pmm.no_reserved_frame"], 4),  # every frame handed out is usable RAM, none twice
    ("pmm.no_leak", ["pmm.no_leak", "pmm.alloc_many_all_or_none"], 3),  # 10,000 alloc/free: every frame comes back; a batch that cannot be had takes none
    ("pmm.contiguous_run", ["pmm.contiguous_run"], 2),  # 16 aligned contiguous frames
    ("vm.map_lookup_unmap", ["vm.map_lookup_unmap"], 4),  # round trip with flags; stale TLB entry gone
    ("vm.protect_read_only", ["vm.protect_read_only"], 3),  # a write to a read-only page: #PF err 0x3
    ("vm.user_bit", ["vm.user_bit"], 3),  # kernel pages supervisor-only, user pages U at both levels
    ("vm.demand_zero", ["vm.demand_zero"], 4),  # zero on first touch, counted, one frame per page
    ("kmalloc.stress", ["kmalloc.stress", "kmalloc.alignment_and_calloc"], 4),  # random sizes, patterns
    ("kmalloc.debug", ["kmalloc.debug_double_free", "kmalloc.debug_overrun"], 4),  # caught, reported
]


# On a KASAN kernel the heap's own debug checks give way to KASAN, which
# reports a double free or an overrun itself (kernel/tests/memory_test.c
# skips those two cases there; grading/safety/test_kasan.py checks KASAN's
# reports instead).
NOT_UNDER_KASAN = {"kmalloc.debug": pytest.mark.not_under_checkers(
    "KASAN", reason="kmalloc's own double-free and overrun checks are replaced by KASAN's")}


@pytest.mark.parametrize("cases", [
    pytest.param(cases, marks=[pytest.mark.points(p)]
                 + ([NOT_UNDER_KASAN[name]] if name in NOT_UNDER_KASAN else []), id=name)
    for name, cases, p in CASES])
def test_memory_cases(ktest, cases):
    """In-kernel KTAP cases pass"""
    for case in cases:
        ktest.expect_pass(case)
