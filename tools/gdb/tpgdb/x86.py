"""Decoding i386 descriptors, gates and page-table entries (pure: no gdb).

References: Intel SDM vol. 3A, 3.4.5 (segment descriptors, figure 3-8),
3.5 (system descriptor types, table 3-2), 6.11 (IDT gates, figure 6-2),
4.3 (32-bit paging, tables 4-4 to 4-6).
"""
import struct

# ---- segment descriptors -------------------------------------------------

# System descriptor types (S = 0), 32-bit mode (SDM 3A table 3-2).
SYSTEM_TYPES = {
    0x1: "TSS16 available",
    0x2: "LDT",
    0x3: "TSS16 busy",
    0x4: "call gate 16-bit",
    0x5: "task gate",
    0x6: "interrupt gate 16-bit",
    0x7: "trap gate 16-bit",
    0x9: "TSS32 available",
    0xB: "TSS32 busy",
    0xC: "call gate 32-bit",
    0xE: "interrupt gate 32-bit",
    0xF: "trap gate 32-bit",
}


class Segment:
    """One 8-byte GDT/LDT descriptor, decoded."""

    def __init__(self, raw):
        self.raw = raw
        self.limit_raw = (raw & 0xFFFF) | (((raw >> 48) & 0xF) << 16)
        self.base = ((raw >> 16) & 0xFFFFFF) | (((raw >> 56) & 0xFF) << 24)
        self.access = (raw >> 40) & 0xFF
        self.flags = (raw >> 52) & 0xF
        self.present = bool(self.access & 0x80)
        self.dpl = (self.access >> 5) & 3
        self.system = not (self.access & 0x10)      # S = 0
        self.type = self.access & 0xF
        self.granularity_4k = bool(self.flags & 0x8)
        self.default_32 = bool(self.flags & 0x4)
        self.long_mode = bool(self.flags & 0x2)
        # The limit in bytes: with G = 1 it counts 4 KiB pages.
        if self.granularity_4k:
            self.limit = (self.limit_raw << 12) | 0xFFF
        else:
            self.limit = self.limit_raw

    @property
    def is_null(self):
        return self.raw == 0

    @property
    def is_code(self):
        return not self.system and bool(self.type & 0x8)

    def kind(self):
        """A short type word: code, data, TSS32, LDT, ... or 'null'."""
        if self.is_null:
            return "null"
        if self.system:
            name = SYSTEM_TYPES.get(self.type)
            if name is None:
                return "reserved"
            return name.split()[0]
        return "code" if self.is_code else "data"

    def describe(self):
        """Human words for the type: 'code 32-bit execute/read, accessed'."""
        if self.is_null:
            return "null descriptor"
        if self.system:
            name = SYSTEM_TYPES.get(self.type)
            if name is None:
                return "reserved system type %#x" % self.type
            return name
        if self.long_mode:
            bits = "64-bit"
        else:
            bits = "32-bit" if self.default_32 else "16-bit"
        words = []
        if self.is_code:
            words.append("execute/read" if self.type & 0x2 else "execute-only")
            if self.type & 0x4:
                words.append("conforming")
        else:
            words.append("read/write" if self.type & 0x2 else "read-only")
            if self.type & 0x4:
                words.append("expand-down")
        if self.type & 0x1:
            words.append("accessed")
        return "%s %s %s" % (self.kind(), bits, ", ".join(words))


def split_entries(data):
    """8-byte little-endian entries of a descriptor table, as integers."""
    n = len(data) // 8
    return list(struct.unpack("<%dQ" % n, bytes(data[:n * 8])))


def table_entries(limit):
    """How many whole 8-byte entries a table with this limit holds."""
    return (limit + 1) // 8


# ---- IDT gates -------------------------------------------------------------

EXCEPTIONS = {
    0: ("#DE", "divide error"),
    1: ("#DB", "debug"),
    2: ("NMI", "non-maskable interrupt"),
    3: ("#BP", "breakpoint"),
    4: ("#OF", "overflow"),
    5: ("#BR", "bound range exceeded"),
    6: ("#UD", "invalid opcode"),
    7: ("#NM", "device not available"),
    8: ("#DF", "double fault"),
    9: ("-", "coprocessor segment overrun"),
    10: ("#TS", "invalid TSS"),
    11: ("#NP", "segment not present"),
    12: ("#SS", "stack-segment fault"),
    13: ("#GP", "general protection"),
    14: ("#PF", "page fault"),
    15: ("-", "reserved"),
    16: ("#MF", "x87 floating-point error"),
    17: ("#AC", "alignment check"),
    18: ("#MC", "machine check"),
    19: ("#XM", "SIMD floating-point"),
    20: ("#VE", "virtualization"),
    21: ("#CP", "control protection"),
}

# Tidepool remaps the two 8259 PICs to vectors 32..47 (lab 2, pic.c).
IRQ_BASE = 32

# Lab 5's local APIC vectors, above the ISA IRQs (kernel/arch/i386/idt.h):
# short name for the table, words for `idt N`. Vectors 52..62 have a stub
# (IDT_STUBS = 64) but no use yet. A kernel before lab 5 has no gate here.
LAPIC_VECTORS = {
    48: ("timer", "LAPIC timer, each CPU's preemption tick (lab 5)"),
    49: ("resched", "IPI: reschedule (lab 5, smp_send_resched)"),
    50: ("tlb", "IPI: TLB shootdown (lab 5, tlb_shootdown)"),
    51: ("call", "IPI: run a function (lab 5, smp_call)"),
    63: ("spurious", "LAPIC spurious interrupt (lab 5)"),
}
LAPIC_STUBS_END = 64

# The system call's software interrupt, `int $0x80` (lab 4, syscall_arch.c;
# sysenter.S builds its trap frames with this vector too).
T_SYSCALL = 0x80


def vector_name(vector):
    """'#PF', 'irq 1', or '' for a vector with no fixed meaning."""
    if vector in EXCEPTIONS:
        return EXCEPTIONS[vector][0]
    if vector < 32:
        return "-"
    if IRQ_BASE <= vector < IRQ_BASE + 16:
        return "irq %d" % (vector - IRQ_BASE)
    if vector in LAPIC_VECTORS:
        return LAPIC_VECTORS[vector][0]
    if vector < LAPIC_STUBS_END:
        return "-"
    if vector == T_SYSCALL:
        return "syscall"
    return ""


def vector_description(vector):
    if vector in EXCEPTIONS:
        short, long = EXCEPTIONS[vector]
        return long if short == "-" else "%s %s" % (short, long)
    if vector < 32:
        return "reserved exception"
    if IRQ_BASE <= vector < IRQ_BASE + 16:
        return "irq %d" % (vector - IRQ_BASE)
    if vector in LAPIC_VECTORS:
        return LAPIC_VECTORS[vector][1]
    if IRQ_BASE + 16 <= vector < LAPIC_STUBS_END:
        return "unused (lab 5 gives it a stub; nothing sends it)"
    if vector == T_SYSCALL:
        return "system call"
    return "software interrupt"


def ranges(numbers):
    """'48-255' style, from sorted integers."""
    parts, start, prev = [], None, None
    for n in numbers:
        if start is None:
            start = prev = n
        elif n == prev + 1:
            prev = n
        else:
            parts.append("%d" % start if start == prev else "%d-%d" % (start, prev))
            start = prev = n
    if start is not None:
        parts.append("%d" % start if start == prev else "%d-%d" % (start, prev))
    return ", ".join(parts)


GATE_TYPES = {
    0x5: "task",
    0x6: "interrupt16",
    0x7: "trap16",
    0xE: "interrupt32",
    0xF: "trap32",
}


class Gate:
    """One 8-byte IDT entry, decoded."""

    def __init__(self, raw):
        self.raw = raw
        self.offset = (raw & 0xFFFF) | (((raw >> 48) & 0xFFFF) << 16)
        self.selector = (raw >> 16) & 0xFFFF
        self.attr = (raw >> 40) & 0xFF
        self.present = bool(self.attr & 0x80)
        self.dpl = (self.attr >> 5) & 3
        self.type = self.attr & 0xF
        self.s_bit = bool(self.attr & 0x10)     # must be 0 for a gate

    @property
    def is_task(self):
        return self.type == 0x5

    def type_name(self):
        if self.s_bit:
            return "bad(S=1)"
        return GATE_TYPES.get(self.type, "bad(type %#x)" % self.type)


# ---- page-table entries ------------------------------------------------------

# Bits of a 32-bit PDE/PTE (SDM 3A tables 4-4 .. 4-6).
PG_P, PG_RW, PG_US, PG_PWT, PG_PCD, PG_A, PG_D, PG_PS, PG_G = (
    0x001, 0x002, 0x004, 0x008, 0x010, 0x020, 0x040, 0x080, 0x100)

CR0_PE, CR0_WP, CR0_PG = 0x00000001, 0x00010000, 0x80000000
CR4_PSE, CR4_PAE = 0x00000010, 0x00000020


def entry_flags(value, level):
    """The flag names set in a PDE ('pde') or PTE ('pte'), in bit order.
    In a PDE, bit 7 is PS (a 4 MiB page, honoured only with CR4.PSE) and
    bit 6 (D) and bit 8 (G) mean something only when PS is set; in a PTE,
    bit 7 is PAT."""
    names = []
    for bit, name in ((PG_P, "P"), (PG_RW, "RW"), (PG_US, "US"), (PG_PWT, "PWT"),
                      (PG_PCD, "PCD"), (PG_A, "A"), (PG_D, "D")):
        if value & bit:
            names.append(name)
    if value & PG_PS:
        names.append("PS" if level == "pde" else "PAT")
    if value & PG_G:
        names.append("G")
    avl = (value >> 9) & 7
    if avl:
        names.append("AVL=%d" % avl)
    return names
