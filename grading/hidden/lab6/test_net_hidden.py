"""Lab 6, hidden: what a server tuned to the public tests may still get wrong.

HEAD and unknown methods, wget's failures, each malformed packet counted
exactly once, a ping nobody answers. One slirp boot and one raw-peer boot
for the module (the fixtures of tidepool/fixtures.py).
"""

import re

import pytest

from tidepool import net, netpeer
from tidepool.errors import fail, indent

pytestmark = [pytest.mark.lab(6), pytest.mark.xdist_group("lab6-hidden")]


@pytest.mark.points(2)
def test_head_and_unknown_method(net_user):
    """HEAD: GET's headers and Content-Length, no body; DELETE: 405"""
    net_user.record()
    net_user.wait_http()
    t = net_user.scaled(10.0)
    code, headers, body = net.http_request(
        net_user.http_port, b"GET /index.html HTTP/1.0\r\n\r\n", timeout=t)
    hcode, hheaders, hbody = net.http_request(
        net_user.http_port, b"HEAD /index.html HTTP/1.0\r\n\r\n", timeout=t)
    if code != 200 or hcode != 200:
        fail(f"expected 200 for GET and HEAD /index.html, got {code} and {hcode}")
    if hbody:
        fail(f"HEAD must send no body (RFC 9110 9.3.2), but {len(hbody)} bytes followed")
    if hheaders.get("content-length") != str(len(body)):
        fail(f"HEAD's Content-Length {hheaders.get('content-length')!r} differs from the "
             f"{len(body)} bytes GET sends")
    dcode, _, _ = net.http_request(net_user.http_port,
                                   b"DELETE /index.html HTTP/1.0\r\n\r\n", timeout=t)
    if dcode != 405:
        fail(f"expected 405 for DELETE, got {dcode}")


@pytest.mark.points(2)
def test_wget_reports_failures(net_user):
    """wget: connection refused and 404 give a nonzero status and a message"""
    net_user.record()
    closed = net.free_port()
    out, status = net_user.sh_status(f"wget -O /x http://{net.GATEWAY_IP}:{closed}/f", 30.0)
    if status == 0 or not re.search(r"(?i)refused|reset|connect", out):
        fail(f"expected wget to a closed host port to fail (nonzero status, a message "
             f"saying the connection was refused); got status {status}:\n"
             + indent(out.splitlines()))
    out, status = net_user.sh_status(f"wget -O /x http://{net.GUEST_IP}/no-such-file", 30.0)
    if status == 0 or "404" not in out:
        fail(f"expected wget of a missing file to exit nonzero and mention 404; got status "
             f"{status}:\n" + indent(out.splitlines()))


@pytest.mark.points(2)
def test_each_malformed_packet_counted_once(net_peer):
    """Each malformed packet is counted exactly once, under exactly one reason"""
    net_peer.record()
    netpeer.resolve_once(net_peer)
    before = net_peer.netstat()
    netpeer.send_malformed(net_peer, netpeer.MALFORMED)
    after = net_peer.netstat()
    netpeer.expect_drops(before, after, netpeer.MALFORMED, exact=True)


@pytest.mark.points(1)
def test_ping_nobody_answers(net_peer):
    """ping to an address nobody has: 0 received and a nonzero exit status"""
    net_peer.record()
    out, status = net_peer.sh_status("ping -c 2 -W 1 10.0.2.99", 40.0)
    m = re.search(r"(\d+) packets transmitted, (\d+) received", out)
    if m is None or int(m.group(2)) != 0 or status == 0:
        fail(f"expected '2 packets transmitted, 0 received' and a nonzero exit status for "
             f"a host that does not exist (no ARP reply); got status {status}:\n"
             + indent(out.splitlines()))
