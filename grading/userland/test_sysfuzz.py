"""The system-call fuzzer (issue 17): /bin/sysfuzz in one boot.

Not graded, and skipped unless TIDEPOOL_FUZZ_CALLS is set: `make
test-fuzz-kernel` (a short run, for make check) and `make fuzz-kernel`
(FUZZ_CALLS=1000000 by default) set it, so test-userland-qemu's sweep of
this directory does not run the fuzzer a second time.

/bin/sysfuzz runs as process 1 with TIDEPOOL_FUZZ_CALLS calls from seed
TIDEPOOL_FUZZ_SEED (more options in TIDEPOOL_FUZZ_ARGS: see
userland/fuzz/sysfuzz.c). Passing means: no panic and no checker report
(the boot fixture and the report watcher fail the test on either), every
worker exited 0 (none killed, no impossible result), and free frames and
the kernel heap's bytes and blocks back where they were (SYS_meminfo).
A failure names the seed and the command that replays the failing worker.

The machine has no NIC (-nic none): the network stack's own allocations
(DHCP, receive buffers) would otherwise move the counters the leak check
compares.
"""

import os
import re

import pytest

from tidepool.errors import fail
from tidepool.userprog import run_program

CALLS = os.environ.get("TIDEPOOL_FUZZ_CALLS")
SEED = os.environ.get("TIDEPOOL_FUZZ_SEED", "1")
ARGS = os.environ.get("TIDEPOOL_FUZZ_ARGS", "").split()
# Calls per second the slowest kernel (UBSan + KASAN, a loaded host)
# still makes; the timeout is what that rate needs, plus the boot.
SLOWEST_RATE = 1500
RATE_RE = re.compile(r"^sysfuzz: (\d+) calls in (\d+) ticks: (\d+) calls/s")

pytestmark = pytest.mark.skipif(CALLS is None, reason="run by make fuzz-kernel / test-fuzz-kernel")


def test_sysfuzz(boot, initrd):
    """sysfuzz: random system calls in several processes and threads: no panic, no leak"""
    argv = ["/bin/sysfuzz", "-s", SEED, "-n", CALLS, *ARGS]
    run = run_program(boot, initrd, argv, timeout=30 + int(CALLS) / SLOWEST_RATE,
                      extra_args=("-nic", "none"))
    rate = next((m for m in map(RATE_RE.match, run.lines) if m), None)
    if rate:
        print(f"\n{rate.group(0)}")
    # The leak check's counters (a diagnostic of the case before them).
    for line in run.lines:
        if line.startswith("# free frames") or line.startswith("# the workers changed"):
            print(line)
    try:
        run.expect_all_pass()
    except BaseException:
        # The workers' own reports (the call, the calls before it, the
        # replay command) and the kernel's lines about killed processes.
        said = [ln for ln in run.lines if ln.startswith("sysfuzz:   ") or
                ln.startswith("sysfuzz: FAIL") or "] killed:" in ln]
        if said:
            print("\n" + "\n".join(said[:60]))
        print(f"\nsysfuzz failed with seed {SEED}: replay with "
              f"make fuzz-kernel FUZZ_SEED={SEED} FUZZ_CALLS={CALLS} FUZZ_ARGS='{' '.join(ARGS)}'"
              " (add -w N -v to replay one worker and print every call)")
        raise
    if rate is None:
        fail("sysfuzz printed no 'sysfuzz: N calls in T ticks' line")
