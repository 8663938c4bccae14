"""Lab 4 (part 2): user programs from the initrd, system calls, processes.

Each test boots the kernel with the initrd and run=PROGRAM: the program
runs as process 1 and prints KTAP on the console (its source, in
userland/tests/, says what each case expects). Run one yourself:
    make qemu CMDLINE="run=/bin/t_fork"
"""

import re

import pytest

from tidepool.errors import fail
from tidepool.userprog import run_program

pytestmark = pytest.mark.lab(4)

# (graded name, program and arguments, points)
PROGRAMS = [
    ("fork_getpid_waitpid", ["/bin/t_fork"], 4),     # fork's two returns, pids, exit status
    ("copy_on_write", ["/bin/t_cow"], 5),            # private writes; 100 forks leak no frame
    ("exec_args_and_bad_elves", ["/bin/t_exec"], 5),  # argv/envp arrive; 5 bad ELFs: ENOEXEC
    ("bad_pointers_efault", ["/bin/t_efault"], 5),   # every pointer argument checked (Pintos)
    ("faults_kill_only_the_process", ["/bin/t_crash"], 4),  # null, div0, cli, hlt, ...
    ("user_threads", ["/bin/t_threads"], 3),         # share memory, join with status
    ("fpu_survives_preemption", ["/bin/t_fpu"], 3),  # two processes compute with doubles
    ("int80_and_sysenter_agree", ["/bin/t_paths"], 3),  # both doors, same answers
    ("user_eflags_stay_out", ["/bin/t_flags"], 1),   # NT or TF set before sysenter: no panic
    ("files_dirs_pipes", ["/bin/t_fs"], 2),          # the writable fs, descriptors, pipes
]


@pytest.mark.points(2)
def test_hello_from_ring3(boot, initrd):
    """/bin/hello prints from ring 3 and exits 0"""
    run = run_program(boot, initrd, ["/bin/hello"])
    if not any(re.match(r"^hello from ring 3, pid 1$", ln) for ln in run.lines):
        fail("expected 'hello from ring 3, pid 1' on the console; the last lines were:\n"
             + run.tail())
    run.expect_exit(0)


@pytest.mark.parametrize("argv", [
    pytest.param(argv, marks=pytest.mark.points(p), id=name) for name, argv, p in PROGRAMS])
def test_user_program(boot, initrd, argv):
    """A user test program's KTAP cases all pass"""
    run_program(boot, initrd, argv).expect_all_pass()


@pytest.mark.points(2)
def test_fault_message_names_process(boot, initrd):
    """A NULL read in ring 3: one line naming the process; killed by SIGSEGV"""
    run = run_program(boot, initrd, ["/bin/crashme", "null"])
    pattern = (r"^\[pid 1 crashme\] killed: page fault at 0x00000000 \(read, not present\)")
    if not any(re.match(pattern, ln) for ln in run.lines):
        fail("expected the line '[pid 1 crashme] killed: page fault at 0x00000000 (read, "
             "not present)...' on the console; the last lines were:\n" + run.tail())
    if run.exit() != ("signal", 11):
        fail(f"expected 'run: /bin/crashme was killed by signal 11', got {run.exit()}:\n"
             + run.tail())


@pytest.mark.points(2)
def test_init_starts_a_shell(console, initrd):
    """With an initrd and no command line: init, a '$ ' prompt, programs run"""
    c = console(initrd=[str(initrd)])
    c.expect(r"\$ ", what="the shell's '$ ' prompt (init starts /bin/sh)")
    c.sendline("hello")
    c.expect(r"hello from ring 3, pid \d+", what="hello's greeting after typing 'hello'")
    c.expect(r"\$ ", what="the prompt again after hello exited")
    c.sendline("echo one two")
    c.expect(r"one two", what="'one two' from 'echo one two'")


@pytest.mark.points(1)
def test_monitor_stays_reachable(console, initrd):
    """CMDLINE=monitor: the kernel monitor of labs 1-3 instead of init"""
    c = console("monitor", initrd=[str(initrd)])
    c.expect_prompt()
    out = c.command("ps")
    if "main" not in out:
        fail("expected 'ps' in the monitor to list the thread 'main'; it printed:\n" + out)
