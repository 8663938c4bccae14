"""Lab 6: in-kernel test cases for what only the kernel can see.

kernel/tests/net_test.c, booted with test=net.* and an E1000 on QEMU's
user network (slirp): the E1000 found on the PCI bus, its MAC read, the
DHCP address and gateway, ARP for the gateway, a ping to it through the
driver, and interrupts that arrived. One more boot with a static address
(ip=, no DHCP). (net.polling_fallback, with net_irq=0, is not graded yet:
on a loaded host it failed on the reference kernel.) Run one yourself:
    make qemu NET=1 CMDLINE="test=net.*"       (results in build/com2.txt)
"""

import pytest

from tidepool.ktest import KtestRunner

pytestmark = [pytest.mark.lab(6), pytest.mark.xdist_group("lab6-cases")]

NET_ARGS = ("-netdev", "user,id=n0", "-device", "e1000,netdev=n0")

# (graded name, in-kernel case, points)
CASES = [
    ("e1000_on_pci", "net.e1000_on_pci", 2),          # vendor 8086 device 100e, BAR0, bus master
    ("mac_read", "net.mac_read", 1),                  # RAL/RAH (or EEPROM) = QEMU's MAC
    ("dhcp_address", "net.dhcp_address", 2),          # 10.0.2.15/24, gateway 10.0.2.2
    ("arp_gateway", "net.arp_gateway", 2),            # the gateway's MAC in the ARP cache
    ("ping_gateway", "net.ping_gateway", 2),          # echo replies through the rings
    ("interrupts_counted", "net.interrupts_counted", 2),  # the E1000's IRQ arrived
]


@pytest.fixture(scope="module")
def ktest_net(ktest):
    return KtestRunner(ktest.machine.replace(extra_args=NET_ARGS), ktest.timeout)


@pytest.mark.parametrize("case", [
    pytest.param(case, marks=pytest.mark.points(p), id=name) for name, case, p in CASES])
def test_net_cases(ktest_net, case):
    """In-kernel KTAP cases pass (E1000 on slirp)"""
    ktest_net.expect_pass(case, glob="net.*")


@pytest.mark.points(1)
def test_static_address(ktest):
    """ip=10.0.2.15/24,10.0.2.2 configures the interface at once, without DHCP"""
    runner = KtestRunner(ktest.machine.replace(extra_args=NET_ARGS), ktest.timeout,
                         extra_cmdline="ip=10.0.2.15/24,10.0.2.2")
    runner.expect_pass("net.static_address", glob="net.static_address")
