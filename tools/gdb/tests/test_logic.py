"""The pure logic behind the GDB commands, tested without GDB or QEMU:
descriptor and gate decoding, the page walk, the frame walk across a
synthetic trap frame, the kmsg ring, demo files and their checker."""
import struct

import pytest

from tpgdb import demofile, frames, kmsg, paging, x86


# ---- descriptors -------------------------------------------------------------

def descriptor(base, limit, access, flags):
    """The encoding of SDM 3A figure 3-8 (as kernel/arch/i386/gdt.c does)."""
    return ((limit & 0xFFFF) | (base & 0xFFFF) << 16 | ((base >> 16) & 0xFF) << 32
            | access << 40 | ((limit >> 16) & 0xF) << 48 | (flags & 0xF) << 52
            | ((base >> 24) & 0xFF) << 56)


def test_flat_kernel_code_segment():
    seg = x86.Segment(0x00CF9A000000FFFF)
    assert (seg.base, seg.limit, seg.present, seg.dpl) == (0, 0xFFFFFFFF, True, 0)
    assert seg.kind() == "code"
    assert seg.describe() == "code 32-bit execute/read"


def test_user_data_segment_accessed():
    seg = x86.Segment(descriptor(0, 0xFFFFF, 0xF3, 0xC))
    assert seg.dpl == 3 and seg.describe() == "data 32-bit read/write, accessed"


def test_scattered_base_and_byte_limit():
    seg = x86.Segment(descriptor(0x12345678, 0x00067, 0x89, 0))
    assert seg.base == 0x12345678 and seg.limit == 0x67      # G = 0: bytes
    assert seg.system and seg.describe() == "TSS32 available"
    assert x86.Segment(descriptor(0x12345678, 0x67, 0x8B, 0)).describe() == "TSS32 busy"


def test_16bit_conforming_and_not_present():
    seg = x86.Segment(descriptor(0, 0xFFFF, 0x1E, 0))
    assert not seg.present
    assert seg.describe() == "code 16-bit execute/read, conforming"


def test_null_and_split():
    assert x86.Segment(0).is_null
    data = struct.pack("<3Q", 0, 0x00CF9A000000FFFF, 0x00CF92000000FFFF) + b"\x01\x02"
    assert x86.split_entries(data) == [0, 0x00CF9A000000FFFF, 0x00CF92000000FFFF]
    assert x86.table_entries(0x2F) == 6 and x86.table_entries(0) == 0


def test_gate():
    # kernel/arch/i386/idt.c: handler 0x00102dd3, selector 0x08, P DPL3 int32
    raw = (0x2DD3 | 0x08 << 16 | 0xEE << 40 | 0x0010 << 48)
    g = x86.Gate(raw)
    assert (g.offset, g.selector, g.present, g.dpl) == (0x00102DD3, 0x08, True, 3)
    assert g.type_name() == "interrupt32"
    assert x86.Gate(raw & ~(0xFF << 40) | 0x8F << 40).type_name() == "trap32"
    assert x86.Gate(0x85 << 40).is_task
    assert x86.vector_name(14) == "#PF" and x86.vector_name(33) == "irq 1"
    assert x86.vector_description(14) == "#PF page fault"
    assert x86.vector_name(0x80) == "syscall" and x86.vector_description(0x80) == "system call"
    assert x86.vector_name(48) == "timer" and x86.vector_name(63) == "spurious"
    assert x86.vector_name(55) == "-" and x86.vector_name(64) == ""
    assert x86.vector_description(50) == "IPI: TLB shootdown (lab 5, tlb_shootdown)"
    assert x86.vector_name(0x81) == "" and x86.vector_description(0x81) == "software interrupt"
    assert x86.ranges([3, 48, 49, 50, 128, 200, 201]) == "3, 48-50, 128, 200-201"
    assert x86.ranges([]) == ""


# ---- paging ------------------------------------------------------------------

def memory(words):
    def read(addr):
        return words.get(addr, 0)
    return read


TABLES = {
    0x400000 + 4 * 0x300: 0x00401007,          # PDE -> page table, P RW US
    0x401000 + 4 * 0x101: 0x00101003,          # PTE -> 0x101000, P RW
    0x400000 + 4 * 0x002: 0x00800081,          # PDE: 4 MiB page, P PS, read-only
}


def test_walk_4k_page():
    w = paging.walk(memory(TABLES), 0x400000, 0xC0101234, pse=True, wp=True)
    assert w.fault is None and w.physical == 0x00101234 and w.page_size == 4096
    assert [s.level for s in w.steps] == ["pde", "pte"]
    assert w.steps[0].address == 0x400C00 and w.steps[1].address == 0x401404
    assert w.writable and not w.user                         # PTE has no US
    text = "\n".join(paging.format_walk(w, "hdr"))
    assert "-> page table at 0x00401000" in text
    assert "=> physical 0x00101234: 4 KiB page; writable; kernel only (US = 0)" in text


def test_walk_4m_page_needs_pse():
    w = paging.walk(memory(TABLES), 0x400000, 0x00801234, pse=True, wp=True)
    assert w.physical == 0x00801234 and w.page_size == 4 << 20 and not w.writable
    assert "read-only, also for the kernel (CR0.WP = 1)" in "\n".join(paging.format_walk(w, ""))
    w = paging.walk(memory(TABLES), 0x400000, 0x00801234, pse=False)
    assert w.notes and "CR4.PSE = 0" in w.notes[0]
    assert w.steps[1].address == 0x00800000 + 4 * 0x001      # PS ignored: a table pointer


def test_walk_not_present():
    w = paging.walk(memory(TABLES), 0x400000, 0x40000000, pse=True)
    assert w.physical is None and w.fault.startswith("PDE not present")
    w = paging.walk(memory(TABLES), 0x400000, 0xC0102000, pse=True)
    assert w.fault.startswith("PTE not present") and len(w.steps) == 2
    assert "=> no translation" in paging.format_walk(w, "")[-1]


def test_walk_ignores_cr3_low_bits():
    w = paging.walk(memory(TABLES), 0x400018, 0xC0101234, pse=True)
    assert w.physical == 0x00101234


# ---- frames ------------------------------------------------------------------

class FakeEnv:
    """A stack in a dict, functions at fixed addresses, and an optional
    struct trapframe layout (that of kernel/arch/i386/trapframe.h)."""

    SYMBOLS = [(0x1000, "_start"), (0x1100, "kmain"), (0x1200, "f"), (0x1300, "g"),
               (0x1400, "alltraps"), (0x1420, "trap_return"), (0x1440, "trap"),
               (0x1500, "end"), (0x1580, "sysenter_entry"), (0x1600, "sysenter_full"),
               (0x1700, "sys_getpid"),
               (0x1800, "end")]
    # a user program's, once its symbols are loaded (lab 4)
    USER_SYMBOLS = [(0x40000000, "_start"), (0x40000020, "main"),
                    (0x40000090, "libc_start"), (0x40000920, "getpid"),
                    (0x40000b40, "STUB"), (0x40000c00, "end")]

    def __init__(self, words, code=None, trapframes=True, user_symbols=False):
        self.words = words
        self.code = code or {}
        self.trapframes = trapframes
        self.symbols = self.SYMBOLS + (self.USER_SYMBOLS if user_symbols else [])

    def read_u32(self, addr):
        if addr not in self.words:
            raise frames.ReadError("unmapped 0x%x" % addr)
        return self.words[addr]

    def read_bytes(self, addr, n):
        return bytes(self.code.get(addr + i, 0x90) for i in range(n))

    def symbol(self, addr):
        best = (None, None)
        for start, name in sorted(self.symbols):
            if start <= addr:
                best = (name, start) if name != "end" else (None, None)
        return best

    def trapframe(self, addr):
        if not self.trapframes:
            raise frames.NoTrapframe("no struct trapframe")
        # gs fs es ds edi esi ebp esp_at_pusha ebx edx ecx eax vector err eip cs eflags
        vals = [self.read_u32(addr + 4 * i) for i in range(17)]
        user = vals[15] & 3 == 3                            # then the CPU pushed esp, ss
        return {"vector": vals[12], "err": vals[13], "eip": vals[14], "ebp": vals[6],
                "cs": vals[15], "esp": self.read_u32(addr + 17 * 4) if user else addr + 17 * 4}


def chain(*frames_):
    """words for frames at given ebp: (ebp, saved_ebp, return_address)."""
    words = {}
    for ebp, saved, ret in frames_:
        words[ebp] = saved
        words[ebp + 4] = ret
    return words


def names(records):
    return [r.name for r in records if isinstance(r, frames.Frame)]


def test_plain_chain_ends_at_zero_frame():
    # g (pc 0x1310) <- f <- kmain <- _start; _start's zero frame at 0x8ff0
    words = chain((0x8000, 0x8020, 0x1234), (0x8020, 0x8040, 0x1150),
                  (0x8040, 0x8ff0, 0x1030))
    words[0x8FF0] = 0
    recs = list(frames.walk(FakeEnv(words), 0x1310, 0x8000, 0x7FF0))
    assert names(recs) == ["g", "f", "kmain", "_start"]
    assert [r.pc for r in recs[1:4]] == [0x1234, 0x1150, 0x1030]
    assert recs[1].label() == "f+0x34"                      # like the kernel's backtrace
    assert isinstance(recs[-1], frames.End) and recs[-1].clean


def test_return_address_named_by_the_call():
    # a noreturn call as the last instruction of f: the return address is
    # the first byte of g, but the frame belongs to f
    words = chain((0x8000, 0x8ff0, 0x1300))
    words[0x8FF0] = 0
    recs = list(frames.walk(FakeEnv(words), 0x1100, 0x8000, 0x7FF0))
    assert names(recs) == ["kmain", "f"]
    assert recs[1].label() == "f+0x100"


def test_stop_at_function_entry_uses_esp():
    # pc at g's first byte (push %ebp): ebp is still f's frame; the return
    # address into f is at [esp]
    words = chain((0x8020, 0x8ff0, 0x1150))
    words[0x8FF0] = 0
    words[0x8000] = 0x1234                                  # [esp]
    code = {0x1300: 0x55, 0x1301: 0x89, 0x1302: 0xE5}
    recs = list(frames.walk(FakeEnv(words, code), 0x1300, 0x8020, 0x8000))
    assert names(recs) == ["g", "f", "kmain"]
    # one instruction later: push %ebp done, return address at [esp + 4]
    words[0x7FFC] = 0x8020
    recs = list(frames.walk(FakeEnv(words, code), 0x1301, 0x8020, 0x7FFC))
    assert names(recs) == ["g", "f", "kmain"]


def test_crosses_a_trap_frame():
    # trap (pc 0x1450) called from alltraps (return address = trap_return);
    # the trapframe sits above the argument: ra_addr + 8.
    tf = 0x8100
    words = chain((0x80F4, 0x9999, 0x1420))                 # trap's frame: saved ebp = user's
    words[0x80FC] = tf                                      # the argument: tf
    regs = [0x10, 0x10, 0x10, 0x10, 0, 0, 0x8200, 0, 0, 0, 0, 0,
            14, 2, 0x1210, 0x08, 0x202]
    for i, v in enumerate(regs):
        words[tf + 4 * i] = v
    words.update(chain((0x8200, 0x8ff0, 0x1150)))           # interrupted f's frame
    words[0x8FF0] = 0
    recs = list(frames.walk(FakeEnv(words), 0x1450, 0x80F4, 0x80F0))
    assert names(recs) == ["trap", "alltraps", "f", "kmain"]
    trap = [r for r in recs if isinstance(r, frames.Trap)][0]
    assert trap.address == tf and trap.note is None
    assert (trap.info["vector"], trap.info["err"], trap.info["eip"]) == (14, 2, 0x1210)
    fault = recs[recs.index(trap) + 1]
    assert fault.exact and fault.label() == "f+0x10"         # the faulting pc itself
    assert recs[-1].clean


def test_trap_without_trapframe_type_stops_cleanly():
    words = chain((0x80F4, 0x9999, 0x1420))
    words[0x80FC] = 0x8100
    recs = list(frames.walk(FakeEnv(words, trapframes=False), 0x1450, 0x80F4, 0x80F0))
    assert isinstance(recs[-1], frames.End) and not recs[-1].clean
    assert "no struct trapframe" in recs[-1].reason


def test_corrupt_chains_stop():
    words = chain((0x8000, 0x7000, 0x1150))                 # saved ebp below: corrupt
    recs = list(frames.walk(FakeEnv(words), 0x1310, 0x8000, 0x7FF0))
    assert not recs[-1].clean and "not above" in recs[-1].reason
    recs = list(frames.walk(FakeEnv({}), 0x1310, 0x8000, 0x7FF0))
    assert not recs[-1].clean and "cannot read" in recs[-1].reason
    recs = list(frames.walk(FakeEnv({}), 0x1310, 0x8002, 0x7FF0))
    assert "aligned" in recs[-1].reason
    loop = {}
    for i in range(200):                                    # a long but valid chain
        loop.update(chain((0x10000 + 16 * i, 0x10000 + 16 * (i + 1), 0x1234)))
    recs = list(frames.walk(FakeEnv(loop), 0x1310, 0x10000, 0xFFF0))
    assert len(recs) == frames.MAX_FRAMES + 1 and not recs[-1].clean


def test_trap_return_set_is_the_hook():
    assert {"trap_return", "alltraps", "sysenter_full"} <= frames.TRAP_RETURN
    assert "sysenter_entry" in frames.FAST_SYSCALL


def user_syscall(stub, user_esp, user_ebp, symbols=True):
    """A system call from user space, stopped in sys_getpid (pc 0x1700),
    called from sysenter_full (return address 0x1632, its frame at
    0x80F4, the trap frame above it at 0x8100, from ring 3). The trap
    frame's eip is 0x40000b62 in the libc stub `stub` (at 0x40000b40),
    just after its trap instruction, with the given esp and ebp. The stub
    was called from getpid (its frame at 0xEF50) <- main (0xEF70) <-
    libc_start (0xEF90, saved ebp 0: crt0's). Returns a FakeEnv."""
    tf = 0x8100
    words = chain((0x80F4, user_ebp, 0x1632))               # saved ebp: the user's
    words[0x80FC] = tf
    regs = [0x23, 0x23, 0x23, 0x23, 0, 0, user_ebp, 0, 0, 0, 0, 20,
            0x80, 1, 0x40000b62, 0x1B, 0x202, user_esp, 0x23]
    for i, v in enumerate(regs):
        words[tf + 4 * i] = v
    words.update(chain((0xEF50, 0xEF70, 0x4000002E), (0xEF70, 0xEF90, 0x400000E5),
                       (0xEF90, 0, 0x40000005)))
    insn = {"syscall_sysenter": b"\x0f\x34", "syscall_int80": b"\xcd\x80"}[stub]
    env = FakeEnv(words, {0x40000b60: insn[0], 0x40000b61: insn[1]}, user_symbols=symbols)
    env.symbols = [(a, stub if n == "STUB" else n) for a, n in env.symbols]
    return env


def test_crosses_into_user_space_through_the_sysenter_stub():
    # at 1: esp = ebp + 4; [esp + 8] = the caller's ebp, [esp + 24] = the return address
    env = user_syscall("syscall_sysenter", 0xEF24, 0xEF20)
    env.words.update({0xEF24: 0xEF50, 0xEF24 + 16: 0x40000950})
    recs = list(frames.walk(env, 0x1700, 0x80F4, 0x80F0))
    assert names(recs) == ["sys_getpid", "sysenter_full", "syscall_sysenter", "getpid",
                           "main", "libc_start"]
    trap = [r for r in recs if isinstance(r, frames.Trap)][0]
    assert (trap.info["vector"], trap.info["cs"], trap.info["esp"]) == (0x80, 0x1B, 0xEF24)
    assert recs[-1].clean, recs[-1].reason                  # libc_start's saved ebp 0
    # not just after a sysenter instruction: no stub rule, ebp is followed
    env.code = {}
    recs = list(frames.walk(env, 0x1700, 0x80F4, 0x80F0))
    assert names(recs)[:3] == ["sys_getpid", "sysenter_full", "syscall_sysenter"]
    assert "main" not in names(recs)


def fast_syscall(symbols=True):
    """sysenter's fast path (no struct trapframe): sys_getpid (pc 0x1700,
    its frame at 0x80F4, saved ebp = the user's 0xEF20) was called by the
    7-byte `call *syscall_table(,%eax,4)` at 0x15A0 in sysenter_entry;
    above the return address the five arguments, nr 20 and the user eip
    0x40000b62 (in the sysenter stub, after its sysenter)."""
    words = chain((0x80F4, 0xEF20, 0x15A7))
    for i, v in enumerate([1, 2, 3, 4, 5, 20, 0x40000b62, 0x23, 0x23]):
        words[0x80FC + 4 * i] = v
    words.update(chain((0xEF50, 0xEF70, 0x4000002E), (0xEF70, 0xEF90, 0x400000E5),
                       (0xEF90, 0, 0x40000005)))
    words.update({0xEF24: 0xEF50, 0xEF24 + 16: 0x40000950})
    code = {0x15A0: 0xFF, 0x15A1: 0x14, 0x15A2: 0x85, 0x40000b60: 0x0F, 0x40000b61: 0x34}
    env = FakeEnv(words, code, trapframes=False, user_symbols=symbols)
    env.symbols = [(a, "syscall_sysenter" if n == "STUB" else n) for a, n in env.symbols]
    return env


def test_crosses_sysenters_fast_frame():
    env = fast_syscall()
    recs = list(frames.walk(env, 0x1700, 0x80F4, 0x80F0))
    assert names(recs) == ["sys_getpid", "sysenter_entry", "syscall_sysenter", "getpid",
                           "main", "libc_start"]
    trap = [r for r in recs if isinstance(r, frames.Trap)][0]
    assert trap.address == 0x80FC
    assert (trap.info["vector"], trap.info["err"], trap.info["nr"]) == (0x80, 1, 20)
    assert (trap.info["eip"], trap.info["esp"], trap.info["cs"]) == (0x40000b62, 0xEF24, 0x1B)
    assert recs[-1].clean, recs[-1].reason
    # stopped at the first instruction of a handler without a frame of its
    # own (GCC makes sys_getpid a frameless leaf): [esp] follows the call
    recs = list(frames.walk(env, 0x1700, 0xEF20, 0x80F8))
    assert names(recs) == ["sys_getpid", "sysenter_entry", "syscall_sysenter", "getpid",
                           "main", "libc_start"]
    # a return address elsewhere in sysenter_entry (not after that call): no fast frame
    env.code = {}
    recs = list(frames.walk(env, 0x1700, 0x80F4, 0x80F0))
    assert not any(isinstance(r, frames.Trap) for r in recs)


def test_crosses_into_user_space_through_the_int80_stub():
    # after int $0x80: three pushes, ebp still the caller's (getpid's frame)
    env = user_syscall("syscall_int80", 0xEF30, 0xEF50)
    env.words[0xEF30 + 12] = 0x40000950
    recs = list(frames.walk(env, 0x1700, 0x80F4, 0x80F0))
    assert names(recs) == ["sys_getpid", "sysenter_full", "syscall_int80", "getpid", "main",
                           "libc_start"]
    assert recs[-1].clean, recs[-1].reason


def test_a_user_thread_that_has_not_run_leaves_through_its_frame():
    # its context returns to user_entry (0x1640 here), with esp at the zero
    # word context_init() left below the frame that fork made
    env = user_syscall("syscall_sysenter", 0xEF24, 0xEF20)
    env.symbols.append((0x1640, "user_entry"))
    env.words.update({0xEF24: 0xEF50, 0xEF24 + 16: 0x40000950, 0x80FC: 0})
    recs = list(frames.walk(env, 0x1640, 0, 0x80FC))
    assert names(recs) == ["user_entry", "syscall_sysenter", "getpid", "main", "libc_start"]
    assert isinstance(recs[1], frames.Trap) and recs[1].address == 0x8100
    recs = list(frames.walk(env, 0x1641, 0, 0x80FC))       # not at its start: no frame there
    assert names(recs) == ["user_entry"] and recs[-1].clean


def test_user_frames_without_symbols_stop_with_a_reason():
    env = user_syscall("syscall_sysenter", 0xEF24, 0xEF20, symbols=False)
    recs = list(frames.walk(env, 0x1700, 0x80F4, 0x80F0))
    assert isinstance(recs[-2], frames.Frame) and recs[-2].pc == 0x40000b62
    assert recs[-2].name is None and isinstance(recs[-3], frames.Trap)
    assert not recs[-1].clean and "usymbols" in recs[-1].reason


def test_saved_context_starts_at_a_return_address():
    # a thread switched out in g: its context's eip is the return address
    # of g's call (0x1310 = the first byte after it), ebp g's frame.
    # exact=False names frame #0 by the call, like the others, and never
    # reads it as a function's first instruction (its prologue state).
    words = chain((0x8000, 0x8020, 0x1234), (0x8020, 0x8ff0, 0x1150))
    words[0x8FF0] = 0
    code = {0x1300: 0x55, 0x1301: 0x89, 0x1302: 0xE5}
    recs = list(frames.walk(FakeEnv(words, code), 0x1300, 0x8000, 0x7FF0, exact=False))
    assert names(recs) == ["f", "f", "kmain"]             # 0x1300 - 1 is in f
    assert not recs[0].exact and recs[0].label() == "f+0x100"
    words[0x7FF0] = 0x1234                                  # [esp]: g's return address
    recs = list(frames.walk(FakeEnv(words, code), 0x1300, 0x8000, 0x7FF0))
    assert names(recs)[:2] == ["g", "f"] and recs[0].exact  # the default: at g's push %ebp


class Rec:
    """A Frame as own_frame() sees it, with its source file."""

    def __init__(self, name, filename):
        self.frame = frames.Frame(0, 0, name, 0, False)
        self.frame.filename = filename


def where(*recs):
    records = [r.frame if isinstance(r, Rec) else r for r in recs]
    frame, trap = frames.own_frame(records, lambda f: f.filename)
    return frame.name if frame else None, trap


def test_own_frame_skips_the_scheduler():
    blocked = [Rec("schedule", "kernel/proc/sched.c"),
               Rec("waitqueue_sleep", "kernel/proc/waitqueue.c"),
               Rec("sem_down", "kernel/sync/semaphore.c"),
               Rec("consumer", "kernel/tests/thread_test.c"),
               Rec("thread_start", "kernel/proc/thread.c"), frames.End("done")]
    assert where(*blocked) == ("consumer", None)
    joined = [Rec("schedule", "kernel/proc/sched.c"),
              Rec("waitqueue_sleep", "kernel/proc/waitqueue.c"),
              Rec("thread_join", "kernel/proc/thread.c"), Rec("kmain", "kernel/main.c")]
    assert where(*joined) == ("thread_join", None)
    assert where(Rec("context_switch", "kernel/arch/i386/switch.S"),
                 Rec("f", None)) == ("f", None)           # no line table: not skipped


def test_own_frame_names_the_interrupt_and_keeps_the_thread_function():
    trap = frames.Trap(0x8100, {"vector": 32})
    preempted = [Rec("schedule", "kernel/proc/sched.c"), Rec("thread_yield", "kernel/proc/sched.c"),
                 Rec("trap", "kernel/arch/i386/trap.c"),
                 Rec("alltraps", "kernel/arch/i386/trapentry.S"), trap,
                 Rec("spin", "kernel/tests/thread_test.c"), Rec("thread_start", "kernel/proc/thread.c")]
    assert where(*preempted) == ("spin", trap)
    idle = [Rec("schedule", "kernel/proc/sched.c"), Rec("thread_yield", "kernel/proc/sched.c"),
            Rec("idle_main", "kernel/proc/sched.c"), Rec("thread_start", "kernel/proc/thread.c")]
    assert where(*idle) == ("idle_main", None)            # thread_start's callee stays
    only = [Rec("schedule", "kernel/proc/sched.c"), Rec("sched_x", "kernel/proc/sched.c")]
    assert where(*only) == ("schedule", None)             # nothing else: the first frame
    assert where(frames.End("x", clean=False)) == (None, None)
    assert frames.is_sched_file("kernel/sync/mutex.c")
    assert not frames.is_sched_file("kernel/synchro.c") and not frames.is_sched_file(None)


# ---- kmsg --------------------------------------------------------------------

def test_ring_not_wrapped():
    buf = b"hello\nworld\n" + b"\0" * 20
    assert kmsg.ring_contents(buf, 12) == (b"hello\nworld\n", 0)
    assert kmsg.ring_contents(buf, 0) == (b"", 0)


def test_ring_wrapped_drops_cut_line():
    size = 16
    log = b"one\ntwo\nthree\nfour\nfive\n"                  # 24 bytes into 16
    buf = bytearray(size)
    for i, c in enumerate(log):
        buf[i % size] = c
    data, lost = kmsg.ring_contents(bytes(buf), len(log))
    assert data == b"four\nfive\n"                          # "ree\n" was cut: dropped
    assert lost == len(log) - len(data)


def test_last_lines():
    text = b"a\nb\nc\n"
    assert kmsg.last_lines(text, 2) == b"b\nc\n"
    assert kmsg.last_lines(text, 10) == text
    assert kmsg.last_lines(text, 0) == b""
    assert kmsg.last_lines(b"a\nb\npartial", 2) == b"b\npartial"


def test_printable():
    assert kmsg.printable(b"a\r\nb\x1b[0m\x00") == "a\nb\\x1b[0m\\x00"


# ---- demo files --------------------------------------------------------------

DEMO = """\
# a comment for maintainers
# title: A demo
# cmdline: selftest=panic
## First step
# Narration one.
#
# expect: eax 0x2badb002
info registers eax
# between the commands
python
print("x")
end
## Second
define foo
  if 1
    echo y
  end
end
# expect-re: ^K> \\w+
"""


def test_parse_demo():
    d = demofile.parse(DEMO, "t.gdb")
    assert d.title == "A demo" and d.cmdline == "selftest=panic"
    assert [s.title for s in d.steps] == ["First step", "Second"]
    s1 = d.steps[0]
    assert s1.items[:2] == ["Narration one.", ""]
    assert [c.text for c in s1.commands] == ["info registers eax", 'python\nprint("x")\nend']
    assert s1.items[3] == "between the commands"
    assert d.steps[1].commands[0].text.count("end") == 2
    assert [(e.text, e.regex, e.line) for e in d.expects] == [
        ("eax 0x2badb002", False, 7), (r"^K> \w+", True, 19)]


def test_parse_demo_initrd():
    assert demofile.parse("# initrd: yes\n## s\n# x\nkmsg\n").initrd is True
    assert demofile.parse("# initrd: no\n## s\n# x\nkmsg\n").initrd is False
    assert demofile.parse(DEMO).initrd is False


def test_parse_demo_smp():
    assert demofile.parse("# smp: 2\n## s\n# x\nkmsg\n").smp == "2"
    assert demofile.parse("# smp: 4,sockets=4\n## s\n# x\nkmsg\n").smp == "4,sockets=4"
    assert demofile.parse(DEMO).smp is None


def test_parse_demo_net():
    assert demofile.parse("# net: yes\n## s\n# x\nkmsg\n").net is True
    assert demofile.parse("# net: no\n## s\n# x\nkmsg\n").net is False
    assert demofile.parse(DEMO).net is False


@pytest.mark.parametrize("text, message", [
    ("# initrd: maybe\n## s\n", "initrd: yes or no"),
    ("# net: user\n## s\n", "net: yes or no"),
    ("# smp: two\n## s\n", "smp: a CPU count"),
    ("info registers\n", "before the first step"),
    ("# title: x\n", "no steps"),
    ("## s\npython\nprint(1)\n", "without 'end'"),
    ("## s\n# expect-re: (\n", "bad regular expression"),
    ("##\n", "needs a title"),
])
def test_parse_errors(text, message):
    with pytest.raises(demofile.DemoError, match=message.replace("(", r"\(")):
        demofile.parse(text)


def test_check_in_order():
    exps = demofile.parse("## s\n# expect: alpha\n# expect-re: ^b.ta$\n# expect: gamma\n").expects
    matched, failures = demofile.check(exps, "x alpha\nbeta\n\x1b[1mgamma\x1b[0m\n")
    assert failures == [] and [j for _, j in matched] == [0, 1, 2]
    _, failures = demofile.check(exps, "gamma\nalpha\nbeta\n")
    assert len(failures) == 1 and "out of order" in failures[0]
    _, failures = demofile.check(exps, "alpha\n")
    assert "not found after output line 1" in failures[0] and "b.ta" in failures[0]


def test_crosses_a_trap_frame_from_ring_3_whose_ebp_was_zeroed():
    # alltraps zeroes the user's ebp before `call trap`, so trap's saved
    # ebp is 0 -- the kernel's own backtrace ends there -- but the walk
    # still crosses the trap frame into the user program.
    tf = 0x8100
    words = chain((0x80F4, 0, 0x1420))                      # trap's frame: saved ebp = 0
    words[0x80FC] = tf
    regs = [0x23, 0x23, 0x23, 0x23, 0, 0, 0x7FFFF000, 0, 0, 0, 0, 20,
            0x80, 0, 0x40000930, 0x1B, 0x202, 0x7FFFEFF0, 0x23]
    for i, v in enumerate(regs):
        words[tf + 4 * i] = v
    words.update(chain((0x7FFFF000, 0x7FFFF100, 0x40000050)))   # getpid's frame <- main
    words[0x7FFFF100] = 0
    recs = list(frames.walk(FakeEnv(words, user_symbols=True), 0x1450, 0x80F4, 0x80F0))
    assert names(recs)[:3] == ["trap", "alltraps", "getpid"], recs
    assert "main" in names(recs)
    trap = [r for r in recs if isinstance(r, frames.Trap)][0]
    assert (trap.info["vector"], trap.info["eip"]) == (0x80, 0x40000930)
