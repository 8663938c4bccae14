"""The console as a user meets it: the line discipline and Ctrl-C (issue 12).

Not graded (no lab): `make test-userland-qemu` runs these, and `make check`
with it. Each test boots /bin/t_tty as process 1 (run=) and types on the
serial console; t_tty (userland/tests/t_tty.c) prints what read() gave it
or how its foreground child ended. Try one yourself:
    make qemu CMDLINE="run=/bin/t_tty lines"
"""

import re

from tidepool.errors import fail
from tidepool.sanitizers import kernel_checkers

# What the kernel's one-line note says when the program run= started ends.
EXIT_OK = r"run: /bin/t_tty exited with status 0"
TP_PROC_MAX = 64        # kernel/abi/rlimit.h


def t_tty(console, initrd, mode):
    c = console(f"run=/bin/t_tty {mode}", initrd=[str(initrd)])
    return c


def type_keys(c, keys, echo):
    """Type keys one at a time; after all, the console shows echo."""
    for k in keys:
        c.send(k)
    if echo:
        c.expect_exact(echo, what=f"the echo {echo!r} after typing {keys!r}")


def test_erase_kill_and_end_of_input(console, initrd):
    """Backspace, DEL and Ctrl-U edit the line; Ctrl-D pushes a partial line, then EOF"""
    c = t_tty(console, initrd, "lines")
    c.expect_exact("t_tty: reading lines", what="t_tty's greeting")
    type_keys(c, "abc\b", "abc\b \b")
    type_keys(c, "d\r", None)
    c.expect_exact(r"got 4: abd\n", what="the line with the backspace applied ('abd')")
    type_keys(c, "xy\x7fz\r", None)
    c.expect_exact(r"got 3: xz\n", what="the line with DEL applied ('xz')")
    type_keys(c, "wrong", "wrong")
    type_keys(c, "\x15", "\b \b" * 5)
    type_keys(c, "right\r", None)
    c.expect_exact(r"got 6: right\n", what="only 'right': Ctrl-U erased 'wrong'")
    type_keys(c, "\x01q\r", "^Aq")
    c.expect_exact(r"got 3: \x01q\n", what="a control character kept in the line, echoed as ^A")
    type_keys(c, "par\x04", None)
    c.expect_exact("got 3: par", what="Ctrl-D after text: the partial line, no newline")
    # Two lines typed at once: each read returns one.
    type_keys(c, "one\rtwo\r", None)
    c.expect_exact(r"got 4: one\n", what="the first of two lines typed at once")
    c.expect_exact(r"got 4: two\n", what="the second line, on the next read")
    type_keys(c, "\x04", None)
    c.expect_exact("got EOF", what="read() returning 0 after Ctrl-D on an empty line")
    c.expect(EXIT_OK, what="t_tty exiting 0 at the end of input")


def ctrl_c_ends_child(console, initrd, mode, before=None):
    c = t_tty(console, initrd, mode)
    c.expect_exact("child ready", what=f"the {mode} child's 'child ready'")
    if before is not None:
        before(c)
    c.send("\x03")
    c.expect_exact("^C", what="the echo ^C of Ctrl-C")
    c.expect_exact("child: killed by signal 2",
                   what=f"the foreground child ({mode}) killed by SIGINT")
    m = c.expect(r"reaped (\d+), free frames (-?\d+)", what="the parent's count of what it reaped")
    c.expect(EXIT_OK, what="the parent (not in the foreground group) surviving Ctrl-C")
    return c, int(m.group(1)), int(m.group(2))


def test_ctrl_c_ends_a_reader(console, initrd, kernel):
    """Ctrl-C ends the foreground group's child blocked in read(); the parent lives"""
    _, reaped, frames = ctrl_c_ends_child(console, initrd, "read")
    if "KASAN" in kernel_checkers(str(kernel)):
        # KASAN's quarantine keeps freed blocks, so the heap may take a
        # new page (and shadow for it) where the plain kernel reuses one:
        # the frame count is compared on the plain kernel (make check
        # runs both), the memory errors on this one.
        frames = 0
    if reaped != 0 or frames != 0:
        fail(f"after the child: {reaped} orphans reaped (expected 0), free frames changed "
             f"by {frames} (expected 0)")


def test_ctrl_c_ends_a_spinner_and_echo_is_immediate(console, initrd):
    """While the child spins, typed text echoes at once; Ctrl-C ends the child"""
    def type_while_spinning(c):
        type_keys(c, "typed", "typed")
    ctrl_c_ends_child(console, initrd, "spin", type_while_spinning)


def ctrl_c_ends_bomb(c, round):
    c.expect_exact("child ready", what=f"the bomb's 'child ready' (round {round})")
    c.expect_exact("bomb: limit reached", what=f"the bomb reaching the process limit (round {round})")
    c.send("\x03")
    c.expect_exact("^C", what="the echo ^C of Ctrl-C")
    c.expect_exact("child: killed by signal 2", what=f"the bomb's first process killed by SIGINT (round {round})")
    m = c.expect(r"reaped (\d+), free frames (-?\d+)", what="the parent's count of what it reaped")
    reaped, frames = int(m.group(1)), int(m.group(2))
    if reaped != TP_PROC_MAX - 2:
        fail(f"init (t_tty) reaped {reaped} orphans of the bomb in round {round}, expected "
             f"{TP_PROC_MAX - 2} (the limit, less init and the bomb's first process)")
    return frames


def test_ctrl_c_ends_a_fork_bomb(console, initrd):
    """A fork bomb hits TP_PROC_MAX (EAGAIN); Ctrl-C ends all of it; the second time no frame leaks"""
    c = t_tty(console, initrd, "bomb")
    ctrl_c_ends_bomb(c, 1)      # the warm-up: the kernel heap grows for 64 processes
    frames = ctrl_c_ends_bomb(c, 2)
    c.expect(EXIT_OK, what="the parent (not in the foreground group) surviving both bombs")
    if frames != 0:
        fail(f"free frames changed by {frames} across the second bomb, expected 0")
