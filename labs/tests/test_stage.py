"""Tests of the stager (labs/stage.py). Run by `make check-stage`.

    /usr/bin/python3 -B -m pytest -p no:cacheprovider labs/tests

What they prove:
  * no line of any solution region reaches any handout (the regions are
    found here by a parser of our own, not by unifdef, so a stager that
    forgets a file type or a marker is caught);
  * hidden tests, mutants and the stager never ship; later labs' files
    and tests are absent;
  * merge mode: a student who fills lab 1's holes on lab1-boot can merge
    the next lab's branch without conflicts, and gets exactly the next
    checkpoint. Until a real lab 2 exists this runs on a copy of the
    reference tree with a synthetic second lab added.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import stage  # noqa: E402

ROOT = stage.ROOT

# A region `#if SOLVED >= k` ... up to its #else/#elif/#endif, per file.
_IF = re.compile(r"^\s*#\s*if(def|ndef)?\b")
_SOLVED_IF = re.compile(r"^\s*#\s*if\s+SOLVED\s*>=\s*(\d+)\s*$")
_ELSE = re.compile(r"^\s*#\s*(else|elif)\b")
_ENDIF = re.compile(r"^\s*#\s*endif\b")


def solution_regions(text):
    """([(k, [lines])], {line numbers}): the lines of each `#if SOLVED >= k`
    true branch, and the numbers of all lines inside such a branch."""
    regions, inside, stack = [], set(), []   # stack of [k or None, collecting?, lines]
    for number, line in enumerate(text.splitlines()):
        if _IF.match(line):
            m = _SOLVED_IF.match(line)
            stack.append([int(m.group(1)) if m else None, bool(m), []])
            continue
        if stack and _ELSE.match(line):
            top = stack[-1]
            if top[0] is not None and top[1]:
                regions.append((top[0], top[2]))
            top[1] = False
            continue
        if stack and _ENDIF.match(line):
            top = stack.pop()
            if top[0] is not None and top[1]:
                regions.append((top[0], top[2]))
            continue
        for entry in stack:
            if entry[1]:
                entry[2].append(line)
                inside.add(number)
    return regions, inside


def significant(line):
    """Lines worth calling a leak: not blank, not a brace or keyword alone,
    not a comment, at least a few tokens long."""
    s = line.strip()
    if len(s) < 12 or s.startswith(("/*", "*", "//")):
        return False
    return re.sub(r"[\s{}();]", "", s) not in ("else", "return", "break", "continue")


def text_files(root):
    for path in stage.source_files(root):
        if not path.endswith(stage.PREPROCESSED):
            continue     # the stager resolves markers only in these
        try:
            yield path, (root / path).read_text()
        except UnicodeDecodeError:
            continue


@pytest.fixture(scope="module", params=[n for n, _ in stage.labs()])
def staged(request, tmp_path_factory):
    lab = request.param
    out = tmp_path_factory.mktemp("handout%d" % lab)
    stage.handout(lab, lab - 1, out)
    return lab, out


def test_no_solution_line_leaks(staged):
    lab, out = staged
    secret, public = set(), set()
    for path, text in text_files(ROOT):
        regions, inside = solution_regions(text)
        for k, lines in regions:
            if k >= lab:
                secret.update(l.strip() for l in lines if significant(l))
        # A line that also stands outside every solution region (scaffolding
        # that happens to read the same) is public.
        public.update(l.strip() for n, l in enumerate(text.splitlines()) if n not in inside)
    secret -= public
    assert secret, "found no solution lines at all: is the region parser broken?"
    leaks = []
    for path in sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()):
        try:
            lines = (out / path).read_text().splitlines()
        except UnicodeDecodeError:
            continue
        leaks += ["%s:%d: %s" % (path, i + 1, l.strip())
                  for i, l in enumerate(lines) if l.strip() in secret]
    assert not leaks, "solution lines in the lab-%d handout:\n" % lab + "\n".join(leaks[:20])


def test_no_markers_left(staged):
    lab, out = staged
    marker = re.compile(r"^\s*#\s*(el)?if\b.*\b(LAB|SOLVED)\b", re.M)
    left = [p.relative_to(out).as_posix() for p in out.rglob("*")
            if p.suffix in stage.PREPROCESSED and marker.search(p.read_text())]
    assert not left, "LAB/SOLVED conditionals left in: %s" % left


def test_instructor_files_never_ship(staged):
    lab, out = staged
    shipped = [p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()]
    bad = [p for p in shipped if p.startswith("grading/hidden/") or "/mutants/" in p
           or p.endswith(".patch") or p in ("labs/stage.py", "tools/check-mutants.py",
                                             "tools/check-labs.py")
           or p.startswith("labs/tests/")]
    assert not bad, "instructor-only files in the lab-%d handout: %s" % (lab, bad)
    assert "README.md" in shipped and "Makefile" in shipped
    assert any(p.startswith("labs/%02d-" % lab) for p in shipped)


def test_every_exercise_has_its_stub(staged):
    """Each `### Exercise N` of the lab's README has a hole in the handout
    whose stub names it (LABS.md 2): `LAB n exercise N` in a comment or
    a message, or LAB_TODO(n, N, ...)."""
    lab, out = staged
    readme = next((out / "labs").glob("%02d-*/README.md" % lab)).read_text()
    exercises = sorted({int(e) for e in re.findall(r"(?m)^### Exercise (\d+)", readme)})
    assert exercises, "labs/%02d-*/README.md names no '### Exercise N'" % lab
    text = "\n".join(p.read_text(errors="replace") for p in out.rglob("*")
                     if p.is_file() and p.suffix in stage.PREPROCESSED)
    missing = [e for e in exercises
               if not re.search(r"(?i)LAB %d exercise %d\b|LAB_TODO(_ONCE)?\(%d, %d," % (lab, e, lab, e),
                                text)]
    assert not missing, "lab %d handout: no stub names exercise(s) %s" % (lab, missing)


def test_handout_says_which_lab(staged):
    lab, out = staged
    readme = (out / "README.md").read_text()
    assert readme.startswith("> **This is the handout of lab %d" % lab)
    makefile = (out / "Makefile").read_text()
    assert re.search(r"^LAB_DEFAULT\s*:= %d$" % lab, makefile, re.M)
    assert re.search(r"^SOLVED_DEFAULT := %d$" % (lab - 1), makefile, re.M)


# ---------------------------------------------------------------------------
# A synthetic second lab, on a copy of the reference tree


FAKE_LAB_C = """\
/* fake.c -- a synthetic next lab for the stager's tests. */
#if LAB >= N
#include "console.h"

int fake_answer(void)
{
#if SOLVED >= N
    return 42;
#else
    /* LAB N exercise 1: return the answer. */
    return -1;
#endif
}

void fake_init(void)
{
    kprintf("fake: %d\\n", fake_answer());
}
#endif
"""

FAKE_LAB_TEST = """\
import pytest

pytestmark = pytest.mark.lab(N)


@pytest.mark.points(1)
def test_fake(boot):
    boot("exit").expect_line(r"^fake: 42$", "the line 'fake: 42'")
"""

# The synthetic lab comes after the last real one.
FAKE = max(n for n, _ in stage.labs()) + 1
FAKE_BRANCH = "lab%d-fake" % FAKE


def add_fake_lab(root, n=FAKE):
    """Add a lab n that, like a real one, adds a file, touches files with
    earlier labs' holes (main.c, monitor.c) and brings its own graded test."""
    (root / ("labs/%02d-fake" % n)).mkdir(parents=True)
    (root / ("labs/%02d-fake/README.md" % n)).write_text("# Lab %d: fake\n" % n)
    (root / "kernel/fake.c").write_text(FAKE_LAB_C.replace("N", str(n)))
    (root / ("grading/tests/lab%d" % n)).mkdir(parents=True)
    (root / ("grading/tests/lab%d/test_fake.py" % n)).write_text(FAKE_LAB_TEST.replace("N", str(n)))
    main = (root / "kernel/main.c").read_text()
    main = main.replace("    gdt_init();\n",
                        "    gdt_init();\n#if LAB >= %d\n    fake_init();\n#endif\n" % n, 1)
    main = main.replace('#include "arch/i386/serial.h"\n',
                        '#include "arch/i386/serial.h"\n\n#if LAB >= %d\n'
                        'void fake_init(void);\n#endif\n' % n, 1)
    (root / "kernel/main.c").write_text(main)
    monitor = (root / "kernel/monitor.c").read_text()
    monitor = monitor.replace(
        '    { "reboot", "reset the machine", cmd_reboot },\n',
        '    { "reboot", "reset the machine", cmd_reboot },\n#if LAB >= %d\n'
        '    { "fake", "a command of lab %d", cmd_help },\n#endif\n' % (n, n), 1)
    (root / "kernel/monitor.c").write_text(monitor)


def run(cwd, *args):
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True)


@pytest.fixture(scope="module")
def two_lab_tree(tmp_path_factory):
    root = tmp_path_factory.mktemp("reference")
    for path in stage.source_files(ROOT):
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / path, root / path)
    add_fake_lab(root)
    for cmd in (["git", "init", "-q"], ["git", "add", "-A"],
                ["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "ref"]):
        assert run(root, *cmd).returncode == 0
    return root


def tree_files(directory):
    """The files of a tree, but git's and GitHub Classroom's (.github/,
    which branches add to the handout: test_branches checks it)."""
    return {p.relative_to(directory).as_posix(): p.read_bytes()
            for p in Path(directory).rglob("*")
            if p.is_file() and ".git" not in p.parts and ".github" not in p.parts}


def test_fake_lab_is_staged_by_lab(two_lab_tree, tmp_path):
    assert [n for n, _ in stage.labs(two_lab_tree)][-1] == FAKE
    before = tree_files(stage_dir(two_lab_tree, tmp_path / "h1", FAKE - 1, FAKE - 2))
    assert "kernel/fake.c" not in before
    assert "grading/tests/lab%d/test_fake.py" % FAKE not in before
    assert b"fake_init" not in before["kernel/main.c"]
    fake = tree_files(stage_dir(two_lab_tree, tmp_path / "h2", FAKE, FAKE - 1))
    assert b"LAB %d exercise 1" % FAKE in fake["kernel/fake.c"]
    assert b"return 42" not in fake["kernel/fake.c"]


def stage_dir(root, out, lab, solved):
    stage.handout(lab, solved, out, root)
    return out


@pytest.mark.parametrize("mode", ["merge", "checkpoint"])
def test_branches(two_lab_tree, tmp_path, mode):
    repo = tmp_path / "repo"
    made = stage.branches(repo, mode, two_lab_tree)
    expected_names = [stage.branch_name(n, name) for n, name in stage.labs(two_lab_tree)]
    assert list(made) == expected_names
    # Each branch builds on the previous one.
    for older, newer in zip(expected_names, expected_names[1:]):
        assert run(repo, "git", "rev-parse", newer + "^").stdout.strip() == made[older]
    work = tmp_path / "work"
    assert run(tmp_path, "git", "clone", "-q", "-b", FAKE_BRANCH, str(repo), str(work)).returncode == 0
    expected = tree_files(stage_dir(two_lab_tree, tmp_path / "expect",
                                    FAKE, FAKE - 1 if mode == "checkpoint" else 0))
    assert tree_files(work) == expected
    # GitHub Classroom grades each push of the branch with the lab's tests.
    assert (work / ".github/workflows/grade.yml").is_file()
    assert "test_fake.py::test_fake" in (work / ".github/classroom/autograding.json").read_text()


def merge_next_lab(root, repo, tmp_path, n):
    """A student finishes labs 1..n on lab n's branch (merge mode), then
    merges lab n+1's branch. Returns the merged work tree."""
    branches = {num: stage.branch_name(num, name) for num, name in stage.labs(root)}
    work = tmp_path / ("student%d" % n)
    assert run(tmp_path, "git", "clone", "-q", "-b", branches[n], str(repo), str(work)).returncode == 0
    # The student's work: the holes of labs 1..n filled with the reference
    # solution, file by file, exactly where the stubs were.
    handout = tree_files(stage_dir(root, tmp_path / ("open%d" % n), n, 0))
    solved = tree_files(stage_dir(root, tmp_path / ("solved%d" % n), n, n))
    changed = [p for p in solved if solved[p] != handout.get(p) and p.endswith(stage.PREPROCESSED)]
    assert changed, "lab %d has no holes?" % n
    for path in changed:
        (work / path).write_bytes(solved[path])
    git = ["git", "-c", "user.name=student", "-c", "user.email=s@s"]
    assert run(work, *git, "commit", "-qam", "labs up to %d done" % n).returncode == 0
    merge = run(work, *git, "merge", "--no-edit", "origin/" + branches[n + 1])
    assert merge.returncode == 0, ("merging %s into finished lab %d conflicts:\n"
                                   % (branches[n + 1], n)) + merge.stdout + merge.stderr
    # The result is exactly lab n+1's tree with labs up to n solved -- but
    # for the two files that name the checkpoint, which say "merge mode".
    expected = tree_files(stage_dir(root, tmp_path / ("next%d" % n), n + 1, n))
    merge_mode = tree_files(stage_dir(root, tmp_path / ("nextopen%d" % n), n + 1, 0))
    for path in ("Makefile", "README.md"):
        expected[path] = merge_mode[path]
    got = tree_files(work)
    differ = sorted(p for p in set(expected) | set(got) if expected.get(p) != got.get(p))
    assert not differ, "merged tree differs from LAB=%d SOLVED=%d in: %s" % (n + 1, n, differ)
    return work


@pytest.fixture(scope="module")
def merge_repo(two_lab_tree, tmp_path_factory):
    repo = tmp_path_factory.mktemp("merge") / "repo"
    stage.branches(repo, "merge", two_lab_tree)
    return repo


@pytest.mark.parametrize("n", [n for n, _ in stage.labs()])
def test_merge_mode_next_lab_merges_cleanly(two_lab_tree, merge_repo, tmp_path, n):
    """Every real lab merges into the next (the last real one into the
    synthetic lab after it), and the result builds.

    merge_next_lab asserts the merged tree is checkpoint LAB=n+1,
    SOLVED=n byte for byte, but for the Makefile and README that say
    "merge mode"; check-labs builds every such checkpoint with -Werror.
    What a build adds here is the merge-mode Makefile (SOLVED=0 over
    sources with no SOLVED conditional left), so it is built once, on
    the largest merged tree: a build per lab cost make check about 130
    CPU seconds of compiling that proved nothing more."""
    work = merge_next_lab(two_lab_tree, merge_repo, tmp_path, n)
    if n == max(num for num, _ in stage.labs()):
        build = run(work, "make", "-s", "-j2", "kernel")
        assert build.returncode == 0, build.stdout + build.stderr
