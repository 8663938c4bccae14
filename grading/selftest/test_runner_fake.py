"""The QEMU runner and the console session, against the fake emulator."""

import os
import re
import time

import pytest

from helpers import machine_scaled, own_processes
from tidepool import qemu, runlog
from tidepool.qemu import Machine


def test_command_line_follows_the_protocol(fake_kernel, monkeypatch):
    monkeypatch.setenv("ACCEL", "kvm")
    m = Machine(fake_kernel, "test=boot.* x=1", memory=64, initrd=("/a", "/b"), smp=2,
                qemu="qemu-system-i386")
    cmd = qemu.build_command(m, "stdio", "file:/tmp/x/com2.txt")
    line = " ".join(cmd)
    assert cmd[0] == "qemu-system-i386"
    for part in ["-kernel " + fake_kernel, "-m 64", "-display none -vga none", "-no-reboot",
                 "-monitor none", "-serial stdio -serial file:/tmp/x/com2.txt",
                 "-device isa-debug-exit,iobase=0xf4,iosize=0x04", "-initrd /a,/b",
                 "-smp 2", "-accel kvm"]:
        assert part in line
    assert cmd[cmd.index("-append") + 1] == "test=boot.* x=1"
    gdb_cmd = qemu.build_command(m, "file:c1", "file:c2", gdb_stdio=True)
    assert gdb_cmd[1:4] == ["-gdb", "stdio", "-S"]
    with pytest.raises(ValueError):
        qemu.build_command(m.replace(initrd=["/a,b"]), "stdio", "file:c2")


def test_emulator_comes_from_tidepool_qemu(fake_qemu, fake_kernel):
    assert qemu.build_command(Machine(fake_kernel), "stdio", "file:x")[0] == fake_qemu


def test_success_collects_console_and_status(fake_qemu, fake_kernel):
    r = qemu.run(Machine(fake_kernel, "exit hello=world"), timeout=20)
    assert (r.status, r.kind, r.ok) == (33, "success", True)
    assert r.lines[0] == "Tidepool 0.0-fake (i386)"  # \r\n normalized
    assert r.expect_line(r'^cmdline: "(.*)"$').group(1).endswith(" exit hello=world")
    assert r.com2 == ""
    assert "status 33 (success)" in r.describe()


def test_kinds_panic_crash_and_other(fake_qemu, fake_kernel):
    panic = qemu.run(Machine(fake_kernel, "selftest=panic"), timeout=20)
    assert (panic.status, panic.kind) == (35, "panic")
    assert "panicked" in panic.describe()
    fault = qemu.run(Machine(fake_kernel, "selftest=fault"), timeout=20)
    assert (fault.status, fault.kind) == (0, "crash")
    assert "triple fault" in fault.describe()
    other = qemu.run(Machine(fake_kernel, "fake_status=7"), timeout=20)
    assert (other.status, other.kind) == (7, "error")
    assert "neither 33" in other.describe()


def test_hang_is_killed_at_the_timeout(fake_qemu, fake_kernel):
    timeout = machine_scaled(1.0, fake_kernel)
    start = time.monotonic()
    r = qemu.run(Machine(fake_kernel, "selftest=hang"), timeout=timeout)
    assert time.monotonic() - start < timeout + 10
    assert (r.kind, r.status) == ("hung", None)
    assert f"did not exit within {timeout:.1f} s" in r.describe()
    assert "Tidepool 0.0-fake (i386)" in r.last_lines()  # what it printed before hanging
    assert not own_processes(fake_kernel)


def test_flood_is_killed_at_the_output_limit(fake_qemu, fake_kernel):
    r = qemu.run(Machine(fake_kernel, "selftest=flood"), timeout=20, console_limit=64 * 1024)
    assert (r.kind, r.status, r.flood_port) == ("flooded", None, "COM1")
    assert len(r.console) <= 64 * 1024
    assert "more than 64 KiB to COM1" in r.describe()
    assert r.last_lines(3)[-2].startswith("flood flood")
    assert not own_processes(fake_kernel)


def test_flood_on_com2_is_caught_too(fake_qemu, fake_kernel):
    r = qemu.run(Machine(fake_kernel, "test=fake.* fake_flood_com2"), timeout=20,
                 com2_limit=32 * 1024)
    assert (r.kind, r.flood_port) == ("flooded", "COM2")
    assert len(r.com2) <= 32 * 1024


def test_missing_emulator_is_an_error_not_an_exception(fake_kernel):
    r = qemu.run(Machine(fake_kernel, "exit", qemu="/nonexistent/qemu"), timeout=5)
    assert r.kind == "error" and r.status is None
    assert "could not start /nonexistent/qemu" in r.report()


def test_kernel_missing_reports_qemu_stderr(fake_qemu, tmp_path):
    r = qemu.run(Machine(str(tmp_path / "nope.elf"), "exit"), timeout=20)
    assert (r.kind, r.status) == ("error", 1)
    assert "could not load kernel" in r.describe()


def test_each_run_uses_a_fresh_temp_dir_and_removes_it(fake_qemu, fake_kernel):
    a = qemu.run(Machine(fake_kernel, "test=other.*"), timeout=20)
    b = qemu.run(Machine(fake_kernel, "test=other.*"), timeout=20)
    dirs = [re.search(r"file:(\S+)/com2\.txt", " ".join(r.command)).group(1) for r in (a, b)]
    assert dirs[0] != dirs[1]
    assert not any(os.path.exists(d) for d in dirs)
    assert "ok 1 other.alone" in a.com2 and "ok 1 other.alone" in b.com2


def test_reproduce_line_is_recorded_and_runnable_text(fake_qemu, fake_kernel):
    runlog.begin()
    r = qemu.run(Machine(fake_kernel, "test=fake.* x=1"), timeout=20)
    logged = runlog.end()
    assert logged == [r.display]
    assert "-serial file:com2.txt" in r.display  # temp dir stripped
    assert "'test=fake.* x=1'" in r.display  # shell-quoted
    assert r.display.startswith(fake_qemu)


def test_expect_line_failure_message(fake_qemu, fake_kernel):
    r = qemu.run(Machine(fake_kernel, "exit"), timeout=20)
    with pytest.raises(pytest.fail.Exception) as exc:
        r.expect_line(r"^modules: 2", "the line 'modules: 2'")
    msg = str(exc.value)
    assert "expected the line 'modules: 2' on the console" in msg
    assert "status 33 (success)" in msg
    assert "the last 6 console lines were:" in msg and "    modules: 0" in msg
    with pytest.raises(pytest.fail.Exception) as exc:
        r.expect_kind("panic")
    assert "expected the kernel to panic" in str(exc.value)


# -- interactive console -----------------------------------------------------


def test_console_session_commands(fake_qemu, fake_kernel):
    with qemu.ConsoleSession(Machine(fake_kernel), timeout=20) as c:
        c.expect_prompt()
        out = c.command("help")
        assert out.split("\n")[0].startswith("help ")  # echo removed
        assert "backtrace" in out and "reboot" in out
        assert c.command("echo one two").strip() == "one two"
        c.sendline("exit")
        assert c.wait_exit() == 33
        assert c.kind == "success"
    assert not os.path.exists(c.workdir.path)


def test_console_expect_timeout_message(fake_qemu, fake_kernel):
    with qemu.ConsoleSession(Machine(fake_kernel), timeout=20) as c:
        c.expect_prompt()
        start = time.monotonic()
        with pytest.raises(pytest.fail.Exception) as exc:
            c.expect("no such text", timeout=0.5, what="'no such text'")
        assert time.monotonic() - start < 5
    msg = str(exc.value)
    assert "expected 'no such text' on the console" in msg
    assert "did not appear within 0.5 s" in msg
    assert "K> " in msg  # the last console lines


def test_console_eof_message(fake_qemu, fake_kernel):
    with qemu.ConsoleSession(Machine(fake_kernel, "selftest=panic"), timeout=20) as c:
        with pytest.raises(pytest.fail.Exception) as exc:
            c.expect_prompt()
    msg = str(exc.value)
    assert "but the kernel panicked: QEMU exited with status 35" in msg
    assert "PANIC at kernel/selftest.c:17" in msg


def test_console_flood_is_stopped(fake_qemu, fake_kernel):
    with qemu.ConsoleSession(Machine(fake_kernel), timeout=20, console_limit=64 * 1024) as c:
        c.expect_prompt()
        c.sendline("flood")
        with pytest.raises(pytest.fail.Exception) as exc:
            c.expect("never")
        assert c.kind == "flooded"
    assert "flooded" in str(exc.value)
    assert not own_processes(fake_kernel)


def test_console_close_kills_a_running_kernel(fake_qemu, fake_kernel):
    c = qemu.ConsoleSession(Machine(fake_kernel, "selftest=hang"), timeout=20)
    c.expect("gdt: loaded")
    c.close()
    assert not own_processes(fake_kernel)


def test_console_panic_fails_without_waiting_for_the_timeout(fake_qemu, fake_kernel):
    with qemu.ConsoleSession(Machine(fake_kernel), timeout=20) as c:
        c.expect_prompt()
        start = time.monotonic()
        with pytest.raises(pytest.fail.Exception) as exc:
            c.command("panic")
        assert time.monotonic() - start < qemu.PANIC_GRACE + 5
    msg = str(exc.value)
    assert "but the kernel panicked" in msg
    assert "PANIC at kernel/monitor.c:66: asked to" in msg
    assert "#0 0x00100df8 monitor_run+0xd8" in msg


def test_smp_topologies_get_multithreaded_tcg(fake_kernel):
    m = Machine(fake_kernel)
    assert qemu.with_smp(m, None) == m
    one = qemu.with_smp(m, 1)
    assert "-smp 1" in " ".join(qemu.build_command(one, "stdio", "file:x"))
    assert "tcg,thread=multi" not in one.extra_args
    four = qemu.with_smp(m.replace(extra_args=("-icount", "shift=0")), "4,sockets=4")
    line = " ".join(qemu.build_command(four, "stdio", "file:x"))
    assert "-smp 4,sockets=4" in line and "-accel tcg,thread=multi" in line
    assert four.extra_args[:2] == ("-icount", "shift=0")
    assert qemu.with_smp(four, 4).extra_args.count("tcg,thread=multi") == 1
    assert [qemu.smp_count(s) for s in (None, 2, "4", "4,sockets=4", "cpus=3,cores=3")] == [1, 2, 4, 4, 3]
