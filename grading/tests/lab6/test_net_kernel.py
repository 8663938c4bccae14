"""Lab 6: in-kernel KTAP cases for the NIC (kernel/tests/net_test.c).

What only the kernel can see: the E1000's BARs and bus mastering, the MAC
it read, DHCP's lease, the ARP cache, an echo reply through the driver's
receive ring, and interrupts counted by the driver. QEMU's default NIC is
an E1000 on user networking (slirp), which is what these boots use.
Run them yourself:
    make qemu CMDLINE="test=net.*"              (results in build/com2.txt)
    make qemu CMDLINE="test=net.* net_irq=0"    (no interrupt: netd must poll)
"""

import pytest

from tidepool.ktest import KtestRunner

pytestmark = pytest.mark.lab(6)

# (graded name, in-kernel cases that must all pass, points). Finding the
# card and reading its MAC need no exercise of the handout, so they count
# only together with DHCP, which needs the driver's transmit and receive.
CASES = [
    ("net.e1000_up", ["net.e1000_on_pci", "net.mac_read", "net.dhcp_address"], 4),
    # BAR 0 128 KiB memory, BAR 1 I/O, DMA on; MAC 52:54:00:12:34:56;
    # DHCP's 10.0.2.15/24 with gateway 10.0.2.2
    ("net.arp_gateway", ["net.arp_gateway"], 2),        # the gateway's MAC in the cache
    ("net.ping_gateway", ["net.ping_gateway"], 2),      # an echo reply up the receive ring
    ("net.interrupts_counted", ["net.interrupts_counted"], 2),  # frames came by interrupt
]


def _runner(ktest, timeouts, extra=""):
    # Each case waits for an event at most 3/4 of its watchdog; a kernel
    # that never gets there loses that case only (the harness reboots).
    # DHCP and a ping take well under a second under TCG; on a kernel
    # without a working driver each waiting case costs its deadline.
    per_case = max(6, int(timeouts.timeout(1.5)))
    cmdline = f"ktest_timeout={per_case}" + (" " + extra if extra else "")
    return KtestRunner(ktest.machine, timeouts["ktest"] + 8 * per_case, extra_cmdline=cmdline)


@pytest.fixture(scope="module")
def ktest_net(ktest, timeouts):
    return _runner(ktest, timeouts)


@pytest.fixture(scope="module")
def ktest_net_polling(ktest, timeouts):
    return _runner(ktest, timeouts, "net_irq=0")


@pytest.mark.parametrize("cases", [
    pytest.param(cases, marks=pytest.mark.points(p), id=name) for name, cases, p in CASES])
def test_net_cases(ktest_net, cases):
    """In-kernel KTAP cases pass"""
    for case in cases:
        ktest_net.expect_pass(case)


@pytest.mark.points(2)
def test_net_polling_fallback(ktest_net_polling):
    """Without the E1000's interrupt (net_irq=0), netd falls back to polling: ping still works"""
    ktest_net_polling.expect_pass("net.polling_fallback")
