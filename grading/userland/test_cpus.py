"""/bin/cpus and /bin/locks: the kernel monitor's `cpus` and `locks` from
the user shell (lab 5; issue 14). Not graded (`make test-cpus`).

One boot at -smp 4 of what `make qemu SMP=4` runs (init starts sh):

  cpus   its head ("interrupts: ...", the column names), then one row per
         CPU: four rows, CPU ids 0-3, all online, and one of them runs
         the `cpus` program itself (the CPU that made the system call)
  locks  its head ("N lock(s) held", the column names) and the row of
         the kernel's "lockinfo" mutex, which the kernel holds while it
         takes the snapshot: held by the `locks` thread, taken in
         sys_lockinfo -- a lock observable as held, deterministically
  both   exit 0, and the prompt comes back (they terminate)

and one boot without an initrd, where the kernel monitor's `cpus` and
`locks` must print the same heads and rows (abi/cpuinfo.h and
abi/lockinfo.h format both sides).

Skipped on a kernel without SYS_cpuinfo (before lab 5: no sys_cpuinfo
symbol). The bad-pointer cases of the two system calls are t_hostile's
(group ptr: userland/tests/t_hostile/pointers.c).
"""

import re

import pytest

from tidepool.elf import read_symbols
from tidepool.errors import fail, indent

pytestmark = pytest.mark.smp(4)

CPUS = 4
CPUS_HEAD = [re.compile(r"interrupts: .+; \d+ TLB shootdowns sent"),
             re.compile(r"CPU +APIC +ONLINE +TICKS +INTERRUPTS +IPIS +THREAD")]
# "%3d  %4u  %-6s %6u  %10u  %4u  " then "TID 'NAME'" or "-"
CPU_ROW = re.compile(r"\s*(\d+)\s+(\d+)\s+(yes|no)\s+(\d+)\s+(\d+)\s+(\d+)\s+(?:-|(\d+) '(.*)')")
LOCKS_COUNT = re.compile(r"(\d+) locks? held")
LOCKS_COLUMNS = re.compile(r"\s*LOCK +KIND +CPU +THREAD +TAKEN AT")
# "  %-26s %-5s %-3d %-20s %s+0x%x"
LOCK_ROW = re.compile(r"\s*\S.*\s+(spin|mutex|read|write)\s+\d+\s+(-|\d+ .*)\s+\S+\+0x[0-9a-f]+")
# the kernel's own mutex, held by us
LOCKINFO_ROW = re.compile(r"\s*lockinfo\s+mutex\s+\d+\s+\d+ locks\s+sys_lockinfo\+0x[0-9a-f]+")


@pytest.fixture
def lab5(kernel):
    if "sys_cpuinfo" not in read_symbols(str(kernel)):
        pytest.skip("this kernel has no SYS_cpuinfo (lab 5)")


def _expect_head(out, head, what):
    for i, pattern in enumerate(head):
        if len(out) <= i or not pattern.fullmatch(out[i]):
            fail(f"expected {what}'s line {i + 1} to match {pattern.pattern!r}; "
                 "it printed:\n" + indent(out))


def check_cpus(out):
    check_cpus_rows(out, running="cpus")


def check_cpus_rows(out, running):
    """The head and a row per CPU; `running`: one CPU runs that thread."""
    _expect_head(out, CPUS_HEAD, "cpus")
    rows = [CPU_ROW.fullmatch(line) for line in out[len(CPUS_HEAD):]]
    if len(rows) != CPUS or not all(rows):
        fail(f"expected {CPUS} CPU rows after the head (-smp {CPUS}); cpus printed:\n"
             + indent(out))
    ids = sorted(int(m.group(1)) for m in rows)
    if ids != list(range(CPUS)):
        fail(f"expected CPU ids 0..{CPUS - 1}, each once; got {ids}:\n" + indent(out))
    offline = [m.group(1) for m in rows if m.group(3) != "yes"]
    if offline:
        fail(f"expected every CPU online; CPU {', '.join(offline)} not:\n" + indent(out))
    if running and [m.group(8) for m in rows].count(running) != 1:
        fail(f"expected exactly one CPU running the thread {running!r} (the program itself, "
             "on the CPU that asked):\n" + indent(out))


def check_locks(out, mine=True):
    """The head and one row per held lock; `mine`: the 'lockinfo' row too."""
    first = 1 if out and out[0].startswith("locks: the lock checks are off") else 0
    count = LOCKS_COUNT.fullmatch(out[first]) if len(out) > first else None
    if first or count is None:
        fail("expected the lock checks on and a first line 'N locks held'; locks printed:\n"
             + indent(out))
    held = int(count.group(1))
    if held and (len(out) < 2 or not LOCKS_COLUMNS.fullmatch(out[1])):
        fail("expected the column names after the count; locks printed:\n" + indent(out))
    rows = out[2:]
    if len(rows) != min(held, 32) or any(LOCK_ROW.fullmatch(r) is None for r in rows):
        fail(f"expected {held} lock rows; locks printed:\n" + indent(out))
    if mine and not any(LOCKINFO_ROW.fullmatch(r) for r in rows):
        fail("expected the row of the kernel's mutex 'lockinfo', held by the thread "
             "'locks', taken in sys_lockinfo; locks printed:\n" + indent(out))


def test_cpus_and_locks_from_the_shell(lab5, shell):
    """cpus: 4 rows, ids 0-3, one runs 'cpus'; locks: its head and the
    'lockinfo' mutex held by 'locks'; both exit 0"""
    sh = shell()
    check_cpus(sh.lines("cpus", base=10.0))
    if sh.status() != 0:
        fail("expected cpus to exit 0")
    check_locks(sh.lines("locks", base=10.0))
    if sh.status() != 0:
        fail("expected locks to exit 0")


def test_monitor_prints_the_same(lab5, console):
    """the monitor's cpus and locks (no initrd): the same heads and rows"""
    c = console()
    c.expect_prompt()
    out = [ln.rstrip() for ln in c.command("cpus").split("\n") if ln.strip()]
    check_cpus_rows(out, running=None)
    out = [ln.rstrip() for ln in c.command("locks").split("\n") if ln.strip()]
    check_locks(out, mine=False)
