"""Lab 3: what memory management changes on the console.

Reproduce with:  make qemu CMDLINE="selftest=null"   (or selftest=stackoverflow)
"""

import re

import pytest

from tidepool.errors import fail, indent

pytestmark = pytest.mark.lab(3)


@pytest.mark.points(3)
# The NULL read is the test's own doing (selftest=null): on a checked kernel
# (make grade UBSAN=1) UBSan rightly reports it before the page fault this
# test is about. Any other report still fails the test.
@pytest.mark.sanitizer_reports("null-dereference")
def test_null_dereference_panics(boot):
    """A NULL read in the kernel: 'page fault', CR2 0, decoded reason, panic"""
    r = boot("selftest=null")
    r.expect_line(r"^trap 14 \(page fault\) at eip 0x[0-9a-f]{8}, error code 0x0$",
                  "the line 'trap 14 (page fault) at eip 0x..., error code 0x0'")
    r.expect_line(r"^\s+cr2 0x00000000: read of a not-present page in kernel mode$",
                  "the line 'cr2 0x00000000: read of a not-present page in kernel mode'")
    r.expect_line(r"^PANIC at .*page fault", "a PANIC line naming the page fault")
    r.expect_kind("panic", "after a NULL dereference in the kernel")


@pytest.mark.points(4)
def test_stack_overflow_hits_guard_page(boot):
    """Running off the boot stack is reported as a stack overflow, not a reset"""
    r = boot("selftest=stackoverflow")
    r.expect_line(r"kernel stack overflow: esp 0x[0-9a-f]{8} in the guard page",
                  "a 'double fault: kernel stack overflow: esp ... in the guard page' line")
    r.expect_line(r"^\s+#\d+ 0x[0-9a-f]{8} selftest_recurse\+", "a backtrace through selftest_recurse")
    r.expect_kind("panic", "after a kernel stack overflow")


@pytest.mark.points(3)
def test_monitor_mem_and_pt(console):
    """'mem' shows frames and heap; 'pt' shows what maps an address"""
    c = console()
    c.expect_prompt()
    out = c.command("mem")
    m = re.search(r"frames: (\d+) free, (\d+) used", out)
    if not m or int(m.group(1)) < 1000:
        fail("expected 'frames: N free, M used' with thousands of free frames from 'mem'; "
             "it printed:\n" + indent(out.split("\n")))
    if not re.search(r"heap: \d+ bytes in \d+ blocks in use", out):
        fail("expected a 'heap: ...' line from 'mem'; it printed:\n" + indent(out.split("\n")))
    out = c.command("pt 00100000")
    if not re.search(r"0x00100000 -> 0x00100000 \S+ kernel", out):
        fail("expected 'pt 00100000' to show the kernel's direct map "
             "'0x00100000 -> 0x00100000 ... kernel'; it printed:\n" + indent(out.split("\n")))
    out = c.command("pt 0")
    if "not mapped" not in out:
        fail("expected page 0 to be unmapped (NULL must fault); 'pt 0' printed:\n"
             + indent(out.split("\n")))
