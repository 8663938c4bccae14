"""One submission, start to end: unpack, build, overlay grading/, grade.

Three sandboxes, so that no code of the student's runs where it could
touch the result:
  unpack  git/tar as nobody: the entry (copied) read-only at /in, the empty
          work dir writable at /sub.
  build   the student's Makefile: /sub writable, nothing else. The
          submission's own grading/ is still there and harmless; the
          instructor's copy (with the hidden tests) is NOT visible here,
          so a Makefile cannot print the hidden tests into its log.
  grade   only trusted code on the host side -- /usr/bin/python3 -I
          (no cwd or PYTHON* on sys.path) running the instructor's
          grading/, bound read-only over /sub/grading after whatever the
          build left there was deleted; QEMU and GDB (-nx, auto-load off)
          run the student's kernel as a guest. /sub is read-only; the
          results go to /out, the one writable directory.
"""

import json
import os
import re
import shutil
from dataclasses import dataclass, field, asdict
from pathlib import Path
from typing import List, Optional

from . import capture, sandbox, unpack
from .limits import Limits

PYTHON = "/usr/bin/python3"


@dataclass
class Job:
    entry: Path
    lab: int
    trusted: Path            # the instructor's grading/ (tests, hidden, grader)
    out: Path                # the batch's output directory
    limits: dict             # {"UNPACK": Limits, "BUILD": Limits, "GRADE": Limits}
    select: str = ""         # pytest -k expression (make check grades a few tests)
    make_jobs: int = 2
    # A compiler cache the builds may READ (never write: a writable shared
    # cache is a channel between students). Warmed by warm_ccache() from a
    # trusted tree; students can read the objects in it, so warm it with
    # what they may see (the handout, or the previous lab's solution).
    ccache: Optional[Path] = None
    keep_work: bool = False
    work: Optional[Path] = None   # where work dirs go (default out/work); uid 65534 must reach it
    # A fixed timeout scale for the grader (TIDEPOOL_TIMEOUT_SCALE): no
    # calibration boots, and a hung kernel fails its test in the grader's
    # own words ("did not exit within N s (hung)", the last console lines)
    # before the phase's wall-time limit, which would say only that.
    timeout_scale: Optional[float] = None


@dataclass
class Outcome:
    student: str
    entry: str
    kind: str
    status: str              # graded | build failed | unpack failed | grading failed
    score: float = 0
    max_score: float = 0
    tests: List[dict] = field(default_factory=list)
    wall_s: float = 0
    first_error: str = ""    # what went wrong first, one line (report grouping)
    fingerprint: str = ""    # of the entry: a resumed batch regrades a changed one

    def save(self, path: Path) -> None:
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), indent=1) + "\n")
        os.replace(tmp, path)

    @staticmethod
    def load(path: Path) -> "Outcome":
        return Outcome(**json.loads(path.read_text()))


def fingerprint(entry: Path) -> str:
    """Size and mtime of the entry (a directory: of its newest file)."""
    st = entry.lstat()
    newest = st.st_mtime_ns
    if entry.is_dir() and not entry.is_symlink():
        for root, dirs, files in os.walk(entry):
            for name in files + dirs:
                newest = max(newest, os.lstat(os.path.join(root, name)).st_mtime_ns)
    return f"{st.st_size}:{newest}"


def _remove(path: Path) -> None:
    """Delete PATH whatever it is, never following a symlink."""
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)


class Log:
    """The student's log: what happened, phase by phase, in words."""

    def __init__(self, path: Path):
        self.path = path
        self.f = open(path, "w", encoding="utf-8")

    def line(self, text: str = "") -> None:
        self.f.write(text + "\n")
        self.f.flush()

    def phase(self, name: str, limits: Limits, r: capture.PhaseResult) -> None:
        self.line(f"==== {name} ({limits.describe()})")
        self.line(r.output.rstrip("\n"))
        self.line(f"---- {capture.explain(name, r)}")
        self.line()

    def close(self) -> None:
        self.f.close()


def _first_error(text: str) -> str:
    for line in text.splitlines():
        if re.search(r"\berror\b|\*\*\*|cannot|denied|unreachable|unavailable", line, re.I):
            return line.strip()[:200]
    lines = [l for l in text.splitlines() if l.strip()]
    return lines[-1].strip()[:200] if lines else ""


def unfinished(data: dict) -> list:
    """The tests of a results.json that had not finished when it was
    written (tagged so by grading/tidepool/plugin.py)."""
    return [t for t in data.get("tests", []) if "unfinished" in t.get("tags", [])]


def _read_results(path: Path) -> Optional[dict]:
    """The grader's results.json, opened without following a symlink."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    with os.fdopen(fd) as f:
        try:
            data = json.load(f)
        except ValueError:
            return None
    if not isinstance(data, dict) or not isinstance(data.get("tests"), list):
        return None
    return data


def _phase(job: Job, name: str, cmd, ro=(), rw=(), env=()) -> capture.PhaseResult:
    limits = job.limits[name.upper()]
    argv = sandbox.command(cmd, limits, ro=list(ro), rw=list(rw), env=dict(env))
    return capture.run(argv, limits)


def grader_paths(trusted: Path, lab: int) -> list:
    """The test directories to hand pytest (relative to the tree's top):
    lab N's own (tests/labN, hidden/labN) when they exist -- collecting
    every lab's modules costs a second per submission (lab 6's import
    scapy) -- else all of tests/ and hidden/ (--lab still selects)."""
    paths = []
    for top in ("tests", "hidden"):
        if (trusted / top / f"lab{lab}").is_dir():
            paths.append(f"grading/{top}/lab{lab}")
        elif (trusted / top).is_dir() and top == "tests":
            paths.append("grading/tests")
    return paths


def _ccache_mounts(cache: Optional[Path], writable: bool) -> dict:
    if cache is None:
        return {"env": {"CCACHE_DISABLE": "1"}}
    env = {"CCACHE_DIR": "/ccache", "CCACHE_TEMPDIR": "/tmp"}
    if not writable:
        env["CCACHE_READONLY"] = "1"
    key = "rw" if writable else "ro"
    return {key: [(cache, "/ccache")], "env": env}


def warm_ccache(tree: Path, cache: Path, limits: Limits, make_jobs: int = 2) -> capture.PhaseResult:
    """Build a trusted TREE in the build sandbox with CACHE writable (same
    paths as a submission's build, so the submissions' compiles hit)."""
    cache.mkdir(parents=True, exist_ok=True)
    sandbox.give_to_sandbox(cache)
    work = cache.parent / (cache.name + ".warm")
    _remove(work)
    shutil.copytree(tree, work, symlinks=True)
    sandbox.give_to_sandbox(work)
    mounts = _ccache_mounts(cache, writable=True)
    argv = sandbox.command(["make", f"-j{make_jobs}", "kernel"], limits,
                           rw=[(work, "/sub")] + mounts["rw"], env=mounts["env"])
    r = capture.run(argv, limits)
    shutil.rmtree(work, ignore_errors=True)
    return r


def grade(job: Job) -> Outcome:
    name = unpack.student_name(job.entry)
    kind = unpack.kind_of(job.entry)
    sdir = job.out / "students" / name
    wdir = (job.work or job.out / "work") / name
    for d in (sdir, wdir):
        _remove(d)
        d.mkdir(parents=True)
    outcome = Outcome(name, str(job.entry), kind, "unpack failed",
                      fingerprint=fingerprint(job.entry))
    log = Log(sdir / "log.txt")
    log.line(f"student {name}: {job.entry} ({kind or 'not a submission'}), lab {job.lab}")
    try:
        _pipeline(job, kind, wdir, log, outcome)
    except Exception as e:              # a bug of ours, or an entry we cannot read:
        outcome.status = "grader error"  # this submission's problem, not the batch's
        outcome.score = 0
        outcome.first_error = f"{type(e).__name__}: {e}"[:200]
    finally:
        log.line(f"==== verdict: {outcome.status}: {outcome.score:g} points"
                 + (f" ({outcome.first_error})" if outcome.first_error else ""))
        log.close()
        if not job.keep_work:
            shutil.rmtree(wdir, ignore_errors=True)
    outcome.save(sdir / "outcome.json")
    return outcome


def _grade_env(job: Job) -> dict:
    env = {"TIDEPOOL_KERNEL": "build/kernel.elf"}
    if job.timeout_scale:
        env["TIDEPOOL_TIMEOUT_SCALE"] = f"{job.timeout_scale:g}"
    return env


def _account(outcome: Outcome, r: capture.PhaseResult) -> None:
    outcome.wall_s += r.wall_s


def _pipeline(job: Job, kind: str, wdir: Path, log: Log, outcome: Outcome) -> None:
    if not kind:
        outcome.first_error = "not a git repository, bundle, tarball or directory"
        return
    staging, work, results = wdir / "in", wdir / "sub", wdir / "out"
    for d in (staging, work, results):
        d.mkdir()
    staged = unpack.stage_input(job.entry, kind, staging)
    sandbox.give_to_sandbox(wdir)

    r = _phase(job, "unpack", unpack.inside_command(kind, staged.name),
               ro=[(staging, "/in")], rw=[(work, "/sub")])
    _account(outcome, r)
    log.phase("unpack", job.limits["UNPACK"], r)
    if not r.ok():
        outcome.first_error = r.killed or _first_error(r.output) or "unpack failed"
        return
    unpack.flatten(work)

    r = _phase(job, "build", ["make", f"-j{job.make_jobs}", "kernel"], rw=[(work, "/sub")],
               **_ccache_mounts(job.ccache, writable=False))
    _account(outcome, r)
    log.phase("build", job.limits["BUILD"], r)
    kernel = work / "build" / "kernel.elf"
    if not r.ok() or kernel.is_symlink() or not kernel.is_file():
        outcome.status = "build failed"
        outcome.first_error = r.killed or (_first_error(r.output) if r.status
                                           else "the build made no build/kernel.elf")
        return

    # The trusted overlay: whatever is at grading/ now (the submission's
    # own, or what its Makefile put there) goes; the instructor's is bound
    # read-only in its place.
    _remove(work / "grading")
    (work / "grading").mkdir()
    paths = grader_paths(job.trusted, job.lab)
    cmd = [PYTHON, "-I", "-B", "-m", "pytest", "-c", "grading/pytest.ini", *paths,
           "--lab", str(job.lab), "-q", "-p", "no:cacheprovider",
           "--results-json", "/out/results.json"]
    if job.select:
        cmd += ["-k", job.select]
    r = _phase(job, "grade", cmd, ro=[(work, "/sub"), (job.trusted, "/sub/grading")],
               rw=[(results, "/out")], env=_grade_env(job))
    _account(outcome, r)
    log.phase("grade", job.limits["GRADE"], r)
    data = _read_results(results / "results.json")
    if data is None:
        outcome.status = "grading failed"
        outcome.first_error = r.killed or _first_error(r.output) or "the grader wrote no results"
        return
    outcome.status = "graded"
    outcome.score = data.get("score", 0)
    outcome.max_score = data.get("max_score", 0)
    outcome.tests = data["tests"]
    (log.path.parent / "results.json").write_text(json.dumps(data, indent=2) + "\n")
    failed = [t for t in outcome.tests if t.get("status") != "passed"]
    if r.killed:
        # The grader writes results.json after every test: a phase cut
        # off by a limit keeps the points of the tests that finished.
        outcome.first_error = (f"{r.killed}; scored the {len(outcome.tests) - len(unfinished(data))}"
                               f" test(s) that finished")[:200]
    elif failed:
        lines = [l.strip() for l in failed[0].get("output", "").splitlines() if l.strip()]
        outcome.first_error = (lines[0] if lines else failed[0]["name"])[:200]
