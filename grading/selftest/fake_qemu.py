#!/usr/bin/python3
"""A fake qemu-system-i386 for the grader's selftests (no kernel, no QEMU).

Takes the argv the grader builds (docs/protocol.md) and acts out a kernel:
COM1 goes to stdout (-serial stdio) or a file, COM2 (KTAP) to the second
-serial file, and the exit status follows the protocol (33 success,
35 panic, 0 triple fault). What it does is chosen by the -append cmdline:

    exit                 banner and boot lines, exit 33
    selftest=panic       PANIC report with a backtrace, exit 35
    selftest=fault       exit 0 (a triple fault)
    selftest=hang        spin forever
    selftest=flood       print forever on COM1
    test=GLOB[,GLOB]     run the fake cases below whose names match, KTAP on COM2;
      ktest_skip=K       ... skipping the first K
    fake_noplan          with test=: crash before printing the plan
    fake_bail            with test=: the plan, then 'Bail out!' and exit 33
    fake_flood_com2      with test=: flood COM2
    fake_delay=S         sleep S seconds before anything (timeout scaling tests)
    fake_status=N        exit with status N right after the banner
    selftest=kasan-uaf   a KASAN report framed by rules (kernel/sanitizers/report.c's
                         format), 'selftest: kasan-uaf done', exit 33
    fake_report=CASE     with test=: CASE prints a UBSAN report before its result
    (nothing)            the monitor: 'K> ' prompt on stdio; help, backtrace,
                         echo WORDS, flood, panic (halts), exit; input lines
                         end with \\r or \\n

A kernel file whose first bytes are 'FAKE broken' makes every boot crash
(status 0) right after the banner, so calibration fallbacks can be tested.
-gdb is not supported (GDB paths are tested against the real QEMU).
"""

import fnmatch
import os
import sys
import time

# (name, behaviour) in registry order.
CASES = [
    ("fake.pass_one", "pass"),
    ("fake.fail_one", "fail"),
    ("fake.skip_one", "skip"),
    ("fake.crash", "crash"),  # '# running' then triple fault (exit 0)
    ("fake.pass_two", "pass"),
    ("fake.panic", "panic"),  # '# panic:', 'not ok', exit 35
    ("fake.hang", "hang"),  # '# running' then spin
    ("fake.pass_three", "pass"),
    ("other.alone", "pass"),
    ("silent.dies", "silent"),  # dies before its '# running' line
]


def parse_argv(argv):
    opts = {"serial": [], "append": "", "kernel": None, "m": "128", "initrd": ""}
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("-serial",):
            opts["serial"].append(argv[i + 1])
            i += 2
        elif a in ("-append", "-kernel", "-m", "-initrd", "-display", "-monitor",
                   "-device", "-smp", "-accel", "-gdb", "-bios"):
            opts[a[1:]] = argv[i + 1]
            i += 2
        else:
            i += 1
    return opts


class Port:
    def __init__(self, spec):
        if spec == "stdio":
            self.f = os.fdopen(1, "wb", buffering=0, closefd=False)
        elif spec.startswith("file:"):
            self.f = open(spec[5:], "wb", buffering=0)
        else:
            self.f = open(os.devnull, "wb")

    def write(self, text):
        try:
            self.f.write(text.encode())
        except OSError:
            pass  # EFBIG past RLIMIT_FSIZE, EPIPE


RULE = "=" * 66
KASAN_REPORT = [
    "KASAN: use-after-free in selftest_kasan_uaf at selftest_kasan_uaf+0x1c",
    "Write of size 4 at 0x0052a010 by thread 'init' (pid 1) on CPU 0",
    "Allocated by kmalloc+0x2e from selftest_kasan_uaf+0x11",
    "Freed by kfree+0x19 from selftest_kasan_uaf+0x17",
    "Backtrace:",
    "  #0 0x00104a2c selftest_kasan_uaf+0x1c",
    "  #1 0x00104b10 selftest_run+0x40",
    "  #2 0x00100c85 kmain+0x85",
]
UBSAN_REPORT = [
    "UBSAN: signed-integer-overflow in fake_case at kernel/tests/fake.c:12:9",
    "2147483647 + 1 cannot be represented in type 'int'",
    "Backtrace:",
    "  #0 0x00105a2c fake_case+0x2c",
    "  #1 0x00105c00 ktest_run+0x90",
]


def write_report(com1, lines):
    com1.write("".join(ln + "\r\n" for ln in [RULE] + lines + [RULE]))


def main():
    opts = parse_argv(sys.argv[1:])
    serial = opts["serial"] + ["none", "none"]
    com1, com2 = Port(serial[0]), Port(serial[1])
    words = opts["append"].split()
    kv = dict(w.split("=", 1) for w in words if "=" in w)

    if "fake_delay" in kv:
        time.sleep(float(kv["fake_delay"]))

    com1.write("Tidepool 0.0-fake (i386)\r\n")
    com1.write("multiboot: magic 0x2badb002\r\n")
    com1.write(f'cmdline: "{opts["kernel"]} {opts["append"]}"\r\n')
    mem = int(opts["m"]) * 1024 - 513
    com1.write(f"memory: {mem} KiB usable in 2 regions\r\n")
    mods = [m for m in opts["initrd"].split(",") if m]
    com1.write(f"modules: {len(mods)}\r\n")
    for i, m in enumerate(mods):
        size = os.path.getsize(m)
        start = 0x112000 + i * 0x10000
        com1.write(f'  module {i}: {start:#010x}-{start + size:#010x} "{m}"\r\n')
    com1.write("gdt: loaded\r\n")

    try:
        with open(opts["kernel"], "rb") as f:
            if f.read(11) == b"FAKE broken":
                com1.write("fake: broken kernel, triple fault\r\n")
                sys.exit(0)
    except (OSError, TypeError):
        sys.stderr.write(f"qemu: could not load kernel '{opts['kernel']}'\n")
        sys.exit(1)

    if "fake_status" in kv:
        sys.exit(int(kv["fake_status"]))
    if "exit" in words:
        sys.exit(33)
    sel = kv.get("selftest")
    if sel == "panic":
        com1.write("PANIC at kernel/selftest.c:17: deliberate\r\nBacktrace:\r\n")
        for i, (fn, off) in enumerate([("selftest_panic_c", 0x2b), ("selftest_panic_b", 0x12),
                                       ("selftest_panic_a", 0x12), ("kmain", 0x85)]):
            com1.write(f"  #{i} 0x{0x101000 + i * 0x40 + off:08x} {fn}+{off:#x}\r\n")
        sys.exit(35)
    if sel == "kasan-uaf":
        write_report(com1, KASAN_REPORT)
        com1.write("selftest: kasan-uaf done\r\n")
        sys.exit(33)
    if sel == "fault":
        sys.exit(0)
    if sel == "hang":
        while True:
            time.sleep(3600)
    if sel == "flood":
        line = "flood " * 20 + "\r\n"
        while True:
            com1.write(line)
    if "test" in kv:
        run_tests(kv, words, com1, com2)
    monitor(com1)


def run_tests(kv, words, com1, com2):
    globs = kv["test"].split(",")
    skip = int(kv.get("ktest_skip", "0"))
    cases = [c for c in CASES if any(fnmatch.fnmatchcase(c[0], g) for g in globs)]
    if "fake_noplan" in words:
        sys.exit(0)
    com2.write("KTAP version 1\n")
    com2.write(f"1..{len(cases)}\n")
    if "fake_bail" in words:
        com2.write("Bail out! only 3 of 4 CPUs are online (smp_expect)\n")
        sys.exit(33)
    if "fake_flood_com2" in words:
        while True:
            com2.write("# flood flood flood flood flood flood flood flood\n")
    for number, (name, how) in enumerate(cases, 1):
        if number <= skip:
            continue
        if how == "silent":
            sys.exit(0)
        com2.write(f"# running {name}\n")
        com1.write(f"ktest: running {name}\r\n")
        if kv.get("fake_report") == name:
            write_report(com1, UBSAN_REPORT)
        if how == "pass":
            com2.write(f"ok {number} {name}\n")
            com1.write(f"ktest: ok {name}\r\n")
        elif how == "fail":
            com2.write(f"# {name}: kernel/tests/fake.c:{10 + number}: expected 1, got 2\n")
            com2.write(f"not ok {number} {name}\n")
        elif how == "skip":
            com2.write(f"ok {number} {name} # SKIP needs 2 CPUs\n")
        elif how == "crash":
            com2.write(f"# {name}: about to fault\n")
            com1.write("fake: triple fault now\r\n")
            sys.exit(0)
        elif how == "panic":
            com2.write(f"# panic: {name} exploded\n")
            com2.write(f"not ok {number} {name}\n")
            com1.write("PANIC at kernel/tests/fake.c:99: exploded\r\nBacktrace:\r\n")
            sys.exit(35)
        elif how == "hang":
            while True:
                time.sleep(3600)
    sys.exit(33)


def monitor(com1):
    com1.write("monitor: type 'help' for a list of commands\r\n")
    stdin = os.fdopen(0, "rb", buffering=0, closefd=False)
    line = b""
    com1.write("K> ")
    while True:
        ch = stdin.read(1)
        if not ch:
            sys.exit(0)  # EOF on stdin: nobody is typing any more
        if ch in (b"\r", b"\n"):
            com1.write("\r\n")
            cmd = line.decode(errors="replace").split()
            line = b""
            if not cmd:
                pass
            elif cmd[0] == "help":
                com1.write("help       list the commands\r\n"
                           "backtrace  print the stack backtrace of the monitor\r\n"
                           "mem        print the memory map\r\n"
                           "reboot     reset the machine\r\n")
            elif cmd[0] == "backtrace":
                com1.write("Backtrace:\r\n  #0 0x00100df8 monitor_run+0xd8\r\n"
                           "  #1 0x00100eec monitor_main+0xec\r\n  #2 0x00100afa kmain+0x8a\r\n")
            elif cmd[0] == "echo":
                com1.write(" ".join(cmd[1:]) + "\r\n")
            elif cmd[0] == "flood":
                while True:
                    com1.write("x" * 100 + "\r\n")
            elif cmd[0] == "exit":
                sys.exit(33)
            elif cmd[0] == "panic":
                com1.write("PANIC at kernel/monitor.c:66: asked to\r\nBacktrace:\r\n"
                           "  #0 0x00100df8 monitor_run+0xd8\r\n")
                while True:  # outside test mode a panic halts
                    time.sleep(3600)
            else:
                com1.write(f"unknown command '{cmd[0]}' (try 'help')\r\n")
            com1.write("K> ")
        else:
            line += ch
            com1.write(ch.decode(errors="replace"))  # echo


if __name__ == "__main__":
    main()
