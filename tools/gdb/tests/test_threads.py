"""`tasks` and `ktrace TID` (lab 4's threads) against a real kernel in QEMU.

Each session stops where the threads' states are known: the test cases
of kernel/tests/thread_test.c run with interrupts off between yields
(sched.yield_alternates), or stop on a condition that fixes who runs.
The saved frame chains are checked against GDB's own unwinder, run from
the same saved context, and `tasks`' source lines against the source.
"""
import os
import re
import subprocess

import pytest

from conftest import REPO, needs_symbols, run_gdb
from test_commands import FRAME, frame_names, is_subsequence

THREAD_OFFSET = "set $off = (unsigned long)&((struct thread *)0)->all_node"


def nth_thread(var, n):
    """A GDB command that sets $var to the nth thread on all_threads (0:
    the oldest), by following the list in GDB's own C."""
    return "set $%s = (struct thread *)((char *)all_threads%s - $off)" % (var, ".next" * (n + 1))


def with_saved_registers(var):
    """Commands that load thread $var's saved context into the CPU's
    registers, so that GDB's `bt` unwinds that thread (the session ends
    after them: the kernel cannot go on)."""
    return ["set $eip = $%s->context->eip" % var, "set $ebp = $%s->context->ebp" % var,
            "set $esp = (unsigned long)$%s->context + sizeof(struct context)" % var, "bt"]


TASKS_ROW = re.compile(r"^\s*(\d+)  (\S+)\s+(\S+)\s+(-|\d+ \S+)\s+(\S+)\s+(.*)$")


def tasks_table(text):
    """{tid: (state, name, process, waits, where)} from `tasks`: process
    is "PID PROGRAM" for a thread of a user process, "-" for a kernel
    thread. The lines after the table (notes) are returned apart."""
    lines = text.splitlines()
    assert lines and lines[0].split() == ["TID", "STATE", "NAME", "PROCESS", "WAITS", "ON",
                                          "WHERE"], text
    rows = {}
    for line in lines[1:]:
        if line.startswith("note: "):
            continue
        m = TASKS_ROW.match(line)
        assert m, "not a row of tasks: %r" % line
        rows[int(m.group(1))] = m.groups()[1:]
    return rows


def tasks_rows(text):
    """{tid: (state, name, waits, where)} from `tasks`, for kernel threads."""
    rows = {}
    for tid, (state, name, process, waits, where) in tasks_table(text).items():
        assert process == "-", (tid, process)
        rows[tid] = (state, name, waits, where)
    return rows


def source_text(where):
    """The source line that a `function (file:line)` names."""
    m = re.search(r"\((\S+):(\d+)\)", where)
    assert m, where
    with open(os.path.join(REPO, m.group(1))) as f:
        return f.read().splitlines()[int(m.group(2)) - 1]


def value(session, command, nth=0):
    return int(session.of(command, nth).split("=")[1], 0)


def gdb_bt_names(text):
    return re.findall(r"^#\d+\s+(?:0x[0-9a-f]+ in )?(\w+)", text, re.M)


def test_tasks_and_ktrace_while_two_threads_yield():
    """yield-a is in thread_yield (7 entries logged: a b a b a b a), yield-b
    yielded just before it, main waits in thread_join(a)."""
    needs_symbols("thread_start", "log_and_yield")
    s = run_gdb(["break thread_yield if yield_logged == 7", "continue", "tasks", "p/x $pc",
                 "ktrace", "ktrace 2", "ktrace 3", "ktrace 1", "ktrace 0", "ktrace 9",
                 "ktrace 1+2", THREAD_OFFSET, nth_thread("t", 3), "p $t->tid",
                 "p/x (unsigned long)$t->context", "p/x $t->context->eip",
                 "p/x $t->context->ebp"] + with_saved_registers("t"),
                cmdline="test=sched.yield_alternates")
    s.assert_clean()
    rows = tasks_rows(s.of("tasks"))
    assert sorted(rows) == [0, 1, 2, 3], rows
    state, name, waits, where = rows[0]
    assert (state, name, waits) == ("runnable", "idle", "-")
    assert re.match(r"not started yet: will run idle_main$|(idle_main|cpu_idle_halt) \(", where)
    state, name, waits, where = rows[1]
    assert (state, name, waits) == ("blocked", "main", "join")
    assert re.match(r"thread_join \(kernel/proc/thread\.c:\d+\)$", where), where
    assert "waitqueue_sleep" in source_text(where)
    pc = value(s, "p/x $pc")
    assert re.match(r"running, pc 0x%08x in thread_yield \(kernel/proc/sched\.c:\d+\)$" % pc,
                    rows[2][3]) and rows[2][:3] == ("running", "yield-a", "-"), rows[2]
    state, name, waits, where = rows[3]
    assert (state, name, waits) == ("runnable", "yield-b", "-")
    assert re.match(r"log_and_yield \(kernel/tests/thread_test\.c:\d+\)$", where), where
    assert "thread_yield()" in source_text(where)

    # the thread on the CPU: ktrace TID is plain ktrace
    assert s.of("ktrace 2") == s.of("ktrace") and frame_names(s.of("ktrace"))[0] == "thread_yield"
    # yield-b, from its saved context
    out = s.of("ktrace 3")
    assert value(s, "p $t->tid") == 3
    ctx, eip, ebp = (value(s, c) for c in ("p/x (unsigned long)$t->context",
                                           "p/x $t->context->eip", "p/x $t->context->ebp"))
    assert out.splitlines()[0] == ("thread 3 'yield-b' (runnable), from its saved context at "
                                   "0x%08x: eip 0x%08x, ebp 0x%08x" % (ctx, eip, ebp))
    frames_ = FRAME.findall(out)
    assert int(frames_[0][1], 16) == eip
    names = frame_names(out)
    assert names[0] == "schedule" and names[-1] == "thread_start", out
    assert is_subsequence(["thread_yield", "log_and_yield"], names), out
    assert "--- stopped" not in out
    # GDB's own unwinder, from the same registers, agrees on the names
    assert is_subsequence(names, gdb_bt_names(s.of("bt"))), (names, s.of("bt"))
    # main: blocked in thread_join, down to the boot flow's _start
    names = frame_names(s.of("ktrace 1"))
    assert names[0] == "schedule" and names[-1] == "_start"
    assert is_subsequence(["thread_join", "ktest_fn_sched_yield_alternates", "ktest_main",
                           "kmain"], names), names
    assert s.of("ktrace 0").startswith("thread 0 'idle' (runnable), from its saved context")
    assert frame_names(s.of("ktrace 0"))[-1] == "thread_start"
    assert "ktrace: no thread with id 9 (ids: 0 1 2 3; `tasks` lists them)" in s.of("ktrace 9")
    assert s.of("ktrace 1+2") == s.of("ktrace 3")           # TID is an expression


def test_tasks_during_the_switch():
    """In context_switch(), current_thread already names the next thread,
    but until `movl %edx, %esp` the CPU is on the old thread's stack."""
    needs_symbols("context_switch", "log_and_yield")
    s = run_gdb(["break context_switch if yield_logged == 2", "continue", "delete", "tasks",
                 "p/x $pc", "ktrace 3", "ktrace", 'tbreak *$insn_addr("context_switch", "pop")',
                 "continue", "x/i $pc - 2", "tasks", "p/x $pc", "ktrace 3"],
                cmdline="test=sched.yield_alternates")
    s.assert_clean()
    # before: yield-b (3) switches to yield-a (2)
    rows = tasks_rows(s.of("tasks", 0))
    pc = value(s, "p/x $pc")
    assert rows[3][:3] == ("runnable", "yield-b", "-")
    assert re.match(r"switching out, pc 0x%08x in context_switch \(kernel/arch/i386/switch\.S:\d+\)$"
                    % pc, rows[3][3]), rows[3]
    assert rows[2][:3] == ("running", "yield-a", "-")
    assert re.match(r"switching in, log_and_yield \(kernel/tests/thread_test\.c:\d+\)$", rows[2][3])
    assert s.of("ktrace 3", 0) == s.of("ktrace")            # yield-b is on the CPU
    # after the stack switch: yield-a runs, yield-b has a saved context
    assert re.search(r"mov\s+%edx,%esp", s.of("x/i $pc - 2")), s.of("x/i $pc - 2")
    rows = tasks_rows(s.of("tasks", 1))
    pc = value(s, "p/x $pc", 1)
    assert rows[2][3].startswith("running, pc 0x%08x in context_switch (" % pc), rows[2]
    assert re.match(r"log_and_yield \(kernel/tests/thread_test\.c:\d+\)$", rows[3][3]), rows[3]
    out = s.of("ktrace 3", 1)
    assert out.startswith("thread 3 'yield-b' (runnable), from its saved context")
    names = frame_names(out)
    assert names[0] == "schedule" and names[-1] == "thread_start"
    assert is_subsequence(["thread_yield", "log_and_yield"], names), out


def test_tasks_sleep_join_and_the_idle_thread():
    """thread.join_returns_status: main joins `sleeper`, which sleeps 20
    ticks; a tick that finds the idle thread running stops the kernel."""
    needs_symbols("thread_start", "sleep_then_return")
    s = run_gdb(["break sched_tick if current_thread == idle_thread && idle_thread != 0",
                 "continue", "tasks", "p/x $pc", "ktrace", "ktrace 4", THREAD_OFFSET,
                 nth_thread("t", 2), "p $t->tid"] + with_saved_registers("t"),
                cmdline="test=thread.join_returns_status")
    s.assert_clean()
    rows = tasks_rows(s.of("tasks"))
    assert sorted(rows) == [0, 1, 4], rows                  # 2 and 3 are joined: gone
    pc = value(s, "p/x $pc")
    assert rows[0][:3] == ("running", "idle", "-")
    assert rows[0][3].startswith("running, pc 0x%08x in sched_tick (kernel/proc/sched.c:" % pc)
    assert rows[1][:3] == ("blocked", "main", "join") and rows[1][3].startswith("thread_join (")
    state, name, waits, where = rows[4]
    assert (state, name, waits) == ("blocked", "sleeper", "sleep")
    assert re.match(r"sleep_then_return \(kernel/tests/thread_test\.c:\d+\)$", where), where
    assert "thread_sleep(20)" in source_text(where)
    # the idle thread: the tick interrupted it -- nearly always in
    # cpu_idle_halt's hlt, now and then just after it returned (interrupts
    # on) and before idle_main's loop turns them off again (ci13): the
    # frames below the trap are idle_main's either way
    out = s.of("ktrace")
    assert "--- trap: vector 32 (irq 0), err 0x0, eip" in out
    assert is_subsequence(["sched_tick", "alltraps", "idle_main", "thread_start"],
                          frame_names(out)), out
    out = s.of("ktrace 4")
    assert out.startswith("thread 4 'sleeper' (blocked), from its saved context")
    names = frame_names(out)
    assert names[0] == "schedule" and names[-1] == "thread_start"
    assert is_subsequence(["thread_sleep", "sleep_then_return"], names), out
    assert value(s, "p $t->tid") == 4
    assert is_subsequence(names, gdb_bt_names(s.of("bt"))), (names, s.of("bt"))


def test_tasks_preempted_thread():
    """Two threads that never yield (sched.preemption_interleaves): the one
    that is not running was preempted by the timer, inside a trap frame."""
    needs_symbols("thread_start", "spin_and_watch")
    s = run_gdb(["break sched_tick if handovers > 3 && current_thread != idle_thread",
                 "continue", "tasks", "ktrace 2", "ktrace 3"],
                cmdline="test=sched.preemption_interleaves")
    s.assert_clean()
    rows = tasks_rows(s.of("tasks"))
    running = [tid for tid in (2, 3) if rows[tid][0] == "running"]
    assert len(running) == 1, rows
    other = 5 - running[0]
    state, name, waits, where = rows[other]
    assert (state, waits) == ("runnable", "-") and name.startswith("spin-")
    assert re.match(r"spin_and_watch \(kernel/tests/thread_test\.c:\d+\), interrupted by irq 0$",
                    where), where
    out = s.of("ktrace %d" % other)
    assert "--- trap: vector 32 (irq 0), err 0x0, eip" in out
    names = frame_names(out)
    assert names[0] == "schedule" and names[-2:] == ["spin_and_watch", "thread_start"], out
    assert is_subsequence(["thread_yield", "alltraps"], names), out


def test_before_sched_init():
    """At sched_init() nothing exists yet; a little later the idle thread
    is on all_threads already, but current_thread is still 0: no threads
    yet either time. (monitor_main: a backstop, should lab 4 be unsolved.)"""
    needs_symbols("sched_init", "thread_adopt_boot_flow")
    s = run_gdb(["tbreak sched_init", "continue", "tasks", "break thread_adopt_boot_flow",
                 "break monitor_main", "continue", "p all_threads.next != &all_threads",
                 "tasks", "ktrace 1", "ktrace"])
    s.assert_clean()
    for nth in (0, 1):
        assert s.of("tasks", nth).startswith("tasks: no threads yet: current_thread = 0. "
                                             "sched_init()"), s.output
    assert s.of("p all_threads.next != &all_threads").strip().endswith("= 1")
    assert s.of("ktrace 1").startswith("ktrace: no threads yet: current_thread = 0.")
    names = frame_names(s.of("ktrace"))
    assert names[0] == "thread_adopt_boot_flow" and names[-1] == "_start", names


def lab3_kernel():
    """Build the LAB=3 checkpoint with the tree's Makefile (make test-demos
    builds the same one) and return its path."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    make = ["make", "-s", "--no-print-directory", "LAB=3"]
    path = subprocess.run(make + ["--eval", "tp-print-kernel: ; @echo $(KERNEL)",
                                  "tp-print-kernel"], cwd=REPO, env=env, check=True,
                          stdout=subprocess.PIPE).stdout.decode().strip()
    build = subprocess.run(make + ["-j%d" % (os.cpu_count() or 1), "kernel"], cwd=REPO, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    if build.returncode != 0:
        pytest.fail("make LAB=3 kernel failed:\n" + build.stdout.decode("utf-8", "replace"))
    return os.path.join(REPO, path)


def test_lab3_kernel_has_no_threads():
    kernel = lab3_kernel()
    s = run_gdb(["break monitor_main", "continue", "tasks", "ktrace 1", "ktrace"], kernel=kernel)
    s.assert_clean()
    assert s.of("tasks").startswith("tasks: this kernel has no threads: its symbols have no "
                                    "`struct thread`"), s.output
    assert s.of("ktrace 1").startswith("ktrace: this kernel has no threads")
    names = frame_names(s.of("ktrace"))
    assert names == ["monitor_main", "kmain", "_start"], names
