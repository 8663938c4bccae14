"""gradeclass -- grade a whole class's submissions in bubblewrap sandboxes.

tools/grade-class.py is the command; docs/grading-a-class.md the manual.
One idea per module:

  limits.py    the resource limits of a sandboxed phase and what enforces each
  sandbox.py   the bubblewrap command line: what a phase sees and may write
  capture.py   reading a phase's output with a size cap (head and tail kept)
  unpack.py    a git repository, git bundle, tarball or directory -> work dir
  submission.py  one submission: unpack, build, overlay grading/, grade
  results.py   a submission's outcome and its Gradescope results.json
  gradebook.py the CSV gradebook
  report.py    the HTML class report (pass rates, SVG histogram, slowest, failures)
  batch.py     many submissions in parallel, resumable, with a progress line
"""
