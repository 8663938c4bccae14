"""GitHub Classroom: the workflow and autograding.json of one lab branch.

    write_files(TREE, LAB)   (labs/stage.py's `branches` calls it per lab)

writes into TREE:
  .github/workflows/grade.yml       on every push, on ubuntu-latest: install
                                    the packages the grader needs (the list
                                    setup.sh uses on Gradescope), build, then
                                    GitHub Classroom's autograding action
  .github/classroom/autograding.json  one entry per graded test of lab LAB,
                                    worth that test's points: its `run` is
                                    the grader on that one node id (as
                                    `make grade` runs it, after the Build
                                    step), which passes iff the test passes
The same grader and the same tests as `make grade`; but a student's
repository holds its own grading/ and .github/, so this grade is feedback
for the student, not the grade of record: that comes from the batch grader
or Gradescope, which put the instructor's grading/ in place first
(docs/grading-a-class.md).
"""

import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from .gradescope import PACKAGES

WORKFLOW = """# GitHub Classroom autograding for lab {lab} (written by labs/stage.py
# branches; tools/gradeclass/classroom.py). Feedback on every push; the
# grade of record comes from the instructor's batch grader.
name: Autograding
on:
  push:
  workflow_dispatch:
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  grade:
    runs-on: ubuntu-latest
    timeout-minutes: 30
    steps:
      - uses: actions/checkout@v4
      - name: Install the packages the build and the grader need
        run: |
          sudo apt-get update -qq
          sudo apt-get install -y -qq --no-install-recommends {packages}
      - name: Build
        run: make -j2 kernel LAB={lab}
      - name: Grade
        uses: education/autograding@v1
"""


class _Points:
    """A pytest plugin that records each collected test's node id and points."""

    def __init__(self):
        self.tests = []

    def pytest_collection_modifyitems(self, items):
        for item in items:
            marker = item.get_closest_marker("points")
            if marker is not None:
                self.tests.append((item.nodeid, marker.args[0]))


def graded_tests(tree: Path, lab: int):
    """[(node id, points)] of lab LAB's graded tests in TREE's grading/.

    Collected in a fresh Python process per tree: pytest.main run twice in
    one process keeps the first tree's test modules and its `tidepool`
    package imported, and the second tree then collects nothing."""
    code = ("import json, sys; sys.path.insert(0, %r); "
            "from gradeclass.classroom import _collect_here; "
            "print(json.dumps(_collect_here(%d)))" % (str(Path(__file__).resolve().parents[1]), lab))
    out = subprocess.run([sys.executable, "-B", "-c", code], cwd=tree, check=True,
                         capture_output=True, text=True).stdout
    return [tuple(t) for t in json.loads(out.strip().splitlines()[-1])]


def _collect_here(lab: int):
    """In the tree's top directory, as `make grade` runs the grader (the
    grader's conftest, which adds --lab, is found from relative paths)."""
    plugin = _Points()
    args = ["-c", "grading/pytest.ini", "--collect-only", "-q", "-p", "no:cacheprovider",
            "grading/tests", "--lab", str(lab)]
    with contextlib.redirect_stdout(io.StringIO()):
        pytest.main(args, plugins=[plugin])
    return plugin.tests


def autograding(tree: Path, lab: int) -> dict:
    tests = []
    for nodeid, points in graded_tests(tree, lab):
        # The node id as `make grade` (run from the tree's top) sees it.
        node = nodeid if nodeid.startswith("grading/") else "grading/" + nodeid
        tests.append({
            "name": nodeid.split("/")[-1],
            "setup": "",
            "run": f"/usr/bin/python3 -B -m pytest -c grading/pytest.ini -q '{node}'",
            "input": "",
            "output": "",
            "comparison": "included",
            "timeout": 10,              # minutes
            "points": points,
        })
    return {"tests": tests}


def write_files(tree: Path, lab: int) -> None:
    workflow = tree / ".github" / "workflows" / "grade.yml"
    workflow.parent.mkdir(parents=True, exist_ok=True)
    workflow.write_text(WORKFLOW.format(lab=lab, packages=" ".join(PACKAGES)))
    spec = tree / ".github" / "classroom" / "autograding.json"
    spec.parent.mkdir(parents=True, exist_ok=True)
    spec.write_text(json.dumps(autograding(tree, lab), indent=2) + "\n")
