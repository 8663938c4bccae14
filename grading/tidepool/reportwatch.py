"""Which consoles the running test saw, so that a checker report fails it.

A test on a checked kernel (make grade KASAN=1, make check's sanitized
pass) must fail when the kernel reports a bug, even if every expectation
the test wrote passed: the report is the bug. Each boot helper
(qemu.run, ConsoleSession, gdb.run_gdb, the lab-6 guest) hands what it
started to :func:`watch`; after the test's body the plugin asks
:func:`take_unclaimed` for reports nobody looked at and fails the test
with them (tidepool.plugin). A test that provokes reports on purpose (the
checkers' own tests, grading/safety/) reads ``result.reports``, which
claims them (:func:`claim`), or carries ``@pytest.mark.sanitizer_reports``.

A source is any object with ``console`` (COM1 text so far) and
``machine`` (tidepool.qemu.Machine). A source can outlive a test (a
module's booted guest): each remembers how many of its reports were
already claimed or blamed, so a report fails only the test during which
it appeared. In-kernel groups (tidepool.ktest) are not watched here:
their boots are shared by many tests, and GroupRun.expect_pass blames
the one case whose console lines hold the report.

Like tidepool.runlog, the list is per process (each xdist worker) and
per running test.
"""

from __future__ import annotations

from typing import List, Optional, Tuple

from . import sanitizers

_current: Optional[list] = None
_always: list = []  # sources that outlive a test (keep_watching)


ALL = "all"
_allowed = None  # what the running test provokes on purpose: None, ALL, or a set of kinds


def begin(allowed=None) -> None:
    """A test starts. allowed: the reports it provokes on purpose (ALL, or
    kinds such as 'null-dereference' or 'KASAN:use-after-free')."""
    global _current, _allowed
    _current = []
    _allowed = allowed


def end() -> None:
    global _current, _allowed
    _current = None
    _allowed = None


def unexpected(reports):
    """reports without those the running test provokes on purpose."""
    if _allowed == ALL:
        return []
    if not _allowed:
        return list(reports)
    return [r for r in reports
            if r.kind not in _allowed and f"{r.checker}:{r.kind}" not in _allowed]


def watch(source) -> None:
    """Look at source's console when the running test ends (no-op outside a test)."""
    if _current is not None and not any(s is source for s in _current):
        _current.append(source)


def keep_watching(source) -> None:
    """Watch source during every test from now on (a module's booted guest)."""
    if not any(s is source for s in _always):
        _always.append(source)


def stop_watching(source) -> None:
    _always[:] = [s for s in _always if s is not source]


def _seen(source) -> int:
    return getattr(source, "_sanitizer_seen", 0)


def claim(source) -> List[sanitizers.Report]:
    """All of source's reports; the caller takes charge of them (no failure)."""
    reports = sanitizers.parse(source.console)
    source._sanitizer_seen = len(reports)
    return reports


def take_unclaimed() -> List[Tuple[object, List[sanitizers.Report]]]:
    """(source, new reports) for each watched source with reports nobody
    claimed since the last call; they count as seen from now on."""
    found = []
    sources = list(_current or ()) + [s for s in _always
                                      if not any(s is c for c in _current or ())]
    for source in sources:
        try:
            console = source.console
        except Exception:  # a source that cannot say any more (closed early)
            continue
        reports = sanitizers.parse(console)
        new = unexpected(reports[_seen(source):])
        source._sanitizer_seen = len(reports)
        if new:
            found.append((source, new))
    return found


def failure_text(found) -> str:
    """The failure message for take_unclaimed()'s result."""
    parts = []
    for source, reports in found:
        machine = source.machine
        parts.append(sanitizers.failure_message(reports, machine.kernel, machine.cmdline,
                                                machine.smp))
    return "\n\n".join(parts)
