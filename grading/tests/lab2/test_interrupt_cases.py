"""Lab 2: in-kernel test cases for exceptions, the IDT, the PICs and the timer.

Each group boots with test=SUITE.* and reads KTAP from COM2. Run one yourself:
    make qemu CMDLINE="test=trap.*"        (results in build/com2.txt)
The timer and PIC cases run under QEMU's -icount, where guest time follows
the instruction count: the timer's rate is then exact and repeatable.
"""

import pytest

from tidepool.ktest import KtestRunner

pytestmark = pytest.mark.lab(2)

# Guest time from the instruction count: 1 ns per instruction, idle time
# skipped (sleep=off), so the TSC runs at exactly 1 GHz of guest time and
# the timer's rate can be measured against it, whatever the host's load.
ICOUNT = ("-icount", "shift=0,align=off,sleep=off", "-rtc", "clock=vm")
TSC_HZ = "tsc_hz=1000000000"

# (graded name, in-kernel cases that must all pass, points)
TRAPS = [
    ("trap.divide_error", ["trap.divide_error"], 3),  # vector 0, eip of the div, error 0
    ("trap.invalid_opcode", ["trap.invalid_opcode"], 3),  # vector 6 at the ud2
    ("trap.general_protection", ["trap.general_protection"], 3),  # vector 13, error = selector
    ("trap.page_fault", ["trap.page_fault"], 4),  # vector 14, error code and CR2, 2 kinds
    ("trap.int3_continues", ["trap.int3_continues"], 3),  # returns, registers intact
    ("idt", ["idt.gate_encoding", "idt.loaded"], 3),  # gate bytes; IDTR; all gates present
]

TIMER = [
    ("timer.ticks", ["timer.ticks"], 3),  # three ticks arrive: EOI sent each time
    ("timer.rate", ["timer.rate"], 4),  # 50 ticks at 100 Hz = 0.5 s of TSC time, +-2%
    ("pic.slave_eoi", ["pic.slave_eoi"], 3),  # IRQ 8 keeps coming: EOI to the slave too
    ("pic.spurious_irq7", ["pic.spurious_irq7"], 3),  # counted, and no EOI sent for it
    ("timer.nested_interrupt", ["timer.nested_interrupt"], 3),  # timer runs inside a slow handler
]


@pytest.fixture(scope="module")
def ktest_icount(ktest):
    return KtestRunner(ktest.machine.replace(extra_args=ICOUNT), ktest.timeout,
                       extra_cmdline=TSC_HZ)


@pytest.mark.parametrize("cases", [
    pytest.param(cases, marks=pytest.mark.points(p), id=name) for name, cases, p in TRAPS])
def test_trap_cases(ktest, cases):
    """In-kernel KTAP cases pass"""
    for case in cases:
        ktest.expect_pass(case)


@pytest.mark.parametrize("cases", [
    pytest.param(cases, marks=pytest.mark.points(p), id=name) for name, cases, p in TIMER])
def test_timer_cases(ktest_icount, cases):
    """In-kernel KTAP cases pass (under -icount)"""
    for case in cases:
        # One boot for both suites: the cases are short.
        ktest_icount.expect_pass(case, glob="timer.*,pic.*")
