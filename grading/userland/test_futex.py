"""Futexes and the libc's mutex, condition variable, semaphore and barrier
(lab 5; issue 14). Not graded here (`make test-userland-qemu`); lab 5's
grader runs the same program at -smp 4.

/bin/t_futex reports KTAP; userland/tests/t_futex.c says what each case
expects. Try it:  make qemu CMDLINE="run=/bin/t_futex"
            or:   make qemu SMP=4 CMDLINE="run=/bin/t_futex -c 4"  (lab 5: SMP=N)

Skipped on a kernel without futexes (before lab 5: no sys_futex symbol),
and the -smp 4 run when t_futex reports one CPU online (the build brings
up no other CPU: that is smp.*'s test, not this one's).
"""

import re

import pytest

from tidepool.elf import read_symbols
from tidepool.errors import fail
from tidepool.userprog import run_program

# 4 threads x 100,000 lock/unlock, two 100,000-item buffers: a few seconds
# on one CPU; several CPUs under TCG are slower (the grader scales this).
BASE_TIMEOUT = 120.0
# t_futex's diagnostic before its CPU case.
ONLINE_RE = re.compile(r"^# (\d+) CPUs online")


def _has(kernel, symbol):
    return symbol in read_symbols(str(kernel))


@pytest.fixture
def futexes(kernel):
    if not _has(kernel, "sys_futex"):
        pytest.skip("this kernel has no futex system call (lab 5)")


def test_t_futex_one_cpu(futexes, boot, initrd):
    """t_futex at -smp 1: every case passes (the CPU case is a SKIP)"""
    run_program(boot, initrd, ["/bin/t_futex"], timeout=BASE_TIMEOUT).expect_all_pass()


@pytest.mark.soak
def test_t_futex_four_cpus(futexes, boot, initrd):
    """t_futex at -smp 4: every case passes, and the worker threads ran on
    more than one CPU"""
    run = run_program(boot, initrd, ["/bin/t_futex"], timeout=BASE_TIMEOUT,
                      smp=4, extra_args=["-accel", "tcg,thread=multi"])
    online = next((int(m.group(1)) for m in map(ONLINE_RE.match, run.lines) if m), None)
    if online == 1:
        # Bringing the CPUs up is smp.*'s test; this one needs them up.
        pytest.skip("the kernel brought up 1 CPU of 4 (no SMP in this build yet)")
    run.expect_all_pass()
    cpus = [r for r in run.ktap().results if r.name == "threads_ran_on_several_cpus"]
    if not cpus or cpus[0].skipped:
        fail("expected threads_ran_on_several_cpus to be tested at -smp 4, not skipped; "
             "the last lines were:\n" + run.tail())
