"""Two CPUs overflow their kernel stacks at once, and both are reported.

A kernel stack overflow is reported by the double-fault task (kernel/
arch/i386/doublefault.c): #DF goes through a task gate to a TSS with a
stack of its own. While that task runs its TSS is busy, and a task gate
to a busy TSS raises #GP, which on a broken stack ends in a triple fault.
So from lab 5 on every CPU has its own task (gdt.h GDT_CPU_DF_TSS, idt.c
idt_load_cpu). With one task between them, the second CPU's #DF resets
the machine, and the first CPU's report is lost with it.

selftest=smp-stackoverflow makes CPU 1 (through smp_call) and CPU 0 run
off their stacks together; each double-fault task waits, a bounded while,
for the other before it reports. Not graded: this is reference code that
no exercise touches. Needs a kernel from lab 5 on (skipped otherwise).
Reproduce:  make qemu SMP=2 CMDLINE="selftest=smp-stackoverflow"
"""

import re
import shutil

import pytest

from helpers import machine_scaled, needs_qemu
from tidepool import elf, fixtures, qemu
from tidepool.qemu import Machine

KERNEL = fixtures.REPO_ROOT / "build" / "kernel.elf"

REPORT = re.compile(r"^double fault: kernel stack overflow: esp 0x[0-9a-f]{8} in the guard page "
                    r"of thread \d+ '([^']+)'", re.M)
ON_CPU = re.compile(r"^  on CPU (\d+)$", re.M)


def has_per_cpu_double_fault_tasks() -> bool:
    return KERNEL.is_file() and "doublefault_expected" in elf.read_symbols(str(KERNEL))


pytestmark = [
    pytest.mark.realqemu,
    needs_qemu,
    pytest.mark.skipif(not has_per_cpu_double_fault_tasks(),
                       reason=f"{KERNEL} is not built, or is from before lab 5 (one CPU)"),
]


def test_two_cpus_double_fault_at_once(tmp_path):
    kernel = str(shutil.copy(KERNEL, tmp_path / "kernel.elf"))
    machine = qemu.with_smp(Machine(kernel, "selftest=smp-stackoverflow"), 2)
    r = qemu.run(machine, timeout=machine_scaled(60.0, kernel), console_limit=256 * 1024)
    assert r.kind == qemu.PANIC, (
        "expected a panic after both CPUs' reports; a reset (crash) means the second #DF "
        "found the first one's task busy\n" + r.report())
    threads = REPORT.findall(r.console)
    cpus = sorted(int(c) for c in ON_CPU.findall(r.console))
    assert cpus == [0, 1] and len(threads) == 2, (
        f"expected a stack-overflow report from CPU 0 and one from CPU 1, got CPUs {cpus} "
        f"and threads {threads}\n" + r.report())
    assert "main" in threads, r.report()      # CPU 0 ran the selftest on the boot thread
