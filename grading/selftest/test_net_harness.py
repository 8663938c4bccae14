"""Lab 6's network harness without a kernel: netstat parsing, POSIX cksum,
the malformed frames the peer sends, and the handshake/teardown check on
pcaps written here with scapy and read back by tshark."""

import shutil
import socket
import subprocess

import pytest

from tidepool import net

scapy = pytest.importorskip("scapy.layers.inet")

NETSTAT = """interface: e1000 mac 52:54:00:12:34:56 inet 10.0.2.15/24 gateway 10.0.2.2
frames: rx 21 tx 4 delivered 2 loopback 0
drops by reason:
  truncated header         3
  bad checksum             7
  out of window            1
tcp: segs_in 5 segs_out 7 retransmits 1 resets_sent 0 out_of_order 0 backlog_full 32 timeouts 0
nic statistics:
  crc_errors               9
sockets:
Proto Recv-Q Send-Q  Local Address         Foreign Address       State
tcp        0      0  *:80                  *:*                   LISTEN
"""


def test_netstat_parse():
    n = net.Netstat.parse(NETSTAT)
    assert n.get("truncated header") == 3
    assert n.get("bad checksum") == 7
    assert n.get("out of window") == 1
    assert n.get("backlog full") == 32
    assert n.get("retransmits") == 1
    assert n.get("crc errors") is None          # a NIC statistic, not a drop
    assert n.get("nic statistics crc errors") == 9
    assert n.get("no memory") is None


def test_posix_cksum_matches_the_host(tmp_path):
    data = bytes(range(256)) * 41 + b"tail"
    path = tmp_path / "f"
    path.write_bytes(data)
    out = subprocess.run(["cksum", str(path)], capture_output=True, check=True).stdout.split()
    assert net.posix_cksum(data) == (int(out[0]), int(out[1]))
    assert net.posix_cksum(b"") == (4294967295, 0)


def test_free_ports_are_free():
    for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM):
        port = net.free_port(kind)
        with socket.socket(socket.AF_INET, kind) as s:
            s.bind(("127.0.0.1", port))


def test_malformed_frames_are_what_they_claim():
    from scapy.layers.inet import IP
    from tidepool import netpeer

    class Peer:
        guest_mac = "52:54:00:12:34:56"

    frames = {f.__name__: f(Peer()) for _, _, _, f in netpeer.MALFORMED}
    ip = lambda name: frames[name][14:]  # noqa: E731
    assert netpeer.inet_sum_ok(ip("truncated_tcp")[:20])
    assert IP(ip("truncated_tcp")).len - 20 == 8                    # TCP needs 20
    assert not netpeer.inet_sum_ok(ip("bad_ip_checksum")[:20])
    good = ip("bad_tcp_checksum")
    assert netpeer.inet_sum_ok(good[:20])
    pseudo = good[12:20] + b"\0\x06" + (len(good) - 20).to_bytes(2, "big")
    assert not netpeer.inet_sum_ok(pseudo + good[20:])
    assert netpeer.inet_sum_ok(ip("ip_length_past_frame")[:20])
    assert IP(ip("ip_length_past_frame")).len > len(ip("ip_length_past_frame"))
    udp = ip("udp_length_past_datagram")[20:]
    assert int.from_bytes(udp[4:6], "big") > len(udp)


def _pcap(tmp_path, segments):
    from scapy.layers.inet import IP, TCP
    from scapy.layers.l2 import Ether
    from scapy.utils import wrpcap

    pkts = []
    for src, flags, seq, ack in segments:
        guest = src == "g"
        ip = IP(src="10.0.2.15" if guest else "10.0.2.2", dst="10.0.2.2" if guest else "10.0.2.15")
        tcp = TCP(sport=80 if guest else 5555, dport=5555 if guest else 80, flags=flags,
                  seq=seq, ack=ack)
        pkts.append(Ether() / ip / tcp)
    path = str(tmp_path / "t.pcap")
    wrpcap(path, pkts)
    return path


@pytest.mark.skipif(shutil.which("tshark") is None, reason="tshark not installed")
def test_check_last_connection(tmp_path):
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "t6", Path(__file__).resolve().parents[1] / "tests/lab6/test_net_user.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    good = [("h", "S", 100, 0), ("g", "SA", 500, 101), ("h", "A", 101, 501),
            ("g", "FA", 501, 101), ("h", "A", 101, 502), ("h", "FA", 101, 502),
            ("g", "A", 502, 102)]
    assert mod.check_last_connection(_pcap(tmp_path, good)) is None
    no_last_ack = good[:-1]
    assert "acknowledge" in mod.check_last_connection(_pcap(tmp_path, no_last_ack))
    reset = good[:3] + [("g", "R", 501, 0)]
    assert mod.check_last_connection(_pcap(tmp_path, reset)) is not None
    no_synack = [good[0], ("g", "A", 500, 101)] + good[2:]
    assert "SYN-ACK" in mod.check_last_connection(_pcap(tmp_path, no_synack))
