"""The scheduler trace's dump format (kernel/trace_format.h, docs/trace.md),
read back for tools/trace2perfetto and tools/trace2svg.

A dump is text, framed by lines that start with ``trace:`` (anything else,
such as KTAP or console lines, is skipped):

    trace: begin version=1 record=16 count=N lost=L cpus=1
    trace: <base64 of up to three 16-byte records>
    ...
    trace: end

The records come oldest first. Each is ``<QBBHI``: tsc, type, cpu, tid, arg.
"""

import base64
import re
import struct
from dataclasses import dataclass, field
from typing import Dict, List

RECORD = struct.Struct("<QBBHI")
VERSION = 1
NO_THREAD = 0xFFFF

SWITCH, WAKEUP, IRQ_ENTER, IRQ_EXIT, TRAP, SYSCALL, SYSRET, FAULT, FAULT_FATAL, NAME, PROC = range(1, 12)
TYPE_NAMES = {SWITCH: "switch", WAKEUP: "wakeup", IRQ_ENTER: "irq_enter", IRQ_EXIT: "irq_exit",
              TRAP: "trap", SYSCALL: "syscall", SYSRET: "sysret", FAULT: "fault",
              FAULT_FATAL: "fault_fatal", NAME: "name", PROC: "proc"}


class DumpError(ValueError):
    pass


@dataclass
class Record:
    tsc: int
    type: int
    cpu: int
    tid: int
    arg: int


@dataclass
class Trace:
    header: Dict[str, int]
    records: List[Record]
    names: Dict[int, str] = field(default_factory=dict)   # tid -> last name
    pids: Dict[int, int] = field(default_factory=dict)    # tid -> process (0: kernel)

    @property
    def lost(self) -> int:
        return self.header.get("lost", 0)


def decode_records(data: bytes) -> List[Record]:
    if len(data) % RECORD.size:
        raise DumpError(f"{len(data)} bytes is not a whole number of {RECORD.size}-byte records")
    return [Record(*RECORD.unpack_from(data, off)) for off in range(0, len(data), RECORD.size)]


def parse_dump(text: str) -> Trace:
    """The last complete dump in text (a COM2 capture or a trace-dump file)."""
    header = None
    chunks: List[bytes] = []
    done = None
    for line in text.splitlines():
        line = line.rstrip("\r")
        if not line.startswith("trace: "):
            continue
        body = line[len("trace: "):].strip()
        if body.startswith("begin"):
            header = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", body)}
            chunks = []
        elif body == "end":
            if header is not None:
                done = (header, b"".join(chunks))
            header = None
        elif header is not None:
            chunks.append(base64.b64decode(body, validate=True))
    if done is None:
        raise DumpError("no complete 'trace: begin' ... 'trace: end' dump found")
    header, data = done
    if header.get("version") != VERSION or header.get("record") != RECORD.size:
        raise DumpError(f"unsupported dump header {header}")
    records = decode_records(data)
    if len(records) != header.get("count", len(records)):
        raise DumpError(f"header says {header.get('count')} records, found {len(records)}")
    trace = Trace(header, records)
    name_chunks: Dict[int, Dict[int, bytes]] = {}
    for r in records:
        if r.type == NAME:
            chunks_of = name_chunks.setdefault(r.tid, {})
            if r.cpu == 0:
                chunks_of.clear()
            chunks_of[r.cpu] = struct.pack("<I", r.arg)
            raw = b"".join(chunks_of[i] for i in sorted(chunks_of))
            trace.names[r.tid] = raw.split(b"\0")[0].decode("ascii", "replace")
        elif r.type == PROC:
            trace.pids[r.tid] = r.arg
    return trace


def ring_in_order(ring: bytes, head: int):
    """(the records oldest first, how many were overwritten) from the raw
    ring and the kernel's trace_head (events ever recorded): the same
    arithmetic as trace_format.h's trace_kept/trace_oldest_slot."""
    slots = len(ring) // RECORD.size
    if slots == 0 or slots & (slots - 1):
        raise DumpError(f"the ring has {slots} records, not a power of two")
    head &= 0xFFFFFFFF
    kept = min(head, slots)
    oldest = (head - kept) % slots
    data = ring[oldest * RECORD.size:] + ring[:oldest * RECORD.size]
    return data[:kept * RECORD.size], head - kept


def encode_dump(records_bytes: bytes, lost: int) -> str:
    """The dump text for raw records, oldest first (GDB's trace-dump)."""
    count = len(records_bytes) // RECORD.size
    lines = [f"trace: begin version={VERSION} record={RECORD.size} count={count} lost={lost} cpus=1"]
    step = 3 * RECORD.size
    for off in range(0, len(records_bytes), step):
        lines.append("trace: " + base64.b64encode(records_bytes[off:off + step]).decode())
    lines.append("trace: end")
    return "\n".join(lines) + "\n"


def syscall_names(header_path) -> Dict[int, str]:
    """SYS_name numbers from kernel/abi/syscall.h (empty if it is missing)."""
    names = {}
    try:
        with open(header_path) as f:
            for m in re.finditer(r"#define\s+SYS_(\w+)\s+(\d+)", f.read()):
                names[int(m.group(2))] = m.group(1)
    except OSError:
        pass
    names.pop(None, None)
    return names


# ---- the timeline both tools draw: who ran when, and what happened

@dataclass
class Slice:
    start: int      # tsc
    end: int
    name: str
    args: Dict[str, object] = field(default_factory=dict)


@dataclass
class Mark:
    tsc: int
    kind: str       # "irq", "trap", "fault", "wakeup"
    name: str
    args: Dict[str, object] = field(default_factory=dict)


@dataclass
class Track:
    tid: int
    name: str
    pid: int
    running: List[Slice] = field(default_factory=list)
    syscalls: List[Slice] = field(default_factory=list)   # pieces, each inside a running slice
    marks: List[Mark] = field(default_factory=list)


def signed32(v: int) -> int:
    return v - (1 << 32) if v & 0x80000000 else v


def timeline(trace: Trace, sysnames: Dict[int, str]) -> Dict[int, Track]:
    """Per thread: its running periods, its system calls cut at the
    switches (a blocked read shows as two pieces, before and after), and
    its interrupts, faults and wake-ups as marks."""
    tracks: Dict[int, Track] = {}

    def track(tid: int) -> Track:
        if tid not in tracks:
            name = trace.names.get(tid, "before threads" if tid == NO_THREAD else f"tid {tid}")
            tracks[tid] = Track(tid, name, trace.pids.get(tid, 0))
        return tracks[tid]

    def name_of(tid: int) -> str:
        return f"{trace.names.get(tid, '?')} ({tid})"

    running, run_start = None, 0
    open_call: Dict[int, list] = {}     # tid -> [nr, piece start, first start, piece number]
    irq_start: Dict[int, int] = {}
    records = [r for r in trace.records if r.type not in (NAME, PROC)]
    end = records[-1].tsc if records else 0

    def close_piece(tid: int, at: int, done: bool, result=None):
        nr, start, first, part = open_call[tid]
        name = sysnames.get(nr, f"syscall {nr}")
        args = {"nr": nr, "part": part}
        if done:
            args["result"] = signed32(result)
            args["total_tsc"] = at - first
        else:
            args["blocked"] = True
        track(tid).syscalls.append(Slice(start, at, name, args))
        open_call[tid][3] += 1

    for r in records:
        if running is None and r.tid != NO_THREAD:
            running, run_start = r.tid, r.tsc
        if r.type == SWITCH:
            track(r.tid).running.append(Slice(run_start, r.tsc, "running"))
            if r.tid in open_call:
                close_piece(r.tid, r.tsc, False)
            running, run_start = r.arg, r.tsc
            track(r.arg)
            if r.arg in open_call:
                open_call[r.arg][1] = r.tsc
        elif r.type == SYSCALL:
            open_call[r.tid] = [r.arg, r.tsc, r.tsc, 1]
        elif r.type == SYSRET:
            if r.tid in open_call:
                close_piece(r.tid, r.tsc, True, r.arg)
                del open_call[r.tid]
        elif r.type == IRQ_ENTER:
            irq_start[r.tid] = r.tsc
            track(r.tid)
        elif r.type == IRQ_EXIT:
            start = irq_start.pop(r.tid, r.tsc)
            track(r.tid).marks.append(Mark(start, "irq", f"irq {r.arg - 32}",
                                           {"vector": r.arg, "tsc_in_handler": r.tsc - start}))
        elif r.type == TRAP:
            track(r.tid).marks.append(Mark(r.tsc, "trap", f"trap {r.arg}", {"vector": r.arg}))
        elif r.type == FAULT:
            track(r.tid).marks.append(Mark(r.tsc, "fault", "page fault",
                                           {"address": f"0x{r.arg:08x}", "resolved": True}))
        elif r.type == FAULT_FATAL:
            for m in reversed(track(r.tid).marks):
                if m.kind == "fault":
                    m.args["resolved"] = False
                    m.name = "page fault (fatal)"
                    break
        elif r.type == WAKEUP:
            track(r.tid).marks.append(Mark(r.tsc, "wakeup", f"wakes {name_of(r.arg)}",
                                           {"woken_tid": r.arg}))
            track(r.arg)
    if running is not None:
        track(running).running.append(Slice(run_start, end, "running"))
        for tid in list(open_call):
            if tid == running:
                close_piece(tid, end, False)
    return tracks
