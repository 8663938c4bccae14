"""Checker reports (UBSan, KASAN, KCSAN) on the console fail a graded test.

The parser on console text (tidepool.sanitizers), the blame for in-kernel
cases (tidepool.ktest), and the plugin's verdict on whole pytest runs
(pytester, the fake QEMU's reports: no kernel, no QEMU).
"""

import pytest

from helpers import FAKE_QEMU
from tidepool import ktest, sanitizers

RULE = "=" * 66

KASAN = f"""Tidepool 0.3 (i386)
{RULE}
KASAN: use-after-free in selftest_kasan_uaf at selftest_kasan_uaf+0x1c
Write of size 4 at 0x0052a010 by thread 'init' (pid 1) on CPU 0
Allocated by kmalloc+0x2e
Backtrace:
  #0 0x00104a2c selftest_kasan_uaf+0x1c
  #1 0x00100c85 kmain+0x85
{RULE}
selftest: kasan-uaf done
"""

UBSAN = f"""{RULE}
UBSAN: shift-out-of-bounds in pit_init at kernel/arch/i386/pit.c:41:12
shift exponent 32 is too large for 32-bit type 'unsigned int'
Backtrace:
  #0 0x00101a2c pit_init+0x2c
{RULE}
"""


def test_parse_reads_the_first_line_and_the_backtrace():
    (r,) = sanitizers.parse(KASAN)
    assert (r.checker, r.kind, r.function) == ("KASAN", "use-after-free", "selftest_kasan_uaf")
    assert r.location == "selftest_kasan_uaf+0x1c" and r.offset == 0x1c
    assert r.file is None and r.line is None
    assert r.backtrace == ["  #0 0x00104a2c selftest_kasan_uaf+0x1c",
                           "  #1 0x00100c85 kmain+0x85"]
    assert r.first_line.startswith("KASAN: use-after-free")
    assert "Allocated by kmalloc+0x2e" in r.text
    assert "selftest: kasan-uaf done" not in r.text  # the report ends at its rule


def test_parse_reads_file_line_and_column():
    (r,) = sanitizers.parse(UBSAN)
    assert (r.file, r.line, r.column) == ("kernel/arch/i386/pit.c", 41, 12)
    assert r.kind == "shift-out-of-bounds" and r.offset is None


def test_parse_finds_every_report_in_order_and_takes_crlf():
    text = (KASAN + "boot goes on\n" + UBSAN).replace("\n", "\r\n")
    assert [r.checker for r in sanitizers.parse(text)] == ["KASAN", "UBSAN"]


def test_a_report_cut_short_is_still_a_report():
    # The kernel died inside the report (no closing rule), or a second
    # report began before the first one's rule.
    cut = f"{RULE}\nKCSAN: data-race in counter_bump at counter_bump+0x9\nBacktrace:\n"
    text = cut + "KASAN: double-free in kfree at kfree+0x40\n"
    reports = sanitizers.parse(text)
    assert [r.kind for r in reports] == ["data-race", "double-free"]
    assert "KASAN" not in reports[0].text


def test_lines_that_only_look_like_reports_are_not_reports():
    text = ("kasan: shadow at 0x01000000\nUBSAN: on\nsay KASAN: use-after-free in x at y\n"
            "KMSAN: use-after-free in f at f+0x1\n")
    assert sanitizers.parse(text) == []


def test_make_flags_follow_the_build_directory():
    r = sanitizers.parse(UBSAN)
    assert sanitizers.make_flags("build/ubsan-kasan/kernel.elf", r) == "UBSAN=1 KASAN=1"
    assert sanitizers.make_flags("/x/build/kcsan/lab5-solved5/kernel.elf", r) == \
        "KCSAN=1 LAB=5 SOLVED=5"
    assert sanitizers.make_flags("/elsewhere/k.elf", r) == "UBSAN=1"


def test_failure_message_has_first_line_backtrace_and_make_qemu_line():
    reports = sanitizers.parse(KASAN + UBSAN)
    msg = sanitizers.failure_message(reports, "build/ubsan-kasan/kernel.elf",
                                     "test=boot.* panic=exit", smp="2")
    assert "KASAN: use-after-free in selftest_kasan_uaf" in msg
    assert "#1 0x00100c85 kmain+0x85" in msg
    assert "UBSAN: shift-out-of-bounds in pit_init" in msg
    assert "make qemu UBSAN=1 KASAN=1 SMP=2 CMDLINE='test=boot.* panic=exit'" in msg


def test_ktest_blames_only_the_case_whose_lines_hold_the_report():
    console = ("boot\nktest: ok a.one\n" + UBSAN + "ktest: ok a.two\n"
               "ktest: NOT OK a.three\n")
    assert sanitizers.parse(ktest.case_console(console, "a.two"))
    assert not sanitizers.parse(ktest.case_console(console, "a.one"))
    assert not sanitizers.parse(ktest.case_console(console, "a.three"))
    # A case with no result line was running when the boot ended.
    assert sanitizers.parse(ktest.case_console("ktest: ok a.one\n" + UBSAN, "a.crash"))


# ---------------------------------------------------------------------------
# Whole runs: the plugin fails the test (pytester, fake QEMU)

INI = """
[pytest]
addopts = -p no:cacheprovider
tidepool_graded_paths = tests
tidepool_checker_test_paths = safety
"""

GRADED = '''
import pytest
pytestmark = [pytest.mark.lab(3), pytest.mark.points(1)]

def test_boot_with_report(boot):
    boot("selftest=kasan-uaf").expect_kind()

def test_boot_clean(boot):
    boot("exit").expect_kind()

def test_fails_anyway(boot):
    boot("selftest=kasan-uaf").expect_line("^never printed$")

def test_reads_reports(boot):
    r = boot("selftest=kasan-uaf")
    assert [x.kind for x in r.reports] == ["use-after-free"]

@pytest.mark.sanitizer_reports
def test_marked(boot):
    boot("selftest=kasan-uaf").expect_kind()

@pytest.mark.sanitizer_reports("KASAN:use-after-free")
def test_marked_kind(boot):
    boot("selftest=kasan-uaf").expect_kind()

@pytest.mark.sanitizer_reports("null-dereference")
def test_marked_other_kind(boot):
    boot("selftest=kasan-uaf").expect_kind()

def test_ktest_case_with_report(ktest):
    ktest.expect_pass("fake.pass_one", glob="fake.pass_*")

def test_ktest_other_case(ktest):
    ktest.expect_pass("fake.pass_two", glob="fake.pass_*")

def test_console_with_report(console):
    c = console("selftest=kasan-uaf")
    c.wait_exit()
'''


@pytest.fixture
def run(pytester, monkeypatch, tmp_path):
    pytester.makeini(INI)
    pytester.makeconftest('pytest_plugins = ["tidepool.plugin", "tidepool.fixtures"]\n')
    pytester.mkdir("tests")
    (pytester.path / "tests" / "test_lab3.py").write_text(GRADED)
    pytester.mkdir("safety")
    (pytester.path / "safety" / "test_checker.py").write_text(
        "def test_checker_reads_console_itself(boot):\n"
        "    assert 'KASAN: use-after-free' in boot('selftest=kasan-uaf').console\n\n"
        "def test_checker_ktest_case(ktest):\n"
        "    ktest.expect_pass('fake.pass_one', glob='fake.pass_*')\n")
    kernel = tmp_path / "build" / "ubsan-kasan" / "kernel.elf"
    kernel.parent.mkdir(parents=True)
    kernel.write_bytes(b"\x7fELF fake\n")
    monkeypatch.setenv("TIDEPOOL_QEMU", str(FAKE_QEMU))
    monkeypatch.setenv("TIDEPOOL_KERNEL", str(kernel))
    # The fake's ktest boot: fake_report makes pass_one print a report.
    monkeypatch.setattr(ktest.KtestRunner, "__init__", _with_report(ktest.KtestRunner.__init__))
    return pytester.runpytest_inprocess("-p", "no:randomly", "tests", "safety", "-rA")


def _with_report(init):
    def __init__(self, machine, timeout, *args, extra_cmdline="", **kw):
        init(self, machine, timeout, *args, extra_cmdline="fake_report=fake.pass_one", **kw)
    return __init__


def test_plugin_verdicts(run):
    outcomes = {r.nodeid.split("::")[1]: r.outcome for r in
                run.reprec.getreports("pytest_runtest_logreport") if r.when == "call"}
    assert outcomes == {
        "test_boot_with_report": "failed",
        "test_boot_clean": "passed",
        "test_fails_anyway": "failed",
        "test_reads_reports": "passed",
        "test_marked": "passed",
        "test_marked_kind": "passed",
        "test_marked_other_kind": "failed",
        "test_ktest_case_with_report": "failed",
        "test_ktest_other_case": "passed",
        "test_console_with_report": "failed",
        "test_checker_reads_console_itself": "passed",  # safety/: the checkers' own tests
        "test_checker_ktest_case": "passed",
    }
    out = run.stdout.str()
    assert "KASAN: use-after-free in selftest_kasan_uaf" in out
    assert "make qemu UBSAN=1 KASAN=1 CMDLINE=selftest=kasan-uaf" in out
    assert "in-kernel test fake.pass_one passed, but the kernel's checker (UBSAN)" in out
    # The test that failed anyway keeps its own message and gains the report.
    assert "checker reports (UBSan, KASAN, KCSAN)" in out
    assert "expected '^never printed$'" in out


@pytest.mark.parametrize("rel, flags", [
    ("build/kernel.elf", ""),
    ("build/lab3-solved3/kernel.elf", " LAB=3 SOLVED=3"),
    ("build/ubsan-kasan/kernel.elf", " UBSAN=1 KASAN=1"),
    ("build/kcsan/lab5-solved5/kernel.elf", " KCSAN=1 LAB=5 SOLVED=5"),
])
def test_make_debug_line_names_the_checked_build(monkeypatch, rel, flags):
    from tidepool import plugin
    from tidepool.fixtures import REPO_ROOT

    monkeypatch.setenv("TIDEPOOL_KERNEL", str(REPO_ROOT / rel))
    assert plugin.debug_hint("tests/lab3/test_x.py::test_y").startswith(
        f"make debug TEST=tests/lab3/test_x.py::test_y{flags}   #")


class _Source:
    """A console that grows, like a guest booted once for a whole module."""

    def __init__(self):
        from tidepool.qemu import Machine

        self.console = ""
        self.machine = Machine("build/ubsan-kasan/kernel.elf", "run=/bin/sh")


def test_a_long_lived_console_blames_each_report_on_the_test_that_saw_it_appear():
    from tidepool import reportwatch

    guest = _Source()
    reportwatch.keep_watching(guest)
    try:
        reportwatch.begin()  # test 1: the report appears
        guest.console += "boot\n" + UBSAN
        (found,) = reportwatch.take_unclaimed()
        assert found[0] is guest and [r.kind for r in found[1]] == ["shift-out-of-bounds"]
        reportwatch.end()
        reportwatch.begin()  # test 2: nothing new
        guest.console += "$ ls\n"
        assert reportwatch.take_unclaimed() == []
        guest.console += KASAN  # ... then a report the test reads itself
        assert [r.checker for r in reportwatch.claim(guest)] == ["UBSAN", "KASAN"]
        assert reportwatch.take_unclaimed() == []
        reportwatch.end()
    finally:
        reportwatch.stop_watching(guest)
        reportwatch.end()
