"""Lab 1: the kernel monitor on the serial console.

Try it with:  make qemu     then type help at the K> prompt.
"""

import re

import pytest

from tidepool import protocol
from tidepool.errors import fail, indent

pytestmark = pytest.mark.lab(1)


@pytest.mark.points(3)
def test_monitor_help(console):
    """'help' lists backtrace, mem, reboot and help"""
    c = console()
    c.expect_prompt()
    out = c.command("help")
    lines = [ln for ln in out.split("\n") if ln.strip()]
    missing = [name for name in ("help", "backtrace", "mem", "reboot")
               if not any(re.match(rf"^\s*{name}\b", ln) for ln in lines)]
    if missing:
        fail(f"expected 'help' to list the commands backtrace, mem, reboot and help, one per "
             f"line, but {', '.join(missing)} {'is' if len(missing) == 1 else 'are'} missing; "
             f"'help' printed:\n" + indent(lines))


@pytest.mark.points(3)
def test_monitor_backtrace(console):
    """'backtrace' prints the monitor's frames down to kmain"""
    c = console()
    c.expect_prompt()
    out = c.command("backtrace")
    lines = [ln for ln in out.split("\n") if ln.strip()]
    frames = protocol.parse_frames(lines)
    shown = "; 'backtrace' printed:\n" + indent(lines)
    if not frames:
        fail("expected 'Backtrace:' and frame lines '  #N 0xADDRESS FUNCTION+0xOFFSET'" + shown)
    names = [f.function for f in frames]
    if "kmain" not in names:
        fail(f"expected a frame in kmain, but the frames were {', '.join(names)}" + shown)
    k = names.index("kmain")
    if not any(n.startswith("monitor") for n in names[:k]):
        fail(f"expected frames of the monitor (monitor_...) before kmain, "
             f"but the frames were {', '.join(names)}" + shown)
