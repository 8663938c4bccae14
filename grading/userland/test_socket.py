"""Sockets over loopback, and poll() (lab 6; issue 15). Not graded here
(`make test-userland-qemu`); lab 6's grader may run the same program.

/bin/t_socket reports KTAP; userland/tests/t_socket.c says what each case
expects. Try it:  make qemu CMDLINE="run=/bin/t_socket"

The guest boots with no NIC (-nic none): the kernel's interface is then
127.0.0.1 only, configured at once, so no DHCP can change the address
under the test's connections (with QEMU's default E1000, loopback would
have to wait for DHCP's 10.0.2.15). Skipped on a kernel without sockets
(before lab 6: no sys_socket symbol).
"""

import pytest

from tidepool.elf import read_symbols
from tidepool.userprog import run_program

# Thirteen cases, a few forks, 20 KB through TCP twice, and two timeouts
# of a fraction of a second: a few seconds under TCG (the grader scales it).
BASE_TIMEOUT = 60.0


@pytest.fixture
def sockets(kernel):
    if "sys_socket" not in read_symbols(str(kernel)):
        pytest.skip("this kernel has no sockets (lab 6)")


def test_t_socket(sockets, boot, initrd):
    """t_socket over loopback: every case passes"""
    run_program(boot, initrd, ["/bin/t_socket"], timeout=BASE_TIMEOUT,
                extra_args=["-nic", "none"]).expect_all_pass()


def test_t_socket_two_cpus(sockets, boot, initrd):
    """t_socket at -smp 2: the same, with the two ends on different CPUs
    (net_lock, the poll generation and lockdep's lock order under load)"""
    run_program(boot, initrd, ["/bin/t_socket"], timeout=BASE_TIMEOUT, smp=2,
                extra_args=["-nic", "none"]).expect_all_pass()
