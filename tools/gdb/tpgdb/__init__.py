"""Tidepool's kernel-aware GDB commands, in modules.

tools/gdb/tidepool.py (sourced by the top-level .gdbinit) puts tools/gdb on
sys.path and imports tpgdb.commands, which registers the commands.

The modules without `import gdb` hold the pure logic (decoding descriptors
and page-table entries, walking frame chains, the kmsg ring, demo files):
tools/gdb/tests/test_logic.py tests them on the host, without GDB.

    x86.py       descriptor, gate and page-table-entry decoding (pure)
    paging.py    the two-level i386 page walk (pure)
    frames.py    the frame-pointer walk that crosses trap frames (pure)
    kmsg.py      the console log ring (pure)
    threads.py   the kernel's threads and processes: all_threads, saved
                 contexts, t->proc, t->tf, all_processes (lab 4)
    usersyms.py  user programs' symbol files: find, load one at a time (lab 4)
    demofile.py  demo files: parse, and check a transcript (pure)
    target.py    talking to GDB and QEMU: registers, monitor, memory
    commands.py  the GDB commands and the $insn_addr function
    demo.py      the demo driver (tidepool-demo)
"""
