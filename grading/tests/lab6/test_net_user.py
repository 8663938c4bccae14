"""Lab 6: the guest on QEMU's user network, driven by the host's own tools.

One boot serves the whole module (the `net_user` fixture): the kernel with
the initrd and an E1000 on `-netdev user` (slirp: DHCP gives 10.0.2.15,
the gateway is 10.0.2.2), host ports chosen free at run time forwarded to
the guest's tcp 80 (httpd) and udp 7 (udpecho), which init starts once the
network is configured, and a pcap of the guest's wire (filter-dump). The
tests type at the guest's shell and run curl, nc and tshark on the host.
Try it yourself:
    make qemu NET=1            # then, in a second terminal: curl http://127.0.0.1:PORT/
"""

import os
import random
import re
import shutil
import socket
import subprocess
import sys
import time

import pytest

from tidepool import net
from tidepool.errors import fail, indent

pytestmark = [pytest.mark.lab(6), pytest.mark.xdist_group("lab6-user")]

ONE_MIB = 1 << 20


@pytest.fixture
def guest(net_user):
    net_user.record()
    return net_user


@pytest.fixture
def httpd(guest):
    # The tests wait for httpd themselves (serving()): a wait that fails in
    # a fixture is a pytest *error*, and a kernel without a network must
    # *fail* these tests (the staging check tells the two apart).
    return guest


def serving(guest):
    guest.wait_http()
    return guest


def scaled(guest, base):
    return guest.scaled(base)


@pytest.mark.points(2)
def test_e1000_on_the_pci_bus(guest):
    """lspci lists the E1000 (8086:100e, class 02.00), and it is up with DHCP's address

    Finding the card alone needs no exercise of lab 6, so the test also asks
    for what the driver brings: netstat shows the interface configured by
    DHCP over the E1000 (10.0.2.15/24, gateway 10.0.2.2).
    """
    out = guest.sh("lspci")
    if not re.search(r"(?m)^\s*[0-9a-f]{2}:[0-9a-f]{2}\.\d\s+8086:100e\s+class 02\.00", out):
        fail("expected lspci to print a line like '00:03.0 8086:100e class 02.00 Ethernet "
             "controller' (QEMU's -device e1000 is an Intel 82540EM, vendor 8086 device "
             "100e, class 02 subclass 00), but it printed:\n" + indent(out.splitlines()))
    stat = guest.sh("netstat")
    if not re.search(r"(?m)^interface: e1000 .*inet 10\.0\.2\.15/24 gateway 10\.0\.2\.2", stat):
        fail("expected netstat's first line to show the E1000 configured by DHCP: "
             "'interface: e1000 mac ... inet 10.0.2.15/24 gateway 10.0.2.2' (slirp's lease), "
             "but netstat printed:\n" + indent(stat.splitlines()[:3]))


@pytest.mark.points(3)
def test_guest_pings_the_gateway(guest):
    """ping -c 3 10.0.2.2: replies reported, exit status 0, and on the wire"""
    out, status = guest.sh_status(f"ping -c 3 {net.GATEWAY_IP}", base=30.0)
    replies = re.findall(r"(?m)^64 bytes from 10\.0\.2\.2: icmp_seq=(\d+)(?: ttl=\d+)? time=\d+", out)
    summary = re.search(r"(\d+) packets transmitted, (\d+) received", out)
    if not replies or summary is None:
        fail("expected lines '64 bytes from 10.0.2.2: icmp_seq=1 ttl=... time=... ms' and "
             "'3 packets transmitted, M received' from ping; it printed:\n"
             + indent(out.splitlines()))
    if int(summary.group(1)) != 3 or int(summary.group(2)) < 1 or status != 0:
        fail(f"expected 3 transmitted, at least 1 received and exit status 0, got "
             f"{summary.group(0)!r} and status {status}")
    # The capture must show the guest's ARP for the gateway and an echo
    # request from the guest's address answered by the gateway.
    echo = net.tshark(guest.pcap, f"icmp.type==8 && ip.src=={net.GUEST_IP} && "
                      f"ip.dst=={net.GATEWAY_IP}", ["icmp.seq"])
    reply = net.tshark(guest.pcap, f"icmp.type==0 && ip.src=={net.GATEWAY_IP} && "
                       f"ip.dst=={net.GUEST_IP}", ["icmp.seq"])
    if not echo or not reply:
        fail(f"ping printed replies, but the capture {guest.pcap} has {len(echo)} echo "
             f"requests from {net.GUEST_IP} and {len(reply)} replies to it")


@pytest.mark.points(3)
def test_nc_udp_to_udpecho(guest):
    """nc -u to the guest's udpecho (through the udp forward) gets its bytes back"""
    guest.wait_http()  # init starts udpecho, then httpd: both are up once httpd answers
    payload = f"tidepool udp echo {random.randrange(10**9)}\n".encode()
    t = scaled(guest, 3.0)
    got = b""
    for _ in range(2):  # UDP: a datagram may be lost
        # OpenBSD's nc (-W: quit after that many datagrams back), whatever
        # the nc alternative points to.
        nc = "nc.openbsd" if shutil.which("nc.openbsd") else "nc"
        r = net.run_tool([nc, "-u", "-W", "1", "-w", f"{t:.0f}", "127.0.0.1",
                          str(guest.udp_port)], timeout=t + 10, stdin=payload)
        got = r.stdout
        if got:
            break
    if got != payload:
        fail(f"expected udpecho to send back exactly {payload!r} to nc -u on host port "
             f"{guest.udp_port} (guest udp 7), but nc received {got!r}")


@pytest.mark.points(4)
def test_curl_fetches_1mib_and_checksum_matches(httpd, tmp_path):
    """curl fetches /1m.bin (1 MiB); its cksum equals the guest's cksum of /www/1m.bin"""
    serving(httpd)
    out = str(tmp_path / "1m.bin")
    status, _, err = net.curl(httpd.http_port, "/1m.bin", scaled(httpd, 60.0), out=out)
    size = os.path.getsize(out) if os.path.exists(out) else 0
    if status != 200 or size != ONE_MIB:
        fail(f"expected 200 and {ONE_MIB} bytes from curl http://127.0.0.1:{httpd.http_port}"
             f"/1m.bin, got status {status} and {size} bytes; curl said: {err.strip()!r}")
    crc, n = net.host_cksum(out)
    guest_out = httpd.sh("cksum /www/1m.bin", base=30.0)
    m = re.search(r"(?m)^(\d+) (\d+)", guest_out)
    if m is None:
        fail("expected 'CRC SIZE /www/1m.bin' from the guest's cksum, got:\n"
             + indent(guest_out.splitlines()))
    if (int(m.group(1)), int(m.group(2))) != (crc, n):
        fail(f"the file curl received has cksum {crc} {n}, but the guest's /www/1m.bin has "
             f"{m.group(1)} {m.group(2)}: bytes were lost, duplicated or reordered on the way")


@pytest.mark.points(2)
def test_404_and_400(httpd):
    """A missing file gets 404; a garbage request and a too-long request line get 400"""
    serving(httpd)
    status, _, err = net.curl(httpd.http_port, "/no-such-file.html", scaled(httpd, 10.0))
    if status != 404:
        fail(f"expected 404 for GET /no-such-file.html, got {status} ({err.strip()!r})")
    t = scaled(httpd, 10.0)
    for what, req in (("a garbage request", b"HELLO THERE\r\n\r\n"),
                      ("a request line of 9000 bytes",
                       b"GET /" + b"a" * 9000 + b" HTTP/1.0\r\n\r\n")):
        try:
            code, _, body = net.http_request(httpd.http_port, req, timeout=t)
        except OSError as exc:
            fail(f"expected 400 for {what}, but the connection failed: {exc}")
        if code != 400:
            fail(f"expected 'HTTP/1.x 400' for {what}, got "
                 f"{'status %d' % code if code else 'no status line: %r' % body[:80]}")


@pytest.mark.points(2)
def test_ten_clients_in_a_row(httpd):
    """Ten curls one after another all get 200 and the same page"""
    serving(httpd)
    bodies = []
    for i in range(10):
        status, body, err = net.curl(httpd.http_port, "/index.html", scaled(httpd, 10.0))
        if status != 200:
            fail(f"request {i + 1} of 10: expected 200 for /index.html, got {status} "
                 f"({err.strip()!r})")
        bodies.append(body)
    if len(set(bodies)) != 1 or not bodies[0]:
        fail("the ten replies differ (or are empty): sizes " + str([len(b) for b in bodies]))


@pytest.mark.points(3)
def test_four_clients_at_once(httpd):
    """Four connections open at once, requests finished in reverse order: all served

    A server that serves one connection at a time waits on the first one's
    request forever and never answers the fourth.
    """
    serving(httpd)
    t = scaled(httpd, 15.0)
    conns = []
    try:
        for _ in range(4):
            s = socket.create_connection(("127.0.0.1", httpd.http_port), timeout=t)
            s.sendall(b"GET /index.html HTTP/1.0\r\n")  # not finished: no blank line
            conns.append(s)
        for i, s in enumerate(reversed(conns)):
            s.sendall(b"Host: tidepool\r\n\r\n")
            data = bytearray()
            try:
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    data += chunk
            except socket.timeout:
                fail(f"connection {4 - i} of 4 (finished {'first' if i == 0 else 'later'}) "
                     f"got no complete reply within {t:.1f} s while the others were still "
                     f"open: httpd must serve clients concurrently (a child per connection)")
            code, _, _ = net.parse_http(bytes(data))
            if code != 200:
                fail(f"connection {4 - i} of 4: expected 200, got {data[:80]!r}")
    finally:
        for s in conns:
            s.close()


@pytest.mark.points(3)
def test_guest_wget_from_host_http_server(guest, tmp_path):
    """The guest's wget fetches a file from python3 -m http.server on the host"""
    # A guest whose network does not work at all would make wget wait out
    # TCP's whole retry schedule (about two minutes): ask httpd first.
    guest.wait_http()
    rng = random.Random(6)
    data = bytes(rng.randrange(256) for _ in range(150_000))
    (tmp_path / "blob.bin").write_bytes(data)
    port = net.free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
         "--directory", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_listening(port, scaled(guest, 10.0), server)
        url = f"http://{net.GATEWAY_IP}:{port}/blob.bin"
        out, status = guest.sh_status(f"wget -O /wget.bin {url}", base=60.0)
        if status != 0 or not re.search(rf"saved {len(data)} bytes", out):
            fail(f"expected 'saved {len(data)} bytes' and exit status 0 from wget {url} "
                 f"(10.0.2.2 is the host for slirp), got status {status}:\n"
                 + indent(out.splitlines()))
        crc, n = net.posix_cksum(data)
        got = guest.sh("cksum /wget.bin", base=20.0)
        if not re.search(rf"(?m)^{crc} {n}\b", got):
            fail(f"expected the guest's cksum of /wget.bin to be '{crc} {n}' (the host's "
                 f"file), got:\n" + indent(got.splitlines()))
    finally:
        server.kill()
        server.wait()


def wait_listening(port, timeout, proc):
    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                fail(f"the host's python3 -m http.server did not listen on port {port}")
            time.sleep(net.RETRY_INTERVAL)


@pytest.mark.points(3)
def test_capture_checksums_handshake_teardown(httpd):
    """tshark: no bad checksum in the capture; an HTTP connection opens and closes properly"""
    serving(httpd)
    status, _, err = net.curl(httpd.http_port, "/index.html", scaled(httpd, 10.0))
    if status != 200:
        fail(f"expected 200 for /index.html, got {status} ({err.strip()!r})")
    sent = net.tshark(httpd.pcap, f"ip.src=={net.GUEST_IP}", ["frame.number"])
    if len(sent) < 5:
        fail(f"the capture holds only {len(sent)} IP packets from {net.GUEST_IP}")
    bad = net.tshark(httpd.pcap, 'ip.checksum.status=="Bad" || tcp.checksum.status=="Bad" || '
                     'udp.checksum.status=="Bad" || icmp.checksum.status=="Bad"',
                     ["frame.number", "ip.src", "ip.dst", "_ws.col.Protocol", "_ws.col.Info"])
    if bad:
        fail(f"tshark finds {len(bad)} packets with a bad checksum in the capture, e.g.:\n"
             + indent(" ".join(r) for r in bad[:5]))
    # The last connection to port 80: wait (bounded) until its teardown is
    # in the capture: the last ACK travels after curl has returned.
    deadline = time.monotonic() + scaled(httpd, 10.0)
    while True:
        problem = check_last_connection(httpd.pcap)
        if problem is None:
            return
        if time.monotonic() > deadline:
            fail(problem)
        time.sleep(net.RETRY_INTERVAL)


def check_last_connection(pcap):
    """None if the last TCP connection to the guest's port 80 has a proper
    three-way handshake and a FIN from each side, each acknowledged, no RST;
    else what is wrong (RFC 9293 3.5, 3.6)."""
    rows = net.tshark(pcap, "tcp.port==80", ["tcp.stream", "ip.src", "tcp.flags.syn",
                                             "tcp.flags.ack", "tcp.flags.fin",
                                             "tcp.flags.reset", "tcp.seq", "tcp.ack",
                                             "tcp.len"], extra=["-o", "tcp.relative_sequence_numbers:TRUE"])
    if not rows:
        return "the capture has no TCP packet to or from port 80"
    last = max(int(r[0]) for r in rows)
    seg = [r for r in rows if int(r[0]) == last]

    def flags(r):
        return {"syn": r[2] in ("1", "True"), "ack": r[3] in ("1", "True"),
                "fin": r[4] in ("1", "True"), "rst": r[5] in ("1", "True"),
                "guest": r[1] == net.GUEST_IP, "seq": int(r[6]), "ack_no": int(r[7] or 0),
                "len": int(r[8] or 0)}

    segs = [flags(r) for r in seg]
    listing = "\n".join(f"    {'guest' if s['guest'] else 'host '} "
                        f"{'SYN ' if s['syn'] else ''}{'ACK ' if s['ack'] else ''}"
                        f"{'FIN ' if s['fin'] else ''}{'RST ' if s['rst'] else ''}"
                        f"seq={s['seq']} ack={s['ack_no']} len={s['len']}" for s in segs[:30])
    if len(segs) < 3 or not (segs[0]["syn"] and not segs[0]["ack"] and not segs[0]["guest"]
                             and segs[1]["syn"] and segs[1]["ack"] and segs[1]["guest"]
                             and segs[2]["ack"] and not segs[2]["syn"] and not segs[2]["guest"]):
        return ("expected the connection to start SYN (host), SYN-ACK (guest), ACK (host); "
                "the capture shows:\n" + listing)
    if any(s["rst"] for s in segs):
        return "expected no RST in an orderly HTTP connection; the capture shows:\n" + listing
    for side in (True, False):
        fins = [s for s in segs if s["fin"] and s["guest"] == side]
        if not fins:
            return (f"expected a FIN from the {'guest' if side else 'host'} (teardown); the "
                    f"capture shows:\n" + listing)
        fin = fins[-1]
        fin_end = fin["seq"] + fin["len"] + 1
        if not any(s["ack"] and s["guest"] != side and s["ack_no"] >= fin_end for s in segs):
            return (f"expected the {'host' if side else 'guest'} to acknowledge the "
                    f"{'guest' if side else 'host'}'s FIN (ack={fin_end}); the capture shows:\n"
                    + listing)
    return None
