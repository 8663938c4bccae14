"""Lab 2, hidden: pit_divisor() for rates other than the default 100 Hz.

Instructors only (never in a handout). The public tests run the timer at
100 Hz only and accept its rate within 5 %, so a pit_divisor() that returns
the 100 Hz divisor whatever it is asked, truncates instead of rounding, or
lets a divisor above 65535 wrap around, passes them. This test stops the
kernel in the monitor and calls pit_divisor() from GDB for a few rates.

(An in-kernel timer.rate run at timer_hz=1000 or 50 would test the same
end to end, but under host load QEMU's RTC loses periodic interrupts while
the guest halts, and the +-5 % measurement is not reliable: see the lab-2
hidden-test notes.)

Reproduce with:  make qemu-gdb  and  make gdb, then
    break monitor_main / continue / print pit_divisor(50)
"""

import pytest

from tidepool.errors import fail, indent

pytestmark = pytest.mark.lab(2)

PIT_INPUT_HZ = 1193182  # kernel/arch/i386/pit.h


def expected_divisors(hz):
    """The divisors pit_divisor(hz) may return: 1193182/hz rounded to nearest,
    and for a rate slower than 18.2 Hz the slowest the 16-bit counter can
    do, 65536, written 0 (65535, one step off, is accepted too)."""
    d = (PIT_INPUT_HZ + hz // 2) // hz
    if d > 0xFFFF:
        return {0, 0xFFFF}
    return {d}


# Rates: the public default, both ends of what pit_init() accepts (19 Hz,
# and 596591 Hz = divisor 2), rates where truncating gives a different
# answer (50, 440, 60), and one too slow for 16 bits (18 Hz).
RATES = (100, 1000, 50, 440, 60, 300, 19, 596591, 18)

SCRIPT = "break monitor_main\ncontinue\n" + "".join(
    f'printf "@@div_{hz}=%u\\n", (unsigned)pit_divisor({hz})\n' for hz in RATES)


@pytest.mark.points(2)
def test_pit_divisor_rates(gdb):
    """pit_divisor(hz) is 1193182/hz rounded to nearest for rates other than 100 Hz; too slow clamps to 0 (65536)"""
    g = gdb(SCRIPT)
    g.expect(r"^Breakpoint 1, (0x[0-9a-fA-F]+ in )?monitor_main ",
             "a stop at the breakpoint in monitor_main (kmain must reach the monitor)")
    wrong = []
    for hz in RATES:
        got = int(g.marker(f"div_{hz}", f"the value of pit_divisor({hz})"))
        want = expected_divisors(hz)
        if got not in want:
            exact = PIT_INPUT_HZ / hz
            rate = PIT_INPUT_HZ / (got or 65536)
            wrong.append(f"pit_divisor({hz}) returned {got} (the timer would tick at "
                         f"{rate:.1f} Hz); expected {' or '.join(map(str, sorted(want)))} "
                         f"(1193182 / {hz} = {exact:.2f})")
    if wrong:
        fail("pit_divisor() must compute the divisor from hz, rounded to the nearest "
             "integer, and a divisor that does not fit in 16 bits becomes 0 (= 65536, "
             "the slowest rate); called from GDB:\n" + indent(wrong))
