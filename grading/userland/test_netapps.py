"""Lab 6's programs inside one guest, over the loopback interface (no NIC):
cksum, httpd, wget, ping, netstat. Not graded here (`make
test-userland-qemu`); lab 6's grader drives the same programs from the host
through an E1000 (grading/tests/lab6/).

The shell runs `httpd -p PORT &` itself (init starts httpd only when there
is a NIC with an address), waits for its "serving" line, then fetches with
wget and compares cksum's answer with the one computed here from
tools/make-www-blob.py's bytes. Try it: make qemu, then the same commands.

Skipped before lab 6: no www/1m.bin in the initrd, or (for the network
cases) no sys_socket in the kernel.
"""

import re

import pytest

from tidepool import net
from tidepool.elf import read_symbols
from tidepool.errors import fail, indent

BLOB_SIZE = 1 << 20
PORT = 8080
# A 1 MiB transfer over the loopback under TCG on a loaded host.
TRANSFER_BASE = 60.0


@pytest.fixture
def www(initrd):
    if b"www/1m.bin\x00" not in initrd.read_bytes():
        pytest.skip("no /www/1m.bin in the initrd (lab 6)")


@pytest.fixture
def sockets(www, kernel):
    if "sys_socket" not in read_symbols(str(kernel)):
        pytest.skip("this kernel has no sockets (lab 6)")


def cksum_line(sh, path):
    out = sh.lines(f"cksum {path}", base=TRANSFER_BASE)
    m = re.fullmatch(r"(\d+) (\d+) " + re.escape(path), out[-1] if out else "")
    if not m:
        fail(f"expected `cksum {path}` to print 'CRC SIZE {path}'; it printed:\n" + indent(out))
    return int(m.group(1)), int(m.group(2))


def test_cksum_of_the_www_blob(www, shell):
    """`cksum /www/1m.bin` in the guest matches POSIX cksum of make-www-blob.py's bytes"""
    want = net.posix_cksum(net.www_blob(BLOB_SIZE))
    sh = shell()
    got = cksum_line(sh, "/www/1m.bin")
    if got != want:
        fail(f"expected cksum {want[0]} {want[1]}, the guest printed {got[0]} {got[1]}")


def start_httpd(sh):
    """Starts httpd in the background and waits for its "serving" line.
    The shell's prompt after `&` may come before or after that line, so
    an `echo SYN''C` (whose output, unlike its echo, reads SYNC) marks
    the point after which the next prompt is the one to wait for."""
    sh.c.sendline(f"httpd -p {PORT} &")
    sh.expect(rf"httpd: serving /www on tcp port {PORT}", base=20.0,
              what="httpd's 'serving' line")
    sh.c.sendline("echo SYN''C")
    sh.expect(r"SYNC\r?\n", what="the output of echo SYNC")
    sh.wait_prompt()


def test_httpd_to_wget_over_loopback(sockets, shell):
    """httpd & then wget of 1m.bin over 127.0.0.1: saved whole, same cksum; 404 -> status 8"""
    want = net.posix_cksum(net.www_blob(BLOB_SIZE))
    sh = shell()
    start_httpd(sh)
    out = sh.run(f"wget -O got.bin http://127.0.0.1:{PORT}/1m.bin", base=TRANSFER_BASE)
    if f"saved {BLOB_SIZE} bytes" not in out:
        fail(f"expected wget to say 'saved {BLOB_SIZE} bytes'; the console showed:\n"
             + indent(out.split("\n")))
    got = cksum_line(sh, "got.bin")
    if got != want:
        fail(f"expected the fetched file's cksum {want[0]} {want[1]}; it is {got[0]} {got[1]}")
    out = sh.run(f"wget http://127.0.0.1:{PORT}/nope")
    if "404" not in out or sh.status() != 8:
        fail("expected wget of a missing file to report the 404 and exit 8; it printed:\n"
             + indent(out.split("\n")))


def test_wget_connection_refused(sockets, shell):
    """wget to a port nobody listens on says 'refused' and exits 4"""
    sh = shell()
    out = sh.run(f"wget http://127.0.0.1:{PORT + 1}/")
    status = sh.status()
    if "refused" not in out.lower() or status != 4:
        fail(f"expected 'Connection refused' and status 4; got status {status} and:\n"
             + indent(out.split("\n")))


def test_ping_loopback_and_netstat(sockets, shell):
    """ping -c 2 127.0.0.1 gets 2 replies; netstat then prints its sections"""
    sh = shell()
    out = sh.run("ping -c 2 127.0.0.1", base=20.0)
    if not re.search(r"2 packets transmitted, 2 received", out) or sh.status() != 0:
        fail("expected ping to report 2 packets transmitted, 2 received and exit 0; it printed:\n"
             + indent(out.split("\n")))
    out = sh.run("netstat")
    for section in ("drops by reason:", "tcp:", "udp:", "sockets:"):
        if section not in out:
            fail(f"expected netstat to print {section!r}; it printed:\n" + indent(out.split("\n")))
