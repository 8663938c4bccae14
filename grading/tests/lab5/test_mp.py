"""Lab 5: several CPUs and the locks, tested on four CPUs at once.

Each in-kernel case boots on its own with -smp 4 (the races: -smp 2) under multi-threaded TCG
(each vCPU a host thread: the CPUs really run at the same time) and
reports KTAP on COM2. Run one yourself:
    make qemu SMP=4 CMDLINE="test=mp.counter_locked"   (results in build/com2.txt)
The cases are in kernel/tests/mp_test.c (mp.*), sync_test.c (sync.*) and
smp_test.c (smp.*). Every race case gathers its threads at a start line,
then repeats its operation tens of thousands of times: a lock that lets
two CPUs in, or a wake-up that gets lost, shows up on every run, and a
case that would hang on a broken kernel reports what it saw when its
deadline passes; a boot that prints nothing for several seconds (a lock
that stopped every CPU) is stopped as hung. mp.counter_unlocked_demo
prints how many updates four CPUs lose without a lock; it is never graded.
"""

import pytest

from tidepool.errors import fail
from tidepool.sanitizers import work_divisor
from tidepool.userprog import run_program

# One xdist group for every SMP boot of lab 5 (make grade runs xdist with
# --dist loadgroup): two of them side by side put 4-6 vCPU threads on a
# 2-core host, and each lock holder's vCPU spends its time descheduled.
# Measured on the full kernel, -n 2: lab 5's 21 tests took 51 s spread
# over both workers, 30 s in one group (a race case 20 s -> 1.3 s).
pytestmark = [pytest.mark.lab(5), pytest.mark.xdist_group("lab5-smp")]

SMP4 = 4
SOCKETS4 = "4,sockets=4"

# The races that hammer one lock run on two CPUs: a ticket lock hands over
# to one particular waiter, and with four vCPU threads on a loaded 2-core
# host the waiter's thread is often not running (lock-holder preemption,
# one level down): 20,000 round trips at -smp 4 did not finish in 250 s
# at load 23, 100,000 at -smp 2 took 31 s. Waiters that halt
# (kernel/sync/spin_halt.h) made -smp 4 usable -- lab 5's public tests
# took 22 s idle with the races there, against 9 s -- but two CPUs in
# parallel are all a race needs, the mutants' kill rates were measured
# on two, and make check has no 13 s to spare for each lab-5 run. The
# issue's 1,000,000 at -smp 4 run in make soak
# (grading/userland/test_mp_sizes.py, with the measured rates).
RACE_SMP = 2

# A spinlock waiter that waits long halts its CPU, and the release that
# serves its ticket wakes it (kernel/sync/spin_halt.h); one boot for the three.
HALT_CASES = ["mp.halted_waiter_woken_irqs_off", "mp.halted_waiter_woken_irqs_on",
              "mp.halt_window_skips_hlt"]

# (graded name, in-kernel cases that must all pass, -smp, points); each
# case boots by itself, except SHARED_BOOT's.
MP_CASES = [
    ("cpus_run_threads", ["smp.all_cpus_online", "mp.cpus_run_threads"], SMP4, 3),  # MADT's CPUs run threads
    ("counter_locked", ["mp.counter_locked", "mp.tickets_drawn_once"], RACE_SMP, 5),  # exact; no ticket twice
    ("ticket_fifo", ["mp.ticket_fifo"], SMP4, 3),               # spinning waiters served in order
    ("irqlock_keeps_timer_out", ["mp.irqlock_keeps_timer_out"], SMP4, 2),  # no tick while held
    ("irqlock_handler_shares_lock", ["mp.irqlock_handler_shares_lock"], SMP4, 4),  # handler takes it too
    ("mutex_blocks_fifo", ["sync.mutex_blocks_and_hands_over_fifo"], SMP4, 4),  # sleep; FIFO hand-over
    ("mutex_counter", ["sync.mutex_counter_exact"], RACE_SMP, 2),  # the counter under a mutex
    ("condvar_wakes", ["sync.condvar_signal_one_broadcast_all"], SMP4, 4),  # signal 1, broadcast all
    ("bbuf", ["mp.bbuf"], RACE_SMP, 6),                         # 4 producers -> 4 consumers
    ("semaphore_pingpong", ["mp.semaphore_pingpong", "mp.semaphore_keeps_count"], RACE_SMP, 2),  # a token; the count
    ("lockdep_abba", ["sync.lockdep_reports_ab_ba_once"], SMP4, 3),  # first time, both stacks
    ("sleep_with_spinlock", ["sync.sleep_with_spinlock_reported"], SMP4, 2),  # names the lock
    ("tlb_shootdown", ["smp.tlb_shootdown_makes_other_cpu_fault"], SMP4, 3),  # the other CPU faults
    ("spin_waiter_halts", HALT_CASES, SMP4, 2),  # a long wait halts; the release wakes it
]

# Cases that share one boot (their glob): short ones that cannot hang each other.
SHARED_BOOT = {case: "mp.halt*" for case in HALT_CASES}


@pytest.mark.points(2)
def test_cpus_come_up_four_sockets(ktest_smp):
    """-smp 4,sockets=4: every CPU the MADT lists comes online and runs threads"""
    for case in ("smp.all_cpus_online", "mp.cpus_run_threads"):
        ktest_smp(SOCKETS4).expect_pass(case, glob=case)


@pytest.mark.parametrize("cases, smp", [
    pytest.param(cases, smp, marks=pytest.mark.points(p), id=name)
    for name, cases, smp, p in MP_CASES])
def test_mp_cases(ktest_smp, cases, smp):
    """In-kernel KTAP cases pass on several CPUs"""
    for case in cases:
        # One boot per case: a hang or a crash costs the others nothing,
        # and a failure's reproduce line runs that case alone.
        ktest_smp(smp).expect_pass(case, glob=SHARED_BOOT.get(case, case))


# t_futex: 4 threads x 2,000 lock/unlock and two 2,000-item buffers, a
# fiftieth of its default (`make soak` runs the whole at -smp 4). Every
# item still crosses CPUs through a futex, thousands of sleeps and wakes
# in all. Why so few: 4 vCPUs on a 2-core host are oversubscribed, and a
# vCPU that spins in the kernel for a lock (or for its ticket's turn)
# whose holder's vCPU thread the host has descheduled spins until the
# host runs that thread again. Alone on an idle host:
# 2,000 took 1.9 s, 10,000 took 5.9 s, and pinned to one host core
# 10,000 took 179 s; beside the other grader worker 10,000 took 13-15 s
# and 17 CPU seconds, a sixth of the whole grading run's CPU.
FUTEX_WORK = "2000"
FUTEX_TIMEOUT = 120.0


@pytest.mark.points(4)
@pytest.mark.smp(SMP4)
def test_futex_user_threads(boot, initrd, kernel):
    """User threads on four CPUs pass the futex mutex, condvar and semaphore cases"""
    work = str(int(FUTEX_WORK) // work_divisor(str(kernel)))   # a tenth under KASAN
    run = run_program(boot, initrd, ["/bin/t_futex", "-c", "4", "-n", work], timeout=FUTEX_TIMEOUT)
    run.expect_all_pass()
    several = [r for r in run.ktap().results if r.name == "threads_ran_on_several_cpus"]
    if not several or several[0].skipped:
        fail("expected the case threads_ran_on_several_cpus to run at -smp 4 (four CPUs "
             "online), not to be skipped; the last lines were:\n" + run.tail())
