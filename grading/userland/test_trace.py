"""The scheduler trace (issue 13; docs/trace.md): `trace=sched` records,
the kernel dumps the ring on COM2 at exit, tools/trace2perfetto and
tools/trace2svg turn the dump into Chrome trace-event JSON and a timeline.

Not graded (no lab): `make test-userland-qemu` runs it. Only structure is
checked, never timings. Try it:
    make qemu CMDLINE='trace=sched run=/bin/sh -c "echo hi | cat"'
"""

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

from tidepool.errors import fail

TOOLS = Path(__file__).resolve().parents[2] / "tools"
CMDLINE = 'trace=sched run=/bin/sh -c "echo hi | cat"'


def traced_run(boot, initrd, tmp_path):
    """One traced run of `sh -c "echo hi | cat"`, its COM2 in a file."""
    result = boot(CMDLINE, initrd=[str(initrd)])
    if "run: /bin/sh exited with status 0" not in result.console:
        fail("the traced run of sh -c \"echo hi | cat\" did not end well:\n"
             + "\n".join(result.last_lines()))
    if "trace: end" not in result.com2:
        fail("no 'trace: begin' ... 'trace: end' dump on COM2; the kernel printed:\n"
             + "\n".join(result.last_lines()))
    path = tmp_path / "com2.txt"
    path.write_text(result.com2)
    return path


def tool(name, *args):
    proc = subprocess.run([sys.executable, str(TOOLS / name), *map(str, args)],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=60)
    if proc.returncode != 0:
        fail(f"tools/{name} {' '.join(map(str, args))} failed ({proc.returncode}):\n{proc.stderr}")
    return proc


def test_trace_echo_hi_cat(boot, initrd, tmp_path):
    """trace=sched on sh -c "echo hi | cat": the dump converts to trace-event
    JSON with a named track per thread, and to an SVG with a row per thread."""
    dump = traced_run(boot, initrd, tmp_path)
    out = tmp_path / "trace.json"
    tool("trace2perfetto", dump, "-o", out)
    trace_json = json.loads(out.read_text())
    check_json_structure(trace_json)
    check_one_named_track_per_thread(trace_json)
    check_slices_and_time_order(trace_json)
    check_svg_one_row_per_thread(dump, trace_json)


def check_json_structure(trace_json):
    """Valid JSON object format; every event has ph/ts/pid/tid."""
    assert isinstance(trace_json, dict) and isinstance(trace_json.get("traceEvents"), list)
    assert trace_json.get("displayTimeUnit") in ("ms", "ns")
    events = trace_json["traceEvents"]
    assert events, "no events"
    for e in events:
        missing = [k for k in ("ph", "ts", "pid", "tid") if k not in e]
        assert not missing, f"event without {missing}: {e}"
        assert e["ph"] in ("M", "X", "B", "E", "i"), e


def check_one_named_track_per_thread(trace_json):
    """One thread_name per thread seen; sh, echo and cat among them."""
    events = trace_json["traceEvents"]
    names = defaultdict(list)
    for e in events:
        if e["ph"] == "M" and e["name"] == "thread_name":
            names[(e["pid"], e["tid"])].append(e["args"]["name"])
    seen = {(e["pid"], e["tid"]) for e in events if e["ph"] != "M"}
    for track in seen:
        assert len(names.get(track, [])) == 1, f"track {track}: thread_name {names.get(track)}"
    shown = " ".join(n for ns in names.values() for n in ns)
    for prog in ("sh", "echo", "cat"):
        assert f"{prog} (tid" in shown, f"no thread named {prog}: {sorted(names.values())}"
    running = {(e["pid"], e["tid"]) for e in events if e.get("cat") == "sched"}
    assert len(running) >= 3, f"running slices on {running} only"
    assert any(e.get("cat") == "syscall" and e["name"] == "fork" for e in events)


def check_slices_and_time_order(trace_json):
    """X slices have dur >= 0, B/E balance, time never goes back on a track."""
    last = {}
    depth = defaultdict(int)
    for e in trace_json["traceEvents"]:
        if e["ph"] == "M":
            continue
        track = (e["pid"], e["tid"])
        assert e["ts"] >= last.get(track, float("-inf")), f"time goes back on {track}: {e}"
        last[track] = e["ts"]
        if e["ph"] == "X":
            assert e["dur"] >= 0, e
        elif e["ph"] == "B":
            depth[track] += 1
        elif e["ph"] == "E":
            depth[track] -= 1
            assert depth[track] >= 0, f"E without B on {track}"
    assert all(d == 0 for d in depth.values()), dict(depth)


def check_svg_one_row_per_thread(dump, trace_json):
    """tools/trace2svg draws an SVG that parses, with one row per running thread."""
    out = dump.parent / "trace.svg"
    tool("trace2svg", dump, "-o", out)
    root = ET.parse(out).getroot()
    assert root.tag.endswith("svg"), root.tag
    rows = {el.get("id") for el in root.iter() if (el.get("id") or "").startswith("thread-")
            and el.get("id")[len("thread-"):].isdigit()}
    threads = {f"thread-{e['tid']}" for e in trace_json["traceEvents"] if e.get("cat") == "sched"}
    assert rows == threads, f"rows {sorted(rows)}, threads that ran {sorted(threads)}"
