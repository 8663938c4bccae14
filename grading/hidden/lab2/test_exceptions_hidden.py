"""Lab 2, hidden: exceptions with an error code that the public cases do not raise.

Instructors only (never in a handout). The public in-kernel cases raise
vectors 0, 3, 6, 13 and 14, so a trapentry.S that gets TRAP_ERR/TRAP_NOERR
wrong for 8, 10-12, 17 or 21 passes them. These tests stop the kernel in
the monitor with GDB, plant one faulting instruction (at ktest_main, which
is not used outside test= runs) and jump to it:

* segment_not_present: `int $0x80` through a gate made not present: #NP,
  error code 0x402 (IDT entry 0x80: 0x80 << 3 | 2);
* stack_fault: loading SS with a data segment made not present: #SS,
  error code 0x20 (the selector);
* double_fault: as segment_not_present, with #NP's own gate not present
  too: delivering #NP fails with another #NP, and the CPU raises #DF
  (error code 0; QEMU saves the eip of the int), through an interrupt
  gate to the vector-8 stub (lab 3 moves #DF to a task gate: the test puts
  the lab-2 gate back).

A wrong stub shifts the trapframe by one word: trap() then reports the
error code as the eip (or the eip as the code segment), which is what
these check in the trap report on the console.

Reproduce with:  make qemu-gdb CMDLINE=panic=exit  and  make gdb, then the
commands of the failing test's reproduce line.
"""

import re

import pytest

from tidepool.errors import fail, indent

pytestmark = pytest.mark.lab(2)

CODE_AT = "ktest_main"
INT_0X80 = "{0xcd, 0x80}"                                       # int $0x80
LOAD_SS = "{0x66, 0xb8, 0x20, 0x00, 0x8e, 0xd0}"                # mov $0x20,%ax; mov %ax,%ss

# A copy of the timer's gate at vector 0x80, with the present bit clear.
GATE_0X80_NOT_PRESENT = ("set var idt[0x80] = idt[32]\n"
                         "set var idt[0x80].type_attr = idt[32].type_attr & 0x7f\n")

# #DF through an interrupt gate to trapentry.S's stub for vector 8, as in
# lab 2 (from lab 3 on the kernel sends #DF to a task gate instead: this
# puts the lab-2 gate back, so that the stub is what is tested).
DF_THROUGH_STUB = ("set var $stub = (unsigned)&trap_vector8\n"
                   "set var idt[8].offset_low = $stub & 0xffff\n"
                   "set var idt[8].offset_high = $stub >> 16\n"
                   "set var idt[8].selector = 0x08\n"
                   "set var idt[8].zero = 0\n"
                   "set var idt[8].type_attr = 0x8e\n")

CASES = {
    # name: (GDB setup, code bytes, offset of the faulting instruction, vector, name, error)
    "segment_not_present": (GATE_0X80_NOT_PRESENT, INT_0X80, 0, 11, "segment not present",
                            0x402),
    "stack_fault": ("set var gdt[4] = gdt[2]\n"          # a kernel data segment at 0x20,
                    "set var gdt[4].access = gdt[2].access & 0x7f\n",  # not present
                    LOAD_SS, 4, 12, "stack fault", 0x20),
    "double_fault": (GATE_0X80_NOT_PRESENT
                     + "set var idt[11].type_attr = idt[11].type_attr & 0x7f\n"
                     + DF_THROUGH_STUB,
                     INT_0X80, 0, 8, "double fault", 0x0),
}

TRAP_LINE = r"^trap (\d+) \(([^)]*)\) at eip 0x([0-9a-f]{8}), error code 0x([0-9a-f]+)$"


def script(setup: str, code: str) -> str:
    n = code.count(",") + 1
    return (
        "break monitor_main\n"
        "continue\n"
        + setup
        + f'printf "@@code=%#x\\n", (unsigned){CODE_AT}\n'
        + f"set {{unsigned char[{n}]}}{CODE_AT} = {code}\n"
        + f"set $eip = (unsigned){CODE_AT}\n"
        + "continue\n"
    )


@pytest.mark.parametrize("case", [pytest.param(name, marks=pytest.mark.points(1), id=name)
                                  for name in CASES])
def test_exception_with_error_code(gdb, case):
    """#NP, #SS and #DF from kernel code: trap report with the right vector, eip and error code"""
    setup, code, offset, vector, name, err = CASES[case]
    # panic=exit: the kernel's panic after the report ends QEMU (and the script).
    g = gdb(script(setup, code), cmdline="panic=exit")
    g.expect(r"^Breakpoint 1, (0x[0-9a-fA-F]+ in )?monitor_main ",
             "a stop at the breakpoint in monitor_main (kmain must reach the monitor)")
    start = int(g.marker("code", f"the address of {CODE_AT}"), 16)
    eip = start + offset
    console = g.console.replace("\r", "").split("\n")
    tail = console[-25:]
    m = next((re.match(TRAP_LINE, ln) for ln in console if re.match(TRAP_LINE, ln)), None)
    want = f"trap {vector} ({name}) at eip 0x{eip:08x}, error code 0x{err:x}"
    if m is None:
        fail(f"expected the trap report '{want}' on the console, but there was no "
             f"'trap N (...) at eip 0x..., error code 0x...' line; the last console "
             f"lines were:\n" + indent(tail))
    got = (int(m.group(1)), int(m.group(3), 16), int(m.group(4), 16))
    # The SDM leaves the eip saved for #DF undefined (QEMU saves the int's):
    # accept any address inside the planted code, but not one outside it.
    size = code.count(",") + 1
    eip_ok = start <= got[1] <= start + size if vector == 8 else got[1] == eip
    if (got[0], got[2]) != (vector, err) or not eip_ok:
        hint = ""
        if got[0] == vector:
            hint = (f"; vector {vector} pushes an error code (SDM 3A table 6-1): its "
                    f"stub must be TRAP_ERR" if vector in (8, 10, 11, 12, 13, 14, 17, 21)
                    else "")
        fail(f"planted an instruction that raises {name} (vector {vector}) at "
             f"0x{eip:08x}; expected '{want}', but the kernel printed "
             f"'{m.group(0)}'{hint}; the last console lines were:\n" + indent(tail))
    cs = next((re.search(r"\bcs 0x([0-9a-f]+)", ln) for ln in console
               if re.search(r"\bcs 0x[0-9a-f]+", ln)), None)
    if cs is None or int(cs.group(1), 16) != 0x08:
        fail("expected the register dump after the trap line to show cs 0x0008 (the "
             "trapframe's cs, from the CPU), but it showed "
             f"{cs.group(0) if cs else 'no cs'}; the last console lines were:\n"
             + indent(tail))
    if not any(ln.startswith("PANIC at ") for ln in console):
        fail(f"an unhandled {name} in kernel mode must end in a panic after the "
             f"report; the last console lines were:\n" + indent(tail))
