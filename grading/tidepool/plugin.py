"""pytest plugin: lab/points tagging, --lab selection, points table, results.json.

Graded tests are the tests under the ini's ``tidepool_graded_paths``
(default ``tests hidden``, relative to the ini file) and any test carrying a
``lab`` marker. Every graded test must carry ``@pytest.mark.lab(N)`` and
``@pytest.mark.points(P)`` (module-level ``pytestmark`` works); a graded test
without them stops the run at collection (under xdist, where a worker
cannot stop the run, each such test errors at setup instead).

Scores travel in ``report.user_properties`` (tidepool_lab, tidepool_points,
tidepool_visibility), which xdist ships from workers to the controller, so
the points table and results.json are built wherever the reports arrive.

A failing test gets a "reproduce" section: one shell line per QEMU or GDB
command it ran (see tidepool.runlog), and for a visible graded test the
``make debug TEST=...`` line that starts the same case paused under GDB.

Options:
    --lab N[,M]           run only the tests of these labs
    --results-json PATH   write Gradescope's results.json
    --junitxml PATH       (pytest's own) JUnit XML; lab/points are properties
    --tidepool-record PATH
                          append each test's recorded commands to PATH as JSON
                          lines (what tools/debug-test.py, i.e. make debug, reads)
"""

from __future__ import annotations

import json
import os
import re
import shlex
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

import pytest

from . import reportwatch, runlog

OUTPUT_HEAD = 6000  # characters of a failure kept from the start ...
OUTPUT_TAIL = 3000  # ... and from the end, in results.json

PROP_LAB = "tidepool_lab"
PROP_POINTS = "tidepool_points"
PROP_VISIBILITY = "tidepool_visibility"
PROP_TITLE = "tidepool_title"
# The output of a test that had not finished when results.json was written.
NOT_FINISHED = "did not finish: grading stopped before this test ended (a time limit?)"


def pytest_addoption(parser) -> None:
    group = parser.getgroup("tidepool", "Tidepool grading")
    group.addoption("--lab", action="append", default=[], metavar="N",
                    help="run only the graded tests of lab N (repeat or N,M for several)")
    group.addoption("--results-json", metavar="PATH", default=None,
                    help="write Gradescope's results.json to PATH")
    group.addoption("--tidepool-record", metavar="PATH", default=None,
                    help="append every test's QEMU/GDB commands to PATH (JSON lines; "
                         "used by make debug)")
    parser.addini("tidepool_graded_paths", type="args", default=["tests", "hidden"],
                  help="directories (relative to the ini file) whose tests are graded")
    parser.addini("tidepool_hidden_paths", type="args", default=["hidden"],
                  help="directories whose tests are hidden until after the due date")
    parser.addini("tidepool_checker_test_paths", type="args", default=["safety"],
                  help="directories whose tests provoke checker reports (UBSan, KASAN, "
                       "KCSAN) on purpose and judge them themselves: a report does not "
                       "fail them")


def pytest_configure(config) -> None:
    config.addinivalue_line("markers", "lab(n): the lab a graded test belongs to")
    config.addinivalue_line("markers", "points(p): points a graded test is worth")
    config.addinivalue_line("markers", "hidden: Gradescope shows the test only after the due date")
    config.addinivalue_line("markers", "sanitizer_reports(*kinds): the test provokes checker "
                            "reports (UBSan, KASAN, KCSAN) on purpose: of these kinds "
                            "(e.g. 'null-dereference'), or any kind if none is named; "
                            "any other report fails the test")
    config.addinivalue_line("markers", "not_under_checkers(*checkers, reason=...): the test "
                            "cannot hold on a kernel built with these checkers (UBSAN, KASAN, "
                            "KCSAN), for the reason given: there it is skipped, with that reason")
    config.addinivalue_line("markers", "smp(cpus): boot this test's machines with -smp CPUS "
                            "(4, or a topology such as '4,sockets=4') under multi-threaded TCG")
    config._tidepool = Scoreboard(config)
    config.pluginmanager.register(config._tidepool, "tidepool-scoreboard")
    record = config.getoption("--tidepool-record", None)
    if record:
        runlog.snapshot_dir = os.path.abspath(record) + ".files"


def pytest_unconfigure(config) -> None:
    runlog.snapshot_dir = None  # pytester runs many sessions in one process


# ---------------------------------------------------------------------------
# Collection


def _base_dir(config) -> Path:
    return Path(config.inipath).parent if config.inipath else Path(config.rootpath)


def _under(path: Path, dirs: List[Path]) -> bool:
    for d in dirs:
        try:
            path.relative_to(d)
            return True
        except ValueError:
            continue
    return False


def _labs_wanted(config) -> Optional[set]:
    raw = config.getoption("--lab") or []
    labs = set()
    for item in raw:
        for part in str(item).split(","):
            part = part.strip()
            if not part or part.lower() == "all":
                continue
            if not part.isdigit():
                raise pytest.UsageError(f"--lab expects a lab number, not {part!r}")
            labs.add(int(part))
    return labs or None


def _number(marker, what: str, nodeid: str, problems: List[str]):
    if marker is None:
        problems.append(f"{nodeid}: missing @pytest.mark.{what}(...)")
        return None
    if len(marker.args) != 1 or marker.kwargs:
        problems.append(f"{nodeid}: @pytest.mark.{what} takes exactly one number")
        return None
    value = marker.args[0]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        problems.append(f"{nodeid}: @pytest.mark.{what}({value!r}) must be a positive number")
        return None
    return value


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session, config, items) -> None:
    base = _base_dir(config)
    graded_dirs = [(base / p).resolve() for p in config.getini("tidepool_graded_paths")]
    hidden_dirs = [(base / p).resolve() for p in config.getini("tidepool_hidden_paths")]
    problems: List[str] = []
    for item in items:
        path = Path(str(item.fspath)).resolve()
        lab_m = item.get_closest_marker("lab")
        if lab_m is None and not _under(path, graded_dirs):
            continue  # not graded (the grader's own selftests, helpers)
        before = len(problems)
        lab = _number(lab_m, "lab", item.nodeid, problems)
        points = _number(item.get_closest_marker("points"), "points", item.nodeid, problems)
        if lab is not None and int(lab) != lab:
            problems.append(f"{item.nodeid}: lab must be a whole number, not {lab!r}")
        if len(problems) > before:
            item._tidepool_problem = "; ".join(problems[before:])
            continue
        hidden = item.get_closest_marker("hidden") is not None or _under(path, hidden_dirs)
        doc = getattr(getattr(item, "obj", None), "__doc__", None) or ""
        title = doc.strip().split("\n", 1)[0].strip() if doc.strip() else ""
        item.user_properties.extend([
            (PROP_LAB, int(lab)),
            (PROP_POINTS, points),
            (PROP_VISIBILITY, "after_due_date" if hidden else "visible"),
        ])
        if title:
            item.user_properties.append((PROP_TITLE, title))
    if problems and not hasattr(config, "workerinput"):
        raise pytest.UsageError(
            "every graded test needs @pytest.mark.lab(N) and @pytest.mark.points(P):\n  "
            + "\n  ".join(problems))

    labs = _labs_wanted(config)
    if labs is None:
        return
    keep, drop = [], []
    for item in items:
        lab = dict(item.user_properties).get(PROP_LAB)
        (keep if lab in labs else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


# ---------------------------------------------------------------------------
# Reproduce lines


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item) -> None:
    runlog.begin()
    reportwatch.begin(_reports_allowed(item))
    _skip_under_checkers(item)
    problem = getattr(item, "_tidepool_problem", None)
    if problem:
        # Only reached in an xdist worker, where a UsageError at collection
        # would crash the controller: the untagged test errors instead.
        pytest.fail("every graded test needs @pytest.mark.lab(N) and "
                    f"@pytest.mark.points(P): {problem}", pytrace=False)


REPRODUCE = "reproduce (run from the repository root)"


def plain_nodeid(nodeid: str) -> str:
    """nodeid without the "@group" xdist's --dist loadgroup appends to the
    tests marked xdist_group (lab 6): the name a student can select."""
    return re.sub(r"@[\w.-]+$", "", nodeid)


def debug_hint(nodeid: str) -> str:
    """The make debug line that starts test nodeid's QEMU paused under GDB."""
    from .fixtures import REPO_ROOT, kernel_path

    kernel = kernel_path()
    test = shlex.quote(nodeid)
    try:
        rel = kernel.resolve().relative_to(REPO_ROOT.resolve()).as_posix()
    except (OSError, ValueError):
        rel = None
    # build/[CHECKERS/][labN-solvedM/]kernel.elf, as the Makefile names them
    # (CHECKERS: ubsan-kasan, kcsan, ...: make UBSAN=1 KASAN=1).
    m = re.fullmatch(r"build/(?:((?:ubsan|kasan|kcsan)(?:-(?:ubsan|kasan|kcsan))*)/)?"
                     r"(?:lab(\d+)-solved(\d+)/)?kernel\.elf", rel or "")
    if m:
        line = f"make debug TEST={test}"
        if m.group(1):
            line += "".join(f" {name.upper()}=1" for name in m.group(1).split("-"))
        if m.group(2):
            line += f" LAB={m.group(2)} SOLVED={m.group(3)}"
    else:
        line = (f"/usr/bin/python3 tools/debug-test.py --kernel {shlex.quote(str(kernel))} "
                f"{test}")
    return line + "   # the same run, paused under GDB"


def _reproduce_text(item) -> str:
    entries = runlog.entries()
    lines = [e.text() for e in entries]
    props = dict(item.user_properties)
    if (any(e.kind != runlog.TEXT for e in entries) and PROP_LAB in props
            and props.get(PROP_VISIBILITY) == "visible"):
        lines.append(debug_hint(plain_nodeid(item.nodeid)))
    return "\n".join(lines)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if call.when == "call":
        _fail_on_checker_reports(item, report)
    if report.failed:
        if getattr(item, "_tidepool_outcome", None) != "failed":
            item._tidepool_outcome = "failed" if call.when == "call" else "error"
        if runlog.entries():
            text = _reproduce_text(item)
            longrepr = report.longrepr
            if hasattr(longrepr, "addsection"):
                longrepr.addsection(REPRODUCE, text)
            else:
                report.sections.append((REPRODUCE, text))
    elif report.skipped and not hasattr(item, "_tidepool_outcome"):
        item._tidepool_outcome = "skipped"
    if call.when == "teardown":
        path = item.config.getoption("--tidepool-record")
        if path:
            _append_record(path, {
                "nodeid": item.nodeid,
                "outcome": getattr(item, "_tidepool_outcome", "passed"),
                "commands": [e.to_json() for e in runlog.entries()],
                "tmp_dirs": getattr(item, "_tidepool_tmp_dirs", []),
            })
        runlog.end()
        reportwatch.end()


CHECKER_REPORTS = "checker reports (UBSan, KASAN, KCSAN)"


def _skip_under_checkers(item) -> None:
    """Skip a test marked not_under_checkers(...) on a kernel with one of those
    checkers, saying why (never silently: the reason is in the skip)."""
    marker = item.get_closest_marker("not_under_checkers")
    if marker is None:
        return
    from .fixtures import kernel_path
    from .sanitizers import kernel_checkers

    reason = marker.kwargs.get("reason")
    if not marker.args or not reason:
        pytest.fail(f"{item.nodeid}: write @pytest.mark.not_under_checkers('KASAN', "
                    f"reason='why it cannot hold there')", pytrace=False)
    hit = sorted(set(marker.args) & kernel_checkers(str(kernel_path())))
    if hit:
        pytest.skip(f"cannot hold on a {'+'.join(hit)} kernel: {reason}")


def _checker_test(item) -> bool:
    """Is item one of the checkers' own tests (grading/safety/)?"""
    base = _base_dir(item.config)
    dirs = [(base / p).resolve() for p in item.config.getini("tidepool_checker_test_paths")]
    return _under(Path(str(item.fspath)).resolve(), dirs)


def _reports_allowed(item):
    """The reports item provokes on purpose (reportwatch.begin's allowed):
    every kind for the checkers' own tests and for @sanitizer_reports with
    no kinds, the kinds it names otherwise, none for any other test. A
    test that commits one bug on purpose names its kind, so a report of
    any other bug still fails it."""
    marker = item.get_closest_marker("sanitizer_reports")
    if _checker_test(item) or (marker is not None and not marker.args):
        return reportwatch.ALL
    return frozenset(marker.args) if marker is not None else None


def _fail_on_checker_reports(item, report) -> None:
    """A checker report on any console the test saw fails the test.

    A test that passed becomes a failure whose message is the report; a
    test that failed anyway keeps its message and gains the report, which
    is most likely why. Tests marked sanitizer_reports, and reports a test
    read (result.reports), are the test's own business."""
    found = reportwatch.take_unclaimed()
    if not found:
        return
    text = reportwatch.failure_text(found)
    if report.passed:
        report.outcome = "failed"
        report.longrepr = text
    elif report.failed:
        longrepr = report.longrepr
        if hasattr(longrepr, "addsection"):
            longrepr.addsection(CHECKER_REPORTS, text)
        else:
            report.sections.append((CHECKER_REPORTS, text))


def _append_record(path: str, data: dict) -> None:
    """One JSON line per test, in a single O_APPEND write (xdist workers share PATH)."""
    line = (json.dumps(data) + "\n").encode()
    path = os.path.abspath(path)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)


# ---------------------------------------------------------------------------
# Scores


@dataclass
class Entry:
    nodeid: str
    lab: Optional[int] = None
    points: float = 0
    visibility: str = "visible"
    title: str = ""
    outcome: str = "passed"  # passed | failed | error | skipped
    output: List[str] = field(default_factory=list)
    duration: float = 0.0

    @property
    def graded(self) -> bool:
        return self.lab is not None

    @property
    def score(self) -> float:
        return self.points if self.outcome == "passed" else 0


def _fmt(x: float) -> str:
    return f"{x:g}"


def _clip(text: str) -> str:
    if len(text) <= OUTPUT_HEAD + OUTPUT_TAIL + 200:
        return text
    cut = len(text) - OUTPUT_HEAD - OUTPUT_TAIL
    return (text[:OUTPUT_HEAD] + f"\n\n[... {cut} characters cut ...]\n\n"
            + text[-OUTPUT_TAIL:])


def _report_text(report) -> str:
    text = ""
    if report.longrepr is not None:
        if report.skipped and isinstance(report.longrepr, tuple) and len(report.longrepr) == 3:
            text = f"skipped: {report.longrepr[2]}"
        else:
            text = str(report.longrepr)
    for name, content in report.sections:
        if (name.startswith("reproduce") or name == CHECKER_REPORTS) and name not in text:
            text += f"\n--- {name} ---\n{content}"
    return text.strip()


class Scoreboard:
    def __init__(self, config):
        self.config = config
        self.entries: Dict[str, Entry] = {}
        self.collect_errors: List[Entry] = []
        self.worker_calibrations: Dict[str, List[str]] = {}
        self.planned: Dict[str, Entry] = {}   # node id -> a not-yet-finished entry
        self.start = time.time()

    # -- gathering ---------------------------------------------------------
    @pytest.hookimpl(trylast=True)
    def pytest_collection_finish(self, session) -> None:
        """The graded tests this run will run (not under xdist, whose
        controller collects nothing): results.json lists the ones that
        have not finished yet, so that a run killed half-way (the class
        grader's wall-time limit) still scores what did finish."""
        for item in session.items:
            props = dict(item.user_properties)
            if PROP_LAB in props:
                self.planned[item.nodeid] = Entry(
                    plain_nodeid(item.nodeid), lab=int(props[PROP_LAB]),
                    points=props.get(PROP_POINTS, 0),
                    visibility=props.get(PROP_VISIBILITY, "visible"),
                    title=props.get(PROP_TITLE, ""), outcome="failed",
                    output=[NOT_FINISHED])

    def pytest_runtest_logreport(self, report) -> None:
        self._gather(report)
        if report.when == "teardown":
            self.write_results(final=False)

    def _gather(self, report) -> None:
        entry = self.entries.get(report.nodeid)
        if entry is None:
            entry = self.entries[report.nodeid] = Entry(plain_nodeid(report.nodeid))
        props = dict(report.user_properties)
        if PROP_LAB in props:
            entry.lab = int(props[PROP_LAB])
            entry.points = props.get(PROP_POINTS, 0)
            entry.visibility = props.get(PROP_VISIBILITY, "visible")
            entry.title = props.get(PROP_TITLE, "")
        entry.duration += getattr(report, "duration", 0.0) or 0.0
        if report.failed:
            entry.outcome = "failed" if report.when == "call" else (
                "error" if entry.outcome != "failed" else entry.outcome)
            entry.output.append(_report_text(report)
                                if report.when == "call"
                                else f"error in {report.when}: {_report_text(report)}")
        elif report.skipped and entry.outcome == "passed":
            entry.outcome = "skipped"
            entry.output.append(_report_text(report))

    def pytest_collectreport(self, report) -> None:
        if report.failed:
            self.collect_errors.append(Entry(
                nodeid=report.nodeid or "collection", outcome="error",
                output=[f"collection failed: {_report_text(report)}"]))

    # -- summaries ---------------------------------------------------------
    def graded(self) -> List[Entry]:
        return [e for e in self.entries.values() if e.graded]

    def per_lab(self) -> Dict[int, Dict[str, float]]:
        labs: Dict[int, Dict[str, float]] = {}
        for e in self.graded():
            row = labs.setdefault(e.lab, {"passed": 0, "total": 0, "score": 0, "max": 0})
            row["total"] += 1
            row["max"] += e.points
            if e.outcome == "passed":
                row["passed"] += 1
                row["score"] += e.points
        return dict(sorted(labs.items()))

    def table(self) -> List[str]:
        labs = self.per_lab()
        rows = [("lab", "tests passed", "points")]
        tot = {"passed": 0, "total": 0, "score": 0, "max": 0}
        for lab, r in labs.items():
            rows.append((f"lab {lab}", f"{int(r['passed'])}/{int(r['total'])}",
                         f"{_fmt(r['score'])}/{_fmt(r['max'])}"))
            for k in tot:
                tot[k] += r[k]
        rows.append(("total", f"{int(tot['passed'])}/{int(tot['total'])}",
                     f"{_fmt(tot['score'])}/{_fmt(tot['max'])}"))
        widths = [max(len(r[i]) for r in rows) for i in range(3)]
        out = []
        for i, r in enumerate(rows):
            out.append(f"{r[0]:<{widths[0]}}   {r[1]:>{widths[1]}}   {r[2]:>{widths[2]}}")
            if i == 0 or i == len(rows) - 2:
                out.append("-" * len(out[0]))
        return out

    @pytest.hookimpl(trylast=True)
    def pytest_terminal_summary(self, terminalreporter) -> None:
        if not self.graded():
            return
        tr = terminalreporter
        tr.write_sep("=", "Tidepool points")
        for line in self.table():
            tr.write_line(line)
        failed = [e for e in self.graded() if e.outcome != "passed"]
        if failed:
            tr.write_line("")
            tr.write_line("not passed:")
            for e in failed:
                tr.write_line(f"  lab {e.lab}  {_fmt(e.points):>3} pts  {e.outcome:<7} {e.nodeid}")
        from . import timeouts

        cal = [c.describe() for c in timeouts._cache.values()][:1]
        if not cal and self.worker_calibrations:
            # Under xdist each worker measured its own scale.
            cal = [f"{worker}: {text}" for worker, texts in sorted(self.worker_calibrations.items())
                   for text in texts[:1]]
        if cal:
            tr.write_line("")
            for line in cal:
                tr.write_line(line)

    # -- xdist: each worker's timeout scale, for the summary ----------------
    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node, error) -> None:
        texts = getattr(node, "workeroutput", {}).get("tidepool_calibration")
        if texts:
            name = getattr(node, "gateway", None)
            self.worker_calibrations[getattr(name, "id", "worker")] = list(texts)

    # -- results.json ------------------------------------------------------
    def results(self, final: bool = True) -> dict:
        """Gradescope's results.json. final=False: written after each
        test, with every planned test that has not finished as failed."""
        tests = []
        unfinished = [] if final else [e for nodeid, e in self.planned.items()
                                       if nodeid not in self.entries]
        for e, done in [(e, True) for e in self.graded()] + [(e, False) for e in unfinished]:
            name = f"Lab {e.lab}: {e.nodeid}" + (f" ({e.title})" if e.title else "")
            output = _clip("\n\n".join(o for o in e.output if o)) if e.output else ""
            if e.outcome != "passed" and not output:
                output = e.outcome
            tests.append({
                "name": name,
                "score": e.score,
                "max_score": e.points,
                "status": "passed" if e.outcome == "passed" else "failed",
                "output": output,
                "visibility": e.visibility,
                "tags": [f"lab{e.lab}"] + ([] if done else ["unfinished"]),
                "execution_time": round(e.duration, 3),
            })
        for e in self.collect_errors:
            tests.append({
                "name": f"Collection error: {e.nodeid}",
                "score": 0,
                "max_score": 0,
                "status": "failed",
                "output": _clip("\n".join(e.output)),
                "visibility": "visible",
            })
        output = "\n".join(self.table()) if self.graded() else "no graded tests ran"
        if unfinished:
            output = (f"grading stopped before {len(unfinished)} test(s) finished; "
                      f"the others are scored\n" + output)
        return {
            "score": sum(e.score for e in self.graded()),
            "max_score": sum(e.points for e in self.graded() + unfinished),
            "execution_time": round(time.time() - self.start, 3),
            "output": output,
            "visibility": "visible",
            "stdout_visibility": "hidden",
            "tests": tests,
        }

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session, exitstatus) -> None:
        if hasattr(self.config, "workeroutput"):
            from . import timeouts

            self.config.workeroutput["tidepool_calibration"] = [
                c.describe() for c in timeouts._cache.values()]
        self.write_results(final=True)

    def write_results(self, final: bool) -> None:
        """--results-json PATH, replaced whole (a reader never sees half a
        file): after each test (final=False) and at the end."""
        path = self.config.getoption("--results-json")
        if not path or hasattr(self.config, "workerinput"):
            return
        path = os.path.abspath(path)
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        # A temp name of its own: two runs may write the same PATH at once.
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path),
                                   prefix=os.path.basename(path) + ".", suffix=".tmp")
        with os.fdopen(fd, "w") as f:
            json.dump(self.results(final), f, indent=2)
            f.write("\n")
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
