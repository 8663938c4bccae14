"""`make debug TEST=name` (tools/debug-test.py) against the real kernel.

Skipped when the kernel is not built. make runs with -o build/kernel.elf so
that a selftest never rebuilds the kernel; the debug files go to a temp dir
(TIDEPOOL_DEBUG_DIR) instead of build/debug.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import pytest

from helpers import needs_gdb, needs_qemu, own_processes
from tidepool import fixtures

REPO = fixtures.REPO_ROOT
KERNEL = REPO / "build" / "kernel.elf"
TOOL = REPO / "tools" / "debug-test.py"

pytestmark = [
    pytest.mark.realqemu,
    needs_qemu,
    needs_gdb,
    pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed"),
    pytest.mark.skipif(not KERNEL.is_file(), reason=f"{KERNEL} is not built"),
]


@pytest.fixture
def debug_dir():
    # Short: QEMU's unix socket path must fit in 108 bytes.
    path = tempfile.mkdtemp(prefix="tpdbg-", dir="/tmp" if os.path.isdir("/tmp") else None)
    yield os.path.join(path, "debug")
    shutil.rmtree(path, ignore_errors=True)


def env_for(debug_dir):
    env = {k: v for k, v in os.environ.items()
           if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "TEST", "N", "GDB_BATCH")}
    home = os.path.dirname(debug_dir)
    # No personal GDB setup, no colours, debug files in the temp dir.
    env.update(TIDEPOOL_DEBUG_DIR=debug_dir, HOME=home, XDG_CONFIG_HOME=home, TERM="dumb")
    return env


def qemu_gone(debug_dir, wait=5.0):
    """No QEMU of this debug run is left (it may take a moment to die with GDB)."""
    marker = os.path.join(debug_dir, "com1.sock")
    deadline = time.monotonic() + wait
    while own_processes(marker):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def make_debug(debug_dir, *args, timeout=120):
    cmd = ["make", "--no-print-directory", "-o", "build/kernel.elf", "debug", *args]
    return subprocess.run(cmd, cwd=REPO, env=env_for(debug_dir), capture_output=True,
                          text=True, timeout=timeout)


def tool(debug_dir, *args, timeout=120):
    cmd = [sys.executable, "-B", str(TOOL), "--kernel", str(KERNEL), *args]
    return subprocess.run(cmd, cwd=REPO, env=env_for(debug_dir), capture_output=True,
                          text=True, timeout=timeout)


BATCH = ("-nx -batch -ex 'break kmain' -ex continue -ex 'info args' "
         "-ex 'printf \"@@cmdline=%s\\n\", (char *)((struct multiboot_info *)info_addr)->cmdline' "
         "-ex bt -ex 'help tidepool-connect' -ex kill")


def test_make_debug_batch_stops_in_kmain_with_the_tests_cmdline(debug_dir):
    r = make_debug(debug_dir, "TEST=test_cmdline_echo", f"GDB_BATCH={BATCH}")
    out = r.stdout + r.stderr
    # (No check of the exit status: GDB's is that of the final kill, which
    # may see "Broken pipe" when QEMU exits first.)
    # The recorded command: the test's own.
    assert "tests/lab1/test_boot.py::test_cmdline_echo" in out
    assert "-append 'exit hello=world x=1'" in out
    # QEMU waited for GDB at the reset vector, then the breakpoint hit.
    assert re.search(r"^0x0000fff0 in \?\? \(\)$", out, re.M), out
    assert re.search(r"^Breakpoint 1, kmain \(magic=732803074, info_addr=\d+\)", out, re.M), out
    cmdline = re.search(r"^@@cmdline=(.*)$", out, re.M).group(1)
    assert cmdline == f"{KERNEL} exit hello=world x=1"
    assert re.search(r"^#0 +kmain \(", out, re.M)
    assert "Connect to a QEMU started with `make qemu-gdb`" in out  # .gdbinit's commands
    assert qemu_gone(debug_dir)


def test_make_debug_interactive_prompt_and_quit_ends_qemu(debug_dir):
    import pexpect

    child = pexpect.spawn("make", ["--no-print-directory", "-o", "build/kernel.elf", "debug",
                                   "TEST=test_in_kernel_case[boot.cmdline]"],
                          cwd=str(REPO), env=env_for(debug_dir), encoding="utf-8", timeout=60,
                          dimensions=(24, 400))
    try:
        child.expect_exact("(gdb) ")
        assert "-append 'test=boot.*'" in child.before
        child.sendline("p $pc")
        child.expect(r"0xfff0")
        child.expect_exact("(gdb) ")
        child.sendline("break ktest_main")
        child.expect_exact("(gdb) ")
        child.sendline("continue")
        child.expect(r"Breakpoint 1, ktest_main \(globs=\S+ \"boot\.\*\"")
        child.expect_exact("(gdb) ")
        # COM1 is logged while nobody is attached to its socket.
        assert open(os.path.join(debug_dir, "com1.txt")).read().startswith("Tidepool ")
        child.sendline("quit")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert qemu_gone(debug_dir)


def test_debug_command_keeps_the_tests_qemu_arguments(debug_dir):
    r = tool(debug_dir, "--print", "test_modules")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("gdb -q -iex 'set auto-load local-gdbinit off' -x ")
    gdbinit = open(os.path.join(debug_dir, "gdbinit")).read()
    target = next(ln for ln in gdbinit.splitlines() if ln.startswith("target remote | exec "))
    assert "tidepool-connect" not in [ln.strip() for ln in gdbinit.splitlines()]
    assert "source tools/gdb/tidepool.py" in gdbinit
    assert f" -S -gdb stdio -kernel {KERNEL} -append exit -m 128 -initrd " in target
    initrd = re.search(r"-initrd (\S+)", target).group(1).split(",")
    assert [os.path.basename(p) for p in initrd] == ["alpha.bin", "beta.txt"]
    # The test's files are there (kept, or restored from the recording) ...
    assert all(os.path.isfile(p) for p in initrd)
    assert f"logfile={debug_dir}/com1.txt" in target and f"file:{debug_dir}/com2.txt" in target
    assert "-serial stdio" not in target and "-pidfile" not in target
    # ... until the next make debug.
    r = tool(debug_dir, "--list", "test_cmdline_echo")
    assert r.returncode == 0, r.stderr
    assert not any(os.path.exists(p) for p in initrd)


def test_debug_test_names(debug_dir):
    r = tool(debug_dir, "--list", "tests/lab1/test_boot.py::test_memory_size[64M]")
    assert r.returncode == 0 and "-m 64 " in r.stdout, r.stderr
    r = tool(debug_dir, "--list", "grading/tests/lab1/test_gdb.py::test_gdt_from_gdb")
    assert r.returncode == 0 and "[gdb]" in r.stdout and "break monitor_main" in r.stdout
    r = tool(debug_dir, "--list", "test_memory_size")
    assert r.returncode == 2 and "matches 2 tests" in r.stderr
    assert "test_memory_size[200M]" in r.stderr
    r = tool(debug_dir, "--list", "no_such_test")
    assert r.returncode == 2 and "no graded test matches" in r.stderr
    r = tool(debug_dir, "--list", "--index", "3", "test_cmdline_echo")
    assert r.returncode == 2 and "N=3, but the test ran 1 QEMU command" in r.stderr


def test_make_debug_console_test_can_be_typed_on(debug_dir):
    """A console test's run: attach to COM1 (--console), continue, type what the test typed."""
    import pexpect

    env = env_for(debug_dir)
    gdb = pexpect.spawn("make", ["--no-print-directory", "-o", "build/kernel.elf", "debug",
                                 "TEST=test_monitor_help"],
                        cwd=str(REPO), env=env, encoding="utf-8", timeout=60,
                        dimensions=(24, 400))
    con = None
    try:
        gdb.expect_exact("(gdb) ")
        assert "the test typed on the console: help<Enter>" in gdb.before
        con = pexpect.spawn(sys.executable, ["-B", str(TOOL), "--console"], cwd=str(REPO),
                            env=env, encoding="utf-8", timeout=60)
        con.expect("connected to ")
        gdb.sendline("continue")
        con.expect_exact("K> ")
        con.send("help\r")
        con.expect_exact("help")  # the echo (a lab-1 handout answers 'not written yet')
        con.expect_exact("K> ")
        con.sendcontrol("]")
        con.expect(pexpect.EOF)
        gdb.sendcontrol("c")
        gdb.expect_exact("(gdb) ")
        gdb.sendline("quit")
        gdb.expect(pexpect.EOF)
    finally:
        gdb.close(force=True)
        if con is not None:
            con.close(force=True)
    assert "help" in open(os.path.join(debug_dir, "com1.txt")).read()
    assert qemu_gone(debug_dir)
