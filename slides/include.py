#!/usr/bin/python3
"""Expand include directives in a Marp deck into code blocks from the sources.

    slides/include.py DECK.md OUT.md [--deps OUT.md.d] [--root DIR] [--solutions]

Code on slides is never pasted: a deck names the piece of the tree it
shows, and this script copies it in at build time, so a slide cannot
drift from the kernel. A directive is an HTML comment on a line of its own:

    <!-- include: kernel/arch/i386/gdt.c gdt_encode -->
    <!-- include: kernel/arch/i386/gdt.h struct gdt_entry -->
    <!-- include: kernel/arch/i386/vga.c variable vga_buffer -->
    <!-- include: kernel/arch/i386/multiboot_header.h macro MB_HEADER_MAGIC -->
    <!-- include: kernel/arch/i386/boot.S label multiboot_header -->
    <!-- include: kernel/kernel.ld#L10-L20 -->

Selectors (after the path):
    NAME | function NAME   a C function definition, from the line holding its
                           return type to the brace that closes its body
    struct NAME            a struct, union or enum definition through its `;`
                           (also `union NAME`, `enum NAME`)
    variable NAME          a top-level declaration of NAME through its `;`
    macro NAME             a #define and its continuation lines
    label NAME             an assembler label through its `.size NAME`
                           directive, or else through the next blank line
    test SUITE.CASE        a test case: an in-kernel KTEST(SUITE, CASE) { ... } or a
                           host test, Criterion's Test(SUITE, CASE, ...) { ... }
    makevar NAME           a make variable's assignment with its continuation lines
    from A to B            from the first line that names A (in code, not in a
                           comment) to the first line after it that names B:
                           for a run of declarations, e.g. a block of #defines
    #LA-LB, lines A-B      lines A..B of the file: fragile, prefer names

Options (after the selector, any order):
    comment=no        leave out the comment block right above the item (it is
                      included by default: it is usually the item's
                      documentation or its SAFETY argument)
    max=N             fail if the block is longer than N lines (default 22,
                      about what fits on a slide at a readable size)
    lab=N solved=M    the checkpoint whose code is shown (see below)
    lang=NAME         the code block's language (default from the extension)
    part=A-B          only lines A..B of the item (counted from its first
                      line shown, comment included): for items too long for
                      one slide; survives edits elsewhere in the file

Checkpoints. The sources hold every lab's solution inside `#if SOLVED >= n`
regions. A deck shows code as the handout of its lab has it:
deck NN-* resolves LAB=NN, SOLVED=NN-1 (deck 00 as lab 1's handout), so a
lecture never gives away the exercise it introduces, and the slides match
what students see in their own branch. --solutions shows the reference
(LAB=6, SOLVED=6) everywhere; lab=/solved= override both per include.
Conditionals that are not only about LAB and SOLVED are kept as they are.

A directive that no longer resolves (a file moved, a function renamed)
fails the build with the deck's file and line and what is there instead.
--deps writes a make dependency file listing every source a deck includes.
"""

import argparse
import bisect
import difflib
import os
import re
import sys
from pathlib import Path

DEFAULT_MAX_LINES = 22
LAST_LAB = 6

LANGUAGES = {
    ".c": "c", ".h": "c", ".S": "x86asm", ".s": "x86asm", ".py": "python",
    ".sh": "bash", ".mk": "makefile", ".ld": "text", ".md": "markdown",
}

DIRECTIVE = re.compile(r"^\s*<!--\s*include\s*:\s*(?P<body>.*?)\s*-->\s*$")


def almost_directive(line):
    """Does this line look like it wanted to be an include but is not one
    (a typo in the word, a missing colon, text around it)?"""
    m = re.search(r"<!--\s*([A-Za-z]+)\s*:", line)
    if m and difflib.get_close_matches(m.group(1).lower(), ["include"], 1, 0.75):
        return True
    return re.search(r"<!--\s*include\s+[\w/-]*[./][\w./-]*", line) is not None


class IncludeError(Exception):
    pass


# ---------------------------------------------------------------------------
# LAB / SOLVED conditionals


COND = re.compile(r"^\s*#\s*(if|ifdef|ifndef|elif|else|endif)\b(.*)$")


def _evaluate(expr, lab, solved):
    """The value of a #if expression over LAB and SOLVED only, or None when
    it mentions anything else (then the conditional is kept verbatim)."""
    expr = re.sub(r"/\*.*?\*/|//.*$", "", expr).strip()
    if not expr or not re.search(r"\b(LAB|SOLVED)\b", expr):
        return None
    tokens = re.findall(r"\d+|[A-Za-z_]\w*|&&|\|\||[<>=!]=|[<>()!]|\S", expr)
    python = []
    for tok in tokens:
        if tok == "LAB":
            python.append(str(lab))
        elif tok == "SOLVED":
            python.append(str(solved))
        elif tok.isdigit():
            python.append(tok)
        elif tok in ("&&", "||", "!"):
            python.append({"&&": " and ", "||": " or ", "!": " not "}[tok])
        elif tok in ("<", ">", "<=", ">=", "==", "!=", "(", ")"):
            python.append(tok)
        else:
            return None
    try:
        return bool(eval("".join(python), {"__builtins__": {}}, {}))
    except Exception:
        return None


def resolve_conditionals(lines, lab, solved):
    """[(line number, text)] of the file as checkpoint LAB/SOLVED has it:
    conditionals on LAB and SOLVED resolved (as unifdef does for the
    handouts), every other conditional kept. Numbers are 1-based lines of
    the original file."""
    out = []
    # One frame per open conditional: (resolved?, emitting now?, taken yet?,
    # emitting when this conditional opened?)
    stack = []

    def emitting():
        return all(frame[1] for frame in stack)

    for number, text in enumerate(lines, 1):
        m = COND.match(text)
        if m is None:
            if emitting():
                out.append((number, text))
            continue
        kind, rest = m.group(1), m.group(2)
        if kind in ("if", "ifdef", "ifndef"):
            value = _evaluate(rest, lab, solved) if kind == "if" else None
            if value is None:
                stack.append([False, True, False])
                if emitting():
                    out.append((number, text))
            else:
                stack.append([True, value, value])
        elif not stack:
            out.append((number, text))    # unbalanced: leave it alone
        elif kind == "elif":
            frame = stack[-1]
            value = _evaluate(rest, lab, solved) if frame[0] else None
            if frame[0] and value is not None:
                frame[1] = value and not frame[2]
                frame[2] = frame[2] or value
            else:
                # An #elif we cannot resolve inside a resolved #if, or any
                # #elif of a kept one: keep it (the nesting stays valid
                # because a kept #if always emits).
                if not frame[0]:
                    if emitting():
                        out.append((number, text))
                else:
                    raise IncludeError("line %d: cannot resolve `%s` after a LAB/SOLVED "
                                       "condition" % (number, text.strip()))
        elif kind == "else":
            frame = stack[-1]
            if frame[0]:
                frame[1] = not frame[2]
                frame[2] = True
            elif emitting():
                out.append((number, text))
        else:   # endif
            frame = stack.pop()
            if not frame[0] and emitting():
                out.append((number, text))
    return out


# ---------------------------------------------------------------------------
# Finding things in C and assembly


def mask(text):
    """text with comments, string and character literals blanked out (same
    length, newlines kept), so brace and semicolon counting sees only code."""
    out = list(text)
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
        elif text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
        elif c in "\"'":
            end = i + 1
            while end < n and text[end] != c and text[end] != "\n":
                end += 2 if text[end] == "\\" else 1
            end = min(end + 1, n)
            # Keep the quotes, blank what is between them.
            for j in range(i + 1, end - 1):
                if out[j] != "\n":
                    out[j] = " "
            i = end
            continue
        else:
            i += 1
            continue
        for j in range(i, end):
            if out[j] != "\n":
                out[j] = " "
        i = end
    return "".join(out)


class Source:
    """A source file as one checkpoint has it, with its original numbering."""

    def __init__(self, path, display, lab, solved):
        self.display = display
        raw = path.read_text(encoding="utf-8").split("\n")
        if raw and raw[-1] == "":
            raw.pop()
        self.raw = raw
        numbered = resolve_conditionals(raw, lab, solved)
        self.numbers = [number for number, _ in numbered]
        self.lines = [text for _, text in numbered]
        self.text = "\n".join(self.lines) + "\n"
        self.masked = mask(self.text)
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line) + 1)
        # Brace depth at the start of every character of the masked text.
        self.depth = []
        d = 0
        for ch in self.masked:
            if ch == "}":
                d -= 1
            self.depth.append(d)
            if ch == "{":
                d += 1

    def line_of(self, offset):
        """0-based index into self.lines of the character at offset."""
        return bisect.bisect_right(self.starts, offset) - 1

    def masked_line(self, index):
        return self.masked[self.starts[index]:self.starts[index + 1] - 1]

    def is_directive(self, index):
        return self.lines[index].lstrip().startswith("#")

    def statement_start(self, index):
        """Walk up from line `index` to the first line of the declaration it
        belongs to: stop below a blank (or comment-only) line, a line that
        ends a statement, or a preprocessor line."""
        while index > 0:
            above = self.masked_line(index - 1).rstrip()
            if (not above.strip() or above.endswith((";", "}", "{"))
                    or self.is_directive(index - 1)):
                break
            index -= 1
        return index

    def comment_above(self, index):
        """The index of the first line of the comment block that ends right
        above line `index` (no blank line between), else `index`."""
        first = index
        i = index - 1
        while i >= 0:
            line = self.lines[i].strip()
            code = self.masked_line(i).strip()
            if line and not code:           # all comment
                first = i
                i -= 1
                continue
            break
        return first

    def matching(self, offset, open_ch, close_ch):
        """Offset of the bracket that closes the one at `offset`."""
        depth = 0
        for j in range(offset, len(self.masked)):
            ch = self.masked[j]
            if ch == open_ch:
                depth += 1
            elif ch == close_ch:
                depth -= 1
                if depth == 0:
                    return j
        return None

    def skip_space_and_attributes(self, j):
        while True:
            while j < len(self.masked) and self.masked[j].isspace():
                j += 1
            m = re.compile(r"__attribute__\s*\(").match(self.masked, j)
            if not m:
                return j
            close = self.matching(m.end() - 1, "(", ")")
            if close is None:
                return len(self.masked)
            j = close + 1

    # -- the selectors: each returns (first line index, last line index)

    def names_of(self, kind):
        """Names of the items of one kind, for error messages."""
        found = []
        if kind == "function":
            for m in re.finditer(r"\b([A-Za-z_]\w*)\s*\(", self.masked):
                if self.depth[m.start()] == 0 and self._function_body(m) is not None:
                    found.append(m.group(1))
        elif kind in ("struct", "union", "enum"):
            found = [m.group(1) for m in re.finditer(r"\b%s\s+([A-Za-z_]\w*)\s*\{" % kind,
                                                     self.masked)]
        elif kind == "test":
            found = [a + "." + b for a, b in
                     re.findall(r"\b(?:KTEST|Test)\s*\(\s*(\w+)\s*,\s*(\w+)\s*[,)]", self.masked)]
        elif kind == "makevar":
            found = re.findall(r"(?m)^([A-Za-z_][\w.-]*)\s*(?::=|\?=|\+=|=)", self.text)
        elif kind == "macro":
            found = re.findall(r"(?m)^\s*#\s*define\s+([A-Za-z_]\w*)", self.masked)
        elif kind == "label":
            found = re.findall(r"(?m)^\s*([A-Za-z_.$][\w.$]*):", self.masked)
        return [name for name in dict.fromkeys(found)
                if name not in ("if", "while", "for", "switch", "return", "sizeof", "KTEST", "Test")]

    def _function_body(self, m):
        """For a match of `NAME (` at depth 0: the offset of its body's `{`
        if this is a function definition, else None."""
        close = self.matching(m.end() - 1, "(", ")")
        if close is None:
            return None
        j = self.skip_space_and_attributes(close + 1)
        if j < len(self.masked) and self.masked[j] == "{":
            # Not `x = f(a) {`: a definition's name is not preceded by `=`.
            before = self.masked[:m.start()].rstrip()
            if before.endswith(("=", ",", "(", "return")):
                return None
            return j
        return None

    def function(self, name):
        for m in re.finditer(r"\b%s\s*\(" % re.escape(name), self.masked):
            if self.depth[m.start()] != 0:
                continue
            body = self._function_body(m)
            if body is None:
                continue
            end = self.matching(body, "{", "}")
            if end is None:
                raise IncludeError("the body of %s() in %s never closes" % (name, self.display))
            return self.statement_start(self.line_of(m.start())), self.line_of(end)
        return None

    def aggregate(self, kind, name):
        for m in re.finditer(r"\b%s\s+%s\s*\{" % (kind, re.escape(name)), self.masked):
            if self.depth[m.start()] != 0:
                continue
            end = self.matching(m.end() - 1, "{", "}")
            if end is None:
                return None
            semi = self.masked.find(";", end)
            last = self.line_of(semi if semi >= 0 else end)
            return self.statement_start(self.line_of(m.start())), last
        return None

    def variable(self, name):
        for m in re.finditer(r"\b%s\b" % re.escape(name), self.masked):
            if self.depth[m.start()] != 0:
                continue
            index = self.line_of(m.start())
            if self.is_directive(index):
                continue
            start = self.statement_start(index)
            # The statement: from its first line to the next `;` at depth 0.
            j = self.starts[start]
            while j < len(self.masked):
                ch = self.masked[j]
                if ch == ";" and self.depth[j] == 0:
                    break
                if ch == "{" and self.depth[j] == 0:
                    # `= { ... }` initialisers are fine, function bodies not.
                    head = self.masked[self.starts[start]:j]
                    if "=" not in head:
                        break
                j += 1
            if j >= len(self.masked) or self.masked[j] != ";":
                continue
            statement = self.masked[self.starts[start]:j]
            # NAME must be what is declared: followed by = [ ; or ) and not
            # a call or a use on the right of `=`.
            head = statement.split("=", 1)[0]
            if not re.search(r"\b%s\s*(\[[^\]]*\]\s*)*$" % re.escape(name), head.rstrip()) \
                    and not re.search(r"\(\s*\*\s*%s\s*\)" % re.escape(name), head):
                continue
            return start, self.line_of(j)
        return None

    def test(self, name):
        """KTEST(suite, case) { ... } or Criterion's Test(suite, case, ...) { ... }"""
        suite, _, case = name.partition(".")
        pattern = r"\b(?:KTEST|Test)\s*\(\s*%s\s*,\s*%s\s*[,)]" % (re.escape(suite),
                                                                   re.escape(case))
        for m in re.finditer(pattern, self.masked):
            close = self.matching(self.masked.index("(", m.start()), "(", ")")
            j = self.skip_space_and_attributes(close + 1 if close is not None else m.end())
            if self.depth[m.start()] != 0 or j >= len(self.masked) or self.masked[j] != "{":
                continue
            end = self.matching(j, "{", "}")
            if end is None:
                raise IncludeError("the body of test %s in %s never closes" % (name, self.display))
            return self.line_of(m.start()), self.line_of(end)
        return None

    def names_line(self, name, start=0):
        """The index of the first line from `start` whose code (not its
        comments or strings) names `name`, or None."""
        pattern = re.compile(r"(?<![\w.$])%s(?![\w$])" % re.escape(name))
        for index in range(start, len(self.lines)):
            if pattern.search(self.masked_line(index)):
                return index
        return None

    def from_to(self, first_name, last_name):
        first = self.names_line(first_name)
        if first is None:
            return None
        last = self.names_line(last_name, first)
        if last is None:
            raise IncludeError("%s names `%s` but no `%s` after it"
                               % (self.display, first_name, last_name))
        return first, last

    def makevar(self, name):
        """A make variable's assignment(s), with continuation lines."""
        for index, line in enumerate(self.lines):
            if re.match(r"^%s\s*(?::=|\?=|\+=|=)" % re.escape(name), line):
                last = index
                while self.lines[last].rstrip().endswith("\\") and last + 1 < len(self.lines):
                    last += 1
                return index, last
        return None

    def macro(self, name):
        for index, line in enumerate(self.lines):
            if re.match(r"^\s*#\s*define\s+%s\b" % re.escape(name), line):
                last = index
                while self.lines[last].rstrip().endswith("\\") and last + 1 < len(self.lines):
                    last += 1
                return index, last
        return None

    def label(self, name):
        for index, line in enumerate(self.lines):
            if re.match(r"^\s*%s:" % re.escape(name), self.masked_line(index)):
                size = re.compile(r"^\s*\.size\s+%s\s*," % re.escape(name))
                blank = None
                for last in range(index + 1, len(self.lines)):
                    if size.match(self.lines[last]):
                        return index, last
                    if blank is None and not self.lines[last].strip():
                        blank = last - 1
                return index, blank if blank is not None else len(self.lines) - 1
        return None

    def line_range(self, first, last):
        """Lines first..last (1-based, original numbering)."""
        if not 1 <= first <= last <= len(self.raw):
            raise IncludeError("%s has %d lines: no lines %d-%d"
                               % (self.display, len(self.raw), first, last))
        picked = [i for i, number in enumerate(self.numbers) if first <= number <= last]
        if not picked:
            raise IncludeError("lines %d-%d of %s are not in this checkpoint"
                               % (first, last, self.display))
        return picked[0], picked[-1]


# ---------------------------------------------------------------------------
# Directives


class Directive:
    def __init__(self, body, deck_lab):
        words = body.split()
        if not words:
            raise IncludeError("empty include: say `include: PATH SELECTOR`")
        path = words.pop(0)
        self.options = {}
        while words and "=" in words[-1]:
            key, value = words.pop().split("=", 1)
            self.options[key] = value
        for key in self.options:
            if key not in ("comment", "max", "lab", "solved", "lang", "part"):
                raise IncludeError("unknown option %s= (known: comment=no, max=N, lab=N, "
                                   "solved=N, lang=NAME, part=A-B)" % key)
        self.kind, self.name = "function", None
        self.first = self.last = None
        m = re.match(r"^(.*)#L(\d+)-L?(\d+)$", path)
        if m:
            path, self.kind = m.group(1), "lines"
            self.first, self.last = int(m.group(2)), int(m.group(3))
            if words:
                raise IncludeError("a line range takes no selector, got `%s`" % " ".join(words))
        elif len(words) == 1:
            self.name = words[0]
        elif len(words) == 4 and words[0] == "from" and words[2] == "to":
            self.kind, self.name, self.to = "from", words[1], words[3]
            if not re.match(r"^[A-Za-z_.$][\w.$]*$", self.to):
                raise IncludeError("`%s` is not a C or assembler name" % self.to)
        elif len(words) == 2 and words[0] == "lines":
            m = re.match(r"^(\d+)-(\d+)$", words[1])
            if not m:
                raise IncludeError("say `lines A-B`, not `lines %s`" % words[1])
            self.kind, self.first, self.last = "lines", int(m.group(1)), int(m.group(2))
        elif len(words) == 2 and words[0] in ("function", "struct", "union", "enum",
                                              "variable", "macro", "label", "test", "ktest",
                                              "makevar"):
            self.kind, self.name = words
            if self.kind == "ktest":
                self.kind = "test"
        else:
            raise IncludeError("cannot read `%s`: say `include: PATH NAME` or `include: PATH "
                               "KIND NAME` with KIND one of function, struct, union, enum, "
                               "variable, macro, label, test, makevar; or `include: PATH from A to B`, or "
                               "`include: PATH#LA-LB`" % body)
        if self.name is not None and not re.match(r"^[A-Za-z_.$][\w.$]*$", self.name):
            raise IncludeError("`%s` is not a C or assembler name" % self.name)
        self.path = path
        try:
            self.max_lines = int(self.options.get("max", DEFAULT_MAX_LINES))
            default_lab = max(deck_lab, 1)
            self.lab = int(self.options.get("lab", default_lab))
            self.solved = int(self.options.get("solved", self.lab - 1))
        except ValueError:
            raise IncludeError("max=, lab= and solved= take numbers") from None
        if self.options.get("comment", "yes") not in ("yes", "no"):
            raise IncludeError("comment= takes yes or no")
        self.with_comment = self.options.get("comment", "yes") == "yes"
        self.part = None
        if "part" in self.options:
            m = re.match(r"^(\d+)-(\d+)$", self.options["part"])
            if not m or not 1 <= int(m.group(1)) <= int(m.group(2)):
                raise IncludeError("part= takes A-B, lines A to B of the item (from 1)")
            self.part = int(m.group(1)), int(m.group(2))

    def describe(self):
        if self.kind == "lines":
            return "lines %d-%d" % (self.first, self.last)
        if self.kind == "function":
            return "%s()" % self.name
        if self.kind == "test":
            return "test %s" % self.name
        if self.kind == "from":
            return "%s to %s" % (self.name, self.to)
        return "%s %s" % (self.kind, self.name)


def extract(directive, root, solutions=False):
    """(code, caption, path) for one directive; raises IncludeError."""
    path = (root / directive.path).resolve()
    try:
        path.relative_to(root.resolve())
    except ValueError:
        raise IncludeError("%s is outside the repository" % directive.path) from None
    if not path.is_file():
        hint = ""
        if path.parent.is_dir():
            siblings = sorted(p.name for p in path.parent.iterdir() if p.is_file())
            hint = " (%s/ has: %s)" % (os.path.relpath(path.parent, root), ", ".join(siblings))
        raise IncludeError("no file %s%s" % (directive.path, hint))
    lab, solved = directive.lab, directive.solved
    if solutions and "lab" not in directive.options and "solved" not in directive.options:
        lab, solved = LAST_LAB, LAST_LAB
    source = Source(path, directive.path, lab, solved)

    kind = directive.kind
    if kind == "lines":
        span = source.line_range(directive.first, directive.last)
    elif kind == "function":
        span = source.function(directive.name)
    elif kind in ("struct", "union", "enum"):
        span = source.aggregate(kind, directive.name)
    elif kind == "variable":
        span = source.variable(directive.name)
    elif kind == "macro":
        span = source.macro(directive.name)
    elif kind == "test":
        span = source.test(directive.name)
    elif kind == "makevar":
        span = source.makevar(directive.name)
    elif kind == "from":
        span = source.from_to(directive.name, directive.to)
    else:
        span = source.label(directive.name)
    if span is None:
        what = {"variable": "top-level variable", "from": "line that names"}.get(kind, kind)
        there = source.names_of(kind)
        hint = "; there: " + ", ".join(there) if there and kind != "variable" else ""
        checkpoint = ""
        if kind == "function" and directive.name in re.findall(r"\w+", "\n".join(source.raw)):
            checkpoint = " at LAB=%d SOLVED=%d (the name is in the file: another " \
                         "checkpoint? try lab=N solved=N)" % (lab, solved)
        raise IncludeError("%s has no %s `%s`%s%s" % (directive.path, what, directive.name,
                                                      checkpoint, hint))
    first, last = span
    if directive.with_comment and kind != "lines":
        first = source.comment_above(first)
    lines = [line.expandtabs(8).rstrip() for line in source.lines[first:last + 1]]
    if directive.part is not None:
        a, b = directive.part
        if b > len(lines):
            raise IncludeError("%s %s has %d lines, no part %d-%d"
                               % (directive.path, directive.describe(), len(lines), a, b))
        if a > 1:
            first += a - 1
        last = first + (b - a)
        lines = lines[a - 1:b]
    while lines and not lines[0].strip():
        lines.pop(0)
        first += 1
    while lines and not lines[-1].strip():
        lines.pop()
        last -= 1
    if not lines:
        raise IncludeError("%s %s: nothing but blank lines" % (directive.path,
                                                               directive.describe()))
    # Dedent (a line range may start inside a block).
    indent = min((len(l) - len(l.lstrip()) for l in lines if l.strip()), default=0)
    lines = [l[indent:] for l in lines]
    if len(lines) > directive.max_lines:
        raise IncludeError("%s %s is %d lines long, more than fit on a slide (max=%d): "
                           "include a smaller piece, or raise max= on the directive"
                           % (directive.path, directive.describe(), len(lines),
                              directive.max_lines))
    first_number, last_number = source.numbers[first], source.numbers[last]
    caption = "%s:%d" % (directive.path, first_number)
    if kind != "lines":
        caption += " \u00b7 " + directive.describe()
        if directive.part is not None:
            caption += ", lines %d-%d of it" % directive.part
    if (lab, solved) != (LAST_LAB, LAST_LAB) and any(
            COND.match(l) for l in source.raw[first_number - 1:last_number]):
        caption += " \u00b7 as in the lab-%d handout" % lab if solved == lab - 1 else \
                   " \u00b7 LAB=%d SOLVED=%d" % (lab, solved)
    return "\n".join(lines), caption, path


def fence_for(code):
    longest = max((len(m) for m in re.findall(r"`{3,}", code)), default=2)
    return "`" * max(3, longest + 1)


def language_of(directive):
    if "lang" in directive.options:
        return directive.options["lang"]
    if Path(directive.path).name in ("Makefile", "GNUmakefile"):
        return "makefile"
    return LANGUAGES.get(Path(directive.path).suffix, "")


def deck_lab(deck):
    m = re.match(r"^(\d+)-", Path(deck).name)
    return int(m.group(1)) if m else 0


def expand(text, deck_name, root, solutions=False):
    """(expanded text, [source paths]); raises IncludeError with the deck's
    name and line number."""
    out, sources = [], []
    lab = deck_lab(deck_name)
    in_fence = None
    for number, line in enumerate(text.split("\n"), 1):
        fence = re.match(r"^\s*(`{3,}|~{3,})", line)
        if fence:
            if in_fence is None:
                in_fence = fence.group(1)
            elif fence.group(1).startswith(in_fence):
                in_fence = None
            out.append(line)
            continue
        if in_fence is not None:
            out.append(line)
            continue
        m = DIRECTIVE.match(line)
        try:
            if m is None:
                if almost_directive(line):
                    raise IncludeError("this looks like an include but is not one: write "
                                       "`<!-- include: PATH SELECTOR -->` on a line of its own")
                out.append(line)
                continue
            directive = Directive(m.group("body"), lab)
            code, caption, path = extract(directive, root, solutions)
        except IncludeError as e:
            raise IncludeError("%s:%d: include: %s" % (deck_name, number, e)) from None
        fence = fence_for(code)
        out.append('<div class="src">%s</div>' % caption.replace("&", "&amp;").replace("<", "&lt;"))
        out.append("")
        out.append(fence + language_of(directive))
        out.append(code)
        out.append(fence)
        out.append("")
        sources.append(path)
    return "\n".join(out), list(dict.fromkeys(sources))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1].strip())
    parser.add_argument("deck")
    parser.add_argument("output")
    parser.add_argument("--deps", help="write a make dependency file here")
    parser.add_argument("--root", default=str(Path(__file__).resolve().parent.parent),
                        help="the repository root (default: this script's parent's parent)")
    parser.add_argument("--solutions", action="store_true",
                        help="show the reference solutions (LAB=SOLVED=%d) in every include"
                             % LAST_LAB)
    args = parser.parse_args(argv)
    root = Path(args.root)
    deck = Path(args.deck)
    try:
        text = deck.read_text(encoding="utf-8")
        display = os.path.relpath(deck.resolve(), root.resolve())
        expanded, sources = expand(text, display, root, args.solutions)
    except (IncludeError, OSError) as e:
        print("slides: %s" % e, file=sys.stderr)
        return 1
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(output.name + ".tmp")
    tmp.write_text(expanded, encoding="utf-8")
    os.replace(tmp, output)
    if args.deps:
        rel = [os.path.relpath(p, Path.cwd()) for p in sources]
        with open(args.deps, "w", encoding="utf-8") as f:
            f.write("%s: %s\n" % (args.output, " ".join(rel)))
            for p in rel:
                f.write("%s:\n" % p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
