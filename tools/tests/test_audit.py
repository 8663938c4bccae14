"""tools/audit.py (make audit): a planted unsafe site of each kind is
found, without a SAFETY: note it fails the audit, with one it passes.

Each test writes a small tree (kernel/arch/i386/io.h and mmio.h like the
real ones, one .c file) and audits it with clang, as `make audit` does."""
import io
import os
import shutil
import sys
import textwrap

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import audit  # noqa: E402

pytestmark = pytest.mark.skipif(shutil.which("clang") is None, reason="needs clang")

IO_H = """\
#include <stdint.h>
static inline void outb(uint16_t port, uint8_t value)
{
    /* SAFETY: the caller owns the port. */
    __asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}
"""
MMIO_H = """\
#include <stdint.h>
static inline uint32_t mmio_read32(const void *base, uint32_t offset)
{
    /* SAFETY: base came from a mapping of the device. */
    return *(const volatile uint32_t *)((const volatile uint8_t *)base + offset);
}
"""
FLAGS = "-std=gnu11 -ffreestanding -Ikernel -DLAB=6 -DSOLVED=6"

# One planted site per kind: (kind, code of a function body or file scope).
PLANTED = {
    "asm": "void f(void) {\n    __asm__ volatile(\"cli\");\n}\n",
    "pio": "#include \"arch/i386/io.h\"\nvoid f(void) {\n    outb(0x80, 1);\n}\n",
    "mmio": "#include \"arch/i386/mmio.h\"\nunsigned f(void *b) {\n"
            "    return mmio_read32(b, 0x20);\n}\n",
    "mmio-deref": "#include <stdint.h>\n"
                  "void g(volatile uint32_t *reg) {\n    *reg = 1;\n}\n",
    "volatile": "int f(void) {\n    static volatile int x;\n    return 0;\n}\n",
    "cast": "#include <stdint.h>\nvoid *f(uintptr_t a) {\n    return (void *)a;\n}\n",
    "cast-back": "#include <stdint.h>\nuintptr_t f(void *p) {\n    return (uintptr_t)p;\n}\n",
}
KIND = {"mmio-deref": "mmio", "cast-back": "cast"}


def tree(tmp_path, code, name="kernel/planted.c"):
    for path, text in (("kernel/arch/i386/io.h", IO_H), ("kernel/arch/i386/mmio.h", MMIO_H),
                       (name, code)):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text(textwrap.dedent(text))
    return str(tmp_path)


def run(root, files=("kernel/planted.c",)):
    result = audit.audit(root, [("kernel", FLAGS, list(files))], ["kernel"], jobs=1)
    out = io.StringIO()
    status = audit.report(result, out)
    assert not result["errors"], result["errors"]
    return status, result, out.getvalue()


def planted_sites(result, path="kernel/planted.c"):
    return [(s, how) for s, how in result["sites"] if s.path == path]


def document(code, how):
    """Add a SAFETY: note to every line of the planted code that needs one."""
    lines = code.split("\n")
    body = [i for i, l in enumerate(lines) if (l.startswith("    ") or "volatile" in l)
            and l.strip() != "return 0;"]
    if how == "line":
        for i in body:
            lines[i] += "  /* SAFETY: planted, documented on the line. */"
    elif how == "above":
        for i in reversed(body):
            indent = lines[i][:len(lines[i]) - len(lines[i].lstrip())]
            lines.insert(i, indent + "/* SAFETY: planted, documented above. */")
    else:
        for i, l in enumerate(lines):
            if l.startswith(("void", "int", "unsigned", "uintptr_t")) and "{" in l:
                lines.insert(i, "/* SAFETY: planted, documented on the function. */")
                break
    return "\n".join(lines)


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_undocumented_site_fails(tmp_path, name):
    status, result, out = run(tree(tmp_path, PLANTED[name]))
    sites = planted_sites(result)
    assert KIND.get(name, name) in {s.kind for s, _ in sites}, out
    assert status == 1
    assert "kernel/planted.c:" in out and "undocumented %s site" % KIND.get(name, name) in out


@pytest.mark.parametrize("how", ["line", "above", "function"])
@pytest.mark.parametrize("name", sorted(PLANTED))
def test_documented_site_passes(tmp_path, name, how):
    code = document(PLANTED[name], how)
    status, result, out = run(tree(tmp_path, code))
    assert planted_sites(result), out
    assert status == 0, out


def test_note_after_blank_line_does_not_cover(tmp_path):
    code = "void f(void) {\n    /* SAFETY: too far away. */\n\n    __asm__ volatile(\"cli\");\n}\n"
    status, _, out = run(tree(tmp_path, code))
    assert status == 1 and "kernel/planted.c:4: undocumented asm site" in out


def test_note_does_not_leave_its_block(tmp_path):
    code = ("void f(int c) {\n    if (c) {\n        /* SAFETY: only for the if. */\n"
            "        __asm__ volatile(\"cli\");\n    }\n    __asm__ volatile(\"sti\");\n}\n")
    status, result, out = run(tree(tmp_path, code))
    assert status == 1 and "kernel/planted.c:6: undocumented asm site" in out
    assert "kernel/planted.c:4: undocumented" not in out


def test_volatile_access_covered_by_its_declaration(tmp_path):
    code = ("/* SAFETY: written by the timer interrupt, read by f: one aligned word. */\n"
            "static volatile int ticks;\nint f(void) {\n    return ticks;\n}\n")
    status, result, out = run(tree(tmp_path, code))
    assert ("kernel/planted.c", 4, "volatile", "declaration") in {
        (s.path, s.line, s.kind, how) for s, how in planted_sites(result)}
    assert status == 0, out


def test_cast_in_macro_counts_where_the_macro_is_written(tmp_path):
    code = ("#include <stdint.h>\n#define P2V(a) ((void *)(uintptr_t)(a))\n"
            "void *f(uint32_t a) {\n    return P2V(a);\n}\nvoid *g(uint32_t a) {\n"
            "    return P2V(a);\n}\n")
    _, result, out = run(tree(tmp_path, code))
    assert [(s.line, s.kind) for s, _ in planted_sites(result)] == [(2, "cast")], out


def test_pointer_to_pointer_and_null_are_not_sites(tmp_path):
    code = "void *f(char *p) {\n    int *q = (int *)p;\n    (void)q;\n    return (void *)0;\n}\n"
    _, result, out = run(tree(tmp_path, code))
    assert planted_sites(result) == [], out


def test_port_io_in_assembly(tmp_path):
    root = tree(tmp_path, "int x;\n")
    (tmp_path / "kernel/entry.S").write_text(
        "entry:\n    movw $0xf4, %dx\n    outb %al, %dx\n"
        "    /* SAFETY: isa-debug-exit, QEMU's exit port. */\n    outl %eax, %dx\n")
    status, result, out = run(root)
    got = {(s.line, how) for s, how in planted_sites(result, "kernel/entry.S")}
    assert got == {(3, None), (5, "above")}, out
    assert status == 1 and "kernel/entry.S:3: undocumented pio site" in out


def test_file_no_unit_compiles_gets_the_lexical_pass(tmp_path):
    root = tree(tmp_path, "int x;\n")
    (tmp_path / "kernel/host_only.c").write_text("void f(void) {\n    asm(\"nop\");\n}\n")
    status, result, out = run(root)
    assert [s.kind for s, _ in planted_sites(result, "kernel/host_only.c")] == ["asm"]
    assert status == 1 and "lexical pass only" in out


def test_real_io_header_is_documented():
    """The project's own io.h and mmio.h (from lab 5) carry SAFETY: notes
    in the form the audit reads."""
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    headers = [os.path.join(root, "kernel/arch/i386", h) for h in ("io.h", "mmio.h")]
    for h in filter(os.path.exists, headers):
        with open(h) as f:
            cov = audit.Coverage(f.read())
        assert cov.notes, h


def test_file_note_covers_its_kind_only(tmp_path):
    code = ("#include \"arch/i386/io.h\"\n/* SAFETY (every port access in this file): "
            "0x80 is the POST port, nobody else's. */\nvoid f(void) {\n    outb(0x80, 1);\n"
            "    __asm__ volatile(\"cli\");\n}\n")
    status, result, out = run(tree(tmp_path, code))
    got = {(s.kind, how) for s, how in planted_sites(result)}
    assert got == {("pio", "file"), ("asm", None)}, out
    assert status == 1
