#!/usr/bin/python3
"""grade-class.py -- grade a whole class, each submission in a sandbox.

    /usr/bin/python3 tools/grade-class.py SUBMISSIONS --lab N [--jobs K] [--out DIR]
        [--trusted GRADING_DIR] [--select PYTEST_K_EXPR] [--tight]
        [--ccache DIR [--warm-ccache TREE]] [--timeout-scale X] [--keep-work]

(`make grade-class SUBMISSIONS=DIR LAB=n [JOBS=k]` runs it.) Every entry of
SUBMISSIONS (a git repository, a git bundle, a tarball or a directory; one
per student, named after the student) is unpacked, built and graded by
tools/gradeclass (see its __init__ for the modules, docs/grading-a-class.md
for the manual). Writes into OUT (default build/grade-class/labN):
    gradebook.csv             one row per student, a column per test, total
    report.html               pass rates, histogram, slowest, failure groups
    students/NAME/log.txt     what happened, phase by phase
    students/NAME/results.json  Gradescope's format
    students/NAME/outcome.json  this tool's record (resuming reads it)
Run it again on the same OUT and it resumes: graded submissions are kept.
Must run as root (the sandboxes run as uid 65534 through setpriv).
"""

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gradeclass import batch, gradebook, limits, report, sandbox, submission  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("submissions", type=Path)
    p.add_argument("--lab", type=int, required=True)
    p.add_argument("--jobs", type=int, default=2, help="submissions graded at once")
    p.add_argument("--out", type=Path)
    p.add_argument("--trusted", type=Path, default=ROOT / "grading",
                   help="the instructor's grading/ (default: this tree's)")
    p.add_argument("--select", default="", help="pytest -k expression: grade only these tests")
    p.add_argument("--tight", action="store_true", help="make check's short limits")
    p.add_argument("--ccache", type=Path, help="a compiler cache the builds may read")
    p.add_argument("--warm-ccache", type=Path, metavar="TREE",
                   help="first build TREE (trusted) to fill --ccache")
    p.add_argument("--timeout-scale", type=float,
                   help="fixed grader timeout scale (TIDEPOOL_TIMEOUT_SCALE) instead of calibrating")
    p.add_argument("--keep-work", action="store_true", help="keep each work directory")
    return p.parse_args(argv)


def missing_tools():
    return [t for t in ("bwrap", "setpriv", "prlimit", "git", "tar") if not shutil.which(t)]


def main(argv=None) -> int:
    args = parse_args(argv)
    if missing_tools():
        print(f"grade-class: missing {' '.join(missing_tools())}: run tools/deps.sh all "
              "(bubblewrap, util-linux, git, tar)", file=sys.stderr)
        return 2
    if os.geteuid() != 0:
        print("grade-class: run as root: the sandboxes drop to uid 65534 (setpriv)", file=sys.stderr)
        return 2
    out = (args.out or ROOT / "build" / "grade-class" / f"lab{args.lab}").resolve()
    out.mkdir(parents=True, exist_ok=True)
    for what, path in (("--trusted", args.trusted), ("--ccache", args.ccache)):
        if path and not sandbox.reachable(path):
            print(f"grade-class: {what} {path}: a directory above it is closed to others "
                  "(o-x), so the sandbox's uid 65534 cannot reach it", file=sys.stderr)
            return 2
    work = out / "work"
    if not sandbox.reachable(work):
        # OUT sits under a private directory (pytest's tmp, a 0700 home):
        # the work dirs go to a fresh one in /tmp that the sandbox can reach.
        work = Path(tempfile.mkdtemp(prefix="grade-class-", dir="/tmp"))
        os.chmod(work, 0o711)
    phase_limits = limits.TIGHT if args.tight else dict(
        UNPACK=limits.UNPACK, BUILD=limits.BUILD, GRADE=limits.GRADE)
    if args.ccache and args.warm_ccache:
        r = submission.warm_ccache(args.warm_ccache.resolve(), args.ccache.resolve(),
                                   phase_limits["BUILD"])
        print(f"grade-class: warmed the compiler cache: {'ok' if r.ok() else r.output[-2000:]}",
              file=sys.stderr)
    template = submission.Job(entry=Path("."), lab=args.lab, trusted=args.trusted.resolve(),
                              out=out, work=work, limits=phase_limits, select=args.select,
                              ccache=args.ccache.resolve() if args.ccache else None,
                              keep_work=args.keep_work, timeout_scale=args.timeout_scale)
    try:
        outcomes = batch.run(template, args.submissions.resolve(), args.jobs)
    finally:
        if work != out / "work":
            shutil.rmtree(work, ignore_errors=True)
    gradebook.write_csv(outcomes, out / "gradebook.csv")
    gradebook.write_ungraded_results(outcomes, out)
    report.write_html(outcomes, out / "report.html", f"Tidepool lab {args.lab}: class report")
    print(f"grade-class: {out}/gradebook.csv, {out}/report.html, {out}/students/", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
