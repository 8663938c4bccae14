"""Lab 2: what interrupts change on the console: a kernel fault is reported,
typed input arrives through the interrupt-driven ring buffer, the monitor
answers ticks and irqstat.

Reproduce with:  make qemu CMDLINE="selftest=divide"   or   make qemu
"""

import re

import pytest

from tidepool.errors import fail, indent, quote_lines

pytestmark = pytest.mark.lab(2)


@pytest.mark.points(4)
def test_kernel_fault_report(boot):
    """A divide error in the kernel: trap report, registers, backtrace from the fault, panic"""
    r = boot("selftest=divide")
    m = r.expect_line(r"^trap 0 \(divide error\) at eip 0x([0-9a-f]{8}), error code 0x0$",
                      "the line 'trap 0 (divide error) at eip 0x........, error code 0x0'")
    r.expect_line(r"^\s+eax 0x[0-9a-f]{8}\s+ebx 0x[0-9a-f]{8}", "a register dump line 'eax 0x... ebx 0x...'")
    lines = r.lines
    start = next(i for i, ln in enumerate(lines) if ln.startswith("Backtrace at the fault:"))\
        if any(ln.startswith("Backtrace at the fault:") for ln in lines) else None
    if start is None:
        fail("expected 'Backtrace at the fault:' after the register dump\n"
             + quote_lines(lines[-25:], "the last console lines"))
    frames = []
    for ln in lines[start + 1:]:
        f = re.match(r"^\s+#\d+ 0x([0-9a-f]{8}) (\S+)\+0x[0-9a-f]+$", ln)
        if not f:
            break
        frames.append((int(f.group(1), 16), f.group(2)))
    names = [name for _, name in frames]
    if names[:2] != ["selftest_divide_inner", "selftest_divide_outer"]:
        fail("expected the backtrace at the fault to start with selftest_divide_inner (the "
             f"faulting eip), then selftest_divide_outer; it named {', '.join(names) or 'nothing'}")
    if frames[0][0] != int(m.group(1), 16) + 1:
        fail(f"frame #0 (0x{frames[0][0]:08x}) should be the faulting eip 0x{m.group(1)} "
             "plus 1 (frames are printed as return addresses)")
    r.expect_kind("panic", "after an unhandled divide error in kernel mode")


def irqstat_counts(console_session):
    out = console_session.command("irqstat")
    return out, {int(m.group(1)): int(m.group(2))
                 for m in re.finditer(r"^\s*(\d+)\s+(\d+)\s", out, re.M)}


@pytest.mark.points(4)
def test_serial_input_in_order(console):
    """100 characters sent back to back arrive in order through the serial interrupt"""
    c = console()
    c.expect_prompt()
    text = "".join("abcdefghijklmnopqrstuvwxyz0123456789"[i % 36] for i in range(100))
    out = c.command("echo " + text)
    got = [ln.strip() for ln in out.split("\n") if ln.strip()]
    if text not in got:
        fail("typed 'echo' and 100 characters in one burst; expected the same 100 characters "
             "back in order, but the monitor answered:\n" + indent(got))
    # They must have come by interrupt (vector 36 = IRQ 4), not by polling.
    out, rows = irqstat_counts(c)
    if rows.get(36, 0) <= 0:
        fail("the characters arrived, but not through the serial interrupt: 'irqstat' shows "
             "no vector 36 (IRQ 4); it printed:\n" + indent(out.split("\n")))


@pytest.mark.points(3)
def test_monitor_ticks(console):
    """'ticks' answers; after 'sleep 5' the count has grown by at least 5"""
    c = console()
    c.expect_prompt()
    counts = []
    for command in ("ticks", "sleep 5", "ticks"):
        out = c.command(command)
        if command == "ticks":
            m = re.search(r"ticks: (\d+)", out)
            if not m:
                fail("expected 'ticks: N at HZ Hz' from the 'ticks' command, got:\n"
                     + indent(out.split("\n")))
            counts.append(int(m.group(1)))
    if counts[1] < counts[0] + 5:
        fail(f"expected the tick count to grow by 5 or more across 'sleep 5', "
             f"but 'ticks' said {counts[0]} then {counts[1]}")


@pytest.mark.points(3)
def test_monitor_irqstat(console):
    """'irqstat' lists the timer's vector 32 and the serial port's vector 36 with counts"""
    c = console()
    c.expect_prompt()
    out, rows = irqstat_counts(c)
    for vector, what in ((32, "the timer (IRQ 0)"), (36, "the serial port (IRQ 4)")):
        if rows.get(vector, 0) <= 0:
            fail(f"expected 'irqstat' to show vector {vector}, {what}, with a count above 0; "
                 f"it printed:\n" + indent(out.split("\n")))
