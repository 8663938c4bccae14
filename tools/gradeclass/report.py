"""The HTML class report: one self-contained page, no scripts.

  - the score histogram, drawn as inline SVG (ten bins of the maximum);
  - per-test pass rates (of the submissions that reached the grader);
  - the slowest submissions (wall time of unpack + build + grade);
  - the failures grouped by their first error line, each group with its
    students, so one common mistake reads as one line.
"""

import html
from collections import defaultdict
from pathlib import Path
from typing import List

from .gradebook import max_score, test_columns
from .submission import Outcome

BINS = 10


def histogram_svg(scores: List[float], top: float, width=480, height=200) -> str:
    counts = [0] * BINS
    for s in scores:
        i = int(BINS * s / top) if top else 0
        counts[min(max(i, 0), BINS - 1)] += 1
    peak = max(counts) or 1
    bar = (width - 40) / BINS
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height + 40}" '
             f'role="img" aria-label="score histogram">']
    for i, n in enumerate(counts):
        h = (height - 20) * n / peak
        x = 30 + i * bar
        y = height - h
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar - 4:.1f}" height="{h:.1f}" '
                     f'fill="#4a7ab5"><title>{n} submissions</title></rect>')
        parts.append(f'<text x="{x + bar / 2 - 2:.1f}" y="{y - 4:.1f}" font-size="11" '
                     f'text-anchor="middle">{n}</text>')
        low = top * i / BINS
        parts.append(f'<text x="{x + bar / 2 - 2:.1f}" y="{height + 14}" font-size="10" '
                     f'text-anchor="middle">{low:g}</text>')
    parts.append(f'<line x1="30" y1="{height}" x2="{width - 10}" y2="{height}" stroke="black"/>')
    parts.append(f'<text x="{width / 2}" y="{height + 34}" font-size="11" text-anchor="middle">'
                 f'score (bins of {top / BINS:g} points, max {top:g})</text></svg>')
    return "\n".join(parts)


def _table(header, rows) -> str:
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>"
                   for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def pass_rates(outcomes: List[Outcome]):
    graded = [o for o in outcomes if o.status == "graded"]
    rows = []
    for name in test_columns(outcomes):
        passed = sum(1 for o in graded for t in o.tests if t["name"] == name and t["status"] == "passed")
        rate = f"{100 * passed / len(graded):.0f}%" if graded else "-"
        rows.append((name, f"{passed}/{len(graded)}", rate))
    return rows


def failure_groups(outcomes: List[Outcome]):
    """(first error line, [students]) for every failure, biggest group first."""
    groups = defaultdict(list)
    for o in outcomes:
        if o.status != "graded":
            groups[f"[{o.status}] {o.first_error}"].append(o.student)
            continue
        for t in o.tests:
            if t["status"] != "passed":
                first = next((l.strip() for l in t.get("output", "").splitlines() if l.strip()), "")
                short = t["name"].split(" (")[0]
                groups[f"{short}: {first[:160]}"].append(o.student)
    return sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))


def write_html(outcomes: List[Outcome], path: Path, title: str) -> None:
    top = max_score(outcomes)
    scores = [o.score for o in outcomes]
    slowest = sorted(outcomes, key=lambda o: -o.wall_s)[:10]
    statuses = defaultdict(int)
    for o in outcomes:
        statuses[o.status] += 1
    parts = [
        "<!DOCTYPE html><html><head><meta charset='utf-8'>",
        f"<title>{html.escape(title)}</title><style>body{{font-family:sans-serif;margin:2em}}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}"
        "</style></head><body>",
        f"<h1>{html.escape(title)}</h1>",
        f"<p>{len(outcomes)} submissions: "
        + ", ".join(f"{n} {html.escape(s)}" for s, n in sorted(statuses.items())) + "</p>",
        "<h2>Scores</h2>", histogram_svg(scores, top or 1),
        "<h2>Per-test pass rates</h2>", _table(["test", "passed", "rate"], pass_rates(outcomes)),
        "<h2>Slowest submissions</h2>",
        _table(["student", "seconds", "status", "score"],
               [(o.student, f"{o.wall_s:.1f}", o.status, f"{o.score:g}") for o in slowest]),
        "<h2>Failures by first error line</h2>",
        _table(["students", "first error line", "who"],
               [(len(who), line, " ".join(who)) for line, who in failure_groups(outcomes)]),
        "</body></html>",
    ]
    path.write_text("\n".join(parts) + "\n")
