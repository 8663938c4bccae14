"""Timeouts scaled to the machine.

Once per process (pytest session, or each xdist worker) the grader times a
trivial boot: the kernel under test with cmdline ``exit`` (start of QEMU to
its exit). A tiny built-in Multiboot image is booted first: it bounds how
long the kernel's boot may take (KERNEL_FACTOR tiny boots, at least 3 s),
and stands in for it when the kernel cannot exit, so a broken or hanging
handout neither skews the scale nor costs the full calibration timeout.

    scale   = clamp(measured / REFERENCE_BOOT, MIN_SCALE, MAX_SCALE)
    timeout = base * scale

``TIDEPOOL_TIMEOUT_SCALE=x`` skips the measurement and uses x. The bases
below are generous multiples of what each step takes on a reference
machine (a trivial boot there takes ~0.1 s); they only matter when a kernel
hangs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Dict, Optional, Tuple

from . import tinykernel
from .qemu import SUCCESS, Machine, Workdir, run

REFERENCE_BOOT = 0.15  # seconds for a trivial boot on the reference machine
MIN_SCALE = 1.0
MAX_SCALE = 20.0
CALIBRATION_TIMEOUT = 10.0  # absolute: the measurement itself must be bounded
KERNEL_FACTOR = 30.0  # the kernel's 'exit' boot may take this many tiny boots

# Base timeouts in seconds, multiplied by the scale.
BASE: Dict[str, float] = {
    "boot": 5.0,  # one boot to exit (run-to-completion); a lab-1 boot takes ~0.1 s
    "ktest": 10.0,  # one boot of an in-kernel test group (lab 1: ~0.2 s)
    "gdb": 10.0,  # one batch GDB script (lab 1: ~0.2 s)
    "expect": 5.0,  # one console expectation
}


@dataclass(frozen=True)
class Calibration:
    scale: float
    measured: Optional[float]  # seconds, None if not measured
    source: str  # "env", "kernel", "tiny kernel", "default"
    note: str = ""

    def timeout(self, base: float) -> float:
        return base * self.scale

    def __getitem__(self, name: str) -> float:
        return self.timeout(BASE[name])

    def describe(self) -> str:
        if self.source == "env":
            return f"timeout scale {self.scale:g} (TIDEPOOL_TIMEOUT_SCALE)"
        text = f"timeout scale {self.scale:.2f}"
        if self.measured is not None:
            text += f" (trivial boot of the {self.source}: {self.measured:.3f} s)"
        else:
            text += f" ({self.source})"
        return text + (f"; {self.note}" if self.note else "")


def scale_for(measured: float) -> float:
    return min(MAX_SCALE, max(MIN_SCALE, measured / REFERENCE_BOOT))


def env_scale() -> Optional[float]:
    raw = os.environ.get("TIDEPOOL_TIMEOUT_SCALE", "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"TIDEPOOL_TIMEOUT_SCALE must be a number, not {raw!r}") from None
    if not value > 0:
        raise ValueError(f"TIDEPOOL_TIMEOUT_SCALE must be positive, not {raw!r}")
    return value


_cache: Dict[Tuple[str, str, str], Calibration] = {}


def calibrate(kernel: str, qemu: Optional[str] = None) -> Calibration:
    """Measure (once per process and kernel/emulator) and return the scale."""
    forced = env_scale()
    if forced is not None:
        return Calibration(forced, None, "env")
    key = (kernel, qemu or os.environ.get("TIDEPOOL_QEMU", ""), os.environ.get("ACCEL", ""))
    if key not in _cache:
        _cache[key] = _measure(kernel, qemu)
    return _cache[key]


def _measure(kernel: str, qemu: Optional[str]) -> Calibration:
    # A tiny built-in kernel first: it cannot hang, and it bounds how long
    # the kernel under test may take (a hung handout must not cost the full
    # calibration timeout).
    with Workdir(prefix="tidepool-cal-") as wd:
        tiny = tinykernel.write(wd.file("tiny.bin"), "exit")
        base = run(Machine(tiny, "exit", qemu=qemu), CALIBRATION_TIMEOUT, record=False)
    limit = CALIBRATION_TIMEOUT
    if base.kind == SUCCESS:
        limit = min(CALIBRATION_TIMEOUT, max(3.0, KERNEL_FACTOR * base.elapsed))
    first = run(Machine(kernel, "exit", qemu=qemu), limit, record=False)
    if first.kind == SUCCESS:
        return Calibration(scale_for(first.elapsed), first.elapsed, "kernel")
    note = f"the kernel did not exit on cmdline 'exit' ({first.describe()})"
    if base.kind == SUCCESS:
        return Calibration(scale_for(base.elapsed), base.elapsed, "tiny kernel",
                           note + "; timed a tiny built-in kernel instead")
    return Calibration(MIN_SCALE, None, "default",
                       note + f"; a tiny built-in kernel failed too ({base.describe()})")


def clear_cache() -> None:
    _cache.clear()
