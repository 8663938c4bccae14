"""Reproduce lines: every kind of failing test prints one shell line per
command it ran (boot, in-kernel group incl. a crash-resume boot, console
session with what was typed), the make debug hint, --tidepool-record, and
the same under xdist. GDB lines are run for real in test_real_qemu.py."""

import json
import os
import shlex
import shutil

import pytest

from helpers import FAKE_QEMU, GRADING
from tidepool import runlog

INI = """
[pytest]
addopts = -p no:cacheprovider
tidepool_graded_paths = tests hidden
tidepool_hidden_paths = hidden
"""

CONFTEST = 'pytest_plugins = ["tidepool.plugin", "tidepool.fixtures"]\n'

GLOB = "fake.pass_one,fake.crash,fake.pass_two,fake.panic"  # 2 crashes, 4 panics

TESTS = f'''
import pytest
pytestmark = [pytest.mark.lab(1), pytest.mark.points(1)]

def test_boot(boot):
    boot("exit marker=42").expect_line("^no such line", "the line 'no such line'")

def test_ktest_crash(ktest):
    ktest.expect_pass("fake.crash", glob="{GLOB}")

def test_ktest_after_crash(ktest):
    assert ktest.expect_pass("fake.pass_one", glob="{GLOB}").passed
    ktest.expect_pass("fake.panic", glob="{GLOB}")

def test_console(console):
    c = console()
    c.expect_prompt()
    c.command("help")
    c.sendline("echo a b")
    c.expect("no such text", timeout=0.3)

def test_passes(boot):
    boot("exit")
'''

HIDDEN = '''
import pytest
pytestmark = [pytest.mark.lab(1), pytest.mark.points(1)]

def test_hidden_boot(boot):
    boot("exit").expect_line("^nope")
'''


@pytest.fixture
def suite(pytester, monkeypatch, tmp_path):
    kernel = tmp_path / "kernel.elf"
    kernel.write_bytes(b"\x7fELF fake\n")
    monkeypatch.setenv("TIDEPOOL_QEMU", str(FAKE_QEMU))
    monkeypatch.setenv("TIDEPOOL_KERNEL", str(kernel))
    monkeypatch.setenv("TIDEPOOL_TIMEOUT_SCALE", "1")
    monkeypatch.setenv("PYTHONPATH", str(GRADING) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    pytester.makeini(INI)
    pytester.makeconftest(CONFTEST)
    pytester.mkdir("tests")
    pytester.mkdir("hidden")
    (pytester.path / "tests" / "test_kinds.py").write_text(TESTS)
    (pytester.path / "hidden" / "test_hidden.py").write_text(HIDDEN)
    pytester.kernel = str(kernel)
    return pytester


def sections(out: str):
    """{test name: [reproduce lines]} from pytest's failure output."""
    found, name, lines = {}, None, None
    for line in out.splitlines():
        if line.startswith("_") and line.endswith("_") and " " in line.strip("_"):
            name, lines = line.strip("_ "), None
        elif "reproduce (run from the repository root)" in line:
            lines = found.setdefault(name, [])
        elif lines is not None:
            if line.startswith(("=", "_")) or not line.strip():
                lines = None
            else:
                lines.append(line)
    return found


def check(found, kernel):
    qemu = shlex.quote(str(FAKE_QEMU))
    boot = found["test_boot"]
    assert len(boot) == 2, boot
    assert boot[0].startswith(f"{qemu} -kernel {kernel} -append 'exit marker=42' ")
    assert "-serial stdio -serial file:com2.txt" in boot[0]
    assert boot[1].startswith("/usr/bin/python3 tools/debug-test.py --kernel ")
    assert boot[1].split("#")[0].rstrip().endswith("tests/test_kinds.py::test_boot")

    crash = found["test_ktest_crash"]  # the boot the case crashed in
    assert len(crash) == 2 and f"-append test={GLOB} " in crash[0], crash
    after = found["test_ktest_after_crash"]  # pass_one's boot, then the resumed one
    assert f"-append test={GLOB} " in after[0]
    assert f"-append 'test={GLOB} ktest_skip=2' " in after[1]
    assert len(after) == 3 and "debug-test.py" in after[2]

    console = found["test_console"]
    assert len(console) == 2
    assert console[0].startswith(f"{qemu} -kernel {kernel} -m 128 ")
    assert console[0].endswith("# then type: help<Enter> echo a b<Enter> (Ctrl-C quits QEMU)")

    hidden = found["test_hidden_boot"]
    assert len(hidden) == 1 and "-append exit " in hidden[0]  # no make debug hint
    assert "test_passes" not in found


def test_every_kind_of_failure_prints_reproduce_lines(suite):
    result = suite.runpytest("tests", "hidden", "--results-json", "r.json")
    result.assert_outcomes(passed=1, failed=5)
    check(sections(result.stdout.str()), suite.kernel)
    data = json.loads((suite.path / "r.json").read_text())
    out = {t["name"].split("::")[1].split(" ")[0]: t["output"] for t in data["tests"]}
    assert "# then type: help<Enter>" in out["test_console"]
    assert "ktest_skip=2" in out["test_ktest_after_crash"]


def test_record_option_writes_every_tests_commands(suite):
    result = suite.runpytest("tests", "--tidepool-record", "rec/commands.jsonl")
    result.assert_outcomes(passed=1, failed=4)
    lines = (suite.path / "rec" / "commands.jsonl").read_text().splitlines()
    recs = [json.loads(ln) for ln in lines]
    by = {r["nodeid"].split("::")[1]: r for r in recs}
    assert set(by) == {"test_boot", "test_ktest_crash", "test_ktest_after_crash",
                       "test_console", "test_passes"}
    assert by["test_passes"]["outcome"] == "passed"
    assert by["test_boot"]["outcome"] == "failed"
    (cmd,) = by["test_boot"]["commands"]
    assert cmd["kind"] == "qemu" and cmd["argv"][0] == str(FAKE_QEMU)
    i = cmd["argv"].index("-append")
    assert cmd["argv"][i + 1] == "exit marker=42"
    assert [c["argv"][c["argv"].index("-append") + 1]
            for c in by["test_ktest_after_crash"]["commands"]] == [
        f"test={GLOB}", f"test={GLOB} ktest_skip=2"]
    (con,) = by["test_console"]["commands"]
    assert con["kind"] == "console" and con["typed"] == ["help\r", "echo a b\r"]
    assert con["typed_text"] == "help<Enter> echo a b<Enter>"
    assert by["test_passes"]["commands"][0]["kind"] == "qemu"


def test_under_xdist(suite, monkeypatch):
    monkeypatch.delenv("TIDEPOOL_TIMEOUT_SCALE")  # each worker measures its own
    result = suite.runpytest_subprocess("tests", "hidden", "-n", "2", "-p", "xdist",
                                        "--tidepool-record", "rec.jsonl",
                                        "--results-json", "r.json")
    result.assert_outcomes(passed=1, failed=5)
    out = result.stdout.str()
    check(sections(out), suite.kernel)
    result.stdout.fnmatch_lines(["total*1/6*1/6", "gw?: timeout scale *", "gw?: timeout scale *"])
    recs = (suite.path / "rec.jsonl").read_text().splitlines()
    assert len(recs) == 6 and all(json.loads(r)["commands"] for r in recs)
    data = json.loads((suite.path / "r.json").read_text())
    assert (data["score"], data["max_score"], len(data["tests"])) == (1, 6, 6)


def test_typed_text_and_inner_quoting():
    c = runlog.Command(runlog.CONSOLE, "qemu -kernel k", typed=["help\r", "x\ty", "\x03"])
    assert c.text() == ("qemu -kernel k   # then type: help<Enter> x<Tab>y <Ctrl-C> "
                        "(Ctrl-C quits QEMU)")
    assert (runlog.join_inner(["q", "-append", "exit x=1", "-m", "128"])
            == 'q -append "exit x=1" -m 128')
    assert runlog.join_inner(["a$b"]) == "'a$b'"
    runlog.begin()
    first = runlog.record("plain line")
    assert runlog.record("plain line") is first
    a = runlog.record(runlog.Command(runlog.CONSOLE, "same"))
    b = runlog.record(runlog.Command(runlog.CONSOLE, "same"))
    assert a is not b  # two sessions are two entries
    assert runlog.end() == ["plain line", "same   # Ctrl-C quits QEMU",
                            "same   # Ctrl-C quits QEMU"]
    assert runlog.record("outside a test") is None


def test_graded_tests_get_a_short_tmp_path(pytester, monkeypatch):
    """Paths a graded test passes to the kernel must not depend on pytest's
    basetemp (xdist adds popen-gwN/): graded tests get /tmp/tidepool-t-*,
    kept only when the test fails."""
    monkeypatch.setenv("PYTHONPATH", str(GRADING) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    log = pytester.path / "tmp-paths.txt"
    monkeypatch.setenv("TMPLOG", str(log))
    pytester.makeini(INI)
    pytester.makeconftest(CONFTEST)
    pytester.mkdir("tests")
    (pytester.path / "tests" / "test_tmp.py").write_text('''
import os
import pytest

@pytest.mark.lab(1)
@pytest.mark.points(1)
@pytest.mark.parametrize("ok", [True, False])
def test_graded(tmp_path, ok):
    (tmp_path / "f").write_text("x")
    with open(os.environ["TMPLOG"], "a") as f:
        f.write(f"graded {tmp_path}\\n")
    assert ok
''')
    pytester.makepyfile(test_plain='''
import os

def test_plain(tmp_path):
    with open(os.environ["TMPLOG"], "a") as f:
        f.write(f"plain {tmp_path}\\n")
''')
    for args in ([], ["-n", "2", "-p", "xdist"]):
        if log.exists():
            log.unlink()
        result = pytester.runpytest_subprocess("tests", "test_plain.py", *args)
        result.assert_outcomes(passed=2, failed=1)
        paths = [ln.split(" ", 1) for ln in log.read_text().splitlines()]
        graded = [p for kind, p in paths if kind == "graded"]
        plain = [p for kind, p in paths if kind == "plain"]
        assert len(graded) == 2 and len(plain) == 1
        assert all(p.startswith("/tmp/tidepool-t-") and len(p) == len("/tmp/tidepool-t-") + 8
                   for p in graded), graded
        assert "tidepool-t-" not in plain[0]  # pytest's own
        kept = [p for p in graded if os.path.exists(p)]
        assert len(kept) == 1  # the failing test's, for its reproduce line
        shutil.rmtree(kept[0])
