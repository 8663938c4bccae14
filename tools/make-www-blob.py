#!/usr/bin/env python3
"""make-www-blob.py -- the deterministic test file of httpd's /www (lab 6).

    make-www-blob.py SIZE OUT

Writes SIZE bytes to OUT: SHA-256 of the block number (8 bytes, big
endian), block after block, cut at SIZE. The same on every build and
every host (so the grader can compute the expected cksum itself), and
incompressible and never periodic within the file, so a transfer that
loses, repeats or reorders a segment cannot produce the same bytes.
Not committed: userland/userland.mk builds it into the initrd as
/www/1m.bin.
"""
import hashlib
import os
import sys


def blob(size):
    out = bytearray()
    block = 0
    while len(out) < size:
        out += hashlib.sha256(block.to_bytes(8, "big")).digest()
        block += 1
    return bytes(out[:size])


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: make-www-blob.py SIZE OUT")
    size, path = int(sys.argv[1], 0), sys.argv[2]
    with open(path + ".new", "wb") as f:
        f.write(blob(size))
    os.replace(path + ".new", path)


if __name__ == "__main__":
    main()
