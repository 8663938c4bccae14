"""Lab 5 at the issue's sizes (issue 14): 1,000,000 counter increments by
four threads and 1,000,000 bounded-buffer items from four producers to
four consumers, at -smp 4. Not graded and not in make check: `make soak`.

Why not graded: on the 2-core machine that runs make check, four vCPUs
hand a ticket lock over only when the waiter's host thread is running.
Waiters that halt after 32 turns (kernel/sync/spin_halt.h) took that from
hours to about a minute: measured 2026-12-07 on an idle 2-core host,
56 s for each of the two (before: 1,180 increments and 1,800 items a
second, 14 and 9 minutes; at load 11-17 about 100 and 175 a second).
Lab 5's whole grade has to stay near 10 s idle and make check under its
budget, so the graded cases run 100,000 increments and 20,000 items at
-smp 2 (grading/tests/lab5/test_mp.py); these runs say whether the full
sizes hold at -smp 4.

Run one yourself:
    make qemu SMP=4 CMDLINE="test=mp.counter_locked mp_iters=1000000 ktest_timeout=3600"
"""

import pytest

from tidepool import qemu
from tidepool.fixtures import _machine, smp_stall
from tidepool.ktest import KtestRunner

pytestmark = pytest.mark.soak

# Wall-clock bound of one boot (not scaled: an hour is sixty times what
# an idle host needs). The kernel's own deadline (ktest_timeout, three
# quarters of it for the case's wait) is in guest seconds, which lag the
# host's on a busy host.
TIMEOUT = 3600.0
KTEST_TIMEOUT = 3600


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
