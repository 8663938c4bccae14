#!/usr/bin/python3
"""bench-net.py KERNEL INITRD -- bytes/s of 10 MiB through the guest's TCP.

Boots the kernel with an E1000 on QEMU's user network (TCG, no -icount:
this is wall-clock throughput through slirp, the E1000 model and the
guest's whole stack), waits for init's httpd, then with the host's curl:

  download: GET /1m.bin ten times (10 MiB, ten connections one after
            another; /10m.bin instead if the guest has one);
  upload:   PUT /upload with 10 MiB of deterministic bytes; httpd answers
            "bytes=N crc=XXXXXXXX" and both are checked against the host's
            POSIX cksum, so a fast but lossy path does not count.

Prints "bench:" lines (tools/bench-table.py's metric format):
    bench: metric=net_download_bytes_per_s value=N unit=B/s
    bench: metric=net_upload_bytes_per_s value=N unit=B/s
Numbers depend on the host's load: quote them with it (uptime).
"""

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "grading"))

from tidepool import net, timeouts  # noqa: E402

TEN_MIB = 10 << 20


def curl_timed(argv):
    """Run curl with -w; return (http status, bytes, seconds, body)."""
    r = subprocess.run(["curl", "-sS", "-w", "\n%{http_code} %{size_download} %{size_upload} "
                        "%{time_total}", *argv], capture_output=True, timeout=1200)
    body, _, tail = r.stdout.rpartition(b"\n")
    parts = tail.decode().split()
    if r.returncode != 0 or len(parts) != 4:
        raise SystemExit(f"bench-net: curl {' '.join(argv)} failed: "
                         f"{r.stderr.decode(errors='replace').strip()}")
    code, down, up, secs = int(parts[0]), int(parts[1]), int(parts[2]), float(parts[3])
    return code, max(down, up), secs, body


def download(port):
    url = f"http://127.0.0.1:{port}"
    code, n, secs, _ = curl_timed(["-o", "/dev/null", f"{url}/10m.bin"])
    if code == 200 and n == TEN_MIB:
        return n, secs
    total, elapsed = 0, 0.0
    for _ in range(10):
        code, n, secs, _ = curl_timed(["-o", "/dev/null", f"{url}/1m.bin"])
        if code != 200 or n != 1 << 20:
            raise SystemExit(f"bench-net: GET /1m.bin gave {code} and {n} bytes")
        total, elapsed = total + n, elapsed + secs
    return total, elapsed


def upload(port, workdir):
    rng = random.Random(10)
    data = rng.randbytes(TEN_MIB)
    path = os.path.join(workdir, "up.bin")
    with open(path, "wb") as f:
        f.write(data)
    code, n, secs, body = curl_timed(["-T", path, "-X", "PUT",
                                      f"http://127.0.0.1:{port}/upload"])
    crc, size = net.host_cksum(path)
    m = re.search(rb"bytes=(\d+) crc=([0-9A-Fa-f]{8})", body)
    if code != 200 or m is None:
        raise SystemExit(f"bench-net: PUT /upload gave {code}: {body[:200]!r}")
    if int(m.group(1)) != size or int(m.group(2), 16) != crc:
        raise SystemExit(f"bench-net: httpd counted {m.group(0).decode()}, the host's cksum "
                         f"says bytes={size} crc={crc:08X}: the upload was damaged")
    return n, secs


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("kernel")
    ap.add_argument("initrd")
    args = ap.parse_args()
    cal = timeouts.calibrate(args.kernel)
    guest = net.NetGuest(args.kernel, args.initrd, cal, mode="user")
    try:
        guest.wait_http(base=60.0)
        with tempfile.TemporaryDirectory(prefix="tidepool-bench-net-") as d:
            for name, (n, secs) in (("download", download(guest.http_port)),
                                    ("upload", upload(guest.http_port, d))):
                rate = n / secs if secs > 0 else 0
                print(f"bench: net {name}: {n} bytes in {secs:.2f} s = {rate / 1e6:.2f} MB/s "
                      f"(TCG, load {os.getloadavg()[0]:.1f})")
                print(f"bench: metric=net_{name}_bytes_per_s value={rate:.0f} unit=B/s")
    finally:
        guest.close()


if __name__ == "__main__":
    start = time.monotonic()
    main()
