"""The soak (issue 17): the whole kernel at -smp 2 with an E1000, busy for
ten minutes, then nothing lost. Not graded and not in make check:
`make soak` (SOAK_SECONDS=N for another length).

One boot (multi-threaded TCG, two vCPUs, QEMU's user network as lab 6's
grader wires it). At the guest's shell the test runs, over and over,
usertests (every case) and the system-call fuzzer (`sysfuzz -s SEED -n
CALLS`, a new seed each round), both with -S, while two host threads keep httpd busy:
one fetches /1m.bin with curl and compares its bytes with the file
tools/make-www-blob.py makes, the other PUTs 256 KiB to /upload and
compares httpd's "bytes=N crc=X" with the host's cksum of what it sent.

Passing means:
  * every usertests and sysfuzz round ended with every case ok. With -S
    ("the machine is shared") they skip their own leak checks and only
    print their checks on the machine's free-frame count: those counters
    move while the host's connections come and go (an httpd child, a
    socket); the soak's own check below replaces them;
  * every download and upload arrived whole and unchanged, but for those
    whose connection an out-of-memory kill ended: while usertests' oom
    cases fill the machine, an httpd child whose page fault finds no
    frame dies (the kernel's policy: the process that needs the page
    pays) and its client gets no answer. Each "[pid N httpd] killed: out
    of memory" line on the console excuses one transfer cut short, never
    a wrong answer;
  * no panic and no checker report (the report watcher; with
    `make soak UBSAN=1 KASAN=1` the checked kernel's reports too);
  * at rest afterwards (no zombie, no process but init's daemons and the
    shell, every TCP connection ended and its TIME_WAIT run out: the pool
    holds only the listener) the counters of lost resources are zero:
    kernel heap bytes and blocks as before, free frames as before but for
    what the heap grew by, the same processes, the same sockets, the same
    number of TCP control blocks. "Before" is read at rest after one
    warm-up round of each, so that what the kernel keeps once made (its
    heap's high-water mark, the ARP entry) is made before counting.

A failure names the round, the seed and the command that replays it.
The parts (the traffic, a round's verdict, the counters at rest) are in
grading/tidepool/soak.py.
"""

import os
import time
from typing import List, Tuple

import pytest

from tidepool import gdb, net
from tidepool.errors import fail, indent
from tidepool.soak import (UPLOAD_BYTES, HostLoad, lost, parse_ps, round_problems,
                           unexplained, wait_at_rest)

pytestmark = pytest.mark.soak

SECONDS = float(os.environ.get("TIDEPOOL_SOAK_SECONDS", "600"))
FIRST_SEED = int(os.environ.get("TIDEPOOL_SOAK_SEED", "1"))
CPUS = 2
FUZZ_CALLS = 50000
# Console output the boot may write: usertests, httpd's log and the
# rest, about 2 KiB a second measured; this bounds a runaway kernel.
CONSOLE_BYTES_PER_SECOND = 64 << 10


# ---------------------------------------------------------------------------
# The soak


@pytest.fixture(scope="module")
def guest(kernel, initrd, timeouts):
    limit = int((SECONDS + 600) * CONSOLE_BYTES_PER_SECOND)
    g = net.NetGuest(kernel, initrd, timeouts, mode="user", smp=CPUS, console_limit=limit,
                     gdb_stub=True)
    g.record()
    yield g
    g.close()


def one_round(guest, seed: int) -> Tuple[List[str], List[str]]:
    problems, unjudged = round_problems("usertests -S", typed(guest, "usertests -S", 600.0))
    fuzz = f"sysfuzz -S -s {seed} -n {FUZZ_CALLS}"
    p, lk = round_problems(fuzz, typed(guest, fuzz, 60.0 + FUZZ_CALLS / 1500))
    return problems + p, unjudged + lk


def typed(guest, line: str, base: float) -> str:
    """guest.sh(line); if it fails, what the guest still says: the
    console's last lines without httpd's (its log would fill the failure's
    quote of the console); GDB's view twice, a second apart (each thread's
    state and system call, each CPU's backtrace: tidepool.gdb.snapshot);
    then Ctrl-C and ps: who is left, sleeping or running; then kill -9 of
    those and ps again: a process that survives SIGKILL is stuck in the
    kernel, one that goes was looping in user space (ignoring SIGINT, as
    the fuzzer may make it)."""
    try:
        return guest.sh(line, base)
    except BaseException:
        own = [ln for ln in guest.session.console.splitlines() if not ln.startswith("httpd: ")]
        print(f"\nthe console's last {min(len(own), 80)} lines without httpd's:\n"
              + "\n".join(own[-80:]))
        if guest.gdb_port:
            for n in (1, 2):
                print(f"\nGDB's view ({n} of 2):\n" + gdb.snapshot(guest.gdb_port, guest.kernel))
                time.sleep(1.0)
        try:
            guest.session.send("\x03")
            guest.session.expect_exact(net.SHELL_PROMPT, timeout=guest.scaled(10.0))
            ps = guest.sh("ps", 10.0)
            print("after Ctrl-C, ps:\n" + ps)
            left = [str(pid) for pid, ppid, _, name in parse_ps(ps)
                    if ppid > 1 or name in ("sysfuzz", "usertests")]
            if left:
                guest.sh("kill -9 " + " ".join(left), 10.0)
                print(f"after kill -9 {' '.join(left)}, ps:\n" + guest.sh("ps", 10.0))
        except BaseException as exc:
            print(f"(Ctrl-C and ps did not answer either: {str(exc)[:200]})")
        raise


def test_soak(guest, tmp_path):
    """usertests, sysfuzz and curl against httpd at once, -smp 2, then nothing lost"""
    guest.wait_http(base=30.0)
    load = HostLoad(guest, str(tmp_path))
    # The warm-up: one round of each, the traffic included.
    problems, _ = one_round(guest, FIRST_SEED - 1)
    problems += [p.text for p in (load.once("get"), load.once("put")) if p]
    if problems:
        fail("the warm-up round failed:\n" + indent(problems))
    before = wait_at_rest(guest)

    load.start()
    rounds, unjudged, seed = 0, [], FIRST_SEED
    started = time.monotonic()
    try:
        while time.monotonic() - started < SECONDS and not problems:
            seed = FIRST_SEED + rounds
            p, lk = one_round(guest, seed)
            problems += [f"round {rounds + 1} (sysfuzz seed {seed}): {x}" for x in p]
            unjudged += lk
            rounds += 1
    finally:
        traffic = load.stop()
    elapsed = time.monotonic() - started
    failed, kills = unexplained(traffic.failures, guest.session.console)
    print(f"\nsoak: {rounds} rounds in {elapsed:.0f} s at -smp {CPUS}: usertests {rounds} "
          f"times, sysfuzz {rounds * FUZZ_CALLS} calls (seeds {FIRST_SEED}..{seed}), "
          f"{traffic.downloads} downloads of 1 MiB and {traffic.uploads} uploads of "
          f"{UPLOAD_BYTES >> 10} KiB; {len(traffic.failures)} transfers failed, "
          f"{len(traffic.failures) - len(failed)} of them cut by the {kills} out-of-memory "
          f"kills of httpd's children")
    for line in unjudged[:10]:
        print(f"soak: {line}")
    if problems:
        fail("a round failed (replay: make qemu SMP=2 NET=1, then the command):\n"
             + indent(problems[:20]))
    if failed:
        total = traffic.downloads + traffic.uploads + len(traffic.failures)
        fail(f"{len(traffic.failures)} of {total} transfers failed, {len(failed)} of them not "
             f"explained by the {kills} out-of-memory kills of httpd's children:\n"
             + indent([f.text for f in failed[:10]]))
    if rounds == 0 or traffic.downloads == 0 or traffic.uploads == 0:
        fail(f"the soak did nothing: {rounds} rounds, {traffic.downloads} downloads, "
             f"{traffic.uploads} uploads")

    after = wait_at_rest(guest)
    print(f"soak: at rest before: {before.meminfo}, tcbs {before.tcbs}; "
          f"after: {after.meminfo}, tcbs {after.tcbs}")
    gone = lost(before, after)
    if gone:
        fail("resources lost over the soak:\n" + indent(gone))
