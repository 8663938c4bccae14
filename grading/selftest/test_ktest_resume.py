"""In-kernel test groups: KTAP to outcomes, and resuming after crashes (fake emulator)."""

import pytest

from helpers import machine_scaled, own_processes
from tidepool import ktest, qemu, runlog
from tidepool.qemu import Machine

HANG_TIMEOUT = 1.5  # scaled to the machine (helpers.machine_scaled)


@pytest.fixture
def machine(fake_qemu, fake_kernel):
    return Machine(fake_kernel)


@pytest.fixture(scope="module")
def full_group(tmp_path_factory):
    """Every fake case, one run shared by the tests below (it includes a hang)."""
    mp = pytest.MonkeyPatch()
    from helpers import FAKE_QEMU

    mp.setenv("TIDEPOOL_QEMU", str(FAKE_QEMU))
    kernel = tmp_path_factory.mktemp("k") / "kernel.elf"
    kernel.write_bytes(b"\x7fELF fake\n")
    try:
        timeout = machine_scaled(HANG_TIMEOUT, str(kernel))
        yield ktest.run_group(Machine(str(kernel)), "fake.*", timeout=timeout)
    finally:
        mp.undo()


def failure(fn, *args, **kwargs) -> str:
    with pytest.raises(pytest.fail.Exception) as exc:
        fn(*args, **kwargs)
    return str(exc.value)


def test_resume_boots_after_crash_panic_and_hang(full_group):
    g = full_group
    assert g.plan == 8
    assert [b.machine.cmdline for b in g.boots] == [
        "test=fake.*", "test=fake.* ktest_skip=4", "test=fake.* ktest_skip=6",
        "test=fake.* ktest_skip=7"]
    assert [b.kind for b in g.boots] == ["crash", "panic", "hung", "success"]
    assert [(c.number, c.name, c.status) for c in g.outcomes()] == [
        (1, "fake.pass_one", "pass"), (2, "fake.fail_one", "fail"),
        (3, "fake.skip_one", "skip"), (4, "fake.crash", "crash"),
        (5, "fake.pass_two", "pass"), (6, "fake.panic", "fail"),
        (7, "fake.hang", "hung"), (8, "fake.pass_three", "pass")]
    assert g.complete and g.stopped is None and g.problems == []


def test_pass_and_recorded_command(full_group):
    runlog.begin()
    assert full_group.expect_pass("fake.pass_two").passed
    assert runlog.end() == [full_group.boots[1].display]
    assert "ktest_skip=4" in full_group.boots[1].display


def test_failed_case_shows_its_diagnostics(full_group):
    msg = failure(full_group.expect_pass, "fake.fail_one")
    assert "in-kernel test fake.fail_one failed (KTAP 'not ok 2 fake.fail_one'" in msg
    assert "kernel/tests/fake.c:12: expected 1, got 2" in msg


def test_skipped_case_fails_unless_allowed(full_group):
    msg = failure(full_group.expect_pass, "fake.skip_one")
    assert "skipped by the kernel (needs 2 CPUs)" in msg
    assert full_group.expect_pass("fake.skip_one", allow_skip=True).status == "skip"


def test_crashed_case_reports_reason_and_console(full_group):
    msg = failure(full_group.expect_pass, "fake.crash")
    assert "in-kernel test fake.crash did not finish: the kernel crashed" in msg
    assert "ktest_skip=4 for the remaining cases" in msg
    assert "about to fault" in msg  # KTAP diagnostics before the crash
    assert "fake: triple fault now" in msg  # last console lines


def test_panicking_case_reports_panic(full_group):
    msg = failure(full_group.expect_pass, "fake.panic")
    assert "panic: fake.panic exploded" in msg
    assert "then the kernel panicked" in msg
    assert "PANIC at kernel/tests/fake.c:99" in msg


def test_hanging_case_reports_timeout(full_group):
    msg = failure(full_group.expect_pass, "fake.hang")
    timeout = full_group.boots[0].timeout
    assert f"did not finish: the kernel did not exit within {timeout:.1f} s" in msg
    assert not own_processes(full_group.boots[0].machine.kernel)


def test_unknown_case_name(full_group):
    msg = failure(full_group.expect_pass, "fake.nonexistent")
    assert "no in-kernel test case named fake.nonexistent matched test=fake.*" in msg
    assert "fake.pass_one" in msg


def test_crash_before_running_line_blames_next_case(machine):
    g = ktest.run_group(machine, "fake.pass_*,silent.*", timeout=20)
    assert [b.machine.cmdline for b in g.boots] == [
        "test=fake.pass_*,silent.*", "test=fake.pass_*,silent.* ktest_skip=3"]
    assert [(c.name, c.status) for c in g.outcomes()] == [
        ("fake.pass_one", "pass"), ("fake.pass_two", "pass"), ("fake.pass_three", "pass"),
        ("#4", "crash")]
    assert any("after case 3 (fake.pass_three) passed" in p for p in g.problems)
    msg = failure(g.expect_pass, "silent.dies")
    assert "crashed at case(s) #4 before naming them" in msg


def test_bounded_number_of_boots(machine):
    g = ktest.run_group(machine, "fake.crash,fake.panic,fake.pass_three", timeout=20,
                        max_boots=2)
    assert len(g.boots) == 2
    assert "gave up after 2 boots" in g.stopped
    assert not g.complete
    msg = failure(g.expect_pass, "fake.pass_three")
    assert "has no result: the grader gave up after 2 boots" in msg


def test_no_plan_fails_every_case(machine):
    g = ktest.run_group(machine, "fake.*", timeout=20, extra_cmdline="fake_noplan")
    assert len(g.boots) == 1 and g.plan is None
    msg = failure(g.expect_pass, "fake.pass_one")
    assert "the kernel printed no KTAP plan (the kernel crashed" in msg
    assert "Tidepool 0.0-fake (i386)" in msg


def test_bail_out_fails_every_case_with_its_reason(machine):
    """A kernel that bails out (ktest.c: a CPU smp_expect names did not
    start) fails every case with its reason, in one boot: no case passes."""
    g = ktest.run_group(machine, "fake.pass_*", timeout=20, extra_cmdline="fake_bail")
    assert len(g.boots) == 1 and not g.cases
    msg = failure(g.expect_pass, "fake.pass_one")
    assert "the kernel bailed out: only 3 of 4 CPUs are online (smp_expect)" in msg


def test_runner_caches_per_glob(machine):
    boots = []

    def counting(m, t):
        boots.append(m.cmdline)
        return qemu.run(m, t, record=False)

    runner = ktest.KtestRunner(machine, timeout=20, runner=counting)
    runner.expect_pass("fake.pass_one", glob="fake.pass_*")
    runner.expect_pass("fake.pass_two", glob="fake.pass_*")
    runner.expect_pass("other.alone")  # default glob: other.*
    assert boots == ["test=fake.pass_*", "test=other.*"]
    assert ktest.KtestRunner.default_glob("boot.cmdline") == "boot.*"
