"""Just enough ELF32 to read a kernel's symbol table (no binutils needed).

Used to check that addresses the kernel prints (backtraces) agree with the
symbols the linker placed: ``FUNCTION+0xOFFSET`` must equal the address.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Dict, List, Optional

STT_FUNC = 2
STT_OBJECT = 1
SHT_SYMTAB = 2


@dataclass(frozen=True)
class Symbol:
    name: str
    value: int
    size: int
    type: int

    @property
    def is_function(self) -> bool:
        return self.type == STT_FUNC


class ElfError(Exception):
    pass


def read_symbols(path: str) -> Dict[str, Symbol]:
    """Name -> Symbol for every named symbol in the ELF32 (little-endian) file."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF":
        raise ElfError(f"{path} is not an ELF file")
    if data[4] != 1 or data[5] != 1:
        raise ElfError(f"{path} is not a little-endian ELF32 file")
    shoff, = struct.unpack_from("<I", data, 0x20)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 0x2E)
    sections = [struct.unpack_from("<10I", data, shoff + i * shentsize) for i in range(shnum)]
    symbols: Dict[str, Symbol] = {}
    for sh in sections:
        if sh[1] != SHT_SYMTAB:
            continue
        offset, size, link, entsize = sh[4], sh[5], sh[6], sh[9] or 16
        stroff = sections[link][4]
        for i in range(size // entsize):
            name_off, value, sym_size, info, _other, _shndx = struct.unpack_from(
                "<IIIBBH", data, offset + i * entsize)
            if not name_off:
                continue
            end = data.index(b"\0", stroff + name_off)
            name = data[stroff + name_off:end].decode("utf-8", errors="replace")
            # Keep the first definition of a name (locals may repeat).
            symbols.setdefault(name, Symbol(name, value, sym_size, info & 0xF))
    if not symbols:
        raise ElfError(f"{path} has no symbol table")
    return symbols


def function_at(symbols: Dict[str, Symbol], address: int) -> Optional[Symbol]:
    """The function symbol whose [value, value+size) contains address."""
    best: Optional[Symbol] = None
    for s in symbols.values():
        if s.is_function and s.value <= address < s.value + max(s.size, 1):
            if best is None or s.value > best.value:
                best = s
    return best


def functions(symbols: Dict[str, Symbol]) -> List[Symbol]:
    return sorted((s for s in symbols.values() if s.is_function), key=lambda s: s.value)
