"""Lab 3, hidden: the frame allocator's books, beyond what the public tests see.

Instructors only (never in a handout). The public tests boot with 128 MiB
and no modules, and the monitor test only wants "thousands" of free frames,
so a frames_reserve() that keeps the counts wrong in a way that
pmm.no_reserved_frame cannot see (nmanaged not decremented: 'used' counts
the reserved frames) passes them, and so does a pmm that forgets the
modules or the loader's data. These tests

* boot with -m 33 and -m 512 and compare the monitor's 'frames: N free,
  M used' with what the memory map allows: every whole frame of usable RAM
  from 1 MiB up to PMM_LIMIT, less the kernel image and the loader's data;
  the page tables of the direct map must be among the used frames, and the
  last page of RAM must be direct-mapped;
* boot with three Multiboot modules (-initrd) whose last frames are only
  partly filled and stop in the monitor (GDB): every frame holding a byte
  of a module or of the loader's data (command line, module names) must be
  reserved, and the modules must still hold the files' bytes. The kernel
  takes its page directory and page tables from the lowest free frames,
  which are right after the kernel image, where QEMU puts those: a frame
  that is not reserved is overwritten at boot, long before the in-kernel
  pmm.no_reserved_frame case could see it handed out.

Reproduce with the line a failure prints: a qemu-system-i386 command (then
type 'mem' and 'pt ADDR'), or a GDB script for the module test.
"""

import re

import pytest

from tidepool import elf
from tidepool.errors import fail, indent

pytestmark = pytest.mark.lab(3)

PAGE = 4096
PMM_LIMIT = 0x30000000          # kernel/mm/pmm.h: frames above are never managed
KERNEL_DIRECT_END = 0x30000000  # kernel/arch/i386/paging.h
FIRST_MIB = 0x100000
# QEMU's Multiboot loader puts the command line (and module names) in one
# frame right after the kernel image; allow a few for other loaders.
LOADER_FRAMES_MAX = 4

MEM_REGION = r"^\s+\[mem 0x([0-9a-fA-F]+)-0x([0-9a-fA-F]+)\] type (\d+)\s*$"
FRAMES = r"frames: (\d+) free, (\d+) used"


def _kernel_frames(kernel):
    syms = elf.read_symbols(str(kernel))
    try:
        start, end = syms["__kernel_start"].value, syms["__kernel_end"].value
    except KeyError as exc:
        fail(f"the kernel image {kernel} has no symbol {exc.args[0]} (kernel/kernel.ld "
             f"defines __kernel_start and __kernel_end)")
    return set(range(start // PAGE, (end + PAGE - 1) // PAGE))


def _usable_frames(regions):
    """Whole frames of type-1 RAM at or above 1 MiB and below PMM_LIMIT."""
    frames = set()
    for base, last, kind in regions:
        if kind != 1:
            continue
        first = max((base + PAGE - 1) // PAGE, FIRST_MIB // PAGE)
        end = min((last + 1) // PAGE, PMM_LIMIT // PAGE)
        frames.update(range(first, end))
    return frames


@pytest.mark.parametrize("megs", [pytest.param(33, marks=pytest.mark.points(1), id="33M"),
                                  pytest.param(512, marks=pytest.mark.points(1), id="512M")])
def test_frame_counts_match_memory_map(console, kernel, megs):
    """'mem' at -m 33 and -m 512: free + used frames = usable RAM less what is reserved"""
    c = console(memory=megs)
    c.expect_prompt()
    boot_text = c.console
    out = c.command("mem")
    shown = "; 'mem' printed:\n" + indent(out.rstrip("\n").split("\n"))
    regions = [(int(m.group(1), 16), int(m.group(2), 16), int(m.group(3)))
               for m in re.finditer(MEM_REGION, out, re.M)]
    if not any(kind == 1 for _, _, kind in regions):
        fail(f"booted with -m {megs}; expected 'mem' to list the memory map with "
             f"'  [mem 0xSTART-0xEND] type 1' lines for usable RAM" + shown)
    m = re.search(FRAMES, out)
    if m is None:
        fail("expected a line 'frames: N free, M used (4 KiB each)' from 'mem'" + shown)
    free, used = int(m.group(1)), int(m.group(2))

    kernel_frames = _kernel_frames(kernel)
    usable = _usable_frames(regions)
    expected = len(usable - kernel_frames)
    total = free + used
    if not expected - LOADER_FRAMES_MAX <= total <= expected:
        fail(f"booted with -m {megs}: the memory map has {len(usable)} whole frames of "
             f"usable RAM between 1 MiB and {PMM_LIMIT >> 20} MiB, {len(usable & kernel_frames)} "
             f"of them hold the kernel image, so the allocator manages {expected} frames "
             f"(less up to {LOADER_FRAMES_MAX} of the loader's data); but 'mem' says "
             f"{free} free + {used} used = {total}. frames_reserve() must take a reserved "
             f"frame out of both counts, nmanaged and nfree (used = nmanaged - nfree), and "
             f"only once, however often it is reserved" + shown)

    # The direct map's page tables (and the page directory) come from the allocator.
    ram_end = max(last + 1 for _, last, kind in regions if kind == 1)
    ram_end = min(ram_end, KERNEL_DIRECT_END)
    tables = (ram_end + (4 << 20) - 1) // (4 << 20)
    if used < 1 + tables:
        fail(f"booted with -m {megs}: RAM up to 0x{ram_end:08x} is direct-mapped, which "
             f"takes a page directory and {tables} page tables, one frame each from the "
             f"allocator; but 'mem' says only {used} frames are used" + shown)

    pm = re.search(r"^pmm: (\d+) frames free", boot_text, re.M)
    if pm is not None and int(pm.group(1)) != total:
        fail(f"at boot the kernel printed {pm.group(0)!r} (before anything was allocated), "
             f"but later 'mem' says {free} free + {used} used = {total}: allocating and "
             f"freeing must not change the number of managed frames" + shown)

    last_page = (ram_end - 1) & ~(PAGE - 1)
    out = c.command(f"pt {last_page:08x}")
    if not re.search(rf"0x{last_page:08x} -> 0x{last_page:08x} \S+ kernel", out):
        fail(f"booted with -m {megs}: the last page of RAM, 0x{last_page:08x}, must be "
             f"direct-mapped (virtual == physical, kernel-only) like the rest; "
             f"'pt {last_page:08x}' printed:\n" + indent(out.rstrip("\n").split("\n")))


# name, size: a 1-byte module, one of exactly one frame, one a byte over three.
MODULES = (("mod-a.bin", 1), ("mod-b.bin", PAGE), ("mod-c.bin", 3 * PAGE + 1))


def _module_bytes(i, size):
    return bytes((0x41 + 7 * i + j) & 0xFF for j in range(size))


def _frames_script():
    lines = ["set print elements 0", "break monitor_main", "continue",
             'printf "@@counts=%d %d\\n", boot_info.nmodules, boot_info.nloader_ranges']
    # For every module and every range of loader data: its bounds and how many
    # of the frames it touches pmm_is_reserved() says are managed (handed out or free).
    for kind, array, count, limit in (("module", "boot_info.modules", "boot_info.nmodules", 16),
                                      ("loader", "boot_info.loader_ranges",
                                       "boot_info.nloader_ranges", 64)):
        lines += [
            "set $i = 0",
            f"while $i < {count} && $i < {limit}",
            f"  set $s = (unsigned){array}[$i].start",
            f"  set $e = (unsigned){array}[$i].end",
            "  set $bad = 0",
            "  set $f = $s & ~0xfff",
            "  while $f < $e",
            "    if !pmm_is_reserved($f)",
            "      set $bad = $bad + 1",
            "    end",
            "    set $f = $f + 4096",
            "  end",
            f'  printf "@@{kind}.%d=%#x %#x %d\\n", $i, $s, $e, $bad',
            "  set $i = $i + 1",
            "end",
        ]
    for i, (_, size) in enumerate(MODULES):
        lines += [f'printf "@@bytes.{i}="',
                  f"output/x *(unsigned char (*)[{size}])boot_info.modules[{i}].start",
                  'printf "\\n"']
    return "\n".join(lines) + "\n"


def _parse_bytes(text):
    """GDB's /x rendering of a byte array ('{0x41, 0x0 <repeats 16 times>}') as bytes."""
    text = text.strip()
    if not (text.startswith("{") and text.endswith("}")):
        return None
    out = bytearray()
    for item in text[1:-1].split(","):
        m = re.fullmatch(r"\s*(0x[0-9a-f]+)(?: <repeats (\d+) times>)?\s*", item)
        if m is None:
            return None
        out += bytes([int(m.group(1), 16)]) * int(m.group(2) or 1)
    return bytes(out)


@pytest.mark.points(2)
def test_module_and_loader_frames_reserved(gdb, tmp_path):
    """Three Multiboot modules: their frames and the loader's are reserved, their bytes intact"""
    paths = []
    for i, (name, size) in enumerate(MODULES):
        p = tmp_path / name
        p.write_bytes(_module_bytes(i, size))
        paths.append(str(p))
    g = gdb(_frames_script(), initrd=paths)
    g.expect(r"^Breakpoint 1, (0x[0-9a-fA-F]+ in )?monitor_main ",
             "a stop at the breakpoint in monitor_main (kmain must reach the monitor)")
    nmodules, nloader = (int(x) for x in g.marker("counts", "boot_info.nmodules").split())
    if nmodules != len(MODULES):
        fail(f"booted with {len(MODULES)} modules (-initrd {','.join(paths)}), but "
             f"boot_info.nmodules is {nmodules}; " + g.report(5))
    ranges = []
    for kind, n in (("module", nmodules), ("loader", nloader)):
        for i in range(n):
            s, e, bad = g.marker(f"{kind}.{i}", f"{kind} range {i}").split()
            ranges.append((kind, i, int(s, 16), int(e, 16), int(bad)))
    shown = indent(f"{'module' if k == 'module' else 'loader data'} {i}: "
                   f"0x{s:08x}-0x{e:08x}, {bad} of its frames managed"
                   for k, i, s, e, bad in ranges)
    wrong = [r for r in ranges if r[4]]
    if wrong:
        k, i, s, e, bad = wrong[0]
        what = f"module {i}" if k == "module" else f"the boot loader's data (range {i})"
        fail(f"in the monitor, {bad} frame(s) holding {what} at 0x{s:08x}-0x{e:08x} "
             f"(END exclusive) are managed by the allocator (pmm_is_reserved() is false), "
             f"so they can be or were handed out; every frame that holds even one byte of "
             f"a module or of the loader's data must be reserved (frames_reserve(), taking "
             f"the frames out of 'managed'). All ranges:\n{shown}")
    for i, (name, size) in enumerate(MODULES):
        got = _parse_bytes(g.marker(f"bytes.{i}", f"the bytes of module {i}"))
        want = _module_bytes(i, size)
        if got != want:
            s = next(r[2] for r in ranges if r[0] == "module" and r[1] == i)
            if got is None or len(got) != size:
                diff = "could not parse GDB's dump"
            else:
                first = next(j for j in range(size) if got[j] != want[j])
                diff = f"the first wrong byte is at offset {first:#x}"
            fail(f"module {i} ({name}, {size} bytes at 0x{s:08x}) no longer holds the file's "
                 f"bytes when the kernel reaches the monitor ({diff}): its frames were handed "
                 f"out and overwritten (page tables?). All ranges:\n{shown}")
