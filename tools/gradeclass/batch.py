"""Many submissions: in parallel, resumable, with a progress line.

Resuming: a submission whose outcome.json exists and whose fingerprint
(size and mtime of its entry) still matches is not graded again; an
interrupted one has no outcome.json yet (it is written last) and is.
"""

import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import replace
from pathlib import Path
from typing import List

from . import submission, unpack
from .submission import Job, Outcome


def entries(submissions: Path) -> List[Path]:
    """The entries of DIR that are submissions, by name."""
    return sorted(e for e in submissions.iterdir()
                  if not e.name.startswith(".") and unpack.kind_of(e))


def _done(job: Job) -> Outcome:
    path = job.out / "students" / unpack.student_name(job.entry) / "outcome.json"
    if not path.is_file():
        return None
    try:
        outcome = Outcome.load(path)
    except (ValueError, TypeError):
        return None
    return outcome if outcome.fingerprint == submission.fingerprint(job.entry) else None


class Progress:
    """graded/total, failures so far, time left (from the mean so far)."""

    def __init__(self, total: int, jobs: int, stream=sys.stderr):
        self.total, self.jobs, self.stream = total, jobs, stream
        self.done = self.failed = self.graded_now = 0
        self.start = time.monotonic()
        self.tty = stream.isatty()

    def update(self, outcome: Outcome, resumed: bool) -> None:
        self.done += 1
        self.graded_now += 0 if resumed else 1
        if outcome.status != "graded" or outcome.score < outcome.max_score:
            self.failed += 1
        elapsed = time.monotonic() - self.start
        left = ""
        if self.graded_now:
            rest = (self.total - self.done) * elapsed / self.graded_now
            left = f", about {rest / 60:.0f} min {rest % 60:.0f} s left"
        line = (f"graded {self.done}/{self.total}, {self.failed} not full marks"
                f"{left}  [{outcome.student}: {outcome.status}, {outcome.score:g}]")
        if self.tty:
            self.stream.write("\r\033[K" + line)
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def finish(self) -> None:
        if self.tty:
            self.stream.write("\n")
        elapsed = time.monotonic() - self.start
        self.stream.write(f"grade-class: {self.graded_now} graded in {elapsed:.1f} s"
                          + (f" ({60 * self.graded_now / elapsed:.1f} per minute)" if elapsed else "")
                          + f", {self.done - self.graded_now} resumed\n")


def run(template: Job, submissions: Path, jobs: int, stream=sys.stderr) -> List[Outcome]:
    todo = [replace(template, entry=e) for e in entries(submissions)]
    progress = Progress(len(todo), jobs, stream)
    outcomes = []
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = {}
        for job in todo:
            previous = _done(job)
            if previous is not None:
                outcomes.append(previous)
                progress.update(previous, resumed=True)
            else:
                futures[pool.submit(submission.grade, job)] = job
        try:
            for future in as_completed(futures):
                outcome = future.result()
                outcomes.append(outcome)
                progress.update(outcome, resumed=False)
        except KeyboardInterrupt:
            # Not the pool's shutdown, which would wait for every running
            # submission: exit now. Each sandbox dies with us (bwrap
            # --die-with-parent); a submission without outcome.json is
            # graded again by the next run.
            stream.write("\ngrade-class: interrupted; run the same command again to resume\n")
            stream.flush()
            os._exit(130)
    progress.finish()
    return sorted(outcomes, key=lambda o: o.student)
