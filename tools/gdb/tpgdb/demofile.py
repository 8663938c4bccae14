"""Demo files: parsing, and checking a transcript (pure: no gdb).

A demo is a GDB script (tools/gdb/demos/NN-name.gdb) with structure in its
comments, so that plain `source` still runs it:

    # Anything before the first step is a comment for the maintainers,
    # except these keys:
    # title: Lab 1: from the Multiboot entry to the banner
    # cmdline: test=none          (the kernel command line; default empty)
    # initrd: yes                 (boot with the user programs: the initrd
    #                              beside the kernel; default no)
    # smp: 2                      (QEMU's -smp: that many CPUs, one GDB
    #                              thread each; default one CPU)
    # net: yes                    (an E1000 on QEMU's user network with a
    #                              free host port forwarded to the guest's
    #                              tcp 80; the demo finds it in $http_port
    #                              and in Python as tpgdb.target.http_port;
    #                              default no: QEMU's default NIC, no forward)
    #
    ## The first instruction         <- a step: "## " and its title
    # Narration shown to the audience (one "# " line per line; a lone "#"
    # is an empty line), at its place between the commands.
    # expect: eax            0x2badb002   <- a key line the output must hold
    # expect-re: ^eax\\s+0x2badb002        <- the same, as a regular expression
    break _start                     <- GDB commands, run and shown
    continue

`expect` lines may stand anywhere; the checker wants each of them to
match a line of the demo's output, in the order they are written (a later
expect matches a later line than the previous one). GDB block commands
(python / define / if / while / commands / document ... end) are kept
together as one command.
"""
import re

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
BLOCK_START = re.compile(r"^\s*(define|document|if|while|commands|python-interactive|pi)\b")
PYTHON_BLOCK = re.compile(r"^\s*(python|py)\s*$")
KEY = re.compile(r"^#\s*(title|cmdline|initrd|smp|net|expect|expect-re):\s?(.*)$")


class DemoError(Exception):
    pass


class Expect:
    def __init__(self, text, regex, line):
        self.text = text
        self.regex = regex
        self.line = line            # line number in the demo file

    def matches(self, output_line):
        if self.regex:
            return re.search(self.text, output_line) is not None
        return self.text in output_line

    def __repr__(self):
        return "%s: %s" % ("expect-re" if self.regex else "expect", self.text)


class Command:
    def __init__(self, text, line):
        self.text = text            # may hold several lines (a block)
        self.line = line


class Step:
    """A title, then narration and commands in the order written: items is
    a list of str (a line of narration) and Command."""

    def __init__(self, title, line):
        self.title = title
        self.line = line
        self.items = []

    @property
    def narration(self):
        return [i for i in self.items if isinstance(i, str)]

    @property
    def commands(self):
        return [i for i in self.items if isinstance(i, Command)]


class Demo:
    def __init__(self, path):
        self.path = path
        self.title = None
        self.cmdline = ""
        self.initrd = False
        self.smp = None         # QEMU's -smp value, e.g. "2", or None: one CPU
        self.net = False        # an E1000 with a host port forwarded to tcp 80
        self.steps = []
        self.expects = []


def parse(text, path="<demo>"):
    demo = Demo(path)
    lines = text.splitlines()
    step = None
    i = 0
    while i < len(lines):
        raw = lines[i]
        lineno = i + 1
        stripped = raw.strip()
        i += 1
        if not stripped:
            continue
        if stripped.startswith("##"):
            step = Step(stripped.lstrip("#").strip(), lineno)
            if not step.title:
                raise DemoError("%s:%d: a step needs a title after '##'" % (path, lineno))
            demo.steps.append(step)
            continue
        if stripped.startswith("#"):
            key = KEY.match(stripped)
            if key:
                name, value = key.group(1), key.group(2).rstrip()
                if name in ("expect", "expect-re"):
                    if not value.strip():
                        raise DemoError("%s:%d: empty %s" % (path, lineno, name))
                    if name == "expect-re":
                        try:
                            re.compile(value)
                        except re.error as err:
                            raise DemoError("%s:%d: bad regular expression: %s"
                                            % (path, lineno, err))
                    demo.expects.append(Expect(value, name == "expect-re", lineno))
                    continue
                if step is None:
                    if name == "title":
                        demo.title = value.strip()
                    elif name == "initrd":
                        if value.strip() not in ("yes", "no"):
                            raise DemoError("%s:%d: initrd: yes or no, not %r"
                                            % (path, lineno, value.strip()))
                        demo.initrd = value.strip() == "yes"
                    elif name == "net":
                        if value.strip() not in ("yes", "no"):
                            raise DemoError("%s:%d: net: yes or no, not %r"
                                            % (path, lineno, value.strip()))
                        demo.net = value.strip() == "yes"
                    elif name == "smp":
                        if not re.match(r"^\d+(,[a-z]+=\d+)*$", value.strip()):
                            raise DemoError("%s:%d: smp: a CPU count such as 2 (or 4,sockets=4), "
                                            "not %r" % (path, lineno, value.strip()))
                        demo.smp = value.strip()
                    else:
                        demo.cmdline = value.strip()
                    continue
            if step is not None:
                body = raw.lstrip()[1:].rstrip()
                step.items.append(body[1:] if body.startswith(" ") else body)
            continue
        # a GDB command
        if step is None:
            raise DemoError("%s:%d: a command before the first step ('## title'): %s"
                            % (path, lineno, stripped))
        block = [raw.rstrip()]
        if PYTHON_BLOCK.match(raw) or BLOCK_START.match(raw):
            depth = 1
            python = PYTHON_BLOCK.match(raw) is not None
            while depth and i < len(lines):
                inner = lines[i].rstrip()
                i += 1
                block.append(inner)
                word = inner.strip()
                if word == "end":
                    depth -= 1
                elif not python and (BLOCK_START.match(inner) or PYTHON_BLOCK.match(inner)):
                    depth += 1
            if depth:
                raise DemoError("%s:%d: block without 'end'" % (path, lineno))
        step.items.append(Command("\n".join(block), lineno))
    if not demo.steps:
        raise DemoError("%s: no steps ('## title' lines)" % path)
    return demo


def load(path):
    with open(path, encoding="utf-8") as f:
        return parse(f.read(), path)


def check(expects, transcript):
    """Match every expect against the transcript's lines, in order.
    Returns (matched, failures): matched is a list of (expect, line index),
    failures a list of messages (empty when all matched)."""
    lines = [ANSI.sub("", l).rstrip("\r") for l in transcript.splitlines()]
    pos = 0
    matched = []
    for k, exp in enumerate(expects):
        for j in range(pos, len(lines)):
            if exp.matches(lines[j]):
                matched.append((exp, j))
                pos = j + 1
                break
        else:
            where = "after output line %d" % pos if pos else "anywhere"
            earlier = [j for j, l in enumerate(lines) if exp.matches(l)]
            hint = ""
            if earlier:
                hint = (" (it matches output line %d, before the previous expect's match:"
                        " out of order)" % (earlier[0] + 1))
            return matched, ["expect #%d (line %d of the demo) not found %s: %r%s"
                             % (k + 1, exp.line, where, exp.text, hint)]
    return matched, []
