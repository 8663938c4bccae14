"""Tidepool's kernel-aware GDB commands: gdt, idt, pagewalk, ktrace, tasks,
usymbols, kmsg, trace-dump, tidepool-start, and the convenience functions $insn_addr
and $cpu (with the per-CPU macros current_thread, idle_thread, need_resched, slice_left).

Every command reports a user's mistake or a kernel state it cannot show
(not connected, real mode, no table loaded yet, paging off) with a message,
never with a Python traceback.
"""
import functools
import os
import re
import sys

import gdb

from . import frames, kmsg, paging, target, threads, usersyms, x86


def guarded(invoke):
    """Turn every failure into a gdb.GdbError: GDB prints its message
    alone, and a script stops at it as at any failed GDB command."""

    @functools.wraps(invoke)
    def wrapper(self, arg, from_tty):
        try:
            return invoke(self, arg, from_tty)
        except gdb.GdbError as err:
            message = str(err)
            if message.startswith(self._name + ":") or message.startswith("usage:"):
                raise
            raise gdb.GdbError("%s: %s" % (self._name, message))
        except gdb.MemoryError as err:
            raise gdb.GdbError("%s: cannot read memory (%s)" % (self._name, err))
        except gdb.error as err:
            raise gdb.GdbError("%s: %s" % (self._name, err))
        except KeyboardInterrupt:
            raise gdb.GdbError("%s: interrupted" % self._name)
        except Exception as err:        # a bug in this file: say so, briefly
            raise gdb.GdbError("%s: internal error (%s: %s); please report it"
                               % (self._name, type(err).__name__, err))
    return wrapper


class TidepoolCommand(gdb.Command):
    def __init__(self, name, category=gdb.COMMAND_DATA):
        super().__init__(name, category)
        self._name = name


def out(line=""):
    gdb.write(line + "\n")


def parse_int(text, what):
    try:
        return int(gdb.parse_and_eval(text)) & 0xFFFFFFFF
    except gdb.error as err:
        raise gdb.GdbError("%s: cannot evaluate %r (%s)" % (what, text, err))


def protected_mode_or_explain(state, what):
    """False (after saying why) when the CPU is still in real mode."""
    if state.cr["cr0"] & x86.CR0_PE:
        return True
    out("%s: the CPU is in real mode (CR0.PE = 0): the BIOS is still running. "
        "Descriptor tables, paging and kernel frames do not exist yet; "
        "`break _start` and `continue` stop at the kernel's first instruction." % what)
    return False


# ---- gdt ---------------------------------------------------------------------

class GdtCommand(TidepoolCommand):
    """Decode the Global Descriptor Table that GDTR points to.

Usage: gdt

Reads GDTR from QEMU (`monitor info registers`: QEMU's gdbstub has no
GDTR register) and decodes each 8-byte descriptor: selector, base, limit
(in bytes, with the 4 KiB granularity applied), P, DPL and type (code /
data with their bits, TSS, LDT, gates). `<- CS` and friends mark the
descriptors the segment registers and TR hold now. Before gdt_init() runs,
the table is the boot loader's; the command says so.

Example, after gdt_init():
  GDTR: base 0x0010fb00, limit 0x002f: 6 descriptors (the kernel's gdt[])
  sel   descriptor          base        limit       P DPL type
  0x00  0x0000000000000000  -           -           - -   null descriptor
  0x08  0x00cf9a000000ffff  0x00000000  0xffffffff  1 0   code 32-bit execute/read  <- CS"""

    def __init__(self):
        super().__init__("gdt")

    @guarded
    def invoke(self, arg, from_tty):
        if arg.strip():
            raise gdb.GdbError("usage: gdt   (no arguments)")
        target.require_target()
        state = target.cpu_state()
        if not protected_mode_or_explain(state, "gdt"):
            return
        base, limit = state.tables["GDT"]
        count = x86.table_entries(limit)
        kernel_gdt = target.symbol_address("gdt")
        whose = ""
        if kernel_gdt is not None:
            whose = " (the kernel's gdt[])" if base == kernel_gdt else " (not the kernel's gdt[])"
        out("GDTR: base 0x%08x, limit 0x%04x: %d descriptor%s%s"
            % (base, limit, count, "" if count == 1 else "s", whose))
        if count == 0:
            out("the table holds no descriptor: loading any selector but 0 faults (#GP)")
            return
        data = target.read_linear(base, count * 8)
        users = {}
        for reg in ("CS", "DS", "ES", "FS", "GS", "SS", "TR", "LDT"):
            sel = state.selector(reg)
            if sel and not sel & 4:               # TI = 0: the GDT
                users.setdefault(sel >> 3, []).append(reg)
        out("sel   descriptor          base        limit       P DPL type")
        empty = 0
        for i, raw in enumerate(x86.split_entries(data)):
            if i >= 64 and raw == 0:
                empty += 1
                continue
            seg = x86.Segment(raw)
            mark = ""
            if i in users:
                mark = "  <- " + " ".join(users[i])
            if seg.is_null:
                out("0x%02x  0x%016x  -           -           - -   %s%s"
                    % (i * 8, raw, "null descriptor" if i == 0 else "empty (all zero)", mark))
                continue
            out("0x%02x  0x%016x  0x%08x  0x%08x  %d %d   %s%s%s"
                % (i * 8, raw, seg.base, seg.limit, seg.present, seg.dpl, seg.describe(),
                   "" if seg.present else " (not present)", mark))
        if empty:
            out("(%d more all-zero entries not shown)" % empty)
        if kernel_gdt is not None and base != kernel_gdt:
            out("note: GDTR does not point to the kernel's gdt[] (0x%08x): this table is the "
                "boot loader's (or the BIOS's); gdt_init() loads the kernel's own." % kernel_gdt)


# ---- idt ---------------------------------------------------------------------

class IdtCommand(TidepoolCommand):
    """Decode the Interrupt Descriptor Table that IDTR points to.

Usage: idt [-a] [VECTOR]

Reads IDTR from QEMU (`monitor info registers`) and decodes the gates:
vector, selector:offset of the handler, gate type (interrupt32, trap32,
task, ...), DPL, P, and the handler's symbol. Gates that are not present
are summarized; -a lists them too. `idt VECTOR` shows one gate in detail.

Before lab 2's idt_init() there is no IDT: IDTR then still holds the
BIOS's real-mode interrupt vector table (base 0, limit 0x3ff), or limit 0
if something loaded an empty IDT; the command says so.

Example (lab 2):
  IDTR: base 0x0010fb40, limit 0x07ff: 256 gates, 48 present (the kernel's idt[])
  vec  name     selector:offset    type         DPL P  handler
    0  #DE      0x0008:0x00102db8  interrupt32  0   1  trap_vector0"""

    def __init__(self):
        super().__init__("idt")

    @guarded
    def invoke(self, arg, from_tty):
        argv = gdb.string_to_argv(arg)
        show_all = "-a" in argv
        rest = [a for a in argv if a != "-a"]
        if len(rest) > 1 or any(a.startswith("-") for a in rest):
            raise gdb.GdbError("usage: idt [-a] [VECTOR]")
        only = None
        if rest:
            only = parse_int(rest[0], "idt")
            if only > 255:
                raise gdb.GdbError("idt: vectors go from 0 to 255, not %d" % only)
        target.require_target()
        state = target.cpu_state()
        if not protected_mode_or_explain(state, "idt"):
            return
        base, limit = state.tables["IDT"]
        kernel_idt = target.symbol_address("idt")
        if limit == 0:
            out("IDTR: base 0x%08x, limit 0: no IDT is loaded. Any interrupt or exception now "
                "finds no gate: #GP, which finds none either, then a double fault and a "
                "triple fault (the CPU resets)." % base)
            return
        if base == 0 and limit == 0x3FF:
            out("IDTR: base 0x00000000, limit 0x03ff: no IDT is loaded yet. These are the "
                "BIOS's leftovers: the real-mode interrupt vector table (256 4-byte far "
                "pointers), which is not an IDT. An interrupt now would read garbage gates; "
                "the kernel runs with interrupts off (cli) until it loads its IDT (lab 2, "
                "idt_init()).")
            return
        count = min(x86.table_entries(limit), 256)
        data = target.read_linear(base, count * 8)
        gates = [x86.Gate(raw) for raw in x86.split_entries(data)]
        present = sum(g.present for g in gates)
        whose = ""
        if kernel_idt is not None:
            whose = " (the kernel's idt[])" if base == kernel_idt else " (not the kernel's idt[])"
        if only is not None:
            if only >= count:
                raise gdb.GdbError("idt: vector %d is beyond the IDT's limit 0x%x (%d gates)"
                                   % (only, limit, count))
            self.detail(only, gates[only], base)
            return
        out("IDTR: base 0x%08x, limit 0x%04x: %d gates, %d present%s"
            % (base, limit, count, present, whose))
        out("vec  name     selector:offset    type         DPL P  handler")
        missing = []
        for v, g in enumerate(gates):
            if not g.present and not show_all:
                missing.append(v)
                continue
            out(self.row(v, g))
        if missing:
            out("not present: %s%s" % (x86.ranges(missing),
                                       "" if show_all else "   (idt -a lists them)"))
        if count < 256:
            out("vectors %d-255 lie beyond the limit: they raise #GP" % count)

    @staticmethod
    def handler(g):
        if g.is_task:
            return "(task gate: TSS selector 0x%04x)" % g.selector
        name, start = target.symbol_at(g.offset)
        if name is None:
            return "??"
        return name if g.offset == start else "%s+0x%x" % (name, g.offset - start)

    def row(self, v, g):
        return ("%3d  %-7s  0x%04x:0x%08x  %-11s  %d   %d  %s"
                % (v, x86.vector_name(v), g.selector, g.offset, g.type_name(), g.dpl,
                   g.present, self.handler(g) if g.present else "-"))

    def detail(self, v, g, base):
        out("vector %d (%s): gate at 0x%08x = 0x%016x" % (v, x86.vector_description(v),
                                                           base + 8 * v, g.raw))
        out("  present  %d" % g.present)
        out("  type     %s (type field %#x)" % (g.type_name(), g.type))
        out("  DPL      %d (%s)" % (g.dpl, "int N allowed from ring 3" if g.dpl == 3
                                   else "int N from ring 3 raises #GP"))
        out("  handler  0x%04x:0x%08x  %s" % (g.selector, g.offset, self.handler(g)))
        where = target.source_line(g.offset) if g.present else None
        if where:
            out("           at %s" % where)


# ---- pagewalk ----------------------------------------------------------------

CR3_ARG = re.compile(r"(?:^|\s)cr3\s*=\s*(\S+)", re.I)


class PagewalkCommand(TidepoolCommand):
    """Translate a linear address by walking the i386 page tables.

Usage: pagewalk VADDR [cr3=PADDR]

Walks the two-level tables from CR3 as the MMU does (32-bit paging, no
PAE): the page-directory entry, then the page-table entry (or a 4 MiB page
when the PDE has PS set and CR4.PSE = 1), with the flags of each entry
(P RW US PWT PCD A D PS G) and the physical address at the end. Entries are
read from physical memory (QEMU's Qqemu.PhyMemMode). VADDR is any GDB
expression: 0xc0001000, &kmsg_buf, $pc.

With paging off (CR0.PG = 0, labs 1 and 2) a linear address is the
physical address, and pagewalk says so. `cr3=PADDR` walks the page
directory at PADDR instead of CR3's, also while paging is off: that checks
hand-built tables before they are loaded.

Example, on two entries written by hand at 0x400000 and 0x401000:
  (gdb) pagewalk 0xc0101234 cr3=0x400000
  pagewalk 0xc0101234: page directory at 0x00400000 (cr3= given; paging is off, CR4.PSE 0)
    linear 0xc0101234 = directory index 0x300 (bits 31..22), table index 0x101 (bits 21..12), offset 0x234
    CR3   0x00400000  page directory at 0x00400000
    PDE [0x300] at 0x00400c00 = 0x00401007  P RW US            -> page table at 0x00401000
    PTE [0x101] at 0x00401404 = 0x00101003  P RW               -> 4 KiB page at 0x00101000
    => physical 0x00101234: 4 KiB page; writable; kernel only (US = 0)"""

    def __init__(self):
        super().__init__("pagewalk")

    @guarded
    def invoke(self, arg, from_tty):
        explicit_cr3 = None
        m = CR3_ARG.search(arg)
        expr = arg
        if m:
            explicit_cr3 = parse_int(m.group(1), "pagewalk cr3=")
            expr = (arg[:m.start()] + " " + arg[m.end():]).strip()
        if not expr.strip():
            raise gdb.GdbError("usage: pagewalk VADDR [cr3=PADDR]")
        target.require_target()
        vaddr = parse_int(expr, "pagewalk")
        state = target.cpu_state()
        cr0, cr4 = state.cr["cr0"], state.cr.get("cr4", 0)
        if not protected_mode_or_explain(state, "pagewalk"):
            return
        paging_on = bool(cr0 & x86.CR0_PG)
        if cr4 & x86.CR4_PAE:
            raise gdb.GdbError("pagewalk: CR4.PAE = 1: PAE paging (three levels, 8-byte "
                               "entries) is not what Tidepool uses; pagewalk walks 32-bit "
                               "two-level tables only")
        pse = bool(cr4 & x86.CR4_PSE)
        if explicit_cr3 is None:
            if not paging_on:
                out("pagewalk 0x%08x: paging is off (CR0.PG = 0): the linear address is the "
                    "physical address, 0x%08x. (To walk page tables that are not loaded yet: "
                    "pagewalk VADDR cr3=PADDR.)" % (vaddr, vaddr))
                return
            cr3 = state.cr["cr3"]
            header = ("pagewalk 0x%08x: paging on, CR3 0x%08x, CR4.PSE %d"
                      % (vaddr, cr3, pse))
        else:
            cr3 = explicit_cr3
            header = ("pagewalk 0x%08x: page directory at 0x%08x (cr3= given; paging is %s, "
                      "CR4.PSE %d)" % (vaddr, cr3, "on" if paging_on else "off", pse))
            if cr3 & 0xFFF:
                header += "; low 12 bits of cr3= ignored"

        def read_u32(paddr):
            return target.u32(target.read_physical(paddr, 4, paging_on))

        walk = paging.walk(read_u32, cr3, vaddr, pse, bool(cr0 & x86.CR0_WP))
        for line in paging.format_walk(walk, header):
            out(line)


# ---- ktrace ------------------------------------------------------------------

class GdbFrameEnv:
    """frames.walk()'s view of the live kernel.

    page_directory: for a thread of another process than the one whose
    tables CR3 holds, the physical address of its page directory: user
    addresses are then read through it (its stack, not the running
    process's at the same address). None: everything through CR3."""

    def __init__(self, page_directory=None):
        self.pd = page_directory

    def read_u32(self, addr):
        return target.u32(self.read_bytes(addr, 4))

    def read_bytes(self, addr, n):
        if self.pd is not None and addr >= usersyms.USER_BASE:
            return self.read_user(addr, n)
        try:
            return bytes(gdb.selected_inferior().read_memory(addr, n))
        except gdb.MemoryError as err:
            raise frames.ReadError(str(err))

    def read_user(self, addr, n):
        def read_u32(paddr):
            return target.u32(target.read_physical(paddr, 4, True))

        pse = bool(target.register("cr4") & x86.CR4_PSE)
        data = b""
        try:
            while n > 0:
                chunk = min(n, 0x1000 - (addr & 0xFFF))
                walk = paging.walk(read_u32, self.pd, addr, pse)
                if walk.physical is None:
                    raise frames.ReadError("0x%08x is not mapped in the thread's address space "
                                           "(%s)" % (addr, walk.fault))
                data += target.read_physical(walk.physical, chunk, True)
                addr, n = addr + chunk, n - chunk
        except gdb.GdbError as err:
            raise frames.ReadError(str(err))
        return data

    def symbol(self, addr):
        return target.symbol_at(addr)

    def trapframe(self, addr):
        try:
            tf_type = gdb.lookup_type("struct trapframe")
        except gdb.error:
            raise frames.NoTrapframe("the kernel's debug information has no "
                                     "`struct trapframe`")
        names = {f.name: f for f in tf_type.fields()}

        def field(*candidates):
            for c in candidates:
                if c in names:
                    return c
            raise frames.NoTrapframe("struct trapframe has no field %s"
                                     % " or ".join(candidates))

        tf = gdb.Value(addr).cast(tf_type.pointer()).dereference()
        try:
            info = {
                "vector": int(tf[field("vector", "trapno")]),
                "err": int(tf[field("err")]),
                "eip": int(tf[field("eip")]) & 0xFFFFFFFF,
                "ebp": int(tf[field("ebp")]) & 0xFFFFFFFF,
                "cs": int(tf[field("cs")]) & 0xFFFF,
            }
            # From ring 0 the CPU pushes no esp/ss: the interrupted esp is
            # where the frame's esp field would be.
            esp_field = names.get("esp")
            if info["cs"] & 3 == 3 and esp_field is not None:
                info["esp"] = int(tf["esp"]) & 0xFFFFFFFF
            elif esp_field is not None:
                info["esp"] = addr + esp_field.bitpos // 8
            else:
                info["esp"] = addr + tf_type.sizeof
        except gdb.MemoryError as err:
            raise frames.ReadError(str(err))
        return info


def env_for(thread):
    """The GdbFrameEnv that reads a thread's memory: through its process's
    page directory when CR3 holds another one."""
    if thread.pd is None or thread.pd == target.register("cr3") & ~0xFFF:
        return GdbFrameEnv()
    return GdbFrameEnv(thread.pd)


def print_walk(records):
    """Print frames.walk()'s records as ktrace does."""
    for rec in records:
        if isinstance(rec, frames.Frame):
            line = target.source_line(rec.pc if rec.exact else rec.pc - 1)
            out("#%-2d 0x%08x in %s%s" % (rec.index, rec.pc, rec.label(),
                                          " (%s)" % line if line else ""))
        elif isinstance(rec, frames.Trap):
            i = rec.info
            if rec.note:
                out("    note: " + rec.note)
            out("--- trap: vector %d (%s), err %#x, eip 0x%08x%s ---"
                % (i["vector"], x86.vector_description(i["vector"]), i["err"], i["eip"],
                   ", from user mode" if i["cs"] & 3 == 3 else ""))
        elif isinstance(rec, frames.End) and not rec.clean:
            out("--- stopped: %s ---" % rec.reason)


class KtraceCommand(TidepoolCommand):
    """Backtrace along the kernel's frame-pointer chain, across trap frames.

Usage: ktrace [TID]

Walks the chain the way kernel/backtrace.c does ([ebp] = the caller's
ebp, [ebp+4] = the return address) from the current pc/ebp to _start's
zero frame, and names each address with GDB's symbols and line table.
Frame #0 is the current pc; the others are return addresses, named
like the kernel's own backtrace (function+offset of the return address).
It also copes with a stop at a function's first instruction or at its
`ret`, before/after the frame exists.

From lab 2 on, when a return address lies in the trap entry code
(tpgdb.frames.TRAP_RETURN: trap_return/alltraps), the struct trapframe
above it is decoded, printed as
  --- trap: vector 14 (#PF page fault), err 0x2, eip 0x00101234 ---
and the walk goes on from the interrupted eip and ebp.

From lab 4 on, `ktrace TID` shows the thread with that id (`tasks` lists
them). For a thread that is not running, the walk starts from the
context it saved when it gave up the CPU (context->eip, context->ebp):
frame #0 is then where its call of context_switch() will return, and
the last frame is thread_start, where every thread begins. For the
thread on the CPU, `ktrace TID` is plain `ktrace`.

Example (CMDLINE=selftest=panic, break selftest_panic_c):
  #0  0x00101f40 in selftest_panic_c+0x0 (kernel/selftest.c:17)
  #1  0x00101f82 in selftest_panic_b+0x12 (kernel/selftest.c:22)
  #2  0x00101fa2 in selftest_panic_a+0x12 (kernel/selftest.c:28)
  ...
  #6  0x00103044 in _start+0x2a (kernel/arch/i386/boot.S:58)"""

    def __init__(self):
        super().__init__("ktrace", gdb.COMMAND_STACK)

    @guarded
    def invoke(self, arg, from_tty):
        argv = gdb.string_to_argv(arg)
        if len(argv) > 1:
            raise gdb.GdbError("usage: ktrace [TID]")
        target.require_target()
        state = target.cpu_state()
        if not protected_mode_or_explain(state, "ktrace"):
            return
        if argv:
            tid = parse_int(argv[0], "ktrace")
            try:
                all_, _current, on_cpu = threads.all_threads()
            except threads.NoThreads as why:
                raise gdb.GdbError("ktrace: %s" % why)
            thread = next((t for t in all_ if t.tid == tid), None)
            if thread is None:
                raise gdb.GdbError("ktrace: no thread with id %d (ids: %s; `tasks` lists them)"
                                   % (tid, " ".join(str(t.tid) for t in all_)))
            if thread is not on_cpu:
                eip, ebp, _ = threads.saved_context(thread)
                out("thread %d '%s' (%s), from its saved context at 0x%08x: eip 0x%08x, "
                    "ebp 0x%08x" % (thread.tid, thread.name, thread.state, thread.context,
                                    eip, ebp))
                print_walk(threads.walk_saved(env_for(thread), thread))
                self.note(thread)
                return
        pc, ebp, esp = (target.register(r) for r in ("eip", "ebp", "esp"))
        # stopped in ring 3: the walk starts in the user program
        user = state.selector("CS") is not None and state.selector("CS") & 3 == 3
        print_walk(frames.walk(GdbFrameEnv(), pc, ebp, esp, user=user))
        try:
            self.note(threads.all_threads()[2])
        except threads.NoThreads:
            pass

    @staticmethod
    def note(thread):
        """Warn when the user symbols loaded are another program's."""
        if thread is not None and thread.pid is not None:
            note = user_symbols_note([thread])
            if note:
                out(note)


# ---- tasks -------------------------------------------------------------------

class TasksCommand(TidepoolCommand):
    """List the kernel's threads: id, state, process, what each waits on, where it is.

Usage: tasks

One line per thread on all_threads (lab 4 on), oldest first, like the
monitor's `ps`: TID, STATE (runnable, running, blocked, zombie), NAME,
PROCESS (a user process's pid and program, "-" for a kernel thread),
WAITS ON (a wait queue's name, "sleep" on the timer queue, or "-") and
WHERE:
  - the thread on the CPU, the one whose stack holds esp: "running" and
    its pc. (In the middle of a switch, current_thread already names the
    next thread, "switching in", while the CPU is still on the old
    thread's stack, "switching out".)
  - a thread that is not running: the first frame of its saved context
    (context->eip, context->ebp, then the frame chain) that is not the
    scheduler's own code. Skipped are frames in the files of
    tpgdb.frames.SCHED_FILES: switch.S, kernel/proc/sched.c,
    kernel/proc/waitqueue.c, kernel/sync/, and trap.c/trapentry.S when
    an interrupt preempted the thread (WHERE then says which). A
    thread's own function, the one thread_start calls, is never skipped;
  - a thread that has never run: the function it will run.
A thread of a user process is either
  - in user mode: on the CPU with cs & 3 == 3, or preempted there (the
    trap frame its saved chain crosses came from ring 3): "user mode",
    then where in the program (names need its symbols: `usymbols PID`);
  - or in the kernel: "system call NAME: " and the above while t->tf is
    set (NAME from t->tf->eax, through the kernel's syscall_table), else
    "kernel, VECTOR from user mode: " (a fault, an interrupt being
    handled) or "kernel: " (entering or leaving, around t->tf).
`ktrace TID` shows the whole chain of one thread.
With several CPUs (lab 5) a CPU column says which CPU runs each thread
(cpus[i].thread); the registers GDB shows are the selected vCPU's (`info
threads`, `thread N`), so a thread running on another CPU says so in WHERE.

Example (CMDLINE=test=sched.yield_alternates, break thread_yield if yield_logged == 7):
    TID  STATE     NAME             PROCESS          WAITS ON  WHERE
      0  runnable  idle             -                -         not started yet: will run idle_main
      1  blocked   main             -                join      thread_join (kernel/proc/thread.c:150)
      2  running   yield-a          -                -         running, pc 0x001043a0 in thread_yield (kernel/proc/sched.c:35)
      3  runnable  yield-b          -                -         log_and_yield (kernel/tests/thread_test.c:172)
Example (CMDLINE=run=/bin/hello, usymbols hello, break sys_getpid):
      2  running   hello            1 hello          -         system call getpid: running, pc 0x00107ad0 in sys_getpid (kernel/proc/sys_proc.c:40)"""

    def __init__(self):
        super().__init__("tasks", gdb.COMMAND_STACK)

    @guarded
    def invoke(self, arg, from_tty):
        if arg.strip():
            raise gdb.GdbError("usage: tasks   (no arguments)")
        target.require_target()
        state = target.cpu_state()
        if not protected_mode_or_explain(state, "tasks"):
            return
        try:
            all_, current, on_cpu = threads.all_threads()
        except threads.NoThreads as why:
            out("tasks: %s" % why)
            return
        several = threads.cpu_count() > 1
        out("  TID  %sSTATE     NAME             PROCESS          WAITS ON  WHERE"
            % ("CPU  " if several else ""))
        for t in all_:
            try:
                where = self.where(t, current, on_cpu)
            except (gdb.MemoryError, gdb.GdbError) as err:    # one broken thread
                where = "?? (%s)" % err
            process = "-" if t.pid is None else "%d %s" % (t.pid, t.program)
            cpu = ("%-3s  " % ("-" if t.cpu is None else t.cpu)) if several else ""
            out("%5d  %s%-8s  %-15s  %-15s  %-8s  %s"
                % (t.tid, cpu, t.state, t.name, process, t.waits, where))
        note = user_symbols_note(t for t in all_ if t.pid is not None)
        if note:
            out(note)

    @staticmethod
    def where(t, current, on_cpu):
        user = t.pid is not None
        if t.cpu is not None and t is not current and t is not on_cpu:
            # another CPU's: its registers are that vCPU's, not a saved context
            return "running on CPU %d (GDB's `thread %d` shows where)" % (
                t.cpu, int(gdb.parse_and_eval("cpus[%d].apic_id" % t.cpu)) + 1)
        if t is on_cpu:
            pc = target.register("eip")
            if user and target.register("cs") & 3 == 3:      # in ring 3
                return "user mode, pc 0x%08x in %s" % (pc, describe_user_code(pc, True))
            # switch_to() sets current_thread before context_switch() leaves this stack
            doing = "running" if t is current else "switching out"
            where = "%s, pc 0x%08x in %s" % (doing, pc, describe_code(pc, True))
            records = frames.walk(GdbFrameEnv(), pc, target.register("ebp"),
                                  target.register("esp")) if user else ()
        else:
            eip, _, _ = threads.saved_context(t)
            if eip == target.symbol_address(frames.THREAD_ENTRY):
                return "not started yet: will run %s" % (target.symbol_at(t.fn)[0] or "??")
            if user and eip == target.symbol_address("user_entry"):
                start = int(threads.trapframe(threads.first_user_frame(t))["eip"]) & 0xFFFFFFFF
                return "not started yet: enters user mode at 0x%08x in %s" % (
                    start, describe_user_code(start, True))
            records = list(threads.walk_saved(env_for(t), t))
            frame, trap = frames.own_frame(records, frame_file)
            if trap is not None and trap.info["cs"] & 3 == 3:     # preempted in ring 3
                return "user mode: %s, interrupted by %s" % (
                    describe_user_code(frame.pc, frame.exact),
                    x86.vector_description(trap.info["vector"]))
            where = describe_code(frame.pc, frame.exact)
            if trap is not None:
                where += ", interrupted by %s" % x86.vector_description(trap.info["vector"])
            if t is current:
                where = "switching in, " + where
        return kernel_reason(t, records) + where if user else where


def kernel_reason(t, records):
    """Why a user thread is in the kernel: 'system call NAME: ' while
    t->tf is set, else the trap from ring 3 its walk (records) crosses,
    if it is not a system call's, else just 'kernel: '."""
    call = threads.in_syscall(t)
    if call is not None:
        return "system call %s: " % call
    trap = last_user_trap(records)
    if trap is not None and trap.info["vector"] != x86.T_SYSCALL:
        return "kernel, %s from user mode: " % x86.vector_description(trap.info["vector"])
    return "kernel: "


def last_user_trap(records):
    """The Trap record of a walk that came from ring 3, or None."""
    found = None
    for rec in records:
        if isinstance(rec, frames.Trap) and rec.info["cs"] & 3 == 3:
            found = rec
    return found


def frame_file(frame):
    """The source file of a frame's code (for a return address: of the call)."""
    sal = gdb.find_pc_line(frame.pc if frame.exact else frame.pc - 1)
    return sal.symtab.filename if sal is not None and sal.symtab is not None else None


def describe_code(pc, exact):
    """'function (file:line)' for an instruction (exact) or a return address."""
    name, _ = target.symbol_at(pc if exact else pc - 1)
    line = target.source_line(pc if exact else pc - 1)
    if name is None:
        return "0x%08x (no symbol: a corrupt saved context?)" % pc
    return "%s (%s)" % (name, line) if line else name


def describe_user_code(pc, exact):
    """describe_code() for user code, which has names only while its
    program's symbols are loaded."""
    if target.symbol_at(pc if exact else pc - 1)[0] is None:
        return "0x%08x (no symbols: `usymbols` loads the program's)" % pc
    return describe_code(pc, exact)


def user_symbols_note(user_threads):
    """A line to print when the user symbols GDB holds are another
    program's than that of a user thread shown (its names would be
    wrong): None when they fit or none are loaded."""
    loaded = usersyms.loaded_program_name()
    if loaded is None:
        return None
    others = sorted({"%d %s" % (t.pid, t.program) for t in user_threads
                     if not usersyms.same_program(t.program, loaded)})
    if not others:
        return None
    return ("note: the user symbols loaded are %s's: names in other programs (%s) are wrong; "
            "`usymbols PID` loads the right ones" % (loaded, ", ".join(others)))


# ---- usymbols ----------------------------------------------------------------

class UsymbolsCommand(TidepoolCommand):
    """Load the symbols of a user program (lab 4 part 2).

Usage: usymbols [PID | PROGRAM]

With no argument: the program of the process running now (the thread
on the CPU). PID: that process's program. PROGRAM: a program by name,
e.g. `usymbols hello` (or /bin/hello) before it runs, or a path to an
ELF file. A process's name is its program's file name, and the program
with symbols is $(BUILD)/userland/bin/NAME: looked for next to the
kernel file GDB has loaded, then in build/userland/bin of the repository
(found from the kernel file's path or the current directory).

Every program is linked at the same addresses (userland/user.ld: text
at 0x40000000), so GDB can hold one program's symbols at a time:
usymbols first removes those of any other program (remove-symbol-file),
then runs add-symbol-file, which needs no address.

Then `break main` stops in the program's main. QEMU matches breakpoints
by virtual address, in every address space: a breakpoint in user code
stops whichever process runs code at that address (after fork, parent
and child; another program that happens to have code there). Give it a
condition: `break main if current_thread->proc->pid == 3`. Names the
kernel and the libc share (memcpy, strlen, syscall_sysenter) get a
location in each: `break strlen if $cs == 0x1b` keeps the user one.

Example:
  (gdb) usymbols hello
  usymbols: build/userland/bin/hello: symbols of the program 'hello' (entry 0x40000000)"""

    def __init__(self):
        super().__init__("usymbols", gdb.COMMAND_FILES)

    @guarded
    def invoke(self, arg, from_tty):
        argv = gdb.string_to_argv(arg)
        if len(argv) > 1:
            raise gdb.GdbError("usage: usymbols [PID | PROGRAM]")
        if not argv:
            path, whose = self.current_program()
        elif argv[0].isdigit():
            path, whose = self.program_of(int(argv[0]))
        elif "/" in argv[0] and os.path.isfile(argv[0]):
            path, whose = argv[0], "the file"
        else:
            path, whose = usersyms.find_program(argv[0]), "the program"
        entry = usersyms.elf_entry(path)
        loaded = [o.filename for o in usersyms.loaded_programs()]
        if [os.path.realpath(f) for f in loaded] == [os.path.realpath(path)]:
            # Loading again would move breakpoints GDB has placed in it.
            out("usymbols: %s: already loaded, symbols of %s '%s' (after a rebuild: "
                "remove-symbol-file %s, then usymbols again)"
                % (usersyms.pretty(path), whose, os.path.basename(path), usersyms.pretty(path)))
            return
        dropped = usersyms.load(path)
        for old in dropped:
            if os.path.realpath(old) != os.path.realpath(path):
                out("usymbols: removed the symbols of %s" % usersyms.pretty(old))
        out("usymbols: %s: symbols of %s '%s' (entry 0x%08x)"
            % (usersyms.pretty(path), whose, os.path.basename(path), entry))

    @staticmethod
    def current_program():
        target.require_target()
        try:
            _all, current, on_cpu = threads.all_threads()
        except threads.NoThreads as why:
            raise gdb.GdbError(str(why))
        t = on_cpu or current
        if t is None or t.pid is None:
            raise gdb.GdbError("the thread on the CPU (%s) is a kernel thread, of no process: "
                               "give a pid or a program name (usymbols hello)"
                               % ("?" if t is None else "%d '%s'" % (t.tid, t.name)))
        return usersyms.find_program(t.program), "pid %d's program" % t.pid

    @staticmethod
    def program_of(pid):
        target.require_target()
        try:
            procs = threads.all_processes()
        except threads.NoThreads as why:
            raise gdb.GdbError(str(why))
        name = next((n for p, n, _ in procs if p == pid), None)
        if name is None:
            raise gdb.GdbError("no process with pid %d (pids: %s)"
                               % (pid, " ".join(str(p) for p, _, _ in procs) or "none yet"))
        return usersyms.find_program(name), "pid %d's program" % pid


# ---- kmsg --------------------------------------------------------------------

class KmsgCommand(TidepoolCommand):
    """Print the kernel's console log (kmsg_buf), oldest first.

Usage: kmsg [-n N]

Everything kprintf() printed is also kept in kmsg_buf, a ring of
KMSG_SIZE bytes, with kmsg_written counting all bytes ever logged
(kernel/console.c). kmsg prints the ring in order, also after it
wrapped around (it then says how many older bytes are gone), and works
when the screen and the serial line are lost, e.g. after a crash.
-n N prints only the last N lines.

Example:
  (gdb) kmsg -n 2
  modules: 0
  gdt: loaded"""

    def __init__(self):
        super().__init__("kmsg")

    @guarded
    def invoke(self, arg, from_tty):
        argv = gdb.string_to_argv(arg)
        lines = None
        if argv:
            if len(argv) == 2 and argv[0] == "-n":
                lines = parse_int(argv[1], "kmsg -n")
            elif len(argv) == 1 and re.match(r"^-n\d+$", argv[0]):
                lines = int(argv[0][2:])
            else:
                raise gdb.GdbError("usage: kmsg [-n N]")
        target.require_target()
        try:
            buf_addr = int(gdb.parse_and_eval("(unsigned long)&kmsg_buf"))
            size = int(gdb.parse_and_eval("sizeof(kmsg_buf)"))
            written_addr = int(gdb.parse_and_eval("(unsigned long)&kmsg_written"))
        except gdb.error:
            raise gdb.GdbError("kmsg: no kmsg_buf/kmsg_written in the symbols: load the "
                               "kernel's symbols (file build/kernel.elf)")
        try:
            written = int(gdb.parse_and_eval("kmsg_written")) & 0xFFFFFFFF
        except gdb.MemoryError:
            raise gdb.GdbError("kmsg: cannot read kmsg_written at 0x%08x: that address is not "
                               "mapped in the current page tables" % written_addr)
        if written == 0:
            out("kmsg: the log is empty (kmsg_written = 0): the kernel has printed nothing "
                "yet (its first line comes from kmain, after console_init()).")
            return
        data = target.read_linear(buf_addr, min(written, size) if written <= size else size)
        text, lost = kmsg.ring_contents(data, written)
        if lines is not None:
            text = kmsg.last_lines(text, lines)
        elif lost:
            out("[kmsg: %d older bytes were overwritten; the ring keeps the last %d]"
                % (lost, size))
        shown = kmsg.printable(text)
        gdb.write(shown)
        if shown and not shown.endswith("\n"):
            gdb.write("\n")


# ---- trace-dump --------------------------------------------------------------

class TraceDumpCommand(TidepoolCommand):
    """Write the scheduler trace's ring (trace=sched) to a file.

Usage: trace-dump FILE

Reads trace_ring and trace_head from the kernel's memory and writes the
records oldest first in the format the kernel dumps on COM2 at exit
(`trace: begin ...`, base64 lines, `trace: end`; docs/trace.md), so that
tools/trace2perfetto and tools/trace2svg read either. Works at any stop,
e.g. before a crash or in a program that never ends; the ring holds the
last TRACE_RING_RECORDS events.

Example:
  (gdb) trace-dump build/trace.txt
  trace-dump: 96 events (0 lost) written to build/trace.txt"""

    def __init__(self):
        super().__init__("trace-dump", gdb.COMMAND_DATA)

    @guarded
    def invoke(self, arg, from_tty):
        argv = gdb.string_to_argv(arg)
        if len(argv) != 1:
            raise gdb.GdbError("usage: trace-dump FILE")
        target.require_target()
        tools_dir = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        if tools_dir not in sys.path:
            sys.path.insert(0, tools_dir)
        import tracefmt
        try:
            ring_addr = int(gdb.parse_and_eval("(unsigned long)&trace_ring"))
            size = int(gdb.parse_and_eval("sizeof(trace_ring)"))
            head = int(gdb.parse_and_eval("trace_head")) & 0xFFFFFFFF
            on = bool(int(gdb.parse_and_eval("trace_on")))
        except gdb.error:
            raise gdb.GdbError("trace-dump: no trace_ring/trace_head in the symbols: load "
                               "the kernel's symbols of lab 4 or later (file build/kernel.elf)")
        if head == 0:
            out("trace-dump: the ring is empty%s" % (
                "" if on else " (tracing is off: boot with trace=sched on the command line)"))
        data, lost = tracefmt.ring_in_order(bytes(target.read_linear(ring_addr, size)), head)
        with open(argv[0], "w") as f:
            f.write(tracefmt.encode_dump(data, lost))
        out("trace-dump: %d events (%d lost) written to %s"
            % (len(data) // tracefmt.RECORD.size, lost, argv[0]))


# ---- tidepool-start ----------------------------------------------------------

class StartCommand(TidepoolCommand):
    """Start QEMU for this GDB, over a pipe, and connect to it.

Usage: tidepool-start [--console=tty|null|FILE] [--initrd[=FILE]] [KERNEL COMMAND LINE...]

Runs `target remote | exec qemu-system-i386 -gdb stdio -S -kernel K ...`
with the kernel GDB has loaded: no TCP port, nothing to clean up (QEMU
ends when GDB kills it or exits). QEMU stops before the BIOS's first
instruction. The rest of the line is the kernel command line
(e.g. `tidepool-start selftest=panic`). --console says where COM1 goes:
tty (GDB's terminal, the default when stderr is one), null (the default
otherwise; `kmsg` still shows the log) or a file. --initrd hands QEMU the
user programs (lab 4 on): the initrd.cpio that `make` builds beside the
kernel file, or FILE; e.g. `tidepool-start --initrd run=/bin/hello`.
(Without run= and without `monitor`, a kernel with an initrd starts
/bin/init and the shell.) The environment variables QEMU and ACCEL
override qemu-system-i386 and tcg."""

    def __init__(self):
        super().__init__("tidepool-start", gdb.COMMAND_RUNNING)

    @guarded
    def invoke(self, arg, from_tty):
        console = initrd = None
        while True:         # the options, before the kernel command line
            m = re.match(r"^\s*--console(?:=|\s+)(\S+)\s*", arg)
            if m:
                console = m.group(1)
            else:           # --initrd FILE would eat `run=...`: only --initrd=FILE
                m = re.match(r"^\s*--initrd(?:=(\S+))?(?:\s+|$)", arg)
                if m is None:
                    break
                initrd = m.group(1) or True
            arg = arg[m.end():]
        target.start_qemu(arg.strip(), console, initrd)


# ---- $insn_addr --------------------------------------------------------------

class InsnAddr(gdb.Function):
    """$insn_addr("FUNCTION", "MNEMONIC"): the address of the first
instruction in FUNCTION whose mnemonic starts with MNEMONIC (AT&T syntax,
so "lgdt" also finds lgdtl). For breakpoints on one instruction that has
no line of its own, e.g. in inline assembly:
    break *$insn_addr("gdt_init", "lgdt")
$insn_addr(ADDRESS, "MNEMONIC"): the first such instruction at ADDRESS or
in the 64 after it, for code without debug information for its function
(assembly labels, user code):
    tbreak *$insn_addr(&sysenter_entry, "sysexit")
    tbreak *$insn_addr($pc, "sysenter")"""

    SEARCH = 64             # instructions, from an ADDRESS

    def __init__(self):
        super().__init__("insn_addr")

    def invoke(self, function, mnemonic):
        try:
            want = mnemonic.string()
        except gdb.error:
            raise gdb.GdbError('usage: $insn_addr("FUNCTION" or ADDRESS, "MNEMONIC")')
        arch = gdb.selected_inferior().architecture()
        if function.type.strip_typedefs().code != gdb.TYPE_CODE_ARRAY:      # an address
            start = int(function.cast(gdb.lookup_type("unsigned long"))) & 0xFFFFFFFF
            for insn in arch.disassemble(start, count=self.SEARCH):
                if insn["asm"].split()[:1] and insn["asm"].split()[0].startswith(want):
                    return gdb.Value(insn["addr"])
            raise gdb.GdbError("$insn_addr: no %s instruction in the %d after 0x%08x"
                               % (want, self.SEARCH, start))
        name = function.string()
        start = target.symbol_address(name)
        if start is None:
            raise gdb.GdbError("$insn_addr: no function %s" % name)
        block = gdb.block_for_pc(start)
        while block is not None and not (block.function is not None
                                         and block.function.name == name
                                         and block.start == start):
            block = block.superblock
        if block is None:
            raise gdb.GdbError("$insn_addr: no debug information for %s: give its address, "
                               "$insn_addr(&%s, \"%s\")" % (name, name, want))
        for insn in arch.disassemble(block.start, block.end - 1):
            words = insn["asm"].split()
            if words and words[0].startswith(want):
                return gdb.Value(insn["addr"])
        raise gdb.GdbError("$insn_addr: no %s instruction in %s" % (want, name))


# ---- $cpu and the per-CPU names ------------------------------------------------

class CpuIndex(gdb.Function):
    """$cpu(): the index in cpus[] of the CPU GDB has selected (`thread N`
picks vCPU N; 0 with one CPU). The kernel's per-CPU names are macros for
this_cpu()->field (kernel/proc/sched.h, sched.c); tpgdb defines them in
GDB for the selected CPU, so expressions and breakpoint conditions read
as in the C code:
    current_thread   cpus[$cpu()].thread
    idle_thread      cpus[$cpu()].idle
    need_resched     cpus[$cpu()].need_resched
    slice_left       cpus[$cpu()].slice_left
e.g. `break sched_tick if current_thread == idle_thread`, `p *current_thread`."""

    def __init__(self):
        super().__init__("cpu")

    def invoke(self):
        try:
            return gdb.Value(threads.selected_cpu())
        except gdb.error:
            return gdb.Value(0)     # a kernel without cpus[]: one CPU


PER_CPU_NAMES = {"current_thread": "thread", "idle_thread": "idle",
                 "need_resched": "need_resched", "slice_left": "slice_left"}


def define_per_cpu_macros():
    for name, field in PER_CPU_NAMES.items():
        gdb.execute("macro define %s (cpus[$cpu()].%s)" % (name, field), to_string=True)


def register():
    GdtCommand()
    IdtCommand()
    PagewalkCommand()
    KtraceCommand()
    TasksCommand()
    UsymbolsCommand()
    KmsgCommand()
    TraceDumpCommand()
    StartCommand()
    InsnAddr()
    CpuIndex()
    define_per_cpu_macros()
