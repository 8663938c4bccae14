"""Lab 6: a raw-Ethernet peer sends the guest what no polite host would.

One boot serves the module (the `net_peer` fixture): the E1000 on QEMU's
`-netdev dgram`, whose other end is the grader's scapy peer playing the
gateway 10.0.2.2 (tidepool/netpeer.py); the kernel is configured with
`ip=10.0.2.15/24,10.0.2.2` (no DHCP). The peer answers ARP, pings, sends
malformed frames, floods SYNs, sends segments out of the window and drops
a segment to see it retransmitted; the tests read the guest's `netstat`
before and after, and check that httpd still serves a page.

Each malformed kind is sent a known number of times, then a valid ping
(the "fence"): its reply proves the guest has taken in everything before
it (the receive ring is processed in order), so netstat's counters are
final when read.
"""

import random
import re

import pytest

from tidepool import netpeer
from tidepool.errors import fail, indent
from tidepool.netpeer import (GUEST_IP, MALFORMED, PEER_IP, PEER_MAC, checksums_ok,
                              expect_drops, fence, send_malformed)

from scapy.layers.inet import ICMP, IP, TCP  # noqa: E402 (after tidepool.netpeer)
from scapy.packet import Raw  # noqa: E402

pytestmark = [pytest.mark.lab(6), pytest.mark.xdist_group("lab6-peer")]


@pytest.fixture
def guest(net_peer):
    # Only bookkeeping here: a wait that fails in a fixture is a pytest
    # *error*, and a kernel without a network must *fail* these tests (the
    # staging check tells the two apart). Each test calls ready() first.
    net_peer.record()
    return net_peer


def ready(guest):
    netpeer.resolve_once(guest)
    guest.peer.drain()
    return guest


@pytest.mark.points(3)
def test_answers_arp_and_ping(guest):
    """The guest answers an ARP request and an ICMP echo request, checksums right"""
    ready(guest)
    peer = guest.peer
    mac = peer.resolve_guest(guest.scaled(10.0))
    ident, seq = random.randrange(1, 0xFFFF), 7
    data = bytes(range(56))
    peer.send(peer.to_guest(ICMP(type=8, id=ident, seq=seq) / Raw(data)))
    reply = peer.wait_for(lambda f: ICMP in f and f[ICMP].type == 0 and f[ICMP].id == ident,
                          guest.scaled(10.0), "an ICMP echo reply (RFC 792)")
    if reply.src.lower() != mac.lower() or reply.dst.lower() != PEER_MAC or \
            reply[IP].src != GUEST_IP or reply[IP].dst != PEER_IP:
        fail(f"the echo reply is not from the guest back to the peer: {reply.summary()}")
    if reply[ICMP].seq != seq or bytes(reply[ICMP].payload)[:56] != data:
        fail("the echo reply must carry the request's sequence number and data unchanged "
             "(RFC 792)")
    if not checksums_ok(reply):
        fail(f"the echo reply has a wrong IP or ICMP checksum: {reply.show(dump=True)}")


def expect_page(guest, drop_first_data=False, what="afterwards"):
    reply = netpeer.get(guest.peer, "/index.html", guest.scaled(15.0),
                        drop_first_data=drop_first_data)
    if not re.match(rb"HTTP/1\.[01] 200", reply):
        fail(f"expected httpd to still serve GET /index.html with 200 {what}, got "
             f"{reply[:120]!r}")
    return reply


@pytest.mark.points(5)
def test_malformed_frames_dropped_and_counted(guest):
    """Truncated headers, bad IP/TCP checksums, lengths past the frame: dropped, counted
    by reason; httpd still serves"""
    ready(guest)
    before = guest.netstat()
    send_malformed(guest, MALFORMED)
    after = guest.netstat()
    expect_drops(before, after, MALFORMED)
    answered = [f for f in guest.peer.seen if ICMP in f and f[ICMP].type == 0
                and f[ICMP].id in (0xBAD1, 0xBAD2)]
    if answered:
        fail("the guest answered a ping whose IP header was bad (wrong checksum or a "
             "length past the frame): it must be dropped, not trusted")
    expect_page(guest, what="after the malformed frames")


@pytest.mark.points(3)
def test_syn_flood_is_bounded_and_counted(guest):
    """A SYN flood fills the listen backlog; the rest are dropped and counted"""
    ready(guest)
    peer = guest.peer
    before = guest.netstat()
    n = 40
    base_port = random.randrange(20000, 40000)
    isns = {}
    for i in range(n):
        isns[base_port + i] = random.randrange(0, 1 << 32)
        peer.send(peer.to_guest(TCP(sport=base_port + i, dport=80, flags="S",
                                    seq=isns[base_port + i], window=8192)))
    fence(guest)
    synacks = {f[TCP].dport: f[TCP] for f in peer.seen
               if TCP in f and f[TCP].sport == 80 and f[TCP].flags.S and f[TCP].flags.A
               and base_port <= f[TCP].dport < base_port + n}
    after = guest.netstat()
    # Clean up the half-open connections as a real host would: RST (RFC 9293 3.10.7.3).
    for port, t in synacks.items():
        peer.send(peer.to_guest(TCP(sport=port, dport=80, flags="R",
                                    seq=(isns[port] + 1) & 0xFFFFFFFF)))
    fence(guest)
    if len(synacks) >= n:
        fail(f"the guest answered all {n} SYNs of the flood with a SYN-ACK: the listen "
             f"backlog must bound the half-open connections")
    full = None
    for name in ("backlog full", "backlog_full", "listen overflow"):
        if after.get(name) is not None:
            full = after.get(name) - (before.get(name) or 0)
            break
    if full is None:
        fail("expected netstat to print TCP's 'backlog full' counter; it printed:\n"
             + indent(after.text.splitlines()))
    if full < n - len(synacks):
        fail(f"{n - len(synacks)} SYNs were not answered, but 'backlog full' went up by "
             f"only {full}: every SYN dropped must be counted")
    expect_page(guest, what="after a SYN flood (and RSTs for its half-open connections)")


@pytest.mark.points(2)
def test_segment_out_of_window_dropped(guest):
    """A segment far outside the receive window is dropped, counted and re-ACKed"""
    ready(guest)
    before = guest.netstat()
    c = netpeer.TcpClient(guest.peer, 80, guest.scaled(15.0))
    c.connect()
    junk = b"JUNK JUNK\r\n\r\n"
    c.send("PA", junk, seq=c.snd_nxt + 200_000)
    ack = c.wait("an ACK for the out-of-window segment (RFC 9293 3.10.7.4: send an ACK "
                 "and drop it)", lambda t: t.flags.A and not t.flags.S)
    if ack.ack != c.snd_nxt & 0xFFFFFFFF:
        fail(f"the guest acknowledged {ack.ack} after an out-of-window segment; it must "
             f"keep acknowledging {c.snd_nxt & 0xFFFFFFFF} (the data was not in the window)")
    c.request(f"GET /index.html HTTP/1.0\r\nHost: {GUEST_IP}\r\n\r\n".encode())
    reply = c.read_to_fin()
    if not re.match(rb"HTTP/1\.[01] 200", reply):
        fail(f"after the out-of-window segment, GET /index.html got {reply[:120]!r}: the "
             f"out-of-window bytes must not reach httpd")
    after = guest.netstat()
    if after.need("out of window") <= before.need("out of window"):
        fail("netstat's 'out of window' counter did not go up")


@pytest.mark.points(3)
def test_tcp_retransmits_a_lost_segment(guest):
    """The peer drops the first data segment; the guest sends it again (its RTO timer)"""
    ready(guest)
    before = guest.netstat()
    expect_page(guest, drop_first_data=True, what="when its first data segment is lost")
    after = guest.netstat()
    name = "retransmits"
    if after.get(name) is not None and after.need(name) <= before.need(name):
        fail("the segment was sent again, but netstat's 'retransmits' counter did not go up")
