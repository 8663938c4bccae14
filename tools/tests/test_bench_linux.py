"""make bench-linux's program builds: bench.c + userland/linux as a static
32-bit Linux executable (no QEMU, no kernel download: that part is opt-in).

Catches bench.c calling a Tidepool function that userland/linux does not
provide. The program cannot run here (the host may lack 32-bit support);
it runs only inside QEMU, under `make bench-linux`."""

import struct
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


def static_m32_links(tmp_path):
    src = tmp_path / "t.c"
    src.write_text("int main(void) { return 0; }\n")
    return subprocess.run(["gcc", "-m32", "-static", str(src), "-o", str(tmp_path / "t")],
                          capture_output=True).returncode == 0


def test_bench_builds_for_linux(tmp_path):
    if not static_m32_links(tmp_path):
        pytest.skip("no static 32-bit glibc (tools/deps.sh bench-linux)")
    build = tmp_path / "build"
    subprocess.run(["make", "-s", "BUILD=%s" % build, "%s/bench-linux/init" % build],
                   cwd=ROOT, check=True, capture_output=True)
    elf = (build / "bench-linux" / "init").read_bytes()
    assert elf[:4] == b"\x7fELF"
    assert elf[4] == 1, "32-bit"
    e_machine, = struct.unpack_from("<H", elf, 18)
    assert e_machine == 3, "i386"
    e_phoff, = struct.unpack_from("<I", elf, 28)
    e_phentsize, e_phnum = struct.unpack_from("<HH", elf, 42)
    types = [struct.unpack_from("<I", elf, e_phoff + i * e_phentsize)[0] for i in range(e_phnum)]
    assert 3 not in types, "static: no PT_INTERP"
