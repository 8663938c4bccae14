"""Talking to GDB and QEMU: registers, QEMU's monitor, memory.

QEMU's gdbstub for i386 exposes eax..gs, fs_base/gs_base, cr0, cr2, cr3,
cr4 and efer as registers, but not GDTR, IDTR, LDTR or TR. Those come from
`monitor info registers` (QEMU's HMP, passed through GDB's qRcmd packet),
which prints lines like
    GDT=     0010c8e0 0000002f
    IDT=     00000000 000003ff
    CS =0008 00000000 ffffffff 00cf9a00 DPL=0 CS32 [-R-]
    CR0=00000011 CR2=00000000 CR3=00000000 CR4=00000000
Memory that GDB reads is linear (QEMU translates through the current page
tables); physical memory is read with QEMU's Qqemu.PhyMemMode packet.
"""
import os
import re
import shlex
import socket
import struct

import gdb

SEG_LINE = re.compile(r"^(ES|CS|SS|DS|FS|GS|LDT|TR)\s*=([0-9a-fA-F]{4})\s+([0-9a-fA-F]+)\s+"
                      r"([0-9a-fA-F]+)\s+([0-9a-fA-F]+)", re.M)
TABLE_LINE = re.compile(r"^(GDT|IDT)=\s*([0-9a-fA-F]+)\s+([0-9a-fA-F]+)", re.M)
CR_FIELD = re.compile(r"\b(CR[0234])=([0-9a-fA-F]+)")

NOT_CONNECTED = ("no kernel to look at: GDB is not connected to QEMU. Start QEMU with "
                 "`make qemu-gdb` and connect with `make gdb` (or `tidepool-connect`), "
                 "or start one over a pipe with `tidepool-start`")


def require_target():
    """Raise a GdbError unless GDB is attached to a stopped target."""
    inf = gdb.selected_inferior()
    if inf is None or inf.pid == 0:
        raise gdb.GdbError(NOT_CONNECTED)
    thread = gdb.selected_thread()
    if thread is None:
        raise gdb.GdbError(NOT_CONNECTED)
    if thread.is_running():
        raise gdb.GdbError("the kernel is running: stop it first (Ctrl-C)")


def monitor(command):
    """Run a QEMU monitor (HMP) command and return its output."""
    require_target()
    thread = gdb.selected_thread()
    threads = gdb.selected_inferior().threads()
    prefix = ""
    # With several CPUs, QEMU's monitor talks about its own current CPU:
    # make it the one GDB has selected (QEMU numbers GDB threads cpu + 1).
    if len(threads) > 1 and thread.ptid[1] > 0:
        prefix = "cpu %d" % (thread.ptid[1] - 1)
    try:
        if prefix:
            gdb.execute("monitor " + prefix, to_string=True)
        out = gdb.execute("monitor " + command, to_string=True)
    except gdb.error as err:
        raise gdb.GdbError("QEMU's monitor did not answer `%s` (%s): these commands need "
                           "QEMU's gdbstub" % (command, err))
    return out.replace("\r", "")


class CpuState:
    """What `monitor info registers` says, parsed."""

    def __init__(self, text):
        self.text = text
        self.segments = {}
        for m in SEG_LINE.finditer(text):
            self.segments[m.group(1)] = {
                "selector": int(m.group(2), 16),
                "base": int(m.group(3), 16),
                "limit": int(m.group(4), 16),
                "flags": int(m.group(5), 16),
            }
        self.tables = {}
        for m in TABLE_LINE.finditer(text):
            self.tables[m.group(1)] = (int(m.group(2), 16), int(m.group(3), 16))
        self.cr = {m.group(1).lower(): int(m.group(2), 16) for m in CR_FIELD.finditer(text)}
        if "GDT" not in self.tables or "cr0" not in self.cr:
            raise gdb.GdbError("could not parse QEMU's `info registers` output:\n" + text)

    def selector(self, name):
        seg = self.segments.get(name)
        return None if seg is None else seg["selector"]


def cpu_state():
    return CpuState(monitor("info registers"))


def read_linear(addr, size):
    """Bytes at a linear (virtual) address, through the current page tables."""
    try:
        return bytes(gdb.selected_inferior().read_memory(addr, size))
    except gdb.MemoryError as err:
        raise gdb.GdbError("cannot read %d bytes at linear address 0x%08x (%s)"
                           % (size, addr, err))


def _packet(text):
    out = gdb.execute("maint packet " + text, to_string=True)
    m = re.search(r'received: "(.*)"', out)
    return m.group(1) if m else ""


def read_physical(addr, size, paging_on):
    """Bytes at a physical address. With paging off, linear = physical."""
    if not paging_on:
        return read_linear(addr, size)
    require_target()
    if _packet("Qqemu.PhyMemMode:1") == "OK":
        try:
            return read_linear(addr, size)
        finally:
            _packet("Qqemu.PhyMemMode:0")
            # Nothing read in physical mode may stay in GDB's cache.
            gdb.execute("maint flush dcache", to_string=True)
    # An older QEMU: its monitor's xp command reads physical memory.
    words = (size + 3) // 4
    out = monitor("xp /%dwx 0x%x" % (words, addr))
    values = [int(v, 16) for v in re.findall(r"0x([0-9a-fA-F]{8})\b", out.split(":", 1)[-1])]
    if len(values) < words:
        raise gdb.GdbError("cannot read physical address 0x%08x: %s" % (addr, out.strip()))
    return struct.pack("<%dI" % words, *values[:words])[:size]


def u32(data):
    return struct.unpack("<I", data[:4])[0]


def symbol_at(addr):
    """(name, start address) of the symbol covering addr, or (None, None).
    Uses GDB's minimal symbols (`info symbol`), so it also names assembly
    labels such as _start or alltraps that have no debug information."""
    try:
        out = gdb.execute("info symbol 0x%x" % addr, to_string=True)
    except gdb.error:
        return None, None
    m = re.match(r"^(\S+)(?: \+ (\d+))? in section", out)
    if not m:
        return None, None
    return m.group(1), addr - int(m.group(2) or 0)


def source_line(pc):
    """'file:line' for pc, or None."""
    try:
        sal = gdb.find_pc_line(pc)
    except gdb.error:
        return None
    if sal is None or sal.symtab is None or not sal.line:
        return None
    return "%s:%d" % (sal.symtab.filename, sal.line)


def code_line(pc):
    """source_line() for a place in a function, in that function's own
    file: where pc's line is in code inlined from another file
    (this_cpu_thread(), from percpu.h, in sys_getpid), the line that calls
    the inlined code if GDB's newest frame is at pc, else the function's
    first line. A student asked "where is this thread" wants sys_proc.c,
    not a header's asm line."""
    line = source_line(pc)
    try:
        block = gdb.block_for_pc(pc)
    except RuntimeError:
        return line
    functions = []
    while block is not None:
        if block.function is not None:
            functions.append(block.function)
        block = block.superblock
    if not functions or functions[-1].symtab is None or line is None:
        return line
    # The line table may name the inlined code's header even where the
    # DWARF inline block does not cover pc (lab 4's `cpus[0].thread`).
    if line.rsplit(":", 1)[0] == functions[-1].symtab.filename:
        return line                     # not in code inlined from another file
    try:
        frame = gdb.newest_frame()
        if frame.pc() == pc:
            while frame.type() == gdb.INLINE_FRAME and frame.older() is not None:
                frame = frame.older()
            sal = frame.find_sal()
            function = frame.function()
            # GDB may show the outer function with the inlined line (lab
            # 4's `cpus[0].thread`): only a line in the function's own file
            if sal.symtab is not None and sal.line and function is not None \
                    and function.name == functions[-1].name \
                    and sal.symtab.filename == functions[-1].symtab.filename:
                return "%s:%d" % (sal.symtab.filename, sal.line)
    except gdb.error:
        pass
    return "%s:%d" % (functions[-1].symtab.filename, functions[-1].line)


def symbol_address(name):
    """The address of a global symbol (variable or function), or None."""
    try:
        return int(gdb.parse_and_eval("(unsigned long)&%s" % name))
    except gdb.error:
        return None


def register(name):
    return int(gdb.parse_and_eval("$" + name)) & 0xFFFFFFFF


# ---- starting QEMU over a pipe ----------------------------------------------

def qemu_pipe_command(kernel, cmdline="", console="null", extra=(), initrd=None):
    """The `target remote | ...` command that starts QEMU for this GDB:
    -gdb stdio makes GDB's pipe the stub's line, so there is no TCP port,
    and QEMU ends with GDB. -S: stop before the first instruction.
    initrd: a file for -initrd (the user programs, lab 4 on). No display
    and no display adapter (-vga none), as in the grader's machine: the
    VGA text buffer QEMU emulates store by store shows nothing here."""
    qemu = os.environ.get("QEMU") or "qemu-system-i386"
    accel = os.environ.get("ACCEL") or "tcg"
    args = [qemu, "-gdb", "stdio", "-S", "-kernel", kernel, "-append", cmdline,
            "-m", "128", "-no-reboot", "-accel", accel, "-display", "none", "-vga", "none",
            "-monitor", "none", "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"]
    if console == "tty":
        # COM1 to GDB's terminal, by name: GDB gives a pipe command a
        # socket, not its own stderr, so /dev/stderr would not do.
        args += ["-chardev", "file,id=com1,path=%s,append=on" % os.ttyname(2),
                 "-serial", "chardev:com1"]
    elif console == "null":
        args += ["-serial", "null"]
    else:
        args += ["-serial", "file:" + console]
    args += ["-serial", "null"]     # COM2 (KTAP)
    if initrd:
        args += ["-initrd", initrd]
    args += list(extra)
    return "target remote | exec " + " ".join(shlex.quote(a) for a in args)


_exit_hook = [False]


def _kill_on_exit(_event):
    try:
        inf = gdb.selected_inferior()
        if inf is not None and inf.pid != 0:
            gdb.execute("kill", to_string=True)
    except gdb.error:
        pass


def default_initrd(kernel):
    """The initrd that `make` builds beside a kernel: $(BUILD)/initrd.cpio."""
    path = os.path.join(os.path.dirname(kernel), "initrd.cpio")
    if not os.path.isfile(path):
        raise gdb.GdbError("no initrd beside the kernel (%s): `make` builds it from lab 4 on, "
                           "or name one: --initrd=FILE" % path)
    return path


# The host port forwarded to the guest's tcp 80 by start_qemu(net=True).
http_port = None


def free_tcp_port():
    """A port on 127.0.0.1 that nobody listens on now (the kernel picks it),
    so that parallel demos and a running `make qemu NET=1` never collide."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def net_args(port):
    """An E1000 on QEMU's user network (slirp: DHCP gives 10.0.2.15), host
    127.0.0.1:port forwarded to the guest's tcp 80."""
    return ("-netdev", "user,id=n0,hostfwd=tcp:127.0.0.1:%d-:80" % port,
            "-device", "e1000,netdev=n0")


def start_qemu(cmdline="", console=None, initrd=None, smp=None, net=False):
    """Start QEMU over a pipe with GDB's current executable as the kernel.
    initrd: a file, or True for default_initrd(). smp: QEMU's -smp value
    (2, "4,sockets=4"); QEMU's gdbstub then shows one thread per vCPU.
    net: an E1000 with a free host port forwarded to the guest's tcp 80
    (http_port, and GDB's $http_port)."""
    global http_port
    kernel = gdb.current_progspace().filename
    if kernel is None:
        raise gdb.GdbError("no kernel loaded: start GDB with the kernel (gdb build/kernel.elf) "
                           "or use `file build/kernel.elf`")
    if initrd is True:
        initrd = default_initrd(kernel)
    inf = gdb.selected_inferior()
    if inf is not None and inf.pid != 0:
        raise gdb.GdbError("already connected to a target: `kill` it first")
    if console is None:
        console = "tty" if os.isatty(2) else "null"
    if console == "tty" and not os.isatty(2):
        raise gdb.GdbError("--console=tty: GDB's standard error is not a terminal")
    gdb.execute("set confirm off")
    gdb.execute("set pagination off")
    # Kill (not detach) QEMU when GDB exits: it then ends at once.
    if not _exit_hook[0] and hasattr(gdb.events, "gdb_exiting"):
        gdb.events.gdb_exiting.connect(_kill_on_exit)
        _exit_hook[0] = True
    # QEMU may take seconds to answer GDB's first packet on a loaded
    # host; with GDB's default of 2 s the late answer is then taken for
    # the next packet's ("Remote replied unexpectedly to 'vMustReplyEmpty'").
    gdb.execute("set remotetimeout 30")
    try:
        extra = ("-smp", str(smp)) if smp else ()
        if net:
            http_port = free_tcp_port()
            extra += net_args(http_port)
            gdb.set_convenience_variable("http_port", http_port)
        else:
            # No NIC (QEMU's default is an E1000): no DHCP, no netd, so
            # `tasks` shows the threads the session made, and nothing else.
            extra += ("-nic", "none")
        gdb.execute(qemu_pipe_command(kernel, cmdline, console, extra=extra, initrd=initrd))
    except gdb.error as err:
        raise gdb.GdbError("could not start QEMU (%s); QEMU's own message, if any, is above"
                           % err)
