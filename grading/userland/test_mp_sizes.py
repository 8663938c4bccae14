"""Lab 5 at the issue's sizes (issue 14): 1,000,000 counter increments by
four threads and 1,000,000 bounded-buffer items from four producers to
four consumers, at -smp 4. Not graded and not in make check: `make soak`.

Why not graded: on the 2-core machine that runs make check, four vCPUs
hand a ticket lock over only when the waiter's host thread happens to be
running. Measured 2026-12-06 at load 11-17 (the progress lines of the
cases): -smp 4 went through about 100 increments or 175 items per second,
so 1,000,000 of either would take hours; -smp 2 about 3,700 increments
per second (about 4.5 minutes). Lab 5's whole grade has to stay near 90 s,
so the graded cases run 100,000 increments and 20,000 items at -smp 2
(grading/tests/lab5/test_mp.py); these runs say whether the full sizes
hold on a machine with the time for them.

Run one yourself:
    make qemu SMP=4 CMDLINE="test=mp.counter_locked mp_iters=1000000 ktest_timeout=14400"
"""

import pytest

from tidepool import qemu
from tidepool.fixtures import _machine, smp_stall
from tidepool.ktest import KtestRunner

pytestmark = pytest.mark.soak

# Wall-clock bound of one boot (not scaled: it is already hours). The
# kernel's own deadline (ktest_timeout, three quarters of it for the
# case's wait) is in guest seconds, which lag the host's on a busy host.
TIMEOUT = 4 * 3600.0
KTEST_TIMEOUT = 4 * 3600


@pytest.mark.parametrize("case, size", [
    ("mp.counter_locked", "mp_iters=1000000"),
    ("mp.bbuf", "mp_items=1000000"),
])
def test_issue_sizes_four_cpus(kernel, timeouts, case, size):
    """The counter and the bounded buffer at 1,000,000, four threads each way, -smp 4"""
    stall = smp_stall(timeouts)
    runner = KtestRunner(
        _machine(kernel, smp=4), TIMEOUT,
        extra_cmdline=f"ktest_timeout={KTEST_TIMEOUT} smp_expect=4 {size}",
        runner=lambda m, t: qemu.run(m, t, record=False, stall=stall))
    runner.expect_pass(case, glob=case)
