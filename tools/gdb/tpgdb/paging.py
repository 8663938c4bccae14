"""The i386 two-level page walk (pure: no gdb).

32-bit paging without PAE (Intel SDM vol. 3A, 4.3): CR3 holds the
physical address of a 4 KiB page directory of 1024 PDEs; bits 31..22 of a
linear address pick the PDE, bits 21..12 the PTE in the page table the
PDE names, bits 11..0 the byte in the page. With CR4.PSE = 1 a PDE with
PS (bit 7) set maps a 4 MiB page directly; bits 21..0 are then the offset.
"""
from .x86 import PG_P, PG_PS, PG_RW, PG_US, entry_flags


class Step:
    """One entry read during the walk."""

    def __init__(self, level, index, address, value):
        self.level = level          # 'pde' or 'pte'
        self.index = index
        self.address = address      # physical address of the entry
        self.value = value

    @property
    def present(self):
        return bool(self.value & PG_P)

    def flags(self):
        return entry_flags(self.value, self.level)


class Walk:
    """The result: the steps, and either a physical address or a fault."""

    def __init__(self, vaddr, cr3, pse, wp):
        self.vaddr = vaddr
        self.cr3 = cr3
        self.pse = pse
        self.wp = wp                # CR0.WP, or None when unknown
        self.steps = []
        self.physical = None
        self.page_size = None
        self.page_base = None
        self.fault = None           # why there is no translation
        self.notes = []

    @property
    def writable(self):
        return all(s.value & PG_RW for s in self.steps)

    @property
    def user(self):
        return all(s.value & PG_US for s in self.steps)


def split(vaddr):
    """(directory index, table index, offset) of a linear address."""
    return (vaddr >> 22) & 0x3FF, (vaddr >> 12) & 0x3FF, vaddr & 0xFFF


def walk(read_phys_u32, cr3, vaddr, pse, wp=None):
    """Walk the tables for vaddr. read_phys_u32(paddr) -> int reads one
    32-bit word of physical memory (it may raise; the caller reports it).
    pse: CR4.PSE; wp: CR0.WP (only used to explain read-only pages)."""
    vaddr &= 0xFFFFFFFF
    w = Walk(vaddr, cr3, pse, wp)
    pdi, pti, _ = split(vaddr)
    pd_base = cr3 & 0xFFFFF000
    pde_addr = pd_base + 4 * pdi
    pde = Step("pde", pdi, pde_addr, read_phys_u32(pde_addr))
    w.steps.append(pde)
    if not pde.present:
        w.fault = "PDE not present (P=0): an access faults (#PF)"
        return w
    if pde.value & PG_PS:
        if pse:
            w.page_size = 4 << 20
            w.page_base = pde.value & 0xFFC00000
            w.physical = w.page_base | (vaddr & 0x3FFFFF)
            return w
        w.notes.append("PDE has PS set, but CR4.PSE = 0: the CPU ignores PS "
                       "and reads the entry as a page-table pointer")
    pt_base = pde.value & 0xFFFFF000
    pte_addr = pt_base + 4 * pti
    pte = Step("pte", pti, pte_addr, read_phys_u32(pte_addr))
    w.steps.append(pte)
    if not pte.present:
        w.fault = "PTE not present (P=0): an access faults (#PF)"
        return w
    w.page_size = 4 << 10
    w.page_base = pte.value & 0xFFFFF000
    w.physical = w.page_base | (vaddr & 0xFFF)
    return w


def format_walk(w, header):
    """The lines pagewalk prints."""
    pdi, pti, off = split(w.vaddr)
    lines = [header]
    lines.append("  linear 0x%08x = directory index %#05x (bits 31..22), table index "
                 "%#05x (bits 21..12), offset %#05x" % (w.vaddr, pdi, pti, off))
    lines.append("  CR3   0x%08x  page directory at 0x%08x" % (w.cr3, w.cr3 & 0xFFFFF000))
    for s in w.steps:
        name = "PDE" if s.level == "pde" else "PTE"
        flags = " ".join(s.flags()) or "-"
        if not s.present:
            target = "not present"
        elif s.level == "pde" and s.value & PG_PS and w.pse:
            target = "-> 4 MiB page at 0x%08x" % (s.value & 0xFFC00000)
        elif s.level == "pde":
            target = "-> page table at 0x%08x" % (s.value & 0xFFFFF000)
        else:
            target = "-> 4 KiB page at 0x%08x" % (s.value & 0xFFFFF000)
        lines.append("  %s [%#05x] at 0x%08x = 0x%08x  %-18s %s"
                     % (name, s.index, s.address, s.value, flags, target))
    for note in w.notes:
        lines.append("  note: " + note)
    if w.fault:
        lines.append("  => no translation: " + w.fault)
    else:
        size = "4 MiB" if w.page_size == 4 << 20 else "4 KiB"
        if w.writable:
            access = "writable"
        elif w.wp is None:
            access = "read-only"
        elif w.wp:
            access = "read-only, also for the kernel (CR0.WP = 1)"
        else:
            access = "read-only for user mode, the kernel may write (CR0.WP = 0)"
        lines.append("  => physical 0x%08x: %s page; %s; %s"
                     % (w.physical, size, access,
                        "user and kernel (US = 1)" if w.user else "kernel only (US = 0)"))
    return lines
