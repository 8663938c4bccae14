"""A newcomer's first `make` without the toolchain explains itself.

Without gcc-multilib, gcc -m32 finds no 32-bit libgcc: `make` must stop
before the first compile, name the package and the apt-get line, instead
of compiling everything and failing to link (__udivdi3). LIBGCC=/nonexistent
stands for a machine without gcc-multilib; CROSS= keeps a cross compiler,
if this machine has one, out of it.
"""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_missing_multilib_is_named(tmp_path):
    r = subprocess.run(["make", "--no-print-directory", "CROSS=", "LIBGCC=/nonexistent/libgcc.a",
                        f"BUILD={tmp_path}/build", "kernel"], cwd=ROOT, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode != 0
    assert "missing Debian packages: gcc-multilib" in r.stderr, r.stderr
    assert "apt-get install -y --no-install-recommends gcc-multilib" in r.stderr
    assert not (tmp_path / "build" / "kernel").exists(), "it compiled before saying so"


def test_with_the_toolchain_nothing_is_said(tmp_path):
    r = subprocess.run(["make", "--no-print-directory", "-n", f"BUILD={tmp_path}/build", "kernel"],
                       cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0 and "missing Debian packages" not in r.stdout + r.stderr
