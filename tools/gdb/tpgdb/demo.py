"""The demo driver: `tidepool-demo [--no-pause] FILE` plays a lecture demo.

A demo file (format: demofile.py) is a list of steps; a step is a title,
narration for the audience and GDB commands. The driver starts QEMU over
a pipe (unless GDB is already connected), then for each step prints the
title and the narration, echoes each command as `(gdb) command` and runs
it, and waits for Enter before the next step.

Pausing: DEMO_PAUSE=1 (the default) waits for Enter between steps when
standard input is a terminal; DEMO_PAUSE=0 or --no-pause runs straight
through. A command that fails stops a non-pausing demo with an error (so
CI notices); in a pausing demo it is shown and the demo goes on.

A `stepi` that did not move: QEMU's gdbstub (7.2, TCG) now and then
answers a single step with a stop at the same pc, the instruction not
executed -- seen about once in 40 steps on a heavily loaded host. The
driver then says so and steps once more, so that a demo that crosses one
instruction with stepi (sysenter, sysexit) stays deterministic.
"""
import os
import re
import sys

import gdb

from . import demofile, target
from .demofile import Command

RULE = "=" * 72


def _style(text, code):
    if sys.stdout.isatty():
        return "\x1b[%sm%s\x1b[0m" % (code, text)
    return text


def _say(text=""):
    gdb.write(text + "\n")
    gdb.flush()


class DemoCommand(gdb.Command):
    """Play a lecture demo: its steps' narration and GDB commands.

Usage: tidepool-demo [--no-pause] FILE

FILE is a demo script (tools/gdb/demos/NN-name.gdb; its format is
described in tools/gdb/tpgdb/demofile.py). Starts QEMU over a pipe with the
kernel GDB has loaded, the demo's `# cmdline:` and, with `# initrd: yes`,
the initrd beside the kernel, unless GDB is already connected. Waits for Enter between steps (q + Enter ends the demo) when
DEMO_PAUSE is not 0 and stdin is a terminal. `make demo LAB=n` runs it."""

    def __init__(self):
        super().__init__("tidepool-demo", gdb.COMMAND_USER, gdb.COMPLETE_FILENAME)

    def invoke(self, arg, from_tty):
        try:
            self.run(arg)
        except gdb.GdbError:
            raise
        except gdb.error as err:
            raise gdb.GdbError("tidepool-demo: %s" % err)
        except KeyboardInterrupt:
            raise gdb.GdbError("tidepool-demo: interrupted")

    def run(self, arg):
        argv = gdb.string_to_argv(arg)
        no_pause = "--no-pause" in argv
        files = [a for a in argv if a != "--no-pause"]
        if len(files) != 1:
            raise gdb.GdbError("usage: tidepool-demo [--no-pause] FILE")
        try:
            demo = demofile.load(files[0])
        except OSError as err:
            raise gdb.GdbError("tidepool-demo: cannot read %s (%s)" % (files[0], err.strerror))
        except demofile.DemoError as err:
            raise gdb.GdbError("tidepool-demo: %s" % err)
        pause = not no_pause and os.environ.get("DEMO_PAUSE", "1") != "0"
        interactive = pause and sys.stdin.isatty()
        gdb.execute("set pagination off")
        gdb.execute("set confirm off")
        _say(RULE)
        _say(_style(" %s" % (demo.title or os.path.basename(demo.path)), "1"))
        _say(" %d steps%s" % (len(demo.steps),
                              ", Enter after each one (q + Enter: stop)" if interactive
                              else ", without pauses"))
        if pause and not interactive:
            _say(" (standard input is not a terminal: not pausing)")
        inf = gdb.selected_inferior()
        if inf is None or inf.pid == 0:
            _say(" QEMU starts, stopped before the first instruction%s%s%s%s"
                 % (", kernel command line: " + demo.cmdline if demo.cmdline else "",
                    ", with the initrd" if demo.initrd else "",
                    ", -smp " + demo.smp if demo.smp else "",
                    ", an E1000 with a forwarded host port" if demo.net else ""))
            target.start_qemu(demo.cmdline, initrd=demo.initrd or None, smp=demo.smp,
                              net=demo.net)
            if demo.net:
                _say(" host port %d is the guest's tcp 80 ($http_port)" % target.http_port)
        for k, step in enumerate(demo.steps, 1):
            self.play(demo, step, k, interactive)
            if interactive and k < len(demo.steps):
                try:
                    answer = input(_style("-- Enter: next step (q: stop the demo) --", "2"))
                except EOFError:
                    answer = "q"
                if answer.strip().lower() in ("q", "quit"):
                    _say("demo stopped after step %d of %d" % (k, len(demo.steps)))
                    return
        _say(RULE)
        _say(" end of the demo%s" % (": the GDB prompt is yours (quit ends QEMU)"
                                     if interactive else ""))

    @staticmethod
    def play(demo, step, k, interactive):
        _say()
        _say(RULE)
        _say(_style(" Step %d/%d  %s" % (k, len(demo.steps), step.title), "1;36"))
        _say(RULE)
        previous = None
        for cmd in step.items:
            if isinstance(cmd, str):
                if isinstance(previous, Command):
                    _say()
                _say(_style(" " + cmd, "3") if cmd else "")
                previous = cmd
                continue
            if isinstance(previous, str):
                _say()
            previous = cmd
            lines = cmd.text.split("\n")
            _say(_style("(gdb) ", "1") + _style(lines[0], "1;33"))
            for more in lines[1:]:
                _say(_style(">", "1") + more)
            try:
                before = _pc() if STEPI.match(cmd.text) else None
                gdb.execute(cmd.text, from_tty=False)
                if before is not None and _pc() == before and not _stays(before):
                    _say("(QEMU reported that step without executing the instruction, as "
                         "its gdbstub sometimes does on a busy host: stepping again)")
                    gdb.execute(cmd.text, from_tty=False)
            except gdb.error as err:
                message = "%s:%d: `%s` failed: %s" % (demo.path, cmd.line, lines[0], err)
                if not interactive:
                    raise gdb.GdbError("tidepool-demo: " + message)
                _say(_style(message, "31"))
            gdb.flush()


STEPI = re.compile(r"^\s*(stepi|si)\s*$")


def _pc():
    return int(gdb.parse_and_eval("$pc")) & 0xFFFFFFFF


def _stays(pc):
    """Does one step of the instruction at pc rightly end at pc again
    (a jump to itself, hlt, one iteration of a rep string instruction)?"""
    insn = gdb.selected_inferior().architecture().disassemble(pc)[0]["asm"].split()
    if not insn:
        return False
    return (insn[0] in ("hlt", "pause") or insn[0].startswith("rep")
            or (insn[0].startswith("j") and len(insn) > 1 and insn[1] == "0x%x" % pc))


def register():
    DemoCommand()
