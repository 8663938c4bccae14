"""The class grader against hostile submissions (make test-grade-class).

One batch: the fixtures of make_fixtures.py (lab 1, each a small edit of
the solution), graded in parallel with make check's tight limits and one
graded test (the banner test: it boots the kernel, so every kernel misdeed
shows), a fixed timeout scale of 3 (a hung kernel fails in 15 s, in the
grader's words), and a compiler cache warmed from the solution so the
builds are short. Then, per fixture, the status, the score and the line of its log
that says what happened; and on the host, the files the fixtures went for
are untouched and nobody connected to our port. The honest submission must
get full marks, so a sandbox too tight to build or boot fails this test.
Needs root (the sandboxes run as uid 65534 through setpriv) and bwrap.
"""

import csv
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
import make_fixtures  # noqa: E402

SELECT = "test_banner_and_magic"
HOME = Path.home()
FULL, ZERO = "full", 0

# name: (status, score, what its log must say)
EXPECTED = {
    "00-honest": ("graded", FULL, r"verdict: graded: 2 points"),
    "build-error": ("build failed", ZERO, r"error: unknown type name"),
    "loop": ("graded", ZERO, r"did not exit within [\d.]+ s \(hung\)|wall-time limit of \d+ s"),
    "triple-fault": ("graded", ZERO, r"triple fault"),
    "panic-loop": ("graded", ZERO, r"PANIC at kernel/main.c:\d+: fixture panic number|wall-time limit of \d+ s"),
    "flood": ("graded", ZERO, r"flooded|output-size limit|SIGXFSZ"),
    "forged-ktap": ("graded", ZERO, r"expected the banner"),
    "fork-bomb": ("build failed", ZERO, r"Resource temporarily unavailable|Cannot fork"),
    "network": ("graded", FULL, r"Network is unreachable"),
    "write-home": ("graded", FULL, "cannot create " + re.escape(str(HOME))),
    "delete-outside": ("graded", FULL, r"Read-only file system|No such file or directory"),
    "replace-grading": ("graded", ZERO, r"expected the banner"),
    "symlink": ("graded", FULL, r"leak-hidden.py: No such file or directory"),
}


def tree_digest(path: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(path.rglob("*")):
        if "__pycache__" in p.parts:
            continue
        h.update(str(p).encode())
        if p.is_file() and not p.is_symlink():
            h.update(p.read_bytes())
    return h.hexdigest()


class Listener:
    """A TCP port on the host's 127.0.0.1 that counts who connects."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.5)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.stop = False
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
                self.connections += 1
                conn.close()
            except OSError:
                pass

    def close(self):
        self.stop = True
        self.thread.join(2)
        self.sock.close()


def grade_class(subs: Path, out: Path, cache: Path, warm: bool) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-B", str(ROOT / "tools" / "grade-class.py"), str(subs),
           "--lab", "1", "--jobs", "2", "--out", str(out), "--tight", "--select", SELECT,
           "--timeout-scale", "3",
           "--ccache", str(cache)]
    if warm:
        cmd += ["--warm-ccache", str(subs.parent / (subs.name + ".bases") / "solved")]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    if os.geteuid() != 0 or not shutil.which("bwrap") or not shutil.which("setpriv"):
        pytest.skip("needs root, bwrap (Debian bubblewrap) and setpriv")
    base = tmp_path_factory.mktemp("class")
    # The compiler cache is bound into the sandboxes: it must be reachable
    # by their uid, and pytest's tmp is 0700.
    cache = Path(tempfile.mkdtemp(prefix="grade-class-cache-", dir="/tmp"))
    os.chmod(cache, 0o711)
    host = base / "host-files"
    host.mkdir()
    canary = host / "canary.txt"
    canary.write_text("the instructor's file\n")
    listener = Listener()
    subs = base / "subs"
    trusted_before = tree_digest(ROOT / "grading")
    pwned = HOME / "tidepool-class-pwned"
    assert not pwned.exists(), f"{pwned} exists before the test: remove it"
    make_fixtures.make(subs, canary, listener.port)
    subs_before = {p.name: tree_digest(p) if p.is_dir() else p.read_bytes() for p in subs.iterdir()}
    out = base / "out"
    run = grade_class(subs, out, cache / "cc", warm=True)
    listener.close()
    yield dict(run=run, out=out, subs=subs, canary=canary, listener=listener, pwned=pwned,
               trusted_before=trusted_before, subs_before=subs_before, cache=cache / "cc")
    shutil.rmtree(cache, ignore_errors=True)


def outcome(batch, name):
    path = batch["out"] / "students" / name / "outcome.json"
    assert path.is_file(), f"no outcome for {name}; grade-class said:\n{batch['run'].stderr[-3000:]}"
    return json.loads(path.read_text())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_outcome(batch, name):
    status, score, says = EXPECTED[name]
    o = outcome(batch, name)
    log = (batch["out"] / "students" / name / "log.txt").read_text()
    if status:
        assert o["status"] == status, f"{name}: {o['status']} ({o['first_error']}), wanted {status}"
    want = o["max_score"] if score == FULL else score
    assert o["score"] == want, f"{name}: score {o['score']}, wanted {want}; log:\n{log[-3000:]}"
    if score == FULL:
        assert o["max_score"] > 0
    assert re.search(says, log), f"{name}: the log does not say /{says}/:\n{log[-3000:]}"
    assert "==== verdict: " in log
    results = json.loads((batch["out"] / "students" / name / "results.json").read_text())
    assert results["score"] == o["score"] and isinstance(results["tests"], list)


def test_host_untouched(batch):
    assert batch["canary"].read_text() == "the instructor's file\n"
    assert not batch["pwned"].exists(), f"a fixture wrote {batch['pwned']}"
    assert tree_digest(ROOT / "grading") == batch["trusted_before"], "the trusted grading/ changed"
    assert batch["listener"].connections == 0, "a submission reached the host's 127.0.0.1"
    after = {p.name: make_fixtures_digest(p) for p in batch["subs"].iterdir()}
    assert after == batch["subs_before"], "a submission changed another one (or itself) on the host"


def make_fixtures_digest(p: Path):
    return tree_digest(p) if p.is_dir() else p.read_bytes()


def test_hidden_tests_never_leak(batch):
    hidden = (ROOT / "grading" / "hidden" / "lab1" / "test_boot_hidden.py").read_text()
    secret = next(l for l in hidden.splitlines() if l.startswith("def test_"))
    for log in (batch["out"] / "students").glob("*/log.txt"):
        assert secret not in log.read_text(), f"{log} shows the hidden tests' text"


def test_gradebook_and_report(batch):
    assert batch["run"].returncode == 0, batch["run"].stderr[-3000:]
    assert re.search(r"graded \d+/13", batch["run"].stderr), "no progress line"
    rows = list(csv.DictReader(open(batch["out"] / "gradebook.csv")))
    assert sorted(r["student"] for r in rows) == sorted(EXPECTED)
    assert any(SELECT in column for column in rows[0])
    page = (batch["out"] / "report.html").read_text()
    for part in ("<svg", "Per-test pass rates", "Slowest submissions", "Failures by first error line",
                 "error: unknown type name"):
        assert part in page, f"report.html lacks {part!r}"


def test_interrupted_batch_resumes(batch):
    """Forget two outcomes (as if killed half-way): a second run grades only those."""
    for name in ("build-error", "00-honest"):
        (batch["out"] / "students" / name / "outcome.json").unlink()
    run = grade_class(batch["subs"], batch["out"], batch["cache"], warm=False)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "2 graded" in run.stderr and "11 resumed" in run.stderr, run.stderr[-2000:]
    assert outcome(batch, "00-honest")["score"] == outcome(batch, "00-honest")["max_score"] > 0
