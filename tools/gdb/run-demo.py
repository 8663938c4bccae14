#!/usr/bin/python3
"""Run a lecture demo in GDB; without pauses, check its expect lines.

    run-demo.py --kernel build/kernel.elf [--pause 0|1] [--quiet] [--log FILE] DEMO

`make demo LAB=n [DEMO_PAUSE=0]` and `make test-demos` call this.

--pause 1 (DEMO_PAUSE=1, the lecture): GDB takes over the terminal, plays
the demo (tidepool-demo), waits for Enter between steps and leaves the GDB
prompt at the end. Nothing is checked.

--pause 0 (CI): GDB runs in batch mode; its output (GDB's stdout and
stderr) is shown (with --quiet: only when something fails), saved to
--log, and every `# expect:` / `# expect-re:` line of the demo must match
a line of it, in order. The exit status is 0 only when GDB succeeded, all
expect lines matched, and no Python traceback appeared.
"""
import argparse
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from tpgdb import demofile  # noqa: E402

TIMEOUT = 120       # seconds; a demo takes one or two


def gdb_argv(kernel, demo, batch):
    gdb = os.environ.get("TIDEPOOL_GDB") or "gdb"
    argv = [gdb, "-q", "-nx"]
    if batch:
        argv.append("-batch")
    argv += ["-ex", "source " + os.path.join(HERE, "tidepool.py"),
             "-ex", "tidepool-demo %s%s" % ("--no-pause " if batch else "", demo),
             kernel]
    return argv


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--kernel", required=True)
    ap.add_argument("--pause", default=os.environ.get("DEMO_PAUSE", "1"))
    ap.add_argument("--quiet", action="store_true")
    ap.add_argument("--log")
    ap.add_argument("demo")
    args = ap.parse_args()
    name = os.path.basename(args.demo)
    try:
        demo = demofile.load(args.demo)
    except (OSError, demofile.DemoError) as err:
        print("demo: %s" % err)
        return 2
    if not os.path.exists(args.kernel):
        print("demo: no kernel %s: build it first (make kernel)" % args.kernel)
        return 2

    if args.pause != "0":
        env = dict(os.environ, DEMO_PAUSE="1")
        argv = gdb_argv(args.kernel, args.demo, batch=False)
        os.execvpe(argv[0], argv, env)

    env = dict(os.environ, DEMO_PAUSE="0")
    start = time.monotonic()
    try:
        proc = subprocess.run(gdb_argv(args.kernel, args.demo, batch=True), env=env,
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=TIMEOUT)
        output, status = proc.stdout.decode("utf-8", "replace"), proc.returncode
    except subprocess.TimeoutExpired as err:
        output = (err.stdout or b"").decode("utf-8", "replace")
        status = None
    elapsed = time.monotonic() - start
    if args.log:
        with open(args.log, "w", encoding="utf-8") as f:
            f.write(output)

    problems = []
    if status is None:
        problems.append("GDB did not finish within %d s" % TIMEOUT)
    elif status != 0:
        problems.append("GDB exited with status %d (a demo command failed?)" % status)
    for bad in ("Traceback (most recent call last)", "Python Exception"):
        if bad in output:
            problems.append("the output holds a Python error (%r)" % bad)
    matched, failures = demofile.check(demo.expects, output)
    problems += failures

    if not args.quiet or problems:
        sys.stdout.write(output)
        if not output.endswith("\n"):
            sys.stdout.write("\n")
    if problems:
        for p in problems:
            print("demo-check: FAIL %s: %s" % (name, p))
        if args.log:
            print("demo-check: the whole output is in %s" % args.log)
        return 1
    print("demo-check: PASS %s: %d steps, %d/%d expected lines in order (%.1f s)"
          % (name, len(demo.steps), len(matched), len(demo.expects), elapsed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
