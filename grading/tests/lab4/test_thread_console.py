"""Lab 4: what threads change on the console: ps, and a thread's stack overflow.

Try it with:  make qemu     then  spawn worker 300,  sleep 20,  ps
and           make qemu CMDLINE="selftest=thread-stackoverflow"
"""

import re

import pytest

from tidepool.errors import fail, indent

pytestmark = pytest.mark.lab(4)

PS_LINE = re.compile(r"^\s*(\d+)\s+(runnable|running|blocked|zombie)\s+(\d+)\s+(\S+)\s+(\S+)\s*$")


def ps_table(out):
    """{tid: (state, ticks, waits_on, name)} from the output of 'ps'."""
    rows = {}
    for line in out.split("\n"):
        m = PS_LINE.match(line)
        if m:
            rows[int(m.group(1))] = (m.group(2), int(m.group(3)), m.group(4), m.group(5))
    return rows


@pytest.mark.points(3)
def test_ps_lists_threads(console):
    """'ps' lists idle, main and a spawned worker with state and ticks used"""
    c = console()
    c.expect_prompt()
    out = c.command("spawn worker 400")
    m = re.search(r"spawn: thread (\d+) 'worker'", out)
    if not m:
        fail("expected 'spawn worker 400' to answer \"spawn: thread N 'worker'\"; it printed:\n"
             + indent(out.split("\n")))
    worker = int(m.group(1))
    c.command("sleep 30")       # the worker spins a tick, sleeps a tick, ...
    out = c.command("ps")
    rows = ps_table(out)
    shown = "; 'ps' printed:\n" + indent(out.split("\n"))
    expected = {0: "idle", 1: "main", worker: "worker"}
    for tid, name in expected.items():
        if tid not in rows or rows[tid][3] != name:
            fail(f"expected a line 'TID STATE TICKS WAITS-ON NAME' for thread {tid} '{name}'"
                 + shown)
    if rows[1][0] != "running":
        fail("expected 'main' (it runs the monitor, which runs ps) to be running" + shown)
    if rows[0][0] == "running":
        fail("the idle thread cannot be running while the monitor runs ps" + shown)
    if rows[worker][1] < 5:
        fail(f"the worker spun for about 15 of the 30 ticks the monitor slept, but ps "
             f"shows {rows[worker][1]} ticks used" + shown)
    if rows[worker][0] not in ("runnable", "blocked"):
        fail("the worker should be runnable or asleep while the monitor runs" + shown)


@pytest.mark.points(3)
def test_thread_stack_overflow_names_thread(boot):
    """A thread that runs off its stack hits its guard; #DF names the thread"""
    r = boot("selftest=thread-stackoverflow")
    r.expect_line(r"kernel stack overflow: esp 0x[0-9a-f]{8} in the guard page of thread "
                  r"\d+ 'deep-recursion'",
                  "a 'double fault: kernel stack overflow: esp ... in the guard page of "
                  "thread N 'deep-recursion'' line")
    r.expect_line(r"^\s+#\d+ 0x[0-9a-f]{8} selftest_recurse\+",
                  "a backtrace through selftest_recurse")
    r.expect_kind("panic", "after a thread's stack overflow")
