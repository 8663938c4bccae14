"""GitHub Classroom's files, as make branches writes them into a lab branch.

The structure GitHub Actions and the autograding action need (a push
trigger, ubuntu-latest, checkout before anything, the packages the grader
needs, the autograding step last), and autograding.json: one entry per
graded public test of the lab, worth its points, whose `run` names a test
that exists -- so a renamed test fails this instead of scoring 0 on GitHub.
"""

import json
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from gradeclass import classroom, gradescope  # noqa: E402

yaml = pytest.importorskip("yaml", reason="needs Debian's python3-yaml")
LAB = 1


@pytest.fixture(scope="module")
def branch(tmp_path_factory):
    tree = tmp_path_factory.mktemp("classroom") / "lab1"
    subprocess.run([sys.executable, str(ROOT / "labs" / "stage.py"), "handout", "--lab", str(LAB),
                    "--out", str(tree)], check=True, stdout=subprocess.DEVNULL)
    classroom.write_files(tree, LAB)
    return tree


def test_workflow_structure(branch):
    wf = yaml.safe_load((branch / ".github" / "workflows" / "grade.yml").read_text())
    triggers = wf.get("on", wf.get(True))        # YAML 1.1 reads a bare `on` as True
    assert "push" in triggers
    job = wf["jobs"]["grade"]
    assert job["runs-on"] == "ubuntu-latest" and job["timeout-minutes"] > 0
    steps = job["steps"]
    assert steps[0]["uses"].startswith("actions/checkout@")
    assert steps[-1]["uses"].startswith("education/autograding@")
    install = next(s["run"] for s in steps if "apt-get install" in s.get("run", ""))
    for package in gradescope.PACKAGES:
        assert package in install.split(), f"the workflow does not install {package}"
    assert any(f"LAB={LAB}" in s.get("run", "") and "make" in s.get("run", "") for s in steps)


def test_autograding_lists_every_graded_test(branch):
    spec = json.loads((branch / ".github" / "classroom" / "autograding.json").read_text())
    tests = spec["tests"]
    expected = classroom.graded_tests(branch, LAB)
    assert len(tests) == len(expected) > 0
    assert sum(t["points"] for t in tests) == sum(p for _, p in expected)
    for t, (nodeid, points) in zip(tests, expected):
        assert set(t) >= {"name", "run", "points", "timeout", "comparison", "input", "output", "setup"}
        assert isinstance(t["points"], int) and t["timeout"] > 0
        node = t["run"].split("'")[1]
        path = node.split("::")[0]
        assert (branch / path).is_file(), f"{t['name']}: runs {node}, which does not exist"
        assert node.endswith(nodeid.split("/", 1)[-1])
