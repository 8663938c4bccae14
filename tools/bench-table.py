#!/usr/bin/python3
"""bench-table.py -- the table of `make bench`: terminal, JSON and bar chart.

    /usr/bin/python3 tools/bench-table.py [--json OUT] [--svg OUT] FILE...

Reads the "bench:" lines of one or more runs (FILE "-" is stdin) and
prints one table: a row per operation, a column per way of running it.

Input lines (anything else is ignored, so whole console logs will do):

    bench: row=getpid door=sysenter median=204 p90=204 min=204 max=204 n=10000
    bench: row=fork_exit_wait door=direct skipped=a unikernel runs one program: no fork
    bench: metric=boot_prompt_ratio value=1.21 unit=x

Row lines come from userland/bin/bench.c (door int80, sysenter, direct
for the unikernel build; sysenter_checks is the sysenter run with the
lock checks on, renamed by the Makefile) and from its Linux build (door
linux); metric
lines from tools/bench-boot.py and tools/bench-times.py. The numbers of
row lines are path lengths: guest instructions between two rdtsc under
QEMU -icount shift=0,align=off, not cycles.

--json writes the document described in docs/bench.md (schema
"tidepool-bench/1"); --svg a bar chart of the medians, log scale
(matplotlib, Agg backend: no display needed). Targets are printed as met
or not met; the tool's exit status does not depend on them.
"""

import argparse
import json
import re
import sys

UNITS = "guest instructions (QEMU -icount path length)"
NOTE = ("path lengths: guest instructions between two rdtsc reads under QEMU "
        "-icount shift=0,align=off (rdtsc counts instructions; a rep iteration "
        "counts as one), not cycles")

# The columns, in order: (door in the input, label). A door not listed
# here becomes an extra column after these, labelled by its name.
COLUMNS = [
    ("int80", "int $0x80"),
    ("sysenter", "sysenter"),
    ("direct", "unikernel"),
    ("linux", "Linux"),
    # lab 5 on: the sysenter run again with the lock checks on (lockdep,
    # the registry, the sleep checks: the kernel's default). The other
    # Tidepool columns run with sync_checks=0, the locks bare, as Linux's
    # anchor runs without lockdep.
    ("sysenter_checks", "sysenter, lock checks on"),
]

# The rows, in order: (id, label, what one run includes, the seed talk's
# numbers for it or None). The seed talk ("Towards a Safe and Sound
# Operating System") measured cycles on a Xeon Gold 6132, for Linux,
# HermitCore and RustyHermit: a reference, not comparable 1:1.
SEED_SYSTEMS = ["Linux", "HermitCore", "RustyHermit"]
SEED_UNITS = "cycles on a Xeon Gold 6132 (seed talk; not comparable 1:1)"
ROWS = [
    ("getpid", "getpid round trip",
     "getpid() from the libc: wrapper, door in and out, dispatch, sys_getpid",
     [1962, 13, 36]),
    ("yield_pair", "sched_yield round trip, 2 threads",
     "yield() in main -> partner thread's yield() -> main: two calls, two switches",
     [2428, 108, 233]),
    ("yield_alone", "sched_yield, nothing else runnable",
     "one yield() with no other runnable thread: the call, no switch",
     None),
    ("thread_create_join", "thread create + join",
     "thread_create() + thread_join() of a thread that returns at once (stack reused)",
     [9782, 8785, 7790]),
    ("first_touch", "first-touch page fault",
     "first write to a fresh anonymous heap page: fault, frame allocation, "
     "zeroing 4 KiB, mapping, the write again",
     [6969, 7718, 9061]),
    ("fork_exit_wait", "fork + exit + waitpid",
     "fork() of a small process + its _exit(0) + the parent's waitpid()",
     None),
    ("pipe_rtt", "pipe round trip (1 byte, 2 procs)",
     "write + read of one byte each way over two pipes between parent and child, "
     "two switches",
     None),
    ("open_close", "open + close",
     "open(O_RDONLY) of an existing file one level under / + close()",
     None),
    ("mutex_uncontended", "futex mutex lock + unlock, free",
     "umutex_lock() + umutex_unlock() of a mutex nobody else holds (usync.h, lab 5): "
     "two atomic instructions, no system call",
     None),
    ("futex_wake_nobody", "futex wake, nobody asleep",
     "futex_wake() of a word no thread waits on: the system call, the hash, one bucket "
     "spinlock (lab 5)",
     None),
    ("futex_pingpong", "futex wait/wake round trip, 2 threads",
     "main wakes a partner thread asleep in futex_wait and waits; the partner wakes main "
     "and waits again: 2 wakes, 2 sleeping waits, 2 switches (lab 5)",
     None),
    ("empty", "empty measurement",
     "two rdtsc back to back: the measurement's own cost, included in every row",
     None),
]

# The targets on the medians: (row or metric, column or None,
# limit, what it is compared against). Reported, never asserted.
TARGETS = [
    ("getpid", "sysenter", 100, "Linux 6.1: 322, xv6: 1398"),
    ("getpid", "direct", 20, "unikernel mode"),
    ("yield_pair", "sysenter", 300, "Linux: 801, no switch"),
    # the same limit under the anchor's own condition (nobody to switch to)
    ("yield_alone", "sysenter", 300, "Linux: 801, no switch"),
    ("thread_create_join", "sysenter", 5000, "Linux: about 50,000"),
    ("fork_exit_wait", "sysenter", 100000, "Linux: about 220,000; xv6: about 2,000,000"),
    ("first_touch", "sysenter", 1500, "Linux: about 3,300"),
    ("boot_prompt_ratio", None, 1.5, "xv6: about 3.5x; lab-3 kernel boots and exits at 1.09x"),
    ("grade_j2_s", None, 60, "make grade, all labs, -j2"),
    ("clean_build_s", None, 5, "make -j2 kernel from nothing"),
]

# The other numbers of make bench (metric lines): name -> label.
METRICS = {
    "boot_floor_s": "QEMU start to exit, trivial Multiboot kernel (floor)",
    "boot_prompt_s": "QEMU start to the shell prompt",
    "boot_prompt_ratio": "prompt / floor",
    "boot_prompt_nonic_s": "QEMU start to the shell prompt, no NIC (-nic none: no DHCP wait)",
    "boot_prompt_ratio_nonic": "prompt / floor, no NIC",
    "grade_serial_s": "make grade, all labs, serial",
    "grade_j2_s": "make grade, all labs, -j2",
    "clean_build_s": "clean build (make -j2 kernel, empty BUILD dir, no ccache)",
    "clean_build_ccache_s": "the same with a warm ccache",
    "kernel_text_bytes": "kernel text size",
}

ROW_LINE = re.compile(r"^bench: row=(\S+) door=(\S+) (.*)$")
METRIC_LINE = re.compile(r"^bench: metric=(\S+) value=(\S+)(?: unit=(\S+))?")
FIELDS = ("median", "p90", "min", "max", "n")


def parse(lines):
    """(results, metrics, other): results[row][door] is a dict of FIELDS or
    {"skipped": reason}; metrics[name] = {"value", "unit"}; other is the
    remaining "bench:" lines (kernel benches, human lines) as they came."""
    results, metrics, other = {}, {}, []
    for raw in lines:
        line = raw.rstrip("\r\n")
        m = ROW_LINE.match(line)
        if m:
            row, door, rest = m.groups()
            results.setdefault(row, {})[door] = parse_fields(rest, line)
            continue
        m = METRIC_LINE.match(line)
        if m:
            metrics[m.group(1)] = {"value": float(m.group(2)), "unit": m.group(3) or ""}
            continue
        if line.startswith("bench:"):
            other.append(line)
    return results, metrics, other


def parse_fields(rest, line):
    if rest.startswith("skipped="):
        return {"skipped": rest[len("skipped="):]}
    fields = dict(kv.split("=", 1) for kv in rest.split() if "=" in kv)
    try:
        return {k: int(fields[k]) for k in FIELDS}
    except (KeyError, ValueError):
        sys.exit(f"bench-table: a row line without {', '.join(FIELDS)}: {line!r}")


def columns_of(results):
    known = [door for door, _ in COLUMNS]
    extra = sorted({d for doors in results.values() for d in doors} - set(known))
    return COLUMNS + [(d, d) for d in extra]


def rows_of(results):
    known = {r[0] for r in ROWS}
    extra = sorted(set(results) - known)
    return ROWS + [(r, r, "", None) for r in extra]


def value_of(results, metrics, name, column):
    """The median (row) or value (metric) a target is about, or None."""
    if column is None:
        m = metrics.get(name)
        return m["value"] if m else None
    cell = results.get(name, {}).get(column)
    return cell.get("median") if cell else None


def targets(results, metrics):
    out = []
    for name, column, limit, anchor in TARGETS:
        value = value_of(results, metrics, name, column)
        out.append({"name": name, "column": column, "limit": limit, "value": value,
                    "met": None if value is None else value <= limit, "anchor": anchor})
    return out


def cell_text(cell):
    if cell is None:
        return "-"
    if "skipped" in cell:
        return "n/a"
    return f"{cell['median']:,} / {cell['p90']:,}"


def seed_text(seed):
    return " / ".join(f"{v:,}" for v in seed) if seed else ""


def print_table(results, metrics, out=None):
    out = out or sys.stdout
    cols = columns_of(results)
    rows = rows_of(results)
    head = ["row (median / p90)"] + [label for _, label in cols] + \
           ["seed: " + " / ".join(SEED_SYSTEMS)]
    body = [[label] + [cell_text(results.get(row, {}).get(door)) for door, _ in cols] +
            [seed_text(seed)] for row, label, _, seed in rows]
    widths = [max(len(r[i]) for r in [head] + body) for i in range(len(head))]
    print(f"bench: {NOTE}.", file=out)
    print(f"bench: median / p90 of n runs each; '-' = not run, 'n/a' = skipped "
          f"(reasons below); seed column: {SEED_UNITS}.", file=out)
    for r in [head] + body:
        cells = [r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:])]
        print("  ".join(cells).rstrip(), file=out)
    for row, doors in sorted(results.items()):
        for door, cell in sorted(doors.items()):
            if "skipped" in cell:
                print(f"  n/a: {row} through {door}: {cell['skipped']}", file=out)
    ns = sorted({c["n"] for doors in results.values() for c in doors.values() if "n" in c})
    if ns:
        print(f"  runs per cell: {', '.join(map(str, ns))}", file=out)
    for name, label in METRICS.items():
        if name in metrics:
            m = metrics[name]
            print(f"  {label}: {m['value']:g} {m['unit']}".rstrip(), file=out)


def print_targets(tlist, out=None):
    out = out or sys.stdout
    print("bench: targets (median <= limit; reported, not asserted):", file=out)
    for t in tlist:
        where = f"{t['name']} via {t['column']}" if t["column"] else t["name"]
        if t["met"] is None:
            verdict = "not measured"
        else:
            verdict = f"{t['value']:g}: {'met' if t['met'] else 'NOT met'}"
        print(f"  {where} <= {t['limit']:g}: {verdict}   ({t['anchor']})", file=out)


def document(results, metrics, other):
    cols = columns_of(results)
    rows = []
    for row, label, includes, seed in rows_of(results):
        rows.append({
            "id": row, "label": label, "includes": includes,
            "seed": dict(zip(SEED_SYSTEMS, seed), units=SEED_UNITS) if seed else None,
            "results": {door: results.get(row, {}).get(door) for door, _ in cols},
        })
    return {
        "schema": "tidepool-bench/1",
        "units": UNITS,
        "note": NOTE,
        "statistics": "median and p90 (and min, max) of n runs, each timed on its own, "
                      "after warm-up runs",
        "columns": [{"id": door, "label": label} for door, label in cols],
        "rows": rows,
        "metrics": {name: dict(metrics[name], label=METRICS.get(name, name))
                    for name in metrics},
        "targets": targets(results, metrics),
        "other_lines": other,
    }


def write_svg(doc, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["svg.hashsalt"] = "tidepool-bench"  # same input, same file
    rows = [r for r in doc["rows"] if any(c and "median" in c for c in r["results"].values())]
    cols = [c for c in doc["columns"]
            if any((r["results"].get(c["id"]) or {}).get("median") for r in rows)]
    fig, ax = plt.subplots(figsize=(9, 0.5 + 0.55 * max(1, len(rows)) * max(1, len(cols)) / 2))
    height = 0.8 / max(1, len(cols))
    for j, col in enumerate(cols):
        ys, xs = [], []
        for i, row in enumerate(rows):
            cell = row["results"].get(col["id"]) or {}
            if cell.get("median"):
                ys.append(i + (j - (len(cols) - 1) / 2) * height)
                xs.append(cell["median"])
        bars = ax.barh(ys, xs, height=height, label=col["label"])
        ax.bar_label(bars, labels=[f"{x:,}" for x in xs], padding=2, fontsize=7)
    ax.set_xscale("log")
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([r["label"] for r in rows])
    ax.invert_yaxis()
    ax.set_xlabel("median path length, " + doc["units"] + ", log scale")
    ax.margins(x=0.15)          # room for the labels right of the longest bar
    ax.set_title("Tidepool: path lengths (not cycles)")
    if cols:
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=len(cols))
    fig.savefig(path, format="svg", metadata={"Date": None}, bbox_inches="tight")
    plt.close(fig)


def read_inputs(files):
    lines = []
    for name in files:
        if name == "-":
            lines += sys.stdin.readlines()
        else:
            with open(name, encoding="utf-8", errors="replace") as f:
                lines += f.readlines()
    return lines


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="+", help="files of bench: lines ('-' = stdin)")
    ap.add_argument("--json", help="write the JSON document here")
    ap.add_argument("--svg", help="write the bar chart here")
    args = ap.parse_args(argv)
    results, metrics, other = parse(read_inputs(args.files))
    doc = document(results, metrics, other)
    print_table(results, metrics)
    print_targets(doc["targets"])
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=1)
            f.write("\n")
    if args.svg:
        write_svg(doc, args.svg)
    if args.json or args.svg:
        print(f"bench: wrote {' and '.join(p for p in (args.json, args.svg) if p)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
