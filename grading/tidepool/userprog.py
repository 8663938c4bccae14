"""Running one user program (lab 4 on) and reading what it reports.

The kernel boots with ``run=PROG ARGS...`` and the initrd: PROG runs as
process 1, and when it ends the kernel prints one line and exits QEMU:

    run: /bin/t_fork exited with status 0
    run: /bin/crashme was killed by signal 11

Test programs print KTAP on stdout (the console); the kernel's own lines
(``[pid 3 crashme] killed: ...``) are mixed in and ignored by the parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Sequence

from . import ktap
from .errors import fail, indent

EXIT_RE = re.compile(r"^run: (\S+) (?:exited with status (\d+)|was killed by signal (\d+))\s*$")


@dataclass
class UserRun:
    argv: Sequence[str]
    result: object  # qemu.RunResult

    @property
    def lines(self):
        return [ln.rstrip("\r") for ln in self.result.console.split("\n")]

    def exit(self):
        """("exit", code) or ("signal", n), or None if the line is missing."""
        for line in self.lines:
            m = EXIT_RE.match(line)
            if m:
                return ("exit", int(m.group(2))) if m.group(2) else ("signal", int(m.group(3)))
        return None

    def ktap(self) -> ktap.Document:
        lines = self.lines
        start = next((i for i, ln in enumerate(lines) if ln.startswith("KTAP version")), None)
        return ktap.parse("\n".join(lines[start:] if start is not None else []))

    def tail(self, n: int = 25) -> str:
        return indent([ln for ln in self.lines if ln.strip()][-n:])

    def expect_exit(self, code: int = 0) -> None:
        got = self.exit()
        if got != ("exit", code):
            said = ("no 'run: ... exited' line (the kernel did not finish the program; "
                    f"{self.result.describe()})" if got is None else
                    f"it {'exited with status %d' % got[1] if got[0] == 'exit' else 'was killed by signal %d' % got[1]}")
            fail(f"expected {' '.join(self.argv)} to exit with status {code}, but {said}; "
                 f"the last console lines were:\n" + self.tail())

    def expect_all_pass(self) -> None:
        """Every KTAP case the program planned passed, and it exited 0."""
        doc = self.ktap()
        name = " ".join(self.argv)
        if doc.plan is None:
            fail(f"{name} printed no KTAP plan; the last console lines were:\n" + self.tail())
        bad = [r for r in doc.results if r.failed]
        if bad:
            report = []
            for r in bad:
                report.append(f"not ok {r.number} {r.name}")
                report += [f"    {d}" for d in r.diagnostics]
            fail(f"{name}: {len(bad)} of {doc.plan} cases failed:\n" + indent(report))
        if len(doc.results) < doc.plan:
            fail(f"{name} reported {len(doc.results)} of {doc.plan} cases before it ended; "
                 f"the last console lines were:\n" + self.tail())
        self.expect_exit(0)

    def expect_last_case(self, last: str, at_least: int) -> None:
        """At least `at_least` cases before the final check `last`, which
        passed (a program that checks for leaks after its cases)."""
        doc = self.ktap()
        cases = len(doc.results) - 1
        if cases < at_least:
            fail(f"expected at least {at_least} cases and then {last}; {' '.join(self.argv)} "
                 f"planned {doc.plan} and reported {len(doc.results)}")
        final = doc.results[-1]
        if final.name != last or final.failed:
            fail(f"expected the last case to be 'ok ... {last}', got "
                 f"{'not ok' if final.failed else 'ok'} {final.number} {final.name}")


def run_program(boot, initrd, argv: Sequence[str], timeout: Optional[float] = None,
                **opts) -> UserRun:
    cmdline = "run=" + " ".join(argv)
    kwargs = {"initrd": [str(initrd)], **opts}
    if timeout is not None:
        kwargs["timeout"] = timeout
    return UserRun(argv, boot(cmdline, **kwargs))
