"""Lab 1: what a booting kernel prints on the console (docs/protocol.md).

Reproduce any of these with:  make qemu CMDLINE="exit ..."
"""

import re

import pytest

from tidepool import protocol
from tidepool.errors import fail, quote_lines

pytestmark = pytest.mark.lab(1)


@pytest.mark.points(2)
def test_banner_and_magic(boot):
    """The banner comes first, the Multiboot magic is checked, 'exit' exits with success"""
    r = boot("exit")
    r.expect_line(protocol.BANNER, "the banner 'Tidepool VERSION (i386)'")
    if not re.match(protocol.BANNER, r.lines[0]):
        fail(f"expected the banner 'Tidepool VERSION (i386)' as the first console line, "
             f"but the first line was {r.lines[0]!r}")
    r.expect_line(protocol.MAGIC, "the line 'multiboot: magic 0x2badb002'")
    r.expect_kind("success", "on cmdline 'exit'")


@pytest.mark.points(2)
def test_cmdline_echo(boot, kernel):
    """The command line is printed verbatim"""
    args = "exit hello=world x=1"
    r = boot(args)
    m = r.expect_line(protocol.CMDLINE, 'the line \'cmdline: "..."\'')
    got = m.group(1)
    # QEMU's Multiboot loader (like GRUB) puts the kernel's path first.
    allowed = [args, f"{kernel} {args}"]
    if got not in allowed:
        fail(f"expected the console line cmdline: \"{args}\" (QEMU may prefix the kernel path: "
             f"\"{kernel} {args}\"), but the kernel printed {m.group(0)!r}")
    r.expect_kind("success", "on cmdline 'exit'")


@pytest.mark.parametrize("megs", [pytest.param(64, marks=pytest.mark.points(2), id="64M"),
                                  pytest.param(200, marks=pytest.mark.points(2), id="200M")])
def test_memory_size(boot, megs):
    """The usable memory total matches QEMU's -m"""
    r = boot("exit", memory=megs)
    m = r.expect_line(protocol.MEMORY, "the line 'memory: N KiB usable in M regions'")
    kib, regions = int(m.group(1)), int(m.group(2))
    # The BIOS keeps ~0.5 MiB (EBDA, ROMs, ACPI tables) of the RAM for itself.
    low, high = megs * 1024 - 2048, megs * 1024
    if not low <= kib <= high:
        fail(f"booted with -m {megs} ({megs * 1024} KiB of RAM), expected between {low} and "
             f"{high} KiB usable, but the kernel printed {m.group(0)!r}; "
             f"sum the lengths of the type-1 (available) entries of the Multiboot memory map")
    if regions < 1:
        fail(f"expected at least one memory region, but the kernel printed {m.group(0)!r}")


@pytest.mark.points(3)
def test_modules(boot, tmp_path):
    """Multiboot modules are listed with their address ranges and names"""
    files = [("alpha.bin", 1234), ("beta.txt", 4321)]
    paths = []
    for i, (name, size) in enumerate(files):
        p = tmp_path / name   # short: grading overrides tmp_path (names > 63 chars are cut)
        p.write_bytes(bytes((i * 7 + j) & 0xFF for j in range(size)))
        paths.append(str(p))
    r = boot("exit", initrd=paths)
    m = r.expect_line(protocol.MODULES, "the line 'modules: 2'")
    if int(m.group(1)) != 2:
        fail(f"booted with two modules (-initrd {','.join(paths)}), expected 'modules: 2', "
             f"but the kernel printed {m.group(0)!r}")
    mods = [mm for mm in r.finditer(protocol.MODULE)]
    shown = quote_lines(r.last_lines())
    if len(mods) != 2:
        fail(f"expected two lines '  module N: 0xSTART-0xEND \"cmdline\"' after 'modules: 2', "
             f"found {len(mods)}; {shown}")
    for mm, path, (name, size) in zip(mods, paths, files):
        start, end, cmd = int(mm.group(2), 16), int(mm.group(3), 16), mm.group(4)
        if not (cmd == path or cmd.endswith("/" + name) or cmd == name):
            fail(f"expected module {mm.group(1)} to be {path!r} (modules are listed in the "
                 f"order the boot loader passed them), but its line was {mm.group(0).strip()!r}")
        if end - start != size:
            fail(f"module {name} is {size} bytes, so END-START must be {size:#x} "
                 f"(mod_end is one past the last byte), but the kernel printed "
                 f"{mm.group(0).strip()!r} ({end - start:#x} bytes)")
    r.expect_kind("success", "on cmdline 'exit'")
