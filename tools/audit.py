#!/usr/bin/python3
"""make audit: every unsafe site in the C and assembly code, and whether a
`SAFETY:` comment covers it (docs/audit.md).

    tools/audit.py [--tu NAME FLAGS FILES]... [--list] [--json OUT] DIR...

A SITE is one place where the code steps outside what C's type system
and memory model vouch for -- the C counterpart of a Rust `unsafe`
expression. Five kinds:

  asm       an inline asm statement (__asm__/asm), a file-scope asm
  pio       port I/O: a call to a helper of kernel/arch/i386/io.h, an
            in/out instruction in inline asm or in a .S file
  mmio      a call to an accessor of kernel/arch/i386/mmio.h, or a load or
            store through a pointer to volatile (*p, p[i], p->f)
  volatile  a declaration of a volatile object or pointer to volatile, a
            cast that adds or removes volatile, a volatile object read or
            written by name
  cast      a conversion between a pointer and an integer, either way

HOW SITES ARE FOUND. Each translation unit (--tu: a name, the compiler
flags the Makefile uses for it, the .c files) goes through clang's AST
dump (-Xclang -ast-dump=json -fsyntax-only), so what the compiler sees is
what is counted: casts hidden in macros, typedef'd volatile types, calls
through any spelling. A site inside a macro counts once, where the macro
is written (like an inline function: its body is the site, not its
callers). What the AST pass cannot see: code in preprocessor branches
this configuration does not compile (`#if SOLVED` stubs, UNIKERNEL=1,
later labs) -- audit those with `make audit LAB=n SOLVED=m` or
UNIKERNEL=1 -- and files no --tu compiles (host-only tests, headers no
unit includes). For those files a lexical pass (comments and strings
stripped) finds the keyword kinds (asm, volatile, the pio and mmio helper
calls) but not casts. .S files are scanned for in/out instructions (the
whole file is assembly: its other instructions are not counted).

WHEN A SITE IS DOCUMENTED. A comment containing `SAFETY:` covers a site
  line      on the site's own line (a trailing comment), or
  above     ending above it with no blank line in between and no line
            less indented than the comment (leaving its block) -- the
            comment heads the "paragraph" of code it justifies; at file
            scope it covers the declarations that follow, up to a blank
            line or the first line that opens or closes a brace, or
  function  in the comment block right above the function that holds
            it (the function's contract, like a Rust `# Safety` section),
  file      a file-scope note `SAFETY (every port access in this file):`
            covers the sites of that kind in the file (port -> pio,
            MMIO/register -> mmio, asm, cast, volatile): one device's
            driver, one invariant,
  declaration  for a volatile object read or written by name: on its
            declaration (why it is volatile says what every access may
            assume; the declaration is itself a site and needs the note).
Exit status 1 if any site is undocumented (each listed as file:line).
"""

import argparse
import collections
import json
import os
import re
import shlex
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

KINDS = ("asm", "pio", "mmio", "volatile", "cast")
IO_HEADER = "arch/i386/io.h"
MMIO_HEADER = "arch/i386/mmio.h"
PORT_INSN = re.compile(r"\b(in|out)s?[bwl]?\b")
ACCESS_CHAIN = ("MemberExpr", "ParenExpr", "ImplicitCastExpr", "ArraySubscriptExpr")
POINTER_INTEGER = ("IntegralToPointer", "PointerToIntegral")
# decl: for a volatile object accessed by name, (path, line) of its
# declaration, whose SAFETY: note covers every access.
FILE_NOTE = re.compile(r"SAFETY \(every ([^)]*) in this file\):")
FILE_WORDS = [("port", "pio"), ("mmio", "mmio"), ("register", "mmio"), ("asm", "asm"),
              ("cast", "cast"), ("volatile", "volatile")]
Site = collections.namedtuple("Site", "path line kind what decl", defaults=(None,))


# ---------------------------------------------------------------------------
# Comments: where the SAFETY: notes are


def comments(text, assembly=False):
    """[(first_line, last_line, indent, body)] of every comment, skipping
    string and character literals. In .S files `# ...` lines count too."""
    found, i, n, line = [], 0, len(text), 1
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
        elif c in "\"'" and not assembly:
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            i = j
        elif text.startswith("/*", i) or text.startswith("//", i) or \
                (assembly and c == "#" and _line_start(text, i)):
            end = text.find("*/", i) + 2 if text.startswith("/*", i) else text.find("\n", i)
            end = n if end < 2 or end == -1 else end
            body = text[i:end]
            indent = i - (text.rfind("\n", 0, i) + 1)
            found.append((line, line + body.count("\n"), indent, body))
            line += body.count("\n")
            i = end
            continue
        i += 1
    return found


def _line_start(text, i):
    return text[text.rfind("\n", 0, i) + 1:i].strip() == ""


class Coverage:
    """Answers "which SAFETY: note covers line L of this file?"."""

    def __init__(self, text, assembly=False):
        self.lines = text.split("\n")
        self.notes = [c for c in comments(text, assembly) if "SAFETY:" in c[3]]
        self.file_kinds = {kind for c in comments(text, assembly) for m in
                           FILE_NOTE.finditer(c[3]) for word, kind in FILE_WORDS
                           if word in m.group(1).lower()}

    def covers(self, line, functions=(), kind=None):
        """'line', 'above', 'function', 'file' or None."""
        for first, last, _, _ in self.notes:
            if first <= line <= last:
                return "line"
        for first, last, indent, _ in self.notes:
            if last < line and self._paragraph(last, line, indent):
                return "above"
        for start, end in functions:
            if start <= line <= end and self._heads(start):
                return "function"
        return "file" if kind in self.file_kinds else None

    def _paragraph(self, last, line, indent):
        """Lines last+1 .. line-1 hold no blank line and do not leave the
        comment's block (a preprocessor line may sit at column 0)."""
        for text in self.lines[last:line - 1]:
            stripped = text.strip()
            if not stripped:
                return False
            if stripped.startswith("#"):
                continue
            if len(text) - len(text.lstrip()) < indent:
                return False
            # At file scope a note covers the declarations that follow, not
            # the body of a function after them.
            if indent == 0 and text == stripped and ("{" in stripped or stripped[0] == "}"):
                return False
        code = self.lines[line - 1] if line - 1 < len(self.lines) else ""
        return code.strip().startswith("#") or len(code) - len(code.lstrip()) >= indent

    def _heads(self, start):
        """A SAFETY: note in the comment block ending right above line start."""
        return any(last == start - 1 or (last < start and self._only_comments(last, start))
                   for first, last, _, _ in self.notes)

    def _only_comments(self, last, start):
        between = self.lines[last:start - 1]
        return all(t.strip().startswith(("/*", "*", "//")) for t in between)


# ---------------------------------------------------------------------------
# The AST pass


def clang_command(flags, path):
    """clang with the TU's -D/-I/-std flags, for i386 like the kernel;
    clang's own freestanding headers replace GCC's (-isystem of gcc's
    include directory: its stddef.h wants __float128)."""
    keep, words, i = [], shlex.split(flags), 0
    while i < len(words):
        w = words[i]
        if w in ("-isystem", "-iquote", "-I", "-include", "-D", "-U") and i + 1 < len(words):
            if not (w == "-isystem" and "/gcc/" in words[i + 1]):
                keep += [w, words[i + 1]]
            i += 2
            continue
        if w.startswith(("-D", "-U", "-I", "-std=", "-iquote")) or \
                w in ("-nostdinc", "-ffreestanding", "-march=i686", "-mgeneral-regs-only"):
            keep.append(w)
        i += 1
    resource = subprocess.run(["clang", "-print-resource-dir"], capture_output=True,
                              text=True).stdout.strip()
    return (["clang", "-target", "i686-unknown-none-elf", "-fsyntax-only",
             "-Wno-everything", "-Xclang", "-ast-dump=json"] + keep +
            ["-isystem", os.path.join(resource, "include"), path])


def resolve_locations(node, state):
    """clang's JSON writes a location's file and line only when they
    change from the location written before it: walk in document order
    and fill them in (as "_file", "_line")."""
    if isinstance(node, dict):
        if "offset" in node:
            state["file"] = node.get("file", state["file"])
            state["line"] = node.get("line", state["line"])
            node["_file"], node["_line"] = state["file"], state["line"]
        for value in node.values():
            if isinstance(value, (dict, list)):
                resolve_locations(value, state)
    elif isinstance(node, list):
        for value in node:
            resolve_locations(value, state)


def where(loc, ours):
    """(file, line, offset, tokLen) of a location: where a macro is written
    if that is in our tree, else where it is expanded."""
    if "spellingLoc" in loc:
        spell = loc["spellingLoc"]
        if spell.get("_file") and ours(spell["_file"]):
            return where(spell, ours)
        return where(loc.get("expansionLoc", {}), ours)
    if not loc.get("_file"):
        return None
    return loc["_file"], loc["_line"], loc.get("offset", 0), loc.get("tokLen", 0)


def qual(node):
    t = node.get("type", {})
    return t.get("desugaredQualType", t.get("qualType", ""))


def top_volatile(qualtype):
    """Is the type itself volatile (not just what it points to)? `volatile
    int`, `int *volatile`, `void (*volatile)(void)`, `volatile char [8]`."""
    if "*" not in qualtype:
        return re.search(r"\bvolatile\b", qualtype) is not None
    after = qualtype[qualtype.rfind("*") + 1:].split(")")[0]
    return re.search(r"\bvolatile\b", after) is not None


def callee(node):
    """The name and declaring header of a CallExpr's direct callee."""
    for child in node.get("inner", [])[:1]:
        while child.get("kind") in ("ImplicitCastExpr", "ParenExpr"):
            child = child.get("inner", [{}])[0]
        ref = child.get("referencedDecl", {})
        return ref.get("name"), ref.get("id")
    return None, None


class AstPass:
    def __init__(self, root):
        self.root = root
        self.helpers = {}           # decl id -> "pio" / "mmio"
        self.sites = set()
        self.functions = collections.defaultdict(set)   # path -> {(start, end)}
        self.compiled = set()       # files the AST pass saw
        self.errors = []
        self.rel_cache = {}         # path as the AST names it -> rel(path)

    def ours(self, path):
        rel = self.rel(path)
        return not rel.startswith(("build", ".."))

    def rel(self, path):
        """path relative to the root, symbolic links resolved. Cached: the
        AST names the same few hundred files a hundred thousand times, and
        each realpath() is a string of lstat() calls (4 of the audit's 35
        seconds before)."""
        if path not in self.rel_cache:
            self.rel_cache[path] = os.path.relpath(
                os.path.realpath(os.path.join(self.root, path)), self.root)
        return self.rel_cache[path]

    def dump(self, flags, path):
        proc = subprocess.run(clang_command(flags, path), cwd=self.root,
                              capture_output=True, text=True)
        if proc.returncode != 0 or not proc.stdout:
            self.errors.append("%s: clang failed:\n%s" % (path, proc.stderr[-2000:]))
            return None
        return json.loads(proc.stdout)

    def add(self, node, kind, what, loc=None, decl=None):
        at = where(loc or node.get("range", {}).get("begin", node.get("loc", {})), self.ours)
        if at and self.ours(at[0]):
            self.sites.add(Site(self.rel(at[0]), at[1], kind, what, decl))
            return Site(self.rel(at[0]), at[1], kind, what, decl)
        return None

    def visit(self, tree):
        self.declared = {}          # this unit's decl id -> (path, line)
        resolve_locations(tree, {"file": None, "line": None})
        self.walk(tree, False)

    def walk(self, node, in_access):
        kind = node.get("kind")
        self.note_decl(node)
        access = self.classify(node, in_access)
        # The base of a volatile access (vs in vs.a, buf in buf[i]) is
        # the same access, not another one.
        inner_access = access or (in_access and kind in ACCESS_CHAIN)
        for child in node.get("inner", []):
            if isinstance(child, dict):
                self.walk(child, inner_access)

    def note_decl(self, node):
        """Remember the io.h/mmio.h helpers, and function extents."""
        if node.get("kind") != "FunctionDecl":
            return
        at = where(node.get("loc", {}), self.ours)
        if not at:
            return
        if at[0].endswith(IO_HEADER):
            self.helpers[node["id"]] = "pio"
        elif at[0].endswith(MMIO_HEADER) and node.get("inline"):
            self.helpers[node["id"]] = "mmio"
        rng = node.get("range", {})
        begin, end = where(rng.get("begin", {}), self.ours), where(rng.get("end", {}), self.ours)
        if begin and end and begin[0] == end[0] and self.ours(begin[0]) and \
                any(c.get("kind") == "CompoundStmt" for c in node.get("inner", [])):
            self.functions[self.rel(begin[0])].add((begin[1], end[1]))

    def classify(self, node, in_access):
        """Add the node's site, if it is one; True if it is a volatile
        access (so its sub-expressions are not counted again)."""
        kind = node.get("kind")
        if kind in ("GCCAsmStmt", "FileScopeAsmDecl"):
            self.add(node, "pio" if PORT_INSN.search(self.source_of(node)) else "asm", "asm")
        elif kind == "CallExpr":
            name, decl = callee(node)
            if decl in self.helpers:
                self.add(node, self.helpers[decl], name + "()")
        elif kind in ("CStyleCastExpr", "ImplicitCastExpr", "CompoundLiteralExpr") and \
                node.get("castKind") in POINTER_INTEGER:
            self.add(node, "cast", node["castKind"])
        elif kind == "CStyleCastExpr" and self.volatile_cast(node):
            self.add(node, "volatile", "cast to/from volatile")
        elif kind in ("VarDecl", "FieldDecl", "ParmVarDecl", "TypedefDecl") and \
                re.search(r"\bvolatile\b", qual(node)):
            site = self.add(node, "volatile", "declaration of " + node.get("name", "?"),
                            node.get("loc"))
            if site:
                self.declared[node["id"]] = (site.path, site.line)
        elif node.get("valueCategory") == "lvalue" and top_volatile(qual(node)) and not in_access:
            return self.volatile_access(node, kind)
        return False

    def volatile_access(self, node, kind):
        if kind == "UnaryOperator" and node.get("opcode") == "*" or \
                kind == "ArraySubscriptExpr" or (kind == "MemberExpr" and node.get("isArrow")):
            self.add(node, "mmio", "access through a volatile pointer")
            return True
        if kind in ("DeclRefExpr", "MemberExpr"):
            decl = self.declaration(node)
            self.add(node, "volatile", "access to a volatile object", decl=decl)
            return True
        return False

    def declaration(self, node):
        """Where the volatile object of `x`, `s.f` or `s.f.g` is declared:
        the field if it is volatile itself, else the variable."""
        ids = []
        while node:
            ids.append(node.get("referencedMemberDecl"))
            ids.append(node.get("referencedDecl", {}).get("id"))
            node = node.get("inner", [None])[0] if node.get("kind") in (
                "MemberExpr", "ParenExpr", "ImplicitCastExpr") else None
        return next((self.declared[i] for i in ids if i in self.declared), None)

    def volatile_cast(self, node):
        operand = node.get("inner", [{}])[0]
        return bool(re.search(r"\bvolatile\b", qual(node) + " " + qual(operand)))

    def source_of(self, node):
        rng = node.get("range", {})
        begin, end = where(rng.get("begin", {}), self.ours), where(rng.get("end", {}), self.ours)
        if not begin or not end or begin[0] != end[0]:
            return ""
        with open(os.path.join(self.root, begin[0]), "rb") as f:
            data = f.read()
        return data[begin[2]:end[2] + end[3]].decode(errors="replace")


# ---------------------------------------------------------------------------
# The lexical pass (files no translation unit compiled) and .S files

LEXICAL = [
    (re.compile(r"\b(__asm__|__asm|asm)\b"), "asm"),
    (re.compile(r"\b(inb|inw|inl|outb|outw|outl|insb|insw|insl|outsb|outsw|outsl)\s*\("), "pio"),
    (re.compile(r"\bmmio_(read|write)\w*\s*\("), "mmio"),
    (re.compile(r"\bvolatile\b"), "volatile"),
]
ASM_VOLATILE = re.compile(r"\b(__asm__|__asm|asm)(\s+(__volatile__|volatile|goto|inline))+\b")


def strip_comments_and_strings(text):
    """The text with comments and literals blanked, line numbers kept."""
    out = list(text)
    pattern = re.compile(r"/\*.*?\*/|//[^\n]*|\"(\\.|[^\"\\\n])*\"|'(\\.|[^'\\\n])*'", re.S)
    for m in pattern.finditer(text):
        for i in range(m.start(), m.end()):
            if out[i] != "\n":
                out[i] = " "
    return "".join(out)


def lexical_sites(path, text):
    sites = []
    for number, line in enumerate(strip_comments_and_strings(text).split("\n"), 1):
        if line.lstrip().startswith("#"):
            continue
        found = ASM_VOLATILE.sub("asm", line)
        for pattern, kind in LEXICAL:
            m = pattern.search(found)
            if m and not (kind in ("pio", "mmio") and defines(found[:m.start()])):
                sites.append(Site(path, number, kind, "lexical: " + line.strip()[:40]))
                break
    return sites


def defines(before):
    """`static inline void outb(` defines the helper, `x = inb(` calls it:
    a type name (not `return`) right before the name is a definition."""
    m = re.search(r"([\w*]+)\s*$", before)
    return m is not None and m.group(1) not in ("return", "else", "do")


def assembly_sites(path, text):
    """in/out instructions in a .S file (comments stripped)."""
    sites = []
    stripped = strip_comments_and_strings(text)
    for number, line in enumerate(stripped.split("\n"), 1):
        code = line.split("#")[0] if not line.lstrip().startswith("#") else ""
        insn = code.split(":")[-1].strip().split(None, 1)
        if insn and re.fullmatch(r"(in|out)s?[bwl]?", insn[0]):
            sites.append(Site(path, number, "pio", insn[0]))
    return sites


# ---------------------------------------------------------------------------
# Putting it together


def source_files(root, dirs):
    for d in dirs:
        for base, subdirs, files in os.walk(os.path.join(root, d)):
            subdirs[:] = sorted(s for s in subdirs if not s.startswith("."))
            for name in sorted(files):
                if name.endswith((".c", ".h", ".S")):
                    yield os.path.relpath(os.path.join(base, name), root)


def audit(root, units, dirs, jobs=2):
    """{"sites": [(Site, coverage)], "errors": [...], "lexical": [paths]}."""
    root = os.path.realpath(root)
    ast = AstPass(root)
    work = [(flags, f) for _, flags, files in units for f in files if f.endswith(".c")]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for tree in pool.map(lambda w: ast.dump(*w), work):
            if tree is not None:
                ast.visit(tree)
    compiled = {ast.rel(f) for _, f in work}
    compiled |= {s.path for s in ast.sites} | set(ast.functions)
    compiled |= included_headers(root, [f for _, f in work])
    sites, lexical = set(ast.sites), []
    for path in source_files(root, dirs):
        with open(os.path.join(root, path), errors="replace") as f:
            text = f.read()
        if path.endswith(".S"):
            sites.update(assembly_sites(path, text))
        elif path not in compiled:
            lexical.append(path)
            sites.update(lexical_sites(path, text))
    in_dirs = tuple(d.rstrip("/") + "/" for d in dirs)
    return {"sites": judge(root, [s for s in sites if s.path.startswith(in_dirs)], ast.functions),
            "errors": ast.errors, "lexical": lexical}


def included_headers(root, files):
    """Headers some unit includes (found by #include lines, quoted or
    not, resolved against the including file's folder and -I roots)."""
    seen = set()
    for path in files:
        with open(os.path.join(root, path), errors="replace") as f:
            for m in re.finditer(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]', f.read(), re.M):
                for base in (os.path.dirname(path), "kernel", "libk/include",
                             "userland/include", "kernel/abi"):
                    candidate = os.path.normpath(os.path.join(base, m.group(1)))
                    if os.path.isfile(os.path.join(root, candidate)):
                        seen.add(candidate)
    return seen


def judge(root, sites, functions):
    judged, cache = [], {}
    for site in sorted(sites):
        if site.path not in cache:
            with open(os.path.join(root, site.path), errors="replace") as f:
                cache[site.path] = Coverage(f.read(), site.path.endswith(".S"))
        how = cache[site.path].covers(site.line, functions.get(site.path, ()), site.kind)
        if how is None and site.decl:
            path, line = site.decl
            if path not in cache:
                with open(os.path.join(root, path), errors="replace") as f:
                    cache[path] = Coverage(f.read())
            how = "declaration" if cache[path].covers(line, functions.get(path, ())) else None
        judged.append((site, how))
    return judged


# ---------------------------------------------------------------------------
# The report


def table(rows, key):
    """{group: {kind: [documented, total]}} of the judged sites."""
    out = collections.defaultdict(lambda: {k: [0, 0] for k in KINDS})
    for site, how in rows:
        cell = out[key(site)][site.kind]
        cell[0] += how is not None
        cell[1] += 1
    return out


def print_table(title, counts, out):
    out.write("\n%-44s %s %9s\n" % (title, " ".join("%9s" % k for k in KINDS), "total"))
    for group in sorted(counts):
        cells = counts[group]
        total = [sum(c[0] for c in cells.values()), sum(c[1] for c in cells.values())]
        out.write("%-44s %s %9s\n" % (group, " ".join("%9s" % fmt(cells[k]) for k in KINDS),
                                      fmt(total)))


def fmt(cell):
    """"12" when all 12 are documented, "10/12" when 2 are not."""
    return "-" if cell[1] == 0 else str(cell[1]) if cell[0] == cell[1] else "%d/%d" % tuple(cell)


def report(result, out, listing=False):
    rows = result["sites"]
    if listing:
        for site, how in rows:
            out.write("%s:%d: %-8s %-9s %s\n" % (site.path, site.line, site.kind,
                                                 how or "UNDOC", site.what))
    print_table("file (documented/sites where some lack SAFETY:)",
                table(rows, lambda s: s.path), out)
    print_table("folder", table(rows, lambda s: os.path.dirname(s.path)), out)
    print_table("top folder", table(rows, lambda s: s.path.split("/")[0]), out)
    kinds = table(rows, lambda s: "all")["all"]
    documented = sum(c[0] for c in kinds.values())
    out.write("\naudit: %d unsafe sites (%s), %d documented, %d without SAFETY:\n" % (
        len(rows), ", ".join("%s %d" % (k, kinds[k][1]) for k in KINDS), documented,
        len(rows) - documented))
    if result["lexical"]:
        out.write("audit: lexical pass only (no unit compiles them; casts not seen): %s\n"
                  % " ".join(result["lexical"]))
    undocumented = [s for s, how in rows if how is None]
    for site in undocumented:
        out.write("%s:%d: undocumented %s site (%s): add a SAFETY: comment\n"
                  % (site.path, site.line, site.kind, site.what))
    for error in result["errors"]:
        out.write("audit: error: %s\n" % error)
    return 1 if undocumented or result["errors"] else 0


def as_json(result):
    return {"sites": [dict(site._asdict(), covered_by=how) for site, how in result["sites"]],
            "errors": result["errors"], "lexical": result["lexical"]}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tu", nargs=3, action="append", default=[],
                        metavar=("NAME", "FLAGS", "FILES"),
                        help="a group of translation units: name, compiler flags, files")
    parser.add_argument("--root", default=".")
    parser.add_argument("--list", action="store_true", help="print every site")
    parser.add_argument("--json", help="write the sites to this file")
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("dirs", nargs="+")
    args = parser.parse_args(argv)
    sys.setrecursionlimit(20000)
    units = [(name, flags, files.split()) for name, flags, files in args.tu]
    result = audit(args.root, units, args.dirs, args.jobs)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(as_json(result), f, indent=1)
    return report(result, sys.stdout, args.list)


if __name__ == "__main__":
    sys.exit(main())
