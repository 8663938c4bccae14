"""Fixtures for the grader's own tests (not graded; no real kernel needed)."""

import pytest

from helpers import FAKE_QEMU
from tidepool import tinykernel, timeouts


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch):
    """Selftests never see the caller's kernel, emulator or scale settings."""
    for var in ("TIDEPOOL_KERNEL", "TIDEPOOL_QEMU", "TIDEPOOL_TIMEOUT_SCALE",
                "TIDEPOOL_GDB", "TIDEPOOL_KEEP_TMP", "ACCEL"):
        monkeypatch.delenv(var, raising=False)
    timeouts.clear_cache()
    yield
    timeouts.clear_cache()


@pytest.fixture
def fake_qemu(monkeypatch) -> str:
    """Make the fake emulator the one every runner uses; return its path."""
    monkeypatch.setenv("TIDEPOOL_QEMU", str(FAKE_QEMU))
    return str(FAKE_QEMU)


@pytest.fixture
def fake_kernel(tmp_path) -> str:
    """A file to pass as -kernel to the fake emulator."""
    path = tmp_path / "kernel.elf"
    path.write_bytes(b"\x7fELF fake kernel for selftests\n")
    return str(path)


@pytest.fixture
def broken_kernel(tmp_path) -> str:
    """A kernel the fake emulator 'crashes' on every boot (even cmdline 'exit')."""
    path = tmp_path / "broken.elf"
    path.write_bytes(b"FAKE broken kernel\n")
    return str(path)


@pytest.fixture
def tiny(tmp_path):
    """tiny(kind, com1='', com2='') -> path of a hand-assembled Multiboot image."""
    def make(kind="exit", com1="", com2="", status=None):
        name = f"tiny-{kind}-{abs(hash((com1, com2, status))) % 10**8}.bin"
        return tinykernel.write(str(tmp_path / name), kind, com1, com2, status)

    return make
