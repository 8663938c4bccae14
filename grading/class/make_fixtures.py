#!/usr/bin/python3
"""make_fixtures.py -- the class grader's hostile submissions, made from a handout.

    /usr/bin/python3 grading/class/make_fixtures.py --out DIR --canary FILE
        [--port N] [--lab 1]

Writes into DIR one submission per row of FIXTURES (a tarball, a git
repository or a git bundle, as a class would hand them in), each made from
lab LAB's solution (the handout with SOLVED=LAB, "solved"; "handout" is
SOLVED=LAB-1) by a few small edits: the fixture is the edit, not a copy of the tree. CANARY is
a host file that several fixtures try to overwrite, delete or read; PORT a
host TCP port on 127.0.0.1 that the network fixture tries to reach (the
test listens there and counts connections). The test
(test_grade_class.py) grades DIR with tools/grade-class.py and checks each
fixture's score and log against EXPECTED.
"""

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# C lines put into kmain right after console_init(): the kernel's misdeeds.
KMAIN_HOOK = "    console_init();\n"
LOOP = "    for (;;) { }   /* fixture: loops forever */\n"
# A null IDT, then a breakpoint: no gate, no double-fault gate, a triple fault.
TRIPLE_FAULT = r"""    {
        static const struct { unsigned short limit; unsigned int base; }
            __attribute__((packed)) no_idt = { 0, 0 };
        /* SAFETY: none wanted: this fixture triple-faults on purpose (a
         * zero-length IDT, then int3: no gate for #BP, #GP or #DF). */
        __asm__ volatile("lidt %0; int3" : : "m"(no_idt));
    }
"""
PANIC_LOOP = r"""    for (unsigned n = 0;; n++)   /* fixture: a panic report, again and again */
        kprintf("\nPANIC at kernel/main.c:%d: fixture panic number %u\nBacktrace:\n  #0 0x00100000 kmain+0x0\n", __LINE__, n);
"""
FLOOD = r"""    for (unsigned n = 0; n < 100u * 1024 * 1024 / 64; n++)   /* fixture: 100 MB */
        kprintf("flood %08u ..................................................\n", n);
"""
FORGED = r"""    kprintf("KTAP version 1\n1..3\nok 1 boot.banner\nok 2 boot.cmdline\nok 3 boot.memory\n"
            "# ktest: ok\n"
            "=============================== Tidepool points ================================\n"
            "lab     tests passed   points\nlab 1          26/26    65/65\n"
            "total          26/26    65/65\n26 passed in 1.00s\n");
"""
ALWAYS_PASS = '''import pytest
pytestmark = pytest.mark.lab(1)

@pytest.mark.points(65)
def test_everything():
    """Everything passes (a fixture's fake test)"""
'''


def recipe(lines):
    """Makefile edit: a phony target HOSTILE, run before the kernel is built."""
    body = "".join(f"\t-{line}\n" for line in lines)
    return ("Makefile", "kernel: $(KERNEL) $(INITRD)",
            "kernel: hostile $(KERNEL) $(INITRD)\n.PHONY: hostile\nhostile:\n" + body)


def fixtures(canary: Path, port: int, trusted: Path, home: Path):
    hidden = trusted / "hidden" / "lab1" / "test_boot_hidden.py"
    return {
        # name: (base, format, [(file, find, replace)], {symlink: target})
        "00-honest": ("solved", "bundle", [], {}),
        "build-error": ("solved", "tar", [("kernel/main.c", KMAIN_HOOK, KMAIN_HOOK + "    this is not C;\n")], {}),
        "loop": ("solved", "tar", [("kernel/main.c", KMAIN_HOOK, KMAIN_HOOK + LOOP)], {}),
        "triple-fault": ("solved", "git", [("kernel/main.c", KMAIN_HOOK, KMAIN_HOOK + TRIPLE_FAULT)], {}),
        "panic-loop": ("solved", "tar", [("kernel/main.c", KMAIN_HOOK, KMAIN_HOOK + PANIC_LOOP)], {}),
        "flood": ("solved", "tar", [("kernel/main.c", KMAIN_HOOK, KMAIN_HOOK + FLOOD)], {}),
        # Forged lines first, so the banner is not the first line (its
        # test fails): would the grader believe the forgery instead?
        "forged-ktap": ("solved", "tar", [("kernel/main.c", KMAIN_HOOK, KMAIN_HOOK + FORGED)], {}),
        "fork-bomb": ("solved", "tar", [recipe(["bash -c 'b() { b | b & }; b'; sleep 3"])], {}),
        "network": ("solved", "git", [recipe([
            "python3 -c 'import socket; socket.create_connection((\"1.1.1.1\", 80), timeout=5)'",
            f"python3 -c 'import socket; socket.create_connection((\"127.0.0.1\", {port}), timeout=5)'",
            "git ls-remote https://github.com/torvalds/linux HEAD"])], {}),
        "write-home": ("solved", "tar", [recipe([
            "echo pwned > $$HOME/tidepool-class-pwned", "cat $$HOME/tidepool-class-pwned",
            f"echo pwned > {home}/tidepool-class-pwned"])], {}),
        "delete-outside": ("solved", "tar", [recipe([
            f"rm -fv {canary}", f"rm -rfv {canary.parent}", f"rm -rfv {trusted}",
            "rm -fv /etc/hostname /usr/bin/qemu-system-i386", "rm -rfv ../in"])], {}),
        # A kernel without its banner, and tests that pass anyway.
        "replace-grading": ("solved", "git", [("grading/tests/lab1/test_boot.py", None, ALWAYS_PASS),
                                              ("kernel/main.c", "\"Tidepool \" TIDEPOOL_VERSION", "\"Tidebasin \" TIDEPOOL_VERSION")], {}),
        "symlink": ("solved", "tar", [recipe([
            "cat kernel/leak-hidden.py", "cat kernel/leak-home", "echo pwned >> kernel/write-canary",
            "echo pwned > kernel/write-canary"])],
            {"kernel/leak-hidden.py": hidden, "kernel/leak-home": home / ".bashrc",
             "kernel/write-canary": canary}),
    }


def stage(lab: int, solved: int, out: Path) -> None:
    subprocess.run([sys.executable, str(ROOT / "labs" / "stage.py"), "handout", "--lab", str(lab),
                    "--solved", str(solved), "--out", str(out)], check=True,
                   stdout=subprocess.DEVNULL)


def edit(tree: Path, file: str, find, replace: str) -> None:
    path = tree / file
    if find is None:                       # replace the whole file
        path.write_text(replace)
        return
    text = path.read_text()
    if find not in text:
        raise SystemExit(f"make_fixtures: {find!r} not in {file}")
    path.write_text(text.replace(find, replace, 1))


def git(tree: Path, *args) -> None:
    subprocess.run(["git", "-c", "user.name=Student", "-c", "user.email=s@example.edu",
                    "-c", "init.defaultBranch=main", *args], cwd=tree, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def pack(tree: Path, fmt: str, dest: Path) -> Path:
    if fmt == "tar":
        target = dest.with_name(dest.name + ".tar.gz")
        subprocess.run(["tar", "-czf", str(target), "-C", str(tree.parent), tree.name], check=True)
        return target
    git(tree, "init", "-q")
    git(tree, "add", "-A")
    git(tree, "commit", "-qm", "my lab")
    if fmt == "git":
        target = dest
        shutil.move(str(tree), str(target))
        return target
    target = dest.with_name(dest.name + ".bundle")
    git(tree, "bundle", "create", str(target), "HEAD", "main")
    return target


def make(out: Path, canary: Path, port: int, lab: int = 1, trusted: Path = ROOT / "grading",
         home: Path = Path.home()) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    bases = out.parent / (out.name + ".bases")
    wanted = {base for base, _, _, _ in fixtures(canary, port, trusted, home).values()}
    for base, solved in (("handout", lab - 1), ("solved", lab)):
        if base in wanted and not (bases / base).is_dir():
            stage(lab, solved, bases / base)
    made = {}
    for name, (base, fmt, edits, links) in fixtures(canary, port, trusted, home).items():
        tree = bases / "tmp" / name
        shutil.rmtree(tree, ignore_errors=True)
        shutil.copytree(bases / base, tree, symlinks=True)
        for file, find, replace in edits:
            edit(tree, file, find, replace)
        for link, target in links.items():
            (tree / link).symlink_to(target)
        made[name] = pack(tree, fmt, out / name)
        shutil.rmtree(tree, ignore_errors=True)
    return made


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--canary", type=Path, required=True)
    p.add_argument("--port", type=int, default=9)
    p.add_argument("--lab", type=int, default=1)
    args = p.parse_args()
    for name, path in make(args.out, args.canary.resolve(), args.port, args.lab).items():
        print(f"{name}: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
