"""In-kernel test groups: boot with ``test=GLOB``, parse KTAP, resume after crashes.

One :func:`run_group` call boots the kernel with ``test=GLOB`` and reads the
KTAP it writes on COM2. When the boot ends before the plan is complete, the
grader decides whom to blame and boots again with ``ktest_skip=K``:

* a ``# running NAME`` line without a result: NAME (case last+1) crashed,
  hung or flooded; it fails with that reason and the last console lines;
  the next boot skips it (``ktest_skip=last+1``);
* otherwise, if this boot reported new results, it died after its last
  reported case (e.g. a panic inside a case prints ``# panic:`` and
  ``not ok K``); the next boot resumes after it (``ktest_skip=K``);
* otherwise (no progress at all) case skip+1 is blamed under the name
  ``#N`` and skipped.

Every boot therefore makes progress, and the number of boots is bounded by
``max_boots``; cases never reached are reported as not run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence

import re

from . import ktap, reportwatch, sanitizers
from .errors import fail, indent, quote_lines
from .qemu import FLOODED, HUNG, SUCCESS, Machine, RunResult, run

DEFAULT_MAX_BOOTS = 10
# The console line ktest.c prints after each case (KTAP itself is on COM2).
CASE_DONE_RE = re.compile(r"^ktest: (?:ok|NOT OK) (\S+)")


def case_console(console: str, name: str) -> str:
    """The console lines printed while case name ran: after the previous
    case's 'ktest: ok|NOT OK' line, up to its own (to the end of the
    console if it has none: it was running when the boot ended)."""
    lines = console.split("\n")
    start = 0
    for i, line in enumerate(lines):
        m = CASE_DONE_RE.match(line)
        if m is None:
            continue
        if m.group(1) == name:
            return "\n".join(lines[start:i + 1])
        start = i + 1
    return "\n".join(lines[start:])


@dataclass
class CaseOutcome:
    name: str
    number: int
    status: str  # pass, fail, skip, xfail, crash, hung, flooded
    diagnostics: List[str] = field(default_factory=list)
    reason: str = ""  # SKIP reason, or how the case ended the boot
    boot: int = 0  # index into GroupRun.boots
    ended_boot: bool = False  # the boot ended during or right after this case

    @property
    def passed(self) -> bool:
        return self.status == "pass"


@dataclass
class GroupRun:
    glob: str
    plan: Optional[int] = None
    cases: Dict[str, CaseOutcome] = field(default_factory=dict)
    boots: List[RunResult] = field(default_factory=list)
    documents: List[ktap.Document] = field(default_factory=list)
    problems: List[str] = field(default_factory=list)
    stopped: Optional[str] = None  # why cases were left unrun, if they were

    @property
    def complete(self) -> bool:
        return self.plan is not None and self.stopped is None and all(
            n in {c.number for c in self.cases.values()} for n in range(1, self.plan + 1)
        )

    def outcomes(self) -> List[CaseOutcome]:
        return sorted(self.cases.values(), key=lambda c: c.number)

    def case(self, name: str) -> Optional[CaseOutcome]:
        return self.cases.get(name)

    def _cmdline(self, boot: int) -> str:
        return self.boots[boot].machine.cmdline

    def _record(self, boots=None) -> None:
        for i in (range(len(self.boots)) if boots is None else boots):
            self.boots[i].record()

    def expect_pass(self, name: str, allow_skip: bool = False) -> CaseOutcome:
        """Fail the calling test unless in-kernel case name passed."""
        c = self.cases.get(name)
        if c is None:
            fail(self._missing_message(name))
        self._record([c.boot])
        boot = self.boots[c.boot]
        where = f"booted with cmdline {self._cmdline(c.boot)!r}"
        checked = self._checker_reports(c)
        if checked and c.status in ("pass", "skip"):
            fail(f"in-kernel test {name} {'passed' if c.status == 'pass' else 'was skipped'}, "
                 f"but " + checked)
        if c.status == "pass":
            return c
        if c.status == "skip":
            if allow_skip:
                return c
            fail(f"in-kernel test {name} was skipped by the kernel "
                 f"({c.reason or 'no reason given'}), but it must run and pass ({where})")
        if c.status in ("fail", "xfail"):
            msg = f"in-kernel test {name} failed (KTAP 'not ok {c.number} {name}', {where})"
            msg += ":\n" + indent(c.diagnostics) if c.diagnostics else \
                "; it printed no diagnostics"
            if c.ended_boot:
                msg += "\nthen " + boot.report()
            if checked:
                msg += "\nand " + checked
            fail(msg)
        # crash / hung / flooded
        msg = (f"in-kernel test {name} did not finish: {c.reason} while it was running "
               f"({where})")
        if c.number < (self.plan or 0):
            msg += (f"; the grader booted again with ktest_skip={c.number} "
                    f"for the remaining cases")
        if c.diagnostics:
            msg += "\nKTAP diagnostics it printed:\n" + indent(c.diagnostics)
        msg += "\n" + quote_lines(boot.last_lines())
        if checked:
            msg += "\nand " + checked
        fail(msg)

    def _checker_reports(self, c: CaseOutcome) -> str:
        """The failure text for checker reports printed while case c ran, or "".

        The group's boots are shared by every test of the group, so only the
        case whose console lines hold a report answers for it."""
        boot = self.boots[c.boot]
        reports = reportwatch.unexpected(sanitizers.parse(case_console(boot.console, c.name)))
        if not reports:
            return ""
        m = boot.machine
        return sanitizers.failure_message(reports, m.kernel, m.cmdline, m.smp)

    def _missing_message(self, name: str) -> str:
        # Record the one boot the message is about (the reproduce line).
        reported = ", ".join(c.name for c in self.outcomes()) or "none"
        if self.stopped:
            last = self.boots[-1] if self.boots else None
            if last is not None:
                self._record([len(self.boots) - 1])
            msg = (f"in-kernel test {name} has no result: {self.stopped} "
                   f"(test={self.glob}); cases with a result: {reported}")
            if last is not None:
                msg += "\n" + last.report()
            return msg
        unnamed = [c for c in self.outcomes() if c.name.startswith("#")]
        if unnamed:
            self._record([unnamed[0].boot])
            return (f"in-kernel test {name} has no result: the kernel crashed at case(s) "
                    f"{', '.join(c.name for c in unnamed)} before naming them "
                    f"(no '# running' line); cases with a result: {reported}\n"
                    + self.boots[unnamed[0].boot].report())
        if self.boots:
            self._record([0])  # the first boot printed the plan and the names
        return (f"no in-kernel test case named {name} matched test={self.glob}; "
                f"the kernel reported: {reported}"
                + (f"\nproblems: {'; '.join(self.problems)}" if self.problems else ""))


Runner = Callable[[Machine, float], RunResult]


def _crash_status(kind: str) -> str:
    return {HUNG: "hung", FLOODED: "flooded"}.get(kind, "crash")


def run_group(machine: Machine, glob: str, timeout: float,
              max_boots: int = DEFAULT_MAX_BOOTS, runner: Optional[Runner] = None,
              extra_cmdline: str = "") -> GroupRun:
    """Run every in-kernel case matching glob, rebooting after crashes."""
    runner = runner or (lambda m, t: run(m, t, record=False))
    group = GroupRun(glob=glob)
    skip = 0
    while True:
        if len(group.boots) >= max_boots:
            group.stopped = (f"the grader gave up after {max_boots} boots "
                             f"(too many crashing cases)")
            break
        cmdline = f"test={glob}" + (f" ktest_skip={skip}" if skip else "")
        if extra_cmdline:
            cmdline += " " + extra_cmdline
        boot = runner(machine.replace(cmdline=cmdline), timeout)
        group.boots.append(boot)
        index = len(group.boots) - 1
        doc = ktap.parse(boot.com2)
        group.documents.append(doc)
        for err in doc.errors:
            group.problems.append(f"boot {index + 1}: KTAP {err}")

        if doc.plan is None:
            group.stopped = (
                ("the kernel printed no KTAP plan" if skip == 0 else
                 f"after rebooting with ktest_skip={skip} the kernel printed no KTAP plan")
                + f" ({boot.describe()})")
            break
        if doc.bail_out is not None:
            # The kernel gave up before its cases (ktest.c: a CPU that
            # smp_expect names did not start): every case fails, saying why.
            group.stopped = f"the kernel bailed out: {doc.bail_out} ({boot.describe()})"
            break
        if group.plan is None:
            group.plan = doc.plan
        elif doc.plan != group.plan:
            group.problems.append(f"the plan changed from 1..{group.plan} to "
                                  f"1..{doc.plan} between boots")

        new = []
        for res in doc.results:
            if res.number <= skip:
                group.problems.append(f"case {res.number} ({res.name}) ran although "
                                      f"ktest_skip={skip} should have skipped it")
                continue
            if res.name in group.cases:
                group.problems.append(f"case {res.name} reported twice")
            group.cases[res.name] = CaseOutcome(
                name=res.name, number=res.number, status=res.status,
                diagnostics=list(res.diagnostics), reason=res.reason, boot=index)
            new.append(res)
        last = max((r.number for r in new), default=skip)
        plan = group.plan

        if last >= plan and doc.unfinished is None:
            if boot.kind != SUCCESS:
                group.problems.append(f"after its last case the kernel did not exit cleanly: "
                                      f"{boot.describe()}")
            break

        unfinished = doc.unfinished
        if unfinished is not None and unfinished not in group.cases:
            group.cases[unfinished] = CaseOutcome(
                name=unfinished, number=last + 1, status=_crash_status(boot.kind),
                diagnostics=list(doc.trailing_diagnostics), reason=boot.describe(),
                boot=index, ended_boot=True)
            skip = last + 1
        elif new:
            # The boot died after reporting its last case (a panic inside a
            # case reports 'not ok' first): resume right after it.
            ended = group.cases[new[-1].name]
            ended.ended_boot = True
            if boot.kind == SUCCESS:
                group.problems.append(f"the kernel exited after case {last} of {plan} "
                                      f"without finishing the plan")
            elif ended.status == "pass":
                group.problems.append(f"after case {last} ({ended.name}) passed, "
                                      f"{boot.describe()}")
            skip = last
        else:
            # No progress in this boot: blame the next case to guarantee it.
            number = skip + 1
            name = f"#{number}"
            group.cases[name] = CaseOutcome(
                name=name, number=number, status=_crash_status(boot.kind),
                diagnostics=list(doc.trailing_diagnostics), reason=boot.describe(),
                boot=index, ended_boot=True)
            skip = number
        if skip >= plan:
            break
    return group


class KtestRunner:
    """Session cache: each glob boots (and resumes) once per pytest process."""

    def __init__(self, machine: Machine, timeout: float,
                 max_boots: int = DEFAULT_MAX_BOOTS, runner: Optional[Runner] = None,
                 extra_cmdline: str = ""):
        self.machine = machine
        self.timeout = timeout
        self.max_boots = max_boots
        self.runner = runner
        self.extra_cmdline = extra_cmdline   # added after test=GLOB
        self._groups: Dict[str, GroupRun] = {}

    def derive(self, extra_args: Optional[Sequence[str]] = None,
               extra_cmdline: str = "") -> "KtestRunner":
        """A runner for the same kernel with QEMU's extra_args replaced (if
        given) and extra_cmdline added after this runner's own (which
        carries work_div=10 on a KASAN kernel: fixtures.py)."""
        machine = self.machine if extra_args is None else self.machine.replace(
            extra_args=tuple(extra_args))
        cmdline = " ".join(c for c in (self.extra_cmdline, extra_cmdline) if c)
        return KtestRunner(machine, self.timeout, self.max_boots, self.runner, cmdline)

    def run(self, glob: str) -> GroupRun:
        if glob not in self._groups:
            self._groups[glob] = run_group(self.machine, glob, self.timeout,
                                           self.max_boots, self.runner, self.extra_cmdline)
        return self._groups[glob]

    @staticmethod
    def default_glob(name: str) -> str:
        suite = name.split(".", 1)[0]
        return f"{suite}.*" if "." in name else name

    def case(self, name: str, glob: Optional[str] = None) -> Optional[CaseOutcome]:
        return self.run(glob or self.default_glob(name)).case(name)

    def expect_pass(self, name: str, glob: Optional[str] = None,
                    allow_skip: bool = False) -> CaseOutcome:
        """Fail unless case 'suite.case' passed; boots 'suite.*' once per session."""
        return self.run(glob or self.default_glob(name)).expect_pass(name, allow_skip)
