"""The pytest plugin: markers, --lab, the points table, results.json, JUnit, xdist.

Each test writes a tiny graded suite into a temp dir and runs pytest on it
with pytester, the way `make grade` runs the real one.
"""

import json
import os
import xml.etree.ElementTree as ET

import pytest

from helpers import FAKE_QEMU, GRADING

INI = """
[pytest]
addopts = -p no:cacheprovider
tidepool_graded_paths = tests hidden
tidepool_hidden_paths = hidden
junit_family = legacy
"""

CONFTEST = 'pytest_plugins = ["tidepool.plugin", "tidepool.fixtures"]\n'

LAB1 = '''
import pytest
pytestmark = pytest.mark.lab(1)

@pytest.mark.points(3)
def test_passes():
    """Something that works"""

@pytest.mark.points(2)
def test_fails():
    from tidepool.errors import fail
    fail("expected 'modules: 2' on the console, but it was not there")

@pytest.mark.points(5)
@pytest.mark.parametrize("x", [1, 2])
def test_param(x):
    assert x == 1, "x should be one"
'''

LAB2 = '''
import pytest

@pytest.mark.lab(2)
@pytest.mark.points(4)
def test_lab2():
    pass

@pytest.mark.lab(2)
@pytest.mark.points(1)
@pytest.mark.hidden
def test_lab2_hidden_marker():
    pass
'''

HIDDEN = '''
import pytest
pytestmark = [pytest.mark.lab(2), pytest.mark.points(2)]

def test_hidden_dir():
    pass
'''


@pytest.fixture
def suite(pytester):
    pytester.makeini(INI)
    pytester.makeconftest(CONFTEST)
    pytester.mkdir("tests")
    pytester.mkdir("hidden")
    (pytester.path / "tests" / "test_lab1.py").write_text(LAB1)
    (pytester.path / "tests" / "test_lab2.py").write_text(LAB2)
    (pytester.path / "hidden" / "test_hidden.py").write_text(HIDDEN)
    return pytester


def load(path):
    with open(path) as f:
        return json.load(f)


def test_points_table_and_results_json(suite):
    result = suite.runpytest("tests", "hidden", "--results-json", "out/results.json")
    result.assert_outcomes(passed=5, failed=2)
    result.stdout.fnmatch_lines([
        "*= Tidepool points =*",
        "lab*tests passed*points",
        "lab 1*2/4*8/15",
        "lab 2*3/3*7/7",
        "total*5/7*15/22",
        "not passed:",
        "*lab 1*2 pts*failed*tests/test_lab1.py::test_fails",
    ])
    data = load(suite.path / "out" / "results.json")
    assert (data["score"], data["max_score"]) == (15, 22)
    assert "execution_time" in data and "total" in data["output"]
    tests = {t["name"]: t for t in data["tests"]}
    assert len(tests) == 7
    ok = tests["Lab 1: tests/test_lab1.py::test_passes (Something that works)"]
    assert (ok["score"], ok["max_score"], ok["visibility"], ok["output"]) == (3, 3, "visible", "")
    bad = tests["Lab 1: tests/test_lab1.py::test_fails"]
    assert (bad["score"], bad["max_score"], bad["status"]) == (0, 2, "failed")
    assert bad["output"] == "expected 'modules: 2' on the console, but it was not there"
    assert "x should be one" in tests["Lab 1: tests/test_lab1.py::test_param[2]"]["output"]
    for name in ("Lab 2: tests/test_lab2.py::test_lab2_hidden_marker",
                 "Lab 2: hidden/test_hidden.py::test_hidden_dir"):
        assert tests[name]["visibility"] == "after_due_date"
    assert tests["Lab 2: tests/test_lab2.py::test_lab2"]["visibility"] == "visible"
    for t in data["tests"]:
        assert set(t) >= {"name", "score", "max_score", "output", "visibility"}


def test_lab_option_selects_one_lab(suite):
    result = suite.runpytest("tests", "hidden", "--lab", "2", "--results-json", "r.json")
    result.assert_outcomes(passed=3)
    result.stdout.fnmatch_lines(["*4 deselected*"])
    assert "lab 1" not in result.stdout.str()
    data = load(suite.path / "r.json")
    assert (data["score"], data["max_score"]) == (7, 7)
    result = suite.runpytest("tests", "--lab", "1,2")
    result.assert_outcomes(passed=4, failed=2)


def test_untagged_graded_test_is_a_collection_error(suite):
    (suite.path / "tests" / "test_untagged.py").write_text(
        "import pytest\n\n@pytest.mark.lab(1)\ndef test_no_points():\n    pass\n\n"
        "def test_nothing():\n    pass\n\n"
        "@pytest.mark.lab(1)\n@pytest.mark.points(0)\ndef test_zero():\n    pass\n")
    result = suite.runpytest("tests")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    err = result.stderr.str()
    assert "every graded test needs @pytest.mark.lab(N) and @pytest.mark.points(P)" in err
    assert "test_untagged.py::test_no_points: missing @pytest.mark.points" in err
    assert "test_untagged.py::test_nothing: missing @pytest.mark.lab" in err
    assert "points(0) must be a positive number" in err


def test_ungraded_tests_outside_graded_paths_need_no_markers(pytester):
    pytester.makeini(INI)
    pytester.makeconftest(CONFTEST)
    pytester.makepyfile(test_helper="def test_plain():\n    pass\n")
    result = pytester.runpytest()
    result.assert_outcomes(passed=1)
    assert "Tidepool points" not in result.stdout.str()


KILLED_HALF_WAY = '''
import os, signal
import pytest
pytestmark = pytest.mark.lab(1)

@pytest.mark.points(3)
def test_a_first():
    pass

@pytest.mark.points(2)
def test_b_fails():
    assert False, "wrong answer"

@pytest.mark.points(4)
def test_c_killed():
    os.kill(os.getpid(), signal.SIGKILL)   # as the class grader's wall-time limit does

@pytest.mark.points(5)
def test_d_never_runs():
    pass
'''


def test_results_json_survives_a_killed_run(pytester, monkeypatch):
    """results.json is rewritten after each test: a run killed half-way
    keeps the points of the tests that finished, and names the others
    (tagged "unfinished") at 0 with their points in max_score."""
    pytester.makeini(INI)
    pytester.makeconftest(CONFTEST)
    pytester.mkdir("tests")
    (pytester.path / "tests" / "test_killed.py").write_text(KILLED_HALF_WAY)
    monkeypatch.setenv("PYTHONPATH", str(GRADING))   # a process of its own, to be killed
    result = pytester.runpytest_subprocess("tests", "--results-json", "out/results.json")
    assert result.ret == -9
    data = load(pytester.path / "out" / "results.json")
    assert (data["score"], data["max_score"]) == (3, 14)
    assert data["output"].startswith("grading stopped before 2 test(s) finished")
    tests = {t["name"].split("::")[-1]: t for t in data["tests"]}
    assert tests["test_a_first"]["status"] == "passed"
    assert "wrong answer" in tests["test_b_fails"]["output"]
    for name in ("test_c_killed", "test_d_never_runs"):
        assert (tests[name]["status"], tests[name]["score"]) == ("failed", 0)
        assert "unfinished" in tests[name]["tags"]
    assert "unfinished" not in tests["test_b_fails"]["tags"]


def test_collection_error_lands_in_results_json(suite):
    (suite.path / "tests" / "test_broken.py").write_text("import no_such_module\n")
    result = suite.runpytest("tests", "--results-json", "r.json")
    assert result.ret == pytest.ExitCode.INTERRUPTED
    data = load(suite.path / "r.json")
    errors = [t for t in data["tests"] if t["name"].startswith("Collection error")]
    assert errors and "no_such_module" in errors[0]["output"]


def test_junit_xml_has_lab_and_points(suite):
    result = suite.runpytest("tests", "--junitxml", "junit.xml")
    result.assert_outcomes(passed=4, failed=2)
    root = ET.parse(suite.path / "junit.xml").getroot()
    cases = {c.get("name"): c for c in root.iter("testcase")}
    props = {p.get("name"): p.get("value") for p in cases["test_fails"].iter("property")}
    assert props["tidepool_lab"] == "1" and props["tidepool_points"] == "2"
    assert cases["test_fails"].find("failure") is not None


def test_failure_prints_reproduce_command(suite, monkeypatch, tmp_path):
    kernel = tmp_path / "kernel.elf"
    kernel.write_bytes(b"fake")
    monkeypatch.setenv("TIDEPOOL_QEMU", str(FAKE_QEMU))
    monkeypatch.setenv("TIDEPOOL_KERNEL", str(kernel))
    monkeypatch.setenv("TIDEPOOL_TIMEOUT_SCALE", "1")
    (suite.path / "tests" / "test_boots.py").write_text('''
import pytest
pytestmark = [pytest.mark.lab(3), pytest.mark.points(1)]

def test_boot_fails(boot):
    boot("exit marker=42").expect_line("^no such line", "the line 'no such line'")

def test_ktest_fails(ktest):
    ktest.expect_pass("fake.fail_one", glob="fake.*_one")

def test_console_passes(console):
    c = console()
    c.expect_prompt()
    assert "backtrace" in c.command("help")
''')
    result = suite.runpytest("tests/test_boots.py", "--results-json", "r.json")
    result.assert_outcomes(passed=1, failed=2)
    out = result.stdout.str()
    assert "reproduce (run from the repository root)" in out
    assert f"{FAKE_QEMU} -kernel {kernel} -append 'exit marker=42'" in out
    assert "-append 'test=fake.*_one'" in out
    data = load(suite.path / "r.json")
    by = {t["name"].split("::")[1]: t for t in data["tests"]}
    assert "'exit marker=42'" in by["test_boot_fails"]["output"]
    assert "reproduce" in by["test_ktest_fails"]["output"]
    assert "kernel/tests/fake.c:12: expected 1, got 2" in by["test_ktest_fails"]["output"]


def test_smp_marker_reaches_the_command_line(suite, monkeypatch, tmp_path):
    kernel = tmp_path / "kernel.elf"
    kernel.write_bytes(b"fake")
    monkeypatch.setenv("TIDEPOOL_QEMU", str(FAKE_QEMU))
    monkeypatch.setenv("TIDEPOOL_KERNEL", str(kernel))
    monkeypatch.setenv("TIDEPOOL_TIMEOUT_SCALE", "1")
    (suite.path / "tests" / "test_smp.py").write_text('''
import pytest
pytestmark = [pytest.mark.lab(5), pytest.mark.points(1), pytest.mark.smp("4,sockets=4")]

def test_marked(boot):
    boot("exit").expect_line("^no such line", "the line 'no such line'")

def test_argument_wins(boot):
    boot("exit", smp=2).expect_line("^no such line", "the line 'no such line'")
''')
    result = suite.runpytest("tests/test_smp.py")
    result.assert_outcomes(failed=2)
    out = result.stdout.str()
    assert "-smp 4,sockets=4" in out and "-smp 2 " in out
    assert out.count("-accel tcg,thread=multi") >= 2


def test_missing_kernel_message(suite, monkeypatch, tmp_path):
    monkeypatch.setenv("TIDEPOOL_KERNEL", str(tmp_path / "nope.elf"))
    (suite.path / "tests" / "test_k.py").write_text(
        "import pytest\n\n@pytest.mark.lab(1)\n@pytest.mark.points(1)\n"
        "def test_k(boot):\n    boot('exit')\n")
    result = suite.runpytest("tests/test_k.py", "--results-json", "r.json")
    result.assert_outcomes(errors=1)
    assert "kernel not built: run make" in result.stdout.str()
    data = load(suite.path / "r.json")
    assert "kernel not built: run make" in data["tests"][0]["output"]
    assert data["score"] == 0 and data["max_score"] == 1


def test_long_output_is_clipped(suite):
    (suite.path / "tests" / "test_long.py").write_text(
        "import pytest\nfrom tidepool.errors import fail\n\n"
        "@pytest.mark.lab(1)\n@pytest.mark.points(1)\n"
        "def test_long():\n    fail('HEAD' + 'x' * 50000 + 'TAIL')\n")
    suite.runpytest("tests/test_long.py", "--results-json", "r.json")
    out = load(suite.path / "r.json")["tests"][0]["output"]
    assert len(out) < 12000
    assert out.startswith("HEAD") and out.endswith("TAIL") and "characters cut" in out


def test_xdist_workers_report_to_one_table(suite, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(GRADING) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    result = suite.runpytest_subprocess("tests", "hidden", "-n", "2", "-p", "xdist",
                                        "--results-json", "r.json")
    result.assert_outcomes(passed=5, failed=2)
    result.stdout.fnmatch_lines(["total*5/7*15/22"])
    data = load(suite.path / "r.json")
    assert (data["score"], data["max_score"], len(data["tests"])) == (15, 22, 7)
    hidden = [t for t in data["tests"] if t["visibility"] == "after_due_date"]
    assert len(hidden) == 2


def test_untagged_graded_test_under_xdist_errors_cleanly(suite, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(GRADING) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    (suite.path / "tests" / "test_untagged.py").write_text("def test_nothing():\n    pass\n")
    result = suite.runpytest_subprocess("tests", "-n", "2", "-p", "xdist")
    result.assert_outcomes(passed=4, failed=2, errors=1)
    assert "INTERNALERROR" not in result.stdout.str()
    result.stdout.fnmatch_lines(["*test_nothing: missing @pytest.mark.lab*"])
