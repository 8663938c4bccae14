"""Tests of slides/include.py, the deck preprocessor.

    /usr/bin/python3 -B -m pytest -p no:cacheprovider slides/tests

Most cases run on small made-up trees (tmp_path), so they say exactly what
the extractor must do whatever the kernel looks like today; the last ones
run the real decks against the real tree.
"""

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SLIDES = Path(__file__).resolve().parent.parent
ROOT = SLIDES.parent
sys.path.insert(0, str(SLIDES))

import check  # noqa: E402
import include  # noqa: E402


def tree(tmp_path, files):
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"))
    return tmp_path


def expand(root, deck_text, deck="01-test.md", **kw):
    text, sources = include.expand(textwrap.dedent(deck_text), "slides/" + deck, root, **kw)
    return text, sources


def code_blocks(text):
    return re.findall(r"(?ms)^```[a-z0-9]*\n(.*?)\n```$", text)


C_FILE = """
    /* dev.c -- a made-up driver. */
    #include "dev.h"

    static const char *names[] = { "a}", "b{" };   /* braces in strings */

    /* The device's registers. */
    struct dev_regs {
        uint32_t ctrl;      /* { not a brace */
        uint32_t status;
    } __attribute__((packed));

    int dev_read(int port);

    /* Read one register. */
    static inline __attribute__((always_inline)) int
    dev_read(int port)
    {
        char brace = '}';
        if (port < 0) {
            return -1;    // } also not a brace
        }
        return port + brace;
    }

    int dev_write(int port, int value)
    {
        int r = dev_read(port);
    #if SOLVED >= 1
        return r + value;
    #else
        /* LAB 1 exercise 9: write the register. */
        (void)value;
        return r;
    #endif
    }

    /* SAFETY: 0xB8000 is the text buffer. */
    static volatile uint16_t *const screen = (volatile uint16_t *)0xB8000;

    #define DEV_FLAGS (DEV_A | \\
                       DEV_B)
"""


def test_function_by_name_with_its_comment_and_brace_matching(tmp_path):
    root = tree(tmp_path, {"dev.c": C_FILE})
    text, sources = expand(root, "# T\n<!-- include: dev.c dev_read -->\n")
    [code] = code_blocks(text)
    # From the comment above, through the return type on the line before
    # the name (not the prototype), to the brace that closes the body:
    # braces inside strings, characters and comments do not count.
    assert code.split("\n")[0] == "/* Read one register. */"
    assert code.split("\n")[1].startswith("static inline __attribute__")
    assert code.rstrip().endswith("return port + brace;\n}")
    assert "int dev_read(int port);" not in code
    assert sources == [root / "dev.c"]
    assert '<div class="src">dev.c:14 \u00b7 dev_read()</div>' in text


def test_comment_no_and_struct_variable_macro(tmp_path):
    root = tree(tmp_path, {"dev.c": C_FILE})
    text, _ = expand(root, """
        <!-- include: dev.c dev_read comment=no -->
        <!-- include: dev.c struct dev_regs -->
        <!-- include: dev.c variable screen -->
        <!-- include: dev.c macro DEV_FLAGS -->
    """)
    read, regs, screen, flags = code_blocks(text)
    assert read.startswith("static inline")
    assert regs.startswith("/* The device's registers. */\nstruct dev_regs {")
    assert regs.endswith("} __attribute__((packed));")
    assert screen.startswith("/* SAFETY: 0xB8000")
    assert screen.endswith("(volatile uint16_t *)0xB8000;")
    assert flags == "#define DEV_FLAGS (DEV_A | \\\n                   DEV_B)"


def test_deck_shows_its_labs_handout_unless_told_otherwise(tmp_path):
    root = tree(tmp_path, {"dev.c": C_FILE})
    deck = "<!-- include: dev.c dev_write -->\n"
    # Deck 01: lab 1's handout (LAB=1, SOLVED=0): the stub, no #if left.
    [handout] = code_blocks(expand(root, deck, "01-x.md")[0])
    assert "LAB 1 exercise 9" in handout and "r + value" not in handout
    assert "#if" not in handout and "#endif" not in handout
    assert "as in the lab-1 handout" in expand(root, deck, "01-x.md")[0]
    # Deck 02 comes after lab 1: solved.
    [later] = code_blocks(expand(root, deck, "02-x.md")[0])
    assert "return r + value;" in later and "exercise 9" not in later
    # Per include, and for a whole build (--solutions).
    [solved] = code_blocks(expand(root, "<!-- include: dev.c dev_write solved=1 -->\n")[0])
    assert "return r + value;" in solved
    [solutions] = code_blocks(expand(root, deck, "01-x.md", solutions=True)[0])
    assert "return r + value;" in solutions


def test_other_conditionals_are_kept(tmp_path):
    root = tree(tmp_path, {"a.c": """
        void f(void)
        {
        #ifdef DEBUG
            log();
        #if LAB >= 2
            lab2();
        #endif
        #else
            quiet();
        #endif
        }
    """})
    [code] = code_blocks(expand(root, "<!-- include: a.c f -->\n", "01-x.md")[0])
    assert code.split("\n") == ["void f(void)", "{", "#ifdef DEBUG", "    log();", "#else",
                                "    quiet();", "#endif", "}"]


def test_label_line_range_and_ktest(tmp_path):
    root = tree(tmp_path, {
        "boot.S": """
            .section .text
            _start:
                    cli

                    call kmain
                    .size _start, . - _start
            header:
                    .long 1

            after:
        """,
        "t.c": """
            KTEST(gdt, encode)
            {
                KEXPECT(1);
            }
        """,
    })
    text, _ = expand(root, """
        <!-- include: boot.S label _start -->
        <!-- include: boot.S label header -->
        <!-- include: boot.S#L2-L3 -->
        <!-- include: t.c ktest gdt.encode -->
    """)
    start, header, lines, ktest = code_blocks(text)
    assert start.startswith("_start:") and start.endswith(".size _start, . - _start")
    assert header == "header:\n        .long 1"
    assert lines == "_start:\n        cli"
    assert ktest.startswith("KTEST(gdt, encode)\n{") and ktest.endswith("}")
    assert "```x86asm" in text


def test_criterion_test_make_variable_and_part(tmp_path):
    root = tree(tmp_path, {
        "t.c": """
            Test(fmt, matches_glibc, .timeout = 60)
            {
                cr_assert_eq(1, 1);
            }
        """,
        "x.mk": """
            OTHER := 1
            FLAGS := -fsanitize=address \\
                     -fno-sanitize-recover=all
            after := 2
        """,
        "dev.c": C_FILE,
    })
    text, _ = expand(root, """
        <!-- include: t.c test fmt.matches_glibc -->
        <!-- include: x.mk makevar FLAGS -->
        <!-- include: dev.c dev_read part=3-8 -->
    """)
    test, flags, part = code_blocks(text)
    assert test.startswith("Test(fmt, matches_glibc, .timeout = 60)\n{") and test.endswith("}")
    assert flags == "FLAGS := -fsanitize=address \\\n         -fno-sanitize-recover=all"
    assert "```makefile" in text
    # Lines 3..8 of what would be shown (comment first), caption says so.
    assert part.split("\n")[0] == "dev_read(int port)"
    assert part.split("\n")[-1] == "    }"
    assert "dev.c:16 \u00b7 dev_read(), lines 3-8 of it" in text


def test_from_to_takes_a_run_of_lines_by_the_names_in_them(tmp_path):
    root = tree(tmp_path, {"sel.h": """
        /* GDT_TSS is mentioned in this comment, which does not count. */
        #define OTHER 1

        /* Selectors. */
        #define GDT_KERNEL_CODE 0x08
        #define GDT_KERNEL_DATA 0x10
        #define GDT_TSS         0x28
        #define GDT_ENTRIES     6
    """})
    [code] = code_blocks(expand(root, "<!-- include: sel.h from GDT_KERNEL_CODE to GDT_TSS -->\n")[0])
    assert code.split("\n") == ["/* Selectors. */", "#define GDT_KERNEL_CODE 0x08",
                                "#define GDT_KERNEL_DATA 0x10", "#define GDT_TSS         0x28"]
    with pytest.raises(include.IncludeError, match="names `GDT_TSS` but no `OTHER` after it"):
        expand(root, "<!-- include: sel.h from GDT_TSS to OTHER -->\n")


@pytest.mark.parametrize("directive, message", [
    ("dev.c dev_rea", "has no function `dev_rea`; there: dev_read, dev_write"),
    ("dev.c struct nope", "has no struct `nope`; there: dev_regs"),
    ("nothere.c f", "no file nothere.c"),
    ("dev.c dev_read max=5", "more than fit on a slide (max=5)"),
    ("dev.c#L1-L999", "has 41 lines"),
    ("dev.c dev_read colour=red", "unknown option colour="),
    ("../outside.c f", "outside the repository"),
])
def test_an_include_that_does_not_resolve_fails_with_the_deck_line(tmp_path, directive, message):
    root = tree(tmp_path / "repo", {"dev.c": C_FILE})
    (tmp_path / "outside.c").write_text("void f(void) {}\n")
    with pytest.raises(include.IncludeError) as e:
        expand(root, "# T\n\n<!-- include: %s -->\n" % directive)
    assert str(e.value).startswith("slides/01-test.md:3: include: ")
    assert message in str(e.value)


def test_directives_in_code_fences_are_left_alone_and_typos_are_caught(tmp_path):
    root = tree(tmp_path, {"dev.c": C_FILE})
    deck = "```markdown\n<!-- include: dev.c nothing -->\n```\n"
    assert expand(root, deck)[0] == deck
    with pytest.raises(include.IncludeError, match="looks like an include"):
        expand(root, "<!-- inlcude: dev.c dev_read -->\n")
    with pytest.raises(include.IncludeError, match="looks like an include"):
        expand(root, "<!-- include: dev.c dev_read --> but not alone\n")
    with pytest.raises(include.IncludeError, match="looks like an include"):
        expand(root, "<!-- include dev.c dev_read -->\n")
    # Speaker notes and Marp's own directives are not includes.
    notes = "<!-- Include this in the exam. -->\n<!-- _class: lead -->\n"
    assert expand(root, notes)[0] == notes


def test_command_line_writes_output_and_deps_and_fails_clearly(tmp_path):
    root = tree(tmp_path, {"dev.c": C_FILE, "slides/01-x.md": "<!-- include: dev.c dev_read -->\n",
                           "slides/02-y.md": "<!-- include: dev.c renamed -->\n"})
    out, deps = tmp_path / "out" / "01-x.md", tmp_path / "out" / "01-x.md.d"
    run = subprocess.run([sys.executable, "-B", str(SLIDES / "include.py"), "--root", str(root),
                          str(root / "slides/01-x.md"), str(out), "--deps", str(deps)],
                         cwd=tmp_path, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "dev_read(int port)" in out.read_text()
    assert deps.read_text().startswith("%s: dev.c\n" % out)
    run = subprocess.run([sys.executable, "-B", str(SLIDES / "include.py"), "--root", str(root),
                          str(root / "slides/02-y.md"), str(tmp_path / "out" / "02-y.md")],
                         cwd=tmp_path, capture_output=True, text=True)
    assert run.returncode == 1
    assert run.stderr.strip() == ("slides: slides/02-y.md:1: include: dev.c has no function "
                                  "`renamed`; there: dev_read, dev_write")
    assert not (tmp_path / "out" / "02-y.md").exists()


@pytest.mark.parametrize("deck", sorted(p.name for p in SLIDES.glob("[0-9][0-9]-*.md")))
def test_the_real_decks_resolve_against_the_real_tree(deck):
    text, sources = include.expand((SLIDES / deck).read_text(), "slides/" + deck, ROOT)
    assert sources, "%s includes no code from the sources" % deck
    assert "<!-- include:" not in text
    assert 12 <= check.slides_in(text) <= 28


def test_png_checker_tells_blank_from_drawn(tmp_path):
    import struct
    import zlib

    def png(path, pixels, width, height):
        raw = b"".join(b"\x00" + bytes(pixels[y * width * 3:(y + 1) * width * 3])
                       for y in range(height))
        def chunk(kind, data):
            return (struct.pack(">I", len(data)) + kind + data
                    + struct.pack(">I", zlib.crc32(kind + data)))
        path.write_bytes(b"\x89PNG\r\n\x1a\n"
                         + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
                         + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))

    w, h = check.SLIDE_SIZE
    blank = [255] * (w * h * 3)
    png(tmp_path / "blank.png", blank, w, h)
    with pytest.raises(check.CheckError, match="looks blank"):
        check.check_png(tmp_path / "blank.png")
    drawn = list(blank)
    for y in range(300, 360):                 # a dark bar: 4.7 % of the slide
        for x in range(100, 1100):
            drawn[(y * w + x) * 3:(y * w + x) * 3 + 3] = [11, 93, 122]
    png(tmp_path / "drawn.png", drawn, w, h)
    assert check.check_png(tmp_path / "drawn.png").startswith("first slide 6.5 % ink")


def test_html_checker_wants_every_slide_themed_local_and_the_decks_text(tmp_path):
    md = '# Title *here*\n\n<div class="src">kernel/a.c:3 \u00b7 f()</div>\n\n---\n\n# Two\n'
    slide = ('<svg data-marpit-svg=""><foreignObject><section id="%d" data-theme="%s">'
             '%s</section></foreignObject></svg>')
    good = (slide % (1, "tidepool", "<h1>Title <em>here</em></h1><div>kernel/a.c:3 &middot; f()</div>")
            + slide % (2, "tidepool", "<h1>Two</h1>"))
    page = tmp_path / "deck.html"
    page.write_text("<html><body>%s</body></html>" % good)
    assert check.check_html(page, md, check.slides_in(md)).startswith("2 slides, 1 code blocks")
    page.write_text('<html><link href="https://fonts.example/x.css">%s</html>' % good)
    with pytest.raises(check.CheckError, match="not self-contained"):
        check.check_html(page, md, 2)
    page.write_text("<html>%s</html>" % good.replace('data-theme="tidepool"', "", 1))
    with pytest.raises(check.CheckError, match="1 of its 2 slides use the tidepool theme"):
        check.check_html(page, md, 2)
    page.write_text("<html>%s</html>" % good.replace("f()", "g()"))
    with pytest.raises(check.CheckError, match="does not contain"):
        check.check_html(page, md, 2)
