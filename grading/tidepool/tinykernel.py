"""Hand-assembled Multiboot v1 kernels of a few dozen bytes.

Used to time a trivial boot when the kernel under test cannot do it (a
broken handout must not break timeout calibration), and by the grader's
selftests to exercise the real QEMU paths: exit, panic status, triple
fault, hang, flood, and fixed text on COM1/COM2.

The image is a flat binary with the Multiboot "a.out kludge" (flag bit 16):
QEMU loads it at 1 MiB and jumps to the code right after the 32-byte header.
"""

from __future__ import annotations

import struct
from typing import Optional

LOAD = 0x100000
HEADER = 32
COM1, COM2 = 0x3F8, 0x2F8


def _image(code: bytes) -> bytes:
    magic, flags = 0x1BADB002, 0x00010000
    checksum = (-(magic + flags)) & 0xFFFFFFFF
    hdr = struct.pack("<IIIIIIII", magic, flags, checksum,
                      LOAD, LOAD, 0, 0, LOAD + HEADER)
    return hdr + code


def _exit(value: int) -> bytes:
    # mov al, value ; out 0xf4, al ; cli ; hlt ; jmp $
    return bytes([0xB0, value & 0xFF, 0xE6, 0xF4, 0xFA, 0xF4, 0xEB, 0xFE])


HANG = bytes([0xFA, 0xEB, 0xFE])  # cli ; jmp $
# push 0 ; push 0 ; lidt [esp] (empty IDT) ; int3  ->  #GP -> #DF -> triple fault
FAULT = bytes([0x6A, 0x00, 0x6A, 0x00, 0x0F, 0x01, 0x1C, 0x24, 0xCC])
# mov dx, 0x3f8 ; mov al, 'A' ; out dx, al ; jmp (out)
FLOOD = bytes([0x66, 0xBA, 0xF8, 0x03, 0xB0, 0x41, 0xEE, 0xEB, 0xFD])


def _puts(addr: int, port: int) -> bytes:
    # mov esi, addr ; mov dx, port ; l: lodsb ; test al,al ; jz done ; out dx,al ; jmp l
    return (bytes([0xBE]) + struct.pack("<I", addr) + bytes([0x66, 0xBA])
            + struct.pack("<H", port) + bytes([0xAC, 0x84, 0xC0, 0x74, 0x03, 0xEE, 0xEB, 0xF8]))


_PUTS_LEN = len(_puts(0, 0))


def build(kind: str = "exit", com1: str = "", com2: str = "",
          status: Optional[int] = None) -> bytes:
    """An image that prints com1/com2, then: exit | panic | fault | hang | flood.

    kind "exit" writes 0x10 (QEMU status 33), "panic" 0x11 (status 35);
    status=v writes v instead.
    """
    tails = {"exit": _exit(0x10 if status is None else status), "panic": _exit(0x11),
             "fault": FAULT, "hang": HANG, "flood": FLOOD}
    if kind not in tails:
        raise ValueError(f"unknown tiny kernel kind {kind!r}")
    texts = [(t.encode() + b"\0", port) for t, port in ((com1, COM1), (com2, COM2)) if t]
    code_len = _PUTS_LEN * len(texts) + len(tails[kind])
    addr = LOAD + HEADER + code_len
    code, data = b"", b""
    for blob, port in texts:
        code += _puts(addr + len(data), port)
        data += blob
    code += tails[kind]
    assert len(code) == code_len
    return _image(code + data)


def write(path: str, kind: str = "exit", com1: str = "", com2: str = "",
          status: Optional[int] = None) -> str:
    with open(path, "wb") as f:
        f.write(build(kind, com1, com2, status))
    return path
