#!/usr/bin/python3
"""Write the five malformed ELF files that t_exec feeds to execve().

    tools/make-bad-elves.py PROGRAM OUTDIR

PROGRAM is a real user program (the build uses bin/hello from the
initrd's staging directory); each output is a copy of it with exactly
one thing wrong, which the kernel's ELF checks must catch before they
touch the calling process (execve then returns -ENOEXEC):

  bad-magic          the first byte is 0x7e instead of 0x7f
  wrong-machine      e_machine = 62 (EM_X86_64) instead of 3 (EM_386)
  kernel-segment     a PT_LOAD segment (the last one) moved to vaddr and
                     paddr 0x00100000, the kernel's place, below USER_BASE;
                     if the entry point was in it, it moves along, so
                     that only the segment's place is wrong
  filesz-over-memsz  the first PT_LOAD segment's p_memsz is p_filesz - 1
                     (the entry point stays inside it)
  truncated          the file ends in the middle of the last PT_LOAD
                     segment that has bytes in the file; the ELF header
                     and the program headers are still whole

Each file is written with mode 0755 so that no permission check can
answer before the ELF checks do. Python 3 standard library only.
"""

import os
import struct
import sys
from pathlib import Path

EI_NIDENT = 16
ELF_MAGIC = b"\x7fELF"
ELFCLASS32 = 1
ELFDATA2LSB = 1
ET_EXEC = 2
EM_386 = 3
EM_X86_64 = 62
PT_LOAD = 1
KERNEL_ADDRESS = 0x00100000

# Elf32_Ehdr after e_ident: type, machine, version, entry, phoff, shoff,
# flags, ehsize, phentsize, phnum, shentsize, shnum, shstrndx.
EHDR = struct.Struct("<HHIIIIIHHHHHH")
# Elf32_Phdr: type, offset, vaddr, paddr, filesz, memsz, flags, align.
PHDR = struct.Struct("<IIIIIIII")
E_MACHINE_OFFSET = EI_NIDENT + 2
E_ENTRY_OFFSET = EI_NIDENT + 8


class BadInput(Exception):
    pass


class Elf:
    """The parts of an ELF32 i386 executable the mutations touch."""

    def __init__(self, data):
        if len(data) < EI_NIDENT + EHDR.size or data[:4] != ELF_MAGIC:
            raise BadInput("not an ELF file")
        if data[4] != ELFCLASS32 or data[5] != ELFDATA2LSB:
            raise BadInput("not a 32-bit little-endian ELF file")
        (e_type, e_machine, _version, self.entry, self.phoff, _shoff, _flags, _ehsize,
         phentsize, self.phnum, _shentsize, _shnum, _shstrndx) = EHDR.unpack_from(data, EI_NIDENT)
        if e_type != ET_EXEC or e_machine != EM_386:
            raise BadInput("not an i386 executable (e_type %d, e_machine %d)"
                           % (e_type, e_machine))
        if phentsize != PHDR.size or self.phoff + self.phnum * PHDR.size > len(data):
            raise BadInput("program headers missing or cut")
        self.data = data
        self.loads = [i for i in range(self.phnum) if self.phdr(i)[0] == PT_LOAD]
        if not self.loads:
            raise BadInput("no PT_LOAD segment")

    def phdr_offset(self, i):
        return self.phoff + i * PHDR.size

    def phdr(self, i):
        return list(PHDR.unpack_from(self.data, self.phdr_offset(i)))

    def headers_end(self):
        return self.phoff + self.phnum * PHDR.size


def with_phdr(data, elf, i, phdr):
    out = bytearray(data)
    PHDR.pack_into(out, elf.phdr_offset(i), *phdr)
    return bytes(out)


def bad_magic(elf):
    return b"\x7e" + elf.data[1:]


def wrong_machine(elf):
    out = bytearray(elf.data)
    struct.pack_into("<H", out, E_MACHINE_OFFSET, EM_X86_64)
    return bytes(out)


def kernel_segment(elf):
    i = elf.loads[-1]
    p = elf.phdr(i)
    old_vaddr, memsz = p[2], p[5]
    p[2] = p[3] = KERNEL_ADDRESS
    out = bytearray(with_phdr(elf.data, elf, i, p))
    if old_vaddr <= elf.entry < old_vaddr + memsz:
        struct.pack_into("<I", out, E_ENTRY_OFFSET, KERNEL_ADDRESS + elf.entry - old_vaddr)
    return bytes(out)


def filesz_over_memsz(elf):
    i = elf.loads[0]
    p = elf.phdr(i)
    if p[4] < 2:
        raise BadInput("the first PT_LOAD segment has fewer than 2 bytes in the file")
    p[5] = p[4] - 1
    if not p[2] <= elf.entry < p[2] + p[5]:
        raise BadInput("the entry point is in the last byte of the first segment")
    return with_phdr(elf.data, elf, i, p)


def truncated(elf):
    in_file = [i for i in elf.loads if elf.phdr(i)[4] > 0]
    if not in_file:
        raise BadInput("no PT_LOAD segment has bytes in the file")
    p = elf.phdr(in_file[-1])
    cut = p[1] + p[4] // 2
    if cut <= elf.headers_end() or p[4] < 2:
        raise BadInput("cannot cut inside the segment and keep the headers whole")
    return elf.data[:cut]


MUTATIONS = {
    "bad-magic": bad_magic,
    "wrong-machine": wrong_machine,
    "kernel-segment": kernel_segment,
    "filesz-over-memsz": filesz_over_memsz,
    "truncated": truncated,
}


def main(argv):
    if len(argv) != 3:
        print("usage: make-bad-elves.py PROGRAM OUTDIR", file=sys.stderr)
        return 2
    try:
        elf = Elf(Path(argv[1]).read_bytes())
        outputs = {name: make(elf) for name, make in MUTATIONS.items()}
    except (OSError, BadInput) as e:
        print("make-bad-elves: %s: %s" % (argv[1], e), file=sys.stderr)
        return 1
    outdir = Path(argv[2])
    outdir.mkdir(parents=True, exist_ok=True)
    for name, data in outputs.items():
        path = outdir / name
        path.write_bytes(data)
        os.chmod(path, 0o755)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
