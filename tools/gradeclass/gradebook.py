"""The CSV gradebook and the Gradescope results.json of the ungraded.

One row per student, one column per test (its points), then the total.
The test columns are the union of the tests of every graded submission;
a submission that never reached the grader (its build failed, or it was
killed) gets 0 in each, and a results.json that lists each test as failed
with the reason, so Gradescope and the gradebook agree.
"""

import csv
import json
from pathlib import Path
from typing import Dict, List

from .submission import Outcome


def test_columns(outcomes: List[Outcome]) -> Dict[str, float]:
    """{test name: max score}, in the order the grader ran them."""
    columns = {}
    for o in outcomes:
        for t in o.tests:
            columns.setdefault(t["name"], t.get("max_score", 0))
    return columns


def max_score(outcomes: List[Outcome]) -> float:
    return max((o.max_score for o in outcomes if o.status == "graded"), default=0)


def write_csv(outcomes: List[Outcome], path: Path) -> None:
    columns = test_columns(outcomes)
    top = max_score(outcomes)
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["student", "status", *columns, "total", "max", "seconds", "first error"])
        for o in outcomes:
            got = {t["name"]: t.get("score", 0) for t in o.tests}
            w.writerow([o.student, o.status, *(got.get(c, 0) for c in columns),
                        o.score, top, f"{o.wall_s:.1f}", o.first_error])


def write_ungraded_results(outcomes: List[Outcome], out: Path) -> None:
    """results.json for each submission the grader never saw."""
    columns = test_columns(outcomes)
    for o in outcomes:
        if o.status == "graded":
            continue
        why = f"{o.status}: {o.first_error} (see the log for the whole story)"
        tests = [{"name": name, "score": 0, "max_score": points, "status": "failed",
                  "output": why, "visibility": "visible"} for name, points in columns.items()]
        data = {"score": 0, "max_score": max_score(outcomes), "output": why,
                "visibility": "visible", "stdout_visibility": "hidden", "tests": tests}
        path = out / "students" / o.student / "results.json"
        path.write_text(json.dumps(data, indent=2) + "\n")
