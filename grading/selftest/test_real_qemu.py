"""The runner and the GDB helper against the real qemu-system-i386 and gdb,
with hand-assembled Multiboot images instead of the Tidepool kernel."""

import pytest

from helpers import machine_scaled, needs_gdb, needs_qemu, own_processes
from tidepool import ktest, qemu, tinykernel
from tidepool.gdb import run_gdb
from tidepool.qemu import Machine

pytestmark = [pytest.mark.realqemu, needs_qemu]

KTAP = "KTAP version 1\n1..2\n# running tiny.one\nok 1 tiny.one\n# running tiny.two\n"


@pytest.mark.parametrize("kind,status,outcome", [
    ("exit", 33, "success"), ("panic", 35, "panic"), ("fault", 0, "crash")])
def test_exit_statuses(tiny, kind, status, outcome):
    r = qemu.run(Machine(tiny(kind, com1="Tidepool tiny (i386)\n")), timeout=20)
    assert (r.status, r.kind) == (status, outcome)
    assert r.lines == ["Tidepool tiny (i386)"]


def test_status_other_than_33_or_35(tiny):
    r = qemu.run(Machine(tiny("exit", status=0x02)), timeout=20)
    assert (r.status, r.kind) == (5, "error")


def test_hang_and_flood(tiny):
    timeout = machine_scaled(1.0, tiny("exit"))
    hang = qemu.run(Machine(tiny("hang", com1="before the hang\n")), timeout=timeout)
    assert hang.kind == "hung" and hang.lines == ["before the hang"]
    flood = qemu.run(Machine(tiny("flood")), timeout=20, console_limit=16 * 1024)
    assert flood.kind == "flooded"
    assert not own_processes(hang.machine.kernel) and not own_processes(flood.machine.kernel)


def test_stall_stops_a_silent_kernel_early(tiny):
    """run(stall=S): a kernel that prints nothing for S seconds is stopped as
    hung long before the timeout, and says it went silent; one that keeps
    printing is not stopped by the stall."""
    hang = qemu.run(Machine(tiny("hang", com1="before the hang\n")), timeout=120, stall=5.0)
    assert hang.kind == "hung" and hang.elapsed < 60 and hang.stalled >= 5.0
    assert "wrote nothing on COM1 or COM2" in hang.describe()
    flood = qemu.run(Machine(tiny("flood")), timeout=20, console_limit=16 * 1024, stall=5.0)
    assert flood.kind == "flooded" and flood.stalled == 0.0


def test_ktap_on_com2_and_crash_attribution(tiny):
    kernel = tiny("fault", com1="booting\n", com2=KTAP)
    g = ktest.run_group(Machine(kernel), "tiny.*", timeout=20, max_boots=3)
    # tiny.one passes, tiny.two (the last case) crashes: nothing left to resume.
    assert [(c.name, c.status) for c in g.outcomes()] == [("tiny.one", "pass"),
                                                          ("tiny.two", "crash")]
    assert len(g.boots) == 1 and g.complete
    assert "booting" in g.boots[0].console


def test_tiny_image_layout():
    img = tinykernel.build("exit", com1="a", com2="b")
    assert img[:4] == bytes.fromhex("02b0ad1b")  # Multiboot magic, little-endian
    assert sum(int.from_bytes(img[i:i + 4], "little") for i in (0, 4, 8)) % 2**32 == 0
    with pytest.raises(ValueError):
        tinykernel.build("explode")


@needs_gdb
def test_gdb_batch_breakpoint_markers_and_monitor(tiny):
    kernel = tiny("exit", com1="hello from tiny\n")
    g = run_gdb(Machine(kernel), [
        f"break *{tinykernel.LOAD + tinykernel.HEADER:#x}",
        "continue",
        'printf "@@pc=%#x\\n", $pc',
        "monitor info registers",
    ], timeout=30, symbols="")
    assert not g.timed_out and g.error is None
    assert g.markers["pc"] == f"{tinykernel.LOAD + tinykernel.HEADER:#x}"
    assert g.expect(r"^CS =0008").group(0)  # QEMU's Multiboot loader's flat CS
    assert g.console == ""  # stopped before the code that prints


@needs_gdb
def test_gdb_sees_console_and_kernel_exit(tiny):
    g = run_gdb(Machine(tiny("exit", com1="hello from tiny\n")), ["continue"],
                timeout=30, symbols="")
    assert "hello from tiny" in g.console  # COM1 file of GDB's QEMU
    assert "Remote connection closed" in g.error  # the kernel exited under GDB
    assert "target remote | exec" in g.display and "-gdb stdio -S" in g.display


@needs_gdb
def test_gdb_script_error_is_reported(tiny):
    kernel = tiny("hang")
    g = run_gdb(Machine(kernel), ["print no_such_symbol", "echo unreached\\n"],
                timeout=30, symbols="")
    assert "No symbol" in g.error and "print no_such_symbol" in g.error
    assert "unreached" not in g.output
    # GDB kills the stopped QEMU instead of waiting for it (until the timeout)
    assert g.elapsed < min(25.0, machine_scaled(5.0, tiny("exit")))
    assert not own_processes(kernel)


@needs_gdb
def test_gdb_timeout_kills_gdb_and_qemu(tiny):
    kernel = tiny("hang")
    g = run_gdb(Machine(kernel), ["continue"], timeout=1.0, symbols="")
    assert g.timed_out and g.status is None
    assert "did not finish within 1.0 s" in g.describe()
    assert not own_processes(kernel)


@needs_gdb
def test_gdb_reproduce_line_runs_the_same_script(tiny, tmp_path):
    """The one-line reproduce command of a GDB run, pasted into sh, gives the same output."""
    import subprocess

    from tidepool import runlog

    kernel = tiny("exit", com1="hello from tiny\n")
    runlog.begin()
    g = run_gdb(Machine(kernel, "exit x=1"), [
        f"break *{tinykernel.LOAD + tinykernel.HEADER:#x}",
        "continue",
        'printf "@@pc=%#x\\n", $pc',
        "print no_such_symbol",
        "echo unreached\\n",
    ], timeout=30, symbols="")
    (line,) = runlog.end()
    assert line == g.display and "\n" not in line
    assert line.startswith("printf '%s\\n' 'set pagination off'")
    assert "'target remote | exec qemu-system-i386 -gdb stdio -S -kernel " in line
    assert '-append "exit x=1"' in line and "-pidfile" not in line and "setpriv" not in line
    assert line.endswith("> script.gdb && gdb -q -nx -batch -iex 'set auto-load off' "
                         "-x script.gdb -ex kill")
    out = subprocess.run(["sh", "-c", line], cwd=tmp_path, capture_output=True, text=True,
                         timeout=60)
    again = out.stdout + out.stderr
    assert f"@@pc={tinykernel.LOAD + tinykernel.HEADER:#x}" in again
    assert "script.gdb:9: Error in sourced command file" in g.output  # same line number
    assert "script.gdb:9: Error in sourced command file" in again
    assert "unreached" not in again
    assert (tmp_path / "script.gdb").read_text().splitlines()[5:] == [
        f"break *{tinykernel.LOAD + tinykernel.HEADER:#x}", "continue",
        'printf "@@pc=%#x\\n", $pc', "print no_such_symbol", "echo unreached\\n"]
    assert not own_processes(kernel)
