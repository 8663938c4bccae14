"""KTAP version 1 parser (the Linux kernel's TAP dialect).

Handles what the Tidepool kernel writes on COM2 (see docs/protocol.md) and
the general KTAP forms around it:

* ``KTAP version 1`` / ``TAP version 13|14`` headers, plan ``1..N``;
* ``ok N name``, ``not ok N name``, optional ``-`` after the number, and
  directives ``# SKIP reason``, ``# TODO``, ``# XFAIL``, ``# TIMEOUT``,
  ``# ERROR`` (``\\#`` escapes a literal ``#`` in a name);
* diagnostic lines ``# ...``: attached to the *following* result line of the
  same level (KTAP convention); diagnostics after the last result are kept in
  ``trailing_diagnostics`` (a crash usually leaves some there);
* ``# running NAME`` (Tidepool): recorded, not a diagnostic; a ``running``
  line without a result line for NAME means the case never finished;
* nested subtests: a block indented deeper than its parent (4 spaces in
  KTAP), optionally with ``# Subtest: NAME``; the block belongs to the next
  result line of the parent level;
* ``Bail out! reason``;
* truncation: a missing plan, fewer results than the plan, or an unfinished
  ``running`` case.

Nothing here raises on malformed input: problems go to ``errors`` and
unrecognised lines to ``unknown``, because the input comes from a student's
kernel and must always produce a readable report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Dict, Iterator, List, Optional

DIRECTIVES = ("SKIP", "TODO", "XFAIL", "TIMEOUT", "ERROR")

_VERSION_RE = re.compile(r"^(KTAP|TAP) version (\d+)$")
_PLAN_RE = re.compile(r"^1\.\.(\d+)(?:\s*#\s*(.*))?$")
_RESULT_RE = re.compile(r"^(not ok|ok)\b\s*(\d+)?(?:\s+-)?(?:\s+(.*))?$")
_BAIL_RE = re.compile(r"^Bail out!\s*(.*)$")
_RUNNING_RE = re.compile(r"^#\s*running\s+(\S+)\s*$")
_SUBTEST_RE = re.compile(r"^#\s*Subtest:\s*(.*)$")
_UNESCAPED_HASH_RE = re.compile(r"(?<!\\)#")


@dataclass
class Result:
    """One ``ok``/``not ok`` line with what belongs to it."""

    number: int
    name: str
    ok: bool
    directive: Optional[str] = None  # one of DIRECTIVES, upper case
    reason: str = ""  # text after the directive
    diagnostics: List[str] = field(default_factory=list)  # '# ' stripped
    subtests: Optional["Document"] = None
    line: int = 0  # 1-based line number in the input

    @property
    def skipped(self) -> bool:
        return self.directive == "SKIP"

    @property
    def passed(self) -> bool:
        return self.ok and not self.skipped

    @property
    def failed(self) -> bool:
        return not self.ok and self.directive not in ("TODO", "XFAIL", "SKIP")

    @property
    def status(self) -> str:
        """'pass', 'fail', 'skip', or 'xfail' (a failing TODO/XFAIL case)."""
        if self.skipped:
            return "skip"
        if self.ok:
            return "pass"
        if self.directive in ("TODO", "XFAIL"):
            return "xfail"
        return "fail"

    def describe(self) -> str:
        text = f"{'ok' if self.ok else 'not ok'} {self.number} {self.name}"
        if self.directive:
            text += f" # {self.directive}" + (f" {self.reason}" if self.reason else "")
        return text


@dataclass
class Document:
    """A KTAP document (or a nested subtest block)."""

    version: Optional[str] = None  # e.g. "KTAP version 1"
    name: Optional[str] = None  # from '# Subtest: NAME' in nested blocks
    plan: Optional[int] = None
    plan_comment: str = ""
    results: List[Result] = field(default_factory=list)
    trailing_diagnostics: List[str] = field(default_factory=list)
    running: List[str] = field(default_factory=list)  # every '# running' name, in order
    bail_out: Optional[str] = None
    unknown: List[str] = field(default_factory=list)
    errors: List[str] = field(default_factory=list)
    lines: int = 0

    # -- queries -----------------------------------------------------------
    @property
    def unfinished(self) -> Optional[str]:
        """Name of a case announced with '# running' that has no result line."""
        if not self.running:
            return None
        last = self.running[-1]
        reported = {r.name for r in self.results}
        return None if last in reported else last

    @property
    def last_number(self) -> Optional[int]:
        return max((r.number for r in self.results), default=None)

    def complete(self, first: int = 1) -> bool:
        """True when every case ``first..plan`` has a result and nothing bailed."""
        if self.plan is None or self.bail_out is not None:
            return False
        numbers = {r.number for r in self.results}
        return all(n in numbers for n in range(first, self.plan + 1))

    def missing(self, first: int = 1) -> List[int]:
        if self.plan is None:
            return []
        numbers = {r.number for r in self.results}
        return [n for n in range(first, self.plan + 1) if n not in numbers]

    def by_name(self) -> Dict[str, Result]:
        return {r.name: r for r in self.results}

    def walk(self, prefix: str = "") -> Iterator[tuple]:
        """Yield (full_name, Result) for every result, depth first.

        A nested case is named ``suite.case`` unless its own name already
        starts with ``suite.``.
        """
        for r in self.results:
            full = r.name
            if prefix and not full.startswith(prefix + "."):
                full = f"{prefix}.{full}"
            if r.subtests is not None:
                yield from r.subtests.walk(full)
            yield full, r

    @property
    def truncated(self) -> bool:
        return (
            self.plan is None
            or self.bail_out is not None
            or self.unfinished is not None
            or bool(self.missing(self._first_number()))
        )

    def _first_number(self) -> int:
        return min((r.number for r in self.results), default=1)

    def summary(self) -> Dict[str, int]:
        counts = {"pass": 0, "fail": 0, "skip": 0, "xfail": 0}
        for r in self.results:
            counts[r.status] += 1
        return counts


def _indent_of(line: str) -> int:
    stripped = line.lstrip(" \t")
    prefix = line[: len(line) - len(stripped)]
    return len(prefix.expandtabs(8))


def _split_directive(text: str) -> tuple:
    """Split 'name # SKIP reason' into (name, directive, reason)."""
    m = _UNESCAPED_HASH_RE.search(text)
    if m:
        before, after = text[: m.start()], text[m.end():].strip()
        word, _, rest = after.partition(" ")
        if word.upper() in DIRECTIVES:
            return before.strip().replace("\\#", "#"), word.upper(), rest.strip()
    return text.strip().replace("\\#", "#"), None, ""


class _Parser:
    def __init__(self, lines: List[str]):
        self.lines = lines
        self.pos = 0

    def block(self, indent: int) -> Document:
        doc = Document()
        pending_diag: List[str] = []
        pending_sub: Optional[Document] = None
        expected_next: Optional[int] = None
        while self.pos < len(self.lines):
            raw = self.lines[self.pos]
            if not raw.strip():
                self.pos += 1
                continue
            ind = _indent_of(raw)
            if ind < indent:
                break
            if ind > indent:
                sub = self.block(ind)
                if pending_sub is not None:
                    doc.errors.append("two nested blocks without a result line between them")
                pending_sub = sub
                continue
            lineno = self.pos + 1
            line = raw.strip()
            self.pos += 1
            doc.lines += 1

            m = _VERSION_RE.match(line)
            if m:
                if doc.version is None and not doc.results:
                    doc.version = line
                else:
                    doc.errors.append(f"line {lineno}: unexpected '{line}'")
                continue
            m = _PLAN_RE.match(line)
            if m:
                if doc.plan is None:
                    doc.plan = int(m.group(1))
                    doc.plan_comment = (m.group(2) or "").strip()
                else:
                    doc.errors.append(f"line {lineno}: second plan '{line}'")
                continue
            m = _BAIL_RE.match(line)
            if m:
                doc.bail_out = m.group(1).strip()
                continue
            m = _RUNNING_RE.match(line)
            if m:
                doc.running.append(m.group(1))
                continue
            m = _SUBTEST_RE.match(line)
            if m:
                if doc.name is None:
                    doc.name = m.group(1).strip()
                continue
            if line.startswith("#"):
                pending_diag.append(line[1:].strip())
                continue
            m = _RESULT_RE.match(line)
            if m:
                ok = m.group(1) == "ok"
                if m.group(2) is not None:
                    number = int(m.group(2))
                else:
                    number = (doc.results[-1].number + 1) if doc.results else 1
                    doc.errors.append(f"line {lineno}: result without a number")
                name, directive, reason = _split_directive(m.group(3) or "")
                if expected_next is not None and number != expected_next:
                    doc.errors.append(
                        f"line {lineno}: result number {number}, expected {expected_next}"
                    )
                expected_next = number + 1
                if doc.plan is not None and number > doc.plan:
                    doc.errors.append(f"line {lineno}: result {number} beyond plan 1..{doc.plan}")
                res = Result(
                    number=number,
                    name=name,
                    ok=ok,
                    directive=directive,
                    reason=reason,
                    diagnostics=pending_diag,
                    subtests=pending_sub,
                    line=lineno,
                )
                if res.subtests is not None and res.subtests.name is None:
                    res.subtests.name = name
                doc.results.append(res)
                pending_diag, pending_sub = [], None
                continue
            doc.unknown.append(line)
        doc.trailing_diagnostics = pending_diag
        if pending_sub is not None:
            # A nested block whose parent result line never came: truncated.
            doc.errors.append("nested block without its result line (truncated?)")
            doc.results.append(
                Result(
                    number=(doc.last_number or 0) + 1,
                    name=pending_sub.name or "?",
                    ok=False,
                    directive=None,
                    reason="",
                    diagnostics=["result line missing: output ended inside this subtest"],
                    subtests=pending_sub,
                    line=len(self.lines),
                )
            )
        return doc


def parse(text: str) -> Document:
    """Parse KTAP text. Never raises on bad input."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    parser = _Parser(lines)
    # The top level is whatever indentation the first non-blank line has
    # (normally 0).
    first = next((ln for ln in lines if ln.strip()), "")
    doc = parser.block(_indent_of(first))
    while parser.pos < len(lines):
        # Lines indented less than the first line: keep them visible.
        leftover = lines[parser.pos].strip()
        if leftover:
            doc.unknown.append(leftover)
        parser.pos += 1
    return doc
