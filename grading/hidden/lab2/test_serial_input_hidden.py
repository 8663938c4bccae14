"""Lab 2, hidden: typed input while the monitor is busy is kept, oldest first.

Instructors only (never in a handout). The public test types 100
characters at a monitor that is waiting for them. Here the monitor is
asleep ('sleep 150', 1.5 s) while more than the console's 256-byte input
ring arrives: a command line first, then 300 more characters. The serial
interrupt must keep filling the ring while the monitor sleeps, and a full
ring must drop the newest bytes, never the unread ones: the command typed
first still runs when the monitor wakes up. Then the monitor must still
answer (its line buffer stays bounded).

Try it with:  make qemu, then paste a long line right after 'sleep 300'.
"""

import pytest

pytestmark = pytest.mark.lab(2)

SLEEP = "sleep 150"        # 1.5 s at the default 100 Hz
FIRST = "echo first"
FLOOD = "x" * 300
RING = 256                 # kernel/console.c input_storage


@pytest.mark.points(2)
def test_input_kept_while_monitor_sleeps(console):
    """A command typed during 'sleep', then 300 more bytes: the command still runs, the monitor still answers"""
    c = console()
    c.expect_prompt()
    burst = FIRST + "\r" + FLOOD + "\r"
    # One write: the monitor reads 'sleep 150' and sleeps; the rest arrives
    # by interrupt while it sleeps (more than the ring holds).
    c.send(SLEEP + "\r" + burst)
    c.expect(r"\r\nfirst\r\n",
             what=f"the line 'first' (the output of {FIRST!r}, typed while {SLEEP!r} ran "
                  f"and followed by {len(FLOOD)} more characters: {len(burst)} bytes for a "
                  f"{RING}-byte input ring, which, when full, must drop the newest bytes, "
                  f"never the oldest unread ones)")
    # Then the monitor reads the flood (its line buffer keeps the first 127
    # characters). Type more only once it has taken 100 of them out of the
    # ring, so that what comes next surely fits.
    c.expect(r"K> x{100}",
             what="the prompt and the echo of the flood of x's that followed 'echo first' "
                  "(the monitor must go on reading after a full ring)")
    # The flood's Enter may have been dropped with the bytes that did not fit:
    # end that line, then one more command (output matched, not prompts: the
    # prompts of the lines before may still be on their way).
    c.sendline("")
    c.sendline("echo second")
    c.expect(r"\r\nsecond\r\n",
             what="the output 'second' of 'echo second', typed after the flood: the monitor "
                  "must go on answering (and its line buffer must stay bounded)")
