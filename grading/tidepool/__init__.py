"""Tidepool grader core: drives QEMU and GDB, parses KTAP, scores labs.

Modules:
    ktap       KTAP v1 parser (flat and nested)
    qemu       QEMU command line, run-to-exit runner, interactive console
    ktest      in-kernel test groups with crash resume (ktest_skip=K)
    gdb        batch GDB runs that start QEMU themselves (no TCP port)
    timeouts   machine-scaled timeouts (one trivial boot measured per process)
    tinykernel hand-assembled Multiboot images (calibration fallback, selftests)
    runlog     per-test record of the commands run (reproduce lines, make debug)
    errors     fail(message): end a test with a student-readable message
    protocol   the console regexes of docs/protocol.md, backtrace parsing
    elf        the kernel's ELF32 symbol table
    plugin     pytest plugin: lab/points markers, --lab, points table, results.json
    fixtures   pytest fixtures: kernel, boot, ktest, console, gdb, timeouts
"""
