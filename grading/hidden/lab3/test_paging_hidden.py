"""Lab 3, hidden: demand-zero pages and new page tables on recycled frames.

Instructors only (never in a handout). In the public vm.demand_zero case
the frames the fault handler gets have never been written (QEMU's RAM
starts zeroed), so a vm_handle_fault() that maps a frame without clearing
it passes, and so does a pte_walk() that installs a page table without
clearing it; that case also uses one writable region only, so a handler
that ignores the region's flags passes too. This test stops the kernel in
the monitor and, from GDB:

1. takes 32 frames, fills them with 0xA5 and gives them back (frame_free
   makes them the next ones handed out);
2. registers two demand-zero regions in a 4 MiB slot with no page table
   yet (0x3e000000 in lab 3): pages 0-3 writable, pages 4-5 read-only;
3. has the kernel read page 1 (memchr), write 16 bytes into page 2
   (memset) and read page 4 (memchr): three faults the handler resolves;
4. checks the page tables (read directly, as the MMU would), the fault
   and frame counts, and that the pages hold zeros (and the 16 bytes).

Reproduce with:  make qemu-gdb CMDLINE=panic=exit  and  make gdb, then the
commands of the failing test's reproduce line.
"""

import re

import pytest

from tidepool.errors import fail, indent

pytestmark = pytest.mark.lab(3)

# A 4 MiB slot of the kernel's stack and demand-zero area (0x38000000-0x3fffffff)
# without a page table: the first from 0x3e000000 down (lab 3 uses none of
# them; the in-kernel cases use 0x3f800000).
FIRST_SLOT, LAST_SLOT = 0x3E000000 >> 22, 0x38000000 >> 22
RW_PAGES, RO_PAGES = 4, 2    # writable pages 0-3, read-only pages 4-5
READ, WRITE, READ_RO = 1, 2, 4
WRITE_AT, WRITE_LEN, WRITE_BYTE = 0x10, 16, 0x77
DIRTY_FRAMES, DIRTY_BYTE = 32, 0xA5
PTE_P, PTE_W, PTE_U = 0x1, 0x2, 0x4

SCRIPT = f"""
set print elements 0
break monitor_main
continue
set $pdx = {FIRST_SLOT}
while $pdx > {LAST_SLOT} && (kernel_as.pd[$pdx] & 1)
  set $pdx = $pdx - 1
end
set $base = (unsigned)$pdx << 22
printf "@@pd=%#x %#x %#x\\n", (unsigned)kernel_as.pd, $base, (unsigned)kernel_as.pd[$pdx]
set $chain = 0
set $i = 0
while $i < {DIRTY_FRAMES}
  set $f = (unsigned)frame_alloc()
  if $f == 0
    loop_break
  end
  call (void)memset((void *)$f, {DIRTY_BYTE:#x}, 4096)
  set var *(unsigned *)$f = $chain
  set $chain = $f
  set $i = $i + 1
end
printf "@@dirty=%d\\n", $i
while $chain != 0
  set $next = *(unsigned *)$chain
  call (void)frame_free($chain)
  set $chain = $next
end
set $faults = demand_zero_faults
set $free = (unsigned)pmm_free_frames()
set $rw = (int)vm_demand_zero(&kernel_as, $base, {RW_PAGES * 4096:#x}, {PTE_W})
set $ro = (int)vm_demand_zero(&kernel_as, $base + {RW_PAGES * 4096:#x}, {RO_PAGES * 4096:#x}, 0)
printf "@@regions=%d %d\\n", $rw, $ro
printf "@@touch.read=%#x\\n", (unsigned)memchr((void *)($base + {READ * 4096:#x}), 0x5a, 4096)
call (void)memset((void *)($base + {WRITE * 4096 + WRITE_AT:#x}), {WRITE_BYTE:#x}, {WRITE_LEN})
printf "@@touch.write=1\\n"
printf "@@touch.read_ro=%#x\\n", (unsigned)memchr((void *)($base + {READ_RO * 4096:#x}), 0x5a, 4096)
printf "@@faults=%u\\n", demand_zero_faults - $faults
printf "@@frames=%d\\n", (int)($free - (unsigned)pmm_free_frames())
set $pde = (unsigned)kernel_as.pd[$pdx]
printf "@@pde=%#x\\n", $pde
set $i = 0
while ($pde & 1) && $i < {RW_PAGES + RO_PAGES}
  printf "@@pte.%d=%#x\\n", $i, ((unsigned *)($pde & ~0xfff))[$i]
  set $i = $i + 1
end
printf "@@page.{READ}="
output/x *(unsigned char (*)[4096])($base + {READ * 4096:#x})
printf "\\n@@page.{WRITE}="
output/x *(unsigned char (*)[4096])($base + {WRITE * 4096:#x})
printf "\\n@@page.{READ_RO}="
output/x *(unsigned char (*)[4096])($base + {READ_RO * 4096:#x})
printf "\\n"
"""


def _bytes(text):
    """GDB's /x rendering of an array, '{{0x0 <repeats 16 times>, 0x77, ...}}', as a list."""
    text = text.strip()
    if not (text.startswith("{") and text.endswith("}")):
        return None
    out = []
    for item in text[1:-1].split(","):
        m = re.fullmatch(r"\s*(0x[0-9a-f]+)(?: <repeats (\d+) times>)?\s*", item)
        if m is None:
            return None
        out += [int(m.group(1), 16)] * int(m.group(2) or 1)
    return out


def _describe(data, want):
    wrong = [i for i, (b, w) in enumerate(zip(data, want)) if b != w]
    first = wrong[0]
    sample = " ".join(f"{b:02x}" for b in data[first:first + 16])
    return (f"{len(wrong)} of its 4096 bytes are wrong, the first at offset 0x{first:03x} "
            f"(bytes there: {sample}; expected {want[first]:02x})")


@pytest.mark.points(3)
def test_demand_zero_on_recycled_frames(gdb):
    """Demand-zero pages read zero and keep their region's flags even on frames that held data"""
    g = gdb(SCRIPT, cmdline="panic=exit")
    g.expect(r"^Breakpoint 1, (0x[0-9a-fA-F]+ in )?monitor_main ",
             "a stop at the breakpoint in monitor_main (kmain must reach the monitor)")
    pd, base, pde0 = (int(x, 16) for x in g.marker("pd", "kernel_as.pd").split())
    if pd == 0:
        fail("in the monitor, kernel_as.pd is 0: paging is off (memory_init() in "
             "kernel/main.c stops when frames_reserve() or pte_walk() do not work yet; "
             "see the 'pmm:' and 'paging:' lines at boot); " + g.report(5))
    if pde0 & PTE_P:
        fail(f"every 4 MiB slot from 0x{LAST_SLOT << 22:08x} to 0x{FIRST_SLOT << 22:08x} "
             f"already has a page table; the test needs one that has none")
    dirty = int(g.marker("dirty", "how many frames GDB filled with 0xA5"))
    if dirty != DIRTY_FRAMES:
        fail(f"frame_alloc() returned 0 after {dirty} frames in the monitor; expected "
             f"{DIRTY_FRAMES} of the thousands free")
    if g.marker("regions", "the results of vm_demand_zero()") != "0 0":
        fail("vm_demand_zero() failed for two new regions: " + g.marker("regions"))
    steps = [("touch.read", f"a read of page 0x{base + READ * 4096:08x} (writable region)"),
             ("touch.write", f"a write to page 0x{base + WRITE * 4096:08x} (writable region)"),
             ("touch.read_ro", f"a read of page 0x{base + READ_RO * 4096:08x} "
                               f"(read-only region)")]
    for key, what in steps:
        if key not in g.markers:
            fail(f"{what} from kernel code (called from GDB) did not return: the page "
                 f"fault in a demand-zero region must be resolved by vm_handle_fault() "
                 f"mapping a fresh zeroed frame there (a new page table for the 4 MiB "
                 f"slot must start empty: pte_walk() clears the frame it installs); "
                 + g.report(8))
    faults = int(g.marker("faults", "demand_zero_faults"))
    frames = int(g.marker("frames", "frames taken"))
    if faults != 3:
        fail(f"three first touches of three demand-zero pages must count three faults in "
             f"demand_zero_faults, but it went up by {faults}")
    if frames != 4:
        fail(f"three demand-zero pages in an empty 4 MiB slot take four frames (three "
             f"pages and one page table), but pmm_free_frames() went down by {frames}")

    pde = int(g.marker("pde", "the page-directory entry"), 16)
    ptes = [int(g.marker(f"pte.{i}", f"page-table entry {i}"), 16)
            for i in range(RW_PAGES + RO_PAGES)]
    table = indent(f"0x{base + i * 4096:08x}: PTE 0x{p:08x}" for i, p in enumerate(ptes))
    if pde & PTE_U:
        fail(f"the page-directory entry for kernel address 0x{base:08x} has the U bit "
             f"(0x{pde:08x}); only user addresses (0x40000000 and up) get it")
    for i, pte in enumerate(ptes):
        touched = i in (READ, WRITE, READ_RO)
        va = base + i * 4096
        if not touched and pte & PTE_P:
            fail(f"page 0x{va:08x} was never touched but its PTE is present; only the "
                 f"faulting page is mapped (a new page table must start zeroed); "
                 f"the entries:\n{table}")
        if touched and not pte & PTE_P:
            fail(f"page 0x{va:08x} was touched but its PTE is not present; the entries:\n"
                 f"{table}")
        if not touched:
            continue
        want_w = i < RW_PAGES
        if bool(pte & PTE_W) != want_w or pte & PTE_U:
            fail(f"page 0x{va:08x} belongs to a {'writable' if want_w else 'read-only'} "
                 f"kernel region (flags {'PTE_W' if want_w else '0'}), but its PTE is "
                 f"0x{pte:08x}: map a demand-zero page with its region's flags; "
                 f"the entries:\n{table}")

    for page, write in ((READ, False), (WRITE, True), (READ_RO, False)):
        va = base + page * 4096
        data = _bytes(g.marker(f"page.{page}", f"the contents of page 0x{va:08x}"))
        if data is None or len(data) != 4096:
            fail(f"could not read page 0x{va:08x} from GDB; " + g.report(8))
        want = [0] * 4096
        if write:
            want[WRITE_AT:WRITE_AT + WRITE_LEN] = [WRITE_BYTE] * WRITE_LEN
        if data != want:
            what = (f"the kernel wrote {WRITE_LEN} bytes of 0x{WRITE_BYTE:02x} at offset "
                    f"0x{WRITE_AT:x} and nothing else" if write else "the kernel only read it")
            fail(f"demand-zero page 0x{va:08x} (frame 0x{ptes[page] & ~0xfff:08x}) must "
                 f"read as zeros on first touch ({what}), but {_describe(data, want)}; "
                 f"frames come back from frame_free() with their old contents "
                 f"(here 0x{DIRTY_BYTE:02x}): clear the frame before mapping it")
