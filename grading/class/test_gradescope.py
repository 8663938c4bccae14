"""The Gradescope zip, run as Gradescope would (make test-gradescope).

build/gradescope-lab1.zip is unpacked into a bubblewrap root laid out like
Gradescope's container (/autograder/source, /autograder/submission,
/autograder/results; root; no network), and its run_autograder is run on
the solution of lab 1 (full marks) and on its handout (0 of the same
maximum); both results.json must follow the schema written from
Gradescope's documentation (gradescope-results.schema.json). setup.sh is
not run (it calls apt-get): its package list is checked against what the
grader imports instead. One graded test (TIDEPOOL_AUTOGRADER_SELECT) keeps
it short.
"""

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from gradeclass import gradescope, sandbox  # noqa: E402

jsonschema = pytest.importorskip("jsonschema", reason="needs Debian's python3-jsonschema")
SELECT = "test_banner_and_magic"


def stage(lab, solved, out):
    subprocess.run([sys.executable, str(ROOT / "labs" / "stage.py"), "handout", "--lab", str(lab),
                    "--solved", str(solved), "--out", str(out)], check=True,
                   stdout=subprocess.DEVNULL)


def run_in_gradescope_root(source: Path, submission: Path, results: Path):
    cmd = ["bwrap", *sandbox.root_argv(), "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp",
           "--unshare-net", "--unshare-pid", "--die-with-parent",
           "--dir", "/autograder", "--ro-bind", str(source), "/autograder/source",
           "--bind", str(submission), "/autograder/submission",
           "--bind", str(results), "/autograder/results",
           "--setenv", "TIDEPOOL_AUTOGRADER_SELECT", SELECT,
           "/autograder/source/run_autograder"]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def gradescope_runs(tmp_path_factory):
    if os.geteuid() != 0 or not shutil.which("bwrap"):
        pytest.skip("needs root and bwrap (Debian bubblewrap)")
    base = tmp_path_factory.mktemp("gradescope")
    zip_path = gradescope.make_zip(1, base / "gradescope-lab1.zip")
    source = base / "source"
    with zipfile.ZipFile(zip_path) as z:
        z.extractall(source)
    for script in ("setup.sh", "run_autograder"):
        (source / script).chmod(0o755)          # zipfile drops the mode bits
    runs = {}
    for name, solved in (("solved", 1), ("handout", 0)):
        sub, res = base / name, base / f"{name}-results"
        stage(1, solved, sub)
        res.mkdir()
        proc = run_in_gradescope_root(source, sub, res)
        runs[name] = (proc, res / "results.json")
    return dict(zip=zip_path, source=source, runs=runs)


def load(run):
    proc, path = run
    assert path.is_file(), f"no results.json; run_autograder said:\n{proc.stdout[-3000:]}{proc.stderr[-2000:]}"
    return json.loads(path.read_text())


@pytest.mark.parametrize("name", ["solved", "handout"])
def test_results_follow_the_schema(gradescope_runs, name):
    schema = json.loads((HERE / "gradescope-results.schema.json").read_text())
    jsonschema.validate(load(gradescope_runs["runs"][name]), schema)


def test_solution_full_marks_handout_zero(gradescope_runs):
    solved = load(gradescope_runs["runs"]["solved"])
    handout = load(gradescope_runs["runs"]["handout"])
    assert solved["score"] == solved["max_score"] > 0, solved
    assert handout["score"] == 0 and handout["max_score"] == solved["max_score"], handout
    assert [t["name"] for t in solved["tests"]] == [t["name"] for t in handout["tests"]]


def test_zip_layout(gradescope_runs):
    names = zipfile.ZipFile(gradescope_runs["zip"]).namelist()
    for needed in ("setup.sh", "run_autograder", "gradeclass/autograder.py",
                   "grading/pytest.ini", "grading/tidepool/plugin.py", "grading/hidden/lab1/test_boot_hidden.py"):
        assert needed in names
    assert not any(n.startswith("grading/class/") for n in names)
    setup = (gradescope_runs["source"] / "setup.sh").read_text()
    for package in ("qemu-system-x86", "gcc-multilib", "python3-pytest", "python3-pexpect"):
        assert package in setup


def test_hidden_visibility_after_published():
    from gradeclass import autograder
    r = autograder.for_platform({"tests": [{"visibility": "after_due_date"}, {"visibility": "visible"}]},
                                "gradescope")
    assert [t["visibility"] for t in r["tests"]] == ["after_published", "visible"]
