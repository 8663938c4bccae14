"""Per-test record of the emulator/debugger commands a test ran.

The pytest plugin opens a log before each test and, when the test fails,
prints every recorded command under a "reproduce" heading. Library code
calls :func:`record` whenever it starts QEMU or GDB; outside a test (or
outside pytest) recording is a no-op. Each xdist worker is its own process,
so a module-level log is per worker and per running test.
"""

from __future__ import annotations

from typing import List, Optional

_current: Optional[List[str]] = None


def begin() -> None:
    global _current
    _current = []


def end() -> List[str]:
    global _current
    entries, _current = (_current or []), None
    return entries


def peek() -> List[str]:
    return list(_current or [])


def record(text: str) -> None:
    """Remember a reproduce command (deduplicated, in first-use order)."""
    if _current is not None and text not in _current:
        _current.append(text)
