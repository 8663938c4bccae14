#!/usr/bin/python3
"""The stager: lab handouts and lab branches from the one reference tree.

    labs/stage.py list
    labs/stage.py handout --lab N [--solved M] --out DIR
    labs/stage.py branches --out REPO [--mode checkpoint|merge]

A handout of lab N is the reference tree at LAB=N, SOLVED=N-1: every
`#if LAB >= k` / `#if SOLVED >= k` region in C, headers and assembly is
resolved by unifdef (Debian's package), so earlier labs arrive solved, lab
N's holes are open (their stubs stay) and later labs are gone. On top:

  * files of later labs are absent: a C/assembly file whose whole content
    was inside `#if LAB >= k` (k > N) resolves to nothing and is dropped;
    lab directories (labs/NN-*, slides/NN-*, grading/tests/labNN) of later
    labs are dropped by name;
  * instructor-only files never ship (INSTRUCTOR_ONLY below): hidden tests,
    mutants, the stager and the checks that use it;
  * the Makefile's LAB_DEFAULT/SOLVED_DEFAULT say which checkpoint this is,
    and README.md starts with a note naming the lab.

Branches: one per existing lab (lab1-boot, lab2-interrupts, ...), each a
commit of that lab's handout on top of the previous lab's.
  * checkpoint mode (default): lab N's branch is the LAB=N, SOLVED=N-1
    handout, so every branch boots and passes the earlier labs' tests;
  * merge mode (as in JOS): lab N's branch is LAB=N, SOLVED=0, so going
    from lab N-1 to lab N adds only lab N's scaffolding, and a student
    merges the next lab into their finished work without conflicts.
"""

import argparse
import fnmatch
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from gradeclass import classroom  # noqa: E402  (make branches writes .github/)

# Files resolved with unifdef (the C preprocessor's syntax).
PREPROCESSED = (".c", ".h", ".S")

# Never in a handout, whatever the lab (globs on repository paths).
INSTRUCTOR_ONLY = [
    "grading/hidden/*",
    "grading/class/*",          # the class grader's hostile fixtures and their test
    "labs/*/mutants/*",
    "labs/stage.py",
    "labs/tests/*",
    "tools/check-mutants.py",
    "tools/check-labs.py",
]

# Directories that belong to one lab, by their number.
LAB_DIRECTORY = [
    re.compile(r"^labs/(\d\d)-[^/]+/"),
    re.compile(r"^slides/(\d\d)-[^/]+"),
    re.compile(r"^grading/tests/lab(\d+)/"),
    re.compile(r"^tools/gdb/demos/(\d\d)[a-z]?-[^/]+\.gdb$"),   # 04b-syscall.gdb: lab 4
]


# Files and directories that arrive with a lab without a number in their
# path: the user programs and what they share with the kernel (lab 4).
LAB_PATHS = [
    # Lab 6 (first: the first match wins): httpd's pages and the tool
    # that generates its 1 MiB test file.
    (re.compile(r"^userland/www/"), 6),
    (re.compile(r"^tools/make-www-blob\.py$"), 6),
    (re.compile(r"^userland/"), 4),
    (re.compile(r"^kernel/abi/"), 4),
    (re.compile(r"^docs/abi\.md$"), 4),
    (re.compile(r"^docs/userland\.md$"), 4),
    (re.compile(r"^docs/unikernel\.md$"), 4),
    (re.compile(r"^tools/make-bad-elves\.py$"), 4),
    (re.compile(r"^tools/bench-boot\.py$"), 4),
    (re.compile(r"^tools/bench-linux(\.mk|-kernel\.sh)$"), 4),
    (re.compile(r"^docs/bench-linux\.md$"), 4),
    # Lab 6's user-program test (Python: no #if to resolve it away).
    (re.compile(r"^grading/userland/test_socket\.py$"), 6),
    (re.compile(r"^grading/userland/test_netapps\.py$"), 6),
    (re.compile(r"^grading/userland/test_soak\.py$"), 6),  # issue 17's soak: curl to httpd
    # Lab 5's soak at the issue's sizes (before the directory's rule:
    # the first match decides).
    (re.compile(r"^grading/userland/test_mp_sizes\.py$"), 5),
    (re.compile(r"^grading/userland/"), 4),
    # Lab 5: several CPUs. The ACPI tables dumped from QEMU and Bochs for
    # the MADT parser's host tests, the tools that dump them, the SMP
    # boot walkthrough.
    (re.compile(r"^kernel/tests/host/fixtures/acpi/"), 5),
    (re.compile(r"^tools/acpi-(dump\.py|fixtures\.sh)$"), 5),
    (re.compile(r"^docs/smp-boot\.md$"), 5),
    (re.compile(r"^grading/selftest/test_doublefault_smp\.py$"), 5),
    # Lab 6: the grader's network harness (QEMU netdevs, the scapy peer,
    # Bochs with an E1000, the soak's parts) and the network benchmark.
    (re.compile(r"^grading/tidepool/(net|netpeer|bochs|soak)\.py$"), 6),
    # The libFuzzer harnesses' seeds, with the lab of the parser they feed
    # (the Makefile's FUZZ_NAMES builds a harness from that lab on).
    (re.compile(r"^kernel/tests/fuzz/(corpus-net/|net_fuzz\.c$|gen-net-frames\.py$)"), 6),
    (re.compile(r"^kernel/tests/fuzz/(corpus-acpi/|acpi_fuzz\.c$)"), 5),
    (re.compile(r"^kernel/tests/fuzz/(corpus-(cpio|elf|ldisc)/|(cpio|elf|ldisc)_fuzz\.c$)"), 4),
    (re.compile(r"^grading/selftest/test_(net_harness|soak_logic)\.py$"), 6),
    (re.compile(r"^tools/bench-net\.py$"), 6),
]


class StageError(Exception):
    pass


# ---------------------------------------------------------------------------
# The labs that exist


def labs(root=ROOT):
    """[(number, name)] for every labs/NN-name/ with a README.md, in order."""
    found = []
    for readme in sorted((root / "labs").glob("[0-9][0-9]-*/README.md")):
        number, name = readme.parent.name.split("-", 1)
        found.append((int(number), name))
    return found


def branch_name(number, name):
    return "lab%d-%s" % (number, name)


# ---------------------------------------------------------------------------
# Choosing and resolving files


def source_files(root=ROOT):
    """The reference tree's files: tracked, plus untracked ones git does not
    ignore (so an instructor can stage work before committing it)."""
    out = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"],
                         cwd=root, check=True, capture_output=True).stdout
    return sorted(p for p in out.decode().split("\0") if p and (root / p).is_file())


def instructor_only(path):
    return any(fnmatch.fnmatch(path, pattern) for pattern in INSTRUCTOR_ONLY)


def lab_of_path(path):
    """The lab a file belongs to by its directory, or None."""
    for pattern in LAB_DIRECTORY:
        m = pattern.match(path)
        if m:
            return int(m.group(1))
    for pattern, lab in LAB_PATHS:
        if pattern.match(path):
            return lab
    return None


# A conditional that names LAB or SOLVED: only a file with one needs unifdef.
_LAB_CONDITIONAL = re.compile(r"^[ \t]*#[ \t]*(if|ifdef|ifndef|elif)\b.*\b(LAB|SOLVED)\b", re.M)


def unifdef(text, lab, solved, path):
    """Resolve the LAB/SOLVED conditionals of one file."""
    if not _LAB_CONDITIONAL.search(text):
        return text         # nothing to resolve (and one process fewer)
    status, out, err = _run_unifdef(text, lab, solved)
    if status != 0:
        raise StageError("unifdef failed on %s: %s" % (path, err.strip()))
    return out


# What unifdef made of each (text, lab, solved): a pure function of its
# input, so remembered. One process stages many trees (the stager's tests
# stage about 50, of 20 checkpoints, mostly of the same files).
_resolved = {}


def _unifdef_command(lab, solved):
    # -x 2: exit 0 whether or not it changed something; 2 only on errors.
    # -B: squeeze the blank lines a removed region leaves behind.
    return ["unifdef", "-x", "2", "-B", "-DLAB=%d" % lab, "-DSOLVED=%d" % solved]


def _run_unifdef(text, lab, solved):
    """unifdef's (status, output, errors) for this text."""
    key = (text, lab, solved)
    if key not in _resolved:
        proc = subprocess.run(_unifdef_command(lab, solved), input=text,
                              capture_output=True, text=True)
        _resolved[key] = (proc.returncode, proc.stdout, proc.stderr)
    return _resolved[key]


def resolve_together(texts, lab, solved):
    """Resolve many texts in one unifdef process (-m: each file it is
    given, rewritten in place) and remember the results, so that
    unifdef() then finds them: one process per checkpoint instead of one
    per file -- the stager's tests made about 5,900 (360 files with
    conditionals, in some 50 trees), 3 ms of CPU each. If unifdef fails
    on one of them, nothing is remembered: unifdef() runs each file on its
    own and says which one it was."""
    todo = sorted({t for t in texts if (t, lab, solved) not in _resolved
                   and _LAB_CONDITIONAL.search(t)})
    if len(todo) < 2:
        return
    with tempfile.TemporaryDirectory(prefix="tidepool-stage-") as tmp:
        paths = [os.path.join(tmp, "%d.c" % i) for i in range(len(todo))]
        for path, text in zip(paths, todo):
            with open(path, "w") as f:
                f.write(text)
        proc = subprocess.run(_unifdef_command(lab, solved) + ["-m"] + paths,
                              capture_output=True, text=True)
        if proc.returncode != 0:
            return
        for path, text in zip(paths, todo):
            with open(path) as f:
                _resolved[(text, lab, solved)] = (0, f.read(), "")


_COMMENT = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
# An include guard: "#ifndef X" with "#define X" on the next line, and an
# "#endif". Only the guard's own #define goes: a header of other #define
# lines (the system-call numbers) has content.
_GUARD = re.compile(r"^\s*#\s*ifndef\s+(\w+)\s*\n\s*#\s*define\s+\1\b.*$|^\s*#\s*endif\b.*$",
                    re.M)


def resolves_to_nothing(text):
    """True when a resolved C file holds only comments, blank lines and an
    include guard: all its content belonged to a later lab."""
    rest = _GUARD.sub("", _COMMENT.sub("", text))
    return rest.strip() == ""


def rewrite_makefile(text, lab, solved):
    text, n1 = re.subn(r"^LAB_DEFAULT\s*:=.*$", "LAB_DEFAULT    := %d" % lab, text, flags=re.M)
    text, n2 = re.subn(r"^SOLVED_DEFAULT\s*:=.*$", "SOLVED_DEFAULT := %d" % solved, text,
                       flags=re.M)
    if n1 != 1 or n2 != 1:
        raise StageError("Makefile: expected one LAB_DEFAULT and one SOLVED_DEFAULT line")
    return text


def readme_note(lab, solved, root=ROOT):
    name = dict(labs(root)).get(lab, "?")
    guide = "labs/%02d-%s/README.md" % (lab, name)
    if solved >= lab:
        state = "with lab %d solved (a solution checkpoint)" % lab
    elif solved == lab - 1:
        state = "with labs 1 to %d solved and lab %d to do" % (lab - 1, lab) if lab > 1 \
            else "with lab 1 to do"
    else:
        state = "with your own work from earlier labs (merge mode) and lab %d to do" % lab
    return ("> **This is the handout of lab %d (%s)**: Tidepool %s. Start with\n"
            "> [%s](%s). `make qemu` boots it, `make grade` grades it.\n\n"
            % (lab, name, state, guide, guide))


def stage_file(path, text, lab, solved, root=ROOT):
    """The file's handout content, or None if it does not ship."""
    if path.endswith(PREPROCESSED):
        resolved = unifdef(text, lab, solved, path)
        if resolves_to_nothing(resolved) and not resolves_to_nothing(text):
            return None
        return resolved
    if path == "Makefile":
        return rewrite_makefile(text, lab, solved)
    if path == "README.md":
        return readme_note(lab, solved, root) + text
    return text


def handout(lab, solved, out, root=ROOT):
    """Write the tree of checkpoint LAB=lab, SOLVED=solved into out/.
    Returns the list of files written."""
    if lab not in dict(labs(root)):
        raise StageError("there is no lab %d (labs/%02d-*/README.md)" % (lab, lab))
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    shipped = []
    for path in source_files(root):
        path_lab = lab_of_path(path)
        if not instructor_only(path) and (path_lab is None or path_lab <= lab):
            try:
                shipped.append((path, (root / path).read_text()))
            except UnicodeDecodeError:   # binary: copied as it is
                shipped.append((path, None))
    resolve_together([text for path, text in shipped
                      if text is not None and path.endswith(PREPROCESSED)], lab, solved)
    written = []
    for path, text in shipped:
        source = root / path
        content = stage_file(path, text, lab, solved, root) if text is not None else None
        if text is not None and content is None:
            continue
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if content is None:
            shutil.copyfile(source, target)
        else:
            target.write_text(content)
        shutil.copymode(source, target)
        written.append(path)
    return written


# ---------------------------------------------------------------------------
# Branches


def git(cwd, *args, env=None):
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                          text=True, env=env).stdout.strip()


def branches(out, mode="checkpoint", root=ROOT):
    """Write a git repository at out/ with one branch per lab. Returns
    {branch: commit}."""
    out = Path(out)
    if not (out / ".git").exists():
        out.mkdir(parents=True, exist_ok=True)
        git(out, "init", "-q")
    env = dict(os.environ, GIT_AUTHOR_NAME="Tidepool stager",
               GIT_AUTHOR_EMAIL="stager@tidepool.invalid",
               GIT_COMMITTER_NAME="Tidepool stager",
               GIT_COMMITTER_EMAIL="stager@tidepool.invalid")
    made, parent = {}, None
    with tempfile.TemporaryDirectory(prefix="tidepool-stage-") as tmp:
        for number, name in labs(root):
            solved = number - 1 if mode == "checkpoint" else 0
            tree_dir = Path(tmp) / ("lab%d" % number)
            handout(number, solved, tree_dir, root)
            # GitHub Classroom: each push of the branch is graded (feedback).
            classroom.write_files(tree_dir, number)
            # Build the commit from the staged tree with a private index,
            # so out/'s own work tree and index are never touched.
            index_env = dict(env, GIT_INDEX_FILE=str(Path(tmp) / ("index%d" % number)),
                             GIT_WORK_TREE=str(tree_dir), GIT_DIR=str(out / ".git"))
            subprocess.run(["git", "add", "-A", "."], cwd=tree_dir, env=index_env,
                           check=True, capture_output=True)
            tree = subprocess.run(["git", "write-tree"], cwd=tree_dir, env=index_env,
                                  check=True, capture_output=True, text=True).stdout.strip()
            message = "Lab %d (%s) handout, %s mode" % (number, name, mode)
            args = ["commit-tree", tree, "-m", message] + (["-p", parent] if parent else [])
            commit = git(out, *args, env=env)
            branch = branch_name(number, name)
            git(out, "branch", "-f", branch, commit)
            made[branch] = commit
            parent = commit
    return made


# ---------------------------------------------------------------------------


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="print the labs that exist")
    h = sub.add_parser("handout", help="write the handout of one lab")
    h.add_argument("--lab", type=int, required=True)
    h.add_argument("--solved", type=int, help="default: LAB-1")
    h.add_argument("--out", required=True)
    b = sub.add_parser("branches", help="write a repository with one branch per lab")
    b.add_argument("--out", required=True)
    b.add_argument("--mode", choices=["checkpoint", "merge"], default="checkpoint")
    args = parser.parse_args(argv)
    try:
        if args.command == "list":
            for number, name in labs():
                print("%d %s %s" % (number, name, branch_name(number, name)))
        elif args.command == "handout":
            solved = args.lab - 1 if args.solved is None else args.solved
            files = handout(args.lab, solved, args.out)
            print("stage: lab %d (LAB=%d SOLVED=%d): %d files in %s"
                  % (args.lab, args.lab, solved, len(files), args.out))
        else:
            for branch, commit in branches(args.out, args.mode).items():
                print("stage: %s %s (%s mode) in %s" % (branch, commit[:12], args.mode, args.out))
    except (StageError, subprocess.CalledProcessError) as err:
        detail = getattr(err, "stderr", "") or ""
        print("stage: error: %s %s" % (err, detail.strip()), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
