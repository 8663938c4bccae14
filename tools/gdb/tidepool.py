"""Tidepool's GDB commands, loaded by the top-level .gdbinit.

Batch tests load this file directly (gdb -nx -x tools/gdb/tidepool.py), so
it must not connect anywhere by itself.

The kernel-aware commands live in the package tools/gdb/tpgdb/ (this file
puts its own directory on sys.path): gdt, idt, pagewalk, ktrace, tasks,
usymbols, kmsg, trace-dump, tidepool-start, tidepool-demo and the function $insn_addr. `help COMMAND`
describes each; docs/gdb.md is the guide. Sourcing this file again reloads
the package, so edits to it take effect without restarting GDB.
"""
import os
import sys

import gdb

_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)
for _name in [n for n in sys.modules if n == "tpgdb" or n.startswith("tpgdb.")]:
    del sys.modules[_name]

import tpgdb.commands  # noqa: E402  (needs the sys.path entry above)
import tpgdb.demo  # noqa: E402


def default_port():
    """The per-user GDB port: `make gdb` passes the Makefile's GDBPORT in
    TIDEPOOL_GDBPORT; otherwise the same formula as the Makefile."""
    if os.environ.get("TIDEPOOL_GDBPORT"):
        return int(os.environ["TIDEPOOL_GDBPORT"])
    return 25000 + os.getuid() % 5000


class TidepoolConnect(gdb.Command):
    """Connect to a QEMU started with `make qemu-gdb`.

Usage: tidepool-connect [PORT]
Loads build/kernel.elf first if GDB has no symbols yet. PORT defaults to
25000 + uid % 5000, the port `make qemu-gdb` listens on."""

    def __init__(self):
        super().__init__("tidepool-connect", gdb.COMMAND_USER)

    def invoke(self, arg, from_tty):
        if gdb.current_progspace().filename is None:
            if not os.path.exists("build/kernel.elf"):
                raise gdb.GdbError("no build/kernel.elf: run `make` first")
            gdb.execute("file build/kernel.elf")
        port = int(arg) if arg.strip() else default_port()
        try:
            gdb.execute("target remote localhost:%d" % port)
        except gdb.error as err:
            raise gdb.GdbError(
                "could not reach QEMU on port %d (%s): start it with "
                "`make qemu-gdb` in another terminal" % (port, err))


TidepoolConnect()
tpgdb.commands.register()
tpgdb.demo.register()
