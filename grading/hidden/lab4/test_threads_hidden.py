"""Lab 4, hidden: the scheduler at other rates, races at other phases, reaping.

Instructors only (never in a handout). The public cases run at 100 Hz with
a 3-tick slice, and the race at one timer rate: a solution that hard-codes
the slice length or the tick rate, or whose lost wake-up happens to hide
at exactly one phase of the timer, passes them. These run the same
in-kernel cases with other settings, and check from the console that
threads the monitor spawns are reaped and leave no frame behind.
"""

import re

import pytest

from tidepool.errors import fail, indent

pytestmark = pytest.mark.lab(4)

ICOUNT = ("-icount", "shift=0,align=off,sleep=off", "-rtc", "clock=vm")


@pytest.mark.points(3)
@pytest.mark.parametrize("settings", ["timer_hz=250 sched_slice=5", "timer_hz=1000 sched_slice=2"])
def test_scheduler_cases_at_other_rates(ktest, settings):
    """Preemption, sleeping and idle cases with another tick rate and slice"""
    # Under -icount, as the public scheduler cases: tick counts in real time
    # depend on how loaded the host is.
    runner = ktest.derive(extra_args=ICOUNT, extra_cmdline=settings)
    glob = "sched.*"
    for case in ("sched.preemption_interleaves", "sched.sleep_wakes_on_time",
                 "sched.sleepers_wake_in_order", "sched.idle_halts", "sched.yield_alternates"):
        runner.expect_pass(case, glob=glob)


@pytest.mark.points(3)
@pytest.mark.parametrize("settings", ["timer_hz=100000 sched_slice=1",
                                      "timer_hz=30000 sched_slice=2"])
def test_producer_consumer_other_phases(ktest, settings):
    """100,000 items through the bounded buffer, preempted at other points"""
    runner = ktest.derive(extra_args=ICOUNT, extra_cmdline=settings)
    # Only this case: test=sync.* would run lab 5's sync cases too.
    runner.expect_pass("sync.producer_consumer", glob="sync.producer_consumer")


def free_frames(c):
    out = c.command("mem")
    m = re.search(r"frames: (\d+) free", out)
    if not m:
        fail("expected 'frames: N free, ...' from 'mem'; it printed:\n" + indent(out.split("\n")))
    return int(m.group(1))


def reaped(out):
    return re.findall(r"spawn: thread \d+ '(\w+)' exited with status 0", out)


def spawn_round(c, names):
    # The monitor joins finished threads before each command, so a worker
    # that ends while the next ones are being spawned (a loaded host: ten
    # ticks pass while a command is typed) is reported in a spawn's output.
    exited = []
    for name in names:
        out = c.command(f"spawn {name} 10")
        if f"'{name}'" not in out:
            fail(f"expected 'spawn {name} 10' to start a thread; it printed:\n"
                 + indent(out.split("\n")))
        exited += reaped(out)
    # The workers need about 10 ticks each; wait in steps (no fixed sleep:
    # a loaded host delays ticks), at most 50 steps of 20 ticks.
    out = ""
    for _ in range(50):
        if sorted(exited) == sorted(names):
            break
        out = c.command("sleep 20")
        exited += reaped(out)
    if sorted(exited) != sorted(names):
        fail(f"expected the monitor to reap {', '.join(names)} (\"spawn: thread N 'NAME' "
             f"exited with status 0\"), it reported {exited or 'none'}:\n" + indent(out.split("\n")))
    out = c.command("ps")
    left = [n for n in names if re.search(rf"\s{n}\s*$", out, re.M)]
    if left:
        fail(f"reaped threads still listed by 'ps': {', '.join(left)}:\n" + indent(out.split("\n")))


@pytest.mark.points(2)
def test_spawned_threads_are_reaped_without_leak(console):
    """Threads that exit are joined; a second round uses no new frame"""
    c = console()
    c.expect_prompt()
    names = ["w1", "w2", "w3", "w4"]
    spawn_round(c, names)
    after_first = free_frames(c)     # the heap may grow once, and keeps its pages
    spawn_round(c, names)
    after_second = free_frames(c)
    if after_second != after_first:
        fail(f"four threads spawned and reaped a second time changed the free frames "
             f"from {after_first} to {after_second}: a stack or a struct is not freed")
