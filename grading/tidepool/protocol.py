"""The console lines of docs/protocol.md, as regular expressions and parsers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Optional, Sequence

BANNER = r"^Tidepool \S+ \(i386\)"
MAGIC = r"^multiboot: magic 0x2badb002"
CMDLINE = r'^cmdline: "(.*)"\s*$'
MEMORY = r"^memory: (\d+) KiB usable in (\d+) regions"
MODULES = r"^modules: (\d+)"
MODULE = r'^\s+module (\d+): 0x([0-9a-fA-F]+)-0x([0-9a-fA-F]+) "(.*)"\s*$'
GDT = r"^gdt: loaded"
PANIC = r"^PANIC at (\S+):(\d+): (.*)$"
BACKTRACE = r"^Backtrace:\s*$"
FRAME = r"^\s+#(\d+) 0x([0-9a-fA-F]+) (\S+?)(?:\+0x([0-9a-fA-F]+))?\s*$"
PROMPT = "K> "


@dataclass(frozen=True)
class Frame:
    number: int
    address: int
    function: str
    offset: Optional[int]
    line: str


def parse_frames(lines: Sequence[str]) -> List[Frame]:
    """The frame lines right after the first 'Backtrace:' line (stops at the first non-frame)."""
    frames: List[Frame] = []
    started = False
    for line in lines:
        if not started:
            started = re.match(BACKTRACE, line) is not None
            continue
        m = re.match(FRAME, line)
        if m is None:
            break
        frames.append(Frame(int(m.group(1)), int(m.group(2), 16), m.group(3),
                            int(m.group(4), 16) if m.group(4) is not None else None,
                            line.rstrip()))
    return frames


def has_backtrace(lines: Sequence[str]) -> bool:
    return any(re.match(BACKTRACE, ln) for ln in lines)
