"""Lab 4 (part 2), hidden: processes under other conditions than the public runs.

Instructors only (never in a handout). The public tests run each program
once, as process 1, with few arguments, at 100 Hz. A build_stack() with a
small fixed array, a pid or frame that is not given back between
programs, or an FPU switch that only works at one rate passes them.
"""

import re

import pytest

from tidepool.errors import fail
from tidepool.userprog import UserRun, run_program

pytestmark = pytest.mark.lab(4)


@pytest.mark.points(2)
def test_thirty_two_arguments(boot, initrd):
    """argv with 32 words reaches the program intact (run= splits at spaces)"""
    argv = ["/bin/t_args", "argc=32,envc=0"] + [f"{i}:w" for i in range(2, 32)]
    run = run_program(boot, initrd, argv)
    run.expect_exit(0)


@pytest.mark.points(2)
def test_fpu_at_a_fast_tick(boot, initrd):
    """Two processes computing with doubles, preempted every millisecond"""
    # run= takes the rest of the command line, so the settings go first.
    run = UserRun(["/bin/t_fpu"], boot("timer_hz=1000 sched_slice=1 run=/bin/t_fpu",
                                       initrd=[str(initrd)]))
    run.expect_all_pass()


@pytest.mark.points(2)
def test_shell_runs_programs_one_after_another(console, initrd):
    """In the shell: 20 programs in a row, a crashing one, and the prompt stays"""
    c = console(initrd=[str(initrd)])
    c.expect(r"\$ ", what="the shell's prompt")
    for i in range(20):
        c.sendline(f"echo round {i}")
        c.expect(rf"round {i}\r?\n", what=f"'round {i}' from echo (program {i + 1} of 20)")
        c.expect(r"\$ ", what=f"the prompt after echo number {i + 1}")
    c.sendline("crashme null")
    c.expect(r"killed: page fault at 0x00000000", what="the kernel's line for crashme's fault")
    c.expect(r"\$ ", what="the prompt after crashme was killed: the shell survives")
    c.sendline("hello")
    m = c.expect(r"hello from ring 3, pid (\d+)\r?\n", what="hello still runs after the crash")
    pid = int(m.group(1))
    if pid < 20:
        fail(f"hello ran as pid {pid} after 21 programs: pids must not be reused so soon "
             "(or the shell ran fewer programs than it said)")
