#!/usr/bin/python3
"""check-labs.py -- the staging invariant, for every lab that exists.

    /usr/bin/python3 tools/check-labs.py [--lab N] [-n WORKERS] [-j LABS]

For each lab n (labs/NN-name/):
  1. its handout (LAB=n, SOLVED=n-1, written by labs/stage.py) builds with
     -Werror, from scratch, with the handout's own Makefile;
  2. graded on the handout -- the handout's own public tests plus the
     instructor's hidden tests of labs 1..n, copied into the staged tree,
     in one grading run against the handout's kernel -- every test of
     the labs before n passes and every test of lab n FAILS: a failure, not
     a harness error, not a skip;
  3. graded on the solution checkpoint (LAB=n, SOLVED=n, built in this
     tree by `make LAB=n SOLVED=n`), every test of labs 1..n passes, hidden
     ones included. --last-with "UBSAN=1 KASAN=1" builds the last lab's
     solution (the whole kernel) with those make variables -- the run-time
     checkers -- and grades that: every test passes and no checker reports
     (the grader fails a test on a report). make check does this, so the
     whole kernel is graded once, checked.
Prints a table (lab, handout, solution) and exits 1 if anything is off.

Labs are independent (each has its own directory under build/staging/), so
-j LABS of them are checked at once, each grading with -n WORKERS: a
grading run leaves the cores idle about half the time (QEMU boots, pytest
start-up, staging and linking), and a second lab fills that time.
"""

import argparse
import os
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "labs"))
import stage  # noqa: E402

PYTHON = "/usr/bin/python3"
WORK = ROOT / "build" / "staging"


# (lab, step) -> (wall s, CPU s) of each step run(), for the closing table.
COSTS = {}


def run(cmd, cwd, log, env=None, cost=None):
    """Runs cmd with its output in log; returns its exit status. cost:
    (lab, step) under which its wall and CPU seconds are added to COSTS
    (wait4's rusage: the CPU of cmd and everything it waited for)."""
    start = time.monotonic()
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env)
        _, wstatus, usage = os.wait4(proc.pid, 0)
    if cost is not None:
        wall, cpu = COSTS.get(cost, (0.0, 0.0))
        COSTS[cost] = (wall + time.monotonic() - start, cpu + usage.ru_utime + usage.ru_stime)
    return os.waitstatus_to_exitcode(wstatus)


def outcomes(junit):
    """{test id: (lab, outcome)} from a JUnit file written by the grader;
    outcome is passed, failure, error or skipped."""
    result = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        props = {p.get("name"): p.get("value") for p in case.iter("property")}
        lab = int(props["tidepool_lab"]) if "tidepool_lab" in props else None
        outcome = "passed"
        for kind in ("failure", "error", "skipped"):
            if case.find(kind) is not None:
                outcome = kind
                break
        name = "%s::%s" % (case.get("classname"), case.get("name"))
        # A test that errors in teardown after failing appears twice: keep the worst.
        if result.get(name, (lab, "passed"))[1] == "passed":
            result[name] = (lab, outcome)
    return result


def grade(tree, kernel, labs_wanted, junit, log, workers, paths, cost):
    env = dict(os.environ, TIDEPOOL_KERNEL=str(kernel))
    cmd = [PYTHON, "-B", "-m", "pytest", "-c", "grading/pytest.ini", *paths, "-q",
           "--lab", ",".join(str(n) for n in labs_wanted), "--junitxml", str(junit)]
    if workers > 1:
        # loadgroup, as make grade: a module marked xdist_group runs in one
        # worker (lab 6's shared boots; lab 5's SMP boots, which on a
        # 2-core host must not compete with each other for the cores).
        cmd += ["-n", str(workers), "--dist", "loadgroup"]
    run(cmd, tree, log, env, cost)
    if not Path(junit).exists():
        return None
    return outcomes(junit)


def test_paths(kind, labs):
    """grading/<kind>/lab<k> ("tests" or "hidden") of each lab k in labs
    that has such tests. Only those: the grader imports every module it
    is given (lab 6's import scapy) before --lab deselects any."""
    return ["grading/%s/lab%d" % (kind, k) for k in labs
            if (ROOT / "grading" / kind / ("lab%d" % k)).is_dir()]


def copy_hidden(tree, labs):
    """Copies the hidden tests of labs into tree (same paths); returns
    their paths, for the grader's command line."""
    paths = test_paths("hidden", labs)
    for path in paths:
        shutil.copytree(ROOT / path, tree / path, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__"))
    return paths


def check_lab(n, workers, make_vars=()):
    """Returns (row, problems). make_vars: VAR=value words for the
    solution's build (the checkers), whose kernel is then graded."""
    problems = []
    work = WORK / ("lab%d" % n)
    work.mkdir(parents=True, exist_ok=True)
    earlier, upto = list(range(1, n)), list(range(1, n + 1))

    # 1. The handout builds on its own.
    handout = work / "handout"
    stage.handout(n, n - 1, handout)
    built = run(["make", "-j2", "kernel"], handout, work / "handout-build.log",
                cost=(n, "handout build")) == 0
    if not built:
        problems.append("lab %d handout does not build: see %s" % (n, work / "handout-build.log"))
        return (n, "BUILD FAILS", "-"), problems
    kernel = handout / "build" / "kernel.elf"

    # 2. Graded on the handout: its own public tests and the hidden ones,
    # in one grading run. The hidden tests of labs 1..n are copied into
    # the staged tree (a check's copy: handouts made by `make handout`
    # never hold them), so that they run with the handout's grader, as
    # they would in a student's tree, and one pytest session (its start-
    # up and its timeout calibration) serves both: a second session cost
    # each lab about 4 CPU seconds and 5 wall seconds.
    paths = ["grading/tests"] + copy_hidden(handout, upto)
    results = grade(handout, kernel, upto, work / "handout.xml", work / "handout-grade.log",
                    workers, paths, (n, "handout grade")) or {}
    before = [(k, o) for k, (lab, o) in results.items() if lab in earlier]
    this = [(k, o) for k, (lab, o) in results.items() if lab == n]
    if not this:
        problems.append("lab %d has no graded tests on its handout" % n)
    for name, outcome in before:
        if outcome != "passed":
            problems.append("lab %d handout: earlier-lab test %s %s" % (n, name, outcome))
    for name, outcome in this:
        if outcome != "failure":
            problems.append("lab %d handout: test %s should fail, but it %s"
                            % (n, name, "passed" if outcome == "passed" else "ended in " + outcome))
    failing = sum(o == "failure" for _, o in this)
    handout_cell = "builds; labs<%d %d/%d pass; lab %d %d/%d fail" % (
        n, sum(o == "passed" for _, o in before), len(before), n, failing, len(this))

    # 3. The solution checkpoint passes everything up to lab n. It is
    # built in this tree (make LAB=n SOLVED=n, in build/lab<n>-solved<n>/),
    # not staged: a solution never ships, the handouts above test the
    # stager, and here ccache's preprocessed mode finds what the demos'
    # LAB=n builds compiled (the same code after the preprocessor), where a
    # staged copy -- its lines moved by unifdef -- compiled everything
    # again. The last lab's solution with make_vars is the checked kernel
    # the usertests part already built.
    solution = ROOT
    solved = ["LAB=%d" % n, "SOLVED=%d" % n, *make_vars]
    if run(["make", "-j2", *solved, "kernel"], solution, work / "solution-build.log",
           cost=(n, "solution build")) != 0:
        problems.append("lab %d solution does not build: see %s" % (n, work / "solution-build.log"))
        return (n, handout_cell, "BUILD FAILS"), problems
    kernel = Path(subprocess.run(["make", "-s", "--no-print-directory", *solved, "print-kernel"],
                                 cwd=solution, capture_output=True, text=True).stdout.strip())
    kernel = kernel if kernel.is_absolute() else solution / kernel
    if not kernel.is_file():
        problems.append("lab %d solution: `make %s print-kernel` names no built kernel (%s)"
                        % (n, " ".join(solved), kernel))
        return (n, handout_cell, "NO KERNEL"), problems
    sol = grade(ROOT, kernel, upto, work / "solution.xml",
                work / "solution-grade.log", workers,
                test_paths("tests", upto) + test_paths("hidden", upto),
                (n, "solution grade")) or {}
    # On a checked kernel a test may skip, with the reason the grader
    # demands (not_under_checkers: e.g. KASAN reports that bug itself).
    fine = ("passed", "skipped") if make_vars else ("passed",)
    bad = [(k, o) for k, (lab, o) in sol.items() if o not in fine]
    skipped = sum(o == "skipped" for _, (lab, o) in sol.items())
    for name, outcome in bad:
        problems.append("lab %d solution: %s %s (log: %s)" % (n, name, outcome,
                                                             work / "solution-grade.log"))
    if not sol:
        problems.append("lab %d solution: the grader ran no test" % n)
    solution_cell = "%d/%d pass%s%s" % (len(sol) - len(bad) - skipped, len(sol),
                                        ", %d skipped" % skipped if skipped else "",
                                        " (%s)" % " ".join(make_vars) if make_vars else "")
    return (n, handout_cell, solution_cell), problems


def print_costs():
    """Where the time went: each lab's builds and grading runs, wall and CPU."""
    steps = ("handout build", "handout grade", "solution build", "solution grade")
    print("%-4s" % "lab" + "".join("  %20s" % s for s in steps) + "  (wall s / CPU s)")
    totals = [0.0] * len(steps)
    for n in sorted({lab for lab, _ in COSTS}):
        cells = []
        for i, step in enumerate(steps):
            wall, cpu = COSTS.get((n, step), (0.0, 0.0))
            totals[i] += cpu
            cells.append("  %20s" % ("%.0f / %.0f" % (wall, cpu)))
        print("%-4d" % n + "".join(cells))
    print("CPU " + "".join("  %20.0f" % t for t in totals))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lab", type=int, help="check only this lab")
    parser.add_argument("-n", type=int, default=2, help="grader workers (pytest-xdist)")
    parser.add_argument("-j", type=int, default=2, help="labs checked at once")
    parser.add_argument("--last-with", default="", metavar="'VAR=1 ...'",
                        help="build the last lab's solution with these make variables "
                             "(e.g. 'UBSAN=1 KASAN=1') and grade that kernel")
    args = parser.parse_args()
    numbers = [n for n, _ in stage.labs() if args.lab in (None, n)]
    if not numbers:
        print("check-labs: no such lab")
        return 1
    start = time.monotonic()
    rows, problems, failed = [], [], 0
    # The slowest labs (the last ones) first, so that the other slot is not
    # left with one long lab at the end.
    with ThreadPoolExecutor(max_workers=max(1, args.j)) as pool:
        last = max(n for n, _ in stage.labs())
        futures = {pool.submit(check_lab, n, args.n,
                               args.last_with.split() if n == last else ()): n
                   for n in sorted(numbers, reverse=True)}
        results = {}
        for fut in as_completed(futures):
            n = futures[fut]
            results[n] = fut.result()
            print("check-labs: lab %d %s (%.0f s since the start)"
                  % (n, "has problems" if results[n][1] else "ok", time.monotonic() - start),
                  flush=True)
        for n in numbers:
            row, found = results[n]
            rows.append(row)
            problems += found
            failed += bool(found)
    print("%-4s %-52s %s" % ("lab", "handout (LAB=n SOLVED=n-1)", "solution (LAB=n SOLVED=n)"))
    for n, handout_cell, solution_cell in rows:
        print("%-4d %-52s %s" % (n, handout_cell, solution_cell))
    for p in problems:
        print("check-labs: PROBLEM: " + p)
    print_costs()
    verdict = "FAIL" if problems else "ok"
    print("check-labs: %s, %d lab(s) in %.1f s" % (verdict, len(rows), time.monotonic() - start))
    # The plain closing line make check counts (tools/check.py): one check per lab.
    print("check-labs: %d passed, %d failed" % (len(rows) - failed, failed))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
