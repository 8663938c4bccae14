"""One submission on an engine that already isolates it: Gradescope, GitHub Actions.

    cd DIR_HOLDING_gradeclass && python3 -m gradeclass.autograder --lab N
        --submission DIR --trusted GRADING --results PATH [--work DIR]
        [--platform gradescope|github] [--select K_EXPR]

Gradescope runs one container per submission and GitHub one runner per
push, so there is no bubblewrap here (it may not even work in their
containers): the engine is the sandbox. What is kept from the batch grader
is the trust model: the submission is copied, built, and its grading/ is
REPLACED by the instructor's (TRUSTED) before the grader runs; the grader
is run with python3 -I so nothing in the submission is imported; the
results file is written by the grader alone. A build that fails still
gets a results.json: score 0, every test failed, the build log's tail.
On Gradescope the hidden tests' visibility is "after_published".
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from .submission import grader_paths
from .unpack import flatten

PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
LOG_TAIL = 20000


def run(cmd, cwd, timeout, env=None):
    """(exit status or None on timeout, output)."""
    try:
        p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           stdin=subprocess.DEVNULL, timeout=timeout, env=env,
                           start_new_session=True)
        return p.returncode, p.stdout.decode("utf-8", "replace")
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode("utf-8", "replace")
        return None, out + f"\n[killed after {timeout} s]\n"


def failed_results(why: str, log: str) -> dict:
    text = f"{why}\n\n{log[-LOG_TAIL:]}"
    return {"score": 0, "output": text, "visibility": "visible", "stdout_visibility": "hidden",
            "tests": [{"name": "Build", "score": 0, "max_score": 0, "status": "failed",
                       "output": text, "visibility": "visible"}]}


def for_platform(results: dict, platform: str) -> dict:
    if platform == "gradescope":
        for test in results.get("tests", []):
            if test.get("visibility") == "after_due_date":
                test["visibility"] = "after_published"
    return results


def grade(args) -> dict:
    work = args.work
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(args.submission, work, symlinks=True)
    flatten(work)
    status, log = run(["make", "-j2", "kernel"], work, args.build_timeout)
    print(log[-LOG_TAIL:])
    kernel = work / "build" / "kernel.elf"
    if status != 0 or kernel.is_symlink() or not kernel.is_file():
        return failed_results(f"The build failed (make exit status {status}): 0 points.", log)
    grading = work / "grading"
    if grading.is_symlink() or grading.is_file():
        grading.unlink()
    elif grading.exists():
        shutil.rmtree(grading)
    shutil.copytree(args.trusted, grading, ignore=shutil.ignore_patterns("__pycache__"))
    tmp = work / "results.json"
    paths = grader_paths(grading, args.lab)
    cmd = [PYTHON, "-I", "-B", "-m", "pytest", "-c", "grading/pytest.ini", *paths,
           "--lab", str(args.lab), "-q", "-p", "no:cacheprovider", "--results-json", str(tmp)]
    if args.select:
        cmd += ["-k", args.select]
    env = dict(os.environ, TIDEPOOL_KERNEL="build/kernel.elf")
    status, log = run(cmd, work, args.grade_timeout, env)
    print(log[-LOG_TAIL:])
    if tmp.is_symlink() or not tmp.is_file():
        return failed_results(f"The grader wrote no results (exit status {status}).", log)
    return json.loads(tmp.read_text())


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--lab", type=int, required=True)
    p.add_argument("--submission", type=Path, required=True)
    p.add_argument("--trusted", type=Path, required=True)
    p.add_argument("--results", type=Path, required=True)
    p.add_argument("--work", type=Path, default=Path("/tmp/tidepool-autograder"))
    p.add_argument("--platform", choices=("gradescope", "github"), default="gradescope")
    p.add_argument("--select", default=os.environ.get("TIDEPOOL_AUTOGRADER_SELECT", ""))
    p.add_argument("--build-timeout", type=float, default=600)
    p.add_argument("--grade-timeout", type=float, default=1800)
    args = p.parse_args(argv)
    results = for_platform(grade(args), args.platform)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(results, indent=2) + "\n")
    print(f"autograder: {results.get('score', 0)} points -> {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
