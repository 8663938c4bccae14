"""Lab 1: the GDT as the CPU sees it, checked from GDB.

Reproduce with:  make qemu-gdb  and, in another terminal, make gdb, then
    break monitor_main / continue / monitor info registers / p &gdt / p sizeof(gdt)
"""

import re

import pytest

from tidepool.errors import fail

pytestmark = pytest.mark.lab(1)

SCRIPT = r"""
break monitor_main
continue
printf "@@gdt=%#x\n", (unsigned long)&gdt
printf "@@gdt_size=%u\n", (unsigned)sizeof(gdt)
monitor info registers
"""


@pytest.mark.points(4)
def test_gdt_from_gdb(gdb):
    """GDTR holds &gdt and sizeof(gdt)-1; CS=0x08, DS=ES=SS=0x10"""
    g = gdb(SCRIPT)
    g.expect(r"^Breakpoint 1, (0x[0-9a-fA-F]+ in )?monitor_main ",
             "a stop at the breakpoint in monitor_main (kmain must call it)")
    gdt = int(g.marker("gdt", "the address of the symbol gdt"), 16)
    size = int(g.marker("gdt_size", "sizeof(gdt)"))
    m = g.expect(r"^GDT=\s*([0-9a-fA-F]+)\s+([0-9a-fA-F]+)", "the 'GDT=' line of 'info registers'")
    base, limit = int(m.group(1), 16), int(m.group(2), 16)
    if base != gdt or limit != size - 1:
        fail(f"at monitor_main, expected GDTR base {gdt:#x} (&gdt) and limit {size - 1:#x} "
             f"(sizeof(gdt)-1), but QEMU reports base {base:#x} limit {limit:#x}: "
             f"check that lgdt runs before monitor_main, with a descriptor whose base is "
             f"&gdt and whose limit is sizeof(gdt)-1")
    want = {"CS": 0x08, "DS": 0x10, "ES": 0x10, "SS": 0x10}
    bad = []
    for reg, sel in want.items():
        mm = re.search(rf"^{reg} =([0-9a-fA-F]{{4}})", g.output, re.M)
        if mm is None:
            bad.append(f"{reg}: not in 'info registers'")
        elif int(mm.group(1), 16) != sel:
            bad.append(f"{reg}={int(mm.group(1), 16):#06x}, expected {sel:#06x}")
    if bad:
        fail("after the GDT is loaded the segment registers must hold the kernel selectors "
             "(reload CS with a far jump, the others with mov): " + "; ".join(bad))
