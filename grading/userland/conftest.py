"""Fixtures of the ungraded userland tests in QEMU (issue 12; `make
test-userland-qemu`, a make-check part): the grader's (kernel, initrd,
timeouts, boot, console: grading/tidepool/fixtures.py, loaded by
grading/conftest.py) and

    shell()   -> Shell: QEMU booted with the initrd and no command line
                 (what `make qemu` does), init started /bin/sh, its first
                 '$ ' prompt seen

Every wait is for text on the console, bounded by a timeout scaled to the
machine; nothing sleeps.
"""

import re

import pytest

from tidepool.errors import fail, indent

PROMPT = "$ "
CTRL_C = "\x03"


class Shell:
    """A console session at the shell's prompt.

    run(line) types a line, waits for the next prompt and returns what was
    printed in between, without the kernel's echo of the line; every
    command waits for the prompt first, so no typing runs ahead of the
    shell.
    """

    def __init__(self, session, timeouts):
        self.c = session
        self.timeouts = timeouts

    def scaled(self, base):
        return self.timeouts.timeout(base)

    def expect(self, pattern, base=None, what=None):
        t = self.scaled(base) if base is not None else None
        return self.c.expect(pattern, timeout=t, what=what)

    def wait_prompt(self, base=None, after=""):
        t = self.scaled(base) if base is not None else None
        self.c.expect_exact(PROMPT, timeout=t,
                            what=f"the shell's prompt {PROMPT!r}{after}")

    def output(self, line):
        """What came before the prompt just matched, less the echoed line."""
        before = (self.c.child.before or "").replace("\r\n", "\n").replace("\r", "\n")
        first, sep, rest = before.partition("\n")
        if sep and first.strip() == line.strip():
            return rest
        return before

    def run(self, line, base=None):
        self.c.sendline(line)
        self.wait_prompt(base, after=f" after the command {line!r}")
        return self.output(line)

    def lines(self, line, base=None):
        return [ln.rstrip() for ln in self.run(line, base).split("\n") if ln.strip()]

    def status(self):
        """$? of the last command, as the shell reports it."""
        out = self.lines("echo $?")
        if len(out) != 1 or not re.fullmatch(r"\d+", out[0]):
            fail("expected `echo $?` to print one number; it printed:\n" + indent(out))
        return int(out[0])

    def interrupt_until_prompt(self, what, tries=8, base=1.0):
        """Ctrl-C until the prompt comes back (at most `tries`, each waiting
        a scaled `base` seconds): a Ctrl-C typed before the shell has made
        the command the foreground group goes to the shell, which ignores
        it; the host cannot see that moment, so it types Ctrl-C again."""
        import pexpect

        for _ in range(tries):
            self.c.send(CTRL_C)
            try:
                self.c.child.expect_exact(PROMPT, timeout=self.scaled(base))
                return
            except pexpect.TIMEOUT:
                continue
        fail(f"expected the prompt back after Ctrl-C ({what}); {tries} Ctrl-C were typed; "
             "the last console lines were:\n" + indent(self.c.last_lines()))


@pytest.fixture
def shell(console, initrd, timeouts):
    def _shell(memory=128):
        c = console(initrd=[str(initrd)], memory=memory)
        sh = Shell(c, timeouts)
        sh.wait_prompt(base=20.0, after=" (make qemu with no command line: init starts sh)")
        return sh
    return _shell
