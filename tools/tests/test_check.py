"""tools/check.py: how `make check` counts each part, and what it prints at the end."""

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

TOOLS = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("check_tool", TOOLS / "check.py")
check = importlib.util.module_from_spec(_spec)
sys.modules["check_tool"] = check  # dataclasses look the module up
_spec.loader.exec_module(check)


@pytest.mark.parametrize("output,status,expected", [
    # Criterion (test-libk, test-kernel-host), every binary's line counts
    ("[====] Synthesis: Tested: 87 | Passing: 87 | Failing: 0 | Crashing: 0 \n", 0, (87, 0)),
    ("[====] Synthesis: Tested: 9 | Passing: 6 | Failing: 2 | Crashing: 1 \n"
     "[====] Synthesis: Tested: 2 | Passing: 2 | Failing: 0 | Crashing: 0 \n", 2, (8, 3)),
    ("\x1b[0;34m[====] \x1b[0mSynthesis: Tested: 1 | Passing: 1 | Failing: 0 | Crashing: 0\n",
     0, (1, 0)),
    # pytest -q and plain closing lines; errors fail, skips do not count
    ("....\n62 passed, 1 skipped in 14.48s\n", 0, (62, 0)),
    ("FAILED a.py::t - assert 0\n1 failed, 4 passed in 3.54s\n", 1, (4, 1)),
    ("===== 2 failed, 30 passed, 1 error in 75.10s (0:01:15) =====\n", 1, (30, 3)),
    ("no tests ran in 0.01s\n", 5, (0, 1)),
    # only a run's last pytest line: earlier ones are a failing test's report
    # of the pytest runs it started itself
    ("---- Captured stdout call ----\n= 1 failed in 0.05s =\n1 failed, 88 passed in 40.1s\n",
     1, (88, 1)),
    # the plain closing line (check-mutants, slides/check.py), summed with pytest's
    ("3 passed in 0.2s\n  MARP x\ncheck-slides: 01-boot: ok: ...\n4 passed, 0 failed\n",
     0, (7, 0)),
    ("check-mutants: 13 mutants: 12 killed, 1 survived, 0 broken (90.0 s)\n"
     "check-mutants: 12 passed, 1 failed\n", 1, (12, 1)),
    # indented report lines do not count
    ("m1  SURVIVED\n      | 1 failed in 2.0s\ncheck-mutants: 0 passed, 1 failed\n", 1, (0, 1)),
    # verdict lines (test-boot, test-gdb, demos)
    ("PASS qemu-iso: banner, 4/4 boot.* cases ok\nFAIL bochs: exit status 134\n", 1, (1, 1)),
    ("test-gdb: frames at gdt_init: x\ntest-gdb: PASS: break in kmain\n", 0, (1, 0)),
    ("demo-check: PASS 01-boot.gdb: 9 steps\ndemo-check: PASS 03-paging.gdb: 10 steps\n",
     0, (2, 0)),
    ("check-labs: FAIL, 3 lab(s) in 9.0 s\ncheck-labs: 2 passed, 1 failed\n", 1, (2, 1)),
    # nothing countable: the exit status decides
    ("  LD      build/kernel.elf\n", 0, (1, 0)),
    ("kernel/x.c:1: error: oops\n", 2, (0, 1)),
    # failed, but no failure in the counts (a build error after some tests)
    ("[====] Synthesis: Tested: 5 | Passing: 5 | Failing: 0 | Crashing: 0\nError 1\n",
     2, (5, 1)),
])
def test_count(output, status, expected):
    assert check.count(output, status) == expected


def test_failure_lines():
    out = ("....F\n"
           "FAILED grading/selftest/t.py::test_x[a] - assert 0\n"
           "ERROR grading/selftest/t.py::test_y - OSError\n"
           "[----] libk/tests/test_string.c:12: Assertion Failed\n"
           "[FAIL] string::memcpy_overlap: (0.00s)\n"
           "FAIL bochs: exit status 134\n"
           "test-gdb: FAIL: no frame\n"
           "check-labs: PROBLEM: lab 2 handout: test x passed\n"
           "  [3/9] lab1/m: SURVIVED (2.0 s)\n"
           "PASS qemu-iso: banner\n"
           "1 failed, 4 passed in 3.54s\n"
           "make[1]: *** [Makefile:212: selftest] Error 1\n")
    assert check.failure_lines(out) == [
        "FAILED grading/selftest/t.py::test_x[a] - assert 0",
        "ERROR grading/selftest/t.py::test_y - OSError",
        "[FAIL] string::memcpy_overlap: (0.00s)",
        "FAIL bochs: exit status 134",
        "test-gdb: FAIL: no frame",
        "check-labs: PROBLEM: lab 2 handout: test x passed",
        "make[1]: *** [Makefile:212: selftest] Error 1",
    ]


def test_parse_part():
    p = check.parse_part("lab 4 grade=grade LAB=4")
    assert (p.name, p.targets, p.assignments) == ("lab 4 grade", ["grade"], ["LAB=4"])
    p = check.parse_part("GDB=test-gdb test-gdb-commands")
    assert (p.targets, p.assignments) == (["test-gdb", "test-gdb-commands"], [])
    p = check.parse_part("kernel=kernel -j2 LAB=3")
    assert (p.targets, p.assignments) == (["kernel"], ["-j2", "LAB=3"])
    for bad in ("nothing", "=x", "name=", "name=LAB=4", "name=-j2"):
        with pytest.raises(SystemExit):
            check.parse_part(bad)


def test_runs_every_part_and_ends_with_the_plain_line(tmp_path):
    (tmp_path / "Makefile").write_text(
        "ok:\n\t@echo '3 passed in 0.1s'\n"
        "bad:\n\t@echo 'FAIL thing: broken'; exit 1\n"
        "var:\n\t@echo 'PASS var: X=$(X)'\n")
    p = subprocess.run([sys.executable, "-B", str(TOOLS / "check.py"), "--make", "make -s",
                        "first=ok", "second part=bad ok", "third=var X=7"],
                       cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert p.returncode == 1
    out = p.stdout.splitlines()
    assert "PASS var: X=7" in out  # streamed, and VAR=value reached make
    assert out[-1] == "7 passed, 1 failed"
    table = out[out.index("make check: summary"):]
    first, second, third = (next(l for l in table if l.startswith("  " + n))
                            for n in ("first", "second part", "third"))
    assert first.split()[1:3] == ["3", "0"]
    assert second.split()[2:4] == ["3", "1"] and "FAILED (make bad: status 2)" in second
    assert third.split()[1:3] == ["1", "0"] and "FAILED" not in third
    # what failed, under the table
    assert out[out.index("  second part:") + 1] == "    FAIL thing: broken"


def test_background_part_runs_beside_the_others(tmp_path):
    # The background part waits for a file the foreground part writes: it
    # can only pass if both run at once. Its output is printed at the end
    # and it keeps its place in the summary.
    (tmp_path / "Makefile").write_text(
        "waiter:\n\t@for i in $$(seq 200); do [ -e flag ] && break; sleep 0.05; done; "
        "[ -e flag ] && echo '2 passed in 0.1s'\n"
        "writer:\n\t@touch flag; echo 'PASS writer: wrote'\n")
    p = subprocess.run([sys.executable, "-B", str(TOOLS / "check.py"), "--make", "make -s",
                        "&slow one=waiter", "fast=writer"],
                       cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stdout + p.stderr
    out = p.stdout.splitlines()
    assert out[-1] == "3 passed, 0 failed"
    assert "---- slow one (ran in the background; build/check/slow-one.log) ----" in out
    assert out.index("2 passed in 0.1s") > out.index("PASS writer: wrote")
    table = out[out.index("make check: summary"):]
    rows = [l.split()[0] for l in table[3:5]]
    assert rows == ["slow", "fast"]
    # (Under make check, make's own "Entering directory" lines join it.)
    log = (tmp_path / "build" / "check" / "slow-one.log").read_text().splitlines()
    assert "2 passed in 0.1s" in log


def test_cpu_seconds_count_the_work_not_the_wait(tmp_path):
    # A part that computes for a while shows its CPU time, which includes
    # the processes make started; a part that only sleeps shows next to none.
    (tmp_path / "Makefile").write_text(
        "busy:\n\t@python3 -c 'import time; t = time.process_time(); "
        "all(iter(lambda: time.process_time() - t < 0.5, False))' && echo 'PASS busy: done'\n"
        "idle:\n\t@sleep 0.5; echo 'PASS idle: done'\n")
    p = subprocess.run([sys.executable, "-B", str(TOOLS / "check.py"), "--make", "make -s",
                        "busy=busy", "idle=idle"],
                       cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stdout + p.stderr
    table = p.stdout.splitlines()
    table = table[table.index("make check: summary"):]
    assert table[2].split() == ["part", "passed", "failed", "seconds", "cpu", "s"]
    busy, idle = (next(l for l in table if l.startswith("  " + n)).split() for n in ("busy", "idle"))
    assert float(busy[4]) >= 0.45
    assert float(idle[3]) >= 0.45 and float(idle[4]) < 0.2


def test_background_part_starts_after_the_parts_before_it(tmp_path):
    # 'built' must exist when the background part starts: the foreground
    # part listed before it writes it after a pause.
    (tmp_path / "Makefile").write_text(
        "build:\n\t@sleep 0.3; touch built; echo 'PASS build: built'\n"
        "use:\n\t@[ -e built ] && echo 'PASS use: found it' || echo 'FAIL use: too early'\n"
        "other:\n\t@echo 'PASS other: ran'\n")
    p = subprocess.run([sys.executable, "-B", str(TOOLS / "check.py"), "--make", "make -s",
                        "build=build", "&use=use", "other=other"],
                       cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stdout + p.stderr
    assert p.stdout.splitlines()[-1] == "3 passed, 0 failed"
    table = p.stdout.splitlines()
    table = table[table.index("make check: summary"):]
    assert [l.split()[0] for l in table[3:6]] == ["build", "use", "other"]
