"""tools/bench-table.py: the table, the JSON's structure and the chart, from sample lines (no QEMU)."""

import importlib.util
import json
import sys
from pathlib import Path

import pytest

TOOLS = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("bench_table", TOOLS / "bench-table.py")
bench_table = importlib.util.module_from_spec(_spec)
sys.modules["bench_table"] = bench_table
_spec.loader.exec_module(bench_table)

SAMPLE = """\
console noise the tool must ignore
bench: door=int80: path lengths in guest instructions ..., not cycles
bench: row=getpid door=int80 median=146 p90=150 min=140 max=900 n=10000
bench:   getpid: median 146, p90 150 instructions -- a human line
bench: row=getpid door=sysenter median=90 p90=95 min=88 max=300 n=10000
bench: row=yield_pair door=sysenter median=717 p90=717 min=717 max=864 n=10000
bench: row=fork_exit_wait door=sysenter median=89481 p90=89481 min=89411 max=89638 n=10000
bench: row=fork_exit_wait door=direct skipped=a unikernel runs one program: no fork
bench: row=getpid door=direct median=12 p90=12 min=12 max=12 n=10000
bench: metric=boot_prompt_ratio value=1.21 unit=x
bench: metric=grade_j2_s value=75.5 unit=s
bench: kmalloc: a kernel bench line, kept as it is
"""


@pytest.fixture
def run(tmp_path, capsys):
    """Runs the tool on SAMPLE; returns (stdout, JSON document, SVG path)."""
    src = tmp_path / "sample.txt"
    src.write_text(SAMPLE)
    out_json, out_svg = tmp_path / "bench.json", tmp_path / "bench.svg"
    assert bench_table.main([str(src), "--json", str(out_json), "--svg", str(out_svg)]) == 0
    return capsys.readouterr().out, json.loads(out_json.read_text()), out_svg


def cell(out, label, column):
    """The table's cell of row `label` in `column` (cells are right-aligned
    under their column's header)."""
    lines = out.splitlines()
    head = next(line for line in lines if line.startswith("row (median / p90)"))
    row = next(line for line in lines if line.startswith(label))
    end = head.index(column) + len(column)
    return row[:end].split("  ")[-1].strip()


def test_json_structure(run):
    _, doc, _ = run
    assert doc["schema"] == "tidepool-bench/1"
    assert doc["units"] == "guest instructions (QEMU -icount path length)"
    assert [c["id"] for c in doc["columns"]] == ["int80", "sysenter", "direct", "linux",
                                                 "sysenter_checks"]
    ids = [r["id"] for r in doc["rows"]]
    assert ids[:8] == ["getpid", "yield_pair", "yield_alone", "thread_create_join",
                       "first_touch", "fork_exit_wait", "pipe_rtt", "open_close"]
    for row in doc["rows"]:
        assert set(row) == {"id", "label", "includes", "seed", "results"}
        assert row["includes"]
        assert set(row["results"]) == {"int80", "sysenter", "direct", "linux",
                                       "sysenter_checks"}
    getpid = doc["rows"][0]
    assert getpid["results"]["int80"] == {"median": 146, "p90": 150, "min": 140, "max": 900,
                                          "n": 10000}
    assert getpid["results"]["linux"] is None
    assert getpid["seed"]["Linux"] == 1962 and "cycles" in getpid["seed"]["units"]
    fork = doc["rows"][ids.index("fork_exit_wait")]
    assert fork["results"]["direct"] == {"skipped": "a unikernel runs one program: no fork"}
    assert doc["metrics"]["boot_prompt_ratio"]["value"] == 1.21
    assert "bench: kmalloc: a kernel bench line, kept as it is" in doc["other_lines"]


def test_missing_column_prints_dash(run):
    out, _, _ = run
    assert cell(out, "getpid round trip", "int $0x80") == "146 / 150"
    assert cell(out, "getpid round trip", "sysenter") == "90 / 95"
    assert cell(out, "getpid round trip", "unikernel") == "12 / 12"
    assert cell(out, "getpid round trip", "Linux") == "-"
    for column in ["int $0x80", "sysenter", "unikernel", "Linux"]:
        assert cell(out, "open + close", column) == "-"
    assert cell(out, "fork + exit + waitpid", "unikernel") == "n/a"
    assert "not cycles" in out


def test_targets(run):
    out, doc, _ = run
    met = {(t["name"], t["column"]): t["met"] for t in doc["targets"]}
    assert met[("getpid", "sysenter")] is True           # 90 <= 100
    assert met[("getpid", "direct")] is True             # 12 <= 20
    assert met[("yield_pair", "sysenter")] is False      # 717 > 300
    assert met[("fork_exit_wait", "sysenter")] is True   # 89,481 <= 100,000
    assert met[("first_touch", "sysenter")] is None      # not measured
    assert met[("boot_prompt_ratio", None)] is True      # 1.21 <= 1.5
    assert met[("grade_j2_s", None)] is False            # 75.5 > 60
    assert "getpid via sysenter <= 100: 90: met" in out
    assert "yield_pair via sysenter <= 300: 717: NOT met" in out
    assert "first_touch via sysenter <= 1500: not measured" in out


def test_svg_written(run):
    _, _, svg = run
    text = svg.read_text()
    assert text.lstrip().startswith("<?xml") and "<svg" in text and text.rstrip().endswith("</svg>")


def test_bad_row_line_is_an_error(tmp_path):
    src = tmp_path / "bad.txt"
    src.write_text("bench: row=getpid door=int80 median=12\n")
    with pytest.raises(SystemExit):
        bench_table.main([str(src)])
