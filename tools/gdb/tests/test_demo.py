"""The demo driver and its checker (tools/gdb/run-demo.py, tidepool-demo).

The demos themselves run in `make test-demos`, each on its own lab's
checkpoint; here they also run on TIDEPOOL_KERNEL (every demo up to that
kernel's LAB, except where LAST_LAB says a later lab changed what the
demo shows), and small throwaway demos prove that the checker fails
when it should and that the pausing mode pauses and cleans up.
"""
import glob
import os
import re
import subprocess
import sys
import uuid

import pytest

from conftest import GDB_DIR, REPO, kernel_path
from tpgdb import demofile

RUN_DEMO = os.path.join(GDB_DIR, "run-demo.py")
DEMOS = sorted(glob.glob(os.path.join(GDB_DIR, "demos", "[0-9][0-9]*-*.gdb")))
# Demos that a later lab's kernel no longer fits: they run on their own
# checkpoint in `make test-demos`, and here only on kernels up to this LAB.
# 02-interrupts waits for the timer in sleep_ticks()' sti;hlt loop; from
# lab 4 on, sleep_ticks() puts the thread to sleep instead (pit.c) and
# the tick finds the idle thread halted. 03-paging watches vm_map() give
# the directory entry 0x0fe its first page table; from lab 4 on,
# vm_prealloc_kernel_tables() (paging.c) makes every kernel table at boot,
# so that all address spaces share them, and that entry is present already.
# 01-boot stops at gdt_init()'s lgdt after the banner; from lab 5 on,
# gdt_early_init() loads the GDT (with the per-CPU %fs segments) before
# the console, so that breakpoint is behind the demo and it would wait.
LAST_LAB = {"01-boot.gdb": 4, "02-interrupts.gdb": 3, "03-paging.gdb": 3}


def kernel_lab():
    """The LAB of the kernel, from its banner string."""
    with open(kernel_path(), "rb") as f:
        m = re.search(rb"-- LAB=(\d+) SOLVED=(\d+)", f.read())
    return int(m.group(1)) if m else 0


def run_demo(path, *extra, pause="0"):
    proc = subprocess.run([sys.executable, "-B", RUN_DEMO, "--kernel", kernel_path(),
                           "--pause", pause, *extra, path],
                          cwd=REPO, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, timeout=120)
    return proc.returncode, proc.stdout.decode("utf-8", "replace")


def write_demo(tmp_path, text, name="99-test.gdb"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_there_is_a_demo_for_lab_1():
    assert any(os.path.basename(d).startswith("01-") for d in DEMOS)


def make_print(*args):
    """What tools/gdb/gdb.mk makes of LAB=, DEMO=: (DEMO_FILE, test-demos' runs)."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    out = subprocess.run(["make", "-s", "--no-print-directory"] + list(args) + [
        "--eval", "tp-print: ; @echo '$(DEMO_FILE)|$(foreach d,$(DEMOS),"
                  "$(call demo_lab,$(d)):$(call demo_name,$(d)))'", "tp-print"],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return out.stdout.decode().strip().split("|")


def test_make_picks_a_labs_demo_by_name():
    """A lab may have several demos (04-threads.gdb, 04b-syscall.gdb):
    LAB=4 plays the first, DEMO=name another; test-demos runs them all."""
    assert make_print("LAB=4")[0] == "tools/gdb/demos/04-threads.gdb"
    assert make_print("LAB=4", "DEMO=syscall")[0] == "tools/gdb/demos/04b-syscall.gdb"
    assert make_print("LAB=4", "DEMO=threads")[0] == "tools/gdb/demos/04-threads.gdb"
    assert make_print("LAB=1")[0] == "tools/gdb/demos/01-boot.gdb"
    runs = make_print("LAB=4")[1].split()
    assert sorted(runs) == sorted("%d:%s" % (int(os.path.basename(d)[:2]),
                                             os.path.basename(d).split("-", 1)[1][:-4])
                                  for d in DEMOS)
    assert "4:syscall" in runs and "4:threads" in runs
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    bad = subprocess.run(["make", "-n", "demo", "LAB=4", "DEMO=nosuch"], cwd=REPO, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert bad.returncode != 0
    assert "no GDB demo 'nosuch' for lab '4' in tools/gdb/demos (lab 4's demos: threads " \
           "syscall)" in bad.stdout.decode()


@pytest.mark.parametrize("path", DEMOS, ids=os.path.basename)
def test_demo_file_is_well_formed(path):
    demo = demofile.load(path)
    assert demo.title, "a demo needs a '# title:'"
    assert len(demo.expects) >= 3, "a demo should check its key lines"
    for step in demo.steps:
        assert step.commands, "step %r runs no command" % step.title
        assert step.narration, "step %r says nothing to the audience" % step.title


@pytest.mark.parametrize("path", DEMOS, ids=os.path.basename)
def test_demo_passes_on_this_kernel(path):
    if int(os.path.basename(path)[:2]) > kernel_lab():
        pytest.skip("demo for a lab after this kernel's LAB=%d" % kernel_lab())
    last = LAST_LAB.get(os.path.basename(path))
    if last is not None and kernel_lab() > last:
        pytest.skip("this demo fits kernels up to LAB=%d, not LAB=%d (make test-demos runs "
                    "it on its own checkpoint)" % (last, kernel_lab()))
    status, out = run_demo(path, "--quiet")
    assert status == 0 and "demo-check: PASS" in out, out


def test_checker_fails_on_a_missing_line(tmp_path):
    path = write_demo(tmp_path, "# title: t\n## one\n# say\ninfo registers eip\n"
                                "# expect-re: ^eip\\s+0xfff0\n# expect: no such line\n")
    status, out = run_demo(path, "--quiet")
    assert status == 1
    assert "demo-check: FAIL 99-test.gdb: expect #2 (line 6 of the demo) not found after " \
           "output line" in out
    assert "(gdb) info registers eip" in out            # the output is shown on failure


def test_checker_fails_on_a_failing_command(tmp_path):
    path = write_demo(tmp_path, "# title: t\n## one\n# say\ninfo registers nosuchreg\n"
                                "# expect: never\n")
    status, out = run_demo(path, "--quiet")
    assert status == 1
    assert "99-test.gdb:4: `info registers nosuchreg` failed: Invalid register" in out
    assert "GDB exited with status 1" in out


def test_checker_fails_on_a_bad_demo_file(tmp_path):
    path = write_demo(tmp_path, "info registers\n")
    status, out = run_demo(path)
    assert status == 2 and "a command before the first step" in out


def test_pausing_demo_waits_and_cleans_up(tmp_path):
    """DEMO_PAUSE=1 on a terminal: the driver waits for Enter after each
    step, q ends the demo, the GDB prompt remains, and quitting GDB ends
    QEMU too (it is found by its unique kernel command line)."""
    pexpect = pytest.importorskip("pexpect")
    # Unique to this test, and never a prefix of another run's tag (as
    # "...-%d" % pid would be: pid 123 against a neighbour's pid 1234).
    tag = "tp-demo-test-" + uuid.uuid4().hex
    path = write_demo(tmp_path, "# title: pausing\n# cmdline: %s\n"
                                "## one\n# first\ninfo registers eip\n"
                                "## two\n# second\nbreak kmain\ncontinue\n"
                                "## three\n# third\nkmsg\n" % tag)
    child = pexpect.spawn(sys.executable, ["-B", RUN_DEMO, "--kernel", kernel_path(),
                                           "--pause", "1", path],
                          cwd=REPO, encoding="utf-8", timeout=30, dimensions=(40, 160))
    try:
        child.expect("Step 1/3")
        child.expect("-- Enter: next step")
        assert "Step 2/3" not in child.before
        child.sendline("")
        child.expect("Step 2/3")
        child.expect(r"Breakpoint 1, \S*kmain")
        child.expect("-- Enter: next step")
        child.sendline("q")
        child.expect("demo stopped after step 2 of 3")
        child.expect(r"\(gdb\) ")
        assert "Step 3/3" not in child.before
        child.sendline("kmsg")
        child.expect("kmsg: the log is empty")
        child.expect(r"\(gdb\) ")
        child.sendline("quit")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
    assert not qemu_with(tag, wait=5.0), "QEMU still runs after GDB quit"


def qemu_with(tag, wait):
    """Is there a process whose command line holds tag? Waits up to `wait`
    seconds for it to go away (QEMU exits right after GDB's kill)."""
    import time
    deadline = time.monotonic() + wait
    while True:
        found = False
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                with open("/proc/%s/cmdline" % pid, "rb") as f:
                    if tag.encode() in f.read():
                        found = True
                        break
            except OSError:
                continue
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.02)
