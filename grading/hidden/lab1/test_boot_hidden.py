"""Lab 1, hidden: what the loader passes, beyond the cases the public tests try.

Instructors only (never in a handout). Each test catches a solution that
passes the public tests but mishandles an input they do not use: a command
line longer than the kernel's buffer, more modules than BOOT_MAX_MODULES,
memory sizes other than 64 and 200 MiB (and RAM above 4 GiB), and a memory
map that is not copied entry for entry.

Reproduce a console test with the qemu-system-i386 line the failure prints.
"""

import re
import tempfile
from pathlib import Path

import pytest

from tidepool import protocol
from tidepool.errors import fail, indent, quote_lines

pytestmark = pytest.mark.lab(1)

# kernel/multiboot.h
BOOT_CMDLINE_MAX = 256
BOOT_MAX_MODULES = 16

WARNING = re.compile(r"warning", re.I)
REGION = r"^\s+\[mem 0x([0-9a-fA-F]+)-0x([0-9a-fA-F]+)\] (\S.*?)\s*$"


def _warnings(result):
    return [ln for ln in result.lines if WARNING.search(ln)]


@pytest.mark.points(2)
def test_long_cmdline(boot, kernel):
    """A 300-character command line is cut to 255 characters, with a warning"""
    args = "exit pad=" + "x" * 291                 # 300 characters
    full = f"{kernel} {args}"
    if len(str(kernel)) > 200:
        fail(f"the kernel's path {kernel} is too long for this test (the kernel would "
             f"not see 'exit' in the first 255 characters of its command line)")
    r = boot(args)
    m = r.expect_line(protocol.CMDLINE, 'the line \'cmdline: "..."\'')
    got = m.group(1)
    allowed = [args[:BOOT_CMDLINE_MAX - 1], full[:BOOT_CMDLINE_MAX - 1]]
    if got not in allowed:
        fail(f"booted with a {len(args)}-character command line (QEMU passes "
             f"{len(full)} characters, with the kernel's path first); boot_info.cmdline "
             f"holds {BOOT_CMDLINE_MAX} bytes, so expected the first "
             f"{BOOT_CMDLINE_MAX - 1} characters of it, but the kernel printed "
             f"{len(got)} characters: {m.group(0)[:120]!r}...; copy with "
             f"mb_copy_string(), which never writes past the buffer and always ends "
             f"the copy with a NUL")
    if not _warnings(r):
        fail("a command line longer than the kernel's buffer was cut short, so the "
             "kernel must say so on the console (a 'multiboot: warning: ...' line from "
             "mb_warn()), but there was no line with 'warning'; "
             + quote_lines(r.lines[:12], "first console lines"))
    r.expect_kind("success", "with a 300-character command line starting with 'exit'")


def _check_memory(r, megs: int) -> None:
    m = r.expect_line(protocol.MEMORY, "the line 'memory: N KiB usable in M regions'")
    kib, nregions = int(m.group(1)), int(m.group(2))
    low, high = megs * 1024 - 2048, megs * 1024
    if not low <= kib <= high:
        fail(f"booted with -m {megs} ({megs * 1024} KiB of RAM), expected between {low} "
             f"and {high} KiB usable, but the kernel printed {m.group(0)!r}; sum the "
             f"lengths of all the type-1 entries of the Multiboot memory map, including "
             f"the last one and any above 4 GiB (base and length are 64-bit)")
    # The region lines that multiboot_print() prints after the total.
    start = next(i for i, ln in enumerate(r.lines) if re.match(protocol.MEMORY, ln))
    regions = []
    for ln in r.lines[start + 1:]:
        mm = re.match(REGION, ln)
        if mm is None:
            break
        regions.append((int(mm.group(1), 16), int(mm.group(2), 16), mm.group(3)))
    shown = "; the lines were:\n" + indent(r.lines[start:start + 1 + len(regions)])
    if len(regions) != nregions:
        fail(f"'memory: ... in {nregions} regions' but {len(regions)} region lines "
             f"'  [mem 0xSTART-0xEND] TYPE' follow it" + shown)
    usable = sum(end - base + 1 for base, end, kind in regions if kind == "usable")
    if usable // 1024 != kib:
        fail(f"the usable regions listed add up to {usable // 1024} KiB, but the total "
             f"says {kib} KiB" + shown)
    for (b0, e0, _), (b1, e1, _) in zip(regions, regions[1:]):
        if b1 <= e0:
            fail(f"regions must be sorted by address and must not overlap, but "
                 f"0x{b0:x}-0x{e0:x} is followed by 0x{b1:x}-0x{e1:x}" + shown)


@pytest.mark.parametrize("megs", [pytest.param(37, marks=pytest.mark.points(1), id="37M"),
                                  pytest.param(255, marks=pytest.mark.points(1), id="255M")])
def test_memory_odd_sizes(boot, megs):
    """Memory sizes the public tests do not use: total and region list agree"""
    r = boot("exit", memory=megs)
    _check_memory(r, megs)
    r.expect_kind("success", "on cmdline 'exit'")


@pytest.mark.points(2)
def test_memory_above_4g(boot):
    """With -m 3584 QEMU puts 512 MiB above 4 GiB, as the last map entry"""
    megs = 3584
    r = boot("exit", memory=megs)
    if r.kind == "error" and re.search(r"cannot set up guest memory|Cannot allocate",
                                       r.console + "\n".join(r.last_lines())):
        fail(f"the grading machine could not give QEMU {megs} MiB of (virtual) guest "
             f"memory; this is a problem of the grading host, not of the kernel: "
             + r.report())
    _check_memory(r, megs)
    r.expect_kind("success", "on cmdline 'exit'")


@pytest.mark.points(2)
def test_many_modules(boot):
    """18 modules: the first 16 are listed in order, a warning says the rest were dropped"""
    n = BOOT_MAX_MODULES + 2
    # A short directory: module names longer than 63 bytes would be cut.
    with tempfile.TemporaryDirectory(prefix="tp-") as d:
        files = []
        for i in range(n):
            p = Path(d) / f"m{i:02d}.bin"
            size = 100 + 37 * i
            p.write_bytes(bytes((i * 11 + j) & 0xFF for j in range(size)))
            files.append((str(p), p.name, size))
        r = boot("exit", initrd=[f[0] for f in files])
    m = r.expect_line(protocol.MODULES, f"the line 'modules: {BOOT_MAX_MODULES}'")
    if int(m.group(1)) != BOOT_MAX_MODULES:
        fail(f"booted with {n} modules; boot_info holds BOOT_MAX_MODULES = "
             f"{BOOT_MAX_MODULES}, so expected 'modules: {BOOT_MAX_MODULES}' (the first "
             f"{BOOT_MAX_MODULES}), but the kernel printed {m.group(0)!r}; "
             + quote_lines(r.last_lines()))
    mods = list(r.finditer(protocol.MODULE))
    if len(mods) != BOOT_MAX_MODULES:
        fail(f"expected {BOOT_MAX_MODULES} lines '  module N: 0xSTART-0xEND \"name\"', "
             f"found {len(mods)}; " + quote_lines(r.last_lines()))
    for i, (mm, (path, name, size)) in enumerate(zip(mods, files)):
        start, end, cmd = int(mm.group(2), 16), int(mm.group(3), 16), mm.group(4)
        if int(mm.group(1)) != i or not (cmd == path or cmd.endswith("/" + name)):
            fail(f"expected module {i} to be {path!r} (the first {BOOT_MAX_MODULES} "
                 f"modules, in the loader's order), but the line was "
                 f"{mm.group(0).strip()!r}")
        if end - start != size:
            fail(f"module {name} is {size} bytes (END is one past the last byte), but "
                 f"the kernel printed {mm.group(0).strip()!r} ({end - start} bytes)")
    if not _warnings(r):
        fail(f"{n - BOOT_MAX_MODULES} of the {n} modules were dropped, so the kernel "
             f"must say so on the console (a 'multiboot: warning: ...' line from "
             f"mb_warn()), but there was no line with 'warning'; "
             + quote_lines(r.lines[:12], "first console lines"))
    r.expect_kind("success", f"on cmdline 'exit' with {n} modules")


# At the first instruction of kmain, [esp+8] is its second argument (the
# address of the multiboot_info). At monitor_main the map is parsed; the
# loader's map is still in place (nothing allocates memory in lab 1). The
# loader's structures are read by offset (Multiboot 0.6.96, section 3.3:
# mmap_length at +44, mmap_addr at +48; an entry is size +0, base_addr +4,
# length +12, type +20), so the script needs no type a solution might not use.
MMAP_SCRIPT = r"""
break *kmain
break monitor_main
continue
set $mbi = *(unsigned int *)($esp + 8)
set $len = *(unsigned int *)($mbi + 44)
set $map = *(unsigned int *)($mbi + 48)
printf "@@mmap=%#x %u\n", $map, $len
continue
printf "@@at=monitor_main\n"
set $off = 0
set $n = 0
while $off + 24 <= $len && $n < 64
  set $e = $map + $off
  printf "@@loader.%d=%#llx %#llx %u\n", $n, *(unsigned long long *)($e + 4), *(unsigned long long *)($e + 12), *(unsigned int *)($e + 20)
  set $off = $off + *(unsigned int *)$e + 4
  set $n = $n + 1
end
printf "@@nregions=%d\n", boot_info.nregions
set $i = 0
while $i < boot_info.nregions && $i < 64
  printf "@@kernel.%d=%#llx %#llx %u\n", $i, boot_info.regions[$i].base, boot_info.regions[$i].length, boot_info.regions[$i].type
  set $i = $i + 1
end
"""


def _entries(markers, prefix):
    out = []
    for key, value in markers.items():
        if key.startswith(prefix + "."):
            base, length, kind = value.split()
            out.append((int(key.split(".")[1]), int(base, 16), int(length, 16), int(kind)))
    return [e[1:] for e in sorted(out)]


@pytest.mark.points(3)
def test_mmap_matches_loader(gdb):
    """boot_info.regions holds every entry of the loader's memory map (read from GDB)"""
    g = gdb(MMAP_SCRIPT)
    map_addr, map_len = g.marker("mmap", "the loader's mmap_addr and mmap_length at the "
                                 "start of kmain").split()
    g.marker("at", "a stop in monitor_main (kmain must reach the monitor)")
    nregions = int(g.marker("nregions", "boot_info.nregions"))
    loader = sorted(e for e in _entries(g.markers, "loader") if e[1] != 0)
    kernel = _entries(g.markers, "kernel")

    def show(entries):
        return indent([f"[0x{b:09x}-0x{b + n - 1:09x}] type {t}" for b, n, t in entries])

    if not loader:
        fail("GDB found no entries in the loader's memory map; " + g.report())
    if kernel != loader or nregions != len(loader):
        fail(f"expected boot_info.regions to hold the {len(loader)} entries of the "
             f"loader's memory map (sorted by address), but it holds {nregions}.\n"
             f"The loader's map ({map_len} bytes at {map_addr}):\n{show(loader)}\n"
             f"boot_info.regions:\n{show(kernel)}\n"
             f"Walk every entry: the next one starts size + 4 bytes further, and the "
             f"last one ends exactly at mmap_length")
