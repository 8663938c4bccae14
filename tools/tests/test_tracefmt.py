"""tools/tracefmt.py: the scheduler trace's dump format and timeline
(pure logic; the QEMU run is grading/userland/test_trace.py)."""
import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import tracefmt as tf  # noqa: E402


def rec(tsc, typ, tid, arg, cpu=0):
    return tf.RECORD.pack(tsc, typ, cpu, tid, arg)


def name_records(tsc, tid, name, pid):
    raw = name.encode() + b"\0"
    raw += b"\0" * (-len(raw) % 4)
    out = [rec(tsc, tf.NAME, tid, int.from_bytes(raw[i:i + 4], "little"), cpu=i // 4)
           for i in range(0, len(raw), 4)]
    return b"".join(out) + rec(tsc, tf.PROC, tid, pid)


def sample():
    return b"".join([
        name_records(1, 2, "sh", 1), name_records(2, 3, "sh", 2),
        rec(10, tf.SYSCALL, 2, 7),          # sh: waitpid, blocks
        rec(20, tf.SWITCH, 2, 3),
        name_records(25, 3, "echo-longname", 2),
        rec(30, tf.FAULT, 3, 0x40001000),
        rec(40, tf.WAKEUP, 3, 2),
        rec(50, tf.SWITCH, 3, 2),
        rec(60, tf.SYSRET, 2, 3),
    ])


def test_round_trip_and_names():
    text = "KTAP noise\n" + tf.encode_dump(sample(), lost=0) + "more noise\n"
    trace = tf.parse_dump(text)
    assert trace.names == {2: "sh", 3: "echo-longname"}
    assert trace.pids == {2: 1, 3: 2}
    assert trace.header["count"] == len(trace.records)


def test_timeline_cuts_a_blocked_call_at_the_switches():
    trace = tf.parse_dump(tf.encode_dump(sample(), lost=0))
    tracks = tf.timeline(trace, {7: "waitpid"})
    sh, echo = tracks[2], tracks[3]
    assert [(s.start, s.end) for s in sh.running] == [(10, 20), (50, 60)]
    assert [(s.start, s.end, s.args.get("blocked", False)) for s in sh.syscalls] == \
        [(10, 20, True), (50, 60, False)]
    assert sh.syscalls[1].args["result"] == 3 and sh.syscalls[1].args["total_tsc"] == 50
    assert [(s.start, s.end) for s in echo.running] == [(20, 50)]
    assert [m.kind for m in echo.marks] == ["fault", "wakeup"]


def test_ring_in_order_after_a_wrap():
    slots = 4
    ring = b"".join(rec(t, tf.TRAP, 1, t) for t in (4, 5, 2, 3))   # events 2..5 kept
    data, lost = tf.ring_in_order(ring, head=6)
    assert [r.tsc for r in tf.decode_records(data)] == [2, 3, 4, 5] and lost == 2
    data, lost = tf.ring_in_order(ring, head=3)
    assert len(data) == 3 * tf.RECORD.size and lost == 0
    with pytest.raises(tf.DumpError):
        tf.ring_in_order(ring[:3 * tf.RECORD.size], head=1)
    assert slots == len(ring) // tf.RECORD.size


def test_incomplete_dump_is_an_error():
    text = tf.encode_dump(sample(), lost=0).replace("trace: end\n", "")
    with pytest.raises(tf.DumpError):
        tf.parse_dump(text)
