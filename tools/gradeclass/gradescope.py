"""Gradescope's autograder zip for one lab: build/gradescope-labN.zip.

    /usr/bin/python3 tools/gradeclass/gradescope.py --lab N --out ZIP

Gradescope unpacks the zip at /autograder/source, runs setup.sh once when
it builds the image, and run_autograder once per submission, with the
submission at /autograder/submission; the score is what run_autograder
leaves in /autograder/results/results.json. The zip holds:
  setup.sh         the Debian/Ubuntu packages the build and the grader need
                   (only packages both distributions have: Gradescope's
                   base images are Ubuntu)
  run_autograder   python3 -m gradeclass.autograder (autograder.py)
  gradeclass/      this package (the same code the batch grader uses)
  grading/         the instructor's trusted grading/, hidden tests included
"""

import argparse
import shutil
import stat
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]

# The packages setup.sh installs: what `make kernel` and `make grade` need.
PACKAGES = ["make", "gcc", "gcc-multilib", "binutils", "qemu-system-x86", "gdb", "git",
            "python3", "python3-pytest", "python3-pexpect", "python3-pytest-xdist"]

SETUP = """#!/bin/sh
# Gradescope: run once when the autograder image is built (as root).
set -eu
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends {packages}
"""

RUN = """#!/bin/sh
# Gradescope: run once per submission (/autograder/submission), writes
# /autograder/results/results.json. Lab {lab}.
cd /autograder/source
exec /usr/bin/python3 -B -m gradeclass.autograder --lab {lab} --platform gradescope \\
    --submission /autograder/submission --trusted /autograder/source/grading \\
    --work /autograder/work --results /autograder/results/results.json
"""


def _add_tree(z: zipfile.ZipFile, src: Path, name: str, skip=()) -> None:
    for path in sorted(src.rglob("*")):
        rel = path.relative_to(src)
        if "__pycache__" in rel.parts or rel.parts[0] in skip or path.is_dir():
            continue
        z.write(path, f"{name}/{rel}")


def _add_script(z: zipfile.ZipFile, name: str, text: str) -> None:
    info = zipfile.ZipInfo(name)
    info.external_attr = (stat.S_IFREG | 0o755) << 16
    z.writestr(info, text)


def make_zip(lab: int, out: Path, trusted: Path = ROOT / "grading") -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        _add_script(z, "setup.sh", SETUP.format(packages=" ".join(PACKAGES)))
        _add_script(z, "run_autograder", RUN.format(lab=lab))
        _add_tree(z, HERE, "gradeclass")
        _add_tree(z, trusted, "grading", skip=("class",))
    return out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--lab", type=int, required=True)
    p.add_argument("--out", type=Path)
    args = p.parse_args()
    out = args.out or ROOT / "build" / f"gradescope-lab{args.lab}.zip"
    print(f"gradescope: {make_zip(args.lab, out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
