"""User processes in GDB (lab 4 part 2): usymbols, breaking in user code,
`tasks` and `ktrace` for threads of user processes.

Each session boots the kernel with the initrd beside it and a program
(run=/bin/NAME as process 1, or /bin/init and the shell), and stops where
the processes' states are known: in a given system call, at a fork, at a
timer tick that preempted one process in ring 3 while another is
preempted too. What the commands print is checked against what GDB itself
reads (registers, struct fields, its own backtrace) and against the source.
"""
import os
import re
import shutil

import pytest

from conftest import REPO, kernel_path, needs_symbols, run_gdb
from test_commands import frame_names, is_subsequence
from test_threads import gdb_bt_names, source_text, tasks_table, value

# the struct thread of process 1's first thread, in GDB's C
TOP = "((struct trapframe *)(%s->stack.top - sizeof(struct trapframe)))"
PROC_THREAD = ("((struct thread *)((char *)%s->threads.next "
               "- (unsigned)&((struct thread *)0)->proc_node))")


def needs_programs(*names):
    needs_symbols("user_entry", "sysenter_entry", "all_processes")
    bindir = os.path.join(os.path.dirname(kernel_path()), "userland", "bin")
    initrd = os.path.join(os.path.dirname(kernel_path()), "initrd.cpio")
    missing = [n for n in names if not os.path.isfile(os.path.join(bindir, n))]
    if missing or not os.path.isfile(initrd):
        pytest.fail("no initrd or no %s beside the kernel (%s): run `make kernel`"
                    % (", ".join(missing) or "programs", bindir))


def row_of(rows, process):
    """The tasks row (tid, row) of the thread of the process 'PID PROGRAM'."""
    found = [(tid, r) for tid, r in rows.items() if r[2] == process]
    assert len(found) == 1, (process, rows)
    return found[0]


def test_break_in_main_of_hello():
    """usymbols before the program runs, break main: the stop is hello's
    main in ring 3; bt, tasks and ktrace all see user space."""
    needs_programs("hello")
    s = run_gdb(["usymbols hello", "break main", "continue",
                 "python f = gdb.selected_frame(); print('frame', f.name(), "
                 "f.find_sal().symtab.filename)",
                 "p $cs & 3", "p/x $pc", "bt", "tasks", "ktrace",
                 # main's breakpoint goes first: continuing, GDB steps over
                 # it, and if that instruction traps (a page fault, say)
                 # the program comes back to it and stops there again (ci10).
                 "delete 1", "break write", "continue", "bt", "ktrace"],
                cmdline="run=/bin/hello", initrd=True)
    s.assert_clean()
    assert re.search(r"userland/bin/hello: symbols of the program 'hello' \(entry 0x40000000\)$",
                     s.of("usymbols hello").strip()), s.of("usymbols hello")
    assert re.match(r"Breakpoint 1 at 0x4000[0-9a-f]{4}: file userland/bin/hello\.c, line \d+\.",
                    s.of("break main")), s.of("break main")
    assert "frame main userland/bin/hello.c" in s.of(
        "python f = gdb.selected_frame(); print('frame', f.name(), f.find_sal().symtab.filename)")
    assert value(s, "p $cs & 3") == 3                       # ring 3
    pc = value(s, "p/x $pc")
    assert re.match(r"#0\s+main \(\) at userland/bin/hello\.c:\d+", s.of("bt", 0)), s.of("bt", 0)
    rows = tasks_table(s.of("tasks"))
    tid, (state, name, process, waits, where) = row_of(rows, "1 hello")
    assert (state, name, waits) == ("running", "hello", "-")
    assert re.match(r"user mode, pc 0x%08x in main \(userland/bin/hello\.c:\d+\)$" % pc, where), where
    assert all(r[2] == "-" for t, r in rows.items() if t != tid)    # kernel threads
    assert "note:" not in s.of("tasks")                     # the symbols are hello's
    assert frame_names(s.of("ktrace", 0)) == ["main", "libc_start"], s.of("ktrace", 0)
    # deeper: GDB's own unwinder and ktrace agree from write() up to main
    names = gdb_bt_names(s.of("bt", 1))
    assert names[0] == "write" and is_subsequence(["printf", "main"], names), s.of("bt", 1)
    names = frame_names(s.of("ktrace", 1))
    assert names[0] == "write" and names[-2:] == ["main", "libc_start"], s.of("ktrace", 1)
    assert "--- stopped" not in s.of("ktrace", 1)


def lines_of_function(path, name):
    """The line numbers of a C function's definition in the repository's
    source, from its name's line to its closing brace in column 0."""
    with open(os.path.join(REPO, path)) as f:
        text = f.read().splitlines()
    first = next(i for i, l in enumerate(text, 1) if re.match(r"^\w.*\b%s\(" % name, l))
    last = next(i for i, l in enumerate(text, 1) if i > first and l.startswith("}"))
    return range(first, last + 1)


def test_stop_in_a_system_call_sysenter():
    """hello's getpid(): the libc chose sysenter (AT_SYSENTER = 1), and
    the kernel's fast path called sys_getpid straight from sysenter.S,
    with no struct trapframe (current_thread->tf stays NULL). In
    sys_getpid, tasks names the call from the fast frame, and ktrace
    crosses that frame into hello's frames: without its symbols it stops
    there and says why, with them it goes on to main."""
    needs_programs("hello")
    s = run_gdb(["break sys_getpid", "continue", "tasks", "ktrace", "usymbols", "ktrace",
                 "p/x *(unsigned *)($esp + 28)", "p *(unsigned *)($esp + 24)", "p/x $pc",
                 "p current_thread->tf"],
                cmdline="run=/bin/hello", initrd=True)
    s.assert_clean()
    # the fast frame above the return address (arch/i386/sysenter.h):
    # five arguments, nr, the user's eip
    pc, user_eip = value(s, "p/x $pc"), value(s, "p/x *(unsigned *)($esp + 28)")
    assert value(s, "p *(unsigned *)($esp + 24)") == 20     # SYS_getpid
    assert s.of("p current_thread->tf").rstrip().endswith(" 0x0")
    _, (state, _, _, _, where) = row_of(tasks_table(s.of("tasks")), "1 hello")
    assert state == "running"
    # sys_getpid's own file and a line of it: pc is in this_cpu_thread()
    # (percpu.h), inlined there for current_thread, not a line to show
    m = re.match(r"system call getpid: running, pc 0x%08x in sys_getpid "
                 r"\(kernel/proc/sys_proc\.c:(\d+)\)$" % pc, where)
    assert m, where
    assert int(m.group(1)) in lines_of_function("kernel/proc/sys_proc.c", "sys_getpid")
    assert re.match(r"^#0\s+0x%08x in sys_getpid\+0x0 \(kernel/proc/sys_proc\.c:%s\)$"
                    % (pc, m.group(1)), s.of("ktrace", 0), re.M), s.of("ktrace", 0)
    trap_line = ("--- trap: vector 128 (system call), err 0x1, eip 0x%08x, from user mode ---"
                 % user_eip)
    # no user symbols yet: the walk stops at the user eip, and says why
    out = s.of("ktrace", 0)
    assert trap_line in out, out
    assert re.search(r"^#\d+\s+0x%08x in \?\?$" % user_eip, out, re.M), out
    assert ("--- stopped: no symbols for the user code at 0x%08x: `usymbols` loads the "
            "program's ---" % user_eip) in out
    assert "pid 1's program 'hello'" in s.of("usymbols")
    out = s.of("ktrace", 1)
    assert trap_line in out and "--- stopped" not in out, out
    names = frame_names(out)
    assert names == ["sys_getpid", "sysenter_entry", "sysenter_door", "getpid", "main",
                     "libc_start"], out
    assert re.search(r"^#2\s+0x%08x in sysenter_door\+0x[0-9a-f]+ "
                     r"\(userland/lib/syscall_entry\.S:\d+\)$" % user_eip, out, re.M), out
    m = re.search(r"in main\+0x[0-9a-f]+ \((userland/bin/hello\.c:\d+)\)$", out, re.M)
    assert m and "getpid()" in source_text("(%s)" % m.group(1)), out


def test_stop_in_a_system_call_sysenter_full_path():
    """The same call on sysenter's full path (tracing on sends every call
    there): sysenter_full's struct trapframe, err 1, and syscall_run."""
    needs_programs("hello")
    s = run_gdb(["break sys_getpid", "continue", "tasks", "usymbols", "ktrace",
                 "p/x current_thread->tf->eip", "p current_thread->tf->err",
                 "p current_thread->tf->eax"],
                cmdline="trace=sched run=/bin/hello", initrd=True)
    s.assert_clean()
    user_eip = value(s, "p/x current_thread->tf->eip")
    assert value(s, "p current_thread->tf->err") == 1       # entered by sysenter
    assert value(s, "p current_thread->tf->eax") == 20      # SYS_getpid
    _, row = row_of(tasks_table(s.of("tasks")), "1 hello")
    assert row[4].startswith("system call getpid: running, pc "), row
    out = s.of("ktrace")
    assert ("--- trap: vector 128 (system call), err 0x1, eip 0x%08x, from user mode ---"
            % user_eip) in out and "--- stopped" not in out, out
    assert frame_names(out) == ["sys_getpid", "syscall_run", "syscall_sysenter", "sysenter_full",
                                "sysenter_door", "getpid", "main", "libc_start"], out


# Where the plain frame-pointer chain from ebp ends, the way the kernel's
# backtrace_walk() follows it: [ebp] is the next ebp, until 0 or an
# address outside the kernel (user space starts at 0x40000000).
CHAIN_END = ("python step = lambda e: e if e == 0 or e >= 0x40000000 else "
             "step(int(gdb.parse_and_eval('*(unsigned *)%d' % e))); "
             "print('chain end 0x%x ' % step(int(gdb.parse_and_eval('$ebp'))))")


def test_stop_in_a_system_call_int80():
    """t_paths calls getpid through syscall_int80() directly: the trap
    frame is the int $0x80 gate's (err 0), and the walk goes on through
    the stub, which keeps no frame pointer, to its caller."""
    needs_programs("t_paths")
    s = run_gdb(["usymbols t_paths", "break sys_getpid if current_thread->tf->err == 0",
                 "continue", "tasks", "ktrace", "p/x current_thread->tf->eip", CHAIN_END],
                cmdline="run=/bin/t_paths", initrd=True)
    s.assert_clean()
    # The kernel's own walk (backtrace.c) ends inside the kernel: alltraps
    # zeroed the user's ebp, so trap()'s saved ebp is 0, not an address
    # in the user's stack, which exit may have unmapped by the time a
    # report walks it.
    assert "chain end 0x0 " in s.of(CHAIN_END), s.of(CHAIN_END)
    user_eip = value(s, "p/x current_thread->tf->eip")
    _, row = row_of(tasks_table(s.of("tasks")), "1 t_paths")
    assert row[4].startswith("system call getpid: running, pc "), row
    out = s.of("ktrace")
    assert ("--- trap: vector 128 (system call), err 0x0, eip 0x%08x, from user mode ---"
            % user_eip) in out, out
    names = frame_names(out)
    assert is_subsequence(["sys_getpid", "trap", "alltraps", "syscall_int80", "check_getpid",
                           "main", "libc_start"], names), out
    assert names[names.index("syscall_int80") + 1] == "check_getpid", out   # its caller
    assert "--- stopped" not in out


def test_processes_blocked_running_and_read_through_their_own_page_tables():
    """/bin/init has started /bin/sh and waits for it; sh reads the
    console. ktrace of init's thread, while sh runs, must read init's user
    stack through init's page directory: sh has other words at the same
    addresses."""
    needs_programs("init", "sh")
    s = run_gdb(["usymbols init", "break sys_read", "continue", "tasks", "ktrace 2",
                 "usymbols", "ktrace", "tasks", "usymbols 1", "usymbols 7", "usymbols nosuch"],
                initrd=True)
    s.assert_clean()
    rows = tasks_table(s.of("tasks", 0))
    tid, (state, name, _, waits, where) = row_of(rows, "1 init")
    assert (tid, state, name, waits) == (2, "blocked", "init", "child")
    assert re.match(r"system call waitpid: proc_waitpid \(kernel/proc/process\.c:\d+\)$", where)
    _, (state, _, _, _, where) = row_of(rows, "2 sh")
    assert state == "running" and where.startswith("system call read: running, pc "), where
    assert ("note: the user symbols loaded are init's: names in other programs (2 sh) are "
            "wrong; `usymbols PID` loads the right ones") in s.of("tasks", 0)
    out = s.of("ktrace 2")
    assert out.startswith("thread 2 'init' (blocked), from its saved context")
    names = frame_names(out)
    assert is_subsequence(["schedule", "proc_waitpid", "sys_waitpid", "sysenter_entry",
                           "sysenter_door", "waitpid", "main", "libc_start"], names), out
    assert names[-1] == "libc_start" and "--- stopped" not in out, out
    m = re.search(r"in main\+0x[0-9a-f]+ \((userland/bin/init\.c:\d+)\)$", out, re.M)
    assert m and "waitpid(" in source_text("(%s)" % m.group(1)), out
    # usymbols with no argument: the running process's program, sh
    assert re.search(r"usymbols: removed the symbols of \S*userland/bin/init\n"
                     r"usymbols: \S*userland/bin/sh: symbols of pid 2's program 'sh'",
                     s.of("usymbols")), s.of("usymbols")
    names = frame_names(s.of("ktrace"))
    assert is_subsequence(["sys_read", "sysenter_door", "read", "main", "libc_start"],
                          names), s.of("ktrace")
    assert "note: the user symbols loaded are sh's: names in other programs (1 init)" \
        in s.of("tasks", 1)
    assert "symbols of pid 1's program 'init'" in s.of("usymbols 1")
    assert "usymbols: no process with pid 7 (pids: 1 2)" in s.of("usymbols 7")
    assert re.search(r"usymbols: no program 'nosuch' in \S*userland/bin", s.of("usymbols nosuch"))


def test_in_the_kernel_for_a_fault_and_on_the_way_in():
    """A write to a copy-on-write page faults in ring 3: the thread is in
    the kernel for a #PF from user mode. And at sysenter_entry's first
    instruction, before syscall_run() sets t->tf, it is just in the kernel."""
    needs_programs("t_cow", "hello")
    s = run_gdb(["usymbols t_cow", "break uvm_resolve_cow", "continue", "tasks", "ktrace"],
                cmdline="run=/bin/t_cow", initrd=True)
    s.assert_clean()
    _, (state, _, _, _, where) = row_of(tasks_table(s.of("tasks")), "1 t_cow")
    assert re.match(r"kernel, #PF page fault from user mode: running, pc 0x[0-9a-f]{8} in "
                    r"uvm_resolve_cow \(kernel/mm/uvm\.c:\d+\)$", where), where
    out = s.of("ktrace")
    assert re.search(r"^--- trap: vector 14 \(#PF page fault\), err 0x7, eip 0x4[0-9a-f]{7}, "
                     r"from user mode ---$", out, re.M), out
    assert frame_names(out)[-2:] == ["main", "libc_start"], out
    s = run_gdb(["break sysenter_entry", "continue", "tasks", "p current_thread->tf == 0"],
                cmdline="run=/bin/hello", initrd=True)
    s.assert_clean()
    assert value(s, "p current_thread->tf == 0") == 1
    _, (state, _, _, _, where) = row_of(tasks_table(s.of("tasks")), "1 hello")
    assert re.match(r"kernel: running, pc 0x[0-9a-f]{8} in sysenter_entry "
                    r"\(kernel/arch/i386/sysenter\.S:\d+\)$", where), where


def test_fork_child_not_started_yet():
    """Right after fork: the child's thread has never run; it will leave
    the kernel through a copy of the parent's trap frame, into the same
    place in the libc's sysenter stub."""
    needs_programs("t_fork")
    s = run_gdb(["usymbols t_fork", "tbreak sys_fork", "continue", "finish", "tasks",
                 "ktrace 3", "p/x current_thread->tf->eip"],
                cmdline="run=/bin/t_fork", initrd=True)
    s.assert_clean()
    eip = value(s, "p/x current_thread->tf->eip")
    rows = tasks_table(s.of("tasks"))
    _, row = row_of(rows, "1 t_fork")
    assert row[4].startswith("system call fork: running, pc "), row
    tid, (state, _, _, _, where) = row_of(rows, "2 t_fork")
    assert tid == 3 and state == "runnable"
    assert where == ("not started yet: enters user mode at 0x%08x in sysenter_door "
                     "(userland/lib/syscall_entry.S:%s)"
                     % (eip, re.search(r"syscall_entry\.S:(\d+)", where).group(1))), where
    out = s.of("ktrace 3")
    assert ("--- trap: vector 128 (system call), err 0x1, eip 0x%08x, from user mode ---"
            % eip) in out, out
    assert frame_names(out) == ["user_entry", "sysenter_door", "fork", "main", "libc_start"]


def test_preempted_in_user_mode():
    """t_fpu: parent and child compute in ring 3 at the same time. Stop
    when the timer has taken the CPU from the child in ring 3 while the
    parent, too, waits preempted in ring 3."""
    needs_programs("t_fpu")
    child, parent = "current_thread", PROC_THREAD % "current_thread->proc->parent"
    cond = ("current_thread->proc != 0 && current_thread->proc->pid == 3 && "
            "%s->vector == 32 && %s->vector == 32" % (TOP % child, TOP % parent))
    s = run_gdb(["usymbols t_fpu", "break schedule if " + cond, "continue", "tasks",
                 "ktrace 2", "p/x %s->eip" % (TOP % parent)],
                cmdline="run=/bin/t_fpu", initrd=True)
    s.assert_clean()
    rows = tasks_table(s.of("tasks"))
    _, (state, _, _, _, where) = row_of(rows, "3 t_fpu")
    assert state == "runnable"          # on its way to the back of the run queue
    assert re.match(r"kernel, irq 0 from user mode: running, pc 0x[0-9a-f]{8} in schedule "
                    r"\(kernel/proc/sched\.c:\d+\)$", where), where
    tid, (state, _, _, _, where) = row_of(rows, "1 t_fpu")
    assert tid == 2 and state == "runnable"
    assert re.match(r"user mode: \w+(\.\w+)* \(userland/tests/t_fpu\.c:\d+\), interrupted by "
                    r"irq 0$", where), where
    eip = value(s, "p/x %s->eip" % (TOP % parent))
    out = s.of("ktrace 2")
    assert ("--- trap: vector 32 (irq 0), err 0x0, eip 0x%08x, from user mode ---" % eip) in out
    names = frame_names(out)
    assert names[-2:] == ["main", "libc_start"] and "--- stopped" not in out, out


def test_usymbols_without_a_target(tmp_path):
    """usymbols PROGRAM needs no kernel running; it looks beside the kernel
    file first, keeps one program's symbols at a time, and says what is
    wrong instead of failing with a traceback."""
    needs_programs("hello", "sh")
    bindir = os.path.join(os.path.dirname(kernel_path()), "userland", "bin")
    own = tmp_path / "userland" / "bin"
    own.mkdir(parents=True)
    shutil.copy(os.path.join(bindir, "hello"), str(own / "hello"))
    kernel = str(tmp_path / "kernel.elf")
    shutil.copy(kernel_path(), kernel)
    sh = os.path.relpath(os.path.join(bindir, "sh"), os.path.dirname(os.path.dirname(
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))))))
    s = run_gdb(["usymbols hello", "usymbols /bin/hello", "usymbols " + sh, "break main",
                 "python import tpgdb.usersyms as u; print(len(u.loaded_programs()))",
                 "usymbols", "usymbols 1", "usymbols a b"], kernel=kernel, start=False)
    s.assert_clean()
    assert "%s: symbols of the program 'hello'" % (own / "hello") in s.of("usymbols hello")
    assert "already loaded" in s.of("usymbols /bin/hello")
    out = s.of("usymbols " + sh)
    assert "usymbols: removed the symbols of %s" % (own / "hello") in out
    assert "symbols of the file 'sh'" in out
    assert re.match(r"Breakpoint 1 at 0x4000[0-9a-f]{4}: file userland/bin/sh\.c", s.of("break main"))
    assert s.of("python import tpgdb.usersyms as u; print(len(u.loaded_programs()))").strip() == "1"
    assert "usymbols: no kernel to look at: GDB is not connected" in s.of("usymbols")
    assert "usymbols: no kernel to look at" in s.of("usymbols 1")
    assert "usage: usymbols [PID | PROGRAM]" in s.of("usymbols a b")


def test_tidepool_start_initrd(tmp_path):
    """--initrd: the initrd beside the kernel file, or --initrd=FILE; a
    kernel without one beside it gets a message, not a QEMU error."""
    needs_programs("hello")
    kernel = str(tmp_path / "kernel.elf")
    shutil.copy(kernel_path(), kernel)
    initrd = os.path.join(os.path.dirname(kernel_path()), "initrd.cpio")
    s = run_gdb(["tidepool-start --console=null --initrd run=/bin/hello",
                 "tidepool-start --console=null --initrd=%s run=/bin/hello" % initrd,
                 "break sys_getpid", "continue", "p current_thread->proc->name", "kill"],
                kernel=kernel, start=False)
    s.assert_clean()
    assert ("tidepool-start: no initrd beside the kernel (%s): `make` builds it from lab 4 on"
            % (tmp_path / "initrd.cpio")) in s.of("tidepool-start --console=null --initrd "
                                                  "run=/bin/hello")
    assert s.of("p current_thread->proc->name").strip().startswith('$1 = "hello\\000')
