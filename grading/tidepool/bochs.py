"""Lab 6 in Bochs 2.7: a GRUB ISO with an E1000 on Bochs' slirp.

Bochs has no Multiboot loader and no interactive console here
(FIELD-NOTES.md), so the command line carries the whole session:
``run=/bin/sh -c "..."`` runs a few programs whose output lands in COM1's
file, and a udp forward of Bochs' slirp (``hostfwd`` in its slirp.conf,
host port chosen free at run time) lets the host's nc reach the guest's
udpecho. The bochsrc is tools/bochs.sh's, plus the NIC:

    e1000: enabled=1, mac=52:54:00:12:34:56, ethmod=slirp, script=slirp.conf
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from typing import Optional

from . import runlog
from .errors import fail
from .qemu import _die_with_parent

BOCHS_SOUND = "sound: waveoutdrv=dummy, waveindrv=dummy, midioutdrv=dummy"


class BochsRun:
    """One Bochs boot of kernel+initrd running ``sh -c SCRIPT``, an E1000 on slirp."""

    def __init__(self, kernel: str, initrd: str, script: str, udp_port: int):
        self.dir = tempfile.mkdtemp(prefix="tidepool-bochs-")
        self.com1 = os.path.join(self.dir, "com1.txt")
        self.iso = os.path.join(self.dir, "net.iso")
        self._make_iso(kernel, initrd, script)
        with open(os.path.join(self.dir, "slirp.conf"), "w") as f:
            # Bochs' slirp: the same 10.0.2.0/24 network as QEMU's. Bochs
            # rejects the file ("wrong file format") without its magic line.
            f.write(f"# slirp config\nhostfwd = udp:127.0.0.1:{udp_port}-:7\n")
        with open(os.path.join(self.dir, "bochsrc"), "w") as f:
            f.write(self._bochsrc())
        with open(os.path.join(self.dir, "bochs.rc"), "w") as f:
            f.write("c\nq\n")
        argv = ["bochs", "-q", "-f", "bochsrc", "-rc", "bochs.rc"]
        runlog.record(runlog.Command(runlog.TEXT, f"(cd {self.dir} && {' '.join(argv)})"))
        self.proc = subprocess.Popen(argv, cwd=self.dir, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     start_new_session=True, preexec_fn=_die_with_parent)

    def _make_iso(self, kernel: str, initrd: str, script: str) -> None:
        root = os.path.join(self.dir, "root")
        os.makedirs(os.path.join(root, "boot", "grub"))
        shutil.copy(kernel, os.path.join(root, "boot", "kernel.elf"))
        shutil.copy(initrd, os.path.join(root, "boot", "initrd.cpio"))
        # GRUB reads the script as one single-quoted word (';' included) and
        # hands a word with spaces to the kernel in double quotes, which the
        # kernel's run= splitter drops: argv = sh, -c, SCRIPT.
        if "'" in script or '"' in script:
            raise ValueError("the Bochs script cannot contain quotes")
        with open(os.path.join(root, "boot", "grub", "grub.cfg"), "w") as f:
            f.write("set timeout=0\nset default=0\nterminal_output console\n"
                    "menuentry \"Tidepool\" {\n"
                    f"    multiboot /boot/kernel.elf run=/bin/sh -c '{script}'\n"
                    "    module /boot/initrd.cpio initrd.cpio\n    boot\n}\n")
        r = subprocess.run(["grub-mkrescue", "-o", self.iso, root], capture_output=True,
                           timeout=120)
        if r.returncode != 0:
            fail("grub-mkrescue could not make the Bochs ISO: "
                 + r.stderr.decode(errors="replace")[-500:])

    def _bochsrc(self) -> str:
        return f"""megs: 128
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=/usr/share/vgabios/vgabios.bin
ata0-master: type=cdrom, path=net.iso, status=inserted
boot: cdrom
display_library: rfb, options="timeout=0"
com1: enabled=1, mode=file, dev=com1.txt
magic_break: enabled=1
port_e9_hack: enabled=1
clock: sync=none, time0=local
speaker: enabled=0
{BOCHS_SOUND}
pci: enabled=1, chipset=i440fx
e1000: enabled=1, mac=52:54:00:12:34:56, ethmod=slirp, script=slirp.conf
log: bochs.log
panic: action=fatal
"""

    def console(self) -> str:
        try:
            with open(self.com1, "rb") as f:
                return f.read(1 << 20).decode(errors="replace").replace("\r", "")
        except OSError:
            return ""

    def wait_console(self, pattern, timeout: float, what: str):
        """The first match of regex pattern in COM1, waiting up to timeout."""
        import re

        deadline = time.monotonic() + timeout
        while True:
            m = re.search(pattern, self.console(), re.M)
            if m:
                return m
            if self.proc.poll() is not None or time.monotonic() > deadline:
                state = ("Bochs exited with status %d" % self.proc.returncode
                         if self.proc.poll() is not None else
                         f"it did not appear within {timeout:.1f} s")
                tail = "\n".join("    " + ln for ln in self.console().splitlines()[-20:])
                fail(f"expected {what} on Bochs' console, but {state}; the last console "
                     f"lines were:\n{tail or '    (none)'}")
            time.sleep(0.2)  # COM1 is a file: poll it (bounded by the deadline)

    def close(self) -> None:
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.wait()
        if not os.environ.get("TIDEPOOL_KEEP_TMP"):
            shutil.rmtree(self.dir, ignore_errors=True)


def have_bochs() -> Optional[str]:
    for need in ("bochs", "grub-mkrescue"):
        if shutil.which(need) is None:
            return need
    return None
