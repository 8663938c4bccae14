#!/usr/bin/python3
"""make_class.py -- a class of N generated lab submissions of mixed quality.

    /usr/bin/python3 grading/class/make_class.py --out DIR [--count 20] [--lab 1]

For measuring the batch grader's throughput (docs/grading-a-class.md):
cycles through MIX -- the solution, the handout (nothing done), a build
error, a triple fault -- in the three formats a class hands in.
"""

import argparse
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_fixtures as fx  # noqa: E402

# (base, edits): what a student of this kind hands in.
MIX = [
    ("solved", []),
    ("handout", []),
    ("solved", []),
    ("solved", [("kernel/main.c", fx.KMAIN_HOOK, fx.KMAIN_HOOK + "    this is not C;\n")]),
    ("handout", []),
    ("solved", [("kernel/main.c", fx.KMAIN_HOOK, fx.KMAIN_HOOK + fx.TRIPLE_FAULT)]),
    ("solved", []),
]
FORMATS = ["tar", "git", "bundle"]


def make(out: Path, count: int, lab: int) -> None:
    out.mkdir(parents=True, exist_ok=True)
    bases = out.parent / (out.name + ".bases")
    for base, solved in (("handout", lab - 1), ("solved", lab)):
        if not (bases / base).is_dir():
            fx.stage(lab, solved, bases / base)
    for i in range(count):
        base, edits = MIX[i % len(MIX)]
        tree = bases / "tmp" / f"student{i:02d}"
        shutil.rmtree(tree, ignore_errors=True)
        shutil.copytree(bases / base, tree, symlinks=True)
        for file, find, replace in edits:
            fx.edit(tree, file, find, replace)
        print(fx.pack(tree, FORMATS[i % len(FORMATS)], out / f"student{i:02d}"))
        shutil.rmtree(tree, ignore_errors=True)


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--count", type=int, default=20)
    p.add_argument("--lab", type=int, default=1)
    args = p.parse_args()
    make(args.out, args.count, args.lab)
    return 0


if __name__ == "__main__":
    sys.exit(main())
