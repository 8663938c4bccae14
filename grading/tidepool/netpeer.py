"""A raw-Ethernet peer for the guest, over QEMU's ``-netdev dgram``.

QEMU sends each frame the guest transmits as one UDP datagram to the
peer's socket, and puts each datagram the peer sends to QEMU's port on
the guest's wire (FIELD-NOTES.md): the grader can send frames no host
stack would (bad checksums, lengths larger than the frame, a SYN flood)
without root. The peer plays the gateway, 10.0.2.2 with MAC PEER_MAC: it
answers the guest's ARP requests for that address by itself, and its
small TCP client (:class:`TcpClient`) can fetch a page from the guest's
httpd, dropping the first copy of a segment to see it retransmitted.

Frames are built and parsed with scapy (python3-scapy). Every wait is
for a frame the guest sends, bounded by a timeout the caller scales.
"""

from __future__ import annotations

import logging
import random
import socket
import time
from typing import Callable, List, Optional

logging.getLogger("scapy.runtime").setLevel(logging.ERROR)

from scapy.layers.inet import ICMP, IP, TCP, UDP  # noqa: E402
from scapy.layers.l2 import ARP, Ether  # noqa: E402
from scapy.packet import Raw  # noqa: E402

from .errors import fail, indent  # noqa: E402

PEER_MAC = "52:55:0a:00:02:02"
PEER_IP = "10.0.2.2"
GUEST_IP = "10.0.2.15"
BROADCAST = "ff:ff:ff:ff:ff:ff"


class Peer:
    """The grader's end of -netdev dgram."""

    def __init__(self, qemu_port: int):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.qemu = ("127.0.0.1", qemu_port)
        self.guest_mac: Optional[str] = None
        self.seen: List[Ether] = []  # every frame the guest sent, in order
        self.backlog: List[Ether] = []  # received, not yet consumed by a wait

    def close(self) -> None:
        self.sock.close()

    # -- the wire ----------------------------------------------------------
    def send(self, frame) -> None:
        self.sock.sendto(bytes(frame), self.qemu)

    def send_raw(self, data: bytes) -> None:
        self.sock.sendto(data, self.qemu)

    def _receive(self, timeout: float) -> Optional[Ether]:
        self.sock.settimeout(max(timeout, 0.001))
        try:
            data = self.sock.recv(65536)
        except socket.timeout:
            return None
        frame = Ether(data)
        self.seen.append(frame)
        self._answer_arp(frame)
        return frame

    def _answer_arp(self, frame: Ether) -> bool:
        """Reply to the guest's "who has 10.0.2.2" (RFC 826): we are the gateway."""
        if ARP in frame and frame[ARP].op == 1 and frame[ARP].pdst == PEER_IP:
            self.guest_mac = frame[ARP].hwsrc
            self.send(Ether(dst=frame[ARP].hwsrc, src=PEER_MAC) /
                      ARP(op=2, hwsrc=PEER_MAC, psrc=PEER_IP,
                          hwdst=frame[ARP].hwsrc, pdst=frame[ARP].psrc))
            return True
        return False

    def wait_for(self, match: Callable[[Ether], bool], timeout: float,
                 what: str, must: bool = True) -> Optional[Ether]:
        """The first frame from the guest that matches (earlier ones are kept)."""
        for i, frame in enumerate(self.backlog):
            if match(frame):
                del self.backlog[i]
                return frame
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                if must:
                    sent = "\n".join("    " + f.summary() for f in self.seen[-8:])
                    fail(f"expected the guest to send {what} within {timeout:.1f} s, but it "
                         f"did not; the last frames it sent were:\n{sent or '    (none)'}")
                return None
            frame = self._receive(remaining)
            if frame is None:
                continue
            if match(frame):
                return frame
            if not (ARP in frame and frame[ARP].pdst == PEER_IP):
                self.backlog.append(frame)
                del self.backlog[:-256]

    def drain(self) -> None:
        """Forget frames received so far (answering ARP on the way)."""
        self.backlog.clear()
        while self._receive(0.001) is not None:
            pass

    # -- ARP and ping -------------------------------------------------------
    def resolve_guest(self, timeout: float) -> str:
        """ARP for the guest's address; its MAC (the answer must be right)."""
        self.send(Ether(dst=BROADCAST, src=PEER_MAC) /
                  ARP(op=1, hwsrc=PEER_MAC, psrc=PEER_IP, pdst=GUEST_IP))
        reply = self.wait_for(
            lambda f: ARP in f and f[ARP].op == 2 and f[ARP].psrc == GUEST_IP,
            timeout, f"an ARP reply 'is-at' for {GUEST_IP} (RFC 826)")
        arp = reply[ARP]
        if arp.pdst != PEER_IP or arp.hwdst.lower() != PEER_MAC or \
                reply.dst.lower() != PEER_MAC:
            fail(f"the guest's ARP reply is not addressed back to the asker "
                 f"({PEER_IP}, {PEER_MAC}): {reply.summary()}")
        self.guest_mac = arp.hwsrc
        return arp.hwsrc

    def to_guest(self, payload) -> Ether:
        """An Ethernet+IP frame from the peer to the guest around payload."""
        return Ether(dst=self.guest_mac, src=PEER_MAC) / IP(src=PEER_IP, dst=GUEST_IP) / payload


def tcp_payload(t: TCP) -> bytes:
    """The segment's data: what the IP length says, not Ethernet's padding."""
    ip = t.underlayer
    if ip is None:
        return bytes(t.payload)
    n = ip.len - ip.ihl * 4 - t.dataofs * 4
    return bytes(t.payload)[:max(n, 0)]


def is_tcp_from_guest(frame: Ether, sport: int, dport: int) -> bool:
    return (IP in frame and TCP in frame and frame[IP].src == GUEST_IP and
            frame[TCP].sport == sport and frame[TCP].dport == dport)


class TcpClient:
    """A minimal TCP client in the peer (RFC 9293 3.5, 3.6): connect, send a
    request, read the reply to the guest's FIN, close."""

    def __init__(self, peer: Peer, dport: int, timeout: float, sport: Optional[int] = None):
        self.peer, self.dport, self.timeout = peer, dport, timeout
        self.sport = sport or random.randint(20000, 60000)
        self.iss = random.randint(0, 0xFFFFFFFF)
        self.snd_nxt = self.iss
        self.rcv_nxt = 0
        self.retransmits_seen = 0

    def _segment(self, flags: str, seq: int, ack: int = 0, data: bytes = b"",
                 window: int = 65535, options=()):
        tcp = TCP(sport=self.sport, dport=self.dport, flags=flags, seq=seq & 0xFFFFFFFF,
                  ack=ack & 0xFFFFFFFF, window=window, options=list(options))
        return self.peer.to_guest(tcp / Raw(data) if data else tcp)

    def send(self, flags: str, data: bytes = b"", seq: Optional[int] = None, **kw) -> None:
        s = self.snd_nxt if seq is None else seq
        ack = self.rcv_nxt if "A" in flags else 0
        self.peer.send(self._segment(flags, s, ack, data, **kw))

    def wait(self, what: str, match=lambda t: True, must: bool = True):
        frame = self.peer.wait_for(
            lambda f: is_tcp_from_guest(f, self.dport, self.sport) and match(f[TCP]),
            self.timeout, what, must)
        return frame[TCP] if frame is not None else None

    def connect(self) -> TCP:
        self.send("S", options=[("MSS", 1460)])
        synack = self.wait(f"a SYN-ACK from port {self.dport}",
                           lambda t: t.flags.S and t.flags.A)
        if synack.ack != (self.iss + 1) & 0xFFFFFFFF:
            fail(f"the guest's SYN-ACK acknowledges {synack.ack}, not our ISS+1 = "
                 f"{(self.iss + 1) & 0xFFFFFFFF} (RFC 9293 3.5)")
        self.snd_nxt = self.iss + 1
        self.rcv_nxt = (synack.seq + 1) & 0xFFFFFFFF
        self.send("A")
        return synack

    def request(self, data: bytes) -> None:
        self.send("PA", data)
        self.snd_nxt += len(data)

    def read_to_fin(self, drop_first_data: bool = False) -> bytes:
        """Everything the guest sends until its FIN, acknowledged in order.

        drop_first_data: pretend the first data segment was lost (no ACK),
        and wait for the guest to send the same bytes again (its
        retransmission timer, RFC 9293 3.8.1 / RFC 6298).
        """
        data = bytearray()
        dropped_seq = None
        while True:
            what = ("the retransmission of the data segment at seq %d" % dropped_seq
                    if dropped_seq is not None and not self.retransmits_seen else
                    "more of the reply, or a FIN")
            t = self.wait(what, lambda t: bool(tcp_payload(t)) or t.flags.F or t.flags.R)
            if t.flags.R:
                fail(f"the guest reset the connection (RST) after {len(data)} bytes")
            payload = tcp_payload(t)
            if drop_first_data and payload and dropped_seq is None:
                dropped_seq = t.seq
                continue
            if dropped_seq is not None and t.seq == dropped_seq and payload:
                self.retransmits_seen += 1
            if payload and t.seq == self.rcv_nxt:
                data += payload
                self.rcv_nxt = (self.rcv_nxt + len(payload)) & 0xFFFFFFFF
            if t.flags.F and (t.seq + len(payload)) & 0xFFFFFFFF == self.rcv_nxt:
                self.rcv_nxt = (self.rcv_nxt + 1) & 0xFFFFFFFF
                self.send("A")
                self.send("FA")
                self.snd_nxt += 1
                self.wait("the ACK of our FIN (LAST_ACK -> CLOSED)",
                          lambda t: t.flags.A and t.ack == self.snd_nxt & 0xFFFFFFFF,
                          must=False)
                return bytes(data)
            self.send("A")

    def reset(self) -> None:
        self.send("R", seq=self.snd_nxt)


def resolve_once(guest) -> str:
    """The guest's MAC, by ARP, asked once per boot: a guest that did not
    answer fails every later test at once with the same message."""
    peer = guest.peer
    if peer.guest_mac is not None:
        return peer.guest_mac
    failure = getattr(peer, "arp_failure", "")
    if failure:
        fail(failure)
    try:
        return peer.resolve_guest(guest.scaled(5.0))
    except BaseException as exc:
        peer.arp_failure = "(as for an earlier test of this boot) " + str(exc)
        raise


def get(peer: Peer, path: str, timeout: float, drop_first_data: bool = False,
        port: int = 80) -> bytes:
    """GET path over the peer's TCP client: the whole reply (headers and body)."""
    c = TcpClient(peer, port, timeout)
    c.connect()
    c.request(f"GET {path} HTTP/1.0\r\nHost: {GUEST_IP}\r\n\r\n".encode())
    reply = c.read_to_fin(drop_first_data)
    if drop_first_data and not c.retransmits_seen:
        fail("the guest never sent the dropped data segment again (no retransmission)")
    return reply


# ---------------------------------------------------------------------------
# Malformed packets (the lab-6 tests, public and hidden, send these)


def fence(guest, ident=None):
    """A valid ping; returns once the guest answered it."""
    peer = guest.peer
    ident = ident or random.randrange(1, 0xFFFF)
    peer.send(peer.to_guest(ICMP(type=8, id=ident, seq=1) / Raw(b"fence" * 8)))
    return peer.wait_for(lambda f: ICMP in f and f[ICMP].type == 0 and f[ICMP].id == ident,
                         guest.scaled(10.0), "the echo reply to the fence ping")


def inet_sum_ok(data: bytes) -> bool:
    """RFC 1071: the one's-complement sum over a block that includes its
    checksum field is 0xFFFF."""
    if len(data) % 2:
        data += b"\0"
    total = sum(int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return total == 0xFFFF


def checksums_ok(frame) -> bool:
    """The IP header checksum and the ICMP checksum of a frame from the guest."""
    raw = bytes(frame[IP])
    hlen = (raw[0] & 0x0F) * 4
    total = int.from_bytes(raw[2:4], "big")
    return inet_sum_ok(raw[:hlen]) and inet_sum_ok(raw[hlen:total])


def eth(peer) -> bytes:
    return bytes(Ether(dst=peer.guest_mac, src=PEER_MAC, type=0x0800))


def ip_header(proto: int, payload_len: int, total=None) -> bytearray:
    """A valid 20-byte IPv4 header (checksum right) whose total length
    field says total (default: the real length)."""
    ip = bytes(IP(src=PEER_IP, dst=GUEST_IP, proto=proto, ttl=64, id=0x6006,
                  len=total if total is not None else 20 + payload_len))[:20]
    return bytearray(ip)


def truncated_tcp(peer) -> bytes:
    # The IP length covers only 8 bytes of a 20-byte TCP header.
    tcp = bytes(TCP(sport=4000, dport=80, flags="S"))[:8]
    return eth(peer) + bytes(ip_header(6, len(tcp))) + tcp


def bad_ip_checksum(peer) -> bytes:
    icmp = bytes(ICMP(type=8, id=0xBAD1, seq=1) / Raw(b"x" * 16))
    hdr = ip_header(1, len(icmp))
    hdr[10] ^= 0x5A  # one byte of the header checksum wrong
    return eth(peer) + bytes(hdr) + icmp


def bad_tcp_checksum(peer) -> bytes:
    good = bytes(IP(src=PEER_IP, dst=GUEST_IP) / TCP(sport=4001, dport=80, flags="S", seq=1))
    tcp = bytearray(good[20:])
    tcp[16] ^= 0x5A  # the TCP checksum wrong, the IP header right
    return eth(peer) + bytes(ip_header(6, len(tcp))) + bytes(tcp)


def ip_length_past_frame(peer) -> bytes:
    icmp = bytes(ICMP(type=8, id=0xBAD2, seq=1) / Raw(b"y" * 16))
    return eth(peer) + bytes(ip_header(1, len(icmp), total=1200)) + icmp


def udp_length_past_datagram(peer) -> bytes:
    udp = bytearray(bytes(UDP(sport=4002, dport=7, chksum=0) / Raw(b"z" * 8)))
    udp[4:6] = (400).to_bytes(2, "big")  # the UDP length says 400, 16 are there
    return eth(peer) + bytes(ip_header(17, len(udp))) + bytes(udp)


MALFORMED = [
    # (what, the reason netstat counts it under, how many, builder(peer) -> frame)
    ("TCP header cut short (IP length covers 8 bytes of it)", "truncated header", 3,
     truncated_tcp),
    ("IP header checksum wrong (a ping)", "bad checksum", 4, bad_ip_checksum),
    ("TCP checksum wrong (a SYN to port 80)", "bad checksum", 3, bad_tcp_checksum),
    ("IP total length 1200, larger than the frame (a ping)", "bad length", 5,
     ip_length_past_frame),
    ("UDP length 400, larger than the datagram (to port 7)", "bad length", 2,
     udp_length_past_datagram),
]


def send_malformed(guest, kinds):
    peer = guest.peer
    for _, _, count, build in kinds:
        frame = build(peer)
        for _ in range(count):
            peer.send_raw(frame)
    fence(guest)


def expect_drops(before, after, kinds, exact=False):
    want = {}
    for _, reason, count, _ in kinds:
        want[reason] = want.get(reason, 0) + count
    problems = []
    for reason, n in want.items():
        delta = after.need(reason) - before.need(reason)
        if delta < n or (exact and delta != n):
            problems.append(f"'{reason}' went up by {delta}, expected "
                            f"{'exactly ' if exact else 'at least '}{n}")
    if problems:
        fail("the guest must drop each malformed packet and count it under its reason:\n"
             + indent(problems) + "\nthe peer sent:\n"
             + indent(f"{count} x {name} (counted as '{reason}')"
                      for name, reason, count, _ in kinds)
             + "\nnetstat printed afterwards:\n" + indent(after.text.splitlines()))


