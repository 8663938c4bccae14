#!/usr/bin/python3
"""acpi-dump.py -- dump an emulator's ACPI tables into a host-test fixture.

    tools/acpi-dump.py qemu  OUT.bin [QEMU ARGS...]   e.g. -smp 4,sockets=4
    tools/acpi-dump.py bochs OUT.bin [CPUS]

The firmware (SeaBIOS in QEMU, the Bochs BIOS in Bochs) builds the tables
in guest RAM before it looks for something to boot, so no kernel is
needed: QEMU is left in SeaBIOS ("No bootable device") and its RAM saved
with QMP pmemsave (the HMP monitor's pmemsave mangles paths, FIELD-NOTES);
Bochs boots a one-sector floppy whose first instruction is a physical
breakpoint, and its debugger's `writemem` saves RAM (real mode, so linear
addresses are physical).

From that RAM image only what the kernel's parser reads is kept (a few
KiB): the BIOS data area word at 0x40E (the EBDA segment), the RSDP, the
RSDT/XSDT and every table they list. The fixture is a list of chunks,
each "<u32 physical address> <u32 length> <bytes>", little-endian; the
host tests (kernel/tests/host/acpi_test.c) rebuild memory from them.
"""
import json
import os
import socket
import struct
import subprocess
import sys
import tempfile
import time

RAM_MB = 128            # as the Makefile's and the grader's QEMU


def checksum_ok(b):
    return sum(b) & 0xFF == 0


def find_rsdp(ram):
    """The RSDP's address: the EBDA's first KiB, then 0xE0000-0xFFFFF."""
    ebda = struct.unpack_from("<H", ram, 0x40E)[0] << 4
    areas = [(ebda, ebda + 1024)] if 0x400 < ebda < 0xA0000 else []
    areas.append((0xE0000, 0x100000))
    for start, end in areas:
        for a in range(start, end, 16):
            if ram[a:a + 8] == b"RSD PTR " and checksum_ok(ram[a:a + 20]):
                return a
    return None


def chunks_of(ram):
    rsdp = find_rsdp(ram)
    if rsdp is None:
        return None
    rev = ram[rsdp + 15]
    chunks = [(0x40E, ram[0x40E:0x410])]
    rlen = 36 if rev >= 2 else 20
    chunks.append((rsdp, ram[rsdp:rsdp + rlen]))
    rsdt, = struct.unpack_from("<I", ram, rsdp + 16)
    sdts = [(rsdt, 4)]
    if rev >= 2:
        xsdt, = struct.unpack_from("<Q", ram, rsdp + 24)
        if xsdt:
            sdts.append((xsdt, 8))
    tables = set()
    for addr, width in sdts:
        length, = struct.unpack_from("<I", ram, addr + 4)
        chunks.append((addr, ram[addr:addr + length]))
        for off in range(36, length, width):
            entry = int.from_bytes(ram[addr + off:addr + off + width], "little")
            tables.add(entry)
    for t in sorted(tables):
        length, = struct.unpack_from("<I", ram, t + 4)
        chunks.append((t, ram[t:t + length]))
    return chunks


def write_fixture(path, chunks):
    with open(path, "wb") as f:
        for addr, data in chunks:
            f.write(struct.pack("<II", addr, len(data)))
            f.write(bytes(data))
    names = [bytes(d[:4]).decode("ascii", "replace") for a, d in chunks[2:]]
    print(f"{path}: {len(chunks)} chunks ({' '.join(names)}), "
          f"{os.path.getsize(path)} bytes")


def qmp(sock, cmd, **args):
    sock.sendall(json.dumps({"execute": cmd, "arguments": args}).encode() + b"\n")
    buf = b""
    while True:
        buf += sock.recv(65536)
        for line in buf.split(b"\n")[:-1]:
            reply = json.loads(line)
            if "return" in reply or "error" in reply:
                return reply
        buf = buf[buf.rfind(b"\n") + 1:]


def dump_qemu(out, args):
    with tempfile.TemporaryDirectory() as tmp:
        sockpath, ram = os.path.join(tmp, "qmp"), os.path.join(tmp, "ram")
        qemu = subprocess.Popen(["qemu-system-i386", "-m", str(RAM_MB), "-display", "none",
                                 "-qmp", f"unix:{sockpath},server=on,wait=off",
                                 *args])
        try:
            deadline = time.monotonic() + 60
            while not os.path.exists(sockpath) and time.monotonic() < deadline:
                time.sleep(0.1)
            sock = socket.socket(socket.AF_UNIX)
            sock.connect(sockpath)
            sock.recv(65536)                        # the greeting
            qmp(sock, "qmp_capabilities")
            while time.monotonic() < deadline:      # until SeaBIOS has built them
                qmp(sock, "pmemsave", val=0, size=RAM_MB << 20, filename=ram)
                with open(ram, "rb") as f:
                    chunks = chunks_of(f.read())
                if chunks:
                    return write_fixture(out, chunks)
                time.sleep(0.5)
            sys.exit("acpi-dump: no RSDP appeared in 60 s")
        finally:
            qemu.kill()
            qemu.wait()


BOCHSRC = """megs: {mb}
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=/usr/share/vgabios/vgabios.bin
floppya: 1_44={floppy}, status=inserted
boot: floppy
cpu: count={cpus}
display_library: rfb, options="timeout=0"
clock: sync=none, time0=local
speaker: enabled=0
sound: waveoutdrv=dummy, waveindrv=dummy, midioutdrv=dummy
log: {tmp}/bochs.log
panic: action=fatal
"""


def dump_bochs(out, cpus):
    mb = 128                    # as tools/bochs.sh
    with tempfile.TemporaryDirectory() as tmp:
        floppy, ram = os.path.join(tmp, "boot.img"), os.path.join(tmp, "ram")
        sector = b"\xf4\xeb\xfd" + bytes(507) + b"\x55\xaa"     # hlt; jmp .-1
        with open(floppy, "wb") as f:
            f.write(sector + bytes(1474560 - 512))
        with open(os.path.join(tmp, "bochsrc"), "w") as f:
            f.write(BOCHSRC.format(mb=mb, floppy=floppy, cpus=cpus, tmp=tmp))
        with open(os.path.join(tmp, "rc"), "w") as f:
            f.write(f'pb 0x7c00\nc\nwritemem "{ram}" 0 {mb << 20}\nq\n')
        subprocess.run(["bochs", "-q", "-f", os.path.join(tmp, "bochsrc"),
                        "-rc", os.path.join(tmp, "rc")], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=300, check=False)
        if not os.path.exists(ram):
            sys.exit(f"acpi-dump: Bochs wrote no RAM image (see {tmp}/bochs.log)")
        with open(ram, "rb") as f:
            chunks = chunks_of(f.read())
        if not chunks:
            sys.exit("acpi-dump: no RSDP in Bochs' RAM")
        write_fixture(out, chunks)


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ("qemu", "bochs"):
        sys.exit(__doc__)
    if sys.argv[1] == "qemu":
        dump_qemu(sys.argv[2], sys.argv[3:])
    else:
        dump_bochs(sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 1)


if __name__ == "__main__":
    main()
