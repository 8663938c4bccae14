"""Batch GDB check run by `make test-gdb` (part of `make check`).

    gdb -q -nx -batch -x tools/gdb/check-backtrace.py build/kernel.elf

GDB starts QEMU itself over a pipe (`target remote | exec qemu ...
-gdb stdio -S`): no TCP port, nothing left running when GDB exits. It
breaks in kmain, then in gdt_init (called from kmain), walks the stack
with GDB's own unwinder and checks the frames and kmain's arguments.
Exits non-zero with a message on the first mismatch.
"""
import os
import sys

import gdb

QEMU = os.environ.get("QEMU", "qemu-system-i386")


def fail(message):
    print("test-gdb: FAIL: " + message)
    gdb.execute("kill")
    sys.exit(1)


def frame_names():
    names, frame = [], gdb.newest_frame()
    while frame is not None:
        names.append(frame.name())
        frame = frame.older()
    return names


kernel = gdb.current_progspace().filename
gdb.execute("set confirm off")
gdb.execute("set pagination off")
gdb.execute("target remote | exec %s -gdb stdio -S -kernel %s -m 128 -display none "
            "-serial null -serial null -monitor none -no-reboot" % (QEMU, kernel))

gdb.execute("break kmain")
gdb.execute("continue")
if gdb.selected_frame().name() != "kmain":
    fail("expected to stop in kmain, stopped in %s" % gdb.selected_frame().name())
magic = int(gdb.parse_and_eval("magic"))
if magic != 0x2BADB002:
    fail("kmain's magic argument is 0x%x, expected 0x2badb002" % magic)

gdb.execute("break gdt_init")
gdb.execute("continue")
names = frame_names()
print("test-gdb: frames at gdt_init: " + " <- ".join(str(n) for n in names))
if names[:3] != ["gdt_init", "kmain", "_start"]:
    fail("expected gdt_init <- kmain <- _start, got %s" % names)

print("test-gdb: PASS: break in kmain (magic 0x%x), backtrace gdt_init <- kmain <- _start" % magic)
gdb.execute("kill")
