"""The kernel-aware GDB commands against a real kernel in QEMU.

Each test is one batch GDB session (well under a second or two): GDB
starts QEMU over a pipe, runs to a breakpoint, runs the commands and
checks their output, often against GDB's or QEMU's own view of the same
thing (x/gx, p, monitor gva2gpa, the kernel's printed backtrace).
"""
import os
import re
import sys

import pytest

from conftest import GDB_DIR, kernel_symbols, needs_symbols, run_gdb
from tpgdb import x86

COMMANDS = ["gdt", "idt", "pagewalk 0x1000", "ktrace", "tasks", "kmsg"]
FRAME = re.compile(r"^#(\d+)\s+0x([0-9a-f]{8}) in (\S+?)(?:\+0x([0-9a-f]+))?(?: \((\S+)\))?$",
                   re.M)


def frame_names(text):
    return [m.group(3) for m in FRAME.finditer(text)]


def is_subsequence(small, big):
    it = iter(big)
    return all(any(x == y for y in it) for x in small)


# ---- every command, in every state before the kernel is up ---------------------------

def test_help_texts():
    s = run_gdb(["help " + c for c in ("gdt", "idt", "pagewalk", "ktrace", "tasks", "usymbols",
                                       "kmsg", "trace-dump", "tidepool-start", "tidepool-demo",
                                       "tidepool-connect")]
                + ["help function insn_addr"], start=False)
    s.assert_clean()
    for cmd, out in s.parts[:-1]:
        assert "Usage:" in out or "insn_addr" in cmd, "%s:\n%s" % (cmd, out)
    assert "break *$insn_addr" in s.of("help function insn_addr")


def test_not_connected():
    s = run_gdb(COMMANDS, start=False)
    s.assert_clean()
    for cmd in COMMANDS:
        assert "GDB is not connected to QEMU" in s.of(cmd), s.output


def test_at_reset_vector_real_mode():
    s = run_gdb(COMMANDS)
    s.assert_clean()
    for cmd in ("gdt", "idt", "pagewalk 0x1000", "ktrace", "tasks"):
        assert "the CPU is in real mode (CR0.PE = 0)" in s.of(cmd), s.output
    assert "kmsg: the log is empty (kmsg_written = 0)" in s.of("kmsg")


def test_at_start_before_kmain():
    """At _start: the loader's GDT, the BIOS's IVT, no log, no paging."""
    s = run_gdb(["break _start", "continue", "monitor info registers"] + COMMANDS)
    s.assert_clean()
    gdtr = re.search(r"^GDT=\s+([0-9a-f]+) ([0-9a-f]+)", s.of("monitor info registers"), re.M)
    out = s.of("gdt")
    assert re.search(r"^GDTR: base 0x%08x, limit 0x%04x: \d+ descriptors \(not the kernel's gdt\[\]\)"
                     % (int(gdtr.group(1), 16), int(gdtr.group(2), 16)), out, re.M), out
    assert re.search(r"^0x08 .* code 32-bit execute/read\s+<- CS$", out, re.M), out
    assert "this table is the boot loader's (or the BIOS's)" in out
    assert "no IDT is loaded yet" in s.of("idt") and "real-mode interrupt vector table" in s.of("idt")
    assert "paging is off (CR0.PG = 0)" in s.of("pagewalk 0x1000")
    assert frame_names(s.of("ktrace")) == ["_start"]
    assert re.match(r"^tasks: (no threads yet: current_thread = 0|this kernel has no threads)",
                    s.of("tasks")), s.of("tasks")
    assert "kmsg: the log is empty" in s.of("kmsg")


# ---- gdt -------------------------------------------------------------------------

def test_gdt_after_load_matches_memory():
    s = run_gdb(["break monitor_main", "continue", "gdt", "x/6gx &gdt",
                 "p/x (unsigned long)&gdt", "p sizeof(gdt)"])
    s.assert_clean()
    out = s.of("gdt")
    base = int(s.of("p/x (unsigned long)&gdt").split("=")[1], 16)
    size = int(s.of("p sizeof(gdt)").split("=")[1])
    # 6 descriptors in labs 1-2; lab 3 adds the double-fault task's TSS.
    assert ("GDTR: base 0x%08x, limit 0x%04x: %d descriptors (the kernel's gdt[])"
            % (base, size - 1, size // 8)) in out
    raws = [int(v, 16) for v in re.findall(r"0x([0-9a-f]{16})", s.of("x/6gx &gdt"))]
    rows = re.findall(r"^0x([0-9a-f]{2})\s+0x([0-9a-f]{16})\s+(.*)$", out, re.M)
    assert [int(r[1], 16) for r in rows][:6] == raws        # the raw column is memory
    assert [int(r[0], 16) for r in rows] == list(range(0, size, 8))
    text = {int(r[0], 16): r[2] for r in rows}
    assert "null descriptor" in text[0]
    assert re.match(r"0x00000000\s+0xffffffff\s+1 0\s+code 32-bit execute/read\s+<- CS$", text[8])
    assert re.match(r".*1 3\s+code 32-bit execute/read$", text[0x18])
    assert re.match(r".*1 3\s+data 32-bit read/write$", text[0x20])
    syms = kernel_symbols()
    tss = syms["tss"]
    if "gdt_init_cpu" not in syms:      # labs 1-4: one CPU, FS is the flat data segment
        assert re.match(r".*1 0\s+data 32-bit read/write, accessed\s+<- DS ES FS GS SS$",
                        text[0x10]), text[0x10]
        assert re.match(r"0x%08x\s+0x00000067\s+1 0\s+TSS32 busy  \(tss\)  <- TR$" % tss,
                        text[0x28]), text[0x28]
        return
    # Lab 5 on: from 0x38, a TSS and a %fs segment per CPU (gdt.h GDT_CPU_TSS/FS);
    # the boot CPU's TSS is `tss`, the others' ap_tss[i]; FS covers its struct cpu.
    # After those pairs, each CPU's double-fault task: df_tss[i] (GDT_CPU_DF_TSS).
    assert re.match(r".*1 0\s+data 32-bit read/write, accessed\s+<- DS ES GS SS$",
                    text[0x10]), text[0x10]
    cpus = syms["cpus"]
    ncpus = (size // 8 - 7) // 3
    assert ncpus >= 2 and size // 8 == 7 + 3 * ncpus
    for i in range(ncpus):
        df_sel = (7 + 2 * ncpus + i) << 3
        assert re.match(r"0x%08x\s+0x00000067\s+1 0\s+TSS32 available  \(df_tss\[%d\]\)$"
                        % (syms["df_tss"] + 0x68 * i, i), text[df_sel]), text[df_sel]
    for i in range(ncpus):
        tss_sel, fs_sel = (7 + 2 * i) << 3, (8 + 2 * i) << 3
        on_this_cpu = i == 0            # monitor_main runs on the boot CPU
        m = re.match(r"0x([0-9a-f]{8})\s+0x00000067\s+1 0\s+TSS32 (busy|available)  "
                     r"\((tss|ap_tss\[%d\])\)(  <- TR)?$" % i, text[tss_sel])
        assert m, text[tss_sel]
        assert m.group(3) == ("tss" if i == 0 else "ap_tss[%d]" % i)     # the base's name
        assert (m.group(4) is not None) == on_this_cpu and (m.group(2) == "busy") == on_this_cpu
        if i == 0:
            assert int(m.group(1), 16) == tss
        m = re.match(r"0x([0-9a-f]{8})\s+0x([0-9a-f]{8})\s+1 0\s+data 32-bit read/write"
                     r"(, accessed)?  \(cpus\[%d\]\)(  <- FS)?$" % i, text[fs_sel])
        assert m, text[fs_sel]
        assert (m.group(4) is not None) == on_this_cpu
        assert int(m.group(1), 16) == cpus + i * (int(m.group(2), 16) + 1)


def test_gdt_between_lgdt_and_reload():
    """One stepi over lgdt: GDTR is ours, TR not loaded yet ('available')."""
    s = run_gdb(['break *$insn_addr("gdt_init", "lgdt")', "continue", "x/i $pc",
                 "gdt", "stepi", "gdt"])
    s.assert_clean()
    assert "lgdt" in s.of("x/i $pc")
    assert "(not the kernel's gdt[])" in s.of("gdt", 0)
    after = s.of("gdt", 1)
    assert "(the kernel's gdt[])" in after
    assert re.search(r"^0x28 .*TSS32 available  \(tss\)$", after, re.M), after


def test_usage_errors_are_messages():
    cmds = ["gdt extra", "idt 300", "idt foo", "idt -x", "pagewalk", "pagewalk nosuchsymbol",
            "pagewalk 0x1000 cr3=nosuch", "kmsg -x", "kmsg -n", "ktrace 3 4", "ktrace 3",
            "ktrace nosuch", "tasks all",
            'p $insn_addr("nosuch", "lgdt")', 'p $insn_addr("kmain", "lgdt")',
            'p $insn_addr(kmain, "lgdt")', 'p/x $insn_addr("gdt_init", "lgdt")',
            'p/x $insn_addr(&gdt_init, "lgdt")', 'p/x $insn_addr(gdt_init, "lgdt")']
    s = run_gdb(["break kmain", "continue"] + cmds)
    s.assert_clean()
    assert "usage: gdt" in s.of("gdt extra")
    assert "vectors go from 0 to 255" in s.of("idt 300")
    assert "cannot evaluate 'foo'" in s.of("idt foo")
    assert "usage: idt" in s.of("idt -x")
    assert "usage: pagewalk VADDR [cr3=PADDR]" in s.of("pagewalk")
    assert "cannot evaluate 'nosuchsymbol'" in s.of("pagewalk nosuchsymbol")
    assert "cannot evaluate 'nosuch'" in s.of("pagewalk 0x1000 cr3=nosuch")
    assert "usage: kmsg [-n N]" in s.of("kmsg -x") and "usage: kmsg" in s.of("kmsg -n")
    assert "usage: ktrace [TID]" in s.of("ktrace 3 4")
    assert re.match(r"^ktrace: (no threads yet|this kernel has no threads)", s.of("ktrace 3"))
    assert "cannot evaluate 'nosuch'" in s.of("ktrace nosuch")
    assert "usage: tasks" in s.of("tasks all")
    assert "no function nosuch" in s.of('p $insn_addr("nosuch", "lgdt")')
    assert "no lgdt instruction in kmain" in s.of('p $insn_addr("kmain", "lgdt")')
    assert re.search(r"no lgdt instruction in the 64 after 0x[0-9a-f]{8}$",
                     s.of('p $insn_addr(kmain, "lgdt")').strip())
    lgdt = s.of('p/x $insn_addr("gdt_init", "lgdt")').split("=")[1]      # by name, by address
    assert s.of('p/x $insn_addr(&gdt_init, "lgdt")').split("=")[1] == lgdt
    assert s.of('p/x $insn_addr(gdt_init, "lgdt")').split("=")[1] == lgdt


# ---- idt -------------------------------------------------------------------------

def test_idt_loaded_matches_memory():
    needs_symbols("idt", "trap_vector0")
    s = run_gdb(["break monitor_main", "continue", "idt", "idt 14", "idt -a",
                 "p/x idt[14]", "p/x (unsigned long)&idt"])
    s.assert_clean()
    out = s.of("idt")
    base = int(s.of("p/x (unsigned long)&idt").split("=")[1], 16)
    m = re.search(r"^IDTR: base 0x%08x, limit 0x07ff: 256 gates, (\d+) present \(the kernel's idt\[\]\)"
                  % base, out, re.M)
    assert m, out
    present = int(m.group(1))
    rows = re.findall(r"^\s*(\d+)\s+(\S+(?: \d+)?)\s+0x([0-9a-f]{4}):0x([0-9a-f]{8})\s+(\S+)\s+(\d)\s+(\d)\s+(\S+)$",
                      out, re.M)
    syms = kernel_symbols()
    # From lab 3 on, #DF (8) is a task gate to the double-fault task.
    task_gates = [8] if "doublefault_init" in syms else []
    for vec in task_gates:
        assert re.search(r"^\s*%d\s.*task" % vec, out, re.M), out
    # trapentry.S has a stub for every vector below IDT_STUBS: 48 (exceptions
    # and the 16 ISA IRQs); 64 from lab 5 (the LAPIC's timer, IPIs, spurious).
    stubs = 64 if "trap_vector63" in syms else 48
    assert len(rows) + len(task_gates) == present >= stubs
    vectors = [int(r[0]) for r in rows]
    assert vectors[:stubs - len(task_gates)] == [v for v in range(stubs) if v not in task_gates]
    if stubs == 64:
        names = {int(r[0]): r[1] for r in rows}
        assert [names[v] for v in (48, 49, 50, 51, 52, 63)] == \
            ["timer", "resched", "tlb", "call", "-", "spurious"], out
    for vec, _name, sel, off, kind, dpl, p, handler in rows:
        assert (sel, p) == ("0008", "1") and kind in ("interrupt32", "trap32")
        assert int(off, 16) == syms[handler]            # the handler column names the offset
        if int(vec) < stubs:
            assert handler == "trap_vector%s" % vec
            assert dpl == "0"                           # only int $0x80 is for ring 3
    if "trap_vector128" in syms:                        # lab 4: int $0x80, from ring 3
        assert ("128", "syscall", "3", "trap_vector128") in \
            [(r[0], r[1], r[5], r[7]) for r in rows], out
    absent = [v for v in range(256) if v not in vectors and v not in task_gates]
    assert "not present: %s" % x86.ranges(absent) in out
    gate = s.of("p/x idt[14]")
    off = int(re.search(r"offset_low = (0x[0-9a-f]+)", gate).group(1), 16) | \
        int(re.search(r"offset_high = (0x[0-9a-f]+)", gate).group(1), 16) << 16
    detail = s.of("idt 14")
    assert "vector 14 (#PF page fault): gate at 0x%08x" % (base + 14 * 8) in detail
    assert "handler  0x0008:0x%08x  trap_vector14" % off in detail
    assert "at kernel/arch/i386/trapentry.S:" in detail
    assert len(re.findall(r"^\s*\d+ ", s.of("idt -a"), re.M)) == 256


def test_idt_limit_zero():
    """selftest=fault loads an empty IDT (limit 0), then int3."""
    s = run_gdb(['break *$insn_addr("selftest_run", "int3")', "continue", "x/i $pc", "idt"],
                cmdline="selftest=fault")
    s.assert_clean()
    assert "int3" in s.of("x/i $pc")
    assert "limit 0: no IDT is loaded" in s.of("idt") and "triple fault" in s.of("idt")


# ---- ktrace ------------------------------------------------------------------------

def test_ktrace_panic_chain_matches_kernel_backtrace():
    """At panic_at (selftest=panic), ktrace's frames #1.. are exactly what
    the kernel's own backtrace prints from there."""
    s = run_gdb(["break panic_at", "continue", "ktrace", "bt", "break machine_exit",
                 "continue", "kmsg"], cmdline="selftest=panic")
    s.assert_clean()
    ours = [(int(m.group(2), 16), m.group(3), int(m.group(4) or "0", 16))
            for m in FRAME.finditer(s.of("ktrace"))]
    names = [n for _, n, _ in ours]
    assert names[0] == "panic_at" and names[-1] == "_start", names
    assert is_subsequence(["panic_at", "selftest_panic_c", "selftest_panic_b", "selftest_panic_a",
                           "selftest_run", "kmain", "_start"], names), names
    kernel = [(int(a, 16), n, int(o, 16)) for a, n, o in
              re.findall(r"^  #\d+ 0x([0-9a-f]{8}) (\S+)\+0x([0-9a-f]+)$", s.of("kmsg"), re.M)]
    assert kernel and ours[1:] == kernel, (ours, kernel)
    # GDB's own unwinder agrees on the names (it also shows inlined frames)
    gdb_names = re.findall(r"^#\d+\s+(?:0x[0-9a-f]+ in )?(\w+)", s.of("bt"), re.M)
    assert is_subsequence(names, gdb_names), (names, gdb_names)


def test_ktrace_nested_test_case():
    # Into the test case first: from lab 5 on, lockdep walks the stack of
    # every lock taken at boot, so backtrace_walk is reached long before.
    s = run_gdb(["break ktest_bt_c", "continue", "break backtrace_walk", "continue", "ktrace"],
                cmdline="test=backtrace.nested")
    s.assert_clean()
    names = frame_names(s.of("ktrace"))
    assert names[:5] == ["backtrace_walk", "ktest_bt_c", "ktest_bt_b", "ktest_bt_a",
                         "ktest_fn_backtrace_nested"], names
    assert is_subsequence(["ktest_main", "kmain", "_start"], names[5:]) and names[-1] == "_start"


def test_ktrace_in_prologue_and_at_ret():
    """Stopped on a function's first instruction (push %ebp), after it, and
    on its ret: the frame pointer is still the caller's, and the caller is
    found all the same."""
    s = run_gdb(["break *ktest_bt_b", "continue", "x/i $pc", "ktrace", "stepi", "ktrace",
                 'break *$insn_addr("ktest_bt_b", "ret")', "continue", "x/i $pc", "ktrace"],
                cmdline="test=backtrace.nested")
    s.assert_clean()
    assert "push   %ebp" in s.of("x/i $pc", 0) and "ret" in s.of("x/i $pc", 1)
    for nth in (0, 1, 2):
        names = frame_names(s.of("ktrace", nth))
        assert names[:3] == ["ktest_bt_b", "ktest_bt_a", "ktest_fn_backtrace_nested"], names
        assert names[-1] == "_start"


def test_ktrace_crosses_a_trap_frame():
    """int3 in a test case: trap() <- alltraps, the trap line, then the
    test case that executed int3, down to _start (GDB's bt gets lost)."""
    needs_symbols("trap", "alltraps", "trap_return", "ktest_fn_trap_int3_continues")
    s = run_gdb(["break trap if tf->vector == 3", "continue", "ktrace", "p/x tf->eip"],
                cmdline="test=trap.int3_continues")
    s.assert_clean()
    out = s.of("ktrace")
    eip = int(s.of("p/x tf->eip").split("=")[1], 16)
    names = frame_names(out)
    assert names[:3] == ["trap", "alltraps", "ktest_fn_trap_int3_continues"], out
    assert is_subsequence(["ktest_main", "kmain", "_start"], names[3:]) and names[-1] == "_start"
    assert "--- trap: vector 3 (#BP breakpoint), err 0x0, eip 0x%08x ---" % eip in out
    lines = out.splitlines()
    trap_at = [i for i, l in enumerate(lines) if l.startswith("--- trap:")][0]
    assert re.match(r"^#2\s+0x%08x in ktest_fn_trap_int3_continues\+" % eip, lines[trap_at + 1])


# ---- pagewalk ----------------------------------------------------------------------

def test_pagewalk_live_paging_with_4m_pages():
    """test=trap.page_fault runs with paging on (its own directory of 4 MiB
    pages): stop in trap() at the #PF and walk, as QEMU translates. From
    lab 3 on the case uses the kernel's own tables instead."""
    needs_symbols("test_pd", "trap")
    if "paging_init" in kernel_symbols():
        pytest.skip("lab 3's kernel pages for itself: trap.page_fault uses its tables")
    s = run_gdb(["break trap if tf->vector == 14", "continue", "p/x (unsigned long)&test_pd",
                 "pagewalk 0x40000000", "pagewalk 0x00801234", "pagewalk $pc",
                 "monitor gva2gpa 0x00801234", "monitor gva2gpa $pc", "p/x $pc"],
                cmdline="test=trap.page_fault")
    s.assert_clean()
    pd = int(s.of("p/x (unsigned long)&test_pd").split("=")[1], 16)
    out = s.of("pagewalk 0x40000000")
    assert "pagewalk 0x40000000: paging on, CR3 0x%08x, CR4.PSE 1" % pd in out
    assert "PDE [0x100] at 0x%08x = 0x00000000" % (pd + 0x400) in out
    assert "=> no translation: PDE not present" in out
    out = s.of("pagewalk 0x00801234")
    assert "PDE [0x002] at 0x%08x = 0x00800081  P PS" % (pd + 8) in out
    assert "-> 4 MiB page at 0x00800000" in out
    gpa = int(s.of("monitor gva2gpa 0x00801234").split(":")[1], 16)
    assert "=> physical 0x%08x: 4 MiB page; read-only, also for the kernel (CR0.WP = 1); kernel only" % gpa in out
    pc = int(s.of("p/x $pc").split("=")[1], 16)
    out = s.of("pagewalk $pc")
    assert "=> physical 0x%08x: 4 MiB page; writable; kernel only (US = 0)" % pc in out
    assert "gpa: 0x%x" % pc in s.of("monitor gva2gpa $pc")


HAND_BUILT = [
    # a page directory at 4 MiB and one page table after it, in free RAM
    "set {unsigned int}(0x400000 + 4*0x300) = 0x00401007",   # 0xc0000000.. -> table, P RW US
    "set {unsigned int}(0x401000 + 4*0x101) = 0x00101003",   # 0xc0101000 -> 0x101000, P RW
    "set {unsigned int}(0x401000 + 4*0x102) = 0",            # 0xc0102000 not present
    "set {unsigned int}(0x400000 + 4*0x001) = 0x00800083",   # 0x00400000: 4 MiB PS page
    "set {unsigned int}(0x400000 + 4*0x000) = 0x00000083",   # identity 0-4 MiB (kernel), PS
]


def test_pagewalk_hand_built_tables_with_cr3_argument():
    """Paging is off in lab 1: build tables by hand and walk them with
    cr3=, first with CR4.PSE = 0, then with it set through the gdbstub."""
    s = run_gdb(["break kmain", "continue"] + HAND_BUILT + [
        "pagewalk 0xc0101234", "pagewalk 0xc0101234 cr3=0x400000", "pagewalk 0xc0102000 cr3=0x400000",
        "pagewalk 0x00412345 cr3=0x400000", "set $cr4 = $cr4 | 0x10",
        "pagewalk cr3=0x400000 0x00412345"])
    s.assert_clean()
    assert "paging is off (CR0.PG = 0): the linear address is the physical address, 0xc0101234" \
        in s.of("pagewalk 0xc0101234")
    out = s.of("pagewalk 0xc0101234 cr3=0x400000")
    assert "page directory at 0x00400000 (cr3= given; paging is off, CR4.PSE 0)" in out
    assert "PDE [0x300] at 0x00400c00 = 0x00401007  P RW US" in out
    assert "PTE [0x101] at 0x00401404 = 0x00101003  P RW" in out
    assert "=> physical 0x00101234: 4 KiB page; writable; kernel only (US = 0)" in out
    assert "=> no translation: PTE not present" in s.of("pagewalk 0xc0102000 cr3=0x400000")
    out = s.of("pagewalk 0x00412345 cr3=0x400000")
    assert "PS set, but CR4.PSE = 0" in out
    out = s.of("pagewalk cr3=0x400000 0x00412345")
    assert "-> 4 MiB page at 0x00800000" in out and "=> physical 0x00812345" in out


def test_pagewalk_hand_built_tables_with_paging_on():
    """QEMU's gdbstub writes cr3/cr4/cr0: turn paging on by hand and check
    the walk (read through physical memory) against QEMU's translation and
    against what GDB reads through the new mapping."""
    s = run_gdb(["break kmain", "continue"] + HAND_BUILT + [
        "x/wx 0x101234", "set $cr3 = 0x400000", "set $cr4 = $cr4 | 0x10",
        "set $cr0 = $cr0 | 0x80000000", "pagewalk 0xc0101234", "monitor gva2gpa 0xc0101234",
        "x/wx 0xc0101234", "pagewalk 0x00412345", "pagewalk 0x40000000", "gdt", "kmsg"])
    s.assert_clean()
    out = s.of("pagewalk 0xc0101234")
    assert "pagewalk 0xc0101234: paging on, CR3 0x00400000, CR4.PSE 1" in out
    assert "=> physical 0x00101234: 4 KiB page; writable; kernel only (US = 0)" in out
    assert "gpa: 0x101234" in s.of("monitor gva2gpa 0xc0101234")
    word = s.of("x/wx 0x101234").split(":")[1].split()[0]
    assert s.of("x/wx 0xc0101234").split(":")[1].split()[0] == word
    assert "=> physical 0x00812345: 4 MiB page" in s.of("pagewalk 0x00412345")
    assert "PDE not present" in s.of("pagewalk 0x40000000")
    assert "GDTR: base" in s.of("gdt")      # the identity-mapped GDT still reads
    assert "the log is empty" in s.of("kmsg")


# ---- kmsg --------------------------------------------------------------------------

def test_kmsg_boot_log():
    s = run_gdb(["break monitor_main", "continue", "kmsg", "kmsg -n 2", "kmsg -n 0",
                 "kmsg -n 1000", "p kmsg_written"])
    s.assert_clean()
    full = s.of("kmsg")
    lines = full.splitlines()
    assert re.match(r"^Tidepool \d+\.\d+ \(i386\) -- LAB=\d+ SOLVED=\d+$", lines[0]), full
    assert "multiboot: magic 0x2badb002" in lines[1]
    # "gdt: loaded" (labs 1-4), "gdt: loaded, per-CPU %fs and TSS for 8 CPUs" (lab 5 on)
    assert [l for l in lines if re.match(r"^gdt: loaded(, per-CPU %fs and TSS for \d+ CPUs)?$", l)], full
    assert len(full.encode()) == int(s.of("p kmsg_written").split("=")[1])
    assert s.of("kmsg -n 2").splitlines() == lines[-2:]
    assert s.of("kmsg -n 0") == ""
    assert s.of("kmsg -n 1000") == full


def test_kmsg_wraps_around():
    """selftest=flood prints forever: stop once the 16 KiB ring has wrapped."""
    # Well past 16 KiB, so that the boot messages have left the ring too.
    s = run_gdb(["break kvprintf if kmsg_written > 24000", "continue", "p kmsg_written",
                 "p sizeof(kmsg_buf)", "kmsg", "kmsg -n 3"], cmdline="selftest=flood")
    s.assert_clean()
    written = int(s.of("p kmsg_written").split("=")[1])
    size = int(s.of("p sizeof(kmsg_buf)").split("=")[1])
    out = s.of("kmsg")
    header, *lines = out.splitlines()
    m = re.match(r"^\[kmsg: (\d+) older bytes were overwritten; the ring keeps the last %d\]$"
                 % size, header)
    assert m, header
    assert int(m.group(1)) + len("\n".join(lines)) + 1 == written
    numbers = [int(re.match(r"^flood (\d+): this kernel prints forever$", l).group(1))
               for l in lines]
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers))) and numbers[0] > 0
    assert s.of("kmsg -n 3").splitlines() == lines[-3:]


def test_kmsg_handwritten_ring():
    """A ring written by GDB: wrapped in the middle of a line."""
    size = 16384
    log = "".join("line %05d\n" % i for i in range(2000))          # 22000 bytes
    ring = bytearray(size)
    for i, c in enumerate(log.encode()):
        ring[i % size] = c
    py = ("python gdb.selected_inferior().write_memory("
          "int(gdb.parse_and_eval('(unsigned long)&kmsg_buf')), bytes.fromhex('%s'))"
          % ring.hex())
    s = run_gdb(["break kmain", "continue", py, "set var kmsg_written = %d" % len(log),
                 "kmsg", "kmsg -n 2"])
    s.assert_clean()
    out = s.of("kmsg").splitlines()
    first = (len(log) - size) // 11 + 1          # the first whole line left
    assert out[0] == "[kmsg: %d older bytes were overwritten; the ring keeps the last %d]" \
        % (first * 11, size)
    assert out[1:] == ["line %05d" % i for i in range(first, 2000)]
    assert s.of("kmsg -n 2").splitlines() == ["line 01998", "line 01999"]


@pytest.mark.parametrize("cmd", ["gdt", "idt", "ktrace", "tasks", "kmsg", "pagewalk $pc"])
def test_commands_survive_unreadable_memory(cmd):
    """Paging on with an empty page directory: nothing is mapped. Every
    command must say what it could not read, without a traceback."""
    s = run_gdb(["break kmain", "continue",
                 "python gdb.selected_inferior().write_memory(0x400000, bytes(4096))",
                 "set $cr3 = 0x400000", "set $cr0 = $cr0 | 0x80000000", cmd])
    s.assert_clean()
    out = s.of(cmd)
    # The loader's GDT is where the firmware left it (it moves with the
    # option ROMs QEMU loads, an E1000's among them): 0x000c....
    expected = {"gdt": "gdt: cannot read 40 bytes at linear address 0x000c",
                "idt": "no IDT is loaded yet",       # at kmain, before any idt_init()
                "ktrace": "--- stopped: cannot read the frame at ebp",
                "tasks": "tasks: cannot read memory" if "all_threads" in kernel_symbols()
                         else "tasks: this kernel has no threads",
                "kmsg": "kmsg: cannot read kmsg_written",
                "pagewalk $pc": "PDE not present"}[cmd]
    assert expected in out, out


# ---- trace-dump --------------------------------------------------------------

def test_trace_dump(tmp_path):
    """trace-dump at the kernel's own dump: the file is what
    tools/trace2perfetto reads, and it names the program that ran."""
    needs_symbols("trace_ring", "trace_dump")
    out = tmp_path / "trace.txt"
    s = run_gdb(["break trace_dump", "continue", "trace-dump " + str(out), "trace-dump"],
                cmdline="trace=sched run=/bin/echo hi", initrd=True)
    assert re.search(r"^trace-dump: \d+ events \(0 lost\) written to ", s.of("trace-dump " + str(out)),
                     re.M), s.output
    assert "usage: trace-dump FILE" in s.of("trace-dump"), s.output
    sys.path.insert(0, os.path.join(GDB_DIR, ".."))
    import tracefmt
    trace = tracefmt.parse_dump(out.read_text())
    assert "echo" in trace.names.values(), trace.names
    kinds = {r.type for r in trace.records}
    assert {tracefmt.SWITCH, tracefmt.SYSCALL, tracefmt.SYSRET} <= kinds, kinds
