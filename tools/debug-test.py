#!/usr/bin/python3
"""Start one graded test's QEMU run paused under GDB (`make debug TEST=name`).

    make debug TEST=test_cmdline_echo
    make debug TEST='test_in_kernel_case[boot.cmdline]' LAB=1 SOLVED=0
    make debug TEST=tests/lab1/test_boot.py::test_modules N=1

TEST is a pytest node id (as the grader prints it, with or without the
leading grading/), a test name (with its [parameters] if it has any), or a
pytest -k expression; it must select exactly one test.

How it works: the test runs once, normally, with the grader's
--tidepool-record option, which writes every QEMU command it ran (the same
commands as its "reproduce" lines). One of them is started again, unchanged
(kernel, -append, -m, -initrd, ...) except that

  * QEMU waits for GDB before its first instruction (-S), talking to it over
    a pipe (-gdb stdio, GDB's `target remote | exec qemu ...`), so there is
    no port to pick and QEMU ends when GDB does;
  * COM1, the console, is logged to build/debug/com1.txt and served on the
    unix socket build/debug/com1.sock (type on it with
    `tools/debug-test.py --console` in another terminal);
  * COM2 (KTAP) goes to build/debug/com2.txt.

Which command: N=k (--index k) picks the k-th; otherwise the last one when
the recorded run failed (the one closest to the failure) and the first one
when it passed. Files the command reads (-initrd modules) are copied while
the test runs; if the test deleted them afterwards they are put back at
their paths, so the command stays the test's, and removed by the next
`make debug`.

GDB loads the project's .gdbinit (symbols, the Tidepool commands) except
its `tidepool-connect`, which is replaced by the pipe. For GDB tests the
test's own script is written to build/debug/test.gdb (`source` it).
GDB_BATCH="..." (--gdb-args) appends GDB arguments, e.g.

    make debug TEST=test_cmdline_echo \\
        GDB_BATCH="-batch -ex 'break kmain' -ex continue -ex bt -ex kill"

Also: --print shows the GDB command instead of running it, --list lists
the recorded commands, --console [SOCKET] connects this terminal to COM1.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import select
import shlex
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from typing import List, Optional

REPO = Path(__file__).resolve().parents[1]
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
# Where the debug run's files go: build/debug, relative to REPO (GDB and
# QEMU run there); TIDEPOOL_DEBUG_DIR moves them (the selftests do).
DEBUG_DIR = Path(os.environ.get("TIDEPOOL_DEBUG_DIR") or "build/debug")
SOCKET = DEBUG_DIR / "com1.sock"
COM1_LOG = DEBUG_DIR / "com1.txt"
COM2_LOG = DEBUG_DIR / "com2.txt"
RECORD = DEBUG_DIR / "record.jsonl"
GDBINIT = DEBUG_DIR / "gdbinit"
TEST_SCRIPT = DEBUG_DIR / "test.gdb"
RESTORED = DEBUG_DIR / "restored.json"

# Used when the project has no .gdbinit: what it does, minus the TCP connect.
FALLBACK_GDBINIT = """set confirm off
set pagination off
set architecture i386
source tools/gdb/tidepool.py
tidepool-connect
"""


class Error(Exception):
    pass


def say(text: str = "") -> None:
    print(text, file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------
# Finding the test


def pytest_base() -> List[str]:
    return [PYTHON, "-B", "-m", "pytest", "-c", "grading/pytest.ini", "-p", "no:xdist"]


def test_paths() -> List[str]:
    return [p for p in ("grading/tests", "grading/hidden") if (REPO / p).is_dir()]


def pytest_env(kernel: str) -> dict:
    env = dict(os.environ)
    env["TIDEPOOL_KERNEL"] = kernel
    return env


def collect(kernel: str, keyword: Optional[str] = None) -> List[str]:
    """Node ids of the graded tests (relative to grading/, as pytest prints them)."""
    cmd = pytest_base() + test_paths() + ["--collect-only", "-q"]
    if keyword:
        cmd += ["-k", keyword]
    proc = subprocess.run(cmd, cwd=REPO, env=pytest_env(kernel), capture_output=True,
                          text=True)
    ids = [ln.strip() for ln in proc.stdout.splitlines() if "::" in ln and " " not in ln.strip()]
    if proc.returncode not in (0, 5) and not ids:  # 5: nothing collected
        raise Error("pytest could not collect the graded tests:\n" + proc.stdout + proc.stderr)
    return ids


def resolve(test: str, kernel: str) -> str:
    """The one node id TEST names, relative to grading/."""
    test = test.strip()
    if not test:
        raise Error("say which test: make debug TEST=name (a test name or node id, "
                    "e.g. TEST=test_cmdline_echo)")
    ids = collect(kernel)
    want = test[len("grading/"):] if test.startswith("grading/") else test
    exact = [i for i in ids if i == want]
    if not exact:
        exact = [i for i in ids if i.endswith("::" + want)]
    if not exact:
        exact = [i for i in ids if re.sub(r"\[.*\]$", "", i).endswith("::" + want)]
    if not exact and "::" not in want:
        try:
            exact = collect(kernel, want)
        except Error:
            exact = []
    if not exact:
        raise Error(f"no graded test matches TEST={test!r}; the tests are:\n  "
                    + "\n  ".join(ids))
    if len(exact) > 1:
        raise Error(f"TEST={test!r} matches {len(exact)} tests; name one of them:\n  "
                    + "\n  ".join(shlex.quote(i) for i in exact))
    return exact[0]


# ---------------------------------------------------------------------------
# Recording its commands


def record(nodeid: str, kernel: str) -> dict:
    """Run the test once with --tidepool-record; return its record."""
    (REPO / DEBUG_DIR).mkdir(parents=True, exist_ok=True)
    path = REPO / RECORD
    forget(path)
    cmd = pytest_base() + ["grading/" + nodeid, "-q", "--no-header", "-rN",
                           "--tidepool-record", str(RECORD)]
    say(f"debug: running {nodeid} once to record its QEMU commands ...")
    proc = subprocess.run(cmd, cwd=REPO, env=pytest_env(kernel), capture_output=True,
                          text=True)
    records = []
    if path.exists():
        for line in path.read_text().splitlines():
            if line.strip():
                records.append(json.loads(line))
    mine = [r for r in records if r.get("nodeid") == nodeid]
    if not mine:
        raise Error(f"the test did not run (pytest said):\n{proc.stdout}{proc.stderr}")
    rec = mine[-1]
    rec["pytest_output"] = proc.stdout + proc.stderr
    return rec


def forget(path: Path) -> None:
    """Remove the previous record, the temp dirs its test kept for it, the
    file copies it saved, and what the previous debug run restored."""
    try:
        for line in path.read_text().splitlines():
            for d in json.loads(line).get("tmp_dirs", []) if line.strip() else []:
                if os.path.basename(d).startswith("tidepool-t-"):
                    shutil.rmtree(d, ignore_errors=True)
        path.unlink()
    except (OSError, ValueError):
        pass
    shutil.rmtree(str(path) + ".files", ignore_errors=True)
    restored = REPO / RESTORED
    try:
        for item in json.loads(restored.read_text()):
            if os.path.isdir(item):
                shutil.rmtree(item, ignore_errors=True)
            elif os.path.exists(item):
                os.unlink(item)
        restored.unlink()
    except (OSError, ValueError):
        pass


def restore(cmd: dict) -> List[str]:
    """Put back the files the command reads (-initrd modules) that the test
    deleted after its run, at their original paths, from the copies saved
    when it was recorded; so the QEMU command stays exactly the test's.
    Returns the paths restored; the next make debug removes them."""
    made: List[str] = []
    done: List[str] = []
    for orig, copy in (cmd.get("files") or {}).items():
        if os.path.exists(orig) or not os.path.isfile(copy):
            continue
        parent = os.path.dirname(orig)
        top = parent
        while top and not os.path.exists(os.path.dirname(top)) and os.path.dirname(top) != top:
            top = os.path.dirname(top)
        if not os.path.exists(parent):
            os.makedirs(parent)
            made.append(top)
        else:
            made.append(orig)
        shutil.copyfile(copy, orig)
        done.append(orig)
    (REPO / RESTORED).write_text(json.dumps(made))
    return done


def pick(rec: dict, index: Optional[int]) -> dict:
    commands = [c for c in rec["commands"] if c.get("argv")]
    if not commands:
        raise Error(f"{rec['nodeid']} ran no QEMU command ({rec['outcome']}); pytest said:\n"
                    + rec.get("pytest_output", ""))
    if index is not None:
        if not 1 <= index <= len(commands):
            raise Error(f"N={index}, but the test ran {len(commands)} QEMU command(s):\n"
                        + listing(commands))
        return commands[index - 1]
    return commands[-1] if rec["outcome"] in ("failed", "error") else commands[0]


def listing(commands: List[dict], chosen: Optional[dict] = None) -> str:
    out = []
    for i, c in enumerate(commands, 1):
        mark = "*" if c is chosen else " "
        out.append(f" {mark}{i}. [{c['kind']}] {c['text']}")
    return "\n".join(out)


# ---------------------------------------------------------------------------
# The debug run


def debug_qemu_argv(argv: List[str]) -> List[str]:
    """The recorded QEMU argv with -S -gdb stdio and this tool's COM1/COM2."""
    out: List[str] = []
    serial = 0
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("-gdb", "-pidfile") and i + 1 < len(argv):
            i += 2
            continue
        if a == "-S":
            i += 1
            continue
        if a == "-serial" and i + 1 < len(argv):
            serial += 1
            if serial == 1:
                sock, log = (str(p).replace(",", ",,") for p in (SOCKET, COM1_LOG))
                out += ["-chardev", f"socket,id=com1,path={sock},server=on,wait=off,"
                                    f"logfile={log}",
                        "-serial", "chardev:com1"]
            elif serial == 2:
                out += ["-serial", f"file:{COM2_LOG}"]
            else:
                out += [a, argv[i + 1]]
            i += 2
            continue
        out.append(a)
        i += 1
    if not out:
        raise Error("empty QEMU command")
    return [out[0], "-S", "-gdb", "stdio"] + out[1:]


def gdbinit_text(target: str) -> str:
    """The project's .gdbinit with its TCP connect replaced by `target`."""
    path = REPO / ".gdbinit"
    text = path.read_text() if path.is_file() else FALLBACK_GDBINIT
    lines = []
    connected = False
    for line in text.splitlines():
        if re.match(r"^\s*tidepool-connect\b", line):
            lines.append(target)
            connected = True
        else:
            lines.append(line)
    if not connected:
        lines.append(target)
    # Leaving GDB kills QEMU (also where setpriv is missing).
    lines += [
        "define hook-quit",
        "python",
        "try:",
        "    gdb.execute('kill')",
        "except gdb.error:",
        "    pass",
        "end",
        "end",
    ]
    return "# Written by tools/debug-test.py: .gdbinit with the QEMU pipe instead of\n" \
        "# tidepool-connect.\n" + "\n".join(lines) + "\n"


def gdb_command(kernel: str, cmd: dict, extra: List[str]) -> List[str]:
    qemu = debug_qemu_argv(cmd["argv"])
    guard = ["setpriv", "--pdeathsig", "KILL", "--"] if shutil.which("setpriv") else []
    target = "target remote | exec " + shlex.join(guard + qemu)
    (REPO / GDBINIT).write_text(gdbinit_text(target))
    gdb = os.environ.get("TIDEPOOL_GDB") or "gdb"
    argv = cmd["argv"]
    ran = argv[argv.index("-kernel") + 1] if "-kernel" in argv[:-1] else None
    symbols = cmd.get("symbols") or ran or kernel
    # The project's .gdbinit would connect to a TCP port: GDB must not load
    # it by itself (GDBINIT has its other lines).
    return [gdb, "-q", "-iex", "set auto-load local-gdbinit off",
            "-x", str(GDBINIT)] + extra + [symbols]


def explain(rec: dict, cmd: dict, commands: List[dict], qemu: List[str]) -> None:
    say(f"debug: {rec['nodeid']} ({rec['outcome']} when recorded); its QEMU command"
        + (f"s (N=k picks one):\n{listing(commands, cmd)}" if len(commands) > 1
           else f":\n  {cmd['text']}"))
    say("debug: QEMU is paused before its first instruction (the BIOS reset vector), "
        "GDB attached over a pipe:")
    say(f"  {shlex.join(qemu)}")
    say(f"  console (COM1): {COM1_LOG}  (tail -f it; to type on it, in another terminal: "
        f"{PYTHON} tools/debug-test.py --console)")
    say(f"  KTAP (COM2):    {COM2_LOG}")
    if cmd["kind"] == "console" and cmd.get("typed_text"):
        say(f"  the test typed on the console: {cmd['typed_text']}")
    if cmd["kind"] == "gdb" and cmd.get("script"):
        (REPO / TEST_SCRIPT).write_text(cmd["script"] + "\n")
        say(f"  the test's GDB script: {TEST_SCRIPT}  (replay it with: source {TEST_SCRIPT})")
    say("  e.g. break kmain, continue, bt; quitting GDB ends QEMU")


def run_debug(args) -> int:
    os.chdir(REPO)
    kernel = args.kernel or os.environ.get("TIDEPOOL_KERNEL") or "build/kernel.elf"
    if not (REPO / kernel).is_file() and not Path(kernel).is_file():
        raise Error(f"no kernel at {kernel}: run make first")
    kernel = os.path.abspath(kernel)
    nodeid = resolve(args.test, kernel)
    rec = record(nodeid, kernel)
    commands = [c for c in rec["commands"] if c.get("argv")]
    cmd = pick(rec, args.index)
    if args.list:
        print(listing(commands, cmd))
        return 0
    extra = shlex.split(args.gdb_args or os.environ.get("TIDEPOOL_DEBUG_GDB_ARGS", ""))
    argv = gdb_command(kernel, cmd, extra)
    qemu = debug_qemu_argv(cmd["argv"])
    restored = restore(cmd)
    if args.print:
        print(shlex.join(argv))
        return 0
    for stale in (SOCKET, COM1_LOG, COM2_LOG):
        try:
            (REPO / stale).unlink()
        except FileNotFoundError:
            pass
    explain(rec, cmd, commands, qemu)
    if restored:
        say(f"  restored the test's files (removed by the next make debug): {' '.join(restored)}")
    say(f"debug: {shlex.join(argv)}")
    sys.stdout.flush()
    try:
        os.execvp(argv[0], argv)
    except OSError as exc:
        raise Error(f"could not start {argv[0]}: {exc}")


# ---------------------------------------------------------------------------
# --console: this terminal on COM1


def console(path: str) -> int:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(path)
    except OSError as exc:
        raise Error(f"cannot connect to {path} ({exc}): start `make debug TEST=...` first")
    tty = sys.stdin.isatty()
    say(f"console: connected to {path}; Ctrl-] leaves" + ("" if tty else " (stdin is not a tty)"))
    fd = sys.stdin.fileno()
    saved = None
    if tty:
        import termios
        import tty as ttymod

        saved = termios.tcgetattr(fd)
        ttymod.setraw(fd)
    try:
        while True:
            ready, _, _ = select.select([sock, fd], [], [])
            if sock in ready:
                data = sock.recv(4096)
                if not data:
                    break
                os.write(sys.stdout.fileno(), data)
            if fd in ready:
                data = os.read(fd, 1024)
                if not data or b"\x1d" in data:
                    break
                sock.sendall(data)
    finally:
        if saved is not None:
            import termios

            termios.tcsetattr(fd, termios.TCSADRAIN, saved)
        sock.close()
    say("\nconsole: closed")
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(
        description="Start one graded test's QEMU run paused under GDB.",
        epilog="See the top of this file, or grading/README.md, for details.")
    ap.add_argument("test", nargs="?", default=os.environ.get("TIDEPOOL_DEBUG_TEST", ""),
                    help="node id, test name or -k expression (one test)")
    ap.add_argument("--kernel", help="kernel image (default: TIDEPOOL_KERNEL or build/kernel.elf)")
    ap.add_argument("-N", "--index", type=int, default=None,
                    help="start the k-th recorded QEMU command (1-based)")
    ap.add_argument("--gdb-args", default=None,
                    help="extra GDB arguments, shell-quoted (default: $TIDEPOOL_DEBUG_GDB_ARGS)")
    ap.add_argument("--print", action="store_true", help="print the GDB command, do not run it")
    ap.add_argument("--list", action="store_true", help="list the recorded commands and stop")
    ap.add_argument("--console", nargs="?", const=str(REPO / SOCKET), metavar="SOCKET",
                    help=f"connect this terminal to COM1 of a running make debug "
                         f"(default {SOCKET})")
    args = ap.parse_args(argv)
    try:
        if args.console:
            return console(args.console)
        return run_debug(args)
    except Error as exc:
        say(f"debug: {exc}")
        return 2


if __name__ == "__main__":
    sys.exit(main())
