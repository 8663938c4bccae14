#!/usr/bin/python3
"""check-mutants.py -- tests for the tests: every seeded bug is caught.

    /usr/bin/python3 tools/check-mutants.py [--lab N] [-j N] [--list] [--no-control] [NAME...]

Run from anywhere; paths are relative to the repository root. Each
labs/NN-name/mutants/*.patch is a plausible student mistake: a header

    Mutant: one line saying what the mistake is
    Lab: 1
    Kills: tests/lab1/test_ktest.py::test_in_kernel_case[boot.mmap_sane]
    Kills: hidden/lab1/test_boot_hidden.py::test_mmap_matches_loader
    Kills: host/kernel-tests::ipv4/total_length_larger_than_the_frame

(free text may follow), then a `git diff` of the reference tree. `Kills:`
names pytest node ids relative to grading/, or a Criterion case of the
kernel's host tests (`make test-kernel-host`) as host/kernel-tests::SUITE/CASE:
pure logic (lab 6's packet parsers) is best caught where it runs alone.
For each mutant this script

  1. copies the repository's files as they are in the work tree (tracked
     and untracked-but-not-ignored: `git ls-files -co --exclude-standard`)
     to build/mutants/<lab>-<name>/ and `git apply`s the patch there;
  2. builds the kernel there (`make kernel`, -Werror), starting from the
     build/ of one unpatched "seed" build so that only what the patch
     touched is compiled again: a mutant that does not build is broken;
  3. runs exactly the named tests against that kernel (the grader's
     timeout scale measured once, on the seed's kernel, for every run:
     TIDEPOOL_TIMEOUT_SCALE) and reads the JUnit
     XML: each must end in a <failure>. A pass (SURVIVED), an <error>, a
     skip or a missing test fails the check. Host cases: the copy builds
     build/host/kernel-tests and runs it with --filter SUITE/CASE; a
     failing or crashing case is killed, a case that runs nothing is missing.

A control run does the same without a patch: every test a mutant names must
pass on the reference, or killing it proves nothing (--no-control skips it).
Prints a table and exits 1 if any mutant survived or is broken.

NAME... limits the run to mutants whose name (or lab/name) contains NAME.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

ROOT = Path(__file__).resolve().parent.parent
PYTHON = "/usr/bin/python3"
WORK = ROOT / "build" / "mutants"
PYTEST_TIMEOUT = 600  # seconds for one mutant's tests (the grader has its own timeouts)
BUILD_TIMEOUT = 300

# Variables a calling make (or the user's shell) may carry that would change
# which checkpoint the copy builds or where the grader looks.
SCRUB_ENV = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "LAB", "SOLVED", "BUILD",
             "KERNEL", "CMDLINE", "GRADE_ARGS", "TIDEPOOL_KERNEL", "PYTEST_ADDOPTS")


@dataclass
class Mutant:
    lab: int
    name: str
    path: Path
    description: str = ""
    kills: List[str] = field(default_factory=list)
    problems: List[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.lab}/{self.name}"

    @property
    def dirname(self) -> str:
        return f"{self.lab}-{self.name}"


@dataclass
class Outcome:
    mutant: Optional[Mutant]  # None: the control run
    tests: Dict[str, str] = field(default_factory=dict)  # node id -> killed|SURVIVED|error|...
    broken: str = ""  # why the mutant could not be tested (apply, build, pytest)
    details: List[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        want = "passed" if self.mutant is None else "killed"
        return not self.broken and bool(self.tests) and all(v == want for v in self.tests.values())


# ---------------------------------------------------------------------------
# Finding and reading the patches


def parse_patch(path: Path, lab: int) -> Mutant:
    m = Mutant(lab=lab, name=path.name[:-len(".patch")], path=path)
    text = path.read_text(errors="replace")
    head, sep, _ = text.partition("diff --git ")
    if not sep:
        m.problems.append("no 'diff --git' in the patch")
    header_lab = None
    for line in head.split("\n"):
        key, colon, value = line.partition(":")
        if not colon:
            continue
        key, value = key.strip().lower(), value.strip()
        if key == "mutant":
            m.description = value
        elif key == "lab":
            header_lab = value
        elif key == "kills" and value:
            m.kills.append(value)
    if not m.description:
        m.problems.append("no 'Mutant: DESCRIPTION' line")
    if header_lab is None:
        m.problems.append("no 'Lab: N' line")
    elif header_lab != str(lab):
        m.problems.append(f"'Lab: {header_lab}' but the patch is in lab {lab}'s directory")
    if not m.kills:
        m.problems.append("no 'Kills: TEST' line")
    for k in m.kills:
        if "::" not in k or k.startswith(("grading/", "/")):
            m.problems.append(f"'Kills: {k}' is not a pytest node id relative to grading/ "
                              f"(like tests/lab1/test_boot.py::test_modules)")
    return m


def find_mutants(max_lab: Optional[int], names: List[str]) -> List[Mutant]:
    found = []
    for labdir in sorted((ROOT / "labs").glob("[0-9][0-9]-*")):
        lab = int(labdir.name[:2])
        if max_lab is not None and lab > max_lab:
            continue
        for patch in sorted((labdir / "mutants").glob("*.patch")):
            m = parse_patch(patch, lab)
            if names and not any(n in m.label for n in names):
                continue
            found.append(m)
    return found


# ---------------------------------------------------------------------------
# One run: copy, patch, build, grade


# TIDEPOOL_TIMEOUT_SCALE for every run's grader, measured once (main()).
TIMEOUT_SCALE: Dict[str, str] = {}


def clean_env() -> Dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SCRUB_ENV}
    env["GIT_CEILING_DIRECTORIES"] = str(WORK)  # the copies are not in /work/main's repo
    env.update(TIMEOUT_SCALE)
    return env


def calibrate_once(seed: Optional[Path]) -> str:
    """Times the seed's kernel as the grader does (grading/tidepool/
    timeouts.py) and has every run use that scale: each grader run would
    otherwise boot QEMU twice to measure the same machine (about 0.4 CPU
    seconds a mutant). A scale set by the caller is kept. Returns what
    was done, for the log."""
    if os.environ.get("TIDEPOOL_TIMEOUT_SCALE", "").strip():
        return "timeout scale from TIDEPOOL_TIMEOUT_SCALE"
    if seed is None or not (seed / "kernel.elf").is_file():
        return "timeout scale: each run calibrates (no seed kernel)"
    sys.path.insert(0, str(ROOT / "grading"))
    from tidepool import timeouts  # noqa: E402  (the grader's own package)
    cal = timeouts.calibrate(str(seed / "kernel.elf"))
    TIMEOUT_SCALE["TIDEPOOL_TIMEOUT_SCALE"] = "%.3f" % cal.scale
    return cal.describe() + ", measured once for every run"


def tree_files() -> List[str]:
    out = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT,
                         check=True, capture_output=True).stdout
    return sorted({f for f in out.decode().split("\0") if f})


def copy_tree(files: List[str], dest: Path) -> None:
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    for rel in files:
        src = ROOT / rel
        if rel.startswith("build/") or not (src.is_file() or src.is_symlink()):
            continue  # deleted in the work tree, or a submodule
        dst = dest / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_symlink():
            os.symlink(os.readlink(src), dst)
        else:
            shutil.copy2(src, dst)


def tail(text: str, n: int = 15) -> List[str]:
    lines = [ln for ln in text.rstrip("\n").split("\n") if ln.strip()]
    return lines[-n:]


def build_errors(text: str, n: int = 12) -> List[str]:
    """The first error lines of a build log (with their context), else its tail."""
    lines = text.rstrip("\n").split("\n")
    hits = [i for i, ln in enumerate(lines) if re.search(r"\berror\b|Error \d|: Error:", ln)]
    if not hits:
        return tail(text, n)
    first = max(0, hits[0] - 2)
    return [ln for ln in lines[first:first + n] if ln.strip()]


def junit_key(nodeid: str):
    """A node id's (classname, name) in pytest's JUnit XML (rootdir grading/)."""
    path, *rest = nodeid.split("::")
    classname = path[:-len(".py")].replace("/", ".") if path.endswith(".py") else path
    return ".".join([classname] + rest[:-1]), (rest[-1] if rest else "")


def junit_outcomes(xml_path: Path, tests: List[str]) -> Dict[str, str]:
    """node id -> passed|failed|error|skipped|missing, for the tests asked for."""
    seen: Dict[tuple, str] = {}
    for case in ET.parse(xml_path).getroot().iter("testcase"):
        key = (case.get("classname", ""), case.get("name", ""))
        kinds = {child.tag for child in case}
        outcome = ("error" if "error" in kinds else "failed" if "failure" in kinds
                   else "skipped" if "skipped" in kinds else "passed")
        if seen.get(key) != "error":  # a test that failed and then errored in teardown
            seen[key] = outcome
    return {t: seen.get(junit_key(t), "missing") for t in tests}


def make_jobs(jobs: int) -> int:
    return max(1, min(4, (os.cpu_count() or 2) // max(1, jobs)))


SEED = WORK / "0-seed"
HOST_PREFIX = "host/kernel-tests::"
HOST_TIMEOUT = 300  # seconds to build the host tests, and to run one case
SYNTHESIS = re.compile(r"Synthesis: Tested: (\d+) \| Passing: (\d+) \| Failing: (\d+) \| "
                       r"Crashing: (\d+)")


def is_host_test(test: str) -> bool:
    return test.startswith(HOST_PREFIX)


def run_host_tests(dest: Path, tests: List[str], env: Dict[str, str], jobs: int,
                   out: Outcome) -> Optional[Dict[str, str]]:
    """Build the copy's Criterion host tests and run each named case alone:
    node id -> passed|failed|missing. None (out.broken set) if they do not build."""
    log = dest / "mutant-host-build.log"
    try:
        p = subprocess.run(["make", "-C", str(dest), f"-j{make_jobs(jobs)}",
                            "build/host/kernel-tests"], env=env, capture_output=True,
                           text=True, timeout=HOST_TIMEOUT)
        log.write_text(p.stdout + p.stderr)
        status = p.returncode
    except subprocess.TimeoutExpired:
        status = None
    binary = dest / "build" / "host" / "kernel-tests"
    if status != 0 or not binary.is_file():
        out.broken = "the host tests do not build"
        out.details += build_errors(log.read_text() if log.exists() else "")
        return None
    henv = dict(env, LSAN_OPTIONS="suppressions=%s" % (dest / "tools" / "lsan.supp"))
    got = {}
    for t in tests:
        case = t[len(HOST_PREFIX):]
        try:
            p = subprocess.run([str(binary), "--filter", case], cwd=dest, env=henv,
                               capture_output=True, text=True, timeout=HOST_TIMEOUT)
            text = p.stdout + p.stderr
        except subprocess.TimeoutExpired:
            got[t] = "failed"   # a hang is a failure Criterion would report as a crash
            continue
        (dest / ("mutant-host-%s.log" % case.replace("/", "."))).write_text(text)
        m = SYNTHESIS.search(text)
        if m is None or int(m.group(1)) == 0:
            got[t] = "missing"
        else:
            got[t] = "failed" if int(m.group(3)) + int(m.group(4)) > 0 else "passed"
    return got


# What `make kernel` (and the host tests) leave in build/: the seed starts
# from the work tree's own copy of them, when there is one.
SEED_REUSE = ["kernel", "libk", "userland", "initrd.cpio", "kernel.elf", "kernel-nosyms.elf",
              "ksyms.S", "ksyms.o", "ksyms.d", "ksyms-empty.S", "ksyms-empty.o",
              "ksyms-empty.d"]


def reuse_build(dest: Path, host: bool) -> None:
    """Copy the work tree's own build of the kernel (and host tests) into
    the seed's build/, times kept: make in the seed then compiles only
    what is older than its source, as in the work tree itself. Under
    make check the kernel part has just built it, so the seed costs a
    make that finds everything up to date instead of a second whole
    build. Objects name their sources relative to the tree
    (-fdebug-prefix-map), so they are the same in any copy."""
    for rel in SEED_REUSE + (["host"] if host else []):
        src = ROOT / "build" / rel
        if src.is_dir():
            shutil.copytree(src, dest / rel, symlinks=True, dirs_exist_ok=True)
        elif src.is_file():
            dest.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / rel)


def build_seed(files: List[str], jobs: int, host: bool) -> Optional[Path]:
    """Build the unpatched tree once; every copy starts from its build/.

    The copies keep the sources' times (copy2) and the seed's objects are
    newer, so make rebuilds in a copy only what its patch touched (and
    what depends on it): a mutant costs a few compiles and a link, not a
    whole kernel and userland. None if the seed does not build (each
    mutant then builds from scratch and reports its own errors). host:
    the Criterion host tests too (one object per source), when a mutant
    is killed by one of them.
    """
    copy_tree(files, SEED)
    reuse_build(SEED / "build", host)
    targets = ["kernel"] + (["build/host/kernel-tests"] if host else [])
    p = subprocess.run(["make", "-C", str(SEED), f"-j{max(2, make_jobs(1))}", *targets],
                       env=clean_env(), capture_output=True, text=True, timeout=BUILD_TIMEOUT)
    (SEED / "seed-build.log").write_text(p.stdout + p.stderr)
    return SEED / "build" if p.returncode == 0 else None


def run_one(mutant: Optional[Mutant], tests: List[str], files: List[str], jobs: int,
            seed: Optional[Path] = None) -> Outcome:
    start = time.monotonic()
    out = Outcome(mutant)
    dest = WORK / (mutant.dirname if mutant else "0-control")
    env = clean_env()
    try:
        if mutant is not None and mutant.problems:
            out.broken = "bad patch header"
            out.details += mutant.problems
            return out
        copy_tree(files, dest)
        if seed is not None:
            shutil.copytree(seed, dest / "build", symlinks=True)
        if mutant is not None:
            p = subprocess.run(["git", "apply", "--whitespace=nowarn", str(mutant.path)],
                               cwd=dest, env=env, capture_output=True, text=True)
            if p.returncode != 0:
                out.broken = "the patch does not apply to the work tree"
                out.details += tail(p.stderr) + [f"(git apply {mutant.path.relative_to(ROOT)} "
                                                 f"in {dest.relative_to(ROOT)})"]
                return out
        log = dest / "mutant-build.log"
        try:
            p = subprocess.run(["make", "-C", str(dest), f"-j{make_jobs(jobs)}", "kernel"],
                               env=env, capture_output=True, text=True, timeout=BUILD_TIMEOUT)
            log.write_text(p.stdout + p.stderr)
            status = p.returncode
        except subprocess.TimeoutExpired:
            status = None
        kernel = dest / "build" / "kernel.elf"
        if status != 0 or not kernel.is_file():
            out.broken = "the kernel does not build" + ("" if status is not None else
                                                        f" within {BUILD_TIMEOUT} s")
            out.details += build_errors(log.read_text() if log.exists() else "")
            out.details.append(f"(whole log: {log.relative_to(ROOT)})")
            return out
        host_tests = [t for t in tests if is_host_test(t)]
        got = {}
        if host_tests:
            host = run_host_tests(dest, host_tests, env, jobs, out)
            if host is None:
                return out
            got.update(host)
        tests_all, tests = tests, [t for t in tests if not is_host_test(t)]
        if not tests:
            return finish(out, mutant, tests_all, got, "build/host/kernel-tests --filter CASE "
                          f"in {dest.relative_to(ROOT)}")
        junit = dest / "mutant-junit.xml"
        cmd = [PYTHON, "-B", "-m", "pytest", "-c", "grading/pytest.ini", "-q",
               "--junitxml", str(junit)] + ["grading/" + t for t in tests]
        env["TIDEPOOL_KERNEL"] = str(kernel)
        shown = f"cd {dest.relative_to(ROOT)} && TIDEPOOL_KERNEL=build/kernel.elf " + \
            shlex.join(cmd[:7] + ["grading/" + t for t in tests])
        plog = dest / "mutant-pytest.log"
        try:
            p = subprocess.run(cmd, cwd=dest, env=env, capture_output=True, text=True,
                               timeout=PYTEST_TIMEOUT)
            plog.write_text(p.stdout + p.stderr)
            status = p.returncode
        except subprocess.TimeoutExpired as exc:
            plog.write_text((exc.stdout or b"").decode(errors="replace")
                            if isinstance(exc.stdout, bytes) else (exc.stdout or ""))
            status = None
        if status not in (0, 1) or not junit.is_file():
            why = {None: f"did not finish within {PYTEST_TIMEOUT} s", 2: "was interrupted",
                   3: "hit an internal error", 4: "was called wrongly (a test id not found?)",
                   5: "collected no tests"}.get(status, f"exited with status {status}")
            missing = re.findall(r"^ERROR: not found: \S*?/grading/(\S+)", plog.read_text(), re.M)
            out.broken = (f"no such test: {', '.join(missing)}" if missing else f"pytest {why}")
            out.details += tail(plog.read_text(), 20) + [f"(reproduce: {shown})"]
            return out
        got.update(junit_outcomes(junit, tests))
        return finish(out, mutant, tests_all, got,
                      f"{shown}; log: {plog.relative_to(ROOT)}")
    except Exception as exc:  # a bug here must not hide the other mutants' results
        out.broken = f"check-mutants failed: {type(exc).__name__}: {exc}"
        return out
    finally:
        out.seconds = time.monotonic() - start


def finish(out: Outcome, mutant: Optional[Mutant], tests: List[str], got: Dict[str, str],
           reproduce: str) -> Outcome:
    for t in tests:
        o = got[t]
        if mutant is None:
            out.tests[t] = o
        else:
            out.tests[t] = {"failed": "killed", "passed": "SURVIVED"}.get(o, o)
    if not out.ok:
        out.details.append(f"(reproduce: {reproduce})")
    return out


# ---------------------------------------------------------------------------
# Reporting


def print_table(outcomes: List[Outcome]) -> None:
    labels = [o.mutant.label if o.mutant else "(control: no patch)" for o in outcomes]
    width = max([len("mutant")] + [len(x) for x in labels])
    print(f"{'mutant':<{width}}  {'result':<14}  description / named tests")
    print("-" * (width + 60))
    for o, label in zip(outcomes, labels):
        if o.broken:
            result = "BROKEN"
        elif o.mutant is None:
            good = sum(v == "passed" for v in o.tests.values())
            result = f"{'ok' if o.ok else 'FAILS'} {good}/{len(o.tests)}"
        else:
            good = sum(v == "killed" for v in o.tests.values())
            result = f"{'killed' if o.ok else 'SURVIVED'} {good}/{len(o.tests)}"
        desc = o.mutant.description if o.mutant else \
            "every test a mutant names passes on the reference"
        print(f"{label:<{width}}  {result:<14}  {desc}  ({o.seconds:.1f} s)")
        if o.broken:
            print(f"{'':<{width}}  {'':<14}  {o.broken}")
        for test, verdict in o.tests.items():
            print(f"{'':<{width}}    {verdict:<12}  {test}")
        for line in o.details:
            print(f"{'':<{width}}      | {line}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lab", type=int, help="only the mutants of labs 1..N")
    ap.add_argument("-j", "--jobs", type=int, default=2, help="mutants checked in parallel (2)")
    ap.add_argument("--list", action="store_true", help="list the mutants and their Kills lines")
    ap.add_argument("--no-control", action="store_true",
                    help="skip the run that checks the named tests pass without a patch")
    ap.add_argument("names", nargs="*", help="only mutants whose lab/name contains one of these")
    args = ap.parse_args()

    mutants = find_mutants(args.lab, args.names)
    if args.list:
        for m in mutants:
            print(f"{m.label}: {m.description or '(no description)'}")
            for k in m.kills:
                print(f"    Kills: {k}")
            for p in m.problems:
                print(f"    PROBLEM: {p}")
        print(f"{len(mutants)} mutants")
        return 0 if all(not m.problems for m in mutants) else 1
    if not mutants:
        print("check-mutants: no mutants found (labs/NN-name/mutants/*.patch)"
              + (f" for labs <= {args.lab}" if args.lab else "")
              + (f" matching {' '.join(args.names)}" if args.names else ""))
        return 1

    start = time.monotonic()
    files = tree_files()
    if WORK.exists():
        shutil.rmtree(WORK)  # copies of an earlier run (kept until now for debugging)
    WORK.mkdir(parents=True)
    jobs = max(1, args.jobs)
    work = []
    if not args.no_control:
        control_tests = list(dict.fromkeys(k for m in mutants if not m.problems for k in m.kills))
        if control_tests:
            work.append((None, control_tests))
    work += [(m, m.kills) for m in mutants]
    results: Dict[int, Outcome] = {}
    print(f"check-mutants: {len(mutants)} mutants, {jobs} at a time, copies in "
          f"{WORK.relative_to(ROOT)}/", flush=True)
    seed_start = time.monotonic()
    seed = build_seed(files, jobs, any(is_host_test(t) for _, tests in work for t in tests))
    print(f"  seed build: {'ok' if seed else 'FAILED (see ' + str(SEED.relative_to(ROOT)) + '/seed-build.log)'}"
          f" ({time.monotonic() - seed_start:.1f} s)", flush=True)
    print("  " + calibrate_once(seed), flush=True)
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(run_one, m, tests, files, jobs, seed): i
                   for i, (m, tests) in enumerate(work)}
        for n, fut in enumerate(as_completed(futures), 1):
            i = futures[fut]
            o = results[i] = fut.result()
            label = o.mutant.label if o.mutant else "control"
            verdict = ("broken" if o.broken else
                       ("ok" if o.ok else "FAILS") if o.mutant is None else
                       ("killed" if o.ok else "SURVIVED"))
            print(f"  [{n}/{len(work)}] {label}: {verdict} ({o.seconds:.1f} s)", flush=True)
    outcomes = [results[i] for i in range(len(work))]
    print()
    print_table(outcomes)

    muts = [o for o in outcomes if o.mutant is not None]
    killed = sum(o.ok for o in muts)
    broken = sum(bool(o.broken) for o in muts)
    survived = len(muts) - killed - broken
    control = next((o for o in outcomes if o.mutant is None), None)
    elapsed = time.monotonic() - start
    line = (f"check-mutants: {len(muts)} mutants: {killed} killed, {survived} survived, "
            f"{broken} broken")
    if control is not None:
        line += "; control " + ("ok" if control.ok else "FAILED (a named test fails "
                                "without any patch)")
    print()
    print(f"{line} ({elapsed:.1f} s)")
    # The plain closing line CI reads: a killed mutant is a passed check.
    control_failed = 0 if control is None or control.ok else 1
    print(f"check-mutants: {killed} passed, {len(muts) - killed + control_failed} failed")
    return 0 if killed == len(muts) and (control is None or control.ok) else 1


if __name__ == "__main__":
    sys.exit(main())
