"""Machine-scaled timeouts."""

import pytest

from tidepool import timeouts


def test_scale_formula_and_clamp():
    assert timeouts.scale_for(0.05) == 1.0
    assert timeouts.scale_for(0.15) == 1.0
    assert timeouts.scale_for(0.6) == pytest.approx(4.0)
    assert timeouts.scale_for(1000) == timeouts.MAX_SCALE


def test_env_override_skips_measuring(monkeypatch, tmp_path):
    monkeypatch.setenv("TIDEPOOL_TIMEOUT_SCALE", "2.5")
    cal = timeouts.calibrate(str(tmp_path / "does-not-exist.elf"))
    assert (cal.scale, cal.source, cal.measured) == (2.5, "env", None)
    assert cal["boot"] == 2.5 * timeouts.BASE["boot"]
    assert cal.timeout(4) == 10.0
    assert "TIDEPOOL_TIMEOUT_SCALE" in cal.describe()


@pytest.mark.parametrize("bad", ["fast", "0", "-1"])
def test_env_override_must_be_positive_number(monkeypatch, bad):
    monkeypatch.setenv("TIDEPOOL_TIMEOUT_SCALE", bad)
    with pytest.raises(ValueError, match="TIDEPOOL_TIMEOUT_SCALE"):
        timeouts.calibrate("k")


def test_measures_the_kernel_once_per_process(fake_qemu, fake_kernel):
    cal = timeouts.calibrate(fake_kernel)
    assert cal.source == "kernel" and cal.measured is not None and cal.measured < 10
    assert cal.scale >= 1.0
    assert timeouts.calibrate(fake_kernel) is cal  # cached


def test_slow_machine_scales_up(fake_qemu, tmp_path, monkeypatch):
    # The fake sleeps on 'fake_delay=S'; calibration boots with cmdline 'exit',
    # so make a wrapper emulator that always adds the delay.
    wrapper = tmp_path / "slow-qemu"
    wrapper.write_text("#!/bin/sh\n"
                       f'for a; do shift; if [ "$prev" = -append ]; then a="$a fake_delay=0.6"; fi; '
                       f'set -- "$@" "$a"; prev=$a; done\nexec {fake_qemu} "$@"\n')
    wrapper.chmod(0o755)
    monkeypatch.setenv("TIDEPOOL_QEMU", str(wrapper))
    kernel = tmp_path / "k.elf"
    kernel.write_bytes(b"x")
    cal = timeouts.calibrate(str(kernel))
    assert cal.source == "kernel"
    assert cal.measured >= 0.6
    assert cal.scale >= 4.0
    assert cal["expect"] >= 4 * timeouts.BASE["expect"]


def test_broken_kernel_falls_back_to_the_tiny_kernel(fake_qemu, broken_kernel):
    cal = timeouts.calibrate(broken_kernel)
    assert cal.source == "tiny kernel"
    assert "did not exit on cmdline 'exit'" in cal.note
    assert cal.scale >= 1.0


def test_no_emulator_at_all_gives_default_scale(monkeypatch, fake_kernel):
    monkeypatch.setenv("TIDEPOOL_QEMU", "/nonexistent/qemu")
    cal = timeouts.calibrate(fake_kernel)
    assert (cal.scale, cal.source) == (1.0, "default")
